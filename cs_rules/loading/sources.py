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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cs_rules.loading.columns import SCHEMAS, Schema, alias_rank, canonical, describe_expected
from cs_rules.loading.workbooks import MAX_COLUMNS, MS_1899_12_31, MS_1900_01_01, MS_DAY
from cs_rules.problems import Problem

if TYPE_CHECKING:
    import pandas as pd

    from cs_rules.loading.workbooks import Plan

HEADER_SCAN_ROWS = 20
MAX_HEADER_SCAN = 100_000  # cells of a row looked at when searching the header
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97–2003 (.xls, BIFF8)
BIFF_MAGIC = (b"\x09\x00", b"\x09\x02", b"\x09\x04")  # BOF of BIFF2/3/4 (cheap clocks' .xls)
TEXT_EXTS = (".csv", ".tsv", ".txt")
XLSX_EXTS = (".xlsx", ".xlsm")


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the current folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return rel if not rel.startswith("..") else str(path)


@dataclass
class Source:
    """A file opened for reading: its format, text encoding and rows per sheet.

    ``problems`` collects what opening found that does not stop reading (a hidden sheet,
    a row in another encoding, a formula without a value): the loader adds them to the log.
    """

    path: Path
    display: str
    fmt: str  # "csv" | "xlsx" | "xls" | "dat"
    encoding: str = ""
    sheets: Mapping[str, list[list[Any]]] = field(default_factory=dict)  # workbooks, .dat: all rows
    head: list[list[str]] = field(default_factory=list)  # csv: first rows
    raw: bytes = b""  # csv: the file's bytes (line ends normalised), read once
    delimiter: str = ","  # csv
    datemode: int = 0  # workbooks: 1 for the 1904 date system
    hidden: list[str] = field(default_factory=list)  # hidden sheets, not read
    formulas: dict[str, list[tuple[int, int, str, str]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    label: str = ""  # the encoding as people name it (UTF-8, GB18030, Big5)

    def head_rows(self) -> Mapping[str, list[list[Any]]]:
        """The first rows of every sheet (at least 50; a CSV's first :data:`HEADER_SCAN_ROWS`):
        what header searches and claims look at, without reading a whole workbook's cells."""
        if self.fmt == "csv" and self.head:
            return {"": self.head}
        heads = getattr(self.sheets, "heads", None)
        return heads if heads is not None else self.all_rows()

    def all_rows(self) -> Mapping[str, list[list[Any]]]:
        """Every row of every sheet, cells as read; a CSV or .dat is one sheet named "".

        Vendor adapters recognise and read layouts from these rows whatever the
        format; a CSV is decoded into rows only when an adapter asks.
        """
        if self.fmt == "csv" and not self.sheets.get(""):
            text = self.raw.decode(self.encoding or "utf-8", errors="replace")
            self.sheets = {"": list(csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter))}
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

    @property
    def epoch(self) -> dt.datetime:
        """Day 0 of the workbook's serial dates (1904 system on some Mac workbooks)."""
        return EPOCH_1904 if self.source.datemode == 1 else EPOCH_1900

    def column_label(self, canon: str) -> str:
        return self.headers.get(canon, canon)


EPOCH_1900 = dt.datetime(1899, 12, 30)
EPOCH_1904 = dt.datetime(1904, 1, 1)


def _problem(src: Path | Source, code: str, message: str, hint: str, row: int = 0,
             column: str = "", sheet: str = "", severity: str = "error") -> Problem:
    disp = src.display if isinstance(src, Source) else display_path(src)
    return Problem(disp, row, column, code, message, hint, severity, sheet)  # type: ignore[arg-type]


def detect_encoding(data: bytes) -> str | None:
    """'utf-8-sig', 'utf-8', 'gb18030' or 'big5hkscs'; None for bytes that are no text at all."""
    from cs_rules.loading.text import decode_text

    return decode_text(data).encoding


def open_source(path: Path, ahead: list[str] | None = None) -> Source | Problem:
    """Open ``path`` and check it is what it claims to be; never raises on what a file holds.

    ``ahead``: the kinds of table the caller will read from it; a big XLSX sheet of one of them
    then has its columns parsed in a child process while the limits scan runs (see
    :func:`~cs_rules.loading.workbooks.read_xlsx`)."""
    disp = display_path(path)
    if path.is_symlink() and not path.exists():
        return _problem(path, "dangling_link", f"is a link to {os.readlink(path)}, which does not exist",
                        "point the link at the real file, or copy the file here")
    if not path.exists():
        return _problem(path, "file_missing", "file not found", "check the path and the --data folder")
    if path.is_dir():
        return _problem(path, "not_a_file", "is a folder, not a file", "give a CSV or XLSX file")
    try:
        stamp = _stamp(path)  # before the read: a change during it shows as a different stamp later
        data = path.read_bytes()
    except OSError as exc:
        return _problem(path, "unreadable", f"cannot be read ({exc.strerror})", "check the file's permissions")
    except MemoryError:
        return _problem(path, "too_big", "is too big to read into memory", "split the file, or export it as CSV")
    ext = path.suffix.lower()
    if _blank(data):
        return _problem(path, "empty_file", "the file is empty",
                        "export it again, or remove it from the data folder")
    if ext in XLSX_EXTS:
        if data.startswith(OLE_MAGIC) or data.startswith(BIFF_MAGIC):
            src = _open_workbook(path, disp, data, "xls")
            if isinstance(src, Source):
                src.problems.append(_problem(src, "misnamed_workbook", "is an Excel 97–2003 (.xls) workbook "
                                             "named .xlsx; read as .xls", "give it the .xls extension",
                                             severity="warning"))
            return src
        if not data.startswith(ZIP_MAGIC):
            what = ("text, not an Excel workbook" if _is_text(data) else
                    "not an Excel workbook (corrupt or renamed)")
            return _problem(path, "not_xlsx", f"has the .xlsx extension but is {what}",
                            "open it in Excel and save it as .xlsx, or give it its real extension")
        return _open_workbook(path, disp, data, "xlsx", stamp, ahead)
    if ext == ".xls":
        if data.startswith(ZIP_MAGIC):
            src = _open_workbook(path, disp, data, "xlsx", stamp)
            if isinstance(src, Source):
                src.fmt = "xlsx"
            return src
        if data.startswith(OLE_MAGIC) or data.startswith(BIFF_MAGIC):
            return _open_workbook(path, disp, data, "xls")
        head = data[:2048].lstrip().lower()
        if head.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta")):
            return _problem(path, "html_xls", "is a web page (HTML) saved with the .xls extension, not a workbook",
                            "open it in Excel or WPS and save it as .xlsx")
        if _is_text(data):  # many systems export tab-separated text named .xls
            src = _open_text(path, disp, data, ".tsv")
            if isinstance(src, Source):
                src.problems.append(_problem(src, "text_named_xls", "is tab-separated text named .xls; read as text",
                                             "rename it to .tsv or save it as .xlsx", severity="warning"))
            return src
        return _problem(path, "not_xls", "has the .xls extension but is not an Excel workbook (corrupt or renamed)",
                        "open it in Excel and save it as .xlsx")
    if ext in TEXT_EXTS or ext == ".dat":
        if data.startswith(ZIP_MAGIC):
            return _problem(path, "not_csv", f"has the {ext} extension but is an Excel workbook",
                            "rename it to .xlsx")
        if data.startswith(OLE_MAGIC):
            return _problem(path, "not_csv", f"has the {ext} extension but is an Excel 97–2003 workbook",
                            "rename it to .xls")
        return _open_text(path, disp, data, ext)
    return _problem(path, "unknown_format", f"unsupported file type '{ext or '(none)'}'",
                    "give a .csv, .xlsx or .xls file")


def _blank(data: bytes) -> bool:
    """Nothing but spaces, line ends and BOMs: the first 4 KB decide almost every file without
    copying a 40 MB sign-in sheet only to find its first byte is text."""
    ws = b" \t\r\n\xef\xbb\xbf"
    return not data[:4096].strip(ws) and not data.strip(ws)


def _is_text(data: bytes) -> bool:
    from cs_rules.loading.text import decode_text

    return decode_text(data[:65536]).encoding is not None


def _open_text(path: Path, disp: str, data: bytes, ext: str) -> Source | Problem:
    """A CSV/TSV/TXT or clock log: the encoding decided once, bad lines located."""
    import codecs

    from cs_rules.loading.text import decode_text, normalise_line_ends

    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not utf16:
        data = normalise_line_ends(data)
    dec = decode_text(data)
    if dec.encoding is None:
        if dec.unknown_at:
            row, at = dec.unknown_at
            return _problem(path, "unknown_encoding",
                            f"is not text in UTF-8, GB18030 or Big5: the bytes at offset {at} (row {row}) are in "
                            "no encoding cs-rules reads",
                            "open it in Excel or WPS and save it as CSV UTF-8", row=row)
        kind = "DAT" if ext == ".dat" else ext[1:].upper()
        return _problem(path, "binary_file", f"is a binary file, not {kind} text",
                        "export the data again as CSV (UTF-8 or GBK) or XLSX")
    if dec.transcoded is not None:
        data = normalise_line_ends(dec.transcoded)
    enc = dec.encoding
    src = Source(path, disp, "dat" if ext == ".dat" else "csv", encoding=enc, raw=data, label=dec.label)
    for issue in dec.issues:
        src.problems.append(_problem(src, "mixed_encoding", issue.message, issue.hint, row=issue.row))
    if dec.note:
        src.problems.append(_problem(src, "big5_file", dec.note, "save it as CSV UTF-8 to be sure",
                                     severity="warning"))
    if ext == ".dat":
        text = data.decode(enc, errors="replace").lstrip("\ufeff")
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        src.sheets = {"": [ln.rstrip("\r").split("\t") for ln in lines]}
        return src
    text = data[: 64 * 1024].decode(enc, errors="replace")
    delim = "\t" if ext == ".tsv" else _sniff_delimiter(text)
    head = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))[:HEADER_SCAN_ROWS]
    src.head = head
    src.sheets = {"": []}
    src.delimiter = delim
    return src


