"""Two-player bargaining problems: a convex, compact feasible set F of utility pairs and a
disagreement point d (Nash 1950).

The feasible set is one of

* :class:`Polytope` -- the convex hull of finitely many utility pairs (lotteries over the
  listed outcomes are allowed), stored exactly as its counter-clockwise vertices;
* :class:`Frontier` -- the region under a concave, decreasing frontier ``u2 = f(u1)`` on
  ``[u1_min, u1_max]``: ``F = {u : u1_min <= u1 <= u1_max, f(u1_max) <= u2 <= f(u1)}``;
* an :class:`~negotiate.games.issues.IssueSpace` -- named issues split between the players.

Build problems only through :meth:`BargainingProblem.from_points`,
:meth:`BargainingProblem.from_frontier` and :meth:`IssueSpace.problem
<negotiate.games.issues.IssueSpace.problem>`.  This module holds data and the exact plane
geometry that describes it (hull, Pareto chain, zone of agreement); the solution concepts
live in :mod:`negotiate.solvers.bargaining.solutions`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from negotiate._exact import as_fraction, is_float_input, warn_float_input
from negotiate.errors import ModelError
from negotiate.labels import labels as check_labels

if TYPE_CHECKING:
    from negotiate.games.issues import IssueSpace

__all__ = ["BargainingProblem", "Frontier", "Point", "Polytope", "as_point", "check_players"]

#: A utility pair (u1, u2).
Point = tuple[Fraction, Fraction]

_GRID = 4097  # points of the numeric concavity / monotonicity check of a frontier
_MAX_POINTS = 100_000


def _cross(o: Point, a: Point, b: Point) -> Fraction:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def as_point(value: Any, field: str) -> tuple[Point, bool]:
    """An exact utility pair from a length-2 sequence; also whether it was float input."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence | np.ndarray):
        raise ModelError(field, value, "expected a pair of numbers (u1, u2)")
    if len(value) != 2:
        raise ModelError(field, value, f"expected 2 utilities, got {len(value)}")
    floats = any(is_float_input(v) for v in value)
    return (as_fraction(value[0], f"{field}[0]"), as_fraction(value[1], f"{field}[1]")), floats


def check_players(players: Any) -> tuple[str, str]:
    """Two distinct, non-empty player labels."""
    if isinstance(players, str) or not isinstance(players, Sequence) or len(players) != 2:
        raise ModelError("players", players, "expected two player labels")
    a, b = check_labels(players, "players")
    return (a, b)


def clip_chain(chain: Sequence[Point], d: Point) -> tuple[Point, ...] | None:
    """The part of a Pareto chain (u1 increasing, u2 decreasing) with ``u >= d``, or None."""
    lo, hi = d
    pts = list(chain)
    if len(pts) == 1:
        return (pts[0],) if pts[0][0] >= lo and pts[0][1] >= hi else None
    if pts[-1][0] < lo or pts[0][1] < hi:
        return None
    # left end: first point with u1 >= d1
    k = next(i for i, p in enumerate(pts) if p[0] >= lo)
    if k > 0 and pts[k][0] > lo:
        a, b = pts[k - 1], pts[k]
        t = (lo - a[0]) / (b[0] - a[0])
        pts = [(lo, a[1] + t * (b[1] - a[1])), *pts[k:]]
    else:
        pts = pts[k:]
    if pts[0][1] < hi:
        return None
    # right end: last point with u2 >= d2
    j = max(i for i, p in enumerate(pts) if p[1] >= hi)
    if j < len(pts) - 1 and pts[j][1] > hi:
        a, b = pts[j], pts[j + 1]
        t = (hi - a[1]) / (b[1] - a[1])
        pts = [*pts[: j + 1], (a[0] + t * (b[0] - a[0]), hi)]
    else:
        pts = pts[: j + 1]
    if pts[0][0] < lo or pts[-1][1] < hi:
        return None
    return tuple(pts)


