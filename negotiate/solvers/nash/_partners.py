"""The partners of the vertices of ``P``: for each, the face of ``Q`` its labels leave open.

A vertex ``x`` of ``P`` with label set ``L`` is part of an extreme equilibrium exactly when the
face of ``Q = {y >= 0, A y <= 1}`` on which every label outside ``L`` is tight has a non-zero
vertex.  At a simple vertex with support ``S`` and best replies ``T`` (``|S| = |T| = k``) that
face is the solution of ``A[S, T] y_T = 1``, ``y = 0`` off ``T``, if it lies in ``Q``.

Most simple vertices have no partner, and :func:`refuted` proves so in bulk: a batched float
solve of the systems (padded to one size) proposes a Farkas certificate for each, made
integral and checked in exact integer arithmetic (int64, with a proven bound on every sum).
A certificate ``(u, v)``, ``v >= 0``, with ``u^T A[S, T] + v A[i, T] >= 0`` and
``u.1 + v < 0`` shows that no ``y_T >= 0`` has ``A[S, T] y_T = 1`` and ``A[i, T] y_T <= 1``
(multiply by ``y_T``).  It is the row ``j`` of ``A[S, T]^-1`` when ``y_j < 0`` (``v = 0``),
or ``-A[i, T] A[S, T]^-1`` when row ``i`` beats the support (``v = 1``), nudged by
``eps 1^T A[S, T]^-1`` so that rounding keeps the signs.  Floats only propose: a vertex is
dropped only on an exact proof, and every other vertex is solved exactly (FLINT) or, when
degenerate, its face enumerated exactly (cdd), as before (Avis, Rosenberg, Savani and von
Stengel 2010, the lrsnash algorithm).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import cdd
import cdd.gmp
import numpy as np

from negotiate.solvers.nash._bimatrix import IntMatrix, normalise, support_point
from negotiate.solvers.nash._polytope import Vertices

__all__ = ["face_points", "refuted", "screen_for", "vertex_equilibria"]

Vector = tuple[Fraction, ...]

_CHUNK = 4096  # systems per float batch (bounds the memory of the gathered submatrices)
_MIN_SCALE = 2**24  # below this integer resolution the certificates are not tried
_MIN_BATCH = 48  # fewer simple vertices than this are solved exactly without screening


def refuted(ai: np.ndarray, supp: np.ndarray, best: np.ndarray, top: int) -> np.ndarray:
    """Which systems ``A[S, T] y = 1, y >= 0, A y <= 1`` are proven infeasible (exactly).

    ``ai``: ``A`` as an int64 array, entries in ``[1, top]``; row ``g`` of the boolean arrays
    ``supp`` (rows of ``A``) and ``best`` (columns) marks ``S`` and ``T`` of system ``g``
    (``|S| = |T|``).  Systems are padded to one size ``K`` with an identity block (``y = 0``
    on the padding, right-hand side 0 there), which changes no solution and lets one float
    batch serve every size.  True only where an integer Farkas certificate checks exactly;
    False means "not refuted" (solve it exactly).
    """
    g = len(supp)
    out = np.zeros(g, dtype=bool)
    sizes = supp.sum(axis=1)
    if not g or not np.array_equal(sizes, best.sum(axis=1)):
        return out
    m, n = ai.shape
    big = int(sizes.max())
    bound = 2**62 // ((big + 1) * top)  # |U|, V <= bound keeps every exact sum below 2**62
    if bound < _MIN_SCALE or big == 0:
        return out
    ext = np.zeros((m + big, n + big), dtype=np.int64)  # [[A, 0], [0, I]]
    ext[:m, :n] = ai
    ext[np.arange(m, m + big), np.arange(n, n + big)] = 1
    real = np.arange(big)[None, :] < sizes[:, None]
    # the marked indices in increasing order, then padding slot p as index m + p (n + p)
    pad_s = np.where(real, np.argsort(~supp, axis=1, kind="stable")[:, :big], m + np.arange(big))
    pad_t = np.where(real, np.argsort(~best, axis=1, kind="stable")[:, :big], n + np.arange(big))
    extf = ext.astype(float)
    for lo in range(0, g, _CHUNK):
        part = slice(lo, lo + _CHUNK)
        out[part] = _refute_chunk(extf, m, pad_s[part], pad_t[part], real[part], bound)
    return out


def _refute_chunk(
    af: np.ndarray,
    m: int,
    s: np.ndarray,
    t: np.ndarray,
    real: np.ndarray,
    bound: int,
) -> np.ndarray:
    """:func:`refuted` on one batch of padded systems (``real`` marks the unpadded slots)."""
    g = len(s)
    mf = af[s[:, :, None], t[:, None, :]]
    ok = np.ones(g, dtype=bool)
    try:
        inv = np.linalg.inv(mf)
    except np.linalg.LinAlgError:  # some system is singular in floats: leave those out
        det = np.linalg.det(mf)
        ok = np.isfinite(det) & (det != 0)
        inv = np.zeros_like(mf)
        try:
            inv[ok] = np.linalg.inv(mf[ok])
        except np.linalg.LinAlgError:
            return np.zeros(g, dtype=bool)
    rhs = real.astype(float)
    y = np.einsum("grc,gc->gr", inv, rhs)  # A[S, T]^-1 1 (0 on the padding)
    z = np.einsum("gr,grc->gc", rhs, inv)  # 1^T A[S, T]^-1
    rows = np.arange(g)
    cols = af[:m, t].transpose(1, 0, 2)  # (g, m, K): A[:, T] (0 on the padding)
    vals = np.einsum("gmk,gk->gm", cols, y)
    sm = np.where(real, s, 0)
    vals[rows[:, None], sm] = np.where(real, -np.inf, vals[rows[:, None], sm])
    j = np.where(real, y, np.inf).argmin(axis=1)
    neg = -y[rows, j]
    i = vals.argmax(axis=1)
    over = vals[rows, i] - 1.0
    first = neg > 0
    second = ~first & (over > 0)
    row_i = cols[rows, i]  # (g, K): A[i, T]
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
    mi = mf.astype(np.int64)  # exact: entries are at most top < 2**38 (else bound < _MIN_SCALE)
    ri = row_i.astype(np.int64)
    lhs = np.einsum("gr,grc->gc", big_u, mi) + big_v[:, None] * ri
    total = (big_u * real).sum(axis=1) + big_v  # u.rhs + v: the padding's right side is 0
    return fine & (lhs >= 0).all(axis=1) & (total < 0) & (big_v >= 0)


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
            total = sum(num)
            y = [Fraction(0)] * n
            for c, v in zip(cols, num, strict=True):
                y[c] = Fraction(v, total)
            return [tuple(y)]
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


def screen_for(a: IntMatrix, dim: int) -> Callable[[np.ndarray], np.ndarray]:
    """The screen of vertices of ``P`` (incidence rows) by :func:`refuted` against ``A``.

    Simple rows are screened; others (and every row when ``A``'s entries are too wide for
    the int64 check, or when fewer than ``_MIN_BATCH`` rows would be: exact solves are then
    cheaper than the batch) are never dropped.
    """
    top = max(max(row) for row in a)
    ai = np.array(a, dtype=np.int64) if top < 2**40 else None

    def screen(tight: np.ndarray) -> np.ndarray:
        out = np.zeros(len(tight), dtype=bool)
        simple = tight.sum(axis=1) == dim
        if ai is not None and simple.sum() >= _MIN_BATCH:
            sub = tight[simple]
            out[simple] = refuted(ai, ~sub[:, :dim], sub[:, dim:], top)
        return out

    return screen


def vertex_equilibria(
    a: IntMatrix, p: Vertices, dropped: np.ndarray | None = None
) -> list[tuple[Vector, Vector]]:
    """Every pair ``(x, y)`` of a vertex of ``P`` and a vertex of its open face of ``Q``.

    Vertices are first screened (:func:`screen_for`, unless ``dropped`` gives its result);
    the rest are looked up by their label set, so vertices sharing a face share one
    computation.
    """
    m, n = p.dim, len(a[0])
    tight = p.tight
    if dropped is None:
        dropped = screen_for(a, m)(tight)
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
