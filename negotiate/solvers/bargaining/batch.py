"""Nash bargaining over many disagreement points at once (parameter sweeps).

Two paths, both returning a :class:`BatchSolution`:

* :func:`nash_bargaining_batch` -- floats, vectorised in numpy.  On a piecewise-linear
  frontier (polytopes, linear issue spaces) each edge ``u2 = c_k + s_k u1`` has the closed-form
  maximiser ``u1 = d1 + a (c_k + s_k d1 - d2) / (-s_k)`` (weights ``a + b = 1``), clipped to
  the edge and to the zone ``u >= d``; the best edge wins (the log Nash product is concave
  along the frontier).  On a curved frontier the first-order condition is solved by
  vectorised bisection.  Cost: O(N m) for N points and m edges.
* :class:`CompiledNash` -- the cvxpy path, compiled once (DPP: d enters only through
  parameters) and re-solved per point, for feasible sets without a closed form.

Rows without a strict gain have ``agreement == False`` and ``utilities == d``; their
allocation rows are masked.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from negotiate._exact import as_fraction
from negotiate.errors import ModelError, NotApplicableError
from negotiate.games.bargaining import BargainingProblem, Frontier
from negotiate.games.issues import IssueSpace
from negotiate.results import Certificate, ResultMixin, Summary
from negotiate.solvers.bargaining.solutions import (
    BargainingSolution,
    _cvx_note,
    _weights,
    nash_bargaining,
)

__all__ = ["BatchSolution", "CompiledNash", "nash_bargaining_batch"]

_MAX_ROWS = 10_000_000


@dataclass(frozen=True, eq=False, repr=False)
class BatchSolution(ResultMixin):
    """Nash solutions for the rows of ``disagreements`` (float arrays)."""

    problem: BargainingProblem
    method: str
    weights: tuple[Fraction, Fraction]
    disagreements: np.ndarray
    utilities: np.ndarray
    agreement: np.ndarray
    allocation: np.ma.MaskedArray | None = None
    labels: tuple[str, ...] = ()
    tolerance: float = 1e-9

    def __len__(self) -> int:
        return len(self.disagreements)

    def verify(self) -> Certificate:
        """Rows with agreement: on the frontier, individually rational, first-order condition
        (one-sided at kinks); rows without: no strict gain (re-checked by the exact path on
        a sample of at most 50 rows for polytopes)."""
        return _verify_batch(self)

    def summary(self) -> Summary:
        n = len(self)
        k = int(self.agreement.sum())
        fields = (
            ("problem", self.problem.kind),
            ("method", self.method),
            ("weights", self.weights),
            ("disagreement points", n),
            ("with agreement", k),
        )
        return Summary("Nash bargaining over many disagreement points", fields)


def _disagreements(ds: Any) -> np.ndarray:
    arr = np.asarray(ds, dtype=float) if not isinstance(ds, np.ndarray) else ds.astype(float)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ModelError("disagreements", f"shape {arr.shape}", "expected an array of shape (N, 2)")
    if len(arr) > _MAX_ROWS:
        raise ModelError("disagreements", f"{len(arr)} rows", f"at most {_MAX_ROWS}")
    bad = np.argwhere(~np.isfinite(arr))
    if len(bad):
        i, j = bad[0]
        raise ModelError(f"disagreements[{i}][{j}]", float(arr[i, j]), "must be a finite number")
    return arr


def _as_problem(problem_or_space: Any, first: np.ndarray) -> BargainingProblem:
    if isinstance(problem_or_space, BargainingProblem):
        return problem_or_space
    if isinstance(problem_or_space, IssueSpace):
        return problem_or_space.problem([Fraction(repr(float(x))) for x in first])
    raise ModelError(
        "problem", type(problem_or_space).__name__, "expected a problem or issue space"
    )


_CHAINS: weakref.WeakKeyDictionary[Any, tuple[np.ndarray, np.ndarray | None]] = (
    weakref.WeakKeyDictionary()
)


def _chain(problem: BargainingProblem) -> tuple[np.ndarray, np.ndarray | None]:
    """The Pareto chain in floats (and its allocations), cached per feasible set."""
    key = problem.feasible
    if key not in _CHAINS:
        _CHAINS[key] = _build_chain(problem)
    return _CHAINS[key]


def _build_chain(problem: BargainingProblem) -> tuple[np.ndarray, np.ndarray | None]:
    space = problem.issues
    if space is not None:
        verts = space.frontier()
        pts = np.array([[float(v.utilities[0]), float(v.utilities[1])] for v in verts])
        alloc = np.array([[float(v.allocation[k]) for k in space.labels] for v in verts])
        return pts, alloc
    poly = problem.polytope
    assert poly is not None
    return np.array([[float(p[0]), float(p[1])] for p in poly.pareto]), None


def _chain_nash(
    P: np.ndarray, d: np.ndarray, a: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised Nash on a chain: utilities, agreement, and (edge index, position).

    ``G`` decreases along the chain (concavity), so the optimal edge is the first one whose
    right end has ``G <= 0``; on it the closed-form maximiser is clipped to the edge and the
    zone.  Edges left of the zone have ``G > 0`` at their right end, and the edge holding
    the zone's right end (where ``u2 = d2``) has ``G < 0`` there, so the choice respects the
    zone.
    """
    b = 1.0 - a
    d1, d2 = d[:, 0], d[:, 1]
    scale = max(1.0, float(np.abs(P).max()))
    if len(P) == 1:
        agree = (P[0, 0] > d1) & (P[0, 1] > d2)
        u = np.where(agree[:, None], P[0], d)
        return u, agree, np.zeros((len(d), 2))
    x0, x1 = P[:-1, 0], P[1:, 0]
    s = (P[1:, 1] - P[:-1, 1]) / (x1 - x0)
    c = P[:-1, 1] - s * x0
    lo = np.maximum(d1, P[0, 0])
    hi = np.where(d2 <= P[-1, 1], P[-1, 0], np.interp(d2, P[::-1, 1], P[::-1, 0]))
    agree = (d2 < P[0, 1]) & (hi > lo + 1e-12 * scale) & (lo < P[-1, 0])
    # the optimal edge is the first whose right end has G = a (u2 - d2) + b s (u1 - d1) <= 0
    g_end = a * (P[1:, 1] - d2[:, None]) + (b * s) * (x1 - d1[:, None])
    k = np.minimum(np.argmax(g_end <= 0, axis=1), len(s) - 1)
    k = np.where(g_end[np.arange(len(d)), k] <= 0, k, len(s) - 1)
    sk, ck = s[k], c[k]
    star = d1 + a * (ck + sk * d1 - d2) / (-sk)
    u1 = np.clip(star, np.maximum(x0[k], lo), np.minimum(x1[k], hi))
    u = np.where(agree[:, None], np.stack([u1, ck + sk * u1], axis=1), d)
    t = (u1 - x0[k]) / (x1[k] - x0[k])
    return u, agree, np.stack([k, t], axis=1)


