"""One test (at least) per row of RULEBOOK.md §1–§6, each citing its seed clause.

Every case is a tiny data folder built by ``tests/engine_helpers.Folder`` and run
through ``cs_rules.api.open_data`` + ``cs_rules.api.payroll``.  Unless a test says
otherwise, E1 is a junior (2200.00, daily 2200/21.75 = 101.149…) employed all of
May 2024 (23 workdays, summer: day 09:00–18:00) and punches 08:55–18:05.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from engine_helpers import Folder, employee_of, fines_of, one_employee, points_of, workdays

from cs_rules import api
from cs_rules.problems import UsageError

MAY = "2024-05"
DAILY_JUNIOR = Decimal("2200") / Decimal("21.75")


def r2(x: Decimal) -> str:
    return str(x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def grid_day(res, emp: str, date: str):
    g = res.grid
    row = g[(g["employee_id"] == emp) & (g["date"] == dt.datetime.fromisoformat(date))]
    assert len(row) == 1, f"{emp} {date} not a workday in the grid"
    return row.iloc[0]


def codes(res, emp: str = "E1") -> list[str]:
    return [c for _, c, _ in fines_of(res, emp)]


def total_points(res, emp: str = "E1") -> float:
    return sum(p for _, _, p in points_of(res, emp))


# ======================================================================================
# §1 Calendar
# ======================================================================================

def test_篇1_一_2_may_2024_has_23_workdays_and_rest_days_1_to_5_12_19_26(tmp_path: Path) -> None:
    """篇1 §一.2: holiday block 05-01..05 rests, 05-11 (Sat, make-up) works, Sundays rest."""
    res = one_employee(tmp_path).run(MAY)
    assert res.workdays == 23
    assert res.payroll_json()["workdays"] == 23
    rest = sorted(d.date.day for d in res.month.days if not d.workday)
    assert rest == [1, 2, 3, 4, 5, 12, 19, 26]
    assert employee_of(res, "E1")["workdays"] == 23


def test_篇1_一_2_make_up_day_2024_05_11_is_a_workday_absent_without_punch(tmp_path: Path) -> None:
    """篇1 §一.2: the make-up Saturday 2024-05-11 is a workday; no punch there = absent."""
    res = one_employee(tmp_path, skip=("2024-05-11",)).run(MAY)
    day = next(d for d in res.month.days if d.date == dt.date(2024, 5, 11))
    assert day.workday
    e = employee_of(res, "E1")
    assert e["absent_days"] == 1.0 and e["attended_days"] == 22.0


def test_篇1_一_2_make_up_sunday_2024_04_28_is_a_workday(tmp_path: Path) -> None:
    """篇1 §一.2: 2024-04-28 (Sunday) is a national make-up day, so a department workday;
    April 2024: 30 days − 4 Sundays − Qingming 4/5/6 + make-up Sundays 7 and 28 = 25."""
    f = Folder(tmp_path).employee("E1").month_punches("E1", "2024-04", skip=("2024-04-28",))
    f.performance("E1", "2024-04", 85)
    res = f.run("2024-04")
    assert res.workdays == 25
    day = next(d for d in res.month.days if d.date == dt.date(2024, 4, 28))
    assert day.workday
    assert not next(d for d in res.month.days if d.date == dt.date(2024, 4, 4)).workday
    assert employee_of(res, "E1")["absent_days"] == 1.0


def test_篇1_一_2_ordinary_saturday_is_a_workday_sunday_rest(tmp_path: Path) -> None:
    """篇1 §一.2: Monday–Saturday work, Sunday rests (2024-05-18 Sat, 2024-05-19 Sun)."""
    res = one_employee(tmp_path).run(MAY)
    days = {d.date: d for d in res.month.days}
    assert days[dt.date(2024, 5, 18)].workday
    assert not days[dt.date(2024, 5, 19)].workday


def test_篇1_一_1_winter_day_ends_1730_in_april(tmp_path: Path) -> None:
    """篇1 §一.1: winter (10-01..04-30) ends 17:30 — 17:30:00 on 04-30 is not early, 17:29:59 is."""
    f = Folder(tmp_path).employee("E1").month_punches(
        "E1", "2024-04", sign_out="17:45:00",
        override={"2024-04-29": ("08:55:00", "17:30:00"), "2024-04-30": ("08:55:00", "17:29:59")})
    f.performance("E1", "2024-04", 85)
    res = f.run("2024-04")
    assert not grid_day(res, "E1", "2024-04-29")["early"]
    d = grid_day(res, "E1", "2024-04-30")
    assert d["early"] and d["early_minutes"] == 1
    assert employee_of(res, "E1")["early_leave_count"] == 1


def test_篇1_一_1_summer_day_ends_1800_in_may(tmp_path: Path) -> None:
    """篇1 §一.1: summer (05-01..09-30) ends 18:00 — 17:45 on 2024-05-06 is 15 minutes early."""
    res = one_employee(tmp_path, override={"2024-05-06": ("08:55:00", "17:45:00"),
                                           "2024-05-07": ("08:55:00", "18:00:00")}).run(MAY)
    d = grid_day(res, "E1", "2024-05-06")
    assert d["early"] and d["early_minutes"] == 15
    assert not grid_day(res, "E1", "2024-05-07")["early"]
    assert employee_of(res, "E1")["early_leave_count"] == 1
    assert fines_of(res, "E1") == [("2024-05-06", "late_early", "10.00")]


def test_篇1_二_1_0900_00_is_on_time_and_0900_01_is_one_minute_late(tmp_path: Path) -> None:
    """篇1 §二.1 / RULEBOOK §2.4: second precision, no grace; 09:00:01 is late by ceil(1s/60) = 1 min."""
    res = one_employee(tmp_path, override={"2024-05-06": ("09:00:00", "18:05:00"),
                                           "2024-05-07": ("09:00:01", "18:05:00")}).run(MAY)
    assert not grid_day(res, "E1", "2024-05-06")["late"]
    d = grid_day(res, "E1", "2024-05-07")
    assert d["late"] and d["late_minutes"] == 1
    e = employee_of(res, "E1")
    assert e["late_count"] == 1 and e["fines_total"] == "10.00" and e["score"] == 9.5


def test_篇4_三_1_pay_date_is_the_15th_of_next_month(tmp_path: Path) -> None:
    """篇4 §三.1: May 2024 is paid 2024-06-15 (a Saturday, a department workday)."""
    res = one_employee(tmp_path).run(MAY)
    assert res.payroll_json()["pay_date"] == "2024-06-15"


def test_篇4_三_1_pay_date_moves_back_when_15th_is_a_rest_day_holiday_sunday(tmp_path: Path) -> None:
    """篇4 §三.1: 2024-09-15 is a Sunday in the Mid-autumn block → August 2024 is paid 2024-09-14."""
    f = Folder(tmp_path).employee("E1").month_punches("E1", "2024-08")
    assert dt.date(2024, 9, 15).isoweekday() == 7
    assert f.run("2024-08").payroll_json()["pay_date"] == "2024-09-14"


def test_篇4_三_1_pay_date_moves_back_from_plain_sunday(tmp_path: Path) -> None:
    """篇4 §三.1: 2024-12-15 is a plain Sunday → November 2024 is paid Saturday 2024-12-14."""
    f = Folder(tmp_path).employee("E1").month_punches("E1", "2024-11")
    assert dt.date(2024, 12, 15).isoweekday() == 7
    assert f.run("2024-11").payroll_json()["pay_date"] == "2024-12-14"


def test_篇4_三_1_pay_date_skips_a_holiday_block_to_the_last_workday(tmp_path: Path) -> None:
    """篇4 §三.1: 2024-09 is paid on the 15th of October — inside nothing; 2024-10-15 is a Tuesday."""
    f = Folder(tmp_path).employee("E1").month_punches("E1", "2024-09")
    assert f.run("2024-09").payroll_json()["pay_date"] == "2024-10-15"


def test_篇4_三_1_december_pay_date_in_an_uncovered_year_skips_rest_days_and_says_so() -> None:
    """篇4 §三.1: December 2026 is paid in January 2027, which the holiday data may not cover.

    Payroll must not stop for that: the date still skips weekly rest days and calendar.csv
    rest days, and a note says national holidays were not consulted.
    """
    import chinese_calendar as cc

    from cs_rules.model.calendar import DeptCalendar

    try:
        cc.is_workday(dt.date(2027, 6, 1))
        pytest.skip("this chinesecalendar covers 2027")
    except NotImplementedError:
        pass
    cal = DeptCalendar(frozenset({7}))
    assert dt.date(2027, 1, 17).isoweekday() == 7
    day, note = cal.pay_date_with_note(2026, 12, 17)
    assert day == dt.date(2027, 1, 16) and "does not cover 2027" in note and "calendar.csv" in note
    with_rest = DeptCalendar(frozenset({7}), overrides={dt.date(2027, 1, 15): (False, "公司活动")})
    assert with_rest.pay_date_with_note(2026, 12, 15)[0] == dt.date(2027, 1, 14)
    assert cal.pay_date_with_note(2026, 11, 15) == (dt.date(2026, 12, 15), "")  # covered: no note


def test_篇1_一_2_calendar_csv_overrides_a_day(tmp_path: Path) -> None:
    """篇1 §一.2 / RULEBOOK §1: calendar.csv turns workday 05-06 into rest and Sunday 05-12 into a workday."""
    f = one_employee(tmp_path, skip=("2024-05-06",))
    f.day_type("2024-05-06", "rest", "公司活动").day_type("2024-05-12", "workday", "加班")
    res = f.run(MAY)
    days = {d.date: d for d in res.month.days}
    assert not days[dt.date(2024, 5, 6)].workday
    assert days[dt.date(2024, 5, 12)].workday
    assert res.workdays == 23
    e = employee_of(res, "E1")
    # 05-06 has no punch but is now a rest day (not absent); 05-12 has no punch: absent
    assert e["absent_days"] == 1.0 and e["attended_days"] == 22.0


def test_篇1_一_2_uncovered_year_2099_is_a_usage_error_naming_the_year(tmp_path: Path) -> None:
    """RULEBOOK §1: a year chinesecalendar does not cover is an error naming the year, never a guess."""
    f = Folder(tmp_path).employee("E1").punch("E1", "2099-03-02")
    with pytest.raises(UsageError) as exc:
        f.run("2099-03")
    assert "2099" in exc.value.format()
    assert "calendar.csv" in exc.value.format()


def test_篇1_一_2_uncovered_year_fully_covered_by_calendar_csv_works(tmp_path: Path) -> None:
    """RULEBOOK §1: calendar.csv covering every day of 2099-02 makes the month computable."""
    f = Folder(tmp_path).employee("E1")
    for d in range(1, 29):
        day = dt.date(2099, 2, d)
        f.day_type(str(day), "rest" if day.isoweekday() == 7 else "workday")
        if day.isoweekday() != 7:
            f.punch("E1", str(day))
    res = f.run("2099-02")
    assert res.workdays == 24
    assert employee_of(res, "E1")["absent_days"] == 0.0


# ======================================================================================
# §2 The day
# ======================================================================================

def test_篇1_五_9_unapproved_leave_is_absence(tmp_path: Path) -> None:
    """篇1 §五.9: leave that is not approved is 曠工 — absent, not leave."""
    f = one_employee(tmp_path, skip=("2024-05-07",)).leave("E1", "2024-05-07", type_="annual", approved="no")
    e = f.emp(MAY)
    assert e["absent_days"] == 1.0 and e["paid_leave_days"] == 0.0 and e["personal_leave_days"] == 0.0
    assert e["absence_penalty"] == r2(DAILY_JUNIOR)
    assert e["score"] == 5.0


def test_篇4_三_2_approved_paid_leave_is_a_paid_leave_day(tmp_path: Path) -> None:
    """RULEBOOK §2.1 / 篇4 §三.2: approved annual leave is a paid day — no deduction, no fine."""
    f = one_employee(tmp_path, skip=("2024-05-07", "2024-05-08")).leave("E1", "2024-05-07", "2024-05-08", "annual")
    e = f.emp(MAY)
    assert e["paid_leave_days"] == 2.0 and e["absent_days"] == 0.0 and e["attended_days"] == 21.0
    assert e["base_pay"] == "2200.00" and e["fines_total"] == "0.00"


def test_篇1_五_4_half_day_leave_with_punches_other_half_attended(tmp_path: Path) -> None:
    """篇1 §五.4 / RULEBOOK §2.2: half-day personal leave + punches → 0.5 leave, 0.5 attended, fine 15;
    the late sign-in (13:30) is not judged on a half-day-leave day."""
    f = one_employee(tmp_path, override={"2024-05-07": ("13:30:00", "18:05:00")})
    f.leave("E1", "2024-05-07", type_="personal", half_day="yes")
    res = f.run(MAY)
    e = employee_of(res, "E1")
    assert e["personal_leave_days"] == 0.5 and e["attended_days"] == 22.5 and e["absent_days"] == 0.0
    assert e["late_count"] == 0
    assert fines_of(res, "E1") == [("2024-05-07", "personal_leave", "15.00")]
    assert e["base_pay"] == r2(Decimal("2200") - (DAILY_JUNIOR / 2).quantize(Decimal("0.01"), ROUND_HALF_UP))


def test_篇1_五_4_half_day_leave_without_punches_other_half_absent(tmp_path: Path) -> None:
    """RULEBOOK §2.2: half-day leave with no punch → 0.5 leave and 0.5 absent (score −5, penalty half a day)."""
    f = one_employee(tmp_path, skip=("2024-05-07",)).leave("E1", "2024-05-07", type_="annual", half_day="yes")
    res = f.run(MAY)
    e = employee_of(res, "E1")
    assert e["paid_leave_days"] == 0.5 and e["absent_days"] == 0.5 and e["attended_days"] == 22.0
    assert e["absence_penalty"] == r2(DAILY_JUNIOR / 2)
    assert e["score"] == 5.0


def test_篇1_五_6_no_punch_at_all_is_absent(tmp_path: Path) -> None:
    """篇1 §五.6 / RULEBOOK §2.3: no sign-in and no sign-out → absent for the day."""
    e = one_employee(tmp_path, skip=("2024-05-08",)).emp(MAY)
    assert e["absent_days"] == 1.0 and e["attended_days"] == 22.0
    assert e["absence_penalty"] == "101.15" and e["base_pay"] == "2098.85"


def test_篇1_五_6_sign_in_row_with_both_times_empty_is_absent(tmp_path: Path) -> None:
    """RULEBOOK §2.3: a sign-in row with neither time is absent, not missing_punch."""
    e = one_employee(tmp_path, override={"2024-05-08": ("", "")}).emp(MAY)
    assert e["absent_days"] == 1.0 and e["missing_punch_count"] == 0


def test_篇1_五_3_missing_sign_out_is_one_missing_punch_day_attended(tmp_path: Path) -> None:
    """篇1 §五.3: exactly one punch missing → present, one missing_punch, fine 10."""
    res = one_employee(tmp_path, override={"2024-05-08": ("08:55:00", ""),
                                           "2024-05-09": ("", "18:05:00")}).run(MAY)
    e = employee_of(res, "E1")
    assert e["missing_punch_count"] == 2 and e["attended_days"] == 23.0 and e["absent_days"] == 0.0
    assert fines_of(res, "E1") == [("2024-05-08", "missing_punch", "10.00"),
                                   ("2024-05-09", "missing_punch", "10.00")]
    assert e["late_count"] == 0 and e["early_leave_count"] == 0


def test_篇1_二_punches_outside_the_employment_window_do_not_count(tmp_path: Path) -> None:
    """RULEBOOK §2: a joiner hired 05-20 who punched (late) on 05-17 — the punch does not count."""
    f = Folder(tmp_path).employee("E1", hire="2024-05-20").punch("E1", "2024-05-17", "10:00:00", "18:05:00")
    f.month_punches("E1", MAY, start="2024-05-20").performance("E1", MAY, 85)
    res = f.run(MAY)
    e = employee_of(res, "E1")
    assert e["workdays"] == 11 and e["late_count"] == 0 and e["fines_total"] == "0.00"


def test_篇1_一_2_punches_on_rest_days_do_not_count(tmp_path: Path) -> None:
    """RULEBOOK §2: punches on a rest day (Sunday 05-12, a late one) are not counted — only reported.
    (Regression: loading/checks.py once crashed with AttributeError on any rest-day punch.)"""
    f = one_employee(tmp_path).punch("E1", "2024-05-12", "10:00:00", "12:00:00")
    ctx = f.context()
    res = api.payroll(ctx, MAY, covered_through="2024-05-31")
    # reported by the month review (checks.rest_day_worked, with the person's own schedule)
    notes = [p for p in [*ctx.data.problems.items, *(res.problems or [])] if "2024-05-12" in p.message]
    assert notes and all(p.severity != "error" for p in notes) and notes[0].code == "rest_day_punch"
    e = employee_of(res, "E1")
    assert e["late_count"] == 0 and e["early_leave_count"] == 0 and e["attended_days"] == 23.0


def test_篇1_二_employees_not_employed_in_the_month_are_not_listed(tmp_path: Path) -> None:
    """DATA.md: employees lists everyone employed on ≥1 day of the month, in roster order."""
    f = Folder(tmp_path).employee("E3").employee("E1").employee("E2", hire="2024-06-01")
    f.employee("E4", hire="2020-01-01", leave_date="2024-04-30", notice="2024-04-01")
    f.month_punches("E3", MAY).month_punches("E1", MAY)
    doc = f.run(MAY).payroll_json()
    assert [e["employee_id"] for e in doc["employees"]] == ["E3", "E1"]
    assert doc["totals"]["employees"] == 2


def test_篇1_五_4_one_day_sick_leave_without_certificate_stays_sick(tmp_path: Path) -> None:
    """篇1 §五.4: a 1-day sick leave needs no certificate — sick, unpaid, no fine, no flag."""
    f = one_employee(tmp_path, skip=("2024-05-07",)).leave("E1", "2024-05-07", type_="sick")
    res = f.run(MAY)
    e = employee_of(res, "E1")
    assert e["sick_leave_days"] == 1.0 and e["personal_leave_days"] == 0.0
    assert e["fines_total"] == "0.00" and "sick_without_certificate" not in e["flags"]
    assert e["base_pay"] == "2098.85" and e["absence_penalty"] == "0.00"


def test_篇1_五_4_two_day_sick_run_without_certificate_becomes_personal(tmp_path: Path) -> None:
    """篇1 §五.4: 2 consecutive sick workdays without certificate → personal leave day for day,
    fine 30 each, flag sick_without_certificate."""
    f = one_employee(tmp_path, skip=("2024-05-07", "2024-05-08")).leave("E1", "2024-05-07", "2024-05-08", "sick")
    res = f.run(MAY)
    e = employee_of(res, "E1")
    assert e["personal_leave_days"] == 2.0 and e["sick_leave_days"] == 0.0
    assert fines_of(res, "E1") == [("2024-05-07", "personal_leave", "30.00"),
                                   ("2024-05-08", "personal_leave", "30.00")]
    assert "sick_without_certificate" in e["flags"]


def test_篇1_五_4_sick_run_spanning_a_sunday_is_consecutive_workdays(tmp_path: Path) -> None:
    """篇1 §五.4: sick Sat 05-18 and Mon 05-20 (two separate requests) are consecutive workdays → personal."""
    f = one_employee(tmp_path, skip=("2024-05-18", "2024-05-20"))
    f.leave("E1", "2024-05-18", type_="sick").leave("E1", "2024-05-20", type_="sick")
    e = f.emp(MAY)
    assert e["personal_leave_days"] == 2.0 and e["sick_leave_days"] == 0.0
    assert e["fines_total"] == "60.00" and "sick_without_certificate" in e["flags"]


def test_篇1_五_4_two_day_sick_run_with_certificate_stays_sick(tmp_path: Path) -> None:
    """篇1 §五.4: with a hospital certificate the run stays sick leave — no fine, no flag."""
    f = one_employee(tmp_path, skip=("2024-05-07", "2024-05-08"))
    f.leave("E1", "2024-05-07", "2024-05-08", "sick", certificate="yes")
    e = f.emp(MAY)
    assert e["sick_leave_days"] == 2.0 and e["personal_leave_days"] == 0.0
    assert e["fines_total"] == "0.00" and "sick_without_certificate" not in e["flags"]
    assert e["base_pay"] == r2(Decimal("2200") - r2d(DAILY_JUNIOR * 2))


def r2d(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_篇1_二_2_off_post_10_minutes_is_nothing(tmp_path: Path) -> None:
    """篇1 §二.2: off post for 10 minutes or less changes nothing."""
    e = one_employee(tmp_path).violation("2024-05-08", "E1", "off_post", minutes="10").emp(MAY)
    assert e["absent_days"] == 0.0 and e["attended_days"] == 23.0 and e["score"] == 10.0
    assert e["absence_penalty"] == "0.00"


def test_篇1_二_2_off_post_11_minutes_is_half_a_day_absent(tmp_path: Path) -> None:
    """篇1 §二.2: off post > 10 minutes → 0.5 of the day's attendance becomes absence (score −5)."""
    res = one_employee(tmp_path).violation("2024-05-08", "E1", "off_post", minutes="11").run(MAY)
    e = employee_of(res, "E1")
    assert e["absent_days"] == 0.5 and e["attended_days"] == 22.5
    assert e["absence_penalty"] == r2(DAILY_JUNIOR / 2) == "50.57"
    assert e["base_pay"] == r2(Decimal("2200") - r2d(DAILY_JUNIOR / 2))
    assert points_of(res, "E1") == [("2024-05-08", "absence", 5.0)]
    assert e["bonus_total"] == "0.00"  # absence breaks full attendance


