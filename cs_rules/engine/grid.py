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
from cs_rules.rulebook import Rulebook

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


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
    s, e = ns(lv["start_date"]), ns(lv["end_date"])
    inside = (e >= day0) & (s <= last)
    lv, s, e = lv[inside], np.maximum(s[inside], day0), np.minimum(e[inside], last)
    n = (e - s) // DAY_NS + 1
    req = np.repeat(np.arange(len(lv)), n)  # one row per request-day
    offs = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
    day = (s[req] + offs * DAY_NS - day0) // DAY_NS
    who = positions(lv["employee_id"], emp_ids)[req]
    ok = np.flatnonzero((who >= 0) & (day >= 0) & (day < 32))
    req, key = req[ok], (who * 32 + day)[ok]
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
             month: Month, book: Rulebook) -> pd.DataFrame:
    """Per employee-workday: leave, punches, status, late/early minutes, sources.

    Rows run by employee (``emp_idx``, roster order), then workday.  The inputs are
    joined on here; what each day *was* is decided by the status rules of the
    rulebook, run in its order (:mod:`cs_rules.rules.status`).  Every column is a
    numpy array and the frame is made once, without copying: each ``g[col] = ...``
    on a 900k-row frame costs a copy.  Sign-ins and leave are joined by a dense
    integer key (employee index × 32 + day of month) instead of string merges;
    leave touches a few thousand rows, so its columns are written at those rows only.
    """
    import numpy as np
    import pandas as pd

    from cs_rules.rules import handler
    from cs_rules.rules.base import GridDays

    work = pd.to_datetime(pd.Series(month.workdays, dtype="object"))
    day0 = int(ns([np.datetime64(month.first, "D")])[0])
    last = int(ns([np.datetime64(month.last, "D")])[0])
    # employees × the workdays inside their employment window (an unbroken run of workdays)
    w = ns(work)
    lo = np.searchsorted(w, ns(emp["win_start"]), "left")
    per = np.maximum(np.searchsorted(w, ns(emp["win_end"]), "right") - lo, 0)
    n_e, n = len(emp), int(per.sum())
    ei = np.repeat(np.arange(n_e), per)
    wd = np.arange(n) + np.repeat(lo - (np.cumsum(per) - per), per)
    emp_ids = emp["employee_id"]
    ids = pd.Index(emp_ids.astype(object))  # the grid's employee_id categories
    g_key = ei * 32 + ((w - day0) // DAY_NS)[wd]

    # punches: the first sign-in row of each employee-day
    t = ns(signins["date"])
    pos = first_rows(grid_key(positions(signins["employee_id"], emp_ids), t, day0, day0, last), g_key, n_e * 32)
    sign_in = gather(signins["sign_in"].to_numpy(dtype=float), pos, np.nan)
    sign_out = gather(signins["sign_out"].to_numpy(dtype=float), pos, np.nan)
    punch_codes, punch_files = run_codes(signins["_file"], (t >= day0) & (t <= last))
    punch_file = categorical(gather(punch_codes, pos, -1), punch_files)
    punch_row = gather(signins["_row"].to_numpy(dtype=float), pos, np.nan)

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

    # day start/end by season (篇1 §一.1), looked up per workday and gathered by index
    bounds = np.array([book.day_bounds(book.season(d.month, d.day)) for d in month.workdays],
                      dtype="float64").reshape(-1, 2)
    starts, ends = bounds[:, 0][wd], bounds[:, 1][wd]

    g = GridDays(n, ei, wd, sign_in, sign_out, starts, ends, rows, leave_frac, approved, certificate, type_codes,
                 leave_types, violations, emp_ids, day0, g_key)
    for e in book.entries("status"):
        handler("status", e.handler).fn(g, e, book)
    return pd.DataFrame({
        "employee_id": categorical(ei.astype(codes_dtype(ids)), ids), "date": work.to_numpy()[wd],
        "emp_idx": ei, "wd_idx": wd, "sign_in": sign_in, "sign_out": sign_out, "punch_file": punch_file,
        "punch_row": punch_row, "leave_type": categorical(g.type_codes, g.leave_types),
        "leave_frac": leave_frac, "approved": approved, "certificate": certificate,
        "leave_file": categorical(file_codes, leave_files), "leave_row": leave_row,
        "missing_punch": g.missing_punch, "late": g.late, "early": g.early,
        "late_minutes": g.late_minutes, "early_minutes": g.early_minutes, "day_start": starts, "day_end": ends,
        **g.extra, "attended": g.attended, "absent": g.absent, "leave_days": g.leave_days,
        "sick_converted": g.sick_converted,
    }, copy=False)  # the arrays are new and ours: no copy needed
