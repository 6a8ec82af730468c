#!/usr/bin/env python3
"""Generate the shipped ``sample_data/`` folder (a small, believable department).

Deterministic (fixed seed, per employee-day random streams, fixed xlsx
timestamps), offline, and idempotent: it deletes and rewrites only the files it
owns inside ``sample_data/``.  Run it with the project's venv::

    .venv/bin/python scripts/make_sample_data.py [--out DIR]

Every scenario that exercises a rule of RULEBOOK.md is declared once below and
lands both in the data files and in the scenario table of
``sample_data/README.md``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import re
import zipfile
from collections import defaultdict
from pathlib import Path

import chinese_calendar as cc
import openpyxl

SEED = 20240531
MONTHS = ("2024-03", "2024-04", "2024-05")
REPO = Path(__file__).resolve().parent.parent
FIXED_TS = dt.datetime(2024, 6, 3, 9, 0, 0)  # written into the xlsx files

OWNED = (
    "README.md",
    "roster.xlsx",
    "signin/2024-03.csv",
    "signin/2024-04.xlsx",
    "signin/2024-05.csv",
    "leave.csv",
    "violations.csv",
    "performance.xlsx",
    "awards.csv",
    "reviews.csv",
)

D = dt.date.fromisoformat


# --------------------------------------------------------------------------
# calendar (RULEBOOK §1)
# --------------------------------------------------------------------------
def is_dept_workday(day: dt.date) -> bool:
    """Make-up workday → workday; national holiday block → rest; else Sunday rests."""
    on_holiday, name = cc.get_holiday_detail(day)
    if cc.is_workday(day) and name is not None:  # 调休上班 (e.g. 2024-04-28 Sun)
        return True
    if on_holiday and name is not None:  # inside a holiday block, weekends included
        return False
    return day.weekday() != 6


def month_days(month: str) -> list[dt.date]:
    y, m = map(int, month.split("-"))
    first = dt.date(y, m, 1)
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return [first + dt.timedelta(n) for n in range((nxt - first).days)]


def day_end(day: dt.date) -> dt.time:
    summer = dt.date(day.year, 5, 1) <= day <= dt.date(day.year, 9, 30)
    return dt.time(18, 0) if summer else dt.time(17, 30)


# --------------------------------------------------------------------------
# the department
# --------------------------------------------------------------------------
GRADE_CN = {
    "probation": "新客服(试用)",
    "junior": "初级客服",
    "mid": "中级客服",
    "senior": "高级客服",
    "reserve_supervisor": "储备主管",
}

# eid, name, grade, hire, leave, notice, base_salary override, birth date
PEOPLE = [
    ("CS001", "王芳", "junior", "2022-07-04", None, None, None, "1998-03-12"),
    ("CS002", "李娜", "junior", "2023-02-13", None, None, None, "1999-11-02"),
    ("CS003", "张伟", "mid", "2021-09-01", None, None, None, "1995-06-21"),
    ("CS004", "刘洋", "mid", "2021-05-17", None, None, None, "1994-08-30"),
    ("CS005", "陈静", "junior", "2023-06-05", None, None, None, "2000-01-15"),
    ("CS006", "杨秀英", "mid", "2020-10-12", None, None, None, "1993-04-08"),
    ("CS007", "赵磊", "senior", "2019-03-04", None, None, None, "1991-12-19"),
    ("CS008", "黄丽", "senior", "2018-08-20", None, None, None, "1990-07-27"),
    ("CS009", "周杰", "junior", "2023-04-10", None, None, None, "2001-02-03"),
    ("CS010", "吴敏", "senior", "2019-11-11", None, None, None, "1992-09-09"),
    ("CS011", "徐强", "senior", "2017-06-19", None, None, 3300, "1989-05-14"),
    ("CS012", "孙丽娟", "reserve_supervisor", "2018-02-26", None, None, None, "1990-10-01"),
    ("CS013", "马超", "probation", "2024-04-15", None, None, None, "2002-06-18"),
    ("CS014", "朱婷", "senior", "2020-04-07", "2024-04-27", "2024-04-08", None, "1994-02-25"),
    ("CS015", "胡军", "junior", "2023-08-14", "2024-05-17", None, None, "2000-12-06"),
    ("CS016", "郭鹏", "mid", "2021-12-06", None, None, None, "1996-03-29"),
    ("CS017", "何雪", "probation", "2024-01-08", None, None, None, "2003-01-22"),
    ("CS018", "高飞", "reserve_supervisor", "2019-07-15", None, None, None, "1991-08-16"),
    ("CS019", "林小红", "junior", "2022-11-21", None, None, None, "1999-05-05"),
    ("CS020", "罗佳", "probation", "2023-12-04", None, None, None, "2002-09-30"),
    ("CS021", "梁燕", "mid", "2021-03-15", "2024-03-29", "2024-03-20", None, "1995-11-11"),
]
PERSON = {p[0]: p for p in PEOPLE}
NAME = {p[0]: p[1] for p in PEOPLE}


def window(eid: str) -> tuple[dt.date, dt.date]:
    p = PERSON[eid]
    return D(p[3]), D(p[4]) if p[4] else dt.date(9999, 12, 31)


def employed_in(eid: str, month: str) -> bool:
    days = month_days(month)
    lo, hi = window(eid)
    return lo <= days[-1] and hi >= days[0]


def fake_phone(n: int) -> str:
    return f"1700000{n:04d}"  # 170 0000 xxxx: a virtual-operator test range


def fake_id_number(n: int, birth: str) -> str:
    """18 digits with a valid check digit but region code 000000 (does not exist)."""
    body = "000000" + birth.replace("-", "") + f"{n:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]
    return body + check


# --------------------------------------------------------------------------
# scenarios: punches, leave, violations, awards, scores
# --------------------------------------------------------------------------
NOROW = object()  # an absent day that has no row at all in the export
punch: dict[tuple[str, dt.date], object] = {}  # (eid, day) -> (in, out) | NOROW
leaves: list[dict] = []
violations: list[dict] = []
awards: list[tuple[str, str, str]] = []
score_override: dict[tuple[str, str], int | None] = {}  # None = no score on file
scenarios: list[tuple[str, str, str, str, str]] = []


def scen(eid, date, what, clause):
    month = date[:7]
    scenarios.append((eid, month, date, what, clause))


def day_punch(eid, date, sign_in, sign_out, what=None, clause=None):
    d = D(date)
    punch[(eid, d)] = (sign_in, sign_out)
    if what:
        scen(eid, date, what, clause)


def absent(eid, date, row=False, what=None, clause="篇1 §五.6"):
    d = D(date)
    punch[(eid, d)] = (None, None) if row else NOROW
    if what:
        scen(eid, date, what, clause)


def leave(eid, start, end, typ, half_day="", certificate="", approved="",
          what=None, clause=None):
    leaves.append(dict(employee_id=eid, start_date=start, end_date=end, type=typ,
                       half_day=half_day, certificate=certificate, approved=approved))
    if what:
        scen(eid, start if start == end else f"{start}..{end}", what, clause)


def viol(eid, date, code, minutes="", points="", note="", what=None, clause=None):
    violations.append(dict(date=date, employee_id=eid, code=code, minutes=minutes,
                           points=points, note=note))
    if what:
        scen(eid, date, what, clause)


def award(eid, month, kind, what=None, clause="篇2 §五.1"):
    awards.append((eid, month, kind))
    if what:
        scen(eid, month, what, clause)


def build_scenarios():
    # CS001 王芳: the model employee.
    for m in MONTHS:
        scen("CS001", m, "on time every workday, no leave, no fine → full-attendance "
             "bonus 200", "RULEBOOK §5 全勤奖")
    award("CS001", "2024-03", "sales_champion",
          "sales_champion; performance 87 + 5 = 92 → performance pay 200, award bonus 100",
          "篇2 §五.1, 篇4 §四")
    award("CS001", "2024-05", "service_star", "service_star award (+100, +5 to performance)")
    score_override[("CS001", "2024-03")] = 87

    # CS002 李娜: RULEBOOK §7 worked example, reproduced exactly.
    day_punch("CS002", "2024-05-06", "09:05:00", "18:12:40",
              "late 5 min (≤30) — 1st late/early of the month: fine 10, score −0.5",
              "篇1 §五.8, 篇10 §五")
    day_punch("CS002", "2024-05-07", "09:40:00", "18:05:11",
              "late 40 min (>30, counts as 缺勤) — 2nd: fine 20, score −2",
              "篇1 §五.8, 篇10 §五")
    day_punch("CS002", "2024-05-08", "08:47:33", "17:50:00",
              "early leave 10 min (summer day end 18:00) — 3rd: fine 20, score −0.5",
              "篇1 §五.8, 篇1 §一.1")
    leave("CS002", "2024-05-09", "2024-05-09", "personal",
          what="personal leave (事假) 1 day: fine 30, unpaid", clause="篇1 §五.4")
    absent("CS002", "2024-05-10",
           what="full-day absence (no punches, no leave): deducted + absence penalty, "
           "score −5 — month = RULEBOOK §7 worked example, net 1966.55")
    score_override[("CS002", "2024-05")] = 82

    # CS003 张伟: second-precision boundary at the day start.
    day_punch("CS003", "2024-03-05", "09:00:00", "17:41:09",
              "sign-in exactly 09:00:00 → on time (grace 0)", "RULEBOOK §2.4, 篇1 §一.1")
    day_punch("CS003", "2024-03-06", "09:00:01", "17:20:00",
              "sign-in 09:00:01 → late 1 min (fine 10), then early 10 min on the same "
              "day (winter day end 17:30) → 2nd late/early, fine 20", "篇1 §五.8")
    viol("CS003", "2024-04-11", "registration_error", note="客户信息登记错误",
         what="registration_error: fine 10", clause="篇1 §五.3")
    award("CS003", "2024-04", "nomination", "nomination (+2 to performance score, no bonus)",
          "篇2 §六.3")
    viol("CS003", "2024-05-22", "complaint_unanswered", note="投诉回复超时",
         what="1 complaint_unanswered in the month → 0 points", clause="篇10 §五")

    # CS004 刘洋: missing punches, desk, season boundary.
    day_punch("CS004", "2024-03-07", None, "17:44:26",
              "missing sign-in (sign-out only): missing_punch fine 10", "篇1 §五.3")
    day_punch("CS004", "2024-03-12", "08:44:02", None,
              "missing sign-out: missing_punch fine 10", "篇1 §五.3")
    viol("CS004", "2024-03-15", "desk_untidy", note="工位杂物未清理",
         what="desk_untidy: fine 10", clause="篇1 §五.1")
    viol("CS004", "2024-04-10", "complaint_attitude", note="客户投诉服务态度",
         what="1 complaint_attitude → score −1", clause="篇10 §五")
    day_punch("CS004", "2024-04-30", "08:50:44", "17:31:10",
              "sign-out 17:31 on the last winter day → not early", "篇1 §一.1")
    day_punch("CS004", "2024-05-06", "08:49:20", "17:40:00",
              "sign-out 17:40 on a summer day → early 20 min", "篇1 §一.1, 篇1 §五.8")

    # CS005 陈静: three absences → auto_resignation.
    absent("CS005", "2024-04-08", row=True,
           what="absent (row present, both punch cells empty)")
    absent("CS005", "2024-04-09", what="absent (no row)")
    absent("CS005", "2024-04-10",
           what="3rd absent day in April (>2) → flags auto_resignation + forfeiture "
           "(flagged only)", clause="篇1 §五.6, RULEBOOK §6")

    # CS006 杨秀英: half days.
    leave("CS006", "2024-03-14", "2024-03-14", "事假", half_day="yes",
          what="half-day personal leave (morning) with afternoon punches 13:25–17:48: "
          "0.5 personal (fine 15) + 0.5 attended; late not judged that day",
          clause="RULEBOOK §2.2, 篇1 §五.4")
    day_punch("CS006", "2024-03-14", "13:25:00", "17:48:15")
    leave("CS006", "2024-04-16", "2024-04-16", "年假", half_day="是",
          what="half-day annual leave and no punches at all: 0.5 paid leave + 0.5 absent "
          "(score −5)", clause="RULEBOOK §2.2")
    absent("CS006", "2024-04-16")
    award("CS006", "2024-05", "nomination")

    # CS007 赵磊: personal leave, very late.
    leave("CS007", "2024-03-18", "2024-03-18", "事假", half_day="no",
          what="personal leave single day: fine 30, unpaid", clause="篇1 §五.4")
    day_punch("CS007", "2024-03-28", "09:45:20", "17:36:02",
              "late 46 min (>30): score −2, fine 10 (1st of month)",
              "篇10 §五, 篇1 §五.8")
    viol("CS007", "2024-03-29", "unfinished_work", points="0.5", note="当日回访未完成",
         what="unfinished_work 0.5 points", clause="篇10 §五")
    leave("CS007", "2024-04-22", "2024-04-24", "personal", approved="yes",
          what="multi-day personal leave, 3 workdays: 3 × fine 30", clause="篇1 §五.4")

    # CS008 黄丽: sick leave and certificates.
    leave("CS008", "2024-03-20", "2024-03-20", "病假", certificate="0",
          what="sick leave 1 day without certificate → stays sick (unpaid, no fine)",
          clause="篇1 §五.4")
    leave("CS008", "2024-04-15", "2024-04-17", "sick", certificate="否",
          what="sick leave 3 consecutive workdays without certificate → treated as "
          "personal day for day (3 × fine 30), flag sick_without_certificate",
          clause="篇1 §五.4")
    leave("CS008", "2024-05-20", "2024-05-22", "病假", certificate="1", approved="1",
          what="sick leave 3 days with hospital certificate → 3 sick days, no fine",
          clause="篇1 §五.4")

    # CS009 周杰: plain absence, early leave, chatting, unapproved leave.
    absent("CS009", "2024-03-21", what="single full-day absence (no row, no leave): "
           "deduction + absence penalty, score −5")
    day_punch("CS009", "2024-04-19", "08:41:07", "17:15:30",
              "early leave 14.5 min → 15 min (ceil), fine 10", "RULEBOOK §2.4, 篇1 §五.8")
    viol("CS009", "2024-04-25", "chatting", note="上班时间闲聊",
         what="chatting: fine 10", clause="篇1 §五.5")
    leave("CS009", "2024-05-14", "2024-05-14", "事假", approved="否",
          what="leave request not approved (approved=否) and no punches → absent",
          clause="篇1 §五.9")

    # CS010 吴敏: paid leave.
    leave("CS010", "2024-03-25", "2024-03-27", "年假", approved="是",
          what="annual leave 3 days (paid) — still full attendance", clause="RULEBOOK §2, §5")
    award("CS010", "2024-03", "service_star", "service_star award")
    leave("CS010", "2024-04-12", "2024-04-12", "lieu",
          what="lieu day (调休), paid", clause="RULEBOOK §2")
    leave("CS010", "2024-05-06", "2024-05-13", "婚假",
          what="marriage leave spanning a Sunday → 7 paid workdays", clause="RULEBOOK §2")

    # CS011 徐强: override salary, bereavement.
    scen("CS011", "2024-03", "roster base_salary 3300 overrides senior 3000 (daily 151.72)",
         "篇5 §六, RULEBOOK §5")
    leave("CS011", "2024-04-01", "2024-04-03", "bereavement", approved="1",
          what="bereavement leave 3 days (paid)", clause="RULEBOOK §2")
    award("CS011", "2024-04", "best_trainer", "best_trainer award")

    # CS012 孙丽娟: ≥10 unpaid days → partial month.
    leave("CS012", "2024-05-13", "2024-05-18", "personal",
          what="personal leave 6 days", clause="篇1 §五.4")
    leave("CS012", "2024-05-20", "2024-05-25", "sick", certificate="yes",
          what="+ certified sick leave 6 days = 12 unpaid days (≥10) → partial-month "
          "proration incl. holiday-block days 05-01..04; allowance days beyond 4 cost "
          "2 points each", clause="篇4 §三.2, 篇10 §五.1–2")

    # CS013 马超: mid-month joiner.
    scen("CS013", "2024-04-15", "hired 2024-04-15 (mid-month) → partial month; no "
         "performance score for April → flag no_performance_score", "篇4 §三.2, 篇4 §四")
    score_override[("CS013", "2024-04")] = None
    award("CS013", "2024-05", "best_newcomer", "best_newcomer award (74 + 5 → 100 pay)")
    score_override[("CS013", "2024-05")] = 74

    # CS014 朱婷: leaver with proper notice.
    scen("CS014", "2024-04-27", "leaves 2024-04-27, notice 2024-04-08 (19 days ≥15) → no "
         "notice_short; partial month incl. Qingming 04-04..06 → paid_days 25 > 21.75 → "
         "flag proration_capped; not in May", "篇1 §五.7, 篇4 §三.2")

    # CS015 胡军: walks off without notice.
    for d in ("2024-05-08", "2024-05-09", "2024-05-10", "2024-05-11", "2024-05-13",
              "2024-05-14", "2024-05-15", "2024-05-16", "2024-05-17"):
        absent("CS015", d, row=(d == "2024-05-08"))
    scen("CS015", "2024-05-08..2024-05-17", "stops coming after 05-07 (9 absent days), "
         "leave_date 2024-05-17 with no notice_date → notice_short, auto_resignation, "
         "forfeiture; absence penalty exceeds prorated pay → net_clamped",
         "篇1 §五.6–7, RULEBOOK §5–6")
    score_override[("CS015", "2024-05")] = 70

    # CS016 郭鹏: private calls.
    viol("CS016", "2024-03-05", "private_call", note="接听私人电话",
         what="1st private call: fine 50", clause="篇1 §五.2")
    viol("CS016", "2024-03-13", "private_call", note="接听私人电话",
         what="2nd private call: fine 100", clause="篇1 §五.2")
    viol("CS016", "2024-03-22", "private_call", note="第三次私人电话",
         what="3rd private call: no fine, flags dismissal + forfeiture", clause="篇1 §五.2")
    viol("CS016", "2024-05-23", "unfinished_work", points="1", note="工单未按时完成",
         what="unfinished_work 1 point", clause="篇10 §五")

    # CS017 何雪: off post.
    viol("CS017", "2024-04-09", "off_post", minutes="11", note="离岗11分钟",
         what="off_post 11 min (>10) → 0.5 of the day absent, score −5", clause="篇1 §二.2")
    viol("CS017", "2024-04-18", "off_post", minutes="10", note="离岗10分钟",
         what="off_post 10 min (≤10) → nothing", clause="篇1 §二.2")
    score_override[("CS017", "2024-03")] = None
    scen("CS017", "2024-03", "no performance score on file → performance pay 0, flag "
         "no_performance_score", "篇4 §四")

    # CS018 高飞: offline, report, awards.
    for d in ("2024-04-02", "2024-04-11", "2024-04-24"):
        viol("CS018", d, "offline", note="系统掉线未及时处理")
    scen("CS018", "2024-04", "3 offline entries in April → score −5", "篇10 §五")
    award("CS018", "2024-04", "nomination", "nomination: performance 78 + 2 = 80 → 150",
          "篇2 §六.3, 篇4 §四")
    score_override[("CS018", "2024-04")] = 78
    viol("CS018", "2024-05-16", "report_misconduct", note="举报违规行为属实",
         what="report_misconduct: +50 bonus", clause="篇1 §四.2")
    award("CS018", "2024-05", "busy_bee", "busy_bee award")

    # CS019 林小红: three weak months → severe.
    for d in ("2024-03-08", "2024-03-15", "2024-03-27"):
        viol("CS019", d, "complaint_unanswered", note="投诉未回复")
    scen("CS019", "2024-03", "3 complaint_unanswered → score −5 → 5.0 (warning)", "篇10 §五")
    absent("CS019", "2024-04-17", row=True, what="absent → score 5.0 (warning)")
    for d in ("2024-05-09", "2024-05-17", "2024-05-28"):
        viol("CS019", d, "complaint_attitude", note="服务态度投诉")
    day_punch("CS019", "2024-05-21", "09:12:40", "18:03:29")
    scen("CS019", "2024-05", "3 complaint_attitude (−5) + late 13 min on 05-21 (−0.5) → "
         "4.5; ≤5 in March, April and May → level severe", "篇10 §五")
    for m, s in zip(MONTHS, (52, 55, 48)):
        score_override[("CS019", m)] = s

    # CS020 罗佳: heavy complaint months.
    for d in ("2024-04-03", "2024-04-09", "2024-04-15", "2024-04-23", "2024-04-29"):
        viol("CS020", d, "complaint_unanswered", note="投诉未回复")
    scen("CS020", "2024-04", "5 complaint_unanswered → score −10 → 0 (penalty); "
         "performance 58 → pay 0", "篇10 §五, 篇4 §四")
    score_override[("CS020", "2024-04")] = 58
    for d in ("2024-05-07", "2024-05-14", "2024-05-21", "2024-05-24", "2024-05-30"):
        viol("CS020", d, "complaint_attitude", note="服务态度投诉")
    scen("CS020", "2024-05", "5 complaint_attitude → score −10", "篇10 §五")

    # CS021 梁燕: short notice.
    scen("CS021", "2024-03-29", "leaves 2024-03-29, notice 2024-03-20 (9 days <15) → "
         "notice_short + forfeiture; paid_days 25 > 21.75 → proration_capped",
         "篇1 §五.7, 篇4 §三.2")


# --------------------------------------------------------------------------
# sign-in rows
# --------------------------------------------------------------------------
def leave_days(rows) -> dict[tuple[str, dt.date], dict]:
    out = {}
    for lv in rows:
        d, end = D(lv["start_date"]), D(lv["end_date"])
        while d <= end:
            if is_dept_workday(d):
                out[(lv["employee_id"], d)] = lv
            d += dt.timedelta(1)
    return out


def normal_punch(eid: str, day: dt.date) -> tuple[str, str]:
    rng = random.Random(f"{SEED}:{eid}:{day.isoformat()}")
    t_in = dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(seconds=rng.randint(0, 1799))
    t_out = (dt.datetime.combine(day, day_end(day))
             + dt.timedelta(seconds=rng.randint(20, 50 * 60)))
    return t_in.strftime("%H:%M:%S"), t_out.strftime("%H:%M:%S")


def signin_rows(month: str, on_leave) -> list[tuple[str, dt.date, str | None, str | None]]:
    rows = []
    for eid, *_ in PEOPLE:
        lo, hi = window(eid)
        for day in month_days(month):
            if not (lo <= day <= hi) or not is_dept_workday(day):
                continue
            if (eid, day) in punch:
                p = punch[(eid, day)]
                if p is NOROW:
                    continue
                rows.append((eid, day, p[0], p[1]))
            elif (eid, day) in on_leave:
                continue  # full-day leave: nobody punches
            else:
                rows.append((eid, day, *normal_punch(eid, day)))
    return rows


# --------------------------------------------------------------------------
# checks: the folder must be valid input
# --------------------------------------------------------------------------
def check(all_rows, on_leave):
    for (eid, day) in punch:
        lo, hi = window(eid)
        assert lo <= day <= hi and is_dept_workday(day), (eid, day)
    seen = set()
    for eid, day, t_in, t_out in all_rows:
        assert eid in PERSON and (eid, day) not in seen, (eid, day)
        seen.add((eid, day))
        if t_in and t_out:
            assert t_out > t_in, (eid, day)
    per = defaultdict(list)
    for lv in leaves:
        s, e = D(lv["start_date"]), D(lv["end_date"])
        lo, hi = window(lv["employee_id"])
        assert s <= e and lo <= s and e <= hi, lv
        assert is_dept_workday(s) and is_dept_workday(e), lv
        assert not lv["half_day"] or s == e, lv
        per[lv["employee_id"]].append((s, e))
    for spans in per.values():
        spans.sort()
        for (_s1, e1), (s2, _) in zip(spans, spans[1:]):
            assert s2 > e1, spans
    for v in violations:
        d = D(v["date"])
        lo, hi = window(v["employee_id"])
        assert lo <= d <= hi and is_dept_workday(d), v
        if v["code"] == "unfinished_work":
            assert 0.5 <= float(v["points"]) <= 1
    for eid, month, _ in awards:
        assert employed_in(eid, month), (eid, month)
    # sanity of the calendar reading the brief pins down
    may_rest = [d.day for d in month_days("2024-05") if not is_dept_workday(d)]
    assert may_rest == [1, 2, 3, 4, 5, 12, 19, 26], may_rest
    assert is_dept_workday(D("2024-04-28")) and is_dept_workday(D("2024-05-11"))
    assert not any(is_dept_workday(D(f"2024-04-0{n}")) for n in (4, 5, 6))


# --------------------------------------------------------------------------
# writers
# --------------------------------------------------------------------------
def write_csv(path: Path, header, rows, encoding="utf-8"):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if encoding == "gb18030" else "\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    path.write_bytes(buf.getvalue().encode(encoding))


def normalise_xlsx(path: Path):
    """Rewrite the zip with fixed timestamps so reruns are byte-identical."""
    entries = []
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            data = z.read(info.filename)
            if info.filename == "docProps/core.xml":
                stamp = FIXED_TS.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                              rb"\g<1>" + stamp, data)
            entries.append((info.filename, data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_TS.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def new_workbook(title: str):
    wb = openpyxl.Workbook()
    wb.properties.creator = "cs-rules sample generator"
    wb.properties.created = FIXED_TS
    ws = wb.active
    ws.title = title
    return wb, ws


def save_workbook(wb, path: Path):
    wb.save(path)
    normalise_xlsx(path)


def write_roster(path: Path):
    wb, ws = new_workbook("花名册")
    ws.append(["客服销售部 花名册 2024"])
    ws.append(["工号", "姓名", "职级", "入职日期", "离职日期", "辞职申请日期", "基本工资",
               "手机", "身份证号"])
    for n, (eid, name, grade, hire, leave_d, notice, base, birth) in enumerate(PEOPLE, 1):
        ws.append([eid, name, GRADE_CN[grade], D(hire), D(leave_d) if leave_d else None,
                   D(notice) if notice else None, base, fake_phone(n),
                   fake_id_number(n, birth)])
    for row in ws.iter_rows(min_row=3, min_col=4, max_col=6):
        for c in row:
            if c.value is not None:
                c.number_format = "yyyy-mm-dd"
    for col, width in zip("ABCDEFGHI", (8, 8, 14, 12, 12, 14, 10, 14, 22)):
        ws.column_dimensions[col].width = width
    save_workbook(wb, path)


def write_signin_april(path: Path, rows):
    wb, ws = new_workbook("考勤")
    ws.append(["客服销售部 考勤签到表 2024年4月"])
    ws.append(["工号", "姓名", "日期", "签到时间", "签退时间"])
    for eid, day, t_in, t_out in sorted(rows, key=lambda r: (r[1], r[0])):
        ws.append([eid, NAME[eid], day, t_in, t_out])
        ws.cell(ws.max_row, 3).number_format = "yyyy-mm-dd"
    for col, width in zip("ABCDE", (8, 8, 12, 10, 10)):
        ws.column_dimensions[col].width = width
    save_workbook(wb, path)


def write_performance(path: Path):
    wb, ws = new_workbook("绩效")
    ws.append(["employee_id", "month", "score"])
    for m in MONTHS:
        for eid, *_ in PEOPLE:
            if not employed_in(eid, m):
                continue
            if (eid, m) in score_override:
                s = score_override[(eid, m)]
                if s is None:
                    continue
            else:
                s = random.Random(f"{SEED}:score:{eid}:{m}").randint(62, 95)
            ws.append([eid, m, s])
    save_workbook(wb, path)


def md_table(header, rows) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows]
    return "\n".join(lines)


def write_readme(path: Path, counts):
    people = md_table(
        ["工号", "姓名", "grade", "hire_date", "leave_date", "notice_date", "base_salary"],
        [(p[0], p[1], p[2], p[3], p[4] or "", p[5] or "", p[6] or "") for p in PEOPLE])
    order = {p[0]: i for i, p in enumerate(PEOPLE)}
    table = md_table(["employee", "month", "date", "what happens", "rule"],
                     [(f"{e} {NAME[e]}", m, "whole month" if d == m else d, w, c)
                      for e, m, d, w, c in
                      sorted(scenarios, key=lambda s: (order[s[0]], s[2]))])
    workdays = ", ".join(
        f"{m}: {sum(map(is_dept_workday, month_days(m)))}" for m in MONTHS)
    text = f"""# sample_data — 客服销售部, March–May 2024

