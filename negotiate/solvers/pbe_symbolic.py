"""Perfect Bayesian equilibria of two-type signalling games with symbolic parameters.

The classes are those of :mod:`negotiate.solvers.pbe_exact`; each candidate assessment comes
with the condition on the parameters under which it is an equilibrium, a sympy Boolean with
no division (``N/D >= 0`` is written ``(D > 0 & N >= 0) | (D < 0 & N <= 0)``), so it never
evaluates to ``zoo`` or ``nan``.  With types ``t0, t1`` and belief ``mu = mu(t0|m)``:

* receiver best reply at an on-path ``m``: ``sum_t w_t [u_R(t,m,a) - u_R(t,m,b)] >= 0`` for
  all ``b``, with ``w_t = p(t) sigma_t(m)`` (Bayes' rule, denominator cleared);
* off path, ``a`` is a best reply to *some* belief iff the intervals
  ``{mu in [0,1]: f_b(mu) >= 0}``, ``f_b(mu) = mu d0_b + (1 - mu) d1_b``, meet; by Helly's
  theorem in one dimension iff every pair meets, and two meet iff
  ``(f(0) >= 0 & g(0) >= 0) | (f(1) >= 0 & g(1) >= 0) | (f(0) >= 0 & g(1) >= 0 &
  f(0) g(1) - g(0) f(1) >= 0)`` or the same with ``f, g`` swapped;
* semi-separating: ``q = -p(t') D' / (p(t*) D*)`` from the receiver's indifference, and
  ``r`` from ``t*``'s indifference, each required to lie in its range.

Priors are assumed to have full support (``p(t) > 0``), which is part of every condition;
at a parameter point with a zero prior, bind the game and use the exact method.
Sources: Fudenberg & Tirole (1991), *Game Theory*, ch. 8; Cho & Kreps (1987), *QJE* 102(2).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping, Sequence
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import sympy as sp

from negotiate.errors import ModelError
from negotiate.results import Certificate
from negotiate.solvers.pbe_beliefs import OffPathBeliefs, belief_symbol, br_vertices
from negotiate.solvers.pbe_result import (
    KINDS,
    PBEResult,
    PerfectBayesianEquilibrium,
    build_equilibrium,
)

if TYPE_CHECKING:
    from negotiate.games.signaling import SignalingGame

__all__ = ["evaluate_at", "solve_symbolic", "verify_symbolic"]


def _s(v: Any) -> sp.Expr:
    return sp.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else v


def _sign_rel(expr: sp.Expr, op: str) -> sp.Basic:
    """``expr op 0`` without division; ``op`` is one of ``>=``, ``>``, ``==``, ``!=``."""
    num, den = sp.fraction(sp.cancel(sp.together(expr)))
    num = sp.expand(num)
    if op == "==":
        return sp.Eq(num, 0)
    if op == "!=":
        return sp.Ne(num, 0)
    rel = sp.Ge if op == ">=" else sp.Gt
    if den.is_number:
        return rel(num, 0) if den > 0 else rel(-num, 0)
    return sp.Or(sp.And(den > 0, rel(num, 0)), sp.And(den < 0, rel(-num, 0)))


def _ge(a: Any, b: Any = 0) -> sp.Basic:
    return _sign_rel(_s(a) - _s(b), ">=")


def _meet(f: tuple[sp.Expr, sp.Expr], g: tuple[sp.Expr, sp.Expr]) -> sp.Basic:
    """Do ``{mu: f >= 0}`` and ``{mu: g >= 0}`` meet in [0, 1]?  ``f = (f(0), f(1))``."""
    f0, f1 = f
    g0, g1 = g
    det = sp.expand(f0 * g1 - g0 * f1)
    return sp.Or(
        sp.And(f0 >= 0, g0 >= 0),
        sp.And(f1 >= 0, g1 >= 0),
        sp.And(f0 >= 0, g1 >= 0, det >= 0),
        sp.And(g0 >= 0, f1 >= 0, -det >= 0),
    )


class _Kernel:
    def __init__(self, game: SignalingGame) -> None:
        self.game = game
        self.p = [_s(x) for x in game.priors]
        self.U = [[[_s(x) for x in row] for row in rows] for rows in game.sender_payoffs]
        self.V = [[[_s(x) for x in row] for row in rows] for rows in game.receiver_payoffs]
        self.nm, self.na = len(game.messages), len(game.actions)
        self.base = sp.And(*(x > 0 for x in self.p))

    def best_reply(self, weights: Sequence[sp.Expr], m: int, a: int) -> sp.Basic:
        V = self.V
        parts = [
            _ge(sum(w * (V[t][m][a] - V[t][m][b]) for t, w in enumerate(weights)))
            for b in range(self.na)
            if b != a
        ]
        return sp.And(*parts)

    def off_path(self, m: int, a: int) -> tuple[sp.Basic, OffPathBeliefs]:
        """Condition for ``a`` to be a best reply to some belief at ``m``, and the beliefs."""
        game, V = self.game, self.V
        rows = [
            (V[0][m][a] - V[0][m][b], V[1][m][a] - V[1][m][b]) for b in range(self.na) if b != a
        ]
        if all(isinstance(x, Fraction) for x in _column(game.receiver_payoffs, m)):
            verts = br_vertices(game.receiver_payoffs, m, a)
            if not verts:
                return sp.false, _none(game, m, a)
            frows = [[Fraction(int(x.p), int(x.q)) for x in r] for r in rows]  # type: ignore[attr-defined]
            return sp.true, OffPathBeliefs.from_vertices(
                game.messages[m], game.actions[a], game.types, verts, frows
            )
        ends = [(d1, d0) for d0, d1 in rows]  # f(mu=0) = d1, f(mu=1) = d0
        exists = sp.And(
            *(_meet(f, g) for f, g in itertools.combinations([*ends, (0, 1), (1, 0)], 2))
        )
        mu = belief_symbol(game.types[0], game.messages[m])
        cond = sp.And(*(sp.expand(mu * d0 + (1 - mu) * d1) >= 0 for d0, d1 in rows))
        return exists, OffPathBeliefs(game.messages[m], game.actions[a], game.types, cond, None)

    def ic(
        self, sender: Sequence[Mapping[int, Any]], receiver: Sequence[Mapping[int, Any]]
    ) -> sp.Basic:
        """Every type's messages give it at least what any other message would."""
        parts = []
        for t, mix in enumerate(sender):
            own = next(iter(mix))
            value = sum(r * self.U[t][own][a] for a, r in receiver[own].items())
            for m in range(self.nm):
                if m not in mix:
                    other = sum(r * self.U[t][m][a] for a, r in receiver[m].items())
                    parts.append(_ge(value, other))
        return sp.And(*parts)

    def pure(self) -> list[tuple[sp.Basic, Any, Any, dict[int, OffPathBeliefs]]]:
        out = []
        for sigma in itertools.product(range(self.nm), repeat=2):
            sender = [{m: sp.Integer(1)} for m in sigma]
            on = sorted(set(sigma))
            off = [m for m in range(self.nm) if m not in on]
            for acts in itertools.product(range(self.na), repeat=self.nm):
                parts = [self.base]
                for m in on:
                    weights = [self.p[t] if sigma[t] == m else 0 for t in range(2)]
                    parts.append(self.best_reply(weights, m, acts[m]))
                regions = {}
                for m in off:
                    exists, regions[m] = self.off_path(m, acts[m])
                    parts.append(exists)
                receiver = [{a: sp.Integer(1)} for a in acts]
                parts.append(self.ic(sender, receiver))
                cond = sp.And(*parts)
                if cond != sp.false:
                    out.append((cond, sender, receiver, regions))
        return out

    def hybrids(self) -> list[tuple[sp.Basic, Any, Any, dict[int, OffPathBeliefs]]]:
        out = []
        U, V, p = self.U, self.V, self.p
        for ts, mix_m, other_m in itertools.product(range(2), range(self.nm), range(self.nm)):
            if mix_m == other_m:
                continue
            to = 1 - ts
            for a, b in itertools.combinations(range(self.na), 2):
                d_star, d_other = (
                    V[ts][mix_m][a] - V[ts][mix_m][b],
                    V[to][mix_m][a] - V[to][mix_m][b],
                )
                if d_star == 0:
                    continue
                q = sp.cancel(-p[to] * d_other / (p[ts] * d_star))
                parts = [self.base, _sign_rel(q, ">"), _sign_rel(1 - q, ">")]
                weights = [sp.Integer(0), sp.Integer(0)]
                weights[ts], weights[to] = p[ts] * q, p[to]
                for c in range(self.na):
                    if c not in (a, b):
                        parts += [
                            _ge(
                                sum(
                                    w * (V[t][mix_m][a] - V[t][mix_m][c])
                                    for t, w in enumerate(weights)
                                )
                            )
                        ]
                gap = U[ts][mix_m][a] - U[ts][mix_m][b]
                if gap == 0:
                    continue
                for c in range(self.na):
                    unit = [sp.Integer(1) if t == ts else sp.Integer(0) for t in range(2)]
                    r = sp.cancel((U[ts][other_m][c] - U[ts][mix_m][b]) / gap)
                    here = [*parts, self.best_reply(unit, other_m, c), _ge(r), _ge(1 - r)]
                    sender: list[dict[int, Any]] = [{}, {}]
                    sender[ts] = {mix_m: q, other_m: 1 - q}
                    sender[to] = {mix_m: sp.Integer(1)}
                    off = [m for m in range(self.nm) if m not in (mix_m, other_m)]
                    for acts in itertools.product(range(self.na), repeat=len(off)):
                        receiver: list[dict[int, Any]] = [{} for _ in range(self.nm)]
                        receiver[mix_m] = {a: r, b: 1 - r}
                        receiver[other_m] = {c: sp.Integer(1)}
                        regions = {}
                        conds = list(here)
                        for m, act in zip(off, acts, strict=True):
                            exists, regions[m] = self.off_path(m, act)
                            receiver[m] = {act: sp.Integer(1)}
                            conds.append(exists)
                        pure: list[dict[int, Any]] = [{}, {}]
                        pure[ts], pure[to] = {other_m: 1}, {mix_m: 1}
                        conds.append(self.ic(pure, receiver))
                        cond = sp.And(*conds)
                        if cond != sp.false:
                            out.append((cond, sender, receiver, regions))
        return out


