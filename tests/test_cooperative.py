"""Bargaining solutions: degenerate problems, the cvxpy status discipline, concave issue
spaces, the batched and compiled (DPP) sweep paths, dispatch and summaries."""

from __future__ import annotations

import json
from fractions import Fraction as F

import numpy as np
import pytest

from negotiate.errors import ModelError, NotApplicableError, SolverError
from negotiate.games.bargaining import BargainingProblem
from negotiate.games.issues import IssueSpace
from negotiate.solvers.bargaining import convex as cooperative_cvx
from negotiate.solvers.bargaining.batch import CompiledNash, nash_bargaining_batch
from negotiate.solvers.bargaining.solutions import (
    NoAgreementReason,
    egalitarian,
    kalai_smorodinsky,
    nash_bargaining,
    utilitarian,
)

TRIANGLE = [(0, 1), (1, 0), (0, 0)]
SQUARE = [(0, 0), (1, 0), (0, 1), (1, 1)]
CONCEPTS = (nash_bargaining, kalai_smorodinsky, egalitarian, utilitarian)


def space5() -> IssueSpace:
    return IssueSpace.linear(
        ("Iran", "US"),
        {
            "sanctions": ("0.40", "0.15"),
            "assets": ("0.15", "0.05"),
            "guarantees": ("0.20", "0.10"),
            "enrichment": ("0.15", "0.40"),
            "verification": ("0.10", "0.30"),
        },
    )


# ------------------------------------------------------------------ degenerate problems
@pytest.mark.parametrize("method", ["exact", "cvxpy"])
@pytest.mark.parametrize(
    ("points", "d"),
    [
        (TRIANGLE, ("1/2", "1/2")),  # d on the Pareto frontier
        (TRIANGLE, (1, 0)),  # d at a vertex
        (TRIANGLE, ("0.6", "0.6")),  # d dominates every point
        (SQUARE, (1, 1)),  # the individually rational set is one point
        ([(1, 1)], (1, 1)),  # singleton feasible set equal to d
        ([(1, 1)], (2, 0)),  # singleton worse than d for player 1
    ],
)
def test_no_strict_gain_is_a_typed_result(points, d, method):
    prob = BargainingProblem.from_points(points, d)
    for concept in CONCEPTS:
        sol = concept(prob, method=method)
        assert sol.agreement is False
        assert sol.reason is NoAgreementReason.NO_STRICT_GAIN
        assert sol.reason == "no strict gain"
        assert sol.allocation is None
        assert [float(x) for x in sol.utilities] == [float(x) for x in prob.disagreement]
        assert sol.verify().ok


def test_singleton_above_d_is_an_agreement():
    prob = BargainingProblem.from_points([(1, 1)], (0, 0))
    for concept in CONCEPTS:
        assert concept(prob).utilities == (1, 1)
        assert concept(prob).verify().ok
    cvx = nash_bargaining(prob, method="cvxpy")
    assert cvx.agreement and cvx.utilities == pytest.approx((1, 1), abs=1e-8)


def test_d_just_inside_the_frontier_exact_vs_convex():
    for eps in (F(1, 10**8), F(1, 10**12)):
        prob = BargainingProblem.from_points(TRIANGLE, (F(1, 2) - eps, F(1, 2) - eps))
        exact = nash_bargaining(prob)
        assert exact.agreement and exact.utilities == (F(1, 2), F(1, 2))
        cvx = nash_bargaining(prob, method="cvxpy")
        if eps > cooperative_cvx.PRECHECK_TOL:
            assert cvx.agreement and cvx.utilities == pytest.approx((0.5, 0.5), abs=1e-8)
        else:  # gains below the pre-check tolerance are declared none, never solved at the edge
            assert cvx.agreement is False and "normalised common gain" in cvx.notes[0]


def test_frontier_problem_without_gain():
    prob = BargainingProblem.from_frontier("sqrt(1 - u1)", 1, (0, 1))
    sol = nash_bargaining(prob)
    assert not sol.agreement and sol.verify().ok
    above = BargainingProblem.from_frontier("sqrt(1 - u1)", 1, (2, 2))
    assert not kalai_smorodinsky(above).agreement


# ------------------------------------------------------------------ the other concepts
def test_egalitarian_is_leximin_at_a_flat_boundary():
    prob = BargainingProblem.from_points(SQUARE, (0, "1/2"))
    for method in ("exact", "cvxpy"):
        sol = egalitarian(prob, method=method)
        assert [float(x) for x in sol.utilities] == pytest.approx([1, 1], abs=1e-6)
        assert sol.verify().ok


def test_ks_uses_the_individually_rational_ideal():
    prob = BargainingProblem.from_points([(0, 2), (1, 1), (2, 0), (0, 0)], ("1/2", 0))
    sol = kalai_smorodinsky(prob)
    # ideal over u >= d: (2, 3/2); the ray (1/2 + t, t) meets u1 + u2 = 2 at t = 3/4
    assert sol.ideal == (2, F(3, 2))
    assert sol.utilities == (F(5, 4), F(3, 4))
    assert sol.verify().ok


