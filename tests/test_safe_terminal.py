"""Issue 15 §8: whatever a cell or a file name holds reaches the terminal as text — an escape
sequence is shown escaped, rich markup in a name is a name, never a crash (exit 3) or a forged line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import run_cli

from cs_rules.problems import Problem

NAME = "王[/b]芳\x1b[31mRED"


def folder(tmp_path: Path) -> Path:
    (tmp_path / "signin").mkdir()
    (tmp_path / "roster.csv").write_text(
        f"employee_id,name,grade,hire_date\nE1,{NAME},junior,2020-01-01\n"
        "E2,李[link=http://x]娜[/link],junior,2020-01-01\n", "utf-8")
    days = [dt.date(2024, 5, d) for d in range(6, 32)]
    days = [d for d in days if d.isoweekday() != 7]
    (tmp_path / "signin" / "s.csv").write_text("employee_id,date,sign_in,sign_out\n" + "".join(
        f"{e},{d},08:55,18:05\n" for d in days for e in ("E1", "E2")), "utf-8")
    (tmp_path / "violations.csv").write_text("date,employee_id,code,note\n2024-05-07,E1,desk_untidy,x\x1b[2Jy\n",
                                             "utf-8")
    return tmp_path


@pytest.mark.parametrize("args", [("payroll", "2024-05", "--format", "table"), ("fines", "E1", "2024-05"),
                                  ("score", "2024-05", "--format", "table"), ("explain", "E1", "2024-05"),
                                  ("audit", "2024-05"), ("attendance", "2024-05", "E1", "--format", "table"),
                                  ("validate",)])
def test_names_and_notes_never_reach_the_terminal_as_control_or_markup(tmp_path: Path, args: tuple) -> None:
    root = folder(tmp_path)
    result = run_cli(*args, "--data", str(root), "--covered-through", "2024-05-31") if args[0] != "audit" else \
        run_cli(*args, "--data", str(root))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "\x1b" not in result.stdout + result.stderr  # shown as the four characters \x1b
    assert "internal error" not in result.stderr


def test_validate_names_the_cell_with_a_control_character(tmp_path: Path) -> None:
    result = run_cli("validate", "--data", str(folder(tmp_path)), "--covered-through", "2024-05-31")
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("warning:")]
    assert any("roster.csv:2:name:" in ln and "\\x1b[31m" in ln for ln in lines), lines
    assert any("violations.csv:2:note:" in ln for ln in lines), lines


def test_a_newline_in_a_file_name_cannot_forge_an_error_line() -> None:
    p = Problem("signin/a\nerror: forged.csv", 2, "date", "bad_date", "not a date", "fix it")
    assert "\n" not in p.format() and "\\x0a" in p.format()


def test_phone_and_id_numbers_in_a_shifted_row_are_masked_in_messages(tmp_path: Path) -> None:
    """篇3: phone and ID numbers are confidential; a row shifted by one cell puts them in a money
    column, and the message quoting the cell keeps only the last four digits."""
    (tmp_path / "signin").mkdir()
    (tmp_path / "signin" / "s.csv").write_text("employee_id,date,sign_in,sign_out\nE1,2024-05-06,08:55,18:05\n",
                                               "utf-8")
    (tmp_path / "roster.csv").write_text("employee_id,name,grade,hire_date,base_salary\n"
                                         "E1,王芳,junior,2020-01-01,13812345678\n"
                                         "E2,李娜,junior,2020-01-01,11010519491231002X\n", "utf-8")
    result = run_cli("validate", "--data", str(tmp_path))
    assert result.exit_code == 1
    assert "13812345678" not in result.stdout and "*******5678" in result.stdout
    assert "11010519491231002X" not in result.stdout and "002X" in result.stdout
