"""Regressions found by running real public exports through cs-rules (issue 12), each rebuilt here
with made-up people (张三, 测试员 …, ids E001 …) in the real layout's shape: nothing of the real files
is in the repository."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
from conftest import make_folder, run_cli

ROSTER = "employee_id,name,grade,hire_date,vendor_id\n"


def _xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path.read_bytes()


def _validate(root: Path) -> dict[str, Any]:
    result = run_cli("validate", "--data", root, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def _problems(report: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [p for f in report["files"] for p in f["errors"] + f["warnings"] if p["code"] == code]


def test_a_sheet_of_pasted_punch_lines_beside_a_zkteco_log_is_named_not_dropped(tmp_path: Path) -> None:
    """打卡机考勤导出.xlsx: Sheet1 is the ZKTeco log, Sheet2 the same month's punches pasted as one
    column of text lines ('张三  2019/5/13  08:40  20:58'); Sheet2 was skipped without a word."""
    log = [["部门", "姓名", "考勤号码", "日期时间", "机器号", "编号", "比对方式", "卡号"],
           ["总公司", "张三", "1", "2019/5/21 8:41:02", "1", None, "指纹", None],
           ["总公司", "张三", "1", "2019/5/21 18:32:10", "1", None, "指纹", None],
           ["总公司", "李四", "2", "2019/5/21 8:55:40", "1", None, "面部", None]]
    pasted = [["张三  2019/5/13  08:40  20:58"], ["张三  2019/5/14    20:31"], ["李四  2019/5/13  08:39  "]]
    book = _xlsx(tmp_path / "x.xlsx", {"Sheet1": log, "Sheet2": pasted})
    root = make_folder(tmp_path, {"roster.csv": ROSTER + "E001,张三,junior,2015-01-01,1\nE002,李四,junior,"
                                                        "2015-01-01,2\n", "signin/打卡机考勤导出.xlsx": book})
    (p,) = _problems(_validate(root), "sheet_not_read")
    assert "Sheet2" in p["message"] and "3 rows" in p["message"]


def test_sheets_said_are_whole_names() -> None:
    """An adapter's parts name sheets whole: ``Sheet1`` read does not make ``Sheet10`` said."""
    from cs_rules.loading.vendors.registry import _sheets_said

    said = _sheets_said(["Sheet1", "每日统计 (cross-checked)", "not read: 考勤汇总, 异常统计 (summaries of the same punches)"])
    assert said == {"Sheet1", "每日统计", "考勤汇总", "异常统计"}
    assert "Sheet10" not in said


# --------------------------------------------------------------------------- a clock number, several names

DETAIL_HEAD = ["序号", "姓名", "日期", "对应时段", "签到时间", "签退时间", "应到", "实到", "迟到时间", "早退时间",
               "是否旷工", "加班时间", "工作时间", "例外情况", "应签到", "应签退", "部门"]


def _detail_row(num: str, name: str, day: int, sin: str, sout: str, late: str = "", early: str = "",
                absent: str = "") -> list[Any]:
    return [num, name, f"2019/5/{day}", "1", sin, sout, "1", "1" if sin or sout else "", late, early, absent,
            "", "", "", "True", "True", "总公司"]


def _shared_number_book(tmp_path: Path) -> bytes:
    """1-29.xls: a ZKTeco in/out detail whose 序号 is the person's clock number, and number 641 carries
    several names (a number given again to a newcomer while the first holder still punched)."""
    rows = [DETAIL_HEAD]
    for d in range(6, 11):
        rows.append(_detail_row("101", "张三", d, "08:50", "18:05"))
    for d in range(6, 11):
        rows.append(_detail_row("641", "测试甲", d, "08:41", "18:31"))
    for d in range(8, 11):
        rows.append(_detail_row("641", "测试乙", d, "09:00", "18:00"))
    for d in range(6, 11):
        rows.append(_detail_row("102", "李四", d, "08:55", "18:10"))
    return _xlsx(tmp_path / "detail.xlsx", {"1-29": rows})


def _attendance(root: Path, month: str = "2019-05") -> dict[tuple[str, str], dict[str, Any]]:
    import calendar

    y, m = (int(x) for x in month.split("-"))
    result = run_cli("attendance", month, "--data", root, "--format", "json", "--covered-through",
                     f"{month}-{calendar.monthrange(y, m)[1]:02d}")
    assert result.exit_code == 0, result.stderr
    return {(d["employee_id"], d["date"]): d for d in json.loads(result.stdout)["days"]}


