"""Load a data folder (or a list of files) into typed tables, collecting every problem.

Each typed table is a DataFrame under canonical column names plus ``_file``,
``_sheet`` and ``_row`` (the row a spreadsheet shows), so every fine and every
error can point back to the cell it came from.  Nothing here raises on bad data:
all problems are collected in one pass into a :class:`ProblemLog`.

Every entry of the folder ends up in the inventory (``Dataset.files``): read, as
what and how many rows, or not read and why.  A leave file saved as ``请假记录.csv``
that is ignored without a word turns approved leave into 旷工, so names are matched
without regard to case, and a file whose header makes it an input is read as that.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cs_rules.loading import tables as T
from cs_rules.loading.columns import FOLDER_KINDS, SCHEMAS
from cs_rules.loading.sources import (
    RawTable,
    Source,
    display_path,
    find_header,
    open_source,
    read_ahead,
    read_tables,
)
from cs_rules.model.inputs import Dataset, FileReport, concat_tables, empty_dataset
from cs_rules.model.outputs import written_by_cs_rules
from cs_rules.problems import Problem, UsageError
from cs_rules.rulebook import Rulebook

if TYPE_CHECKING:
    import pandas as pd

OPTIONAL_FILES = ("leave", "violations", "performance", "awards", "calendar", "corrections", "shifts", "reviews",
                  "overtime")
TABLE_EXTS = (".csv", ".xlsx", ".xlsm", ".xls", ".tsv", ".txt")
SIGNIN_EXTS = TABLE_EXTS + (".dat",)
CANONICAL_NAME = {"roster": "roster.csv", "leave": "leave.csv", "violations": "violations.csv",
                  "performance": "performance.csv", "awards": "awards.csv", "calendar": "calendar.csv",
                  "corrections": "corrections.csv", "shifts": "shifts.csv", "reviews": "reviews.csv",
                  "overtime": "overtime.csv"}
KIND_LABEL = {"roster": "roster", "signin": "sign-in sheet", "punches": "raw punches", "leave": "leave",
              "violations": "violations", "performance": "performance", "awards": "awards",
              "calendar": "calendar", "corrections": "punch corrections", "shifts": "rota",
              "reviews": "quarterly reviews", "overtime": "approved overtime"}
# what a missing optional input means for pay (said in validate's summary)
MISSING_MEANS = {
    "leave": "no leave file: days without sign-ins count as absent",
    "violations": "no violations file: no violation fines or score deductions",
    "performance": "no performance file: nobody has a performance score this month",
    "awards": "no awards file: no award bonuses",
    "calendar": "no calendar.csv: the national holiday calendar and Sundays decide the rest days",
    "corrections": "no corrections.csv: no approved punch corrections (补卡)",
    "overtime": "no overtime.csv: no approved overtime paid",
}
CAL_TYPES = T.CAL_TYPES  # re-exported: older callers import it from here


def _kinds_for(path: Path) -> list[str]:
    """Which schemas a file may hold, judged by its name and folder, else all."""
    stem = path.stem.lower()
    for kind in FOLDER_KINDS:
        if stem.startswith(kind):
            return [kind]
    if path.parent.name.lower() == "signin":
        return ["signin", "punches"]
    return ["signin", "punches", *FOLDER_KINDS]


def _report(data: Dataset, path: str, kind: str, rows: int = 0, status: str = "read", note: str = "") -> FileReport:
    rep = FileReport(path, kind, rows, status=status, note=note)
    data.files.append(rep)
    return rep


def load_file(path: Path, rules: Rulebook, data: Dataset, kinds: list[str] | None = None,
              src: Source | Problem | None = None, note: str = "") -> None:
    """Load one file into ``data``'s tables, logging its problems and its inventory line."""
    log = data.problems
    if src is None:
        src = open_source(path)
    if isinstance(src, Problem):
        log.add(src)
        _report(data, src.file, "?", status="failed", note=src.message)
        return
    log.extend(src.problems)
    src.problems = []
    if src.fmt in ("xlsx", "xls") and len(src.sheets) + len(src.hidden) > 1:
        data.workbooks.add(src.display)
    kinds = kinds or _kinds_for(path)
    if "signin" in kinds:
        from cs_rules.loading import vendors

        vendor = vendors.detect_vendor(src)
        if vendor:
            _load_vendor(src, vendor, data)
            return
    if kinds == ["shifts"] and _load_shift_grid(src, data):
        return
    got = read_tables(src, kinds)
    log.extend(src.problems)
    src.problems = []
    if isinstance(got, Problem):
        if "signin" in kinds:  # neither a sign-in sheet nor an export we know: name the exports read
            from cs_rules.loading import vendors

            got = vendors.not_recognised(got)
        log.add(got)
        _report(data, src.display, kinds[0], status="failed", note=got.message)
        return
    rows = 0
    sheets = []
    for raw in got:
        rows += len(raw.df)
        if raw.sheet:
            sheets.append(raw.sheet)
        _type_into(raw, rules, data)
    log.extend(src.problems)
    src.problems = []
    kinds_read = sorted({raw.schema.kind for raw in got}, key=lambda k: kinds.index(k) if k in kinds else 99)
    what = " + ".join(KIND_LABEL.get(k, k) for k in kinds_read)
    extra = [note] if note else []
    if len(sheets) > 1 or (sheets and src.fmt in ("xlsx", "xls")):
        extra.append(f"sheet{'s' if len(sheets) > 1 else ''} {', '.join(sheets)}")
    if src.hidden:
        extra.append(f"hidden, not read: {', '.join(src.hidden)}")
    if src.label and src.label != "UTF-8":
        extra.append(src.label)
    _report(data, src.display, kinds_read[0] if kinds_read else kinds[0], rows, note="; ".join(extra)).what = what


