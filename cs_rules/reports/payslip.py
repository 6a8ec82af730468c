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


class SlipTable:
    """The lines of many slips column-wise: one entry a line, in print order (slip by slip, 应发
    before 扣款, pay lines in the rulebook's order, a ledger's kinds in catalogue order), and each
    slip's totals as arrays.  The workbook writes its 工资条 from this without an object a line.

    ``slip`` the slip number of each line (0.. in ``rows`` order), ``earning`` its side; ``code``,
    ``label``, ``qty`` (int, float or None), ``unit`` and ``fen`` as on :class:`Item`."""

    __slots__ = ("rows", "slip", "earning", "code", "label", "qty", "unit", "fen", "earnings_fen", "deductions_fen")

    def __init__(self, rows: list[int], slip: Any, earning: Any, code: list[str], label: list[str], qty: list[Any],
                 unit: list[str], fen: Any, earnings_fen: Any, deductions_fen: Any) -> None:
        self.rows = rows  # position in ``res.employees`` of each slip
        self.slip, self.earning = slip, earning
        self.code, self.label, self.qty, self.unit, self.fen = code, label, qty, unit, fen
        self.earnings_fen, self.deductions_fen = earnings_fen, deductions_fen

    def __len__(self) -> int:
        return len(self.rows)

    def slips(self) -> list[Slip]:
        """One :class:`Slip` a person (for a payslip file each, and for tests)."""
        out = [Slip(i, [], [], int(a), int(b)) for i, a, b in
               zip(self.rows, self.earnings_fen.tolist(), self.deductions_fen.tolist(), strict=True)]
        for k, side, c, lb, q, u, f in zip(self.slip.tolist(), self.earning.tolist(), self.code, self.label, self.qty,
                                          self.unit, self.fen.tolist(), strict=True):
            (out[k].earnings if side else out[k].deductions).append(Item(c, lb, q, u, f))
        return out

    @classmethod
    def of(cls, slips: list[Slip]) -> SlipTable:
        """The table of slips already built (a payslip file of one person)."""
        import numpy as np

        slip, earning, items = [], [], []
        for k, s in enumerate(slips):
            for side, lines in ((True, s.earnings), (False, s.deductions)):
                slip += [k] * len(lines)
                earning += [side] * len(lines)
                items += lines
        return cls([s.i for s in slips], np.asarray(slip, dtype="int64"), np.asarray(earning, dtype=bool),
                   [x.code for x in items], [x.label for x in items], [x.qty for x in items],
                   [x.unit for x in items], np.asarray([x.fen for x in items], dtype="int64"),
                   np.asarray([s.earnings_fen for s in slips], dtype="int64"),
                   np.asarray([s.deductions_fen for s in slips], dtype="int64"))


def slips(res: MonthResult, rows: list[int] | None = None, lang: str = "zh") -> list[Slip]:
    """The slips of the employees at positions ``rows`` (default: everyone), in that order."""
    return slip_table(res, rows, lang).slips()


