"""Lawfulness audit (issue "Lawfulness audit"): rules and payslips PRC labour law puts at risk.

``audit_doc(rules, res)`` reads the active rulebook and, when given a month's
:class:`MonthResult`, its payslips, and lists findings — each with the statute, why
it matters and a lawful alternative.  It is advice only: it reads the result and
never changes a number in it.  Codes listed in ``[compliance] silence`` are still
shown, under ``silenced``, and are not counted as findings.

Pure library: no terminal or CLI imports.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cs_rules.model.money import from_fen, to_fen
from cs_rules.model.outputs import AUDIT_HEADER

if TYPE_CHECKING:
    from cs_rules.engine.payroll import MonthResult
    from cs_rules.rulebook import Rulebook

UNLAWFUL = "unlawful"
RISK = "risk"

# code -> one-line description (also the list of codes [compliance] silence accepts)
CODES: dict[str, str] = {
    "fines": "fines (罚款) in the rulebook or deducted from a payslip",
    "absence_double": "the second day of the absence double deduction (篇1 §五.6)",
    "forfeiture": "\"no wage for the month\" (篇1 §五.2/6/7)",
    "notice_period": "resignation notice longer than the statutory 30 days",
    "auto_resignation": "\"absent over 2 days = automatic resignation\" (篇1 §五.6)",
    "unpaid_sick": "sick leave without sick pay",
    "working_hours": "working week over the 40-hour standard",
    "probation_pay": "probation salary below the statutory floor",
    "grade_below_min_wage": "a grade's base salary below the minimum wage",
    "below_min_wage": "a fully attended month paid below the minimum wage",
    "deduction_limit": "deductions above 20% of the monthly wage",
    "net_clamped": "deductions took the whole month's pay",
    "net_above_base": "net pay above the base salary",
    "overtime_limit": "overtime above 36 hours in a month",
    "overtime_unpaid": "approved overtime not paid",
}


STATUTE = {
    "fines": "《企业职工奖惩条例》已废止(国务院令第516号, 2008); 工资支付暂行规定 第15条; "
             "广东省劳动保障监察条例 第51条",
    "absence_double": "劳动法 第50条; 工资支付暂行规定 第15条",
    "forfeiture": "劳动法 第50条; 工资支付暂行规定 第9、15条; 劳动合同法 第37、90条",
    "notice_period": "劳动合同法 第37条",
    "auto_resignation": "劳动合同法 第39条(二)、第4条、第43条、第48条",
    "unpaid_sick": "劳部发〔1995〕309号 第59条; 劳部发〔1994〕479号(医疗期)",
    "working_hours": "国务院关于职工工作时间的规定 第3条; 劳动法 第41、44条",
    "probation_pay": "劳动合同法 第20条; 劳动合同法实施条例 第15条",
    "grade_below_min_wage": "最低工资规定 第12条",
    "below_min_wage": "最低工资规定 第12条",
    "deduction_limit": "工资支付暂行规定 第16条",
    "net_clamped": "劳动法 第50条; 工资支付暂行规定 第15、16条",
    "net_above_base": "劳动合同法 第17条",
    "overtime_limit": "劳动法 第41条",
    "overtime_unpaid": "劳动法 第44条",
}

ALTERNATIVE = {
    "fines": "tie conduct to performance pay or a full-attendance bonus (篇4 §四, 全勤奖) set out in rules "
             "adopted under 劳动合同法 第4条; use written warnings, and dismissal under 第39条(二) for serious "
             "breaches — then set every fines.* amount to \"0.00\" in rules.toml",
    "absence_double": "deduct only the wage of the time not worked (daily rate × days absent) and handle the "
                      "conduct through warnings and the conduct score",
    "forfeiture": "pay everything earned, in full, when employment ends (工资支付暂行规定 第9条); claim only "
                  "proven losses separately (劳动合同法 第90条); keep flags.forfeiture = \"flag\"",
    "notice_period": "set flags.notice_days to at most 30 (3 during probation)",
    "auto_resignation": "record the absence, require the employee in writing to return or explain; if rules "
                        "adopted democratically and published say so, dismiss under 劳动合同法 第39条(二) after "
                        "telling the union (第43条), in writing",
    "unpaid_sick": "pay sick wages of at least 80% of the local minimum wage during the medical treatment "
                   "period (or list 'sick' in leave.paid)",
    "working_hours": "a 5-day week of 8-hour days, or pay the extra hours as overtime (150%; rest days 200% "
                     "unless time off is given in lieu), or obtain approval for a comprehensive hours scheme "
                     "(综合计算工时, 劳部发〔1994〕503号)",
    "probation_pay": "set pay.grades.probation to at least 80% of the lowest regular grade and at least the "
                     "local minimum wage",
    "grade_below_min_wage": "raise the grade's base salary to the minimum wage, or make sure the month's pay "
                            "without overtime and allowances always reaches it",
    "below_min_wage": "top the payslip up to the minimum wage",
    "deduction_limit": "deduct at most 20% of the monthly wage, leaving at least the minimum wage; recover the "
                       "rest (if lawful at all) in later months",
    "net_clamped": "pay at least the minimum wage for time worked; drop the penalties that caused it",
    "net_above_base": "state the wage structure (base, performance pay, bonuses) in the labour contract",
    "overtime_limit": "spread the work (more staff, another shift) so nobody exceeds 3 hours a day and 36 hours a "
                      "month of overtime, except in the emergencies of 劳动法 第42条",
    "overtime_unpaid": "set pay.overtime_pay.paid = true (150% / 200% / 300%), or give time off in lieu for rest-day "
                       "overtime (劳动法 第44条(二))",
}


def _finding(code: str, scope: str, severity: str, message: str, why: str,
             employee_id: str = "", name: str = "", statute: str | None = None, amount: str = "") -> dict[str, Any]:
    """One finding; ``amount`` (payslips) is the yuan at stake, "" when none is."""
    return {"code": code, "scope": scope, "employee_id": employee_id, "name": name, "severity": severity,
            "message": message, "statute": statute or STATUTE[code], "why": why,
            "alternative": ALTERNATIVE[code], "silenced": False, "amount": amount}


def _yuan(amount: Decimal | int) -> str:
    """Decimal yuan or int fen → '12.50'."""
    if isinstance(amount, Decimal):
        return f"{amount.quantize(Decimal('0.01')):.2f}"
    return f"{from_fen(int(amount)):.2f}"


def _min_wage(rules: Rulebook) -> Decimal | None:
    v = rules.data.get("compliance", {}).get("min_wage")
    return Decimal(str(v)) if v not in (None, "") else None


def _forfeiture_mode(rules: Rulebook) -> str:
    return str(rules.entry("flag", "forfeiture").params.get("mode", "flag"))


def _hours(text: str) -> Decimal:
    h, m = str(text).split(":")
    return Decimal(int(h)) + Decimal(int(m)) / 60


def _fmt_h(h: Decimal) -> str:
    return f"{h.normalize():f}"


def active_fines(rules: Rulebook) -> list[tuple[str, str]]:
    """(fine code, amount text) of every non-zero fine in the rulebook."""
    out: list[tuple[str, str]] = []
    for e in rules.entries("fine"):
        nums = e.money_list("amounts") if "amounts" in e.params else [e.money("amount")] if "amount" in e.params else []
        if any(n > 0 for n in nums):
            out.append((e.code, "/".join(_yuan(n) for n in nums)))
    return out


def weekly_hours(rules: Rulebook) -> dict[str, tuple[Decimal, int, Decimal]]:
    """season -> (hours a day, workdays a week, hours a week), lunch break excluded."""
    cal = rules.data["calendar"]
    days = 7 - len({int(d) for d in cal.get("rest_weekdays", [])})
    out: dict[str, tuple[Decimal, int, Decimal]] = {}
    for season in ("summer", "winter"):
        s = cal.get(season, {})
        start, end = _hours(s["day_start"]), _hours(s["day_end"])
        ls, le = _hours(s["lunch_start"]), _hours(s["lunch_end"])
        lunch = max(Decimal(0), min(end, le) - max(start, ls))
        day = max(Decimal(0), end - start - lunch)
        out[season] = (day, days, day * days)
    return out


def rulebook_findings(rules: Rulebook) -> list[dict[str, Any]]:
    """Findings about the rulebook itself, whatever the month."""
    out: list[dict[str, Any]] = []
    rb = "rulebook"
    min_wage = _min_wage(rules)

    fines = active_fines(rules)
    if fines:
        listed = ", ".join(f"{k} {a}" for k, a in fines)
        out.append(_finding(
            "fines", rb, UNLAWFUL, f"the rulebook fines employees ({listed} 元; 篇1 §五)",
            "An employer's power to fine had its only basis in 《企业职工奖惩条例》, repealed in 2008 "
            "(国务院令第516号); deductions from wages are limited to those the law lists (工资支付暂行规定 "
            "第15条), and some provinces penalise rules that fine — Guangdong orders them corrected and fines "
            "the employer 2000–5000 元 per employee fined (广东省劳动保障监察条例 第51条)."))

    out.append(_finding(
        "absence_double", rb, UNLAWFUL,
        "an absent day costs double the daily wage: the day not worked plus an equal absence penalty "
        "(篇1 §五.6, the payslip's absence_penalty line)",
        "Only the wage of the time not worked may be withheld; the second day is a penalty beyond it, i.e. "
        "withheld earned wages (克扣工资), and labour arbitration has ordered such amounts repaid."))

    notice = rules.entry("flag", "notice_short").int("days")
    mode = _forfeiture_mode(rules)
    apply = mode == "apply"
    absent_limit = rules.entry("flag", "auto_resignation").int("days")
    out.append(_finding(
        "forfeiture", rb, UNLAWFUL if apply else RISK,
        "\"no wage for the month\" for a third private call, absence over "
        f"{absent_limit} days or leaving without {notice} days' notice "
        f"(篇1 §五.2/6/7); flags.forfeiture = \"{mode}\""
        + (" — net pay is set to 0" if apply else " — flagged only, pay is not changed"),
        "Wages earned must be paid in full (劳动法 第50条), on termination at once (工资支付暂行规定 第9条), "
        "and may not be withheld as a penalty (第15条). The statutory resignation notice is 30 days, 3 in "
        f"probation (劳动合同法 第37条), not the seed's {notice} days; an employee who leaves without notice "
        "owes only losses the employer proves (第90条)."
        + ("" if apply else " Flagging keeps pay lawful, but the rule itself still tells staff otherwise.")))

    if notice > 30:
        out.append(_finding(
            "notice_period", rb, UNLAWFUL,
            f"the rulebook requires {notice} days' resignation notice (flags.notice_days)",
            "An employee may leave 30 days after written notice, 3 days during probation (劳动合同法 第37条); "
            "a longer notice period cannot be enforced."))

    limit = absent_limit
    if limit < 31:
        out.append(_finding(
            "auto_resignation", rb, RISK,
            f"more than {limit} absent days in a month counts as automatic resignation (篇1 §五.6)",
            "PRC law has no \"automatic resignation\": the contract ends only by the employee's notice or a "
            "lawful dismissal. Dismissal for absence needs a serious breach of rules (劳动合同法 第39条(二)) "
            "that were adopted democratically and published (第4条), with the union told first (第43条); "
            "otherwise it is an unlawful dismissal owing double severance (第48、87条)."))

    if "sick" in rules.unpaid_leave:
        floor = f" ({_yuan(min_wage * Decimal('0.8'))} 元 a month here)" if min_wage is not None else ""
        out.append(_finding(
            "unpaid_sick", rb, UNLAWFUL, "sick leave is unpaid (leave.unpaid includes 'sick'; 篇1 §五.4)",
            "During the medical treatment period sick pay may be below the normal wage but not below 80% of "
            f"the local minimum wage{floor} (劳部发〔1995〕309号 第59条)."))

    hours = weekly_hours(rules)
    over = {s: h for s, h in hours.items() if h[2] > 40 or h[0] > 8}
    if over:
        parts = [f"{s} {_fmt_h(d)} h × {n} days = {_fmt_h(w)} h" for s, (d, n, w) in hours.items()]
        worst = max(w for _, _, w in over.values())
        out.append(_finding(
            "working_hours", rb, UNLAWFUL,
            f"the working week is {'; '.join(parts)} (篇1 §一; lunch break excluded), "
            f"over the 40-hour standard by up to {_fmt_h(worst - 40)} h",
            "The standard is 8 hours a day and 40 a week (国务院关于职工工作时间的规定 第3条) unless a special "
            "hours scheme is approved; hours beyond it are overtime, capped (劳动法 第41条) and paid at 150%, "
            "200% on rest days, 300% on holidays (第44条). The rulebook pays only approved overtime (overtime.csv), "
            "not the scheduled hours beyond 40." if _overtime_paid(rules) else
            "200% on rest days, 300% on holidays (第44条). The rulebook pays none."))

    grades = rules.grades
    if "probation" in grades:
        prob = grades["probation"]
        regular = {g: v for g, v in grades.items() if g != "probation"}
        reasons: list[str] = []
        if regular:
            low_g = min(regular, key=lambda g: regular[g])
            floor80 = regular[low_g] * Decimal("0.8")
            if prob < floor80:
                reasons.append(f"below 80% of the lowest regular grade {low_g} ({_yuan(regular[low_g])} × 80% = "
                               f"{_yuan(floor80)})")
        if min_wage is not None and prob < min_wage:
            reasons.append(f"below the minimum wage {_yuan(min_wage)}")
        if reasons:
            out.append(_finding(
                "probation_pay", rb, UNLAWFUL,
                f"probation salary {_yuan(prob)} is {' and '.join(reasons)} (pay.grades.probation; 篇5 §六)",
                "Probation pay may not be below the lowest grade of the same job or 80% of the agreed wage, nor "
                "below the local minimum wage (劳动合同法 第20条; 实施条例 第15条)."))

    if min_wage is not None:
        low = [(g, v) for g, v in grades.items() if g != "probation" and v < min_wage]
        if low:
            listed = ", ".join(f"{g} {_yuan(v)}" for g, v in low)
            out.append(_finding(
                "grade_below_min_wage", rb, RISK,
                f"base salary below the minimum wage {_yuan(min_wage)}: {listed} (pay.grades)",
                "For a month of normal work the wage, excluding overtime pay, special allowances and statutory "
                "benefits, must reach the local minimum wage (最低工资规定 第12条); with these grades it does "
                "only when performance pay and bonuses make up the gap."))
    return out


def payslip_masks(rules: Rulebook, res: MonthResult) -> dict[str, tuple[Any, str]]:
    """Which employees each payslip finding concerns, as whole-column masks, with its severity.

    The one place the triggers live: :func:`payslip_findings` words the findings of
    the rows these select, and :func:`payroll_summary` only counts them (cheap at 40,000 people).
    """
    import numpy as np

    e = res.employees
    flags = e["flags"].tolist()

    def has(flag: str) -> Any:
        return np.fromiter((flag in f for f in flags), dtype=bool, count=len(flags))

    base = e["base_fen"].to_numpy()
    fines = e["fines_fen"].to_numpy()
    pen = e["absence_penalty_fen"].to_numpy()
    net = e["net_pay_fen"].to_numpy()
    apply = _forfeiture_mode(rules) == "apply"
    unpaid_sick = "sick" in rules.unpaid_leave
    min_wage = _min_wage(rules)
    ot_min = e["overtime_minutes"].to_numpy() if "overtime_minutes" in e else np.zeros(len(e), dtype="int64")
    unpaid = (e["absent_days"] + e["personal_leave_days"] + e["sick_leave_days"]).to_numpy()
    below = np.zeros(len(e), dtype=bool)
    if min_wage is not None:
        below = (net < to_fen(min_wage)) & e["full_month"].to_numpy(dtype=bool) & \
            ~e["partial"].to_numpy(dtype=bool) & (unpaid == 0)
    return {
        "fines": (fines > 0, UNLAWFUL),
        "absence_double": (pen > 0, UNLAWFUL),
        "forfeiture": (has("forfeiture"), UNLAWFUL if apply else RISK),
        "auto_resignation": (has("auto_resignation"), RISK),
        "unpaid_sick": (unpaid_sick & (e["sick_leave_days"].to_numpy() > 0), UNLAWFUL),
        "deduction_limit": ((base > 0) & ((fines + pen) * 5 > base), UNLAWFUL),
        "net_clamped": (has("net_clamped"), UNLAWFUL),
        "below_min_wage": (below, UNLAWFUL),
        "overtime_limit": (ot_min > _overtime_limit(rules) * 60, UNLAWFUL),
        "overtime_unpaid": ((ot_min > 0) & (not _overtime_paid(rules)), UNLAWFUL),
    } | ({"net_above_base": ((base > 0) & (net > base), RISK)} if _opted_in(rules, "net_above_base") else {})


def _overtime_limit(rules: Rulebook) -> int:
    return int(rules.data.get("compliance", {}).get("overtime_hours_limit", 36))


def _overtime_paid(rules: Rulebook) -> bool:
    return any(e.code == "overtime_pay" and bool(e.params.get("paid", True)) for e in rules.entries("pay"))


def _opted_in(rules: Rulebook, code: str) -> bool:
    """Findings that are off unless the rulebook asks for them (``[compliance] net_above_base = true``)."""
    return rules.data.get("compliance", {}).get(code, False) is True


def payroll_summary(rules: Rulebook, res: MonthResult) -> str:
    """The one-line audit summary under `payroll`, counted from the masks (no wording built)."""
    import numpy as np

    silence = set(_silence_list(rules))
    rb = rulebook_findings(rules)
    unlawful = sum(f["severity"] == UNLAWFUL for f in rb if f["code"] not in silence)
    risk = sum(f["severity"] != UNLAWFUL for f in rb if f["code"] not in silence)
    silenced = sum(f["code"] in silence for f in rb)
    people = np.zeros(len(res.employees), dtype=bool)
    for code, (mask, severity) in payslip_masks(rules, res).items():
        k = int(mask.sum())
        if code in silence:
            silenced += k
            continue
        people |= mask
        if severity == UNLAWFUL:
            unlawful += k
        else:
            risk += k
    return _summary_text(unlawful, risk, int(people.sum()), silenced, res.month.label)


def payslip_findings(rules: Rulebook, res: MonthResult) -> list[dict[str, Any]]:
    """Findings about one month's payslips, one per employee and issue."""
    import numpy as np

    out: list[dict[str, Any]] = []
    ps = "payslip"
    e = res.employees
    label = res.month.label
    min_wage = _min_wage(rules)
    min_fen = to_fen(min_wage) if min_wage is not None else None
    apply = _forfeiture_mode(rules) == "apply"
    masks = payslip_masks(rules, res)
    hit = {code: m for code, (m, _sev) in masks.items()}
    fl = res.fines
    applied = fl[fl["amount_fen"] > 0] if len(fl) else fl

    # one pass over the ledger: per employee, the count of fines and "code ×k" text
    fine_count: dict[str, int] = {}
    fine_codes: dict[str, str] = {}
    if len(applied):
        by = applied.groupby([applied["employee_id"].astype(object), "code"], sort=False).size()
        for (emp, code), k in by.items():
            fine_count[str(emp)] = fine_count.get(str(emp), 0) + int(k)
            fine_codes[str(emp)] = (fine_codes.get(str(emp), "") + ", " if str(emp) in fine_codes else "") \
                + f"{code} ×{int(k)}"
    any_hit = np.logical_or.reduce([m for m in hit.values()]) if hit else np.zeros(len(e), dtype=bool)
    records: list[Any] = list(e.itertuples(index=False))
    for i in np.flatnonzero(any_hit):
        row = records[i]
        eid, name = str(row.employee_id), str(row.name)
        flags = set(row.flags)
        base, fines_fen, pen = int(row.base_fen), int(row.fines_fen), int(row.absence_penalty_fen)
        net = int(row.net_pay_fen)

        def add(code: str, severity: str, message: str, why: str, amount: int | Decimal | None = None,
                eid: str = eid, name: str = name) -> None:
            out.append(_finding(code, ps, severity, message, why, eid, name,
                                amount="" if amount is None else _yuan(amount)))

        if hit["fines"][i]:
            n = fine_count.get(eid, 0)
            codes = fine_codes.get(eid, "")
            add("fines", UNLAWFUL,
                f"{label}: fined {_yuan(fines_fen)} 元 in {n} fine(s)" + (f" ({codes})" if codes else ""),
                "Fines have no statutory basis (《企业职工奖惩条例》 repealed, 国务院令第516号) and are not among "
                "the deductions wages allow (工资支付暂行规定 第15条); the employee can claim them back.",
                amount=fines_fen)
        if hit["absence_double"][i]:
            add("absence_double", UNLAWFUL,
                f"{label}: absence penalty {_yuan(pen)} 元 for {row.absent_days:g} absent day(s), on top of the "
                "wage already not paid for them",
                "Only the wage of the time not worked may be withheld; the penalty is withheld earned wages "
                "(劳动法 第50条; 工资支付暂行规定 第15条).",
                amount=pen)
        if hit["forfeiture"][i]:
            causes = [f for f in ("auto_resignation", "dismissal", "notice_short") if f in flags]
            add("forfeiture", UNLAWFUL if apply else RISK,
                f"{label}: \"no wage for the month\" ({', '.join(causes)})"
                + (f" — net pay set to 0 instead of {_yuan(int(row.net_before_floor_fen))} 元" if apply
                   else f" — flagged only; pay {_yuan(net)} 元 unchanged, do not withhold it"),
                "Earned wages must be paid in full when employment ends (劳动法 第50条; 工资支付暂行规定 "
                "第9、15条); losses from leaving without notice must be proven (劳动合同法 第90条).",
                amount=int(row.net_before_floor_fen) if apply else net)
        if hit["auto_resignation"][i]:
            add("auto_resignation", RISK,
                f"{label}: {row.absent_days:g} absent days — the rulebook treats this as automatic resignation",
                "There is no automatic resignation; ending the contract needs a lawful written dismissal "
                "(劳动合同法 第39条(二), 第4、43条) or the employee's own notice.")
        if hit["unpaid_sick"][i]:
            floor = ""
            due = Decimal(0)
            if min_wage is not None:
                std = Decimal(str(rules.get("pay.standard_days")))
                due = min_wage * Decimal("0.8") / std * Decimal(str(row.sick_leave_days))
                floor = f"; at least {_yuan(due)} 元 is due for them (80% of the minimum wage)"
            add("unpaid_sick", UNLAWFUL,
                f"{label}: {row.sick_leave_days:g} sick-leave day(s) paid nothing{floor}",
                "Sick pay may not fall below 80% of the local minimum wage (劳部发〔1995〕309号 第59条).",
                amount=due if min_wage is not None else None)
        deductions = fines_fen + pen
        if hit["deduction_limit"][i]:
            add("deduction_limit", UNLAWFUL,
                f"{label}: deductions {_yuan(deductions)} 元 (fines {_yuan(fines_fen)}, absence penalty "
                f"{_yuan(pen)}) exceed 20% of the monthly wage {_yuan(base)} ({_yuan(base // 5)})",
                "Even lawful deductions may take at most 20% of the monthly wage, and what remains must reach "
                "the minimum wage (工资支付暂行规定 第16条).",
                amount=deductions)
        if hit["net_clamped"][i]:
            add("net_clamped", UNLAWFUL,
                f"{label}: deductions exceed the pay — net pay {_yuan(int(row.net_before_floor_fen))} 元 "
                "floored at 0.00",
                "Wages for time worked must be paid (劳动法 第50条); deductions may not take more than 20% "
                "nor leave less than the minimum wage (工资支付暂行规定 第16条).",
                amount=int(row.net_before_floor_fen))
        if hit["below_min_wage"][i] and min_fen is not None:
            how = ("a full month with only paid leave" if row.paid_leave_days > 0
                   else "a full month without absence or unpaid leave")
            add("below_min_wage", UNLAWFUL,
                f"{label}: net pay {_yuan(net)} 元 is below the minimum wage {_yuan(min_fen)} after {how} "
                f"(base {_yuan(base)}, fines {_yuan(fines_fen)}); short by {_yuan(min_fen - net)}",
                "For normal working hours worked (or paid leave) the wage, excluding overtime pay, special "
                "allowances and statutory benefits, may not be below the local minimum wage "
                "(最低工资规定 第12条); deductions may not push it below (工资支付暂行规定 第16条).",
                amount=min_fen - net)
        ot_h = f"{int(row.overtime_minutes) / 60:g}" if hasattr(row, "overtime_minutes") else "0"
        if hit["overtime_limit"][i]:
            add("overtime_limit", UNLAWFUL,
                f"{label}: {ot_h} hours of approved overtime, above the {_overtime_limit(rules)}-hour monthly limit",
                "Overtime may not exceed 1 hour a day as a rule, 3 hours a day and 36 hours a month at most "
                "(劳动法 第41条), emergencies aside (第42条).")
        if hit["overtime_unpaid"][i]:
            add("overtime_unpaid", UNLAWFUL,
                f"{label}: {ot_h} hours of approved overtime and the rulebook pays none (pay.overtime_pay.paid = "
                "false)",
                "Overtime is paid at least 150% on workdays, 200% on rest days without time off in lieu and 300% "
                "on statutory holidays (劳动法 第44条).")
        if "net_above_base" in hit and hit["net_above_base"][i]:
            add("net_above_base", RISK,
                f"{label}: net pay {_yuan(net)} 元 is above the base salary {_yuan(base)} "
                f"(performance pay {_yuan(int(row.performance_pay_fen))}, bonuses {_yuan(int(row.bonus_fen))})",
                "Not unlawful by itself. Regular performance pay and bonuses are part of the wage: the labour "
                "contract must state the pay (劳动合同法 第17条), and a bonus withdrawn for conduct must follow "
                "rules adopted under 第4条.", amount=net - base)
    return out


