"""perfect_bayesian with symbolic parameters: conditions per equilibrium class."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest
import sympy as sp

from negotiate.errors import ModelError
from negotiate.expr import symbol
from negotiate.games.signaling import SignalingGame
from negotiate.solvers.pbe.beliefs import OffPathBeliefs, belief_symbol
from negotiate.solvers.pbe.conditions import holds
from negotiate.solvers.pbe.solve import perfect_bayesian
from tests.signaling_games import beer_quiche_dict

F = Fraction
PI = symbol("pi")


def beer_quiche(fight_weak: Any = 1, prior: Any = "pi", **params: Any) -> SignalingGame:
    """Beer-quiche with the prior of the strong type as a parameter and the receiver's gain
    from fighting a weak sender as ``fight_weak`` (1 in the paper)."""
    parameters = {"pi": {"domain": [0, 1], "value": "9/10"}, **params}
    return SignalingGame.from_dict(beer_quiche_dict(prior, fight_weak, parameters))


def test_beer_quiche_regions_in_the_prior():
    result = perfect_bayesian(beer_quiche())
    assert result.method == "symbolic" and result.symbolic
    half = sp.Rational(1, 2)
    assert result.regions["pooling"] == sp.And(sp.Ge(PI, half), sp.Lt(PI, 1))
    assert result.regions["semi-separating"] == sp.And(sp.Gt(PI, 0), sp.Lt(PI, half))
    assert result.regions["separating"] == sp.false
    assert result.regions["partially pooling"] == sp.false
    pools = result.of_kind("pooling")
    assert len(pools) == 2
    for eq in pools:
        off = eq.beliefs[eq.off_path[0]]
        assert isinstance(off, OffPathBeliefs) and off.action == "fight"
        assert str(off.condition) == f"mu(weak|{eq.off_path[0]}) >= 1/2"
    (hybrid,) = result.of_kind("semi-separating")
    assert hybrid.sender_strategy["strong"] == "beer"
    weak = hybrid.sender_mixture("weak")
    assert sp.simplify(weak["beer"] - PI / (1 - PI)) == 0
    assert sp.simplify(weak["quiche"] - (1 - 2 * PI) / (1 - PI)) == 0
    assert hybrid.receiver_mixture("beer") == {"fight": F(1, 2), "not": F(1, 2)}
    assert dict(hybrid.beliefs["beer"]) == {"strong": F(1, 2), "weak": F(1, 2)}
    assert dict(hybrid.type_payoffs) == {"strong": 2, "weak": 1}


def test_evaluation_matches_the_exact_method():
    game = beer_quiche()
    result = perfect_bayesian(game)
    for value in (F(1, 10), F(1, 3), F(1, 2), F(9, 10), F(99, 100)):
        got = {e.key() for e in result.evaluate({"pi": value})}
        want = {e.key() for e in perfect_bayesian(game.bind({"pi": value})).equilibria}
        assert got == want
    (eq,) = result.evaluate({"pi": F(1, 3)})
    assert eq.sender_mixture("weak") == {"beer": F(1, 2), "quiche": F(1, 2)}
    assert {e.kind for e in result.evaluate({})} == {"pooling"}  # the declared value 9/10


def test_certificate_checks_sample_points():
    cert = perfect_bayesian(beer_quiche()).verify()
    assert cert.ok and cert.exact
    assert cert.points >= 20 and cert.mismatches == 0 and cert.max_regret == 0
    assert cert.symbolic_bayes_errors == 0


def test_a_parameter_in_the_receivers_payoffs():
    """With a gain f from fighting a weak sender, the off-path threat needs f >= 0."""
    game = beer_quiche("f", f={"domain": [-1, 1]})
    result = perfect_bayesian(game)
    f = symbol("f")
    beer_pool = [
        e
        for e in result.of_kind("pooling")
        if e.sender_strategy["strong"] == "beer" and e.receiver_strategy["quiche"] == "fight"
    ]
    (eq,) = beer_pool
    off = eq.beliefs["quiche"]
    assert isinstance(off, OffPathBeliefs) and off.vertices is None
    assert off.condition.free_symbols == {f, belief_symbol("strong", "quiche")}
    for f_value in (F(-1, 2), F(0), F(1, 2), F(1)):
        for pi_value in (F(1, 10), F(1, 2), F(9, 10)):
            point = {"pi": pi_value, "f": f_value}
            exact = perfect_bayesian(game.bind(point)).equilibria
            found = any(
                dict(e.sender_strategy) == {"strong": "beer", "weak": "beer"}
                and dict(e.receiver_strategy) == {"beer": "not", "quiche": "fight"}
                for e in exact
            )
            assert holds(eq.condition, point) == found
    # fighting at quiche is credible iff fighting a weak sender pays (f >= 0); sparing at
    # beer needs pi >= (1 - pi) f
    assert not holds(eq.condition, {"pi": F(9, 10), "f": F(-1, 2)})
    assert holds(eq.condition, {"pi": F(1, 2), "f": F(1)})
    assert not holds(eq.condition, {"pi": F(1, 3), "f": F(1)})
    assert result.verify().ok


def test_conditions_never_divide_by_a_parameter():
    """A payoff 1/c is undefined at c = 0; the conditions stay decidable there."""
    game = beer_quiche("1/c", c={"domain": [0, 2]})
    result = perfect_bayesian(game)
    for eq in result.equilibria:
        assert eq.condition is not None
        value = holds(eq.condition, {"pi": F(9, 10), "c": F(0)})
        assert value in (True, False)
        assert not eq.condition.has(sp.zoo, sp.nan)
    with pytest.raises(ModelError, match="undefined"):
        game.bind({"pi": F(9, 10), "c": 0})
    assert result.verify().ok


def test_summary_and_json_of_a_symbolic_result():
    result = perfect_bayesian(beer_quiche())
    text = result.summary().to_text()
    assert "region: pooling" in text and "pi/(1 - pi)" in text
    data = json.loads(json.dumps(result.to_dict()))
    assert data["method"] == "symbolic"
    assert data["regions"]["semi-separating"] == "(pi > 0) & (pi < 1/2)"


def test_unbound_parameters_are_named_on_evaluation():
    game = beer_quiche("f", f={"domain": [-1, 1]})
    result = perfect_bayesian(game)
    with pytest.raises(ModelError, match="f"):
        result.evaluate({"pi": F(1, 2)})


def test_symbolic_budget():
    from negotiate.errors import TooLargeError

    with pytest.raises(TooLargeError, match="Bind some parameters"):
        perfect_bayesian(beer_quiche(), max_cost=1000)
