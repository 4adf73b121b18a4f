"""Conformance of the screening stage (incomplete information): the probabilities of
agreement, stalemate and war, exact = array; they sum to 1; and the layer agrees with
:class:`negotiate.theory.RiskReturn` where the two models coincide.
"""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

import numpy as np
import sympy as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st

from negotiate.pipeline import IssueInput, Spec, input_fields, run_exact, stage
from negotiate.pipeline._spec import ScreeningInput, evaluate
from negotiate.pipeline.nodeal import reached_actions
from negotiate.solvers.spe.solve import subgame_perfect
from negotiate.theory import RiskReturn
from tests.stages import close, first

F = Fraction
QUARTERS = st.integers(0, 4).map(lambda k: F(k, 4))
D = st.integers(-2, 4).map(lambda k: F(k, 4))
OUT = ("agreement", "stalemate", "war")


def _spec(n_issues: int, n_types: int, protocol: str) -> Spec:
    types = tuple((f"t{k}", sp.Symbol(f"p{k}"), sp.Symbol(f"q{k}")) for k in range(n_types))
    return Spec(
        players=("A", "B"),
        issues=tuple(IssueInput(f"i{k}", (0, 0), 0) for k in range(n_issues)),
        screening=ScreeningInput(1, protocol, types),
    )


def _run(spec: Spec, values, weights, d, war: Fraction):
    names = [i.name for i in spec.issues]
    exact_nd = SimpleNamespace(war_probability=war, agreed=False, war=war > 0)
    state = {
        "weights": dict(zip(names, weights, strict=True)),
        "reversibility": dict.fromkeys(names, F(0)),
        "points": None,
        "disagreement": d,
        "no_deal_point": d,
        "floors": d,
        "bounds": d,
        "options": None,
        "no_deal": exact_nd,
        "conditions": {},
    }
    exact = run_exact(spec, values, state=state, stages=("bargaining", "screening"), deal=True)
    arr = lambda x: np.array([float(x)])  # noqa: E731
    frame = {
        "in": {f: arr(evaluate(e, values, f)) for f, e in input_fields(spec, array=True)},
        "point": lambda k: dict(values),
        "weights": ([arr(w[0]) for w in weights], [arr(w[1]) for w in weights]),
        "points": None,
        "disagreement": (arr(d[0]), arr(d[1])),
        "no_deal_point": (arr(d[0]), arr(d[1])),
        "floors": (arr(d[0]), arr(d[1])),
        "bounds": (arr(d[0]), arr(d[1])),
        "options": None,
        "no_deal": SimpleNamespace(war_probability=arr(war)),
        "conditions": {},
    }
    frame.update(stage("bargaining").array(spec, frame))
    frame.update(stage("screening").array(spec, frame))
    return exact, frame


@settings(max_examples=200, deadline=None)
@given(
    weights=st.lists(st.tuples(QUARTERS, QUARTERS), min_size=1, max_size=3),
    d=st.tuples(D, D),
    p=QUARTERS,
    premium=st.tuples(D, D),
    war=st.sampled_from([F(0), F(1, 4), F(1, 2), F(1)]),
    protocol=st.sampled_from(["nash", "ultimatum"]),
)
@example(  # a weapon-seeking type rejects the offer made to the content type
    weights=[(F(1), F(1))],
    d=(F(0), F(0)),
    p=F(1, 4),
    premium=(F(0), F(1, 2)),
    war=F(1, 2),
    protocol="nash",
)
def test_probabilities(weights, d, p, premium, war, protocol) -> None:
    if all(w == (0, 0) for w in weights):
        return
    spec = _spec(len(weights), 2, protocol)
    values = {"p0": 1 - p, "p1": p, "q0": premium[0], "q1": premium[1]}
    exact, array = _run(spec, values, weights, d, war)
    probs = exact["probabilities"]
    assert sum(probs.values()) == 1 and all(0 <= v <= 1 for v in probs.values())
    assert probs["war"] == (1 - probs["agreement"]) * war
    if probs["agreement"] > 0:
        assert exact["offer_type"] in ("t0", "t1") and exact["offer_utilities"] is not None
        assert (exact["offer"] is not None) == (protocol == "nash")
    if not first(array["screening_near"]) and not first(array["zone_near"]):
        for name, value in zip(OUT, array["probabilities"], strict=True):
            assert close(value, probs[name]), name


def _risk_return_layer(p: F, cost_a: F, cost_max: F, n: int):
    """RiskReturn as the layer: A proposes, B's no-deal value is 1 - p - c_k with c_k the
    midpoints of [0, cost_max]; A's is p - cost_a; a breakdown is war."""
    spec = _spec(1, n, "ultimatum")
    values: dict[str, F] = {}
    for k in range(n):
        c = cost_max * (2 * k + 1) / (2 * n)
        values[f"p{k}"], values[f"q{k}"] = F(1, n), cost_max - c
    d = (p - cost_a, 1 - p - cost_max)
    return _run(spec, values, [(F(1), F(1))], d, F(1))


def test_agrees_with_the_discretised_risk_return_game() -> None:
    p, ca, cm = F(1, 2), F(1, 10), F(3, 10)
    exact, _ = _risk_return_layer(p, ca, cm, 3)
    tree = RiskReturn(p, ca, cm).as_tree(grid=20, types=3)
    eq = subgame_perfect(tree).equilibria[0]
    demand = F(eq.strategy[()].split()[-1])
    war = reached_actions(tree, eq.strategy).get("war", F(0))
    assert exact["probabilities"]["war"] == war
    assert exact["offer_utilities"][0] == demand  # A's demand: its share of the pie


def test_converges_to_the_risk_return_closed_form() -> None:
    for p, ca, cm in ((F(1, 2), F(1, 10), F(3, 10)), (F(1, 2), F(1, 20), F(1, 2))):
        n = 60
        exact, _ = _risk_return_layer(p, ca, cm, n)
        closed = RiskReturn(p, ca, cm).solve()
        assert abs(exact["probabilities"]["war"] - closed.war_probability) <= F(2, n)
    # the corner: no uncertainty worth a risk, no breakdown
    exact, _ = _risk_return_layer(F(1, 2), F(1, 10), F(1, 20), 10)
    assert RiskReturn(F(1, 2), F(1, 10), F(1, 20)).solve().war_probability == 0
    assert exact["probabilities"]["war"] == 0
