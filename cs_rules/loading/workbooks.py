"""Workbooks read whole and within bounds: XLSX (python-calamine) and XLS (xlrd).

python-calamine reads cells fast and tells which sheets are hidden, but it neither
reports formulas that have no saved value (it gives an empty cell) nor guards its
memory: a sheet with one cell at A1 and one at XFD1048576 makes it allocate the whole
rectangle (512 GiB).  So before calamine sees an XLSX, the zip's parts are checked
here with zipfile: declared sizes, the extent the cells really reach, the formulas
without a value, and the 1904 date system.  Each limit hit is one located problem.

Old ``.xls`` files come from xlrd: BIFF8 (Excel 97–2003) as it is; BIFF2–BIFF5 files
written by cheap clocks carry no codepage and are GBK, which xlrd would read as
Latin-1, so their text is decoded again here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import signal
import sys
import threading
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_COLUMNS = 1000  # header width and cell column limit (column ALL)
MAX_CELLS = 50_000_000  # cells of one sheet's used rectangle
MAX_PART_BYTES = 1 << 30  # one uncompressed part of an XLSX
MAX_TOTAL_BYTES = 2 << 30  # all parts together
CHUNK = 8 << 20

_SHEET_RE = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?>', re.S)
_ATTR_RE = re.compile(rb'\b([\w:]+)="([^"]*)"')
_REL_RE = re.compile(rb"<Relationship\b[^>]*?>", re.S)
_REF3_RE = re.compile(rb'<c\b[^>]*?\br="([A-Z]{3,})(\d+)"')
_REF2_RE = re.compile(rb'<c\b[^>]*?\br="[A-Z]{2}\d')
# necessary for the two above to match, and found by a fast literal search: a chunk
# without them (most chunks of most sheets) is never run through the slower patterns
_HAS_REF3_RE = re.compile(rb'r="[A-Z]{3}')
_HAS_REF2_RE = re.compile(rb'r="[A-Z]{2}\d')
_HAS_REF_2UP_RE = re.compile(rb'r="[A-Z]{2}')  # one pass tells a sheet of columns A–Z from a wider one
_HAS_FORMULA_RE = re.compile(rb"<f[\s>/]")  # 2.5x faster than `b"<f" in chunk` over sheet XML
_ROW_RE = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
_CELL_RE = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_DATE1904_RE = re.compile(rb'<workbookPr\b[^>]*\bdate1904="(1|true)"')


def col_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as Excel names it."""
    s = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _unescape(b: bytes) -> str:
    import html

    return html.unescape(b.decode("utf-8", errors="replace"))


@dataclass
class SheetScan:
    """What the zip says about one sheet before any cell is read."""

    name: str
    part: str
    state: str = "visible"
    max_row: int = 0
    max_col: int = -1
    far_cell: str = ""  # first cell beyond MAX_COLUMNS
    too_big: bool = False
    formulas: list[tuple[int, int, str, str]] = field(default_factory=list)  # (row, col, ref, formula)


@dataclass
class BookScan:
    sheets: list[SheetScan]
    date1904: bool = False
    refusal: str = ""  # a limit the whole file breaks: one message