def test_roster_init_lists_every_name_of_a_shared_clock_number(tmp_path: Path) -> None:
    from cs_rules import api
    from cs_rules.problems import Problem

    path = tmp_path / "1-29.xlsx"
    path.write_bytes(_shared_number_book(tmp_path))
    warnings: list[Problem] = []
    skeleton = api.roster_init(path, warnings)
    assert list(skeleton["employee_id"]) == ["101", "641-测试甲", "641-测试乙", "102"]
    assert list(skeleton["vendor_id"]) == ["101", "641", "641", "102"]
    assert "own number in the clock" in str(skeleton["note"].iloc[1])
    (w,) = [p for p in warnings if p.code == "one_number_two_names"]
    assert w.row == 7 and w.sheet == "1-29"
    assert "测试甲 (row 7)" in w.message and "测试乙 (row 12)" in w.message and "641-测试乙" in w.message
    # the command says it too, on stderr, and writes every name
    out = run_cli("roster", "init", "--from", path)
    assert out.exit_code == 0 and "clock number '641' carries 2 names" in out.stderr
    assert out.stdout.count("\n") == 5


def test_a_shared_clock_number_pays_each_name_from_their_own_punches(tmp_path: Path) -> None:
    from cs_rules import api

    path = tmp_path / "1-29.xlsx"
    book = _shared_number_book(tmp_path)
    path.write_bytes(book)
    skeleton = api.roster_init(path).fillna("")
    skeleton["grade"], skeleton["hire_date"] = "junior", "2018-01-01"
    root = make_folder(tmp_path, {"roster.csv": skeleton.to_csv(index=False), "signin/1-29.xlsx": book})
    days = _attendance(root)
    assert (days[("641-测试甲", "2019-05-08")]["sign_in"], days[("641-测试甲", "2019-05-08")]["sign_out"]) \
        == ("08:41:00", "18:31:00")
    assert (days[("641-测试乙", "2019-05-08")]["sign_in"], days[("641-测试乙", "2019-05-08")]["sign_out"]) \
        == ("09:00:00", "18:00:00")
    assert days[("641-测试乙", "2019-05-08")]["punches"] == "09:00;18:00"
    report = _validate(root)
    assert len(_problems(report, "one_number_two_names")) == 1
    assert not _problems(report, "unknown_person")


def test_a_roster_giving_the_shared_number_to_one_person_does_not_take_the_others_punches(tmp_path: Path) -> None:
    """A roster written before: 641 is 测试甲's vendor_id.  测试乙's punches under 641 are not merged
    into 测试甲's days: they are a person not on the roster, said as such."""
    roster = ROSTER + ("E001,张三,junior,2018-01-01,101\nE641,测试甲,junior,2018-01-01,641\n"
                       "E002,李四,junior,2018-01-01,102\n")
    root = make_folder(tmp_path, {"roster.csv": roster, "signin/1-29.xlsx": _shared_number_book(tmp_path)})
    days = _attendance(root)
    assert days[("E641", "2019-05-08")]["punches"] == "08:41;18:31"
    (unknown,) = _problems(_validate(root), "unknown_person")
    assert "测试乙" in unknown["message"]


def test_two_roster_people_with_one_vendor_id_are_told_apart_by_name(tmp_path: Path) -> None:
    roster = ROSTER + ("E001,张三,junior,2018-01-01,101\nE641,测试甲,junior,2018-01-01,641\n"
                       "E642,测试乙,junior,2018-01-01,641\nE002,李四,junior,2018-01-01,102\n")
    root = make_folder(tmp_path, {"roster.csv": roster, "signin/1-29.xlsx": _shared_number_book(tmp_path)})
    days = _attendance(root)
    assert days[("E641", "2019-05-08")]["punches"] == "08:41;18:31"
    assert days[("E642", "2019-05-08")]["punches"] == "09:00;18:00"
    assert not _problems(_validate(root), "unknown_person")


