"""Perfect Bayesian equilibria of two-type signalling games with symbolic parameters.

The classes are those of :mod:`negotiate.solvers.pbe.exact`; each candidate assessment comes
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

Off the path the receiver's response is pure; the exact method also finds mixed off-path
responses (needed only where no pure one deters), this one does not.
Priors are assumed to have full support (``p(t) > 0``), which is part of every condition;
at a parameter point with a zero prior, bind the game and use the exact method.
Sources: Fudenberg & Tirole (1991), *Game Theory*, ch. 8; Cho & Kreps (1987), *QJE* 102(2).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import sympy as sp

from negotiate.errors import TooLargeError
from negotiate.solvers.pbe.beliefs import OffPathBeliefs, belief_symbol, br_vertices
from negotiate.solvers.pbe.conditions import (
    exact,
    ge,
    holds,
    meet,
    positive,
    sample_points,
    simplify_condition,
)
from negotiate.solvers.pbe.result import (
    KINDS,
    PBEResult,
    build_equilibrium,
)

if TYPE_CHECKING:
    from negotiate.games.signaling import SignalingGame

__all__ = ["SYMBOLIC_WEIGHT", "solve_symbolic"]

#: A symbolic candidate costs about as much as this many exact ones (budget accounting).
SYMBOLIC_WEIGHT = 100


class _Kernel:
    def __init__(self, game: SignalingGame) -> None:
        self.game = game
        self.p = [exact(x) for x in game.priors]
        self.U = [[[exact(x) for x in row] for row in rows] for rows in game.sender_payoffs]
        self.V = [[[exact(x) for x in row] for row in rows] for rows in game.receiver_payoffs]
        self.nm, self.na = len(game.messages), len(game.actions)
        self.base = sp.And(*(x > 0 for x in self.p))

    def best_reply(self, weights: Sequence[sp.Expr], m: int, a: int) -> sp.Basic:
        V = self.V
        parts = [
            ge(sum(w * (V[t][m][a] - V[t][m][b]) for t, w in enumerate(weights)))
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
            frows = [[Fraction(int(x.p), int(x.q)) for x in r] for r in rows]
            return sp.true, OffPathBeliefs.from_vertices(
                game.messages[m], (game.actions[a],), game.types, verts, frows
            )
        ends = [(d1, d0) for d0, d1 in rows]  # f(mu=0) = d1, f(mu=1) = d0
        exists = sp.And(
            *(meet(f, g) for f, g in itertools.combinations([*ends, (0, 1), (1, 0)], 2))
        )
        mu = belief_symbol(game.types[0], game.messages[m])
        cond = sp.And(*(sp.expand(mu * d0 + (1 - mu) * d1) >= 0 for d0, d1 in rows))
        return exists, OffPathBeliefs(game.messages[m], (game.actions[a],), game.types, cond, None)

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
                    parts.append(ge(value, other))
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
                parts = [self.base, positive(q), positive(1 - q)]
                weights = [sp.Integer(0), sp.Integer(0)]
                weights[ts], weights[to] = p[ts] * q, p[to]
                for c in range(self.na):
                    if c not in (a, b):
                        parts += [
                            ge(
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
                    here = [*parts, self.best_reply(unit, other_m, c), ge(r), ge(1 - r)]
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
    return OffPathBeliefs(game.messages[m], (game.actions[a],), game.types, sp.false, ())


def solve_symbolic(game: SignalingGame, max_cost: int) -> PBEResult:
    """Every candidate of the enumerated classes with its condition on the parameters."""
    from negotiate.solvers.pbe.exact import candidate_count

    cost = candidate_count(game) * SYMBOLIC_WEIGHT
    if cost > max_cost:
        raise TooLargeError(
            f"deriving PBE conditions for {game!r}",
            cost=cost,
            budget=max_cost,
            instead="Bind some parameters, or merge equivalent messages or actions.",
        )
    kernel = _Kernel(game)
    samples = sample_points(game)
    equilibria = []
    notes = [
        "priors are assumed to have full support (every condition includes p(t) > 0)",
        "off-path responses are pure; mixed ones (where no pure one deters) need the exact "
        "method on a bound game",
    ]
    for cond, sender, receiver, regions in kernel.pure() + kernel.hybrids():
        cond = simplify_condition(cond, game)
        if cond == sp.false:
            continue
        extra: tuple[str, ...] = ()
        if cond.free_symbols and not any(holds(cond, pt) for pt in samples):
            extra = ("no sample point of the domain satisfies the condition; it may be empty",)
        equilibria.append(
            build_equilibrium(game, sender, receiver, regions, condition=cond, notes=extra)
        )
    regions_by_kind = {
        k: simplify_condition(sp.Or(*(e.condition for e in equilibria if e.kind == k)), game)
        for k in KINDS
    }
    return PBEResult(
        game=game,
        equilibria=tuple(equilibria),
        method="symbolic",
        regions=MappingProxyType(regions_by_kind),
        options=MappingProxyType({"max_cost": max_cost}),
        notes=tuple(notes),
    )
