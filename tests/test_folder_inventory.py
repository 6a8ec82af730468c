"""The data folder (issue 15 §3, issue 13 §1): every file read as what, or listed with the reason.

A leave file saved as ``Leave.CSV`` or ``请假记录.csv`` that is ignored without a word turns
approved leave into 旷工; each case here ends in the leave being paid as leave, or in a
line that names the file and the fix.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import make_folder, valid_files
from reading_fixtures import assert_problem, employee, payroll_refuses, validate

from cs_rules.loading.folder import load_dataset
from cs_rules.rulebook import default_rulebook

RULES = default_rulebook()
LEAVE = "employee_id,start_date,end_date,type\nE001,2024-05-07,2024-05-07,annual\n"
# E001 signs in on 05-06 only; with the leave read, 05-07 is annual leave, not absent
SIGNIN = "employee_id,name,date,sign_in,sign_out\nE001,张三,2024-05-06,08:50:00,18:05:00\n"


@pytest.fixture(autouse=True)
def _isolated(isolated: Path) -> None:
    """No $CS_RULES_DATA and no rules.toml from the caller's folder leak into a test."""


def inventory(root: Path) -> list[str]:
    out = validate(root).stdout.splitlines()
    return [ln.strip() for ln in out if ln.startswith("  ")]


def leave_counted(root: Path) -> bool:
    return employee(root, "E001")["paid_leave_days"] >= 1


@pytest.mark.parametrize("name", ["Leave.CSV", "LEAVE.csv", "leave.Csv"])
def test_names_match_without_regard_to_case(tmp_path: Path, name: str) -> None:
    root = make_folder(tmp_path, valid_files(**{name: LEAVE, "signin/2024-05.csv": SIGNIN}))
    assert validate(root).exit_code == 0
    assert any(ln.startswith("read") and name in ln and "leave, 1 row" in ln for ln in inventory(root))
    assert leave_counted(root)


@pytest.mark.parametrize("name", ["请假记录.csv", "violations-2024-05.csv"])
def test_an_input_is_recognised_by_its_header(tmp_path: Path, name: str) -> None:
    content = LEAVE if name.startswith("请假") else "date,employee_id,code\n2024-05-06,E001,desk_untidy\n"
    root = make_folder(tmp_path, valid_files(**{name: content, "signin/2024-05.csv": SIGNIN}))
    canonical = "leave.csv" if name.startswith("请假") else "violations.csv"
    line = assert_problem(root, name, 0, "", "input_by_header", "warning")
    assert canonical in line
    if name.startswith("请假"):
        assert leave_counted(root)
    else:
        assert employee(root, "E001")["fines_total"] != "0.00"


def test_two_candidates_for_one_input_are_an_error(tmp_path: Path) -> None:
    import openpyxl

    root = make_folder(tmp_path, valid_files(**{"leave.csv": LEAVE}))
    wb = openpyxl.Workbook()
    wb.active.append(["employee_id", "start_date", "end_date", "type"])
    wb.active.append(["E001", "2024-05-08", "2024-05-08", "annual"])
    wb.save(root / "leave.xlsx")
    line = assert_problem(root, "leave.xlsx", 0, "", "two_inputs")
    assert "leave.csv" in line
    payroll_refuses(root)


def test_two_rosters_are_an_error_too(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{"Roster.CSV": "employee_id,name,grade,hire_date\nE009,王五,mid,2020-01-01\n"}))
    assert_problem(root, "roster.csv", 0, "", "two_inputs")


def test_symlinks_are_followed(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{"signin/2024-05.csv": SIGNIN}))
    real = tmp_path / "elsewhere" / "leave-2024.csv"
    real.parent.mkdir()
    real.write_text(LEAVE, encoding="utf-8")
    os.symlink(real, root / "leave.csv")
    assert validate(root).exit_code == 0
    assert leave_counted(root)


def test_dangling_symlinks_are_reported(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files())
    os.symlink(tmp_path / "gone.csv", root / "leave.csv")
    os.symlink(tmp_path / "gone2.csv", root / "signin" / "2024-04.csv")
    line = assert_problem(root, "leave.csv", 0, "", "dangling_link")
    assert "gone.csv" in line
    assert_problem(root, "signin/2024-04.csv", 0, "", "dangling_link")


