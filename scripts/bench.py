#!/usr/bin/env python3
"""Speed and memory at company scale (``make bench``).

Generates a synthetic company (``scripts/synth.py``: 40,000 people, ~0.9–1M
sign-in rows for May 2024) in a temporary folder, then times each command as a
whole process — wall seconds (median of ``--runs``) and peak resident memory
(``ru_maxrss`` of that very child, collected with ``os.wait4``) — next to a
*floor*: a bare pandas/Arrow script that reads the same sign-in file, parses
dates and times, computes minutes late and groups by employee.

    .venv/bin/python scripts/bench.py [--employees 40000] [--runs 3] [--keep DIR] [--scale]

Prints one table and PASS/FAIL per target of the issue.  It is a measurement,
not a test: the exit status is 0 whatever the numbers (2 only for bad options).
A command slower than ``--timeout`` seconds is killed and reported as TIMEOUT.

Linux counts the parent's resident set at fork/exec time into the child's
``ru_maxrss``, so this script stays stdlib-only (about 10 MB) and generates the
data in a separate process (``synth.py --json``); numpy/pandas never enter it.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

MB = 1024 * 1024

FLOOR_SCRIPT = r'''
import sys

import pandas as pd
import pyarrow as pa

df = pd.read_csv(sys.argv[1], engine="pyarrow", dtype_backend="pyarrow")


def seconds(col):
    """Seconds since midnight; Arrow usually infers time32[s] already."""
    s = df[col]
    if isinstance(s.dtype, pd.ArrowDtype) and pa.types.is_time(s.dtype.pyarrow_dtype):
        arr = s.array._pa_array.cast(pa.time32("s")).cast(pa.int32())
        return pd.Series(pd.arrays.ArrowExtensionArray(arr), index=s.index)
    return pd.to_timedelta(s.astype("string")).dt.total_seconds()


date = pd.to_datetime(df["date"].astype("string") if not isinstance(df["date"].dtype, pd.ArrowDtype)
                      or not pa.types.is_date(df["date"].dtype.pyarrow_dtype) else df["date"])
sin = seconds("sign_in")
sout = seconds("sign_out")
late_s = (sin - 9 * 3600).clip(lower=0)
late_min = (late_s + 59) // 60
frame = pd.DataFrame({"employee_id": df["employee_id"], "date": date, "late_min": late_min,
                      "late": late_min > 0})
out = frame.groupby("employee_id", sort=False).agg(late_minutes=("late_min", "sum"), late_days=("late", "sum"))
sys.stdout.write(f"{len(df)} rows, {len(out)} employees, {int(out['late_days'].sum())} late days\n")
'''


# --------------------------------------------------------------------------
# running one process
# --------------------------------------------------------------------------
@dataclass
class Run:
    wall: float
    rss_mb: float
    rc: int | None  # None = timed out
    err: str = ""


@dataclass
class Result:
    label: str
    argv: list[str]
    rows: int | None  # sign-in rows the command chews through (None = not meaningful)
    runs: list[Run] = field(default_factory=list)

    @property
    def timed_out(self) -> bool:
        return any(r.rc is None for r in self.runs)

    @property
    def ok(self) -> bool:
        return bool(self.runs) and not self.timed_out and all(r.rc == 0 for r in self.runs)

    @property
    def wall(self) -> float | None:
        if not self.runs or self.timed_out:
            return None
        return statistics.median(r.wall for r in self.runs)

    @property
    def rss(self) -> float | None:
        return max((r.rss_mb for r in self.runs), default=None)

    @property
    def status(self) -> str:
        if self.timed_out:
            return "TIMEOUT"
        bad = sorted({r.rc for r in self.runs if r.rc != 0}, key=lambda c: c or 0)
        return "ok" if not bad else "exit " + ",".join(str(c) for c in bad)


def run_once(argv: list[str], cwd: Path, timeout: float, stdout_to: str = os.devnull) -> Run:
    """Run ``argv`` as its own process group; wall seconds and that child's peak RSS (os.wait4)."""
    with open(stdout_to, "wb") as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                             start_new_session=True)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4; keep Popen consistent
        # ru_maxrss is KiB on Linux, bytes on macOS
        rss = usage.ru_maxrss / (MB if sys.platform == "darwin" else 1024)
        err.seek(0)
        tail = err.read()[-600:].decode("utf-8", "replace").strip()
    return Run(wall, rss, None if killed.is_set() else p.returncode, tail)


