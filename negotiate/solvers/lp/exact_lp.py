"""Exact optimal solutions of linear programs solved in floating point.

The problem and its dual (x free; sign constraints are rows of ``G``)::

    primal:  maximise c.x          subject to  E x = e,  G x >= g
    dual:    minimise e.y - g.u    subject to  E^T y - G^T u = c,  u >= 0

Weak duality: for feasible points, ``c.x = y.Ex - u.Gx <= e.y - g.u``; equality proves both
optimal.  That is the certificate checked here, in exact arithmetic.

Route (docs/conventions.md, "Numbers"):

1. HiGHS (``scipy.optimize.linprog(method="highs")``) solves the problem in floats, with each
   row scaled to unit max-norm.
2. The primal and the dual vertices are reconstructed exactly: a simplex vertex of a polyhedron
   in R^d is the unique solution of d linearly independent tight constraints.  Constraints are
   taken in order of their float slack (equalities first) while they are independent; the
   constraints of the form ``x_k >= 0`` fix variables to zero, and the remaining square system
   (on the support) is solved in Fractions.
3. Both points are checked exactly: feasibility, and a duality gap of exactly zero.
4. If the float answer was not good enough to recover the vertex (mixed scales beyond double
   precision, near-ties), cddlib's exact LP solver (GMP rationals, via ``pycddlib``) solves the
   problem and its answer is checked the same way.  Otherwise :class:`SolverError`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from negotiate.errors import SolverError

__all__ = ["LPSolution", "LinearProgram", "fraction_solve", "solve_exact"]

#: A sparse row: ``({column: coefficient}, right-hand side)``.
Row = tuple[dict[int, Fraction], Fraction]


@dataclass(frozen=True)
class LinearProgram:
    """``max c.x`` subject to ``E x = e`` (``eq``) and ``G x >= g`` (``ge``), x free."""

    c: tuple[Fraction, ...]
    eq: tuple[Row, ...]
    ge: tuple[Row, ...]

    @property
    def dim(self) -> int:
        return len(self.c)


@dataclass(frozen=True)
class LPSolution:
    """An exactly verified optimal primal-dual pair."""

    x: tuple[Fraction, ...]
    y: tuple[Fraction, ...]
    u: tuple[Fraction, ...]
    value: Fraction
    route: str


def _dot(row: dict[int, Fraction], x: Sequence[Fraction]) -> Fraction:
    return sum((a * x[k] for k, a in row.items()), Fraction(0))


def fraction_solve(
    rows: Sequence[Mapping[int, Fraction]], rhs: Sequence[Fraction], n: int
) -> list[Fraction] | None:
    """Solve the square sparse system ``sum_k rows[i][k] z_k = rhs[i]`` exactly; None if singular.

    Gaussian elimination in Fractions on sparse rows, pivoting on the shortest remaining row
    and, within it, the least used column (a Markowitz-style rule that limits fill-in).
    """
    if len(rows) != n:
        return None
    work = [{k: Fraction(a) for k, a in row.items() if a} for row in rows]
    vec = [Fraction(b) for b in rhs]
    users: dict[int, set[int]] = {}
    for i, row in enumerate(work):
        for k in row:
            users.setdefault(k, set()).add(i)
    active = set(range(n))
    pivots: list[tuple[int, int]] = []
    while active:
        i = min(active, key=lambda r: len(work[r]))
        row = work[i]
        if not row:
            return None
        k = min(row, key=lambda c: len(users[c]))
        active.discard(i)
        pivots.append((i, k))
        inv = 1 / row[k]
        for j in [j for j in users[k] if j in active]:
            other = work[j]
            f = other[k] * inv
            for c, a in row.items():
                v = other.get(c, Fraction(0)) - f * a
                if v:
                    other[c] = v
                    users.setdefault(c, set()).add(j)
                else:
                    other.pop(c, None)
                    users[c].discard(j)
            vec[j] -= f * vec[i]
    z: dict[int, Fraction] = {}
    for i, k in reversed(pivots):
        acc = vec[i] - sum((a * z[c] for c, a in work[i].items() if c != k), Fraction(0))
        z[k] = acc / work[i][k]
    if len(z) != n or set(z) != set(range(n)):
        return None
    return [z[k] for k in range(n)]


def _independent(dense: np.ndarray, order: Sequence[int], need: int) -> list[int]:
    """Greedily pick ``need`` rows of ``dense``, in ``order``, that are linearly independent."""
    basis = np.empty((need, dense.shape[1]))
    chosen: list[int] = []
    for i in order:
        a = dense[i]
        norm = np.linalg.norm(a)
        if norm == 0:
            continue
        r = a / norm
        q = basis[: len(chosen)]
        for _ in range(2):  # re-orthogonalise once for stability
            r = r - q.T @ (q @ r)
        rn = np.linalg.norm(r)
        if rn > 1e-9:
            basis[len(chosen)] = r / rn
            chosen.append(i)
            if len(chosen) == need:
                break
    return chosen


def _feasible(eq: Sequence[Row], ge: Sequence[Row], x: Sequence[Fraction]) -> bool:
    return all(_dot(r, x) == b for r, b in eq) and all(_dot(r, x) >= b for r, b in ge)


def _vertex(
    eq: Sequence[Row],
    ge: Sequence[Row],
    dim: int,
    point: np.ndarray,
    evidence: np.ndarray | None = None,
) -> tuple[Fraction, ...] | None:
    """The feasible vertex at ``point``: ``dim`` independent tight rows, solved exactly.

    ``evidence[i] > 0`` marks inequality ``i`` as tight by complementary slackness (its dual
    value, or for the dual its primal slack); such rows come first, then rows by their float
    slack.  Tight one-variable rows (``x_k >= b``) fix their variable; the other unknowns (the
    support) are determined by independent tight rows, equalities first.  Several thresholds
    are tried; the first feasible vertex is returned.
    """
    rows = list(eq) + list(ge)
    n_eq = len(eq)
    score = np.empty(len(rows))
    for i, (coefs, b) in enumerate(rows):
        scale = max((abs(float(a)) for a in coefs.values()), default=0.0) or 1.0
        score[i] = abs(sum(float(a) * point[k] for k, a in coefs.items()) - float(b)) / scale
    if evidence is not None:
        strong = evidence > 1e-9 * max(1.0, float(np.max(evidence, initial=0.0)))
        score[n_eq:][strong] = -evidence[strong]  # negative: before every slack
    single = [i for i, (coefs, _) in enumerate(rows) if sum(1 for a in coefs.values() if a) == 1]
    single.sort(key=lambda i: score[i])
    rest = sorted(range(n_eq, len(rows)), key=lambda i: score[i])
    # first pass: fix only the rows that complementary slackness proves tight
    thresholds = ((-1e-300,) if evidence is not None else ()) + (1e-9, 1e-6, 1e-12)
    for tol in thresholds:
        fixed: dict[int, Fraction] = {}
        used = set()
        for i in single:
            if score[i] > tol:
                break
            coefs, b = rows[i]
            ((k, a),) = [(k, a) for k, a in coefs.items() if a]
            if k not in fixed:
                fixed[k] = b / a
                used.add(i)
        free = [k for k in range(dim) if k not in fixed]
        pos = {k: j for j, k in enumerate(free)}
        candidates = [i for i in range(n_eq) if i not in used]
        candidates += [i for i in rest if i not in used]
        dense = np.zeros((len(candidates), len(free)))
        for r, i in enumerate(candidates):
            for k, a in rows[i][0].items():
                if k in pos:
                    dense[r, pos[k]] = float(a)
        chosen = _independent(dense, range(len(candidates)), len(free)) if free else []
        if len(chosen) < len(free):
            continue
        matrix: list[dict[int, Fraction]] = []
        vec = []
        for r in chosen:
            coefs, b = rows[candidates[r]]
            reduced: dict[int, Fraction] = {}
            for k, a in coefs.items():
                if k in pos:
                    reduced[pos[k]] = reduced.get(pos[k], Fraction(0)) + a
                else:
                    b -= a * fixed[k]
            matrix.append(reduced)
            vec.append(b)
        sol = fraction_solve(matrix, vec, len(free))
        if sol is None:
            continue
        x = dict(fixed)
        x.update(zip(free, sol, strict=True))
        vertex = tuple(x[k] for k in range(dim))
        if _feasible(eq, ge, vertex):
            return vertex
    return None


def check(
    lp: LinearProgram, x: Sequence[Fraction], y: Sequence[Fraction], u: Sequence[Fraction]
) -> str | None:
    """None if ``(x, y, u)`` is an optimal primal-dual pair (exact), else what fails."""
    for i, (row, b) in enumerate(lp.eq):
        if _dot(row, x) != b:
            return f"primal equality {i} violated"
    for i, (row, b) in enumerate(lp.ge):
        if _dot(row, x) < b:
            return f"primal inequality {i} violated by {b - _dot(row, x)}"
    if any(v < 0 for v in u):
        return "dual sign violated"
    lhs = [Fraction(0)] * lp.dim
    for yi, (row, _) in zip(y, lp.eq, strict=True):
        for k, a in row.items():
            lhs[k] += yi * a
    for ui, (row, _) in zip(u, lp.ge, strict=True):
        if ui:
            for k, a in row.items():
                lhs[k] -= ui * a
    if lhs != list(lp.c):
        return "dual equality violated"
    primal = sum((ci * xi for ci, xi in zip(lp.c, x, strict=True)), Fraction(0))
    dual = sum((yi * b for yi, (_, b) in zip(y, lp.eq, strict=True)), Fraction(0))
    dual -= sum((ui * b for ui, (_, b) in zip(u, lp.ge, strict=True)), Fraction(0))
    if primal != dual:
        return f"duality gap {dual - primal}"
    return None


def _dense(rows: Sequence[Row], dim: int) -> tuple[np.ndarray, np.ndarray]:
    a = np.zeros((len(rows), dim))
    b = np.zeros(len(rows))
    for i, (coefs, rhs) in enumerate(rows):
        for k, v in coefs.items():
            a[i, k] = float(v)
        b[i] = float(rhs)
    return a, b


#: HiGHS runs tried in turn: dual simplex (a vertex), then interior point with crossover.
_HIGHS_RUNS = (
    ("highs-ds", {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}),
    ("highs-ipm", {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}),
)


def _dual_rows(lp: LinearProgram) -> tuple[list[Row], list[Row]]:
    """The dual polyhedron: ``(E^T y - G^T u)_k = c_k`` for every k, and ``u >= 0``."""
    n_eq, n_ge = len(lp.eq), len(lp.ge)
    cols: list[dict[int, Fraction]] = [{} for _ in range(lp.dim)]
    for i, (row, _) in enumerate(lp.eq):
        for k, a in row.items():
            cols[k][i] = cols[k].get(i, Fraction(0)) + a
    for i, (row, _) in enumerate(lp.ge):
        for k, a in row.items():
            cols[k][n_eq + i] = cols[k].get(n_eq + i, Fraction(0)) - a
    dual_eq = [(cols[k], lp.c[k]) for k in range(lp.dim)]
    dual_ge = [({n_eq + i: Fraction(1)}, Fraction(0)) for i in range(n_ge)]
    return dual_eq, dual_ge


def _via_highs(lp: LinearProgram) -> LPSolution | str:
    from scipy.optimize import linprog

    n, n_eq = lp.dim, len(lp.eq)
    g_mat, g_vec = _dense(lp.ge, n)
    e_mat, e_vec = _dense(lp.eq, n)
    g_scale = 1 / np.maximum(np.abs(g_mat).max(axis=1, initial=0), 1e-300)
    e_scale = 1 / np.maximum(np.abs(e_mat).max(axis=1, initial=0), 1e-300)
    dual_eq, dual_ge = _dual_rows(lp)
    failures = []
    for method, options in _HIGHS_RUNS:
        res = linprog(
            -np.array([float(v) for v in lp.c]),
            A_ub=-(g_mat * g_scale[:, None]) if len(lp.ge) else None,
            b_ub=-(g_vec * g_scale) if len(lp.ge) else None,
            A_eq=e_mat * e_scale[:, None] if n_eq else None,
            b_eq=e_vec * e_scale if n_eq else None,
            bounds=[(None, None)] * n,
            method=method,
            options=options,
        )
        if res.status != 0:
            failures.append(f"{method}: status {res.status} ({res.message})")
            continue
        u_f = -res.ineqlin.marginals * g_scale if len(lp.ge) else np.zeros(0)
        y_f = -res.eqlin.marginals * e_scale if n_eq else np.zeros(0)
        slack_f = res.ineqlin.residual / g_scale if len(lp.ge) else np.zeros(0)
        # complementary slackness: a positive dual makes its row tight, and vice versa
        x = _vertex(lp.eq, lp.ge, n, np.asarray(res.x), evidence=u_f)
        if x is None:
            failures.append(f"{method}: no primal vertex could be reconstructed")
            continue
        z = _vertex(
            dual_eq, dual_ge, n_eq + len(lp.ge), np.concatenate([y_f, u_f]), evidence=slack_f
        )
        if z is None:
            failures.append(f"{method}: no dual vertex could be reconstructed")
            continue
        y, u = z[:n_eq], z[n_eq:]
        reason = check(lp, x, y, u)
        if reason is not None:
            failures.append(f"{method}: reconstructed pair fails the exact check: {reason}")
            continue
        value = sum((ci * xi for ci, xi in zip(lp.c, x, strict=True)), Fraction(0))
        return LPSolution(x, y, u, value, "HiGHS + exact vertex reconstruction")
    return "; ".join(failures)


def _via_cdd(lp: LinearProgram) -> LPSolution | str:
    import cdd
    import cdd.gmp

    n = lp.dim
    rows: list[list[Fraction]] = []
    for coefs, b in lp.ge:  # cdd form: 0 <= b' + A' x
        rows.append([-b] + [coefs.get(k, Fraction(0)) for k in range(n)])
    for coefs, b in lp.eq:  # an equality as two inequalities
        row = [-b] + [coefs.get(k, Fraction(0)) for k in range(n)]
        rows.append(row)
        rows.append([-v for v in row])
    rows.append([Fraction(0), *lp.c])
    prog = cdd.gmp.linprog_from_array(rows, obj_type=cdd.LPObjType.MAX)
    cdd.gmp.linprog_solve(prog)
    if prog.status != cdd.LPStatusType.OPTIMAL:
        return f"cddlib status {cdd.LPStatusType(prog.status).name}"
    x = tuple(Fraction(v) for v in prog.primal_solution)
    dual = dict.fromkeys(range(len(rows) - 1), Fraction(0))
    for i, v in prog.dual_solution:
        dual[i] = Fraction(v)
    n_ge = len(lp.ge)
    u = tuple(dual[i] for i in range(n_ge))
    y = tuple(dual[n_ge + 2 * j + 1] - dual[n_ge + 2 * j] for j in range(len(lp.eq)))
    reason = check(lp, x, y, u)
    if reason is not None:
        return "cddlib answer fails the exact check: " + reason
    return LPSolution(x, y, u, Fraction(prog.obj_value), "cddlib exact LP (GMP)")


def solve_exact(lp: LinearProgram, *, solver_name: str = "HiGHS") -> LPSolution:
    """An exactly verified optimal primal-dual pair of ``lp`` (see the module docstring)."""
    first = _via_highs(lp)
    if isinstance(first, LPSolution):
        return first
    second = _via_cdd(lp)
    if isinstance(second, LPSolution):
        return second
    raise SolverError(
        f"no exactly verified optimum: {first}; exact fallback: {second}",
        solver=f"{solver_name}+cddlib",
        status="unverified",
    )
