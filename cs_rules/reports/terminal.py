"""Rich tables for a terminal; plain text when stdout is not one."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cs_rules.i18n import t as _t

if TYPE_CHECKING:
    from cs_rules.model.inputs import Dataset
    from cs_rules.rulebook import Rulebook

LEVEL_STYLE = {"ok": "green", "warning": "yellow", "penalty": "red", "severe": "bold red"}
NUMERIC = {"base_salary", "daily_rate", "workdays", "attended_days", "late_count", "early_leave_count",
           "missing_punch_count", "absent_days", "personal_leave_days", "sick_leave_days", "paid_leave_days",
           "base_pay", "absence_penalty", "performance_pay", "bonus_total", "fines_total", "score", "net_pay",
           "amount", "points"}


def _console(file: Any = None) -> Any:
    from rich.console import Console

    return Console(file=file, highlight=False, soft_wrap=False, markup=False)  # data is never markup


KEEP_WHOLE = {"employee_id", "name", "flags", "date", "code", "source", "level", "score_level"}


def render_table(title: str, header: list[str], rows: list[list[Any]], totals: list[Any] | None = None,
                 output: Path | None = None, source_root: str | None = None, group: int = 0,
                 file: Any = None, width: int | None = None) -> None:
    """A report as a rich table. Numbers, ids, dates, codes and ``file:row`` sources are never
    wrapped (the text columns — rule, note — give way); ``source_root`` (the data folder as
    the user typed it) is left off the sources and said once in the title; ``group`` leading
    columns are shown once per run of equal values (the person, not on every line)."""
    from rich.table import Table
    from rich.text import Text

    from cs_rules.reports.labels import header as shown_header

    prefix = ""
    if source_root and source_root not in (".", "") and "source" in header:
        prefix = source_root.rstrip("/\\") + "/"
        title = _t("table.sources_in", title=title, prefix=prefix)
    t = Table(title=title, show_lines=False, header_style="bold", title_justify="left")
    for h in header:
        whole = h in NUMERIC or h in KEEP_WHOLE
        t.add_column(shown_header(h), justify="right" if h in NUMERIC else "left", no_wrap=whole,
                     overflow="ellipsis" if whole else "fold")
    previous: list[Any] = []
    for row in rows:
        cells = []
        shown = list(row)
        if group and previous[:group] == list(row[:group]):
            shown[:group] = [""] * group
        previous = list(row)
        for h, v in zip(header, shown):
            if h == "source" and prefix and isinstance(v, str) and v.startswith(prefix):
                v = v[len(prefix):]
            text = Text("" if v is None else str(v))
            if h in ("score_level", "level"):
                text.stylize(LEVEL_STYLE.get(str(v), LEVEL_STYLE.get(_level_code(str(v)), "")))
            elif h == "flags" and v:
                text.stylize("magenta")
            cells.append(text)
        t.add_row(*cells)
    if totals:
        t.add_section()
        t.add_row(*[Text(str(v), style="bold") for v in totals])
    if output is not None:
        import io

        from rich.cells import cell_len

        from cs_rules.reports.output import atomic_write

        buf = io.StringIO()
        c = _console(buf)
        # a file has no screen: as wide as the widest cell of every column, nothing cut (issue 15 §7)
        every = [header, *rows, *([totals] if totals else [])]
        need = [max(cell_len("" if r[j] is None else str(r[j])) for r in every) for j in range(len(header))]
        c.width = max(sum(w + 3 for w in need) + 1, cell_len(title))
        c.print(t)
        data = buf.getvalue().encode("utf-8")
        atomic_write(output, lambda fh: fh.write(data))
        return
    c = _console(file)
    if width is not None:
        c.width = width
    c.print(t)


def _level_code(label: str) -> str:
    """The level code of a label shown in Chinese (for its colour)."""
    from cs_rules import i18n

    return next((c for c in LEVEL_STYLE if i18n.label(c) == label), label)


def render_validation(data: Dataset) -> None:
    """The inventory (every file read, as what, or not read and why; optional inputs missing),
    then every problem as ``file:row:column: what — what to do``, then a summary line."""
    probs = data.problems.items
    out = sys.stdout
    from cs_rules import i18n

    inventory = data.inventory()
    if inventory:
        out.write(_t("validate.files") + "\n")
        for line in inventory:
            out.write(f"  {inventory_line(line)}\n")
    for p in probs:
        out.write(p.line() + "\n")
    n_err = sum(p.severity == "error" for p in probs)
    n_warn = sum(p.severity == "warning" for p in probs)
    looked = [f for f in data.files if f.status in ("read", "failed") and f.kind != "rules"]
    rows = sum(f.rows for f in looked)
    skipped = sum(f.status == "not read" for f in data.files)
    verdict = _t("validate.ok") if n_err == 0 else _t("validate.failed")
    tail = _t("validate.not_read_tail", n=skipped) if skipped else ""
    out.write(i18n.t("validate.summary", verdict=verdict, files=len(looked), rows=f"{rows:,}", errors=n_err,
                     warnings=n_warn, tail=tail) + "\n")


def inventory_line(line: str) -> str:
    """One inventory line (``read      path: what, N rows``) in the language in use: the status word
    padded to one width, the rest through the catalogue; the path stays as it is."""
    from cs_rules import i18n

    if i18n.current() == "en":
        return line
    for status in ("read", "failed", "not read", "missing"):
        if line.startswith(status + " ") and line[len(status):len(status) + 2].strip() == "":
            rest = line[len(status):].lstrip()
            word = _t(f"validate.{status.replace(' ', '_')}")
            if status == "missing":
                return f"{word}  {i18n.tr(rest)}"
            path, sep, what = rest.partition(": ")
            return f"{word}  {path}{sep}{i18n.tr(what)}"
    return i18n.tr(line)


def render_rulebook(book: Rulebook, month: str | None = None) -> None:
    """Every setting and every rule of the rulebook: key, value, the clause it comes from, its label."""
    from rich.table import Table
    from rich.text import Text

    from cs_rules.rulebook import Dated
    from cs_rules.rulebook.catalog import ENTRY_SECTIONS, META_FIELDS, is_entry_key

    title = f"Active rulebook ({' + '.join(book.sources)})" + (f" · values in force in {month}" if month else "")
    t = Table(title=title, title_justify="left")
    t.add_column("key", no_wrap=True)
    t.add_column("value")
    t.add_column("rule (seed clause)")
    t.add_column("label")

    def show(v: Any) -> str:
        if isinstance(v, Dated):
            return "; ".join(f"from {d}: {show(x)}" for d, x in v.plain().items()) + f" (before: {show(v.base)})"
        if isinstance(v, list):
            return "[" + ", ".join(show(x) for x in v) + "]"
        return str(v)

    def walk(node: dict[str, Any], prefix: str, cite: str) -> None:
        cite = str(node.get("rule", cite))
        for k, v in node.items():
            if k == "rule":
                continue
            key = f"{prefix}.{k}" if prefix else k
            if prefix in ENTRY_SECTIONS and is_entry_key(prefix, k, v):
                label = str(v.get("zh", ""))
                params = {f: x for f, x in v.items() if f not in META_FIELDS}
                if not params:
                    t.add_row(Text(key), Text(""), Text(str(v.get("cite", ""))), Text(label))
                for f, x in params.items():
                    t.add_row(Text(f"{key}.{f}"), Text(show(x)), Text(str(v.get("cite", ""))), Text(label))
            elif isinstance(v, dict) and not isinstance(v, Dated):
                walk(v, key, cite)
            else:
                t.add_row(Text(key), Text(show(v)), Text(cite), Text(""))

    walk(book.data, "", "")
    _console().print(t)


def render_promotion(doc: dict[str, Any]) -> None:
    """One block per person: the step up with each criterion met or not, then any demotion trigger."""
    from rich.text import Text

    from cs_rules.reports.tables import STATUS_TEXT

    c = _console()
    first, last = doc["months_considered"]
    from cs_rules import i18n

    c.print(Text(_t("promotion.heading", month=doc["month"], first=first, last=last), style="bold"))
    mark = {True: ("✓", "green"), False: ("✗", "red"), None: ("?", "yellow")}
    zh = i18n.current() == "zh"
    for e in doc["employees"]:
        c.print(Text(_t("promotion.person", id=e["employee_id"], name=e["name"], grade=i18n.label(e["grade"]) if zh
                        else e["grade"], months=e["tenure_months"]), style="bold"))
        for v in ([e["promotion"]] if e["promotion"] else []) + e["demotion"]:
            status = i18n.label("promotion_" + v["status"]) if zh else STATUS_TEXT.get(v["status"], v["status"])
            style = {"eligible": "green", "due_for_review": "green", "triggered": "red"}.get(v["status"], "")
            label = i18n.label(v["label"]) if zh else v["label"]
            c.print(Text(f"  {label}: {status}", style=style))
            for cr in v["criteria"]:
                sym, col = mark[cr["met"]]
                line = Text(f"    {sym} ", style=col)
                line.append(f"{i18n.tr(cr['what'])} — {i18n.tr(cr['detail'])} ")
                line.append(f"[{cr['rule']}]", style="dim")
                c.print(line)


GRADE_SHORT = {"probation": "试用", "junior": "初级", "mid": "中级", "senior": "高级", "reserve_supervisor": "储备主管"}
FLAG_SHORT = {"auto_resignation": "auto-resign", "dismissal": "dismissal", "notice_short": "notice<15d",
              "forfeiture": "forfeiture", "proration_capped": "capped", "net_clamped": "net→0",
              "no_performance_score": "no perf score", "sick_without_certificate": "sick→personal"}


# the payroll's columns in the order they are given up on a narrow terminal: id, name, days, absent,
# fines, net pay and score stay as long as anything does
PAYROLL_PRIORITY = ["id", "name", "days", "absent", "fines", "net pay", "score", "L/E/M", "leave", "base pay",
                    "penalty", "perf", "bonus"]


def _columns_that_fit(heads: list[str], widths: list[int], width: int,
                      priority: list[str] | None = None) -> list[int]:
    """Indexes of the columns to show, in table order: the priority list taken in order while the
    table (each column its widest cell plus one space each side) fits ``width``."""
    chosen: list[int] = []
    used = 1  # the box's edges and one divider per column, each column padded one space each side
    for h in priority or PAYROLL_PRIORITY:
        if h not in heads:
            continue
        j = heads.index(h)
        need = widths[j] + 3
        if chosen and used + need > width:
            if len(chosen) < 2:
                continue
            break
        chosen.append(j)
        used += need
    return sorted(chosen)


def _print_fitted(console: Any, table: Any, heads: list[str], shown: list[int], hidden_key: str,
                  measure: str) -> None:
    """Print a table of the columns :func:`_columns_that_fit` chose, then one line naming the others.

    When not even the first columns fit, the console is widened to the table's ``measure``
    (``maximum``: every cell on one line; ``minimum``: the folding columns folded) and the
    terminal wraps the lines: a number or a time is never cropped."""
    m = table.__rich_measure__(console, console.options.update(width=10_000))
    needed = m.maximum if measure == "maximum" else m.minimum
    if console.width < needed:
        console.width = needed
    console.print(table)
    left_out = [heads[j] for j in range(len(heads)) if j not in shown]
    if left_out:
        console.print(_t(hidden_key, columns=_t("list.sep").join(left_out)), style="yellow", highlight=False)


def render_payroll(res: Any, file: Any = None, width: int | None = None) -> None:
    """The month's payroll as a terminal reads it: the columns a clerk checks, totals last.

    The full DATA.md field set is in --format csv/json/xlsx; 23 columns do not fit a screen.
    The columns that fit the terminal are shown in :data:`PAYROLL_PRIORITY` order and one
    line names the rest; numbers are never wrapped or cut: a column is shown whole or not at all.
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from cs_rules import i18n
    from cs_rules.arrays import fen_text

    e = res.employees
    money = {c: fen_text(e[c]) for c in ("base_pay_fen", "performance_pay_fen", "bonus_fen", "fines_fen",
                                         "absence_penalty_fen", "net_pay_fen")}
    tot = {c: fen_text([int(e[c].sum())])[0] for c in money}

    def n(v: float) -> str:
        return f"{v:g}"

    rows = []
    for i, r in enumerate(e.itertuples(index=False)):
        leave = r.personal_leave_days + r.sick_leave_days + r.paid_leave_days
        level = str(r.score_level)
        lem = f"{r.late_count}/{r.early_leave_count}/{r.missing_punch_count}"
        rows.append([
            str(r.employee_id), str(r.name), f"{n(r.attended_days)}/{r.workdays}",
            "" if lem == "0/0/0" else lem, n(r.absent_days) if r.absent_days else "", n(leave) if leave else "",
            money["base_pay_fen"][i], money["performance_pay_fen"][i], money["bonus_fen"][i],
            money["fines_fen"][i], money["absence_penalty_fen"][i], money["net_pay_fen"][i],
            Text(f"{r.score:g} {i18n.label(level)}", style=LEVEL_STYLE.get(level, ""))])
    total = [_t("table.total"), _t("payroll.people", n=len(e)), "", "", "", "", tot["base_pay_fen"],
             tot["performance_pay_fen"], tot["bonus_fen"], tot["fines_fen"], tot["absence_penalty_fen"],
             tot["net_pay_fen"], ""]
    codes = ["id", "name", "days", "L/E/M", "absent", "leave", "base pay", "perf", "bonus", "fines", "penalty",
             "net pay", "score"]
    heads = [_t("payroll.col." + h.replace(" ", "_").replace("/", "")) for h in codes]
    console = _console(file)
    if width is not None:
        console.width = width
    from rich.cells import cell_len

    widths = [max([cell_len(h)] + [cell_len(str(row[j])) for row in rows] + [cell_len(str(total[j]))])
              for j, h in enumerate(heads)]
    shown = _columns_that_fit(codes, widths, console.width)

    def table(cols: list[int]) -> Any:
        t = Table(title=_t("payroll.title", month=res.month.label, workdays=res.workdays, pay_date=res.pay_date),
                  title_justify="left", header_style="bold", box=box.SIMPLE_HEAD, padding=(0, 1))
        for j in cols:
            t.add_column(heads[j], justify="left" if j < 2 else "right", no_wrap=True, min_width=widths[j])
        for row in rows:
            t.add_row(*[row[j] for j in cols])
        t.add_section()
        t.add_row(*[Text(str(total[j]), style="bold") for j in cols])
        return t

    _print_fitted(console, table(shown), heads, shown, "payroll.hidden", "maximum")
    flagged = [(r.employee_id, r.name, r.flags) for r in e.itertuples(index=False) if len(r.flags)]
    if flagged:
        console.print(_t("payroll.flags"), style="bold magenta")
        for emp, name, flags in flagged:
            console.print(f"  {emp} {name}: " + _t("list.sep").join(i18n.label(f) for f in flags),
                          style="magenta", highlight=False)
    console.print(_t("payroll.legend"), style="dim")


