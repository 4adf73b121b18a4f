"""One constraint of a parameter region: ``f >= 0`` or ``f > 0`` over real parameters.

:class:`Ineq` evaluates exactly at a point (:meth:`Ineq.holds`), in floats for screening
(:meth:`Ineq.approx`), and bounds ``f`` over a box of parameter values by interval arithmetic on
its monomials (:meth:`Ineq.bounds`, exact; :meth:`Ineq.approx_bounds`, floats).
:func:`make_ineq` builds one from an expression, scaling linear constraints to coprime integer
coefficients.  Regions, conjunctions of these, are decided by
:class:`negotiate.core.regions.Decider`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

import sympy as sp

from negotiate.expr import substitute

__all__ = ["Ineq", "make_ineq", "primitive_scale", "rules_out", "satisfied"]


@dataclass(frozen=True)
class Ineq:
    """The constraint ``expr >= 0`` (``expr > 0`` when ``strict``) over real parameters."""

    expr: sp.Expr
    strict: bool

    def negate(self) -> Ineq:
        """The complement: ``not (f >= 0)`` is ``-f > 0``."""
        return Ineq(-self.expr, not self.strict)

    def holds(self, point: Mapping[str, Fraction]) -> bool:
        """Exact truth value at a parameter point (raises ModelError where undefined)."""
        terms = self._terms
        if terms is not None:
            value: Any = Fraction(0)
            for coeff, powers in terms:
                term = coeff
                for name, k in powers:
                    term *= point[name] ** k
                value += term
        else:
            value = substitute(self.expr, point, field="condition")
        if isinstance(value, Fraction):
            return value > 0 if self.strict else value >= 0
        return bool(value > 0) if self.strict else bool(value >= 0)

    def approx(self, point: Mapping[str, float]) -> float:
        """Float value of ``expr`` at ``point`` (a cheap pre-check; never a decision)."""
        terms = self._terms
        if terms is None:
            return 0.0  # no cheap form: let the exact test decide
        total = 0.0
        for coeff, powers in terms:
            term = float(coeff)
            for name, k in powers:
                term *= point[name] ** k
            total += term
        return total

    @property
    def terms(self) -> list[tuple[Fraction, tuple[tuple[str, int], ...]]] | None:
        """The polynomial's terms (coefficient, powers), or None if ``expr`` is not one."""
        return self._terms

    def approx_bounds(self, box: Mapping[str, tuple[float, float]]) -> tuple[float, float]:
        """:meth:`bounds` in floats: a guide for what to prove, never a decision."""
        assert self._terms is not None
        lo_total = hi_total = 0.0
        for coeff, powers in self._terms:
            lo = hi = float(coeff)
            for name, k in powers:
                a, b = box[name]
                pa, pb = a**k, b**k
                f_lo, f_hi = (
                    (0.0, max(pa, pb)) if k % 2 == 0 and a < 0 < b else (min(pa, pb), max(pa, pb))
                )
                products = (lo * f_lo, lo * f_hi, hi * f_lo, hi * f_hi)
                lo, hi = min(products), max(products)
            lo_total += lo
            hi_total += hi
        return lo_total, hi_total

    def bounds(self, box: Mapping[str, tuple[Fraction, Fraction]]) -> tuple[Fraction, Fraction]:
        """Exact interval-arithmetic bounds of the polynomial on ``box`` (a superset of its
        range)."""
        assert self._terms is not None
        lo_total = hi_total = Fraction(0)
        for coeff, powers in self._terms:
            lo, hi = coeff, coeff
            for name, k in powers:
                a, b = box[name]
                pa, pb = a**k, b**k
                if k % 2 == 0 and a < 0 < b:
                    f_lo, f_hi = Fraction(0), max(pa, pb)
                else:
                    f_lo, f_hi = min(pa, pb), max(pa, pb)
                products = (lo * f_lo, lo * f_hi, hi * f_lo, hi * f_hi)
                lo, hi = min(products), max(products)
            lo_total += lo
            hi_total += hi
        return lo_total, hi_total

    @cached_property
    def _terms(self) -> list[tuple[Fraction, tuple[tuple[str, int], ...]]] | None:
        """The polynomial's terms with Fraction coefficients (None if not a polynomial)."""
        syms = sorted(self.expr.free_symbols, key=lambda s: s.name)
        poly = self.expr.as_poly(*syms)
        if poly is None or not (poly.domain.is_QQ or poly.domain.is_ZZ):
            return None
        names = [s.name for s in syms]
        return [
            (Fraction(str(c)), tuple((n, k) for n, k in zip(names, m, strict=True) if k))
            for m, c in poly.terms()
        ]

    def relational(self) -> sp.Basic:
        """A readable sympy relational: ``x >= 1/2``, ``c + e >= 1``, ``(1 - d)*d > 0``."""
        return self._relational

    @cached_property
    def _relational(self) -> sp.Basic:
        f = self.expr
        syms = sorted(f.free_symbols, key=lambda s: s.name)
        poly = f.as_poly(*syms) if syms else None
        if (
            poly is not None
            and poly.total_degree() == 1
            and (poly.domain.is_QQ or poly.domain.is_ZZ)
        ):
            const = poly.coeff_monomial(1)
            lhs = sp.expand(f - const)
            rhs = -const
            lead = poly.coeff_monomial(syms[0])
            if len(poly.free_symbols) == 1:
                (s,) = poly.free_symbols
                lead = poly.coeff_monomial(s)
                lhs, rhs = s, rhs / lead
            elif lead < 0:
                lhs, rhs = -lhs, -rhs
            flip = lead < 0
        else:
            lhs, rhs, flip = _readable(f), sp.Integer(0), False
            if poly is not None and poly.LC() < 0:
                lhs, flip = _readable(-f), True
        if flip:
            return sp.StrictLessThan(lhs, rhs) if self.strict else sp.LessThan(lhs, rhs)
        return sp.StrictGreaterThan(lhs, rhs) if self.strict else sp.GreaterThan(lhs, rhs)


