"""The layers of cs_rules import only downwards, and no module imports itself round a circle.

Every import counts — at module level, inside functions and under TYPE_CHECKING —
because each one is a dependency a reader has to hold in mind.  The order is the
one the README's layout table gives: problems and arrays at the bottom, the CLI
on top.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "cs_rules"

# bottom to top; a module may import its own layer and the layers below it
LAYERS = [
    ("cs_rules.problems", "cs_rules.arrays", "cs_rules.i18n"),
    ("cs_rules.model",),
    ("cs_rules.rulebook",),
    ("cs_rules.loading",),
    ("cs_rules.rules",),
    ("cs_rules.engine",),
    ("cs_rules.review",),
    ("cs_rules.reports",),
    ("cs_rules.api",),
    ("cs_rules.cli", "cs_rules.launch", "cs_rules.__main__", "cs_rules"),
]


def layer_of(module: str) -> int:
    best = -1
    for i, prefixes in enumerate(LAYERS):
        for p in prefixes:
            if module == p or module.startswith(p + ".") and p != "cs_rules":
                best = i
    if best < 0 and module == "cs_rules":
        return len(LAYERS) - 1
    assert best >= 0, f"{module} is in no layer: add it to LAYERS"
    return best


def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The cs_rules modules ``name`` imports (``from a.b import c`` counts a.b.c when it is a module)."""
    tree = ast.parse(path.read_text("utf-8"))
    is_pkg = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("cs_rules")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if not mod.startswith("cs_rules"):
                continue
            subs = {f"{mod}.{a.name}" for a in node.names if f"{mod}.{a.name}" in known}
            found |= subs or {mod}
    found.discard(name)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {m: {i for i in imports(m, p, known) if i in known} for m, p in mods.items()}


def test_imports_point_down() -> None:
    upward = [f"{m} (layer {layer_of(m)}) imports {i} (layer {layer_of(i)})"
              for m, deps in sorted(graph().items()) for i in sorted(deps) if layer_of(i) > layer_of(m)]
    assert not upward, "\n".join(upward)


def test_no_import_circle() -> None:
    g = graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    circles: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for d in sorted(g[m]):
            if m.startswith(d + "."):
                continue  # a module and its own package's __init__ (re-exports) are one unit
            if state.get(d) == 1:
                circles.append(" → ".join(stack[stack.index(d):] + [d]))
            elif d not in state:
                visit(d)
        stack.pop()
        state[m] = 2

    for m in sorted(g):
        if m not in state:
            visit(m)
    assert not circles, "\n".join(circles)


def test_the_engine_and_below_import_neither_typer_nor_rich() -> None:
    bad = []
    for name, path in modules().items():
        if layer_of(name) > layer_of("cs_rules.review"):
            continue
        text = path.read_text("utf-8")
        for lib in ("typer", "rich"):
            if f"import {lib}" in text or f"from {lib}" in text:
                bad.append(f"{name} imports {lib}")
    assert not bad, bad