# ======================================================================================
# §3 Fines
# ======================================================================================

def test_篇1_五_8_first_late_10_second_late_costs_20_third_20(tmp_path: Path) -> None:
    """篇1 §五.8: 1st late/early of the month 10, the 2nd and later 20 each."""
    res = one_employee(tmp_path, override={d: ("09:05:00", "18:05:00")
                                           for d in ("2024-05-06", "2024-05-07", "2024-05-08")}).run(MAY)
    assert fines_of(res, "E1") == [("2024-05-06", "late_early", "10.00"), ("2024-05-07", "late_early", "20.00"),
                                   ("2024-05-08", "late_early", "20.00")]
    assert employee_of(res, "E1")["fines_total"] == "50.00"


def test_篇1_五_8_late_and_early_share_one_counter(tmp_path: Path) -> None:
    """篇1 §五.8: early leave on 05-06 then late on 05-07 → 10 then 20 (one shared counter)."""
    res = one_employee(tmp_path, override={"2024-05-06": ("08:55:00", "17:00:00"),
                                           "2024-05-07": ("09:10:00", "18:05:00")}).run(MAY)
    assert fines_of(res, "E1") == [("2024-05-06", "late_early", "10.00"), ("2024-05-07", "late_early", "20.00")]


def test_篇1_五_8_counter_restarts_next_month(tmp_path: Path) -> None:
    """篇1 §五.8: every counter resets each month — April's late does not make May's first late 20."""
    f = Folder(tmp_path).employee("E1")
    f.month_punches("E1", "2024-04", sign_out="17:45:00", override={"2024-04-29": ("09:10:00", "17:45:00")})
    f.month_punches("E1", MAY, override={"2024-05-06": ("09:10:00", "18:05:00")})
    f.performance("E1", "2024-04", 85).performance("E1", MAY, 85)
    ctx = f.context()
    april, may = api.payroll(ctx, "2024-04"), api.payroll(ctx, MAY)
    assert fines_of(april, "E1") == [("2024-04-29", "late_early", "10.00")]
    assert fines_of(may, "E1") == [("2024-05-06", "late_early", "10.00")]


