"""Rows and columns of each report, independent of the output format."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cs_rules.arrays import str_array
from cs_rules.model.money import from_fen

if TYPE_CHECKING:
    from cs_rules.engine.payroll import MonthResult

from cs_rules.model.outputs import (
    FINES_HEADER,
    PAYROLL_FIELDS,
    PAYROLL_OVERTIME_FIELDS,
    PROMOTION_HEADER,
    SCORE_HEADER,
)

__all__ = ["FINES_HEADER", "PAYROLL_FIELDS", "PROMOTION_HEADER", "SCORE_HEADER"]  # and the functions below
NUMERIC_FIELDS = {"base_salary", "daily_rate", "workdays", "attended_days", "late_count", "early_leave_count",
                  "missing_punch_count", "absent_days", "personal_leave_days", "sick_leave_days",
                  "paid_leave_days", "base_pay", "absence_penalty", "performance_pay", "bonus_total",
                  "fines_total", "score", "net_pay", "overtime_hours", "overtime_pay"}


def _num(v: float) -> str:
    return f"{v:g}" if v != int(v) else f"{int(v)}"


def half_steps_text(col: Any) -> Any:
    """Days and points (multiples of 0.5) as text: ``23``, ``22.5`` — a whole column at once.

    Arrow builds whole and x.5 values with exactly the digits ``str()`` gives them; any
    other value (missing stays missing) still goes through ``str(float)``. The result is
    an Arrow-backed ``str`` array the CSV writer uses without a per-cell round trip.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    v = np.asarray(col, dtype="float64")
    t = np.trunc(v)
    whole = v == t
    text = pc.cast(pa.array(np.where(whole, t, 0).astype("int64")), pa.large_string())
    # x.5 below 1e15: str(float) writes exactly "[-]<int part>.5" (no exponent, no rounding)
    half = ~whole & (v * 2 == np.trunc(v * 2)) & (np.abs(v) < 1e15)
    if half.any():
        none = pa.scalar("", pa.large_string())
        body = pc.binary_join_element_wise(pc.cast(pa.array(np.abs(t[half]).astype("int64")), pa.large_string()),
                                           pa.scalar(".5", pa.large_string()), none)
        body = pc.if_else(pa.array(v[half] < 0),
                          pc.binary_join_element_wise(pa.scalar("-", pa.large_string()), body, none), body)
        text = pc.replace_with_mask(text, pa.array(half), body)
    other = ~whole & ~half
    if other.any():
        rest = pd.Series(v[other]).astype("string").astype(object)
        text = pc.replace_with_mask(text, pa.array(other),
                                    pa.array([None if x is pd.NA else x for x in rest], type=pa.large_string()))
    return str_array(text)


def payroll_frame(res: MonthResult) -> Any:
    """The payroll as a flat table for CSV/TSV/terminal: flags joined with ';'."""
    import pyarrow as pa

    f = res.frame(arrow=True)
    flags = pa.array([";".join(x) for x in f["flags"]], type=pa.large_string())
    f["flags"] = str_array(flags)
    for c in ("attended_days", "absent_days", "personal_leave_days", "sick_leave_days", "paid_leave_days",
              "score"):
        f[c] = half_steps_text(f[c])
    fields = payroll_fields(res)
    if res.has_overtime:
        f["overtime_hours"] = [f"{x:g}" for x in f["overtime_hours"]]
    return f if list(f.columns) == fields else f[fields]


def payroll_fields(res: MonthResult) -> list[str]:
    """DATA.md's payroll fields, with overtime_hours and overtime_pay in a month with approved overtime."""
    return PAYROLL_OVERTIME_FIELDS if res.has_overtime else PAYROLL_FIELDS


def payroll_rows(res: MonthResult) -> tuple[list[str], list[list[Any]]]:
    f = payroll_frame(res)
    return payroll_fields(res), f.values.tolist()


def _date(v: Any) -> str:
    return v.strftime("%Y-%m-%d") if hasattr(v, "strftime") else str(v)


