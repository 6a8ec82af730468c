"""The rule catalogue: every code the program knows, read from the rulebook's entry tables.

An entry is one table such as ``[fines.missing_punch]``: its kind comes from the
section it sits in, and it carries the function that applies it (``handler``), the
seed clause (``cite``), its labels (``zh``, ``en``), the spellings data files may use
(``aliases``) and its numbers (everything else: ``params``).  Labels in reports,
aliases in loading and citations in ledgers all come from here, so a rules.toml that
changes one of them changes it everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# section (dotted) -> the kind of the entries it holds
ENTRY_SECTIONS: dict[str, str] = {
    "statuses": "status",
    "leave": "leave",
    "fines": "fine",
    "rewards": "reward",
    "score": "score",
    "pay": "pay",
    "pay.grades": "grade",
    "awards": "award",
    "flags": "flag",
    "checks": "check",
    "promotion": "promotion",
    "demotion": "demotion",
    "shifts": "shift",
    "schedules": "schedule",
}
SECTION_OF_KIND = {kind: section for section, kind in ENTRY_SECTIONS.items()}
# an entry's own fields; every other field is a parameter of its handler
META_FIELDS = ("handler", "cite", "zh", "en", "aliases", "why_zh", "why_en")
# which parameter a short override (``[fines] missing_punch = "15.00"``) sets: the first present
PRIMARY_FIELDS = ("amount", "amounts", "base", "mode", "tiers", "points", "days", "minutes", "per", "bonus",
                  "every", "min")
# kinds whose entries are applied by a registered function (the others are vocabulary)
HANDLED_KINDS = ("status", "fine", "reward", "score", "pay", "flag", "check", "promotion", "demotion")
# what a new entry gets when a rules.toml adds one without naming its handler
DEFAULT_HANDLER = {"fine": "logged", "reward": "logged"}
# the fields a new entry of a kind without handlers may have: name -> an example of its type (None: optional)
FIELD_TEMPLATES: dict[str, dict[str, Any]] = {
    "shift": {"start": "09:00", "end": "18:00", "breaks": [["12:00", "13:00"]], "grace_minutes": 0,
              "latest_start": "10:00", "required_hours": 8.0, "half_day_late": 0, "half_day_early": 0,
              "seasonal": False, "cite": "", "zh": "", "en": ""},
    "schedule": {"week": ["default"], "cite": "", "zh": "", "en": ""},
}
FIELD_REQUIRED: dict[str, tuple[str, ...]] = {"shift": ("start", "end"), "schedule": ("week",)}
# handlers whose entries are events logged in violations.csv: their codes form its vocabulary
LOGGED_HANDLERS = ("logged", "logged_ladder", "logged_every", "logged_tiers", "logged_count_tiers",
                   "logged_points", "off_post")
MONEY_FIELDS = ("amount", "amounts", "base", "bonus")


@dataclass(frozen=True)
class Entry:
    """One rule (or one word of the vocabulary) as the active rulebook states it."""

    kind: str
    code: str
    cite: str
    zh: str
    en: str
    handler: str = ""
    aliases: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)
    why_zh: str = ""  # a longer explanation with {placeholders} for one person's case (flags)
    why_en: str = ""

    @property
    def path(self) -> str:
        """Where the entry sits in the rulebook, e.g. ``fines.missing_punch``."""
        return f"{SECTION_OF_KIND[self.kind]}.{self.code}"

    @property
    def logged(self) -> bool:
        return self.handler in LOGGED_HANDLERS

    def label(self, lang: str = "zh") -> str:
        """The label in ``lang`` with its ``{param}`` placeholders filled in."""
        return self._fill(self.zh if lang == "zh" else self.en)

    def why(self, lang: str = "zh", **case: Any) -> str:
        """The longer explanation for one case, its ``{placeholders}`` filled from params and ``case``."""
        text = (self.why_zh if lang == "zh" else self.why_en) or self.label(lang)
        return self._fill(text, **case)

    def _fill(self, text: str, **case: Any) -> str:
        if "{" not in text:
            return text
        try:
            return text.format(**{k: _show(v) for k, v in {**self.params, **case}.items()})
        except (KeyError, IndexError, ValueError):
            return text

    def money(self, name: str) -> Decimal:
        return Decimal(str(self.params[name]))

    def money_list(self, name: str) -> list[Decimal]:
        return [Decimal(str(v)) for v in self.params[name]]

    def num(self, name: str) -> float:
        return float(self.params[name])

    def int(self, name: str) -> int:
        return int(self.params[name])


def _show(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def entry_of(kind: str, code: str, table: dict[str, Any]) -> Entry:
    params = {k: v for k, v in table.items() if k not in META_FIELDS}
    return Entry(kind, code, str(table.get("cite", "")), str(table.get("zh", code)), str(table.get("en", code)),
                 str(table.get("handler", "")), tuple(str(a) for a in table.get("aliases", ())), params,
                 str(table.get("why_zh", "")), str(table.get("why_en", "")))


def section_node(data: dict[str, Any], section: str) -> dict[str, Any]:
    node: Any = data
    for part in section.split("."):
        node = node.get(part, {}) if isinstance(node, dict) else {}
    return node if isinstance(node, dict) else {}


def is_entry_key(section: str, key: str, value: Any) -> bool:
    """Whether ``key`` of ``section`` is an entry (a table), not a setting or a nested section."""
    return isinstance(value, dict) and f"{section}.{key}" not in ENTRY_SECTIONS and not is_dated(value)


def catalog(data: dict[str, Any]) -> dict[str, dict[str, Entry]]:
    """kind -> code -> Entry, in rulebook order, from a merged (and resolved) rulebook tree."""
    out: dict[str, dict[str, Entry]] = {}
    for section, kind in ENTRY_SECTIONS.items():
        node = section_node(data, section)
        out[kind] = {k: entry_of(kind, k, v) for k, v in node.items() if is_entry_key(section, k, v)}
    return out


def primary_field(table: dict[str, Any]) -> str | None:
    """The parameter a short override of this entry sets (None: the entry has no number)."""
    return next((f for f in PRIMARY_FIELDS if f in table), None)


_DATE_KEY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def is_dated(value: Any) -> bool:
    """A dated value: a table whose every key is a date (``{"2024-05-01" = "15.00"}``)."""
    return isinstance(value, dict) and bool(value) and all(_DATE_KEY.match(str(k)) for k in value)


def normalize_word(text: str) -> str:
    s = text.strip().lower().replace("（", "(").replace("）", ")")
    return re.sub(r"[\s\-]+", "_", s)


def alias_map(entries: list[Entry]) -> dict[str, str]:
    """Lower-cased spelling -> canonical code (brackets normalised to ASCII); code, labels and aliases."""
    out: dict[str, str] = {}
    for e in entries:
        for a in (e.code, *e.aliases, e.zh, e.en):
            if "{" in a:
                continue
            out.setdefault(normalize_word(a), e.code)
    return out
