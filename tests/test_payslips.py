"""The printed 工资条 (issue 16 §4): itemised, adding up, readable on A4, one file per person."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from paths import GOLDEN, SAMPLE

from cs_rules import api
from cs_rules.reports.workbook import (
    FIELD_LABELS,
    SLIP_FONT_PT,
    SLIP_PAGE_PT,
    SLIP_TEXT,
    TEXT,
    slip_print_width_pt,
    write_payslips,
    write_workbook,
)

MONTH = "2024-05"
S = SLIP_TEXT["zh"]
L = FIELD_LABELS["zh"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "cs_rules", *args], capture_output=True, cwd=cwd, timeout=180)


def money(v: Any) -> Decimal:
    return Decimal(str(v)).quantize(Decimal("0.01"))


def read_slips(ws: Any) -> list[dict[str, Any]]:
    """The slips of a 工资条 sheet as openpyxl reads them back: info, items per side, totals, net."""
    rows = list(ws.iter_rows())
    out: list[dict[str, Any]] = []
    cur: dict[str, Any] = {}
    section = ""
    for k, row in enumerate(rows):
        v = [c.value for c in row] + [None] * 6
        if v[0] == L["employee_id"]:
            cur = {"title": rows[k - 1][0].value, "title_row": k, "info": {}, "earn": [], "ded": [], "cells": {}}
            out.append(cur)
            section = "info"
        if not cur:
            continue
        if section == "info":
            for j in (0, 2, 4):
                cur["info"][v[j]] = v[j + 1]
                cur["cells"][v[j]] = row[j + 1]
        if v[0] == S["earn"]:
            section = "items"
            continue
        if v[0] == S["earn_total"]:
            cur["earn_total"], cur["ded_total"] = v[2], v[5]
            section = "totals"
        elif v[0] == S["net"]:
            cur["net"], cur["score"], cur["level"] = v[2], v[4], v[5]
        elif v[0] == S["sign"]:
            cur["sign"] = (v[0], v[3])
            cur["last_row"] = k
        elif section == "items":
            if v[0] is not None:
                cur["earn"].append((v[0], row[1], v[2]))
            if v[3] is not None:
                cur["ded"].append((v[3], row[4], v[5]))
    return out


@pytest.fixture(scope="module", params=["sample", "golden"])
def month(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any, Path]:
    folder = SAMPLE if request.param == "sample" else GOLDEN
    if not folder.is_dir():
        pytest.skip(f"{folder} missing")
    ctx = api.open_data(folder)
    res = api.payroll(ctx, MONTH)
    out = tmp_path_factory.mktemp("slips") / "payroll.xlsx"
    write_workbook(res, ctx.data, out)
    return ctx, res, out


def test_every_slip_adds_up_to_the_net_pay(month: tuple[Any, Any, Path]) -> None:
    """Every deduction adds up to 扣款合计, every earning to 应发合计, and 应发合计 − 扣款合计 = 实发 =
    the engine's net pay, for every person (the floor at 0 is a line of its own)."""
    ctx, res, out = month
    ws = openpyxl.load_workbook(out, data_only=True)[TEXT["zh"]["payslips"]]
    slips = read_slips(ws)
    emps = res.payroll_json()["employees"]
    assert [s["info"][L["employee_id"]] for s in slips] == [e["employee_id"] for e in emps]
    for s, emp in zip(slips, emps, strict=True):
        who = emp["employee_id"]
        assert sum(money(a) for _, _, a in s["earn"]) == money(s["earn_total"]), who
        assert sum(money(a) for _, _, a in s["ded"]) == money(s["ded_total"]), who
        assert money(s["earn_total"]) - money(s["ded_total"]) == money(s["net"]) == Decimal(emp["net_pay"]), who
        assert s["score"] == emp["score"]
        assert s["sign"] == (S["sign"], S["sign_date"])
        labels = [x for x, _, _ in s["earn"]]
        assert labels[:2] == ["基本工资", "绩效工资"] or labels[0] == "基本工资（折算）", (who, labels)
        assert "全勤奖" in labels
        ded = {x for x, _, _ in s["ded"]}
        assert {"事假/病假扣款", "旷工扣款", "旷工罚扣"} <= ded
        # the fines itemised by kind add up to the payroll's fines total
        fines = [a for x, _, a in s["ded"] if x.endswith("罚款") and x != "罚款"]
        assert sum((money(a) for a in fines), Decimal(0)) == Decimal(emp["fines_total"]), who


