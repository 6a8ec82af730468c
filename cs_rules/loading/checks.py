"""Checks that need more than one row or more than one file.

Run once after every file is loaded, so a single `validate` lists every problem.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cs_rules.arrays import DAY_NS, ns
from cs_rules.loading.people import unknown_people
from cs_rules.problems import Problem
from cs_rules.rulebook import Rulebook

if TYPE_CHECKING:

    from cs_rules.model.inputs import Dataset


def _fmt_secs(v: float) -> str:
    if v != v:  # NaN
        return "(none)"
    s = int(v)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"




def cross_checks(data: Dataset, rules: Rulebook, roster_known: bool) -> None:
    import numpy as np
    import pandas as pd

    log = data.problems
    s = data.signins
    factorized: dict[str, tuple[Any, Any]] = {}
    if len(s):
        # duplicate employee-days by integer key (factorized ids × day number): no string hashing twice,
        # and no copy of the table (9 million rows at 400,000 people) for the rows that have both
        all_codes, all_uniq = pd.factorize(s["employee_id"])
        factorized["signins"] = (all_codes, all_uniq)
        t = ns(s["date"])
        ok = (all_codes >= 0) & (t != np.iinfo("int64").min)
        emp_code = all_codes[ok].astype("int64")
        day = t[ok] // DAY_NS
        span = int(day.max() - day.min()) + 1 if len(day) else 1
        key = emp_code * span + (day - day.min())
        if len(day) and (int(emp_code.max()) + 1) * span <= 64_000_000:  # a month or a few: count directly
            counts = np.bincount(key)
            dup = pd.Series(counts[key] > 1, index=s.index[ok])
        else:
            _, inverse, ucounts = np.unique(key, return_inverse=True, return_counts=True)
            dup = pd.Series(ucounts[inverse] > 1, index=s.index[ok])
        if bool(dup.any()):
            d = s.loc[dup[dup].index].sort_values(["employee_id", "date", "_file", "_row"]).rename(
                columns={"_file": "file", "_row": "row", "_sheet": "sheet"})
            first = d.groupby(["employee_id", "date"], sort=False).head(1)
            firsts = {(r.employee_id, r.date): r for r in first.itertuples()}
            for r in d.itertuples():
                f = firsts[(r.employee_id, r.date)]
                if f.Index == r.Index:
                    continue
                same = (_fmt_secs(f.sign_in), _fmt_secs(f.sign_out)) == (_fmt_secs(r.sign_in), _fmt_secs(r.sign_out))
                where = f"{f.file}:{f.row}" if f.file != r.file else f"row {f.row}"
                day = r.date.strftime("%Y-%m-%d")
                if same:
                    log.add(Problem(r.file, int(r.row), "date", "repeated_day",
                                    f"{r.employee_id} {day} is repeated (same times as {where})",
                                    "delete the repeated row", "warning", r.sheet))
                else:
                    log.add(Problem(r.file, int(r.row), "date", "conflicting_day",
                                    f"{r.employee_id} {day} appears twice with different times "
                                    f"({_fmt_secs(r.sign_in)}–{_fmt_secs(r.sign_out)} here, "
                                    f"{_fmt_secs(f.sign_in)}–{_fmt_secs(f.sign_out)} at {where})",
                                    "keep the correct row and delete the other", "error", r.sheet))
    _overlapping_leave(data)
    _calendar_conflicts(data)
    if roster_known and len(data.roster):
        _employment_windows(data, factorized)
    if roster_known:
        for name, frame, sev in (("sign-in", data.signins, "warning"), ("leave", data.leave, "warning"),
                                 ("violation", data.violations, "warning"),
                                 ("performance", data.performance, "warning"),
                                 ("award", data.awards, "warning")):
            unknown_people(data, frame, name, sev, factorized.get("signins") if frame is s else None)




def _overlapping_leave(data: Dataset) -> None:
    lv = data.leave
    if not len(lv):
        return
    ok = lv.dropna(subset=["employee_id", "start_date", "end_date"])
    ok = ok[ok["end_date"] >= ok["start_date"]].sort_values(["employee_id", "start_date", "_row"])
    if len(ok) < 2:
        return
    running_end = ok.groupby("employee_id")["end_date"].cummax()
    prev_end = running_end.groupby(ok["employee_id"]).shift()
    prev_row = ok.groupby("employee_id")["_row"].shift()
    clash = prev_end.notna() & (ok["start_date"] <= prev_end)
    # two half days on the same date (morning + afternoon) are not an overlap
    both_half = ok["half_day"] & ok.groupby("employee_id")["half_day"].shift().fillna(False).astype(bool) & \
        (ok["start_date"] == ok["end_date"])
    for idx in clash[clash & ~both_half].index:
        r = ok.loc[idx]
        data.problems.add(Problem(str(r["_file"]), int(r["_row"]), "start_date", "overlapping_leave",
                                  f"leave {r['start_date']:%Y-%m-%d}..{r['end_date']:%Y-%m-%d} of "
                                  f"{r['employee_id']} overlaps the leave on row {int(prev_row.at[idx])}",
                                  "merge the two requests or correct the dates", "error", str(r["_sheet"])))


def _calendar_conflicts(data: Dataset) -> None:
    """Two calendar.csv rows for one date: the same type is a repeat, different types a contradiction."""
    cal = data.calendar
    if len(cal) < 2:
        return
    ok = cal[cal["date"].notna()]
    dup = ok["date"].duplicated(keep=False)
    if not bool(dup.any()):
        return
    rows = ok[dup].sort_values(["date", "_row"]).rename(columns={"_file": "file", "_row": "row", "_sheet": "sheet"})
    seen: dict[object, object] = {}
    for r in rows.itertuples():
        first = seen.setdefault(r.date, r)
        if first is r:
            continue
        day = f"{r.date:%Y-%m-%d}"
        f_row, f_type, f_file = first.row, first.type, first.file  # type: ignore[attr-defined]
        where = f"row {f_row}" if f_file == r.file else f"{f_file}:{f_row}"
        if f_type == r.type:
            data.problems.add(Problem(str(r.file), int(r.row), "date", "repeated_calendar_day",
                                      f"{day} is listed twice (also on {where})", "delete the repeated row",
                                      "warning", str(r.sheet)))
        else:
            data.problems.add(Problem(str(r.file), int(r.row), "date", "conflicting_calendar_day",
                                      f"{day} is {r.type} here but {f_type} on {where}",
                                      "keep the row that is right and delete the other", "error", str(r.sheet)))


WINDOW_TABLES = (("sign-in", "signins", "date", "date"), ("leave", "leave", "start_date", "end_date"),
                 ("violation", "violations", "date", "date"))


def _employment_windows(data: Dataset, factorized: dict[str, tuple[Any, Any]]) -> None:
    """Rows about a day outside a person's employment do not count: say so, per file and person.

    The rulebook says every input row is used or reported; a sign-in before the hire
    date (or a hire date typed a year late) would otherwise vanish without a word.
    ``factorized`` holds (codes, ids) of tables already factorized (a million sign-ins
    are hashed once).
    """
    import numpy as np
    import pandas as pd

    r = data.roster.dropna(subset=["employee_id"]).drop_duplicates("employee_id")
    hire = pd.Series(r["hire_date"].to_numpy(), index=r["employee_id"].astype(object))
    gone = pd.Series(r["leave_date"].to_numpy(), index=r["employee_id"].astype(object))
    for what, attr, first_col, last_col in WINDOW_TABLES:
        frame = getattr(data, attr)
        if not len(frame) or first_col not in frame.columns:
            continue
        lo, hi = frame[first_col].min(), frame[last_col].max()
        if pd.isna(lo) or pd.isna(hi):
            continue
        risky = ((hire > lo) | (gone < hi)).to_numpy()
        if not risky.any():
            continue  # nobody hired after the first row or gone before the last
        codes, uniq = factorized.get(attr) or pd.factorize(frame["employee_id"])
        if not len(uniq):
            continue
        # bounds only for the few people at risk: no lookup of every id in the roster
        pos = pd.Index(uniq).get_indexer(pd.Index(hire.index[risky]))
        keep = pos >= 0
        h = np.full(len(uniq), np.datetime64("NaT"), dtype="datetime64[ns]")
        g = h.copy()
        h[pos[keep]] = hire.to_numpy(dtype="datetime64[ns]")[risky][keep]
        g[pos[keep]] = gone.to_numpy(dtype="datetime64[ns]")[risky][keep]
        valid = codes >= 0
        hh = np.where(valid, h[np.maximum(codes, 0)], np.datetime64("NaT"))
        gg = np.where(valid, g[np.maximum(codes, 0)], np.datetime64("NaT"))
        start = frame[first_col].to_numpy(dtype="datetime64[ns]")
        end = frame[last_col].to_numpy(dtype="datetime64[ns]")
        with np.errstate(invalid="ignore"):
            before = ~np.isnat(hh) & ~np.isnat(start) & (start < hh)
            after = ~np.isnat(gg) & ~np.isnat(end) & (end > gg)
        for mask, side in ((before, "before"), (after, "after")):
            if not mask.any():
                continue
            sub = frame.loc[mask]
            for (file, emp), grp in sub.groupby(["_file", "employee_id"], sort=False):
                row = grp.sort_values("_row").iloc[0]
                bound = hire.get(emp) if side == "before" else gone.get(emp)
                label = "hire date" if side == "before" else "leave date"
                more = f"{len(grp)} {what} rows" if len(grp) > 1 else f"a {what} row"
                day = row[first_col] if side == "before" else row[last_col]
                data.problems.add(Problem(
                    str(file), int(row["_row"]), first_col if side == "before" else last_col, "outside_employment",
                    f"{more} of {emp} fall{'s' if len(grp) == 1 else ''} {side} the {label} {bound:%Y-%m-%d} "
                    f"(first: {day:%Y-%m-%d}); {'it does' if len(grp) == 1 else 'they do'} not count",
                    f"check the {label} in the roster, or the dates of these rows", "warning", str(row["_sheet"])))
