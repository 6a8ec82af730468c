"""Rich tables for a terminal; plain text when stdout is not one."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cs_rules.api import ValidationResult
    from cs_rules.rulebook import Rulebook

LEVEL_STYLE = {"ok": "green", "warning": "yellow", "penalty": "red", "severe": "bold red"}
NUMERIC = {"base_salary", "daily_rate", "workdays", "attended_days", "late_count", "early_leave_count",
           "missing_punch_count", "absent_days", "personal_leave_days", "sick_leave_days", "paid_leave_days",
           "base_pay", "absence_penalty", "performance_pay", "bonus_total", "fines_total", "score", "net_pay",
           "amount", "points"}


def _console(file: Any = None) -> Any:
    from rich.console import Console

    return Console(file=file, highlight=False, soft_wrap=False)


def render_table(title: str, header: list[str], rows: list[list[Any]], totals: list[Any] | None = None,
                 output: Path | None = None) -> None:
    from rich.table import Table
    from rich.text import Text

    t = Table(title=title, show_lines=False, header_style="bold", title_justify="left")
    for h in header:
        t.add_column(h, justify="right" if h in NUMERIC else "left", no_wrap=h in ("name", "flags"))
    for row in rows:
        cells = []
        for h, v in zip(header, row):
            text = Text("" if v is None else str(v))
            if h in ("score_level", "level"):
                text.stylize(LEVEL_STYLE.get(str(v), ""))
            elif h == "flags" and v:
                text.stylize("magenta")
            cells.append(text)
        t.add_row(*cells)
    if totals:
        t.add_section()
        t.add_row(*[Text(str(v), style="bold") for v in totals])
    if output is not None:
        import io

        from cs_rules.reports.output import atomic_write

        buf = io.StringIO()
        c = _console(buf)
        c.width = 250
        c.print(t)
        data = buf.getvalue().encode("utf-8")
        atomic_write(output, lambda fh: fh.write(data))
        return
    _console().print(t)


def render_validation(result: ValidationResult) -> None:
    """Every problem as ``file:row:column: what — what to do``, then a summary line."""
    probs = result.data.problems.items
    out = sys.stdout
    for p in probs:
        out.write(f"{p.severity}: {p.format()}\n")
    n_err = sum(p.severity == "error" for p in probs)
    n_warn = sum(p.severity == "warning" for p in probs)
    files = len(result.data.files)
    rows = sum(f.rows for f in result.data.files)
    verdict = "OK" if n_err == 0 else "FAILED"
    out.write(f"{verdict}: {files} file(s), {rows} row(s) checked: {n_err} error(s), {n_warn} warning(s)\n")


def render_rulebook(book: Rulebook) -> None:
    from rich.table import Table

    t = Table(title=f"Active rulebook ({' + '.join(book.sources)})", title_justify="left")
    t.add_column("key", no_wrap=True)
    t.add_column("value")
    t.add_column("rule (seed clause)")

    def walk(node: dict[str, Any], prefix: str, cite: str) -> None:
        cite = str(node.get("rule", cite))
        own = node.get("cite", {})
        for k, v in node.items():
            if k in ("rule", "cite"):
                continue
            key = f"{prefix}.{k}" if prefix else k
            if isinstance(v, dict):
                walk(v, key, cite)
            else:
                t.add_row(key, str(v), str(own.get(k, cite)))

    walk(book.data, "", "")
    _console().print(t)