def test_utilitarian_weights_and_ties():
    prob = BargainingProblem.from_points(TRIANGLE, ("0.2", "0.1"))
    assert utilitarian(prob).utilities == (F(11, 20), F(9, 20))  # most equal point of the tie
    assert utilitarian(prob, (2, 1)).utilities == (F(9, 10), F(1, 10))
    assert utilitarian(prob, (1, 2)).utilities == (F(1, 5), F(4, 5))


def test_certificate_rejects_a_wrong_point():
    prob = BargainingProblem.from_points(TRIANGLE, ("0.2", "0.1"))
    sol = nash_bargaining(prob)
    from dataclasses import replace

    wrong = replace(sol, utilities=(F(3, 5), F(2, 5)))
    cert = wrong.verify()
    assert not cert.ok and cert.optimality_residual > 0
    inside = replace(sol, utilities=(F(1, 2), F(2, 5)))
    assert inside.verify().pareto_distance > 0


# ------------------------------------------------------------------ cvxpy discipline
def test_solver_failure_raises_with_solver_status_and_residual(monkeypatch):
    limited = ({"max_iter": 1},)
    monkeypatch.setitem(cooperative_cvx.LADDER, "CLARABEL", limited)
    prob = BargainingProblem.from_points(TRIANGLE, ("0.2", "0.1"))
    with pytest.raises(SolverError) as err:
        nash_bargaining(prob, method="cvxpy")
    assert err.value.solver == "CLARABEL"
    assert err.value.status != "optimal"


def test_unknown_solver_and_method():
    prob = BargainingProblem.from_points(TRIANGLE, (0, 0))
    with pytest.raises(NotApplicableError, match="CLARABEL"):
        nash_bargaining(prob, method="cvxpy", solver="NOPE")
    with pytest.raises(ModelError, match="valid"):
        nash_bargaining(prob, method="simplex")
    curve = BargainingProblem.from_frontier("1 - u1**2", 1, (0, 0))
    with pytest.raises(NotApplicableError) as err:
        nash_bargaining(curve, method="exact")
    assert set(err.value.applicable) == {"frontier", "cvxpy"}


@pytest.mark.parametrize("weights", [(0, 1), ("-1", 2), (1,), "ab", (float("nan"), 1)])
def test_bad_weights(weights):
    with pytest.raises(ModelError) as err:
        nash_bargaining(BargainingProblem.from_points(TRIANGLE, (0, 0)), weights)
    assert err.value.field.startswith("weights")


def test_cross_check_with_second_solver():
    prob = space5().problem(("0.2", "0.55"))
    sol = nash_bargaining(prob, cross_check=True)
    assert sol.exact and any("SCS" in n for n in sol.notes)
    cvx = nash_bargaining(prob, method="cvxpy", cross_check=True)
    assert cvx.utilities == pytest.approx((0.625, 0.7625), abs=1e-6)
    assert cvx.allocation["guarantees"] == pytest.approx(0.375, abs=1e-5)
    assert cvx.verify().ok


def test_curved_frontier_convex_path_agrees():
    for expr in ("sqrt(1 - u1)", "1 - u1**2", "log(2 - u1)"):
        prob = BargainingProblem.from_frontier(expr, 1, ("0.1", "0.05"))
        for concept in CONCEPTS:
            a, b = concept(prob), concept(prob, method="cvxpy")
            assert [float(x) for x in a.utilities] == pytest.approx(
                [float(x) for x in b.utilities], abs=5e-6
            ), (expr, concept.__name__)
            assert a.verify().ok and b.verify().ok


# ------------------------------------------------------------------ concave issue spaces
def test_concave_issues_symmetric_split():
    space = IssueSpace.concave(("A", "B"), {"x": (1, 1), "y": (1, 1)})
    sol = nash_bargaining(space.problem((0, 0)))
    assert sol.method == "cvxpy:CLARABEL"
    assert [sol.allocation["x"], sol.allocation["y"]] == pytest.approx([0.5, 0.5], abs=1e-6)
    assert sol.verify().ok


def test_concave_issues_against_brute_force():
    space = IssueSpace.concave(
        ("A", "B"), {"x": (2, 1), "y": (1, 3)}, exponents={"x": ("1/2", "1/2"), "y": (1, "1/2")}
    )
    d = ("0.3", "0.4")
    sol = nash_bargaining(space.problem(d), cross_check=True)
    assert sol.verify().ok
    g = np.linspace(0, 1, 1001)
    y1, y2 = np.meshgrid(g, g, indexing="ij")
    u1 = 2 * np.sqrt(y1) + y2
    u2 = np.sqrt(1 - y1) + 3 * np.sqrt(1 - y2)
    prod = np.where((u1 > 0.3) & (u2 > 0.4), (u1 - 0.3) * (u2 - 0.4), -1)
    i, j = np.unravel_index(np.argmax(prod), prod.shape)
    assert sol.allocation["x"] == pytest.approx(g[i], abs=2e-3)
    assert sol.allocation["y"] == pytest.approx(g[j], abs=2e-3)
    for concept in (kalai_smorodinsky, egalitarian, utilitarian):
        other = concept(space.problem(d))
        assert other.agreement and other.verify().ok, concept.__name__


