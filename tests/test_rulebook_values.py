"""Rulebook values of issue 16 §6: money as TOML integers and decimal-safe numbers as well as
text (`min_wage = 2690`, `desk_untidy = 10`), and binary floats that are not exact in two
decimals refused with the fix."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import run_cli

from cs_rules.rulebook import load_rulebook

ISSUE_EXAMPLE = "[compliance]\nmin_wage = 2690\n\n[fines]\ndesk_untidy = 10\n"


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "rules.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_issue_example_loads(tmp_path: Path) -> None:
    book, problems = load_rulebook(write(tmp_path, ISSUE_EXAMPLE))
    assert problems == []
    assert book.money("compliance.min_wage") == Decimal("2690")
    assert book.entry("fine", "desk_untidy").money("amount") == Decimal("10")


def test_integer_money_shown_as_money_text(tmp_path: Path) -> None:
    """JSON money is text with two decimals (DATA.md), however rules.toml wrote it."""
    p = write(tmp_path, "[compliance]\nmin_wage = 2690\n\n[fines]\ndesk_untidy = 12\nmissing_punch = 15.5\n")
    result = run_cli("rules", "--rules", p, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rules = json.loads(result.stdout)["rules"]
    assert rules["compliance"]["min_wage"] == "2690.00"
    assert rules["fines"]["desk_untidy"]["amount"] == "12.00"
    assert rules["fines"]["missing_punch"]["amount"] == "15.50"


def test_integer_min_wage_enables_the_audit(tmp_path: Path) -> None:
    result = run_cli("audit", "--rules", write(tmp_path, ISSUE_EXAMPLE), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert not [s for s in json.loads(result.stdout)["skipped"] if s["code"] == "min_wage"]


@pytest.mark.parametrize("text,line,fix", [
    ("[fines]\ndesk_untidy = 10.555\n", 2, "10.56"),
    ("[compliance]\nmin_wage = 2690.123\n", 2, "2690.12"),
])
def test_inexact_float_is_an_error_with_the_fix(tmp_path: Path, text: str, line: int, fix: str) -> None:
    result = run_cli("rules", "--rules", write(tmp_path, text))
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"error: rules.toml:{line}:") or f"rules.toml:{line}:" in first, first
    assert "not exact in two decimals" in first and fix in first
