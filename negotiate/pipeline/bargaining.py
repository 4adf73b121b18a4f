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

Ratification floors (Putnam 1988) constrain the deal; they do not move ``d``.  With
``bound_i = max(d_i, floor_i)`` (stage 4), side ``i``'s best value is read where the other
side gets its bound, ``best_i = max{U_i : U in F, U_j >= bound_j}``; the participation slack
is ``best_i - d_i`` (must be positive) and the ratification slack ``best_i - floor_i`` (must
be non-negative: a deal exactly at the floor is ratified).  The deal is the solution on the
win-set ``{U in F : U >= bound}`` seen from ``d``: for Nash the maximiser of the Nash
product there (the unconstrained point moved along the frontier to the floor, as
``theory.TwoLevel`` clips the share); for Kalai-Smorodinsky the unconstrained point when it
is ratifiable, else the point of the win-set.  A floor that does not bind never changes the
deal.

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
from negotiate.pipeline.options import better_exact, product_array

__all__ = [
    "STAGE",
    "best_values",
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


def deal_exact(
    problem: Any,
    solution: str,
    power: Sequence[Any] | None,
    bounds: tuple[Fraction, Fraction] | None = None,
) -> Any:
    """The bargaining solution of ``problem``: "nash" (``power`` as weights) or
    "kalai_smorodinsky" (a record with ``.agreement``, ``.utilities``, ``.allocation``).

    With ``bounds`` (the ratification floors raised to ``d``), when the unconstrained
    solution violates a bound, the solution of the win-set ``{U in F : U >= bounds}`` (the
    hull of its Pareto chain and the bound point) seen from ``d``; its ``allocation`` is the
    issue split that attains it on the original space.
    """
    import dataclasses

    from negotiate.games.bargaining import BargainingProblem
    from negotiate.solvers.bargaining.solutions import (
        _exact_allocation,
        kalai_smorodinsky,
        nash_bargaining,
    )

    def solve(p: Any) -> Any:
        if solution == "kalai_smorodinsky":
            return kalai_smorodinsky(p)
        return nash_bargaining(p, weights=power)

    free = solve(problem)
    if bounds is None or not free.agreement:
        return free
    u = free.utilities
    if u[0] >= bounds[0] and u[1] >= bounds[1]:
        return free
    zone = problem.polytope.zone(bounds)
    if zone is None:
        return free
    win_set = BargainingProblem.from_points(
        [*zone, bounds], problem.disagreement, players=problem.players
    )
    bound = solve(win_set)
    if not bound.agreement:
        return bound
    allocation = _exact_allocation(problem, bound.utilities)
    return dataclasses.replace(
        bound, allocation=allocation, notes=(*bound.notes, "on the ratification win-set")
    )


def best_values(vertices: Any, bounds: tuple[Fraction, Fraction]) -> tuple[Fraction, Fraction]:
    """``best_i = max{U_i : U in F, U_j >= bound_j}`` (the participation slacks at the
    bounds plus the bounds; the shortfall reading when no point reaches a bound)."""
    s1, s2 = participation_slacks(vertices, bounds)
    return s1 + bounds[0], s2 + bounds[1]


def ratification_slacks(spec: Spec, frame: Mapping[str, Any], best: Any) -> dict[str, Any]:
    """Each side with a floor: its best value (the no-deal value without a bargaining
    layer) minus its floor; negative: no deal can be ratified."""
    value = frame.get("no_deal_point", frame.get("disagreement")) if best is None else best
    floors = frame.get("floors", ())
    return {p: value[i] - floors[i] for i, p in enumerate(spec.players) if p in spec.floors}


def _power_fields(spec: Spec) -> list[str]:
    return [] if spec.power is None else [f"bargaining.power.{p}" for p in spec.players]


def _fields(spec: Spec) -> list[tuple[str, Any]]:
    return list(zip(_power_fields(spec), spec.power or (), strict=True))


def _shift(x: tuple[Any, Any], o: tuple[Any, Any]) -> tuple[Any, Any]:
    return (x[0] - o[0], x[1] - o[1])


def _floors(spec: Spec, frame: Mapping[str, Any], d: tuple[Any, Any]) -> tuple[Any, Any]:
    floors = frame.get("floors")
    return d if floors is None or len(floors) != 2 else (floors[0], floors[1])


def _solve_exact(
    spec: Spec,
    frame: Mapping[str, Any],
    d: tuple[Fraction, Fraction],
    bounds: tuple[Fraction, Fraction],
    floors: tuple[Fraction, Fraction],
    power: Any,
    want_deal: bool,
) -> dict[str, Any]:
    """Slacks, zone and (if ``want_deal``) the deal of the divisible problem at ``d``."""
    weights = frame["weights"] if spec.issues else None
    problem = problem_exact(spec.players, weights, frame["reversibility"], frame["points"], d)
    best = best_values(problem.polytope.vertices, bounds)
    slacks = (best[0] - d[0], best[1] - d[1])
    ratification = {p: best[i] - floors[i] for i, p in enumerate(spec.players) if p in spec.floors}
    zone = slacks[0] > 0 < slacks[1] and all(r >= 0 for r in ratification.values())
    solution = deal_exact(problem, spec.solution, power, bounds) if want_deal and zone else None
    return {
        "problem": problem,
        "best": best,
        "slacks": slacks,
        "ratification": ratification,
        "zone": zone,
        "solution": solution,
    }


def _choose_exact(spec: Spec, frame: Mapping[str, Any], power: Any) -> dict[str, Any]:
    """Every combination of discrete options solved; the chosen one's outputs (see
    :mod:`negotiate.pipeline.options`), its ``option`` and whether any is ``admissible``."""
    d = frame["disagreement"]
    bounds, floors = frame.get("bounds", d), _floors(spec, frame, d)
    runs = []
    for c in frame["options"]:
        o = c.offset
        r = _solve_exact(
            spec, frame, _shift(d, o), _shift(bounds, o), _shift(floors, o), power, True
        )
        r["zone"] = r["zone"] and c.admissible
        runs.append((c, r))
    chosen = None
    for c, r in runs:
        if r["zone"]:
            gains = r["solution"].gains
            if chosen is None or better_exact(gains, chosen[1]["solution"].gains, power):
                chosen = (c, r)
    if chosen is None:
        pool = [x for x in runs if x[0].admissible] or runs
        chosen = max(pool, key=lambda x: min(x[1]["slacks"]))  # first of the maxima
    c, r = chosen
    out = dict(r)
    out["best"] = (r["best"][0] + c.offset[0], r["best"][1] + c.offset[1])
    if not frame.get("deal") or not r["zone"]:
        out["solution"] = None
    out.update(option=c, admissible=any(x.admissible for x, _ in runs))
    return out


def _exact(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    """``frame["deal"]`` asks for the bargaining solution where a zone of agreement exists."""
    inp = frame["in"]
    power = None
    if spec.power is not None:
        pw = tuple(inp[f] for f in _power_fields(spec))
        if pw[0] < 0 or pw[1] < 0 or pw[0] + pw[1] == 0:
            raise ModelError("bargaining.power", pw, _POWER)
        power = (pw[0], pw[1])
    out: dict[str, Any] = {
        "power": power,
        "slacks": None,
        "problem": None,
        "solution": None,
        "best": None,
        "ratification": ratification_slacks(spec, frame, None),
        "option": None,
        "admissible": None,
    }
    if not spec.has_bargaining:
        return out
    if frame.get("options"):
        r = _choose_exact(spec, frame, power)
    else:
        d = frame["disagreement"]
        bounds, floors = frame.get("bounds", d), _floors(spec, frame, d)
        r = _solve_exact(spec, frame, d, bounds, floors, power, bool(frame.get("deal")))
    r.pop("zone")
    out.update(r)
    return out


def _weight_a(spec: Spec, zone: Arr, power: Any, point: PointFn) -> Arr:
    a: Arr = 0.5
    if power is not None and spec.solution != "kalai_smorodinsky":
        p1, p2 = power
        need = zone & ((p1 <= 0) | (p2 <= 0))
        check(need, "bargaining.power", p1, "bargaining weights must be positive", point)
        with np.errstate(divide="ignore", invalid="ignore"):
            a = p1 / (p1 + p2)
    return a


def _solve_array(
    spec: Spec,
    frame: Mapping[str, Any],
    chain: _chain.Chain,
    d: tuple[Arr, Arr],
    e: tuple[Arr, Arr],
    f: tuple[Arr, Arr],
    power: Any,
) -> dict[str, Any]:
    """:func:`_solve_exact` on arrays, on a chain built once."""
    t1, t2, at_top = slacks_array(chain, e[0], e[1])
    b1, b2 = t1 + e[0], t2 + e[1]
    s1, s2 = b1 - d[0], b2 - d[1]
    r1, r2 = b1 - f[0], b2 - f[1]
    scale = np.maximum(np.maximum(1.0, np.abs(e[0])), np.abs(e[1]))
    scale = np.maximum(np.maximum(scale, np.abs(chain.vx[-1])), np.abs(chain.vy[0]))
    tol = TIE_TOLERANCE * scale
    near = at_top | (np.abs(s1) <= tol) | (np.abs(s2) <= tol)
    zone = (s1 > 0) & (s2 > 0)
    for p, r in zip(spec.players, (r1, r2), strict=True):
        if p in spec.floors:
            near = near | (np.abs(r) <= tol)
            zone = zone & (r >= -tol)
    deal = _deal_array(spec, chain, zone, d, e, power, frame["point"], frame)
    return {"slacks": (s1, s2), "best": (b1, b2), "zone": zone, "near": near, "deal": deal}


def _array(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    """Slacks, the zone of agreement, ``near`` (boundary) and the deal ``(u1, u2, shares)``
    at every point (meaningful only where a zone exists: the caller masks the rest)."""
    inp, point = frame["in"], frame["point"]
    power = None
    if spec.power is not None:
        p1, p2 = (inp[f] for f in _power_fields(spec))
        check((p1 < 0) | (p2 < 0) | (p1 + p2 == 0), "bargaining.power", p1, _POWER, point)
        power = (p1, p2)
    out: dict[str, Any] = {
        "power": power,
        "slacks": None,
        "chain": None,
        "deal": None,
        "best": None,
        "ratification": ratification_slacks(spec, frame, None),
        "option": None,
    }
    if not spec.has_bargaining:
        return out
    d = frame["disagreement"]
    e, f = frame.get("bounds", d), _floors(spec, frame, d)
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
    if frame.get("options"):
        r = _choose_array(spec, frame, chain, d, e, f, power)
    else:
        r = _solve_array(spec, frame, chain, d, e, f, power)
    b = r["best"]
    out.update(slacks=r["slacks"], chain=chain, zone=r["zone"], zone_near=near | r["near"], best=b)
    out["ratification"] = ratification_slacks(spec, frame, b)
    out["deal"] = r["deal"]
    out["option"] = r.get("option")
    return out


def _choose_array(
    spec: Spec,
    frame: Mapping[str, Any],
    chain: _chain.Chain,
    d: tuple[Arr, Arr],
    e: tuple[Arr, Arr],
    f: tuple[Arr, Arr],
    power: Any,
) -> dict[str, Any]:
    """:func:`_choose_exact` on arrays: every combination solved on the shared chain; the
    chosen one per point (``option``: its index), ties within 1e-12 flagged ``near``."""
    runs = []
    for c in frame["options"]:
        o = c.offset
        r = _solve_array(spec, frame, chain, _shift(d, o), _shift(e, o), _shift(f, o), power)
        r["zone"] = r["zone"] & c.admissible
        u1, u2, _ = r["deal"]
        a = _weight_a(spec, r["zone"], power, frame["point"])
        key = product_array(u1 - d[0] + o[0], u2 - d[1] + o[1], a)
        r["key"] = np.where(r["zone"], key, -np.inf)
        r["fallback"] = np.minimum(r["slacks"][0], r["slacks"][1])
        r["admissible"] = c.admissible
        r["offset"] = o
        runs.append(r)
    any_zone: Arr = np.False_
    any_ok: Arr = np.False_
    for r in runs:
        any_zone, any_ok = any_zone | r["zone"], any_ok | r["admissible"]
    idx: Arr = 0
    best = runs[0]["key"]
    # without a zone: the admissible combination (any, if none is) of largest least slack
    fkey = [np.where(r["admissible"] | ~any_ok, r["fallback"], -np.inf) for r in runs]
    fb = fkey[0]
    fidx: Arr = 0
    near: Arr = np.False_
    for k, r in enumerate(runs[1:], start=1):
        with np.errstate(invalid="ignore"):
            close = np.isfinite(r["key"]) & (np.abs(r["key"] - best) <= TIE_TOLERANCE * 10)
            fclose = np.abs(fkey[k] - fb) <= TIE_TOLERANCE * np.maximum(1.0, np.abs(fb))
        near = near | (close & np.isfinite(best)) | (fclose & np.isfinite(fb) & ~any_zone)
        up = r["key"] > best
        idx, best = np.where(up, k, idx), np.where(up, r["key"], best)
        fup = fkey[k] > fb
        fidx, fb = np.where(fup, k, fidx), np.where(fup, fkey[k], fb)
    idx = np.where(any_zone, idx, fidx)

    def pick(get: Any) -> Arr:
        out = get(runs[0])
        for k, r in enumerate(runs[1:], start=1):
            out = np.where(idx == k, get(r), out)
        return out

    s = (pick(lambda r: r["slacks"][0]), pick(lambda r: r["slacks"][1]))
    b = (
        pick(lambda r: r["best"][0] + r["offset"][0]),
        pick(lambda r: r["best"][1] + r["offset"][1]),
    )
    u1 = pick(lambda r: r["deal"][0] + r["offset"][0])
    u2 = pick(lambda r: r["deal"][1] + r["offset"][1])
    shares = None
    if runs[0]["deal"][2] is not None:
        shares = [pick(lambda r, j=j: r["deal"][2][j]) for j in range(len(runs[0]["deal"][2]))]
    return {
        "slacks": s,
        "best": b,
        "zone": any_zone,
        "near": pick(lambda r: r["near"]) | near,
        "deal": (u1, u2, shares),
        "option": idx,
    }


def _deal_array(
    spec: Spec,
    chain: _chain.Chain,
    zone: Arr,
    d: tuple[Arr, Arr],
    e: tuple[Arr, Arr],
    power: tuple[Arr, Arr] | None,
    point: PointFn,
    frame: Mapping[str, Any],
) -> tuple[Arr, Arr, list[Arr] | None]:
    if spec.solution == "kalai_smorodinsky":
        u1, u2, pos = _chain.ks(chain, d[0], d[1])
        if spec.floors:  # the win-set's point where the free one is not ratifiable
            v1, v2, vpos = _chain.ks(chain, d[0], d[1], e)
            free = (u1 >= e[0]) & (u2 >= e[1])
            u1, u2, pos = np.where(free, u1, v1), np.where(free, u2, v2), np.where(free, pos, vpos)
    else:
        u1, u2, pos = _chain.nash(chain, d[0], d[1], _weight_a(spec, zone, power, point), e)
    shares = None
    if spec.issues:
        w1, w2 = frame["weights"]
        shares = _chain.allocation(chain, w1, w2, pos)
    return u1, u2, shares


STAGE = Stage(
    name="bargaining",
    meaning="the feasible set, participation slacks and the bargaining solution",
    writes=(
        "power",
        "slacks",
        "problem",
        "solution",
        "best",
        "ratification",
        "option",
        "admissible",
    ),
    fields=_fields,
    exact=_exact,
    array=_array,
)
