"""nashpy's enumeration algorithms as optional backends, with every answer checked exactly.

nashpy works in floating point and is known to miss equilibria and to return none at all on
some games (shared measurements: degenerate games, tiny probabilities, payoffs beyond 1e8).
These backends therefore (1) hand nashpy the game after the exact positive affine rescaling of
:func:`~negotiate.solvers._bimatrix.integer_payoffs` divided by its largest payoff, (2) rebuild
each float profile as an exact profile, first by solving the indifference equations on its
support exactly, then by bounded-denominator rounding, (3) keep it only if its exact regret in
the original game is 0, and (4) note how many profiles were dropped.  They never claim to be
complete; use ``method="enummixed"`` for the complete set.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import numpy as np

from negotiate.errors import SolverError
from negotiate.games.normal import NormalFormGame
from negotiate.solvers.nash._bimatrix import integer_payoffs, solve_exact
from negotiate.solvers.nash.equilibria import EquilibriumSet

__all__ = ["exact_profile", "nashpy_equilibria"]

_SUPPORT_TOL = 1e-9
_DENOMINATORS = (10**3, 10**6, 10**9, 10**12)


def _support_solution(
    a: np.ndarray, b: np.ndarray, rows: list[int], cols: list[int]
) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]] | None:
    """Exact (x, y) on square supports from the indifference equations, if they determine it."""
    if len(rows) != len(cols):
        return None
    k = len(rows)
    try:
        # y on cols: A[rows, cols] y - v = 0, sum y = 1 ; x on rows: B[rows, cols]^T x - w = 0
        ya = [[Fraction(a[i][j]) for j in cols] + [Fraction(-1)] for i in rows]
        ya.append([Fraction(1)] * k + [Fraction(0)])
        ysol = solve_exact(ya, [Fraction(0)] * k + [Fraction(1)])
        xa = [[Fraction(b[i][j]) for i in rows] + [Fraction(-1)] for j in cols]
        xa.append([Fraction(1)] * k + [Fraction(0)])
        xsol = solve_exact(xa, [Fraction(0)] * k + [Fraction(1)])
    except ZeroDivisionError:
        return None
    x = [Fraction(0)] * a.shape[0]
    y = [Fraction(0)] * a.shape[1]
    for i, v in zip(rows, xsol, strict=False):
        x[i] = v
    for j, v in zip(cols, ysol, strict=False):
        y[j] = v
    if min(x) < 0 or min(y) < 0:
        return None
    return tuple(x), tuple(y)


def _rounded(probs: np.ndarray, limit: int) -> tuple[Fraction, ...] | None:
    clipped = [max(0.0, float(p)) for p in probs]
    total = sum(clipped)
    if not total > 0:
        return None
    exact = [Fraction(p / total).limit_denominator(limit) for p in clipped]
    s = sum(exact, Fraction(0))
    return tuple(q / s for q in exact) if s > 0 else None


def exact_profile(
    game: NormalFormGame, a: np.ndarray, b: np.ndarray, fx: Any, fy: Any
) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]] | None:
    """An exact equilibrium of ``game`` matching the float profile ``(fx, fy)``, or ``None``.

    ``a``, ``b`` are the integer payoffs (object arrays) the profile was computed on.
    """
    x = np.asarray(fx, dtype=float)
    y = np.asarray(fy, dtype=float)
    if x.shape != (a.shape[0],) or y.shape != (a.shape[1],):
        return None
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        return None
    rows = [i for i, p in enumerate(x) if p > _SUPPORT_TOL]
    cols = [j for j, p in enumerate(y) if p > _SUPPORT_TOL]
    candidates = []
    if rows and cols:
        candidates.append(_support_solution(a, b, rows, cols))
    for limit in _DENOMINATORS:
        rx, ry = _rounded(x, limit), _rounded(y, limit)
        candidates.append(None if rx is None or ry is None else (rx, ry))
    for cand in candidates:
        if cand is not None and game.max_regret(cand) == 0:
            return cand
    return None


def nashpy_equilibria(game: NormalFormGame, algorithm: str) -> EquilibriumSet:
    """Equilibria found by nashpy's ``support_enumeration`` or ``vertex_enumeration``, checked.

    Raises :class:`SolverError` when nashpy fails or none of its profiles is an equilibrium.
    """
    import nashpy

    ia, ib = integer_payoffs(game)
    a = np.array(ia, dtype=object)
    b = np.array(ib, dtype=object)
    fa = np.array(ia, dtype=float) / float(max(max(r) for r in ia))
    fb = np.array(ib, dtype=float) / float(max(max(r) for r in ib))
    method = f"nashpy_{algorithm}"
    nash_game = nashpy.Game(fa, fb)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            raw: Iterable[tuple[np.ndarray, np.ndarray]] = (
                nash_game.support_enumeration()
                if algorithm == "support"
                else nash_game.vertex_enumeration()
            )
            found = list(raw)
    except Exception as exc:  # nashpy raises assorted errors on degenerate input
        raise SolverError(
            f"nashpy {algorithm}_enumeration failed: {type(exc).__name__}: {exc}",
            solver=method,
            status="exception",
        ) from exc
    profiles = []
    dropped = 0
    for x, y in found:
        exact = exact_profile(game, a, b, x, y)
        if exact is None:
            dropped += 1
        else:
            profiles.append(exact)
    notes = [f"nashpy returned {len(found)} profiles; {len(profiles)} verified exactly"]
    if dropped:
        notes.append(f"{dropped} profiles were not exact equilibria and were dropped")
    if caught:
        notes.append(
            "nashpy warned: " + "; ".join(sorted({str(w.message).strip() for w in caught}))
        )
    notes.append("not guaranteed complete: nashpy misses equilibria of degenerate games")
    if not profiles:
        raise SolverError(
            f"nashpy {algorithm}_enumeration returned no verifiable equilibrium "
            f"({len(found)} profiles, {dropped} rejected)",
            solver=method,
            status="empty",
        )
    return EquilibriumSet.build(
        game,
        profiles,
        method=method,
        options={},
        complete=False,
        degenerate=None,
        notes=notes,
    )
