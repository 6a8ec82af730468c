"""Writing reports: formats, spreadsheet-safe cells, masking, and atomic files.

Shared by every command so that CSV, TSV, JSON and XLSX follow one set of rules:
piped output is plain data, files get a BOM for Excel, formula-like cells are
neutralised, and a crash never leaves half a file.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from cs_rules.model.outputs import written_by_cs_rules
from cs_rules.problems import UsageError

__all__ = ["written_by_cs_rules"]  # with the rest of this module's names

FORMATS = ("table", "csv", "tsv", "json", "xlsx")
EXT_FORMATS = {".csv": "csv", ".tsv": "tsv", ".json": "json", ".xlsx": "xlsx", ".txt": "table"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def resolve_format(fmt: str | None, output: Path | None, stdout_tty: bool, allowed: Sequence[str]) -> str:
    """--format wins; else the -o extension; else table on a terminal and CSV in a pipe."""
    if fmt:
        f = fmt.lower()
        if f not in allowed:
            raise UsageError(f"unknown format '{fmt}'", f"use one of: {', '.join(allowed)}")
        if f == "xlsx" and output is None:
            raise UsageError("--format xlsx needs an output file", "add -o report.xlsx")
        return f
    if output is not None:
        f = EXT_FORMATS.get(output.suffix.lower(), "")
        if f not in allowed:
            raise UsageError(f"cannot tell the format from '{output.name}'",
                             f"name the file .csv, .tsv, .json or .xlsx, or pass --format ({', '.join(allowed)})")
        return f
    return "table" if stdout_tty else "csv"


def safe_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula (CSV injection).

    Plain numbers (including negative ones like ``-12.50``) are left alone; any
    other text starting with = + - @ tab or CR gets a leading apostrophe.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.match(value.strip()):
        return "'" + value
    return value


def delimited(rows: Iterable[Sequence[Any]], header: Sequence[str], delimiter: str) -> str:
    """Rows as CSV/TSV text, through the same writer (and formula check) as :func:`delimited_frame`."""
    import pandas as pd

    return delimited_frame(pd.DataFrame(list(rows), columns=list(header), dtype=object), delimiter)


def safe_column(col: Any) -> Any:
    """:func:`safe_cell` over a whole text column at once."""
    import pandas as pd

    s = pd.Series(col, dtype="string").fillna("")
    risky = s.str.match(r"^[=+\-@\t\r]") & ~s.str.strip().str.fullmatch(_NUMBER.pattern)
    return s.where(~risky, "'" + s)


def delimited_frame(frame: Any, delimiter: str, numeric: Iterable[str] = ()) -> str:
    """A DataFrame as CSV/TSV text with every text cell made spreadsheet-safe.

    ``numeric`` names columns the program itself formatted as numbers; they cannot
    hold a formula and skip the check.
    """
    fast = _delimited_arrow(frame, delimiter, set(numeric))
    if fast is not None:
        return fast
    f = frame.copy()
    skip = set(numeric)
    for c in f.columns:
        if c in skip:
            continue
        f[c] = _text_column(f[c])
    f.columns = [safe_cell(str(c)) for c in f.columns]
    return str(f.to_csv(index=False, sep=delimiter, lineterminator="\n"))


def _text_column(col: Any) -> Any:
    """A text column as the writer sees it: cells as ``str`` (None as empty), made safe."""
    return safe_column(col.astype(str) if col.dtype != object else col.map(
        lambda v: "" if v is None else str(v)))


@functools.lru_cache(maxsize=8)
def _quote_chars(delimiter: str) -> str:
    """Characters that make the csv module (QUOTE_MINIMAL, as pandas uses it) quote a cell.

    Asked of the running csv module rather than written down (whether a lone CR is
    quoted has differed between Python versions), so the fast writer quotes exactly
    the cells pandas' writer would on this interpreter.
    """
    import csv
    import io

    found = []
    for ch in dict.fromkeys([delimiter, *map(chr, range(128))]):
        buf = io.StringIO()
        csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerow(["a" + ch + "b", "x"])
        if buf.getvalue().startswith('"'):
            found.append(ch)
    return "".join(found)


def _csv_quote(text: str, chars: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(ch in text for ch in chars) else text


def _may_contain(arr: Any, chars: str) -> bool:
    """Whether any cell of an Arrow string array might hold one of ``chars``.

    Looks at the raw UTF-8 bytes in one pass (UTF-8 never forms a character's bytes
    from parts of other characters), so "no" is exact; "yes" is then checked cell by cell.
    """
    data = arr.buffers()[2]
    if data is None:
        return False
    raw = data.to_pybytes()
    return any(ch.encode() in raw for ch in chars)


def _arrow_cells(col: Any) -> Any:
    """The cells ``DataFrame.to_csv`` would write for a column, as an Arrow large_string
    array (missing cells null), or None when only pandas' own formatting is exact
    (floats, dates, mixed objects)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    dt = col.dtype
    try:
        if isinstance(dt, pd.StringDtype) and dt.storage == "python":
            arr = pa.array(col.to_numpy(dtype=object, na_value=None), type=pa.large_string())
        elif isinstance(dt, pd.StringDtype) or (isinstance(dt, pd.ArrowDtype) and (
                pa.types.is_string(dt.pyarrow_dtype) or pa.types.is_large_string(dt.pyarrow_dtype))):
            arr = pa.array(col.array)
        elif isinstance(dt, np.dtype) and dt.kind == "O":
            if pd.api.types.infer_dtype(col, skipna=True) not in ("string", "empty"):
                return None  # numbers, bytes, dates…: str() and to_csv spell them, not Arrow
            arr = pa.array(col.to_numpy(), type=pa.large_string(), from_pandas=False)
        elif isinstance(dt, np.dtype) and dt.kind in "iu":
            arr = pc.cast(pa.array(col.to_numpy()), pa.large_string())
        else:
            return None
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return None
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pa.large_string())


