"""Each employee-day's status for one month (RULEBOOK §2), over whole columns.

The grid has one row per employee per department workday inside the employment
window.  Leave, punches and off-post entries are joined on; statuses come from
vectorised masks, in the order RULEBOOK §2 gives.  No per-row Python.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cs_rules.arrays import (
    DAY_NS,
    categorical,
    codes_dtype,
    first_rows,
    gather,
    grid_key,
    matches,
    ns,
    positions,
    run_codes,
)
from cs_rules.model.month import Month
from cs_rules.model.shifts import night_rows
from cs_rules.rulebook import Rulebook

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from cs_rules.engine.schedule import Plan


def employment(roster: pd.DataFrame, month: Month) -> pd.DataFrame:
    """Roster rows employed on at least one day of the month, with their window.

    The first row of each id with a hire date counts.  Rows are chosen on the
    columns they need and the roster is copied once.
    """
    import numpy as np
    import pandas as pd

    first, last = pd.Timestamp(month.first), pd.Timestamp(month.last)
    ids, hire = roster["employee_id"], roster["hire_date"]
    rows = np.flatnonzero((ids.notna() & hire.notna()).to_numpy())
    rows = rows[~ids.iloc[rows].duplicated().to_numpy()]
    hire = hire.iloc[rows]
    start = hire.where(hire > first, first)
    end = roster["leave_date"].iloc[rows].fillna(last)
    end = end.where(end < last, last)
    inside = (start <= end).to_numpy()
    r = roster.iloc[rows[inside]].reset_index(drop=True)
    r["win_start"] = start.to_numpy()[inside]
    r["win_end"] = end.to_numpy()[inside]
    r["full_month"] = (r["win_start"] == first) & (r["win_end"] == last)
    return r


























def _spread(table: pd.DataFrame, emp_ids: pd.Series, day0: int, last: int) -> tuple[np.ndarray, np.ndarray]:
    """(request position, employee × 32 + day key) for every day of the month each dated request covers."""
    import numpy as np

    s, e = ns(table["start_date"]), ns(table["end_date"])
    n = np.maximum((np.minimum(e, last) - np.maximum(s, day0)) // DAY_NS + 1, 0)
    s = np.maximum(s, day0)
    req = np.repeat(np.arange(len(table)), n)  # one row per request-day
    offs = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
    day = (s[req] + offs * DAY_NS - day0) // DAY_NS
    who = positions(table["employee_id"], emp_ids)[req]
    ok = np.flatnonzero((who >= 0) & (day >= 0) & (day < 32))
    return req[ok], (who * 32 + day)[ok]


def _leave_days(leave: pd.DataFrame, emp_ids: pd.Series, day0: int, last: int) -> dict[str, Any]:
    """Leave requests spread over their days in the month and merged per employee-day.

    A day may hold two half days (morning and afternoon): fractions add up, to
    one day at most; it is approved (certified) only when every request on it is;
    type, file and row are those of the request with the lowest ``_row``.
    Returns ``key`` (employee × 32 + day) and one array per merged field.
    """
    import numpy as np
    import pandas as pd

    if not len(leave):
        none, no_text = np.zeros(0, dtype="int64"), pd.Index([], dtype=object)
        return {"key": none, "frac": np.zeros(0), "approved": np.zeros(0, dtype=bool),
                "certificate": np.zeros(0, dtype=bool), "type": (none, no_text), "file": (none, no_text),
                "row": np.zeros(0)}
    lv = leave.dropna(subset=["employee_id", "start_date", "end_date", "type"])
    lv = lv[(lv["end_date"] >= lv["start_date"])]
    req, key = _spread(lv, emp_ids, day0, last)
    rows = lv["_row"].to_numpy()[req]
    order = np.lexsort((rows, key))
    req, key = req[order], key[order]
    head = np.concatenate([[True], key[1:] != key[:-1]]) if len(key) else np.zeros(0, dtype=bool)
    grp = np.cumsum(head) - 1
    n_grp = int(head.sum())

    def every(col: str) -> np.ndarray:
        bad = ~lv[col].to_numpy(dtype=bool)[req]
        return np.bincount(grp, weights=bad, minlength=n_grp) == 0  # type: ignore[no-any-return]

    frac = np.where(lv["half_day"].to_numpy(dtype=bool)[req], 0.5, 1.0)
    first = req[head]
    type_code, types = pd.factorize(lv["type"].to_numpy(dtype=object)[first])
    file_code, files = pd.factorize(lv["_file"].to_numpy(dtype=object)[first])
    return {"key": key[head], "frac": np.minimum(np.bincount(grp, weights=frac, minlength=n_grp), 1.0),
            "approved": every("approved"), "certificate": every("certificate"),
            "type": (type_code, pd.Index(types, dtype=object)), "file": (file_code, pd.Index(files, dtype=object)),
            "row": lv["_row"].to_numpy(dtype=float)[first]}


def day_grid(emp: pd.DataFrame, signins: pd.DataFrame, leave: pd.DataFrame, violations: pd.DataFrame,
             month: Month, book: Rulebook, plan: Plan | None = None, corrections: pd.DataFrame | None = None,
             approvals: pd.DataFrame | None = None, verdicts: pd.DataFrame | None = None,
             punches: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per employee-workday: shift, leave, punches, status, late/early minutes, sources.

    Rows run by employee (``emp_idx``, roster order), then date: every day the
    employee's schedule or rota gives a shift (:mod:`cs_rules.engine.schedule`) inside
    the employment window.  The inputs are joined on here; what each day *was* is
    decided by the status rules of the rulebook, run in its order
    (:mod:`cs_rules.rules.status`).  Every column is a numpy array and the frame is
    made once, without copying.  Sign-ins and leave are joined by a dense integer key
    (employee index × 32 + day of month) instead of string merges; leave, corrections
    and approvals touch a few thousand rows, so their columns are written at those rows only.
    """
    import numpy as np
    import pandas as pd

    from cs_rules.engine.schedule import plan as make_plan
    from cs_rules.rules import handler
    from cs_rules.rules.base import GridDays

    if plan is None:
        plan = make_plan(emp, month, book)
    day0 = int(ns([np.datetime64(month.first, "D")])[0])
    last = int(ns([np.datetime64(month.last, "D")])[0])
    n_d = len(month.days)
    # employees × the days their plan gives a shift, inside their employment window
    lo = (ns(emp["win_start"]) - day0) // DAY_NS
    hi = (ns(emp["win_end"]) - day0) // DAY_NS
    day = np.arange(n_d)
    mask = (plan.works >= 0) & (day[None, :] >= lo[:, None]) & (day[None, :] <= hi[:, None])
    ei, dd = np.nonzero(mask)
    n_e, n = len(emp), len(ei)
    emp_ids = emp["employee_id"]
    ids = pd.Index(emp_ids.astype(object))  # the grid's employee_id categories
    g_key = ei * 32 + dd
    dates = np.array([np.datetime64(d.date, "ns") for d in month.days], dtype="datetime64[ns]")
    shift = plan.works[ei, dd].astype("int64")
    starts, ends = plan.starts[shift, dd], plan.ends[shift, dd]

    # punches: the first sign-in row of each employee-day
    t = ns(signins["date"])
    pos = first_rows(grid_key(positions(signins["employee_id"], emp_ids), t, day0, day0, last), g_key, n_e * 32)
    sign_in = gather(signins["sign_in"].to_numpy(dtype=float), pos, np.nan)
    sign_out = gather(signins["sign_out"].to_numpy(dtype=float), pos, np.nan)
    punch_codes, punch_files = run_codes(signins["_file"], (t >= day0) & (t <= last))
    punch_file = categorical(gather(punch_codes, pos, -1), punch_files)
    punch_row = gather(signins["_row"].to_numpy(dtype=float), pos, np.nan)
    night = np.array([s.night for s in plan.shifts], dtype=bool)[shift]
    if night.any() and punches is not None and len(punches):
        _night_punches(punches, emp_ids, ei, dd, night, starts, ends, day0, sign_in, sign_out, punch_row)
    corrected, corr_file, corr_row = _corrections(corrections, emp_ids, g_key, day0, sign_in, sign_out)
    if night.any():  # a sign-out earlier than the sign-in (or than the start) is the next morning
        nxt = night & (sign_out < np.where(np.isnan(sign_in), starts, sign_in))
        sign_out[nxt] += 86400

    # leave: the merged requests of each employee-day with leave
    lv = _leave_days(leave, emp_ids, day0, last)
    rows, src = matches(lv["key"], g_key)
    leave_frac = np.zeros(n)
    leave_frac[rows] = lv["frac"][src]
    approved = np.ones(n, dtype=bool)
    approved[rows] = lv["approved"][src]
    certificate = np.zeros(n, dtype=bool)
    certificate[rows] = lv["certificate"][src]
    leave_types, leave_files = lv["type"][1], lv["file"][1]
    type_codes = np.full(n, -1, dtype=codes_dtype(pd.Index([*leave_types, "(one more)"])))  # room for one type
    type_codes[rows] = lv["type"][0][src]
    file_codes = np.full(n, -1, dtype=codes_dtype(leave_files))
    file_codes[rows] = lv["file"][0][src]
    leave_row = np.full(n, np.nan)
    leave_row[rows] = lv["row"][src]
    away = _approvals(approvals, emp_ids, g_key, day0, last, n)

    g = GridDays(n, ei, dd, sign_in, sign_out, starts, ends, rows, leave_frac, approved, certificate, type_codes,
                 leave_types, violations, emp_ids, day0, g_key)
    g.shift, g.plan, g.away_frac, g.away_kind = shift, plan, away["frac"], away["kind"]
    g.verdicts = verdicts
    for e in book.entries("status"):
        handler("status", e.handler).fn(g, e, book)
    names = pd.Index([s.name for s in plan.shifts], dtype=object)
    return pd.DataFrame({
        "employee_id": categorical(ei.astype(codes_dtype(ids)), ids), "date": dates[dd],
        "emp_idx": ei, "wd_idx": dd, "shift": categorical(shift.astype(codes_dtype(names)), names),
        "sign_in": sign_in, "sign_out": sign_out, "punch_file": punch_file,
        "punch_row": punch_row, "corrected": corrected, "correction_file": corr_file, "correction_row": corr_row,
        "leave_type": categorical(g.type_codes, g.leave_types),
        "leave_frac": leave_frac, "approved": approved, "certificate": certificate,
        "leave_file": categorical(file_codes, leave_files), "leave_row": leave_row,
        "away": categorical(away["kind"], away["kinds"]), "away_frac": away["frac"],
        "missing_punch": g.missing_punch, "late": g.late, "early": g.early,
        "late_minutes": g.late_minutes, "early_minutes": g.early_minutes, "day_start": starts, "day_end": ends,
        **g.extra, "attended": g.attended, "absent": g.absent, "leave_days": g.leave_days,
        "sick_converted": g.sick_converted,
    }, copy=False)  # the arrays are new and ours: no copy needed


