"""The month's payroll workbook: summary, payslips, ledger, attendance grid, flags.

xlsxwriter builds the package (styles, sheet setup, merges, print settings); the
cells of each sheet are streamed straight into its ``<sheetData>`` by
:class:`_Sheet`, which is several times faster than a cell-by-cell API and keeps
40,000 employees within seconds.  Every text cell goes through ``safe_cell`` and
is stored as a shared string (never a formula); phone and id numbers are never written.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from cs_rules.arrays import utf8_view
from cs_rules.model import outputs
from cs_rules.reports.output import atomic_write, safe_cell

if TYPE_CHECKING:
    from cs_rules.engine.payroll import MonthResult
    from cs_rules.model.inputs import Dataset

MAX_ROWS = 1_048_576


def sheet_name(base: str, k: int) -> str:
    """The k-th sheet (from 0) of a table too long for one: 罚款明细, 罚款明细 (2), 罚款明细 (3) …"""
    return base if k == 0 else f"{base} ({k + 1})"


def row_chunks(n: int, head: int = 1) -> list[tuple[int, int]]:
    """[start, end) of the rows each sheet takes when ``n`` rows under ``head`` header rows would pass
    Excel's limit of 1,048,576 rows a sheet: the rest continue on a second sheet, not an error."""
    per = MAX_ROWS - head
    return [(a, min(a + per, n)) for a in range(0, n, per)] or [(0, 0)]
_EPOCH = dt.date(1899, 12, 30)

# ---------------------------------------------------------------------------------------------
# labels

FIELD_LABELS = {
    "zh": {
        "employee_id": "工号", "name": "姓名", "grade": "职级", "base_salary": "基本工资", "daily_rate": "日薪",
        "workdays": "应出勤(天)", "attended_days": "实出勤(天)", "late_count": "迟到(次)",
        "early_leave_count": "早退(次)", "missing_punch_count": "缺卡(次)", "absent_days": "旷工(天)",
        "personal_leave_days": "事假(天)", "sick_leave_days": "病假(天)", "paid_leave_days": "带薪假(天)",
        "base_pay": "应发基本工资", "absence_penalty": "旷工扣款", "performance_pay": "绩效工资",
        "bonus_total": "奖金合计", "fines_total": "罚款合计", "score": "考核分", "score_level": "考核等级",
        "net_pay": "实发工资", "flags": "标记",
        "full_attendance": "全勤奖", "award_bonus": "评优奖金", "reward": "举报奖励",
        "overtime_hours": "加班小时", "overtime_pay": "加班费",
    },
    "en": {
        "employee_id": "Employee ID", "name": "Name", "grade": "Grade", "base_salary": "Base salary",
        "daily_rate": "Daily rate", "workdays": "Workdays", "attended_days": "Attended", "late_count": "Late",
        "early_leave_count": "Early leave", "missing_punch_count": "Missing punch", "absent_days": "Absent days",
        "personal_leave_days": "Personal leave", "sick_leave_days": "Sick leave", "paid_leave_days": "Paid leave",
        "base_pay": "Base pay", "absence_penalty": "Absence penalty", "performance_pay": "Performance pay",
        "bonus_total": "Bonus total", "fines_total": "Fines total", "score": "Score", "score_level": "Score level",
        "net_pay": "Net pay", "flags": "Flags",
        "full_attendance": "Full attendance", "award_bonus": "Award bonus", "reward": "Rewards",
        "overtime_hours": "Overtime hours", "overtime_pay": "Overtime pay",
    },
}

TEXT = {
    "zh": {
        "summary": "汇总", "payslips": "工资条", "ledger": "罚款明细", "grid": "考勤表", "flags": "标记与警告",
        "absences": "旷工依据", "days": "天数", "why": "依据（查了什么、缺了什么）",
        "total": "合计", "people": "{n} 人", "payslip_title": "{company}{year}年{month:02d}月 工资条",
        "pay_date": "发薪日：{d}", "notes": "备注：", "kind": "类别", "date": "日期", "code": "代码",
        "what": "说明", "amount": "金额(元)", "points": "扣分", "rule": "规则(条款)", "source": "来源(文件:行)",
        "note": "备注", "fine": "罚款", "reward_k": "奖励", "score_k": "考核扣分", "flag_k": "标记",
        "warning_k": "数据警告", "location": "位置", "effect": "对工资的影响", "legend": "图例",
        "not_employed": "（空白）不在职", "phone": "手机", "id_number": "身份证号",
        "flag_only": "仅标记，未改变工资", "flag_applied": "已按规章将实发工资置为 0",
        "grade_names": {"probation": "试用", "junior": "初级客服", "mid": "中级客服", "senior": "高级客服",
                        "reserve_supervisor": "储备主管"},
        "weekdays": "一二三四五六日",
    },
    "en": {
        "summary": "Summary", "payslips": "Payslips", "ledger": "Ledger", "grid": "Attendance", "flags": "Flags",
        "absences": "Absences", "days": "Days", "why": "Evidence (what was looked at, what is missing)",
        "total": "TOTAL", "people": "{n} employees", "payslip_title": "{company}Payslip {year}-{month:02d}",
        "pay_date": "Pay date: {d}", "notes": "Notes: ", "kind": "Kind", "date": "Date", "code": "Code",
        "what": "What", "amount": "Amount", "points": "Points", "rule": "Rule (clause)", "source": "Source (file:row)",
        "note": "Note", "fine": "fine", "reward_k": "reward", "score_k": "score", "flag_k": "flag",
        "warning_k": "data warning", "location": "Location", "effect": "Effect on pay", "legend": "Legend",
        "not_employed": "(blank) not employed", "phone": "Phone", "id_number": "ID number",
        "flag_only": "flagged only; pay unchanged", "flag_applied": "net pay set to 0 by the rulebook",
        "grade_names": {}, "weekdays": "MTWTFSS",
    },
}

# attendance statuses: key, zh text, en text, fill colour, font colour
LEAVE_TYPES = ("personal", "sick", "annual", "marriage", "maternity", "paternity", "bereavement", "lieu")
_LEAVE_ZH = {"personal": ("事", "事假"), "sick": ("病", "病假"), "annual": ("年", "年假"),
             "marriage": ("婚", "婚假"), "maternity": ("产", "产假"), "paternity": ("陪", "陪产假"),
             "bereavement": ("丧", "丧假"), "lieu": ("调", "调休")}
_LEAVE_EN = {"personal": ("P", "personal leave"), "sick": ("S", "sick leave"), "annual": ("AL", "annual leave"),
             "marriage": ("MA", "marriage leave"), "maternity": ("MT", "maternity leave"),
             "paternity": ("PT", "paternity leave"), "bereavement": ("B", "bereavement leave"),
             "lieu": ("TL", "time off in lieu")}
_LEAVE_FILL = {"personal": "#E4DFEC", "sick": "#FCE4D6", "annual": "#DDEBF7", "marriage": "#F4B6C2",
               "maternity": "#E2EFDA", "paternity": "#D9E1F2", "bereavement": "#BFBFBF", "lieu": "#C9E7E3"}


def _statuses(lang: str) -> list[tuple[str, str, str, str, str]]:
    zh = lang == "zh"
    out = [
        ("on_time", "√", "正常", "✓", "on time", "#C6EFCE", "#006100"),
        ("late", "迟", "迟到", "L", "late", "#FFEB9C", "#9C5700"),
        ("early", "早", "早退", "E", "early leave", "#FFD8A8", "#9C5700"),
        ("late_early", "迟早", "迟到+早退", "LE", "late and early", "#F8CBAD", "#9C5700"),
        ("missing", "缺", "缺卡", "M", "missing punch", "#BDD7EE", "#1F4E78"),
        ("absent", "旷", "旷工", "A", "absent", "#FFC7CE", "#9C0006"),
        ("absent_half", "旷½", "旷工半天", "A½", "absent half day", "#FFC7CE", "#9C0006"),
    ]
    for t in LEAVE_TYPES:
        zs, zl = _LEAVE_ZH[t]
        es, el = _LEAVE_EN[t]
        out.append((t, zs, zl, es, el, _LEAVE_FILL[t], "#000000"))
        out.append((t + "_half", zs + "½", zl + "半天", es + "½", el + " (half day)", _LEAVE_FILL[t], "#000000"))
    out += [("rest", "休", "休息日", "R", "rest day", "#F2F2F2", "#7F7F7F"),
            ("holiday", "节", "法定节假日", "H", "public holiday", "#D0CECE", "#404040")]
    return [(k, zt if zh else et, zl if zh else el, fill, font) for k, zt, zl, et, el, fill, font in out]


# ---------------------------------------------------------------------------------------------
# fast sheet data


class _Formula:
    __slots__ = ("text", "value")

    def __init__(self, text: str, value: float | int) -> None:
        self.text, self.value = text, value


class _Fen(int):
    """An amount in fen for a number cell, written as its exact value in yuan (:func:`_fen_xml`):
    money reaches the sheet from integer fen without passing through a float."""

    __slots__ = ()


class Numbers:
    """A number column handed to :meth:`_Sheet.table` as one numpy array rather than a Python
    object a cell.  ``as_``: "fen" (amounts, :func:`_fen_xml`), "float" (``repr`` of the float)
    or "whole" (a whole value as an int, ``2``; else its float, ``1.5``); ``blank``: cells left
    empty.  The texts are those the per-cell objects (_Fen, float, int) gave."""

    __slots__ = ("values", "as_", "blank")

    def __init__(self, values: Any, as_: str, blank: Any = None) -> None:
        self.values, self.as_, self.blank = values, as_, blank

    def __len__(self) -> int:
        return len(self.values)

    def __getitem__(self, key: slice) -> Numbers:
        return Numbers(self.values[key], self.as_, None if self.blank is None else self.blank[key])

    def text(self, v: Any) -> str:
        if self.as_ == "fen":
            return _fen_xml(int(v))
        if self.as_ == "whole" and float(v) == int(v):
            return repr(int(v))
        return repr(float(v))


def _fen_xml(fen: int) -> str:
    """The cell text of an amount in fen: the yuan in the shortest decimal (220050 → 2200.5,
    220000 → 2200.0, -5 → -0.05) — the text ``repr(fen / 100)`` gave, made from the integer."""
    yuan, cents = divmod(abs(int(fen)), 100)
    return f"{'-' if fen < 0 else ''}{yuan}.{f'{cents:02d}'.rstrip('0') or '0'}"


