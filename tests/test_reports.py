"""Reports people open: the payroll workbook, CSV/JSON safety, atomic files, explain."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from paths import GOLDEN

from cs_rules import api
from cs_rules.reports import workbook as wbmod
from cs_rules.reports.explain import explain_doc, render_explain
from cs_rules.reports.tables import PAYROLL_FIELDS
from cs_rules.reports.workbook import FIELD_LABELS, SLIP_TEXT, TEXT, write_workbook

MONTH = "2024-05"
EVIL = '=HYPERLINK("http://x","y")'
PHONE = "13812345678"
ID_NUMBER = "110101199003071234"

pytestmark = pytest.mark.skipif(not GOLDEN.is_dir(), reason="golden fixture missing")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "cs_rules", *args], capture_output=True, cwd=cwd, timeout=120)


@pytest.fixture(scope="module")
def golden() -> tuple[api.Context, object]:
    ctx = api.open_data(GOLDEN)
    return ctx, api.payroll(ctx, MONTH)


@pytest.fixture(scope="module")
def golden_xlsx(golden: tuple[api.Context, object], tmp_path_factory: pytest.TempPathFactory) -> Path:
    ctx, res = golden
    out = tmp_path_factory.mktemp("wb") / "payroll.xlsx"
    write_workbook(res, ctx.data, out)  # type: ignore[arg-type]
    return out


@pytest.fixture(scope="module")
def evil_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The golden folder with a formula for a name and a phone and id number on the roster."""
    d = tmp_path_factory.mktemp("evil") / "data"
    shutil.copytree(GOLDEN, d)
    p = d / "roster.csv"
    rows = list(csv.reader(p.read_text(encoding="utf-8-sig").splitlines()))
    header = rows[0] + ["phone", "id_number"]
    body = [r + ["", ""] for r in rows[1:]]
    body[0][header.index("name")] = EVIL
    body[0][header.index("phone")] = PHONE
    body[0][header.index("id_number")] = ID_NUMBER
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header] + body)
    p.write_text(buf.getvalue(), encoding="utf-8")
    return d


# --- the workbook ---------------------------------------------------------------------------------

def test_workbook_sheets_numbers_totals(golden_xlsx: Path, golden: tuple[api.Context, object]) -> None:
    _, res = golden
    doc = res.payroll_json()  # type: ignore[attr-defined]
    T = TEXT["zh"]
    wb = openpyxl.load_workbook(golden_xlsx, data_only=True)
    assert wb.sheetnames == [T["summary"], T["payslips"], T["ledger"], T["grid"], T["absences"], T["flags"]]
    ws = wb[T["summary"]]
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    header = [c.value for c in ws[1]]
    assert header == [FIELD_LABELS["zh"][f] for f in PAYROLL_FIELDS]
    n = len(doc["employees"])
    col = {f: i for i, f in enumerate(PAYROLL_FIELDS)}
    for r, emp in enumerate(doc["employees"], start=2):
        row = [c.value for c in ws[r]]
        assert row[col["employee_id"]] == emp["employee_id"]
        for f in ("base_pay", "net_pay", "fines_total", "absence_penalty", "performance_pay", "bonus_total"):
            v = row[col[f]]
            assert isinstance(v, (int, float)) and not isinstance(v, bool), (f, v)
            assert Decimal(str(v)).quantize(Decimal("0.01")) == Decimal(emp[f])
            assert ws.cell(r, col[f] + 1).number_format == "#,##0.00"
        assert isinstance(row[col["score"]], (int, float))
        assert isinstance(row[col["attended_days"]], (int, float))
    total = [c.value for c in ws[n + 2]]
    assert total[0] == T["total"]
    for f, key in (("net_pay", "net_pay"), ("fines_total", "fines_total")):
        assert Decimal(str(total[col[f]])).quantize(Decimal("0.01")) == Decimal(doc["totals"][key])
    # the totals are live formulas too
    ws_f = openpyxl.load_workbook(golden_xlsx)[T["summary"]]
    assert str(ws_f.cell(n + 2, col["net_pay"] + 1).value).startswith("=SUM(")


