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


# a number column handed over whole (Numbers) writes the texts the per-cell objects wrote
WHOLE_OR_HALF = st.one_of(st.integers(min_value=-10**6, max_value=10**6),
                          st.integers(min_value=-2 * 10**6, max_value=2 * 10**6).map(lambda k: k / 2))


@given(st.lists(FEN, min_size=1, max_size=50))
def test_a_money_column_as_numbers_writes_the_fen_texts(fens: list[int]) -> None:
    import numpy as np

    from cs_rules.reports.workbook import Numbers

    col = Numbers(np.array(fens, dtype=np.int64), "fen")
    assert [col.text(v) for v in col.values.tolist()] == [_fen_xml(_Fen(f)) for f in fens]


@given(st.lists(WHOLE_OR_HALF, min_size=1, max_size=50))
def test_a_day_column_as_numbers_writes_whole_days_as_ints(days: list[float]) -> None:
    import numpy as np

    from cs_rules.reports.workbook import Numbers

    col = Numbers(np.array(days, dtype=float), "whole")
    before = [float(x) if float(x) != int(x) else int(x) for x in col.values]  # the per-cell objects
    assert [col.text(v) for v in col.values.tolist()] == [repr(v) for v in before]


def test_numbers_blank_and_slice() -> None:
    import numpy as np

    from cs_rules.reports.workbook import Numbers

    col = Numbers(np.array([100, 0, 250]), "fen", blank=np.array([False, True, False]))
    part = col[1:]
    assert len(part) == 2 and part.blank.tolist() == [True, False] and part.text(250) == "2.5"
    assert Numbers(np.array([8.5]), "float").text(10) == "10.0"
