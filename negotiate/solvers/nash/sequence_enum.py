"""All extreme equilibria of the sequence form of a two-player tree, by vertex enumeration.

With sequence-form payoffs ``A, B`` and constraints ``E x = e``, ``F y = f``, the
best-response polyhedra are

    P = {(x, v) : x >= 0, E x = e, F^T v - B^T x >= 0}
    Q = {(y, u) : y >= 0, F y = f, E^T u - A y >= 0}.

Label ``x_s = 0`` and ``(E^T u - A y)_s = 0`` with player 1's sequence ``s``, and
``(F^T v - B^T x)_t = 0`` and ``y_t = 0`` with player 2's sequence ``t``.  A pair of vertices
whose labels cover all sequences is an equilibrium, and every extreme equilibrium of the
sequence form arises so (von Stengel 1996; von Stengel 2002, "Computing equilibria for
two-person games", Handbook of Game Theory 3, Sect. 9).  Vertices are enumerated exactly with
pycddlib (GMP rationals), as for bimatrix games in :mod:`negotiate.solvers.nash.enummixed`.
"""

from __future__ import annotations

from fractions import Fraction

import cdd
import cdd.gmp

from negotiate.errors import ModelError, TooLargeError
from negotiate.solvers.nash._bimatrix import vertex_bound
from negotiate.solvers.nash.complementary import complementary_pairs
from negotiate.solvers.nash.sequence_form import SequenceForm
from negotiate.solvers.nash.sequence_lcp import integer_sequence_payoffs

__all__ = ["SEQUENCE_ENUM_BUDGET", "sequence_enum", "sequence_enum_cost"]

#: Default budget on :func:`sequence_enum_cost` (admits Kuhn poker).
SEQUENCE_ENUM_BUDGET = 10**10

Vertex = tuple[tuple[Fraction, ...], int]


def sequence_enum_cost(sf: SequenceForm) -> int:
    """Upper bound on the vertex pairs examined (McMullen's bound for each polyhedron)."""
    (n1, n2), k1, k2 = sf.sizes, len(sf.players[0].infosets) + 1, len(sf.players[1].infosets) + 1
    facets = n1 + n2
    return vertex_bound(n1 + k2 - k1, facets) * vertex_bound(n2 + k1 - k2, facets)


def check_sequence_budget(sf: SequenceForm, max_cost: object) -> int:
    cost = sequence_enum_cost(sf)
    budget = SEQUENCE_ENUM_BUDGET if max_cost is None else max_cost
    if not isinstance(budget, int | float | Fraction) or isinstance(budget, bool) or budget <= 0:
        raise ModelError("max_cost", max_cost, "must be a positive number")
    if cost > budget:
        raise TooLargeError(
            f"enumerating the extreme equilibria of a sequence form with {sf.sizes} sequences",
            cost=cost,
            budget=float(budget),
            instead="Use method='lcp' for one equilibrium (Lemke), or raise max_cost=.",
        )
    return cost


def _polyhedron(
    n_x: int,
    eq_rows: list[list[int]],
    cons_rows: list[list[int]],
    labels: list[int],
) -> list[Vertex]:
    """Vertices (coordinates of the first ``n_x`` variables, label mask) of
    ``{z : z[:n_x] >= 0, eq_rows z = (1, 0, ...), cons_rows z >= 0}``."""
    dim = len(eq_rows[0])
    rows: list[list[int]] = []
    for s in range(n_x):
        row = [0] * (dim + 1)
        row[s + 1] = 1
        rows.append(row)
    rows += [[0, *r] for r in cons_rows]
    lin_start = len(rows)
    rows += [[-int(k == 0), *r] for k, r in enumerate(eq_rows)]
    mat = cdd.gmp.matrix_from_array(
        rows, lin_set=range(lin_start, len(rows)), rep_type=cdd.RepType.INEQUALITY
    )
    poly = cdd.gmp.polyhedron_from_matrix(mat)
    gens = cdd.gmp.copy_generators(poly)
    incidence = cdd.gmp.copy_incidence(poly)
    out: list[Vertex] = []
    for gen, tight in zip(gens.array, incidence, strict=True):
        if gen[0] == 0:  # a ray
            continue
        mask = 0
        for r in tight:
            if r < lin_start:
                mask |= 1 << labels[r]
        out.append((tuple(Fraction(v) for v in gen[1 : n_x + 1]), mask))
    return out


def sequence_enum(
    sf: SequenceForm,
) -> list[tuple[tuple[Fraction, ...], tuple[Fraction, ...]]]:
    """The realization-plan pairs of all extreme equilibria of the sequence form ``sf``."""
    a, b = integer_sequence_payoffs(sf)
    e = sf.players[0].constraints()
    f = sf.players[1].constraints()
    n1, n2, k1, k2 = len(a), len(a[0]), len(e), len(f)
    # P over (x, v): F^T v - B^T x >= 0 (labels n1 + t)
    p_eq = [[*row, *([0] * k2)] for row in e]
    p_cons = [[*(-b[s][t] for s in range(n1)), *(f[h][t] for h in range(k2))] for t in range(n2)]
    p = _polyhedron(n1, p_eq, p_cons, [*range(n1), *range(n1, n1 + n2)])
    # Q over (y, u): E^T u - A y >= 0 (labels s)
    q_eq = [[*row, *([0] * k1)] for row in f]
    q_cons = [[*(-a[s][t] for t in range(n2)), *(e[h][s] for h in range(k1))] for s in range(n1)]
    q = _polyhedron(n2, q_eq, q_cons, [*range(n1, n1 + n2), *range(n1)])
    pairs = complementary_pairs([mk for _, mk in p], [mk for _, mk in q], n1 + n2)
    return list(dict.fromkeys((p[i][0], q[j][0]) for i, j in pairs))
