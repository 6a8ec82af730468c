"""The golden fixture: payroll 2024-05 and 2024-03 reproduce the expected JSON exactly,
through the library and through the CLI; `fines` and `score` agree with `payroll`
to the fen and the half point for every employee."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from paths import GOLDEN
from typer.testing import CliRunner

from cs_rules import api
from cs_rules.cli import app
from cs_rules.reports.tables import fines_json, score_json

MONTHS = ["2024-05", "2024-03"]

pytestmark = pytest.mark.skipif(not GOLDEN.is_dir(), reason="golden fixture not available")

TOP_FIELDS = ("month", "pay_date", "workdays", "totals")
EMPLOYEE_FIELDS = (
    "employee_id", "name", "grade", "base_salary", "daily_rate", "workdays", "attended_days", "late_count",
    "early_leave_count", "missing_punch_count", "absent_days", "personal_leave_days", "sick_leave_days",
    "paid_leave_days", "base_pay", "absence_penalty", "performance_pay", "bonus_total", "fines_total",
    "score", "score_level", "net_pay", "flags",
)


def expected(month: str) -> dict:
    return json.loads((GOLDEN / f"expected-{month}.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def ctx() -> api.Context:
    return api.open_data(GOLDEN)


@pytest.fixture(scope="module")
def results(ctx: api.Context) -> dict:
    return {m: api.payroll(ctx, m) for m in MONTHS}


def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:  # click >= 8.2 always keeps stderr apart
        return CliRunner()


def assert_same_payroll(got: dict, want: dict) -> None:
    for key in TOP_FIELDS:
        assert got[key] == want[key], key
    assert [e["employee_id"] for e in got["employees"]] == [e["employee_id"] for e in want["employees"]]
    for g, w in zip(got["employees"], want["employees"], strict=False):
        for key in EMPLOYEE_FIELDS:
            assert key in w, f"expected JSON lacks {key}"
            assert g[key] == w[key], f"{w['employee_id']} {key}: got {g[key]!r}, expected {w['employee_id']}={w[key]!r}"
            assert type(g[key]) is type(w[key]) or {type(g[key]), type(w[key])} <= {int, float}, key
    # money is a string with two decimals
    for e in got["employees"]:
        for key in ("base_salary", "daily_rate", "base_pay", "absence_penalty", "performance_pay", "bonus_total",
                    "fines_total", "net_pay"):
            assert isinstance(e[key], str) and e[key].count(".") == 1 and len(e[key].split(".")[1]) == 2


@pytest.mark.parametrize("month", MONTHS)
def test_golden_library_payroll_equals_expected(results: dict, month: str) -> None:
    assert_same_payroll(results[month].payroll_json(), expected(month))


@pytest.mark.parametrize("month", MONTHS)
def test_golden_library_payroll_is_the_whole_document(results: dict, month: str) -> None:
    got = results[month].payroll_json()
    assert json.loads(json.dumps(got, ensure_ascii=False)) == expected(month)


@pytest.mark.parametrize("month", MONTHS)
def test_golden_totals_are_sums_of_lines(results: dict, month: str) -> None:
    doc = results[month].payroll_json()
    assert doc["totals"]["employees"] == len(doc["employees"])
    assert Decimal(doc["totals"]["net_pay"]) == sum(Decimal(e["net_pay"]) for e in doc["employees"])
    assert Decimal(doc["totals"]["fines_total"]) == sum(Decimal(e["fines_total"]) for e in doc["employees"])


@pytest.mark.parametrize("month", MONTHS)
def test_golden_cli_payroll_json_equals_expected(month: str) -> None:
    res = runner().invoke(app, ["payroll", month, "--data", str(GOLDEN), "--format", "json"])
    assert res.exit_code == 0, res.output
    got = json.loads(res.stdout)
    assert_same_payroll(got, expected(month))
    assert got == expected(month)


@pytest.mark.parametrize("month", MONTHS)
def test_golden_fines_and_score_agree_with_payroll_library(results: dict, month: str) -> None:
    res = results[month]
    sdoc = score_json(res, None)
    scores = {e["employee_id"]: e for e in sdoc["employees"]}
    for want in expected(month)["employees"]:
        emp = want["employee_id"]
        fdoc = fines_json(res, emp)
        assert fdoc["total"] == want["fines_total"], emp
        assert sum(Decimal(i["amount"]) for i in fdoc["items"]) == Decimal(want["fines_total"]), emp
        assert all(i["rule"] and i["source"] for i in fdoc["items"]), emp
        s = scores[emp]
        assert s["score"] == want["score"], emp
        assert s["level"] == want["score_level"], emp
        assert max(0.0, 10.0 - sum(d["points"] for d in s["deductions"])) == want["score"], emp


@pytest.mark.parametrize("month", MONTHS)
def test_golden_fines_via_api_fines_matches(ctx: api.Context, month: str) -> None:
    for want in expected(month)["employees"][:4]:
        res, emp = api.fines(ctx, want["employee_id"], month)
        assert fines_json(res, emp)["total"] == want["fines_total"]


@pytest.mark.parametrize(("emp", "month"), [("E01000", "2024-05"), ("E01002", "2024-05"), ("E01005", "2024-05"),
                                             ("E01001", "2024-03"), ("E900", "2024-05")])
def test_golden_cli_fines_json_total_equals_payroll(emp: str, month: str) -> None:
    want = next(e for e in expected(month)["employees"] if e["employee_id"] == emp)
    res = runner().invoke(app, ["fines", emp, month, "--data", str(GOLDEN), "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["employee_id"] == emp and doc["month"] == month and doc["name"] == want["name"]
    assert doc["total"] == want["fines_total"]
    assert sum(Decimal(i["amount"]) for i in doc["items"]) == Decimal(want["fines_total"])
    for item in doc["items"]:
        assert set(item) >= {"date", "code", "amount", "rule", "source"}
        assert ":" in item["source"]


@pytest.mark.parametrize("month", MONTHS)
def test_golden_cli_score_json_equals_payroll(month: str) -> None:
    res = runner().invoke(app, ["score", month, "--data", str(GOLDEN), "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["month"] == month
    got = {e["employee_id"]: e for e in doc["employees"]}
    for want in expected(month)["employees"]:
        e = got[want["employee_id"]]
        assert e["score"] == want["score"]
        assert e["level"] == want["score_level"]
        for d in e["deductions"]:
            assert set(d) >= {"date", "code", "points", "rule", "source"}
            assert (d["points"] * 2) == int(d["points"] * 2)  # half points


def test_golden_cli_score_for_one_employee(results: dict) -> None:
    want = next(e for e in expected("2024-05")["employees"] if e["employee_id"] == "E01005")
    res = runner().invoke(app, ["score", "2024-05", "E01005", "--data", str(GOLDEN), "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert [e["employee_id"] for e in doc["employees"]] == ["E01005"]
    assert doc["employees"][0]["score"] == want["score"]
    assert doc["employees"][0]["level"] == want["score_level"] == "severe"
