"""The report's figures as SVG text, each drawn from the values of the findings it cites.

* ``frontier`` -- the Pareto frontiers with and without the credibility discount, d, and the
  Nash and Kalai-Smorodinsky points (the ``space.*`` findings);
* ``tornado`` -- the smaller participation slack at both ends of each lever's domain
  (``change.sens.*``);
* ``tree`` -- the no-deal game with its subgame-perfect path (``fail.path``), pruned to
  what a reader needs (:mod:`negotiate.figures.tree_view`);
* ``regime`` -- the outcome over two levers (``change.regime``), the analysed point marked;
* ``outcomes`` and ``sobol`` -- outcome probabilities over the priors and the Sobol' indices
  (``sure.*``).

Axes name each parameter by its ``meaning``; figures are at most the page's width and no text
is smaller than 9 points.

SVG is written with text as text (``svg.fonttype = "none"``), no date, and ids salted with
the figure's name, so several figures can be inlined in one page without clashing ids.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any, Protocol

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure

__all__ = [
    "FindingsView",
    "frontier_figure",
    "meaning",
    "outcome_figure",
    "regime_figure",
    "report_tree_figure",
    "sobol_figure",
    "svg_text",
    "tornado_figure",
]


class FindingsView(Protocol):
    """What a report figure reads from the report's findings: items by id, and metadata.

    The figures layer sits below the reports layer, so it names the shape it needs rather than
    importing :class:`negotiate.reports.findings.Findings`.
    """

    @property
    def items(self) -> Mapping[str, Any]: ...

    @property
    def meta(self) -> Mapping[str, Any]: ...

    def __getitem__(self, fid: str) -> Any: ...


#: The page's text column in points (the report's CSS column, 944 CSS px); figures are drawn
#: no wider, so their text keeps its size on the page.
PAGE_WIDTH_PT = 708.0
#: Smallest font size (points) of any text in a report figure.
MIN_FONT_PT = 9.0


def svg_text(fig: Figure, name: str) -> str:
    """``fig`` as an SVG document (deterministic ids, text kept as text); every text at least
    :data:`MIN_FONT_PT` points."""
    for text in fig.findobj(lambda a: hasattr(a, "get_fontsize") and hasattr(a, "set_fontsize")):
        if text.get_fontsize() < MIN_FONT_PT:  # type: ignore[attr-defined]
            text.set_fontsize(MIN_FONT_PT)  # type: ignore[attr-defined]
    _fit_page_width(fig)
    buf = io.StringIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": f"negotiate-{name}"}):
        fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buf.getvalue()


def _fit_page_width(fig: Figure) -> None:
    """Narrow ``fig`` until its tight bounding box (text included) fits the page's width, so
    that the page shows its text at full size."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    target = PAGE_WIDTH_PT / 72 - 0.1  # inches, with room for the tight bbox's padding
    for _ in range(6):
        box = fig.get_tightbbox(canvas.get_renderer())
        if box is None or box.width <= target:
            return
        w, h = fig.get_size_inches()
        fig.set_size_inches(max(w - (box.width - target) - 0.05, 1.0), h)


def _label(text: str) -> str:
    """Text for matplotlib: dollar signs would start mathtext."""
    return str(text).replace("$", r"\$")


def meaning(findings: FindingsView, name: str, width: int = 60, lines: int = 3) -> str:
    """A parameter's ``meaning`` (from the report's metadata) for an axis: wrapped at
    ``width`` characters, at most ``lines`` lines (shortened with an ellipsis)."""
    import textwrap

    text = str(findings.meta.get("meanings", {}).get(name) or name)
    wrapped = textwrap.wrap(text, width, max_lines=lines, placeholder=" …")
    return _label("\n".join(wrapped) or name)


