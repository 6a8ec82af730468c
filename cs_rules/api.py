"""The library behind the commands: each command calls exactly one function here.

Functions return plain results or raise :class:`UsageError` (exit 2) or
:class:`DataError` (exit 1); they never print, so they serve the CLI, the tests
and anyone scripting cs-rules from Python alike.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cs_rules.problems import DataError, Problem, UsageError
from cs_rules.rulebook import Rulebook, load_rulebook

if TYPE_CHECKING:
    from cs_rules.engine.payroll import MonthResult
    from cs_rules.model.inputs import Dataset


@dataclass
class Context:
    root: Path
    rules: Rulebook
    data: Dataset
    rule_problems: list[Problem]


def resolve_rules(root: Path | None, rules_file: Path | None) -> tuple[Rulebook, list[Problem]]:
    """The rulebook: --rules FILE, else rules.toml in the data folder, else the default."""
    from cs_rules.loading.sources import display_path

    if rules_file is not None:
        from cs_rules.rulebook import example_path

        shipped = example_path(str(rules_file)) if not rules_file.is_file() else None
        if shipped is not None:
            return load_rulebook(shipped, f"{rules_file} ({shipped.name})")
        if not rules_file.is_file():
            raise UsageError(f"rules file '{rules_file}' not found",
                             "check the --rules path, or name a shipped rulebook: 篇8 (hospital: three shifts, "
                             "rotating rest day) or 篇6 (front-desk: shifts, warning-then-fine ladders)")
        return load_rulebook(rules_file, display_path(rules_file))
    if root is not None and (root / "rules.toml").is_file():
        p = root / "rules.toml"
        return load_rulebook(p, display_path(p))
    return load_rulebook(None)


def open_data(data_dir: str | Path | None, rules_file: Path | None = None) -> Context:
    """Load the data folder and rulebook; problems are collected, not raised."""
    from cs_rules.loading.folder import load_dataset, resolve_data_dir

    root = resolve_data_dir(str(data_dir) if data_dir is not None else None)
    rules, rule_problems = resolve_rules(root, rules_file)
    data = load_dataset(root, rules)
    data.problems.extend(rule_problems)
    return Context(root, rules, data, rule_problems)


def _refuse_errors(ctx: Context) -> None:
    errors = ctx.data.problems.errors
    if errors:
        raise DataError(errors)


def payroll(ctx: Context, month: str, with_history: bool = True, covered_through: str | None = None) -> MonthResult:
    """The month's payroll; refuses data with validation errors, and months the data does not cover.

    ``with_history=False`` skips the two earlier months that only the `severe`
    score level needs — money and points are the same either way.  ``covered_through``
    (YYYY-MM-DD) states that the sign-in sources are complete up to that day.
    """
    from cs_rules.engine.payroll import compute_month
    from cs_rules.model.month import month_label, parse_month

    month = month_label(month)
    year, mon = parse_month(month)
    _refuse_errors(ctx)
    _require_signins(ctx, year, mon)
    from cs_rules.review.month import month_review

    res = compute_month(ctx.data, ctx.rules, month, with_history=with_history,
                        covered_through=parse_day(covered_through) if covered_through else None)
    res.problems = month_review(ctx.data, ctx.rules, res)
    errors = [p for p in res.problems if p.severity == "error"]
    if errors:
        raise DataError(errors)
    return res


def parse_day(text: str) -> Any:
    """YYYY-MM-DD, or a usage error."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"'{text}' is not a date", "write it as YYYY-MM-DD, e.g. 2024-05-31") from None


def _require_signins(ctx: Context, year: int, mon: int) -> None:
    """A month with no sign-in rows at all would pay everyone as absent: refuse it as a usage error."""
    from cs_rules.engine.payroll import has_signins

    if has_signins(ctx.data, year, mon):
        return
    have = sorted({f"{t.year:04d}-{t.month:02d}" for t in ctx.data.signins["date"].dropna()})
    raise UsageError(f"the sign-in files hold no rows for {year:04d}-{mon:02d}",
                     f"check MONTH (months with sign-ins: {', '.join(have) or 'none'}) or add that month's "
                     "sign-in sheet to signin/")


