"""篇5 §四–五: promotion eligibility and demotion triggers, each criterion with its clause."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from conftest import run_cli
from engine_helpers import Folder

from cs_rules import api
from cs_rules.engine.promotion import compute_promotion, quarter_label
from cs_rules.reports.tables import promotion_json


def _department(tmp_path: Path) -> Folder:
    """Five people: a junior who tops the ranks, a junior at the bottom (failing), a mid with two Bs,
    a senior with a C, a reserve supervisor; evaluations for 12 months up to 2024-05."""
    f = Folder(tmp_path)
    f.employee("J1", "junior", hire="2023-01-09").employee("J2", "junior", hire="2023-01-09")
    f.employee("M1", "mid", hire="2021-01-04").employee("S1", "senior", hire="2019-01-07")
    f.employee("R1", "reserve_supervisor", hire="2018-01-08").employee("N1", "junior", hire="2024-04-01")
    months = [f"2023-{m:02d}" for m in range(6, 13)] + [f"2024-{m:02d}" for m in range(1, 6)]
    for m in months:
        f.performance("J1", m, 95).performance("J2", m, 50).performance("M1", m, 80).performance("S1", m, 85)
        f.performance("R1", m, 99)
    for m in ("2024-04", "2024-05"):
        f.performance("N1", m, 90)
    f.month_punches("J1", "2024-05")
    f.write()
    (f.root / "reviews.csv").write_text("employee_id,quarter,grade\nJ1,2024Q1,A\nM1,2023Q4,B\nM1,2024Q1,B\n"
                                        "S1,2024Q1,C\n", "utf-8")
    return f


def _doc(f: Folder) -> dict:
    ctx = api.open_data(f.root)
    if not len(ctx.data.reviews):  # until reviews.csv is read by the loader: the table as it will be
        ctx.data.reviews = pd.read_csv(f.root / "reviews.csv", dtype=str)
    return promotion_json(compute_promotion(ctx.data, ctx.rules, "2024-05"), None)


def _person(doc: dict, emp_id: str) -> dict:
    return next(e for e in doc["employees"] if e["employee_id"] == emp_id)


def test_篇5_四_2G_junior_in_the_top_three_with_an_A_is_eligible_for_mid(tmp_path: Path) -> None:
    p = _person(_doc(_department(tmp_path)), "J1")["promotion"]
    assert p["code"] == "mid" and p["status"] == "eligible"
    assert [c["met"] for c in p["criteria"]] == [True, True, True]
    assert all("篇5 §四.2G" in c["rule"] for c in p["criteria"])


def test_篇5_四_2G_tenure_under_three_months_is_not_eligible(tmp_path: Path) -> None:
    p = _person(_doc(_department(tmp_path)), "N1")["promotion"]
    assert p["status"] == "not_eligible"
    tenure = p["criteria"][0]
    assert tenure["met"] is False and tenure["detail"] == "1 months"


def test_篇5_四_1G_three_failing_months(tmp_path: Path) -> None:
    d = _person(_doc(_department(tmp_path)), "J2")["demotion"]
    assert d[0]["code"] == "junior_failing" and d[0]["status"] == "triggered"


def test_篇5_四_2H_two_consecutive_B_demote_a_mid(tmp_path: Path) -> None:
    d = _person(_doc(_department(tmp_path)), "M1")["demotion"][0]
    assert d["to"] == "junior" and d["status"] == "triggered"
    assert [c["met"] for c in d["criteria"]][1] is True


def test_篇5_四_3G_a_C_demotes_a_senior(tmp_path: Path) -> None:
    d = _person(_doc(_department(tmp_path)), "S1")["demotion"][0]
    assert d["to"] == "mid" and d["status"] == "triggered"
    assert d["criteria"][-1]["met"] is True and "2024Q1 C" in d["criteria"][-1]["detail"]


def test_篇5_四_4H_reserve_supervisors_are_not_reviewed_nor_ranked(tmp_path: Path) -> None:
    doc = _doc(_department(tmp_path))
    r = _person(doc, "R1")
    assert r["promotion"] is None and r["demotion"][0]["status"] == "not_reviewed"
    # R1 scores 99 every month but takes no rank: J1 is first
    assert "rank 1" in _person(doc, "J1")["promotion"]["criteria"][1]["detail"]


def test_quarter_spellings() -> None:
    assert [quarter_label(x) for x in ("2024Q2", "2024-q2", "2024 Q2", "2024年第2季度", "2024年二季度", "Q2")] == \
        ["2024Q2"] * 5 + [None]


def test_promotion_command_formats(tmp_path: Path) -> None:
    f = _department(tmp_path)
    out = run_cli("promotion", "2024-05", "--data", f.root, "--format", "json")
    assert out.exit_code == 0, out.stderr
    doc = json.loads(out.stdout)
    assert {e["employee_id"] for e in doc["employees"]} == {"J1", "J2", "M1", "S1", "R1", "N1"}
    csv_out = run_cli("promotion", "2024-05", "J1", "--data", f.root, "--format", "csv")
    assert csv_out.exit_code == 0 and csv_out.stdout.startswith("employee_id,name,grade,tenure_months,kind")
    assert "篇5 §四.2G" in csv_out.stdout
    bad = run_cli("promotion", "2024-5x", "--data", f.root)
    assert bad.exit_code == 2


def test_sample_data_shows_each_promotion_case() -> None:
    """Issue 11: `cs-rules promotion 2024-05 --data sample_data` lists eligible, not eligible,
    cannot tell yet and triggered demotions, each with its clause (sample_data/reviews.csv)."""
    import csv
    import io

    from conftest import run_cli
    from paths import SAMPLE

    result = run_cli("promotion", "2024-05", "--data", str(SAMPLE), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    status = {(r["employee_id"], r["kind"]): r["status"] for r in rows}
    assert status[("CS005", "promotion")] == "eligible"
    assert status[("CS002", "promotion")] == "not eligible"
    assert status[("CS003", "demotion")] == "triggered" and status[("CS004", "demotion")] == "triggered"
    assert {"eligible", "not eligible", "triggered", "no trigger"} <= {r["status"] for r in rows}
    assert all(r["rule"].startswith("篇5") for r in rows if r["status"] != "not reviewed")
