"""Whole workbooks within bounds (issue 15 §2, §6) and the old .xls formats (issue 12 §1).

Every visible sheet with a recognised header is read; hidden ones are named; a formula
without a saved value is an error at its cell; 1904-system serial dates are right; a
workbook that would need 512 GiB, or a sheet that expands past the limit, is one line.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import make_folder, valid_files
from reading_fixtures import assert_problem, employee, far_cell_workbook, payroll_refuses, validate

from cs_rules.loading import workbooks
from cs_rules.loading.folder import load_file
from cs_rules.loading.sources import Source, open_source
from cs_rules.model.inputs import empty_dataset
from cs_rules.rulebook import default_rulebook

RULES = default_rulebook()
HEADER = ["工号", "姓名", "日期", "签到时间", "签退时间"]


@pytest.fixture(autouse=True)
def _isolated(isolated: Path) -> None:
    """No $CS_RULES_DATA and no rules.toml from the caller's folder leak into a test."""


def folder_with_book(tmp_path: Path, wb: openpyxl.Workbook, name: str = "signin/2024-05.xlsx") -> Path:
    root = make_folder(tmp_path, valid_files())
    (root / "signin" / "2024-05.csv").unlink()
    wb.save(root / name)
    return root


def day_rows(emp: str, first: int, last: int, sign_in: dt.time = dt.time(8, 50)) -> list[list[object]]:
    return [[emp, "张三" if emp == "E001" else "李四", dt.date(2024, 5, d), sign_in, dt.time(18, 5)]
            for d in range(first, last + 1) if dt.date(2024, 5, d).isoweekday() != 7]