A small, entirely fictional customer-service department in the formats a real HR
folder arrives in. Generated by `scripts/make_sample_data.py` (deterministic; do not
edit by hand — change the script and rerun it). Phone numbers (170 0000 xxxx) and
id numbers (region code 000000) are synthetic.

Try it:

```
cs-rules validate --data sample_data
cs-rules payroll 2024-05 --data sample_data
cs-rules fines CS002 2024-05 --data sample_data
cs-rules score 2024-05 --data sample_data
```

## Files

| file | format |
|---|---|
| `roster.xlsx` | title row, header on row 2, Chinese headers, grades in Chinese, Excel date cells |
| `signin/2024-03.csv` | UTF-8, canonical English headers, ISO dates ({counts['2024-03']} rows) |
| `signin/2024-04.xlsx` | title row, Chinese headers (签到时间/签退时间), Excel date cells, times as text ({counts['2024-04']} rows) |
| `signin/2024-05.csv` | **GB18030**, Chinese headers (上班打卡/下班打卡), dates like `2024/5/6` ({counts['2024-05']} rows) |
| `leave.csv` | UTF-8 with BOM; types mixed English/Chinese; booleans mixed yes/no, 是/否, 1/0 ({len(leaves)} requests) |
| `violations.csv` | UTF-8, English codes, Chinese notes ({len(violations)} entries) |
| `performance.xlsx` | `employee_id, month, score` |
| `awards.csv` | `employee_id, month, award` ({len(awards)} awards) |

