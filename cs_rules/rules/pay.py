"""Pay (RULEBOOK §5, 篇4, 篇5): each payslip line a rule, in fen per employee, signed.

Net pay is the sum of the lines; the floor at 0 and the forfeiture the rulebook may
apply come last, after the flags.  Each line also says, for one employee at a time,
how it was reached (``note``) and where from (``source``), which ``explain`` and the
payslips print instead of recomputing anything.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cs_rules.arrays import gather, positions
from cs_rules.model.money import from_fen, prorate_fen, to_fen
from cs_rules.rules import rule
from cs_rules.rules.base import PayLine

if TYPE_CHECKING:
    import numpy as np

    from cs_rules.rulebook import Entry, Rulebook
    from cs_rules.rules.base import PayInputs


def _m(fen: Any) -> str:
    return f"{from_fen(int(fen)):.2f}"


def _std(book: Rulebook) -> Decimal:
    return Decimal(str(book.get("pay.standard_days")))


def _halves(days: Any) -> np.ndarray:
    import numpy as np

    return np.round(np.asarray(days, dtype=float) * 2).astype("int64")  # type: ignore[no-any-return]


def _slice(p: PayInputs, i: int) -> Any:
    """Employee ``i``'s grid rows (the grid runs by employee, then date)."""
    import numpy as np

    ei = p.grid["emp_idx"].to_numpy()
    return p.grid.iloc[np.searchsorted(ei, i, "left"):np.searchsorted(ei, i, "right")]


def _day_list(sub: Any, mask: Any, suffix: Any = None, limit: int = 8) -> str:
    """The dates of the rows of ``sub`` where ``mask`` holds, for a note."""
    import numpy as np

    texts = [sub["date"].iloc[r].strftime("%Y-%m-%d") + (suffix(sub, r) if suffix else "")
             for r in np.flatnonzero(np.asarray(mask))]
    if len(texts) <= limit:
        return ", ".join(texts)
    return ", ".join(texts[:limit]) + f", … ({len(texts)} days)"


def _sources(sub: Any, mask: Any, pairs: tuple[tuple[str, str], ...]) -> str:
    """"file:row" of the rows of ``sub`` where ``mask`` holds: per row, the first source pair that has one."""
    import numpy as np

    out: list[str] = []
    for r in np.flatnonzero(np.asarray(mask)):
        for f_col, r_col in pairs:
            if f_col not in sub:
                continue
            f, row = sub[f_col].iloc[r], sub[r_col].iloc[r]
            if isinstance(f, str) and f and row == row:
                out.append(f"{f}:{int(row)}")
                break
    return "; ".join(dict.fromkeys(out))


ABSENCE_SOURCES = (("off_post_file", "off_post_row"), ("leave_file", "leave_row"), ("punch_file", "punch_row"))


@rule("pay")
def base_pay(p: PayInputs, e: Entry, book: Rulebook) -> PayLine:
    """The base salary for a full month; employed part of the month, or with long unpaid leave, the base
    prorated by paid days on 21.75, at most the base (篇4 §三.2; 篇5 §六)."""
    import numpy as np

    c, emp = p.cols, p.employees
    base, std = c["base_fen"], _std(book)
    unpaid_halves = _halves(c["unpaid_leave_days"])
    partial = ~emp["full_month"].to_numpy(dtype=bool) | \
        (unpaid_halves >= 2 * int(book.get("pay.partial_unpaid_leave_days")))
    # national holiday-block days the schedule would have worked count as paid (篇4 §三.2; engine's count)
    hb = c["holiday_days"]
    paid_halves = _halves(c["attended_days"] + c["paid_leave_days"]) + 2 * hb
    prorated = prorate_fen(base, paid_halves, std)
    c["partial"] = partial
    c["proration_capped"] = partial & (prorated > base)
    amount = np.where(partial, np.minimum(prorated, base), base)

    def note(i: int, lang: str) -> str:
        daily = f"{c['daily_rate'][i]:.2f}"
        if not partial[i]:
            return f"daily rate {daily} = base / {std}"
        paid = float(c["attended_days"][i]) + float(c["paid_leave_days"][i]) + int(hb[i])
        w0, w1 = emp["win_start"].iloc[i], emp["win_end"].iloc[i]
        return (f"base {_m(base[i])} × {paid:g} paid days / {std} (attended {float(c['attended_days'][i]):g} + "
                f"paid leave {float(c['paid_leave_days'][i]):g} + holiday {int(hb[i])}); employed "
                f"{w0:%Y-%m-%d}..{w1:%Y-%m-%d}" + ("; capped at the base" if c["proration_capped"][i] else ""))

    def source(i: int) -> str:
        own = emp["base_salary"].iloc[i]
        if isinstance(own, str) and own.strip():
            return f"{emp['_file'].iloc[i]}:{int(emp['_row'].iloc[i])}"
        return ""

    return PayLine(e.code, np.asarray(amount, dtype="int64"), note, source, shown=lambda i: True)