def test_fines_counted_and_the_floor_shown(tmp_path: Path) -> None:
    ctx = api.open_data(SAMPLE)
    res = api.payroll(ctx, MONTH)
    out = tmp_path / "s.xlsx"
    write_payslips(res, out)
    slips = {s["info"][L["employee_id"]]: s for s in read_slips(openpyxl.load_workbook(out).active)}
    cs002 = {x: (q, a) for x, q, a in slips["CS002"]["ded"]}
    q, a = cs002["迟到/早退罚款"]
    assert (q.value, q.number_format, money(a)) == (3, '0"次"', Decimal("50.00"))
    q, a = cs002["旷工扣款"]
    assert (q.value, q.number_format, money(a)) == (1.0, '0.0"天"', Decimal("101.15"))
    # CS015: deductions beyond the pay; the floor is a negative deduction, so the slip still adds up
    cs015 = slips["CS015"]
    floor = [a for x, _, a in cs015["ded"] if "实发不低于0" in x]
    assert floor == [-203.44]
    assert cs015["net"] == 0 and cs015["earn_total"] == cs015["ded_total"]


def test_counts_and_days_formats(month: tuple[Any, Any, Path]) -> None:
    """Counts are integers (`0`), days one decimal (`0.0`): never `0.##`, which Excel shows as `23.`."""
    _, _, out = month
    wb = openpyxl.load_workbook(out)
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                assert "0.##" not in (c.number_format or ""), (ws.title, c.coordinate)
    s = read_slips(wb[TEXT["zh"]["payslips"]])[0]["cells"]
    for f in ("workdays", "late_count", "early_leave_count", "missing_punch_count"):
        assert s[L[f]].number_format == "0", f
    for f in ("attended_days", "absent_days", "personal_leave_days", "sick_leave_days", "paid_leave_days"):
        assert s[L[f]].number_format == "0.0", f
    summary = wb[TEXT["zh"]["summary"]]
    header = [c.value for c in summary[1]]
    assert summary.cell(2, header.index(L["late_count"]) + 1).number_format == "0"
    assert summary.cell(2, header.index(L["attended_days"]) + 1).number_format == "0.0"


def test_slip_sheet_prints_on_a4_at_full_size(month: tuple[Any, Any, Path]) -> None:
    """A4 portrait at 100 % (no fit-to-page shrinking), type ≥ 9 pt, the columns inside the page,
    the company and month in the header, page numbers in the footer, a page break before a slip
    that would not fit (never inside one)."""
    _, res, out = month
    ws = openpyxl.load_workbook(out)[TEXT["zh"]["payslips"]]
    ps = ws.page_setup
    assert ps.paperSize in (9, "9") and ps.orientation == "portrait"
    assert ps.scale in (None, 100, "100") and not ws.sheet_properties.pageSetUpPr.fitToPage
    assert slip_print_width_pt() * 1.35 < 595 - (ws.page_margins.left + ws.page_margins.right) * 72
    assert ws.print_area
    assert "2024年05月" in ws.oddHeader.center.text
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    sizes = {c.font.sz for row in ws.iter_rows() for c in row if c.value is not None}
    assert min(sizes) >= 9 and SLIP_FONT_PT >= 10
    slips = read_slips(ws)
    starts = {s["title_row"] - 1 for s in slips}  # 0-based row of each title
    breaks = [b.id for b in ws.row_breaks.brk]  # a break after row id (1-based) = before 0-based row id
    assert breaks and all(b in starts for b in breaks)
    # every page holds whole slips within the printable height
    heights = {i: (ws.row_dimensions[i + 1].height or 15) for i in range(ws.max_row)}
    edges = [0, *breaks, ws.max_row + 1]
    for a, b in zip(edges, edges[1:], strict=False):
        assert sum(heights.get(i, 15) for i in range(a, b - 1)) <= SLIP_PAGE_PT + 15


def test_company_name_on_the_slips(tmp_path: Path) -> None:
    d = tmp_path / "data"
    shutil.copytree(SAMPLE, d)
    (d / "rules.toml").write_text('[meta]\ncompany = "示例公司 & 伙伴"\n', encoding="utf-8")
    ctx = api.open_data(d)
    res = api.payroll(ctx, MONTH)
    out = tmp_path / "s.xlsx"
    write_payslips(res, out)
    ws = openpyxl.load_workbook(out).active
    assert ws.title == TEXT["zh"]["payslips"]
    assert read_slips(ws)[0]["title"].startswith("示例公司 & 伙伴  2024年05月 工资条")
    assert "示例公司 && 伙伴" in ws.oddHeader.center.text


def test_summary_prints_legibly(month: tuple[Any, Any, Path]) -> None:
    _, res, out = month
    ws = openpyxl.load_workbook(out)[TEXT["zh"]["summary"]]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize in (9, "9")
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (1, None)
    assert ws.page_setup.fitToHeight in (0, "0")
    assert ws.print_title_rows == "$1:$1"
    header = [c.value for c in ws[1]]
    col = header.index(L["flags"]) + 1
    assert ws.cell(2, col).alignment.wrap_text
    flagged = [i for i, f in enumerate(res.employees["flags"]) if len(f) > 1]
    for i in flagged:
        assert "\n" in ws.cell(i + 2, col).value and ws.row_dimensions[i + 2].height >= 27
    # narrow enough for Excel to print the 10 pt type at ≥ 8.7 pt when it fits the width
    width = {}
    for dim in ws.column_dimensions.values():  # xlsxwriter writes runs of equal columns as one <col>
        for j in range(dim.min, dim.max + 1):
            width[j] = dim.width
    width_pt = sum(width[j] * 7 * 0.75 for j in range(1, len(header) + 1))  # the width as stored, padding included
    assert width_pt * 0.87 <= 842 - 0.5 * 72, width_pt


