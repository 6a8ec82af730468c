"""Checks of a whole month: warnings for HR that change no number (e.g. the award quota)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cs_rules.problems import Problem
from cs_rules.rules import rule

if TYPE_CHECKING:
    from cs_rules.rulebook import Entry, Rulebook
    from cs_rules.rules.base import PayInputs


@rule("check")
def award_quota(p: PayInputs, e: Entry, book: Rulebook) -> list[Problem]:
    """One award a month per ``per`` people of a team (篇2 §四.4); more is a warning naming the team.

    A team is the roster's ``team`` column when it has one, else the whole department.
    """
    import numpy as np
    import pandas as pd

    aw = p.awards
    if aw is None or not len(aw):
        return []
    aw = aw[aw["award"].isin([x.code for x in book.entries("award") if x.params.get("quota", True)])]
    emp = p.employees
    team = emp["team"] if "team" in emp else pd.Series("", index=emp.index)
    team = team.fillna("").astype(str)
    size = team.value_counts()
    from cs_rules.arrays import positions

    at = positions(aw["employee_id"], emp["employee_id"])  # one hash join, not a dict of 40,000 people
    teams = np.append(team.to_numpy(dtype=object), "")
    won = aw.assign(team=teams[np.where(at >= 0, at, len(teams) - 1)])
    out: list[Problem] = []
    per = e.int("per")
    for name, grp in won.groupby("team", sort=True):
        people = int(size.get(name, 0))
        quota = max(1, int(np.floor(people / per)))
        if len(grp) <= quota:
            continue
        first = grp.iloc[quota]
        where = f"team {name}" if name else "the department"
        out.append(Problem(
            str(first["_file"]), int(first["_row"]), "award", "award_quota",
            f"{len(grp)} awards in {p.month.label} for {where} of {people} people: the quota is {quota} "
            f"(one per {per} people, {e.cite})",
            "check the awards file: the team lead nominates, the department head approves (篇2 §四.4)",
            "warning", str(first.get("_sheet", "") or "")))
    return out


def _day_ranges(days: list[Any]) -> str:
    """Dates as runs (a Sunday between two dates does not break a run): 2024-05-25..2024-05-31, 2024-06-03."""
    out: list[str] = []
    start = prev = None
    for d in sorted(days):
        if prev is not None and (d - prev).days <= 1 + (1 if d.isoweekday() == 1 else 0):
            prev = d
            continue
        if start is not None:
            out.append(f"{start}" if start == prev else f"{start}..{prev}")
        start = prev = d
    if start is not None:
        out.append(f"{start}" if start == prev else f"{start}..{prev}")
    return ", ".join(out)


def _sources_text(periods: list[Any]) -> str:
    return "; ".join(f"{f} holds {a}..{b}" for f, a, b in periods) or "no sign-in file holds any row"


def _grid_days(g: Any) -> tuple[Any, Any]:
    """(each row's day of the month, the date of day 0..31): the grid's ``date`` is its month's first
    day plus ``wd_idx``, so per-day questions are asked of 32 dates, not of every row's (9 million
    datetimes, 72 MB, at 400,000 people)."""
    import numpy as np

    wd = g["wd_idx"].to_numpy()
    day0 = g["date"].iloc[0].to_datetime64().astype("datetime64[D]") - int(wd[0])
    return wd, day0 + np.arange(32)


def covered_days(g: Any, periods: list[Any], covered_through: Any = None) -> Any:
    """Per grid row: whether the day has data to judge, so `attendance` shows as no_data exactly the
    days the coverage check refuses to pay.  A day taken whole by leave or a trip needs no punch; every
    other workday needs a sign-in source whose period holds it, or the clerk's --covered-through."""
    import numpy as np

    if not len(g):
        return np.zeros(0, dtype=bool)
    wd, day_dates = _grid_days(g)
    by_day = np.zeros(len(day_dates), dtype=bool)
    for _f, a, b in periods:
        by_day |= (day_dates >= np.datetime64(a, "D")) & (day_dates <= np.datetime64(b, "D"))
    if covered_through is not None:
        by_day |= day_dates <= np.datetime64(covered_through, "D")
    covered = by_day[wd]
    covered |= (g["leave_frac"].to_numpy() >= 1) & g["approved"].to_numpy(dtype=bool)
    if "away_frac" in g:
        covered |= g["away_frac"].to_numpy() >= 1
    return covered


