"""Issue 16 §1: `--help` speaks Chinese too (cs_rules/i18n/help.toml), laid out to the screen.

A clerk's first command is `cs-rules --help`; before, every help text was English whatever the
language.  The texts come from the click objects typer builds, so a new option without a zh entry
fails here, and the English comes back for --lang en in the same process."""

from __future__ import annotations

import re

import pytest
import typer.main
from conftest import run_cli

from cs_rules import cli
from cs_rules.i18n import help_texts

COMMANDS = ["payroll", "payslips", "fines", "score", "attendance", "validate", "rules", "explain", "audit",
            "promotion", "init", "roster", "roster init"]
# three English words in a row, outside option names, file names, $VARS and `code`
ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,']+[A-Za-z]{2,}){2,}")  # YYYY-MM-DD is a pattern, not words


def _texts(cmd: object) -> list[str]:
    out = [t for t in (getattr(cmd, "help", None), getattr(cmd, "short_help", None)) if t]
    out += [p.help for p in getattr(cmd, "params", []) if getattr(p, "help", None)]
    for sub in getattr(cmd, "commands", {}).values():
        out += _texts(sub)
    return out


def test_every_help_text_of_the_cli_has_chinese() -> None:
    cli.speak_help(typer.main.get_command(cli.app), "en")
    zh = help_texts()
    texts = {" ".join(t.split()) for t in _texts(typer.main.get_command(cli.app))}
    assert len(texts) > 35
    missing = sorted(texts - set(zh))
    assert not missing, "help texts without zh — add them to cs_rules/i18n/help.toml:\n" + "\n".join(missing)
    assert "Show this message and exit." in zh


@pytest.mark.parametrize("cmd", ["", *COMMANDS])
@pytest.mark.parametrize("width", [80, 100])
def test_help_in_chinese_fits_and_leaves_no_english(cmd: str, width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("CS_RULES_LANG", "zh")
    try:
        r = run_cli(*cmd.split(), "--help")
    finally:
        cli.speak_help(typer.main.get_command(cli.app), "en")  # the English back for the next test
    out = r.stdout
    assert r.exit_code == 0, out
    assert "用法：" in out and "选项" in out and "显示本帮助后退出" in out
    assert "Usage:" not in out and "Show this message" not in out
    for line in out.splitlines():
        assert _cells(line) <= width, line
        assert "…" not in line, line  # nothing cut off
        shown = re.sub(r"`[^`]*`|--[\w-]+|\$\w+|\S+\.(?:csv|xlsx|xls|toml|dat)\b|cs-rules [\w -]+|"
                       r"sample_data|\[OPTIONS\]|COMMAND \[ARGS\]\.\.\.", " ", line)
        assert not ENGLISH.findall(shown), line


def test_help_in_english_after_chinese() -> None:
    try:
        run_cli("payroll", "--help", "--lang", "zh")
    finally:
        cli.speak_help(typer.main.get_command(cli.app), "en")
    r = run_cli("payroll", "--help")
    assert "Usage:" in r.stdout and "Payroll for everyone employed in MONTH" in " ".join(r.stdout.split())
    assert "用法" not in r.stdout


def _cells(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
