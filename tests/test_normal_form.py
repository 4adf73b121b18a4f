"""NormalFormGame: validation, exactness, labels and round trips."""

from __future__ import annotations

import warnings
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate.errors import FloatInputWarning, ModelError, TooLargeError
from negotiate.games.normal import NormalFormGame

OK2 = [[1, 2], [3, 4]]


def model_error(call: Any, field: str, *shown: str) -> ModelError:
    """Run ``call``; it must raise ModelError at ``field`` whose message shows ``shown``."""
    with pytest.raises(ModelError) as info:
        call()
    exc = info.value
    assert exc.field == field, str(exc)
    text = str(exc)
    assert text.startswith(field), text
    for part in shown:
        assert part in text, f"{part!r} not in {text!r}"
    return exc


# ---------------------------------------------------------------- row 1: NaN
@pytest.mark.parametrize(
    "bad, shown",
    [(float("nan"), "nan"), ("nan", "'nan'"), (Decimal("NaN"), "Decimal('NaN')"), (np.nan, "nan")],
)
def test_nan_payoff_is_rejected_naming_the_cell(bad: Any, shown: str) -> None:
    exc = model_error(
        lambda: NormalFormGame.from_arrays([[1, 2], [3, bad]], OK2),
        "players[0].payoffs[1][1]",
        shown,
    )
    assert "finite" in exc.reason or "NaN" in exc.reason


