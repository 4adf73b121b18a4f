"""The partners of the vertices of ``P``: for each, the face of ``Q`` its labels leave open.

A vertex ``x`` of ``P`` with label set ``L`` is part of an extreme equilibrium exactly when the
face of ``Q = {y >= 0, A y <= 1}`` on which every label outside ``L`` is tight has a non-zero
vertex.  At a simple vertex with support ``S`` and best replies ``T`` (``|S| = |T| = k``) that
face is the solution of ``A[S, T] y_T = 1``, ``y = 0`` off ``T``, if it lies in ``Q``.

Most simple vertices have no partner, and :func:`refuted` proves so in bulk: a float solve of
every system of one size at once proposes a Farkas certificate, made integral and checked in
exact integer arithmetic (int64, with a proven bound against overflow).  A certificate
``(u, v)``, ``v >= 0``, with ``u^T A[S, T] + v A[i, T] >= 0`` and ``u.1 + v < 0`` shows that no
``y_T >= 0`` has ``A[S, T] y_T = 1`` and ``A[i, T] y_T <= 1`` (multiply by ``y_T``); it is
the row ``j`` of ``A[S, T]^-1`` when ``y_j < 0`` (``v = 0``), or ``-A[i, T] A[S, T]^-1`` when
row ``i`` beats the support (``v = 1``), nudged by ``eps 1^T A[S, T]^-1`` so that rounding
keeps the signs.  Floats only propose: a vertex is dropped only on an exact proof, and every
other vertex is solved exactly (FLINT) or, when degenerate, its face enumerated exactly (cdd),
as before (Avis, Rosenberg, Savani and von Stengel 2010, the lrsnash algorithm).
"""

from __future__ import annotations

from fractions import Fraction

import cdd
import cdd.gmp
import numpy as np

from negotiate.solvers.nash._bimatrix import IntMatrix, normalise, support_point
from negotiate.solvers.nash._polytope import Vertices

__all__ = ["face_points", "refuted", "vertex_equilibria"]

Vector = tuple[Fraction, ...]

_CHUNK = 4096  # systems per float batch (bounds the memory of the gathered submatrices)
_MIN_SCALE = 2**24  # below this integer resolution the certificates are not tried


def refuted(
    ai: np.ndarray, af: np.ndarray, supp: np.ndarray, best: np.ndarray, top: int
) -> np.ndarray:
    """Which systems ``A[S, T] y = 1, y >= 0, A y <= 1`` are proven infeasible (exactly).

    ``ai``/``af``: ``A`` as int64 and float arrays, entries in ``[1, top]``; ``supp`` and
    ``best``: ``(g, k)`` row and column indices per system.  True only where an integer Farkas
    certificate checks exactly; False means "not refuted" (solve it exactly).
    """
    g, k = supp.shape
    out = np.zeros(g, dtype=bool)
    bound = 2**62 // ((k + 1) * top)  # |U|, V <= bound keeps every exact sum below 2**62
    if bound < _MIN_SCALE:
        return out
    for lo in range(0, g, _CHUNK):
        s, t = supp[lo : lo + _CHUNK], best[lo : lo + _CHUNK]
        out[lo : lo + _CHUNK] = _refute_chunk(ai, af, s, t, bound)
    return out


