"""The rulebook: numbers and the rule catalogue as data (default.toml), meanings as code.

The default rulebook ships inside the package; a ``rules.toml`` overrides any key.
Overrides are validated against the default's shape — unknown keys, wrong types,
values out of range and incomplete new rules are errors naming the file and line.
Any value may be dated (a table of the dates it takes effect); :meth:`Rulebook.at`
gives the rulebook in force on one day, which is what the engine reads.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from cs_rules.problems import Problem
from cs_rules.rulebook.catalog import (
    DEFAULT_HANDLER,
    ENTRY_SECTIONS,
    FIELD_REQUIRED,
    FIELD_TEMPLATES,
    MONEY_FIELDS,
    Entry,
    alias_map,
    catalog,
    is_dated,
    is_entry_key,
    normalize_word,
    primary_field,
    section_node,
)

__all__ = ["Rulebook", "Entry", "Dated", "default_rulebook", "load_rulebook", "normalize_word", "time_text"]

MONEY_LIMIT = Decimal(10) ** 7  # no fine, salary or bonus of a department reaches 10 million yuan

# keys the default leaves unset but a rules.toml may set: section -> key -> type
OPTIONAL_KEYS: dict[str, dict[str, str]] = {"compliance": {"min_wage": "money"}}
# sections where a rules.toml may add an entry with just its main number (a new grade: junior_plus = "2300.00")
OPEN_SECTIONS = {"pay.grades"}
# keys of earlier rulebooks, and where their values live now
RENAMED: dict[str, str] = {
    "attendance.late_major_minutes": "[score.late_major] minutes",
    "attendance.off_post_minutes": "[statuses.off_post] minutes",
    "attendance.sick_certificate_run": "[statuses.sick_as_personal] days",
    "score.late_minor": "[score] late = … (the points of a late up to score.late_major.minutes)",
    "score.allowance_days": "[score.leave_allowance] days",
    "score.allowance_excess_per_day": "[score.leave_allowance] points",
    "score.offline_every": "[score.offline] every",
    "score.offline_points": "[score.offline] points",
    "score.unfinished_work_min": "[score.unfinished_work] min",
    "score.unfinished_work_max": "[score.unfinished_work] max",
    "pay.performance": "[pay.performance_pay] tiers, and each award's points under [awards.CODE]",
    "pay.bonus": "[pay.full_attendance] amount, and each award's bonus under [awards.CODE]",
    "flags.auto_resignation_absent_days": "[flags.auto_resignation] days",
    "flags.notice_days": "[flags.notice_short] days",
    "fines.cite": "each rule's own cite, e.g. [fines.missing_punch] cite",
    "score.cite": "each rule's own cite, e.g. [score.late] cite",
    "attendance.cite": "each rule's own cite",
    "flags.cite": "each flag's own cite, e.g. [flags.dismissal] cite",
}
# value checks beyond the shape, by dotted key or by field name: (test, what it must be)
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
BOUNDS: dict[str, tuple[Any, str]] = {
    "calendar.rest_weekdays": (lambda v: all(isinstance(d, int) and 1 <= d <= 7 for d in v) and len(set(v)) < 7,
                               "ISO weekdays 1 (Monday) to 7 (Sunday), not all seven"),
    "pay.pay_day": (lambda v: 1 <= v <= 28, "a day of the month from 1 to 28"),
    "pay.standard_days": (lambda v: 0 < Decimal(str(v)) <= 31, "a number of days above 0 and at most 31"),
    "pay.partial_unpaid_leave_days": (lambda v: 0 <= v <= 31, "a number of days from 0 to 31"),
    "attendance.grace_minutes": (lambda v: 0 <= v <= 240, "minutes from 0 to 240"),
    "score.start": (lambda v: 0 < v <= 100, "points above 0 and at most 100"),
    "score.severe_months": (lambda v: 1 <= v <= 12, "a number of months from 1 to 12"),
    "day_start": (lambda v: bool(_TIME.match(str(v))), "a time of day like 09:00"),
    "day_end": (lambda v: bool(_TIME.match(str(v))), "a time of day like 18:00"),
    "lunch_start": (lambda v: bool(_TIME.match(str(v))), "a time of day like 12:00"),
    "lunch_end": (lambda v: bool(_TIME.match(str(v))), "a time of day like 13:30"),
    "calendar.summer.start": (lambda v: bool(_DAY.match(str(v))), "a day of the year like 05-01"),
    "calendar.summer.end": (lambda v: bool(_DAY.match(str(v))), "a day of the year like 09-30"),
    "calendar.winter.start": (lambda v: bool(_DAY.match(str(v))), "a day of the year like 05-01"),
    "calendar.winter.end": (lambda v: bool(_DAY.match(str(v))), "a day of the year like 09-30"),
    "latest_start": (lambda v: bool(_TIME.match(str(v))), "a time of day like 10:00"),
    "required_hours": (lambda v: 0 < v <= 24, "hours above 0 and at most 24"),
    "half_day_late": (lambda v: 0 <= v <= 720, "minutes from 0 (off) to 720"),
    "half_day_early": (lambda v: 0 <= v <= 720, "minutes from 0 (off) to 720"),
    "statuses.half_day.late_minutes": (lambda v: 0 <= v <= 720, "minutes from 0 (off) to 720"),
    "statuses.half_day.early_minutes": (lambda v: 0 <= v <= 720, "minutes from 0 (off) to 720"),
    "every": (lambda v: v >= 1, "a count of at least 1"),
    "per": (lambda v: v >= 1, "a count of at least 1"),
}


@dataclass(frozen=True)
class Dated:
    """A value that changes on given dates; before the first date the value beneath holds."""

    steps: tuple[tuple[dt.date, Any], ...]  # sorted by date
    base: Any  # the value of the layer beneath (the default's), in force before the first date

    def at(self, day: dt.date) -> Any:
        value = self.base.at(day) if isinstance(self.base, Dated) else self.base
        for start, v in self.steps:
            if start <= day:
                value = v
        return value

    def plain(self) -> dict[str, Any]:
        return {d.isoformat(): v for d, v in self.steps}


def _resolve(node: Any, day: dt.date) -> Any:
    if isinstance(node, Dated):
        return _resolve(node.at(day), day)
    if isinstance(node, dict):
        return {k: _resolve(v, day) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve(v, day) for v in node]
    return node


def _has_dated(node: Any) -> bool:
    if isinstance(node, Dated):
        return True
    if isinstance(node, dict):
        return any(_has_dated(v) for v in node.values())
    return False


def plain_tree(node: Any) -> Any:
    """The tree as TOML/JSON can hold it: dated values as their table of dates."""
    if isinstance(node, Dated):
        return node.plain()
    if isinstance(node, dict):
        return {k: plain_tree(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain_tree(v) for v in node]
    return node


@dataclass
class Rulebook:
    """The active rulebook: the merged TOML tree plus where each override came from.

    ``data`` may hold :class:`Dated` values; read a rulebook through :meth:`at` (the
    values in force on a day) before reading numbers from it.
    """

    data: dict[str, Any]
    sources: list[str] = field(default_factory=lambda: ["(embedded default)"])
    in_force: dt.date | None = None  # the day `at` resolved the values for (None: nothing was dated)
    _catalog: dict[str, dict[str, Entry]] | None = field(default=None, repr=False)

    def at(self, day: dt.date) -> Rulebook:
        """The rulebook in force on ``day``: every dated value replaced by its value that day."""
        if not _has_dated(self.data):
            return self
        return Rulebook(_resolve(self.data, day), self.sources, day)

    @property
    def dated(self) -> bool:
        return _has_dated(self.data)

    def get(self, dotted: str) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            node = node[part]
        if isinstance(node, Dated):
            raise TypeError(f"{dotted} is dated: read it through Rulebook.at(day)")
        return node

    def num(self, dotted: str) -> float:
        """A count, day or point threshold (never money: see :meth:`money`)."""
        return float(self.get(dotted))

    def money(self, dotted: str) -> Decimal:
        return Decimal(str(self.get(dotted)))

    def rule(self, section: str) -> str:
        return str(self.get(section).get("rule", ""))

    # ---- the catalogue

    @property
    def catalog(self) -> dict[str, dict[str, Entry]]:
        """kind -> code -> Entry.  Of a dated rulebook, with the latest values: the vocabulary
        (codes, labels, aliases) loading needs; the engine reads :meth:`at` the month instead."""
        if self._catalog is None:
            self._catalog = catalog(_resolve(self.data, dt.date.max) if self.dated else self.data)
        return self._catalog

    def entries(self, kind: str) -> list[Entry]:
        return list(self.catalog[kind].values())

    def entry(self, kind: str, code: str) -> Entry:
        return self.catalog[kind][code]

    def has(self, kind: str, code: str) -> bool:
        return code in self.catalog.get(kind, {})

    def label(self, kind: str, code: str, lang: str = "zh") -> str:
        e = self.catalog.get(kind, {}).get(code)
        return e.label(lang) if e else code

    def words(self, lang: str = "zh") -> dict[str, str]:
        """Every code and English label of the catalogue -> its label in ``lang`` (for the terminal:
        ``late_early`` -> 迟到/早退); on a clash the earlier kind wins (a grade before a promotion)."""
        out: dict[str, str] = {}
        for kind in ("status", "leave", "fine", "reward", "score", "flag", "pay", "grade", "award", "check",
                     "promotion", "demotion", "shift", "schedule"):
            for e in self.entries(kind):
                text = e.label(lang)
                for key in (e.code, e.code.replace("_", " "), e.en, e.label("en")):
                    out.setdefault(key, text)
        return out

    def cite(self, kind: str, code: str) -> str:
        e = self.catalog.get(kind, {}).get(code)
        return e.cite if e else ""

    @property
    def grades(self) -> dict[str, Decimal]:
        return {e.code: e.money("base") for e in self.entries("grade")}

    @property
    def paid_leave(self) -> list[str]:
        return [str(t) for t in self.get("leave.paid")]

    @property
    def unpaid_leave(self) -> list[str]:
        return [str(t) for t in self.get("leave.unpaid")]

    def grade_map(self) -> dict[str, str]:
        return alias_map(self.entries("grade"))

    def leave_map(self) -> dict[str, str]:
        return alias_map(self.entries("leave"))

    def code_map(self) -> dict[str, str]:
        """The violation-log vocabulary: every rule that reads logged events, whatever its kind."""
        return alias_map([e for kind in ("status", "fine", "reward", "score") for e in self.entries(kind)
                          if e.logged])

    def award_map(self) -> dict[str, str]:
        return alias_map(self.entries("award"))

    # ---- the day

    def season(self, month: int, day: int) -> str:
        """'summer' or 'winter' for a calendar day."""
        s = self.data["calendar"]["summer"]
        sm, sd = (int(x) for x in s["start"].split("-"))
        em, ed = (int(x) for x in s["end"].split("-"))
        return "summer" if (sm, sd) <= (month, day) <= (em, ed) else "winter"

    def day_bounds(self, season: str) -> tuple[int, int]:
        """(day start, day end) in seconds since midnight."""
        s = self.data["calendar"][season]
        return _hhmm(s["day_start"]), _hhmm(s["day_end"])


def _hhmm(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 3600 + int(m) * 60


def _default_text() -> str:
    return resources.files("cs_rules.rulebook").joinpath("default.toml").read_text("utf-8")


def default_rulebook() -> Rulebook:
    return Rulebook(tomllib.loads(_default_text()))


# ---------------------------------------------------------------------------- validation


def _line_of(text: str, section: str, key: str) -> int:
    """Best-effort line number of ``key`` inside ``[section]`` of a TOML text."""
    lines = text.splitlines()
    current = ""
    for i, raw in enumerate(lines, 1):
        line = raw.strip()
        m = re.match(r"^\[\s*([^\]]+?)\s*\]", line)
        if m:
            current = m.group(1).replace('"', "")
            if key == "" and current == section:
                return i
            continue
        if key and current == section and re.match(rf'^"?{re.escape(key)}"?\s*=', line):
            return i
        if key and section and current == "" and re.match(rf"^{re.escape(section)}\.{re.escape(key)}\s*=", line):
            return i
    if key:  # a table: its [section.key] header
        full = f"{section}.{key}" if section else key
        for i, raw in enumerate(lines, 1):
            m = re.match(r"^\s*\[\s*([^\]]+?)\s*\]", raw)
            if m and m.group(1).replace('"', "") == full:
                return i
        parent, _, last = section.rpartition(".")
        if parent or last:  # a dotted key one level up: [fines] missing_punch.amount = …
            return _line_of(text, parent, last) if last else 1
    return 1


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "table"
    return type(value).__name__


def _is_money(text: Any) -> bool:
    if not isinstance(text, str):
        return False
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def _money_problem(value: Any) -> str | None:
    """What is wrong with ``value`` as an amount of money, or None.

    Text ("10.00") and whole numbers (10) are exact; a TOML float is accepted when
    its shortest form has at most two decimals (10.5), since that is what was written.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return f"not an amount of money: {value!r}"
    if isinstance(value, float):
        d = Decimal(repr(value))
        if not d.is_finite() or d.as_tuple().exponent < -2:  # type: ignore[operator]
            fixed = d.quantize(Decimal("0.01")) if d.is_finite() else Decimal(0)
            return (f"{value!r} is not exact in two decimals (money is counted in fen): round it to two "
                    f"decimals, e.g. {fixed}, or write it as text: \"{fixed}\"")
    elif isinstance(value, str):
        if not _is_money(value):
            return f"not an amount of money: {value!r}"
        d = Decimal(value)
        if d.as_tuple().exponent < -2:  # type: ignore[operator]
            return f"{value} has more than two decimals (money is counted in fen)"
    else:
        d = Decimal(value)
    if d < 0:
        return f"money cannot be negative: {value}"
    if d >= MONEY_LIMIT:
        return f"{value} is beyond any payroll (at most 9,999,999.99)"
    return None


