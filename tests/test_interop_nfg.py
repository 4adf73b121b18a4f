"""Gambit .nfg reading and writing, and conversion to and from nashpy."""

from __future__ import annotations

import unicodedata
import warnings
from fractions import Fraction
from pathlib import Path
from typing import Any

import nashpy
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate.errors import (
    FloatInputWarning,
    ModelError,
    NegotiateWarning,
    NotApplicableError,
    RenamedLabelWarning,
    TooLargeError,
)
from negotiate.games.normal import NormalFormGame
from negotiate.interop.gambit_nfg import format_nfg, parse_nfg, read_nfg, write_nfg
from negotiate.interop.nashpy_convert import from_nashpy, to_nashpy

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "nfg"
F = Fraction

# The two sample files of the Gambit manual ("The strategic game (.nfg) file format").
SELTEN_PAYOFF = """NFG 1 R "Selten (IJGT, 75), Figure 2, normal form"
{ "Player 1" "Player 2" } { 3 2 }

1 1 0 2 0 2 1 1 0 3 2 0
"""
SELTEN_OUTCOME = """NFG 1 R "Selten (IJGT, 75), Figure 2, normal form" { "Player 1" "Player 2" }

{
{ "1" "2" "3" }
{ "1" "2" }
}

{
{ "" 1, 1 }
{ "" 0, 2 }
{ "" 0, 2 }
{ "" 1, 1 }
{ "" 0, 3 }
{ "" 2, 0 }
}
1 2 3 4 5 6
"""
SELTEN_A = [[1, 1], [0, 0], [0, 2]]
SELTEN_B = [[1, 1], [2, 3], [2, 0]]


def same_game(g: NormalFormGame, h: NormalFormGame) -> bool:
    return g.to_dict() == h.to_dict()


@pytest.mark.parametrize("text", [SELTEN_PAYOFF, SELTEN_OUTCOME])
def test_gambit_manual_samples(text: str) -> None:
    g = parse_nfg(text)
    assert g.title == "Selten (IJGT, 75), Figure 2, normal form"
    assert g.players == ("Player 1", "Player 2")
    assert g.strategies == (("1", "2", "3"), ("1", "2"))
    assert g.payoff_array(0).tolist() == SELTEN_A
    assert g.payoff_array(1).tolist() == SELTEN_B
    assert not g.float_input


def test_profiles_are_listed_with_the_first_player_fastest() -> None:
    g = parse_nfg('NFG 1 R "" { "a" "b" "c" } { 2 1 2 }\n' + " ".join(map(str, range(12))))
    # entries: profile (1,1,1) -> 0 1 2, (2,1,1) -> 3 4 5, (1,1,2) -> 6 7 8, (2,1,2) -> 9 10 11
    assert g.payoff("a", (1, 0, 0)) == 3
    assert g.payoff("b", (0, 0, 1)) == 7
    assert g.payoff("c", (1, 0, 1)) == 11


def test_numbers_are_exact() -> None:
    g = parse_nfg('NFG 1 R "t" { "a" "b" } { 2 1 } "a comment"\n.80 -3/2 1.5e3 -0.25')
    assert g.payoff_array(0).tolist() == [[F(4, 5)], [1500]]
    assert g.payoff_array(1).tolist() == [[F(-3, 2)], [F(-1, 4)]]
    assert not g.float_input


def test_labels_with_quotes_backslashes_and_unicode_round_trip() -> None:
    g = NormalFormGame.from_arrays(
        [[1, "1/3"]],
        [[0, "-2"]],
        players=['the "US"', "Iran\\IRGC"],
        strategies=[["strike"], ["höld", "ret\u2019aliate"]],
        title='say "no"',
    )
    for version in ("outcome", "payoff"):
        h = parse_nfg(format_nfg(g, version=version))  # type: ignore[arg-type]
        assert h.players == g.players and h.title == g.title
        assert h.payoff_array(0).tolist() == g.payoff_array(0).tolist()
        if version == "outcome":
            assert same_game(g, h)


def test_empty_labels_get_gambit_defaults() -> None:
    g = parse_nfg('NFG 1 R "" { "" "" } { { "" "x" } { "" } } "" { { "" 1 2 } } 1 0')
    assert g.players == ("Player 1", "Player 2")
    assert g.strategies == (("1", "x"), ("1",))
    assert g.payoff_array(1).tolist() == [[2], [0]]


