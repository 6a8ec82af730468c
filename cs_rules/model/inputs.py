"""The inputs of a data folder as typed tables: what loading produces and the engine reads.

A plain container: loading fills it, checks append problems to it, and every
layer above reads it.  Each table keeps ``_file``, ``_sheet`` and ``_row`` (the row
a spreadsheet shows) so every money line and error can point back to its cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cs_rules.problems import ProblemLog

if TYPE_CHECKING:
    import pandas as pd

TYPED_COLUMNS: dict[str, list[str]] = {
    "roster": ["employee_id", "name", "grade", "hire_date", "leave_date", "notice_date",
               "base_salary", "phone", "id_number", "vendor_id"],
    "signins": ["employee_id", "name", "date", "sign_in", "sign_out"],
    "leave": ["employee_id", "start_date", "end_date", "type", "half_day", "certificate", "approved"],
    "violations": ["date", "employee_id", "code", "minutes", "points", "note"],
    "performance": ["employee_id", "month", "score"],
    "awards": ["employee_id", "month", "award"],
    "calendar": ["date", "type", "name"],
}


@dataclass
class FileReport:
    """What validate says about one file."""

    path: str
    kind: str
    rows: int = 0


@dataclass
class Dataset:
    """Every input of a data folder as typed tables, plus every problem found."""

    root: Path | None
    roster: pd.DataFrame
    signins: pd.DataFrame
    leave: pd.DataFrame
    violations: pd.DataFrame
    performance: pd.DataFrame
    awards: pd.DataFrame
    calendar: pd.DataFrame
    problems: ProblemLog = field(default_factory=ProblemLog)
    files: list[FileReport] = field(default_factory=list)
    vendor: list[Any] = field(default_factory=list)  # what vendor adapters read, for reconciliation


def empty_table(columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns + ["_file", "_sheet", "_row"]})


def empty_dataset(root: Path | None) -> Dataset:
    return Dataset(root, *(empty_table(TYPED_COLUMNS[k]) for k in
                           ("roster", "signins", "leave", "violations", "performance", "awards", "calendar")))


def concat_tables(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Two typed tables of one kind as one (an empty side costs nothing)."""
    import pandas as pd

    if len(a) == 0:
        return b
    if len(b) == 0:
        return a
    return pd.concat([a, b], ignore_index=True)
