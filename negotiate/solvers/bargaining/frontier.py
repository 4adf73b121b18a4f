"""Kernels that walk a Pareto frontier: exact on piecewise-linear chains, bisection on curves.

Exact chains (rational arithmetic).  The input is the *zone of agreement*: the individually
rational part of the strict Pareto frontier, vertices ``P_0 .. P_m`` with u1 increasing and
u2 decreasing.  On an edge of slope ``s < 0`` the weighted Nash objective
``a log(u1 - d1) + b log(u2 - d2)`` has derivative (times the positive ``(u1-d1)(u2-d2)``)

    G(u) = a (u2 - d2) + b s (u1 - d1),

which decreases along the chain because the frontier is concave.  The maximiser is the first
point where G changes sign: a kink, or a point inside an edge, where G (linear along the edge)
vanishes -- on the line ``u2 = c + s u1`` that is ``u1 = d1 + a (c + s d1 - d2) / (-s (a + b))``,
rational for rational data (Nash 1950: the tangency of the frontier with a level set).
Kalai-Smorodinsky (1975) intersects the ray from d to the ideal point with the chain; the
egalitarian point equalises the gains, and the utilitarian point maximises ``w . u`` (a
vertex, or an edge for ties, where the most equal point of the edge is taken).

Curves (floats).  For a concave decreasing frontier ``u2 = f(u1)`` each concept is the root
of a monotone function of u1, found by vectorised bisection (all disagreement points at
once) to machine precision.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from negotiate.games.bargaining import Point

__all__ = [
    "bisect_decreasing",
    "egalitarian_chain",
    "ks_chain",
    "locate",
    "nash_chain",
    "strict_gain",
    "utilitarian_chain",
]


def strict_gain(zone: Sequence[Point] | None, d: Point) -> bool:
    """Whether some point of the zone is strictly better than d for both players."""
    if zone is None:
        return False
    if len(zone) == 1:
        return zone[0][0] > d[0] and zone[0][1] > d[1]
    return True  # interior points of a strictly decreasing chain with ends >= d


def _interp(p: Point, q: Point, t: Fraction) -> Point:
    return (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))


def _sign_change(zone: Sequence[Point], h: Callable[[Point], Fraction]) -> Point:
    """The point where the decreasing-along-the-chain function ``h`` (linear on edges) hits 0;
    an end point when it does not change sign."""
    values = [h(p) for p in zone]
    if values[0] <= 0:
        return zone[0]
    for k in range(len(zone) - 1):
        if values[k + 1] <= 0:
            t = values[k] / (values[k] - values[k + 1])
            return _interp(zone[k], zone[k + 1], t)
    return zone[-1]


def nash_chain(zone: Sequence[Point], d: Point, a: Fraction, b: Fraction) -> Point:
    """Maximiser of ``(u1-d1)^a (u2-d2)^b`` on a zone with a strict gain (exact)."""
    if len(zone) == 1:
        return zone[0]
    for k in range(len(zone) - 1):
        p, q = zone[k], zone[k + 1]
        s = (q[1] - p[1]) / (q[0] - p[0])

        def g(u: Point, s: Fraction = s) -> Fraction:
            return a * (u[1] - d[1]) + b * s * (u[0] - d[0])

        gp, gq = g(p), g(q)
        if gp <= 0:
            return p
        if gq <= 0:  # interior optimum on this edge; G is linear in u1 along it
            return _interp(p, q, gp / (gp - gq))
    return zone[-1]


def ks_chain(zone: Sequence[Point], d: Point) -> Point:
    """Kalai-Smorodinsky point: the ray from d to the ideal point of the zone (exact)."""
    r1, r2 = zone[-1][0] - d[0], zone[0][1] - d[1]
    return _sign_change(zone, lambda u: r1 * (u[1] - d[1]) - r2 * (u[0] - d[0]))


def egalitarian_chain(zone: Sequence[Point], d: Point) -> Point:
    """Equal gains where possible, else the zone end closest to them (leximin; exact)."""
    return _sign_change(zone, lambda u: (u[1] - d[1]) - (u[0] - d[0]))


def utilitarian_chain(zone: Sequence[Point], d: Point, w: tuple[Fraction, Fraction]) -> Point:
    """Maximiser of ``w1 u1 + w2 u2`` on the zone; on a tied edge, its most equal point."""
    values = [w[0] * p[0] + w[1] * p[1] for p in zone]
    best = max(values)
    idx = [k for k, v in enumerate(values) if v == best]
    if len(idx) == 1:
        return zone[idx[0]]
    return egalitarian_chain((zone[idx[0]], zone[idx[-1]]), d)


def locate(chain: Sequence[Point], u: Point) -> tuple[int, Fraction]:
    """``(k, t)`` with ``u = chain[k] + t (chain[k+1] - chain[k])``, t in [0, 1] (exact).

    ``u`` must lie on the chain; ``(len(chain) - 1, 0)`` denotes the last vertex.
    """
    for k in range(len(chain) - 1):
        p, q = chain[k], chain[k + 1]
        if p[0] <= u[0] <= q[0]:
            t = (u[0] - p[0]) / (q[0] - p[0])
            if _interp(p, q, t) == u:
                return k, t
    if u == chain[-1]:
        return len(chain) - 1, Fraction(0)
    raise ValueError(f"{u} does not lie on the chain")


def bisect_decreasing(
    h: Callable[[np.ndarray], np.ndarray],
    lo: Any,
    hi: Any,
    iterations: int = 80,
) -> np.ndarray:
    """Vectorised root of functions decreasing on ``[lo, hi]`` (elementwise).

    Where ``h(lo) <= 0`` the result is ``lo``; where ``h(hi) >= 0`` it is ``hi``; otherwise
    the sign change, to about one ulp.  ``h`` is evaluated only at interior points and ends.
    """
    lo = np.array(lo, dtype=float)
    hi = np.array(hi, dtype=float)
    a, b = lo.copy(), hi.copy()
    for _ in range(iterations):
        mid = 0.5 * (a + b)
        with np.errstate(all="ignore"):
            pos = h(mid) > 0
        a = np.where(pos, mid, a)
        b = np.where(pos, b, mid)
        if np.all(b - a <= 4e-16 * np.maximum(1.0, np.abs(a))):
            break
    return 0.5 * (a + b)
