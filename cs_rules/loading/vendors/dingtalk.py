"""DingTalk (钉钉) 考勤报表: 打卡时间, 原始记录, 每日统计 (每日汇总), 月度汇总 — alone or
together in one workbook — and the 签到报表 (check-ins: sheets 已签到 and 未签到).

Each report is recognised by its sheet name or by its title row (``原始记录 统计日期：
2026-05-01 至 2026-05-31``; the 每日统计 sheet is titled ``每日汇总 …``), else by its
header.  A workbook holding several reports holds several views of the same punches:
one is read — 原始记录 first (every punch, with its result), then 打卡时间, 每日统计,
月度汇总 — and the others are cross-checked against it, never counted twice.

* 打卡时间: one column per day of the title's 统计日期 range, in order; weekend and
  holiday columns are labelled 六/日/端午节 instead of a number, so a column's date is
  its position in the range.  A cell holds the day's punches; one earlier than the one
  before it, or marked 次日, is past midnight of that work day.
* 原始记录: one row per punch with 考勤日期 (the work day) and 打卡时间; rows whose
  打卡结果 starts with 打卡无效 are left out (and reported); 补卡审批通过 and
  管理员…改为正常 rows are approved corrections.
* 每日统计: one row per person-day: 上班N/下班N 打卡时间 (in/out punches), their
  results (verdicts), 班次 (the schedule), 关联的审批单 (外出/出差/补卡) and the 请假
  columns (事假(小时), 年假(天) …: leave of that day).
* 月度汇总: one column per day holding the day's verdict text, which also names leave,
  outings and corrections with their times (``事假05-06 08:30到05-06 12:00 3.5小时``) and
  the day's first and last punch in brackets (read only when no other report is there).
* 签到报表 (title 钉钉签到报表, 统计日期 in the second row): sheet 已签到 one row per check-in
  (姓名 — ``[离职]`` marks who left —, 工号, 部门, 完整部门, 职位, 日期, 时间, 地点, 拜访对象, 备注),
  read as punches noted 签到 (beside another report's punches, added to them); sheet 未签到
  (title 钉钉签到报表(未签到员工44人)) the people without a check-in, read as people only.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from cs_rules.loading.columns import normalize_header
from cs_rules.loading.vendors import cells as C
from cs_rules.loading.vendors import requests as R
from cs_rules.loading.vendors.base import Adapter, VendorLoad

if TYPE_CHECKING:
    import pandas as pd

    from cs_rules.loading.sources import Source

KINDS = ("打卡时间", "原始记录", "每日统计", "月度汇总")
ALIASES = {"每日汇总": "每日统计"}
FIXED = ("姓名", "考勤组", "部门", "工号", "职位", "UserId")
# 签到报表 (DingTalk's 签到, field check-ins): sheet 已签到 one row per check-in (日期, 时间, 地点),
# sheet 未签到 the people without one (read as people, never as punches)
SIGNIN_REPORT, NOT_SIGNED = "签到报表", "未签到"
PUNCH_ORDER = ("原始记录", "打卡时间", "每日统计", "月度汇总", SIGNIN_REPORT, NOT_SIGNED)
# 外出05-07 14:00到05-07 16:00 2小时 / 补卡申请05-20 08:30到05-20 08:30 / 年假05-06 08:30到05-08 18:00 3天
_APPROVAL_RE = (r"(?P<word>[^\d\s，,；;()（）:：\n]+?)\s*(?P<sm>\d{1,2})-(?P<sd>\d{1,2})\s+"
                r"(?P<st>\d{1,2}:\d{2})\s*到\s*(?P<em>\d{1,2})-(?P<ed>\d{1,2})\s+(?P<et>\d{1,2}:\d{2})"
                r"(?:\s*(?P<q>\d+(?:\.\d+)?)\s*(?P<u>小时|天))?")
_BRACKET_RE = r"[（(]\s*([0-9:：,，\-\s]*)[)）]\s*$"
_WEEKDAY_LABEL = re.compile(r"^(?:周|星期)?[一二三四五六日天]$|^周末$")


def _pd() -> Any:
    import pandas as pd

    return pd


def sheet_kind(sheet: str, rows: list[list[Any]]) -> str | None:
    """Which DingTalk report a sheet is: by title, else sheet name, else header; None if none."""
    if not rows:
        return None
    first, second = C.title(rows, 0), C.title(rows, 1)
    dingtalk_head = "统计日期" in first or "报表生成时间" in second or "报表生成时间" in first
    for word in KINDS + tuple(ALIASES):
        if first.startswith(word) and dingtalk_head:
            return ALIASES.get(word, word)
    name = ALIASES.get(sheet.strip(), sheet.strip())
    if dingtalk_head and "签到报表" in first:  # 钉钉签到报表 / 钉钉签到报表(未签到员工44人)
        return NOT_SIGNED if NOT_SIGNED in first or name == NOT_SIGNED else SIGNIN_REPORT
    if dingtalk_head:
        if name in KINDS:
            return name
        for word in KINDS + tuple(ALIASES):
            if word in first:
                return ALIASES.get(word, word)
        return "unknown"
    if C.header_row(rows, ("姓名", "考勤日期", "打卡时间", "考勤组|UserId")) is not None:
        return "原始记录"
    i = C.header_row(rows, ("姓名", "日期", "考勤组|UserId"))
    if i is not None and any(re.fullmatch(r"(上班|下班)\d*(打卡时间)?", lab) for lab in C.labels_of(rows[i])):
        return "每日统计"
    i = C.header_row(rows, ("姓名", "UserId", "考勤组"))
    if i is not None:
        return "月度汇总" if name == "月度汇总" or {"考勤结果", "出勤天数"} & C.labels_of(rows[i]) else "打卡时间"
    return None


class DingTalk(Adapter):
    name = "dingtalk"
    label = "DingTalk (钉钉) 考勤报表"
    expects = ("DingTalk reports 打卡时间 / 原始记录 / 每日统计 / 月度汇总 (title '… 统计日期：YYYY-MM-DD 至 "
               "YYYY-MM-DD', header " + ", ".join(FIXED) + ") and 签到报表 (sheets 已签到: 姓名, 工号, 日期, "
               "时间, 地点; 未签到)")

    def claims(self, src: Source) -> bool:
        return any(sheet_kind(name, rows) is not None for name, rows in C.heads(src).items())

    def read(self, src: Source) -> VendorLoad:
        load = self.new_load(src)
        _read(src, load)
        return load


# --------------------------------------------------------------------------- the workbook


class View:
    """What one report sheet gave."""

    def __init__(self, sheet: str, kind: str) -> None:
        self.sheet, self.kind = sheet, kind
        self.punches: pd.DataFrame | None = None
        self.verdicts: pd.DataFrame | None = None
        self.labels: pd.DataFrame | None = None
        self.leave: pd.DataFrame | None = None
        self.approvals: pd.DataFrame | None = None   # trips and outings
        self.corrections: pd.DataFrame | None = None
        self.schedule: pd.DataFrame | None = None
        self.people: pd.DataFrame | None = None


def _read(src: Source, load: VendorLoad) -> None:
    pd = _pd()
    sheets = []
    # an XLSX's sheets are told apart by their first rows; a 原始记录 sheet may then be read by
    # columns (_raw), any other one is read whole, as before (a damaged sheet is said)
    heads = C.first_rows(src)
    for sheet in list(src.sheets):
        head = heads.get(sheet) if heads is not None else None
        rows = head if head is not None else src.sheets[sheet]
        kind = sheet_kind(sheet, rows)
        if head is not None and kind != "原始记录":
            rows = src.sheets[sheet]
        if kind is None:
            continue
        period = C.find_period(C.titles(rows, 2))
        if period and load.period is None:
            load.period = period
        sheets.append((sheet, rows, kind, period))
    if not sheets:
        load.problems.append(C.problem(
            src, "vendor_header", "no DingTalk report sheet found: expected a title row like "
            "'打卡时间 统计日期：2026-06-01 至 2026-06-30' and a header row with " + ", ".join(FIXED),
            "export the report again from DingTalk without editing its title and header rows", row=1))
        return
    views: list[View] = []
    for sheet, rows, kind, period in sorted(sheets, key=lambda s: (PUNCH_ORDER + ("unknown",)).index(s[2])):
        if kind == "unknown":
            load.problems.append(C.problem(
                src, "vendor_header", f"unknown DingTalk report '{C.title(rows, 0)[:40]}'",
                "export one of the DingTalk reports 打卡时间, 原始记录, 每日统计 or 月度汇总", row=1, sheet=sheet))
            continue
        view = View(sheet, kind)
        if kind == "原始记录":
            _raw(src, load, view, rows)
        elif kind == "每日统计":
            _daily(src, load, view, rows)
        elif kind in (SIGNIN_REPORT, NOT_SIGNED):
            _signin_report(src, load, view, rows)
        else:
            _grid(src, load, view, rows, period or load.period)
        views.append(view)

    def first(attr: str, order: tuple[str, ...] = PUNCH_ORDER) -> tuple[View | None, Any]:
        for k in order:
            for v in views:
                f = getattr(v, attr)
                if v.kind == k and f is not None and len(f):
                    return v, f
        return None, None

    rank = {k: i for i, k in enumerate(PUNCH_ORDER)}
    chosen, punches = first("punches")
    if punches is not None and chosen is not None:
        load.punches = punches
        load.ranks["punches"] = rank[chosen.kind]
        load.parts.append(chosen.sheet)
        for v in views:
            if v is not chosen and v.kind == SIGNIN_REPORT and chosen.kind != SIGNIN_REPORT and v.punches is not None:
                # field check-ins are punches of their own, beside the clock's: added, not cross-checked
                load.punches = pd.concat([load.punches, v.punches], ignore_index=True)
                load.parts.append(v.sheet)
            elif v is not chosen and v.punches is not None and len(v.punches):
                _cross_check(src, load, chosen, v)
                load.parts.append(f"{v.sheet} (cross-checked)")
    got, verdicts = first("verdicts")
    if verdicts is not None and got is not None:
        load.verdicts = verdicts
        load.ranks["verdicts"] = rank[got.kind]
    _, labels = first("labels", ("打卡时间", "月度汇总"))
    if labels is not None:
        load.day_labels = labels
    lv_view, leave = first("leave", ("每日统计", "月度汇总"))
    ap_view, approvals = first("approvals", ("每日统计", "月度汇总"))
    co_view, corrections = first("corrections", ("原始记录", "每日统计", "月度汇总"))
    for key, got_view in (("leave", lv_view), ("trips", ap_view), ("corrections", co_view)):
        if got_view is not None:
            load.ranks[key] = rank[got_view.kind]
    if leave is not None:
        load.leave = leave
    parts = [f for f in (approvals, corrections) if f is not None and len(f)]
    if parts:
        load.approvals = pd.concat(parts, ignore_index=True)
    sc_view, schedule = first("schedule", ("每日统计", "月度汇总"))
    if schedule is not None and sc_view is not None:
        load.schedule = schedule
        load.ranks["schedule"] = rank[sc_view.kind]
    for v in views:
        if v.kind == NOT_SIGNED:
            load.parts.append(f"{v.sheet} (people without a check-in)")
    people = [v.people for v in views if v.people is not None and len(v.people)]
    if people:
        load.people = pd.concat(people, ignore_index=True).drop_duplicates(["key_kind", "key"])
    _unexplained_leave(src, load, views)


def _cross_check(src: Source, load: VendorLoad, chosen: View, other: View) -> None:
    """Person-days the other report shows punches for and the chosen one has none."""
    a, b = chosen.punches, other.punches
    assert a is not None and b is not None
    have = set(zip(a["key"], a["date"], strict=True))
    extra = b[[(k, d) not in have for k, d in zip(b["key"], b["date"], strict=True)]]
    extra = extra.drop_duplicates(["key", "date"]).sort_values("_row", kind="stable")
    if not len(extra):
        return
    shown = ", ".join(f"{r.name} {r.date:%m-%d}" for r in extra.head(8).itertuples())
    load.problems.append(C.problem(
        src, "views_disagree",
        f"{other.sheet} shows punches on {len(extra)} person-day(s) that {chosen.sheet} has none for: {shown}"
        + (" …" if len(extra) > 8 else ""),
        f"{chosen.sheet} is read (it is the most complete report); check these days in DingTalk — "
        "usually punches DingTalk invalidated", int(extra["_row"].iloc[0]), "", other.sheet, "warning"))


def _unexplained_leave(src: Source, load: VendorLoad, views: list[View]) -> None:
    """A 请假 result on a day no typed leave covers: say so instead of paying it as absent."""
    marks = []
    for v in views:
        if v.punches is not None and len(v.punches) and "note" in v.punches:
            m = v.punches[v.punches["note"] == "请假"]
            if len(m):
                marks.append(m)
    if not marks:
        return
    pd = _pd()
    m = pd.concat(marks).drop_duplicates(["key", "date"])
    lv = load.leave
    covered = set()
    for r in lv.itertuples():
        for d in pd.date_range(r.start_date, r.end_date):
            covered.add((r.key, d))
    left = m[[(k, d) not in covered for k, d in zip(m["key"], m["date"], strict=True)]]
    for r in left.head(20).itertuples():
        load.problems.append(C.problem(
            src, "leave_without_type", f"{r.name}: DingTalk marks {r.date:%Y-%m-%d} 请假 but the workbook gives "
            "no leave type for it", "add the leave to leave.csv (employee_id, start_date, end_date, type), or "
            "export the 每日统计 report with it", int(r._row), "打卡结果", str(r._sheet), "warning"))


def _header_problem(src: Source, load: VendorLoad, sheet: str, kind: str, needs: tuple[str, ...]) -> None:
    load.problems.append(C.problem(
        src, "vendor_header",
        f"DingTalk {kind} sheet without the header this program reads: expected a header row "
        f"(row 3) with columns {', '.join(needs)}",
        "export the report again from DingTalk without editing its header rows, or copy the "
        "punches into a sign-in sheet (employee_id, date, sign_in, sign_out)",
        row=3, column=", ".join(needs), sheet=sheet))


PEOPLE = {"name": "姓名", "emp": "工号", "account": "UserId", "dept": "部门"}  # the columns _people takes
RAW = ("考勤日期", "打卡时间", "打卡结果")  # and those _raw takes besides


def _people(src: Source, h: C.Header, body: C.Body, start: int, sheet: str) -> pd.DataFrame:
    pd = _pd()
    df = C.columns_of(body, {role: h.find(label) for role, label in PEOPLE.items()})
    df["_row"] = pd.RangeIndex(start + 1, start + 1 + len(body))
    df = C.who(df)
    df["dept"] = C.texts(df["dept"])
    df["_file"] = src.display
    df["_sheet"] = sheet
    return df


def _body_start(rows: list[list[Any]], h: C.Header, limit: int = 2) -> int:
    """The first data row: below the header and the (empty) second row of a merged header."""
    start = h.index + 1
    jn = h.find("姓名")
    while start < len(rows) and start <= h.index + limit and C.text(C.cell(rows, start, jn)) == "":
        start += 1
    return start


def _note_of(result: pd.Series) -> pd.Series:
    """What a punch's 打卡结果 says beside the punch: 补卡, 外出, 出差, 请假, 加班, 外勤."""
    pd = _pd()
    r = result.fillna("")
    note = pd.Series(pd.NA, index=result.index, dtype="string")
    for word, mark in (("外勤", "外勤"), ("加班", "加班"), ("请假", "请假"), ("外出", "外出"), ("出差", "出差"),
                       ("改为", "补卡"), ("补卡", "补卡")):
        note = note.mask(r.str.contains(word, regex=False), mark)
    return note


