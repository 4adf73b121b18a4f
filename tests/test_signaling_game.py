"""SignalingGame: construction from dicts, validation with field-named errors, families."""

from __future__ import annotations

import copy
import warnings
from fractions import Fraction
from typing import Any

import pytest
import sympy as sp

from negotiate.errors import FloatInputWarning, ModelError
from negotiate.expr import symbol
from negotiate.games.signaling import SignalingGame
from tests.signaling_games import beer_quiche_dict


def beer_quiche(prior: Any = "9/10") -> dict[str, Any]:
    """Cho & Kreps (1987) beer-quiche in dict form."""
    return beer_quiche_dict(prior)


def symbolic_beer_quiche() -> dict[str, Any]:
    data = beer_quiche("pi")
    data["parameters"] = {"pi": {"domain": [0, 1], "value": "9/10", "meaning": "P(strong)"}}
    return data


def test_numeric_game_is_exact_and_labelled():
    game = SignalingGame.from_dict(beer_quiche())
    assert game.types == ("strong", "weak")
    assert game.messages == ("beer", "quiche")
    assert game.actions == ("fight", "not")
    assert game.priors == (Fraction(9, 10), Fraction(1, 10))
    assert game.payoff("Sender", "weak", "quiche", "not") == 3
    assert game.payoff("Receiver", "weak", "beer", "fight") == 1
    assert game.payoff(0, 1, 1, 1) == 3  # positions also work
    assert isinstance(game.payoff("Sender", "strong", "beer", "fight"), Fraction)
    assert not game.is_symbolic and game.free_parameters == ()
    assert "2 types" in repr(game)


def test_symbolic_game_binds_to_exact_members():
    game = SignalingGame.from_dict(symbolic_beer_quiche())
    pi = symbol("pi")
    assert game.is_symbolic and game.free_parameters == ("pi",)
    assert game.prior("strong") == pi
    assert game.prior("weak") == 1 - pi
    assert game.bind().priors == (Fraction(9, 10), Fraction(1, 10))  # the declared value
    member = game.bind({"pi": "1/3"})
    assert member.priors == (Fraction(1, 3), Fraction(2, 3))
    assert not member.is_symbolic
    with pytest.raises(ModelError, match=r"values\.pi.*outside the domain"):
        game.bind({"pi": 2})
    with pytest.raises(ModelError, match=r"values\.rho.*unknown parameter"):
        game.bind({"rho": 1})


def test_unbound_parameter_is_named():
    data = symbolic_beer_quiche()
    del data["parameters"]["pi"]["value"]
    game = SignalingGame.from_dict(data)
    with pytest.raises(ModelError, match=r"values\.pi.*unbound"):
        game.bind()


def test_expressions_in_payoffs_and_sympy_input():
    data = symbolic_beer_quiche()
    data["parameters"]["c"] = {"domain": [0, 5]}
    data["payoffs"]["weak"]["beer"]["fight"]["Sender"] = "-c"
    data["payoffs"]["strong"]["quiche"]["not"]["Sender"] = sp.Symbol("c") + 1
    game = SignalingGame.from_dict(data)
    c = symbol("c")
    assert game.payoff("Sender", "weak", "beer", "fight") == -c
    assert game.payoff("Sender", "strong", "quiche", "not") == c + 1
    bound = game.bind({"c": "1/2"})
    assert bound.payoff("Sender", "strong", "quiche", "not") == Fraction(3, 2)


def test_round_trip_through_to_dict():
    functions = symbolic_beer_quiche()
    functions["parameters"]["c"] = {"domain": [0, 3], "source": "assumption"}
    functions["payoffs"]["weak"]["beer"]["fight"]["Sender"] = (
        "max(c, 1) - abs(c - 2) + min(c, pi, 1/2) + sqrt(c)*exp(-c) + log(1 + c)"
    )
    for data in (beer_quiche(), symbolic_beer_quiche(), functions):
        game = SignalingGame.from_dict(data)
        again = SignalingGame.from_dict(game.to_dict())
        assert again.priors == game.priors
        assert again.sender_payoffs == game.sender_payoffs
        assert again.receiver_payoffs == game.receiver_payoffs
        assert [p.name for p in again.parameters] == [p.name for p in game.parameters]


def test_floats_are_read_exactly_and_flagged():
    data = beer_quiche(0.9)
    data["types"]["weak"]["prior"] = 0.1
    with pytest.warns(FloatInputWarning):
        game = SignalingGame.from_dict(data)
    assert game.float_input
    assert game.priors == (Fraction(9, 10), Fraction(1, 10))


def test_float_priors_close_to_one_are_renormalised_exactly():
    data = beer_quiche(0.9)
    data["types"]["weak"]["prior"] = 0.1000000000001
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FloatInputWarning)
        game = SignalingGame.from_dict(data)
    assert sum(game.priors) == 1