@dataclass(frozen=True)
class Polytope:
    """A convex polygon (possibly a segment or a point) given by exact vertices.

    ``vertices`` run counter-clockwise without repeated or collinear vertices.  ``pareto``
    is the strict Pareto frontier: the vertices from the point of largest u2 (ties: largest
    u1) to the point of largest u1 (ties: largest u2), u1 increasing; its edges have
    strictly negative slope.
    """

    vertices: tuple[Point, ...]
    pareto: tuple[Point, ...]

    @classmethod
    def hull(cls, points: Sequence[Point]) -> Polytope:
        """The convex hull (Andrew's monotone chain, 1979) in exact arithmetic."""
        pts = sorted(set(points))
        if len(pts) <= 2:
            verts = tuple(pts)
        else:
            lower: list[Point] = []
            for p in pts:
                while len(lower) >= 2 and _cross(lower[-2], lower[-1], p) <= 0:
                    lower.pop()
                lower.append(p)
            upper: list[Point] = []
            for p in reversed(pts):
                while len(upper) >= 2 and _cross(upper[-2], upper[-1], p) <= 0:
                    upper.pop()
                upper.append(p)
            verts = tuple(lower[:-1] + upper[:-1])
            if len(verts) == 2 or _cross(verts[0], verts[1], verts[2]) == 0:
                verts = (pts[0], pts[-1])  # collinear input: a segment
        return cls(verts, _pareto_chain(verts))

    @property
    def ideal(self) -> Point:
        """(max u1, max u2) over the polygon."""
        return (max(v[0] for v in self.vertices), max(v[1] for v in self.vertices))

    def halfplanes(self) -> tuple[tuple[Fraction, Fraction, Fraction], ...]:
        """Edges as ``(a1, a2, c)`` with ``a1 u1 + a2 u2 <= c`` inside (polygons only)."""
        vs = self.vertices
        out = []
        for i, p in enumerate(vs):
            q = vs[(i + 1) % len(vs)]
            a1, a2 = q[1] - p[1], p[0] - q[0]  # outward normal of a ccw edge
            out.append((a1, a2, a1 * p[0] + a2 * p[1]))
        return tuple(out)

    def violation(self, u: Point) -> Fraction:
        """How far ``u`` lies outside (0 inside), in the sup norm; exact."""
        vs = self.vertices
        if len(vs) <= 2:
            return _segment_distance(vs, u)
        worst = Fraction(0)
        for a1, a2, c in self.halfplanes():
            excess = a1 * u[0] + a2 * u[1] - c
            if excess > 0:
                worst = max(worst, excess / (abs(a1) + abs(a2)))
        return worst

    def contains(self, u: Point) -> bool:
        return self.violation(u) == 0

    def zone(self, d: Point) -> tuple[Point, ...] | None:
        """The individually rational part of the Pareto frontier (``u >= d``), or None."""
        return clip_chain(self.pareto, d)

    def max_equal_gain(self, d: Point, direction: Point = (Fraction(1), Fraction(1))) -> Fraction:
        """Largest t with ``d + t * direction`` in the polygon (direction >= 0, not 0).

        Negative when d lies above the polygon in that direction; raises ``ModelError`` if the
        ray's line misses the polygon altogether.
        """
        ts: list[Fraction] = []
        vs = self.vertices
        edges = [(vs[i], vs[(i + 1) % len(vs)]) for i in range(len(vs))] if len(vs) > 1 else []
        for p, q in edges:
            # solve d + t*r = p + s*(q - p), s in [0, 1]
            ex, ey = q[0] - p[0], q[1] - p[1]
            den = direction[0] * (-ey) + ex * direction[1]
            if den == 0:
                continue
            rx, ry = p[0] - d[0], p[1] - d[1]
            t = (rx * (-ey) + ex * ry) / den
            s = (direction[0] * ry - direction[1] * rx) / den
            if 0 <= s <= 1:
                ts.append(t)
        for v in vs:  # vertices and parallel edges
            dx, dy = v[0] - d[0], v[1] - d[1]
            if dx * direction[1] == dy * direction[0]:
                comp = 0 if direction[0] != 0 else 1
                ts.append((v[comp] - d[comp]) / direction[comp])
        if not ts:
            raise ModelError("disagreement", d, "the equal-gain line misses the feasible set")
        return max(ts)


def _segment_distance(vs: Sequence[Point], u: Point) -> Fraction:
    """Sup-norm distance from u to a point or segment (exact, via the clamped projection)."""
    if len(vs) == 1:
        return max(abs(u[0] - vs[0][0]), abs(u[1] - vs[0][1]))
    (ax, ay), (bx, by) = vs
    ex, ey = bx - ax, by - ay
    t = ((u[0] - ax) * ex + (u[1] - ay) * ey) / (ex * ex + ey * ey)
    t = min(Fraction(1), max(Fraction(0), t))
    return max(abs(u[0] - ax - t * ex), abs(u[1] - ay - t * ey))


def _pareto_chain(vs: tuple[Point, ...]) -> tuple[Point, ...]:
    n = len(vs)
    top = max(range(n), key=lambda i: (vs[i][1], vs[i][0]))
    right = max(range(n), key=lambda i: (vs[i][0], vs[i][1]))
    chain = [vs[right]]
    i = right
    while i != top:  # counter-clockwise from the rightmost point climbs to the top one
        i = (i + 1) % n
        chain.append(vs[i])
    return tuple(reversed(chain))


