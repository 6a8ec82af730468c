"""Corrupt a data folder in the ways clerks and exports do, and check that cs-rules never crashes
and never changes pay without a word (issue 15, "the fuzz runs extended").

    .venv/bin/python scripts/fuzz.py [--cases 300] [--seed 1] [--data sample_data] [--month 2024-05]
                                     [--keep DIR]

Each case copies the data folder, applies one mutation to one of its tables (the CSV sign-ins,
the leave and violation CSVs, the XLSX sign-in sheet) and runs ``validate --data`` and
``payroll MONTH --format csv`` in-process.  A case fails when:

* any run ends in exit 3, a traceback or an "internal error" (a bug);
* an exit code is not 0, 1 or 2;
* a run with exit 1 prints an error that names no file (``file[:sheet]:row:column: …``);
* a *neutral* mutation (the same table re-encoded, re-quoted, with other line ends, its
  columns in another order, saved as a workbook …) changes a single byte of the payroll, or
  turns a payroll that ran into a refusal: the same facts must give the same pay.

A hostile mutation (ragged rows, lone quotes, NUL bytes, flipped bytes, a cut-off file, a
duplicated column, Big5 text, impossible dates and times, huge numbers …) may refuse or warn;
it may change pay only with at least one warning or error said (except rows taken away from an
optional table: an awards file emptied is a month without awards).  `make fuzz` runs 300 cases;
tests/test_fuzz.py runs a small fixed sample in CI, plus a canary showing the harness does
catch a crash.  Failing cases are kept under --keep for replay.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

Mutation = Callable[[random.Random, bytes], bytes]
# an error names its file (and sheet, row and column where it has them): `signin/x.xlsx[考勤]:51:date: …`
LOCATED = re.compile(r"^error: \S*\.(csv|tsv|xlsx|xls|txt|toml|dat)(\[[^\]]*\])?(:\d+)?(:[^:]*)?: ", re.I)


# ------------------------------------------------------------------------------- text helpers
def _decode(raw: bytes) -> tuple[str, str]:
    """The text of a table and the encoding it came in (the sample's own files are UTF-8 or GBK)."""
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "latin-1"


def _lines(raw: bytes) -> tuple[list[str], str]:
    text, enc = _decode(raw)
    return text.replace("\r\n", "\n").rstrip("\n").split("\n"), enc


def _join(lines: list[str], enc: str, end: str = "\n") -> bytes:
    return (end.join(lines) + end).encode("gb18030" if enc == "gb18030" else "utf-8", errors="replace")


def _row(rng: random.Random, lines: list[str]) -> int:
    return rng.randrange(1, len(lines)) if len(lines) > 1 else 0


# --------------------------------------------------------------------------- neutral mutations
def as_gbk(rng: random.Random, raw: bytes) -> bytes:
    text, _ = _decode(raw)
    return text.encode("gb18030")


def as_utf8_bom(rng: random.Random, raw: bytes) -> bytes:
    text, _ = _decode(raw)
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def as_utf16(rng: random.Random, raw: bytes) -> bytes:
    text, _ = _decode(raw)
    return text.encode("utf-16")  # with its BOM, as Excel's "Unicode text" writes it


def crlf(rng: random.Random, raw: bytes) -> bytes:
    lines, enc = _lines(raw)
    return _join(lines, enc, "\r\n")


def cr_only(rng: random.Random, raw: bytes) -> bytes:
    lines, enc = _lines(raw)
    return _join(lines, enc, "\r")  # old Excel for Mac


def quote_all(rng: random.Random, raw: bytes) -> bytes:
    lines, enc = _lines(raw)
    return _join(['"' + '","'.join(ln.split(",")) + '"' for ln in lines], enc)


def shuffle_columns(rng: random.Random, raw: bytes) -> bytes:
    lines, enc = _lines(raw)
    cells = [ln.split(",") for ln in lines]
    width = len(cells[0])
    order = list(range(width))
    rng.shuffle(order)
    return _join([",".join(r[j] if j < len(r) else "" for j in order) for r in cells], enc)


def trailing_blank_lines(rng: random.Random, raw: bytes) -> bytes:
    lines, enc = _lines(raw)
    return _join(lines + [""] * rng.randint(1, 4), enc)


def shuffle_rows(rng: random.Random, raw: bytes) -> bytes:
    lines, enc = _lines(raw)
    body = lines[1:]
    rng.shuffle(body)
    return _join([lines[0], *body], enc)


# -------------------------------------------------------------------------- hostile mutations
def ragged_row(rng: random.Random, raw: bytes) -> bytes:
    lines, enc = _lines(raw)
    i = _row(rng, lines)
    cells = lines[i].split(",")
    if rng.random() < 0.5 and len(cells) > 1:
        cells.pop(rng.randrange(len(cells)))
    else:
        cells.insert(rng.randrange(len(cells) + 1), "多余")
    lines[i] = ",".join(cells)
    return _join(lines, enc)


def lone_quote(rng: random.Random, raw: bytes) -> bytes:
    lines, enc = _lines(raw)
    i = _row(rng, lines)
    cells = lines[i].split(",")
    j = rng.randrange(len(cells))
    cells[j] = '"' + cells[j]
    lines[i] = ",".join(cells)
    return _join(lines, enc)


def nul_bytes(rng: random.Random, raw: bytes) -> bytes:
    at = rng.randrange(len(raw))
    return raw[:at] + b"\x00" * rng.randint(1, 64) + raw[at:]


def flip_bytes(rng: random.Random, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 6)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def cut_off(rng: random.Random, raw: bytes) -> bytes:
    return raw[: rng.randrange(1, max(2, len(raw)))]


def duplicate_column(rng: random.Random, raw: bytes) -> bytes:
    lines, enc = _lines(raw)
    cells = [ln.split(",") for ln in lines]
    j = rng.randrange(len(cells[0]))
    return _join([",".join([*r, r[j] if j < len(r) else ""]) for r in cells], enc)


def big5_text(rng: random.Random, raw: bytes) -> bytes:
    text, _ = _decode(raw)
    return text.encode("big5", errors="replace")


def bad_cell(rng: random.Random, raw: bytes) -> bytes:
    """One cell replaced by something a clerk or an export might leave there."""
    lines, enc = _lines(raw)
    i = _row(rng, lines)
    cells = lines[i].split(",")
    j = rng.randrange(len(cells))
    cells[j] = rng.choice([
        "2024-02-30", "0024/5/6", "2024-13-01", "25:61", "23:59:60", "-08:30", "1e30", "9" * 40, "NaN",
        "#VALUE!", "=1+1", "\x1b[31m红\x1b[0m", "王[/b]芳", "13812345678", "  ", "—", "08：30", "8.30",
        "2024年5月32日", "１８：００", "\u202e", "x" * 5000,
    ])
    lines[i] = ",".join(cells)
    return _join(lines, enc)


def duplicate_row(rng: random.Random, raw: bytes) -> bytes:
    lines, enc = _lines(raw)
    i = _row(rng, lines)
    lines.insert(i, lines[i])
    return _join(lines, enc)


def header_only(rng: random.Random, raw: bytes) -> bytes:
    lines, enc = _lines(raw)
    return _join(lines[:1], enc)


def empty(rng: random.Random, raw: bytes) -> bytes:
    return b""


NEUTRAL: dict[str, Mutation] = {f.__name__: f for f in (
    as_gbk, as_utf8_bom, as_utf16, crlf, cr_only, quote_all, shuffle_columns, trailing_blank_lines, shuffle_rows)}
HOSTILE: dict[str, Mutation] = {f.__name__: f for f in (
    ragged_row, lone_quote, nul_bytes, flip_bytes, cut_off, duplicate_column, big5_text, bad_cell, duplicate_row,
    header_only, empty)}
# mutations that only take rows away: from an optional table (awards, violations, leave) that is a
# month with fewer of them, not a damaged file; from the sign-ins the coverage checks must speak
REMOVES_FACTS = {"header_only", "empty", "cut_off"}
SHEET_MUTATIONS = ("as_workbook", "workbook_two_sheets", "workbook_hidden_copy", "workbook_bad_cell")


# ------------------------------------------------------------------------------ workbook shapes
def _csv_rows(raw: bytes) -> list[list[str]]:
    import csv

    text, _ = _decode(raw)
    return list(csv.reader(io.StringIO(text)))


def write_workbook(path: Path, rows: list[list[str]], how: str, rng: random.Random) -> None:
    """The CSV's rows as a workbook: whole, split over two sheets under one header, with a hidden
    copy of every row (skipped with a warning), or with one cell made a formula / an error."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "考勤"
    header, body = rows[0], rows[1:]
    if how == "workbook_two_sheets":
        half = len(body) // 2
        for r in [header, *body[:half]]:
            ws.append(r)
        second = wb.create_sheet("考勤2")
        for r in [header, *body[half:]]:
            second.append(r)
    else:
        for r in rows:
            ws.append(r)
    if how == "workbook_hidden_copy":
        hidden = wb.create_sheet("旧表")
        for r in rows:
            hidden.append(r)
        hidden.sheet_state = "hidden"
    if how == "workbook_bad_cell" and body:
        i = rng.randrange(len(body)) + 2
        j = rng.randrange(len(header)) + 1
        ws.cell(i, j).value = rng.choice(["=NOW()", "#N/A", 45000.5, -1, "2024-02-30"])
    wb.save(path)


# ------------------------------------------------------------------------------------- running
@dataclass
class Run:
    args: list[str]
    code: int
    stdout: str
    stderr: str


@dataclass
class Case:
    n: int
    mutation: str
    target: str
    neutral: bool
    runs: list[Run] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def run_cli(args: list[str]) -> Run:
    from typer.testing import CliRunner

    from cs_rules.cli import app

    res = CliRunner().invoke(app, args)
    stderr = res.stderr
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        import traceback

        stderr += "\nTraceback (harness):\n" + "".join(traceback.format_exception(res.exception))
    return Run(args, res.exit_code, res.stdout, stderr)


def _targets(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix.lower() == ".csv" and p.is_file())


def _payroll_args(root: Path, month: str) -> list[str]:
    return ["payroll", month, "--data", str(root), "--format", "csv", "--lang", "en"]


def judge(case: Case, baseline: Run | None) -> None:
    for r in case.runs:
        text = r.stdout + r.stderr
        what = " ".join(r.args[:2])
        if "Traceback" in text or "internal error" in text or r.code == 3:
            case.failures.append(f"{what}: crash (exit {r.code}): {text[-600:]}")
        elif r.code not in (0, 1, 2):
            case.failures.append(f"{what}: exit {r.code}")
        elif r.code == 1:
            errors = [ln for ln in r.stderr.splitlines() if ln.startswith("error: ")]
            unlocated = [ln for ln in errors if not LOCATED.search(ln)]
            if unlocated:
                case.failures.append(f"{what}: an error that names no file: {unlocated[0][:300]}")
    pay = case.runs[-1]
    if baseline is None or not pay.args or pay.args[0] != "payroll":
        return
    said = any(ln.startswith(("error: ", "warning: ")) for ln in pay.stderr.splitlines())
    if case.neutral:
        if pay.code != baseline.code:
            case.failures.append(f"neutral {case.mutation} turned payroll exit {baseline.code} into {pay.code}: "
                                 f"{pay.stderr[-400:]}")
        elif pay.stdout != baseline.stdout:
            diff = _first_diff(baseline.stdout, pay.stdout)
            case.failures.append(f"neutral {case.mutation} changed the payroll: {diff}")
    elif case.mutation in REMOVES_FACTS and not case.target.startswith("signin"):
        return  # an emptied awards or violations file is "none this month": pay may change, said or not
    elif pay.code == 0 and pay.stdout != baseline.stdout and not said:
        diff = _first_diff(baseline.stdout, pay.stdout)
        case.failures.append(f"{case.mutation} changed pay without a warning: {diff}")


def _first_diff(a: str, b: str) -> str:
    for x, y in zip(a.splitlines(), b.splitlines(), strict=False):
        if x != y:
            return f"\n  before: {x}\n  after:  {y}"
    return "(line counts differ)"


def fuzz(data: Path, month: str, cases: int, seed: int, keep: Path | None = None,
         log: Callable[[str], None] = print) -> list[Case]:
    """Run ``cases`` mutations of ``data`` (see the module's docstring); return the cases that failed."""
    rng = random.Random(seed)
    failed: list[Case] = []
    with tempfile.TemporaryDirectory(prefix="cs-rules-fuzz-") as tmp:
        base = Path(tmp) / "base"
        shutil.copytree(data, base)
        baseline = run_cli(_payroll_args(base, month))
        if baseline.code != 0:
            raise SystemExit(f"the unmutated folder does not pay: {baseline.stderr[-400:]}")
        targets = [p.relative_to(base) for p in _targets(base)]
        names = list(NEUTRAL) + list(HOSTILE) + list(SHEET_MUTATIONS)
        for n in range(cases):
            mutation = names[n % len(names)] if n < len(names) else rng.choice(names)
            rel = rng.choice(targets)
            root = Path(tmp) / f"case{n}"
            shutil.copytree(base, root)
            target = root / rel
            neutral = mutation in NEUTRAL or mutation in ("as_workbook", "workbook_two_sheets")
            if mutation in SHEET_MUTATIONS:
                signins = [t for t in targets if t.parts[0] == "signin"]
                rel = rng.choice(signins) if signins else rel
                target = root / rel
                rows = _csv_rows(target.read_bytes())
                target.unlink()
                target = target.with_suffix(".xlsx")
                write_workbook(target, rows, mutation, rng)
            else:
                target.write_bytes(NEUTRAL.get(mutation, HOSTILE.get(mutation))(rng, target.read_bytes()))  # type: ignore[misc]
            # a neutral change of a file that feeds no month of this payroll cannot show in it, and
            # the hidden copy is a warning: neither may move pay, so both are judged as neutral
            case = Case(n, mutation, str(rel), neutral or mutation == "workbook_hidden_copy")
            case.runs.append(run_cli(["validate", "--data", str(root), "--lang", "en"]))
            case.runs.append(run_cli(_payroll_args(root, month)))
            judge(case, baseline)
            if case.failures:
                failed.append(case)
                if keep is not None:
                    dest = keep / f"case{n}-{mutation}"
                    shutil.rmtree(dest, ignore_errors=True)
                    shutil.copytree(root, dest)
                    (dest / "FAILURE.txt").write_text("\n".join(case.failures), "utf-8")
                log(f"FAIL case {n} {mutation} on {rel}:\n  " + "\n  ".join(case.failures))
            shutil.rmtree(root, ignore_errors=True)
    return failed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", type=Path, default=ROOT / "sample_data")
    ap.add_argument("--month", default="2024-05")
    ap.add_argument("--keep", type=Path, default=None, help="copy each failing case's folder here")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    failed = fuzz(a.data, a.month, a.cases, a.seed, a.keep)
    print(f"{a.cases} cases (seed {a.seed}) in {time.perf_counter() - t0:.0f} s: {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