def _readable(f: sp.Expr) -> sp.Expr:
    """``f`` factored, without a positive constant factor (``-d**2/100`` -> ``-d**2``)."""
    g = sp.factor(f)
    content, primitive = g.as_content_primitive()
    return primitive if content > 0 else g


def rules_out(q: Ineq, upper: Fraction) -> bool:
    return upper < 0 or (upper == 0 and q.strict)


def satisfied(q: Ineq, lower: Fraction) -> bool:
    return lower > 0 or (lower == 0 and not q.strict)


def make_ineq(f: sp.Expr, strict: bool) -> Ineq | bool:
    """``f >= 0`` (or ``> 0``) as an :class:`Ineq`, or a bool when ``f`` is a constant."""
    if f.free_symbols:
        poly = f.as_poly(*sorted(f.free_symbols, key=lambda s: s.name))
        f = poly.as_expr() if poly is not None else sp.cancel(sp.together(f))
    if not f.free_symbols:
        if f.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            raise ValueError(f"undefined constant in a condition: {f}")
        return bool(f > 0) if strict else bool(f >= 0)
    syms = sorted(f.free_symbols, key=lambda s: s.name)
    poly = f.as_poly(*syms)
    if poly is not None and poly.total_degree() == 1 and (poly.domain.is_QQ or poly.domain.is_ZZ):
        coeffs = [Fraction(str(c)) for c in poly.coeffs()]
        scale = primitive_scale(coeffs)
        f = sp.expand(f * sp.Rational(scale.numerator, scale.denominator))
    return Ineq(f, strict)


def primitive_scale(coeffs: Sequence[Fraction]) -> Fraction:
    """Positive factor making rational coefficients coprime integers."""
    den = math.lcm(*(c.denominator for c in coeffs))
    nums = [int(c * den) for c in coeffs]
    g = math.gcd(*nums) or 1
    return Fraction(den, g)


# A linear row: a . x + c >= 0 (strict: > 0); Fractions at the interface, coprime ints inside