def test_shipped_models(tmp_path: Path) -> None:
    expected = {
        "crisis_chicken": ([[0, 3], [1, 2]], [[0, 1], [3, 2]], ("US", "Iran")),
        "prisoners_dilemma": ([[3, 0], [5, 1]], [[3, 5], [0, 1]], ("Row", "Column")),
        "battle_of_the_sexes": ([[3, 0], [0, 2]], [[2, 0], [0, 3]], ("Row", "Column")),
        "matching_pennies": ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], ("Matcher", "Mismatcher")),
    }
    for name, (a, b, players) in expected.items():
        g = read_nfg(ROOT / "models" / "games" / f"{name}.nfg")
        assert g.payoff_array(0).tolist() == a and g.payoff_array(1).tolist() == b, name
        assert g.players == players
        out = tmp_path / f"{name}.nfg"
        write_nfg(g, out)
        assert same_game(read_nfg(out), g)
    crisis = read_nfg(ROOT / "models" / "games" / "crisis_chicken.nfg")
    assert crisis.strategies == (("firm", "back down"), ("firm", "back down"))


# ---------------------------------------------------------------- every shape of file
SHAPES_A = [[3, 0, F(1, 2)], [1, 2, -1]]
SHAPES_B = [[2, 1, 0], [0, 3, F(5, 4)]]


@pytest.mark.parametrize(
    ("name", "labelled"),
    [
        ("labelled_payoffs", True),  # the shape Gambit's coord2, vd, g1... use
        ("labelled_outcomes", True),
        ("counted_payoffs", False),
        ("counted_outcomes", False),
    ],
)
def test_strategy_header_and_body_combine_freely(name: str, labelled: bool) -> None:
    g = read_nfg(DATA / f"{name}.nfg")
    assert g.players == ("Row", "Column")
    assert g.payoff_array(0).tolist() == SHAPES_A
    assert g.payoff_array(1).tolist() == SHAPES_B
    assert not g.float_input
    expected = (("up", "down"), ("left", "middle", "right"))
    assert g.strategies == (expected if labelled else (("1", "2"), ("1", "2", "3")))
    assert same_game(parse_nfg(format_nfg(g)), g)
    assert same_game(parse_nfg(format_nfg(g, version="payoff")), g) is not labelled


def test_payoff_body_after_labels_is_read_by_its_first_token() -> None:
    # labels, no comment, then numbers: neither '{' nor a comment string opens the body
    g = parse_nfg('NFG 1 R "t" { "a" "b" } { { "x" "y" } { "z" } }\n-1 2 3/2 .5')
    assert g.strategies == (("x", "y"), ("z",))
    assert g.payoff_array(0).tolist() == [[-1], [F(3, 2)]]
    assert g.payoff_array(1).tolist() == [[2], [F(1, 2)]]
    # and outcomes after counts
    h = parse_nfg('NFG 1 R "t" { "a" "b" } { 2 1 } { { "o" 4, 5 } } 0 1')
    assert h.payoff_array(0).tolist() == [[0], [4]] and h.payoff_array(1).tolist() == [[0], [5]]


def test_repeated_strategy_labels_are_renamed_as_gambit_does() -> None:
    with pytest.warns(RenamedLabelWarning, match=r"line 3: players\[0\]\.strategies.*'hold_2'"):
        g = read_nfg(DATA / "repeated_labels.nfg")
    assert g.strategies == (("hold_1", "hold_2", "strike"), ("wait", "act"))
    assert g.payoff_array(0).tolist() == [[1, 0], [0, 0], [0, 1]]
    assert g.payoff_array(1).tolist() == [[1, 0], [0, 0], [2, 1]]
    assert same_game(parse_nfg(format_nfg(g)), g)


@pytest.mark.parametrize(
    ("labels", "renamed"),
    [
        ('"x" "x" "x_1"', ("x_2", "x_3", "x_1")),  # a name already taken is skipped
        ('"x" "y" "x" "x"', ("x_1", "y", "x_2", "x_3")),
        ('"2" ""', ("2_1", "2_2")),  # the empty second label's default "2" is taken
    ],
)
def test_renaming_skips_names_already_taken(labels: str, renamed: tuple[str, ...]) -> None:
    n = len(renamed)
    text = f'NFG 1 R "t" {{ "a" }} {{ {{ {labels} }} }} ' + " ".join(["0"] * n)
    with pytest.warns(RenamedLabelWarning):
        g = parse_nfg(text)
    assert g.strategies == (renamed,)