def _stamp(path: Path) -> tuple[int, int, int, int]:
    """What tells a file rewritten since it was read: device, inode, size, change time in ns."""
    st = os.stat(path)
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _open_workbook(path: Path, disp: str, data: bytes, fmt: str,
                   stamp: tuple[int, int, int, int] | None = None, ahead: list[str] | None = None
                   ) -> Source | Problem:
    """An XLSX or XLS with every visible sheet, checked against the limits first."""
    from cs_rules.loading.workbooks import read_xls, read_xlsx

    try:
        book = (read_xlsx(data, _unchanged(path, stamp) if stamp is not None else None,
                          _ahead_plan(ahead) if ahead else None) if fmt == "xlsx"
                else read_xls(data))
    except MemoryError:
        return _problem(path, "too_big", "is too big to read into memory", "split the workbook, or export it as CSV")
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine and xlrd raise many kinds on broken files (a Rust panic too)
        what = "Excel workbook" if fmt == "xlsx" else "Excel 97–2003 workbook"
        return _problem(path, f"corrupt_{fmt}", f"is a damaged {what} ({type(exc).__name__})",
                        "open it in Excel and save it again, or export it again")
    if isinstance(book, str):
        return _problem(path, f"corrupt_{fmt}" if "damaged" in book else "too_big",
                        f"is not read: {book}", "open it in Excel and save it again, or export it as CSV")
    src = Source(path, disp, fmt, sheets=book.sheets, datemode=1 if book.date1904 else 0,
                 hidden=book.hidden, formulas=book.formulas)
    for sheet, message, hint in book.problems:
        src.problems.append(_problem(src, "sheet_too_big", message, hint, sheet=sheet))
    if hasattr(book.sheets, "on_error"):  # a sheet read later, when someone needs its rows
        what = "Excel workbook" if fmt == "xlsx" else "Excel 97–2003 workbook"
        book.sheets.on_error = lambda why: src.problems.append(_problem(
            src, f"corrupt_{fmt}", f"is a damaged {what} ({why})",
            "open it in Excel and save it again, or export it again"))
    if book.hidden:
        names = ", ".join(book.hidden)
        src.problems.append(_problem(src, "hidden_sheet",
                                     f"hidden sheet{'s' if len(book.hidden) > 1 else ''} {names} "
                                     f"{'are' if len(book.hidden) > 1 else 'is'} not read",
                                     "unhide it in Excel if it holds data to use, or delete it",
                                     severity="warning"))
    if not book.sheets and not book.problems:
        src.problems.append(_problem(src, "no_sheets", "has no visible sheet", "unhide the sheet that holds the data"))
    return src


