"""WeCom (企业微信) 上下班打卡 exports: the 日报 read in full, the 月报 refused.

* 日报: sheet ``打卡详情`` (one row per punch: every punch with its 上班/下班 kind,
  补卡 marked, 失效 ones left out and reported) is preferred; without it sheet
  ``概况统计与打卡明细`` (one row per person-day, two-row header: 最早/最晚) is used.
  Day verdicts come from the overview's ``考勤结果`` when that sheet is there, else
  from the punches' ``打卡状态``.  ``假勤申请`` texts give leave, business trips (出差),
  outings (外出) and approved corrections (补卡申请).  The overview's ``班次`` (or the
  detail's ``应打卡时间``) is the schedule; everyone it lists is a person, also those
  without a punch all month.
* 月报 (one row per person, day verdicts, no punch times): refused — the punches are
  what pay is computed from — with the hint to export the 日报.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from cs_rules.loading.vendors import cells as C
from cs_rules.loading.vendors import requests as R
from cs_rules.loading.vendors.base import (
    APPROVAL_COLUMNS,
    LEAVE_COLUMNS,
    VERDICT_COLUMNS,
    Adapter,
    VendorLoad,
    empty,
)

if TYPE_CHECKING:
    import pandas as pd

    from cs_rules.loading.sources import Source

DETAIL_NEEDS = ("日期", "姓名", "账号", "打卡类型", "实际打卡时间")
OVERVIEW_NEEDS = ("时间", "姓名", "账号", "最早", "最晚")
_SPAN_RE = re.compile(r"统计时间\s*[:：]\s*(\d{1,2})-(\d{1,2})\s*[～~至-]\s*(\d{1,2})-(\d{1,2})")
_MADE_RE = re.compile(r"制表时间\s*[:：]\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_REQUEST_RE = (r"(?P<word>[^\d\s（(）)；;,，、/:：]+?)\s*(?P<quantity>\d+(?:\.\d+)?)\s*(?P<unit>天|小时|小時|h)\s*"
               r"[（(]\s*(?:\d{4}[/-])?(?P<sm>\d{1,2})[/-](?P<sd>\d{1,2})\s*"
               r"(?P<sp>上午|下午|\d{1,2}:\d{2})?\s*[-~～至]\s*"
               r"(?:\d{4}[/-])?(?P<em>\d{1,2})[/-](?P<ed>\d{1,2})\s*(?P<ep>上午|下午|\d{1,2}:\d{2})?\s*[)）]")
_CORRECTION_RE = (r"(?:补卡|補卡)[^（(]*[（(]\s*(?:\d{4}[/-])?(?P<cm>\d{1,2})[/-](?P<cd>\d{1,2})\s+"
                  r"(?P<ch>\d{1,2}):(?P<cmin>\d{2})")
_SHIFT_TIMES = r"(\d{1,2}):(\d{2})"


def _pd() -> Any:
    import pandas as pd

    return pd


def _is_wecom_head(rows: list[list[Any]]) -> bool:
    head = C.titles(rows, 2)
    return bool(_SPAN_RE.search(head)) or ("制表时间" in head and "统计时间" in head)


class WeComDaily(Adapter):
    name = "wecom"
    label = "WeCom (企业微信) 上下班打卡_日报"
    expects = ("WeCom 上下班打卡_日报: sheet 打卡详情 (" + ", ".join(DETAIL_NEEDS) + ") or 概况统计与打卡明细 ("
               + ", ".join(OVERVIEW_NEEDS) + ")")

    def claims(self, src: Source) -> bool:
        for rows in C.heads(src).values():
            if not rows:
                continue
            if C.find_header(rows, DETAIL_NEEDS) is not None or C.find_header(rows, OVERVIEW_NEEDS) is not None:
                return True
        return any(_is_wecom_head(rows) and not _is_monthly(rows) for rows in C.heads(src).values() if rows)

    def read(self, src: Source) -> VendorLoad:
        load = self.new_load(src)
        _load_wecom(src, load)
        return load


def _is_monthly(rows: list[list[Any]]) -> bool:
    head = C.titles(rows, 2)
    if "月报" in head:
        return True
    h = C.header_row(rows, ("姓名", "账号"))
    if h is None:
        return False
    labs = C.labels_of(rows[h])
    return not ({"最早", "实际打卡时间", "时间", "日期"} & labs) and bool(
        {"应打卡天数", "正常天数", "异常天数", "出勤天数", "工作天数"} & labs)


class WeComMonthly(Adapter):
    name = "wecom-monthly"
    label = "WeCom (企业微信) 上下班打卡_月报"
    expects = "WeCom 上下班打卡_月报 (refused: export the 日报)"

    def claims(self, src: Source) -> bool:
        sheets = [rows for rows in C.heads(src).values() if rows]
        return any(_is_wecom_head(rows) or C.header_row(rows, ("姓名", "账号")) is not None for rows in sheets) \
            and any(_is_monthly(rows) for rows in sheets)

    def read(self, src: Source) -> VendorLoad:
        load = self.new_load(src)
        sheet = next(iter(src.sheets), "")
        load.problems.append(C.problem(
            src, "wecom_monthly",
            "this is a WeCom 月报 (monthly report): it holds day verdicts, not punch times, and pay is "
            "computed from the punches",
            "export 上下班打卡_日报 (daily report) for the same dates from WeCom 管理后台 → 考勤 → 导出, "
            "and put that file in signin/ instead", row=1, sheet=sheet))
        return load


# --------------------------------------------------------------------------- reading


def _period(src: Source, years: list[int]) -> tuple[dt.date, dt.date] | None:
    for rows in src.sheets.values():
        head = C.titles(rows, 3)
        span = _SPAN_RE.search(head)
        if not span:
            continue
        m1, d1, m2, d2 = map(int, span.groups())
        made = _MADE_RE.search(head)
        if made:
            year = int(made.group(1))
            if m1 > int(made.group(2)):  # a December period tabulated in January
                year -= 1
        elif years:
            year = min(years)
        else:
            return None
        try:
            return dt.date(year, m1, d1), dt.date(year + (1 if m2 < m1 else 0), m2, d2)
        except ValueError:
            return None
    return None


def _load_wecom(src: Source, load: VendorLoad) -> None:
    pd = _pd()
    detail = overview = None
    for sheet, rows in src.sheets.items():
        if detail is None:
            h = C.find_header(rows, DETAIL_NEEDS)
            if h is not None:
                detail = (sheet, rows, h)
                continue
        if overview is None:
            h = C.find_header(rows, OVERVIEW_NEEDS)
            if h is not None:
                overview = (sheet, rows, h)
    if detail is None and overview is None:
        load.problems.append(C.problem(
            src, "vendor_header",
            "WeCom export without a sheet this program can read: expected sheet 打卡详情 with columns "
            + ", ".join(DETAIL_NEEDS) + ", or sheet 概况统计与打卡明细 with columns "
            + ", ".join(OVERVIEW_NEEDS),
            "export 上下班打卡_日报 again from WeCom without editing its header rows",
            row=3, sheet=next(iter(src.sheets), "")))
        return
    ov = _overview(src, load, *overview) if overview else None
    if detail is not None:
        emp_by_account: dict[str, str] = {}
        if ov is not None:
            has = ov["emp"].notna() & ov["account"].notna()
            emp_by_account = dict(zip(ov.loc[has, "account"], ov.loc[has, "emp"], strict=True))
        det = _detail(src, load, *detail, emp_by_account)
        load.punches = det["punches"]
        load.verdicts = _overview_verdicts(ov) if ov is not None else det["verdicts"]
        requests = det["frame"]
        load.parts.append(f"{detail[0]} (every punch)")
    else:
        assert ov is not None
        load.punches = _overview_punches(src, load, ov)
        load.verdicts = _overview_verdicts(ov)
        requests = ov
        load.parts.append(f"{overview[0] if overview else ''} (first and last punch)")
    base = ov if ov is not None else requests
    load.people = C.people_of(base)
    load.schedule = _schedule(ov) if ov is not None else det["schedule"]
    years = sorted({int(y) for y in requests["date"].dropna().dt.year.unique()})
    load.period = _period(src, years)
    leave, approvals = _requests(src, load, requests)
    load.leave = leave
    parts = [a for a in (approvals, _corrections(requests, load.punches)) if len(a)]
    load.approvals = pd.concat(parts, ignore_index=True) if parts else empty(APPROVAL_COLUMNS)


def _frame(src: Source, load: VendorLoad, sheet: str, rows: list[list[Any]], h: C.Header,
           cols: dict[str, int | None]) -> pd.DataFrame:
    """Body rows of a WeCom sheet as a frame: raw cells of ``cols`` plus who, date, _row."""
    pd = _pd()
    start = h.index + 1
    body = rows[start:]
    df = C.columns_of(body, cols)
    df["_row"] = pd.RangeIndex(start + 1, start + 1 + len(body))
    df = C.who(df)
    df = df[df["name"].notna()].copy()
    df["emp"] = C.texts(df["emp"])
    df["account"] = df["vendor_id"]
    df["dept"] = C.texts(df["dept"]) if "dept" in df else pd.NA
    date, bad = C.dates(df["date_raw"])
    load.problems += C.bad_cells(src, sheet, h.label(cols["date_raw"]), bad, df["date_raw"], df["_row"],
                                 "bad_date", "cannot read the date", "write it like 2026/02/28 or 2026-02-28")
    missing = date.isna() & ~bad
    load.problems += C.bad_cells(src, sheet, h.label(cols["date_raw"]), missing, df["date_raw"], df["_row"],
                                 "missing_date", "no date in this row", "fill in the day this row is about")
    df["date"] = date
    df["_file"] = src.display
    df["_sheet"] = sheet
    return df[df["date"].notna()]


def _times(src: Source, load: VendorLoad, sheet: str, column: str, raw: pd.Series, rows: pd.Series) -> pd.Series:
    t = C.texts(raw)
    t = t.where(~t.isin(C.NO_PUNCH_WORDS))
    secs, bad = C.clock_times(raw.where(t.notna(), ""))
    load.problems += C.bad_cells(src, sheet, column, bad, raw, rows, "bad_time",
                                 "cannot read the punch time", "write it like 09:03 or 09:03:27")
    return secs


def _detail(src: Source, load: VendorLoad, sheet: str, rows: list[list[Any]], h: C.Header,
            emp_by_account: dict[str, str]) -> dict[str, pd.DataFrame]:
    pd = _pd()
    cols = {"date_raw": h.find("日期"), "name": h.find("姓名"), "account": h.find("账号"),
            "emp": h.find("工号"), "dept": h.find("部门"), "kind_raw": h.find("打卡类型"),
            "due": h.find("应打卡时间"), "time": h.find("实际打卡时间"), "status": h.find("打卡状态"),
            "request": h.find("假勤申请")}
    df = _frame(src, load, sheet, rows, h, cols)
    if emp_by_account:  # 打卡详情 has no 工号: borrow it from the overview sheet
        emp = df["account"].map(emp_by_account).astype("string")
        df["emp"] = df["emp"].fillna(emp)
        df["key_kind"], df["key"] = C.keys(df["emp"], df["account"], df["name"])
    df["secs"] = _times(src, load, sheet, h.label(cols["time"]), df["time"], df["_row"])
    df["status"] = C.texts(df["status"])
    kind_raw = C.texts(df["kind_raw"]).fillna("")
    kind = pd.Series("", index=df.index, dtype="string")
    kind = kind.mask(kind_raw.str.contains("下班|签退", regex=True), "out")
    df["kind"] = kind.mask(kind_raw.str.contains("上班|签到", regex=True), "in")
    status = df["status"].fillna("")
    df["note"] = pd.Series(pd.NA, index=df.index, dtype="string").mask(
        status.str.contains("补卡|補卡", regex=True), "补卡").mask(kind_raw.str.contains("外出"), "外出")
    invalid = status.str.startswith("失效") & df["secs"].notna()
    _report_invalid(src, load, sheet, h.label(cols["status"]), df[invalid], "marked 失效 (invalidated) by WeCom")
    punches = df[df["secs"].notna() & ~invalid]
    # day verdicts from 打卡状态 (invalidated punches, 失效, do not count)
    st = df[df["status"].notna() & ~status.str.startswith("失效")]
    if len(st):
        g = st.groupby(["key_kind", "key", "date"], sort=False)
        verdicts = g.agg(name=("name", "first"), vendor_id=("vendor_id", "first"), _row=("_row", "min"))
        verdicts["text"] = C.join_texts(st, ["key_kind", "key", "date"], "status")
        verdicts = verdicts.reset_index()
        for k, v in C.verdict_flags(verdicts["text"]).items():
            verdicts[k] = v
        verdicts["_file"] = src.display
        verdicts["_sheet"] = sheet
    else:
        verdicts = empty(VERDICT_COLUMNS)
    df["request"] = C.texts(df["request"])
    due, _bad = C.clock_times(df["due"].where(C.texts(df["due"]).notna(), ""))
    df["due_secs"] = due
    sched = df[df["due_secs"].notna()].groupby(["key_kind", "key", "date"], sort=False).agg(
        name=("name", "first"), vendor_id=("vendor_id", "first"), start=("due_secs", "min"),
        end=("due_secs", "max"), _row=("_row", "min"), _file=("_file", "first"), _sheet=("_sheet", "first"),
    ).reset_index()
    sched["shift"] = pd.NA
    sched["rest"] = False
    return {"punches": punches, "verdicts": verdicts, "frame": df, "schedule": sched}


def _report_invalid(src: Source, load: VendorLoad, sheet: str, column: str, bad: pd.DataFrame, why: str) -> None:
    """One warning per person for punches the export itself invalidated (they are left out)."""
    if not len(bad):
        return
    for (_k, _v), grp in bad.groupby(["key_kind", "key"], sort=False):
        rows = [int(r) for r in grp["_row"]]
        name = grp["name"].iloc[0]
        shown = ", ".join(map(str, rows[:10])) + (" …" if len(rows) > 10 else "")
        load.problems.append(C.problem(
            src, "invalid_punch", f"{name}: {len(rows)} punch{'es' if len(rows) > 1 else ''} {why} left out "
            f"(row{'s' if len(rows) > 1 else ''} {shown})",
            "nothing to do if the export is right; otherwise correct the punch in the app and export again",
            rows[0], column, sheet, "warning"))


def _overview(src: Source, load: VendorLoad, sheet: str, rows: list[list[Any]], h: C.Header) -> pd.DataFrame:
    cols = {"date_raw": h.find("时间"), "name": h.find("姓名"), "account": h.find("账号"),
            "emp": h.find("工号"), "dept": h.find("部门"),
            "first": h.find("最早", exclude_group=("外出打卡",)),
            "last": h.find("最晚", exclude_group=("外出打卡",)),
            "count": h.find("打卡次数"), "request": h.find("假勤申请"), "result": h.find("考勤结果"),
            "shift": h.find("班次"),
            "in1": h.find("打卡时间", group="上班1"), "out1": h.find("打卡时间", group="下班1")}
    df = _frame(src, load, sheet, rows, h, cols)
    df.attrs["labels"] = {k: h.label(j) for k, j in cols.items()}
    df["request"] = C.texts(df["request"])
    df["result"] = C.texts(df["result"])
    return df


def _overview_punches(src: Source, load: VendorLoad, df: pd.DataFrame) -> pd.DataFrame:
    """最早 and 最晚 as the day's punches (this sheet holds no others); a lone punch keeps
    the 上班/下班 kind its 上班1/下班1 cell shows."""
    pd = _pd()
    sheet = str(df["_sheet"].iloc[0]) if len(df) else ""
    labels = df.attrs.get("labels", {})
    first = _times(src, load, sheet, labels.get("first") or "最早", df["first"], df["_row"])
    last = _times(src, load, sheet, labels.get("last") or "最晚", df["last"], df["_row"])
    count = pd.to_numeric(df["count"].map(lambda v: v if isinstance(v, (int, float)) else C.text(v)),
                          errors="coerce")
    one = (count == 1) | (first.notna() & last.isna()) | (first.isna() & last.notna())
    punch = first.fillna(last)
    in1, out1 = C.texts(df["in1"]), C.texts(df["out1"])
    in1 = in1.where(~in1.isin(C.NO_PUNCH_WORDS))
    out1 = out1.where(~out1.isin(C.NO_PUNCH_WORDS))
    lone_out = one & in1.isna() & out1.notna()
    base = df[["key_kind", "key", "name", "vendor_id", "date", "_file", "_sheet", "_row"]]
    a = base.assign(secs=punch.where(one, first), kind=pd.Series("in", index=df.index).mask(lone_out, "out"))
    b = base.assign(secs=last.where(~one), kind="out")
    out = pd.concat([a, b], ignore_index=True)
    out["note"] = pd.NA
    return out[out["secs"].notna()]


def _overview_verdicts(df: pd.DataFrame) -> pd.DataFrame:
    v = df[df["result"].notna()][["key_kind", "key", "name", "vendor_id", "date", "_file", "_sheet", "_row"]].copy()
    v["text"] = df.loc[v.index, "result"]
    for k, s in C.verdict_flags(v["text"]).items():
        v[k] = s
    return v


def _schedule(df: pd.DataFrame) -> pd.DataFrame:
    """班次 ``09:00-12:00、13:00-18:00`` → start 09:00, end 18:00; ``休息`` → a rest day."""
    pd = _pd()
    shift = C.texts(df["shift"])
    s = df[shift.notna()][["key_kind", "key", "name", "vendor_id", "date", "_file", "_sheet", "_row"]].copy()
    shift = shift[shift.notna()]
    s["shift"] = shift
    s["rest"] = shift.str.contains("休息").fillna(False).astype(bool)
    times = shift.str.extractall(_SHIFT_TIMES)
    if len(times):
        secs = (pd.to_numeric(times[0]) * 3600 + pd.to_numeric(times[1]) * 60).astype(float)
        g = secs.groupby(level=0)
        first, last = g.first(), g.last()
        s["start"] = first
        s["end"] = last.where(last >= first, last + 86400)  # a shift past midnight
    else:
        s["start"] = s["end"] = float("nan")
    return s


def _requests(src: Source, load: VendorLoad, df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Leave rows and trip/outing approvals from 假勤申请 texts (repeated on every row of
    the days they cover: each request is read once)."""
    pd = _pd()
    req = df[df["request"].notna()]
    if not len(req):
        return empty(LEAVE_COLUMNS), empty(APPROVAL_COLUMNS)
    found = req["request"].str.extractall(_REQUEST_RE)
    if not len(found):
        return empty(LEAVE_COLUMNS), empty(APPROVAL_COLUMNS)
    base = found.reset_index(level="match", drop=True).join(
        req[["key_kind", "key", "name", "vendor_id", "date", "_file", "_sheet", "_row"]])
    base = base.drop_duplicates(["key_kind", "key", "word", "sm", "sd", "sp", "em", "ed", "ep"])
    base = base.sort_values("_row", kind="stable")
    column = "假勤申请"
    leave: list[dict[str, Any]] = []
    approvals: list[dict[str, Any]] = []
    for r in base.to_dict("records"):
        word = r["word"].strip()
        ltype = R.leave_type(word)
        akind = R.approval_kind(word)
        if ltype is None and akind is None:
            if not any(w in word for w in R.CORRECTION_WORDS + R.IGNORED_WORDS):
                load.problems.append(C.problem(
                    src, "unknown_leave_type", f"{r['name']}: unknown leave type '{word}'",
                    "enter this request in leave.csv as one of 事假/病假/年假/婚假/产假/陪产假/丧假/调休",
                    int(r["_row"]), column, str(r["_sheet"]), "warning"))
            continue
        row_date: dt.date = r["date"].date()
        try:
            start = C.near_date(row_date, int(r["sm"]), int(r["sd"]))
            end = C.near_date(row_date, int(r["em"]), int(r["ed"]))
        except ValueError:
            load.problems.append(C.problem(src, "bad_leave_date", f"{r['name']}: impossible date in request "
                                           f"'{r['word']}{r['quantity']}{r['unit']}'", "check the request in WeCom",
                                           int(r["_row"]), column, str(r["_sheet"])))
            continue
        if end < start:
            load.problems.append(C.problem(src, "bad_leave_date", f"{r['name']}: the request ends before it starts",
                                           "check the request in WeCom", int(r["_row"]), column, str(r["_sheet"])))
            continue
        half = R.is_half(float(r["quantity"]), r["unit"])
        spans = R.span_rows(start, end, R.afternoon_start(r["sp"]), R.morning_end(r["ep"]), half)
        common = {"key_kind": r["key_kind"], "key": r["key"], "name": r["name"], "vendor_id": r["vendor_id"],
                  "_file": r["_file"], "_sheet": r["_sheet"], "_row": int(r["_row"])}
        if ltype is not None:
            leave += [{**common, **s, "type": ltype, "certificate": False, "approved": True} for s in spans]
        else:
            approvals += [{**common, **s, "kind": akind, "reason": f"{word}{r['quantity']}{r['unit']}",
                           "approved_by": "WeCom 假勤申请"} for s in spans]
            load.problems.append(C.problem(
                src, "vendor_not_leave",
                f"{r['name']}: {word} {start:%m-%d}–{end:%m-%d} is not leave; read as an approved "
                f"{'business trip' if akind == 'trip' else 'outing'}",
                "nothing to do: the days it covers count as attended", int(r["_row"]), column,
                str(r["_sheet"]), "info"))
    lv = pd.DataFrame(leave) if leave else empty(LEAVE_COLUMNS)
    ap = pd.DataFrame(approvals) if approvals else empty(APPROVAL_COLUMNS)
    for f in (lv, ap):
        for c in ("start_date", "end_date"):
            if c in f:
                f[c] = pd.to_datetime(f[c])
    return lv, ap


