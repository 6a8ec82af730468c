"""Fines, rewards and score deductions as ledgers: one line per event, with its rule and source.

Each ledger is a DataFrame with ``employee_id, date, code, rule, source`` and an
``amount_fen`` (money, int64 fen) or ``points`` column.  Totals are sums of the
lines, so ``fines``, ``score`` and ``payroll`` agree to the fen and half point.

Lines are gathered as arrays (employee index into the grid's employees, row
positions into the grid or the violations) and their text (sources, notes) is
joined in Arrow, column at a time; the frame is built once, sorted by an
integer key.  Pandas string ops and boolean filters of the 900k-row grid cost
several times more for the ~130k lines of a 40,000-person month.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cs_rules.arrays import (
    arrow_text,
    cat_text,
    cumcount,
    int_text,
    join_text,
    large,
    pick_text,
    positions,
    source_text,
    str_array,
)
from cs_rules.model.money import to_fen
from cs_rules.rulebook import Rulebook

if TYPE_CHECKING:
    import numpy as np
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


@dataclass
class _Lines:
    """Ledger lines of one kind.  Text fields: one ``str`` for every line, or an Arrow array."""

    emp: np.ndarray  # employee index (the grid's ``emp_idx``)
    date: np.ndarray  # datetime64
    order: Any  # the kind's place among a day's lines: one int, or one per line
    code: Any
    rule: Any
    source: Any
    note: Any
    amount_fen: Any = 0
    points: Any = 0.0
















@dataclass
class LedgerInputs:
    """What ledger lines refer to, read once for both ledgers: the grid's employees,
    its late and early rows with their sources, and the month's violations."""

    g: pd.DataFrame  # the month's grid; its ``employee_id`` categories, in ``emp_idx`` order, are the employees
    ids: Any  # Arrow text of the employee ids; position = the grid's ``emp_idx``
    rank: np.ndarray  # each employee's place in id order: ledgers list lines by id text
    emp_idx: np.ndarray  # grid columns
    dates: np.ndarray
    late: np.ndarray  # grid rows late / leaving early
    early: np.ndarray
    v_emp: np.ndarray  # violations: employee index, date, code, source and note, one per entry
    v_date: np.ndarray
    v_code: np.ndarray
    v_src: Any
    v_note: Any
    v_points: np.ndarray
    _punch: Any = None  # (late or early grid rows, their sign-in sources), made on first use

    @classmethod
    def of(cls, g: pd.DataFrame, v: pd.DataFrame) -> LedgerInputs:
        """``g``: the month's grid (:func:`day_grid`); ``v``: the month's violations (:func:`month_violations`)."""
        import numpy as np
        import pyarrow.compute as pc

        ids = arrow_text(g["employee_id"].dtype.categories)
        rank = np.empty(len(ids), dtype="int64")
        rank[np.asarray(pc.array_sort_indices(ids))] = np.arange(len(ids))
        if not len(v):
            v = v.reindex(columns=["employee_id", "date", "code", "_file", "_row", "note", "points"])
        return cls(g, ids, rank, g["emp_idx"].to_numpy(), g["date"].to_numpy(),
                   np.flatnonzero(g["late"].to_numpy()), np.flatnonzero(g["early"].to_numpy()),
                   positions(v["employee_id"], ids), v["date"].to_numpy(dtype="datetime64[ns]"),
                   v["code"].to_numpy(dtype=object), source_text(arrow_text(v["_file"]), v["_row"]),
                   pc.fill_null(arrow_text(v["note"]), ""), v["points"].fillna(0).to_numpy(dtype=float))

    def source(self, rows: np.ndarray, file: str, row: str) -> Any:
        """"file:row" sources of grid ``rows`` from a file and a row column of the grid."""
        return source_text(cat_text(self.g[file], rows), self.g[row].to_numpy()[rows])

    def punch_source(self, rows: np.ndarray) -> Any:
        """Sign-in sources of late or early ``rows``: both ledgers list them, so they are made once."""
        import numpy as np
        import pyarrow as pa

        if self._punch is None:
            both = np.flatnonzero(self.g["late"].to_numpy() | self.g["early"].to_numpy())
            self._punch = both, self.source(both, "punch_file", "punch_row")
        both, text = self._punch
        return text.take(pa.array(np.searchsorted(both, rows)))

    def grid_lines(self, rows: np.ndarray, order: Any, code: Any, rule: Any, source: Any, note: Any,
                   **value: Any) -> _Lines:
        """Ledger lines for the grid ``rows``."""
        return _Lines(self.emp_idx[rows], self.dates[rows], order, code, rule, source, note, **value)

    def entries(self, *codes: str) -> np.ndarray:
        """Positions of the violations with one of ``codes``, in order."""
        import numpy as np

        return np.flatnonzero(np.isin(self.v_code, list(codes)))

    def lines(self, rows: np.ndarray, order: int, code: Any, rule: Any, note: Any, **value: Any) -> _Lines:
        """Ledger lines for the violations at ``rows``; ``note`` defaults to the entry's own."""
        import pyarrow as pa

        return _Lines(self.v_emp[rows], self.v_date[rows], order, code, rule, self.v_src.take(pa.array(rows)),
                      self.v_note.take(pa.array(rows)) if note is None else note, **value)