def _silence_list(rules: Rulebook) -> list[str]:
    raw = rules.data.get("compliance", {}).get("silence", []) or []
    return [str(c).strip() for c in raw]


def audit_doc(rules: Rulebook, res: MonthResult | None) -> dict[str, Any]:
    """The audit: rulebook findings, plus the month's payslip findings when ``res`` is given."""
    found = rulebook_findings(rules)
    if res is not None:
        found += payslip_findings(rules, res)
    silence = _silence_list(rules)
    findings: list[dict[str, Any]] = []
    silenced: list[dict[str, Any]] = []
    for f in found:
        if f["code"] in silence:
            silenced.append({**f, "silenced": True})
        else:
            findings.append(f)
    skipped: list[dict[str, str]] = []
    if _min_wage(rules) is None:
        skipped.append({
            "code": "min_wage",
            "message": "minimum-wage checks skipped (probation floor, grades and payslips below the minimum "
                       "wage, sick-pay floor): no minimum wage is set",
            "how": 'add your city\'s monthly minimum wage to rules.toml: [compliance] min_wage = "2690.00"'})
    unknown = [c for c in silence if c not in CODES]
    for c in unknown:
        skipped.append({"code": "silence", "message": f"compliance.silence names an unknown code '{c}'",
                        "how": f"use one of: {', '.join(CODES)}"})
    month = res.month.label if res is not None else None
    n_unlawful = sum(f["severity"] == UNLAWFUL for f in findings)
    title = (f"Lawfulness audit · {'rulebook' if month is None else month} · {len(findings)} finding(s) "
             f"({n_unlawful} unlawful, {len(findings) - n_unlawful} risk)"
             + (f" · {len(silenced)} silenced" if silenced else "")
             + " · advice only, pay unchanged")
    return {"title": title, "month": month, "findings": findings, "silenced": silenced, "skipped": skipped}




