"""The daily record (`cs-rules attendance`): one row per person-day of the month, as the engine judged it.

It is the 每日统计 a clerk holds against the clock, so it must say exactly what payroll
counted, not a second opinion: every workday's status comes from the month's grid
(:func:`cs_rules.engine.payroll.compute_month`), and only the days the grid leaves out
(rest days, holidays) and the days without data are added here.  Payroll counts can be
read back from it: per person, ``late_minutes > 0`` days are the late count,
``early_minutes > 0`` the early-leave count, the sum of ``absent_days`` the absent days.

Status of a workday, first match wins:

* ``no_data`` — outside every sign-in source's period and not stated complete
  (``--covered-through``): the very days payroll refuses to pay (checks.coverage), shown
  instead of refused, because a clerk looks mid-month precisely to see what is there;
* ``leave`` — approved leave covers the whole day;
* ``absent`` — the grid counts 旷工 on it, whole or half (``absent_days`` 1 or 0.5): no punch,
  unapproved leave, a half-day leave whose other half has no punch, off post too long;
* ``leave`` — a half-day leave whose other half was attended (late and early are not judged then);
* otherwise what applies of ``late``, ``early``, ``missing`` joined by ``;`` in that order
  (``late;early``, ``late;missing``), else ``present``.

Rest and holiday days are ``rest``; their punches are still shown (the "rest day worked"
report).  Times are the day's own clock: a punch that belongs to the day before's night
shift carries ``(次日)``; an approved correction ``(补卡)``; other notes the export printed
(外勤) likewise.  ``punches`` are minutes (HH:MM) as the sheets show them; ``sign_in`` and
``sign_out`` are the seconds the day was judged on (HH:MM:SS), corrections included.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cs_rules.arrays import DAY_NS, arrow_text, gather, grid_key, ns, positions, str_array

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from cs_rules.engine.payroll import MonthResult
    from cs_rules.model.inputs import Dataset

COLUMNS = ["employee_id", "name", "date", "day_type", "shift", "punches", "sign_in", "sign_out", "status",
           "late_minutes", "early_minutes", "absent_days", "leave", "vendor_verdict", "source", "overtime_hours"]
NUMERIC = ("late_minutes", "early_minutes", "absent_days", "overtime_hours")
# late + 2·early + 4·missing → the judged status of a present day
_JUDGED = ["present", "late", "early", "late;early", "missing", "late;missing", "early;missing",
           "late;early;missing"]
_LEAVE, _ABSENT, _REST, _NO_DATA = 8, 9, 10, 11
STATUSES = [*_JUDGED, "leave", "absent", "rest", "no_data"]
NEXT_DAY, CORRECTED = "(次日)", "(补卡)"


def attendance_frame(res: MonthResult, data: Dataset, covered_through: dt.date | None = None,
                     root: Path | None = None, employee: str | None = None) -> pd.DataFrame:
    """The daily record of ``res``'s month (columns :data:`COLUMNS`), rows by roster order then date.

    Every step is a whole-column operation keyed by ``employee × 32 + day`` like the grid's,
    so a 40,000-person month (1.2M person-days) costs about as much as the grid itself.
    ``employee`` (an id of the month) keeps that person's days only, before any text is built.
    """
    import numpy as np
    import pandas as pd

    from cs_rules.engine.grid import employment
    from cs_rules.engine.payroll import source_periods, vendor_verdicts
    from cs_rules.rules.checks import covered_days

    month, g = res.month, res.grid
    emp = employment(data.roster, month)  # the grid's employees, in the grid's order
    n_e, n_d = len(emp), len(month.days)
    day0 = int(ns([np.datetime64(month.first, "D")])[0])
    last = int(ns([np.datetime64(month.last, "D")])[0])
    lo = (ns(emp["win_start"]) - day0) // DAY_NS
    hi = (ns(emp["win_end"]) - day0) // DAY_NS
    day = np.arange(n_d)
    inside = (day[None, :] >= lo[:, None]) & (day[None, :] <= hi[:, None])
    if employee is not None:
        inside &= (emp["employee_id"].to_numpy(dtype=object) == employee)[:, None]
    ei, dd = np.nonzero(inside)
    n = len(ei)
    key = ei * 32 + dd  # increasing: rows run by employee, then day
    dense = np.full(max(n_e, 1) * 32, -1, dtype="int64")
    dense[key] = np.arange(n)

    # the grid's workdays onto the person-days (every grid row is one, unless filtered out)
    g_key = g["emp_idx"].to_numpy() * 32 + g["wd_idx"].to_numpy()
    g_at = dense[g_key]
    keep = np.flatnonzero(g_at >= 0)
    at = g_at[keep]  # person-day row of each kept grid row
    work = np.zeros(n, dtype=bool)
    work[at] = True

    def grid_col(col: str, fill: Any, dtype: Any = None) -> np.ndarray:
        values = g[col].to_numpy()[keep]
        out = np.full(n, fill, dtype=dtype or values.dtype)
        out[at] = values
        return out

    # day type: the person's own schedule decides workdays; national holiday blocks are holidays
    holiday = np.array([d.source == "holiday" for d in month.days], dtype=bool)
    day_type = np.where(work, 0, np.where(holiday[dd], 2, 1))

    # sign-in rows (rest days are not in the grid: their row is found here)
    s = data.signins
    s_key = grid_key(positions(s["employee_id"], emp["employee_id"]), s["date"], day0, day0, last)
    s_row = _first_of(dense, s_key, n)
    raw_in = gather(s["sign_in"].to_numpy(dtype=float), s_row, np.nan)
    raw_out = gather(s["sign_out"].to_numpy(dtype=float), s_row, np.nan)
    sign_in = np.where(work, grid_col("sign_in", np.nan, float), raw_in)
    sign_out = np.where(work, grid_col("sign_out", np.nan, float), raw_out)
    corrected = grid_col("corrected", 0, "int8")

    # statuses
    late, early = grid_col("late", False, bool), grid_col("early", False, bool)
    missing = grid_col("missing_punch", False, bool)
    absent = grid_col("absent", 0.0, float)
    leave_frac = grid_col("leave_frac", 0.0, float)
    leave_days = grid_col("leave_days", 0.0, float)
    approved = grid_col("approved", True, bool)
    covered = np.ones(n, dtype=bool)
    if len(keep):
        covered[at] = np.asarray(covered_days(g, source_periods(data), covered_through), dtype=bool)[keep]
    status = late.astype("int64") + 2 * early + 4 * missing
    status = np.where(leave_days > 0, _LEAVE, status)
    status = np.where(absent > 0, _ABSENT, status)
    status = np.where((leave_frac >= 1) & approved & (leave_days > 0), _LEAVE, status)
    status = np.where(~covered, _NO_DATA, status)
    status = np.where(work, status, _REST)
    no_data = status == _NO_DATA
    absent_days = np.where(no_data, 0.0, absent)

    # the text columns, Arrow-backed: built by takes from a few distinct texts
    shift_cat = g["shift"].array
    shift_code = np.full(n, len(shift_cat.categories), dtype="int64")  # "" on rest days
    shift_code[at] = np.asarray(shift_cat.codes, dtype="int64")[keep]
    frame = pd.DataFrame({
        "employee_id": _take(arrow_text(emp["employee_id"]), ei),
        "name": _take(arrow_text(emp["name"]), ei),
        "date": _take([d.date.isoformat() for d in month.days], dd),
        "day_type": _take(["workday", "rest", "holiday"], day_type),
        "shift": _take([*map(str, shift_cat.categories), ""], shift_code),
        "punches": _punches(data, emp, dense, n, day0, last, work, sign_in, sign_out, corrected, g),
        "sign_in": clock_text(sign_in, seconds=True),
        "sign_out": clock_text(sign_out, seconds=True),
        "status": _take(STATUSES, status),
        "late_minutes": np.where(work & ~no_data, grid_col("late_minutes", 0, "int64"), 0),
        "early_minutes": np.where(work & ~no_data, grid_col("early_minutes", 0, "int64"), 0),
        "absent_days": absent_days,
        "leave": _leave_text(g, keep, at, n, data),
        "vendor_verdict": _verdicts(vendor_verdicts(data), emp, dense, n, day0, last),
        "source": _sources(g, keep, at, n, s, s_row, status, root, data),
        "overtime_hours": _overtime_hours(data, emp, dense, n, day0, last),
    })
    return frame


def _overtime_hours(data: Dataset, emp: pd.DataFrame, dense: np.ndarray, n: int, day0: int, last: int
                    ) -> np.ndarray:
    """Approved overtime hours of each person-day (overtime.csv, 劳动法 第44条); 0 elsewhere."""
    import numpy as np

    out = np.zeros(n)
    o = data.overtime
    if not len(o):
        return out
    o = o[o["approved"].to_numpy(dtype=bool)]
    key = grid_key(positions(o["employee_id"], emp["employee_id"]), o["date"], day0, day0, last)
    row = np.where(key >= 0, dense[np.maximum(key, 0)], -1)
    ok = row >= 0
    np.add.at(out, row[ok], o["hours"].to_numpy(dtype=float)[ok])
    return out


def _take(texts: Any, codes: np.ndarray) -> Any:
    """``texts[codes[i]]`` as an Arrow-backed ``str`` column ("" for missing texts)."""
    import pyarrow as pa

    table = texts if isinstance(texts, (pa.Array, pa.ChunkedArray)) else pa.array(list(texts), pa.large_string())
    return str_array(table.take(pa.array(codes)).fill_null("").cast(pa.large_string()))


def _first_of(dense: np.ndarray, keys: np.ndarray, n: int) -> np.ndarray:
    """For each person-day, the first row of a table whose key (employee × 32 + day) it has (−1: none)."""
    import numpy as np

    out = np.full(n, -1, dtype="int64")
    ok = np.flatnonzero(keys >= 0)
    rows = dense[keys[ok]]
    hit = rows >= 0
    rows, src = rows[hit][::-1], ok[hit][::-1]
    out[rows] = src  # written last to first: the first row wins
    return out


def clock_text(secs: Any, seconds: bool = False) -> Any:
    """Seconds since the day's midnight as ``HH:MM`` (or ``HH:MM:SS``), ``(次日)`` past midnight; "" if missing.

    One take from a table of every clock text: a month of a large company is millions of times."""
    import numpy as np
    import pyarrow as pa

    x = np.asarray(secs, dtype=float)
    missing = np.isnan(x)
    v = np.where(missing, 0, np.clip(x, 0, 2 * 86400 - 1)).astype("int64")
    at = v if seconds else v // 60
    return str_array(_clock_table(seconds).take(pa.array(at, mask=missing)).fill_null(""))


@functools.lru_cache(maxsize=2)
def _clock_table(seconds: bool) -> Any:
    """Every clock text of two days (the second one marked 次日), by second or by minute."""
    import pyarrow as pa

    if seconds:
        day = [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]
    else:
        day = [f"{h:02d}:{m:02d}" for h in range(24) for m in range(60)]
    return pa.array(day + [t + NEXT_DAY for t in day], type=pa.large_string())


def _punches(data: Dataset, emp: pd.DataFrame, dense: np.ndarray, n: int, day0: int, last: int,
             work: np.ndarray, sign_in: np.ndarray, sign_out: np.ndarray, corrected: np.ndarray,
             g: pd.DataFrame) -> Any:
    """Every punch of each person-day, in time order, ``;``-joined.

    A punch inside a night shift's window is shown on the night it belongs to, as the grid
    judged it (:func:`cs_rules.engine.grid.night_rows`), the next morning's marked 次日.

    Where a source kept every punch (raw punch logs, vendor exports: ``data.punches``) those
    are shown; elsewhere the sign-in sheet's pair.  Approved corrections (补卡) join them,
    marked, unless the export already shows that punch."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from cs_rules.model.shifts import night_rows

    p = data.punches
    p_key = np.zeros(0, dtype="int64")
    p_secs = np.zeros(0)
    if len(p):
        pos = positions(p["employee_id"], emp["employee_id"])
        p_day = (ns(p["date"]) - day0) // DAY_NS
        p_secs = p["secs"].to_numpy(dtype=float)
        g_dd = g["wd_idx"].to_numpy()
        ends = g["day_end"].to_numpy(dtype=float)
        nr = night_rows(pos, p_day * 86400 + p_secs, g["emp_idx"].to_numpy(), g_dd, ends > 86400,
                        g["day_start"].to_numpy(dtype=float), ends)
        moved = nr >= 0
        p_secs = np.where(moved, p_secs + (p_day - g_dd[np.maximum(nr, 0)]) * 86400, p_secs)
        p_day = np.where(moved, g_dd[np.maximum(nr, 0)], p_day)
        n_d = (last - day0) // DAY_NS + 1
        p_key = np.where((pos >= 0) & (p_day >= 0) & (p_day < n_d), pos * 32 + p_day, -1)
    p_row = np.where(p_key >= 0, dense[np.maximum(p_key, 0)], -1)
    ok = (p_row >= 0) & ~np.isnan(p_secs)
    p_row, p_secs = p_row[ok], p_secs[ok]
    notes = arrow_text(p["note"]).filter(pa.array(ok)) if len(p) else pa.array([], pa.large_string())
    has_all = np.zeros(n, dtype=bool)
    has_all[p_row] = True

    # sign-in sheet pairs where no source kept the punches; a corrected half is shown as the correction
    rows_in = np.flatnonzero(~has_all & ~np.isnan(sign_in) & ~(work & (corrected & 1).astype(bool)))
    rows_out = np.flatnonzero(~has_all & ~np.isnan(sign_out) & ~(work & (corrected & 2).astype(bool)))

    c = data.corrections
    c_rows = np.zeros(0, dtype="int64")
    c_secs = np.zeros(0)
    if len(c):
        c = c.dropna(subset=["employee_id", "date", "secs"])
        ck = grid_key(positions(c["employee_id"], emp["employee_id"]), c["date"], day0, day0, last)
        c_rows = np.where(ck >= 0, dense[np.maximum(ck, 0)], -1)
        c_secs = c["secs"].to_numpy(dtype=float)
        keep = c_rows >= 0
        c_rows, c_secs = c_rows[keep], c_secs[keep]
        # a correction the export lists among its punches is that punch, marked
        pk = p_row * 2 * 86400 + p_secs.astype("int64")
        ck = c_rows * 2 * 86400 + c_secs.astype("int64")
        hit = np.isin(pk, ck)
        if hit.any():
            notes = pc.if_else(pa.array(hit), pa.scalar("补卡", pa.large_string()), notes)
        fresh = ~np.isin(ck, pk)
        c_rows, c_secs = c_rows[fresh], c_secs[fresh]

    text = pa.large_string()
    note_txt = pc.if_else(pc.fill_null(pc.greater(pc.utf8_length(pc.fill_null(notes, "")), 0), False),
                          pc.binary_join_element_wise(pa.scalar("(", text), pc.fill_null(notes, ""),
                                                      pa.scalar(")", text), pa.scalar("", text)),
                          pa.scalar("", text))
    rows = np.concatenate([p_row, rows_in, rows_out, c_rows])
    secs = np.concatenate([p_secs, sign_in[rows_in], sign_out[rows_out], c_secs])
    suffix = pa.concat_arrays([note_txt.cast(text), pa.nulls(len(rows_in) + len(rows_out), text).fill_null(""),
                               pa.array(np.full(len(c_rows), CORRECTED, dtype=object), type=text)])
    # one int64 sort key; its runs (each source, in person-day order) make the stable sort a merge
    order = np.argsort(rows * (2 * 86400) + np.clip(secs, 0, 2 * 86400 - 1).astype("int64"), kind="stable")
    times = pc.binary_join_element_wise(pa.array(clock_text(secs[order])), suffix.take(pa.array(order)),
                                        pa.scalar("", text))
    offsets = np.searchsorted(rows[order], np.arange(n + 1)).astype("int64")
    lists = pa.LargeListArray.from_arrays(pa.array(offsets), times.cast(text))
    return str_array(pc.binary_join(lists, pa.scalar(";", text)).cast(text))


