"""Issue 12, done when: every layout dropped into signin/ as exported — ``roster init``
lists everyone on it, ``validate`` and ``payroll`` run without a traceback, and the
month's sign-in days are the fixture's."""

from __future__ import annotations

import calendar
import csv
import io
import shutil
from pathlib import Path

import pytest
from fixtures.vendors import make_layouts as M

from cs_rules import api
from cs_rules.loading.sources import Source, open_source
from cs_rules.problems import DataError, UsageError

FIX = Path(__file__).parent / "fixtures" / "vendors"
EXPECTED = M.expected()
MONTHS = {"dingtalk-考勤报表.xlsx": "2026-06", "dingtalk-打卡时间-holidays.xlsx": "2026-06",
          "zkteco-考勤记录.xlsx": "2024-05", "zkteco-考勤记录-多年.csv": "2024-05", "zkteco-考勤明细.xlsx": "2019-05",
          "zktime-出勤记录.csv": "2019-10", "attlog.dat": "2019-10", "clock-标准报表.xlsx": "2019-10",
          "clock-员工刷卡记录表.xlsx": "2019-10", "clock-考勤报表.xlsx": "2019-10",
          "clock-software-刷卡记录.xlsx": "2018-10", "cloud-考勤明细.csv": "2024-05", "hr-app-打卡记录.xlsx": "2024-05",
          "handmade-考勤表.xlsx": "2024-05"}


