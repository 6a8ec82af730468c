"""The console entry point answers a help request it has rendered before from the user's cache
(issue 17: ``--help`` ≤ 0.08 s), and never answers anything else from it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cs_rules import launch


def _run(args: list[str], cache: Path, **env: str) -> subprocess.CompletedProcess[bytes]:
    full = {k: v for k, v in os.environ.items() if k != "CS_RULES_HELP_CACHE"}
    full.update({"CS_RULES_CACHE_DIR": str(cache), "CS_RULES_LANG": "zh", "COLUMNS": "100", **env})
    return subprocess.run([sys.executable, "-m", "cs_rules", *args], capture_output=True, env=full, timeout=60)


def test_a_help_screen_is_kept_and_served_from_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _run(["payroll", "--help"], cache)
    assert first.returncode == 0 and first.stderr == b""
    assert "用法：".encode() in first.stdout and b"payroll [OPTIONS]" in first.stdout
    kept = list(cache.glob("help-*.out"))
    assert len(kept) == 1 and kept[0].read_bytes() == first.stdout
    kept[0].write_bytes(b"FROM THE CACHE\n")  # the next identical request reads this file
    again = _run(["payroll", "--help"], cache)
    assert again.returncode == 0 and again.stdout == b"FROM THE CACHE\n"


def test_anything_that_changes_the_screen_is_a_new_key(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _run(["payroll", "--help"], cache)
    narrow = _run(["payroll", "--help"], cache, COLUMNS="80")
    english = _run(["payroll", "--help"], cache, CS_RULES_LANG="en")
    assert b"Usage: " in english.stdout and "用法".encode() in narrow.stdout
    assert len(list(cache.glob("help-*.out"))) == 3


def test_a_failed_help_request_is_not_kept(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    bad = _run(["--bogus", "--help"], cache)  # no such group option: a usage error, exit 2
    assert bad.returncode == 2
    assert not list(cache.glob("help-*.out"))


@pytest.mark.parametrize("argv", [
    ["payroll", "2024-05", "--help"],  # a value: the command could read files
    ["payroll", "--data", "x", "--help"],
    ["validate", "signin/a.xlsx", "-h"],
    ["payroll", "2024-05"],  # not a help request
    [],
])
def test_only_command_words_and_help_options_are_cached(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CS_RULES_HELP_CACHE", raising=False)
    assert launch._help_key(argv) is None


def test_help_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CS_RULES_HELP_CACHE", raising=False)
    a = launch._help_key(["payroll", "--help"])
    assert a and a == launch._help_key(["payroll", "--help"])
    assert launch._help_key(["--help"]) not in (None, a)
    assert launch._help_key(["fines", "--lang", "zh", "-h"]) is not None
    monkeypatch.setenv("CS_RULES_HELP_CACHE", "off")
    assert launch._help_key(["payroll", "--help"]) is None