# the daily record's columns in the order they are given up on a narrow terminal
ATTENDANCE_PRIORITY = ["id", "name", "date", "status", "punches", "late", "early", "absent", "leave", "source",
                       "day", "shift", "verdict", "overtime"]
# text columns that may wrap between words (times, leave notes); every other cell is shown whole
_ATTENDANCE_FOLD = {"punches": 17, "leave": 12, "verdict": 12}


def attendance_columns(days: Any, one_person: bool) -> tuple[list[str], list[list[str]]]:
    """The daily record as a screen shows it: one short column per fact, empty ones left out.

    ``sign_in``/``sign_out`` (seconds) repeat ``punches`` and stay in CSV/XLSX; a workday's
    day type, the default shift and zero minutes are blank so that what differs stands out;
    punches are separated by spaces so a long day wraps between two times, never inside one.
    """
    import pandas as pd

    from cs_rules import i18n
    from cs_rules.reports.attendance import delimited_frame
    from cs_rules.reports.labels import cell

    f = delimited_frame(days)  # numbers as the CSV writes them: 1, 0.5, 10

    def text(c: str) -> Any:
        return f[c].astype(object).where(f[c].notna(), "").astype(str)

    def number(c: str) -> Any:
        v = text(c)
        return v.where(v != "0", "")

    dates = pd.to_datetime(days["date"])
    weekdays = [i18n.t(f"weekday.{i}") for i in range(7)]

    def labelled(c: str) -> Any:  # a code column (status, day type) as its labels, one lookup per code
        col = text(c)
        return col.map({v: cell(c, v) if v else "" for v in col.unique()})

    cols: dict[str, Any] = {
        "id": text("employee_id"), "name": text("name"),
        "date": dates.dt.strftime("%m-%d") + " " + dates.dt.day_of_week.map(dict(enumerate(weekdays))),
        "status": labelled("status"), "punches": text("punches").str.replace(";", " ", regex=False),
        "late": number("late_minutes"), "early": number("early_minutes"), "absent": number("absent_days"),
        "leave": text("leave").map(lambda v: cell("leave", v) if v else ""), "source": text("source"),
        "day": labelled("day_type").where(text("day_type") == "holiday", ""),
        "shift": text("shift").where(~text("shift").isin(["", "default"]), ""),
        "verdict": text("vendor_verdict"), "overtime": number("overtime_hours"),
    }
    if one_person:
        del cols["id"], cols["name"]
    keep = [k for k in ATTENDANCE_PRIORITY if k in cols and (k in ("date", "status") or bool((cols[k] != "").any()))]
    ordered = [k for k in cols if k in keep]
    rows = pd.DataFrame({k: cols[k].to_numpy() for k in ordered}).values.tolist()
    return ordered, rows


