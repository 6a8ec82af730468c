"""Every English problem and hint text cs-rules can write, read from its source (issue 16 §1, "Chinese first").

The texts of a problem line (``file:row:column: what is wrong — what to do``) are written in English where
the problem is made and translated on a Chinese terminal by the ``[[text]]`` entries of the catalogue
(cs_rules/i18n/messages.toml, problems.toml).  This walks the syntax tree of the package and collects the
message and hint of every call that makes one — ``Problem(...)``, ``UsageError(...)``, a ``ProblemLog``'s
``error``/``warning``, and the loaders' and the rulebook's helpers that build a Problem — with each f-string
field as a ``{placeholder}``, every branch of a conditional expression as its own text, a variable traced
to what is assigned to it in the function.  A text it cannot resolve (a parameter passed on, an
exception's message) is listed in :func:`unresolved`; it is translated where it is made.

Run it to see the inventory and what is not translated yet::

    python tests/problem_texts.py           # counts
    python tests/problem_texts.py --missing # every text without zh, with its place
"""

from __future__ import annotations

import ast
import itertools
import re
import sys
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "cs_rules"

# callee name -> (message position, hint position, least number of positional arguments): the calls
# that make a problem, and where their texts go (keywords ``message=``/``hint=`` are read too)
MAKERS: dict[str, tuple[int | None, int | None, int]] = {
    "Problem": (4, 5, 5),
    "UsageError": (0, 1, 1),
    "error": (4, 5, 5),        # ProblemLog.error(file, row, column, code, message, hint)
    "warning": (4, 5, 5),      # ProblemLog.warning(...)
    "problem": (2, 3, 3),      # loading.vendors.cells.problem(src, code, message, hint)
    "_problem": (2, 3, 4),     # loading.sources._problem(src, code, message, hint)
    "report": (3, 4, 5),       # loading.tables._Table.report(mask, canon, code, message, hint)
    "bounded": (None, 5, 6),   # loading.tables._Table.bounded(canon, values, lo, hi, what, hint)
    "add": (3, 4, 5),          # rulebook._Validator.add(section, key, code, message, hint)
    "bad_cells": (7, 8, 9),    # loading.vendors.cells.bad_cells(…, code, what, hint): "{what} '{cell}'"
    "LineIssue": (2, 3, 4),    # loading.text: a row in another encoding (line, at, message, hint)
    "Decoded": (None, None, 0),  # loading.text: note= is said as a warning
    "UnknownLanguage": (0, None, 1),  # i18n: --lang or $CS_RULES_LANG neither zh nor en
}
# makers known by a common name only count in their own module
ONLY_IN = {"add": "cs_rules/rulebook/", "report": "cs_rules/loading/"}
# functions whose returned texts become a problem's message (the rulebook's "{path}: {msg}")
RETURNS = {"cs_rules/rulebook/__init__.py": {"_money_problem", "_check_value", "_out_of_bounds"}}
# keywords that carry a text, and which
KEYWORDS = {"message": "message", "hint": "hint", "note": "message"}
# texts made where no maker is called: (text, where)
EXTRA = [
    # loading/workbooks.read_xls returns the reason as text; sources._open_workbook says "is not read: {book}"
    ("a damaged Excel 97–2003 workbook ({name}: {exc})", "cs_rules/loading/workbooks.py"),
]
# names and attributes that only pass a text on (the places that write it are collected instead):
# a helper's parameter, another problem's message, a formatted problem, an exception's text
PASSED_ON = {"message", "hint", "msg", "text", "note", "format", "str"}


@dataclass(frozen=True)
class Text:
    text: str      # English, with {placeholders}
    kind: str      # "message" or "hint"
    where: str     # cs_rules/…/file.py:line

    def skeleton(self) -> str:
        return skeleton(self.text)


_FIELD = re.compile(r"\{[^{}]*\}")


