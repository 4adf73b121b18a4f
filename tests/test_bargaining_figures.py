"""Bargaining figures: each builds without a display, shows what it claims, and renders."""

from __future__ import annotations

import io

import pytest
from matplotlib.figure import Figure

from negotiate.errors import ModelError
from negotiate.figures.bargaining import (
    bargaining_range_figure,
    frontier_figure,
    outside_option_figure,
    patience_figure,
)
from negotiate.games.bargaining import BargainingProblem
from negotiate.games.issues import IssueSpace


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    return buf.getvalue()


def test_frontier_figure_marks_d_and_the_three_solutions():
    space = IssueSpace.linear(
        ("Iran", "US"), {"relief": ("0.4", "0.15"), "enrichment": ("0.15", "0.4")}
    )
    fig = frontier_figure(space.problem(("0.1", "0.2")))
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any(t.startswith("Nash") for t in labels)
    assert any(t.startswith("Kalai-Smorodinsky") for t in labels)
    assert any(t.startswith("egalitarian") for t in labels)
    assert "disagreement d" in labels and "zone of agreement" in labels
    assert fig.axes[0].get_xlabel() == "utility of Iran"
    assert "<svg" in _svg(fig)


def test_frontier_figure_on_a_curve_and_without_agreement():
    curve = BargainingProblem.from_frontier("sqrt(1 - u1)", 1, (0, 0))
    labels = [t.get_text() for t in frontier_figure(curve).axes[0].get_legend().get_texts()]
    assert "Nash (0.667, 0.577)" in labels
    none = BargainingProblem.from_points([(0, 1), (1, 0)], (1, 1))
    texts = [t.get_text() for t in frontier_figure(none).axes[0].texts]
    assert any("no agreement" in t for t in texts)
    concave = IssueSpace.concave(("A", "B"), {"x": (1, 1)}).problem((0, 0))
    with pytest.raises(ModelError):
        frontier_figure(concave)


def test_patience_and_outside_option_figures():
    fig = patience_figure(other=("0.9",))
    (line,) = [ln for ln in fig.axes[0].get_lines() if ln.get_label() == "delta2 = 0.9"]
    xs, ys = line.get_data()
    assert ys[list(xs).index(0.9)] == pytest.approx(10 / 19)
    kink = outside_option_figure("0.9", points=101)
    share = kink.axes[0].get_lines()[0].get_data()[1]
    assert share[0] == pytest.approx(10 / 19) and share[60] == pytest.approx(0.4)
    assert "threshold 0.474" in [t.get_text() for t in kink.axes[0].get_legend().get_texts()]


def test_bargaining_range_figure():
    fig = bargaining_range_figure("0.5", "0.1", "0.1")
    notes = [t.get_text() for t in fig.axes[0].texts]
    assert {"p - c_A", "p", "p + c_B"} <= set(notes)
    assert "<svg" in _svg(fig)
