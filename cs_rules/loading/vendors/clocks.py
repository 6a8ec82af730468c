"""Stand-alone (U-disk) clocks, sold under many OEM brands, and the workbooks they write.

* ``标准报表.xls`` — sheets 排班信息, 考勤汇总, 考勤记录, 异常统计.  In 考勤记录 a row of
  day numbers heads the day columns; each person is a block of rows, the first with
  the person's number and name (``工 号：`` ``1`` ``姓 名：`` ``张三``), the next ones one cell
  per day holding the day's punches run together (``08:5118:31``).
* ``员工刷卡记录表`` — the same blocks, up to six times per cell on separate lines.
* ``考勤报表.xls`` — one sheet for every three people side by side; each block has the
  person's 姓名/工号 above a table of days with 上午/下午/加班 × 上班/下班 columns, times
  written as text, time cells or day fractions.

The day columns take their dates from the title's 考勤日期 range, in order.
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

NAME_LABELS = ("姓名", "名字")
DEPT_LABELS = ("部门",)
BLOCK_SHEETS = ("考勤记录", "刷卡记录", "员工刷卡记录表", "考勤记录表", "原始记录表")
OTHER_SHEETS = ("排班信息", "考勤汇总", "异常统计")


def _pd() -> Any:
    import pandas as pd

    return pd


def _day_row(rows: list[list[Any]], scan: int = C.HEAD_ROWS) -> tuple[int, list[tuple[int, int]]] | None:
    """The row of day numbers (the longest run of consecutive 1..31, ≥ 5 long) and its (col, day)."""
    best: tuple[int, list[tuple[int, int]]] | None = None
    for i in range(min(scan, len(rows))):
        run: list[tuple[int, int]] = []
        longest: list[tuple[int, int]] = []
        for j, c in enumerate(rows[i]):
            s = C.text(c)
            if re.fullmatch(r"\d{1,2}", s) and 1 <= int(s) <= 31:
                d = int(s)
                if run and not (d == run[-1][1] + 1 or (d == 1 and run[-1][1] >= 28)):
                    run = []
                run.append((j, d))
                if len(run) > len(longest):
                    longest = list(run)
            elif s:
                run = []
        if len(longest) >= 5 and (best is None or len(longest) > len(best[1])):
            best = (i, longest)
    return best


def _person(row: list[Any]) -> tuple[str | None, str | None, str | None] | None:
    """(number, name, dept) when ``row`` is a block's first row, else None."""
    num = C.label_value(row, C.ID_LABELS)
    name = C.label_value(row, NAME_LABELS)
    if num is None and name is None:
        return None
    dept = C.label_value(row, DEPT_LABELS)
    return (num[0] if num else None, name[0] if name else None, dept[0] if dept else None)


def _is_block_sheet(sheet: str, rows: list[list[Any]]) -> bool:
    head = C.titles(rows, 3) + " " + sheet
    if not any(w in head for w in BLOCK_SHEETS):
        return False
    dr = _day_row(rows)
    if dr is None:
        return False
    return any(_person(r) is not None for r in rows[dr[0] + 1: dr[0] + 6])


class BlockReport(Adapter):
    name = "clock-blocks"
    label = "U-disk clock 考勤记录 / 员工刷卡记录表"
    expects = ("U-disk clock workbooks 标准报表 (sheet 考勤记录: a row of day numbers, then per person a row "
               "工号/姓名 and rows of punches) and 员工刷卡记录表")

    def claims(self, src: Source) -> bool:
        return any(_is_block_sheet(name, rows) for name, rows in C.heads(src).items() if rows)

    def read(self, src: Source) -> VendorLoad:
        load = self.new_load(src)
        for sheet, rows in src.all_rows().items():
            if _is_block_sheet(sheet, rows[: C.HEAD_ROWS]):
                _blocks(src, load, sheet, rows)
                load.parts.append(sheet)
        others = [s for s in src.sheets if any(w in s for w in OTHER_SHEETS)]
        if others:
            load.parts.append(f"not read: {', '.join(others)} (summaries of the same punches)")
        return load


def _period_of(src: Source, load: VendorLoad, sheet: str, rows: list[list[Any]]) -> tuple[dt.date, dt.date] | None:
    period = C.find_period(C.titles(rows, 4))
    if period is None:
        load.problems.append(C.problem(
            src, "vendor_period", "the day columns give day numbers but the title rows have no 考勤日期 range "
            "to tell the month", "keep the title rows as the clock wrote them (考勤日期：2019-10-01 ~ 2019-10-31)",
            row=1, sheet=sheet))
    elif load.period is None:
        load.period = period
    return period


