"""One equilibrium of a two-player tree by the sequence-form LCP and Lemke's algorithm.

With realization plans ``x`` (``E x = e``) and ``y`` (``F y = f``) and sequence-form payoff
matrices ``A, B``, ``(x, y)`` is an equilibrium iff for some ``u, v`` (KMvS 1996, Thm 4.1)

    x >= 0,  E^T u - A y >= 0,  x^T (E^T u - A y) = 0,     E x = e,
    y >= 0,  F^T v - B^T x >= 0,  y^T (F^T v - B^T x) = 0,  F y = f.

The free ``u, v`` are written ``u+ - u-`` and each equation as two inequalities, which gives a
standard LCP solved by :func:`negotiate.solvers.nash.lcp.lemke` (Koller, Megiddo and von
Stengel 1996, "Efficient computation of equilibria for extensive two-person games", Games
Econ. Behav. 14, Sect. 4).  Payoffs are first shifted to be negative at every leaf and scaled
to integers, exactly and per player, which changes no equilibrium (``x^T C y`` is the
constant total chance probability for the leaf-indicator matrix ``C``).  Several covering
vectors give possibly different equilibria.
"""

from __future__ import annotations

import math
from fractions import Fraction

from negotiate.errors import SolverError
from negotiate.solvers.nash.lcp import lemke
from negotiate.solvers.nash.sequence_form import SequenceForm

__all__ = ["integer_sequence_payoffs", "sequence_lcp"]


def integer_sequence_payoffs(sf: SequenceForm) -> tuple[list[list[int]], list[list[int]]]:
    """Integer matrices ``A, B`` with negative entries on every leaf pair, equivalent to ``sf``.

    Each player's leaf payoffs are shifted by ``-(max + 1)`` (entry ``+= shift * chance``) and
    the matrix multiplied by the lcm of its denominators: exact for payoffs of any magnitude.
    """
    m, n = sf.sizes
    tree = sf.tree
    leaves = [tree.node(p) for p in tree.terminal_paths()]
    out = []
    for i in range(2):
        shift = -(max(Fraction(leaf.payoffs[i]) for leaf in leaves) + 1)  # type: ignore[union-attr]
        mat = [[Fraction(0)] * n for _ in range(m)]
        for (s, t), vals in sf.payoffs.items():
            mat[s][t] = vals[i] + shift * sf.chance[(s, t)]
        lcm = 1
        for row in mat:
            for v in row:
                lcm = math.lcm(lcm, v.denominator)
        out.append([[int(v * lcm) for v in row] for row in mat])
    return out[0], out[1]


def lcp_system(sf: SequenceForm) -> tuple[list[list[int]], list[int], tuple[int, int, int, int]]:
    """The LCP ``(M, q)`` of the sequence form and the block sizes ``(n1, n2, k1, k2)``."""
    a, b = integer_sequence_payoffs(sf)
    e = sf.players[0].constraints()
    f = sf.players[1].constraints()
    n1, n2, k1, k2 = len(a), len(a[0]), len(e), len(f)
    size = n1 + n2 + 2 * k1 + 2 * k2
    mat = [[0] * size for _ in range(size)]
    ux, vx = n1 + n2, n1 + n2 + 2 * k1  # first columns of u+, v+
    for s in range(n1):
        for t in range(n2):
            mat[s][n1 + t] = -a[s][t]
            mat[n1 + t][s] = -b[s][t]
        for h in range(k1):
            mat[s][ux + h] = e[h][s]
            mat[s][ux + k1 + h] = -e[h][s]
            mat[ux + h][s] = -e[h][s]
            mat[ux + k1 + h][s] = e[h][s]
    for t in range(n2):
        for h in range(k2):
            mat[n1 + t][vx + h] = f[h][t]
            mat[n1 + t][vx + k2 + h] = -f[h][t]
            mat[vx + h][n1 + t] = -f[h][t]
            mat[vx + k2 + h][n1 + t] = f[h][t]
    unit_e = [1] + [0] * (k1 - 1)
    unit_f = [1] + [0] * (k2 - 1)
    q = [0] * (n1 + n2) + unit_e + [-v for v in unit_e] + unit_f + [-v for v in unit_f]
    return mat, q, (n1, n2, k1, k2)


def covering_vectors(size: int, count: int) -> list[list[int]]:
    """``count`` deterministic positive covering vectors (all ones first)."""
    out = [[1] * size]
    k = 2
    while len(out) < count:
        out.append([1 + (i * k) % (k + 1) for i in range(size)])
        out.append([1 + ((size - i) * k) % (k + 2) for i in range(size)])
        k += 1
    return out[:count]


def sequence_lcp(
    sf: SequenceForm, n_covering: int = 1
) -> tuple[list[tuple[list[Fraction], list[Fraction]]], list[str]]:
    """Realization-plan pairs found by Lemke from ``n_covering`` covering vectors, and notes."""
    mat, q, (n1, n2, _, _) = lcp_system(sf)
    found: list[tuple[list[Fraction], list[Fraction]]] = []
    notes: list[str] = []
    rays = 0
    for d in covering_vectors(len(q), max(n_covering, 1)):
        try:
            z, pivots = lemke(mat, q, d)
        except SolverError as err:
            if err.status != "ray":
                raise
            rays += 1
            continue
        pair = (z[:n1], z[n1 : n1 + n2])
        if pair not in found:
            found.append(pair)
            notes.append(f"Lemke: {pivots} pivots on an LCP of size {len(q)}")
    if not found:
        raise SolverError(
            f"Lemke's algorithm ended on a ray for all {rays} covering vectors",
            solver="lemke",
            status="ray",
        )
    return found, notes
