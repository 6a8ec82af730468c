"""The typed Arrow CSV reader is only a shortcut: whatever it accepts, the general reader
must read to the same records, and whatever it can't read exactly it must hand back.

A company-sized month (1M sign-in rows) goes through this path, so a silent difference
here would change pay for everyone; these tests pin "same result, or no shortcut".
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cs_rules.loading import sources
from cs_rules.loading.folder import load_file
from cs_rules.model.inputs import empty_dataset
from cs_rules.rulebook import default_rulebook

RULES = default_rulebook()
HEADER = "employee_id,name,date,sign_in,sign_out\n"
COLS = ["employee_id", "name", "date", "sign_in", "sign_out", "_file", "_sheet", "_row"]


def _load(path: Path, fast: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[pd.DataFrame, list[str]]:
    with monkeypatch.context() as m:
        if not fast:
            m.setattr(sources, "_read_csv_typed", lambda *a, **k: None)
        data = empty_dataset(None)
        load_file(path, RULES, data, ["signin", "punches"])
    return data.signins[COLS].reset_index(drop=True), [p.format() for p in data.problems.items]


def _typed_path_taken(path: Path) -> bool:
    src = sources.open_source(path)
    assert isinstance(src, sources.Source)
    found = sources.find_header(src.head, [sources.SCHEMAS["signin"]])
    assert found is not None
    hrow, _schema, mapping = found
    return sources._read_csv_typed(src, getattr(src, "delimiter", ","), hrow, mapping) is not None


CASES = {
    "plain": HEADER + "E001,张三,2024-05-06,08:50:00,18:05:27\nE002,李四,2024-05-07,09:03,\n",
    "bom": "\ufeff" + HEADER + "E001,张三,2024-05-06,08:50:00,18:05:27\n",
    "crlf": (HEADER + "E001,张三,2024-05-06,08:50:00,18:05:27\nE002,李四,2024-05-07,,\n").replace("\n", "\r\n"),
    "blank_line_inside": HEADER + "E001,张三,2024-05-06,08:50:00,18:00:00\n\nE002,李四,2024-05-06,09:00,18:00\n",
    "all_empty_row": HEADER + "E001,张三,2024-05-06,08:50:00,18:00:00\n,,,,\nE002,李四,2024-05-06,09:00,\n",
    "trailing_blank_lines": HEADER + "E001,张三,2024-05-06,08:50:00,18:00:00\n\n\n",
    "missing_id": HEADER + ",张三,2024-05-06,08:50:00,18:00:00\n",
    "padded_id": HEADER + " E001 ,张三,2024-05-06,08:50:00,18:00:00\n",
    "quoted_comma_name": HEADER + 'E001,"张,三",2024-05-06,08:50:00,18:00:00\n',
    "out_before_in": HEADER + "E001,张三,2024-05-06,18:00:00,08:50:00\n",
    "title_row_above": "五月考勤\n" + HEADER + "E001,张三,2024-05-06,08:50:00,18:00:00\n",
    # shapes the typed reader must refuse (the general reader parses or reports them)
    "slash_date": HEADER + "E001,张三,2024/5/6,08:50:00,18:00:00\n",
    "dash_missing": HEADER + "E001,张三,2024-05-06,08:50:00,--\n",
    "fractional_seconds": HEADER + "E001,张三,2024-05-06,08:50:00.5,18:00:00\n",
    "one_digit_hour": HEADER + "E001,张三,2024-05-06,8:50,18:00:00\n",
    "bad_time": HEADER + "E001,张三,2024-05-06,25:00,18:00:00\n",
    "impossible_date": HEADER + "E001,张三,2024-02-30,08:50:00,18:00:00\n",
    "ragged_row": HEADER + "E001,张三,2024-05-06,08:50:00,18:00:00,extra\n",
    "short_row": HEADER + "E001,张三,2024-05-06,08:50:00\nE002,李四,2024-05-07,09:03,18:00:00\n",
    "second_60": HEADER + "E001,张三,2024-05-06,08:59:60,18:00:00\n",
    "multi_line_name": HEADER + 'E001,"张\n三",2024-05-06,08:50:00,18:00:00\nE002,李四,2024-05-07,09:03,\n',
    "open_quote": HEADER + 'E001,"张三,2024-05-06,08:50:00,18:00:00\nE002,李四,2024-05-07,09:03,18:00:00\n'
                           'E002,李四,2024-05-08,09:03,18:00:00\nE002,李四",2024-05-09,09:03,18:00:00\n',
    # line ends are normalised before either reader sees the bytes
    "cr_only": (HEADER + "E001,张三,2024-05-06,08:50:00,18:05:27\nE002,李四,2024-05-07,,\n").replace("\n", "\r"),
    "lone_cr_in_name": HEADER + "E001,张\r三,2024-05-06,08:50:00,18:05:27\n",
}
REFUSED = {"slash_date", "dash_missing", "fractional_seconds", "one_digit_hour", "bad_time", "impossible_date",
           "ragged_row", "short_row", "second_60", "multi_line_name", "open_quote"}


@pytest.mark.parametrize("case", list(CASES))
def test_typed_reader_matches_general_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    """Same records, same row numbers, same problems — with or without the shortcut."""
    path = tmp_path / "2024-05.csv"
    path.write_bytes(CASES[case].encode("utf-8"))
    assert _typed_path_taken(path) is (case not in REFUSED)
    fast, fast_problems = _load(path, True, monkeypatch)
    slow, slow_problems = _load(path, False, monkeypatch)
    pd.testing.assert_frame_equal(fast, slow, check_dtype=False)
    assert fast_problems == slow_problems


def test_gb18030_file_never_takes_the_typed_reader(tmp_path: Path) -> None:
    path = tmp_path / "2024-05.csv"
    path.write_bytes((HEADER + "E001,张三,2024-05-06,08:50:00,18:00:00\n").encode("gb18030"))
    assert not _typed_path_taken(path)


def test_typed_reader_keeps_spreadsheet_row_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "2024-05.csv"
    path.write_text("标题\n\n" + HEADER + "E001,张三,2024-05-06,08:50:00,18:00:00\n\n"
                    "E002,李四,2024-05-06,09:00:00,18:00:00\n", encoding="utf-8")
    rows, problems = _load(path, True, monkeypatch)
    assert list(rows["_row"]) == [4, 6] and problems == []


@pytest.mark.parametrize("cell", ["2024-02-30", "2024/2/30", "2024年2月30日", "2023-02-29", "2024-04-31"])
def test_impossible_day_is_a_bad_date_not_the_next_month(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         cell: str) -> None:
    """Arrow's strptime rolls 2024-02-30 over to 1 March; DATA.md wants a bad date reported."""
    path = tmp_path / "2024-05.csv"
    path.write_text(HEADER + f"E001,张三,{cell},08:50:00,18:00:00\nE002,李四,2024-05-06,09:00,\n",
                    encoding="utf-8")
    _rows, problems = _load(path, True, monkeypatch)
    assert len(problems) == 1 and f":2:date: not a date: '{cell}'" in problems[0], problems


