"""`cs-rules validate`: one small fixture per problem, each named as file:row:column.

Every error case asserts exit code 1 and that the message names the file, the
spreadsheet row (header row = 1) and the column; the JSON form is checked for the
same row, column and problem code.  Warnings alone exit 0.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import make_folder, run_cli, valid_files

XLSX_CORRUPT = b"\x13\x37" + bytes(range(256)) * 4  # random-looking bytes, no zip magic
XLSX_BROKEN_ZIP = b"PK\x03\x04" + b"\x00\x01garbage" * 64  # zip magic, broken inside
ZIP_BYTES = b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + bytes(300)  # what an .xlsx starts with
BINARY = b"\x00\x01\x02\x03MZ\x90\x00\xff\xfe" * 50  # NULs: not text in any encoding


@pytest.fixture(autouse=True)
def _isolated(isolated: Path) -> None:
    """No $CS_RULES_DATA and no rules.toml from the caller's folder leak into a test."""


def run(*args: object):
    return run_cli(*args)


def validate_dir(root: Path, *extra: str):
    """The folders here hold a day or two of May 2024: the test states they are complete."""
    return run("validate", "--data", str(root), "--covered-through", "2024-05-31", *extra)


def json_report(root: Path) -> dict:
    result = validate_dir(root, "--format", "json")
    return json.loads(result.stdout)


def file_entry(doc: dict, name: str) -> dict:
    hits = [f for f in doc["files"] if Path(f["path"]).as_posix().endswith(name)]
    assert len(hits) == 1, (name, [f["path"] for f in doc["files"]])
    return hits[0]


# --------------------------------------------------------------------------- error cases
# (id, files replacing/adding to a valid folder, file named, row, column, code)
ERROR_CASES = [
    ("missing_column",
     {"roster.csv": "employee_id,name,hire_date\nE001,张三,2023-01-09\nE002,李四,2022-03-01\n"},
     "roster.csv", 1, "grade", "missing_column"),
    ("unparseable_date",
     {"signin/2024-05.csv": "employee_id,date,sign_in,sign_out\nE001,2024-05-06,08:50,18:05\n"
                            "E002,2024-13-45,08:55,18:10\n"},
     "signin/2024-05.csv", 3, "date", "bad_date"),
    ("unparseable_time",
     {"signin/2024-05.csv": "employee_id,date,sign_in,sign_out\nE001,2024-05-06,9h03,18:05\n"},
     "signin/2024-05.csv", 2, "sign_in", "bad_time"),
    ("unparseable_number",
     {"performance.csv": "employee_id,month,score\nE001,2024-05,88\nE002,2024-05,abc\n"},
     "performance.csv", 3, "score", "bad_number"),
    # on a day shift; on a night shift the sign-out is the next morning (test_schedules)
    ("sign_out_not_after_sign_in",
     {"signin/2024-05.csv": "employee_id,date,sign_in,sign_out\nE001,2024-05-06,18:05,08:50\n"},
     "signin/2024-05.csv", 2, "sign_out", "punch_order"),
    ("duplicate_roster_id",
     {"roster.csv": "employee_id,name,grade,hire_date\nE001,张三,junior,2023-01-09\n"
                    "E002,李四,mid,2022-03-01\nE001,王五,senior,2021-01-01\n"},
     "roster.csv", 4, "employee_id", "duplicate_id"),
    ("unknown_grade",
     {"roster.csv": "employee_id,name,grade,hire_date\nE001,张三,junior,2023-01-09\n"
                    "E002,李四,boss,2022-03-01\n"},
     "roster.csv", 3, "grade", "unknown_grade"),
    ("unknown_leave_type",
     {"leave.csv": "employee_id,start_date,end_date,type\nE001,2024-05-07,2024-05-07,holiday\n"},
     "leave.csv", 2, "type", "unknown_leave_type"),
    ("unknown_violation_code",
     {"violations.csv": "date,employee_id,code\n2024-05-06,E001,desk_untidy\n2024-05-06,E002,napping\n"},
     "violations.csv", 3, "code", "unknown_violation_code"),
    ("overlapping_leave",
     {"leave.csv": "employee_id,start_date,end_date,type\nE001,2024-05-07,2024-05-09,personal\n"
                   "E001,2024-05-08,2024-05-10,sick\n"},
     "leave.csv", 3, "start_date", "overlapping_leave"),
    ("hire_after_leave",
     {"roster.csv": "employee_id,name,grade,hire_date,leave_date\nE001,张三,junior,2024-03-01,2024-02-01\n"
                    "E002,李四,mid,2022-03-01,\n"},
     "roster.csv", 2, "hire_date", "hire_after_leave"),
    ("score_out_of_range",
     {"performance.csv": "employee_id,month,score\nE001,2024-05,101\n"},
     "performance.csv", 2, "score", "score_out_of_range"),
    ("unfinished_work_points",
     {"violations.csv": "date,employee_id,code,points\n2024-05-06,E001,unfinished_work,2\n"},
     "violations.csv", 2, "points", "points_out_of_range"),
    ("negative_money",
     {"roster.csv": "employee_id,name,grade,hire_date,base_salary\nE001,张三,junior,2023-01-09,-100\n"
                    "E002,李四,mid,2022-03-01,\n"},
     "roster.csv", 2, "base_salary", "negative_money"),
    # with a second, valid leave row: see test_leave_ending_before_start_alone for the lone row
    ("leave_ends_before_start",
     {"leave.csv": "employee_id,start_date,end_date,type\nE001,2024-05-09,2024-05-07,personal\n"
                   "E002,2024-05-20,2024-05-20,sick\n"},
     "leave.csv", 2, "end_date", "leave_ends_before_start"),
]


