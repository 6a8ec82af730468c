"""One typer per input kind: the cells of a RawTable become a typed table, every bad cell a Problem.

Typing is where a value becomes money, minutes or a date, so it is also where every
bound is checked (a 20-digit salary, ``1,5`` minutes, a hire date typed 2099): a value
a file can hold never reaches the engine unchecked, and never ends in an internal error.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from cs_rules.loading import parse as P
from cs_rules.loading.sources import RawTable
from cs_rules.model.inputs import TYPED_COLUMNS
from cs_rules.problems import Problem, ProblemLog
from cs_rules.rulebook import Rulebook

if TYPE_CHECKING:
    import pandas as pd

CAL_TYPES = {"workday": "workday", "work": "workday", "上班": "workday", "工作日": "workday",
             "班": "workday", "补班": "workday", "補班": "workday", "调休上班": "workday",
             "rest": "rest", "holiday": "rest", "休息": "rest", "休": "rest", "假": "rest",
             "节假日": "rest", "節假日": "rest", "休息日": "rest", "假日": "rest"}
PUNCH_KINDS = {"sign_in": "sign_in", "in": "sign_in", "签到": "sign_in", "簽到": "sign_in", "上班": "sign_in",
               "上班打卡": "sign_in", "上班卡": "sign_in", "check_in": "sign_in", "clock_in": "sign_in",
               "sign_out": "sign_out", "out": "sign_out", "签退": "sign_out", "簽退": "sign_out",
               "下班": "sign_out", "下班打卡": "sign_out", "下班卡": "sign_out", "check_out": "sign_out",
               "clock_out": "sign_out"}
REST_SHIFTS = {"休", "休息", "rest", "off", "公休", "例休", "轮休", "輪休", "休假", "/"}
MONEY_LIMIT = 10_000_000  # yuan: no monthly salary or fine a payroll can mean reaches this
MINUTES_LIMIT = 24 * 60
POINTS_LIMIT = 10.0  # the whole conduct score
EARLIEST_HIRE = dt.date(1950, 1, 1)


class _Typer:
    """Turns one RawTable into a typed DataFrame, logging a Problem per bad cell."""

    def __init__(self, raw: RawTable, log: ProblemLog) -> None:
        import pandas as pd

        self.raw = raw
        self.log = log
        self.df = raw.df
        self.out = pd.DataFrame(index=raw.df.index)
        self.out["_file"] = P.repeated_text(raw.display, len(raw.df))
        self.out["_sheet"] = P.repeated_text(raw.sheet, len(raw.df))
        self.out["_row"] = raw.df["_row"].astype("int64")

    def has(self, canon: str) -> bool:
        return canon in self.df.columns

    def col(self, canon: str) -> pd.Series:
        import pandas as pd

        if canon in self.df.columns:
            return self.df[canon]
        return pd.Series(pd.NA, index=self.df.index, dtype=object)

    def report(self, mask: pd.Series, canon: str, code: str, message: str, hint: str,
               severity: str = "error", values: pd.Series | None = None) -> None:
        """One problem per row where ``mask`` holds; ``{v}`` in message is the cell text."""
        if not bool(mask.any()):
            return
        vals = self.col(canon) if values is None else values
        rows = self.out["_row"]
        label = self.raw.column_label(canon)
        for idx in mask[mask].index:
            v = vals.at[idx]
            text = message.format(v=_show(v))
            self.log.add(Problem(self.raw.display, int(rows.at[idx]), label, code, text, hint,
                                 severity, self.raw.sheet))  # type: ignore[arg-type]

    def text(self, canon: str, required: bool = False) -> pd.Series:
        s = P.clean(self.col(canon))
        if (s.dtype == object and not bool(s.isna().all())  # spreadsheet cells: numeric ids back to text
                and P._pd().api.types.infer_dtype(s, skipna=True) != "string"):  # (text cells are text already)
            s = s.map(lambda v: _num_text(v) if v is not None and v is not P._pd().NA else v)
        s = s.astype("string")
        # sign-in sheets' names and ids are never printed as they are (the roster's are; a message
        # quoting a cell escapes it): their million cells skip the look
        shown = self.raw.schema.kind not in ("signin", "punches")
        ctrl = s.str.contains(CONTROL_CHARS, regex=True, na=False) if shown and _may_hold_control(s) else None
        if ctrl is not None and bool(ctrl.any()):  # an escape sequence in a name would reach every terminal
            from cs_rules.problems import visible

            shown = s[ctrl].map(lambda v: visible(str(v), keep="\t\n\r"))
            self.report(ctrl, canon, "control_character", "control character(s) in the text: {v}",
                        "retype the cell; it is read with the characters shown escaped", values=shown,
                        severity="warning")
            s = s.mask(ctrl, shown)
        if required:
            self.report(s.isna(), canon, "missing_value", f"{canon} is empty",
                        f"fill in the {canon} on this row or delete the row")
        return s

    def dates(self, canon: str, required: bool = False) -> pd.Series:
        d, bad = P.parse_dates(self.col(canon), self.raw.epoch)
        self.report(bad, canon, "bad_date", "not a date: {v}",
                    "write dates like 2024-05-06, 2024/5/6 or 2024年5月6日")
        if required:
            self.report(d.isna() & ~bad, canon, "missing_value", f"{canon} is empty",
                        f"fill in the {canon} on this row")
        return d

    def times(self, canon: str) -> pd.Series:
        t, bad = P.parse_times(self.col(canon))
        self.report(bad, canon, "bad_time", "not a time of day: {v}",
                    "write times like 09:03 or 09:03:27")
        return t

    def numbers(self, canon: str, required: bool = False) -> pd.Series:
        n, bad = P.parse_numbers(self.col(canon))
        self._number_problems(canon, bad)
        if required:
            self.report(n.isna() & ~bad, canon, "missing_value", f"{canon} is empty",
                        f"fill in the {canon} on this row")
        return n

    def _number_problems(self, canon: str, bad: pd.Series) -> None:
        if not bool(bad.any()):
            return
        comma = P.ambiguous_commas(self.col(canon)) & bad
        self.report(comma, canon, "ambiguous_number", "{v} is ambiguous: one and a half, or fifteen?",
                    "write decimals with a dot (1.5) and no comma inside a number")
        self.report(bad & ~comma, canon, "bad_number", "not a number: {v}", "write a plain number like 12 or 0.5")

    def bounded(self, canon: str, values: pd.Series, lo: float, hi: float, what: str, hint: str) -> pd.Series:
        """``values`` with those outside [lo, hi] reported and blanked (never passed on)."""
        out = values.notna() & ((values < lo) | (values > hi))
        out = out.fillna(False).astype(bool)
        self.report(out, canon, "out_of_range", f"{what} must be {lo:g}–{hi:g}, got {{v}}", hint)
        return values.where(~out)

    def enum(self, canon: str, mapping: dict[str, str], what: str, required: bool = True) -> pd.Series:
        e, bad = P.parse_enum(self.col(canon), mapping)
        choices = ", ".join(sorted(set(mapping.values())))
        self.report(bad, canon, f"unknown_{what.replace(' ', '_')}", f"unknown {what} {{v}}",
                    f"use one of: {choices}")
        if required:
            self.report(e.isna() & ~bad, canon, "missing_value", f"{canon} is empty",
                        f"fill in the {what}: one of {choices}")
        return e

    def months(self, canon: str) -> pd.Series:
        m, bad = P.parse_months(self.col(canon))
        self.report(bad, canon, "bad_month", "not a month: {v}", "write months as YYYY-MM, e.g. 2024-05")
        return m

    def bools(self, canon: str, default: bool) -> pd.Series:
        b, bad = P.parse_bools(self.col(canon), default)
        self.report(bad, canon, "bad_boolean", "not yes/no: {v}", "write yes/no, 1/0 or 是/否")
        return b


def _show(v: Any) -> str:
    """A cell as a message quotes it; phone and ID numbers masked but their last four digits."""
    from cs_rules.problems import mask_personal

    if v is None or v is P._pd().NA:
        return "(empty)"
    return f"'{mask_personal(str(v))}'"


def _num_text(v: Any) -> Any:
    """Excel numeric cells holding ids (``1001.0``) back to their text (``1001``)."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return v if isinstance(v, str) else str(v)


