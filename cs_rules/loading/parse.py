"""Vectorised parsers for the cell values HR exports contain.

Each parser takes a whole column (object dtype: strings from CSV, or the typed
values a spreadsheet cell holds) and returns ``(values, bad)`` where ``bad`` is
a boolean mask of cells that held something but could not be read.  Missing
cells (empty, ``-``, ``--``) are NA and never bad.  Fast paths use pandas' C
parsers on the common shape; the regex fallback only sees the leftovers.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

MISSING = {"", "-", "--", "—", "nan", "NaN", "None", "null", "NULL", "NaT"}

_DATE_RE = (r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
            r"(?:[\sT]+(?:星期|周|週|礼拜|禮拜)?[一二三四五六日天]?)?"
            r"(?:[\sT]*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*"
            r"(?:星期[一二三四五六日天]|周[一二三四五六日天]|週[一二三四五六日天])?\s*$")
_TIME_RE = r"^\s*(\d{1,2})\s*[:：]\s*(\d{2})(?:\s*[:：]\s*(\d{2})(?:\.\d+)?)?\s*$"
_MONTH_RE = r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$"

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# Dates a payroll can mean.  Outside these years a cell is a typo (``0024/5/6``) and is
# reported as a bad date; it also keeps every date inside pandas' nanosecond range.
YEAR_MIN, YEAR_MAX = 1900, 2200
FIRST_SECS = int((dt.datetime(YEAR_MIN, 1, 1) - dt.datetime(1970, 1, 1)).total_seconds())
END_SECS = int((dt.datetime(YEAR_MAX + 1, 1, 1) - dt.datetime(1970, 1, 1)).total_seconds())
LAST_SERIAL = (dt.datetime(YEAR_MAX + 1, 1, 1) - EXCEL_EPOCH).days - 1


def _pd():  # lazy import keeps `cs-rules --help` fast
    import pandas as pd

    return pd


def clean(series: pd.Series) -> pd.Series:
    """Column with strings stripped and every 'missing' spelling as NA.

    String-typed columns (CSV) take a fully vectorised path; object columns
    (spreadsheet cells: str, datetime, time, numbers) keep their typed values.
    """
    pd = _pd()
    if series.dtype != object:
        return clean_text(series)
    if bool(series.isna().all()):  # an absent optional column
        return series
    s = series.where(series.notna(), None)
    if _pd().api.types.infer_dtype(s, skipna=True) == "string":  # only text cells (a sheet's names, ids)
        is_str = s.notna()
    else:
        is_str = s.map(lambda v: isinstance(v, str))
    if bool(is_str.any()):
        stripped = s[is_str].astype(str).str.strip()
        s = s.copy()
        s[is_str] = stripped
        missing = is_str & s.isin(MISSING)
    else:
        missing = is_str
    return s.where(~(missing | s.isna()), pd.NA)


def _arrow_strings(text: pd.Series) -> Any:
    """The column as a pyarrow string array (zero-copy for Arrow-backed strings)."""
    import pyarrow as pa

    try:
        return pa.array(text.array if hasattr(text.array, "__arrow_array__") else text.astype(object),
                        type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return pa.array([None if v is None or v is _pd().NA else str(v) for v in text], type=pa.string())


def _fast_strptime(text: pd.Series, fmt: str) -> pd.Series:
    """pyarrow's C++ strptime over a whole column: NaT where the format does not fit."""
    values, _missing, ok = _arrow_parse(text, fmt)
    return _pd().Series(_dates_with_nat(values, ok), index=text.index)


def repeated_text(value: str, n: int) -> Any:
    """One text ``n`` times, as a categorical column: one code a row, the text once.

    Every row of a file carries the file's name (and sheet); as a ``str`` column that was the
    name's bytes on every row (~400 MB of a 400,000-person month of sign-ins); as a category it is
    one byte a row, and pandas concatenates and groups it as text."""
    import numpy as np

    pd = _pd()
    return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=pd.Index([value], dtype="str"))


def clean_text(series: pd.Series) -> pd.Series:
    """String column, stripped, with every 'missing' spelling as NA."""
    pd = _pd()
    s = series.astype("string").str.strip()
    return s.where(~s.isin(MISSING), pd.NA)


def _typed_mask(s: pd.Series, types: tuple[type, ...]) -> pd.Series:
    return s.map(lambda v: isinstance(v, types))


