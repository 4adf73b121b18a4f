"""The exact threshold inside a tipping point's bisection bracket.

The outcome rule combines three kinds of constraint, each piecewise rational in a lever when the
scenario's expressions are rational in it (the usual case):

* a ``[conditions]`` entry ``lhs >= rhs``: its boundary is ``lhs - rhs = 0`` with every other
  parameter (and derived quantity) substituted exactly and the lever kept as a sympy symbol;
* the no-deal game: at a decision node whose subgame-perfect choice changes across the
  bracket, the boundary is the mover's indifference between the two actions, their values
  written symbolically along the equilibrium strategies on each side of the bracket;
* participation: the slack ``max{U_i : U_j >= d_j} - d_i`` on the Pareto frontier.  Within
  the bracket the frontier's combinatorics are fixed, so the slack is one rational function of
  the lever; it is reconstructed exactly from exact evaluations at ``k/16`` of the bracket
  (Cauchy interpolation, :func:`sympy.polys.polyfuncs.rational_interpolate`) and accepted only
  when it predicts three further exact evaluations.

The boundary's real roots in the bracket are isolated exactly (``Poly.intervals``); a linear
factor gives a ``Fraction``, a quadratic a ``sqrt`` form, a higher one a ``CRootOf``.  A root
is accepted only when the outcome, evaluated afresh just below and just above it, is the one
before and the one after the change (:func:`tight_interval`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any, TypeAlias

import sympy as sp
from sympy.polys.polyfuncs import rational_interpolate

from negotiate._exact import to_sympy
from negotiate.expr import symbol
from negotiate.scenario.evaluate import PointState, evaluate_point

__all__ = ["exact_threshold", "real_roots_in", "tight_interval"]

_SAMPLES = 16  # interpolation nodes k/16 of the bracket, k = 0..16
_CHECKS = 3  # further nodes a reconstructed slack must predict exactly

_CONFIRM = 2**24  # a threshold is confirmed within (bracket width) / _CONFIRM

Value: TypeAlias = Fraction | sp.Expr


def _approx(v: Fraction | sp.Expr) -> Fraction:
    if isinstance(v, Fraction):
        return v
    return Fraction(str(sp.Float(v.evalf(40), 40)))


def tight_interval(
    value: Fraction | sp.Expr, lo: Fraction, hi: Fraction
) -> tuple[Fraction, Fraction]:
    """Rationals ``left < value < right`` within ``(hi - lo) / 2**24`` of ``value``, clipped to
    ``[lo, hi]`` (an end equal to ``value`` stays put); checked exactly."""
    eps = (hi - lo) / _CONFIRM
    if isinstance(value, Fraction):
        return max(lo, value - eps), min(hi, value + eps)
    centre = _approx(value)
    left, right = max(lo, centre - eps), min(hi, centre + eps)
    if not (bool(_sym(left) < value) and bool(value < _sym(right))):  # pragma: no cover
        raise ArithmeticError(f"{value} is not isolated in [{left}, {right}]")
    return left, right


def exact_threshold(
    scenario: Any,
    base: Mapping[str, Fraction],
    lever: str,
    inside: Fraction,
    outside: Fraction,
    outcome: Callable[[Mapping[str, Fraction]], str],
    cache: dict[Any, Any] | None = None,
) -> tuple[Value, str] | None:
    """``(threshold, binding constraint)`` in the bracket ``[inside, outside]`` (either
    order), or None when no boundary could be solved and confirmed exactly."""
    lo, hi = sorted((inside, outside))
    before = outcome({**base, lever: inside})
    after = outcome({**base, lever: outside})
    if before == after:
        return None
    s_in = evaluate_point(scenario, {**base, lever: inside}, cache)
    s_out = evaluate_point(scenario, {**base, lever: outside}, cache)
    x = symbol(lever)
    tried: list[Value] = []
    for binding, candidates in _candidates(scenario, base, lever, x, s_in, s_out, lo, hi, cache):
        for value in sorted(candidates, key=lambda v: abs(float(v) - float(inside))):
            if any(_equal(value, t) for t in tried):
                continue
            tried.append(value)
            left, right = tight_interval(value, lo, hi)
            pair = (outcome({**base, lever: left}), outcome({**base, lever: right}))
            if pair == ((before, after) if inside < outside else (after, before)):
                return value, binding
    return None


def _sym(value: Any) -> Any:
    """An exact number (int or Fraction) or a sympy object as a sympy object; never text."""
    if isinstance(value, sp.Basic):
        return value
    return to_sympy(Fraction(value))


def _equal(a: Value, b: Value) -> bool:
    return bool(sp.simplify(_sym(a) - _sym(b)) == 0)


def _candidates(
    scenario: Any,
    base: Mapping[str, Fraction],
    lever: str,
    x: sp.Symbol,
    s_in: PointState,
    s_out: PointState,
    lo: Fraction,
    hi: Fraction,
    cache: dict[Any, Any] | None,
) -> Any:
    """``(binding, roots)`` for every constraint whose status changes across the bracket,
    computed lazily (the first confirmed root ends the search)."""
    env: dict[str, sp.Expr] = {}

    def substituted(expr: sp.Basic) -> sp.Basic:
        if not env:
            env.update(lever_environment(scenario, base, lever))
        by_name = {s: env[s.name] for s in expr.free_symbols if s.name in env}
        return expr.xreplace(by_name)

    for cond in scenario.conditions:
        if s_in.conditions[cond.name][0] == s_out.conditions[cond.name][0]:
            continue
        atoms = (
            [cond.holds]
            if isinstance(cond.holds, sp.core.relational.Relational)
            else sorted(cond.holds.atoms(sp.core.relational.Relational), key=sp.srepr)
        )
        for atom in atoms:
            yield (
                f"condition:{cond.name}",
                real_roots_in(substituted(atom.lhs - atom.rhs), x, lo, hi),
            )
    if s_in.no_deal is not None and s_out.no_deal is not None:
        tree = scenario.deterrence["tree"]
        a_in, a_out = s_in.no_deal.strategy, s_out.no_deal.strategy
        for path in sorted((p for p in a_in if p in a_out and a_in[p] != a_out[p]), key=len):
            node = tree.node(path)
            i = tree.player_index(node.player)
            gap = _value(tree, (*path, a_in[path]), a_in, i) - _value(
                tree, (*path, a_out[path]), a_out, i
            )
            where = "/".join(path) or "(root)"
            yield (
                f"no_deal:{where}: {a_in[path]} vs {a_out[path]}",
                real_roots_in(substituted(gap), x, lo, hi),
            )
    if scenario.issues or scenario.points is not None:
        for k, player in enumerate(scenario.players):
            slack_in, slack_out = _slack(scenario, s_in, k), _slack(scenario, s_out, k)
            if (slack_in > 0) == (slack_out > 0):
                continue

            def slack(t: Fraction, k: int = k) -> Fraction:
                return _slack(scenario, evaluate_point(scenario, {**base, lever: t}, cache), k)

            fitted = _reconstruct(slack, x, lo, hi)
            if fitted is not None:
                yield f"participation:{player}", real_roots_in(fitted, x, lo, hi)


def lever_environment(
    scenario: Any, base: Mapping[str, Fraction], lever: str
) -> dict[str, sp.Expr]:
    """Every parameter and derived quantity by name: exact rationals, except ``lever`` (its
    symbol) and the derived quantities depending on it (expressions in that symbol)."""
    env: dict[str, sp.Expr] = {
        n: sp.Rational(v.numerator, v.denominator) for n, v in base.items() if n != lever
    }
    env[lever] = symbol(lever)
    for name, expr in scenario.derived:
        env[name] = expr.xreplace({s: env[s.name] for s in expr.free_symbols if s.name in env})
    return env


def _value(tree: Any, path: tuple[str, ...], strategy: Mapping[Any, str], i: int) -> sp.Expr:
    """Player ``i``'s value of the subtree at ``path`` under ``strategy`` (symbolic)."""
    from negotiate.games.tree import Chance, Decision

    node = tree.node(path)
    if isinstance(node, Decision):
        a = strategy[path]
        return _value(tree, (*path, a), strategy, i)
    if isinstance(node, Chance):
        return sp.Add(
            *(
                _sym(q) * _value(tree, (*path, o), strategy, i)
                for o, q in zip(node.outcomes, node.probabilities, strict=True)
            )
        )
    return _sym(node.payoffs[i])


