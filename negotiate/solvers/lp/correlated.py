"""Correlated equilibria of n-player normal-form games, exactly, by LP.

A correlated equilibrium (Aumann 1974, 1987) is a distribution ``mu`` over pure profiles such
that no player gains by disobeying a recommendation: for every player ``i`` and every pair of
strategies ``s != t`` of ``i``::

    sum over s_-i of  mu(s, s_-i) * (u_i(s, s_-i) - u_i(t, s_-i))  >=  0.

Together with ``mu >= 0`` and ``sum(mu) = 1`` these incentive constraints define the correlated
equilibrium polytope (:func:`correlated_polytope`).  It contains every Nash equilibrium (as a
product distribution) and is invariant to positive affine maps of each player's payoffs.

:func:`correlated_equilibrium` maximises a linear welfare ``sum_i w_i u_i(mu)`` over it
(Papadimitriou & Roughgarden 2008 for the LP view).  Each player's incentive rows are rescaled
exactly by the spread of its payoffs; HiGHS solves the LP in floats; the optimal vertex and its
dual are reconstructed exactly and checked (cddlib's exact LP is the fallback, see
:mod:`negotiate.solvers.lp.exact_lp`).  The result's ``verify()`` re-checks every incentive
constraint on the original payoffs (the largest violation is exactly 0) and the exact duality
gap of the welfare LP (exactly 0, so the welfare is optimal).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np

from negotiate._exact import as_fraction
from negotiate.errors import ModelError, NotApplicableError, SolverError, TooLargeError
from negotiate.games.normal import NormalFormGame
from negotiate.results import Certificate, ResultMixin, Summary, Table, to_jsonable
from negotiate.solvers.lp.exact_lp import LinearProgram, Row, check, solve_exact

__all__ = [
    "CorrelatedEquilibrium",
    "CorrelatedPolytope",
    "IncentiveConstraint",
    "correlated_equilibrium",
    "correlated_polytope",
]

#: Default budget for ``profiles * (constraints + profiles)``, the size of the dense LP.
DEFAULT_MAX_COST = 1_000_000
#: Default cap on the number of pure profiles for exact vertex enumeration.
DEFAULT_MAX_VERTEX_PROFILES = 25

Objective = str | Mapping[str, Any] | None


@dataclass(frozen=True)
class IncentiveConstraint:
    """``player``, told ``recommended``, does not gain by playing ``deviation``.

    ``terms`` are the nonzero coefficients ``(profile index, u_i(s) - u_i(t, s_-i))`` of the
    row ``sum terms * mu >= 0``, in the game's own payoff units.
    """

    player: str
    recommended: str
    deviation: str
    terms: tuple[tuple[int, Fraction], ...]


@dataclass(frozen=True, repr=False)
class CorrelatedPolytope(ResultMixin):
    """The correlated equilibria of ``game``: ``mu >= 0``, ``sum(mu) = 1``, incentive rows."""

    game: NormalFormGame
    profiles: tuple[tuple[str, ...], ...]
    constraints: tuple[IncentiveConstraint, ...]

    def _describe(self) -> str:
        return f"{len(self.profiles)} pure profiles, {len(self.constraints)} incentive constraints"

    def verify(self) -> Certificate:
        """Exact: a point mass on a pure profile satisfies every incentive row iff the profile
        is a pure Nash equilibrium (checked by brute force over unilateral deviations), and
        each row has one term at most per profile."""
        game = self.game
        arrays = [game.payoff_array(i) for i in range(game.n_players)]
        index = list(np.ndindex(*game.shape))
        mismatches = 0
        for k, idx in enumerate(index):
            nash = all(
                arrays[i][idx] >= arrays[i][(*idx[:i], t, *idx[i + 1 :])]
                for i in range(game.n_players)
                for t in range(game.shape[i])
            )
            mass = [Fraction(int(j == k)) for j in range(len(self.profiles))]
            inside = self.max_violation(mass) == 0
            mismatches += inside != nash
        well_formed = all(len({k for k, _ in c.terms}) == len(c.terms) for c in self.constraints)
        # every incentive row re-derived from the payoffs: for player i told r, deviation t,
        # the coefficient of profile s (with s_i = r) is u_i(s) - u_i(t, s_-i), zeros left out
        expected: set[tuple[str, str, str, tuple[tuple[int, Fraction], ...]]] = set()
        for i in range(game.n_players):
            labels = game.strategies[i]
            for r in range(game.shape[i]):
                for t in range(game.shape[i]):
                    if t == r:
                        continue
                    terms = []
                    for k, idx in enumerate(index):
                        if idx[i] != r:
                            continue
                        gain = arrays[i][idx] - arrays[i][(*idx[:i], t, *idx[i + 1 :])]
                        if gain != 0:
                            terms.append((k, Fraction(gain)))
                    if terms:
                        expected.add((game.players[i], labels[r], labels[t], tuple(terms)))
        reported = {
            (c.player, c.recommended, c.deviation, tuple((k, Fraction(v)) for k, v in c.terms))
            for c in self.constraints
        }
        rows_differ = len(expected ^ reported)
        return Certificate(
            ok=mismatches == 0
            and well_formed
            and len(index) == len(self.profiles)
            and rows_differ == 0,
            quantities={
                "profiles": len(index),
                "point_mass_mismatches": mismatches,
                "incentive_rows_differing": rows_differ,
            },
            checks=(
                "a point mass is inside iff its profile is a pure Nash equilibrium",
                "one term per profile in every incentive row",
                "every incentive row re-derived from the payoffs",
            ),
        )

    def matrix(self) -> np.ndarray:
        """The incentive constraints as an exact (constraints x profiles) object array."""
        out = np.full((len(self.constraints), len(self.profiles)), Fraction(0), dtype=object)
        for r, con in enumerate(self.constraints):
            for k, a in con.terms:
                out[r, k] = a
        return out

    def distribution_vector(self, distribution: Any, field: str = "distribution") -> list[Fraction]:
        """Validate a distribution (mapping from profile labels, or a vector) exactly."""
        n = len(self.profiles)
        raw: list[Any] = [0] * n
        if isinstance(distribution, Mapping):
            index = {p: k for k, p in enumerate(self.profiles)}
            for key, value in distribution.items():
                if tuple(key) not in index:
                    raise ModelError(f"{field}[{key!r}]", value, "unknown pure profile")
                raw[index[tuple(key)]] = value
        elif isinstance(distribution, Sequence | np.ndarray) and len(distribution) == n:
            raw = list(distribution)
        else:
            raise ModelError(field, distribution, f"expected a mapping or {n} probabilities")
        vec = []
        for k, value in enumerate(raw):
            name = f"{field}[{self.profiles[k]!r}]"
            x = as_fraction(value, name)
            if x < 0:
                raise ModelError(name, value, "probabilities must be non-negative")
            vec.append(x)
        if sum(vec) != 1:
            raise ModelError(field, None, f"probabilities sum to {sum(vec)}, not 1")
        return vec

    def slacks(self, distribution: Any) -> tuple[Fraction, ...]:
        """Each incentive constraint's slack at ``distribution`` (exact; negative = violated)."""
        vec = self.distribution_vector(distribution)
        return tuple(sum((a * vec[k] for k, a in c.terms), Fraction(0)) for c in self.constraints)

    def max_violation(self, distribution: Any) -> Fraction:
        """The largest incentive violation at ``distribution``: 0 exactly for an equilibrium."""
        return max([Fraction(0), *(-s for s in self.slacks(distribution))])

    def contains(self, distribution: Any) -> bool:
        return self.max_violation(distribution) == 0

    def vertices(
        self, *, max_profiles: int = DEFAULT_MAX_VERTEX_PROFILES
    ) -> tuple[dict[tuple[str, ...], Fraction], ...]:
        """The extreme points of the polytope, exactly (cddlib vertex enumeration in GMP)."""
        import cdd
        import cdd.gmp

        n = len(self.profiles)
        if n > max_profiles:
            raise TooLargeError(
                f"vertex enumeration of the correlated polytope with {n} profiles",
                cost=n,
                budget=max_profiles,
                instead="Pass max_profiles= to allow it, or maximise a welfare with "
                "correlated_equilibrium().",
            )
        rows = [[Fraction(0), *r] for r in self.matrix().tolist()]
        rows += [[Fraction(0)] + [Fraction(int(j == k)) for j in range(n)] for k in range(n)]
        rows.append([Fraction(-1)] + [Fraction(1)] * n)
        mat = cdd.gmp.matrix_from_array(
            rows, lin_set={len(rows) - 1}, rep_type=cdd.RepType.INEQUALITY
        )
        gen = cdd.gmp.copy_generators(cdd.gmp.polyhedron_from_matrix(mat))
        out = []
        for row in gen.array:
            if row[0] != 1:  # pragma: no cover - the polytope is bounded
                raise SolverError("unexpected ray", solver="cddlib", status="unbounded")
            out.append(
                {p: Fraction(v) for p, v in zip(self.profiles, row[1:], strict=True) if v != 0}
            )
        return tuple(out)

    def summary(self) -> Summary:
        rows = tuple((c.player, c.recommended, c.deviation, len(c.terms)) for c in self.constraints)
        return Summary(
            title="Correlated equilibrium polytope",
            fields=(("pure profiles", len(self.profiles)), ("incentive constraints", len(rows))),
            tables=(
                Table("incentive constraints", ("player", "told", "deviation", "terms"), rows),
            ),
            notes=("also: every probability >= 0 and the probabilities sum to 1",),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "players": list(self.game.players),
            "profiles": [list(p) for p in self.profiles],
            "constraints": [
                {
                    "player": c.player,
                    "recommended": c.recommended,
                    "deviation": c.deviation,
                    "terms": [[k, to_jsonable(a)] for k, a in c.terms],
                }
                for c in self.constraints
            ],
        }


