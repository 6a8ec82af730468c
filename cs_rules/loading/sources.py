"""Reading one input file into a table of cells that remembers where each came from.

Knows about encodings (UTF-8, UTF-8 with BOM, GB18030/GBK — detected from the
bytes, never guessed from the extension), spreadsheets with title rows above the
header, files that are not what their extension says, and empty or binary files.
Everything here reports :class:`~cs_rules.problems.Problem` instead of raising.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cs_rules.loading.columns import SCHEMAS, Schema, canonical, describe_expected
from cs_rules.problems import Problem

if TYPE_CHECKING:
    import pandas as pd

HEADER_SCAN_ROWS = 20
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the current folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return rel if not rel.startswith("..") else str(path)


@dataclass
class Source:
    """A file opened for reading: its format, text encoding and first rows per sheet."""

    path: Path
    display: str
    fmt: str  # "csv" | "xlsx"
    encoding: str = ""
    sheets: dict[str, list[list[Any]]] = field(default_factory=dict)  # xlsx: all rows
    head: list[list[str]] = field(default_factory=list)  # csv: first rows
    raw: bytes = b""  # csv: the file's bytes, read once
    delimiter: str = ","  # csv

    def all_rows(self) -> dict[str, list[list[Any]]]:
        """Every row of every sheet, cells as read; a CSV is one sheet named "".

        Vendor adapters recognise and read layouts from these rows whatever the
        format; a CSV is decoded into rows only when an adapter asks.
        """
        if self.fmt == "csv" and not self.sheets.get(""):
            text = self.raw.decode(self.encoding or "utf-8", errors="replace")
            self.sheets = {"": list(csv.reader(io.StringIO(text), delimiter=self.delimiter))}
        return self.sheets


@dataclass
class RawTable:
    """Cells of one table under canonical column names, with their spreadsheet rows.

    ``df`` has one column per canonical name found plus ``_row`` (the row number a
    spreadsheet shows).  ``headers`` maps canonical names to the header text in the
    file, so problems can name the column the way the user sees it.
    """

    source: Source
    schema: Schema
    sheet: str
    header_row: int
    df: pd.DataFrame
    headers: dict[str, str]

    @property
    def display(self) -> str:
        return self.source.display

    def column_label(self, canon: str) -> str:
        return self.headers.get(canon, canon)


def _problem(src: Path | Source, code: str, message: str, hint: str, row: int = 0,
             column: str = "", sheet: str = "") -> Problem:
    disp = src.display if isinstance(src, Source) else display_path(src)
    return Problem(disp, row, column, code, message, hint, "error", sheet)


def detect_encoding(data: bytes) -> str | None:
    """'utf-8-sig', 'utf-8' or 'gb18030'; None for bytes that are no text at all."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if b"\x00" in data[:8192]:
        return None
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        return None


