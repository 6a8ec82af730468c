"""The rulebook: numbers as data (default.toml), meanings as code.

The default rulebook ships inside the package; a ``rules.toml`` overrides any
key.  Overrides are validated against the default's shape: unknown keys, wrong
types and bad values are errors naming the file and line.
"""

from __future__ import annotations

import copy
import re
import tomllib
from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from cs_rules.problems import Problem

GRADE_NAMES: dict[str, tuple[str, ...]] = {
    "probation": ("新客服(试用)", "新客服(試用)", "新客服", "试用", "試用", "试用期", "試用期", "见习"),
    "junior": ("初级客服", "初級客服", "初级", "初級"),
    "mid": ("中级客服", "中級客服", "中级", "中級"),
    "senior": ("高级客服", "高級客服", "高级", "高級"),
    "reserve_supervisor": ("储备主管", "儲備主管", "reserve"),
}
LEAVE_NAMES: dict[str, tuple[str, ...]] = {
    "personal": ("事假",),
    "sick": ("病假",),
    "annual": ("年假", "年休假", "带薪年假", "帶薪年假"),
    "marriage": ("婚假",),
    "maternity": ("产假", "產假"),
    "paternity": ("陪产假", "陪產假", "护理假", "護理假"),
    "bereavement": ("丧假", "喪假"),
    "lieu": ("调休", "調休", "调休假", "調休假"),
}
# violation-log codes: fines (§3), rewards and score events (§4)
CODE_NAMES: dict[str, tuple[str, ...]] = {
    "desk_untidy": ("不注意细节", "不注意細節", "桌面不整", "桌面不整洁", "桌面不整潔"),
    "private_call": ("私人电话", "私人電話", "打私人电话", "打私人電話"),
    "registration_error": ("登记错误", "登記錯誤", "信息登记错误", "信息登記錯誤"),
    "chatting": ("聊天", "上班聊天", "无故聊天", "無故聊天"),
    "report_misconduct": ("检举", "檢舉", "举报", "舉報"),
    "off_post": ("脱岗", "脫崗", "离岗", "離崗"),
    "offline": ("掉线", "掉線", "离线", "離線"),
    "complaint_unanswered": ("投诉未回复", "投訴未回復", "客户投诉未回复", "未回复投诉"),
    "complaint_attitude": ("态度投诉", "態度投訴", "服务态度投诉", "服務態度投訴"),
    "unfinished_work": ("未完成工作", "工作未完成"),
}
AWARD_NAMES: dict[str, tuple[str, ...]] = {
    "service_star": ("服务之星", "服務之星"),
    "sales_champion": ("销售冠军", "銷售冠軍"),
    "best_newcomer": ("最佳新人",),
    "busy_bee": ("小蜜蜂",),
    "best_trainer": ("最佳培训师", "最佳培訓師"),
    "nomination": ("提名",),
}
FLAG_NAMES = ("auto_resignation", "dismissal", "notice_short", "forfeiture", "proration_capped",
              "net_clamped", "no_performance_score", "sick_without_certificate")