def _is_money_field(path: str, default: Any) -> bool:
    last = path.rsplit(".", 1)[-1]
    return (isinstance(default, str) and _is_money(default)) or last in MONEY_FIELDS


def _check_value(path: str, default: Any, value: Any) -> str | None:
    """What is wrong with ``value`` given the default's shape, or None."""
    if is_dated(value) and not isinstance(default, dict):
        for day, v in value.items():
            try:
                dt.date.fromisoformat(str(day))
            except ValueError:
                return f"{day} is not a date (write dates like 2024-05-01)"
            msg = _check_value(path, default, v)
            if msg:
                return f"from {day}: {msg}"
        return None
    money = _is_money_field(path, default) and not isinstance(default, list)
    if money:
        msg = _money_problem(value)
        if msg:
            return msg
        return _out_of_bounds(path, value)
    dk, vk = _kind(default), _kind(value)
    if dk == "number" and vk == "integer":
        vk = "number"
    if dk != vk:
        return f"expected {dk}, got {vk} {value!r}"
    if dk in ("integer", "number") and value < 0:
        return f"cannot be negative: {value}"
    if dk == "list" and default and value:
        sample = default[0]
        for item in value:
            if isinstance(sample, list):
                if not isinstance(item, list) or len(item) != len(sample):
                    return f"list item {item!r}: expected a list like {sample!r}"
                for sub, sub_default in zip(item, sample, strict=True):
                    msg = _check_value(path + "[]", sub_default, sub)
                    if msg:
                        return f"list item {item!r}: {msg}"
                continue
            msg = (_money_problem(item) if _is_money(sample) or path.rsplit(".", 1)[-1] == "amounts"
                   else _check_value(path + "[]", sample, item))
            if msg:
                return f"list item {item!r}: {msg}"
    return _out_of_bounds(path, value)


