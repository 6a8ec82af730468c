"""Employment windows and bounds on input values (issue 15 §4, §5).

A row about a day outside a person's employment does not count, so it is named; a value
no payroll can mean (a 20-digit salary, 1e30, a hire date in 2099, 5000 minutes) is an
error at its cell — never an overflow, an internal error, or a person gone from the month.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_folder, run_cli, valid_files
from reading_fixtures import assert_problem, employee, payroll_refuses

ROSTER_HEAD = "employee_id,name,grade,hire_date,leave_date,base_salary\n"


@pytest.fixture(autouse=True)
def _isolated(isolated: Path) -> None:
    """No $CS_RULES_DATA and no rules.toml from the caller's folder leak into a test."""


def test_sign_ins_before_the_hire_date_are_named(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "roster.csv": ROSTER_HEAD + "E001,张三,junior,2024-05-08,,\nE002,李四,mid,2022-03-01,,\n",
        "signin/2024-05.csv": "employee_id,date,sign_in,sign_out\nE002,2024-05-06,08:50,18:05\n"
                              "E001,2024-05-06,08:50,18:05\nE001,2024-05-07,08:50,18:05\nE001,2024-05-08,08:50,18:05\n"}))
    line = assert_problem(root, "signin/2024-05.csv", 3, "date", "outside_employment", "warning")
    assert "2 sign-in rows of E001" in line and "2024-05-08" in line
    assert employee(root, "E001")["attended_days"] == 1  # paid from the hire date, as the rulebook says


def test_leave_and_violations_after_the_leave_date_are_named(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "roster.csv": ROSTER_HEAD + "E001,张三,junior,2023-01-09,2024-05-10,\nE002,李四,mid,2022-03-01,,\n",
        "leave.csv": "employee_id,start_date,end_date,type\nE001,2024-05-09,2024-05-14,annual\n",
        "violations.csv": "date,employee_id,code\n2024-05-20,E001,desk_untidy\n"}))
    assert_problem(root, "leave.csv", 2, "end_date", "outside_employment", "warning")
    assert_problem(root, "violations.csv", 2, "date", "outside_employment", "warning")


@pytest.mark.parametrize("hire,code", [("2099-05-01", "hire_date_in_future"), ("1949-12-31", "hire_date_out_of_range")])
def test_hire_date_in_the_future_or_before_1950(tmp_path: Path, hire: str, code: str) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "roster.csv": ROSTER_HEAD + f"E001,张三,junior,{hire},,\nE002,李四,mid,2022-03-01,,\n"}))
    assert_problem(root, "roster.csv", 2, "hire_date", code)
    payroll_refuses(root)


@pytest.mark.parametrize("money,code", [("17000000173", "money_out_of_range"),
                                        ("99999999999999999999", "money_out_of_range"),
                                        ("1e30", "bad_number"), ("10000000", "money_out_of_range")])
def test_base_salary_beyond_any_payroll(tmp_path: Path, money: str, code: str) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "roster.csv": ROSTER_HEAD + f"E001,张三,junior,2023-01-09,,{money}\nE002,李四,mid,2022-03-01,,\n"}))
    assert_problem(root, "roster.csv", 2, "base_salary", code)
    payroll_refuses(root)


def test_the_largest_plausible_salary_is_read(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "roster.csv": ROSTER_HEAD + "E001,张三,junior,2023-01-09,,9999999.99\nE002,李四,mid,2022-03-01,,\n"}))
    assert employee(root, "E001")["base_salary"] == "9999999.99"


@pytest.mark.parametrize("cell,code", [("5000", "out_of_range"), ("1e30", "out_of_range"), ("inf", "bad_number"),
                                       ("-5", "negative_number")])
def test_minutes_in_a_sane_range(tmp_path: Path, cell: str, code: str) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "violations.csv": f"date,employee_id,code,minutes\n2024-05-06,E001,off_post,{cell}\n"}))
    assert_problem(root, "violations.csv", 2, "minutes", code)
    payroll_refuses(root)


def test_points_in_a_sane_range(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "violations.csv": "date,employee_id,code,points\n2024-05-06,E001,desk_untidy,50\n"}))
    assert_problem(root, "violations.csv", 2, "points", "out_of_range")


def test_no_value_a_file_can_hold_is_an_internal_error(tmp_path: Path) -> None:
    """A roster and sign-in sheet full of hostile values: exit 1, a line per cell, no exit 3."""
    roster = (ROSTER_HEAD + "E001,张三,junior,0024-05-06,9999-99-99,1e999\n"
              "E002,李四,mid,2022-03-01,,-0\nE003,王五,senior,2024/13/40,,１２００\n")
    signin = ("employee_id,date,sign_in,sign_out\nE001,2024-05-06,99:99,18:05\nE002,2024-05-06,-1:00,1e30\n"
              "E002,2024-05-07,24:00:00,18:00\n")
    root = make_folder(tmp_path, valid_files(**{"roster.csv": roster, "signin/2024-05.csv": signin}))
    for cmd in (["validate", "--data", root], ["payroll", "2024-05", "--data", root, "--format", "csv"]):
        result = run_cli(*cmd)
        assert result.exit_code == 1, result.stdout + result.stderr
