"""An audit that is read (issue 16 §7): net_above_base only when asked for, unlawful findings and
risks counted apart in the payroll line, and `audit MONTH` as one table with each statute once."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from conftest import run_cli
from paths import SAMPLE

from cs_rules import api
from cs_rules.reports.terminal import render_audit
from cs_rules.review.audit import audit_doc, payroll_summary


@pytest.fixture(autouse=True)
def _isolated(isolated: Path) -> None:
    """No $CS_RULES_DATA and no rules.toml from the caller's folder leak into a test."""


def month(tmp_path: Path, rules: str | None = None):
    root = tmp_path / "d"
    shutil.copytree(SAMPLE, root)
    if rules is not None:
        (root / "rules.toml").write_text(rules, encoding="utf-8")
    ctx = api.open_data(root)
    return ctx, api.payroll(ctx, "2024-05")


def codes(doc: dict) -> set[str]:
    return {f["code"] for f in doc["findings"]}


def test_net_above_base_is_off_by_default(tmp_path: Path) -> None:
    ctx, res = month(tmp_path)
    assert "net_above_base" not in codes(audit_doc(ctx.rules, res))


def test_net_above_base_opt_in(tmp_path: Path) -> None:
    ctx, res = month(tmp_path, "[compliance]\nnet_above_base = true\n")
    above = [f for f in audit_doc(ctx.rules, res)["findings"] if f["code"] == "net_above_base"]
    assert above and all(f["severity"] == "risk" for f in above)


def test_payroll_line_counts_unlawful_and_risks_apart(tmp_path: Path) -> None:
    ctx, res = month(tmp_path)
    line = payroll_summary(ctx.rules, res)
    doc = audit_doc(ctx.rules, res)
    unlawful = sum(f["severity"] == "unlawful" for f in doc["findings"])
    risk = len(doc["findings"]) - unlawful
    assert f"{unlawful} unlawful finding(s), {risk} risk(s)" in line, line
    result = run_cli("payroll", "2024-05", "--data", SAMPLE, "--format", "json")
    assert f"audit: {unlawful} unlawful finding(s), {risk} risk(s)" in result.stderr


def test_audit_month_is_one_table_with_each_statute_once(tmp_path: Path) -> None:
    ctx, res = month(tmp_path)
    doc = audit_doc(ctx.rules, res)
    buf = io.StringIO()
    render_audit(doc, file=buf, width=120)
    text = buf.getvalue()
    for head in ("name", "issue", "amount", "statute"):  # in Chinese: 姓名, 问题, 金额, 法条 (test_i18n)
        assert head in text
    slips = [f for f in doc["findings"] if f["scope"] == "payslip"]
    assert slips
    flat = " ".join(text.split())
    assert sum(f["code"] == "absence_double" for f in slips) == 3  # CS002, CS009, CS015 …
    assert flat.count("the penalty is withheld earned wages") == 1  # … and its explanation once
    assert flat.count("the employee can claim them back") == 1
    assert text.count("CS015 胡军") == 1  # the person once, not on each line
    assert "910.34" in text
    assert len(text.splitlines()) < 200


def test_audit_month_cli_table(tmp_path: Path) -> None:
    result = run_cli("audit", "2024-05", "--data", SAMPLE, "--format", "table")
    assert result.exit_code == 0, result.stderr
    assert "issue" in result.stdout and "What each finding means" in result.stdout
    zh = run_cli("audit", "2024-05", "--data", SAMPLE, "--format", "table", "--lang", "zh").stdout
    assert all(h in zh for h in ("姓名", "问题", "金额", "法条", "各项问题的说明"))
