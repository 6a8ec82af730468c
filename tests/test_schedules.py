"""Schedules (RULEBOOK §1b, issue 14): each person is paid by their own days and judged against
that day's shift — groups with their own week, rotas in shifts.csv, night shifts across midnight.

Every folder here is written by the test (made-up people), in May 2024: 23 department workdays
(Monday–Saturday, 1–5 May a holiday, Saturday 11 May a make-up workday).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import run_cli

RULES = """
[shifts.day]
start = "09:00"
end = "18:00"
cite = "篇8 §二"
zh = "白班"
en = "day"

[shifts.night]
start = "20:00"
end = "08:00"
cite = "篇8 §二"
zh = "夜班"
en = "night"

[shifts.flex]
start = "09:00"
end = "18:00"
latest_start = "10:00"
required_hours = 9
cite = "RULEBOOK §1b"
zh = "弹性班"
en = "flexible"

[shifts.strict]
start = "09:00"
end = "18:00"
half_day_late = 60
half_day_early = 60
cite = "RULEBOOK §1b"
zh = "严格班"
en = "strict"

[schedules.strict]
week = ["strict", "strict", "strict", "strict", "strict", "rest", "rest"]

[schedules.office]
week = ["day", "day", "day", "day", "day", "rest", "rest"]

[schedules.rota]
week = ["rest", "rest", "rest", "rest", "rest", "rest", "rest"]