def _delimited_arrow(frame: Any, delimiter: str, skip: set[str]) -> str | None:
    """:func:`delimited_frame` over Arrow string arrays: what ``to_csv`` writes, without its per-cell loop.

    Only the cells that need it go through Python: formula-like text (through
    :func:`safe_column`, so the rule is the same) and cells to quote. Returns None
    where the pandas writer must decide (one column — it quotes a lone empty cell —,
    repeated names, or a number column it would format itself).
    """
    names = list(frame.columns)
    if len(names) < 2 or len(set(names)) != len(names) or getattr(frame.columns, "nlevels", 1) != 1:
        return None
    quote = _quote_chars(delimiter)
    header = delimiter.join(_csv_quote(safe_cell(str(c)), quote) for c in names)
    if len(frame) == 0:
        return header + "\n"
    # a slice of rows at a time: each column's text (with 8-byte offsets) for all 400,000 rows of a
    # big company took ~300 MB beside a 42 MB document; per slice it is a few MB
    pieces = [header, "\n"]
    for start in range(0, len(frame), _ROWS_PER_PIECE):
        body = _delimited_rows(frame.iloc[start:start + _ROWS_PER_PIECE], delimiter, skip, quote)
        if body is None:
            return None
        pieces += [body, "\n"]
    return "".join(pieces)


_ROWS_PER_PIECE = 50_000


def _delimited_rows(frame: Any, delimiter: str, skip: set[str], quote: str) -> str | None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    empty = pa.scalar("", pa.large_string())
    cols = []
    for i, name in enumerate(frame.columns):
        col = frame.iloc[:, i]
        arr = _arrow_cells(col)
        if name in skip:
            if arr is None:
                return None
            arr = arr.fill_null(empty)
        else:
            if arr is None or arr.null_count:
                arr = pa.array(_text_column(col).to_numpy(dtype=object), type=pa.large_string())
            if _may_contain(arr, "".join(FORMULA_START)):
                risky = pc.match_substring_regex(arr, r"^[=+\-@\t\r]")
                if pc.any(risky).as_py():
                    picked = arr.filter(risky).to_pylist()
                    arr = pc.replace_with_mask(arr, risky, pa.array(
                        safe_column(picked).to_numpy(dtype=object), type=pa.large_string()))
        if _may_contain(arr, quote):
            need = pc.match_substring_regex(arr, "[" + "".join(f"\\x{{{ord(ch):x}}}" for ch in quote) + "]")
            if pc.any(need).as_py():
                quoted = pc.binary_join_element_wise(
                    pa.scalar('"', pa.large_string()), pc.replace_substring(arr, '"', '""'),
                    pa.scalar('"', pa.large_string()), empty)
                arr = pc.if_else(need, quoted, arr)
        cols.append(arr)
    rows = pc.binary_join_element_wise(*cols, pa.scalar(delimiter, pa.large_string()))
    one = pa.LargeListArray.from_arrays(pa.array(np.array([0, len(rows)], dtype="int64")), rows)
    text: str = pc.binary_join(one, pa.scalar("\n", pa.large_string()))[0].as_py()
    return text