def _error(data: dict[str, Any]) -> ModelError:
    with pytest.raises(ModelError) as err:
        SignalingGame.from_dict(data)
    return err.value


def _mutated(path: list[str], value: Any, data: dict[str, Any] | None = None) -> dict[str, Any]:
    data = copy.deepcopy(data or beer_quiche())
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "field", "reason"),
    [
        (["payoffs", "weak", "quiche", "not"], _DELETE, "payoffs.weak.quiche.not", "missing"),
        (["payoffs", "weak", "tea"], {}, "payoffs.weak.tea", "unknown message"),
        (
            ["payoffs", "weak", "beer", "fight", "Iran"],
            1,
            "payoffs.weak.beer.fight.Iran",
            "unknown",
        ),
        (
            ["payoffs", "weak", "beer", "fight", "Sender"],
            "nan",
            "payoffs.weak.beer.fight.Sender",
            "NaN",
        ),
        (
            ["payoffs", "weak", "beer", "fight", "Sender"],
            "inf",
            "payoffs.weak.beer.fight.Sender",
            "infinite",
        ),
        (
            ["payoffs", "weak", "beer", "fight", "Sender"],
            True,
            "payoffs.weak.beer.fight.Sender",
            "boolean",
        ),
        (
            ["payoffs", "weak", "beer", "fight", "Sender"],
            "rho",
            "payoffs.weak.beer.fight.Sender",
            "unknown name",
        ),
        (["types", "weak", "prior"], "-1/10", "types.weak.prior", "[0, 1]"),
        (["types", "weak", "prior"], "1/5", "types", "sum to 1"),
        (["types", "weak", "weight"], 1, "types.weak.weight", "unknown key"),
        (["types", "weak", "prior"], _DELETE, "types.weak.prior", "required"),
        (["messages"], ["beer", "beer"], "messages[1]", "duplicate"),
        (["actions"], [], "actions", "non-empty"),
        (["actions"], "fight", "actions", "list"),
        (["receiver"], "Sender", "receiver", "distinct"),
        (["sender"], "", "sender", "non-empty"),
        (["colour"], "red", "colour", "unknown key"),
        (["payoffs"], _DELETE, "payoffs", "required"),
    ],
)
def test_bad_input_names_the_field(path, value, field, reason):
    err = _error(_mutated(path, value))
    assert err.field == field
    assert reason in str(err)


def test_symbolic_priors_are_checked_over_the_domain():
    data = symbolic_beer_quiche()
    data["parameters"]["pi"]["domain"] = [0, 2]
    data["parameters"]["pi"]["value"] = 1
    err = _error(data)
    assert err.field == "types.strong.prior" and "[0, 2]" in str(err)
    data = _mutated(["types", "weak", "prior"], "1/2 - pi", symbolic_beer_quiche())
    assert _error(data).field == "types.weak.prior"
    data = _mutated(["types", "weak", "prior"], "pi", symbolic_beer_quiche())
    err = _error(data)  # 2 pi is not 1 for every pi, though it is at pi = 1/2
    assert err.field == "types" and "sum to 1" in str(err)
    data = symbolic_beer_quiche()
    del data["parameters"]["pi"]["domain"]
    assert "needs a domain" in str(_error(data))


def test_two_parameter_priors_are_checked_at_the_corners():
    data = symbolic_beer_quiche()
    data["parameters"] = {"a": {"domain": [0, 1]}, "b": {"domain": [0, 1]}}
    data["types"] = {"strong": {"prior": "a*b"}, "weak": {"prior": "1 - a*b"}}
    game = SignalingGame.from_dict(data)
    assert game.free_parameters == ("a", "b")
    data["types"] = {"strong": {"prior": "a + b"}, "weak": {"prior": "1 - a - b"}}
    err = _error(data)
    assert err.field == "types.strong.prior" and "a=1, b=1" in str(err)


def test_expressions_are_never_evaluated(tmp_path):
    marker = tmp_path / "pwned"
    text = f"__import__('os').system('touch {marker}')"
    data = _mutated(["payoffs", "weak", "beer", "fight", "Sender"], text)
    err = _error(data)
    assert err.field == "payoffs.weak.beer.fight.Sender"
    assert not marker.exists()


def test_sympy_input_must_use_declared_parameters():
    data = _mutated(["payoffs", "weak", "beer", "fight", "Sender"], sp.Symbol("rho"))
    err = _error(data)
    assert "undeclared parameters ['rho']" in str(err)


def test_lookups_name_unknown_labels():
    game = SignalingGame.from_dict(beer_quiche())
    with pytest.raises(ModelError, match="unknown type"):
        game.prior("medium")
    with pytest.raises(ModelError, match="unknown; players"):
        game.payoff("Iran", "weak", "beer", "fight")
    with pytest.raises(ModelError, match="out of range"):
        game.payoff("Sender", 2, "beer", "fight")
    with pytest.raises(ModelError, match="unknown; parameters"):
        game.parameter("pi")