[schedules.flexible]
week = ["flex", "flex", "flex", "flex", "flex", "rest", "rest"]
"""


def office_days() -> list[dt.date]:
    """Monday–Friday of May 2024 after the holiday, and the make-up Saturday 11 May."""
    days = [dt.date(2024, 5, d) for d in range(6, 32)]
    return [d for d in days if d.weekday() < 5 or d == dt.date(2024, 5, 11)]


def folder(tmp_path: Path, roster: list[str], punches: list[str], rota: list[str] = (),  # type: ignore[assignment]
           sheet: list[str] = ()) -> Path:  # type: ignore[assignment]
    """roster rows ``id,name,schedule``; raw punches ``id,name,YYYY-MM-DD HH:MM``; rota ``id,date,shift``;
    paired sign-in sheet rows ``id,date,in,out``."""
    (tmp_path / "signin").mkdir()
    (tmp_path / "rules.toml").write_text(RULES, "utf-8")
    (tmp_path / "roster.csv").write_text(
        "employee_id,name,grade,hire_date,schedule\n"
        + "".join(f"{i},{n},junior,2020-01-01,{s}\n" for i, n, s in (r.split(",") for r in roster)), "utf-8")
    if punches:
        (tmp_path / "signin" / "打卡记录.csv").write_text(
            "工号,姓名,打卡时间\n" + "".join(f"{p}:00\n" for p in punches), "utf-8")
    if sheet:
        (tmp_path / "signin" / "2024-05.csv").write_text(
            "employee_id,date,sign_in,sign_out\n" + "".join(f"{r}\n" for r in sheet), "utf-8")
    if rota:
        (tmp_path / "shifts.csv").write_text("employee_id,date,shift\n" + "".join(f"{r}\n" for r in rota), "utf-8")
    return tmp_path


def payroll(root: Path) -> dict[str, dict]:
    result = run_cli("payroll", "2024-05", "--data", str(root), "--format", "json", "--covered-through", "2024-05-31")
    assert result.exit_code == 0, result.stdout + result.stderr
    return {e["employee_id"]: e for e in json.loads(result.stdout)["employees"]}


def fines(root: Path, emp: str) -> list[list[str]]:
    result = run_cli("fines", emp, "2024-05", "--data", str(root), "--format", "csv", "--covered-through", "2024-05-31")
    assert result.exit_code == 0, result.stdout + result.stderr
    return [ln.split(",") for ln in result.stdout.splitlines()[1:]]


def counts(e: dict) -> tuple:
    return (e["workdays"], e["attended_days"], e["late_count"], e["early_leave_count"], e["missing_punch_count"],
            e["absent_days"])


def test_RULEBOOK_1b_two_groups_each_paid_by_their_own_days(tmp_path: Path) -> None:
    """A Monday–Friday group (Saturday rest) beside the department week: each person's workdays are
    their schedule's, the make-up Saturday is worked on the group's first shift, and nobody who
    punched on every own day is absent."""
    office = [f"A1,白班甲,{d} {t}" for d in office_days() for t in ("08:55", "18:02")]
    dept = [f"C1,全周丙,{d} {t}" for d in office_days() for t in ("08:55", "18:02")]
    dept += [f"C1,全周丙,2024-05-{d:02d} {t}" for d in (18, 25) for t in ("08:55", "18:02")]  # Saturdays
    pay = payroll(folder(tmp_path, ["A1,白班甲,office", "C1,全周丙,"], office + dept))
    assert counts(pay["A1"]) == (21, 21.0, 0, 0, 0, 0.0)
    assert counts(pay["C1"]) == (23, 23.0, 0, 0, 0, 0.0)
    assert pay["A1"]["net_pay"] == pay["C1"]["net_pay"]  # full attendance on their own days: the same pay


def test_RULEBOOK_1b_a_rota_gives_the_days_and_a_rota_only_group_works_no_make_up_day(tmp_path: Path) -> None:
    rota = ["R1,2024-05-06,day", "R1,2024-05-07,day", "R1,2024-05-08,rest"]
    punches = [f"R1,轮班丁,2024-05-0{d} {t}" for d in (6, 7) for t in ("08:58", "18:01")]
    pay = payroll(folder(tmp_path, ["R1,轮班丁,rota"], punches, rota))
    assert counts(pay["R1"]) == (2, 2.0, 0, 0, 0, 0.0)


def test_RULEBOOK_1b_a_rota_rest_day_replaces_a_workday_of_the_week(tmp_path: Path) -> None:
    days = [d for d in office_days() if d != dt.date(2024, 5, 8)]
    punches = [f"A1,白班甲,{d} {t}" for d in days for t in ("08:55", "18:02")]
    pay = payroll(folder(tmp_path, ["A1,白班甲,office"], punches, ["A1,2024-05-08,rest"]))
    assert counts(pay["A1"]) == (20, 20.0, 0, 0, 0, 0.0)


NIGHTS = ["N1,2024-05-06,night", "N1,2024-05-07,night", "N1,2024-05-08,night", "N1,2024-05-09,night"]


def test_RULEBOOK_1b_raw_punches_of_a_night_shift_are_one_day_across_midnight(tmp_path: Path) -> None:
    """20:00–08:00: the morning punch belongs to the night before; 20:10 is 10 minutes late, 07:30
    leaving 30 minutes early, a night with only its start punch a missing sign-out."""
    punches = ["N1,夜班戊,2024-05-06 19:55", "N1,夜班戊,2024-05-07 08:03",
               "N1,夜班戊,2024-05-07 20:10", "N1,夜班戊,2024-05-08 08:01",
               "N1,夜班戊,2024-05-08 19:58", "N1,夜班戊,2024-05-09 07:30",
               "N1,夜班戊,2024-05-09 19:59"]
    root = folder(tmp_path, ["N1,夜班戊,rota"], punches, NIGHTS)
    assert counts(payroll(root)["N1"]) == (4, 4.0, 1, 1, 1, 0.0)
    lines = fines(root, "N1")
    assert [(x[0], x[1], x[5]) for x in lines] == [
        ("2024-05-07", "late_early", "1. 10 min late (night 20:00–08:00)"),  # explain names the shift
        ("2024-05-08", "late_early", "2. 30 min early (night 20:00–08:00)"),
        ("2024-05-09", "missing_punch", "no sign-out")]


def test_RULEBOOK_1b_a_lone_morning_punch_of_a_night_is_its_sign_out(tmp_path: Path) -> None:
    punches = ["N1,夜班戊,2024-05-07 08:02"]  # the night of the 6th: no sign-in, a sign-out
    root = folder(tmp_path, ["N1,夜班戊,rota"], punches, NIGHTS[:1])
    assert counts(payroll(root)["N1"]) == (1, 1.0, 0, 0, 1, 0.0)
    assert [x[5] for x in fines(root, "N1")] == ["no sign-in"]


def test_RULEBOOK_1b_the_day_after_a_night_keeps_only_its_own_punches(tmp_path: Path) -> None:
    """A night on the 6th, a day shift on the 7th: the 08:00 punch closes the night; the day
    starts with the 09:05 punch, 5 minutes late (read by date alone it would be 08:00, on time)."""
    punches = ["N1,夜班戊,2024-05-06 20:00", "N1,夜班戊,2024-05-07 08:00",
               "N1,夜班戊,2024-05-07 09:05", "N1,夜班戊,2024-05-07 18:05"]
    root = folder(tmp_path, ["N1,夜班戊,rota"], punches, ["N1,2024-05-06,night", "N1,2024-05-07,day"])
    assert counts(payroll(root)["N1"]) == (2, 2.0, 1, 0, 0, 0.0)
    assert [x[5] for x in fines(root, "N1")] == ["1. 5 min late (day 09:00–18:00)"]


def test_RULEBOOK_1b_a_sign_in_sheet_row_of_a_night_carries_its_start_date(tmp_path: Path) -> None:
    sheet = ["N1,2024-05-06,19:58,08:05", "N1,2024-05-07,20:00,07:45"]
    root = folder(tmp_path, ["N1,夜班戊,rota"], [], NIGHTS[:2], sheet)
    assert counts(payroll(root)["N1"]) == (2, 2.0, 0, 1, 0, 0.0)


def test_RULEBOOK_1b_a_day_shift_sign_out_before_its_sign_in_is_refused_at_its_row(tmp_path: Path) -> None:
    root = folder(tmp_path, ["A1,白班甲,office"], [], (), ["A1,2024-05-06,18:05,08:50"])
    result = run_cli("validate", "--data", str(root), "--covered-through", "2024-05-06")
    assert result.exit_code == 1
    assert any("2024-05.csv:2:sign_out:" in ln and "night shift" in ln
               for ln in result.stdout.splitlines() if ln.startswith("error:")), result.stdout


@pytest.mark.parametrize("sign_in,sign_out,late,early", [
    ("09:45", "18:50", 0, 0),   # inside the flexible start, nine hours
    ("10:05", "19:10", 1, 0),   # after the latest start
    ("09:30", "18:00", 0, 1),   # on time, but 8.5 hours
])
def test_RULEBOOK_1b_a_flexible_shift_is_late_after_its_latest_start_early_under_its_hours(
        tmp_path: Path, sign_in: str, sign_out: str, late: int, early: int) -> None:
    punches = [f"F1,弹性己,2024-05-06 {sign_in}", f"F1,弹性己,2024-05-06 {sign_out}"]
    root = folder(tmp_path, ["F1,弹性己,flexible"], punches, ["F1,2024-05-06,flex"]
                  + [f"F1,{d},rest" for d in office_days() if d != dt.date(2024, 5, 6)])
    assert counts(payroll(root)["F1"]) == (1, 1.0, late, early, 0, 0.0)


def test_RULEBOOK_1b_a_shift_s_half_day_limit_makes_a_late_morning_half_a_day_absent(tmp_path: Path) -> None:
    """Issue 14 §1, what counts as half a day worked: on the strict shift a sign-in over 60 min late
    loses the morning (half a day absent, not a late); the office shift has no limit (a late)."""
    days = office_days()
    late_day = days[0]
    punches = [f"{i},{n},{d} {'10:30' if d == late_day else '08:55'}" for i, n in (("S1", "严格甲"), ("O1", "白班乙"))
               for d in days] + [f"{i},{n},{d} 18:02" for i, n in (("S1", "严格甲"), ("O1", "白班乙")) for d in days]
    root = folder(tmp_path, ["S1,严格甲,strict", "O1,白班乙,office"], punches)
    pay = payroll(root)
    assert counts(pay["S1"]) == (21, 20.5, 0, 0, 0, 0.5)
    assert counts(pay["O1"]) == (21, 21.0, 1, 0, 0, 0.0)
    assert [r[1] for r in fines(root, "S1")] == []  # no late fine: the half day replaced it
    doc = json.loads(run_cli("explain", "S1", "2024-05", "--data", str(root), "--format", "json",
                             "--covered-through", "2024-05-31").stdout)
    assert [(a["date"], a["days"]) for a in doc["absences"]] == [(f"{late_day}", 0.5)]
    assert doc["absences"][0]["why"].startswith("signed in 90 min late, past the half-day limit")


# ------------------------------------------------------------------ shipped example rulebooks (issue 14 §6)

def test_篇8_example_rulebook_is_shown_by_name() -> None:
    result = run_cli("rules", "--rules", "篇8", "--format", "toml")
    assert result.exit_code == 0, result.stderr
    for what in ("[shifts.full]", "[shifts.early]", "[shifts.late]", "[fines.appearance]", "篇8 §一.6",
                 "[fines.uniform_outside]"):
        assert what in result.stdout, what
    same = run_cli("rules", "--rules", "hospital", "--format", "toml").stdout
    assert same.splitlines()[1:] == result.stdout.splitlines()[1:]  # the first line names what was asked for


def test_an_unknown_rulebook_name_says_which_are_shipped() -> None:
    result = run_cli("rules", "--rules", "篇9")
    assert result.exit_code == 2
    assert "篇8" in result.stderr and "篇6" in result.stderr and "Traceback" not in result.stderr


def test_篇8_three_shifts_rotating_rest_and_its_fines(tmp_path: Path) -> None:
    """Monday–Saturday on the full-day shift unless the rota says otherwise; every breach 10 元,
    the uniform outside 20 元 (篇8 §一.6, §二.2, 岗位职责 5)."""
    days = [d for d in office_days() if d != dt.date(2024, 5, 8)] + [dt.date(2024, 5, d) for d in (18, 25)]
    punches = [f"H1,导医庚,{d} {t}" for d in days for t in ("07:55", "18:02")]
    punches = [p.replace("2024-05-13 07:55", "2024-05-13 08:20") for p in punches]  # 20 min late
    root = folder(tmp_path, ["H1,导医庚,"], punches, ["H1,2024-05-08,rest"])
    (root / "rules.toml").unlink()
    (root / "violations.csv").write_text("date,employee_id,code\n2024-05-14,H1,仪容仪表\n"
                                         "2024-05-15,H1,穿工作服出院\n", "utf-8")
    result = run_cli("fines", "H1", "2024-05", "--data", str(root), "--rules", "篇8", "--format", "csv",
                     "--covered-through", "2024-05-31")
    assert result.exit_code == 0, result.stderr
    lines = [ln.split(",")[:4] for ln in result.stdout.splitlines()[1:]]
    assert lines == [["2024-05-13", "late_early", "10.00", "篇8 §五; 篇8 岗位职责 5"],
                     ["2024-05-14", "appearance", "10.00", "篇8 §一.6"],
                     ["2024-05-15", "uniform_outside", "20.00", "篇8 §二.2"]]


def test_篇6_warning_then_fine_ladders_and_the_200_award(tmp_path: Path) -> None:
    late = {dt.date(2024, 5, d) for d in (6, 7, 8, 9)}
    days = [d for d in office_days() if d != dt.date(2024, 5, 11)] + [dt.date(2024, 5, d) for d in (11, 18, 25)]
    punches = [f"Q1,前台辛,{d} {'09:40' if d in late else '09:25'}" for d in days]
    punches += [f"Q1,前台辛,{d} 18:05" for d in days]
    root = folder(tmp_path, ["Q1,前台辛,", "Q2,前台壬,"], punches
                  + [f"Q2,前台壬,{d} {t}" for d in days for t in ("09:25", "18:05")])
    (root / "rules.toml").unlink()
    (root / "violations.csv").write_text("date,employee_id,code\n" + "".join(
        f"2024-05-{d},Q1,玩游戏\n" for d in (13, 14, 15, 16)), "utf-8")
    result = run_cli("fines", "Q1", "2024-05", "--data", str(root), "--rules", "篇6", "--format", "csv",
                     "--covered-through", "2024-05-31")
    assert result.exit_code == 0, result.stderr
    got = [(x[1], x[2]) for x in (ln.split(",") for ln in result.stdout.splitlines()[1:])]
    assert got == [("late_early", "0.00"), ("late_early", "20.00"), ("late_early", "50.00"), ("late_early", "50.00"),
                   ("off_task", "0.00"), ("off_task", "10.00"), ("off_task", "20.00"), ("off_task", "20.00")]
    assert "verbal warning" in result.stdout
    pay = run_cli("payroll", "2024-05", "--data", str(root), "--rules", "篇6", "--format", "json",
                  "--covered-through", "2024-05-31")
    q2 = next(e for e in json.loads(pay.stdout)["employees"] if e["employee_id"] == "Q2")
    assert q2["bonus_total"] == "200.00" and q2["late_count"] == 0


def test_RULEBOOK_1b_a_rest_day_worked_is_judged_by_the_persons_own_schedule(tmp_path: Path) -> None:
    """A Monday–Friday group punching on a Saturday is reported; a night's next-morning punch on a
    rest day is the night's, not a rest day worked."""
    office = [f"A1,白班甲,{d} {t}" for d in office_days() for t in ("08:55", "18:02")]
    office += ["A1,白班甲,2024-05-18 09:00", "A1,白班甲,2024-05-18 12:00"]  # a Saturday: rest for office
    night = ["N1,夜班戊,2024-05-10 19:58", "N1,夜班戊,2024-05-11 08:02"]  # the 11th is rest on the rota
    root = folder(tmp_path, ["A1,白班甲,office", "N1,夜班戊,rota"], office + night, ["N1,2024-05-10,night"])
    result = run_cli("validate", "--data", str(root), "--covered-through", "2024-05-31", "--format", "json")
    warnings = [w for f in json.loads(result.stdout)["files"] for w in f["warnings"] if w["code"] == "rest_day_punch"]
    assert len(warnings) == 1 and "A1 punched on 2024-05-18" in warnings[0]["message"]
    assert "schedule office" in warnings[0]["message"]
