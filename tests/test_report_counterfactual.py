"""Counterfactuals of a scenario, and the independent re-derivations behind report certificates."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate.errors import ModelError
from negotiate.games.bargaining import Polytope
from negotiate.games.issues import IssueSpace
from negotiate.reports.if_talks_fail import condition_text
from negotiate.scenario import load_scenario
from negotiate.scenario.analysis import participation_slacks
from negotiate.scenario.certify import knapsack_slack as _knapsack_slack
from negotiate.scenario.certify import segment_slack as _segment_slack
from negotiate.scenario.counterfactual import counterfactuals, discount_loss, point_outcome

MODELS = Path(__file__).resolve().parent.parent / "models"
EXAMPLES = 150  # cheap exact checks; the fixed profile (conftest.py) derandomises them


@pytest.fixture(scope="module")
def flagship():
    # the relaxed US position (capped enrichment acceptable): the red lines leave an option
    scenario = load_scenario(MODELS / "us_iran_2025.toml")
    result = scenario.solve({"us_accepts_capped": 1}, tipping_points=False)
    return result, counterfactuals(result)


def test_structural_changes(flagship) -> None:
    _, cf = flagship
    by = {c.name: c for c in cf.structural}
    # without the credibility discount the zone of agreement opens, without the floors not
    assert by["credibility"].restores_zone and by["credibility"].point.outcome == "agreement"
    assert not by["floors"].restores_zone and by["floors"].point.outcome == "stalemate"
    # relief design: escrowing energy or banking relief alone is enough
    assert by["irreversible:energy_relief"].restores_zone
    assert by["irreversible:banking_relief"].restores_zone
    # kappa = 1 on every reversible issue is the face-value problem: on the divisible issues
    # (enrichment capped) Nash gives (3/4, 9/20)
    assert by["credibility"].point.utilities == (Fraction(3, 4), Fraction(9, 20))
    assert set(cf.restoring()) >= {"credibility", "irreversible:energy_relief"}
    assert cf.verify().ok


def test_discount_loss(flagship) -> None:
    result, _ = flagship
    losses = {x.issue: x for x in discount_loss(result)}
    assert set(losses) == {"energy_relief", "banking_relief", "guarantees"}
    kappa = result.state.kappa
    assert losses["energy_relief"].discounted == Fraction(1, 4) * kappa
    assert losses["guarantees"].removed == Fraction(1, 5) * (1 - kappa)


def test_threats(flagship) -> None:
    _, cf = flagship
    at = {(t.node, t.action): t for t in cf.threats}
    node = ("strike", "stay_out", "set_back")
    hormuz, limited = at[(node, "hormuz")], at[(node, "limited_prewarned")]
    assert limited.credible and limited.margin == 0
    assert not hormuz.credible and hormuz.margin == Fraction(-27, 50)
    # retaliation_value - hormuz_self_cost - escalation_damage - limited_value, exactly
    assert condition_text(hormuz.condition) == (
        "retaliation_value ≥ escalation_damage + hormuz_self_cost + limited_value"
    )
    # nodes reached with at most one deviation only: no deviation below a retaliation
    assert all(t.deviations <= 1 for t in cf.threats)
    assert ((*node, "hormuz"), "absorb") not in at
    # Israel's preventive strike falls 51/4000 short of restraint at the April round; the US
    # would stay out of it (joining is worth 17/400 less); a detected breakout is struck
    strike = at[((), "strike")]
    assert not strike.credible and strike.margin == Fraction(-51, 4000)
    join = at[(("strike",), "join")]
    assert not join.credible and join.margin == Fraction(-17, 400)
    assert at[(("restrain", "breakout", "detected"), "strike")].credible


def test_lever_points() -> None:
    result = load_scenario(MODELS / "prisoners_dilemma.toml").solve()
    cf = counterfactuals(result)
    delta = next(e for e in cf.levers if e.lever == "delta")
    assert result.outcome == "agreement"
    assert delta.past_tipping is not None and delta.past_tipping.outcome == "stalemate"
    assert delta.reaches("stalemate") is delta.past_tipping
    assert delta.high.outcome == "agreement" and delta.high.deal is not None
    assert cf.restoring() == ()
    assert cf.verify().ok
    with pytest.raises(ModelError, match=r"levers\[0\]"):
        counterfactuals(result, levers=["no_such_parameter"])


def test_point_outcome_matches_solve() -> None:
    model = load_scenario(MODELS / "fearon_crisis.toml")
    result = model.solve()
    point = point_outcome(model, result.parameters)
    assert point.outcome == result.outcome
    assert point.utilities == tuple(result.utilities.values())
    assert point.margin == min(c.slack for c in result.constraints)


def test_tree_only_scenarios_have_threats_but_no_spaces() -> None:
    result = load_scenario(MODELS / "chicken_crisis.toml").solve()
    cf = counterfactuals(result)
    assert cf.spaces == () and cf.structural == ()
    assert {t.player for t in cf.threats} == set(result.scenario.players)
    assert cf.verify().ok
    assert "Threats" in cf.summary().to_text()
    assert cf.to_dict()["threats"][0]["condition"].endswith(">= 0")


# ---------------------------------------------------------------------- re-derivations
weights = st.lists(
    st.tuples(
        st.fractions(min_value=0, max_value=1, max_denominator=20),
        st.fractions(min_value=0, max_value=1, max_denominator=20),
    ).filter(lambda w: w != (0, 0)),
    min_size=1,
    max_size=6,
)
point = st.tuples(
    st.fractions(min_value=-1, max_value=2, max_denominator=10),
    st.fractions(min_value=-1, max_value=2, max_denominator=10),
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(weights, point)
def test_knapsack_slacks_equal_the_polygon_slacks(w, d) -> None:
    """The fractional knapsack and the scenario layer's polygon walk agree exactly."""
    space = IssueSpace.linear(players=("A", "B"), weights={f"i{k}": x for k, x in enumerate(w)})
    expected = participation_slacks(space.polytope().vertices, d)
    assert (_knapsack_slack(w, d, 0), _knapsack_slack(w, d, 1)) == expected


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(point, min_size=1, max_size=7), point)
def test_segment_slacks_equal_the_polygon_slacks(pts, d) -> None:
    """The pairwise segment scan and the hull-based slack agree exactly."""
    expected = participation_slacks(Polytope.hull(pts).vertices, d)
    assert (_segment_slack(pts, d, 0), _segment_slack(pts, d, 1)) == expected