def _out_of_bounds(path: str, value: Any) -> str | None:
    bound = BOUNDS.get(path) or BOUNDS.get(path.rsplit(".", 1)[-1])
    if bound is None or path.endswith("[]"):
        return None
    test, what = bound
    try:
        ok = bool(test(value))
    except (TypeError, ValueError, InvalidOperation):
        ok = False
    return None if ok else f"{value!r} is out of range: it must be {what}"


class _Validator:
    """Checks one rules.toml against the default tree, collecting every problem."""

    def __init__(self, text: str, display: str, default: dict[str, Any], over: dict[str, Any]) -> None:
        self.text, self.display, self.default, self.over = text, display, default, over
        self.problems: list[Problem] = []

    def add(self, section: str, key: str, code: str, message: str, hint: str) -> None:
        path = f"{section}.{key}" if section else key
        self.problems.append(Problem(self.display, _line_of(self.text, section, key), path, code, message, hint))

    def table(self, over: dict[str, Any], base: dict[str, Any], prefix: str) -> None:
        kind = ENTRY_SECTIONS.get(prefix)
        for key, value in over.items():
            path = f"{prefix}.{key}" if prefix else key
            if kind is not None and (key in base and is_entry_key(prefix, key, base[key])):
                self.entry_override(prefix, key, value, base[key])
                continue
            if key not in base:
                self.new_key(prefix, key, value, base, kind)
                continue
            if isinstance(base[key], dict):
                if not isinstance(value, dict) or is_dated(value):
                    self.add(prefix, key, "bad_type", f"{path} must be a table, got {_kind(value)}",
                             f"write it as [{path}] with keys under it")
                    continue
                self.table(value, base[key], path)
                continue
            self.value(prefix, key, base[key], value)
        if prefix == "leave":
            self.leave_lists(over, base)

    def value(self, section: str, key: str, default: Any, value: Any) -> None:
        path = f"{section}.{key}" if section else key
        msg = _check_value(path, default, value)
        if msg is None and path == "attendance.schedule" and value not in ("rulebook", "vendor"):
            msg = f"must be \"rulebook\" or \"vendor\", got {value!r}"
        if msg is None and path == "flags.forfeiture.mode":
            vals = list(value.values()) if is_dated(value) else [value]
            if any(v not in ("flag", "apply") for v in vals):
                msg = f"must be \"flag\" or \"apply\", got {value!r}"
        if msg:
            shown = default if not isinstance(default, dict) else "a table"
            self.add(section, key, "bad_value", f"{path}: {msg}", f"see `cs-rules rules` for the default: {shown!r}")

    def entry_override(self, section: str, code: str, value: Any, base: dict[str, Any]) -> None:
        """An existing rule: a table of its fields, or just its main number (``missing_punch = "15.00"``)."""
        path = f"{section}.{code}"
        if not isinstance(value, dict) or is_dated(value):
            main = primary_field(base)
            if main is None:
                self.add(section, code, "bad_type", f"{path} has no single number to set",
                         f"write it as [{path}] with the keys to change under it")
                return
            if main == "mode" and path == "flags.forfeiture":
                self.value(path, "mode", base[main], value)
                return
            msg = _check_value(f"{path}.{main}", base[main], value)
            if msg:
                self.add(section, code, "bad_value", f"{path}: {msg}",
                         f"see `cs-rules rules` for the default: {base[main]!r}")
            return
        for field_name, v in value.items():
            if field_name not in base:
                known = ", ".join(k for k in base)
                self.add(path, field_name, "unknown_key", f"unknown key {path}.{field_name}", f"valid keys: {known}")
                continue
            if field_name == "aliases":
                if not isinstance(v, list) or not all(isinstance(a, str) for a in v):
                    self.add(path, field_name, "bad_value", f"{path}.aliases must be a list of text",
                             'write e.g. aliases = ["脱岗", "离岗"]')
                continue
            self.value(path, field_name, base[field_name], v)

    def new_key(self, section: str, key: str, value: Any, base: dict[str, Any], kind: str | None) -> None:
        path = f"{section}.{key}" if section else key
        opt = OPTIONAL_KEYS.get(section, {})
        if key in opt:
            msg = _money_problem(value)
            if msg:
                self.add(section, key, "bad_value", f"{path}: {msg}", f'write e.g. {key} = "2690.00"')
            return
        if path in RENAMED:
            self.add(section, key, "renamed_key", f"{path} is no longer a key", f"write {RENAMED[path]}")
            return
        if kind is not None and isinstance(value, dict) and not is_dated(value):
            self.new_entry(section, key, value, base, kind)
            return
        if kind is not None and section in OPEN_SECTIONS:
            template = next(v for k, v in base.items() if is_entry_key(section, k, v))
            main = primary_field(template) or ""
            msg = _check_value(f"{path}.{main}", template[main], value)
            if msg:
                self.add(section, key, "bad_value", f"{path}: {msg}", f'write e.g. {key} = "2600.00"')
            return
        near = [k for k in base if k[:3] == key[:3]]
        hint = f"did you mean {near[0]}?" if near else f"valid keys: {', '.join(sorted(base))}"
        if kind is not None:
            hint += f"; a new rule is a table [{path}] with cite, zh, en and its numbers"
        self.add(section, key, "unknown_key", f"unknown key {path}", hint)

    def new_entry(self, section: str, code: str, value: dict[str, Any], base: dict[str, Any], kind: str) -> None:
        """A rule the default does not have: it needs a known handler, a citation, both labels and its numbers."""
        path = f"{section}.{code}"
        if kind in FIELD_TEMPLATES:
            self.new_plain_entry(section, code, value, kind)
            return
        handler = value.get("handler", DEFAULT_HANDLER.get(kind, ""))
        entries = {k: v for k, v in base.items() if is_entry_key(section, k, v)}
        template = next((v for v in entries.values() if v.get("handler", "") == handler), None)
        if template is None:
            known = sorted({str(v.get("handler")) for v in entries.values() if v.get("handler")})
            self.add(section, code, "unknown_handler",
                     f"{path}: no rule function '{handler}' for {section}" if handler else
                     f"{path}: a new {kind} rule needs handler = …",
                     f"use one of: {', '.join(known)}" if known else f"{section} takes no new rules")
            return
        needed = [f for f in ("cite", "zh", "en") if f in template or f == "cite"]
        needed += [f for f in template if f not in ("handler", "cite", "zh", "en", "aliases")]
        missing = [f for f in needed if f not in value]
        if missing:
            self.add(section, code, "incomplete_rule", f"{path} needs {', '.join(missing)}",
                     f"a {kind} rule like [{path}] has: {', '.join(needed)}"
                     + ("" if "cite" not in missing else " (cite: the clause of your rules it comes from)"))
        for field_name, v in value.items():
            if field_name == "handler":
                continue
            if field_name == "aliases":
                if not isinstance(v, list) or not all(isinstance(a, str) for a in v):
                    self.add(path, field_name, "bad_value", f"{path}.aliases must be a list of text",
                             'write e.g. aliases = ["着装", "仪容仪表"]')
                continue
            if field_name not in template:
                self.add(path, field_name, "unknown_key", f"unknown key {path}.{field_name}",
                         f"a {kind} rule with handler '{handler}' has: {', '.join(template)}")
                continue
            self.value(path, field_name, template[field_name], v)

    def new_plain_entry(self, section: str, code: str, value: dict[str, Any], kind: str) -> None:
        """A shift or a schedule: its own fields, times as HH:MM, a week of seven known shifts or "rest"."""
        path = f"{section}.{code}"
        template = FIELD_TEMPLATES[kind]
        needed = [] if value.get("seasonal") is True else list(FIELD_REQUIRED[kind])
        missing = [f for f in needed if f not in value]
        if missing:
            self.add(section, code, "incomplete_rule", f"{path} needs {', '.join(missing)}",
                     'write e.g. start = "20:00" and end = "08:00"' if kind == "shift" else
                     'write e.g. week = ["day", "day", "day", "day", "day", "rest", "rest"]')
        for field_name, v in value.items():
            if field_name not in template:
                self.add(path, field_name, "unknown_key", f"unknown key {path}.{field_name}",
                         f"a {kind} has: {', '.join(template)}")
                continue
            if field_name in ("start", "end") and kind == "shift":
                if not (isinstance(v, str) and _TIME.match(v)):
                    self.add(path, field_name, "bad_value", f"{path}.{field_name}: {v!r} is not a time of day",
                             'write it as "HH:MM", e.g. "08:00"')
                continue
            if field_name == "breaks":
                if not (isinstance(v, list) and all(isinstance(b, list) and len(b) == 2 and
                                                    all(isinstance(t, str) and _TIME.match(t) for t in b)
                                                    for b in v)):
                    self.add(path, field_name, "bad_value", f"{path}.breaks must be a list of [start, end] times",
                             'write e.g. breaks = [["12:00", "13:00"]]')
                continue
            if field_name == "week":
                shifts = set(section_node(self.default, "shifts")) | set(section_node(self.over, "shifts"))
                shifts = {x for x in shifts if x != "rule"} | {"rest"}
                if not (isinstance(v, list) and len(v) == 7 and all(isinstance(x, str) for x in v)):
                    self.add(path, field_name, "bad_value", f"{path}.week must list 7 days, Monday first",
                             'write e.g. week = ["day", "day", "day", "day", "day", "rest", "rest"]')
                else:
                    for x in v:
                        if x not in shifts:
                            self.add(path, field_name, "unknown_shift", f"{path}.week names an unknown shift "
                                     f"'{x}'", f"define [shifts.{x}] or use one of: {', '.join(sorted(shifts))}")
                continue
            self.value(path, field_name, template[field_name], v)

    def leave_lists(self, over: dict[str, Any], base: dict[str, Any]) -> None:
        """paid and unpaid split the leave types: given one, the other is the rest; given both, they must."""
        types = [k for k, v in base.items() if is_entry_key("leave", k, v)]
        types += [k for k, v in over.items() if k not in base and isinstance(v, dict)]
        for key in ("paid", "unpaid"):
            for t in over.get(key, []) if isinstance(over.get(key), list) else []:
                if t not in types:
                    self.add("leave", key, "unknown_leave_type", f"leave.{key} names an unknown leave type '{t}'",
                             f"use one of: {', '.join(types)}")
        if isinstance(over.get("paid"), list) and isinstance(over.get("unpaid"), list):
            paid, unpaid = set(over["paid"]), set(over["unpaid"])
            both, neither = paid & unpaid, set(types) - paid - unpaid
            if both or neither:
                what = (f"{', '.join(sorted(both))} in both lists" if both else
                        f"{', '.join(sorted(neither))} in neither list")
                self.add("leave", "paid", "bad_value", f"leave.paid and leave.unpaid must split the leave types: "
                         f"{what}", "list each leave type once, or give only one list (the other is the rest)")


