"""Loaders: encodings, Chinese headers, spreadsheets with title rows, cell forms, raw punches.

Every typed record keeps ``_file``, ``_sheet`` and ``_row`` (the row a spreadsheet
shows, header row = 1) so fines and errors can point back to the cell.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import make_folder, valid_files

from cs_rules.loading.folder import load_dataset, load_file
from cs_rules.model.inputs import Dataset, empty_dataset
from cs_rules.rulebook import default_rulebook

RULES = default_rulebook()
KINDS = {"signin": ["signin", "punches"], "roster": ["roster"], "leave": ["leave"],
         "violations": ["violations"], "performance": ["performance"], "awards": ["awards"]}


def load(path: Path, kind: str = "signin") -> Dataset:
    data = empty_dataset(None)
    load_file(path, RULES, data, KINDS[kind])
    return data


def assert_clean(data: Dataset) -> None:
    assert data.problems.items == [], [p.format() for p in data.problems.items]


def hms(text: str) -> float:
    parts = [int(x) for x in text.split(":")] + [0]
    return float(parts[0] * 3600 + parts[1] * 60 + parts[2])


def records(frame: pd.DataFrame, cols: list[str]) -> list[tuple]:
    out = []
    for r in frame[cols].itertuples(index=False):
        out.append(tuple(None if (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT
                         else v for v in r))
    return out


SIGNIN_COLS = ["employee_id", "name", "date", "sign_in", "sign_out", "_row"]
EXPECTED_SIGNINS = [
    ("E001", "张三", pd.Timestamp("2024-05-06"), hms("08:50:00"), hms("18:05:27"), 2),
    ("E002", "李四", pd.Timestamp("2024-05-07"), hms("09:03"), None, 3),
]
BODY = "E001,张三,2024-05-06,08:50:00,18:05:27\nE002,李四,2024-05-07,09:03,\n"
HEADERS = {
    "english": "employee_id,name,date,sign_in,sign_out\n",
    "simplified": "工号,姓名,日期,签到时间,签退时间\n",
    "traditional": "工號,姓名,日期,簽到時間,簽退時間\n",
    "punch_words": "员工编号,姓名,考勤日期,上班打卡,下班打卡\n",
    "case_and_space": " Employee_ID , NAME ,Date, Sign In ,sign-out\n",
}
ENCODINGS = {"utf-8": "utf-8", "utf-8-bom": "utf-8-sig", "gb18030": "gb18030"}


# ------------------------------------------------------------------------ encodings
@pytest.mark.parametrize("enc", list(ENCODINGS))
@pytest.mark.parametrize("header", list(HEADERS))
def test_csv_encodings_and_headers_load_the_same_records(tmp_path: Path, enc: str, header: str) -> None:
    path = tmp_path / "signin" / "2024-05.csv"
    path.parent.mkdir()
    path.write_bytes((HEADERS[header] + BODY).encode(ENCODINGS[enc]))
    data = load(path)
    assert_clean(data)
    assert records(data.signins, SIGNIN_COLS) == EXPECTED_SIGNINS
    assert set(data.signins["_file"]) == {data.files[0].path}
    assert data.files[0].path.endswith("2024-05.csv") and data.files[0].rows == 2


def test_gb18030_really_is_not_utf8(tmp_path: Path) -> None:
    """The GB18030 fixture above is a real test: its bytes do not decode as UTF-8."""
    raw = (HEADERS["traditional"] + BODY).encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_gbk_roster_with_chinese_grades(tmp_path: Path) -> None:
    text = ("工號,姓名,職級,入職日期,基本工資\n"
            "E001,张三,新客服(试用),2024-01-02,\n"
            "E002,李四,初级客服,2023-01-02,2300\n"
            "E003,王五,儲備主管,2020-06-01,\n"
            "E004,钱七,高級客服,2019-02-01,\n")
    path = tmp_path / "roster.csv"
    path.write_bytes(text.encode("gbk"))
    data = load(path, "roster")
    assert_clean(data)
    r = data.roster
    assert list(r["grade"]) == ["probation", "junior", "reserve_supervisor", "senior"]
    assert list(r["_row"]) == [2, 3, 4, 5]
    assert r.loc[1, "base_salary"] == "2300" and pd.isna(r.loc[0, "base_salary"])


def test_grade_with_full_width_brackets(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("工号,姓名,职级,入职日期\nE001,赵六,新客服（试用）,2024-02-01\n", encoding="utf-8")
    data = load(path, "roster")
    assert_clean(data)
    assert list(data.roster["grade"]) == ["probation"]


# ------------------------------------------------------------------------------ XLSX
def _signin_book(path: Path, titles: int = 2, first_sheet_notes: bool = False) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    if first_sheet_notes:
        ws.title = "说明"
        ws.append(["本表由考勤系统导出"])
        ws.append(["请勿修改表头"])
        ws = wb.create_sheet("明细")
    else:
        ws.title = "签到"
    for i in range(titles):
        ws.append([f"客服部签到表 标题行 {i + 1}"])
    ws.append(["工号", "姓名", "日期", "签到时间", "签退时间"])
    ws.append(["E001", "张三", dt.date(2024, 5, 6), dt.time(8, 50, 0), dt.time(18, 5, 27)])
    ws.append([1002, "李四", dt.datetime(2024, 5, 7), dt.time(9, 3), None])
    wb.save(path)


def test_xlsx_title_rows_excel_date_and_time_cells(tmp_path: Path) -> None:
    path = tmp_path / "2024-05.xlsx"
    _signin_book(path, titles=2)
    data = load(path)
    assert_clean(data)
    got = records(data.signins, ["employee_id", "name", "date", "sign_in", "sign_out", "_row", "_sheet"])
    assert got == [
        ("E001", "张三", pd.Timestamp("2024-05-06"), hms("08:50:00"), hms("18:05:27"), 4, "签到"),
        ("1002", "李四", pd.Timestamp("2024-05-07"), hms("09:03"), None, 5, "签到"),  # numeric id → text
    ]


def test_xlsx_header_on_second_sheet(tmp_path: Path) -> None:
    path = tmp_path / "2024-05.xlsx"
    _signin_book(path, titles=1, first_sheet_notes=True)
    data = load(path)
    assert_clean(data)
    assert list(data.signins["_sheet"]) == ["明细", "明细"]
    assert list(data.signins["_row"]) == [3, 4]
    assert list(data.signins["employee_id"]) == ["E001", "1002"]


def test_xlsx_without_a_recognised_header_is_one_problem(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["foo", "bar"])
    wb.active.append([1, 2])
    path = tmp_path / "2024-05.xlsx"
    wb.save(path)
    data = load(path)
    assert [p.code for p in data.problems.items] == ["missing_column"]
    assert len(data.signins) == 0


# --------------------------------------------------------------------- cell forms
@pytest.mark.parametrize("text,expected", [
    ("2024-05-06", "2024-05-06"),
    ("2024/5/6", "2024-05-06"),
    ("2024年5月6日", "2024-05-06"),
    ("2026/02/28 星期六", "2026-02-28"),
    ("2024-5-6", "2024-05-06"),
    (" 2024/05/06 ", "2024-05-06"),
])
def test_date_forms(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "s.csv"
    path.write_text(f"employee_id,date,sign_in,sign_out\nE001,{text},09:03,18:00\n", encoding="utf-8")
    data = load(path)
    assert_clean(data)
    assert data.signins.loc[0, "date"] == pd.Timestamp(expected)


@pytest.mark.parametrize("text,secs", [("09:03", hms("09:03")), ("09:03:27", hms("09:03:27")),
                                       ("9:03", hms("09:03")), ("23:59:59", hms("23:59:59"))])
def test_time_forms(tmp_path: Path, text: str, secs: float) -> None:
    path = tmp_path / "s.csv"
    path.write_text(f"employee_id,date,sign_in,sign_out\nE001,2024-05-06,{text},\n", encoding="utf-8")
    data = load(path)
    assert_clean(data)
    assert data.signins.loc[0, "sign_in"] == secs


@pytest.mark.parametrize("missing", ["", "-", "--", " - "])
def test_missing_markers(tmp_path: Path, missing: str) -> None:
    path = tmp_path / "s.csv"
    path.write_text("employee_id,date,sign_in,sign_out\n"
                    f"E001,2024-05-06,08:55,{missing}\nE001,2024-05-07,{missing},{missing}\n", encoding="utf-8")
    data = load(path)
    assert_clean(data)
    s = data.signins
    assert len(s) == 2
    assert s.loc[0, "sign_in"] == hms("08:55") and math.isnan(s.loc[0, "sign_out"])
    assert math.isnan(s.loc[1, "sign_in"]) and math.isnan(s.loc[1, "sign_out"])


def test_missing_markers_in_optional_roster_columns(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("employee_id,name,grade,hire_date,leave_date,base_salary\n"
                    "E001,张三,junior,2023-01-09,-,--\n", encoding="utf-8")
    data = load(path, "roster")
    assert_clean(data)
    assert pd.isna(data.roster.loc[0, "leave_date"]) and pd.isna(data.roster.loc[0, "base_salary"])


def test_booleans_and_chinese_leave_types(tmp_path: Path) -> None:
    path = tmp_path / "leave.csv"
    path.write_text("employee_id,start_date,end_date,type,half_day,certificate,approved\n"
                    "E001,2024-05-06,2024-05-06,事假,yes,no,\n"
                    "E001,2024-05-13,2024-05-14,病假,否,是,是\n"
                    "E002,2024-05-06,2024-05-06,年假,1,0,0\n"
                    "E002,2024-05-20,2024-05-20,sick,,,no\n", encoding="utf-8")
    data = load(path, "leave")
    assert_clean(data)
    lv = data.leave
    assert list(lv["type"]) == ["personal", "sick", "annual", "sick"]
    assert list(lv["half_day"]) == [True, False, True, False]
    assert list(lv["certificate"]) == [False, True, False, False]
    assert list(lv["approved"]) == [True, True, False, False]  # empty approved defaults to yes
    assert list(lv["_row"]) == [2, 3, 4, 5]


def test_bad_boolean_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "leave.csv"
    path.write_text("employee_id,start_date,end_date,type,approved\nE001,2024-05-06,2024-05-06,事假,maybe\n",
                    encoding="utf-8")
    data = load(path, "leave")
    assert [(p.row, p.column, p.code) for p in data.problems.items] == [(2, "approved", "bad_boolean")]


# ---------------------------------------------------------------------- raw punches
def test_raw_punches_become_sign_in_and_sign_out(tmp_path: Path) -> None:
    path = tmp_path / "punches.csv"
    path.write_text("employee_id,punch_time\n"
                    "E001,2024-05-06 12:01:00\n"     # row 2: a lunch punch in between
                    "E001,2024-05-06 08:51:12\n"     # row 3: earliest
                    "E001,2024-05-06 18:02:40\n"     # row 4: latest
                    "E002,2024-05-06 08:40:00\n"     # row 5: single punch
                    "E001,2024/5/7 08:59\n"          # row 6
                    "E001,2024/5/7 18:30\n", encoding="utf-8")
    data = load(path)
    assert_clean(data)
    s = data.signins.sort_values(["employee_id", "date"]).reset_index(drop=True)
    got = records(s, ["employee_id", "date", "sign_in", "sign_out", "_row"])
    assert got == [
        ("E001", pd.Timestamp("2024-05-06"), hms("08:51:12"), hms("18:02:40"), 2),
        ("E001", pd.Timestamp("2024-05-07"), hms("08:59"), hms("18:30"), 6),
        ("E002", pd.Timestamp("2024-05-06"), hms("08:40"), None, 5),  # single punch: missing sign-out
    ]
    assert set(s["_file"]) == {"punches.csv"} or all(f.endswith("punches.csv") for f in s["_file"])


def test_raw_punches_in_xlsx_with_datetime_cells(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "打卡"
    ws.append(["原始打卡记录"])
    ws.append(["工号", "打卡时间"])
    ws.append(["E001", dt.datetime(2024, 5, 6, 18, 1, 0)])
    ws.append(["E001", dt.datetime(2024, 5, 6, 8, 49, 30)])
    path = tmp_path / "punches.xlsx"
    wb.save(path)
    data = load(path)
    assert_clean(data)
    got = records(data.signins, ["employee_id", "date", "sign_in", "sign_out", "_row", "_sheet"])
    assert got == [("E001", pd.Timestamp("2024-05-06"), hms("08:49:30"), hms("18:01"), 3, "打卡")]


def test_bad_punch_time_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "punches.csv"
    path.write_text("员工编号,打卡时间\nE001,2024-05-06 08:51\nE001,昨天早上\n", encoding="utf-8")
    data = load(path)
    assert [(p.row, p.column, p.code) for p in data.problems.items] == [(3, "打卡时间", "bad_datetime")]


# ----------------------------------------------------------------- provenance
def test_every_table_keeps_file_sheet_and_row(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "leave.csv": "employee_id,start_date,end_date,type\nE001,2024-05-07,2024-05-07,personal\n",
        "violations.csv": "date,employee_id,code\n2024-05-06,E001,desk_untidy\n",
        "performance.csv": "employee_id,month,score\nE001,2024-05,88\n",
        "awards.csv": "employee_id,month,award\nE001,2024-05,busy_bee\n",
    }))
    data = load_dataset(root, RULES)
    assert not data.problems.has_errors(), [p.format() for p in data.problems.items]
    for name in ("roster", "signins", "leave", "violations", "performance", "awards"):
        frame = getattr(data, name)
        assert len(frame) > 0, name
        for col in ("_file", "_sheet", "_row"):
            assert col in frame.columns, (name, col)
        assert frame["_row"].min() == 2, name
        assert frame["_file"].notna().all(), name


def test_sample_data_rows_point_at_spreadsheet_rows(sample: Path) -> None:
    """roster.xlsx has a title row, so its header is row 2 and the first person row 3."""
    data = load_dataset(sample, RULES)
    assert not data.problems.has_errors()
    roster = data.roster
    assert roster["_file"].str.endswith("roster.xlsx").all()
    assert roster["_row"].iloc[0] == 3
    assert roster["_sheet"].iloc[0] != ""
    may = data.signins[data.signins["_file"].str.endswith("2024-05.csv")]  # the GB18030 file
    assert len(may) > 0 and may["_row"].min() == 2
    april = data.signins[data.signins["_file"].str.endswith("2024-04.xlsx")]
    assert len(april) > 0 and april["_row"].min() == 3 and (april["_sheet"] != "").all()


def test_blank_lines_inside_a_csv_keep_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("employee_id,date,sign_in,sign_out\nE001,2024-05-06,08:50,18:00\n\n"
                    "E001,2024-05-07,25:00,18:00\n", encoding="utf-8")
    data = load(path)
    assert [(p.row, p.column, p.code) for p in data.problems.items] == [(4, "sign_in", "bad_time")]
    assert list(data.signins["_row"]) == [2, 4]
