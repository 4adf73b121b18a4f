"""subgame_perfect on hand-worked trees: entry deterrence, centipede, Rubinstein, chance, Iran."""

from __future__ import annotations

import copy
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from negotiate.errors import ModelError, NotApplicableError, TooLargeError
from negotiate.expr import symbol
from negotiate.games.tree import GameTree
from negotiate.solvers.spe.solve import SPEResult, subgame_perfect
from negotiate.solvers.spe.symbolic import SymbolicSPEResult
from tests.trees import ENTRY, IRAN, centipede, rubinstein3

d1, d2, c, e = (symbol(n) for n in ("d1", "d2", "c", "e"))


def test_entry_deterrence_fight_is_not_credible():
    result = subgame_perfect(GameTree.from_dict(ENTRY))
    assert isinstance(result, SPEResult)
    (eq,) = result.equilibria
    assert eq.strategy == {(): "in", ("in",): "accommodate"}
    assert eq.payoffs == {"Entrant": 1, "Incumbent": 1}
    assert eq.path == ("in", "accommodate")
    assert eq.outcomes == {("in", "accommodate"): 1}
    assert result.credible(("in",), "fight") is False
    assert result.credible(("in",), "accommodate") is True
    cert = result.verify()
    assert cert.ok and cert.max_regret == 0
    text = result.summary().to_text()
    assert "in -> accommodate" in text and "Selten" in text
    assert result.to_dict()["equilibria"][0]["path"] == ["in", "accommodate"]
    with pytest.raises(ModelError, match="not an action"):
        result.credible(("in",), "nuke")
    with pytest.raises(ModelError, match="not a decision node"):
        result.credible(("out",), "fight")


@pytest.mark.parametrize("legs", [2, 3, 6, 10])
def test_centipede_unravels_to_take_at_every_node(legs):
    result = subgame_perfect(GameTree.from_dict(centipede(legs)))
    (eq,) = result.equilibria
    assert set(eq.strategy.values()) == {"take"}
    assert len(eq.strategy) == legs
    assert eq.path == ("take",)
    assert eq.payoffs == {"A": 3, "B": 1}
    assert result.verify().ok
    # passing is never credible, even where the pot has grown
    assert not any(result.credible(p, "pass") for p in eq.strategy)


def test_ties_report_every_equilibrium_unless_tie_break():
    d = copy.deepcopy(ENTRY)
    d["root"]["actions"]["in"]["actions"]["fight"]["payoffs"]["Incumbent"] = 1  # indifferent
    result = subgame_perfect(GameTree.from_dict(d))
    assert {eq.strategy[("in",)] for eq in result.equilibria} == {"fight", "accommodate"}
    assert {eq.strategy[()] for eq in result.equilibria} == {"out", "in"}
    assert len(result.equilibria) == 2
    assert result.credible(("in",), "fight") and result.credible(("in",), "accommodate")
    assert result.verify().ok
    d["root"]["actions"]["in"]["tie_break"] = ["accommodate"]
    tied = subgame_perfect(GameTree.from_dict(d))
    (eq,) = tied.equilibria
    assert eq.strategy == {(): "in", ("in",): "accommodate"}
    assert not tied.credible(("in",), "fight")


def test_ties_multiply_and_budget_is_enforced():
    # n independent indifferent responders after a chance move: 2**n equilibria
    n = 6
    outcomes = {
        f"o{k}": {
            "probability": f"1/{n}",
            "then": {
                "player": "B",
                "actions": {"x": {"payoffs": {"B": 0}}, "y": {"payoffs": {"B": 0}}},
            },
        }
        for k in range(n)
    }
    tree = GameTree.from_dict({"players": ["B"], "root": {"chance": outcomes}})
    assert len(subgame_perfect(tree).equilibria) == 2**n
    with pytest.raises(TooLargeError, match="tie_break"):
        subgame_perfect(tree, max_equilibria=10)


