"""What each printed payslip (工资条) says: 应发 and 扣款 items, their totals and 实发.

Every amount is one of the engine's pay lines (:attr:`MonthResult.pay_lines`, signed
fen per employee), never recomputed: fines and rewards are itemised by kind from
their ledgers (count and sum), and the floor at 0 is a line of its own, so on every
slip the deductions add up to 扣款合计 and 应发合计 − 扣款合计 = 实发.  The slips
are checked against the engine's net pay before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cs_rules.model.money import to_fen

if TYPE_CHECKING:
    from cs_rules.engine.payroll import MonthResult

# pay-line handlers by side of the slip; a line of any other handler goes where its sign says
EARNINGS = ("base_pay", "performance_pay", "full_attendance", "award_bonus", "rewards")
DEDUCTIONS = ("unpaid_leave", "absence_deduction", "absence_penalty", "fines_total", "forfeiture_applied",
              "net_floor")
# lines every slip shows, 0.00 included, so the slips of a month all read alike
ALWAYS = {"base_pay", "performance_pay", "full_attendance", "award_bonus", "unpaid_leave", "absence_deduction",
          "absence_penalty", "fines_total"}

LABELS = {
    "zh": {"unpaid_leave": "事假/病假扣款", "absence_deduction": "旷工扣款", "absence_penalty": "旷工罚扣",
           "net_floor": "超出部分不扣（实发不低于0）", "forfeiture_applied": "按规章不发当月工资",
           "fine": "{label}罚款", "reward": "{label}奖励", "partial": "（折算）", "fines_total": "罚款",
           "times": "次", "days": "天", "items": "项"},
    "en": {"unpaid_leave": "Unpaid leave", "absence_deduction": "Absence (time not worked)",
           "absence_penalty": "Absence penalty", "net_floor": "Not deducted (net pay floor 0)",
           "forfeiture_applied": "Forfeiture (rulebook)", "fine": "Fine: {label}", "reward": "Reward: {label}",
           "partial": " (prorated)", "fines_total": "Fines",
           "times": "x", "days": "d", "items": "x"},
}


@dataclass(slots=True)
class Item:
    """One line of a slip: what, how many (``unit`` 次/天, or none) and the amount in fen.

    On the 扣款 side ``fen`` is the amount deducted (positive); the floor's line is negative:
    deductions beyond the pay that were not taken."""

    code: str
    label: str
    qty: float | int | None
    unit: str  # "times", "days", "items" or ""
    fen: int


class Slip:
    """One person's slip; the totals are the sums of its own lines."""

    __slots__ = ("i", "earnings", "deductions", "earnings_fen", "deductions_fen")

    def __init__(self, i: int, earnings: list[Item], deductions: list[Item], earnings_fen: int | None = None,
                 deductions_fen: int | None = None) -> None:
        self.i = i  # position in ``res.employees``
        self.earnings, self.deductions = earnings, deductions
        # the sums of the lines (computed column-wise by ``slips``, which checks them)
        self.earnings_fen = sum(x.fen for x in earnings) if earnings_fen is None else earnings_fen
        self.deductions_fen = sum(x.fen for x in deductions) if deductions_fen is None else deductions_fen

    @property
    def net_fen(self) -> int:
        return self.earnings_fen - self.deductions_fen


class SlipMismatch(RuntimeError):
    """A slip's lines do not add up to the engine's net pay: a bug; nothing is printed."""


def _by_kind(res: MonthResult, ledger: Any, kind: str) -> dict[int, list[tuple[str, int, int]]]:
    """Each employee's ledger lines of one kind summed by code: {employee position: [(code, count, fen)]},
    codes in catalogue order."""
    if not len(ledger):
        return {}
    import pandas as pd

    pos = {k: i for i, k in enumerate(res.employees["employee_id"].tolist())}
    frame = pd.DataFrame({"e": ledger["employee_id"].astype(object).map(pos),
                          "code": ledger["code"].astype(object).astype(str),
                          "fen": ledger["amount_fen"].astype("int64")})
    frame = frame[frame["e"].notna()]
    order = {e.code: j for j, e in enumerate(res.rules.entries(kind))} if kind in res.rules.catalog else {}
    g = frame.groupby(["e", "code"], sort=False).agg(n=("fen", "size"), fen=("fen", "sum")).reset_index()
    g["o"] = g["code"].map(order).fillna(len(order))
    g = g.sort_values(["e", "o", "code"], kind="stable")
    out: dict[int, list[tuple[str, int, int]]] = {}
    for e, code, n, fen in zip(g["e"].tolist(), g["code"].tolist(), g["n"].tolist(), g["fen"].tolist(),
                               strict=True):
        out.setdefault(int(e), []).append((code, int(n), int(fen)))
    return out


def _day_fines(res: MonthResult) -> dict[str, int]:
    """Fines charged per day (personal leave): their quantity is days, not times."""
    out = {}
    for e in res.rules.entries("fine"):
        if e.handler == "leave_days" and "amount" in e.params:
            fen = to_fen(e.money("amount"))
            if fen > 0:
                out[e.code] = fen
    return out


