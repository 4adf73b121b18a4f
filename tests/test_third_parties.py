"""Scenarios with more than two players: two bargain, the others move in the no-deal game;
and the influence check of the no-deal game's parameters (``[analysis] inert``)."""

from __future__ import annotations

import dataclasses
import functools
import json
from fractions import Fraction
from pathlib import Path

import pytest

from negotiate.errors import ModelError
from negotiate.scenario import load_scenario, loads_scenario
from negotiate.sweeps.influence import InfluenceCheck, check_influence, tree_parameters

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "models" / "us_iran_2025.toml"

# A bargaining pair with a third party who may strike when the talks fail.
THREE = """
[scenario]
title = "Three players"
players = ["A", "B", "C"]

[bargaining]
parties = ["A", "B"]

[parameters.strike_cost]
value = 0.2
domain = [0, 1]
meaning = "C's cost of striking"
source = "assumption: illustrative"

[parameters.threat]
value = 0.1
domain = [0, 1]
meaning = "C's cost of leaving A's programme alone"
source = "assumption: illustrative"

[parameters.loss]
value = 0.3
domain = [0, 1]
meaning = "A's loss from a strike"
source = "assumption: illustrative"

[parameters.noise]
value = 0.5
domain = [0, 1]
meaning = "a payoff nobody's decision depends on"
source = "assumption: illustrative"

[issues.relief]
weights = { A = "1", B = "1" }

[deterrence]
war_actions = ["strike"]

[deterrence.root]
player = "C"
tie_break = ["restrain", "strike"]
[deterrence.root.actions.restrain.payoffs]
A = "0.8"
B = "0.3"
C = "-threat"
[deterrence.root.actions.strike.payoffs]
A = "0.8 - loss"
B = "0.3 + noise/10"
C = "-strike_cost"

[analysis]
levers = ["threat"]
"""


def test_third_party_moves_only_in_the_tree() -> None:
    s = loads_scenario(THREE)
    assert s.players == ("A", "B") and s.third_parties == ("C",)
    assert s.all_players == ("A", "B", "C")
    calm = s.solve(tipping_points=False)
    assert calm.state.no_deal.path == ("restrain",)
    assert calm.state.no_deal.values == {
        "A": Fraction(4, 5),
        "B": Fraction(3, 10),
        "C": Fraction(-1, 10),
    }
    assert calm.outcome == "stalemate"  # 4/5 + 3/10 > 1: no zone of agreement
    # C strikes once leaving A alone costs it more than a strike
    hot = s.solve({"threat": "0.3"}, tipping_points=False)
    assert hot.state.no_deal.path == ("strike",) and hot.state.no_deal.war_probability == 1
    # the disagreement point is the bargaining pair's no-deal values, after the strike: the
    # strike weakens A enough to open a zone of agreement
    assert hot.state.disagreement == (Fraction(1, 2), Fraction(7, 20))
    assert hot.outcome == "agreement"
    assert hot.to_dict()["players"] == ["A", "B", "C"]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('parties = ["A", "B"]\n', "", "bargaining.parties"),
        ('parties = ["A", "B"]', 'parties = ["A", "D"]', r"bargaining\.parties\[1\]"),
        ('parties = ["A", "B"]', 'parties = ["A", "B", "C"]', "bargaining.parties"),
        ('parties = ["A", "B"]', 'parties = ["A", "A"]', "bargaining.parties"),
        ('players = ["A", "B", "C"]', 'players = ["A"]', "scenario.players"),
        (
            'players = ["A", "B", "C"]',
            "players = [" + ", ".join(f'"P{i}"' for i in range(9)) + "]",
            "scenario.players",
        ),
    ],
)
def test_bad_parties_name_the_field(old: str, new: str, field: str) -> None:
    with pytest.raises(ModelError, match=field):
        loads_scenario(THREE.replace(old, new))


def test_a_third_party_needs_a_tree() -> None:
    text = THREE[: THREE.index("[deterrence]")] + '[bargaining.disagreement]\nA = "0"\nB = "0"\n'
    with pytest.raises(ModelError, match="C would not move"):
        loads_scenario(text)


