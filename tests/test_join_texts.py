"""cells.join_texts joins each group's distinct texts column-wise; the result is the
per-group Python join it replaced (groups in first-seen order, texts in row order)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cs_rules.loading.vendors.cells import join_texts


def _per_group(df: pd.DataFrame, by: list[str], col: str, sep: str = "；") -> pd.Series:
    d = df.drop_duplicates(by + [col])
    g = d.groupby(by, sort=False)[col]
    out = g.first()
    many = g.size()
    many = many[many > 1]
    if len(many):
        multi = d.set_index(by).loc[many.index, col]
        joined = multi.groupby(level=list(range(len(by))), sort=False).agg(lambda s: sep.join(s))
        out.loc[joined.index] = joined
    return out


def test_join_texts_matches_the_per_group_join() -> None:
    rng = np.random.default_rng(11)
    n = 5000
    df = pd.DataFrame({
        "key_kind": pd.Series(rng.choice(["employee_id", "vendor_id"], n), dtype="string"),
        "key": pd.Series(rng.choice([f"E{i}" for i in range(300)], n), dtype="string"),
        "date": pd.Timestamp("2024-05-01") + pd.to_timedelta(rng.integers(0, 31, n), unit="D"),
        "result": pd.Series(rng.choice(["正常", "迟到", "早退", "缺卡", "补卡审批通过"], n, p=[.7, .1, .1, .05, .05]),
                            dtype="string"),
    })
    by = ["key_kind", "key", "date"]
    pd.testing.assert_series_equal(join_texts(df, by, "result"), _per_group(df, by, "result"))
    one = df.drop_duplicates(by)
    pd.testing.assert_series_equal(join_texts(one, by, "result"), _per_group(one, by, "result"))
    with_na = df.copy()
    with_na.loc[::97, "key"] = pd.NA
    pd.testing.assert_series_equal(join_texts(with_na, by, "result"), _per_group(with_na, by, "result"))