def _dates_by_position(src: Source, load: VendorLoad, sheet: str, row: int, days: list[tuple[int, int]],
                       period: tuple[dt.date, dt.date]) -> dict[int, dt.date] | None:
    """Day columns → dates: the k-th day column is the k-th day of the period."""
    start = period[0]
    first_day = days[0][1]
    if first_day != start.day:  # the row starts later than the period: align by day number
        k0 = next((k for k in range((period[1] - start).days + 1) if (start + dt.timedelta(k)).day == first_day),
                  None)
        if k0 is None:
            load.problems.append(C.problem(src, "vendor_header", f"the day columns start at day {first_day}, "
                                           f"which is not in the 考勤日期 range {start} ~ {period[1]}",
                                           "export the report again for one month", row=row + 1, sheet=sheet))
            return None
        start = start + dt.timedelta(k0)
    out = {}
    for k, (j, d) in enumerate(days):
        date = start + dt.timedelta(k)
        if date.day != d:
            load.problems.append(C.problem(src, "vendor_header", f"day column {d} does not follow the previous one",
                                           "export the report again without editing the day row",
                                           row=row + 1, sheet=sheet))
            return None
        out[j] = date
    return out


def _blocks(src: Source, load: VendorLoad, sheet: str, rows: list[list[Any]]) -> None:
    pd = _pd()
    dr = _day_row(rows)
    assert dr is not None
    di, days = dr
    period = _period_of(src, load, sheet, rows)
    if period is None:
        return
    date_of = _dates_by_position(src, load, sheet, di, days, period)
    if date_of is None:
        return
    people: list[dict[str, Any]] = []
    cells: list[tuple[int, int, Any, int]] = []  # (person, col, cell, spreadsheet row)
    current = None
    for i in range(di + 1, len(rows)):
        row = rows[i]
        who = _person(row)
        if who is not None:
            current = len(people)
            num, name, dept = who
            people.append({"account": num, "name": name, "dept": dept, "_row": i + 1})
            continue
        if current is None:
            continue
        for j in date_of:
            if j < len(row) and C.text(row[j]):
                cells.append((current, j, row[j], i + 1))
    if not people:
        return
    p = pd.DataFrame(people)
    p["emp"] = pd.NA
    p["_file"] = src.display
    p["_sheet"] = sheet
    p = C.who(p)
    p["dept"] = C.texts(p["dept"])
    load.people = pd.concat([load.people, C.people_of(p)], ignore_index=True) if len(load.people) else C.people_of(p)
    if not cells:
        return
    long = pd.DataFrame(cells, columns=["pidx", "col", "cell", "_row"])
    found = C.cell_times(long["cell"])
    for k in found.loc[found["bad"], "cell"].unique():
        r = long.loc[k]
        load.problems.append(C.problem(src, "bad_time", f"{p.at[r['pidx'], 'name']}: cannot read the punch times "
                                       f"'{C.text(r['cell'])}'", "the clock writes times like 08:5118:31",
                                       int(r["_row"]), f"day {rows[di][int(r['col'])]}", sheet))
    found = found[~found["bad"]]
    sel = long.loc[found["cell"]].reset_index(drop=True)
    pun = p.loc[sel["pidx"], ["key_kind", "key", "name", "vendor_id", "_file", "_sheet"]].reset_index(drop=True)
    pun["date"] = pd.to_datetime(sel["col"].map(date_of))
    pun["_row"] = sel["_row"].to_numpy()
    pun["secs"] = found["secs"].to_numpy()
    pun["note"] = found["note"].to_numpy()
    pun["kind"] = ""
    load.punches = pd.concat([load.punches, pun], ignore_index=True) if len(load.punches) else pun


# --------------------------------------------------------------------------- 考勤报表, three people a sheet

_GROUPS = {"上午": "", "下午": "", "加班": "加班"}
_IN_OUT = {"上班": "in", "签到": "in", "簽到": "in", "下班": "out", "签退": "out", "簽退": "out"}


def _norm(v: Any) -> str:
    return normalize_header(re.sub(r"\s+", "", C.text(v)))


def _group_row(rows: list[list[Any]], scan: int = 40) -> int | None:
    for i in range(min(scan, len(rows) - 1)):
        labs = [_norm(c) for c in rows[i]]
        if "上午" in labs and "下午" in labs:
            sub = [_norm(c) for c in rows[i + 1]]
            if sum(s in _IN_OUT for s in sub) >= 2:
                return i
    return None


class ThreePerSheet(Adapter):
    name = "clock-3"
    label = "U-disk clock 考勤报表 (three people a sheet)"
    expects = "U-disk clock 考勤报表 (per person 姓名/工号, then 上午/下午/加班 × 上班/下班 columns per day)"

    def claims(self, src: Source) -> bool:
        for rows in C.heads(src, 40).values():
            g = _group_row(rows) if rows else None
            if g is not None and any(C.label_value(r, NAME_LABELS) for r in rows[:g]):
                return True
        return False

    def read(self, src: Source) -> VendorLoad:
        load = self.new_load(src)
        for sheet, rows in src.all_rows().items():
            g = _group_row(rows)
            if g is not None:
                _three(src, load, sheet, rows, g)
                load.parts.append(sheet)
        return load


