"""Fines and rewards (RULEBOOK §3): one ledger line per event, with its clause and source row.

Every counter restarts each month (篇1 §五.8): the engine hands these functions one
month of grid rows and logged events at a time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cs_rules.arrays import cumcount, int_text, join_text, pick_text
from cs_rules.model.money import to_fen
from cs_rules.rules import rule

if TYPE_CHECKING:
    import numpy as np

    from cs_rules.rulebook import Entry, Rulebook
    from cs_rules.rules.base import LedgerInputs, Lines

# a day's lines are listed late, early, missing punch, leave, then logged events, rewards
ORDER_LATE, ORDER_EARLY, ORDER_MISSING, ORDER_LEAVE, ORDER_LOGGED, ORDER_REWARD = range(6)


def ladder(n: Any, amounts: list[int]) -> np.ndarray:
    """Amount of the n-th (0-based) occurrence: the ladder's step, its last step beyond."""
    import numpy as np

    if not amounts:  # an empty ladder fines nothing
        return np.zeros(np.shape(n), dtype="int64")
    idx = np.minimum(np.asarray(n, dtype="int64"), len(amounts) - 1)
    return np.asarray(amounts, dtype="int64")[idx]  # type: ignore[no-any-return]


@rule("fine")
def late_early(m: LedgerInputs, e: Entry, book: Rulebook) -> Lines:
    """Late and early leave share one counter per employee, in date order, late before early on a day;
    the n-th occurrence costs the ladder's n-th step (篇1 §五.8)."""
    import numpy as np

    steps = [to_fen(a) for a in e.money_list("amounts")]
    rows = np.concatenate([m.late, m.early])
    kind = np.repeat(np.array([0, 1]), [len(m.late), len(m.early)])
    o = np.lexsort((kind, rows))  # grid rows run by employee, then date
    rows, kind = rows[o], kind[o]
    n = cumcount(m.emp_idx[rows])
    g = m.g
    minutes = np.where(kind == 0, g["late_minutes"].to_numpy()[rows], g["early_minutes"].to_numpy()[rows])
    return m.grid_lines(
        rows, kind, e.code, e.cite, m.punch_source(rows),
        join_text(int_text(n + 1), ". ", int_text(minutes), pick_text([" min late", " min early"], kind),
                  m.shift_note(rows)),
        amount_fen=ladder(n, steps))


@rule("fine")
def missing_punch(m: LedgerInputs, e: Entry, book: Rulebook) -> Lines:
    """Each missing sign-in or sign-out on a present day (篇1 §五.3)."""
    import numpy as np

    g = m.g
    rows = np.flatnonzero(g["missing_punch"].to_numpy())
    return m.grid_lines(
        rows, ORDER_MISSING, e.code, e.cite, m.source(rows, "punch_file", "punch_row"),
        pick_text(["no sign-out", "no sign-in"], np.isnan(g["sign_in"].to_numpy()[rows]).astype("int64")),
        amount_fen=to_fen(e.money("amount")))


@rule("fine")
def corrections(m: LedgerInputs, e: Entry, book: Rulebook) -> Lines:
    """Each approved punch correction (补卡) is a ledger line, so the clerk sees which punches came from
    an approval; the first ``free`` a month cost nothing, each one beyond costs ``amount`` (0.00 by
    default: the seed is silent)."""
    import numpy as np

    g = m.g
    if "corrected" not in g:
        return m.grid_lines(np.zeros(0, dtype="int64"), ORDER_MISSING, e.code, e.cite,
                            pick_text([""], np.zeros(0, dtype="int64")), pick_text([""], np.zeros(0, dtype="int64")),
                            amount_fen=np.zeros(0, dtype="int64"))
    bits = g["corrected"].to_numpy()
    rows = np.flatnonzero(bits > 0)
    n = cumcount(m.emp_idx[rows])
    charged = n >= int(e.params.get("free", 0))
    kind = (bits[rows] - 1).astype("int64")  # 1 sign-in, 2 sign-out, 3 both
    note = join_text(int_text(n + 1), pick_text([". approved 补卡: sign-in", ". approved 补卡: sign-out",
                                                 ". approved 补卡: sign-in and sign-out"], kind))
    return m.grid_lines(rows, ORDER_MISSING, e.code, e.cite, m.source(rows, "correction_file", "correction_row"),
                        note, amount_fen=np.where(charged, to_fen(e.money("amount")), 0).astype("int64"))


