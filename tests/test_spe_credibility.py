"""Reduced normal forms and Nash equilibria resting on non-credible threats."""

from __future__ import annotations

from fractions import Fraction

import pytest

from negotiate.errors import NotApplicableError
from negotiate.games.tree import GameTree
from negotiate.solvers.nash.reduced_normal import reduced_normal_form
from negotiate.solvers.spe.credibility import behaviour_of, non_credible_equilibria
from negotiate.solvers.spe.solve import subgame_perfect
from tests.trees import ENTRY, IRAN, centipede

F = Fraction


def test_reduced_normal_form_of_entry_deterrence():
    game = reduced_normal_form(GameTree.from_dict(ENTRY))
    assert game.players == ("Entrant", "Incumbent")
    assert game.strategies == (("out", "in"), ("fight", "accommodate"))
    assert game.payoff("Entrant", {"Entrant": "in", "Incumbent": "fight"}) == -1
    assert game.payoff("Incumbent", {"Entrant": "out", "Incumbent": "fight"}) == 2


def test_reduced_normal_form_merges_strategies_a_player_never_reaches():
    # A moves at the root and again after pass/pass: "take" makes the second move moot
    game = reduced_normal_form(GameTree.from_dict(centipede(4)))
    assert game.strategies[0] == ("take/*", "pass/take", "pass/pass")
    assert game.shape == (3, 3)  # not 4 x 4: "take/take" and "take/pass" are one plan
    assert game.payoff("A", {"A": "take/*", "B": "pass/pass"}) == 3


def test_reduced_normal_form_with_chance_is_an_exact_expectation():
    tree = GameTree.from_dict(IRAN).bind({"c": "1/2", "e": "3/10"})
    game = reduced_normal_form(tree)
    assert game.payoff("Iran", {"Iran": "enrich", "US": "strike"}) == F(1, 5)
    assert game.payoff("US", {"Iran": "enrich", "US": "strike"}) == F(-7, 10)
    with pytest.raises(NotApplicableError, match="bind"):
        reduced_normal_form(GameTree.from_dict(IRAN))


def test_entry_deterrence_the_threat_to_fight_is_named():
    result = non_credible_equilibria(GameTree.from_dict(ENTRY))
    assert result.complete
    pure = {eq.describe(): eq for eq in result.equilibria if eq.pure}
    assert set(pure) == {"Entrant: out; Incumbent: fight", "Entrant: in; Incumbent: accommodate"}
    bad = pure["Entrant: out; Incumbent: fight"]
    (threat,) = bad.threats
    assert (threat.path, threat.player, threat.action, threat.better) == (
        ("in",),
        "Incumbent",
        "fight",
        "accommodate",
    )
    assert threat.loss == 2 and threat.probability == 1
    assert "not credible" in threat.describe()
    assert pure["Entrant: in; Incumbent: accommodate"].subgame_perfect
    # the mixed extreme equilibrium (fight with probability 1/2) rests on the same threat
    (mixed,) = [eq for eq in result.equilibria if not eq.pure]
    assert mixed.strategies["Incumbent"] == {"fight": F(1, 2), "accommodate": F(1, 2)}
    assert mixed.threats[0].probability == F(1, 2)
    assert len(result.non_credible) == 2
    cert = result.verify()
    assert cert.ok and cert.max_regret == 0 and cert.non_credible == 2
    assert "threat to play 'fight'" in result.summary().to_text()
    assert result.to_dict()["equilibria"][0]["threats"][0]["action"] == "fight"


def test_centipede_only_the_backward_induction_profile_is_credible():
    result = non_credible_equilibria(GameTree.from_dict(centipede(4)))
    credible = [eq for eq in result.equilibria if eq.subgame_perfect]
    (eq,) = credible
    assert eq.strategies["A"]["take/*"] == 1 and eq.strategies["B"]["take/*"] == 1
    assert all(eq.threats for eq in result.non_credible)
    assert result.verify().ok


def test_three_players_use_pure_search_and_say_so():
    d = {
        "players": ["A", "B", "C"],
        "root": {
            "player": "A",
            "actions": {
                "stop": {"payoffs": {"A": 1, "B": 1, "C": 1}},
                "go": {
                    "player": "B",
                    "actions": {
                        "stop": {"payoffs": {"A": 0, "B": 2, "C": 0}},
                        "go": {
                            "player": "C",
                            "actions": {
                                "punish": {"payoffs": {"A": -1, "B": -1, "C": -1}},
                                "reward": {"payoffs": {"A": 2, "B": 3, "C": 2}},
                            },
                        },
                    },
                },
            },
        },
    }
    tree = GameTree.from_dict(d)
    result = non_credible_equilibria(tree)
    assert not result.complete and result.method == "pure"
    assert any("pure equilibria only" in n for n in result.notes)
    (spe,) = subgame_perfect(tree).equilibria
    assert spe.path == ("go", "go", "reward")
    threatened = {t.action for eq in result.non_credible for t in eq.threats}
    assert "punish" in threatened
    assert result.verify().ok


def test_imperfect_information_reports_each_proper_subgame():
    sub = {
        "player": "B",
        "actions": {
            "l": {
                "player": "C",
                "infoset": "c",
                "actions": {"x": {"payoffs": {"B": 2, "C": 1}}, "y": {"payoffs": {"B": 0, "C": 0}}},
            },
            "r": {
                "player": "C",
                "infoset": "c",
                "actions": {"x": {"payoffs": {"B": 0, "C": 0}}, "y": {"payoffs": {"B": 1, "C": 2}}},
            },
        },
    }
    d = {
        "players": ["B", "C"],
        "root": {
            "player": "C",
            "actions": {"quit": {"payoffs": {"B": 1, "C": "3/2"}}, "play": sub},
        },
    }
    tree = GameTree.from_dict(d)
    result = non_credible_equilibria(tree)
    (subgame,) = result.subgames
    assert subgame.root == ("play",)
    assert subgame.game.shape == (2, 2)
    # battle of the sexes: two pure equilibria and one mixed
    assert len(subgame.equilibria) == 3 and subgame.complete
    # SPE: in the subgame (l, x) gives C 1 < 3/2 -> quit; (r, y) gives C 2 -> play
    spe = subgame_perfect(tree)
    paths = {eq.path for eq in spe.equilibria}
    assert paths == {("quit",), ("play", "r", "y")}
    for eq in result.equilibria:
        assert eq.subgame_perfect == (not eq.threats)
    assert result.verify().ok


def test_behaviour_of_completes_off_path_choices_sequentially_rationally():
    tree = GameTree.from_dict(ENTRY)
    beh = behaviour_of(tree, [[1, 0], [1, 0]])  # (out, fight)
    assert beh[()] == {"out": 1}
    assert beh[("in",)] == {"fight": 1}  # defined by the Incumbent's plan
    tree4 = GameTree.from_dict(centipede(4))
    beh4 = behaviour_of(tree4, [[1, 0, 0], [1, 0, 0]])
    # A never reaches its second node; completed optimally: take
    assert beh4[("pass", "pass")] == {"take": 1}


def test_symbolic_tree_needs_binding():
    with pytest.raises(NotApplicableError, match="bind"):
        non_credible_equilibria(GameTree.from_dict(IRAN))