@rule("check")
def coverage(p: PayInputs, e: Entry, book: Rulebook) -> list[Problem]:
    """A workday outside every sign-in source's period has no data, which is not an absence: payroll
    refuses until the days are covered, marked rest in calendar.csv, or stated complete."""
    import numpy as np
    import pandas as pd

    g = p.grid
    if not len(g):
        return []
    covered = covered_days(g, p.periods, p.covered_through)
    if covered.all():
        return []
    wd, day_dates = _grid_days(g)
    missing = sorted({pd.Timestamp(day_dates[d]).date() for d in np.flatnonzero(np.bincount(wd[~covered]))})
    people = int(np.unique(g["emp_idx"].to_numpy()[~covered]).size)
    where = p.periods[0][0] if p.periods else "signin/"
    return [Problem(
        where, 0, "", "not_covered",
        f"{len(missing)} workday(s) of {p.month.label} are in no sign-in source's period: {_day_ranges(missing)} "
        f"({people} people due) — {_sources_text(p.periods)}; without data those days would all be paid as 旷工",
        "add the sign-in sheet or export for those days; mark days the department did not work as rest in "
        f"calendar.csv; or, if the sheets are complete, pass --covered-through {missing[-1]}")]


@rule("check")
def rest_like_day(p: PayInputs, e: Entry, book: Rulebook) -> list[Problem]:
    """A workday on which nobody due at work has a punch is an error (a rest day missing from the calendar,
    or a missing sheet); one on which many have none is a warning."""
    import numpy as np

    g = p.grid
    if not len(g):
        return []
    due = ~(g["leave_days"].to_numpy() > 0) & ~(g["away_frac"].to_numpy() > 0 if "away_frac" in g else False)
    punched = ~np.isnan(g["sign_in"].to_numpy()) | ~np.isnan(g["sign_out"].to_numpy())
    day = g["wd_idx"].to_numpy()
    n_due = np.bincount(day[due], minlength=32)
    n_none = np.bincount(day[due & ~punched], minlength=32)
    # wd_idx is the day of the month: the days present are counted, not sorted out of 9M rows
    dates = {int(d): p.month.days[int(d)].date for d in np.flatnonzero(np.bincount(day, minlength=32))}
    # days inside a source's period; days the clerk vouched for with --covered-through beyond the data's
    # last date are real absences by their word, not days to question
    covered = {d for d, when in dates.items() if any(a <= when <= b for _f, a, b in p.periods)}
    where = p.periods[0][0] if p.periods else "signin/"
    out: list[Problem] = []
    nobody: list[Any] = []
    few: list[Any] = []
    confirmed = {i for i, day in enumerate(p.month.days) if day.source == "override" and day.workday}
    for d in sorted(covered - confirmed):  # a workday calendar.csv names is the clerk's word: no check
        due_d, none_d = int(n_due[d]), int(n_none[d])
        when = dates[d]
        if due_d >= 2 and none_d == due_d:
            nobody.append(when)
        elif due_d >= e.int("people") and none_d >= e.num("share") * due_d:
            few.append(when)
            out.append(Problem(where, 0, "", "few_punched",
                               f"{none_d} of the {due_d} people due at work on {when} have no punch",
                               "check that day's sign-ins (a company outing? a missing sheet?) before paying; "
                               "calendar.csv can mark it rest", "warning"))
    # the same weekday again and again: the department rests that day, the rulebook does not know it
    flagged = nobody + few
    by_wd: dict[int, list[Any]] = {}
    for when in flagged:
        by_wd.setdefault(when.weekday(), []).append(when)
    weekly_hint = ""
    for wd, days in sorted(by_wd.items()):
        of_wd = [w for d, w in dates.items() if d in covered and w.weekday() == wd]
        if len(days) >= 2 and 2 * len(days) > len(of_wd):
            name = "一二三四五六日"[wd]
            week = ", ".join('"rest"' if i == wd or (wd == 5 and i == 6) else '"default"' for i in range(7))
            weekly_hint = (f"; if the department rests every 星期{name}, put [schedules.default] week = [{week}] in "
                           "rules.toml instead (RULEBOOK §1b)")
            out.append(Problem(
                where, 0, "", "weekly_rest",
                f"most people have no punch on {len(days)} of the {len(of_wd)} 星期{name} of {p.month.label} "
                f"({_day_ranges(sorted(days))}): the rulebook makes 星期{name} a workday, so those days are paid as "
                "旷工",
                f"if the department rests on 星期{name}, say so in rules.toml: [schedules.default] week = [{week}] "
                "(RULEBOOK §1b; a group of its own: a [schedules.NAME] and the roster's schedule column)", "warning"))
    if nobody:
        first = nobody[0]
        out.insert(0, Problem(
            where, 0, "", "nobody_punched",
            f"nobody due at work has a punch on {len(nobody)} workday(s) of {p.month.label}: {_day_ranges(nobody)} "
            f"(the first a 星期{'一二三四五六日'[first.weekday()]}): everyone would be paid as 旷工",
            f"if the department did not work, add those days to calendar.csv as rest ('{first},rest,…'); if their "
            f"sign-ins are missing, add them; if everyone really was absent, add '{first},workday,…'"
            + (weekly_hint if nobody[0].weekday() in by_wd and len(by_wd[nobody[0].weekday()]) >= 2 else "")))
    return out