def type_roster(raw: RawTable, rules: Rulebook, log: ProblemLog) -> pd.DataFrame:
    t = _Typer(raw, log)
    out = t.out
    out["employee_id"] = t.text("employee_id", required=True)
    out["name"] = t.text("name", required=True)
    out["grade"] = t.enum("grade", rules.grade_map(), "grade")
    out["hire_date"] = t.dates("hire_date", required=True)
    out["leave_date"] = t.dates("leave_date")
    out["notice_date"] = t.dates("notice_date")
    money, bad = P.parse_money_text(t.col("base_salary"))
    t.report(bad, "base_salary", "bad_number", "not an amount of money: {v}", "write it like 2800 or 2800.00")
    neg = money.str.startswith("-").fillna(False).astype(bool)
    t.report(neg, "base_salary", "negative_money", "base_salary cannot be negative: {v}",
             "write the monthly base salary in yuan, or leave it empty to use the grade's")
    small = money.str.fullmatch(r"-?0*\d{1,7}(?:\.\d+)?").fillna(True).astype(bool)  # below 10^7 yuan
    big = ~small & ~neg
    t.report(big, "base_salary", "money_out_of_range",
             f"base_salary {{v}} is not a monthly salary (the limit is {MONEY_LIMIT:,} yuan)",
             "write the monthly base salary in yuan, e.g. 2800 (is a phone or id number in this column?)")
    out["base_salary"] = money.where(~neg & ~big, P._pd().NA)
    for c in ("phone", "id_number", "vendor_id", "schedule"):  # schedule: a 考勤组 (RULEBOOK §1b), empty = default
        out[c] = t.text(c)
    hired = out["hire_date"]
    early = hired.notna() & (hired < P._pd().Timestamp(EARLIEST_HIRE))
    future = hired.notna() & (hired > P._pd().Timestamp(dt.date.today()))
    if bool(early.any() or future.any()):
        shown = hired.dt.strftime("%Y-%m-%d")
        t.report(early, "hire_date", "hire_date_out_of_range", "hire date {v} is before 1950",
                 "check the year of the hire date", values=shown)
        t.report(future, "hire_date", "hire_date_in_future", "hire date {v} is in the future",
                 "check the year; add a new hire to the roster once they have started", values=shown)
    after = out["leave_date"].notna() & out["hire_date"].notna() & (out["hire_date"] > out["leave_date"])
    t.report(after, "hire_date", "hire_after_leave", "hire date {v} is after the leave date",
             "check both dates: leave_date is the last day employed",
             values=out["hire_date"].dt.strftime("%Y-%m-%d"))
    ids = out["employee_id"]
    dup = ids.notna() & ids.duplicated(keep="first")
    if bool(dup.any()):
        first_row = out.loc[ids.notna() & ~ids.duplicated(keep="first")].set_index("employee_id")["_row"]
        for idx in dup[dup].index:
            log.add(Problem(raw.display, int(out.at[idx, "_row"]), raw.column_label("employee_id"),
                            "duplicate_id", f"employee_id '{ids.at[idx]}' is already used on row "
                            f"{int(first_row.at[ids.at[idx]])}", "give every employee one row and a unique id",
                            "error", raw.sheet))
    return out


