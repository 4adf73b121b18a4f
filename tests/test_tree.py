"""GameTree: the dict shape, validation with field-named errors, paths, binding, round trips."""

from __future__ import annotations

import copy
from fractions import Fraction

import pytest
import sympy as sp

from negotiate.errors import FloatInputWarning, ModelError
from negotiate.expr import symbol
from negotiate.games.tree import Chance, Decision, GameTree, Terminal
from tests.trees import ENTRY, IRAN, centipede, rubinstein3


def _iran(**changes):
    d = copy.deepcopy(IRAN)
    d.update(changes)
    return d


def test_issue_example_builds_with_paths_and_symbols():
    tree = GameTree.from_dict(IRAN)
    assert tree.players == ("Iran", "US")
    assert list(tree.paths()) == [
        (),
        ("freeze",),
        ("enrich",),
        ("enrich", "tolerate"),
        ("enrich", "strike"),
        ("enrich", "strike", "hit"),
        ("enrich", "strike", "miss"),
    ]
    assert tree.decision_paths() == ((), ("enrich",))
    strike = tree.node(("enrich", "strike"))
    assert isinstance(strike, Chance) and strike.outcomes == ("hit", "miss")
    assert strike.probabilities == (symbol("e"), 1 - symbol("e"))
    assert tree.payoff("Iran", ("enrich", "strike", "hit")) == -symbol("c")
    assert tree.payoff("US", ["freeze"]) == Fraction(1)
    assert isinstance(tree.payoff("US", ["freeze"]), Fraction)
    assert tree.is_symbolic and {s.name for s in tree.free_symbols} == {"c", "e"}
    assert not tree.has_imperfect_information
    assert tree.n_nodes == 7 and tree.depth == 3


def test_round_trip_through_dict_is_exact():
    tree = GameTree.from_dict(IRAN)
    again = GameTree.from_dict(tree.to_dict())
    assert again.to_dict() == tree.to_dict()
    assert again.root == tree.root
    x = {"players": ["A"], "parameters": {"x": {"domain": [0, 1]}}}
    x["root"] = {
        "player": "A",
        "actions": {"a": {"payoffs": {"A": "min(x, 1/3) + abs(x - 1/2) + max(x, 0.25)"}}},
        "tie_break": ["a"],
    }
    t = GameTree.from_dict(x)
    assert GameTree.from_dict(t.to_dict()).root == t.root


def test_bind_gives_exact_numeric_tree_and_names_unbound_parameters():
    tree = GameTree.from_dict(IRAN)
    bound = tree.bind({"c": "1/2", "e": "0.3"})
    assert not bound.is_symbolic
    assert bound.node(("enrich", "strike")).probabilities == (Fraction(3, 10), Fraction(7, 10))
    assert bound.payoff("Iran", ("enrich", "strike", "miss")) == Fraction(1, 2)
    assert dict(bound.bound) == {"c": Fraction(1, 2), "e": Fraction(3, 10)}
    with pytest.raises(ModelError, match=r"unbound parameter\(s\) \['e'\]"):
        tree.bind({"c": 1})
    with pytest.raises(ModelError, match="outside the domain"):
        tree.bind({"c": 3, "e": 0})
    with pytest.raises(ModelError, match="unknown parameter"):
        tree.bind({"c": 1, "e": 0, "zz": 1})
    # declared values fill the gaps
    d = _iran(parameters={"c": {"domain": [0, 2], "value": "1"}, "e": {"domain": [0, 1]}})
    assert GameTree.from_dict(d).bind({"e": 0}).bound["c"] == 1
    # the tree itself is unchanged (immutable)
    assert tree.is_symbolic
    with pytest.raises(AttributeError):
        tree.players = ("x",)  # type: ignore[misc]


def test_bind_refuses_undefined_payoffs():
    d = {
        "players": ["A"],
        "parameters": {"d": {"domain": [0, 1]}},
        "root": {"player": "A", "actions": {"a": {"payoffs": {"A": "1/(1 - d)"}}}},
    }
    tree = GameTree.from_dict(d)
    assert tree.bind({"d": "1/2"}).payoff("A", ("a",)) == 2
    with pytest.raises(ModelError, match="undefined"):
        tree.bind({"d": 1})


def _set(d, keys, value):
    node = d
    for k in keys[:-1]:
        node = node[k]
    node[keys[-1]] = value
    return d


ENRICH = ["root", "actions", "enrich"]
STRIKE = [*ENRICH, "actions", "strike", "chance"]


