"""Exact money: Decimal for single amounts, integer fen (分) for whole columns.

Every money line is rounded half-up to 0.01 on its own (RULEBOOK.md).  Column
arithmetic runs on int64 fen with rational rounding, which is exact and agrees
with Decimal ROUND_HALF_UP to the fen (property-tested) — no float touches money.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

CENT = Decimal("0.01")


def r(amount: Decimal) -> Decimal:
    """Round one money line half-up to the fen."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def to_fen(amount: Decimal) -> int:
    return int(r(amount) * 100)


def from_fen(fen: int) -> Decimal:
    return (Decimal(int(fen)) / 100).quantize(CENT)


def money_text(amount: Decimal) -> str:
    return f"{r(amount):.2f}"


def prorate_fen(base_fen: Any, halves: Any, standard_days: Decimal) -> Any:
    """r(base × (halves / 2) / standard_days) in fen, element-wise and exact.

    ``base_fen`` and ``halves`` are int64 arrays (days counted in half days).  For a
    non-negative rational a/b, half-up rounding to an integer is (2a + b) // 2b.
    """
    import numpy as np

    sd = Fraction(standard_days)
    num = np.asarray(base_fen, dtype="int64") * np.asarray(halves, dtype="int64") * sd.denominator
    den = 2 * sd.numerator
    return (2 * num + den) // (2 * den)


def fraction_fen(base_fen: Any, num: Any, den: int) -> Any:
    """r(base × num / den) in fen for non-negative integers, element-wise."""
    import numpy as np

    a = np.asarray(base_fen, dtype="int64") * np.asarray(num, dtype="int64")
    return (2 * a + den) // (2 * den)