def _refute_chunk(
    ai: np.ndarray, af: np.ndarray, s: np.ndarray, t: np.ndarray, bound: int
) -> np.ndarray:
    g = len(s)
    mf = af[s[:, :, None], t[:, None, :]]
    det = np.linalg.det(mf)
    ok = np.isfinite(det) & (det != 0)
    inv = np.zeros_like(mf)
    try:
        inv[ok] = np.linalg.inv(mf[ok])
    except np.linalg.LinAlgError:
        return np.zeros(g, dtype=bool)
    y = inv.sum(axis=2)  # A[S, T]^-1 1
    z = inv.sum(axis=1)  # 1^T A[S, T]^-1
    rows = np.arange(g)
    cols = af[:, t].transpose(1, 0, 2)  # (g, m, k): A[:, T]
    vals = np.einsum("gmk,gk->gm", cols, y)
    vals[rows[:, None], s] = -np.inf  # the support rows equal 1 by construction
    j = y.argmin(axis=1)
    neg = -y[rows, j]
    i = vals.argmax(axis=1)
    over = vals[rows, i] - 1.0
    first = neg > 0
    second = ~first & (over > 0)
    row_i = cols[rows, i]  # (g, k): A[i, T]
    u = np.where(first[:, None], inv[rows, j], -np.einsum("gk,gkc->gc", row_i, inv))
    v = np.where(second, 1.0, 0.0)
    viol = np.where(first, neg, over)
    with np.errstate(all="ignore"):
        eps = viol / (2.0 * np.abs(y).sum(axis=1))
        u = u + eps[:, None] * z
        size = np.maximum(np.abs(u).max(axis=1), v)
        scale = (bound // 2) / size
        fine = (first | second) & ok & np.isfinite(u).all(axis=1) & np.isfinite(scale)
        fine &= size > 0
        uu = np.where(fine[:, None], u * scale[:, None], 0.0)
        vv = np.where(fine, v * scale, 0.0)
    big_u = np.rint(uu).astype(np.int64)
    big_v = np.rint(vv).astype(np.int64)
    mi = ai[s[:, :, None], t[:, None, :]]
    ri = ai[i[:, None], t]
    lhs = np.einsum("gr,grc->gc", big_u, mi) + big_v[:, None] * ri
    return fine & (lhs >= 0).all(axis=1) & (big_u.sum(axis=1) + big_v < 0) & (big_v >= 0)


def face_points(a: IntMatrix, need: int, m: int) -> list[Vector]:
    """The non-zero vertices ``y`` of ``Q`` that carry every label in the bitmask ``need``.

    ``need`` fixes the constraints ``(A y)_i = 1`` (label ``i``) and ``y_j = 0`` (label
    ``m + j``): a face of ``Q``.  When it fixes exactly ``n`` constraints with a non-singular
    system (every simple vertex of ``P``), the face is one point, solved exactly by FLINT and
    checked for feasibility; otherwise the face's vertices are enumerated with cdd's exact
    double description restricted to it (the face lrsnash walks).
    """
    n = len(a[0])
    rows = [i for i in range(m) if need >> i & 1]
    zero = {j for j in range(n) if need >> (m + j) & 1}
    cols = [j for j in range(n) if j not in zero]
    if len(rows) + len(zero) == n:
        solved = support_point(a, rows, cols)
        if solved is not None:
            num, den = solved
            if any(v < 0 for v in num) or not any(num):
                return []
            for row in a:
                if sum(row[c] * v for c, v in zip(cols, num, strict=True)) > den:
                    return []
            y = [Fraction(0)] * n
            for c, v in zip(cols, num, strict=True):
                y[c] = Fraction(v, den)
            return [normalise(y)]
    ineq = [[0] * (n + 1) for _ in range(n)]
    for j in range(n):
        ineq[j][j + 1] = 1
    ineq += [[1, *(-v for v in row)] for row in a]
    mat = cdd.gmp.matrix_from_array(ineq, rep_type=cdd.RepType.INEQUALITY)
    mat.lin_set = frozenset([*zero, *(n + i for i in rows)])
    gens = cdd.gmp.copy_generators(cdd.gmp.polyhedron_from_matrix(mat))
    out = []
    for g in gens.array:
        point = [Fraction(v) for v in g[1:]]
        if g[0] != 0 and any(point):  # bounded face: every generator is a vertex
            out.append(normalise(point))
    return out


def vertex_equilibria(a: IntMatrix, p: Vertices) -> list[tuple[Vector, Vector]]:
    """Every pair ``(x, y)`` of a vertex of ``P`` and a vertex of its open face of ``Q``.

    Simple vertices are first screened by :func:`refuted` (exact certificates); the rest are
    looked up by their label set, so vertices sharing a face share one computation.
    """
    m, n = p.dim, len(a[0])
    tight = p.tight
    dropped = np.zeros(len(tight), dtype=bool)
    top = max(max(row) for row in a)
    if len(tight) and top < 2**40:
        ai = np.array(a, dtype=np.int64)
        af = ai.astype(float)
        supp_all, best_all = ~tight[:, :m], tight[:, m:]
        sizes = supp_all.sum(axis=1)
        for k in np.unique(sizes[p.simple]).tolist():
            sel = np.flatnonzero(p.simple & (sizes == k))
            supp = np.nonzero(supp_all[sel])[1].reshape(-1, k)
            best = np.nonzero(best_all[sel])[1].reshape(-1, k)
            dropped[sel] = refuted(ai, af, supp, best, top)
    full = (1 << (m + n)) - 1
    faces: dict[int, list[Vector]] = {}
    out: list[tuple[Vector, Vector]] = []
    for k in np.flatnonzero(~dropped).tolist():
        mask = sum(1 << r for r in np.flatnonzero(tight[k]).tolist())
        need = full ^ mask
        ys = faces.get(need)
        if ys is None:
            ys = faces[need] = face_points(a, need, m)
        if ys:
            x = p.point(k)
            out += [(x, y) for y in ys]
    return out
