"""The coupling layer (credibility discount, disagreement from a tree, self-enforcement) and
the worked composite of the flagship's bargaining layer."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from negotiate.errors import ModelError, NotApplicableError
from negotiate.games.issues import IssueSpace
from negotiate.games.tree import GameTree
from negotiate.solvers.bargaining.solutions import nash_bargaining
from negotiate.theory.coupling import (
    credibility,
    disagreement_from_tree,
    discount_reversible,
    discounted_deal,
    reneging_hazard,
    self_enforcement,
)
from negotiate.theory.deterrence import RetaliationMenu

F = Fraction

# the flagship's issue weights (Iran, US); relief and guarantees are reversible US concessions
WEIGHTS = {
    "sanctions relief": ("0.40", "0.15"),
    "frozen assets": ("0.15", "0.05"),
    "guarantees": ("0.20", "0.10"),
    "enrichment": ("0.15", "0.40"),
    "verification": ("0.10", "0.30"),
}
REVERSIBLE = {"sanctions relief", "guarantees"}
ISSUES = list(WEIGHTS)


def space() -> IssueSpace:
    return IssueSpace.linear(["Iran", "US"], WEIGHTS, reversible=REVERSIBLE)


def layer(g):
    return credibility("0.6", "0.1", "0.8", "0.02", "0.25", "0.9", g)


def k(delta, rho):
    return (1 - delta) / (1 - delta * (1 - rho))


def test_credibility_inputs_and_the_expected_discount():
    c0, c5 = layer(0), layer("0.5")
    assert c0.trust.posterior == F(3, 19)
    assert round(float(c0.trust.posterior), 6) == 0.157895
    assert c0.hazard == F(203, 950)
    assert round(float(c0.effective_hazard), 6) == 0.213684
    # the type is fixed: kappa is E[k(delta, h_t (1 - g))], not k at the mean hazard
    pi, d = F(3, 19), F(9, 10)
    assert c0.kappa == pi * k(d, F(2, 100)) + (1 - pi) * k(d, F(1, 4)) == F(5726, 14573)
    assert round(float(c0.kappa), 6) == 0.392918
    assert c0.kappa > k(d, c0.hazard)  # Jensen: k is convex in the hazard
    assert round(float(c5.effective_hazard), 6) == 0.106842
    assert c5.kappa == pi * k(d, F(1, 100)) + (1 - pi) * k(d, F(1, 8))
    assert round(float(c5.kappa), 6) == 0.541142
    assert c0.verify().ok and c5.verify().ok


@settings(max_examples=40, deadline=None)
@given(
    st.fractions(0, 1),
    st.fractions(0, 1),
    st.fractions(0, 1),
    st.fractions(0, F(1, 2)),
    st.fractions(0, F(1, 2)),
    st.fractions(F(1, 2), F(99, 100)),
    st.fractions(0, 1),
)
def test_kappa_is_the_closed_form_at_random_points(prior, e_tw, e_ut, h_tw, h_ut, delta, g):
    assume(prior * e_tw + (1 - prior) * e_ut > 0)
    c = credibility(prior, e_tw, e_ut, h_tw, h_ut, delta, g)
    pi = prior * e_tw / (prior * e_tw + (1 - prior) * e_ut)
    assert c.kappa == pi * k(delta, h_tw * (1 - g)) + (1 - pi) * k(delta, h_ut * (1 - g))
    assert c.verify().ok


def test_self_enforcement_with_types_uses_the_same_expectation():
    pi, d = F(3, 19), F(9, 10)
    types = [(pi, F(2, 100)), (1 - pi, F(1, 4))]
    kappa = pi * k(d, F(2, 100)) + (1 - pi) * k(d, F(1, 4))
    for reward in (F(1, 2), F(8, 10), F(9, 10)):
        r = self_enforcement({"Iran": reward}, {"Iran": 1}, {"Iran": F(4, 10)}, d, {"Iran": types})
        assert r.holds == (kappa * (reward - F(4, 10)) >= (1 - d) * (1 - F(4, 10)))
        assert r.verify().ok


# (g, d) -> (y, U) of the worked composite with the expected discount; None = no agreement
TABLE = [
    (0, ("0.2", "0.3"), (1, 1, 1, 0, 0), (0.3858, 0.70)),
    (0, ("0.45", "0.3"), (1, 1, 1, 0.7142, 0), (0.4929, 0.4143)),
    (0, ("0.6", "0.3"), None, None),
    ("0.5", ("0.2", "0.3"), (1, 1, 1, 0, 0), (0.4747, 0.70)),
    ("0.5", ("0.45", "0.3"), (1, 1, 1, 0.4177, 0), (0.5373, 0.5329)),
    ("0.5", ("0.6", "0.3"), (1, 1, 1, 0.9177, 0), (0.6123, 0.3329)),
]


@pytest.mark.parametrize(("g", "d", "y", "u"), TABLE)
def test_worked_composite(g, d, y, u):
    deal = discounted_deal(space(), d, layer(g))
    assert deal.verify().ok
    if y is None:
        assert deal.agreement is False and deal.allocation is None and deal.utilities is None
        return
    assert deal.agreement is True
    assert [round(float(deal.allocation[i]), 4) for i in ISSUES] == list(y)
    assert [round(float(x), 4) for x in deal.utilities] == list(u)
    assert all(isinstance(x, Fraction) for x in deal.utilities)


def test_guarantee_restores_the_deal_and_moves_enrichment_toward_the_us():
    before = discounted_deal(space(), ("0.45", "0.3"), layer(0))
    after = discounted_deal(space(), ("0.45", "0.3"), layer("0.5"))
    assert after.allocation["enrichment"] < before.allocation["enrichment"]
    assert after.utilities[0] > before.utilities[0] and after.utilities[1] > before.utilities[1]


def test_without_discount_the_linked_package_is_m1_t5a():
    deal = discounted_deal(space(), ("0.2", "0.3"), 1)
    assert deal.utilities == (F(3, 4), F(7, 10))


def test_discount_touches_only_reversible_issues():
    kappa = layer(0).kappa
    scaled = discount_reversible(space(), layer(0))
    for before, after in zip(space().issues, scaled.issues, strict=True):
        factor = kappa if before.label in REVERSIBLE else 1
        assert after.weights == (before.weights[0] * factor, before.weights[1])


def test_kalai_smorodinsky_and_bad_concept():
    ks = discounted_deal(space(), ("0.2", "0.3"), layer(0), concept="kalai_smorodinsky")
    assert ks.agreement and ks.verify().ok
    with pytest.raises(ModelError) as err:
        discounted_deal(space(), ("0.2", "0.3"), layer(0), concept="rubinstein")
    assert err.value.field == "concept"


def test_reneging_hazard_and_bad_input():
    assert reneging_hazard(F(3, 19), "0.02", "0.25") == F(203, 950)
    with pytest.raises(ModelError) as err:
        reneging_hazard("1.5", "0.02", "0.25")
    assert err.value.field == "posterior"
    with pytest.raises(ModelError) as err:
        credibility("0.6", "0.1", "0.8", "0.02", "0.25", 1)
    assert err.value.field == "delta"
    with pytest.raises(ModelError) as err:
        credibility("0.6", "0.1", "0.8", "0.02", "0.25", "0.9", 2)
    assert err.value.field == "guarantee"


# ------------------------------------------------------------------ disagreement points
def test_disagreement_from_the_retaliation_tree():
    strike = RetaliationMenu("0.6", "0.1", "0.1", "1.2", "0.2").as_tree()
    values = disagreement_from_tree(strike)
    # the US strikes (EU 0.18); each type of target plays its preferred retaliation (0)
    assert values.point == (F(18, 100), F(0))
    assert values.tree_values == {"striker": F(18, 100), "target": F(0)}
    assert values.verify().ok
    floored = disagreement_from_tree(strike, ["striker", "target"], {"target": "0.1"})
    assert floored.point == (F(18, 100), F(1, 10)) and floored.from_tree == ("striker",)
    deterred = disagreement_from_tree(RetaliationMenu("0.6", "0.1", "0.1", "1.2", "0.5").as_tree())
    assert deterred.point == (0, 0)  # the status quo
    assert "No-deal values" in deterred.summary().to_text()


def _tied_tree(tie_break):
    root = {
        "player": "A",
        "actions": {
            "x": {"payoffs": {"A": 1, "B": 0}},
            "y": {"payoffs": {"A": 1, "B": 2}},
        },
    }
    if tie_break:
        root["tie_break"] = ["y"]
    return GameTree.from_dict({"players": ["A", "B"], "root": root})


def test_ambiguous_disagreement_point_is_refused_until_the_tie_is_broken():
    with pytest.raises(NotApplicableError):
        disagreement_from_tree(_tied_tree(False))
    assert disagreement_from_tree(_tied_tree(True)).point == (1, 2)


def test_disagreement_bad_input():
    tree = _tied_tree(True)
    with pytest.raises(ModelError):
        disagreement_from_tree(tree, ["A", "C"])
    with pytest.raises(ModelError):
        disagreement_from_tree(tree, floors={"C": 0})
    with pytest.raises(ModelError):
        disagreement_from_tree({"players": []})


# ------------------------------------------------------------------ self-enforcement
def test_self_enforcement_of_the_section_3_3_deal():
    deal = discounted_deal(space(), ("0.45", "0.3"), layer("0.5"))
    u_ir, u_us = deal.utilities
    temptation = {"Iran": u_ir + F(1, 10), "US": u_us + F(1, 10)}
    check = self_enforcement(
        deal.solution,
        temptation,
        {"Iran": "0.45", "US": "0.3"},
        {"Iran": "0.9", "US": "0.9"},
        hazard={"Iran": 0, "US": layer(0).hazard},
        guarantee={"Iran": 0, "US": "0.5"},
    )
    assert check.verify().ok
    for side in ("Iran", "US"):
        r = check.sides[side]
        m = r.model
        lhs = m.delta * (1 - r.effective_hazard) * (m.temptation - m.punishment)
        assert check.slack[side] == lhs - (m.temptation - m.reward)
        assert r.complies == (check.slack[side] >= 0)
        # the least sustainable deal value leaves zero slack
        assert m.temptation - check.min_deal_value[side] == lhs
    assert check.holds == (not check.binding)


def test_self_enforcement_fails_when_the_temptation_is_large():
    check = self_enforcement(
        {"Iran": "0.5", "US": "0.5"}, {"Iran": 5, "US": "0.6"}, {"Iran": "0.4", "US": "0.4"}, "0.5"
    )
    assert check.holds is False and check.binding == ("Iran",)
    assert "binding" in check.summary().to_text()


def test_self_enforcement_bad_input_names_side_and_field():
    with pytest.raises(ModelError) as err:
        self_enforcement({"Iran": "0.3"}, {"Iran": "0.5"}, {"Iran": "0.4"}, "0.9")
    assert err.value.field == "deal['Iran']"  # deal value below the no-deal value
    with pytest.raises(ModelError) as err:
        self_enforcement({"Iran": "0.5"}, {"Iran": "0.6"}, {"Iran": "0.4", "US": 0}, "0.9")
    assert err.value.field == "disagreement['US']"
    no_deal = nash_bargaining(space().problem(("0.9", "0.9")))
    with pytest.raises(ModelError):
        self_enforcement(no_deal, {}, {}, "0.9")
