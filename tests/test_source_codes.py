"""Every row remembers its file and sheet as a per-file code (issue 17: the name's bytes on every row
were ~400 MB of a 400,000-person month), and reads back as the same text."""

from __future__ import annotations

from paths import SAMPLE

from cs_rules import api


def test_the_file_of_each_sign_in_row_is_a_code_that_reads_as_its_name() -> None:
    data = api.open_data(SAMPLE).data
    col = data.signins["_file"]  # three files put together: still one code a row
    assert str(col.dtype) == "category" and str(data.signins["_sheet"].dtype) == "category"
    assert sorted(p.rsplit("/", 1)[-1] for p in col.astype(str).unique()) == ["2024-03.csv", "2024-04.xlsx",
                                                                             "2024-05.csv"]
