"""The review of one computed month: its own checks, and the vendor exports' verdicts compared.

`payroll` runs it for its month and `validate` for every month the sign-ins hold, so
both see the same problems (issue 13 §6): the month checks of the rulebook (coverage,
days nobody punched, the award quota …) come with the MonthResult; the vendor
comparison is added here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cs_rules.problems import Problem
from cs_rules.rulebook import Rulebook

if TYPE_CHECKING:
    from cs_rules.engine.payroll import MonthResult
    from cs_rules.model.inputs import Dataset

# the problems that change money: payroll prints them in full before the table
MONEY_CODES = frozenset({"not_covered", "nobody_punched", "few_punched", "no_signins", "not_on_roster",
                         "unknown_person", "did_you_mean", "matched_by_name", "ambiguous_person", "vendor_disagrees",
                         "calendar_mismatch", "punch_order", "outside_employment", "award_quota", "weekly_rest",
                         "leave_merged"})


def month_review(data: Dataset, rules: Rulebook, res: MonthResult) -> list[Problem]:
    from cs_rules.review.reconcile import reconcile

    out = list(res.problems or [])
    if data.vendor:
        out += reconcile(data, rules, {res.month.label: res})
    return out
