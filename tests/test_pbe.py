"""perfect_bayesian on numeric signalling games: hand-worked cases, certificates, errors."""

from __future__ import annotations

import copy
import json
from fractions import Fraction
from typing import Any

import pytest
import sympy as sp

from negotiate.errors import ModelError, NotApplicableError, SolverError, TooLargeError
from negotiate.games.signaling import SignalingGame
from negotiate.solvers.pbe.beliefs import OffPathBeliefs
from negotiate.solvers.pbe.result import PBEResult, build_equilibrium
from negotiate.solvers.pbe.solve import perfect_bayesian
from tests.signaling_games import beer_quiche_dict

F = Fraction


def beer_quiche(prior: Any = "9/10") -> SignalingGame:
    """Cho & Kreps (1987) beer-quiche with P(strong) = ``prior``."""
    return SignalingGame.from_dict(beer_quiche_dict(prior))


def job_market(prior_high: Any = "1/3") -> SignalingGame:
    """Spence-style education signal: education costs 1 (high) or 3 (low); the employer gets 1
    for matching a manager job to high ability or a clerk job to low ability; wages 4 and 2."""
    cost = {"high": 1, "low": 3}
    wage = {"manager": 4, "clerk": 2}
    match = {("high", "manager"), ("low", "clerk")}
    return SignalingGame.from_dict(
        {
            "sender": "Worker",
            "receiver": "Employer",
            "types": {"high": {"prior": prior_high}, "low": {"prior": 1 - F(prior_high)}},
            "messages": ["educate", "none"],
            "actions": ["manager", "clerk"],
            "payoffs": {
                t: {
                    m: {
                        a: {
                            "Worker": wage[a] - (cost[t] if m == "educate" else 0),
                            "Employer": int((t, a) in match),
                        }
                        for a in wage
                    }
                    for m in ("educate", "none")
                }
                for t in cost
            },
        }
    )


def by_sender(result: PBEResult) -> dict[tuple[Any, ...], Any]:
    return {tuple(sorted(e.sender_strategy.items())): e for e in result.equilibria}


def test_beer_quiche_has_the_two_pooling_classes_and_no_separating():
    result = perfect_bayesian(beer_quiche())
    assert result.method == "exact"
    assert result.kinds == ("pooling",)
    assert result.of_kind("separating") == ()
    assert result.regions["separating"] == sp.false and result.regions["pooling"] == sp.true
    eqs = by_sender(result)
    assert len(result.equilibria) == 2

    beer = eqs[(("strong", "beer"), ("weak", "beer"))]
    assert dict(beer.receiver_strategy) == {"beer": "not", "quiche": "fight"}
    assert dict(beer.beliefs["beer"]) == {"strong": F(9, 10), "weak": F(1, 10)}
    off = beer.beliefs["quiche"]
    assert isinstance(off, OffPathBeliefs) and beer.off_path == ("quiche",)
    assert off.interval("weak") == (F(1, 2), F(1))
    assert str(off.condition) == "mu(weak|quiche) >= 1/2"
    assert off.contains({"strong": F(1, 2), "weak": F(1, 2)})
    assert not off.contains({"strong": F(3, 5), "weak": F(2, 5)})
    assert dict(beer.type_payoffs) == {"strong": 3, "weak": 2}
    assert dict(beer.payoffs) == {"Sender": F(29, 10), "Receiver": F(9, 10)}
    assert beer.intuitive is True

    quiche = eqs[(("strong", "quiche"), ("weak", "quiche"))]
    assert dict(quiche.receiver_strategy) == {"beer": "fight", "quiche": "not"}
    off = quiche.beliefs["beer"]
    assert isinstance(off, OffPathBeliefs)
    assert off.interval("weak") == (F(1, 2), F(1))
    assert str(off.condition) == "mu(weak|beer) >= 1/2"
    assert quiche.intuitive is False  # the strong type would deviate to beer (Cho & Kreps)

    cert = result.verify()
    assert cert.ok and cert.max_regret == 0 and cert.bayes_error == 0 and cert.equilibria == 2


def test_beer_quiche_with_a_weak_prior_is_semi_separating():
    result = perfect_bayesian(beer_quiche("1/3"))
    (eq,) = result.equilibria
    assert eq.kind == "semi-separating"
    assert eq.sender_strategy["strong"] == "beer"
    # weak mixes so that mu(strong|beer) = 1/2: (1/3) / (1/3 + (2/3) q) = 1/2
    assert eq.sender_mixture("weak") == {"beer": F(1, 2), "quiche": F(1, 2)}
    # the receiver mixes at beer so that weak is indifferent: 2 (1 - r) = 1
    assert eq.receiver_mixture("beer") == {"fight": F(1, 2), "not": F(1, 2)}
    assert eq.receiver_strategy["quiche"] == "fight"
    assert dict(eq.beliefs["beer"]) == {"strong": F(1, 2), "weak": F(1, 2)}
    assert dict(eq.beliefs["quiche"]) == {"strong": 0, "weak": 1}
    assert dict(eq.type_payoffs) == {"strong": 2, "weak": 1}
    assert eq.off_path == ()
    assert result.verify().ok


