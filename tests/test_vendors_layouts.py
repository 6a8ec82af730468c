"""Every attendance layout of issue 12, read from a small made-up fixture of its shape.

Each fixture is written by ``tests/fixtures/vendors/make_layouts.py``, which also
records what the file holds; the first test counts people, person-days and punches
read against that.  The others check each layout's quirks, one case per test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from fixtures.vendors import make_layouts as M

from cs_rules.loading.sources import Source, open_source
from cs_rules.loading.vendors import (
    PUNCH_COLUMNS,
    SIGNIN_COLUMNS,
    detect_vendor,
    load_vendor,
    roster_skeleton,
    unrecognised,
)

FIX = Path(__file__).parent / "fixtures" / "vendors"
EXPECTED = M.expected()
SAMPLE = Path(__file__).parent.parent / "sample_data"


def hm(text: str) -> float:
    h, m = text.split(":")[:2]
    return float(int(h) * 3600 + int(m) * 60)


def day(s: str) -> pd.Timestamp:
    return pd.Timestamp(s)


def source(name: str) -> Source:
    """The fixture as open_source gives it; attlog.dat as the .dat reader will (one sheet of rows)."""
    path = FIX / name
    if path.suffix == ".dat":
        src = open_source(path)
        if isinstance(src, Source) and src.fmt == "dat":
            return src
        rows = [line.split("\t") for line in path.read_text("ascii").splitlines()]
        return Source(path, str(path), "dat", sheets={"": rows})
    src = open_source(path)
    assert isinstance(src, Source), src
    return src


def read(name: str):
    src = source(name)
    vendor = detect_vendor(src)
    return src, vendor, load_vendor(src, vendor) if vendor else None


def one(frame: pd.DataFrame, key: str, date: str) -> pd.Series:
    got = frame[(frame["key"] == key) & (frame["date"] == day(date))]
    assert len(got) == 1, got
    return got.iloc[0]


READABLE = [k for k, v in EXPECTED.items() if "refused" not in v]


@pytest.mark.parametrize("name", READABLE)
def test_counts_match_the_fixture(name: str) -> None:
    exp = EXPECTED[name]
    _, vendor, load = read(name)
    assert vendor == exp["vendor"]
    assert load is not None
    assert not [p.format() for p in load.problems if p.severity == "error"]
    assert len(load.people) == exp["people"]
    assert len(load.punches) == exp["punches"]
    assert len(load.signins) == exp["person_days"]
    assert list(load.punches.columns) == PUNCH_COLUMNS and list(load.signins.columns) == SIGNIN_COLUMNS
    assert load.punches["_row"].gt(0).all() and load.punches["_file"].notna().all()
    assert (load.punches["date"] == load.punches["date"].dt.normalize()).all()
    # every person-day with a punch has a sign-in row, and roster init lists everyone
    assert len(roster_skeleton(load)) == exp["people"]
    if "period" in exp:
        assert load.period == exp["period"]


# --------------------------------------------------------------------------- DingTalk


@pytest.fixture(scope="module")
def dingtalk():
    return read("dingtalk-考勤报表.xlsx")[2]


def test_dingtalk_workbook_reads_raw_records_and_cross_checks_the_rest(dingtalk) -> None:
    assert dingtalk.parts[0] == "原始记录" and len(dingtalk.parts) == 4
    assert (dingtalk.punches["_sheet"] == "原始记录").all()
    assert not [p for p in dingtalk.problems if p.code == "views_disagree"]


def test_dingtalk_night_work_counts_on_past_midnight(dingtalk) -> None:
    zs = one(dingtalk.signins, "D001", "2026-06-02")
    assert (zs["sign_in"], zs["sign_out"]) == (hm("08:05"), 86400 + hm("00:31"))
    assert dingtalk.signins[dingtalk.signins["date"] == day("2026-06-03")]["key"].tolist().count("D001") == 1


def test_dingtalk_saturday_punches_are_kept(dingtalk) -> None:
    sat = one(dingtalk.signins, "D001", "2026-06-06")
    assert (sat["sign_in"], sat["sign_out"]) == (hm("09:00"), hm("15:00"))


def test_dingtalk_invalid_punch_left_out_and_reported(dingtalk) -> None:
    bad = [p for p in dingtalk.problems if p.code == "invalid_punch"]
    assert len(bad) == 1 and bad[0].severity == "warning" and bad[0].sheet == "原始记录"
    assert bad[0].row == 9 and "打卡无效" in bad[0].message and "张三" in bad[0].message
    zs = dingtalk.punches[(dingtalk.punches["key"] == "D001") & (dingtalk.punches["date"] == day("2026-06-03"))]
    assert sorted(zs["secs"]) == [hm("08:40"), hm("18:10")]


def test_dingtalk_corrections_outings_trips_and_leave(dingtalk) -> None:
    ap = dingtalk.approvals
    fix = ap[ap["kind"] == "correction"]
    assert len(fix) == 1 and fix.iloc[0]["key"] == "D002" and fix.iloc[0]["secs"] == hm("18:00")
    assert fix.iloc[0]["date"] == day("2026-06-03") and "补卡" in fix.iloc[0]["reason"]
    out = ap[ap["kind"] == "outing"]
    assert len(out) == 1 and out.iloc[0]["key"] == "D001" and bool(out.iloc[0]["half_day"])
    trip = ap[ap["kind"] == "trip"]
    assert len(trip) == 1 and trip.iloc[0]["key"] == "zl04" and not bool(trip.iloc[0]["half_day"])
    assert trip.iloc[0]["start_date"] == day("2026-06-03")
    lv = dingtalk.leave.set_index("key")
    assert (lv.loc["D002", "type"], bool(lv.loc["D002", "half_day"])) == ("personal", False)
    assert (lv.loc["zl04", "type"], bool(lv.loc["zl04", "half_day"])) == ("annual", True)
    assert (lv["start_date"] == day("2026-06-04")).all()
    assert not [p for p in dingtalk.problems if p.code == "leave_without_type"]
    punch = dingtalk.punches
    assert set(punch.loc[punch["key"] == "D002", "note"].dropna()) == {"补卡"}


def test_dingtalk_schedule_people_and_verdicts(dingtalk) -> None:
    s = dingtalk.schedule
    zs = one(s, "D001", "2026-06-01")
    assert (zs["shift"], zs["start"], zs["end"], bool(zs["rest"])) == ("普通出勤", hm("08:30"), hm("18:00"), False)
    assert bool(one(s, "D001", "2026-06-06")["rest"])
    p = dingtalk.people.set_index("key")
    assert bool(p.loc["D003", "departed"]) and p.loc["D003", "name"] == "王五"
    sk = roster_skeleton(dingtalk).set_index("employee_id")
    assert "leave_date" in sk.loc["D003", "note"] and sk.loc["D001", "note"] == ""
    v = dingtalk.verdicts
    assert (v["_sheet"] == "原始记录").all()
    assert bool(one(v, "D001", "2026-06-03")["late"]) and bool(one(v, "D002", "2026-06-02")["early"])


def test_dingtalk_views_that_disagree_are_named() -> None:
    src = source("dingtalk-考勤报表.xlsx")
    sheets = {k: [list(r) for r in v] for k, v in src.sheets.items()}
    grid = sheets["打卡时间"]
    row = next(i for i, r in enumerate(grid) if r[0] == "李四")
    grid[row][6 + 3] = "09:00\n18:00"  # 06-04: 李四 is on leave in the other reports
    load = load_vendor(Source(src.path, src.display, "xlsx", sheets=sheets), "dingtalk")
    warn = [p for p in load.problems if p.code == "views_disagree"]
    assert len(warn) == 1 and warn[0].sheet == "打卡时间" and "李四 06-04" in warn[0].message
    assert warn[0].row == row + 1 and "原始记录 is read" in warn[0].hint
    assert len(load.punches) == EXPECTED["dingtalk-考勤报表.xlsx"]["punches"]  # nothing counted twice


def test_dingtalk_grid_dates_by_position_holidays_and_next_day() -> None:
    _, _, load = read("dingtalk-打卡时间-holidays.xlsx")
    s = load.signins
    assert list(load.day_labels["label"]) == EXPECTED["dingtalk-打卡时间-holidays.xlsx"]["labels"]
    assert list(load.day_labels["date"]) == list(pd.date_range("2026-06-01", "2026-06-07"))
    assert one(s, "D001", "2026-06-05")["sign_in"] == hm("09:00")    # 端午节 column
    assert one(s, "D001", "2026-06-06")["sign_out"] == hm("16:00")   # 六 column
    assert one(s, "ls02", "2026-06-07")["sign_in"] == hm("09:10")    # 日 column
    assert one(s, "D001", "2026-06-02")["sign_out"] == 86400 + hm("00:31")
    nxt = one(s, "ls02", "2026-06-02")                                # 次日 00:20 alone
    assert nxt["sign_in"] == 86400 + hm("00:20") and pd.isna(nxt["sign_out"])
    three = load.punches[(load.punches["key"] == "D001") & (load.punches["date"] == day("2026-06-03"))]
    assert list(three["secs"]) == [hm("08:30"), hm("22:32")] and list(three["note"].fillna("")) == ["", "外勤"]


def test_dingtalk_day_columns_that_do_not_fit_the_period_are_an_error() -> None:
    src = source("dingtalk-打卡时间-holidays.xlsx")
    sheets = {k: [list(r) for r in v] for k, v in src.sheets.items()}
    sheets["打卡时间"][3][6 + 1] = "9"  # the second day column claims to be the 9th
    load = load_vendor(Source(src.path, src.display, "xlsx", sheets=sheets), "dingtalk")
    err = [p for p in load.problems if p.severity == "error"]
    assert len(err) == 1 and err[0].code == "vendor_header" and "2026-06-02" in err[0].message
    assert err[0].sheet == "打卡时间"


# --------------------------------------------------------------------------- WeCom 月报


def test_wecom_monthly_is_refused_with_the_daily_report_hint() -> None:
    _, vendor, load = read("wecom-月报.xlsx")
    assert vendor == "wecom-monthly"
    assert [p.code for p in load.problems] == ["wecom_monthly"]
    p = load.problems[0]
    assert p.severity == "error" and "日报" in p.hint and p.sheet == "月报" and p.row == 1
    assert load.signins.empty


# --------------------------------------------------------------------------- ZKTeco


def test_zkteco_log_key_is_the_attendance_number_not_the_empty_bianhao() -> None:
    _, _, load = read("zkteco-考勤记录.xlsx")
    assert set(load.people["key"]) == {"1", "2", "15"}
    assert set(load.people["key_kind"]) == {"vendor_id"}
    zs = one(load.signins, "1", "2019-10-08")
    assert (zs["sign_in"], zs["sign_out"]) == (hm("08:51") + 12, hm("18:02") + 5)
    assert len(load.punches[(load.punches["key"] == "1") & (load.punches["date"] == day("2019-10-08"))]) == 3


def test_corrupt_clock_lines_are_warnings_naming_the_line() -> None:
    _, _, load = read("zkteco-考勤记录-多年.csv")
    bad = [p for p in load.problems if p.code == "bad_punch_line"]
    assert [p.row for p in bad] == EXPECTED["zkteco-考勤记录-多年.csv"]["bad_lines"]
    assert all(p.severity == "warning" for p in bad) and "1971--10--29" in bad[1].message
    assert not [p for p in load.problems if p.severity == "error"]
    months = sorted({f"{d:%Y-%m}" for d in load.signins["date"]})
    assert months == [f"{y}-05" for y in range(2019, 2025)]


def test_zkteco_detail_reads_sign_in_out_never_the_schedule() -> None:
    _, _, load = read("zkteco-考勤明细.xlsx")
    s = load.signins
    zs = one(s, "1", "2019-05-06")
    assert (zs["sign_in"], zs["sign_out"]) == (hm("08:24"), hm("17:41"))
    lone = one(s, "1", "2019-05-08")  # only 签退: the sign-in is missing
    assert pd.isna(lone["sign_in"]) and lone["sign_out"] == hm("18:24")
    sch = one(load.schedule, "1", "2019-05-06")
    assert (sch["start"], sch["end"]) == (hm("08:30"), hm("17:30"))
    v = load.verdicts
    assert bool(one(v, "1", "2019-05-07")["late"]) and bool(one(v, "2", "2019-05-06")["early"])
    assert bool(one(v, "2", "2019-05-07")["absent"]) and not bool(one(v, "1", "2019-05-06")["absent"])


def test_schedule_beside_punches_in_a_plain_sheet_is_not_read_as_punches() -> None:
    rows = [["工号", "姓名", "日期", "上班时间", "下班时间", "签到时间", "签退时间"],
            ["E001", "张三", "2024-05-06", "09:00", "18:00", "08:51", "18:07"]]
    src = Source(Path("s.xlsx"), "s.xlsx", "xlsx", sheets={"Sheet1": rows})
    vendor = detect_vendor(src)
    assert vendor == "zkteco-detail"
    load = load_vendor(src, vendor)
    zs = one(load.signins, "E001", "2024-05-06")
    assert (zs["sign_in"], zs["sign_out"]) == (hm("08:51"), hm("18:07"))
    assert zs.name is not None and load.signins.iloc[0]["key_kind"] == "employee_id"


def test_zktime_weekday_in_the_datetime_cell() -> None:
    _, _, load = read("zktime-出勤记录.csv")
    zs = one(load.signins, "1", "2019-10-08")
    assert (zs["sign_in"], zs["sign_out"]) == (hm("08:20"), hm("18:05"))


def test_attlog_dat_states_and_corrupt_lines() -> None:
    _, vendor, load = read("attlog.dat")
    assert vendor == "attlog"
    bad = [p for p in load.problems if p.code == "bad_punch_line"]
    assert [p.row for p in bad] == EXPECTED["attlog.dat"]["bad_lines"] and all(p.severity == "warning" for p in bad)
    p = load.punches[load.punches["key"] == "15"]
    assert set(p["kind"]) == {"in", "out"}
    assert one(load.signins, "15", "2019-10-09")["sign_in"] == hm("08:59") + 11
    assert one(load.signins, "2", "2019-12-31")["sign_out"] == hm("18:01") + 40
    sk = roster_skeleton(load)
    assert sk["name"].isna().all() and sk["note"].str.contains("fill in name").all()


# --------------------------------------------------------------------------- U-disk clocks


def test_standard_report_punches_run_together() -> None:
    _, _, load = read("clock-标准报表.xlsx")
    p = load.punches[(load.punches["key"] == "1") & (load.punches["date"] == day("2019-10-04"))]
    assert list(p["secs"]) == [hm("08:55"), hm("12:01"), hm("13:02"), hm("18:30")]
    assert one(load.signins, "1", "2019-10-01")["sign_out"] == hm("18:31")
    assert any("not read" in part and "异常统计" in part for part in load.parts)
    assert "3" in set(load.people["key"])  # 王五: on the report, no punch


def test_swipe_records_six_times_a_cell() -> None:
    _, _, load = read("clock-员工刷卡记录表.xlsx")
    p = load.punches[(load.punches["key"] == "8") & (load.punches["date"] == day("2019-10-01"))]
    assert len(p) == 6 and p["secs"].max() == hm("21:30")


def test_three_people_a_sheet_with_day_fractions() -> None:
    _, _, load = read("clock-考勤报表.xlsx")
    zs = one(load.signins, "1", "2019-10-01")
    assert (zs["sign_in"], zs["sign_out"]) == (hm("08:25"), hm("18:03"))
    ot = load.punches[(load.punches["key"] == "1") & (load.punches["date"] == day("2019-10-02"))]
    assert ot["note"].fillna("").tolist().count("加班") == 2 and ot["secs"].max() == hm("21:05")
    assert set(load.people["key"]) == {"1", "2", "3", "4"}
    assert set(load.people["name"]) == {"张三", "李四", "王五", "赵六"}


# --------------------------------------------------------------------------- logs


def test_pc_clock_log_keeps_leading_zeros() -> None:
    _, _, load = read("clock-software-刷卡记录.xlsx")
    assert set(load.people["key"]) == EXPECTED["clock-software-刷卡记录.xlsx"]["keys"]


def test_cloud_clock_empty_employee_number_never_wins() -> None:
    _, _, load = read("cloud-考勤明细.csv")
    assert set(load.people["key"]) == EXPECTED["cloud-考勤明细.csv"]["keys"]
    zs = one(load.signins, "101", "2024-05-07")
    assert (zs["sign_in"], zs["sign_out"]) == (hm("13:30") + 58, hm("22:37") + 56)


def test_hr_app_invalid_rows_left_out_and_reported() -> None:
    _, _, load = read("hr-app-打卡记录.xlsx")
    bad = [p for p in load.problems if p.code == "invalid_punch"]
    assert [(p.row, p.column, p.severity) for p in bad] == [(5, "是否有效", "warning"), (7, "是否有效", "warning")]
    assert load.punches[load.punches["key"] == "A02"]["date"].tolist() == [day("2024-05-06")]


def test_handmade_sheet_names_only_and_roster_init_uses_the_name() -> None:
    _, _, load = read("handmade-考勤表.xlsx")
    assert set(load.people["key_kind"]) == {"name"}
    sk = roster_skeleton(load)
    assert list(sk["employee_id"]) == ["张三", "李四", "王五"] and list(sk["name"]) == ["张三", "李四", "王五"]
    zs = one(load.signins, "李四", "2024-05-06")
    assert (zs["sign_in"], zs["sign_out"]) == (hm("08:40"), hm("17:50"))


# --------------------------------------------------------------------------- not an export


def test_a_file_that_is_no_attendance_export_names_what_is_read() -> None:
    src = source("not-attendance.xlsx")
    assert detect_vendor(src) is None
    p = unrecognised(src)
    assert p.severity == "error" and p.code == "unknown_layout"
    text = p.format()
    assert "招聘人员信息表" in text and "序号, 姓名" in text
    for what in ("上下班打卡_日报", "打卡时间", "考勤号码", "attlog.dat", "考勤记录", "employee_id, date"):
        assert what in text, what


@pytest.mark.parametrize("rows", [
    [["工号", "打卡时间"], ["E1", "2024-05-06 09:00"]],
    [["employee_id", "punch_time"], ["E1", "2024-05-06 09:00:00"], ["E1", "2024-05-06 18:00:00"]],
    [["工号", "日期", "签到时间", "签退时间"], ["E1", "2024-05-06", "09:00", "18:00"]],
    [["employee_id", "date", "sign_in", "sign_out", "name"], ["E1", "2024-05-06", "09:00", "18:00", "张三"]],
])
def test_canonical_sheets_are_not_claimed(rows) -> None:
    assert detect_vendor(Source(Path("a.xlsx"), "a.xlsx", "xlsx", sheets={"S": rows})) is None


def test_sample_data_is_not_claimed() -> None:
    for path in sorted((SAMPLE / "signin").iterdir()) + [SAMPLE / "roster.xlsx"]:
        if path.suffix in (".csv", ".xlsx"):
            src = open_source(path)
            assert isinstance(src, Source) and detect_vendor(src) is None, path


def test_claims_never_raise_on_odd_cells() -> None:
    odd = {"S": [[None, 3.5, dt.time(9), {"x": 1}], [], [b"\x00", float("nan")]], "": []}
    assert detect_vendor(Source(Path("x.xlsx"), "x.xlsx", "xlsx", sheets=odd)) is None


@pytest.mark.parametrize("sheet", ["每日统计", "月度汇总", "打卡时间"])
def test_dingtalk_each_report_alone(sheet: str) -> None:
    src = source("dingtalk-考勤报表.xlsx")
    alone = Source(src.path, src.display, "xlsx", sheets={sheet: src.sheets[sheet]})
    assert detect_vendor(alone) == "dingtalk"
    load = load_vendor(alone, "dingtalk")
    assert not [p.format() for p in load.problems if p.severity == "error"]
    assert len(load.people) == 4 and load.period == (dt.date(2026, 6, 1), dt.date(2026, 6, 7))
    full = EXPECTED["dingtalk-考勤报表.xlsx"]
    assert len(load.signins) == full["person_days"]
    zs = one(load.signins, "D001", "2026-06-02")
    assert zs["sign_out"] == 86400 + hm("00:31")  # 次日 in 每日统计, a time before the first in 月度汇总
    if sheet == "打卡时间":
        return
    assert len(load.punches) == 2 * full["person_days"]  # these reports show the first and last punch
    lv = load.leave.set_index("key")
    assert (lv.loc["D002", "type"], bool(lv.loc["D002", "half_day"])) == ("personal", False)
    assert (lv.loc["zl04", "type"], bool(lv.loc["zl04", "half_day"])) == ("annual", True)
    kinds = sorted(load.approvals["kind"])
    assert kinds == ["correction", "outing", "trip"]
    assert bool(one(load.schedule, "D001", "2026-06-06")["rest"])


def test_zkteco_detail_lone_punch_is_a_missing_verdict() -> None:
    _, _, load = read("zkteco-考勤明细.xlsx")
    assert bool(one(load.verdicts, "1", "2019-05-08")["missing"])
    assert not bool(one(load.verdicts, "1", "2019-05-06")["missing"])


def test_one_number_two_names_is_a_warning() -> None:
    rows = [["考勤号码", "姓名", "日期", "对应时段", "签到时间", "签退时间", "是否旷工"],
            ["7", "张三", "2019/5/6", "1", "08:30", "17:30", ""],
            ["7", "李四", "2019/5/6", "1", "08:40", "17:35", ""]]
    src = Source(Path("d.xlsx"), "d.xlsx", "xlsx", sheets={"S": rows})
    load = load_vendor(src, detect_vendor(src) or "")
    warn = [p for p in load.problems if p.code == "one_number_two_names"]
    assert len(warn) == 1 and warn[0].severity == "warning" and warn[0].row == 2
    assert "张三 (row 2)" in warn[0].message and "李四 (row 3)" in warn[0].message