def alias_map(names: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Lower-cased spelling -> canonical code (brackets normalised to ASCII)."""
    out: dict[str, str] = {}
    for canon, aliases in names.items():
        for a in (canon, *aliases):
            out[normalize_word(a)] = canon
    return out


def normalize_word(text: str) -> str:
    s = text.strip().lower().replace("（", "(").replace("）", ")")
    return re.sub(r"[\s\-]+", "_", s)


# keys the default leaves unset but a rules.toml may set: section -> key -> type
OPTIONAL_KEYS: dict[str, dict[str, str]] = {"compliance": {"min_wage": "money"}}
OPEN_SECTIONS = {"pay.grades"}  # a rules.toml may add grades here


@dataclass
class Rulebook:
    """The active rulebook: the merged TOML tree plus where each override came from."""

    data: dict[str, Any]
    sources: list[str] = field(default_factory=lambda: ["(embedded default)"])

    def get(self, dotted: str) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            node = node[part]
        return node

    def num(self, dotted: str) -> float:
        """A count, day or point threshold (never money: see :meth:`money`)."""
        return float(self.get(dotted))

    def money(self, dotted: str) -> Decimal:
        return Decimal(str(self.get(dotted)))

    def money_list(self, dotted: str) -> list[Decimal]:
        return [Decimal(str(v)) for v in self.get(dotted)]

    def rule(self, section: str) -> str:
        return str(self.get(section).get("rule", ""))

    def cite(self, dotted: str) -> str:
        """The seed clause of one key: its own entry in the section's ``cite`` table, else the section's."""
        section, _, key = dotted.rpartition(".")
        node = self.get(section) if section else self.data
        own = node.get("cite", {}) if isinstance(node, dict) else {}
        return str(own.get(key) or (node.get("rule", "") if isinstance(node, dict) else ""))

    @property
    def grades(self) -> dict[str, Decimal]:
        return {k: Decimal(str(v)) for k, v in self.data["pay"]["grades"].items() if k != "rule"}

    def grade_map(self) -> dict[str, str]:
        names = dict(GRADE_NAMES)
        for g in self.grades:
            names.setdefault(g, ())
        return alias_map({g: names[g] for g in self.grades})

    def leave_map(self) -> dict[str, str]:
        return alias_map(LEAVE_NAMES)

    def code_map(self) -> dict[str, str]:
        return alias_map(CODE_NAMES)

    def award_map(self) -> dict[str, str]:
        return alias_map(AWARD_NAMES)

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
    if key:  # an unknown table: its [section.key] header
        full = f"{section}.{key}" if section else key
        for i, raw in enumerate(lines, 1):
            m = re.match(r"^\s*\[\s*([^\]]+?)\s*\]", raw)
            if m and m.group(1).replace('"', "") == full:
                return i
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


def _check_value(path: str, default: Any, value: Any) -> str | None:
    """What is wrong with ``value`` given the default's shape, or None."""
    dk, vk = _kind(default), _kind(value)
    if dk == "number" and vk == "integer":
        vk = "number"
    if dk == "text" and _is_money(default) and vk in ("integer", "number"):
        vk, value = "text", str(value)  # 10 and 10.5 are exact enough: read via their text
    if dk != vk:
        return f"expected {dk}, got {vk} {value!r}"
    if dk == "text" and _is_money(default):
        if not _is_money(value):
            return f"not an amount of money: {value!r}"
        if Decimal(value) < 0:
            return f"money cannot be negative: {value}"
    if dk in ("integer", "number") and value < 0:
        return f"cannot be negative: {value}"
    if dk == "list" and default and value:
        sample = default[0]
        for item in value:
            if isinstance(sample, list):
                if not isinstance(item, list) or len(item) != len(sample):
                    return f"list item {item!r}: expected a list like {sample!r}"
                for sub, sub_default in zip(item, sample):
                    msg = _check_value(path, sub_default, sub)
                    if msg:
                        return f"list item {item!r}: {msg}"
                continue
            msg = _check_value(path, sample, item)
            if msg:
                return f"list item {item!r}: {msg}"
    return None


def _validate(text: str, display: str, over: dict[str, Any], base: dict[str, Any], prefix: str,
              problems: list[Problem]) -> None:
    for key, value in over.items():
        path = f"{prefix}.{key}" if prefix else key
        line = _line_of(text, prefix, key)
        if key not in base:
            opt = OPTIONAL_KEYS.get(prefix, {})
            if key in opt:
                if not _is_money(value) or Decimal(str(value)) < 0:
                    problems.append(Problem(display, line, path, "bad_value",
                                            f"{path} must be an amount of money as text, got {value!r}",
                                            f'write e.g. {key} = "2690.00"'))
                continue
            if prefix in OPEN_SECTIONS:
                if not _is_money(value):
                    problems.append(Problem(display, line, path, "bad_value",
                                            f"{path} must be an amount of money as text, got {value!r}",
                                            f'write e.g. {key} = "2600.00"'))
                continue
            near = [k for k in base if k[:3] == key[:3]]
            hint = f"did you mean {near[0]}?" if near else f"valid keys: {', '.join(sorted(base))}"
            problems.append(Problem(display, line, path, "unknown_key", f"unknown key {path}", hint))
            continue
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                problems.append(Problem(display, line, path, "bad_type",
                                        f"{path} must be a table, got {_kind(value)}",
                                        f"write it as [{path}] with keys under it"))
                continue
            _validate(text, display, value, base[key], path, problems)
            continue
        msg = _check_value(path, base[key], value)
        if msg:
            problems.append(Problem(display, line, path, "bad_value", f"{path}: {msg}",
                                    f"see `cs-rules rules` for the default: {base[key]!r}"))
    if prefix == "flags" and over.get("forfeiture") not in (None, "flag", "apply"):
        problems.append(Problem(display, _line_of(text, prefix, "forfeiture"), "flags.forfeiture",
                                "bad_value", f"flags.forfeiture must be \"flag\" or \"apply\", got "
                                f"{over['forfeiture']!r}", 'write forfeiture = "flag"'))


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


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
    problems: list[Problem] = []
    _validate(text, disp, over, book.data, "", problems)
    if problems:
        return book, problems
    merged = Rulebook(_merge(book.data, over), ["(embedded default)", disp])
    return merged, []


def time_text(seconds: int) -> str:
    return time(seconds // 3600, seconds % 3600 // 60).strftime("%H:%M")
