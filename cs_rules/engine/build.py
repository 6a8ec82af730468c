"""Glue between the loaded tables and the pure engine functions."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from cs_rules.engine.calendar import DeptCalendar
from cs_rules.rulebook import Rulebook

if TYPE_CHECKING:
    from cs_rules.loading.folder import Dataset


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