def scan_xlsx(data: bytes, sheets: bool = True) -> BookScan:
    """Sizes, extents, formulas and date system of an XLSX, read from its zip parts.

    ``sheets=False``: only the zip's declared sizes, the sheet list and the date system (a few
    milliseconds); :func:`scan_sheets` then reads each sheet's XML for its extent and formulas."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = {i.filename: i for i in zf.infolist()}
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        return BookScan([], refusal=f"damaged zip ({exc})")
    total = sum(i.file_size for i in infos.values())
    big = max(infos.values(), key=lambda i: i.file_size, default=None)
    if big is not None and big.file_size > MAX_PART_BYTES:
        return BookScan([], refusal=f"its part {big.filename} expands to {big.file_size / 2**30:.1f} GiB "
                                    f"(the limit is {MAX_PART_BYTES // 2**30} GiB per part)")
    if total > MAX_TOTAL_BYTES:
        return BookScan([], refusal=f"it expands to {total / 2**30:.1f} GiB "
                                    f"(the limit is {MAX_TOTAL_BYTES // 2**30} GiB)")
    try:
        wb = zf.read("xl/workbook.xml") if "xl/workbook.xml" in infos else b""
        rels = zf.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in infos else b""
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as exc:
        return BookScan([], refusal=f"damaged zip ({exc})")
    targets: dict[str, str] = {}
    for m in _REL_RE.finditer(rels):
        attrs = dict(_ATTR_RE.findall(m.group(0)))
        rid, target = attrs.get(b"Id"), attrs.get(b"Target")
        if rid and target:
            t = target.decode("utf-8", errors="replace").lstrip("/")
            targets[rid.decode()] = t if t.startswith("xl/") else f"xl/{t}"
    found = []
    for m in _SHEET_RE.finditer(wb):
        attrs = dict(_ATTR_RE.findall(m.group(0)))
        rid = next((v.decode() for k, v in attrs.items() if k.endswith(b":id") or k == b"id"), "")
        found.append(SheetScan(_unescape(attrs.get(b"name", b"")), targets.get(rid, ""),
                                attrs.get(b"state", b"visible").decode()))
    book = BookScan(found, date1904=bool(_DATE1904_RE.search(wb)))
    if sheets:
        scan_sheets(zf, data, book)
    return book


def scan_sheets(zf: zipfile.ZipFile, data: bytes, book: BookScan) -> None:
    """The extent and formulas of every visible sheet of ``book``, from its XML."""
    infos = {i.filename: i for i in zf.infolist()}
    for sh in book.sheets:
        if sh.part in infos and sh.state == "visible":
            _scan_sheet(zf, data, infos[sh.part], sh)


def part_chunks(zf: zipfile.ZipFile, data: bytes, info: zipfile.ZipInfo, size: int = CHUNK) -> Iterator[bytes]:
    """A zip part's bytes in pieces of at most ``size`` (then one b"" at the end).

    Inflating a big sheet's XML (200 MB for 900,000 rows) was most of the limits scan;
    ISA-L's inflate (``isal``) does it about 4× faster than zlib, so when it is installed a
    plainly deflated part is inflated with it straight from the archive's bytes, its CRC
    checked as zipfile checks it.  Anything else (stored, encrypted, no isal) goes through
    zipfile's reader.
    """
    raw = _raw_member(data, info)
    inflater: Any = None
    if raw is not None and info.compress_type == zipfile.ZIP_DEFLATED:
        try:
            from isal import isal_zlib
        except ImportError:
            raw = None
        else:
            inflater = isal_zlib.decompressobj(-15)
            crc32 = isal_zlib.crc32
    if raw is None or (inflater is None and info.compress_type != zipfile.ZIP_STORED):
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(size)
                yield chunk
                if not chunk:
                    return
    import zlib

    if inflater is None:  # stored
        crc = 0
        for i in range(0, len(raw), size):
            piece = bytes(raw[i:i + size])
            crc = zlib.crc32(piece, crc)
            yield piece
    else:
        crc, parts, held = 0, [], 0
        for i in range(0, len(raw), 1 << 20):
            buf: Any = raw[i:i + (1 << 20)]
            while len(buf):
                out = inflater.decompress(buf, size)
                buf = inflater.unconsumed_tail
                if out:
                    crc = crc32(out, crc)
                    parts.append(out)
                    held += len(out)
                    if held >= size:
                        yield b"".join(parts)
                        parts, held = [], 0
            if inflater.eof:
                break
        rest = inflater.flush()
        if rest:
            crc = crc32(rest, crc)
            parts.append(rest)
        if parts:
            yield b"".join(parts)
        if not inflater.eof:
            raise zipfile.BadZipFile(f"the part {info.filename} ends before its data does")
    if crc != info.CRC:
        raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")
    yield b""


def _raw_member(data: bytes, info: zipfile.ZipInfo) -> memoryview | None:
    """The compressed bytes of one part, found through its local header; None when unusual."""
    import struct

    off = info.header_offset
    if info.flag_bits & 1 or data[off:off + 4] != b"PK\x03\x04":
        return None
    n, m = struct.unpack("<HH", data[off + 26:off + 30])
    start = off + 30 + n + m
    if start + info.compress_size > len(data):
        return None
    return memoryview(data)[start:start + info.compress_size]


def _scan_sheet(zf: zipfile.ZipFile, data: bytes, info: zipfile.ZipInfo, sh: SheetScan) -> None:
    """One streaming pass over a sheet's XML: C-speed searches, regexes only where they hit."""
    wide = False
    tail = b""
    read = 0
    for chunk in part_chunks(zf, data, info):
        read += len(chunk)
        if read > MAX_PART_BYTES:
            sh.too_big = True
            return
        if not chunk:
            buf, done = tail, True
        else:
            buf, done = tail + chunk, False
        end = buf.rfind(b"</c>")
        cut = len(buf) if done else (end + 4 if end >= 0 else max(0, len(buf) - 4096))
        tail = buf[cut:]  # the searches below stop at ``cut``: no copy of the chunk
        tail_rows = list(_ROW_RE.finditer(buf, max(0, cut - 4096), cut))
        last = tail_rows[-1] if tail_rows else None
        if last is None:
            first_rows = _ROW_RE.findall(buf, 0, cut)
            if first_rows:
                sh.max_row = max(sh.max_row, int(first_rows[-1]))
        else:
            sh.max_row = max(sh.max_row, int(last.group(1)))
        if _HAS_REF_2UP_RE.search(buf, 0, cut):
            for m3 in (_REF3_RE.finditer(buf, 0, cut) if _HAS_REF3_RE.search(buf, 0, cut) else ()):
                c = col_index(m3.group(1).decode())
                sh.max_col = max(sh.max_col, c)
                if c >= MAX_COLUMNS and not sh.far_cell:
                    sh.far_cell = (m3.group(1) + m3.group(2)).decode()
            if not wide and _HAS_REF2_RE.search(buf, 0, cut) and _REF2_RE.search(buf, 0, cut):
                wide = True
        if _HAS_FORMULA_RE.search(buf, 0, cut):
            _formulas(buf[:cut], sh)
        if done:
            break
    if sh.max_col < 0:
        sh.max_col = 701 if wide else 25