def _col_letter(c: int) -> str:
    s = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        s = chr(65 + rem) + s
    return s


_COLS = [_col_letter(i) for i in range(200)]


def _num(v: float | int) -> str:
    if isinstance(v, _Fen):  # as a float would be written below: a whole amount without ".0"
        return str(v // 100) if v % 100 == 0 else _fen_xml(v)
    if isinstance(v, int):
        return str(v)
    if v != v or v in (math.inf, -math.inf):
        return "0"
    return repr(float(v)) if v != int(v) else str(int(v))


class _Sheet:
    """Rows of one worksheet, streamed into its ``<sheetData>`` when xlsxwriter assembles it."""

    def __init__(self, wb: Any, ws: Any) -> None:
        self.ws = ws
        self.sst = wb.str_table
        self.chunks: list[str] = []
        self.maxrow = -1
        self.maxcol = 0
        self.memo: dict[str, int] = {}
        self.sidx = _Sheet.memo_of(wb, self.memo)
        self.packed: list[bytes] = []  # the rows deflated once the sheet is complete (pack)
        self.packed_size = 0  # bytes of XML in ``packed``
        self.packed_crc = 0  # their CRC-32
        ws._write_sheet_data = self._emit  # type: ignore[method-assign]

    def row(self, r: int, cells: Sequence[Any], styles: Sequence[int], start: int = 0,
            height: float | None = None) -> None:
        """Cells ``start..``: str (shared text, made safe), int/float, _Formula, or None (styled blank)."""
        if r >= MAX_ROWS:
            raise self.too_long()
        rn = str(r + 1)
        parts = [f'<row r="{rn}" ht="{height}" customHeight="1">' if height else f'<row r="{rn}">']
        col = start
        for v, s in zip(cells, styles, strict=False):
            ref = _COLS[col] + rn
            if v is None or v == "":
                if s:
                    parts.append(f'<c r="{ref}" s="{s}"/>')
            elif isinstance(v, str):
                parts.append(f'<c r="{ref}" s="{s}" t="s"><v>{self.sidx(v)}</v></c>')
            elif isinstance(v, _Formula):
                parts.append(f'<c r="{ref}" s="{s}"><f>{v.text}</f><v>{_num(v.value)}</v></c>')
            else:
                parts.append(f'<c r="{ref}" s="{s}"><v>{_num(v)}</v></c>')
            col += 1
        parts.append("</row>")
        self.chunks.append("".join(parts))
        self.maxrow = max(self.maxrow, r)
        self.maxcol = max(self.maxcol, col - 1)

    def too_long(self) -> Exception:
        """A sheet that cannot continue on another (one row a person, at over a million people)."""
        from cs_rules.problems import UsageError

        return UsageError(f"the {self.ws.name} sheet would need more than {MAX_ROWS:,} rows, Excel's limit",
                          "write the payroll as CSV instead: --format csv -o payroll.csv")

    @staticmethod
    def memo_of(wb: Any, memo: dict[str, int]) -> Callable[[str], int]:
        """A sheet's ``sidx``: the shared-string index of the spreadsheet-safe form of a text, each
        text looked up once a sheet (``memo``)."""
        sst = wb.str_table

        def sidx(v: str) -> int:
            i = memo.get(v)
            if i is None:
                i = memo[v] = sst._get_shared_string_index(safe_cell(v)[:32767])
            return i
        return sidx

    def table(self, first: int, columns: Sequence[Sequence[Any]], styles: Sequence[int], kinds: str,
              patched: bool = True, more: Callable[[int, int, Any], list[Any]] | None = None) -> None:
        """Many rows at once, column by column: kinds ``s`` text, ``n`` number (None = styled blank).

        Built with Arrow string kernels over whole columns (a cell's text is made once per distinct
        value), which is ~5× faster than formatting a million cells one by one; the XML is the same
        byte for byte, shared strings numbered in the same order (column by column, first use first).
        ``patched=False``: nobody changes these rows afterwards, so they stay one Arrow array a batch
        (their UTF-8 goes to the zip as it is) instead of a Python string a row.  ``more(a, b, rn)``:
        the XML of further cells of rows ``a..b`` (Arrow text arrays, ``rn`` their row numbers),
        written after the columns' — asked for once the columns' shared strings are numbered."""
        n = len(columns[0]) if columns else 0
        if not n:
            return
        if first + n > MAX_ROWS:
            raise self.too_long()
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        values = [self._column_values(col, kind) for col, kind in zip(columns, kinds, strict=False)]
        # a cell is '<c r="' + its reference + the rest, and the rest depends only on the value: made
        # once per distinct value (a styled blank too), taken per row — one join makes the rows.  A
        # column with unstyled blanks (no cell at all) is joined apart and chosen cell by cell.
        mids = [f'" s="{st}" t="s"><v>' if kind == "s" else f'" s="{st}"><v>'
                for st, kind in zip(styles, kinds, strict=False)]
        rests: list[Any] = []
        for (_codes, texts, present), st, mid in zip(values, styles, mids, strict=False):
            if st or present.all():
                rest = pc.binary_join_element_wise(mid, texts, "</v></c>", "")
                rests.append(pc.if_else(pa.array(present), rest, f'" s="{st}"/>'))
            else:
                rests.append(None)
        step = 100_000
        for a in range(0, n, step):
            b = min(n, a + step)
            rn = pa.array(np.arange(first + a + 1, first + b + 1, dtype=np.int64)).cast(pa.string())
            cells: list[Any] = []
            for j, ((codes, texts, present), rest, mid) in enumerate(zip(values, rests, mids, strict=False)):
                L = _COLS[j]
                c = codes[a:b]
                if rest is not None:
                    cells += [f'<c r="{L}', rn, rest.take(pa.array(c))]
                    continue
                full = pc.binary_join_element_wise(f'<c r="{L}', rn, mid, texts.take(pa.array(c)), "</v></c>", "")
                cells.append(pc.if_else(pa.array(present[c]), full, ""))
            if more is not None:
                cells += more(a, b, rn)
            rows = pc.binary_join_element_wise('<row r="', rn, '">', *cells, "</row>", "")
            if patched:
                self.chunks.extend(rows.to_pylist())
            else:
                self.chunks.append(rows)
        self.maxrow = max(self.maxrow, first + n - 1)
        self.maxcol = max(self.maxcol, len(columns) - 1)

    def _column_values(self, col: Sequence[Any], kind: str) -> tuple[Any, Any, Any]:
        """(code per row, the cell value text of each code, whether a code is a cell or a blank)."""
        import numpy as np
        import pandas as pd
        import pyarrow as pa

        if isinstance(col, Numbers):  # a whole numpy column: its distinct values written once each
            codes, uniques = pd.factorize(col.values)
            if col.blank is not None:
                codes = np.where(col.blank, -1, codes)
            texts = [col.text(u) for u in uniques.tolist()]
            present = [True] * len(texts)
        elif kind == "s":  # text: its shared-string index; a falsy value is a blank
            codes, uniques = pd.factorize(pd.Series(col, dtype=object))
            present = [bool(u) for u in uniques.tolist()]
            texts = [str(self.sidx(u)) if p else "" for u, p in zip(uniques.tolist(), present, strict=False)]
        else:  # a number: its repr (ints and floats apart: 1 and 1.0 are different texts); None a blank
            keyed = [None if v is None else (type(v), v) for v in col] if not _one_type(col) else list(col)
            codes, uniques = pd.factorize(pd.Series(keyed, dtype=object))
            values = [u[1] if isinstance(u, tuple) else u for u in uniques.tolist()]
            texts = [_fen_xml(u) if isinstance(u, _Fen) else repr(u) for u in values]
            present = [True] * len(texts)
        codes = np.where(codes < 0, len(texts), codes)  # None (and NaN): the blank at the end
        texts.append("")
        present.append(False)
        return np.asarray(codes, dtype=np.int64), pa.array(texts, type=pa.string()), np.array(present, dtype=bool)

    def finish(self) -> None:
        if self.maxrow >= 0:
            self.ws.dim_rowmin, self.ws.dim_rowmax = 0, self.maxrow
            self.ws.dim_colmin, self.ws.dim_colmax = 0, self.maxcol

    def _emit(self) -> None:
        """The ``<sheetData>`` of this sheet: a marker xlsxwriter carries through its packaging, which
        :class:`_StreamingZip` replaces by the rows as it deflates the part, a batch at a time — the
        sheet's XML is never one string (nor its UTF-8 a second copy) and each batch is freed as written."""
        fh = self.ws.fh
        if not self.chunks and not self.packed:
            fh.write("<sheetData/>")
            return
        fh.write(f"{_MARK}{id(self)}{_MARK}")

    def pack(self) -> None:
        """Deflate the rows of a complete sheet and drop their strings: a workbook's sheets then wait
        for the zip at about a seventh of their size (a 400,000-person month's rows are ~3 GB of XML).

        The deflate stream ends with a sync flush (byte-aligned, not final), so the zip part is this
        stream copied as it is between the deflated head and tail of the sheet's XML — rows are
        compressed once, never inflated and deflated again when the workbook is saved."""
        if not self.chunks:
            return
        z = _deflater()
        crc, size = self.packed_crc, self.packed_size
        for data in self._drain():
            crc = zlib.crc32(data, crc)
            size += len(data)
            self.packed.append(z.compress(data))
        self.packed.append(z.flush(_Z_SYNC_FLUSH))
        self.packed_crc, self.packed_size = crc, size

    def size(self) -> int:
        """Bytes of the rows' XML (an upper bound while they are strings)."""
        return self.packed_size + sum(4 * len(c) if isinstance(c, str) else c.nbytes for c in self.chunks)

    def deflated(self, head: bytes, tail: bytes) -> tuple[list[bytes], int, int]:
        """The sheet's zip part as raw deflate pieces: ``head``, the rows, ``tail`` — with the
        CRC-32 and the size of the XML they hold."""
        self.pack()
        first = head + b"<sheetData>"
        last = b"</sheetData>" + tail
        z = _deflater()
        pieces = [z.compress(first), z.flush(_Z_SYNC_FLUSH)]
        pieces += self.packed
        self.packed = []
        z = _deflater()
        pieces += [z.compress(last), z.flush()]
        crc = _crc32_combine(zlib.crc32(first), self.packed_crc, self.packed_size)
        crc = zlib.crc32(last, crc)
        return pieces, crc, len(first) + self.packed_size + len(last)

    def _drain(self) -> Iterator[Any]:
        """The rows still held, as UTF-8 a batch at a time (bytes, or a view of an Arrow array's
        text), each batch freed as it is handed on (the sheet keeps none)."""
        chunks, self.chunks = self.chunks, []
        step = 20000
        i, n = 0, len(chunks)
        while i < n:
            c = chunks[i]
            if not isinstance(c, str):  # an Arrow array of rows (table(patched=False))
                chunks[i] = ""
                yield utf8_view(c)
                i += 1
                continue
            j = i
            while j < n and j - i < step and isinstance(chunks[j], str):
                j += 1
            data = "".join(chunks[i:j]).encode("utf-8")
            chunks[i:j] = [""] * (j - i)
            yield data
            i = j


# the sheets of the workbook being saved, by marker (close_workbook); a marker no cell can hold (text is XML-escaped)
_MARK = "\x00cs-rules-sheet-data\x00"
_PENDING: dict[int, _Sheet] = {}


def _one_type(col: Sequence[Any]) -> bool:
    """Whether a number column holds floats only or ints only (the common case: no keying by type)."""
    kinds = {type(v) for v in col[:1000]}
    if len(kinds) != 1:
        return False
    t = next(iter(kinds))
    return all(type(v) is t for v in col)


# ---------------------------------------------------------------------------------------------
# workbook


# each sheet's share of the time a 40,000-person workbook takes (measured), for a progress bar
WORKBOOK_STEPS = {"summary": 10, "payslips": 30, "ledger": 20, "grid": 6, "absences": 1, "flags": 1, "save": 32}


def write_workbook(res: MonthResult, data: Dataset, output: Path, lang: str = "zh",
                   advance: Callable[[float], None] | None = None) -> None:
    """The payroll workbook for ``res``, written atomically to ``output``; ``advance(n)`` is told as
    each sheet is done (the weights of :data:`WORKBOOK_STEPS`, 100 in all)."""
    lang = "en" if str(lang).lower().startswith("en") else "zh"
    atomic_write(output, lambda fh: _write(res, data, fh, lang, advance=advance))


def write_payslips(res: MonthResult, output: Path, rows: list[int] | None = None, lang: str = "zh",
                   slips: list[Any] | None = None) -> None:
    """A workbook of the 工资条 sheet alone, for the employees at positions ``rows`` (default:
    everyone) — `cs-rules payslips` writes one per person; written atomically to ``output``.
    ``slips``: those employees' :class:`~cs_rules.reports.payslip.Slip` already built (one pass
    for a whole month, rather than one per file)."""
    lang = "en" if str(lang).lower().startswith("en") else "zh"
    atomic_write(output, lambda fh: _write(res, None, fh, lang, rows, slips))


def _write(res: MonthResult, data: Dataset | None, fh: IO[bytes], lang: str,
           slip_rows: list[int] | None = None, prepared: list[Any] | None = None,
           advance: Callable[[float], None] | None = None) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(fh, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                                  "strings_to_urls": False})
    try:
        st = _Styles(wb, lang)
        T = TEXT[lang]
        if data is None:  # the payslips alone
            sheets = _payslips(wb, st, res, T, lang, slip_rows, prepared=prepared)
            title = f"{T['payslips']} {res.month.label}"
        else:
            tell = advance or (lambda n: None)
            full = data
            steps: list[tuple[str, Callable[[], list[_Sheet]]]] = [
                ("summary", lambda: [_summary(wb, st, res, T, lang)]),
                ("payslips", lambda: _payslips(wb, st, res, T, lang)),
                ("ledger", lambda: _ledger(wb, st, res, T, lang)),
                ("grid", lambda: [_grid(wb, st, res, T, lang)]),
                ("absences", lambda: _absences(wb, st, res, T, lang)),
                ("flags", lambda: [_flags(wb, st, res, full, T, lang)]),
            ]
            sheets = []
            for step, build in steps:
                built = build()
                for done in built:
                    done.pack()
                sheets += built
                tell(WORKBOOK_STEPS[step])
            title = f"{T['summary']} {res.month.label}"
        for s in sheets:
            s.finish()
        wb.set_properties({"title": title, "comments": "cs-rules"})
        wb.set_custom_property("generator", outputs.GENERATOR)  # how -o knows it may overwrite this file
    except BaseException:
        wb.fileclosed = True  # nothing to save; the caller removes the temp file
        raise
    close_workbook(wb, sheets)
    if advance is not None and data is not None:
        advance(WORKBOOK_STEPS["save"])


