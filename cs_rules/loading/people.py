"""Who a row is about: ids, names and vendor accounts matched against the roster.

A row that names nobody on the roster is ignored, so a person it was meant for is
paid as absent: the most expensive silent mistake there is.  Hence the rules here,
the same for vendor exports and canonical files:

* an id that is not on the roster but whose row names exactly one roster person (姓名),
  or that equals a roster id once leading zeros and full-width characters are
  normalised (``CS05``/``CS005``, ``1``/``001``, ``ＣＳ005``), is an **error** naming
  that person — ``'CS05' 陈静 — did you mean 'CS005' 陈静?``;
* a row whose id and name belong to two different roster people is an **error**;
* ids with no such match are **warnings**, all of a file listed together.

Ids are text everywhere: ``001`` stays ``001``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from cs_rules.arrays import arrow_text, positions
from cs_rules.problems import Problem

if TYPE_CHECKING:
    import pandas as pd

    from cs_rules.loading.vendors.base import VendorLoad
    from cs_rules.model.inputs import Dataset

NAME_SUFFIX = r"\s*[（(\[【](?:已离职|已離職|离职|離職)[)）\]】]\s*$"
ROSTER_COLUMNS = ["employee_id", "name", "grade", "hire_date", "vendor_id", "leave_date", "note"]
KEY_COLUMN = {"employee_id": "工号", "vendor_id": "账号/考勤号码", "name": "姓名"}


def _pd() -> Any:
    import pandas as pd

    return pd


def cell_text(v: Any) -> str:
    """A spreadsheet cell as the text a person sees (``1001.0`` → ``1001``)."""
    if v is None or type(v).__name__ in ("NAType", "NaTType"):
        return ""
    if isinstance(v, float):
        if v != v:
            return ""
        if v.is_integer():
            return str(int(v))
    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        return v.date().isoformat()
    return str(v).strip()


def departed_mask(names: pd.Series) -> pd.Series:
    """True for names an export marks as departed: ``王五（离职）``, ``王五(已离职)``."""
    return names.astype("string").str.contains(NAME_SUFFIX, regex=True).fillna(False).astype(bool)


def clean_names(names: pd.Series) -> pd.Series:
    from cs_rules.loading.parse import clean_text

    return clean_text(names.astype("string").str.replace(NAME_SUFFIX, "", regex=True))


def normalise_id(value: str) -> str:
    """An id as compared for "did you mean": full-width folded, case folded, leading
    zeros of every number dropped (``ＣＳ００５`` → ``cs5``, ``001`` → ``1``)."""
    s = unicodedata.normalize("NFKC", value).strip().casefold()
    return re.sub(r"(?<!\d)0+(?=\d)", "", s)


class _Roster:
    """The roster's ids, names and vendor accounts, indexed once for matching.

    The "did you mean" index (normalised ids) is built only when an unknown id needs it:
    a clean month never pays for it."""

    def __init__(self, roster: pd.DataFrame) -> None:
        pd = _pd()
        from cs_rules.loading.parse import clean_text

        def col(c: str) -> Any:
            if c not in roster:
                return pd.Series(pd.NA, index=roster.index, dtype="string")
            v = roster[c]
            if v.dtype == object:
                v = v.map(lambda x: "" if x is None or x is pd.NA else cell_text(x))
            return clean_text(v)

        emp = col("employee_id")
        names = clean_names(col("name").fillna(""))
        vid = col("vendor_id")
        has = emp.notna()
        self.emp = [str(e) for e in emp[has]]
        self.vid = [None if v is pd.NA else str(v) for v in vid[has]]
        self.ids = self.emp
        self.id_set = set(self.emp)
        self.name_of: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = {}
        for e, n in zip(self.emp, names[has].tolist(), strict=True):
            if n is not pd.NA:
                self.name_of.setdefault(e, str(n))
                self.by_name.setdefault(str(n), []).append(e)
        self._norm: dict[str, list[str]] | None = None
        self.by_vid: dict[str, list[str]] = {}
        for e, v in zip(self.emp, self.vid, strict=True):
            if v:
                self.by_vid.setdefault(v.casefold(), []).append(e)
        self.by_fold: dict[str, str] = {}
        for e in self.emp:
            self.by_fold.setdefault(e.casefold(), e)

    @property
    def by_norm(self) -> dict[str, list[str]]:
        if self._norm is None:
            self._norm = {}
            for e, v in zip(self.emp, self.vid, strict=True):
                self._norm.setdefault(normalise_id(e), []).append(e)
                if v:
                    self._norm.setdefault(normalise_id(v), []).append(e)
        return self._norm

    def account(self, account: str, name: str | None, strict: bool) -> tuple[str | None, list[str]]:
        """(the roster employee of a vendor account, the roster employees it could not choose between).

        The account is looked up in roster.vendor_id, else roster.employee_id (case-insensitive).
        When several roster people have it as vendor_id, the one with the row's name is taken;
        ``strict`` (the export gives that number to several names) takes only a roster person
        with the row's name (or with no name)."""
        key = account.casefold()
        hits = self.by_vid.get(key) or ([self.by_fold[key]] if key in self.by_fold else [])
        if len(hits) == 1 and not strict:
            return hits[0], []
        named = [e for e in hits if name and self.name_of.get(e, name) == name]
        if len(named) == 1:
            return named[0], []
        return None, (hits if len(hits) > 1 else [])

    def who(self, e: str) -> str:
        n = self.name_of.get(e)
        return f"'{e}' {n}" if n else f"'{e}'"

    def suggestion(self, key: str, name: str | None) -> str | None:
        """The one roster id this unknown id most likely means, or None."""
        hits = list(dict.fromkeys(self.by_norm.get(normalise_id(key), [])))
        if len(hits) == 1:
            return hits[0]
        if name:
            by_name = self.by_name.get(name, [])
            if len(by_name) == 1:
                return by_name[0]
        return None