def _three(src: Source, load: VendorLoad, sheet: str, rows: list[list[Any]], g: int) -> None:
    pd = _pd()
    top, sub = rows[g], rows[g + 1]
    width = max(len(top), len(sub))
    anchors = [j for j in range(len(top)) if _norm(top[j]) == "上午"]
    period = C.find_period(C.titles(rows, g))
    if period and load.period is None:
        load.period = period
    people, pun = [], []
    for b, a in enumerate(anchors):
        lo = max([j for j in range(0, a) if _norm(top[j]) in ("日期", "日") or _norm(sub[j]) in ("日期", "日")]
                 + [anchors[b - 1] + 1 if b else 0])
        hi = anchors[b + 1] if b + 1 < len(anchors) else width
        nxt_lo = hi
        if b + 1 < len(anchors):  # the next block starts at its own 日期 column
            cand = [j for j in range(a + 1, anchors[b + 1]) if _norm(top[j]) in ("日期", "日")]
            nxt_lo = cand[0] if cand else anchors[b + 1]
        info: dict[str, str | None] = {"account": None, "name": None, "dept": None}
        for r in rows[:g]:
            for key, labels in (("account", C.ID_LABELS), ("name", NAME_LABELS), ("dept", DEPT_LABELS)):
                got = C.label_value(r, labels, lo, nxt_lo)
                if got and not info[key]:
                    info[key] = got[0]
        if not info["name"] and not info["account"]:
            continue
        people.append({**info, "emp": None, "_row": g + 1, "block": b})
        # time columns of this block: (col, kind, note)
        tcols: list[tuple[int, str, str]] = []
        group = ""
        for j in range(a, nxt_lo):
            t = _norm(top[j]) if j < len(top) else ""
            if t in _GROUPS:
                group = t
            s = _norm(sub[j]) if j < len(sub) else ""
            if s in _IN_OUT and group:
                tcols.append((j, _IN_OUT[s], _GROUPS[group]))
        for i in range(g + 2, len(rows)):
            row = rows[i]
            day = C.cell(rows, i, lo)
            d = _resolve_day(day, period)
            if d is None:
                continue
            for j, kind, note in tcols:
                v = C.cell(rows, i, j)
                if C.text(v):
                    pun.append({"block": b, "date": d, "cell": v, "kind": kind, "note": note or None,
                                "_row": i + 1, "column": C.text(top[j]) + C.text(sub[j])})
            del row
    if not people:
        return
    p = pd.DataFrame(people)
    p["_file"] = src.display
    p["_sheet"] = sheet
    p = C.who(p)
    p["dept"] = C.texts(p["dept"])
    load.people = pd.concat([load.people, C.people_of(p)], ignore_index=True) if len(load.people) else C.people_of(p)
    if not pun:
        return
    long = pd.DataFrame(pun)
    found = C.cell_times(long["cell"])
    for k in found.loc[found["bad"], "cell"].unique():
        r = long.loc[k]
        load.problems.append(C.problem(src, "bad_time", f"cannot read the punch time '{C.text(r['cell'])}'",
                                       "write it like 08:25", int(r["_row"]), str(r["column"]), sheet))
    found = found[~found["bad"]]
    sel = long.loc[found["cell"]].reset_index(drop=True)
    who = p.set_index("block")[["key_kind", "key", "name", "vendor_id", "_file", "_sheet"]]
    out = who.loc[sel["block"]].reset_index(drop=True)
    out["date"] = pd.to_datetime(sel["date"])
    out["secs"] = found["secs"].to_numpy()
    out["kind"] = sel["kind"].to_numpy()
    out["note"] = sel["note"].to_numpy()
    out["_row"] = sel["_row"].to_numpy()
    load.punches = pd.concat([load.punches, out], ignore_index=True) if len(load.punches) else out


def _resolve_day(v: Any, period: tuple[dt.date, dt.date] | None) -> dt.date | None:
    """A day cell of the 考勤报表 (``01``, ``01 二``, ``10-01``, a date) as a date of the period."""
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = C.text(v)
    m = re.match(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", s)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    if period is None:
        return None
    m = re.match(r"^(\d{1,2})[-/.月](\d{1,2})", s)
    if m:
        try:
            return C.near_date(period[0], int(m.group(1)), int(m.group(2)))
        except ValueError:
            return None
    m = re.match(r"^(\d{1,2})(?:日)?(?:\s|$|[一二三四五六日])", s + " ")
    if m:
        d = int(m.group(1))
        day = period[0]
        while day <= period[1]:
            if day.day == d:
                return day
            day += dt.timedelta(days=1)
    return None
