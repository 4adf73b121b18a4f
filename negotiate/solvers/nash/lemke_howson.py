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

The path is first followed in floating point (numpy, the payoffs scaled to at most 1), with
the lexicographic minimum-ratio rule (on the right-hand side, then the columns of the initial
slack basis; ties within a relative ``1e-9``).  Only the final bases matter: they give the
supports, and the equilibrium is rebuilt from its support systems exactly (FLINT integer
matrices) and verified exactly (:func:`~negotiate.solvers.nash._bimatrix.verify_pair`).  If the
check fails (a tie decided wrongly in floats; a float path that meets a ray, revisits a state
or outgrows :func:`path_bound`), the path is followed again in exact integer pivoting (Edmonds
1967; Bareiss): every tableau entry stays an integer and the division by the previous pivot is
exact; there the lexicographic rule is a symbolic perturbation, so the path never cycles and
always terminates, also on degenerate games.  Either way the profile returned has been
checked exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from negotiate.errors import ModelError, SolverError
from negotiate.games.normal import NormalFormGame
from negotiate.solvers.nash._bimatrix import (
    IntegerGame,
    IntMatrix,
    expected_payoffs,
    integer_game,
    normalise,
    over_common_denominator,
    support_point,
    verify_pair,
    vertex_bound,
)
from negotiate.solvers.nash._lh_float import float_path
from negotiate.solvers.nash.equilibria import Equilibrium, EquilibriumSet

__all__ = ["lemke_howson", "lemke_howson_float", "lemke_howson_profile", "path_bound"]

Vector = tuple[Fraction, ...]

_TIE = 1e-9  # relative tolerance of a tie in the float ratio test
_FLOAT_PIVOTS = 1_000_000  # a float path is never followed further than this


def path_bound(m: int, n: int) -> int:
    """A bound on the pivots of a Lemke–Howson path of an ``m x n`` game.

    The (lexicographically perturbed) path visits each pair of vertices of the simple
    polytopes ``P`` (dimension ``m``) and ``Q`` (dimension ``n``), each with ``m + n`` facets,
    at most once, so it has fewer pivots than ``V(m, m+n) * V(n, m+n)``, ``V`` McMullen's
    bound on the vertices (:func:`~negotiate.solvers.nash._bimatrix.vertex_bound`).
    """
    return vertex_bound(m, m + n) * vertex_bound(n, m + n)


class _Tableau:
    """Condensed ``M z + w = 1`` with integer pivoting (fraction-free, Edmonds 1967).

    Rows belong to the basic labels, columns to the non-basic ones, then the right-hand side;
    the stored integers are ``det`` times the rational tableau.  A pivot on ``(r, c)`` keeps
    row ``r``, negates column ``c``, puts the old ``det`` at ``(r, c)`` and replaces every
    other entry by ``(t[i][j] * p - t[i][c] * t[r][j]) / det`` (an exact division, Bareiss
    1968); ``p`` becomes the new ``det``.
    """

    def __init__(self, rows: list[list[int]], basis: Sequence[int], cols: Sequence[int]) -> None:
        self.t = rows
        self.det = 1
        self.slack = list(basis)  # the initial basis: the lexicographic keys, in row order
        self.basis = list(basis)  # row -> label
        self.cols = list(cols)  # column -> label
        labels = len(self.basis) + len(self.cols)
        self.row_of = [-1] * labels
        self.col_of = [-1] * labels
        for r, k in enumerate(self.basis):
            self.row_of[k] = r
        for c, k in enumerate(self.cols):
            self.col_of[k] = c

    def _key(self, r: int, k: int) -> int:
        """Entry of row ``r`` in the (full) column of label ``k``, scaled by ``det``."""
        c = self.col_of[k]
        if c >= 0:
            return self.t[r][c]
        return self.det if self.row_of[k] == r else 0

    def entering(self, label: int) -> int:
        """Pivot ``label`` into the basis (lexicographic ratio test); return the leaving label."""
        t, col = self.t, self.col_of[label]
        candidates = [r for r, row in enumerate(t) if row[col] > 0]
        if not candidates:
            raise SolverError(
                "Lemke–Howson found an unbounded ray (payoffs not positive)",
                solver="lemke_howson",
                status="ray",
            )
        best = candidates[0]
        for r in candidates[1:]:
            # compare t[r][k] / t[r][col] with t[best][k] / t[best][col] (denominators > 0):
            # the right-hand side first, then the initial basis columns
            lhs, rhs = t[r][-1] * t[best][col], t[best][-1] * t[r][col]
            for k in self.slack:
                if lhs != rhs:
                    break
                lhs = self._key(r, k) * t[best][col]
                rhs = self._key(best, k) * t[r][col]
            if lhs < rhs:
                best = r
        leaving = self.basis[best]
        self._pivot(best, col)
        self.basis[best], self.cols[col] = label, leaving
        self.row_of[label], self.col_of[label] = best, -1
        self.row_of[leaving], self.col_of[leaving] = -1, col
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
                t[r][col] = -f
        prow[col] = det
        self.det = piv

    def values(self, labels: range) -> list[Fraction]:
        """Values of the variables with ``labels`` at the current basis."""
        out = [Fraction(0)] * len(labels)
        for r, k in enumerate(self.basis):
            if k in labels:
                out[k - labels.start] = Fraction(self.t[r][-1], self.det)
        return out


