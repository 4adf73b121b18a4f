"""Bargaining figures (matplotlib, no display needed): each function returns a ``Figure``.

* :func:`frontier_figure` -- the feasible set, its Pareto frontier, the disagreement point,
  the zone of agreement and the Nash, Kalai-Smorodinsky and egalitarian points
  (docs/models/axiomatic-bargaining.md);
* :func:`patience_figure` -- Rubinstein's proposer share against patience (M2);
* :func:`outside_option_figure` -- the outside-option kink: the proposer's share against the
  responder's outside option (M2);
* :func:`bargaining_range_figure` -- Fearon's bargaining range on [0, 1] (M3).

Figures are built on ``matplotlib.figure.Figure`` directly (no pyplot state), so they work
under any backend, including Agg in tests and reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from negotiate.errors import ModelError
from negotiate.games.bargaining import BargainingProblem, Frontier
from negotiate.solvers.bargaining.solutions import (
    BargainingSolution,
    egalitarian,
    kalai_smorodinsky,
    nash_bargaining,
)
from negotiate.theory.crisis import CrisisBargaining
from negotiate.theory.rubinstein import Rubinstein

__all__ = [
    "bargaining_range_figure",
    "frontier_figure",
    "outside_option_figure",
    "patience_figure",
]

_MARKERS = {
    "nash": ("o", "Nash"),
    "kalai_smorodinsky": ("s", "Kalai-Smorodinsky"),
    "egalitarian": ("^", "egalitarian"),
    "utilitarian": ("D", "utilitarian"),
}


def _outline(problem: BargainingProblem) -> tuple[np.ndarray, np.ndarray]:
    """The boundary of F (closed polygon) and its Pareto frontier, as float arrays."""
    poly = problem.polytope
    if poly is not None:
        verts = np.array([[float(a), float(b)] for a, b in poly.vertices])
        pareto = np.array([[float(a), float(b)] for a, b in poly.pareto])
        return np.vstack([verts, verts[:1]]), pareto
    if isinstance(problem.feasible, Frontier):
        fr = problem.feasible
        x = np.linspace(float(fr.u1_min), float(fr.u1_max), 400)
        y = fr.f(x)
        curve = np.stack([x, y], axis=1)
        low = fr.value(float(fr.u1_max))
        corner = np.array([[float(fr.u1_min), low]])
        return np.vstack([corner, curve, corner]), curve
    raise ModelError(
        "problem", problem.kind, "frontier figures need a polytope or a frontier u2 = f(u1)"
    )


def frontier_figure(
    problem: BargainingProblem,
    solutions: Sequence[BargainingSolution] | None = None,
    *,
    title: str = "",
) -> Figure:
    """F, its Pareto frontier, d, the zone of agreement and the solutions' points.

    Without ``solutions``, the Nash, Kalai-Smorodinsky and egalitarian solutions are
    computed (``method="auto"``).
    """
    if solutions is None:
        solutions = [f(problem) for f in (nash_bargaining, kalai_smorodinsky, egalitarian)]
    boundary, pareto = _outline(problem)
    d = np.array([float(x) for x in problem.disagreement])
    fig = Figure(figsize=(5.5, 5))
    ax = fig.add_subplot()
    ax.fill(boundary[:, 0], boundary[:, 1], color="0.92", label="feasible set F")
    ax.plot(pareto[:, 0], pareto[:, 1], color="0.2", lw=2, label="Pareto frontier")
    exact_zone = problem.polytope.zone(problem.disagreement) if problem.polytope else None
    if exact_zone is not None:
        zone = np.array([[float(a), float(b)] for a, b in exact_zone])
    else:
        zone = pareto[(pareto[:, 0] >= d[0]) & (pareto[:, 1] >= d[1])]
    if len(zone):
        ax.plot(
            zone[:, 0], zone[:, 1], color="tab:green", lw=5, alpha=0.4, label="zone of agreement"
        )
    ax.plot(*d, "kx", ms=9, mew=2, label="disagreement d")
    for sol in solutions:
        marker, name = _MARKERS[sol.concept]
        u = [float(x) for x in sol.utilities]
        if not sol.agreement:
            ax.annotate(f"{name}: no agreement", xy=(u[0], u[1]), fontsize=8)
            continue
        ax.plot(*u, marker, ms=8, label=f"{name} ({u[0]:.3g}, {u[1]:.3g})")
        if sol.concept == "kalai_smorodinsky" and sol.ideal is not None:
            ideal = [float(x) for x in sol.ideal]
            ax.plot([d[0], ideal[0]], [d[1], ideal[1]], ":", color="0.5", lw=1)
            ax.plot(*ideal, "+", color="0.5", ms=8, label="ideal point")
    p1, p2 = problem.players
    ax.set_xlabel(f"utility of {p1}")
    ax.set_ylabel(f"utility of {p2}")
    ax.set_title(title or "Bargaining solutions")
    ax.legend(fontsize=7, loc="best")
    return fig


def patience_figure(
    deltas: Sequence[Any] | None = None,
    other: Sequence[Any] = ("0.5", "0.8", "0.95"),
) -> Figure:
    """Rubinstein's proposer share ``(1 - delta2)/(1 - delta1 delta2)`` against the
    proposer's patience delta1, one curve per responder patience delta2 in ``other``."""
    grid = [Fraction(k, 100) for k in range(1, 100)] if deltas is None else list(deltas)
    fig = Figure(figsize=(5.5, 4))
    ax = fig.add_subplot()
    for d2 in other:
        shares = [float(Rubinstein(d1, d2).solve().proposer_share) for d1 in grid]
        ax.plot([float(Fraction(str(x))) for x in grid], shares, label=f"delta2 = {d2}")
    ax.axhline(0.5, color="0.6", lw=0.8, ls=":")
    ax.set_xlabel("proposer's discount factor delta1")
    ax.set_ylabel("proposer's share")
    ax.set_ylim(0, 1)
    ax.set_title("Patience is bargaining power (Rubinstein 1982)")
    ax.legend(fontsize=8)
    return fig


