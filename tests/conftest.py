"""Shared helpers for the loader / validate / CLI tests: small, generic, no domain logic."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import GOLDEN, SAMPLE
from typer.testing import CliRunner

from cs_rules.cli import app

ROOT = Path(__file__).resolve().parent.parent

# a minimal valid roster and sign-in sheet, for folders that only need one bad file
ROSTER_CSV = (
    "employee_id,name,grade,hire_date,leave_date,notice_date,base_salary\n"
    "E001,张三,junior,2023-01-09,,,\n"
    "E002,李四,mid,2022-03-01,,,\n"
)
SIGNIN_CSV = (
    "employee_id,name,date,sign_in,sign_out\n"
    "E001,张三,2024-05-06,08:50:00,18:05:00\n"
    "E002,李四,2024-05-06,08:55:00,18:10:00\n"
)


def make_folder(tmp_path: Path, files: dict[str, bytes | str]) -> Path:
    """Write ``files`` (relative path -> content) under ``tmp_path/data`` and return that folder.

    ``str`` content is written as UTF-8; ``bytes`` as given.  Parent folders are created.
    """
    root = tmp_path / "data"
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
    return root


def month_signins(month: str, ids: tuple[str, ...] = ("E001", "E002")) -> str:
    """A sign-in sheet with every workday of ``month`` on time for ``ids`` (a folder that covers its month)."""
    from engine_helpers import workdays

    rows = "".join(f"{e},,{d},08:50:00,18:05:00\n" for d in workdays(month) for e in ids)
    return "employee_id,name,date,sign_in,sign_out\n" + rows


def valid_files(**replace: bytes | str) -> dict[str, bytes | str]:
    """The files of a minimal valid folder (roster.csv, signin/2024-05.csv)."""
    return {"roster.csv": ROSTER_CSV, "signin/2024-05.csv": SIGNIN_CSV, **replace}


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite's assertions read English: every test runs with CS_RULES_LANG=en (a user's default
    is Chinese; tests/test_i18n.py asks for zh explicitly and tests the defaults with its own env)."""
    from cs_rules import i18n

    monkeypatch.setenv("CS_RULES_LANG", "en")
    monkeypatch.setenv("CS_RULES_HELP_CACHE", "off")  # no screens kept in the user's cache (test_launch.py turns it on)
    monkeypatch.setattr(i18n, "_lang", None)
    monkeypatch.setattr(i18n, "_words", {})


@pytest.fixture
def golden() -> Path:
    if not GOLDEN.is_dir():
        pytest.skip("golden fixtures not available")
    return GOLDEN


@pytest.fixture
def sample() -> Path:
    return SAMPLE


def run_cli(*args: object):
    """Invoke the CLI in-process; no run may show a traceback or an internal error."""
    result = CliRunner().invoke(app, [str(a) for a in args])
    text = result.stdout + result.stderr
    assert "Traceback" not in text, text
    assert "internal error" not in text, text
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


@pytest.fixture()
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No $CS_RULES_DATA and no rules.toml from the caller's folder leak into a test."""
    monkeypatch.delenv("CS_RULES_DATA", raising=False)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    return work