def _strptime(arr: Any, fmt: str) -> tuple[Any, Any]:
    """(seconds since the epoch as float, parsed mask) for an Arrow string array.

    Arrow's strptime rolls impossible days over (``2024-02-30`` becomes 1 March), so a
    cell only counts when the day it names is the day parsed; and only years a payroll
    can mean count (YEAR_MIN..YEAR_MAX).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    ts = pc.strptime(arr, format=fmt, unit="s", error_is_null=True)
    values = pc.cast(ts, pa.int64()).to_numpy(zero_copy_only=False).astype("float64")  # nulls → NaN
    ok = pc.is_valid(ts).to_numpy(zero_copy_only=False) & (values >= FIRST_SECS) & (values < END_SECS)
    if "%S" in fmt and ok.any():  # Arrow takes second 60 and 61 (leap seconds) and rolls them over
        sec = pc.struct_field(pc.extract_regex(arr, r"(?P<s>\d{1,2})(?:\.\d*)?\s*$"), [0])
        fits = pc.less(pc.cast(sec, pa.int64()), 60)
        ok &= pc.fill_null(fits, False).to_numpy(zero_copy_only=False)
    if "%d" in fmt and ok.any():  # every date form here has the day as its third number
        named = pc.struct_field(pc.extract_regex(arr, r"^\D*\d+\D+\d+\D+(?P<d>\d+)"), [0])
        same = pc.equal(pc.cast(named, pa.int64()), pc.cast(pc.day(ts), pa.int64()))
        ok &= pc.fill_null(same, False).to_numpy(zero_copy_only=False)
    return values, ok


def _arrow_parse(series: pd.Series, fmt: str) -> tuple[Any, Any, Any]:
    """Text column → (seconds since the epoch as float, missing mask, parsed mask), all in Arrow C++."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = _arrow_strings(series)
    values, ok = _strptime(arr, fmt)
    missing = np.zeros(len(arr), dtype=bool)
    failed = np.flatnonzero(~ok)
    if len(failed):  # only the cells that did not parse: blanks, '--', padded text
        sub = pc.utf8_trim_whitespace(arr.take(pa.array(failed)))
        gone = pc.or_(pc.is_null(sub), pc.is_in(sub, value_set=pa.array(sorted(MISSING), type=pa.string())))
        missing[failed] = gone.to_numpy(zero_copy_only=False)
        again_values, fixed = _strptime(sub, fmt)
        values[failed[fixed]] = again_values[fixed]
        ok[failed[fixed]] = True
    return values, missing, ok


# Other forms exports use, tried in Arrow on the cells the first format missed.  Arrow's
# strptime is more lenient than the regex parsers (a two-digit year, second 60), so a cell
# only counts when it also has the shape the regex parser would accept.
DATE_FORMATS = ("%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")
DATE_SHAPE = r"^\s*\d{4}(/\d{1,2}/\d{1,2}|\.\d{1,2}\.\d{1,2}|年\d{1,2}月\d{1,2}日)\s*$"
TIME_FORMATS = ("%H:%M",)
TIME_SHAPE = r"^\s*([01]?\d|2[0-3]):[0-5]\d\s*$"


def _alternates(series: pd.Series, values: Any, ok: Any, missing: Any, formats: tuple[str, ...],
                shape: str) -> None:
    """Fill ``values``/``ok`` in place for cells in one of ``formats`` (a whole month of
    ``2024/5/6`` dates stays in Arrow instead of a per-cell regex)."""
    import numpy as np
    import pyarrow.compute as pc

    left = np.flatnonzero(~missing & ~ok)
    if not len(left):
        return
    sub = series.iloc[left]
    fits = pc.match_substring_regex(_arrow_strings(sub), shape).to_numpy(zero_copy_only=False)
    fits = np.asarray(fits, dtype=object) == True  # noqa: E712 - nulls are not a fit
    left, sub = left[fits], sub[fits]
    for fmt in formats:
        if not len(left):
            return
        v, _m, got = _arrow_parse(sub, fmt)
        values[left[got]] = v[got]
        ok[left[got]] = True
        left, sub = left[~got], sub[~got]