def close_workbook(wb: Any, sheets: Sequence[_Sheet]) -> None:
    """Save an xlsxwriter workbook whose sheets are :class:`_Sheet`: each sheet's rows, deflated at
    level 1 when the sheet was built (several times faster than the default on 100+ MB of sheet
    XML, ~25% larger), copied into its zip part (:class:`_StreamingZip`); the other parts at level 1."""
    import xlsxwriter.sharedstrings as xs
    import xlsxwriter.workbook as xw

    saved = xw.ZipInfo, xw.ZipFile
    saved_sst = xs.SharedStrings._write_sst_strings
    xw.ZipInfo, xw.ZipFile = _FastZipInfo, _StreamingZip  # type: ignore[misc]
    xs.SharedStrings._write_sst_strings = _write_sst_strings  # type: ignore[method-assign]
    _PENDING.update({id(sh): sh for sh in sheets})
    try:
        wb.close()
    finally:
        xw.ZipInfo, xw.ZipFile = saved  # type: ignore[misc]
        xs.SharedStrings._write_sst_strings = saved_sst  # type: ignore[method-assign]
        for sh in sheets:
            _PENDING.pop(id(sh), None)


# what xlsxwriter's shared-string writer escapes specially: control characters (NUL is the
# separator below and is counted apart), _xHHHH_ lookalikes, rich text
_SST_SPECIAL = re.compile("[\x01-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|<r>")


def _write_sst_strings(sst: Any) -> None:
    """xlsxwriter's ``<si>`` elements for the shared strings, written in one pass over all of them.

    xlsxwriter escapes each string with three regexes and a function call (0.6 s for a
    40,000-person workbook's ~200,000 strings); when no string holds a control character, an
    ``_xHHHH_`` lookalike or a rich-text run — the only cases its escaping treats specially — the
    same bytes come from escaping the strings joined once.  Otherwise xlsxwriter's own writer runs."""
    import xlsxwriter.sharedstrings as xs

    strings = sst.string_table.string_array
    joined = "\x00".join(strings)  # NUL: a control character, so no string that takes this path holds one
    if (len(strings) < 2 or joined.count("\x00") != len(strings) - 1
            or _SST_SPECIAL.search(joined) is not None):
        for string in strings:
            xs.SharedStrings._write_si(sst, string)
        return
    escaped = joined.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").split("\x00")
    keep = '<si><t xml:space="preserve">'
    sst.fh.write("".join(
        f"{keep}{e}</t></si>" if s and (s[0].isspace() or s[-1].isspace()) else f"<si><t>{e}</t></si>"
        for s, e in zip(strings, escaped, strict=True)))


