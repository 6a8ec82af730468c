#!/usr/bin/env python3
"""Generate a synthetic company-sized data folder for benchmarks.

Writes the canonical CSV layout of ``DATA.md`` (``roster.csv``,
``signin/<month>.csv``, ``leave.csv``, ``violations.csv``, ``performance.csv``,
``awards.csv``) for one month.  Everything is vectorised with numpy/pandas, so
40,000 people (about a million sign-in rows) take a few seconds.  Deterministic
for a given ``seed``.

    .venv/bin/python scripts/synth.py DIR [--employees 40000] [--month 2024-05] [--seed 1] [--json]
        [--xlsx DIR] [--zkteco DIR] [--dingtalk DIR] [--rota DIR]

``--xlsx``, ``--zkteco`` and ``--dingtalk`` also write the same people and punches as other
data folders (each with the same roster and the other CSVs): the sign-in sheet as an XLSX
(date and time cells, as Excel saves them), a ZKTeco (中控) punch log ``.xlsx`` (``部门, 姓名,
考勤号码, 日期时间, 机器号, 编号, 比对方式, 卡号``: one row per punch, the roster's
``vendor_id`` is the 考勤号码) and a DingTalk 原始记录 sheet (title, generation time, header,
one row per punch with 打卡结果).  ``--rota`` writes the same CSVs with every second person in a
rota group (the roster's ``schedule`` column, a ``shifts.csv`` row per person and day of the month,
shifts ``early``/``late`` on workdays and ``rest`` otherwise, both 09:00–18:00 so the payroll is the
flat company's): the schedule code paths at company scale.  The workbooks are written straight as sheet XML (inline
strings), so a million rows take seconds, not minutes.

Proportions (per employee-workday unless noted): ~5% late (mostly a few
minutes, about one in eight over 30 minutes), ~2% early leave, ~0.5% one punch
missing, ~0.3% absent (no row, or a row with both punches empty).  Per person:
~1% join and ~1% leave inside the month (with a notice date), ~2% take 1–3
days of leave, ~3% have logged violations, ~97% have a performance score, a
few have awards.  The data is clean: it validates without errors.
"""

from __future__ import annotations

import argparse
import calendar as _cal
import datetime as dt
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

GRADES = np.array(["probation", "junior", "mid", "senior", "reserve_supervisor"], dtype=object)
GRADE_P = [0.15, 0.35, 0.25, 0.18, 0.07]
GRADE_BASE = {"probation": 1800, "junior": 2200, "mid": 2500, "senior": 3000, "reserve_supervisor": 4000}
LEAVE_TYPES = np.array(["personal", "sick", "annual", "marriage", "paternity", "bereavement", "lieu"], dtype=object)
LEAVE_P = [0.40, 0.25, 0.20, 0.03, 0.03, 0.03, 0.06]
CODES = np.array(["desk_untidy", "private_call", "registration_error", "chatting", "report_misconduct",
                  "off_post", "offline", "complaint_unanswered", "complaint_attitude", "unfinished_work"],
                 dtype=object)
CODE_P = [0.12, 0.10, 0.14, 0.12, 0.04, 0.12, 0.14, 0.08, 0.08, 0.06]
AWARDS = np.array(["service_star", "sales_champion", "best_newcomer", "busy_bee", "best_trainer", "nomination"],
                  dtype=object)
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
GIVEN = list("伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红鹏飞琳晶燕婷雪慧颖倩宇浩凯佳欣怡晨")

# rates
P_LATE, P_LATE_LONG, P_EARLY, P_MISSING, P_ABSENT = 0.05, 0.12, 0.02, 0.005, 0.003
P_JOIN, P_LEAVE, P_LEAVE_REQ, P_VIOL, P_PERF, P_AWARD = 0.01, 0.01, 0.02, 0.03, 0.97, 0.003


# --------------------------------------------------------------------------
# calendar (RULEBOOK §1), same reading as cs_rules.engine.calendar
# --------------------------------------------------------------------------
_MAY_2024_REST = {1, 2, 3, 4, 5, 12, 19, 26}


def month_days(month: str) -> list[dt.date]:
    y, m = map(int, month.split("-"))
    return [dt.date(y, m, d) for d in range(1, _cal.monthrange(y, m)[1] + 1)]