def _corrections_from(df: pd.DataFrame, result: pd.Series, by: pd.Series | None = None) -> pd.DataFrame:
    """Approved corrections: punches whose result is 补卡审批通过 or 管理员…改为正常."""
    pd = _pd()
    r = result.fillna("")
    mask = r.str.contains("补卡|改为", regex=True) & df["secs"].notna()
    c = df[mask][["key_kind", "key", "name", "vendor_id", "date", "secs", "kind", "_file", "_sheet", "_row"]].copy()
    if not len(c):
        return c
    c = c.rename(columns={"kind": "punch_kind"})
    c["kind"] = "correction"
    c["reason"] = r[mask]
    admin = r[mask].str.extract(r"管理员(.+?)改为", expand=False)
    c["approved_by"] = admin.where(admin.notna(), "DingTalk 补卡审批").astype("string")
    if by is not None:
        c["approved_by"] = c["approved_by"].astype("string")
    return c.assign(start_date=pd.NaT, end_date=pd.NaT, half_day=False)


# --------------------------------------------------------------------------- 原始记录


def _raw(src: Source, load: VendorLoad, view: View, rows: list[list[Any]]) -> None:
    pd = _pd()
    sheet = view.sheet
    h = C.find_header(rows, ("姓名", "考勤日期", "打卡时间"))
    if h is None or (h.find("UserId") is None and h.find("工号") is None):
        _header_problem(src, load, sheet, "原始记录", FIXED + ("考勤日期", "考勤时间", "打卡时间", "打卡结果"))
        return
    start = _body_start(rows, h, 1)
    jd, jt, jr = (h.find(label) for label in RAW)
    wanted = [j for j in (*(h.find(label) for label in PEOPLE.values()), jd, jt, jr) if j is not None]
    body: C.Body | None = C.columns_below(src, sheet, start - 1, wanted) if start < len(rows) else None
    if body is None:
        rows = src.sheets[sheet]
        body = rows[start:]
    df = _people(src, h, body, start, sheet)
    extra = C.columns_of(body, {"date_raw": jd, "punch": jt, "result": jr})
    df = df.join(extra)
    df["result"] = C.texts(df["result"])
    df = df[df["name"].notna() | df["vendor_id"].notna()]
    view.people = C.people_of(df)
    date, bad = C.dates(df["date_raw"])
    load.problems += C.bad_cells(src, sheet, h.label(jd), bad, df["date_raw"], df["_row"], "bad_date",
                                 "cannot read the date", "write it like 2026-06-01")
    df["date"] = date
    df = df[df["date"].notna()]
    # a date-time cell is a punch; only text cells are read as text (a million distinct
    # date-times turned into text once each cost seconds)
    punch = df["punch"]
    is_text = punch.map(type).isin([str]).to_numpy()
    text = C.texts(punch[is_text])
    present = pd.Series(~is_text & punch.notna().to_numpy(), index=df.index)
    present[is_text] = (text.notna() & ~text.isin(C.NO_PUNCH_WORDS)).to_numpy()
    d2, s2, bad2 = C.stamps(df["punch"].where(present, ""))
    secs = s2 + ((d2 - df["date"]).dt.days * 86400.0)
    only_time = present & bad2
    if bool(only_time.any()):  # a bare time: of the work day itself
        t, bad_t = C.clock_times(df["punch"].where(only_time, ""))
        secs = secs.where(~only_time, t)
        bad2 = only_time & bad_t
    load.problems += C.bad_cells(src, sheet, h.label(jt), bad2 & present, df["punch"], df["_row"], "bad_time",
                                 "cannot read the punch time", "write it like 08:26 or 2026-06-01 08:26")
    df["secs"] = secs.where(present & ~bad2)
    df["kind"] = pd.Series("", index=df.index, dtype="string")
    df["note"] = _note_of(df["result"])
    invalid = df["result"].fillna("").str.startswith("打卡无效") & df["secs"].notna()
    _report_invalid(src, load, sheet, h.label(jr), df[invalid], "marked 打卡无效 by DingTalk")
    ok = df[df["secs"].notna() & ~invalid]
    view.punches = ok
    view.corrections = _corrections_from(ok, ok["result"])
    res = df[df["result"].notna() & ~invalid]
    if jr is not None and len(res):
        g = res.groupby(["key_kind", "key", "date"], sort=False)
        ver = g.agg(name=("name", "first"), vendor_id=("vendor_id", "first"), _row=("_row", "min"))
        ver["text"] = C.join_texts(res, ["key_kind", "key", "date"], "result")
        ver = ver.reset_index()
        for k, v in C.verdict_flags(ver["text"]).items():
            ver[k] = v
        ver["_file"] = src.display
        ver["_sheet"] = sheet
        view.verdicts = ver