def _night_punches(punches: pd.DataFrame, emp_ids: pd.Series, ei: np.ndarray, dd: np.ndarray, night: np.ndarray,
                   starts: np.ndarray, ends: np.ndarray, day0: int, sign_in: np.ndarray, sign_out: np.ndarray,
                   punch_row: np.ndarray) -> None:
    """Group raw punches by shift window, not by calendar date (RULEBOOK §1b): a 20:00–08:00 shift
    is one day whose sign-out falls on the next date, where the loader, which knows no shifts, put it.

    Every punch inside a night shift's window (:func:`night_rows`) belongs to that shift: the first
    is the sign-in and the last the sign-out (one punch alone is whichever end it is nearer). A day
    shift whose date held punches that a night shift took keeps only the rest. Sign-in sheets with
    paired columns carry no raw punches and keep the engine's next-morning rule. Writes in place.
    """
    import numpy as np

    pos = positions(punches["employee_id"], emp_ids)
    day = (ns(punches["date"]) - day0) // DAY_NS
    secs = punches["secs"].to_numpy(dtype=float)
    ok = (pos >= 0) & ~np.isnan(secs) & (day >= -1) & (day <= 32)
    pos, day, secs = pos[ok], day[ok], secs[ok]
    rows = punches["_row"].to_numpy(dtype=float)[ok]
    t = day * 86400 + secs  # seconds from the month's first midnight
    order = np.argsort(pos * (64 * 86400) + t, kind="stable")
    t, rows, pos, day = t[order], rows[order], pos[order], day[order]
    k = night_rows(pos, t, ei, dd, night, starts, ends)  # the grid row of each punch's night, −1 none
    inside = k >= 0
    if not inside.any():
        return
    took = np.flatnonzero(inside)
    first = took[np.r_[True, k[took][1:] != k[took][:-1]]]
    lastp = took[np.r_[k[took][1:] != k[took][:-1], True]]
    g_rows = k[first]
    base = dd[g_rows] * 86400
    t_in, t_out = t[first] - base, t[lastp] - base
    alone = first == lastp
    near_end = alone & (np.abs(t_in - ends[g_rows]) < np.abs(t_in - starts[g_rows]))
    sign_in[g_rows] = np.where(near_end, np.nan, t_in)
    sign_out[g_rows] = np.where(alone & ~near_end, np.nan, t_out)
    punch_row[g_rows] = rows[first]
    # the day rows whose date lent punches to a night shift: rebuilt from the punches left
    lent = np.unique(pos[took] * 64 + day[took] + 1)
    g_key1 = ei * 64 + dd + 1
    hit = np.flatnonzero(np.isin(g_key1, lent) & ~night)
    if not len(hit):
        return
    free = ~inside
    f_key = pos[free] * 64 + day[free] + 1
    f_t = t[free] - day[free] * 86400
    for r in hit:  # a few rows (a day shift the morning after a night): no vector needed
        mine = f_t[f_key == g_key1[r]]
        sign_in[r] = mine.min() if len(mine) else np.nan
        sign_out[r] = mine.max() if len(mine) > 1 else np.nan