def is_dept_workday(day: dt.date) -> bool:
    """Make-up workday → workday; holiday block (or in-lieu day) → rest; else Sunday rests."""
    try:
        import chinese_calendar as cc

        on_holiday, name = cc.get_holiday_detail(day)
        if cc.is_workday(day) and name is not None and day.isoweekday() in (6, 7):
            return True
        if on_holiday and name is not None:
            return False
        if hasattr(cc, "is_in_lieu") and cc.is_in_lieu(day):
            return False
    except (ImportError, NotImplementedError):
        if (day.year, day.month) == (2024, 5):
            return day.day not in _MAY_2024_REST
    return day.isoweekday() != 7


def workdays(month: str) -> list[dt.date]:
    return [d for d in month_days(month) if is_dept_workday(d)]


def day_end_seconds(day: dt.date) -> int:
    summer = dt.date(day.year, 5, 1) <= day <= dt.date(day.year, 9, 30)
    return 18 * 3600 if summer else 17 * 3600 + 1800


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
_HMS = np.array([f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}" for s in range(86400)], dtype=object)


def _hms(seconds: np.ndarray) -> np.ndarray:
    """Seconds since midnight (−1 = missing) → 'HH:MM:SS' strings ('' when missing)."""
    out = _HMS[np.clip(seconds, 0, 86399)]
    out[seconds < 0] = ""
    return out


def _iso(days: np.ndarray, epoch: dt.date) -> np.ndarray:
    """Day offsets from ``epoch`` → ISO date strings."""
    uniq, inv = np.unique(days, return_inverse=True)
    table = np.array([(epoch + dt.timedelta(int(u))).isoformat() for u in uniq], dtype=object)
    return table[inv]


def _write(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n")


# --------------------------------------------------------------------------
# the company
# --------------------------------------------------------------------------
def make_company(dir: str | Path, employees: int = 40000, month: str = "2024-05", seed: int = 1,
                 extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write a synthetic data folder into ``dir``; return a summary (row counts, sample ids).

    ``extra``, when given, receives the arrays the other layouts are written from."""
    out = Path(dir)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("roster.csv", "leave.csv", "violations.csv", "performance.csv", "awards.csv", "calendar.csv",
                 "rules.toml", "roster.xlsx"):
        (out / name).unlink(missing_ok=True)
    if (out / "signin").exists():
        shutil.rmtree(out / "signin")
    (out / "signin").mkdir()

    rng = np.random.default_rng(seed)
    n = int(employees)
    days = month_days(month)
    first = days[0]
    wdays = workdays(month)
    nd = len(days)
    w_off = np.array([(d - first).days for d in wdays], dtype=np.int64)  # workday offsets in the month
    w_end = np.array([day_end_seconds(d) for d in wdays], dtype=np.int64)
    nw = len(wdays)

    # ---------------- roster
    width = max(6, len(str(n)))
    ids = np.array([f"E{i:0{width}d}" for i in range(1, n + 1)], dtype=object)
    sn = np.array(SURNAMES, dtype=object)[rng.integers(0, len(SURNAMES), n)]
    g1 = np.array(GIVEN, dtype=object)[rng.integers(0, len(GIVEN), n)]
    g2 = np.array(GIVEN, dtype=object)[rng.integers(0, len(GIVEN), n)]
    two = rng.random(n) < 0.6
    names = np.where(two, sn + g1 + g2, sn + g1)
    grade = GRADES[rng.choice(len(GRADES), n, p=GRADE_P)]

    kind = rng.random(n)
    joins = kind < P_JOIN
    leaves = (kind >= P_JOIN) & (kind < P_JOIN + P_LEAVE)
    # hire offsets relative to the 1st of the month (negative = before)
    hire = -rng.integers(1, 8 * 365, n)
    hire[joins] = rng.integers(1, nd - 1, int(joins.sum()))  # day 2 .. second-to-last
    leave_off = np.full(n, -1, dtype=np.int64)
    leave_off[leaves] = rng.integers(1, nd - 1, int(leaves.sum()))
    notice = leave_off - rng.integers(15, 45, n)
    short = leaves & (rng.random(n) < 0.1)
    notice[short] = leave_off[short] - rng.integers(1, 15, int(short.sum()))
    base = np.full(n, "", dtype=object)
    custom = rng.random(n) < 0.02
    base[custom] = np.array([GRADE_BASE[g] + 100 * int(k) for g, k in
                             zip(grade[custom], rng.integers(1, 10, int(custom.sum())), strict=True)],
                            dtype=object).astype(str)
    roster = pd.DataFrame({
        "employee_id": ids, "name": names, "grade": grade,
        "hire_date": _iso(hire, first),
        "leave_date": np.where(leaves, _iso(np.where(leaves, leave_off, 0), first), ""),
        "notice_date": np.where(leaves, _iso(np.where(leaves, notice, 0), first), ""),
        "base_salary": base,
    })
    _write(roster, out / "roster.csv")

    # ---------------- employment window over the month's workdays (n × nw)
    start = np.maximum(hire, 0)
    end = np.where(leave_off >= 0, leave_off, nd - 1)
    in_window = (w_off[None, :] >= start[:, None]) & (w_off[None, :] <= end[:, None])

    # ---------------- leave requests (one per person, 1–3 consecutive workdays inside the window)
    emp_wd_count = in_window.sum(axis=1)
    takers = np.flatnonzero((rng.random(n) < P_LEAVE_REQ) & (emp_wd_count >= 3))
    k = len(takers)
    lv_len = rng.integers(1, 4, k)
    first_wd = np.argmax(in_window[takers], axis=1)
    lv_start_idx = first_wd + (rng.random(k) * (emp_wd_count[takers] - lv_len + 1)).astype(np.int64)
    lv_end_idx = lv_start_idx + lv_len - 1
    lv_type = LEAVE_TYPES[rng.choice(len(LEAVE_TYPES), k, p=LEAVE_P)]
    half = (lv_len == 1) & (rng.random(k) < 0.15)
    cert = np.where((lv_type == "sick") & (rng.random(k) < 0.5), "yes", "")
    approved = np.where(rng.random(k) < 0.03, "no", "")
    leave = pd.DataFrame({
        "employee_id": ids[takers],
        "start_date": _iso(w_off[lv_start_idx], first),
        "end_date": _iso(w_off[lv_end_idx], first),
        "type": lv_type, "half_day": np.where(half, "yes", ""), "certificate": cert, "approved": approved,
    })
    _write(leave, out / "leave.csv")
    on_leave = np.zeros_like(in_window)
    for j in range(3):  # lv_len ≤ 3: mark the full-day leave workdays
        rows = takers[(lv_len > j) & ~half]
        on_leave[rows, (lv_start_idx + j)[(lv_len > j) & ~half]] = True

    # ---------------- sign-in sheet (one row per employee per workday in the window)
    present = in_window & ~on_leave
    e_idx, w_idx = np.nonzero(present)  # row-major: employee order, then date order
    m = len(e_idx)
    u = rng.random(m)
    absent = u < P_ABSENT
    no_row = absent & (rng.random(m) < 0.5)
    late = (u >= P_ABSENT) & (u < P_ABSENT + P_LATE)
    early = (u >= P_ABSENT + P_LATE) & (u < P_ABSENT + P_LATE + P_EARLY)
    missing = (u >= P_ABSENT + P_LATE + P_EARLY) & (u < P_ABSENT + P_LATE + P_EARLY + P_MISSING)

    start9 = 9 * 3600
    sign_in = start9 - 1 - (rng.exponential(600.0, m).astype(np.int64) % 1800)  # 08:30–08:59:59
    late_long = late & (rng.random(m) < P_LATE_LONG)
    late_s = 1 + np.minimum(rng.exponential(300.0, m), 1799).astype(np.int64)  # a few minutes (≤ 30)
    late_s[late_long] = 1801 + rng.integers(0, 7200, int(late_long.sum()))  # 30 min – 2.5 h
    sign_in = np.where(late, start9 + late_s, sign_in)
    end_s = w_end[w_idx]
    sign_out = end_s + np.minimum(rng.exponential(900.0, m), 7200).astype(np.int64)
    sign_out = np.where(early, end_s - 1 - np.minimum(rng.exponential(900.0, m), 3 * 3600).astype(np.int64),
                        sign_out)
    miss_in = missing & (rng.random(m) < 0.4)
    sign_in[miss_in | absent] = -1
    sign_out[(missing & ~miss_in) | absent] = -1

    keep = ~no_row
    e_k, w_k = e_idx[keep], w_idx[keep]
    date_tab = np.array([d.isoformat() for d in wdays], dtype=object)
    signin = pd.DataFrame({
        "employee_id": ids[e_k], "name": names[e_k], "date": date_tab[w_k],
        "sign_in": _hms(sign_in[keep]), "sign_out": _hms(sign_out[keep]),
    })
    _write(signin, out / "signin" / f"{month}.csv")

    # ---------------- violations (~3% of people, 1–3 events on their workdays)
    viol_people = np.flatnonzero((rng.random(n) < P_VIOL) & (emp_wd_count >= 1))
    per = rng.integers(1, 4, len(viol_people))
    v_emp = np.repeat(viol_people, per)
    nv = len(v_emp)
    v_first = np.argmax(in_window[v_emp], axis=1)
    v_wd = v_first + (rng.random(nv) * emp_wd_count[v_emp]).astype(np.int64)
    v_code = CODES[rng.choice(len(CODES), nv, p=CODE_P)]
    v_min = np.where(v_code == "off_post", rng.integers(5, 40, nv).astype(str), "")
    v_pts = np.where(v_code == "unfinished_work", np.where(rng.random(nv) < 0.5, "0.5", "1"), "")
    viol = pd.DataFrame({"date": _iso(w_off[v_wd], first), "employee_id": ids[v_emp], "code": v_code,
                         "minutes": v_min, "points": v_pts, "note": ""})
    viol = viol.sort_values(["date", "employee_id"], kind="stable")
    _write(viol, out / "violations.csv")

    # ---------------- performance (most people), awards (a few)
    employed = emp_wd_count >= 1
    perf_people = np.flatnonzero(employed & (rng.random(n) < P_PERF))
    score = np.clip(np.round(rng.normal(78, 12, len(perf_people))), 0, 100).astype(np.int64)
    _write(pd.DataFrame({"employee_id": ids[perf_people], "month": month, "score": score}),
           out / "performance.csv")
    award_people = np.flatnonzero(employed & (rng.random(n) < P_AWARD))
    _write(pd.DataFrame({"employee_id": ids[award_people], "month": month,
                         "award": AWARDS[rng.integers(0, len(AWARDS), len(award_people))]}),
           out / "awards.csv")

    company = {"ids": ids, "names": names, "e": e_k, "w": w_k, "wdays": wdays,
               "sign_in": sign_in[keep], "sign_out": sign_out[keep], "late": late[keep], "early": early[keep]}
    if extra is not None:
        extra.update(company)

    # a person with something to show for `fines`: late, early and a logged fine in the month
    late_people = np.unique(e_idx[late])
    fineable = np.intersect1d(late_people, viol_people)
    sample = ids[fineable[0]] if len(fineable) else ids[0]
    return {
        "dir": str(out), "month": month, "employees": n, "workdays": nw,
        "signin_rows": int(keep.sum()), "leave_rows": len(leave), "violation_rows": len(viol),
        "performance_rows": len(perf_people), "award_rows": len(award_people),
        "joining": int(joins.sum()), "leaving": int(leaves.sum()),
        "late": int(late[keep].sum()), "early": int(early[keep].sum()), "missing_punch": int(missing.sum()),
        "absent": int(absent.sum()), "sample_employee": str(sample),
    }


# --------------------------------------------------------------------------
# the same punches as workbooks (sheet XML written directly)
# --------------------------------------------------------------------------
_EPOCH = dt.date(1899, 12, 30)
_STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           '<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>'
           '<numFmt numFmtId="165" formatCode="hh:mm:ss"/><numFmt numFmtId="166" formatCode="yyyy\\-mm\\-dd hh:mm:ss"/>'
           '</numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
           '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
           '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
           '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
           '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
           '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
           '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
           '</cellXfs></styleSheet>')
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _esc(v: str) -> str:
    return v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text_cells(col: str, values: np.ndarray, sst: dict[str, int]) -> np.ndarray:
    """Shared-string cells of one column (row numbers filled in later), as Excel writes them;
    '' stays an empty cell.  ``sst`` collects the workbook's strings."""
    uniq, inv = np.unique(values.astype(str), return_inverse=True)
    tab = np.array(["" if u == "" else f'<c r="{col}#" t="s"><v>{sst.setdefault(u, len(sst))}</v></c>' for u in uniq],
                   dtype=object)
    return tab[inv]


def _num_cells(col: str, values: np.ndarray, style: int, present: np.ndarray | None = None) -> np.ndarray:
    out = np.array([f'<c r="{col}#" s="{style}"><v>{v!r}</v></c>' for v in values.tolist()], dtype=object)
    if present is not None:
        out[~present] = ""
    return out


def write_xlsx(path: Path, sheets: list[tuple[str, list[str], list[np.ndarray]]], sst: dict[str, int]) -> None:
    """A workbook of ``(sheet name, rows above the data, [cells of each column])``; each column
    is an array of cell XML with ``#`` where the row number goes; ``sst`` the shared strings."""
    import zipfile

    names = [s[0] for s in sheets]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="'
                   'application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
                   'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
                   'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
                   'styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                   '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.sharedStrings+xml"/>'
                   + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.'
                             'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                             for i in range(1, len(names) + 1)) + "</Types>")
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                   'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                   'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS} '
                   f'{_RNS}><sheets>' + "".join(f'<sheet name="{_esc(n)}" sheetId="{i}" r:id="rId{i}"/>'
                                                for i, n in enumerate(names, 1)) + "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
                             f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                             for i in range(1, len(names) + 1))
                   + f'<Relationship Id="rId{len(names) + 1}" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/styles" Target="styles.xml"/>'
                   f'<Relationship Id="rId{len(names) + 2}" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        z.writestr("xl/styles.xml", _STYLES)
        z.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {_NS} '
                   f'count="{len(sst)}" uniqueCount="{len(sst)}">'
                   + "".join(f"<si><t>{_esc(t)}</t></si>" for t in sst) + "</sst>")
        for i, (_name, top, cols) in enumerate(sheets, 1):
            with z.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as fh:
                fh.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS}><sheetData>'
                         .encode())
                for r, line in enumerate(top, 1):
                    fh.write(f'<row r="{r}">{line.replace("#", str(r))}</row>'.encode())
                n = len(cols[0]) if cols else 0
                base = len(top) + 1
                for lo in range(0, n, 50_000):
                    hi = min(n, lo + 50_000)
                    parts = []
                    for k in range(lo, hi):
                        r = str(base + k)
                        parts.append(f'<row r="{r}">' + "".join(c[k] for c in cols).replace("#", r) + "</row>")
                    fh.write("".join(parts).encode())
                fh.write(b"</sheetData></worksheet>")


