"""Lemke's algorithm for the linear complementarity problem, exact and fraction-free.

``LCP(q, M)``: find ``z >= 0`` with ``w = q + M z >= 0`` and ``z^T w = 0``.  Lemke (1965) adds
an artificial variable ``z0`` with a positive *covering vector* ``d``,

    w - M z - d z0 = q,

starts from the almost-complementary basis where ``z0`` is just large enough for ``w >= 0``,
and pivots complementarily (the complement of the variable that left enters next) until ``z0``
leaves (a solution) or a column has no positive entry (ray termination).  Ties in the ratio
test are broken lexicographically by the rows of the basis inverse, which is the symbolic
perturbation ``q + (eps, eps^2, ...)``: no basis repeats, so the algorithm always terminates
(Cottle, Pang and Stone 1992, Sect. 4.4).

The tableau holds integers, each row with its own scale: a pivot replaces every row that
contains the entering variable by ``p * row - c * pivot_row`` and divides it by the gcd of its
entries, so no fraction ever appears and rows without the entering variable are untouched.  The
coefficient of each row's basic variable is kept positive, and a basic variable's value is the
row's right-hand side divided by that coefficient.  The sequence-form tableaux stay sparse with
small entries, so 64-bit integers are used while every product provably fits and exact Python
integers beyond.

:func:`lemke_symbolic` takes ``q(eps) = q_0 + q_1 eps + ... + q_K eps^K`` for a symbolic
``eps > 0``: the coefficient columns come first in the lexicographic ratio test, so the pivots
are those valid for every small enough ``eps``, and the solution is returned as polynomial
coefficients (used for the perturbed sequence form of quasi-perfect equilibria).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from negotiate.errors import SolverError

__all__ = ["lemke", "lemke_symbolic"]

#: Entries below this bound make every product of the update fit in a 64-bit integer.
_SMALL = 2**31


def lemke(
    m: Sequence[Sequence[int]],
    q: Sequence[int],
    d: Sequence[int],
    *,
    max_pivots: int = 1_000_000,
) -> tuple[list[Fraction], int]:
    """A solution ``z`` of ``LCP(q, M)`` by Lemke's algorithm with covering vector ``d > 0``.

    Integer data.  Returns ``(z, pivots)``.  Raises :class:`SolverError` with status
    ``"ray"`` on ray termination (the caller may try another covering vector).
    """
    z, pivots = lemke_symbolic(m, [q], d, max_pivots=max_pivots)
    return z[0], pivots


def lemke_symbolic(
    m: Sequence[Sequence[int]],
    q_cols: Sequence[Sequence[int]],
    d: Sequence[int],
    *,
    max_pivots: int = 1_000_000,
) -> tuple[list[list[Fraction]], int]:
    """Lemke's algorithm for ``LCP(q(eps), M)`` with ``q(eps) = sum_k q_cols[k] eps^k``.

    Returns the coefficients ``z[k]`` of ``z(eps) = sum_k z[k] eps^k`` (valid for all small
    ``eps > 0``) and the number of pivots.
    """
    n = len(q_cols[0])
    n_q = len(q_cols)
    if any(v <= 0 for v in d):
        raise SolverError("the covering vector must be positive", solver="lemke", status="input")

    def lex_nonneg(i: int) -> bool:
        return next((c[i] > 0 for c in q_cols if c[i] != 0), True)

    if all(lex_nonneg(i) for i in range(n)):
        return [[Fraction(0)] * n for _ in range(n_q)], 0
    # columns: w_0..w_{n-1}, z_0..z_{n-1}, z0, then the right-hand sides
    t = np.zeros((n, 2 * n + 1 + n_q), dtype=object)
    t[:, :] = 0
    for i in range(n):
        t[i, i] = 1
        for j in range(n):
            t[i, n + j] = -int(m[i][j])
        t[i, 2 * n] = -int(d[i])
        for k in range(n_q):
            t[i, 2 * n + 1 + k] = int(q_cols[k][i])
    if int(np.max(np.abs(t))) < _SMALL:  # machine integers while no product can overflow
        t = t.astype(np.int64)
    basis = list(range(n))  # the variable basic in each row
    z0 = 2 * n
    rhs = 2 * n + 1
    order = (*range(rhs, rhs + n_q), *range(n))

    def lexmin(cands: list[int], col: int) -> int:
        # the lexicographic minimum of rows [rhs | basis inverse] / |t[i, col]|
        best = cands[0]
        for i in cands[1:]:
            pi, pb = abs(int(t[i, col])), abs(int(t[best, col]))
            for k in order:
                a, b = int(t[i, k]) * pb, int(t[best, k]) * pi
                if a != b:
                    if a < b:
                        best = i
                    break
        return best

    # first pivot: z0 enters; the row with the lexicographically smallest q / d leaves
    leave = lexmin(list(range(n)), z0)
    entering = z0
    pivots = 0
    while True:
        p = int(t[leave, entering])
        if p < 0:  # keep the coefficient of each row's basic variable positive
            t[leave] = -t[leave]
            p = -p
        prow = t[leave]
        col = t[:, entering]
        rows = [i for i in np.nonzero(col)[0] if i != leave]
        if t.dtype != object and (
            int(np.max(np.abs(prow))) >= _SMALL or (rows and int(np.max(np.abs(t[rows]))) >= _SMALL)
        ):
            t = t.astype(object)  # exact Python integers from here on
            prow = t[leave]
            col = t[:, entering]
        if rows:
            # eliminate the entering variable from the rows that contain it; rows without it
            # are unchanged (each row carries its own integer scale)
            block = t[rows] * p - np.outer(col[rows], prow)
            g = np.gcd.reduce(block, axis=1)
            g[g == 0] = 1
            t[rows] = block // g[:, None]
        g0 = np.gcd.reduce(prow)
        if g0 > 1:
            t[leave] = prow // g0
        left = basis[leave]
        basis[leave] = entering
        pivots += 1
        if left == z0:
            break
        if pivots > max_pivots:
            raise SolverError(
                f"Lemke's algorithm exceeded {max_pivots} pivots", solver="lemke", status="limit"
            )
        entering = left + n if left < n else left - n
        cands = [i for i in range(n) if t[i, entering] > 0]
        if not cands:
            raise SolverError(
                "Lemke's algorithm ended on a ray for this covering vector",
                solver="lemke",
                status="ray",
            )
        leave = lexmin(cands, entering)
    z = [[Fraction(0)] * n for _ in range(n_q)]
    for i, var in enumerate(basis):
        if n <= var < 2 * n:
            for k in range(n_q):
                z[k][var - n] = Fraction(int(t[i, rhs + k]), int(t[i, var]))
    return z, pivots
