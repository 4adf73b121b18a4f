"""Pareto chains and bargaining solutions on arrays, one chain per point (the array
implementation of the bargaining stage, :mod:`negotiate.pipeline.bargaining`).

The exact implementation builds, at each point, the feasible polygon (the linear issue
space, or the hull of outcome points), measures the participation slacks
``max{U_i : U in F, U_j >= d_j} - d_i`` on it and solves the bargaining problem by an exact
frontier walk (:mod:`negotiate.solvers.bargaining.frontier`).  Here the same steps run on float
arrays, one array per chain vertex (``vx[k]``, ``vy[k]``):

* **Issue chains.**  Issues worth something only to player 1 go to player 1, those worth
  nothing to player 1 to player 2; the others are handed over in decreasing order of
  ``w1 / w2`` (ties in declared order), accumulating vertex by vertex in chain order.  When
  every point of a chunk has the same order (the common case) it is used directly; otherwise
  each issue's rank is counted per point.  Both give the same floats.  Issues that cannot move
  add zero-length edges at the end of the chain.
* **Point chains.**  Gift wrapping (Jarvis 1973) from the point of largest ``u2`` (ties:
  largest ``u1``) along the flattest descending edge (ties: the farthest point), which gives
  the strict Pareto chain of the hull; shorter chains repeat their last vertex.
* **Reading the chain** needs no search: walking along it to a point is a sum over edges of
  the share of each edge walked, ``clip(t_k, 0, 1)``, which is 1 before the point, the
  fraction on its edge and 0 after (the chain is monotone).  Slacks read it where
  ``U_j = d_j`` (clamped at the ends, as ``participation_slacks`` does when no point gives
  ``j`` its value).
* **Nash** (Nash 1950, weights ``a + b = 1``): on edge k (slope ``s_k``) the first-order
  condition ``a (u2 - d2) + b s_k (u1 - d1) = 0`` gives ``u1 = b d1 + a (x_k - (y_k - d2) /
  s_k)``; clipped to the edge and the zone ``u >= d`` this is the edge's right end before the
  optimum and its left end after it (the condition decreases along a concave chain), so the
  sum of the clipped steps is the maximiser, as the exact walk finds it.
  **Kalai-Smorodinsky** (1975): the sign change of ``r1 (u2 - d2) - r2 (u1 - d1)`` along the
  chain clipped to the zone, ``(d1 + r1, d2 + r2)`` being the zone's ideal point.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Chain", "allocation", "issue_chain", "ks", "nash", "point_chain"]

Arr = Any  # a float array over points, or a scalar


def clip(v: Arr, lo: Arr, hi: Arr) -> Arr:
    """``min(max(v, lo), hi)`` (faster than ``numpy.clip`` with array bounds)."""
    return np.minimum(np.maximum(v, lo), hi)


def _inv(v: Arr) -> Arr:
    """``1 / v`` where ``v > 0``, else 0 (zero-length edges contribute nothing)."""
    if np.all(v > 0):
        return 1.0 / v
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(v > 0, 1.0 / v, 0.0)


@dataclass(frozen=True)
class Chain:
    """Vertices ``vx[k], vy[k]``: u1 non-decreasing, u2 non-increasing along k.

    ``edges`` counts the proper edges per point (later ones have zero length); ``rank[j]``
    (issue chains) is issue j's position along the chain (an int when the same everywhere).
    """

    vx: list[Arr]
    vy: list[Arr]
    edges: Arr
    rank: list[Arr] | None = None

    def __post_init__(self) -> None:
        dx = [b - a for a, b in itertools.pairwise(self.vx)]
        dy = [a - b for a, b in itertools.pairwise(self.vy)]  # drops, >= 0
        object.__setattr__(self, "_dx", dx)
        object.__setattr__(self, "_dy", dy)
        object.__setattr__(self, "_ix", [_inv(v) for v in dx])
        object.__setattr__(self, "_iy", [_inv(v) for v in dy])

    @property
    def n_edges(self) -> int:
        return len(self.vx) - 1

    def proper(self, k: int) -> Arr:
        return self._dx[k] > 0  # type: ignore[attr-defined]

    def x_at_y(self, y: Arr) -> Arr:
        """``max{u1 : u on the chain, u2 >= y}``; the first u1 when no point reaches y."""
        out = self.vx[0]
        for k in range(self.n_edges):
            t = clip((self.vy[k] - y) * self._iy[k], 0.0, 1.0)  # type: ignore[attr-defined]
            out = out + t * self._dx[k]  # type: ignore[attr-defined]
        return out

    def y_at_x(self, x: Arr) -> Arr:
        """``max{u2 : u on the chain, u1 >= x}``; the last u2 when no point reaches x."""
        out = self.vy[0]
        for k in range(self.n_edges):
            t = clip((x - self.vx[k]) * self._ix[k], 0.0, 1.0)  # type: ignore[attr-defined]
            out = out - t * self._dy[k]  # type: ignore[attr-defined]
        return out

    def position(self, x: Arr) -> Arr:
        """How far along the chain u1 = x lies: ``e + t`` on edge e at fraction t."""
        out: Arr = 0.0
        for k in range(self.n_edges):
            out = out + clip((x - self.vx[k]) * self._ix[k], 0.0, 1.0)  # type: ignore[attr-defined]
        return out


def issue_chain(w1: Sequence[Arr], w2: Sequence[Arr], tol: float) -> tuple[Chain, Arr]:
    """The Pareto chain of the linear issue space with weights ``w1[j], w2[j]``, and the
    points where two movable issues adjacent on it have ratios within ``tol`` (boundary)."""
    n_issues = len(w1)
    movable = [(a > 0) & (b > 0) for a, b in zip(w1, w2, strict=True)]
    all_movable = all(np.all(m) for m in movable)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = [a / b for a, b in zip(w1, w2, strict=True)]
        key = (
            ratio
            if all_movable
            else [np.where(m, r, -np.inf) for m, r in zip(movable, ratio, strict=True)]
        )
    dx = w1 if all_movable else [np.where(m, a, 0.0) for m, a in zip(movable, w1, strict=True)]
    dy = w2 if all_movable else [np.where(m, b, 0.0) for m, b in zip(movable, w2, strict=True)]
    first = [float(np.asarray(k).reshape(-1)[0]) for k in key]
    order = sorted(range(n_issues), key=lambda j: (-first[j], j))

    def before(i: int, j: int) -> Arr:  # issue i comes before issue j on the chain
        ahead = key[i] > key[j]
        return ahead if np.all(ahead) or i > j else ahead | (key[i] == key[j])

    rank: list[Arr]
    same: Arr = True
    for i, j in itertools.pairwise(order):
        same = same & before(i, j)
    if np.all(same):
        rank = [order.index(j) for j in range(n_issues)]
        steps = [(dx[j], dy[j]) for j in order]
        by_pos = [key[j] for j in order]
    else:
        rank = []
        for j in range(n_issues):
            r: Arr = 0
            for i in range(n_issues):
                if i != j:
                    r = r + before(i, j)
            rank.append(r)
        steps, by_pos = [], []
        for k in range(n_issues):
            sx: Arr = 0.0
            sy: Arr = 0.0
            rk: Arr = 0.0
            for j in range(n_issues):
                here = rank[j] == k
                sx = sx + np.where(here, dx[j], 0.0)
                sy = sy + np.where(here, dy[j], 0.0)
                rk = np.where(here, key[j], rk)
            steps.append((sx, sy))
            by_pos.append(rk)
    x: Arr = 0.0
    y: Arr = 0.0
    for a, b in zip(w1, w2, strict=True):
        x = x + (0.0 if all_movable else np.where(b == 0, a, 0.0))
        y = y + b
    vx, vy = [np.asarray(x)], [np.asarray(y)]
    for sx, sy in steps:
        vx.append(vx[-1] + sx)
        vy.append(vy[-1] - sy)
    edges: Arr = sum(np.asarray(m, dtype=np.int64) for m in movable)
    near: Arr = np.False_
    for r, s in itertools.pairwise(by_pos):  # near ties are adjacent in chain order
        with np.errstate(invalid="ignore"):  # -inf - -inf: issues that cannot move
            gap = r - s
            near = near | ((gap > 0) & (gap <= tol * r))
    return Chain(vx, vy, edges, rank), near


def point_chain(u1: Sequence[Arr], u2: Sequence[Arr]) -> Chain:
    """The strict Pareto chain of the hull of the points ``(u1[k], u2[k])``."""
    top2 = u2[0]
    for b in u2[1:]:
        top2 = np.maximum(top2, b)
    x: Arr = -np.inf
    for a, b in zip(u1, u2, strict=True):
        x = np.where((b == top2) & (a > x), a, x)
    vx, vy = [x], [top2]
    edges: Arr = 0
    for _ in range(len(u1) - 1):
        x, y = vx[-1], vy[-1]
        best: Arr = -np.inf
        bx, by = x, y
        for a, b in zip(u1, u2, strict=True):
            right = a > x
            with np.errstate(divide="ignore", invalid="ignore"):
                slope = np.where(right, (b - y) / (a - x), -np.inf)
            better = right & ((slope > best) | ((slope == best) & (a > bx)))
            best = np.where(better, slope, best)
            bx, by = np.where(better, a, bx), np.where(better, b, by)
        vx.append(bx)
        vy.append(by)
        edges = edges + np.isfinite(best)
    return Chain(vx, vy, np.asarray(edges))


def nash(
    c: Chain, d1: Arr, d2: Arr, a: Arr, bounds: tuple[Arr, Arr] | None = None
) -> tuple[Arr, Arr, Arr]:
    """The (asymmetric) Nash point ``(u1, u2)`` and its chain position, where a strict gain
    exists (elsewhere the numbers are meaningless and masked by the caller); with
    ``bounds`` (>= d) the maximiser on the part of the chain with ``u >= bounds``."""
    b = 1.0 - a
    e1, e2 = (d1, d2) if bounds is None else bounds
    lo = np.maximum(e1, c.vx[0])
    hi = c.x_at_y(e2)
    u1, u2, pos = c.vx[0], c.vy[0], 0.0
    for k in range(c.n_edges):
        x0, x1, y0 = c.vx[k], c.vx[k + 1], c.vy[k]
        ix, drop = c._ix[k], c._dy[k]  # type: ignore[attr-defined]
        with np.errstate(divide="ignore", invalid="ignore"):
            star = b * d1 + a * (x0 + (y0 - d2) / (drop * ix))
        step = clip(star, clip(lo, x0, x1), clip(hi, x0, x1)) - x0
        if not np.all(c.proper(k)):
            step = np.where(c.proper(k), step, 0.0)
        t = step * ix
        u1 = u1 + step
        u2 = u2 - t * drop
        pos = pos + t
    return u1, u2, pos


def ks(c: Chain, d1: Arr, d2: Arr, bounds: tuple[Arr, Arr] | None = None) -> tuple[Arr, Arr, Arr]:
    """The Kalai-Smorodinsky point ``(u1, u2)`` and its chain position (strict gain); with
    ``bounds`` (>= d) that of the part of the chain with ``u >= bounds``, seen from d."""
    e1, e2 = (d1, d2) if bounds is None else bounds
    lo = np.maximum(e1, c.vx[0])
    hi = c.x_at_y(e2)
    yl, yh = c.y_at_x(lo), c.y_at_x(hi)
    r1, r2 = hi - d1, yl - d2
    cx = [clip(x, lo, hi) for x in c.vx]
    cy = [np.where(x < lo, yl, np.where(x > hi, yh, y)) for x, y in zip(c.vx, c.vy, strict=True)]
    h = [r1 * (y - d2) - r2 * (x - d1) for x, y in zip(cx, cy, strict=True)]
    u1, u2 = cx[-1], cy[-1]
    for k in range(len(cx) - 1, 0, -1):  # the first sign change wins
        hit = (h[k - 1] > 0) & (h[k] <= 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = h[k - 1] / (h[k - 1] - h[k])
            u1 = np.where(hit, cx[k - 1] + t * (cx[k] - cx[k - 1]), u1)
            u2 = np.where(hit, cy[k - 1] + t * (cy[k] - cy[k - 1]), u2)
    at_start = h[0] <= 0
    u1, u2 = np.where(at_start, cx[0], u1), np.where(at_start, cy[0], u2)
    return u1, u2, c.position(u1)


def allocation(c: Chain, w1: Sequence[Arr], w2: Sequence[Arr], pos: Arr) -> list[Arr]:
    """Player 1's share of each issue at chain position ``pos`` (``e + t``: edge e, fraction t).

    Issues before edge e go to player 1, edge e's issue is split ``t : 1 - t``, the rest go
    to player 2 -- the allocation of the exact path (at a vertex both readings agree);
    issues worth nothing to both are not part of the deal (NaN).
    """
    assert c.rank is not None
    out = []
    for j, (a, b) in enumerate(zip(w1, w2, strict=True)):
        share = clip(pos - c.rank[j], 0.0, 1.0)
        if not np.all((a > 0) & (b > 0)):
            share = np.where(b == 0, 1.0, np.where(a == 0, 0.0, share))
            share = np.where((a == 0) & (b == 0), np.nan, share)
        out.append(share)
    return out