CONTROL_CHARS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"  # tab, line ends kept: a cell may span lines


def _may_hold_control(s: pd.Series) -> bool:
    """Whether any cell could hold a control character: one look at the column's UTF-8 bytes (a few
    ms for a million cells), so the regex runs only on the rare column that has one."""
    import numpy as np

    from cs_rules.arrays import arrow_text

    arr = arrow_text(s)
    buf = arr.buffers()[2]
    if buf is None:
        return False
    b = np.frombuffer(buf, dtype=np.uint8)
    if bool(((b < 0x20) & (b != 0x09) & (b != 0x0A) & (b != 0x0D)).any() | (b == 0x7F).any()):
        return True
    c2 = np.flatnonzero(b[:-1] == 0xC2)  # C1 controls are U+0080..U+009F: bytes C2 80..C2 9F
    return bool(len(c2) and ((b[c2 + 1] >= 0x80) & (b[c2 + 1] <= 0x9F)).any())


def type_signins(raw: RawTable, log: ProblemLog) -> pd.DataFrame:
    t = _Typer(raw, log)
    out = t.out
    out["employee_id"] = t.text("employee_id", required=True)
    out["name"] = t.text("name")
    if raw.schema.kind == "punches":

        date, secs, bad = P.parse_datetimes(t.col("punch_time"), raw.epoch)
        t.report(bad, "punch_time", "bad_datetime", "not a date and time: {v}",
                 "write punches like 2024-05-06 08:59:12")
        out["date"] = date
        out["secs"] = secs
        ok = out.dropna(subset=["employee_id", "date", "secs"])
        g = ok.groupby(["employee_id", "date"], sort=False)
        agg = g.agg(sign_in=("secs", "min"), sign_out=("secs", "max"), n=("secs", "size"),
                    _row=("_row", "min"), name=("name", "first")).reset_index()
        # a lone punch is a missing sign-out; punches under a minute apart are one punch tapped twice
        agg.loc[(agg["n"] == 1) | (agg["sign_out"] - agg["sign_in"] < 60), "sign_out"] = float("nan")
        agg["_file"] = raw.display
        agg["_sheet"] = raw.sheet
        out_signins = agg.drop(columns=["n"])[TYPED_COLUMNS["signins"] + ["_file", "_sheet", "_row"]]
        # every punch too: a night shift's punches are regrouped by the shift they fall in
        each = ok.assign(kind="", note="")[TYPED_COLUMNS["punches"] + ["_file", "_sheet", "_row"]]
        out_signins.attrs["punches"] = each.reset_index(drop=True)
        return out_signins
    out["date"] = t.dates("date", required=True)
    out["sign_in"] = t.times("sign_in")
    out["sign_out"] = t.times("sign_out")
    # a sign-out before the sign-in is the next morning of a night shift, or a typo: the engine knows the
    # shift of the day and judges it (checks.punch_order)
    return out


