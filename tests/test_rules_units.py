"""One unit test per registered rule function (``cs_rules.rules.REGISTRY``), on tiny in-memory arrays.

Each test calls the registered function itself (``handler(kind, name).fn``) with the
default rulebook's entry — or a copy with other numbers (``dataclasses.replace``) — on
two or three grid rows, a few log entries and a few employees built by the factories
below, the way the engine builds them (``engine/grid.py``, ``engine/ledger.py``,
``engine/payroll.py``).  No files, no CLI, no ``compute_month``.

Unless a test says otherwise: May 2024, summer day 09:00–18:00, punches 08:55–18:05,
employees E1 and E2 (a third or more where the case needs them), junior base 2200.00
(220000 fen; daily 2200 / 21.75 = 101.149…).  A test is named after the clause it checks.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cs_rules.engine.calendar import make_month
from cs_rules.model.calendar import DeptCalendar
from cs_rules.problems import Problem
from cs_rules.rulebook import Entry, Rulebook, default_rulebook
from cs_rules.rules import KINDS, REGISTRY, handler, load
from cs_rules.rules.base import GridDays, LedgerInputs, Lines, PayInputs, PayLine
from cs_rules.rules.promotion import Criterion, Standing, Verdict

BOOK = default_rulebook()
MONTH = make_month(DeptCalendar(frozenset({7})), 2024, 5)  # 23 workdays; 05-01..05 a holiday block
MAY_WORKDAYS = [d.date.day for d in MONTH.days if d.workday]
DAY0 = int(np.datetime64("2024-05-01", "ns").astype("int64"))
START, END = 9 * 3600, 18 * 3600  # the summer day (篇1 §一.1)
IN_OK, OUT_OK = "08:55", "18:05"
IDS = ("E1", "E2")
LEAVE_TYPES = ("personal", "sick", "annual")

COVERED: set[tuple[str, str]] = set()


def covers(kind: str, name: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Mark a test as the unit test of the registered rule ``(kind, name)``."""
    COVERED.add((kind, name))
    return lambda test: test


def fn(kind: str, name: str) -> Callable[..., Any]:
    return handler(kind, name).fn


def entry(kind: str, code: str, **params: Any) -> Entry:
    """The default rulebook's entry, with ``params`` changed if given."""
    e = BOOK.entry(kind, code)
    return dataclasses.replace(e, params={**e.params, **params}) if params else e


def book_with(path: str, value: Any) -> Rulebook:
    """A copy of the default rulebook with one dotted key set."""
    data = copy.deepcopy(BOOK.data)
    *parents, last = path.split(".")
    node = data
    for p in parents:
        node = node[p]
    node[last] = value
    return Rulebook(data)


def secs(hms: str | None) -> float:
    """"09:00" or "09:00:01" → seconds since midnight; None → NaN (no punch)."""
    if hms is None:
        return float("nan")
    h, m, *s = (int(x) for x in hms.split(":"))
    return float(h * 3600 + m * 60 + (s[0] if s else 0))


def dates(days: list[int]) -> np.ndarray:
    """May 2024 days as the grid holds them (the engine's ``pd.to_datetime`` of dates: datetime64[s])."""
    return pd.to_datetime(pd.Series([dt.date(2024, 5, d) for d in days], dtype="object")).to_numpy()


def day_of(values: Any) -> list[int]:
    return [int(str(d)[8:10]) for d in np.asarray(values).astype("datetime64[D]").astype(str)]


def cat(values: list[Any], categories: list[str] | tuple[str, ...] | None = None) -> pd.Categorical:
    cats = list(categories) if categories is not None else sorted({v for v in values if v is not None})
    codes = np.array([cats.index(v) if v is not None else -1 for v in values], dtype=np.int8)
    return pd.Categorical.from_codes(codes, categories=pd.Index(cats, dtype=object))


# ------------------------------------------------------------------------------------- the violations log

def log(*entries: tuple[Any, ...]) -> pd.DataFrame:
    """The violations log as loaded: ``(employee_id, day, code[, minutes[, points[, note]]])`` per entry,
    rows 2, 3, … of violations.csv in the order given."""
    rows = [(*e, *(None,) * (6 - len(e))) for e in entries]
    return pd.DataFrame({
        "_file": pd.Series(["violations.csv"] * len(rows), dtype="str"),
        "_sheet": pd.Series([""] * len(rows), dtype="str"),
        "_row": pd.Series(range(2, 2 + len(rows)), dtype="int64"),
        "date": pd.Series([pd.Timestamp(2024, 5, r[1]) for r in rows], dtype="datetime64[ns]"),
        "employee_id": pd.Series([r[0] for r in rows], dtype="string"),
        "code": pd.Series([r[2] for r in rows], dtype="string"),
        "minutes": pd.Series([r[3] for r in rows], dtype="float64"),
        "points": pd.Series([r[4] for r in rows], dtype="float64"),
        "note": pd.Series([r[5] for r in rows], dtype="string"),
    })


