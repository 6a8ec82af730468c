"""Chinese first (issue 16 §1): every problem message and hint cs-rules writes has its Chinese.

tests/problem_texts.py collects the texts from the source; tests/problem_texts_backlog.txt lists the
ones still without zh (it may only shrink: a new English text needs its [[text]] entry)."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import make_folder, run_cli, valid_files

sys.path.insert(0, str(Path(__file__).parent))
import problem_texts as P  # noqa: E402

from cs_rules import i18n  # noqa: E402

BACKLOG = Path(__file__).with_name("problem_texts_backlog.txt")
FIELD = re.compile(r"\{(\w+)\}")
# three English words in a row, once file names, paths, options, commands and quoted cells are gone
ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ '-]+[A-Za-z]{2,}){2,}")


def english_left(text: str) -> list[str]:
    text = re.sub(r"`[^`]*`|'[^']*'|\"[^\"]*\"|\[[^\]]*\]", " ", text)
    text = re.sub(r"[\w./-]+\.(csv|xlsx|xls|tsv|json|toml|dat|md)\b", " ", text)
    text = re.sub(r"--[\w-]+(?: [A-Z]+)?|-o \S+|cs-rules \w+|pip install[^）)]*|CSV UTF-8|Excel 97–2003", " ", text)
    return ENGLISH.findall(text)


def backlog() -> set[str]:
    return {ln for ln in BACKLOG.read_text("utf-8").splitlines() if ln.strip()}


def test_every_problem_text_has_chinese() -> None:
    texts = P.problem_texts()
    assert len(texts) > 400 and not P.unresolved()
    missing = {t.text for t in texts if not P.is_translated(t)}
    new = sorted(missing - backlog())
    assert not new, "problem texts without zh — add a [[text]] entry to cs_rules/i18n/problems.toml:\n" + \
        "\n".join(new)
    done = sorted(backlog() - missing)
    assert not done, "translated now: remove from tests/problem_texts_backlog.txt:\n" + "\n".join(done)


def test_problems_catalogue_keeps_placeholders_and_wins_its_texts() -> None:
    path = Path(i18n.__file__).with_name("problems.toml")
    entries = tomllib.loads(path.read_text("utf-8"))["text"]
    assert len(entries) > 200
    for e in entries:
        assert set(e) == {"en", "zh"}, e
        assert set(FIELD.findall(e["en"])) == set(FIELD.findall(e["zh"])), e
        # the text as written is shown in Chinese: no other entry takes it, no English is left
        shown = i18n.tr(P.sample(e["en"]), "zh")
        assert not english_left(shown), (e["en"], shown)


@pytest.mark.parametrize(("files", "want"), [
    ({"signin/2024-05.csv": b""}, "文件是空的"),
    ({"signin/2024-05.csv": "employee_id,name,date,sign_in,sign_out\n"}, "文件只有表头"),
    ({"signin/old/2024-04.csv": "x\n"}, "signin/ 中的文件夹"),
    ({"Rules.toml": "x = 1\n"}, "规章覆盖设置只从 rules.toml"),
    ({"leave.csv": "employee_id,start_date,end_date,type\nE001,2024-05-08,2024-05-06,personal\n"}, "早于开始日期"),
    # composed texts: a list of people each with its own comma, and a hint with a tail
    ({"signin/2024-05-x.csv": "employee_id,date,sign_in,sign_out\n" + "".join(
        f"X{i},2024-05-06,09:00,18:00\n" for i in range(14))}, "另有 2 人"),
    ({"rules.toml": "[fines]\nlatex = \"10.00\"\n"}, "新规则要写成表 [fines.latex]"),
])
def test_problem_lines_are_chinese(tmp_path: Path, files: dict[str, str | bytes], want: str) -> None:
    root = make_folder(tmp_path, valid_files(**files))
    res = run_cli("validate", "--data", root, "--lang", "zh")
    out = res.stdout + res.stderr
    assert want in out, out
    lines = [ln for ln in out.splitlines() if ln.startswith(("错误：", "警告：", "提示："))]
    assert lines, out
    for ln in lines:
        assert not english_left(ln.split(": ", 1)[-1]), ln
    inventory = [ln for ln in out.splitlines() if ln.startswith("  已读取")]
    assert inventory and not any(english_left(ln.split(": ", 1)[-1]) for ln in inventory), inventory


def test_rulebook_problem_reads_through_its_key_and_nesting() -> None:
    """``{keypath}: {tmsg}`` takes a rules.toml key only, ``{quoted}`` never runs across ": ": a value's
    problem under a dated value or a list item is Chinese all through, and prose with a colon that no
    entry knows is left as it is (not half translated)."""
    for text in ['fines.late.amount: from 2024-06-01: 10.005 is not exact in two decimals (money is counted in '
                 'fen): round it to two decimals, e.g. 10.01, or write it as text: "10.01"',
                 "pay.grades.junior.amounts: list item ['1', '2']: '1.001' has more than two decimals (money is "
                 "counted in fen)",
                 "attendance.x: '25:00' is out of range: it must be a time of day like 09:00"]:
        shown = i18n.tr(text, "zh")
        assert not re.search(r"[A-Za-z]{3,} [a-z]{2,}", re.sub(r"`[^`]*`|'[^']*'", "", shown)), shown
        assert shown.split("：", 1)[0] in text, shown
    prose = "some new words: not in the catalogue yet"
    assert i18n.tr(prose, "zh") == prose
