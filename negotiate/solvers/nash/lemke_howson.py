"""One Nash equilibrium of a bimatrix game by the Lemke–Howson algorithm, in exact arithmetic.

With positive payoff matrices ``A, B`` (m x n) write the best-response polytopes as systems
with slacks,

    B^T x + s = 1,  x, s >= 0        (columns: x_i has label i,  s_j has label m + j)
    A y + r = 1,    y, r >= 0        (columns: r_i has label i,  y_j has label m + j)

and start from the artificial equilibrium ``x = y = 0`` (basis: all slacks).  Dropping label
``k`` lets the variable with label ``k`` enter its system; the variable that leaves duplicates
a label, and the variable with that label enters the *other* system, until the leaving
variable has label ``k`` (Lemke and Howson 1964; von Stengel 2002, "Computing equilibria for
two-person games", Handbook of Game Theory 3, ch. 45, section 3).

Pivoting is integral (Edmonds 1967; Bareiss): every tableau entry stays an integer and the
division by the previous pivot is exact.  The lexicographic minimum-ratio rule (on the
right-hand side, then the columns of the initial slack basis) acts as a symbolic perturbation,
so the path never cycles and always terminates, also on degenerate games.  The profile found
is checked exactly before it is returned.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from negotiate.errors import ModelError, SolverError
from negotiate.games.normal import NormalFormGame
from negotiate.solvers.nash._bimatrix import IntMatrix, integer_payoffs, normalise
from negotiate.solvers.nash.equilibria import EquilibriumSet

__all__ = ["lemke_howson", "lemke_howson_profile"]


class _Tableau:
    """``M z + w = 1`` with integer pivoting; columns are indexed by label (0 .. m+n-1)."""

    def __init__(self, rows: list[list[int]], slack: Sequence[int]) -> None:
        self.t = rows  # each row: one entry per label, then the right-hand side
        self.det = 1
        self.slack = list(slack)  # the columns of the initial basis, in row order
        self.basis = list(slack)

    def entering(self, col: int) -> int:
        """Pivot ``col`` into the basis (lexicographic ratio test); return the leaving label."""
        candidates = [r for r, row in enumerate(self.t) if row[col] > 0]
        if not candidates:
            raise SolverError(
                "Lemke–Howson found an unbounded ray (payoffs not positive)",
                solver="lemke_howson",
                status="ray",
            )
        keys = [-1, *self.slack]  # right-hand side first, then the initial basis columns
        best = candidates[0]
        for r in candidates[1:]:
            for k in keys:
                # compare t[r][k] / t[r][col] with t[best][k] / t[best][col] (denominators > 0)
                lhs = self.t[r][k] * self.t[best][col]
                rhs = self.t[best][k] * self.t[r][col]
                if lhs != rhs:
                    if lhs < rhs:
                        best = r
                    break
        leaving = self.basis[best]
        self._pivot(best, col)
        return leaving

    def _pivot(self, row: int, col: int) -> None:
        t, det = self.t, self.det
        prow = t[row]
        piv = prow[col]
        for r, cur in enumerate(t):
            if r == row:
                continue
            f = cur[col]
            if f == 0:
                t[r] = [v * piv // det for v in cur]
            else:
                t[r] = [(v * piv - f * p) // det for v, p in zip(cur, prow, strict=True)]
        self.det = piv
        self.basis[row] = col

    def values(self, columns: range) -> list[Fraction]:
        """Values of the variables in ``columns`` at the current basis."""
        out = [Fraction(0)] * len(columns)
        for r, col in enumerate(self.basis):
            if col in columns:
                out[col - columns.start] = Fraction(self.t[r][-1], self.det)
        return out


def lemke_howson_profile(
    a: IntMatrix, b: IntMatrix, label: int
) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...], int]:
    """Kernel: the equilibrium reached by dropping ``label``, and the number of pivots."""
    m, n = len(a), len(a[0])
    # P side: rows j, columns x_0..x_{m-1} then s_0..s_{n-1}
    p_rows = [[b[i][j] for i in range(m)] + [int(k == j) for k in range(n)] + [1] for j in range(n)]
    # Q side: rows i, columns r_0..r_{m-1} then y_0..y_{n-1}
    q_rows = [[int(k == i) for k in range(m)] + list(a[i]) + [1] for i in range(m)]
    tab_p = _Tableau(p_rows, range(m, m + n))
    tab_q = _Tableau(q_rows, range(m))
    current = tab_p if label < m else tab_q
    other = tab_q if label < m else tab_p
    entering = label
    # The path visits distinct bases of the perturbed system; this bounds its length.
    limit = 4 * (m + n) * max(1, 2 ** min(m + n, 40))
    for steps in range(1, limit + 1):
        leaving = current.entering(entering)
        if leaving == label:
            x = tab_p.values(range(m))
            y = tab_q.values(range(m, m + n))
            return normalise(x), normalise(y), steps
        entering = leaving
        current, other = other, current
    raise SolverError(
        "Lemke–Howson exceeded its pivot bound", solver="lemke_howson", status="cycling"
    )


def _label(game: NormalFormGame, initial_label: object) -> int:
    m, n = game.shape
    if isinstance(initial_label, tuple) and len(initial_label) == 2:
        player, strategy = initial_label
        i = game.player_index(player)
        j = game.strategy_index(i, strategy)
        return j if i == 0 else m + j
    if (
        isinstance(initial_label, int)
        and not isinstance(initial_label, bool)
        and 0 <= initial_label < m + n
    ):
        return initial_label
    raise ModelError(
        "initial_label",
        initial_label,
        f"expected a label 0..{m + n - 1} (row strategies first, then column strategies) "
        "or a (player, strategy) pair",
    )


def lemke_howson(game: NormalFormGame, *, initial_label: object = 0) -> EquilibriumSet:
    """One Nash equilibrium of a two-player game, exact and verified.

    ``initial_label`` is the label dropped first: ``0..m-1`` are the row player's strategies
    and ``m..m+n-1`` the column player's, or a ``(player, strategy)`` pair.  Different labels
    may reach different equilibria; none is guaranteed to find all of them.
    """
    label = _label(game, initial_label)
    a, b = integer_payoffs(game)
    x, y, steps = lemke_howson_profile(a, b, label)
    result = EquilibriumSet.build(
        game,
        [(x, y)],
        method="lemke_howson",
        options={"initial_label": initial_label},
        complete=False,
        degenerate=None,
        notes=(
            f"one equilibrium, reached by dropping label {label} after {steps} pivots; "
            "the set is not enumerated",
        ),
    )
    regret = result.equilibria[0].max_regret()
    if regret != 0:
        raise SolverError(
            f"Lemke–Howson ended at a profile with regret {regret}",
            solver="lemke_howson",
            status="not_equilibrium",
            residual=float(regret),
        )
    return result