def test_篇1_五_8_late_before_early_on_one_day(tmp_path: Path) -> None:
    """篇1 §五.8: late (09:10) and early (17:00) on one day → the late is the 1st (10), the early the 2nd (20)."""
    res = one_employee(tmp_path, override={"2024-05-06": ("09:10:00", "17:00:00")}).run(MAY)
    f = res.fines[res.fines["employee_id"] == "E1"]
    assert list(f["amount_fen"]) == [1000, 2000]
    assert "late" in f.iloc[0]["note"] and "early" in f.iloc[1]["note"]
    e = employee_of(res, "E1")
    assert e["late_count"] == 1 and e["early_leave_count"] == 1 and e["fines_total"] == "30.00"
    assert e["score"] == 9.0


def test_篇1_五_3_missing_punch_costs_10(tmp_path: Path) -> None:
    """篇1 §五.3: one missing sign-out = 10."""
    res = one_employee(tmp_path, override={"2024-05-08": ("08:55:00", "")}).run(MAY)
    assert fines_of(res, "E1") == [("2024-05-08", "missing_punch", "10.00")]


def test_篇1_五_4_personal_leave_costs_30_per_day(tmp_path: Path) -> None:
    """篇1 §五.4: personal leave 30 a day."""
    f = one_employee(tmp_path, skip=("2024-05-07", "2024-05-08")).leave("E1", "2024-05-07", "2024-05-08")
    res = f.run(MAY)
    assert fines_of(res, "E1") == [("2024-05-07", "personal_leave", "30.00"),
                                   ("2024-05-08", "personal_leave", "30.00")]
    e = employee_of(res, "E1")
    assert e["personal_leave_days"] == 2.0
    assert e["base_pay"] == r2(Decimal("2200") - r2d(DAILY_JUNIOR * 2)) == "1997.70"


