"""A tiny data-folder builder for engine tests.

``Folder(tmp_path)`` collects CSV rows (roster, sign-ins, leave, violations,
performance, awards, calendar, rules.toml), writes them on ``write()`` and runs
``cs_rules.api.open_data`` + ``cs_rules.api.payroll``.  ``emp(month, id)`` is the
shortcut to one employee's payroll JSON dict.

Workdays for the generated punches are computed here independently of the engine
(chinesecalendar holiday blocks and make-up days, Sunday rest) so that a
calendar bug in the engine cannot hide itself.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
from pathlib import Path
from typing import Any

from cs_rules import api

IN_OK = "08:55:00"
# RULEBOOK §5 base by grade.  Used only by Folder(fill_base=True) (see there).
GRADE_BASE = {"probation": "1800.00", "junior": "2200.00", "mid": "2500.00", "senior": "3000.00",
              "reserve_supervisor": "4000.00"}
OUT_OK = "18:05:00"


def D(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def month_dates(month: str) -> list[dt.date]:
    y, m = (int(x) for x in month.split("-"))
    return [dt.date(y, m, d) for d in range(1, _cal.monthrange(y, m)[1] + 1)]


def is_workday(day: dt.date) -> bool:
    """Department workday per RULEBOOK §1 (independent of cs_rules.engine.calendar)."""
    import chinese_calendar as cc

    on_holiday, name = cc.get_holiday_detail(day)
    if on_holiday and name is not None:
        return False  # inside a national holiday block (weekends included)
    if cc.is_workday(day) and day.isoweekday() in (6, 7):
        return True  # make-up working day
    return day.isoweekday() != 7


def workdays(month: str) -> list[dt.date]:
    return [d for d in month_dates(month) if is_workday(d)]


class Folder:
    """Build a data folder of CSV text and run the payroll on it."""

    def __init__(self, root: Path, fill_base: bool = False) -> None:
        self.root = Path(root)
        # fill_base=True writes each grade's RULEBOOK base explicitly when no roster row has a
        # base_salary (a workaround once needed for an engine crash on such rosters, see
        # test_rules_clauses.test_篇5_六_roster_without_any_base_salary); by default the roster is
        # written exactly as given, so the grade → base mapping is exercised everywhere.
        self.fill_base = fill_base
        self.roster: list[list[str]] = []
        self.signins: list[list[str]] = []
        self.leaves: list[list[str]] = []
        self.violations: list[list[str]] = []
        self.perf: list[list[str]] = []
        self.awards: list[list[str]] = []
        self.calendar: list[list[str]] = []
        self.rules_text: str | None = None

    # ---- inputs -------------------------------------------------------------------
    def employee(self, emp_id: str = "E1", grade: str = "junior", hire: str = "2020-01-01",
                 leave_date: str = "", notice: str = "", base: str = "", name: str | None = None) -> Folder:
        self.roster.append([emp_id, name or f"员工{emp_id}", grade, hire, leave_date, notice, base])
        return self

    def punch(self, emp_id: str, date: str | dt.date, sign_in: str = IN_OK, sign_out: str = OUT_OK) -> Folder:
        """One sign-in sheet row; '' means a missing punch."""
        self.signins.append([emp_id, str(date), sign_in, sign_out])
        return self

    def month_punches(self, emp_id: str, month: str, sign_in: str = IN_OK, sign_out: str = OUT_OK,
                      skip: tuple[str | dt.date, ...] = (), override: dict[str, tuple[str, str]] | None = None,
                      start: str | None = None, end: str | None = None) -> Folder:
        """On-time rows for every workday of ``month`` except ``skip``; ``override`` maps a date to
        (sign_in, sign_out); ``start``/``end`` limit the range."""
        skip_s = {str(s) for s in skip}
        override = override or {}
        for d in workdays(month):
            if (start and d < D(start)) or (end and d > D(end)):
                continue
            if str(d) in skip_s:
                continue
            i, o = override.get(str(d), (sign_in, sign_out))
            self.punch(emp_id, d, i, o)
        return self

    def leave(self, emp_id: str, start: str, end: str | None = None, type_: str = "personal",
              half_day: str = "", certificate: str = "", approved: str = "") -> Folder:
        self.leaves.append([emp_id, start, end or start, type_, half_day, certificate, approved])
        return self

    def violation(self, date: str, emp_id: str, code: str, minutes: str = "", points: str = "",
                  note: str = "") -> Folder:
        self.violations.append([date, emp_id, code, minutes, points, note])
        return self

    def performance(self, emp_id: str, month: str, score: float | int | str) -> Folder:
        self.perf.append([emp_id, month, str(score)])
        return self

    def award(self, emp_id: str, month: str, award: str) -> Folder:
        self.awards.append([emp_id, month, award])
        return self

    def day_type(self, date: str, type_: str, name: str = "") -> Folder:
        self.calendar.append([date, type_, name])
        return self

    def rules(self, text: str) -> Folder:
        self.rules_text = text
        return self

    # ---- output -------------------------------------------------------------------
    @staticmethod
    def _csv(path: Path, header: str, rows: list[list[str]]) -> None:
        path.write_text(header + "\n" + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")

    def write(self) -> Path:
        r = self.root
        (r / "signin").mkdir(parents=True, exist_ok=True)
        roster = self.roster
        if self.fill_base and not any(row[6] for row in roster):
            roster = [row[:6] + [GRADE_BASE.get(row[2], "")] for row in roster]
        self._csv(r / "roster.csv", "employee_id,name,grade,hire_date,leave_date,notice_date,base_salary",
                  roster)
        self._csv(r / "signin" / "signin.csv", "employee_id,date,sign_in,sign_out", self.signins)
        if self.leaves:
            self._csv(r / "leave.csv", "employee_id,start_date,end_date,type,half_day,certificate,approved",
                      self.leaves)
        if self.violations:
            self._csv(r / "violations.csv", "date,employee_id,code,minutes,points,note", self.violations)
        if self.perf:
            self._csv(r / "performance.csv", "employee_id,month,score", self.perf)
        if self.awards:
            self._csv(r / "awards.csv", "employee_id,month,award", self.awards)
        if self.calendar:
            self._csv(r / "calendar.csv", "date,type,name", self.calendar)
        if self.rules_text is not None:
            (r / "rules.toml").write_text(self.rules_text, encoding="utf-8")
        return r

    def context(self) -> api.Context:
        return api.open_data(self.write())

    def run(self, month: str, with_history: bool = True, covered: bool = True) -> Any:
        """The MonthResult for ``month`` (data errors raise DataError).

        These folders are written by the test itself, so it can state what a clerk would:
        the sign-in sheets are complete for the whole month (``--covered-through`` its last
        day) — a person absent on the first workdays is absent, not a day without data.
        ``covered=False`` leaves coverage to the sheets' own dates.
        """
        ctx = self.context()
        y, m = (int(x) for x in month.split("-"))
        last = f"{month}-{_cal.monthrange(y, m)[1]:02d}"
        return api.payroll(ctx, month, with_history=with_history, covered_through=last if covered else None)

    def emp(self, month: str, emp_id: str = "E1", with_history: bool = True) -> dict[str, Any]:
        """One employee's payroll JSON dict."""
        return employee_of(self.run(month, with_history), emp_id)


def employee_of(res: Any, emp_id: str) -> dict[str, Any]:
    return res.employee_json(res.find_employee(emp_id))


def fines_of(res: Any, emp_id: str) -> list[tuple[str, str, str]]:
    """(date, code, amount) of each fine line of one employee, in ledger order."""
    f = res.fines[res.fines["employee_id"] == emp_id]
    return [(f"{r.date:%Y-%m-%d}", r.code, f"{r.amount_fen / 100:.2f}") for r in f.itertuples()]


def points_of(res: Any, emp_id: str) -> list[tuple[str, str, float]]:
    """(date, code, points) of each score deduction of one employee."""
    s = res.score_items[res.score_items["employee_id"] == emp_id]
    return [(f"{r.date:%Y-%m-%d}", r.code, float(r.points)) for r in s.itertuples()]


def one_employee(tmp_path: Path, month: str = "2024-05", grade: str = "junior", perf: float | None = 85,
                 **punch_kw: Any) -> Folder:
    """A folder with E1 employed all of ``month`` punching on time on every workday (plus kwargs)."""
    f = Folder(tmp_path).employee("E1", grade)
    f.month_punches("E1", month, **punch_kw)
    if perf is not None:
        f.performance("E1", month, perf)
    return f
