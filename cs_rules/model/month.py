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


_MONTH_FORMS = (
    re.compile(r"(\d{4})[-/.](\d{1,2})"),        # 2024-05, 2024/05, 2024/5, 2024.05
    re.compile(r"(\d{4})(\d{2})"),               # 202405
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月?"),  # 2024年5月, 2024年05月
)


def month_parts(text: str | None) -> tuple[int, int] | None:
    """(year, month) when ``text`` is a month in one of the accepted forms, else None."""
    t = (text or "").strip()
    for form in _MONTH_FORMS:
        m = form.fullmatch(t)
        if m and 1 <= int(m.group(2)) <= 12 and 1900 <= int(m.group(1)) <= 2200:
            return int(m.group(1)), int(m.group(2))
    return None


def looks_like_month(text: str | None) -> bool:
    """Whether ``text`` is written as a month (so an EMPLOYEE and a MONTH can be told apart)."""
    return month_parts(text) is not None


def parse_month(text: str) -> tuple[int, int]:
    """MONTH → (year, month), or a usage error that shows the forms.

    Accepted everywhere a MONTH is taken: ``2024-05``, ``2024/05``, ``202405``,
    ``2024年5月``, ``2024年05月`` (and ``2024-5``, ``2024.05``)."""
    parts = month_parts(text)
    if parts is None:
        raise UsageError(f"'{text}' is not a month",
                         "write MONTH as YYYY-MM, e.g. 2024-05 (also 2024/05, 202405 or 2024年5月)")
    return parts


def month_label(text: str) -> str:
    """MONTH in any accepted form → ``YYYY-MM``."""
    y, m = parse_month(text)
    return f"{y:04d}-{m:02d}"


def make_month(cal: DeptCalendar, year: int, month: int) -> Month:
    return Month(year, month, cal.month_days(year, month))