@rule("pay")
def unpaid_leave(p: PayInputs, e: Entry, book: Rulebook) -> PayLine:
    """A full month loses the daily rate for each unpaid leave day (篇1 §五.4: 事假无当天底薪)."""
    import numpy as np

    c = p.cols
    days = _halves(c["unpaid_leave_days"])
    fen = np.where(c["partial"], 0, np.minimum(prorate_fen(c["base_fen"], days, _std(book)), c["base_fen"]))
    c["unpaid_leave_fen"] = fen

    def unpaid(sub: Any) -> Any:
        return sub["leave_type"].isin(book.unpaid_leave).to_numpy() & (sub["leave_days"].to_numpy() > 0)

    def note(i: int, lang: str) -> str:
        sub = _slice(p, i)

        def what(s: Any, r: int) -> str:
            return f"{'½' if s['leave_days'].iloc[r] < 1 else ''} {s['leave_type'].iloc[r]}"

        return f"{days[i] / 2:g} day(s) × {c['daily_rate'][i]:.2f}: " + _day_list(sub, unpaid(sub), what)

    def source(i: int) -> str:
        sub = _slice(p, i)
        return _sources(sub, unpaid(sub), (("leave_file", "leave_row"),))

    return PayLine(e.code, -fen, note, source)


@rule("pay")
def absence_deduction(p: PayInputs, e: Entry, book: Rulebook) -> PayLine:
    """A full month loses the daily rate for each day absent: the time not worked (篇1 §五.6, first day
    of the double deduction); base pay never goes below 0."""
    import numpy as np

    c = p.cols
    base = c["base_fen"]
    halves = _halves(c["absent_days"])
    fen = np.where(c["partial"], 0, np.minimum(prorate_fen(base, halves, _std(book)), base - c["unpaid_leave_fen"]))

    return PayLine(e.code, -np.asarray(fen, dtype="int64"), _absence_note(p, halves), _absence_source(p))


def _absence_note(p: PayInputs, halves: Any) -> Any:
    def note(i: int, lang: str) -> str:
        sub = _slice(p, i)
        return f"{halves[i] / 2:g} day(s) × {p.cols['daily_rate'][i]:.2f}: " + \
            _day_list(sub, sub["absent"].to_numpy() > 0)
    return note


def _absence_source(p: PayInputs) -> Any:
    def source(i: int) -> str:
        sub = _slice(p, i)
        return _sources(sub, sub["absent"].to_numpy() > 0, ABSENCE_SOURCES)
    return source


@rule("pay")
def absence_penalty(p: PayInputs, e: Entry, book: Rulebook) -> PayLine:
    """A second daily rate for each day absent: the penalty half of the seed's double deduction (篇1 §五.6)."""
    c = p.cols
    halves = _halves(c["absent_days"])
    fen = prorate_fen(c["base_fen"], halves, _std(book))

    return PayLine(e.code, -fen, _absence_note(p, halves), _absence_source(p))


@rule("pay")
def performance_pay(p: PayInputs, e: Entry, book: Rulebook) -> PayLine:
    """The month's performance score plus each award's points, paid by tier (篇4 §四; 篇2 §五, §六.3);
    no score on file pays 0."""
    import numpy as np

    c = p.cols
    points = c["performance_score"] + c["award_points"]
    c["performance_points"] = points
    tiers = sorted(((int(t), to_fen(Decimal(str(a)))) for t, a in e.params["tiers"]), reverse=True)
    fen = np.select([points >= t for t, _ in tiers], [a for _, a in tiers], default=0) if tiers else \
        np.zeros(p.n, dtype="int64")
    fen = np.where(~np.isnan(points), fen, 0).astype("int64")

    def note(i: int, lang: str) -> str:
        ps = c["performance_score"][i]
        if ps != ps:
            return "no performance score on file"
        pts = float(points[i])
        tier = next((f"≥ {t:g} → {_m(a)}" for t, a in tiers if pts >= t), "below every tier → 0")
        return f"score {float(ps):g} + award points {float(c['award_points'][i]):g} = {pts:g} points, tier {tier}"

    return PayLine(e.code, fen, note, lambda i: str(c["performance_source"][i]), shown=lambda i: True)