def correlated_polytope(game: NormalFormGame) -> CorrelatedPolytope:
    """The incentive constraints of the correlated equilibria of ``game`` (exact, labelled)."""
    if not isinstance(game, NormalFormGame):
        raise NotApplicableError(f"expected a NormalFormGame, got {type(game).__name__}")
    shape = game.shape
    index = list(np.ndindex(*shape))
    position = {idx: k for k, idx in enumerate(index)}
    profiles = tuple(tuple(game.strategies[i][j] for i, j in enumerate(idx)) for idx in index)
    constraints = []
    for i, player in enumerate(game.players):
        u = game.payoff_array(i)
        for s in range(shape[i]):
            rows = [idx for idx in index if idx[i] == s]
            for t in range(shape[i]):
                if t == s:
                    continue
                terms = []
                for idx in rows:
                    dev = (*idx[:i], t, *idx[i + 1 :])
                    a = u[idx] - u[dev]
                    if a:
                        terms.append((position[idx], a))
                constraints.append(
                    IncentiveConstraint(
                        player, game.strategies[i][s], game.strategies[i][t], tuple(terms)
                    )
                )
    return CorrelatedPolytope(game, profiles, tuple(constraints))


def _weights(game: NormalFormGame, objective: Objective) -> dict[str, Fraction] | None:
    if objective is None:
        return None
    if isinstance(objective, str):
        if objective != "utilitarian":
            raise ModelError(
                "objective",
                objective,
                "expected 'utilitarian', a mapping player -> weight, or None",
            )
        return dict.fromkeys(game.players, Fraction(1))
    if not isinstance(objective, Mapping):
        raise ModelError("objective", objective, "expected 'utilitarian', a mapping, or None")
    weights = dict.fromkeys(game.players, Fraction(0))
    for key, value in objective.items():
        if key not in weights:
            raise ModelError(f"objective[{key!r}]", value, f"unknown player; {list(game.players)}")
        weights[key] = as_fraction(value, f"objective[{key!r}]")
    return weights


