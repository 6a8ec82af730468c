"""Lawfulness audit (issue "Lawfulness audit"): each finding's trigger and its absence."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cs_rules import api
from cs_rules.cli import app
from cs_rules.review.audit import (
    CODES,
    audit_doc,
    audit_rows,
    audit_text,
    payslip_findings,
    summary_line,
    weekly_hours,
)
from cs_rules.rulebook import Rulebook, default_rulebook, load_rulebook

SAMPLE = Path(__file__).parent.parent / "sample_data"
MIN_WAGE = '[compliance]\nmin_wage = "2690.00"\n'
RULEBOOK_CODES = {"fines", "absence_double", "forfeiture", "auto_resignation", "unpaid_sick", "working_hours"}
NO_FINES = """
[fines]
late_early = ["0.00", "0.00"]
missing_punch = "0.00"
personal_leave = "0.00"
desk_untidy = "0.00"
private_call = []
registration_error = "0.00"
chatting = "0.00"
"""


def book(tmp_path: Path, text: str) -> Rulebook:
    p = tmp_path / "rules.toml"
    p.write_text(text, "utf-8")
    rules, problems = load_rulebook(p)
    assert problems == [], [x.format() for x in problems]
    return rules


def codes(doc: dict) -> set[str]:
    return {f["code"] for f in doc["findings"]}


def by(doc: dict, code: str, scope: str = "rulebook") -> list[dict]:
    return [f for f in doc["findings"] if f["code"] == code and f["scope"] == scope]


def sample_copy(dest: Path, rules_text: str | None) -> Path:
    shutil.copytree(SAMPLE, dest)
    if rules_text is not None:
        (dest / "rules.toml").write_text(rules_text, "utf-8")
    return dest


@pytest.fixture(scope="module")
def may_min(tmp_path_factory):
    """The sample's May 2024 with a minimum wage of 2690.00."""
    root = sample_copy(tmp_path_factory.mktemp("aud") / "data", MIN_WAGE)
    ctx = api.open_data(root)
    return ctx, api.payroll(ctx, "2024-05")


@pytest.fixture(scope="module")
def may_default(tmp_path_factory):
    """The sample's May 2024 on the default rulebook (no minimum wage)."""
    root = sample_copy(tmp_path_factory.mktemp("aud") / "data", None)
    ctx = api.open_data(root)
    return ctx, api.payroll(ctx, "2024-05")


# ---- rulebook findings -------------------------------------------------------------------------------

def test_default_rulebook_findings():
    doc = audit_doc(default_rulebook(), None)
    assert doc["month"] is None
    assert codes(doc) == RULEBOOK_CODES
    for f in doc["findings"]:
        assert f["scope"] == "rulebook" and f["severity"] in ("unlawful", "risk")
        assert f["statute"] and f["why"] and f["alternative"] and f["message"]
        assert f["silenced"] is False and f["code"] in CODES
    assert doc["silenced"] == []
    assert "Lawfulness audit" in doc["title"]


def test_fines_finding_and_its_absence(tmp_path):
    f = by(audit_doc(default_rulebook(), None), "fines")[0]
    assert f["severity"] == "unlawful"
    assert "国务院令第516号" in f["statute"] and "广东省劳动保障监察条例 第51条" in f["statute"]
    assert "performance pay" in f["alternative"] and "full-attendance bonus" in f["alternative"]
    assert "late_early 10.00/20.00" in f["message"]
    assert "fines" not in codes(audit_doc(book(tmp_path, NO_FINES), None))
    one = NO_FINES.replace('chatting = "0.00"', 'chatting = "5.00"')
    f = by(audit_doc(book(tmp_path, one), None), "fines")[0]
    assert "chatting 5.00" in f["message"] and "late_early" not in f["message"]


def test_absence_double_finding():
    f = by(audit_doc(default_rulebook(), None), "absence_double")[0]
    assert f["severity"] == "unlawful" and "篇1 §五.6" in f["message"]
    assert "工资支付暂行规定 第15条" in f["statute"]


def test_forfeiture_is_risk_when_flagged_and_unlawful_when_applied(tmp_path):
    f = by(audit_doc(default_rulebook(), None), "forfeiture")[0]
    assert f["severity"] == "risk"
    assert "劳动法 第50条" in f["statute"] and "第9、15条" in f["statute"] and "第37、90条" in f["statute"]
    assert "30 days" in f["why"] and "15 days" in f["why"] and "第90条" in f["why"]
    g = by(audit_doc(book(tmp_path, '[flags]\nforfeiture = "apply"\n'), None), "forfeiture")[0]
    assert g["severity"] == "unlawful" and "set to 0" in g["message"]


