"""`cs-rules explain`: one payslip, every line with its rule and source row.

The document's money ``lines`` add up exactly to the net pay before the floor;
``adjustments`` (the floor at 0, forfeiture when the rulebook applies it) take it
to the paid ``net_pay``.  Money is a string with two decimals, as in all JSON.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from cs_rules.model.money import from_fen

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


# pay lines shown after "net before the floor": the adjustments that read the flags
ADJUSTMENT_HANDLERS = ("net_floor", "forfeiture_applied")
# pay lines itemised from their ledger instead of shown as one total
ITEMISED = {"fines_total": "fine", "rewards": "reward"}


def explain_doc(res: MonthResult, emp_id: str, lang: str = "en") -> dict[str, Any]:
    """The payslip of ``emp_id`` in ``res`` as a JSON-friendly document.

    It renders the month's pay lines (:mod:`cs_rules.rules.pay`) for one person —
    amounts as the engine computed them, notes and sources from the same rules — so
    the lines add up to the net pay by construction; fines and rewards are itemised
    from their ledgers, one line per event.
    """
    from cs_rules.reports.workbook import flag_reason

    e = res.find_employee(emp_id)
    emp_id = str(e["employee_id"])
    i = int(res.employees.index.get_loc(e.name))
    rules = res.rules
    base = int(e["base_fen"])
    daily = f"{e['daily_rate']:.2f}"
    lines: list[dict[str, Any]] = []
    adjustments: list[dict[str, Any]] = []
    assert res.pay_lines is not None
    for code, pl in res.pay_lines.items():
        entry = rules.entry("pay", code)
        fen = int(pl.amount_fen[i])
        if entry.handler in ITEMISED:
            ledger = res.fines if entry.handler == "fines_total" else res.rewards
            sign = -1 if entry.handler == "fines_total" else 1
            kind = ITEMISED[entry.handler]
            for r in ledger[ledger["employee_id"] == emp_id].itertuples():
                lines.append(_line(kind, rules.label(kind, _s(r.code), lang), sign * int(r.amount_fen), _s(r.rule),
                                   _s(r.source), _d(r.date), _s(r.code), _s(r.note)))
            continue
        if not fen and not (pl.shown is not None and pl.shown(i)):
            continue
        rule_text = entry.cite
        if entry.handler == "base_pay":
            grade_rule = base_rule_text(rules, e, lang)
            rule_text = f"{entry.cite}; {grade_rule}" if bool(e["partial"]) else grade_rule
        item = _line(code, entry.label(lang), fen, rule_text, pl.source(i), code=code, note=pl.note(i, lang))
        (adjustments if entry.handler in ADJUSTMENT_HANDLERS else lines).append(item)
    before = int(e["net_before_floor_fen"])
    paid = int(e["net_pay_fen"])

    flags = [{"flag": f, "reason": flag_reason(e, f, rules, lang), "rule": rules.cite("flag", f)}
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
        "absences": absence_evidence(res, emp_id, lang),
        "corrections": corrections_used(res, emp_id),
    }


def corrections_used(res: MonthResult, emp_id: str) -> list[dict[str, Any]]:
    """The approved punch corrections (补卡) that filled a missing punch of this person: a clerk
    sees which times on the payslip came from an approval, not from the clock."""
    g = res.grid
    if "corrected" not in g:
        return []
    rows = g[(g["employee_id"] == emp_id) & (g["corrected"] > 0)]
    out = []
    for r in rows.itertuples():
        for bit, kind, t in ((1, "sign-in", r.sign_in), (2, "sign-out", r.sign_out)):
            if int(r.corrected) & bit and not _na(t):
                out.append({"date": f"{r.date:%Y-%m-%d}", "punch": kind,
                            "time": f"{int(t) // 3600 % 24:02d}:{int(t) % 3600 // 60:02d}",
                            "source": _src(r.correction_file, r.correction_row)})
    return out


def absence_evidence(res: MonthResult, emp_id: str, lang: str = "en") -> list[dict[str, Any]]:
    """Why each absent day is absent, so a clerk can check it (issue 13 §7); the workbook's
    旷工依据 sheet shows the same rows for everyone."""
    from cs_rules.review.evidence import absences, reasons

    ev = absences(res, emp_id)
    return [{"date": f"{d:%Y-%m-%d}", "days": float(n), "why": why, "source": src}
            for d, n, why, src in zip(ev["date"].tolist(), ev["days"].tolist(), reasons(ev, lang),
                                      ev["source"].tolist(), strict=True)]


def base_rule_text(rules: Any, e: Any, lang: str = "en") -> str:
    """Where the base comes from: the roster's own amount, or the grade's clause."""
    own = isinstance(e["base_salary"], str) and e["base_salary"].strip() != ""
    from cs_rules.i18n import t

    if own:
        return t("explain.roster_base", lang)
    grade = str(e["grade"])
    return t("explain.grade_rule", lang, cite=rules.cite("grade", grade) or "篇5 §六",
             grade=grade if lang == "en" else rules.label("grade", grade, "zh"))


def _texts(*values: str) -> list[Any]:
    """Cells as rich Text, so data such as ``[bold]`` in a note is shown, never read as markup."""
    from rich.text import Text

    return [Text(v) for v in values]


def _item(ln: dict[str, Any]) -> Any:
    from rich.text import Text

    from cs_rules import i18n

    t = Text(ln["label"])
    code = ln.get("code", "") if i18n.current() == "en" else ""  # in Chinese the label says it
    extra = " ".join(x for x in (ln.get("date", ""), code) if x)
    if extra:
        t.append(f" {extra}")
    if ln.get("note"):
        t.append(f"\n{i18n.tr(ln['note'])}", style="dim")
    return t


def render_explain(doc: dict[str, Any], source_root: str | None = None, file: Any = None,
                   width: int | None = None) -> None:
    """The payslip as rich tables on stdout (plain text when piped). Sources (``file:row``) are
    never wrapped and are shown relative to the data folder ``source_root``; the item and rule
    columns give way on a narrow terminal."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    c = Console(file=file, highlight=False, soft_wrap=False, markup=False)  # a name like 王[/b] is text
    if width is not None:
        c.width = width
    elif not c.is_terminal and not os.environ.get("COLUMNS"):
        c.width = max(c.width, 140)
    prefix = source_root.rstrip("/\\") + "/" if source_root and source_root not in (".", "") else ""

    def src(text: str) -> Text:
        return Text(text[len(prefix):] if prefix and text.startswith(prefix) else text)

    from cs_rules import i18n
    from cs_rules.i18n import t as _t

    a = doc["attendance"]
    head = (f"{doc['company']} · " if doc["company"] else "") + _t(
        "explain.head", month=doc["month"], id=doc["employee_id"], name=doc["name"],
        grade=i18n.label(doc["grade"]), pay_date=doc["pay_date"])
    c.print(Text(head, style="bold"))
    emp = doc["employed"]
    c.print(Text(_t("explain.employed", start=emp["from"], end=emp["to"],
                    partial=_t("explain.partial") if emp["partial_month"] else "",
                    base=doc["base_salary"], daily=doc["daily_rate"])))
    c.print(Text(_t("explain.attendance", workdays=a["workdays"], attended=f"{a['attended_days']:g}",
                    late=a["late_count"], early=a["early_leave_count"], missing=a["missing_punch_count"],
                    absent=f"{a['absent_days']:g}", personal=f"{a['personal_leave_days']:g}",
                    sick=f"{a['sick_leave_days']:g}", paid=f"{a['paid_leave_days']:g}")))

    t = Table(title=_t("explain.pay"), title_justify="left", header_style="bold")
    # item and rule fold at the cell: Chinese has no spaces to break at, and rich would cut it with "…"
    t.add_column(_t("explain.col_item"), ratio=3, overflow="fold")
    t.add_column(_t("explain.col_amount"), justify="right", no_wrap=True)
    t.add_column(_t("explain.col_rule"), ratio=1, overflow="fold")
    t.add_column(_t("explain.col_source") + (_t("explain.source_in", prefix=prefix) if prefix else ""),
                 no_wrap=True)
    for ln in doc["lines"]:
        t.add_row(_item(ln), Text(ln["amount"], style="red" if ln["amount"].startswith("-") else ""),
                  Text(ln["rule"]), src(ln["source"]))
    t.add_section()
    if doc["adjustments"]:
        t.add_row(Text(_t("explain.net_before_floor"), style="bold"), Text(doc["net_before_floor"], style="bold"),
                  "", "")
        for ln in doc["adjustments"]:
            t.add_row(_item(ln), Text(ln["amount"]), Text(ln["rule"]), src(ln["source"]))
    t.add_row(Text(_t("explain.net_pay"), style="bold"), Text(doc["net_pay"], style="bold green"),
              Text("RULEBOOK §5"), "")
    c.print(t)

    s = doc["score"]
    score_title = _t("explain.score", start=f"{s['start']:g}", score=f"{s['score']:g}", level=i18n.label(s["level"]))
    st = Table(title=score_title, title_justify="left", header_style="bold")
    st.add_column(_t("explain.col_item"), ratio=3, overflow="fold")
    st.add_column(_t("explain.col_points"), justify="right", no_wrap=True)
    st.add_column(_t("explain.col_rule"), ratio=1, overflow="fold")
    st.add_column(_t("explain.col_source"), no_wrap=True)
    for d in s["deductions"]:
        st.add_row(_item({"label": i18n.label(d["code"]), "date": d["date"], "code": "", "note": d["note"]}),
                   Text(f"-{d['points']:g}" if d["points"] else "0"), Text(d["rule"]), src(d["source"]))
    if s["deductions"]:
        c.print(st)
    else:
        c.print(Text(score_title + _t("explain.no_deductions")))
    for f in doc["flags"]:
        c.print(Text(_t("explain.flag", flag=i18n.label(f["flag"]), reason=f["reason"], rule=f["rule"]),
                     style="magenta"))
    for fix in doc.get("corrections", []):
        c.print(Text(_t("explain.correction", date=fix["date"], punch=_t("explain." + fix["punch"]),
                        time=fix["time"], source=fix["source"])))
    if doc.get("absences"):
        c.print(Text(_t("explain.absences"), style="bold"))
        for ab in doc["absences"]:
            c.print(Text(_t("explain.absence", date=ab["date"], days=f"{ab['days']:g}", why=ab["why"])))