def _corrections(df: pd.DataFrame, punches: pd.DataFrame) -> pd.DataFrame:
    """Approved corrections from ``补卡申请（02-14 18:00）``, with the punch kind the
    corrected punch has in 打卡详情 (``正常(补卡)`` rows)."""
    pd = _pd()
    req = df[df["request"].notna()]
    if not len(req):
        return empty(APPROVAL_COLUMNS)
    found = req["request"].str.extractall(_CORRECTION_RE)
    if not len(found):
        return empty(APPROVAL_COLUMNS)
    base = found.reset_index(level="match", drop=True).join(
        req[["key_kind", "key", "name", "vendor_id", "date", "_file", "_sheet", "_row"]])
    base = base.drop_duplicates(["key_kind", "key", "cm", "cd", "ch", "cmin"]).sort_values("_row", kind="stable")
    rows = []
    for r in base.to_dict("records"):
        try:
            day = C.near_date(r["date"].date(), int(r["cm"]), int(r["cd"]))
        except ValueError:
            continue
        rows.append({"key_kind": r["key_kind"], "key": r["key"], "name": r["name"], "vendor_id": r["vendor_id"],
                     "kind": "correction", "date": pd.Timestamp(day),
                     "secs": float(int(r["ch"]) * 3600 + int(r["cmin"]) * 60), "reason": "补卡申请",
                     "approved_by": "WeCom 假勤申请", "_file": r["_file"], "_sheet": r["_sheet"],
                     "_row": int(r["_row"])})
    out = pd.DataFrame(rows) if rows else empty(APPROVAL_COLUMNS)
    if len(out) and len(punches) and "kind" in punches:
        fixed = punches[punches["note"] == "补卡"][["key_kind", "key", "date", "secs", "kind"]]
        fixed = fixed.drop_duplicates(["key_kind", "key", "date", "secs"]).rename(columns={"kind": "punch_kind"})
        out = out.merge(fixed, on=["key_kind", "key", "date", "secs"], how="left")
    return out