def _frame(parts: list[_Lines], m: LedgerInputs, drop_zero_points: bool = False) -> pd.DataFrame:
    """One ledger frame: lines by employee id, date and kind (``order``), ties in the parts' order.

    ``employee_id`` shares the grid's categorical dtype (codes = employee index),
    so per-employee totals need no text lookup; text columns stay Arrow-backed.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    parts = [p for p in parts if len(p.emp)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in LEDGER_COLUMNS})
    sizes = [len(p.emp) for p in parts]

    def num(field: str, dtype: str) -> np.ndarray:
        return np.concatenate([np.broadcast_to(np.asarray(getattr(p, field), dtype=dtype), (k,))
                               for p, k in zip(parts, sizes, strict=True)])

    emp = np.concatenate([p.emp for p in parts])
    date = num("date", "datetime64[ns]")
    order = num("order", "int64")
    amount, points = num("amount_fen", "int64"), num("points", "float64")
    perm = _sort_order(m.rank[emp], date.view("int64"), order)
    if drop_zero_points:
        perm = perm[points[perm] != 0]
    take = pa.array(perm)

    def text(field: str, na: Any) -> pd.arrays.ArrowStringArray:
        cols = [pick_text([v], np.zeros(k, dtype="int64")) if isinstance(v, str) else large(v)
                for v, k in ((getattr(p, field), k) for p, k in zip(parts, sizes, strict=True))]
        return str_array(pa.concat_arrays(cols).take(take), na)

    return pd.DataFrame({
        "employee_id": pd.Categorical.from_codes(emp[perm], dtype=m.g["employee_id"].dtype, validate=False),
        "date": date[perm], "order": order[perm],
        "code": text("code", np.nan), "amount_fen": amount[perm], "points": points[perm],
        "rule": text("rule", np.nan), "source": text("source", pd.NA), "note": text("note", pd.NA)})


def _sort_order(rank: np.ndarray, date_ns: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Stable sort by (rank, date, order).

    Dates are whole days of one month, so the three fit one int64 key; a stable
    sort of that key is fast on lines that come in long sorted runs.
    """
    import numpy as np

    day_ns = 86_400 * 10**9
    off = date_ns - date_ns.min()
    if (off % day_ns).any() or off.max() > 400 * day_ns or order.min() < 0 or order.max() > 7:
        return np.lexsort((order, date_ns, rank))  # type: ignore[no-any-return]
    return np.argsort((rank * 512 + off // day_ns) * 8 + order, kind="stable")  # type: ignore[no-any-return]


def _ladder(n: Any, amounts: list[int]) -> np.ndarray:
    """Amount of the n-th (0-based) occurrence: the ladder's step, its last step beyond."""
    import numpy as np

    idx = np.minimum(np.asarray(n, dtype="int64"), len(amounts) - 1)
    return np.asarray(amounts, dtype="int64")[idx]  # type: ignore[no-any-return]


def month_violations(violations: pd.DataFrame, emp: pd.DataFrame, first: pd.Timestamp,
                     last: pd.Timestamp) -> pd.DataFrame:
    """Log entries inside the month and inside each person's employment window.

    Sorted by employee id, date and row; ``win_start``/``win_end`` come along.
    Entries are matched to employees by position (one Arrow lookup), not a merge.
    """
    import numpy as np
    import pandas as pd

    v = violations
    t = v["date"].to_numpy(dtype="datetime64[ns]")
    who = positions(v["employee_id"], emp["employee_id"])
    at = np.maximum(who, 0)
    ws, we = emp["win_start"].to_numpy(dtype="datetime64[ns]"), emp["win_end"].to_numpy(dtype="datetime64[ns]")
    ok = (v["code"].notna().to_numpy() & (who >= 0) & (t >= np.datetime64(pd.Timestamp(first))) &
          (t <= np.datetime64(pd.Timestamp(last))))
    if len(emp):
        ok &= (t >= ws[at]) & (t <= we[at])  # NaT compares False: undated entries drop out
    rows = np.flatnonzero(ok)
    v = v.iloc[rows].assign(win_start=emp["win_start"].to_numpy()[who[rows]],
                            win_end=emp["win_end"].to_numpy()[who[rows]])
    return v.sort_values(["employee_id", "date", "_row"], kind="stable").reset_index(drop=True)


def fines_ledger(g: pd.DataFrame, v: pd.DataFrame, rules: Rulebook,
                 inputs: LedgerInputs | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(fines, rewards) for the month.  The late/early counter is shared and restarts monthly.

    ``g`` is the month's grid and ``v`` the month's violations, sorted by
    employee, date and row (:func:`month_violations`); ``inputs``, when given,
    are ``LedgerInputs.of(g, v)``, shared with :func:`score_ledger`.
    """
    import numpy as np
    import pyarrow as pa

    m = inputs or LedgerInputs.of(g, v)
    parts: list[_Lines] = []
    # late and early, counted together per employee in date order (late before early on a day)
    ladder = [to_fen(a) for a in rules.money_list("fines.late_early")]
    rows = np.concatenate([m.late, m.early])
    kind = np.repeat(np.array([0, 1]), [len(m.late), len(m.early)])
    o = np.lexsort((kind, rows))  # grid rows run by employee, then date
    rows, kind = rows[o], kind[o]
    n = cumcount(m.emp_idx[rows])
    minutes = np.where(kind == 0, g["late_minutes"].to_numpy()[rows], g["early_minutes"].to_numpy()[rows])
    parts.append(m.grid_lines(
        rows, kind, "late_early", RULES["late_early"], m.punch_source(rows),
        join_text(int_text(n + 1), ". ", int_text(minutes), pick_text([" min late", " min early"], kind)),
        amount_fen=_ladder(n, ladder)))
    rows = np.flatnonzero(g["missing_punch"].to_numpy())
    parts.append(m.grid_lines(
        rows, 2, "missing_punch", RULES["missing_punch"], m.source(rows, "punch_file", "punch_row"),
        pick_text(["no sign-out", "no sign-in"], np.isnan(g["sign_in"].to_numpy()[rows]).astype("int64")),
        amount_fen=to_fen(rules.money("fines.missing_punch"))))
    lt = g["leave_type"].array
    if "personal" in lt.categories:
        leave_days = g["leave_days"].to_numpy()
        rows = np.flatnonzero((lt.codes == lt.categories.get_loc("personal")) & (leave_days > 0))
        per_day = to_fen(rules.money("fines.personal_leave"))
        halves = np.round(leave_days[rows] * 2).astype("int64")
        why = np.where(g["sick_converted"].to_numpy()[rows], 2, np.where(halves == 1, 1, 0))
        parts.append(m.grid_lines(
            rows, 3, "personal_leave", RULES["personal_leave"], m.source(rows, "leave_file", "leave_row"),
            pick_text(["", "half day", "sick leave without certificate, as personal"], why),
            amount_fen=(per_day * halves + 1) // 2))
    # the violations log: fixed fines, the private-call ladder, rewards for reports
    fixed = {c: to_fen(rules.money(f"fines.{c}")) for c in ("desk_untidy", "registration_error", "chatting")}
    rows = m.entries(*fixed)
    code = m.v_code[rows]
    parts.append(m.lines(rows, 4, pa.array(code, type=pa.large_string()),
                         pa.array([RULES[c] for c in code], type=pa.large_string()), None,
                         amount_fen=np.array([fixed[c] for c in code], dtype="int64")))
    rows = m.entries("private_call")
    steps = [to_fen(a) for a in rules.money_list("fines.private_call")]
    n = cumcount(m.v_emp[rows])
    within = n < len(steps)
    parts.append(m.lines(rows, 4, "private_call", RULES["private_call"],
                         join_text(int_text(n + 1), pick_text([". private call: dismissal (no fine)", ". private call"],
                                                       within.astype("int64"))),
                         amount_fen=np.where(within, _ladder(n, steps) if steps else 0, 0)))
    rewards = [m.lines(m.entries("report_misconduct"), 5, "report_misconduct", RULES["report_misconduct"], None,
                       amount_fen=to_fen(rules.money("rewards.report_misconduct")))]
    return _frame(parts, m), _frame(rewards, m)


def _marginal(m: LedgerInputs, code: str, f: Callable[[int], float]) -> _Lines:
    """Points for count-based rules, one line per entry: f(k) − f(k−1) for the k-th entry."""
    import numpy as np

    rows = m.entries(code)
    k = cumcount(m.v_emp[rows]) + 1
    fk = np.array([f(int(x)) for x in k], dtype=float)  # k is small: a handful of entries per person
    fk1 = np.array([f(int(x) - 1) for x in k], dtype=float)
    return m.lines(rows, 6, code, RULES[code], join_text(int_text(k), ". " + code.replace("_", " ")), points=fk - fk1)


def score_ledger(g: pd.DataFrame, v: pd.DataFrame, rules: Rulebook, inputs: LedgerInputs | None = None) -> pd.DataFrame:
    """Every point deducted from the 10-point score this month (篇10 §五); arguments as for :func:`fines_ledger`."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    m = inputs or LedgerInputs.of(g, v)
    sc = rules.get("score")
    major = float(rules.get("attendance.late_major_minutes"))
    parts: list[_Lines] = []
    rows = m.late
    minutes = g["late_minutes"].to_numpy()[rows]
    big = (minutes > major).astype("int64")
    parts.append(m.grid_lines(
        rows, 0, pick_text(["late", "late_over_30"], big), pick_text([RULES["late"], RULES["late_over_30"]], big),
        m.punch_source(rows), join_text(int_text(minutes), " min late"),
        points=np.where(big == 1, float(sc["late_major"]), float(sc["late_minor"]))))
    rows = m.early
    parts.append(m.grid_lines(
        rows, 1, "early_leave", RULES["early_leave"], m.punch_source(rows),
        join_text(int_text(g["early_minutes"].to_numpy()[rows]), " min early"), points=float(sc["early_leave"])))
    absent = g["absent"].to_numpy()
    rows = np.flatnonzero(absent > 0)
    if len(rows):
        # the source: the off-post entry, else the leave request, else the sign-in row
        opr, lvr, pr = (g[c].to_numpy()[rows] for c in ("off_post_row", "leave_row", "punch_row"))
        file = pc.coalesce(*(cat_text(g[c], rows) for c in ("off_post_file", "leave_file", "punch_file")))
        row = np.where(~np.isnan(opr), opr, np.where(~np.isnan(lvr), lvr, pr))
        why = np.where(~np.isnan(opr), 0, np.where(~np.isnan(lvr), 1, np.where(~np.isnan(pr), 2, 3)))
        days, which = np.unique(absent[rows], return_inverse=True)
        day_text = pd.Series(days).astype("string").tolist()  # "0.5", "1.0" as the column always showed
        parts.append(m.grid_lines(
            rows, 2, "absence", RULES["absence"], source_text(file, row),
            join_text(pick_text(day_text, which.ravel()), " day absent: ",
                  pick_text(["off post (half day absent)", "leave not approved / half day without punches",
                         "no sign-in and no sign-out", "no sign-in row for a workday"], why)),
            points=float(sc["absence"])))
    # leave allowance: personal + sick leave days + missing-punch days beyond the allowance
    lt = g["leave_type"].array
    leave_days = g["leave_days"].to_numpy()
    counted = [lt.categories.get_loc(t) for t in ("personal", "sick") if t in lt.categories]
    leave = np.flatnonzero(leave_days > 0)  # few rows: leave and missing punches are counted where they are
    leave = leave[np.isin(lt.codes[leave], counted)]
    missing = np.flatnonzero(g["missing_punch"].to_numpy())
    n_emp = len(m.ids)
    per = np.bincount(m.emp_idx[leave], weights=leave_days[leave], minlength=n_emp) + \
        np.bincount(m.emp_idx[missing], minlength=n_emp)
    excess = np.clip(per - float(sc["allowance_days"]), 0, None)
    over = np.flatnonzero(excess > 0)
    if len(over):
        last_row = np.searchsorted(m.emp_idx, over, side="right") - 1  # grid rows run by employee, then date
        parts.append(_Lines(
            over, m.dates[last_row], 3, "leave_allowance", RULES["leave_allowance"], "",
            pa.array([f"{a:g} leave/missing-punch days, {x:g} over the allowance"
                      for a, x in zip(per[over], excess[over], strict=True)]),
            points=excess[over] * float(sc["allowance_excess_per_day"])))
    # the violations log
    every, off_pts = int(sc["offline_every"]), float(sc["offline_points"])
    parts.append(_marginal(m, "offline", lambda k: off_pts * (k // every)))
    cu = [(int(n), float(p)) for n, p in sc["complaint_unanswered"]]
    parts.append(_marginal(m, "complaint_unanswered", lambda k: next((p for n, p in cu if k >= n), 0.0)))
    ca = [(int(n), float(p)) for n, p in sc["complaint_attitude"]]
    parts.append(_marginal(m, "complaint_attitude", lambda k: max([float(k)] + [p for n, p in ca if k >= n])))
    rows = m.entries("unfinished_work")
    parts.append(m.lines(rows, 6, "unfinished_work", RULES["unfinished_work"], None, points=m.v_points[rows]))
    return _frame(parts, m, drop_zero_points=True)
