"""What cs-rules writes, so it can tell its own reports from inputs.

A report written earlier may be replaced by ``-o`` and is not read back as data;
anything else in the data folder is an input and is protected.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

GENERATOR = "cs-rules"  # the workbook's custom document property ``generator``

PAYROLL_FIELDS = ["employee_id", "name", "grade", "base_salary", "daily_rate", "workdays", "attended_days",
                  "late_count", "early_leave_count", "missing_punch_count", "absent_days",
                  "personal_leave_days", "sick_leave_days", "paid_leave_days", "base_pay", "absence_penalty",
                  "performance_pay", "bonus_total", "fines_total", "score", "score_level", "net_pay", "flags"]
# a month with approved overtime adds its two fields after bonus_total (劳动法 第44条); a month without
# keeps DATA.md's fields exactly
OVERTIME_FIELDS = ["overtime_hours", "overtime_pay"]
PAYROLL_OVERTIME_FIELDS = PAYROLL_FIELDS[:PAYROLL_FIELDS.index("bonus_total") + 1] + OVERTIME_FIELDS + \
    PAYROLL_FIELDS[PAYROLL_FIELDS.index("bonus_total") + 1:]
FINES_HEADER = ["date", "code", "amount", "rule", "source", "note"]
SCORE_HEADER = ["employee_id", "name", "score", "level", "date", "code", "points", "rule", "source"]
PROMOTION_HEADER = ["employee_id", "name", "grade", "tenure_months", "kind", "step", "status", "criterion", "met",
                    "detail", "rule"]
AUDIT_HEADER = ["scope", "code", "severity", "employee_id", "name", "message", "statute", "why",
                "alternative", "silenced"]
REPORT_HEADERS = [PAYROLL_FIELDS, PAYROLL_OVERTIME_FIELDS, FINES_HEADER, SCORE_HEADER, PROMOTION_HEADER, AUDIT_HEADER]


def written_by_cs_rules(path: Path) -> bool:
    """Whether ``path`` is a report cs-rules wrote earlier (so -o may replace it).

    - a workbook (.xlsx) whose document properties name cs-rules: the custom property
      ``generator = cs-rules`` (or the ``comments`` field earlier versions wrote);
    - a CSV/TSV whose header line is exactly one of our reports' headers (payroll, fines,
      score, audit, promotion; a BOM before it is allowed);
    - a JSON file that is one of our documents (an object with ``month`` and
      ``employees``, ``items`` or ``findings``).
    Anything else (a .txt table, a file someone edited the header of) counts as theirs."""
    import zipfile

    try:
        if not path.is_file():
            return False
        suffix = path.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
                custom = z.read("docProps/custom.xml").decode("utf-8", "replace") \
                    if "docProps/custom.xml" in names else ""
                core = z.read("docProps/core.xml").decode("utf-8", "replace") if "docProps/core.xml" in names else ""
            return bool(re.search(r'name="generator"[^>]*>\s*<vt:lpwstr>cs-rules', custom)) or \
                "<dc:description>cs-rules</dc:description>" in core
        if suffix in (".csv", ".tsv"):
            with open(path, "rb") as fh:
                first = fh.readline(65536).decode("utf-8-sig", "replace").rstrip("\r\n")
            return any(first == d.join(h) for h in REPORT_HEADERS for d in (",", "\t"))
        if suffix == ".json":
            doc = json.loads(path.read_text(encoding="utf-8"))
            return isinstance(doc, dict) and "month" in doc and bool({"employees", "items", "findings"} & set(doc))
    except (OSError, ValueError, KeyError, UnicodeError, zipfile.BadZipFile):
        return False
    return False
