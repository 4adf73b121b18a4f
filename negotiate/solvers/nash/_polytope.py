"""Exact vertex enumeration of a best-response polytope ``{z >= 0, M z <= 1}``, labelled.

Two enumerators give the same vertices with the same tight constraints: pycddlib's double
description (exact, GMP; a dependency) and lrslib's ``lrs`` program (lexicographic reverse
search, exact with overflow-checked hybrid arithmetic; Avis 2000, "lrs: a revised
implementation of the reverse search vertex enumeration algorithm"), optional and used when
installed.  Reverse search keeps one dictionary instead of the intermediate cones of the
double description, which grow fast on these polytopes.

Constraint ``r`` is ``z_r >= 0`` for ``r < dim`` and ``(M z)_{r-dim} <= 1`` otherwise; the
result is the boolean incidence matrix of the non-zero vertices (``tight[k, r]`` when
constraint ``r`` is tight at vertex ``k``).  Coordinates are computed only for the vertices
asked for (:meth:`Vertices.point`), exactly from their tight constraints: the enumerator's own
numbers are never read.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Callable
from fractions import Fraction

import cdd
import cdd.gmp
import numpy as np

from negotiate.errors import SolverError
from negotiate.solvers.nash._bimatrix import IntMatrix, normalise, support_point

__all__ = ["Vertices", "cdd_vertices", "lrs_estimate", "lrs_vertices"]


def _rows(constraints: IntMatrix, dim: int) -> list[list[int]]:
    """The constraints as rows ``[b, -a...]`` meaning ``b - a.z >= 0`` (cdd's and lrs's form)."""
    rows: list[list[int]] = [[0] * (dim + 1) for _ in range(dim)]
    for i in range(dim):
        rows[i][i + 1] = 1
    return rows + [[1, *(-v for v in row)] for row in constraints]


class Vertices:
    """The non-zero vertices of ``{z >= 0, M z <= 1}`` by their tight constraints.

    ``tight`` is the ``(vertices, dim + len(M))`` incidence matrix; ``simple[k]`` is True when
    vertex ``k`` has exactly ``dim`` tight constraints (a simple vertex).
    """

    def __init__(self, constraints: IntMatrix, dim: int, tight: np.ndarray, engine: str) -> None:
        self.matrix = constraints
        self.rows = _rows(constraints, dim)
        self.dim = dim
        self.engine = engine
        nonzero = tight[:, dim:].any(axis=1)  # the origin has no tight row of M
        self.tight = tight[nonzero]
        self.simple = self.tight.sum(axis=1) == dim

    def point(self, k: int) -> tuple[Fraction, ...]:
        """Vertex ``k`` as a mixed strategy: its tight constraints solved exactly, normalised.

        A simple vertex solves ``M[T, S] z_S = 1`` (``T`` its tight rows of ``M``, ``S`` its
        support) by FLINT; otherwise fraction-free Gauss–Jordan elimination (integer pivoting,
        exact divisions by the previous pivot) on the equations ``a.z = b`` of the tight rows.
        """
        dim = self.dim
        if self.simple[k]:
            tight = np.flatnonzero(self.tight[k]).tolist()
            supp = sorted(set(range(dim)).difference(tight))
            solved = support_point(self.matrix, [r - dim for r in tight if r >= dim], supp)
            if solved is not None and all(v > 0 for v in solved[0]):
                total = sum(solved[0])
                z = [Fraction(0)] * dim
                for c, v in zip(supp, solved[0], strict=True):
                    z[c] = Fraction(v, total)
                return tuple(z)
        eqs = [
            [-v for v in self.rows[r][1:]] + [self.rows[r][0]]
            for r in np.flatnonzero(self.tight[k]).tolist()
        ]
        det = 1
        for col in range(self.dim):
            piv = next((r for r in range(col, len(eqs)) if eqs[r][col] != 0), None)
            if piv is None:
                raise SolverError(
                    "a vertex is not determined by its tight constraints",
                    solver=self.engine,
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
                solver=self.engine,
                status="inconsistent",
            )
        return normalise([Fraction(eqs[i][-1], eqs[i][i]) for i in range(self.dim)])


def cdd_vertices(constraints: IntMatrix, dim: int) -> Vertices:
    """The vertices by cdd's exact double description (the polytope is bounded: ``M > 0``)."""
    rows = _rows(constraints, dim)
    mat = cdd.gmp.matrix_from_array(rows, rep_type=cdd.RepType.INEQUALITY)
    incidence = cdd.gmp.copy_incidence(cdd.gmp.polyhedron_from_matrix(mat))
    tight = np.zeros((len(incidence), len(rows)), dtype=bool)
    for k, inc in enumerate(incidence):
        tight[k, sorted(inc)] = True
    return Vertices(constraints, dim, tight, "cdd.gmp")


def _lrs_input(constraints: IntMatrix, dim: int, options: str) -> bytes:
    """lrs's H-representation of ``M z <= 1`` with ``z >= 0`` implicit (``nonnegative``)."""
    text = f"P\nH-representation\nnonnegative\nbegin\n{len(constraints)} {dim + 1} integer\n"
    text += "\n".join(" ".join(["1", *(str(-v) for v in row)]) for row in constraints)
    return f"{text}\nend\n{options}\n".encode("ascii")


_ESTIMATE = re.compile(rb"\n\*Estimates: vertices=(\d+) ")


