"""Exact enumeration of perfect Bayesian equilibria of a finite signalling game.

Classes enumerated (Fudenberg & Tirole 1991, *Game Theory*, sec. 8.2; Gibbons 1992, ch. 4):

* **Pure sender strategies** ``sigma: T -> M`` (separating, pooling, partially pooling).
  At each message sent, the receiver's belief is the Bayes posterior
  ``mu(t|m) = p(t) [sigma(t) = m] / sum_s p(s) [sigma(s) = m]`` and its action a pure best
  reply to it (every one, when several tie).
* **Semi-separating**: one type ``t*`` sends ``m1`` with probability ``q`` and ``m2`` with
  ``1 - q`` (``0 < q < 1``), the others are pure.  ``q`` is pinned by the receiver's
  indifference between two actions ``a, a'`` at ``m1`` (the posterior there is linear in
  ``q`` after clearing the denominator), and the receiver's mixing probability ``r`` on ``a``
  by ``t*``'s indifference between ``m1`` and ``m2``.  Configurations in which ``q`` or
  ``r`` is not pinned (a continuum of equilibria) are not enumerated.
* **Off the path** the receiver plays a pure action that is a best reply to some belief; the
  belief set is the exact polytope of :func:`~negotiate.solvers.pbe_beliefs.br_vertices`.
  Where no such action deters every type (``u_S(t, m, a) <= U*(t)``), the receiver mixes
  over a set of actions that are best replies together at some belief (it is then
  indifferent), with a deterring mixture; the centroid of the deterring mixtures'
  vertices is reported.

Each equilibrium is also tested against the Intuitive Criterion (Cho & Kreps 1987, *QJE*
102(2): 179-221): for an off-path ``m`` let ``J`` be the types for which ``m`` is equilibrium
dominated (``U*(t) > max`` over best replies to any belief); the equilibrium fails if some
type outside ``J`` gets more than ``U*`` from every best reply to beliefs on the other types.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, cast

from negotiate.errors import TooLargeError
from negotiate.solvers.pbe.beliefs import OffPathBeliefs, br_vertices, expected, polytope_vertices
from negotiate.solvers.pbe.equilibrium import PerfectBayesianEquilibrium, build_equilibrium

if TYPE_CHECKING:
    from negotiate.games.signaling import SignalingGame

__all__ = ["assemble", "candidate_count", "residuals", "solve_exact"]

Mix = dict[int, Fraction]
_ZERO = Fraction(0)


def candidate_count(game: SignalingGame) -> int:
    """An upper bound on the candidate assessments the enumeration visits."""
    nt, nm, na = len(game.types), len(game.messages), len(game.actions)
    pure = nm**nt * na**nm
    hybrid = nt * math.comb(nm, 2) * nm ** (nt - 1) * 2 * math.comb(na, 2) * na**nm
    return pure + hybrid


def solve_exact(
    game: SignalingGame, max_cost: int
) -> tuple[list[PerfectBayesianEquilibrium], list[str]]:
    """All equilibria in the enumerated classes (see the module docstring), deduplicated."""
    cost = candidate_count(game)
    if cost > max_cost:
        raise TooLargeError(
            f"enumerating the PBE of {game!r}",
            cost=cost,
            budget=max_cost,
            instead="Merge equivalent messages or actions, or pass a larger max_cost=.",
        )
    nt, nm = len(game.types), len(game.messages)
    found: dict[tuple[Any, ...], PerfectBayesianEquilibrium] = {}
    notes: set[str] = set()
    for sigma in itertools.product(range(nm), repeat=nt):
        sender: list[Mix] = [{m: Fraction(1)} for m in sigma]
        for eq in _complete(game, sender, {}):
            found.setdefault(eq.key(), eq)
    for eq in _hybrids(game, notes):
        found.setdefault(eq.key(), eq)
    return list(found.values()), sorted(notes)


def _posterior(game: SignalingGame, sender: Sequence[Mix], m: int) -> list[Fraction] | None:
    weights = [cast(Fraction, game.priors[t]) * sender[t].get(m, _ZERO) for t in range(len(sender))]
    total = sum(weights, Fraction(0))
    return None if total == 0 else [w / total for w in weights]


def _best_replies(game: SignalingGame, belief: Sequence[Fraction], m: int) -> list[int]:
    V = game.receiver_payoffs
    values = [expected(V, belief, m, a) for a in range(len(game.actions))]
    top = max(values)
    return [a for a, v in enumerate(values) if v == top]


def _complete(
    game: SignalingGame, sender: Sequence[Mix], fixed: Mapping[int, Mix]
) -> list[PerfectBayesianEquilibrium]:
    """Equilibria with this sender strategy; ``fixed`` receiver mixtures are kept as given."""
    choices: list[list[Mix]] = []
    for m in range(len(game.messages)):
        if m in fixed:
            choices.append([fixed[m]])
            continue
        belief = _posterior(game, sender, m)
        if belief is None:
            choices.append([{}])  # off path: decided below
        else:
            choices.append([{a: Fraction(1)} for a in _best_replies(game, belief, m)])
    out = []
    for receiver in itertools.product(*choices):
        out += _finish(game, sender, list(receiver))
    return out


def _value(game: SignalingGame, t: int, m: int, mix: Mix) -> Fraction:
    U = game.sender_payoffs
    return sum((r * cast(Fraction, U[t][m][a]) for a, r in mix.items()), _ZERO)


def _finish(
    game: SignalingGame, sender: Sequence[Mix], receiver: list[Mix]
) -> list[PerfectBayesianEquilibrium]:
    """Add off-path responses and keep the profiles in which every type's messages are best
    replies.  Off path the receiver plays a pure action that is a best reply to some belief;
    only where no such action deters every type does it mix (see :func:`_mixed_options`)."""
    nm = len(game.messages)
    off = [m for m in range(nm) if not receiver[m]]
    own = _own_values(game, sender, receiver)
    options: list[list[tuple[Mix, OffPathBeliefs]]] = []
    for m in off:
        opts = [
            ({a: Fraction(1)}, r)
            for a in range(len(game.actions))
            if (r := _region(game, m, (a,))) is not None
        ]
        if own is not None and not any(_deters(game, m, mix, own) for mix, _ in opts):
            opts += _mixed_options(game, m, own)
        options.append(opts)
    out = []
    for combo in itertools.product(*options):
        full = list(receiver)
        for m, (mix, _) in zip(off, combo, strict=True):
            full[m] = mix
        star = []
        for t, smix in enumerate(sender):
            values = [_value(game, t, m, full[m]) for m in range(nm)]
            if any(values[m] != max(values) for m in smix):
                break
            star.append(max(values))
        else:
            regions = {m: region for m, (_, region) in zip(off, combo, strict=True)}
            intuitive = _intuitive(game, star, off)
            out.append(build_equilibrium(game, sender, full, regions, intuitive=intuitive))
    return out


def _own_values(
    game: SignalingGame, sender: Sequence[Mix], receiver: Sequence[Mix]
) -> list[Fraction] | None:
    """Each type's payoff from its own messages, if they are all on the path."""
    out = []
    for t, smix in enumerate(sender):
        if any(not receiver[m] for m in smix):
            return None
        out.append(max(_value(game, t, m, receiver[m]) for m in smix))
    return out