@pytest.mark.parametrize("prior", ["1/10", "1/4", "2/5", "49/100"])
def test_beer_quiche_mixing_probability_follows_the_prior(prior):
    p = F(prior)
    (eq,) = perfect_bayesian(beer_quiche(prior)).equilibria
    assert eq.sender_mixture("weak")["beer"] == p / (1 - p)
    assert eq.receiver_mixture("beer") == {"fight": F(1, 2), "not": F(1, 2)}


def test_job_market_separates_and_the_intuitive_criterion_selects_it():
    result = perfect_bayesian(job_market())
    assert set(result.kinds) == {"separating", "pooling"}
    (sep,) = result.of_kind("separating")
    assert dict(sep.sender_strategy) == {"high": "educate", "low": "none"}
    assert dict(sep.receiver_strategy) == {"educate": "manager", "none": "clerk"}
    assert dict(sep.beliefs["educate"]) == {"high": 1, "low": 0}
    assert dict(sep.type_payoffs) == {"high": 3, "low": 2}
    assert sep.intuitive is True
    (pool,) = result.of_kind("pooling")
    assert dict(pool.sender_strategy) == {"high": "none", "low": "none"}
    assert pool.receiver_strategy["none"] == "clerk"
    off = pool.beliefs["educate"]
    assert isinstance(off, OffPathBeliefs) and off.action == "clerk"
    assert off.interval("low") == (F(1, 2), F(1))
    assert pool.intuitive is False  # education is equilibrium-dominated for the low type
    assert result.verify().ok


def test_three_types_partially_pool():
    data = job_market().to_dict()
    data["types"] = {"high": {"prior": "1/3"}, "mid": {"prior": "1/3"}, "low": {"prior": "1/3"}}
    data["payoffs"]["mid"] = copy.deepcopy(data["payoffs"]["high"])
    for m in ("educate",):
        for a in ("manager", "clerk"):
            data["payoffs"]["mid"][m][a]["Worker"] -= 1  # education costs 2
    result = perfect_bayesian(SignalingGame.from_dict(data))
    assert "partially pooling" in result.kinds
    part = [e for e in result.of_kind("partially pooling") if e.sender_strategy["low"] == "none"]
    assert part and all(e.sender_strategy["high"] == "educate" for e in part)
    assert result.verify().ok
    for eq in result.equilibria:
        for belief in eq.beliefs.values():
            if isinstance(belief, OffPathBeliefs):
                assert belief.vertices  # an exact, non-empty belief polytope


def test_a_type_with_zero_prior_is_handled():
    result = perfect_bayesian(beer_quiche(1))
    assert result.verify().ok
    for eq in result.equilibria:
        if eq.sender_strategy["weak"] != eq.sender_strategy["strong"]:
            # the weak type's message is never sent with positive probability
            assert eq.sender_strategy["weak"] in eq.off_path


def test_verify_catches_a_wrong_equilibrium():
    game = beer_quiche()
    result = perfect_bayesian(game)
    wrong_receiver = build_equilibrium(
        game,
        [{0: F(1)}, {0: F(1)}],
        [{0: F(1)}, {0: F(1)}],
        {1: result.equilibria[0].beliefs["quiche"]},  # type: ignore[dict-item]
    )
    bad = PBEResult(game, (wrong_receiver,), "exact", result.regions, result.options)
    cert = bad.verify()
    assert not cert.ok and cert.receiver_regret > 0
    assert any("receiver_regret" in n for n in cert.notes)
    wrong_sender = build_equilibrium(
        game, [{1: F(1)}, {0: F(1)}], [{0: F(1)}, {1: F(1)}], {}
    )  # strong takes quiche and is spared, weak takes beer and is fought: weak deviates
    cert = PBEResult(game, (wrong_sender,), "exact", result.regions, result.options).verify()
    assert not cert.ok and cert.sender_regret > 0


def test_summary_and_json():
    result = perfect_bayesian(beer_quiche())
    text = result.summary().to_text()
    assert "mu(weak|quiche) >= 1/2" in text and "fails" in text and "passes" in text
    assert "<table>" in result.summary().to_html()
    data = json.loads(json.dumps(result.to_dict()))
    assert data["equilibria"][0]["kind"] == "pooling"
    assert data["equilibria"][0]["payoffs"]["Sender"] == "29/10"
    off = data["equilibria"][0]["beliefs"]["quiche"]
    assert off["condition"] == "mu(weak|quiche) >= 1/2"


