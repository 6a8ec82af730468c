"""Punch logs: one row per punch (or per person-day with all its punches in one cell).

One reader, configured per layout by which columns mean what, reads them all:

* PC clock software (考勤管理系统): ``人员编号, 登记号码, 姓名, 星期, 刷卡日期, 刷卡时间,
  签到方式, 设备编号, …``;
* cloud clock 考勤明细: ``设备工号, 员工工号, 姓名, 部门, 考勤日期, 考勤时间`` with every
  punch of the day in one cell (``13:30:58  22:37:56``);
* HR-app punch logs: ``姓名, 工号, 部门, 手机号, 打卡时间, 打卡地点, 是否有效, …``
  (rows marked invalid are left out and reported);
* and, in :mod:`.zkteco`, the ZKTeco logs.

The person is the HR 工号 when a row has one, else the clock's number, else the name —
row by row, so an empty 编号 or 员工工号 column never wins over the real key.  A line
that cannot be read (a corrupt line in a clock's memory) is a warning naming the line:
it touches no month anyone can tell, so it blocks none.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from cs_rules.loading.vendors import cells as C
from cs_rules.loading.vendors.base import Adapter, VendorLoad

if TYPE_CHECKING:
    import pandas as pd

    from cs_rules.loading.sources import Source


FOOTER = re.compile(C.FOOTER_RE)


def _pd() -> Any:
    import pandas as pd

    return pd


class FlatLog(Adapter):
    """A punch log with a header row; subclasses fill in the column names."""

    needs: tuple[str, ...] = ()       # labels the header must hold ("a|b": either)
    some_of: tuple[str, ...] = ()     # and at least one of these
    emp: tuple[str, ...] = ()         # HR id columns (per row: the first non-empty)
    account: tuple[str, ...] = ()     # the clock's or app's own number for the person
    name_col: tuple[str, ...] = ("姓名", "员工姓名", "人员姓名")
    dept: tuple[str, ...] = ("部门", "部门名称")
    stamp: tuple[str, ...] = ()       # one column with date and time
    date: tuple[str, ...] = ()        # or a date column ...
    times: tuple[str, ...] = ()       # ... and a column of one or more times
    kind_col: tuple[str, ...] = ()    # in/out as the log says it
    note_col: tuple[str, ...] = ()
    valid_col: tuple[str, ...] = ()   # 是否有效
    invalid_words: tuple[str, ...] = ("否", "无效", "無效", "false", "False", "FALSE", "0", "N", "n")
    bad_severity = "warning"

    def header_index(self, rows: list[list[Any]]) -> int | None:
        i = C.header_row(rows, self.needs)
        if i is None:
            return None
        if self.some_of and not any(C.column(rows[i], *x.split("|")) is not None for x in self.some_of):
            return None
        return i

    def claims(self, src: Source) -> bool:
        return any(rows and self.header_index(rows) is not None for rows in C.heads(src).values())

    def read(self, src: Source) -> VendorLoad:
        """Every sheet with the log's header. In an XLSX the header is found in the sheet's first
        rows and the columns the log takes are read column-wise (a 1.8M-punch log: ~6 s and 1 GB
        less than its rows); a sheet those cannot be had for is read as rows, as is any other."""
        load = self.new_load(src)
        heads = C.first_rows(src)
        for sheet in list(src.all_rows() if heads is None else src.sheets):
            head = heads.get(sheet) if heads is not None else None
            rows = head if head is not None else src.sheets[sheet]
            i = self.header_index(rows[: C.HEAD_ROWS])
            body = None
            if i is not None and head is not None:
                body = C.columns_below(src, sheet, i, [j for j in self.roles(rows[i]).values() if j is not None]
                                       + self.candidates(rows[i]))
            if body is None:  # the sheet's rows (a sheet without the header too: a damaged one is said)
                rows = src.sheets[sheet]
            if i is None:
                continue
            read_log(self, src, load, sheet, rows[i], body if body is not None else rows[i + 1:], i)
            load.parts.append(sheet or src.display)
        return load

    def roles(self, header: list[Any]) -> dict[str, int | None]:
        """The columns :func:`read_log` takes from under ``header``, by role (emp and account: see
        :meth:`candidates`)."""
        return {"emp": None, "account": None, "name": pick(header, self.name_col), "dept": pick(header, self.dept),
                "stamp": pick(header, self.stamp), "date_raw": pick(header, self.date),
                "times": pick(header, self.times), "kind_raw": pick(header, self.kind_col),
                "note_raw": pick(header, self.note_col), "valid": pick(header, self.valid_col)}

    def candidates(self, header: list[Any], names: tuple[str, ...] | None = None) -> list[int]:
        """The columns that may hold the person's id (``names``: those of one role; default both)."""
        found = (C.column(header, n) for n in (names if names is not None else (*self.emp, *self.account)))
        return [j for j in found if j is not None]

    def kind_of(self, raw: pd.Series) -> pd.Series:
        t = C.texts(raw).fillna("")
        pd = _pd()
        out = pd.Series("", index=raw.index, dtype="string")
        both = t.str.contains("上班") & t.str.contains("下班")
        out = out.mask(t.str.contains("上班|签到|簽到|进|in", regex=True, case=False) & ~both, "in")
        return out.mask(t.str.contains("下班|签退|簽退|出|out", regex=True, case=False) & ~both, "out")