def _corrections(corr: pd.DataFrame | None, emp_ids: pd.Series, g_key: np.ndarray, day0: int,
                 sign_in: np.ndarray, sign_out: np.ndarray) -> tuple[np.ndarray, Any, np.ndarray]:
    """Approved punch corrections (补卡) fill a missing sign-in or sign-out, in place.

    Returns per grid row 1 (sign-in corrected), 2 (sign-out), 3 (both) or 0, and the
    file and row of the (first) correction applied.
    """
    import numpy as np
    import pandas as pd

    n = len(g_key)
    done = np.zeros(n, dtype="int8")
    codes = np.full(n, -1, dtype="int32")
    row = np.full(n, np.nan)
    if corr is None or not len(corr):
        return done, categorical(codes.astype(np.int8), pd.Index([], dtype=object)), row
    c = corr.dropna(subset=["employee_id", "date", "secs"]).reset_index(drop=True)
    fac, files = pd.factorize(c["_file"].astype(str))
    for bit, kind, arr in ((1, "sign_in", sign_in), (2, "sign_out", sign_out)):
        pick = np.flatnonzero((c["kind"].astype(str) == kind).to_numpy())
        sub = c.iloc[pick]
        key = grid_key(positions(sub["employee_id"], emp_ids), sub["date"], day0, day0, day0 + 32 * DAY_NS - 1)
        rows, at = matches(key, g_key)
        free = np.isnan(arr[rows])
        rows, at = rows[free], at[free]
        arr[rows] = sub["secs"].to_numpy(dtype=float)[at]
        done[rows] |= bit
        first = codes[rows] < 0
        codes[rows[first]] = fac[pick[at[first]]]
        row[rows[first]] = sub["_row"].to_numpy(dtype=float)[at[first]]
    cats = pd.Index(files, dtype=object)
    return done, categorical(codes.astype(codes_dtype(cats)), cats), row