def test_repeated_player_labels_are_renamed() -> None:
    with pytest.warns(RenamedLabelWarning, match=r"players: .*'a' -> 'a_1'"):
        g = parse_nfg('NFG 1 R "t" { "a" "a" } { 1 1 } 1 2')
    assert g.players == ("a_1", "a_2")
    assert g.payoff("a_2", (0, 0)) == 2


# ---------------------------------------------------------------- round trips
@st.composite
def games(draw: Any) -> NormalFormGame:
    n = draw(st.integers(1, 3))
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=n, max_size=n)))
    size = int(np.prod(shape))
    values = st.fractions(max_denominator=50).filter(lambda x: abs(x) < 10**6) | st.just(F(0))
    arrays = [
        np.array(draw(st.lists(values, min_size=size, max_size=size)), dtype=object).reshape(shape)
        for _ in range(n)
    ]
    text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=8)
    # labels are stored in canonical form (NFC, stripped) and hold no control characters
    label = (
        st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf")), min_size=1, max_size=8)
        .map(lambda s: unicodedata.normalize("NFC", s).strip())
        .filter(bool)
    )
    players = draw(st.lists(label, min_size=n, max_size=n, unique=True))
    strategies = [draw(st.lists(label, min_size=k, max_size=k, unique=True)) for k in shape]
    return NormalFormGame.from_arrays(
        *arrays, players=players, strategies=strategies, title=draw(text)
    )


@settings(max_examples=150, deadline=None)
@given(games())
def test_write_then_read_is_exact(g: NormalFormGame) -> None:
    assert same_game(parse_nfg(format_nfg(g)), g)
    h = parse_nfg(format_nfg(g, version="payoff"))
    for i in range(g.n_players):
        assert h.payoff_array(i).tolist() == g.payoff_array(i).tolist()


# ---------------------------------------------------------------- malformed input
@pytest.mark.parametrize(
    "text, field, value, reason",
    [
        ('EFG 2 R "t" { "a" }', "line 1: header", "'EFG'", "expected one of ['NFG']"),
        ('NFG 2 R "t" { "a" }', "line 1: version", "'2'", "expected one of ['1']"),
        ('NFG 1 X "t" { "a" }', "line 1: number type", "'X'", "expected one of"),
        ("NFG 1 R t { }", "line 1: title", "'t'", "expected 'str'"),
        ('NFG 1 R "t" { } { }', "line 1: players", "'{ }'", "at least one player"),
        ('NFG 1 R "t" { "a" "b" } { 0 1 }', "line 1: strategies[0]", "0", "no strategies"),
        ('NFG 1 R "t" { "a" "b" } { 1 x }', "line 1: strategies[1]", "'x'", "non-negative"),
        (
            'NFG 1 R "t" { "a" "b" } { 2 1 }\n1 2\n3',
            "line 3: payoffs[3] (profile (2, 1))",
            "",
            "unexpected end of file",
        ),
        (
            'NFG 1 R "t" { "a" "b" } { 1 1 }\n1 2\n3',
            "line 3: end of file",
            "'3'",
            "unexpected extra data",
        ),
        (
            'NFG 1 R "t" { "a" "b" } { 1 1 }\n\n1 nan',
            "line 3: payoffs[1] (profile (1, 1))",
            "'nan'",
            "not a number",
        ),
        ('NFG 1 R "t" { "a" } { 1 } inf', "payoffs[0] (profile (1))", "'inf'", "not a number"),
        ('NFG 1 R "t" { "a" } { 1 } 1/0', "payoffs[0] (profile (1))", "'1/0'", "division"),
        (
            'NFG 1 R "t" { "a" } { 1 } __import__(\'os\')',
            "payoffs[0] (profile (1))",
            "__import__('os')",
            "not a number",
        ),
        ('NFG 1 R "t" { "a" } { 1 } 1e99999', "payoffs[0]", "'1e99999'", "not a number"),
        (
            'NFG 1 R "t" { "a" "b" } { { "x" } { "y" } } { { "" 1 2 } } 2',
            "line 1: profile (1, 1) (entry 0)",
            "2",
            "out of range 0..1",
        ),
        (
            'NFG 1 R "t" { "a" "b" } { { "x" } { } } { } 0',
            "strategies[1]",
            "'{ }'",
            "no strategies",
        ),
        (
            'NFG 1 R "t" { "a" "b" } { { "x" } { "y" } } { { "" 1 } } 1',
            "outcomes[1].payoffs[1]",
            "'}'",
            "not a number",
        ),
        ('NFG 1 R "t\n\n{ "a" } { 1 } 1', "line 3: text", "", "unterminated quoted string"),
        ('NFG 1 R "multi\nline" { "a" } { 1 }\n\n  x', "line 4: payoffs[0]", "'x'", "not a"),
    ],
)
def test_malformed_files_name_line_field_and_value(
    text: str, field: str, value: str, reason: str
) -> None:
    with pytest.raises(ModelError) as info:
        parse_nfg(text, source="bad.nfg")
    msg = str(info.value)
    assert msg.startswith("bad.nfg, line "), msg
    assert field in info.value.field, msg
    assert value in msg and reason in msg, msg


