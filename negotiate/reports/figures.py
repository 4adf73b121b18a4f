"""The report's figures as SVG text, each drawn from the values of the findings it cites.

* ``frontier`` -- the Pareto frontiers with and without the credibility discount, d, and the
  Nash and Kalai-Smorodinsky points (the ``space.*`` findings);
* ``tornado`` -- the smaller participation slack at both ends of each lever's domain
  (``change.sens.*``);
* ``tree`` -- the no-deal game with its subgame-perfect path (``fail.path``), pruned to
  what a reader needs (:mod:`negotiate.reports.tree_view`);
* ``regime`` -- the outcome over two levers (``change.regime``), the analysed point marked.

SVG is written with text as text (``svg.fonttype = "none"``), no date, and ids salted with
the figure's name, so several figures can be inlined in one page without clashing ids.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from negotiate.reports.findings import Figure as FigureBlock
from negotiate.reports.findings import Findings

__all__ = ["figure_svgs", "frontier_figure", "regime_figure", "svg_text", "tornado_figure"]


def svg_text(fig: Figure, name: str) -> str:
    """``fig`` as an SVG document (deterministic ids, text kept as text)."""
    buf = io.StringIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": f"negotiate-{name}"}):
        fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buf.getvalue()


def _label(text: str) -> str:
    """Text for matplotlib: dollar signs would start mathtext."""
    return str(text).replace("$", r"\$")


def frontier_figure(findings: Findings) -> Figure:
    """Both Pareto frontiers, d, and the Nash and Kalai-Smorodinsky points."""
    p1, p2 = (_label(p) for p in findings.meta["players"])
    fig = Figure(figsize=(6, 5))
    ax = fig.add_subplot()
    styles = {
        "discounted": ("tab:red", "-", "with the credibility discount"),
        "face_value": ("tab:blue", "--", "at face value"),
    }
    for view, (colour, ls, label) in styles.items():
        fid = f"space.frontier.{view}"
        if fid not in findings.items:
            continue
        pts = findings[fid].value
        if len(findings.meta.get("views", ())) == 1:
            label = "Pareto frontier"
        ax.plot(
            [float(p[0]) for p in pts],
            [float(p[1]) for p in pts],
            ls,
            color=colour,
            lw=2,
            label=label,
        )
        for key, marker, name in (("nash", "o", "Nash"), ("ks", "s", "Kalai-Smorodinsky")):
            sol = findings.items.get(f"space.{key}.{view}")
            if sol is not None and sol.value is not None:
                ax.plot(
                    float(sol.value[0]),
                    float(sol.value[1]),
                    marker,
                    color=colour,
                    ms=8,
                    mfc="white" if key == "ks" else colour,
                    label=f"{name} ({label})",
                )
    d = findings["space.d"].value
    ax.plot(float(d[0]), float(d[1]), "kx", ms=10, mew=2, label="disagreement point d")
    ax.axvline(float(d[0]), color="0.6", lw=0.8, ls=":")
    ax.axhline(float(d[1]), color="0.6", lw=0.8, ls=":")
    ax.set_xlabel(f"utility of {p1}")
    ax.set_ylabel(f"utility of {p2}")
    ax.legend(fontsize=7, loc="lower left")
    ax.grid(alpha=0.3)
    return fig


def tornado_figure(findings: Findings, ids: tuple[str, ...]) -> Figure:
    """Horizontal bars from each lever's low-end to high-end slack; zero marked."""
    rows = [findings[i] for i in ids]
    rows.sort(key=lambda f: abs(float(f.value["high"]) - float(f.value["low"])))
    fig = Figure(figsize=(6.5, 0.45 * len(rows) + 1.4))
    ax = fig.add_subplot()
    now = float(rows[0].value["now"]) if rows else 0.0
    for k, f in enumerate(rows):
        lo, hi = float(f.value["low"]), float(f.value["high"])
        ax.barh(
            k,
            lo - now,
            left=now,
            color="tab:orange",
            alpha=0.8,
            label="low end of the domain" if k == 0 else None,
        )
        ax.barh(
            k,
            hi - now,
            left=now,
            color="tab:blue",
            alpha=0.8,
            label="high end of the domain" if k == 0 else None,
        )
    ax.set_yticks(range(len(rows)), [_label(f.fields["lever"].text) for f in rows], fontsize=8)
    ax.axvline(0, color="tab:green", lw=1.5, label="zone of agreement opens")
    ax.axvline(now, color="0.2", lw=1, ls="--", label="analysed point")
    ax.set_xlabel("smaller participation slack")
    ax.legend(fontsize=7, loc="best")
    return fig