def lrs_estimate(constraints: IntMatrix, dim: int, exe: str, probes: int = 20) -> int | None:
    """lrs's estimate of the number of vertices: ``probes`` random root-to-leaf probes of the
    reverse search tree (Hall and Knuth's estimator; Avis and Devroye 2000, "Estimating the
    number of vertices of a polyhedron", Inf. Process. Lett. 73), with a fixed seed so that
    the estimate is deterministic.  None when lrs gives none.  Used only to choose which
    polytope to enumerate: it never changes a result.
    """
    options = f"estimates {probes}\nseed 1\nmaxdepth 0"
    run = subprocess.run(
        [exe], input=_lrs_input(constraints, dim, options), capture_output=True, check=False
    )
    found = _ESTIMATE.search(run.stdout)
    return int(found[1]) if run.returncode == 0 and found else None


_BATCH = 512  # vertices per batch handed to the screen while lrs runs
_VERTEX = re.compile(rb"facets ([0-9 :]*) I#(\d+) ")
_TOTALS = re.compile(rb"\n\*Totals: vertices=(\d+) rays=(\d+) ")


def lrs_vertices(
    constraints: IntMatrix,
    dim: int,
    exe: str,
    screen: Callable[[np.ndarray], np.ndarray] | None = None,
) -> tuple[Vertices, np.ndarray]:
    """The vertices by lrslib's ``lrs`` program (reverse search), read from its incidence lines.

    The input is ``M z <= 1`` with lrs's ``nonnegative`` option (``z >= 0`` implicit, the
    slack basis at the origin starts the search; lrs numbers those constraints after ``M``).
    With ``incidence`` lrs prints, per vertex, its lexicographic cobasis (``dim`` tight
    constraints) and after a colon the other tight ones (``I#`` in all).  Only the last run
    counts (lrs restarts with wider arithmetic when an overflow is possible); its vertices are
    cross-checked against lrs's totals, and any mismatch raises :class:`SolverError`.

    The output is read while lrs runs: every batch of non-zero vertices goes to ``screen``
    (incidence rows in, a boolean per row out) at once, so that work overlaps the search.
    Returns the vertices and the concatenated results of ``screen`` (all False without it).
    """
    k = len(constraints)
    where = np.array([0, *range(dim, dim + k), *range(dim)], dtype=np.int64)
    parts: list[np.ndarray] = []
    marks: list[np.ndarray] = []
    pending: list[tuple[bytes, bytes]] = []
    listed = 0
    totals = None

    def flush() -> None:
        if pending:
            tight = _incidence(pending, dim, k, where)
            tight = tight[tight[:, dim:].any(axis=1)]  # the origin carries no label of M
            parts.append(tight)
            marks.append(screen(tight) if screen else np.zeros(len(tight), dtype=bool))
            pending.clear()

    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([exe], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err)
        try:
            stdin, stdout = proc.stdin, proc.stdout
            if stdin is None or stdout is None:  # pragma: no cover - PIPE always gives both
                raise SolverError("lrs could not be started with pipes", solver="lrs")
            stdin.write(_lrs_input(constraints, dim, "incidence"))
            stdin.close()
            rest = b""
            while True:
                chunk = os.read(stdout.fileno(), 1 << 16)
                cut = chunk.rfind(b"\n") + 1 if chunk else len(rest) + 1
                if not cut:
                    rest += chunk
                    continue
                text = b"\n" + rest + chunk[:cut] + (b"" if chunk else b"\n")
                rest = chunk[cut:]
                begin = text.rfind(b"\nbegin\n")
                if begin >= 0:  # a (re)start: what came before is void
                    parts.clear()
                    marks.clear()
                    pending.clear()
                    listed, totals = 0, None
                    text = text[begin + 6 :]
                found = _VERTEX.findall(text)
                listed += len(found)
                pending.extend(found)
                totals = _TOTALS.search(text) or totals
                if len(pending) >= _BATCH:
                    flush()
                if not chunk:
                    break
            flush()
            code = proc.wait()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        err.seek(0)
        message = err.read().decode(errors="replace").strip()[-200:] or "no message"
    if code != 0 or totals is None or int(totals[2]) != 0:
        raise SolverError(f"lrs failed: {message}", solver="lrs", status=f"exit {code}")
    if listed != int(totals[1]):
        raise SolverError(
            f"lrs listed {listed} vertices but counted {int(totals[1])}",
            solver="lrs",
            status="parse",
        )
    tight = np.concatenate(parts) if parts else np.zeros((0, dim + k), dtype=bool)
    mark = np.concatenate(marks) if marks else np.zeros(0, dtype=bool)
    return Vertices(constraints, dim, tight, "lrs"), mark


def _incidence(found: list[tuple[bytes, bytes]], dim: int, k: int, where: np.ndarray) -> np.ndarray:
    """The incidence rows of lrs's ``facets ... I#count`` fields (see :func:`lrs_vertices`)."""
    tight = np.zeros((len(found), dim + k), dtype=bool)
    size = str(dim).encode()
    facets = b" ".join(f for f, _ in found)
    if b":" not in facets:  # every vertex simple: one cobasis of dim constraints each
        if b" ".join(c for _, c in found) != b" ".join([size] * len(found)):
            raise SolverError("lrs's incidence does not match its count", solver="lrs")
        idx = np.fromstring(facets, dtype=np.int64, sep=" ")
        if idx.size != len(found) * dim or idx.min() < 1 or idx.max() > k + dim:
            raise SolverError("lrs printed a malformed cobasis", solver="lrs", status="parse")
        tight[np.repeat(np.arange(len(found)), dim), where[idx]] = True
        return tight
    for v, (line, count) in enumerate(found):
        rows = [int(w) for w in line.replace(b":", b" ").split()]
        if len(rows) != int(count) or not all(1 <= r <= k + dim for r in rows):
            raise SolverError("lrs's incidence does not match its count", solver="lrs")
        tight[v, where[rows]] = True
    return tight