def test_nan_in_numpy_array_names_the_cell() -> None:
    b = np.array([[0.0, 1.0], [np.nan, 2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FloatInputWarning)
        model_error(lambda: NormalFormGame.from_arrays(OK2, b), "players[1].payoffs[1][0]", "nan")


# ---------------------------------------------------------------- row 2: infinities, overflow
@pytest.mark.parametrize(
    "bad, shown",
    [
        (float("inf"), "inf"),
        (float("-inf"), "-inf"),
        (1e308 * 10, "inf"),
        ("-inf", "'-inf'"),
        ("Infinity", "'Infinity'"),
        (Decimal("Infinity"), "Decimal('Infinity')"),
    ],
)
def test_infinite_payoff_is_rejected_naming_the_cell(bad: Any, shown: str) -> None:
    exc = model_error(
        lambda: NormalFormGame.from_arrays(OK2, [[0, bad], [0, 0]]),
        "players[1].payoffs[0][1]",
        shown,
    )
    assert "finite" in exc.reason


# ---------------------------------------------------------------- row 8: empty strategy sets
def test_empty_payoff_list_is_rejected() -> None:
    model_error(
        lambda: NormalFormGame.from_arrays([], []), "players[0].payoffs", "= []", "strategy"
    )


def test_empty_row_is_rejected() -> None:
    model_error(
        lambda: NormalFormGame.from_arrays([[]], [[]]), "players[0].payoffs[0]", "= []", "strategy"
    )


@pytest.mark.parametrize("shape, axis", [((0, 2), 0), ((2, 0), 1), ((2, 3, 0), 2)])
def test_empty_numpy_axis_is_rejected_naming_the_player(shape: tuple[int, ...], axis: int) -> None:
    arrays = [np.zeros(shape, dtype=int)] * len(shape)
    model_error(
        lambda: NormalFormGame.from_arrays(*arrays),
        "players[0].payoffs",
        str(shape),
        f"axis {axis}",
        f"players[{axis}] has none",
    )


def test_empty_strategy_label_list_is_rejected() -> None:
    model_error(
        lambda: NormalFormGame.from_dict(
            {"players": ["A", "B"], "strategies": {"A": [], "B": ["x"]}, "payoffs": {"A": [[1]]}}
        ),
        "payoffs.B",
        "missing",
    )
    model_error(
        lambda: NormalFormGame.from_arrays([[1]], [[1]], strategies=[[], ["x"]]),
        "players[0].strategies",
        "[]",
        "expected 1 labels",
    )


# ---------------------------------------------------------------- row 10: mismatched shapes
def test_mismatched_shapes_name_both_fields_and_shapes() -> None:
    model_error(
        lambda: NormalFormGame.from_arrays(OK2, [[1, 2, 3], [4, 5, 6]]),
        "players[1].payoffs",
        "(2, 3)",
        "players[0].payoffs",
        "(2, 2)",
    )


def test_strategy_labels_must_match_the_shape() -> None:
    model_error(
        lambda: NormalFormGame.from_arrays(OK2, OK2, strategies=[["a", "b", "c"], ["x", "y"]]),
        "players[0].strategies",
        "['a', 'b', 'c']",
        "expected 2 labels",
    )


def test_player_labels_must_match_the_number_of_arrays() -> None:
    model_error(
        lambda: NormalFormGame.from_arrays(OK2, OK2, players=["A", "B", "C"]),
        "players",
        "['A', 'B', 'C']",
        "expected 2 labels",
    )


# ---------------------------------------------------------------- row 11: ragged rows
def test_ragged_rows_name_the_row_and_counts() -> None:
    model_error(
        lambda: NormalFormGame.from_arrays([[1, 2], [3]], OK2),
        "players[0].payoffs[1]",
        "has 1 entries, expected 2",
    )


def test_ragged_three_player_array_names_the_sub_array() -> None:
    a = [[[1, 2], [3, 4]], [[1, 2], [3]]]
    model_error(
        lambda: NormalFormGame.from_arrays(a, a, a),
        "players[0].payoffs[1][1]",
        "has 1 entries, expected 2",
    )


# ---------------------------------------------------------------- row 12: wrong rank
def test_three_dimensional_array_for_two_players_is_rejected() -> None:
    model_error(
        lambda: NormalFormGame.from_arrays([[[1, 2], [3, 4]]], OK2),
        "players[0].payoffs",
        "has 3 dimension(s)",
        "2 players needs 2",
    )
    model_error(
        lambda: NormalFormGame.from_arrays(OK2, np.zeros((2, 2, 2))),
        "players[1].payoffs",
        "has 3 dimension(s)",
    )


def test_matrices_for_three_players_are_rejected() -> None:
    model_error(
        lambda: NormalFormGame.from_arrays(OK2, OK2, OK2),
        "players[0].payoffs",
        "has 2 dimension(s)",
        "3 players needs 3",
    )


def test_vectors_for_two_players_are_rejected() -> None:
    model_error(
        lambda: NormalFormGame.from_arrays([1, 2], [3, 4]),
        "players[0].payoffs",
        "has 1 dimension(s)",
    )


def test_zero_sum_needs_a_matrix() -> None:
    model_error(
        lambda: NormalFormGame.zero_sum([[[1]]]), "players[0].payoffs", "has 3 dimension(s)"
    )


# ---------------------------------------------------------------- row 13: complex, bool, strings
@pytest.mark.parametrize(
    "bad, shown, reason",
    [
        (2j, "2j", "complex"),
        (complex(1, 0), "(1+0j)", "complex"),
        (True, "True", "boolean"),
        (False, "False", "boolean"),
        ("abc", "'abc'", "not a number"),
        ("1/0", "'1/0'", "division by zero"),
        ("", "''", "not a number"),
        (None, "", "NoneType"),
        ([1], "", "list"),
    ],
)
def test_non_real_payloads_are_rejected(bad: Any, shown: str, reason: str) -> None:
    exc = model_error(
        lambda: NormalFormGame.from_arrays([[1, bad], [3, 4]], OK2), "players[0].payoffs[0][1]"
    )
    assert shown in str(exc)
    assert reason in exc.reason


@pytest.mark.parametrize("dtype, shown", [(bool, "True"), (complex, "(1+0j)")])
def test_numpy_bool_and_complex_arrays_are_rejected(dtype: Any, shown: str) -> None:
    a = np.array([[1, 0], [0, 1]], dtype=dtype)
    model_error(lambda: NormalFormGame.from_arrays(a, OK2), "players[0].payoffs[0][0]", shown)


# ---------------------------------------------------------------- row 14: mixed profiles
@pytest.fixture
def bos() -> NormalFormGame:
    return NormalFormGame.from_arrays(
        [[3, 0], [0, 2]],
        [[2, 0], [0, 3]],
        players=["Row", "Col"],
        strategies=[["opera", "fight"], ["opera", "fight"]],
    )


@pytest.mark.parametrize(
    "profile, field, shown",
    [
        ([[Fraction(3, 2), Fraction(-1, 2)], [1, 0]], "profile[0][0]", "Fraction(3, 2)"),
        ([[1, 0], ["-1/2", "3/2"]], "profile[1][0]", "'-1/2'"),
        ([[1.5, -0.5], [1, 0]], "profile[0][0]", "1.5"),
        ([[float("nan"), 1], [1, 0]], "profile[0][0]", "nan"),
        ([[1, 0], [0, "inf"]], "profile[1][1]", "'inf'"),
        ([["1/3", "1/3"], [1, 0]], "profile[0]", "sum to 2/3"),
        ([[0.5, 0.4], [1, 0]], "profile[0]", "sum to 9/10"),
        ([[1], [1, 0]], "profile[0]", "expected 2 probabilities for Row"),
        ([[1, 0]], "profile", "expected 2 strategies"),
        ([[1, 0], "ab"], "profile[1]", "'ab'"),
        ([[1, 0], [True, False]], "profile[1][0]", "True"),
    ],
)
def test_bad_mixed_profiles_are_rejected(
    bos: NormalFormGame, profile: Any, field: str, shown: str
) -> None:
    model_error(lambda: bos.mixed_profile(profile), field, shown)
    model_error(lambda: bos.max_regret(profile), field, shown)


def test_exact_rational_probabilities_are_accepted(bos: NormalFormGame) -> None:
    prof = bos.mixed_profile([["3/5", "2/5"], ["2/5", "3/5"]])
    assert prof == ((Fraction(3, 5), Fraction(2, 5)), (Fraction(2, 5), Fraction(3, 5)))
    assert bos.max_regret(prof) == 0  # the mixed equilibrium of battle of the sexes
    assert bos.expected_payoffs(prof) == (Fraction(6, 5), Fraction(6, 5))


def test_float_probabilities_within_tolerance_are_renormalised(bos: NormalFormGame) -> None:
    prof = bos.mixed_profile([[0.3333333333, 0.6666666667], [0.1, 0.9]])
    assert sum(prof[0]) == 1
    assert prof[1] == (Fraction(1, 10), Fraction(9, 10))
    model_error(lambda: bos.mixed_profile([[0.3333, 0.6666], [1, 0]]), "profile[0]", "not 1")


# ---------------------------------------------------------------- row 20: duplicate labels
def test_duplicate_player_labels_name_both_places() -> None:
    model_error(
        lambda: NormalFormGame.from_arrays(OK2, OK2, players=["US", "US"]),
        "players[1]",
        "'US'",
        "also players[0]",
    )


def test_duplicate_strategy_labels_name_both_places() -> None:
    model_error(
        lambda: NormalFormGame.from_arrays(OK2, OK2, strategies=[["x", "y"], ["z", "z"]]),
        "players[1].strategies[1]",
        "'z'",
        "also players[1].strategies[0]",
    )
    model_error(
        lambda: NormalFormGame.from_arrays(
            OK2, OK2, players=["A", "B"], strategies={"A": ["a", "a"], "B": ["b", "c"]}
        ),
        "players[0].strategies[1]",
        "'a'",
        "also players[0].strategies[0]",
    )


def test_duplicate_players_in_from_dict() -> None:
    model_error(
        lambda: NormalFormGame.from_dict(
            {"players": ["A", "A"], "payoffs": {"A": [[1]]}, "strategies": None}
        ),
        "players[1]",
        "'A'",
        "duplicate",
    )


@pytest.mark.parametrize("label, shown", [("", "''"), ("  ", "'  '"), (3, "3"), (None, "")])
def test_bad_labels_are_rejected(label: Any, shown: str) -> None:
    model_error(
        lambda: NormalFormGame.from_arrays(OK2, OK2, players=["A", label]), "players[1]", shown
    )


# ---------------------------------------------------------------- row 25: too large
def test_too_large_game_reports_the_cost_estimate() -> None:
    huge = np.broadcast_to(np.int8(0), (5000, 5000))  # no memory: a view of one zero
    with pytest.raises(TooLargeError) as info:
        NormalFormGame.from_arrays(huge, huge)
    exc = info.value
    assert exc.cost == 2 * 5000 * 5000
    assert exc.cost > exc.budget
    assert "(5000, 5000)" in str(exc)
    assert "estimated cost 5e+07" in str(exc)
    assert exc.instead


# ---------------------------------------------------------------- rows 5-7, 9: handled, not refused
def test_huge_and_tiny_magnitudes_stay_exact() -> None:
    big, tiny = 10**400, Fraction(1, 10**400)
    g = NormalFormGame.from_arrays([[big, 0], [0, 1]], [["1e-300", tiny], [1, 0]])
    assert g.payoff_array(0)[0, 0] == big
    assert g.payoff_array(1)[0, 0] == Fraction(1, 10**300)
    assert g.payoff_array(1)[0, 1] == tiny
    assert not g.float_input
    # the mixed equilibrium of this game has a column probability of 1/(10^400 + 1)
    q = Fraction(1, big + 1)
    prof = [[Fraction(1, 2), Fraction(1, 2)], [q, 1 - q]]
    values = g.strategy_values(0, prof)
    assert values[0] == values[1] == big * q


def test_mixed_scales_across_players() -> None:
    g = NormalFormGame.from_arrays(
        [["3e9", 0], [0, "2e9"]], [["2e-9", 0], [0, "3e-9"]], players=["big", "small"]
    )
    prof = [["3/5", "2/5"], ["2/5", "3/5"]]
    assert g.max_regret(prof) == 0
    assert g.expected_payoffs(prof) == (Fraction(6, 5) * 10**9, Fraction(6, 5) / 10**9)


@pytest.mark.parametrize(
    "a, b", [([[5]], [[3]]), ([[1, 2, 3]], [[3, 1, 2]]), ([[1], [2]], [[0], [1]])]
)
def test_one_strategy_players_are_accepted(a: Any, b: Any) -> None:
    g = NormalFormGame.from_arrays(a, b)
    m, n = g.shape
    assert (m, n) == (len(a), len(a[0]))
    # the best reply to the only strategy of the other player has no regret
    best_r = max(range(m), key=lambda r: max(a[r]))
    best_c = max(range(n), key=lambda c: b[0][c]) if m == 1 else 0
    prof = [[int(r == best_r) for r in range(m)], [int(c == best_c) for c in range(n)]]
    assert g.max_regret(prof) == 0


def test_single_player_game() -> None:
    g = NormalFormGame.from_arrays([4, "9/2", 1], players=["solo"])
    assert g.n_players == 1
    assert g.strategy_values("solo", [[1, 0, 0]]) == (4, Fraction(9, 2), 1)
    assert g.max_regret([[1, 0, 0]]) == Fraction(1, 2)


# ---------------------------------------------------------------- exactness and floats
def test_exact_strings_are_exact() -> None:
    g = NormalFormGame.from_arrays([["0.1", "1/3"]], [["-2e-9", " 7 / 2 "]])
    assert list(g.payoff_array(0)[0]) == [Fraction(1, 10), Fraction(1, 3)]
    assert list(g.payoff_array(1)[0]) == [Fraction(-2, 10**9), Fraction(7, 2)]
    assert all(type(x) is Fraction for x in g.payoff_array(0).ravel())
    assert not g.float_input


def test_decimals_and_fractions_are_exact() -> None:
    g = NormalFormGame.from_arrays([[Decimal("0.1"), Fraction(2, 3)]], [[np.int64(3), 4]])
    assert g.payoff_array(0)[0, 0] == Fraction(1, 10)
    assert g.payoff_array(1)[0, 0] == 3
    assert not g.float_input


def test_floats_are_flagged() -> None:
    with pytest.warns(FloatInputWarning, match="shortest decimal"):
        g = NormalFormGame.from_arrays([[0.1, 1]], [[1, 2]])
    assert g.float_input
    assert g.payoff_array(0)[0, 0] == Fraction(1, 10)
    with pytest.warns(FloatInputWarning):
        z = NormalFormGame.zero_sum(np.array([[0.25, -1.0]]))
    assert z.float_input
    assert z.payoff_array(1)[0, 0] == Fraction(-1, 4)


def test_exact_input_issues_no_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        NormalFormGame.from_arrays([["0.1"]], [[1]])
        NormalFormGame.zero_sum([[1, "-1/2"]])


# ---------------------------------------------------------------- zero-sum is explicit
def test_zero_sum_is_explicit() -> None:
    model_error(
        lambda: NormalFormGame.from_arrays([[1, -1], [-1, 1]]),
        "players[0].payoffs",
        "has 2 dimension(s)",
        "1 players needs 1",
    )
    g = NormalFormGame.zero_sum([[1, -1], [-1, 1]], players=["A", "B"])
    assert g.is_zero_sum
    assert g.payoff("B", {"A": "s1", "B": "s2"}) == 1
    assert not NormalFormGame.from_arrays(OK2, OK2).is_zero_sum


# ---------------------------------------------------------------- labels and dicts
def test_labels_and_positions_address_the_same_payoff(bos: NormalFormGame) -> None:
    assert bos.payoff("Row", {"Row": "opera", "Col": "opera"}) == 3
    assert bos.payoff(1, ("fight", "fight")) == 3
    assert bos.payoff("Col", [0, 1]) == 0
    model_error(lambda: bos.payoff("Nobody", [0, 0]), "player", "'Nobody'")
    model_error(lambda: bos.payoff("Row", ["ballet", "opera"]), "strategy of Row", "'ballet'")


def test_from_dict_rejects_unknown_keys_and_players() -> None:
    model_error(
        lambda: NormalFormGame.from_dict({"players": ["A"], "payoffs": {"A": [1]}, "extra": 1}),
        "extra",
        "unknown key",
    )
    model_error(
        lambda: NormalFormGame.from_dict({"players": ["A"], "payoffs": {"A": [1], "Z": [2]}}),
        "payoffs.Z",
        "unknown player",
    )


def test_to_dict_round_trip_is_exact(bos: NormalFormGame) -> None:
    g = NormalFormGame.from_arrays(
        [["1/3", "-0.1"], [10**30, 0]],
        [[0, "7/9"], [1, "2e-9"]],
        players=["US", "Iran"],
        strategies=[["firm", "back down"], ["firm", "back down"]],
        title="crisis",
    )
    data = g.to_dict()
    assert data["payoffs"]["US"][0] == ["1/3", "-1/10"]
    h = NormalFormGame.from_dict(data)
    assert h.players == g.players and h.strategies == g.strategies and h.title == g.title
    for i in range(2):
        assert np.array_equal(h.payoff_array(i), g.payoff_array(i))
    assert h.to_dict() == data


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 3),
    st.integers(1, 3),
    st.lists(st.fractions(max_denominator=1000), min_size=18, max_size=18),
)
def test_round_trip_property(m: int, n: int, values: list[Fraction]) -> None:
    a = [[values[r * n + c] for c in range(n)] for r in range(m)]
    b = [[values[9 + r * n + c] for c in range(n)] for r in range(m)]
    g = NormalFormGame.from_arrays(a, b)
    h = NormalFormGame.from_dict(g.to_dict())
    assert h.to_dict() == g.to_dict()
    assert np.array_equal(h.payoff_array(0), np.array(a, dtype=object))
    # an affine map of one player's payoffs leaves every regret scaled, never changes its sign
    k = g.affine(0, "1/7", 5)
    pure = [[int(i == 0) for i in range(m)], [int(j == 0) for j in range(n)]]
    assert k.regrets(pure)[0] == g.regrets(pure)[0] / 7
    assert k.regrets(pure)[1] == g.regrets(pure)[1]
