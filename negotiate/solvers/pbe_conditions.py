"""Conditions on parameters for symbolic equilibria: division-free, sampled, simplified.

* :func:`ge` and :func:`positive` write ``N/D >= 0`` (``> 0``) as
  ``(D > 0 & N >= 0) | (D < 0 & N <= 0)``, so a condition never evaluates to ``zoo`` or
  ``nan`` at a parameter point where a denominator vanishes (PITFALLS.md sec. 3).
* :func:`meet`: whether ``{mu in [0,1]: f(mu) >= 0}`` and ``{mu in [0,1]: g(mu) >= 0}`` meet,
  for ``f, g`` affine in ``mu`` and given by their values at ``mu = 0`` and ``mu = 1``.  If
  neither end satisfies both, one is decreasing with root ``f0/(f0 - f1)`` and the other
  increasing with root ``-g0/(g1 - g0)``; they meet iff the first root is the larger, i.e.
  ``f0 g1 - g0 f1 >= 0`` (denominators are positive there).
* :func:`simplify_condition`: in one parameter the condition is reduced exactly to a union
  of intervals of the domain: its truth value can change only at real roots of the
  numerators and denominators of its relations, so it is decided at each root and at one
  rational point inside each gap.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import sympy as sp

from negotiate.errors import ModelError
from negotiate.expr import symbol

if TYPE_CHECKING:
    from negotiate.games.signaling import SignalingGame

__all__ = [
    "exact",
    "ge",
    "holds",
    "meet",
    "positive",
    "sample_points",
    "simplify_condition",
]


def exact(v: Any) -> sp.Expr:
    """A ``Fraction`` as a sympy ``Rational``; sympy values unchanged."""
    return sp.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else sp.sympify(v)


def _signed(expr: Any, rel: type[sp.core.relational.Relational]) -> sp.Basic:
    num, den = sp.fraction(sp.cancel(sp.together(exact(expr))))
    num = sp.expand(num)
    if den.is_number:
        return rel(num, 0) if den > 0 else rel(-num, 0)
    return sp.Or(sp.And(den > 0, rel(num, 0)), sp.And(den < 0, rel(-num, 0)))


def ge(a: Any, b: Any = 0) -> sp.Basic:
    """``a >= b`` with denominators cleared by sign cases."""
    return _signed(exact(a) - exact(b), sp.Ge)


def positive(a: Any) -> sp.Basic:
    """``a > 0`` with denominators cleared by sign cases."""
    return _signed(a, sp.Gt)


def meet(f: tuple[Any, Any], g: tuple[Any, Any]) -> sp.Basic:
    """Whether ``{f >= 0}`` and ``{g >= 0}`` meet in [0, 1]; ``f = (f(0), f(1))``."""
    f0, f1 = exact(f[0]), exact(f[1])
    g0, g1 = exact(g[0]), exact(g[1])
    det = f0 * g1 - g0 * f1
    return sp.Or(
        sp.And(ge(f0), ge(g0)),
        sp.And(ge(f1), ge(g1)),
        sp.And(ge(f0), ge(g1), ge(det)),
        sp.And(ge(g0), ge(f1), ge(-det)),
    )


def _boxes(game: SignalingGame) -> list[tuple[Fraction, Fraction]]:
    boxes = []
    for name in game.free_parameters:
        par = game.parameter(name)
        if par.domain is not None:
            boxes.append(par.domain)
        elif par.value is not None:
            boxes.append((par.value - 1, par.value + 1))
        else:
            boxes.append((Fraction(-2), Fraction(2)))
    return boxes


def sample_points(
    game: SignalingGame, n_random: int = 24, seed: int = 0
) -> list[dict[str, Fraction]]:
    """A grid over the parameters' domains (at most 125 points) and seeded random rationals.

    Parameters without a domain are sampled around their value (or in [-2, 2]).
    """
    names = game.free_parameters
    boxes = _boxes(game)
    levels = 5 if len(names) <= 2 else 3
    grids = [[lo + (hi - lo) * Fraction(k, levels - 1) for k in range(levels)] for lo, hi in boxes]
    points = [dict(zip(names, c, strict=True)) for c in itertools.product(*grids)][:125]
    rng = random.Random(seed)
    for _ in range(n_random):
        points.append(
            {
                n: lo + (hi - lo) * Fraction(rng.randint(1, 96), 97)
                for n, (lo, hi) in zip(names, boxes, strict=True)
            }
        )
    return points


def holds(cond: sp.Basic, point: Mapping[str, Fraction]) -> bool:
    """Exact truth value of ``cond`` at ``point``; an unbound parameter is an error."""
    subs = {symbol(n): sp.Rational(v.numerator, v.denominator) for n, v in point.items()}
    out = _truth(cond.xreplace(subs))
    if out is None:
        free = sorted(map(str, cond.xreplace(subs).free_symbols))
        raise ModelError("values", dict(point), f"the condition still depends on {free}")
    return out


def _truth(value: sp.Basic) -> bool | None:
    if value == sp.true:
        return True
    if value == sp.false:
        return False
    return None


def simplify_condition(cond: sp.Basic, game: SignalingGame) -> sp.Basic:
    """A one-parameter condition as intervals of the parameter's domain; else unchanged."""
    syms = sorted(cond.free_symbols, key=str)
    if len(syms) != 1 or cond in (sp.true, sp.false):
        return cond
    (x,) = syms
    par = game.parameter(x.name)  # type: ignore[attr-defined]
    if par.domain is None:
        return cond
    lo, hi = (exact(v) for v in par.domain)
    try:
        cset = _truth_set(cond, x, lo, hi)
    except (sp.PolynomialError, NotImplementedError, TypeError):
        return cond
    return sp.false if cset is sp.EmptySet else cset.as_relational(x)


def _truth_set(cond: sp.Basic, x: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> sp.Set:
    crit: set[sp.Expr] = {lo, hi}
    for rel in cond.atoms(sp.core.relational.Relational):
        num, den = sp.fraction(sp.together(rel.lhs - rel.rhs))
        for poly in (num, den):
            if poly.has(x):
                for r in sp.Poly(poly, x).real_roots():
                    if lo <= r <= hi:
                        crit.add(r)
    points = sorted(crit, key=lambda r: sp.N(r, 50))
    pieces: list[sp.Set] = []
    for r in points:
        if _at(cond, x, r):
            pieces.append(sp.FiniteSet(r))
    for a, b in itertools.pairwise(points):
        mid = sp.Rational(str(sp.N((a + b) / 2, 50)))
        if _at(cond, x, mid):
            pieces.append(sp.Interval.open(a, b))
    return sp.Union(*pieces) if pieces else sp.EmptySet


def _at(cond: sp.Basic, x: sp.Symbol, value: sp.Expr) -> bool:
    out = _truth(cond.xreplace({x: value}))
    if out is None:
        out = _truth(sp.simplify(cond.xreplace({x: value})))
    if out is None:
        raise NotImplementedError(f"cannot decide {cond} at {x} = {value}")
    return out
