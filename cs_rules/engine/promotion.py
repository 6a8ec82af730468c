"""`cs-rules promotion MONTH`: who may move up or down the grade ladder (篇5), from the evaluations on file.

Builds each person's standing (tenure, monthly evaluations and their department
ranks, quarterly reviews, awards) once, then runs the promotion and demotion rules
of the rulebook over it.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cs_rules.engine.calendar import build_calendar, make_month
from cs_rules.engine.grid import employment
from cs_rules.model.month import parse_month
from cs_rules.rulebook import Rulebook

if TYPE_CHECKING:
    import pandas as pd

    from cs_rules.model.inputs import Dataset
    from cs_rules.rules.promotion import Standing, Verdict

_QUARTER = re.compile(r"^\s*(\d{4})\s*(?:[-/ ]?\s*[Qq]\s*([1-4])|年\s*第?\s*([1-4一二三四])\s*季度?)\s*$")
_CN = {"一": "1", "二": "2", "三": "3", "四": "4"}


def quarter_label(text: Any) -> str | None:
    """``2024Q2``, ``2024-Q2``, ``2024 q2``, ``2024年第2季度``, ``2024年二季度`` → ``2024Q2``; else None."""
    m = _QUARTER.match(str(text)) if text is not None else None
    if not m:
        return None
    q = m.group(2) or _CN.get(m.group(3), m.group(3))
    return f"{m.group(1)}Q{q}"


@dataclass
class PromotionResult:
    month: str
    standing: Standing
    verdicts: list[list[Verdict]]  # per employee (standing order): the promotion step first, then demotions
    rules: Rulebook


def _months_back(year: int, month: int, n: int) -> list[str]:
    out = []
    y, m = year, month
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def _tenure(hire: pd.Series, end: dt.date) -> Any:
    """Whole months from the hire date to ``end`` (满 N 个月)."""
    import numpy as np

    h = hire.dt
    months = (end.year - h.year) * 12 + (end.month - h.month) - (h.day > end.day).astype(int)
    return np.maximum(months.fillna(0).to_numpy(dtype="int64"), 0)


def standing(data: Dataset, book: Rulebook, label: str) -> Standing:
    import numpy as np
    import pandas as pd

    from cs_rules.arrays import positions
    from cs_rules.rules.promotion import Standing

    year, mon = parse_month(label)
    month = make_month(build_calendar(data, book), year, mon)
    emp = employment(data.roster, month)
    emp = emp[emp["win_end"] == pd.Timestamp(month.last)].reset_index(drop=True)  # still employed at month end
    last_day = dt.date(year, mon, _cal.monthrange(year, mon)[1])
    emp = emp.assign(tenure_months=_tenure(emp["hire_date"], last_day))
    rules = book.at(month.first)
    span = max([12] + [int(e.params.get(k, 0)) for kind in ("promotion", "demotion") for e in rules.entries(kind)
                       for k in ("months", "window_months")])
    months = _months_back(year, mon, span)
    quarters = sorted({f"{m[:4]}Q{(int(m[5:]) - 1) // 3 + 1}" for m in months})
    q_of_m = [quarters.index(f"{m[:4]}Q{(int(m[5:]) - 1) // 3 + 1}") for m in months]
    n = len(emp)
    ids = emp["employee_id"]

    scores = np.full((n, len(months)), np.nan)
    perf = data.performance.dropna(subset=["employee_id", "month", "score"])
    perf = perf[perf["month"].isin(months)].drop_duplicates(["employee_id", "month"])
    who = positions(perf["employee_id"], ids)
    col = pd.Index(months).get_indexer(perf["month"])
    ok = (who >= 0) & (col >= 0)
    scores[who[ok], col[ok]] = perf["score"].to_numpy(dtype=float)[ok]
    # ranks among the people this review judges (篇5 §四.4H: reserve supervisors take no part)
    unranked = {str(e.params.get("grade")) for e in rules.entries("demotion") if e.handler == "not_reviewed"}
    ranked = ~emp["grade"].isin(unranked).to_numpy()
    scores[~ranked] = np.nan
    ranks = pd.DataFrame(scores).rank(ascending=False, method="min").to_numpy()

    reviews = np.full((n, len(quarters)), "", dtype=object)
    rv = data.reviews.dropna(subset=["employee_id", "quarter", "grade"]) if len(data.reviews) else data.reviews
    if len(rv):
        q = rv["quarter"].map(quarter_label)
        who = positions(rv["employee_id"], ids)
        col = pd.Index(quarters).get_indexer(q)
        ok = (who >= 0) & (col >= 0)
        reviews[who[ok], col[ok]] = rv["grade"].astype(str).str.strip().str.upper().to_numpy(dtype=object)[ok]

    counted = [e.code for e in rules.entries("award") if e.params.get("quota", True)]
    aw = data.awards.dropna(subset=["employee_id", "month", "award"]) if len(data.awards) else data.awards
    awards = np.zeros(n, dtype="int64")
    if len(aw):
        aw = aw[(aw["month"] <= label) & aw["award"].isin(counted)]
        who = positions(aw["employee_id"], ids)
        awards = np.bincount(who[who >= 0], minlength=n).astype("int64")
    return Standing(label, emp, months, scores, ranks, quarters, q_of_m, reviews, awards)


def compute_promotion(data: Dataset, book: Rulebook, label: str) -> PromotionResult:
    """Every employee's promotion step and demotion triggers for the month ``label``."""
    from cs_rules.rules import run

    year, mon = parse_month(label)
    rules = book.at(dt.date(year, mon, 1))
    s = standing(data, book, label)
    per: list[list[Verdict]] = [[] for _ in range(len(s.employees))]
    for kind in ("promotion", "demotion"):
        for _entry, found in run(kind, rules, s):
            for i, v in found.items():
                per[i].append(v)
    return PromotionResult(label, s, per, rules)