@rule("check")
def no_signins(p: PayInputs, e: Entry, book: Rulebook) -> list[Problem]:
    """Someone due at work all month without one sign-in row while others have rows: absent every day —
    more often a wrong id in the sheet or a person missing from the export."""
    import numpy as np

    g = p.grid
    if not len(g):
        return []
    ei = g["emp_idx"].to_numpy()
    has_row = ~np.isnan(g["punch_row"].to_numpy()) | ~np.isnan(g["sign_in"].to_numpy()) | \
        ~np.isnan(g["sign_out"].to_numpy())
    due = ~(g["leave_days"].to_numpy() > 0)
    rows_per = np.bincount(ei[has_row], minlength=p.n)
    due_per = np.bincount(ei[due], minlength=p.n)
    if not rows_per.any():
        return []
    out = []
    emp = p.employees
    for i in np.flatnonzero((rows_per == 0) & (due_per > 0)):
        out.append(Problem(str(emp["_file"].iloc[i]), int(emp["_row"].iloc[i]), "employee_id", "no_signins",
                           f"{emp['employee_id'].iloc[i]} {emp['name'].iloc[i]} has no sign-in row in "
                           f"{p.month.label} ({int(due_per[i])} workdays would be 旷工)",
                           "check the id in the sign-in sheets and the export (did you mean another spelling?), "
                           "or record the leave", "warning"))
    return out


@rule("check")
def punch_order(p: PayInputs, e: Entry, book: Rulebook) -> list[Problem]:
    """A sign-out not after the sign-in on a day shift is a typo, never read as the next morning
    (a night shift's sign-out is, RULEBOOK §1b)."""
    import numpy as np

    g = p.grid
    if not len(g):
        return []
    sin, sout = g["sign_in"].to_numpy(), g["sign_out"].to_numpy()
    bad = np.flatnonzero(~np.isnan(sin) & ~np.isnan(sout) & (sout <= sin))
    out = []
    for r in bad:
        f, row = g["punch_file"].iloc[r], g["punch_row"].iloc[r]
        when = g["date"].iloc[r]
        shown = f"{int(sout[r]) // 3600 % 24:02d}:{int(sout[r]) % 3600 // 60:02d}"
        out.append(Problem(str(f) if isinstance(f, str) else "", int(row) if row == row else 0, "sign_out",
                           "punch_order",
                           f"{g['employee_id'].iloc[r]} {when:%Y-%m-%d}: sign-out {shown} is not after the sign-in "
                           f"on a {g['shift'].iloc[r]} shift",
                           "check both times; if it is night work, give the person a night shift ([shifts.NAME] "
                           "with an end before its start) in their schedule or shifts.csv"))
    return out


