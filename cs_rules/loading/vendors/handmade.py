"""A hand-made 考勤表: names down the side, a pair of columns (上班/下班) under each date.

Small offices keep this in Excel by hand.  It usually has names only, so people are
matched by name, and ``roster init`` writes the name as the id.  Dates may be date
cells, ``2024-05-06``, ``5月6日``, ``5/6`` or a bare day number; the year and month of the
short forms come from the title (``2024年5月考勤表``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from cs_rules.loading.columns import normalize_header
from cs_rules.loading.vendors import cells as C
from cs_rules.loading.vendors.base import Adapter, VendorLoad

if TYPE_CHECKING:
    from cs_rules.loading.sources import Source

_PAIR = {"上班": "in", "签到": "in", "簽到": "in", "到": "in", "下班": "out", "签退": "out", "簽退": "out",
         "退": "out"}


def _pd() -> Any:
    import pandas as pd

    return pd


def _title_month(head: str) -> tuple[int, int] | None:
    m = re.search(r"(\d{4})\s*[年/.-]\s*(\d{1,2})\s*月?", head)
    if m and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)), int(m.group(2))
    return None


def _date_of(v: Any, ym: tuple[int, int] | None) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = re.sub(r"\s+", "", C.text(v))
    s = re.sub(r"(星期|周|週)[一二三四五六日天]$|[(（][一二三四五六日天][)）]$", "", s)
    try:
        m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", s)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = re.fullmatch(r"(\d{1,2})[-/.月](\d{1,2})日?", s)
        if m and ym:
            return dt.date(ym[0], int(m.group(1)), int(m.group(2)))
        m = re.fullmatch(r"(\d{1,2})日?", s)
        if m and ym:
            return dt.date(ym[0], ym[1], int(m.group(1)))
    except ValueError:
        return None
    return None


def _layout(rows: list[list[Any]]) -> tuple[int, list[tuple[int, str | Any]]] | None:
    """(header row, [(date col, date cell)]) when a row with 姓名 has dates over 上班/下班 pairs."""
    for i in range(min(C.HEAD_ROWS, len(rows) - 1)):
        row, sub = rows[i], rows[i + 1]
        if C.column(row, "姓名", "名字") is None:
            continue
        subl = [normalize_header(re.sub(r"\s+", "", C.text(c))) for c in sub]
        pairs = [(j, row[j]) for j in range(len(row))
                 if C.text(row[j]) and j + 1 < len(subl) and subl[j] in _PAIR and subl[j + 1] in _PAIR
                 and _PAIR[subl[j]] != _PAIR[subl[j + 1]]]
        if len(pairs) >= 2:
            return i, pairs
    return None


class HandMade(Adapter):
    name = "handmade"
    label = "hand-made 考勤表 (上班/下班 under each date)"
    expects = "a hand-made 考勤表 (姓名, then a 上班/下班 pair of columns under each date)"

    def claims(self, src: Source) -> bool:
        return any(rows and _layout(rows) is not None for rows in C.heads(src).values())

    def read(self, src: Source) -> VendorLoad:
        pd = _pd()
        load = self.new_load(src)
        for sheet, rows in src.all_rows().items():
            lay = _layout(rows[: C.HEAD_ROWS])
            if lay is None:
                continue
            i, pairs = lay
            ym = _title_month(C.titles(rows, i) + " " + sheet)
            if ym is None:
                first = next((_date_of(c, None) for _, c in pairs if _date_of(c, None)), None)
                ym = (first.year, first.month) if first else None
            row, sub = rows[i], rows[i + 1]
            cols: list[tuple[int, dt.date, str, str]] = []
            for j, c in pairs:
                d = _date_of(c, ym)
                if d is None:
                    load.problems.append(C.problem(
                        src, "vendor_header", f"cannot tell the date of column '{C.text(c)}'",
                        "write the dates as 2024-05-06 or 5月6日, or put the month in the title (2024年5月考勤表)",
                        i + 1, C.text(c), sheet))
                    continue
                for k in (j, j + 1):
                    lab = normalize_header(re.sub(r"\s+", "", C.text(sub[k])))
                    cols.append((k, d, _PAIR[lab], f"{C.text(c)} {C.text(sub[k])}"))
            body = rows[i + 2:]
            header_cols = {"name": C.column(row, "姓名", "名字"), "emp": C.column(row, "工号", "员工编号", "编号"),
                           "dept": C.column(row, "部门")}
            df = C.columns_of(body, header_cols)
            df["account"] = pd.NA
            df["_row"] = pd.RangeIndex(i + 3, i + 3 + len(body))
            df["_file"] = src.display
            df["_sheet"] = sheet
            df = C.who(df)
            df = df[df["key"].notna()]
            df["dept"] = C.texts(df["dept"])
            load.people = C.people_of(df)
            parts = []
            for j, d, kind, label in cols:
                raw = C.series(body, j).loc[df.index]
                found = C.cell_times(raw)
                for k in found.loc[found["bad"], "cell"].unique():
                    load.problems.append(C.problem(src, "bad_time", f"cannot read the time '{C.text(raw[k])}'",
                                                   "write it like 08:30", int(df.at[k, "_row"]), label, sheet))
                found = found[~found["bad"]]
                p = df.loc[found["cell"], ["key_kind", "key", "name", "vendor_id", "_file", "_sheet", "_row"]]
                p = p.reset_index(drop=True).assign(date=pd.Timestamp(d), secs=found["secs"].to_numpy(), kind=kind,
                                                    note=pd.NA)
                parts.append(p)
            if parts:
                load.punches = pd.concat(parts, ignore_index=True)
            load.parts.append(sheet or src.display)
            break
        return load
