"""Conditions on parameters for symbolic equilibria: division-free, sampled, simplified.

* :func:`ge` and :func:`positive` write ``N/D >= 0`` (``> 0``) as
  ``(D > 0 & N >= 0) | (D < 0 & N <= 0)``, so a condition never evaluates to ``zoo`` or
  ``nan`` at a parameter point where a denominator vanishes.
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

import functools
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
    if isinstance(v, Fraction):
        return sp.Rational(v.numerator, v.denominator)
    if isinstance(v, sp.Expr):
        return v
    if isinstance(v, int) and not isinstance(v, bool):
        return sp.Integer(v)
    raise TypeError(f"expected an exact number or a sympy expression, got {type(v).__name__}")


@functools.lru_cache(maxsize=4096)
def _signed(expr: sp.Expr, rel: type[sp.core.relational.Relational]) -> sp.Basic:
    if expr.is_Number:
        return rel(expr, 0)
    if any(isinstance(a, sp.Pow) and a.exp.is_negative for a in sp.preorder_traversal(expr)):
        num, den = sp.fraction(sp.cancel(sp.together(expr)))
    else:
        num, den = expr, sp.Integer(1)
    num = sp.expand(num)
    if den.is_number:
        return rel(num, 0) if den > 0 else rel(-num, 0)
    return sp.Or(sp.And(den > 0, rel(num, 0)), sp.And(den < 0, rel(-num, 0)))


def ge(a: Any, b: Any = 0) -> sp.Basic:
    """``a >= b`` with denominators cleared by sign cases."""
    return _signed(sp.expand(exact(a) - exact(b)), sp.Ge)


def positive(a: Any) -> sp.Basic:
    """``a > 0`` with denominators cleared by sign cases."""
    return _signed(sp.expand(exact(a)), sp.Gt)


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
    """Reduce a condition exactly using the parameters' domains.

    Every sub-formula (relation, or group of siblings under ``&``/``|``) in a single
    parameter is replaced by its truth set within that parameter's domain, written as bounds
    (a bound equal to a closed end of the domain is left out), and a disjunct contained in
    another (both boxes of such bounds) is dropped.  A condition in one parameter thus
    becomes a union of intervals; relations among several parameters are kept.
    """
    domains = {}
    for par in game.parameters:
        if par.domain is not None:
            domains[par.symbol] = (exact(par.domain[0]), exact(par.domain[1]))
    try:
        return _reduce(cond, domains)
    except (sp.PolynomialError, NotImplementedError, TypeError):
        return cond


Domains = Mapping[sp.Symbol, tuple[sp.Expr, sp.Expr]]
#: A piece of a truth set: (start, end, start included, end included).
Piece = tuple[sp.Expr, sp.Expr, bool, bool]


def _single(node: sp.Basic, domains: Domains) -> sp.Symbol | None:
    syms = node.free_symbols
    if len(syms) == 1:
        (x,) = syms
        if x in domains:
            return x
    return None


def _reduce(node: sp.Basic, domains: Domains) -> sp.Basic:
    if node in (sp.true, sp.false) or not node.free_symbols:
        return node
    x = _single(node, domains)
    if x is not None:
        return _bounds(_pieces(node, x, *domains[x]), x, *domains[x])
    if not isinstance(node, sp.And | sp.Or):
        return node
    groups: dict[sp.Symbol, list[sp.Basic]] = {}
    rest = []
    for kid in (_reduce(k, domains) for k in node.args):
        y = _single(kid, domains)
        if y is None:
            rest.append(kid)
        else:
            groups.setdefault(y, []).append(kid)
    for y, group in groups.items():
        rest.append(_bounds(_pieces(node.func(*group), y, *domains[y]), y, *domains[y]))
    out = node.func(*rest)
    return _absorb(out, domains) if isinstance(out, sp.Or) else out


def _absorb(node: sp.Or, domains: Domains) -> sp.Basic:
    """Drop disjuncts contained in another one (boxes of one-parameter bounds only)."""
    boxes = [_box(k, domains) for k in node.args]
    keep = []
    for i, kid in enumerate(node.args):
        bi = boxes[i]
        covered = bi is not None and any(
            j != i
            and bj is not None
            and _inside(bi, bj, domains)
            and (j < i or not _inside(bj, bi, domains))
            for j, bj in enumerate(boxes)
        )
        if not covered:
            keep.append(kid)
    return sp.Or(*keep)


def _box(node: sp.Basic, domains: Domains) -> dict[sp.Symbol, list[Piece]] | None:
    parts = node.args if isinstance(node, sp.And) else (node,)
    groups: dict[sp.Symbol, list[sp.Basic]] = {}
    for part in parts:
        x = _single(part, domains)
        if x is None:
            return None
        groups.setdefault(x, []).append(part)
    return {x: _pieces(sp.And(*g), x, *domains[x]) for x, g in groups.items()}


def _inside(
    a: dict[sp.Symbol, list[Piece]], b: dict[sp.Symbol, list[Piece]], domains: Domains
) -> bool:
    for x, pieces in b.items():
        lo, hi = domains[x]
        mine = a.get(x, [(lo, hi, True, True)])
        if not all(any(_piece_in(p, q) for q in pieces) for p in mine):
            return False
    return True


def _piece_in(p: Piece, q: Piece) -> bool:
    left = bool(q[0] < p[0]) or (q[0] == p[0] and (q[2] or not p[2]))
    right = bool(p[1] < q[1]) or (p[1] == q[1] and (q[3] or not p[3]))
    return left and right


def _bounds(pieces: list[Piece], x: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> sp.Basic:
    out = []
    for a, b, a_in, b_in in pieces:
        if a == b:
            out.append(sp.Eq(x, a))
            continue
        parts = []
        if not (a == lo and a_in):
            parts.append(x >= a if a_in else x > a)
        if not (b == hi and b_in):
            parts.append(x <= b if b_in else x < b)
        out.append(sp.And(*parts))
    return sp.Or(*out)


def _pieces(cond: sp.Basic, x: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> list[Piece]:
    """The truth set of ``cond`` in ``[lo, hi]`` as maximal pieces."""
    crit: set[sp.Expr] = {lo, hi}
    for rel in cond.atoms(sp.core.relational.Relational):
        num, den = sp.fraction(sp.together(rel.lhs - rel.rhs))
        for poly in (num, den):
            if poly.has(x):
                for r in sp.Poly(poly, x).real_roots():
                    if lo <= r <= hi:
                        crit.add(r)
    points = sorted(crit, key=lambda r: sp.N(r, 50))
    # the sequence point, gap, point, ..., point with the truth value of each
    seq: list[tuple[sp.Expr, sp.Expr, bool]] = []
    for i, r in enumerate(points):
        seq.append((r, r, _at(cond, x, r)))
        if i + 1 < len(points):
            nxt = points[i + 1]
            mid = sp.Rational(str(sp.N((r + nxt) / 2, 50)))
            seq.append((r, nxt, _at(cond, x, mid)))
    pieces: list[Piece] = []
    start: tuple[sp.Expr, bool] | None = None
    for k, (a, b, value) in enumerate(seq):
        is_point = k % 2 == 0
        if value and start is None:
            start = (a, is_point)
        last = k + 1 == len(seq) or not seq[k + 1][2]
        if value and last:
            assert start is not None
            pieces.append((start[0], b, start[1], is_point))
            start = None
    return pieces


def _at(cond: sp.Basic, x: sp.Symbol, value: sp.Expr) -> bool:
    out = _truth(cond.xreplace({x: value}))
    if out is None:
        out = _truth(sp.simplify(cond.xreplace({x: value})))
    if out is None:
        raise NotImplementedError(f"cannot decide {cond} at {x} = {value}")
    return out
