"""Exact optimal solutions of linear programs solved in floating point.

The problem and its dual (x free; sign constraints are rows of ``G``)::

    primal:  maximise c.x          subject to  E x = e,  G x >= g
    dual:    minimise e.y - g.u    subject to  E^T y - G^T u = c,  u >= 0

Weak duality: for feasible points, ``c.x = y.Ex - u.Gx <= e.y - g.u``; equality proves both
optimal.  That is the certificate checked here, in exact arithmetic.

Route (DESIGN.md, "Numbers in results"):

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

from collections.abc import Sequence
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
    matrix: Sequence[Sequence[Fraction]], rhs: Sequence[Fraction]
) -> list[Fraction] | None:
    """Solve the square system ``M z = b`` exactly (Gaussian elimination); None if singular."""
    n = len(rhs)
    aug = [[Fraction(v) for v in row] + [Fraction(b)] for row, b in zip(matrix, rhs, strict=True)]
    for col in range(n):
        pivot = next((r for r in range(col, n) if aug[r][col] != 0), None)
        if pivot is None:
            return None
        aug[col], aug[pivot] = aug[pivot], aug[col]
        prow = aug[col]
        inv = 1 / prow[col]
        for r in range(n):
            if r != col and aug[r][col] != 0:
                f = aug[r][col] * inv
                row = aug[r]
                for k in range(col, n + 1):
                    if prow[k]:
                        row[k] -= f * prow[k]
    return [aug[r][n] / aug[r][r] for r in range(n)]


def _independent(dense: np.ndarray, order: Sequence[int], dim: int) -> list[int]:
    """Greedily pick rows of ``dense`` in ``order`` that are linearly independent (floats)."""
    basis = np.zeros((0, dim))
    chosen: list[int] = []
    for k in order:
        a = dense[k]
        norm = np.linalg.norm(a)
        if norm == 0:
            continue
        r = a / norm
        for _ in range(2):  # re-orthogonalise once for stability
            r = r - basis.T @ (basis @ r)
        rn = np.linalg.norm(r)
        if rn > 1e-9:
            basis = np.vstack([basis, r / rn])
            chosen.append(k)
            if len(chosen) == dim:
                break
    return chosen


def _vertex(
    eq: Sequence[Row], ge: Sequence[Row], dim: int, point: np.ndarray
) -> tuple[Fraction, ...] | None:
    """The vertex near ``point``: ``dim`` independent tight rows, solved exactly."""
    rows = list(eq) + list(ge)
    if dim == 0:
        return ()
    dense = np.zeros((len(rows), dim))
    rhs = np.zeros(len(rows))
    for i, (coefs, b) in enumerate(rows):
        for k, a in coefs.items():
            dense[i, k] = float(a)
        rhs[i] = float(b)
    norms = np.maximum(np.abs(dense).max(axis=1), 1e-300)
    slack = np.abs(dense @ point - rhs) / norms
    n_eq = len(eq)
    order = list(range(n_eq)) + sorted(range(n_eq, len(rows)), key=lambda i: slack[i])
    chosen = _independent(dense, order, dim)
    if len(chosen) < dim:
        return None
    # rows with one coefficient fix that variable; the rest form a square system
    x: dict[int, Fraction] = {}
    general = []
    for i in chosen:
        coefs, b = rows[i]
        nz = [(k, a) for k, a in coefs.items() if a != 0]
        if len(nz) == 1 and nz[0][0] not in x:
            x[nz[0][0]] = b / nz[0][1]
        else:
            general.append(i)
    free = [k for k in range(dim) if k not in x]
    if len(free) != len(general):
        return None
    pos = {k: j for j, k in enumerate(free)}
    matrix = [[Fraction(0)] * len(free) for _ in general]
    vec = []
    for r, i in enumerate(general):
        coefs, b = rows[i]
        for k, a in coefs.items():
            if k in pos:
                matrix[r][pos[k]] += a
            else:
                b -= a * x[k]
        vec.append(b)
    sol = fraction_solve(matrix, vec)
    if sol is None:
        return None
    for k, v in zip(free, sol, strict=True):
        x[k] = v
    return tuple(x[k] for k in range(dim))


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


def _via_highs(lp: LinearProgram) -> LPSolution | str:
    from scipy.optimize import linprog

    n = lp.dim
    g_mat, g_vec = _dense(lp.ge, n)
    e_mat, e_vec = _dense(lp.eq, n)
    g_scale = 1 / np.maximum(np.abs(g_mat).max(axis=1, initial=0), 1e-300)
    e_scale = 1 / np.maximum(np.abs(e_mat).max(axis=1, initial=0), 1e-300)
    res = linprog(
        -np.array([float(v) for v in lp.c]),
        A_ub=-(g_mat * g_scale[:, None]) if len(lp.ge) else None,
        b_ub=-(g_vec * g_scale) if len(lp.ge) else None,
        A_eq=e_mat * e_scale[:, None] if len(lp.eq) else None,
        b_eq=e_vec * e_scale if len(lp.eq) else None,
        bounds=[(None, None)] * n,
        method="highs",
    )
    if res.status != 0:
        return f"HiGHS status {res.status}: {res.message}"
    u_f = -res.ineqlin.marginals * g_scale if len(lp.ge) else np.zeros(0)
    y_f = -res.eqlin.marginals * e_scale if len(lp.eq) else np.zeros(0)
    x = _vertex(lp.eq, lp.ge, n, np.asarray(res.x))
    if x is None:
        return "no primal vertex could be reconstructed"
    # dual rows: (E^T y - G^T u)_k = c_k for every k, and u >= 0
    n_eq, n_ge = len(lp.eq), len(lp.ge)
    cols: list[dict[int, Fraction]] = [{} for _ in range(n)]
    for i, (row, _) in enumerate(lp.eq):
        for k, a in row.items():
            cols[k][i] = cols[k].get(i, Fraction(0)) + a
    for i, (row, _) in enumerate(lp.ge):
        for k, a in row.items():
            cols[k][n_eq + i] = cols[k].get(n_eq + i, Fraction(0)) - a
    dual_eq = [(cols[k], lp.c[k]) for k in range(n)]
    dual_ge = [({n_eq + i: Fraction(1)}, Fraction(0)) for i in range(n_ge)]
    z = _vertex(dual_eq, dual_ge, n_eq + n_ge, np.concatenate([y_f, u_f]))
    if z is None:
        return "no dual vertex could be reconstructed"
    y, u = z[:n_eq], z[n_eq:]
    reason = check(lp, x, y, u)
    if reason is not None:
        return "reconstructed pair fails the exact check: " + reason
    value = sum((ci * xi for ci, xi in zip(lp.c, x, strict=True)), Fraction(0))
    return LPSolution(x, y, u, value, "HiGHS + exact vertex reconstruction")


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
