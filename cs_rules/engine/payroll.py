"""One month's payroll: attendance, fines, score and pay for everyone employed in it.

``compute_month`` is the single entry point the commands call; ``payroll``,
``fines``, ``score`` and ``explain`` all read the same :class:`MonthResult`, so
they agree to the fen and the half point by construction.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cs_rules.engine.attendance import Month, day_grid, employment
from cs_rules.engine.build import build_calendar
from cs_rules.engine.calendar import DeptCalendar
from cs_rules.engine.ledger import fines_ledger, month_violations, score_ledger
from cs_rules.engine.money import from_fen, prorate_fen, to_fen
from cs_rules.problems import UsageError
from cs_rules.rulebook import FLAG_NAMES, Rulebook

if TYPE_CHECKING:
    import pandas as pd

    from cs_rules.loading.folder import Dataset

FLAG_RULES = {
    "auto_resignation": "篇1 §五.6",
    "dismissal": "篇1 §五.2",
    "notice_short": "篇1 §五.7",
    "forfeiture": "篇1 §五.2/6/7; 劳动法 第50条",
    "proration_capped": "篇4 §三.2",
    "net_clamped": "RULEBOOK §5",
    "no_performance_score": "篇4 §四",
    "sick_without_certificate": "篇1 §五.4",
}


def parse_month(text: str) -> tuple[int, int]:
    """``YYYY-MM`` → (year, month), or a usage error that shows the form."""
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise UsageError(f"'{text}' is not a month", "write MONTH as YYYY-MM, e.g. 2024-05")
    return int(m.group(1)), int(m.group(2))


def make_month(cal: DeptCalendar, year: int, month: int) -> Month:
    return Month(year, month, cal.month_days(year, month))


@dataclass
class MonthResult:
    """Everything computed for one month; money columns are int64 fen."""

    month: Month
    pay_date: dt.date
    rules: Rulebook
    employees: pd.DataFrame  # one row per employee employed in the month, roster order
    grid: pd.DataFrame       # one row per employee-workday
    fines: pd.DataFrame      # ledger
    rewards: pd.DataFrame    # ledger
    score_items: pd.DataFrame  # ledger

    @property
    def workdays(self) -> int:
        return len(self.month.workdays)

    def find_employee(self, key: str) -> pd.Series:
        """An employee of this month by id or exact name."""
        e = self.employees
        hit = e[(e["employee_id"] == key) | (e["name"] == key)]
        if len(hit) == 0:
            raise UsageError(f"'{key}' was not employed in {self.month.label}",
                             "check the id or name, or choose another month")
        return hit.iloc[0]

    def employee_json(self, row: pd.Series) -> dict[str, Any]:
        """One employee's DATA.md payroll record (row of ``employees``)."""
        sub = self.employees.loc[[row.name]] if row.name in self.employees.index else row.to_frame().T
        return self._records(sub)[0]

    def _records(self, e: pd.DataFrame) -> list[dict[str, Any]]:
        """DATA.md payroll records for many employees at once (vectorised formatting)."""
        recs: list[dict[str, Any]] = self.frame(e).to_dict("records")
        for r in recs:
            r["flags"] = list(r["flags"])
        return recs

    def frame(self, e: pd.DataFrame | None = None, *, arrow: bool = False) -> pd.DataFrame:
        """The DATA.md payroll fields as columns: money as exact text, days as numbers.

        Text columns hold Python str objects by default, which ``to_dict`` (JSON) reads
        fastest; ``arrow=True`` keeps them Arrow-backed for the CSV writer, which then
        never builds 40,000 × 12 Python strings. The cell values are the same either way.
        """
        import pandas as pd

        if e is None:
            e = self.employees

        def text(col: Any) -> Any:
            return col if arrow else col.astype(object)

        def money(c: str) -> Any:
            a = fen_text(e[c], as_array=True)
            return a if arrow else pd.Series(a.to_numpy(dtype=object), index=e.index, dtype=object)

        return pd.DataFrame({
            "employee_id": text(e["employee_id"]), "name": text(e["name"]), "grade": text(e["grade"]),
            "base_salary": money("base_fen"), "daily_rate": money("daily_rate_fen"),
            "workdays": e["workdays"].astype("int64"), "attended_days": e["attended_days"].astype(float),
            "late_count": e["late_count"].astype("int64"), "early_leave_count": e["early_leave_count"].astype("int64"),
            "missing_punch_count": e["missing_punch_count"].astype("int64"),
            "absent_days": e["absent_days"].astype(float),
            "personal_leave_days": e["personal_leave_days"].astype(float),
            "sick_leave_days": e["sick_leave_days"].astype(float),
            "paid_leave_days": e["paid_leave_days"].astype(float),
            "base_pay": money("base_pay_fen"), "absence_penalty": money("absence_penalty_fen"),
            "performance_pay": money("performance_pay_fen"), "bonus_total": money("bonus_fen"),
            "fines_total": money("fines_fen"), "score": e["score"].astype(float),
            "score_level": text(e["score_level"]), "net_pay": money("net_pay_fen"),
            "flags": e["flags"],
        }, index=e.index)

    def payroll_json(self) -> dict[str, Any]:
        emps = self._records(self.employees)
        return {
            "month": self.month.label, "pay_date": self.pay_date.isoformat(), "workdays": self.workdays,
            "employees": emps,
            "totals": {"employees": len(emps), "net_pay": _m(int(self.employees["net_pay_fen"].sum())),
                       "fines_total": _m(int(self.employees["fines_fen"].sum()))},
        }