@pytest.mark.parametrize("files,name,row,column,code", [c[1:] for c in ERROR_CASES],
                         ids=[c[0] for c in ERROR_CASES])
def test_error_named_by_file_row_column(tmp_path: Path, files: dict, name: str, row: int, column: str,
                                        code: str) -> None:
    root = make_folder(tmp_path, valid_files(**files))
    result = validate_dir(root)
    assert result.exit_code == 1, result.stdout + result.stderr
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("error:")]
    assert any(f"{name}:{row}:{column}:" in ln for ln in lines), lines
    # the message also says what to do (the hint after the dash)
    assert any(" — " in ln for ln in lines if f"{name}:{row}:" in ln)

    doc = json_report(root)
    assert doc["ok"] is False
    entry = file_entry(doc, name)
    assert {"row": row, "column": column, "code": code} in [
        {k: e[k] for k in ("row", "column", "code")} for e in entry["errors"]], entry["errors"]


def test_leave_ending_before_start_alone(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "leave.csv": "employee_id,start_date,end_date,type\nE001,2024-05-09,2024-05-07,personal\n"}))
    result = validate_dir(root)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "leave.csv:2:end_date:" in result.stdout


def test_column_named_as_written_in_the_file(tmp_path: Path) -> None:
    """A Chinese header is named the way the user sees it, not by its canonical name."""
    root = make_folder(tmp_path, valid_files(**{
        "signin/2024-05.csv": "工号,日期,签到时间,签退时间\nE001,2024-05-06,08:50,下午六点\n"}))
    result = validate_dir(root)
    assert result.exit_code == 1
    assert "signin/2024-05.csv:2:签退时间:" in result.stdout


