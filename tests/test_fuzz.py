"""The fuzz runs in CI on a small sample (issue 15, "Done when"): every mutation kind once, on the
sample department, and a canary showing the harness fails when the tool crashes or changes pay.
`make fuzz` runs 300 cases; this is its first few dozen, with a fixed seed."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from paths import REPO, SAMPLE

sys.path.insert(0, str(REPO / "scripts"))
import fuzz  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated(isolated: Path) -> None:
    """No $CS_RULES_DATA and no rules.toml from the caller's folder leak into a test."""


def test_every_mutation_kind_once_nothing_crashes_and_no_pay_changes_silently() -> None:
    kinds = len(fuzz.NEUTRAL) + len(fuzz.HOSTILE) + len(fuzz.SHEET_MUTATIONS)
    failed = fuzz.fuzz(SAMPLE, "2024-05", kinds, seed=7, log=lambda s: None)
    assert not failed, "\n".join(f"{c.mutation} on {c.target}: {c.failures}" for c in failed)


def test_neutral_mutations_keep_the_table_readable() -> None:
    """Each neutral mutation really is neutral to a reader: same rows, same cells."""
    raw = (SAMPLE / "violations.csv").read_bytes()
    rows = fuzz._csv_rows(raw)
    for name in ("as_gbk", "as_utf8_bom", "crlf", "quote_all", "trailing_blank_lines"):
        out = fuzz.NEUTRAL[name](random.Random(1), raw)
        assert [r for r in fuzz._csv_rows(out.replace(b"\r\n", b"\n")) if r] == rows, name


def test_canary_the_harness_catches_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    from cs_rules import api

    def broken(*a: object, **k: object) -> object:
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(api, "payroll", broken)
    case = fuzz.Case(0, "crlf", "violations.csv", True)
    case.runs.append(fuzz.run_cli(["payroll", "2024-05", "--data", str(SAMPLE), "--format", "csv"]))
    fuzz.judge(case, None)
    assert case.failures and "crash" in case.failures[0]


def test_canary_the_harness_catches_pay_changed_silently() -> None:
    base = fuzz.Run(["payroll"], 0, "CS001,2700.00\n", "")
    moved = fuzz.Run(["payroll"], 0, "CS001,2550.00\n", "")
    case = fuzz.Case(0, "as_gbk", "signin/2024-05.csv", True, runs=[moved])
    fuzz.judge(case, base)
    assert case.failures and "changed the payroll" in case.failures[0]
    hostile = fuzz.Case(1, "bad_cell", "signin/2024-05.csv", False, runs=[moved])
    fuzz.judge(hostile, base)
    assert hostile.failures and "without a warning" in hostile.failures[0]
    warned = fuzz.Case(2, "bad_cell", "signin/2024-05.csv", False,
                       runs=[fuzz.Run(["payroll"], 0, moved.stdout, "warning: x.csv:3: odd — fix")])
    fuzz.judge(warned, base)
    assert not warned.failures
