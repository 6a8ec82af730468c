"""Hostile inputs must fail fast and small: time and peak memory of `cs-rules validate` on each.

    .venv/bin/python scripts/limits.py [--keep DIR]

Builds, in a temporary data folder each:
  * bomb.xlsx — a ~2 KB workbook with cells at A1 and XFD1048576 (calamine alone would
    ask for 512 GiB);
  * expands.xlsx — a ~few MB workbook whose sheet expands to 2 GiB of XML;
  * wide.csv — a CSV whose header has a million columns;
and runs `cs-rules validate --data DIR` on it in a fresh process, reporting wall seconds,
peak resident memory and the one line the user sees.  Targets (issue 15 §6): under 10 s
and under 1 GB each.  A measurement, not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = Path(sys.executable).parent / "cs-rules"
ROSTER = "employee_id,name,grade,hire_date\nE001,张三,junior,2023-01-09\n"
SIGNIN = "employee_id,date,sign_in,sign_out\nE001,2024-05-06,08:50,18:05\n"

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
                 'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+'
                 'xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                 'officedocument.spreadsheetml.worksheet+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
           '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
           'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
              'spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = "</sheetData></worksheet>"


def _book(path: Path, write_sheet) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            write_sheet(fh)


def bomb(path: Path) -> None:
    def sheet(fh) -> None:
        fh.write((SHEET_HEAD + '<row r="1"><c r="A1" t="inlineStr"><is><t>工号</t></is></c></row>'
                  '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
                  + SHEET_TAIL).encode())
    _book(path, sheet)


def expands(path: Path, gib: float = 2.0) -> None:
    row = "".join(f'<c r="{c}1"><v>0</v></c>' for c in "ABCDEFGH")
    block = ("<row>" + row + "</row>").encode() * 20000

    def sheet(fh) -> None:
        fh.write(SHEET_HEAD.encode())
        left = int(gib * 2**30)
        while left > 0:
            fh.write(block[:left])
            left -= len(block)
        fh.write(SHEET_TAIL.encode())
    _book(path, sheet)


def wide(path: Path) -> None:
    path.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n" + "1," * 999_999 + "1\n", encoding="utf-8")


def measure(folder: Path) -> tuple[float, float, int, str]:
    t0 = time.perf_counter()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "CS_RULES_LANG": "en"}
    proc = subprocess.Popen([str(CLI), "validate", "--data", str(folder)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env)
    out = b""
    assert proc.stdout is not None
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    lines = [ln.strip() for ln in out.decode("utf-8", "replace").splitlines()
             if ln.startswith("error:") or ln.strip().startswith("failed ")]
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), (lines[0] if lines else "(no error line)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", type=Path, help="build the folders here and keep them")
    args = ap.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="cs-rules-limits-"))
    cases = {"bomb.xlsx (A1 + XFD1048576)": ("signin/bomb.xlsx", bomb),
             "expands.xlsx (sheet of 2 GiB)": ("signin/expands.xlsx", expands),
             "wide.csv (1,000,000 columns)": ("leave.csv", wide)}
    print(f"{'case':32} {'file':>10} {'wall s':>7} {'peak MB':>8} {'exit':>4}  first error line")
    try:
        for label, (rel, build) in cases.items():
            folder = base / label.split()[0].replace(".", "_")
            (folder / "signin").mkdir(parents=True, exist_ok=True)
            (folder / "roster.csv").write_text(ROSTER, encoding="utf-8")
            (folder / "signin" / "2024-05.csv").write_text(SIGNIN, encoding="utf-8")
            target = folder / rel
            build(target)
            size = target.stat().st_size
            wall, peak, code, line = measure(folder)
            ok = "ok" if wall < 10 and peak < 1024 else "OVER"
            print(f"{label:32} {size / 1e6:>8.2f}MB {wall:>7.2f} {peak:>8.0f} {code:>4}  [{ok}] {line[:150]}")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