def month_log(v: pd.DataFrame) -> pd.DataFrame:
    """The month's log the ledgers read: sorted by employee, date and row (``ledger.month_violations``)."""
    return v.sort_values(["employee_id", "date", "_row"], kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------------------------- GridDays (statuses)

def day(e: int, d: int, sin: str | None = IN_OK, sout: str | None = OUT_OK, leave: str | None = None,
        half: bool = False, approved: bool = True, certificate: bool = False) -> dict[str, Any]:
    """One employee-workday for :func:`grid_days`: employee index, day of May, punches, a leave request."""
    return {"e": e, "d": d, "sin": sin, "sout": sout, "leave": leave, "half": half, "approved": approved,
            "certificate": certificate}


def grid_days(*rows: dict[str, Any], ids: tuple[str, ...] = IDS, violations: pd.DataFrame | None = None,
              types: tuple[str, ...] = LEAVE_TYPES) -> GridDays:
    """The arrays ``engine.grid.day_grid`` hands the status rules, for a few rows (sorted by employee, day)."""
    rs = sorted(rows, key=lambda r: (r["e"], r["d"]))
    n = len(rs)
    ei = np.array([r["e"] for r in rs], dtype="int64")
    dom = np.array([r["d"] for r in rs], dtype="int64")
    leave_rows = np.array([i for i, r in enumerate(rs) if r["leave"]], dtype="int64")
    return GridDays(
        n, ei, np.array([MAY_WORKDAYS.index(r["d"]) for r in rs], dtype="int64"),
        np.array([secs(r["sin"]) for r in rs], dtype=float), np.array([secs(r["sout"]) for r in rs], dtype=float),
        np.full(n, float(START)), np.full(n, float(END)), leave_rows,
        np.array([(0.5 if r["half"] else 1.0) if r["leave"] else 0.0 for r in rs]),
        np.array([r["approved"] for r in rs], dtype=bool), np.array([r["certificate"] for r in rs], dtype=bool),
        np.array([types.index(r["leave"]) if r["leave"] else -1 for r in rs], dtype=np.int8),
        pd.Index(list(types), dtype=object), log() if violations is None else violations,
        pd.Series(list(ids), dtype="string"), DAY0, ei * 32 + dom - 1)


def as_list(values: Any) -> list[Any]:
    return np.asarray(values).tolist()


# ------------------------------------------------------------------------------------- LedgerInputs (ledgers)

def row(e: int, d: int, *, late: int = 0, early: int = 0, missing: str | None = None, punched: bool = True,
        sheet_row: bool = True, leave: str | None = None, leave_days: float | None = None,
        leave_row: int | None = None, absent: float = 0.0, off_post_row: int | None = None,
        converted: bool = False) -> dict[str, Any]:
    """One grid row after the statuses: ``late``/``early`` minutes, ``missing`` "in"/"out", no punches
    (``punched=False``; ``sheet_row=False``: not even a sign-in row), leave of a type and its days, the
    leave request's row (also for leave that is no longer leave), days absent, an off-post entry's row."""
    return dict(locals())


def ledger_grid(*rows: dict[str, Any], ids: tuple[str, ...] = IDS,
                types: tuple[str, ...] = LEAVE_TYPES) -> pd.DataFrame:
    """The month's grid frame as ``day_grid`` returns it, for the columns the ledger and pay rules read."""
    rs = sorted(rows, key=lambda r: (r["e"], r["d"]))
    n = len(rs)
    sin = [float("nan") if not r["punched"] or r["missing"] == "in" else
           float(START + 60 * r["late"]) if r["late"] else secs(IN_OK) for r in rs]
    sout = [float("nan") if not r["punched"] or r["missing"] == "out" else
            float(END - 60 * r["early"]) if r["early"] else secs(OUT_OK) for r in rs]
    punch_rows = [float(i + 2) if r["sheet_row"] else float("nan") for i, r in enumerate(rs)]
    leave_no = iter(range(2, 2 + n))
    leave_rows = [float(r["leave_row"]) if r["leave_row"] is not None else
                  float(next(leave_no)) if r["leave"] else float("nan") for r in rs]
    leave_days = [r["leave_days"] if r["leave_days"] is not None else 1.0 if r["leave"] else 0.0 for r in rs]
    absent = [r["absent"] for r in rs]
    return pd.DataFrame({
        "employee_id": pd.Categorical.from_codes(np.array([r["e"] for r in rs], dtype=np.int8),
                                                 categories=pd.Index(list(ids), dtype=object)),
        "date": dates([r["d"] for r in rs]),
        "emp_idx": np.array([r["e"] for r in rs], dtype="int64"),
        "wd_idx": np.array([r["d"] - 1 for r in rs], dtype="int64"),  # the day of the month, 0-based
        "sign_in": np.array(sin), "sign_out": np.array(sout),
        "punch_file": cat(["signin.csv" if r["sheet_row"] else None for r in rs]),
        "punch_row": np.array(punch_rows),
        "leave_type": cat([r["leave"] for r in rs], types),
        "leave_file": cat(["leave.csv" if x == x else None for x in leave_rows]),
        "leave_row": np.array(leave_rows),
        "missing_punch": np.array([r["missing"] is not None for r in rs], dtype=bool),
        "late": np.array([r["late"] > 0 for r in rs], dtype=bool),
        "early": np.array([r["early"] > 0 for r in rs], dtype=bool),
        "late_minutes": np.array([r["late"] for r in rs], dtype="int64"),
        "early_minutes": np.array([r["early"] for r in rs], dtype="int64"),
        "off_post_file": cat(["violations.csv" if r["off_post_row"] else None for r in rs]),
        "off_post_row": np.array([float(r["off_post_row"] or "nan") for r in rs]),
        "attended": np.clip(1.0 - np.array(absent) - np.array(leave_days), 0.0, None),
        "absent": np.array(absent, dtype=float),
        "leave_days": np.array(leave_days, dtype=float),
        "leave_frac": np.array(leave_days, dtype=float), "approved": np.ones(n, dtype=bool),
        "away_frac": np.zeros(n),
        "sick_converted": np.array([r["converted"] for r in rs], dtype=bool),
    })


def ledger_inputs(*rows: dict[str, Any], entries: tuple[tuple[Any, ...], ...] = (),
                  ids: tuple[str, ...] = IDS) -> LedgerInputs:
    """``LedgerInputs.of`` a tiny grid and the month's log, as ``compute_month`` builds it."""
    return LedgerInputs.of(ledger_grid(*rows, ids=ids), month_log(log(*entries)))


def table(lines: Lines | None, *fields: str) -> list[tuple[Any, ...]]:
    """The ledger lines as tuples of ``fields`` ("emp", "day" or a :class:`Lines` field), scalars broadcast."""
    if lines is None:
        return []
    n = len(lines.emp)
    out = []
    for f in fields:
        if f == "emp":
            out.append([int(x) for x in lines.emp])
        elif f == "day":
            out.append(day_of(lines.date))
        else:
            v = getattr(lines, f)
            out.append([v] * n if isinstance(v, str) else v.to_pylist() if hasattr(v, "to_pylist")
                       else np.broadcast_to(np.asarray(v), (n,)).tolist())
    return list(zip(*out, strict=True))


# ------------------------------------------------------------------------------------- PayInputs (pay, flags)

def employees(n: int, *, start: list[int] | None = None, end: list[int] | None = None,
              base_salary: list[str | None] | None = None, leave_date: list[str | None] | None = None,
              notice_date: list[str | None] | None = None, team: list[str] | None = None) -> pd.DataFrame:
    """The month's employees as ``engine.grid.employment`` gives them: E1…En with their window in May."""
    first, last = pd.Timestamp(MONTH.first), pd.Timestamp(MONTH.last)
    ws = pd.Series([pd.Timestamp(2024, 5, d) for d in start] if start else [first] * n, dtype="datetime64[ns]")
    we = pd.Series([pd.Timestamp(2024, 5, d) for d in end] if end else [last] * n, dtype="datetime64[ns]")

    def when(values: list[str | None] | None) -> pd.Series:
        return pd.Series(pd.to_datetime(values if values else [None] * n), dtype="datetime64[ns]")

    e = pd.DataFrame({
        "_file": pd.Series(["roster.csv"] * n, dtype="str"), "_sheet": pd.Series([""] * n, dtype="str"),
        "_row": pd.Series(range(2, 2 + n), dtype="int64"),
        "employee_id": pd.Series([f"E{i + 1}" for i in range(n)], dtype="string"),
        "name": pd.Series([f"员工{i + 1}" for i in range(n)], dtype="string"),
        "grade": pd.Series(["junior"] * n, dtype="string"),
        "leave_date": when(leave_date), "notice_date": when(notice_date),
        "base_salary": pd.Series(base_salary or [None] * n, dtype="string"),
        "win_start": ws, "win_end": we,
    })
    e["full_month"] = (e["win_start"] == first) & (e["win_end"] == last)
    if team is not None:
        e["team"] = pd.Series(team, dtype="string")
    return e


def default_cols(n: int) -> dict[str, Any]:
    """The month's per-employee counts and totals ``compute_month`` puts in ``cols`` before the pay lines."""
    zf, zi = np.zeros(n), np.zeros(n, dtype="int64")
    return {
        "workdays": np.full(n, 23, dtype="int64"), "attended_days": np.full(n, 23.0), "absent_days": zf.copy(),
        "late_count": zi.copy(), "early_leave_count": zi.copy(), "missing_punch_count": zi.copy(),
        "personal_leave_days": zf.copy(), "sick_leave_days": zf.copy(), "paid_leave_days": zf.copy(),
        "unpaid_leave_days": zf.copy(), "sick_converted": np.zeros(n, dtype=bool), "holiday_days": zi.copy(),
        "base_fen": np.full(n, 220000, dtype="int64"), "fines_fen": zi.copy(), "reward_fen": zi.copy(),
        "awards": zi.copy(), "nominations": zi.copy(), "award_points": zf.copy(), "award_bonus_fen": zi.copy(),
        "performance_score": np.full(n, np.nan), "performance_source": np.array([""] * n, dtype=object),
    }


def pay_inputs(n: int, *, book: Rulebook = BOOK, emp: pd.DataFrame | None = None, grid: pd.DataFrame | None = None,
               inputs: LedgerInputs | None = None, lines: dict[str, PayLine] | None = None,
               flags: dict[str, list[bool]] | None = None, award_rows: pd.DataFrame | None = None,
               **cols: Any) -> PayInputs:
    """``PayInputs`` of ``n`` employees with hand-made ``cols`` (lists, cast to the engine's dtypes)."""
    c = default_cols(n)
    for k, v in cols.items():
        c[k] = np.asarray(v, dtype=c[k].dtype) if k in c else np.asarray(v)
    std = Decimal(str(book.get("pay.standard_days")))
    c["daily_rate"] = np.array([Decimal(int(b)) / 100 / std for b in c["base_fen"]], dtype=object)
    ids = tuple(f"E{i + 1}" for i in range(n))
    g = grid if grid is not None else ledger_grid(ids=ids)
    return PayInputs(book, MONTH, emp if emp is not None else employees(n), g, {},
                     inputs if inputs is not None else LedgerInputs.of(g, month_log(log())), c,
                     dict(lines or {}), {k: np.asarray(v, dtype=bool) for k, v in (flags or {}).items()}, award_rows)


def pay(name: str, code: str, p: PayInputs, **params: Any) -> PayLine:
    line: PayLine = fn("pay", name)(p, entry("pay", code, **params), p.book)
    assert line.code == code and line.amount_fen.dtype == np.int64
    return line


def flag(name: str, p: PayInputs, code: str | None = None, **params: Any) -> list[bool]:
    return as_list(fn("flag", name)(p, entry("flag", code or name, **params), p.book))


# ===================================================================================== statuses (RULEBOOK §2)

@covers("status", "present")
def test_RULEBOOK_2_4_present_any_punch_attends_the_day() -> None:
    g = grid_days(day(0, 6), day(0, 7, sout=None), day(0, 8, sin=None), day(0, 9, sin=None, sout=None))
    fn("status", "present")(g, entry("status", "present"), BOOK)
    assert as_list(g.attended) == [1.0, 1.0, 1.0, 0.0]
    empty = grid_days()
    fn("status", "present")(empty, entry("status", "present"), BOOK)
    assert as_list(empty.attended) == []


@covers("status", "absent")
def test_篇1_五_6_absent_a_workday_not_attended_is_absence() -> None:
    g = grid_days(day(0, 6), day(0, 7, sin=None, sout=None), day(1, 6, sin=None))
    g.attended = np.array([1.0, 0.0, 0.5])  # as present (and a half day) left them
    fn("status", "absent")(g, entry("status", "absent"), BOOK)
    assert as_list(g.absent) == [0.0, 1.0, 0.5]


@covers("status", "leave")
def test_篇1_五_9_leave_approved_covers_its_day_half_day_splits_unapproved_is_absence() -> None:
    g = grid_days(
        day(0, 6, sin=None, sout=None, leave="personal"),  # full day, approved
        day(0, 7, leave="annual"),  # full day approved, punched anyway: still a leave day
        day(0, 8, leave="personal", half=True),  # half day with punches: the other half attended
        day(0, 9, sin=None, sout=None, leave="personal", half=True),  # half day, no punch: other half absent
        day(1, 6, leave="annual", approved=False),  # unapproved: absent (篇1 §五.9)
        day(1, 7, leave="personal", half=True, approved=False),  # unapproved half day with punches
        day(1, 8))  # no leave: untouched
    g.attended = (g.has_in | g.has_out).astype(float)
    g.absent = 1.0 - g.attended
    fn("status", "leave")(g, entry("status", "leave"), BOOK)
    assert as_list(g.leave_days) == [1.0, 1.0, 0.5, 0.5, 0.0, 0.0, 0.0]
    assert as_list(g.attended) == [0.0, 0.0, 0.5, 0.0, 0.0, 0.5, 1.0]
    assert as_list(g.absent) == [0.0, 0.0, 0.0, 0.5, 1.0, 0.5, 0.0]
    assert as_list(g.on_leave) == [True, True, True, True, True, True, False]
    assert as_list(g.type_codes) == [0, 2, 0, 0, -1, -1, -1]  # unapproved leave stops being leave


@covers("status", "away")
def test_篇1_二_2_an_approved_trip_or_outing_is_a_day_attended() -> None:
    g = grid_days(day(0, 6, sin=None, sout=None), day(0, 7, sin=None, sout=None), day(0, 8, sout=None),
                  day(1, 6, sin=None, sout=None, leave="annual"), day(1, 7, sin=None, sout=None))
    g.attended = (g.has_in | g.has_out).astype(float)
    g.absent = 1.0 - g.attended
    g.on_leave = np.array([False, False, False, True, False])
    g.away_frac = np.array([1.0, 0.5, 0.5, 1.0, 0.0])  # full trip, half outing without and with punches, …
    fn("status", "away")(g, entry("status", "away"), BOOK)
    assert as_list(g.attended) == [1.0, 0.5, 1.0, 0.0, 0.0]  # … leave wins over a trip; no approval: untouched
    assert as_list(g.absent) == [0.0, 0.5, 0.0, 1.0, 1.0]
    assert as_list(g.judged) == [False, False, False, False, False]  # a trip day is not judged for lateness


@covers("status", "vendor_verdict")
def test_RULEBOOK_1b_vendor_mode_takes_the_exports_verdicts() -> None:
    def run(mode: str) -> GridDays:
        g = grid_days(day(0, 6, sin="09:30"), day(0, 7, sin=None, sout=None), day(0, 8), day(1, 6, sout=None))
        g.on_leave = np.zeros(4, dtype=bool)
        g.attended = (g.has_in | g.has_out).astype(float)
        g.absent = 1.0 - g.attended
        for name in ("missing", "late", "early"):
            fn("status", name)(g, entry("status", name), BOOK)
        g.verdicts = pd.DataFrame({
            "employee_id": ["E1", "E1", "E1", "E2"],
            "date": pd.to_datetime(["2024-05-06", "2024-05-07", "2024-05-08", "2024-05-06"]),
            "late": [False, False, True, False], "early": [False, False, False, False],
            "missing": [False, True, False, False], "absent": [False, False, False, False],
            "text": ["正常", "缺卡2次", "迟到12分钟", "正常"]})
        fn("status", "vendor_verdict")(g, entry("status", "vendor_verdict"), book_with("attendance.schedule", mode))
        return g

    g = run("vendor")  # a flexible rule: 09:30 is on time; 05-08 late 12 min by the export
    assert as_list(g.late) == [False, False, True, False] and as_list(g.late_minutes) == [0, 0, 12, 0]
    assert as_list(g.missing_punch) == [False, True, False, False]  # E2's lone punch: the export says 正常
    assert as_list(g.attended) == [1.0, 1.0, 1.0, 1.0] and as_list(g.absent) == [0.0] * 4  # 缺卡, not 旷工
    g = run("rulebook")  # the default: the rulebook's day, the verdicts only compared by validate
    assert as_list(g.late) == [True, False, False, False] and as_list(g.absent) == [0.0, 1.0, 0.0, 0.0]


@covers("status", "missing")
def test_篇1_五_3_missing_punch_exactly_one_of_sign_in_and_sign_out_on_a_present_day() -> None:
    g = grid_days(day(0, 6), day(0, 7, sout=None), day(0, 8, sin=None), day(0, 9, sin=None, sout=None),
                  day(1, 6, sout=None, leave="personal", half=True))
    g.on_leave = np.array([False, False, False, False, True])
    fn("status", "missing")(g, entry("status", "missing"), BOOK)
    assert as_list(g.missing_punch) == [False, True, True, False, False]  # half day: not judged


@covers("status", "late")
def test_篇1_五_8_late_after_the_day_start_to_the_second_minutes_rounded_up() -> None:
    g = grid_days(day(0, 6, sin="09:00:00"), day(0, 7, sin="09:00:01"), day(0, 8, sin="09:30:00"),
                  day(0, 9, sin="09:30:01"), day(0, 10, sin=None), day(1, 6, sin="08:59:59"),
                  day(1, 7, sin="10:00", leave="personal", half=True))
    g.on_leave = np.array([False] * 6 + [True])
    fn("status", "late")(g, entry("status", "late"), BOOK)
    assert as_list(g.late) == [False, True, True, True, False, False, False]
    assert as_list(g.late_minutes) == [0, 1, 30, 31, 0, 0, 0]
    # a grace period moves the threshold, not the minutes (counted from the day start)
    g = grid_days(day(0, 6, sin="09:05:00"), day(0, 7, sin="09:05:01"))
    g.on_leave = np.zeros(2, dtype=bool)
    fn("status", "late")(g, entry("status", "late"), book_with("attendance.grace_minutes", 5))
    assert as_list(g.late) == [False, True]
    assert as_list(g.late_minutes) == [0, 6]


@covers("status", "early")
def test_篇1_五_8_early_before_the_day_end_to_the_second_minutes_rounded_up() -> None:
    g = grid_days(day(0, 6, sout="18:00:00"), day(0, 7, sout="17:59:59"), day(0, 8, sout="17:50"),
                  day(0, 9, sout="17:29:30"), day(1, 6, sout=None), day(1, 7, sout="12:00", leave="sick", half=True))
    g.on_leave = np.array([False] * 5 + [True])
    fn("status", "early")(g, entry("status", "early"), BOOK)
    assert as_list(g.early) == [False, True, True, True, False, False]
    assert as_list(g.early_minutes) == [0, 1, 10, 31, 0, 0]


@covers("status", "half_day")
def test_RULEBOOK_1b_late_or_early_past_the_half_day_limit_is_half_a_day_absent_instead() -> None:
    g = grid_days(day(0, 6, sin="09:30"), day(0, 7, sin="09:31"), day(0, 8, sout="17:00"),
                  day(0, 9, sin="11:00", sout="16:00"), day(1, 6, sin="12:00", sout=None))
    g.on_leave = np.zeros(5, dtype=bool)
    for name in ("present", "absent", "missing", "late", "early"):
        fn("status", name)(g, entry("status", name), BOOK)
    off = dataclasses.replace(g, late=g.late.copy(), early=g.early.copy(), attended=g.attended.copy(),
                              absent=g.absent.copy(), extra={})
    fn("status", "half_day")(off, entry("status", "half_day"), BOOK)  # the default: off
    assert as_list(off.absent) == [0.0] * 5 and as_list(off.late) == as_list(g.late)
    fn("status", "half_day")(g, entry("status", "half_day", late_minutes=30, early_minutes=60), BOOK)
    # 30 min late is the limit (late, fined as late); 31 min the first half absent, not late; 60 min early the
    # limit; both halves missed: the whole day absent; a lone late sign-in: half absent and still a missing punch
    assert as_list(g.late) == [True, False, False, False, False]
    assert as_list(g.early) == [False, False, True, False, False]
    assert as_list(g.attended) == [1.0, 0.5, 1.0, 0.0, 0.5]
    assert as_list(g.absent) == [0.0, 0.5, 0.0, 1.0, 0.5]
    assert as_list(g.extra["half_day_late"]) == [0, 31, 0, 120, 180]
    assert as_list(g.extra["half_day_early"]) == [0, 0, 0, 120, 0]
    assert as_list(g.missing_punch) == [False, False, False, False, True]


@covers("status", "off_post")
def test_篇1_二_2_off_post_over_10_minutes_is_half_a_day_absent() -> None:
    v = log(("E1", 6, "off_post", 11), ("E1", 7, "off_post", 10), ("E1", 8, "off_post", 30),
            ("E2", 6, "off_post", 45), ("E2", 7, "chatting", 60), ("E9", 6, "off_post", 60))
    g = grid_days(day(0, 6), day(0, 7), day(0, 8, sin=None, sout=None),
                  day(1, 6, leave="personal", half=True), day(1, 7), violations=v)
    g.attended = np.array([1.0, 1.0, 0.0, 0.5, 1.0])  # E1 05-08 absent already, E2 05-06 half a day on leave
    g.absent = np.array([0.0, 0.0, 1.0, 0.0, 0.0])
    fn("status", "off_post")(g, entry("status", "off_post"), BOOK)
    # 11 min: half a day; 10 min (the limit): nothing; nothing left to take on an absent day; other codes
    # and unknown employees: nothing
    assert as_list(g.attended) == [0.5, 1.0, 0.0, 0.0, 1.0]
    assert as_list(g.absent) == [0.5, 0.0, 1.0, 0.5, 0.0]
    assert list(pd.Series(g.extra["off_post_file"]).astype(object).fillna("")) == ["violations.csv", "", "", "violations.csv", ""]
    assert [x if x == x else None for x in g.extra["off_post_row"]] == [2.0, None, None, 5.0, None]
    # a longer limit from the rulebook entry: 11 minutes is nothing
    g = grid_days(day(0, 6), violations=log(("E1", 6, "off_post", 11)))
    g.attended, g.absent = np.array([1.0]), np.array([0.0])
    fn("status", "off_post")(g, entry("status", "off_post", minutes=15), BOOK)
    assert (as_list(g.attended), as_list(g.absent)) == ([1.0], [0.0])


@covers("status", "sick_as_personal")
def test_篇1_五_4_sick_run_of_two_workdays_without_certificate_counts_as_personal() -> None:
    sick = {"sin": None, "sout": None, "leave": "sick"}
    g = grid_days(
        day(0, 6, **sick), day(0, 7, **sick),  # a run of 2, no certificate: personal
        day(0, 8), day(0, 9, **sick),  # a single sick day: needs no certificate
        day(1, 6, **sick, certificate=True), day(1, 7, **sick, certificate=True),  # certified run
        day(1, 9, **sick, half=True), day(1, 10, **sick), day(1, 11),  # a half day does not make a run
        day(1, 18, **sick), day(1, 20, **sick),  # Sat + Mon: consecutive workdays across the Sunday
        types=("sick", "annual"))
    g.leave_days = g.leave_frac.copy()  # as leave left them (all approved)
    fn("status", "sick_as_personal")(g, entry("status", "sick_as_personal"), BOOK)
    assert as_list(g.sick_converted) == [True, True, False, False] + [False] * 5 + [True, True]
    assert list(g.leave_types) == ["sick", "annual", "personal"]  # the type it counts as is added
    assert as_list(g.type_codes) == [2, 2, -1, 0, 0, 0, 0, 0, -1, 2, 2]
    # no sick leave at all: nothing converted, the types as they were
    g = grid_days(day(0, 6), day(1, 6, leave="annual"), types=("annual",))
    g.leave_days = g.leave_frac.copy()
    fn("status", "sick_as_personal")(g, entry("status", "sick_as_personal"), BOOK)
    assert as_list(g.sick_converted) == [False, False] and list(g.leave_types) == ["annual"]


# ===================================================================================== fines and rewards (§3)

@covers("fine", "late_early")
def test_篇1_五_8_late_early_ladder_shares_one_counter() -> None:
    m = ledger_inputs(row(0, 6, late=5), row(0, 7, late=40, early=10), row(0, 8, early=1), row(0, 9),
                      row(1, 6, early=30))
    lines = fn("fine", "late_early")(m, entry("fine", "late_early"), BOOK)
    # one counter per employee, in date order, late before early on a day; beyond the ladder: its last step
    assert table(lines, "emp", "day", "order", "amount_fen", "note", "source") == [
        (0, 6, 0, 1000, "1. 5 min late", "signin.csv:2"),
        (0, 7, 0, 2000, "2. 40 min late", "signin.csv:3"),
        (0, 7, 1, 2000, "3. 10 min early", "signin.csv:3"),
        (0, 8, 1, 2000, "4. 1 min early", "signin.csv:4"),
        (1, 6, 1, 1000, "1. 30 min early", "signin.csv:6"),
    ]
    assert set(table(lines, "code", "rule")) == {("late_early", "篇1 §五.8")}
    one_step = fn("fine", "late_early")(m, entry("fine", "late_early", amounts=["5.00"]), BOOK)
    assert table(one_step, "amount_fen") == [(500,)] * 5
    free = fn("fine", "late_early")(m, entry("fine", "late_early", amounts=[]), BOOK)
    assert table(free, "amount_fen") == [(0,)] * 5
    none = fn("fine", "late_early")(ledger_inputs(row(0, 6), row(1, 6)), entry("fine", "late_early"), BOOK)
    assert table(none, "amount_fen") == []


@covers("fine", "missing_punch")
def test_篇1_五_3_missing_punch_fine_for_each_missing_sign_in_or_sign_out() -> None:
    m = ledger_inputs(row(0, 6, missing="in"), row(0, 7, missing="out"), row(1, 6), row(1, 7, punched=False))
    lines = fn("fine", "missing_punch")(m, entry("fine", "missing_punch"), BOOK)
    assert table(lines, "emp", "day", "order", "code", "amount_fen", "rule", "note", "source") == [
        (0, 6, 2, "missing_punch", 1000, "篇1 §五.3", "no sign-in", "signin.csv:2"),
        (0, 7, 2, "missing_punch", 1000, "篇1 §五.3", "no sign-out", "signin.csv:3"),
    ]
    dearer = fn("fine", "missing_punch")(m, entry("fine", "missing_punch", amount="15.00"), BOOK)
    assert table(dearer, "amount_fen") == [(1500,), (1500,)]


@covers("fine", "corrections")
def test_RULEBOOK_2_each_approved_correction_is_a_line_free_ones_cost_nothing() -> None:
    g = ledger_grid(row(0, 6), row(0, 7), row(0, 8), row(1, 6))
    g["corrected"] = np.array([1, 2, 3, 0], dtype="int8")
    g["correction_file"] = cat(["corrections.csv", "corrections.csv", "corrections.csv", None])
    g["correction_row"] = np.array([2.0, 3.0, 4.0, np.nan])
    m = LedgerInputs.of(g, month_log(log()))
    lines = fn("fine", "corrections")(m, entry("fine", "punch_correction"), BOOK)
    assert table(lines, "emp", "day", "amount_fen", "note", "source") == [
        (0, 6, 0, "1. approved 补卡: sign-in", "corrections.csv:2"),
        (0, 7, 0, "2. approved 补卡: sign-out", "corrections.csv:3"),
        (0, 8, 0, "3. approved 补卡: sign-in and sign-out", "corrections.csv:4")]
    dear = fn("fine", "corrections")(m, entry("fine", "punch_correction", free=2, amount="20.00"), BOOK)
    assert table(dear, "amount_fen") == [(0,), (0,), (2000,)]


@covers("fine", "leave_days")
def test_篇1_五_4_personal_leave_fine_per_day_half_day_half_rounded_half_up() -> None:
    m = ledger_inputs(row(0, 6, leave="personal"), row(0, 7, leave="personal", leave_days=0.5),
                      row(0, 8, leave="sick"), row(0, 9, leave="annual"),
                      row(1, 6, leave="personal", converted=True), row(1, 7, leave_row=9, absent=1.0))
    lines = fn("fine", "leave_days")(m, entry("fine", "personal_leave"), BOOK)
    assert table(lines, "emp", "day", "order", "code", "amount_fen", "rule", "note", "source") == [
        (0, 6, 3, "personal_leave", 3000, "篇1 §五.4", "", "leave.csv:2"),
        (0, 7, 3, "personal_leave", 1500, "篇1 §五.4", "half day", "leave.csv:3"),
        (1, 6, 3, "personal_leave", 3000, "篇1 §五.4", "sick leave without certificate, as personal", "leave.csv:6"),
    ]
    # half of 30.01 is 15.005: rounded half-up to 15.01
    odd = fn("fine", "leave_days")(m, entry("fine", "personal_leave", amount="30.01"), BOOK)
    assert table(odd, "amount_fen") == [(3001,), (1501,), (3001,)]
    # a leave type nobody took this month: no lines
    assert fn("fine", "leave_days")(m, entry("fine", "personal_leave", leave="marriage"), BOOK) is None


@covers("fine", "logged")
def test_篇1_五_1_3_5_logged_fines_a_fixed_amount_per_event_any_new_fine_too() -> None:
    family = [e for e in BOOK.entries("fine") if e.handler == "logged"]
    assert [e.code for e in family] == ["desk_untidy", "registration_error", "chatting"]
    dress = Entry("fine", "dress_code", "篇8 §三", "着装不规范", "dress code", "logged", params={"amount": "20.00"})
    m = ledger_inputs(row(0, 6), row(1, 6), entries=(
        ("E1", 6, "desk_untidy", None, None, "杯子乱放"), ("E1", 6, "private_call"), ("E2", 8, "registration_error"),
        ("E2", 6, "dress_code"), ("E1", 7, "chatting"), ("E1", 9, "report_misconduct")))
    lines = fn("fine", "logged")(m, [*family, dress], BOOK)
    assert table(lines, "emp", "day", "order", "code", "amount_fen", "rule", "note", "source") == [
        (0, 6, 4, "desk_untidy", 1000, "篇1 §五.1", "杯子乱放", "violations.csv:2"),
        (0, 7, 4, "chatting", 1000, "篇1 §五.5", "", "violations.csv:6"),
        (1, 6, 4, "dress_code", 2000, "篇8 §三", "", "violations.csv:5"),
        (1, 8, 4, "registration_error", 1000, "篇1 §五.3", "", "violations.csv:4"),
    ]
    assert table(fn("fine", "logged")(ledger_inputs(row(0, 6)), family, BOOK), "code") == []


@covers("reward", "logged")
def test_篇1_四_2_report_misconduct_reward_50_per_event() -> None:
    m = ledger_inputs(row(0, 6), row(1, 6), entries=(
        ("E1", 6, "report_misconduct"), ("E2", 7, "report_misconduct", None, None, "举报代签"),
        ("E1", 8, "report_misconduct"), ("E1", 8, "chatting")))
    lines = fn("reward", "logged")(m, BOOK.entries("reward"), BOOK)
    assert table(lines, "emp", "day", "order", "code", "amount_fen", "rule", "note") == [
        (0, 6, 5, "report_misconduct", 5000, "篇1 §四.2", ""),
        (0, 8, 5, "report_misconduct", 5000, "篇1 §四.2", ""),
        (1, 7, 5, "report_misconduct", 5000, "篇1 §四.2", "举报代签"),
    ]
    assert table(fn("reward", "logged")(ledger_inputs(row(0, 6)), BOOK.entries("reward"), BOOK), "code") == []


@covers("fine", "logged_ladder")
def test_篇1_五_2_private_call_50_then_100_then_dismissal_without_fine() -> None:
    calls = tuple(("E1", d, "private_call") for d in (6, 8, 9, 10))
    m = ledger_inputs(row(0, 6), row(1, 6), entries=(*calls, ("E2", 7, "private_call"), ("E2", 7, "desk_untidy")))
    lines = fn("fine", "logged_ladder")(m, entry("fine", "private_call"), BOOK)
    assert table(lines, "emp", "day", "code", "amount_fen", "rule", "note") == [
        (0, 6, "private_call", 5000, "篇1 §五.2", "1. private call"),
        (0, 8, "private_call", 10000, "篇1 §五.2", "2. private call"),
        (0, 9, "private_call", 0, "篇1 §五.2", "3. private call: dismissal (no fine)"),
        (0, 10, "private_call", 0, "篇1 §五.2", "4. private call: dismissal (no fine)"),
        (1, 7, "private_call", 5000, "篇1 §五.2", "1. private call"),
    ]


# ===================================================================================== the 10-point score (§4)

SCORE_GRID = (row(0, 6, late=1), row(0, 7, late=30), row(0, 8, late=31), row(1, 6, early=5), row(1, 7))


@covers("score", "late_minor")
def test_篇10_五_2_late_up_to_30_minutes_half_a_point() -> None:
    lines = fn("score", "late_minor")(ledger_inputs(*SCORE_GRID), entry("score", "late"), BOOK)
    assert table(lines, "emp", "day", "order", "code", "points", "rule", "note", "source") == [
        (0, 6, 0, "late", 0.5, "篇10 §五.2 (迟到)", "1 min late", "signin.csv:2"),
        (0, 7, 0, "late", 0.5, "篇10 §五.2 (迟到)", "30 min late", "signin.csv:3"),  # 30: still minor
    ]


@covers("score", "late_major")
def test_篇10_五_2_late_over_30_minutes_counts_as_缺勤_2_points() -> None:
    lines = fn("score", "late_major")(ledger_inputs(*SCORE_GRID), entry("score", "late_major"), BOOK)
    assert table(lines, "emp", "day", "order", "code", "points", "note", "source") == [
        (0, 8, 0, "late_major", 2.0, "31 min late", "signin.csv:4"),
    ]


@covers("score", "early_leave")
def test_篇10_五_2_early_leave_half_a_point_like_lateness() -> None:
    m = ledger_inputs(row(0, 6, early=1), row(0, 7, late=5), row(1, 6, early=45))
    lines = fn("score", "early_leave")(m, entry("score", "early_leave"), BOOK)
    assert table(lines, "emp", "day", "order", "code", "points", "note", "source") == [
        (0, 6, 1, "early_leave", 0.5, "1 min early", "signin.csv:2"),
        (1, 6, 1, "early_leave", 0.5, "45 min early", "signin.csv:4"),  # over 30 minutes: still 0.5
    ]


@covers("score", "absence")
def test_篇10_五_2_each_absence_5_points_full_day_half_day_or_off_post() -> None:
    m = ledger_inputs(row(0, 6, punched=False, absent=1.0), row(0, 7, punched=False, sheet_row=False, absent=1.0),
                      row(0, 8, absent=0.5, off_post_row=5), row(1, 6, leave_row=4, absent=1.0), row(1, 7))
    lines = fn("score", "absence")(m, entry("score", "absence"), BOOK)
    assert table(lines, "emp", "day", "order", "code", "points", "rule", "note", "source") == [
        (0, 6, 2, "absence", 5.0, "篇10 §五.2; 篇1 §五.6", "1.0 day absent: no sign-in and no sign-out",
         "signin.csv:2"),
        (0, 7, 2, "absence", 5.0, "篇10 §五.2; 篇1 §五.6", "1.0 day absent: no sign-in row for a workday", ""),
        (0, 8, 2, "absence", 5.0, "篇10 §五.2; 篇1 §五.6", "0.5 day absent: off post (half day absent)",
         "violations.csv:5"),
        (1, 6, 2, "absence", 5.0, "篇10 §五.2; 篇1 §五.6",
         "1.0 day absent: leave not approved / half day without punches", "leave.csv:4"),
    ]
    assert fn("score", "absence")(ledger_inputs(row(0, 6), row(1, 6)), entry("score", "absence"), BOOK) is None


@covers("score", "leave_allowance")
def test_篇10_五_1_2_leave_and_missing_punches_beyond_4_a_month_cost_2_per_day() -> None:
    m = ledger_inputs(
        row(0, 6, leave="personal"), row(0, 7, leave="personal"), row(0, 8, leave="personal"),
        row(0, 9, leave="sick", leave_days=0.5), row(0, 10, missing="in"), row(0, 11, missing="out"),
        row(0, 13, leave="annual"),  # paid leave is not counted
        row(1, 6, leave="personal"), row(1, 7, leave="sick"), row(1, 8, missing="out"), row(1, 9, missing="in"))
    lines = fn("score", "leave_allowance")(m, entry("score", "leave_allowance"), BOOK)
    # E1: 3 + 0.5 + 2 = 5.5, 1.5 over: 3 points on the last day of the month's grid; E2: exactly 4, nothing
    assert table(lines, "emp", "day", "order", "code", "points", "source", "note") == [
        (0, 13, 3, "leave_allowance", 3.0, "", "5.5 leave/missing-punch days, 1.5 over the allowance"),
    ]
    assert fn("score", "leave_allowance")(m, entry("score", "leave_allowance", days=6.0), BOOK) is None


def count_points(name: str, code: str, counts: dict[str, int], **params: Any) -> dict[int, list[float]]:
    """Points per line of a count rule, by employee, for ``counts[id]`` entries each on consecutive workdays."""
    entries = [(emp, d, code) for emp, k in counts.items() for d in MAY_WORKDAYS[:k]]
    m = ledger_inputs(row(0, 6), row(1, 6), entries=(*entries, ("E1", 6, "chatting")))
    lines = fn("score", name)(m, entry("score", code, **params), BOOK)
    assert {c for (c,) in table(lines, "code")} <= {code}
    out: dict[int, list[float]] = {}
    for emp, pts in table(lines, "emp", "points"):
        out.setdefault(emp, []).append(pts)
    return out


@covers("score", "logged_every")
def test_篇10_五_4_offline_5_points_for_every_complete_3() -> None:
    assert count_points("logged_every", "offline", {"E1": 7, "E2": 2}) == {
        0: [0.0, 0.0, 5.0, 0.0, 0.0, 5.0, 0.0], 1: [0.0, 0.0]}
    m = ledger_inputs(row(0, 6), entries=(("E1", 6, "offline"),), ids=("E1",))
    assert table(fn("score", "logged_every")(m, entry("score", "offline"), BOOK), "note") == [("1. offline",)]


@covers("score", "logged_tiers")
def test_篇10_五_5_unanswered_complaints_3_cost_5_and_5_cost_10() -> None:
    assert count_points("logged_tiers", "complaint_unanswered", {"E1": 6, "E2": 3}) == {
        0: [0.0, 0.0, 5.0, 0.0, 5.0, 0.0], 1: [0.0, 0.0, 5.0]}


@covers("score", "logged_count_tiers")
def test_篇10_五_6_attitude_complaints_1_each_5_at_3_10_at_5_then_1_each_beyond() -> None:
    pts = count_points("logged_count_tiers", "complaint_attitude", {"E1": 11, "E2": 2})
    assert pts == {0: [1.0, 1.0, 3.0, 0.0, 5.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0], 1: [1.0, 1.0]}
    assert sum(pts[0]) == 11.0  # max(11, 10)


@covers("score", "logged_points")
def test_篇10_五_7_unfinished_work_the_entry_own_points() -> None:
    m = ledger_inputs(row(0, 6), row(1, 6), entries=(
        ("E1", 6, "unfinished_work", None, 0.5, "日报未交"), ("E1", 7, "unfinished_work", None, 1.0),
        ("E2", 6, "unfinished_work", None, 0.5), ("E2", 6, "chatting", None, 3.0)))
    lines = fn("score", "logged_points")(m, entry("score", "unfinished_work"), BOOK)
    assert table(lines, "emp", "day", "order", "code", "points", "rule", "note", "source") == [
        (0, 6, 6, "unfinished_work", 0.5, "篇10 §五.7", "日报未交", "violations.csv:2"),
        (0, 7, 6, "unfinished_work", 1.0, "篇10 §五.7", "", "violations.csv:3"),
        (1, 6, 6, "unfinished_work", 0.5, "篇10 §五.7", "", "violations.csv:4"),
    ]
    none = ledger_inputs(row(0, 6), entries=(("E1", 6, "chatting"),))
    assert table(fn("score", "logged_points")(none, entry("score", "unfinished_work"), BOOK), "points") == []


# ===================================================================================== pay (§5)

@covers("pay", "base_pay")
def test_篇4_三_2_base_pay_full_month_or_prorated_on_21_75_and_capped_at_the_base() -> None:
    emp = employees(5, start=[1, 20, 1, 1, 3], end=[31] * 5, base_salary=[None, None, None, "3000.00", None])
    # holiday-block days inside each window on the schedule's weekdays (the engine counts them)
    p = pay_inputs(5, emp=emp, base_fen=[220000, 220000, 220000, 300000, 220000],
                   attended_days=[23, 10.5, 13, 13.5, 23], unpaid_leave_days=[0, 0, 10, 9.5, 0],
                   holiday_days=[4, 0, 4, 4, 2])
    line = pay("base_pay", "base_pay", p)
    # E1 full month; E2 hired 05-20: 2200 × 10.5 / 21.75 = 1062.0689… → 1062.07 (half-up);
    # E3 10 unpaid days (the threshold) make the month partial: 13 + 4 holiday days (05-01..04, Wed–Sat);
    # E4 9.5 unpaid days: still a full month; E5 hired 05-03: 23 + 2 holiday days = 25 > 21.75 → capped
    assert as_list(line.amount_fen) == [220000, 106207, 171954, 300000, 220000]
    assert as_list(p.cols["partial"]) == [False, True, True, False, True]
    assert as_list(p.cols["proration_capped"]) == [False, False, False, False, True]
    assert line.note(0, "en") == "daily rate 101.15 = base / 21.75"
    assert line.note(1, "en") == ("base 2200.00 × 10.5 paid days / 21.75 (attended 10.5 + paid leave 0 + holiday 0); "
                                  "employed 2024-05-20..2024-05-31")
    assert [line.source(i) for i in range(5)] == ["", "", "", "roster.csv:5", ""]


@covers("pay", "unpaid_leave")
def test_篇1_五_4_unpaid_leave_loses_the_daily_rate_in_a_full_month_only() -> None:
    g = ledger_grid(row(0, 6, leave="personal"), row(0, 7, leave="sick", leave_days=0.5), row(1, 6, leave="sick"),
                    row(2, 6), ids=("E1", "E2", "E3", "E4"))
    p = pay_inputs(4, grid=g, base_fen=[220000, 220000, 220000, 300000], unpaid_leave_days=[1.5, 1, 10, 0],
                   partial=[False, False, True, False])
    line = pay("unpaid_leave", "unpaid_leave", p)
    # r(2200 × 1.5 / 21.75) = r(151.724…) = 151.72; one day 101.149… → 101.15; a partial month: prorated instead
    assert as_list(line.amount_fen) == [-15172, -10115, 0, 0]
    assert as_list(p.cols["unpaid_leave_fen"]) == [15172, 10115, 0, 0]
    assert line.note(1, "en") == "1 day(s) × 101.15: 2024-05-06 sick"
    assert line.source(0) == "leave.csv:2; leave.csv:3"


@covers("pay", "absence_deduction")
def test_篇1_五_6_absence_deduction_the_time_not_worked_base_pay_never_below_0() -> None:
    g = ledger_grid(row(0, 6, punched=False, absent=1.0), row(1, 6, absent=0.5, off_post_row=7),
                    ids=("E1", "E2", "E3", "E4"))
    p = pay_inputs(4, grid=g, absent_days=[1, 0.5, 2, 1], partial=[False, False, False, True],
                   unpaid_leave_fen=[0, 0, 200000, 0])
    line = pay("absence_deduction", "absence_deduction", p)
    # 101.15, 50.57 (50.574…), 202.30 but only 200.00 of base is left after unpaid leave, partial: 0
    assert as_list(line.amount_fen) == [-10115, -5057, -20000, 0]
    assert line.note(0, "en") == "1 day(s) × 101.15: 2024-05-06"
    assert line.source(1) == "violations.csv:7"


@covers("pay", "absence_penalty")
def test_篇1_五_6_absence_penalty_a_second_daily_rate_per_day_absent() -> None:
    p = pay_inputs(4, base_fen=[220000, 220000, 220000, 180000], absent_days=[1, 0.5, 0, 3],
                   partial=[False, True, False, True])
    line = pay("absence_penalty", "absence_penalty", p)
    # partial months pay the penalty too; 1800 × 3 / 21.75 = 248.275… → 248.28
    assert as_list(line.amount_fen) == [-10115, -5057, 0, -24828]


@covers("pay", "performance_pay")
def test_篇4_四_performance_pay_by_tier_of_score_plus_award_points() -> None:
    p = pay_inputs(5, performance_score=[90, 89.5, 55, 59.5, np.nan], award_points=[0, 0, 5, 0, 5])
    line = pay("performance_pay", "performance_pay", p)
    assert as_list(line.amount_fen) == [20000, 15000, 10000, 0, 0]  # tier boundaries are inclusive
    assert as_list(p.cols["performance_points"])[:4] == [90.0, 89.5, 60.0, 59.5]
    assert line.note(2, "en") == "score 55 + award points 5 = 60 points, tier ≥ 60 → 100.00"
    assert line.note(3, "en") == "score 59.5 + award points 0 = 59.5 points, tier below every tier → 0"
    assert line.note(4, "en") == "no performance score on file"
    assert as_list(pay("performance_pay", "performance_pay", p, tiers=[]).amount_fen) == [0] * 5


@covers("pay", "award_bonus")
def test_篇2_五_1_award_bonus_the_cash_of_each_award() -> None:
    p = pay_inputs(3, award_bonus_fen=[10000, 0, 20000], awards=[1, 0, 2])
    line = pay("award_bonus", "award_bonus", p)
    assert as_list(line.amount_fen) == [10000, 0, 20000]
    assert line.note(2, "en") == "2 award(s)"


@covers("pay", "rewards")
def test_篇1_四_2_rewards_ledger_total_on_the_payslip() -> None:
    assert as_list(pay("rewards", "rewards", pay_inputs(2, reward_fen=[10000, 0])).amount_fen) == [10000, 0]


@covers("pay", "full_attendance")
def test_RULEBOOK_5_full_attendance_bonus_only_for_a_clean_full_month() -> None:
    p = pay_inputs(7, partial=[False, False, True, False, False, False, False],
                   paid_leave_days=[1, 0, 0, 0, 0, 0, 0], late_count=[0, 1, 0, 0, 0, 0, 0],
                   fines_fen=[0, 1000, 0, 1000, 0, 0, 0], unpaid_leave_days=[0, 0, 0, 0, 0.5, 0, 0],
                   absent_days=[0, 0, 0, 0, 0, 0.5, 0], early_leave_count=[0, 0, 0, 0, 0, 0, 1],
                   missing_punch_count=[0, 0, 0, 0, 0, 0, 1])
    line = pay("full_attendance", "full_attendance", p)
    assert as_list(line.amount_fen) == [20000, 0, 0, 0, 0, 0, 0]  # paid leave does not break it
    assert as_list(p.cols["full_attendance"]) == [True] + [False] * 6
    assert line.note(1, "en") == "not earned (200.00 due otherwise): late; fines 10.00"
    assert line.note(2, "en") == "not earned (200.00 due otherwise): partial month"
    assert line.note(6, "en") == "not earned (200.00 due otherwise): early leave; missing punch"
    assert line.shown is not None and line.shown(3)


@covers("pay", "overtime_pay")
def test_劳动法_44_approved_overtime_at_150_200_300_percent_of_the_hourly_rate() -> None:
    """Workday 2 h, a Sunday 8 h, 1 May (statutory holiday) 4 h on a 2500.00 base: hourly rate
    2500 / 21.75 / 8 = 14.3678…; 43.10 + 229.89 + 172.41 = 445.40, each row rounded on its own.
    Unapproved overtime is not paid."""
    from cs_rules.engine.overtime import month_overtime
    from cs_rules.engine.schedule import plan

    emp = employees(2)
    table = pd.DataFrame({
        "employee_id": ["E1", "E1", "E1", "E2"],
        "date": pd.to_datetime(["2024-05-07", "2024-05-12", "2024-05-01", "2024-05-08"]),
        "hours": [2.0, 8.0, 4.0, 1.5], "approved": [True, True, True, False], "note": [""] * 4,
        "_file": ["overtime.csv"] * 4, "_row": [2, 3, 4, 5]})
    base = np.array([250000, 220000], dtype="int64")
    ot = month_overtime(table, emp, MONTH, plan(emp, MONTH, BOOK), base, BOOK)
    assert as_list(ot.cls) == [0, 1, 2, 0] and as_list(ot.amount_fen) == [4310, 22989, 17241, 0]
    p = pay_inputs(2, base_fen=[250000, 220000], overtime_minutes=ot.per_employee("minutes"),
                   overtime_fen=ot.per_employee("amount_fen"))
    p.overtime = ot
    line = pay("overtime_pay", "overtime_pay", p)
    assert as_list(line.amount_fen) == [44540, 0]
    assert line.note(0, "en").startswith("14 h approved: workday 2 h × 150%, rest day 8 h × 200%, holiday 4 h × 300%")
    assert line.source(0) == "overtime.csv:2 (+2)" and line.shown is not None and not line.shown(1)
    assert ot.per_employee("minutes")[0] == 14 * 60 and ot.per_employee("minutes")[1] == 0  # not approved


@covers("pay", "fines_total")
def test_篇1_五_fines_ledger_total_deducted() -> None:
    assert as_list(pay("fines_total", "fines", pay_inputs(2, fines_fen=[8000, 0])).amount_fen) == [-8000, 0]


@covers("pay", "net_floor")
def test_RULEBOOK_5_net_pay_floored_at_0() -> None:
    p = pay_inputs(3, net_before_floor_fen=np.array([-500, 0, 1000], dtype="int64"))
    assert as_list(pay("net_floor", "net_floor", p).amount_fen) == [500, 0, 0]


@covers("pay", "forfeiture_applied")
def test_篇1_五_2_6_7_forfeiture_takes_the_month_wage_only_when_the_rulebook_says_apply() -> None:
    lines = {"base_pay": PayLine("base_pay", np.array([220000, 220000, 1000])),
             "fines": PayLine("fines", np.array([-1000, 0, -5000])),
             "net_floor": PayLine("net_floor", np.array([0, 0, 4000]))}
    flags = {"forfeiture": [True, False, True]}
    p = pay_inputs(3, lines=lines, flags=flags)
    assert as_list(pay("forfeiture_applied", "forfeiture", p).amount_fen) == [0, 0, 0]  # default: a flag only
    p = pay_inputs(3, book=book_with("flags.forfeiture.mode", "apply"), lines=lines, flags=flags)
    assert as_list(pay("forfeiture_applied", "forfeiture", p).amount_fen) == [-219000, 0, 0]


# ===================================================================================== flags (§6)

@covers("flag", "auto_resignation")
def test_篇1_五_6_auto_resignation_more_than_2_days_absent() -> None:
    assert flag("auto_resignation", pay_inputs(3, absent_days=[2, 2.5, 3])) == [False, True, True]


@covers("flag", "dismissal")
def test_篇1_五_2_dismissal_on_the_third_private_call() -> None:
    m = ledger_inputs(row(0, 6), row(1, 6), entries=(
        ("E1", 6, "private_call"), ("E1", 7, "private_call"), ("E1", 8, "private_call"),
        ("E2", 6, "private_call"), ("E2", 7, "private_call"), ("E2", 8, "chatting")))
    assert flag("dismissal", pay_inputs(2, inputs=m)) == [True, False]
    assert flag("dismissal", pay_inputs(2)) == [False, False]


@covers("flag", "notice_short")
def test_篇1_五_7_notice_short_leaving_with_under_15_days_notice() -> None:
    emp = employees(5, end=[20, 20, 20, 31, 31],
                    leave_date=["2024-05-20", "2024-05-20", "2024-05-20", "2024-06-10", None],
                    notice_date=["2024-05-05", "2024-05-06", None, None, None])
    # 15 days' notice is enough; 14 is not; no notice is not; leaving next month: not yet
    assert flag("notice_short", pay_inputs(5, emp=emp)) == [False, True, True, False, False]


@covers("flag", "forfeiture")
def test_篇1_五_2_6_7_forfeiture_flag_for_any_of_its_causes() -> None:
    p = pay_inputs(4, flags={"auto_resignation": [True, False, False, False], "dismissal": [False, True, False, False],
                             "notice_short": [False, False, True, False]})
    assert flag("forfeiture", p) == [True, True, True, False]


@covers("flag", "proration_capped")
def test_篇4_三_2_proration_capped_flag() -> None:
    assert flag("proration_capped", pay_inputs(2, proration_capped=[True, False])) == [True, False]


@covers("flag", "net_clamped")
def test_RULEBOOK_5_net_clamped_flag_when_net_before_the_floor_is_below_0() -> None:
    p = pay_inputs(3, net_before_floor_fen=np.array([-1, 0, 1], dtype="int64"))
    assert flag("net_clamped", p) == [True, False, False]


@covers("flag", "no_performance_score")
def test_篇4_四_no_performance_score_flag() -> None:
    assert flag("no_performance_score", pay_inputs(2, performance_score=[np.nan, 0.0])) == [True, False]


@covers("flag", "sick_without_certificate")
def test_篇1_五_4_sick_without_certificate_flag() -> None:
    assert flag("sick_without_certificate", pay_inputs(2, sick_converted=[False, True])) == [False, True]


# ===================================================================================== checks of a month

def awards(*rows: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame({
        "_file": pd.Series(["awards.csv"] * len(rows), dtype="str"),
        "_sheet": pd.Series([""] * len(rows), dtype="str"),
        "_row": pd.Series(range(2, 2 + len(rows)), dtype="int64"),
        "employee_id": pd.Series([r[0] for r in rows], dtype="string"),
        "month": pd.Series(["2024-05"] * len(rows), dtype="string"),
        "award": pd.Series([r[1] for r in rows], dtype="string"),
    })


@covers("check", "award_quota")
def test_篇2_四_4_award_quota_one_per_10_people_of_a_team() -> None:
    check = fn("check", "award_quota")
    teams = employees(12, team=["A"] * 11 + ["B"])
    aw = awards(("E1", "service_star"), ("E2", "nomination"), ("E3", "sales_champion"), ("E12", "service_star"))
    problems = check(pay_inputs(12, emp=teams, award_rows=aw), entry("check", "award_quota"), BOOK)
    # team A: 11 people, one award (a nomination is no award for the quota); team B: 1 person, still 1
    assert problems == [Problem(
        "awards.csv", 4, "award", "award_quota",
        "2 awards in 2024-05 for team A of 11 people: the quota is 1 (one per 10 people, 篇2 §四.4)",
        "check the awards file: the team lead nominates, the department head approves (篇2 §四.4)", "warning", "")]
    assert check(pay_inputs(12, emp=teams, award_rows=aw), entry("check", "award_quota", per=5), BOOK) == []
    # without a team column the department is one team: 12 people, quota 1, three awards
    whole = check(pay_inputs(12, award_rows=aw), entry("check", "award_quota"), BOOK)
    assert [(x.row, x.message.split(":")[0]) for x in whole] == [(4, "3 awards in 2024-05 for the department of 12 people")]
    assert check(pay_inputs(2, award_rows=awards()), entry("check", "award_quota"), BOOK) == []
    assert check(pay_inputs(2), entry("check", "award_quota"), BOOK) == []


def _checked(name: str, p: PayInputs, **params: Any) -> list[tuple[str, str, str]]:
    return [(x.code, x.severity, x.message) for x in fn("check", name)(p, entry("check", name, **params), BOOK)]


@covers("check", "coverage")
def test_RULEBOOK_2_a_workday_in_no_sources_period_is_no_data_not_an_absence() -> None:
    import datetime as dt

    g = ledger_grid(*(row(e, d) for e in (0, 1) for d in (6, 7, 8)), row(0, 9, punched=False, sheet_row=False),
                    row(1, 9, leave="annual", punched=False))
    p = pay_inputs(2, grid=g)
    p.periods = [("signin/may.csv", dt.date(2024, 5, 1), dt.date(2024, 5, 8))]
    found = _checked("coverage", p)
    assert len(found) == 1 and found[0][:2] == ("not_covered", "error")
    assert "1 workday(s) of 2024-05 are in no sign-in source's period: 2024-05-09 (1 people due)" in found[0][2]
    assert "signin/may.csv holds 2024-05-01..2024-05-08" in found[0][2]  # E2's day off is whole-day leave
    p.covered_through = dt.date(2024, 5, 9)  # the clerk states the sheet is complete
    assert _checked("coverage", p) == []
    p.covered_through, p.periods = None, [("signin/may.csv", dt.date(2024, 5, 1), dt.date(2024, 5, 31))]
    assert _checked("coverage", p) == []


@covers("check", "rest_like_day")
def test_RULEBOOK_1_a_workday_nobody_punched_is_an_error_many_without_a_warning() -> None:
    import datetime as dt

    ids = ("E1", "E2", "E3", "E4")
    g = ledger_grid(*(row(e, 6) for e in range(4)), *(row(e, 7, punched=False) for e in range(4)),
                    row(0, 8), *(row(e, 8, punched=False) for e in (1, 2, 3)), ids=ids)
    p = pay_inputs(4, grid=g, emp=employees(4))
    p.periods = [("signin/may.csv", dt.date(2024, 5, 1), dt.date(2024, 5, 31))]
    found = _checked("rest_like_day", p)
    assert [(c, s) for c, s, _ in found] == [("nobody_punched", "error"), ("few_punched", "warning")]
    assert "on 1 workday(s) of 2024-05: 2024-05-07" in found[0][2] and "3 of the 4 people" in found[1][2]
    assert _checked("rest_like_day", p, share=0.9) == found[:1]  # 3 of 4 is under 90 %


@covers("check", "punch_order")
def test_RULEBOOK_1b_a_sign_out_not_after_the_sign_in_of_a_day_shift_is_an_error() -> None:
    g = ledger_grid(row(0, 6), row(1, 6), row(1, 7))
    g["shift"] = "day"
    g.loc[1, "sign_out"] = g.loc[1, "sign_in"] - 600.0  # E2 on the 6th: 08:50 in, 08:40 out
    found = [(x.file, x.row, x.column, x.code, x.severity) for x in
             fn("check", "punch_order")(pay_inputs(2, grid=g), entry("check", "punch_order"), BOOK)]
    assert found == [("signin.csv", 3, "sign_out", "punch_order", "error")]
    g.loc[1, "sign_out"] = g.loc[1, "sign_in"]  # the same minute is no sign-out either
    assert len(fn("check", "punch_order")(pay_inputs(2, grid=g), entry("check", "punch_order"), BOOK)) == 1
    assert fn("check", "punch_order")(pay_inputs(2, grid=ledger_grid(row(0, 6))),
                                      entry("check", "punch_order"), BOOK) == []


@covers("check", "rest_day_worked")
def test_RULEBOOK_1b_punches_on_a_rest_day_of_the_persons_schedule_are_reported() -> None:
    from cs_rules.engine.schedule import plan

    emp = employees(2)
    p = pay_inputs(2, emp=emp)
    p.plan = plan(emp, MONTH, BOOK)
    p.signins = pd.DataFrame({"employee_id": ["E1", "E2"], "date": pd.to_datetime(["2024-05-12", "2024-05-06"]),
                              "sign_in": [32400.0, 32400.0], "sign_out": [64800.0, 64800.0],
                              "_file": ["signin.csv"] * 2, "_sheet": ["", ""], "_row": [5, 6]})
    found = fn("check", "rest_day_worked")(p, entry("check", "rest_day_worked"), BOOK)
    assert [(x.file, x.row, x.column, x.code, x.severity) for x in found] == [
        ("signin.csv", 5, "date", "rest_day_punch", "warning")]
    assert "E1 punched on 2024-05-12, a rest day (Sunday)" in found[0].message


@covers("check", "no_signins")
def test_RULEBOOK_2_3_a_person_without_one_sign_in_row_all_month_is_a_warning() -> None:
    g = ledger_grid(row(0, 6), row(0, 7), row(1, 6, punched=False, sheet_row=False),
                    row(1, 7, punched=False, sheet_row=False))
    found = _checked("no_signins", pay_inputs(2, grid=g))
    assert found == [("no_signins", "warning", "E2 员工2 has no sign-in row in 2024-05 (2 workdays would be 旷工)")]
    nobody = ledger_grid(row(0, 6, punched=False, sheet_row=False), row(1, 6, punched=False, sheet_row=False))
    assert _checked("no_signins", pay_inputs(2, grid=nobody)) == []  # no sheet at all: coverage says so


# ===================================================================================== promotion and demotion (篇5 §四–五)

PROMO_MONTHS = [f"2023-{m:02d}" for m in range(6, 13)] + [f"2024-{m:02d}" for m in range(1, 6)]
PROMO_QUARTERS = ["2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2"]


def standing(grades: list[str], *, tenure: list[int] | None = None, scores: list[list[float]] | None = None,
             ranks: list[list[float]] | None = None, reviews: list[dict[str, str]] | None = None,
             won: list[int] | None = None) -> Standing:
    """The standing ``engine.promotion.standing`` builds for 2024-05: 12 months 2023-06..2024-05 and their
    quarters.  ``scores[i]`` are the last months' evaluations (NaN before); ``ranks`` default to each month's
    department rank of the scores (1 = best, the engine's ``rank(method="min")``)."""
    n = len(grades)
    sc = np.full((n, len(PROMO_MONTHS)), np.nan)
    for i, last in enumerate(scores or []):
        if last:
            sc[i, -len(last):] = last
    rk = np.full((n, len(PROMO_MONTHS)), np.nan)
    if ranks is None:
        rk = pd.DataFrame(sc).rank(ascending=False, method="min").to_numpy()
    else:
        for i, last in enumerate(ranks):
            if last:
                rk[i, -len(last):] = last
    rv = np.full((n, len(PROMO_QUARTERS)), "", dtype=object)
    for i, by_q in enumerate(reviews or []):
        for q, grade in by_q.items():
            rv[i, PROMO_QUARTERS.index(q)] = grade
    emp = pd.DataFrame({"employee_id": pd.Series([f"E{i + 1}" for i in range(n)], dtype="string"),
                        "grade": pd.Series(grades, dtype="string"),
                        "tenure_months": np.asarray(tenure or [24] * n, dtype="int64")})
    q_of_m = [PROMO_QUARTERS.index(f"{m[:4]}Q{(int(m[5:]) - 1) // 3 + 1}") for m in PROMO_MONTHS]
    return Standing("2024-05", emp, PROMO_MONTHS, sc, rk, PROMO_QUARTERS, q_of_m, rv,
                    np.asarray(won or [0] * n, dtype="int64"))


def verdicts(kind: str, name: str, s: Standing, code: str, **params: Any) -> dict[int, Verdict]:
    out: dict[int, Verdict] = fn(kind, name)(s, entry(kind, code, **params), BOOK)
    return out


@covers("promotion", "promote")
def test_篇5_四_2G_四_3F_promotion_tenure_top_3_average_A_grades_and_awards() -> None:
    s = standing(["junior", "junior", "junior", "mid", "junior", "probation"], tenure=[12, 2, 3, 24, 12, 1],
                 scores=[[95] * 12, [90] * 12, [85] * 2, [88] * 12, [80] * 12, []],
                 reviews=[{"2024Q1": "A"}, {}, {"2024Q2": "A"}, {"2023Q4": "A", "2024Q1": "B", "2024Q2": "A"},
                          {"2024Q1": "A", "2024Q2": "B"}, {}], won=[0, 0, 0, 1, 0, 0])
    cite = "篇5 §四.2G, §五.2"

    def mid(tenure: tuple[bool, str], top: tuple[bool | None, str], a: tuple[bool | None, str]) -> list[Criterion]:
        return [Criterion("employed at least 3 months", *tenure, cite),
                Criterion("average monthly evaluation over 3 months in the top 3", *top, cite),
                Criterion("1 quarterly review(s) graded A in the period", *a, cite)]

    out = verdicts("promotion", "promote", s, "mid")
    assert sorted(out) == [0, 1, 2, 4]  # juniors only
    assert [out[i].status for i in (0, 1, 2, 4)] == ["eligible", "not_eligible", "unknown", "not_eligible"]
    assert (out[0].code, out[0].kind, out[0].label, out[0].to, out[0].review) == \
        ("mid", "promotion", "promotion to mid", "mid", False)
    assert out[0].criteria == mid((True, "12 months"), (True, "average 95.0, rank 1"), (True, "2024Q1 A, 2024Q2 —"))
    # under 3 months: not eligible; no review yet in the period could still be an A: unknown
    assert out[1].criteria == mid((False, "2 months"), (True, "average 90.0, rank 2"), (None, "2024Q1 —, 2024Q2 —"))
    # 3 months (the threshold) is enough; 2 of 3 months evaluated: the rank cannot be judged yet
    assert out[2].criteria == mid((True, "3 months"), (None, "2 of 3 months evaluated (2024-03..2024-05)"),
                                  (True, "2024Q1 —, 2024Q2 A"))
    assert out[4].criteria[1] == Criterion("average monthly evaluation over 3 months in the top 3", False,
                                           "average 80.0, rank 5", cite)
    # 篇5 §四.3F: to senior, two A grades in consecutive quarters (A, B, A is not) and an award
    senior = verdicts("promotion", "promote", s, "senior")
    assert list(senior) == [3]
    assert [(c.what, c.met, c.detail) for c in senior[3].criteria] == [
        ("employed at least 6 months", True, "24 months"),
        ("average monthly evaluation over 6 months in the top 3", True, "average 88.0, rank 3"),
        ("2 consecutive quarterly reviews graded A in the period", False, "2023Q4 A, 2024Q1 B, 2024Q2 A"),
        ("won at least 1 award(s)", True, "1 award(s)")]
    assert senior[3].status == "not_eligible"
    assert verdicts("promotion", "promote", s, "senior", consecutive=False)[3].status == "eligible"
    # 篇5 §五.1: confirmation of a probationer is the department's review: due for it, never decided here
    confirm = verdicts("promotion", "promote", s, "junior")
    assert list(confirm) == [5] and confirm[5].status == "due_for_review" and confirm[5].review
    assert [(c.met, c.detail) for c in confirm[5].criteria] == [(None, "not recorded here")]


@covers("demotion", "failing_months")
def test_篇5_四_1G_three_consecutive_failing_monthly_evaluations_may_dismiss_a_junior() -> None:
    s = standing(["junior", "junior", "junior", "mid", "junior"],
                 scores=[[55, 50, 59], [59, 60, 40], [np.nan, 50, 40], [10, 10, 10], [np.nan, 70, 50]])
    out = verdicts("demotion", "failing_months", s, "junior_failing")
    assert sorted(out) == [0, 1, 2, 4]
    what, cite = "3 consecutive monthly evaluations below 60", "篇5 §四.1G"
    assert {i: (v.status, v.criteria) for i, v in out.items()} == {
        0: ("triggered", [Criterion(what, True, "2024-03 55, 2024-04 50, 2024-05 59", cite)]),
        1: ("not_triggered", [Criterion(what, False, "2024-03 59, 2024-04 60, 2024-05 40", cite)]),  # 60 passes
        2: ("unknown", [Criterion(what, None, "2024-03 —, 2024-04 50, 2024-05 40", cite)]),  # a month missing
        4: ("not_triggered", [Criterion(what, False, "2024-03 —, 2024-04 70, 2024-05 50", cite)]),
    }
    assert (out[0].kind, out[0].to, out[0].label) == \
        ("demotion", "", "three consecutive failing monthly evaluations: may be dismissed")


@covers("demotion", "demote")
def test_篇5_四_2H_四_3G_demotion_outside_the_top_3_graded_B_or_below_B() -> None:
    s = standing(["mid", "mid", "mid", "mid", "junior"],
                 ranks=[[4, 5, 4], [4, 3, 4], [1, 1, 1], [1, 1, 1], [9, 9, 9]],
                 reviews=[{}, {"2023Q4": "B", "2024Q1": "B"}, {"2023Q4": "B", "2024Q1": "A", "2024Q2": "B"},
                          {"2024Q1": "C"}, {"2024Q2": "C"}])
    out = verdicts("demotion", "demote", s, "mid")
    assert sorted(out) == [0, 1, 2, 3]
    assert [out[i].status for i in range(4)] == ["triggered", "triggered", "not_triggered", "triggered"]
    assert out[0].to == "junior"
    cite = "篇5 §四.2H"
    assert out[0].criteria == [
        Criterion("3 consecutive monthly evaluations outside the top 3", True, "2024-03 #4, 2024-04 #5, 2024-05 #4",
                  cite),
        Criterion("2 consecutive quarterly reviews graded B", False, "no review", cite),
        Criterion("1 quarterly review(s) graded below B (the latest)", False, "no review", cite)]
    # rank 3 is inside the top 3; two Bs in a row demote
    assert [(c.met, c.detail) for c in out[1].criteria] == [
        (False, "2024-03 #4, 2024-04 #3, 2024-05 #4"), (True, "2023Q4 B, 2024Q1 B"), (False, "2024Q1 B")]
    # B, A, B: not two in a row, and B is not below B
    assert [c.met for c in out[2].criteria] == [False, False, False]
    assert [(c.met, c.detail) for c in out[3].criteria][1:] == [(False, "2024Q1 C"), (True, "2024Q1 C")]
    # 篇5 §四.3G: a senior, within a year: three months outside the top 3 anywhere in it; B twice within 4 quarters
    s = standing(["senior", "senior"], ranks=[[4, 1, 1, 5, 1, 1, 1, 1, 6, 1, 1, 1], [4, 1, 1, 5] + [1] * 8],
                 reviews=[{}, {"2023Q2": "B", "2023Q3": "A", "2023Q4": "A", "2024Q1": "B", "2024Q2": "A"}])
    out = verdicts("demotion", "demote", s, "senior")
    assert [out[i].status for i in (0, 1)] == ["triggered", "not_triggered"]
    assert [(c.what, c.met) for c in out[0].criteria] == [
        ("3 monthly evaluations outside the top 3 within 12 months", True),
        ("2 quarterly reviews graded B within 4 quarters", False),
        ("1 quarterly review(s) graded below B within 4 quarters", False)]
    assert out[1].criteria[1].detail == "2023Q3 A, 2023Q4 A, 2024Q1 B, 2024Q2 A"  # 2023Q2's B is out of the window


@covers("demotion", "not_reviewed")
def test_篇5_四_4H_reserve_supervisors_are_not_reviewed() -> None:
    out = verdicts("demotion", "not_reviewed", standing(["senior", "reserve_supervisor"]), "reserve_supervisor")
    assert out == {1: Verdict("reserve_supervisor", "demotion",
                              "reserve supervisors are not reviewed here: the general manager's office decides", "",
                              [], status="not_reviewed")}


# ===================================================================================== completeness

def test_every_registered_rule_function_has_a_unit_test_here() -> None:
    """A new handler needs a unit test in this file (and a removed one its test removed)."""
    load()
    assert sorted(set(REGISTRY) - COVERED) == [], "registered rule functions without a unit test here"
    assert sorted(COVERED - set(REGISTRY)) == [], "unit tests here for rule functions no longer registered"


@pytest.mark.parametrize("kind", KINDS)
def test_every_default_entry_runs_a_covered_function(kind: str) -> None:
    assert {(kind, e.handler) for e in BOOK.entries(kind)} <= COVERED
