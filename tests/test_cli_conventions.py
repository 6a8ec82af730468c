"""Command-line conventions of issue 16 §5: argument order, MONTH forms, --version, one-line
usage errors, validate's paths and roster, the BOM through a redirect, replacing our own reports."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROSTER_CSV, make_folder, run_cli
from paths import REPO, SAMPLE

from cs_rules.model.month import looks_like_month, parse_month
from cs_rules.problems import UsageError


@pytest.fixture(autouse=True)
def _isolated(isolated: Path) -> None:
    """No $CS_RULES_DATA and no rules.toml from the caller's folder leak into a test."""


# ------------------------------------------------------------------------- MONTH
@pytest.mark.parametrize("text", ["2024-05", "2024/05", "2024/5", "202405", "2024年5月", "2024年05月", " 2024-5 "])
def test_month_forms(text: str) -> None:
    assert parse_month(text) == (2024, 5)
    assert looks_like_month(text)


@pytest.mark.parametrize("text", ["2024-13", "CS002", "24-05", "2024", "20240", "李娜", "2024年13月", ""])
def test_not_a_month(text: str) -> None:
    assert not looks_like_month(text)
    with pytest.raises(UsageError) as exc:
        parse_month(text)
    assert "2024年5月" in exc.value.hint


def _json(*args: object) -> dict:
    result = run_cli(*args, "--data", SAMPLE, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_payroll_takes_chinese_month() -> None:
    assert _json("payroll", "2024年5月")["month"] == "2024-05"
    assert _json("payroll", "202405") == _json("payroll", "2024-05")


@pytest.mark.parametrize("cmd,documented,swapped", [
    ("fines", ("CS002", "2024-05"), ("2024-05", "CS002")),
    ("score", ("2024-05", "CS019"), ("CS019", "2024-05")),
    ("explain", ("CS002", "2024-05"), ("2024/05", "CS002")),
])
def test_employee_and_month_in_either_order(cmd: str, documented: tuple[str, str], swapped: tuple[str, str]) -> None:
    assert _json(cmd, *swapped) == _json(cmd, *documented)


def test_fines_with_only_a_month_says_employee_is_missing() -> None:
    result = run_cli("fines", "2024-05", "--data", SAMPLE)
    assert result.exit_code == 2
    assert "no employee" not in result.stderr
    assert "EMPLOYEE is missing" in result.stderr and "cs-rules fines EMPLOYEE 2024-05" in result.stderr


# ------------------------------------------------------------- version and usage errors
def test_version() -> None:
    from importlib.metadata import version

    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"cs-rules {version('cs-rules')}"


@pytest.mark.parametrize("args,what", [
    (["payroll"], "missing argument"),
    (["payroll", "2024-05", "--bogus"], "no such option: --bogus"),
    (["nosuchcommand"], "no such command"),
    (["roster", "init"], "missing option '--from'"),
    (["payroll", "2024-05", "--lang", "fr"], "unknown language 'fr'"),
])
def test_usage_errors_are_one_line(args: list[str], what: str) -> None:
    result = run_cli(*args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and " — " in lines[0] and what in lines[0], lines
    assert "╭" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize("args,what", [
    (["payroll"], "缺少参数 'month'"),
    (["payroll", "2024-05", "--bogus"], "没有选项 --bogus"),
    (["nosuchcommand"], "没有命令 'nosuchcommand'"),
    (["roster", "init"], "缺少选项 '--from'"),
    (["payroll", "2024-05", "x", "y"], "多余的参数（x y）"),
    (["payroll", "2024-05", "--data"], "cs-rules payroll：选项 '--data' 后面要写一个值"),
])
def test_usage_errors_speak_chinese_on_a_chinese_terminal(args: list[str], what: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Click fails before a command sets the language, so its usage errors were English on a zh
    terminal (issue 16 §1): the language comes from --lang on the line, then the environment."""
    monkeypatch.setenv("CS_RULES_LANG", "zh")
    result = run_cli(*args)
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("错误：cs-rules") and what in line and "用法见 `cs-rules" in line, line
    said = line.split(" — ")[0].split("：", 2)[-1]  # what is wrong, after the command's name
    assert not re.search(r"[A-Za-z]+ [a-z]+ [a-z]+", said), line  # no English sentence
    assert run_cli(*args, "--lang", "en").stderr.startswith("error: cs-rules")


def test_usage_error_in_a_real_process() -> None:
    proc = subprocess.run([sys.executable, "-m", "cs_rules", "payroll", "2024-05", "--nope"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: ") and "payroll: no such option: --nope" in proc.stderr


# --------------------------------------------------------------------- validate PATHs
def test_validate_paths_relative_to_data() -> None:
    result = run_cli("validate", "signin/2024-05.csv", "--data", SAMPLE)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "2024-05.csv" in result.stdout


def test_validate_pattern_the_shell_left_alone() -> None:
    """`validate signin/*.xlsx --data sample_data` from a folder where the pattern matches nothing."""
    result = run_cli("validate", "signin/*.xlsx", "--data", SAMPLE)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "2024-04.xlsx" in result.stdout


def test_validate_missing_path_names_both_places() -> None:
    result = run_cli("validate", "signin/nope.csv", "--data", SAMPLE)
    assert result.exit_code == 2
    assert "signin/nope.csv" in result.stderr and "data folder" in result.stderr


STRANGER = "employee_id,date,sign_in,sign_out\nE001,2024-05-06,08:50,18:05\nE404,2024-05-06,08:50,18:05\n"


def test_validate_files_finds_roster_in_parent_folder(tmp_path: Path) -> None:
    root = make_folder(tmp_path, {"roster.csv": ROSTER_CSV, "signin/2024-05.csv": STRANGER})
    result = run_cli("validate", root / "signin" / "2024-05.csv")
    assert "E404" in result.stdout, result.stdout  # checked against the roster found one folder up
    assert "no roster" not in result.stdout


def test_validate_files_without_roster_says_so(tmp_path: Path) -> None:
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / "2024-05.csv").write_text(STRANGER, encoding="utf-8")
    result = run_cli("validate", loose / "2024-05.csv")
    assert result.exit_code == 0
    assert "warning:" in result.stdout and "no roster found" in result.stdout
    assert "1 warning(s)" in result.stdout


# --------------------------------------------------------------------------- the BOM
def _payroll_process(stdout: object, *extra: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "cs_rules", "payroll", "2024-05", "--data", str(SAMPLE),
                           "--format", "csv", *extra], stdout=stdout, stderr=subprocess.PIPE, timeout=120,
                          cwd=REPO)


def test_csv_redirected_to_a_file_gets_a_bom(tmp_path: Path) -> None:
    target = tmp_path / "工资.csv"
    with open(target, "wb") as fh:
        assert _payroll_process(fh).returncode == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfemployee_id,")
    assert "李娜" in data.decode("utf-8-sig")


def test_csv_into_a_pipe_has_no_bom() -> None:
    proc = _payroll_process(subprocess.PIPE)
    assert proc.returncode == 0 and proc.stdout.startswith(b"employee_id,")
    assert _payroll_process(subprocess.PIPE, "--bom").stdout.startswith(b"\xef\xbb\xbf")


def test_no_bom_overrides_the_redirect(tmp_path: Path) -> None:
    target = tmp_path / "p.csv"
    with open(target, "wb") as fh:
        assert _payroll_process(fh, "--no-bom").returncode == 0
    assert target.read_bytes().startswith(b"employee_id,")


def test_append_redirect_gets_no_bom_in_the_middle(tmp_path: Path) -> None:
    target = tmp_path / "p.csv"
    target.write_bytes(b"old\n")
    with open(target, "ab") as fh:
        assert _payroll_process(fh).returncode == 0
    assert target.read_bytes().startswith(b"old\nemployee_id,")


# ------------------------------------------------------------- replacing our own reports
@pytest.mark.parametrize("name", ["payroll.xlsx", "payroll.csv", "signin/payroll.csv", "payroll.json"])
def test_own_report_in_data_folder_may_be_overwritten(tmp_path: Path, name: str) -> None:
    data = tmp_path / "d"
    shutil.copytree(SAMPLE, data)
    for _ in range(2):
        result = run_cli("payroll", "2024-05", "--data", data, "-o", data / name)
        assert result.exit_code == 0, result.stderr
    check = run_cli("validate", "--data", data)
    assert check.exit_code == 0, check.stdout
    assert f"{name}: a report cs-rules wrote" in check.stdout


def test_real_input_is_still_protected(tmp_path: Path) -> None:
    data = tmp_path / "d"
    shutil.copytree(SAMPLE, data)
    before = (data / "leave.csv").read_bytes()
    result = run_cli("payroll", "2024-05", "--data", data, "-o", data / "leave.csv")
    assert result.exit_code == 2
    assert "refusing to overwrite the input file" in result.stderr
    assert (data / "leave.csv").read_bytes() == before
