"""The 10-point monthly conduct score (篇10 §五, RULEBOOK §4): one ledger line per deduction.

Count-based rules (offline, complaints) book each entry's marginal points, so the
lines of a month always add up to its deduction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from cs_rules.arrays import cat_text, cumcount, int_text, join_text, pick_text, source_text
from cs_rules.rules import rule

if TYPE_CHECKING:
    from cs_rules.rulebook import Entry, Rulebook
    from cs_rules.rules.base import LedgerInputs, Lines

ORDER_LATE, ORDER_EARLY, ORDER_ABSENCE, ORDER_ALLOWANCE, ORDER_LOGGED = 0, 1, 2, 3, 6


def _major_minutes(book: Rulebook) -> float:
    """Lateness beyond this is 缺勤 (the late_major rule's threshold; both late rules split at it)."""
    return next(e.num("minutes") for e in book.entries("score") if e.handler == "late_major")


@rule("score")
def late_minor(m: LedgerInputs, e: Entry, book: Rulebook) -> Lines:
    """Each late arrival up to the 缺勤 threshold (篇10 §五.2: 0.5 points)."""
    rows = m.late[m.g["late_minutes"].to_numpy()[m.late] <= _major_minutes(book)]
    return m.grid_lines(rows, ORDER_LATE, e.code, e.cite, m.punch_source(rows),
                        join_text(int_text(m.g["late_minutes"].to_numpy()[rows]), " min late", m.shift_note(rows)),
                        points=e.num("points"))


@rule("score")
def late_major(m: LedgerInputs, e: Entry, book: Rulebook) -> Lines:
    """Late beyond the threshold counts as 缺勤 (篇10 §五.2: over 30 minutes, 2 points)."""
    rows = m.late[m.g["late_minutes"].to_numpy()[m.late] > e.num("minutes")]
    return m.grid_lines(rows, ORDER_LATE, e.code, e.cite, m.punch_source(rows),
                        join_text(int_text(m.g["late_minutes"].to_numpy()[rows]), " min late", m.shift_note(rows)),
                        points=e.num("points"))


@rule("score")
def early_leave(m: LedgerInputs, e: Entry, book: Rulebook) -> Lines:
    """Each early leave, like a late arrival (the seed names only lateness)."""
    rows = m.early
    return m.grid_lines(rows, ORDER_EARLY, e.code, e.cite, m.punch_source(rows),
                        join_text(int_text(m.g["early_minutes"].to_numpy()[rows]), " min early", m.shift_note(rows)),
                        points=e.num("points"))


@rule("score")
def absence(m: LedgerInputs, e: Entry, book: Rulebook) -> Lines | None:
    """Each absence, full day, half day or off post (篇10 §五.2: 曠工一次扣5分).

    Its source is the off-post entry, else the leave request, else the sign-in row.
    """
    import numpy as np
    import pandas as pd
    import pyarrow.compute as pc

    g = m.g
    absent = g["absent"].to_numpy()
    rows = np.flatnonzero(absent > 0)
    if not len(rows):
        return None
    opr, lvr, pr = (g[c].to_numpy()[rows] for c in ("off_post_row", "leave_row", "punch_row"))
    file = pc.coalesce(*(cat_text(g[c], rows) for c in ("off_post_file", "leave_file", "punch_file")))
    row = np.where(~np.isnan(opr), opr, np.where(~np.isnan(lvr), lvr, pr))
    why = np.where(~np.isnan(opr), 0, np.where(~np.isnan(lvr), 1, np.where(~np.isnan(pr), 2, 3)))
    days, which = np.unique(absent[rows], return_inverse=True)
    day_text = pd.Series(days).astype("string").tolist()  # "0.5", "1.0" as the column always showed
    return m.grid_lines(
        rows, ORDER_ABSENCE, e.code, e.cite, source_text(file, row),
        join_text(pick_text(day_text, which.ravel()), " day absent: ",
                  pick_text(["off post (half day absent)", "leave not approved / half day without punches",
                             "no sign-in and no sign-out", "no sign-in row for a workday"], why)),
        points=e.num("points"))


@rule("score")
def leave_allowance(m: LedgerInputs, e: Entry, book: Rulebook) -> Lines | None:
    """Leave days of the listed types plus missing-punch days beyond the monthly allowance cost points
    per excess day (篇10 §五.1–2: four a month)."""
    import numpy as np
    import pyarrow as pa

    from cs_rules.rules.base import Lines

    g = m.g
    lt = g["leave_type"].array
    days = g["leave_days"].to_numpy()
    counted = [lt.categories.get_loc(t) for t in e.params["leave"] if t in lt.categories]
    leave = np.flatnonzero(days > 0)  # few rows: leave and missing punches are counted where they are
    leave = leave[np.isin(lt.codes[leave], counted)]
    missing = np.flatnonzero(g["missing_punch"].to_numpy())
    n_emp = len(m.ids)
    per = np.bincount(m.emp_idx[leave], weights=days[leave], minlength=n_emp) + \
        np.bincount(m.emp_idx[missing], minlength=n_emp)
    excess = np.clip(per - e.num("days"), 0, None)
    over = np.flatnonzero(excess > 0)
    if not len(over):
        return None
    last_row = np.searchsorted(m.emp_idx, over, side="right") - 1  # grid rows run by employee, then date
    return Lines(over, m.dates[last_row], ORDER_ALLOWANCE, e.code, e.cite, "",
                 pa.array([f"{a:g} leave/missing-punch days, {x:g} over the allowance"
                           for a, x in zip(per[over], excess[over], strict=True)]),
                 points=excess[over] * e.num("points"))


def _marginal(m: LedgerInputs, e: Entry, f: Callable[[int], float]) -> Lines:
    """Points for count-based rules, one line per entry: f(k) − f(k−1) for the k-th entry."""
    import numpy as np

    rows = m.entries(e.code)
    k = cumcount(m.v_emp[rows]) + 1
    fk = np.array([f(int(x)) for x in k], dtype=float)  # k is small: a handful of entries per person
    fk1 = np.array([f(int(x) - 1) for x in k], dtype=float)
    return m.lines(rows, ORDER_LOGGED, e.code, e.cite, join_text(int_text(k), ". " + e.code.replace("_", " ")),
                   points=fk - fk1)


@rule("score")
def logged_every(m: LedgerInputs, e: Entry, book: Rulebook) -> Lines:
    """The points for every complete ``every`` events in the month (篇10 §五.4: offline 3 times, 5 points)."""
    every, points = e.int("every"), e.num("points")
    return _marginal(m, e, lambda k: points * (k // every))


@rule("score")
def logged_tiers(m: LedgerInputs, e: Entry, book: Rulebook) -> Lines:
    """The points of the highest tier the month's count reaches (篇10 §五.5: 3 → 5, 5 → 10)."""
    tiers = sorted(((int(n), float(p)) for n, p in e.params["tiers"]), reverse=True)
    return _marginal(m, e, lambda k: next((p for n, p in tiers if k >= n), 0.0))


@rule("score")
def logged_count_tiers(m: LedgerInputs, e: Entry, book: Rulebook) -> Lines:
    """One point per event, or the tier's points when the count reaches a tier (篇10 §五.6)."""
    tiers = [(int(n), float(p)) for n, p in e.params["tiers"]]
    return _marginal(m, e, lambda k: max([float(k)] + [p for n, p in tiers if k >= n]))


@rule("score")
def logged_points(m: LedgerInputs, e: Entry, book: Rulebook) -> Lines:
    """The points the log entry itself gives, within the rule's range (篇10 §五.7: 0.5–1)."""
    rows = m.entries(e.code)
    return m.lines(rows, ORDER_LOGGED, e.code, e.cite, None, points=m.v_points[rows])
