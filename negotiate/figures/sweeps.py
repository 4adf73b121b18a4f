"""Sweep figures (matplotlib, no display needed): each function returns a ``Figure``.

* :func:`regime_map` -- the outcome regions over two swept parameters, the baseline marked,
  optionally with the tipping-point curve along the first parameter;
* :func:`tipping_curve_figure` -- a tipping-point curve, e.g. the minimum guarantee that
  brings a deal against the reneging hazard (:func:`negotiate.sweeps.tipping_curve`);
* :func:`tornado_figure` -- one-at-a-time sensitivities, widest swing on top
  (:func:`negotiate.sweeps.sensitivity.one_at_a_time`).

Figures are built on ``matplotlib.figure.Figure`` directly (no pyplot state), so they work
under any backend, including Agg in tests and reports.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from negotiate.errors import ModelError
from negotiate.scenario.result import OUTCOMES
from negotiate.sweeps.analysis import tipping_curve

__all__ = ["OUTCOME_COLOURS", "regime_map", "tipping_curve_figure", "tornado_figure"]

#: Colour of each outcome in every sweep figure.
OUTCOME_COLOURS = {"agreement": "#4c9f70", "stalemate": "#b8b8b8", "war": "#c8553d"}


def _two_dims(ds: Any, x: str, y: str, select: Mapping[str, Any] | None) -> Any:
    if ds.attrs.get("mode") != "grid":
        raise ModelError("ds", ds.attrs.get("mode"), "a regime map needs a grid sweep")
    for name, f in ((x, "x"), (y, "y")):
        if name not in ds.dims:
            raise ModelError(f, name, f"not a swept parameter; dimensions: {list(ds.dims)}")
    if x == y:
        raise ModelError("y", y, "must differ from x")
    sub = ds.sel(dict(select), method="nearest") if select else ds
    extra = [d for d in sub.outcome.dims if d not in (x, y)]
    if extra:
        raise ModelError("select", None, f"fix the other swept parameters {extra} with select=")
    return sub


def _edges(v: np.ndarray) -> np.ndarray:
    if len(v) == 1:
        return np.array([v[0] - 0.5, v[0] + 0.5])
    mid = (v[1:] + v[:-1]) / 2
    return np.concatenate([[v[0] - (mid[0] - v[0])], mid, [v[-1] + (v[-1] - mid[-1])]])


def regime_map(
    ds: Any,
    x: str,
    y: str,
    *,
    select: Mapping[str, Any] | None = None,
    baseline: Mapping[str, float] | None = None,
    curve: bool = True,
    title: str | None = None,
) -> Figure:
    """Outcome regions over the grid of ``x`` and ``y`` (other swept parameters fixed by
    ``select``).  The baseline (the coordinates' ``baseline`` attributes, or ``baseline=``)
    is marked; with ``curve`` the tipping-point curve along ``x`` is drawn."""
    sub = _two_dims(ds, x, y, select)
    labels = sub.outcome.transpose(y, x).values
    codes = np.full(labels.shape, np.nan)
    for k, o in enumerate(OUTCOMES):
        codes[labels == o] = k
    xv, yv = sub[x].values.astype(float), sub[y].values.astype(float)
    fig = Figure(figsize=(6.4, 4.8))
    ax = fig.add_subplot()
    cmap = ListedColormap([OUTCOME_COLOURS[o] for o in OUTCOMES])
    norm = BoundaryNorm(np.arange(len(OUTCOMES) + 1) - 0.5, cmap.N)
    mesh = ax.pcolormesh(_edges(xv), _edges(yv), codes, cmap=cmap, norm=norm, shading="flat")
    mesh.set_rasterized(True)  # one image, not a vector path per cell (small SVGs)
    present = [o for o in OUTCOMES if (labels == o).any()]
    handles: list[Any] = [Patch(color=OUTCOME_COLOURS[o], label=o) for o in present]
    if curve and len(xv) > 1:
        t = tipping_curve(sub, x)
        if np.isfinite(t.values).any():
            (line,) = ax.plot(t.values, t[y].values, color="black", lw=1.5, label="tipping point")
            handles.append(line)
    base = dict(baseline or {})
    bx = base.get(x, ds[x].attrs.get("baseline"))
    by = base.get(y, ds[y].attrs.get("baseline"))
    if bx is not None and by is not None:
        (mark,) = ax.plot(
            [bx], [by], marker="*", ms=14, color="white", mec="black", ls="", label="baseline"
        )
        handles.append(mark)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.set_title(title or f"{ds.attrs.get('title', '')}: outcome by {x} and {y}", fontsize=10)
    ax.legend(handles=handles, loc="best", fontsize=9, framealpha=0.9)
    return fig


def tipping_curve_figure(
    ds: Any,
    along: str,
    against: str,
    *,
    to: str | None = "agreement",
    select: Mapping[str, Any] | None = None,
    title: str | None = None,
) -> Figure:
    """The value of ``along`` at which the outcome becomes ``to`` (any change when None),
    against ``against``; gaps where the outcome never changes on the grid."""
    sub = _two_dims(ds, along, against, select)
    t = tipping_curve(sub, along, to=to)
    if not np.isfinite(t.values).any():
        raise ModelError(
            "along", along, f"the outcome never changes along it on this grid (to={to!r})"
        )
    fig = Figure(figsize=(6.4, 4.0))
    ax = fig.add_subplot()
    ax.plot(t[against].values, t.values, marker="o", ms=3, color="#2b5d8a")
    bx = ds[against].attrs.get("baseline")
    if bx is not None:
        ax.axvline(bx, color="grey", ls=":", lw=1, label=f"baseline {against}")
        ax.legend(fontsize=8)
    lo, hi = float(sub[along].min()), float(sub[along].max())
    ax.set_ylim(lo - 0.02 * (hi - lo or 1), hi + 0.02 * (hi - lo or 1))
    change = f"{t.attrs.get('from', '?')} -> {t.attrs.get('to', '?')}"
    ax.set_xlabel(against)
    ax.set_ylabel(f"{along} at which {change}")
    ax.set_title(title or f"Tipping point of {along} against {against}", fontsize=10)
    return fig


def tornado_figure(sensitivity: Any, *, title: str | None = None) -> Figure:
    """Horizontal bars from the baseline value of the output to its values with each
    parameter at the low and high end of its range (widest swing on top)."""
    rows = list(sensitivity.rows)
    if not rows:
        raise ModelError("sensitivity", None, "has no parameters")
    fig = Figure(figsize=(6.4, 0.45 * len(rows) + 1.6))
    ax = fig.add_subplot()
    b = sensitivity.baseline_value
    ys = np.arange(len(rows))[::-1]
    for yk, r in zip(ys, rows, strict=True):
        ax.barh(yk, r.value_low - b, left=b, color="#8fb3d9", height=0.6)
        ax.barh(yk, r.value_high - b, left=b, color="#2b5d8a", height=0.6)
    ax.set_yticks(ys, [f"{r.parameter} [{r.low:.3g}, {r.high:.3g}]" for r in rows], fontsize=9)
    base_line = ax.axvline(b, color="black", lw=1, label="baseline value")
    handles: list[Any] = [
        Patch(color="#8fb3d9", label="parameter at low end"),
        Patch(color="#2b5d8a", label="parameter at high end"),
        base_line,
    ]
    if sensitivity.output.startswith("slack:"):
        handles.append(ax.axvline(0.0, color="#c8553d", lw=1, ls="--", label="zero slack"))
    ax.legend(handles=handles, fontsize=9, loc="best")
    ax.set_xlabel(sensitivity.output)
    ax.set_title(title or f"One-at-a-time sensitivity of {sensitivity.output}", fontsize=10)
    fig.tight_layout()
    return fig
