"""`cs-rules explain`: one payslip, every line with its rule and source row.

The document's money ``lines`` add up exactly to the net pay before the floor;
``adjustments`` (the floor at 0, forfeiture when the rulebook applies it) take it
to the paid ``net_pay``.  Money is a string with two decimals, as in all JSON.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cs_rules.model.money import from_fen, prorate_fen

if TYPE_CHECKING:
    from cs_rules.engine.payroll import MonthResult


def _m(fen: int) -> str:
    return f"{from_fen(int(fen)):.2f}"


def _na(v: Any) -> bool:
    import pandas as pd

    try:
        return v is None or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _s(v: Any) -> str:
    return "" if _na(v) or str(v) in ("<NA>", "nan", "NaT") else str(v)


def _d(v: Any) -> str:
    return v.strftime("%Y-%m-%d") if hasattr(v, "strftime") and not _na(v) else _s(v)


def _src(file: Any, row: Any) -> str:
    f, r = _s(file), _s(row)
    if not f:
        return ""
    try:
        return f"{f}:{int(float(r))}"
    except ValueError:
        return f


def _line(kind: str, label: str, fen: int, rule: str = "", source: str = "", date: str = "", code: str = "",
          note: str = "") -> dict[str, Any]:
    return {"kind": kind, "label": label, "date": date, "code": code, "amount": _m(fen), "rule": rule,
            "source": source, "note": note}


def _days(dates: list[str], limit: int = 8) -> str:
    if len(dates) <= limit:
        return ", ".join(dates)
    return ", ".join(dates[:limit]) + f", … ({len(dates)} days)"


def explain_doc(res: MonthResult, emp_id: str) -> dict[str, Any]:
    """The payslip of ``emp_id`` in ``res`` as a JSON-friendly document."""
    from cs_rules.engine.payroll import FLAG_RULES
    from cs_rules.reports.workbook import flag_reason

    e = res.find_employee(emp_id)
    emp_id = str(e["employee_id"])
    rules = res.rules
    std = Decimal(str(rules.get("pay.standard_days")))
    g = res.grid[res.grid["employee_id"] == emp_id]
    base = int(e["base_fen"])
    lines: list[dict[str, Any]] = []

    # base salary: the grade's or the roster's own
    own = isinstance(e["base_salary"], str) and e["base_salary"].strip() != ""
    base_rule = "roster base_salary" if own else f"篇5 §六 (grade {e['grade']})"
    base_src = _src(e.get("_file"), e.get("_row")) if own else ""
    unpaid_mask = g["leave_type"].isin(["personal", "sick"]) & (g["leave_days"] > 0)
    absent_mask = g["absent"] > 0
    unpaid_halves = int(round((float(e["personal_leave_days"]) + float(e["sick_leave_days"])) * 2))
    absent_halves = int(round(float(e["absent_days"]) * 2))
    daily = f"{e['daily_rate']:.2f}"

    if not bool(e["partial"]):
        lines.append(_line("base", "Base salary", base, base_rule, base_src,
                           note=f"daily rate {daily} = base / {std}"))
        unpaid_fen = int(prorate_fen(base, unpaid_halves, std))
        if unpaid_halves:
            dates = [f"{_d(r.date)}{'½' if r.leave_days < 1 else ''} {r.leave_type}"
                     for r in g[unpaid_mask].itertuples()]
            srcs = sorted({_src(r.leave_file, r.leave_row) for r in g[unpaid_mask].itertuples()} - {""})
            lines.append(_line("unpaid_leave", f"Unpaid leave {unpaid_halves / 2:g} day(s) × {daily}", -unpaid_fen,
                               "RULEBOOK §5; 篇4 §三.2", "; ".join(srcs), note=_days(dates)))
        absent_fen = base - unpaid_fen - int(e["base_pay_fen"])
        if absent_halves or absent_fen:
            lines.append(_line("absence", f"Absent {absent_halves / 2:g} day(s) × {daily} (time not worked)",
                               -absent_fen, "RULEBOOK §5; 篇1 §五.6", _absence_sources(g[absent_mask]),
                               note=_days([_d(r.date) for r in g[absent_mask].itertuples()])))
    else:
        paid_days = float(e["attended_days"]) + float(e["paid_leave_days"]) + int(e["holiday_days"])
        capped = "proration_capped" in list(e["flags"])
        note = (f"base {_m(base)} × {paid_days:g} paid days / {std} (attended {float(e['attended_days']):g} + "
                f"paid leave {float(e['paid_leave_days']):g} + holiday {int(e['holiday_days'])}); "
                f"employed {_d(e['win_start'])}..{_d(e['win_end'])}" + ("; capped at the base" if capped else ""))
        lines.append(_line("base", "Base pay (partial month)", int(e["base_pay_fen"]), f"篇4 §三.2; {base_rule}",
                           base_src, note=note))

    pen = int(e["absence_penalty_fen"])
    if pen:
        lines.append(_line("absence_penalty", f"Absence penalty {absent_halves / 2:g} day(s) × {daily}", -pen,
                           "篇1 §五.6", _absence_sources(g[absent_mask]),
                           note=_days([_d(r.date) for r in g[absent_mask].itertuples()])))

    # performance pay (篇4 §四)
    ps = e["performance_score"]
    if _na(ps):
        perf_note = "no performance score on file"
    else:
        pts = float(e["performance_points"])
        tiers = sorted(((int(t), str(a)) for t, a in rules.get("pay.performance")["tiers"]), reverse=True)
        tier = next((f"≥ {t:g} → {a}" for t, a in tiers if pts >= t), "below every tier → 0")
        perf_note = (f"score {float(ps):g} + {int(e['awards'])} award(s) × "
                     f"{rules.get('pay.performance')['award_points']} + {int(e['nominations'])} nomination(s) × "
                     f"{rules.get('pay.performance')['nomination_points']} = {pts:g} points, tier {tier}")
    lines.append(_line("performance", "Performance pay", int(e["performance_pay_fen"]), "篇4 §四, 篇2 §五, §六.3",
                       str(e.get("performance_source", "")), note=perf_note))

    # bonuses
    if int(e["award_bonus_fen"]):
        lines.append(_line("bonus", f"Award bonus {int(e['awards'])} × {rules.money('pay.bonus.award'):.2f}",
                           int(e["award_bonus_fen"]), "篇2 §五.1"))
    for r in res.rewards[res.rewards["employee_id"] == emp_id].itertuples():
        lines.append(_line("bonus", "Reward", int(r.amount_fen), _s(r.rule), _s(r.source), _d(r.date),
                           _s(r.code), _s(r.note)))
    if int(e["full_attendance_fen"]):
        lines.append(_line("bonus", "Full attendance bonus", int(e["full_attendance_fen"]), "RULEBOOK §5 (pay.bonus)",
                           note="full month, no leave, absence, late, early, missing punch or fine"))

    # fines, one line each
    for r in res.fines[res.fines["employee_id"] == emp_id].itertuples():
        lines.append(_line("fine", "Fine", -int(r.amount_fen), _s(r.rule), _s(r.source), _d(r.date), _s(r.code),
                           _s(r.note)))

    total = sum(int(Decimal(x["amount"]) * 100) for x in lines)
    before = int(e["net_before_floor_fen"])
    if total != before:  # never expected: show the difference rather than hide it
        lines.append(_line("adjustment", "Unexplained difference", before - total, note="please report this"))

    adjustments = []
    paid = int(e["net_pay_fen"])
    step = before
    if before < 0:
        adjustments.append(_line("floor", "Floor at 0 (net_clamped)", -before, "RULEBOOK §5"))
        step = 0
    if paid != step:
        label = "Forfeiture applied by the rulebook" if "forfeiture" in list(e["flags"]) else "Adjustment"
        adjustments.append(_line("forfeiture", label, paid - step, "篇1 §五.2/6/7 (flags.forfeiture = apply)"))

    flags = [{"flag": f, "reason": flag_reason(e, f, rules, "en"), "rule": FLAG_RULES.get(f, "")}
             for f in list(e["flags"])]
    si = res.score_items[res.score_items["employee_id"] == emp_id]
    score = {
        "start": float(rules.get("score.start")), "score": float(e["score"]), "level": _s(e["score_level"]),
        "deductions": [{"date": _d(r.date), "code": _s(r.code), "points": float(r.points), "rule": _s(r.rule),
                        "source": _s(r.source), "note": _s(r.note)} for r in si.itertuples()],
    }
    company = str(rules.get("meta.company") or "").strip()
    return {
        "employee_id": emp_id, "name": _s(e["name"]), "grade": _s(e["grade"]), "month": res.month.label,
        "pay_date": res.pay_date.isoformat(), "company": company,
        "employed": {"from": _d(e["win_start"]), "to": _d(e["win_end"]), "partial_month": bool(e["partial"])},
        "attendance": {
            "workdays": int(e["workdays"]), "attended_days": float(e["attended_days"]),
            "late_count": int(e["late_count"]), "early_leave_count": int(e["early_leave_count"]),
            "missing_punch_count": int(e["missing_punch_count"]), "absent_days": float(e["absent_days"]),
            "personal_leave_days": float(e["personal_leave_days"]), "sick_leave_days": float(e["sick_leave_days"]),
            "paid_leave_days": float(e["paid_leave_days"]),
        },
        "base_salary": _m(base), "daily_rate": daily,
        "lines": lines,
        "net_before_floor": _m(before),
        "adjustments": adjustments,
        "net_pay": _m(paid),
        "score": score,
        "flags": flags,
    }


def _absence_sources(ab: Any) -> str:
    out = []
    for r in ab.itertuples():
        s = _src(r.off_post_file, r.off_post_row) or _src(r.leave_file, r.leave_row) or _src(r.punch_file,
                                                                                               r.punch_row)
        if s:
            out.append(s)
    return "; ".join(dict.fromkeys(out))


def _texts(*values: str) -> list[Any]:
    """Cells as rich Text, so data such as ``[bold]`` in a note is shown, never read as markup."""
    from rich.text import Text

    return [Text(v) for v in values]


def _item(ln: dict[str, Any]) -> Any:
    from rich.text import Text

    t = Text(ln["label"])
    extra = " ".join(x for x in (ln.get("date", ""), ln.get("code", "")) if x)
    if extra:
        t.append(f" {extra}")
    if ln.get("note"):
        t.append(f"\n{ln['note']}", style="dim")
    return t


def render_explain(doc: dict[str, Any]) -> None:
    """The payslip as rich tables on stdout (plain text when piped)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    c = Console(highlight=False, soft_wrap=False)
    if not c.is_terminal:
        c.width = max(c.width, 140)
    a = doc["attendance"]
    head = f"{doc['company'] + ' · ' if doc['company'] else ''}Payslip {doc['month']} · " \
           f"{doc['employee_id']} {doc['name']} · {doc['grade']} · pay date {doc['pay_date']}"
    c.print(Text(head, style="bold"))
    emp = doc["employed"]
    c.print(f"Employed {emp['from']}..{emp['to']}{' (partial month)' if emp['partial_month'] else ''} · "
            f"base {doc['base_salary']} · daily rate {doc['daily_rate']}")
    c.print(f"Attendance: {a['workdays']} workdays, attended {a['attended_days']:g}, late {a['late_count']}, "
            f"early {a['early_leave_count']}, missing punch {a['missing_punch_count']}, absent "
            f"{a['absent_days']:g}, personal leave {a['personal_leave_days']:g}, sick leave "
            f"{a['sick_leave_days']:g}, paid leave {a['paid_leave_days']:g}")

    t = Table(title="Pay", title_justify="left", header_style="bold")
    t.add_column("item", ratio=3)
    t.add_column("amount", justify="right", no_wrap=True)
    t.add_column("rule", ratio=1)
    t.add_column("source", ratio=2, overflow="fold")
    for ln in doc["lines"]:
        t.add_row(_item(ln), Text(ln["amount"], style="red" if ln["amount"].startswith("-") else ""),
                  Text(ln["rule"]), Text(ln["source"]))
    t.add_section()
    if doc["adjustments"]:
        t.add_row(Text("Net before the floor", style="bold"), Text(doc["net_before_floor"], style="bold"), "", "")
        for ln in doc["adjustments"]:
            t.add_row(_item(ln), Text(ln["amount"]), Text(ln["rule"]), Text(ln["source"]))
    t.add_row(Text("Net pay", style="bold"), Text(doc["net_pay"], style="bold green"), Text("RULEBOOK §5"), "")
    c.print(t)

    s = doc["score"]
    st = Table(title=f"Score {s['start']:g} → {s['score']:g} ({s['level']})", title_justify="left",
               header_style="bold")
    st.add_column("item", ratio=3)
    st.add_column("points", justify="right", no_wrap=True)
    st.add_column("rule", ratio=1)
    st.add_column("source", ratio=2, overflow="fold")
    for d in s["deductions"]:
        st.add_row(_item({"label": d["code"], "date": d["date"], "code": "", "note": d["note"]}),
                   Text(f"-{d['points']:g}"), Text(d["rule"]), Text(d["source"]))
    if s["deductions"]:
        c.print(st)
    else:
        c.print(Text(f"Score {s['start']:g} → {s['score']:g} ({s['level']}): no deductions"))
    for f in doc["flags"]:
        c.print(Text(f"flag {f['flag']}: {f['reason']} [{f['rule']}]", style="magenta"))