def _type_into(raw: RawTable, rules: Rulebook, data: Dataset) -> None:
    log = data.problems
    kind = raw.schema.kind
    if raw.df.empty and raw.sheet not in getattr(raw.source.sheets, "failed", ()):  # (a damaged sheet: said)
        log.add(Problem(raw.display, raw.header_row, "", "no_rows", "the file has a header but no data rows",
                        "export the data again, or remove the file", "warning", raw.sheet))
    if kind == "roster":
        data.roster = concat_tables(data.roster, T.type_roster(raw, rules, log))
    elif kind in ("signin", "punches"):
        typed = T.type_signins(raw, log)
        if "punches" in typed.attrs:
            data.punches = concat_tables(data.punches, typed.attrs.pop("punches"))
        data.signins = concat_tables(data.signins, typed)
    elif kind == "leave":
        data.leave = concat_tables(data.leave, T.type_leave(raw, rules, log))
    elif kind == "violations":
        data.violations = concat_tables(data.violations, T.type_violations(raw, rules, log))
    elif kind == "performance":
        data.performance = concat_tables(data.performance, T.type_performance(raw, log))
    elif kind == "awards":
        data.awards = concat_tables(data.awards, T.type_awards(raw, rules, log))
    elif kind == "calendar":
        data.calendar = concat_tables(data.calendar, T.type_calendar(raw, log))
    elif kind == "corrections":
        data.corrections = concat_tables(data.corrections, T.type_corrections(raw, log))
    elif kind == "overtime":
        data.overtime = concat_tables(data.overtime, T.type_overtime(raw, log))
    elif kind == "shifts":
        data.shifts = concat_tables(data.shifts, T.type_shifts(raw, log))
    elif kind == "reviews":
        data.reviews = concat_tables(data.reviews, T.type_reviews(raw, log))


def _load_shift_grid(src: Source, data: Dataset) -> bool:
    """A 排班表 (one column per day) read as rota rows; False when the file is the long form."""
    if src.fmt == "csv":
        if find_header(src.head, [SCHEMAS["shifts"]]) is not None:
            return False  # the long form: read by the typed path, without every row as Python lists first
        rows = src.all_rows()[""]
    else:
        rows = None
    read = 0
    sheets = []
    for sheet, cells in (src.sheets.items() if rows is None else [("", rows)]):
        if find_header(cells, [SCHEMAS["shifts"]]) is not None:
            return False
        grid = T.shift_grid(cells, [src.path.stem, sheet])
        if grid is None:
            continue
        if isinstance(grid, str):
            data.problems.error(src.display, 0, "", "shift_grid_month", f"is a rota grid, but {grid}",
                                "put the month (e.g. 2024年5月) in a title row above the header, or in the "
                                "file name (shifts-2024-05.xlsx)", sheet)
            _report(data, src.display, "shifts", status="failed", note=grid)
            return True
        frame = T.type_shift_grid(cells, grid, src.display, sheet, data.problems)
        data.shifts = concat_tables(data.shifts, frame)
        read += len(frame)
        if sheet:
            sheets.append(sheet)
    if not read and not sheets:
        return False
    data.problems.extend(src.problems)
    src.problems = []
    _report(data, src.display, "shifts", read, note="rota grid (one column per day)"
            + (f"; sheets {', '.join(sheets)}" if sheets else "")).what = "rota"
    return True