def _header(labels: list[str], sst: dict[str, int]) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "".join(f'<c r="{letters[j]}#" t="s"><v>{sst.setdefault(t, len(sst))}</v></c>' for j, t in enumerate(labels))


def _copy_company(src: Path, dst: Path, roster_extra: dict[str, np.ndarray] | None = None) -> None:
    """``dst`` as a data folder with ``src``'s CSVs (roster with ``roster_extra`` columns) and an empty signin/."""
    dst.mkdir(parents=True, exist_ok=True)
    if (dst / "signin").exists():
        shutil.rmtree(dst / "signin")
    (dst / "signin").mkdir()
    for f in src.glob("*.csv"):
        if f.name == "roster.csv" and roster_extra:
            roster = pd.read_csv(f, dtype=str, keep_default_na=False)
            for k, v in roster_extra.items():
                roster[k] = v
            _write(roster, dst / f.name)
        else:
            shutil.copyfile(f, dst / f.name)


ROTA_RULES = """
[shifts.early]
start = "09:00"
end = "18:00"
zh = "早班"
en = "early"

[shifts.late]
start = "09:00"
end = "18:00"
zh = "晚班"
en = "late"

[schedules.rota]
week = ["rest", "rest", "rest", "rest", "rest", "rest", "rest"]
"""


