"""`cs-rules init [DIR]` (issue 16 §8): a data folder a new user can start from."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from cs_rules import api
from cs_rules.loading.columns import canonical
from cs_rules.loading.starter import CSV_TEMPLATES, EXAMPLE_MONTH, RULES_TOML, SIGNIN_EXAMPLE


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "cs_rules", *args], capture_output=True, cwd=cwd, timeout=180)


def test_init_writes_templates_and_the_next_steps(tmp_path: Path) -> None:
    d = tmp_path / "工资数据"
    r = run("init", str(d))
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    for name in [*CSV_TEMPLATES, "rules.toml"]:
        assert (d / name).is_file(), name
        assert name.split("/")[-1] in out
    steps = out[out.index("next:"):]
    assert "roster.csv" in steps and "signin/" in steps
    assert f"cs-rules validate --data {d}" in steps and f"cs-rules payroll YYYY-MM --data {d}" in steps
    assert len(re.findall(r"^\s+[123]\. ", steps, re.M)) == 3
    roster = (d / "roster.csv").read_bytes()
    assert roster.startswith(b"\xef\xbb\xbf")  # Excel opens it with the Chinese intact
    assert roster.decode("utf-8-sig").splitlines()[0] == "工号,姓名,职级,入职日期"
    assert (d / SIGNIN_EXAMPLE).parent.name == "signin"


def test_every_template_header_is_one_the_loader_reads() -> None:
    for name, rows in CSV_TEMPLATES.items():
        header, example = rows
        assert len(rows) == 2 and len(example) == len(header), name  # one example row each
        for h in header:
            assert canonical(h) is not None, (name, h)
            assert re.search(r"[\u4e00-\u9fff]", h), (name, h)  # Chinese headers


def test_rules_toml_loads_and_so_do_its_commented_examples(tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    (d / "rules.toml").write_text(RULES_TOML, encoding="utf-8")
    book, problems = api.resolve_rules(d, None)
    assert problems == []
    assert book.get("meta.company") == "示例公司"
    # every commented example, uncommented, is a valid override too
    lines = [re.sub(r"^# ", "", ln) if re.match(r"^# (\[|[a-z_]+ = )", ln) else ln for ln in RULES_TOML.splitlines()]
    (d / "rules.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    book, problems = api.resolve_rules(d, None)
    assert problems == [], [p.format() for p in problems]
    assert book.get("pay.pay_day") == 10
    assert str(book.get("compliance.min_wage")) in ("2690", "2690.00")


def test_validate_and_payroll_of_the_new_folder_speak_in_located_messages(tmp_path: Path) -> None:
    d = tmp_path / "data"
    assert run("init", str(d)).returncode == 0
    r = run("validate", "--data", str(d))
    err = r.stdout.decode() + r.stderr.decode()
    assert r.returncode in (0, 1), err
    assert "Traceback" not in err and "internal error" not in err
    for line in err.splitlines():
        if line.startswith("error:"):
            assert re.match(r"error: \S+\.(csv|xlsx|toml)(:\d+)?", line), line  # names the file (and row)
    r = run("payroll", EXAMPLE_MONTH, "--data", str(d), "--format", "csv")
    err = r.stderr.decode()
    assert r.returncode in (0, 1), err
    assert "Traceback" not in err and "internal error" not in err
    if r.returncode == 1:
        errors = [ln for ln in err.splitlines() if ln.startswith("error:")]
        assert errors and all(re.match(r"error: \S+\.(csv|xlsx|toml)", ln) for ln in errors), err
    else:
        assert "E001" in r.stdout.decode()


def test_init_in_the_current_folder(tmp_path: Path) -> None:
    r = run("init", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "roster.csv").is_file()
    assert "cs-rules validate --data ." in r.stdout.decode()


def test_init_refuses_a_folder_that_is_not_empty_or_a_file(tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    (d / "mine.txt").write_text("keep me")
    r = run("init", str(d))
    assert r.returncode == 2
    err = r.stderr.decode().strip()
    assert len(err.splitlines()) == 1 and err.startswith("error:") and "not empty" in err
    assert sorted(p.name for p in d.iterdir()) == ["mine.txt"]
    f = tmp_path / "f.csv"
    f.write_text("x")
    r = run("init", str(f))
    assert r.returncode == 2 and len(r.stderr.decode().strip().splitlines()) == 1
    assert f.read_text() == "x"
