"""The limits scan inflates sheet XML itself (ISA-L when installed): it must give exactly the
bytes zipfile gives, in bounded pieces, and refuse a damaged part as zipfile does."""

from __future__ import annotations

import io
import sys
import zipfile

import pytest

from cs_rules.loading.workbooks import part_chunks

XML = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>%d</v></c></row>' % (i, i, i % 97) for i in range(1, 60_000))


def _zip(method: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        z.writestr("xl/worksheets/sheet1.xml", XML)
    return out.getvalue()


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
@pytest.mark.parametrize("isal", [True, False])
def test_pieces_are_zipfiles_bytes(method: int, isal: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not isal:
        monkeypatch.setitem(sys.modules, "isal", None)
    data = _zip(method)
    zf = zipfile.ZipFile(io.BytesIO(data))
    info = zf.getinfo("xl/worksheets/sheet1.xml")
    pieces = list(part_chunks(zf, data, info, size=100_000))
    assert pieces[-1] == b"" and all(len(p) <= 200_000 for p in pieces)
    assert b"".join(pieces) == XML


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_a_damaged_part_is_refused(method: int) -> None:
    data = bytearray(_zip(method))
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = zf.getinfo("xl/worksheets/sheet1.xml")
    at = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    data[at] ^= 0x55
    with pytest.raises(Exception):  # noqa: B017 - zipfile's BadZipFile or the inflater's error, as zipfile
        b"".join(part_chunks(zf, bytes(data), info))
