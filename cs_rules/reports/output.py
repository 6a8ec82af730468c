"""Writing reports: formats, spreadsheet-safe cells, masking, and atomic files.

Shared by every command so that CSV, TSV, JSON and XLSX follow one set of rules:
piped output is plain data, files get a BOM for Excel, formula-like cells are
neutralised, confidential columns are masked, and a crash never leaves half a file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from cs_rules.problems import UsageError

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


def mask_phone(text: Any) -> str:
    s = "" if text is None else str(text)
    if not s or s == "<NA>":
        return ""
    digits = re.sub(r"\D", "", s)
    if len(digits) >= 7:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * len(digits)


def mask_id_number(text: Any) -> str:
    s = "" if text is None else str(text).strip()
    if not s or s == "<NA>":
        return ""
    if len(s) >= 8:
        return s[:4] + "*" * (len(s) - 8) + s[-4:]
    return "*" * len(s)


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
    f = frame.copy()
    skip = set(numeric)
    for c in f.columns:
        if c in skip:
            continue
        f[c] = safe_column(f[c].astype(str) if f[c].dtype != object else f[c].map(
            lambda v: "" if v is None else str(v)))
    f.columns = [safe_cell(str(c)) for c in f.columns]
    return str(f.to_csv(index=False, sep=delimiter, lineterminator="\n"))


def dumps_json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


def check_output_path(output: Path, inputs: Iterable[Path]) -> None:
    """-o never overwrites an input file."""
    try:
        target = output.resolve()
    except OSError:
        return
    for p in inputs:
        try:
            if p.resolve() == target:
                raise UsageError(f"refusing to overwrite the input file {output}", "choose another -o path")
        except OSError:
            continue
    if output.is_dir():
        raise UsageError(f"'{output}' is a folder", "give a file name, e.g. -o report.xlsx")
    if not output.parent.exists():
        raise UsageError(f"folder '{output.parent}' does not exist", "create it first or choose another -o path")


def atomic_write(output: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write via a temporary file in the same folder and rename it into place."""
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


def write_text(output: Path | None, text: str, bom: bool) -> None:
    """Text to stdout, or atomically to a file (UTF-8, with a BOM for Excel unless told not to)."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    data = (("\ufeff" if bom else "") + text).encode("utf-8")
    atomic_write(output, lambda fh: fh.write(data))
