"""Evidence on every absence and every approved correction (issue 13 §7): `explain` says why a
day is 旷工 — which sign-in sources cover it and hold no punch, which leave was not approved —
and which punch times came from a 补卡 approval rather than the clock."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli
from engine_helpers import one_employee


def explain_json(root: Path, emp: str = "E1") -> dict:
    result = run_cli("explain", emp, "2024-05", "--data", str(root), "--format", "json",
                     "--covered-through", "2024-05-31")
    assert result.exit_code == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


def test_an_absent_day_names_the_sources_that_cover_it_and_hold_no_punch(tmp_path: Path) -> None:
    f = one_employee(tmp_path, skip=("2024-05-08",))
    f.leave("E1", "2024-05-09", type_="personal", approved="no")
    root = f.write()
    absences = explain_json(root)["absences"]
    assert [(a["date"], a["days"]) for a in absences] == [("2024-05-08", 1.0), ("2024-05-09", 1.0)]
    assert "no row for E1 on 2024-05-08 in" in absences[0]["why"] and "signin.csv" in absences[0]["why"]
    assert "holds 05-06..05-31" in absences[0]["why"]
    assert absences[1]["why"].startswith("leave not approved") and absences[1]["source"].endswith("leave.csv:2")
    table = run_cli("explain", "E1", "2024-05", "--data", str(root), "--covered-through", "2024-05-31")
    assert "2024-05-08 1 day: no punch" in table.stdout


def test_a_correction_turns_a_missing_sign_in_into_an_approved_punch_and_explain_shows_it(tmp_path: Path) -> None:
    f = one_employee(tmp_path, override={"2024-05-07": ("", "18:05:00")})
    root = f.write()
    before = explain_json(root)
    assert before["attendance"]["missing_punch_count"] == 1 and before["corrections"] == []
    (root / "corrections.csv").write_text("工号,日期,时间,补卡类型,原因,审批人\nE1,2024-05-07,08:58,签到,忘打卡,王经理\n",
                                          "utf-8")
    after = explain_json(root)
    assert after["attendance"]["missing_punch_count"] == 0
    assert after["corrections"] == [{"date": "2024-05-07", "punch": "sign-in", "time": "08:58",
                                     "source": after["corrections"][0]["source"]}]
    assert after["corrections"][0]["source"].endswith("corrections.csv:2")
    table = run_cli("explain", "E1", "2024-05", "--data", str(root), "--covered-through", "2024-05-31")
    assert "2024-05-07 sign-in 08:58: an approved correction (补卡)" in table.stdout


def test_payroll_prints_the_warnings_that_change_pay_and_counts_the_same_as_validate(tmp_path: Path) -> None:
    """Issue 13 §6: one set of problems. E2 has no sign-in row all month (that changes pay: printed
    in full before the report); E1 punched on a rest day (information: counted)."""
    f = one_employee(tmp_path)
    f.employee("E2")
    f.punch("E1", "2024-05-12")  # a Sunday
    root = f.write()
    pay = run_cli("payroll", "2024-05", "--data", str(root), "--format", "csv", "--covered-through", "2024-05-31")
    assert pay.exit_code == 0, pay.stderr
    lines = pay.stderr.splitlines()
    assert any(ln.startswith("warning: ") and "E2" in ln and "no sign-in row" in ln and "roster.csv:3" in ln
               for ln in lines), lines
    assert "note: 1 other warning(s) in the data" in pay.stderr
    doc = json.loads(run_cli("validate", "--data", str(root), "--format", "json",
                             "--covered-through", "2024-05-31").stdout)
    assert sum(len(x["warnings"]) for x in doc["files"]) + len(doc.get("warnings", [])) == 2
    fines = run_cli("fines", "E1", "2024-05", "--data", str(root), "--covered-through", "2024-05-31")
    assert "no sign-in row" in fines.stderr  # fines, score and explain see the same warnings


def test_payroll_on_a_terminal_starts_with_the_files_not_read(tmp_path: Path) -> None:
    """Issue 13 §1: a leave file saved as a Word document is named on payroll's first lines."""
    root = one_employee(tmp_path).write()
    (root / "请假单.docx").write_bytes(b"PK\x03\x04 not a table")
    result = run_cli("payroll", "2024-05", "--data", str(root), "--format", "table", "--covered-through", "2024-05-31")
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("files: 3 read, 1 not read")  # roster, sign-ins, performance
    assert any("请假单.docx" in ln for ln in lines[1:3]) and any("no leave file" in ln for ln in lines)


def test_the_workbook_lists_every_absent_day_with_the_same_evidence_as_explain(tmp_path: Path) -> None:
    """Issue 13 §7: the workbook's 旷工依据 sheet holds each absent person-day, why, and the source —
    the rows explain shows, in the workbook's language."""
    import openpyxl

    from cs_rules.reports.workbook import TEXT

    f = one_employee(tmp_path, skip=("2024-05-08",))
    f.leave("E1", "2024-05-09", type_="personal", approved="no")
    f.employee("E2")
    f.month_punches("E2", "2024-05", skip=("2024-05-10",))
    root = f.write()
    doc = explain_json(root)
    for lang in ("zh", "en"):
        out = tmp_path / f"pay-{lang}.xlsx"
        r = run_cli("payroll", "2024-05", "--data", str(root), "-o", str(out), "--lang", lang,
                    "--covered-through", "2024-05-31")
        assert r.exit_code == 0, r.stderr
        ws = openpyxl.load_workbook(out)[TEXT[lang]["absences"]]
        rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
        assert [(r[0], f"{r[2]:%Y-%m-%d}", r[3]) for r in rows] == \
            [("E1", "2024-05-08", 1), ("E1", "2024-05-09", 1), ("E2", "2024-05-10", 1)]
        assert rows[1][5].endswith("leave.csv:2") and rows[1][5] == doc["absences"][1]["source"]
        if lang == "en":
            assert rows[0][4] == doc["absences"][0]["why"]
            assert "no row for E2 on 2024-05-10 in" in rows[2][4]
        else:
            assert rows[0][4].startswith("无打卡：") and "signin.csv（含 05-" in rows[0][4]
            assert rows[1][4].startswith("请假未批准")