def type_leave(raw: RawTable, rules: Rulebook, log: ProblemLog) -> pd.DataFrame:
    t = _Typer(raw, log)
    out = t.out
    out["employee_id"] = t.text("employee_id", required=True)
    out["start_date"] = t.dates("start_date", required=True)
    out["end_date"] = t.dates("end_date", required=True)
    out["type"] = t.enum("type", rules.leave_map(), "leave type")
    out["half_day"] = t.bools("half_day", False)
    out["certificate"] = t.bools("certificate", False)
    out["approved"] = t.bools("approved", True)
    both = out["start_date"].notna() & out["end_date"].notna()
    backwards = both & (out["end_date"] < out["start_date"])
    t.report(backwards, "end_date", "leave_ends_before_start", "leave ends {v}, before it starts",
             "swap the dates or correct the end date", values=out["end_date"].dt.strftime("%Y-%m-%d"))
    half_multi = out["half_day"] & both & (out["end_date"] != out["start_date"])
    t.report(half_multi, "half_day", "half_day_multi", "half_day is set on a leave of several days",
             "split it: one half-day row (start = end) and one row for the full days")
    return out


def type_violations(raw: RawTable, rules: Rulebook, log: ProblemLog) -> pd.DataFrame:
    t = _Typer(raw, log)
    out = t.out
    out["date"] = t.dates("date", required=True)
    out["employee_id"] = t.text("employee_id", required=True)
    out["code"] = t.enum("code", rules.code_map(), "violation code")
    out["minutes"] = t.numbers("minutes")
    out["points"] = t.numbers("points")
    out["note"] = t.text("note")
    neg = (out["minutes"] < 0).fillna(False).astype(bool)
    t.report(neg, "minutes", "negative_number", "minutes cannot be negative: {v}",
             "write the minutes off post")
    out["minutes"] = t.bounded("minutes", out["minutes"].where(~neg), 0, MINUTES_LIMIT, "minutes",
                               "write the minutes of that day (at most 1440)")
    ranged = next(e for e in rules.entries("score") if e.handler == "logged_points")  # unfinished_work
    lo, hi = ranged.num("min"), ranged.num("max")
    other = (out["code"] != ranged.code).fillna(True).astype(bool)
    out["points"] = out["points"].where(~other, t.bounded("points", out["points"].where(other), 0, POINTS_LIMIT,
                                                         "points", "write the points deducted (the score has 10)"))
    off = (out["code"] == "off_post").fillna(False) & P.clean(t.col("minutes")).isna()
    t.report(off, "minutes", "missing_value", "off_post needs the minutes off post",
             "fill in minutes (more than 10 counts as half a day absent)")
    uw = (out["code"] == ranged.code).fillna(False)
    bad_pts = uw & (out["points"].isna() | (out["points"] < lo) | (out["points"] > hi))
    t.report(bad_pts, "points", "points_out_of_range", f"unfinished_work points must be {lo:g}–{hi:g}, got {{v}}",
             "write the points deducted for the unfinished work (0.5 to 1)")
    return out