def test_篇1_五_4_half_day_personal_leave_costs_15(tmp_path: Path) -> None:
    """篇1 §五.4: a half day of personal leave costs 15."""
    f = one_employee(tmp_path).leave("E1", "2024-05-07", type_="personal", half_day="是")
    assert f.emp(MAY)["fines_total"] == "15.00"


@pytest.mark.parametrize(("code", "clause"), [("desk_untidy", "篇1 §五.1"), ("registration_error", "篇1 §五.3"),
                                              ("chatting", "篇1 §五.5")])
def test_篇1_五_1_3_5_logged_fines_cost_10(tmp_path: Path, code: str, clause: str) -> None:
    """篇1 §五.1 desk_untidy, §五.3 registration_error, §五.5 chatting: 10 each, citing the clause."""
    res = one_employee(tmp_path).violation("2024-05-08", "E1", code).violation("2024-05-09", "E1", code).run(MAY)
    assert fines_of(res, "E1") == [("2024-05-08", code, "10.00"), ("2024-05-09", code, "10.00")]
    assert set(res.fines["rule"]) == {clause}


def test_篇1_五_2_private_call_50_then_100(tmp_path: Path) -> None:
    """篇1 §五.2: 1st private call 50, 2nd 100; no dismissal yet."""
    f = one_employee(tmp_path).violation("2024-05-08", "E1", "private_call").violation("2024-05-09", "E1",
                                                                                      "private_call")
    res = f.run(MAY)
    assert fines_of(res, "E1") == [("2024-05-08", "private_call", "50.00"), ("2024-05-09", "private_call", "100.00")]
    e = employee_of(res, "E1")
    assert "dismissal" not in e["flags"] and "forfeiture" not in e["flags"]


def test_篇1_五_2_third_private_call_flags_dismissal_and_forfeiture_no_fine(tmp_path: Path) -> None:
    """篇1 §五.2: the 3rd private call is not fined; it flags dismissal and forfeiture (net pay unchanged)."""
    f = one_employee(tmp_path)
    for d in ("2024-05-08", "2024-05-09", "2024-05-10"):
        f.violation(d, "E1", "private_call")
    res = f.run(MAY)
    assert [a for _, _, a in fines_of(res, "E1")] == ["50.00", "100.00", "0.00"]
    e = employee_of(res, "E1")
    assert e["fines_total"] == "150.00"
    assert "dismissal" in e["flags"] and "forfeiture" in e["flags"]
    # flag only by default: 2200 + 150 (perf 85) − 150
    assert e["net_pay"] == "2200.00"


def test_篇1_四_2_report_misconduct_is_a_50_bonus(tmp_path: Path) -> None:
    """篇1 §四.2: reporting misconduct earns 50, a bonus (not a negative fine); it keeps full attendance."""
    res = one_employee(tmp_path).violation("2024-05-08", "E1", "report_misconduct").run(MAY)
    e = employee_of(res, "E1")
    assert e["fines_total"] == "0.00"
    assert e["bonus_total"] == "250.00"  # 50 + full attendance 200
    assert e["net_pay"] == "2600.00"     # 2200 + 150 + 250


# ======================================================================================
# §4 The 10-point score
# ======================================================================================

def test_篇10_五_late_30_minutes_is_half_a_point(tmp_path: Path) -> None:
    """篇10 §五: late ≤ 30 min (09:30:00 = 30 min) costs 0.5."""
    res = one_employee(tmp_path, override={"2024-05-06": ("09:30:00", "18:05:00")}).run(MAY)
    assert points_of(res, "E1") == [("2024-05-06", "late", 0.5)]
    assert employee_of(res, "E1")["score"] == 9.5


def test_篇10_五_late_31_minutes_is_two_points(tmp_path: Path) -> None:
    """篇10 §五: late > 30 min (09:30:01 → 31 min) counts as 缺勤: 2 points; the fine is still 10."""
    res = one_employee(tmp_path, override={"2024-05-06": ("09:30:01", "18:05:00")}).run(MAY)
    assert grid_day(res, "E1", "2024-05-06")["late_minutes"] == 31
    assert points_of(res, "E1") == [("2024-05-06", "late_major", 2.0)]
    e = employee_of(res, "E1")
    assert e["score"] == 8.0 and e["fines_total"] == "10.00" and e["absent_days"] == 0.0


def test_篇10_五_early_leave_is_half_a_point(tmp_path: Path) -> None:
    """篇10 §五 (RULEBOOK: early treated like late): early leave 0.5."""
    res = one_employee(tmp_path, override={"2024-05-06": ("08:55:00", "16:00:00")}).run(MAY)
    assert points_of(res, "E1") == [("2024-05-06", "early_leave", 0.5)]


