"""Reading an XLSX sheet's columns into Arrow (fastexcel) is only a shortcut: whatever it
accepts must load to the same records and problems as reading the sheet's cells, and
whatever it cannot read exactly it must hand back (issue 17, "XLSX input into Arrow").

The month's sign-in workbook of a big company goes through this path, so a silent
difference here would change pay for everyone; these tests pin "same result, or no
shortcut", and that the shortcut is really taken for the usual shapes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from reading_fixtures import far_cell_workbook, shortcut

from cs_rules.loading import sources
from cs_rules.loading.folder import load_file
from cs_rules.model.inputs import empty_dataset
from cs_rules.rulebook import default_rulebook

RULES = default_rulebook()
HEADER = ["employee_id", "name", "date", "sign_in", "sign_out"]
COLS = ["employee_id", "name", "date", "sign_in", "sign_out", "_file", "_sheet", "_row"]
D, T = dt.date, dt.time


def _write(path: Path, rows: list[list[Any]], *, start_col: int = 1, sheet: str = "考勤",
           more: dict[str, list[list[Any]]] | None = None, date1904: bool = False,
           time_format: str = "hh:mm:ss") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    if date1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row, start=start_col):
            if v is None:
                continue
            c = ws.cell(i, j, v)
            if isinstance(v, dt.time):
                c.number_format = time_format
    for name, extra in (more or {}).items():
        ws2 = wb.create_sheet(name)
        for row in extra:
            ws2.append(row)
    wb.save(path)
    return path


def _load(path: Path, fast: bool, monkeypatch: pytest.MonkeyPatch,
          kinds: list[str] | None = None) -> tuple[dict[str, pd.DataFrame], list[str], int]:
    with monkeypatch.context() as m:
        taken = shortcut(m, sources, "_sheet_table_arrow", fast)
        data = empty_dataset(None)
        load_file(path, RULES, data, kinds or ["signin", "punches"])
    frames = {"signins": data.signins[COLS].reset_index(drop=True),
              "roster": data.roster.reset_index(drop=True)}
    return frames, [p.format() for p in data.problems.items], sum(taken)


def _same(path: Path, monkeypatch: pytest.MonkeyPatch, kinds: list[str] | None = None) -> int:
    """Load both ways, assert the same records and problems; how many sheets took Arrow."""
    fast, fast_problems, n = _load(path, True, monkeypatch, kinds)
    slow, slow_problems, _ = _load(path, False, monkeypatch, kinds)
    for key in fast:
        pd.testing.assert_frame_equal(fast[key], slow[key], check_dtype=False, check_categorical=False)
        assert fast[key].astype(str).equals(slow[key].astype(str)), key
    assert fast_problems == slow_problems
    return n


DAY = [["E001", "张三", D(2024, 5, 6), T(8, 50, 0), T(18, 5, 27)],
       ["E002", "李四", D(2024, 5, 7), T(9, 3), None],
       ["E003", "王五", D(2024, 5, 7), None, None]]

TAKEN = {
    "plain": [HEADER, *DAY],
    "title_rows_above": [["五月考勤"], [], HEADER, *DAY],
    "blank_rows_above": [[], [], HEADER, *DAY],
    "all_empty_row_inside": [HEADER, DAY[0], [None] * 5, ["  ", None, None, None, None], DAY[1]],
    "text_dates_and_times": [HEADER, ["E001", "张三", "2024-05-06", "08:50", "18:00"],
                             ["E002", "李四", "2024/5/7", "9:03", "--"]],
    "padded_id": [HEADER, [" E001 ", "张三", D(2024, 5, 6), T(8, 50), T(18, 0)]],
    "empty_sign_out_column": [HEADER, ["E001", "张三", D(2024, 5, 6), T(8, 50), None],
                              ["E002", "李四", D(2024, 5, 6), T(8, 40), None]],
    "chinese_header": [["工号", "姓名", "考勤日期", "上班时间", "下班时间"], *DAY],
    "unknown_id_and_no_name": [HEADER, ["E999", "", D(2024, 5, 6), T(8, 50), T(18, 0)], DAY[0]],
    "bad_text_dates_and_times": [HEADER, ["E001", "张三", "五月六日", "八点", "18:00"],
                                 ["E002", "李四", "2024-05-32", "25:00", ""]],
}

REFUSED = {
    "numeric_ids": [HEADER, [1001.0, "张三", D(2024, 5, 6), T(8, 50), T(18, 0)],
                    [1002, "李四", D(2024, 5, 6), T(9, 0), T(18, 0)], [None, "王五", D(2024, 5, 6), None, None]],
    "serial_number_dates": [HEADER, ["E001", "张三", 45418.0, T(8, 50), T(18, 0)], ["E002", "李四", 45419, None, None]],
    "text_among_times": [HEADER, DAY[0], ["E002", "李四", D(2024, 5, 7), "--", T(18, 0)]],
    "datetime_in_time_column": [HEADER, ["E001", "张三", D(2024, 5, 6), dt.datetime(2024, 5, 6, 8, 50), T(18, 0)]],
    "time_in_date_column": [HEADER, ["E001", "张三", dt.datetime(2024, 5, 6, 8, 50), T(8, 50), T(18, 0)]],
    "date_before_1900_typo": [HEADER, ["E001", "张三", "0024-05-06", T(8, 50), T(18, 0)],
                              ["E002", "李四", D(1899, 12, 31), T(8, 50), T(18, 0)]],
    "milliseconds": [HEADER, ["E001", "张三", D(2024, 5, 6), T(8, 50, 30, 600000), T(17, 59, 59, 999000)]],
    "text_among_dates": [HEADER, DAY[0], ["E001", "张三", "五月六日", T(8, 50), T(18, 0)]],
}


# numbers among dates or times: fastexcel may type the column either way; taken or not, the same
MIXED = {
    "whole_number_among_times": [HEADER, ["E001", "张三", D(2024, 5, 6), 0.37, T(18, 0)], DAY[1], DAY[2]],
    "fraction_among_times": [HEADER, ["E001", "张三", D(2024, 5, 6), 0.37259, T(18, 0)], DAY[1], DAY[2]],
    "serial_among_dates": [HEADER, ["E001", "张三", 45418, T(8, 50), T(18, 0)], *DAY],
    "fraction_serial_among_dates": [HEADER, ["E001", "张三", 45418.5, T(8, 50), T(18, 0)], *DAY],
    "time_cell_among_numbers": [HEADER, ["E001", "张三", D(2024, 5, 6), 0.375, 0.75],
                                ["E002", "李四", D(2024, 5, 6), T(8, 56, 31, 992000), 0.7501]],
}


@pytest.mark.parametrize("case", sorted(MIXED))
def test_numbers_among_dates_and_times_read_the_same(case: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _same(_write(tmp_path / f"{case}.xlsx", MIXED[case]), monkeypatch)


@pytest.mark.parametrize("case", sorted(TAKEN))
def test_arrow_path_reads_the_same_records(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / f"{case}.xlsx", TAKEN[case])
    assert _same(path, monkeypatch) == 1


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_arrow_path_hands_back_what_it_cannot_read_exactly(case: str, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / f"{case}.xlsx", REFUSED[case])
    taken = _same(path, monkeypatch)
    if case != "date_before_1900_typo":  # text dates are the general parser's in both ways
        assert taken == 0


def test_leading_empty_column_and_note_far_below(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [["五月考勤"], HEADER, *DAY] + [[None]] * 30 + [[None, None, None, None, None, None, "备注：无"]]
    path = _write(tmp_path / "offset.xlsx", rows, start_col=2)
    assert _same(path, monkeypatch) == 1


def test_long_sheet_beyond_the_head_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = [[f"E{i:03d}", f"员工{i}", D(2024, 5, 1 + i % 28), T(8, i % 60, i % 7), T(18, i % 60)]
            for i in range(300)]
    body[250][3] = None
    path = _write(tmp_path / "long.xlsx", [["五月"], HEADER, *body])
    assert _same(path, monkeypatch) == 1


def test_formula_without_value_is_reported_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "formula.xlsx", [HEADER, DAY[0], ["E002", "李四", D(2024, 5, 7), "=D2", T(18, 0)]])
    fast, problems, _ = _load(path, True, monkeypatch)
    assert any("formula" in p and "D3" in p for p in problems), problems
    assert _same(path, monkeypatch) == 1  # the formula cell reads as an empty one, both ways


def test_two_sheets_and_a_1904_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    two = _write(tmp_path / "two.xlsx", [HEADER, *DAY], more={"六月": [HEADER, ["E001", "张三", D(2024, 6, 3),
                                                                               T(8, 0), T(18, 0)]]})
    assert _same(two, monkeypatch) == 2
    mac = _write(tmp_path / "mac.xlsx", [HEADER, *DAY], date1904=True)
    assert _same(mac, monkeypatch) == 0


def test_roster_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [["employee_id", "name", "grade", "hire_date", "base_salary"],
            ["E001", "张三", "一级", D(2023, 3, 1), 5200], ["E002", "李四", "二级", D(2024, 5, 20), 4800.5],
            ["E003", "王五", "二级", D(2024, 5, 20), None]]
    path = _write(tmp_path / "roster.xlsx", rows)
    assert _same(path, monkeypatch, ["roster"]) == 0  # salaries are numbers: the cells are read
    text = _write(tmp_path / "roster2.xlsx", [[c if not isinstance(c, (int, float)) else str(c) for c in r]
                                             for r in rows])
    assert _same(text, monkeypatch, ["roster"]) == 1


def test_without_fastexcel_the_cells_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    path = _write(tmp_path / "plain.xlsx", TAKEN["plain"])
    monkeypatch.setitem(sys.modules, "fastexcel", None)
    frames, _problems, taken = _load(path, True, monkeypatch)
    assert taken == 0 and len(frames["signins"]) == 3


def test_read_ahead_gives_the_same_dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sign-in workbook's columns read in a background thread (while pandas is imported and
    the roster loaded) load to exactly what reading them when asked gives."""
    from cs_rules.loading import folder
    from cs_rules.loading.workbooks import LazySheets

    body = [[f"E{i:03d}", f"员工{i}", D(2024, 5, 1 + i % 28), T(8, i % 60), T(18, 0)] for i in range(1, 60)]
    path = _write(tmp_path / "signin.xlsx", [HEADER, *body])
    started: list[str] = []
    real = LazySheets.read_ahead

    def spy(self: LazySheets, name: str, skip: int, letters: list[str]) -> None:
        started.append(name)
        real(self, name, skip, letters)

    monkeypatch.setattr(LazySheets, "read_ahead", spy)
    ahead = folder.load_paths([path], RULES, None)
    assert started == ["考勤"]
    monkeypatch.setattr(folder, "read_ahead", lambda *a, **k: None)
    later = folder.load_paths([path], RULES, None)
    pd.testing.assert_frame_equal(ahead.signins, later.signins)
    assert [p.format() for p in ahead.problems.items] == [p.format() for p in later.problems.items]