def _unchanged(path: Path, stamp: tuple[int, int, int, int]) -> Callable[[], Path | None]:
    """``path`` while the file is still the one whose bytes were read and checked, else None."""

    def check() -> Path | None:
        try:
            return path if _stamp(path) == stamp else None
        except OSError:
            return None

    return check


def _sniff_delimiter(text: str) -> str:
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _header_cells(row: list[Any]) -> dict[str, list[tuple[int, int]]]:
    """canonical -> [(rank, column index)] for the recognised cells of one row."""
    found: dict[str, list[tuple[int, int]]] = {}
    for j, cell in enumerate(row):
        if cell is None or not isinstance(cell, (str, int, float)) or str(cell).strip() == "":
            continue
        canon = canonical(cell)
        if canon:
            found.setdefault(canon, []).append((alias_rank(cell), j))
    return found


def find_header(rows: list[list[Any]], schemas: list[Schema]) -> tuple[int, Schema, dict[int, str]] | None:
    """Best (row index, schema, {col index: canonical}) among the first rows.

    A row qualifies when it holds all required columns of a schema; among those,
    the one with most recognised columns wins.  A column named twice maps to its
    first best-ranked cell (a weak name gives way to a sure one; two sure ones are
    reported by :func:`duplicate_columns`).  None when no row qualifies.
    """
    best: tuple[int, int, int, Schema, dict[int, str]] | None = None
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if len(row) > MAX_HEADER_SCAN:
            continue
        cells = _header_cells(row)
        mapping = {min(hits)[1]: canon for canon, hits in cells.items()}
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