def _with_fallback(series: pd.Series, fmt: str, slow: Any, to_out: Any, formats: tuple[str, ...] = (),
                   shape: str = "") -> tuple[pd.Series, pd.Series]:
    """Fast Arrow parse of a text column; only cells in no known form take the ``slow`` path."""
    import numpy as np

    pd = _pd()
    values, missing, ok = _arrow_parse(series, fmt)
    if formats:
        _alternates(series, values, ok, missing, formats, shape)
    out = to_out(values, ok)
    left = ~missing & ~ok
    bad = np.zeros(len(series), dtype=bool)
    if left.any():
        sub_out, sub_bad = slow(series[left].astype(object))
        out[left] = sub_out.to_numpy()
        bad[left] = sub_bad.to_numpy()
    return pd.Series(out, index=series.index), pd.Series(bad, index=series.index)


def _arrow_typed(series: pd.Series, kind: str) -> Any:
    """The column's Arrow array when the CSV reader already parsed it as ``kind`` (date/time)."""
    import pyarrow as pa

    pa_type = getattr(series.dtype, "pyarrow_dtype", None)
    if pa_type is None:
        return None
    if (kind == "date" and pa.types.is_date(pa_type)) or (kind == "time" and pa.types.is_time(pa_type)):
        return series.array.__arrow_array__()
    return None


def parse_dates(series: pd.Series, epoch: dt.datetime = EXCEL_EPOCH) -> tuple[pd.Series, pd.Series]:
    """Dates (normalised to midnight) from the forms DATA.md lists.

    ``epoch`` is day 0 of the workbook's serial numbers: a 1904-system workbook
    (old Mac Excel) counts from 1904-01-01, and its plain-number dates would
    otherwise come out four years early.
    """
    arr = _arrow_typed(series, "date")
    if arr is not None:  # parsed by the typed CSV reader: every cell is a date or empty
        import pyarrow as pa

        pd = _pd()
        values = arr.cast(pa.timestamp("ns")).to_numpy(zero_copy_only=False)
        # a new array of ours: pandas 3 would copy it (copy=None copies an ndarray), 72 MB at 400,000 people
        return pd.Series(values, index=series.index, copy=False), pd.Series(False, index=series.index)
    if series.dtype != object:  # CSV text: the common ISO form in one Arrow pass
        return _with_fallback(series, "%Y-%m-%d", _parse_dates_any, _dates_with_nat, DATE_FORMATS, DATE_SHAPE)
    return _parse_dates_any(series, epoch)


def _dates_with_nat(values: Any, ok: Any) -> Any:
    import numpy as np

    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    out[ok] = values[ok].astype("int64").astype("datetime64[s]").astype("datetime64[ns]")
    return out


def _parse_dates_any(series: pd.Series, epoch: dt.datetime = EXCEL_EPOCH) -> tuple[pd.Series, pd.Series]:
    pd = _pd()
    s = clean(series)
    present = s.notna()
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    if not bool(present.any()):
        return out, present & False
    typed = _typed_mask(s, (dt.date, dt.datetime, pd.Timestamp)) if s.dtype == object else None
    if typed is not None and bool(typed.any()):
        in_range = typed & s.map(lambda v: isinstance(v, (dt.date, dt.datetime, pd.Timestamp))
                                 and YEAR_MIN <= v.year <= YEAR_MAX)
        if bool(in_range.any()):
            out[in_range] = pd.to_datetime(s[in_range].map(lambda v: dt.datetime(v.year, v.month, v.day)))
    numeric = _typed_mask(s, (int, float)) & ~_typed_mask(s, (bool,)) if s.dtype == object else None
    if numeric is not None and bool(numeric.any()):  # Excel serial day numbers
        nums = pd.to_numeric(s[numeric], errors="coerce")
        last = (dt.datetime(YEAR_MAX + 1, 1, 1) - epoch).days - 1
        ok = nums.between(1, last)
        out[nums[ok].index] = (pd.Timestamp(epoch) + pd.to_timedelta(nums[ok].astype("int64"), unit="D"))
    rest = present & out.isna()
    if typed is not None:
        rest &= ~typed
    if numeric is not None:
        rest &= ~numeric
    if bool(rest.any()):
        text = s[rest].astype("string")
        fast = _fast_strptime(text, "%Y-%m-%d")
        out[fast.notna()[lambda m: m].index] = fast.dropna()
        left = text[fast.isna()]
        if len(left):
            parts = left.str.extract(_DATE_RE)
            y, m, d = (pd.to_numeric(parts[i], errors="coerce") for i in (0, 1, 2))
            frame = pd.DataFrame({"year": y, "month": m, "day": d})
            frame = frame[y.between(YEAR_MIN, YEAR_MAX)]
            got = pd.to_datetime(frame.dropna(), errors="coerce")
            out[got.index] = got
    bad = present & out.isna()
    return out.dt.normalize(), bad


