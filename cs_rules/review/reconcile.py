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
        months = sorted({f"{d.year:04d}-{d.month:02d}" for d in v["date"]} & set(results))
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
        for emp, grp in j.groupby("employee_id", sort=False):
            diffs = []
            first_row = None
            for r in grp.sort_values("date").itertuples():
                parts = []
                for k, word in WORDS.items():
                    vv, oo = bool(getattr(r, f"{k}_v")), bool(getattr(r, f"{k}_o"))
                    if vv != oo:
                        parts.append(f"{word}: vendor {'yes' if vv else 'no'}, cs-rules {'yes' if oo else 'no'}")
                if parts:
                    first_row = first_row or r
                    diffs.append(f"{r.date:%m-%d} ({'; '.join(parts)})")
            if diffs and first_row is not None:
                problems.append(Problem(
                    str(first_row.src_file), int(first_row.src_row), "考勤结果", "vendor_disagrees",
                    f"{emp} {first_row.name}: the export's verdict differs on {len(diffs)} day(s): "
                    + ", ".join(diffs[:8]) + (" …" if len(diffs) > 8 else ""),
                    "the vendor's rules (grace minutes, shift times) differ from the rulebook; "
                    "cs-rules pays by the rulebook — check these days before paying" + hint_vendor, "warning",
                    str(first_row.src_sheet)))
    problems.extend(_label_mismatches(data, cal, set(results)))
    return problems


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
