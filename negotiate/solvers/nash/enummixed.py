"""All extreme Nash equilibria of a bimatrix game by exact vertex enumeration.

With payoff matrices ``A, B > 0`` (m x n; made positive by an exact positive affine map per
player, which leaves the equilibria unchanged), the best-response polytopes are

    P = {x in R^m : x >= 0,  B^T x <= 1}      Q = {y in R^n : A y <= 1,  y >= 0}.

Label the constraints: ``x_i = 0`` and ``(A y)_i = 1`` carry label ``i``; ``(B^T x)_j = 1`` and
``y_j = 0`` carry label ``m + j``.  A pair of vertices ``(x, y) != (0, 0)`` whose labels cover
``{0, ..., m+n-1}`` is *completely labelled*, and ``(x / sum x, y / sum y)`` is an extreme Nash
equilibrium; every extreme equilibrium arises so, also in degenerate games (Mangasarian 1964;
Avis, Rosenberg, Savani and von Stengel 2010, "Enumeration of Nash equilibria for two-player
games", Econ. Theory 42; the lrsnash and Gambit ``enummixed`` algorithm).  The game is
degenerate exactly when some vertex has more labels than the dimension of its polytope.

Vertices are enumerated exactly (GMP rationals) with pycddlib's double description method; label
sets become integer bitmasks and complementary pairs are found with numpy in bulk.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import cdd
import cdd.gmp
import numpy as np

from negotiate._exact import as_fraction
from negotiate.errors import ModelError, SolverError, TooLargeError
from negotiate.games.normal import NormalFormGame
from negotiate.solvers.nash._bimatrix import IntMatrix, integer_payoffs, normalise, vertex_bound
from negotiate.solvers.nash.equilibria import EquilibriumSet

__all__ = ["DEFAULT_BUDGET", "enummixed", "enummixed_cost"]

#: Default budget on :func:`enummixed_cost`: admits every game up to 12 x 12 (6.1e8).
DEFAULT_BUDGET = 10**9

_WORD = 62  # label bits per int64 word
_PAIR_BLOCK = 4_000_000  # mask comparisons per numpy block


def enummixed_cost(shape: tuple[int, int]) -> int:
    """Upper bound on the vertex pairs examined: ``f0(P) * f0(Q)`` by McMullen's theorem."""
    m, n = shape
    return vertex_bound(m, m + n) * vertex_bound(n, m + n)


def check_budget(
    game: NormalFormGame,
    max_cost: object,
    method: str,
    cost: int | None = None,
    default: int = DEFAULT_BUDGET,
) -> int:
    """The estimated cost (default :func:`enummixed_cost`), checked against ``max_cost``.

    Raises :class:`TooLargeError` when over the budget (``default`` unless ``max_cost``).
    """
    if max_cost is None:
        budget = Fraction(default)
    else:
        budget = as_fraction(max_cost, "max_cost")
        if budget <= 0:
            raise ModelError("max_cost", max_cost, "must be positive")
    if cost is None:
        cost = enummixed_cost((game.shape[0], game.shape[1]))
    if cost > budget:
        raise TooLargeError(
            f"enumerating all equilibria of a {game.shape[0]}x{game.shape[1]} game "
            f"with method={method!r}",
            cost=cost,
            budget=float(budget),
            instead="Use method='lemke_howson' for one equilibrium, or raise max_cost=.",
        )
    return cost


