"""Axiomatic bargaining solutions: Nash (1950), asymmetric Nash, Kalai-Smorodinsky (1975),
egalitarian (Kalai 1977) and utilitarian.

For a problem (F, d):

* Nash: maximise ``(u1 - d1)^a (u2 - d2)^b`` over ``u in F, u >= d``; weights ``(a, b)``
  (default equal) give the asymmetric solution with bargaining weight ``alpha = a / (a + b)``.
* Kalai-Smorodinsky: the Pareto point on the segment from d to the ideal point
  ``I = (max u1, max u2)`` of the individually rational part of F.
* Egalitarian: the Pareto point with equal gains ``u1 - d1 = u2 - d2`` (leximin where the
  equal-gain line leaves F first).
* Utilitarian: maximise ``w1 u1 + w2 u2`` over ``u in F, u >= d`` (on a tied edge, its most
  equal point).

Methods (``method=``):

* ``"exact"`` -- polytopes and linear issue spaces: walk the piecewise-linear Pareto frontier
  in rational arithmetic (:mod:`negotiate.solvers.bargaining.frontier`); the answer is exact.
* ``"frontier"`` -- concave frontiers ``u2 = f(u1)``: each solution is the root of a monotone
  function, found by bisection to machine precision.  Utilities are floats (``exact=False``);
  ``closed_form`` holds sympy numbers when sympy identifies the root and it is then verified
  exactly (e.g. KS ``(sqrt(5) - 1)/2`` for ``u2 = sqrt(1 - u1)``).
* ``"cvxpy"`` -- any problem, with a named solver (CLARABEL; SCS as the second opinion), under
  the solver-status discipline of :mod:`negotiate.solvers.bargaining.convex`.
* ``"auto"`` -- the first that fits: exact, else frontier, else cvxpy (the rule of
  :mod:`negotiate._registry`); a callable ``method(problem, concept=, w=, solver=)`` also works.

When no agreement is strictly better than d for both players (d on or beyond the frontier,
or a singleton set not above d), the result has ``agreement == False``,
``reason == NoAgreementReason.NO_STRICT_GAIN`` and ``utilities == d``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any

import sympy as sp

from negotiate._exact import as_fraction
from negotiate._registry import Registry
from negotiate.errors import ModelError, NotApplicableError, SolverError
from negotiate.games.bargaining import BargainingProblem, Frontier, Point
from negotiate.results import Certificate, ResultMixin, Summary, Table
from negotiate.solvers.bargaining import frontier as fk

__all__ = [
    "CONCEPTS",
    "BargainingSolution",
    "NoAgreementReason",
    "egalitarian",
    "kalai_smorodinsky",
    "nash_bargaining",
    "utilitarian",
]

CONCEPTS = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")
_TITLES = {
    "nash": "Nash bargaining solution",
    "kalai_smorodinsky": "Kalai-Smorodinsky solution",
    "egalitarian": "Egalitarian solution",
    "utilitarian": "Utilitarian solution",
}
_HALF = Fraction(1, 2)


class NoAgreementReason(StrEnum):
    """Why a bargaining solution reports no agreement."""

    NO_STRICT_GAIN = "no strict gain"


@dataclass(frozen=True, eq=False, repr=False)
class BargainingSolution(ResultMixin):
    """A solution of a bargaining problem, recording how it was found.

    ``utilities`` are Fractions when ``exact`` (else floats checked to ``tolerance``);
    ``allocation`` maps issue -> player 1's share for issue spaces (None otherwise, and None
    without agreement); ``ideal`` is the ideal point used by Kalai-Smorodinsky.
    """

    problem: BargainingProblem
    concept: str
    method: str
    utilities: tuple[Any, Any]
    agreement: bool
    reason: NoAgreementReason | None = None
    allocation: Mapping[str, Any] | None = None
    weights: tuple[Fraction, Fraction] = (_HALF, _HALF)
    exact: bool = True
    tolerance: float = 0.0
    closed_form: tuple[sp.Expr, sp.Expr] | None = None
    ideal: tuple[Any, Any] | None = None
    notes: tuple[str, ...] = ()

    def _describe(self) -> str:
        if not self.agreement:
            return f"{self.concept}: no agreement ({self.reason})"
        kind = "exact" if self.exact else f"float, tol {self.tolerance:g}"
        u = ", ".join(str(x) if self.exact else f"{x:.6g}" for x in self.utilities)
        return f"{self.concept} solution ({u}) by {self.method} ({kind})"

    @property
    def disagreement(self) -> Point:
        return self.problem.disagreement

    @property
    def gains(self) -> tuple[Any, Any]:
        d = self.problem.disagreement
        if self.exact:
            return (self.utilities[0] - d[0], self.utilities[1] - d[1])
        return (self.utilities[0] - float(d[0]), self.utilities[1] - float(d[1]))

    def verify(self) -> Certificate:
        """Feasibility, individual rationality, Pareto optimality and the optimality
        condition of the concept (exact on polytopes; to ``tolerance`` otherwise)."""
        from negotiate.solvers.bargaining.verify import certify

        return certify(self)

    def summary(self) -> Summary:
        p1, p2 = self.problem.players
        fields: list[tuple[str, Any]] = [
            ("problem", self.problem.kind),
            ("method", self.method),
            ("agreement", self.agreement),
        ]
        if self.concept in ("nash", "utilitarian"):
            fields.append(("weights", self.weights))
        fields += [
            ("disagreement", self.problem.disagreement),
            (f"utility of {p1}", self.utilities[0]),
            (f"utility of {p2}", self.utilities[1]),
        ]
        if self.reason is not None:
            fields.append(("reason", self.reason.value))
        if self.closed_form is not None:
            fields.append(("closed form", tuple(str(c) for c in self.closed_form)))
        tables: tuple[Table, ...] = ()
        if self.allocation is not None:
            rows = tuple((k, v) for k, v in self.allocation.items())
            tables = (Table(f"share of each issue going to {p1}", ("issue", "share"), rows),)
        notes = self.notes
        if not self.exact:
            notes = (*notes, f"floating-point result, checked to {self.tolerance:.1e}")
        return Summary(_TITLES[self.concept], tuple(fields), tables, notes)


# ---------------------------------------------------------------------- public functions
def nash_bargaining(
    problem: BargainingProblem,
    weights: Sequence[Any] | None = None,
    *,
    method: str | Callable[..., BargainingSolution] = "auto",
    solver: str = "CLARABEL",
    cross_check: bool = False,
) -> BargainingSolution:
    """The (asymmetric) Nash bargaining solution; ``weights = (a, b)``, default equal."""
    return _solve(problem, "nash", _weights(weights), method, solver, cross_check)


def kalai_smorodinsky(
    problem: BargainingProblem,
    *,
    method: str | Callable[..., BargainingSolution] = "auto",
    solver: str = "CLARABEL",
    cross_check: bool = False,
) -> BargainingSolution:
    """The Kalai-Smorodinsky solution (ray from d to the individually rational ideal)."""
    return _solve(problem, "kalai_smorodinsky", (_HALF, _HALF), method, solver, cross_check)


def egalitarian(
    problem: BargainingProblem,
    *,
    method: str | Callable[..., BargainingSolution] = "auto",
    solver: str = "CLARABEL",
    cross_check: bool = False,
) -> BargainingSolution:
    """The egalitarian solution: equal gains over d (leximin at the boundary)."""
    return _solve(problem, "egalitarian", (_HALF, _HALF), method, solver, cross_check)


def utilitarian(
    problem: BargainingProblem,
    weights: Sequence[Any] | None = None,
    *,
    method: str | Callable[..., BargainingSolution] = "auto",
    solver: str = "CLARABEL",
    cross_check: bool = False,
) -> BargainingSolution:
    """The (weighted) utilitarian solution over the individually rational part of F."""
    return _solve(problem, "utilitarian", _weights(weights), method, solver, cross_check)


def _weights(weights: Sequence[Any] | None) -> tuple[Fraction, Fraction]:
    if weights is None:
        return (_HALF, _HALF)
    if isinstance(weights, str | bytes) or not isinstance(weights, Sequence) or len(weights) != 2:
        raise ModelError("weights", weights, "expected two positive weights (a, b)")
    w = (as_fraction(weights[0], "weights[0]"), as_fraction(weights[1], "weights[1]"))
    for i in (0, 1):
        if w[i] <= 0:
            raise ModelError(f"weights[{i}]", w[i], "bargaining weights must be positive")
    total = w[0] + w[1]
    return (w[0] / total, w[1] / total)


# ---------------------------------------------------------------------- dispatch
METHODS: Registry[Any] = Registry("bargaining solutions")

#: What every bargaining method is called with: ``solve(problem, concept=, w=, solver=)``.
_ARGS = frozenset({"concept", "w", "solver"})


def _exact_accepts(problem: Any) -> str | None:
    if not isinstance(problem, BargainingProblem):
        return "expected a BargainingProblem"
    return None if problem.polytope is not None else f"the feasible set is a {problem.kind}"


def _frontier_accepts(problem: Any) -> str | None:
    if not isinstance(problem, BargainingProblem):
        return "expected a BargainingProblem"
    return None if problem.kind == "frontier" else "needs a frontier u2 = f(u1)"


def _cvx_accepts(problem: Any) -> str | None:
    return None if isinstance(problem, BargainingProblem) else "expected a BargainingProblem"


def _solve(
    problem: BargainingProblem,
    concept: str,
    w: tuple[Fraction, Fraction],
    method: str | Callable[..., BargainingSolution],
    solver: str,
    cross_check: bool,
) -> BargainingSolution:
    if not isinstance(problem, BargainingProblem):
        raise ModelError("problem", type(problem).__name__, "expected a BargainingProblem")
    _, sol = METHODS.run(method, problem, concept=concept, w=w, solver=solver)
    if cross_check and sol.agreement:
        sol = _cross_check(sol, solver)
    return sol


def _no_agreement(
    problem: BargainingProblem, concept: str, method: str, w: tuple[Fraction, Fraction], note: str
) -> BargainingSolution:
    d = problem.disagreement
    exact = method == "exact"
    u: tuple[Any, Any] = d if exact else (float(d[0]), float(d[1]))
    return BargainingSolution(
        problem,
        concept,
        method,
        u,
        False,
        NoAgreementReason.NO_STRICT_GAIN,
        None,
        w,
        exact,
        0.0 if exact else 1e-9,
        notes=(note,),
    )


@METHODS.register("exact", "exact frontier walk on polytopes", _exact_accepts, options=_ARGS)
def _exact(
    problem: BargainingProblem, concept: str, w: tuple[Fraction, Fraction], solver: str
) -> BargainingSolution:
    poly = problem.polytope
    assert poly is not None
    d = problem.disagreement
    zone = poly.zone(d)
    if not fk.strict_gain(zone, d):
        why = (
            "every feasible point is worse than d for some player"
            if zone is None
            else "d lies on the Pareto frontier"
        )
        return _no_agreement(problem, concept, "exact", w, why)
    assert zone is not None
    ideal = None
    if concept == "nash":
        u = fk.nash_chain(zone, d, w[0], w[1])
    elif concept == "kalai_smorodinsky":
        u = fk.ks_chain(zone, d)
        ideal = (zone[-1][0], zone[0][1])
    elif concept == "egalitarian":
        u = fk.egalitarian_chain(zone, d)
    else:
        u = fk.utilitarian_chain(zone, d, w)
    return BargainingSolution(
        problem, concept, "exact", u, True, None, _exact_allocation(problem, u), w, ideal=ideal
    )


def _exact_allocation(problem: BargainingProblem, u: Point) -> dict[str, Fraction] | None:
    space = problem.issues
    if space is None:
        return None
    verts = space.frontier()
    k, t = fk.locate([v.utilities for v in verts], u)
    if k == len(verts) - 1:
        return dict(verts[k].allocation)
    a, b = verts[k].allocation, verts[k + 1].allocation
    return {label: a[label] + t * (b[label] - a[label]) for label in space.labels}


@METHODS.register(
    "frontier", "bisection on a concave frontier u2 = f(u1)", _frontier_accepts, options=_ARGS
)
def _frontier(
    problem: BargainingProblem, concept: str, w: tuple[Fraction, Fraction], solver: str
) -> BargainingSolution:
    from negotiate.solvers.bargaining.curve import solve_curve

    fr = problem.feasible
    assert isinstance(fr, Frontier)
    out = solve_curve(fr, problem.disagreement, concept, w)
    if out is None:
        return _no_agreement(
            problem, concept, "frontier", w, "no point of the frontier is above d for both"
        )
    u, closed, ideal = out
    notes: tuple[str, ...] = ()
    utilities: tuple[Any, Any] = u
    exact = False
    if closed is not None and all(c.is_Rational for c in closed):
        utilities = tuple(Fraction(int(c.p), int(c.q)) for c in closed)  # type: ignore[assignment]
        exact = True
    return BargainingSolution(
        problem,
        concept,
        "frontier",
        utilities,
        True,
        None,
        None,
        w,
        exact,
        0.0 if exact else 1e-9,
        closed,
        ideal,
        notes,
    )


@METHODS.register("cvxpy", "convex optimisation (cvxpy, named solver)", _cvx_accepts, options=_ARGS)
def _cvx(
    problem: BargainingProblem, concept: str, w: tuple[Fraction, Fraction], solver: str
) -> BargainingSolution:
    from negotiate.solvers.bargaining.convex import PRECHECK_TOL, ConvexModel

    model = ConvexModel(problem, solver)
    d = (float(problem.disagreement[0]), float(problem.disagreement[1]))
    method = f"cvxpy:{solver}"
    ideal = model.ideal
    if ideal[0] <= d[0] or ideal[1] <= d[1]:
        return _no_agreement(problem, concept, method, w, "d is at or above the ideal point")
    model.set_disagreement(d)
    level, _ = model.max_min_gain()
    if level <= PRECHECK_TOL:
        return _no_agreement(
            problem, concept, method, w, f"largest normalised common gain {level:.3g}"
        )
    ks_ideal = None
    if concept == "nash":
        point = model.nash(float(w[0]), float(w[1]))
    elif concept == "utilitarian":
        point = model.max_weighted((float(w[0]), float(w[1])))
    elif concept == "kalai_smorodinsky":
        i1 = model.max_weighted((1.0, 0.0)).utilities[0]
        i2 = model.max_weighted((0.0, 1.0)).utilities[1]
        ks_ideal = (i1, i2)
        r = model.normalise(ks_ideal) - model.normalise(d)
        _, point = model.max_min_gain((float(r[0]), float(r[1])), second_stage=True)
    else:
        r = 1.0 / model.span
        _, point = model.max_min_gain((float(r[0]), float(r[1])), second_stage=True)
    return BargainingSolution(
        problem,
        concept,
        method,
        point.utilities,
        True,
        None,
        point.allocation,
        w,
        False,
        1e-5,
        ideal=ks_ideal,
        notes=(_cvx_note(solver, point.repair, model.polished),),
    )


def _cvx_note(solver: str, repair: float, polished: bool) -> str:
    note = f"solver {solver}: status optimal; repair of the answer {repair:.1e}"
    if polished:
        note += "; Nash maximiser polished by SCS (eps 1e-9), within 1e-4 of the first answer"
    return note


def _cross_check(sol: BargainingSolution, solver: str) -> BargainingSolution:
    """Solve again with a second, independent path and record the difference."""
    other = "SCS" if solver != "SCS" else "CLARABEL"
    second = _cvx(sol.problem, sol.concept, sol.weights, other)
    if not second.agreement:
        raise SolverError("the cross-check found no strict gain", solver=other, status="disagree")
    span = max(1.0, *(abs(float(x)) for x in sol.utilities))
    gap = max(
        abs(float(a) - float(b)) for a, b in zip(sol.utilities, second.utilities, strict=True)
    )
    if gap > 1e-5 * span:
        raise SolverError(
            f"{sol.method} and cvxpy:{other} disagree",
            solver=other,
            status="disagree",
            residual=gap,
        )
    note = f"cross-checked with cvxpy:{other}: largest difference {gap:.1e}"
    return BargainingSolution(
        sol.problem,
        sol.concept,
        sol.method,
        sol.utilities,
        sol.agreement,
        sol.reason,
        sol.allocation,
        sol.weights,
        sol.exact,
        sol.tolerance,
        sol.closed_form,
        sol.ideal,
        (*sol.notes, note),
    )


def applicable_methods(problem: BargainingProblem) -> tuple[str, ...]:
    """Names of the methods that apply to ``problem`` (``"auto"`` picks the first)."""
    names = METHODS.applicable(problem)
    if not names:  # pragma: no cover - cvxpy accepts every problem
        raise NotApplicableError("no bargaining method applies", METHODS.names())
    return names