def _lp(poly: CorrelatedPolytope, weights: dict[str, Fraction] | None) -> LinearProgram:
    """The welfare LP with each player's incentive rows divided by its payoff spread."""
    game = poly.game
    spans = {}
    for i, p in enumerate(game.players):
        flat = game.payoff_array(i).ravel()
        spans[p] = (max(flat) - min(flat)) or Fraction(1)
    n = len(poly.profiles)
    ge: list[Row] = [
        ({k: a / spans[c.player] for k, a in c.terms}, Fraction(0)) for c in poly.constraints
    ]
    ge += [({k: Fraction(1)}, Fraction(0)) for k in range(n)]
    eq: list[Row] = [(dict.fromkeys(range(n), Fraction(1)), Fraction(1))]
    c = [Fraction(0)] * n
    if weights:
        arrays = [game.payoff_array(i).ravel() for i in range(game.n_players)]
        for i, p in enumerate(game.players):
            if weights[p]:
                for k in range(n):
                    c[k] += weights[p] * arrays[i][k]
        top = max(abs(v) for v in c) or Fraction(1)
        c = [v / top for v in c]  # a positive multiple: the same optimum, better conditioned
    return LinearProgram(tuple(c), tuple(eq), tuple(ge))


@dataclass(frozen=True, repr=False)
class CorrelatedEquilibrium(ResultMixin):
    """A correlated equilibrium maximising ``objective`` (``None``: any equilibrium).

    ``distribution`` maps each pure profile in the support (a tuple of strategy labels, one per
    player) to its probability; profiles not listed have probability 0.
    """

    game: NormalFormGame
    distribution: Mapping[tuple[str, ...], Fraction]
    payoffs: tuple[Fraction, ...]
    objective: Mapping[str, Fraction] | None
    welfare: Fraction | None
    method: str
    notes: tuple[str, ...] = ()
    _dual: tuple[tuple[Fraction, ...], tuple[Fraction, ...]] = field(default=((), ()), repr=False)

    def _describe(self) -> str:
        pay = ", ".join(str(x) for x in self.payoffs)
        return f"{len(self.distribution)} profiles in the support, payoffs ({pay}) ({self.method})"

    def probability(self, profile: Sequence[str]) -> Fraction:
        return self.distribution.get(tuple(profile), Fraction(0))

    def payoff(self, player: str | int) -> Fraction:
        return self.payoffs[self.game.player_index(player)]

    def verify(self) -> Certificate:
        """Exact: every incentive constraint holds, and the welfare LP's duality gap is 0."""
        poly = correlated_polytope(self.game)
        vec = [self.probability(p) for p in poly.profiles]
        slacks = [sum((a * vec[k] for k, a in c.terms), Fraction(0)) for c in poly.constraints]
        violation = max([Fraction(0), *(-s for s in slacks)])
        well_formed = all(v >= 0 for v in vec) and sum(vec) == 1
        quantities: dict[str, Any] = {
            "max_incentive_violation": violation,
            "probability_sum": sum(vec, Fraction(0)),
            "min_probability": min(vec),
            "payoffs": self.payoffs,
        }
        expected = tuple(
            sum(
                (x * self.game.payoff(i, prof) for prof, x in zip(poly.profiles, vec, strict=True)),
                Fraction(0),
            )
            for i in range(self.game.n_players)
        )
        ok = well_formed and violation == 0 and expected == tuple(self.payoffs)
        checks = [
            "probabilities are non-negative and sum to 1",
            "every incentive constraint",
            "payoffs are the expectations under the distribution",
        ]
        if self.objective is not None:
            lp = _lp(poly, dict(self.objective))
            reason = check(lp, tuple(vec), *self._dual)
            welfare = sum((w * self.payoff(p) for p, w in self.objective.items()), Fraction(0))
            quantities["welfare"] = welfare
            quantities["duality_gap"] = Fraction(0) if reason is None else None
            ok = ok and reason is None and welfare == self.welfare
            checks.append("welfare optimal: dual feasible with zero duality gap")
        return Certificate(ok=ok, quantities=quantities, exact=True, checks=tuple(checks))

    def summary(self) -> Summary:
        rows = tuple((" / ".join(p), x) for p, x in self.distribution.items())
        fields_: list[tuple[str, Any]] = [
            (f"payoff of {p}", x) for p, x in zip(self.game.players, self.payoffs, strict=True)
        ]
        if self.objective is not None:
            weights = ", ".join(f"{p}: {w}" for p, w in self.objective.items())
            fields_ += [("objective weights", weights), ("welfare", self.welfare)]
        fields_ += [("method", self.method), ("exact", True)]
        return Summary(
            title="Correlated equilibrium" + (f" ({self.game.title})" if self.game.title else ""),
            fields=tuple(fields_),
            tables=(Table("distribution over pure profiles", ("profile", "probability"), rows),),
            notes=self.notes,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "players": list(self.game.players),
            "distribution": [
                {
                    "profile": dict(zip(self.game.players, p, strict=True)),
                    "probability": to_jsonable(x),
                }
                for p, x in self.distribution.items()
            ],
            "payoffs": to_jsonable(dict(zip(self.game.players, self.payoffs, strict=True))),
            "objective": None if self.objective is None else to_jsonable(dict(self.objective)),
            "welfare": to_jsonable(self.welfare),
            "method": self.method,
            "notes": list(self.notes),
        }