def type_performance(raw: RawTable, log: ProblemLog) -> pd.DataFrame:
    t = _Typer(raw, log)
    out = t.out
    out["employee_id"] = t.text("employee_id", required=True)
    out["month"] = t.months("month")
    out["score"] = _scores(t)
    rng = out["score"].notna() & ~out["score"].between(0, 100)
    t.report(rng, "score", "score_out_of_range", "performance score {v} is outside 0–100",
             "write the month's performance score from 0 to 100")
    dup = out["employee_id"].notna() & out["month"].notna() & out.duplicated(["employee_id", "month"])
    t.report(dup, "employee_id", "duplicate_score", "second performance score for {v} in the same month",
             "keep one score per employee and month")
    return out


def _scores(t: _Typer) -> pd.Series:
    """Scores out of 100; ``87%`` reads 87, and a column written as fractions (0.87) is read ×100.

    A fraction among scores over 1 could be 0.87 points or 87 %: that cell is refused.
    """
    values, bad, fraction = P.parse_percent_scores(t.col("score"))
    t._number_problems("score", bad)
    present = values.notna()
    t.report(present.eq(False) & ~bad, "score", "missing_value", "score is empty", "fill in the score on this row")
    if bool(fraction.any()):
        if bool((values[present] <= 1).all()):
            first = fraction[fraction].index[0]
            t.log.add(Problem(t.raw.display, int(t.out.at[first, "_row"]), t.raw.column_label("score"),
                              "score_as_fraction", "the scores are written as fractions of 1 (0.87) and are read "
                              "as percentages (87)", "write scores out of 100 to be sure", "warning", t.raw.sheet))
            values = (values * 100).round(6)
        else:
            t.report(fraction, "score", "ambiguous_score", "score {v} among scores out of 100: is it {v} "
                     "points or a percentage?", "write the score out of 100 (0.87 → 87)")
            values = values.where(~fraction)
    return values.astype("float64")


def type_awards(raw: RawTable, rules: Rulebook, log: ProblemLog) -> pd.DataFrame:
    t = _Typer(raw, log)
    out = t.out
    out["employee_id"] = t.text("employee_id", required=True)
    out["month"] = t.months("month")
    out["award"] = t.enum("award", rules.award_map(), "award")
    return out


def type_calendar(raw: RawTable, log: ProblemLog) -> pd.DataFrame:
    t = _Typer(raw, log)
    out = t.out
    out["date"] = t.dates("date", required=True)
    out["type"] = t.enum("type", CAL_TYPES, "day type")
    out["name"] = t.text("name")
    return out




