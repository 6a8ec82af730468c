"""A payroll month: its days as the department calendar gives them, and how MONTH is written."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from cs_rules.model.calendar import Day, DeptCalendar
from cs_rules.problems import UsageError


@dataclass
class Month:
    """A payroll month and its department calendar."""

    year: int
    month: int
    days: list[Day]

    @property
    def first(self) -> dt.date:
        return self.days[0].date

    @property
    def last(self) -> dt.date:
        return self.days[-1].date

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def workdays(self) -> list[dt.date]:
        return [d.date for d in self.days if d.workday]


def parse_month(text: str) -> tuple[int, int]:
    """``YYYY-MM`` → (year, month), or a usage error that shows the form."""
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise UsageError(f"'{text}' is not a month", "write MONTH as YYYY-MM, e.g. 2024-05")
    return int(m.group(1)), int(m.group(2))


def make_month(cal: DeptCalendar, year: int, month: int) -> Month:
    return Month(year, month, cal.month_days(year, month))

