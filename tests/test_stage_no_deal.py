"""Conformance of the no-deal stage: backward induction exact = on arrays (ties included).

The trees are those of the shipped scenarios; parameter values are drawn from a dyadic grid
(multiples of 1/4), which floats represent exactly, so exact ties between actions are float
ties too and must be settled the same way (``tie_break``, then declared order).
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate.pipeline import Spec
from negotiate.scenario import load_scenario
from negotiate.scenario.evaluate import derived_values, pipeline_spec
from negotiate.sweeps.influence import tree_parameters
from tests.stages import close, first, run_both

MODELS = Path(__file__).resolve().parent.parent / "models"


def _tree_spec(model: str) -> tuple[Spec, dict[str, tuple[Fraction, Fraction]], Any]:
    scenario = load_scenario(MODELS / f"{model}.toml")
    full = pipeline_spec(scenario)
    spec = Spec(
        players=full.players,
        tree=full.tree,
        tree_names=full.tree_names,
        war_actions=full.war_actions,
        agreement_actions=full.agreement_actions,
    )
    domains = {}
    for n in tree_parameters(scenario):  # derived names in the tree follow from these
        p = scenario.parameters[n]
        domains[n] = p.domain if p.domain is not None else (p.value - 1, p.value + 1)
    return spec, domains, scenario


@pytest.mark.parametrize("model", ["deterrence_game", "chicken_crisis", "us_iran_2025"])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_no_deal(model: str, data: st.DataObject) -> None:
    spec, domains, scenario = _tree_spec(model)
    values = dict(scenario.values())
    for n, (lo, hi) in domains.items():
        k = data.draw(st.integers(0, min(int((hi - lo) * 4), 400)), label=n)
        values[n] = lo + Fraction(k, 4)
    values.update(derived_values(scenario, values))
    exact, array = run_both("no_deal", spec, values)
    nd, tv = exact["no_deal"], array["no_deal"]
    for i, p in enumerate(spec.players):
        assert close(tv.values[i], nd.values[p]), (p, values)
    assert close(tv.war_probability, nd.war_probability)
    assert first(tv.agreed) == nd.agreed


def test_exact_tie_is_settled_as_the_exact_path_does() -> None:
    spec, _, _ = _tree_spec("deterrence_game")
    # win * credibility + conflict * (1 - credibility) = status_quo: the challenger is indifferent
    values = {
        "win": Fraction(1),
        "conflict": Fraction(-1),
        "credibility": Fraction(1, 2),
        "status_quo": Fraction(0),
    }
    exact, array = run_both("no_deal", spec, values)
    assert exact["no_deal"].war_probability == 0  # the deterrent holds at the threshold
    assert close(array["no_deal"].war_probability, 0)
    assert first(array["no_deal"].agreed) == exact["no_deal"].agreed