def _load_vendor(src: Source, vendor: str, data: Dataset) -> None:
    """A DingTalk/WeCom export in signin/: its punches and leave join our tables."""
    from cs_rules.loading import vendors

    for sheet, cells in src.formulas.items():
        for row, _col, ref, formula in cells:
            data.problems.error(src.display, row, ref.rstrip("0123456789"), "formula_without_value",
                                f"cell {ref} holds a formula (={formula}) with no saved value",
                                "open and save the file in Excel or WPS so the value is stored", sheet)
    load = vendors.load_vendor(src, vendor)
    data.problems.extend(src.problems)  # a sheet found damaged when the adapter read it
    src.problems = []
    data.problems.extend(load.problems)
    _report(data, src.display, "signin", len(load.signins)).what = f"{vendor} export"
    data.vendor.append(load)


def resolve_data_dir(data: str | None) -> Path:
    root = Path(data or os.environ.get("CS_RULES_DATA") or ".")
    if not root.exists():
        raise UsageError(f"data folder '{root}' does not exist",
                         "pass --data DIR with the folder holding roster.csv and signin/")
    if not root.is_dir():
        raise UsageError(f"'{root}' is not a folder", "pass --data DIR with the folder holding roster and signin/")
    return root


def _entries(folder: Path, data: Dataset | None) -> list[Path]:
    """The folder's entries by name; a folder that cannot be listed is an error in ``data``
    (none when only looking ahead)."""
    try:
        return sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        if data is not None:
            data.problems.error(display_path(folder), 0, "", "unreadable", f"cannot be listed ({exc.strerror})",
                                "check the folder's permissions")
        return []


def _skip_reason(p: Path) -> str:
    """Why an entry is not a data file at all (empty: it may be one)."""
    name = p.name
    if name.startswith("~$"):
        return "Excel's lock file (the workbook is open in Excel)"
    if name.startswith("."):
        return "hidden file"
    if p.suffix.lower() in (".csv", ".tsv", ".xlsx", ".xlsm", ".json") and written_by_cs_rules(p):
        return "a report cs-rules wrote (not an input; -o may replace it)"
    return ""


def _sniff(src: Source, kinds: tuple[str, ...]) -> str | None:
    """The input kind a file's header makes it, among ``kinds`` (None: no recognised header)."""
    schemas = [SCHEMAS[k] for k in kinds]
    sheets = list(src.head_rows().values())
    best: tuple[int, str] | None = None
    for rows in sheets:
        found = find_header(rows, schemas)
        if found is None:
            continue
        _hrow, schema, mapping = found
        score = len(mapping)
        if schema.kind == "calendar" and "employee_id" in {c for c in _all_canon(rows[_hrow])}:
            continue  # a dated table about people is not a calendar
        if best is None or score > best[0]:
            best = (score, schema.kind)
    return best[1] if best else None


def _all_canon(row: list[Any]) -> set[str]:
    from cs_rules.loading.columns import canonical

    return {c for c in (canonical(x) for x in row if isinstance(x, str)) if c}


