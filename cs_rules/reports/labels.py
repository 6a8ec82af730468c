"""Report headers and code cells in the language in use (terminal tables; CSV/TSV with --headers zh).

CSV, TSV and JSON keep the canonical English keys and codes unless ``--headers zh`` asks for
Chinese header names; the cells of CSV/TSV are never translated (scripts compare codes).
"""

from __future__ import annotations

from typing import Any

from cs_rules import i18n

# columns whose cells are codes of the catalogue (shown as their label in a Chinese table)
CODE_COLUMNS = {"code", "level", "score_level", "status", "day_type", "grade", "kind", "severity", "scope"}
# columns whose cells are English text the program wrote (notes), shown through the catalogue
TEXT_COLUMNS = {"note", "leave", "met", "what", "detail", "message"}


def header(name: str, lang: str | None = None) -> str:
    """A column's name as a person reads it (``net_pay`` -> 实发工资 in zh, ``net pay`` in en tables)."""
    key = f"field.{name}"
    if key not in i18n.catalogue():
        return name
    return i18n.t(key, lang)


def header_names(names: list[str], lang: str) -> list[str]:
    """CSV/TSV header: the canonical keys (``en``), or their Chinese names (``zh``)."""
    return list(names) if lang == "en" else [header(n, "zh") for n in names]


def zh_headers(frame_or_names: Any, lang: str) -> Any:
    """A frame with Chinese column names (or a set of names translated) when ``lang`` is zh."""
    if lang == "en":
        return frame_or_names
    if isinstance(frame_or_names, (set, frozenset, tuple, list)):
        return {header(n, "zh") for n in frame_or_names}
    return frame_or_names.rename(columns={c: header(c, "zh") for c in frame_or_names.columns})


def cell(column: str, value: Any, lang: str | None = None) -> Any:
    """One table cell in the language in use: codes as labels, program notes translated."""
    lang = lang or i18n.current()
    if lang == "en" or not isinstance(value, str) or not value:
        return value
    if column in CODE_COLUMNS:
        return ";".join(i18n.label(v) for v in value.split(";"))
    if column in TEXT_COLUMNS or column == "flags":
        if column == "flags":
            return "、".join(i18n.label(v) for v in value.split(";"))
        return i18n.tr(value, lang)
    return value


def table_rows(names: list[str], rows: list[list[Any]], lang: str | None = None) -> list[list[Any]]:
    """Rows for a terminal table: code cells as labels in Chinese, unchanged in English."""
    lang = lang or i18n.current()
    if lang == "en":
        return rows
    return [[cell(h, v, lang) for h, v in zip(names, r, strict=False)] for r in rows]