def render_attendance(days: Any, month: str, one_person: bool, file: Any = None, width: int | None = None) -> None:
    """The daily record on a terminal: the columns that fit (``ATTENDANCE_PRIORITY``), the
    person once per run of days, one line naming what was left out."""
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table

    codes, rows = attendance_columns(days, one_person)
    heads = [_t("attendance.col." + c) for c in codes]
    if one_person and len(days):
        first = days.iloc[0]
        title = _t("attendance.one", month=month, emp=first["employee_id"], name=first["name"], n=len(rows))
    else:
        title = _t("attendance.title", month=month, n=len(rows))
    console = _console(file)
    if width is not None:
        console.width = width
    widths = []
    for j, h in enumerate(heads):
        w = max([cell_len(h)] + [cell_len(r[j]) for r in rows])
        widths.append(min(w, max(_ATTENDANCE_FOLD[codes[j]], cell_len(h))) if codes[j] in _ATTENDANCE_FOLD else w)
    shown = _columns_that_fit(codes, widths, console.width, ATTENDANCE_PRIORITY)
    t = Table(title=title, title_justify="left", header_style="bold", box=box.SIMPLE_HEAD, padding=(0, 1))
    for j in shown:
        fold = codes[j] in _ATTENDANCE_FOLD
        t.add_column(heads[j], justify="right" if codes[j] in ("late", "early", "absent", "overtime") else "left",
                     no_wrap=not fold, overflow="fold", min_width=widths[j])
    previous: list[str] = []
    group = 0 if one_person else 2
    for r in rows:
        cells = [r[j] for j in shown]
        if group and previous[:group] == r[:group]:
            cells[:group] = [""] * group
        previous = r
        t.add_row(*cells)
    _print_fitted(console, t, heads, shown, "attendance.hidden", "minimum")


