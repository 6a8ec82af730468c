"""One month's payroll: attendance, fines, score and pay for everyone employed in it.

``compute_month`` is the single entry point the commands call; ``payroll``,
``fines``, ``score`` and ``explain`` all read the same :class:`MonthResult`, so
they agree to the fen and the half point by construction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cs_rules.arrays import (
    arrow_text,
    fen_text,
    gather,
    json_cells,
    positions,
    source_text,
    str_array,
    text_column,
    utf8_view,
)
from cs_rules.engine.calendar import build_calendar, make_month
from cs_rules.engine.grid import day_grid, employment
from cs_rules.engine.ledger import ledger, month_violations
from cs_rules.engine.schedule import plan as make_plan
from cs_rules.model.money import from_fen, prorate_fen, to_fen
from cs_rules.model.month import Month, parse_month
from cs_rules.problems import Problem, UsageError
from cs_rules.rulebook import Rulebook

if TYPE_CHECKING:
    import pandas as pd

    from cs_rules.model.inputs import Dataset
    from cs_rules.rules.base import PayLine

__all__ = ["MonthResult", "compute_month", "fen_text", "has_signins", "latest_month", "parse_month"]


@dataclass
class MonthResult:
    """Everything computed for one month; money columns are int64 fen."""

    month: Month
    pay_date: dt.date
    rules: Rulebook
    employees: pd.DataFrame  # one row per employee employed in the month, roster order
    grid: pd.DataFrame       # one row per employee-workday
    fines: pd.DataFrame      # ledger
    rewards: pd.DataFrame    # ledger
    score_items: pd.DataFrame  # ledger
    pay_date_note: str = ""  # set when the pay date could not consult national holidays
    pay_lines: dict[str, PayLine] | None = None  # every payslip line by code, catalogue order (fen per employee)
    problems: list[Problem] | None = None  # month-level warnings of the check rules (e.g. the award quota)
    periods: list[Any] | None = None  # (file, first day, last day) of each sign-in source: evidence of absences

    @property
    def workdays(self) -> int:
        return len(self.month.workdays)

    def find_employee(self, key: str) -> pd.Series:
        """An employee of this month by id or exact name."""
        e = self.employees
        hit = e[(e["employee_id"] == key) | (e["name"] == key)]
        if len(hit) == 0:
            raise UsageError(f"'{key}' was not employed in {self.month.label}",
                             "check the id or name, or choose another month")
        return hit.iloc[0]

    def employee_json(self, row: pd.Series) -> dict[str, Any]:
        """One employee's DATA.md payroll record (row of ``employees``)."""
        sub = self.employees.loc[[row.name]] if row.name in self.employees.index else row.to_frame().T
        return self._records(sub)[0]

    def _records(self, e: pd.DataFrame) -> list[dict[str, Any]]:
        """DATA.md payroll records for many employees at once (vectorised formatting)."""
        recs: list[dict[str, Any]] = self.frame(e).to_dict("records")
        for r in recs:
            r["flags"] = list(r["flags"])
        return recs

    def frame(self, e: pd.DataFrame | None = None, *, arrow: bool = False) -> pd.DataFrame:
        """The DATA.md payroll fields as columns: money as exact text, days as numbers.

        Text columns hold Python str objects by default, which ``to_dict`` (JSON) reads
        fastest; ``arrow=True`` keeps them Arrow-backed for the CSV writer, which then
        never builds 40,000 × 12 Python strings. The cell values are the same either way.
        """
        import pandas as pd

        if e is None:
            e = self.employees

        def text(col: Any) -> Any:
            return col if arrow else col.astype(object)

        def money(c: str) -> Any:
            a = fen_text(e[c], as_array=True)
            return a if arrow else pd.Series(a.to_numpy(dtype=object), index=e.index, dtype=object)

        return pd.DataFrame({
            "employee_id": text(e["employee_id"]), "name": text(e["name"]), "grade": text(e["grade"]),
            "base_salary": money("base_fen"), "daily_rate": money("daily_rate_fen"),
            "workdays": e["workdays"].astype("int64"), "attended_days": e["attended_days"].astype(float),
            "late_count": e["late_count"].astype("int64"), "early_leave_count": e["early_leave_count"].astype("int64"),
            "missing_punch_count": e["missing_punch_count"].astype("int64"),
            "absent_days": e["absent_days"].astype(float),
            "personal_leave_days": e["personal_leave_days"].astype(float),
            "sick_leave_days": e["sick_leave_days"].astype(float),
            "paid_leave_days": e["paid_leave_days"].astype(float),
            "base_pay": money("base_pay_fen"), "absence_penalty": money("absence_penalty_fen"),
            "performance_pay": money("performance_pay_fen"), "bonus_total": money("bonus_fen"),
            **({"overtime_hours": e["overtime_minutes"].to_numpy(dtype=float) / 60,
                "overtime_pay": money("overtime_fen")} if self.has_overtime else {}),
            "fines_total": money("fines_fen"), "score": e["score"].astype(float),
            "score_level": text(e["score_level"]), "net_pay": money("net_pay_fen"),
            "flags": e["flags"],
        }, index=e.index)

    @property
    def has_overtime(self) -> bool:
        """Whether anyone has approved overtime this month: only then do the payroll records carry
        overtime_hours and overtime_pay (DATA.md's records stay exactly as they are otherwise)."""
        e = self.employees
        return "overtime_minutes" in e and bool((e["overtime_minutes"] > 0).any())

    def payroll_json_text(self) -> str:
        """``payroll --format json``: the text of ``json.dumps(payroll_json(), ensure_ascii=False,
        indent=1)`` plus a newline, byte for byte (:meth:`payroll_json_bytes` decoded)."""
        return self.payroll_json_bytes().decode("utf-8")

    def payroll_json_bytes(self) -> bytes:
        """:meth:`payroll_json_text` as UTF-8, built column by column.

        Each column is encoded once into Arrow text the way the json module writes its cells
        (:func:`~cs_rules.arrays.json_cells`) and every record is joined from those in one Arrow
        kernel, instead of a dict per employee walked by the encoder; the bytes go out as Arrow
        holds them, never decoded into a str and encoded again.  A column holding anything else
        than the plain types the payroll frame has (a missing name, say) takes the
        record-by-record path.
        """
        import json

        def by_records() -> bytes:
            return (json.dumps(self.payroll_json(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")

        e = self.employees
        if not len(e):
            return by_records()
        import pyarrow as pa
        import pyarrow.compute as pc

        f = self.frame(e, arrow=True)
        parts: list[Any] = []  # the record's literal texts and columns, in the order they are joined
        for i, name in enumerate(f.columns):
            cells = _json_flags(f[name]) if name == "flags" else json_cells(f[name])
            if cells is None:
                return by_records()
            key = json.dumps(str(name), ensure_ascii=False)
            parts += [pa.scalar(("{\n   " if i == 0 else ",\n   ") + key + ": ", pa.large_string()), cells]
        sep = ",\n  "
        parts.append(pa.scalar("\n  }" + sep, pa.large_string()))
        # every record with the separator after it: the bytes of all records are one slice of the
        # joined array's data buffer, the last separator cut off
        joined = pc.binary_join_element_wise(*parts, pa.scalar("", pa.large_string()))
        records = utf8_view(joined)[:-len(sep)]
        mark = "\x00employees"  # stands for the records in the document around them
        doc = json.dumps(self.payroll_json_head([mark]), ensure_ascii=False, indent=1) + "\n"
        head, tail = doc.split(json.dumps(mark, ensure_ascii=False), 1)
        return b"".join((head.encode("utf-8"), records, tail.encode("utf-8")))

    def payroll_json_head(self, emps: list[Any]) -> dict[str, Any]:
        return {
            "month": self.month.label, "pay_date": self.pay_date.isoformat(), "workdays": self.workdays,
            "employees": emps,
            "totals": {"employees": len(self.employees), "net_pay": _m(int(self.employees["net_pay_fen"].sum())),
                       "fines_total": _m(int(self.employees["fines_fen"].sum()))},
        }

    def payroll_json(self) -> dict[str, Any]:
        emps = self._records(self.employees)
        return {
            "month": self.month.label, "pay_date": self.pay_date.isoformat(), "workdays": self.workdays,
            "employees": emps,
            "totals": {"employees": len(emps), "net_pay": _m(int(self.employees["net_pay_fen"].sum())),
                       "fines_total": _m(int(self.employees["fines_fen"].sum()))},
        }


def _json_flags(col: pd.Series) -> Any:
    """The flags column (a list of codes per employee) as ``json.dumps(..., indent=1)`` writes it
    inside a record, as Arrow text; None when a cell holds anything but codes.  A month has a few
    distinct lists (most are empty), so each is written once."""
    from json.encoder import encode_basestring  # type: ignore[attr-defined]

    import numpy as np
    import pyarrow as pa

    texts: dict[tuple[Any, ...], int] = {(): 0}
    uniq = ["[]"]
    which = []
    for v in col.tolist():
        if type(v) is list and not v:
            which.append(0)
            continue
        if not isinstance(v, (list, tuple, np.ndarray)):
            return None
        key = tuple(v)
        at = texts.get(key)
        if at is None:
            if any(type(x) is not str for x in key):
                return None
            at = texts[key] = len(uniq)
            uniq.append("[\n" + ",\n".join("    " + encode_basestring(x) for x in key) + "\n   ]")
        which.append(at)
    return pa.array(uniq, type=pa.large_string()).take(pa.array(np.array(which, dtype=np.int64)))


def _m(fen: Any) -> str:
    return f"{from_fen(int(fen)):.2f}"


def compute_month(data: Dataset, book: Rulebook, label: str, with_history: bool = True,
                  covered_through: dt.date | None = None) -> MonthResult:
    """Attendance, fines, score and pay for every employee of the month ``label``.

    The rulebook in force on the month's first day decides every number; the rules
    of each kind run in catalogue order (:mod:`cs_rules.rules`).  Per-employee
    figures are whole numpy columns by employee index (the grid's ``emp_idx``, which
    the ledgers' categorical ``employee_id`` shares; other tables are matched to it by
    id with one Arrow hash pass), and the employees frame is built once at the end.
    """
    import numpy as np
    import pandas as pd

    from cs_rules.rules import handler, run
    from cs_rules.rules.base import LedgerInputs, PayInputs
    from cs_rules.rules.pay import award_columns, performance_columns

    year, mon = parse_month(label)
    cal = build_calendar(data, book)
    month = make_month(cal, year, mon)
    rules = book.at(month.first)
    first, last = pd.Timestamp(month.first), pd.Timestamp(month.last)
    emp = employment(data.roster, month)
    plan = make_plan(emp, month, rules, data.shifts, data.vendor_schedule)
    g = day_grid(emp, data.signins, data.leave, data.violations, month, rules, plan, data.corrections,
                 data.approvals, vendor_verdicts(data) if rules.get("attendance.schedule") == "vendor" else None,
                 data.punches)
    v = month_violations(data.violations, emp, first, last)
    shared = LedgerInputs.of(g, v)
    fines = ledger("fine", shared, rules)
    rewards = ledger("reward", shared, rules)
    score_items = ledger("score", shared, rules)
    n = len(emp)
    ids = emp["employee_id"]
    cols: dict[str, Any] = {}  # the new columns of `employees`, in order

    # per-employee counts: grid rows run by employee, so each employee's rows are one slice
    ei = g["emp_idx"].to_numpy()
    workdays = np.bincount(ei, minlength=n)
    present = np.flatnonzero(workdays)
    heads = (np.cumsum(workdays) - workdays)[present]

    def total(col: str, dtype: str) -> np.ndarray:
        out = np.zeros(n, dtype=dtype)
        if len(present):
            out[present] = np.add.reduceat(g[col].to_numpy(), heads, dtype=dtype)
        return out

    lt = g["leave_type"].array
    leave_days = g["leave_days"].to_numpy()
    on_leave = np.flatnonzero(leave_days > 0)  # a few thousand rows

    def leave_total(*types: str) -> np.ndarray:
        hit = on_leave[np.isin(lt.codes[on_leave], [lt.categories.get_loc(t) for t in types if t in lt.categories])]
        return np.bincount(ei[hit], weights=leave_days[hit], minlength=n)  # type: ignore[no-any-return]

    cols["workdays"] = workdays.astype("int64")
    cols["attended_days"] = total("attended", "float64")
    cols["absent_days"] = total("absent", "float64")
    cols["late_count"] = total("late", "int64")
    cols["early_leave_count"] = total("early", "int64")
    cols["missing_punch_count"] = total("missing_punch", "int64")
    cols["personal_leave_days"] = leave_total("personal")  # DATA.md's columns
    cols["sick_leave_days"] = leave_total("sick")
    cols["paid_leave_days"] = leave_total(*rules.paid_leave)
    cols["unpaid_leave_days"] = leave_total(*rules.unpaid_leave)
    cols["sick_converted"] = total("sick_converted", "int64") > 0
    cols["holiday_days"] = _holiday_days(plan, month, emp)

    # base salary and daily rate
    grades = {k: to_fen(v) for k, v in rules.grades.items()}
    grade_fen = gather(np.array(list(grades.values()), dtype="int64"), positions(emp["grade"], list(grades)), 0)
    base = _base_fen(emp["base_salary"], grade_fen)
    std = Decimal(str(rules.get("pay.standard_days")))
    cols["base_fen"] = base
    cols["daily_rate_fen"] = prorate_fen(base, 2, std)  # the rate as shown, rounded
    codes, bases = pd.factorize(base)  # a few distinct bases: one Decimal each, shared
    cols["daily_rate"] = np.array([Decimal(int(b)) / 100 / std for b in bases], dtype=object)[codes]  # unrounded

    # approved overtime (劳动法 第44条): minutes and pay per employee, every row classed and priced
    from cs_rules.engine.overtime import month_overtime

    ot = month_overtime(data.overtime, emp, month, plan, base, rules)
    cols["overtime_minutes"] = ot.per_employee("minutes")
    cols["overtime_fen"] = ot.per_employee("amount_fen")

    # ledgers → totals
    cols["fines_fen"] = _ledger_total(fines, "amount_fen", g, ids)
    cols["reward_fen"] = _ledger_total(rewards, "amount_fen", g, ids)
    deducted = _ledger_total(score_items, "points", g, ids)
    cols["score_deducted"] = deducted
    score = np.clip(rules.num("score.start") - deducted, 0.0, None)
    cols["score"] = score

    # awards and the performance score (篇4 §四, 篇2 §五/§六.3)
    cols.update(award_columns(data.awards, month.label, ids, rules))
    perf_score, at = performance_columns(data.performance, month.label, ids)
    cols["performance_score"] = perf_score
    cols["performance_source"] = _source_text(data.performance, at)

    # pay lines, then the flags, then the adjustments that read the flags
    p = PayInputs(rules, month, emp, g, {"fine": fines, "reward": rewards, "score": score_items}, shared, cols)
    p.periods = [x for x in source_periods(data) if x[1] <= month.last and x[2] >= month.first]
    p.covered_through = covered_through
    p.overtime = ot
    p.plan, p.signins = plan, data.signins
    late_lines = []
    for e in rules.entries("pay"):
        r = handler("pay", e.handler)
        if r.after_flags:
            late_lines.append((e, r))
            continue
        p.lines[e.code] = r.fn(p, e, rules)
    cols["net_before_floor_fen"] = sum((line.amount_fen for line in p.lines.values()), np.zeros(n, dtype="int64"))
    for e in rules.entries("flag"):
        p.flags[e.code] = np.asarray(handler("flag", e.handler).fn(p, e, rules), dtype=bool)
    for e, r in late_lines:
        p.lines[e.code] = r.fn(p, e, rules)
    _pay_columns(p)
    flag_codes = list(p.flags)
    cols["flags"] = _flag_lists(np.column_stack([p.flags[k] for k in flag_codes]) if flag_codes
                                else np.zeros((n, 0), dtype=bool), flag_codes)

    # score level, with `severe` over three months (篇10 §五)
    levels = ["ok", "warning", "penalty", "severe"]
    level = np.where(score <= rules.num("score.penalty_at_most"), 2,
                     np.where(score <= rules.num("score.warning_at_most"), 1, 0))
    if with_history:
        low = score <= rules.num("score.warning_at_most")
        if bool(low.any()):
            severe = low.copy()
            y, m = year, mon
            for _ in range(int(rules.get("score.severe_months")) - 1):
                if not severe.any():
                    break  # nobody left to be severe: earlier months cannot change that
                y, m = (y - 1, 12) if m == 1 else (y, m - 1)
                prev = _earlier_scores(data, book, y, m)
                ps = gather(prev.to_numpy(dtype=float), positions(ids, prev.index), np.nan) if len(prev) \
                    else np.full(n, np.nan)
                severe &= ~np.isnan(ps) & (ps <= rules.num("score.warning_at_most"))
            level = np.where(severe, 3, level)
    cols["score_level"] = text_column(levels, level)

    e = pd.concat([emp, pd.DataFrame(cols, index=emp.index)], axis=1)
    pay_date, pay_note = cal.pay_date_with_note(year, mon, int(rules.get("pay.pay_day")))
    res = MonthResult(month, pay_date, rules, e, g, fines, rewards, score_items, pay_note, p.lines, [], p.periods)
    p.employees = e
    p.awards = data.awards[data.awards["month"] == month.label] if len(data.awards) else data.awards
    for _e, problems in run("check", rules, p):
        res.problems.extend(problems)  # type: ignore[union-attr]
    return res


def source_periods(data: Dataset) -> list[tuple[str, dt.date, dt.date]]:
    """(file, first day, last day) of each sign-in source: an export's own period (its title's 统计日期),
    else the first to the last date it holds."""
    import numpy as np
    import pandas as pd

    from cs_rules.arrays import ns, run_codes

    s = data.signins
    out: dict[str, tuple[dt.date, dt.date]] = {}
    if len(s):
        t = ns(s["date"])  # a view: NaT is int64's minimum
        ok = t != np.iinfo("int64").min
        codes, files = run_codes(s["_file"], ok)
        lo = np.full(len(files), np.iinfo("int64").max)
        hi = np.full(len(files), np.iinfo("int64").min)
        step = 1 << 20  # a million rows at a time: the temporaries stay a few MB at any size
        for at in range(0, len(t), step):
            c, d = codes[at:at + step], t[at:at + step]
            keep = ok[at:at + step] & (c >= 0)
            if keep.any():
                np.minimum.at(lo, c[keep], d[keep])
                np.maximum.at(hi, c[keep], d[keep])
        for k in np.flatnonzero(lo <= hi):
            out[str(files[int(k)])] = (pd.Timestamp(int(lo[k])).date(), pd.Timestamp(int(hi[k])).date())
    for load in data.vendor:
        period, file = getattr(load, "period", None), getattr(load, "file", "")
        if period and file:
            out[file] = (period[0], period[1])
    return [(f, a, b) for f, (a, b) in sorted(out.items())]


def vendor_verdicts(data: Dataset) -> pd.DataFrame | None:
    """The day verdicts of every vendor export, for the people matched to the roster."""
    import pandas as pd

    frames = [load.verdicts for load in data.vendor
              if len(getattr(load, "verdicts", ())) and "employee_id" in load.verdicts]
    if not frames:
        return None
    v = pd.concat(frames, ignore_index=True)
    return v[v["employee_id"].notna()]


def _holiday_days(plan: Any, month: Month, emp: pd.DataFrame) -> Any:
    """National holiday-block days inside each window that fall on a weekday the person's schedule works
    (篇4 §三.2 counts them as paid in a partial month; for §1's week: Monday–Saturday)."""
    import numpy as np

    block = np.array([d.holiday_block for d in month.days], dtype=bool)
    if not block.any() or not len(emp):
        return np.zeros(len(emp), dtype="int64")
    weekday = np.array([d.date.isoweekday() - 1 for d in month.days])
    day0 = np.datetime64(month.first, "D")
    lo = (emp["win_start"].to_numpy(dtype="datetime64[D]") - day0).astype("int64")
    hi = (emp["win_end"].to_numpy(dtype="datetime64[D]") - day0).astype("int64")
    day = np.arange(len(month.days))
    inside = (day[None, :] >= lo[:, None]) & (day[None, :] <= hi[:, None])
    return (inside & block[None, :] & plan.work_weekdays[:, weekday]).sum(axis=1).astype("int64")


def _pay_columns(p: Any) -> None:
    """The DATA.md pay fields from the pay lines: base pay is the base less unpaid leave and time absent;
    the absence penalty and fines are shown as positive amounts; bonuses add up three lines."""
    c, lines = p.cols, p.lines

    def amt(code: str) -> Any:
        import numpy as np

        return lines[code].amount_fen if code in lines else np.zeros(p.n, dtype="int64")

    c["base_pay_fen"] = amt("base_pay") + amt("unpaid_leave") + amt("absence_deduction")
    c["absence_penalty_fen"] = -amt("absence_penalty")
    c["performance_pay_fen"] = amt("performance_pay")
    c["full_attendance_fen"] = amt("full_attendance")
    c["bonus_fen"] = amt("award_bonus") + amt("rewards") + amt("full_attendance")
    c["net_pay_fen"] = sum(line.amount_fen for line in lines.values())


def _base_fen(base_salary: pd.Series, grade_fen: Any) -> Any:
    """The roster's own base salary where it gives one (text, ≥ 0), else the grade's; in fen.

    Most rows are empty and the rest repeat a few amounts: each distinct text is
    converted once.
    """
    import numpy as np
    import pandas as pd

    values = base_salary.to_numpy(dtype=object)
    given = np.flatnonzero(pd.notna(values))
    codes, uniq = pd.factorize(values[given])
    fen = np.array([to_fen(Decimal(t)) if isinstance(t, str) else -1 for t in uniq], dtype="int64")
    out = np.asarray(grade_fen, dtype="int64").copy()
    own = fen[codes] if len(codes) else np.zeros(0, dtype="int64")
    out[given] = np.where(own >= 0, own, out[given])
    return out


def _ledger_total(ledger: pd.DataFrame, col: str, g: pd.DataFrame, ids: pd.Series) -> Any:
    """Each employee's sum of a ledger column (0 with no lines); exact for int64 fen.

    Ledger ids share the grid's categories (codes = employee index), so no text
    lookup is needed; any other ledger is matched by id.
    """
    import numpy as np


    values = ledger[col].to_numpy()
    out = np.zeros(len(ids), dtype=values.dtype if len(values) else "int64")
    if not len(values):
        return out.astype("float64" if col == "points" else "int64")
    emp = ledger["employee_id"]
    same = getattr(emp.dtype, "categories", None) is g["employee_id"].dtype.categories
    who = np.asarray(emp.array.codes, dtype="int64") if same else positions(emp, ids)
    o = np.argsort(who, kind="stable")  # ledgers run by employee: already sorted, cheap
    w = who[o]
    heads = np.flatnonzero(np.concatenate([[True], w[1:] != w[:-1]]))
    sums = np.add.reduceat(values[o], heads)
    keep = w[heads] >= 0
    out[w[heads][keep]] = sums[keep]
    return out


def _first_row_of(who: Any, rows: Any, n: int) -> Any:
    """For each of ``n`` employees, the first of ``rows`` that is theirs (``who``: employee index, −1 ignored)."""
    import numpy as np

    first = np.full(n, -1, dtype="int64")
    mine = np.flatnonzero(who >= 0)[::-1]
    first[who[mine]] = rows[mine]  # written last to first: the first row wins
    return first


def _count_by(pos: Any, n: int) -> Any:
    """How many entries each of ``n`` employees has (``pos``: employee index, −1 ignored)."""
    import numpy as np

    return np.bincount(pos[pos >= 0], minlength=n).astype("int64")  # type: ignore[no-any-return]


def _source_text(table: pd.DataFrame, at: Any) -> pd.arrays.ArrowStringArray:
    """"file:row" of the ``table`` row at each position (explain shows it); "" for −1 or a missing part."""
    import pyarrow as pa
    import pyarrow.compute as pc


    text = source_text(arrow_text(table["_file"]), table["_row"]).take(pa.array(at, mask=at < 0))
    return str_array(pc.fill_null(text, ""))




def _flag_lists(bits: Any, names_in_order: list[str]) -> list[list[str]]:
    """Each employee's flag names (a new list each), from a (employees × flags) bool matrix.

    The garbage collector is paused meanwhile: 40,000 new lists would otherwise
    set off collections that walk every object alive (tens of ms, at random).
    """
    import gc

    import numpy as np

    code = bits.astype("int64") @ (1 << np.arange(bits.shape[1], dtype="int64"))
    names = {int(c): [names_in_order[j] for j in range(bits.shape[1]) if int(c) >> j & 1] for c in np.unique(code)}
    enabled = gc.isenabled()
    gc.disable()
    try:
        out: list[list[str]] = [[] for _ in range(len(code))]
        flagged = np.flatnonzero(code)  # most people have no flag
        for i, c in zip(flagged.tolist(), code[flagged].tolist(), strict=True):
            out[i] = list(names[c])
        return out
    finally:
        if enabled:
            gc.enable()


def _earlier_scores(data: Dataset, rules: Rulebook, year: int, month: int) -> pd.Series:
    """Scores of an earlier month, for employees employed in it — if the sign-ins hold it."""
    import pandas as pd

    label = f"{year:04d}-{month:02d}"
    if not has_signins(data, year, month):
        return pd.Series(dtype=float)
    try:
        r = compute_month(data, rules, label, with_history=False)
    except UsageError:
        return pd.Series(dtype=float)
    return r.employees.set_index("employee_id")["score"]


def has_signins(data: Dataset, year: int, month: int) -> bool:
    """Whether the sign-in files hold any row dated in the month."""
    import pandas as pd

    d = data.signins["date"]
    start = pd.Timestamp(year, month, 1)
    return bool(len(d)) and bool(((d >= start) & (d <= start + pd.offsets.MonthEnd(0))).any())


def latest_month(data: Dataset) -> str | None:
    d = data.signins["date"].dropna()
    if not len(d):
        return None
    m = d.max()
    return f"{m.year:04d}-{m.month:02d}"
