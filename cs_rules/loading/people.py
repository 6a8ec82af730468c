"""Who a row is about: ids, names and vendor accounts matched against the roster."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cs_rules.problems import Problem

if TYPE_CHECKING:
    import pandas as pd

    from cs_rules.model.inputs import Dataset


def unknown_people(data: Dataset, frame: pd.DataFrame, known: pd.Index, what: str, sev: str) -> None:
    import numpy as np
    import pandas as pd

    if not len(frame):
        return
    ids = frame["employee_id"]
    codes, uniq = pd.factorize(ids)  # distinct ids first: cheap at 1M rows
    stranger = ~pd.Index(uniq.astype(object)).isin(known)  # object hashing: Arrow isin is slow here
    if not stranger.any():
        return
    unknown = pd.Series(np.isin(codes, np.flatnonzero(stranger)), index=ids.index)
    sub = frame.loc[unknown]
    for (file, emp), grp in sub.groupby(["_file", "employee_id"], sort=False):
        first = grp.iloc[0]
        more = f" (and {len(grp) - 1} more rows)" if len(grp) > 1 else ""
        data.problems.add(Problem(str(file), int(first["_row"]), "employee_id", "not_on_roster",
                                  f"{what} rows for '{emp}', who is not on the roster{more}",
                                  "add them to the roster, or correct the id; these rows are ignored",
                                  sev, str(first["_sheet"])))  # type: ignore[arg-type]

