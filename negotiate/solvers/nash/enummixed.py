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
one square system when ``x`` is a simple vertex, and otherwise the face's own vertices.  The
square systems of all simple vertices are first screened in one float batch whose Farkas
certificates of infeasibility are checked exactly in integers (:mod:`._partners`); the rest
are solved exactly (FLINT) or their faces enumerated exactly (cdd), looked up by label set.

Engines for the vertices of ``P`` (:func:`resolve_engine`; the result's notes name the one
that ran): ``"lrs"``, lrslib's ``lrs`` program (lexicographic reverse search, exact; Avis
2000), ``"cdd"``, pycddlib's exact (GMP) double description (a dependency), and
``"lrsnash"``, lrslib's whole ``lrsnash`` program.  ``"auto"``, the default, is deterministic:
cdd on small games (:data:`AUTO_CDD_MAX_COST`, where starting a program costs more than the
enumeration) or when lrs is not installed, lrs otherwise.  lrslib is optional (Debian's
``lrslib``); every engine gives the same exact set, and every pair is verified exactly before
it is returned.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from fractions import Fraction

from negotiate._exact import as_fraction
from negotiate.errors import ModelError, SolverError, TooLargeError
from negotiate.games.normal import NormalFormGame
from negotiate.solvers.nash._bimatrix import (
    IntMatrix,
    expected_payoffs,
    integer_payoffs,
    normalise,
    over_common_denominator,
    values,
    vertex_bound,
)
from negotiate.solvers.nash._partners import screen_for, vertex_equilibria
from negotiate.solvers.nash._polytope import cdd_vertices, lrs_estimate, lrs_vertices
from negotiate.solvers.nash.equilibria import Equilibrium, EquilibriumSet

__all__ = ["DEFAULT_BUDGET", "ENGINES", "enummixed", "enummixed_cost", "resolve_engine"]

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


#: The engines of :func:`resolve_engine`.
ENGINES = ("auto", "lrs", "cdd", "lrsnash")

_ENGINE_NAMES = {
    "lrs": "lrslib's lrs (reverse search)",
    "cdd": "cddlib (double description)",
    "lrsnash": "lrslib's lrsnash",
}


#: ``"auto"`` keeps cdd up to this :func:`enummixed_cost` (6 x 6 costs 112, 7 x 7 costs 240):
#: below it starting a program costs more than cdd's whole enumeration.
AUTO_CDD_MAX_COST = 150


def resolve_engine(engine: str | None, shape: tuple[int, int]) -> str:
    """The engine that runs on a game of ``shape``; an explicit engine must be available.

    ``"auto"`` (or ``None``) is deterministic: ``"cdd"`` when :func:`enummixed_cost` is at
    most :data:`AUTO_CDD_MAX_COST` or lrslib's ``lrs`` program is not on the PATH, else
    ``"lrs"``.
    """
    if engine is None or engine == "auto":
        small = enummixed_cost(shape) <= AUTO_CDD_MAX_COST
        return "cdd" if small or shutil.which("lrs") is None else "lrs"
    if engine not in ENGINES:
        raise ModelError("engine", engine, f"expected one of {', '.join(map(repr, ENGINES))}")
    if engine in ("lrs", "lrsnash") and shutil.which(engine) is None:
        raise SolverError(f"the {engine} program is not on the PATH", solver=engine)
    return engine


#: From this :func:`enummixed_cost` (11 x 11 costs 8,736) the lrs engine first estimates the
#: vertices of both polytopes (:func:`lrs_estimate`, a few ms) and enumerates the smaller.
ESTIMATE_MIN_COST = 8_000


def _vertex_equilibria(a: IntMatrix, b: IntMatrix, engine: str) -> list[tuple[Vector, Vector]]:
    """Vertices of ``P`` (by ``engine``); for each, the face of ``Q`` its labels leave open.

    With lrs on a large game, ``P`` and ``Q`` are swapped (the game transposed) when lrs's
    estimate gives ``Q`` fewer vertices: random games of one size differ several-fold.
    """
    m, n = len(a), len(a[0])
    bt = tuple(tuple(b[i][j] for i in range(m)) for j in range(n))
    if engine != "lrs":
        return vertex_equilibria(a, cdd_vertices(bt, m))
    exe = shutil.which("lrs") or "lrs"
    if enummixed_cost((m, n)) >= ESTIMATE_MIN_COST:
        size_p, size_q = lrs_estimate(bt, m, exe), lrs_estimate(a, n, exe)
        if size_p is not None and size_q is not None and size_q < size_p:
            at = tuple(tuple(row) for row in bt)  # the transposed game (B^T, A^T): P is Q
            swapped = vertex_equilibria(at, *lrs_vertices(a, n, exe, screen_for(at, n)))
            return [(x, y) for y, x in swapped]
    return vertex_equilibria(a, *lrs_vertices(bt, m, exe, screen_for(a, m)))


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

    ``engine`` (see :func:`resolve_engine`): ``"auto"``/``None`` (lrs when installed and the
    game is not small, else cdd), ``"lrs"`` (lrslib's reverse search for the vertices of
    ``P``), ``"cdd"`` (cdd's double description, a dependency) or ``"lrsnash"`` (lrslib's
    whole program).  lrslib is optional: used only when installed, it never changes the result.
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
    used = resolve_engine(engine, (m, n))
    if used == "lrsnash":
        pairs = _lrsnash_equilibria(a, b, shutil.which("lrsnash") or "lrsnash")
    else:
        pairs = _vertex_equilibria(a, b, used)
    bt = tuple(zip(*b, strict=True))
    seen: dict[tuple[int, int], tuple[set[int], set[int]]] = {}

    def best_replies(point: Vector, matrix: IntMatrix) -> tuple[set[int], set[int]]:
        """The support of ``point`` and the rows of ``matrix`` that best-reply to it."""
        key = (id(matrix), id(point))  # ``pairs`` keeps every point alive: ids are stable
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
                solver=used,
                status="not_equilibrium",
            )
        degenerate = degenerate or len(col_best) > len(xsupp) or len(row_best) > len(ysupp)
    return pairs, degenerate


def enummixed(
    game: NormalFormGame, *, max_cost: object = None, engine: str | None = None
) -> EquilibriumSet:
    """All extreme Nash equilibria of a two-player game, exactly and completely.

    ``engine`` chooses the vertex enumeration (:func:`resolve_engine`): by default lrslib's
    ``lrs`` when it is installed (optional; reverse search, 3-4 times faster than cdd at
    10 x 10) and the game is not small, else cdd.  Every engine gives the same exact
    set; the result's notes name the engine that ran.  Should lrs fail under ``"auto"`` (a
    different program of that name, another output format), cdd runs and a note says so.

    Raises :class:`TooLargeError` when :func:`enummixed_cost` exceeds ``max_cost`` (default
    :data:`DEFAULT_BUDGET`) and :class:`SolverError` if no equilibrium results (impossible by
    Nash's theorem, so it signals a fault).
    """
    check_budget(game, max_cost, "enummixed")
    used = resolve_engine(engine, (game.shape[0], game.shape[1]))
    a, b = integer_payoffs(game)
    notes: list[str] = []
    try:
        pairs, degenerate = extreme_equilibria(a, b, used)
    except SolverError as err:  # "auto" does not depend on an optional program's output
        if used != "lrs" or engine not in (None, "auto"):
            raise
        notes.append(f"lrs failed ({err}); the cdd engine ran instead")
        used = "cdd"
        pairs, degenerate = extreme_equilibria(a, b, used)
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
        notes=(*notes, f"vertex enumeration by {_ENGINE_NAMES[used]}"),
    )
