"""`cs-rules init`: a new data folder of template files, Chinese headers and one example row each.

The headers are the Chinese names the loader accepts (:mod:`cs_rules.loading.columns`), so a clerk
can type over the example rows in Excel or WPS; CSV files carry a UTF-8 BOM so Excel opens them
with the Chinese intact.  ``rules.toml`` loads as it is (it sets only the company name) and shows
commented overrides to copy.
"""

from __future__ import annotations

from pathlib import Path

EXAMPLE_MONTH = "2024-05"
SIGNIN_EXAMPLE = "signin/签到-示例.csv"

# file → rows (header first); made-up people
CSV_TEMPLATES: dict[str, list[list[str]]] = {
    "roster.csv": [["工号", "姓名", "职级", "入职日期"],
                   ["E001", "张三", "初级客服", "2024-01-15"]],
    SIGNIN_EXAMPLE: [["工号", "姓名", "日期", "签到时间", "签退时间"],
                     ["E001", "张三", "2024-05-06", "08:55", "18:05"]],
    "leave.csv": [["工号", "开始日期", "结束日期", "请假类型", "半天", "医院证明", "已批准"],
                  ["E001", "2024-05-08", "2024-05-08", "事假", "否", "否", "是"]],
    "violations.csv": [["日期", "工号", "违规类型", "分钟", "扣分", "备注"],
                       ["2024-05-09", "E001", "上班聊天", "", "", "示例：上班时间聊天"]],
    "performance.csv": [["工号", "月份", "绩效得分"],
                        ["E001", EXAMPLE_MONTH, "85"]],
    "awards.csv": [["工号", "月份", "奖项"],
                   ["E001", EXAMPLE_MONTH, "服务之星"]],
}

RULES_TOML = '''\
# rules.toml — this data folder's changes to the default rulebook (客服销售部规章制度).
# Write only what differs here; everything else comes from the default rulebook.
# See the whole rulebook in force, each value with its clause:  cs-rules rules --data <this folder>
# Money may be text ("10.00") or a whole number (10).  Lines starting with # are comments:
# remove the # in front of an example (and its [section] line) to use it.

[meta]
company = "示例公司"   # printed on every payslip (工资条): put your company's name here

# A grade's monthly base salary (篇5 §六), or a new grade:
# [pay.grades]
# junior = "2300.00"
# junior_plus = "2400.00"

# Pay day (next month) and the full-attendance bonus (全勤奖):
# [pay]
# pay_day = 10
# [pay.full_attendance]
# amount = "300.00"

# Fines (篇1 §五): a missing punch, and the lateness ladder (1st, 2nd and later):
# [fines]
# missing_punch = "15.00"
# [fines.late_early]
# amounts = ["10.00", "30.00"]

# The local monthly minimum wage, for `cs-rules audit`:
# [compliance]
# min_wage = 2690
'''

NEXT_STEPS = """\
next:
  1. edit {d}roster.csv: one row per employee (工号, 姓名, 职级, 入职日期); replace or delete the example
     rows of leave.csv, violations.csv, performance.csv and awards.csv, and set the company in rules.toml
  2. drop the attendance exports (DingTalk, WeCom, clock logs, sign-in sheets) into {d}signin/ and delete
     {example}
  3. cs-rules validate --data {data}   then   cs-rules payroll YYYY-MM --data {data} -o 工资-YYYY-MM.xlsx"""


def starter_files() -> dict[str, str]:
    """Every file ``init`` writes: relative path → text."""
    import csv
    import io

    out = {}
    for name, rows in CSV_TEMPLATES.items():
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows(rows)
        out[name] = buf.getvalue()
    out["rules.toml"] = RULES_TOML
    return out


def write_starter(folder: Path) -> list[Path]:
    """Write the templates into ``folder`` (which exists and is empty); the paths written."""
    written = []
    for name, text in starter_files().items():
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        p.write_bytes(b"\xef\xbb\xbf" + data if name.endswith(".csv") else data)
        written.append(p)
    return written
