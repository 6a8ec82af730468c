"""`make bench` keeps working: a tiny company through the whole benchmark (no timing asserted —
speed is measured by `make bench`, never by tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from paths import REPO


def test_bench_runs_end_to_end_on_a_tiny_company(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, str(REPO / "scripts" / "bench.py"), "--employees", "120", "--runs", "1",
                          "--timeout", "120", "--keep", str(tmp_path / "co")],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert "targets (issue 17):" in out.stdout
    assert "TIMEOUT" not in out.stdout and "error" not in out.stdout.lower()
    assert (tmp_path / "co" / "company" / "signin").is_dir()
    assert (tmp_path / "co" / "company-zkteco" / "signin" / "考勤记录.xlsx").is_file()
    assert (tmp_path / "co" / "company-dingtalk" / "signin" / "钉钉考勤报表.xlsx").is_file()
    assert (tmp_path / "co" / "company-rota" / "shifts.csv").is_file()
    for line in ("targets (issue 17):", "payroll --format csv (half on rotas)", "floor: polars CSV", "floor: fastexcel XLSX", "validate (ZKTeco log .xlsx)",
                 "validate (DingTalk 原始记录)", "outputs byte for byte"):
        assert line in out.stdout


def test_synthetic_company_validates_clean(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(REPO / "scripts" / "synth.py"), str(tmp_path), "--employees", "80"],
                   check=True, capture_output=True, timeout=300)
    from conftest import run_cli

    res = run_cli("validate", "--data", tmp_path)
    assert res.exit_code == 0, res.stdout
