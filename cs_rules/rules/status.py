"""Day statuses (RULEBOOK §2): what each employee-workday was, as vector steps over the grid.

The engine runs these in the order of ``[statuses.*]`` in the rulebook; each step
reads and sets arrays of :class:`~cs_rules.rules.base.GridDays` in place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cs_rules.arrays import DAY_NS, categorical, codes_dtype, grid_key, matches, positions
from cs_rules.rules import rule

if TYPE_CHECKING:
    import numpy as np

    from cs_rules.rulebook import Entry, Rulebook
    from cs_rules.rules.base import GridDays


@rule("status")
def present(g: GridDays, e: Entry, book: Rulebook) -> None:
    """Any punch on a workday is a day attended (RULEBOOK §2.4)."""
    g.attended = (g.has_in | g.has_out).astype(float)


@rule("status")
def absent(g: GridDays, e: Entry, book: Rulebook) -> None:
    """No sign-in and no sign-out on a workday is a day of absence, 曠工 (RULEBOOK §2.3)."""
    g.absent = 1.0 - g.attended


@rule("status")
def leave(g: GridDays, e: Entry, book: Rulebook) -> None:
    """Approved leave covers its day; a half day leaves the other half to the punches (RULEBOOK §2.1–2).

    Unapproved leave is absence (篇1 §五.9) and stops being leave.
    """
    import numpy as np

    rows = g.rows
    g.leave_days = np.zeros(g.n)
    g.on_leave = np.zeros(g.n, dtype=bool)
    g.on_leave[rows] = True
    full, unapproved = g.leave_frac[rows] >= 1.0, ~g.approved[rows]
    punched = (g.has_in | g.has_out)[rows]
    g.leave_days[rows] = np.where(unapproved, 0.0, np.where(full, 1.0, 0.5))
    g.attended[rows] = np.where(full, 0.0, np.where(punched, 0.5, 0.0))
    g.absent[rows] = np.where(full, np.where(unapproved, 1.0, 0.0),
                              np.where(punched, 0.0, 0.5) + np.where(unapproved, 0.5, 0.0))
    g.type_codes[rows[unapproved]] = -1


@rule("status")
def away(g: GridDays, e: Entry, book: Rulebook) -> None:
    """An approved business trip or outing (出差/外出) is a day attended, not absent; a half day of it
    leaves the other half to the punches, like half-day leave (篇1 §二.2: leaving the post with approval)."""
    import numpy as np

    if g.away_frac is None:
        return
    rows = np.flatnonzero((g.away_frac > 0) & ~g.on_leave)
    if not len(rows):
        return
    punched = (g.has_in | g.has_out)[rows]
    full = g.away_frac[rows] >= 1.0
    g.attended[rows] = np.where(full | punched, 1.0, 0.5)
    g.absent[rows] = np.where(full | punched, 0.0, 0.5)


@rule("status")
def missing(g: GridDays, e: Entry, book: Rulebook) -> None:
    """Exactly one of sign-in and sign-out on a present day is a missing punch (RULEBOOK §2.4)."""
    g.missing_punch = g.judged & (g.has_in ^ g.has_out)


@rule("status")
def late(g: GridDays, e: Entry, book: Rulebook) -> None:
    """A sign-in after the day start (plus grace), to the second; minutes rounded up (RULEBOOK §2.4)."""
    import numpy as np

    grace = g.per_row("grace_minutes", book.num("attendance.grace_minutes")) * 60
    latest = g.per_row("latest_start", np.nan)  # flexible hours: late only after the latest start
    flex = ~np.isnan(latest)
    if np.ndim(flex) == 0:  # one setting for every row (per_row): only its branch is computed
        late_s = g.sign_in - latest if flex else g.sign_in - g.starts - grace
    else:
        late_s = np.where(flex, g.sign_in - latest, g.sign_in - g.starts - grace)
    g.late = g.judged & (late_s > 0)  # no sign-in (NaN) is never late
    g.late_minutes = np.zeros(g.n, dtype="int64")
    g.late_minutes[g.late] = np.ceil((late_s + np.where(flex, 0, grace))[g.late] / 60)


@rule("status")
def early(g: GridDays, e: Entry, book: Rulebook) -> None:
    """A sign-out before the day end, to the second; minutes rounded up (RULEBOOK §2.4)."""
    import numpy as np

    early_s = g.ends - g.sign_out
    required = g.per_row("required_secs", np.nan)  # flexible hours: early when fewer hours were worked
    flex = ~np.isnan(required)
    if flex.any():
        worked = g.sign_out - g.sign_in - _break_overlap(g, flex)
        early_s = np.where(flex, required - worked, early_s)
    g.early = g.judged & (early_s > 0)
    g.early_minutes = np.zeros(g.n, dtype="int64")
    g.early_minutes[g.early] = np.ceil(early_s[g.early] / 60)


@rule("status")
def vendor_verdict(g: GridDays, e: Entry, book: Rulebook) -> None:
    """With ``[attendance] schedule = "vendor"`` the export's own day verdicts (迟到/早退/缺卡/旷工, with
    their minutes) decide late, early and missing, as the company configured its attendance app; a day
    the export calls missing punches but not 旷工 is attended, not absent."""
    import numpy as np

    v = g.verdicts
    if book.get("attendance.schedule") != "vendor" or v is None or not len(v):
        return
    v = v.dropna(subset=["employee_id", "date"])
    key = grid_key(positions(v["employee_id"], g.emp_ids), v["date"], g.day0, g.day0, g.day0 + 32 * DAY_NS - 1)
    rows, at = matches(key, g.g_key)
    rows_ok = ~g.on_leave[rows]
    rows, at = rows[rows_ok], at[rows_ok]
    text = v["text"].fillna("").astype(str)
    late_m = text.str.extract(r"迟到(\d+)分钟", expand=False).astype(float).fillna(0).to_numpy()[at]
    early_m = text.str.extract(r"早退(\d+)分钟", expand=False).astype(float).fillna(0).to_numpy()[at]
    for name, col in (("late", "late"), ("early", "early"), ("missing_punch", "missing")):
        getattr(g, name)[rows] = v[col].to_numpy(dtype=bool)[at]
    g.late_minutes[rows] = np.where(g.late[rows], np.maximum(late_m, 1), 0).astype("int64")
    g.early_minutes[rows] = np.where(g.early[rows], np.maximum(early_m, 1), 0).astype("int64")
    absent = v["absent"].to_numpy(dtype=bool)[at]
    kept = ~absent & g.missing_punch[rows] & (g.absent[rows] > 0)
    g.attended[rows[kept]], g.absent[rows[kept]] = 1.0, 0.0


@rule("status")
def half_day(g: GridDays, e: Entry, book: Rulebook) -> None:
    """What counts as half a day worked (issue 14 §1): a sign-in later than the half-day limit misses
    the first half of the shift, a sign-out earlier than it the second half; that half is absent (旷工
    半天, as attendance apps call 严重迟到/旷工迟到) instead of a late or early leave, so it is not also
    fined as one. The limit is the shift's ``half_day_late``/``half_day_early``, else this entry's
    minutes; 0 is off, the default (the seed has no such rule)."""
    import numpy as np

    late_lim = g.per_row("half_day_late", e.num("late_minutes"))
    early_lim = g.per_row("half_day_early", e.num("early_minutes"))
    hl = g.late & (late_lim > 0) & (g.late_minutes > late_lim)
    he = g.early & (early_lim > 0) & (g.early_minutes > early_lim)
    # the minutes that made each half day (0: none), for the evidence of the absence
    g.extra["half_day_late"] = np.where(hl, g.late_minutes, 0).astype("int16")  # minutes of a day fit
    g.extra["half_day_early"] = np.where(he, g.early_minutes, 0).astype("int16")
    if not (hl.any() or he.any()):
        return
    lost = 0.5 * hl + 0.5 * he
    g.attended = np.maximum(g.attended - lost, 0.0)
    g.absent = g.absent + lost
    g.late, g.early = g.late & ~hl, g.early & ~he
    g.late_minutes[hl], g.early_minutes[he] = 0, 0


def _break_overlap(g: GridDays, rows_mask: np.ndarray) -> np.ndarray:
    """Seconds of each row's shift breaks inside its sign-in..sign-out (0 for shifts without breaks)."""
    import numpy as np

    out = np.zeros(g.n)
    for i, s in enumerate(g.plan.shifts):
        if not s.breaks:
            continue
        rows = np.flatnonzero(rows_mask & (g.shift == i))
        for a, b in s.breaks:
            out[rows] += np.clip(np.minimum(g.sign_out[rows], b) - np.maximum(g.sign_in[rows], a), 0, None)
    return out