def fen_text(col: Any, *, as_array: bool = False) -> Any:
    """int fen → "1234.50" for a whole column, exactly (no float).

    A list of str by default. ``as_array=True`` gives a pandas ``str`` array (Arrow
    backed) instead, which a DataFrame and the CSV writer take as is — 40,000 rows
    times eight money columns is where the old per-cell round trip cost most.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    a = np.asarray(col, dtype="int64")
    q, r = np.divmod(np.abs(a), 100)
    cents = pa.array([f".{i:02d}" for i in range(100)], type=pa.large_string())
    none = pa.scalar("", pa.large_string())
    text = pc.binary_join_element_wise(pc.cast(pa.array(q), pa.large_string()), cents.take(pa.array(r)), none)
    neg = a < 0
    if neg.any():
        minus = pa.scalar("-", pa.large_string())
        text = pc.if_else(pa.array(neg), pc.binary_join_element_wise(minus, text, none), text)
    if as_array:
        return pd.arrays.ArrowStringArray(text, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
    out: list[str] = text.to_pylist()
    return out


def _m(fen: Any) -> str:
    return f"{from_fen(int(fen)):.2f}"


def compute_month(data: Dataset, rules: Rulebook, label: str, with_history: bool = True) -> MonthResult:
    """Attendance, fines, score and pay for every employee of the month ``label``."""
    import numpy as np
    import pandas as pd

    year, mon = parse_month(label)
    cal = build_calendar(data, rules)
    month = make_month(cal, year, mon)
    first, last = pd.Timestamp(month.first), pd.Timestamp(month.last)
    emp = employment(data.roster, month)
    g = day_grid(emp, data.signins, data.leave, data.violations, month, rules)
    v = month_violations(data.violations, emp, first, last)
    fines, rewards = fines_ledger(g, v, rules)
    score_items = score_ledger(g, v, rules)

    # per-employee counts
    agg = g.groupby("emp_idx").agg(
        workdays=("date", "size"), attended_days=("attended", "sum"), absent_days=("absent", "sum"),
        late_count=("late", "sum"), early_leave_count=("early", "sum"),
        missing_punch_count=("missing_punch", "sum"))
    lt = g["leave_type"]
    for col, mask in (("personal_leave_days", lt == "personal"), ("sick_leave_days", lt == "sick"),
                      ("paid_leave_days", lt.isin(list(rules.get("leave.paid"))))):
        agg[col] = g["leave_days"].where(mask, 0.0).groupby(g["emp_idx"]).sum()
    agg["sick_converted"] = g["sick_converted"].groupby(g["emp_idx"]).any()
    e = emp.join(agg, how="left")
    for c in ("workdays", "late_count", "early_leave_count", "missing_punch_count"):
        e[c] = e[c].fillna(0).astype("int64")
    for c in ("attended_days", "absent_days", "personal_leave_days", "sick_leave_days", "paid_leave_days"):
        e[c] = e[c].fillna(0.0).astype(float)
    e["sick_converted"] = e["sick_converted"].fillna(False).astype(bool)

    # base salary and daily rate
    grades = {k: to_fen(v) for k, v in rules.grades.items()}
    grade_fen = e["grade"].map(grades).fillna(0).astype("int64").to_numpy()
    own = np.array([to_fen(Decimal(t)) if isinstance(t, str) else -1 for t in e["base_salary"]], dtype="int64")
    e["base_fen"] = np.where(own >= 0, own, grade_fen)
    std = Decimal(str(rules.get("pay.standard_days")))
    e["daily_rate_fen"] = prorate_fen(e["base_fen"].to_numpy(), 2, std)  # the rate as shown, rounded
    e["daily_rate"] = [Decimal(int(b)) / 100 / std for b in e["base_fen"].tolist()]  # unrounded

    # 篇4 §三.2 partial month: hired or leaving inside it, or long unpaid leave
    unpaid_halves = ((e["personal_leave_days"] + e["sick_leave_days"]) * 2).round().astype("int64")
    absent_halves = (e["absent_days"] * 2).round().astype("int64")
    partial = ~e["full_month"] | (unpaid_halves >= 2 * int(rules.get("pay.partial_unpaid_leave_days")))
    blocks = [pd.Timestamp(d.date) for d in month.days if d.holiday_block and d.date.isoweekday() <= 6]
    if blocks:
        bl = pd.Series(blocks)
        hb = ((bl.to_numpy()[None, :] >= e["win_start"].to_numpy()[:, None]) &
              (bl.to_numpy()[None, :] <= e["win_end"].to_numpy()[:, None])).sum(axis=1)
    else:
        hb = np.zeros(len(e), dtype="int64")
    e["holiday_days"] = hb
    paid_halves = ((e["attended_days"] + e["paid_leave_days"]) * 2).round().astype("int64") + 2 * hb
    base = e["base_fen"].to_numpy()
    prorated = prorate_fen(base, paid_halves, std)
    full_pay = base - prorate_fen(base, unpaid_halves, std) - prorate_fen(base, absent_halves, std)
    capped = partial.to_numpy() & (prorated > base)
    e["base_pay_fen"] = np.where(partial, np.minimum(prorated, base), np.maximum(full_pay, 0))
    e["partial"] = partial
    e["absence_penalty_fen"] = prorate_fen(base, absent_halves, std)

    # ledgers → totals
    def tot(ledger: pd.DataFrame, col: str) -> pd.Series:
        return ledger.groupby("employee_id")[col].sum()

    e["fines_fen"] = e["employee_id"].map(tot(fines, "amount_fen")).fillna(0).astype("int64")
    reward_fen = e["employee_id"].map(tot(rewards, "amount_fen")).fillna(0).astype("int64")
    deducted = e["employee_id"].map(tot(score_items, "points")).fillna(0.0)
    e["score_deducted"] = deducted
    e["score"] = (rules.num("score.start") - deducted).clip(lower=0.0)

    # awards and performance pay (篇4 §四, 篇2 §五/§六.3)
    aw = data.awards.dropna(subset=["employee_id", "award"])
    aw = aw[aw["month"] == month.label]
    n_nom = e["employee_id"].map(aw[aw["award"] == "nomination"].groupby("employee_id").size()).fillna(0)
    n_aw = e["employee_id"].map(aw[aw["award"] != "nomination"].groupby("employee_id").size()).fillna(0)
    e["awards"] = n_aw.astype("int64")
    e["nominations"] = n_nom.astype("int64")
    perf = data.performance.dropna(subset=["employee_id", "score"])
    perf = perf[perf["month"] == month.label].drop_duplicates("employee_id")
    by_emp = perf.set_index("employee_id")
    e["performance_score"] = e["employee_id"].map(by_emp["score"])
    if len(by_emp):  # where the score came from, for explain
        src = by_emp["_file"].astype(object).astype(str) + ":" + by_emp["_row"].astype(object).astype(str)
        e["performance_source"] = e["employee_id"].map(src).astype(object).where(lambda x: x.notna(), "")
    else:
        e["performance_source"] = ""
    pp = rules.get("pay.performance")
    points = (e["performance_score"] + n_aw * rules.num("pay.performance.award_points")
              + n_nom * rules.num("pay.performance.nomination_points"))
    e["performance_points"] = points
    tiers = sorted(((int(t), to_fen(Decimal(str(a)))) for t, a in pp["tiers"]), reverse=True)
    perf_fen = np.select([points.to_numpy() >= t for t, _ in tiers], [a for _, a in tiers], default=0)
    e["performance_pay_fen"] = np.where(points.notna(), perf_fen, 0).astype("int64")

    clean = ((e["personal_leave_days"] + e["sick_leave_days"] + e["absent_days"]) == 0) & \
        (e["late_count"] + e["early_leave_count"] + e["missing_punch_count"] == 0) & (e["fines_fen"] == 0)
    e["full_attendance"] = ~partial & clean
    fa_fen = to_fen(rules.money("pay.bonus.full_attendance"))
    e["award_bonus_fen"] = e["awards"] * to_fen(rules.money("pay.bonus.award"))
    e["reward_fen"] = reward_fen
    e["full_attendance_fen"] = np.where(e["full_attendance"], fa_fen, 0)
    e["bonus_fen"] = e["award_bonus_fen"] + reward_fen + e["full_attendance_fen"]

    net = e["base_pay_fen"] + e["performance_pay_fen"] + e["bonus_fen"] - e["fines_fen"] - e["absence_penalty_fen"]
    e["net_before_floor_fen"] = net
    e["net_pay_fen"] = net.clip(lower=0)

    # flags (篇1 §五.2/6/7) — never silent, applied to pay only when the rulebook says
    fl = rules.get("flags")
    f_auto = e["absent_days"] > rules.num("flags.auto_resignation_absent_days")
    pc_steps = len(rules.get("fines.private_call"))
    pc = v[v["code"] == "private_call"].groupby("employee_id").size() if len(v) else pd.Series(dtype="int64")
    f_dismiss = e["employee_id"].map(pc).fillna(0) > pc_steps
    leaving = e["leave_date"].notna() & (e["leave_date"] >= first) & (e["leave_date"] <= last)
    gap = (e["leave_date"] - e["notice_date"]).dt.days
    f_notice = leaving & (e["notice_date"].isna() | (gap < int(fl["notice_days"])))
    f_forfeit = f_auto | f_dismiss | f_notice
    flag_cols = {
        "auto_resignation": f_auto, "dismissal": f_dismiss, "notice_short": f_notice, "forfeiture": f_forfeit,
        "proration_capped": pd.Series(capped, index=e.index), "net_clamped": net < 0,
        "no_performance_score": e["performance_score"].isna(), "sick_without_certificate": e["sick_converted"],
    }
    if fl["forfeiture"] == "apply":
        e["net_pay_fen"] = np.where(f_forfeit, 0, e["net_pay_fen"])
    fm = pd.DataFrame({k: flag_cols[k].to_numpy(dtype=bool) for k in FLAG_NAMES}, index=e.index)
    bits = fm.to_numpy()
    flag_lists: list[list[str]] = [[] for _ in range(len(e))]
    for i in np.flatnonzero(bits.any(axis=1)):  # most people have no flag
        flag_lists[i] = [FLAG_NAMES[j] for j in np.flatnonzero(bits[i])]
    e["flags"] = flag_lists

    # score level, with `severe` over three months (篇10 §五)
    sc = rules.get("score")
    e["score_level"] = np.where(e["score"] <= rules.num("score.penalty_at_most"), "penalty",
                                np.where(e["score"] <= rules.num("score.warning_at_most"), "warning", "ok"))
    if with_history:
        low = e["score"] <= rules.num("score.warning_at_most")
        if bool(low.any()):
            severe = low.copy()
            y, m = year, mon
            for _ in range(int(sc["severe_months"]) - 1):
                y, m = (y - 1, 12) if m == 1 else (y, m - 1)
                prev = _earlier_scores(data, rules, y, m)
                ps = e["employee_id"].map(prev)
                severe &= ps.notna() & (ps <= rules.num("score.warning_at_most"))
            e["score_level"] = np.where(severe, "severe", e["score_level"])

    pay_date = cal.pay_date(year, mon, int(rules.get("pay.pay_day")))
    return MonthResult(month, pay_date, rules, e, g, fines, rewards, score_items)


def _earlier_scores(data: Dataset, rules: Rulebook, year: int, month: int) -> pd.Series:
    """Scores of an earlier month, for employees employed in it — if the sign-ins hold it."""
    import pandas as pd

    label = f"{year:04d}-{month:02d}"
    if not has_signins(data, year, month):
        return pd.Series(dtype=float)
    try:
        r = compute_month(data, rules, label, with_history=False)
    except UsageError:
        return pd.Series(dtype=float)
    return r.employees.set_index("employee_id")["score"]


def has_signins(data: Dataset, year: int, month: int) -> bool:
    """Whether the sign-in files hold any row dated in the month."""
    import pandas as pd

    d = data.signins["date"]
    start = pd.Timestamp(year, month, 1)
    return bool(len(d)) and bool(((d >= start) & (d <= start + pd.offsets.MonthEnd(0))).any())


def latest_month(data: Dataset) -> str | None:
    d = data.signins["date"].dropna()
    if not len(d):
        return None
    m = d.max()
    return f"{m.year:04d}-{m.month:02d}"
