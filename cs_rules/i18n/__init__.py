"""The language of the human outputs (tables, explain, messages): zh or en, and the one catalogue.

The language comes from ``--lang``, else ``$CS_RULES_LANG``, else a ``zh_*``/``en_*`` locale in
``LC_ALL``/``LC_MESSAGES``/``LANG``, else Chinese (the clerks who run cs-rules read Chinese).
Machine outputs (CSV/TSV/JSON) never pass through here: their keys and codes stay canonical English.

``messages.toml`` beside this file holds every string, both languages side by side:

* ``["payroll.title"]`` tables: a message id with ``en`` and ``zh`` (``{placeholders}`` alike);
* ``[[text]]`` entries: an English text the program writes elsewhere (a problem message, a
  ledger note) as a pattern with ``{placeholders}``, and its ``zh``. Like gettext, the English
  text is the key, so the loaders and the engine keep writing English (JSON stays canonical)
  and a terminal in Chinese shows the translation; a text no entry matches is shown in English.

This module sits at the bottom of the layers: it imports nothing of cs_rules.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

LANGS = ("zh", "en")
DEFAULT = "zh"
ENV = "CS_RULES_LANG"

_lang: str | None = None
_catalogue: dict[str, Any] | None = None
_ordered: list[tuple[tuple[str, ...], str, str]] | None = None
_compiled: dict[str, re.Pattern[str]] = {}


class UnknownLanguage(ValueError):
    """A language neither zh nor en was asked for (the CLI makes it a usage error, exit 2)."""


def _normal(value: str) -> str | None:
    v = value.strip().lower().replace("-", "_")
    for lang in LANGS:
        if v == lang or v.startswith(lang + "_") or v.startswith(lang + "."):
            return lang
    if v in ("chinese", "中文", "cn"):
        return "zh"
    if v in ("english",):
        return "en"
    return None


def resolve(value: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language to speak: ``value`` (``--lang``), else $CS_RULES_LANG, else the locale, else zh.

    An unknown ``value`` or $CS_RULES_LANG raises :class:`UnknownLanguage`; a locale that is
    neither Chinese nor English (``fr_FR.UTF-8``, ``C``) just falls through to Chinese.
    """
    env = os.environ if environ is None else environ
    for given, where in ((value, "--lang"), (env.get(ENV), f"${ENV}")):
        if given is None or not str(given).strip():
            continue
        lang = _normal(str(given))
        if lang is None:
            raise UnknownLanguage(f"unknown language '{given}' for {where}")
        return lang
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        loc = env.get(var, "").strip()
        if not loc:
            continue
        lang = _normal(loc)
        if lang is not None:
            return lang
        if var == "LC_ALL":  # LC_ALL set to another language overrides the rest
            break
    return DEFAULT


def use(lang: str) -> None:
    """Speak ``lang`` from now on (the CLI calls it once per command)."""
    global _lang
    if lang not in LANGS:
        raise UnknownLanguage(f"unknown language '{lang}'")
    _lang = lang


def current() -> str:
    """The language in use: the one set by :func:`use`, else the environment's."""
    if _lang is None:
        try:
            return resolve(None)
        except UnknownLanguage:
            return DEFAULT
    return _lang


# the catalogue's files: messages.toml, then the [[text]] entries of the problem messages and hints
FILES = ("messages.toml", "problems.toml")


def catalogue() -> dict[str, Any]:
    """messages.toml, with the ``[[text]]`` entries of every file of :data:`FILES` after its own."""
    global _catalogue
    if _catalogue is None:
        import tomllib
        from pathlib import Path

        here = Path(__file__).parent
        cat = tomllib.loads((here / FILES[0]).read_text("utf-8"))
        texts = list(cat.get("text", []))
        for name in FILES[1:]:
            texts += tomllib.loads((here / name).read_text("utf-8")).get("text", [])
        cat["text"] = texts
        _catalogue = cat
    return _catalogue


def help_texts() -> dict[str, str]:
    """help.toml: each --help text of the CLI (whitespace folded to one space) → its Chinese.

    Read only when a help is shown, so no other command pays for it."""
    import tomllib
    from pathlib import Path

    entries = tomllib.loads(Path(__file__).with_name("help.toml").read_text("utf-8"))["text"]
    return {" ".join(e["en"].split()): e["zh"] for e in entries}


def t(key: str, lang: str | None = None, **values: Any) -> str:
    """Message ``key`` in ``lang`` (default: the current one) with its placeholders filled.

    A message missing in zh falls back to en; an unknown key is shown as itself."""
    lang = lang or current()
    entry = catalogue().get(key)
    if not isinstance(entry, dict):
        return key
    text = entry.get(lang) or entry.get("en") or key
    if not values:
        return str(text)
    try:
        return str(text).format(**values)
    except (KeyError, IndexError, ValueError):
        return str(text)


def zh() -> bool:
    return current() == "zh"


_FIELD = re.compile(r"\{(\w+)\}")


