"""WeCom and DingTalk exports (issue "Real exports")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from paths import REAL as _REAL

from cs_rules.loading.sources import Source, open_source
from cs_rules.loading.vendors import (
    LEAVE_COLUMNS,
    SIGNIN_COLUMNS,
    VERDICT_COLUMNS,
    detect_vendor,
    load_vendor,
    match_people,
    roster_skeleton,
)

REAL = _REAL / "wecom-上下班打卡_日报_20260201-20260228.xlsx"
FIX = Path(__file__).parent / "fixtures" / "vendors"
SAMPLE = Path(__file__).parent.parent / "sample_data"

needs_real = pytest.mark.skipif(not REAL.exists(), reason="real WeCom sample not available")


def hm(text: str) -> float:
    h, m = text.split(":")
    return float(int(h) * 3600 + int(m) * 60)


def day(s: str) -> pd.Timestamp:
    return pd.Timestamp(s)


def one(frame: pd.DataFrame, key: str, date: str) -> pd.Series:
    got = frame[(frame["key"] == key) & (frame["date"] == day(date))]
    assert len(got) == 1, got
    return got.iloc[0]


def src_of(path: Path) -> Source:
    src = open_source(path)
    assert isinstance(src, Source), src
    return src


def mem(sheets: dict[str, list[list]], name: str = "mem.xlsx") -> Source:
    """A Source built in memory, as open_source would give it for an xlsx."""
    return Source(Path(name), name, "xlsx", sheets=sheets)


# --------------------------------------------------------------------------- WeCom


@pytest.fixture(scope="module")
def wecom():
    src = src_of(REAL)
    return src, load_vendor(src, "wecom")


@pytest.fixture(scope="module")
def overview_only(tmp_path_factory):
    """The real workbook without sheet 打卡详情, under a name that carries no dates."""
    from openpyxl import load_workbook

    wb = load_workbook(REAL)
    del wb["打卡详情"]
    path = tmp_path_factory.mktemp("wecom") / "export.xlsx"
    wb.save(path)
    src = src_of(path)
    return src, load_vendor(src, "wecom")


@needs_real
def test_wecom_detected_by_content_not_name(wecom, tmp_path):
    src, _ = wecom
    assert detect_vendor(src) == "wecom"
    renamed = Source(Path("dingtalk.xlsx"), "dingtalk.xlsx", "xlsx", sheets=src.sheets)
    assert detect_vendor(renamed) == "wecom"


@needs_real
def test_wecom_shapes_and_period(wecom):
    src, load = wecom
    assert load.vendor == "wecom"
    assert load.period == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert list(load.signins.columns) == SIGNIN_COLUMNS
    assert list(load.leave.columns) == LEAVE_COLUMNS
    assert list(load.verdicts.columns) == VERDICT_COLUMNS
    assert load.day_labels.empty
    assert str(load.signins["date"].dtype) == "datetime64[ns]"
    assert (load.signins["date"] == load.signins["date"].dt.normalize()).all()
    assert (load.signins["_file"] == src.display).all()
    assert (load.signins["_sheet"] == "打卡详情").all()
    assert not [p for p in load.problems if p.severity == "error"]
    # everybody keyed by 账号 (工号 is -- in this export); departed suffix dropped from names
    assert set(load.signins["key_kind"]) == {"vendor_id"}
    assert "孙磊" in set(load.signins["name"])


@needs_real
def test_wecom_days_checked_by_hand(wecom):
    _, load = wecom
    s = load.signins
    zq = one(s, "ZhaoQiang", "2026-02-28")  # one 上班 punch, afternoon on lieu leave
    assert zq["sign_in"] == hm("09:36") and pd.isna(zq["sign_out"])
    assert zq["name"] == "赵强" and zq["_row"] == 5
    hh = one(s, "HuangHao", "2026-02-28")
    assert (hh["sign_in"], hh["sign_out"]) == (hm("09:10"), hm("20:02"))
    mc = one(s, "13800001111", "2026-02-25")  # only the 下班 punch: sign-in missing
    assert pd.isna(mc["sign_in"]) and mc["sign_out"] == hm("18:00")
    zj = one(s, "ZhouJie", "2026-02-14")  # 08:11, an invalidated 16:21, 18:00 (补卡)
    assert (zj["sign_in"], zj["sign_out"]) == (hm("08:11"), hm("18:00"))
    assert zj["_row"] == 161
    # the all-department 旷工 day has no punches: no sign-in row, an absent verdict
    assert s[s["date"] == day("2026-02-24")].empty
    # rows per person: days with at least one punch
    counts = s.groupby("key").size()
    assert counts["ZhaoQiang"] == 12
    assert counts["LiMing"] == 16
    assert counts["13800001111"] == 10
    assert len(s) == 194


@needs_real
def test_wecom_rows_point_at_the_sheet(wecom):
    src, load = wecom
    rows = src.sheets["打卡详情"]
    for r in load.signins.to_dict("records"):
        cells = rows[r["_row"] - 1]
        assert cells[2] == r["key"]
        assert cells[0].startswith(r["date"].strftime("%Y/%m/%d"))
        assert cells[8] not in ("--", "")  # the row of a punch
    counted = {(c[2], c[0][:10]) for c in rows[4:] if c[8] not in ("--", "")}
    assert len(counted) == len(load.signins)


@needs_real
def test_wecom_leave_from_requests(wecom):
    _, load = wecom
    lv = load.leave

    def find(key, start, end=None):
        return lv[(lv["key"] == key) & (lv["start_date"] == day(start))
                  & (lv["end_date"] == day(end or start))]

    zq = find("ZhaoQiang", "2026-02-28")
    assert len(zq) == 1
    assert zq.iloc[0]["type"] == "lieu" and bool(zq.iloc[0]["half_day"])
    assert zq.iloc[0]["_row"] == 5
    # 年假2.0天（2/13 上午 - 2/14 下午） repeated on four rows -> one full-day request
    zn = lv[lv["key"] == "ZhengNa"]
    assert len(zn) == 1
    assert (zn.iloc[0]["type"], bool(zn.iloc[0]["half_day"])) == ("annual", False)
    assert (zn.iloc[0]["start_date"], zn.iloc[0]["end_date"]) == (day("2026-02-13"), day("2026-02-14"))
    wm = find("WuMin", "2026-02-14")  # 事假0.5天（2/14 下午 - 2/14 下午）
    assert wm.iloc[0]["type"] == "personal" and bool(wm.iloc[0]["half_day"])
    sl = find("SunLei", "2026-02-28")  # 调休假1.0天（2/28 上午 - 2/28 下午）
    assert sl.iloc[0]["type"] == "lieu" and not bool(sl.iloc[0]["half_day"])
    assert not lv["certificate"].any() and lv["approved"].all()
    assert set(lv["type"]) <= {"annual", "lieu", "personal", "sick"}
    assert len(lv) == 23
    # 出差 is no leave: an approved business trip (issue 13 §5), said so as information
    trips = [p for p in load.problems if p.code == "vendor_not_leave"]
    assert len(trips) == 2 and all(p.severity == "info" for p in trips)
    ap = load.approvals[load.approvals["kind"] == "trip"]
    assert sorted(ap["key"]) == ["13800001111", "WuMin"]
    assert (ap["start_date"] == day("2026-02-05")).all() and (ap["end_date"] == day("2026-02-05")).all()


@needs_real
def test_wecom_verdicts(wecom):
    _, load = wecom
    v = load.verdicts
    assert (v["_sheet"] == "概况统计与打卡明细").all()
    absent = v[v["absent"]]
    assert len(absent) == 16 and set(absent["text"]) == {"旷工480分钟"}
    assert len(v[v["late"]]) == 5
    assert v["missing"].sum() == 15
    zq = one(v, "ZhaoQiang", "2026-02-28")
    assert zq["text"] == "正常（请假）" and not (zq["late"] or zq["early"] or zq["missing"] or zq["absent"])


@needs_real
def test_wecom_overview_only_gives_the_same_days(wecom, overview_only):
    _, full = wecom
    src, load = overview_only
    assert detect_vendor(src) == "wecom"
    assert load.period == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))  # year from 制表时间
    assert (load.signins["_sheet"] == "概况统计与打卡明细").all()
    zq = one(load.signins, "ZhaoQiang", "2026-02-28")
    assert zq["sign_in"] == hm("09:36") and pd.isna(zq["sign_out"]) and zq["_row"] == 7
    mc = one(load.signins, "13800001111", "2026-02-25")
    assert pd.isna(mc["sign_in"]) and mc["sign_out"] == hm("18:00")
    zj = one(load.signins, "ZhouJie", "2026-02-14")
    assert (zj["sign_in"], zj["sign_out"]) == (hm("08:11"), hm("18:00"))
    cols = ["key", "date", "sign_in", "sign_out"]
    a = full.signins[cols].sort_values(cols[:2]).reset_index(drop=True)
    b = load.signins[cols].sort_values(cols[:2]).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    lcols = ["key", "start_date", "end_date", "type", "half_day"]
    pd.testing.assert_frame_equal(full.leave[lcols].sort_values(lcols[:3]).reset_index(drop=True),
                                  load.leave[lcols].sort_values(lcols[:3]).reset_index(drop=True))


@needs_real
def test_wecom_detail_only_verdicts_from_punch_status():
    src = src_of(REAL)
    sheets = {k: v for k, v in src.sheets.items() if k == "打卡详情"}
    load = load_vendor(Source(src.path, src.display, "xlsx", sheets=sheets), "wecom")
    v = load.verdicts
    assert (v["_sheet"] == "打卡详情").all()
    mc = one(v, "13800001111", "2026-02-28")
    assert bool(mc["missing"]) and "缺卡（09:00）" in mc["text"]
    zj = one(v, "ZhouJie", "2026-02-14")  # the invalidated 早退 punch does not count
    assert not bool(zj["early"])


def test_wecom_bad_cells_are_problems_not_exceptions():
    head = [["打卡详情"], ["统计时间:02-01 ～ 02-28     制表时间:2026-03-10 20:11(UTC+8)"],
            ["日期", "姓名", "账号", "部门", "职务", "所属规则", "打卡类型", "应打卡时间", "实际打卡时间",
             "打卡状态", "打卡地点", "打卡设备", "备注内容", "备注图片", "假勤申请"],
            [""] * 15]
    body = [
        ["2026/02/27 星期五", "甲", "JiA", "", "", "", "上班", "09:00", "9点", "正常", "", "", "", "", "--"],
        ["2026/02/27 星期五", "甲", "JiA", "", "", "", "下班", "18:00", "18:05", "正常", "", "", "", "", "--"],
        ["2026/13/40 星期五", "甲", "JiA", "", "", "", "上班", "09:00", "09:00", "正常", "", "", "", "", "--"],
        ["2026/02/26 星期四", "甲", "JiA", "", "", "", "上班", "09:00", "09:01", "正常", "", "", "", "",
         "育儿假1天（2/26 上午 - 2/26 下午）"],
    ]
    src = mem({"打卡详情": head + body}, "wecom.xlsx")
    assert detect_vendor(src) == "wecom"
    load = load_vendor(src, "wecom")
    errors = [p for p in load.problems if p.severity == "error"]
    assert {(p.row, p.column, p.code) for p in errors} == {(5, "实际打卡时间", "bad_time"),
                                                           (7, "日期", "bad_date")}
    assert all(p.sheet == "打卡详情" and p.file == "wecom.xlsx" for p in errors)
    assert "'9点'" in errors[0].format() or "'9点'" in errors[1].format()
    jia = one(load.signins, "JiA", "2026-02-27")  # the readable punch still counts
    assert pd.isna(jia["sign_in"]) and jia["sign_out"] == hm("18:05")
    unknown = [p for p in load.problems if p.code == "unknown_leave_type"]
    assert len(unknown) == 1 and "育儿假" in unknown[0].message and unknown[0].row == 8


def test_wecom_unrecognised_header_names_expected_columns():
    src = mem({"打卡详情": [["打卡详情"], ["统计时间:02-01 ～ 02-28     制表时间:2026-03-10"],
                            ["日子", "人", "备注"], ["2026/02/27", "甲", ""]]})
    assert detect_vendor(src) == "wecom"
    load = load_vendor(src, "wecom")
    assert len(load.problems) == 1
    msg = load.problems[0].format()
    assert "实际打卡时间" in msg and "最早" in msg and "账号" in msg
    assert load.signins.empty and list(load.signins.columns) == SIGNIN_COLUMNS


# --------------------------------------------------------------------------- DingTalk


@pytest.mark.parametrize("name", ["dingtalk-打卡时间_20260615-20260621.xlsx", "dingtalk-打卡时间-dates.xlsx"])
def test_dingtalk_punch_grid(name):
    src = src_of(FIX / name)
    assert detect_vendor(src) == "dingtalk"
    load = load_vendor(src, "dingtalk")
    assert load.period == (dt.date(2026, 6, 15), dt.date(2026, 6, 21))
    s = load.signins
    assert list(s.columns) == SIGNIN_COLUMNS
    z = lambda d: one(s, "D001", d)  # noqa: E731  (张三 keyed by 工号)
    assert (z("2026-06-15")["sign_in"], z("2026-06-15")["sign_out"]) == (hm("08:26"), hm("18:03"))
    assert (z("2026-06-16")["sign_in"], z("2026-06-16")["sign_out"]) == (hm("08:07"), hm("18:30"))
    assert (z("2026-06-17")["sign_in"], z("2026-06-17")["sign_out"]) == (hm("08:30"), hm("22:32"))
    assert z("2026-06-18")["sign_in"] == hm("08:55") and pd.isna(z("2026-06-18")["sign_out"])
    assert (z("2026-06-21")["sign_in"], z("2026-06-21")["sign_out"]) == (hm("09:00"), hm("18:10"))
    assert z("2026-06-15")["_row"] == 5 and z("2026-06-15")["vendor_id"] == "zhangsan01"
    li = one(s, "lisi02", "2026-06-17")  # no 工号: keyed by UserId
    assert li["key_kind"] == "vendor_id" and li["sign_in"] == hm("08:59")
    assert one(s, "D003", "2026-06-16")["name"] == "王五"
    assert s[s["date"].isin([day("2026-06-19"), day("2026-06-20")])].empty
    assert len(s) == 9
    # the unreadable cell is one error naming the day column
    assert len(load.problems) == 1
    p = load.problems[0]
    assert (p.severity, p.row, p.sheet, p.code) == ("error", 6, "打卡时间", "bad_time") and "9点" in p.message
    labels = load.day_labels
    assert list(labels["label"]) == ["15", "16", "17", "18", "端午节", "六", "日"]
    assert list(labels["date"]) == list(pd.date_range("2026-06-15", "2026-06-21"))
    assert (labels["_row"] == 4).all()


def test_dingtalk_raw_records():
    src = src_of(FIX / "dingtalk-原始记录.xlsx")
    assert detect_vendor(src) == "dingtalk"
    load = load_vendor(src, "dingtalk")
    s, v = load.signins, load.verdicts
    z15 = one(s, "D001", "2026-06-15")
    assert (z15["sign_in"], z15["sign_out"]) == (hm("08:26") + 33, hm("18:03") + 10)
    assert z15["_row"] == 5 and (s["_sheet"] == "原始记录").all()
    z16 = one(s, "D001", "2026-06-16")  # the sign-out after midnight counts on past 24:00
    assert (z16["sign_in"], z16["sign_out"]) == (hm("09:12"), 86400 + hm("00:30"))
    z17 = one(s, "D001", "2026-06-17")  # a date-time cell; the 缺卡 row has no punch
    assert z17["sign_in"] == hm("08:50") and pd.isna(z17["sign_out"])
    assert one(s, "lisi02", "2026-06-15")["sign_out"] == hm("17:20")
    assert len(s) == 4
    assert bool(one(v, "D001", "2026-06-16")["late"])
    assert bool(one(v, "D001", "2026-06-17")["missing"])
    assert bool(one(v, "lisi02", "2026-06-15")["early"])
    assert bool(one(v, "lisi02", "2026-06-16")["absent"])
    assert [(p.row, p.column, p.code) for p in load.problems] == [(15, "打卡时间", "bad_time")]


def test_dingtalk_unknown_header_names_expected_columns():
    src = src_of(FIX / "dingtalk-bad-header.xlsx")
    assert detect_vendor(src) == "dingtalk"
    load = load_vendor(src, "dingtalk")
    assert len(load.problems) == 1
    p = load.problems[0]
    assert p.severity == "error" and p.sheet == "打卡时间" and p.row == 3
    for col in ("姓名", "考勤组", "部门", "工号", "职位", "UserId"):
        assert col in p.message
    assert load.signins.empty


def test_dingtalk_day_numbers_across_a_month_end_and_summary_sheet():
    fixed = ["姓名", "考勤组", "部门", "工号", "职位", "UserId"]
    grid = [["打卡时间 统计日期：2026-05-30 至 2026-06-02"], ["报表生成时间：2026-06-03 10:00"],
            fixed + [30, 31, 1, 2], [""] * 6 + ["六", "日", "1", "2"],
            ["赵六", "组", "部", "", "", "zl", "", "", "08:01\n18:00", "08:02\n18:01"]]
    summary = [["月度汇总 统计日期：2026-05-30 至 2026-06-02"], ["报表生成时间：2026-06-03 10:00"],
               fixed + ["出勤天数", "30", "31", "1", "2"], [""] * 7 + ["六", "日", "1", "2"],
               ["赵六", "组", "部", "", "", "zl", 2, "休息", "休息", "正常", "迟到1次,5分钟"]]
    src = mem({"打卡时间": grid, "月度汇总": summary})
    load = load_vendor(src, "dingtalk")
    assert not load.problems
    assert list(load.signins["date"]) == [day("2026-06-01"), day("2026-06-02")]
    assert list(load.day_labels["date"]) == list(pd.date_range("2026-05-30", "2026-06-02"))
    v = load.verdicts
    assert list(v["date"]) == [day("2026-06-01"), day("2026-06-02")]
    assert list(v["late"]) == [False, True] and (v["_sheet"] == "月度汇总").all()


def test_dingtalk_daily_statistics_sheet():
    rows = [["每日统计 统计日期：2026-06-15 至 2026-06-16"], ["报表生成时间：2026-06-17 10:00"],
            ["姓名", "考勤组", "部门", "工号", "职位", "UserId", "日期", "上班1", "", "下班1", ""],
            [""] * 7 + ["打卡时间", "打卡结果", "打卡时间", "打卡结果"],
            ["张三", "组", "部", "D001", "", "zs", "26-06-15 星期一", "08:31", "正常", "18:02", "正常"],
            ["张三", "组", "部", "D001", "", "zs", "26-06-16 星期二", "09:20", "迟到", "", "缺卡"]]
    load = load_vendor(mem({"每日统计": rows}), "dingtalk")
    assert not load.problems
    a = one(load.signins, "D001", "2026-06-15")
    assert (a["sign_in"], a["sign_out"], a["_row"]) == (hm("08:31"), hm("18:02"), 5)
    b = one(load.signins, "D001", "2026-06-16")
    assert b["sign_in"] == hm("09:20") and pd.isna(b["sign_out"])


@pytest.mark.parametrize("sheets", [
    {"打卡时间": [["打卡时间 统计日期：2026-06-15 至 2026-06-21"], ["报表生成时间：x"]]},
    {"打卡时间": [["打卡时间 统计日期：2026-06-15 至 2026-06-21"], ["报表生成时间：x"],
                 ["姓名", "考勤组", "部门", "工号", "职位", "UserId"], []]},
    {"原始记录": [["原始记录 统计日期：2026-06-15 至 2026-06-21"], ["报表生成时间：x"],
                 ["姓名", "UserId", "考勤日期", "打卡时间"], [None, 3.5, dt.time(9), {"x": 1}]]},
    {"打卡时间": [["打卡时间"], ["报表生成时间：x"], ["姓名", "UserId", "1", "2"],
                 ["甲", "j", "08:00", "09:00"]]},  # day numbers but no period
    {"S": []},
])
def test_dingtalk_malformed_never_raises(sheets):
    load = load_vendor(mem(sheets), "dingtalk")
    assert list(load.signins.columns) == SIGNIN_COLUMNS
    assert all(p.file == "mem.xlsx" for p in load.problems)


def test_plain_files_are_no_vendor_export():
    for path in (SAMPLE / "roster.xlsx", SAMPLE / "signin" / "2024-04.xlsx"):
        if path.exists():
            assert detect_vendor(src_of(path)) is None
    assert detect_vendor(mem({"Sheet1": [["工号", "打卡时间"], ["E1", "2024-05-06 09:00"]]})) is None


# --------------------------------------------------------------------------- people


def test_match_people_by_id_account_and_name(wecom):
    _, wload = wecom
    dload = load_vendor(src_of(FIX / "dingtalk-打卡时间_20260615-20260621.xlsx"), "dingtalk")
    roster = pd.DataFrame({
        "employee_id": ["E01", "E02", "D001", "E04", "E05", "E06"],
        "name": ["赵强", "黄浩", "张三", "李四", "王芳", "王芳"],
        "vendor_id": ["ZhaoQiang", pd.NA, pd.NA, "LISI02", pd.NA, pd.NA],
    })
    frame = pd.concat([wload.signins, dload.signins], ignore_index=True)
    out, problems = match_people(frame, roster, "data/signin/x.xlsx")
    assert len(out) == len(frame) and "employee_id" in out
    emp = dict(zip(out["key"], out["employee_id"], strict=True))
    assert emp["ZhaoQiang"] == "E01"          # vendor account via roster.vendor_id
    assert emp["D001"] == "D001"              # 工号
    assert emp["lisi02"] == "E04"             # account, case-insensitive
    assert emp["HuangHao"] == "E02"           # name only (with a warning)
    assert pd.isna(emp["LiMing"])             # not in roster: kept, NA
    assert pd.isna(emp["WangFang01"])         # two 王芳 in the roster: ambiguous
    by_code: dict[str, list] = {}
    for p in problems:
        assert p.severity == "warning" and p.file == "data/signin/x.xlsx" and p.row > 0
        by_code.setdefault(p.code, []).append(p)
    # people with no match are listed together, in one warning (issue 13 §4)
    assert len(by_code["unknown_person"]) == 1
    assert [p.message for p in by_code["matched_by_name"]] == [
        "黄浩 (HuangHao) matched roster employee E02 by name only"]
    assert "vendor_id 'HuangHao'" in by_code["matched_by_name"][0].hint
    unknown = by_code["unknown_person"][0].message
    assert "李明 (LiMing" in unknown and "王五 (D003" in unknown and "赵强" not in unknown
    assert [p.message.split(" ")[0] for p in by_code["ambiguous_person"]] == ["王芳"]


def test_match_people_empty_frame():
    out, problems = match_people(load_vendor(mem({"S": []}), "dingtalk").signins,
                                 pd.DataFrame({"employee_id": ["E1"], "name": ["甲"], "vendor_id": [pd.NA]}),
                                 "x")
    assert out.empty and "employee_id" in out and problems == []


def test_roster_skeleton(wecom):
    _, wload = wecom
    sk = roster_skeleton(wload)
    assert list(sk.columns) == ["employee_id", "name", "grade", "hire_date", "vendor_id", "leave_date", "note"]
    assert len(sk) == 14 and sk["employee_id"].is_unique
    row = sk[sk["employee_id"] == "ZhaoQiang"].iloc[0]
    assert (row["name"], row["vendor_id"], row["grade"], row["hire_date"]) == ("赵强", "ZhaoQiang", "", "")
    dload = load_vendor(src_of(FIX / "dingtalk-打卡时间_20260615-20260621.xlsx"), "dingtalk")
    dk = roster_skeleton(dload).set_index("employee_id")
    assert dk.loc["D001", "vendor_id"] == "zhangsan01"   # 工号 when present
    assert dk.loc["lisi02", "vendor_id"] == "lisi02"     # else the account
    # a skeleton roster matches its own export without warnings
    out, problems = match_people(dload.signins, roster_skeleton(dload), "x")
    assert out["employee_id"].notna().all() and problems == []


@needs_real
def test_wecom_punches_corrections_and_schedule(wecom):
    _, load = wecom
    p = load.punches
    zj = p[(p["key"] == "ZhouJie") & (p["date"] == day("2026-02-14"))]
    assert sorted(zj["secs"]) == [hm("08:11"), hm("18:00")]  # the 失效 16:21 is left out
    assert list(zj.sort_values("secs")["note"].fillna("")) == ["", "补卡"]
    assert [x.row for x in load.problems if x.code == "invalid_punch"] == [162]
    fix = load.approvals[load.approvals["kind"] == "correction"]
    assert len(fix) == 13
    row = fix[(fix["key"] == "ZhouJie")].iloc[0]
    assert (row["date"], row["secs"], row["punch_kind"]) == (day("2026-02-14"), hm("18:00"), "out")
    s = load.schedule
    zq = one(s, "ZhaoQiang", "2026-02-27")
    assert (zq["start"], zq["end"], bool(zq["rest"])) == (hm("09:00"), hm("18:00"), False)
    assert s["rest"].sum() > 0
    assert len(load.people) == 14 and load.people["departed"].sum() >= 1