@rule("pay")
def award_bonus(p: PayInputs, e: Entry, book: Rulebook) -> PayLine:
    """The cash of each award won this month (篇2 §五.1A: 100 元)."""
    c = p.cols
    return PayLine(e.code, c["award_bonus_fen"], lambda i, lang: f"{int(c['awards'][i])} award(s)")


@rule("pay")
def rewards(p: PayInputs, e: Entry, book: Rulebook) -> PayLine:
    """The month's rewards ledger (篇1 §四.2), one total per employee."""
    return PayLine(e.code, p.cols["reward_fen"])


@rule("pay")
def full_attendance(p: PayInputs, e: Entry, book: Rulebook) -> PayLine:
    """A bonus for a full month without unpaid leave, absence, late, early or missing punch, or fine
    (paid leave does not break it)."""
    import numpy as np

    c = p.cols
    bad = {"unpaid leave": c["unpaid_leave_days"] > 0, "absence": c["absent_days"] > 0,
           "late": c["late_count"] > 0, "early leave": c["early_leave_count"] > 0,
           "missing punch": c["missing_punch_count"] > 0, "fines": c["fines_fen"] > 0}
    clean = ~np.logical_or.reduce(list(bad.values()))
    earned = ~c["partial"] & clean
    c["full_attendance"] = earned
    amount = to_fen(e.money("amount"))

    def days(sub: Any, mask: Any) -> str:
        import numpy as np

        return ", ".join(sub["date"].iloc[r].strftime("%m-%d") for r in np.flatnonzero(np.asarray(mask)))

    def why_not(i: int) -> list[str]:
        """Each reason the bonus was not earned, with its days (``early leave 05-06``) or amount."""
        sub = _slice(p, i)
        day_masks = {
            "unpaid leave": sub["leave_type"].isin(book.unpaid_leave).to_numpy() & (sub["leave_days"].to_numpy() > 0),
            "absence": sub["absent"].to_numpy() > 0, "late": sub["late"].to_numpy(dtype=bool),
            "early leave": sub["early"].to_numpy(dtype=bool),
            "missing punch": sub["missing_punch"].to_numpy(dtype=bool)}
        why = ["partial month"] if c["partial"][i] else []
        for k, v in bad.items():
            if not v[i]:
                continue
            if k == "fines":
                why.append(f"fines {_m(c['fines_fen'][i])}")
            else:
                shown = days(sub, day_masks[k])
                why.append(f"{k} {shown}" if shown else k)
        return why

    def note(i: int, lang: str) -> str:
        if earned[i]:
            return "full month, no leave, absence, late, early, missing punch or fine"
        return f"not earned ({_m(amount)} due otherwise): " + "; ".join(why_not(i))

    return PayLine(e.code, np.where(earned, amount, 0).astype("int64"), note, shown=lambda i: True)


OVERTIME_CLASSES = ("workday", "rest_day", "holiday")  # 150 %, 200 %, 300 % (劳动法 第44条)


def minutes_text(minutes: Any) -> str:
    """Minutes as hours: 120 → "2", 90 → "1.5"."""
    m = int(minutes)
    return f"{m // 60}" if m % 60 == 0 else f"{m / 60:.2f}".rstrip("0").rstrip(".")


