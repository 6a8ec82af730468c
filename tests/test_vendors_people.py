"""Who a row is about (issue 13 §4): unknown ids that name a roster person are errors
that name them; an id and a name of two people is an error; the rest are warnings,
listed together.  One test per mistake, each asserting the message and the place."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from conftest import make_folder, valid_files

from cs_rules import api
from cs_rules.loading.people import match_people, normalise_id

ROSTER = ("employee_id,name,grade,hire_date\n"
          "CS005,陈静,junior,2023-01-09\n"
          "001,王强,mid,2022-03-01\n"
          "E002,李四,mid,2022-03-01\n")


def problems(tmp_path: Path, signin: str, roster: str = ROSTER) -> list:
    root = make_folder(tmp_path, valid_files(**{"roster.csv": roster, "signin/2024-05.csv": signin}))
    return [p for p in api.validate([], root).data.problems.items
            if p.code in ("did_you_mean", "id_name_mismatch", "not_on_roster")]


def test_leading_zeros_dropped_is_an_error_naming_the_person(tmp_path: Path) -> None:
    got = problems(tmp_path, "employee_id,name,date,sign_in,sign_out\n"
                             "CS005,陈静,2024-05-06,08:50,18:05\n"
                             "CS05,陈静,2024-05-07,08:50,18:05\n"
                             "CS05,陈静,2024-05-08,08:50,18:05\n")
    assert len(got) == 1
    p = got[0]
    assert (p.severity, p.code, p.row, p.column) == ("error", "did_you_mean", 3, "employee_id")
    assert p.message == "'CS05' 陈静 is not on the roster — did you mean 'CS005' 陈静? (and 1 more rows)"
    assert p.format().startswith(p.file + ":3:employee_id: 'CS05' 陈静")


def test_excel_mangled_number_is_an_error(tmp_path: Path) -> None:
    got = problems(tmp_path, "employee_id,date,sign_in,sign_out\n1,2024-05-06,08:50,18:05\n")
    assert [(p.code, p.row) for p in got] == [("did_you_mean", 2)]
    assert "did you mean '001' 王强?" in got[0].message


def test_full_width_id_is_an_error(tmp_path: Path) -> None:
    got = problems(tmp_path, "employee_id,date,sign_in,sign_out\nＣＳ００５,2024-05-06,08:50,18:05\n")
    assert [(p.code, p.severity) for p in got] == [("did_you_mean", "error")]
    assert "'CS005' 陈静" in got[0].message


def test_unknown_id_whose_name_is_on_the_roster_is_an_error(tmp_path: Path) -> None:
    got = problems(tmp_path, "employee_id,name,date,sign_in,sign_out\nX9,李四,2024-05-06,08:50,18:05\n")
    assert [(p.code, p.row) for p in got] == [("did_you_mean", 2)]
    assert got[0].message.startswith("'X9' 李四 is not on the roster — did you mean 'E002' 李四?")


def test_id_and_name_of_two_people_is_an_error(tmp_path: Path) -> None:
    got = problems(tmp_path, "employee_id,name,date,sign_in,sign_out\nCS005,李四,2024-05-06,08:50,18:05\n")
    assert [(p.code, p.severity, p.row, p.column) for p in got] == [("id_name_mismatch", "error", 2, "name")]
    assert "'CS005' 陈静" in got[0].message and "李四" in got[0].message


def test_unknown_people_without_a_match_are_one_warning(tmp_path: Path) -> None:
    got = problems(tmp_path, "employee_id,name,date,sign_in,sign_out\n"
                             "CS005,陈静,2024-05-06,08:50,18:05\n"
                             "Z1,赵一,2024-05-06,08:50,18:05\n"
                             "Z2,,2024-05-06,08:50,18:05\nZ2,,2024-05-07,08:50,18:05\n")
    assert [(p.code, p.severity, p.row) for p in got] == [("not_on_roster", "warning", 3)]
    assert "'Z1' (1 row, first on row 3)" in got[0].message and "'Z2' (2 rows, first on row 4)" in got[0].message


def test_ids_stay_text(tmp_path: Path) -> None:
    root = make_folder(tmp_path, valid_files(**{"roster.csv": ROSTER, "signin/2024-05.csv":
                                                "employee_id,date,sign_in,sign_out\n001,2024-05-06,08:50,18:05\n"}))
    data = api.validate([], root).data
    assert not [p for p in data.problems.items if p.code in ("did_you_mean", "not_on_roster")]
    assert list(data.signins["employee_id"]) == ["001"]


def test_vendor_rows_follow_the_same_rules() -> None:
    roster = pd.DataFrame({"employee_id": ["CS005", "E002"], "name": ["陈静", "李四"], "vendor_id": [pd.NA, pd.NA]})
    frame = pd.DataFrame({"key_kind": ["employee_id", "employee_id", "vendor_id"], "key": ["CS05", "E002", "zs"],
                          "name": ["陈静", "陈静", "张三"], "vendor_id": [pd.NA, pd.NA, "zs"],
                          "_row": [5, 6, 7], "_sheet": ["原始记录"] * 3})
    out, probs = match_people(frame, roster, "x.xlsx")
    by = {p.code: p for p in probs}
    assert by["did_you_mean"].severity == "error" and by["did_you_mean"].row == 5
    assert "did you mean 'CS005' 陈静?" in by["did_you_mean"].message
    assert by["id_name_mismatch"].row == 6 and by["id_name_mismatch"].severity == "error"
    assert by["unknown_person"].severity == "warning" and "张三 (zs, row 7)" in by["unknown_person"].message
    assert pd.isna(out.loc[0, "employee_id"]) and out.loc[1, "employee_id"] == "E002"


def test_normalised_ids() -> None:
    assert normalise_id("ＣＳ００５") == normalise_id("cs5") == normalise_id("CS005")
    assert normalise_id("001") == "1" and normalise_id("E1001") == "e1001"
