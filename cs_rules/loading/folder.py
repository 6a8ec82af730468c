"""Load a data folder (or a list of files) into typed tables, collecting every problem.

Each typed table is a DataFrame under canonical column names plus ``_file``,
``_sheet`` and ``_row`` (the row a spreadsheet shows), so every fine and every
error can point back to the cell it came from.  Nothing here raises on bad data:
all problems are collected in one pass into a :class:`ProblemLog`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cs_rules.loading import parse as P
from cs_rules.loading.sources import RawTable, Source, display_path, open_source, read_table
from cs_rules.model.inputs import TYPED_COLUMNS, Dataset, FileReport, concat_tables, empty_dataset
from cs_rules.problems import Problem, ProblemLog, UsageError
from cs_rules.rulebook import Rulebook

if TYPE_CHECKING:
    import pandas as pd

OPTIONAL_FILES = ("leave", "violations", "performance", "awards", "calendar")
TABLE_EXTS = (".csv", ".xlsx", ".xlsm", ".tsv")
CAL_TYPES = {"workday": "workday", "work": "workday", "上班": "workday", "工作日": "workday",
             "班": "workday", "补班": "workday", "補班": "workday", "调休上班": "workday",
             "rest": "rest", "holiday": "rest", "休息": "rest", "休": "rest", "假": "rest",
             "节假日": "rest", "節假日": "rest", "休息日": "rest", "假日": "rest"}










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
        if s.dtype == object and not bool(s.isna().all()):  # spreadsheet cells: numeric ids back to text
            s = s.map(lambda v: _num_text(v) if v is not None and v is not P._pd().NA else v)
        s = s.astype("string")
        if required:
            self.report(s.isna(), canon, "missing_value", f"{canon} is empty",
                        f"fill in the {canon} on this row or delete the row")
        return s

    def dates(self, canon: str, required: bool = False) -> pd.Series:
        d, bad = P.parse_dates(self.col(canon))
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
        self.report(bad, canon, "bad_number", "not a number: {v}", "write a plain number like 12 or 0.5")
        if required:
            self.report(n.isna() & ~bad, canon, "missing_value", f"{canon} is empty",
                        f"fill in the {canon} on this row")
        return n

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
    if v is None or v is P._pd().NA:
        return "(empty)"
    return f"'{v}'"


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
    out["base_salary"] = money.where(~neg, P._pd().NA)
    for c in ("phone", "id_number", "vendor_id"):
        out[c] = t.text(c)
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


def type_signins(raw: RawTable, log: ProblemLog) -> pd.DataFrame:
    t = _Typer(raw, log)
    out = t.out
    out["employee_id"] = t.text("employee_id", required=True)
    out["name"] = t.text("name")
    if raw.schema.kind == "punches":

        date, secs, bad = P.parse_datetimes(t.col("punch_time"))
        t.report(bad, "punch_time", "bad_datetime", "not a date and time: {v}",
                 "write punches like 2024-05-06 08:59:12")
        out["date"] = date
        out["secs"] = secs
        ok = out.dropna(subset=["employee_id", "date", "secs"])
        g = ok.groupby(["employee_id", "date"], sort=False)
        agg = g.agg(sign_in=("secs", "min"), sign_out=("secs", "max"), n=("secs", "size"),
                    _row=("_row", "min"), name=("name", "first")).reset_index()
        agg.loc[agg["n"] == 1, "sign_out"] = float("nan")
        agg["_file"] = raw.display
        agg["_sheet"] = raw.sheet
        return agg.drop(columns=["n"])[TYPED_COLUMNS["signins"] + ["_file", "_sheet", "_row"]]
    out["date"] = t.dates("date", required=True)
    out["sign_in"] = t.times("sign_in")
    out["sign_out"] = t.times("sign_out")
    order = out["sign_in"].notna() & out["sign_out"].notna() & (out["sign_out"] <= out["sign_in"])
    t.report(order, "sign_out", "sign_out_not_after_sign_in", "sign-out {v} is not after the sign-in",
             "check both times (a night shift is not supported: split it at midnight)",
             values=t.col("sign_out"))
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
    neg = out["minutes"] < 0
    t.report(neg.fillna(False), "minutes", "negative_number", "minutes cannot be negative: {v}",
             "write the minutes off post")
    off = (out["code"] == "off_post").fillna(False) & out["minutes"].isna()
    t.report(off, "minutes", "missing_value", "off_post needs the minutes off post",
             "fill in minutes (more than 10 counts as half a day absent)")
    ranged = next(e for e in rules.entries("score") if e.handler == "logged_points")
    lo, hi = ranged.num("min"), ranged.num("max")
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
    out["score"] = t.numbers("score", required=True)
    rng = out["score"].notna() & ~out["score"].between(0, 100)
    t.report(rng, "score", "score_out_of_range", "performance score {v} is outside 0–100",
             "write the month's performance score from 0 to 100")
    dup = out["employee_id"].notna() & out["month"].notna() & out.duplicated(["employee_id", "month"])
    t.report(dup, "employee_id", "duplicate_score", "second performance score for {v} in the same month",
             "keep one score per employee and month")
    return out


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


def _find(root: Path, stem: str) -> list[Path]:
    return [root / f"{stem}{ext}" for ext in TABLE_EXTS if (root / f"{stem}{ext}").is_file()]


def _kinds_for(path: Path) -> list[str]:
    """Which schemas a file may hold, judged by its name and folder, else all."""
    stem = path.stem.lower()
    for kind in ("roster", "leave", "violations", "performance", "awards", "calendar"):
        if stem.startswith(kind):
            return [kind]
    if path.parent.name.lower() == "signin":
        return ["signin", "punches"]
    return ["signin", "punches", "roster", "leave", "violations", "performance", "awards", "calendar"]


def load_file(path: Path, rules: Rulebook, data: Dataset, kinds: list[str] | None = None) -> None:
    """Load one file into ``data``'s tables, logging its problems."""
    log = data.problems
    src = open_source(path)
    if isinstance(src, Problem):
        log.add(src)
        data.files.append(FileReport(src.file, "?"))
        return
    kinds = kinds or _kinds_for(path)
    if "signin" in kinds:
        from cs_rules.loading import vendors

        vendor = vendors.detect_vendor(src)
        if vendor:
            _load_vendor(src, vendor, data)
            return
    raw = read_table(src, kinds)
    if isinstance(raw, Problem):
        if "signin" in kinds:  # neither a sign-in sheet nor an export we know: name the exports read
            from cs_rules.loading import vendors

            raw = vendors.not_recognised(raw)
        log.add(raw)
        data.files.append(FileReport(src.display, kinds[0]))
        return
    kind = raw.schema.kind
    report = FileReport(src.display, kind, len(raw.df))
    data.files.append(report)
    if raw.df.empty:
        log.add(Problem(src.display, raw.header_row, "", "no_rows", "the file has a header but no data rows",
                        "export the data again, or remove the file", "warning", raw.sheet))
    if kind == "roster":
        data.roster = concat_tables(data.roster, type_roster(raw, rules, log))
    elif kind in ("signin", "punches"):
        data.signins = concat_tables(data.signins, type_signins(raw, log))
    elif kind == "leave":
        data.leave = concat_tables(data.leave, type_leave(raw, rules, log))
    elif kind == "violations":
        data.violations = concat_tables(data.violations, type_violations(raw, rules, log))
    elif kind == "performance":
        data.performance = concat_tables(data.performance, type_performance(raw, log))
    elif kind == "awards":
        data.awards = concat_tables(data.awards, type_awards(raw, rules, log))
    elif kind == "calendar":
        data.calendar = concat_tables(data.calendar, type_calendar(raw, log))


