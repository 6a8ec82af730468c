"""A clock's punch log in an XLSX is read column-wise (fastexcel) instead of as Python rows
(issue 17: ZKTeco's 1.8 million punches took 10 s and 2.5 GB as rows). It is only a shortcut:
every log must load to the same punches, people and problems as reading its rows, and what the
shortcut cannot give exactly (mixed kinds of cell, a 1904 workbook, Excel's first two months of
1900) must go back to the rows. These tests load each log both ways and compare."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from reading_fixtures import shortcut

from cs_rules.loading.sources import open_source
from cs_rules.loading.vendors import cells as C
from cs_rules.loading.vendors.registry import detect_vendor, load_vendor
from cs_rules.loading.workbooks import calamine_cells

FIX = Path(__file__).parent / "fixtures" / "vendors"
ZK = ["部门", "姓名", "考勤号码", "日期时间", "机器号", "编号", "比对方式", "卡号"]
T = dt.datetime


def _zk(path: Path, body: list[list[Any]], *, above: list[list[Any]] | None = None,
        date1904: bool = False) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    if date1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    for row in [*(above or []), ZK, *body]:
        ws.append(row)
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, dt.datetime):
                c.number_format = "yyyy-mm-dd hh:mm:ss"
    wb.save(path)
    return path


def _load(path: Path, columns: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, int]:
    with monkeypatch.context() as m:
        taken = shortcut(m, C, "columns_below", columns)
        src = open_source(path)
        vendor = detect_vendor(src)  # type: ignore[arg-type]
        assert vendor, path
        return load_vendor(src, vendor), sum(taken)  # type: ignore[arg-type]


def _same(path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """Load both ways, assert the same frames and problems; how many sheets took columns."""
    fast, n = _load(path, True, monkeypatch)
    slow, _ = _load(path, False, monkeypatch)
    for name in ("punches", "signins", "leave", "approvals", "verdicts", "day_labels", "schedule", "people"):
        a, b = getattr(fast, name), getattr(slow, name)
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=True)
    assert [p.format() for p in fast.problems] == [p.format() for p in slow.problems]
    assert fast.parts == slow.parts and fast.period == slow.period
    return n


@pytest.mark.parametrize("name,taken", [("zkteco-考勤记录.xlsx", 0),  # text among its date-times: rows
                                        ("clock-software-刷卡记录.xlsx", 1), ("hr-app-打卡记录.xlsx", 1)])
def test_vendor_fixture_logs_read_the_same_by_columns(name: str, taken: int, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same(FIX / name, monkeypatch) == taken


@pytest.mark.parametrize("name,taken", [("dingtalk-原始记录.xlsx", 0),  # date-times among its punch texts: rows
                                        ("dingtalk-考勤报表.xlsx", 1),
                                        ("dingtalk-打卡时间_20260615-20260621.xlsx", 0)])
def test_dingtalk_raw_records_read_the_same_by_columns(name: str, taken: int,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """DingTalk's 原始记录 sheet (one row per punch) is read by columns; its other reports by rows."""
    assert _same(FIX / name, monkeypatch) == taken


def test_an_empty_column_says_nothing_in_english(tmp_path: Path) -> None:
    """fastexcel logs a warning for a column with no cells (Python's last-resort handler printed
    it on stderr, in English); it must not reach the user's screen."""
    import subprocess
    import sys

    path = tmp_path / "log.xlsx"
    wb = openpyxl.Workbook()
    for row in [ZK, *PUNCHES]:
        wb.active.append(row[:6] + [None, row[7]] if row is not ZK else row)  # 比对方式 empty all the way down
    wb.save(path)
    res = subprocess.run([sys.executable, "-m", "cs_rules", "validate", str(path)], capture_output=True,
                         text=True, cwd=tmp_path, timeout=120)
    assert res.returncode in (0, 1), res.stderr
    assert "Could not determine" not in res.stdout + res.stderr


PUNCHES = [["客服部", "张三", 1, T(2024, 5, 6, 8, 56, 32), 1, "", "指纹", ""],
           ["客服部", "张三", 1, T(2024, 5, 6, 18, 1, 2), 1, "", "指纹", ""],
           ["客服部", "李四", 2.0, T(2024, 5, 6, 9, 3, 0, 500000), 1, "", "面部", None],
           ["", "", None, None, None, None, None, None],
           ["销售部", "王五", 3, T(2024, 5, 7, 0, 0, 0), 1, "", "密码", ""]]

TAKEN = {
    "plain": PUNCHES,
    "title_rows_above": PUNCHES,
    "time_only_and_date_only_cells": [*PUNCHES, ["客服部", "赵六", 4, dt.time(8, 30), 1, "", "指纹", ""],
                                      ["客服部", "赵六", 4, dt.date(2024, 5, 8), 1, "", "指纹", ""]],
    "footer_and_corrupt_line": [*PUNCHES, ["客服部", "张三", 1, "", 1, "", "指纹", ""],
                                ["记录数:6", None, None, None, None, None, None, None]],
    "shared_clock_number": [*PUNCHES, ["客服部", "孙七", 1, T(2024, 5, 8, 8, 50), 1, "", "指纹", ""]],
}