Missing values and missing punches are empty cells. A full-day absence appears
either as a row with both punch cells empty or as no row at all; full-day leave
days have no row.

Calendar (RULEBOOK §1, `chinesecalendar`): department workdays {workdays}.
Qingming 2024-04-04..06 and Labour Day 2024-05-01..05 are holiday blocks;
2024-04-07 (Sun), 2024-04-28 (Sun) and 2024-05-11 (Sat) are make-up workdays.
March/April use the winter day (09:00–17:30), May the summer day (09:00–18:00).

Everyone not listed below for a day signs in between 08:30:00 and 08:59:59 and out
after the day end, on every department workday of their employment window.

## People

{people}

## Scenarios: who exercises which rule

{table}

## Not exercised here

- `calendar.csv` day overrides and `rules.toml` (including `forfeiture = "apply"`):
  the sample runs on the embedded default rulebook and the national calendar.
- Raw punch exports (`punch_time`, DingTalk/WeCom `vendor_id`): the sample uses
  sign-in sheets only.
- Punches on rest days / outside the employment window (reported as information):
  the sample keeps the folder free of them.
- Pay date falling on a rest day: the pay dates of March–May 2024 (04-15, 05-15,
  06-15) are all department workdays.
"""
    path.write_text(text, encoding="utf-8")


# quarterly reviews (季度考核, 篇5 §四–五): each case `cs-rules promotion 2024-05` shows
REVIEWS = [
    ("CS005", "2024Q1", "A", "quarter graded A, top of the evaluations → eligible for mid", "篇5 §四.2G, §五.2"),
    ("CS002", "2024Q1", "A", "quarter graded A but evaluations rank 6 → not eligible for mid", "篇5 §四.2G"),
    ("CS004", "2023Q4", "B", None, ""),
    ("CS004", "2024Q1", "B", "two quarters graded B in a row → demotion triggered", "篇5 §四.2H"),
    ("CS003", "2024Q1", "C", "latest quarter graded below B → demotion triggered", "篇5 §四.2H"),
]


def build_reviews():
    for eid, _quarter, _grade, what, clause in REVIEWS:
        if what:
            scen(eid, "2024-05", f"reviews.csv: {what}", clause)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=REPO / "sample_data")
    args = ap.parse_args(argv)
    out: Path = args.out

    build_scenarios()
    build_reviews()
    on_leave = leave_days(leaves)
    by_month = {m: signin_rows(m, on_leave) for m in MONTHS}
    check([r for rows in by_month.values() for r in rows], on_leave)

    for name in OWNED:
        (out / name).unlink(missing_ok=True)
    (out / "signin").mkdir(parents=True, exist_ok=True)

    write_roster(out / "roster.xlsx")
    write_csv(out / "signin/2024-03.csv", ["employee_id", "name", "date", "sign_in", "sign_out"],
              [(e, NAME[e], d.isoformat(), i, o) for e, d, i, o in by_month["2024-03"]])
    write_signin_april(out / "signin/2024-04.xlsx", by_month["2024-04"])
    write_csv(out / "signin/2024-05.csv", ["工号", "姓名", "日期", "上班打卡", "下班打卡"],
              [(e, NAME[e], f"{d.year}/{d.month}/{d.day}", i, o)
               for e, d, i, o in by_month["2024-05"]], encoding="gb18030")
    leave_cols = ["employee_id", "start_date", "end_date", "type", "half_day",
                  "certificate", "approved"]
    write_csv(out / "leave.csv", leave_cols,
              [[lv[c] for c in leave_cols] for lv in sorted(leaves, key=lambda x: (
                  x["start_date"], x["employee_id"]))], encoding="utf-8-sig")
    viol_cols = ["date", "employee_id", "code", "minutes", "points", "note"]
    write_csv(out / "violations.csv", viol_cols,
              [[v[c] for c in viol_cols] for v in sorted(violations, key=lambda x: (
                  x["date"], x["employee_id"]))])
    write_performance(out / "performance.xlsx")
    write_csv(out / "awards.csv", ["employee_id", "month", "award"],
              sorted(awards, key=lambda a: (a[1], a[0])))
    write_csv(out / "reviews.csv", ["employee_id", "quarter", "grade"], [r[:3] for r in REVIEWS])
    write_readme(out / "README.md", {m: len(r) for m, r in by_month.items()})
    print(f"wrote {len(OWNED)} files to {out}")


if __name__ == "__main__":
    main()