def duplicate_columns(src: Source, row: list[Any], header_row: int, schema: Schema, sheet: str = "") -> list[Problem]:
    """Two columns that both surely mean one input column: which one holds the data is a guess."""
    from cs_rules.loading.workbooks import col_letters

    out = []
    for canon, hits in _header_cells(row).items():
        if canon not in schema.columns:
            continue
        top = min(r for r, _ in hits)
        same = sorted(j for r, j in hits if r == top)
        if len(same) > 1:
            names = " and ".join(f"'{str(row[j]).strip()}' (column {col_letters(j)})" for j in same)
            out.append(_problem(src, "duplicate_column", f"two columns mean {canon}: {names}",
                                "delete or rename one of them; cs-rules will not guess which holds the data",
                                row=header_row, column=str(row[same[1]]).strip(), sheet=sheet))
    return out


def missing_columns_problem(src: Source, schemas: list[Schema], sheet: str = "") -> Problem:
    """The 'missing required column' error against the closest schema and header row."""
    rows = src.head if src.fmt == "csv" else src.sheets.get(sheet) or next(iter(src.sheets.values()), [])
    best_row, best_schema, best_found = 0, schemas[0], set[str | None]()
    for i, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = {canonical(c) for c in cells[:MAX_HEADER_SCAN] if c is not None and str(c).strip()}
        for schema in schemas:
            hit = found & set(schema.columns)
            if len(hit) > len(best_found):
                best_row, best_schema, best_found = i, schema, hit
    missing = [c for c in best_schema.required if c not in best_found]
    row = best_row + 1 if best_found else 1
    hint = f"add a header row with: {describe_expected(best_schema)}"
    if src.label == "GB18030" and not best_found:
        hint += " (if the file is in another encoding, save it as CSV UTF-8)"
    return Problem(src.display, row, ", ".join(missing), "missing_column",
                   f"missing required column{'s' if len(missing) > 1 else ''} "
                   f"{', '.join(missing)} for a {best_schema.label} file", hint, "error", sheet)


def read_table(src: Source, kinds: list[str]) -> RawTable | Problem:
    """The first table of :func:`read_tables` (for callers that want one)."""
    got = read_tables(src, kinds)
    return got if isinstance(got, Problem) else got[0]


def read_tables(src: Source, kinds: list[str]) -> list[RawTable] | Problem:
    """Every table in the file: a CSV's one, or one per visible sheet with a recognised header.

    Problems that do not stop reading (ragged rows, a column named twice, a formula
    without a value) go to ``src.problems``; a Problem is returned when no table is found.
    """
    schemas = [SCHEMAS[k] for k in kinds]
    if src.fmt == "csv":
        wide = next((i for i, r in enumerate(src.head) if len(r) > MAX_COLUMNS), None)
        if wide is not None:
            lines = src.raw.split(b"\n", wide + 1)
            n = lines[wide].count(src.delimiter.encode()) + 1 if wide < len(lines) else len(src.head[wide])
            return _problem(src, "too_many_columns", f"row {wide + 1} has {n:,} columns; cs-rules reads at "
                            f"most {MAX_COLUMNS:,}", "delete the empty columns, or check the delimiter",
                            row=wide + 1)
        found = find_header(src.head, schemas)
        if found is None:
            return missing_columns_problem(src, schemas)
        return [_read_csv_table(src, *found)]
    tables: list[RawTable] = []
    heads = src.head_rows()
    for name in src.sheets:
        found = find_header(heads[name], schemas)
        if found is None:
            if _looks_like_table(heads[name]) and src.fmt != "dat":
                src.problems.append(_problem(src, "sheet_not_read", f"sheet {name} holds a table without a "
                                             "recognised header and is not read",
                                             f"if it holds data to use, give it a header row with: "
                                             f"{describe_expected(schemas[0])}", sheet=name, severity="warning"))
            continue
        fast = _sheet_table_arrow(src, name, heads[name], *found) if src.fmt == "xlsx" else None
        tables.append(fast if fast is not None else _sheet_table(src, name, src.sheets[name], *found, heads[name]))
    if not tables:
        if src.fmt == "dat":
            return _problem(src, "unknown_layout", "is a clock log (.dat) whose layout no reader recognises",
                            "export the punches from the clock software as CSV or XLSX")
        first = next(iter(src.sheets), "")
        return missing_columns_problem(src, schemas, first)
    return tables


