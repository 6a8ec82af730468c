"""The rule catalogue and the registry agree, and the rulebook decides everything (issue: one house for rules).

Each test changes one thing in a rules.toml and checks that payroll, the ledgers and
`cs-rules rules` all follow — the failures the issue reproduced as a new user would.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import run_cli
from engine_helpers import Folder
from paths import SAMPLE

from cs_rules import api
from cs_rules.rulebook import default_rulebook, load_rulebook
from cs_rules.rulebook.catalog import HANDLED_KINDS
from cs_rules.rules import REGISTRY, load
from cs_rules.rules.base import LedgerInputs

load()


# ---- completeness ------------------------------------------------------------------------------

def test_every_catalogue_entry_has_a_handler_a_citation_and_both_labels() -> None:
    book = default_rulebook()
    missing = []
    for kind in HANDLED_KINDS:
        for e in book.entries(kind):
            if (kind, e.handler) not in REGISTRY:
                missing.append(f"{e.path}: no {kind} function '{e.handler}'")
    from cs_rules.rulebook.catalog import section_node

    for entries in book.catalog.values():
        for e in entries.values():
            table = section_node(book.data, e.path)
            for field in ("cite", "zh", "en"):
                if not str(table.get(field, "")).strip():
                    missing.append(f"{e.path}: no {field}")
            if not any(m in e.cite for m in ("篇", "RULEBOOK", "劳动法")):
                missing.append(f"{e.path}: cite {e.cite!r} names no clause")
    assert not missing, "\n".join(missing)


def test_every_handler_serves_a_catalogue_entry() -> None:
    book = default_rulebook()
    used = {(kind, e.handler) for kind in HANDLED_KINDS for e in book.entries(kind)}
    unused = sorted(f"{k}:{n}" for k, n in REGISTRY if (k, n) not in used)
    assert not unused, f"registered functions no rule uses: {unused}"


def test_no_spelling_means_two_codes() -> None:
    """Within one vocabulary (violation codes, leave types, grades, awards), an alias names one code."""
    from cs_rules.rulebook.catalog import normalize_word

    book = default_rulebook()
    vocabularies = {
        "violations": [e for k in ("status", "fine", "reward", "score") for e in book.entries(k) if e.logged],
        "leave": book.entries("leave"), "grade": book.entries("grade"), "award": book.entries("award")}
    clashes = []
    for name, entries in vocabularies.items():
        seen: dict[str, str] = {}
        for e in entries:
            for a in (e.code, *e.aliases, e.zh):
                w = normalize_word(a)
                if seen.get(w, e.code) != e.code:
                    clashes.append(f"{name}: '{a}' is {seen[w]} and {e.code}")
                seen.setdefault(w, e.code)
    assert not clashes, clashes


# ---- the rulebook decides ----------------------------------------------------------------------

def _one_month(tmp_path: Path, rules: str | None = None) -> Folder:
    """E1 works every May 2024 workday, with three sick days 05-06..05-08 (certificate) and one missing punch."""
    f = Folder(tmp_path).employee("E1", "junior").performance("E1", "2024-05", 85)
    skip = {"2024-05-06", "2024-05-07", "2024-05-08"}
    f.month_punches("E1", "2024-05", skip=skip, override={"2024-05-09": ("08:55:00", "")})
    f.leave("E1", "2024-05-06", "2024-05-08", "sick", certificate="yes")
    if rules:
        f.rules(rules)
    f.write()
    return f


def test_sick_moved_to_paid_leave_changes_pay_and_the_audit(tmp_path: Path) -> None:
    """篇1 §五.4 made paid by the rulebook: sick days are paid leave in payroll and the audit agrees."""
    unpaid = _one_month(tmp_path / "a").emp("2024-05", "E1")
    assert unpaid["sick_leave_days"] == 3 and unpaid["paid_leave_days"] == 0
    assert Decimal(unpaid["base_pay"]) == Decimal("2200.00") - 3 * Decimal("101.15")
    paid_folder = _one_month(tmp_path / "b", '[leave]\npaid = ["annual", "marriage", "maternity", "paternity", '
                                             '"bereavement", "lieu", "sick"]\n')
    paid = paid_folder.emp("2024-05", "E1")
    assert paid["sick_leave_days"] == 3 and paid["paid_leave_days"] == 3
    assert paid["base_pay"] == "2200.00"
    from cs_rules.review.audit import audit_doc

    ctx = api.open_data(paid_folder.root)
    assert "unpaid_sick" not in {f["code"] for f in audit_doc(ctx.rules, api.payroll(ctx, "2024-05"))["findings"]}
    shown = run_cli("rules", "--data", paid_folder.root, "--format", "json")
    assert "sick" in json.loads(shown.stdout)["rules"]["leave"]["paid"]
    assert "sick" not in json.loads(shown.stdout)["rules"]["leave"]["unpaid"]


def test_a_citation_override_reaches_the_ledger_and_rules(tmp_path: Path) -> None:
    f = _one_month(tmp_path, '[fines.missing_punch]\ncite = "员工手册 第3条"\n')
    ctx = api.open_data(f.root)
    res = api.payroll(ctx, "2024-05")
    assert res.fines["rule"].tolist() == ["员工手册 第3条"]
    out = run_cli("fines", "E1", "2024-05", "--data", f.root, "--format", "json")
    assert json.loads(out.stdout)["items"][0]["rule"] == "员工手册 第3条"
    shown = json.loads(run_cli("rules", "--data", f.root, "--format", "json").stdout)
    assert shown["rules"]["fines"]["missing_punch"]["cite"] == "员工手册 第3条"


NEW_FINE = '''
[fines.dress_code]
amount = "20.00"
cite = "篇8 §三"
zh = "着装不规范"
en = "dress code"
aliases = ["着装", "仪容仪表"]
'''


def test_a_new_fixed_fine_is_one_entry_and_is_charged(tmp_path: Path) -> None:
    f = Folder(tmp_path).employee("E1", "junior").performance("E1", "2024-05", 85)
    f.month_punches("E1", "2024-05")
    f.violation("2024-05-13", "E1", "仪容仪表")
    f.violation("2024-05-14", "E1", "dress_code")
    f.rules(NEW_FINE).write()
    e = f.emp("2024-05", "E1")
    assert e["fines_total"] == "40.00"
    ctx = api.open_data(f.root)
    res = api.payroll(ctx, "2024-05")
    assert res.fines["code"].tolist() == ["dress_code", "dress_code"]
    assert set(res.fines["rule"]) == {"篇8 §三"}
    assert res.rules.label("fine", "dress_code", "zh") == "着装不规范"
    shown = json.loads(run_cli("rules", "--data", f.root, "--format", "json").stdout)
    assert shown["rules"]["fines"]["dress_code"]["amount"] == "20.00"
    from cs_rules.review.audit import active_fines

    assert ("dress_code", "20.00") in active_fines(res.rules)


@pytest.mark.parametrize("text,line,needle", [
    ('[fines.dress_code]\namount = "20.00"\nzh = "着装"\nen = "dress"\n', 1, "needs cite"),
    ('[fines.dress_code]\nhandler = "made_up"\namount = "20.00"\ncite = "x"\nzh = "a"\nen = "b"\n', 1,
     "no rule function 'made_up'"),
    ('[fines.dress_code]\namount = "-1"\ncite = "x"\nzh = "a"\nen = "b"\n', 2, "negative"),
    ('[fines.dress_code]\namount = "20.00"\ncite = "x"\nzh = "a"\nen = "b"\ncolour = "red"\n', 6,
     "unknown key fines.dress_code.colour"),
    ('[score]\nlate_minor = 1.0\n', 2, "write [score] late"),
    ('[fines]\nmissing_punch = { "2024-13-01" = "15.00" }\n', 2, "not a date"),
    ('[pay]\npay_day = 0\n', 2, "1 to 28"),
    ('[calendar]\nrest_weekdays = [0, 8]\n', 2, "weekdays"),
    ('[pay]\nstandard_days = "0"\n', 2, "above 0"),
    ('[calendar.summer]\nday_start = "9"\n', 2, "a time of day"),
    ('[fines]\nmissing_punch = 10.123\n', 2, "not exact in two decimals"),
    ('[fines]\nmissing_punch = "1e30"\n', 2, "beyond any payroll"),
    ('[leave]\npaid = ["annual", "holiday"]\n', 2, "unknown leave type 'holiday'"),
])
def test_bad_rules_are_errors_at_their_line(tmp_path: Path, text: str, line: int, needle: str) -> None:
    p = tmp_path / "rules.toml"
    p.write_text(text, "utf-8")
    _, problems = load_rulebook(p)
    assert problems, text
    assert any(needle in pr.format() and pr.row == line for pr in problems), [pr.format() for pr in problems]


def test_money_as_a_toml_number_is_exact(tmp_path: Path) -> None:
    """min_wage = 2690 and desk_untidy = 10 are written as numbers and read exactly."""
    p = tmp_path / "rules.toml"
    p.write_text("[compliance]\nmin_wage = 2690\n[fines]\ndesk_untidy = 10\nchatting = 12.5\n", "utf-8")
    book, problems = load_rulebook(p)
    assert problems == []
    assert book.entry("fine", "desk_untidy").money("amount") == Decimal("10")
    assert book.entry("fine", "chatting").money("amount") == Decimal("12.5")
    from cs_rules.review.audit import _min_wage

    assert _min_wage(book) == Decimal("2690")


def test_a_dated_amount_is_in_force_from_its_date(tmp_path: Path) -> None:
    """篇1 §五.3 missing punch 10 until April, 15 from 2024-05-01; each month takes the value of its 1st day."""
    f = Folder(tmp_path).employee("E1", "junior")
    for month in ("2024-04", "2024-05"):
        f.month_punches("E1", month, override={f"{month}-09": ("08:55:00", "")})
        f.performance("E1", month, 85)
    f.rules('[fines]\nmissing_punch = { "2024-01-01" = "10.00", "2024-05-01" = "15.00" }\n').write()
    assert f.emp("2024-04", "E1")["fines_total"] == "10.00"
    assert f.emp("2024-05", "E1")["fines_total"] == "15.00"
    may = json.loads(run_cli("rules", "--data", f.root, "--month", "2024-05", "--format", "json").stdout)
    april = json.loads(run_cli("rules", "--data", f.root, "--month", "2024-04", "--format", "json").stdout)
    assert may["rules"]["fines"]["missing_punch"]["amount"] == "15.00"
    assert april["rules"]["fines"]["missing_punch"]["amount"] == "10.00"
    dated = json.loads(run_cli("rules", "--data", f.root, "--format", "json").stdout)
    assert dated["rules"]["fines"]["missing_punch"]["amount"] == {"2024-01-01": "10.00", "2024-05-01": "15.00"}


def test_a_dated_grade_base(tmp_path: Path) -> None:
    """The issue's example: junior 2200 from 2024-01-01, 2400 from 2025-07-01."""
    p = tmp_path / "rules.toml"
    p.write_text('[pay.grades]\njunior = { "2024-01-01" = "2200.00", "2025-07-01" = "2400.00" }\n', "utf-8")
    book, problems = load_rulebook(p)
    assert problems == []
    import datetime as dt

    assert book.at(dt.date(2025, 6, 1)).grades["junior"] == Decimal("2200.00")
    assert book.at(dt.date(2025, 8, 1)).grades["junior"] == Decimal("2400.00")
    assert book.at(dt.date(2023, 8, 1)).grades["junior"] == Decimal("2200.00")  # before: the default's


