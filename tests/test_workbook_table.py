"""The workbook's column-wise cell writer (``_Sheet.table``, Arrow string kernels) writes the XML a
cell-by-cell writer would: shared strings numbered column by column in first-use order, a falsy
text or a None number a styled blank (or nothing without a style), ints and floats apart."""

from __future__ import annotations

import xlsxwriter

from cs_rules.reports.workbook import _Sheet


def _sheet() -> _Sheet:
    wb = xlsxwriter.Workbook("/dev/null", {"in_memory": True})
    return _Sheet(wb, wb.add_worksheet("t"))


def test_table_cells_byte_for_byte() -> None:
    sh = _sheet()
    sh.table(1, [["b", "a", None, "b", ""], [1, 1.0, None, 2.5, 3], [None, None, 7, None, 8]], [5, 6, 0], "snn")
    assert sh.chunks == [
        '<row r="2"><c r="A2" s="5" t="s"><v>0</v></c><c r="B2" s="6"><v>1</v></c></row>',
        '<row r="3"><c r="A3" s="5" t="s"><v>1</v></c><c r="B3" s="6"><v>1.0</v></c></row>',
        '<row r="4"><c r="A4" s="5"/><c r="B4" s="6"/><c r="C4" s="0"><v>7</v></c></row>',
        '<row r="5"><c r="A5" s="5" t="s"><v>0</v></c><c r="B5" s="6"><v>2.5</v></c></row>',
        '<row r="6"><c r="A6" s="5"/><c r="B6" s="6"><v>3</v></c><c r="C6" s="0"><v>8</v></c></row>',
    ]
    assert (sh.maxrow, sh.maxcol) == (5, 2)


def test_table_numbers_shared_strings_in_first_use_order_and_makes_text_safe() -> None:
    sh = _sheet()
    sh.sidx("already")
    sh.table(1, [["x", "=1+1", "x"], ["already", "y", "y"]], [1, 1], "ss")
    ids = [c.split("<v>")[1].split("<")[0] for row in sh.chunks for c in row.split("<c ")[1:]]
    assert ids == ["1", "0", "2", "3", "1", "3"]
    assert sh.sst.string_table["'=1+1"] == 2


def test_table_over_many_chunks_keeps_every_row() -> None:
    sh = _sheet()
    n = 250_001
    sh.table(1, [list(range(n))], [0], "n")
    assert len(sh.chunks) == n
    assert sh.chunks[-1] == f'<row r="{n + 1}"><c r="A{n + 1}" s="0"><v>{n - 1}</v></c></row>'


def test_sheet_rows_are_streamed_into_the_zip_in_place_of_their_marker(tmp_path: object) -> None:
    """Each sheet's rows go into its zip part a batch at a time (issue 17: the workbook's memory);
    no marker is left in any part, and no sheet waits after the workbook is written."""
    import zipfile
    from pathlib import Path

    from paths import SAMPLE

    from cs_rules import api
    from cs_rules.reports import workbook as W

    ctx = api.open_data(SAMPLE)
    out = Path(str(tmp_path)) / "p.xlsx"
    W.write_workbook(api.payroll(ctx, "2024-05"), ctx.data, out, lang="en")
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None
        parts = {n: z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")}
    assert parts and not [n for n, b in parts.items() if b"\x00" in b or W._MARK.encode() in b]
    assert all(b.count(b"<sheetData") == 1 for b in parts.values())
    assert sum(b.count(b"<row ") for b in parts.values()) > 100
    assert W._PENDING == {}