# --------------------------------------------------------------------------- 签到报表


def _signin_report(src: Source, load: VendorLoad, view: View, rows: list[list[Any]]) -> None:
    """签到报表: sheet 已签到 is one row per check-in (姓名, 工号, 部门, …, 日期, 时间, 地点 …), read as
    punches; sheet 未签到 lists the people without a check-in (姓名, 工号, 部门, 职位): people only."""
    pd = _pd()
    sheet = view.sheet
    needs = ("姓名", "日期", "时间") if view.kind == SIGNIN_REPORT else ("姓名",)
    h = C.find_header(rows, needs)
    if h is None:
        _header_problem(src, load, sheet, view.kind, needs)
        return
    start = h.index + 1
    body = rows[start:]
    df = _people(src, h, body, start, sheet)
    df = df[df["name"].notna() | df["key"].notna()]
    view.people = C.people_of(df)
    if view.kind != SIGNIN_REPORT or not len(df):
        return
    jd, jt = h.find("日期"), h.find("时间")
    extra = C.columns_of(body, {"date_raw": jd, "time": jt, "place": h.find("地点")})
    df = df.join(extra)
    date, bad = C.dates(df["date_raw"])
    load.problems += C.bad_cells(src, sheet, h.label(jd), bad, df["date_raw"], df["_row"], "bad_date",
                                 "cannot read the date", "write it like 2026-06-01")
    has_time = C.texts(df["time"]).notna()
    secs, bad_t = C.clock_times(df["time"].where(has_time, ""))
    bad_t = bad_t & has_time & ~bad
    load.problems += C.bad_cells(src, sheet, h.label(jt), bad_t, df["time"], df["_row"], "bad_time",
                                 "cannot read the punch time", "write it like 15:22:53")
    df["date"] = date
    df["secs"] = secs
    ok = df[df["date"].notna() & df["secs"].notna() & ~bad_t].copy()
    ok["kind"] = pd.Series("", index=ok.index, dtype="string")
    ok["note"] = pd.Series("签到", index=ok.index, dtype="string")
    view.punches = ok


