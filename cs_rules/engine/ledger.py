"""Fines, rewards and score deductions as ledgers: one line per event, with its rule and source.

Each ledger is a DataFrame with ``employee_id, date, code, rule, source`` and an
``amount_fen`` (money, int64 fen) or ``points`` column.  Totals are sums of the
lines, so ``fines``, ``score`` and ``payroll`` agree to the fen and half point.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from cs_rules.engine.money import to_fen
from cs_rules.rulebook import Rulebook

if TYPE_CHECKING:
    import pandas as pd

LEDGER_COLUMNS = ["employee_id", "date", "order", "code", "amount_fen", "points", "rule", "source", "note"]

RULES = {
    "late_early": "篇1 §五.8",
    "missing_punch": "篇1 §五.3",
    "personal_leave": "篇1 §五.4",
    "desk_untidy": "篇1 §五.1",
    "private_call": "篇1 §五.2",
    "registration_error": "篇1 §五.3",
    "chatting": "篇1 §五.5",
    "report_misconduct": "篇1 §四.2",
    "late": "篇10 §五",
    "late_over_30": "篇10 §五 (缺勤)",
    "early_leave": "篇10 §五",
    "absence": "篇10 §五; 篇1 §五.6",
    "leave_allowance": "篇10 §五.1–2",
    "offline": "篇10 §五",
    "complaint_unanswered": "篇10 §五",
    "complaint_attitude": "篇10 §五",
    "unfinished_work": "篇10 §五",
}


def _src(file: pd.Series, row: pd.Series) -> pd.Series:
    import pandas as pd

    r = pd.to_numeric(row, errors="coerce").astype("Int64").astype("string")
    out = file.astype("string") + ":" + r
    return out.fillna("")


def _frame(parts: list[pd.DataFrame]) -> pd.DataFrame:
    import pandas as pd

    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in LEDGER_COLUMNS})
    out = pd.concat(parts, ignore_index=True)
    for c in LEDGER_COLUMNS:
        if c not in out.columns:
            out[c] = 0 if c in ("amount_fen", "points", "order") else ""
    out["amount_fen"] = out["amount_fen"].fillna(0).astype("int64")
    out["points"] = out["points"].fillna(0.0).astype(float)
    return out.sort_values(["employee_id", "date", "order"], kind="stable")[LEDGER_COLUMNS].reset_index(drop=True)


def _ladder(n: pd.Series, amounts: list[int]) -> pd.Series:
    """Amount of the n-th (0-based) occurrence: the ladder's step, its last step beyond."""
    import numpy as np

    idx = np.minimum(np.asarray(n, dtype="int64"), len(amounts) - 1)
    return np.asarray(amounts, dtype="int64")[idx]


def month_violations(violations: pd.DataFrame, emp: pd.DataFrame, first: pd.Timestamp,
                     last: pd.Timestamp) -> pd.DataFrame:
    """Log entries inside the month and inside each person's employment window."""
    v = violations.dropna(subset=["employee_id", "date", "code"])
    v = v[(v["date"] >= first) & (v["date"] <= last)]
    w = emp[["employee_id", "win_start", "win_end"]]
    v = v.merge(w, on="employee_id", how="inner")
    v = v[(v["date"] >= v["win_start"]) & (v["date"] <= v["win_end"])]
    return v.sort_values(["employee_id", "date", "_row"], kind="stable").reset_index(drop=True)