@contextmanager
def slow_status(text: str, delay: float = 1.0) -> Iterator[None]:
    """A spinner on stderr for work that takes longer than ``delay`` — never when stderr is not a
    terminal, so pipes and logs stay clean."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    from cs_rules.reports.progress import shown_after

    with shown_after(Console(stderr=True).status(text), delay):
        yield


def render_audit(doc: dict[str, Any], file: Any = None, width: int | None = None) -> None:
    """`cs-rules audit MONTH` for a reader: the rulebook's findings as blocks, then the payslips as
    one table (姓名, 问题, 金额, 法条) with each person once, then each statute explained once."""
    from rich.table import Table
    from rich.text import Text

    from cs_rules.review.audit import CODES, audit_text

    slips = [f for f in doc["findings"] if f["scope"] == "payslip"]
    quiet = [f for f in doc["silenced"] if f["scope"] == "payslip"]
    head = {**doc, "findings": [f for f in doc["findings"] if f["scope"] != "payslip"],
            "silenced": [f for f in doc["silenced"] if f["scope"] != "payslip"]}
    c = _console(file)
    if width is not None:
        c.width = width
    from cs_rules import i18n
    from cs_rules.review.audit import code_label

    text = audit_text(head, width=max(40, min(c.width, 120)))
    none = _t("audit.no_findings")
    if slips and text.rstrip().endswith(none):
        text = text.rstrip()[: -len(none)]
    c.print(Text(text.rstrip("\n")), soft_wrap=True)
    if quiet:
        counts: dict[str, int] = {}
        for f in quiet:
            counts[f["code"]] = counts.get(f["code"], 0) + 1
        c.print(Text(_t("audit.silenced_slips") + ", ".join(f"{code_label(k)} ×{n}" for k, n in counts.items()),
                     style="dim"))
    if not slips:
        return
    people = len({f["employee_id"] for f in slips})
    c.print()
    t = Table(title=_t("audit.slips_title", month=doc["month"], n=len(slips), people=people),
              title_justify="left", header_style="bold", show_lines=False, expand=False)
    t.add_column(_t("audit.col_name"), no_wrap=True)
    t.add_column(_t("audit.col_issue"), overflow="fold", ratio=3)
    t.add_column(_t("audit.col_amount"), justify="right", no_wrap=True)
    t.add_column(_t("audit.col_statute"), overflow="fold", ratio=1)
    month_prefix = f"{doc['month']}: "
    last = None
    for f in slips:
        who = f"{f['employee_id']} {f['name']}"
        msg = f["message"][len(month_prefix):] if f["message"].startswith(month_prefix) else f["message"]
        sev = Text(f"{i18n.label('severity_' + f['severity'])} · {code_label(f['code'])}: ",
                   style="red" if f["severity"] == "unlawful" else "yellow")
        sev.append(i18n.tr(msg), style="")
        t.add_row(Text(who if who != last else ""), sev, Text(f.get("amount", "")),
                  Text(f["statute"].split(";")[0].strip(), style="dim"))
        last = who
    c.print(t)
    c.print(Text(_t("audit.meaning"), style="bold"))
    seen: dict[str, dict[str, Any]] = {}
    for f in slips:
        seen.setdefault(f["code"], f)
    for code, f in seen.items():
        n = sum(x["code"] == code for x in slips)
        line = Text(_t("audit.issue_line", severity=i18n.label("severity_" + f["severity"]),
                       code=code if i18n.current() == "en" else code_label(code),
                       what=CODES.get(code, code) if i18n.current() == "en" else "", n=n).replace(" —  (", " ("),
                    style="bold")
        c.print(line)
        c.print(Text(_t("audit.statute") + f["statute"]))
        c.print(Text(_t("audit.why") + i18n.tr(f["why"])))
        c.print(Text(_t("audit.instead") + i18n.tr(f["alternative"])))


def render_score(doc: dict[str, Any], source_root: str | None = None, file: Any = None,
                 width: int | None = None) -> None:
    """`cs-rules score` on a terminal: each person once (id, name, score, level), their deductions
    under them with the rule and the ``file:row`` source (relative to the data folder)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    c = _console(file)
    if width is not None:
        c.width = width
    prefix = source_root.rstrip("/\\") + "/" if source_root and source_root not in (".", "") else ""
    from cs_rules import i18n

    title = _t("score.title", month=doc["month"])
    c.print(Text(_t("table.sources_in", title=title, prefix=prefix) if prefix else title, style="bold"))
    for e in doc["employees"]:
        head = Text(f"{e['employee_id']} {e['name']} · ", style="bold")
        head.append(f"{e['score']:g} {i18n.label(str(e['level']))}", style=LEVEL_STYLE.get(str(e["level"]), ""))
        if not e["deductions"]:
            head.append(_t("score.no_deductions"), style="dim")
            c.print(head)
            continue
        c.print(head)
        t = Table(box=box.SIMPLE_HEAD, show_header=False, padding=(0, 1), pad_edge=True)
        t.add_column("date", no_wrap=True)
        t.add_column("code", no_wrap=True)
        t.add_column("points", justify="right", no_wrap=True)
        t.add_column("rule", overflow="fold")
        t.add_column("source", no_wrap=True)
        for d in e["deductions"]:
            src = d["source"][len(prefix):] if prefix and d["source"].startswith(prefix) else d["source"]
            points = f"-{d['points']:g}" if d["points"] else "0"
            note = i18n.tr(d["note"]) if d.get("note") and i18n.current() == "zh" else ""
            what = i18n.label(d["code"]) + (f" {note}" if note else "")
            t.add_row(d["date"], what, points, Text(d["rule"], style="dim"), src)
        c.print(t)