def _report_invalid(src: Source, load: VendorLoad, sheet: str, column: str, bad: pd.DataFrame, why: str) -> None:
    if not len(bad):
        return
    for _key, grp in bad.groupby(["key_kind", "key"], sort=False):
        rows = [int(r) for r in grp["_row"]]
        shown = ", ".join(map(str, rows[:10])) + (" …" if len(rows) > 10 else "")
        load.problems.append(C.problem(
            src, "invalid_punch", f"{grp['name'].iloc[0]}: {len(rows)} punch{'es' if len(rows) > 1 else ''} "
            f"{why} left out (row{'s' if len(rows) > 1 else ''} {shown})",
            "nothing to do if DingTalk is right; otherwise correct the punch in DingTalk and export again",
            rows[0], column, sheet, "warning"))


# --------------------------------------------------------------------------- 每日统计


def _daily(src: Source, load: VendorLoad, view: View, rows: list[list[Any]]) -> None:
    """每日统计: one row per person-day; 上班N/下班N 打卡时间 columns (one- or two-row header)."""
    pd = _pd()
    sheet = view.sheet
    needs = ("姓名", "工号", "UserId", "日期", "上班1打卡时间", "下班1打卡时间")
    h = C.find_header(rows, ("姓名", "日期")) or C.find_header(rows, ("姓名", "考勤日期"))
    if h is None:
        _header_problem(src, load, sheet, "每日统计", needs)
        return
    tcols: list[tuple[int, str, int | None, str]] = []  # (time col, in/out, result col, label)
    for j, lab in enumerate(h.labels):
        grp = h.groups[j] or ""
        m = re.fullmatch(r"(上班|下班)\d*打卡时间", lab)
        m2 = lab == "打卡时间" and re.match(r"(上班|下班)\d*", grp)
        if m or m2:
            word = (m.group(1) if m else grp[:2])
            res = None
            nxt = h.labels[j + 1] if j + 1 < len(h.labels) else ""
            if nxt.endswith("打卡结果"):
                res = j + 1
            label = h.label(j) if m else f"{grp} {h.label(j)}"
            tcols.append((j, "in" if word == "上班" else "out", res, label))
    if not tcols:
        _header_problem(src, load, sheet, "每日统计", needs)
        return
    start = _body_start(rows, h, 2)
    body = rows[start:]
    df = _people(src, h, body, start, sheet)
    jd = h.find("日期") if h.find("日期") is not None else h.find("考勤日期")
    df["date_raw"] = C.series(body, jd)
    df = df[df["name"].notna() | df["vendor_id"].notna()]
    view.people = C.people_of(df)
    date, bad = C.dates(df["date_raw"])
    load.problems += C.bad_cells(src, sheet, h.label(jd), bad, df["date_raw"], df["_row"], "bad_date",
                                 "cannot read the date", "write it like 2026-06-01")
    df["date"] = date
    df = df[df["date"].notna()]
    who = ["key_kind", "key", "name", "vendor_id", "date", "_file", "_sheet", "_row"]
    parts, results = [], []
    for j, kind, jr, label in tcols:
        raw = C.series(body, j).loc[df.index]
        cells = C.texts(raw)
        cells = cells.where(~cells.isin(C.NO_PUNCH_WORDS))
        long = C.times_in_cells(cells)
        typed_t, typed_bad = C.clock_times(raw.where(cells.notna() & ~cells.index.isin(long["cell"]), ""))
        bad_idx = set(long.loc[long["bad"], "cell"]) | set(typed_bad[typed_bad].index)
        for idx in sorted(bad_idx):
            load.problems.append(C.problem(src, "bad_time", f"cannot read the punch time '{cells[idx]}'",
                                           "write it like 09:03 or 次日 00:30", int(df.at[idx, "_row"]),
                                           label, sheet))
        t = long[~long["bad"]].groupby("cell")["secs"].first()
        secs = typed_t.copy()
        secs[t.index] = t
        secs[list(bad_idx)] = float("nan")
        result = C.texts(C.series(body, jr).loc[df.index]) if jr is not None else pd.Series(
            pd.NA, index=df.index, dtype="string")
        p = df[who].assign(secs=secs, kind=kind, result=result)
        parts.append(p[p["secs"].notna()])
        results.append(df[who].assign(result=result))
    pun = pd.concat(parts, ignore_index=True)
    pun["note"] = _note_of(pun["result"])
    view.punches = pun
    view.corrections = _corrections_from(pun, pun["result"])
    res = pd.concat(results, ignore_index=True)
    res = res[res["result"].notna()]
    if len(res):
        g = res.groupby(["key_kind", "key", "date"], sort=False)
        ver = g.agg(name=("name", "first"), vendor_id=("vendor_id", "first"), _row=("_row", "min"),
                    _file=("_file", "first"), _sheet=("_sheet", "first"))
        ver["text"] = C.join_texts(res, ["key_kind", "key", "date"], "result")
        ver = ver.reset_index()
        for k, v in C.verdict_flags(ver["text"]).items():
            ver[k] = v
        view.verdicts = ver
    js = h.find("班次")
    if js is not None:
        view.schedule = _shifts(df[who].assign(shift=C.texts(C.series(body, js).loc[df.index])))
    ja = h.find("关联的审批单")
    if ja is not None:
        texts = C.texts(C.series(body, ja).loc[df.index])
        lv, ap, co = _approvals(src, load, df[who].assign(text=texts), h.label(ja), sheet)
        view.approvals, view.corrections = ap, (view.corrections if len(view.corrections) else co)
        view.leave = lv
    lv_cols = _leave_columns(h)
    if lv_cols:
        view.leave = _leave_amounts(src, load, df[who], body, lv_cols, sheet)


