"""Language (issue 16 §1): --lang zh|en on every command, the default from $CS_RULES_LANG, then the
locale, then Chinese; every human output speaks the chosen language — no code word of the catalogue
in a Chinese table, no Chinese in an English one but the data's own (names, files, cited clauses) —
while CSV/TSV/JSON keep their canonical English keys unless --headers zh asks otherwise."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from conftest import run_cli
from paths import SAMPLE

from cs_rules import i18n
from cs_rules.rulebook import default_rulebook

MONTH = "2024-05"

# every human output, as a clerk runs it (table format forced: the test runner is no terminal)
OUTPUTS = {
    "payroll": ["payroll", MONTH, "-f", "table"],
    "fines": ["fines", "CS002", MONTH, "-f", "table"],
    "score": ["score", MONTH, "-f", "table"],
    "explain": ["explain", "CS004", MONTH],
    "explain_absent": ["explain", "CS015", MONTH],
    "attendance": ["attendance", MONTH, "CS002", "-f", "table"],
    "validate": ["validate"],
    "audit": ["audit", MONTH, "-f", "table"],
    "promotion": ["promotion", MONTH, "-f", "table"],
}


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")


def run(lang: str, args: list[str]) -> str:
    res = run_cli(*args, "--data", SAMPLE, "--lang", lang)
    assert res.exit_code == 0, res.stdout + res.stderr
    return res.stdout + res.stderr


def code_words() -> list[str]:
    """The catalogue's codes a Chinese reader must never see: every rule code of two words or more
    (late_early, auto_resignation, missing_punch …), the levels and grades, and the English column names."""
    book = default_rulebook()
    codes = {e.code for kind in book.catalog.values() for e in kind.values() if "_" in e.code}
    codes |= {"penalty", "severe", "junior", "senior", "probation", "workdays", "late", "early", "absent",
              "TOTAL", "net pay", "score", "Payslip", "employee_id", "day_type", "status", "no_data", "payslip",
              "unlawful", "eligible", "triggered", "rows", "read", "missing", "warning", "error", "note"}
    return sorted(codes)


def leaks(text: str) -> list[str]:
    # what is not ours to translate: file names and paths, commands and options a clerk types
    text = re.sub(r"[\w./-]+\.(csv|xlsx|md|toml|json|dat|xls)\b(:\d+)?", " ", text)
    text = re.sub(r"`[^`]*`|--[\w-]+|-o \S+|cs-rules \w+|rules\.toml|\[compliance\][^\n]*", " ", text)
    return [w for w in code_words() if re.search(rf"(?<![A-Za-z_]){re.escape(w)}(?![A-Za-z_])", text)]


@pytest.mark.parametrize("name", list(OUTPUTS))
def test_chinese_output_has_no_code_word(name: str, wide: None) -> None:
    text = run("zh", OUTPUTS[name])
    found = leaks(text)  # the audit's why/instead paragraphs included (issue 16 §1)
    assert not found, f"{name} --lang zh shows {found}:\n{text[:3000]}"


CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef《》“”]")
# Chinese glosses the English texts keep on purpose: the seed rulebook's own terms and the currency
GLOSSES = ["旷工", "补卡", "缺勤", "口头警告", "全勤奖", "转正/答辩", "元", "克扣工资", "综合计算工时"]


def data_strings() -> set[str]:
    """Every Chinese string that comes from the data or the rulebook's citations, which stay as they are."""
    from cs_rules import api

    ctx = api.open_data(SAMPLE)
    out: set[str] = set()
    for frame in (ctx.data.roster, ctx.data.violations, ctx.data.signins, ctx.data.performance):
        for col in frame.columns:
            if frame[col].dtype == object or str(frame[col].dtype).startswith(("string", "str")):
                out |= {str(v) for v in frame[col].dropna().unique() if CJK.search(str(v))}
    book = default_rulebook()
    out |= {e.cite for kind in book.catalog.values() for e in kind.values() if e.cite}
    from cs_rules.review import audit

    out |= {s for v in audit.STATUTE.values() for s in [v, *re.split(r";\s*", v)]}
    out |= {"花名册", "考勤", "绩效", "GB18030"}
    return out


