"""Certificates of bargaining solutions (``BargainingSolution.verify()``).

Every certificate checks, from the problem data and not from the solver's internals:

* ``infeasibility`` -- how far u lies outside F (sup norm);
* ``ir_violation`` -- how far u falls below d;
* ``pareto_distance`` -- the distance from u to the strict Pareto frontier (polytopes and
  curves), or the spread of the marginal-rate multipliers (concave issue spaces: a point is
  Pareto optimal iff one multiplier ``mu > 0`` satisfies every issue's KKT condition);
* ``optimality_residual`` -- the concept's own condition: the gradient of the (weighted) Nash
  product or of ``w . u`` lies in the normal cone of ``F cap {u >= d}`` at u; u lies on the ray
  from d to the ideal point (Kalai-Smorodinsky); gains are equal unless u is an end of the
  zone of agreement (egalitarian).

On polytopes the checks run in exact rational arithmetic (float answers are converted
exactly); elsewhere they hold to the solution's tolerance, scaled by the problem's magnitude.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from negotiate.games.bargaining import Frontier, Point, Polytope, _segment_distance
from negotiate.results import Certificate
from negotiate.solvers.bargaining import frontier as fk

if TYPE_CHECKING:
    from negotiate.solvers.bargaining.solutions import BargainingSolution

__all__ = ["certify", "cone_violation"]

_CHECKS = ("feasible", "individually rational", "Pareto optimal", "optimality condition")


def cone_violation(v: Point, gens: Sequence[Point]) -> Fraction:
    """0 if ``v`` is a non-negative combination of ``gens`` (2-D), else a positive measure
    (smallest normalised cross product with a generator pointing the same way)."""
    for g, h in itertools.combinations_with_replacement(gens, 2):
        det = g[0] * h[1] - g[1] * h[0]
        if det != 0:
            alpha = (v[0] * h[1] - v[1] * h[0]) / det
            beta = (g[0] * v[1] - g[1] * v[0]) / det
            if alpha >= 0 and beta >= 0:
                return Fraction(0)
        elif g[0] * v[1] - g[1] * v[0] == 0 and g[0] * v[0] + g[1] * v[1] >= 0:
            return Fraction(0)
    norm_v = abs(v[0]) + abs(v[1])
    best = Fraction(1)
    for g in gens:
        if g[0] * v[0] + g[1] * v[1] > 0:
            cross = abs(g[0] * v[1] - g[1] * v[0]) / (norm_v * (abs(g[0]) + abs(g[1])))
            best = min(best, cross)
    return best


def _normal_generators(poly: Polytope, u: Point, d: Point, tol: Fraction) -> list[Point]:
    vs = poly.vertices
    one, zero = Fraction(1), Fraction(0)
    gens: list[Point] = []
    if len(vs) == 1:
        gens = [(one, zero), (-one, zero), (zero, one), (zero, -one)]
    elif len(vs) == 2:
        p, q = vs
        n = (q[1] - p[1], p[0] - q[0])
        gens = [n, (-n[0], -n[1])]
        if _segment_distance((p,), u) <= tol:
            gens.append((p[0] - q[0], p[1] - q[1]))
        if _segment_distance((q,), u) <= tol:
            gens.append((q[0] - p[0], q[1] - p[1]))
    else:
        for a1, a2, c in poly.halfplanes():
            if c - (a1 * u[0] + a2 * u[1]) <= tol * (abs(a1) + abs(a2)):
                gens.append((a1, a2))
    if u[0] - d[0] <= tol:
        gens.append((-one, zero))
    if u[1] - d[1] <= tol:
        gens.append((zero, -one))
    return gens


def _equal_gain_residual(u: Point, d: Point, zone: Sequence[Any], tol: Any) -> Any:
    g1, g2 = u[0] - d[0], u[1] - d[1]
    at_start = max(abs(u[0] - zone[0][0]), abs(u[1] - zone[0][1])) <= tol
    at_end = max(abs(u[0] - zone[-1][0]), abs(u[1] - zone[-1][1])) <= tol
    if (at_start and g1 >= g2 - tol) or (at_end and g2 >= g1 - tol):
        return 0 * g1
    return abs(g1 - g2)


def _polytope(sol: BargainingSolution, poly: Polytope) -> Certificate:
    d = sol.problem.disagreement
    u: Point = (Fraction(sol.utilities[0]), Fraction(sol.utilities[1]))
    mag = max([Fraction(1), *(abs(x) for v in poly.vertices for x in v), abs(d[0]), abs(d[1])])
    tol = Fraction(sol.tolerance) * mag
    q: dict[str, Any] = {
        "infeasibility": poly.violation(u),
        "ir_violation": max(Fraction(0), d[0] - u[0], d[1] - u[1]),
    }
    chain = poly.pareto
    segs = [chain[k : k + 2] for k in range(len(chain) - 1)] or [chain]
    q["pareto_distance"] = min(_segment_distance(s, u) for s in segs)
    zone = poly.zone(d) or (u,)
    w = sol.weights
    if sol.concept == "nash":
        grad = (w[0] * (u[1] - d[1]), w[1] * (u[0] - d[0]))
        q["optimality_residual"] = cone_violation(grad, _normal_generators(poly, u, d, tol))
    elif sol.concept == "utilitarian":
        q["optimality_residual"] = cone_violation(w, _normal_generators(poly, u, d, tol))
    elif sol.concept == "kalai_smorodinsky":
        r = (zone[-1][0] - d[0], zone[0][1] - d[1])
        cross = r[0] * (u[1] - d[1]) - r[1] * (u[0] - d[0])
        q["optimality_residual"] = abs(cross) / (abs(r[0]) + abs(r[1]))
    else:
        q["optimality_residual"] = _equal_gain_residual(u, d, zone, tol)
    space = sol.problem.issues
    if space is not None and sol.allocation is not None:
        ua = space.utilities({k: Fraction(v) for k, v in sol.allocation.items()})
        q["allocation_residual"] = max(abs(ua[0] - u[0]), abs(ua[1] - u[1]))
    ok = all(v <= tol for v in q.values())
    return Certificate(ok, q, sol.exact, float(tol), _CHECKS)


def _curve(sol: BargainingSolution, fr: Frontier) -> Certificate:
    d1, d2 = (float(x) for x in sol.problem.disagreement)
    u1, u2 = (float(x) for x in sol.utilities)
    lo_dom, hi_dom = float(fr.u1_min), float(fr.u1_max)
    mag = max(1.0, abs(d1), abs(d2), abs(hi_dom), abs(lo_dom), abs(fr.value(lo_dom)))
    tol = max(sol.tolerance, 1e-12) * mag
    f = fr.value(u1)
    with np.errstate(all="ignore"):
        slope = float(fr.df(u1))
    q: dict[str, Any] = {
        "infeasibility": max(0.0, lo_dom - u1, u1 - hi_dom, u2 - f),
        "ir_violation": max(0.0, d1 - u1, d2 - u2),
        "pareto_distance": abs(f - u2),
    }
    lo = max(d1, lo_dom)
    at_lo, at_hi = u1 <= lo + tol, u1 >= hi_dom - tol or u2 <= d2 + tol
    w = (float(sol.weights[0]), float(sol.weights[1]))
    if sol.concept in ("nash", "utilitarian"):
        if sol.concept == "nash":
            pos, neg = w[0] * (u2 - d2), w[1] * slope * (u1 - d1)
        else:
            pos, neg = w[0], w[1] * slope
        r = (pos + neg) / (abs(pos) + abs(neg)) if math.isfinite(neg) else -1.0
        q["optimality_residual"] = max(0.0, -r) if at_hi else max(0.0, r) if at_lo else abs(r)
    elif sol.concept == "kalai_smorodinsky":
        i1, i2 = (float(x) for x in sol.ideal) if sol.ideal is not None else (hi_dom, fr.value(lo))
        cross = (i1 - d1) * (u2 - d2) - (i2 - d2) * (u1 - d1)
        q["optimality_residual"] = abs(cross) / (abs(i1 - d1) + abs(i2 - d2))
    else:
        g1, g2 = u1 - d1, u2 - d2
        ok_end = (at_lo and g1 >= g2 - tol) or (at_hi and g2 >= g1 - tol)
        q["optimality_residual"] = 0.0 if ok_end else abs(g1 - g2)
    notes: tuple[str, ...] = fr.checks
    if sol.closed_form is not None:
        c1, c2 = (float(c) for c in sol.closed_form)
        q["closed_form_gap"] = max(abs(c1 - u1), abs(c2 - u2))
        notes = (*notes, "closed form identified by sympy and verified exactly when solved")
    ok = all(v <= tol for v in q.values())
    return Certificate(ok, q, False, tol, _CHECKS, notes)


def _concave_issues(sol: BargainingSolution) -> Certificate:
    space = sol.problem.issues
    assert space is not None and sol.allocation is not None
    d1, d2 = (float(x) for x in sol.problem.disagreement)
    y = {k: float(v) for k, v in sol.allocation.items()}
    u1, u2 = (float(x) for x in sol.utilities)
    mag = max(1.0, abs(d1), abs(d2), *(float(i.weights[0] + i.weights[1]) for i in space.issues))
    tol = max(sol.tolerance, 1e-12) * mag
    ua = space.utilities({k: Fraction(v) for k, v in y.items()})
    q: dict[str, Any] = {
        "infeasibility": max(0.0, *(max(-v, v - 1) for v in y.values())),
        "ir_violation": max(0.0, d1 - u1, d2 - u2),
        "allocation_residual": max(abs(float(ua[0]) - u1), abs(float(ua[1]) - u2)),
    }
    lo, hi = 0.0, math.inf  # feasible range of the multiplier mu = marginal rate 1 : 2
    edge = 1e-6
    for issue in space.issues:
        s = y[issue.label]
        (w1, w2), (r1, r2) = (float(x) for x in issue.weights), (float(x) for x in issue.exponents)
        with np.errstate(all="ignore"):
            m1 = w1 * r1 * s ** (r1 - 1) if w1 > 0 else 0.0
            m2 = w2 * r2 * (1 - s) ** (r2 - 1) if w2 > 0 else 0.0
        rho = m1 / m2 if m2 > 0 else math.inf
        if s > edge:  # player 1 holds some of it: its marginal rate is at least mu
            hi = min(hi, rho)
        if s < 1 - edge:
            lo = max(lo, rho)
    q["pareto_distance"] = max(0.0, math.log(lo / hi)) if lo > 0 and hi < math.inf else 0.0
    g1, g2 = u1 - d1, u2 - d2
    if sol.concept in ("nash", "utilitarian"):
        w = (float(sol.weights[0]), float(sol.weights[1]))
        target = w[1] * g1 / (w[0] * g2) if sol.concept == "nash" else w[1] / w[0]
        miss = max(0.0, lo - target, target - hi) / target
        q["optimality_residual"] = miss
    elif sol.concept == "kalai_smorodinsky" and sol.ideal is not None:
        i1, i2 = (float(x) for x in sol.ideal)
        cross = (i1 - d1) * g2 - (i2 - d2) * g1
        q["optimality_residual"] = abs(cross) / (abs(i1 - d1) + abs(i2 - d2))
    else:
        q["optimality_residual"] = abs(g1 - g2)
    kkt_tol = max(tol, 1e-5)
    ok = all(
        v <= (kkt_tol if k in ("pareto_distance", "optimality_residual") else tol)
        for k, v in q.items()
    )
    notes = ("Pareto optimality from the KKT conditions of the concave program",)
    return Certificate(ok, q, False, kkt_tol, _CHECKS, notes)


def _no_agreement(sol: BargainingSolution) -> Certificate:
    prob = sol.problem
    d = prob.disagreement
    poly = prob.polytope
    if poly is not None:
        zone = poly.zone(d)
        gain = fk.strict_gain(zone, d)
        q: dict[str, Any] = {
            "strict_gain_exists": gain,
            "zone_points": 0 if zone is None else len(zone),
        }
        return Certificate(not gain, q, True, 0.0, ("no point of F is strictly above d",))
    if isinstance(prob.feasible, Frontier):
        from negotiate.solvers.bargaining.curve import ir_interval

        _, _, has_gain = ir_interval(prob.feasible, float(d[0]), float(d[1]))
        q = {"strict_gain_exists": bool(has_gain)}
        return Certificate(
            not bool(has_gain), q, False, 1e-9, ("no point of F is strictly above d",)
        )
    from negotiate.solvers.bargaining.convex import PRECHECK_TOL, ConvexModel

    model = ConvexModel(prob, "SCS")
    df = (float(d[0]), float(d[1]))
    ideal = model.ideal
    if ideal[0] <= df[0] or ideal[1] <= df[1]:
        level = min(ideal[0] - df[0], ideal[1] - df[1])
    else:
        model.set_disagreement(df)
        level, _ = model.max_min_gain()
    q = {"max_min_normalised_gain": level}
    ok = level <= max(PRECHECK_TOL, 1e-6)
    return Certificate(ok, q, False, 1e-6, ("re-checked with a second solver (SCS)",))


def certify(sol: BargainingSolution) -> Certificate:
    """The certificate of a bargaining solution (see the module docstring)."""
    if not sol.agreement:
        return _no_agreement(sol)
    poly = sol.problem.polytope
    if poly is not None:
        return _polytope(sol, poly)
    if isinstance(sol.problem.feasible, Frontier):
        return _curve(sol, sol.problem.feasible)
    return _concave_issues(sol)
