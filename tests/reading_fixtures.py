"""Helpers for the reading tests: run validate and payroll on a folder, find a problem by place.

Every reading test builds its own folder in tmp_path, runs the CLI as a clerk would, and
checks three things: the exit code, the place (``file:row:column``), and that payroll
either refuses (exit 1) or pays what the data says — never a silent change.
"""

from __future__ import annotations

import calendar
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli


def validate(root: Path, *extra: str, covered: str = "2024-05-31"):
    """validate --data ROOT; these small folders hold a day or two of May 2024, so the test states
    they are complete (``covered=""`` leaves coverage to the sheets' own dates)."""
    more = ("--covered-through", covered) if covered else ()
    return run_cli("validate", "--data", str(root), *more, *extra)


def problems(root: Path) -> list[dict]:
    """Every problem of validate --format json as {file, row, column, code, severity}."""
    doc = json.loads(validate(root, "--format", "json").stdout)
    out = []
    for f in doc["files"]:
        for sev in ("errors", "warnings"):
            for p in f[sev]:
                out.append({"file": Path(f["path"]).as_posix(), "row": p["row"], "column": p["column"],
                            "code": p["code"], "severity": sev[:-1], "message": p["message"]})
    return out


def find(root: Path, code: str) -> list[dict]:
    return [p for p in problems(root) if p["code"] == code]


def assert_problem(root: Path, name: str, row: int, column: str, code: str, severity: str = "error") -> str:
    """validate exits as the severity says and names ``name:row:column``; returns the text line."""
    result = validate(root)
    assert result.exit_code == (1 if severity == "error" else 0), result.stdout + result.stderr
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith(f"{severity}:")]
    loc = f"{name}:{row}:{column}:" if column else (f"{name}:{row}:" if row else f"{name}:")
    hit = [ln for ln in lines if loc in ln]
    assert hit, (loc, lines)
    got = [p for p in find(root, code) if p["file"].endswith(name.split("[")[0])]
    assert any(p["row"] == row and p["column"] == column and p["severity"] == severity for p in got), (code, got)
    return hit[0]


def payroll(root: Path, month: str = "2024-05"):
    """The month's payroll; these small folders hold a day or two, so the test states they are complete."""
    y, m = (int(x) for x in month.split("-"))
    last = f"{month}-{calendar.monthrange(y, m)[1]:02d}"
    return run_cli("payroll", month, "--data", str(root), "--format", "json", "--covered-through", last)


def payroll_refuses(root: Path, month: str = "2024-05") -> None:
    """Data with errors is never paid from: payroll exits 1 and names the problems."""
    result = payroll(root, month)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "error:" in result.stderr


def net_pay(root: Path, emp: str, month: str = "2024-05") -> str:
    result = payroll(root, month)
    assert result.exit_code == 0, result.stdout + result.stderr
    doc = json.loads(result.stdout)
    return next(e["net_pay"] for e in doc["employees"] if e["employee_id"] == emp)


def employee(root: Path, emp: str, month: str = "2024-05") -> dict:
    result = payroll(root, month)
    assert result.exit_code == 0, result.stdout + result.stderr
    return next(e for e in json.loads(result.stdout)["employees"] if e["employee_id"] == emp)


def shortcut(m: pytest.MonkeyPatch, module: Any, name: str, taken: bool) -> list[bool]:
    """Patch ``module.name`` — a reading shortcut that returns None when it cannot serve — so that
    it is taken (``taken``) or always refused; the list says, call by call, whether it served."""
    real = getattr(module, name)
    served: list[bool] = []

    def spy(*a: Any, **k: Any) -> Any:
        got = real(*a, **k) if taken else None
        served.append(got is not None)
        return got

    m.setattr(module, name, spy)
    return served


def far_cell_workbook(header: list[str]) -> Any:
    """A sheet 五月 of one sign-in row and a cell at XFD1048576: python-calamine and fastexcel would
    allocate the whole 16,384 × 1,048,576 rectangle, so the limits scan must refuse it."""
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "五月"
    ws.append(header)
    ws.append(["E001", "张三", dt.date(2024, 5, 6), dt.time(8, 50), dt.time(18, 5)])
    ws["XFD1048576"] = "x"
    return wb
