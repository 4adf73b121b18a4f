"""All extreme Nash equilibria of a bimatrix game by exact vertex enumeration.

With payoff matrices ``A, B > 0`` (m x n; made positive by an exact positive affine map per
player, which leaves the equilibria unchanged), the best-response polytopes are

    P = {x in R^m : x >= 0,  B^T x <= 1}      Q = {y in R^n : A y <= 1,  y >= 0}.

Label the constraints: ``x_i = 0`` and ``(A y)_i = 1`` carry label ``i``; ``(B^T x)_j = 1`` and
``y_j = 0`` carry label ``m + j``.  A pair of vertices ``(x, y) != (0, 0)`` whose labels cover
``{0, ..., m+n-1}`` is *completely labelled*, and ``(x / sum x, y / sum y)`` is an extreme Nash
equilibrium; every extreme equilibrium arises so, also in degenerate games (Mangasarian 1964;
Avis, Rosenberg, Savani and von Stengel 2010, "Enumeration of Nash equilibria for two-player
games", Econ. Theory 42; the lrsnash and Gambit ``enummixed`` algorithm).

Only one polytope is enumerated in full: the one with fewer vertices by McMullen's bound (the
game is transposed when that is ``Q``).  For each vertex ``x`` of ``P`` with label set ``L``,
the partners are the vertices of the face of ``Q`` on which every label outside ``L`` is tight:
one square system, solved exactly, when ``x`` has no extra label, and otherwise the face's own
vertices.  Faces are looked up by their label set, so vertices with extra labels cost no
all-pairs search.  The enumeration of ``P`` is pycddlib's exact (GMP) double description,
with FLINT for the square systems; with ``engine='lrsnash'`` it is lrslib's ``lrsnash``
(reverse search, exact), an optional program used only when asked for and installed.
Every pair is verified exactly before it is returned.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from fractions import Fraction

import cdd
import cdd.gmp

from negotiate._exact import as_fraction
from negotiate.errors import ModelError, SolverError, TooLargeError
from negotiate.games.normal import NormalFormGame
from negotiate.solvers.nash._bimatrix import (
    IntMatrix,
    expected_payoffs,
    integer_payoffs,
    normalise,
    over_common_denominator,
    support_point,
    values,
    vertex_bound,
)
from negotiate.solvers.nash.equilibria import Equilibrium, EquilibriumSet

__all__ = ["DEFAULT_BUDGET", "enummixed", "enummixed_cost"]

#: Default budget on :func:`enummixed_cost`: admits every game up to 14 x 14 (155,040).
DEFAULT_BUDGET = 200_000

Vector = tuple[Fraction, ...]


def enummixed_cost(shape: tuple[int, int]) -> int:
    """Upper bound on the vertices enumerated: ``min(f0(P), f0(Q))`` by McMullen's theorem.

    Each vertex costs one exact square solve (or one small face enumeration).
    """
    m, n = shape
    return min(vertex_bound(m, m + n), vertex_bound(n, m + n))


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


def _face_points(a: IntMatrix, need: int, m: int) -> list[tuple[Fraction, ...]]:
    """The non-zero vertices ``y`` of ``Q`` that carry every label in the bitmask ``need``.

    ``need`` fixes the constraints ``(A y)_i = 1`` (label ``i``) and ``y_j = 0`` (label
    ``m + j``): a face of ``Q``.  When it fixes exactly ``n`` constraints with a non-singular
    system (every vertex of ``P`` without extra labels), the face is one point, solved exactly
    by FLINT and checked for feasibility; otherwise the face's vertices are enumerated with
    cdd's exact double description restricted to it (the face lrsnash walks).
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


def _cdd_equilibria(a: IntMatrix, b: IntMatrix) -> list[tuple[Vector, Vector]]:
    """Vertices of ``P`` by cdd; for each, the face of ``Q`` its labels leave open (hashed)."""
    m, n = len(a), len(a[0])
    bt = tuple(tuple(b[i][j] for i in range(m)) for j in range(n))
    p = _Polytope(bt, m, [*range(m), *range(m, m + n)])
    full = (1 << (m + n)) - 1
    faces: dict[int, list[Vector]] = {}
    out = []
    for k, mask in enumerate(p.masks):
        need = full ^ mask
        ys = faces.get(need)
        if ys is None:
            ys = faces[need] = _face_points(a, need, m)
        if ys:
            x = p.point(k)
            out += [(x, y) for y in ys]
    return out