OUTCOME_COLOURS = {"agreement": "#4c9f5a", "stalemate": "#d9b44a", "war": "#c0392b"}


def regime_figure(findings: Findings) -> Figure:
    """The outcome over the grid of two levers (``change.regime``), baseline marked."""
    value = findings["change.regime"].value
    xs = [float(v) for v in value["xs"]]
    ys = [float(v) for v in value["ys"]]
    labels = [o for o in OUTCOME_COLOURS if any(o in row for row in value["outcomes"])]
    codes = np.array([[labels.index(o) for o in row] for row in value["outcomes"]])
    fig = Figure(figsize=(6, 4.8))
    ax = fig.add_subplot()
    cmap = ListedColormap([OUTCOME_COLOURS[o] for o in labels])
    ax.pcolormesh(
        _edges(xs),
        _edges(ys),
        codes.T,
        cmap=cmap,
        vmin=-0.5,
        vmax=len(labels) - 0.5,
        shading="flat",
        edgecolors="face",
        linewidth=0.3,
    )
    bx, by = (float(v) for v in value["baseline"])
    ax.plot(
        bx, by, marker="*", color="black", ms=14, mec="white", ls="none", label="analysed point"
    )
    for o in labels:
        ax.plot([], [], "s", color=OUTCOME_COLOURS[o], ms=10, label=o)
    ax.set_xlabel(_label(value["x"]))
    ax.set_ylabel(_label(value["y"]))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1))
    return fig


def _edges(values: list[float]) -> np.ndarray:
    v = np.asarray(values)
    if len(v) == 1:
        return np.array([v[0] - 0.5, v[0] + 0.5])
    mid = (v[1:] + v[:-1]) / 2
    return np.concatenate([[v[0] - (mid[0] - v[0])], mid, [v[-1] + (v[-1] - mid[-1])]])


def _tree_figure(findings: Findings, result: Any, threats: tuple[Any, ...]) -> Figure | None:
    from negotiate.reports.tree_view import tree_figure, tree_view

    if result.scenario.deterrence is None:
        return None
    strategy = {
        tuple(k.split("/")) if k else (): v
        for k, v in findings["fail.path"].value["strategy"].items()
    }
    view = tree_view(result, threats, strategy)
    return tree_figure(view, tuple(result.scenario.players), _label)


def figure_svgs(findings: Findings, result: Any, threats: tuple[Any, ...] = ()) -> dict[str, str]:
    """Every figure the findings' sections ask for, as SVG text (name -> SVG)."""
    wanted: Mapping[str, tuple[str, ...]] = {
        b.name: b.findings
        for s in findings.sections
        for b in s.blocks
        if isinstance(b, FigureBlock)
    }
    out: dict[str, str] = {}
    for name, ids in wanted.items():
        fig: Figure | None
        if name == "frontier":
            fig = frontier_figure(findings)
        elif name == "tornado":
            fig = tornado_figure(findings, ids)
        elif name == "tree":
            fig = _tree_figure(findings, result, threats)
        elif name == "regime":
            fig = regime_figure(findings)
        else:
            fig = None
        if fig is not None:
            out[name] = svg_text(fig, name)
    return out