def nash_bargaining_batch(
    problem_or_space: BargainingProblem | IssueSpace,
    disagreements: Any,
    weights: Sequence[Any] | None = None,
) -> BatchSolution:
    """Float Nash solutions for every row of ``disagreements`` (shape (N, 2)), vectorised.

    Applies to polytopes, linear issue spaces and curved frontiers; for concave issue spaces
    use :class:`CompiledNash`.
    """
    d = _disagreements(disagreements)
    if len(d) == 0:
        raise ModelError("disagreements", "0 rows", "give at least one disagreement point")
    problem = _as_problem(problem_or_space, d[0])
    w = _weights(weights)
    a = float(w[0])
    if isinstance(problem.feasible, Frontier):
        from negotiate.solvers.bargaining.curve import ir_interval
        from negotiate.solvers.bargaining.frontier import bisect_decreasing

        fr = problem.feasible
        lo, hi, agree = ir_interval(fr, d[:, 0], d[:, 1])
        d1, d2 = d[:, 0], d[:, 1]
        x = bisect_decreasing(lambda x: a * (fr.f(x) - d2) + (1 - a) * fr.df(x) * (x - d1), lo, hi)
        u = np.where(agree[:, None], np.stack([x, fr.f(x)], axis=1), d)
        return BatchSolution(problem, "batch:bisection", w, d, u, agree)
    if problem.polytope is None:
        raise NotApplicableError(
            "the vectorised path needs a piecewise-linear or curved frontier", ("CompiledNash",)
        )
    P, Y = _chain(problem)
    u, agree, where = _chain_nash(P, d, a)
    alloc = None
    labels: tuple[str, ...] = ()
    if Y is not None:
        k = where[:, 0].astype(int)
        t = where[:, 1]
        k1 = np.minimum(k + 1, len(Y) - 1)
        y = Y[k] + t[:, None] * (Y[k1] - Y[k])
        alloc = np.ma.masked_array(y, mask=np.repeat(~agree[:, None], y.shape[1], axis=1))
        labels = problem.issues.labels if problem.issues is not None else ()
    return BatchSolution(problem, "batch:frontier-walk", w, d, u, agree, alloc, labels)