def folder(tmp_path: Path, name: str) -> Path:
    if not isinstance(open_source(FIX / name), Source):
        pytest.skip(f"{Path(name).suffix} files are not opened by this build's sources.py yet")
    (tmp_path / "signin").mkdir()
    shutil.copy(FIX / name, tmp_path / "signin" / name)
    skeleton = api.roster_init(tmp_path / "signin" / name)
    assert len(skeleton) == EXPECTED[name]["people"]
    roster = skeleton.astype(object).where(skeleton.notna(), "")
    roster["grade"], roster["hire_date"] = "junior", "2018-01-01"  # HR fills in grade and hire date,
    roster["name"] = roster["name"].mask(roster["name"] == "", "员工" + roster["employee_id"])  # and names
    buf = io.StringIO()
    roster.to_csv(buf, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    (tmp_path / "roster.csv").write_text(buf.getvalue(), "utf-8")
    return tmp_path


@pytest.mark.parametrize("name", sorted(MONTHS))
def test_layout_in_a_data_folder(tmp_path: Path, name: str) -> None:
    root = folder(tmp_path, name)
    month = MONTHS[name]
    y, m = (int(x) for x in month.split("-"))
    last = f"{month}-{calendar.monthrange(y, m)[1]:02d}"
    result = api.validate([], root, covered_through=last)
    data = result.data
    # what the files hold is read without an error; a day in the month nobody punched is the month
    # review's question (payroll asks it too, below)
    errors = [p.format() for p in data.problems.errors if p.code != "nobody_punched"]
    assert not errors, errors
    assert not [p for p in data.problems.items if p.code in ("unknown_person", "not_on_roster", "did_you_mean")]
    assert data.signins["employee_id"].notna().all()
    assert len(data.signins) == EXPECTED[name]["person_days"]
    assert len(data.punches) == EXPECTED[name]["punches"]
    ctx = api.open_data(root)
    try:
        res = api.payroll(ctx, month, with_history=False)
    except DataError as exc:
        # an export of part of the month: the days it does not cover are refused, never paid as 旷工
        # (issue 13 §2); the clerk who knows the sheets are complete says so
        assert {p.code for p in exc.problems} <= {"not_covered", "nobody_punched"}, [p.format() for p in exc.problems]
        try:
            res = api.payroll(ctx, month, with_history=False, covered_through=last)
        except DataError as again:
            assert {p.code for p in again.problems} == {"nobody_punched"}, [p.format() for p in again.problems]
            return
    except UsageError as exc:  # said in words, never a traceback
        pytest.fail(f"payroll refused: {exc}")
    assert len(res.payroll_json()["employees"]) == EXPECTED[name]["people"]


def test_unknown_layout_in_roster_init_names_the_exports_read(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as exc:
        api.roster_init(FIX / "not-attendance.xlsx")
    text = exc.value.format()
    assert "not a sign-in sheet or an attendance export" in text and "ZKTeco" in text and "DingTalk" in text


def test_wecom_monthly_in_roster_init_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError) as exc:
        api.roster_init(FIX / "wecom-月报.xlsx")
    assert [p.code for p in exc.value.problems] == ["wecom_monthly"]


def test_attach_fills_the_dataset_tables_with_their_columns(tmp_path: Path) -> None:
    from cs_rules.model.inputs import TYPED_COLUMNS

    root = folder(tmp_path, "dingtalk-考勤报表.xlsx")
    data = api.validate([], root).data
    where = ["_file", "_sheet", "_row"]
    for table in ("punches", "approvals", "corrections", "vendor_schedule", "leave", "signins"):
        frame = getattr(data, table)
        assert list(frame.columns) == TYPED_COLUMNS[table] + where, table
        assert len(frame) and frame["employee_id"].notna().all(), table
    assert sorted(data.approvals["kind"]) == ["outing", "trip"]
    fix = data.corrections.iloc[0]
    assert (fix["employee_id"], fix["secs"], fix["approved_by"]) == ("D002", 18 * 3600.0, "DingTalk 补卡审批")
    assert len(data.vendor_schedule) == 4 * 7 and data.vendor_schedule["rest"].sum() == 4 * 2
    assert len(data.vendor) == 1 and "employee_id" in data.vendor[0].verdicts


def test_unknown_layout_in_signin_names_the_columns_and_the_exports_read(tmp_path: Path) -> None:
    from conftest import make_folder, valid_files

    root = make_folder(tmp_path, valid_files(**{
        "signin/2024-05-b.xlsx": (FIX / "not-attendance.xlsx").read_bytes()}))
    data = api.validate([], root).data
    err = [p for p in data.problems.errors if p.file.endswith("2024-05-b.xlsx")]
    assert len(err) == 1 and err[0].code == "missing_column"
    text = err[0].format()
    assert "employee_id" in text and "sign-in sheet" in text          # the columns expected
    for what in ("上下班打卡_日报", "DingTalk", "ZKTeco", "考勤记录", "attlog.dat"):  # and the exports read
        assert what in text, what


def test_dingtalk_reports_exported_one_by_one_are_read_once(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    (tmp_path / "signin").mkdir()
    for sheet in ("打卡时间", "月度汇总", "每日统计"):
        wb = load_workbook(FIX / "dingtalk-考勤报表.xlsx")
        for other in list(wb.sheetnames):
            if other != sheet:
                del wb[other]
        wb.save(tmp_path / "signin" / f"{sheet}.xlsx")
    skeleton = api.roster_init(tmp_path / "signin" / "打卡时间.xlsx")
    roster = skeleton.astype(object).where(skeleton.notna(), "")
    roster["grade"], roster["hire_date"] = "junior", "2018-01-01"
    roster.to_csv(tmp_path / "roster.csv", index=False)
    data = api.validate([], tmp_path, covered_through="2026-06-30").data
    assert not [p.format() for p in data.problems.errors if p.code != "nobody_punched"]
    exp = EXPECTED["dingtalk-考勤报表.xlsx"]
    assert len(data.signins) == exp["person_days"]
    assert not data.signins.duplicated(["employee_id", "date"]).any()
    assert len(data.leave) == 2 and sorted(data.approvals["kind"]) == ["outing", "trip"]
    assert len(data.corrections) == 1 and not data.vendor_schedule.duplicated(["employee_id", "date"]).any()
    once = [p for p in data.problems.items if p.code == "read_once"]
    assert once and all(p.severity == "info" for p in once)
    assert set(data.signins["_file"].str.rsplit("/", n=1).str[-1]) == {"打卡时间.xlsx"}  # the fuller view


@pytest.mark.parametrize("name", sorted(MONTHS))
def test_attendance_shows_every_person_day_with_a_punch(tmp_path: Path, name: str) -> None:
    """Issue 12, done when: `cs-rules attendance MONTH` shows every person-day that has a punch, and
    every punch of it, counted against what the layout's fixture holds for the month."""
    import pandas as pd

    root = folder(tmp_path, name)
    ctx = api.open_data(root)
    month = MONTHS[name]
    first = pd.Timestamp(f"{month}-01")
    nxt = first + pd.offsets.MonthBegin(1)
    s = ctx.data.signins
    in_month = s[(s["date"] >= first) & (s["date"] < nxt)]
    want_days = {(str(e), f"{d:%Y-%m-%d}") for e, d in zip(in_month["employee_id"], in_month["date"], strict=True)
                 if e == e}
    days = api.attendance(ctx, month).days
    punched = days[days["punches"] != ""]
    got_days = set(zip(punched["employee_id"].astype(str), punched["date"].astype(str), strict=True))
    assert got_days == want_days
    p = ctx.data.punches
    if len(p):  # layouts that keep every punch: each one is shown on its day
        p = p[(p["date"] >= first) & (p["date"] < nxt) & p["secs"].notna() & p["employee_id"].notna()]
        shown = sum(len(x.split(";")) for x in punched["punches"])
        fixes = sum(x.count("(补卡)") for x in punched["punches"])
        assert shown - fixes <= len(p) <= shown, (shown, fixes, len(p))