def _deters(game: SignalingGame, m: int, mix: Mix, own: Sequence[Fraction]) -> bool:
    return all(_value(game, t, m, mix) <= own[t] for t in range(len(own)))


def _mixed_options(
    game: SignalingGame, m: int, own: Sequence[Fraction]
) -> list[tuple[Mix, OffPathBeliefs]]:
    """Mixed off-path responses that deter every type: for each set ``S`` of two or more
    actions that are best replies together at some belief, the deterring mixtures on ``S``
    form a polytope ``{rho: sum_a rho_a u_S(t, m, a) <= U*(t) for all t}``; its vertex
    centroid represents it when it has full support on ``S``."""
    U = game.sender_payoffs
    out = []
    na = len(game.actions)
    for size in range(2, na + 1):
        for acts in itertools.combinations(range(na), size):
            region = _region(game, m, acts)
            if region is None:
                continue
            rows = [[Fraction(0)] + [Fraction(int(b == a)) for b in acts] for a in acts]
            rows += [[own[t]] + [-Fraction(U[t][m][a]) for a in acts] for t in range(len(own))]
            rows.append([Fraction(-1)] + [Fraction(1)] * size)
            verts = polytope_vertices(rows, {len(rows) - 1})
            if not verts:
                continue
            centre = [sum((v[i] for v in verts), Fraction(0)) / len(verts) for i in range(size)]
            if min(centre) > 0:
                out.append((dict(zip(acts, centre, strict=True)), region))
    return out