def foreign(text: str) -> list[str]:
    for s in sorted(data_strings(), key=len, reverse=True):
        text = text.replace(s, " ")
    text = re.sub(r"篇\d+\s*§[^\s,;)\]]*", " ", text)  # cited clauses: 篇1 §五.8
    text = re.sub(r"(劳动法|劳动合同法|工资支付暂行规定|实施条例|劳部发)[^\s,;)]*(\s*第[^\s,;)]*)?", " ", text)
    text = re.sub(r"第[\d、]+条(\([一二三四五六七八九十]+\))?", " ", text)
    text = re.sub(r"星期[一二三四五六日]", " ", text)
    for g in GLOSSES:
        text = text.replace(g, " ")
    return sorted({line.strip() for line in text.splitlines() if CJK.search(line)})


@pytest.mark.parametrize("name", list(OUTPUTS))
def test_english_output_has_no_chinese_but_the_data(name: str, wide: None) -> None:
    text = run("en", OUTPUTS[name])
    found = foreign(_english_prose_only(text) if name == "audit" else text)
    assert not found, f"{name} --lang en shows Chinese: {found}"


def _english_prose_only(text: str) -> str:
    """The audit cites statutes by their Chinese titles, inside English sentences and in its 法条 column:
    drop the statutes (each line after ``statute:``, the table's last column) and Chinese in brackets."""
    text = re.sub(r"statute:[^\n]*", " ", text)
    text = re.sub(r"│[^│\n]*│\s*$", "│", text, flags=re.M)
    text = re.sub(r"\([^()\n]*[\u3400-\u9fff][^()\n]*\)", " ", text)
    return re.sub(r"《[^》]*》|〔\d+〕|国务院令第\d+号|\d+号|已废止", " ", text)