class CompiledNash:
    """The cvxpy Nash model of one feasible set, compiled once (DPP) and solved per point.

    ``solve(d)`` returns a :class:`BargainingSolution` like ``nash_bargaining(...,
    method="cvxpy")`` but without rebuilding the problem; ``solve_many`` returns a
    :class:`BatchSolution`.  With ``fast`` (default) each compiled problem's solver data are
    kept as an affine map of d and passed straight to the solver; without it, cvxpy's own
    parameter re-application runs at every solve.
    """

    def __init__(
        self,
        problem_or_space: BargainingProblem | IssueSpace,
        weights: Sequence[Any] | None = None,
        solver: str = "CLARABEL",
        *,
        fast: bool = True,
    ) -> None:
        from negotiate.solvers.bargaining.convex import ConvexModel

        self.problem = _as_problem(problem_or_space, np.zeros(2))
        self.weights = _weights(weights)
        self.model = ConvexModel(self.problem, solver, sweep=fast)
        self.solver = solver

    def solve(self, disagreement: Sequence[Any]) -> BargainingSolution:
        from negotiate.solvers.bargaining.convex import PRECHECK_TOL
        from negotiate.solvers.bargaining.solutions import _no_agreement

        d = (
            as_fraction(disagreement[0], "disagreement[0]"),
            as_fraction(disagreement[1], "disagreement[1]"),
        )
        problem = self.problem.with_disagreement(d)
        df = (float(d[0]), float(d[1]))
        m = self.model
        method = f"cvxpy:{self.solver}"
        if m.ideal[0] <= df[0] or m.ideal[1] <= df[1]:
            return _no_agreement(
                problem, "nash", method, self.weights, "d is at or above the ideal point"
            )
        m.set_disagreement(df)
        level, _ = m.max_min_gain()
        if level <= PRECHECK_TOL:
            return _no_agreement(problem, "nash", method, self.weights, "no strict gain")
        point = m.nash(float(self.weights[0]), float(self.weights[1]))
        return BargainingSolution(
            problem,
            "nash",
            method,
            point.utilities,
            True,
            None,
            point.allocation,
            self.weights,
            False,
            1e-5,
            notes=(_cvx_note(self.solver, point.repair, m.polished),),
        )

    def solve_many(self, disagreements: Any) -> BatchSolution:
        d = _disagreements(disagreements)
        sols = [self.solve((Fraction(repr(float(r[0]))), Fraction(repr(float(r[1]))))) for r in d]
        u = np.array([[float(x) for x in s.utilities] for s in sols])
        agree = np.array([s.agreement for s in sols], dtype=bool)
        alloc = None
        labels = self.model.labels
        if labels:
            y = np.array(
                [[float(s.allocation[k]) if s.allocation else 0.0 for k in labels] for s in sols]
            )
            alloc = np.ma.masked_array(y, mask=np.repeat(~agree[:, None], len(labels), axis=1))
        return BatchSolution(
            self.problem,
            f"cvxpy:{self.solver} (compiled)",
            self.weights,
            d,
            u,
            agree,
            alloc,
            labels,
            1e-5,
        )