def _leave_columns(h: C.Header) -> list[tuple[int, str, str, str]]:
    """(col, leave type, unit, label) for the 请假 group's columns (事假(小时), 年假(天) …)."""
    out = []
    for j, raw in enumerate(h.raw):
        grp = h.groups[j] or ""
        m = re.fullmatch(r"\s*([^\s(（]+)\s*[（(]\s*(小时|小時|天)\s*[)）]\s*", raw or "")
        if not m or (grp and grp != normalize_header("请假")):
            continue
        word = m.group(1)
        t = R.leave_type(word)
        if t is None and not word.endswith("假"):
            continue
        out.append((j, t or "", m.group(2), raw))
    return out


def _leave_amounts(src: Source, load: VendorLoad, df: pd.DataFrame, body: list[list[Any]],
                   cols: list[tuple[int, str, str, str]], sheet: str) -> pd.DataFrame:
    """Per person-day leave from the 请假 columns: an amount of half a day or less is a half day."""
    pd = _pd()
    parts = []
    for j, ltype, unit, label in cols:
        raw = C.series(body, j).loc[df.index]
        amount = pd.to_numeric(raw.map(lambda v: v if isinstance(v, (int, float)) else C.text(v)), errors="coerce")
        has = amount.fillna(0) > 0
        if not bool(has.any()):
            continue
        if not ltype:
            first = df[has].iloc[0]
            load.problems.append(C.problem(
                src, "unknown_leave_type", f"leave column '{label}' has no matching leave type: its "
                f"{int(has.sum())} day(s) are not imported",
                "enter these days in leave.csv as one of 事假/病假/年假/婚假/产假/陪产假/丧假/调休",
                int(first["_row"]), label, sheet, "warning"))
            continue
        p = df[has].copy()
        p["type"] = ltype
        p["start_date"] = p["date"]
        p["end_date"] = p["date"]
        p["half_day"] = [R.is_half(float(a), unit) for a in amount[has]]
        p["_hours"] = [float(a) * (8.0 if unit == "天" else 1.0) for a in amount[has]]
        p["_label"] = [f"{label.split('(')[0].split('（')[0]} {float(a):g}{'天' if unit == '天' else '小时'}"
                       for a in amount[has]]
        parts.append(p)
    if not parts:
        return pd.DataFrame()
    out = pd.concat(parts, ignore_index=True)
    out = _one_leave_a_day(src, load, out, sheet)
    out["certificate"] = False
    out["approved"] = True
    return out


