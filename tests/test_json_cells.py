"""`payroll --format json` is built from Arrow text per column (arrays.json_cells); every cell must
be byte for byte what the json module writes, which the record-by-record path used to produce."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from cs_rules.arrays import json_cells


def _dumps(values: list) -> list[str]:
    return [json.dumps(v, ensure_ascii=False) for v in values]


def test_floats_are_written_as_repr_including_the_odd_ones() -> None:
    values = [21.0, 0.5, 1 / 3, 1e-05, 0.0001, 1e15, 1e16, 123456789.125, -0.0, 0.0, -3.0, 2.5e-07,
              float("nan"), float("inf"), -float("inf"), 0.1 + 0.2, 9007199254740993.0, 1.7976931348623157e308]
    assert json_cells(pd.Series(values, dtype="float64")).to_pylist() == _dumps(values)


def test_ints_and_text() -> None:
    ints = [0, -1, 23, 2**62]
    assert json_cells(pd.Series(ints, dtype="int64")).to_pylist() == _dumps(ints)
    text = ["宋秀", 'say "hi"', "back\\slash", "tab\there", "line\nbreak", "\x01", "\u2028", ""]
    for col in (pd.Series(text, dtype=object), pd.Series(text, dtype="str")):
        assert json_cells(col).to_pylist() == _dumps(text)
    assert json_cells(pd.Series(["a", None], dtype=object)).to_pylist() == ['"a"', "null"]


def test_columns_it_does_not_cover_are_left_to_the_json_module() -> None:
    assert json_cells(pd.Series(["a", float("nan")], dtype=object)) is None  # json writes NaN
    assert json_cells(pd.Series(["a", None], dtype="str")) is None
    assert json_cells(pd.Series([True, False])) is None
    assert json_cells(pd.Series([[1], []], dtype=object)) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=30))
def test_any_float_is_written_as_json_writes_it(values: list[float]) -> None:
    assert json_cells(pd.Series(np.array(values, dtype="float64"))).to_pylist() == _dumps(values)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=20))
def test_any_text_is_written_as_json_writes_it(values: list[str]) -> None:
    assert json_cells(pd.Series(values, dtype=object)).to_pylist() == _dumps(values)