def _did_you_mean(display: str, row: int, column: str, sheet: str, key: str, name: str | None,
                  emp: str, roster: _Roster, what: str, more: int = 0) -> Problem:
    written = f"'{key}' {name}" if name else f"'{key}'"
    extra = f" (and {more} more rows)" if more else ""
    return Problem(display, row, column, "did_you_mean",
                   f"{written} is not on the roster — did you mean {roster.who(emp)}?{extra}",
                   f"correct the id on the {what} rows, or add '{key}' as vendor_id of {emp} in the roster; "
                   "until then these rows count for nobody and the person is paid as absent", "error", sheet)


def _mismatch(display: str, row: int, column: str, sheet: str, key: str, name: str, roster: _Roster,
              what: str) -> Problem:
    other = roster.by_name.get(name, [])
    return Problem(display, row, column, "id_name_mismatch",
                   f"id '{key}' is {roster.who(key)} on the roster, but this {what} row names {name} "
                   f"({', '.join(repr(o) for o in other)})",
                   "correct the id or the name so both belong to the same person", "error", sheet)


def _unknown_list(display: str, row: int, column: str, sheet: str, items: list[str], what: str) -> Problem:
    # "; " between the people: each item has a comma of its own (and each is translated on its own)
    shown = "; ".join(items[:12]) + (f"; and {len(items) - 12} more" if len(items) > 12 else "")
    return Problem(display, row, column, "unknown_person" if what == "export" else "not_on_roster",
                   f"{what} rows for {len(items)} {'person' if len(items) == 1 else 'people'} not on the "
                   f"roster: {shown}",
                   "add them to the roster (or correct the ids); their rows are not counted for anyone",
                   "warning", sheet)