def test_notice_period_only_when_longer_than_30_days(tmp_path):
    assert "notice_period" not in codes(audit_doc(default_rulebook(), None))
    doc = audit_doc(book(tmp_path, "[flags.notice_short]\ndays = 45\n"), None)
    assert "45 days" in by(doc, "notice_period")[0]["message"]


def test_auto_resignation_finding_and_its_absence(tmp_path):
    f = by(audit_doc(default_rulebook(), None), "auto_resignation")[0]
    assert "第39条(二)" in f["statute"] and "第4条" in f["statute"] and "第43条" in f["statute"]
    assert "more than 2 absent days" in f["message"]
    doc = audit_doc(book(tmp_path, "[flags.auto_resignation]\ndays = 31\n"), None)
    assert "auto_resignation" not in codes(doc)


def test_unpaid_sick_finding_and_its_absence(tmp_path):
    f = by(audit_doc(default_rulebook(), None), "unpaid_sick")[0]
    assert "劳部发〔1995〕309号 第59条" in f["statute"] and "80%" in f["why"]
    f = by(audit_doc(book(tmp_path, MIN_WAGE), None), "unpaid_sick")[0]
    assert "2152.00" in f["why"]  # 80% of 2690.00
    doc = audit_doc(book(tmp_path, '[leave]\nunpaid = ["personal"]\n'), None)
    assert "unpaid_sick" not in codes(doc)


def test_working_hours_from_the_seed_day():
    hours = weekly_hours(default_rulebook())
    # 09:00–18:00 less 12:00–13:30 (summer), 09:00–17:30 less 12:00–13:00 (winter): 7.5 h × 6 days
    assert {s: (str(d), n, str(w)) for s, (d, n, w) in hours.items()} == \
        {"summer": ("7.5", 6, "45.0"), "winter": ("7.5", 6, "45.0")}
    f = by(audit_doc(default_rulebook(), None), "working_hours")[0]
    assert "45 h" in f["message"] and "by up to 5 h" in f["message"]
    assert "国务院关于职工工作时间的规定 第3条" in f["statute"] and "第41、44条" in f["statute"]


def test_working_hours_absent_on_a_five_day_week_and_back_on_long_days(tmp_path):
    doc = audit_doc(book(tmp_path, "[calendar]\nrest_weekdays = [6, 7]\n"), None)
    assert "working_hours" not in codes(doc)
    long_day = '[calendar]\nrest_weekdays = [6, 7]\n[calendar.summer]\nday_start = "08:00"\n'
    f = by(audit_doc(book(tmp_path, long_day), None), "working_hours")[0]
    assert "8.5 h × 5 days = 42.5 h" in f["message"]


def test_probation_pay(tmp_path):
    # default 1800 ≥ 80% × 2200 = 1760: lawful on that test; no minimum wage set
    assert "probation_pay" not in codes(audit_doc(default_rulebook(), None))
    f = by(audit_doc(book(tmp_path, '[pay.grades]\nprobation = "1700.00"\n'), None), "probation_pay")[0]
    assert "80% of the lowest regular grade junior" in f["message"] and "1760.00" in f["message"]
    assert "劳动合同法 第20条" in f["statute"]
    f = by(audit_doc(book(tmp_path, MIN_WAGE), None), "probation_pay")[0]
    assert "below the minimum wage 2690.00" in f["message"] and "80%" not in f["message"]
    ok = MIN_WAGE.replace("2690.00", "1800.00")
    assert "probation_pay" not in codes(audit_doc(book(tmp_path, ok), None))


def test_grades_below_min_wage(tmp_path):
    f = by(audit_doc(book(tmp_path, MIN_WAGE), None), "grade_below_min_wage")[0]
    assert "junior 2200.00" in f["message"] and "mid 2500.00" in f["message"]
    assert "senior" not in f["message"] and "probation" not in f["message"]
    assert "grade_below_min_wage" not in codes(audit_doc(default_rulebook(), None))


def test_min_wage_unset_is_skipped_once_with_how(tmp_path, may_default):
    _, res = may_default
    for doc in (audit_doc(default_rulebook(), None), audit_doc(res.rules, res)):
        skipped = [s for s in doc["skipped"] if s["code"] == "min_wage"]
        assert len(skipped) == 1
        assert "skipped" in skipped[0]["message"]
        assert 'min_wage = "2690.00"' in skipped[0]["how"] and "rules.toml" in skipped[0]["how"]
    assert audit_doc(book(tmp_path, MIN_WAGE), None)["skipped"] == []


