"""What rule functions read and return: the month's arrays in, lines and per-employee amounts out.

The engine builds these once per month; every rule function is a few vector
operations over them.  Nothing here knows a particular rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cs_rules.arrays import arrow_text, cat_text, positions, source_text

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from cs_rules.model.month import Month
    from cs_rules.rulebook import Rulebook


@dataclass
class Lines:
    """Ledger lines of one rule.  Text fields: one ``str`` for every line, or an Arrow array."""

    emp: np.ndarray  # employee index (the grid's ``emp_idx``)
    date: np.ndarray  # datetime64
    order: Any  # the kind's place among a day's lines: one int, or one per line
    code: Any
    rule: Any
    source: Any
    note: Any
    amount_fen: Any = 0
    points: Any = 0.0


@dataclass
class GridDays:
    """The month's employee-workday arrays that status rules read and set (RULEBOOK §2).

    One element per grid row (employee, then workday).  Inputs are joined on by the
    engine; status rules fill ``attended``, ``absent``, ``leave_days``, the late/early/
    missing masks and minutes, in catalogue order.  ``rows`` are the grid rows with a
    leave request and the ``leave_*`` arrays hold those requests' merged values.
    """

    n: int
    ei: np.ndarray  # employee index
    wd: np.ndarray  # workday index into ``month.workdays``
    sign_in: np.ndarray  # seconds since midnight, NaN missing
    sign_out: np.ndarray
    starts: np.ndarray  # the day's start and end, seconds since midnight
    ends: np.ndarray
    rows: np.ndarray  # grid rows with leave
    leave_frac: np.ndarray  # per grid row: 1 full day, 0.5 half, 0 none
    approved: np.ndarray
    certificate: np.ndarray
    type_codes: np.ndarray  # leave type code per grid row (−1 none)
    leave_types: pd.Index
    violations: pd.DataFrame  # the whole violations log (rules pick their own codes)
    emp_ids: pd.Series  # the month's employee ids, position = employee index
    day0: int  # the month's first day, int64 ns
    g_key: np.ndarray  # per grid row: employee index × 32 + day of month (see arrays.grid_key)
    extra: dict[str, Any] = field(default_factory=dict)  # grid columns a rule adds (e.g. off-post sources)
    shift: Any = None  # per grid row: index into ``plan.shifts``
    plan: Any = None  # the month's engine.schedule.Plan
    away_frac: Any = None  # per grid row: the part of the day an approved trip or outing covers (0, 0.5, 1)
    away_kind: Any = None
    verdicts: Any = None  # the vendor exports' day verdicts (employee_id, date, late, early, missing, absent, text)
    attended: Any = None
    absent: Any = None
    leave_days: Any = None
    on_leave: Any = None
    missing_punch: Any = None
    late: Any = None
    early: Any = None
    late_minutes: Any = None
    early_minutes: Any = None
    sick_converted: Any = None

    @property
    def has_in(self) -> np.ndarray:
        import numpy as np

        return ~np.isnan(self.sign_in)  # type: ignore[no-any-return]

    @property
    def has_out(self) -> np.ndarray:
        import numpy as np

        return ~np.isnan(self.sign_out)  # type: ignore[no-any-return]

    @property
    def judged(self) -> np.ndarray:
        """Plain present days: late, early and missing are judged only there (RULEBOOK §2.2)."""
        import numpy as np

        away = self.away_frac > 0 if self.away_frac is not None else np.zeros(self.n, dtype=bool)
        return ~self.on_leave & ~away & (self.has_in | self.has_out)  # type: ignore[no-any-return]

    def per_row(self, attr: str, default: float) -> np.ndarray:
        """A shift setting (e.g. ``latest_start``) for every grid row; ``default`` where the shift has none.

        One value for every row (one department day, or every shift alike) comes back as a 0-d array,
        which broadcasts like the column it stands for: at 400,000 people a full column is 9 million
        floats (72 MB) written only to be read back as the same number."""
        import numpy as np

        if self.plan is None:  # one department day for everyone
            return np.array(default, dtype=float)
        values = np.array([default if getattr(s, attr) is None else getattr(s, attr) for s in self.plan.shifts],
                          dtype=float)
        if len(values) and (values == values[0]).all() or np.isnan(values).all():  # one value for every row
            return np.array(values[0] if len(values) else default, dtype=float)
        return values[self.shift]  # type: ignore[no-any-return]


@dataclass
class LedgerInputs:
    """What ledger lines refer to, read once for every ledger rule: the grid's employees,
    its late and early rows with their sources, and the month's violations."""

    g: pd.DataFrame  # the month's grid; its ``employee_id`` categories, in ``emp_idx`` order, are the employees
    ids: Any  # Arrow text of the employee ids; position = the grid's ``emp_idx``
    rank: np.ndarray  # each employee's place in id order: ledgers list lines by id text
    emp_idx: np.ndarray  # grid columns
    dates: np.ndarray
    late: np.ndarray  # grid rows late / leaving early
    early: np.ndarray
    v_emp: np.ndarray  # violations: employee index, date, code, source and note, one per entry
    v_date: np.ndarray
    v_code: np.ndarray
    v_src: Any
    v_note: Any
    v_points: np.ndarray
    _punch: Any = None  # (late or early grid rows, their sign-in sources), made on first use

    @classmethod
    def of(cls, g: pd.DataFrame, v: pd.DataFrame) -> LedgerInputs:
        """``g``: the month's grid; ``v``: the month's violations, sorted by employee, date and row."""
        import numpy as np
        import pyarrow.compute as pc

        ids = arrow_text(g["employee_id"].dtype.categories)
        rank = np.empty(len(ids), dtype="int64")
        rank[np.asarray(pc.array_sort_indices(ids))] = np.arange(len(ids))
        if not len(v):
            v = v.reindex(columns=["employee_id", "date", "code", "_file", "_row", "note", "points"])
        return cls(g, ids, rank, g["emp_idx"].to_numpy(), g["date"].to_numpy(),
                   np.flatnonzero(g["late"].to_numpy()), np.flatnonzero(g["early"].to_numpy()),
                   positions(v["employee_id"], ids), v["date"].to_numpy(dtype="datetime64[ns]"),
                   v["code"].to_numpy(dtype=object), source_text(arrow_text(v["_file"]), v["_row"]),
                   pc.fill_null(arrow_text(v["note"]), ""), v["points"].fillna(0).to_numpy(dtype=float))

    def source(self, rows: np.ndarray, file: str, row: str) -> Any:
        """"file:row" sources of grid ``rows`` from a file and a row column of the grid."""
        return source_text(cat_text(self.g[file], rows), self.g[row].to_numpy()[rows])

    def punch_source(self, rows: np.ndarray) -> Any:
        """Sign-in sources of late or early ``rows``: several ledgers list them, so they are made once."""
        import numpy as np
        import pyarrow as pa

        if self._punch is None:
            both = np.flatnonzero(self.g["late"].to_numpy() | self.g["early"].to_numpy())
            self._punch = both, self.source(both, "punch_file", "punch_row")
        both, text = self._punch
        return text.take(pa.array(np.searchsorted(both, rows)))

    def shift_note(self, rows: np.ndarray) -> Any:
        """" (night 20:00–08:00)" after a late or early minute measured against a shift other than
        the department's seasonal day (issue 14: explain names the shift); "" on that day, so the
        ledgers of a department without schedules read as before."""
        import numpy as np

        from cs_rules.arrays import pick_text

        if not len(rows) or "shift" not in self.g:
            return pick_text([""], np.zeros(len(rows), dtype="int64"))
        sh = self.g["shift"].array
        code = np.asarray(sh.codes)[rows].astype("int64")
        plain = sh.categories.get_loc("default") if "default" in sh.categories else -1
        other = np.flatnonzero(code != plain)
        if not len(other):  # everyone on the department's day: nothing to add (the common case, at once)
            return pick_text([""], np.zeros(len(rows), dtype="int64"))
        # a shift other than the seasonal default has the same times every day: one text per shift
        uniq, first, which = np.unique(code, return_index=True, return_inverse=True)
        start = self.g["day_start"].to_numpy()[rows[first]]
        end = self.g["day_end"].to_numpy()[rows[first]]

        def hhmm(sec: float) -> str:
            return f"{int(sec) // 3600 % 24:02d}:{int(sec) % 3600 // 60:02d}"

        texts = ["" if c < 0 or sh.categories[c] == "default" else
                 f" ({str(sh.categories[c]).removeprefix('vendor:')} {hhmm(a)}–{hhmm(b)})"
                 for c, a, b in zip(uniq.astype("int64"), start, end, strict=True)]
        return pick_text(texts, np.asarray(which).reshape(-1))

    def grid_lines(self, rows: np.ndarray, order: Any, code: Any, rule: Any, source: Any, note: Any,
                   **value: Any) -> Lines:
        """Ledger lines for the grid ``rows``."""
        return Lines(self.emp_idx[rows], self.dates[rows], order, code, rule, source, note, **value)

    def entries(self, *codes: str) -> np.ndarray:
        """Positions of the violations with one of ``codes``, in order."""
        import numpy as np

        return np.flatnonzero(np.isin(self.v_code, list(codes)))

    def lines(self, rows: np.ndarray, order: int, code: Any, rule: Any, note: Any, **value: Any) -> Lines:
        """Ledger lines for the violations at ``rows``; ``note`` defaults to the entry's own."""
        import pyarrow as pa

        return Lines(self.v_emp[rows], self.v_date[rows], order, code, rule, self.v_src.take(pa.array(rows)),
                     self.v_note.take(pa.array(rows)) if note is None else note, **value)


