"""Text files read exactly: which encoding, which line ends, which rows do not fit.

A clerk's CSV has been through Excel, WPS, a clock's PC software and copy-and-paste:
GB18030 with one line pasted from a UTF-8 file, Big5 from a Taiwan branch, CR-only
line ends from an old Mac, a name with an unquoted comma.  A silent guess there
changes a name or shifts every later column into the wrong field, so every case
either reads exactly or becomes a located problem (row as a spreadsheet shows it,
byte offset where it helps).  The common case (clean UTF-8) costs one decode.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field

from cs_rules.loading.columns import canonical

# A UTF-8 CJK character (U+4E00..U+9FFF): the only shape worth checking when looking
# for UTF-8 lines inside a GB18030 file.
_UTF8_CJK = re.compile(rb"[\xe4-\xe9][\x80-\xbf]{2}")
MAX_BAD_LINES = 20  # more non-UTF-8 lines than this: the file is in another encoding


@dataclass
class LineIssue:
    """One line that is not in the file's encoding (row = line number, 1-based)."""

    row: int
    offset: int
    message: str
    hint: str


@dataclass
class Decoded:
    """How a text file's bytes read: the encoding, its label for people, and bad lines."""

    encoding: str | None  # None: not text (binary, or in no encoding we read)
    label: str = ""
    issues: list[LineIssue] = field(default_factory=list)
    note: str = ""  # e.g. "read as Big5": said to the user as a warning
    transcoded: bytes | None = None  # UTF-8 bytes when the file was UTF-16
    unknown_at: tuple[int, int] | None = None  # (row, byte offset) of the first undecodable byte


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _line_bounds(data: bytes, offset: int) -> tuple[int, int]:
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    return start, (len(data) if end < 0 else end)


def _gb2312_like(text: str) -> float:
    """Share of the non-ASCII characters that GB2312 holds (what a mainland clerk types)."""
    wide = [c for c in text if ord(c) > 127]
    if not wide:
        return 1.0
    ok = 0
    for c in wide:
        try:
            c.encode("gb2312")
            ok += 1
        except UnicodeEncodeError:
            pass
    return ok / len(wide)


def _header_hits(text: str) -> int:
    """Recognised column names in the first lines: which decoding makes a real header."""
    hits = 0
    for line in text.splitlines()[:20]:
        for cell in re.split(r"[,\t;]", line):
            if canonical(cell.strip().strip('"')):
                hits += 1
    return hits


def _non_utf8_lines(data: bytes) -> list[tuple[int, int]]:
    """(line start, offset of the bad byte) of the first lines that are not UTF-8."""
    bad: list[tuple[int, int]] = []
    pos = 0
    dec = codecs.getincrementaldecoder("utf-8")()
    while len(bad) <= MAX_BAD_LINES:
        try:
            dec.reset()
            dec.decode(data[pos:], final=True)
            break
        except UnicodeDecodeError as exc:
            at = pos + exc.start
            start, end = _line_bounds(data, at)
            bad.append((start, at))
            pos = end + 1
            if pos >= len(data):
                break
    return bad


def _utf8_lines_in_gb(data: bytes) -> list[tuple[int, int]]:
    """Lines of a GB18030 file that are really UTF-8 (pasted in): (line start, first CJK byte).

    A line counts only when it decodes as UTF-8 into CJK text *and* its GB18030 reading
    holds characters outside GB2312 — a mainland clerk's GB line almost never decodes as
    UTF-8 CJK, and UTF-8 bytes read as GB18030 land outside GB2312 (trail bytes 0x80–0xA0).
    """
    found: list[tuple[int, int]] = []
    seen: set[int] = set()
    for m in _UTF8_CJK.finditer(data):
        start, end = _line_bounds(data, m.start())
        if start in seen:
            continue
        seen.add(start)
        line = data[start:end].rstrip(b"\r")
        try:
            as_utf8 = line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        wide = [c for c in as_utf8 if ord(c) > 127]
        if not wide or not all(0x3000 <= ord(c) <= 0x9FFF or 0xFF00 <= ord(c) <= 0xFFEF for c in wide):
            continue
        if _gb2312_like(line.decode("gb18030", errors="replace")) < 1.0:
            found.append((start, m.start()))
    return found