def test_inventory_lists_every_file_read_and_not_read(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "README.md": "# notes\n", "signin/考勤说明.pdf": b"%PDF-1.4", "archive/old.csv": "a,b\n",
        "~$roster.xlsx": b"lock", "signin/2024-05-extra.xls": b"\x00" * 10}))
    lines = inventory(root)
    assert any(ln.startswith("read") and "roster.csv: roster, 2 rows" in ln for ln in lines), lines
    assert any(ln.startswith("read") and "signin/2024-05.csv: sign-in sheet, 2 rows" in ln for ln in lines)
    assert any(ln.startswith("not read") and "README.md" in ln and "not a data file" in ln for ln in lines)
    assert any(ln.startswith("not read") and "考勤说明.pdf" in ln for ln in lines)
    assert any(ln.startswith("not read") and "archive/" in ln for ln in lines)
    assert any(ln.startswith("not read") and "~$roster.xlsx" in ln and "lock" in ln for ln in lines)
    assert any(ln.startswith("failed") and "2024-05-extra.xls" in ln for ln in lines)
    assert any(ln.startswith("missing") and "no leave file: days without sign-ins count as absent" in ln
               for ln in lines)


def test_inventory_is_on_the_dataset(tmp_path: Path) -> None:
    """payroll's first lines come from here (the lead wires them)."""
    root = make_folder(tmp_path, valid_files(**{"notes.txt": "hello\n"}))
    data = load_dataset(root, RULES)
    lines = data.inventory()
    assert lines[0].startswith("read") and any("notes.txt" in ln and ln.startswith("not read") for ln in lines)
    assert [f.path.endswith("notes.txt") for f in data.files if not f.read] == [True]


def test_a_sign_in_sheet_outside_signin_is_named(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{"2024-06.csv": SIGNIN}))
    line = assert_problem(root, "2024-06.csv", 0, "", "misplaced_file", "warning")
    assert "signin/" in line


def test_unknown_file_in_signin_is_a_warning(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{"signin/scan.jpg": b"\xff\xd8\xff"}))
    assert_problem(root, "signin/scan.jpg", 0, "", "unknown_file", "warning")


def test_xls_leave_is_read(tmp_path: Path) -> None:
    import xlwt

    root = make_folder(tmp_path, valid_files(**{"signin/2024-05.csv": SIGNIN}))
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("请假")
    for i, row in enumerate([["工号", "开始日期", "结束日期", "请假类型"], ["E001", "2024-05-07", "2024-05-07", "年假"]]):
        for j, v in enumerate(row):
            ws.write(i, j, v)
    wb.save(str(root / "leave.xls"))
    assert validate(root).exit_code == 0
    assert leave_counted(root)


# --------------------------------------------------------------- the new inputs
def test_corrections_csv(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "corrections.csv": "工号,日期,时间,补卡类型,原因,审批人\nE001,2024-05-07,09:00,签到,忘打卡,王经理\n"
                           "E001,2024-05-07,18:00:00,sign_out,,王经理\nE002,2024-05-07,25:00,签退,,\n"}))
    assert_problem(root, "corrections.csv", 4, "时间", "bad_time")
    data = load_dataset(root, RULES)
    c = data.corrections
    assert list(c["secs"][:2]) == [9 * 3600.0, 18 * 3600.0] and list(c["kind"][:2]) == ["sign_in", "sign_out"]
    assert list(c["_row"]) == [2, 3, 4] and c.loc[0, "approved_by"] == "王经理"


def test_shifts_csv_long_form(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{"shifts.csv": "employee_id,date,shift\nE001,2024-05-06,night\n"
                                                            "E001,2024-05-07,休\n"}))
    assert validate(root).exit_code == 0
    s = load_dataset(root, RULES).shifts
    assert list(s["shift"]) == ["night", "rest"] and list(s["_row"]) == [2, 3]


def test_shifts_grid_one_column_per_day(tmp_path: Path) -> None:
    days = ",".join(str(d) for d in range(1, 32))
    cells = ",".join("休" if d % 7 == 5 else "早班" for d in range(1, 32))
    root = make_folder(tmp_path, valid_files(**{"排班表-2024-05.csv": f"2024年5月排班表\n工号,姓名,{days}\nE001,张三,{cells}\n"}))
    result = validate(root)
    assert result.exit_code == 0, result.stdout
    s = load_dataset(root, RULES).shifts
    assert len(s) == 31 and set(s["shift"]) == {"早班", "rest"}
    assert s["date"].min().strftime("%Y-%m-%d") == "2024-05-01" and set(s["_row"]) == {3}


def test_reviews_csv_quarter_forms(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "reviews.csv": "工号,季度,考核等级\nE001,2024Q2,A\nE001,2024-Q1,b\nE002,2024年第2季度,B\nE002,2024年第三季度,C\n"
                       "E002,2024 Q5,A\n"}))
    assert_problem(root, "reviews.csv", 6, "季度", "bad_quarter")
    r = load_dataset(root, RULES).reviews
    assert list(r["quarter"][:4]) == ["2024Q2", "2024Q1", "2024Q2", "2024Q3"]
    assert list(r["grade"][:4]) == ["A", "B", "B", "C"]