class _Polytope:
    """``{z >= 0, M z <= 1}`` by exact vertex enumeration (cdd, GMP), labelled.

    Row ``r`` of the cdd matrix carries label ``labels[r]``: first the ``dim`` non-negativity
    rows, then the rows of ``M``.  ``masks[k]`` is the label bitmask of vertex ``k`` (origin
    excluded); coordinates are computed only for the vertices asked for (:meth:`point`).
    """

    def __init__(self, constraints: IntMatrix, dim: int, labels: Sequence[int]) -> None:
        rows: list[list[int]] = [[0] * (dim + 1) for _ in range(dim)]
        for i in range(dim):
            rows[i][i + 1] = 1
        rows += [[1, *(-v for v in row)] for row in constraints]
        self.dim = dim
        self.rows = rows  # each row [b, -a...] means b - a.z >= 0
        mat = cdd.gmp.matrix_from_array(rows, rep_type=cdd.RepType.INEQUALITY)
        # P and Q are bounded (payoffs >= 1), so every generator is a vertex.
        incidence = cdd.gmp.copy_incidence(cdd.gmp.polyhedron_from_matrix(mat))
        self.tight: list[list[int]] = []
        self.masks: list[int] = []
        for tight in incidence:
            if all(r < dim for r in tight):  # the origin: no best-reply label
                continue
            mask = 0
            for r in tight:
                mask |= 1 << labels[r]
            self.tight.append(sorted(tight))
            self.masks.append(mask)

    def point(self, k: int) -> tuple[Fraction, ...]:
        """Vertex ``k`` as a mixed strategy: its tight constraints solved exactly, normalised.

        Fraction-free Gauss–Jordan elimination (integer pivoting, exact divisions by the
        previous pivot) on the equations ``a.z = b`` of the tight rows.
        """
        eqs = [[-v for v in self.rows[r][1:]] + [self.rows[r][0]] for r in self.tight[k]]
        det = 1
        for col in range(self.dim):
            piv = next((r for r in range(col, len(eqs)) if eqs[r][col] != 0), None)
            if piv is None:
                raise SolverError(
                    "a vertex is not determined by its tight constraints",
                    solver="cdd.gmp",
                    status="rank_deficient",
                )
            eqs[col], eqs[piv] = eqs[piv], eqs[col]
            prow = eqs[col]
            p = prow[col]
            for r, cur in enumerate(eqs):
                if r != col:
                    f = cur[col]
                    eqs[r] = [(v * p - f * w) // det for v, w in zip(cur, prow, strict=True)]
            det = p
        if any(row[-1] for row in eqs[self.dim :]):
            raise SolverError(
                "the tight constraints of a vertex are inconsistent",
                solver="cdd.gmp",
                status="inconsistent",
            )
        return normalise([Fraction(eqs[i][-1], eqs[i][i]) for i in range(self.dim)])


def _words(masks: Sequence[int], n_words: int) -> np.ndarray:
    low = (1 << _WORD) - 1
    return np.array(
        [[(mk >> (_WORD * w)) & low for w in range(n_words)] for mk in masks], dtype=np.int64
    ).reshape(len(masks), n_words)


def complementary_pairs(
    p_masks: Sequence[int], q_masks: Sequence[int], n_labels: int, simple: bool = False
) -> list[tuple[int, int]]:
    """All ``(a, b)`` with ``p_masks[a] | q_masks[b]`` covering every one of ``n_labels`` labels.

    With ``simple`` (every vertex has exactly as many labels as its dimension: a nondegenerate
    game) the partner of a vertex must carry exactly the complementary labels: a hash lookup.
    """
    full = (1 << n_labels) - 1
    if simple:
        index = {mk: j for j, mk in enumerate(q_masks)}
        return [(i, index[full ^ mk]) for i, mk in enumerate(p_masks) if full ^ mk in index]
    if not p_masks or not q_masks:
        return []
    n_words = (n_labels + _WORD - 1) // _WORD
    p = _words(p_masks, n_words)
    q = _words(q_masks, n_words)
    need = _words([full], n_words)[0] & ~p  # labels each row vertex lacks
    block = max(1, _PAIR_BLOCK // (len(q_masks) * n_words))
    pairs: list[tuple[int, int]] = []
    for start in range(0, len(p_masks), block):
        nd = need[start : start + block, None, :]
        hit = ((q[None, :, :] & nd) == nd).all(axis=2)
        a, b = np.nonzero(hit)
        pairs += [(int(i) + start, int(j)) for i, j in zip(a, b, strict=True)]
    return pairs


def extreme_equilibria(
    a: IntMatrix, b: IntMatrix
) -> tuple[list[tuple[tuple[Fraction, ...], tuple[Fraction, ...]]], bool]:
    """Kernel: the extreme equilibria of the positive integer game ``(a, b)`` and degeneracy."""
    m, n = len(a), len(a[0])
    bt = tuple(tuple(b[i][j] for i in range(m)) for j in range(n))
    p = _Polytope(bt, m, [*range(m), *range(m, m + n)])
    q = _Polytope(a, n, [*range(m, m + n), *range(m)])
    degenerate = any(mk.bit_count() != m for mk in p.masks) or any(
        mk.bit_count() != n for mk in q.masks
    )
    pairs = complementary_pairs(p.masks, q.masks, m + n, simple=not degenerate)
    xs = {i: p.point(i) for i in {i for i, _ in pairs}}
    ys = {j: q.point(j) for j in {j for _, j in pairs}}
    return [(xs[i], ys[j]) for i, j in pairs], degenerate


def enummixed(game: NormalFormGame, *, max_cost: object = None) -> EquilibriumSet:
    """All extreme Nash equilibria of a two-player game, exactly and completely.

    Raises :class:`TooLargeError` when :func:`enummixed_cost` exceeds ``max_cost`` (default
    :data:`DEFAULT_BUDGET`) and :class:`SolverError` if no equilibrium results (impossible by
    Nash's theorem, so it signals a fault).
    """
    check_budget(game, max_cost, "enummixed")
    a, b = integer_payoffs(game)
    profiles, degenerate = extreme_equilibria(a, b)
    if not profiles:
        raise SolverError(
            "vertex enumeration found no equilibrium", solver="enummixed", status="empty"
        )
    options = {} if max_cost is None else {"max_cost": max_cost}
    return EquilibriumSet.build(
        game,
        profiles,
        method="enummixed",
        options=options,
        complete=True,
        degenerate=degenerate,
    )
