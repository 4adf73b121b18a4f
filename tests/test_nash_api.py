"""The public surface of nash_equilibria: dispatch, options, budgets, records and renderers."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from negotiate import (
    FloatInputWarning,
    ModelError,
    NormalFormGame,
    NotApplicableError,
    SolverError,
    TooLargeError,
)
from negotiate.solvers.nash.enummixed import DEFAULT_BUDGET, enummixed_cost
from negotiate.solvers.nash.nashpy_backends import exact_profile
from negotiate.solvers.nash.solve import NASH_METHODS, nash_equilibria
from tests.test_nash_regressions import CASES

CHICKEN = NormalFormGame.from_arrays(
    [[0, 3], [1, 2]],
    [[0, 1], [3, 2]],
    players=["US", "Iran"],
    strategies=[["firm", "back down"], ["firm", "back down"]],
    title="crisis",
)


def test_methods_are_registered() -> None:
    assert set(NASH_METHODS.names()) == {
        "enummixed",
        "lemke_howson",
        "pure",
        "nashpy_support",
        "nashpy_vertex",
    }


def test_unknown_method_lists_the_valid_ones() -> None:
    with pytest.raises(ModelError) as info:
        nash_equilibria(CHICKEN, "simplex")
    assert info.value.field == "method"
    assert "'enummixed'" in str(info.value) and "'lemke_howson'" in str(info.value)


def test_not_a_game_is_a_model_error() -> None:
    with pytest.raises(ModelError, match="game"):
        nash_equilibria([[1, 2], [3, 4]])  # type: ignore[arg-type]


def test_options_belong_to_their_methods() -> None:
    with pytest.raises(ModelError, match="initial_label"):
        nash_equilibria(CHICKEN, "enummixed", initial_label=1)
    with pytest.raises(ModelError, match="max_cost"):
        nash_equilibria(CHICKEN, "lemke_howson", max_cost=5)
    with pytest.raises(ModelError, match="max_cost"):
        nash_equilibria(CHICKEN, max_cost=-1)


def test_records_and_labels() -> None:
    result = nash_equilibria(CHICKEN)
    assert result.method == "auto" and result.complete and result.degenerate is False
    assert len(result) == 3 and list(result) == list(result.equilibria)
    mixed = result[1]
    assert mixed.probabilities == ((Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 2),) * 2)
    assert mixed.payoffs == (Fraction(3, 2), Fraction(3, 2))
    assert mixed.players == ("US", "Iran")
    assert mixed.strategies[0] == ("firm", "back down")
    assert mixed.support == (("firm", "back down"), ("firm", "back down"))
    assert mixed.as_dict()["Iran"] == {"firm": Fraction(1, 2), "back down": Fraction(1, 2)}
    assert mixed.max_regret() == 0 and not mixed.is_pure
    assert [e.is_pure for e in result] == [True, False, True]
    # deterministic order: descending lexicographic in the probabilities
    assert result[0].probabilities[0] == (1, 0) and result[2].probabilities[0] == (0, 1)


def test_summary_renderers_and_dict() -> None:
    result = nash_equilibria(CHICKEN)
    text = result.summary().to_text()
    assert "Nash equilibria of crisis" in text and "firm 1/2, back down 1/2" in text
    assert "nondegenerate game: 3 isolated equilibria" in text
    assert "<table>" in result.summary().to_html()
    assert "| method | auto |" in result.summary().to_markdown()
    data = result.to_dict()
    json.dumps(data)
    assert data["equilibria"][1]["probabilities"]["US"] == {"firm": "1/2", "back down": "1/2"}
    assert data["components"] == [[0], [1], [2]]


def test_html_escapes_labels() -> None:
    game = NormalFormGame.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]], players=["<b>A</b>", "B"])
    html = nash_equilibria(game).summary().to_html()
    assert "<b>A</b>" not in html and "&lt;b&gt;A&lt;/b&gt;" in html


def test_degenerate_summary_lists_maximal_subsets() -> None:
    a, b, *_ = CASES["G4 isolated point and a segment"]
    result = nash_equilibria(NormalFormGame.from_arrays(a, b))
    summary = result.summary()
    assert any("Maximal Nash subsets" in t.caption for t in summary.tables)
    assert dict(summary.fields)["degenerate"] == "yes"


def test_budget_admits_fourteen_by_fourteen_and_refuses_fifteen() -> None:
    assert enummixed_cost((14, 14)) <= DEFAULT_BUDGET < enummixed_cost((15, 15))
    # a 14x14 game with dominant strategies runs under the default budget
    n = 14
    a = [[100 if i == 0 else j for j in range(n)] for i in range(n)]
    b = [[100 if j == 0 else i for j in range(n)] for i in range(n)]
    (eq,) = nash_equilibria(NormalFormGame.from_arrays(a, b)).equilibria
    assert eq.support == (("s1",), ("s1",))
    big = NormalFormGame.from_arrays(np.ones((15, 15), dtype=int), np.ones((15, 15), dtype=int))
    with pytest.raises(TooLargeError) as info:
        nash_equilibria(big)
    assert "lemke_howson" in str(info.value) and info.value.cost > info.value.budget
    with pytest.raises(TooLargeError):
        nash_equilibria(CHICKEN, max_cost=3)
    assert len(nash_equilibria(CHICKEN, max_cost="1e3")) == 3
    assert nash_equilibria(big, "lemke_howson").equilibria[0].max_regret() == 0


def test_nashpy_support_has_its_own_budget() -> None:
    game = NormalFormGame.from_arrays(np.ones((11, 11), dtype=int), np.ones((11, 11), dtype=int))
    with pytest.raises(TooLargeError, match="nashpy_support"):
        nash_equilibria(game, "nashpy_support")
    with pytest.raises(TooLargeError):
        nash_equilibria(CHICKEN, "nashpy_support", max_cost=8)
    assert len(nash_equilibria(CHICKEN, "nashpy_support", max_cost=9)) == 3


def test_float_input_is_noted() -> None:
    with pytest.warns(FloatInputWarning):
        game = NormalFormGame.from_arrays([[0.1, 0.0], [0.0, 0.2]], [[0.2, 0.0], [0.0, 0.1]])
    result = nash_equilibria(game)
    assert any("floats" in n for n in result.notes)
    assert result.verify().max_regret == 0


@pytest.mark.parametrize("method", ["nashpy_support", "nashpy_vertex"])
@pytest.mark.parametrize("name", list(CASES))
def test_nashpy_backends_return_only_verified_equilibria(method: str, name: str) -> None:
    a, b, expected, *_ = CASES[name]
    game = NormalFormGame.from_arrays(a, b)
    try:
        result = nash_equilibria(game, method)
    except SolverError as exc:
        assert exc.solver == method
        return
    assert {eq.probabilities for eq in result} <= expected
    assert result.complete is False and result.verify().max_regret == 0


def test_nashpy_misses_are_visible() -> None:
    a, b, expected, *_ = CASES["G5 nashpy #82 eight extremes"]
    result = nash_equilibria(NormalFormGame.from_arrays(a, b), "nashpy_support")
    assert len(result) < len(expected)
    assert any("not guaranteed complete" in n for n in result.notes)


def test_exact_profile_rejects_non_equilibria() -> None:
    a = np.array([[3, 1], [1, 2]], dtype=object)
    game = NormalFormGame.from_arrays(a.tolist(), a.T.tolist())
    assert exact_profile(game, a, a.T, [1.0, 0.0], [0.0, 1.0]) is None
    assert exact_profile(game, a, a.T, [np.nan, 1.0], [0.0, 1.0]) is None
    assert exact_profile(game, a, a.T, [1.0, 0.0, 0.0], [1.0, 0.0]) is None
    assert exact_profile(game, a, a.T, [1.0, 1e-17], [1.0, 0.0]) == (
        (Fraction(1), Fraction(0)),
        (Fraction(1), Fraction(0)),
    )


def test_a_callable_method_runs_and_is_recorded() -> None:
    def first_pure(game: NormalFormGame) -> object:
        return nash_equilibria(game, "pure")

    result = nash_equilibria(CHICKEN, first_pure)
    assert result.verify().ok and len(result.equilibria) == 2


def test_an_option_the_method_does_not_take_names_the_methods_that_do() -> None:
    with pytest.raises(ModelError, match="lemke_howson"):
        nash_equilibria(CHICKEN, "enummixed", initial_label=1)


def test_auto_is_not_applicable_to_a_one_player_game_but_pure_is() -> None:
    game = NormalFormGame.from_arrays([3, 1, 3])
    with pytest.raises(NotApplicableError):
        nash_equilibria(game)
    assert len(nash_equilibria(game, "pure")) == 2