REFUSED = {  # the rows are read: a column mixes kinds fastexcel would coerce, or dates it cannot give exactly
    "text_among_stamps": [*PUNCHES, ["客服部", "张三", 1, "2024-05-09 08:50:00", 1, "", "指纹", ""]],
    "text_among_numbers": [*PUNCHES, ["客服部", "钱八", "E0008", T(2024, 5, 9, 8, 50), 1, "", "指纹", ""]],
    "date_in_early_1900": [*PUNCHES, ["客服部", "张三", 1, T(1900, 1, 15, 8, 0), 1, "", "指纹", ""]],
}


@pytest.mark.parametrize("case", sorted(TAKEN))
def test_zkteco_log_reads_the_same_by_columns(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    above = [["考勤记录"], []] if case == "title_rows_above" else None
    assert _same(_zk(tmp_path / f"{case}.xlsx", TAKEN[case], above=above), monkeypatch) == 1


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_zkteco_log_hands_back_what_columns_cannot_give(case: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same(_zk(tmp_path / f"{case}.xlsx", REFUSED[case]), monkeypatch) == 0


def test_a_1904_workbook_reads_its_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _same(_zk(tmp_path / "mac.xlsx", PUNCHES, date1904=True), monkeypatch) == 0


def test_cells_are_what_calamine_gives(tmp_path: Path) -> None:
    """Each kind of cell fastexcel types — text, numbers, time of day, midnight, date and time,
    milliseconds, empty — becomes the Python cell python-calamine's rows hold."""
    import fastexcel
    from python_calamine import CalamineWorkbook

    rows = [[T(2024, 5, 6, 8, 56, 32), T(2024, 5, 6), dt.time(8, 56, 32), 1.0, "x"],
            [T(2024, 5, 6, 8, 56, 32, 500000), dt.date(2024, 5, 7), dt.time(0, 0), 2.5, None],
            [T(1899, 12, 31, 8, 0), T(2024, 5, 6, 23, 59, 59), dt.time(23, 59, 59), 3, ""]]
    wb = openpyxl.Workbook()
    for r in [["a", "b", "c", "d", "e"], *rows]:
        wb.active.append(r)
    path = tmp_path / "kinds.xlsx"
    wb.save(path)
    want = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)[1:]
    for k, letter in enumerate("ABCDE"):
        table = fastexcel.read_excel(str(path)).load_sheet(0, header_row=None, skip_rows=1, use_columns=letter,
                                                           dtype_coercion="strict", schema_sample_rows=None).to_arrow()
        got = calamine_cells(table.column(0))
        assert got is not None
        assert [(type(v), v) for v in got] == [(type(r[k]), r[k]) for r in want], letter


# any mix of the cells a clock log's columns may hold: read by columns or by rows, the same load
def _column_kinds() -> dict[str, list[Any]]:
    from hypothesis import strategies as st

    stamp = st.datetimes(min_value=T(2024, 5, 1), max_value=T(2024, 5, 31, 23, 59, 59)).map(
        lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000))
    empty = st.sampled_from([None, ""])
    return {  # per column: the cells of one kind (with empties), or of any kind
        "dept": [st.one_of(st.sampled_from(["客服部", "销售部", " 客服部 "]), empty)],
        "name": [st.one_of(st.sampled_from(["张三", "李四", " 王五 ", "离职-赵六", "合计"]), empty)],
        "num": [st.one_of(st.integers(min_value=1, max_value=9).map(float), empty),
                st.one_of(st.sampled_from(["7", "E0008", "0001"]), empty),
                st.one_of(st.integers(min_value=1, max_value=9).map(float), st.sampled_from(["7", "E0008"]), empty)],
        "stamp": [st.one_of(stamp, empty),
                  st.one_of(stamp, st.dates(min_value=dt.date(2024, 5, 1), max_value=dt.date(2024, 5, 31)),
                            st.times().map(lambda t: t.replace(microsecond=0)), empty),
                  st.one_of(stamp, st.sampled_from(["2024-05-06 08:59:12", "--", "未打卡", "记录数:3"]), empty)],
        "verify": [st.one_of(st.sampled_from(["指纹", "面部", "密码"]), empty)],
    }


def test_any_mix_of_cells_loads_the_same_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hypothesis writes small ZKTeco logs whose columns hold one kind of cell or mix names,
    numbers, date-times, dates, times, text and empty cells: the columns path must give the load
    the rows give, or hand the sheet back."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    kinds = _column_kinds()
    taken: list[int] = []

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.data())
    def check(data: Any) -> None:
        pick = {c: data.draw(st.sampled_from(options)) for c, options in kinds.items()}
        n = data.draw(st.integers(min_value=1, max_value=8))
        body = [[data.draw(pick["dept"]), data.draw(pick["name"]), data.draw(pick["num"]), data.draw(pick["stamp"]),
                 1, "", data.draw(pick["verify"]), ""] for _ in range(n)]
        path = _zk(tmp_path / "mix.xlsx", body)
        if not detect_vendor(open_source(path)):  # type: ignore[arg-type]
            return
        taken.append(_same(path, monkeypatch))

    check()
    assert any(taken) and not all(taken)  # both ways were exercised