def _one_leave_a_day(src: Source, load: VendorLoad, out: pd.DataFrame, sheet: str) -> pd.DataFrame:
    """Two kinds of leave on one day (调休 1小时 and 事假 7小时): cs-rules counts a day's leave as one
    type in half days, so the day is the type with the most hours — a whole day when they add up to
    more than half of it — and a warning names the row, so the clerk can enter it otherwise."""
    key = ["_row", "date"]
    many = out.duplicated(key, keep=False)
    if not bool(many.any()):
        return out.drop(columns=["_hours", "_label"])
    keep = out.sort_values(["_hours"], ascending=False, kind="stable").drop_duplicates(key)
    for (row, day), grp in out[many].groupby(key, sort=False):
        total = float(grp["_hours"].sum())
        top = grp.sort_values("_hours", ascending=False, kind="stable").iloc[0]
        half = R.is_half(total, "小时")
        keep.loc[(keep["_row"] == row) & (keep["date"] == day), "half_day"] = half
        load.problems.append(C.problem(
            src, "leave_merged",
            f"{top.get('name') or top.get('key')} {day:%Y-%m-%d}: {', '.join(grp['_label'])} on one day — counted "
            f"as {top['type']} {'half a day' if half else 'one day'} (cs-rules counts a day's leave as one type, in "
            "half days)",
            "if the day should count otherwise (e.g. half a day of each), enter it in leave.csv and correct the "
            "export", int(row), "请假", sheet, "warning"))
    return keep.sort_index().drop(columns=["_hours", "_label"])


def _shifts(df: pd.DataFrame) -> pd.DataFrame:
    """班次 ``普通出勤 08:30-18:00`` / ``4班次17点 17:00-次日01:30`` / ``休息`` → the schedule."""
    pd = _pd()
    s = df[df["shift"].notna()].copy()
    if not len(s):
        return s
    m = s["shift"].str.extract(r"^(?P<name>.*?)\s*(?P<sh>\d{1,2}):(?P<sm>\d{2})\s*-\s*(?P<nx>次日)?\s*"
                               r"(?P<eh>\d{1,2}):(?P<em>\d{2})")
    s["start"] = pd.to_numeric(m["sh"]) * 3600.0 + pd.to_numeric(m["sm"]) * 60.0
    s["end"] = pd.to_numeric(m["eh"]) * 3600.0 + pd.to_numeric(m["em"]) * 60.0 + m["nx"].notna() * 86400.0
    s["rest"] = s["shift"].str.startswith("休息").fillna(False).astype(bool)
    name = m["name"].astype("string").str.strip()
    s["shift"] = name.where(name.notna() & (name != ""), s["shift"])
    return s


