"""Promotion and demotion (篇5 §四–五): each step's criteria, met or not, for each person, with its clause.

The monthly evaluation (月度考评) is the performance score; "月均前三名" is the
department rank of a person's average over the assessment period; the quarterly
review (季度考核) is reviews.csv.  The roster records no promotion date, so the
demotion triggers ("after promotion") are judged over the most recent months and
quarters, and each line says which ones it looked at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cs_rules.rules import rule

if TYPE_CHECKING:
    import pandas as pd

    from cs_rules.rulebook import Entry, Rulebook

GRADE_ORDER = {"S": 0, "A": 1, "B": 2, "C": 3, "D": 4, "E": 5}


@dataclass
class Criterion:
    what: str  # the condition, in words
    met: bool | None  # None: the data cannot tell (too few evaluations or reviews)
    detail: str  # what the data shows
    rule: str


@dataclass
class Verdict:
    code: str  # the catalogue entry
    kind: str  # promotion | demotion
    label: str
    to: str  # the grade it leads to ("" for dismissal or no change)
    criteria: list[Criterion] = field(default_factory=list)
    review: bool = False  # eligible means "due for HR's review", not promoted
    status: str = ""  # eligible | not_eligible | due_for_review | unknown | triggered | not_triggered | not_reviewed


@dataclass
class Standing:
    """Each person's record up to the month: the inputs every promotion rule reads.

    ``scores`` is employees × months (oldest first, the month last), NaN where no
    evaluation; ``ranks`` the department rank of each month's score (1 = best).
    ``reviews`` is employees × quarters (oldest first) of grade letters ("" none).
    """

    month: str
    employees: pd.DataFrame  # employee_id, name, grade, hire_date, tenure_months (the month's roster)
    months: list[str]
    scores: Any  # np.ndarray (n × len(months))
    ranks: Any
    quarters: list[str]  # quarters up to the month's, oldest first
    quarter_of_month: list[int]  # index into quarters of each of ``months``
    reviews: Any  # np.ndarray of str (n × len(quarters))
    awards: Any  # awards won up to the month, per employee


def _window(s: Standing, months: int) -> tuple[int, list[int]]:
    """(first month index, quarter indexes) of the last ``months`` months."""
    lo = max(0, len(s.months) - months)
    qs = sorted({s.quarter_of_month[j] for j in range(lo, len(s.months))})
    return lo, qs


def _avg_rank(s: Standing, lo: int) -> tuple[Any, Any, Any]:
    """(average evaluation, its department rank, months evaluated) over months ``lo``.. for everyone."""
    import numpy as np
    import pandas as pd

    window = s.scores[:, lo:]
    count = (~np.isnan(window)).sum(axis=1)
    with np.errstate(invalid="ignore"):
        avg = np.where(count > 0, np.nansum(window, axis=1) / np.maximum(count, 1), np.nan)
    rank = pd.Series(avg).rank(ascending=False, method="min").to_numpy()
    return avg, rank, count


def _mine(s: Standing, grade: str) -> Any:
    import numpy as np

    return np.flatnonzero(s.employees["grade"].to_numpy(dtype=object) == grade)


@rule("promotion")
def promote(s: Standing, e: Entry, book: Rulebook) -> dict[int, Verdict]:
    """The criteria of one step up the ladder (篇5 §四): tenure, the department rank of the average
    monthly evaluation over the assessment period, quarterly A grades, awards won."""
    p = e.params
    frm, months, top = str(p["from"]), int(p["months"]), int(p["top"])
    lo, qs = _window(s, months) if months else (len(s.months), [])
    avg, rank, count = _avg_rank(s, lo)
    out: dict[int, Verdict] = {}
    for i in _mine(s, frm):
        v = Verdict(e.code, "promotion", e.label("en"), e.code, review=bool(p.get("review", False)))
        c = v.criteria
        tenure = int(s.employees["tenure_months"].iloc[i])
        need = int(p["tenure_months"])
        if need:
            c.append(Criterion(f"employed at least {need} months", tenure >= need, f"{tenure} months", e.cite))
        if top:
            if count[i] < months:
                c.append(Criterion(f"average monthly evaluation over {months} months in the top {top}", None,
                                   f"{int(count[i])} of {months} months evaluated ({s.months[lo]}..{s.month})",
                                   e.cite))
            else:
                c.append(Criterion(f"average monthly evaluation over {months} months in the top {top}",
                                   bool(rank[i] <= top), f"average {avg[i]:.1f}, rank {int(rank[i])}", e.cite))
        if int(p["quarters_a"]):
            grades = [s.reviews[i, q] for q in qs]
            reviewed = [g for g in grades if g]
            n_a = int(p["quarters_a"])
            labels = ", ".join(f"{s.quarters[q]} {g or '—'}" for q, g in zip(qs, grades, strict=True))
            if p.get("consecutive"):
                run = best = 0
                for g in grades:
                    run = run + 1 if g == "A" else 0
                    best = max(best, run)
                met: bool | None = best >= n_a
                what = f"{n_a} consecutive quarterly reviews graded A"
            else:
                met = sum(g == "A" for g in grades) >= n_a
                what = f"{n_a} quarterly review(s) graded A"
            if not met and len(reviewed) < len(grades) and sum(g == "A" for g in grades) + \
                    (len(grades) - len(reviewed)) >= n_a:
                met = None  # missing reviews could still make it
            c.append(Criterion(f"{what} in the period", met, labels or "no quarter in the period", e.cite))
        if int(p["awards"]):
            n = int(s.awards[i])
            c.append(Criterion(f"won at least {int(p['awards'])} award(s)", n >= int(p["awards"]), f"{n} award(s)",
                               e.cite))
        if v.review:
            c.append(Criterion("the department's review (转正/答辩) decides", None, "not recorded here", e.cite))
        decided = [x.met for x in c if x.what != "the department's review (转正/答辩) decides"]
        if all(m is True for m in decided):
            v.status = "due_for_review" if v.review else "eligible"
        elif any(m is False for m in decided):
            v.status = "not_eligible"
        else:
            v.status = "unknown"
        out[int(i)] = v
    return out


@rule("demotion")
def failing_months(s: Standing, e: Entry, book: Rulebook) -> dict[int, Verdict]:
    """Consecutive monthly evaluations below the pass mark (篇5 §四.1G: three → may be dismissed)."""
    import numpy as np

    n, below = e.int("months"), e.num("below")
    last = s.scores[:, -n:] if n else s.scores[:, :0]
    out: dict[int, Verdict] = {}
    for i in _mine(s, str(e.params["grade"])):
        row = last[i]
        shown = ", ".join(f"{m} {'—' if np.isnan(x) else f'{x:g}'}" for m, x in zip(s.months[-n:], row, strict=True))
        met: bool | None = bool(len(row) == n and np.all(row < below))
        if not met and np.isnan(row).any() and np.all(row[~np.isnan(row)] < below):
            met = None
        v = Verdict(e.code, "demotion", e.label("en"), "", [Criterion(
            f"{n} consecutive monthly evaluations below {below:g}", met, shown, e.cite)])
        v.status = "triggered" if met else "not_triggered" if met is False else "unknown"
        out[int(i)] = v
    return out


@rule("demotion")
def demote(s: Standing, e: Entry, book: Rulebook) -> dict[int, Verdict]:
    """Any one trigger demotes (篇5 §四.2H, §四.3G): monthly evaluations outside the top N, quarterly
    reviews graded B, or one graded below B — in a row, or within a window."""
    import numpy as np

    p = e.params
    top, n_months = int(p["top"]), int(p["not_top_months"])
    out: dict[int, Verdict] = {}
    for i in _mine(s, str(p["grade"])):
        v = Verdict(e.code, "demotion", e.label("en"), str(p["to"]))
        ranks = s.ranks[i]
        if n_months:
            if p.get("consecutive_months"):
                last = ranks[-n_months:]
                met: bool | None = bool(len(last) == n_months and np.all(last > top))
                what = f"{n_months} consecutive monthly evaluations outside the top {top}"
                seen = s.months[-n_months:]
            else:
                w = int(p["window_months"]) or len(s.months)
                last = ranks[-w:]
                met = bool(np.sum(last > top) >= n_months)
                what = f"{n_months} monthly evaluations outside the top {top} within {w} months"
                seen = s.months[-w:]
            shown = ", ".join(f"{m} {'—' if np.isnan(r) else f'#{int(r)}'}" for m, r in zip(seen, last, strict=True))
            v.criteria.append(Criterion(what, met, shown, e.cite))
        grades = list(s.reviews[i])
        reviewed = [(q, g) for q, g in zip(s.quarters, grades, strict=True) if g]
        n_b = int(p["quarters_b"])
        if n_b:
            if p.get("consecutive_quarters"):
                last_q = reviewed[-n_b:]
                met = len(last_q) == n_b and all(g == "B" for _, g in last_q)
                what = f"{n_b} consecutive quarterly reviews graded B"
            else:
                w = int(p["window_quarters"]) or len(reviewed)
                last_q = reviewed[-w:]
                met = sum(g == "B" for _, g in last_q) >= n_b
                what = f"{n_b} quarterly reviews graded B within {w} quarters"
            v.criteria.append(Criterion(what, met, ", ".join(f"{q} {g}" for q, g in last_q) or "no review", e.cite))
        n_below = int(p["below_b"])
        if n_below:
            w = int(p["window_quarters"]) or 1
            last_q = reviewed[-w:]
            worse = sum(GRADE_ORDER.get(g, 9) > GRADE_ORDER["B"] for _, g in last_q)
            v.criteria.append(Criterion(f"{n_below} quarterly review(s) graded below B"
                                        + (f" within {w} quarters" if w > 1 else " (the latest)"),
                                        worse >= n_below, ", ".join(f"{q} {g}" for q, g in last_q) or "no review",
                                        e.cite))
        hit = [x.met for x in v.criteria]
        v.status = "triggered" if any(m is True for m in hit) else "not_triggered"
        out[int(i)] = v
    return out


@rule("demotion")
def not_reviewed(s: Standing, e: Entry, book: Rulebook) -> dict[int, Verdict]:
    """A grade this review does not judge (篇5 §四.4H: reserve supervisors)."""
    out: dict[int, Verdict] = {}
    for i in _mine(s, str(e.params["grade"])):
        out[int(i)] = Verdict(e.code, "demotion", e.label("en"), "", [], status="not_reviewed")
    return out