def dumps_json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


def check_output_path(output: Path, inputs: Iterable[Path]) -> None:
    """-o never overwrites an input file; a report cs-rules wrote itself may be replaced."""
    try:
        target = output.resolve()
    except OSError:
        return
    ours = None
    for p in inputs:
        try:
            if p.resolve() == target:
                if ours is None:
                    ours = written_by_cs_rules(output)
                if ours:
                    break
                raise UsageError(f"refusing to overwrite the input file {output}",
                                 "choose another -o path (only reports cs-rules wrote itself are replaced)")
        except OSError:
            continue
    if output.is_dir():
        raise UsageError(f"'{output}' is a folder", "give a file name, e.g. -o report.xlsx")
    if not output.parent.exists():
        raise UsageError(f"folder '{output.parent}' does not exist", "create it first or choose another -o path")


def atomic_write(output: Path, write: Callable[[IO[bytes]], object]) -> None:
    """Write via a temporary file in the same folder and rename it into place.

    Only a regular file is replaced that way: a device, a FIFO or a terminal (``-o /dev/stdout``,
    ``-o /dev/null``) is written to directly, never replaced by a file, and a symlink is followed
    to the file it names (issue 15 §7)."""
    import stat

    try:
        st = os.stat(output)  # follows symlinks
    except OSError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        with open(output, "wb") as fh:
            write(fh)
        return
    if output.is_symlink():
        output = output.resolve()
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=str(output.parent or "."))
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a report gets the usual mode
        os.replace(tmp, output)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def stdout_is_file() -> bool:
    """Whether stdout is a regular file (``> 工资.csv``), not a terminal or a pipe."""
    try:
        fd = sys.stdout.fileno()
        st = os.fstat(fd)
        # at the start of an empty file only: `>> old.csv` must not get a BOM in the middle
        return stat.S_ISREG(st.st_mode) and st.st_size == 0 and os.lseek(fd, 0, os.SEEK_CUR) == 0
    except (OSError, ValueError, AttributeError):  # no real descriptor (a test runner's buffer)
        return False


def write_text(output: Path | None, text: str | bytes, bom: bool | None) -> None:
    """Text to stdout, or atomically to a file, as UTF-8 (``bytes`` are that UTF-8 already, and are
    written as they are wherever the text would be written as UTF-8: no decoding and encoding again).

    ``bom=None`` decides for Excel: a BOM in a file (``-o`` or a ``>`` redirect, so Excel
    on Chinese Windows reads the names right), none in a pipe (the next tool gets plain
    data); True or False (``--bom/--no-bom``) overrides."""
    import codecs

    def utf8() -> bytes:
        return ("\ufeff" if bom else "").encode("utf-8") + (text if isinstance(text, bytes) else text.encode("utf-8"))

    if output is None:
        if bom is None:
            bom = stdout_is_file()
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        encoding = getattr(sys.stdout, "encoding", None) or ""
        stream_utf8 = codecs.lookup(encoding).name == "utf-8" if encoding else False
        if buffer is not None and (bom or (isinstance(text, bytes) and stream_utf8)):
            buffer.write(utf8())  # the BOM promises UTF-8 whatever the locale says
            buffer.flush()
        else:
            shown = text.decode("utf-8") if isinstance(text, bytes) else text
            sys.stdout.write(("\ufeff" if bom else "") + shown)
            sys.stdout.flush()
        return
    if bom is None:  # a file gets one; a device or a pipe given as -o (/dev/stdout) is a stream
        try:
            bom = stat.S_ISREG(os.stat(output).st_mode)
        except OSError:
            bom = True  # a new file
    data = utf8()
    atomic_write(output, lambda fh: fh.write(data))
