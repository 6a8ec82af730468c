"""Each employee-day's status for one month (RULEBOOK §2), over whole columns.

The grid has one row per employee per department workday inside the employment
window.  Leave, punches and off-post entries are joined on; statuses come from
vectorised masks, in the order RULEBOOK §2 gives.  No per-row Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cs_rules.engine.calendar import Day
from cs_rules.rulebook import Rulebook

if TYPE_CHECKING:
    import pandas as pd


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


def employment(roster: pd.DataFrame, month: Month) -> pd.DataFrame:
    """Roster rows employed on at least one day of the month, with their window."""
    import pandas as pd

    first, last = pd.Timestamp(month.first), pd.Timestamp(month.last)
    r = roster.dropna(subset=["employee_id", "hire_date"]).copy()
    r = r[~r["employee_id"].duplicated()]
    r["win_start"] = r["hire_date"].where(r["hire_date"] > first, first)
    end = r["leave_date"].fillna(last)
    r["win_end"] = end.where(end < last, last)
    r = r[r["win_start"] <= r["win_end"]].copy()
    r["full_month"] = (r["win_start"] == first) & (r["win_end"] == last)
    return r.reset_index(drop=True)


def _expand_leave(leave: pd.DataFrame, month: Month) -> pd.DataFrame:
    """One row per leave request per calendar day inside the month."""
    import numpy as np
    import pandas as pd

    if not len(leave):
        return pd.DataFrame(columns=["employee_id", "date", "type", "half_day", "certificate", "approved",
                                     "_file", "_row"])
    first, last = pd.Timestamp(month.first), pd.Timestamp(month.last)
    lv = leave.dropna(subset=["employee_id", "start_date", "end_date", "type"])
    lv = lv[(lv["end_date"] >= first) & (lv["start_date"] <= last) & (lv["end_date"] >= lv["start_date"])]
    if not len(lv):
        return _expand_leave(leave.iloc[0:0], month)
    start = lv["start_date"].where(lv["start_date"] > first, first)
    end = lv["end_date"].where(lv["end_date"] < last, last)
    n = ((end - start).dt.days + 1).to_numpy()
    rep = lv.loc[lv.index.repeat(n)].reset_index(drop=True)
    offs = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    rep["date"] = np.repeat(start.to_numpy(), n) + pd.to_timedelta(offs, unit="D")
    return rep[["employee_id", "date", "type", "half_day", "certificate", "approved", "_file", "_row"]]


def day_grid(emp: pd.DataFrame, signins: pd.DataFrame, leave: pd.DataFrame, violations: pd.DataFrame,
             month: Month, rules: Rulebook) -> pd.DataFrame:
    """Per employee-workday: leave, punches, status, late/early minutes, sources."""
    import numpy as np
    import pandas as pd

    work = pd.to_datetime(pd.Series(month.workdays, dtype="object"))
    # cross join employees x workdays, keep days inside each window
    n_e, n_d = len(emp), len(work)
    ei = np.repeat(np.arange(n_e), n_d)
    dates = np.tile(work.to_numpy(), n_e)
    inside = (dates >= emp["win_start"].to_numpy()[ei]) & (dates <= emp["win_end"].to_numpy()[ei])
    ei, dates = ei[inside], dates[inside]
    wd = np.tile(np.arange(n_d), n_e)[inside]
    codes = pd.Index(emp["employee_id"].astype(object))
    # categoricals: a million repeated strings cost a million Arrow conversions otherwise
    g = pd.DataFrame({"employee_id": pd.Categorical.from_codes(ei, categories=codes), "date": dates,
                      "emp_idx": ei, "wd_idx": wd})
    day0 = pd.Timestamp(month.first)
    # Joins by dense integer key (employee index × day of month) instead of string merges.
    g_key = ei * 32 + (pd.DatetimeIndex(dates) - day0).days.to_numpy()

    def lookup(emp_ids: pd.Series, days: pd.Series) -> np.ndarray:
        """Row position in the joined table for each grid row (-1: none; first row wins)."""
        # factorize (Arrow-fast) first, then look up only the distinct ids
        fac, uniq = pd.factorize(emp_ids)
        e = np.where(fac >= 0, codes.get_indexer(pd.Index(uniq).astype(object))[np.maximum(fac, 0)], -1) \
            if len(uniq) else np.full(len(emp_ids), -1)
        d = (pd.DatetimeIndex(days) - day0).days.to_numpy()
        ok = (e >= 0) & (d >= 0) & (d < 32)
        table = np.full(n_e * 32, -1, dtype="int64")
        pos = np.flatnonzero(ok)
        keys = e[ok] * 32 + d[ok]
        table[keys[::-1]] = pos[::-1]
        return table[g_key]

    def take(col: pd.Series, pos: np.ndarray, fill: object) -> Any:
        if fill is None:  # text (file names, leave types): categorical codes, -1 = missing
            fac, uniq = pd.factorize(col)
            cats = pd.Index(uniq).astype(object)
            return pd.Categorical.from_codes(np.where(pos >= 0, fac[np.maximum(pos, 0)], -1)
                                             if len(fac) else np.full(len(pos), -1), categories=cats)
        vals = col.to_numpy()
        if not len(vals):
            return np.full(len(pos), fill)
        return np.where(pos >= 0, vals[np.maximum(pos, 0)], fill)  # type: ignore[call-overload]

    # punches
    first, last = pd.Timestamp(month.first), pd.Timestamp(month.last)
    s = signins[(signins["date"] >= first) & (signins["date"] <= last)]
    pos = lookup(s["employee_id"], s["date"])
    g["sign_in"] = take(s["sign_in"].astype(float), pos, np.nan).astype(float)
    g["sign_out"] = take(s["sign_out"].astype(float), pos, np.nan).astype(float)
    g["punch_file"] = take(s["_file"], pos, None)
    g["punch_row"] = take(s["_row"].astype(float), pos, np.nan).astype(float)

    # leave (a day may hold two half days: morning and afternoon)
    ld = _expand_leave(leave, month)
    if len(ld):
        ld = ld.assign(frac=np.where(ld["half_day"].astype(bool), 0.5, 1.0))
        agg = ld.sort_values("_row").groupby(["employee_id", "date"], sort=False).agg(
            leave_type=("type", "first"), leave_frac=("frac", "sum"), approved=("approved", "all"),
            certificate=("certificate", "all"), leave_file=("_file", "first"), leave_row=("_row", "first"))
        agg["leave_frac"] = agg["leave_frac"].clip(upper=1.0)
        agg = agg.reset_index()
        pos = lookup(agg["employee_id"], agg["date"])
        g["leave_type"] = take(agg["leave_type"], pos, None)
        g["leave_frac"] = take(agg["leave_frac"].astype(float), pos, 0.0).astype(float)
        g["approved"] = take(agg["approved"].astype(bool), pos, True).astype(bool)
        g["certificate"] = take(agg["certificate"].astype(bool), pos, False).astype(bool)
        g["leave_file"] = take(agg["leave_file"], pos, None)
        g["leave_row"] = take(agg["leave_row"].astype(float), pos, np.nan).astype(float)
    else:
        for c, v in (("leave_type", None), ("leave_frac", 0.0), ("approved", True), ("certificate", False),
                     ("leave_file", None), ("leave_row", np.nan)):
            g[c] = v
    g["leave_frac"] = g["leave_frac"].fillna(0.0).astype(float)
    g["approved"] = g["approved"].fillna(True).astype(bool)
    g["certificate"] = g["certificate"].fillna(False).astype(bool)

    has_in = g["sign_in"].notna()
    has_out = g["sign_out"].notna()
    any_punch = has_in | has_out
    on_leave = g["leave_frac"] > 0
    full_leave = on_leave & (g["leave_frac"] >= 1.0)
    half_leave = on_leave & ~full_leave
    unapproved = on_leave & ~g["approved"]

    attended = np.where(any_punch, 1.0, 0.0)
    absent = np.where(any_punch, 0.0, 1.0)
    leave_days = np.zeros(len(g))
    # 1. approved full-day leave; unapproved leave is absence (篇1 §五.9)
    leave_days = np.where(full_leave & ~unapproved, 1.0, leave_days)
    attended = np.where(full_leave, 0.0, attended)
    absent = np.where(full_leave, np.where(unapproved, 1.0, 0.0), absent)
    # 2. half-day leave: the other half is attended with any punch, else absent
    leave_days = np.where(half_leave & ~unapproved, 0.5, leave_days)
    attended = np.where(half_leave, np.where(any_punch, 0.5, 0.0), attended)
    absent = np.where(half_leave, np.where(any_punch, 0.0, 0.5) + np.where(unapproved, 0.5, 0.0), absent)
    judged = ~on_leave & any_punch  # 3./4. late, early and missing only on plain present days
    g["missing_punch"] = judged & (has_in ^ has_out)

    # day start/end by season (篇1 §一.1), looked up per workday and gathered by index
    bounds = np.array([rules.day_bounds(rules.season(d.month, d.day)) for d in month.workdays], dtype="float64")
    starts = bounds[g["wd_idx"].to_numpy(), 0]
    ends = bounds[g["wd_idx"].to_numpy(), 1]
    grace = float(rules.get("attendance.grace_minutes")) * 60
    late_s = g["sign_in"].to_numpy() - starts - grace
    early_s = ends - g["sign_out"].to_numpy()
    g["late"] = judged & has_in & (late_s > 0)
    g["early"] = judged & has_out & (early_s > 0)
    late_m = np.zeros(len(g), dtype="int64")  # minutes = ceil(seconds / 60), only where late/early
    is_late = g["late"].to_numpy()
    late_m[is_late] = np.ceil((late_s[is_late] + grace) / 60)
    early_m = np.zeros(len(g), dtype="int64")
    is_early = g["early"].to_numpy()
    early_m[is_early] = np.ceil(early_s[is_early] / 60)
    g["late_minutes"] = late_m
    g["early_minutes"] = early_m
    g["day_start"] = starts
    g["day_end"] = ends

    # off_post beyond the limit: half a day of attendance becomes absence (篇1 §二.2)
    no_pos = np.full(len(g), -1, dtype="int64")
    op_file = take(pd.Series([], dtype=object), no_pos, None)
    op_row = np.full(len(g), np.nan)
    if len(violations):
        limit = float(rules.get("attendance.off_post_minutes"))
        op = violations[(violations["code"] == "off_post") & (violations["minutes"] > limit)]
        op = op.dropna(subset=["employee_id", "date"])
        if len(op):
            pos = lookup(op["employee_id"], op["date"])
            hit = (pos >= 0) & (attended >= 0.5)
            attended = np.where(hit, attended - 0.5, attended)
            absent = np.where(hit, absent + 0.5, absent)
            op_pos = np.where(hit, pos, -1)
            op_file = take(op["_file"], op_pos, None)
            op_row = take(op["_row"].astype(float), op_pos, np.nan)
    g["off_post_file"] = op_file
    g["off_post_row"] = op_row
    g["attended"] = attended
    g["absent"] = absent
    g["leave_days"] = leave_days
    g["leave_type"] = g["leave_type"].where(on_leave & ~unapproved, None)
    _sick_without_certificate(g, rules)
    return g


def _sick_without_certificate(g: pd.DataFrame, rules: Rulebook) -> None:
    """Runs of ≥2 consecutive sick workdays without a certificate count as personal (篇1 §五.4)."""
    import pandas as pd

    g["sick_converted"] = False
    sick = (g["leave_type"] == "sick") & (g["leave_days"] >= 1.0)
    if not bool(sick.any()):
        return
    sub = g.loc[sick, ["employee_id", "wd_idx"]].sort_values(["employee_id", "wd_idx"])
    new_run = (sub["employee_id"] != sub["employee_id"].shift()) | (sub["wd_idx"].diff() != 1)
    run_id = new_run.cumsum()
    run_len = run_id.map(run_id.value_counts())
    need = int(rules.get("attendance.sick_certificate_run"))
    conv_idx = sub.index[(run_len >= need).to_numpy() & ~g.loc[sub.index, "certificate"].to_numpy()]
    lt = g["leave_type"]
    if isinstance(lt.dtype, pd.CategoricalDtype) and "personal" not in lt.cat.categories:
        g["leave_type"] = lt.cat.add_categories(["personal"])
    g.loc[conv_idx, "leave_type"] = "personal"
    g.loc[conv_idx, "sick_converted"] = True
