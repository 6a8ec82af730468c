"""A progress bar on stderr for the steps that keep a clerk waiting (the 40,000-person workbook,
a folder of payslips): shown only on a terminal and only once the step has run a second, so
pipes, logs and quick runs stay clean.

The writers take a plain ``advance(n)`` callable and know nothing of rich: the bar is
drawn here, on the side of the screen.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Advance = Callable[[float], None]


def _nothing(n: float = 1) -> None:
    return None


@contextmanager
def shown_after(live: Any, delay: float) -> Iterator[None]:
    """Start ``live`` (a rich Status or Progress) once ``delay`` seconds have passed, unless the
    block is over by then; stop it at the end.  A quick step never flickers a bar or a spinner."""
    lock = threading.Lock()
    state = {"started": False, "done": False}

    def start() -> None:
        with lock:
            if not state["done"]:
                live.start()
                state["started"] = True

    timer = threading.Timer(delay, start)
    timer.daemon = True
    if delay <= 0:
        start()
    else:
        timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            if state["started"]:
                live.stop()


@contextmanager
def progress_bar(text: str, total: float, delay: float = 1.0, console: Any = None) -> Iterator[Advance]:
    """Yield ``advance(n)``; a bar ``text ━━━━━  42%  0:00:03`` appears after ``delay`` seconds.

    ``console``: draw on this rich console whatever it is (tests); by default on stderr, and
    only when stderr is a terminal."""
    if console is None:
        if not sys.stderr.isatty():
            yield _nothing
            return
        from rich.console import Console

        console = Console(stderr=True)
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
                   console=console, transient=True)
    task = bar.add_task(text, total=total)

    def advance(n: float = 1) -> None:
        bar.advance(task, n)

    with shown_after(bar, delay):
        yield advance
