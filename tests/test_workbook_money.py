"""Money reaches the workbook's number cells from integer fen, never through a float
(RULEBOOK: money is exact). The text written must be what the float path wrote, so every
workbook stays byte for byte the same: repr(fen / 100) in cells, whole yuan without ".0" in
formula totals."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cs_rules.reports.workbook import _Fen, _fen_xml, _num

FEN = st.integers(min_value=-(10**13), max_value=10**13)


@given(FEN)
def test_cell_text_is_the_exact_yuan(fen: int) -> None:
    assert _fen_xml(fen) == repr(fen / 100)


@given(FEN)
def test_formula_value_text_is_as_before(fen: int) -> None:
    assert _num(_Fen(fen)) == _num(fen / 100)


def test_examples() -> None:
    assert [_fen_xml(f) for f in (220050, 220000, -5, 0, 7, -120000)] == \
        ["2200.5", "2200.0", "-0.05", "0.0", "0.07", "-1200.0"]
