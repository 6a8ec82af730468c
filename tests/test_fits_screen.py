"""Fits the screen (issue 16 §2): the payroll table takes the columns that fit 80, 100 and 160
columns and says which it left out; no number is wrapped or cut; fines, score and explain keep
the file:row source whole at 100 columns, relative to the data folder; score names each person once."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from conftest import run_cli
from paths import SAMPLE
from rich.cells import cell_len

from cs_rules import api
from cs_rules.reports.terminal import render_payroll


@pytest.fixture(autouse=True)
def _isolated(isolated: Path) -> None:
    """No $CS_RULES_DATA and no rules.toml from the caller's folder leak into a test."""


@pytest.fixture(scope="module")
def may():
    ctx = api.open_data(SAMPLE)
    return api.payroll(ctx, "2024-05")


def payroll_text(res, width: int) -> str:
    buf = io.StringIO()
    render_payroll(res, file=buf, width=width)
    return buf.getvalue()


@pytest.mark.parametrize("width", [80, 100, 160])
def test_payroll_fits_and_never_cuts_a_number(may, width: int) -> None:
    text = payroll_text(may, width)
    lines = text.splitlines()
    assert max(cell_len(ln.rstrip()) for ln in lines) <= width, [ln for ln in lines if cell_len(ln.rstrip()) > width]
    doc = may.payroll_json()
    body = "\n".join(lines)
    for e in doc["employees"]:  # every net pay and fine whole, on its person's line
        row = next(ln for ln in lines if ln.strip().startswith(e["employee_id"] + " "))
        assert f" {e['net_pay']} " in row + " " and f" {e['fines_total']} " in row + " ", row
    assert doc["totals"]["net_pay"] in body
    header = next(ln for ln in lines if ln.strip().startswith("id "))
    for col in ("id", "name", "days", "absent", "fines", "net pay", "score"):
        assert col in header, (width, header)


@pytest.mark.parametrize("width", [80, 100])
def test_narrow_payroll_says_what_it_left_out(may, width: int) -> None:
    lines = payroll_text(may, width).splitlines()
    hidden = [ln for ln in lines if ln.startswith("hidden: ")]
    assert len(hidden) == 1, lines[-8:]
    assert "--format csv" in hidden[0] and "-o payroll.xlsx" in hidden[0]
    header = next(ln for ln in lines if ln.strip().startswith("id "))
    left = hidden[0][len("hidden: "):].split(" (")[0].split(", ")
    assert left and all(f" {c} " not in f" {header} " for c in left)


def test_wide_payroll_shows_everything(may) -> None:
    text = payroll_text(may, 160)
    assert "hidden:" not in text
    header = next(ln for ln in text.splitlines() if ln.strip().startswith("id "))
    for col in ("L/E/M", "leave", "base pay", "perf", "bonus", "penalty"):
        assert col in header


def sources_of(cmd: str, *args: str) -> list[str]:
    result = run_cli(cmd, *args, "--data", SAMPLE, "--format", "json")
    doc = json.loads(result.stdout)
    if cmd == "fines":
        return [i["source"] for i in doc["items"] if i["source"]]
    if cmd == "score":
        return [d["source"] for e in doc["employees"] for d in e["deductions"] if d["source"]]
    return [ln["source"] for ln in doc["lines"] if ln["source"]]


@pytest.mark.parametrize("cmd,args", [
    ("fines", ("CS002", "2024-05")),
    ("score", ("2024-05", "CS019")),
    ("explain", ("CS002", "2024-05")),
])
def test_sources_whole_at_100_columns(monkeypatch: pytest.MonkeyPatch, cmd: str, args: tuple[str, ...]) -> None:
    sources = sources_of(cmd, *args)
    assert sources
    monkeypatch.setenv("COLUMNS", "100")
    result = run_cli(cmd, *args, "--data", SAMPLE, "--format", "table")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(cell_len(ln.rstrip()) for ln in lines) <= 100
    prefix = f"{SAMPLE}/"
    for s in sources:
        assert s.startswith(prefix) or not Path(s.split(":")[0]).is_absolute()
        short = s[len(prefix):] if s.startswith(prefix) else s
        assert any(short in ln for ln in lines), (short, lines)  # whole, on one line, relative to the data folder
    assert not any(prefix in ln for ln in lines[1:] if ":" in ln and "sources in" not in ln and "source (in" not in ln)


def test_score_names_each_person_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    result = run_cli("score", "2024-05", "--data", SAMPLE, "--format", "table")
    assert result.exit_code == 0
    assert result.stdout.count("林小红") == 1 and result.stdout.count("李娜") == 1
    assert result.stdout.count("violations.csv:") >= 3


# ------------------------------------------------------------------ the daily record (attendance)
@pytest.fixture(scope="module")
def may_days():
    ctx = api.open_data(SAMPLE)
    days = api.attendance(ctx, "2024-05", None, None).days
    days.attrs["words"] = ctx.rules.words("zh")
    return days


def attendance_text(days, width: int, one: bool, lang: str = "zh") -> str:
    from cs_rules import i18n
    from cs_rules.reports.terminal import render_attendance

    before = i18n.current()
    i18n.use(lang)
    i18n.set_words(days.attrs.get("words") or {})
    try:
        buf = io.StringIO()
        render_attendance(days, "2024-05", one, file=buf, width=width)
        return buf.getvalue()
    finally:
        i18n.use(before)


def day_lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if re.search(r"\b\d\d-\d\d (一|二|三|四|五|六|日|Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b", ln)]


@pytest.mark.parametrize("width", [80, 100, 160])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_attendance_fits_and_keeps_every_punch_whole(may_days, width: int, lang: str) -> None:
    """At 100 columns the record was 16 columns one letter wide, each time cut into a column of
    digits; now every line fits, and each day's line holds its date, status and every punch whole."""
    one = may_days[may_days["employee_id"] == "CS002"]
    for days, single in ((one, True), (may_days, False)):
        text = attendance_text(days, width, single, lang)
        lines = text.splitlines()
        assert max(cell_len(ln.rstrip()) for ln in lines) <= width, [ln for ln in lines if cell_len(ln) > width]
        shown = day_lines(text)
        assert len(shown) == len(days)  # one line per person-day: nothing wrapped, nothing dropped
        for line, r in zip(shown, days.itertuples(), strict=True):
            assert r.date[5:] in line
            for p in r.punches.split(";") if r.punches else []:
                assert f" {p}" in line, (p, line)
            if r.late_minutes:
                assert f" {r.late_minutes} " in line + " ", line
        if lang == "zh":
            assert "present" not in text and "正常" in text and "迟到" in text


def test_narrow_attendance_says_what_it_left_out(may_days) -> None:
    text = attendance_text(may_days, 80, False, "en")
    hidden = [ln for ln in text.splitlines() if ln.startswith("hidden: ")]
    assert len(hidden) == 1 and "--format csv" in hidden[0], text[-400:]
    assert "source" in hidden[0]
    assert "hidden" not in attendance_text(may_days, 160, False, "en")


def test_attendance_names_the_person_once(may_days) -> None:
    text = attendance_text(may_days, 160, False, "zh")
    assert sum(1 for ln in text.splitlines() if " CS002 " in f" {ln} ") == 1
    single = attendance_text(may_days[may_days["employee_id"] == "CS002"], 100, True, "zh").splitlines()
    assert single[0].startswith("考勤 2024-05 · CS002 ") and not any("CS002" in ln for ln in single[1:])
