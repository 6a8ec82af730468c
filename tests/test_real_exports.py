"""Regressions found by running real public exports through cs-rules (issue 12), each rebuilt here
with made-up people (张三, 测试员 …, ids E001 …) in the real layout's shape: nothing of the real files
is in the repository."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
from conftest import make_folder, run_cli

ROSTER = "employee_id,name,grade,hire_date,vendor_id\n"


def _xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path.read_bytes()


def _validate(root: Path) -> dict[str, Any]:
    result = run_cli("validate", "--data", root, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def _problems(report: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [p for f in report["files"] for p in f["errors"] + f["warnings"] if p["code"] == code]


def test_a_sheet_of_pasted_punch_lines_beside_a_zkteco_log_is_named_not_dropped(tmp_path: Path) -> None:
    """打卡机考勤导出.xlsx: Sheet1 is the ZKTeco log, Sheet2 the same month's punches pasted as one
    column of text lines ('张三  2019/5/13  08:40  20:58'); Sheet2 was skipped without a word."""
    log = [["部门", "姓名", "考勤号码", "日期时间", "机器号", "编号", "比对方式", "卡号"],
           ["总公司", "张三", "1", "2019/5/21 8:41:02", "1", None, "指纹", None],
           ["总公司", "张三", "1", "2019/5/21 18:32:10", "1", None, "指纹", None],
           ["总公司", "李四", "2", "2019/5/21 8:55:40", "1", None, "面部", None]]
    pasted = [["张三  2019/5/13  08:40  20:58"], ["张三  2019/5/14    20:31"], ["李四  2019/5/13  08:39  "]]
    book = _xlsx(tmp_path / "x.xlsx", {"Sheet1": log, "Sheet2": pasted})
    root = make_folder(tmp_path, {"roster.csv": ROSTER + "E001,张三,junior,2015-01-01,1\nE002,李四,junior,"
                                                        "2015-01-01,2\n", "signin/打卡机考勤导出.xlsx": book})
    (p,) = _problems(_validate(root), "sheet_not_read")
    assert "Sheet2" in p["message"] and "3 rows" in p["message"]


def test_sheets_said_are_whole_names() -> None:
    """An adapter's parts name sheets whole: ``Sheet1`` read does not make ``Sheet10`` said."""
    from cs_rules.loading.vendors.registry import _sheets_said

    said = _sheets_said(["Sheet1", "每日统计 (cross-checked)", "not read: 考勤汇总, 异常统计 (summaries of the same punches)"])
    assert said == {"Sheet1", "每日统计", "考勤汇总", "异常统计"}
    assert "Sheet10" not in said
