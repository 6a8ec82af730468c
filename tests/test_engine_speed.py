"""The engine's vectorised joins and ledger assembly agree with the plain pandas way.

``day_grid`` and the ledgers join by integer keys, read file names run by run,
join text in Arrow and sort lines by one integer key (see the module
docstrings).  These tests pin each shortcut to what pandas would give, and the
assembled ledgers to the order and totals the reports rely on.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from engine_helpers import Folder, workdays

from cs_rules.arrays import cumcount, first_rows, gather, matches, positions, run_codes
from cs_rules.engine.ledger import LEDGER_COLUMNS, _sort_order

MAY = "2024-05"


# ---- helpers ------------------------------------------------------------------------------

@pytest.mark.parametrize("n_known", [3, 200])  # few ids per known id (hash the ids) and many (hash the known)
def test_positions_equal_an_index_lookup(n_known: int) -> None:
    rng = np.random.default_rng(1)
    known = pd.Series([f"E{i:04d}" for i in rng.permutation(n_known)], dtype="string")
    pool = [*known.tolist(), "X1", "X2", None]
    ids = pd.Series([pool[i] for i in rng.integers(0, len(pool), 50)], dtype="string")
    want = pd.Index(known.astype(object)).get_indexer(ids.astype(object).where(ids.notna(), None))
    assert positions(ids, known).tolist() == want.tolist()
    assert positions(ids.astype(object), known.astype(object)).tolist() == want.tolist()
    assert positions(ids.iloc[0:0], known).tolist() == []


@pytest.mark.parametrize("dtype", ["string", "category"])  # every row's _file is a categorical
def test_run_codes_equal_factorize_of_the_kept_rows(dtype: str) -> None:
    files = pd.Series(["b.csv"] * 3 + ["a.csv"] * 2 + [None] + ["b.csv"] * 2 + ["c.csv"] * 2 + ["a.csv"],
                      dtype="string").astype(dtype)
    keep = np.array([False, True, True, True, False, True, True, True, False, False, True])
    codes, cats = run_codes(files, keep)
    got = pd.Categorical.from_codes(codes, categories=cats)
    want_codes, want_cats = pd.factorize(files[keep])
    assert list(cats) == list(want_cats)  # c.csv only in dropped rows: not a category
    assert [None if pd.isna(x) else x for x in got[keep]] == \
        [None if c < 0 else want_cats[c] for c in want_codes]


def test_first_rows_and_matches_let_the_first_row_win() -> None:
    g_key = np.array([3, 5, 8, 40, 41])  # grid keys: increasing
    keys = np.array([8, -1, 5, 8, 99, 3, 5])
    assert first_rows(keys, g_key, 128).tolist() == [5, 2, 0, -1, -1]
    rows, src = matches(keys, g_key)
    assert rows.tolist() == [0, 1, 2] and src.tolist() == [5, 2, 0]
    assert [x.tolist() for x in matches(np.array([-1]), g_key)] == [[], []]
    assert gather(np.array([1.5, 2.5]), np.array([1, -1, 0]), np.nan).tolist()[::2] == [2.5, 1.5]
    assert gather(np.array([3, 4], dtype=np.int8), np.array([-1, 1]), -1).dtype == np.int8


def test_cumcount_and_sort_order_equal_pandas() -> None:
    rng = np.random.default_rng(2)
    keys = rng.integers(0, 5, 40)
    assert cumcount(keys).tolist() == pd.Series(keys).groupby(keys).cumcount().tolist()
    rank = rng.integers(0, 6, 200)
    day = np.datetime64("2024-05-01", "ns").astype("int64") + rng.integers(0, 31, 200) * 86_400 * 10**9
    order = rng.integers(0, 7, 200)
    want = np.lexsort((order, day, rank)).tolist()
    assert _sort_order(rank, day, order).tolist() == want
    assert _sort_order(rank, day + 3600 * 10**9 * (order % 2), order).tolist() == \
        np.lexsort((order, day + 3600 * 10**9 * (order % 2), rank)).tolist()  # not whole days: lexsort


# ---- assembled ledgers ------------------------------------------------------------------------

def _three_employees(tmp_path: Path) -> Folder:
    """E9, E10 and E2 (roster order is not id order), each late and early once; a chat for E9.

    E2 is also late on the 11th workday, whose row is given twice (a repeated day: a warning).
    """
    days = workdays(MAY)
    f = Folder(tmp_path)
    for k, emp in enumerate(["E9", "E10", "E2"]):
        f.employee(emp)
        late, early = str(days[3 + k]), str(days[5 + k])
        override = {late: ("09:25:00", "18:05:00"), early: ("08:55:00", "17:40:00")}
        if emp == "E2":
            override[str(days[10])] = ("09:20:00", "18:05:00")
        f.month_punches(emp, MAY, override=override)
        f.performance(emp, MAY, 85)
    f.punch("E2", days[10], "09:20:00", "18:05:00")
    f.violation(str(days[2]), "E9", "chatting")
    return f


def test_ledgers_run_by_employee_id_then_date_then_kind(tmp_path: Path) -> None:
    res = _three_employees(tmp_path).run(MAY)
    for ledger in (res.fines, res.score_items):
        assert list(ledger.columns) == LEDGER_COLUMNS
        key = list(zip(ledger["employee_id"].astype(str), ledger["date"], ledger["order"], strict=True))
        assert key == sorted(key)
    assert res.fines["employee_id"].astype(str).drop_duplicates().tolist() == ["E10", "E2", "E9"]
    e = res.employees.set_index("employee_id")
    totals = res.fines.groupby(res.fines["employee_id"].astype(str))["amount_fen"].sum()
    assert totals.to_dict() == {k: int(e.loc[k, "fines_fen"]) for k in totals.index}
    points = res.score_items.groupby(res.score_items["employee_id"].astype(str))["points"].sum()
    assert {k: 10 - v for k, v in points.items()} == {k: float(e.loc[k, "score"]) for k in points.index}


def test_late_early_counter_runs_through_the_month(tmp_path: Path) -> None:
    res = _three_employees(tmp_path).run(MAY)
    notes = res.fines[(res.fines["employee_id"] == "E2") & (res.fines["code"] == "late_early")]["note"].tolist()
    assert notes == ["1. 25 min late", "2. 20 min early", "3. 20 min late"]


def test_first_sign_in_row_of_a_day_is_the_source(tmp_path: Path) -> None:
    f = _three_employees(tmp_path)
    res = f.run(MAY)
    day = dt.datetime.combine(workdays(MAY)[10], dt.time())
    rows = [i + 2 for i, r in enumerate(f.signins) if r[0] == "E2" and r[1] == str(day.date())]
    assert len(rows) == 2
    g = res.grid[(res.grid["employee_id"] == "E2") & (res.grid["date"] == day)]
    assert int(g["punch_row"].iloc[0]) == rows[0] and g["sign_in"].iloc[0] == 9 * 3600 + 20 * 60
    for ledger in (res.fines, res.score_items):
        line = ledger[(ledger["employee_id"] == "E2") & (ledger["date"] == day)]
        assert line["source"].tolist() == [f"{g['punch_file'].iloc[0]}:{rows[0]}"]
