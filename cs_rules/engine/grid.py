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
             month: Month, rules: Rulebook) -> pd.DataFrame:
    """Per employee-workday: leave, punches, status, late/early minutes, sources.

    Rows run by employee (``emp_idx``, roster order), then workday.  Every column
    is built as a numpy array and the frame is made once, without copying: each
    ``g[col] = ...`` on a 900k-row frame costs a copy.  Sign-ins, leave and
    off-post entries are joined by a dense integer key (employee index × 32 +
    day of month) instead of string merges; leave and off-post entries touch a
    few thousand rows, so their columns are written at those rows only.
    """
    import numpy as np
    import pandas as pd

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
    type_codes = np.full(n, -1, dtype=codes_dtype(pd.Index([*leave_types, "personal"])))
    type_codes[rows] = lv["type"][0][src]
    file_codes = np.full(n, -1, dtype=codes_dtype(leave_files))
    file_codes[rows] = lv["file"][0][src]
    leave_row = np.full(n, np.nan)
    leave_row[rows] = lv["row"][src]

    has_in = ~np.isnan(sign_in)
    has_out = ~np.isnan(sign_out)
    any_punch = has_in | has_out
    attended = any_punch.astype(float)
    absent = 1.0 - attended
    leave_days = np.zeros(n)
    on_leave = np.zeros(n, dtype=bool)
    on_leave[rows] = True
    full, unapproved, punched = leave_frac[rows] >= 1.0, ~approved[rows], any_punch[rows]
    # 1. approved full-day leave; unapproved leave is absence (篇1 §五.9)
    # 2. half-day leave: the other half is attended with any punch, else absent
    leave_days[rows] = np.where(unapproved, 0.0, np.where(full, 1.0, 0.5))
    attended[rows] = np.where(full, 0.0, np.where(punched, 0.5, 0.0))
    absent[rows] = np.where(full, np.where(unapproved, 1.0, 0.0),
                            np.where(punched, 0.0, 0.5) + np.where(unapproved, 0.5, 0.0))
    judged = ~on_leave & any_punch  # 3./4. late, early and missing only on plain present days
    missing_punch = judged & (has_in ^ has_out)

    # day start/end by season (篇1 §一.1), looked up per workday and gathered by index
    bounds = np.array([rules.day_bounds(rules.season(d.month, d.day)) for d in month.workdays],
                      dtype="float64").reshape(-1, 2)
    starts, ends = bounds[:, 0][wd], bounds[:, 1][wd]
    grace = float(rules.get("attendance.grace_minutes")) * 60
    late_s = sign_in - starts - grace
    early_s = ends - sign_out
    late = judged & (late_s > 0)  # no sign-in (NaN) is never late
    early = judged & (early_s > 0)
    late_m = np.zeros(n, dtype="int64")  # minutes = ceil(seconds / 60), only where late/early
    late_m[late] = np.ceil((late_s[late] + grace) / 60)
    early_m = np.zeros(n, dtype="int64")
    early_m[early] = np.ceil(early_s[early] / 60)

    # off_post beyond the limit: half a day of attendance becomes absence (篇1 §二.2)
    op_files = pd.Index([], dtype=object)
    op_codes = np.full(n, -1, dtype=np.int8)
    op_row = np.full(n, np.nan)
    if len(violations):
        limit = float(rules.get("attendance.off_post_minutes"))
        op = violations[(violations["code"] == "off_post") & (violations["minutes"] > limit)]
        op = op.dropna(subset=["employee_id", "date"])
        key = grid_key(positions(op["employee_id"], emp_ids), op["date"], day0, day0, day0 + 32 * DAY_NS - 1)
        hit, src = matches(key, g_key)
        keep = attended[hit] >= 0.5
        hit, src = hit[keep], src[keep]
        attended[hit] -= 0.5
        absent[hit] += 0.5
        fac, uniq = pd.factorize(op["_file"])
        op_files = pd.Index(uniq).astype(object)
        op_codes = np.full(n, -1, dtype=codes_dtype(op_files))
        op_codes[hit] = fac[src]
        op_row[hit] = op["_row"].to_numpy(dtype=float)[src]

    type_codes[rows[unapproved]] = -1  # unapproved leave is absence, not leave
    sick_converted, leave_types = _sick_without_certificate(ei, wd, rows, type_codes, leave_types, leave_days,
                                                            certificate, rules)
    return pd.DataFrame({
        "employee_id": categorical(ei.astype(codes_dtype(ids)), ids), "date": work.to_numpy()[wd],
        "emp_idx": ei, "wd_idx": wd, "sign_in": sign_in, "sign_out": sign_out, "punch_file": punch_file,
        "punch_row": punch_row, "leave_type": categorical(type_codes, leave_types),
        "leave_frac": leave_frac, "approved": approved, "certificate": certificate,
        "leave_file": categorical(file_codes, leave_files), "leave_row": leave_row,
        "missing_punch": missing_punch, "late": late, "early": early,
        "late_minutes": late_m, "early_minutes": early_m, "day_start": starts, "day_end": ends,
        "off_post_file": categorical(op_codes, op_files), "off_post_row": op_row, "attended": attended,
        "absent": absent, "leave_days": leave_days, "sick_converted": sick_converted,
    }, copy=False)  # the arrays are new and ours: no copy needed


def _sick_without_certificate(ei: np.ndarray, wd: np.ndarray, rows: np.ndarray, type_codes: np.ndarray,
                              types: pd.Index, leave_days: np.ndarray, certificate: np.ndarray,
                              rules: Rulebook) -> tuple[np.ndarray, pd.Index]:
    """Runs of ≥2 consecutive sick workdays without a certificate count as personal (篇1 §五.4).

    ``rows`` are the grid rows with leave, in grid order (employee, then workday),
    so a run is a stretch of sick rows with the same employee and consecutive
    workday indexes.  Converted rows get the "personal" code in ``type_codes``
    (in place); returns the converted mask and the categories, "personal" added.
    """
    import numpy as np
    import pandas as pd

    converted = np.zeros(len(ei), dtype=bool)
    sick_code = types.get_loc("sick") if "sick" in types else -2
    sick = rows[(type_codes[rows] == sick_code) & (leave_days[rows] >= 1.0)]
    if not len(sick):
        return converted, types
    e, d = ei[sick], wd[sick]
    new_run = np.concatenate([[True], (e[1:] != e[:-1]) | (d[1:] - d[:-1] != 1)])
    run_id = np.cumsum(new_run) - 1
    run_len = np.bincount(run_id)[run_id]
    need = int(rules.get("attendance.sick_certificate_run"))
    conv = sick[(run_len >= need) & ~certificate[sick]]
    if "personal" not in types:
        types = pd.Index([*types, "personal"], dtype=object)
    type_codes[conv] = types.get_loc("personal")
    converted[conv] = True
    return converted, types