def plan_folder(root: Path, data: Dataset) -> tuple[dict[str, list[tuple[Path, Source | Problem | None, str]]],
                                                       list[Path]]:
    """Every top-level entry classified: inputs by kind (name first, else header), signin/ folders,
    and the rest listed in the inventory as not read, with the reason."""
    by_kind: dict[str, list[tuple[Path, Source | Problem | None, str]]] = {k: [] for k in FOLDER_KINDS}
    signin_dirs: list[Path] = []
    sniffed: list[tuple[Path, Source | Problem | None, str]] = []
    for p in _entries(root, data):
        disp = display_path(p)
        if p.is_dir():
            if p.name.lower() == "signin":
                signin_dirs.append(p)
            elif not p.name.startswith("."):
                _report(data, disp + "/", "folder", status="not read", note="a folder: only signin/ is read")
            continue
        reason = _skip_reason(p)
        stem, ext = p.stem.lower(), p.suffix.lower()
        if p.name.lower() == "rules.toml" or (ext == ".toml" and stem == "rules"):
            if p.name == "rules.toml":
                _report(data, disp, "rules", status="read", note="rulebook overrides").what = "rulebook overrides"
            else:
                data.problems.warning(disp, 0, "", "misnamed_file", "is not read: the rulebook overrides are read "
                                      "from rules.toml (lower case)", "rename it to rules.toml")
                _report(data, disp, "rules", status="not read", note="rename it to rules.toml")
            continue
        if reason:
            _report(data, disp, "", status="not read", note=reason)
            continue
        if p.is_symlink() and not p.exists():
            named = stem in FOLDER_KINDS
            data.problems.add(Problem(disp, 0, "", "dangling_link",
                                      f"is a link to {os.readlink(p)}, which does not exist",
                                      "point the link at the real file, or copy the file here",
                                      "error" if named else "warning"))
            _report(data, disp, stem if named else "", status="not read", note="dangling link")
            continue
        if ext not in TABLE_EXTS:
            _report(data, disp, "", status="not read", note=f"not a data file ({ext or 'no extension'})")
            continue
        if stem in FOLDER_KINDS:
            by_kind[stem].append((p, None, ""))
            continue
        sniffed.append((p, None, ""))
    for p, _none, _n in sniffed:
        disp = display_path(p)
        src = open_source(p)
        if isinstance(src, Problem):
            _report(data, disp, "", status="not read", note=f"cannot be read: {src.message}")
            continue
        kind = _sniff(src, (*FOLDER_KINDS, "signin", "punches"))
        if kind is None and any(T.shift_grid(rows, [p.stem, sheet]) is not None
                                for sheet, rows in ([("", src.head)] if src.fmt == "csv" else src.sheets.items())):
            kind = "shifts"
        if kind in ("signin", "punches"):
            data.problems.warning(disp, 0, "", "misplaced_file", "looks like a sign-in sheet but is not in signin/; "
                                  "it is not read", "move it into the signin/ folder")
            _report(data, disp, "signin", status="not read", note="a sign-in sheet outside signin/")
        elif kind == "roster":
            data.problems.warning(disp, 0, "", "misplaced_file", "looks like a roster but is not named roster; it is "
                                  "not read", "name it roster.csv (or roster.xlsx) if it is the roster")
            _report(data, disp, "roster", status="not read", note="a roster not named roster")
        elif kind is not None:
            by_kind[kind].append((p, src, f"recognised by its header; the usual name is {CANONICAL_NAME[kind]}"))
        else:
            _report(data, disp, "", status="not read", note="no recognised header (not an input)")
    return by_kind, signin_dirs


def _one_of(kind: str, cands: list[tuple[Path, Source | Problem | None, str]], data: Dataset
            ) -> tuple[Path, Source | Problem | None, str] | None:
    """The file to read for one input; a second candidate is an error naming both."""
    if not cands:
        return None
    cands = sorted(cands, key=lambda c: (bool(c[2]), TABLE_EXTS.index(c[0].suffix.lower()), c[0].name))
    first = cands[0]
    for p, _src, _note in cands[1:]:
        data.problems.error(display_path(p), 0, "", "two_inputs",
                            f"a second {KIND_LABEL[kind]} file beside {display_path(first[0])}; only one is read",
                            "keep one file per input (merge them, or move the other out of the folder)")
        _report(data, display_path(p), kind, status="not read", note=f"second {KIND_LABEL[kind]} file")
    return first


def load_dataset(root: Path, rules: Rulebook, require: bool = True) -> Dataset:
    """Every input of the data folder.  Missing roster or signin/ is a usage error."""
    ahead = _open_ahead([p for d in _entries(root, None) if d.name.lower() == "signin" and d.is_dir()
                         for p in _entries(d, None)])
    data = empty_dataset(root)
    by_kind, signin_dirs = plan_folder(root, data)
    roster = _one_of("roster", by_kind["roster"], data)
    if require and roster is None:
        raise UsageError(f"no roster in {display_path(root)}",
                         "add roster.csv or roster.xlsx (employee_id, name, grade, hire_date), "
                         "or pass --data with the right folder")
    if require and not signin_dirs:
        raise UsageError(f"no signin/ folder in {display_path(root)}",
                         "put the sign-in sheets (CSV or XLSX) in a signin/ folder")
    if roster is not None:
        load_file(roster[0], rules, data, ["roster"], roster[1], roster[2])
    n_signin = 0
    for folder in signin_dirs:
        n_signin += _load_signin_dir(folder, rules, data, ahead)
    if require and not n_signin:
        raise UsageError(f"no sign-in files in {display_path(signin_dirs[0])}",
                         "put the month's sign-in sheets there as CSV, XLSX or XLS")
    for kind in OPTIONAL_FILES:
        pick = _one_of(kind, by_kind[kind], data)
        if pick is None:
            if kind in MISSING_MEANS and not any(f.kind == kind for f in data.files):
                data.missing_inputs.append(MISSING_MEANS[kind])
            continue
        if pick[2]:
            data.problems.warning(display_path(pick[0]), 0, "", "input_by_header",
                                  f"read as the {KIND_LABEL[kind]} file by its header",
                                  f"rename it to {CANONICAL_NAME[kind]} (or {Path(CANONICAL_NAME[kind]).stem}.xlsx)")
        load_file(pick[0], rules, data, [kind], pick[1], pick[2])
    finish(data, rules)
    return data