def test_篇10_五_each_absence_occurrence_is_five_points(tmp_path: Path) -> None:
    """篇10 §五: a full absent day and an off_post half day are 5 points each."""
    f = one_employee(tmp_path, skip=("2024-05-06",)).violation("2024-05-08", "E1", "off_post", minutes="30")
    res = f.run(MAY)
    assert points_of(res, "E1") == [("2024-05-06", "absence", 5.0), ("2024-05-08", "absence", 5.0)]
    assert employee_of(res, "E1")["score"] == 0.0


@pytest.mark.parametrize(("days", "points"), [(4, 0.0), (5, 2.0)])
def test_篇10_五_1_allowance_beyond_four_leave_days_costs_two_per_day(tmp_path: Path, days: int, points: float
                                                                  ) -> None:
    """篇10 §五.1–2: 4 personal-leave days are allowed; 5 → 1 excess day → 2 points."""
    dates = [str(d) for d in workdays(MAY)[:days]]
    f = one_employee(tmp_path, skip=tuple(dates)).leave("E1", dates[0], dates[-1], "personal")
    res = f.run(MAY)
    assert employee_of(res, "E1")["personal_leave_days"] == days
    assert total_points(res) == points
    assert employee_of(res, "E1")["score"] == 10 - points


def test_篇10_五_2_allowance_half_day_excess_costs_one_point(tmp_path: Path) -> None:
    """篇10 §五.1–2: 4.5 leave days (4 personal + a half day) → 0.5 excess → 1 point."""
    dates = [str(d) for d in workdays(MAY)[:4]]
    f = one_employee(tmp_path, skip=tuple(dates)).leave("E1", dates[0], dates[-1], "personal")
    f.leave("E1", "2024-05-20", type_="personal", half_day="yes")
    res = f.run(MAY)
    assert employee_of(res, "E1")["personal_leave_days"] == 4.5
    assert points_of(res, "E1") == [("2024-05-20", "leave_allowance", 1.0)] or total_points(res) == 1.0
    assert employee_of(res, "E1")["score"] == 9.0


def test_篇10_五_2_allowance_counts_sick_and_missing_punch_days(tmp_path: Path) -> None:
    """篇10 §五.1–2: 2 sick (certified) + 1 personal + 2 missing-punch days = 5 → 2 points."""
    f = one_employee(tmp_path, skip=("2024-05-06", "2024-05-07", "2024-05-08"),
                     override={"2024-05-20": ("08:55:00", ""), "2024-05-21": ("08:55:00", "")})
    f.leave("E1", "2024-05-06", "2024-05-07", "sick", certificate="yes").leave("E1", "2024-05-08")
    res = f.run(MAY)
    assert [c for _, c, _ in points_of(res, "E1")] == ["leave_allowance"]
    assert total_points(res) == 2.0


@pytest.mark.parametrize(("n", "points"), [(2, 0.0), (3, 5.0), (5, 5.0), (6, 10.0)])
def test_篇10_五_offline_five_points_per_complete_three(tmp_path: Path, n: int, points: float) -> None:
    """篇10 §五: offline — 5 points for every complete 3 in the month."""
    f = one_employee(tmp_path)
    for i in range(n):
        f.violation(str(workdays(MAY)[i]), "E1", "offline")
    res = f.run(MAY)
    assert total_points(res) == points
    assert employee_of(res, "E1")["fines_total"] == "0.00"


@pytest.mark.parametrize(("n", "points"), [(2, 0.0), (3, 5.0), (4, 5.0), (5, 10.0)])
def test_篇10_五_complaint_unanswered_3_is_5_and_5_is_10(tmp_path: Path, n: int, points: float) -> None:
    """篇10 §五: unanswered complaints in the month: ≥3 → 5, ≥5 → 10, else 0."""
    f = one_employee(tmp_path)
    for i in range(n):
        f.violation(str(workdays(MAY)[i]), "E1", "complaint_unanswered")
    res = f.run(MAY)
    assert total_points(res) == points


@pytest.mark.parametrize(("n", "points", "score"), [(1, 1.0, 9.0), (2, 2.0, 8.0), (3, 5.0, 5.0), (4, 5.0, 5.0),
                                                    (5, 10.0, 0.0), (11, 11.0, 0.0)])
def test_篇10_五_complaint_attitude_max_of_n_5_10(tmp_path: Path, n: int, points: float, score: float) -> None:
    """篇10 §五: attitude complaints → max(n, 5 if n ≥ 3, 10 if n ≥ 5) points."""
    f = one_employee(tmp_path)
    for i in range(n):
        f.violation(str(workdays(MAY)[i]), "E1", "complaint_attitude")
    res = f.run(MAY)
    assert total_points(res) == points
    assert employee_of(res, "E1")["score"] == score


def test_篇10_五_unfinished_work_costs_its_points(tmp_path: Path) -> None:
    """篇10 §五: unfinished work costs the entry's points (0.5–1)."""
    f = one_employee(tmp_path).violation("2024-05-08", "E1", "unfinished_work", points="0.5")
    f.violation("2024-05-09", "E1", "unfinished_work", points="1")
    res = f.run(MAY)
    assert points_of(res, "E1") == [("2024-05-08", "unfinished_work", 0.5), ("2024-05-09", "unfinished_work", 1.0)]
    assert employee_of(res, "E1")["score"] == 8.5


def test_篇10_五_unfinished_work_points_outside_half_to_one_is_a_data_error(tmp_path: Path) -> None:
    """篇10 §五 / RULEBOOK §4: unfinished_work points must be 0.5–1 — 3 is refused."""
    from cs_rules.problems import DataError

    f = one_employee(tmp_path).violation("2024-05-08", "E1", "unfinished_work", points="3")
    with pytest.raises(DataError):
        f.run(MAY)


def test_篇10_五_score_floor_is_zero(tmp_path: Path) -> None:
    """篇10 §五: score = max(0, 10 − total) — three absences (15 points) give 0, not −5."""
    res = one_employee(tmp_path, skip=("2024-05-06", "2024-05-07", "2024-05-08")).run(MAY)
    assert total_points(res) == 15.0
    e = employee_of(res, "E1")
    assert e["score"] == 0.0 and e["score_level"] == "penalty"


@pytest.mark.parametrize(("late", "score", "level"), [
    (0, 10.0, "ok"), (9, 5.5, "ok"), (10, 5.0, "warning"), (15, 2.5, "warning"), (16, 2.0, "penalty")])
def test_篇10_五_levels_penalty_warning_ok(tmp_path: Path, late: int, score: float, level: str) -> None:
    """篇10 §五: ≤ 2 penalty, ≤ 5 warning, else ok (boundaries 5.5/5.0 and 2.5/2.0)."""
    days = [str(d) for d in workdays(MAY)[:late]]
    res = one_employee(tmp_path, override={d: ("09:01:00", "18:05:00") for d in days}).run(MAY)
    e = employee_of(res, "E1")
    assert e["score"] == score and e["score_level"] == level


def _three_months(f: Folder, skip_march: bool = False, emp: str = "E1") -> Folder:
    for m, absent in (("2024-03", "2024-03-05"), ("2024-04", "2024-04-09"), ("2024-05", "2024-05-07")):
        if m == "2024-03" and skip_march:
            continue
        f.month_punches(emp, m, sign_out="18:05:00", skip=(absent,))
        f.performance(emp, m, 85)
    return f


def test_篇10_五_severe_when_three_months_all_at_most_5(tmp_path: Path) -> None:
    """篇10 §五: March, April, May each score 5 (one absence) → May is `severe`."""
    f = _three_months(Folder(tmp_path).employee("E1"))
    ctx = f.context()
    for m in ("2024-03", "2024-04"):
        assert employee_of(api.payroll(ctx, m, with_history=False), "E1")["score"] == 5.0
    e = employee_of(api.payroll(ctx, MAY), "E1")
    assert e["score"] == 5.0 and e["score_level"] == "severe"