def fines_ledger(g: pd.DataFrame, v: pd.DataFrame, rules: Rulebook) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(fines, rewards) for the month.  The late/early counter is shared and restarts monthly."""
    import numpy as np
    import pandas as pd

    parts = []
    ladder = [to_fen(a) for a in rules.money_list("fines.late_early")]
    late = g[g["late"]]
    late = late.assign(order=0, note=late["late_minutes"].astype("string") + " min late")
    early = g[g["early"]]
    early = early.assign(order=1, note=early["early_minutes"].astype("string") + " min early")
    ev = pd.concat([late, early]).sort_values(["employee_id", "date", "order"], kind="stable")
    ev = ev.reset_index(drop=True)
    if len(ev):
        n = ev.groupby("employee_id", sort=False).cumcount()
        parts.append(pd.DataFrame({
            "employee_id": ev["employee_id"], "date": ev["date"], "order": ev["order"],
            "code": "late_early", "amount_fen": _ladder(n, ladder), "rule": RULES["late_early"],
            "source": _src(ev["punch_file"], ev["punch_row"]),
            "note": (n + 1).astype("string") + ". " + ev["note"]}))
    mp = g[g["missing_punch"]]
    if len(mp):
        which = np.where(mp["sign_in"].isna(), "no sign-in", "no sign-out")
        parts.append(pd.DataFrame({
            "employee_id": mp["employee_id"], "date": mp["date"], "order": 2, "code": "missing_punch",
            "amount_fen": to_fen(rules.money("fines.missing_punch")), "rule": RULES["missing_punch"],
            "source": _src(mp["punch_file"], mp["punch_row"]), "note": which}))
    pl = g[(g["leave_type"] == "personal") & (g["leave_days"] > 0)]
    if len(pl):
        per_day = to_fen(rules.money("fines.personal_leave"))
        halves = (pl["leave_days"] * 2).round().astype("int64")
        note = np.where(pl["sick_converted"], "sick leave without certificate, as personal",
                        np.where(halves == 1, "half day", ""))
        parts.append(pd.DataFrame({
            "employee_id": pl["employee_id"], "date": pl["date"], "order": 3, "code": "personal_leave",
            "amount_fen": (per_day * halves + 1) // 2, "rule": RULES["personal_leave"],
            "source": _src(pl["leave_file"], pl["leave_row"]), "note": note}))
    rewards = []
    if len(v):
        fixed = {c: to_fen(rules.money(f"fines.{c}")) for c in ("desk_untidy", "registration_error", "chatting")}
        fx = v[v["code"].isin(list(fixed))]
        if len(fx):
            parts.append(pd.DataFrame({
                "employee_id": fx["employee_id"], "date": fx["date"], "order": 4, "code": fx["code"],
                "amount_fen": fx["code"].map(fixed).astype("int64"), "rule": fx["code"].map(RULES),
                "source": _src(fx["_file"], fx["_row"]), "note": fx["note"].fillna("")}))
        pc = v[v["code"] == "private_call"]
        if len(pc):
            steps = [to_fen(a) for a in rules.money_list("fines.private_call")]
            n = pc.groupby("employee_id", sort=False).cumcount()
            amount = np.where(n.to_numpy() < len(steps), _ladder(n, steps), 0)
            note = np.where(n.to_numpy() < len(steps), (n + 1).astype("string") + ". private call",
                            (n + 1).astype("string") + ". private call: dismissal (no fine)")
            parts.append(pd.DataFrame({
                "employee_id": pc["employee_id"], "date": pc["date"], "order": 4, "code": "private_call",
                "amount_fen": amount, "rule": RULES["private_call"],
                "source": _src(pc["_file"], pc["_row"]), "note": note}))
        rm = v[v["code"] == "report_misconduct"]
        if len(rm):
            rewards.append(pd.DataFrame({
                "employee_id": rm["employee_id"], "date": rm["date"], "order": 5, "code": "report_misconduct",
                "amount_fen": to_fen(rules.money("rewards.report_misconduct")),
                "rule": RULES["report_misconduct"], "source": _src(rm["_file"], rm["_row"]),
                "note": rm["note"].fillna("")}))
    return _frame(parts), _frame(rewards)


def _marginal(v: pd.DataFrame, code: str, f: Callable[[int], float]) -> pd.DataFrame:
    """Points for count-based rules, one line per entry: f(k) − f(k−1) for the k-th entry."""
    import numpy as np
    import pandas as pd

    sub = v[v["code"] == code]
    if not len(sub):
        return sub.iloc[0:0]
    k = sub.groupby("employee_id", sort=False).cumcount().to_numpy() + 1
    fk = np.array([f(int(x)) for x in k])  # k is small: a handful of entries per person
    fk1 = np.array([f(int(x) - 1) for x in k])
    return pd.DataFrame({
        "employee_id": sub["employee_id"], "date": sub["date"], "order": 6, "code": code,
        "points": (fk - fk1).astype(float), "rule": RULES[code], "source": _src(sub["_file"], sub["_row"]),
        "note": pd.Series(k, index=sub.index).astype("string") + ". " + code.replace("_", " ")})


def score_ledger(g: pd.DataFrame, v: pd.DataFrame, rules: Rulebook) -> pd.DataFrame:
    """Every point deducted from the 10-point score this month (篇10 §五)."""
    import numpy as np
    import pandas as pd

    sc = rules.get("score")
    major = float(rules.get("attendance.late_major_minutes"))
    parts = []
    late = g[g["late"]]
    if len(late):
        big = late["late_minutes"] > major
        parts.append(pd.DataFrame({
            "employee_id": late["employee_id"], "date": late["date"], "order": 0,
            "code": np.where(big, "late_over_30", "late"),
            "points": np.where(big, float(sc["late_major"]), float(sc["late_minor"])),
            "rule": np.where(big, RULES["late_over_30"], RULES["late"]),
            "source": _src(late["punch_file"], late["punch_row"]),
            "note": late["late_minutes"].astype("string") + " min late"}))
    early = g[g["early"]]
    if len(early):
        parts.append(pd.DataFrame({
            "employee_id": early["employee_id"], "date": early["date"], "order": 1, "code": "early_leave",
            "points": float(sc["early_leave"]), "rule": RULES["early_leave"],
            "source": _src(early["punch_file"], early["punch_row"]),
            "note": early["early_minutes"].astype("string") + " min early"}))
    ab = g[g["absent"] > 0]
    if len(ab):
        opf, lvf, pf = (ab[c].astype(object) for c in ("off_post_file", "leave_file", "punch_file"))
        file = opf.where(opf.notna(), lvf.where(lvf.notna(), pf))
        row = ab["off_post_row"].where(ab["off_post_row"].notna(),
                                       ab["leave_row"].where(ab["leave_row"].notna(), ab["punch_row"]))
        why = np.where(ab["off_post_row"].notna(), "off post (half day absent)",
                       np.where(ab["leave_row"].notna(), "leave not approved / half day without punches",
                                np.where(ab["punch_row"].notna(), "no sign-in and no sign-out",
                                         "no sign-in row for a workday")))
        parts.append(pd.DataFrame({
            "employee_id": ab["employee_id"], "date": ab["date"], "order": 2, "code": "absence",
            "points": float(sc["absence"]), "rule": RULES["absence"], "source": _src(file, row),
            "note": ab["absent"].astype("string") + " day absent: " + pd.Series(why, index=ab.index)}))
    # leave allowance: personal + sick leave days + missing-punch days beyond the allowance
    used = g.assign(u=np.where(g["leave_type"].isin(["personal", "sick"]), g["leave_days"], 0.0)
                    + g["missing_punch"].astype(float))
    per = used.groupby("employee_id", sort=False).agg(u=("u", "sum"), date=("date", "max"))
    excess = (per["u"] - float(sc["allowance_days"])).clip(lower=0)
    per = per[excess > 0]
    if len(per):
        ex = excess[excess > 0]
        parts.append(pd.DataFrame({
            "employee_id": per.index, "date": per["date"].to_numpy(), "order": 3, "code": "leave_allowance",
            "points": (ex * float(sc["allowance_excess_per_day"])).to_numpy(), "rule": RULES["leave_allowance"],
            "source": "", "note": [f"{u:g} leave/missing-punch days, {x:g} over the allowance"
                                   for u, x in zip(per["u"], ex)]}))
    if len(v):
        every, off_pts = int(sc["offline_every"]), float(sc["offline_points"])
        parts.append(_marginal(v, "offline", lambda k: off_pts * (k // every)))
        cu = [(int(n), float(p)) for n, p in sc["complaint_unanswered"]]
        parts.append(_marginal(v, "complaint_unanswered",
                               lambda k: next((p for n, p in cu if k >= n), 0.0)))
        ca = [(int(n), float(p)) for n, p in sc["complaint_attitude"]]
        parts.append(_marginal(v, "complaint_attitude",
                               lambda k: max([float(k)] + [p for n, p in ca if k >= n])))
        uw = v[v["code"] == "unfinished_work"]
        if len(uw):
            parts.append(pd.DataFrame({
                "employee_id": uw["employee_id"], "date": uw["date"], "order": 6, "code": "unfinished_work",
                "points": uw["points"].fillna(0).astype(float), "rule": RULES["unfinished_work"],
                "source": _src(uw["_file"], uw["_row"]), "note": uw["note"].fillna("")}))
    out = _frame(parts)
    return out[out["points"] != 0].reset_index(drop=True)
