"""Why each absent day is absent (issue 13 §7): the evidence a clerk checks before docking two
days' pay, 5 points and perhaps a resignation flag.

One function for every report: `explain` shows one person's rows, the workbook's 旷工依据 sheet
shows the whole month's, so the two never disagree.  The reason of each row is one of a few
kinds, chosen on whole columns; only its sentence is filled per row (there are few absent days
even at 40,000 people, and a sentence is a string format, not a pattern search).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from cs_rules.engine.payroll import MonthResult

# the reasons, in the order they are tested: the first that holds names the day
KINDS = ("unapproved_leave", "half_leave", "half_day_late", "half_day_early", "off_post", "empty_row",
         "no_punch", "no_source")


def absences(res: MonthResult, emp_id: str | None = None) -> pd.DataFrame:
    """One row per absent person-day of the month (of ``emp_id`` only when given), in grid order:
    ``emp_idx, employee_id, date, days, kind, source, covering, minutes`` — ``covering`` the sign-in
    sources whose period holds the day, as ``[(file, first, last)]``; ``minutes`` how late or early a
    half day was."""
    import numpy as np
    import pandas as pd

    from cs_rules.arrays import arrow_text, source_text

    g = res.grid
    mask = g["absent"].to_numpy() > 0
    if emp_id is not None:
        mask &= (g["employee_id"] == emp_id).to_numpy()
    rows = np.flatnonzero(mask)
    a = g.iloc[rows]

    def src(file: str, row: str) -> np.ndarray:
        if file not in a:
            return np.full(len(a), "", dtype=object)
        return np.asarray(source_text(arrow_text(a[file]), a[row].to_numpy(dtype=float)).to_pylist(), dtype=object)

    leave_src, punch_src = src("leave_file", "leave_row"), src("punch_file", "punch_row")
    off_src = src("off_post_file", "off_post_row")
    none = np.zeros(len(a), dtype="int64")
    late_by = a["half_day_late"].to_numpy() if "half_day_late" in a else none
    early_by = a["half_day_early"].to_numpy() if "half_day_early" in a else none
    half_late, half_early = late_by > 0, early_by > 0
    has_leave = leave_src != ""
    frac = a["leave_frac"].to_numpy()
    conds = [has_leave & ~a["approved"].to_numpy(dtype=bool), has_leave & (frac > 0) & (frac < 1), half_late,
             half_early, off_src != "", punch_src != ""]
    kind = np.select(conds, list(range(len(conds))), default=-1)
    days = pd.to_datetime(a["date"]).dt.date.to_numpy()
    periods = res.periods or []
    covering_of = {d: [p for p in periods if p[1] <= d <= p[2]] for d in set(days.tolist())}
    covering = [covering_of[d] for d in days.tolist()]
    covered = np.array([bool(c) for c in covering], dtype=bool)
    nothing = kind < 0
    kind[nothing] = np.where(covered[nothing], KINDS.index("no_punch"), KINDS.index("no_source"))
    of = np.asarray(KINDS, dtype=object)[kind]
    source = np.select([np.isin(of, ("unapproved_leave", "half_leave")), of == "off_post",
                        np.isin(of, ("half_day_late", "half_day_early", "empty_row"))],
                       [leave_src, off_src, punch_src], default="")
    return pd.DataFrame({
        "emp_idx": a["emp_idx"].to_numpy(), "employee_id": a["employee_id"].astype(str).to_numpy(),
        "date": days, "days": a["absent"].to_numpy(dtype=float), "kind": of,
        "source": source, "covering": covering, "minutes": np.where(half_late, late_by, early_by),
    })


def reasons(ev: pd.DataFrame, lang: str = "en") -> list[str]:
    """The sentence of each evidence row in ``lang``: what was looked at and found missing."""
    from cs_rules.i18n import t

    sep = ", " if lang == "en" else "、"
    out = []
    for emp, day, kind, src, cov, mins in zip(ev["employee_id"].tolist(), ev["date"].tolist(),
                                              ev["kind"].tolist(), ev["source"].tolist(), ev["covering"].tolist(),
                                              ev["minutes"].tolist(), strict=True):
        held = sep.join(t("evidence.held", lang, file=f, first=f"{a:%m-%d}", last=f"{b:%m-%d}") for f, a, b in cov)
        out.append(t(f"evidence.{kind}", lang, src=src, id=emp, d=f"{day:%Y-%m-%d}", held=held, n=mins))
    return out