def open_source(path: Path) -> Source | Problem:
    """Open ``path`` and check it is what it claims to be."""
    disp = display_path(path)
    if not path.exists():
        return _problem(path, "file_missing", "file not found", "check the path and the --data folder")
    if path.is_dir():
        return _problem(path, "not_a_file", "is a folder, not a file", "give a CSV or XLSX file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _problem(path, "unreadable", f"cannot be read ({exc.strerror})", "check the file's permissions")
    ext = path.suffix.lower()
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        return _problem(path, "empty_file", "the file is empty",
                        "export it again, or remove it from the data folder")
    if ext in (".xlsx", ".xlsm"):
        if not data.startswith(ZIP_MAGIC):
            what = ("an old .xls workbook" if data.startswith(OLE_MAGIC) else
                    "text, not an Excel workbook" if detect_encoding(data) else
                    "not an Excel workbook (corrupt or renamed)")
            return _problem(path, "not_xlsx", f"has the .xlsx extension but is {what}",
                            "open it in Excel and save it as .xlsx, or give it its real extension")
        try:
            from python_calamine import CalamineWorkbook

            wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheets: dict[str, list[list[Any]]] = {}
            for name in wb.sheet_names:
                sh = wb.get_sheet_by_name(name)
                rows = sh.to_python(skip_empty_area=False)
                sheets[name] = rows
        except Exception as exc:  # calamine raises many kinds on broken zips
            return _problem(path, "corrupt_xlsx", f"is a damaged Excel workbook ({type(exc).__name__})",
                            "open it in Excel and save it again, or export it again")
        return Source(path, disp, "xlsx", sheets=sheets)
    if ext in (".csv", ".tsv", ".txt"):
        if data.startswith(ZIP_MAGIC):
            return _problem(path, "not_csv", f"has the {ext} extension but is an Excel workbook",
                            "rename it to .xlsx")
        enc = detect_encoding(data)
        if enc is None:
            return _problem(path, "binary_file", f"is a binary file, not {ext[1:].upper()} text",
                            "export the data again as CSV (UTF-8 or GBK) or XLSX")
        text = data[: 64 * 1024].decode(enc, errors="replace")
        delim = "\t" if ext == ".tsv" else _sniff_delimiter(text)
        head = list(csv.reader(io.StringIO(text), delimiter=delim))[:HEADER_SCAN_ROWS]
        src = Source(path, disp, "csv", encoding=enc, head=head, raw=data)
        src.sheets = {"": []}
        src.delimiter = delim
        return src
    return _problem(path, "unknown_format", f"unsupported file type '{ext or '(none)'}'",
                    "give a .csv or .xlsx file")


def _sniff_delimiter(text: str) -> str:
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def find_header(rows: list[list[Any]], schemas: list[Schema]) -> tuple[int, Schema, dict[int, str]] | None:
    """Best (row index, schema, {col index: canonical}) among the first rows.

    A row qualifies when it holds all required columns of a schema; among those,
    the one with most recognised columns wins.  None when no row qualifies.
    """
    best: tuple[int, int, int, Schema, dict[int, str]] | None = None
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapping: dict[int, str] = {}
        for j, cell in enumerate(row):
            if cell is None or str(cell).strip() == "":
                continue
            canon = canonical(cell)
            if canon and canon not in mapping.values():
                mapping[j] = canon
        found = set(mapping.values())
        for rank, schema in enumerate(schemas):
            if set(schema.required) <= found:
                score = len(found & set(schema.columns))
                key = (score, -rank)
                if best is None or key > (best[0], best[1]):
                    sub = {j: c for j, c in mapping.items() if c in schema.columns}
                    best = (score, -rank, i, schema, sub)
    if best is None:
        return None
    return best[2], best[3], best[4]


def missing_columns_problem(src: Source, schemas: list[Schema], sheet: str = "") -> Problem:
    """The 'missing required column' error against the closest schema and header row."""
    rows = src.head if src.fmt == "csv" else next(iter(src.sheets.values()), [])
    best_row, best_schema, best_found = 0, schemas[0], set[str | None]()
    for i, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = {canonical(c) for c in cells if c is not None and str(c).strip()}
        for schema in schemas:
            hit = found & set(schema.columns)
            if len(hit) > len(best_found):
                best_row, best_schema, best_found = i, schema, hit
    missing = [c for c in best_schema.required if c not in best_found]
    row = best_row + 1 if best_found else 1
    return Problem(src.display, row, ", ".join(missing), "missing_column",
                   f"missing required column{'s' if len(missing) > 1 else ''} "
                   f"{', '.join(missing)} for a {best_schema.label} file",
                   f"add a header row with: {describe_expected(best_schema)}", "error", sheet)


def read_table(src: Source, kinds: list[str]) -> RawTable | Problem:
    """Locate the header (any sheet, below any title rows) and read the table under it."""
    import pandas as pd

    schemas = [SCHEMAS[k] for k in kinds]
    if src.fmt == "csv":
        found = find_header(src.head, schemas)
        if found is None:
            return missing_columns_problem(src, schemas)
        hrow, schema, mapping = found
        delim = src.delimiter
        headers = {canon: str(src.head[hrow][j]).strip() for j, canon in mapping.items()}
        typed = _read_csv_typed(src, delim, hrow, mapping)
        if typed is not None:
            return RawTable(src, schema, "", hrow + 1, typed, headers)
        try:
            df = _read_csv(src, delim, hrow)
        except Exception as exc:  # malformed quoting etc.
            return _problem(src, "unreadable_csv", f"cannot be read as CSV ({exc})",
                            "open it in Excel and save it as CSV UTF-8")
        headers = {}
        cols = {}
        for j, canon in mapping.items():
            if j < len(df.columns):
                cols[canon] = df.iloc[:, j]
                headers[canon] = str(src.head[hrow][j]).strip()
        out = pd.DataFrame(cols)
        out["_row"] = pd.RangeIndex(hrow + 2, hrow + 2 + len(df))
        nonempty = _nonempty_rows(out, list(cols))
        return RawTable(src, schema, "", hrow + 1, out[nonempty].reset_index(drop=True), headers)
    # xlsx: the first sheet that holds a recognised header
    chosen = None
    for name, rows in src.sheets.items():
        found = find_header(rows, schemas)
        if found is not None:
            chosen = (name, rows, found)
            break
    if chosen is None:
        first = next(iter(src.sheets), "")
        return missing_columns_problem(src, schemas, first)
    name, rows, (hrow, schema, mapping) = chosen
    body = rows[hrow + 1:]
    cols = {}
    headers = {}
    for j, canon in mapping.items():
        cols[canon] = pd.Series([r[j] if j < len(r) else None for r in body], dtype=object)
        headers[canon] = str(rows[hrow][j]).strip()
    out = pd.DataFrame(cols)
    out["_row"] = pd.RangeIndex(hrow + 2, hrow + 2 + len(body))
    nonempty = _nonempty_rows(out, list(cols))
    return RawTable(src, schema, name, hrow + 1, out[nonempty].reset_index(drop=True), headers)


def _read_csv(src: Source, delim: str, hrow: int) -> pd.DataFrame:
    """All cells as strings.  The Arrow reader is ~3× faster; it drops blank lines,
    so files with blank lines inside take the C reader to keep row numbers exact."""
    import pandas as pd

    opts: dict[str, Any] = dict(encoding=src.encoding, sep=delim, skiprows=hrow, header=0, dtype="string",
                                keep_default_na=False, na_values=[])
    data = src.raw or src.path.read_bytes()
    body = data.rstrip(b"\r\n")
    blank_inside = b"\n\n" in body or b"\n\r\n" in body
    if not blank_inside and src.encoding in ("utf-8", "utf-8-sig") and delim in (",", "\t"):
        try:
            return pd.read_csv(io.BytesIO(data), engine="pyarrow", **opts)
        except Exception:  # ragged rows and the like: the C reader copes
            pass
    return pd.read_csv(src.path, engine="c", skip_blank_lines=False, on_bad_lines="skip", **opts)


DATE_COLUMNS = ("date", "hire_date", "leave_date", "notice_date", "start_date", "end_date")
TIME_COLUMNS = ("sign_in", "sign_out")


def _read_csv_typed(src: Source, delim: str, hrow: int, mapping: dict[int, str]) -> pd.DataFrame | None:
    """The common shape in one multi-threaded Arrow pass, dates and times parsed by Arrow.

    UTF-8 with comma or tab only.  Only tables with date or time columns gain from this,
    and only when every such cell is ISO (``2024-05-06``, ``09:03`` / ``09:03:27``) or
    empty.  Anything else (another date form, ``--``, a ragged row) returns None and the
    file takes the general reader, whose parsers report each bad cell — so this path never
    changes a result, only the speed (tests/test_fast_csv.py holds it to that).
    """
    if (not any(c in DATE_COLUMNS + TIME_COLUMNS for c in mapping.values()) or not src.raw
            or src.encoding not in ("utf-8", "utf-8-sig") or delim not in (",", "\t")):
        return None
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    width = len(src.head[hrow])
    names = [f"c{j}" for j in range(width)]
    types: dict[str, Any] = {}
    for j, canon in mapping.items():
        types[names[j]] = (pa.date32() if canon in DATE_COLUMNS else
                           pa.time32("s") if canon in TIME_COLUMNS else pa.string())
    data = src.raw[3:] if src.raw.startswith(b"\xef\xbb\xbf") else src.raw
    try:
        table = pcsv.read_csv(
            pa.py_buffer(data),
            read_options=pcsv.ReadOptions(skip_rows=hrow + 1, column_names=names),
            # a blank line inside is a short row and an error, not silently skipped: row numbers stay exact
            parse_options=pcsv.ParseOptions(delimiter=delim, ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(column_types=types, include_columns=list(types),
                                                null_values=[""], strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError):
        return None
    if table.num_rows == 0:
        return None
    from cs_rules.loading.parse import YEAR_MAX, YEAR_MIN

    lo, hi = pa.scalar(dt.date(YEAR_MIN, 1, 1)), pa.scalar(dt.date(YEAR_MAX, 12, 31))
    for name, t in types.items():  # a typo like 0024-05-06 is the general reader's to report
        if pa.types.is_date(t):
            mm = pc.min_max(table[name])
            if mm["min"].is_valid and (pc.less(mm["min"], lo).as_py() or pc.greater(mm["max"], hi).as_py()):
                return None
    # rows with every mapped cell empty are dropped, as the general reader does
    empty = None
    for name in types:
        col = table[name]
        e = pc.equal(pc.utf8_length(col), 0) if pa.types.is_string(col.type) else pc.is_null(col)
        empty = e if empty is None else pc.and_(empty, e)
    import numpy as np

    rows = pa.array(np.arange(hrow + 2, hrow + 2 + table.num_rows, dtype="int64"))
    table = table.append_column("_row", rows)
    if empty is not None and pc.any(empty).as_py():
        table = table.filter(pc.invert(empty))

    def mapper(t: Any) -> Any:
        return pd.StringDtype("pyarrow") if pa.types.is_string(t) else pd.ArrowDtype(t)

    df = table.rename_columns([mapping.get(int(n[1:]), n) if n != "_row" else n
                               for n in table.column_names]).to_pandas(types_mapper=mapper)
    df["_row"] = df["_row"].astype("int64")
    return df


def _nonempty_rows(df: pd.DataFrame, cols: list[str]) -> pd.Series:
    import pandas as pd

    if not cols:
        return pd.Series(False, index=df.index)
    mask = pd.Series(False, index=df.index)
    for c in cols:
        s = df[c]
        if s.dtype == object:
            mask |= s.map(lambda v: v is not None and str(v).strip() != "")
        else:
            mask |= s.fillna("").str.len().gt(0)
    return mask