def _load_vendor(src: Source, vendor: str, data: Dataset) -> None:
    """A DingTalk/WeCom export in signin/: its punches and leave join our tables."""
    from cs_rules.loading import vendors

    load = vendors.load_vendor(src, vendor)
    data.problems.extend(load.problems)
    data.files.append(FileReport(src.display, f"{vendor} export", len(load.signins)))
    data.vendor.append(load)




def resolve_data_dir(data: str | None) -> Path:
    root = Path(data or os.environ.get("CS_RULES_DATA") or ".")
    if not root.exists():
        raise UsageError(f"data folder '{root}' does not exist",
                         "pass --data DIR with the folder holding roster.csv and signin/")
    if not root.is_dir():
        raise UsageError(f"'{root}' is not a folder", "pass --data DIR with the folder holding roster and signin/")
    return root


def load_dataset(root: Path, rules: Rulebook, require: bool = True) -> Dataset:
    """Every input of the data folder.  Missing roster or signin/ is a usage error."""
    data = empty_dataset(root)
    rosters = _find(root, "roster")
    signin_dir = root / "signin"
    if require and not rosters:
        raise UsageError(f"no roster in {display_path(root)}",
                         "add roster.csv or roster.xlsx (employee_id, name, grade, hire_date), "
                         "or pass --data with the right folder")
    if require and not signin_dir.is_dir():
        raise UsageError(f"no signin/ folder in {display_path(root)}",
                         "put the sign-in sheets (CSV or XLSX) in a signin/ folder")
    for p in rosters[:1]:
        load_file(p, rules, data, ["roster"])
    if len(rosters) > 1:
        data.problems.warning(display_path(rosters[1]), 0, "", "ignored_file",
                              f"ignored: {display_path(rosters[0])} is used as the roster",
                              "keep one roster file")
    if signin_dir.is_dir():
        files = sorted(p for p in signin_dir.iterdir()
                       if p.is_file() and p.suffix.lower() in TABLE_EXTS and not p.name.startswith(("~$", ".")))
        if require and not files:
            raise UsageError(f"no sign-in files in {display_path(signin_dir)}",
                             "put the month's sign-in sheets there as CSV or XLSX")
        for p in files:
            load_file(p, rules, data, ["signin", "punches"])
    for stem in OPTIONAL_FILES:
        for p in _find(root, stem)[:1]:
            load_file(p, rules, data, [stem])
    finish(data, rules)
    return data


def load_paths(paths: list[Path], rules: Rulebook, root: Path | None) -> Dataset:
    """Files named on the command line, checked against the roster of ``root`` when there is one."""
    data = empty_dataset(root)
    if root is not None:
        for p in _find(root, "roster")[:1]:
            if p.resolve() not in {q.resolve() for q in paths}:
                roster_only = empty_dataset(root)
                load_file(p, rules, roster_only, ["roster"])
                data.roster = roster_only.roster
                data.problems.extend([q for q in roster_only.problems.items if q.severity == "error"])
    for p in paths:
        load_file(p, rules, data)
    finish(data, rules, roster_known=len(data.roster) > 0)
    return data


def finish(data: Dataset, rules: Rulebook, roster_known: bool = True) -> None:
    """Cross-file checks: duplicate days, overlapping leave, people not on the roster."""
    from cs_rules.loading import checks, vendors

    vendors.attach_vendor(data)
    checks.cross_checks(data, rules, roster_known)