def measure(res: Result, cwd: Path, runs: int, timeout: float, stdout_to: str = os.devnull) -> Result:
    print(f"  {res.label:<34}", end="", flush=True)
    for _ in range(runs):
        r = run_once(res.argv, cwd, timeout, stdout_to)
        res.runs.append(r)
        print(" TIMEOUT" if r.rc is None else f" {r.wall:.2f}s", end="", flush=True)
        if r.rc is None:  # no point waiting that long again
            break
    print(f"  [{res.status}]" if res.status != "ok" else "", flush=True)
    if res.status != "ok":
        last = next((r.err for r in reversed(res.runs) if r.err), "")
        if last:
            print("    stderr: " + last.splitlines()[-1][:200])
    return res


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
def find_cli() -> list[str]:
    for cand in (REPO / ".venv" / "bin" / "cs-rules", Path(sys.executable).with_name("cs-rules")):
        if cand.exists():
            return [str(cand)]
    found = shutil.which("cs-rules")
    return [found] if found else [sys.executable, "-m", "cs_rules"]


def generate(py: str, folder: Path, employees: int, month: str, seed: int) -> dict:
    """Run synth.py in its own process (keeps numpy/pandas out of this one); its JSON summary."""
    argv = [py, str(HERE / "synth.py"), str(folder), "--employees", str(employees), "--month", month,
            "--seed", str(seed), "--json"]
    done = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"synth.py failed ({done.returncode}):\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def find_python() -> str:
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def sample_employee(folder: Path, month: str) -> str:
    """The first employee id of the sample folder's sign-in sheet for the month (any encoding)."""
    path = folder / "signin" / f"{month}.csv"
    try:
        with open(path, encoding="ascii", errors="ignore", newline="") as fh:
            rows = csv.reader(fh)
            next(rows)
            first = next(rows)[0].strip()
            if first:
                return first
    except (OSError, StopIteration, IndexError):
        pass
    return "CS001"


def fmt(v: float | None, spec: str) -> str:
    return "-" if v is None else format(v, spec)


def print_table(results: list[Result], floor: Result) -> None:
    head = ("command", "wall s", "rows/s", "peak MB", "x floor", "runs", "status")
    lines = []
    for r in results:
        w = r.wall
        rate = f"{r.rows / w:,.0f}" if (w and r.rows) else "-"
        ratio = fmt(w / floor.wall if (w is not None and floor.wall) else None, ".2f")
        lines.append((r.label, fmt(w, ".3f"), rate, fmt(r.rss, ".0f"), ratio,
                      " ".join(f"{x.wall:.2f}" if x.rc is not None else "T/O" for x in r.runs), r.status))
    widths = [max(len(str(row[i])) for row in (head, *lines)) for i in range(len(head))]
    sep = "  "

    def show(row: tuple[str, ...]) -> None:
        print(sep.join(str(c).ljust(widths[i]) if i in (0, 5, 6) else str(c).rjust(widths[i])
                       for i, c in enumerate(row)))

    show(head)
    print(sep.join("-" * w for w in widths))
    for row in lines:
        show(row)


def verdict(name: str, value: float | None, limit: float, unit: str, extra: str = "") -> tuple[str, bool]:
    if value is None:
        line = f"FAIL  {name}: no measurement (timeout or error) — target {limit:g}{unit}"
        return line, False
    ok = value <= limit if unit in ("x",) else value < limit
    cmp = "≤" if unit == "x" else "<"
    line = f"{'PASS' if ok else 'FAIL'}  {name}: {value:.3g}{unit} (target {cmp} {limit:g}{unit}){extra}"
    return line, ok


