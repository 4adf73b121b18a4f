"""Bargaining solutions on a concave frontier ``u2 = f(u1)`` by monotone root finding.

With ``lo = max(d1, u1_min)`` and ``hi`` the largest u1 with ``f(u1) >= d2``, the
individually rational frontier is ``{(u1, f(u1)) : lo <= u1 <= hi}``.  Each concept is the
root of a function that is monotone on ``[lo, hi]`` because f is concave and decreasing:

* Nash (weights a, b):  ``a (f(u1) - d2) + b f'(u1) (u1 - d1)``  (the derivative of the log
  Nash product times ``(u1 - d1)(f(u1) - d2) > 0``);
* Kalai-Smorodinsky:    ``(I1 - d1)(f(u1) - d2) - (I2 - d2)(u1 - d1)`` with ``I = (hi, f(lo))``;
* egalitarian:          ``(f(u1) - d2) - (u1 - d1)``;
* utilitarian:          ``w1 + w2 f'(u1)``.

Roots are found by vectorised bisection (:func:`negotiate.solvers.frontier.bisect_decreasing`).
Closed forms: the float root is passed to ``sympy.nsimplify`` and the candidate is accepted
only if the defining equation then holds exactly (``sympy.Expr.equals``, which decides
algebraic numbers through their minimal polynomial); otherwise ``closed_form`` is None.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from negotiate.games.bargaining import Frontier, Point
from negotiate.solvers.bargaining.convex import PRECHECK_TOL
from negotiate.solvers.bargaining.frontier import bisect_decreasing

__all__ = ["ir_interval", "solve_curve"]


def _r(x: Fraction) -> sp.Rational:
    return sp.Rational(x.numerator, x.denominator)


def ir_interval(fr: Frontier, d1: Any, d2: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised ``(lo, hi, ok)``: the individually rational u1-interval and whether it has a
    point strictly better than d for both (normalised max-min gain above the pre-check
    tolerance)."""
    d1 = np.asarray(d1, dtype=float)
    d2 = np.asarray(d2, dtype=float)
    umin, umax = float(fr.u1_min), float(fr.u1_max)
    lo = np.maximum(d1, umin)
    inside = lo < umax
    lo_c = np.minimum(lo, umax)
    f_lo = fr.f(lo_c)
    f_hi = fr.value(umax)
    hi = np.where(f_hi >= d2, umax, bisect_decreasing(lambda x: fr.f(x) - d2, lo_c, umax))
    i1, i2 = umax, fr.value(umin)
    s1 = np.where(i1 > d1, i1 - d1, 1.0)
    s2 = np.where(i2 > d2, i2 - d2, 1.0)
    cross = bisect_decreasing(lambda x: (fr.f(x) - d2) / s2 - (x - d1) / s1, lo_c, hi)
    level = np.minimum((cross - d1) / s1, (fr.f(cross) - d2) / s2)
    ok = inside & (f_lo > d2) & (i1 > d1) & (i2 > d2) & (level > PRECHECK_TOL)
    return lo_c, hi, ok


def _root(
    fr: Frontier, d: tuple[float, float], lo: float, hi: float, concept: str, w: Any
) -> float:
    d1, d2 = d
    a, b = float(w[0]), float(w[1])
    if concept == "nash":
        return float(
            bisect_decreasing(lambda x: a * (fr.f(x) - d2) + b * fr.df(x) * (x - d1), lo, hi)
        )
    if concept == "kalai_smorodinsky":
        r1, r2 = hi - d1, fr.value(lo) - d2
        return float(bisect_decreasing(lambda x: r1 * (fr.f(x) - d2) - r2 * (x - d1), lo, hi))
    if concept == "egalitarian":
        return float(bisect_decreasing(lambda x: (fr.f(x) - d2) - (x - d1), lo, hi))
    return float(bisect_decreasing(lambda x: a + b * fr.df(x), lo, hi))


def solve_curve(
    fr: Frontier, d: Point, concept: str, w: tuple[Fraction, Fraction]
) -> tuple[tuple[float, float], tuple[sp.Expr, sp.Expr] | None, tuple[float, float] | None] | None:
    """``(utilities, closed_form, ideal)`` of a concept, or None without a strict gain."""
    df = (float(d[0]), float(d[1]))
    lo_a, hi_a, ok = ir_interval(fr, df[0], df[1])
    if not bool(ok):
        return None
    lo, hi = float(lo_a), float(hi_a)
    x = _root(fr, df, lo, hi, concept, w)
    u = (x, fr.value(x))
    ideal = (hi, fr.value(lo)) if concept == "kalai_smorodinsky" else None
    return u, _closed_form(fr, d, concept, w, x, lo, hi), ideal


def _identify(x: float, equation: Any, sym: sp.Symbol) -> sp.Expr | None:
    """An exact number close to x that satisfies ``equation(sym) == 0`` exactly, or None."""
    try:
        cand = sp.nsimplify(x, tolerance=1e-10)
        if not cand.is_real or abs(float(cand) - x) > 1e-9 * max(1.0, abs(x)):
            return None
        ok = sp.simplify(equation.xreplace({sym: cand}))
        if ok == 0 or ok.equals(0) is True:
            return cand
    except (TypeError, ValueError, NotImplementedError, ZeroDivisionError):
        return None
    return None


def _closed_form(
    fr: Frontier,
    d: Point,
    concept: str,
    w: tuple[Fraction, Fraction],
    x: float,
    lo: float,
    hi: float,
) -> tuple[sp.Expr, sp.Expr] | None:
    u = fr.symbol
    f = fr.expr
    d1, d2 = _r(d[0]), _r(d[1])
    if concept == "nash":
        eq = _r(w[0]) * (f - d2) + _r(w[1]) * sp.diff(f, u) * (u - d1)
    elif concept == "egalitarian":
        eq = (f - d2) - (u - d1)
    elif concept == "utilitarian":
        eq = _r(w[0]) + _r(w[1]) * sp.diff(f, u)
    else:
        lo_e = sp.Max(d1, _r(fr.u1_min))
        hi_e = _r(fr.u1_max) if hi >= float(fr.u1_max) else _identify(hi, f - d2, u)
        if hi_e is None:
            return None
        eq = (hi_e - d1) * (f - d2) - (f.xreplace({u: lo_e}) - d2) * (u - d1)
    if abs(x - lo) <= 1e-12 * max(1.0, abs(lo)) or abs(x - hi) <= 1e-12 * max(1.0, abs(hi)):
        return None  # a corner solution: the equation need not hold
    root = _identify(x, eq, u)
    if root is None:
        return None
    return (root, sp.sqrtdenest(sp.simplify(f.xreplace({u: root}))))