def correlated_equilibrium(
    game: NormalFormGame,
    objective: Objective = "utilitarian",
    *,
    max_cost: float = DEFAULT_MAX_COST,
) -> CorrelatedEquilibrium:
    """A correlated equilibrium of ``game`` maximising a linear welfare, exactly.

    ``objective`` is ``"utilitarian"`` (the sum of payoffs), a mapping ``player -> weight``
    (``sum_i w_i u_i``; players left out weigh 0), or ``None`` (any correlated equilibrium).
    Raises :class:`TooLargeError` when the LP size ``profiles * (constraints + profiles)``
    exceeds ``max_cost``, and :class:`SolverError` if no exactly verified optimum is found.
    """
    poly = correlated_polytope(game)
    weights = _weights(game, objective)
    n = len(poly.profiles)
    cost = float(n * (len(poly.constraints) + n))
    if cost > max_cost:
        raise TooLargeError(
            f"correlated-equilibrium LP over {n} pure profiles",
            cost=cost,
            budget=max_cost,
            instead="Pass max_cost= to allow it, or reduce the strategy sets.",
        )
    lp = _lp(poly, weights)
    sol = solve_exact(lp)
    mu = sol.x
    distribution = {p: x for p, x in zip(poly.profiles, mu, strict=True) if x != 0}
    payoffs = tuple(
        sum((x * a for x, a in zip(mu, game.payoff_array(i).ravel(), strict=True)), Fraction(0))
        for i in range(game.n_players)
    )
    welfare = None
    if weights is not None:
        welfare = sum((w * payoffs[i] for i, w in enumerate(weights.values())), Fraction(0))
    notes = []
    if game.float_input:
        notes.append("payoffs were given as floats and read as their shortest decimal repr")
    if weights is None:
        notes.append("no objective: one correlated equilibrium (a vertex of the polytope)")
    result = CorrelatedEquilibrium(
        game=game,
        distribution=MappingProxyType(distribution),
        payoffs=payoffs,
        objective=None if weights is None else MappingProxyType(weights),
        welfare=welfare,
        method=sol.route,
        notes=tuple(notes),
        _dual=(sol.y, sol.u),
    )
    if not result.verify().ok:  # pragma: no cover - the LP pair was already checked exactly
        raise SolverError("correlated equilibrium fails the exact check", solver=sol.route)
    return result