@pytest.mark.parametrize("cell", ["0024-05-06", "0024/5/6", "2999-05-06", "1899/12/31"])
def test_year_typo_is_a_bad_date_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cell: str) -> None:
    """Years outside 1900–2200 are typos; they must be reported, not overflow pandas' date range."""
    path = tmp_path / "2024-05.csv"
    path.write_text(HEADER + f"E001,张三,{cell},08:50:00,18:00:00\n", encoding="utf-8")
    _rows, problems = _load(path, True, monkeypatch)
    assert len(problems) == 1 and ":2:date: not a date" in problems[0], problems


def test_slash_dates_and_short_times_stay_vectorised_and_equal_iso(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A DingTalk-style 2024/5/6 + 9:03 sheet reads to the same records as the ISO sheet."""
    iso = tmp_path / "iso.csv"
    iso.write_text(HEADER + "E001,张三,2024-05-06,09:03:00,18:00:00\nE002,李四,2024-05-17,08:05:00,\n",
                   encoding="utf-8")
    other = tmp_path / "other.csv"
    other.write_text(HEADER + "E001,张三,2024/5/6,9:03,18:00\nE002,李四,2024年5月17日,08:05,\n", encoding="utf-8")
    a, pa_ = _load(iso, True, monkeypatch)
    b, pb = _load(other, True, monkeypatch)
    cols = ["employee_id", "date", "sign_in", "sign_out", "_row"]
    pd.testing.assert_frame_equal(a[cols], b[cols], check_dtype=False)
    assert pa_ == pb == []