def pick(header: list[Any], names: tuple[str, ...]) -> int | None:
    return C.column(header, *names) if names else None


def read_log(spec: FlatLog, src: Source, load: VendorLoad, sheet: str, header: list[Any], body: C.Body,
             i: int) -> None:
    """Read the log under ``header`` (row ``i``) into ``load`` (punches, people, problems);
    ``body``: the rows below it, or their columns (:class:`~.cells.Columns`)."""
    import numpy as np

    pd = _pd()
    cols = spec.roles(header)
    df = C.columns_of(body, cols)
    nul = pd.Series(False, index=df.index)
    for role, names in (("emp", spec.emp), ("account", spec.account)):
        # per row, the first of the candidate columns that holds something
        val = pd.Series(pd.NA, index=df.index, dtype="string")
        for j in spec.candidates(header, names):
            raw = C.series(body, j)
            val = val.fillna(C.texts(raw))
            nul |= C.has_nul(raw)
        df[role] = val
    df["_row"] = pd.RangeIndex(i + 2, i + 2 + len(body))
    df["_file"] = src.display
    df["_sheet"] = sheet
    # a row counts when it names someone or holds a punch; a NUL-filled line is a corrupt
    # punch, not an empty row (texts and NULs judged per distinct cell, dates by a C compare)
    filled = df["emp"].notna() | df["account"].notna()
    for c in ("name", "date_raw", "times", "dept"):
        if cols.get(c) is not None:
            if c != "dept":
                filled |= C.texts(df[c]).notna()
            nul |= C.has_nul(df[c])
    if cols["stamp"] is not None:
        st = df["stamp"]
        filled |= ~(st.isna() | (st == ""))
        is_str = st.map(type).isin([str])
        if bool(is_str.any()):
            nul |= C.has_nul(st[is_str]).reindex(df.index, fill_value=False)
    # a clock program's footer (记录数:1649, 合计, 制表人 …) names nobody: left out, and said
    first = df["emp"].fillna(df["account"]).fillna("")
    codes, uniq = pd.factorize(first)  # ids repeat: the pattern is tried once per distinct id
    footer = pd.Series(np.asarray([bool(FOOTER.match(u)) for u in uniq] + [False], dtype=bool)[codes],
                       index=df.index)
    if bool(footer.any()):  # and only those rows are looked at for being otherwise empty
        for c in ("name", "date_raw", "times", "stamp"):
            if cols.get(c) is not None:
                footer[footer] = C.texts(df.loc[footer, c]).isna().to_numpy()
    if bool(footer.any()):
        load.parts.append("not read: " + ", ".join(f"row {int(r)} '{t}' (a footer)" for r, t in
                                                    zip(df.loc[footer, "_row"], first[footer], strict=True)))
    df = df[(filled | nul) & ~footer]
    nul = nul[df.index]
    df = C.who(df)
    df["dept"] = C.texts(df["dept"])
    load.people = pd.concat([load.people, C.people_of(df[df["key"].notna()])], ignore_index=True) \
        if len(load.people) else C.people_of(df[df["key"].notna()])
    if cols["stamp"] is not None:
        date, secs, bad = C.stamps(df["stamp"])
        bad = bad | nul | date.isna() | secs.isna()  # every line of such a log is a punch
        punches = df.assign(date=date, secs=secs)
        _bad_lines(src, load, sheet, header[cols["stamp"]], df, bad, df["stamp"], spec.bad_severity)
        punches = punches[~bad & punches["date"].notna() & punches["secs"].notna()]
    else:
        date, bad_d = C.dates(df["date_raw"])
        long = C.cell_times(df["times"])
        bad_t = pd.Series(False, index=df.index)
        bad_t[long.loc[long["bad"], "cell"].unique()] = True
        bad = bad_d | bad_t | nul | (date.isna() & C.texts(df["date_raw"]).isna() & C.texts(df["times"]).notna())
        label = f"{C.text(header[cols['date_raw']])}, {C.text(header[cols['times']])}" \
            if cols["date_raw"] is not None and cols["times"] is not None else ""
        raw = C.texts(df["date_raw"]).fillna("") + " " + C.texts(df["times"]).fillna("")
        _bad_lines(src, load, sheet, label, df, bad, raw, spec.bad_severity)
        long = long[~long["bad"] & long["cell"].isin(df.index[~bad])]
        punches = df.loc[long["cell"]].reset_index(drop=True)
        punches["date"] = date.loc[long["cell"]].to_numpy()
        punches["secs"] = long["secs"].to_numpy()
        punches["note_cell"] = long["note"].to_numpy()
    punches = punches[punches["key"].notna()]
    punches["kind"] = spec.kind_of(punches["kind_raw"]) if cols["kind_raw"] is not None else ""
    note = C.texts(punches["note_raw"]) if cols["note_raw"] is not None else pd.Series(
        pd.NA, index=punches.index, dtype="string")
    if "note_cell" in punches:
        note = note.fillna(punches["note_cell"].astype("string"))
    punches["note"] = note
    if cols["valid"] is not None:
        v = C.texts(punches["valid"]).fillna("")
        invalid = v.isin(spec.invalid_words)
        _report_invalid(src, load, sheet, C.text(header[cols["valid"]]), punches[invalid])
        punches = punches[~invalid]
    load.punches = pd.concat([load.punches, punches], ignore_index=True) if len(load.punches) else punches


