"""Issue 17 §3: a sheet past Excel's 1,048,576 rows continues on a second sheet (罚款明细 (2)),
and a sheet that cannot continue is one clear refusal, never exit 3 (it was "OverflowError: sheet
row limit" at 400,000 people).  MAX_ROWS is made small so the sample month shows both."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import run_cli
from paths import SAMPLE

from cs_rules import api
from cs_rules.reports import workbook as W

MONTH = "2024-05"


def test_ledger_and_absences_continue_on_another_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = api.open_data(SAMPLE)
    res = api.payroll(ctx, MONTH)
    whole = tmp_path / "whole.xlsx"
    W.write_workbook(res, ctx.data, whole)
    monkeypatch.setattr(W, "MAX_ROWS", 30)  # 29 rows under the header a sheet
    split = tmp_path / "split.xlsx"
    W.write_workbook(res, ctx.data, split)
    a, b = openpyxl.load_workbook(whole, read_only=True), openpyxl.load_workbook(split, read_only=True)
    for base in (W.TEXT["zh"]["ledger"], W.TEXT["zh"]["absences"]):
        rows = [r for r in a[base].iter_rows(values_only=True)]
        parts = [n for n in b.sheetnames if n == base or n.startswith(f"{base} (")]
        n_parts = -(-(len(rows) - 1) // 29)
        assert parts == [W.sheet_name(base, k) for k in range(max(n_parts, 1))], (base, b.sheetnames)
        got = []
        for name in parts:
            sheet = list(b[name].iter_rows(values_only=True))
            assert sheet[0] == rows[0] and len(sheet) <= 30  # each with the header, within the limit
            got += sheet[1:]
        assert got == rows[1:]  # every row once, in order
        if base == W.TEXT["zh"]["ledger"]:
            assert n_parts > 1  # the sample's ledger does continue


def test_a_sheet_that_cannot_continue_is_refused_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(W, "MAX_ROWS", 10)  # the 汇总 sheet has a row a person: 21 people
    out = tmp_path / "p.xlsx"
    r = run_cli("payroll", MONTH, "--data", SAMPLE, "-o", out)
    assert r.exit_code == 2, r.stdout + r.stderr
    assert "sheet would need more than 10 rows, Excel's limit" in r.stderr and "--format csv" in r.stderr
    assert not out.exists()