def find_person(ctx: Context, key: str) -> tuple[str, str]:
    """(employee_id, name) for an id or exact name, or a usage error naming the closest."""
    r = ctx.data.roster
    hit = r[(r["employee_id"] == key) | (r["name"] == key)]
    if len(hit):
        return str(hit.iloc[0]["employee_id"]), str(hit.iloc[0]["name"])
    ids = [str(x) for x in r["employee_id"].dropna()]
    names = [str(x) for x in r["name"].dropna()]
    low = key.lower()
    prefix = [i for i in ids if i.lower().startswith(low) or low.startswith(i.lower())]
    contains = [x for x in ids + names if low in x.lower() and x not in prefix]
    fuzzy = difflib.get_close_matches(key, ids + names, n=5, cutoff=0.5)
    close = list(dict.fromkeys(prefix + contains + fuzzy))[:3]
    hint = f"did you mean {', '.join(close)}?" if close else "run `cs-rules payroll MONTH` to see everyone's id"
    raise UsageError(f"no employee '{key}' on the roster", hint)


def employee_and_month(ctx: Context, first: str | None, second: str | None, command: str,
                       month_first: bool = False) -> tuple[str | None, str | None]:
    """(EMPLOYEE, MONTH) from two arguments given in either order.

    An argument is the MONTH when it is written as a month (2024-05, 2024/05, 202405,
    2024年5月) and is not an id or name on the roster; the other one is the EMPLOYEE.
    When both or neither look like a month, the documented order decides
    (``score MONTH EMPLOYEE``, ``fines``/``explain EMPLOYEE MONTH``)."""
    from cs_rules.model.month import looks_like_month

    r = ctx.data.roster
    known = {str(x) for x in r["employee_id"].dropna()} | {str(x) for x in r["name"].dropna()}

    def is_month(x: str | None) -> bool:
        return x is not None and looks_like_month(x) and x not in known

    given = [x for x in (first, second) if x is not None]
    months = [x for x in given if is_month(x)]
    if len(given) == 2 and len(months) == 1:
        return (second, first) if is_month(first) else (first, second)
    if len(given) == 1:
        x = given[0]
        if month_first and x in known:
            raise UsageError(f"MONTH is missing ('{x}' is an employee)",
                             f"give the month: cs-rules {command} 2024-05 {x}")
        if is_month(x) and not month_first:
            raise UsageError(f"'{x}' is a month and EMPLOYEE is missing",
                             f"give an employee_id or exact name: cs-rules {command} EMPLOYEE {x}")
        return (None, x) if month_first else (x, None)
    return (second, first) if month_first else (first, second)


def fines(ctx: Context, employee: str, month: str | None, covered_through: str | None = None
          ) -> tuple[MonthResult, str]:
    """One employee's fines for a month (default: the latest month in the sign-ins)."""
    from cs_rules.engine.payroll import latest_month
    from cs_rules.model.month import parse_month

    emp_id, _ = find_person(ctx, employee)
    if month is None:
        month = latest_month(ctx.data)
        if month is None:
            raise UsageError("no sign-in data to pick a month from", "give MONTH as YYYY-MM")
    parse_month(month)
    res = payroll(ctx, month, with_history=False, covered_through=covered_through)
    res.find_employee(emp_id)
    return res, emp_id


def score(ctx: Context, month: str, employee: str | None, covered_through: str | None = None
          ) -> tuple[MonthResult, str | None]:
    emp_id = find_person(ctx, employee)[0] if employee else None
    res = payroll(ctx, month, covered_through=covered_through)
    if emp_id:
        res.find_employee(emp_id)
    return res, emp_id


_NOT_ABOUT_DAYS = frozenset({"award_quota"})  # month checks about pay, not about what each day was


@dataclass
class AttendanceResult:
    month: str
    days: Any  # pandas DataFrame, columns engine.attendance.COLUMNS
    problems: list[Problem]  # the month's review, every one a warning here