def _approvals(app: pd.DataFrame | None, emp_ids: pd.Series, g_key: np.ndarray, day0: int, last: int,
               n: int) -> dict[str, Any]:
    """Approved business trips and outings (出差/外出) spread over their days: the fraction of each grid
    day they cover (1 or 0.5) and their kind."""
    import numpy as np
    import pandas as pd

    frac = np.zeros(n)
    kind = np.full(n, -1, dtype="int8")
    if app is None or not len(app):
        return {"frac": frac, "kind": kind, "kinds": pd.Index([], dtype=object)}
    a = app.dropna(subset=["employee_id", "start_date", "end_date", "kind"])
    a = a[a["end_date"] >= a["start_date"]]
    req, key = _spread(a, emp_ids, day0, last)
    rows, at = matches(key, g_key)  # the first request of a day wins
    half = a["half_day"].fillna(False).to_numpy(dtype=bool)[req] if "half_day" in a else np.zeros(len(req), bool)
    kinds_code, kinds = pd.factorize(a["kind"].astype(str).to_numpy(dtype=object)[req])
    frac[rows] = np.where(half[at], 0.5, 1.0)
    kind[rows] = kinds_code[at]
    return {"frac": frac, "kind": kind, "kinds": pd.Index(kinds, dtype=object)}