def fines_json(res: MonthResult, emp_id: str) -> dict[str, Any]:
    e = res.find_employee(emp_id)
    items = res.fines[res.fines["employee_id"] == emp_id]
    return {
        "employee_id": emp_id, "name": e["name"], "month": res.month.label,
        "total": f"{from_fen(int(items['amount_fen'].sum())):.2f}",
        "items": [{"date": _date(r.date), "code": r.code, "amount": f"{from_fen(r.amount_fen):.2f}",
                   "rule": r.rule, "source": r.source, "note": r.note} for r in items.itertuples()],
    }


def fines_rows(doc: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    header = FINES_HEADER
    return header, [[i[h] for h in header] for i in doc["items"]]


def score_json(res: MonthResult, emp_id: str | None) -> dict[str, Any]:
    emps = res.employees if emp_id is None else res.employees[res.employees["employee_id"] == emp_id]
    items = res.score_items
    groups = {k: g for k, g in items.groupby("employee_id", sort=False)} if len(items) else {}
    out = []
    for e in emps.itertuples():
        g = groups.get(e.employee_id)
        ded = [] if g is None else [
            {"date": _date(r.date), "code": r.code, "points": float(r.points), "rule": r.rule,
             "source": r.source, "note": r.note} for r in g.itertuples()]
        out.append({"employee_id": e.employee_id, "name": e.name, "score": float(e.score),
                    "level": e.score_level, "deductions": ded})
    return {"month": res.month.label, "employees": out}


def score_rows(doc: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    header = SCORE_HEADER
    rows: list[list[Any]] = []
    for e in doc["employees"]:
        if not e["deductions"]:
            rows.append([e["employee_id"], e["name"], _num(e["score"]), e["level"], "", "", "", "", ""])
        for d in e["deductions"]:
            rows.append([e["employee_id"], e["name"], _num(e["score"]), e["level"], d["date"], d["code"],
                         _num(d["points"]), d["rule"], d["source"]])
    return header, rows


STATUS_TEXT = {"eligible": "eligible", "not_eligible": "not eligible", "due_for_review": "due for review",
               "unknown": "cannot tell yet", "triggered": "triggered", "not_triggered": "no trigger",
               "not_reviewed": "not reviewed"}


def promotion_json(res: Any, emp_id: str | None) -> dict[str, Any]:
    """DATA.md-style document of `cs-rules promotion`: each person's step up and demotion triggers."""
    e = res.standing.employees
    out = []
    for i, r in enumerate(e.itertuples(index=False)):
        if emp_id is not None and r.employee_id != emp_id:
            continue
        verdicts = res.verdicts[i]
        step = next((v for v in verdicts if v.kind == "promotion"), None)

        def doc(v: Any) -> dict[str, Any]:
            return {"code": v.code, "label": v.label, "to": v.to, "status": v.status, "review": v.review,
                    "criteria": [{"what": c.what, "met": c.met, "detail": c.detail, "rule": c.rule}
                                 for c in v.criteria]}

        out.append({"employee_id": r.employee_id, "name": r.name, "grade": r.grade,
                    "hire_date": _date(r.hire_date), "tenure_months": int(r.tenure_months),
                    "awards": int(res.standing.awards[i]),
                    "promotion": doc(step) if step else None,
                    "demotion": [doc(v) for v in verdicts if v.kind == "demotion"]})
    return {"month": res.month, "months_considered": [res.standing.months[0], res.standing.months[-1]],
            "employees": out}


def promotion_rows(doc: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """One row per criterion (a person with none gets one row), for CSV/TSV."""
    header = PROMOTION_HEADER
    rows: list[list[Any]] = []
    for e in doc["employees"]:
        steps = ([e["promotion"]] if e["promotion"] else []) + e["demotion"]
        base = [e["employee_id"], e["name"], e["grade"], str(e["tenure_months"])]
        if not steps:
            rows.append(base + ["", "", "", "", "", "", ""])
        for v in steps:
            kind = "promotion" if v is e["promotion"] else "demotion"
            head = base + [kind, v["code"], STATUS_TEXT.get(v["status"], v["status"])]
            if not v["criteria"]:
                rows.append(head + ["", "", "", ""])
            for c in v["criteria"]:
                met = "yes" if c["met"] is True else "no" if c["met"] is False else "?"
                rows.append(head + [c["what"], met, c["detail"], c["rule"]])
    return header, rows