def test_silence(tmp_path):
    rules = book(tmp_path, '[compliance]\nsilence = ["fines", "working_hours", "nonsense"]\n')
    doc = audit_doc(rules, None)
    assert codes(doc) == RULEBOOK_CODES - {"fines", "working_hours"}
    assert {f["code"] for f in doc["silenced"]} == {"fines", "working_hours"}
    assert all(f["silenced"] is True for f in doc["silenced"])
    assert "2 silenced" in doc["title"]
    bad = [s for s in doc["skipped"] if s["code"] == "silence"]
    assert len(bad) == 1 and "nonsense" in bad[0]["message"]
    header, rows = audit_rows(doc)
    assert sum(r[header.index("silenced")] == "yes" for r in rows) == 2


# ---- payslip findings --------------------------------------------------------------------------------

def test_below_min_wage_names_the_employees_and_why(may_min):
    _, res = may_min
    doc = audit_doc(res.rules, res)
    assert doc["month"] == "2024-05"
    low = {f["employee_id"]: f for f in by(doc, "below_min_wage", "payslip")}
    # full month, no absence or unpaid leave, net pay < 2690.00
    assert set(low) == {"CS004", "CS005", "CS013", "CS017", "CS019", "CS020"}
    f = low["CS004"]
    assert f["name"] == "刘洋" and f["severity"] == "unlawful"
    assert "2590.00" in f["message"] and "2690.00" in f["message"] and "short by 100.00" in f["message"]
    assert "最低工资规定 第12条" in f["statute"]
    # absence (CS002, CS009), sick leave (CS008) or a partial month (CS012, CS015) are not judged
    assert not {"CS002", "CS008", "CS009", "CS012", "CS015", "CS001"} & set(low)
    assert not [s for s in doc["skipped"] if s["code"] == "min_wage"]


def test_payslip_fines_absence_and_flags(may_default):
    _, res = may_default
    doc = audit_doc(res.rules, res)
    fines = {f["employee_id"]: f for f in by(doc, "fines", "payslip")}
    assert set(fines) == {"CS002", "CS004", "CS012", "CS019"}
    assert "80.00" in fines["CS002"]["message"] and "4 fine(s)" in fines["CS002"]["message"]
    assert "late_early ×3" in fines["CS002"]["message"]
    assert "180.00" in fines["CS012"]["message"]
    absence = {f["employee_id"]: f for f in by(doc, "absence_double", "payslip")}
    assert set(absence) == {"CS002", "CS009", "CS015"}
    assert "101.15" in absence["CS002"]["message"]
    forfeit = by(doc, "forfeiture", "payslip")
    assert [f["employee_id"] for f in forfeit] == ["CS015"] and forfeit[0]["severity"] == "risk"
    assert "auto_resignation" in forfeit[0]["message"] and "notice_short" in forfeit[0]["message"]
    assert [f["employee_id"] for f in by(doc, "auto_resignation", "payslip")] == ["CS015"]
    assert [f["employee_id"] for f in by(doc, "net_clamped", "payslip")] == ["CS015"]
    assert "-203.44" in by(doc, "net_clamped", "payslip")[0]["message"]
    limit = by(doc, "deduction_limit", "payslip")
    assert [f["employee_id"] for f in limit] == ["CS015"]  # 910.34 > 20% of 2200; CS002's 181.15 is not
    assert "440.00" in limit[0]["message"]
    assert {f["employee_id"] for f in by(doc, "unpaid_sick", "payslip")} == {"CS008", "CS012"}
    assert not by(doc, "net_above_base", "payslip")  # off by default (issue 16 §7): see test_audit_read.py
    assert "below_min_wage" not in codes(doc)


def test_net_above_base_when_opted_in(tmp_path):
    root = sample_copy(tmp_path / "data", "[compliance]\nnet_above_base = true\n")
    ctx = api.open_data(root)
    res = api.payroll(ctx, "2024-05", with_history=False)
    above = {f["employee_id"] for f in by(audit_doc(ctx.rules, res), "net_above_base", "payslip")}
    assert "CS001" in above and "CS002" not in above and "CS015" not in above


def test_payslip_findings_vanish_with_the_rules(tmp_path):
    root = sample_copy(tmp_path / "data", NO_FINES + '[leave]\nunpaid = ["personal"]\n')
    ctx = api.open_data(root)
    res = api.payroll(ctx, "2024-05", with_history=False)
    doc = audit_doc(ctx.rules, res)
    assert "fines" not in codes(doc) and "unpaid_sick" not in codes(doc)
    assert by(doc, "absence_double", "payslip")  # still applied by the engine


def test_forfeiture_applied_is_unlawful_on_the_payslip(tmp_path):
    root = sample_copy(tmp_path / "data", '[flags]\nforfeiture = "apply"\n')
    ctx = api.open_data(root)
    res = api.payroll(ctx, "2024-05", with_history=False)
    f = by(audit_doc(ctx.rules, res), "forfeiture", "payslip")[0]
    assert f["employee_id"] == "CS015" and f["severity"] == "unlawful" and "set to 0" in f["message"]


