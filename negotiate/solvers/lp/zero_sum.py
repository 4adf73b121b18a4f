"""The value and optimal strategies of a two-player zero-sum game, exactly, by LP.

For a payoff matrix ``A`` (row player's payoffs; the column player gets ``-A``) von Neumann's
minimax theorem (1928) gives ``v = max_p min_j (p^T A)_j = min_q max_i (A q)_i``.  The row
player's problem is the LP::

    maximise v   subject to   (p^T A)_j >= v  for every column j,   sum(p) = 1,   p >= 0

and its LP dual is the column player's problem: the dual variables of the column constraints
are an optimal ``q`` and the dual variable of ``sum(p) = 1`` is ``v`` (Dantzig 1951; see e.g.
Maschler, Solan & Zamir, *Game Theory*, 2013, ch. 5).

Route: the matrix is rescaled exactly to [0, 1] (``(A - min A) / (max A - min A)``, so no
magnitude is ever a problem), HiGHS solves the LP in floats, the optimal vertex and its dual are
reconstructed exactly from their tight constraints (on the optimal supports), and cddlib's exact
LP is the fallback (:mod:`negotiate.solvers.lp.exact_lp`).  The answer is then certified exactly on
the original matrix: ``min_j (p^T A)_j = max_i (A q)_i = v``.  An unverified float is never
returned.

Constant-sum games (``A + B = k`` everywhere) are strategically zero-sum and are accepted; the
column player's value is then ``k - v``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from negotiate.errors import NotApplicableError, SolverError, TooLargeError
from negotiate.games.normal import NormalFormGame
from negotiate.results import Certificate, ResultMixin, Summary, Table, to_jsonable
from negotiate.solvers.lp.exact_lp import LinearProgram, solve_exact

__all__ = ["ZeroSumSolution", "zero_sum_value"]

#: Default budget for ``(m + n)^3``, the cost of the exact reconstruction (100 x 100: seconds).
DEFAULT_MAX_COST = 8_000_000


@dataclass(frozen=True, repr=False)
class ZeroSumSolution(ResultMixin):
    """The value of a two-player zero-sum game and a pair of optimal (maximin) strategies.

    ``value`` is the row player's value; ``row_strategy`` guarantees at least ``value`` against
    every column and ``column_strategy`` holds the row player to at most ``value``.
    """

    game: NormalFormGame
    value: Fraction
    row_strategy: tuple[Fraction, ...]
    column_strategy: tuple[Fraction, ...]
    constant: Fraction
    method: str
    notes: tuple[str, ...] = field(default=())

    def _describe(self) -> str:
        title = f" of {self.game.title!r}" if self.game.title else ""
        return f"value {self.value}{title} ({self.method}, exact)"

    @property
    def payoffs(self) -> tuple[Fraction, Fraction]:
        """Expected payoffs at the optimal pair: ``(v, k - v)`` (``k = 0`` for zero-sum)."""
        return (self.value, self.constant - self.value)

    @property
    def probabilities(self) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]]:
        """The optimal pair as a mixed profile."""
        return (self.row_strategy, self.column_strategy)

    def strategy(self, player: str | int) -> dict[str, Fraction]:
        """The optimal strategy of ``player`` as ``{strategy label: probability}``."""
        i = self.game.player_index(player)
        probs = self.probabilities[i]
        return dict(zip(self.game.strategies[i], probs, strict=True))

    def verify(self) -> Certificate:
        """Exact certificate: both guarantees equal the value, and neither player can gain."""
        a = self.game.payoff_array(0)
        p, q = self.row_strategy, self.column_strategy
        m, n = a.shape
        row_guarantee = min(sum((p[i] * a[i, j] for i in range(m)), Fraction(0)) for j in range(n))
        col_guarantee = max(sum((a[i, j] * q[j] for j in range(n)), Fraction(0)) for i in range(m))
        regret = self.game.max_regret([p, q])
        well_formed = all(x >= 0 for x in p + q) and sum(p) == 1 and sum(q) == 1
        ok = well_formed and row_guarantee == self.value == col_guarantee and regret == 0
        return Certificate(
            ok=ok,
            quantities={
                "value": self.value,
                "row_guarantee": row_guarantee,
                "column_guarantee": col_guarantee,
                "duality_gap": col_guarantee - row_guarantee,
                "max_regret": regret,
            },
            exact=True,
            checks=(
                "strategies are probability vectors",
                "min over columns of p^T A equals the value",
                "max over rows of A q equals the value",
                "max regret of (p, q) is 0",
            ),
            notes=self.notes,
        )

    def summary(self) -> Summary:
        rows = []
        for i, probs in enumerate(self.probabilities):
            for label, x in zip(self.game.strategies[i], probs, strict=True):
                rows.append((self.game.players[i], label, x))
        return Summary(
            title="Zero-sum game: value and optimal strategies"
            + (f" ({self.game.title})" if self.game.title else ""),
            fields=(
                ("value", self.value),
                (f"payoff of {self.game.players[0]}", self.payoffs[0]),
                (f"payoff of {self.game.players[1]}", self.payoffs[1]),
                ("method", self.method),
                ("exact", True),
            ),
            tables=(
                Table("optimal strategies", ("player", "strategy", "probability"), tuple(rows)),
            ),
            notes=self.notes,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "players": list(self.game.players),
            "value": to_jsonable(self.value),
            "payoffs": to_jsonable(list(self.payoffs)),
            "strategies": {p: to_jsonable(self.strategy(p)) for p in self.game.players},
            "method": self.method,
            "notes": list(self.notes),
        }


def _constant_sum(game: NormalFormGame) -> Fraction | None:
    total = game.payoff_array(0) + game.payoff_array(1)
    values = set(np.ravel(total).tolist())
    return values.pop() if len(values) == 1 else None


def zero_sum_value(game: NormalFormGame, *, max_cost: float = DEFAULT_MAX_COST) -> ZeroSumSolution:
    """Value and optimal strategies of a two-player zero-sum (or constant-sum) game, exactly.

    Raises :class:`NotApplicableError` for other games, :class:`TooLargeError` when
    ``(m + n)^3`` exceeds ``max_cost``, and :class:`SolverError` if no exactly verified optimum
    is found.
    """
    if not isinstance(game, NormalFormGame):
        raise NotApplicableError(
            f"zero_sum_value expects a NormalFormGame, got {type(game).__name__}"
        )
    others = ("nash_equilibria", "correlated_equilibrium")
    if game.n_players != 2:
        raise NotApplicableError(
            f"zero_sum_value needs two players; this game has {game.n_players}", others
        )
    constant = _constant_sum(game)
    if constant is None:
        raise NotApplicableError(
            "the game is not zero-sum: the payoffs do not sum to the same constant at every "
            "profile (build zero-sum games with NormalFormGame.zero_sum)",
            others,
        )
    m, n = game.shape
    cost = float((m + n) ** 3)
    if cost > max_cost:
        raise TooLargeError(
            f"zero-sum LP with exact reconstruction for a {m}x{n} game",
            cost=cost,
            budget=max_cost,
            instead="Pass max_cost= to allow it, or use nash_equilibria(method='lemke_howson').",
        )
    a = game.payoff_array(0)
    lo, hi = min(a.ravel()), max(a.ravel())
    span = hi - lo if hi != lo else Fraction(1)
    scaled = [[(a[i, j] - lo) / span for j in range(n)] for i in range(m)]
    # variables: p_0..p_{m-1}, v
    one = Fraction(1)
    eq = (({i: one for i in range(m)}, one),)
    ge_cols = tuple(
        ({**{i: scaled[i][j] for i in range(m) if scaled[i][j]}, m: -one}, Fraction(0))
        for j in range(n)
    )
    ge_signs = tuple(({i: one}, Fraction(0)) for i in range(m))
    lp = LinearProgram(c=(Fraction(0),) * m + (one,), eq=eq, ge=ge_cols + ge_signs)
    sol = solve_exact(lp)
    p = tuple(sol.x[:m])
    q = tuple(sol.u[:n])
    value = lo + span * sol.x[m]
    notes = []
    if constant != 0:
        notes.append(f"constant-sum game (payoffs sum to {constant}); solved as zero-sum")
    if game.float_input:
        notes.append("payoffs were given as floats and read as their shortest decimal repr")
    result = ZeroSumSolution(
        game=game,
        value=value,
        row_strategy=p,
        column_strategy=q,
        constant=constant,
        method=sol.route,
        notes=tuple(notes),
    )
    certificate = result.verify()
    if not certificate.ok:  # pragma: no cover - the LP pair was already checked exactly
        raise SolverError(
            "optimal strategies fail the exact minimax check",
            solver=sol.route,
            status="unverified",
            residual=float(certificate.duality_gap),
        )
    return result
