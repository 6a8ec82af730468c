"""Who works when (RULEBOOK §1b): each employee's shift on each day of the month, as arrays.

A schedule (考勤组) is a weekly pattern of shifts and rest days; the roster's
``schedule`` column names each person's (empty: ``default``, §1's week); a rota
(``shifts.csv``) overrides it for one person and day, holidays included; with
``[attendance] schedule = "vendor"`` the export's own 班次 per person-day decides.
National days apply to weekly schedules as to the department: a holiday-block day
is a rest day, a make-up working day (调休上班) a workday on the schedule's first
shift, a calendar.csv day what it says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cs_rules.arrays import ns, positions

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from cs_rules.model.month import Month
    from cs_rules.rulebook import Rulebook

REST = -1
DEFAULT = "default"


@dataclass(frozen=True)
class Shift:
    """One shift as the grid judges it.  Times are seconds since the day's midnight; an end past
    midnight (a night shift) is above 86400."""

    name: str
    label: str
    seasonal: bool = False  # §1's day: start and end from [calendar.summer]/[calendar.winter]
    start: int = 0
    end: int = 0
    breaks: tuple[tuple[int, int], ...] = ()
    grace_minutes: float | None = None  # None: [attendance] grace_minutes
    latest_start: int | None = None  # flexible hours: late only after this
    required_secs: int | None = None  # flexible hours: early when fewer seconds worked (breaks excluded)
    half_day_late: float | None = None  # minutes late beyond which the first half is absent (None: [statuses.half_day])
    half_day_early: float | None = None  # minutes early beyond which the second half is absent
    cite: str = ""

    @property
    def night(self) -> bool:
        return not self.seasonal and self.end > 86400


def _hhmm(text: str) -> int:
    h, m = str(text).split(":")
    return int(h) * 3600 + int(m) * 60


def shifts_of(book: Rulebook) -> list[Shift]:
    """The rulebook's shifts, ``default`` first."""
    out = []
    for e in book.entries("shift"):
        p = e.params
        if p.get("seasonal"):
            out.append(Shift(e.code, e.label("zh"), seasonal=True, cite=e.cite))
            continue
        start, end = _hhmm(p["start"]), _hhmm(p["end"])
        if end <= start:
            end += 86400
        breaks = tuple((_hhmm(a), _hhmm(b) + (86400 if _hhmm(b) < start else 0)) for a, b in p.get("breaks", []))
        req = p.get("required_hours")
        out.append(Shift(e.code, e.label("zh"), False, start, end, breaks,
                         float(p["grace_minutes"]) if "grace_minutes" in p else None,
                         _hhmm(p["latest_start"]) if "latest_start" in p else None,
                         int(float(req) * 3600) if req is not None else None,
                         float(p["half_day_late"]) if "half_day_late" in p else None,
                         float(p["half_day_early"]) if "half_day_early" in p else None, e.cite))
    return out


def weeks_of(book: Rulebook) -> dict[str, list[str]]:
    """schedule name -> its seven days (Monday first), each a shift name or "rest"."""
    rest = {int(d) for d in book.get("calendar.rest_weekdays")}
    weeks = {DEFAULT: ["rest" if wd in rest else DEFAULT for wd in range(1, 8)]}
    for e in book.entries("schedule"):
        weeks[e.code] = [str(x) for x in e.params["week"]]
    return weeks


@dataclass
class Plan:
    """The month's shifts per employee and day.

    ``works[e, d]`` is the index into ``shifts`` of employee ``e``'s shift on day ``d``
    (0-based day of month), or ``REST``; ``starts``/``ends`` are (shift × day) seconds.
    ``scheduled[e, d]`` says what decided that cell (0 schedule, 1 rota, 2 vendor).
    """

    shifts: list[Shift]
    works: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    schedule_of: np.ndarray  # each employee's schedule name
    work_weekdays: np.ndarray  # (employees × 7) the weekdays their schedule has a shift on (Monday = 0)
    scheduled: np.ndarray
    problems: list[Any] = field(default_factory=list)

    def index(self, name: str) -> int:
        return next((i for i, s in enumerate(self.shifts) if s.name == name), REST)


