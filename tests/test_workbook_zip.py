"""The workbook's sheets are deflated once, when built, and copied into the zip as they are
(issue 17: no inflating and deflating again at save). The parts must be valid deflate with the
right CRC and sizes whether ISA-L is installed or not, and hold the same XML either way."""

from __future__ import annotations

import os
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from cs_rules import api
from cs_rules.reports import workbook as W
from cs_rules.reports.workbook import write_workbook
from tests.paths import SAMPLE


@pytest.fixture(autouse=True)
def _isolated(isolated: Path) -> None:
    """No $CS_RULES_DATA and no rules.toml from the caller's folder leak into a test."""


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None  # every part inflates and matches its CRC
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_parts_are_the_same_with_and_without_isal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = api.open_data(SAMPLE)
    res = api.payroll(ctx, "2024-05")
    write_workbook(res, ctx.data, tmp_path / "isal.xlsx")
    with monkeypatch.context() as m:
        m.setitem(sys.modules, "isal", None)
        write_workbook(res, ctx.data, tmp_path / "zlib.xlsx")
    a, b = _parts(tmp_path / "isal.xlsx"), _parts(tmp_path / "zlib.xlsx")
    assert a == b
    assert any(n.startswith("xl/worksheets/") and b"<sheetData><row" in v for n, v in a.items())


@pytest.mark.parametrize("isal", [True, False])
def test_crc32_combine_is_zlibs(isal: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not isal:
        monkeypatch.setitem(sys.modules, "isal", None)
    for n1, n2 in ((0, 5), (7, 0), (1000, 1), (4096, 123_457)):
        x, y = os.urandom(n1), os.urandom(n2)
        assert W._crc32_combine(zlib.crc32(x), zlib.crc32(y), len(y)) == zlib.crc32(x + y)


def _sst_xml(strings: list[str], ours: bool) -> str:
    import io

    import xlsxwriter.sharedstrings as xs

    sst = xs.SharedStrings()
    sst.fh = io.StringIO()

    class Table:
        string_array = strings

    sst.string_table = Table()
    if ours:
        W._write_sst_strings(sst)
    else:
        xs.SharedStrings._write_sst_strings(sst)
    return sst.fh.getvalue()


ODD = ["", " lead", "trail\u3000", "a&b<c>d\"e", "line\nbreak", "\x00nul", "bell\x07", "_x0041_ lookalike",
       "<r><t>rich</t></r>", "\ufffe", "张三", "tab\t", "\x0b", "mid\x00dle"]


@pytest.mark.parametrize("k", range(len(ODD)))
def test_shared_strings_are_xlsxwriters(k: int) -> None:
    strings = ["E001", "张三", ODD[k], "plain"]
    assert _sst_xml(strings, True) == _sst_xml(strings, False)


def test_shared_strings_random() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=8), min_size=0, max_size=6))
    def check(strings: list[str]) -> None:
        assert _sst_xml(strings, True) == _sst_xml(strings, False)

    check()
