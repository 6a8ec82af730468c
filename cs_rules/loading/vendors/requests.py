"""Leave, trips, outings and punch corrections as exports write them in request texts.

WeCom writes ``年假2.0天（2/13 上午 - 2/14 下午）`` and ``补卡申请（02-14 18:00）``;
DingTalk ``事假05-06 08:30到05-06 12:00 3.5小时`` and ``补卡申请05-20 08:30到05-20 08:30``.
Both name the same things with the same words; this module maps the words and turns
a span with its half days into leave rows the engine reads.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

# leave words in vendor texts and column labels -> canonical leave type
LEAVE_WORDS: dict[str, str] = {
    "年假": "annual", "年休假": "annual", "带薪年假": "annual", "帶薪年假": "annual", "奖优年假": "annual",
    "事假": "personal",
    "病假": "sick",
    "调休": "lieu", "调休假": "lieu", "調休": "lieu", "調休假": "lieu",
    "婚假": "marriage",
    "产假": "maternity", "產假": "maternity",
    "陪产假": "paternity", "陪產假": "paternity",
    "丧假": "bereavement", "喪假": "bereavement",
}
APPROVAL_WORDS: dict[str, str] = {"出差": "trip", "外出": "outing", "公出": "outing", "外勤": "outing"}
CORRECTION_WORDS = ("补卡", "補卡")
IGNORED_WORDS = ("加班",)  # overtime requests: not absences, nothing to import


def leave_type(word: str) -> str | None:
    w = word.strip()
    return LEAVE_WORDS.get(w) or LEAVE_WORDS.get(w.removesuffix("假"))


def approval_kind(word: str) -> str | None:
    w = word.strip()
    for k, v in APPROVAL_WORDS.items():
        if w.startswith(k):
            return v
    return None


def is_half(quantity: float, unit: str) -> bool:
    """A request of half a day or less: 0.5 天, or up to 4.5 hours of an 8-hour day."""
    if unit in ("小时", "小時", "h", "H"):
        return quantity <= 4.5
    return quantity <= 0.5


def span_rows(start: dt.date, end: dt.date, start_pm: bool, end_am: bool, half: bool) -> list[dict[str, Any]]:
    """A request from ``start`` to ``end`` as rows of (start_date, end_date, half_day):
    a first afternoon and a last morning are half days, the days between full ones."""
    if start == end:
        return [{"start_date": start, "end_date": end, "half_day": bool(half or start_pm or end_am)}]
    out = []
    one = dt.timedelta(days=1)
    full_from, full_to = start, end
    if start_pm:
        out.append({"start_date": start, "end_date": start, "half_day": True})
        full_from = start + one
    if end_am:
        full_to = end - one
    if full_from <= full_to:
        out.append({"start_date": full_from, "end_date": full_to, "half_day": False})
    if end_am:
        out.append({"start_date": end, "end_date": end, "half_day": True})
    return out


def afternoon_start(part: Any) -> bool:
    s = part if isinstance(part, str) else ""
    if s == "下午":
        return True
    hh = s.split(":")[0] if ":" in s else ""
    return hh.isdigit() and int(hh) >= 12


def morning_end(part: Any) -> bool:
    s = part if isinstance(part, str) else ""
    if s == "上午":
        return True
    if ":" not in s:
        return False
    hh, mm = s.split(":")[:2]
    return hh.isdigit() and mm[:2].isdigit() and (int(hh), int(mm[:2])) <= (13, 0)