def plan(emp: pd.DataFrame, month: Month, book: Rulebook, rota: pd.DataFrame | None = None,
         vendor: pd.DataFrame | None = None) -> Plan:
    """Each employee's shift on each day of ``month`` (see the module docstring)."""
    import numpy as np

    shifts = shifts_of(book)
    names = [s.name for s in shifts]
    weeks = weeks_of(book)
    n_d, n_e = len(month.days), len(emp)

    # one row of shift indexes per schedule, over the month's days
    sched_names = list(weeks)
    by_sched = np.full((len(sched_names), n_d), REST, dtype="int16")
    for k, name in enumerate(sched_names):
        week = [names.index(x) if x in names else REST for x in weeks[name]]
        # a make-up workday is worked on the week's first shift; a group that works by rota only
        # (every weekday rest) works no make-up day its rota does not give
        first = next((x for x in week if x != REST), REST)
        for d, day in enumerate(month.days):
            own = week[day.date.isoweekday() - 1]
            if day.source == "holiday":
                by_sched[k, d] = REST
            elif day.source == "makeup":
                by_sched[k, d] = first
            elif day.source == "override":
                by_sched[k, d] = (own if own != REST else first) if day.workday else REST
            else:
                by_sched[k, d] = own
    col = emp.get("schedule")
    wanted = col.fillna("").astype(str).str.strip().to_numpy(dtype=object) if col is not None else \
        np.full(n_e, "", dtype=object)
    wanted = np.where(wanted == "", DEFAULT, wanted)
    known = np.isin(wanted, sched_names)
    sched_idx = np.array([sched_names.index(w) if k else 0 for w, k in zip(wanted, known, strict=True)],
                         dtype="int64")
    works = by_sched[sched_idx] if n_e else np.zeros((0, n_d), dtype="int16")
    scheduled = np.zeros((n_e, n_d), dtype="int8")
    work_weekdays = np.array([[x != "rest" for x in weeks[sched_names[k]]] for k in range(len(sched_names))],
                             dtype=bool)[sched_idx] if n_e else np.zeros((0, 7), dtype=bool)

    day0 = int(ns([np.datetime64(month.first, "D")])[0])

    def cells(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(table rows, employee index, day index) of the rows dated inside the month, for known people."""
        who = positions(table["employee_id"], emp["employee_id"])
        t = ns(table["date"])
        d = (t - day0) // (86_400 * 10**9)
        ok = np.flatnonzero((who >= 0) & (t >= day0) & (d < n_d))
        return ok, who[ok], d[ok].astype("int64")

    if vendor is not None and len(vendor) and book.get("attendance.schedule") == "vendor":
        v = vendor.dropna(subset=["employee_id", "date"])
        rows, who, dd = cells(v)
        rest = v["rest"].to_numpy(dtype=bool)[rows] if "rest" in v else np.zeros(len(rows), dtype=bool)
        start = v["start"].to_numpy(dtype=float)[rows]
        end = v["end"].to_numpy(dtype=float)[rows]
        label = v["shift"].astype(str).to_numpy(dtype=object)[rows] if "shift" in v else \
            np.full(len(rows), "", dtype=object)
        timed = ~rest & ~np.isnan(start) & ~np.isnan(end)
        pairs: dict[tuple[int, int], int] = {}
        for s, e, lab in zip(start[timed], end[timed], label[timed], strict=True):
            key = (int(s), int(e) + (86400 if e <= s else 0))
            if key not in pairs:
                pairs[key] = len(shifts)
                shifts.append(Shift(f"vendor:{lab or f'{key[0]//3600:02d}:{key[0]%3600//60:02d}'}",
                                    str(lab) or "export's shift", False, key[0], key[1], cite="the export's 班次"))
        idx = np.array([pairs[(int(s), int(e) + (86400 if e <= s else 0))] for s, e in zip(start[timed], end[timed],
                        strict=True)], dtype="int16")
        works[who[timed], dd[timed]] = idx
        works[who[rest], dd[rest]] = REST
        scheduled[who[timed | rest], dd[timed | rest]] = 2

    if rota is not None and len(rota):
        r = rota.dropna(subset=["employee_id", "date", "shift"])
        rows, who, dd = cells(r)
        want = r["shift"].astype(str).str.strip().to_numpy(dtype=object)[rows]
        idx = np.array([names.index(x) if x in names else (REST if x.lower() in ("rest", "休", "休息") else -2)
                        for x in want], dtype="int16")
        ok = idx != -2  # unknown shift names are reported by the review, the cell keeps its schedule
        works[who[ok], dd[ok]] = idx[ok]
        scheduled[who[ok], dd[ok]] = 1

    starts = np.zeros((len(shifts), n_d))
    ends = np.zeros((len(shifts), n_d))
    seasonal = np.array([book.day_bounds(book.season(day.date.month, day.date.day)) for day in month.days],
                        dtype="float64").reshape(-1, 2)
    for i, s in enumerate(shifts):
        if s.seasonal:
            starts[i], ends[i] = seasonal[:, 0], seasonal[:, 1]
        else:
            starts[i], ends[i] = s.start, s.end
    return Plan(shifts, works, starts, ends, np.asarray(wanted, dtype=object), work_weekdays, scheduled)