def outcome_figure(findings: FindingsView, ids: tuple[str, ...]) -> Figure:
    """Outcome probabilities as bars: under the prior, and under the posterior if present."""
    fig = Figure(figsize=(7.2, 0.55 * 2 + 1.0))
    ax = fig.add_subplot()
    outcomes = ("agreement", "stalemate", "war")
    colours = {"agreement": "#1d7a38", "stalemate": "#c9a227", "war": "#a51d1d"}
    rows = [("prior", findings["sure.prior"].value)]
    if "sure.posterior" in findings.items:
        rows.append(("calibrated (posterior)", findings["sure.posterior"].value))
    for k, (_name, shares) in enumerate(rows):
        left = 0.0
        for o in outcomes:
            w = float(shares.get(o, 0))
            ax.barh(k, w, left=left, color=colours[o], label=o if k == 0 else None)
            if w >= 0.06:
                ax.text(left + w / 2, k, f"{w:.2f}", ha="center", va="center", color="white")
            left += w
    ax.set_yticks(range(len(rows)), [r[0] for r in rows])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of random draws")
    ax.legend(ncols=3, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    fig.tight_layout()
    return fig


def sobol_figure(findings: FindingsView, ids: tuple[str, ...]) -> Figure:
    """Sobol' total and first-order indices of the outcome, largest first."""
    rows = [
        findings[fid]
        for fid in sorted(findings.items)
        if fid.startswith("sure.sobol.") and not fid.endswith("_")
    ]
    rows.sort(key=lambda f: -float(f.value["total"]))
    fig = Figure(figsize=(7.2, 0.36 * len(rows) + 0.9))
    ax = fig.add_subplot()
    ys = np.arange(len(rows))
    total = [float(f.value["total"]) for f in rows]
    first = [max(float(f.value["first"]), 0.0) for f in rows]
    ax.barh(ys, total, color="#8fb3d9", height=0.7, label="total (with interactions)")
    ax.barh(ys, first, color="#2b5d8a", height=0.4, label="first order (alone)")
    ax.set_yticks(ys, [meaning(findings, f.fields["name"].text, 46, 1) for f in rows])
    ax.invert_yaxis()
    ax.set_xlabel("share of the outcome's variance")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


def frontier_figure(findings: FindingsView) -> Figure:
    """Both Pareto frontiers, d, and the Nash and Kalai-Smorodinsky points."""
    p1, p2 = (_label(p) for p in findings.meta["players"])
    fig = Figure(figsize=(7, 3.8))
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
    ax.legend(fontsize=9, loc="lower left")
    ax.grid(alpha=0.3)
    return fig


def tornado_figure(findings: FindingsView, ids: tuple[str, ...]) -> Figure:
    """The smaller participation slack at both ends of each lever's domain
    (``change.sens.*``), drawn by :func:`negotiate.figures.sweeps.tornado_figure`."""
    from negotiate.figures.sweeps import tornado_figure as draw
    from negotiate.sweeps.sensitivity import Sensitivity, SensitivityRow

    rows = []
    for fid in ids:
        f = findings[fid]
        lo, hi = f.fields["lo"].value, f.fields["hi"].value
        rows.append(
            SensitivityRow(
                parameter=meaning(findings, f.fields["lever"].text, 46, 1),
                low=float(lo),
                high=float(hi),
                value_low=float(f.value["low"]),
                value_high=float(f.value["high"]),
                outcome_low=f.value["outcome_low"],
                outcome_high=f.value["outcome_high"],
            )
        )
    rows.sort(key=lambda r: -r.swing)
    first = findings[ids[0]].value
    data = Sensitivity(
        scenario=None,
        output="slack: the smaller participation slack",
        baseline_value=float(first["now"]),
        baseline_outcome=findings.meta["outcome"],
        rows=tuple(rows),
        overrides={},
        variant=None,
        span=None,
    )
    fig = draw(data, title="Each lever alone, at the ends of its domain")
    fig.set_size_inches(7.2, 0.3 * len(rows) + 1.2)
    fig.tight_layout()
    return fig


def regime_figure(findings: FindingsView) -> Figure:
    """The outcome over the grid of two levers (``change.regime``), drawn by
    :func:`negotiate.figures.sweeps.regime_map` with the analysed point marked."""
    import xarray as xr

    from negotiate.figures.sweeps import regime_map

    v = findings["change.regime"].value
    x, y = v["x"], v["y"]
    bx, by = (float(b) for b in v["baseline"])
    ds = xr.Dataset(
        {"outcome": ((x, y), np.array(v["outcomes"], dtype=str))},
        coords={
            x: (x, np.array([float(a) for a in v["xs"]]), {"baseline": bx}),
            y: (y, np.array([float(a) for a in v["ys"]]), {"baseline": by}),
        },
        attrs={"mode": "grid"},
    )
    fig = regime_map(ds, x, y, title=f"Outcome by {_label(x)} and {_label(y)}")
    ax = fig.axes[0]
    ax.set_xlabel(meaning(findings, x))
    ax.set_ylabel(meaning(findings, y, 45))
    fig.set_size_inches(7.2, 3.9)
    fig.tight_layout()
    return fig


def report_tree_figure(
    findings: FindingsView, result: Any, threats: tuple[Any, ...]
) -> Figure | None:
    from negotiate.figures.tree_view import tree_figure, tree_view

    if result.scenario.deterrence is None:
        return None
    strategy = {
        tuple(entry["node"]): entry["action"] for entry in findings["fail.path"].value["strategy"]
    }
    view = tree_view(result, threats, strategy)
    return tree_figure(view, tuple(result.scenario.all_players), _label)