def _merge(base: dict[str, Any], over: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out = copy.deepcopy(base)
    for k, v in over.items():
        path = f"{prefix}.{k}" if prefix else k
        cur = out.get(k)
        if isinstance(cur, dict) and prefix in ENTRY_SECTIONS and is_entry_key(prefix, k, cur) and \
                (not isinstance(v, dict) or is_dated(v)):
            main = primary_field(cur) or ""
            out[k] = {**cur, main: _dated(v, cur[main])}
        elif isinstance(v, dict) and not is_dated(v) and isinstance(cur, dict):
            out[k] = _merge(cur, v, path)
        elif k not in out and prefix in OPEN_SECTIONS and not isinstance(v, dict):
            template = next(t for key, t in out.items() if is_entry_key(prefix, key, t))
            out[k] = {"cite": "rules.toml", "zh": k, "en": k, primary_field(template) or "base": v}
        elif k not in out and prefix in ENTRY_SECTIONS and isinstance(v, dict) and not is_dated(v):
            kind = ENTRY_SECTIONS[prefix]
            entry = {"handler": DEFAULT_HANDLER.get(kind, ""), **v}
            out[k] = {f: _dated(x, None) for f, x in entry.items()}
        else:
            out[k] = _dated(v, cur)
    if prefix == "leave":
        types = [k for k, v in out.items() if is_entry_key("leave", k, v)]
        if "paid" in over and "unpaid" not in over:
            out["unpaid"] = [t for t in types if t not in out["paid"]]
        elif "unpaid" in over and "paid" not in over:
            out["paid"] = [t for t in types if t not in out["unpaid"]]
    return out


def _dated(value: Any, beneath: Any) -> Any:
    """A dated table becomes :class:`Dated` over the value beneath; anything else stays as it is."""
    if not is_dated(value):
        return value
    steps = tuple(sorted((dt.date.fromisoformat(str(d)), v) for d, v in value.items()))
    return Dated(steps, beneath)


# shipped example rulebooks, by the names a clerk would type (issue 14 §6)
EXAMPLES = {"篇8": "hospital.toml", "hospital": "hospital.toml", "篇6": "front_desk.toml",
            "front-desk": "front_desk.toml", "front_desk": "front_desk.toml"}


def example_path(name: str) -> Path | None:
    """The shipped rulebook called ``name`` (篇8, hospital, 篇6, front-desk), or None."""
    file = EXAMPLES.get(name.strip().removesuffix(".toml"))
    return Path(__file__).with_name("examples") / file if file else None


def load_rulebook(path: Path | None, display: str | None = None) -> tuple[Rulebook, list[Problem]]:
    """The default rulebook with ``path`` (if any) merged over it, and any problems."""
    book = default_rulebook()
    if path is None:
        return book, []
    disp = display or str(path)
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return book, [Problem(disp, 0, "", "unreadable", f"cannot read the rulebook ({exc})",
                              "save it as UTF-8 text")]
    try:
        over = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        return book, [Problem(disp, int(m.group(1)) if m else 0, "", "toml_syntax",
                              f"not valid TOML: {exc}", "fix the syntax (strings need quotes)")]
    v = _Validator(text, disp, book.data, over)
    v.table(over, book.data, "")
    if v.problems:
        return book, v.problems
    merged = Rulebook(_money_as_text(_merge(book.data, over), book.data, ""), ["(embedded default)", disp])
    return merged, []


def _fen_text(value: Any) -> Any:
    """A validated amount written as a TOML number (2690, 15.5) → its exact text ("2690.00")."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    return str(Decimal(repr(value)).quantize(Decimal("0.01")))


def _money_as_text(node: Any, default: Any, path: str) -> Any:
    """Money the overrides wrote as TOML numbers (``min_wage = 2690``, ``desk_untidy = 10``)
    held as the same text as the default's ("2690.00"), so every report and JSON shows
    money one way. Only the amounts the validator checked as money are touched."""
    if isinstance(node, Dated):
        beneath = node.base
        steps = tuple((d, _money_as_text(v, beneath if beneath is not None else default, path))
                      for d, v in node.steps)
        return Dated(steps, beneath)
    if isinstance(node, dict):
        sub = default if isinstance(default, dict) else {}
        return {k: _money_as_text(v, sub.get(k), f"{path}.{k}" if path else k) for k, v in node.items()}
    last = path.rsplit(".", 1)[-1]
    if isinstance(node, list):
        money_list = last == "amounts" or (isinstance(default, list) and bool(default)
                                           and all(isinstance(x, str) and _is_money(x) for x in default))
        return [_fen_text(x) for x in node] if money_list else node
    section = path.rpartition(".")[0]
    if OPTIONAL_KEYS.get(section, {}).get(last) == "money" or (
            default is not None and _is_money_field(path, default)) or (default is None and last in MONEY_FIELDS):
        return _fen_text(node)
    return node


def time_text(seconds: int) -> str:
    return time(seconds // 3600, seconds % 3600 // 60).strftime("%H:%M")
