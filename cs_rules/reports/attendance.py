"""The daily record (`cs-rules attendance`) in every output format, under the canonical English keys.

The same columns everywhere, so a script reading the CSV and a clerk reading the
workbook see one record: text as the engine built it, minutes and days as numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from cs_rules.engine.attendance import COLUMNS, NUMERIC
from cs_rules.reports.output import atomic_write

if TYPE_CHECKING:
    import pandas as pd

_WIDTHS = {"employee_id": 11, "name": 9, "date": 11, "day_type": 9, "shift": 10, "punches": 22, "sign_in": 10,
           "sign_out": 10, "status": 12, "late_minutes": 8, "early_minutes": 8, "absent_days": 8, "leave": 16,
           "vendor_verdict": 18, "source": 28, "overtime_hours": 8}


def attendance_json(month: str, days: pd.DataFrame) -> dict[str, Any]:
    """DATA.md's ``{"month", "days": [...]}``; minutes are integers, absent days numbers (0.5 for half a day)."""
    return {"month": month, "days": days[COLUMNS].to_dict("records")}


def delimited_frame(days: pd.DataFrame) -> pd.DataFrame:
    """The record as the CSV/TSV writer takes it: days written as 1 and 0.5, not 1.0."""
    from cs_rules.reports.tables import half_steps_text

    f = days[COLUMNS].copy()
    f["absent_days"] = half_steps_text(f["absent_days"])
    f["overtime_hours"] = [f"{x:g}" for x in f["overtime_hours"]]
    return f


def table_rows(days: pd.DataFrame) -> tuple[list[str], list[list[Any]]]:
    """Header and rows for the terminal table: fifteen columns do not fit a terminal, so the text
    columns empty on every row (no vendor export, no leave) are left out; CSV keeps them all."""
    f = delimited_frame(days)
    shown = [c for c in COLUMNS if c in NUMERIC or c in ("employee_id", "date", "status") or
             bool((f[c].fillna("") != "").any())]
    return shown, f[shown].astype(object).values.tolist()


def write_xlsx(month: str, days: pd.DataFrame, output: Path) -> None:
    """One sheet, one row per person-day, filters on the header; dates as Excel dates, numbers as numbers."""
    atomic_write(output, lambda fh: _write(month, days, fh))


def _write(month: str, days: pd.DataFrame, fh: IO[bytes]) -> None:
    import numpy as np
    import pandas as pd
    import xlsxwriter

    from cs_rules.reports.workbook import _EPOCH, MAX_ROWS, _Sheet, close_workbook

    if len(days) + 1 > MAX_ROWS:
        from cs_rules.problems import UsageError

        raise UsageError(f"{len(days):,} person-days do not fit one Excel sheet ({MAX_ROWS - 1:,} rows)",
                         "give EMPLOYEE, or write CSV (-o attendance.csv)")
    wb = xlsxwriter.Workbook(fh, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                                  "strings_to_urls": False})
    try:
        font = {"font_name": "等线", "font_size": 10}
        header_style = wb.add_format({**font, "bold": True, "bg_color": "#D9E1F2", "border": 1})._get_xf_index()
        text = wb.add_format(font)._get_xf_index()
        date = wb.add_format({**font, "num_format": "yyyy-mm-dd"})._get_xf_index()
        num = wb.add_format({**font, "num_format": "0.##"})._get_xf_index()
        ws = wb.add_worksheet(f"考勤 {month}")
        sh = _Sheet(wb, ws)
        sh.row(0, COLUMNS, [header_style] * len(COLUMNS))
        cols: list[list[Any]] = []
        styles, kinds = [], ""
        for c in COLUMNS:
            if c == "date":
                d = (pd.to_datetime(days[c]) - pd.Timestamp(_EPOCH)).dt.days.to_numpy()
                cols.append([int(x) for x in d])
                styles.append(date)
                kinds += "n"
            elif c in NUMERIC:
                v = days[c].to_numpy(dtype=float)
                cols.append([int(x) if x == int(x) else float(x) for x in np.nan_to_num(v)])
                styles.append(num)
                kinds += "n"
            else:
                cols.append(days[c].astype(object).where(days[c].notna(), "").tolist())
                styles.append(text)
                kinds += "s"
        sh.table(1, cols, styles, kinds)
        ws.freeze_panes(1, 3)
        ws.autofilter(0, 0, max(len(days), 1), len(COLUMNS) - 1)
        for j, c in enumerate(COLUMNS):
            ws.set_column(j, j, _WIDTHS.get(c, 10))
        sh.finish()
    except BaseException:
        wb.fileclosed = True
        raise
    close_workbook(wb, [sh])