def test_make_run_is_chinese_by_default(monkeypatch: pytest.MonkeyPatch, wide: None) -> None:
    for var in ("CS_RULES_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    res = run_cli("payroll", MONTH, "--data", SAMPLE, "--format", "table")
    assert res.exit_code == 0
    assert "工资表 2024-05" in res.stdout and "实发" in res.stdout and "合计" in res.stdout
    assert "合规审查" in res.stderr
    res = run_cli("validate", "--data", SAMPLE)
    assert "通过：" in res.stdout and "已读取" in res.stdout


@pytest.mark.parametrize(("env", "want"), [
    ({}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "fr_FR.UTF-8"}, "zh"),
    ({"LANG": "C.UTF-8"}, "zh"),
    ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LC_ALL": "zh_TW.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "zh"),
    ({"LC_ALL": "fr_FR.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),  # LC_ALL overrides, and is neither
    ({"CS_RULES_LANG": "en", "LC_ALL": "zh_CN.UTF-8"}, "en"),
    ({"CS_RULES_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
    ({"CS_RULES_LANG": "", "LANG": "en_US.UTF-8"}, "en"),
])
def test_language_from_environment(env: dict[str, str], want: str) -> None:
    assert i18n.resolve(None, env) == want
    assert i18n.resolve("en", env) == "en"  # --lang wins over everything
    assert i18n.resolve("zh", env) == "zh"


def test_locale_decides_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CS_RULES_LANG")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert "OK:" in run_cli("validate", "--data", SAMPLE).stdout
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "通过：" in run_cli("validate", "--data", SAMPLE).stdout


@pytest.mark.parametrize("args", [["payroll", MONTH], ["fines", "CS002", MONTH], ["score", MONTH],
                                  ["explain", "CS002", MONTH], ["validate"], ["audit"], ["rules"],
                                  ["promotion", MONTH], ["attendance", MONTH]])
def test_unknown_language_is_a_usage_error(args: list[str]) -> None:
    res = run_cli(*args, "--data", SAMPLE, "--lang", "fr")
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "unknown language 'fr'" in lines[0] and "zh or en" in lines[0], res.stderr


def test_unknown_language_in_the_environment_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CS_RULES_LANG", "fr")
    res = run_cli("validate", "--data", SAMPLE)
    assert res.exit_code == 2 and "$CS_RULES_LANG" in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_machine_outputs_keep_canonical_keys_in_chinese() -> None:
    csv = run_cli("payroll", MONTH, "--data", SAMPLE, "--format", "csv", "--lang", "zh").stdout
    assert csv.lstrip("\ufeff").startswith("employee_id,name,grade,")
    assert ",penalty," in csv or ",severe," in csv  # codes, not labels
    doc = json.loads(run_cli("score", MONTH, "--data", SAMPLE, "--format", "json", "--lang", "zh").stdout)
    assert doc["employees"][0].keys() >= {"employee_id", "score", "level", "deductions"}
    assert all(e["level"] in ("ok", "warning", "penalty", "severe") for e in doc["employees"])
    ex = json.loads(run_cli("explain", "CS004", MONTH, "--data", SAMPLE, "-f", "json", "--lang", "zh").stdout)
    assert ex["lines"][0]["label"] == "base pay"
    assert any(ln["note"].startswith("not earned (200.00 due otherwise): early leave 05-06") for ln in ex["lines"])
    tsv = run_cli("fines", "CS002", MONTH, "--data", SAMPLE, "--format", "tsv", "--lang", "zh").stdout
    assert tsv.lstrip("\ufeff").startswith("date\tcode\tamount\trule\tsource\tnote") and "late_early" in tsv


def test_chinese_headers_on_request() -> None:
    csv = run_cli("payroll", MONTH, "--data", SAMPLE, "--format", "csv", "--headers", "zh").stdout
    assert csv.lstrip("\ufeff").startswith("工号,姓名,职级,")
    assert "实发工资" in csv.splitlines()[0]
    fines = run_cli("fines", "CS002", MONTH, "--data", SAMPLE, "--format", "csv", "--lang", "zh", "--headers",
                    "zh").stdout
    assert fines.lstrip("\ufeff").splitlines()[0] == "日期,类型,金额,依据,来源,备注"
    att = run_cli("attendance", MONTH, "CS002", "--data", SAMPLE, "--format", "csv", "--headers", "zh").stdout
    assert att.lstrip("\ufeff").startswith("工号,姓名,日期,")
    assert run_cli("payroll", MONTH, "--data", SAMPLE, "-f", "csv", "--headers", "fr").exit_code == 2


def test_explain_says_why_a_bonus_was_not_earned(wide: None) -> None:
    zh = run("zh", ["explain", "CS004", MONTH])
    assert "全勤奖" in zh and "未得（否则应得 200.00）：早退 05-06；罚款 10.00" in zh
    assert "第1次 早退20分钟" in zh
    en = run("en", ["explain", "CS004", MONTH])
    assert "not earned (200.00 due otherwise): early leave 05-06; fines 10.00" in en


def test_score_ledger_keeps_zero_point_entries(wide: None) -> None:
    """罗佳's complaints were numbered 1. 2. 3. 5.: the 4th, worth 0 points, was dropped (issue 16 §3)."""
    doc = json.loads(run_cli("score", MONTH, "罗佳", "--data", SAMPLE, "-f", "json").stdout)
    ded = doc["employees"][0]["deductions"]
    notes = [d["note"] for d in ded if d["code"] == "complaint_attitude"]
    assert notes == [f"{k}. complaint attitude" for k in range(1, 6)]
    assert [d["points"] for d in ded if d["code"] == "complaint_attitude"] == [1, 1, 3, 0, 5]
    assert doc["employees"][0]["score"] == 0
    zh = run("zh", ["explain", "罗佳", MONTH])
    assert all(f"第{k}次 服务态度被投诉" in zh for k in range(1, 6))


def test_problem_lines_in_chinese_keep_english_json(tmp_path: Path) -> None:
    from conftest import make_folder, valid_files

    root = make_folder(tmp_path, valid_files(**{"leave.csv": "employee_id,start_date,end_date,type\n"
                                                              "E001,2024-13-01,2024-05-07,vacation\n"}))
    zh = run_cli("validate", "--data", root, "--lang", "zh")
    assert zh.exit_code == 1
    assert "错误：" in zh.stdout and "不是日期：'2024-13-01'" in zh.stdout and "日期请写成" in zh.stdout
    assert "未知的请假类型 'vacation'" in zh.stdout and "事假" in zh.stdout
    assert "未通过：" in zh.stdout
    doc = json.loads(run_cli("validate", "--data", root, "--format", "json", "--lang", "zh").stdout)
    messages = [e["message"] for f in doc["files"] for e in f["errors"]]
    assert any(m.startswith("not a date: '2024-13-01'") for m in messages)


def test_catalogue_is_complete_and_consistent() -> None:
    """Every message has both languages with the same placeholders; every [[text]] has its zh."""
    cat = tomllib.loads((Path(i18n.__file__).with_name("messages.toml")).read_text("utf-8"))
    field = re.compile(r"\{(\w+)\}")
    for key, entry in cat.items():
        if key == "text":
            continue
        assert set(entry) == {"en", "zh"}, key
        assert set(field.findall(entry["zh"])) <= set(field.findall(entry["en"])), key
    for entry in cat["text"]:
        assert entry["zh"] and set(field.findall(entry["en"])) == set(field.findall(entry["zh"])), entry


def test_help_stays_fast_and_language_free() -> None:
    import subprocess
    import sys
    import time

    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "cs_rules", "payroll", "--help"], capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "CS_RULES_LANG": "fr"}, check=False)
    assert out.returncode == 0 and "--lang" in out.stdout and "--headers" in out.stdout
    assert time.perf_counter() - t0 < 3
    mods = subprocess.run([sys.executable, "-c", "import cs_rules.cli, sys; print('pandas' in sys.modules, "
                           "'cs_rules.i18n' in sys.modules)"], capture_output=True, text=True, check=True).stdout
    assert mods.split()[0] == "False"