@dataclass
class PayInputs:
    """Per-employee arrays pay and flag rules read (index = the month's employee index).

    ``cols`` holds the month's counts and totals (workdays, attended_days, absent_days,
    leave days by type, base_fen, fines_fen, score, performance score …) and grows as
    pay lines are computed; ``lines`` holds the pay lines so far, by code.
    """

    book: Rulebook
    month: Month
    employees: pd.DataFrame  # the roster rows employed in the month, with win_start/win_end/full_month
    grid: pd.DataFrame
    ledgers: dict[str, pd.DataFrame]  # fines, rewards, score
    inputs: LedgerInputs
    cols: dict[str, Any]
    lines: dict[str, PayLine] = field(default_factory=dict)
    flags: dict[str, np.ndarray] = field(default_factory=dict)
    awards: pd.DataFrame | None = None  # the month's award rows (for the month checks)
    periods: list[Any] = field(default_factory=list)  # (file, first day, last day) each sign-in source covers
    covered_through: Any = None  # a date the clerk states the sources are complete to (--covered-through)
    overtime: Any = None  # the month's approved overtime rows (engine.overtime.Overtime)
    plan: Any = None  # each employee's shift per day (engine.schedule.Plan)
    signins: Any = None  # every sign-in row of the folder (the month checks pick the month's)

    @property
    def n(self) -> int:
        return len(self.employees)


@dataclass
class PayLine:
    """One line of every payslip: signed fen per employee (positive adds to the net pay).

    ``note(i)`` and ``source(i)`` explain the line for employee ``i`` in words; they are
    called only for the payslips that are shown, so a 40,000-person month never builds
    40,000 notes.
    """

    code: str
    amount_fen: np.ndarray
    note: Callable[[int, str], str] = field(default=lambda i, lang: "")
    source: Callable[[int], str] = field(default=lambda i: "")
    shown: Callable[[int], bool] | None = None  # when to show a zero line (default: when non-zero)