def test_zkteco_placeholder_late_and_early_figures_of_a_missing_punch_are_not_disagreements(tmp_path: Path) -> None:
    """12月考勤原始表.xls: on a day without a check-in the clock writes 迟到 00:01, on one without a
    check-out 早退 00:00 — the day is 缺卡 on both sides, no verdict differs (135 warnings of noise).
    A real difference (早退 00:10 at 17:50, which the rulebook does not call early) still warns."""
    rows: list[list[Any]] = [["考勤号码", "姓名", "日期", "对应时段", "签到时间", "签退时间", "迟到时间", "早退时间"]]
    special = {3: ("", "18:05", "00:01", ""), 4: ("08:50", "", "", "00:00"), 10: ("", "18:02", "00:01", ""),
               11: ("08:47", "", "", "00:00"), 5: ("08:50", "17:50", "", "00:10")}
    for num, name in (("1", "张三"), ("2", "李四")):
        for d in range(1, 32):
            sin, sout, late, early = ("", "", "", "") if d in (1, 8, 15, 22, 29) else ("08:50", "18:05", "", "")
            if num == "1" and d in special:
                sin, sout, late, early = special[d]
            rows.append([num, name, f"2019/12/{d}", "白班", sin, sout, late, early])
    book = _xlsx(tmp_path / "d.xlsx", {"030030": rows})
    root = make_folder(tmp_path, {"roster.csv": ROSTER + "E001,张三,junior,2015-01-01,1\nE002,李四,junior,"
                                                        "2015-01-01,2\n", "signin/12月考勤原始表.xlsx": book})
    (p,) = _problems(_validate(root), "vendor_disagrees")
    assert "12-05 (早退 early: vendor yes / cs-rules no)" in p["message"] and "1 day(s)" in p["message"]
    days = _attendance(root, "2019-12")
    assert days[("E001", "2019-12-03")]["status"] == "missing" and days[("E001", "2019-12-04")]["status"] == "missing"


def _signin_report_book(tmp_path: Path) -> bytes:
    """钉钉签到报表(…)1-29.xls: sheets 已签到 (one row per check-in) and 未签到 (people without one)."""
    period = "统计日期: 2024-05-01 至 2024-05-31    报表生成时间: 2024-06-01 20:58:24"
    signed = [["钉钉签到报表"] + [""] * 11, [period] + [""] * 11,
              ["姓名", "工号", "部门", "完整部门", "职位", "日期", "时间", "经度", "纬度", "地点", "拜访对象", "备注"],
              ["张三", "E001", "销售一部", "销售中心-销售一部", "销售顾问", "2024-05-06", "09:02:11", "114.08", "22.54",
               "测试大厦", "", "签到"],
              ["张三", "E001", "销售一部", "销售中心-销售一部", "销售顾问", "2024-05-06", "17:45:40", "114.08", "22.54",
               "测试大厦", "", "签退"],
              ["测试员[离职]", "", "", "", "销售顾问", "2024-05-07", "10:06:44", "113.87", "22.56", "样例广场", "",
               ""]]
    unsigned = [["钉钉签到报表(未签到员工1人)", "", "", "", ""], [period, "", "", "", ""],
                ["姓名", "工号", "部门", "完整部门", "职位"], ["李四", "E002", "人力资源部", "人力资源中心-人力资源部", "专员"]]
    return _xlsx(tmp_path / "s.xlsx", {"已签到": signed, "未签到": unsigned})


def test_dingtalk_signin_report_is_read_as_check_ins(tmp_path: Path) -> None:
    """钉钉签到报表 was refused as an "unknown DingTalk report": its 已签到 rows are check-ins (日期 + 时间),
    its 未签到 sheet the people without one — people, not punches left unread."""
    from cs_rules import api
    from cs_rules.loading.sources import Source, open_source
    from cs_rules.loading.vendors import detect_vendor, load_vendor

    path = tmp_path / "钉钉签到报表(测试公司)1-31.xlsx"
    path.write_bytes(_signin_report_book(tmp_path))
    src = open_source(path)
    assert isinstance(src, Source)
    load = load_vendor(src, detect_vendor(src) or "")
    assert load.vendor == "dingtalk" and not load.problems, [p.format() for p in load.problems]
    assert len(load.punches) == 3 and set(load.punches["_sheet"]) == {"已签到"}
    assert (load.period is not None and str(load.period[0]), len(load.signins)) == ("2024-05-01", 2)
    day = load.signins.set_index("key").loc["E001"]
    assert (day["sign_in"], day["sign_out"]) == (9 * 3600 + 2 * 60 + 11, 17 * 3600 + 45 * 60 + 40)
    skeleton = api.roster_init(path)
    assert list(skeleton["name"]) == ["张三", "测试员", "李四"]
    assert "离职" in str(skeleton["note"].iloc[1])
    roster = ROSTER + "E001,张三,junior,2015-01-01,\nE002,李四,junior,2015-01-01,\n"
    root = make_folder(tmp_path, {"roster.csv": roster, "signin/" + path.name: path.read_bytes()})
    report = _validate(root)
    assert not _problems(report, "sheet_not_read") and not _problems(report, "vendor_header")
    days = _attendance(root, "2024-05")
    assert days[("E001", "2024-05-06")]["punches"] == "09:02(签到);17:45(签到)"