def read_ahead(src: Source, kinds: list[str]) -> None:
    """Start reading, in the background, the columns :func:`read_tables` will ask of each XLSX sheet
    with a recognised header (see :meth:`~cs_rules.loading.workbooks.LazySheets.read_ahead`)."""
    if src.fmt != "xlsx" or not hasattr(src.sheets, "read_ahead"):
        return
    heads = src.head_rows()
    for name, skip, letters in _ahead_plan(kinds)({n: heads[n] for n in src.sheets}, bool(src.datemode)):
        src.sheets.read_ahead(name, skip, letters)  # type: ignore[attr-defined]


def _ahead_plan(kinds: list[str]) -> Plan:
    """Sheet → first rows, 1904 date system → the (sheet, rows to skip, column letters) that
    :func:`_sheet_table_arrow` will ask of each sheet with a recognised header: the columns worth
    reading ahead, the same ones whoever asks."""
    schemas = [SCHEMAS[k] for k in kinds]

    def plan(heads: dict[str, list[list[Any]]], date1904: bool) -> list[tuple[str, int, list[str]]]:
        out = []
        for name, head in heads.items():
            found = find_header(head, schemas)
            if found is None:
                continue
            hrow, _schema, mapping = found
            letters = _letters(head, hrow, mapping, date1904)
            if letters is not None:
                out.append((name, hrow + 1, letters))
        return out

    return plan


def _looks_like_table(rows: list[list[Any]]) -> bool:
    dense = 0
    for r in rows[:50]:
        if sum(1 for c in r if c not in (None, "")) >= 3:
            dense += 1
    return dense >= 2


def _sheet_table(src: Source, name: str, rows: list[list[Any]], hrow: int, schema: Schema,
                 mapping: dict[int, str], head: list[list[Any]] | None = None) -> RawTable:
    """``head``: the sheet's first rows, whose header stands when ``rows`` came back empty (a
    sheet its reader could not read whole: the damage is already one of ``src.problems``)."""
    import numpy as np

    body = rows[hrow + 1:]
    square = len(set(map(len, body))) <= 1
    cols = {}
    nonempty = np.zeros(len(body), dtype=bool)
    for j, canon in mapping.items():
        if square and body and j < len(body[0]):
            from operator import itemgetter

            values = list(map(itemgetter(j), body))
        else:
            values = [r[j] if j < len(r) else None for r in body]
        cols[canon], filled = _sheet_column(values, canon)
        nonempty |= filled
    header = rows[hrow] if hrow < len(rows) or head is None else head[hrow]
    return _sheet_raw(src, name, header, hrow, schema, mapping, cols, nonempty)


def _sheet_raw(src: Source, name: str, header: list[Any], hrow: int, schema: Schema, mapping: dict[int, str],
               cols: dict[str, pd.Series], nonempty: Any) -> RawTable:
    """The RawTable of a sheet's columns (however they were read): the rows holding something,
    their spreadsheet row numbers, and the problems of its header and of formulas without a value."""
    import pandas as pd

    src.problems.extend(duplicate_columns(src, header, hrow + 1, schema, name))
    headers = {canon: str(header[j]).strip() for j, canon in mapping.items()}
    out = pd.DataFrame({canon: cols[canon] for canon in mapping.values()})
    out["_row"] = pd.RangeIndex(hrow + 2, hrow + 2 + len(nonempty))
    for r, c, ref, formula in src.formulas.get(name, []):
        if r > hrow + 1 and c in mapping:
            src.problems.append(_problem(src, "formula_without_value",
                                         f"cell {ref} holds a formula (={formula}) with no saved value",
                                         "open and save the file in Excel or WPS so the value is stored",
                                         row=r, column=headers[mapping[c]], sheet=name))
    return RawTable(src, schema, name, hrow + 1, out[nonempty].reset_index(drop=True), headers)


def _arrow_columns(src: Source, head: list[list[Any]], hrow: int, mapping: dict[int, str]) -> list[str] | None:
    """The column letters :func:`_sheet_table_arrow` asks of a sheet (its rows below ``hrow``),
    or None when that path is not open to it; :func:`read_ahead` asks the same, so a column read
    ahead is the one asked for."""
    if src.fmt != "xlsx" or not hasattr(src.sheets, "columns"):
        return None
    return _letters(head, hrow, mapping, bool(src.datemode))


