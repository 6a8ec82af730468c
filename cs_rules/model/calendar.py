"""The department calendar: which days are workdays, the season, the pay date.

National holiday blocks and make-up working days come from ``chinesecalendar``;
``calendar.csv`` in the data folder overrides any day; Sunday is the weekly rest
day (篇1 §一.2).  A year the holiday data does not cover is refused, never
guessed, unless ``calendar.csv`` covers the whole month.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
from dataclasses import dataclass, field

from cs_rules.problems import UsageError


@dataclass(frozen=True)
class Day:
    date: dt.date
    workday: bool
    holiday_block: bool  # inside a national holiday block (paid as worked when Mon–Sat, 篇4 §三.2)
    name: str = ""
    source: str = "week"  # what decided: "override" (calendar.csv), "holiday", "makeup" (调休上班) or "week"


@dataclass
class DeptCalendar:
    """Day types for the department, built from national data plus overrides."""

    rest_weekdays: frozenset[int]
    use_national: bool = True
    overrides: dict[dt.date, tuple[bool, str]] = field(default_factory=dict)

    def _national(self, day: dt.date) -> tuple[bool | None, bool, str]:
        """(national workday-or-None, in holiday block, holiday name)."""
        if not self.use_national:
            return None, False, ""
        import chinese_calendar as cc

        try:
            on_holiday, name = cc.get_holiday_detail(day)
            is_workday = cc.is_workday(day)
        except NotImplementedError:
            raise _uncovered(day.year) from None
        in_lieu = cc.is_in_lieu(day) if hasattr(cc, "is_in_lieu") else False
        if on_holiday and name is not None:
            return False, True, str(getattr(name, "value", name) or "")
        if in_lieu:
            return False, True, ""
        if is_workday and day.isoweekday() in (6, 7):
            return True, False, "调休上班"  # make-up working day
        return None, False, ""

    def day(self, day: dt.date) -> Day:
        if day in self.overrides:
            work, name = self.overrides[day]
            return Day(day, work, False, name, "override")
        nat, block, name = self._national(day)
        if nat is True:
            return Day(day, True, False, name, "makeup")
        if nat is False:
            return Day(day, False, block, name, "holiday")
        return Day(day, day.isoweekday() not in self.rest_weekdays, False, "")

    def month_days(self, year: int, month: int) -> list[Day]:
        n = _cal.monthrange(year, month)[1]
        days = [dt.date(year, month, d) for d in range(1, n + 1)]
        if all(d in self.overrides for d in days):
            return [self.day(d) for d in days]
        self.check_covered(year)
        return [self.day(d) for d in days]

    def check_covered(self, year: int) -> None:
        if not self.use_national:
            return
        import chinese_calendar as cc

        try:
            cc.is_workday(dt.date(year, 6, 1))
        except NotImplementedError:
            raise _uncovered(year) from None

    def workday_before_or_on(self, day: dt.date) -> dt.date:
        d = day
        for _ in range(40):
            if self.day(d).workday:
                return d
            d -= dt.timedelta(days=1)
        return day

    def pay_date_with_note(self, year: int, month: int, pay_day: int) -> tuple[dt.date, str]:
        """The pay day of the next month, moved back to a workday (篇4 §三.1), and a note
        that is set when national holidays could not be consulted.

        December's pay date falls in the next year, which the holiday data may not cover
        yet.  Payroll must not stop for that, so the date then skips only calendar.csv
        rest days and the weekly rest days, and the note says so (shown on every run).
        """
        ny, nm = (year + 1, 1) if month == 12 else (year, month + 1)
        target = dt.date(ny, nm, min(pay_day, _cal.monthrange(ny, nm)[1]))
        try:
            return self.workday_before_or_on(target), ""
        except UsageError:
            plain = DeptCalendar(self.rest_weekdays, use_national=False, overrides=self.overrides)
            d = plain.workday_before_or_on(target)
            return d, (f"pay date {d.isoformat()} was judged without national holidays: the holiday "
                       f"calendar does not cover {ny} — check it, or add {ny}-{nm:02d} days to calendar.csv "
                       "or upgrade chinesecalendar")


def _uncovered(year: int) -> UsageError:
    return UsageError(
        f"the holiday calendar does not cover {year}: the chinesecalendar package has no data "
        f"for that year",
        "upgrade it (pip install -U chinesecalendar) or add every day of the month to "
        "calendar.csv in the data folder (date,type,name with type workday or rest)")