def outside_option_figure(delta: Any = "0.9", points: int = 101) -> Figure:
    """The proposer's share against the responder's outside option w: flat at
    ``1/(1 + delta)`` up to the threshold ``delta/(1 + delta)``, then ``1 - w``."""
    ws = [Fraction(k, points - 1) for k in range(points)]
    shares = [float(Rubinstein(delta, delta, outside_option=w).solve().proposer_share) for w in ws]
    threshold = Rubinstein(delta, delta, outside_option=0).solve().thresholds[1]
    fig = Figure(figsize=(5.5, 4))
    ax = fig.add_subplot()
    ax.plot([float(w) for w in ws], shares, lw=2, label="proposer's share")
    if threshold is not None:
        ax.axvline(
            float(threshold), color="0.5", ls="--", label=f"threshold {float(threshold):.3f}"
        )
    ax.set_xlabel("responder's outside option w")
    ax.set_ylabel("proposer's share")
    ax.set_ylim(0, 1)
    ax.set_title("Outside-option principle (Binmore, Shaked & Sutton 1989)")
    ax.legend(fontsize=8)
    return fig


def bargaining_range_figure(p: Any, cost_a: Any, cost_b: Any) -> Figure:
    """Fearon's bargaining range ``[p - c_A, p + c_B]`` on the stake [0, 1]."""
    result = CrisisBargaining(p, cost_a, cost_b).solve()
    if result.model.symbolic:
        raise ModelError("p", p, "the figure needs numeric parameters")
    lo, hi = (float(x) for x in result.range)
    pf = float(result.model.p)
    fig = Figure(figsize=(6, 1.8))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 0], color="0.2", lw=2)
    ax.fill_between([lo, hi], -0.08, 0.08, color="tab:green", alpha=0.35, label="bargaining range")
    for x, label in ((lo, "p - c_A"), (pf, "p"), (hi, "p + c_B")):
        ax.plot([x, x], [-0.12, 0.12], color="0.2")
        ax.annotate(label, (x, 0.15), ha="center", fontsize=8)
    ax.annotate("A's share x", (0.5, -0.3), ha="center", fontsize=8)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.4, 0.35)
    ax.set_yticks([])
    ax.set_title("Fearon (1995): shares both prefer to war")
    ax.legend(fontsize=7, loc="upper right")
    return fig
