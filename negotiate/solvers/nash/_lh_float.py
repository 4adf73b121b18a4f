"""The Lemke–Howson path in floating point: the fast first pass of the exact solver.

Both kernels follow the path of :func:`~negotiate.solvers.nash.lemke_howson.lemke_howson_profile`
on the same systems (payoffs scaled to at most 1), kept as *condensed* tableaux (Tucker
1960): only the non-basic columns and the right-hand side are stored, since a basic column is
a unit vector.  The ``P`` system has rows ``j`` (basic ``s_j`` at the start) and columns
``x_0..x_{m-1}, rhs``; the ``Q`` system rows ``i`` (basic ``r_i``) and columns
``y_0..y_{n-1}, rhs``; a pivot swaps the labels of the pivot row and column, so it costs
``rows * (columns + 1)`` updates instead of ``rows * (m + n + 1)``.  The leaving row is chosen
by the lexicographic minimum-ratio rule (the right-hand side, then the columns of the initial
slack basis, read as unit vectors while basic), two ratios being tied when they differ by at
most ``tie`` relative to their size (von Stengel 2002, "Computing equilibria for two-person
games", Handbook of Game Theory 3, ch. 45, section 3.7).

Floats decide near-ties only approximately: the caller rebuilds the equilibrium from the final
bases exactly and verifies it.  A wrong tie can also make the float path cycle, which the exact
path never does; both kernels hash the bases (:func:`state_keys`) and stop at a repeat.  The
vectorised numpy kernel runs everywhere; the loop kernel is compiled by numba when numba is
installed (the optional ``fast`` extra) and the game is large enough for the one-off
compilation (cached on disk) to pay.

Kernel arguments: the tableaux ``tp, tq`` (changed in place), the basic label of each row
``bp, bq`` and the non-basic label of each column ``cp, cq`` (changed in place), the dropped
``label``, ``m``, the pivot cap, the tie tolerance, the state keys and ``start = [entering
label, side]`` (0 for ``P``; updated when the cap is reached, so another kernel can resume).
They return the number of pivots, ``-1`` at a ray, ``-2`` at the cap, ``-3`` on a cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["float_path", "numba_kernel", "run_kernel", "state_keys"]

#: Games with at least this many strategies in all use the compiled kernel when available.
NUMBA_MIN_SIZE = 60
#: Pivots taken in numpy before numba is loaded for a longer path (see :func:`float_path`).
HANDOVER = 3000


def start_state(
    fa: np.ndarray, fb: np.ndarray, label: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Condensed tableaux, row and column labels, and ``start`` at the artificial equilibrium."""
    m, n = fa.shape
    tp = np.empty((n, m + 1))
    tp[:, :m] = fb.T
    tp[:, m] = 1.0
    tq = np.empty((m, n + 1))
    tq[:, :n] = fa
    tq[:, n] = 1.0
    bp = np.arange(m, m + n, dtype=np.int64)
    bq = np.arange(m, dtype=np.int64)
    cp = np.arange(m, dtype=np.int64)
    cq = np.arange(m, m + n, dtype=np.int64)
    start = np.array([label, 0 if label < m else 1], dtype=np.int64)
    return tp, tq, bp, bq, cp, cq, start


def _where(basis: np.ndarray, cols: np.ndarray, labels: int) -> np.ndarray:
    """``loc[label]``: its row if basic, ``-(column + 1)`` if not."""
    loc = np.empty(labels, dtype=np.int64)
    loc[basis] = np.arange(basis.size)
    loc[cols] = -np.arange(1, cols.size + 1)
    return loc


def _numpy_leaving(t: np.ndarray, col: int, loc: np.ndarray, slack: range, tie: float) -> int:
    """Row of the lexicographic minimum-ratio test; ``-1`` if no entry is positive."""
    column = t[:, col]
    cand = np.flatnonzero(column > tie)
    if cand.size <= 1:
        return int(cand[0]) if cand.size else -1
    ratios = t[cand, -1] / column[cand]
    low = ratios.min()
    cand = cand[ratios <= low + tie * max(1.0, abs(low))]
    for k in slack:
        if cand.size == 1:
            break
        where = int(loc[k])
        values = (cand == where).astype(float) if where >= 0 else t[cand, -where - 1]
        ratios = values / column[cand]
        low = ratios.min()
        cand = cand[ratios <= low + tie * max(1.0, abs(low))]
    return int(cand[0])