def test_audit_changes_no_number(may_min):
    ctx, res = may_min
    before = json.dumps(res.payroll_json(), sort_keys=True, ensure_ascii=False)
    emp_before = res.employees.copy(deep=True)
    audit_doc(ctx.rules, res)
    payslip_findings(ctx.rules, res)
    assert json.dumps(res.payroll_json(), sort_keys=True, ensure_ascii=False) == before
    assert res.employees.drop(columns=["flags"]).equals(emp_before.drop(columns=["flags"]))
    assert list(res.employees["flags"]) == list(emp_before["flags"])
    again = api.payroll(ctx, "2024-05")
    assert json.dumps(again.payroll_json(), sort_keys=True, ensure_ascii=False) == before


def test_rows_and_summary(may_min):
    _, res = may_min
    doc = audit_doc(res.rules, res)
    header, rows = audit_rows(doc)
    assert header[:3] == ["scope", "code", "severity"] and "statute" in header
    assert len(rows) == len(doc["findings"]) + len(doc["silenced"]) + len(doc["skipped"])
    line = summary_line(doc)
    assert line.startswith("audit: ") and "cs-rules audit 2024-05" in line
    assert "pay unchanged" in line
    empty = {"findings": [], "silenced": [], "skipped": [], "month": None}
    assert summary_line(empty) == "audit: no lawfulness findings"


# ---- the command -------------------------------------------------------------------------------------

@pytest.fixture
def runner(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no rules.toml in the working directory
    monkeypatch.delenv("CS_RULES_DATA", raising=False)
    return CliRunner()


def test_cli_audit_rulebook_lists_each_finding_with_statute(runner):
    r = runner.invoke(app, ["audit", "--format", "csv"])
    assert r.exit_code == 0, r.output
    doc = audit_doc(default_rulebook(), None)
    for f in doc["findings"]:
        line = next(x for x in r.stdout.splitlines() if x.startswith(f"rulebook,{f['code']},"))
        assert f["statute"] in line
    assert "min_wage" in r.stdout


def test_cli_audit_strict_exits_1(runner):
    r = runner.invoke(app, ["audit", "--strict", "--format", "csv"])
    assert r.exit_code == 1


def test_cli_audit_json_parses(runner):
    r = runner.invoke(app, ["audit", "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert {f["code"] for f in doc["findings"]} == RULEBOOK_CODES
    assert set(doc) >= {"title", "month", "findings", "silenced", "skipped"}


def test_cli_audit_month_names_employees_below_min_wage(runner, tmp_path):
    root = sample_copy(tmp_path / "data", MIN_WAGE)
    r = runner.invoke(app, ["audit", "2024-05", "--data", str(root), "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    low = [f for f in doc["findings"] if f["code"] == "below_min_wage"]
    assert {f["name"] for f in low} >= {"刘洋", "陈静", "马超"}
    assert all("minimum wage 2690.00" in f["message"] and f["statute"] for f in low)


def test_cli_audit_strict_silenced_only(runner, tmp_path):
    silence_all = json.dumps(sorted(CODES))
    p = tmp_path / "quiet.toml"
    p.write_text(f"[compliance]\nsilence = {silence_all}\n", "utf-8")
    r = runner.invoke(app, ["audit", "--rules", str(p), "--strict", "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["findings"] == [] and len(doc["silenced"]) == len(RULEBOOK_CODES)


def test_audit_text_blocks(tmp_path):
    doc = audit_doc(book(tmp_path, '[compliance]\nsilence = ["fines"]\n'), None)
    text = audit_text(doc)
    assert text.startswith(doc["title"])
    assert "[UNLAWFUL] working_hours (rulebook)" in text and "[RISK] forfeiture (rulebook)" in text
    assert "[UNLAWFUL · silenced] fines (rulebook)" in text and "statute: " in text
    assert "skipped: " in text and 'min_wage = "2690.00"' in text


def test_payroll_summary_counts_what_the_full_audit_lists(tmp_path):
    """The cheap summary under `payroll` counts exactly the findings `audit MONTH` words."""
    import shutil

    from cs_rules import api
    from cs_rules.review.audit import audit_doc, payroll_summary, summary_line

    shutil.copytree(SAMPLE, tmp_path / "d")
    (tmp_path / "d" / "rules.toml").write_text('[compliance]\nmin_wage = "2690.00"\nsilence = ["net_above_base"]\n')
    ctx = api.open_data(tmp_path / "d")
    res = api.payroll(ctx, "2024-05")
    assert payroll_summary(ctx.rules, res) == summary_line(audit_doc(ctx.rules, res))
