"""Flags (RULEBOOK §6): what a payslip must show a person, never silent, applied to pay only by rule.

Each function returns a boolean per employee; the engine lists the set flags in
catalogue order, and ``reason`` puts each into words for one employee.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cs_rules.model.money import from_fen, money_text
from cs_rules.rules import rule

if TYPE_CHECKING:
    import numpy as np

    from cs_rules.rulebook import Entry, Rulebook
    from cs_rules.rules.base import PayInputs


@rule("flag")
def auto_resignation(p: PayInputs, e: Entry, book: Rulebook) -> np.ndarray:
    """Absent more than the limit in a month: the seed's automatic resignation (篇1 §五.6)."""
    return p.cols["absent_days"] > e.num("days")  # type: ignore[no-any-return]


@rule("flag")
def dismissal(p: PayInputs, e: Entry, book: Rulebook) -> np.ndarray:
    """More logged events of a laddered fine than the ladder has steps: dismissal (篇1 §五.2)."""
    import numpy as np

    fine = book.entry("fine", str(e.params["fine"]))
    emp = p.inputs.v_emp[p.inputs.entries(fine.code)]
    count = np.bincount(emp[emp >= 0], minlength=p.n)
    return count > len(fine.params["amounts"])  # type: ignore[no-any-return]


@rule("flag")
def notice_short(p: PayInputs, e: Entry, book: Rulebook) -> np.ndarray:
    """Leaving this month without notice, or with less than the days required (篇1 §五.7)."""
    import pandas as pd

    emp = p.employees
    first, last = pd.Timestamp(p.month.first), pd.Timestamp(p.month.last)
    leave_date, notice_date = emp["leave_date"], emp["notice_date"]
    leaving = (leave_date.notna() & (leave_date >= first) & (leave_date <= last)).to_numpy(dtype=bool)
    gap = (leave_date - notice_date).dt.days
    return leaving & (notice_date.isna() | (gap < e.int("days"))).to_numpy(dtype=bool)  # type: ignore[no-any-return]


@rule("flag")
def forfeiture(p: PayInputs, e: Entry, book: Rulebook) -> np.ndarray:
    """"No wage for the month" for any of its causes (篇1 §五.2/6/7); applied only with mode = "apply"."""
    import numpy as np

    out = np.zeros(p.n, dtype=bool)
    for cause in e.params["causes"]:
        out |= p.flags[cause]
    return out


@rule("flag")
def proration_capped(p: PayInputs, e: Entry, book: Rulebook) -> np.ndarray:
    """Prorated base pay above the base salary, capped (篇4 §三.2)."""
    return p.cols["proration_capped"]  # type: ignore[no-any-return]


@rule("flag")
def net_clamped(p: PayInputs, e: Entry, book: Rulebook) -> np.ndarray:
    """Deductions beyond the month's pay: net pay floored at 0 (RULEBOOK §5)."""
    return p.cols["net_before_floor_fen"] < 0  # type: ignore[no-any-return]


@rule("flag")
def no_performance_score(p: PayInputs, e: Entry, book: Rulebook) -> np.ndarray:
    """No performance score on file for the month: performance pay 0 (篇4 §四)."""
    import numpy as np

    return np.isnan(p.cols["performance_score"])  # type: ignore[no-any-return]


@rule("flag")
def sick_without_certificate(p: PayInputs, e: Entry, book: Rulebook) -> np.ndarray:
    """Consecutive sick days without a certificate were counted as personal leave (篇1 §五.4)."""
    return p.cols["sick_converted"]  # type: ignore[no-any-return]


def reason(row: Any, e: Entry, lang: str = "en") -> str:
    """Why flag ``e`` is set on the employee ``row`` (a row of the month's employees), in words."""
    import pandas as pd

    def d(v: Any) -> str:
        return v.strftime("%Y-%m-%d") if v is not None and not pd.isna(v) and hasattr(v, "strftime") else "—"

    net = int(row.get("net_before_floor_fen", row["net_pay_fen"]))
    return e.why(lang, absent=f"{float(row['absent_days']):g}", leave=d(row["leave_date"]),
                 notice=d(row["notice_date"]), net=money_text(from_fen(net)))
