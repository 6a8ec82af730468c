"""Overtime (加班, 劳动法 第44条, issue 14 §5): approved hours from overtime.csv, classed by the
person's own day, paid at 150/200/300 % (劳动法 第44条), reported per day in attendance and per
month in payroll, and audited against the 36-hour limit (第41条)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli
from engine_helpers import one_employee


def folder(tmp_path: Path, rows: str, rules: str | None = None) -> Path:
    f = one_employee(tmp_path, grade="mid")
    if rules:
        f.rules(rules)
    root = f.write()
    (root / "overtime.csv").write_text("工号,加班日期,加班时长\n" + rows, "utf-8")
    return root


def payroll(root: Path) -> dict:
    result = run_cli("payroll", "2024-05", "--data", str(root), "--format", "json", "--covered-through", "2024-05-31")
    assert result.exit_code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def test_approved_overtime_is_paid_by_class_and_shown_in_payroll(tmp_path: Path) -> None:
    doc = payroll(folder(tmp_path, "E1,2024-05-07,2\nE1,2024-05-12,8\nE1,2024-05-01,4\n"))
    e = doc["employees"][0]
    assert (e["overtime_hours"], e["overtime_pay"]) == (14.0, "445.40")
    # the pay fields still add up to the net pay
    assert e["net_pay"] == "3295.40"  # 2500 base + 150 performance + 200 full attendance + 445.40


def test_a_month_without_overtime_keeps_the_contract_fields_exactly(tmp_path: Path) -> None:
    doc = payroll(one_employee(tmp_path).write())
    assert "overtime_hours" not in doc["employees"][0] and "overtime_pay" not in doc["employees"][0]


def test_attendance_shows_each_days_overtime(tmp_path: Path) -> None:
    root = folder(tmp_path, "E1,2024-05-07,2\nE1,2024-05-12,8\n")
    result = run_cli("attendance", "2024-05", "--data", str(root), "--format", "json", "--covered-through",
                     "2024-05-31")
    days = {d["date"]: d for d in json.loads(result.stdout)["days"]}
    assert days["2024-05-07"]["overtime_hours"] == 2.0 and days["2024-05-12"]["overtime_hours"] == 8.0
    assert days["2024-05-12"]["status"] == "rest"


def test_劳动法_41_more_than_36_hours_in_a_month_is_a_finding(tmp_path: Path) -> None:
    rows = "".join(f"E1,2024-05-{d:02d},3\n" for d in (6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 20))
    root = folder(tmp_path, rows)
    result = run_cli("audit", "2024-05", "--data", str(root), "--format", "json")
    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert "overtime_limit" in codes and "overtime_unpaid" not in codes


def test_劳动法_44_overtime_not_paid_by_the_rulebook_is_a_finding(tmp_path: Path) -> None:
    root = folder(tmp_path, "E1,2024-05-07,2\n", "[pay.overtime_pay]\npaid = false\n")
    assert payroll(root)["employees"][0]["overtime_pay"] == "0.00"
    result = run_cli("audit", "2024-05", "--data", str(root), "--format", "json")
    assert "overtime_unpaid" in [f["code"] for f in json.loads(result.stdout)["findings"]]


def test_overtime_hours_out_of_range_is_an_error_at_its_cell(tmp_path: Path) -> None:
    root = folder(tmp_path, "E1,2024-05-07,30\n")
    result = run_cli("validate", "--data", str(root), "--covered-through", "2024-05-31")
    assert result.exit_code == 1
    assert any("overtime.csv:2:加班时长:" in ln for ln in result.stdout.splitlines() if ln.startswith("error:"))


def test_the_workbook_shows_the_months_overtime_and_the_payslip_pays_it(tmp_path: Path) -> None:
    import openpyxl

    from cs_rules.reports.workbook import FIELD_LABELS, TEXT

    root = folder(tmp_path, "E1,2024-05-07,2\nE1,2024-05-12,8\nE1,2024-05-01,4\n")
    out = tmp_path / "pay.xlsx"
    result = run_cli("payroll", "2024-05", "--data", str(root), "-o", str(out), "--lang", "zh",
                     "--covered-through", "2024-05-31")
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(out, data_only=True)
    ws = wb[TEXT["zh"]["summary"]]
    header = [c.value for c in ws[1]]
    row = dict(zip(header, [c.value for c in ws[2]], strict=False))
    assert row[FIELD_LABELS["zh"]["overtime_hours"]] == 14
    assert row[FIELD_LABELS["zh"]["overtime_pay"]] == 445.4 and row[FIELD_LABELS["zh"]["net_pay"]] == 3295.4
    slip = [c for r in wb[TEXT["zh"]["payslips"]].iter_rows(values_only=True) for c in r if c is not None]
    assert any(isinstance(c, str) and "加班" in c for c in slip) and 445.4 in slip