def test_篇10_五_not_severe_when_an_earlier_month_has_no_sign_in_rows(tmp_path: Path) -> None:
    """篇10 §五 / RULEBOOK §4: March has no sign-in rows at all → it does not count → May is only `warning`
    (even though a March computed from no rows would be all absences)."""
    f = _three_months(Folder(tmp_path).employee("E1"), skip_march=True)
    e = f.emp(MAY)
    assert e["score"] == 5.0 and e["score_level"] == "warning"


def test_篇10_五_not_severe_when_an_earlier_month_is_fine(tmp_path: Path) -> None:
    """篇10 §五: April scoring 10 breaks the three-month run."""
    f = Folder(tmp_path).employee("E1")
    f.month_punches("E1", "2024-03", skip=("2024-03-05",)).month_punches("E1", "2024-04")
    f.month_punches("E1", MAY, skip=("2024-05-07",))
    assert f.emp(MAY)["score_level"] == "warning"


def test_篇10_五_not_severe_when_not_employed_in_an_earlier_month(tmp_path: Path) -> None:
    """RULEBOOK §4: an earlier month counts only if the employee was employed in it (hired 2024-04-01)."""
    f = Folder(tmp_path).employee("E1", hire="2024-04-01").employee("E2")
    _three_months(f, emp="E2")
    f.month_punches("E1", "2024-04", skip=("2024-04-10",)).month_punches("E1", MAY, skip=("2024-05-08",))
    res = f.run(MAY)
    assert employee_of(res, "E2")["score_level"] == "severe"
    assert employee_of(res, "E1")["score_level"] == "warning"


# ======================================================================================
# §5 Pay
# ======================================================================================

def test_篇5_六_base_by_grade_and_roster_override(tmp_path: Path) -> None:
    """篇5 §六: probation 1800, junior 2200, mid 2500, senior 3000, reserve_supervisor 4000;
    a roster base_salary overrides; daily = base / 21.75."""
    f = Folder(tmp_path, fill_base=False)
    grades = {"P": "probation", "J": "junior", "M": "mid", "S": "senior", "R": "reserve_supervisor"}
    for emp, grade in grades.items():
        f.employee(emp, grade).month_punches(emp, MAY)
    f.employee("X", "junior", base="3500").month_punches("X", MAY)
    res = f.run(MAY)
    want = {"P": "1800.00", "J": "2200.00", "M": "2500.00", "S": "3000.00", "R": "4000.00", "X": "3500.00"}
    for emp, base in want.items():
        e = employee_of(res, emp)
        assert e["base_salary"] == base, emp
        assert e["daily_rate"] == r2(Decimal(base) / Decimal("21.75")), emp
        assert e["base_pay"] == base, emp


def test_篇5_六_chinese_grade_names(tmp_path: Path) -> None:
    """篇5 §六 / DATA.md: 初级客服 is junior, 储备主管 reserve_supervisor."""
    f = Folder(tmp_path, fill_base=False).employee("A", "初级客服").employee("B", "储备主管", base="4000")
    f.month_punches("A", MAY).month_punches("B", MAY)
    res = f.run(MAY)
    assert employee_of(res, "A")["grade"] == "junior" and employee_of(res, "A")["base_salary"] == "2200.00"
    assert employee_of(res, "B")["grade"] == "reserve_supervisor"


def test_篇5_六_roster_without_any_base_salary(tmp_path: Path) -> None:
    """篇5 §六: a roster where nobody has a base_salary override pays by grade.  (Regression: this
    crashed with ArrowNotImplementedError before payroll.py mapped the overrides with numpy.)"""
    f = Folder(tmp_path, fill_base=False).employee("E1", "junior").month_punches("E1", MAY)
    assert f.emp(MAY)["base_salary"] == "2200.00"


def test_篇4_三_full_month_deducts_unpaid_leave_and_absence(tmp_path: Path) -> None:
    """篇4 §三 / RULEBOOK §7 worked example: 2 late, 1 early, 1 personal, 1 absent, performance 82."""
    f = one_employee(tmp_path, perf=82, skip=("2024-05-09", "2024-05-10"),
                     override={"2024-05-06": ("09:05:00", "18:05:00"), "2024-05-07": ("09:40:00", "18:05:00"),
                               "2024-05-08": ("08:55:00", "17:50:00")})
    f.leave("E1", "2024-05-10")
    e = f.emp(MAY)
    assert e == {
        "employee_id": "E1", "name": "员工E1", "grade": "junior", "base_salary": "2200.00", "daily_rate": "101.15",
        "workdays": 23, "attended_days": 21.0, "late_count": 2, "early_leave_count": 1, "missing_punch_count": 0,
        "absent_days": 1.0, "personal_leave_days": 1.0, "sick_leave_days": 0.0, "paid_leave_days": 0.0,
        "base_pay": "1997.70", "absence_penalty": "101.15", "performance_pay": "150.00", "bonus_total": "0.00",
        "fines_total": "80.00", "score": 2.0, "score_level": "penalty", "net_pay": "1966.55", "flags": []}


def test_篇1_五_6_absence_penalty_is_its_own_line(tmp_path: Path) -> None:
    """篇1 §五.6: 2 absent days → base_pay loses r(daily×2) and absence_penalty is r(daily×2) again."""
    e = one_employee(tmp_path, skip=("2024-05-06", "2024-05-07")).emp(MAY)
    lost = r2d(DAILY_JUNIOR * 2)
    assert lost == Decimal("202.30")
    assert e["base_pay"] == str(Decimal("2200.00") - lost) and e["absence_penalty"] == str(lost)
    # 2200 − 202.30 + 150 − 202.30
    assert e["net_pay"] == "1945.40"
    assert "auto_resignation" not in e["flags"]


def test_篇4_三_2_mid_month_joiner_is_prorated(tmp_path: Path) -> None:
    """篇4 §三.2: hired Mon 2024-05-20 → 11 workdays attended → r(2200 × 11 / 21.75) = 1112.64; no
    full-attendance bonus in a partial month."""
    f = Folder(tmp_path).employee("E1", hire="2024-05-20").month_punches("E1", MAY, start="2024-05-20")
    f.performance("E1", MAY, 85)
    e = f.emp(MAY)
    assert e["workdays"] == 11 and e["attended_days"] == 11.0
    assert e["base_pay"] == r2(Decimal(2200) * 11 / Decimal("21.75")) == "1112.64"
    assert e["bonus_total"] == "0.00"
    assert "proration_capped" not in e["flags"]


def test_篇4_三_2_leaver_counts_holiday_block_days_monday_to_saturday(tmp_path: Path) -> None:
    """篇4 §三.2: leaving 2024-05-10 (notice given in time): attended 05-06..10 (5) + holiday-block days
    05-01..04 (Wed–Sat, 4; Sunday 05-05 not counted) = 9 → r(2200 × 9 / 21.75) = 910.34."""
    f = Folder(tmp_path).employee("E1", leave_date="2024-05-10", notice="2024-04-20")
    f.month_punches("E1", MAY, end="2024-05-10").performance("E1", MAY, 85)
    e = f.emp(MAY)
    assert e["workdays"] == 5 and e["attended_days"] == 5.0
    assert e["base_pay"] == r2(Decimal(2200) * 9 / Decimal("21.75")) == "910.34"
    assert e["flags"] == []