@dataclass(frozen=True)
class Frontier:
    """A concave, decreasing frontier ``u2 = f(u1)`` on ``[u1_min, u1_max]``.

    ``expr`` is a sympy expression in the symbol ``u1``; ``f`` and ``df`` evaluate ``f`` and
    ``f'`` on float arrays (compiled once).  The feasible set is the region under the curve
    and above ``u2 = f(u1_max)``.  Concavity and monotonicity were checked numerically on a
    grid of 4097 points (differences of ``f``), which ``checks`` records.
    """

    expr: sp.Expr
    u1_min: Fraction
    u1_max: Fraction
    f: Callable[[Any], np.ndarray] = field(repr=False, compare=False)
    df: Callable[[Any], np.ndarray] = field(repr=False, compare=False)
    checks: tuple[str, ...] = ()

    @property
    def symbol(self) -> sp.Symbol:
        return sp.Symbol("u1", real=True)

    def value(self, u1: float) -> float:
        return float(self.f(u1))

    @property
    def ideal(self) -> tuple[float, float]:
        return (float(self.u1_max), self.value(float(self.u1_min)))


def _frontier(expr: Any, u1_min: Fraction, u1_max: Fraction) -> Frontier:
    from negotiate.expr import compile_numeric, parse

    u1 = sp.Symbol("u1", real=True)
    if isinstance(expr, str):
        e = parse(expr, ["u1"], field="frontier")
    elif isinstance(expr, sp.Expr):
        names = {s.name for s in expr.free_symbols}
        if names - {"u1"}:
            raise ModelError("frontier", str(expr), f"unknown symbols {sorted(names - {'u1'})}")
        e = expr.xreplace({s: u1 for s in expr.free_symbols})
    else:
        raise ModelError("frontier", expr, "expected an expression in u1 (text or sympy)")
    f_c = compile_numeric([e], ["u1"], check_finite=False)
    d_c = compile_numeric([sp.diff(e, u1)], ["u1"], check_finite=False)

    def f(x: Any) -> np.ndarray:
        return f_c(x)[0]

    def df(x: Any) -> np.ndarray:
        return d_c(x)[0]

    lo, hi = float(u1_min), float(u1_max)
    grid = np.linspace(lo, hi, _GRID)
    vals = f(grid)
    if np.any(np.isnan(vals)):
        bad = float(grid[np.argmax(np.isnan(vals))])
        raise ModelError("frontier", str(e), f"is undefined (not a real number) at u1 = {bad:g}")
    if not np.all(np.isfinite(vals)):
        bad = float(grid[np.argmax(~np.isfinite(vals))])
        raise ModelError(
            "frontier", str(e), f"the feasible set is unbounded: f is infinite at u1 = {bad:g}"
        )
    scale = max(1.0, float(np.max(np.abs(vals))), hi - lo)
    tol = 1e-9 * scale
    steps = np.diff(vals)
    if np.any(steps > tol):
        bad = float(grid[np.argmax(steps > tol)])
        raise ModelError("frontier", str(e), f"must be decreasing in u1; it rises at u1 = {bad:g}")
    if np.any(np.diff(steps) > tol):
        bad = float(grid[1 + np.argmax(np.diff(steps) > tol)])
        raise ModelError("frontier", str(e), f"must be concave in u1; it is convex at u1 = {bad:g}")
    checks = (f"decreasing and concave on a grid of {_GRID} points (tolerance {tol:.1e})",)
    return Frontier(e, u1_min, u1_max, f, df, checks)