def test_the_late_major_threshold_names_itself(tmp_path: Path) -> None:
    """篇10 §五.2 threshold moved to 15 minutes: the code stays late_major, the label says 15."""
    f = Folder(tmp_path).employee("E1", "junior").performance("E1", "2024-05", 85)
    f.month_punches("E1", "2024-05", override={"2024-05-06": ("09:20:00", "18:05:00")})
    f.rules("[score.late_major]\nminutes = 15\n").write()
    ctx = api.open_data(f.root)
    res = api.payroll(ctx, "2024-05")
    assert res.score_items["code"].tolist() == ["late_major"]
    assert res.rules.label("score", "late_major", "zh") == "迟到超过15分钟（按缺勤）"
    assert res.rules.label("score", "late_major", "en") == "late over 15 min (counts as 缺勤)"


def test_explain_renders_the_engine_pay_lines(tmp_path: Path) -> None:
    """explain's amounts are the engine's pay lines, one for one (no second computation to drift)."""
    shutil.copytree(SAMPLE, tmp_path / "s")
    ctx = api.open_data(tmp_path / "s")
    res = api.payroll(ctx, "2024-05")
    from cs_rules.reports.explain import explain_doc

    assert res.pay_lines is not None
    for i, emp_id in enumerate(res.employees["employee_id"]):
        doc = explain_doc(res, emp_id)
        by_code: dict[str, int] = {}
        for x in doc["lines"] + doc["adjustments"]:
            code = {"fine": "fines", "reward": "rewards"}.get(x["kind"], x["kind"])
            by_code[code] = by_code.get(code, 0) + int(Decimal(x["amount"]) * 100)
        for code, line in res.pay_lines.items():
            assert by_code.get(code, 0) == int(line.amount_fen[i]), (emp_id, code)


