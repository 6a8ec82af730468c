"""Cell-level helpers every adapter shares: finding headers, reading whole columns,
pulling punch times out of text cells, and turning punches into sign-in days.

Exports put the same things in many shapes — a time cell, ``08:26``, ``08:07外勤``,
``08:3022:32`` run together, ``次日 08:25``, a day fraction from an old .xls — so the
parsing lives here once, over whole columns, and each adapter only says which
columns mean what.  Distinct cells are parsed once (an export repeats few dates).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cs_rules.loading.columns import normalize_header
from cs_rules.loading.parse import EXCEL_EPOCH, YEAR_MAX, YEAR_MIN, clean_text, parse_dates, parse_datetimes
from cs_rules.loading.people import cell_text, clean_names, departed_mask
from cs_rules.problems import Problem

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

    from cs_rules.loading.sources import Source

HEAD_ROWS = 12  # rows of each sheet an adapter may look at to claim a file
NO_PUNCH_WORDS = {"未打卡", "休息", "缺卡", "旷工", "曠工", "请假", "請假", "无", "無", "-", "--"}

text = cell_text  # one spelling of "a cell as text" for the whole package

_PERIOD_RE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*"
    r"(?:至|到|~|～|－|—|–|\s-\s|-)\s*"
    r"(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
# a time inside a text cell: 次日 marks the next calendar day; letters right after it are a note
_TIME_IN_TEXT = (r"(?P<next>次日)?\s*(?P<h>\d{1,2})[:：](?P<m>\d{2})(?:[:：](?P<s>\d{2}))?"
                 r"(?P<note>[^\d\s:：()（）,，;；、/|]*)")


def _pd() -> Any:
    import pandas as pd

    return pd


# --------------------------------------------------------------------------- rows and titles


def heads(src: Source, n: int = HEAD_ROWS) -> dict[str, list[list[Any]]]:
    """The first ``n`` rows of every sheet, without decoding a whole CSV (claims run on
    every sign-in file, canonical ones of a million rows included)."""
    return {name: rows[:n] for name, rows in src.head_rows().items()}


def cell(rows: list[list[Any]], i: int, j: int | None) -> Any:
    if j is not None and 0 <= i < len(rows) and j < len(rows[i]):
        return rows[i][j]
    return ""


def title(rows: list[list[Any]], i: int) -> str:
    """The text of row ``i`` (all its cells joined): a title row, a 统计日期 line."""
    if i >= len(rows):
        return ""
    return " ".join(t for t in (text(c) for c in rows[i]) if t)


def titles(rows: list[list[Any]], n: int = 3) -> str:
    return " ".join(title(rows, i) for i in range(min(n, len(rows))))


def find_period(head: str) -> tuple[dt.date, dt.date] | None:
    """The first date range in ``head`` (``2026-06-01 至 2026-06-29``, ``2019/10/01 ~ 10/31``)."""
    m = _PERIOD_RE.search(head)
    if not m:
        return None
    y1, m1, d1, y2, m2, d2 = m.groups()
    try:
        start = dt.date(int(y1), int(m1), int(d1))
        year2 = int(y2) if y2 else start.year + (1 if int(m2) < start.month else 0)
        end = dt.date(year2, int(m2), int(d2))
    except ValueError:
        return None
    return (start, end) if start <= end else None


def labels_of(row: list[Any]) -> set[str]:
    return {normalize_header(text(c)) for c in row if text(c)}


def header_row(rows: list[list[Any]], needs: tuple[str, ...], scan: int = HEAD_ROWS) -> int | None:
    """Index of the first row holding every label of ``needs`` (``"a|b"``: either)."""
    alts = [{normalize_header(x) for x in need.split("|")} for need in needs]
    for i in range(min(scan, len(rows))):
        got = labels_of(rows[i])
        if all(a & got for a in alts):
            return i
    return None


def column(row: list[Any], *names: str) -> int | None:
    """The first column of ``row`` whose label is one of ``names`` (in the order given)."""
    labs = [normalize_header(text(c)) for c in row]
    for n in names:
        key = normalize_header(n)
        if key in labs:
            return labs.index(key)
    return None


@dataclass
class Header:
    """A header found in a sheet: row index (0-based), labels and their groups."""

    index: int
    labels: list[str]        # normalised label of each column (sub-header when present)
    raw: list[str]           # label as written, for problems
    groups: list[str]        # normalised label of the merged group above (two-row headers)
    top: list[Any]           # the header row's cells as they are
    sub: list[Any]           # the row below's cells as they are

    def find(self, name: str, group: str | None = None, exclude_group: tuple[str, ...] = ()) -> int | None:
        key = normalize_header(name)
        for j, lab in enumerate(self.labels):
            if lab != key:
                continue
            if group is not None and self.groups[j] != normalize_header(group):
                continue
            if self.groups[j] in {normalize_header(g) for g in exclude_group}:
                continue
            return j
        return None

    def label(self, j: int | None) -> str:
        return self.raw[j] if j is not None and j < len(self.raw) else ""


def find_header(rows: list[list[Any]], needs: tuple[str, ...], scan: int = 10) -> Header | None:
    """The first row (with the row below as a sub-header) holding every label in ``needs``."""
    want = {normalize_header(n) for n in needs}
    for i in range(min(scan, len(rows))):
        top = list(rows[i])
        sub = list(rows[i + 1]) if i + 1 < len(rows) else []
        top_set = {normalize_header(text(c)) for c in top}
        if not want & top_set:  # the header row itself must name some of the columns
            continue
        width = max(len(top), len(sub))
        labels, raw, groups = [], [], []
        group = ""
        sub_is_data = looks_like_data(sub)
        for j in range(width):
            t = text(top[j]) if j < len(top) else ""
            s = text(sub[j]) if j < len(sub) else ""
            if t:
                group = t
            # a sub-header cell names the column only under a merged group (t empty
            # or a group title); a top cell with nothing below names it itself
            lab = s if s and not sub_is_data else t
            labels.append(normalize_header(lab))
            raw.append(lab)
            groups.append(normalize_header(group) if not t or s else "")
        if want <= set(labels) or want <= top_set:
            if not want <= set(labels):  # the row below is data: one-row header
                labels = [normalize_header(text(c)) for c in top]
                raw = [text(c) for c in top]
                groups = [""] * len(top)
            return Header(i, labels, raw, groups, top, sub)
    return None


def looks_like_data(row: list[Any]) -> bool:
    """True when a row looks like a data row (a date or a time in one of its first cells)."""
    for v in row[:8]:
        if isinstance(v, (dt.date, dt.datetime, dt.time)):
            return True
        s = text(v)
        if re.match(r"^\d{2,4}[-/.]\d{1,2}[-/.]\d{1,2}", s) or re.match(r"^\d{1,2}:\d{2}$", s):
            return True
    return False


# --------------------------------------------------------------------------- columns


class Columns:
    """The body of a sheet (its rows below the header) as whole columns of the cells its rows
    would hold, read column-wise (:meth:`~cs_rules.loading.workbooks.LazySheets.cell_columns`):
    a million-row clock log is 8 columns wide and an adapter reads 4 or 5, so the rest are never
    made into Python objects.  :func:`series` and :func:`columns_of` take it in place of rows."""

    def __init__(self, cols: dict[int, Any], n: int) -> None:
        self.cols, self.n = cols, n

    def __len__(self) -> int:
        return self.n


Body = list[list[Any]] | Columns


def series(body: Body, j: int | None) -> pd.Series:
    """Column ``j`` of ``body`` as an object Series ("" where a row is short or j is None)."""
    pd = _pd()
    if j is None:
        return pd.Series([""] * len(body), dtype=object)
    if isinstance(body, Columns):
        return pd.Series(body.cols[j], dtype=object)
    return pd.Series([r[j] if j < len(r) else "" for r in body], dtype=object)


def columns_of(body: Body, cols: dict[str, int | None]) -> pd.DataFrame:
    """Several columns of ``body`` at once, each picked in one pass over the rows (only the
    columns asked for: a million-row log is 8 columns wide and an adapter reads 3 or 4)."""
    pd = _pd()
    if isinstance(body, Columns):
        return pd.DataFrame({k: series(body, j) for k, j in cols.items()})
    width = min((len(r) for r in body), default=0)
    out = {}
    for k, j in cols.items():
        if j is None:
            out[k] = pd.Series([""] * len(body), dtype=object)
        elif j < width:  # every row holds the column (calamine's rows are rectangular)
            out[k] = pd.Series([r[j] for r in body], dtype=object)
        else:
            out[k] = series(body, j)
    return pd.DataFrame(out)


def columns_below(src: Source, sheet: str, i: int, wanted: list[int]) -> Columns | None:
    """Columns ``wanted`` of ``sheet`` below its header row ``i``, read column-wise, or None
    (not an XLSX, a 1904 workbook, the sheet's rows already read, a column of mixed kinds …):
    the caller then reads the rows, as before."""
    from cs_rules.loading.workbooks import col_letters

    sheets = src.sheets
    if src.fmt != "xlsx" or src.datemode or not wanted or not hasattr(sheets, "cell_columns"):
        return None
    js = sorted(set(wanted))
    got = sheets.cell_columns(sheet, i + 1, [col_letters(j) for j in js])
    if got is None:
        return None
    return Columns(dict(zip(js, got, strict=True)), len(got[0]))  # one Arrow table: columns of one length


def first_rows(src: Source) -> Mapping[str, list[list[Any]]] | None:
    """An XLSX's sheets by their first rows, had without reading the sheets (then a sheet's
    columns may be read by :func:`columns_below`), or None: read the rows."""
    if src.fmt != "xlsx" or getattr(src.sheets, "heads", None) is None:
        return None
    return src.head_rows()


def _distinct(col: pd.Series) -> tuple[Any, list[str]]:
    """(codes, text of each distinct cell): cells are turned into text once per distinct
    value, never once per row (a clock log repeats few names and numbers)."""
    pd = _pd()
    try:
        # text columns as they are (Arrow text factorizes in C); other kinds as Python objects, so
        # a distinct value is the cell calamine gave (1.0 a float, not numpy's)
        plain = col.dtype == object or isinstance(col.dtype, pd.StringDtype)
        codes, uniques = pd.factorize(col if plain else col.astype(object), use_na_sentinel=True)
    except TypeError:  # unhashable cells: one text per cell
        codes, uniques = pd.factorize(col.map(text), use_na_sentinel=True)
    return codes, [text(u) for u in uniques]


def texts(col: pd.Series) -> pd.Series:
    """A column of cells as stripped text (NA for empty and the missing spellings)."""
    pd = _pd()
    if not len(col):
        return pd.Series([], dtype="string")
    import pyarrow as pa

    from cs_rules.arrays import arrow_text

    codes, uniq = _distinct(col)
    if not uniq:
        return pd.Series(pd.NA, index=col.index, dtype="string")
    clean = clean_text(pd.Series(uniq, dtype=object).str.replace("\x00", "", regex=False))
    # one Arrow take broadcasts the distinct texts back (a million-row object column into
    # pandas' string type cost more than all the parsing)
    taken = arrow_text(clean).take(pa.array(codes, mask=codes < 0))
    return pd.Series(pd.arrays.ArrowStringArray(taken), index=col.index)


def has_nul(col: pd.Series) -> pd.Series:
    """Cells holding NUL characters (what a clock's worn memory writes), judged per distinct cell."""
    import numpy as np

    pd = _pd()
    codes, uniq = _distinct(col)
    if not uniq:
        return pd.Series(False, index=col.index)
    flags = np.array(["\x00" in u for u in uniq], dtype=bool)
    return pd.Series(flags[codes] & (codes >= 0), index=col.index)


def unique_parse(parser: Any, raw: pd.Series) -> tuple[Any, ...]:
    """``parser`` applied to the distinct cells only; every output broadcast back."""
    pd = _pd()
    try:
        codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    except TypeError:  # unhashable cell values: parse them all
        return tuple(parser(raw))
    res = parser(pd.Series(uniques, dtype=object))
    res = list(res)
    if (codes < 0).any():  # NA cells: parse as missing
        codes = codes.copy()
        na = parser(pd.Series([None], dtype=object))
        res = [pd.concat([a, b], ignore_index=True) for a, b in zip(res, na, strict=True)]
        codes[codes < 0] = len(res[0]) - 1
    return tuple(pd.Series(r.to_numpy()[codes], index=raw.index, dtype=r.dtype) for r in res)


def stamps(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(date, seconds since its midnight, bad) for cells holding a date and a time.

    Datetime cells convert in one C pass; text (``2019/10/8 星期二 8:20``,
    ``2024-05-06 08:59:12``) is parsed once per distinct cell; Excel serial numbers
    (an old .xls without a date format) count from 1899-12-30.
    """
    import numpy as np

    pd = _pd()
    n = len(raw)
    date = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    secs = np.full(n, np.nan)
    bad = np.zeros(n, dtype=bool)

    def out() -> tuple[Any, Any, Any]:
        return (pd.Series(date, index=raw.index), pd.Series(secs, index=raw.index),
                pd.Series(bad, index=raw.index))

    if not n:
        return out()
    kind = raw.map(type)
    is_dt = kind.isin([dt.datetime, pd.Timestamp]).to_numpy()
    if is_dt.any():  # positions, not labels: a million cells assigned by index label cost seconds
        at = np.flatnonzero(is_dt)
        ts = pd.to_datetime(raw.iloc[at], errors="coerce").to_numpy(dtype="datetime64[ns]")
        years = ts.astype("datetime64[Y]").astype("int64") + 1970
        ok = ~np.isnat(ts) & (years >= YEAR_MIN) & (years <= YEAR_MAX)
        day = ts.astype("datetime64[D]").astype("datetime64[ns]")
        date[at[ok]] = day[ok]
        secs[at[ok]] = (ts[ok] - day[ok]).astype("int64") / 1e9
        bad[at[~ok]] = True
    is_num = kind.isin([float, int]).to_numpy()
    if is_num.any():
        at = np.flatnonzero(is_num)
        f = pd.to_numeric(raw.iloc[at], errors="coerce").to_numpy(dtype=float)
        ok = (f >= 1) & (f <= (dt.datetime(YEAR_MAX, 12, 31) - EXCEL_EPOCH).days)
        days = np.floor(f[ok])
        date[at[ok]] = (np.datetime64(EXCEL_EPOCH.date(), "D")
                        + days.astype("int64").astype("timedelta64[D]")).astype("datetime64[ns]")
        secs[at[ok]] = np.round((f[ok] - days) * 86400)
        bad[at[~ok]] = True
    rest = ~is_dt & ~is_num
    if rest.any():
        at = np.flatnonzero(rest)
        codes, uniq = _distinct(raw.iloc[at])
        if uniq:
            d2, s2, b2 = parse_datetimes(pd.Series([u.replace("\x00", "") for u in uniq], dtype=object))
            k = np.maximum(codes, 0)
            ok = codes >= 0
            date[at] = np.where(ok, d2.to_numpy(dtype="datetime64[ns]")[k], np.datetime64("NaT"))
            secs[at] = np.where(ok, s2.to_numpy(dtype=float)[k], np.nan)
            bad[at] = ok & b2.to_numpy(dtype=bool)[k]
    return out()


def dates(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(date, bad) for date cells, also DingTalk's two-digit-year ``26-05-01 星期五``;
    each distinct cell is parsed once."""
    import numpy as np

    pd = _pd()
    if not len(raw):
        return pd.Series([], dtype="datetime64[ns]"), pd.Series([], dtype=bool)
    try:
        codes, uniques = pd.factorize(raw if raw.dtype == object else raw.astype(object), use_na_sentinel=True)
    except TypeError:
        codes, uniques = pd.factorize(raw.map(text), use_na_sentinel=True)
    fixed = pd.Series([re.sub(r"^(\d{2})-(\d{1,2})-(\d{1,2})(?!\d)", r"20\1-\2-\3", u) if isinstance(u, str) else u
                       for u in uniques], dtype=object)
    d, bad = parse_dates(fixed) if len(fixed) else (pd.Series([], dtype="datetime64[ns]"), pd.Series([], dtype=bool))
    ok = codes >= 0
    k = np.maximum(codes, 0)
    dv = d.to_numpy(dtype="datetime64[ns]")[k] if len(d) else np.full(len(raw), np.datetime64("NaT"), "datetime64[ns]")
    bv = bad.to_numpy(dtype=bool)[k] if len(bad) else np.zeros(len(raw), dtype=bool)
    return (pd.Series(np.where(ok, dv, np.datetime64("NaT")), index=raw.index, dtype="datetime64[ns]"),
            pd.Series(ok & bv, index=raw.index, dtype=bool))


def join_texts(df: pd.DataFrame, by: list[str], col: str, sep: str = "；") -> pd.Series:
    """The distinct texts of ``col`` per group, joined in row order; only groups with
    more than one distinct text take a Python join (most person-days have one)."""
    import numpy as np

    d = df.drop_duplicates(by + [col])
    g = d.groupby(by, sort=False)[col]
    out = g.first()
    many = g.size()
    many = many[many > 1]
    if not len(many):
        return out
    group = g.ngroup().to_numpy()  # the position in ``out`` of each row's group (first-seen order)
    if np.isnan(group.astype("float64")).any():  # a key with NA: the general join
        multi = d.set_index(by).loc[many.index, col]
        joined = multi.groupby(level=list(range(len(by))), sort=False).agg(lambda s: sep.join(s))
        out.loc[joined.index] = joined
        return out
    sizes = np.bincount(group, minlength=len(out))
    rows = np.flatnonzero(sizes[group] > 1)
    rows = rows[np.argsort(group[rows], kind="stable")]  # group by group, each in row order
    c = group[rows]
    texts = d[col].to_numpy(dtype=object)[rows]
    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
    ends = np.r_[starts[1:], len(c)]
    out.iloc[c[starts]] = [sep.join(texts[a:b]) for a, b in zip(starts, ends)]
    return out


def clock_times(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(seconds since midnight, bad) for cells holding one time of day: time cells,
    datetime cells (a .xls time lands on 1899-12-30), day fractions, ``08:20`` text."""
    import numpy as np

    pd = _pd()
    out = pd.Series(np.nan, index=raw.index, dtype="float64")
    bad = pd.Series(False, index=raw.index)
    if not len(raw):
        return out, bad
    kind = raw.map(type)
    typed = kind.isin([dt.time, dt.datetime, pd.Timestamp])
    if bool(typed.any()):  # once per distinct time
        sub = raw[typed]
        codes, uniques = pd.factorize(sub)
        secs = np.array([v.hour * 3600 + v.minute * 60 + v.second for v in uniques], dtype=float)
        out[sub.index] = secs[codes]
    num = kind.isin([float, int])
    if bool(num.any()):
        f = pd.to_numeric(raw[num], errors="coerce")
        ok = f.between(0, 1, inclusive="left")
        out[ok[ok].index] = (f[ok] * 86400).round()
        bad[ok[~ok].index] = True
    rest = ~typed & ~num
    if bool(rest.any()):
        long = times_in_cells(texts(raw[rest]))
        if len(long):
            first = long.groupby("cell", sort=False).first()
            out[first.index] = first["secs"]
            bad[first.index[first["bad"].to_numpy()]] = True
            out[first.index[first["bad"].to_numpy()]] = np.nan
        t = texts(raw[rest])
        none = t.notna() & ~t.index.isin(long["cell"] if len(long) else []) & ~t.isin(NO_PUNCH_WORDS)
        bad[none[none].index] = True
    return out, bad


def times_in_cells(cells: pd.Series) -> pd.DataFrame:
    """Every time in text cells (index = cell) as rows ``cell, n, secs, note, bad``.

    Within one cell, a time earlier than the one before it, or marked 次日, is past
    midnight: it keeps the cell's day and counts on from 24:00 (``08:05\\n00:31`` is
    08:05 and 24:31).  ``bad`` marks impossible times (``25:70``).
    """
    import numpy as np

    pd = _pd()
    t = cells.dropna()
    t = t[t.str.contains(r"\d[:：]\d", regex=True)]
    if not len(t):
        return pd.DataFrame({"cell": pd.Series([], dtype=cells.index.dtype), "n": pd.Series([], dtype="int64"),
                             "secs": pd.Series([], dtype="float64"), "note": pd.Series([], dtype="string"),
                             "bad": pd.Series([], dtype=bool)})
    found = t.str.extractall(_TIME_IN_TEXT)
    h = pd.to_numeric(found["h"]).to_numpy()
    m = pd.to_numeric(found["m"]).to_numpy()
    s = pd.to_numeric(found["s"]).fillna(0).to_numpy()
    raw = (h * 3600 + m * 60 + s).astype(float)
    ok = (h <= 23) & (m <= 59) & (s <= 59)
    cell_idx = found.index.get_level_values(0).to_numpy()
    n = found.index.get_level_values(1).to_numpy()
    prev = np.r_[np.nan, raw[:-1]]
    same = np.r_[False, cell_idx[1:] == cell_idx[:-1]]
    back = same & (raw < prev)
    days = pd.Series(back.astype(int)).groupby(cell_idx).cumsum().to_numpy()
    nxt = found["next"].notna().to_numpy()
    days = np.where(nxt & (days == 0), 1, days)
    note = found["note"].astype("string").str.strip()
    return pd.DataFrame({"cell": cell_idx, "n": n, "secs": raw + 86400.0 * days,
                         "note": note.where(note != "", pd.NA).to_numpy(), "bad": ~ok})


# --------------------------------------------------------------------------- people and frames


def keys(emp: pd.Series, account: pd.Series, name: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(key_kind, key) per row: the HR 工号 when present, else the vendor/clock number,
    else the name — row by row, so an empty 工号 column never hides the real key."""
    pd = _pd()
    e, a, n = clean_text(emp), clean_text(account), clean_text(name)
    kind = pd.Series("name", index=e.index, dtype="string")
    kind = kind.mask(a.notna(), "vendor_id").mask(e.notna(), "employee_id")
    key = e.fillna(a).fillna(n)
    return kind, key


def who(df: pd.DataFrame, emp: str = "emp", account: str = "account", name: str = "name") -> pd.DataFrame:
    """Add key_kind, key, vendor_id, departed and a cleaned name to ``df`` (raw cells in
    ``emp``, ``account``, ``name``).  Names are cleaned once per distinct name."""
    import numpy as np

    pd = _pd()
    na = pd.Series(pd.NA, index=df.index, dtype="string")
    if name in df:
        codes, uniq = _distinct(df[name])
        raw = clean_text(pd.Series(uniq, dtype=object)) if uniq else pd.Series([], dtype="string")
        gone = departed_mask(raw).to_numpy(dtype=bool) if uniq else np.zeros(0, dtype=bool)
        clean = clean_names(raw).to_numpy() if uniq else np.zeros(0, dtype=object)
        ok = codes >= 0
        df["departed"] = np.where(ok, gone[np.maximum(codes, 0)] if len(gone) else False, False)
        names = pd.Series(clean[np.maximum(codes, 0)] if len(clean) else [pd.NA] * len(df), index=df.index,
                          dtype="string")
        df["name"] = names.where(ok, pd.NA)
    else:
        df["departed"] = False
        df["name"] = na
    e = texts(df[emp]) if emp in df else na
    a = texts(df[account]) if account in df else na
    kind = np.where(e.notna().to_numpy(), "employee_id", np.where(a.notna().to_numpy(), "vendor_id", "name"))
    df["key_kind"] = pd.Series(kind, index=df.index, dtype="string")
    df["key"] = e.fillna(a).fillna(df["name"])
    df["vendor_id"] = a
    split_shared_numbers([df])
    return df


SHARED = "-"  # a shared clock number's people are keyed number-name: 641-张三


def shared_numbers(frames: list[pd.DataFrame]) -> set[str]:
    """The clock or app numbers (key_kind vendor_id) that carry more than one name across ``frames``."""
    import numpy as np

    pd = _pd()
    parts = []
    for f in frames:
        if not len(f) or not {"key_kind", "vendor_id", "name"} <= set(f.columns):
            continue
        m = (f["key_kind"] == "vendor_id").fillna(False).to_numpy(dtype=bool) \
            & f["vendor_id"].notna().to_numpy() & f["name"].notna().to_numpy()
        if m.any():  # as they are: Arrow text factorizes in C, the same text as objects ~10× slower
            parts.append(f.loc[m, ["vendor_id", "name"]])
    if not parts:
        return set()
    pairs = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    # on integer codes: a million punches of a few hundred (number, name) pairs
    cv, uv = pd.factorize(pairs["vendor_id"])
    cn, un = pd.factorize(pairs["name"])
    both = np.unique(cv.astype(np.int64) * (len(un) + 1) + cn)
    per_number = np.bincount(both // (len(un) + 1), minlength=len(uv))
    return {str(uv[i]) for i in np.flatnonzero(per_number > 1)}


def split_shared_numbers(frames: list[pd.DataFrame]) -> set[str]:
    """A number that carries several names in one export (a clock number given to two people,
    or reused after someone left) is several people: each (number, name) gets its own key
    ``number-name`` (vendor_id stays the number), so their punches are never merged into one
    person.  Rows of such a number without a name keep the number.  In place; the shared numbers."""
    shared = shared_numbers(frames)
    if not shared:
        return shared
    for f in frames:
        if not len(f) or not {"key_kind", "vendor_id", "name", "key"} <= set(f.columns):
            continue
        m = (f["key_kind"] == "vendor_id").fillna(False) & f["vendor_id"].isin(shared).fillna(False) \
            & f["name"].notna()
        if bool(m.any()):
            f.loc[m, "key"] = (f.loc[m, "vendor_id"].astype("string") + SHARED
                               + f.loc[m, "name"].astype("string")).astype(f["key"].dtype)
    return shared


# the summary lines clock programs print under a log: never a person
FOOTER_RE = (r"^\s*(?:记录数|記錄數|记录条数|總記錄|总记录|合计|合計|总计|總計|共计|共計|制表人|製表人|制表|"
             r"打印时间|打印日期|导出时间)")


def people_of(df: pd.DataFrame) -> pd.DataFrame:
    """One row per person of a frame that went through :func:`who` (the first row they
    appear on; departed if any of their rows says so)."""
    pd = _pd()
    cols = ["key_kind", "key", "name", "vendor_id", "departed", "dept", "_file", "_sheet", "_row"]
    p = df[df["key"].notna()].reindex(columns=cols)
    if not len(p):
        return p
    p["departed"] = p["departed"].astype("boolean").fillna(False).astype(bool)
    g = p.groupby(["key_kind", "key"], sort=False)
    first = g["_row"].idxmin()
    out = p.loc[first.to_numpy()].copy()
    out["departed"] = g["departed"].any().to_numpy()
    return out.sort_values("_row", kind="stable").reset_index(drop=True) if len(out) else pd.DataFrame(columns=cols)


def problem(src: Source, code: str, message: str, hint: str = "", row: int = 0, column: str = "",
            sheet: str = "", severity: str = "error") -> Problem:
    return Problem(src.display, row, column, code, message, hint, severity, sheet)  # type: ignore[arg-type]


def bad_cells(src: Source, sheet: str, column: str, mask: pd.Series, values: pd.Series,
              rows: pd.Series, code: str, what: str, hint: str, severity: str = "error") -> list[Problem]:
    return [problem(src, code, f"{what} '{text(values[idx])}'", hint, int(rows[idx]), column, sheet, severity)
            for idx in mask[mask].index]


def verdict_flags(t: pd.Series) -> dict[str, pd.Series]:
    t = t.fillna("")
    return {
        "late": t.str.contains("迟到|遲到", regex=True),
        "early": t.str.contains("早退", regex=False),
        "missing": t.str.contains("缺卡", regex=False),
        "absent": t.str.contains("旷工|曠工", regex=True),
    }


DOUBLE_TAP_SECS = 60


def collapse(p: pd.DataFrame) -> pd.DataFrame:
    """Punches -> one sign-in row per person-day: the earliest punch is the sign-in and
    the latest the sign-out; a lone punch is a missing sign-out, unless the export says
    it was an ``out`` punch (then the sign-in is missing). Punches under a minute apart count
    as one.

    Days in key order (key kind, key, date), as a sort and a group-by would give them, but on
    integer codes: a clock log of 40,000 people is 1.8 million punches."""
    import numpy as np

    pd = _pd()
    if len(p) == 0:
        return p.iloc[0:0]
    p = p[p["key"].notna() & p["date"].notna() & p["secs"].notna()]
    if not len(p):
        return pd.DataFrame()
    kk = pd.factorize(p["key_kind"], sort=True)[0]
    key = pd.factorize(p["key"], sort=True)[0]
    day = p["date"].to_numpy(dtype="datetime64[ns]").astype("int64")
    secs = p["secs"].to_numpy(dtype=float)
    row = p["_row"].to_numpy(dtype="int64")
    o = _punch_order(kk, key, day, secs, row)
    kk, key, day, secs, row = kk[o], key[o], day[o], secs[o], row[o]
    head = np.ones(len(o), dtype=bool)
    head[1:] = (kk[1:] != kk[:-1]) | (key[1:] != key[:-1]) | (day[1:] != day[:-1])
    starts = np.flatnonzero(head)
    ends = np.append(starts[1:], len(o)) - 1
    pos = np.arange(len(o))

    def first(col: str) -> Any:  # the first value that is not missing, in punch order
        v = p[col].reset_index(drop=True)
        at = np.minimum.reduceat(np.where(v.notna().to_numpy()[o], pos, len(o)), starts)
        found = at < len(o)
        idx = np.where(found, o[np.minimum(at, len(o) - 1)], -1)
        return v.reindex(idx).reset_index(drop=True)  # -1: no value in the day

    lead = p.iloc[o[starts]].reset_index(drop=True)
    agg = pd.DataFrame({"key_kind": lead["key_kind"], "key": lead["key"], "date": lead["date"],
                        "name": first("name"), "vendor_id": first("vendor_id"),
                        "sign_in": secs[starts], "sign_out": secs[ends],
                        "_row": np.minimum.reduceat(row, starts), "_file": first("_file"),
                        "_sheet": first("_sheet")})
    lone_kind = first("kind").fillna("").to_numpy()
    n = ends - starts + 1
    # punches less than a minute apart are one punch tapped twice (DingTalk lists 18:01 18:01)
    one = (n == 1) | (agg["sign_out"].to_numpy() - agg["sign_in"].to_numpy() < DOUBLE_TAP_SECS)
    out_only = one & (lone_kind == "out")
    agg.loc[out_only, "sign_in"] = float("nan")
    agg.loc[one & ~out_only, "sign_out"] = float("nan")
    return agg


def _punch_order(kk: Any, key: Any, day: Any, secs: Any, row: Any) -> Any:
    """``np.lexsort((row, secs, day, key, kk))``, as one stable sort of a single integer key
    (exact ranks of day and seconds; ties keep row order): ten times faster on a clock log."""
    import numpy as np

    d = (day - day.min()) // 86_400_000_000_000 if (day % 86_400_000_000_000 == 0).all() else \
        np.unique(day, return_inverse=True)[1].astype("int64")  # dates are midnights: days apart
    whole = np.floor(secs) == secs
    t = (secs - secs.min()).astype("int64") if whole.all() else \
        np.unique(secs, return_inverse=True)[1].astype("int64")  # whole seconds, or their exact ranks
    nk, nd, nt = int(key.max()) + 1, int(d.max()) + 1, int(t.max()) + 1
    if (int(kk.max()) + 1) * nk * nd * nt >= 2**62:  # too many distinct values for one key
        return np.lexsort((row, secs, day, key, kk))
    comp = ((kk.astype("int64") * nk + key) * nd + d) * nt + t
    by_row = np.argsort(row, kind="stable") if (np.diff(row) < 0).any() else np.arange(len(row))
    return by_row[np.argsort(comp[by_row], kind="stable")]


def near_date(ref: dt.date, month: int, day: int) -> dt.date:
    """The date with this month/day nearest to ``ref`` (requests and headers carry no year)."""
    year = ref.year
    if month - ref.month > 6:
        year -= 1
    elif ref.month - month > 6:
        year += 1
    return dt.date(year, month, day)


def cell_times(raw: pd.Series) -> pd.DataFrame:
    """Every punch time in cells of any type, as rows ``cell, n, secs, note, bad``.

    Text cells may hold several times (:func:`times_in_cells`); time, datetime and
    day-fraction cells hold one.  A non-empty cell with no time in it (other than the
    no-punch words 未打卡, 休息 …) is one ``bad`` row with secs NaN.
    """
    pd = _pd()
    if not len(raw):
        return times_in_cells(pd.Series([], dtype="string"))
    is_text = raw.map(lambda v: isinstance(v, str))
    t = texts(raw[is_text])
    t = t.where(~t.isin(NO_PUNCH_WORDS))
    long = times_in_cells(t)
    other = raw[~is_text & raw.notna()]
    parts = [long]
    if len(other):
        secs, bad = clock_times(other)
        keep = secs.notna() | bad
        parts.append(pd.DataFrame({"cell": other.index[keep], "n": 0, "secs": secs[keep].to_numpy(),
                                   "note": pd.NA, "bad": bad[keep].to_numpy()}))
    none = t.notna() & ~t.index.isin(long["cell"])
    if bool(none.any()):
        parts.append(pd.DataFrame({"cell": t.index[none], "n": 0, "secs": float("nan"), "note": pd.NA,
                                   "bad": True}))
    out = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else long
    out["note"] = out["note"].astype("string")
    out["bad"] = out["bad"].astype(bool)
    return out.sort_values(["cell", "n"], kind="stable").reset_index(drop=True)


ID_LABELS = ("工号", "编号", "考勤号码", "考勤号", "登记号码", "登记号", "人员编号", "员工编号", "卡号", "ID号",
             "用户ID")


def label_value(row: list[Any], labels: tuple[str, ...], lo: int = 0, hi: int | None = None) -> tuple[str, int] | None:
    """The value written beside a label in a form-like row (``工 号：`` ``1`` or ``工号：1``),
    looking only at columns ``lo`` to ``hi``; (value, column of the label) or None."""
    hi = len(row) if hi is None else min(hi, len(row))
    keys = {normalize_header(x) for x in labels}
    for j in range(lo, hi):
        s = re.sub(r"\s+", "", text(row[j]))
        if not s:
            continue
        m = re.fullmatch(r"([^:：]+)[:：]?(.*)", s)
        if not m or normalize_header(m.group(1)) not in keys:
            continue
        if m.group(2):
            return m.group(2), j
        for k in range(j + 1, hi):
            v = text(row[k])
            if v:
                s2 = re.sub(r"\s+", "", v)
                lab = re.fullmatch(r"([^:：]+)[:：]", s2)
                if lab:  # the next label: this one is empty
                    return None
                return v, j
        return None
    return None