def test_chance_moves_are_exact_expectations():
    tree = GameTree.from_dict(IRAN).bind({"c": "1/2", "e": "0.3"})
    result = subgame_perfect(tree)
    (eq,) = result.equilibria
    # US: strike gives -(1 - e) = -7/10 > -1; Iran: enrich gives 1/2 - e = 1/5 > 0
    assert eq.strategy == {(): "enrich", ("enrich",): "strike"}
    assert eq.payoffs == {"Iran": Fraction(1, 5), "US": Fraction(-7, 10)}
    assert all(isinstance(v, Fraction) for v in eq.payoffs.values())
    assert eq.path == ("enrich", "strike")  # stops at the chance node
    assert eq.outcomes == {
        ("enrich", "strike", "hit"): Fraction(3, 10),
        ("enrich", "strike", "miss"): Fraction(7, 10),
    }
    assert result.verify().ok


def test_tiny_probabilities_and_huge_payoffs_stay_exact():
    d = {
        "players": ["A"],
        "root": {
            "player": "A",
            "actions": {
                "safe": {"payoffs": {"A": "1e-10"}},
                "gamble": {
                    "chance": {
                        "win": {"probability": "1e-15", "then": {"payoffs": {"A": "100000"}}},
                        "lose": {"probability": "1 - 1e-15", "then": {"payoffs": {"A": "0"}}},
                    }
                },
            },
        },
    }
    # 1e-15 * 1e5 is exactly 1e-10: an exact tie, so both choices are equilibria
    tied = subgame_perfect(GameTree.from_dict(d)).equilibria
    assert {eq.strategy[()] for eq in tied} == {"safe", "gamble"}
    assert {eq.payoffs["A"] for eq in tied} == {Fraction(1, 10**10)}
    d["root"]["actions"]["safe"]["payoffs"]["A"] = "1.00000001e-10"
    (eq,) = subgame_perfect(GameTree.from_dict(d)).equilibria
    assert eq.strategy[()] == "safe"


def test_rubinstein_three_periods_symbolic_discount_factors():
    tree = GameTree.from_dict(rubinstein3())
    result = subgame_perfect(tree)
    assert isinstance(result, SymbolicSPEResult)
    (region,) = result.regions
    assert region.condition == sp.true and region.status == "nonempty"
    # the SPE accepts on path, at Rubinstein's finite-horizon shares
    assert region.path == ("offer", "accept")
    assert sp.expand(region.payoffs["P1"] - (1 - d2 * (1 - d1))) == 0
    assert sp.expand(region.payoffs["P2"] - d2 * (1 - d1)) == 0
    # every offer one step lower is rejected, and every SPE offer accepted, in every period
    for path, action in region.strategy.items():
        if path and path[-1] == "low":
            assert action == "reject"
            assert result.credible(path, "reject") == sp.true
            assert result.credible(path, "accept") == sp.false
        elif path and path[-1] == "offer":
            assert action == "accept"
        else:
            assert action == "offer"
    assert not result.boundary
    cert = result.verify()
    assert cert.ok and cert.implications_unproved == 0 and cert.sample_mismatches == 0
    at = result.at({"d1": "0.9", "d2": "0.8"})
    (eq,) = at.equilibria
    assert eq.payoffs == {"P1": Fraction(92, 100), "P2": Fraction(8, 100)}


def test_rubinstein_with_symbolic_step():
    d = rubinstein3("h")
    d["parameters"]["h"] = {"domain": ["1/100", "1/10"]}
    result = subgame_perfect(GameTree.from_dict(d))
    (region,) = result.regions
    assert region.path == ("offer", "accept")
    assert result.credible(("low",), "reject") == sp.true
    assert result.verify().ok


