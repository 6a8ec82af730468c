"""Checks that need the department calendar, run after loading (beancount's validations).

Loading reads and types the files; whether a punch falls on a rest day depends
on the calendar the rulebook and calendar.csv make, so it is judged here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from cs_rules.problems import Problem, UsageError
from cs_rules.rulebook import Rulebook

if TYPE_CHECKING:
    from cs_rules.model.inputs import Dataset


def after_load(data: Dataset, rules: Rulebook) -> None:
    """Every check of this module, appending to ``data.problems``.

    Punches on rest days are judged with each person's own schedule by the month check
    ``checks.rest_day_worked`` (validate and payroll both run it); :func:`rest_day_punches`, the
    department-calendar version, stays for callers that have no month."""


def rest_day_punches(data: Dataset, rules: Rulebook) -> None:
    """Punches on department rest days are information for HR, not pay (warning)."""
    from cs_rules.engine.calendar import build_calendar
    from cs_rules.model.calendar import DeptCalendar

    s = data.signins
    dates = s["date"].dropna()
    if not len(dates):
        return
    cal: DeptCalendar = build_calendar(data, rules)
    uniq = sorted({d.date() for d in dates.dt.normalize().unique()})
    rest: dict[dt.date, str] = {}
    for d in uniq:
        try:
            day = cal.day(d)
        except UsageError:
            continue
        if not day.workday:
            rest[d] = day.name or ("Sunday" if d.isoweekday() == 7 else "rest day")
    if not rest:
        return
    import pandas as pd

    mask = s["date"].isin([pd.Timestamp(d) for d in rest])
    for r in s.loc[mask].rename(columns={"_file": "file", "_row": "row", "_sheet": "sheet"}).itertuples():
        d = r.date.date()
        data.problems.add(Problem(r.file, int(r.row), "date", "rest_day_punch",
                                  f"{r.employee_id} punched on {d:%Y-%m-%d}, a rest day ({rest[d]})",
                                  "it does not count for pay; add the day to calendar.csv as workday "
                                  "if the department worked", "warning", r.sheet))

