"""The rulebook: the embedded default loads, every section cites the seed, a rules.toml
changes numbers, and bad overrides are problems naming the file and the line."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from engine_helpers import Folder, employee_of, fines_of, one_employee
from typer.testing import CliRunner

from cs_rules import api
from cs_rules.cli import app
from cs_rules.problems import DataError
from cs_rules.rulebook import default_rulebook, load_rulebook

MAY = "2024-05"


def runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()


def tables(node: dict, prefix: str = "") -> list[tuple[str, dict]]:
    out = []
    for k, v in node.items():
        if isinstance(v, dict):
            path = f"{prefix}.{k}" if prefix else k
            out.append((path, v))
            out.extend(tables(v, path))
    return out


def write_rules(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "rules.toml"
    p.write_text(text, encoding="utf-8")
    return p


# ---- the default -----------------------------------------------------------------------

def test_default_rulebook_loads_without_problems() -> None:
    book, problems = load_rulebook(None)
    assert problems == []
    assert book.entry("fine", "missing_punch").money("amount") == Decimal("10.00")
    assert book.entry("fine", "late_early").money_list("amounts") == [Decimal("10.00"), Decimal("20.00")]
    assert book.entry("fine", "private_call").money_list("amounts") == [Decimal("50.00"), Decimal("100.00")]
    assert book.get("pay.standard_days") == "21.75"
    assert book.grades == {"probation": Decimal("1800.00"), "junior": Decimal("2200.00"), "mid": Decimal("2500.00"),
                           "senior": Decimal("3000.00"), "reserve_supervisor": Decimal("4000.00")}
    assert book.entry("flag", "forfeiture").params["mode"] == "flag"


def test_default_rulebook_numbers_match_RULEBOOK_md() -> None:
    """RULEBOOK §1–§6 numbers as written in default.toml."""
    b = default_rulebook()

    def amount(kind: str, code: str, name: str = "amount") -> Decimal:
        return b.entry(kind, code).money(name)

    assert amount("fine", "personal_leave") == 30 and amount("fine", "desk_untidy") == 10
    assert amount("fine", "registration_error") == 10 and amount("fine", "chatting") == 10
    assert amount("reward", "report_misconduct") == 50
    assert all(amount("award", a, "bonus") == 100 for a in ("service_star", "sales_champion", "best_newcomer",
                                                             "busy_bee", "best_trainer"))
    assert amount("award", "nomination", "bonus") == 0 and amount("pay", "full_attendance") == 200
    assert b.get("attendance.grace_minutes") == 0 and b.entry("status", "off_post").num("minutes") == 10
    assert b.entry("score", "late_major").num("minutes") == 30
    assert b.entry("status", "sick_as_personal").int("days") == 2
    assert b.get("pay.pay_day") == 15 and b.get("pay.partial_unpaid_leave_days") == 10
    assert b.entry("flag", "auto_resignation").int("days") == 2 and b.entry("flag", "notice_short").int("days") == 15
    assert b.day_bounds("summer") == (9 * 3600, 18 * 3600)
    assert b.day_bounds("winter") == (9 * 3600, 17 * 3600 + 1800)
    assert b.season(4, 30) == "winter" and b.season(5, 1) == "summer"
    assert b.season(9, 30) == "summer" and b.season(10, 1) == "winter"


def test_every_rulebook_section_has_a_rule_citation() -> None:
    """Every section (and sub-table) of the default cites the seed clause or statute it comes from;
    [meta] is metadata, not a rule."""
    book = default_rulebook()
    # [meta] is metadata; an entry ([fines.missing_punch]) cites its own clause (the catalogue tests check those)
    entries = {e.path for kind in book.catalog for e in book.entries(kind)}
    sections = [(p, t) for p, t in tables(book.data) if p != "meta" and p not in entries]
    assert len(sections) >= 12
    for path, table in sections:
        assert isinstance(table.get("rule"), str) and table["rule"].strip(), f"[{path}] has no rule"
        assert any(mark in table["rule"] for mark in ("篇", "劳动法", "规定")), f"[{path}] rule {table['rule']!r}"
        assert book.rule(path) == table["rule"]


def test_cli_rules_prints_the_active_rulebook_as_json(tmp_path: Path) -> None:
    res = runner().invoke(app, ["rules", "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["rules"]["fines"]["missing_punch"]["amount"] == "10.00"
    p = write_rules(tmp_path, '[fines]\nmissing_punch = "15.00"\n')
    res = runner().invoke(app, ["rules", "--rules", str(p), "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["rules"]["fines"]["missing_punch"]["amount"] == "15.00"
    assert len(doc["sources"]) == 2


# ---- overrides change numbers ----------------------------------------------------------

def test_rules_toml_override_missing_punch_15(tmp_path: Path) -> None:
    """篇1 §五.3 via rules.toml: fines.missing_punch = "15.00" → the fine is 15."""
    f = one_employee(tmp_path, override={"2024-05-08": ("08:55:00", "")}).rules('[fines]\nmissing_punch = "15.00"\n')
    res = f.run(MAY)
    assert fines_of(res, "E1") == [("2024-05-08", "missing_punch", "15.00")]
    assert employee_of(res, "E1")["fines_total"] == "15.00"


def test_rules_toml_dotted_key_override(tmp_path: Path) -> None:
    """A top-level dotted key works like the table form."""
    f = one_employee(tmp_path, override={"2024-05-08": ("08:55:00", "")}).rules('fines.missing_punch = "15.00"\n')
    assert employee_of(f.run(MAY), "E1")["fines_total"] == "15.00"


def test_rules_option_file_override(tmp_path: Path) -> None:
    """--rules FILE (api.open_data(dir, rules_file)) replaces the data folder's rules."""
    f = one_employee(tmp_path / "d", override={"2024-05-08": ("08:55:00", "")})
    root = f.write()
    p = write_rules(tmp_path, '[fines]\nmissing_punch = "12.50"\n')
    res = api.payroll(api.open_data(root, p), MAY)
    assert employee_of(res, "E1")["fines_total"] == "12.50"


