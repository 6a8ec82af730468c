"""The adapters, in the order they are asked, and the three calls loading makes.

* :func:`detect_vendor` — which adapter claims a file (None: not an attendance export
  we know; the canonical sign-in reader gets it);
* :func:`load_vendor` — that adapter's reading, finished the same way for all:
  sign-in days derived from the punches, the people list completed, every frame typed;
* :func:`attach_vendor` — the loads matched to the roster and appended to the
  dataset's tables.

Adding a layout is one module with an :class:`~.base.Adapter`, one line in
``ADAPTERS`` and one test.  Order matters only where layouts overlap: the vendor
apps first (their headers are the most specific), then the clocks, the hand-made
考勤表 last.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cs_rules.loading.people import match_people
from cs_rules.loading.vendors import cells as C
from cs_rules.loading.vendors.base import (
    APPROVAL_COLUMNS,
    LABEL_COLUMNS,
    LEAVE_COLUMNS,
    PEOPLE_COLUMNS,
    PUNCH_COLUMNS,
    SCHEDULE_COLUMNS,
    SIGNIN_COLUMNS,
    VERDICT_COLUMNS,
    Adapter,
    VendorLoad,
    typed,
)
from cs_rules.loading.vendors.clocks import BlockReport, ThreePerSheet
from cs_rules.loading.vendors.dingtalk import DingTalk
from cs_rules.loading.vendors.handmade import HandMade
from cs_rules.loading.vendors.logs import CloudClock, HRAppLog, PCClockLog
from cs_rules.loading.vendors.wecom import WeComDaily, WeComMonthly
from cs_rules.loading.vendors.zkteco import AttLog, ZKTecoDetail, ZKTecoLog, ZKTimeLog
from cs_rules.problems import Problem

if TYPE_CHECKING:
    from cs_rules.loading.sources import Source
    from cs_rules.model.inputs import Dataset

ADAPTERS: list[Adapter] = [
    WeComDaily(),
    WeComMonthly(),
    DingTalk(),
    ZKTecoDetail(),
    ZKTecoLog(),
    ZKTimeLog(),
    PCClockLog(),
    CloudClock(),
    HRAppLog(),
    AttLog(),
    BlockReport(),
    ThreePerSheet(),
    HandMade(),
]
BY_NAME = {a.name: a for a in ADAPTERS}
VENDORS = tuple(BY_NAME)


def detect_vendor(src: Source) -> str | None:
    """The name of the first adapter that claims ``src``, or None."""
    for adapter in ADAPTERS:
        try:
            if adapter.claims(src):
                return adapter.name
        except Exception:  # claiming never breaks loading: a surprise is just "not this layout"
            continue
    return None


def load_vendor(src: Source, vendor: str) -> VendorLoad:
    """Read ``src`` with the adapter named ``vendor``; problems (never exceptions) for
    whatever cannot be read."""
    adapter = BY_NAME.get(vendor)
    if adapter is None:
        load = VendorLoad(vendor, file=src.display)
        load.problems.append(C.problem(src, "unknown_vendor", f"unknown attendance export kind '{vendor}'",
                                       "use one of: " + ", ".join(VENDORS)))
        return finish(load)
    try:
        load = adapter.read(src)
    except Exception as exc:  # a layout we did not foresee: report it, do not crash
        load = adapter.new_load(src)
        load.problems.append(C.problem(
            src, "vendor_unreadable",
            f"cannot read this {adapter.label} export ({type(exc).__name__}: {exc})",
            "export the report again without editing it, or copy the punches into a sign-in sheet "
            "(employee_id, date, sign_in, sign_out)"))
    _unread_sheets(src, load)
    return finish(load)


def _unread_sheets(src: Source, load: VendorLoad) -> None:
    """A sheet of the workbook that holds rows but that the adapter did not read (punches
    pasted as lines of text beside the clock's log) is said, never dropped without a word."""
    if src.fmt not in ("xlsx", "xls") or len(src.sheets) < 2:
        return
    frames = (load.punches, load.signins, load.leave, load.approvals, load.verdicts, load.schedule, load.people)
    read = {str(s) for f in frames if len(f) and "_sheet" in f for s in f["_sheet"].dropna().unique()}
    said = _sheets_said(load.parts)
    for name in list(src.sheets):
        if not name or name in read or name in said:
            continue  # before its rows are asked for: a sheet read by columns is not read again
        rows = src.sheets[name]
        n = sum(1 for r in rows if any(C.text(c) for c in r))
        if n < 2:
            continue
        load.problems.append(C.problem(
            src, "sheet_not_read",
            f"sheet {name} ({n} rows) is not read: it is not in the layout of this {load.label or load.vendor} "
            f"export (read: {', '.join(sorted(read)) or 'none'})",
            "if it holds punches to pay, put them into a sign-in sheet (employee_id, date, sign_in, sign_out) "
            "or export them from the clock as they came; else delete the sheet", row=1, sheet=name,
            severity="warning"))


def _sheets_said(parts: list[str]) -> set[str]:
    """The sheet names an adapter's parts already speak of: ``原始记录``, ``每日统计 (cross-checked)``,
    ``not read: 考勤汇总, 异常统计 (summaries of the same punches)`` — whole names, so a sheet
    ``Sheet10`` is not taken as said by ``Sheet1``."""
    import re

    names: set[str] = set()
    for part in parts:
        body = re.sub(r" \([^()]*\)$", "", part)
        if body.startswith("not read: "):
            names.update(body.removeprefix("not read: ").split(", "))
        else:
            names.add(body)
    return names


def finish(load: VendorLoad) -> VendorLoad:
    """Type every frame; derive sign-in days from the punches; complete the people list."""
    pd = C._pd()
    load.punches = typed(load.punches, PUNCH_COLUMNS)
    load.punches["kind"] = load.punches["kind"].fillna("")
    if not len(load.signins) and len(load.punches):
        load.signins = C.collapse(load.punches)
    load.signins = typed(load.signins, SIGNIN_COLUMNS)
    load.leave = typed(load.leave, LEAVE_COLUMNS)
    load.approvals = typed(load.approvals, APPROVAL_COLUMNS)
    load.verdicts = typed(load.verdicts, VERDICT_COLUMNS)
    load.day_labels = typed(load.day_labels, LABEL_COLUMNS)
    load.schedule = typed(load.schedule, SCHEDULE_COLUMNS)
    load.people = typed(load.people, PEOPLE_COLUMNS)
    shared = C.split_shared_numbers([load.people, load.punches, load.signins, load.leave, load.approvals,
                                     load.verdicts, load.schedule])
    frames = [load.people] + [f for f in (load.punches, load.verdicts, load.leave, load.approvals,
                                          load.schedule) if len(f)]
    people = pd.concat([f.reindex(columns=PEOPLE_COLUMNS) for f in frames if len(f)], ignore_index=True) \
        if any(len(f) for f in frames) else None
    if people is not None:
        people = people[people["key"].notna()]
        people["departed"] = people["departed"].astype("boolean").fillna(False)
        flag = people.groupby(["key_kind", "key"])["departed"].transform("any")
        people = people.assign(departed=flag).drop_duplicates(["key_kind", "key"])
    load.people = typed(people, PEOPLE_COLUMNS)
    _one_number_many_people(load, shared)
    _one_key_two_names(load)
    if not load.file:
        load.file = next((str(f["_file"].iloc[0]) for f in (load.punches, load.people) if len(f)), "")
    return load


def _one_number_many_people(load: VendorLoad, shared: set[str]) -> None:
    """A clock number that carries several names was read as several people (see
    :func:`.cells.split_shared_numbers`): say so, naming each with its first row and its id."""
    p = load.people
    if not shared or not len(p):
        return
    p = p[(p["key_kind"] == "vendor_id").fillna(False) & p["vendor_id"].isin(shared).fillna(False)]
    p = p.sort_values("_row", kind="stable")
    for number, rows in p.groupby("vendor_id", sort=False):
        if len(rows) < 2:
            continue
        names = ", ".join(f"{nm} (row {int(rw)})" for nm, rw in zip(rows["name"].fillna("?"), rows["_row"],
                                                                    strict=True))
        ids = ", ".join(str(k) for k in rows["key"])
        load.problems.append(Problem(
            load.file or str(rows["_file"].iloc[0]), int(rows["_row"].iloc[0]), "", "one_number_two_names",
            f"clock number '{number}' carries {len(rows)} names: {names} — read as {len(rows)} different people "
            f"({ids}), not merged",
            "give each person their own number in the clock and export again; until then the roster needs "
            "these ids (roster init writes them), or the number and the person's exact name as vendor_id and name",
            "warning", str(rows["_sheet"].iloc[0])))


def _one_key_two_names(load: VendorLoad) -> None:
    """A number the export gives two different names (a clock number reused after
    someone left): their punches cannot be told apart, so say so."""
    p = load.punches
    if not len(p) or "name" not in p:
        return
    named = p[p["name"].notna() & (p["key_kind"] != "name")]
    if not len(named):
        return
    n = named.groupby(["key_kind", "key"], sort=False)["name"].nunique()
    for (_kind, key), _count in n[n > 1].items():
        rows = named[named["key"] == key].drop_duplicates("name")
        names = ", ".join(f"{nm} (row {int(rw)})" for nm, rw in zip(rows["name"], rows["_row"], strict=True))
        load.problems.append(Problem(
            load.file, int(rows["_row"].iloc[0]), "", "one_number_two_names",
            f"number '{key}' is used for {len(rows)} names: {names}; their punches count as one person's",
            "give each person their own number in the clock (or roster vendor_id) and export again",
            "warning", str(rows["_sheet"].iloc[0])))


def expected_layouts() -> str:
    """The exports cs-rules reads, for "unknown layout" messages."""
    return "; ".join(a.expects for a in ADAPTERS if a.expects)


def unrecognised(src: Source) -> Problem:
    """The error for a file in signin/ that is neither a sign-in sheet nor a known export."""
    sheets = [s for s in src.sheets if s] if src.fmt != "csv" else []
    head = next(iter(C.heads(src).values()), [])
    cols = next((", ".join(C.text(c) for c in r if C.text(c))[:160] for r in head if sum(bool(C.text(c))
                                                                                       for c in r) >= 2), "")
    seen = (f"sheets {', '.join(sheets[:6])}; " if sheets else "") + (f"columns {cols}" if cols else "no header")
    return C.problem(src, "unknown_layout",
                     f"not a sign-in sheet or an attendance export cs-rules reads ({seen})",
                     "give a sign-in sheet (employee_id, date, sign_in, sign_out), raw punches (employee_id, "
                     "punch_time), or one of these exports as it came: " + expected_layouts(), row=1)


_SAME = {"punches": ["key_kind", "key", "date"], "verdicts": ["key_kind", "key", "date"],
         "schedule": ["key_kind", "key", "date"], "leave": ["key_kind", "key", "start_date", "end_date", "type"],
         "trips": ["key_kind", "key", "kind", "start_date", "end_date"],
         "corrections": ["key_kind", "key", "date", "secs"]}


def _once_across_files(data: Dataset) -> None:
    """Several files of one vendor covering the same days (DingTalk's 打卡时间 and 月度汇总
    exported one by one) are views of the same punches: each person-day, leave, approval
    and verdict is taken from the best view that has it and cross-checked, never added twice."""
    pd = C._pd()
    groups: dict[str, list[VendorLoad]] = {}
    for load in data.vendor:
        if load.ranks:
            groups.setdefault(load.vendor, []).append(load)
    for loads in groups.values():
        if len(loads) < 2:
            continue
        for table, cols in _SAME.items():
            order = sorted(loads, key=lambda ld: ld.ranks.get(table, 99))
            seen: Any = None
            taken_from: VendorLoad | None = None
            for load in order:
                frame = _part(load, table)
                if not len(frame):
                    continue
                idx = pd.MultiIndex.from_frame(frame[cols].astype(object))
                dup = idx.isin(seen) if seen is not None else pd.Series(False, index=frame.index).to_numpy()
                if bool(dup.any()) and taken_from is not None:
                    _set_part(load, table, frame[~dup])
                    n = int(dup.sum())
                    load.problems.append(Problem(
                        load.file, int(frame["_row"][dup].min()), "", "read_once",
                        f"{n} {table.replace('_', ' ')} row{'s' if n > 1 else ''} also in {taken_from.file}, "
                        f"a fuller view of the same days: read from there, not counted twice",
                        "nothing to do: keep both files, or only the fuller one", "info",
                        str(frame["_sheet"].iloc[0])))
                    data.problems.add(load.problems[-1])
                seen = idx if seen is None else seen.append(idx[~dup])
                taken_from = taken_from or load
        for load in loads:  # sign-in days follow the punches that are left
            load.signins = typed(C.collapse(load.punches), SIGNIN_COLUMNS)


def _part(load: VendorLoad, table: str) -> Any:
    ap = load.approvals
    if table == "trips":
        return ap[ap["kind"].isin(["trip", "outing"])]
    if table == "corrections":
        return ap[ap["kind"] == "correction"]
    return getattr(load, table)


def _set_part(load: VendorLoad, table: str, frame: Any) -> None:
    pd = C._pd()
    if table in ("trips", "corrections"):
        other = _part(load, "corrections" if table == "trips" else "trips")
        load.approvals = typed(pd.concat([other, frame], ignore_index=True), APPROVAL_COLUMNS)
    else:
        setattr(load, table, frame.reset_index(drop=True))


def not_recognised(p: Problem) -> Problem:
    """A sign-in file's "missing column" problem, its hint extended by the exports read as
    they come (the file may be one in a layout we do not know yet)."""
    return Problem(p.file, p.row, p.column, p.code, p.message,
                   f"{p.hint}; or put an attendance export there as it came — these are read: "
                   f"{expected_layouts()}", p.severity, p.sheet)


# --------------------------------------------------------------------------- attaching


def attach_vendor(data: Dataset) -> None:
    """Vendor exports join the dataset's tables once their people are matched to the roster."""
    if not data.vendor:
        return
    pd = C._pd()
    from cs_rules.model.inputs import TYPED_COLUMNS
    from cs_rules.model.inputs import concat_tables as cat

    where = ["_file", "_sheet", "_row"]
    _once_across_files(data)
    for load in data.vendor:
        matched, problems = match_people(load.people, data.roster, load.file)
        data.problems.extend(problems)
        ids = matched[["key_kind", "key", "employee_id"]]
        for attr in ("punches", "signins", "leave", "approvals", "verdicts", "schedule", "people"):
            frame = getattr(load, attr)
            if "employee_id" in frame:
                frame = frame.drop(columns=["employee_id"])
            setattr(load, attr, frame.merge(ids, on=["key_kind", "key"], how="left") if len(frame)
                    else frame.assign(employee_id=pd.Series([], dtype="string")))

        def add(table: str, frame: Any, rename: dict[str, str] | None = None) -> None:
            f = frame[frame["employee_id"].notna()]
            if not len(f):
                return
            f = f.rename(columns=rename or {})
            cols = TYPED_COLUMNS[table] + where
            setattr(data, table, cat(getattr(data, table), f.reindex(columns=cols).reset_index(drop=True)))

        add("signins", load.signins)
        add("punches", load.punches)
        add("leave", load.leave)
        ap = load.approvals
        add("approvals", ap[ap["kind"].isin(["trip", "outing"])])
        fixes = ap[ap["kind"] == "correction"].copy()
        if len(fixes):
            fixes["kind"] = fixes["punch_kind"].map({"in": "sign_in", "out": "sign_out"}).fillna("")
            add("corrections", fixes)
        add("vendor_schedule", load.schedule)
    data.signins["sign_in"] = pd.to_numeric(data.signins["sign_in"]).astype("float64")
    data.signins["sign_out"] = pd.to_numeric(data.signins["sign_out"]).astype("float64")
