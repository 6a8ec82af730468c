"""Attendance exports from WeCom (企业微信) and DingTalk (钉钉), read as they arrive.

HR gets these workbooks at month end and should not have to retype them.  This
module recognises the vendor from the workbook's titles and header cells (never
the file name), and turns each layout into the same frames the rest of cs-rules
uses: one sign-in row per person-day, leave requests, the vendor's own day
verdicts, and (DingTalk) the day labels the export printed above each day.

Supported layouts
-----------------
* WeCom ``上下班打卡_日报``: sheet ``打卡详情`` (one row per punch) is preferred;
  without it sheet ``概况统计与打卡明细`` (one row per person-day, two-row header)
  is used.  Day verdicts come from the overview's ``考勤结果`` when that sheet is
  there, else from the punches' ``打卡状态``.  Leave comes from ``假勤申请`` text.
* DingTalk: ``打卡时间`` (grid: one column per day, punches one per line in a
  cell), ``原始记录`` (one row per punch), ``每日统计`` (one row per person-day)
  and ``月度汇总`` (grid of day verdicts).

Nothing here raises on a malformed file: every difficulty becomes a
:class:`~cs_rules.problems.Problem` naming file, sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cs_rules.loading.columns import normalize_header
from cs_rules.loading.parse import clean_text, parse_dates, parse_datetimes, parse_times
from cs_rules.problems import Problem

if TYPE_CHECKING:
    import pandas as pd

    from cs_rules.loading.sources import Source
    from cs_rules.model.inputs import Dataset

VENDORS = ("wecom", "dingtalk")

SIGNIN_COLUMNS = ["key_kind", "key", "name", "vendor_id", "date", "sign_in", "sign_out",
                  "_file", "_sheet", "_row"]
LEAVE_COLUMNS = ["key_kind", "key", "name", "vendor_id", "start_date", "end_date", "type",
                 "half_day", "certificate", "approved", "_file", "_sheet", "_row"]
VERDICT_COLUMNS = ["key_kind", "key", "name", "vendor_id", "date", "late", "early", "missing",
                   "absent", "text", "_file", "_sheet", "_row"]
LABEL_COLUMNS = ["date", "label", "_row", "_column"]
ROSTER_COLUMNS = ["employee_id", "name", "grade", "hire_date", "vendor_id"]

# leave words in vendor request texts -> canonical leave type
LEAVE_WORDS: dict[str, str] = {
    "年假": "annual", "年休假": "annual", "带薪年假": "annual", "帶薪年假": "annual",
    "事假": "personal",
    "病假": "sick",
    "调休": "lieu", "调休假": "lieu", "調休": "lieu", "調休假": "lieu",
    "婚假": "marriage",
    "产假": "maternity", "產假": "maternity",
    "陪产假": "paternity", "陪產假": "paternity",
    "丧假": "bereavement", "喪假": "bereavement",
}
# requests that are not leave (business trips, going out, punch corrections)
NOT_LEAVE_WORDS = ("出差", "外出", "补卡", "補卡", "加班")

NO_PUNCH_WORDS = {"未打卡", "休息", "缺卡", "旷工", "曠工", "请假", "請假", "无", "無", "-", "--"}
_NAME_SUFFIX = r"\s*[（(](?:已离职|已離職|离职|離職)[)）]\s*$"
_TIME_IN_CELL = r"(\d{1,2})[:：](\d{2})"
_PERIOD_RE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*(?:至|到|~|～|－|—|\s-\s)\s*"
                        r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_FILE_PERIOD_RE = re.compile(r"(20\d{2})(\d{2})(\d{2})\s*[-_~～至]\s*(20\d{2})(\d{2})(\d{2})")
_WECOM_SPAN_RE = re.compile(r"统计时间\s*[:：]\s*(\d{1,2})-(\d{1,2})\s*[～~至-]\s*(\d{1,2})-(\d{1,2})")
_WECOM_MADE_RE = re.compile(r"制表时间\s*[:：]\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_LEAVE_RE = (r"(?P<word>[^\d\s（(）)；;,，、/:：]+?)\s*(?P<quantity>\d+(?:\.\d+)?)\s*(?P<unit>天|小时|小時|h)\s*"
             r"[（(]\s*(?:\d{4}[/-])?(?P<sm>\d{1,2})[/-](?P<sd>\d{1,2})\s*"
             r"(?P<sp>上午|下午|\d{1,2}:\d{2})?\s*[-~～至]\s*"
             r"(?:\d{4}[/-])?(?P<em>\d{1,2})[/-](?P<ed>\d{1,2})\s*(?P<ep>上午|下午|\d{1,2}:\d{2})?\s*[)）]")

DINGTALK_KINDS = ("打卡时间", "原始记录", "每日统计", "月度汇总")
DINGTALK_FIXED = ("姓名", "考勤组", "部门", "工号", "职位", "UserId")
WECOM_DETAIL_NEEDS = ("日期", "姓名", "账号", "打卡类型", "实际打卡时间")
WECOM_OVERVIEW_NEEDS = ("时间", "姓名", "账号", "最早", "最晚")


def _pd():
    import pandas as pd

    return pd


# --------------------------------------------------------------------------- result


@dataclass
class VendorLoad:
    """Everything read from one vendor export (see the module docstring).

    ``signins``, ``leave`` and ``verdicts`` carry ``key_kind`` (``employee_id`` when
    the export has a 工号, ``vendor_id`` for the vendor account, ``name`` as a last
    resort), ``key`` and ``name``, plus ``vendor_id`` (the vendor account, NA when
    the export has none) and the source position ``_file``, ``_sheet``, ``_row``.
    """

    vendor: str
    period: tuple[dt.date, dt.date] | None = None
    signins: pd.DataFrame = field(default_factory=lambda: _empty(SIGNIN_COLUMNS))
    leave: pd.DataFrame = field(default_factory=lambda: _empty(LEAVE_COLUMNS))
    verdicts: pd.DataFrame = field(default_factory=lambda: _empty(VERDICT_COLUMNS))
    day_labels: pd.DataFrame = field(default_factory=lambda: _empty(LABEL_COLUMNS))
    problems: list[Problem] = field(default_factory=list)


_DTYPES = {
    "key_kind": "string", "key": "string", "name": "string", "vendor_id": "string",
    "text": "string", "type": "string", "label": "string", "_file": "string",
    "_sheet": "string", "_column": "string",
    "date": "datetime64[ns]", "start_date": "datetime64[ns]", "end_date": "datetime64[ns]",
    "sign_in": "float64", "sign_out": "float64", "_row": "int64",
    "late": "bool", "early": "bool", "missing": "bool", "absent": "bool",
    "half_day": "bool", "certificate": "bool", "approved": "bool",
}


def _empty(columns: list[str]) -> pd.DataFrame:
    pd = _pd()
    return pd.DataFrame({c: pd.Series([], dtype=_DTYPES.get(c, "object")) for c in columns})


def _typed(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``df`` restricted to ``columns`` in order, with the dtypes the interface promises."""
    if df is None or len(df) == 0:
        return _empty(columns)
    out = df.reindex(columns=columns).reset_index(drop=True)
    for c in columns:
        want = _DTYPES.get(c)
        if want and str(out[c].dtype) != want:
            out[c] = out[c].astype(want)  # type: ignore[call-overload]
    return out