def _leave_text(g: pd.DataFrame, keep: np.ndarray, at: np.ndarray, n: int, data: Dataset) -> Any:
    """The leave of each person-day: type, `` 0.5`` for a half day; sick leave paid as personal and
    unapproved leave say so, with the type the request gave."""
    import numpy as np
    import pandas as pd

    frac = g["leave_frac"].to_numpy()[keep]
    rows = np.flatnonzero(frac > 0)
    code = np.zeros(n, dtype="int64")
    if not len(rows):
        return _take([""], code)
    sub = g.iloc[keep[rows]]
    asked = pd.DataFrame({"_file": sub["leave_file"].astype(object).to_numpy(),
                          "_row": sub["leave_row"].to_numpy()})
    lv = data.leave[["_file", "_row", "type"]].astype({"_file": object, "_row": float})
    asked = asked.merge(lv.drop_duplicates(["_file", "_row"]), on=["_file", "_row"], how="left")
    typ = asked["type"].astype(object).where(asked["type"].notna(), "").to_numpy()
    counted = sub["leave_type"].astype(object).to_numpy()
    half = np.where(frac[rows] < 1, " 0.5", "")
    approved = sub["approved"].to_numpy(dtype=bool)
    conv = sub["sick_converted"].to_numpy(dtype=bool)
    text = [f"{c}{h} ({t} without certificate)" if v else f"{c}{h}" if a else f"{t}{h} (not approved)"
            for c, t, h, a, v in zip(counted, typ, half, approved, conv, strict=True)]
    code[at[rows]] = np.arange(1, len(rows) + 1)
    return _take(["", *text], code)