def test_a_fastexcel_panic_reads_the_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Rust panic surfaces as a BaseException (pyo3's PanicException): the cells are read instead,
    no traceback."""
    import fastexcel

    class Panic(BaseException):
        pass

    def boom(*a: Any, **k: Any) -> Any:
        raise Panic("called `Option::unwrap()` on a `None` value")

    path = _write(tmp_path / "plain.xlsx", TAKEN["plain"])
    monkeypatch.setattr(fastexcel, "read_excel", boom)
    frames, problems, taken = _load(path, True, monkeypatch)
    assert taken == 0 and len(frames["signins"]) == 3


def test_read_ahead_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cs_rules.loading import folder

    paths = [_write(tmp_path / f"{k}.xlsx", TAKEN["plain"]) for k in range(3)]
    monkeypatch.setattr(folder, "READ_AHEAD_BYTES", paths[0].stat().st_size * 2)
    assert list(folder._open_ahead(paths)) == paths[:2]  # the third is opened in its turn


def _fastexcel_sources(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What each fastexcel.read_excel call was handed: "path" or "bytes"."""
    import fastexcel

    seen: list[str] = []
    real = fastexcel.read_excel

    def spy(source: Any, *a: Any, **k: Any) -> Any:
        seen.append("bytes" if isinstance(source, bytes | bytearray) else "path")
        return real(source, *a, **k)

    monkeypatch.setattr(fastexcel, "read_excel", spy)
    return seen


def test_an_unchanged_workbook_is_read_by_its_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fastexcel reads a file by its path faster than the same bytes handed over; the path is used
    while the file is the one whose bytes were scanned against the limits."""
    path = _write(tmp_path / "plain.xlsx", TAKEN["plain"])
    seen = _fastexcel_sources(monkeypatch)
    frames, _problems, taken = _load(path, True, monkeypatch)
    assert taken == 1 and seen == ["path"] and len(frames["signins"]) == 3


def test_a_workbook_rewritten_after_its_scan_is_read_from_the_scanned_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The limits scan checked the bytes read at open; a file replaced before (or while) fastexcel
    reads it must not be what is loaded: the checked bytes are read instead."""
    import os

    path = _write(tmp_path / "signin.xlsx", TAKEN["plain"])
    other = _write(tmp_path / "other.xlsx", [HEADER, ["E009", "赵六", D(2024, 5, 9), T(9, 0), T(18, 0)]])
    src = sources.open_source(path)
    assert isinstance(src, sources.Source)
    os.replace(other, path)  # a new file under the same name, after the scan
    seen = _fastexcel_sources(monkeypatch)
    data = empty_dataset(None)
    load_file(path, RULES, data, ["signin", "punches"], src=src)
    assert seen == ["bytes"]
    assert list(data.signins["employee_id"]) == ["E001", "E002", "E003"]


def test_a_workbook_rewritten_while_fastexcel_reads_it_is_read_again_from_the_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import fastexcel

    path = _write(tmp_path / "signin.xlsx", TAKEN["plain"])
    other = _write(tmp_path / "other.xlsx", [HEADER, ["E009", "赵六", D(2024, 5, 9), T(9, 0), T(18, 0)]])
    src = sources.open_source(path)
    assert isinstance(src, sources.Source)
    seen: list[str] = []
    real = fastexcel.read_excel

    def spy(source: Any, *a: Any, **k: Any) -> Any:
        seen.append("bytes" if isinstance(source, bytes | bytearray) else "path")
        reader = real(source, *a, **k)
        if seen == ["path"]:
            os.replace(other, path)  # rewritten while the path is being read
        return reader

    monkeypatch.setattr(fastexcel, "read_excel", spy)
    data = empty_dataset(None)
    load_file(path, RULES, data, ["signin", "punches"], src=src)
    assert seen == ["path", "bytes"]
    assert list(data.signins["employee_id"]) == ["E001", "E002", "E003"]


# ------------------------------------------------------------------ a child process reads ahead
def _forking(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every sheet is "big" (forked for) and each fork_ahead that forked is recorded."""
    import cs_rules.loading
    from cs_rules.loading import workbooks
    from cs_rules.loading.workbooks import LazySheets

    monkeypatch.setattr(workbooks, "FORK_PART_BYTES", 0)
    monkeypatch.setattr(cs_rules.loading, "OWN_PROCESS", True)
    forked: list[str] = []
    real = LazySheets.fork_ahead

    def spy(self: LazySheets, name: str, skip: int, letters: list[str]) -> bool:
        ok = real(self, name, skip, letters)
        if ok:
            forked.append(name)
        return ok

    monkeypatch.setattr(LazySheets, "fork_ahead", spy)
    return forked


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="Linux only")
def test_a_child_process_reads_the_same_dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A big sheet's columns parsed by a forked child (while the limits scan runs in the parent)
    load to exactly what the thread, or reading when asked, gives — records and problems."""
    from cs_rules.loading import folder

    body = [[f"E{i:03d}", f"员工{i}", D(2024, 5, 1 + i % 28), T(8, i % 60), T(18, 0)] for i in range(1, 60)]
    body[5][3] = "迟到"  # one text cell among the times: the child hands the rows back, as the thread does
    path = _write(tmp_path / "signin.xlsx", [HEADER, *body],
                  more={"备注": [["说明"], ["五月"]], "补录": [HEADER, ["E001", "张三", D(2024, 5, 6), T(9, 1), T(18, 0)]]})
    plain = _write(tmp_path / "plain.xlsx", [HEADER, *DAY])
    with monkeypatch.context() as m:
        forked = _forking(m)
        by_child = folder.load_paths([path, plain], RULES, None)
    assert forked == ["考勤"]  # one child at a time: the second workbook took the thread
    monkeypatch.setattr(folder, "read_ahead", lambda *a, **k: None)
    later = folder.load_paths([path, plain], RULES, None)
    pd.testing.assert_frame_equal(by_child.signins, later.signins)
    assert [p.format() for p in by_child.problems.items] == [p.format() for p in later.problems.items]
    from cs_rules.loading.workbooks import _CHILDREN

    assert not _CHILDREN  # every child reaped


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="Linux only")
def test_a_sheet_the_scan_refuses_has_its_child_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cell at XFD1048576 makes fastexcel allocate the whole rectangle and abort: forked for
    before the scan saw it, the child is killed (or dies alone); the sheet is refused in one line."""
    from cs_rules.loading import folder
    from cs_rules.loading.workbooks import _CHILDREN

    path = tmp_path / "far.xlsx"
    far_cell_workbook(HEADER).save(path)
    forked = _forking(monkeypatch)
    data = folder.load_paths([path], RULES, None)
    assert forked == ["五月"]
    lines = [p.format() for p in data.problems.items]
    assert any("far.xlsx[五月]" in ln and "XFD1048576" in ln for ln in lines), lines
    assert len(data.signins) == 0 and not _CHILDREN


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="Linux only")
def test_a_child_that_crashes_reports_the_sheet_damaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fastexcel aborting in the child ends only the child: the sheet is reported as damaged, in
    one located line, and its cells are not parsed again here (that parse would end this process)."""
    import os

    import fastexcel

    from cs_rules.loading import folder

    path = _write(tmp_path / "signin.xlsx", [HEADER, *DAY])
    forked = _forking(monkeypatch)
    monkeypatch.setattr(fastexcel, "read_excel", lambda *a, **k: os.abort())
    data = folder.load_paths([path], RULES, None)
    assert forked == ["考勤"]
    lines = [p.format() for p in data.problems.items]
    assert any("signin.xlsx" in ln and "reader stopped (signal 6)" in ln for ln in lines), lines
    assert not any("header but no data rows" in ln for ln in lines), lines  # the damage is the one line
    assert len(data.signins) == 0


def test_no_fork_when_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cs_rules.loading import folder

    path = _write(tmp_path / "signin.xlsx", [HEADER, *DAY])
    forked = _forking(monkeypatch)
    monkeypatch.setenv("CS_RULES_FORK", "off")
    data = folder.load_paths([path], RULES, None)
    assert forked == [] and len(data.signins) == 3


def test_no_fork_in_a_library_callers_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the command line forks: a notebook's or a server's process is theirs, threads and all."""
    import cs_rules.loading
    from cs_rules.loading import folder

    path = _write(tmp_path / "signin.xlsx", [HEADER, *DAY])
    forked = _forking(monkeypatch)
    monkeypatch.setattr(cs_rules.loading, "OWN_PROCESS", False)
    data = folder.load_paths([path], RULES, None)
    assert forked == [] and len(data.signins) == 3


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="Linux only")
def test_children_are_stopped_when_the_run_ends_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that ends before it needs a sheet read ahead (an error elsewhere, say) does not leave
    its child parsing on: the exit kills it (cli._hard_exit calls stop_children)."""
    import os
    import signal
    import time

    import fastexcel

    from cs_rules.loading import sources, workbooks

    path = _write(tmp_path / "signin.xlsx", [HEADER, *DAY])
    forked = _forking(monkeypatch)
    monkeypatch.setattr(fastexcel, "read_excel", lambda *a, **k: time.sleep(60))
    src = sources.open_source(path, ahead=["signin", "punches"])
    assert forked == ["考勤"] and len(workbooks._CHILDREN) == 1
    (pid,) = workbooks._CHILDREN
    workbooks.stop_children()
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    assert not workbooks._CHILDREN
    del src


def test_a_damaged_workbook_reads_in_chinese() -> None:
    """The damage, the kind of workbook and the sheet are said in Chinese on a Chinese terminal —
    not "是损坏的Excel workbook（sheet 考勤: …）"."""
    from cs_rules.i18n import tr

    assert tr("is a damaged Excel workbook (sheet 考勤: the reader stopped (signal 6))", "zh") == \
        "是损坏的Excel 工作簿（工作表 考勤：读取时中途停止（signal 6））"
    assert tr("is a damaged Excel 97–2003 workbook (CompDocError)", "zh") == "是损坏的Excel 97–2003 工作簿（CompDocError）"
    assert tr("is a damaged Excel workbook (sheet 五月: PanicException)", "zh") == \
        "是损坏的Excel 工作簿（工作表 五月：PanicException）"


def test_a_refused_workbook_reads_in_chinese() -> None:
    from cs_rules.i18n import tr

    assert tr("is not read: damaged zip (File is not a zip file)", "zh") == "未读取：zip 压缩包已损坏（File is not a zip file）"
    assert tr("is not read: its part xl/worksheets/sheet1.xml expands to 1.5 GiB (the limit is 1 GiB per part)",
              "zh") == "未读取：其中的 xl/worksheets/sheet1.xml 解压后有 1.5 GiB（每个部件最多 1 GiB）"
    assert tr("is not read: it expands to 2.5 GiB (the limit is 2 GiB)", "zh") == "未读取：解压后有 2.5 GiB（最多 2 GiB）"


def test_a_sheet_calamine_cannot_read_whole_is_one_located_error(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Its first rows read, the whole sheet not (a Rust panic deep in the XML): one error naming the
    file and the sheet, no "header but no data rows" after it — this raised IndexError (exit 3)."""
    path = _write(tmp_path / "signin.xlsx", [HEADER, *DAY])
    src = sources.open_source(path)
    assert isinstance(src, sources.Source)

    class Broken:
        def get_sheet_by_name(self, name: str) -> Any:
            raise RuntimeError("panicked at 'index out of bounds'")

    src.sheets._book = Broken()  # type: ignore[attr-defined]
    data = empty_dataset(None)
    with monkeypatch.context() as m:
        shortcut(m, sources, "_sheet_table_arrow", False)
        load_file(path, RULES, data, ["signin", "punches"], src=src)
    lines = [p.format() for p in data.problems.items]
    assert [ln for ln in lines if "damaged" in ln] == \
        [f"{src.display}: is a damaged Excel workbook (sheet 考勤: RuntimeError) — open it in Excel and save it "
         "again, or export it again"], lines
    assert not any("no data rows" in ln for ln in lines) and len(data.signins) == 0