def numpy_path(
    tp: np.ndarray,
    tq: np.ndarray,
    bp: np.ndarray,
    bq: np.ndarray,
    cp: np.ndarray,
    cq: np.ndarray,
    label: int,
    m: int,
    max_pivots: int,
    tie: float,
    keys: np.ndarray,
    start: np.ndarray,
) -> int:
    """The kernel with vectorised rank-one updates (see the module notes for the arguments)."""
    n = tp.shape[0]
    slacks = (range(m, m + n), range(m))
    tabs = (tp, tq)
    bases = (bp, bq)
    labels = (cp, cq)
    locs = (_where(bp, cp, m + n), _where(bq, cq, m + n))
    entering, side = int(start[0]), int(start[1])
    key = keys.tolist()
    flip = key[0][m + n]
    state = 0
    for v in bp.tolist():
        state ^= key[0][v]
    for v in bq.tolist():
        state ^= key[1][v]
    saved, power, lam = state, 1, 0
    for steps in range(1, max_pivots + 1):
        t, loc = tabs[side], locs[side]
        col = -int(loc[entering]) - 1
        row = _numpy_leaving(t, col, loc, slacks[side], tie)
        if row < 0:
            return -1
        column = t[:, col].copy()
        piv = column[row]
        prow = t[row] / piv
        t -= np.multiply.outer(column, prow)
        t[row] = prow
        t[:, col] = column / -piv  # the leaving variable's column
        t[row, col] = 1.0 / piv
        leaving = int(bases[side][row])
        bases[side][row] = entering
        labels[side][col] = leaving
        loc[entering] = row
        loc[leaving] = -col - 1
        if leaving == label:
            return steps
        state ^= key[side][entering] ^ key[side][leaving] ^ flip
        lam += 1
        if state == saved:
            return -3
        if lam == power:
            saved, power, lam = state, 2 * power, 0
        entering = leaving
        side = 1 - side
    start[0], start[1] = entering, side
    return -2


def loop_path(
    tp: np.ndarray,
    tq: np.ndarray,
    bp: np.ndarray,
    bq: np.ndarray,
    cp: np.ndarray,
    cq: np.ndarray,
    label: int,
    m: int,
    max_pivots: int,
    tie: float,
    keys: np.ndarray,
    start: np.ndarray,
) -> int:
    """The same path as :func:`numpy_path` in explicit loops, for compilation by numba.

    Row ``r`` replaces the current best row when its ratio is smaller beyond the tolerance, the
    slack columns deciding ties in order.
    """
    n = tp.shape[0]
    labels_all = m + n
    locp = np.empty(labels_all, dtype=np.int64)
    locq = np.empty(labels_all, dtype=np.int64)
    for r in range(n):
        locp[bp[r]] = r
    for c in range(m):
        locp[cp[c]] = -c - 1
    for r in range(m):
        locq[bq[r]] = r
    for c in range(n):
        locq[cq[c]] = -c - 1
    buf = np.empty(max(m, n) + 1)
    entering = start[0]
    side = start[1]
    flip = keys[0, labels_all]
    state = keys[0, 0] ^ keys[0, 0]  # zero, of the keys' integer type
    for r in range(n):
        state ^= keys[0, bp[r]]
    for r in range(m):
        state ^= keys[1, bq[r]]
    saved = state
    power = 1
    lam = 0
    for steps in range(1, max_pivots + 1):
        if side == 0:
            t, basis, clab, loc, s0, s1 = tp, bp, cp, locp, m, labels_all
        else:
            t, basis, clab, loc, s0, s1 = tq, bq, cq, locq, 0, m
        rows = t.shape[0]
        cols = t.shape[1]
        rhs = cols - 1
        col = -loc[entering] - 1
        best = -1
        for r in range(rows):
            v = t[r, col]
            if v <= tie:
                continue
            if best < 0:
                best = r
                continue
            bv = t[best, col]
            ratio_r = t[r, rhs] / v
            ratio_b = t[best, rhs] / bv
            scale = max(1.0, abs(ratio_b))
            if ratio_r < ratio_b - tie * scale:
                best = r
                continue
            if ratio_r > ratio_b + tie * scale:
                continue
            for k in range(s0, s1):
                where = loc[k]
                if where >= 0:  # basic: a unit column
                    ratio_r = (1.0 if r == where else 0.0) / v
                    ratio_b = (1.0 if best == where else 0.0) / bv
                else:
                    ratio_r = t[r, -where - 1] / v
                    ratio_b = t[best, -where - 1] / bv
                scale = max(1.0, abs(ratio_b))
                if ratio_r < ratio_b - tie * scale:
                    best = r
                    break
                if ratio_r > ratio_b + tie * scale:
                    break
        if best < 0:
            return -1
        piv = t[best, col]
        for c in range(cols):  # a separate copy of the pivot row lets the update vectorise
            buf[c] = t[best, c] / piv
            t[best, c] = buf[c]
        for r in range(rows):
            if r != best:
                f = t[r, col]
                if f != 0.0:
                    for c in range(cols):
                        t[r, c] -= f * buf[c]
                    t[r, col] = -f / piv
        t[best, col] = 1.0 / piv
        leaving = basis[best]
        basis[best] = entering
        clab[col] = leaving
        loc[entering] = best
        loc[leaving] = -col - 1
        if leaving == label:
            return steps
        state ^= keys[side, entering] ^ keys[side, leaving] ^ flip
        lam += 1
        if state == saved:
            return -3
        if lam == power:
            saved = state
            power *= 2
            lam = 0
        entering = leaving
        side = 1 - side
    start[0] = entering
    start[1] = side
    return -2


