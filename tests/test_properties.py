"""Property tests: exact money, bounds on pay and score, monotone fines, the net-pay equation."""

from __future__ import annotations

import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
from engine_helpers import Folder, employee_of, workdays
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cs_rules.model.money import fraction_fen, prorate_fen

MAY = "2024-05"
WORKDAYS = workdays(MAY)
STD = Decimal("21.75")
KINDS = ["ok", "ok", "ok", "late", "early", "both", "no_in", "no_out", "absent", "personal", "personal_half",
         "sick", "annual", "annual_half", "unapproved"]
GRADES = ["probation", "junior", "mid", "senior", "reserve_supervisor"]


def r(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# ---- money -----------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(base_fen=st.integers(min_value=0, max_value=10_000_000), halves=st.integers(min_value=0, max_value=70))
def test_prorate_fen_equals_decimal_half_up(base_fen: int, halves: int) -> None:
    """prorate_fen(base, halves, 21.75) == (base × days / 21.75).quantize(0.01, ROUND_HALF_UP)."""
    base = Decimal(base_fen) / 100
    want = r(base * (Decimal(halves) / 2) / STD)
    got = prorate_fen(np.array([base_fen]), np.array([halves]), STD)
    assert Decimal(int(got[0])) / 100 == want


@settings(max_examples=100, deadline=None)
@given(bases=st.lists(st.integers(min_value=0, max_value=10_000_000), min_size=1, max_size=20),
       data=st.data())
def test_prorate_fen_vectorised_matches_scalar(bases: list[int], data: st.DataObject) -> None:
    halves = data.draw(st.lists(st.integers(0, 70), min_size=len(bases), max_size=len(bases)))
    got = prorate_fen(np.array(bases), np.array(halves), STD)
    for b, h, g in zip(bases, halves, got, strict=False):
        assert Decimal(int(g)) / 100 == r(Decimal(b) / 100 * Decimal(h) / 2 / STD)


@settings(max_examples=100, deadline=None)
@given(base_fen=st.integers(0, 10_000_000), num=st.integers(0, 100), den=st.integers(1, 100))
def test_fraction_fen_equals_decimal_half_up(base_fen: int, num: int, den: int) -> None:
    got = fraction_fen(np.array([base_fen]), np.array([num]), den)
    assert Decimal(int(got[0])) / 100 == r(Decimal(base_fen) / 100 * num / den)


@settings(max_examples=100, deadline=None)
@given(base_fen=st.integers(0, 10_000_000), h1=st.integers(0, 50), h2=st.integers(0, 50))
def test_prorate_fen_is_monotone_in_days(base_fen: int, h1: int, h2: int) -> None:
    lo, hi = sorted((h1, h2))
    assert prorate_fen(np.array([base_fen]), np.array([lo]), STD)[0] <= prorate_fen(
        np.array([base_fen]), np.array([hi]), STD)[0]


# ---- random months through the engine --------------------------------------------------

day_st = st.tuples(st.sampled_from(KINDS), st.integers(min_value=1, max_value=120))
emp_st = st.tuples(st.sampled_from(GRADES), st.lists(day_st, min_size=len(WORKDAYS), max_size=len(WORKDAYS)),
                   st.one_of(st.none(), st.integers(0, 100)))
month_st = st.lists(emp_st, min_size=1, max_size=3)


def hhmmss(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def build(root: Path, emps: list) -> Folder:
    """A May 2024 folder: each employee's workday kinds become sign-in rows and leave requests."""
    f = Folder(root)
    for d in WORKDAYS:  # the clerk's word that each is a workday: a day everyone is absent is real, not a rest day
        f.day_type(str(d), "workday")
    for i, (grade, days, perf) in enumerate(emps):
        emp = f"E{i + 1}"
        f.employee(emp, grade)
        if perf is not None:
            f.performance(emp, MAY, perf)
        for d, (kind, minutes) in zip(WORKDAYS, days, strict=False):
            late = hhmmss(9 * 3600 + minutes * 60 - 30)   # late by minutes (ceil)
            early = hhmmss(18 * 3600 - minutes * 60 + 30)
            ds = str(d)
            if kind == "ok":
                f.punch(emp, ds)
            elif kind == "late":
                f.punch(emp, ds, late, "18:05:00")
            elif kind == "early":
                f.punch(emp, ds, "08:55:00", early)
            elif kind == "both":
                f.punch(emp, ds, late, early)
            elif kind == "no_in":
                f.punch(emp, ds, "", "18:05:00")
            elif kind == "no_out":
                f.punch(emp, ds, "08:55:00", "")
            elif kind == "absent":
                pass
            elif kind in ("personal", "sick", "annual"):
                f.leave(emp, ds, type_=kind)
            elif kind in ("personal_half", "annual_half"):
                f.leave(emp, ds, type_=kind.split("_")[0], half_day="yes")
                if minutes % 2:
                    f.punch(emp, ds, "13:30:00", "18:05:00")
            elif kind == "unapproved":
                f.leave(emp, ds, type_="annual", approved="no")
    return f


def run(emps: list):
    with tempfile.TemporaryDirectory() as d:
        return build(Path(d), emps).run(MAY, with_history=False)


ENGINE = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@ENGINE
@given(emps=month_st)
def test_engine_bounds_and_net_pay_equation(emps: list) -> None:
    """base_pay ∈ [0, base]; score ∈ [0, 10] in half points; net pay = base_pay + performance + bonus −
    fines − absence_penalty, or 0 with net_clamped; totals and ledgers add up."""
    res = run(emps)
    doc = res.payroll_json()
    assert len(doc["employees"]) == len(emps)
    for e in doc["employees"]:
        base, base_pay = Decimal(e["base_salary"]), Decimal(e["base_pay"])
        assert Decimal(0) <= base_pay <= base, e
        assert 0.0 <= e["score"] <= 10.0 and (e["score"] * 2).is_integer()
        assert e["workdays"] == len(WORKDAYS)
        assert e["attended_days"] + e["absent_days"] + e["personal_leave_days"] + e["sick_leave_days"] + \
            e["paid_leave_days"] == e["workdays"]
        net = (base_pay + Decimal(e["performance_pay"]) + Decimal(e["bonus_total"]) - Decimal(e["fines_total"])
               - Decimal(e["absence_penalty"]))
        if net < 0:
            assert e["net_pay"] == "0.00" and "net_clamped" in e["flags"]
        else:
            assert Decimal(e["net_pay"]) == net and "net_clamped" not in e["flags"]
        for key in ("base_pay", "absence_penalty", "fines_total", "net_pay", "bonus_total", "performance_pay"):
            assert Decimal(e[key]) >= 0
            assert Decimal(e[key]) == r(Decimal(e[key]))
    assert Decimal(doc["totals"]["net_pay"]) == sum(Decimal(e["net_pay"]) for e in doc["employees"])
    assert Decimal(doc["totals"]["fines_total"]) == sum(Decimal(e["fines_total"]) for e in doc["employees"])
    # the fines and score ledgers add up to the payroll's fines_total and score
    for e in doc["employees"]:
        f = res.fines[res.fines["employee_id"] == e["employee_id"]]
        assert int(f["amount_fen"].sum()) == int(Decimal(e["fines_total"]) * 100)
        s = res.score_items[res.score_items["employee_id"] == e["employee_id"]]
        assert max(0.0, 10.0 - float(s["points"].sum())) == e["score"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(emps=month_st, data=st.data())
def test_one_more_late_day_never_lowers_fines(emps: list, data: st.DataObject) -> None:
    """Turning one on-time day into a late one never lowers fines_total (nor raises the score)."""
    grade, days, perf = emps[0]
    ok = [i for i, (k, _) in enumerate(days) if k == "ok"]
    assume(ok)
    i = data.draw(st.sampled_from(ok))
    minutes = data.draw(st.integers(1, 90))
    later = list(days)
    later[i] = ("late", minutes)
    before = employee_of(run(emps), "E1")
    after = employee_of(run([(grade, later, perf)] + emps[1:]), "E1")
    assert Decimal(after["fines_total"]) >= Decimal(before["fines_total"]) + 10
    assert after["late_count"] == before["late_count"] + 1
    assert after["score"] <= before["score"]
    assert Decimal(after["net_pay"]) <= Decimal(before["net_pay"])