def write_rota(co: dict[str, Any], src: Path, dst: Path, month: str) -> int:
    """The company with every second person on a rota (shifts.csv); the number of rota rows."""
    n = len(co["ids"])
    on_rota = np.arange(n) % 2 == 1
    _copy_company(src, dst, {"schedule": np.where(on_rota, "rota", "")})
    shutil.copytree(src / "signin", dst / "signin", dirs_exist_ok=True)
    days = month_days(month)
    people = np.flatnonzero(on_rota)
    shift = np.array([("early" if d.day % 2 else "late") if is_dept_workday(d) else "rest" for d in days],
                     dtype=object)
    frame = pd.DataFrame({"employee_id": np.repeat(co["ids"][people], len(days)),
                          "date": np.tile(np.array([d.isoformat() for d in days], dtype=object), len(people)),
                          "shift": np.tile(shift, len(people))})
    _write(frame, dst / "shifts.csv")
    (dst / "rules.toml").write_text(ROTA_RULES, "utf-8")
    return len(frame)


def write_signin_xlsx(co: dict[str, Any], src: Path, dst: Path, month: str) -> int:
    """The canonical sign-in sheet as an XLSX with date and time cells."""
    _copy_company(src, dst)
    sst: dict[str, int] = {}
    e, w = co["e"], co["w"]
    serial = np.array([(d - _EPOCH).days for d in co["wdays"]], dtype=np.int64)[w]
    cols = [_text_cells("A", co["ids"][e], sst), _text_cells("B", co["names"][e], sst),
            _num_cells("C", serial, 1)]
    for letter, secs in (("D", co["sign_in"]), ("E", co["sign_out"])):
        cols.append(_num_cells(letter, secs / 86400.0, 2, secs >= 0))
    write_xlsx(dst / "signin" / f"{month}.xlsx",
               [(month, [_header(["employee_id", "name", "date", "sign_in", "sign_out"], sst)], cols)], sst)
    return len(e)