def _approvals(src: Source, load: VendorLoad, df: pd.DataFrame, column: str, sheet: str
               ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(leave, trips/outings, corrections) from texts like ``外出05-07 14:00到05-07 16:00 2小时``."""
    pd = _pd()
    t = df[df["text"].notna()]
    empty = pd.DataFrame()
    if not len(t):
        return empty, empty, empty
    found = t["text"].str.extractall(_APPROVAL_RE)
    if not len(found):
        return empty, empty, empty
    base = found.reset_index(level="match", drop=True).join(t.drop(columns=["text"]))
    base = base.drop_duplicates(["key_kind", "key", "word", "sm", "sd", "st", "em", "ed", "et"])
    leave, trips, fixes = [], [], []
    for r in base.to_dict("records"):
        word = str(r["word"]).strip()
        try:
            start = C.near_date(r["date"].date(), int(r["sm"]), int(r["sd"]))
            end = C.near_date(r["date"].date(), int(r["em"]), int(r["ed"]))
        except ValueError:
            continue
        common = {k: r[k] for k in ("key_kind", "key", "name", "vendor_id", "_file", "_sheet", "_row")}
        st_h, st_m = (int(x) for x in r["st"].split(":"))
        if any(w in word for w in R.CORRECTION_WORDS):
            fixes.append({**common, "kind": "correction", "date": pd.Timestamp(start),
                          "secs": float(st_h * 3600 + st_m * 60), "punch_kind": "", "reason": word,
                          "approved_by": "DingTalk 补卡审批", "start_date": pd.NaT, "end_date": pd.NaT,
                          "half_day": False})
            continue
        if any(w in word for w in R.IGNORED_WORDS):
            continue
        q = float(r["q"]) if isinstance(r["q"], str) else None
        if q is None:  # no amount printed: the span's own hours
            et_h, et_m = (int(x) for x in r["et"].split(":"))
            q = max(0.0, (et_h * 60 + et_m - st_h * 60 - st_m) / 60) if start == end else 8.0
        half = start == end and R.is_half(q, r["u"] if isinstance(r["u"], str) else "小时")
        spans = R.span_rows(start, end, R.afternoon_start(r["st"]), R.morning_end(r["et"]) and start != end, half)
        ltype, akind = R.leave_type(word), R.approval_kind(word)
        if ltype:
            leave += [{**common, **s, "type": ltype, "certificate": False, "approved": True} for s in spans]
        elif akind:
            trips += [{**common, **s, "kind": akind, "reason": f"{word} {r['sm']}-{r['sd']} {r['st']}–"
                       f"{r['em']}-{r['ed']} {r['et']}", "approved_by": "DingTalk 审批"} for s in spans]
        elif word.endswith("假"):
            load.problems.append(C.problem(
                src, "unknown_leave_type", f"{r['name']}: unknown leave type '{word}'",
                "enter this request in leave.csv as one of 事假/病假/年假/婚假/产假/陪产假/丧假/调休",
                int(r["_row"]), column, sheet, "warning"))

    def frame(rows: list[dict[str, Any]]) -> Any:
        f = pd.DataFrame(rows)
        for c in ("start_date", "end_date", "date"):
            if c in f:
                f[c] = pd.to_datetime(f[c])
        return f

    return frame(leave), frame(trips), frame(fixes)


# --------------------------------------------------------------------------- 打卡时间 / 月度汇总


def _is_day_label(v: Any) -> bool:
    s = C.text(v)
    return (isinstance(v, (dt.date, dt.datetime)) or bool(re.fullmatch(r"\d{1,2}", s))
            or bool(_WEEKDAY_LABEL.match(s)) or bool(re.match(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}", s))
            or bool(re.fullmatch(r"\d{1,2}[-/.月]\d{1,2}日?", s)))


def _cell_date(v: Any, period: tuple[dt.date, dt.date] | None) -> dt.date | None:
    """A header cell that names a date by itself: a date cell, ``2026-06-15``, ``6月15日``."""
    pd = _pd()
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = C.text(v)
    if re.match(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}", s):
        d, bad = C.dates(pd.Series([s], dtype=object))
        return None if bool(bad.iloc[0]) or pd.isna(d.iloc[0]) else d.iloc[0].date()
    md = re.fullmatch(r"(\d{1,2})[-/.月](\d{1,2})日?", s)
    if md and period:
        try:
            return C.near_date(period[0], int(md.group(1)), int(md.group(2)))
        except ValueError:
            return None
    return None


def day_columns(top: list[Any], sub: list[Any], first: int, period: tuple[dt.date, dt.date] | None,
                groups: tuple[str, ...] = ("打卡时间", "考勤结果")) -> tuple[list[tuple[int, dt.date, str, str]], str]:
    """The day columns of a grid as (col, date, header text, label), and a problem text ("" if none).

    The columns are the days of the period in order, starting at the first day-like
    column (a day number, a date, 六/日, or the 打卡时间/考勤结果 group): a column's date
    is its position, whatever its label (端午节, 六, 日).  Day numbers must agree.
    """
    width = max(len(top), len(sub))

    def at(row: list[Any], j: int) -> Any:
        return row[j] if j < len(row) else ""

    j0 = None
    for j in range(first, width):
        if _is_day_label(at(top, j)) or _is_day_label(at(sub, j)) or C.text(at(top, j)) in groups:
            j0 = j
            break
    if j0 is None:
        return [], "no day columns"
    anchor: tuple[int, dt.date] | None = None
    if period is not None:
        anchor = (j0, period[0])
    else:
        for j in range(j0, width):
            d = _cell_date(at(top, j), None) or _cell_date(at(sub, j), None)
            if d is not None:
                anchor = (j, d)
                break
    if anchor is None:
        return [], "no period"
    n = (period[1] - period[0]).days + 1 if period is not None else width - j0
    out: list[tuple[int, dt.date, str, str]] = []
    for k in range(n):
        j = j0 + k
        if j >= width:
            break
        t, s = at(top, j), at(sub, j)
        tt, st = C.text(t), C.text(s)
        date = anchor[1] + dt.timedelta(days=j - anchor[0])
        own = _cell_date(t, period) or _cell_date(s, period)
        num = next((int(x) for x in (tt, st) if re.fullmatch(r"\d{1,2}", x)), None)
        if (own is not None and own != date) or (own is None and num is not None and num != date.day):
            return out, (f"column {j + 1} is labelled '{tt or st}' but the 统计日期 range puts "
                         f"{date:%Y-%m-%d} there")
        if period is None and not (_is_day_label(t) or _is_day_label(s) or tt or st):
            break
        out.append((j, date, tt or st, st or tt))
    if period is not None and len(out) < n:
        return out, f"the 统计日期 range has {n} days but the sheet has {len(out)} day columns"
    return out, ""


def _grid(src: Source, load: VendorLoad, view: View, rows: list[list[Any]],
          period: tuple[dt.date, dt.date] | None) -> None:
    pd = _pd()
    sheet, kind = view.sheet, view.kind
    h = C.find_header(rows, ("姓名", "UserId")) or C.find_header(rows, ("姓名", "工号"))
    if h is None:
        _header_problem(src, load, sheet, kind, FIXED)
        return
    hi = h.index
    top = list(rows[hi])
    sub = list(rows[hi + 1]) if hi + 1 < len(rows) else []
    fixed_last = max(j for j in (h.find(n) for n in FIXED) if j is not None)
    cols, why = day_columns(top, sub, fixed_last + 1, period)
    if why == "no period":
        load.problems.append(C.problem(
            src, "vendor_period", "the day columns give day numbers but the title row has no "
            "统计日期 to tell the month", "keep the title row '… 统计日期：YYYY-MM-DD 至 YYYY-MM-DD'",
            row=1, sheet=sheet))
        return
    if not cols or why:
        load.problems.append(C.problem(
            src, "vendor_header", f"DingTalk {kind} sheet: {why or 'no day columns'} (after "
            + ", ".join(FIXED) + ")", "export the report again without adding or removing columns",
            row=hi + 1, sheet=sheet))
        return
    name_below = C.text(C.cell(rows, hi + 1, h.find("姓名")))
    label_row = hi + 2 if hi + 1 < len(rows) and not name_below else hi + 1  # spreadsheet row
    view.labels = pd.DataFrame({"date": pd.to_datetime([d for _, d, _, _ in cols]),
                                "label": [lab for _, _, _, lab in cols],
                                "_row": label_row, "_column": [ht for _, _, ht, _ in cols]})
    start = hi + 1
    body = rows[start:]
    people = _people(src, h, body, start, sheet)
    keep = people["name"].notna() | people["vendor_id"].notna()
    people = people[keep]
    view.people = C.people_of(people)
    if not len(people):
        return
    mask = keep.to_numpy(dtype=bool)
    cells = pd.DataFrame({str(j): C.series(body, j)[mask].to_numpy() for j, _, _, _ in cols}, index=people.index)
    long = cells.stack().rename("cell").reset_index()
    long.columns = ["pidx", "col", "cell"]
    long["col"] = long["col"].astype(int)
    long["text"] = C.texts(long["cell"])
    long = long[long["text"].notna()]
    long["date"] = pd.to_datetime(long["col"].map({j: pd.Timestamp(d) for j, d, _, _ in cols}))
    long["column"] = long["col"].map({j: ht for j, _, ht, _ in cols})
    long = long.join(people[["key_kind", "key", "name", "vendor_id", "_row"]], on="pidx")
    long["_file"] = src.display
    long["_sheet"] = sheet
    base_cols = ["key_kind", "key", "name", "vendor_id", "date", "_file", "_sheet", "_row"]
    if kind == "月度汇总":
        _summary_cells(src, load, view, long, base_cols)
        return
    found = C.times_in_cells(long["text"])
    bad_idx = set(found.loc[found["bad"], "cell"])
    no_time = ~long.index.isin(found["cell"]) & ~long["text"].isin(C.NO_PUNCH_WORDS)
    bad_idx |= set(long.index[no_time])
    for idx in sorted(bad_idx):
        r = long.loc[idx]
        load.problems.append(C.problem(src, "bad_time", f"{r['name']}: cannot read the punch times "
                                       f"'{r['text']}'", "write one punch per line like 08:26",
                                       int(r["_row"]), str(r["column"]), sheet))
    found = found[~found["cell"].isin(list(bad_idx))]
    p = long.loc[found["cell"], base_cols].reset_index(drop=True)
    p["secs"] = found["secs"].to_numpy()
    p["note"] = found["note"].to_numpy()
    p["kind"] = ""
    view.punches = p


def _summary_cells(src: Source, load: VendorLoad, view: View, long: pd.DataFrame, base_cols: list[str]) -> None:
    """月度汇总 day cells: the verdict, the schedule word, leave/outings/corrections with
    their times, and the day's (first, last) punch in brackets."""
    pd = _pd()
    t = long["text"]
    verdict = t.str.replace(_BRACKET_RE, "", regex=True).str.strip()
    rest = verdict.str.startswith("休息")
    v = long[~rest][base_cols].copy()
    v["text"] = verdict[~rest]
    for flag, col in C.verdict_flags(v["text"]).items():
        v[flag] = col
    view.verdicts = v
    shift = verdict.str.extract(r"^([^:：,，\n]+?)[:：]", expand=False)
    sch = long[base_cols].assign(shift=shift.where(~rest, "休息"))
    sch = sch[sch["shift"].notna()].copy()
    sch["rest"] = rest[sch.index]
    sch["start"] = sch["end"] = float("nan")
    view.schedule = sch
    lv, ap, co = _approvals(src, load, long[base_cols].assign(text=verdict), "考勤结果", view.sheet)
    view.leave, view.approvals, view.corrections = lv, ap, co
    inside = t.str.extract(_BRACKET_RE, expand=False)
    inside = inside.where(inside.notna() & inside.str.contains(r"\d", regex=True))
    if bool(inside.notna().any()):
        pair = inside.dropna().str.split(r"[,，]", regex=True, expand=True)
        parts: list[Any] = []
        for k, kind in ((0, "in"), (1, "out")):
            if k not in pair:
                continue
            found = C.times_in_cells(pair[k].astype("string"))
            if kind == "out" and len(parts):  # an out punch before the in punch is past midnight
                first_in = parts[0].set_index("_cell")["secs"]
                before = found["cell"].map(first_in).fillna(-1).to_numpy() > found["secs"].to_numpy()
                found.loc[before, "secs"] += 86400.0
            found = found[~found["bad"]]
            p = long.loc[found["cell"], base_cols].reset_index(drop=True)
            p["secs"] = found["secs"].to_numpy()
            p["kind"] = kind
            p["_cell"] = found["cell"].to_numpy()
            parts.append(p)
        if parts:
            pun = pd.concat(parts, ignore_index=True).drop(columns=["_cell"])
            pun["note"] = pd.NA
            view.punches = pun