def test_xlsx_error_names_sheet_and_spreadsheet_row(tmp_path: Path) -> None:
    """Two title rows above the header: the bad cell on the 2nd data row is spreadsheet row 5."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "五月"
    ws.append(["客服部签到表"])
    ws.append(["2024年5月"])
    ws.append(["工号", "日期", "签到时间", "签退时间"])
    ws.append(["E001", "2024-05-06", "08:50", "18:05"])
    ws.append(["E002", "not a date", "08:55", "18:10"])
    root = make_folder(tmp_path, valid_files())
    (root / "signin" / "2024-05.csv").unlink()
    wb.save(root / "signin" / "2024-05.xlsx")
    result = validate_dir(root)
    assert result.exit_code == 1
    assert "signin/2024-05.xlsx[五月]:5:日期:" in result.stdout


# ------------------------------------------------------------- same employee-day twice
def test_same_day_twice_with_different_times_is_an_error(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "signin/2024-05.csv": "employee_id,date,sign_in,sign_out\nE001,2024-05-06,08:50,18:05\n"
                              "E001,2024-05-06,08:40,18:05\n"}))
    result = validate_dir(root)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "signin/2024-05.csv:3:date:" in result.stdout
    entry = file_entry(json_report(root), "signin/2024-05.csv")
    assert [e["code"] for e in entry["errors"]] == ["conflicting_day"]


def test_same_day_twice_with_identical_times_is_a_warning(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "signin/2024-05.csv": "employee_id,date,sign_in,sign_out\nE001,2024-05-06,08:50,18:05\n"
                              "E001,2024-05-06,08:50,18:05\n"}))
    result = validate_dir(root)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "warning:" in result.stdout and "signin/2024-05.csv:3:date:" in result.stdout
    entry = file_entry(json_report(root), "signin/2024-05.csv")
    assert entry["errors"] == []
    assert [w["code"] for w in entry["warnings"]] == ["repeated_day"]


def test_same_day_in_two_files_names_the_other_file(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "signin/2024-05-a.csv": "employee_id,date,sign_in,sign_out\nE001,2024-05-07,08:50,18:05\n",
        "signin/2024-05-b.csv": "employee_id,date,sign_in,sign_out\nE001,2024-05-07,08:30,18:05\n",
    }))
    result = validate_dir(root)
    assert result.exit_code == 1, result.stdout + result.stderr
    line = next(ln for ln in result.stdout.splitlines() if "signin/2024-05-b.csv:2:date:" in ln)
    assert "2024-05-a.csv:2" in line


# ------------------------------------------------------------------------- warnings only
def test_signins_of_someone_not_on_the_roster_warn(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "signin/2024-05.csv": "employee_id,date,sign_in,sign_out\nE001,2024-05-06,08:50,18:05\n"
                              "E999,2024-05-06,08:50,18:05\nE999,2024-05-07,08:50,18:05\n"
                              "E001,2024-05-07,08:50,18:05\nE002,2024-05-06,08:50,18:05\n"
                              "E002,2024-05-07,08:50,18:05\n"}))
    result = validate_dir(root)
    assert result.exit_code == 0, result.stdout
    warn = [ln for ln in result.stdout.splitlines() if ln.startswith("warning:")]
    assert len(warn) == 1 and "signin/2024-05.csv:3:employee_id:" in warn[0] and "E999" in warn[0], warn
    doc = json_report(root)
    assert doc["ok"] is True
    entry = file_entry(doc, "signin/2024-05.csv")
    assert entry["errors"] == [] and [w["code"] for w in entry["warnings"]] == ["not_on_roster"]


def test_punches_on_a_rest_day_warn(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{  # 2024-05-05 is a Sunday (and the last day of 劳动节)
        "signin/2024-05.csv": "employee_id,date,sign_in,sign_out\nE001,2024-05-06,08:50,18:05\n"
                              "E001,2024-05-05,08:50,18:05\nE002,2024-05-06,08:50,18:05\n"}))
    result = validate_dir(root)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "signin/2024-05.csv:3:date:" in result.stdout
    entry = file_entry(json_report(root), "signin/2024-05.csv")
    assert [w["code"] for w in entry["warnings"]] == ["rest_day_punch"]


# ------------------------------------------------------------ files that are not tables
# name, content, expected code
BAD_FILES = [
    ("empty_file", "leave.csv", b"", "empty_file"),
    ("blank_file_past_first_4kb", "leave.csv", b"\xef\xbb\xbf" + b" \r\n" * 3000, "empty_file"),
    ("corrupt_xlsx", "signin/2024-04.xlsx", XLSX_CORRUPT, "not_xlsx"),
    ("broken_zip_xlsx", "signin/2024-04.xlsx", XLSX_BROKEN_ZIP, "corrupt_xlsx"),
    ("xlsx_named_csv", "leave.csv", ZIP_BYTES, "not_csv"),
    ("binary_named_csv", "violations.csv", BINARY, "binary_file"),
]


@pytest.mark.parametrize("name,content,code", [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_unreadable_file_gives_one_clear_line(tmp_path: Path, name: str, content: bytes, code: str) -> None:
    root = make_folder(tmp_path, valid_files(**{name: content}))
    result = validate_dir(root)
    assert result.exit_code == 1
    lines = (result.stdout + result.stderr).splitlines()
    mentions = [ln for ln in lines if name in ln and not ln.startswith("  ")]  # the inventory lines are indented
    assert len(mentions) == 1, mentions
    assert mentions[0].startswith("error:") and " — " in mentions[0]
    assert any(ln.startswith("  failed ") and name in ln for ln in lines), lines  # and the inventory says so
    entry = file_entry(json_report(root), name)
    assert [e["code"] for e in entry["errors"]] == [code]
    assert entry["errors"][0]["row"] == 0 and entry["errors"][0]["column"] == ""


@pytest.mark.parametrize("name,content,code", [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_unreadable_file_given_as_path(tmp_path: Path, name: str, content: bytes, code: str) -> None:
    """`validate FILE` (no data folder) says the same one line."""
    path = tmp_path / "loose" / Path(name).name
    path.parent.mkdir()
    path.write_bytes(content)
    result = run("validate", str(path))
    assert result.exit_code == 1
    mentions = [ln for ln in (result.stdout + result.stderr).splitlines()
                if path.name in ln and not ln.startswith("  ")]  # not the indented inventory line
    assert len(mentions) == 1 and mentions[0].startswith("error:"), mentions


def test_validate_single_file_names_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "loose" / "performance.csv"
    path.parent.mkdir()
    path.write_text("employee_id,month,score\nE001,2024-05,abc\n", encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "performance.csv:2:score:" in result.stdout


# ------------------------------------------------------------------------ whole folder
def test_every_problem_in_one_pass(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "roster.csv": "employee_id,name,grade,hire_date,base_salary\nE001,张三,boss,2023-01-09,\n"
                      "E002,李四,mid,2022-03-01,-100\n",
        "signin/2024-05.csv": "employee_id,date,sign_in,sign_out\nE001,2024-05-06,8點,18:05\n"
                              "E002,2024-05-06,08:50,18:05\n",
    }))
    result = validate_dir(root)
    assert result.exit_code == 1
    for where in ("roster.csv:2:grade:", "roster.csv:3:base_salary:", "signin/2024-05.csv:2:sign_in:"):
        assert where in result.stdout, result.stdout
    doc = json_report(root)
    codes = sorted(e["code"] for f in doc["files"] for e in f["errors"])
    assert codes == ["bad_time", "negative_money", "unknown_grade"]


SIGNIN_WITH_STRANGER = ("employee_id,date,sign_in,sign_out\nE001,2024-05-06,08:50,18:05\n"
                        "E404,2024-05-06,08:50,18:05\n")


def test_json_shape(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{
        "performance.csv": "employee_id,month,score\nE001,2024-05,abc\nE002,2024-05,90\n",
        "signin/2024-05.csv": SIGNIN_WITH_STRANGER,
    }))
    result = validate_dir(root, "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)  # stdout holds nothing but the JSON
    assert set(doc) == {"ok", "files"} and doc["ok"] is False
    assert isinstance(doc["files"], list) and len(doc["files"]) == 3
    for f in doc["files"]:
        assert set(f) == {"path", "rows", "errors", "warnings"}
        assert isinstance(f["path"], str) and isinstance(f["rows"], int)
        for p in f["errors"] + f["warnings"]:
            assert set(p) == {"row", "column", "code", "message"}
            assert isinstance(p["row"], int) and isinstance(p["message"], str)
    perf = file_entry(doc, "performance.csv")
    assert perf["rows"] == 2
    assert perf["errors"] == [{"row": 2, "column": "score", "code": "bad_number",
                               "message": perf["errors"][0]["message"]}]
    assert "abc" in perf["errors"][0]["message"]
    signin = file_entry(doc, "signin/2024-05.csv")
    assert signin["rows"] == 2 and signin["errors"] == [] and len(signin["warnings"]) == 1


def test_json_ok_when_only_warnings(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{"signin/2024-05.csv": SIGNIN_WITH_STRANGER}))
    result = validate_dir(root, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["ok"] is True


def test_sample_data_is_clean(sample: Path) -> None:
    result = validate_dir(sample)
    assert result.exit_code == 0, result.stdout
    assert "error:" not in result.stdout


def test_golden_is_clean(golden: Path) -> None:
    result = validate_dir(golden)
    assert result.exit_code == 0, result.stdout
    doc = json_report(golden)
    assert doc["ok"] is True and all(not f["errors"] for f in doc["files"])


def test_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = validate_dir(tmp_path / "nope")
    assert result.exit_code == 2
    assert "nope" in result.stderr


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2
    assert "nope.csv" in result.stderr


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files())
    result = validate_dir(root, "--format", "yaml")
    assert result.exit_code == 2


def test_rules_toml_problem_fails_validate(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{"rules.toml": "[fines]\nlate_erly = [\"1.00\"]\n"}))
    result = validate_dir(root)
    assert result.exit_code == 1
    assert "rules.toml:2:fines.late_erly:" in result.stdout


def test_text_after_many_blank_lines_is_not_an_empty_file(tmp_path: Path) -> None:
    """The emptiness check looks at the first 4 KB first; text further down still counts."""
    from cs_rules.loading.sources import _blank

    assert _blank(b"\r\n" * 5000) and _blank(b"")
    assert not _blank(b"\r\n" * 5000 + b"employee_id,start_date\n")


def test_summary_counts_rows_with_thousands_separators(tmp_path: Path) -> None:
    """The summary line writes 1,204 rows as the inventory above it does, not 1204."""
    signin = tmp_path / "signin.csv"
    lines = ["employee_id,name,date,sign_in,sign_out"]
    lines += [f"E{i:04d},员工{i},2024-05-06,08:55,18:05" for i in range(1204)]
    signin.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("validate", str(signin))
    assert "1,204 row(s) checked" in result.stdout, result.stdout