@rule("pay")
def overtime_pay(p: PayInputs, e: Entry, book: Rulebook) -> PayLine:
    """Approved overtime at the statutory rates on the hourly rate, daily rate / 8 (劳动法 第44条:
    150 % on workdays, 200 % on rest days, 300 % on statutory holidays; 劳动法 第44条)."""
    import numpy as np

    CLASSES = OVERTIME_CLASSES
    ot = p.overtime
    minutes = p.cols["overtime_minutes"]
    paid = bool(e.params.get("paid", True))
    rates = {c: int(e.params.get(c, d)) for c, d in zip(CLASSES, (150, 200, 300), strict=True)}

    by_class = [ot.per_employee("minutes", k) if ot is not None else np.zeros(p.n, dtype="int64")
                for k in range(len(CLASSES))]  # once: a note is asked for per payslip

    def note(i: int, lang: str) -> str:
        parts = []
        for k, c in enumerate(CLASSES):
            m = int(by_class[k][i])
            if m:
                parts.append(f"{c.replace('_', ' ')} {minutes_text(m)} h × {rates[c]}%")
        text = f"{minutes_text(minutes[i])} h approved: " + ", ".join(parts) + \
            f"; hourly rate = daily rate / {int(e.params.get('hours_per_day', 8))}"
        return text if paid else text + " — not paid: the rulebook sets paid = false"

    def source(i: int) -> str:
        if ot is None:
            return ""
        rows = [s for s, who, ok in zip(ot.source, ot.emp, ot.approved, strict=True) if who == i and ok]
        return rows[0] + (f" (+{len(rows) - 1})" if len(rows) > 1 else "") if rows else ""

    return PayLine(e.code, np.asarray(p.cols["overtime_fen"], dtype="int64"), note, source,
                   shown=lambda i: bool(minutes[i] > 0))


@rule("pay")
def fines_total(p: PayInputs, e: Entry, book: Rulebook) -> PayLine:
    """The month's fines ledger (篇1 §五), one total per employee; its lines are itemised in explain."""
    return PayLine(e.code, -p.cols["fines_fen"])


@rule("pay", after_flags=True)
def net_floor(p: PayInputs, e: Entry, book: Rulebook) -> PayLine:
    """Deductions beyond the pay stop at 0 (RULEBOOK §5; flag net_clamped)."""
    import numpy as np

    before = p.cols["net_before_floor_fen"]
    return PayLine(e.code, np.maximum(-before, 0).astype("int64"))


@rule("pay", after_flags=True)
def forfeiture_applied(p: PayInputs, e: Entry, book: Rulebook) -> PayLine:
    """"No wage for the month" — only when the rulebook says ``forfeiture = "apply"`` (篇1 §五.2/6/7);
    withholding earned wages is unlawful, so by default it is a flag only."""
    import numpy as np

    net = sum(line.amount_fen for line in p.lines.values())
    flag = next((x for x in book.entries("flag") if x.handler == "forfeiture"), None)
    apply = flag is not None and flag.params.get("mode") == "apply"
    hit = p.flags.get(flag.code) if flag is not None else None
    fen = np.where(hit, -net, 0) if apply and hit is not None else np.zeros(p.n, dtype="int64")
    return PayLine(e.code, np.asarray(fen, dtype="int64"))


def award_columns(p_awards: Any, month_label: str, ids: Any, book: Rulebook) -> dict[str, Any]:
    """Per employee: awards won (counting for the bonus), nominations, performance points and cash
    from the month's awards (篇2 §五, §六.3)."""
    import numpy as np

    n = len(ids)
    aw = p_awards.dropna(subset=["employee_id", "award"])
    aw = aw[aw["month"] == month_label]
    who = positions(aw["employee_id"], ids)
    code = aw["award"].to_numpy(dtype=object)
    entries = {x.code: x for x in book.entries("award")}
    pts = np.array([entries[c].num("points") if c in entries else 0.0 for c in code], dtype=float)
    cash = np.array([to_fen(entries[c].money("bonus")) if c in entries else 0 for c in code], dtype="int64")
    ok = who >= 0
    counted = np.array([bool(entries[c].params.get("quota", True)) if c in entries else False for c in code],
                       dtype=bool)
    return {
        "awards": np.bincount(who[ok & counted], minlength=n).astype("int64"),
        "nominations": np.bincount(who[ok & ~counted], minlength=n).astype("int64"),
        "award_points": np.bincount(who[ok], weights=pts[ok], minlength=n),
        "award_bonus_fen": np.bincount(who[ok], weights=cash[ok], minlength=n).astype("int64"),
    }


def performance_columns(perf: Any, month_label: str, ids: Any) -> tuple[Any, Any]:
    """(score, "file:row") of each employee's performance row for the month; NaN / "" where none."""
    import numpy as np

    rows = np.flatnonzero((perf["employee_id"].notna() & perf["score"].notna() &
                           (perf["month"] == month_label).fillna(False)).to_numpy(dtype=bool))
    who = positions(perf["employee_id"].iloc[rows], ids)
    first = np.full(len(ids), -1, dtype="int64")
    mine = np.flatnonzero(who >= 0)[::-1]
    first[who[mine]] = rows[mine]  # written last to first: the first row wins
    score = gather(perf["score"].to_numpy(dtype=float), first, np.nan)
    return score, first