def _column(table: Any, m: int) -> list[Any]:
    return [x for rows in table for x in rows[m]]


def _none(game: SignalingGame, m: int, a: int) -> OffPathBeliefs:
    return OffPathBeliefs(game.messages[m], game.actions[a], game.types, sp.false, ())


def _sample_points(
    game: SignalingGame, n_random: int = 24, seed: int = 0
) -> list[dict[str, Fraction]]:
    """A grid (ends, quartiles) over the parameters' domains plus seeded random rationals."""
    names = game.free_parameters
    boxes = []
    for name in names:
        par = game.parameter(name)
        if par.domain is not None:
            boxes.append(par.domain)
        elif par.value is not None:
            boxes.append((par.value - 1, par.value + 1))
        else:
            boxes.append((Fraction(-2), Fraction(2)))
    levels = 5 if len(names) <= 2 else 3
    grids = [[lo + (hi - lo) * Fraction(k, levels - 1) for k in range(levels)] for lo, hi in boxes]
    points = [dict(zip(names, combo, strict=True)) for combo in itertools.product(*grids)][:125]
    rng = random.Random(seed)
    for _ in range(n_random):
        points.append(
            {
                n: lo + (hi - lo) * Fraction(rng.randint(1, 96), 97)
                for n, (lo, hi) in zip(names, boxes, strict=True)
            }
        )
    return points


