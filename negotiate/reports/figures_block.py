"""The report's figures: which ones the sections ask for, drawn as SVG text.

Each figure is drawn by :mod:`negotiate.figures.report` from the values of the findings it cites;
this module only decides which figures a report needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matplotlib.figure import Figure

from negotiate.figures.report import (
    frontier_figure,
    outcome_figure,
    regime_figure,
    report_tree_figure,
    sobol_figure,
    svg_text,
    tornado_figure,
)
from negotiate.reports.findings import Figure as FigureBlock
from negotiate.reports.findings import Findings

__all__ = ["figure_svgs"]


def figure_svgs(
    findings: Findings, result: Any, threats: tuple[Any, ...] = (), uncertainty: Any = None
) -> dict[str, str]:
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
            fig = report_tree_figure(findings, result, threats)
        elif name == "regime":
            fig = regime_figure(findings)
        elif name == "outcomes":
            fig = outcome_figure(findings, ids)
        elif name == "sobol":
            fig = sobol_figure(findings, ids)
        else:
            fig = None
        if fig is not None:
            out[name] = svg_text(fig, name)
    return out