def _slack(scenario: Any, state: PointState, k: int) -> Fraction:
    """Side ``k``'s participation slack at ``state`` (the bargaining stage's)."""
    assert state.slacks is not None
    return state.slacks[k]


def _reconstruct(
    f: Callable[[Fraction], Fraction], x: sp.Symbol, lo: Fraction, hi: Fraction
) -> sp.Expr | None:
    """The rational function of least total degree through exact values of ``f`` at
    ``lo + (hi - lo) k/16``, confirmed at three further nodes; in ``x``."""
    t = sp.Dummy("t")
    nodes = [Fraction(k, _SAMPLES) for k in range(_SAMPLES + 1)]
    values: list[Fraction] = []

    def y(k: int) -> Fraction:
        while len(values) <= k:
            values.append(f(lo + (hi - lo) * nodes[len(values)]))
        return values[k]

    for total in range(_SAMPLES + 1 - _CHECKS):
        data = [(sp.Rational(nodes[k]), sp.Rational(y(k))) for k in range(total + 1)]
        checks = [(nodes[k], y(k)) for k in range(total + 1, total + 1 + _CHECKS)]
        for degnum in range(total, -1, -1):
            try:
                r = rational_interpolate(data, degnum, X=t) if total else data[0][1]
            except (ZeroDivisionError, ValueError):  # pragma: no cover - singular system
                continue
            if all(_at(r, t, s) == v for s, v in checks):
                return _sym(r).xreplace({t: (x - sp.Rational(lo)) / sp.Rational(hi - lo)})
    return None