def test_a_third_party_cannot_hold_issue_weights() -> None:
    text = THREE.replace('weights = { A = "1", B = "1" }', 'weights = { A = "1", C = "1" }')
    with pytest.raises(ModelError, match=r"issues\.relief\.weights"):
        loads_scenario(text)


def test_influence_of_a_small_tree() -> None:
    s = loads_scenario(THREE)
    assert tree_parameters(s) == ("strike_cost", "threat", "loss", "noise")
    check = check_influence(s)
    moved = {i.parameter: i.witness for i in check.items}
    assert moved["threat"] is not None and "stalemate -> agreement" in moved["threat"]
    assert moved["strike_cost"] is not None
    # A's loss matters once C strikes (along the lever threat); B's noise never does
    assert moved["loss"] is not None and "at threat" in moved["loss"]
    assert moved["noise"] is None
    assert not check.verify().ok  # noise moves nothing and is not listed
    listed = THREE.replace(
        'levers = ["threat"]',
        'levers = ["threat"]\n[analysis.inert]\n'
        + "".join(f'{n} = "no decision depends on it"\n' for n, w in moved.items() if w is None),
    )
    assert check_influence(loads_scenario(listed)).verify().ok
    # a parameter listed as inert that moves the outcome is a wrong claim in the file
    wrong = listed.replace("[analysis.inert]\n", '[analysis.inert]\nthreat = "it does not"\n')
    cert = check_influence(loads_scenario(wrong)).verify()
    assert not cert.ok and cert.quantities["listed_but_influential"] == ["threat"]


def test_inert_names_are_checked() -> None:
    text = THREE.replace('levers = ["threat"]', 'levers = ["threat"]\ninert = { nope = "x" }')
    with pytest.raises(ModelError, match=r"analysis\.inert\.nope"):
        loads_scenario(text)
    text = THREE.replace('levers = ["threat"]', 'levers = ["threat"]\ninert = { noise = " " }')
    with pytest.raises(ModelError, match=r"analysis\.inert\.noise"):
        loads_scenario(text)


@functools.cache
def _flagship_check() -> InfluenceCheck:
    return check_influence(load_scenario(FLAGSHIP))


def test_flagship_every_tree_parameter_moves_something_or_is_listed_inert() -> None:
    check = _flagship_check()
    cert = check.verify()
    assert cert.ok, cert.quantities
    by_name = {i.parameter: i for i in check.items}
    # the window-of-opportunity parameters move the outcome
    for name in ("stockpile_60_kg", "iaea_finding", "air_defences_degraded", "detection"):
        assert by_name[name].witness is not None, name
    assert by_name["hormuz_self_cost"].witness is None
    assert "status_quo_iran" not in by_name
    # a wrong verdict is caught: claim that the detection is inert
    bad = dataclasses.replace(
        check,
        items=tuple(
            dataclasses.replace(i, inert_reason="x") if i.parameter == "detection" else i
            for i in check.items
        ),
    )
    assert not bad.verify().ok


@pytest.mark.parametrize(
    "model", ["chicken_crisis", "deterrence_game", "fearon_crisis", "powell_shifting_power"]
)
def test_bundled_models_list_their_inert_parameters(model: str) -> None:
    check = check_influence(load_scenario(ROOT / "models" / f"{model}.toml"))
    assert check.verify().ok, check.verify().quantities


def test_influence_command(cli, tmp_path: Path) -> None:
    path = tmp_path / "three.toml"
    path.write_text(THREE, encoding="utf-8")
    code, out, _ = cli("influence", str(path))
    assert code == 1 and "unlisted inert: noise" in out and "WRONG" in out
    listed = THREE.replace('levers = ["threat"]', 'levers = ["threat"]\ninert = { noise = "x" }')
    path.write_text(listed, encoding="utf-8")
    code, out, _ = cli("influence", str(path), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["certificate"]["ok"] is True
    assert [i["parameter"] for i in data["items"] if i["witness"] is None] == ["noise"]