@dataclass(frozen=True, eq=False)
class BargainingProblem:
    """A two-player bargaining problem ``(F, d)``.

    Attributes
    ----------
    feasible : Polytope | Frontier | IssueSpace
        The feasible utility set.
    disagreement : (Fraction, Fraction)
        The disagreement point d (what each player gets if there is no agreement).
    players : (str, str)
        Player labels.
    float_input : bool
        True if any number was given as a binary float.
    """

    feasible: Polytope | Frontier | IssueSpace
    disagreement: Point
    players: tuple[str, str] = ("Player 1", "Player 2")
    float_input: bool = False
    title: str = ""

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_points(
        cls,
        points: Sequence[Sequence[Any]],
        disagreement: Sequence[Any],
        *,
        players: Sequence[str] = ("Player 1", "Player 2"),
        title: str = "",
    ) -> BargainingProblem:
        """F = the convex hull of ``points`` (utility pairs; lotteries allowed), exactly."""
        if isinstance(points, str | bytes) or not isinstance(points, Sequence | np.ndarray):
            raise ModelError("points", points, "expected a list of utility pairs")
        if len(points) == 0:
            raise ModelError("points", points, "the feasible set is empty: give at least 1 point")
        if len(points) > _MAX_POINTS:
            raise ModelError("points", f"{len(points)} points", f"at most {_MAX_POINTS} points")
        pts, floats = [], False
        for i, p in enumerate(points):
            q, f = as_point(p, f"points[{i}]")
            pts.append(q)
            floats = floats or f
        d, fd = as_point(disagreement, "disagreement")
        return cls._make(Polytope.hull(pts), d, players, floats or fd, title)

    @classmethod
    def from_frontier(
        cls,
        expr: str | sp.Expr,
        u1_max: Any,
        disagreement: Sequence[Any],
        *,
        u1_min: Any = 0,
        players: Sequence[str] = ("Player 1", "Player 2"),
        title: str = "",
    ) -> BargainingProblem:
        """F = region under a concave, decreasing ``u2 = f(u1)`` on ``[u1_min, u1_max]``.

        ``expr`` is text in ``u1`` parsed by :mod:`negotiate.expr` (never ``eval``), or a
        sympy expression in a symbol named ``u1``.  Without a finite ``u1_max`` the set would
        be unbounded, which is rejected.
        """
        if (
            u1_max is None
            or (is_float_input(u1_max) and math.isinf(float(u1_max)))
            or (isinstance(u1_max, str) and u1_max.strip().lstrip("+").lower() in {"inf", "oo"})
        ):
            raise ModelError(
                "u1_max", u1_max, "the feasible set is unbounded: give a finite u1_max"
            )
        if isinstance(u1_max, sp.Basic) and u1_max.is_infinite:
            raise ModelError(
                "u1_max", u1_max, "the feasible set is unbounded: give a finite u1_max"
            )
        hi = as_fraction(u1_max, "u1_max")
        lo = as_fraction(u1_min, "u1_min")
        if hi <= lo:
            raise ModelError("u1_max", hi, f"must exceed u1_min = {lo}")
        d, fd = as_point(disagreement, "disagreement")
        floats = fd or is_float_input(u1_max) or is_float_input(u1_min)
        return cls._make(_frontier(expr, lo, hi), d, players, floats, title)

    @classmethod
    def _make(
        cls,
        feasible: Polytope | Frontier | IssueSpace,
        d: Point,
        players: Sequence[str],
        floats: bool,
        title: str,
    ) -> BargainingProblem:
        if floats:
            warn_float_input("float utilities", stacklevel=3)
        if not isinstance(title, str):
            raise ModelError("title", title, "expected a string")
        return cls(feasible, d, check_players(players), floats, title)

    def with_disagreement(self, disagreement: Sequence[Any]) -> BargainingProblem:
        """The same feasible set with another disagreement point."""
        d, f = as_point(disagreement, "disagreement")
        return BargainingProblem(self.feasible, d, self.players, self.float_input or f, self.title)

    # ------------------------------------------------------------------ views
    @property
    def kind(self) -> str:
        """``"polytope"``, ``"frontier"``, ``"linear_issues"`` or ``"concave_issues"``."""
        if isinstance(self.feasible, Polytope):
            return "polytope"
        if isinstance(self.feasible, Frontier):
            return "frontier"
        return "linear_issues" if self.feasible.is_linear else "concave_issues"

    @property
    def polytope(self) -> Polytope | None:
        """The exact polygon F when F is one (points or linear issues); None otherwise."""
        if isinstance(self.feasible, Polytope):
            return self.feasible
        if isinstance(self.feasible, Frontier) or not self.feasible.is_linear:
            return None
        return self.feasible.polytope()

    @property
    def issues(self) -> IssueSpace | None:
        """The issue space behind F, if any."""
        if isinstance(self.feasible, Polytope | Frontier):
            return None
        return self.feasible

    def zone_of_agreement(self) -> tuple[Point, ...] | None:
        """Exact vertices of the Pareto frontier with ``u >= d`` (polytopes), or None if empty."""
        poly = self.polytope
        if poly is None:
            raise ModelError("feasible", self.kind, "the exact zone of agreement needs a polytope")
        return poly.zone(self.disagreement)

    def __repr__(self) -> str:
        d = ", ".join(str(x) for x in self.disagreement)
        return f"BargainingProblem({self.kind}, d=({d}), players={self.players})"