def match_people(frame: pd.DataFrame, roster: pd.DataFrame, display: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Add ``employee_id`` to a vendor frame from the roster, with the problems found.

    Per person (distinct key_kind, key): a 工号 (employee_id) must be on the roster; a
    vendor account is looked up in roster.vendor_id, then roster.employee_id
    (case-insensitive; rosters from ``roster init`` use it as the id), then by exact
    name (a warning: the match rests on the name); a name-only export matches by name.
    Unmatched rows stay with employee_id NA.
    """
    pd = _pd()
    out = frame.copy()
    problems: list[Problem] = []
    if len(out) == 0:
        out["employee_id"] = pd.Series([], dtype="string")
        return out, problems
    r = _Roster(roster)
    kind = out["key_kind"].astype("string")
    key = out["key"].astype("string")
    people = pd.DataFrame({"kind": kind, "key": key,
                           "vid": out["vendor_id"].astype("string") if "vendor_id" in out else pd.NA,
                           "name": out["name"].astype("string") if "name" in out else pd.NA,
                           "row": out.get("_row", 0),
                           "sheet": out.get("_sheet", "")})
    people = people[people["key"].notna()].sort_values("row", kind="stable")
    counts = people.groupby(["kind", "key"]).size()
    people = people.drop_duplicates(["kind", "key"])
    result: dict[tuple[str, str], str | None] = {}
    unknown: list[tuple[int, str, str]] = []
    first_unknown: tuple[int, str, str] | None = None
    for p in people.itertuples(index=False):
        k, v = str(p.kind), str(p.key)
        name = None if p.name is pd.NA or p.name is None else str(p.name)
        vid = None if p.vid is pd.NA or p.vid is None else str(p.vid)
        sheet = "" if p.sheet is None or p.sheet is pd.NA else str(p.sheet)
        row = int(p.row) if p.row is not None and p.row is not pd.NA else 0
        col = KEY_COLUMN.get(k, "")
        emp: str | None = None
        if k == "employee_id" and v in r.id_set:
            emp = v
            if name and name != r.name_of.get(v) and r.by_name.get(name) and v not in r.by_name[name]:
                problems.append(_mismatch(display, row, "姓名", sheet, v, name, r, "export"))
        # a clock number the export gives to several names is keyed number-name (641-张三): that id
        # (as roster init writes it), else the number held by a roster person of this name
        shared = k == "vendor_id" and vid is not None and v != vid
        torn: list[str] = []
        if emp is None:
            accounts = ((v, False), (vid, True)) if shared else ((vid, False), (v if k == "vendor_id" else None, False))
            for account, strict in accounts:
                if account:
                    emp, torn = r.account(account, name, strict)
                    if emp or torn:
                        break
        if emp is None and torn:
            shown, acct, named = name or v, vid or v, name or "—"
            holders = ", ".join(r.who(e) for e in torn)
            problems.append(Problem(
                display, row, col, "ambiguous_person",
                f"{shown} ({acct}): {len(torn)} roster employees have vendor_id '{acct}' ({holders}) "
                f"and none of them is named {named}",
                "give each person their own vendor_id in the roster (and their own number in the clock), "
                "or correct the name", "warning", sheet))
            result[(k, v)] = None
            continue
        if emp is None and name and k != "employee_id":
            hits = r.by_name.get(name, [])
            if len(hits) == 1:
                emp = hits[0]
                if k == "vendor_id":
                    problems.append(Problem(
                        display, row, col, "matched_by_name",
                        f"{name} ({v}) matched roster employee {emp} by name only",
                        f"add vendor_id '{vid or v}' to {emp}'s row in the roster so the match does not "
                        "depend on the name", "warning", sheet))
            elif len(hits) > 1:
                problems.append(Problem(
                    display, row, col, "ambiguous_person",
                    f"{name} ({v}) is not in the roster by id, and {len(hits)} roster employees "
                    f"are named {name} ({', '.join(hits)})",
                    "add the vendor account to the right employee's vendor_id column in the roster",
                    "warning", sheet))
                result[(k, v)] = None
                continue
        if emp is None and k != "name":
            guess = r.suggestion(v, name)
            if guess is not None:
                more = int(counts.get((k, v), 1)) - 1
                problems.append(_did_you_mean(display, row, col, sheet, v, name, guess, r, "export", more))
                result[(k, v)] = None
                continue
        if emp is None:
            unknown.append((row, v, name or ""))
            if first_unknown is None:
                first_unknown = (row, col, sheet)
        result[(k, v)] = emp
    if unknown and first_unknown is not None:
        items = [f"{n} ({v}, row {rw})" if n and n != v else f"'{v}' (row {rw})" for rw, v, n in unknown]
        problems.append(_unknown_list(display, first_unknown[0], first_unknown[1], first_unknown[2],
                                      items, "export"))
    keys = list(zip(kind.fillna("").astype(str), key.fillna("").astype(str), strict=True))
    out["employee_id"] = pd.Series([result.get(x) for x in keys], index=out.index, dtype="string")
    return out, problems


def roster_skeleton(load: VendorLoad) -> pd.DataFrame:
    """A roster to start from: everyone the export lists (also those without a punch),
    grade and hire_date blank.  A name-only export gives the name as the id; people the
    export marks （离职） get a note so HR fills in their leave_date."""
    pd = _pd()
    p = load.people
    if not len(p):
        return pd.DataFrame({c: pd.Series([], dtype="string") for c in ROSTER_COLUMNS})
    # a 工号 the export gives to several names: every name is listed (the id twice), so the roster check
    # asks HR which person the 工号 is, instead of the second name vanishing
    rows = [f.reindex(columns=p.columns) for f in (load.punches, load.verdicts) if len(f)]
    if rows:
        pairs = pd.concat(rows, ignore_index=True)
        pairs = pairs[(pairs["key_kind"] == "employee_id").fillna(False) & pairs["name"].notna()]
        pairs = pairs.sort_values("_row", kind="stable").drop_duplicates(["key", "name"])
        known = pd.MultiIndex.from_frame(p[["key", "name"]].astype(object))
        extra = pairs[~pd.MultiIndex.from_frame(pairs[["key", "name"]].astype(object)).isin(known)
                      & pairs["key"].isin(p["key"])]
        if len(extra):
            p = pd.concat([p, extra.assign(departed=False)], ignore_index=True)
            order = p["key"].map({k: i for i, k in enumerate(dict.fromkeys(p["key"]))})
            p = p.assign(_order=order).sort_values(["_order"], kind="stable").drop(columns="_order")
            p = p.reset_index(drop=True)
    twice = p["key"].duplicated(keep=False) & (p["key_kind"] == "employee_id").fillna(False)
    vid = p["vendor_id"].astype("string")
    vid = vid.where(vid.notna(), p["key"].where(p["key_kind"] == "vendor_id"))
    departed = p["departed"].astype(bool) if "departed" in p else pd.Series(False, index=p.index)
    note = pd.Series("", index=p.index, dtype="string").mask(
        departed, "marked 离职 on the export: fill in leave_date (last day employed)")
    note = note.mask(p["name"].isna(), "the export gives no name (a clock's own log): fill in name")
    shared = ((p["key_kind"] == "vendor_id") & p["vendor_id"].notna() & (p["key"] != p["vendor_id"])).fillna(False)
    note = note.mask(twice.astype(bool), "the export gives this 工号 to several names: keep it for the person it "
                     "belongs to and give the other their own")
    note = note.mask(shared.astype(bool), "clock number " + vid.fillna("") + " carries several names on the export: "
                     "give each person their own number in the clock (until then this id keeps them apart)")
    return pd.DataFrame({
        "employee_id": p["key"].astype("string"),
        "name": p["name"].astype("string"),
        "grade": "",
        "hire_date": "",
        "vendor_id": vid.astype("string"),
        "leave_date": "",
        "note": note,
    }).reset_index(drop=True)


def unknown_people(data: Dataset, frame: pd.DataFrame, what: str, sev: str = "warning",
                   factorized: tuple[Any, Any] | None = None) -> None:
    """Rows of a canonical table whose employee_id is not on the roster (see the module
    docstring for which are errors and which warnings).  Work is per distinct id and
    name, never per row, so it stays cheap at a million sign-in rows; ``factorized`` is
    (codes, distinct ids) of the table's ids when the caller has them already."""
    import numpy as np
    import pyarrow.compute as pc

    pd = _pd()
    if not len(frame) or "employee_id" not in frame:
        return
    roster = data.roster
    known = roster["employee_id"].dropna() if "employee_id" in roster else pd.Series([], dtype=object)
    ids = frame["employee_id"]
    codes, uniq = factorized or pd.factorize(ids)  # distinct ids first: cheap at 1M rows
    # one Arrow hash pass: 3x faster than object hashing at 400,000 ids (0.10 s against 0.31 s)
    stranger = ~np.asarray(pc.is_in(arrow_text(uniq), value_set=arrow_text(known))
                           .to_numpy(zero_copy_only=False), dtype=bool)
    if "name" in frame and len(roster):
        _mismatches(data, frame, codes, uniq, ~stranger, roster, what)
    if not stranger.any():
        return
    r = _Roster(roster)
    unknown = pd.Series(np.isin(codes, np.flatnonzero(stranger)), index=ids.index)
    sub = frame.loc[unknown]
    for file, grp in sub.groupby("_file", sort=False):
        listed: list[str] = []
        first = None
        for emp, rows in grp.groupby("employee_id", sort=False):
            row0 = rows.iloc[0]
            name = None
            if "name" in rows:
                nn = rows["name"].dropna()
                name = str(nn.iloc[0]) if len(nn) else None
            guess = r.suggestion(str(emp), name)
            if guess is not None:
                data.problems.add(_did_you_mean(str(file), int(row0["_row"]), "employee_id", str(row0["_sheet"]),
                                                str(emp), name, guess, r, what, len(rows) - 1))
                continue
            n = len(rows)
            listed.append(f"'{emp}' ({n} row{'s' if n > 1 else ''}, first on row {int(row0['_row'])})")
            first = first if first is not None else row0
        if listed and first is not None:
            p = _unknown_list(str(file), int(first["_row"]), "employee_id", str(first["_sheet"]), listed, what)
            data.problems.add(Problem(p.file, p.row, p.column, p.code, p.message,
                                      "add them to the roster, or correct the id; these rows are ignored",
                                      sev, p.sheet))  # type: ignore[arg-type]


def _mismatches(data: Dataset, frame: pd.DataFrame, codes: Any, uniq: Any, known_mask: Any, roster: pd.DataFrame,
                what: str) -> None:
    """Rows whose id is on the roster but whose name is another roster person's.

    Judged per distinct (id, name) pair through integer codes and whole-array compares,
    so a million sign-in rows cost two factorisations and one sort; the roster index for
    the message is built only when a name differs."""
    import numpy as np

    pd = _pd()
    if not known_mask.any():
        return
    name_codes, name_uniq = pd.factorize(frame["name"])
    if not len(name_uniq):
        return
    # the roster's name of each distinct id, as a code among the names written: one int compare per row
    # (ids and names matched by Arrow hash passes; the first roster row of an id gives its name)
    first = ~roster["employee_id"].duplicated().to_numpy()
    names = roster["name"].astype(object).to_numpy()[first] if "name" in roster else np.full(int(first.sum()), None)
    at = positions(uniq, roster["employee_id"][first])
    expected = np.append(names, [None])[at]  # −1 (an id not on the roster) picks the None
    expected_code = positions(pd.Series(expected, dtype=object), name_uniq)
    expected_code[~np.asarray(known_mask, dtype=bool)] = -2  # a stranger is no mismatch
    row_code = np.append(expected_code, -2)[codes]  # code −1 (no id) picks the −2
    bad = (row_code != -2) & (name_codes >= 0) & (row_code != name_codes)
    if not bad.any():
        return
    width = len(name_uniq) + 1
    pairs = np.unique(codes[bad].astype("int64") * width + name_codes[bad])
    c, n = pairs // width, pairs % width
    written = np.asarray(name_uniq, dtype=object)[n]
    differ = range(len(pairs))
    r = _Roster(roster)
    for k in differ:  # few: names that differ from the roster's
        name, emp = re.sub(NAME_SUFFIX, "", str(written[k])).strip(), str(uniq[c[k]])
        if not name or name == r.name_of.get(emp) or not r.by_name.get(name) or emp in r.by_name[name]:
            continue
        rows = np.flatnonzero((codes == c[k]) & (name_codes == n[k]))
        row0 = frame.iloc[int(rows[0])]
        data.problems.add(_mismatch(str(row0["_file"]), int(row0["_row"]), "name", str(row0["_sheet"]), emp, name,
                                    r, what))
