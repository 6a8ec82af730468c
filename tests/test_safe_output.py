"""Issue 15 §7, safe output: -o onto a device or a FIFO writes to it and never replaces it; an
input is refused before any work, for every command, through symlinks and --rules files; a text
table written to a file is whole."""

from __future__ import annotations

import os
import shutil
import stat
import threading
from pathlib import Path

import pytest
from conftest import run_cli
from paths import SAMPLE


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(SAMPLE, root)
    return root


def test_o_onto_a_fifo_writes_into_it_and_leaves_it_a_fifo(tmp_path: Path, data: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = run_cli("payroll", "2024-05", "--data", data, "--format", "csv", "-o", fifo)
    reader.join(10)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert got and got[0].startswith(b"employee_id,")  # a stream: no BOM


def test_o_onto_dev_null_keeps_the_device() -> None:
    result = run_cli("payroll", "2024-05", "--data", SAMPLE, "--format", "csv", "-o", "/dev/null")
    assert result.exit_code == 0 and stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("args", [("payroll", "2024-05"), ("fines", "CS002", "2024-05"), ("score", "2024-05"),
                                  ("attendance", "2024-05"), ("audit", "2024-05"), ("audit",)])
def test_an_input_is_refused_before_any_work(data: Path, args: tuple) -> None:
    before = (data / "leave.csv").read_bytes()
    result = run_cli(*args, "--data", data, "--format", "csv", "-o", data / "leave.csv")
    assert result.exit_code == 2 and "refusing to overwrite the input file" in result.stderr
    assert (data / "leave.csv").read_bytes() == before


def test_a_symlink_to_an_input_and_the_rules_file_are_inputs(tmp_path: Path, data: Path) -> None:
    link = tmp_path / "report.csv"
    link.symlink_to(data / "leave.csv")
    result = run_cli("payroll", "2024-05", "--data", data, "--format", "csv", "-o", link)
    assert result.exit_code == 2 and "refusing to overwrite" in result.stderr
    rules = tmp_path / "my-rules.toml"
    rules.write_text('[meta]\ncompany = "示例"\n', "utf-8")
    result = run_cli("audit", "--rules", rules, "--format", "csv", "-o", rules)
    assert result.exit_code == 2 and rules.read_text("utf-8").startswith("[meta]")


def test_a_text_table_in_a_file_cuts_nothing(tmp_path: Path) -> None:
    out = tmp_path / "payroll.txt"
    assert run_cli("payroll", "2024-05", "--data", SAMPLE, "-o", out).exit_code == 0
    text = out.read_text("utf-8")
    assert "…" not in text and "missing_punch_count" in text and "2700.00" in text
