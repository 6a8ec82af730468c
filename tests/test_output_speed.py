"""The Arrow CSV/TSV writer is only a shortcut for ``DataFrame.to_csv``: it must write the
same bytes, quote the same cells and neutralise the same formula-like text.

A 40,000-person payroll goes through it, and people open the result in Excel, so a
difference here is either a broken file or a formula that runs; these tests compare
the shortcut with the pandas path and with Python's csv module on the awkward cells.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from paths import GOLDEN

from cs_rules import api
from cs_rules.arrays import fen_text
from cs_rules.reports import output as out
from cs_rules.reports.output import delimited, delimited_frame, safe_cell
from cs_rules.reports.tables import NUMERIC_FIELDS, half_steps_text, payroll_frame

TRICKY = ["plain", "中文姓名", "a,b", 'say "hi"', "two\nlines", "cr\rinside", "tab\tinside", "=SUM(A1:A9)",
          "+86 138", "-12.50", "-", "@cmd", "\tlead", "\rlead", " -1 ", "+3", "=1", "", "'quoted", "a;b"]


def pandas_path(frame: pd.DataFrame, delimiter: str, numeric: set[str] | None = None) -> str:
    """The writer as it was before the shortcut, reached by declining the shortcut."""
    orig = out._delimited_arrow
    out._delimited_arrow = lambda *a, **k: None
    try:
        return delimited_frame(frame, delimiter, numeric=numeric or ())
    finally:
        out._delimited_arrow = orig


def csv_module(header: list[str], rows: list[list[Any]], delimiter: str, numeric: set[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow([safe_cell(h) for h in header])
    for r in rows:
        w.writerow(["" if v is None else (v if h in numeric else safe_cell(str(v))) for h, v in zip(header, r)])
    return buf.getvalue()


def frames(cells: list[Any]) -> dict[str, pd.DataFrame]:
    """One column of ``cells`` next to a plain one, in each column type the commands hand over."""
    other = [f"x{i}" for i in range(len(cells))]
    return {
        "object": pd.DataFrame({"cell": pd.Series(cells, dtype=object), "other": pd.Series(other, dtype=object)}),
        "str": pd.DataFrame({"cell": pd.Series(cells, dtype="str"), "other": other}),
        "string": pd.DataFrame({"cell": pd.Series(cells, dtype="string"), "other": other}),
        "arrow": pd.DataFrame({"cell": pd.Series(cells, dtype=pd.ArrowDtype(pa.string())), "other": other}),
    }


@pytest.mark.parametrize("delimiter", [",", "\t"])
@pytest.mark.parametrize("kind", ["object", "str", "string", "arrow"])
def test_tricky_text_cells_match_csv_module_and_pandas(kind: str, delimiter: str) -> None:
    """Quoting (delimiter, quote, newline) and the apostrophe before formulas, cell by cell."""
    f = frames(TRICKY)[kind]
    assert out._delimited_arrow(f, delimiter, set()) is not None  # the shortcut is really taken
    text = delimited_frame(f, delimiter)
    assert text == pandas_path(f, delimiter)
    assert text == csv_module(["cell", "other"], f.values.tolist(), delimiter, set())


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_numeric_columns_skip_the_formula_check_but_not_quoting(delimiter: str) -> None:
    """Negative money is a number, not a formula: "-12.50" is written as is in both kinds of column."""
    f = pd.DataFrame({"net_pay": pd.Series(["-12.50", "0.00", "1234.50", f"1{delimiter}5"], dtype="str"),
                      "name": ["-12.50", "=2+2", "张三", "ok"],
                      "days": np.array([1, -2, 0, 3], dtype="int64")})
    numeric = {"net_pay", "days"}
    text = delimited_frame(f, delimiter, numeric=numeric)
    assert text == pandas_path(f, delimiter, numeric)
    assert text == csv_module(list(f.columns), f.values.tolist(), delimiter, numeric)
    lines = text.split("\n")
    assert lines[1].startswith(f"-12.50{delimiter}-12.50{delimiter}1")
    assert f"{delimiter}'=2+2{delimiter}" in lines[2]


def test_missing_cells_are_empty() -> None:
    """None / NA / NaN never reach a file as "None", "nan" or "<NA>"."""
    f = pd.DataFrame({"a": pd.Series(["x", None, "=y"], dtype=object),
                      "b": pd.Series(["1.00", None, "2.00"], dtype="str"),
                      "c": pd.Series([None, "z", None], dtype="string")})
    text = delimited_frame(f, ",", numeric={"b"})
    assert text == pandas_path(f, ",", {"b"})
    assert text == "a,b,c\nx,1.00,\n,,z\n'=y,2.00,\n"


def test_header_goes_through_the_same_rules() -> None:
    f = pd.DataFrame({"=bad": ["1", "2"], "a,b": ["3", "4"], "plain": ["5", "6"]})
    assert delimited_frame(f, ",") == pandas_path(f, ",") == "'=bad,\"a,b\",plain\n1,3,5\n2,4,6\n"


def test_rows_with_mixed_objects_keep_their_old_spelling() -> None:
    """fines / score / audit hand over Python rows: numbers, None and text in one column."""
    header = ["date", "points", "note"]
    rows = [["2024-05-06", 1.5, None], ["2024-05-07", 2, "=x"], ["", -0.5, 'a "b", c'], [None, None, ""]]
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    assert delimited(rows, header, ",") == pandas_path(frame, ",")


def test_one_column_and_no_rows() -> None:
    """csv quotes a lone empty cell (""); an empty table is just its header."""
    one = pd.DataFrame({"a": ["", "x"]}, dtype=object)
    assert delimited_frame(one, ",") == pandas_path(one, ",") == 'a\n""\nx\n'
    none = pd.DataFrame({"a": pd.Series([], dtype=object), "b": pd.Series([], dtype="int64")})
    assert delimited_frame(none, ",") == pandas_path(none, ",") == "a,b\n"


def test_money_text_is_exact() -> None:
    fen = [0, 5, -5, 100, -1250, 123456, -99, 10**12 + 1]
    want = ["0.00", "0.05", "-0.05", "1.00", "-12.50", "1234.56", "-0.99", "10000000000.01"]
    assert fen_text(fen) == want
    assert list(fen_text(np.array(fen), as_array=True)) == want
    assert fen_text([-1250])[0] == "-12.50"


def test_half_steps_spell_like_str() -> None:
    v = [0.0, 23.0, 22.5, -0.5, -3.0, 0.25, 1e-7, 999999999999999.5]
    want = [str(int(x)) if x == int(x) else str(x) for x in v]
    got = list(half_steps_text(v))
    assert got == want
    assert pd.isna(list(half_steps_text([np.nan]))[0])


@pytest.mark.skipif(not GOLDEN.is_dir(), reason="golden fixture missing")
@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_payroll_csv_same_through_both_writers(delimiter: str) -> None:
    ctx = api.open_data(GOLDEN)
    f = payroll_frame(api.payroll(ctx, "2024-05"))
    fast = delimited_frame(f, delimiter, numeric=NUMERIC_FIELDS)
    assert out._delimited_arrow(f, delimiter, set(NUMERIC_FIELDS)) is not None
    assert fast == pandas_path(f, delimiter, set(NUMERIC_FIELDS))
