"""Strict, located CSV reading (issue 15 §1): a row that does not fit, a quote left open, a
column named twice, a line in another encoding — each an error at its file:row:column,
never a shifted column, a dropped row or a mojibake name on the payroll."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROSTER_CSV, SIGNIN_CSV, make_folder, valid_files
from reading_fixtures import assert_problem, employee, find, payroll_refuses, validate

from cs_rules.loading.folder import load_file
from cs_rules.model.inputs import empty_dataset
from cs_rules.rulebook import default_rulebook

RULES = default_rulebook()
SIGNIN_HEAD = "employee_id,name,date,sign_in,sign_out\n"


@pytest.fixture(autouse=True)
def _isolated(isolated: Path) -> None:
    """No $CS_RULES_DATA and no rules.toml from the caller's folder leak into a test."""


def signin_rows(n: int, emp: str = "E002", start_day: int = 6) -> str:
    return "".join(f"{emp},李四,2024-05-{start_day + i:02d},08:55:00,18:10:00\n" for i in range(n))


def test_row_with_a_field_too_many_is_an_error_not_dropped(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "signin/2024-05.csv": SIGNIN_HEAD + "E002,李四,2024-05-06,08:55:00,18:10:00\n"
                              "E001,张,三,2024-05-06,08:50:00,18:05:00\n"}))
    line = assert_problem(root, "signin/2024-05.csv", 3, "F", "too_many_fields")
    assert "6 fields" in line and "header has 5" in line
    payroll_refuses(root)


def test_roster_row_with_a_field_too_few_never_shifts_columns(tmp_path: Path) -> None:
    """The phone number must not become a base salary (net pay 17,000,000,173.00)."""
    roster = ("employee_id,name,grade,hire_date,base_salary,phone\n"
              "E001,张三,junior,2023-01-09,2200,13800000001\n"
              "E002,李四,2022-03-01,2300,17000000173\n")  # the grade is missing
    root = make_folder(tmp_path, valid_files(**{"roster.csv": roster}))
    assert_problem(root, "roster.csv", 3, "phone", "too_few_fields")
    payroll_refuses(root)


def test_unbalanced_quotes_name_the_row_where_the_quote_opened(tmp_path: Path) -> None:
    body = (signin_rows(3) + 'E001,"张三,2024-05-13,08:50:00,18:05:00\n'
            + "".join(f"E002,李四,2024-04-{1 + i % 28:02d},08:55:00,18:10:00\n" for i in range(80))
            + 'E001,张三",2024-05-14,08:50:00,18:05:00\n')
    root = make_folder(tmp_path, valid_files(**{"signin/2024-05.csv": SIGNIN_HEAD + body}))
    line = assert_problem(root, "signin/2024-05.csv", 5, "name", "unbalanced_quote")  # header 1, 3 rows, row 5
    assert "81 lines" in line
    payroll_refuses(root)


def test_two_columns_meaning_one_are_an_error_naming_both(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "signin/2024-05.csv": "employee_id,date,sign_in,sign_out,sign_out\nE001,2024-05-06,08:50,18:05,17:00\n"}))
    line = assert_problem(root, "signin/2024-05.csv", 1, "sign_out", "duplicate_column")
    assert "column D" in line and "column E" in line
    payroll_refuses(root)


def test_schedule_columns_beside_punch_columns_are_not_read_as_punches(tmp_path: Path) -> None:
    """上班时间/下班时间 is the schedule when 签到时间/签退时间 stand beside it (issue 12)."""
    root = make_folder(tmp_path, valid_files(**{
        "signin/2024-05.csv": "工号,日期,上班时间,下班时间,签到时间,签退时间\n"
                              "E001,2024-05-06,09:00,18:00,09:20,18:05\nE002,2024-05-06,09:00,18:00,08:55,18:10\n"}))
    assert validate(root).exit_code == 0
    assert employee(root, "E001")["late_count"] == 1


def test_gb18030_roster_with_one_utf8_line_names_row_and_offset(tmp_path: Path) -> None:
    head = "employee_id,name,grade,hire_date\nE001,张三,junior,2023-01-09\n".encode("gb18030")
    utf8 = "E002,李四,mid,2022-03-01\n".encode()
    tail = "E003,王五,senior,2021-06-01\n".encode("gb18030")
    root = make_folder(tmp_path, valid_files(**{"roster.csv": head + utf8 + tail}))
    line = assert_problem(root, "roster.csv", 3, "", "mixed_encoding")
    assert f"byte offset {len(head) + 5}" in line and "UTF-8" in line
    payroll_refuses(root)


def test_utf8_file_with_one_gbk_line_names_the_row(tmp_path: Path) -> None:
    good = (SIGNIN_HEAD + "E001,张三,2024-05-06,08:50:00,18:05:00\nE001,张三,2024-05-07,08:50:00,18:05:00\n"
            "E001,张三,2024-05-08,08:50:00,18:05:00\n").encode()
    bad = "E002,李四,2024-05-06,08:55:00,18:10:00\n".encode("gbk")
    root = make_folder(tmp_path, valid_files(**{"signin/2024-05.csv": good + bad}))
    line = assert_problem(root, "signin/2024-05.csv", 5, "", "mixed_encoding")
    assert "GBK" in line
    payroll_refuses(root)