def test_rules_toml_override_late_early_ladder_and_score(tmp_path: Path) -> None:
    """篇1 §五.8 ladder and 篇10 §五 points are data: [5, 15, 25] and late_minor 1.0."""
    f = one_employee(tmp_path, override={d: ("09:05:00", "18:05:00")
                                         for d in ("2024-05-06", "2024-05-07", "2024-05-08", "2024-05-09")})
    f.rules('[fines]\nlate_early = ["5.00", "15.00", "25.00"]\n[score]\nlate = 1.0\n')
    res = f.run(MAY)
    assert [a for _, _, a in fines_of(res, "E1")] == ["5.00", "15.00", "25.00", "25.00"]
    assert employee_of(res, "E1")["score"] == 6.0


def test_rules_toml_override_grade_base_and_forfeiture(tmp_path: Path) -> None:
    """篇5 §六 grades are data; a rules.toml may change a base."""
    f = Folder(tmp_path, fill_base=False).employee("E1", "junior").employee("E2", "mid", base="2600")
    f.month_punches("E1", MAY).month_punches("E2", MAY)
    f.rules('[pay.grades]\njunior = "2300.00"\n')
    res = f.run(MAY)
    assert employee_of(res, "E1")["base_salary"] == "2300.00"
    assert employee_of(res, "E2")["base_salary"] == "2600.00"


# ---- bad overrides: problems naming the file and the line -------------------------------

BAD = [
    ("unknown_key", '# my rules\n[fines]\nmissing_punch = "15.00"\nlate_erly = ["10.00"]\n', 4, "late_erly"),
    ("wrong_type", '[fines]\n\nlate_early = "x"\n', 3, "late_early"),
    ("negative_money", '[meta]\ncompany = "ACME"\n[fines]\nmissing_punch = "-5.00"\n', 4, "missing_punch"),
    ("not_money", '[fines]\nchatting = "ten"\n', 2, "chatting"),
    ("bad_syntax", '[fines]\nmissing_punch = "15.00"\nchatting = 10.00.0\n', 3, ""),
    ("unknown_section", '\n\n[finez]\nmissing_punch = "15.00"\n', 3, "finez"),
    ("bad_forfeiture", '[flags]\nforfeiture = "maybe"\n', 2, "forfeiture"),
]


BAD_IDS = [(b.values[0] if hasattr(b, "values") else b[0]) for b in BAD]


@pytest.mark.parametrize(("case", "text", "line", "word"), BAD, ids=BAD_IDS)
def test_bad_rules_toml_is_a_problem_naming_file_and_line(tmp_path: Path, case: str, text: str, line: int,
                                                          word: str) -> None:
    p = write_rules(tmp_path, text)
    _, problems = load_rulebook(p)
    assert problems, case
    pr = problems[0]
    assert pr.severity == "error"
    assert "rules.toml" in pr.file
    assert pr.row == line, f"{case}: {pr.format()}"
    assert f"rules.toml:{line}" in pr.format()
    if word:
        assert word in pr.format()


@pytest.mark.parametrize(("case", "text", "line", "word"), BAD[:3] + BAD[4:5], ids=[b[0] for b in BAD[:3] + BAD[4:5]])
def test_bad_rules_toml_in_data_folder_refuses_payroll(tmp_path: Path, case: str, text: str, line: int,
                                                       word: str) -> None:
    """A data folder with a bad rules.toml: open_data collects the problem; payroll refuses (exit 1)."""
    f = one_employee(tmp_path).rules(text)
    ctx = f.context()
    assert ctx.rule_problems and ctx.rule_problems[0].row == line
    with pytest.raises(DataError) as exc:
        api.payroll(ctx, MAY)
    assert any("rules.toml" in p.file and p.row == line for p in exc.value.problems)
    res = runner().invoke(app, ["payroll", MAY, "--data", str(tmp_path), "--format", "json"])
    assert res.exit_code == 1
    assert f"rules.toml:{line}" in res.stderr
    assert "Traceback" not in res.output


def test_bad_rules_option_cli_exit_1_names_line(tmp_path: Path) -> None:
    p = write_rules(tmp_path, '[fines]\nmissing_punch = "-1"\n')
    res = runner().invoke(app, ["rules", "--rules", str(p)])
    assert res.exit_code == 1
    assert "rules.toml:2" in res.stderr


def test_int_money_is_accepted_exactly(tmp_path: Path) -> None:
    """An integer amount (15) is read exactly as 15.00."""
    p = write_rules(tmp_path, "[fines]\nmissing_punch = 15\n")
    book, problems = load_rulebook(p)
    assert problems == []
    assert book.entry("fine", "missing_punch").money("amount") == Decimal("15")
