"""The vendor-verdict disagreements are found column-wise (review.reconcile._disagreements); they
are the warnings the row-by-row loop made: employees in first-seen order, days by date, the first
differing row as the location, at most eight days listed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cs_rules.problems import Problem
from cs_rules.review.reconcile import WORDS, _disagreements


def _row_by_row(j: pd.DataFrame) -> list[Problem]:
    problems = []
    for emp, grp in j.groupby("employee_id", sort=False):
        diffs = []
        first_row = None
        for r in grp.sort_values("date", kind="stable").itertuples():
            parts = []
            for k, word in WORDS.items():
                vv, oo = bool(getattr(r, f"{k}_v")), bool(getattr(r, f"{k}_o"))
                if vv != oo:
                    parts.append(f"{word}: vendor {'yes' if vv else 'no'} / cs-rules {'yes' if oo else 'no'}")
            if parts:
                first_row = first_row or r
                diffs.append(f"{r.date:%m-%d} ({'; '.join(parts)})")
        if diffs and first_row is not None:
            problems.append(Problem(
                str(first_row.src_file), int(first_row.src_row), "考勤结果", "vendor_disagrees",
                f"{emp} {first_row.name}: the export's verdict differs on {len(diffs)} day(s): "
                + ", ".join(diffs[:8]) + (" …" if len(diffs) > 8 else ""),
                "the vendor's rules (grace minutes, shift times) differ from the rulebook; "
                "cs-rules pays by the rulebook — check these days before paying", "warning",
                str(first_row.src_sheet)))
    return problems


def test_disagreements_match_the_row_by_row_loop() -> None:
    rng = np.random.default_rng(7)
    n = 3000
    emp = rng.choice([f"E{i:03d}" for i in range(60)], n)
    date = pd.Timestamp("2024-04-01") + pd.to_timedelta(rng.integers(0, 61, n), unit="D")
    j = pd.DataFrame({"employee_id": emp, "date": date, "name": [f"名{e}" for e in emp],
                      "src_file": "signin/钉钉.xlsx", "src_row": rng.integers(4, 9000, n),
                      "src_sheet": "原始记录"})
    for k in WORDS:
        j[f"{k}_v"] = rng.random(n) < 0.2
        j[f"{k}_o"] = rng.random(n) < 0.2
    j = j.drop_duplicates(["employee_id", "date"]).sample(frac=1, random_state=3).reset_index(drop=True)
    assert _disagreements(j) == _row_by_row(j)
    same = j.copy()
    for k in WORDS:
        same[f"{k}_o"] = same[f"{k}_v"]
    assert _disagreements(same) == [] == _row_by_row(same)
    assert _disagreements(j.iloc[0:0]) == []