def _compile(en: str) -> re.Pattern[str]:
    parts = _FIELD.split(en)
    out = []
    seen: set[str] = set()
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(re.escape(part))
            continue
        if part in seen:  # the same placeholder again: the same text again
            out.append(f"(?P={part})")
            continue
        seen.add(part)
        if part == "n" or part.startswith("n_"):  # a count: digits only (40,000 too), so "{n}. {w}" never eats prose
            out.append(rf"(?P<{part}>-?\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|-?\d+(?:\.\d+)?)")
        elif part == "mmdd":  # a list of days: 05-06, 05-08
            out.append(rf"(?P<{part}>\d\d-\d\d(?:, \d\d-\d\d)*)")
        elif part == "wcode":  # one code word: late_early
            out.append(rf"(?P<{part}>[A-Za-z_]+)")
        elif part == "amounts":  # money or money/money
            out.append(rf"(?P<{part}>[\d./]+)")
        elif part == "keypath":  # a rules.toml key: fines.late.amount (no space, so "{keypath}: …" takes no prose)
            out.append(rf"(?P<{part}>[^\s:'\"]+)")
        elif part == "quoted":  # a value a rules.toml problem quotes: never across a ": " (the key before it)
            out.append(rf"(?P<{part}>(?:(?!: ).)+?)")
        else:
            out.append(f"(?P<{part}>.+?)")
    return re.compile("".join(out) + r"\Z", re.S)


def _literal(en: str) -> int:
    return len(_FIELD.sub("", en))


def _entries() -> list[tuple[tuple[str, ...], str, str]]:
    """(fixed pieces of the English, zh template, English template) of every ``[[text]]`` entry: the
    ones with more fixed text first (``sheet {name} holds a table …`` before ``{f} holds {range}``), in
    file order among equals — a short generic entry never takes a longer text meant for another."""
    global _ordered
    if _ordered is None:
        entries = [e for e in catalogue().get("text", []) if e.get("en") and e.get("zh")]
        entries.sort(key=lambda e: -_literal(str(e["en"])))
        _ordered = [(tuple(sorted((p for p in _FIELD.split(str(e["en"]))[::2] if p), key=len, reverse=True)),
                     str(e["zh"]), str(e["en"])) for e in entries]
    return _ordered


def _pattern(en: str) -> re.Pattern[str]:
    rx = _compiled.get(en)
    if rx is None:
        rx = _compiled[en] = _compile(en)
    return rx


def _candidates(text: str) -> Iterator[tuple[re.Pattern[str], str, str]]:
    """The entries that could match ``text``, in order, each compiled when first needed: an entry
    whose fixed pieces are not all in the text cannot match it.  Compiling all ~800 patterns took
    40 ms of every command that printed a line in Chinese; a text is looked at by a few."""
    for pieces, zh_text, en in _entries():
        if all(p in text for p in pieces):
            yield _pattern(en), zh_text, en


def patterns() -> list[tuple[re.Pattern[str], str, str]]:
    """Every entry as (compiled English pattern, zh template, English template), in matching order."""
    return [(_pattern(en), zh_text, en) for _pieces, zh_text, en in _entries()]


Words = Mapping[str, str] | Callable[[str], str] | None


def word(w: str, words: Words) -> str:
    """A code or English label (``late_early``, ``complaint attitude``) in zh through ``words``."""
    if words is None:
        return w
    if callable(words):
        return words(w)
    return words.get(w, words.get(w.replace(" ", "_"), w))


def tr(text: str, lang: str | None = None, words: Words = None) -> str:
    """``text`` (English, as the program wrote it) in ``lang``: the first ``[[text]]`` pattern it
    matches, its placeholders filled with the pieces matched; unchanged when in en or unmatched.

    Placeholder kinds, by name: ``n``/``n_…`` a number; ``mmdd`` a list of days (05-06, 05-08);
    ``amounts`` money (10.00/20.00); ``wcode`` one code word; ``keypath`` a rules.toml key
    (fines.late.amount, no space); ``quoted`` a value it quotes, never across ": "; ``w…`` a code or label, mapped
    through ``words``; ``ws…`` a comma list of them; ``t…`` a text translated again, ``tl…`` a
    ``"; "`` list of such texts, ``tc…`` a ``", "`` list; anything else is copied as it is.
    """
    lang = lang or current()
    if lang == "en" or not text:
        return text
    if words is None:  # the vocabulary in use: a text already translated with it is looked up
        if _said_with != _words or len(_said) >= 20_000:
            _said.clear()
            _said_with.clear()
            _said_with.update(_words)
        key = (text, lang)
        done = _said.get(key)
        if done is None:
            done = _said[key] = _tr(text, lang, globals()["words"](), True)
        return done
    return _tr(text, lang, words, False)


# texts translated with the vocabulary in use, and the rulebook's words they were translated with
# (other words: forgotten): a validate run repeats one hint under 2,000 warnings, and each took a
# scan of ~800 patterns
_said: dict[tuple[str, str], str] = {}
_said_with: dict[str, str] = {}


