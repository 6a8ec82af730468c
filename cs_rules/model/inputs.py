"""The inputs of a data folder as typed tables: what loading produces and the engine reads.

A plain container: loading fills it, checks append problems to it, and every
layer above reads it.  Each table keeps ``_file``, ``_sheet`` and ``_row`` (the row
a spreadsheet shows) so every money line and error can point back to its cell.

Times of day are seconds since midnight of the row's ``date`` (float, NaN when
missing).  A punch after midnight that belongs to the day before (night work, or
a vendor cell marked 次日) keeps that earlier ``date`` and a time of 86400 or more.
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
               "base_salary", "phone", "id_number", "vendor_id", "schedule"],
    # one row per employee-day: the first and last punch (sign-in sheets, or punches collapsed)
    "signins": ["employee_id", "name", "date", "sign_in", "sign_out"],
    # every single punch, where a source has them (raw punch logs, vendor exports): ``date`` is
    # the day the punch counts for, ``secs`` seconds since its midnight, ``kind`` in/out/"" as the
    # source says, ``note`` what the source printed beside it (外勤, 补卡, …)
    "punches": ["employee_id", "name", "date", "secs", "kind", "note"],
    "leave": ["employee_id", "start_date", "end_date", "type", "half_day", "certificate", "approved"],
    # approved absences from the post that are not leave: business trips (trip) and outings (outing),
    # from vendor exports; a day covered by one is attended
    "approvals": ["employee_id", "start_date", "end_date", "kind", "half_day"],
    # approved punch corrections (补卡): corrections.csv and vendor approvals
    "corrections": ["employee_id", "date", "secs", "kind", "reason", "approved_by"],
    # approved overtime (加班审批): overtime.csv, one row per person-day, hours
    "overtime": ["employee_id", "date", "hours", "approved", "note"],
    "violations": ["date", "employee_id", "code", "minutes", "points", "note"],
    "performance": ["employee_id", "month", "score"],
    "awards": ["employee_id", "month", "award"],
    "reviews": ["employee_id", "quarter", "grade"],
    "calendar": ["date", "type", "name"],
    # rota entries (shifts.csv): a shift name or "rest" for one person and day
    "shifts": ["employee_id", "date", "shift"],
    # a vendor export's own schedule per person-day (WeCom 班次, DingTalk 班次/考勤组)
    "vendor_schedule": ["employee_id", "date", "shift", "start", "end", "rest"],
}


def empty_table(columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns + ["_file", "_sheet", "_row"]})


def _table(kind: str) -> Any:
    return field(default_factory=lambda: empty_table(TYPED_COLUMNS[kind]))


@dataclass
class FileReport:
    """One line of the data folder's inventory: a file read (as what, how many rows) or not, and why.

    ``status`` is ``read``, ``failed`` (an input that could not be read: its error is in
    the problems) or ``not read`` (not an input; ``note`` says why).
    """

    path: str
    kind: str
    rows: int = 0
    status: str = "read"
    note: str = ""
    what: str = ""  # how people call what was read ("sign-in sheet", "dingtalk export")

    @property
    def read(self) -> bool:
        return self.status == "read"

    def line(self) -> str:
        """``read  signin/2024-05.csv  sign-in sheet, 123 rows`` or ``not read  notes.docx  (why)``."""
        if self.status == "read":
            what = self.what or self.kind
            rows = f", {self.rows:,} row{'s' if self.rows != 1 else ''}" if self.kind != "rules" else ""
            note = f" ({self.note})" if self.note and self.kind != "rules" else ""
            return f"read      {self.path}: {what}{rows}{note}"
        if self.status == "failed":
            return f"failed    {self.path}: {self.note}"
        return f"not read  {self.path}: {self.note}"


@dataclass
class Dataset:
    """Every input of a data folder as typed tables, plus every problem found."""

    root: Path | None
    roster: pd.DataFrame = _table("roster")
    signins: pd.DataFrame = _table("signins")
    punches: pd.DataFrame = _table("punches")
    leave: pd.DataFrame = _table("leave")
    approvals: pd.DataFrame = _table("approvals")
    corrections: pd.DataFrame = _table("corrections")
    overtime: pd.DataFrame = _table("overtime")
    violations: pd.DataFrame = _table("violations")
    performance: pd.DataFrame = _table("performance")
    awards: pd.DataFrame = _table("awards")
    reviews: pd.DataFrame = _table("reviews")
    calendar: pd.DataFrame = _table("calendar")
    shifts: pd.DataFrame = _table("shifts")
    vendor_schedule: pd.DataFrame = _table("vendor_schedule")
    problems: ProblemLog = field(default_factory=ProblemLog)
    files: list[FileReport] = field(default_factory=list)
    vendor: list[Any] = field(default_factory=list)  # what vendor adapters read, for reconciliation
    missing_inputs: list[str] = field(default_factory=list)  # optional inputs absent, and what that means
    # workbooks of more than one sheet (display names): a source in them is file[sheet]:row, as problems say it
    workbooks: set[str] = field(default_factory=set)

    def inventory(self) -> list[str]:
        """Every file looked at (read as what, or not read and why), then the optional inputs missing.

        validate prints it; payroll shows its first lines on a terminal, so a leave file
        saved under another name is never ignored without a word.
        """
        order = {"read": 0, "failed": 1, "not read": 2}
        lines = [f.line() for f in sorted(self.files, key=lambda f: order.get(f.status, 3))]
        return lines + [f"missing   {m}" for m in self.missing_inputs]


def empty_dataset(root: Path | None) -> Dataset:
    return Dataset(root)


def concat_tables(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Two typed tables of one kind as one (an empty side costs nothing)."""
    import pandas as pd

    if len(a) == 0:
        return b
    if len(b) == 0:
        return a
    for c in ("_file", "_sheet"):  # a file's name stays a code a row: both sides on the same categories
        if c in a and c in b and (isinstance(a[c].dtype, pd.CategoricalDtype)
                                  or isinstance(b[c].dtype, pd.CategoricalDtype)):
            ca, cb = a[c].astype("category"), b[c].astype("category")
            try:
                cats = ca.cat.categories.union(cb.cat.categories)
                a, b = a.assign(**{c: ca.cat.set_categories(cats)}), b.assign(**{c: cb.cat.set_categories(cats)})
            except TypeError:  # categories of other types: the texts, as concat gives them
                continue
    return pd.concat([a, b], ignore_index=True)