# --------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Time cs-rules at company scale against a pandas/Arrow floor.")
    ap.add_argument("--employees", type=int, default=40000, help="people in the synthetic company (40000)")
    ap.add_argument("--runs", type=int, default=3, help="runs per command; the median wall time is reported (3)")
    ap.add_argument("--keep", metavar="DIR", help="generate the company into DIR and keep it (default: a temp dir)")
    ap.add_argument("--scale", action="store_true",
                    help="also time payroll CSV at employees/4 and report the growth ratio")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds before a command is killed (120)")
    ap.add_argument("--month", default="2024-05", help="month to generate and pay (2024-05)")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    if a.employees < 4 or a.runs < 1:
        ap.error("--employees must be ≥ 4 and --runs ≥ 1")

    cli, py = find_cli(), find_python()
    tmp = Path(tempfile.mkdtemp(prefix="cs-rules-bench-"))
    data = Path(a.keep).resolve() if a.keep else tmp / "company"
    try:
        print(f"cs-rules bench — {platform.python_implementation()} {platform.python_version()}, "
              f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}")
        print(f"cli: {' '.join(cli)}")
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (MB if sys.platform == "darwin" else 1024)
        print(f"bench process RSS {own:.0f} MB (a child's peak MB cannot read lower than this)")
        t0 = time.perf_counter()
        info = generate(py, data, a.employees, a.month, a.seed)
        gen_s = time.perf_counter() - t0
        rows = info["signin_rows"]
        print(f"generated {a.employees:,} employees, {rows:,} sign-in rows ({info['workdays']} workdays) "
              f"in {gen_s:.1f}s → {data}")
        signin = data / "signin" / f"{a.month}.csv"
        print(f"sign-in file: {signin.stat().st_size / MB:.1f} MB; fines employee: {info['sample_employee']}")

        floor_py = tmp / "floor.py"
        floor_py.write_text(FLOOR_SCRIPT, encoding="utf-8")
        sample = REPO / "sample_data"
        sample_emp = sample_employee(sample, "2024-05")
        d = str(data)
        month = a.month

        print(f"\ntiming ({a.runs} run(s) each, timeout {a.timeout:g}s):")
        floor = measure(Result("floor (pandas+arrow)", [py, str(floor_py), str(signin)], rows),
                        REPO, a.runs, a.timeout)
        pay_csv = measure(Result("payroll --format csv", [*cli, "payroll", month, "--data", d, "--format", "csv"],
                                 rows), REPO, a.runs, a.timeout)
        pay_xlsx = measure(Result("payroll -o out.xlsx",
                                  [*cli, "payroll", month, "--data", d, "-o", str(tmp / "out.xlsx")], rows),
                           REPO, a.runs, a.timeout)
        validate = measure(Result("validate", [*cli, "validate", "--data", d], rows), REPO, a.runs, a.timeout)
        fines = measure(Result(f"fines {info['sample_employee']}",
                               [*cli, "fines", info["sample_employee"], month, "--data", d], rows),
                        REPO, a.runs, a.timeout)
        helped = measure(Result("--help", [*cli, "--help"], None), REPO, a.runs, a.timeout)
        fines_small = measure(Result(f"fines {sample_emp} (sample_data)",
                                     [*cli, "fines", sample_emp, "2024-05", "--data", str(sample)], None),
                              REPO, a.runs, a.timeout)
        results = [floor, pay_csv, pay_xlsx, validate, fines, helped, fines_small]

        quarter: Result | None = None
        if a.scale:
            qn = max(1, a.employees // 4)
            qdir = tmp / "company-quarter"
            qinfo = generate(py, qdir, qn, a.month, a.seed)
            quarter = measure(Result(f"payroll --format csv @ {qn:,}",
                                     [*cli, "payroll", month, "--data", str(qdir), "--format", "csv"],
                                     qinfo["signin_rows"]), REPO, a.runs, a.timeout)
            results.insert(2, quarter)

        print(f"\n{a.employees:,} employees, {rows:,} sign-in rows, month {month}; "
              f"wall = median of {a.runs}, peak MB = max RSS of the process (MiB)\n")
        print_table(results, floor)

        print("\ntargets:")
        note = "" if rows >= 1_000_000 else f" [{rows:,} rows; the issue states 1M]"
        checks = [
            verdict("payroll CSV vs floor", pay_csv.wall / floor.wall if (pay_csv.wall and floor.wall) else None,
                    4.0, "x", note),
            verdict("payroll CSV wall", pay_csv.wall, 2.0, " s", note),
            verdict("payroll CSV peak memory", pay_csv.rss / 1024 if (pay_csv.rss and not pay_csv.timed_out)
                    else None, 1.5, " GB"),
            verdict("payroll XLSX wall", pay_xlsx.wall, 8.0, " s"),
            verdict("--help wall", helped.wall, 0.15, " s"),
            verdict("fines on sample_data wall", fines_small.wall, 0.8, " s"),
        ]
        if quarter is not None:
            growth = pay_csv.wall / quarter.wall if (pay_csv.wall and quarter.wall) else None
            checks.append(verdict(f"scale: 4x employees ({quarter.label.split('@ ')[1]} → {a.employees:,}) "
                                  "time growth", growth, 4.5, "x"))
        for line, _ok in checks:
            print("  " + line)
        failed = [r.label for r in results if r.status != "ok"]
        if failed:
            print("\nnote: not every run succeeded: " + ", ".join(failed))
        print(f"\n{sum(ok for _, ok in checks)}/{len(checks)} targets met (measurement only; exit status 0)")
        if a.keep:
            print(f"data kept in {data}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
