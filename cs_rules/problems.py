"""Problems found in input data, with the place a person can go and fix them.

Every loader and validator reports through :class:`Problem` so that the CLI has
exactly one error format: ``file:row:column: what is wrong — what to do``.
Validators *collect* problems (beancount style) instead of raising on the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth knowing) about one place in one input file.

    ``row`` is the row number a spreadsheet shows (header row = 1); 0 means the
    problem concerns the whole file.  ``column`` is the header text as written in
    the file when known, else the canonical column name; "" for whole-row/file.
    """

    file: str
    row: int
    column: str
    code: str
    message: str
    hint: str = ""
    severity: Severity = "error"
    sheet: str = ""

    def location(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts[0] = f"{self.file}[{self.sheet}]"
        if self.row:
            parts.append(str(self.row))
        if self.column:
            parts.append(self.column)
        return ":".join(parts)

    def format(self, lang: str | None = None) -> str:
        """One line, whatever the data holds: control characters (an escape sequence, a newline in a
        file name that would forge an ``error:`` line) are shown escaped, never sent to the terminal.

        In Chinese (``lang`` or the language in use) the message and the hint are shown through the
        catalogue (:func:`cs_rules.i18n.tr`, matched by their English text); JSON keeps the English."""
        from cs_rules import i18n

        lang = lang or i18n.current()
        message, hint = (self.message, self.hint) if lang == "en" else \
            (i18n.tr(self.message, lang), i18n.tr(self.hint, lang))
        text = f"{self.location()}: {message}"
        if hint:
            text += f" — {hint}"
        return visible(text)

    def line(self, lang: str | None = None) -> str:
        """``error: file:row:column: what — what to do`` (``错误：…`` in Chinese)."""
        from cs_rules import i18n

        return f"{i18n.t('severity.' + self.severity, lang)}{self.format(lang)}"

    def as_json(self) -> dict[str, object]:
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "message": self.message if not self.hint else f"{self.message} — {self.hint}",
        }


_CONTROL = None


def visible(text: str, keep: str = "") -> str:
    """``text`` with C0/C1 control characters (but those in ``keep``) written as ``\\x1b``: a cell or a
    file name can hold an escape sequence that would recolour, hide or rewrite the terminal."""
    global _CONTROL
    import re

    if _CONTROL is None:
        _CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: m.group() if m.group() in keep else f"\\x{ord(m.group()):02x}", text)


_PERSONAL = None


def mask_personal(text: str) -> str:
    """Phone and ID numbers (篇3: confidential) with all but the last four digits hidden: a cell
    quoted in a message may hold one when a row is shifted (a phone number read as a salary)."""
    global _PERSONAL
    import re

    if _PERSONAL is None:
        # a mainland mobile number, or an 18/15-digit resident ID, not inside a longer number
        _PERSONAL = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|\d{17}[\dXx]|\d{15})(?![\dXx])")
    return _PERSONAL.sub(lambda m: "*" * (len(m.group()) - 4) + m.group()[-4:], text)


@dataclass
class ProblemLog:
    """An append-only collection of problems, grouped by file on output."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def error(self, file: str, row: int, column: str, code: str, message: str,
              hint: str = "", sheet: str = "") -> None:
        self.items.append(Problem(file, row, column, code, message, hint, "error", sheet))

    def warning(self, file: str, row: int, column: str, code: str, message: str,
                hint: str = "", sheet: str = "") -> None:
        self.items.append(Problem(file, row, column, code, message, hint, "warning", sheet))

    def extend(self, problems: list[Problem] | ProblemLog) -> None:
        self.items.extend(problems.items if isinstance(problems, ProblemLog) else problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.items)


class UsageError(Exception):
    """A mistake in how the command was called (exit code 2): bad MONTH, unknown
    employee, missing folder, uncovered calendar year.  ``hint`` says what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def format(self, lang: str | None = None) -> str:
        from cs_rules import i18n

        message, hint = (i18n.tr(self.message, lang), i18n.tr(self.hint, lang))
        return f"{message} — {hint}" if hint else message


class DataError(Exception):
    """The input data has errors (exit code 1); carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the data")
        self.problems = problems