def test_workbook_payslips_ledger_grid_flags(golden_xlsx: Path, golden: tuple[api.Context, object]) -> None:
    ctx, res = golden
    T = TEXT["zh"]
    wb = openpyxl.load_workbook(golden_xlsx, data_only=True)
    slips = wb[T["payslips"]]
    values = [[c.value for c in row] for row in slips.iter_rows()]
    # one portrait block per person (issue 16 §4): title, 工号 row, …, 实发工资 row (tests/test_payslips.py)
    label_rows = [i for i, r in enumerate(values) if r[0] == FIELD_LABELS["zh"]["employee_id"]]
    assert len(label_rows) == len(res.employees)  # type: ignore[attr-defined]
    net_rows = [i for i, r in enumerate(values) if r[0] == SLIP_TEXT["zh"]["net"]]
    for i, j, emp in zip(label_rows, net_rows, res.payroll_json()["employees"], strict=True):  # type: ignore[attr-defined]
        assert values[i][1] == emp["employee_id"]
        assert f"{values[j][2]:.2f}" == emp["net_pay"]
        assert "2024" in str(values[i - 1][0]) and any("2024-06-15" in str(v) for v in values[i - 1] if v)
    ledger = wb[T["ledger"]]
    n_lines = len(res.fines) + len(res.rewards) + len(res.score_items)  # type: ignore[attr-defined]
    assert ledger.max_row == n_lines + 1
    fines = [r for r in ledger.iter_rows(min_row=2, values_only=True) if r[2] == T["fine"]]
    assert sum(Decimal(str(r[6])) for r in fines) == Decimal(res.payroll_json()["totals"]["fines_total"])  # type: ignore[attr-defined]
    assert all(r[8] and r[9] for r in fines)  # rule and source on every fine
    grid = wb[T["grid"]]
    assert grid.max_row >= len(res.employees) + 1  # type: ignore[attr-defined]
    fills = {grid.cell(r, c).fill.fgColor.rgb for r in range(2, 10) for c in range(3, 33)}
    assert len(fills) >= 4  # on time, late, rest, holiday at least
    assert any(grid.cell(1, c).value == TEXT["zh"]["legend"] for c in range(30, 40))
    flags = wb[T["flags"]]
    n_flags = sum(len(f) for f in res.employees["flags"])  # type: ignore[attr-defined]
    assert flags.max_row == 1 + n_flags + len(ctx.data.problems.warnings)


def test_workbook_english(golden: tuple[api.Context, object], tmp_path: Path) -> None:
    ctx, res = golden
    out = tmp_path / "en.xlsx"
    write_workbook(res, ctx.data, out, lang="en")  # type: ignore[arg-type]
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == TEXT["en"]["summary"]
    assert [c.value for c in wb[TEXT["en"]["summary"]][1]] == PAYROLL_FIELDS