def skeleton(text: str) -> str:
    """The text with every placeholder as ``{}`` (names differ between the source and the catalogue)."""
    return _FIELD.sub("{}", text)


def _name(expr: ast.expr) -> str:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "len":
        return "n"
    if isinstance(expr, ast.Subscript):
        return _name(expr.value)
    if isinstance(expr, ast.Call):
        return _name(expr.func)
    return "x"


class _Resolver:
    """Every text an expression can be, as templates; None when it cannot tell."""

    def __init__(self, func: ast.AST | None) -> None:
        self.assigned: dict[str, list[ast.expr]] = {}
        self.params: set[str] = set()
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            a = func.args
            self.params = {p.arg for p in [*a.posonlyargs, *a.args, *a.kwonlyargs]}
        if func is not None:
            for node in ast.walk(func):
                if isinstance(node, ast.Assign):
                    for tgt in node.targets:
                        if isinstance(tgt, ast.Name):
                            self.assigned.setdefault(tgt.id, []).append(node.value)
                        elif isinstance(tgt, ast.Tuple) and isinstance(node.value, ast.Tuple):
                            for t, v in zip(tgt.elts, node.value.elts):
                                if isinstance(t, ast.Name):
                                    self.assigned.setdefault(t.id, []).append(v)
                elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
                    self.assigned.setdefault(node.target.id, []).append(node.value)

    def texts(self, expr: ast.expr, depth: int = 0) -> list[str] | None:
        if depth > 6:
            return None
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return [expr.value]
        if isinstance(expr, ast.JoinedStr):
            parts: list[list[str]] = []
            for v in expr.values:
                if isinstance(v, ast.Constant):
                    parts.append([str(v.value)])
                elif isinstance(v, ast.FormattedValue):
                    inner = v.value
                    if isinstance(inner, ast.IfExp):  # f"{'person' if n == 1 else 'people'}"
                        got = self.texts(inner, depth + 1)
                        if got is not None and all("{" not in g for g in got):
                            parts.append(got)
                            continue
                    if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                        parts.append([inner.value])
                        continue
                    field = "{" + _name(inner) + "}"
                    parts.append([f"'{field}'" if v.conversion == ord("r") else field])
            return ["".join(p) for p in itertools.product(*parts)]
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            left, right = self.texts(expr.left, depth + 1), self.texts(expr.right, depth + 1)
            if left is None and right is None:
                return None
            # a part that is no text of ours (", ".join(names)) is a placeholder
            left = left if left is not None else ["{" + _name(expr.left) + "}"]
            right = right if right is not None else ["{" + _name(expr.right) + "}"]
            return [a + b for a in left for b in right]
        if isinstance(expr, ast.IfExp):
            a, b = self.texts(expr.body, depth + 1), self.texts(expr.orelse, depth + 1)
            if a is None or b is None:
                return None
            return a + b
        if isinstance(expr, ast.Name):
            if expr.id in self.assigned:
                out: list[str] = []
                for value in self.assigned[expr.id]:
                    got = self.texts(value, depth + 1)
                    if got is None:
                        return None
                    out += got
                return out
            return None
        return None


def _callee(call: ast.Call) -> str | None:
    f = call.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        return f.attr
    return None


