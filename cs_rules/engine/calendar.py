"""The department calendar of a data folder and its months: rulebook rest days, national data, calendar.csv."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from cs_rules.model.calendar import DeptCalendar
from cs_rules.model.month import Month
from cs_rules.rulebook import Rulebook

if TYPE_CHECKING:
    from cs_rules.model.inputs import Dataset


def build_calendar(data: Dataset, rules: Rulebook) -> DeptCalendar:
    """The department calendar: rulebook rest days, national data, calendar.csv overrides."""
    overrides: dict[dt.date, tuple[bool, str]] = {}
    cal = data.calendar
    if len(cal):
        ok = cal.dropna(subset=["date", "type"])
        for r in ok.itertuples():
            name = r.name if isinstance(r.name, str) else ""
            overrides[r.date.date()] = (r.type == "workday", name)
    return DeptCalendar(frozenset(int(x) for x in rules.get("calendar.rest_weekdays")),
                        bool(rules.get("calendar.national_holidays")), overrides)


def make_month(cal: DeptCalendar, year: int, month: int) -> Month:
    return Month(year, month, cal.month_days(year, month))