def _subs(point: Mapping[str, Fraction]) -> dict[sp.Symbol, sp.Rational]:
    from negotiate.expr import symbol

    return {symbol(n): sp.Rational(v.numerator, v.denominator) for n, v in point.items()}


def _holds(cond: sp.Basic, point: Mapping[str, Fraction]) -> bool:
    out = cond.xreplace(_subs(point))
    if out not in (sp.true, sp.false):
        raise ModelError(
            "values",
            dict(point),
            f"the condition still depends on {sorted(map(str, out.free_symbols))}",
        )
    return bool(out)


def _simplify(cond: sp.Basic, game: SignalingGame) -> sp.Basic:
    """One parameter: the condition as intervals of its domain (exact); else as it is."""
    syms = sorted(cond.free_symbols, key=str)
    if len(syms) != 1:
        return cond
    (x,) = syms
    dom = game.parameter(x.name).domain  # type: ignore[attr-defined]
    try:
        cset = cond.as_set()
        if dom is not None:
            cset = cset.intersect(sp.Interval(_s(dom[0]), _s(dom[1])))
    except (NotImplementedError, TypeError, ValueError):
        return cond
    return sp.false if cset is sp.EmptySet else cset.as_relational(x)


def solve_symbolic(game: SignalingGame, max_cost: int) -> PBEResult:
    """Every candidate of the enumerated classes with its condition on the parameters."""
    from negotiate.solvers.pbe_exact import candidate_count

    cost = candidate_count(game)
    if cost > max_cost:
        from negotiate.errors import TooLargeError

        raise TooLargeError(
            f"deriving PBE conditions for {game!r}",
            cost=cost,
            budget=max_cost,
            instead="Bind some parameters, or merge equivalent messages or actions.",
        )
    kernel = _Kernel(game)
    samples = _sample_points(game)
    equilibria = []
    notes = ["priors are assumed to have full support (every condition includes p(t) > 0)"]
    for cond, sender, receiver, regions in kernel.pure() + kernel.hybrids():
        cond = _simplify(cond, game)
        if cond == sp.false:
            continue
        extra: tuple[str, ...] = ()
        if cond.free_symbols and not any(_holds(cond, pt) for pt in samples):
            extra = ("no sample point of the domain satisfies the condition; it may be empty",)
        equilibria.append(
            build_equilibrium(game, sender, receiver, regions, condition=cond, notes=extra)
        )
    regions_by_kind = {
        k: _simplify(sp.Or(*(e.condition for e in equilibria if e.kind == k)), game) for k in KINDS
    }
    return PBEResult(
        game=game,
        equilibria=tuple(equilibria),
        method="symbolic",
        regions=MappingProxyType(regions_by_kind),
        options=MappingProxyType({"max_cost": max_cost}),
        notes=tuple(notes),
    )