def _verdicts(v: pd.DataFrame | None, emp: pd.DataFrame, dense: np.ndarray, n: int, day0: int, last: int) -> Any:
    """The export's own verdict text of each person-day (迟到30分钟, 正常（请假）…); "" where none."""
    import numpy as np
    import pyarrow as pa

    if v is None or not len(v):
        return _take([""], np.zeros(n, dtype="int64"))
    v = v.dropna(subset=["date"])
    k = grid_key(positions(v["employee_id"], emp["employee_id"]), v["date"], day0, day0, last)
    first = _first_of(dense, k, n)
    return str_array(arrow_text(v["text"]).take(pa.array(first, mask=first < 0)).fill_null(""))


def _sources(g: pd.DataFrame, keep: np.ndarray, at: np.ndarray, n: int, s: pd.DataFrame, s_row: np.ndarray,
             status: np.ndarray, root: Path | None, data: Dataset | None = None) -> Any:
    """``file:row`` explaining each person-day: the leave request on a leave day (and on a day leave made
    absent), the off-post entry on a day it made absent, else the sign-in row, else the correction.
    In a workbook of several sheets (a DingTalk export of four reports) it is ``file[sheet]:row``, as
    problems name a place.

    Files are few: each source is a code into one list of file names, and the text is built once."""
    import numpy as np
    import pyarrow as pa

    from cs_rules.arrays import run_codes, source_text

    names: list[str] = []

    def codes_of(cats: Any) -> np.ndarray:
        """Positions in ``names`` of ``cats``, added as needed (−1 appended for missing codes)."""
        out = []
        for c in cats:
            if c not in names:
                names.append(c)
            out.append(names.index(c))
        return np.array([*out, -1], dtype="int64")

    file, row = np.full(n, -1, dtype="int64"), np.full(n, np.nan)
    tab = np.zeros(n, dtype="int8")  # the table of the source: 1 sign-ins, 2 corrections, 3 violations, 4 leave
    s_codes, s_files = run_codes(s["_file"], np.ones(len(s), dtype=bool))
    has = s_row >= 0
    file[has] = codes_of(s_files)[s_codes[s_row[has]]]
    row[has] = s["_row"].to_numpy(dtype=float)[s_row[has]]
    tab[has] = 1
    for fcol, rcol, when, t in (("correction_file", "correction_row", ~has, 2),
                                ("punch_file", "punch_row", None, 1),
                                ("off_post_file", "off_post_row", status == _ABSENT, 3),
                                ("leave_file", "leave_row", (status == _ABSENT) | (status == _LEAVE), 4)):
        if fcol not in g or not len(keep):
            continue
        cat = g[fcol].array
        f = np.full(n, -1, dtype="int64")
        f[at] = codes_of(list(cat.categories))[np.asarray(cat.codes, dtype="int64")[keep]]
        r = np.full(n, np.nan)
        r[at] = g[rcol].to_numpy(dtype=float)[keep]
        use = (f >= 0) & ~np.isnan(r)
        if when is not None:
            use &= when
        file[use], row[use], tab[use] = f[use], r[use], t
    ok = (file >= 0) & ~np.isnan(row)
    shown = pa.array([_relative(str(x), root) for x in names] or [""], type=pa.large_string())
    files = shown.take(pa.array(np.where(ok, file, 0), mask=~ok))
    workbooks = data.workbooks & set(map(str, names)) if data is not None else set()
    if workbooks and data is not None:
        import pyarrow.compute as pc

        from cs_rules.arrays import join_text

        sheet = _sheets_of(names, workbooks, file, row, tab, ok, s, s_row,
                           {2: data.corrections, 3: data.violations, 4: data.leave})
        files = pc.coalesce(join_text(files, "[", pa.array(sheet, type=pa.large_string()), "]"), files)
    text = source_text(files, np.where(ok, row, np.nan))
    return str_array(text)