@pytest.mark.parametrize(("line", "want"), [
    ("read      a/roster.csv: roster, 40,000 rows", "已读取  a/roster.csv: 花名册，40,000 行"),
    ("read      s/x.xlsx: dingtalk export, 906,622 rows", "已读取  s/x.xlsx: 钉钉导出，906,622 行"),
    ("read      s/x.xlsx: sign-in sheet, 907,997 rows (sheet 2024-05)",
     "已读取  s/x.xlsx: 签到表，907,997 行（工作表 2024-05）"),
])
def test_inventory_of_a_big_company_is_chinese(line: str, want: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found on the 40,000-person bench company in zh: a count of more than 999 rows (written with a
    thousands comma) left the whole inventory line in English, and so did every vendor export's kind."""
    from cs_rules.reports.terminal import inventory_line

    monkeypatch.setenv("CS_RULES_LANG", "zh")
    assert inventory_line(line) == want


def test_every_vendor_export_kind_has_a_chinese_word() -> None:
    from cs_rules.loading.vendors.registry import ADAPTERS

    words = i18n.words()
    names = {a.name for a in ADAPTERS}
    assert names and not {n for n in names if f"{n} export" not in words}


def test_a_remembered_translation_follows_the_rulebooks_words(monkeypatch: pytest.MonkeyPatch) -> None:
    """tr remembers texts it translated with the vocabulary in use: other words (set_words, or the
    words swapped as the tests' fixture does) must give the new translation, never the old one."""
    i18n.set_words({"late": "迟到甲"})
    assert i18n.tr("3 late rows", "zh") == "3 条迟到甲记录"
    assert i18n.tr("3 late rows", "zh") == "3 条迟到甲记录"  # remembered
    i18n.set_words({"late": "迟到乙"})
    assert i18n.tr("3 late rows", "zh") == "3 条迟到乙记录"
    monkeypatch.setattr(i18n, "_words", {"late": "迟到丙"})
    assert i18n.tr("3 late rows", "zh") == "3 条迟到丙记录"
    assert i18n.tr("3 late rows", "zh", {"late": "迟到丁"}) == "3 条迟到丁记录"  # words given: not remembered
    assert i18n.tr("3 late rows", "zh") == "3 条迟到丙记录"