def _point(game: SignalingGame, values: Mapping[str, Any]) -> dict[str, Fraction]:
    from negotiate._exact import as_fraction

    point = {}
    for name in game.free_parameters:
        if name in values:
            point[name] = as_fraction(values[name], f"values.{name}")
        elif game.parameter(name).value is not None:
            point[name] = game.parameter(name).value  # type: ignore[assignment]
    return point


def _numeric_mix(
    choice: Mapping[str, Any], labels: Sequence[str], point: Mapping[str, Fraction]
) -> dict[int, Fraction]:
    from negotiate.expr import substitute

    out = {}
    for label, prob in choice.items():
        value = substitute(prob, point, field=f"probability of {label}")
        if not isinstance(value, Fraction):
            raise ModelError(
                "values", dict(point), f"probability of {label} is not rational: {value}"
            )
        if value != 0:
            out[labels.index(label)] = value
    return out


def evaluate_at(
    result: PBEResult, values: Mapping[str, Any]
) -> tuple[PerfectBayesianEquilibrium, ...]:
    """The symbolic equilibria whose condition holds at ``values``, as exact numeric records."""
    from negotiate.solvers.pbe_exact import assemble

    game = result.game
    bound = game.bind(values)
    if not result.symbolic:
        return result.equilibria
    point = _point(game, values)
    found: dict[Any, PerfectBayesianEquilibrium] = {}
    for eq in result.equilibria:
        assert eq.condition is not None
        if not _holds(eq.condition, point):
            continue
        sender = [_numeric_mix(eq.sender_mixture(t), game.messages, point) for t in game.types]
        receiver = [
            _numeric_mix(eq.receiver_mixture(m), game.actions, point) for m in game.messages
        ]
        numeric = assemble(bound, sender, receiver)
        found.setdefault(numeric.key(), numeric)
    return tuple(found.values())


def verify_symbolic(result: PBEResult) -> Certificate:
    """Check a symbolic result at sample points against the exact enumeration.

    At every sample point of the domain: each equilibrium whose condition holds is evaluated
    and checked exactly (regrets, Bayes' rule), and the set of those equilibria must equal
    the set the exact method finds on the bound game.  On-path beliefs are also checked
    symbolically against Bayes' rule.
    """
    from negotiate.solvers.pbe_exact import residuals, solve_exact

    game = result.game
    checked = mismatches = 0
    regret = bayes = Fraction(0)
    notes = []
    for point in _sample_points(game):
        try:
            bound = game.bind(point)
        except ModelError:
            continue
        if 0 in bound.priors:
            continue  # outside the full-support assumption of the conditions
        checked += 1
        expected, _ = solve_exact(bound, int(result.options["max_cost"]))
        got = evaluate_at(result, point)
        if {e.key() for e in expected} != {e.key() for e in got}:
            mismatches += 1
            notes.append(
                f"at {point}: {len(got)} equilibria by the conditions, {len(expected)} exactly"
            )
        for eq in got:
            res = residuals(bound, eq)
            regret = max(regret, res["sender_regret"], res["receiver_regret"])
            bayes = max(bayes, res["bayes_error"])
    symbolic_bayes = 0
    for eq in result.equilibria:
        for m, belief in eq.beliefs.items():
            if isinstance(belief, OffPathBeliefs):
                continue
            j = game.messages.index(m)
            w = [
                _s(game.priors[i]) * _s(eq.sender_mixture(t).get(m, 0))
                for i, t in enumerate(game.types)
            ]
            for i, t in enumerate(game.types):
                if sp.simplify(_s(belief[t]) - w[i] / sum(w)) != 0:
                    symbolic_bayes += 1
                    notes.append(f"belief at {game.messages[j]} differs from Bayes' rule")
    return Certificate(
        ok=checked > 0 and mismatches == 0 and regret == 0 and bayes == 0 and symbolic_bayes == 0,
        quantities={
            "points": checked,
            "mismatches": mismatches,
            "max_regret": regret,
            "bayes_error": bayes,
            "symbolic_bayes_errors": symbolic_bayes,
        },
        exact=True,
        checks=(
            "on-path beliefs equal Bayes' rule identically in the parameters",
            "at sample points: equilibria where their condition holds are exact PBE",
            "at sample points: they are exactly the equilibria the exact method finds",
        ),
        notes=tuple(notes[:20]),
    )