def slips(res: MonthResult, rows: list[int] | None = None, lang: str = "zh") -> list[Slip]:
    """The slips of the employees at positions ``rows`` (default: everyone), in that order."""
    import numpy as np

    lang = "en" if lang == "en" else "zh"
    L = LABELS[lang]
    e = res.employees
    n = len(e)
    rows = list(range(n)) if rows is None else rows
    assert res.pay_lines is not None
    rules = res.rules
    fines = _by_kind(res, res.fines, "fine")
    rewards = _by_kind(res, res.rewards, "reward")
    per_day = _day_fines(res)
    partial = e["partial"].to_numpy(dtype=bool).tolist() if "partial" in e else [False] * n
    qty: dict[str, Any] = {"unpaid_leave": (e["unpaid_leave_days"].to_numpy(dtype=float).tolist(), "days"),
                           "absence_deduction": (e["absent_days"].to_numpy(dtype=float).tolist(), "days"),
                           "absence_penalty": (e["absent_days"].to_numpy(dtype=float).tolist(), "days")}
    if "awards" in e:
        qty["award_bonus"] = (e["awards"].to_numpy(dtype="int64").tolist(), "items")
    labels: dict[tuple[str, str], str] = {}

    def ledger_label(kind: str, c: str) -> str:
        k = (kind, c)
        if k not in labels:
            labels[k] = L[kind].format(label=rules.label(kind, c, lang))
        return labels[k]

    # column-wise: per pay line, its items for every slip at once (None: not on that slip), and each
    # slip's totals as arrays; a slip then only gathers its items (40,000 slips in well under a second)
    m = len(rows)
    sel = np.asarray(rows, dtype="int64")
    earn_total = np.zeros(m, dtype="int64")
    ded_total = np.zeros(m, dtype="int64")
    ids = e["employee_id"].astype(str).tolist()
    columns: list[tuple[bool, Any]] = []  # (earning side?, items per slip | ledger lines per slip)
    for code, pl in res.pay_lines.items():
        entry = rules.entry("pay", code)
        h = entry.handler
        label = L.get(h) or entry.label(lang)
        always = h in ALWAYS
        amounts = pl.amount_fen.astype("int64")[sel]
        if h in ("fines_total", "rewards"):
            is_fine = h == "fines_total"
            kind = "fine" if is_fine else "reward"
            book = fines if is_fine else rewards
            per: list[Any] = []
            due = (-amounts if is_fine else amounts).tolist()
            for k, i in enumerate(rows):
                items = book.get(i, ())
                if (sum(f for _, _, f in items) if items else 0) != due[k]:
                    raise SlipMismatch(f"{ids[i]}: the {kind} ledger does not add up to the {code} line")
                got = [Item(c, ledger_label(kind, c), f / per_day[c] if c in per_day else count,
                            "days" if c in per_day else "times", f) for c, count, f in items]
                per.append(got or ([Item(code, label, None, "", 0)] if always else []))
            columns.append((not is_fine, per))
            if is_fine:
                ded_total -= amounts
            else:
                earn_total += amounts
            continue
        q, unit = qty.get(h, (None, ""))
        fen_l = amounts.tolist()
        q_l = [q[i] for i in rows] if q is not None else [None] * m
        labels_l = [label + L["partial"] if partial[i] else label for i in rows] if h == "base_pay" else [label] * m
        if h in EARNINGS or h in DEDUCTIONS:
            earning = h in EARNINGS
            sign = 1 if earning else -1
            col = [Item(code, lb, qv if f else None, unit, sign * f) if (f or always) else None
                   for lb, qv, f in zip(labels_l, q_l, fen_l, strict=True)]
            columns.append((earning, col))
            if earning:
                earn_total += amounts
            else:
                ded_total -= amounts
        else:  # a handler of another rulebook: each slip's side by the amount's sign
            columns.append((True, [Item(code, lb, None, unit, f) if f > 0 else None
                                   for lb, f in zip(labels_l, fen_l, strict=True)]))
            columns.append((False, [Item(code, lb, None, unit, -f) if f < 0 else None
                                    for lb, f in zip(labels_l, fen_l, strict=True)]))
            earn_total += np.maximum(amounts, 0)
            ded_total += np.maximum(-amounts, 0)
    net = e["net_pay_fen"].to_numpy(dtype="int64")[sel]
    bad = np.flatnonzero(earn_total - ded_total != net)
    if len(bad):
        k = int(bad[0])
        raise SlipMismatch(f"{ids[rows[k]]}: the payslip lines add up to {int(earn_total[k] - ded_total[k])} fen, "
                           f"the net pay is {int(net[k])}")
    earn_cols = [(c, isinstance(c[0], list) if c else False) for side, c in columns if side]
    ded_cols = [(c, isinstance(c[0], list) if c else False) for side, c in columns if not side]
    et, dt_ = earn_total.tolist(), ded_total.tolist()
    out = []
    for k, i in enumerate(rows):
        earnings: list[Item] = []
        deductions: list[Item] = []
        for cols, side in ((earn_cols, earnings), (ded_cols, deductions)):
            for c, many in cols:
                x = c[k]
                if many:
                    side.extend(x)
                elif x is not None:
                    side.append(x)
        out.append(Slip(i, earnings, deductions, et[k], dt_[k]))
    return out


def unit_text(unit: str, lang: str) -> str:
    return LABELS["en" if lang == "en" else "zh"].get(unit, "") if unit else ""


_UNSAFE = set('<>:"/\\|?*') | {chr(c) for c in range(32)} | {"\x7f"}


def slip_file_name(month: str, emp_id: str, name: str, limit: int = 240) -> str:
    """``2024-05-CS001-王芳.xlsx``: characters no file system takes become ``_``, no leading dot or
    space, and at most ``limit`` bytes (UTF-8), so every name is valid on Windows, macOS and Linux."""
    def clean(text: str) -> str:
        return "".join("_" if ch in _UNSAFE else ch for ch in str(text)).strip(" .")

    stem = "-".join(x for x in (clean(month), clean(emp_id), clean(name)) if x) or "payslip"
    while len((stem + ".xlsx").encode("utf-8")) > limit:
        stem = stem[:-1]
    return stem.rstrip(" .") + ".xlsx"