def _formulas(part: bytes, sh: SheetScan) -> None:
    for m in _CELL_RE.finditer(part):
        body = m.group(2) or b""
        if b"<f" not in body:
            continue
        attrs = dict(_ATTR_RE.findall(m.group(1)))
        if re.search(rb"<v>[^<]+</v>", body) or b"<is>" in body or attrs.get(b"t") == b"str":
            continue  # a saved value (t="str" with an empty <v>: Excel's empty-text result)
        ref = attrs.get(b"r", b"").decode()
        fm = re.search(rb"<f\b[^>]*>(.*?)</f>", body, re.S)
        formula = _unescape(fm.group(1)) if fm else "(shared formula)"
        rm = re.fullmatch(r"([A-Z]+)(\d+)", ref)
        if rm and len(sh.formulas) < 1000:
            sh.formulas.append((int(rm.group(2)), col_index(rm.group(1)), ref, formula))


HEAD_ROWS = 50  # rows of each sheet read before (and often instead of) the whole sheet
_SHEETDATA_RE = re.compile(rb"<sheetData\b[^>]*?(/?)>")
_DIMENSION_RE = re.compile(rb"<dimension\b[^>]*?/>")
_ANY_ROW_RE = re.compile(rb"<row\b")


# one fastexcel parse at a time in the process: read-ahead threads of several workbooks queue
# instead of parsing (and holding their cells) all at once
_FASTEXCEL_GATE = threading.Lock()