def test_concave_certificate_detects_a_non_pareto_allocation():
    space = IssueSpace.concave(("A", "B"), {"x": (2, 1), "y": (1, 2)})
    sol = nash_bargaining(space.problem((0, 0)))
    from dataclasses import replace

    alloc = {"x": 0.5, "y": 0.5}
    bad = replace(sol, allocation=alloc, utilities=space.utilities(alloc))
    assert not bad.verify().ok


def test_concave_no_gain_verified_by_second_solver():
    space = IssueSpace.concave(("A", "B"), {"x": (1, 1)})
    sol = nash_bargaining(space.problem((1, 1)))
    assert not sol.agreement and sol.verify().ok


# ------------------------------------------------------------------ sweeps
def test_batch_matches_exact_path_on_random_points():
    rng = np.random.default_rng(7)
    d = rng.uniform(-0.3, 1.0, size=(400, 2)).round(4)
    batch = nash_bargaining_batch(space5(), d, weights=("0.6", "0.4"))
    assert batch.verify().ok
    for i in range(0, 400, 8):
        exact = nash_bargaining(space5().problem([F(str(x)) for x in d[i]]), ("0.6", "0.4"))
        assert bool(batch.agreement[i]) == exact.agreement
        assert batch.utilities[i] == pytest.approx([float(x) for x in exact.utilities], abs=1e-12)
        if exact.agreement:
            ref = [float(exact.allocation[k]) for k in space5().labels]
            assert list(batch.allocation[i]) == pytest.approx(ref, abs=1e-12)
        else:
            assert batch.allocation.mask[i].all()


def test_batch_on_a_polytope_and_a_curve():
    prob = BargainingProblem.from_points([(0, 3), (1, 2), (3, 0), (0, 0), (2, 2)], (0, 0))
    d = np.array([[0, 0], [1, 1], [2, 2], [0.5, 1.5], [5, 5]])
    batch = nash_bargaining_batch(prob, d)
    assert batch.agreement.tolist() == [True, True, False, True, False]
    for row, ok in zip(d, batch.agreement, strict=True):
        exact = nash_bargaining(prob.with_disagreement(row.tolist()))
        assert exact.agreement == ok
    assert batch.verify().ok
    curve = BargainingProblem.from_frontier("sqrt(1 - u1)", 1, (0, 0))
    cb = nash_bargaining_batch(curve, [[0, 0], [0.2, 0.1], [0, 1]])
    assert cb.utilities[0][0] == pytest.approx(2 / 3, abs=1e-12)
    assert cb.agreement.tolist() == [True, True, False]
    assert cb.verify().ok


def test_batch_needs_a_frontier_path():
    space = IssueSpace.concave(("A", "B"), {"x": (1, 1)})
    with pytest.raises(NotApplicableError, match="CompiledNash"):
        nash_bargaining_batch(space.problem((0, 0)), [[0, 0]])
    with pytest.raises(ModelError, match="shape"):
        nash_bargaining_batch(space5(), [0, 0])


def test_compiled_dpp_model_is_reused():
    compiled = CompiledNash(space5())
    first = compiled.solve(("0.2", "0.3"))
    assert first.utilities == pytest.approx((0.75, 0.70), abs=1e-6)
    problems = dict(compiled.model._problems)
    assert all(p.is_dpp() for p, _ in problems.values())
    many = compiled.solve_many([[0.2, 0.55], [0.9, 0.9], [0, 0]])
    assert compiled.model._problems == problems  # nothing rebuilt
    assert many.agreement.tolist() == [True, False, True]
    assert many.utilities[0] == pytest.approx([0.625, 0.7625], abs=1e-6)
    assert many.allocation.mask[1].all()
    standard = CompiledNash(space5(), fast=False)
    rng = np.random.default_rng(3)
    for row in rng.uniform(-0.1, 0.8, size=(6, 2)).round(3):
        a, b = compiled.solve(row.tolist()), standard.solve(row.tolist())
        assert a.agreement == b.agreement
        assert a.utilities == pytest.approx(b.utilities, abs=1e-8)
    assert compiled.model._affine and not standard.model._affine
    concave = CompiledNash(IssueSpace.concave(("A", "B"), {"x": (1, 1), "y": (2, 1)}))
    sol = concave.solve((0, 0))
    assert sol.agreement and sol.verify().ok


# ------------------------------------------------------------------ summaries
def test_summary_renders_and_escapes():
    space = IssueSpace.linear(("<b>Iran</b>", "US"), {"a|b": (1, 2), "c": (2, 1)})
    sol = nash_bargaining(space.problem((0, 0)))
    s = sol.summary()
    assert "Nash bargaining solution" in s.to_text()
    assert "<b>" not in s.to_html() and "&lt;b&gt;" in s.to_html()
    assert "a\\|b" in s.to_markdown()
    json.dumps(s.to_dict())
    json.dumps(sol.verify().to_dict())
    none = nash_bargaining(space.problem((5, 5)))
    assert "no strict gain" in none.summary().to_text()