def attendance(ctx: Context, month: str, employee: str | None = None, covered_through: str | None = None
               ) -> AttendanceResult:
    """The daily record of MONTH (everyone employed, or one person): what payroll would judge each day.

    Load errors refuse, as for payroll: a record built on misread files would mislead.  The month's
    own review does not: days outside every sign-in source are shown as ``no_data`` and the review's
    problems (coverage, days nobody punched, the vendor's disagreements) come back as warnings,
    because a clerk looks at the record mid-month precisely to see what is there."""
    import dataclasses

    from cs_rules.engine.attendance import attendance_frame
    from cs_rules.engine.payroll import compute_month
    from cs_rules.model.month import parse_month
    from cs_rules.review.month import month_review

    year, mon = parse_month(month)
    emp_id = find_person(ctx, employee)[0] if employee else None
    _refuse_errors(ctx)
    _require_signins(ctx, year, mon)
    through = parse_day(covered_through) if covered_through else None
    res = compute_month(ctx.data, ctx.rules, month, with_history=False, covered_through=through)
    if emp_id is not None:
        res.find_employee(emp_id)
    problems = [p if p.severity != "error" else dataclasses.replace(p, severity="warning")
                for p in month_review(ctx.data, ctx.rules, res) if p.code not in _NOT_ABOUT_DAYS]
    days = attendance_frame(res, ctx.data, through, ctx.root, employee=emp_id)
    return AttendanceResult(res.month.label, days, problems)


def promotion(ctx: Context, month: str, employee: str | None = None) -> Any:
    """Promotion eligibility and demotion triggers (篇5 §四–五) of everyone employed at the end of MONTH."""
    from cs_rules.engine.promotion import compute_promotion
    from cs_rules.model.month import month_label

    month = month_label(month)
    emp_id = find_person(ctx, employee)[0] if employee else None
    _refuse_errors(ctx)
    res = compute_promotion(ctx.data, ctx.rules, month)
    if emp_id is not None and emp_id not in set(res.standing.employees["employee_id"]):
        raise UsageError(f"'{employee}' is not employed at the end of {month}", "check the id or the month")
    return res, emp_id


@dataclass
class ValidationResult:
    data: Dataset

    @property
    def ok(self) -> bool:
        return not self.data.problems.has_errors()

    def as_json(self) -> dict[str, Any]:
        by_file: dict[str, dict[str, Any]] = {}
        for f in self.data.files:
            by_file.setdefault(f.path, {"path": f.path, "rows": f.rows, "errors": [], "warnings": []})
        for p in self.data.problems.items:
            entry = by_file.setdefault(p.file, {"path": p.file, "rows": 0, "errors": [], "warnings": []})
            entry["errors" if p.severity == "error" else "warnings"].append(p.as_json())
        return {"ok": self.ok, "files": list(by_file.values())}


def validate(paths: list[Path], data_dir: str | Path | None, covered_through: str | None = None) -> ValidationResult:
    """Check every file (or the whole data folder) in one pass.

    The whole folder is also reviewed month by month as payroll would review it (coverage, days
    nobody punched, the vendor's verdicts …), so validate and payroll report the same problems
    (issue 13 §6). Files named one by one are checked as files only: a clerk checking this
    week's sheets is not told the rest of the month is missing."""
    from cs_rules.loading.folder import load_dataset, load_paths, resolve_data_dir

    if paths:
        import os

        explicit = data_dir if data_dir is not None else os.environ.get("CS_RULES_DATA") or None
        given = resolve_data_dir(str(explicit)) if explicit is not None else None
        paths = _find_paths(paths, given)
        roster_dir = _roster_folder(paths, given)
        root = roster_dir or given
        rules, rp = resolve_rules(root, None)
        data = load_paths(paths, rules, root)
        if roster_dir is None:
            from cs_rules.loading.sources import display_path

            where = display_path(paths[0].parent) if paths else "."
            data.problems.warning(where, 0, "", "no_roster",
                                  "no roster found (not in --data, the files' folder or its parent): the files "
                                  "were checked without it, so unknown employee ids are not reported",
                                  "pass --data DIR with the folder holding roster.csv or roster.xlsx")
    else:
        root = resolve_data_dir(str(data_dir) if data_dir is not None else None)
        rules, rp = resolve_rules(root, None)
        data = load_dataset(root, rules)
    data.problems.extend(rp)
    if not paths and not data.problems.has_errors() and len(data.roster):
        data.problems.extend(_months_reviewed(data, rules, parse_day(covered_through) if covered_through else None))
    return ValidationResult(data)


_GLOB = set("*?[")