def type_corrections(raw: RawTable, log: ProblemLog) -> pd.DataFrame:
    """Approved punch corrections (补卡): one punch each, added to the day's punches."""
    t = _Typer(raw, log)
    out = t.out
    out["employee_id"] = t.text("employee_id", required=True)
    out["date"] = t.dates("date", required=True)
    secs = t.times("time")
    t.report(secs.isna() & P.clean(t.col("time")).isna(), "time", "missing_value", "time is empty",
             "fill in the time of the corrected punch, e.g. 09:00")
    out["secs"] = secs
    out["kind"] = t.enum("kind", PUNCH_KINDS, "punch kind")
    out["reason"] = t.text("reason")
    out["approved_by"] = t.text("approved_by")
    return out[TYPED_COLUMNS["corrections"] + ["_file", "_sheet", "_row"]]


def type_overtime(raw: RawTable, log: ProblemLog) -> pd.DataFrame:
    """Approved overtime (加班审批): hours of one person on one day; the engine classes the day
    (workday, rest day, national holiday) and pays it (劳动法 第44条)."""
    t = _Typer(raw, log)
    out = t.out
    out["employee_id"] = t.text("employee_id", required=True)
    out["date"] = t.dates("date", required=True)
    hours = t.numbers("hours", required=True)
    t.report(hours.notna() & ((hours <= 0) | (hours > 24)), "hours", "hours_out_of_range",
             "overtime of {v} hours is not between 0 and 24", "write the hours of that day, e.g. 2 or 1.5")
    out["hours"] = hours
    out["approved"] = t.bools("approved", True)
    out["note"] = t.text("note")
    return out[TYPED_COLUMNS["overtime"] + ["_file", "_sheet", "_row"]]


def _shift_names(t: _Typer, canon: str) -> pd.Series:
    s = t.text(canon, required=True)
    rest = s.str.lower().isin(REST_SHIFTS).fillna(False).astype(bool)
    return s.where(~rest, "rest")


def type_shifts(raw: RawTable, log: ProblemLog) -> pd.DataFrame:
    """Rota entries: one person, one day, a shift name or rest (RULEBOOK §1b)."""
    t = _Typer(raw, log)
    out = t.out
    out["employee_id"] = t.text("employee_id", required=True)
    out["date"] = t.dates("date", required=True)
    out["shift"] = _shift_names(t, "shift")
    return out[TYPED_COLUMNS["shifts"] + ["_file", "_sheet", "_row"]]


_QUARTER_RE = (r"^\s*(?P<y>\d{4})\s*(?:[-/ ]?\s*[Qq]\s*(?P<q1>[1-4])|年?\s*第?\s*(?P<q2>[1-4一二三四])\s*季度?)\s*$")
_QUARTER_ZH = {"一": "1", "二": "2", "三": "3", "四": "4"}


def type_reviews(raw: RawTable, log: ProblemLog) -> pd.DataFrame:
    """Quarterly review grades (for promotion): quarter as ``2024Q2``, grade a letter A–E."""
    pd = P._pd()
    t = _Typer(raw, log)
    out = t.out
    out["employee_id"] = t.text("employee_id", required=True)
    q = t.text("quarter", required=True)
    parts = q.str.extract(_QUARTER_RE)
    num = parts["q1"].fillna(parts["q2"]).replace(_QUARTER_ZH)
    quarter = (parts["y"] + "Q" + num).astype("string")
    t.report(q.notna() & quarter.isna(), "quarter", "bad_quarter", "not a quarter: {v}",
             "write quarters like 2024Q2, 2024-Q2 or 2024年第2季度", values=q)
    out["quarter"] = quarter
    g = t.text("grade", required=True).str.upper().str.replace("＋", "+").str.replace("－", "-")
    g = g.str.translate(str.maketrans("ＡＢＣＤＥ", "ABCDE"))
    ok = g.str.fullmatch(r"[A-E][+-]?").fillna(False).astype(bool)
    t.report(g.notna() & ~ok, "grade", "bad_review_grade", "unknown review grade {v}",
             "write a letter grade A, B, C, D or E", values=g)
    out["grade"] = g.where(ok, pd.NA)
    return out[TYPED_COLUMNS["reviews"] + ["_file", "_sheet", "_row"]]


# ----------------------------------------------------------------- the 排班表 grid

