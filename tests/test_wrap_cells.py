"""Issue 16 §2: the audit's paragraphs are wrapped by screen cells (i18n.wrap_cells), not by an
estimate of characters per line: a Chinese character takes two columns and Chinese has no spaces."""

from __future__ import annotations

import re

from conftest import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from cs_rules.i18n import cells, wrap_cells

PIECES = st.sampled_from(["劳动合同法", "第39条", "，", "。", "（", "）", "罚款", " ", "fines", "late_early",
                          "用人单位", "《工资支付暂行规定》", "20%", "a", "—", "“", "”"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=60), st.integers(min_value=12, max_value=120))
def test_every_line_fits_and_no_character_is_lost(parts: list[str], width: int) -> None:
    text = "".join(parts)
    lines = wrap_cells(text, width, "  依据：", "    ")
    assert all(cells(ln) <= width for ln in lines), lines
    body = "".join(ln.removeprefix("    ") for ln in [lines[0].removeprefix("  依据："), *lines[1:]])
    assert re.sub(r"\s", "", body) == re.sub(r"\s", "", text)
    # no line starts with a closing mark, unless a piece that cannot break is longer than a line
    if max([cells(r) + 4 for r in re.split(r"[\s\u4e00-\u9fff]+", text)] + [0]) <= width - 8:
        for ln in lines[1:]:
            assert not ln.strip() or ln.strip()[0] not in "，。）”", lines


def test_chinese_breaks_between_characters_and_english_at_spaces() -> None:
    zh = wrap_cells("用人单位可以在劳动合同中与劳动者约定违约金的情形仅限于服务期和竞业限制", 20)
    assert [cells(ln) for ln in zh] == [20, 20, 20, 10]
    en = wrap_cells("deduct only the wage of the time not worked", 20)
    assert en == ["deduct only the wage", "of the time not", "worked"]
    kept = wrap_cells("fined under 企业职工奖惩条例 repealed", 20, cjk_breaks=False)
    assert "企业职工奖惩条例" in "".join(kept)


def test_audit_in_chinese_fits_the_screen(golden, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    r = run_cli("audit", "2024-05", "--data", golden, "--lang", "zh", "--format", "table")
    assert r.exit_code in (0, 1), r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) > 10
    assert max(cells(ln) for ln in lines) <= 100