def lemke_howson_profile(
    a: IntMatrix, b: IntMatrix, label: int
) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...], int]:
    """Kernel: the equilibrium reached by dropping ``label``, and the number of pivots."""
    m, n = len(a), len(a[0])
    # P side: rows s_0..s_{n-1} (labels m..m+n-1), columns x_0..x_{m-1} (labels 0..m-1)
    p_rows = [[b[i][j] for i in range(m)] + [1] for j in range(n)]
    # Q side: rows r_0..r_{m-1} (labels 0..m-1), columns y_0..y_{n-1} (labels m..m+n-1)
    q_rows = [[*a[i], 1] for i in range(m)]
    tab_p = _Tableau(p_rows, range(m, m + n), range(m))
    tab_q = _Tableau(q_rows, range(m), range(m, m + n))
    current = tab_p if label < m else tab_q
    other = tab_q if label < m else tab_p
    entering = label
    limit = path_bound(m, n)  # the perturbed path visits distinct bases
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


def lemke_howson_float(
    a: IntMatrix,
    b: IntMatrix,
    label: int,
    max_pivots: int | None = None,
    kernel: Any = None,
    floats: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[list[int], list[int], int] | None:
    """The final bases of the Lemke–Howson path in floating point, and the number of pivots.

    Same tableaux, labels and lexicographic rule as :func:`lemke_howson_profile`, on the
    payoffs scaled to at most 1 (:mod:`negotiate.solvers.nash._lh_float`).  Returns
    ``(basis_p, basis_q, pivots)`` (the labels of the basic variables of each system) or
    ``None`` if the path hits a ray, revisits a state (a cycle, which the exact path never
    has) or exceeds ``max_pivots`` (by default :func:`path_bound`, at most ``10**6``): floats
    decide ties only approximately, so the caller rebuilds and checks.  ``floats`` are
    ``(A, B)`` as floats.
    """
    fa, fb = floats if floats is not None else (np.array(a, float), np.array(b, float))
    if max_pivots is None:
        max_pivots = min(path_bound(len(a), len(a[0])), _FLOAT_PIVOTS)
    return float_path(fa / fa.max(), fb / fb.max(), label, max_pivots, _TIE, kernel)


def rebuild(
    a: IntMatrix,
    bt: IntMatrix,
    basis_p: Sequence[int],
    basis_q: Sequence[int],
    floats: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]] | None:
    """The exact equilibrium of two final bases, or ``None`` if it fails the exact check.

    With ``S`` the basic ``x`` and ``J`` the non-basic slacks ``s``, ``x_S`` solves
    ``B^T[J, S] x_S = 1`` (the other ``x`` are 0); likewise ``A[I, T] y_T = 1``.  The pair is
    kept only if :func:`verify_pair` proves it an equilibrium (``floats = (A, B^T)`` as
    float arrays speed the check up; it stays exact).
    """
    m, n = len(a), len(bt)
    in_p, in_q = set(basis_p), set(basis_q)
    xs = sorted(c for c in basis_p if c < m)
    js = [j for j in range(n) if m + j not in in_p]
    ys = sorted(c - m for c in basis_q if c >= m)
    is_ = [i for i in range(m) if i not in in_q]
    xsol = support_point(bt, js, xs)
    ysol = support_point(a, is_, ys)
    if xsol is None or ysol is None:
        return None
    x = (xs, xsol[0])
    y = (ys, ysol[0])
    if not verify_pair(a, bt, x, y, floats):
        return None
    return _strategy(m, x), _strategy(n, y)


def _strategy(size: int, point: tuple[Sequence[int], Sequence[int]]) -> tuple[Fraction, ...]:
    support, numerators = point
    total = sum(numerators)
    out = [Fraction(0)] * size
    for k, v in zip(support, numerators, strict=True):
        out[k] = Fraction(v, total)
    return tuple(out)


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
    x, y, steps, path = _solve(integer_game(game), label)
    result = EquilibriumSet.build(
        game,
        [Equilibrium(game, (x, y), expected_payoffs(game, x, y))],
        method="lemke_howson",
        options={"initial_label": initial_label},
        complete=False,
        degenerate=None,
        notes=(
            f"one equilibrium, reached by dropping label {label} after {steps} pivots "
            f"({path}); the set is not enumerated",
        ),
    )
    return result


#: Test hook: when set, replaces the float path (to force the exact fallback).
_float_path_hook: Callable[..., tuple[list[int], list[int], int] | None] | None = None


def _solve(data: IntegerGame, label: int) -> tuple[Vector, Vector, int, str]:
    """Float path, exact rebuild and check; the exact integer path if the check fails."""
    a, b, bt = data.a, data.b, data.bt
    if _float_path_hook is None:
        found = lemke_howson_float(a, b, label, floats=(data.fa, data.fb))
    else:
        found = _float_path_hook(a, b, label)
    if found is not None:
        basis_p, basis_q, steps = found
        profile = rebuild(a, bt, basis_p, basis_q, (data.fa, data.fbt))
        if profile is not None:
            return profile[0], profile[1], steps, "float pivoting, rebuilt and verified exactly"
    x, y, steps = lemke_howson_profile(a, b, label)
    xi, yi = over_common_denominator(x)[:2], over_common_denominator(y)[:2]
    if not verify_pair(a, bt, xi, yi, (data.fa, data.fbt)):
        raise SolverError(
            "Lemke–Howson ended at a profile that is not an equilibrium",
            solver="lemke_howson",
            status="not_equilibrium",
        )
    return x, y, steps, "exact integer pivoting"