READ_AHEAD_BYTES = 256 << 20


def _open_ahead(paths: list[Path]) -> dict[Path, Source | Problem]:
    """The XLSX files among ``paths`` opened now, their tables' columns read in the background.

    The limits scan and the first rows take a fraction of a second; fastexcel's parse of a big
    sheet takes seconds without holding the GIL — started here, it runs while pandas is imported
    and the roster and other files are loaded.  A file a vendor adapter claims (or a rota) is only
    opened: its reading does not take that path."""
    from cs_rules.loading import vendors

    out: dict[Path, Source | Problem] = {}
    budget = READ_AHEAD_BYTES  # the files held open ahead of their turn: bounded, the rest opened in turn
    for p in paths:
        if p.suffix.lower() not in (".xlsx", ".xlsm") or p in out or _skip_reason(p) or not p.is_file():
            continue
        try:
            budget -= p.stat().st_size
        except OSError:
            continue
        if budget < 0:
            break
        kinds = _kinds_for(p)
        src = out[p] = open_source(p, ahead=None if kinds == ["shifts"] else kinds)
        if not isinstance(src, Source) or kinds == ["shifts"]:
            continue
        if "signin" in kinds and vendors.detect_vendor(src):
            cancel = getattr(src.sheets, "cancel_ahead", None)
            if cancel is not None:
                cancel()  # a big sheet forked for before its layout was known: the adapter reads it
            continue
        read_ahead(src, kinds)
    return out


def _load_signin_dir(folder: Path, rules: Rulebook, data: Dataset,
                     ahead: dict[Path, Source | Problem] | None = None) -> int:
    """Every file in signin/ read, or listed with the reason it is not; the count of files read."""
    n = 0
    ahead = ahead or {}
    for p in _entries(folder, data):
        disp = display_path(p)
        if p.is_dir():
            data.problems.warning(disp + "/", 0, "", "nested_folder", "is a folder inside signin/; its files are "
                                  "not read", "move the files into signin/ itself")
            _report(data, disp + "/", "folder", status="not read", note="a folder inside signin/")
            continue
        reason = _skip_reason(p)
        if reason:
            _report(data, disp, "", status="not read", note=reason)
            continue
        if p.is_symlink() and not p.exists():
            data.problems.error(disp, 0, "", "dangling_link", f"is a link to {os.readlink(p)}, which does not exist",
                                "point the link at the real file, or copy the file here")
            _report(data, disp, "signin", status="not read", note="dangling link")
            continue
        if p.suffix.lower() not in SIGNIN_EXTS:
            data.problems.warning(disp, 0, "", "unknown_file", f"is not read: '{p.suffix or p.name}' is no sign-in "
                                  "file type", "give sign-in data as .csv, .xlsx, .xls or a clock's .dat log, or "
                                  "move this file out of signin/")
            _report(data, disp, "", status="not read", note=f"not a sign-in file type ({p.suffix or 'none'})")
            continue
        load_file(p, rules, data, ["signin", "punches"], src=ahead.pop(p, None))
        n += 1
    return n


def load_paths(paths: list[Path], rules: Rulebook, root: Path | None) -> Dataset:
    """Files named on the command line, checked against the roster of ``root`` when there is one."""
    ahead = _open_ahead(paths)
    data = empty_dataset(root)
    if root is not None:
        rosters = [p for p in _entries(root, data)
                   if p.stem.lower() == "roster" and p.suffix.lower() in TABLE_EXTS and p.is_file()]
        for p in sorted(rosters, key=lambda q: TABLE_EXTS.index(q.suffix.lower()))[:1]:
            if p.resolve() not in {q.resolve() for q in paths}:
                roster_only = empty_dataset(root)
                load_file(p, rules, roster_only, ["roster"])
                data.roster = roster_only.roster
                data.problems.extend([q for q in roster_only.problems.items if q.severity == "error"])
    for p in paths:
        load_file(p, rules, data, src=ahead.pop(p, None))
    finish(data, rules, roster_known=len(data.roster) > 0)
    return data


def finish(data: Dataset, rules: Rulebook, roster_known: bool = True) -> None:
    """Cross-file checks: duplicate days, overlapping leave, people not on the roster."""
    from cs_rules.loading import checks, vendors

    vendors.attach_vendor(data)
    checks.cross_checks(data, rules, roster_known)


def table_frame(data: Dataset, kind: str) -> pd.DataFrame:
    """The typed table of one input kind (for callers that go by kind name)."""
    return getattr(data, {"signin": "signins", "punches": "signins"}.get(kind, kind))
