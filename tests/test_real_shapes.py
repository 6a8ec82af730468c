"""Shapes met in real exports (issue 12, 13), each a made-up fixture: a clock program's footer,
a punch tapped twice, two kinds of leave on one day, an export that starts mid-month, a
department that rests on Saturdays."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
from conftest import run_cli


def _raw_folder(tmp_path: Path, punches: list[str], roster: str = "E1,张三\nE2,李四\n") -> Path:
    (tmp_path / "signin").mkdir()
    (tmp_path / "roster.csv").write_text("employee_id,name,grade,hire_date\n" + "".join(
        f"{r},junior,2015-01-01\n" for r in roster.strip().splitlines()), "utf-8")
    (tmp_path / "signin" / "打卡记录.csv").write_text("工号,姓名,打卡时间\n" + "".join(f"{p}\n" for p in punches),
                                                   "utf-8")
    return tmp_path


def test_a_punch_tapped_twice_is_one_punch_a_missing_sign_out(tmp_path: Path) -> None:
    """DingTalk lists 18:01 18:01: one punch (the morning one is missing), never a sign-out that
    is not after the sign-in."""
    from cs_rules.loading.vendors.cells import collapse

    p = pd.DataFrame({"key_kind": "employee_id", "key": ["E1", "E1", "E1"], "name": "张三", "vendor_id": None,
                      "date": pd.to_datetime(["2024-05-06"] * 3), "secs": [64860.0, 64860.0 + 20, 32400.0 + 86400],
                      "_row": [2, 2, 3], "_file": "x", "_sheet": "", "kind": None})
    day = collapse(p.iloc[:2])
    assert day["sign_in"].iloc[0] == 64860.0 and pd.isna(day["sign_out"].iloc[0])
    root = _raw_folder(tmp_path, ["E1,张三,2024-05-06 18:01:00", "E1,张三,2024-05-06 18:01:20",
                                  "E2,李四,2024-05-06 08:55:00", "E2,李四,2024-05-06 18:05:00"])
    result = run_cli("payroll", "2024-05", "--data", root, "--format", "json", "--covered-through", "2024-05-31")
    assert result.exit_code == 0, result.stderr
    e1 = json.loads(result.stdout)["employees"][0]
    assert e1["missing_punch_count"] == 1


def test_two_kinds_of_leave_on_one_day_become_one_with_a_warning() -> None:
    from cs_rules.loading.vendors.base import VendorLoad
    from cs_rules.loading.vendors.dingtalk import _one_leave_a_day

    class Src:
        display = "signin/考勤报表.xlsx"

    day = pd.Timestamp("2026-05-11")
    out = pd.DataFrame({"_row": [3394, 3394, 3400], "date": [day, day, day], "name": ["刘晶", "刘晶", "王五"],
                        "type": ["personal", "lieu", "annual"], "half_day": [False, True, True],
                        "_hours": [7.0, 1.0, 4.0], "_label": ["事假 7小时", "调休 1小时", "年假 0.5天"]})
    load = VendorLoad("dingtalk")
    kept = _one_leave_a_day(Src(), load, out, "每日统计")  # type: ignore[arg-type]
    assert list(kept["type"]) == ["personal", "annual"] and list(kept["half_day"]) == [False, True]
    (p,) = load.problems
    assert (p.row, p.code, p.severity) == (3394, "leave_merged", "warning")
    assert "事假 7小时, 调休 1小时 on one day — counted as personal one day" in p.message


def test_an_export_starting_mid_month_does_not_fail_validate_on_that_month(tmp_path: Path) -> None:
    """A clock export of 09-25..10-31: September is the edge of the data (payroll 2018-09 refuses
    it); validate says so as a warning and checks October in full."""
    days = [dt.date(2018, 9, 25) + dt.timedelta(days=i) for i in range(37)]
    punches = [f"{e},{n},{d} {t}" for d in days if not (dt.date(2018, 10, 1) <= d <= dt.date(2018, 10, 7))
               for e, n in (("E1", "张三"), ("E2", "李四")) for t in ("08:55:00", "18:05:00")]
    root = _raw_folder(tmp_path, punches)
    result = run_cli("validate", "--data", root)
    assert result.exit_code == 0, result.stdout
    warn = [ln for ln in result.stdout.splitlines() if ln.startswith("warning:") and "2018-09" in ln]
    assert warn and "payroll 2018-09 refuses it" in warn[0]
    assert run_cli("payroll", "2018-09", "--data", root, "--format", "csv").exit_code == 1


def test_a_department_resting_on_saturdays_is_told_how_to_say_so(tmp_path: Path) -> None:
    days = [dt.date(2024, 5, d) for d in range(6, 32)]
    punches = [f"{e},{n},{d} {t}" for d in days if d.isoweekday() <= 5 or d == dt.date(2024, 5, 11)
               for e, n in (("E1", "张三"), ("E2", "李四"), ("E3", "王五")) for t in ("08:55:00", "18:05:00")]
    root = _raw_folder(tmp_path, punches, "E1,张三\nE2,李四\nE3,王五\n")
    result = run_cli("payroll", "2024-05", "--data", root, "--format", "csv", "--covered-through", "2024-05-31")
    lines = [ln for ln in result.stderr.splitlines() if "星期六" in ln]
    assert lines and "[schedules.default] week = [" in lines[0] and '"rest", "rest"]' in lines[0]