def _sheets_of(names: list[str], workbooks: set[str], file: np.ndarray, row: np.ndarray, tab: np.ndarray,
               ok: np.ndarray, s: pd.DataFrame, s_row: np.ndarray, tables: dict[int, pd.DataFrame]) -> np.ndarray:
    """The sheet of each person-day's source when its file is a workbook of several sheets, else None:
    a sign-in row's own sheet, else the sheet of that file and row in the source's table."""
    import numpy as np

    in_wb = np.array([str(x) in workbooks for x in names] + [False], dtype=bool)
    want = ok & in_wb[np.where(ok, file, len(names))]
    sheet = np.full(len(file), None, dtype=object)
    exact = want & (tab == 1) & (s_row >= 0) & ("_sheet" in s)
    if exact.any():
        sheet[exact] = s["_sheet"].to_numpy(dtype=object)[s_row[exact]]
    for t, frame in ((1, s), *tables.items()):
        m = want & (tab == t) & ~exact
        if not m.any() or frame is None or not len(frame) or "_sheet" not in frame:
            continue
        f = frame[frame["_file"].isin(list(workbooks))].drop_duplicates(["_file", "_row"])
        lookup = {(str(a), int(b)): c for a, b, c in zip(f["_file"], f["_row"], f["_sheet"], strict=True)}
        idx = np.flatnonzero(m)
        sheet[idx] = [lookup.get((str(names[file[i]]), int(row[i]))) for i in idx]
    idx = np.flatnonzero(want)  # an empty or missing sheet names nothing
    sheet[idx[[not (isinstance(x, str) and x) for x in sheet[idx]]]] = None
    return sheet


def _relative(file: str, root: Path | None) -> str:
    """A source file as seen from the data folder (``signin/2024-05.csv``), so the record reads the
    same wherever the command was run; files outside the folder keep their path."""
    if root is None:
        return file
    try:
        rel = os.path.relpath(Path(file).resolve(), Path(root).resolve())
    except (OSError, ValueError):
        return file
    return file if rel.startswith("..") else rel
