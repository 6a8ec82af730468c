"""`cs-rules attendance MONTH [EMPLOYEE]`: the daily record (DATA.md "Commands", issue 12 §4, issue 14).

One row per person-day of the month for everyone employed in it, rest days included; each
workday's status is the one payroll counted, so the record and the payroll agree by construction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import make_folder, run_cli
from paths import REAL, SAMPLE

HEADER = ("employee_id,name,date,day_type,shift,punches,sign_in,sign_out,status,late_minutes,early_minutes,"
          "absent_days,leave,vendor_verdict,source,overtime_hours")
ROSTER = "employee_id,name,grade,hire_date,leave_date,notice_date,base_salary,schedule\n"


@pytest.fixture(autouse=True)
def _isolated(isolated: Path) -> None:
    """No $CS_RULES_DATA and no rules.toml from the caller's folder leak into a test."""


def records(*args: object) -> list[dict[str, str]]:
    res = run_cli("attendance", *args, "--format", "csv")
    assert res.exit_code == 0, res.stderr
    assert "\x1b" not in res.stdout
    return list(csv.DictReader(io.StringIO(res.stdout)))


def day(rows: list[dict[str, str]], emp: str, date: str) -> dict[str, str]:
    (hit,) = [r for r in rows if r["employee_id"] == emp and r["date"] == date]
    return hit


@pytest.fixture(scope="module")
def sample_rows() -> list[dict[str, str]]:
    res = run_cli("attendance", "2024-05", "--data", SAMPLE, "--format", "csv")
    assert res.exit_code == 0, res.stderr
    return list(csv.DictReader(io.StringIO(res.stdout)))