def _bad_lines(src: Source, load: VendorLoad, sheet: str, column: Any, df: pd.DataFrame, bad: pd.Series,
               raw: pd.Series, severity: str) -> None:
    """Lines whose date and time cannot be read: one problem each (the first 20), then a count."""
    idx = list(bad[bad].index)
    for k in idx[:20]:
        shown = C.text(raw[k]).replace("\x00", "␀")[:40] or "(an empty or NUL-filled line)"
        load.problems.append(C.problem(
            src, "bad_punch_line", f"cannot read the punch on this line: '{shown}' — it is left out",
            "nothing to do if the clock wrote a corrupt line; otherwise correct the date and time "
            "(2024-05-06 08:59:12)", int(df.at[k, "_row"]), C.text(column), sheet, severity))
    if len(idx) > 20:
        load.problems.append(C.problem(
            src, "bad_punch_line", f"{len(idx) - 20} more unreadable punch lines left out",
            "see the lines above", int(df.at[idx[20], "_row"]), C.text(column), sheet, severity))


def _report_invalid(src: Source, load: VendorLoad, sheet: str, column: str, bad: pd.DataFrame) -> None:
    if not len(bad):
        return
    for _key, grp in bad.groupby(["key_kind", "key"], sort=False):
        rows = sorted({int(r) for r in grp["_row"]})
        shown = ", ".join(map(str, rows[:10])) + (" …" if len(rows) > 10 else "")
        load.problems.append(C.problem(
            src, "invalid_punch", f"{grp['name'].iloc[0] or grp['key'].iloc[0]}: {len(rows)} punch"
            f"{'es' if len(rows) > 1 else ''} marked invalid ({column}) left out (row{'s' if len(rows) > 1 else ''} "
            f"{shown})", "nothing to do if the app is right; otherwise correct the punch and export again",
            rows[0], column, sheet, "warning"))


class PCClockLog(FlatLog):
    name = "pc-clock"
    label = "clock software punch log (刷卡记录)"
    expects = "clock software logs (人员编号, 登记号码, 姓名, 刷卡日期, 刷卡时间, …)"
    needs = ("姓名", "刷卡日期", "刷卡时间")
    account = ("人员编号", "登记号码", "工号", "考勤号码")
    date = ("刷卡日期",)
    times = ("刷卡时间",)
    kind_col = ("上下班标志", "进出标志")
    note_col = ("备注",)


class CloudClock(FlatLog):
    name = "cloud-clock"
    label = "cloud clock 考勤明细"
    expects = "cloud clock 考勤明细 (设备工号, 员工工号, 姓名, 考勤日期, 考勤时间)"
    needs = ("设备工号|考勤号码", "考勤日期", "考勤时间")
    emp = ("员工工号", "工号")
    account = ("设备工号", "考勤号码")
    date = ("考勤日期",)
    times = ("考勤时间",)


class HRAppLog(FlatLog):
    name = "hr-app"
    label = "HR app punch log"
    expects = "HR app punch logs (姓名, 工号, 部门, 手机号, 打卡时间, 打卡地点, 是否有效)"
    needs = ("姓名", "打卡时间")
    some_of = ("是否有效|打卡地点|打卡地址|打卡设备",)
    emp = ("工号", "员工工号", "员工编号")
    stamp = ("打卡时间",)
    kind_col = ("打卡类型", "上下班")
    note_col = ("打卡备注", "备注", "打卡方式")
    valid_col = ("是否有效", "有效")