def audit_rows(doc: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Header and rows for table/CSV: findings, then silenced findings, then skipped checks."""
    rows: list[list[Any]] = []
    for f in [*doc["findings"], *doc["silenced"]]:
        rows.append([f["scope"], f["code"], f["severity"], f["employee_id"], f["name"], f["message"],
                     f["statute"], f["why"], f["alternative"], "yes" if f["silenced"] else ""])
    for s in doc["skipped"]:
        rows.append(["skipped", s["code"], "", "", "", s["message"], "", "", s["how"], ""])
    return AUDIT_HEADER, rows


def summary_line(doc: dict[str, Any]) -> str:
    """One line for the payroll command's stderr: the audit counts and how to see them."""
    f = doc["findings"]
    n_unlawful = sum(x["severity"] == UNLAWFUL for x in f)
    people = len({x["employee_id"] for x in f if x["scope"] == "payslip"})
    return _summary_text(n_unlawful, len(f) - n_unlawful, people, len(doc["silenced"]), doc["month"])


def _summary_text(unlawful: int, risk: int, people: int, silenced: int, month: str | None) -> str:
    from cs_rules.i18n import t

    cmd = f"cs-rules audit {month}" if month else "cs-rules audit"
    extra = t("audit.summary_silenced", n=silenced) if silenced else ""
    if unlawful + risk == 0:
        return t("audit.summary_none", extra=extra)
    return t("audit.summary", unlawful=unlawful, risk=risk, people=people, extra=extra, cmd=cmd)


def code_label(code: str) -> str:
    """An audit code as the reader's language names it (zh: a short Chinese name; en: the code)."""
    from cs_rules import i18n

    return code if i18n.current() == "en" else i18n.t(f"audit.code.{code}") if \
        f"audit.code.{code}" in i18n.catalogue() else code


def audit_text(doc: dict[str, Any], width: int = 100) -> str:
    """The audit as readable plain text (one block per finding), for a terminal.

    A ten-column table is unreadable at terminal width; the CLI can print this for
    ``--format table`` and after ``cs-rules rules``.
    """
    from cs_rules import i18n
    from cs_rules.i18n import t, tr

    def wrap(label: str, text: str) -> list[str]:  # by screen cells: 汉字 take two, even in English text
        return i18n.wrap_cells(text, width, f"  {label}", "    ", cjk_breaks=not en)

    out = [tr(doc["title"]), ""]
    en = i18n.current() == "en"

    def block(f: dict[str, Any]) -> None:
        who = f" {f['employee_id']} {f['name']}" if f["employee_id"] else ""
        severity = f["severity"].upper() if en else i18n.label("severity_" + f["severity"])
        tag = f"[{severity}{t('audit.silenced_tag') if f['silenced'] else ''}]"
        out.append(f"{tag} {code_label(f['code'])} ({f['scope'] if en else i18n.label('scope_' + f['scope'])})"
                   f"{who}")
        out.extend(wrap("", tr(f["message"])))
        out.extend(wrap(t("audit.statute").lstrip(), f["statute"]))
        out.extend(wrap(t("audit.why").lstrip(), tr(f["why"])))
        out.extend(wrap(t("audit.instead").lstrip(), tr(f["alternative"])))
        out.append("")

    for f in doc["findings"]:
        block(f)
    if doc["silenced"]:
        out.append(t("audit.silenced_heading", n=len(doc["silenced"])))
        out.append("")
        for f in doc["silenced"]:
            block(f)
    for sk in doc["skipped"]:
        out.extend(wrap(t("audit.skipped"), f"{tr(sk['message'])} — {tr(sk['how'])}"))
    if not doc["findings"] and not doc["silenced"]:
        out.append(t("audit.no_findings"))
    return "\n".join(out).rstrip() + "\n"