@pytest.mark.parametrize(
    ("keys", "value", "field", "reason"),
    [
        ([*STRIKE, "hit", "probability"], "e + 1/2", "hit.probability", r"\[0, 1\]"),
        ([*STRIKE, "hit", "probability"], "1/2", "chance", "sum to"),
        ([*STRIKE, "miss", "probability"], "1 - e/2", "chance", "sum to"),
        ([*STRIKE, "hit", "probability"], "-0.5", "hit.probability", r"\[0, 1\]"),
        ([*STRIKE, "hit", "probability"], "q", "hit.probability", "declared parameters: c, e"),
        ([*STRIKE, "hit", "probability"], "__import__('os')", "hit.probability", "only calls"),
        ([*STRIKE, "hit", "then", "payoffs", "Iran"], "nan", "payoffs.Iran", "unknown name"),
        ([*STRIKE, "hit", "then", "payoffs", "Iran"], float("nan"), "payoffs.Iran", "NaN"),
        ([*STRIKE, "hit", "then", "payoffs", "Iran"], True, "payoffs.Iran", "boolean"),
        ([*STRIKE, "hit", "then", "payoffs", "Iran"], "sqrt(2)", "payoffs.Iran", "rational"),
        ([*STRIKE, "hit", "then", "payoffs", "Israel"], "1", "Israel", "unknown player"),
        ([*STRIKE, "hit", "then"], {"payoffs": {"Iran": 1}}, "then.payoffs", "no payoff"),
        ([*STRIKE, "hit"], {"probability": "e"}, "hit", "probability"),
        ([*ENRICH, "player"], "Israel", "enrich.player", "unknown player"),
        ([*ENRICH, "actions"], {}, "enrich.actions", "empty"),
        (
            [*ENRICH, "actions"],
            [["a", {"payoffs": {"Iran": 0, "US": 0}}]] * 2,
            "actions",
            "duplicate",
        ),
        ([*ENRICH, "tie_break"], ["bomb"], "tie_break[0]", "not an action"),
        ([*ENRICH, "tie_break"], ["strike", "strike"], "tie_break[1]", "duplicate"),
        ([*ENRICH, "tie_break"], "strike", "tie_break", "list"),
        ([*ENRICH, "colour"], "red", "enrich.colour", "unexpected key"),
        (["root", "actions", "freeze"], {"payoffs": {}, "chance": {}}, "freeze", "exactly one"),
        (["root", "actions", "freeze"], 3, "freeze", "table/dict"),
        (["players"], ["Iran", "Iran"], "players[1]", "duplicate"),
        (["players"], [], "players", "non-empty"),
        (
            ["parameters"],
            {"c": {"domain": [2, 0]}, "e": {"domain": [0, 1]}},
            "parameters.c",
            "lo <= hi",
        ),
        (["parameters"], {"c": {"domain": [0, 2]}}, "probability", "declared parameters: c"),
        (["parameters"], {"c": {"domain": [0, 2]}, "e": {}}, "probability", "need a domain"),
        (["extra"], 1, "extra", "unknown key"),
    ],
)
def test_validation_errors_name_the_field(keys, value, field, reason):
    d = _set(copy.deepcopy(IRAN), keys, value)
    with pytest.raises(ModelError, match=reason) as err:
        GameTree.from_dict(d)
    assert field in err.value.field


def test_probability_checked_over_the_domain_not_just_at_vertices():
    # equal at the vertices e = 0, 1, but 3*e*(1 - e) + 1/2 reaches 5/4 at e = 1/2
    d = copy.deepcopy(IRAN)
    _set(d, [*STRIKE, "hit", "probability"], "3*e*(1 - e) + 1/2")
    _set(d, [*STRIKE, "miss", "probability"], "1/2 - 3*e*(1 - e)")
    with pytest.raises(ModelError, match=r"\[0, 1\]"):
        GameTree.from_dict(d)
    _set(d, [*STRIKE, "hit", "probability"], "4*e*(1 - e)")
    _set(d, [*STRIKE, "miss", "probability"], "(1 - 2*e)**2")
    tree = GameTree.from_dict(d)  # sums to 1 symbolically, each in [0, 1]
    # fine at the vertices, negative only around its minimum at e = 1/3
    _set(d, [*STRIKE, "hit", "probability"], "(e - 1/3)**2 - 1/36")
    _set(d, [*STRIKE, "miss", "probability"], "1 - ((e - 1/3)**2 - 1/36)")
    with pytest.raises(ModelError, match=r"is -1/36 at e=1/3"):
        GameTree.from_dict(d)
    assert tree.bind({"c": 0, "e": "1/2"}).node(("enrich", "strike")).probabilities == (1, 0)