def test_issue_example_regions():
    result = subgame_perfect(GameTree.from_dict(IRAN))
    assert isinstance(result, SymbolicSPEResult)
    by_path = {r.path: r for r in result.regions}
    assert set(by_path) == {("freeze",), ("enrich", "strike"), ("enrich", "tolerate")}
    # Iran freezes iff the expected cost of a strike, c + e, is at least 1 (ties: freeze first)
    assert by_path[("freeze",)].condition == sp.And(sp.Gt(e, 0), c + e >= 1)
    assert by_path[("enrich", "strike")].condition == sp.And(sp.Gt(e, 0), c + e < 1)
    assert sp.expand(by_path[("enrich", "strike")].payoffs["Iran"] - (1 - c - e)) == 0
    # e = 0: the US is indifferent and the tie goes to its first action; a boundary cell
    assert by_path[("enrich", "tolerate")].interior is False
    assert by_path[("freeze",)].interior and by_path[("enrich", "strike")].interior
    # the strike threat is credible for every e in [0, 1]; tolerating only at e = 0
    assert result.credible(("enrich",), "strike") == sp.true
    tolerate = result.credible(("enrich",), "tolerate")
    assert (
        tolerate.subs({e: 0, c: 1}) == sp.true
        and tolerate.subs({e: sp.Rational(1, 2), c: 1}) == sp.false
    )
    assert result.credible((), "freeze") == (c + e >= 1)
    bounds = {str(b.equation): b for b in result.boundaries()}
    assert set(bounds) == {"Eq(e, 0)", "Eq(c + e, 1)"}
    assert bounds["Eq(e, 0)"].thresholds == (Fraction(0),)
    # at a point on the boundary c + e = 1 both equilibria are reported
    at = result.at({"c": "0.5", "e": "0.5"})
    assert {eq.path for eq in at.equilibria} == {("freeze",), ("enrich", "strike")}
    assert result.region_at({"c": "0.5", "e": "0.5"}).path == ("freeze",)
    assert result.verify().ok
    summary = result.summary()
    assert "c + e >= 1" in summary.to_text() and "<table>" in summary.to_html()
    assert result.to_dict()["regions"][0]["status"] == "nonempty"


def test_one_parameter_thresholds_inside_the_domain():
    d = copy.deepcopy(IRAN)
    d["parameters"] = {"e": {"domain": [0, 1]}}
    chance = d["root"]["actions"]["enrich"]["actions"]["strike"]["chance"]
    chance["hit"]["then"]["payoffs"]["Iran"] = "-3/2"
    chance["miss"]["then"]["payoffs"]["Iran"] = "-1/2"
    result = subgame_perfect(GameTree.from_dict(d))
    values = sorted(v for b in result.boundaries() for v in b.thresholds)
    assert values == [0]  # with c = 3/2 Iran freezes for every e > 0
    assert result.credible((), "enrich") == sp.Eq(e, 0)


def test_classifier_agrees_with_exact_regions():
    result = subgame_perfect(GameTree.from_dict(IRAN))
    rng = np.random.default_rng(7)
    cs, es = rng.uniform(0, 2, 2000), rng.uniform(0, 1, 2000)
    idx = result.classify(c=cs, e=es)
    assert idx.shape == (2000,)
    for k in range(0, 2000, 50):
        point = {"c": Fraction(cs[k]), "e": Fraction(es[k])}
        assert result.region_at(point).index == idx[k]
    assert result.classify(c=1.0, e=0.25).shape == ()
    with pytest.raises(ModelError, match="outside the domain"):
        result.classify(c=np.array([3.0]), e=np.array([0.5]))
    with pytest.raises(ModelError, match="exactly"):
        result.classify(c=1.0)


def test_symbolic_imperfect_information_is_not_applicable():
    d = {
        "players": ["A", "B"],
        "parameters": {"x": {"domain": [0, 1]}},
        "root": {
            "player": "A",
            "actions": {
                k: {
                    "player": "B",
                    "infoset": "b",
                    "actions": {
                        "l": {"payoffs": {"A": "x", "B": 0}},
                        "r": {"payoffs": {"A": 0, "B": "x"}},
                    },
                }
                for k in ("L", "R")
            },
        },
    }
    with pytest.raises(NotApplicableError, match="bind"):
        subgame_perfect(GameTree.from_dict(d))


