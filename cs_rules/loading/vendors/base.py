"""The one interface every attendance-export reader implements, and what it returns.

An :class:`Adapter` knows one layout family (WeCom 日报, DingTalk's report workbook,
ZKTeco logs, a U-disk clock's workbook …).  It says whether a file is its kind from
the file's titles, sheet names and header cells only — never from the file name, which
HR renames at will — and reads the file into a :class:`VendorLoad`: every punch with the
row it came from, the export's own verdicts, leave, approvals, schedule and people.

The registry (:mod:`.registry`) holds the adapters in order and finishes each load the
same way: sign-in days are derived from the punches, the people list is completed, and
every frame gets the columns and dtypes below, so the rest of cs-rules never has to
know which layout a row came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cs_rules.problems import Problem

if TYPE_CHECKING:
    import pandas as pd

    from cs_rules.loading.sources import Source

# who a row is about: key_kind is employee_id (the export has the HR 工号), vendor_id (the
# person's number in the clock or app: UserId, 账号, 考勤号码 …) or name (nothing else)
WHO = ["key_kind", "key", "name", "vendor_id"]
WHERE = ["_file", "_sheet", "_row"]

PUNCH_COLUMNS = WHO + ["date", "secs", "kind", "note"] + WHERE
SIGNIN_COLUMNS = WHO + ["date", "sign_in", "sign_out"] + WHERE
LEAVE_COLUMNS = WHO + ["start_date", "end_date", "type", "half_day", "certificate", "approved"] + WHERE
# trips and outings use start_date..end_date (half_day for part of one day); approved
# corrections (补卡) use date and secs, with punch_kind in/out/"" and who approved them
APPROVAL_COLUMNS = WHO + ["kind", "start_date", "end_date", "half_day", "date", "secs", "punch_kind",
                          "reason", "approved_by"] + WHERE
VERDICT_COLUMNS = WHO + ["date", "late", "early", "missing", "absent", "text"] + WHERE
LABEL_COLUMNS = ["date", "label", "_row", "_column"]
SCHEDULE_COLUMNS = WHO + ["date", "shift", "start", "end", "rest"] + WHERE
PEOPLE_COLUMNS = WHO + ["departed", "dept"] + WHERE
ROSTER_COLUMNS = ["employee_id", "name", "grade", "hire_date", "vendor_id", "leave_date", "note"]

DTYPES = {
    "key_kind": "string", "key": "string", "name": "string", "vendor_id": "string",
    "text": "string", "type": "string", "label": "string", "kind": "string", "note": "string",
    "punch_kind": "string", "reason": "string", "approved_by": "string", "shift": "string",
    "dept": "string", "_file": "string", "_sheet": "string", "_column": "string",
    "date": "datetime64[ns]", "start_date": "datetime64[ns]", "end_date": "datetime64[ns]",
    "sign_in": "float64", "sign_out": "float64", "secs": "float64", "start": "float64",
    "end": "float64", "_row": "int64",
    "late": "bool", "early": "bool", "missing": "bool", "absent": "bool", "rest": "bool",
    "half_day": "bool", "certificate": "bool", "approved": "bool", "departed": "bool",
}


def _pd() -> Any:
    import pandas as pd

    return pd


def empty(columns: list[str]) -> pd.DataFrame:
    pd = _pd()
    return pd.DataFrame({c: pd.Series([], dtype=DTYPES.get(c, "object")) for c in columns})


def typed(df: pd.DataFrame | None, columns: list[str]) -> pd.DataFrame:
    """``df`` restricted to ``columns`` in order, with the dtypes the interface promises."""
    if df is None or len(df) == 0:
        return empty(columns)
    pd = _pd()
    out = df.reindex(columns=columns).reset_index(drop=True)
    for c in columns:
        want = DTYPES.get(c)
        if not want or str(out[c].dtype) == want:
            continue
        if want == "bool":
            out[c] = out[c].astype("boolean").fillna(False).astype(bool)
        elif want == "datetime64[ns]":
            out[c] = pd.to_datetime(out[c]).astype(want)
        elif want == "int64":
            out[c] = pd.to_numeric(out[c]).fillna(0).astype(want)
        else:
            out[c] = out[c].astype(want)
    return out


@dataclass
class VendorLoad:
    """Everything read from one attendance export.

    Every frame carries ``key_kind``, ``key``, ``name``, ``vendor_id`` (who) and
    ``_file``, ``_sheet``, ``_row`` (the row a spreadsheet shows; header row = 1).
    ``punches`` holds every punch the export counts (invalidated ones are left out and
    reported); ``signins`` is derived from it, one row per person-day.  ``period`` is
    the export's own coverage (its title's 统计日期), None when it does not say.
    ``people`` lists everyone the export names, also those without a punch, and flags
    those marked （离职）.
    """

    vendor: str
    label: str = ""
    file: str = ""
    period: tuple[dt.date, dt.date] | None = None
    punches: pd.DataFrame = field(default_factory=lambda: empty(PUNCH_COLUMNS))
    signins: pd.DataFrame = field(default_factory=lambda: empty(SIGNIN_COLUMNS))
    leave: pd.DataFrame = field(default_factory=lambda: empty(LEAVE_COLUMNS))
    approvals: pd.DataFrame = field(default_factory=lambda: empty(APPROVAL_COLUMNS))
    verdicts: pd.DataFrame = field(default_factory=lambda: empty(VERDICT_COLUMNS))
    day_labels: pd.DataFrame = field(default_factory=lambda: empty(LABEL_COLUMNS))
    schedule: pd.DataFrame = field(default_factory=lambda: empty(SCHEDULE_COLUMNS))
    people: pd.DataFrame = field(default_factory=lambda: empty(PEOPLE_COLUMNS))
    problems: list[Problem] = field(default_factory=list)
    # what was read, for the folder inventory ("原始记录; 打卡时间 cross-checked")
    parts: list[str] = field(default_factory=list)
    # how good a view each table came from (lower is better: a raw punch log beats a
    # summary), for exports of one vendor that come as several files of the same days
    ranks: dict[str, int] = field(default_factory=dict)


class Adapter:
    """One layout family.  Subclasses set ``name``, ``label`` and ``expects`` and
    implement :meth:`claims` and :meth:`read`.

    ``claims`` looks at titles, sheet names and header cells only (the first rows of
    each sheet: see :func:`.cells.heads`) and must be cheap — it runs for every sign-in
    file, canonical ones of a million rows included.  The registry calls it inside a
    guard, so a surprise in a file never stops loading.  ``read`` reports every
    difficulty as a :class:`Problem`; the registry turns an exception into one too.
    """

    name: str = ""
    label: str = ""
    expects: str = ""  # what the adapter recognises, for the "unknown layout" message

    def claims(self, src: Source) -> bool:  # pragma: no cover - every adapter overrides it
        raise NotImplementedError

    def read(self, src: Source) -> VendorLoad:  # pragma: no cover - every adapter overrides it
        raise NotImplementedError

    def new_load(self, src: Source) -> VendorLoad:
        return VendorLoad(self.name, self.label, src.display)
