"""A progress bar for the slow steps (issue 16 §8): on a terminal only, after about a second,
moving as the workbook's sheets are written; pipes and logs never see it."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from conftest import run_cli
from paths import SAMPLE
from rich.console import Console

from cs_rules import api
from cs_rules.reports.progress import progress_bar
from cs_rules.reports.workbook import WORKBOOK_STEPS, write_workbook


@pytest.fixture(autouse=True)
def _isolated(isolated: Path) -> None:
    """No $CS_RULES_DATA and no rules.toml from the caller's folder leak into a test."""


def test_the_workbook_tells_its_progress_to_one_hundred(tmp_path: Path) -> None:
    ctx = api.open_data(SAMPLE)
    res = api.payroll(ctx, "2024-05")
    told: list[float] = []
    write_workbook(res, ctx.data, tmp_path / "p.xlsx", advance=told.append)
    assert sum(WORKBOOK_STEPS.values()) == 100
    assert sum(told) == 100 and len(told) == len(WORKBOOK_STEPS)
    assert (tmp_path / "p.xlsx").stat().st_size > 0


def test_the_bar_draws_on_a_terminal_once_the_step_is_slow() -> None:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=80)
    with progress_bar("正在写入 x.xlsx", 100, delay=0.05, console=console) as advance:
        time.sleep(0.4)
        advance(50)
        time.sleep(0.3)
    assert "正在写入 x.xlsx" in buf.getvalue()


def test_a_quick_step_draws_nothing() -> None:
    buf = io.StringIO()
    with progress_bar("quick", 10, delay=5, console=Console(file=buf, force_terminal=True)) as advance:
        advance(10)
    assert buf.getvalue() == ""


def test_not_on_a_terminal_stderr_stays_clean(tmp_path: Path) -> None:
    res = run_cli("payroll", "2024-05", "--data", SAMPLE, "-o", tmp_path / "p.xlsx")
    assert res.exit_code == 0, res.stderr
    assert "━" not in res.stderr and "\x1b" not in res.stderr
    slips = run_cli("payslips", "2024-05", "--data", SAMPLE, "-o", tmp_path / "slips")
    assert slips.exit_code == 0 and "━" not in slips.stderr
    assert slips.stderr.strip().splitlines()[-1].startswith("wrote 19 payslip(s) for 2024-05")