def test_篇4_三_2_ten_unpaid_leave_days_make_the_month_partial(tmp_path: Path) -> None:
    """篇4 §三.2: 10 personal-leave days → partial: paid days 13 attended + 4 holiday-block days = 17 →
    r(2200 × 17 / 21.75) = 1719.54 (not the full-month 2200 − 1011.49)."""
    dates = [str(d) for d in workdays(MAY)[:10]]
    f = one_employee(tmp_path, skip=tuple(dates)).leave("E1", dates[0], dates[-1])
    e = f.emp(MAY)
    assert e["personal_leave_days"] == 10.0 and e["attended_days"] == 13.0
    assert e["base_pay"] == r2(Decimal(2200) * 17 / Decimal("21.75")) == "1719.54"
    assert e["fines_total"] == "300.00"


def test_篇4_三_2_nine_and_a_half_unpaid_leave_days_stay_a_full_month(tmp_path: Path) -> None:
    """篇4 §三.2: 9.5 unpaid leave days (< 10) → full-month formula 2200 − r(daily × 9.5)."""
    dates = [str(d) for d in workdays(MAY)[:10]]
    f = one_employee(tmp_path, skip=tuple(dates[:9]), override={dates[9]: ("13:30:00", "18:05:00")})
    f.leave("E1", dates[0], dates[8]).leave("E1", dates[9], type_="personal", half_day="yes")
    e = f.emp(MAY)
    assert e["personal_leave_days"] == 9.5
    assert e["base_pay"] == str(Decimal(2200) - r2d(DAILY_JUNIOR * Decimal("9.5")))


def test_篇4_三_2_proration_cap_flags_proration_capped(tmp_path: Path) -> None:
    """篇4 §三.2: hired 2024-05-02 → 23 attended + 3 holiday-block days (Thu–Sat 02..04) = 26 > 21.75 →
    base_pay capped at 2200 with flag proration_capped."""
    f = Folder(tmp_path).employee("E1", hire="2024-05-02").month_punches("E1", MAY).performance("E1", MAY, 85)
    e = f.emp(MAY)
    assert e["attended_days"] == 23.0
    assert e["base_pay"] == "2200.00"
    assert "proration_capped" in e["flags"]


@pytest.mark.parametrize(("score", "awards", "pay"), [
    (59, [], "0.00"), (60, [], "100.00"), (79, [], "100.00"), (80, [], "150.00"), (89, [], "150.00"),
    (90, [], "200.00"), (85, ["service_star"], "200.00"), (88, ["nomination"], "200.00"),
    (76, ["nomination", "nomination"], "150.00"), (55, ["busy_bee"], "100.00")])
def test_篇4_四_performance_tiers_with_awards_and_nominations(tmp_path: Path, score: int, awards: list[str],
                                                          pay: str) -> None:
    """篇4 §四, 篇2 §五/§六.3: score + 5 per award + 2 per nomination: ≥90 200, ≥80 150, ≥60 100, else 0."""
    f = one_employee(tmp_path, perf=score)
    for a in awards:
        f.award("E1", MAY, a)
    e = f.emp(MAY)
    assert e["performance_pay"] == pay
    n_awards = sum(a != "nomination" for a in awards)
    assert Decimal(e["bonus_total"]) == 200 + 100 * n_awards  # full attendance + 100 per award (篇2 §五.1)


def test_篇4_四_no_performance_score_pays_0_and_flags(tmp_path: Path) -> None:
    """篇4 §四: no score on file → performance pay 0 and flag no_performance_score (even with an award)."""
    f = one_employee(tmp_path, perf=None).award("E1", MAY, "service_star")
    e = f.emp(MAY)
    assert e["performance_pay"] == "0.00" and "no_performance_score" in e["flags"]
    assert e["bonus_total"] == "300.00"


def test_篇4_四_performance_score_of_another_month_does_not_count(tmp_path: Path) -> None:
    """篇4 §四: only the month's own score counts."""
    f = one_employee(tmp_path, perf=None).performance("E1", "2024-04", 95)
    e = f.emp(MAY)
    assert e["performance_pay"] == "0.00" and "no_performance_score" in e["flags"]


def test_篇2_五_1_full_attendance_bonus_200_on_a_clean_month(tmp_path: Path) -> None:
    """篇2 §五.1 / RULEBOOK §5: a full, clean month earns the 200 full-attendance bonus."""
    e = one_employee(tmp_path).emp(MAY)
    assert e["bonus_total"] == "200.00" and e["net_pay"] == "2550.00" and e["flags"] == []


@pytest.mark.parametrize("breaker", ["late", "early", "missing", "fine", "sick", "personal_half", "absent"])
def test_篇2_五_1_full_attendance_broken(tmp_path: Path, breaker: str) -> None:
    """RULEBOOK §5: a late, early, missing punch, any fine, sick or personal leave or absence breaks it."""
    override = {"late": {"2024-05-06": ("09:00:01", "18:05:00")},
                "early": {"2024-05-06": ("08:55:00", "17:59:00")},
                "missing": {"2024-05-06": ("08:55:00", "")}}.get(breaker, {})
    skip = ("2024-05-06",) if breaker in ("sick", "absent") else ()
    f = one_employee(tmp_path, override=override, skip=skip)
    if breaker == "fine":
        f.violation("2024-05-06", "E1", "chatting")
    if breaker == "sick":
        f.leave("E1", "2024-05-06", type_="sick")
    if breaker == "personal_half":
        f.leave("E1", "2024-05-06", type_="personal", half_day="yes")
    assert f.emp(MAY)["bonus_total"] == "0.00"


def test_篇2_五_1_full_attendance_not_broken_by_paid_leave(tmp_path: Path) -> None:
    """RULEBOOK §5: paid leave (annual, 2 days) does not break full attendance."""
    f = one_employee(tmp_path, skip=("2024-05-06", "2024-05-07")).leave("E1", "2024-05-06", "2024-05-07", "annual")
    e = f.emp(MAY)
    assert e["paid_leave_days"] == 2.0 and e["bonus_total"] == "200.00"


def test_篇4_三_net_pay_floored_at_zero_with_net_clamped(tmp_path: Path) -> None:
    """RULEBOOK §5: probation, 12 absent days → 1800 − 993.10 + 0 − 993.10 < 0 → net 0, flag net_clamped."""
    dates = tuple(str(d) for d in workdays(MAY)[:12])
    f = one_employee(tmp_path, grade="probation", perf=None, skip=dates)
    e = f.emp(MAY)
    assert e["base_pay"] == "806.90" and e["absence_penalty"] == "993.10"
    assert e["net_pay"] == "0.00"
    assert "net_clamped" in e["flags"]


def test_篇4_三_base_pay_never_negative_when_absent_all_month(tmp_path: Path) -> None:
    """RULEBOOK §5: base_pay stays within [0, base] even when every workday is absent (23 absent days ×
    82.76 > 1800).  (Regression: this was -103.45 before the full-month formula was floored at 0.)"""
    f = Folder(tmp_path).employee("E1", "probation")
    f.punch("E1", "2024-05-31", "", "")  # one empty row so the sign-ins hold May
    e = f.emp(MAY)
    assert e["absent_days"] == 23.0
    assert Decimal("0") <= Decimal(e["base_pay"]) <= Decimal("1800")


def test_篇4_三_net_pay_equation(tmp_path: Path) -> None:
    """RULEBOOK §5: net = base_pay + performance_pay + bonus_total − fines_total − absence_penalty."""
    f = one_employee(tmp_path, perf=92, skip=("2024-05-09",), override={"2024-05-06": ("09:05:00", "18:05:00")})
    f.violation("2024-05-07", "E1", "report_misconduct").award("E1", MAY, "service_star")
    e = f.emp(MAY)
    net = (Decimal(e["base_pay"]) + Decimal(e["performance_pay"]) + Decimal(e["bonus_total"])
           - Decimal(e["fines_total"]) - Decimal(e["absence_penalty"]))
    assert e["net_pay"] == str(net)
    assert e["bonus_total"] == "150.00"  # award 100 + report 50, no full attendance