# --- cs-rules payslips MONTH -o DIR -------------------------------------------------------------

def test_payslips_command_one_file_per_person(tmp_path: Path) -> None:
    out = tmp_path / "slips"
    r = run("payslips", MONTH, "--data", str(SAMPLE), "-o", str(out))
    assert r.returncode == 0, r.stderr
    files = sorted(out.iterdir())
    ctx = api.open_data(SAMPLE)
    emps = api.payroll(ctx, MONTH).payroll_json()["employees"]
    assert len(files) == len(emps)
    assert f"{len(emps)}" in r.stderr.decode()
    assert (out / "2024-05-CS001-王芳.xlsx").is_file()
    for f in files:
        wb = openpyxl.load_workbook(f, data_only=True)
        assert wb.sheetnames == [TEXT["zh"]["payslips"]]
        (slip,) = read_slips(wb.active)
        emp = next(e for e in emps if f.name.startswith(f"2024-05-{e['employee_id']}-"))
        assert money(slip["net"]) == Decimal(emp["net_pay"])
    # run again: our own files are replaced
    r = run("payslips", MONTH, "--data", str(SAMPLE), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert len(list(out.iterdir())) == len(emps)


def test_payslips_command_refusals(tmp_path: Path) -> None:
    a_file = tmp_path / "x.xlsx"
    a_file.write_text("not a folder")
    r = run("payslips", MONTH, "--data", str(SAMPLE), "-o", str(a_file))
    assert r.returncode == 2
    err = r.stderr.decode()
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1 and "folder" in err
    r = run("payslips", "2024-13", "--data", str(SAMPLE), "-o", str(tmp_path / "o"))
    assert r.returncode == 2 and "Traceback" not in r.stderr.decode()
    # a file someone else wrote in DIR is never overwritten
    d = tmp_path / "d"
    d.mkdir()
    (d / "2024-05-CS001-王芳.xlsx").write_bytes(b"theirs")
    r = run("payslips", MONTH, "--data", str(SAMPLE), "-o", str(d))
    assert r.returncode == 2 and (d / "2024-05-CS001-王芳.xlsx").read_bytes() == b"theirs"


def test_safe_file_names() -> None:
    from cs_rules.reports.payslip import slip_file_name

    assert slip_file_name("2024-05", "CS001", "王芳") == "2024-05-CS001-王芳.xlsx"
    name = slip_file_name("2024-05", "A/B", '..\\王:芳*?"<>|\n')
    assert "/" not in name and "\\" not in name and not any(ch in name for ch in ':*?"<>|\n')
    assert name.endswith(".xlsx") and not name.startswith(".")
    assert len(slip_file_name("2024-05", "X" * 300, "名" * 300).encode()) <= 240


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_info_labels_fit_their_cells(lang: str, tmp_path: Path) -> None:
    """A label wider than its cell would wrap into a fixed-height row and be cut off in print."""
    from cs_rules.reports.workbook import SLIP_WIDTHS, _text_width

    ctx = api.open_data(SAMPLE)
    res = api.payroll(ctx, MONTH)
    out = tmp_path / f"{lang}.xlsx"
    write_payslips(res, out, [0], lang=lang)
    ws = openpyxl.load_workbook(out).active
    for row in ws.iter_rows(min_row=2, max_row=5):
        for j in (0, 2, 4):
            label = row[j].value
            assert label and _text_width(label) <= SLIP_WIDTHS[j] + 1, (lang, label)  # the estimate is generous


def test_slips_continue_on_another_sheet_past_the_page_break_limit(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel keeps ~1,026 manual page breaks a sheet: past MAX_BREAKS the slips go on 工资条 (2), 工资条 (3) …"""
    from cs_rules.reports import workbook as wbmod

    monkeypatch.setattr(wbmod, "MAX_BREAKS", 2)
    ctx = api.open_data(SAMPLE)
    res = api.payroll(ctx, MONTH)
    out = tmp_path / "s.xlsx"
    write_payslips(res, out)
    wb = openpyxl.load_workbook(out, data_only=True)
    name = TEXT["zh"]["payslips"]
    assert wb.sheetnames[0] == name and len(wb.sheetnames) > 1 and wb.sheetnames[1] == f"{name} (2)"
    ids = [s["info"][L["employee_id"]] for ws in wb for s in read_slips(ws)]
    assert ids == res.employees["employee_id"].tolist()  # everyone once, in order, across the sheets
    for ws in wb:
        assert len(ws.row_breaks.brk) <= 2 and ws.print_area