def state_keys(labels: int) -> np.ndarray:
    """Pseudo-random 64-bit keys of the path's states (Zobrist 1970), the same for every call.

    Row ``side`` column ``k`` is the key of label ``k`` basic on that side; ``[0, labels]``
    marks the side to move.  A state is the XOR of its keys, updated in O(1) per pivot.  The
    exact perturbed path never revisits a state, so a repeated key in floats is a cycle (or,
    with probability about ``2**-64`` per comparison, a collision): both end the float path and
    leave the answer to exact pivoting.  Repeats are found by Brent's method (Brent 1980, "An
    improved Monte Carlo factorization algorithm", BIT 20): the state is saved at pivots
    ``1, 2, 4, 8, ...`` after the last save, so a cycle of length ``L`` entered after ``mu``
    pivots is reported within ``2 max(mu + 1, L) + L`` pivots, in constant memory.  The keys
    are SplitMix64 outputs (Steele, Lea and Flood 2014, "Fast splittable pseudorandom number
    generators", OOPSLA), vectorised: cheaper than seeding a generator per call.
    """
    z = (np.arange(1, 2 * labels + 3, dtype=np.uint64)) * np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(31)
    return z.view(np.int64).reshape(2, labels + 1)


_COMPILED: list[Callable[..., int] | None] = []


def numba_kernel() -> Callable[..., int] | None:
    """:func:`loop_path` compiled by numba (cached on disk), or ``None`` without numba."""
    if not _COMPILED:
        try:
            import numba
        except ImportError:
            _COMPILED.append(None)
        else:
            _COMPILED.append(numba.njit(cache=True, nogil=True)(loop_path))
    return _COMPILED[0]


def run_kernel(
    kernel: Callable[..., int], fa: np.ndarray, fb: np.ndarray, label: int, cap: int, tie: float
) -> int:
    """One kernel from the artificial equilibrium: its return code (pivots, or -1, -2, -3)."""
    tp, tq, bp, bq, cp, cq, start = start_state(fa, fb, label)
    keys = state_keys(sum(fa.shape))
    return kernel(tp, tq, bp, bq, cp, cq, label, fa.shape[0], cap, tie, keys, start)


def float_path(
    fa: np.ndarray, fb: np.ndarray, label: int, max_pivots: int, tie: float, kernel: Any = None
) -> tuple[list[int], list[int], int] | None:
    """The final bases ``(basis_p, basis_q, pivots)`` of the float path, or ``None``.

    ``kernel`` forces :func:`numpy_path` or :func:`loop_path` (or its compiled form).  By
    default small games use numpy; large ones the compiled kernel once it is loaded, and
    before that numpy for the first :data:`HANDOVER` pivots, the compiled kernel (when numba is
    installed) taking over the same tableaux only if the path is longer: a short path never
    pays for loading numba.
    """
    m, n = fa.shape
    tp, tq, bp, bq, cp, cq, start = start_state(fa, fb, label)
    keys = state_keys(m + n)
    args = (tp, tq, bp, bq, cp, cq, label, m)
    if kernel is not None:
        steps = kernel(*args, max_pivots, tie, keys, start)
    elif m + n < NUMBA_MIN_SIZE:
        steps = numpy_path(*args, max_pivots, tie, keys, start)
    elif _COMPILED and _COMPILED[0] is not None:
        steps = _COMPILED[0](*args, max_pivots, tie, keys, start)
    else:
        first = min(HANDOVER, max_pivots)
        steps = numpy_path(*args, first, tie, keys, start)
        if steps == -2 and first < max_pivots:
            rest = numba_kernel() or numpy_path
            steps = rest(*args, max_pivots - first, tie, keys, start)
            steps = steps + first if steps > 0 else steps
    if steps < 0:
        return None
    return [int(v) for v in bp], [int(v) for v in bq], int(steps)