def test_attendance_source_names_the_sheet_of_a_workbook_of_several_sheets(tmp_path: Path) -> None:
    """考勤报表.xlsx (打卡时间 + 原始记录 + 月度汇总 + 每日统计): a source 'file:row' could be a row of any of
    the four sheets — it is file[sheet]:row, as problems name a place; a one-sheet file stays file:row."""
    import re
    import shutil

    from cs_rules import api

    fix = Path(__file__).parent / "fixtures" / "vendors"
    for name, month, want in (("dingtalk-考勤报表.xlsx", "2026-06", r"signin/dingtalk-考勤报表\.xlsx\[(原始记录|每日统计)\]:\d+"),
                              ("zkteco-考勤明细.xlsx", "2019-05", r"signin/zkteco-考勤明细\.xlsx:\d+")):
        root = tmp_path / name / "data"
        (root / "signin").mkdir(parents=True)
        shutil.copy(fix / name, root / "signin" / name)
        skeleton = api.roster_init(root / "signin" / name).fillna("")
        skeleton["grade"], skeleton["hire_date"] = "junior", "2018-01-01"
        skeleton["name"] = skeleton["name"].mask(skeleton["name"] == "", "员工" + skeleton["employee_id"])
        (root / "roster.csv").write_text(skeleton.to_csv(index=False), "utf-8")
        days = _attendance(root, month)
        sources = {d["source"] for d in days.values() if d["source"]}
        assert sources and all(re.fullmatch(want, s) for s in sources), sorted(sources)[:5]
        assert "[" not in want or any("[原始记录]" in s for s in sources)


def test_attlog_dat_with_letters_in_the_pin_is_a_clock_log(tmp_path: Path) -> None:
    """Some ZKTeco devices write the user PIN with letters (EMP-20001): still attlog.dat — PIN, date-time,
    verify, in/out state, work code — while a two-column list of ids and times is not taken for one."""
    from cs_rules.loading.sources import Source, open_source
    from cs_rules.loading.vendors import detect_vendor

    log = ("EMP-20001\t2024-05-06 08:51:11\t1\t0\t0\t0\r\nEMP-20001\t2024-05-06 18:01:40\t1\t1\t0\t0\r\n"
           "EMP-20002\t2024-05-06 08:40:05\t15\t0\t0\t0\r\nEMP-20002\t2024-05-06 17:59:59\t15\t1\t0\t0\r\n")
    root = make_folder(tmp_path, {"roster.csv": ROSTER + "E001,张三,junior,2015-01-01,EMP-20001\n"
                                                        "E002,李四,junior,2015-01-01,EMP-20002\n",
                                  "signin/attlog.dat": log})
    src = open_source(root / "signin" / "attlog.dat")
    assert isinstance(src, Source) and detect_vendor(src) == "attlog"
    days = _attendance(root, "2024-05")
    assert days[("E001", "2024-05-06")]["punches"] == "08:51;18:01"
    assert days[("E002", "2024-05-06")]["sign_in"] == "08:40:05"
    for name, text in (("ids.dat", "E001\t2024-05-06 08:51\r\nE002\t2024-05-06 08:52\r\n"),
                       ("ids.csv", "E001,2024-05-06 08:51:11,x,y\r\nE002,2024-05-06 08:52:00,x,y\r\n")):
        (tmp_path / name).write_text(text, "utf-8")
        other = open_source(tmp_path / name)
        assert isinstance(other, Source) and detect_vendor(other) != "attlog"


def test_roster_init_lists_both_names_of_a_shared_hr_id(tmp_path: Path) -> None:
    """签到报表 20191201-20191231.xls: 工号 373 carries two names.  The 工号 is HR's own id, so it is not
    split; roster init lists both names under it (with a note), and the roster check then asks whose it is."""
    from cs_rules import api

    period = "统计日期: 2024-05-01 至 2024-05-31    报表生成时间: 2024-06-01 20:58:24"
    signed = [["钉钉签到报表"] + [""] * 7, [period] + [""] * 7,
              ["姓名", "工号", "部门", "完整部门", "职位", "日期", "时间", "地点"],
              ["张三", "373", "销售一部", "销售中心-销售一部", "销售顾问", "2024-05-06", "09:02:11", "测试大厦"],
              ["李四", "", "销售一部", "销售中心-销售一部", "销售顾问", "2024-05-06", "09:12:00", "样例广场"],
              ["测试员", "373", "销售二部", "销售中心-销售二部", "销售顾问", "2024-05-07", "10:06:44", "样例广场"]]
    path = tmp_path / "签到报表.xlsx"
    _xlsx(path, {"已签到": signed})
    skeleton = api.roster_init(path)
    assert list(zip(skeleton["employee_id"], skeleton["name"], strict=True)) == [
        ("373", "张三"), ("373", "测试员"), ("李四", "李四")]
    assert "several names" in str(skeleton["note"].iloc[1])