def _at(r: Any, t: sp.Symbol, s: Fraction) -> Fraction | None:
    out = _sym(r).xreplace({t: sp.Rational(s)})
    if not out.is_Rational:
        return None
    return Fraction(int(out.p), int(out.q))


def real_roots_in(f: sp.Basic, x: sp.Symbol, lo: Fraction, hi: Fraction) -> list[Value]:
    """The real roots in ``[lo, hi]`` of the numerator of ``f`` (a rational function of
    ``x`` alone), exactly; empty when ``f`` is not rational in ``x`` or vanishes identically.
    Rational roots are Fractions, quadratic ones ``sqrt`` forms, others ``CRootOf``."""
    if not isinstance(f, sp.Expr) or f.free_symbols - {x}:
        return []
    try:
        poly = sp.Poly(sp.numer(sp.together(f)), x, domain=sp.QQ)
    except (sp.PolynomialError, sp.CoercionFailed, sp.GeneratorsNeeded):
        return []
    if poly.is_zero or poly.degree() < 1:
        return []
    a, b = sp.Rational(lo), sp.Rational(hi)
    out: list[Value] = []
    for factor, _ in poly.factor_list()[1]:
        if factor.degree() == 1:
            c1, c0 = factor.all_coeffs()
            r = -c0 / c1
            if a <= r <= b:
                out.append(Fraction(int(r.p), int(r.q)))
            continue
        if not factor.intervals(inf=a, sup=b):
            continue
        for root in factor.real_roots():
            if bool(a <= root) and bool(root <= b):
                out.append(root)
    return sorted(out, key=lambda v: float(v))