def _tr(text: str, lang: str, words: Words, in_use: bool) -> str:
    """:func:`tr` itself; ``in_use``: ``words`` is the vocabulary in use, so the texts inside are
    translated (and remembered) as texts of their own."""
    inner = None if in_use else words
    for rx, zh_text, _en in _candidates(text):
        m = rx.match(text)
        if m is None:
            continue
        vals = {}
        for k, v in m.groupdict().items():
            if k.startswith("tl"):
                v = "；".join(tr(x.strip(), lang, inner) for x in v.split("; "))
            elif k.startswith("tc"):
                v = "、".join(tr(x.strip(), lang, inner) for x in v.split(", "))
            elif k.startswith("ws"):
                v = "、".join(word(x.strip(), words) for x in v.split(","))
            elif k.startswith("w"):
                v = word(v, words)
            elif k.startswith("t"):
                v = tr(v, lang, inner)
            vals[k] = v
        try:
            return zh_text.format(**vals)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def translated(text: str, lang: str = "zh") -> bool:
    """Whether a ``[[text]]`` entry matches ``text`` (tests, and the README's honest list)."""
    return any(rx.match(text) for rx, _z, _e in _candidates(text)) if text else True


_words: dict[str, str] = {}


def set_words(mapping: Mapping[str, str]) -> None:
    """The codes and English labels of the active rulebook with their zh labels (the CLI sets them
    once the rulebook is read; :func:`tr` uses them when given no ``words``)."""
    _words.clear()
    _words.update(mapping)


_base_words: dict[str, str] | None = None


def words() -> dict[str, str]:
    """The vocabulary in use: the catalogue's own words (levels, day types …) and the rulebook's."""
    global _base_words
    if _base_words is None:
        _base_words = {k.removeprefix("word."): str(v.get("zh", k)) for k, v in catalogue().items()
                       if k.startswith("word.") and isinstance(v, dict)}
    return {**_base_words, **_words} if _words else _base_words


def label(code: str, lang: str | None = None) -> str:
    """A code (a level, a status, a fine …) as a person reads it in ``lang``; unknown codes as they are."""
    lang = lang or current()
    if lang == "en":
        entry = catalogue().get(f"word.{code}")
        return str(entry.get("en", code)) if isinstance(entry, dict) else code
    return words().get(code, code)


# ---------------------------------------------------------------- laying text out by screen cells
_NO_LINE_START = set("，。、；：！？）》」』】〕”’,.;:!?)]}%")  # stays with what comes before it
_NO_LINE_END = set("（《「『【〔“‘([{§")  # stays with what comes after it


def cells(text: str) -> int:
    """Screen columns ``text`` takes: a Chinese (wide) character two, a combining mark none."""
    import unicodedata

    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


def wrap_cells(text: str, width: int, initial: str = "", subsequent: str = "", cjk_breaks: bool = True) -> list[str]:
    """``text`` broken into lines of at most ``width`` screen cells (indents included).

    textwrap counts characters and breaks only at spaces; Chinese has no spaces and each character
    takes two cells.  Here a line breaks at a space or between two Chinese characters, never before
    a closing mark (，。）) or after an opening one (（“), and a word longer than a line is cut.
    ``cjk_breaks=False`` keeps a run of Chinese whole, as English prose quoting a statute wants."""
    import unicodedata

    def wide(ch: str) -> bool:
        return unicodedata.east_asian_width(ch) in "WF"

    tokens: list[tuple[bool, str]] = []  # (a space before it, the unbreakable piece)
    space = False
    for ch in text:
        if ch.isspace():
            space = True
            continue
        prev = tokens[-1][1] if tokens else ""
        joined = (not space and prev and ((not wide(ch) and not wide(prev[-1])) or not cjk_breaks)) or \
            (ch in _NO_LINE_START and prev) or (prev and prev[-1] in _NO_LINE_END)
        if joined:  # a closing mark stays with what comes before it, even across a space
            tokens[-1] = (tokens[-1][0], prev + (" " if space else "") + ch)
        else:
            tokens.append((space, ch))
        space = False
    lines: list[str] = []
    line, used, has = initial, cells(initial), False
    for sp, piece in tokens:
        gap = " " if sp and has else ""
        need = cells(gap) + cells(piece)
        if has and used + need > width:
            lines.append(line)
            line, used, has, gap = subsequent, cells(subsequent), False, ""
        while used + cells(piece) > width and len(piece) > 1:  # longer than a line: cut it
            room = width - used - cells(gap)
            k = 1
            while k < len(piece) and cells(piece[:k + 1]) <= room:
                k += 1
            lines.append(line + gap + piece[:k])
            piece = piece[k:]
            line, used, gap = subsequent, cells(subsequent), ""
        line += gap + piece
        used += cells(gap) + cells(piece)
        has = True
    if has or not lines:
        lines.append(line)
    return lines
