"""Trees with information sets: Gambit .efg round trips and the tree figure with behaviour."""

from __future__ import annotations

from fractions import Fraction

import pytest
from imperfect_games import kuhn_poker, selten_horse

import negotiate as ng
from negotiate.errors import ModelError
from negotiate.figures.tree import tree_figure
from negotiate.games.tree import GameTree
from negotiate.interop.gambit_efg import parse_efg, to_efg

KUHN = GameTree.from_dict(kuhn_poker())


@pytest.mark.parametrize("make", [kuhn_poker, selten_horse])
def test_efg_round_trip_keeps_information_sets_and_chance(make: object) -> None:
    tree = GameTree.from_dict(make())  # type: ignore[operator]
    back = parse_efg(to_efg(tree))
    assert back.infosets == tree.infosets
    assert back.to_dict()["root"] == tree.to_dict()["root"]
    assert to_efg(back) == to_efg(tree)


def test_efg_round_trip_solves_the_same() -> None:
    back = parse_efg(to_efg(KUHN))
    (eq,) = ng.nash_equilibria(back, method="lcp").equilibria
    assert eq.payoffs[0] == Fraction(-1, 18)
    assert eq.behavior == ng.nash_equilibria(KUHN, method="lcp")[0].behavior


def test_unlabelled_information_sets_are_numbered() -> None:
    text = to_efg(KUHN).replace('"1Q"', '""').replace('"2K:b"', '""')
    back = parse_efg(text)
    assert any(k.startswith("1:") for k in back.infosets)
    assert any(k.startswith("2:") for k in back.infosets)
    assert len(back.infosets) == len(KUHN.infosets)


def test_tree_figure_shows_behaviour_probabilities() -> None:
    horse = GameTree.from_dict(selten_horse())
    result = ng.nash_equilibria(horse, method="pure")
    fig = tree_figure(horse, result)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any(t.endswith("[1]") for t in texts) and any(t.endswith("[0]") for t in texts)
    assert any(line.get_linestyle() == "--" for line in fig.axes[0].get_lines())
    mixed = ng.nash_equilibria(KUHN, method="lcp")[0]
    texts = [t.get_text() for t in tree_figure(KUHN, mixed).axes[0].texts]
    assert "call [1/3]" in texts
    qre = ng.logit_qre(KUHN, 1.0)
    texts = [t.get_text() for t in tree_figure(KUHN, qre).axes[0].texts]
    assert any(t.startswith("bet [0.") for t in texts)
    broken = {k: v for k, v in mixed.behavior.items() if k != ("1", "1J")}
    with pytest.raises(ModelError, match="behavior"):
        tree_figure(KUHN, type("E", (), {"behavior": broken})())


def test_docs_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    import re
    from pathlib import Path

    page = Path(__file__).resolve().parent.parent / "docs" / "imperfect-information.md"
    (block,) = re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)
    exec(compile(block, str(page), "exec"), {"__name__": "__docs__"})  # the project's own docs
    out = capsys.readouterr().out
    assert "Fraction(1, 2)" in out and "yield" in out


def test_summary_and_json() -> None:
    import json

    result = ng.nash_equilibria(KUHN, method="lcp", refine="sequential")
    text = result.summary().to_text()
    assert "Behaviour-strategy equilibria of Kuhn poker" in text and "lcp" in text
    data = json.loads(json.dumps(result.to_dict()))
    (eq,) = data["equilibria"]
    assert eq["payoffs"]["1"] == "-1/18" and "2@2Q:b" in eq["behavior"] and eq["beliefs"]
    assert repr(result) == "<BehaviorEquilibriumSet: 1 equilibrium of 'Kuhn poker' (lcp, exact)>"
    assert (
        repr(result[0])
        == "<BehaviorEquilibrium: mixed, payoffs (1: -1/18, 2: 1/18) in 'Kuhn poker'>"
    )