class LazySheets(Mapping[str, list[list[Any]]]):
    """Sheet name → rows, each sheet's cells read by calamine the first time someone asks.

    A big company's sign-in sheet is read column-wise into Arrow (:meth:`columns`) and
    never needs its 900,000 rows as Python lists (3–4 s); the adapters' claims and the
    header search look at ``heads`` — the first :data:`HEAD_ROWS` rows, read by calamine
    from a copy of the workbook cut after them, so they are the cells an eager read gives.
    A sheet calamine cannot read (damaged XML) reads as no rows, and ``on_error`` is told.
    """

    def __init__(self, data: bytes, names: list[str], heads: dict[str, list[list[Any]]] | None,
                 same_file: Callable[[], Path | None] | None = None) -> None:
        self._data = data
        self._same_file = same_file
        self._names = names
        self.heads = heads
        self._rows: dict[str, list[list[Any]]] = {}
        self._book: Any = None
        self._fx: Any = None
        self._fx_path = False  # self._fx reads the file by its path, not self._data
        self._ahead: dict[tuple[str, int, tuple[str, ...]], Any] = {}  # columns being read in the background
        self.on_error: Callable[[str], None] | None = None
        self.failed: set[str] = set()  # sheets whose reading failed after their first rows (reported)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __getitem__(self, name: str) -> list[list[Any]]:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._rows:
            self._rows[name] = self._read(name)
        return self._rows[name]

    def loaded(self, name: str) -> bool:
        return name in self._rows

    def _read(self, name: str) -> list[list[Any]]:
        from python_calamine import CalamineWorkbook

        try:
            if self._book is None:
                self._book = CalamineWorkbook.from_filelike(io.BytesIO(self._data))
            rows: list[list[Any]] = self._book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            return rows
        except (MemoryError, KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # calamine raises many kinds on damaged sheets (a Rust panic too)
            self.failed.add(name)
            if self.on_error is not None:
                self.on_error(f"sheet {name}: {type(exc).__name__}")
            return []

    def columns(self, name: str, skip: int, letters: list[str]) -> Any:
        """The columns ``letters`` of sheet ``name`` below its first ``skip`` rows, as an Arrow
        table typed by fastexcel — or None when fastexcel is missing, a column mixes kinds of
        cell (text and dates, say), or anything else is unusual: the rows are then read."""
        ahead = self._ahead.pop((name, skip, tuple(letters)), None)
        if isinstance(ahead, _Child):
            got = ahead.result()
            if got is _CRASHED:  # the same parse here would end this process: the sheet is damaged
                self._rows[name] = []
                self.failed.add(name)
                if self.on_error is not None:
                    self.on_error(f"sheet {name}: the reader stopped ({ahead.why})")
                return None
            return got
        if ahead is not None:
            thread, box = ahead
            thread.join()
            if isinstance(box[0], MemoryError):
                raise box[0]
            return box[0]
        return self._columns(name, skip, letters)

    def read_ahead(self, name: str, skip: int, letters: list[str]) -> None:
        """Start :meth:`columns` in a background thread: fastexcel parses without holding the GIL, so
        a big sheet is read while the caller imports pandas and loads the other files."""
        if (name, skip, tuple(letters)) in self._ahead:
            return  # already being read (by a child process, see fork_ahead)
        box: list[Any] = [None]

        def run() -> None:
            try:
                box[0] = self._columns(name, skip, letters)
            except MemoryError as exc:
                box[0] = exc

        thread = threading.Thread(target=run, name="cs-rules-xlsx", daemon=True)
        self._ahead[(name, skip, tuple(letters))] = (thread, box)
        thread.start()

    def fork_ahead(self, name: str, skip: int, letters: list[str]) -> bool:
        """Start :meth:`columns` in a forked child process, before the limits scan of the sheet has
        run; False when this process cannot fork safely (not Linux, other threads running, a child
        already at work).

        A thread may start fastexcel only after the scan has proved the sheet's extent harmless (it
        aborts the process on a sheet reaching XFD1048576).  A child may start at once: the scan
        then runs here, in parallel, and a sheet it refuses has its child killed; a child that
        crashes ends only itself.  On a 900,000-row sheet this takes the ~0.4 s scan off the path
        (the child parses, the parent scans and imports pandas).  The table comes back through a
        pipe as one Arrow IPC record batch, the very batch fastexcel made."""
        key = (name, skip, tuple(letters))
        if key in self._ahead or not can_fork():
            return False
        try:  # imported here, not in the child: the parent waits for the child, not the other way round
            import fastexcel  # noqa: F401
            import pyarrow  # noqa: F401
        except ImportError:
            return False
        try:
            r, w = os.pipe()
        except OSError:
            return False
        try:
            pid = os.fork()
        except OSError:
            os.close(r)
            os.close(w)
            return False
        if pid == 0:  # the child: parse, hand the batch over, leave without any cleanup of the parent's
            code = 2
            try:
                os.close(r)
                # nothing of the child reaches the user (a crash is the parent's to report, in one line),
                # and the parent's output pipe is not held open by it
                null = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(null, fd)
                import faulthandler

                faulthandler.disable()
                table = self._columns(name, skip, letters)
                if table is not None:
                    import pyarrow as pa

                    with os.fdopen(w, "wb") as fh, pa.ipc.new_stream(fh, table.schema) as out:
                        out.write(table)
                    code = 0
            except MemoryError:
                code = 3
            except BaseException:  # noqa: BLE001 - whatever it was, the parent reads the rows instead
                code = 2
            finally:
                os._exit(code)
        os.close(w)
        self._ahead[key] = _Child(pid, r)
        _CHILDREN.add(pid)
        return True

    def settle(self, names: list[str], heads: dict[str, list[list[Any]]]) -> None:
        """The sheets the limits scan let through, once it has run after :meth:`fork_ahead`: the
        children reading any other sheet are stopped."""
        self._names, self.heads = names, heads
        for key in [k for k, v in self._ahead.items() if k[0] not in names and isinstance(v, _Child)]:
            self._ahead.pop(key).cancel()

    def cancel_ahead(self) -> None:
        """Stop the children still reading ahead (the file is read another way)."""
        for key in [k for k, v in self._ahead.items() if isinstance(v, _Child)]:
            self._ahead.pop(key).cancel()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.cancel_ahead()

    def _columns(self, name: str, skip: int, letters: list[str]) -> Any:
        try:
            import fastexcel
        except ImportError:
            return None
        import logging

        # fastexcel logs "Could not determine dtype for column 4, falling back to string" for an
        # empty column: Python's last-resort handler printed it, in English, among our output
        logging.getLogger("fastexcel").setLevel(logging.ERROR)
        with _FASTEXCEL_GATE:
            try:
                # from the file's path while it is the file whose bytes were checked: fastexcel reads a
                # path about 0.3 s faster than the same 45 MB handed over as bytes (900,000 rows)
                if self._fx is None:
                    path = self._same_file() if self._same_file is not None else None
                    self._fx = fastexcel.read_excel(str(path) if path is not None else self._data)
                    self._fx_path = path is not None
                table = self._fx_table(name, skip, letters)
                if self._fx_path and (self._same_file is None or self._same_file() is None):
                    self._fx, self._fx_path = fastexcel.read_excel(self._data), False  # rewritten meanwhile
                    table = self._fx_table(name, skip, letters)
                return table
            except (MemoryError, KeyboardInterrupt, SystemExit):
                raise
            except BaseException:  # fastexcel's errors for a mixed column, an odd sheet; a Rust panic
                return None

    def cell_columns(self, name: str, skip: int, letters: list[str]) -> list[Any] | None:
        """The columns ``letters`` of sheet ``name`` below its first ``skip`` rows as the cells
        calamine's rows would hold (object arrays: str, float, bool, date, time, datetime, "" for
        empty), read column-wise by fastexcel — or None when a column is anything it cannot give
        exactly (mixed kinds, a date before 1900-03-01, a type it does not know)."""
        if name in self._rows:
            return None
        table = self.columns(name, skip, letters)
        if table is None:
            return None
        out = []
        for k in range(table.num_columns):
            col = calamine_cells(table.column(k))
            if col is None:
                return None
            out.append(col)
        return out

    def _fx_table(self, name: str, skip: int, letters: list[str]) -> Any:
        sheet = self._fx.load_sheet(name, header_row=None, skip_rows=skip, use_columns=",".join(letters),
                                    dtype_coercion="strict", schema_sample_rows=None)
        if [col_letters(c.absolute_index) for c in sheet.selected_columns] != letters:
            return None
        return sheet.to_arrow()


FORK_PART_BYTES = 16 << 20  # a sheet's XML from this size on is parsed in a child process (fork_ahead)
_CHILDREN: set[int] = set()  # the pids of children still reading ahead: one at a time
_EXITING: set[int] = set()  # children that handed their table over and are leaving: reaped when done
_CRASHED = object()


def can_fork() -> bool:
    """Whether :meth:`LazySheets.fork_ahead` may fork now: in the command line's own process
    (:data:`cs_rules.loading.OWN_PROCESS`), on Linux, no other thread (a lock another thread holds would
    stay held in the child), no child already reading, not turned off (``CS_RULES_FORK=off``)."""
    import cs_rules.loading

    _reap_exited()
    return (cs_rules.loading.OWN_PROCESS and sys.platform.startswith("linux") and hasattr(os, "fork") and not _CHILDREN
            and threading.active_count() == 1 and os.environ.get("CS_RULES_FORK", "") != "off")


def _reap_exited() -> None:
    """Reap the children that handed their table over and have left since (see :meth:`_Child.result`)."""
    for pid in list(_EXITING):
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(pid, os.WNOHANG)[0] == 0:
                continue  # still freeing its heap
        _EXITING.discard(pid)


def stop_children() -> None:
    """Kill the children still reading ahead: the process is leaving without their tables."""
    for pid in list(_CHILDREN):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    _CHILDREN.clear()


class _Child:
    """A forked child reading a sheet's columns (:meth:`LazySheets.fork_ahead`)."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self.fd, self.why = pid, fd, ""

    def result(self) -> Any:
        """The child's record batch; None when it found the columns unusual (the rows are read);
        ``_CRASHED`` when it died (``why`` says how)."""
        import pyarrow as pa

        batches: list[Any] | None = None
        try:
            with os.fdopen(self.fd, "rb") as fh:
                batches = list(pa.ipc.open_stream(fh))
        except (pa.ArrowException, OSError, ValueError):
            batches = None
        if batches is not None and len(batches) == 1:  # the whole stream, end mark included: the child is
            _CHILDREN.discard(self.pid)  # done; it is reaped later (freeing its heap takes it ~20 ms)
            _EXITING.add(self.pid)
            return batches[0]
        status = self._reap()
        if os.WIFEXITED(status):
            code = os.WEXITSTATUS(status)
            if code == 3:
                raise MemoryError
            if code in (0, 2):
                return None
        self.why = (f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
                    else f"exit status {os.WEXITSTATUS(status)}")
        return _CRASHED

    def cancel(self) -> None:
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.close(self.fd)
        self._reap()

    def _reap(self) -> int:
        _CHILDREN.discard(self.pid)
        try:
            return os.waitpid(self.pid, 0)[1]
        except ChildProcessError:
            return 0


MS_DAY = 86_400_000
MS_1899_12_31 = -2_209_075_200_000  # calamine's day of a time-of-day cell (serial 0 ≤ v < 1)
MS_1900_01_01 = MS_1899_12_31 + MS_DAY
MS_1900_03_01 = MS_1900_01_01 + 59 * MS_DAY  # before it Excel counts a 29 February 1900


def calamine_cells(col: Any) -> Any:
    """One fastexcel column as the Python cells python-calamine gives for it, or None.

    python-calamine turns a date cell of serial < 1 into a ``time``, one at midnight into a
    ``date`` and any other into a ``datetime``, all to the millisecond (calamine's rounding, the
    one fastexcel's timestamps carry); numbers are floats, empty cells "".  A kind not listed
    here, or a date in Excel's first two months of 1900, returns None: the rows are read then."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    t = arr.type
    n = len(arr)
    valid = arr.is_valid().to_numpy(zero_copy_only=False)
    out = np.empty(n, dtype=object)
    out[:] = ""
    if pa.types.is_null(t):
        return out
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        enc = pc.dictionary_encode(arr)
        texts = np.array(enc.dictionary.to_pylist() + [""], dtype=object)
        codes = enc.indices.fill_null(len(texts) - 1).to_numpy(zero_copy_only=False)
        return texts[codes]
    if pa.types.is_floating(t) or pa.types.is_boolean(t):
        values = arr.to_numpy(zero_copy_only=False)
        out[valid] = values[valid].astype(object)
        return out
    if not pa.types.is_timestamp(t) or t.tz is not None:
        return None
    ms = arr.cast(pa.timestamp("ms")).cast(pa.int64()).fill_null(MS_1900_03_01).to_numpy()
    if bool((ms < MS_1899_12_31).any()) or bool(((ms >= MS_1900_01_01) & (ms < MS_1900_03_01)).any()):
        return None
    tod = valid & (ms < MS_1900_01_01)
    day = valid & ~tod & (ms % MS_DAY == 0)
    stamp = valid & ~tod & ~day
    # numpy makes Python dates and datetimes in C, ~17x sooner than Arrow's to_pylist (1.8 s for a
    # clock log's 1.8 million punches); numpy has no time of day, so each distinct time is made once
    if tod.any():
        enc = pc.dictionary_encode(pa.array(ms[tod] - MS_1899_12_31, type=pa.int32()))
        times = np.empty(len(enc.dictionary), dtype=object)
        times[:] = enc.dictionary.cast(pa.time32("ms")).to_pylist()
        out[tod] = times[enc.indices.to_numpy(zero_copy_only=False)]
    if day.any():
        out[day] = (ms[day] // MS_DAY).astype("datetime64[D]").astype(object)
    if stamp.any():
        out[stamp] = ms[stamp].astype("datetime64[ms]").astype(object)
    return out


def _small_book(zf: zipfile.ZipFile, scan: BookScan) -> Any:
    """The workbook opened by calamine from a copy whose sheets stop after :data:`HEAD_ROWS` rows
    (its sheet list and metadata are the workbook's own, parsed in a fraction of the time); None
    when a sheet's XML is not of the usual form, or the copy cannot be made or opened."""
    from python_calamine import CalamineWorkbook

    parts = {s.part for s in scan.sheets}
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as small:
            for info in zf.infolist():
                name = info.filename
                if name.startswith("xl/media/") or info.is_dir():
                    continue
                if name in parts:
                    cut = _cut_sheet(zf, info)
                    if cut is None:
                        return None
                    small.writestr(name, cut)
                else:
                    small.writestr(name, zf.read(name))
        return CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue()))
    except (MemoryError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # whatever the copy cannot do (a Rust panic included), the whole workbook will
        return None


def _fork_ahead(zf: zipfile.ZipFile, data: bytes, scan: BookScan, small: Any, same_file: Callable[[], Path | None]
                | None, plan: Plan) -> LazySheets | None:
    """The sheets (names settled after the scan) with the first big sheet's columns being parsed by a
    child process, or None when no sheet is big enough or the process cannot fork."""
    if not can_fork():
        return None
    infos = {i.filename: i for i in zf.infolist()}
    big = [s.name for s in scan.sheets if s.state == "visible" and s.part in infos
           and infos[s.part].file_size >= FORK_PART_BYTES]
    heads = _heads(small, big) if big else None
    if not heads:
        return None
    sheets = LazySheets(data, [], {}, same_file)
    for name, skip, letters in plan(heads, scan.date1904):
        if name in heads and sheets.fork_ahead(name, skip, letters):
            return sheets
    return None


def _heads(small: Any, names: list[str]) -> dict[str, list[list[Any]]] | None:
    """The first :data:`HEAD_ROWS` rows of each sheet in ``names`` (see :func:`_small_book`)."""
    if small is None:
        return None
    try:
        return {n: small.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in names}
    except (MemoryError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # a Rust panic is a BaseException
        return None


def _cut_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """A sheet's XML ending after row :data:`HEAD_ROWS` (all of it when it is shorter)."""
    buf = b""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(1 << 20)
            buf += chunk
            sd = _SHEETDATA_RE.search(buf)
            if sd is not None:
                if sd.group(1):  # <sheetData/>: no cells at all
                    return buf + fh.read()
                body = sd.end()
                for m in _ROW_RE.finditer(buf, body):
                    if int(m.group(1)) > HEAD_ROWS:
                        head = buf[:m.start()]
                        if len(_ANY_ROW_RE.findall(head, body)) != len(_ROW_RE.findall(head, body)):
                            return None  # rows without r="": their numbers are calamine's to count
                        return _DIMENSION_RE.sub(b"", head[:body]) + head[body:] + b"</sheetData></worksheet>"
            if not chunk:
                return buf
            if len(buf) > (64 << 20) or (sd is None and len(buf) > (4 << 20)):
                return None  # no plain <sheetData> near the start (a prefixed namespace): read it whole


@dataclass
class Book:
    """Cells of every visible sheet, as calamine gives them (str, float, bool, date/time, "")."""

    sheets: Mapping[str, list[list[Any]]]
    hidden: list[str]
    date1904: bool
    formulas: dict[str, list[tuple[int, int, str, str]]]
    problems: list[tuple[str, str, str]]  # (sheet, message, hint), errors about the whole sheet


Plan = Callable[[dict[str, list[list[Any]]], bool], list[tuple[str, int, list[str]]]]


def read_xlsx(data: bytes, same_file: Callable[[], Path | None] | None = None, plan: Plan | None = None
              ) -> Book | str:
    """Every visible sheet of an XLSX within the limits; a string says why the file is refused.

    ``same_file`` gives the workbook's path while the file still holds ``data`` (None once it
    was rewritten): fastexcel may then read the file itself, which is faster than from bytes.
    ``plan`` (sheet → first rows, 1904 date system → the (sheet, rows to skip, column letters) the
    caller will ask :meth:`LazySheets.columns` for) lets a big sheet's columns be parsed in a child
    process while the limits scan runs here (:meth:`LazySheets.fork_ahead`)."""
    scan = scan_xlsx(data, sheets=False)
    if scan.refusal:
        return scan.refusal
    from python_calamine import CalamineWorkbook

    zf = zipfile.ZipFile(io.BytesIO(data))
    small = _small_book(zf, scan)
    early = _fork_ahead(zf, data, scan, small, same_file, plan) if plan is not None and small is not None else None
    try:
        scan_sheets(zf, data, scan)
    except BaseException:
        if early is not None:
            early.cancel_ahead()
        raise
    wb = small if small is not None else CalamineWorkbook.from_filelike(io.BytesIO(data))
    meta = {m.name: str(m.visible).rsplit(".", 1)[-1].lower() for m in wb.sheets_metadata}
    by_name = {s.name: s for s in scan.sheets}
    names: list[str] = []
    hidden: list[str] = []
    formulas: dict[str, list[tuple[int, int, str, str]]] = {}
    problems: list[tuple[str, str, str]] = []
    for name in wb.sheet_names:
        sc = by_name.get(name)
        visible = meta.get(name, "visible") == "visible" and (sc is None or sc.state == "visible")
        if not visible:
            hidden.append(name)
            continue
        if sc is not None:
            if sc.too_big:
                problems.append((name, f"the sheet expands to more than {MAX_PART_BYTES // 2**30} GiB and is "
                                       "not read", "delete the unused rows and columns, or export it as CSV"))
                continue
            if sc.far_cell:
                problems.append((name, f"cell {sc.far_cell} lies beyond column {col_letters(MAX_COLUMNS - 1)} "
                                       f"(cs-rules reads at most {MAX_COLUMNS:,} columns); the sheet is not read",
                                 "delete the columns right of the table (or that cell), or export it as CSV"))
                continue
            cells = sc.max_row * (sc.max_col + 1)
            if cells > MAX_CELLS:
                problems.append((name, f"the sheet spans {sc.max_row:,} rows × {sc.max_col + 1:,} columns, more "
                                       f"than the {MAX_CELLS:,} cells cs-rules reads; it is not read",
                                 "delete the unused rows and columns, or export it as CSV"))
                continue
            if sc.formulas:
                formulas[name] = sc.formulas
        names.append(name)
    heads = _heads(small, names) if names else {}
    if early is not None and heads is not None:
        sheets = early
        sheets.settle(names, heads)
    else:
        if early is not None:
            early.cancel_ahead()
        sheets = LazySheets(data, names, heads, same_file)
    if heads is None:  # read every sheet now, as before: a damaged one is then the whole file's error
        full = wb if small is None else CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets._book = full
        for name in names:
            sheets._rows[name] = full.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return Book(sheets, hidden, scan.date1904, formulas, problems)


# --------------------------------------------------------------------------- .xls


def read_xls(data: bytes) -> Book | str:
    """Every visible sheet of an Excel 2.1–2003 workbook, cells in calamine's forms."""
    import xlrd

    log = io.StringIO()
    try:
        book = xlrd.open_workbook(file_contents=data, logfile=log, verbosity=0, on_demand=False)
    except Exception as exc:  # xlrd raises many kinds on damaged files
        return f"a damaged Excel 97–2003 workbook ({type(exc).__name__}: {exc})"
    regbk = book.biff_version < 80 and not book.codepage
    sheets: dict[str, list[list[Any]]] = {}
    hidden: list[str] = []
    problems: list[tuple[str, str, str]] = []
    for idx in range(book.nsheets):
        sh = book.sheet_by_index(idx)
        if getattr(sh, "visibility", 0):
            hidden.append(sh.name)
            continue
        if sh.ncols > MAX_COLUMNS:
            problems.append((sh.name, f"the sheet is {sh.ncols:,} columns wide (cs-rules reads at most "
                                      f"{MAX_COLUMNS:,}); it is not read", "delete the unused columns"))
            continue
        rows = []
        for r in range(sh.nrows):
            types = sh.row_types(r)
            values = sh.row_values(r)
            rows.append([_xls_cell(t, v, book.datemode, regbk) for t, v in zip(types, values)])
        width = max((len(r) for r in rows), default=0)
        for cells in rows:
            cells.extend([""] * (width - len(cells)))
        sheets[_regbk(sh.name) if regbk else sh.name] = rows
    return Book(sheets, hidden, book.datemode == 1, {}, problems)


def _regbk(text: str) -> str:
    """Text xlrd decoded as Latin-1 (no codepage record) read again as the GBK it is."""
    try:
        return text.encode("latin-1").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _xls_cell(ctype: int, value: Any, datemode: int, regbk: bool) -> Any:
    import xlrd

    if ctype == xlrd.XL_CELL_TEXT:
        return _regbk(value) if regbk else value
    if ctype == xlrd.XL_CELL_NUMBER:
        return float(value)
    if ctype == xlrd.XL_CELL_DATE:
        try:
            if value < 1:
                secs = round(value * 86400)
                return dt.time(secs // 3600 % 24, secs % 3600 // 60, secs % 60)
            d = xlrd.xldate.xldate_as_datetime(value, datemode)
            return d.date() if value == int(value) else d
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return float(value)
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERROR")
    return ""
