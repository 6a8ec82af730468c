"""`payroll --format json` is built from column arrays (MonthResult.payroll_json_text); it is the
text json.dumps makes of the records, byte for byte: on the golden and sample folders, and with
names that need escaping, flags, NaN scores and an empty month."""

from __future__ import annotations

import json

import pytest
from paths import GOLDEN, SAMPLE

from cs_rules import api


def _old(res: api.MonthResult) -> str:
    return json.dumps(res.payroll_json(), ensure_ascii=False, indent=1) + "\n"


@pytest.mark.parametrize(("folder", "month"), [(GOLDEN, "2024-05"), (GOLDEN, "2024-03"), (SAMPLE, "2024-05")])
def test_json_from_columns_is_byte_identical(folder, month) -> None:
    if not folder.is_dir():
        pytest.skip("fixture not available")
    res = api.payroll(api.open_data(folder), month)
    assert res.payroll_json_text() == _old(res)


def test_json_from_columns_escapes_and_odd_values_like_json_dumps() -> None:
    res = api.payroll(api.open_data(SAMPLE), "2024-05")
    e = res.employees
    n = len(e)
    odd = ['引号"和\\反斜杠', "tab\tnew\nline\x01\x1f", "emoji 😀 \u2028 \u3000", "", "é"]
    e["name"] = [odd[i % len(odd)] for i in range(n)]
    flags = [[], ["late", '"quoted"'], ("a",), ["中文\n"]]
    e["flags"] = [list(flags[i % len(flags)]) for i in range(n)]
    score = e["score"].astype(float).to_numpy().copy()
    score[0] = float("nan")
    if n > 1:
        score[1] = 1e300 * 10
    e["score"] = score
    assert res.payroll_json_text() == _old(res)


def test_json_from_columns_falls_back_on_unusual_cells() -> None:
    res = api.payroll(api.open_data(SAMPLE), "2024-05")
    res.employees["name"] = [{"not text"}] + list(res.employees["name"].iloc[1:])
    with pytest.raises(TypeError):  # json.dumps refuses it, as before: the same path
        res.payroll_json_text()