_DAY_HEADER = re.compile(r"^\s*(?:(?P<y>\d{4})[-/.年])?\s*(?:(?P<m>\d{1,2})[-/.月])?\s*(?P<d>\d{1,2})\s*[日号號]?"
                         r"\s*(?:[（(]?\s*(?:星期|周|週)?[一二三四五六日天]\s*[)）]?)?\s*$")
_MONTH_IN_TEXT = re.compile(r"(?P<y>20\d{2})\s*[-_.年/]?\s*(?P<m>0?[1-9]|1[0-2])(?!\d)\s*月?")


def shift_grid(rows: list[list[Any]], context: list[str]) -> tuple[int, int, dict[int, dt.date]] | str | None:
    """(header row, id column, {column: date}) of a 排班表: one row per person, one column per day.

    Day columns are dates, or day numbers whose month comes from a title row above the
    header or from ``context`` (file and sheet names).  None when the rows are no grid;
    a string says why a grid cannot be read (its month is unknown).
    """
    from cs_rules.loading.columns import canonical

    for i, row in enumerate(rows[:20]):
        ids = [j for j, c in enumerate(row) if isinstance(c, str) and canonical(c) == "employee_id"]
        if not ids:
            continue
        days: dict[int, tuple[int | None, int | None, int]] = {}
        for j, c in enumerate(row):
            if isinstance(c, (dt.date, dt.datetime)):
                days[j] = (c.year, c.month, c.day)
            elif isinstance(c, float) and c.is_integer() and 1 <= c <= 31:
                days[j] = (None, None, int(c))
            elif isinstance(c, str):
                m = _DAY_HEADER.match(c)
                if m and 1 <= int(m["d"]) <= 31:
                    days[j] = (int(m["y"]) if m["y"] else None, int(m["m"]) if m["m"] else None, int(m["d"]))
        if len(days) < 7:
            continue
        year = month = None
        for text in [str(c) for r in rows[:i] for c in r if c not in (None, "")] + context:
            mm = _MONTH_IN_TEXT.search(text)
            if mm:
                year, month = int(mm["y"]), int(mm["m"])
                break
        out: dict[int, dt.date] = {}
        for j, (yy, mo, d) in days.items():
            yy = yy or year
            mo = mo or month
            if yy is None or mo is None:
                return "the day columns are day numbers and the month is not said"
            try:
                out[j] = dt.date(yy, mo, d)
            except ValueError:
                return f"column {j + 1} is day {d}, which {yy:04d}-{mo:02d} does not have"
        return i, ids[0], out
    return None


def type_shift_grid(raw_rows: list[list[Any]], grid: tuple[int, int, dict[int, dt.date]], display: str,
                    sheet: str, log: ProblemLog) -> pd.DataFrame:
    """The grid as rota rows (employee_id, date, shift), each cell keeping its row and column."""
    pd = P._pd()
    hrow, idcol, days = grid
    body = raw_rows[hrow + 1:]
    ids = pd.Series([_num_text(r[idcol]) if idcol < len(r) and r[idcol] not in (None, "") else pd.NA
                     for r in body], dtype="string").str.strip()
    frames = []
    for j, day in days.items():
        cells = pd.Series([r[j] if j < len(r) else None for r in body], dtype=object)
        text = P.clean(cells).map(lambda v: v if v is pd.NA else _num_text(v)).astype("string")
        frames.append(pd.DataFrame({"employee_id": ids, "date": pd.Timestamp(day), "shift": text,
                                    "_row": pd.RangeIndex(hrow + 2, hrow + 2 + len(body))}))
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["employee_id", "date", "shift",
                                                                                   "_row"])
    df = df[df["employee_id"].notna() & df["shift"].notna()].reset_index(drop=True)
    rest = df["shift"].str.lower().isin(REST_SHIFTS).fillna(False).astype(bool)
    df["shift"] = df["shift"].where(~rest, "rest")
    df["_file"] = display
    df["_sheet"] = sheet
    df["_row"] = df["_row"].astype("int64")
    return df[TYPED_COLUMNS["shifts"] + ["_file", "_sheet", "_row"]]