def test_cli_xlsx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "p.xlsx"
    for var in ("CS_RULES_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):  # a user's default: Chinese
        monkeypatch.delenv(var, raising=False)
    r = run("payroll", MONTH, "--data", str(GOLDEN), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert openpyxl.load_workbook(out).sheetnames[0] == TEXT["zh"]["summary"]
    r = run("payroll", MONTH, "--data", str(GOLDEN), "-o", str(out), "--lang", "en")
    assert openpyxl.load_workbook(out).sheetnames[0] == TEXT["en"]["summary"]


# --- safety: formulas, confidential columns, atomic writes ---------------------------------------

def test_formula_name_neutralised_csv_and_xlsx(evil_folder: Path, tmp_path: Path) -> None:
    r = run("payroll", MONTH, "--data", str(evil_folder), "--format", "csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.reader(r.stdout.decode("utf-8").splitlines()))
    names = [row[1] for row in rows[1:]]
    assert "'" + EVIL in names
    assert not any(n.startswith("=") for n in names)
    out = tmp_path / "evil.xlsx"
    r = run("payroll", MONTH, "--data", str(evil_folder), "-o", str(out))
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(out)
    seen = 0
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and "HYPERLINK" in c.value:
                    assert c.data_type == "s" and not c.value.startswith("=")
                    assert c.value.startswith("'=") or not c.value.lstrip("'").startswith("=")
                    seen += 1
    assert seen >= 3  # summary, payslip, grid, ledger
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "HYPERLINK" not in z.read(name).decode("utf-8")  # never a <f> formula


def test_phone_and_id_never_unmasked(evil_folder: Path, tmp_path: Path) -> None:
    outs = []
    for fmt in ("csv", "json", "tsv"):
        r = run("payroll", MONTH, "--data", str(evil_folder), "--format", fmt)
        assert r.returncode == 0, r.stderr
        outs.append(r.stdout.decode("utf-8"))
    r = run("explain", "E01000", MONTH, "--data", str(evil_folder), "--format", "json")
    outs.append(r.stdout.decode("utf-8"))
    for lang in ("zh", "en"):
        out = tmp_path / f"p-{lang}.xlsx"
        r = run("payroll", MONTH, "--data", str(evil_folder), "-o", str(out), "--lang", lang)
        assert r.returncode == 0, r.stderr
        with zipfile.ZipFile(out) as z:
            outs += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
    for text in outs:
        assert PHONE not in text
        assert ID_NUMBER not in text


def test_interrupted_workbook_leaves_nothing(golden: tuple[api.Context, object], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    ctx, res = golden
    out = tmp_path / "p.xlsx"

    def boom(*a: object, **k: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(wbmod, "_grid", boom)  # after the summary and payslips are built
    with pytest.raises(RuntimeError):
        write_workbook(res, ctx.data, out)  # type: ignore[arg-type]
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []

    # an existing report survives a failed rewrite untouched
    out.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        write_workbook(res, ctx.data, out)  # type: ignore[arg-type]
    assert out.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [out]


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_interrupted_while_zipping(golden: tuple[api.Context, object], tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    ctx, res = golden
    out = tmp_path / "p.xlsx"
    real = wbmod._Sheet._emit
    calls = {"n": 0}

    def emit(self: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        real(self)  # type: ignore[arg-type]

    monkeypatch.setattr(wbmod._Sheet, "_emit", emit)
    # _Sheet binds _emit on the worksheet at creation, so patch before writing
    with pytest.raises(Exception, match="disk full"):
        write_workbook(res, ctx.data, out)  # type: ignore[arg-type]
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


# --- CSV details -----------------------------------------------------------------------------------

def test_piped_csv_is_plain() -> None:
    r = run("payroll", MONTH, "--data", str(GOLDEN))
    assert r.returncode == 0, r.stderr
    assert b"\x1b[" not in r.stdout
    assert not r.stdout.startswith(b"\xef\xbb\xbf")
    assert r.stdout.decode("utf-8").splitlines()[0].split(",") == PAYROLL_FIELDS


def test_csv_file_bom(tmp_path: Path) -> None:
    out = tmp_path / "p.csv"
    assert run("payroll", MONTH, "--data", str(GOLDEN), "-o", str(out)).returncode == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert run("payroll", MONTH, "--data", str(GOLDEN), "-o", str(out), "--no-bom").returncode == 0
    assert out.read_bytes().startswith(b"employee_id,")


def test_output_onto_input_refused(evil_folder: Path) -> None:
    roster = evil_folder / "roster.csv"
    before = roster.read_bytes()
    for target in (roster, evil_folder / "roster.csv"):
        r = run("payroll", MONTH, "--data", str(evil_folder), "-o", str(target))
        assert r.returncode == 2, r.stderr
        assert b"Traceback" not in r.stderr
    r = run("payroll", MONTH, "--data", str(evil_folder), "-o", "roster.csv", cwd=evil_folder)
    assert r.returncode == 2
    assert roster.read_bytes() == before


# --- explain ---------------------------------------------------------------------------------------

def test_explain_adds_up_for_everyone(golden: tuple[api.Context, object]) -> None:
    _, res = golden
    for emp in res.payroll_json()["employees"]:  # type: ignore[attr-defined]
        doc = explain_doc(res, emp["employee_id"])  # type: ignore[arg-type]
        json.dumps(doc, ensure_ascii=False)
        lines = sum(Decimal(x["amount"]) for x in doc["lines"])
        assert lines == Decimal(doc["net_before_floor"]), emp["employee_id"]
        adj = sum((Decimal(x["amount"]) for x in doc["adjustments"]), Decimal(0))
        assert lines + adj == Decimal(emp["net_pay"]) == Decimal(doc["net_pay"]), emp["employee_id"]
        assert not any(x["kind"] == "adjustment" for x in doc["lines"])
        fines = [x for x in doc["lines"] if x["kind"] == "fine"]
        assert -sum((Decimal(x["amount"]) for x in fines), Decimal(0)) == Decimal(emp["fines_total"])
        assert all(x["rule"] and x["source"] and x["date"] and x["code"] for x in fines)
        assert all(len(x["amount"].split(".")[-1]) == 2 for x in doc["lines"])
        pts = sum(d["points"] for d in doc["score"]["deductions"])
        assert max(0.0, 10 - pts) == emp["score"]


def test_explain_floor_shown(tmp_path: Path) -> None:
    """A negative net is floored to 0 as its own, visible step after "net before the floor"."""
    import shutil

    root = tmp_path / "golden"
    shutil.copytree(GOLDEN, root)
    (root / "rules.toml").write_text('[fines]\nlate_early = ["5000.00"]\n', "utf-8")
    ctx = api.open_data(root)
    res = api.payroll(ctx, MONTH, with_history=False)
    e = res.employees[res.employees["late_count"] > 0].iloc[0]
    doc = explain_doc(res, e["employee_id"])
    lines = sum(Decimal(x["amount"]) for x in doc["lines"])
    assert lines == Decimal(doc["net_before_floor"]) < 0
    assert [x["kind"] for x in doc["adjustments"]] == ["net_floor"]
    assert Decimal(doc["adjustments"][0]["amount"]) == -lines
    assert doc["net_pay"] == "0.00" and "net_clamped" in [f["flag"] for f in doc["flags"]]


def test_explain_renders(golden: tuple[api.Context, object], capsys: pytest.CaptureFixture[str]) -> None:
    _, res = golden
    emp = res.employees.iloc[2]["employee_id"]  # type: ignore[attr-defined]
    render_explain(explain_doc(res, emp))  # type: ignore[arg-type]
    out = capsys.readouterr().out
    assert "\x1b[" not in out
    assert "Net pay" in out and emp in out
    r = run("explain", emp, MONTH, "--data", str(GOLDEN))
    assert r.returncode == 0 and b"\x1b[" not in r.stdout


@pytest.mark.parametrize("width", [80, 100])
def test_explain_folds_chinese_instead_of_cutting_it(golden: tuple[api.Context, object], width: int,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A Chinese item or rule longer than its column (no space to break at) is folded onto the next
    line, never cut with "…" (seen on a real ZKTeco month: 日工资 101.15 = 基本工 … / 21.75)."""
    import io

    from cs_rules import i18n

    _, res = golden
    emp = res.employees.iloc[2]["employee_id"]  # type: ignore[attr-defined]
    i18n.use("zh")
    doc = explain_doc(res, emp)  # type: ignore[arg-type]
    doc["lines"][0]["label"] = "基本工资（按职级，" + "很长的中文说明没有空格" * 4 + "）"
    doc["lines"][0]["rule"] = "篇5 §六.2（职级" + "初级客服" * 5 + "）"
    buf = io.StringIO()
    render_explain(doc, file=buf, width=width)
    out = buf.getvalue()
    assert "…" not in out
    assert out.count("很") >= 4 and out.count("初") >= 5  # every character of both is shown


@pytest.mark.parametrize("people", [3, 40])
def test_grid_legend_beside_a_short_and_a_long_grid(people: int, tmp_path: Path) -> None:
    """The 考勤表's legend sits right of the grid, one status a row from the header down — on the
    people's rows while there are people, on rows of its own below a short grid — and every
    person's row holds a status per day they were employed."""
    from engine_helpers import Folder

    f = Folder(tmp_path / "data")
    for k in range(1, people + 1):
        f.employee(f"E{k:03d}").month_punches(f"E{k:03d}", "2024-05")
    ctx = api.open_data(f.write())
    res = api.payroll(ctx, "2024-05")
    out = tmp_path / "grid.xlsx"
    write_workbook(res, ctx.data, out, lang="zh")  # type: ignore[arg-type]
    grid = openpyxl.load_workbook(out)[TEXT["zh"]["grid"]]
    days = 31
    lc = 2 + days + 2  # 1-based column of the legend's symbols
    statuses = wbmod._statuses("zh")
    legend = [grid.cell(r, lc).value for r in range(1, len(statuses) + 3)]
    assert legend[0] == TEXT["zh"]["legend"] and legend[1:-1] == [s[1] for s in statuses]
    assert grid.cell(len(statuses) + 2, lc + 1).value == TEXT["zh"]["not_employed"]
    ids = [grid.cell(r, 1).value for r in range(2, people + 2)]
    assert ids == res.employees["employee_id"].tolist()  # type: ignore[attr-defined]
    assert all(grid.cell(r, c).value for r in range(2, people + 2) for c in (3, 4))  # 05-01, 05-02
    assert grid.cell(people + 2, 1).value is None and grid.cell(people + 2, 3).value is None
