"""Issue 13, "done when": each everyday mistake of the issue, done to a copy of sample_data/, ends in
an error or a printed warning naming the file, the row or day, and the fix — never a silent 旷工.

The copies are made by the tests; sample_data's May sheet is GB18030, as a Chinese Excel saves it.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import run_cli
from paths import SAMPLE

MAY = "signin/2024-05.csv"


def copy(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(SAMPLE, root)
    (root / "README.md").unlink(missing_ok=True)
    return root


def edit_may(root: Path, fn) -> None:  # type: ignore[no-untyped-def]
    """Rewrite the May sheet's lines through ``fn(lines) -> lines``, keeping its encoding."""
    p = root / MAY
    lines = p.read_text("gb18030").splitlines(keepends=True)
    p.write_text("".join(fn(lines)), "gb18030")


def payroll(root: Path, *extra: str):  # type: ignore[no-untyped-def]
    return run_cli("payroll", "2024-05", "--data", str(root), "--format", "json", *extra)


def pay_of(result) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.stderr
    return {e["employee_id"]: e for e in json.loads(result.stdout)["employees"]}


@pytest.fixture(scope="module")
def as_shipped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    return pay_of(payroll(copy(tmp_path_factory.mktemp("shipped"))))


@pytest.mark.parametrize("canonical,saved_as", [("leave.csv", "请假记录.csv"),
                                                ("violations.csv", "violations-2024-05.csv")])
def test_an_input_saved_under_another_name_is_read_by_its_header_and_named(
        tmp_path: Path, as_shipped: dict[str, dict], canonical: str, saved_as: str) -> None:
    root = copy(tmp_path)
    (root / canonical).rename(root / saved_as)
    assert pay_of(payroll(root)) == as_shipped  # 孙丽娟's approved leave is still leave
    v = run_cli("validate", "--data", str(root))
    assert any(ln.startswith("warning: ") and saved_as in ln and f"rename it to {canonical}" in ln
               for ln in v.stdout.splitlines()), v.stdout


def test_sheets_exported_before_month_end_stop_payroll_naming_the_days_and_the_fix(tmp_path: Path) -> None:
    root = copy(tmp_path)
    edit_may(root, lambda ls: [ln for ln in ls if not re.search(r",2024/5/(2[5-9]|3[01]),", ln)])
    result = payroll(root)
    assert result.exit_code == 1
    err = result.stderr
    assert "2024-05-25..2024-05-31" in err and f"{MAY} holds 2024-05-06..2024-05-24" in err
    assert "--covered-through 2024-05-31" in err and "calendar.csv" in err
    # the clerk states the sheets are complete: then those days are absences, on purpose
    assert pay_of(payroll(root, "--covered-through", "2024-05-31"))["CS001"]["absent_days"] >= 6


def test_a_day_nobody_worked_stops_payroll_until_calendar_csv_says_what_it_was(tmp_path: Path) -> None:
    root = copy(tmp_path)
    edit_may(root, lambda ls: [ln for ln in ls if ",2024/5/15," not in ln])
    result = payroll(root)
    assert result.exit_code == 1
    assert "2024-05-15" in result.stderr and "calendar.csv" in result.stderr and "'2024-05-15,rest" in result.stderr
    (root / "calendar.csv").write_text("date,type,note\n2024-05-15,rest,团建\n", "utf-8")
    pay = pay_of(payroll(root))
    assert all(e["absent_days"] in (0, 0.0) or e["employee_id"] in ("CS002", "CS009", "CS015") for e in pay.values())


def test_a_day_most_people_did_not_punch_is_a_printed_warning(tmp_path: Path) -> None:
    root = copy(tmp_path)
    kept = iter(range(10**6))
    edit_may(root, lambda ls: [ln for ln in ls if ",2024/5/15," not in ln or next(kept) % 3 == 0])
    result = payroll(root)
    assert result.exit_code == 0
    assert any(ln.startswith("warning: ") and "2024-05-15" in ln and "have no punch" in ln and "calendar.csv" in ln
               for ln in result.stderr.splitlines()), result.stderr


@pytest.mark.parametrize("typed,meant,name", [("CS05", "CS005", "陈静"), ("ＣＳ００７", "CS007", "赵磊")])
def test_a_mistyped_id_that_names_one_roster_person_is_an_error_naming_them(
        tmp_path: Path, typed: str, meant: str, name: str) -> None:
    root = copy(tmp_path)
    edit_may(root, lambda ls: [ln.replace(f"{meant},", f"{typed},") for ln in ls])
    result = payroll(root)
    assert result.exit_code == 1
    line = next(ln for ln in result.stderr.splitlines() if ln.startswith("error: ") and typed in ln)
    assert re.search(rf"{MAY}:\d+:employee_id: '{typed}' {name} is not on the roster — did you mean '{meant}' {name}\?",
                     line), line
    assert "correct the id" in line


def test_a_row_whose_id_and_name_are_two_people_is_an_error_at_its_row(tmp_path: Path) -> None:
    root = copy(tmp_path)

    def swap(ls: list[str]) -> list[str]:
        i = [k for k, ln in enumerate(ls) if ln.startswith("CS003,")][4]
        ls[i] = ls[i].replace("CS003,张伟", "CS003,刘洋")
        return ls

    edit_may(root, swap)
    result = payroll(root)
    assert result.exit_code == 1
    assert re.search(rf"{MAY}:\d+:name: id 'CS003' is 'CS003' 张伟 on the roster, but this sign-in row names 刘洋 "
                     r"\('CS004'\)", result.stderr), result.stderr


def test_an_unknown_person_with_no_match_is_a_printed_warning_and_pay_is_unchanged(
        tmp_path: Path, as_shipped: dict[str, dict]) -> None:
    root = copy(tmp_path)
    edit_may(root, lambda ls: ls + ["CS099,路人甲,2024/5/6,08:50:00,18:00:00\n"])
    result = payroll(root)
    assert pay_of(result) == as_shipped
    assert any(ln.startswith("warning: ") and "CS099" in ln for ln in result.stderr.splitlines()), result.stderr


def test_payroll_and_validate_count_the_same_problems_on_the_same_folder(tmp_path: Path) -> None:
    root = copy(tmp_path)
    edit_may(root, lambda ls: ls + ["CS099,路人甲,2024/5/6,08:50:00,18:00:00\n"])
    (root / "leave.csv").rename(root / "请假记录.csv")
    v = json.loads(run_cli("validate", "--data", str(root), "--format", "json").stdout)
    warnings = [w for f in v["files"] for w in f["warnings"]]
    p = payroll(root)
    shown = [ln for ln in p.stderr.splitlines() if ln.startswith("warning: ")]
    counted = re.search(r"(\d+) other warning\(s\)", p.stderr)
    assert len(shown) + (int(counted.group(1)) if counted else 0) == len(warnings), (p.stderr, warnings)