def _lrsnash_equilibria(a: IntMatrix, b: IntMatrix, exe: str) -> list[tuple[Vector, Vector]]:
    """lrslib's ``lrsnash`` on the integer game: every extreme equilibrium, exactly.

    lrsnash enumerates the vertices of ``P`` by reverse search and, for each, the face of ``Q``
    its labels leave open (Avis, Rosenberg, Savani and von Stengel 2010).  Its output lists
    blocks of ``2 y... v`` lines (column strategies) and ``1 x... v`` lines (row strategies);
    every pair within a block is an extreme equilibrium.
    """
    m, n = len(a), len(a[0])
    text = f"{m} {n}\n\n" + "\n".join(" ".join(map(str, r)) for r in a)
    text += "\n\n" + "\n".join(" ".join(map(str, r)) for r in b) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "game.txt")
        with open(path, "w", encoding="ascii") as fh:
            fh.write(text)
        run = subprocess.run([exe, path], capture_output=True, text=True, check=False)
    if run.returncode != 0 or "Number of equilibria found" not in run.stdout:
        raise SolverError(
            f"lrsnash failed: {(run.stderr or run.stdout).strip()[:200]}",
            solver="lrsnash",
            status=f"exit {run.returncode}",
        )
    out: list[tuple[Vector, Vector]] = []
    xs: list[Vector] = []
    ys: list[Vector] = []
    for line in [*run.stdout.splitlines(), ""]:
        words = line.split()
        if words and words[0] in ("1", "2"):
            size = m if words[0] == "1" else n
            vec = tuple(_rational(w) for w in words[1 : size + 1])
            if sum(vec) != 1:
                vec = normalise(vec)
            (xs if words[0] == "1" else ys).append(vec)
        elif not words:
            out += [(x, y) for x in xs for y in ys]
            xs, ys = [], []
    return out


def _rational(word: str) -> Fraction:
    num, _, den = word.partition("/")
    return Fraction(int(num), int(den)) if den else Fraction(int(num))


def extreme_equilibria(
    a: IntMatrix, b: IntMatrix, engine: str | None = None
) -> tuple[list[tuple[Vector, Vector]], bool]:
    """Kernel: the extreme equilibria of the positive integer game ``(a, b)`` and degeneracy.

    ``engine`` is ``"cdd"`` (the default: cdd's exact double description, a dependency) or
    ``"lrsnash"`` (lrslib's program, used only when asked for and installed: it is not a
    dependency of this package).  ``None`` means ``"cdd"``.
    The polytope enumerated is the one with fewer vertices by McMullen's bound (the game is
    transposed when the column player has fewer strategies).  Every pair is
    verified exactly (each player best-replies; integer arithmetic).  The second value is
    True when some extreme equilibrium is degenerate: one of its strategies has more pure
    best replies than its support size (only then can equilibria form continua).
    """
    m, n = len(a), len(a[0])
    if m > n:
        at = tuple(zip(*b, strict=True))
        bt_ = tuple(zip(*a, strict=True))
        swapped, degenerate = extreme_equilibria(at, bt_, engine)
        return [(x, y) for y, x in swapped], degenerate
    if engine not in (None, "lrsnash", "cdd"):
        raise ModelError("engine", engine, "expected 'cdd' (the default) or 'lrsnash'")
    exe = shutil.which("lrsnash") if engine == "lrsnash" else None
    if engine == "lrsnash" and exe is None:
        raise SolverError("the lrsnash program is not on the PATH", solver="lrsnash")
    pairs = _lrsnash_equilibria(a, b, exe) if exe else _cdd_equilibria(a, b)
    bt = tuple(zip(*b, strict=True))
    seen: dict[tuple[int, Vector], tuple[set[int], set[int]]] = {}

    def best_replies(point: Vector, matrix: IntMatrix) -> tuple[set[int], set[int]]:
        """The support of ``point`` and the rows of ``matrix`` that best-reply to it."""
        key = (id(matrix), point)
        got = seen.get(key)
        if got is None:
            support, num, _ = over_common_denominator(point)
            vals = values(matrix, support, num)
            best = max(vals)
            got = seen[key] = set(support), {i for i, v in enumerate(vals) if v == best}
        return got

    degenerate = False
    for x, y in pairs:
        xsupp, col_best = best_replies(x, bt)
        ysupp, row_best = best_replies(y, a)
        if not (xsupp <= row_best and ysupp <= col_best):
            raise SolverError(
                "vertex enumeration returned a pair that is not an equilibrium",
                solver="lrsnash" if exe else "cdd.gmp",
                status="not_equilibrium",
            )
        degenerate = degenerate or len(col_best) > len(xsupp) or len(row_best) > len(ysupp)
    return pairs, degenerate


def enummixed(
    game: NormalFormGame, *, max_cost: object = None, engine: str | None = None
) -> EquilibriumSet:
    """All extreme Nash equilibria of a two-player game, exactly and completely.

    ``engine="lrsnash"`` hands the vertex enumeration to lrslib's ``lrsnash`` program when it
    is installed (optional; faster on games over about 10 x 10); the default is cdd.

    Raises :class:`TooLargeError` when :func:`enummixed_cost` exceeds ``max_cost`` (default
    :data:`DEFAULT_BUDGET`) and :class:`SolverError` if no equilibrium results (impossible by
    Nash's theorem, so it signals a fault).
    """
    check_budget(game, max_cost, "enummixed")
    a, b = integer_payoffs(game)
    pairs, degenerate = extreme_equilibria(a, b, engine)
    profiles = [Equilibrium(game, (x, y), expected_payoffs(game, x, y)) for x, y in pairs]
    if not profiles:
        raise SolverError(
            "vertex enumeration found no equilibrium", solver="enummixed", status="empty"
        )
    options: dict[str, object] = {} if max_cost is None else {"max_cost": max_cost}
    if engine is not None:
        options["engine"] = engine
    return EquilibriumSet.build(
        game,
        profiles,
        method="enummixed",
        options=options,
        complete=True,
        degenerate=degenerate,
    )