class _StreamingZip(zipfile.ZipFile):
    """The zip xlsxwriter writes its parts into; a part holding a sheet's marker is written from the
    sheet's deflated pieces (:meth:`_Sheet.deflated`), the rows in place of the marker."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: int | None = None,
                 compresslevel: int | None = None) -> None:
        mark = _MARK.encode()
        if not isinstance(data, bytes) or mark not in data or not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)
            return
        head, key, tail = data.split(mark, 2)
        sheet = _PENDING.pop(int(key))
        pieces, crc, size = sheet.deflated(head, tail)
        # the part's sizes and CRC are known before it is written: its header says them, then the
        # deflate pieces follow as they are (what zipfile's own writer does, minus compressing)
        zinfo = zinfo_or_arcname
        zinfo.compress_type = zipfile.ZIP_DEFLATED
        zinfo.flag_bits = 0
        zinfo.CRC, zinfo.file_size, zinfo.compress_size = crc, size, sum(map(len, pieces))
        if not zinfo.external_attr:
            zinfo.external_attr = 0o600 << 16
        zip64 = max(zinfo.file_size, zinfo.compress_size) > zipfile.ZIP64_LIMIT
        if self._seekable:  # type: ignore[attr-defined]
            self.fp.seek(self.start_dir)  # type: ignore[union-attr]
        zinfo.header_offset = self.fp.tell()  # type: ignore[union-attr]
        self._writecheck(zinfo)  # type: ignore[attr-defined]
        self._didModify = True  # type: ignore[attr-defined]
        self.fp.write(zinfo.FileHeader(zip64))  # type: ignore[union-attr]
        for piece in pieces:
            self.fp.write(piece)  # type: ignore[union-attr]
        self.filelist.append(zinfo)
        self.NameToInfo[zinfo.filename] = zinfo
        self.start_dir = self.fp.tell()  # type: ignore[union-attr]


def _deflater() -> Any:
    """A raw deflate compressor at level 1 (ISA-L's when installed: several times faster)."""
    try:
        from isal import isal_zlib

        return isal_zlib.compressobj(1, isal_zlib.DEFLATED, -15)
    except ImportError:
        import zlib

        return zlib.compressobj(1, zlib.DEFLATED, -15)


_Z_SYNC_FLUSH = 2  # zlib.Z_SYNC_FLUSH (and isal's): end the output on a byte boundary, not final


def _crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """CRC-32 of A+B from CRC(A), CRC(B) and len(B) (zlib's crc32_combine; isal's when installed)."""
    try:
        from isal import isal_zlib

        return int(isal_zlib.crc32_combine(crc1, crc2, len2))
    except ImportError:
        pass
    if len2 <= 0:
        return crc1

    def times(mat: list[int], vec: int) -> int:
        out, i = 0, 0
        while vec:
            if vec & 1:
                out ^= mat[i]
            vec >>= 1
            i += 1
        return out

    def square(mat: list[int]) -> list[int]:
        return [times(mat, mat[n]) for n in range(32)]

    op = [0xEDB88320] + [1 << n for n in range(31)]  # the CRC of one zero bit appended
    for _ in range(3):
        op = square(op)  # … of one zero byte
    while len2:  # len(B) zero bytes appended to A, a power of two at a time
        if len2 & 1:
            crc1 = times(op, crc1)
        len2 >>= 1
        if len2:
            op = square(op)
    return crc1 ^ crc2


class _FastZipInfo(zipfile.ZipInfo):
    """xlsxwriter writes each part with a ZipInfo; this one asks for deflate level 1."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._compresslevel = 1  # Python ≤ 3.12
        self.compress_level = 1  # Python ≥ 3.13


class _Styles:
    def __init__(self, wb: Any, lang: str) -> None:
        self.wb = wb
        font = {"font_name": "等线" if lang == "zh" else "Calibri", "font_size": 10}
        self.font = font

        def f(**kw: Any) -> int:
            return int(wb.add_format({**font, **kw})._get_xf_index())

        self.f = f
        border = {"border": 1, "border_color": "#808080"}
        self.border = border
        self.header = f(bold=True, bg_color="#D9E1F2", text_wrap=True, valign="vcenter", align="center", **border)
        self.text = f()
        self.int = f(num_format="0")
        self.days = f(num_format="0.0")  # one decimal: "0.##" shows 23 as "23." in Excel
        self.count = f(num_format="0")
        self.money = f(num_format="#,##0.00")
        self.score = f(num_format="0.0")
        self.date = f(num_format="yyyy-mm-dd")
        self.total_text = f(bold=True, top=2)
        self.total_money = f(bold=True, top=2, num_format="#,##0.00")
        self.total_days = f(bold=True, top=2, num_format="0.0")
        self.total_count = f(bold=True, top=2, num_format="0")
        self.flag = f(font_color="#9C0006", text_wrap=True)
        self.wrap = f(text_wrap=True, valign="top")


_MONEY = {"base_salary", "daily_rate", "base_pay", "absence_penalty", "performance_pay", "bonus_total",
          "fines_total", "net_pay", "full_attendance", "award_bonus", "reward", "overtime_pay"}
_DAYS = {"workdays", "attended_days", "absent_days", "personal_leave_days", "sick_leave_days", "paid_leave_days",
         "late_count", "early_leave_count", "missing_punch_count", "overtime_hours"}
_COUNTS = {"workdays", "late_count", "early_leave_count", "missing_punch_count"}  # whole numbers: format "0"
_FEN = {"base_salary": "base_fen", "daily_rate": "daily_rate_fen",
        "base_pay": "base_pay_fen", "absence_penalty": "absence_penalty_fen",
        "performance_pay": "performance_pay_fen", "bonus_total": "bonus_fen", "fines_total": "fines_fen",
        "net_pay": "net_pay_fen", "full_attendance": "full_attendance_fen", "award_bonus": "award_bonus_fen",
        "reward": "reward_fen", "overtime_pay": "overtime_fen"}


def _money_list(e: Any, field: str) -> Numbers:
    """The amounts of a money field, each written as its exact yuan (:func:`_fen_xml`)."""
    return Numbers(e[_FEN[field]].to_numpy(dtype="int64"), "fen")


def _day_values(e: Any, field: str) -> Any:
    """A day or count column; overtime hours from the minutes the engine keeps (exact to the minute)."""
    return e["overtime_minutes"].to_numpy(dtype=float) / 60 if field == "overtime_hours" else e[field].to_numpy()


def _values(e: Any, field: str) -> Any:
    if field in _MONEY:
        return _money_list(e, field)
    if field == "flags":
        return ["; ".join(x) for x in e["flags"]]
    if field == "score":
        return Numbers(e["score"].to_numpy(dtype=float), "float")
    if field in _DAYS:
        return Numbers(_day_values(e, field), "whole")
    return ["" if v is None or (isinstance(v, float) and v != v) else str(v) for v in e[field].tolist()]


# 汇总 column widths (characters): narrow numbers under wrapped headers, so 23 columns print
# landscape on one A4 width at about 8.7 pt in Excel; the flags wrap in their cell, one a line
SUMMARY_WIDTHS = {"employee_id": 7, "name": 6.5, "grade": 9, "base_salary": 8.5, "daily_rate": 6.5, "base_pay": 9,
                  "net_pay": 9, "score": 5, "score_level": 6, "flags": 16}


def _summary_width(f: str) -> float:
    return SUMMARY_WIDTHS.get(f, 8 if f in _MONEY else 5)


def _summary(wb: Any, st: _Styles, res: MonthResult, T: dict[str, Any], lang: str) -> _Sheet:
    from cs_rules.reports.tables import payroll_fields

    ws = wb.add_worksheet(T["summary"])
    sh = _Sheet(wb, ws)
    e = res.employees
    fields = payroll_fields(res)  # with overtime_hours and overtime_pay in a month with approved overtime
    labels = fields if lang == "en" else [FIELD_LABELS["zh"][f] for f in fields]
    sh.row(0, labels, [st.header] * len(fields), height=42)
    styles = [st.money if f in _MONEY else st.count if f in _COUNTS else st.days if f in _DAYS
              else st.score if f == "score" else st.flag if f == "flags" else st.text for f in fields]
    cols = [_values(e, f) for f in fields]
    flag_lists = e["flags"].tolist()
    if lang == "zh":  # the flags by name, one a line
        cols[fields.index("flags")] = ["\n".join(res.rules.label("flag", x, lang) for x in fl) for fl in flag_lists]
    else:
        cols[fields.index("flags")] = ["\n".join(fl) for fl in flag_lists]
    if T["grade_names"]:
        cols[fields.index("grade")] = [T["grade_names"].get(g, g) for g in cols[fields.index("grade")]]
    n = len(e)
    first = len(sh.chunks)
    sh.table(1, cols, styles, "".join("n" if f in _MONEY or f in _DAYS or f == "score" else "s" for f in fields))
    for k, fl in enumerate(flag_lists):  # a row tall enough for its flags (Excel does not grow it by itself)
        if len(fl) > 1:
            sh.chunks[first + k] = sh.chunks[first + k].replace(
                f'<row r="{k + 2}">', f'<row r="{k + 2}" ht="{13.5 * len(fl):g}" customHeight="1">', 1)
    tot: list[Any] = []
    tstyles = []
    for j, f in enumerate(fields):
        if f in _MONEY and f != "daily_rate":
            fen = int(e[_FEN[f]].sum())
            tot.append(_Formula(f"SUM({_COLS[j]}2:{_COLS[j]}{n + 1})", _Fen(fen)))
            tstyles.append(st.total_money)
        elif f in _DAYS:
            tot.append(_Formula(f"SUM({_COLS[j]}2:{_COLS[j]}{n + 1})", float(_day_values(e, f).sum())))
            tstyles.append(st.total_count if f in _COUNTS else st.total_days)
        elif f == "employee_id":
            tot.append(T["total"])
            tstyles.append(st.total_text)
        elif f == "name":
            tot.append(T["people"].format(n=n))
            tstyles.append(st.total_text)
        else:
            tot.append(None)
            tstyles.append(st.total_text)
    sh.row(n + 1, tot, tstyles)
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, max(n, 1), len(fields) - 1)
    for j, f in enumerate(fields):
        ws.set_column(j, j, _summary_width(f))
    ws.set_landscape()
    ws.set_paper(9)
    ws.set_margins(0.25, 0.25, 0.5, 0.5)
    ws.fit_to_pages(1, 0)  # one page wide; the columns are chosen so that shrinks the type only to ~9 pt
    ws.repeat_rows(0)
    ws.print_area(0, 0, n + 1, len(fields) - 1)
    company, month = slip_title(res, lang)
    head = " ".join(x for x in (company.replace("&", "&&"), month, T["summary"]) if x)
    ws.set_header(f"&C{head}"[:250])
    ws.set_footer(f"&C{SLIP_TEXT[lang]['footer']}")
    return sh


def flag_reason(row: Any, flag: str, rules: Any, lang: str = "en") -> str:
    """Why ``flag`` is set on the employee ``row``, in words (the catalogue's text for the flag)."""
    from cs_rules.rules.flags import reason

    return reason(row, rules.entry("flag", flag), lang) if rules.has("flag", flag) else flag


# ---------------------------------------------------------------------------------------------
# 工资条: one portrait block per person, A4 at 100 % (10 pt type), never split across pages

SLIP_TEXT: dict[str, dict[str, Any]] = {
    "zh": {"earn": "应发项目", "ded": "扣款项目", "qty": "数量", "amount": "金额(元)", "earn_total": "应发合计",
           "ded_total": "扣款合计", "net": "实发工资", "sign": "本人签字", "sign_date": "日期",
           "score": "考核分", "level": "考核等级", "month": "{year}年{month:02d}月", "title": "{company}{m} 工资条",
           "footer": "第 &P 页，共 &N 页", "levels": {"ok": "合格", "warning": "警告", "penalty": "处罚",
                                                   "severe": "严重"},
           "fmt_times": '0"次"', "fmt_days": '0.0"天"', "fmt_items": '0"项"'},
    "en": {"earn": "Earnings", "ded": "Deductions", "qty": "Qty", "amount": "Amount", "earn_total": "Total earnings",
           "ded_total": "Total deductions", "net": "Net pay", "sign": "Signature", "sign_date": "Date",
           "score": "Score", "level": "Level", "month": "{year}-{month:02d}", "title": "{company}Payslip {m}",
           "footer": "Page &P of &N", "levels": {},
           "labels": {"absent_days": "Absent", "missing_punch_count": "Missing", "paid_leave_days": "Paid leave",
                      "early_leave_count": "Early", "personal_leave_days": "Personal"},
           "fmt_times": '0"x"', "fmt_days": '0.0"d"', "fmt_items": '0"x"'},
}
# the six columns of a slip (Excel character widths): 应发 label, qty, amount, 扣款 label, qty, amount.
# 70 characters print 375 pt wide in Excel (7 px a character) and under 500 pt where LibreOffice
# lays them out in a wider fallback font (DejaVu Sans, ~9.4 px): both inside A4 portrait's 537 pt
SLIP_WIDTHS = [13, 9, 11, 17, 9, 11]
SLIP_ROW_PT = 16.0  # every row of a slip has this height, so the page breaks can be computed
SLIP_TITLE_PT, SLIP_SIGN_PT, SLIP_GAP_PT = 22.0, 28.0, 14.0
SLIP_FONT_PT = 10
# A4 portrait, margins in inches; the printable height, less a margin of safety for the printer
SLIP_MARGINS = {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.6, "header": 0.25, "footer": 0.25}
SLIP_PAGE_PT = (842 - (SLIP_MARGINS["top"] + SLIP_MARGINS["bottom"]) * 72) * 0.97
MAX_BREAKS = 1000  # Excel keeps at most 1,026 manual page breaks a sheet: more slips go on another sheet


def slip_print_width_pt() -> float:
    """How wide the slip columns print at 100 %: Excel's column of w characters is 7w + 5 pixels."""
    return sum(int(w * 7 + 5) for w in SLIP_WIDTHS) * 0.75


def _text_width(text: str) -> int:
    """Rough display width in Excel character units: CJK and full-width characters count two."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


class _SlipStyles:
    def __init__(self, st: _Styles, lang: str) -> None:
        S = SLIP_TEXT[lang]
        b = st.border
        fs = SLIP_FONT_PT
        f = st.f
        self.title = f(bold=True, font_size=12, valign="vcenter")
        self.pay_date = f(font_size=fs, align="right", valign="vcenter")
        self.lab = f(bold=True, bg_color="#F2F2F2", valign="vcenter", font_size=fs, text_wrap=True, **b)
        self.val = f(valign="vcenter", font_size=fs, **b)
        self.val_int = f(valign="vcenter", font_size=fs, num_format="0", **b)
        self.val_days = f(valign="vcenter", font_size=fs, num_format="0.0", **b)
        self.val_score = f(valign="vcenter", font_size=fs, num_format="0.0", **b)
        self.head = f(bold=True, bg_color="#D9E1F2", align="center", valign="vcenter", font_size=fs, **b)
        self.item = f(valign="vcenter", font_size=fs, text_wrap=True, **b)
        self.qty = {"times": f(valign="vcenter", font_size=fs, num_format=S["fmt_times"], **b),
                    "days": f(valign="vcenter", font_size=fs, num_format=S["fmt_days"], **b),
                    "items": f(valign="vcenter", font_size=fs, num_format=S["fmt_items"], **b),
                    "": f(valign="vcenter", font_size=fs, **b)}
        self.money = f(valign="vcenter", font_size=fs, num_format="#,##0.00", **b)
        self.total_lab = f(bold=True, bg_color="#E2EFDA", valign="vcenter", font_size=fs, **b)
        self.total = f(bold=True, bg_color="#E2EFDA", valign="vcenter", font_size=fs, num_format="#,##0.00", **b)
        self.net_lab = f(bold=True, bg_color="#FFF2CC", valign="vcenter", font_size=11, **b)
        self.net = f(bold=True, bg_color="#FFF2CC", valign="vcenter", font_size=11, num_format="#,##0.00", **b)
        self.blank = f(font_size=fs, **b)
        edge = {"border_color": b["border_color"], "top": 1, "bottom": 1}
        self.box_left = f(font_size=fs, left=1, **edge)  # two cells that look like one box
        self.box_right = f(font_size=fs, right=1, **edge)
        self.note = f(font_size=9, font_color="#9C0006", text_wrap=True, valign="top")


def _slip_notes(res: MonthResult, row: Any, T: dict[str, Any], lang: str) -> str:
    forfeit_applied = res.rules.get("flags.forfeiture.mode") == "apply"
    notes = []
    for fl in row["flags"]:
        text = flag_reason(row, fl, res.rules, lang)
        if fl == "forfeiture":
            text += "（" + (T["flag_applied"] if forfeit_applied else T["flag_only"]) + "）" \
                if lang == "zh" else f" ({T['flag_applied'] if forfeit_applied else T['flag_only']})"
        notes.append(f"{text} [{res.rules.cite('flag', fl)}]")
    return T["notes"] + ("；" if lang == "zh" else "; ").join(notes) if notes else ""


def _note_height(text: str) -> float:
    per_line = sum(SLIP_WIDTHS) * 1.1  # 9 pt type in 10 pt columns
    lines = max(1, -(-_text_width(text) // int(per_line)))
    return 13.0 * lines + 3


def _item_height(label: str, width: float) -> float:
    return SLIP_ROW_PT if _text_width(label) <= width else SLIP_ROW_PT * 1.75


def slip_title(res: MonthResult, lang: str) -> tuple[str, str]:
    """(the company, the month as printed): the header of every slip and page."""
    S = SLIP_TEXT[lang]
    company = str(res.rules.get("meta.company") or "").strip()
    return company, S["month"].format(year=res.month.year, month=res.month.month)


def _payslips(wb: Any, st: _Styles, res: MonthResult, T: dict[str, Any], lang: str,
              rows: list[int] | None = None, name: str | None = None, prepared: list[Any] | None = None
              ) -> list[_Sheet]:
    """The 工资条 sheet(s): a portrait slip per person at 100 % on A4 (so type prints at 10 pt),
    a page break before any slip that would not fit on the page, the company and month in the page
    header and page numbers in the footer.  More than ~1,000 pages continue on another sheet."""
    import numpy as np
    import pandas as pd

    from cs_rules.reports.payslip import SlipTable, slip_table

    S = SLIP_TEXT[lang]
    L = FIELD_LABELS[lang]
    ss = _SlipStyles(st, lang)
    table = SlipTable.of(prepared) if prepared is not None else slip_table(res, rows, lang)
    # the employees of these slips, in slip order: one file per person costs the same at 20 or 40,000
    e = res.employees if rows is None else res.employees.iloc[table.rows]
    company, month = slip_title(res, lang)
    title = S["title"].format(company=(company + "  ") if company else "", m=month)
    pay_date = T["pay_date"].format(d=res.pay_date.isoformat())
    grades = T["grade_names"]
    levels = S["levels"]
    ids = e["employee_id"].tolist()
    names = ["" if not isinstance(x, str) else x for x in e["name"].tolist()]
    grade = e["grade"].tolist()
    num = {c: e[c].to_numpy() for c in ("workdays", "attended_days", "absent_days", "late_count",
                                        "early_leave_count", "missing_punch_count", "personal_leave_days",
                                        "sick_leave_days", "paid_leave_days", "score")}
    score_level = e["score_level"].astype(object).tolist()
    flagged = e["flags"].map(len).to_numpy() > 0
    info = [  # label/value pairs, three to a row: (field, kind)
        [("employee_id", "s"), ("name", "s"), ("grade", "s")],
        [("workdays", "i"), ("attended_days", "d"), ("absent_days", "d")],
        [("late_count", "i"), ("early_leave_count", "i"), ("missing_punch_count", "i")],
        [("personal_leave_days", "d"), ("sick_leave_days", "d"), ("paid_leave_days", "d")],
    ]
    vstyle = {"s": ss.val, "i": ss.val_int, "d": ss.val_days}
    sheets: list[_Sheet] = []
    sh: _Sheet | None = None
    ws: Any = None
    r = 0
    used = 0.0
    breaks: list[int] = []
    base_name = name or T["payslips"]

    def new_sheet() -> None:
        nonlocal sh, ws, r, used, breaks
        if sh is not None:
            _finish_slip_sheet(ws, sh, r, breaks, company, month, S)
            sh.pack()
        ws = wb.add_worksheet(sheet_name(base_name, len(sheets)))
        sh = _Sheet(wb, ws)
        sheets.append(sh)
        r, used, breaks = 0, 0.0, []

    new_sheet()
    assert sh is not None

    # XML templates of the rows every slip shares; ``{0}`` is the row number.  The cells are written
    # straight into <sheetData> (as _Sheet does): 40,000 slips are ~600,000 rows.
    def txt(col: int, text: str, style: int) -> str:
        assert sh is not None
        return f'<c r="{_COLS[col]}{{0}}" s="{style}" t="s"><v>{sh.sidx(text)}</v></c>'

    def slot(col: int, style: int, kind: str, k: int) -> str:  # a value filled in per slip
        return f'<c r="{_COLS[col]}{{0}}" s="{style}"' + (f' t="s"><v>{{{k}}}</v></c>' if kind == "s" else
                                                             f'><v>{{{k}}}</v></c>')

    def row_open(h: float) -> str:
        return f'<row r="{{0}}" ht="{h:g}" customHeight="1">'

    def blank(col: int, style: int) -> str:
        return f'<c r="{_COLS[col]}{{0}}" s="{style}"/>'

    pd_style = ss.pay_date
    # the title is the same on every slip (工号 and 姓名 follow in the next row): one shared string
    title_tmpl = row_open(SLIP_TITLE_PT) + txt(0, title, ss.title) + txt(5, pay_date, pd_style) + "</row>"
    info_tmpls = []
    for line in info:
        parts, k = [row_open(SLIP_ROW_PT)], 1
        for j, (f, kind) in enumerate(line):
            parts.append(txt(2 * j, S.get("labels", {}).get(f, L[f]), ss.lab))  # short enough for the cell
            parts.append(slot(2 * j + 1, vstyle[kind], "s" if kind == "s" else "n", k))
            k += 1
        info_tmpls.append("".join(parts) + "</row>")
    head_tmpl = row_open(SLIP_ROW_PT) + "".join(
        txt(j, t, ss.head) for j, t in enumerate([S["earn"], S["qty"], S["amount"], S["ded"], S["qty"],
                                                  S["amount"]])) + "</row>"
    total_tmpl = row_open(SLIP_ROW_PT) + txt(0, S["earn_total"], ss.total_lab) + blank(1, ss.total_lab) + \
        slot(2, ss.total, "n", 1) + txt(3, S["ded_total"], ss.total_lab) + blank(4, ss.total_lab) + \
        slot(5, ss.total, "n", 2) + "</row>"
    net_tmpl = row_open(SLIP_ROW_PT) + txt(0, S["net"], ss.net_lab) + blank(1, ss.net_lab) + \
        slot(2, ss.net, "n", 1) + txt(3, S["score"], ss.lab) + slot(4, ss.val_score, "n", 2) + \
        "{3}</row>"
    sign_tmpl = row_open(SLIP_SIGN_PT) + txt(0, S["sign"], ss.lab) + blank(1, ss.box_left) + \
        blank(2, ss.box_right) + txt(3, S["sign_date"], ss.lab) + blank(4, ss.box_left) + blank(5, ss.box_right) + \
        "</row>"

    def block(tmpls: list[str], nvals: list[int]) -> str:
        """Consecutive rows as one template: row numbers {0}..{n-1}, then each row's values in turn."""
        out, v = [], len(tmpls)
        for k, (t, nv) in enumerate(zip(tmpls, nvals, strict=True)):
            t = t.replace("{0}", "\x00")
            for j in range(nv, 0, -1):
                t = t.replace(f"{{{j}}}", f"{{{v + j - 1}}}")
            out.append(t.replace("\x00", f"{{{k}}}"))
            v += nv
        return "".join(out)

    top_tmpl = block([title_tmpl, *info_tmpls, head_tmpl], [0, 3, 3, 3, 3, 0])
    bottom_tmpl = block([total_tmpl, net_tmpl, sign_tmpl], [2, 3, 0])
    blank3 = [blank(c, ss.blank) for c in range(6)]
    level_cells = {}
    for lv in dict.fromkeys(score_level):  # first use first: a set would number shared strings by hash seed
        text = levels.get(lv, lv) if isinstance(lv, str) else ""
        level_cells[lv] = txt(5, text, ss.val) if text else blank(5, ss.val)
    import pyarrow as pa

    qty_style = ss.qty
    sidx = sh.sidx  # the workbook's shared strings (a memo of this sheet's in front)
    values = {f: (num[f].astype("int64").tolist() if kind == "i" else num[f].astype(float).tolist())
              for line in info for f, kind in line if kind != "s"}
    grade_text = [grades.get(g, g) if isinstance(g, str) else "" for g in grade]
    scores = num["score"].astype(float).tolist()
    info_values = [values[f] for line in info[1:] for f, _ in line]
    qty_blank, item_style, money_style = qty_style[""], ss.item, ss.money
    blank_side = {c0: "".join(blank3[c0:c0 + 3]) for c0 in (0, 3)}
    # labels that may need two lines: each label's row height in its column, once
    line_h: dict[tuple[str, bool], float] = {}
    for lab, earning in dict.fromkeys(zip(table.label, table.earning.tolist(), strict=True)):
        line_h[(lab, earning)] = _item_height(lab, SLIP_WIDTHS[0 if earning else 3])
    m = len(table)
    slip, earning = table.slip, table.earning
    n_earn = np.bincount(slip[earning], minlength=m)
    n_ded = np.bincount(slip[~earning], minlength=m)
    krows = np.maximum(n_earn, n_ded)  # item rows of each slip
    # each line's item row: its slip's first item row + its place on its side (lines come by slip, side)
    row0 = np.cumsum(krows) - krows
    n_lines = len(slip)
    key = slip * 2 + (~earning)
    first = np.r_[True, key[1:] != key[:-1]] if n_lines else np.zeros(0, dtype=bool)
    at = np.arange(n_lines)
    place = at - np.maximum.accumulate(np.where(first, at, 0)) if n_lines else at
    item_row = row0[slip] + place
    n_rows = int(krows.sum())
    earn_line = np.full(n_rows, -1, dtype=np.int64)
    ded_line = np.full(n_rows, -1, dtype=np.int64)
    earn_line[item_row[earning]] = at[earning]
    ded_line[item_row[~earning]] = at[~earning]
    h_line = np.array([line_h[k] for k in zip(table.label, earning.tolist(), strict=True)], dtype=float)
    item_h = np.zeros(n_rows)
    if n_lines:
        np.maximum.at(item_h, item_row, h_line)
    # the notes of flagged slips (and their heights): the flags' reasons in words
    notes = [""] * m
    flagged_at = np.flatnonzero(flagged)
    if len(flagged_at):
        need = [c for c in ("flags", "net_before_floor_fen", "net_pay_fen", "absent_days", "leave_date",
                            "notice_date") if c in e]
        for k, rec in zip(flagged_at.tolist(), e.iloc[flagged_at][need].to_dict("records"), strict=True):
            notes[k] = _slip_notes(res, rec, T, lang)
    has_note = np.array([bool(x) for x in notes], dtype=bool)
    note_h = np.array([_note_height(x) if x else 0.0 for x in notes])
    # heights are whole points (16, 28, 13 a note line + 3), so their sums are exact in any order
    sum_h = np.bincount(np.repeat(np.arange(m), krows), weights=item_h, minlength=m) if m else np.zeros(0)
    height = (SLIP_TITLE_PT + SLIP_ROW_PT * (len(info) + 3) + sum_h + SLIP_SIGN_PT + note_h + SLIP_GAP_PT).tolist()
    # the pages: a break before any slip that would not fit, another sheet after MAX_BREAKS breaks
    span = (10 + krows + has_note).tolist()  # rows of a slip, with the blank row to cut along
    starts: list[int] = []
    cuts: list[tuple[int, int, list[int]]] = []  # (first slip, rows, breaks) of each sheet
    r, used, breaks, first_slip = 0, 0.0, [], 0
    for k in range(m):
        hk = height[k]
        if used and used + hk - SLIP_GAP_PT > SLIP_PAGE_PT:
            if len(breaks) >= MAX_BREAKS:
                cuts.append((first_slip, r, breaks))
                r, used, breaks, first_slip = 0, 0.0, [], k
            else:
                breaks.append(r)
                used = 0.0
        starts.append(r)
        r += span[k]
        used += hk
    cuts.append((first_slip, r, breaks))
    # shared strings in the order the slips use them (工号, 姓名, 职级, the items row by row, the note),
    # so the workbook numbers them as writing the slips one by one would
    strings, pos_slip, pos_line, pos_note = _slip_strings(table, [ids, names, grade_text], notes, earn_line,
                                                          ded_line, krows, row0)
    # each sheet's texts through a memo of that sheet's, as a sheet's cells are (the table's count of
    # references is per sheet and distinct text)
    sst = np.zeros(len(strings), dtype=np.int64)
    ends = [*pos_slip.tolist(), len(strings)]
    for c, (a, _, _) in enumerate(cuts):
        lo, hi = ends[a], ends[cuts[c + 1][0] if c + 1 < len(cuts) else m]
        codes, uniques = pd.factorize(pd.Series(strings[lo:hi], dtype=object))
        index = sidx if c == 0 else _Sheet.memo_of(wb, {})
        sst[lo:hi] = np.array([index(u) for u in uniques.tolist()] + [0], dtype=np.int64)[codes]
    sst_text = sst.astype(str)
    note_at = (np.asarray(starts, dtype=np.int64) + 10 + krows).tolist()  # 1-based row of a slip's note
    notes_xml = [f'<row r="{q}" ht="{h:g}" customHeight="1"><c r="A{q}" s="{ss.note}" t="s"><v>'
                 f'{sst[p]}</v></c></row>' if x else ""
                 for x, q, h, p in zip(notes, note_at, note_h.tolist(), pos_note.tolist(), strict=True)]
    # the cell texts of the lines, a distinct value at a time
    qty_texts: dict[tuple[Any, ...], str] = {}
    qm = []
    for q, u in zip(table.qty, table.unit, strict=True):
        kq = (q.__class__, q, u)
        t = qty_texts.get(kq)
        if t is None:
            t = qty_texts[kq] = f'" s="{qty_blank}"/>' if q is None else f'" s="{qty_style[u]}"><v>{q!r}</v></c>'
        qm.append(t)
    level_tail = {}
    for lv, cell in level_cells.items():
        assert cell.startswith('<c r="F{0}') and cell.count("{0}") == 1
        level_tail[lv] = cell[len('<c r="F{0}'):]
    cols = {
        "slip": [sst_text[pos_slip + d] for d in range(3)],
        "info": [[str(v) for v in vals] for vals in info_values],
        # a line's cells (and one more, for the rows of a side without a line)
        "line_s": pa.array([*sst_text[pos_line].tolist(), ""], type=pa.string()),
        "qm": pa.array([*qm, ""], type=pa.string()), "line_fen": _fen_texts(np.r_[table.fen, 0]),
        "earn": _fen_texts(table.earnings_fen), "ded": _fen_texts(table.deductions_fen),
        "net": _fen_texts(table.earnings_fen - table.deductions_fen), "score": [str(v) for v in scores],
        "level": [level_tail[x] for x in score_level], "note": notes_xml,
    }
    for c, (a, rows_, brk) in enumerate(cuts):
        if c:
            new_sheet()  # the previous one finished with its rows and breaks
        assert sh is not None and ws is not None
        b = cuts[c + 1][0] if c + 1 < len(cuts) else m
        if b > a:
            sh.chunks.append(_slip_rows(a, b, starts, krows, row0, earn_line, ded_line, item_h, has_note, cols,
                                        top_tmpl, bottom_tmpl, item_style, money_style, blank_side))
            for k in np.flatnonzero(has_note[a:b]).tolist():
                qn = starts[a + k] + 9 + int(krows[a + k])  # 0-based row of the note
                ws.merge.append([qn, 0, qn, 5])
            sh.maxrow = starts[b - 1] + span[b - 1] - 2
        r, breaks = rows_, brk
    _finish_slip_sheet(ws, sh, r, breaks, company, month, S)
    return sheets


def _fen_texts(fen: Any) -> Any:
    """The cell texts of amounts in fen (:func:`_fen_xml`), each distinct amount formatted once."""
    import numpy as np
    import pyarrow as pa

    uniq, inv = np.unique(np.asarray(fen, dtype=np.int64), return_inverse=True)
    return pa.array([_fen_xml(int(f)) for f in uniq.tolist()], type=pa.string()).take(pa.array(inv.ravel()))


def _slip_strings(table: Any, per_slip: list[list[str]], notes: list[str], earn_line: Any, ded_line: Any,
                  krows: Any, row0: Any) -> tuple[list[str], Any, Any, Any]:
    """Every text of the slips in the order they are written: each slip's ``per_slip`` values, its
    item labels row by row (应发 then 扣款) and its note; with the position in that order of each
    slip's first value, of each line and of each note (−1 without)."""
    import numpy as np

    m = len(krows)
    n_lines = len(table.slip)
    has_note = np.array([bool(x) for x in notes], dtype=bool)
    lines_of = np.bincount(table.slip, minlength=m) if n_lines else np.zeros(m, dtype=np.int64)
    w = len(per_slip)
    size = w + lines_of + has_note
    base = np.cumsum(size) - size
    lines_before = np.cumsum(lines_of) - lines_of
    # a line's place among its slip's lines: the lines of the rows above it, then 应发 before 扣款
    in_row = (earn_line >= 0).astype(np.int64) + (ded_line >= 0)
    row_start = np.cumsum(in_row) - in_row
    pos_line = np.zeros(n_lines, dtype=np.int64)
    rows_slip = np.repeat(np.arange(m), krows)
    for lines, extra in ((earn_line, 0), (ded_line, 1)):
        rr = np.flatnonzero(lines >= 0)
        k = rows_slip[rr]
        after = (earn_line[rr] >= 0) if extra else 0  # 扣款 after the row's 应发
        pos_line[lines[rr]] = base[k] + w + row_start[rr] - lines_before[k] + after
    pos_note = np.where(has_note, base + w + lines_of, -1)
    out = np.empty(int(size.sum()), dtype=object)
    for d, vals in enumerate(per_slip):
        out[base + d] = vals
    out[pos_line] = table.label
    out[pos_note[has_note]] = [x for x in notes if x]
    return out.tolist(), base, pos_line, pos_note


def _join(*parts: Any) -> Any:
    import pyarrow.compute as pc

    return pc.binary_join_element_wise(*parts, "")


def _template(tmpl: str, fields: dict[int, Any]) -> Any:
    """A row template's ``{n}`` fields filled column-wise: ``fields[n]`` an Arrow string array."""
    import string

    parts: list[Any] = []
    for lit, name, _, _ in string.Formatter().parse(tmpl):
        if lit:
            parts.append(lit)
        if name is not None:
            parts.append(fields[int(name)])
    return _join(*parts)


def _slip_rows(a: int, b: int, starts: list[int], krows: Any, row0: Any, earn_line: Any, ded_line: Any,
               item_h: Any, has_note: Any, cols: dict[str, Any], top_tmpl: str, bottom_tmpl: str, item_style: int,
               money_style: int, blank_side: dict[int, str]) -> Any:
    """The rows of slips ``a..b`` of a sheet as one Arrow array of XML, a slip's top, its item rows
    and its bottom (with the note) after one another."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    def text(v: Any) -> Any:
        return pa.array(v, type=pa.string()) if isinstance(v, list) else v

    def num(v: Any) -> Any:
        return pa.array(np.asarray(v, dtype=np.int64)).cast(pa.string())

    sl = slice(a, b)
    rn = np.asarray(starts[a:b], dtype=np.int64) + 1  # 1-based first row of each slip
    kr = krows[sl]
    top = _template(top_tmpl, {**{d: num(rn + d) for d in range(6)},
                               **{6 + d: text(cols["slip"][d][a:b].tolist()) for d in range(3)},
                               **{9 + d: text(v[a:b]) for d, v in enumerate(cols["info"])}})
    q = rn + 6 + kr
    bottom = _template(bottom_tmpl, {0: num(q), 1: num(q + 1), 2: num(q + 2), 3: cols["earn"][a:b],
                                     4: cols["ded"][a:b], 5: cols["net"][a:b], 6: text(cols["score"][a:b]),
                                     7: _join('<c r="F', num(q + 1), text(cols["level"][a:b]))})
    bottom = _join(bottom, text(cols["note"][a:b]))
    # the item rows of these slips: row numbers, heights, and each side's cells or blanks
    r0, r1 = int(row0[a]), int(row0[b - 1] + krows[b - 1])
    slip_of_row = np.repeat(np.arange(a, b), kr)
    j = np.arange(r0, r1) - row0[slip_of_row]
    qn = num(rn[slip_of_row - a] + 6 + j)
    heights, h_inv = np.unique(item_h[r0:r1], return_inverse=True)
    ht = pa.array([f"{h:g}" for h in heights.tolist()], type=pa.string()).take(pa.array(h_inv.ravel()))
    sides = []
    for lines, c0 in ((earn_line[r0:r1], 0), (ded_line[r0:r1], 3)):
        got = lines >= 0
        li = pa.array(np.where(got, lines, len(cols["qm"]) - 1))
        L0, L1, L2 = _COLS[c0], _COLS[c0 + 1], _COLS[c0 + 2]
        cell = _join(f'<c r="{L0}', qn, f'" s="{item_style}" t="s"><v>', cols["line_s"].take(li),
                     f'</v></c><c r="{L1}', qn, cols["qm"].take(li), f'<c r="{L2}', qn, f'" s="{money_style}"><v>',
                     cols["line_fen"].take(li), "</v></c>")
        blank = _template(blank_side[c0], {0: qn})
        sides.append(pc.if_else(pa.array(got), cell, blank))
    items = _join('<row r="', qn, '" ht="', ht, '" customHeight="1">', *sides, "</row>")
    # a slip's pieces after one another: top, its item rows, bottom
    size = 2 + kr
    base = np.cumsum(size) - size
    dest = np.concatenate([base, base[slip_of_row - a] + 1 + j, base + 1 + kr])
    order = np.empty(len(dest), dtype=np.int64)
    order[dest] = np.arange(len(dest))
    return pa.concat_arrays([top, items, bottom]).take(pa.array(order))


def _finish_slip_sheet(ws: Any, sh: Any, rows: int, breaks: list[int], company: str, month: str,
                       S: dict[str, Any]) -> None:
    for j, w in enumerate(SLIP_WIDTHS):
        ws.set_column(j, j, w)
    ws.set_portrait()
    ws.set_paper(9)  # A4
    m = SLIP_MARGINS
    ws.set_margins(m["left"], m["right"], m["top"], m["bottom"])
    head = " ".join(x for x in (company.replace("&", "&&"), month) if x)
    ws.set_header(f"&C{head}"[:250], {"margin": m["header"]})
    ws.set_footer(f"&C{S['footer']}", {"margin": m["footer"]})
    # 100 %: the six columns fit the page, so nothing shrinks the type below 10 pt, and Excel and
    # LibreOffice both keep the manual breaks (fit-to-page would let Excel ignore them)
    ws.set_print_scale(100)
    if rows:
        ws.print_area(0, 0, max(rows - 2, 0), len(SLIP_WIDTHS) - 1)
    ws.set_h_pagebreaks(breaks)
    ws.hide_gridlines(2)
    ws.center_horizontally()
    sh.maxcol = max(sh.maxcol, len(SLIP_WIDTHS) - 1)



def _cell_xml(sh: _Sheet, col: int, r: int, text: str, style: int) -> str:
    idx = sh.sidx(text)
    sh.maxcol = max(sh.maxcol, col)
    return f'<c r="{_COLS[col]}{r + 1}" s="{style}" t="s"><v>{idx}</v></c>'


def _excel_dates(dates: Any) -> list[Any]:
    import pandas as pd

    s = pd.to_datetime(pd.Series(dates))
    days = (s - pd.Timestamp(_EPOCH)).dt.days
    return [None if d != d else int(d) for d in days.tolist()]


def _ledger(wb: Any, st: _Styles, res: MonthResult, T: dict[str, Any], lang: str) -> list[_Sheet]:
    import pandas as pd

    header = [FIELD_LABELS[lang]["employee_id"], FIELD_LABELS[lang]["name"], T["kind"], T["date"], T["code"],
              T["what"], T["amount"], T["points"], T["rule"], T["source"], T["note"]]
    e = res.employees
    order = {k: i for i, k in enumerate(e["employee_id"].tolist())}
    names = dict(zip(e["employee_id"].tolist(), e["name"].tolist(), strict=False))
    parts = []
    for frame, kind, k in ((res.fines, T["fine"], 0), (res.rewards, T["reward_k"], 1),
                           (res.score_items, T["score_k"], 2)):
        if len(frame):
            f = frame[["employee_id", "date", "code", "amount_fen", "points", "rule", "source", "note"]].copy()
            f["kind"], f["k"] = kind, k
            parts.append(f)
    rows = 0
    columns: list[Any] = []
    styles = [st.text, st.text, st.text, st.date, st.text, st.text, st.money, st.score, st.text, st.text, st.text]
    if parts:
        lg = pd.concat(parts, ignore_index=True)
        lg["o"] = lg["employee_id"].map(order)
        lg = lg.sort_values(["o", "k", "date"], kind="stable")
        kinds = ("fine", "reward", "score")
        dates = _excel_dates(lg["date"])
        score = (lg["k"] == 2).to_numpy()
        money = Numbers(lg["amount_fen"].where(~score, 0).to_numpy(dtype="int64"), "fen", blank=score)
        pts = [p if k == 2 else None for p, k in zip(lg["points"].tolist(), lg["k"].tolist(), strict=False)]
        emps = lg["employee_id"].tolist()
        code_l = _texts(lg["code"])
        labels = {key: res.rules.label(kinds[key[1]], key[0], lang)  # a code's label looked up once
                  for key in dict.fromkeys(zip(code_l, lg["k"].tolist(), strict=True))}
        columns = [emps, [names.get(x, "") for x in emps], lg["kind"].tolist(), dates, code_l,
                   [labels[key] for key in zip(code_l, lg["k"].tolist(), strict=True)],
                   money, pts, _texts(lg["rule"]), _texts(lg["source"]), _texts(lg["note"])]
        rows = len(lg)
    return _long_table(wb, st, T["ledger"], header, columns, styles, "sssnssnnsss", rows,
                       [10, 10, 9, 11, 16, 16, 10, 7, 18, 40, 30])


def _texts(col: Any) -> list[str]:
    """A column's values as cell texts: ``str`` of each, "" for None, NaN, NA (or a text "<NA>")."""
    obj = col.astype(object)
    missing = obj.isna().to_numpy()
    if not missing.any() and all(type(v) is str for v in obj.tolist()):
        texts = obj.tolist()
    else:
        texts = ["" if m else str(v) for v, m in zip(obj.tolist(), missing.tolist(), strict=True)]
    if "<NA>" in texts:
        texts = ["" if t == "<NA>" else t for t in texts]
    return texts


def _grid(wb: Any, st: _Styles, res: MonthResult, T: dict[str, Any], lang: str) -> _Sheet:
    import numpy as np
    import pandas as pd

    ws = wb.add_worksheet(T["grid"])
    sh = _Sheet(wb, ws)
    statuses = _statuses(lang)
    code = {k: i for i, (k, *_rest) in enumerate(statuses)}
    texts = [s[1] for s in statuses]
    styles = [st.f(bg_color=fill, font_color=font, align="center", valign="vcenter", font_size=9, **st.border)
              for _, _, _, fill, font in statuses]
    days = res.month.days
    nd = len(days)
    wk = T["weekdays"]
    head_style = st.header
    rest_head = st.f(bold=True, bg_color="#F2F2F2", font_color="#7F7F7F", text_wrap=True, align="center",
                     valign="vcenter", font_size=9, **st.border)
    header = [FIELD_LABELS[lang]["employee_id"], FIELD_LABELS[lang]["name"]] + \
        [f"{d.date.day}\n{wk[d.date.isoweekday() - 1]}" for d in days]
    hstyles = [head_style, head_style] + [head_style if d.workday else rest_head for d in days]
    sh.row(0, header, hstyles, height=28)

    e = res.employees
    n = len(e)
    dates = np.array([np.datetime64(d.date, "D") for d in days])
    ws_ = e["win_start"].to_numpy().astype("datetime64[D]")
    we_ = e["win_end"].to_numpy().astype("datetime64[D]")
    inside = (dates[None, :] >= ws_[:, None]) & (dates[None, :] <= we_[:, None])
    mat = np.full((n, nd), -1, dtype=np.int64)
    for j, d in enumerate(days):
        if not d.workday:
            mat[inside[:, j], j] = code["holiday" if d.holiday_block else "rest"]
    g = res.grid
    if len(g):
        # a leave day's status by its type (half a day: the type's half status), looked up per type
        half = ((g["leave_days"] > 0) & (g["leave_days"] < 1)).to_numpy(dtype=bool)
        kind, types = pd.factorize(g["leave_type"])  # no type (NA): -1
        types = list(types)
        whole_code = np.array([code.get(t, -2) if isinstance(t, str) else -2 for t in types] + [-2], dtype=np.int64)
        half_code = np.array([code.get(f"{t}_half", -2) if isinstance(t, str) else -2 for t in types] + [-2],
                             dtype=np.int64)
        kind = np.where(kind < 0, len(types), kind)
        leave_code = np.where(half, half_code[kind], whole_code[kind])
        cond = [g["absent"].to_numpy() >= 1, g["absent"].to_numpy() > 0, leave_code >= 0,
                g["missing_punch"].to_numpy(dtype=bool),
                (g["late"] & g["early"]).to_numpy(dtype=bool), g["late"].to_numpy(dtype=bool),
                g["early"].to_numpy(dtype=bool)]
        choice = [np.full(len(leave_code), code[k], dtype=np.int64) for k in ("absent", "absent_half")] + \
            [leave_code] + [np.full(len(leave_code), code[k], dtype=np.int64)
                            for k in ("missing", "late_early", "late", "early")]
        st_code = np.select(cond, choice, default=code["on_time"])
        day_idx = pd.to_datetime(g["date"]).dt.day.to_numpy() - 1
        mat[g["emp_idx"].to_numpy(), day_idx] = st_code
    ids = e["employee_id"].tolist()
    names = ["" if not isinstance(x, str) else x for x in e["name"].tolist()]
    # legend to the right of the grid
    lc = 2 + nd + 1
    legend = [(T["legend"], head_style, "", head_style)] + \
        [(s[1], styles[i], s[2], st.text) for i, s in enumerate(statuses)] + [("", 0, T["not_employed"], st.text)]
    if not n:
        for k, (sym, sym_style, label, label_style) in enumerate(legend):
            _append_cells(sh, k, lc, [sym, label], [sym_style, label_style])
    else:
        import pyarrow as pa
        import pyarrow.compute as pc

        # a day's cell: its status's style and shared string, numbered (as the legend's texts) once
        # the ids and names are — the order the strings were numbered in when cells were strings
        made: dict[str, Any] = {}

        def prepare() -> None:
            made["tail"] = pa.array([f'" s="{styles[c]}" t="s"><v>{sh.sidx(texts[c])}</v></c>'
                                     for c in range(len(statuses))] + [""], type=pa.string())
            made["legend"] = [_cells_xml(sh, k, lc, [sym, label], [sym_style, label_style])
                              for k, (sym, sym_style, label, label_style) in enumerate(legend)]

        def days_and_legend(a: int, b: int, rn: Any) -> list[Any]:
            if not made:
                prepare()
            tail = made["tail"]
            out = []
            for j in range(nd):
                day = mat[a:b, j]
                shown = day >= 0
                cell = pc.binary_join_element_wise(f'<c r="{_COLS[2 + j]}', rn,
                                                   tail.take(pa.array(np.where(shown, day, len(tail) - 1))), "")
                out.append(pc.if_else(pa.array(shown), cell, ""))
            side = [""] * (b - a)  # the legend on the rows it reaches (row 1 is the header's)
            for k, xml in enumerate(made["legend"]):
                if a < k <= b:
                    side[k - 1 - a] = xml
            out.append(pa.array(side, type=pa.string()))
            return out

        sh.table(1, [ids, names], [st.text, st.text], "ss", patched=False, more=days_and_legend)
        sh.maxcol = max(sh.maxcol, 1 + nd)
        rows = sh.chunks
        rows[0] = rows[0][:-len("</row>")] + made["legend"][0] + "</row>"
        for k in range(n + 1, len(legend)):  # a legend longer than the grid: rows of its own below
            rows.append(f'<row r="{k + 1}">' + made["legend"][k] + "</row>")
            sh.maxrow = max(sh.maxrow, k)
    ws.freeze_panes(1, 2)
    ws.set_column(0, 0, 9)
    ws.set_column(1, 1, 10)
    ws.set_column(2, 1 + nd, 4.2)
    ws.set_column(lc, lc, 6)
    ws.set_column(lc + 1, lc + 1, 18)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.print_area(0, 0, max(n, len(legend) - 1), lc + 1)
    return sh


def _absences(wb: Any, st: _Styles, res: MonthResult, T: dict[str, Any], lang: str) -> list[_Sheet]:
    """Every absent person-day with why it is absent (issue 13 §7): the rows `explain` shows one
    person at a time, for the whole month, so a clerk can check each 旷工 before pay is handed out."""
    from cs_rules.review.evidence import absences, reasons

    L = FIELD_LABELS[lang]
    header = [L["employee_id"], L["name"], T["date"], T["days"], T["why"], T["source"]]
    ev = absences(res)
    names = ["" if not isinstance(x, str) else x for x in res.employees["name"].tolist()]
    columns = [ev["employee_id"].tolist(), [names[i] for i in ev["emp_idx"].tolist()], _excel_dates(ev["date"]),
               ev["days"].tolist(), reasons(ev, lang), ev["source"].tolist()] if len(ev) else []
    return _long_table(wb, st, T["absences"], header, columns, [st.text, st.text, st.date, st.days, st.wrap, st.text],
                       "ssnnss", len(ev), [10, 10, 11, 6, 70, 30])


def _long_table(wb: Any, st: _Styles, base: str, header: list[str], columns: list[Any], styles: list[int],
                kinds: str, rows: int, widths: list[int]) -> list[_Sheet]:
    """A header and ``rows`` rows of ``columns`` on as many sheets as Excel's row limit needs (base,
    base (2) …), each filtered, frozen and printed landscape on A4, one page wide."""
    sheets = []
    for k, (a, b) in enumerate(row_chunks(rows)):
        ws = wb.add_worksheet(sheet_name(base, k))
        sh = _Sheet(wb, ws)
        sh.row(0, header, [st.header] * len(header), height=22)
        if b > a:
            sh.table(1, [c[a:b] for c in columns], styles, kinds, patched=False)
        ws.freeze_panes(1, 2)
        ws.autofilter(0, 0, max(b - a, 1), len(header) - 1)
        for j, w in enumerate(widths):
            ws.set_column(j, j, w)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        sheets.append(sh)
    return sheets


def _cells_xml(sh: _Sheet, r: int, col: int, vals: list[Any], styles: list[int]) -> str:
    """The XML of cells ``col..`` of row ``r`` (a falsy value: a styled blank, or nothing unstyled)."""
    return "".join(_cell_xml(sh, col + j, r, v, s) if v else (f'<c r="{_COLS[col + j]}{r + 1}" s="{s}"/>' if s else "")
                   for j, (v, s) in enumerate(zip(vals, styles, strict=False)))


def _append_cells(sh: _Sheet, r: int, col: int, vals: list[Any], styles: list[int]) -> None:
    """Cells to the right of a row already written (or a new row when there is none yet)."""
    xml = _cells_xml(sh, r, col, vals, styles)
    # rows are written in order: row r is chunk r when every row so far produced one chunk
    if r < len(sh.chunks) and sh.chunks[r].startswith(f'<row r="{r + 1}"'):
        sh.chunks[r] = sh.chunks[r][:-len("</row>")] + xml + "</row>"
    else:
        sh.chunks.append(f'<row r="{r + 1}">' + xml + "</row>")
        sh.maxrow = max(sh.maxrow, r)


def _flags(wb: Any, st: _Styles, res: MonthResult, data: Dataset, T: dict[str, Any], lang: str) -> _Sheet:
    ws = wb.add_worksheet(T["flags"])
    sh = _Sheet(wb, ws)
    L = FIELD_LABELS[lang]
    header = [T["kind"], L["employee_id"], L["name"], T["code"], T["what"], T["rule"], T["effect"], T["location"]]
    sh.row(0, header, [st.header] * len(header), height=22)
    r = 1
    e = res.employees
    forfeit_applied = res.rules.get("flags.forfeiture.mode") == "apply"
    has = e["flags"].map(len) > 0
    for row in e[has].to_dict("records"):
        for fl in row["flags"]:
            if fl == "forfeiture":
                effect = T["flag_applied"] if forfeit_applied else T["flag_only"]
            elif fl == "net_clamped":
                effect = "0.00"
            else:
                effect = ""
            sh.row(r, [T["flag_k"], row["employee_id"], row["name"], fl, flag_reason(row, fl, res.rules, lang),
                       res.rules.cite("flag", fl), effect, row.get("_file", "") and f"{row['_file']}:{row['_row']}"],
                   [st.flag, st.text, st.text, st.text, st.wrap, st.text, st.text, st.text])
            r += 1
    for p in data.problems.warnings:
        what = p.message + (f" — {p.hint}" if p.hint else "")
        sh.row(r, [T["warning_k"], "", "", p.code, what, "", "", p.location()],
               [st.text, st.text, st.text, st.text, st.wrap, st.text, st.text, st.text])
        r += 1
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(r - 1, 1), len(header) - 1)
    for j, w in enumerate([10, 10, 10, 22, 60, 26, 24, 40]):
        ws.set_column(j, j, w)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    return sh