def test_imperfect_information_subgames_are_solved_by_nash():
    # A chooses out or in; after in, A and B move simultaneously (B does not see A's move)
    d = {
        "players": ["A", "B"],
        "root": {
            "player": "A",
            "actions": {
                "out": {"payoffs": {"A": 1, "B": 3}},
                "in": {
                    "player": "A",
                    "actions": {
                        "F": {
                            "player": "B",
                            "infoset": "b",
                            "actions": {
                                "f": {"payoffs": {"A": -1, "B": -1}},
                                "a": {"payoffs": {"A": 1, "B": -2}},
                            },
                        },
                        "A": {
                            "player": "B",
                            "infoset": "b",
                            "actions": {
                                "f": {"payoffs": {"A": -2, "B": -1}},
                                "a": {"payoffs": {"A": 3, "B": 1}},
                            },
                        },
                    },
                },
            },
        },
    }
    result = subgame_perfect(GameTree.from_dict(d))
    assert result.subgames == (("in",),)
    got = {
        (eq.strategy[()], eq.strategy[("in",)], eq.strategy[("in", "F")])
        for eq in result.equilibria
    }
    # the subgame after "in" has pure equilibria (F, f) and (A, a)
    assert got == {("out", "F", "f"), ("in", "A", "a")}
    for eq in result.equilibria:
        assert eq.strategy[("in", "F")] == eq.strategy[("in", "A")]  # one information set
    assert result.verify().ok
    assert "subgame_nash" in result.method


def test_verify_catches_a_tampered_profile():
    result = subgame_perfect(GameTree.from_dict(ENTRY))
    (eq,) = result.equilibria
    bad = type(eq)(
        {(): "out", ("in",): "fight"}, {"Entrant": 0, "Incumbent": 2}, ("out",), {("out",): 1}
    )
    forged = type(result)(tree=result.tree, equilibria=(bad,))
    cert = forged.verify()
    assert not cert.ok and cert.max_regret == 2
    assert any("not optimal" in m for m in cert.checks)


def test_bad_input():
    with pytest.raises(ModelError, match="GameTree"):
        subgame_perfect({"players": ["A"]})  # type: ignore[arg-type]


def test_discounted_payoffs_with_a_singular_point_in_the_domain():
    # grim trigger against a one-shot gain T: cooperate iff 3/(1-d) >= T + 3d/(1-d)
    d = {
        "players": ["A", "B"],
        "parameters": {"d": {"domain": [0, 1]}, "T": {"domain": [0, 5]}},
        "root": {
            "player": "A",
            "actions": {
                "cooperate": {"payoffs": {"A": "3/(1 - d)", "B": "3/(1 - d)"}},
                "defect": {
                    "player": "B",
                    "actions": {
                        "punish": {"payoffs": {"A": "T + d/(1 - d)", "B": "0"}},
                        "forgive": {"payoffs": {"A": "T + 3*d/(1 - d)", "B": "1"}},
                    },
                },
            },
        },
    }
    T = symbol("T")
    result = subgame_perfect(GameTree.from_dict(d))
    assert result.credible((), "cooperate") == (T <= 3)
    assert any("undefined where 1 - d = 0" in n for n in result.notes)
    with pytest.raises(ModelError, match="undefined"):
        result.at({"d": 1, "T": 1})
    assert result.at({"d": "1/2", "T": 4}).equilibria[0].payoffs == {"A": 7, "B": 1}
    assert result.verify().ok
    d["parameters"]["d"]["domain"] = [0, "0.99"]
    assert not subgame_perfect(GameTree.from_dict(d)).notes
