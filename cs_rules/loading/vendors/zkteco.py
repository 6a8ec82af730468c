"""ZKTeco (中控) / ZKTime / att2000 exports and the clock's own ``attlog.dat``.

* punch log ``部门, 姓名, 考勤号码, 日期时间, 机器号, 编号, 比对方式, 卡号`` — 考勤号码 is
  the person; 编号 (usually empty) is not;
* ``登记号码, 姓名, 出勤时间`` with cells like ``2019/10/8 星期二 8:20``;
* in/out detail ``考勤号码, 姓名, 日期, 对应时段, [上班时间, 下班时间,] 签到时间, 签退时间,
  迟到时间, 早退时间, 是否旷工`` — 签到/签退 are the punches, 上班时间/下班时间 the
  schedule (never read as punches), 迟到/早退/旷工 the software's verdicts;
* ``attlog.dat`` (tab-separated, no header): user PIN (digits, or letters and digits on some
  devices: ``EMP-20001``), date-time, verify mode, in/out state (0 in, 1 out, 4/5 overtime
  in/out), work code.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from cs_rules.loading.vendors import cells as C
from cs_rules.loading.vendors.base import Adapter, VendorLoad
from cs_rules.loading.vendors.logs import FlatLog, _bad_lines

if TYPE_CHECKING:
    from cs_rules.loading.sources import Source


def _pd() -> Any:
    import pandas as pd

    return pd


class ZKTecoLog(FlatLog):
    name = "zkteco"
    label = "ZKTeco (中控) punch log"
    expects = "ZKTeco punch logs (部门, 姓名, 考勤号码, 日期时间, 机器号, …)"
    needs = ("考勤号码|登记号码|用户编号", "日期时间|打卡时间|签到时间")
    some_of = ("机器号|比对方式|验证方式|卡号|设备号|机器编号",)
    account = ("考勤号码", "登记号码", "用户编号")
    stamp = ("日期时间", "打卡时间", "签到时间")
    kind_col = ("状态", "进出状态", "出入状态")
    note_col = ("比对方式", "验证方式")


class ZKTimeLog(FlatLog):
    name = "zktime"
    label = "ZKTime punch log (出勤时间)"
    expects = "ZKTime logs (登记号码, 姓名, 出勤时间)"
    needs = ("登记号码|考勤号码|工号", "出勤时间")
    account = ("登记号码", "考勤号码")
    emp = ("工号",)
    stamp = ("出勤时间",)


_SCHEDULE = ("上班时间", "下班时间")
_PUNCH = ("签到时间", "签退时间")
_DETAIL_EXTRA = ("对应时段", "是否旷工", "迟到时间", "早退时间", "应到", "实到", "考勤号码", "应签到", "应签退",
                 "上班时间", "下班时间", "登记号码")


class ZKTecoDetail(Adapter):
    """The in/out detail (考勤明细表 / 签到签退表): one row per person-day and time slot."""

    name = "zkteco-detail"
    label = "ZKTeco (中控) in/out detail"
    expects = "ZKTeco in/out detail (考勤号码, 姓名, 日期, 对应时段, 签到时间, 签退时间, 迟到时间, 早退时间, 是否旷工)"

    def header_index(self, rows: list[list[Any]]) -> int | None:
        i = C.header_row(rows, ("日期|考勤日期", "签到时间", "签退时间", "姓名|考勤号码|登记号码"))
        if i is None:
            return None
        labs = C.labels_of(rows[i])
        return i if labs & set(_DETAIL_EXTRA) else None

    def claims(self, src: Source) -> bool:
        return any(rows and self.header_index(rows) is not None for rows in C.heads(src).values())

    def read(self, src: Source) -> VendorLoad:
        load = self.new_load(src)
        for sheet, rows in src.all_rows().items():
            i = self.header_index(rows[: C.HEAD_ROWS])
            if i is not None:
                _detail(src, load, sheet, rows, i)
                load.parts.append(sheet or src.display)
        return load


def _detail(src: Source, load: VendorLoad, sheet: str, rows: list[list[Any]], i: int) -> None:
    pd = _pd()
    header = rows[i]
    body = rows[i + 1:]
    cols = {"name": C.column(header, "姓名"), "emp": C.column(header, "工号"), "dept": C.column(header, "部门"),
            "date_raw": C.column(header, "日期", "考勤日期"), "slot": C.column(header, "对应时段", "时间段"),
            "due_in": C.column(header, "上班时间"), "due_out": C.column(header, "下班时间"),
            "in": C.column(header, "签到时间"), "out": C.column(header, "签退时间"),
            "late": C.column(header, "迟到时间"), "early": C.column(header, "早退时间"),
            "absent": C.column(header, "是否旷工", "旷工"), "exception": C.column(header, "例外情况")}
    df = C.columns_of(body, cols)
    account = pd.Series(pd.NA, index=df.index, dtype="string")
    for n in ("考勤号码", "登记号码", "人员编号", "序号"):
        j = C.column(header, n)
        if j is None:
            continue
        vals = C.texts(C.series(body, j))
        if n == "序号" and vals.nunique() >= 0.9 * max(1, vals.notna().sum()):
            continue  # a row serial number, not the person's
        account = account.fillna(vals)
    df["account"] = account
    df["_row"] = pd.RangeIndex(i + 2, i + 2 + len(body))
    df["_file"] = src.display
    df["_sheet"] = sheet
    df = C.who(df)
    df = df[df["key"].notna()]
    df["dept"] = C.texts(df["dept"])
    load.people = C.people_of(df)
    date, bad = C.dates(df["date_raw"])
    load.problems += C.bad_cells(src, sheet, C.text(header[cols["date_raw"]]) if cols["date_raw"] is not None
                                 else "日期", bad, df["date_raw"], df["_row"], "bad_date", "cannot read the date",
                                 "write it like 2019/5/1")
    df["date"] = date
    df = df[df["date"].notna()]
    who = ["key_kind", "key", "name", "vendor_id", "date", "_file", "_sheet", "_row"]
    parts = []
    for col, kind in (("in", "in"), ("out", "out")):
        jc = cols[col]
        if jc is None:
            continue
        long = C.cell_times(df[col])
        label = C.text(header[jc])
        bad_cells = long[long["bad"]]
        for k in bad_cells["cell"].unique():
            load.problems.append(C.problem(src, "bad_time", f"cannot read the punch time '{C.text(df.at[k, col])}'",
                                           "write it like 08:24", int(df.at[k, "_row"]), label, sheet))
        long = long[~long["bad"]]
        p = df.loc[long["cell"], who].reset_index(drop=True)
        p["secs"] = long["secs"].to_numpy()
        p["kind"] = kind
        parts.append(p)
    if parts:
        pun = pd.concat(parts, ignore_index=True)
        pun["note"] = pd.NA
        load.punches = pun
    # the software's own verdicts.  On a day without a check-in the clock writes 迟到 00:01, and 早退 00:00
    # on one without a check-out: placeholders of the missing punch (the day is 缺卡), not a verdict of
    # late or early; a figure of 00:00 is none either
    has_in = C.texts(df["in"]).notna() if cols["in"] is not None else True
    has_out = C.texts(df["out"]).notna() if cols["out"] is not None else True
    late = _figure(df["late"]) & has_in
    early = _figure(df["early"]) & has_out
    absent = C.texts(df["absent"]).fillna("").str.lower().isin(["true", "是", "1", "y", "yes", "旷工"])
    v = df[who].copy()
    v["late"], v["early"], v["absent"] = late, early, absent
    v["missing"] = C.texts(df["in"]).notna() ^ C.texts(df["out"]).notna()  # one of the two punches
    v["text"] = (late.map({True: "迟到", False: ""}) + early.map({True: "早退", False: ""})
                 + absent.map({True: "旷工", False: ""})).astype("string")
    v["text"] = v["text"] + v["missing"].map({True: "缺卡", False: ""}).astype("string")
    v = v[(late | early | absent) | C.texts(df["in"]).notna() | C.texts(df["out"]).notna()]
    load.verdicts = v.groupby(["key_kind", "key", "date"], sort=False, as_index=False).agg(
        name=("name", "first"), vendor_id=("vendor_id", "first"), late=("late", "any"), early=("early", "any"),
        absent=("absent", "all"), missing=("missing", "any"), text=("text", "first"), _file=("_file", "first"),
        _sheet=("_sheet", "first"), _row=("_row", "min"))
    if cols["due_in"] is not None or cols["due_out"] is not None:
        s_in, _b1 = C.clock_times(df["due_in"].where(C.texts(df["due_in"]).notna(), ""))
        s_out, _b2 = C.clock_times(df["due_out"].where(C.texts(df["due_out"]).notna(), ""))
        sch = df[who].assign(start=s_in, end=s_out.where(s_out >= s_in, s_out + 86400),
                             shift=C.texts(df["slot"]), rest=False)
        load.schedule = sch[sch["start"].notna() | sch["end"].notna()]


def _figure(col: Any) -> Any:
    """A 迟到时间/早退时间 column as "the software says late/early": a figure other than 00:00."""
    t = C.texts(col)
    secs, _bad = C.clock_times(col.where(t.notna(), ""))
    return t.notna() & ~(secs == 0)


# --------------------------------------------------------------------------- attlog.dat

_STAMP = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}(:\d{2})?\s*$")
STATE = {"0": ("in", ""), "1": ("out", ""), "2": ("out", "休息"), "3": ("in", "休息"), "4": ("in", "加班"),
         "5": ("out", "加班")}


_PIN = re.compile(r"\s*\d{1,24}\s*")
# devices with letters in the user PIN (EMP-20001, A0123): letters, digits and - _ . only
_ALNUM_PIN = re.compile(r"\s*[A-Za-z0-9][A-Za-z0-9_.\-]{0,23}\s*")
_SMALL_INT = re.compile(r"\s*\d{1,3}\s*")


def _attlog_line(r: list[Any], fmt: str) -> bool:
    """An attlog line: PIN, date-time[, verify, state, work code].  A numeric PIN is enough in a .dat; a PIN
    with letters (or any line of another file) must also carry the verify mode and in/out state as small
    numbers, the clock's signature, so a two-column list of ids and times is not taken for a clock log."""
    if len(r) < 2 or not _STAMP.match(C.text(r[1])):
        return False
    pin = C.text(r[0]) or "x"
    signed = len(r) >= 4 and bool(_SMALL_INT.fullmatch(C.text(r[2]))) and bool(_SMALL_INT.fullmatch(C.text(r[3])))
    if _PIN.fullmatch(pin):
        return fmt == "dat" or len(r) >= 4
    return bool(_ALNUM_PIN.fullmatch(pin)) and signed