def _find_paths(paths: list[Path], root: Path | None) -> list[Path]:
    """Each PATH as given, else relative to the data folder; patterns the shell left alone
    (``signin/*.xlsx`` that matched nothing here) are expanded in either place."""
    found: list[Path] = []
    missing: list[str] = []
    for p in paths:
        places = [Path(".")] + ([root] if root is not None and not p.is_absolute() else [])
        hit: list[Path] = []
        for base in places:
            cand = base / p if not p.is_absolute() else p
            if cand.exists():
                hit = [cand]
            elif _GLOB & set(str(p)):
                hit = sorted(q for q in (base.glob(str(p)) if not p.is_absolute() else
                                         Path(p.anchor).glob(str(p.relative_to(p.anchor)))) if q.is_file())
            if hit:
                break
        if hit:
            found += [q if q.is_absolute() or q.parts[:1] != (".",) else Path(*q.parts[1:]) for q in hit]
        else:
            missing.append(str(p))
    if missing:
        where = f" (nor in the data folder {root})" if root is not None else ""
        raise UsageError(f"no such file: {', '.join(missing)}{where}", "check the paths")
    return found


def _has_roster(folder: Path) -> bool:
    return any((folder / f"roster{ext}").is_file() for ext in (".csv", ".xlsx", ".xlsm", ".xls", ".tsv"))


def _roster_folder(paths: list[Path], root: Path | None) -> Path | None:
    """The folder whose roster the files are checked against: --data (or $CS_RULES_DATA) when
    given, else the files' folder, else its parent (a file in signin/), else the current folder."""
    first = paths[0].resolve().parent if paths else Path(".").resolve()
    for folder in ([root] if root is not None else []) + [first, first.parent, Path(".")]:
        if _has_roster(folder):
            return folder
    return None


def _months_reviewed(data: Dataset, rules: Rulebook, covered_through: Any = None) -> list[Problem]:
    """The review of every month the sign-ins hold, as payroll would see it (the same problems)."""
    from cs_rules.engine.payroll import compute_month
    from cs_rules.review.month import month_review

    dates = data.signins["date"].dropna()
    months = sorted({f"{t.year:04d}-{t.month:02d}" for t in dates.dt.to_period("M").unique().to_timestamp()})
    out: list[Problem] = []
    for m in months:
        try:
            res = compute_month(data, rules, m, with_history=False, covered_through=covered_through)
        except UsageError as exc:
            out.append(Problem("", 0, "", "not_reviewed", f"{m} was not reviewed: {exc.message}", exc.hint,
                               "warning"))
            continue
        found = month_review(data, rules, res)
        if len(months) > 1 and m in (months[0], months[-1]):
            # the data starts or ends inside this month (a clock export of 09-25..10-31, a sheet of this
            # month so far): its missing days are said, but they do not fail the folder; payroll of that
            # month refuses them as it always does
            import dataclasses

            found = [dataclasses.replace(p, severity="warning", message=f"{p.message} (the first or last month "
                                         f"of the data: payroll {m} refuses it)")
                     if p.code == "not_covered" and p.severity == "error" else p for p in found]
        out += found
    return out


def roster_init(export: Path, warnings: list[Problem] | None = None) -> Any:
    """A roster skeleton (ids, names, blank grade and hire date) from an attendance export; the
    export's warnings (a clock number shared by several names …) are appended to ``warnings``."""
    from cs_rules.loading import vendors
    from cs_rules.loading.sources import open_source

    src = open_source(export)
    if isinstance(src, Problem):
        raise UsageError(src.format(), "give an attendance export as it came (DingTalk, WeCom, a clock's file)")
    vendor = vendors.detect_vendor(src)
    if vendor is None:
        p = vendors.unrecognised(src)
        raise UsageError(p.format())  # "file: what is wrong — what to do", in the language in use
    load = vendors.load_vendor(src, vendor)
    errors = [p for p in load.problems if p.severity == "error"]
    if errors:
        raise DataError(errors)
    if warnings is not None:
        warnings.extend(p for p in load.problems if p.severity == "warning")
    return vendors.roster_skeleton(load)


def init_folder(folder: Path) -> list[Path]:
    """A new data folder of template files (`cs-rules init`): ``folder`` may be missing or empty."""
    from cs_rules.loading.starter import write_starter

    if folder.exists() and not folder.is_dir():
        raise UsageError(f"'{folder}' is a file, not a folder", "give a new folder name, e.g. cs-rules init 工资数据")
    if folder.is_dir() and any(folder.iterdir()):
        raise UsageError(f"'{folder}' is not empty", "give a new or empty folder, e.g. cs-rules init 工资数据 "
                         "(init never writes over files)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return write_starter(folder)
    except OSError as exc:
        raise UsageError(f"cannot create '{folder}': {exc.strerror or exc}", "choose a folder you can write to") \
            from None
