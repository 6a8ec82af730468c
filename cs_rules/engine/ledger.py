"""Fines, rewards and score deductions as ledgers: one line per event, with its rule and source.

The lines come from the rules (:mod:`cs_rules.rules`); this module puts them in order.

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

from typing import TYPE_CHECKING, Any

from cs_rules.arrays import large, pick_text, positions, str_array
from cs_rules.rulebook import Rulebook
from cs_rules.rules.base import LedgerInputs, Lines

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

LEDGER_COLUMNS = ["employee_id", "date", "order", "code", "amount_fen", "points", "rule", "source", "note"]

def _frame(parts: list[Lines], m: LedgerInputs) -> pd.DataFrame:
    """One ledger frame: lines by employee id, date and kind (``order``), ties in the parts' order.

    Lines worth 0 (a count-based rule's entry below its next tier, a dismissed private call)
    are kept: the event happened and the ledger numbers every entry (issue 16 §3).

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


def ledger(kind: str, m: LedgerInputs, book: Rulebook) -> pd.DataFrame:
    """The month's ledger of one kind (fine, reward or score): the lines of its rules, in catalogue order.

    ``m`` is built once per month (:meth:`LedgerInputs.of`) and shared by every ledger.
    """
    from cs_rules.rules import run

    parts: list[Lines] = []
    for _entry, lines in run(kind, book, m):
        if lines is None:
            continue
        parts.extend(lines if isinstance(lines, list) else [lines])
    return _frame(parts, m)  # zero lines stay: the 4th complaint worth 0 points is still an event