def test_ledger_inputs_are_shared_by_every_ledger(tmp_path: Path) -> None:
    f = _one_month(tmp_path)
    ctx = api.open_data(f.root)
    res = api.payroll(ctx, "2024-05")
    m = LedgerInputs.of(res.grid, res.grid.iloc[0:0].assign(code=[], _file=[], _row=[], note=[], points=[]))
    assert len(m.ids) == 1 and list(m.rank) == [0]


def test_rules_in_a_pipe_is_toml_that_reads_back(tmp_path: Path) -> None:
    """`cs-rules rules > rules.toml` gives valid TOML equal to the active rulebook, dated values included."""
    import tomllib

    from cs_rules.rulebook import plain_tree

    p = tmp_path / "r.toml"
    p.write_text('[fines]\nmissing_punch = { "2024-01-01" = "10.00", "2024-05-01" = "15.00" }\n', "utf-8")
    out = run_cli("rules", "--rules", p)
    assert out.exit_code == 0
    assert "[fines.missing_punch]  # 缺卡 · 篇1 §五.3" in out.stdout
    book, _ = load_rulebook(p)
    assert tomllib.loads(out.stdout) == plain_tree(book.data)
    again = tmp_path / "again.toml"
    again.write_text(out.stdout, "utf-8")
    book2, problems = load_rulebook(again)
    assert problems == [] and plain_tree(book2.data) == plain_tree(book.data)