@rule("check")
def rest_day_worked(p: PayInputs, e: Entry, book: Rulebook) -> list[Problem]:
    """Punches on a day the person's own schedule or rota gives no shift: information for HR, not pay
    (a warning at the sign-in row). A night shift's next-morning punches are the night's, not a rest
    day worked."""
    import numpy as np

    from cs_rules.arrays import DAY_NS, ns, positions
    from cs_rules.model.shifts import night_rows

    s, plan, g = p.signins, p.plan, p.grid
    if s is None or plan is None or not len(s):
        return []
    day0 = int(ns([np.datetime64(p.month.first, "D")])[0])
    n_d = len(p.month.days)
    day_all = (ns(s["date"]) - day0) // DAY_NS
    # only the rows dated on a day someone rests are looked at (Sundays and holidays, mostly): the
    # id lookup then runs on a few rows, not the month's 900,000
    rests = np.flatnonzero((plan.works < 0).any(axis=0)) if plan.works.size else np.zeros(0, dtype="int64")
    is_rest = np.zeros(n_d + 2, dtype=bool)  # by day of the month; index n_d + 1 stands for outside it
    is_rest[rests] = True
    sub = np.flatnonzero(is_rest[np.where((day_all >= 0) & (day_all < n_d), day_all, n_d + 1)])
    if not len(sub):
        return []
    s = s.iloc[sub]
    who = positions(s["employee_id"], p.employees["employee_id"])
    day = day_all[sub]
    emp = p.employees
    lo = (ns(emp["win_start"]) - day0) // DAY_NS
    hi = (ns(emp["win_end"]) - day0) // DAY_NS
    ok = np.flatnonzero((who >= 0) & (day >= 0) & (day < n_d))
    ok = ok[(day[ok] >= lo[who[ok]]) & (day[ok] <= hi[who[ok]])]
    rest = ok[plan.works[who[ok], day[ok]] < 0]
    if not len(rest):
        return []
    if len(g):  # the morning after a night: its punches belong to that night
        ends = g["day_end"].to_numpy(dtype=float)
        args = (g["emp_idx"].to_numpy(), g["wd_idx"].to_numpy(), ends > 86400, g["day_start"].to_numpy(dtype=float),
                ends)
        t_in = day[rest] * 86400 + s["sign_in"].to_numpy(dtype=float)[rest]
        t_out = day[rest] * 86400 + s["sign_out"].to_numpy(dtype=float)[rest]
        night_in = night_rows(who[rest], np.nan_to_num(t_in, nan=-1e12), *args) >= 0
        out_ok = np.isnan(t_out) | (night_rows(who[rest], np.nan_to_num(t_out, nan=-1e12), *args) >= 0)
        rest = rest[~(night_in & out_ok)]
    out = []
    names = {i: (d.name or ("Sunday" if d.date.isoweekday() == 7 else "")) for i, d in enumerate(p.month.days)}
    for r in rest:
        d = p.month.days[int(day[r])]
        how = int(plan.scheduled[who[r], day[r]])
        why = ("a rest day of their rota (shifts.csv)" if how == 1 else "a rest day in the export's schedule"
               if how == 2 else names[int(day[r])] or f"a rest day of schedule {plan.schedule_of[who[r]]}")
        out.append(Problem(str(s["_file"].iloc[r]), int(s["_row"].iloc[r]), "date", "rest_day_punch",
                           f"{s['employee_id'].iloc[r]} punched on {d.date:%Y-%m-%d}, a rest day ({why})",
                           "it does not count for pay; add the day to calendar.csv as workday if the department "
                           "worked, or give the person that day's shift in shifts.csv", "warning",
                           str(s["_sheet"].iloc[r] or "") if "_sheet" in s else ""))
    return out