def test_depth_and_size_limits():
    node: dict = {"payoffs": {"A": 0}}
    for _ in range(150):
        node = {"player": "A", "actions": {"go": node, "stop": {"payoffs": {"A": 1}}}}
    with pytest.raises(ModelError, match="deeper than"):
        GameTree.from_dict({"players": ["A"], "root": node})
    wide = {"player": "A", "actions": {f"a{i}": {"payoffs": {"A": i}} for i in range(100_001)}}
    with pytest.raises(ModelError, match="more than"):
        GameTree.from_dict({"players": ["A"], "root": wide})


def _infoset_tree(second_actions=("f", "a"), player="B"):
    return {
        "players": ["A", "B"],
        "root": {
            "player": "A",
            "actions": {
                "L": {
                    "player": "B",
                    "infoset": "b",
                    "actions": {x: {"payoffs": {"A": 0, "B": 0}} for x in ("f", "a")},
                },
                "R": {
                    "player": player,
                    "infoset": "b",
                    "actions": {x: {"payoffs": {"A": 1, "B": 1}} for x in second_actions},
                },
            },
        },
    }


def test_information_sets():
    tree = GameTree.from_dict(_infoset_tree())
    assert tree.has_imperfect_information
    assert tree.infosets == {"b": (("L",), ("R",))}
    assert tree.infoset_members(("R",)) == (("L",), ("R",))
    assert tree.is_subgame_root(())
    assert not tree.is_subgame_root(("L",))
    with pytest.raises(ModelError, match="differ"):
        GameTree.from_dict(_infoset_tree(second_actions=("f", "x")))
    with pytest.raises(ModelError, match="differs"):
        GameTree.from_dict(_infoset_tree(player="A"))
    nested = {
        "players": ["A"],
        "root": {
            "player": "A",
            "infoset": "s",
            "actions": {
                "x": {
                    "player": "A",
                    "infoset": "s",
                    "actions": {"x": {"payoffs": {"A": 0}}, "y": {"payoffs": {"A": 1}}},
                },
                "y": {"payoffs": {"A": 0}},
            },
        },
    }
    with pytest.raises(ModelError, match="descendant"):
        GameTree.from_dict(nested)


def test_numbers_floats_and_sympy_inputs():
    d = {
        "players": ["A", "B"],
        "parameters": {"x": {"domain": [0, 1]}},
        "root": {
            "player": "A",
            "actions": {
                "a": {"payoffs": {"A": 0.1, "B": Fraction(1, 3)}},
                "b": {"payoffs": {"A": sp.Symbol("x") * 2, "B": "1e-30"}},
            },
        },
    }
    with pytest.warns(FloatInputWarning):
        tree = GameTree.from_dict(d)
    assert tree.float_input
    assert tree.payoff("A", ("a",)) == Fraction(1, 10)
    assert tree.payoff("B", ("b",)) == Fraction(1, 10**30)
    assert tree.payoff("A", ("b",)) == 2 * symbol("x")  # re-made with real=True
    d["root"]["actions"]["b"]["payoffs"]["A"] = sp.Symbol("y")
    with pytest.raises(ModelError, match="unknown parameters"):
        GameTree.from_dict(d)


def test_navigation_errors_and_node_kinds():
    tree = GameTree.from_dict(IRAN)
    with pytest.raises(ModelError, match="no node"):
        tree.node(("enrich", "nuke"))
    with pytest.raises(ModelError, match="not a terminal"):
        tree.payoff("Iran", ("enrich",))
    with pytest.raises(ModelError, match="unknown player"):
        tree.payoff("Israel", ("freeze",))
    assert isinstance(tree.root, Decision) and isinstance(tree.node(("freeze",)), Terminal)
    assert "symbolic" in repr(tree)


def test_examples_build_and_have_the_documented_shape():
    assert GameTree.from_dict(IRAN).is_symbolic
    assert GameTree.from_dict(ENTRY).decision_paths() == ((), ("in",))
    legs = GameTree.from_dict(centipede(4))
    assert len(legs.decision_paths()) == 4 and legs.payoff("B", ("pass",) * 4) == 16
    rub = GameTree.from_dict(rubinstein3())
    # two offers at each of three periods, each answered by accept or reject
    assert len(rub.decision_paths()) == 1 + 2 + 2 * (1 + 2 + 2 * (1 + 2))
    assert {s.name for s in rub.free_symbols} == {"d1", "d2"}