def test_a_month_over_two_sheets_is_one_table(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "上半月"
    first.append(HEADER)
    for r in day_rows("E001", 1, 15) + day_rows("E002", 1, 15):
        first.append(r)
    second = wb.create_sheet("下半月")
    second.append(["五月下半月"])
    second.append(HEADER)
    for r in day_rows("E001", 16, 31, dt.time(9, 10)) + day_rows("E002", 16, 31):
        second.append(r)
    root = folder_with_book(tmp_path, wb)
    result = validate(root)
    assert result.exit_code == 0, result.stdout
    assert "sheets 上半月, 下半月" in result.stdout
    e1 = employee(root, "E001")
    assert e1["absent_days"] == 0 and e1["late_count"] == len(day_rows("E001", 16, 31))


def test_the_same_rows_on_two_sheets_are_the_duplicate_check(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    for i, title in enumerate(("五月", "五月 (2)")):
        ws = wb.active if i == 0 else wb.create_sheet(title)
        ws.title = title
        ws.append(HEADER)
        ws.append(["E001", "张三", dt.date(2024, 5, 6), dt.time(8, 50), dt.time(18, 5)])
    root = folder_with_book(tmp_path, wb)
    assert_problem(root, "signin/2024-05.xlsx[五月 (2)]", 2, "date", "repeated_day", "warning")


def test_hidden_sheet_is_skipped_and_named(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    old = wb.active
    old.title = "旧表"
    old.append(HEADER)
    old.append(["E001", "张三", dt.date(2024, 5, 6), dt.time(10, 0), dt.time(12, 0)])
    old.sheet_state = "hidden"
    new = wb.create_sheet("五月")
    new.append(HEADER)
    new.append(["E001", "张三", dt.date(2024, 5, 6), dt.time(8, 50), dt.time(18, 5)])
    root = folder_with_book(tmp_path, wb)
    line = assert_problem(root, "signin/2024-05.xlsx", 0, "", "hidden_sheet", "warning")
    assert "旧表" in line
    assert employee(root, "E001")["late_count"] == 0  # the visible sheet's 08:50, not the hidden 10:00


def test_formula_without_a_saved_value_is_an_error_at_its_cell(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()  # openpyxl writes formulas without cached values, as scripts do
    ws = wb.active
    ws.title = "五月"
    ws.append(HEADER)
    ws.append(["E001", "张三", dt.date(2024, 5, 6), dt.time(8, 50), "=TIME(18,5,0)"])
    root = folder_with_book(tmp_path, wb)
    line = assert_problem(root, "signin/2024-05.xlsx[五月]", 2, "签退时间", "formula_without_value")
    assert "E2" in line and "Excel or WPS" in line
    payroll_refuses(root)


def test_1904_date_system_serial_numbers(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.append(["employee_id", "name", "grade", "hire_date"])
    serial = (dt.date(2023, 1, 9) - dt.date(1904, 1, 1)).days  # a plain number, no date format
    ws.append(["E001", "张三", "junior", serial])
    ws.append(["E002", "李四", "mid", dt.date(2022, 3, 1)])  # a date cell
    root = make_folder(tmp_path, valid_files())
    (root / "roster.csv").unlink()
    wb.save(root / "roster.xlsx")
    assert validate(root).exit_code == 0
    data = empty_dataset(None)
    load_file(root / "roster.xlsx", RULES, data, ["roster"])
    assert [d.date() for d in data.roster["hire_date"]] == [dt.date(2023, 1, 9), dt.date(2022, 3, 1)]


def test_a_table_sheet_without_a_recognised_header_is_named(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "五月"
    ws.append(HEADER)
    ws.append(["E001", "张三", dt.date(2024, 5, 6), dt.time(8, 50), dt.time(18, 5)])
    other = wb.create_sheet("补录")
    other.append(["员工", "哪天", "来", "走"])
    other.append(["E002", dt.date(2024, 5, 7), dt.time(8, 50), dt.time(18, 5)])
    other.append(["E002", dt.date(2024, 5, 8), dt.time(8, 50), dt.time(18, 5)])
    root = folder_with_book(tmp_path, wb)
    assert_problem(root, "signin/2024-05.xlsx[补录]", 0, "", "sheet_not_read", "warning")


# ------------------------------------------------------------------ bounded resources
def test_cells_at_a1_and_xfd1048576_are_refused_in_one_line(tmp_path: Path) -> None:
    root = folder_with_book(tmp_path, far_cell_workbook(HEADER))
    assert (root / "signin/2024-05.xlsx").stat().st_size < 10_000
    line = assert_problem(root, "signin/2024-05.xlsx[五月]", 0, "", "sheet_too_big")
    assert "XFD1048576" in line and "1,000 columns" in line


def test_a_part_expanding_past_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for d in range(1, 29):
        ws.append(["E001", "张三", dt.date(2024, 5, d), dt.time(8, 50), dt.time(18, 5)])
    path = tmp_path / "big.xlsx"
    wb.save(path)
    monkeypatch.setattr(workbooks, "MAX_PART_BYTES", 2000)  # the real limit is 1 GiB
    src = open_source(path)
    assert not isinstance(src, Source) and src.code == "too_big"
    assert "GiB" in src.message or "limit" in src.message


def test_a_sheet_spanning_too_many_cells_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "五月"
    ws.append(HEADER)
    ws["A200000"] = "x"
    path = tmp_path / "tall.xlsx"
    wb.save(path)
    monkeypatch.setattr(workbooks, "MAX_CELLS", 100_000)
    src = open_source(path)
    assert isinstance(src, Source)
    assert [p.code for p in src.problems] == ["sheet_too_big"] and "五月" not in src.sheets


# ------------------------------------------------------------------------------ .xls
def biff8_signin(path: Path, rows: list[list[object]]) -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("考勤")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    time_style = xlwt.easyxf(num_format_str="hh:mm")
    for i, row in enumerate([HEADER, *rows]):
        for j, v in enumerate(row):
            if isinstance(v, dt.date):
                ws.write(i, j, v, date_style)
            elif isinstance(v, dt.time):
                ws.write(i, j, (v.hour * 3600 + v.minute * 60 + v.second) / 86400, time_style)
            else:
                ws.write(i, j, v)
    hidden = wb.add_sheet("旧")
    hidden.write(0, 0, "x")
    hidden.visibility = 1
    wb.save(str(path))


def test_xls_biff8_is_read_like_xlsx(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files())
    (root / "signin" / "2024-05.csv").unlink()
    biff8_signin(root / "signin" / "2024-05.xls", [["E001", "张三", dt.date(2024, 5, 6), dt.time(9, 5), dt.time(18, 5)],
                                                   ["E002", "李四", dt.date(2024, 5, 6), dt.time(8, 55), dt.time(18, 10)]])
    result = validate(root)
    assert result.exit_code == 0, result.stdout
    assert "signin/2024-05.xls: sign-in sheet, 2 rows" in result.stdout
    assert employee(root, "E001")["late_count"] == 1


def biff2(rows: list[list[object]]) -> bytes:
    """An Excel 2.1 worksheet as cheap clocks write it: GBK text and no codepage record."""
    def rec(t: int, data: bytes) -> bytes:
        return struct.pack("<HH", t, len(data)) + data

    out = rec(0x0009, struct.pack("<HH", 2, 0x10))
    for fmt in (b"General", b"yyyy-mm-dd", b"hh:mm"):
        out += rec(0x001E, bytes([len(fmt)]) + fmt)
    out += rec(0x0000, struct.pack("<HHHH", 0, len(rows), 0, max(len(r) for r in rows)))
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if isinstance(v, str):
                b = v.encode("gbk")
                out += rec(0x0004, struct.pack("<HH", i, j) + b"\x00\x00\x00" + bytes([len(b)]) + b)
            elif isinstance(v, dt.date):
                serial = (v - dt.date(1899, 12, 30)).days
                out += rec(0x0003, struct.pack("<HH", i, j) + bytes([0, 1, 0]) + struct.pack("<d", serial))
            elif isinstance(v, dt.time):
                frac = (v.hour * 3600 + v.minute * 60) / 86400
                out += rec(0x0003, struct.pack("<HH", i, j) + bytes([0, 2, 0]) + struct.pack("<d", frac))
    return out + rec(0x000A, b"")


def test_xls_biff2_with_gbk_text_and_no_codepage(tmp_path: Path) -> None:
    data = biff2([HEADER, ["E001", "张三", dt.date(2024, 5, 6), dt.time(9, 5), dt.time(18, 5)],
                  ["E002", "李四", dt.date(2024, 5, 6), dt.time(8, 55), dt.time(18, 10)]])
    root = make_folder(tmp_path, valid_files(**{"signin/2024-05.xls": data}))
    (root / "signin" / "2024-05.csv").unlink()
    src = open_source(root / "signin" / "2024-05.xls")
    assert isinstance(src, Source) and src.fmt == "xls"
    rows = next(iter(src.all_rows().values()))
    assert rows[0] == HEADER and rows[1][1] == "张三" and rows[1][2] == dt.date(2024, 5, 6)
    assert validate(root).exit_code == 0
    assert employee(root, "E001")["late_count"] == 1


def test_dat_clock_log_is_a_source_and_never_skipped(tmp_path: Path) -> None:
    log = "     1\t2024-05-06 08:51:12\t1\t0\t1\t0\r\n     2\t2024-05-06 18:02:40\t1\t1\t1\t0\r\n"
    root = make_folder(tmp_path, valid_files(**{"signin/attlog.dat": log}))
    src = open_source(root / "signin" / "attlog.dat")
    assert isinstance(src, Source) and src.fmt == "dat"
    assert src.all_rows()[""][0] == ["     1", "2024-05-06 08:51:12", "1", "0", "1", "0"]
    result = validate(root)
    assert "signin/attlog.dat" in result.stdout  # read by a clock adapter, or listed with the reason


def test_html_saved_as_xls_says_what_it_is(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{"leave.xls": "<html><body><table><tr><td>x</td></tr></table>"}))
    assert_problem(root, "leave.xls", 0, "", "html_xls")


def test_xlsx_of_broken_zip_parts_is_one_line(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook><sheets><sheet name='a' r:id='rId1'/></sheets></workbook>")
    root = make_folder(tmp_path, valid_files(**{"leave.xlsx": buf.getvalue()}))
    result = validate(root)
    assert result.exit_code == 1
    assert sum("leave.xlsx" in ln for ln in result.stdout.splitlines() if ln.startswith("error:")) == 1