def _region(game: SignalingGame, m: int, acts: Sequence[int]) -> OffPathBeliefs | None:
    return _region_cached(game, m, tuple(acts))


@functools.lru_cache(maxsize=4096)
def _region_cached(game: SignalingGame, m: int, acts: tuple[int, ...]) -> OffPathBeliefs | None:
    V = game.receiver_payoffs
    verts = br_vertices(V, m, acts)
    if not verts:
        return None
    rows = [
        [Fraction(V[t][m][a] - V[t][m][b]) for t in range(len(game.types))]
        for a in acts
        for b in range(len(game.actions))
        if b != a
    ]
    labels = tuple(game.actions[a] for a in acts)
    return OffPathBeliefs.from_vertices(game.messages[m], labels, game.types, verts, rows)


@functools.lru_cache(maxsize=4096)
def _supportable(game: SignalingGame, m: int, a: int, support: tuple[int, ...] | None) -> bool:
    """Whether ``a`` is a best reply at ``m`` to some belief (on ``support``, if given)."""
    return bool(br_vertices(game.receiver_payoffs, m, a, support=support))


def _intuitive(game: SignalingGame, star: Sequence[Fraction], off: Sequence[int]) -> bool:
    U = game.sender_payoffs
    nt, na = len(game.types), len(game.actions)
    for m in off:
        replies = [a for a in range(na) if _supportable(game, m, a, None)]
        dominated = {t for t in range(nt) if star[t] > max(Fraction(U[t][m][a]) for a in replies)}
        rest = [t for t in range(nt) if t not in dominated]
        if not rest:
            continue
        restricted = [a for a in range(na) if _supportable(game, m, a, tuple(rest))]
        for t in rest:
            if star[t] < min(Fraction(U[t][m][a]) for a in restricted):
                return False
    return True


def _hybrids(game: SignalingGame, notes: set[str]) -> list[PerfectBayesianEquilibrium]:
    V, p = game.receiver_payoffs, game.priors
    nt, nm, na = len(game.types), len(game.messages), len(game.actions)
    out = []
    for ts in range(nt):
        others = [t for t in range(nt) if t != ts]
        for m1, m2 in itertools.combinations(range(nm), 2):
            for assign in itertools.product(range(nm), repeat=nt - 1):
                for mix_m, other_m in ((m1, m2), (m2, m1)):
                    for a, b in itertools.combinations(range(na), 2):
                        coef = Fraction(p[ts]) * (V[ts][mix_m][a] - V[ts][mix_m][b])
                        const = sum(
                            (
                                Fraction(p[t]) * (V[t][mix_m][a] - V[t][mix_m][b])
                                for t, m in zip(others, assign, strict=True)
                                if m == mix_m
                            ),
                            Fraction(0),
                        )
                        if coef == 0:
                            if const == 0 and p[ts] != 0:
                                notes.add(
                                    "a receiver indifferent at every mixing probability: "
                                    "continua of semi-separating equilibria not enumerated"
                                )
                            continue
                        q = -const / coef
                        if not 0 < q < 1:
                            continue
                        sender: list[Mix] = [{} for _ in range(nt)]
                        sender[ts] = {mix_m: q, other_m: 1 - q}
                        for t, m in zip(others, assign, strict=True):
                            sender[t] = {m: Fraction(1)}
                        belief = _posterior(game, sender, mix_m)
                        assert belief is not None  # q > 0 and p[ts] > 0 (coef != 0)
                        replies = _best_replies(game, belief, mix_m)
                        if a not in replies or b not in replies:
                            continue
                        out += _pin_receiver(game, sender, ts, mix_m, other_m, a, b, notes)
    return out


