"""`cs-rules --lang en payroll …`: --lang is each command's option, but people put it first
(as they would with git -C or docker --context); it must work there too, not be a usage error."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli
from paths import SAMPLE

from cs_rules.cli import _lang_after_command

COMMANDS = {"payroll", "validate", "fines"}


@pytest.fixture(autouse=True)
def _isolated(isolated: Path) -> None:
    """No $CS_RULES_DATA and no rules.toml from the caller's folder leak into a test."""


@pytest.mark.parametrize(("argv", "want"), [
    (["--lang", "en", "payroll", "2024-05"], ["payroll", "--lang", "en", "2024-05"]),
    (["--lang=zh", "validate"], ["validate", "--lang=zh"]),
    (["--lang", "en", "--help"], ["--help"]),
    (["--lang", "en"], []),
    (["payroll", "--lang", "en"], ["payroll", "--lang", "en"]),
    (["--version"], ["--version"]),
    (["--lang", "en", "nosuch"], ["nosuch"]),
])
def test_lang_moves_after_the_command(argv: list[str], want: list[str]) -> None:
    assert _lang_after_command(argv, COMMANDS) == want


def test_lang_first_runs_the_command_in_that_language() -> None:
    first = run_cli("--lang", "en", "payroll", "2024-05", "--data", SAMPLE, "--format", "csv")
    after = run_cli("payroll", "2024-05", "--data", SAMPLE, "--format", "csv", "--lang", "en")
    assert first.exit_code == after.exit_code == 0
    assert first.stdout == after.stdout


def test_lang_first_chooses_the_help_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CS_RULES_LANG", "en")
    zh = run_cli("--lang", "zh", "--help")
    assert zh.exit_code == 0 and "用法" in zh.stdout
    monkeypatch.setenv("CS_RULES_LANG", "zh")
    en = run_cli("--lang", "en", "--help")
    assert en.exit_code == 0 and "Usage" in en.stdout


def test_a_usage_error_after_lang_first_speaks_that_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CS_RULES_LANG", "zh")
    got = run_cli("--lang", "en", "nosuch")
    assert got.exit_code == 2
    assert "no such command 'nosuch'" in got.stderr