# ======================================================================================
# §6 Flags
# ======================================================================================

@pytest.mark.parametrize(("absent", "flag"), [(2, False), (3, True)])
def test_篇1_五_6_auto_resignation_more_than_two_absent_days(tmp_path: Path, absent: int, flag: bool) -> None:
    """篇1 §五.6: more than 2 absent days in the month → auto_resignation and forfeiture (flag only)."""
    dates = tuple(str(d) for d in workdays(MAY)[:absent])
    e = one_employee(tmp_path, skip=dates).emp(MAY)
    assert ("auto_resignation" in e["flags"]) is flag
    assert ("forfeiture" in e["flags"]) is flag
    if flag:
        assert e["net_pay"] != "0.00"


def test_篇1_五_6_auto_resignation_two_and_a_half_days(tmp_path: Path) -> None:
    """篇1 §五.6: 2 absent days + an off_post half day = 2.5 > 2 → auto_resignation."""
    f = one_employee(tmp_path, skip=("2024-05-06", "2024-05-07")).violation("2024-05-08", "E1", "off_post",
                                                                            minutes="15")
    e = f.emp(MAY)
    assert e["absent_days"] == 2.5 and "auto_resignation" in e["flags"]


@pytest.mark.parametrize(("notice", "flag"), [("", True), ("2024-05-17", True), ("2024-05-16", False),
                                              ("2024-04-01", False)])
def test_篇1_五_7_notice_short(tmp_path: Path, notice: str, flag: bool) -> None:
    """篇1 §五.7: leaving 2024-05-31 with no notice, or < 15 days between notice and leave date → notice_short."""
    f = Folder(tmp_path).employee("E1", leave_date="2024-05-31", notice=notice).month_punches("E1", MAY)
    f.performance("E1", MAY, 85)
    e = f.emp(MAY)
    assert ("notice_short" in e["flags"]) is flag
    assert ("forfeiture" in e["flags"]) is flag


def test_篇1_五_7_notice_short_only_in_the_leaving_month(tmp_path: Path) -> None:
    """篇1 §五.7: leaving in June without notice does not flag May."""
    f = Folder(tmp_path).employee("E1", leave_date="2024-06-10").month_punches("E1", MAY)
    assert "notice_short" not in f.emp(MAY)["flags"]


def test_篇1_五_2_forfeiture_apply_in_rules_toml_sets_net_pay_to_zero(tmp_path: Path) -> None:
    """篇1 §五.2 / RULEBOOK §6: with flags.forfeiture = "apply", a third private call sets net pay 0."""
    f = one_employee(tmp_path).rules('[flags]\nforfeiture = "apply"\n')
    for d in ("2024-05-08", "2024-05-09", "2024-05-10"):
        f.violation(d, "E1", "private_call")
    f.employee("E2").month_punches("E2", MAY)
    res = f.run(MAY)
    e = employee_of(res, "E1")
    assert "forfeiture" in e["flags"] and e["net_pay"] == "0.00"
    assert employee_of(res, "E2")["net_pay"] != "0.00"


def test_篇1_五_6_forfeiture_apply_for_auto_resignation(tmp_path: Path) -> None:
    """篇1 §五.6 / RULEBOOK §6: forfeiture = "apply" also zeroes pay on auto_resignation."""
    dates = tuple(str(d) for d in workdays(MAY)[:3])
    f = one_employee(tmp_path, skip=dates).rules('[flags]\nforfeiture = "apply"\n')
    e = f.emp(MAY)
    assert "auto_resignation" in e["flags"] and e["net_pay"] == "0.00"


def test_RULEBOOK_6_flags_use_only_known_names(tmp_path: Path) -> None:
    """RULEBOOK §6: flags come from the fixed list."""
    known = {"auto_resignation", "dismissal", "notice_short", "forfeiture", "proration_capped", "net_clamped",
             "no_performance_score", "sick_without_certificate"}
    dates = tuple(str(d) for d in workdays(MAY)[:12])
    f = Folder(tmp_path).employee("E1", "probation", leave_date="2024-05-31").month_punches("E1", MAY, skip=dates)
    f.leave("E1", "2024-05-27", "2024-05-28", "sick")
    e = f.emp(MAY)
    assert set(e["flags"]) <= known
    assert {"auto_resignation", "notice_short", "forfeiture", "no_performance_score"} <= set(e["flags"])


# ======================================================================================
# More edges
# ======================================================================================

def test_篇1_五_2_private_call_counter_restarts_next_month(tmp_path: Path) -> None:
    """篇1 §五.8 (every counter resets monthly) for 篇1 §五.2: one call in April, two in May → May: 50, 100,
    no dismissal."""
    f = one_employee(tmp_path).violation("2024-04-25", "E1", "private_call")
    f.violation("2024-05-08", "E1", "private_call").violation("2024-05-09", "E1", "private_call")
    f.month_punches("E1", "2024-04", sign_out="17:45:00")
    res = f.run(MAY)
    assert [a for _, _, a in fines_of(res, "E1")] == ["50.00", "100.00"]
    assert "dismissal" not in employee_of(res, "E1")["flags"]


def test_篇1_五_4_leave_over_a_sunday_counts_workdays_only(tmp_path: Path) -> None:
    """篇1 §五.4: personal leave Sat 05-18..Mon 05-20 is 2 workdays (Sunday rests): fine 60."""
    f = one_employee(tmp_path, skip=("2024-05-18", "2024-05-20")).leave("E1", "2024-05-18", "2024-05-20")
    e = f.emp(MAY)
    assert e["personal_leave_days"] == 2.0 and e["fines_total"] == "60.00" and e["absent_days"] == 0.0


def test_篇1_五_4_leave_across_the_month_boundary_and_holiday_block(tmp_path: Path) -> None:
    """篇1 §五.4: personal leave 2024-04-29..05-07 → in May only 05-06 and 05-07 count (05-01..05 rest)."""
    f = one_employee(tmp_path, skip=("2024-05-06", "2024-05-07")).leave("E1", "2024-04-29", "2024-05-07")
    e = f.emp(MAY)
    assert e["personal_leave_days"] == 2.0 and e["fines_total"] == "60.00"


def test_篇1_五_6_partial_month_absence_is_unpaid_and_penalised(tmp_path: Path) -> None:
    """篇4 §三.2 + 篇1 §五.6: joiner from 05-20 absent on 05-21 → paid 10 days r(2200×10/21.75) = 1011.49,
    absence_penalty r(daily) = 101.15."""
    f = Folder(tmp_path).employee("E1", hire="2024-05-20").month_punches("E1", MAY, start="2024-05-20",
                                                                         skip=("2024-05-21",))
    e = f.emp(MAY)
    assert e["attended_days"] == 10.0 and e["absent_days"] == 1.0
    assert e["base_pay"] == "1011.49" and e["absence_penalty"] == "101.15"


def test_篇1_五_4_chinese_leave_type_names(tmp_path: Path) -> None:
    """DATA.md / 篇1 §五.4: 事假 is personal, 年假 is annual."""
    f = one_employee(tmp_path, skip=("2024-05-06", "2024-05-07"))
    f.leave("E1", "2024-05-06", type_="事假").leave("E1", "2024-05-07", type_="年假")
    e = f.emp(MAY)
    assert e["personal_leave_days"] == 1.0 and e["paid_leave_days"] == 1.0 and e["fines_total"] == "30.00"
