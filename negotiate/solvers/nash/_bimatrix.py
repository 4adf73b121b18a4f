"""Shared kernels of the bimatrix solvers: exact rescaling, cost bounds and exact linear algebra.

The equilibrium set of a game is invariant under a positive affine map ``u -> a*u + b``
(``a > 0``) of each player's payoffs.  Every bimatrix solver therefore works on *positive
integer* payoff matrices obtained exactly from the game (:func:`integer_payoffs`): magnitudes
such as ``1e-9``, ``2**31`` or ``1e300`` never reach a float and never change the answer.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import cast

import numpy as np
from flint import fmpq_mat, fmpz_mat

from negotiate.games.normal import NormalFormGame

__all__ = [
    "IntMatrix",
    "IntegerGame",
    "best_rows",
    "bimatrix_accepts",
    "expected_payoffs",
    "integer_game",
    "integer_payoffs",
    "normalise",
    "over_common_denominator",
    "solve_exact",
    "support_point",
    "values",
    "verify_pair",
    "vertex_bound",
]

_SMALL = 2**61  # integers below this (in absolute value) and their differences fit in int64

#: A matrix of Python integers, row-major.
IntMatrix = tuple[tuple[int, ...], ...]

#: ``(g, low, L)``: an integer payoff ``k`` stands for the game's payoff ``((k-1)*g + low) / L``.
Affine = tuple[int, int, int]


def bimatrix_accepts(game: object) -> str | None:
    """Registry test: ``None`` for a two-player :class:`NormalFormGame`, else the reason."""
    if not isinstance(game, NormalFormGame):
        return f"expected a NormalFormGame, got {type(game).__name__}"
    if game.n_players != 2:
        return f"the game has {game.n_players} players; this method needs exactly 2"
    return None


_NUMERATOR: Callable[[Fraction], int] = vars(Fraction)["numerator"].fget
_DENOMINATOR: Callable[[Fraction], int] = vars(Fraction)["denominator"].fget


def _int64_ratios(flat: list[Fraction]) -> tuple[np.ndarray, np.ndarray] | None:
    """Numerators and denominators as int64 arrays; ``None`` if one does not fit."""
    try:  # Fraction's own accessors, straight into the arrays
        nums = np.fromiter(map(_NUMERATOR, flat), np.int64, len(flat))
        dens = np.fromiter(map(_DENOMINATOR, flat), np.int64, len(flat))
    except (AttributeError, TypeError, OverflowError):  # other rationals, or big integers
        return None
    return nums, dens


def _positive_integers(values: np.ndarray) -> tuple[IntMatrix, Affine, np.ndarray]:
    """The exact positive affine image of ``values`` with integer entries and minimum 1.

    ``u -> (u - min) * L / g + 1`` where ``L`` clears the denominators and ``g`` is the gcd of
    the resulting integers: the primitive integer vector on the ray of ``u - min``, so a game
    scaled by ``1e9`` maps to the same integers as the unscaled one.  A constant matrix maps
    to all ones.  Integer arithmetic throughout (no Fraction operations on the entries; int64
    numpy passes when every scaled value is below ``2**61``, Python integers otherwise).
    Also returns the inverse map ``(g, low, L)``: ``u = ((k - 1) * g + low) / L``, and the
    integers as a float array (see :func:`_floats`).
    """
    shape = values.shape
    flat = values.ravel().tolist()
    small = _int64_ratios(flat)
    if small is not None:
        num_arr, den_arr = small
        lcm = int(den_arr.max())
        if (lcm % den_arr).any():  # the largest denominator is not a common multiple
            lcm = math.lcm(*np.unique(den_arr).tolist())
        top = max(int(num_arr.max()), -int(num_arr.min()))
        if lcm * top < _SMALL:  # exact in int64: numpy does the passes
            arr = num_arr * (lcm // den_arr)
            low = int(arr.min())
            arr -= low
            g = int(np.gcd.reduce(arr)) or 1
            arr = (arr // g + 1).reshape(shape)
            rows = cast(list[list[int]], arr.tolist())
            return tuple(map(tuple, rows)), (g, low, lcm), arr.astype(float)
    nums = [v.numerator for v in flat]
    dens = [v.denominator for v in flat]
    lcm = math.lcm(*set(dens))
    scaled = [k * (lcm // d) for k, d in zip(nums, dens, strict=True)]
    low = min(scaled)
    shifted = [k - low for k in scaled]
    g = math.gcd(*shifted) or 1
    ints = [k // g + 1 for k in shifted]
    cols = shape[1]
    matrix = tuple(tuple(ints[r : r + cols]) for r in range(0, len(ints), cols))
    return matrix, (g, low, lcm), _floats(ints).reshape(shape)


@dataclass(frozen=True, eq=False)
class IntegerGame:
    """A game's positive integer payoffs, with the forms the solvers use (computed once).

    ``a``, ``b`` and ``bt = B^T`` as integer rows; ``fa``, ``fb``, ``fbt`` the same as float
    arrays; ``maps`` the affine maps back to the game's payoffs (see :data:`Affine`).
    """

    a: IntMatrix
    b: IntMatrix
    bt: IntMatrix
    maps: tuple[Affine, Affine]
    fa: np.ndarray
    fb: np.ndarray
    fbt: np.ndarray


#: Integer payoffs per game: a game is immutable, so they are computed once.
_INTEGER_GAMES: weakref.WeakKeyDictionary[NormalFormGame, IntegerGame] = weakref.WeakKeyDictionary()


def integer_payoffs(game: NormalFormGame) -> tuple[IntMatrix, IntMatrix]:
    """Positive integer matrices ``(A, B)`` with the same equilibria as ``game`` (exact).

    ``A[i][j]`` is the row player's payoff and ``B[i][j]`` the column player's, each the image
    of the game's payoffs under its own positive affine map.  Cached per game object.
    """
    data = integer_game(game)
    return data.a, data.b


def integer_game(game: NormalFormGame) -> IntegerGame:
    """The :class:`IntegerGame` of a two-player game (cached per game object)."""
    cached = _INTEGER_GAMES.get(game)
    if cached is None:
        a, amap, fa = _positive_integers(game.payoff_array(0))
        b, bmap, fb = _positive_integers(game.payoff_array(1))
        bt = tuple(zip(*b, strict=True))
        fbt = np.ascontiguousarray(fb.T)
        cached = _INTEGER_GAMES[game] = IntegerGame(a, b, bt, (amap, bmap), fa, fb, fbt)
    return cached


def _floats(values: Sequence[int]) -> np.ndarray:
    """Float images of integer payoffs for the float passes (pruning, float pivoting).

    Past the float range (integers of exact inputs such as ``1e-3000``) every value is divided
    by the largest one first: a positive scale changes no best reply, and every decision is
    taken again exactly on the integers.
    """
    top = max(values, default=0)  # the integers are positive
    if top.bit_length() < 1000:
        return np.array(values, dtype=float)
    return np.array([float(Fraction(v, top)) for v in values], dtype=float)


def expected_payoffs(
    game: NormalFormGame, x: Sequence[Fraction], y: Sequence[Fraction]
) -> tuple[Fraction, Fraction]:
    """Both players' exact expected payoffs at ``(x, y)``, computed on the integer payoffs.

    ``x^T K y`` over the supports with integer numerators, mapped back by each player's
    affine map; equal to ``game.expected_payoffs((x, y))`` for probability vectors.
    """
    data = integer_game(game)
    a, b, maps = data.a, data.b, data.maps
    xs, xn, dx = over_common_denominator(x)
    ys, yn, dy = over_common_denominator(y)
    out = []
    for k, (g, low, lcm) in zip((a, b), maps, strict=True):
        total = sum(
            xv * sum(k[i][j] * yv for j, yv in zip(ys, yn, strict=True))
            for i, xv in zip(xs, xn, strict=True)
        )
        mean = Fraction(total, dx * dy)  # the expectation of k; probabilities sum to 1
        out.append(((mean - 1) * g + low) / lcm)
    return out[0], out[1]


def over_common_denominator(vector: Sequence[Fraction]) -> tuple[list[int], list[int], int]:
    """``(support, numerators, denominator)`` of a rational vector."""
    den = math.lcm(*(v.denominator for v in vector))
    support = [k for k, v in enumerate(vector) if v]
    return support, [vector[k].numerator * (den // vector[k].denominator) for k in support], den


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


def support_point(
    matrix: IntMatrix, rows: Sequence[int], cols: Sequence[int]
) -> tuple[list[int], int] | None:
    """The solution of ``matrix[rows, cols] z = 1`` as integers ``(numerators, denominator)``.

    ``rows`` and ``cols`` have equal length; the square system is solved exactly by FLINT
    (``fmpz_mat.solve``, fraction-free), and the numerators come over the common positive
    denominator.  ``None`` when the system is singular.
    """
    k = len(cols)
    if k == 0 or len(rows) != k:
        return None
    sub = fmpz_mat([[matrix[r][c] for c in cols] for r in rows])
    try:
        sol = sub.solve(fmpz_mat(k, 1, [1] * k))
    except ZeroDivisionError:
        return None
    if not isinstance(sol, fmpq_mat):  # FLINT returns rationals unless asked for integers
        raise TypeError(f"expected an fmpq_mat from fmpz_mat.solve, got {type(sol).__name__}")
    numer, denom = sol.numer_denom()
    sign = 1 if denom > 0 else -1
    return [sign * int(v) for v in numer.entries()], sign * int(denom)


def values(matrix: IntMatrix, cols: Sequence[int], num: Sequence[int]) -> list[int]:
    """``(matrix z)_i`` for every row, ``z`` given by its numerators on ``cols``."""
    return [sum(row[c] * v for c, v in zip(cols, num, strict=True)) for row in matrix]


def best_rows(
    matrix: IntMatrix,
    cols: Sequence[int],
    num: Sequence[int],
    floats: np.ndarray | None = None,
) -> set[int]:
    """The rows ``i`` attaining ``max_i (matrix z)_i``, exactly, for ``z = num`` on ``cols``.

    ``matrix > 0`` and ``num >= 0``.  With ``floats`` (the matrix as floats) the values are
    first computed in floating point: a sum of ``k`` non-negative terms has relative error at
    most ``(k + 2) 2^-52`` (Higham 2002, "Accuracy and Stability of Numerical Algorithms",
    section 3.1), so a row whose float value is below the float maximum by more than four times
    that bound is certainly not a maximiser.  Only the remaining rows are summed exactly.
    """
    rows: Sequence[int] = range(len(matrix))
    if floats is not None:
        top_num = max(num)
        z = np.array([v / top_num for v in num])  # correctly rounded, at most 1
        fv = floats[:, list(cols)] @ z
        top = float(fv.max())
        margin = 4.0 * (len(cols) + 2) * 2.0**-52 * top
        rows = np.flatnonzero(fv >= top - 2.0 * margin).tolist()
    exact = {i: sum(matrix[i][c] * v for c, v in zip(cols, num, strict=True)) for i in rows}
    best = max(exact.values())
    return {i for i, v in exact.items() if v == best}


def verify_pair(
    a: IntMatrix,
    bt: IntMatrix,
    x: tuple[Sequence[int], Sequence[int]],
    y: tuple[Sequence[int], Sequence[int]],
    floats: tuple[np.ndarray, np.ndarray] | None = None,
) -> bool:
    """Exact check that ``(x, y)`` (up to positive scale) is a Nash equilibrium of ``(A, B)``.

    ``bt`` is ``B`` transposed; ``x = (support, numerators)`` over any positive common
    denominator, likewise ``y``.  True when both are non-negative and non-zero, every row of
    ``supp x`` attains ``max_i (A y)_i`` and every column of ``supp y`` attains
    ``max_j (B^T x)_j`` (each player best-replies).  The decision is exact (integers);
    ``floats = (A, B^T)`` as float arrays only prunes rows that cannot attain the maximum.
    """
    xs, xn = x
    ys, yn = y
    if any(v < 0 for v in (*xn, *yn)) or not any(xn) or not any(yn):
        return False
    fa, fbt = floats if floats is not None else (None, None)
    row_best = best_rows(a, ys, yn, fa)
    col_best = best_rows(bt, xs, xn, fbt)
    return all(i in row_best for i, v in zip(xs, xn, strict=True) if v) and all(
        j in col_best for j, v in zip(ys, yn, strict=True) if v
    )