# --------------------------------------------------------------------------- helpers


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        return v.date().isoformat()
    return str(v).strip()


def _cell(rows: list[list[Any]], i: int, j: int | None) -> Any:
    if j is not None and i < len(rows) and j < len(rows[i]):
        return rows[i][j]
    return ""


def _series(body: list[list[Any]], j: int | None) -> pd.Series:
    pd = _pd()
    if j is None:
        return pd.Series([""] * len(body), dtype=object)
    return pd.Series([r[j] if j < len(r) else "" for r in body], dtype=object)


@dataclass
class _Header:
    """A header found in a sheet: row index (0-based), labels and their groups."""

    index: int
    labels: list[str]        # normalised label of each column (sub-header when present)
    raw: list[str]           # label as written, for problems
    groups: list[str]        # normalised label of the merged group above (two-row headers)
    top: list[Any]           # the header row's cells as they are
    sub: list[Any]           # the row below's cells as they are

    def find(self, name: str, group: str | None = None, exclude_group: tuple[str, ...] = ()) -> int | None:
        key = normalize_header(name)
        for j, lab in enumerate(self.labels):
            if lab != key:
                continue
            if group is not None and self.groups[j] != normalize_header(group):
                continue
            if self.groups[j] in {normalize_header(g) for g in exclude_group}:
                continue
            return j
        return None

    def label(self, j: int | None) -> str:
        return self.raw[j] if j is not None and j < len(self.raw) else ""


def _find_header(rows: list[list[Any]], needs: tuple[str, ...], scan: int = 10) -> _Header | None:
    """The first row (with the row below as a sub-header) holding every label in ``needs``."""
    want = {normalize_header(n) for n in needs}
    for i in range(min(scan, len(rows))):
        top = list(rows[i])
        sub = list(rows[i + 1]) if i + 1 < len(rows) else []
        width = max(len(top), len(sub))
        labels, raw, groups = [], [], []
        group = ""
        for j in range(width):
            t = _text(top[j]) if j < len(top) else ""
            s = _text(sub[j]) if j < len(sub) else ""
            if t:
                group = t
            # a sub-header cell names the column only under a merged group (t empty
            # or a group title); a top cell with nothing below names it itself
            lab = s if s and not _looks_like_data(sub) else t
            labels.append(normalize_header(lab))
            raw.append(lab)
            groups.append(normalize_header(group) if not t or s else "")
        top_set = {normalize_header(_text(c)) for c in top}
        if not want & top_set:  # the header row itself must name some of the columns
            continue
        if want <= set(labels) or want <= top_set:
            if not want <= set(labels):  # the row below is data: one-row header
                labels = [normalize_header(_text(c)) for c in top]
                raw = [_text(c) for c in top]
                groups = [""] * len(top)
            return _Header(i, labels, raw, groups, top, sub)
    return None


def _looks_like_data(row: list[Any]) -> bool:
    """True when a row looks like a data row (a date or a time in one of its first cells)."""
    for v in row[:8]:
        if isinstance(v, (dt.date, dt.datetime, dt.time)):
            return True
        s = _text(v)
        if re.match(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}", s) or re.match(r"^\d{1,2}:\d{2}$", s):
            return True
    return False


def _title(rows: list[list[Any]], i: int) -> str:
    """The text of title row ``i`` (all its cells joined)."""
    if i >= len(rows):
        return ""
    return " ".join(_text(c) for c in rows[i] if _text(c))


