"""Tree figures: matplotlib Figure objects, equilibrium path highlighted, SVG output."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from negotiate.errors import ModelError
from negotiate.figures.tree import figure_svg, tree_figure
from negotiate.games.tree import GameTree
from negotiate.interop.gambit_efg import parse_efg
from negotiate.solvers.spe.solve import subgame_perfect
from tests.test_efg import SIGNALLING
from tests.trees import ENTRY, IRAN

_PATH = "#c0392b"


def _line_colours(fig: Figure) -> list[str]:
    """Colours of the drawn edges (markers excluded)."""
    return [line.get_color() for line in fig.axes[0].get_lines() if len(line.get_xdata()) == 2]


def test_equilibrium_path_is_highlighted(tmp_path):
    tree = GameTree.from_dict(ENTRY)
    result = subgame_perfect(tree)
    fig = tree_figure(tree, result, title="Entry $1 deterrence")
    assert isinstance(fig, Figure)
    # the two edges on the path (in, accommodate) are coloured; the others are not
    assert _line_colours(fig).count(_PATH) == 2
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "Entrant" in texts and "accommodate" in texts
    assert fig.axes[0].get_title() == r"Entry \$1 deterrence"  # no mathtext from user text
    svg = figure_svg(fig)
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    out = tmp_path / "entry.svg"
    fig.savefig(out, format="svg")
    assert out.read_text().count("<svg") == 1
    plain = tree_figure(tree)
    assert _PATH not in _line_colours(plain)


def test_symbolic_region_and_chance_outcomes():
    tree = GameTree.from_dict(IRAN)
    result = subgame_perfect(tree)
    strike = next(r for r in result.regions if r.path == ("enrich", "strike"))
    fig = tree_figure(tree, strike)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "hit (e)" in texts and "miss (1 - e)" in texts
    # enrich, strike, and both chance outcomes are on the path
    assert _line_colours(fig).count(_PATH) == 4


def test_information_sets_are_drawn_and_bad_input_refused():
    tree = parse_efg(SIGNALLING)
    fig = tree_figure(tree, subgame_perfect(tree).equilibria[0])
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "after Up" in texts and "after Stay" in texts
    assert any(line.get_linestyle() == "--" for line in fig.axes[0].get_lines())
    with pytest.raises(ModelError):
        tree_figure({"players": []})  # type: ignore[arg-type]
    with pytest.raises(ModelError):
        tree_figure(tree, 42)