def _punch_rows(co: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(employee index, workday index, seconds, in?) of every punch, person by person, day by day."""
    e, w = co["e"], co["w"]
    n = len(e)
    emp = np.repeat(e, 2)
    day = np.repeat(w, 2)
    secs = np.empty(2 * n, dtype=np.int64)
    secs[0::2], secs[1::2] = co["sign_in"], co["sign_out"]
    is_in = np.tile(np.array([True, False]), n)
    return emp, day, secs, is_in


def write_zkteco(co: dict[str, Any], src: Path, dst: Path) -> int:
    """A ZKTeco punch log .xlsx: 部门, 姓名, 考勤号码, 日期时间 (a date-time cell), 机器号, 编号 (empty),
    比对方式, 卡号 (empty); the roster's vendor_id holds each person's 考勤号码."""
    n = len(co["ids"])
    number = np.arange(1, n + 1)
    _copy_company(src, dst, {"vendor_id": number.astype(str)})
    sst: dict[str, int] = {}
    emp, day, secs, _in = _punch_rows(co)
    keep = secs >= 0
    emp, day, secs = emp[keep], day[keep], secs[keep]
    serial = np.array([(d - _EPOCH).days for d in co["wdays"]], dtype=np.float64)[day] + secs / 86400.0
    m = len(emp)
    cols = [_text_cells("A", np.full(m, "客服部", dtype=object), sst), _text_cells("B", co["names"][emp], sst),
            _num_cells("C", number[emp], 0), _num_cells("D", serial, 3), _num_cells("E", np.ones(m, np.int64), 0),
            np.full(m, "", dtype=object), _text_cells("G", np.where(secs % 7 == 0, "面部", "指纹"), sst),
            np.full(m, "", dtype=object)]
    head = _header(["部门", "姓名", "考勤号码", "日期时间", "机器号", "编号", "比对方式", "卡号"], sst)
    write_xlsx(dst / "signin" / "考勤记录.xlsx", [("Sheet1", [head], cols)], sst)
    return m


def write_dingtalk(co: dict[str, Any], src: Path, dst: Path, month: str) -> int:
    """DingTalk 原始记录: title and generation-time rows, the header (row 3, merged over row 4) and
    one row per punch — a missing punch is a row with an empty 打卡时间 and 打卡结果 缺卡."""
    _copy_company(src, dst)
    sst: dict[str, int] = {}
    emp, day, secs, is_in = _punch_rows(co)
    m = len(emp)
    wdays = co["wdays"]
    weekday = "一二三四五六日"
    dlabel = np.array([f"{d:%y-%m-%d} 星期{weekday[d.weekday()]}" for d in wdays], dtype=object)[day]
    due = np.where(is_in, np.array([f"{d.isoformat()} 09:00" for d in wdays], dtype=object)[day],
                   np.array([f"{d.isoformat()} 18:00" for d in wdays], dtype=object)[day])
    iso = np.array([d.isoformat() for d in wdays], dtype=object)[day]
    stamp = np.where(secs >= 0, iso + " " + _hms(secs), "")
    result = np.where(secs < 0, "缺卡", "正常").astype(object)
    both = (secs < 0) & np.repeat((co["sign_in"] < 0) & (co["sign_out"] < 0), 2)
    result[both] = "旷工"
    row = np.repeat(np.arange(len(co["e"])), 2)  # the sign-in row each punch comes from
    result[co["late"][row] & is_in & (secs >= 0)] = "迟到"
    result[co["early"][row] & ~is_in & (secs >= 0)] = "早退"
    place = np.where(secs >= 0, "客服中心", "")
    cols = [_text_cells("A", co["names"][emp], sst), _text_cells("B", np.full(m, "客服部考勤组", dtype=object), sst),
            _text_cells("C", np.full(m, "客服部", dtype=object), sst), _text_cells("D", co["ids"][emp], sst),
            _text_cells("E", np.full(m, "客服", dtype=object), sst),
            _text_cells("F", np.char.add("u", co["ids"][emp].astype(str)).astype(object), sst),
            _text_cells("G", dlabel, sst), _text_cells("H", due, sst), _text_cells("I", stamp, sst),
            _text_cells("J", result, sst),
            _text_cells("K", place, sst)]
    first, last = wdays[0], month_days(month)[-1]
    top = [_header([f"原始记录 统计日期：{month}-01 至 {last.isoformat()}"], sst),
           _header([f"报表生成时间：{first.isoformat()} 10:00"], sst),
           _header(["姓名", "考勤组", "部门", "工号", "职位", "UserId", "考勤日期", "考勤时间", "打卡时间", "打卡结果",
                    "打卡地址"], sst), ""]
    write_xlsx(dst / "signin" / "钉钉考勤报表.xlsx", [("原始记录", top, cols)], sst)
    return m


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("dir", help="output data folder (created; files it owns are replaced)")
    ap.add_argument("--employees", type=int, default=40000)
    ap.add_argument("--month", default="2024-05", help="YYYY-MM (default 2024-05)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    ap.add_argument("--xlsx", metavar="DIR", help="also write the company with its sign-in sheet as XLSX into DIR")
    ap.add_argument("--zkteco", metavar="DIR", help="also write it with a ZKTeco punch log .xlsx into DIR")
    ap.add_argument("--dingtalk", metavar="DIR", help="also write it with a DingTalk 原始记录 .xlsx into DIR")
    ap.add_argument("--rota", metavar="DIR", help="also write it with half the people on a rota (shifts.csv) into DIR")
    a = ap.parse_args(argv)
    try:
        dt.date.fromisoformat(a.month + "-01")
    except ValueError:
        ap.error(f"bad --month {a.month!r}: use YYYY-MM")
    t0 = time.perf_counter()
    co: dict[str, Any] = {}
    info = make_company(a.dir, a.employees, a.month, a.seed, co)
    if a.xlsx:
        info["xlsx_rows"] = write_signin_xlsx(co, Path(a.dir), Path(a.xlsx), a.month)
    if a.zkteco:
        info["zkteco_rows"] = write_zkteco(co, Path(a.dir), Path(a.zkteco))
    if a.dingtalk:
        info["dingtalk_rows"] = write_dingtalk(co, Path(a.dir), Path(a.dingtalk), a.month)
    if a.rota:
        info["rota_rows"] = write_rota(co, Path(a.dir), Path(a.rota), a.month)
    info["seconds"] = round(time.perf_counter() - t0, 2)
    if a.json:
        print(json.dumps(info))
        return 0
    for key, val in info.items():
        print(f"{key:>18}: {val}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