def _pin_receiver(
    game: SignalingGame,
    sender: list[Mix],
    ts: int,
    mix_m: int,
    other_m: int,
    a: int,
    b: int,
    notes: set[str],
) -> list[PerfectBayesianEquilibrium]:
    U = game.sender_payoffs
    belief = _posterior(game, sender, other_m)
    assert belief is not None  # t* sends other_m with probability 1 - q > 0
    out = []
    for c in _best_replies(game, belief, other_m):
        gap = Fraction(U[ts][mix_m][a] - U[ts][mix_m][b])
        target = Fraction(U[ts][other_m][c]) - Fraction(U[ts][mix_m][b])
        if gap == 0:
            if target == 0:
                notes.add(
                    "a sender type indifferent at every receiver mixture: "
                    "continua of semi-separating equilibria not enumerated"
                )
            continue
        r = target / gap
        if not 0 <= r <= 1:
            continue
        fixed = {mix_m: {a: r, b: 1 - r}, other_m: {c: Fraction(1)}}
        fixed[mix_m] = {k: v for k, v in fixed[mix_m].items() if v != 0}
        out += _complete(game, sender, fixed)
    return out


def assemble(
    game: SignalingGame, sender: Sequence[Mix], receiver: Sequence[Mix]
) -> PerfectBayesianEquilibrium:
    """The record of an assessment given by index-based strategies on a numeric game.

    Off-path messages (sent with probability 0) get the set of beliefs at which the
    receiver's actions there are best replies; used to evaluate symbolic equilibria.
    """
    regions = {}
    for m in range(len(game.messages)):
        if _posterior(game, sender, m) is None:
            region = _region(game, m, sorted(receiver[m]))
            if region is None:
                raise ArithmeticError(f"no belief supports the response at {game.messages[m]}")
            regions[m] = region
    star = [
        max(_value(game, t, m, receiver[m]) for m in range(len(game.messages)))
        for t in range(len(game.types))
    ]
    intuitive = _intuitive(game, star, list(regions))
    return build_equilibrium(game, sender, receiver, regions, intuitive=intuitive)


def residuals(game: SignalingGame, eq: PerfectBayesianEquilibrium) -> dict[str, Fraction]:
    """Exact residuals of an equilibrium of a numeric game: all zero iff it is a PBE."""
    V = game.receiver_payoffs
    T, M, A = game.types, game.messages, game.actions
    sender = [{M.index(m): Fraction(q) for m, q in eq.sender_mixture(t).items()} for t in T]
    receiver = [{A.index(a): Fraction(r) for a, r in eq.receiver_mixture(m).items()} for m in M]
    out = {
        k: Fraction(0) for k in ("sender_regret", "receiver_regret", "bayes_error", "payoff_error")
    }
    for mix in sender + receiver:
        if sum(mix.values()) != 1 or min(mix.values()) < 0:
            out["bayes_error"] = max(out["bayes_error"], Fraction(1))
    for t in range(len(T)):
        values = [_value(game, t, m, receiver[m]) for m in range(len(M))]
        worst = min(values[m] for m, q in sender[t].items() if q > 0)
        out["sender_regret"] = max(out["sender_regret"], max(values) - worst)
        got = sum((q * values[m] for m, q in sender[t].items()), Fraction(0))
        out["payoff_error"] = max(out["payoff_error"], abs(got - Fraction(eq.type_payoffs[T[t]])))
    for m in range(len(M)):
        belief = _posterior(game, sender, m)
        stated = eq.beliefs[M[m]]
        if belief is None:
            if not isinstance(stated, OffPathBeliefs) or stated.vertices is None:
                out["bayes_error"] = max(out["bayes_error"], Fraction(1))
                continue
            points: list[Sequence[Fraction]] = list(stated.vertices)
            if not points or set(receiver[m]) - {A.index(a) for a in stated.actions}:
                out["receiver_regret"] = max(out["receiver_regret"], Fraction(1))
        else:
            if isinstance(stated, OffPathBeliefs):
                out["bayes_error"] = max(out["bayes_error"], Fraction(1))
                continue
            error = max(abs(Fraction(stated[T[t]]) - belief[t]) for t in range(len(T)))
            out["bayes_error"] = max(out["bayes_error"], error)
            points = [belief]
        for mu in points:
            best = max(expected(V, mu, m, a) for a in range(len(A)))
            got = sum((r * expected(V, mu, m, a) for a, r in receiver[m].items()), Fraction(0))
            out["receiver_regret"] = max(out["receiver_regret"], best - got)
    return out