class AttLog(Adapter):
    """ZKTeco ``attlog.dat`` (or the same lines in a .txt): PIN, date-time, verify, state, work code."""

    name = "attlog"
    label = "ZKTeco attlog.dat"
    expects = "ZKTeco attlog.dat (PIN, date-time, verify mode, in/out state, work code; tab-separated)"

    def claims(self, src: Source) -> bool:
        rows = C.heads(src, 30).get("")
        if not rows:
            return False
        seen = [r for r in rows if any(C.text(c) for c in r)]
        good = [r for r in seen if _attlog_line(r, src.fmt)]
        # no header: the first line is a punch already, and (nearly) all lines are
        return bool(seen) and bool(good) and good[0] is seen[0] and len(good) >= 0.8 * len(seen)

    def read(self, src: Source) -> VendorLoad:
        pd = _pd()
        load = self.new_load(src)
        rows = src.all_rows().get("", [])
        df = C.columns_of(rows, {"account": 0, "stamp": 1, "verify": 2, "state": 3, "work": 4})
        df["_row"] = pd.RangeIndex(1, 1 + len(rows))
        df["_file"] = src.display
        df["_sheet"] = ""
        df["name"] = pd.NA
        df["emp"] = pd.NA
        filled = pd.concat([C.texts(df[c]).notna() for c in ("account", "stamp")], axis=1).any(axis=1)
        nul = C.has_nul(df["account"]) | C.has_nul(df["stamp"])  # a NUL-filled line: corrupt, not empty
        df = df[filled | nul]
        df = C.who(df)
        date, secs, bad = C.stamps(df["stamp"])
        bad = bad | date.isna() | C.texts(df["account"]).isna()
        raw = C.texts(df["account"]).fillna("") + "\t" + C.texts(df["stamp"]).fillna("")
        _bad_lines(src, load, "", "", df, bad, raw, "warning")
        ok = df[~bad].assign(date=date[~bad], secs=secs[~bad])
        state = C.texts(ok["state"]).fillna("")
        ok["kind"] = state.map({k: v[0] for k, v in STATE.items()}).fillna("").astype("string")
        ok["note"] = state.map({k: v[1] for k, v in STATE.items() if v[1]}).astype("string")
        load.punches = ok
        load.people = C.people_of(ok)
        load.parts.append(src.display)
        return load

