"""The 工资条 as it prints (issue 16 "Done when"): LibreOffice converts it to PDF, and the PDF holds
every slip whole on one page, in type no smaller than 9 pt, with the columns inside the page.

Skipped where LibreOffice (``soffice``) or poppler (``pdftotext``, ``pdfinfo``) is not installed, so
CI without them still passes.  Type size is read from the PDF itself: a Chinese character is one em
wide, so a word of CJK characters only is ``len(word)`` font sizes wide.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from paths import SAMPLE

from cs_rules import api
from cs_rules.reports.workbook import SLIP_TEXT, write_payslips

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(not SOFFICE or not shutil.which("pdftotext") or not shutil.which("pdfinfo"),
                                reason="LibreOffice (soffice) or poppler-utils not installed")

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
CJK = re.compile(r"^[\u4e00-\u9fff]+$")


def to_pdf(xlsx: Path, tmp: Path) -> Path:
    profile = tmp / "lo-profile"  # its own profile: runs in parallel, and never the user's
    subprocess.run([str(SOFFICE), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp), str(xlsx)], capture_output=True, timeout=240, check=True)
    pdf = tmp / (xlsx.stem + ".pdf")
    assert pdf.is_file()
    return pdf


def pages(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, timeout=60,
                          check=True).stdout.decode("utf-8")
    out = []
    for page in html.split("<page ")[1:]:
        out.append([(float(a), float(b), float(c), float(d), unescape(w)) for a, b, c, d, w in WORD.findall(page)])
    return out


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, list[list[tuple[float, float, float, float,
                                                                                           str]]], float]:
    tmp = tmp_path_factory.mktemp("pdf")
    ctx = api.open_data(SAMPLE)
    res = api.payroll(ctx, "2024-05")
    xlsx = tmp / "slips.xlsx"
    write_payslips(res, xlsx)
    pdf = to_pdf(xlsx, tmp)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, timeout=60, check=True).stdout.decode()
    width = float(re.search(r"Page size:\s+([\d.]+) x", info).group(1))  # type: ignore[union-attr]
    return res, pages(pdf), width


def test_one_whole_slip_per_page_region(printed: tuple[object, list, float]) -> None:
    res, pdf_pages, _ = printed
    ids = res.employees["employee_id"].tolist()  # type: ignore[attr-defined]
    seen: list[str] = []
    for words in pdf_pages:
        texts = [w[4] for w in words]
        titles = [i for i, t in enumerate(texts) if t == "工资条"]
        signs = [t for t in texts if t == SLIP_TEXT["zh"]["sign"]]
        assert titles and len(titles) == len(signs), texts[:20]  # every slip on the page ends on it
        # the slip's first row reads 工号 CS001 姓名 王芳 (the PDF may list the value before its label)
        seen += [t for t in texts if t in ids]
        assert len(titles) <= 3
    assert seen == ids  # every person, once, in roster order (ids appear nowhere else on a slip)
    assert len(pdf_pages) >= -(-len(ids) // 3)


def test_type_is_at_least_9_pt(printed: tuple[object, list, float]) -> None:
    _, pdf_pages, width = printed
    sizes = [(x1 - x0) / len(w) for words in pdf_pages for x0, _, x1, _, w in words if CJK.match(w)]
    assert sizes and min(sizes) >= 8.95, min(sizes)
    assert max(x1 for words in pdf_pages for _, _, x1, _, _ in words) <= width  # nothing off the page
    # the amounts are there, not ### (a column too narrow for its number)
    assert not any("###" in w[4] for words in pdf_pages for w in words)