def decode_text(data: bytes) -> Decoded:
    """Which encoding the bytes are in, and every line that is in another one.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are certain; otherwise GB18030
    and Big5 are told apart by which of them makes a recognised header (and by how
    much of the text GB2312 holds).  "Binary" is said only of bytes with NULs.
    """
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return Decoded(None)
        return Decoded("utf-8", "UTF-16", transcoded=text.encode("utf-8"))
    bom = data.startswith(codecs.BOM_UTF8)
    head = data[:8192]
    if b"\x00" in head and head.count(b"\x00") * 100 > len(head):  # binary, or UTF-16 without its BOM
        return Decoded(None)
    # a few NULs in text are a damaged row, which the reader reports at its line (a clock log's
    # NUL-filled record), not a binary file
    if _is_utf8(data):
        return Decoded("utf-8-sig" if bom else "utf-8", "UTF-8")
    bad = _non_utf8_lines(data)
    wide_lines = sum(1 for ln in data.split(b"\n") if not ln.isascii()) if len(bad) <= MAX_BAD_LINES else 0
    if bom or (len(bad) <= MAX_BAD_LINES and len(bad) * 2 < wide_lines):
        # a UTF-8 file with a few lines from elsewhere (pasted from a GBK file)
        issues = []
        for start, at in bad:
            line = data[start:_line_bounds(data, start)[1]]
            what = "GBK/GB18030" if _decodes(line, "gb18030") else "an unknown encoding"
            issues.append(LineIssue(_line_of(data, at), at,
                                    f"this row is not UTF-8 like the rest of the file (byte offset {at}; "
                                    f"it looks like {what})",
                                    "retype the row, or save the whole file again as CSV UTF-8"))
        return Decoded("utf-8-sig" if bom else "utf-8", "UTF-8", issues)
    gb_ok = _decodes(data, "gb18030")
    big5_ok = _decodes(data, "big5hkscs")
    if not gb_ok and not big5_ok:
        at = _first_bad(data, "gb18030")
        return Decoded(None, unknown_at=(_line_of(data, at), at))
    head = data[:64 * 1024]
    if big5_ok:
        b5 = head.decode("big5hkscs", errors="ignore")
        gb = head.decode("gb18030", errors="ignore") if gb_ok else ""
        if not gb_ok or _header_hits(b5) > _header_hits(gb) or (
                _header_hits(b5) == _header_hits(gb) and _gb2312_like(gb) < 0.9):
            return Decoded("big5hkscs", "Big5",
                           note="the file is in Big5 (traditional Chinese) and was read as Big5")
    issues = []
    for start, at in _utf8_lines_in_gb(data)[:MAX_BAD_LINES]:
        issues.append(LineIssue(_line_of(data, start), at,
                                f"this row is UTF-8 while the rest of the file is GB18030 (byte offset {at}): "
                                "its Chinese text would read as garbage",
                                "retype the row, or save the whole file again as CSV UTF-8"))
    return Decoded("gb18030", "GB18030", issues)


def _is_utf8(data: bytes) -> bool:
    """Valid UTF-8, checked in Arrow's C++ (no 40 MB Python string built and thrown away)."""
    if data.isascii():
        return True
    try:
        import numpy as np
        import pyarrow as pa

        kind, itype = (pa.string(), "int32") if len(data) < 2**31 - 1 else (pa.large_string(), "int64")
        offsets = pa.py_buffer(np.array([0, len(data)], dtype=itype).tobytes())
        pa.Array.from_buffers(kind, 1, [None, offsets, pa.py_buffer(data)]).validate(full=True)
        return True
    except ImportError:
        return _decodes(data, "utf-8")
    except (pa.ArrowInvalid, ValueError):
        return False


def _decodes(data: bytes, enc: str) -> bool:
    try:
        data.decode(enc)
        return True
    except UnicodeDecodeError:
        return False


def _first_bad(data: bytes, enc: str) -> int:
    try:
        data.decode(enc)
    except UnicodeDecodeError as exc:
        return exc.start
    return 0


def normalise_line_ends(data: bytes) -> bytes:
    """CR-only line ends (old Excel for Mac) become LF; a lone CR inside an LF file is
    dropped (it is invisible in Excel and would otherwise split a row in two)."""
    if b"\r" not in data:
        return data
    if b"\n" not in data:
        return data.replace(b"\r", b"\n")
    if data.count(b"\r") == data.count(b"\r\n"):
        return data
    return re.sub(rb"\r(?!\n)", b"", data)


@dataclass
class Scanned:
    """Every record of a CSV read exactly, with the spreadsheet row it starts on."""

    records: list[list[str]]
    rows: list[int]  # spreadsheet row of each record (header row = its record index + 1)
    error: tuple[int, str] | None = None  # (row, csv module message) where reading stopped


def scan_records(text: str, delim: str) -> Scanned:
    """Python's csv reader over the whole text: exact field counts, quotes as Excel writes them.

    Slow next to Arrow; only files the fast readers found fault with come here, to have
    every fault located.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=False)
    records: list[list[str]] = []
    rows: list[int] = []
    while True:
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            return Scanned(records, rows, (len(records) + 1, str(exc)))
        records.append(rec)
        rows.append(len(records))
    return Scanned(records, rows)


def swallowed_lines(cell: str, delim: str, width: int) -> int:
    """How many whole rows of the file a multi-line cell seems to hold (0: a real multi-line note).

    An unbalanced quote makes everything up to the next quote one cell; the lines inside
    then still look like rows (they hold the delimiter ``width - 1`` times or more).
    """
    if "\n" not in cell or width < 2:
        return 0
    lines = cell.split("\n")[1:]
    return sum(1 for ln in lines if ln.count(delim) >= width - 1)
