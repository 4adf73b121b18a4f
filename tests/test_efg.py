"""Gambit .efg read and write: round trips, exact numbers, strict parsing."""

from __future__ import annotations

from fractions import Fraction

import pytest

from negotiate.errors import ModelError, NotApplicableError
from negotiate.games.tree import GameTree
from negotiate.interop.gambit_efg import parse_efg, read_efg, to_efg, write_efg
from negotiate.solvers.spe.solve import subgame_perfect
from tests.trees import ENTRY, IRAN, centipede

# A two-type signalling game in the layout Gambit writes (structure after Watson's
# "Strategy", the Princess Bride example); typed here by hand.
SIGNALLING = """EFG 2 R "Signalling game" { "Wesley" "Prince" }
"a comment with \\"quotes\\""

c "" 1 "" { "Strong" 1/2 "Weak" 1/2 } 0
p "" 1 1 "" { "Up" "Stay" } 0
p "" 2 1 "after Up" { "Surrender" "Fight" } 0
t "" 1 "Outcome1" { 1, 0 }
t "" 2 "Outcome2" { 0, -2 }
p "" 2 2 "after Stay" { "Surrender" "Fight" } 0
t "" 3 "Outcome3" { 1, 0 }
t "" 4 "Outcome4" { 0, -2 }
p "" 1 2 "" { "Up" "Stay" } 0
p "" 2 1 "after Up" 0
t "" 5 "Outcome5" { -1, 0 }
t "" 6 "Outcome6" { -3, 1 }
p "" 2 2 "after Stay" { "Surrender" "Fight" } 0
t "" 3 "Outcome3"
t "" 8 "Outcome8" { -1 1 }
"""


def test_read_signalling_game():
    tree = parse_efg(SIGNALLING)
    assert tree.title == "Signalling game"
    assert tree.players == ("Wesley", "Prince")
    assert tree.infosets == {  # the file's labels name the information sets
        "after Up": (("Strong", "Up"), ("Weak", "Up")),
        "after Stay": (("Strong", "Stay"), ("Weak", "Stay")),
    }
    assert tree.node(()).probabilities == (Fraction(1, 2), Fraction(1, 2))
    # outcome 3 reused by number; payoffs separated by spaces or commas
    assert tree.payoff("Wesley", ("Weak", "Stay", "Surrender")) == 1
    assert tree.payoff("Prince", ("Weak", "Stay", "Fight")) == 1
    assert tree.node(("Weak", "Up")).actions == ("Surrender", "Fight")  # actions omitted
    assert subgame_perfect(tree).verify().ok


@pytest.mark.parametrize(
    "tree",
    [
        GameTree.from_dict(ENTRY),
        GameTree.from_dict(centipede(5)),
        GameTree.from_dict(IRAN).bind({"c": "1/3", "e": "0.25"}),
        parse_efg(SIGNALLING),
    ],
)
def test_round_trip_is_exact(tree, tmp_path):
    path = tmp_path / "game.efg"
    write_efg(tree, path)
    again = read_efg(path)
    assert again.players == tree.players
    assert again.root == tree.root
    assert to_efg(again) == to_efg(tree)


def test_interior_outcomes_add_to_terminal_payoffs_and_decimals_are_exact():
    text = """EFG 2 D "" { "A" "B" } ""
p "" 1 1 "" { "x" "y" } 1 "entry fee" { -.10, 0.10 }
t "" 2 "" { 1.5, 2 }
c "" 1 "" { "h" 0.3 "t" .7 } 0
t "" 3 "" { 1e-3 0 }
t "" 0
"""
    tree = parse_efg(text)
    assert tree.payoff("A", ("x",)) == Fraction(14, 10)
    assert tree.payoff("B", ("x",)) == Fraction(21, 10)
    assert tree.payoff("A", ("y", "h")) == Fraction(-99, 1000)
    assert tree.payoff("A", ("y", "t")) == Fraction(-1, 10)
    assert tree.node(("y",)).probabilities == (Fraction(3, 10), Fraction(7, 10))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('EFG 3 R "" { "A" } p', "version 2"),
        ('NFG 1 R "" { "A" }', "starts with"),
        ('EFG 2 R "" { } ""\nt "" 0', "no players"),
        ('EFG 2 R "" { "A" } ""\nt "" 1 "" { 1, 2 }', "1 payoffs"),
        ('EFG 2 R "" { "A" } ""\nt "" 4', "before its payoffs"),
        ('EFG 2 R "" { "A" } ""\np "" 2 1 "" { "x" } 0\nt "" 0', "player numbers"),
        ('EFG 2 R "" { "A" } ""\np "" 1 1 "" 0\nt "" 0', "before its actions"),
        ('EFG 2 R "" { "A" } ""\np "" 1 1 "" { "x" "x" } 0\nt "" 0\nt "" 0', "duplicate"),
        ('EFG 2 R "" { "A" } ""\nc "" 1 "" { "h" 1/2 "t" 1/3 } 0\nt "" 0\nt "" 0', "sum to 1"),
        ('EFG 2 R "" { "A" } ""\nc "" 1 "" { "h" 3/2 "t" -1/2 } 0\nt "" 0\nt "" 0', r"\[0, 1\]"),
        ('EFG 2 R "" { "A" } ""\nt "" 1 "" { nan }', "unexpected|expected a number"),
        ('EFG 2 R "" { "A" } ""\nt "" 1 "" { __import__ }', "unexpected text"),
        ('EFG 2 R "" { "A" } ""\nt "" 0\nt "" 0', "after the last node"),
        ('EFG 2 R "" { "A" } ""\nt "" 1 "" { 1 } @', "unexpected text"),
        ('EFG 2 R "" { "A" } ""\np "" 1 1 "" { "x" } 0', "expected a node"),
        ('EFG 2 R "" { "A" } ""\nq "" 0', "'p', 'c' or 't'"),
        ('EFG 2 R "" { "A" } ""\nt "" 1 "" { 1/0 }', "division by zero"),
    ],
)
def test_strict_parser_names_the_place(text, reason):
    with pytest.raises(ModelError, match=reason) as err:
        parse_efg(text)
    assert "efg" in err.value.field or "root" in err.value.field or "players" in err.value.field


def test_symbolic_trees_cannot_be_written():
    with pytest.raises(NotApplicableError, match="bind"):
        to_efg(GameTree.from_dict(IRAN))


def test_deep_and_unicode_labels_round_trip():
    d = {
        "players": ["Иран", 'U"S'],
        "root": {
            "player": "Иран",
            "actions": {'a "quoted" \\ b': {"payoffs": {"Иран": 1, 'U"S': -1}}},
        },
    }
    tree = GameTree.from_dict(d)
    assert parse_efg(to_efg(tree)).root == tree.root
