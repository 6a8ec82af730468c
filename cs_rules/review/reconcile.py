"""Where a vendor export's own verdicts disagree with ours, so HR sees why before paying.

DingTalk and WeCom print a verdict per person-day (迟到/早退/缺卡/旷工); their rules
(grace minutes, shift times) are not the department's.  After a clean load we run
the month through the engine and list, per employee, the days that differ.  We
also compare DingTalk's day labels (六/日/holiday names) with our calendar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cs_rules.problems import Problem, UsageError
from cs_rules.rulebook import Rulebook

if TYPE_CHECKING:
    from cs_rules.model.inputs import Dataset

WORDS = {"late": "迟到 late", "early": "早退 early", "missing": "缺卡 missing punch", "absent": "旷工 absent"}


def reconcile(data: Dataset, rules: Rulebook, results: dict[str, Any]) -> list[Problem]:
    """Warnings for every employee whose vendor verdicts differ from cs-rules' statuses, in the months
    of ``results`` (month label -> the engine's MonthResult), and for vendor day labels that differ
    from the department calendar in those months."""
    import pandas as pd

    from cs_rules.engine.calendar import build_calendar

    problems: list[Problem] = []
    cal = build_calendar(data, rules)
    hint_vendor = "" if rules.get("attendance.schedule") == "vendor" else (
        "; to judge by the export's own 班次 and rest days instead, put [attendance] schedule = \"vendor\" in "
        "rules.toml")
    for load in data.vendor:
        v = load.verdicts
        if "employee_id" not in v or not len(v):
            continue
        v = v[v["employee_id"].notna() & v["date"].notna()]
        # the months the verdicts touch, from the distinct months (not a Python loop over a million days)
        ym = pd.to_datetime(v["date"]).dt.to_period("M").unique()
        months = sorted({f"{p.year:04d}-{p.month:02d}" for p in ym} & set(results))
        ours = []
        for m in months:
            g = results[m].grid
            ours.append(pd.DataFrame({
                "employee_id": g["employee_id"].astype(object), "date": g["date"],
                "late": g["late"].to_numpy(), "early": g["early"].to_numpy(),
                "missing": g["missing_punch"].to_numpy(), "absent": (g["absent"] > 0).to_numpy()}))
        if not ours:
            continue
        o = pd.concat(ours, ignore_index=True)
        # only workdays in the employment window are judged by us; others are skipped
        j = v.merge(o, on=["employee_id", "date"], how="inner", suffixes=("_v", "_o"))
        j = j.rename(columns={"_file": "src_file", "_row": "src_row", "_sheet": "src_sheet"})
        problems.extend(_disagreements(j, hint_vendor))
    problems.extend(_label_mismatches(data, cal, set(results)))
    return problems


def _disagreements(j: Any, hint_vendor: str = "") -> list[Problem]:
    """One warning per employee with days whose vendor verdict differs from ours: employees in the
    order they first appear, their days by date; only the rows that differ are looked at one by one."""
    import numpy as np
    import pandas as pd

    if not len(j):
        return []
    j = j.reset_index(drop=True)
    flags = {k: (j[f"{k}_v"].astype(bool).to_numpy(), j[f"{k}_o"].astype(bool).to_numpy()) for k in WORDS}
    differs = np.zeros(len(j), dtype=bool)
    for vv, oo in flags.values():
        differs |= vv != oo
    if not differs.any():
        return []
    codes, uniques = pd.factorize(j["employee_id"])
    order = np.lexsort((j["date"].to_numpy(), codes))  # stable: by employee (first seen), then date
    order = order[differs[order]]
    day = j["date"].take(order).dt.strftime("%m-%d").to_numpy(dtype=object)
    emp_of = codes[order]
    out: list[Problem] = []
    start = 0
    while start < len(order):
        stop = start
        while stop < len(order) and emp_of[stop] == emp_of[start]:
            stop += 1
        diffs = []
        for pos in range(start, stop):
            i = order[pos]
            yes = ("no", "yes")
            parts = [f"{word}: vendor {yes[int(flags[k][0][i])]} / cs-rules {yes[int(flags[k][1][i])]}"
                     for k, word in WORDS.items() if flags[k][0][i] != flags[k][1][i]]
            diffs.append(f"{day[pos]} ({'; '.join(parts)})")
        first = order[start]
        out.append(Problem(
            str(j["src_file"].iat[first]), int(j["src_row"].iat[first]), "考勤结果", "vendor_disagrees",
            f"{uniques[emp_of[start]]} {j['name'].iat[first]}: the export's verdict differs on {len(diffs)} day(s): "
            + ", ".join(diffs[:8]) + (" …" if len(diffs) > 8 else ""),
            "the vendor's rules (grace minutes, shift times) differ from the rulebook; "
            "cs-rules pays by the rulebook — check these days before paying" + hint_vendor, "warning",
            str(j["src_sheet"].iat[first])))
        start = stop
    return out


def _file(frame: object) -> str:
    try:
        return str(frame["_file"].iloc[0])  # type: ignore[index]
    except Exception:
        return ""


def _label_mismatches(data: Dataset, cal: object, months: set[str]) -> list[Problem]:
    """DingTalk labels a day 六/日 or a holiday name; compare with our workdays (one warning per file)."""
    from cs_rules.model.calendar import DeptCalendar

    assert isinstance(cal, DeptCalendar)
    out: list[Problem] = []
    for load in data.vendor:
        lab = load.day_labels.rename(columns={"_row": "src_row", "_column": "src_column"})
        if not len(lab):
            continue
        bad = []
        for r in lab.itertuples():
            if r.date is None or r.date != r.date or f"{r.date:%Y-%m}" not in months:
                continue
            label = str(r.label).strip()
            vendor_rest = not label.isdigit()
            try:
                ours = cal.day(r.date.date())
            except UsageError:
                continue
            if vendor_rest and ours.workday:
                bad.append(f"{r.date:%m-%d} '{label}' is a workday here")
            elif not vendor_rest and not ours.workday:
                bad.append(f"{r.date:%m-%d} is a rest day here ({ours.name or 'Sunday'})")
        if bad:
            out.append(Problem(load.file or _file(load.signins), int(lab["src_row"].iloc[0]),
                               "", "calendar_mismatch",
                               f"the export's day labels differ from the department calendar on {len(bad)} "
                               f"day(s): " + ", ".join(bad[:10]) + (" …" if len(bad) > 10 else ""),
                               "cs-rules follows the department calendar (Sunday rest, national holidays, "
                               "calendar.csv); add calendar.csv overrides if the export is right",
                               "warning"))
    return out