def test_method_dispatch_and_budget():
    symbolic = SignalingGame.from_dict(
        {**beer_quiche().to_dict(), "parameters": {"pi": {"domain": [0, 1]}}}
        | {"types": {"strong": {"prior": "pi"}, "weak": {"prior": "1 - pi"}}}
    )
    with pytest.raises(NotApplicableError) as err:
        perfect_bayesian(symbolic, method="exact")
    assert err.value.applicable == ("symbolic",)
    with pytest.raises(ModelError, match="unknown method"):
        perfect_bayesian(beer_quiche(), method="gambit")
    with pytest.raises(TooLargeError, match="max_cost"):
        perfect_bayesian(beer_quiche(), max_cost=10)
    with pytest.raises(ModelError):
        perfect_bayesian(beer_quiche(), max_cost=0)
    with pytest.raises(ModelError):
        perfect_bayesian("beer-quiche")  # type: ignore[arg-type]
    three = job_market().to_dict()
    three["types"]["mid"] = {"prior": 0}
    three["payoffs"]["mid"] = three["payoffs"]["high"]
    with pytest.raises(NotApplicableError, match="two sender types"):
        perfect_bayesian(SignalingGame.from_dict(three), method="symbolic")


def _game(priors: dict[str, str], pay: dict[str, dict[str, Any]]) -> SignalingGame:
    """A game from ``pay[type][message] = ((S, R) for a0, (S, R) for a1, ...)``."""
    n_actions = len(next(iter(next(iter(pay.values())).values())))
    actions = [f"a{k}" for k in range(n_actions)]
    return SignalingGame.from_dict(
        {
            "sender": "S",
            "receiver": "R",
            "types": {t: {"prior": p} for t, p in priors.items()},
            "messages": list(next(iter(pay.values()))),
            "actions": actions,
            "payoffs": {
                t: {
                    m: {a: {"S": v[0], "R": v[1]} for a, v in zip(actions, cells, strict=True)}
                    for m, cells in by_m.items()
                }
                for t, by_m in pay.items()
            },
        }
    )


def test_off_path_mixing_when_no_pure_response_deters():
    """Found by a random search.  Pooling on m1 is the only equilibrium: at the off-path m0,
    a0 deters t0 only and a1 deters t1 only, but a mixture with P(a0) in [2/3, 3/4] deters
    both; the receiver mixes only if indifferent, i.e. at mu(t0|m0) = 1/4."""
    game = _game(
        {"t0": "1/5", "t1": "4/5"},
        {
            "t0": {"m0": ((-2, 3), (1, -3)), "m1": ((-1, -2), (3, 0))},
            "t1": {"m0": ((2, 0), (-2, 2)), "m1": ((1, 3), (3, 0))},
        },
    )
    result = perfect_bayesian(game)
    (eq,) = result.equilibria
    assert eq.kind == "pooling" and dict(eq.sender_strategy) == {"t0": "m1", "t1": "m1"}
    assert eq.receiver_strategy["m1"] == "a0"
    assert eq.receiver_mixture("m0") == {"a0": F(17, 24), "a1": F(7, 24)}  # centre of [2/3, 3/4]
    off = eq.beliefs["m0"]
    assert isinstance(off, OffPathBeliefs) and off.actions == ("a0", "a1")
    assert off.vertices == ((F(1, 4), F(3, 4)),)
    assert str(off.condition) == "Eq(mu(t0|m0), 1/4)"
    with pytest.raises(ModelError, match="mixes"):
        _ = off.action
    assert result.verify().ok


def test_no_equilibrium_in_the_enumerated_classes_raises():
    """Found by a random search: the receiver is indifferent at m2 whatever t0's mixing
    probability, so the equilibria form continua outside the enumerated classes."""
    game = _game(
        {"t0": "1/2", "t1": "1/2"},
        {
            "t0": {"m0": ((-3, -2), (-2, 0)), "m1": ((3, -3), (-3, 2)), "m2": ((3, 3), (-1, 3))},
            "t1": {"m0": ((-1, 0), (-2, -2)), "m1": ((-1, 3), (1, -2)), "m2": ((3, -3), (0, 3))},
        },
    )
    with pytest.raises(SolverError, match="enumerated classes"):
        perfect_bayesian(game)


@pytest.mark.parametrize(
    ("n_types", "n_messages", "n_actions", "kinds"),
    [
        (1, 2, 2, ["pooling", "pooling"]),
        (2, 1, 2, ["pooling"]),
        (2, 2, 1, ["pooling", "separating", "separating", "pooling"]),
        (1, 1, 1, ["pooling"]),
    ],
)
def test_one_type_message_or_action_is_solved_not_refused(n_types, n_messages, n_actions, kinds):
    types = [f"t{i}" for i in range(n_types)]
    messages = [f"m{j}" for j in range(n_messages)]
    actions = [f"a{k}" for k in range(n_actions)]
    game = SignalingGame.from_dict(
        {
            "sender": "S",
            "receiver": "R",
            "types": {t: {"prior": F(1, n_types)} for t in types},
            "messages": messages,
            "actions": actions,
            "payoffs": {
                t: {
                    m: {a: {"S": i + k, "R": i - k} for k, a in enumerate(actions)}
                    for m in messages
                }
                for i, t in enumerate(types)
            },
        }
    )
    result = perfect_bayesian(game)
    assert [e.kind for e in result.equilibria] == kinds
    assert result.verify().ok