@rule("status")
def off_post(g: GridDays, e: Entry, book: Rulebook) -> None:
    """Off post longer than the limit turns half a day attended into half a day absent (篇1 §二.2)."""
    import numpy as np
    import pandas as pd

    v = g.violations
    files = pd.Index([], dtype=object)
    codes = np.full(g.n, -1, dtype=np.int8)
    src_row = np.full(g.n, np.nan)
    if len(v):
        op = v[(v["code"] == e.code) & (v["minutes"] > e.num("minutes"))]
        op = op.dropna(subset=["employee_id", "date"])
        key = grid_key(positions(op["employee_id"], g.emp_ids), op["date"], g.day0, g.day0,
                       g.day0 + 32 * DAY_NS - 1)
        hit, src = matches(key, g.g_key)
        keep = g.attended[hit] >= 0.5
        hit, src = hit[keep], src[keep]
        g.attended[hit] -= 0.5
        g.absent[hit] += 0.5
        fac, uniq = pd.factorize(op["_file"])
        files = pd.Index(uniq).astype(object)
        codes = np.full(g.n, -1, dtype=codes_dtype(files))
        codes[hit] = fac[src]
        src_row[hit] = op["_row"].to_numpy(dtype=float)[src]
    g.extra["off_post_file"] = categorical(codes, files)
    g.extra["off_post_row"] = src_row


@rule("status")
def sick_as_personal(g: GridDays, e: Entry, book: Rulebook) -> None:
    """A run of consecutive sick workdays this long without a certificate counts as personal (篇1 §五.4).

    ``rows`` are the grid rows with leave, in grid order (employee, then workday),
    so a run is a stretch of sick rows with the same employee and consecutive
    grid rows.  Converted rows take the other type's code.
    """
    import numpy as np
    import pandas as pd

    g.sick_converted = np.zeros(g.n, dtype=bool)
    sick, counts_as = str(e.params["leave"]), str(e.params["counts_as"])
    types = g.leave_types
    code = types.get_loc(sick) if sick in types else -2
    rows = g.rows[(g.type_codes[g.rows] == code) & (g.leave_days[g.rows] >= 1.0)]
    if not len(rows):
        return
    ei = g.ei[rows]  # consecutive workdays of one person are consecutive grid rows
    new_run = np.concatenate([[True], (ei[1:] != ei[:-1]) | (rows[1:] - rows[:-1] != 1)])
    run_id = np.cumsum(new_run) - 1
    run_len = np.bincount(run_id)[run_id]
    conv = rows[(run_len >= e.int("days")) & ~g.certificate[rows]]
    if counts_as not in types:
        types = pd.Index([*types, counts_as], dtype=object)
        g.leave_types = types
    g.type_codes[conv] = types.get_loc(counts_as)
    g.sick_converted[conv] = True
