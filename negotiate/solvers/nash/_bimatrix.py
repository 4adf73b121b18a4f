"""Shared kernels of the bimatrix solvers: exact rescaling, cost bounds and exact linear algebra.

The equilibrium set of a game is invariant under a positive affine map ``u -> a*u + b``
(``a > 0``) of each player's payoffs.  Every bimatrix solver therefore works on *positive
integer* payoff matrices obtained exactly from the game (:func:`integer_payoffs`): magnitudes
such as ``1e-9``, ``2**31`` or ``1e300`` never reach a float and never change the answer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from negotiate.games.normal import NormalFormGame

__all__ = [
    "IntMatrix",
    "bimatrix_accepts",
    "integer_payoffs",
    "normalise",
    "solve_exact",
    "vertex_bound",
]

#: A matrix of Python integers, row-major.
IntMatrix = tuple[tuple[int, ...], ...]


def bimatrix_accepts(game: object) -> str | None:
    """Registry test: ``None`` for a two-player :class:`NormalFormGame`, else the reason."""
    if not isinstance(game, NormalFormGame):
        return f"expected a NormalFormGame, got {type(game).__name__}"
    if game.n_players != 2:
        return f"the game has {game.n_players} players; this method needs exactly 2"
    return None


def _positive_integers(values: Sequence[Sequence[Fraction]]) -> IntMatrix:
    """The exact positive affine image of ``values`` with integer entries and minimum 1.

    ``u -> (u - min) * L / g + 1`` where ``L`` clears the denominators of ``u - min`` and ``g``
    is the gcd of the resulting integers, so a game scaled by ``1e9`` maps to the same integers
    as the unscaled one.  A constant matrix maps to all ones.
    """
    low = min(min(row) for row in values)
    shifted = [[v - low for v in row] for row in values]
    lcm = 1
    for row in shifted:
        for v in row:
            lcm = math.lcm(lcm, v.denominator)
    ints: list[list[int]] = [[int(v * lcm) for v in row] for row in shifted]
    g = 0
    for irow in ints:
        for k in irow:
            g = math.gcd(g, k)
    g = g or 1
    return tuple(tuple(k // g + 1 for k in irow) for irow in ints)


def integer_payoffs(game: NormalFormGame) -> tuple[IntMatrix, IntMatrix]:
    """Positive integer matrices ``(A, B)`` with the same equilibria as ``game`` (exact).

    ``A[i][j]`` is the row player's payoff and ``B[i][j]`` the column player's, each the image
    of the game's payoffs under its own positive affine map.
    """
    a = game.payoff_array(0)
    b = game.payoff_array(1)
    return _positive_integers(a.tolist()), _positive_integers(b.tolist())


def vertex_bound(dim: int, facets: int) -> int:
    """McMullen's upper bound on the vertices of a ``dim``-polytope with ``facets`` facets.

    ``C(k - floor((d+1)/2), k - d) + C(k - floor((d+2)/2), k - d)`` (McMullen 1970); attained by
    the duals of cyclic polytopes.
    """
    d, k = dim, facets
    if d <= 0 or k <= d:
        return 1
    return math.comb(k - (d + 1) // 2, k - d) + math.comb(k - (d + 2) // 2, k - d)


def normalise(vector: Sequence[Fraction]) -> tuple[Fraction, ...]:
    """``vector / sum(vector)``: a point of a best-response polytope as a mixed strategy."""
    total = sum(vector, Fraction(0))
    return tuple(Fraction(v) / total for v in vector)


def solve_exact(matrix: Sequence[Sequence[Fraction]], rhs: Sequence[Fraction]) -> list[Fraction]:
    """The unique solution of a square system ``matrix @ x = rhs`` in exact arithmetic.

    Gaussian elimination with Fractions; raises ``ZeroDivisionError`` when the matrix is
    singular (callers treat that as "no unique solution").
    """
    n = len(matrix)
    rows = [[Fraction(v) for v in row] + [Fraction(r)] for row, r in zip(matrix, rhs, strict=True)]
    for col in range(n):
        pivot = next((r for r in range(col, n) if rows[r][col] != 0), None)
        if pivot is None:
            raise ZeroDivisionError("singular system")
        rows[col], rows[pivot] = rows[pivot], rows[col]
        p = rows[col][col]
        rows[col] = [v / p for v in rows[col]]
        for r in range(n):
            if r != col and rows[r][col] != 0:
                f = rows[r][col]
                rows[r] = [v - f * w for v, w in zip(rows[r], rows[col], strict=True)]
    return [rows[r][n] for r in range(n)]