def _verify_batch(sol: BatchSolution) -> Certificate:
    d, u, agree = sol.disagreements, sol.utilities, sol.agreement
    a = float(sol.weights[0])
    b = 1.0 - a
    prob = sol.problem
    scale = max(1.0, float(np.abs(d).max()), float(np.abs(u).max()))
    tol = sol.tolerance * scale
    q: dict[str, Any] = {
        "ir_violation": float(np.max(np.where(agree[:, None], d - u, 0.0), initial=0.0))
    }
    if isinstance(prob.feasible, Frontier):
        fr = prob.feasible
        with np.errstate(all="ignore"):
            f = fr.f(u[:, 0])
            g = a * (u[:, 1] - d[:, 1]) + b * fr.df(u[:, 0]) * (u[:, 0] - d[:, 0])
            norm = a * np.abs(u[:, 1] - d[:, 1]) + b * np.abs(fr.df(u[:, 0])) * (u[:, 0] - d[:, 0])
            r = np.where(np.isfinite(g), np.abs(g) / norm, 0.0)
        at_max = u[:, 0] >= float(fr.u1_max) - tol
        q["pareto_distance"] = float(np.max(np.where(agree, np.abs(f - u[:, 1]), 0.0), initial=0.0))
        q["optimality_residual"] = float(np.max(np.where(agree & ~at_max, r, 0.0), initial=0.0))
    else:
        P, _ = _chain(prob)
        q.update(_chain_residuals(P, d, u, agree, a, tol))
        sample = np.flatnonzero(~agree)[:50]
        wrong = 0
        for i in sample:
            ex = nash_bargaining(
                prob.with_disagreement([Fraction(float(x)) for x in d[i]]), sol.weights
            )
            wrong += int(ex.agreement)
        q["missed_agreements_in_sample"] = wrong
    ok = all(v <= tol for v in q.values())
    return Certificate(
        ok, q, False, tol, ("frontier", "individually rational", "first-order condition")
    )


def _chain_residuals(
    P: np.ndarray, d: np.ndarray, u: np.ndarray, agree: np.ndarray, a: float, tol: float
) -> dict[str, float]:
    b = 1.0 - a
    if len(P) == 1:
        dist = np.abs(u - P[0]).max(axis=1)
        return {"pareto_distance": float(np.max(np.where(agree, dist, 0.0), initial=0.0))}
    s = (P[1:, 1] - P[:-1, 1]) / (P[1:, 0] - P[:-1, 0])
    k = np.clip(np.searchsorted(P[:, 0], u[:, 0], side="right") - 1, 0, len(s) - 1)
    on = P[k, 1] + s[k] * (u[:, 0] - P[k, 0])
    dist = np.abs(on - u[:, 1])
    g1, g2 = u[:, 0] - d[:, 0], u[:, 1] - d[:, 1]
    near_left = np.abs(u[:, 0] - P[k, 0]) <= tol
    s_left = np.where(near_left, np.concatenate([[0.0], s])[k], s[k])
    s_right = s[k]
    norm = a * np.abs(g2) + b * np.abs(s_left) * np.abs(g1) + b * np.abs(s_right) * np.abs(g1)
    viol = np.maximum(-(a * g2 + b * s_left * g1), a * g2 + b * s_right * g1) / np.maximum(
        norm, 1e-300
    )
    at_end = u[:, 0] >= P[-1, 0] - tol
    viol = np.where(
        at_end, np.maximum(0.0, -(a * g2 + b * s_left * g1)) / np.maximum(norm, 1e-300), viol
    )
    return {
        "pareto_distance": float(np.max(np.where(agree, dist, 0.0), initial=0.0)),
        "optimality_residual": float(
            np.max(np.where(agree, np.maximum(viol, 0.0), 0.0), initial=0.0)
        ),
    }