def test_big5_file_is_detected_and_said(tmp_path: Path) -> None:
    roster = "工號,姓名,職級,入職日期\nE001,張三,初級客服,2023-01-09\nE002,李四,中級客服,2022-03-01\n"
    root = make_folder(tmp_path, valid_files(**{"roster.csv": roster.encode("big5")}))
    line = assert_problem(root, "roster.csv", 0, "", "big5_file", "warning")
    assert "Big5" in line
    assert employee(root, "E001")["name"] == "張三"


def test_bytes_in_no_encoding_are_located_not_called_binary(tmp_path: Path) -> None:
    data = (SIGNIN_HEAD + "E001,张三,2024-05-06,08:50:00,18:05:00\n").encode("gb18030") + b"E002,\xff\xff,x\n"
    root = make_folder(tmp_path, valid_files(**{"signin/2024-05.csv": data}))
    line = assert_problem(root, "signin/2024-05.csv", 3, "", "unknown_encoding")
    assert "binary" not in line and "offset" in line


def test_real_binary_is_binary(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{"leave.csv": b"\x00\x01\x02MZ\x90\x00" * 40}))
    assert find(root, "binary_file")


@pytest.mark.parametrize("ends", ["\r", "\r\n", "\n"])
def test_cr_only_line_ends_read_like_any_other(tmp_path: Path, ends: str) -> None:
    roster = ROSTER_CSV.replace("\n", ends)
    signin = (SIGNIN_CSV + "E001,张三,2024-05-07,09:10:00,18:05:00\n").replace("\n", ends)
    root = make_folder(tmp_path, {"roster.csv": roster.encode(), "signin/2024-05.csv": signin.encode()})
    result = validate(root)
    assert result.exit_code == 0, result.stdout
    assert employee(root, "E001")["late_count"] == 1


def test_a_lone_cr_in_a_cell_is_read(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "signin/2024-05.csv": (SIGNIN_HEAD + "E001,张\r三,2024-05-06,08:50:00,18:05:00\n"
                               'E002,"李\r四",2024-05-06,09:10:00,18:10:00\n').encode()}))
    result = validate(root)
    assert result.exit_code == 0, result.stdout
    assert employee(root, "E002")["late_count"] == 1


def test_utf16_text_from_excel_is_read(tmp_path: Path) -> None:
    text = SIGNIN_CSV.replace(",", "\t").replace("E001\t张三\t2024-05-06\t08:50:00", "E001\t张三\t2024-05-06\t09:05:00")
    root = make_folder(tmp_path, valid_files(**{"signin/2024-05.csv": b"\xff\xfe" + text.encode("utf-16-le")}))
    assert validate(root).exit_code == 0
    assert employee(root, "E001")["late_count"] == 1


def test_minutes_written_with_a_decimal_comma_are_refused(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "violations.csv": 'date,employee_id,code,minutes\n2024-05-06,E001,off_post,"1,5"\n'}))
    line = assert_problem(root, "violations.csv", 2, "minutes", "ambiguous_number")
    assert "'1,5'" in line
    payroll_refuses(root)


def test_thousands_separator_still_reads(tmp_path: Path) -> None:
    data = empty_dataset(None)
    p = tmp_path / "violations.csv"
    p.write_text('date,employee_id,code,minutes\n2024-05-06,E001,off_post,"1,200"\n', encoding="utf-8")
    load_file(p, RULES, data, ["violations"])
    assert list(data.violations["minutes"]) == [1200.0]
    assert data.problems.items == []


@pytest.mark.parametrize("cells,expected", [(["87%", "90%"], [87.0, 90.0]), (["0.87", "0.9"], [87.0, 90.0])])
def test_percent_scores_read_as_out_of_100(tmp_path: Path, cells: list[str], expected: list[float]) -> None:
    perf = f"employee_id,month,score\nE001,2024-05,{cells[0]}\nE002,2024-05,{cells[1]}\n"
    root = make_folder(tmp_path, valid_files(**{"performance.csv": perf}))
    assert validate(root).exit_code == 0
    data = empty_dataset(None)
    load_file(root / "performance.csv", RULES, data, ["performance"])
    assert list(data.performance["score"]) == expected
    assert employee(root, "E001")["performance_pay"] != "0.00"


def test_fraction_among_scores_out_of_100_is_refused_with_the_fix(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "performance.csv": "employee_id,month,score\nE001,2024-05,88\nE002,2024-05,0.87\n"}))
    line = assert_problem(root, "performance.csv", 3, "score", "ambiguous_score")
    assert "87" in line
    payroll_refuses(root)


@pytest.mark.parametrize("cell", ["09:00:60", "08:59:61"])
@pytest.mark.parametrize("dates", ["2024-05-06", "2024/5/6"])  # the typed Arrow path and the general one
def test_second_60_is_not_a_time(tmp_path: Path, cell: str, dates: str) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "signin/2024-05.csv": SIGNIN_HEAD + f"E001,张三,{dates},{cell},18:05:00\n"}))
    assert_problem(root, "signin/2024-05.csv", 2, "sign_in", "bad_time")
    payroll_refuses(root)


def test_contradictory_calendar_rows_are_an_error(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "calendar.csv": "date,type,name\n2024-05-11,workday,补班\n2024-05-12,rest,\n2024-05-11,rest,\n"}))
    line = assert_problem(root, "calendar.csv", 4, "date", "conflicting_calendar_day")
    assert "row 2" in line
    payroll_refuses(root)


def test_header_of_a_million_columns_fails_fast(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{"leave.csv": ",".join(["x"] * 1_000_000) + "\n1,2\n"}))
    line = assert_problem(root, "leave.csv", 1, "", "too_many_columns")
    assert "1,000" in line
