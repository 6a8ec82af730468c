"""The rules: one small, vectorised, cited function per rule, registered under its handler name.

A catalogue entry of the rulebook (``[fines.missing_punch] handler = "missing_punch"``)
names the function that applies it; the engine runs the entries of each kind in
rulebook order and calls each entry's function with the month's arrays and the
entry itself (its numbers, citation and labels).  Generic handlers serve a family:
``logged`` charges a fixed amount per logged event, so a new fine is one catalogue
entry and no code.

Kinds and what their functions return (see :mod:`cs_rules.rules.base`):

- ``status``: mutate the day grid's arrays in place (RULEBOOK §2);
- ``fine``, ``reward``, ``score``: :class:`~cs_rules.rules.base.Lines` for the ledgers;
- ``pay``: a :class:`~cs_rules.rules.base.PayLine` (fen per employee, signed);
- ``flag``: a boolean per employee;
- ``check``: month-level :class:`~cs_rules.problems.Problem` warnings;
- ``promotion``, ``demotion``: per employee, the criteria of one step (篇5), each met or not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

KINDS = ("status", "fine", "reward", "score", "pay", "flag", "check", "promotion", "demotion")


@dataclass(frozen=True)
class Rule:
    kind: str
    name: str
    fn: Callable[..., Any]
    after_flags: bool = False  # pay adjustments that read the flags (the floor, forfeiture)
    family: bool = False  # called once with every entry of this handler (in catalogue order), not per entry


REGISTRY: dict[tuple[str, str], Rule] = {}


def rule(kind: str, name: str | None = None, *, after_flags: bool = False,
         family: bool = False) -> Callable[[Any], Any]:
    """Register the decorated function as the handler ``name`` (default: its own name) of ``kind``."""
    assert kind in KINDS, kind

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        key = (kind, name or fn.__name__)
        assert key not in REGISTRY, f"handler {key} registered twice"
        REGISTRY[key] = Rule(kind, key[1], fn, after_flags, family)
        return fn

    return register


def handler(kind: str, name: str) -> Rule:
    load()
    try:
        return REGISTRY[(kind, name)]
    except KeyError:
        raise LookupError(f"no {kind} rule function named '{name}'") from None


def handlers(kind: str) -> list[str]:
    load()
    return [n for k, n in REGISTRY if k == kind]


def run(kind: str, book: Any, *args: Any) -> list[tuple[Any, Any]]:
    """Call the rules of ``kind`` in catalogue order: ``[(entry or entries, result)]``.

    A family handler is called once, at its first entry's place, with all its entries.
    """
    out: list[tuple[Any, Any]] = []
    done: set[str] = set()
    entries = book.entries(kind)
    for e in entries:
        r = handler(kind, e.handler)
        if r.family:
            if e.handler in done:
                continue
            done.add(e.handler)
            group = [x for x in entries if x.handler == e.handler]
            out.append((group, r.fn(*args, group, book)))
        else:
            out.append((e, r.fn(*args, e, book)))
    return out


def load() -> None:
    """Import the rule modules, which register their functions."""
    from cs_rules.rules import checks, fines, flags, pay, promotion, score, status  # noqa: F401
