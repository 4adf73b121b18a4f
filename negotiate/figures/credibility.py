"""Credibility figures (matplotlib, no display needed): each function returns a ``Figure``.

* :func:`compliance_region_figure` -- where grim-trigger compliance holds in (delta, rho), for
  several guarantee levels (docs/models/self-enforcement.md);
* :func:`war_peace_figure` -- preventive war or peace in (shift, delta), for several phasing
  steps (M4, Powell 2006);
* :func:`deterrence_threshold_figure` -- the credibility needed, p*, against the challenger's
  status quo (M8, stylised);
* :func:`regime_map_figure` -- peace / mixed / war in (detection, effectiveness) (M5,
  stylised Debs-Monteiro);
* :func:`selection_effect_figure` -- compliance at the threat, imposition and success of
  imposed sanctions against the sender's resolve (M11, stylised).

Every curve and region is the model's own symbolic result, compiled once with
:func:`negotiate.expr.compile_numeric` and evaluated on a grid, so the figures cannot
disagree with the closed forms.  Figures are built on ``matplotlib.figure.Figure`` (no
pyplot state), so they work under any backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from negotiate._exact import as_fraction
from negotiate.errors import ModelError
from negotiate.expr import compile_numeric, symbol
from negotiate.theory.deterrence import Deterrence
from negotiate.theory.proliferation import Proliferation
from negotiate.theory.repeated import RepeatedCompliance
from negotiate.theory.sanctions import Sanctions
from negotiate.theory.shifting_power import ShiftingPower

__all__ = [
    "compliance_region_figure",
    "deterrence_threshold_figure",
    "regime_map_figure",
    "selection_effect_figure",
    "war_peace_figure",
]

_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e")


def _resolution(n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or not 11 <= n <= 1001:
        raise ModelError("resolution", n, "must be an integer in [11, 1001]")
    return n


def _open_grid(n: int) -> np.ndarray:
    """``n`` points strictly inside (0, 1)."""
    return (np.arange(n) + 0.5) / n


def compliance_region_figure(
    temptation: Any = 5,
    reward: Any = 3,
    punishment: Any = 1,
    guarantees: Sequence[Any] = (0, "0.5"),
    *,
    resolution: int = 201,
) -> Figure:
    """Compliance regions in (delta, rho): ``delta (1 - rho (1 - g))(T - P) >= T - R``.

    One shaded region and boundary per guarantee level ``g``; the no-hazard threshold
    ``delta* = (T - R)/(T - P)`` is marked.
    """
    n = _resolution(resolution)
    d, h = symbol("delta"), symbol("hazard")
    fig = Figure(figsize=(6, 4.5), layout="constrained")
    ax = fig.add_subplot()
    dd, hh = np.meshgrid(_open_grid(n), _open_grid(n))
    for k, g in enumerate(guarantees):
        g_f = as_fraction(g, f"guarantees[{k}]")
        result = RepeatedCompliance(temptation, reward, punishment, d, h, g_f).solve()
        (inside,) = compile_numeric([result.complies], ["delta", "hazard"])(dd, hh)
        colour = _COLOURS[k % len(_COLOURS)]
        fill = ax.contourf(
            dd, hh, inside.astype(float), levels=[0.5, 1.5], colors=[colour], alpha=0.25
        )
        fill.set_rasterized(True)  # one image, not a vector path per cell (small SVGs)
        line = ax.contour(dd, hh, inside.astype(float), levels=[0.5], colors=[colour])
        line.set_gid(f"boundary g={g_f}")
        ax.plot([], [], color=colour, label=f"complies, g = {g_f}")
    star = RepeatedCompliance(temptation, reward, punishment, "1/2").solve().critical_delta
    assert star is not None  # (T - R)/(T - P) < 1 without a hazard
    ax.axvline(float(star), color="grey", linestyle=":", label=f"delta* = {star} (no hazard)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("discount factor delta")
    ax.set_ylabel("reneging hazard rho")
    ax.set_title("Self-enforcement with a reneging hazard (grim trigger)")
    ax.legend(loc="upper left", fontsize="small")
    return fig


def war_peace_figure(
    p1: Any = "0.5",
    cost_d: Any = "0.1",
    steps: Sequence[int] = (1, 2, 3),
    *,
    resolution: int = 201,
) -> Figure:
    """War and peace in (shift Delta p, delta) for fixed ``p1`` and ``c_D`` (Powell 2006).

    Shaded: preventive war with the shift in one step.  Each curve is the peace boundary
    ``delta Delta = N (1 - delta)(1 - p1 + c_D)`` for ``N`` phasing steps.
    """
    n = _resolution(resolution)
    d, shift = symbol("delta"), symbol("shift")
    p1_f, c_f = as_fraction(p1, "p1"), as_fraction(cost_d, "cost_d")
    top = p1_f - c_f  # p2 = p1 - shift must stay >= c_D
    if top <= 0:
        raise ModelError("cost_d", c_f, "leaves no room for a shift (needs cost_d < p1)")
    fig = Figure(figsize=(6, 4.5), layout="constrained")
    ax = fig.add_subplot()
    xs = float(top) * _open_grid(n)
    xx, dd = np.meshgrid(xs, _open_grid(n))
    for k, s in enumerate(steps):
        result = ShiftingPower(d, p1_f, p1_f - shift, c_f, steps=s).solve()
        (war,) = compile_numeric([result.war], ["delta", "shift"])(dd, xx)
        colour = _COLOURS[k % len(_COLOURS)]
        if k == 0:
            fill = ax.contourf(
                xx, dd, war.astype(float), levels=[0.5, 1.5], colors=["#d95f02"], alpha=0.3
            )
            fill.set_rasterized(True)
            ax.plot([], [], color="#d95f02", alpha=0.3, linewidth=8, label=f"war (N = {s})")
        line = ax.contour(xx, dd, war.astype(float), levels=[0.5], colors=[colour])
        line.set_gid(f"boundary N={s}")
        ax.plot([], [], color=colour, label=f"peace boundary, N = {s}")
    ax.set_xlim(0, float(top))
    ax.set_ylim(0, 1)
    ax.set_xlabel("power shift Delta p = p1 - p2")
    ax.set_ylabel("discount factor delta")
    ax.set_title(f"Commitment problem: p1 = {p1_f}, c_D = {c_f}")
    ax.legend(loc="lower left", fontsize="small")
    return fig


def deterrence_threshold_figure(
    win: Any = 1,
    conflict: Any = -1,
    status_quo: tuple[Any, Any] = (-1, 1),
    marks: Sequence[Any] = ("-0.5", 0, "0.5"),
    *,
    resolution: int = 201,
) -> Figure:
    """The credibility needed to deter, ``p* = (W - SQ)/(W - F)``, against the status quo.

    Above the line the deterrent holds (ties deter); left of ``SQ = F`` the capability
    condition fails.  ``marks`` are annotated with their exact thresholds (M8-T1).
    """
    n = _resolution(resolution)
    sq = symbol("status_quo")
    model = Deterrence(win, sq, conflict, "1/2")
    threshold = compile_numeric([model.solve().threshold], ["status_quo"])
    lo, hi = (as_fraction(x, f"status_quo[{i}]") for i, x in enumerate(status_quo))
    if lo >= hi:
        raise ModelError("status_quo", status_quo, "needs lo < hi")
    xs = np.linspace(float(lo), float(hi), n)
    (ys,) = threshold(xs)
    fig = Figure(figsize=(6, 4.5), layout="constrained")
    ax = fig.add_subplot()
    ax.plot(xs, ys, color="#7570b3", label="p* (credibility needed)", gid="threshold")
    ax.fill_between(xs, np.clip(ys, 0, 1), 1, color="#1b9e77", alpha=0.2, label="deterred")
    f = float(as_fraction(conflict, "conflict"))
    ax.axvspan(float(lo), min(f, float(hi)), color="grey", alpha=0.15, label="capability fails")
    for k, m in enumerate(marks):
        value = as_fraction(m, f"marks[{k}]")
        p_star = Deterrence(win, value, conflict, "1/2").solve().threshold
        ax.plot([float(value)], [float(p_star)], "o", color="black")
        ax.annotate(
            f"p* = {p_star}",
            (float(value), float(p_star)),
            textcoords="offset points",
            xytext=(5, 5),
            fontsize="small",
        )
    ax.set_xlim(float(lo), float(hi))
    ax.set_ylim(0, 1)
    ax.set_xlabel("challenger's status quo SQ")
    ax.set_ylabel("defender credibility p")
    ax.set_title("Perfect deterrence (stylised): the status quo matters")
    ax.legend(loc="upper right", fontsize="small")
    return fig


def regime_map_figure(
    gain: Any = "0.4",
    invest_cost: Any = "0.2",
    target_strike_cost: Any = "0.2",
    defender_strike_cost: Any = "0.1",
    *,
    resolution: int = 201,
) -> Figure:
    """The equilibrium regime in (detection q, effectiveness e), stylised Debs-Monteiro.

    Colours (codes 0-3 in the mesh ``gid="regimes"``): peace, mixed (preventive strikes
    without conclusive evidence), war; grey where
    assumption A1 (``e Delta > c_D``) fails; hatched where more than one class of equilibrium
    exists (the reported one is the docs/models/proliferation.md selection).
    """
    n = _resolution(resolution)
    q, e = symbol("detection"), symbol("effectiveness")
    model = Proliferation(gain, invest_cost, target_strike_cost, defender_strike_cost, q, e)
    result = model.solve()
    names = ("peace", "mixed", "war")
    conditions = [result.regions[r] for r in names] + [result.existence[r] for r in names]
    evaluate = compile_numeric(conditions, ["detection", "effectiveness"])
    qq, ee = np.meshgrid(_open_grid(n), _open_grid(n))
    out = evaluate(qq, ee)
    code = np.select(list(out[:3]), [0.0, 1.0, 2.0], default=3.0)
    a1 = ee * float(as_fraction(gain, "gain")) > float(
        as_fraction(defender_strike_cost, "defender_strike_cost")
    )
    code = np.where(a1, code, 3.0)
    several = (np.sum(np.stack(out[3:]), axis=0) > 1) & a1
    fig = Figure(figsize=(6, 4.5), layout="constrained")
    ax = fig.add_subplot()
    cmap = ListedColormap(["#1b9e77", "#e6ab02", "#d95f02", "#bdbdbd"])
    mesh = ax.pcolormesh(qq, ee, code, cmap=cmap, vmin=-0.5, vmax=3.5, shading="nearest")
    mesh.set_rasterized(True)
    mesh.set_gid("regimes")
    if several.any():
        hatch = ax.contourf(
            qq, ee, several.astype(float), levels=[0.5, 1.5], colors="none", hatches=["//"]
        )
        hatch.set_rasterized(True)
        ax.plot(
            [],
            [],
            color="black",
            linestyle="none",
            marker="s",
            fillstyle="none",
            label="several equilibria",
        )
    for k, label in enumerate((*names, "outside the model (A1 fails)")):
        ax.plot([], [], "s", color=cmap.colors[k], label=label)  # type: ignore[index]
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("detection probability q")
    ax.set_ylabel("strike effectiveness e")
    ax.set_title("Proliferation regimes (stylised Debs-Monteiro)")
    ax.legend(loc="lower right", fontsize="small")
    return fig


def selection_effect_figure(
    demand: Any = "0.3",
    extra_cost: Any = "0.1",
    conflict_expectation: Any = 0,
    max_endurance: Any = 1,
    *,
    resolution: int = 201,
) -> Figure:
    """Compliance at the threat, imposition, and success of imposed sanctions against the
    sender's resolve pi (stylised Lacy-Niou/Drezner): success given imposition drops to zero
    once the threat is credible (the selection effect)."""
    n = _resolution(resolution)
    pi = symbol("resolve")
    model = Sanctions(demand, extra_cost, pi, conflict_expectation, max_endurance)
    result = model.solve()
    fields = ("p_comply_at_threat", "p_imposed", "p_success_given_imposed")
    curves = compile_numeric([getattr(result, f) for f in fields], ["resolve"])
    xs = _open_grid(n)
    ys = curves(xs)
    fig = Figure(figsize=(6, 4.5), layout="constrained")
    ax = fig.add_subplot()
    labels = ("P(comply at threat)", "P(imposed)", "P(success | imposed)")
    for k, (label, y) in enumerate(zip(labels, ys, strict=True)):
        ax.plot(xs, y, color=_COLOURS[k], label=label, gid=fields[k])
    threshold = result.credibility_threshold
    ax.axvline(
        float(Fraction(threshold)),
        color="grey",
        linestyle=":",
        label=f"credible from pi = {threshold}",
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("sender resolve pi")
    ax.set_ylabel("probability")
    ax.set_title("Sanctions: the selection effect (stylised)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2, fontsize="small")
    return fig