def _letters(head: list[list[Any]], hrow: int, mapping: dict[int, str], date1904: bool) -> list[str] | None:
    from cs_rules.loading.workbooks import col_letters

    if date1904 or hrow >= len(head) or not mapping:
        return None
    return [col_letters(j) for j in sorted(mapping)]


def _sheet_table_arrow(src: Source, name: str, head: list[list[Any]], hrow: int, schema: Schema,
                       mapping: dict[int, str]) -> RawTable | None:
    """The table of an XLSX sheet read column by column into Arrow (fastexcel), or None.

    Reading a 900,000-row sheet as Python cells and then building columns from them took
    most of the time; fastexcel hands over typed columns.  It is taken only when every
    column read holds one kind of cell — text, dates (whole days), times of day — and the
    columns come out as :func:`_sheet_column` would make them from the cells (text as
    Arrow strings, as the CSV reader gives them); anything else (a number column — fastexcel
    cannot say which of its cells were dates —, text among the times, a 1904 workbook) returns
    None and the sheet's cells are read as before.  So this changes the speed, never a result
    (tests/test_xlsx_arrow.py).
    """
    letters = _arrow_columns(src, head, hrow, mapping)
    if letters is None or src.sheets.loaded(name):  # type: ignore[attr-defined]
        return None
    import numpy as np

    table = src.sheets.columns(name, hrow + 1, letters)  # type: ignore[attr-defined]
    if table is None or table.num_rows == 0:
        return None
    cols: dict[str, pd.Series] = {}
    nonempty = np.zeros(table.num_rows, dtype=bool)
    for k, j in enumerate(sorted(mapping)):
        got = _arrow_sheet_column(table.column(k), mapping[j])
        if got is None:
            return None
        cols[mapping[j]], filled = got
        nonempty |= filled
    return _sheet_raw(src, name, head[hrow], hrow, schema, mapping, cols, nonempty)