def slip_table(res: MonthResult, rows: list[int] | None = None, lang: str = "zh") -> SlipTable:
    """The slips of the employees at positions ``rows`` (default: everyone; each at most once), in
    that order, column-wise: every pay line's items for all slips at once, checked against the
    engine's net pay before anything is printed."""
    import numpy as np

    lang = "en" if lang == "en" else "zh"
    L = LABELS[lang]
    e = res.employees
    n = len(e)
    rows = list(range(n)) if rows is None else list(rows)
    assert res.pay_lines is not None
    rules = res.rules
    per_day = _day_fines(res)
    m = len(rows)
    sel = np.asarray(rows, dtype="int64")
    slip_of = np.full(n, -1, dtype="int64")  # employee position → slip number
    slip_of[sel] = np.arange(m, dtype="int64")
    partial = e["partial"].to_numpy(dtype=bool)[sel] if "partial" in e else np.zeros(m, dtype=bool)
    qty: dict[str, Any] = {"unpaid_leave": (e["unpaid_leave_days"].to_numpy(dtype=float)[sel].tolist(), "days"),
                           "absence_deduction": (e["absent_days"].to_numpy(dtype=float)[sel].tolist(), "days"),
                           "absence_penalty": (e["absent_days"].to_numpy(dtype=float)[sel].tolist(), "days")}
    if "awards" in e:
        qty["award_bonus"] = (e["awards"].to_numpy(dtype="int64")[sel].tolist(), "items")
    ids = e["employee_id"].astype(str).tolist()
    earn_total = np.zeros(m, dtype="int64")
    ded_total = np.zeros(m, dtype="int64")
    # the lines as pieces, a pay line (or a ledger) at a time: (slip, earning, column, code, label, qty, unit, fen)
    pieces: list[tuple[Any, ...]] = []

    def piece(at: Any, earning: bool, code: Any, label: Any, q: Any, unit: Any, fen: Any) -> None:
        k = len(at)
        pieces.append((at, earning, code if isinstance(code, list) else [code] * k,
                       label if isinstance(label, list) else [label] * k, q if isinstance(q, list) else [q] * k,
                       unit if isinstance(unit, list) else [unit] * k, fen))

    for code, pl in res.pay_lines.items():
        entry = rules.entry("pay", code)
        h = entry.handler
        label = L.get(h) or entry.label(lang)
        always = h in ALWAYS
        amounts = pl.amount_fen.astype("int64")[sel]
        if h in ("fines_total", "rewards"):
            is_fine = h == "fines_total"
            kind = "fine" if is_fine else "reward"
            due = -amounts if is_fine else amounts
            at, codes, counts, fen = _ledger_lines(res, res.fines if is_fine else res.rewards, kind, slip_of)
            got = np.zeros(m, dtype="int64")
            np.add.at(got, at, fen)
            bad = np.flatnonzero(got != due)
            if len(bad):
                raise SlipMismatch(f"{ids[rows[int(bad[0])]]}: the {kind} ledger does not add up to the {code} line")
            labels = {c: L[kind].format(label=rules.label(kind, c, lang)) for c in dict.fromkeys(codes)}
            piece(at, not is_fine, codes, [labels[c] for c in codes],
                  [f / per_day[c] if c in per_day else n_
                   for c, n_, f in zip(codes, counts, fen.tolist(), strict=True)],
                  ["days" if c in per_day else "times" for c in codes], fen)
            if always:  # a slip with none of them still shows the line, at 0.00
                none = np.flatnonzero(np.bincount(at, minlength=m) == 0)
                piece(none, not is_fine, code, label, None, "", np.zeros(len(none), dtype="int64"))
                pieces[-2:] = [_merged(pieces[-2], pieces[-1])]
            if is_fine:
                ded_total -= amounts
            else:
                earn_total += amounts
            continue
        q, unit = qty.get(h, (None, ""))
        labels_m: Any = label
        if h == "base_pay" and partial.any():
            labels_m = [label + L["partial"] if p else label for p in partial.tolist()]
        if h in EARNINGS or h in DEDUCTIONS:
            earning = h in EARNINGS
            at = np.flatnonzero(amounts != 0) if not always else np.arange(m, dtype="int64")
            fl = amounts[at]
            f_l = fl.tolist()
            piece(at, earning, code, [labels_m[k] for k in at.tolist()] if isinstance(labels_m, list) else labels_m,
                  [qv if f else None for qv, f in zip((q[k] for k in at.tolist()), f_l, strict=True)]
                  if q is not None else None, unit, fl if earning else -fl)
            if earning:
                earn_total += amounts
            else:
                ded_total -= amounts
        else:  # a handler of another rulebook: each slip's side by the amount's sign
            for earning, at in ((True, np.flatnonzero(amounts > 0)), (False, np.flatnonzero(amounts < 0))):
                lb = [labels_m[k] for k in at.tolist()] if isinstance(labels_m, list) else labels_m
                piece(at, earning, code, lb, None, unit, np.abs(amounts[at]))
            earn_total += np.maximum(amounts, 0)
            ded_total += np.maximum(-amounts, 0)
    net = e["net_pay_fen"].to_numpy(dtype="int64")[sel]
    bad = np.flatnonzero(earn_total - ded_total != net)
    if len(bad):
        k = int(bad[0])
        raise SlipMismatch(f"{ids[rows[k]]}: the payslip lines add up to {int(earn_total[k] - ded_total[k])} fen, "
                           f"the net pay is {int(net[k])}")
    # print order: by slip, 应发 first, then the pieces' order, then the order within a piece
    slip = np.concatenate([np.asarray(p[0], dtype="int64") for p in pieces]) if pieces else np.zeros(0, "int64")
    side = np.concatenate([np.full(len(p[0]), not p[1]) for p in pieces]) if pieces else np.zeros(0, bool)
    col = np.concatenate([np.full(len(p[0]), j) for j, p in enumerate(pieces)]) if pieces else np.zeros(0, "int64")
    order = np.lexsort((np.arange(len(slip)), col, side, slip))

    def pick(j: int) -> list[Any]:
        flat = [x for p in pieces for x in p[j]]
        return [flat[i] for i in order.tolist()]

    fen = np.concatenate([np.asarray(p[6], dtype="int64") for p in pieces])[order] if pieces else np.zeros(0, "int64")
    return SlipTable(rows, slip[order], ~side[order], pick(2), pick(3), pick(4), pick(5), fen, earn_total, ded_total)


def _merged(a: tuple[Any, ...], b: tuple[Any, ...]) -> tuple[Any, ...]:
    """Two pieces of one pay line as one (the order within a slip is by slip: a slip has lines of one of them)."""
    import numpy as np

    return (np.concatenate([a[0], b[0]]), a[1], *(list(x) + list(y) for x, y in zip(a[2:6], b[2:6], strict=True)),
            np.concatenate([np.asarray(a[6], dtype="int64"), np.asarray(b[6], dtype="int64")]))


def _ledger_lines(res: MonthResult, ledger: Any, kind: str, slip_of: Any) -> tuple[Any, list[str], list[int], Any]:
    """The ledger's lines of the slips' employees summed by code: (slip number, code, count, fen) a
    line, by slip and codes in catalogue order."""
    import numpy as np

    groups = _by_kind(res, ledger, kind)
    if not groups:
        return np.zeros(0, dtype="int64"), [], [], np.zeros(0, dtype="int64")
    at, codes, counts, fen = [], [], [], []
    for e, lines in groups.items():
        k = int(slip_of[e])
        if k < 0:
            continue
        for c, cnt, f in lines:
            at.append(k)
            codes.append(c)
            counts.append(cnt)
            fen.append(f)
    return np.asarray(at, dtype="int64"), codes, counts, np.asarray(fen, dtype="int64")


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