def _functions(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    """Each node of the module -> the innermost function that holds it (the module for top-level code)."""
    owner: dict[ast.AST, ast.AST] = {}

    def walk(node: ast.AST, func: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            here = child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else func
            owner[child] = here
            walk(child, here)

    walk(tree, tree)
    return owner


def scan() -> tuple[list[Text], list[str]]:
    """(every text found, the places whose text could not be resolved)."""
    texts: list[Text] = []
    unresolved: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).as_posix()
        tree = ast.parse(path.read_text("utf-8"))
        owner = _functions(tree)
        resolvers: dict[ast.AST, _Resolver] = {}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _callee(node)
            func = owner.get(node, tree)
            res = resolvers.setdefault(func, _Resolver(func if func is not tree else None))
            if (name == "append" and rel.endswith("workbooks.py") and len(node.args) == 1
                    and isinstance(node.args[0], ast.Tuple) and len(node.args[0].elts) == 3):
                # loading/workbooks: a sheet's problem as (sheet, message, hint)
                sheet_problem = node.args[0].elts
                for kind, expr in (("message", sheet_problem[1]), ("hint", sheet_problem[2])):
                    texts += [Text(t, kind, f"{rel}:{node.lineno}") for t in res.texts(expr) or []]
                continue
            if name not in MAKERS or not rel.startswith(ONLY_IN.get(name, "")):
                continue
            msg_at, hint_at, least = MAKERS[name]
            if len(node.args) + len(node.keywords) < least:
                continue
            for kind, at in (("message", msg_at), ("hint", hint_at)):
                expr: ast.expr | None = None
                if at is not None and at < len(node.args):
                    expr = node.args[at]
                for kw in node.keywords:
                    if KEYWORDS.get(kw.arg or "") == kind:
                        expr = kw.value
                if expr is None:
                    continue
                if isinstance(expr, ast.Starred):
                    continue
                got = res.texts(expr)
                where = f"{rel}:{node.lineno}"
                if got is None:
                    if _name(expr) in PASSED_ON:
                        continue
                    unresolved.append(f"{where}: {kind} {ast.unparse(expr)}")
                    continue
                if name == "bad_cells" and kind == "message":
                    got = [g + " '{cell}'" for g in got]
                texts += [Text(t, kind, where) for t in got if t.strip()]
        for func in ast.walk(tree):
            if isinstance(func, ast.FunctionDef) and func.name in RETURNS.get(rel, ()):
                res = _Resolver(func)
                for node in ast.walk(func):
                    if isinstance(node, ast.Return) and node.value is not None:
                        texts += [Text(t, "message", f"{rel}:{node.lineno}") for t in res.texts(node.value) or []
                                  if " " in t]
    texts += [Text(t, "message", where) for t, where in EXTRA]
    return texts, unresolved


def problem_texts() -> list[Text]:
    """Every distinct text (first place it is written), in source order."""
    seen: dict[str, Text] = {}
    for t in scan()[0]:
        seen.setdefault(t.text, t)
    return list(seen.values())


def unresolved() -> list[str]:
    return scan()[1]


def catalogue_skeletons() -> dict[str, str]:
    """skeleton of every [[text]] entry's en -> its zh (messages.toml, then problems.toml)."""
    from cs_rules import i18n

    out: dict[str, str] = {}
    for _rx, zh, en in i18n.patterns():
        out.setdefault(skeleton(en), zh)
    return out


def sample(t: Text | str, value: str = "7") -> str:
    """The text as the program could write it: every placeholder a number (a number fits every kind
    of placeholder but a list of days and a code word)."""
    text = t.text if isinstance(t, Text) else t
    return _FIELD.sub(lambda m: "05-06" if m.group(0) == "{mmdd}" else value, text)


def is_translated(t: Text) -> bool:
    """Whether a [[text]] entry says ``t`` in Chinese: the same text up to the placeholders' names, or
    an entry that matches it as written (``{year}-{mon}`` where the catalogue has ``{m}``)."""
    from cs_rules import i18n

    return t.skeleton() in catalogue_skeletons() or i18n.translated(sample(t))


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(PACKAGE.parent))
    texts = problem_texts()
    missing = [t for t in texts if not is_translated(t)]
    if "--missing" in argv:
        for t in missing:
            print(f"{t.where}\t{t.kind}\t{t.text}")
    if "--unresolved" in argv:
        print("\n".join(unresolved()))
    print(f"{len(texts)} texts ({sum(t.kind == 'message' for t in texts)} messages, "
          f"{sum(t.kind == 'hint' for t in texts)} hints), {len(texts) - len(missing)} translated, "
          f"{len(missing)} not; {len(unresolved())} places unresolved", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