def test_size_caps(tmp_path: Path) -> None:
    with pytest.raises(TooLargeError) as info:
        parse_nfg('NFG 1 R "t" { "a" "b" } { 100000 100000 }', source="huge.nfg")
    assert info.value.cost == 2 * 10**10 and "huge.nfg" in str(info.value)
    path = tmp_path / "big.nfg"
    path.write_text(SELTEN_PAYOFF + " " * 5000)
    with pytest.raises(TooLargeError, match="max_bytes"):
        read_nfg(path, max_bytes=1000)
    assert read_nfg(path).shape == (3, 2)


def test_invalid_utf8_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "latin.nfg"
    path.write_bytes(b'NFG 1 R "caf\xe9" { "a" } { 1 } 1')
    with pytest.raises(ModelError, match=r"^latin.nfg, byte 12: is not valid UTF-8"):
        read_nfg(path)
    with pytest.raises(FileNotFoundError):
        read_nfg(tmp_path / "absent.nfg")


def test_bad_writer_version() -> None:
    with pytest.raises(ModelError, match=r"^version = 'xml'"):
        format_nfg(parse_nfg(SELTEN_PAYOFF), version="xml")  # type: ignore[arg-type]


# ---------------------------------------------------------------- nashpy
def test_to_nashpy_is_float_and_says_so() -> None:
    g = NormalFormGame.from_arrays([[0, 3], [1, 2]], [[0, 1], [3, 2]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ng = to_nashpy(g)  # integers: exact in float64, no warning
    a, _ = ng.payoff_matrices
    assert a.dtype == float and a.tolist() == [[0.0, 3.0], [1.0, 2.0]]
    eqs = [tuple(tuple(float(x) for x in s) for s in e) for e in ng.support_enumeration()]
    assert ((0.5, 0.5), (0.5, 0.5)) in eqs and len(eqs) == 3
    third = NormalFormGame.from_arrays([["1/3", 0]], [[0, "0.1"]])
    with pytest.warns(NegotiateWarning, match=r"rounded to float64, first players\[0\]"):
        to_nashpy(third)


def test_to_nashpy_rejects_what_floats_cannot_hold() -> None:
    with pytest.raises(
        ModelError, match=r"^players\[0\]\.payoffs\[0\]\[1\] = Fraction\(1000.*too large"
    ):
        to_nashpy(NormalFormGame.from_arrays([[0, 10**400]], [[0, 0]]))
    three = NormalFormGame.from_arrays(*([[[1]]],) * 3)
    with pytest.raises(NotApplicableError, match="two-player"):
        to_nashpy(three)


def test_from_nashpy() -> None:
    g = from_nashpy(nashpy.Game(np.array([[1, -1], [-1, 1]])), players=["M", "N"])
    assert g.is_zero_sum and not g.float_input and g.players == ("M", "N")
    with pytest.warns(FloatInputWarning):
        h = from_nashpy(nashpy.Game([[0.1, 0.2]], [[0.3, 0.5]]))
    assert h.float_input and h.payoff_array(0)[0, 0] == F(1, 10)
    back = NormalFormGame.from_arrays([[0, 3], [1, 2]], [[0, 1], [3, 2]])
    with pytest.warns(FloatInputWarning):
        round_trip = from_nashpy(to_nashpy(back))
    assert round_trip.payoff_array(0).tolist() == back.payoff_array(0).tolist()
    assert round_trip.payoff_array(1).tolist() == back.payoff_array(1).tolist()
    assert round_trip.float_input  # floats are flagged even when they are whole numbers
    with pytest.raises(ModelError, match=r"nashpy\.Game"):
        from_nashpy([[1, 2]])
