"""Approved overtime (加班) of a month, classed and priced (劳动法 第44条, 劳动法 第41条, 第44条).

Only approved overtime is paid: hours come from ``overtime.csv`` (the 加班审批 a clerk
exports), never from late sign-outs, because staying on after the shift is not overtime
until someone arranged it (第41条: 用人单位…可以延长工作时间) — a payroll that paid every
late sign-out would invent money, one that ignored approvals would withhold it.

Each approved row is classed by the person's own day: a day their schedule or rota gives
a shift is a **workday** (150 %), any other day a **rest day** (200 %), a statutory
national holiday a **holiday** (300 %). Statutory holidays are the days of a national
holiday block that ``chinesecalendar`` does not mark as swapped (调休) and that are not a
Saturday or Sunday; calendar.csv can say otherwise only for the department's own days.
The hourly rate is the daily rate (base / 21.75) over ``hours_per_day`` (8), unrounded;
each row's pay is rounded half-up to the fen on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from cs_rules.arrays import DAY_NS, arrow_text, ns, positions

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from cs_rules.engine.schedule import Plan
    from cs_rules.model.month import Month
    from cs_rules.rulebook import Rulebook



@dataclass
class Overtime:
    """The month's approved overtime rows (one per overtime.csv row inside the month)."""

    emp: np.ndarray        # employee index of each row (the month's employees)
    day: np.ndarray        # day of the month, 0-based
    minutes: np.ndarray    # int minutes
    cls: np.ndarray        # 0 workday, 1 rest day, 2 holiday
    approved: np.ndarray
    amount_fen: np.ndarray  # 0 where not approved or not paid
    source: list[str]       # file:row of each row
    n: int                  # employees

    def per_employee(self, what: str, cls: int | None = None) -> np.ndarray:
        """Sum of ``minutes`` or ``amount_fen`` per employee (approved rows; one class or all)."""
        import numpy as np

        keep = self.approved & (True if cls is None else self.cls == cls)
        out = np.zeros(self.n, dtype="int64")  # fen and minutes stay integers: no float weights
        np.add.at(out, self.emp[keep], getattr(self, what)[keep].astype("int64"))
        return out


def legal_holidays(month: Month) -> set[int]:
    """Days of the month (0-based) that are statutory holidays (300 %)."""
    import chinese_calendar as cc

    out = set()
    for i, d in enumerate(month.days):
        if not d.holiday_block or d.date.isoweekday() >= 6:
            continue
        try:
            lieu = cc.is_in_lieu(d.date)
        except NotImplementedError:  # a year the holiday data does not cover: calendar.csv decided
            lieu = False
        if not lieu:
            out.add(i)
    return out


def month_overtime(table: pd.DataFrame, emp: pd.DataFrame, month: Month, plan: Plan, base_fen: np.ndarray,
                   book: Rulebook) -> Overtime:
    """The approved overtime rows of ``month``, classed by each person's own day and priced."""
    import numpy as np

    from cs_rules.arrays import source_text

    n = len(emp)
    day0 = int(ns([np.datetime64(month.first, "D")])[0])
    if not len(table):
        z = np.zeros(0, dtype="int64")
        return Overtime(z, z, z, z, np.zeros(0, dtype=bool), z, [], n)
    who = positions(table["employee_id"], emp["employee_id"])
    t = ns(table["date"])
    day = (t - day0) // DAY_NS
    hours = table["hours"].to_numpy(dtype=float)
    ok = np.flatnonzero((who >= 0) & (t >= day0) & (day < len(month.days)) & ~np.isnan(hours))
    emp_i, day = who[ok], day[ok].astype("int64")
    # inside the employment window only: overtime before the hire date is a data error the review names
    lo = (ns(emp["win_start"]) - day0) // DAY_NS
    hi = (ns(emp["win_end"]) - day0) // DAY_NS
    inside = (day >= lo[emp_i]) & (day <= hi[emp_i])
    minutes = np.rint(hours[ok] * 60).astype("int64")
    works = plan.works[emp_i, day] >= 0
    legal = np.isin(day, sorted(legal_holidays(month)))
    cls = np.where(legal, 2, np.where(works, 0, 1)).astype("int64")
    approved = table["approved"].to_numpy(dtype=bool)[ok] & inside
    e = book.entry("pay", "overtime_pay") if any(x.code == "overtime_pay" for x in book.entries("pay")) else None
    if e is None or not bool(e.params.get("paid", True)):
        amount = np.zeros(len(ok), dtype="int64")
    else:
        pct = np.array([int(e.params.get(k, d)) for k, d in (("workday", 150), ("rest_day", 200), ("holiday", 300))],
                       dtype="int64")[cls]
        sd = Fraction(str(book.get("pay.standard_days")))
        per_day = int(e.params.get("hours_per_day", 8))
        # r(base × minutes × pct / (standard_days × hours_per_day × 60 × 100)), exact in integers
        num = base_fen[emp_i].astype("int64") * minutes * pct * sd.denominator
        den = sd.numerator * per_day * 60 * 100
        amount = np.where(approved, (2 * num + den) // (2 * den), 0).astype("int64")
    src = source_text(arrow_text(table["_file"].iloc[ok]), table["_row"].to_numpy()[ok])
    return Overtime(emp_i, day, minutes, cls, approved, amount, [str(x) for x in src.to_pylist()], n)