EPOCH_1900 = 2208988800  # seconds from 1900-01-01 (strptime's date for a bare time) to 1970-01-01


def parse_times(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Seconds since midnight (float, NaN = missing) from ``09:03``, ``09:03:27`` or time cells."""
    arr = _arrow_typed(series, "time")
    if arr is not None:  # parsed by the typed CSV reader
        import pyarrow as pa

        pd = _pd()
        values = arr.cast(pa.int32()).to_numpy(zero_copy_only=False).astype("float64")
        return pd.Series(values, index=series.index, copy=False), pd.Series(False, index=series.index)
    if series.dtype != object:  # CSV text: HH:MM:SS in one Arrow pass
        import numpy as np

        def to_secs(values: Any, ok: Any) -> Any:
            return np.where(ok, values + EPOCH_1900, np.nan)

        return _with_fallback(series, "%H:%M:%S", _parse_times_any, to_secs, TIME_FORMATS, TIME_SHAPE)
    return _parse_times_any(series)


def _parse_times_any(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    pd = _pd()
    s = clean(series)
    present = s.notna()
    out = pd.Series(float("nan"), index=s.index, dtype="float64")
    if not bool(present.any()):
        return out, present & False
    if s.dtype == object:
        typed = _typed_mask(s, (dt.time, dt.datetime, pd.Timestamp))
        if bool(typed.any()):
            out[typed] = s[typed].map(lambda v: v.hour * 3600 + v.minute * 60 + v.second).astype(float)
        frac = _typed_mask(s, (float,))
        if bool(frac.any()):  # Excel stores a bare time as a fraction of a day
            f = pd.to_numeric(s[frac], errors="coerce")
            ok = f.between(0, 1, inclusive="left")
            out[f[ok].index] = (f[ok] * 86400).round()
        rest = present & ~typed & ~frac
    else:
        rest = present
    if bool(rest.any()):
        text = s[rest].astype("string")
        fast = _fast_strptime(text, "%H:%M:%S")
        okf = fast.notna()
        if bool(okf.any()):
            f2 = fast[okf]
            out[f2.index] = ((f2 - pd.Timestamp(1900, 1, 1)).dt.total_seconds()).astype(float)
        left = text[~okf]
        if len(left):
            parts = left.str.extract(_TIME_RE)
            h, m, sec = (pd.to_numeric(parts[i], errors="coerce") for i in (0, 1, 2))
            sec = sec.fillna(0)
            valid = h.between(0, 23) & m.between(0, 59) & sec.between(0, 59)
            out[valid[valid].index] = (h * 3600 + m * 60 + sec)[valid].astype(float)
    bad = present & out.isna()
    return out, bad


def parse_datetimes(series: pd.Series, epoch: dt.datetime = EXCEL_EPOCH) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(date, seconds since midnight, bad) for a punch_time column holding date and time.

    Spreadsheet cells may hold the date-time as a serial number (days since ``epoch``).
    """
    pd = _pd()
    s = clean(series)
    present = s.notna()
    date = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    secs = pd.Series(float("nan"), index=s.index, dtype="float64")
    if s.dtype == object:
        typed = _typed_mask(s, (dt.datetime, pd.Timestamp))
        in_range = typed & s.map(lambda v: isinstance(v, (dt.datetime, pd.Timestamp))
                                 and YEAR_MIN <= v.year <= YEAR_MAX)
        if bool(in_range.any()):
            ts = pd.to_datetime(s[in_range])
            date[in_range] = ts.dt.normalize()
            secs[in_range] = (ts.dt.hour * 3600 + ts.dt.minute * 60 + ts.dt.second).astype(float)
        numeric = _typed_mask(s, (int, float)) & ~_typed_mask(s, (bool,))
        if bool(numeric.any()):  # a serial date-time: days since the epoch, the time as a fraction
            f = pd.to_numeric(s[numeric], errors="coerce")
            f = f[f.between(1, (dt.datetime(YEAR_MAX + 1, 1, 1) - epoch).days - 1)]
            days = f.astype("int64")
            date[f.index] = pd.Timestamp(epoch) + pd.to_timedelta(days, unit="D")
            secs[f.index] = ((f - days) * 86400).round().clip(upper=86399).astype(float)
        rest = present & ~typed & ~numeric
    else:
        rest = present
    if bool(rest.any()):
        text = s[rest].astype("string")
        fast = _fast_strptime(text, "%Y-%m-%d %H:%M:%S")
        okf = fast.notna()
        f2 = fast[okf]
        date[f2.index] = f2.dt.normalize()
        secs[f2.index] = (f2.dt.hour * 3600 + f2.dt.minute * 60 + f2.dt.second).astype(float)
        left = text[~okf]
        if len(left):
            parts = left.str.extract(_DATE_RE)
            y, m, d, hh, mm, ss = (pd.to_numeric(parts[i], errors="coerce") for i in range(6))
            frame = pd.DataFrame({"year": y, "month": m, "day": d})[y.between(YEAR_MIN, YEAR_MAX)].dropna()
            got = pd.to_datetime(frame, errors="coerce")
            valid = hh.between(0, 23) & mm.between(0, 59) & ss.fillna(0).between(0, 59)
            idx = got.dropna().index.intersection(valid[valid].index)
            date[idx] = got[idx]
            secs[idx] = (hh * 3600 + mm * 60 + ss.fillna(0))[idx].astype(float)
    bad = present & (date.isna() | secs.isna())
    return date, secs, bad


def parse_months(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``YYYY-MM`` strings (also 2024/5, 2024年5月, or a date cell) normalised to ``YYYY-MM``."""
    pd = _pd()
    if series.dtype != object:  # CSV text already in the canonical form: one vectorised check
        text = clean_text(series)
        canon = text.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])").fillna(False).astype(bool)
        if bool((canon | text.isna()).all()):
            return text.where(canon, pd.NA).astype("string"), canon & False
    s = clean(series)
    present = s.notna()
    out = pd.Series(pd.NA, index=s.index, dtype="string")
    if s.dtype == object:
        typed = _typed_mask(s, (dt.date, dt.datetime, pd.Timestamp))
        if bool(typed.any()):
            out[typed] = s[typed].map(lambda v: f"{v.year:04d}-{v.month:02d}")
        rest = present & ~typed
    else:
        rest = present
    if bool(rest.any()):
        text = s[rest].astype("string")
        parts = text.str.extract(_MONTH_RE)
        y = pd.to_numeric(parts[0], errors="coerce")
        m = pd.to_numeric(parts[1], errors="coerce")
        ok = y.between(1900, 2999) & m.between(1, 12)
        # a full date in the month column is accepted too
        if not bool(ok.all()):
            d, _bad = parse_dates(text[~ok])
            dd = d.dropna()
            out[dd.index] = dd.dt.strftime("%Y-%m")
        yy = y[ok].astype("int64").astype("string").str.zfill(4)
        mm = m[ok].astype("int64").astype("string").str.zfill(2)
        out[yy.index] = yy + "-" + mm
    return out, present & out.isna()


_THOUSANDS = r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$"


def parse_numbers(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Float numbers (for minutes, points, scores: never for money).

    A comma is read only as a thousands separator (``1,500``); ``1,5`` could be one and
    a half or fifteen, so it is a bad number (see :func:`ambiguous_commas`), never 15.
    Only finite plain numbers count: ``inf``, ``nan`` and ``1e400`` are bad numbers.
    """
    import numpy as np

    pd = _pd()
    s = clean(series)
    present = s.notna()
    text = s.astype("string").str.strip()
    comma = text.str.contains(",", regex=False).fillna(False).astype(bool)
    if bool(comma.any()):
        thousands = text.str.match(_THOUSANDS).fillna(False).astype(bool)
        text = text.where(~comma | ~thousands, text.str.replace(",", "", regex=False))
        text = text.where(~comma | thousands, pd.NA)
    plain = text.str.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?").fillna(False).astype(bool)
    out = pd.to_numeric(text.where(plain, pd.NA), errors="coerce").astype("float64")
    out = out.where(np.isfinite(out.to_numpy(dtype="float64", na_value=np.nan)), np.nan)
    return out, present & out.isna()


def ambiguous_commas(series: pd.Series) -> pd.Series:
    """Cells like ``1,5``: a comma that is no thousands separator (decimal comma or typo)."""
    s = clean(series)
    text = s.astype("string").str.strip()
    comma = text.str.contains(",", regex=False).fillna(False).astype(bool)
    return comma & ~text.str.match(_THOUSANDS).fillna(False).astype(bool)


def parse_percent_scores(series: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Scores out of 100 that some sheets write as ``87%`` (read 87) or as fractions ``0.87``.

    Returns (values, bad, fraction): ``fraction`` marks cells between 0 and 1 with a
    fractional part — percentages stored as fractions (an Excel cell formatted as %), or
    a real score below 1; the caller decides from the whole column.
    """
    pd = _pd()
    s = clean(series)
    if s.dtype == object:  # spreadsheet cells: numbers as their exact text
        s = s.map(lambda v: v if isinstance(v, str) or v is pd.NA else repr(v))
    text = s.astype("string").str.strip()
    pct = text.str.endswith("%").fillna(False).astype(bool)
    stripped = text.where(~pct, text.str.rstrip("%").str.strip())
    values, bad = parse_numbers(stripped)
    fraction = ~pct & values.gt(0) & values.lt(1) & values.ne(values.round())
    return values, bad, fraction.fillna(False).astype(bool)


def parse_money_text(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Money cells as exact decimal *strings* (e.g. ``"2800"``, ``"2,800.50"``).

    The strings go to :class:`decimal.Decimal` later; no float ever holds money.
    Excel numeric cells arrive as int/float and are rendered with ``repr`` which is
    exact for the values a person types (two decimals at most).
    """
    pd = _pd()
    s = clean(series)
    present = s.notna()
    if s.dtype == object:  # spreadsheet cells: numbers rendered exactly
        s = s.map(lambda v: v if isinstance(v, str) or v is pd.NA else repr(v))
    text = s.astype("string")
    text = text.str.replace(",", "", regex=False).str.replace("¥", "", regex=False)
    text = text.str.replace("元", "", regex=False).str.strip()
    ok = text.str.fullmatch(r"-?\d+(?:\.\d+)?").fillna(False).astype(bool)
    return text.where(ok, pd.NA), present & ~ok


TRUE_WORDS = {"yes", "y", "true", "t", "1", "1.0", "是", "有", "已批准", "批准", "√", "✓", "x"}
FALSE_WORDS = {"no", "n", "false", "f", "0", "0.0", "否", "无", "無", "未批准", "不批准", "×"}


def parse_bools(series: pd.Series, default: bool) -> tuple[pd.Series, pd.Series]:
    """yes/no, true/false, 1/0, 是/否 (missing → ``default``)."""
    pd = _pd()
    s = clean(series)
    present = s.notna()
    text = s.map(lambda v: str(v) if v is not pd.NA else v).astype("string").str.strip().str.lower()
    is_true = text.isin(TRUE_WORDS).fillna(False).astype(bool)
    is_false = text.isin(FALSE_WORDS).fillna(False).astype(bool)
    out = pd.Series(default, index=s.index, dtype=bool)
    out[is_true] = True
    out[is_false] = False
    return out, present & ~is_true & ~is_false


def parse_enum(series: pd.Series, mapping: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    """Map spellings (case-insensitive; keys already lower-case) to canonical codes."""
    import numpy as np

    pd = _pd()
    s = clean_text(series)
    codes, uniq = pd.factorize(s)  # a handful of distinct spellings: normalise those, not every row
    u = pd.Series(uniq, dtype="string")
    key = u.str.lower().str.replace("（", "(", regex=False).str.replace("）", ")", regex=False)
    key = key.str.replace(r"[\s\-]+", "_", regex=True)
    canon = key.map(mapping).astype(object).to_numpy()
    picked = canon[np.maximum(codes, 0)] if len(canon) else np.full(len(codes), None, dtype=object)
    picked = np.asarray(picked, dtype=object)
    picked[codes < 0] = None
    out = pd.Series(picked, index=s.index, dtype="string")
    return out, s.notna() & out.isna()
