"""Issue "Real exports": payroll from the real WeCom export, checked against the export itself.

The check re-reads the punch sheet (打卡详情) with openpyxl, independently of the
loaders, and counts late / early / missing per person the way a clerk would by
hand: earliest punch after 09:00:00 is late, latest before 17:30 (winter, 篇1 §一.1)
is early, a single punch is a missing punch — on department workdays only
(Sunday rest, Spring Festival block 02-15..02-23), for people without leave.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from paths import REAL
from typer.testing import CliRunner

from cs_rules.cli import app

EXPORT = REAL / "wecom-上下班打卡_日报_20260201-20260228.xlsx"
GRADES = ["probation", "junior", "mid", "senior", "reserve_supervisor"]

pytestmark = pytest.mark.skipif(not EXPORT.exists(), reason="shared WeCom fixture not present")


def _workday(d: dt.date) -> bool:
    if dt.date(2026, 2, 15) <= d <= dt.date(2026, 2, 23):
        return False
    return d.isoweekday() != 7


def _by_hand() -> dict[str, dict[str, int]]:
    wb = openpyxl.load_workbook(EXPORT, read_only=True, data_only=True)
    ws = wb["打卡详情"]
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[2])
    i_date, i_acct, i_time, i_leave, i_kind = (header.index(c) for c in
                                               ("日期", "账号", "实际打卡时间", "假勤申请", "打卡类型"))
    punches: dict[tuple[str, dt.date], list[tuple[str, str]]] = {}
    on_leave: set[str] = set()
    for r in rows[3:]:
        if not r[i_acct]:
            continue
        acct = str(r[i_acct])
        if r[i_leave] not in (None, "", "--"):
            on_leave.add(acct)
        t = r[i_time]
        if t in (None, "", "--", "未打卡"):
            continue
        y, m, d = (int(x) for x in str(r[i_date])[:10].split("/"))
        punches.setdefault((acct, dt.date(y, m, d)), []).append((str(t)[:5], str(r[i_kind])))
    out: dict[str, dict[str, int]] = {}
    for (acct, day), times in punches.items():
        if acct in on_leave or not _workday(day):
            continue
        c = out.setdefault(acct, {"late": 0, "early": 0, "missing": 0})
        times.sort()
        if len(times) == 1:  # one punch: a 上班 punch is the sign-in, a 下班 punch the sign-out
            c["missing"] += 1
            t, kind = times[0]
            if kind == "上班" and t > "09:00":
                c["late"] += 1
            if kind == "下班" and t < "17:30":
                c["early"] += 1
            continue
        if times[0][0] > "09:00":
            c["late"] += 1
        if times[-1][0] < "17:30":
            c["early"] += 1
    return out


@pytest.fixture()
def wecom_folder(tmp_path: Path) -> Path:
    (tmp_path / "signin").mkdir()
    shutil.copy(EXPORT, tmp_path / "signin" / EXPORT.name)
    runner = CliRunner()
    res = runner.invoke(app, ["roster", "init", "--from", str(tmp_path / "signin" / EXPORT.name),
                              "-o", str(tmp_path / "roster.csv")])
    assert res.exit_code == 0, res.output
    text = (tmp_path / "roster.csv").read_text("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    # leave_date and note: people the export marks （离职） are flagged for HR (issue 12)
    assert rows[0] == ["employee_id", "name", "grade", "hire_date", "vendor_id", "leave_date", "note"]
    for i, r in enumerate(rows[1:]):  # HR fills in grade and hire date
        r[2], r[3] = GRADES[i % 5], "2025-06-01"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (tmp_path / "roster.csv").write_text(buf.getvalue(), "utf-8")
    # nobody has a punch on Tuesday 02-24, a workday by the national calendar: payroll stops until HR
    # says what the day was (issue 13 §3); the export itself calls everyone 旷工 that day, so: a workday
    (tmp_path / "calendar.csv").write_text("date,type,name\n2026-02-24,workday,无人打卡（已核实）\n", "utf-8")
    return tmp_path


def test_roster_init_lists_everyone_in_the_export(wecom_folder: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((wecom_folder / "roster.csv").read_text("utf-8"))))
    assert len(rows) == 14
    assert {r["name"] for r in rows} >= {"李明", "王芳", "赵强"}
    assert all(r["vendor_id"] for r in rows)


def test_payroll_2026_02_counts_match_the_export_by_hand(wecom_folder: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["payroll", "2026-02", "--data", str(wecom_folder), "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["workdays"] == 17
    hand = _by_hand()
    got = {e["employee_id"]: e for e in doc["employees"]}
    assert hand, "no person without leave in the export"
    for acct, c in hand.items():
        e = got[acct]
        assert (e["late_count"], e["early_leave_count"], e["missing_punch_count"]) == \
            (c["late"], c["early"], c["missing"]), acct


def test_a_day_nobody_punched_stops_payroll_until_the_calendar_says(wecom_folder: Path) -> None:
    (wecom_folder / "calendar.csv").unlink()
    res = CliRunner().invoke(app, ["payroll", "2026-02", "--data", str(wecom_folder), "--format", "csv"])
    assert res.exit_code == 1
    assert "nobody due at work has a punch on 1 workday(s) of 2026-02: 2026-02-24" in res.stderr and "calendar.csv" in res.stderr


def test_validate_reports_vendor_leave_and_disagreements(wecom_folder: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["validate", "--data", str(wecom_folder), "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    codes = {w["code"] for f in doc["files"] for w in f["warnings"]}
    assert "vendor_disagrees" in codes
    assert "vendor_not_leave" in codes  # 出差 is not leave, and is said so


def _statuses_by_hand() -> dict[str, dict[str, int]]:
    """Days per person the export's own 打卡状态 calls late / early / missing (失效 punches do not count).

    A day whose every punch is 缺卡 is one the export's 考勤结果 calls 旷工: an absence, not a missing punch.
    """
    wb = openpyxl.load_workbook(EXPORT, read_only=True, data_only=True)
    rows = list(wb["打卡详情"].iter_rows(values_only=True))
    header = list(rows[2])
    i_date, i_acct, i_status = (header.index(c) for c in ("日期", "账号", "打卡状态"))
    days: dict[str, dict[str, set[str]]] = {}
    statuses: dict[tuple[str, str], list[str]] = {}
    for r in rows[3:]:
        if not r[i_acct] or not r[i_status]:
            continue
        st = str(r[i_status])
        if st.startswith("失效"):
            continue
        statuses.setdefault((str(r[i_acct]), str(r[i_date])), []).append(st)
    for (acct, day), sts in statuses.items():
        c = days.setdefault(acct, {"late": set(), "early": set(), "missing": set()})
        if all("缺卡" in st for st in sts) and len(sts) > 1:
            continue  # no punch at all: 旷工
        for key, word in (("late", "迟到"), ("early", "早退"), ("missing", "缺卡")):
            if any(word in st for st in sts):
                c[key].add(day)
    return {a: {k: len(v) for k, v in c.items()} for a, c in days.items()}


def test_vendor_schedule_counts_equal_the_exports_own_statuses(wecom_folder: Path) -> None:
    """RULEBOOK §1b `[attendance] schedule = "vendor"`: the company's configured rule (a flexible one here)
    is honoured: late / early / missing days equal the export's 打卡状态 for every person."""
    (wecom_folder / "rules.toml").write_text('[attendance]\nschedule = "vendor"\n', "utf-8")
    res = CliRunner().invoke(app, ["payroll", "2026-02", "--data", str(wecom_folder), "--format", "json"])
    assert res.exit_code == 0, res.output
    got = {e["employee_id"]: e for e in json.loads(res.stdout)["employees"]}
    hand = _statuses_by_hand()
    assert len(hand) == 14
    for acct, c in hand.items():
        e = got[acct]
        assert (e["late_count"], e["early_leave_count"], e["missing_punch_count"]) == \
            (c["late"], c["early"], c["missing"]), acct