def _arrow_sheet_column(col: Any, canon: str) -> tuple[pd.Series, Any] | None:
    """(Series, mask of cells holding something) for one fastexcel column, or None when
    its cells are not all what :func:`_sheet_column` puts into Arrow or keeps as text."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    t = arr.type
    if pa.types.is_null(t):
        arr = pa.array([""] * len(arr), type=pa.string())
        t = arr.type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        text = arr.cast(pa.string()).fill_null("")
        enc = pc.dictionary_encode(text)
        filled = _holding(enc.indices.to_numpy(zero_copy_only=False), enc.dictionary.to_pylist())
        return pd.Series(pd.arrays.ArrowStringArray(text)), filled
    if not pa.types.is_timestamp(t) or t.tz is not None:
        return None
    ms = arr.cast(pa.timestamp("ms")).cast(pa.int64())
    valid = ms.is_valid().to_numpy(zero_copy_only=False)
    v = ms.fill_null(MS_1900_01_01).to_numpy()
    if canon in DATE_COLUMNS:
        from cs_rules.loading.parse import YEAR_MAX, YEAR_MIN

        if not valid.any() or bool((v % MS_DAY != 0).any()) or int(v.min()) < MS_1900_01_01:
            return None
        days = pa.array(v // MS_DAY, type=pa.int32(), mask=~valid).cast(pa.date32())
        mm = pc.min_max(days)
        if mm["min"].as_py().year < YEAR_MIN or mm["max"].as_py().year > YEAR_MAX:
            return None  # the general parser reports those
        return pd.Series(pd.arrays.ArrowExtensionArray(days)), valid
    if canon in TIME_COLUMNS:
        v = np.where(valid, v, MS_1899_12_31)
        if not valid.any() or int(v.min()) < MS_1899_12_31 or int(v.max()) >= MS_1900_01_01:
            return None
        # whole seconds only: fastexcel types a number among time cells as a time too, and the
        # general parser rounds a number's seconds where a time cell's are cut — equal when whole
        if bool((v % 1000 != 0).any()):
            return None
        secs = pa.array((v - MS_1899_12_31) // 1000, type=pa.int32(), mask=~valid).cast(pa.time32("s"))
        return pd.Series(pd.arrays.ArrowExtensionArray(secs)), valid
    return None


def _sheet_column(values: list[Any], canon: str) -> tuple[pd.Series, Any]:
    """One column of sheet cells: (Series, mask of the cells that hold something).

    A date column of nothing but date cells (and empty ones), or a time column of nothing
    but time cells, goes into Arrow (date32 / time32[s]) as the typed CSV reader's do, so
    parsing takes the same column-wise path; anything else stays the cells as read (object)
    for the general parsers, which locate each bad cell.  The Arrow columns hold exactly
    what the general parsers make of such cells (a time's microseconds are dropped there
    too), so this changes the speed, never a result.
    """
    import collections

    import pandas as pd

    kinds = collections.Counter(map(type, values))
    blank_ok = kinds.get(str, 0) == (values.count("") if str in kinds else 0)
    arr = None
    if blank_ok and canon in DATE_COLUMNS and set(kinds) <= {dt.date, str, type(None)} and dt.date in kinds:
        import pyarrow as pa
        import pyarrow.compute as pc

        from cs_rules.loading.parse import YEAR_MAX, YEAR_MIN

        arr = pa.array([None if v == "" else v for v in values], type=pa.date32())
        mm = pc.min_max(arr)
        if mm["min"].as_py().year < YEAR_MIN or mm["max"].as_py().year > YEAR_MAX:
            arr = None  # the general parser reports those
    elif blank_ok and canon in TIME_COLUMNS and set(kinds) <= {dt.time, str, type(None)} and dt.time in kinds:
        import pyarrow as pa
        import pyarrow.compute as pc

        us = pa.array([None if v == "" else v for v in values], type=pa.time64("us")).cast(pa.int64())
        arr = pc.divide(us, 1_000_000).cast(pa.int32()).cast(pa.time32("s"))
    if arr is not None:
        filled = arr.is_valid().to_numpy(zero_copy_only=False)
        return pd.Series(pd.arrays.ArrowExtensionArray(arr)), filled
    series = pd.Series(values, dtype=object)
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    return series, _holding(codes, uniques)


def _holding(codes: Any, uniques: Any) -> Any:
    """Which cells hold something, by the general reader's test (a cell holds something when its
    text is not blank), asked once per distinct value: ``uniques[codes]`` are the cells."""
    import numpy as np

    keep = np.fromiter((v is not None and str(v).strip() != "" for v in uniques), dtype=bool, count=len(uniques))
    return keep[codes] if len(codes) else np.zeros(0, dtype=bool)


def _read_csv_table(src: Source, hrow: int, schema: Schema, mapping: dict[int, str]) -> RawTable:
    import pandas as pd

    header = src.head[hrow]
    src.problems.extend(duplicate_columns(src, header, hrow + 1, schema))
    delim = src.delimiter
    headers = {canon: str(header[j]).strip() for j, canon in mapping.items()}
    typed = _read_csv_typed(src, delim, hrow, mapping)
    if typed is not None:
        return RawTable(src, schema, "", hrow + 1, typed, headers)
    df = _read_csv_fast(src, delim, hrow, len(header))
    if df is None:
        out = _read_csv_exact(src, delim, hrow, mapping, headers)
    else:
        cols = {canon: df.iloc[:, j] for j, canon in mapping.items() if j < len(df.columns)}
        out = pd.DataFrame(cols)
        out["_row"] = pd.RangeIndex(hrow + 2, hrow + 2 + len(df))
    nonempty = _nonempty_rows(out, [c for c in out.columns if c != "_row"])
    return RawTable(src, schema, "", hrow + 1, out[nonempty].reset_index(drop=True), headers)


def _read_csv_fast(src: Source, delim: str, hrow: int, width: int) -> pd.DataFrame | None:
    """All cells as strings through pandas, or None when the file needs the exact reader.

    The fast readers quietly fill short rows, and a quote can make many lines one cell;
    a file showing either (or any parse error) is handed to :func:`_read_csv_exact`.
    """
    import pandas as pd

    data = src.raw or src.path.read_bytes()
    opts: dict[str, Any] = dict(encoding=src.encoding, sep=delim, skiprows=hrow, header=0, dtype="string",
                                keep_default_na=False, na_values=[])
    body = data.rstrip(b"\r\n")
    blank_inside = b"\n\n" in body or b"\n\r\n" in body
    df = None
    if not blank_inside and src.encoding in ("utf-8", "utf-8-sig") and delim in (",", "\t") and not src.problems:
        try:
            df = pd.read_csv(io.BytesIO(data), engine="pyarrow", **opts)
        except Exception:  # ragged rows and the like: the exact reader locates them
            return None
    if df is None:
        try:
            df = pd.read_csv(io.BytesIO(data), engine="c", skip_blank_lines=False, on_bad_lines="error",
                             encoding_errors="replace", **opts)
        except Exception:
            return None
    if len(df.columns) != width:
        return None
    na = df.isna()
    if bool((na.any(axis=1) & ~na.all(axis=1)).any()):  # a short row, filled by the reader
        return None
    if b'"' in data:  # a cell over several lines: a real note, or a quote left open
        for c in df.columns:
            if bool(df[c].str.contains("\n", regex=False).fillna(False).any()):
                return None
    return df


def _read_csv_exact(src: Source, delim: str, hrow: int, mapping: dict[int, str],
                    headers: dict[str, str]) -> pd.DataFrame:
    """Record by record with Python's csv module: every ragged row and open quote located.

    Rows with the wrong number of fields are reported and left out (their cells would
    land in other columns); rows of only empty cells are blank lines.
    """
    import pandas as pd

    from cs_rules.loading.text import scan_records, swallowed_lines
    from cs_rules.loading.workbooks import col_letters

    text = (src.raw or src.path.read_bytes()).decode(src.encoding, errors="replace")
    sc = scan_records(text, delim)
    header = sc.records[hrow] if hrow < len(sc.records) else []
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1
    width = max(width, max(mapping) + 1 if mapping else 0)
    label = {j: str(header[j]).strip() if j < len(header) else col_letters(j) for j in range(width)}
    keep: list[list[str]] = []
    rows: list[int] = []
    for i, rec in enumerate(sc.records[hrow + 1:]):
        row = hrow + 2 + i
        if not any(c.strip() for c in rec):
            continue
        swallowed = [(j, swallowed_lines(c, delim, width)) for j, c in enumerate(rec) if "\n" in c]
        swallowed = [(j, n) for j, n in swallowed if n]
        if swallowed:
            j = swallowed[0][0]
            n = rec[j].count("\n")
            src.problems.append(_problem(
                src, "unbalanced_quote",
                f"a quote (\") opens a cell here that runs over the next {n} line{'s' if n > 1 else ''}: "
                "those rows are read as one cell",
                "remove the stray quote or close it; a quote belongs only around a whole cell",
                row=row, column=label.get(j, col_letters(j))))
            continue
        n = len(rec)
        if n > width and any(c.strip() for c in rec[width:]):
            extra = next(k for k in range(width, n) if rec[k].strip())
            src.problems.append(_problem(
                src, "too_many_fields",
                f"this row has {n} fields but the header has {width} (column {col_letters(extra)} holds "
                f"'{_short(rec[extra])}'): its cells cannot be matched to the columns",
                "quote the cell that holds a comma (\"张,三\"), or remove the extra delimiter",
                row=row, column=col_letters(extra)))
            continue
        if n < width:
            src.problems.append(_problem(
                src, "too_few_fields",
                f"this row has {n} field{'s' if n != 1 else ''} but the header has {width}: a cell is missing, so "
                "every cell after it would be read in the wrong column",
                "add the missing cell (an empty one between two delimiters if it is blank)",
                row=row, column=label.get(n, col_letters(n))))
            continue
        keep.append(rec)
        rows.append(row)
    if sc.error is not None:
        src.problems.append(_problem(src, "unreadable_csv", f"cannot be read as CSV from here on ({sc.error[1]})",
                                     "open it in Excel and save it as CSV UTF-8", row=sc.error[0]))
    cols = {canon: pd.Series([r[j] for r in keep], dtype="string") for j, canon in mapping.items()}
    out = pd.DataFrame(cols)
    out["_row"] = pd.Series(rows, dtype="int64")
    return out


def _short(text: str) -> str:
    return text if len(text) <= 20 else text[:20] + "…"


DATE_COLUMNS = ("date", "hire_date", "leave_date", "notice_date", "start_date", "end_date")
TIME_COLUMNS = ("sign_in", "sign_out", "time")


def _read_csv_typed(src: Source, delim: str, hrow: int, mapping: dict[int, str]) -> pd.DataFrame | None:
    """The common shape in one multi-threaded Arrow pass, dates and times parsed by Arrow.

    UTF-8 with comma or tab only.  Only tables with date or time columns gain from this,
    and only when every such cell is ISO (``2024-05-06``, ``09:03`` / ``09:03:27``) or
    empty.  Anything else (another date form, ``--``, a ragged row) returns None and the
    file takes the general reader, whose parsers report each bad cell — so this path never
    changes a result, only the speed (tests/test_fast_csv.py holds it to that).
    """
    if (not any(c in DATE_COLUMNS + TIME_COLUMNS for c in mapping.values()) or not src.raw or src.problems
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
    if b'"' in data:  # a quoted cell over several lines: the exact reader tells a note from an open quote
        for name, t in types.items():
            if pa.types.is_string(t) and pc.any(pc.match_substring(table[name], "\n")).as_py():
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