def _unique_parse(parser: Any, raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``parser`` applied to the distinct cells only (an export repeats few dates and times)."""
    pd = _pd()
    try:
        codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    except TypeError:  # unhashable cell values: parse them all
        return parser(raw)
    vals, bad = parser(pd.Series(uniques, dtype=object))
    if (codes < 0).any():  # NA cells: parse as missing
        codes = codes.copy()
        na_val, na_bad = parser(pd.Series([None], dtype=object))
        vals = pd.concat([vals, na_val], ignore_index=True)
        bad = pd.concat([bad, na_bad], ignore_index=True)
        codes[codes < 0] = len(vals) - 1
    return (pd.Series(vals.to_numpy()[codes], index=raw.index, dtype=vals.dtype),
            pd.Series(bad.to_numpy()[codes], index=raw.index, dtype=bool))


def _problem(src: Source, code: str, message: str, hint: str = "", row: int = 0, column: str = "",
             sheet: str = "", severity: str = "error") -> Problem:
    return Problem(src.display, row, column, code, message, hint, severity, sheet)  # type: ignore[arg-type]


def _bad_cells(src: Source, sheet: str, column: str, mask: pd.Series, values: pd.Series,
               rows: pd.Series, code: str, what: str, hint: str) -> list[Problem]:
    out = []
    for idx in mask[mask].index:
        out.append(_problem(src, code, f"{what} '{_text(values[idx])}'", hint,
                            int(rows[idx]), column, sheet))
    return out


def _keys(emp: pd.Series, account: pd.Series, name: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(key_kind, key): 工号 when present, else the vendor account, else the name."""
    pd = _pd()
    e, a, n = clean_text(emp), clean_text(account), clean_text(name)
    kind = pd.Series("name", index=e.index, dtype="string")
    kind = kind.mask(a.notna(), "vendor_id").mask(e.notna(), "employee_id")
    key = e.fillna(a).fillna(n)
    return kind, key


def _clean_names(name: pd.Series) -> pd.Series:
    return clean_text(name).str.replace(_NAME_SUFFIX, "", regex=True)


def _verdict_flags(text: pd.Series) -> dict[str, pd.Series]:
    t = text.fillna("")
    return {
        "late": t.str.contains("迟到|遲到", regex=True),
        "early": t.str.contains("早退", regex=False),
        "missing": t.str.contains("缺卡", regex=False),
        "absent": t.str.contains("旷工|曠工", regex=True),
    }


def _collapse_punches(p: pd.DataFrame, kind_col: str | None = None) -> pd.DataFrame:
    """Punches (key_kind, key, name, vendor_id, date, t, _row, [kind]) -> one row per person-day.

    The earliest punch is the sign-in and the latest the sign-out; one punch is a
    missing sign-out, unless ``kind_col`` says that lone punch was a 下班 punch.
    """
    if len(p) == 0:
        return p.iloc[0:0]
    p = p.sort_values(["key_kind", "key", "date", "t", "_row"], kind="stable")
    g = p.groupby(["key_kind", "key", "date"], sort=False, dropna=False)
    agg = g.agg(name=("name", "first"), vendor_id=("vendor_id", "first"), sign_in=("t", "min"),
                sign_out=("t", "max"), n=("t", "size"), _row=("_row", "min"))
    if kind_col:
        agg["lone_kind"] = g[kind_col].first()
    agg = agg.reset_index()
    one = agg["n"] == 1
    if kind_col:
        out_only = one & agg["lone_kind"].fillna("").astype(str).str.contains("下班|签退|簽退", regex=True)
        agg.loc[out_only, "sign_in"] = float("nan")
        agg.loc[one & ~out_only, "sign_out"] = float("nan")
    else:
        agg.loc[one, "sign_out"] = float("nan")
    return agg


# --------------------------------------------------------------------------- detection


def detect_vendor(src: Source) -> str | None:
    """``"wecom"``, ``"dingtalk"`` or None, judged by the titles and header cells of the sheets."""
    try:
        sheets = getattr(src, "sheets", None) or {}
        for rows in sheets.values():
            if not rows:
                continue
            head = " ".join(_title(rows, i) for i in range(min(2, len(rows))))
            if _WECOM_SPAN_RE.search(head) or "制表时间" in head:
                return "wecom"
            if (_find_header(rows, WECOM_DETAIL_NEEDS) is not None
                    or _find_header(rows, WECOM_OVERVIEW_NEEDS) is not None):
                return "wecom"
        for rows in sheets.values():
            if not rows:
                continue
            if _dingtalk_kind(rows) is not None:
                return "dingtalk"
            if _find_header(rows, ("姓名", "考勤组", "UserId")) is not None:
                return "dingtalk"
    except Exception:  # detection never breaks loading: an unknown file is just "not a vendor file"
        return None
    return None


def _dingtalk_kind(rows: list[list[Any]]) -> str | None:
    first = _title(rows, 0)
    second = _title(rows, 1)
    for kind in DINGTALK_KINDS:
        if first.startswith(kind) and ("统计日期" in first or "報表" in second or "报表生成时间" in second):
            return kind
    if "报表生成时间" in second or "报表生成时间" in first:
        for kind in DINGTALK_KINDS:
            if kind in first:
                return kind
        return "unknown"
    return None


# --------------------------------------------------------------------------- entry point


def load_vendor(src: Source, vendor: str) -> VendorLoad:
    """Read a vendor export; problems (never exceptions) for whatever cannot be read."""
    load = VendorLoad(vendor)
    if vendor not in VENDORS:
        load.problems.append(_problem(src, "unknown_vendor", f"unknown attendance export kind '{vendor}'",
                                      "use one of: " + ", ".join(VENDORS)))
        return load
    if getattr(src, "fmt", "xlsx") != "xlsx":
        load.problems.append(_problem(src, "vendor_not_xlsx",
                                      f"{_VENDOR_NAMES[vendor]} exports are read from .xlsx workbooks",
                                      "export the report again as Excel (.xlsx)"))
        return load
    try:
        if vendor == "wecom":
            _load_wecom(src, load)
        else:
            _load_dingtalk(src, load)
    except Exception as exc:  # a layout we did not foresee: report it, do not crash
        load.problems.append(_problem(
            src, "vendor_unreadable",
            f"cannot read this {_VENDOR_NAMES[vendor]} export ({type(exc).__name__}: {exc})",
            "export the report again without editing it, or copy the punches into a sign-in sheet "
            "(employee_id, date, sign_in, sign_out)"))
    load.signins = _typed(load.signins, SIGNIN_COLUMNS)
    load.leave = _typed(load.leave, LEAVE_COLUMNS)
    load.verdicts = _typed(load.verdicts, VERDICT_COLUMNS)
    load.day_labels = _typed(load.day_labels, LABEL_COLUMNS)
    return load


_VENDOR_NAMES = {"wecom": "WeCom (企业微信)", "dingtalk": "DingTalk (钉钉)"}


# --------------------------------------------------------------------------- WeCom


def _wecom_period(src: Source, years: list[int]) -> tuple[dt.date, dt.date] | None:
    name = getattr(src, "path", None)
    fname = name.name if name is not None else src.display
    m = _FILE_PERIOD_RE.search(fname)
    if m:
        try:
            y1, m1, d1, y2, m2, d2 = map(int, m.groups())
            return dt.date(y1, m1, d1), dt.date(y2, m2, d2)
        except ValueError:
            pass
    for rows in src.sheets.values():
        head = " ".join(_title(rows, i) for i in range(min(3, len(rows))))
        span = _WECOM_SPAN_RE.search(head)
        if not span:
            continue
        m1, d1, m2, d2 = map(int, span.groups())
        made = _WECOM_MADE_RE.search(head)
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
    detail = overview = None
    for sheet, rows in src.sheets.items():
        if detail is None:
            h = _find_header(rows, WECOM_DETAIL_NEEDS)
            if h is not None:
                detail = (sheet, rows, h)
                continue
        if overview is None:
            h = _find_header(rows, WECOM_OVERVIEW_NEEDS)
            if h is not None:
                overview = (sheet, rows, h)
    if detail is None and overview is None:
        load.problems.append(_problem(
            src, "vendor_header",
            "WeCom export without a sheet this program can read: expected sheet 打卡详情 with columns "
            + ", ".join(WECOM_DETAIL_NEEDS) + ", or sheet 概况统计与打卡明细 with columns "
            + ", ".join(WECOM_OVERVIEW_NEEDS),
            "export 上下班打卡_日报 again from WeCom without editing its header rows",
            row=3, sheet=next(iter(src.sheets), "")))
        return

    ov = _wecom_overview(src, load, *overview) if overview else None
    if detail is not None:
        emp_by_account: dict[str, str] = {}
        if ov is not None:
            has = ov["emp"].notna() & ov["account"].notna()
            emp_by_account = dict(zip(ov.loc[has, "account"], ov.loc[has, "emp"], strict=True))
        det = _wecom_detail(src, load, *detail, emp_by_account)
        load.signins = det["signins"]
        leave_src = det["frame"]
        if ov is not None:
            load.verdicts = _wecom_overview_verdicts(ov)
        else:
            load.verdicts = det["verdicts"]
    else:
        assert ov is not None
        load.signins = _wecom_overview_signins(src, load, ov)
        load.verdicts = _wecom_overview_verdicts(ov)
        leave_src = ov
    years = sorted({int(y) for y in leave_src["date"].dropna().dt.year.unique()}) if leave_src is not None else []
    load.period = _wecom_period(src, years)
    if leave_src is not None:
        load.leave = _leave_from_text(src, load, leave_src)


def _wecom_frame(src: Source, load: VendorLoad, sheet: str, rows: list[list[Any]], h: _Header,
                 cols: dict[str, int | None]) -> pd.DataFrame:
    """Body rows of a WeCom sheet as a frame: raw cells of ``cols`` plus keys, date, _row."""
    pd = _pd()
    start = h.index + 1
    body = rows[start:]
    df = pd.DataFrame({k: _series(body, j) for k, j in cols.items()})
    df["_row"] = pd.RangeIndex(start + 1, start + 1 + len(body))
    name = _clean_names(df["name"])
    df = df[name.notna()].copy()
    df["name"] = name[name.notna()]
    df["account"] = clean_text(df["account"])
    df["emp"] = clean_text(df["emp"])
    df["key_kind"], df["key"] = _keys(df["emp"], df["account"], df["name"])
    df["vendor_id"] = df["account"]
    date, bad = _unique_parse(parse_dates, df["date_raw"])
    load.problems += _bad_cells(src, sheet, h.label(cols["date_raw"]), bad, df["date_raw"], df["_row"],
                                "bad_date", "cannot read the date",
                                "write it like 2026/02/28 or 2026-02-28")
    missing = date.isna() & ~bad
    load.problems += _bad_cells(src, sheet, h.label(cols["date_raw"]), missing, df["date_raw"],
                                df["_row"], "missing_date", "no date in this row",
                                "fill in the day this row is about")
    df["date"] = date
    df["_file"] = src.display
    df["_sheet"] = sheet
    return df[df["date"].notna()]


def _times(src: Source, load: VendorLoad, sheet: str, column: str, raw: pd.Series,
           rows: pd.Series) -> pd.Series:
    text = clean_text(raw.map(_text))
    text = text.where(~text.isin(NO_PUNCH_WORDS))
    t, bad = _unique_parse(parse_times, raw.where(text.notna(), ""))
    load.problems += _bad_cells(src, sheet, column, bad, raw, rows, "bad_time",
                                "cannot read the punch time", "write it like 09:03 or 09:03:27")
    return t


def _wecom_detail(src: Source, load: VendorLoad, sheet: str, rows: list[list[Any]], h: _Header,
                  emp_by_account: dict[str, str]) -> dict[str, pd.DataFrame]:
    cols = {"date_raw": h.find("日期"), "name": h.find("姓名"), "account": h.find("账号"),
            "emp": h.find("工号"), "kind": h.find("打卡类型"), "time": h.find("实际打卡时间"),
            "status": h.find("打卡状态"), "request": h.find("假勤申请")}
    df = _wecom_frame(src, load, sheet, rows, h, cols)
    if emp_by_account:  # 打卡详情 has no 工号: borrow it from the overview sheet
        emp = df["account"].map(emp_by_account).astype("string")
        df["emp"] = df["emp"].fillna(emp)
        df["key_kind"], df["key"] = _keys(df["emp"], df["account"], df["name"])
    df["t"] = _times(src, load, sheet, h.label(cols["time"]), df["time"], df["_row"])
    punches = df[df["t"].notna()]
    signins = _collapse_punches(punches[["key_kind", "key", "name", "vendor_id", "date", "t", "_row",
                                         "kind"]], "kind")
    signins["_file"] = src.display
    signins["_sheet"] = sheet

    # day verdicts from 打卡状态 (invalidated punches, 失效, do not count)
    st = df.copy()
    st["status"] = clean_text(st["status"].map(_text))
    st = st[st["status"].notna() & ~st["status"].str.startswith("失效")]
    if len(st):
        g = st.groupby(["key_kind", "key", "date"], sort=False)
        verdicts = g.agg(name=("name", "first"), vendor_id=("vendor_id", "first"),
                         _row=("_row", "min"),
                         text=("status", lambda s: "；".join(dict.fromkeys(s)))).reset_index()
        for k, v in _verdict_flags(verdicts["text"]).items():
            verdicts[k] = v
        verdicts["_file"] = src.display
        verdicts["_sheet"] = sheet
    else:
        verdicts = _empty(VERDICT_COLUMNS)
    df["request"] = clean_text(df["request"].map(_text))
    return {"signins": signins, "verdicts": verdicts, "frame": df}


def _wecom_overview(src: Source, load: VendorLoad, sheet: str, rows: list[list[Any]],
                    h: _Header) -> pd.DataFrame:
    cols = {"date_raw": h.find("时间"), "name": h.find("姓名"), "account": h.find("账号"),
            "emp": h.find("工号"),
            "first": h.find("最早", exclude_group=("外出打卡",)),
            "last": h.find("最晚", exclude_group=("外出打卡",)),
            "count": h.find("打卡次数"), "request": h.find("假勤申请"), "result": h.find("考勤结果"),
            "in1": h.find("打卡时间", group="上班1"), "out1": h.find("打卡时间", group="下班1")}
    df = _wecom_frame(src, load, sheet, rows, h, cols)
    df.attrs["labels"] = {k: h.label(j) for k, j in cols.items()}
    df["request"] = clean_text(df["request"].map(_text))
    df["result"] = clean_text(df["result"].map(_text))
    return df


def _wecom_overview_signins(src: Source, load: VendorLoad, df: pd.DataFrame) -> pd.DataFrame:
    pd = _pd()
    sheet = str(df["_sheet"].iloc[0]) if len(df) else ""
    labels = df.attrs.get("labels", {})
    first = _times(src, load, sheet, labels.get("first") or "最早", df["first"], df["_row"])
    last = _times(src, load, sheet, labels.get("last") or "最晚", df["last"], df["_row"])
    count = pd.to_numeric(df["count"].map(lambda v: v if isinstance(v, (int, float)) else _text(v)),
                          errors="coerce")
    # one punch: 打卡次数 1, or only one of 最早/最晚 present
    one = (count == 1) | (first.notna() & last.isna()) | (first.isna() & last.notna())
    punch = first.fillna(last)
    in1 = clean_text(df["in1"].map(_text))
    out1 = clean_text(df["out1"].map(_text))
    in1 = in1.where(~in1.isin(NO_PUNCH_WORDS))
    out1 = out1.where(~out1.isin(NO_PUNCH_WORDS))
    lone_out = one & in1.isna() & out1.notna()  # the lone punch was the 下班 punch
    out = df[["key_kind", "key", "name", "vendor_id", "date", "_file", "_sheet", "_row"]].copy()
    out["sign_in"] = first.where(~one, punch.where(~lone_out))
    out["sign_out"] = last.where(~one, punch.where(lone_out))
    return out[out["sign_in"].notna() | out["sign_out"].notna()]


def _wecom_overview_verdicts(df: pd.DataFrame) -> pd.DataFrame:
    v = df[df["result"].notna()][["key_kind", "key", "name", "vendor_id", "date", "_file", "_sheet",
                                  "_row"]].copy()
    v["text"] = df.loc[v.index, "result"]
    for k, s in _verdict_flags(v["text"]).items():
        v[k] = s
    return v


# --------------------------------------------------------------------------- leave text


def _leave_from_text(src: Source, load: VendorLoad, df: pd.DataFrame) -> pd.DataFrame:
    """Leave rows from request texts like ``年假2.0天（2/13 上午 - 2/14 下午）``."""
    pd = _pd()
    req = df[df["request"].notna()]
    if not len(req):
        return _empty(LEAVE_COLUMNS)
    found = req["request"].str.extractall(_LEAVE_RE)
    if not len(found):
        return _empty(LEAVE_COLUMNS)
    base = found.reset_index(level="match", drop=True).join(
        req[["key_kind", "key", "name", "vendor_id", "date", "_file", "_sheet", "_row"]])
    base = base.drop_duplicates(["key_kind", "key", "word", "sm", "sd", "sp", "em", "ed", "ep"])
    base = base.sort_values("_row", kind="stable")
    column = "假勤申请"
    rows_out: list[dict[str, Any]] = []
    for r in base.to_dict("records"):
        word = r["word"].strip()
        ltype = LEAVE_WORDS.get(word) or LEAVE_WORDS.get(word.removesuffix("假"))
        if ltype is None:
            if any(w in word for w in NOT_LEAVE_WORDS):
                if "出差" in word or "外出" in word:
                    load.problems.append(_problem(
                        src, "vendor_not_leave",
                        f"{r['name']}: {word} ({r['sm']}/{r['sd']}–{r['em']}/{r['ed']}) is not leave; the days count "
                        "by their punches only",
                        "if those days should count as worked, add their sign-in times to a sign-in sheet",
                        int(r["_row"]), column, str(r["_sheet"]), "warning"))
                continue
            load.problems.append(_problem(
                src, "unknown_leave_type", f"{r['name']}: unknown leave type '{word}'",
                "enter this request in leave.csv as one of 事假/病假/年假/婚假/产假/陪产假/丧假/调休",
                int(r["_row"]), column, str(r["_sheet"]), "warning"))
            continue
        row_date: dt.date = r["date"].date()
        try:
            start = _near_date(row_date, int(r["sm"]), int(r["sd"]))
            end = _near_date(row_date, int(r["em"]), int(r["ed"]))
        except ValueError:
            load.problems.append(_problem(src, "bad_leave_date", f"{r['name']}: impossible date in leave "
                                          f"request '{r['word']}{r['quantity']}{r['unit']}'",
                                          "check the request in WeCom", int(r["_row"]), column, str(r["_sheet"])))
            continue
        if end < start:
            load.problems.append(_problem(src, "bad_leave_date", f"{r['name']}: leave ends before it starts",
                                          "check the request in WeCom", int(r["_row"]), column, str(r["_sheet"])))
            continue
        s_pm = _is_afternoon_start(r["sp"])
        e_am = _is_morning_end(r["ep"])
        hours = r["unit"] in ("小时", "小時", "h")
        common = {"key_kind": r["key_kind"], "key": r["key"], "name": r["name"], "vendor_id": r["vendor_id"],
                  "type": ltype, "certificate": False, "approved": True, "_file": r["_file"],
                  "_sheet": r["_sheet"], "_row": int(r["_row"])}
        if start == end:
            if hours:
                half = float(r["quantity"]) <= 4
            else:
                half = s_pm or e_am or float(r["quantity"]) <= 0.5
            rows_out.append({**common, "start_date": start, "end_date": end, "half_day": bool(half)})
            continue
        one = dt.timedelta(days=1)
        full_from, full_to = start, end
        if s_pm:
            rows_out.append({**common, "start_date": start, "end_date": start, "half_day": True})
            full_from = start + one
        if e_am:
            full_to = end - one
        if full_from <= full_to:
            rows_out.append({**common, "start_date": full_from, "end_date": full_to, "half_day": False})
        if e_am:
            rows_out.append({**common, "start_date": end, "end_date": end, "half_day": True})
    if not rows_out:
        return _empty(LEAVE_COLUMNS)
    out = pd.DataFrame(rows_out)
    out["start_date"] = pd.to_datetime(out["start_date"])
    out["end_date"] = pd.to_datetime(out["end_date"])
    return out


def _near_date(ref: dt.date, month: int, day: int) -> dt.date:
    """The date with this month/day nearest to ``ref`` (requests carry no year)."""
    year = ref.year
    if month - ref.month > 6:
        year -= 1
    elif ref.month - month > 6:
        year += 1
    return dt.date(year, month, day)


def _is_afternoon_start(part: Any) -> bool:
    s = part if isinstance(part, str) else ""
    if s == "下午":
        return True
    m = re.match(r"(\d{1,2}):(\d{2})", s)
    return m is not None and int(m.group(1)) >= 12


def _is_morning_end(part: Any) -> bool:
    s = part if isinstance(part, str) else ""
    if s == "上午":
        return True
    m = re.match(r"(\d{1,2}):(\d{2})", s)
    return m is not None and (int(m.group(1)), int(m.group(2))) <= (13, 0)


# --------------------------------------------------------------------------- DingTalk


def _dingtalk_period(rows: list[list[Any]]) -> tuple[dt.date, dt.date] | None:
    head = " ".join(_title(rows, i) for i in range(min(2, len(rows))))
    m = _PERIOD_RE.search(head)
    if not m:
        return None
    try:
        y1, m1, d1, y2, m2, d2 = map(int, m.groups())
        return dt.date(y1, m1, d1), dt.date(y2, m2, d2)
    except ValueError:
        return None


def _load_dingtalk(src: Source, load: VendorLoad) -> None:
    parts: dict[str, list[pd.DataFrame]] = {"signins": [], "verdicts": [], "labels": []}
    used = {"打卡时间": False, "原始记录": False, "每日统计": False}
    sheets = []
    for sheet, rows in src.sheets.items():
        if not rows:
            continue
        kind = _dingtalk_kind(rows)
        if kind is None:
            if _find_header(rows, ("姓名", "考勤日期", "打卡时间")) is not None:
                kind = "原始记录"
            elif _find_header(rows, ("姓名", "UserId")) is not None:
                kind = "打卡时间"
            else:
                continue
        period = _dingtalk_period(rows)
        if period and load.period is None:
            load.period = period
        sheets.append((sheet, rows, kind, period))
    if not sheets:
        load.problems.append(_problem(
            src, "vendor_header", "no DingTalk report sheet found: expected a title row like "
            "'打卡时间 统计日期：2026-06-01 至 2026-06-30' and a header row with "
            + ", ".join(DINGTALK_FIXED),
            "export the report again from DingTalk without editing its title and header rows", row=1))
        return
    # per-punch sources first: 原始记录 has verdicts too
    order = {"原始记录": 0, "打卡时间": 1, "每日统计": 2, "月度汇总": 3, "unknown": 4}
    for sheet, rows, kind, period in sorted(sheets, key=lambda s: order.get(s[2], 9)):
        if kind == "unknown":
            load.problems.append(_problem(
                src, "vendor_header", f"unknown DingTalk report '{_title(rows, 0)[:40]}'",
                "export one of the DingTalk reports 打卡时间, 原始记录, 每日统计 or 月度汇总",
                row=1, sheet=sheet))
            continue
        if kind == "原始记录":
            res = _dt_raw(src, load, sheet, rows)
        elif kind == "每日统计":
            res = _dt_daily(src, load, sheet, rows)
        else:
            res = _dt_grid(src, load, sheet, rows, kind, period or load.period)
        if res is None:
            continue
        sig, ver, lab = res
        if sig is not None and len(sig) and not any(used.values()):
            parts["signins"].append(sig)  # punches from the first per-punch report only
            used[kind] = True
        if ver is not None and len(ver) and not parts["verdicts"]:
            parts["verdicts"].append(ver)
        if lab is not None and len(lab) and not parts["labels"]:
            parts["labels"].append(lab)
    pd = _pd()
    if parts["signins"]:
        load.signins = pd.concat(parts["signins"], ignore_index=True)
    if parts["verdicts"]:
        load.verdicts = pd.concat(parts["verdicts"], ignore_index=True)
    if parts["labels"]:
        load.day_labels = pd.concat(parts["labels"], ignore_index=True)


def _dt_header(src: Source, load: VendorLoad, sheet: str, rows: list[list[Any]], kind: str,
               needs: tuple[str, ...]) -> _Header | None:
    h = _find_header(rows, needs)
    if h is None:
        load.problems.append(_problem(
            src, "vendor_header",
            f"DingTalk {kind} sheet without the header this program reads: expected a header row "
            f"(row 3) with columns {', '.join(needs)}",
            "export the report again from DingTalk without editing its header rows, or copy the "
            "punches into a sign-in sheet (employee_id, date, sign_in, sign_out)",
            row=3, column=", ".join(needs), sheet=sheet))
    return h


def _dt_people(h: _Header, body: list[list[Any]], start: int) -> pd.DataFrame:
    pd = _pd()
    df = pd.DataFrame({
        "name": _series(body, h.find("姓名")),
        "emp": _series(body, h.find("工号")),
        "account": _series(body, h.find("UserId")),
    })
    df["_row"] = pd.RangeIndex(start + 1, start + 1 + len(body))
    df["name"] = _clean_names(df["name"].map(_text))
    df["emp"] = clean_text(df["emp"].map(_text))
    df["account"] = clean_text(df["account"].map(_text))
    df["key_kind"], df["key"] = _keys(df["emp"], df["account"], df["name"])
    df["vendor_id"] = df["account"]
    return df


def _dt_grid(src: Source, load: VendorLoad, sheet: str, rows: list[list[Any]], kind: str,
             period: tuple[dt.date, dt.date] | None):
    pd = _pd()
    h = _find_header(rows, ("姓名", "UserId")) or _find_header(rows, ("姓名", "工号"))
    if h is None:
        _dt_header(src, load, sheet, rows, kind, DINGTALK_FIXED)
        return None
    # one-row vs two-row header: day labels sit in the row below the header row
    hi = h.index
    top = list(rows[hi])
    sub = list(rows[hi + 1]) if hi + 1 < len(rows) else []
    fixed_last = max(j for j in (h.find(n) for n in DINGTALK_FIXED) if j is not None)
    day_cols: list[tuple[int, dt.date, str, str]] = []  # (col, date, header text, label)
    year_month = (period[0].year, period[0].month) if period else None
    prev_day = 0
    for j in range(fixed_last + 1, max(len(top), len(sub))):
        t = top[j] if j < len(top) else ""
        s = sub[j] if j < len(sub) else ""
        date = None
        ttext, stext = _text(t), _text(s)
        if isinstance(t, (dt.datetime, dt.date)):
            date = t.date() if isinstance(t, dt.datetime) else t
        elif re.match(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}", ttext):
            d, bad = parse_dates(pd.Series([ttext], dtype=object))
            date = None if bad.iloc[0] or pd.isna(d.iloc[0]) else d.iloc[0].date()
        else:
            day_text = ttext if re.fullmatch(r"\d{1,2}", ttext) else (
                stext if re.fullmatch(r"\d{1,2}", stext) else "")
            md = re.fullmatch(r"(\d{1,2})[-/.月](\d{1,2})日?", ttext)
            if md and period:
                try:
                    date = _near_date(period[0], int(md.group(1)), int(md.group(2)))
                except ValueError:
                    date = None
            elif day_text and year_month:
                day = int(day_text)
                y, m = year_month
                if day < prev_day:  # the period runs into the next month
                    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
                    year_month = (y, m)
                try:
                    date = dt.date(y, m, day)
                except ValueError:
                    date = None
                prev_day = day
            elif day_text and not year_month:
                load.problems.append(_problem(
                    src, "vendor_period", "the day columns give day numbers but the title row has no "
                    "统计日期 to tell the month", "keep the title row '… 统计日期：YYYY-MM-DD 至 YYYY-MM-DD'",
                    row=1, sheet=sheet))
                return None
        if date is None:
            continue  # a summary column (出勤天数, 迟到次数 …)
        if date.day != prev_day:
            prev_day = date.day
        label = stext or ttext
        day_cols.append((j, date, ttext or stext, label))
    if not day_cols:
        load.problems.append(_problem(
            src, "vendor_header", f"DingTalk {kind} sheet has no day columns after "
            + ", ".join(DINGTALK_FIXED), "keep one column per day with the date or day number in row 3",
            row=hi + 1, sheet=sheet))
        return None
    name_below = _text(_cell(rows, hi + 1, h.find("姓名")))
    label_row = hi + 2 if hi + 1 < len(rows) and not name_below else hi + 1  # spreadsheet row
    labels = pd.DataFrame({"date": pd.to_datetime([d for _, d, _, _ in day_cols]),
                           "label": [lab for _, _, _, lab in day_cols],
                           "_row": label_row, "_column": [ht for _, _, ht, _ in day_cols]})
    start = hi + 1
    body = rows[start:]
    people = _dt_people(h, body, start)
    keep = people["name"].notna() | people["account"].notna()
    people = people[keep]
    if not len(people):
        return None, None, labels
    cells = pd.DataFrame({str(j): _series(body, j)[keep.to_numpy(dtype=bool)].to_numpy() for j, _, _, _ in day_cols},
                         index=people.index)
    long = cells.stack().rename("cell").reset_index()
    long.columns = ["pidx", "col", "cell"]
    long["col"] = long["col"].astype(int)
    long["text"] = clean_text(long["cell"].map(_text))
    long = long[long["text"].notna()]
    info = {j: (d, ht) for j, d, ht, _ in day_cols}
    long["date"] = pd.to_datetime(long["col"].map(lambda j: info[j][0]))
    long["column"] = long["col"].map(lambda j: info[j][1])
    long = long.join(people[["key_kind", "key", "name", "vendor_id", "_row"]], on="pidx")
    long["_file"] = src.display
    long["_sheet"] = sheet
    base_cols = ["key_kind", "key", "name", "vendor_id", "date", "_file", "_sheet", "_row"]
    if kind == "月度汇总":  # the day cells are the vendor's day verdicts
        v = long[~long["text"].isin({"休息"})][base_cols].copy()
        v["text"] = long.loc[v.index, "text"]
        for k, s in _verdict_flags(v["text"]).items():
            v[k] = s
        return None, v, labels
    found = long["text"].str.extractall(_TIME_IN_CELL)
    found.columns = ["h", "m"]
    hh = pd.to_numeric(found["h"])
    mm = pd.to_numeric(found["m"])
    nxt = long["text"].reindex(found.index.get_level_values(0)).str.contains("次日").values
    found["t"] = (hh * 3600 + mm * 60).astype(float) + nxt * 86400.0
    ok = hh.between(0, 23) & mm.between(0, 59)
    bad_idx = set(found.index.get_level_values(0)[~ok.values])
    no_time = ~long.index.isin(found.index.get_level_values(0)) & ~long["text"].isin(NO_PUNCH_WORDS)
    bad_idx |= set(long.index[no_time])
    for idx in sorted(bad_idx):
        r = long.loc[idx]
        load.problems.append(_problem(src, "bad_time", f"{r['name']}: cannot read the punch times "
                                      f"'{r['text']}'", "write one punch per line like 08:26",
                                      int(r["_row"]), str(r["column"]), sheet))
    found = found[ok.values & ~found.index.get_level_values(0).isin(list(bad_idx))]
    g = found.groupby(level=0)["t"]
    agg = pd.DataFrame({"sign_in": g.first(), "sign_out": g.last(), "n": g.size()})
    agg.loc[agg["n"] == 1, "sign_out"] = float("nan")
    sig = long.loc[agg.index, base_cols].copy()
    sig["sign_in"] = agg["sign_in"]
    sig["sign_out"] = agg["sign_out"]
    return sig, None, labels


def _dt_raw(src: Source, load: VendorLoad, sheet: str, rows: list[list[Any]]):
    needs = ("姓名", "考勤日期", "打卡时间")
    h = _find_header(rows, needs)
    if h is None or (h.find("UserId") is None and h.find("工号") is None):
        _dt_header(src, load, sheet, rows, "原始记录", ("姓名", "考勤组", "部门", "工号", "职位", "UserId",
                                                      "考勤日期", "考勤时间", "打卡时间", "打卡结果"))
        return None
    start = h.index + 1
    if start < len(rows) and _text(_cell(rows, start, h.find("姓名"))) == "":
        start += 1  # the (empty) second row of a merged two-row header
    body = rows[start:]
    df = _dt_people(h, body, start)
    jd, jt, jr = h.find("考勤日期"), h.find("打卡时间"), h.find("打卡结果")
    df["date_raw"] = _series(body, jd)
    df["punch"] = _series(body, jt)
    df["result"] = clean_text(_series(body, jr).map(_text))
    df = df[df["name"].notna() | df["account"].notna()]
    raw_date = df["date_raw"].map(lambda v: re.sub(r"^(\d{2})-(\d{1,2})-(\d{1,2})", r"20\1-\2-\3", v)
                                  if isinstance(v, str) else v)
    date, bad = _unique_parse(parse_dates, raw_date)
    load.problems += _bad_cells(src, sheet, h.label(jd), bad, df["date_raw"], df["_row"], "bad_date",
                                "cannot read the date", "write it like 2026-06-01")
    df["date"] = date
    df = df[df["date"].notna()]
    text = clean_text(df["punch"].map(_text))
    present = text.notna() & ~text.isin(NO_PUNCH_WORDS)
    t, bad_t = _unique_parse(parse_times, df["punch"].where(present, ""))
    if bool(bad_t.any()):  # full date-times: keep the time, past midnight counts on
        d2, s2, bad2 = parse_datetimes(df["punch"].where(bad_t, ""))
        fix = bad_t & ~bad2 & s2.notna()
        days = ((d2 - df["date"]).dt.days).where(fix, 0).fillna(0)
        t = t.where(~fix, s2 + days * 86400.0)
        bad_t = bad_t & ~fix
    load.problems += _bad_cells(src, sheet, h.label(jt), bad_t, df["punch"], df["_row"], "bad_time",
                                "cannot read the punch time", "write it like 08:26 or 2026-06-01 08:26")
    df["t"] = t
    df["_file"] = src.display
    df["_sheet"] = sheet
    sig = _collapse_punches(df[df["t"].notna()][["key_kind", "key", "name", "vendor_id", "date", "t",
                                                 "_row"]])
    if len(sig):
        sig["_file"] = src.display
        sig["_sheet"] = sheet
    ver = None
    res = df[df["result"].notna()]
    if jr is not None and len(res):
        g = res.groupby(["key_kind", "key", "date"], sort=False)
        ver = g.agg(name=("name", "first"), vendor_id=("vendor_id", "first"), _row=("_row", "min"),
                    text=("result", lambda s: "；".join(dict.fromkeys(s)))).reset_index()
        for k, v in _verdict_flags(ver["text"]).items():
            ver[k] = v
        ver["_file"] = src.display
        ver["_sheet"] = sheet
    return sig, ver, None


def _dt_daily(src: Source, load: VendorLoad, sheet: str, rows: list[list[Any]]):
    """每日统计: one row per person-day; 上班N/下班N 打卡时间 columns (merged two-row header)."""
    pd = _pd()
    h = _find_header(rows, ("姓名", "日期"))
    if h is None:
        h = _find_header(rows, ("姓名", "考勤日期"))
    if h is None:
        _dt_header(src, load, sheet, rows, "每日统计", ("姓名", "工号", "UserId", "日期",
                                                      "上班1打卡时间", "下班1打卡时间"))
        return None
    tcols = [j for j, lab in enumerate(h.labels)
             if re.fullmatch(r"(上班|下班)\d*打卡时间", lab)
             or (lab == "打卡时间" and re.match(r"(上班|下班)\d*", h.groups[j] or ""))]
    if not tcols:
        _dt_header(src, load, sheet, rows, "每日统计", ("姓名", "工号", "UserId", "日期",
                                                      "上班1打卡时间", "下班1打卡时间"))
        return None
    start = h.index + 1
    while start < len(rows) and _text(_cell(rows, start, h.find("姓名"))) == "" and start < h.index + 3:
        start += 1
    body = rows[start:]
    df = _dt_people(h, body, start)
    jd = h.find("日期") if h.find("日期") is not None else h.find("考勤日期")
    df["date_raw"] = _series(body, jd).map(lambda v: re.sub(r"^(\d{2})-(\d{1,2})-(\d{1,2})", r"20\1-\2-\3", v)
                                           if isinstance(v, str) else v)
    df = df[df["name"].notna() | df["account"].notna()]
    date, bad = _unique_parse(parse_dates, df["date_raw"])
    load.problems += _bad_cells(src, sheet, h.label(jd), bad, df["date_raw"], df["_row"], "bad_date",
                                "cannot read the date", "write it like 2026-06-01")
    df["date"] = date
    df = df[df["date"].notna()]
    times = []
    for j in tcols:
        raw = _series(body, j).loc[df.index]
        label = h.label(j) if h.labels[j] != "打卡时间" else f"{h.groups[j]} {h.label(j)}"
        times.append(_times(src, load, sheet, label, raw, df["_row"]))
    tt = pd.concat(times, axis=1)
    sig = df[["key_kind", "key", "name", "vendor_id", "date", "_row"]].copy()
    n = tt.notna().sum(axis=1)
    sig["sign_in"] = tt.min(axis=1)
    sig["sign_out"] = tt.max(axis=1).where(n > 1)
    sig["_file"] = src.display
    sig["_sheet"] = sheet
    return sig[n > 0], None, None


# --------------------------------------------------------------------------- people


def match_people(frame: pd.DataFrame, roster: pd.DataFrame, display: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Add ``employee_id`` to ``frame`` from the roster; a warning for each person matched
    by name only and for each person not in the roster (their rows stay, employee_id NA).

    Order per person: 工号 against roster.employee_id; the vendor account against
    roster.vendor_id (and against roster.employee_id, for rosters built with
    :func:`roster_skeleton`); last, the exact name when exactly one roster row has it.
    """
    pd = _pd()
    out = frame.copy()
    problems: list[Problem] = []
    if len(out) == 0:
        out["employee_id"] = pd.Series([], dtype="string")
        return out, problems
    r_emp = clean_text(roster["employee_id"].map(_text)) if "employee_id" in roster else pd.Series([], dtype="string")
    r_name = _clean_names(roster["name"].map(_text)) if "name" in roster else pd.Series([], dtype="string")
    r_vid = (clean_text(roster["vendor_id"].map(lambda v: "" if v is None or v is pd.NA or
                                                  (isinstance(v, float) and v != v) else _text(v)))
             if "vendor_id" in roster else pd.Series([pd.NA] * len(r_emp), dtype="string"))
    emp_set = set(r_emp.dropna())
    by_vid = {str(v).casefold(): e for v, e in zip(r_vid, r_emp, strict=True) if v is not pd.NA and e is not pd.NA}
    by_emp_fold = {str(e).casefold(): e for e in emp_set}
    names: dict[str, list[str]] = {}
    for n, e in zip(r_name, r_emp, strict=True):
        if n is not pd.NA and e is not pd.NA:
            names.setdefault(str(n), []).append(str(e))

    kind = out["key_kind"].astype("string")
    key = out["key"].astype("string")
    vid = out["vendor_id"].astype("string") if "vendor_id" in out else pd.Series(pd.NA, index=out.index,
                                                                               dtype="string")
    name = out["name"].astype("string") if "name" in out else pd.Series(pd.NA, index=out.index, dtype="string")
    people = pd.DataFrame({"kind": kind, "key": key, "vid": vid, "name": name,
                           "row": out.get("_row", 0),
                           "sheet": out.get("_sheet", "")})
    people = people.sort_values("row", kind="stable").drop_duplicates(["kind", "key"])
    result: dict[tuple[str, str], Any] = {}
    for p in people.itertuples(index=False):
        k = (str(p.kind), str(p.key))
        emp = None
        if p.kind == "employee_id" and p.key in emp_set:
            emp = p.key
        if emp is None:
            for account in (p.vid if p.vid is not pd.NA else None,
                            p.key if p.kind == "vendor_id" else None):
                if account is None:
                    continue
                fold = str(account).casefold()
                emp = by_vid.get(fold) or by_emp_fold.get(fold)
                if emp:
                    break
        where_col = {"employee_id": "工号", "vendor_id": "账号/UserId", "name": "姓名"}.get(str(p.kind), "")
        sheet = "" if p.sheet is None or p.sheet is pd.NA else str(p.sheet)
        row = int(p.row) if p.row is not None and p.row is not pd.NA else 0
        ambiguous = False
        if emp is None and p.name is not pd.NA:
            hits = names.get(str(p.name), [])
            if len(hits) == 1:
                emp = hits[0]
                account = p.vid if p.vid is not pd.NA else p.key
                problems.append(Problem(
                    display, row, where_col, "matched_by_name",
                    f"{p.name} ({p.key}) matched roster employee {emp} by name only",
                    f"add vendor_id '{account}' to {emp}'s row in the roster so the match does not "
                    "depend on the name", "warning", sheet))
            elif len(hits) > 1:
                ambiguous = True
                problems.append(Problem(
                    display, row, where_col, "ambiguous_person",
                    f"{p.name} ({p.key}) is not in the roster by id, and {len(hits)} roster employees "
                    f"are named {p.name} ({', '.join(hits)})",
                    "add the vendor account to the right employee's vendor_id column in the roster",
                    "warning", sheet))
        if emp is None and not ambiguous:
            problems.append(Problem(
                display, row, where_col, "unknown_person",
                f"{p.name if p.name is not pd.NA else p.key} ({p.key}) is not in the roster; "
                "their rows are not counted for anyone",
                "add them to the roster (with vendor_id "
                f"'{p.vid if p.vid is not pd.NA else p.key}'), or remove their rows",
                "warning", sheet))
        result[k] = emp
    keys = list(zip(kind.fillna("").astype(str), key.fillna("").astype(str), strict=True))
    out["employee_id"] = pd.Series([result.get(k) for k in keys], index=out.index, dtype="string")
    return out, problems


def roster_skeleton(load: VendorLoad) -> pd.DataFrame:
    """A roster to start from: one row per person in the export, grade and hire_date blank."""
    pd = _pd()
    frames = [f[[c for c in ("key_kind", "key", "name", "vendor_id", "_row") if c in f]]
              for f in (load.signins, load.verdicts, load.leave) if len(f)]
    if not frames:
        return pd.DataFrame({c: pd.Series([], dtype="string") for c in ROSTER_COLUMNS})
    allp = pd.concat(frames, ignore_index=True)
    allp = allp.drop_duplicates(["key_kind", "key"])
    vid = allp["vendor_id"] if "vendor_id" in allp else pd.Series(pd.NA, index=allp.index)
    vid = vid.astype("string").where(vid.notna(), allp["key"].where(allp["key_kind"] == "vendor_id"))
    out = pd.DataFrame({
        "employee_id": allp["key"].astype("string"),
        "name": allp["name"].astype("string"),
        "grade": "",
        "hire_date": "",
        "vendor_id": vid.astype("string"),
    }).reset_index(drop=True)
    return out


def attach_vendor(data: Dataset) -> None:
    """Vendor exports join the sign-in and leave tables once people are matched to the roster."""
    if not data.vendor:
        return
    import pandas as pd

    from cs_rules.model.inputs import concat_tables as _cat

    for load in data.vendor:
        display = load.signins["_file"].iloc[0] if len(load.signins) else ""
        for attr in ("signins", "leave", "verdicts"):
            frame = getattr(load, attr)
            if len(frame) == 0:
                setattr(load, attr, frame.assign(employee_id=pd.Series([], dtype="string")))
                continue
            matched, problems = match_people(frame, data.roster, display)
            if attr == "signins":
                data.problems.extend(problems)
            setattr(load, attr, matched)
        s = load.signins
        s = s[s["employee_id"].notna()]
        if len(s):
            data.signins = _cat(data.signins, s[["employee_id", "name", "date", "sign_in", "sign_out",
                                                 "_file", "_sheet", "_row"]].reset_index(drop=True))
        lv = load.leave
        if len(lv):
            lv = lv[lv["employee_id"].notna()]
            data.leave = _cat(data.leave, lv[["employee_id", "start_date", "end_date", "type", "half_day",
                                               "certificate", "approved", "_file", "_sheet", "_row"]]
                              .reset_index(drop=True))
    data.signins["sign_in"] = pd.to_numeric(data.signins["sign_in"]).astype("float64")
    data.signins["sign_out"] = pd.to_numeric(data.signins["sign_out"]).astype("float64")