@rule("fine")
def leave_days(m: LedgerInputs, e: Entry, book: Rulebook) -> Lines | None:
    """Each day of one leave type costs the amount, a half day half (篇1 §五.4: 事假 30 元)."""
    import numpy as np

    g = m.g
    lt = g["leave_type"].array
    leave = str(e.params["leave"])
    if leave not in lt.categories:
        return None
    days = g["leave_days"].to_numpy()
    rows = np.flatnonzero((lt.codes == lt.categories.get_loc(leave)) & (days > 0))
    per_day = to_fen(e.money("amount"))
    halves = np.round(days[rows] * 2).astype("int64")
    why = np.where(g["sick_converted"].to_numpy()[rows], 2, np.where(halves == 1, 1, 0))
    return m.grid_lines(
        rows, ORDER_LEAVE, e.code, e.cite, m.source(rows, "leave_file", "leave_row"),
        pick_text(["", "half day", "sick leave without certificate, as personal"], why),
        amount_fen=(per_day * halves + 1) // 2)


def logged_fixed(m: LedgerInputs, entries: list[Entry], order: int) -> Lines:
    """A fixed amount per logged event, for every entry of the family at once (in log order)."""
    import numpy as np
    import pyarrow as pa

    amount = {e.code: to_fen(e.money("amount")) for e in entries}
    cite = {e.code: e.cite for e in entries}
    rows = m.entries(*amount)
    code = m.v_code[rows]
    return m.lines(rows, order, pa.array(code, type=pa.large_string()),
                   pa.array([cite[c] for c in code], type=pa.large_string()), None,
                   amount_fen=np.array([amount[c] for c in code], dtype="int64"))


@rule("fine", "logged", family=True)
def logged_fine(m: LedgerInputs, entries: list[Entry], book: Rulebook) -> Lines:
    """A fixed fine per event in the violations log (篇1 §五.1, §五.3, §五.5; any new fine)."""
    return logged_fixed(m, entries, ORDER_LOGGED)


@rule("reward", "logged", family=True)
def logged_reward(m: LedgerInputs, entries: list[Entry], book: Rulebook) -> Lines:
    """A fixed reward per event in the log (篇1 §四.2: reporting misconduct, 50 元)."""
    return logged_fixed(m, entries, ORDER_REWARD)


@rule("fine")
def logged_ladder(m: LedgerInputs, e: Entry, book: Rulebook) -> Lines:
    """The n-th logged event of the month costs the n-th step; beyond the ladder, no fine but the
    dismissal flag (篇1 §五.2: private calls 50, 100, then dismissal), or with ``then = "last"`` its
    last step again (篇6: a verbal warning at 0.00, then 20, then 50 each time)."""
    import numpy as np

    rows = m.entries(e.code)
    steps = [to_fen(a) for a in e.money_list("amounts")]
    n = cumcount(m.v_emp[rows])
    # then = "last": the last step repeats (篇6: warning, 20, then 50 each time)
    within = n < len(steps) if e.params.get("then", "dismissal") != "last" else np.ones(len(n), dtype=bool)
    label = e.en
    amount = np.where(within, ladder(n, steps), 0)
    kind = np.where(~within, 0, np.where(amount == 0, 2, 1))  # a zero step is the verbal warning
    return m.lines(rows, ORDER_LOGGED, e.code, e.cite,
                   join_text(int_text(n + 1), pick_text([f". {label}: dismissal (no fine)", f". {label}",
                                                         f". {label}: verbal warning (口头警告)"], kind)),
                   amount_fen=amount)
