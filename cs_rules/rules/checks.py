"""Checks of a whole month: warnings for HR that change no number (e.g. the award quota)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cs_rules.problems import Problem
from cs_rules.rules import rule

if TYPE_CHECKING:
    from cs_rules.rulebook import Entry, Rulebook
    from cs_rules.rules.base import PayInputs


@rule("check")
def award_quota(p: PayInputs, e: Entry, book: Rulebook) -> list[Problem]:
    """One award a month per ``per`` people of a team (篇2 §四.4); more is a warning naming the team.

    A team is the roster's ``team`` column when it has one, else the whole department.
    """
    import numpy as np
    import pandas as pd

    aw = p.awards
    if aw is None or not len(aw):
        return []
    aw = aw[aw["award"].isin([x.code for x in book.entries("award") if x.params.get("quota", True)])]
    emp = p.employees
    team = emp["team"] if "team" in emp else pd.Series("", index=emp.index)
    team = team.fillna("").astype(str)
    size = team.value_counts()
    who = dict(zip(emp["employee_id"].astype(str), team, strict=True))
    won = aw.assign(team=[who.get(str(x), "") for x in aw["employee_id"]])
    out: list[Problem] = []
    per = e.int("per")
    for name, grp in won.groupby("team", sort=True):
        people = int(size.get(name, 0))
        quota = max(1, int(np.floor(people / per)))
        if len(grp) <= quota:
            continue
        first = grp.iloc[quota]
        where = f"team {name}" if name else "the department"
        out.append(Problem(
            str(first["_file"]), int(first["_row"]), "award", "award_quota",
            f"{len(grp)} awards in {p.month.label} for {where} of {people} people: the quota is {quota} "
            f"(one per {per} people, {e.cite})",
            "check the awards file: the team lead nominates, the department head approves (篇2 §四.4)",
            "warning", str(first.get("_sheet", "") or "")))
    return out
