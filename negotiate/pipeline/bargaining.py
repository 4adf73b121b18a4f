"""Stage 5, the bargaining solution: the feasible set, participation slacks and the deal.

The feasible set is the linear issue space of the (discounted) weights (Nash 1950 on a
multi-issue space: each issue is split, a side's utility is the weighted sum of its shares),
or the convex hull of the model's outcome points.  Each side's *participation slack* is
measured on its exact Pareto frontier F:

    slack_i = max{U_i : U in F, U_j >= d_j} - d_i,

and when no point of F gives ``j`` its value ``d_j``, side ``j``'s slack is its shortfall
``max U_j - d_j`` and side ``i``'s is read at the point best for ``j``.  A zone of agreement
exists iff both slacks are positive; the deal is then the model's bargaining solution:
(asymmetric) Nash with the bargaining power as weights, or Kalai-Smorodinsky (1975).

Exact: :class:`~negotiate.games.issues.IssueSpace` / :class:`~negotiate.games.bargaining.
BargainingProblem` and the exact solvers of :mod:`negotiate.solvers.bargaining.solutions`.  Arrays:
the Pareto chain per point of :mod:`negotiate.pipeline._chain`; a point whose slack, or whose
best value for a side, lies within ``1e-12`` (relative) of a disagreement value is flagged
``boundary``, and there the case split is decided as the exact path decides it (a tie counts
as reaching ``d_j``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from negotiate.errors import ModelError
from negotiate.pipeline import _chain
from negotiate.pipeline._arrays import TIE_TOLERANCE, Arr, PointFn, check
from negotiate.pipeline._spec import Spec, Stage

__all__ = [
    "STAGE",
    "deal_exact",
    "participation_slacks",
    "problem_exact",
    "slacks_array",
]

_POWER = "weights must be >= 0 and not both 0"


def participation_slacks(vertices: Any, d: tuple[Fraction, Fraction]) -> tuple[Fraction, Fraction]:
    """``max{U_i : U in F, U_j >= d_j} - d_i`` for both sides, exactly (F a convex polygon).

    When no point of F gives ``j`` its value ``d_j``, side ``j``'s slack is its shortfall
    ``max U_j - d_j`` and side ``i``'s is measured at the point best for ``j``.
    """
    pts = list(vertices)
    edges = list(zip(pts, pts[1:] + pts[:1], strict=True)) if len(pts) > 1 else []

    def best(i: int) -> Fraction:
        j = 1 - i
        if max(u[j] for u in pts) < d[j]:
            top = max(pts, key=lambda u: (u[j], u[i]))
            return top[i] - d[i]
        cands = [u[i] for u in pts if u[j] >= d[j]]
        for a, b in edges:
            if (a[j] - d[j]) * (b[j] - d[j]) < 0:
                t = (d[j] - a[j]) / (b[j] - a[j])
                cands.append(a[i] + t * (b[i] - a[i]))
        return max(cands) - d[i]

    s1, s2 = best(0), best(1)
    top0, top1 = max(u[0] for u in pts), max(u[1] for u in pts)
    if top1 < d[1]:
        s2 = top1 - d[1]
    if top0 < d[0]:
        s1 = top0 - d[0]
    return s1, s2


def slacks_array(c: _chain.Chain, d1: Arr, d2: Arr) -> tuple[Arr, Arr, Arr]:
    """Participation slacks on arrays (:func:`participation_slacks`) and the points where
    a side's best value lies within ``1e-12`` of its disagreement value.

    The shortfall case ``max U_j < d_j`` is taken only when the gap exceeds the tolerance
    scaled to the inputs: at a tie the exact path reads the frontier (``U_j >= d_j`` holds
    there), and a rounding error of a few ulps must not switch to the shortfall reading.
    """
    s1 = c.x_at_y(d2) - d1
    s2 = c.y_at_x(d1) - d2
    top1, top0 = c.vy[0], c.vx[-1]
    tol1 = TIE_TOLERANCE * np.maximum(np.maximum(1.0, np.abs(top1)), np.abs(d2))
    tol0 = TIE_TOLERANCE * np.maximum(np.maximum(1.0, np.abs(top0)), np.abs(d1))
    s2 = np.where(top1 < d2 - tol1, top1 - d2, s2)
    s1 = np.where(top0 < d1 - tol0, top0 - d1, s1)
    near = (np.abs(top1 - d2) <= tol1) | (np.abs(top0 - d1) <= tol0)
    return s1, s2, near


def problem_exact(
    players: tuple[str, str],
    weights: Mapping[str, tuple[Fraction, Fraction]] | None,
    reversibility: Mapping[str, Fraction],
    points: Sequence[tuple[Fraction, Fraction]] | None,
    d: tuple[Fraction, Fraction],
) -> Any:
    """The bargaining problem: the linear issue space of ``weights`` (issues worth nothing
    to both left out), or the hull of ``points``, with disagreement point ``d``."""
    from negotiate.games.bargaining import BargainingProblem
    from negotiate.games.issues import IssueSpace

    if weights:
        kept = {n: w for n, w in weights.items() if w != (0, 0)}
        if not kept:
            raise ModelError("issues", None, "no issue is worth anything to either side")
        reversible = [n for n, r in reversibility.items() if r > 0 and n in kept]
        space = IssueSpace.linear(players=players, weights=kept, reversible=reversible)
        return space.problem(d)
    assert points is not None
    return BargainingProblem.from_points(points, d)


def deal_exact(problem: Any, solution: str, power: Sequence[Any] | None) -> Any:
    """The bargaining solution of ``problem``: "nash" (``power`` as weights) or
    "kalai_smorodinsky" (a record with ``.agreement``, ``.utilities``, ``.allocation``)."""
    from negotiate.solvers.bargaining.solutions import kalai_smorodinsky, nash_bargaining

    if solution == "kalai_smorodinsky":
        return kalai_smorodinsky(problem)
    return nash_bargaining(problem, weights=power)


def _power_fields(spec: Spec) -> list[str]:
    return [] if spec.power is None else [f"bargaining.power.{p}" for p in spec.players]


def _fields(spec: Spec) -> list[tuple[str, Any]]:
    return list(zip(_power_fields(spec), spec.power or (), strict=True))


def _exact(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    """``frame["deal"]`` asks for the bargaining solution where both slacks are positive."""
    inp = frame["in"]
    power = None
    if spec.power is not None:
        pw = tuple(inp[f] for f in _power_fields(spec))
        if pw[0] < 0 or pw[1] < 0 or pw[0] + pw[1] == 0:
            raise ModelError("bargaining.power", pw, _POWER)
        power = (pw[0], pw[1])
    out: dict[str, Any] = {"power": power, "slacks": None, "problem": None, "solution": None}
    if not spec.has_bargaining:
        return out
    weights = frame["weights"] if spec.issues else None
    problem = problem_exact(
        spec.players, weights, frame["reversibility"], frame["points"], frame["disagreement"]
    )
    slacks = participation_slacks(problem.polytope.vertices, frame["disagreement"])
    out.update(problem=problem, slacks=slacks)
    if frame.get("deal") and slacks[0] > 0 < slacks[1]:
        out["solution"] = deal_exact(problem, spec.solution, power)
    return out


def _array(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    """Slacks, the zone of agreement, ``near`` (boundary) and the deal ``(u1, u2, shares)``
    at every point (meaningful only where a zone exists: the caller masks the rest)."""
    inp, point = frame["in"], frame["point"]
    power = None
    if spec.power is not None:
        p1, p2 = (inp[f] for f in _power_fields(spec))
        check((p1 < 0) | (p2 < 0) | (p1 + p2 == 0), "bargaining.power", p1, _POWER, point)
        power = (p1, p2)
    out: dict[str, Any] = {"power": power, "slacks": None, "chain": None, "deal": None}
    if not spec.has_bargaining:
        return out
    d1, d2 = frame["disagreement"]
    near: Arr = np.False_
    if spec.issues:
        w1, w2 = frame["weights"]
        worthless: Arr = np.True_
        for a, b in zip(w1, w2, strict=True):
            worthless = worthless & (a == 0) & (b == 0)
        check(worthless, "issues", 0.0, "no issue is worth anything to either side", point)
        chain, near = _chain.issue_chain(w1, w2, TIE_TOLERANCE)
    else:
        pts = frame["points"]
        chain = _chain.point_chain([p[0] for p in pts], [p[1] for p in pts])
    s1, s2, at_top = slacks_array(chain, d1, d2)
    scale = np.maximum(np.maximum(1.0, np.abs(d1)), np.abs(d2))
    scale = np.maximum(np.maximum(scale, np.abs(chain.vx[-1])), np.abs(chain.vy[0]))
    tol = TIE_TOLERANCE * scale
    near = near | at_top | (np.abs(s1) <= tol) | (np.abs(s2) <= tol)
    zone = (s1 > 0) & (s2 > 0)
    out.update(slacks=(s1, s2), chain=chain, zone=zone, zone_near=near)
    out["deal"] = _deal_array(spec, chain, zone, (d1, d2), power, point, frame)
    return out


def _deal_array(
    spec: Spec,
    chain: _chain.Chain,
    zone: Arr,
    d: tuple[Arr, Arr],
    power: tuple[Arr, Arr] | None,
    point: PointFn,
    frame: Mapping[str, Any],
) -> tuple[Arr, Arr, list[Arr] | None]:
    if spec.solution == "kalai_smorodinsky":
        u1, u2, pos = _chain.ks(chain, d[0], d[1])
    else:
        a: Arr = 0.5
        if power is not None:
            p1, p2 = power
            need = zone & ((p1 <= 0) | (p2 <= 0))
            check(need, "bargaining.power", p1, "bargaining weights must be positive", point)
            with np.errstate(divide="ignore", invalid="ignore"):
                a = p1 / (p1 + p2)
        u1, u2, pos = _chain.nash(chain, d[0], d[1], a)
    shares = None
    if spec.issues:
        w1, w2 = frame["weights"]
        shares = _chain.allocation(chain, w1, w2, pos)
    return u1, u2, shares


STAGE = Stage(
    name="bargaining",
    meaning="the feasible set, participation slacks and the bargaining solution",
    writes=("power", "slacks", "problem", "solution"),
    fields=_fields,
    exact=_exact,
    array=_array,
)