# ------------------------------------------------------------------------- the sample department
def test_one_row_per_person_day_of_everyone_employed(sample_rows: list[dict[str, str]]) -> None:
    """Counted from the roster by hand: each window [max(hire, 05-01), min(leave, 05-31)] in days."""
    wb = openpyxl.load_workbook(SAMPLE / "roster.xlsx", read_only=True, data_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    head = [str(c) for c in rows[1]]
    i_id, i_hire, i_leave = head.index("工号"), head.index("入职日期"), head.index("离职日期")
    first, last = dt.date(2024, 5, 1), dt.date(2024, 5, 31)
    want: dict[str, int] = {}
    for r in rows[2:]:
        hire = r[i_hire].date() if hasattr(r[i_hire], "date") else r[i_hire]
        leave = r[i_leave].date() if hasattr(r[i_leave], "date") else (r[i_leave] or last)
        lo, hi = max(hire, first), min(leave, last)
        if lo <= hi:
            want[str(r[i_id])] = (hi - lo).days + 1
    got: dict[str, int] = {}
    for r in sample_rows:
        got[r["employee_id"]] = got.get(r["employee_id"], 0) + 1
    assert got == want
    assert len(sample_rows) == sum(want.values())
    assert list(got) == list(want)  # roster order
    cs015 = [r["date"] for r in sample_rows if r["employee_id"] == "CS015"]
    assert cs015[0] == "2024-05-01" and cs015[-1] == "2024-05-17"  # leave_date is the last day


def test_csv_header_is_exact(sample_rows: list[dict[str, str]]) -> None:
    assert ",".join(sample_rows[0].keys()) == HEADER


def test_a_late_day_shows_its_minutes_and_source(sample_rows: list[dict[str, str]]) -> None:
    r = day(sample_rows, "CS002", "2024-05-06")
    assert (r["day_type"], r["shift"], r["status"], r["late_minutes"], r["early_minutes"]) == \
        ("workday", "default", "late", "5", "0")
    assert r["punches"] == "09:05;18:12" and r["sign_in"] == "09:05:00"
    assert r["source"] == "signin/2024-05.csv:25"  # relative to the data folder, header row = 1
    e = day(sample_rows, "CS002", "2024-05-08")
    assert (e["status"], e["early_minutes"]) == ("early", "10")


def test_leave_absent_and_rest_days(sample_rows: list[dict[str, str]]) -> None:
    leave = day(sample_rows, "CS002", "2024-05-09")
    assert (leave["status"], leave["leave"], leave["source"], leave["punches"]) == \
        ("leave", "personal", "leave.csv:12", "")
    absent = day(sample_rows, "CS002", "2024-05-10")
    assert (absent["status"], absent["absent_days"], absent["punches"]) == ("absent", "1", "")
    unapproved = day(sample_rows, "CS009", "2024-05-14")
    assert (unapproved["status"], unapproved["leave"], unapproved["source"]) == \
        ("absent", "personal (not approved)", "leave.csv:14")
    sunday = day(sample_rows, "CS002", "2024-05-12")
    assert (sunday["day_type"], sunday["status"], sunday["shift"], sunday["late_minutes"]) == \
        ("rest", "rest", "", "0")
    labour_day = day(sample_rows, "CS002", "2024-05-01")
    assert (labour_day["day_type"], labour_day["status"]) == ("holiday", "rest")
    makeup = day(sample_rows, "CS002", "2024-05-11")  # 调休上班 Saturday
    assert makeup["day_type"] == "workday"


def test_the_record_adds_up_to_the_payroll(sample_rows: list[dict[str, str]]) -> None:
    res = run_cli("payroll", "2024-05", "--data", SAMPLE, "--format", "json")
    pay = {e["employee_id"]: e for e in json.loads(res.stdout)["employees"]}
    for emp, e in pay.items():
        mine = [r for r in sample_rows if r["employee_id"] == emp]
        assert sum(r["day_type"] == "workday" for r in mine) == e["workdays"], emp
        assert sum(int(r["late_minutes"]) > 0 for r in mine) == e["late_count"], emp
        assert sum(int(r["early_minutes"]) > 0 for r in mine) == e["early_leave_count"], emp
        assert sum(float(r["absent_days"]) for r in mine) == e["absent_days"], emp
        assert sum("missing" in r["status"] for r in mine) == e["missing_punch_count"], emp


def test_json_shape_and_numbers() -> None:
    res = run_cli("attendance", "2024-05", "CS002", "--data", SAMPLE, "--format", "json")
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert set(doc) == {"month", "days"} and doc["month"] == "2024-05"
    assert len(doc["days"]) == 31
    assert list(doc["days"][0]) == HEADER.split(",")
    late = doc["days"][5]
    assert late["date"] == "2024-05-06" and late["late_minutes"] == 5 and isinstance(late["absent_days"], float)


def test_employee_by_id_and_by_name() -> None:
    by_id = records("2024-05", "CS002", "--data", SAMPLE)
    by_name = records("2024-05", "李娜", "--data", SAMPLE)
    assert by_id == by_name and len(by_id) == 31 and {r["employee_id"] for r in by_id} == {"CS002"}


def test_unknown_employee_is_a_usage_error_in_one_line() -> None:
    res = run_cli("attendance", "2024-05", "CS0022", "--data", SAMPLE)
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:")
    assert "no employee 'CS0022'" in lines[0] and "did you mean CS002" in lines[0]
    assert res.stdout == ""


def test_bad_month_and_format_are_usage_errors() -> None:
    assert run_cli("attendance", "2024-13", "--data", SAMPLE).exit_code == 2
    assert run_cli("attendance", "2024-05", "--data", SAMPLE, "--format", "xlsx").exit_code == 2  # needs -o


def test_tsv_table_and_xlsx(tmp_path: Path) -> None:
    tsv = run_cli("attendance", "2024-05", "CS002", "--data", SAMPLE, "--format", "tsv")
    assert tsv.stdout.splitlines()[0] == HEADER.replace(",", "\t")
    table = run_cli("attendance", "2024-05", "CS002", "--data", SAMPLE, "--format", "table")
    assert table.exit_code == 0 and "vendor_verdict" not in table.stdout  # no export: the column is left out
    text = tmp_path / "att.txt"
    assert run_cli("attendance", "2024-05", "CS002", "--data", SAMPLE, "-o", text).exit_code == 0
    assert "signin/2024-05.csv:25" in text.read_text("utf-8")
    out = tmp_path / "att.xlsx"
    res = run_cli("attendance", "2024-05", "--data", SAMPLE, "-o", out)
    assert res.exit_code == 0, res.stderr
    ws = openpyxl.load_workbook(out, read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert ",".join(rows[0]) == HEADER
    late = next(r for r in rows[1:] if r[0] == "CS002" and r[2].date() == dt.date(2024, 5, 6))
    assert (late[8], late[9], late[14]) == ("late", 5, "signin/2024-05.csv:25")


# ----------------------------------------------------------------------------- built folders
def folder(tmp_path: Path, roster: str, signin: str, **files: str) -> Path:
    return make_folder(tmp_path, {"roster.csv": ROSTER + roster, "signin/2024-05.csv": signin, **files})


def test_late_and_early_half_day_leave_missing_and_corrections(tmp_path: Path) -> None:
    root = folder(tmp_path, "E1,甲一,junior,2023-01-01,,,,\n",
                  "employee_id,date,sign_in,sign_out\n"
                  "E1,2024-05-06,09:10:30,17:40\n"   # late 11 min (to the second) and early 20
                  "E1,2024-05-07,09:20,\n"           # late and a missing sign-out
                  "E1,2024-05-08,08:50,\n"           # sign-out corrected by 补卡
                  "E1,2024-05-09,13:30,18:05\n"      # half-day leave in the morning
                  "E1,2024-05-12,10:00,15:00\n",     # Sunday worked
                  **{"leave.csv": "employee_id,start_date,end_date,type,half_day\n"
                                  "E1,2024-05-09,2024-05-09,sick,yes\nE1,2024-05-10,2024-05-10,annual,yes\n",
                     "corrections.csv": "employee_id,date,time,kind,reason,approved_by\n"
                                        "E1,2024-05-08,18:00,sign_out,忘记打卡,主管\n"})
    rows = records("2024-05", "--data", root, "--covered-through", "2024-05-31")
    both = day(rows, "E1", "2024-05-06")
    assert (both["status"], both["late_minutes"], both["early_minutes"]) == ("late;early", "11", "20")
    assert both["sign_in"] == "09:10:30" and both["punches"] == "09:10;17:40"
    assert day(rows, "E1", "2024-05-07")["status"] == "late;missing"
    fixed = day(rows, "E1", "2024-05-08")
    assert (fixed["status"], fixed["punches"], fixed["sign_out"]) == ("present", "08:50;18:00(补卡)", "18:00:00")
    half = day(rows, "E1", "2024-05-09")  # the afternoon attended: a leave day, late not judged
    assert (half["status"], half["leave"], half["absent_days"], half["late_minutes"]) == \
        ("leave", "sick 0.5", "0", "0")
    half_absent = day(rows, "E1", "2024-05-10")  # no punch for the other half: half a day 旷工
    assert (half_absent["status"], half_absent["leave"], half_absent["absent_days"], half_absent["source"]) == \
        ("absent", "annual 0.5", "0.5", "leave.csv:3")
    sunday = day(rows, "E1", "2024-05-12")  # a rest day worked: shown, not judged
    assert (sunday["day_type"], sunday["status"], sunday["punches"], sunday["source"]) == \
        ("rest", "rest", "10:00;15:00", "signin/2024-05.csv:6")


def test_raw_punches_show_every_punch_of_the_day(tmp_path: Path) -> None:
    root = folder(tmp_path, "E1,甲一,junior,2023-01-01,,,,\n",
                  "employee_id,punch_time\nE1,2024-05-06 08:55:10\nE1,2024-05-06 12:01:00\n"
                  "E1,2024-05-06 13:02:00\nE1,2024-05-06 18:03:00\nE1,2024-05-07 09:02:00\n")
    rows = records("2024-05", "--data", root, "--covered-through", "2024-05-31")
    r = day(rows, "E1", "2024-05-06")
    assert (r["punches"], r["sign_in"], r["sign_out"], r["status"]) == \
        ("08:55;12:01;13:02;18:03", "08:55:10", "18:03:00", "present")
    one = day(rows, "E1", "2024-05-07")
    assert (one["punches"], one["status"], one["late_minutes"]) == ("09:02", "late;missing", "2")


def test_days_no_sheet_covers_yet_are_no_data_with_a_warning(tmp_path: Path) -> None:
    """A clerk looks mid-month: payroll would refuse; the record shows what is there and exits 0."""
    root = folder(tmp_path, "E1,甲一,junior,2023-01-01,,,,\nE2,乙二,mid,2022-03-01,,,,\n",
                  "employee_id,date,sign_in,sign_out\nE1,2024-05-06,08:50,18:05\nE2,2024-05-06,08:55,18:10\n")
    res = run_cli("attendance", "2024-05", "--data", root, "--format", "csv")
    assert res.exit_code == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 62
    assert day(rows, "E1", "2024-05-06")["status"] == "present"
    later = [r for r in rows if r["employee_id"] == "E1" and r["date"] > "2024-05-06"]
    assert {r["status"] for r in later if r["day_type"] == "workday"} == {"no_data"}
    assert {r["status"] for r in later if r["day_type"] != "workday"} == {"rest"}
    assert all(r["absent_days"] == "0" for r in later)
    assert "warning:" in res.stderr and "2024-05-07..2024-05-31" in res.stderr and "--covered-through" in res.stderr
    assert "Traceback" not in res.stderr
    # stated complete, the same days are absences, as payroll would count them
    stated = records("2024-05", "--data", root, "--covered-through", "2024-05-31")
    assert day(stated, "E1", "2024-05-07")["status"] == "absent"
    assert run_cli("payroll", "2024-05", "--data", root, "--format", "csv").exit_code == 1


def test_data_errors_refuse_like_payroll(tmp_path: Path) -> None:
    root = folder(tmp_path, "E1,甲一,junior,2023-01-01,,,,\n",
                  "employee_id,date,sign_in,sign_out\nE1,2024-05-06,9h03,18:05\n")
    res = run_cli("attendance", "2024-05", "--data", root)
    assert res.exit_code == 1
    assert "signin/2024-05.csv:2:sign_in:" in res.stderr and res.stdout == ""


NIGHT_RULES = """
[shifts.night]
start = "20:00"
end = "08:00"

[shifts.early]
start = "07:00"
end = "15:00"

[schedules.nights]
week = ["night", "night", "night", "night", "night", "rest", "rest"]
"""


def test_each_day_shows_the_shift_it_was_judged_against(tmp_path: Path) -> None:
    """RULEBOOK §1b: a night schedule (a sheet's night row carries the start date, the sign-out is the next
    morning) and a rota (shifts.csv) that changes one person's shift and rest day."""
    root = folder(tmp_path, "N1,夜一,junior,2023-01-01,,,,nights\nR1,轮二,junior,2023-01-01,,,,\n",
                  "employee_id,date,sign_in,sign_out\n"
                  "N1,2024-05-06,19:55,08:05\nN1,2024-05-07,20:10,07:30\n"
                  "R1,2024-05-06,08:55,18:05\nR1,2024-05-07,07:05,15:00\nR1,2024-05-12,06:58,15:02\n",
                  **{"rules.toml": NIGHT_RULES,
                     "shifts.csv": "employee_id,date,shift\nR1,2024-05-07,early\nR1,2024-05-08,rest\n"
                                   "R1,2024-05-12,early\n"})
    rows = records("2024-05", "--data", root, "--covered-through", "2024-05-31")
    n = day(rows, "N1", "2024-05-06")
    assert (n["shift"], n["status"], n["punches"], n["sign_out"]) == \
        ("night", "present", "19:55;08:05(次日)", "08:05:00(次日)")
    n2 = day(rows, "N1", "2024-05-07")
    assert (n2["status"], n2["late_minutes"], n2["early_minutes"]) == ("late;early", "10", "30")
    saturday = day(rows, "N1", "2024-05-18")  # the schedule rests on Saturdays
    assert (saturday["day_type"], saturday["status"], saturday["shift"]) == ("rest", "rest", "")
    makeup = day(rows, "N1", "2024-05-11")  # 调休上班: a workday on the schedule's first shift
    assert (makeup["day_type"], makeup["shift"]) == ("workday", "night")
    assert day(rows, "R1", "2024-05-06")["shift"] == "default"
    early = day(rows, "R1", "2024-05-07")
    assert (early["shift"], early["status"], early["late_minutes"]) == ("early", "late", "5")
    assert (day(rows, "R1", "2024-05-08")["day_type"], day(rows, "R1", "2024-05-08")["shift"]) == ("rest", "")
    sunday = day(rows, "R1", "2024-05-12")  # the rota puts a shift on a Sunday: a workday
    assert (sunday["day_type"], sunday["shift"], sunday["status"]) == ("workday", "early", "present")


def test_raw_punches_of_a_night_shift_are_one_day(tmp_path: Path) -> None:
    root = folder(tmp_path, "N1,夜一,junior,2023-01-01,,,,nights\n",
                  "employee_id,punch_time\nN1,2024-05-06 19:58:00\nN1,2024-05-07 08:03:00\n",
                  **{"rules.toml": NIGHT_RULES})
    rows = records("2024-05", "--data", root, "--covered-through", "2024-05-31")
    assert day(rows, "N1", "2024-05-06")["punches"] == "19:58;08:03(次日)"
    assert day(rows, "N1", "2024-05-06")["status"] == "present"


# -------------------------------------------------------------------------- the real WeCom export
EXPORT = REAL / "wecom-上下班打卡_日报_20260201-20260228.xlsx"


@pytest.mark.skipif(not EXPORT.exists(), reason="shared WeCom fixture not present")
def test_real_wecom_export_every_day_carries_the_exports_verdict(tmp_path: Path) -> None:
    (tmp_path / "signin").mkdir()
    shutil.copy(EXPORT, tmp_path / "signin" / EXPORT.name)
    res = run_cli("roster", "init", "--from", tmp_path / "signin" / EXPORT.name, "-o", tmp_path / "roster.csv")
    assert res.exit_code == 0, res.stderr
    rows = list(csv.reader(io.StringIO((tmp_path / "roster.csv").read_text("utf-8-sig"))))
    for r in rows[1:]:
        r[2], r[3] = "junior", "2025-06-01"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    (tmp_path / "roster.csv").write_text(buf.getvalue(), "utf-8")
    (tmp_path / "calendar.csv").write_text("date,type,name\n2026-02-24,workday,无人打卡（已核实）\n", "utf-8")
    (tmp_path / "rules.toml").write_text('[attendance]\nschedule = "vendor"\n', "utf-8")

    # the export's own verdict per person-day, read independently of the loaders (概况统计与打卡明细)
    wb = openpyxl.load_workbook(EXPORT, read_only=True, data_only=True)
    sheet = list(wb["概况统计与打卡明细"].iter_rows(values_only=True))
    head = [str(c or "") for c in sheet[2]]
    sub = [str(c or "") for c in sheet[3]]
    i_date, i_acct = head.index("时间"), head.index("账号")
    i_result = next(i for i, (a, b) in enumerate(zip(head, sub, strict=False)) if "考勤结果" in a + b)
    want = {}
    for r in sheet[4:]:
        if r[i_acct] and r[i_date] and r[i_result] not in (None, "", "--"):
            y, m, d = (int(x) for x in str(r[i_date])[:10].split("/"))
            want[(str(r[i_acct]), f"{y:04d}-{m:02d}-{d:02d}")] = str(r[i_result])

    got = records("2026-02", "--data", tmp_path)
    assert len(got) == 14 * 28
    by_day = {(r["employee_id"], r["date"]): r for r in got}
    assert want and set(want) <= set(by_day)
    for k, text in want.items():
        assert by_day[k]["vendor_verdict"] == text, k
    late = [r for r in got if r["vendor_verdict"].startswith("迟到")]
    assert late and all(r["status"].startswith("late") and int(r["late_minutes"]) > 0 for r in late)
    assert all(r["shift"].startswith("vendor:") or r["shift"] == "default" for r in got if r["day_type"] == "workday")
    assert all(r["source"].startswith("signin/wecom-") for r in got if r["punches"])
    fixed = [r for r in got if "(补卡)" in r["punches"]]
    assert fixed  # the export's approved corrections are marked, and shown once (not again as a correction)
    for r in fixed:
        times = [p[:5] for p in r["punches"].split(";")]
        assert len(times) == len(set(times)), r
