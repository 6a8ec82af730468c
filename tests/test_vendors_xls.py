"""The same layouts as Excel 97–2003 workbooks (.xls, BIFF8), as old clocks and clock
software write them: each .xlsx fixture is written again with xlwt, cell by cell, and
must read exactly as the .xlsx does.  Skipped while sources.py does not open .xls."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fixtures.vendors import make_layouts as M

from cs_rules.loading.sources import Source, open_source
from cs_rules.loading.vendors import detect_vendor, load_vendor

xlwt = pytest.importorskip("xlwt")
FIX = Path(__file__).parent / "fixtures" / "vendors"
EXPECTED = M.expected()
XLSX = [k for k, v in EXPECTED.items() if k.endswith(".xlsx") and "refused" not in v]


def to_xls(src: Path, dst: Path) -> Path:
    from openpyxl import load_workbook

    wb = load_workbook(src)
    out = xlwt.Workbook(encoding="utf-8")
    styles = {dt.datetime: xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm:ss"),
              dt.date: xlwt.easyxf(num_format_str="yyyy-mm-dd"), dt.time: xlwt.easyxf(num_format_str="hh:mm:ss")}
    for ws in wb.worksheets:
        sheet = out.add_sheet(ws.title)
        for r, row in enumerate(ws.iter_rows(values_only=True)):
            for c, v in enumerate(row):
                if v is None or v == "":
                    continue
                style = styles.get(type(v))
                if style is not None:
                    sheet.write(r, c, v, style)
                else:
                    sheet.write(r, c, v)
    out.save(str(dst))
    return dst


@pytest.mark.parametrize("name", XLSX)
def test_xls_reads_as_the_xlsx(tmp_path: Path, name: str) -> None:
    path = to_xls(FIX / name, tmp_path / (Path(name).stem + ".xls"))
    src = open_source(path)
    if not isinstance(src, Source) or src.fmt != "xls":
        pytest.skip("this build's sources.py does not open .xls yet")
    exp = EXPECTED[name]
    vendor = detect_vendor(src)
    assert vendor == exp["vendor"]
    load = load_vendor(src, vendor)
    assert not [p.format() for p in load.problems if p.severity == "error"]
    assert (len(load.people), len(load.signins), len(load.punches)) == (exp["people"], exp["person_days"],
                                                                         exp["punches"])
    xlsx = load_vendor(open_source(FIX / name), vendor)  # type: ignore[arg-type]
    cols = ["key", "date", "sign_in", "sign_out"]
    a = xlsx.signins[cols].sort_values(cols).reset_index(drop=True)
    b = load.signins[cols].sort_values(cols).reset_index(drop=True)
    assert a.equals(b)
