"""The active rulebook as TOML a clerk can paste into rules.toml, each rule with its clause and label.

What `cs-rules rules` prints in a pipe or with ``--format toml``: valid TOML (dated
values as inline tables of dates), with the seed clause and the Chinese label of
each section and rule as comments.
"""

from __future__ import annotations

import json
import re
from typing import Any

from cs_rules.rulebook import Dated, Rulebook
from cs_rules.rulebook.catalog import ENTRY_SECTIONS, is_entry_key

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k: str) -> str:
    return k if _BARE.match(k) else json.dumps(k, ensure_ascii=False)


def _value(v: Any) -> str:
    if isinstance(v, Dated):
        return "{ " + ", ".join(f"{json.dumps(d)} = {_value(x)}" for d, x in v.plain().items()) + " }"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(str(k))} = {_value(x)}" for k, x in v.items()) + " }"
    return json.dumps(str(v), ensure_ascii=False)


def rulebook_toml(book: Rulebook, month: str | None = None) -> str:
    """The rulebook tree as TOML text with comments (sources, and the month the values are in force)."""
    out = [f"# cs-rules rulebook: {' + '.join(book.sources)}"]
    if month:
        out.append(f"# values in force in {month}")
    out.append("")

    def table(node: dict[str, Any], path: str) -> None:
        plain = {k: v for k, v in node.items() if not (isinstance(v, dict) and not isinstance(v, Dated))}
        subs = {k: v for k, v in node.items() if k not in plain}
        if path:
            note = []
            parent, _, code = path.rpartition(".")
            if parent in ENTRY_SECTIONS and is_entry_key(parent, code, node):
                note = [str(node.get("zh", "")), str(node.get("cite", ""))]
            elif "rule" in node:
                note = [str(node["rule"])]
            comment = " · ".join(x for x in note if x)
            out.append(f"[{'.'.join(_key(p) for p in path.split('.'))}]" + (f"  # {comment}" if comment else ""))
        for k, v in plain.items():
            out.append(f"{_key(k)} = {_value(v)}")
        if path:
            out.append("")
        for k, v in subs.items():
            table(v, f"{path}.{k}" if path else k)

    table(book.data, "")
    return "\n".join(out).rstrip() + "\n"
