"""Every public result honours one contract: ``summary()``, ``verify()``, ``to_dict()``,
``_repr_html_()`` and a short ``repr`` (negotiate.results.ResultMixin)."""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import sympy as sp

import negotiate as ng
from negotiate import theory
from negotiate.games.bargaining import BargainingProblem
from negotiate.games.issues import IssueSpace
from negotiate.games.normal import NormalFormGame
from negotiate.games.signaling import SignalingGame
from negotiate.games.tree import GameTree
from negotiate.results import REPR_LIMIT, Certificate, ResultMixin, Summary
from negotiate.scenario import load_scenario
from negotiate.scenario.counterfactual import counterfactuals
from negotiate.sweeps import plan_sweep, run_sweep
from negotiate.sweeps.sensitivity import one_at_a_time
from tests.imperfect_games import kuhn_poker
from tests.signaling_games import beer_quiche_dict
from tests.trees import ENTRY, IRAN

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP = ROOT / "models" / "us_iran_2025.toml"
WEIGHTS = {
    "sanctions relief": ("0.40", "0.15"),
    "frozen assets": ("0.15", "0.05"),
    "guarantees": ("0.20", "0.10"),
    "enrichment": ("0.15", "0.40"),
    "verification": ("0.10", "0.30"),
}


def _space() -> IssueSpace:
    return IssueSpace.linear(("Iran", "US"), WEIGHTS, reversible={"sanctions relief", "guarantees"})


def _layer(g: Any) -> Any:
    return theory.credibility("0.6", "0.1", "0.8", "0.02", "0.25", "0.9", g)


def _self_enforcement() -> Any:
    deal = theory.discounted_deal(_space(), ("0.45", "0.3"), _layer("0.5"))
    u1, u2 = deal.utilities
    return theory.self_enforcement(
        deal.solution,
        {"Iran": u1 + Fraction(1, 10), "US": u2 + Fraction(1, 10)},
        {"Iran": "0.45", "US": "0.3"},
        {"Iran": "0.9", "US": "0.9"},
    )


def _kuhn() -> GameTree:
    return GameTree.from_dict(kuhn_poker())


x = sp.Symbol("x", positive=True)

# name -> builder of one result of that type
CASES: dict[str, Callable[[], Any]] = {
    # solvers
    "EquilibriumSet": lambda: ng.nash_equilibria(
        NormalFormGame.from_arrays([[3, 0], [0, 2]], [[2, 0], [0, 3]], title="battle")
    ),
    "SPEResult": lambda: ng.subgame_perfect(GameTree.from_dict(ENTRY)),
    "SymbolicSPEResult": lambda: ng.subgame_perfect(GameTree.from_dict(IRAN)),
    "CredibilityResult": lambda: ng.non_credible_equilibria(GameTree.from_dict(ENTRY)),
    "BargainingSolution": lambda: ng.nash_bargaining(
        BargainingProblem.from_points([(0, 1), (1, 0), (0, 0)], (0, 0))
    ),
    "BatchSolution": lambda: ng.nash_bargaining_batch(_space(), [[0.1, 0.1], [0.3, 0.2]]),
    "LinkageValue": lambda: ng.linkage_value(_space(), ("0.2", "0.1")),
    "PBEResult": lambda: ng.perfect_bayesian(SignalingGame.from_dict(beer_quiche_dict())),
    "ZeroSumSolution": lambda: ng.zero_sum_value(
        NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    ),
    "CorrelatedEquilibrium": lambda: ng.correlated_equilibrium(
        NormalFormGame.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]]), objective="utilitarian"
    ),
    "CorrelatedPolytope": lambda: ng.correlated_polytope(
        NormalFormGame.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]])
    ),
    "BehaviorEquilibriumSet": lambda: ng.nash_equilibria(_kuhn(), method="lcp"),
    "BehaviorEquilibrium": lambda: ng.nash_equilibria(_kuhn(), method="lcp", refine="sequential")[
        0
    ],
    "LogitQRE": lambda: ng.logit_qre(
        NormalFormGame.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]], title="pennies"), 2.5
    ),
    "LogitQRE(tree)": lambda: ng.logit_qre(_kuhn(), 1.0),
    "LogitQREPath": lambda: ng.logit_qre_path(
        NormalFormGame.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]]), 10
    ),
    "LogitQREPath(tree)": lambda: ng.logit_qre_path(_kuhn(), 5),
    # theory
    "Deterrence": lambda: theory.Deterrence(1, "0.4", "-0.5", "0.5").solve(),
    "Deterrence(symbolic)": lambda: theory.Deterrence(1, "0.4", "-0.5", x / (1 + x)).solve(),
    "RetaliationMenu": lambda: theory.RetaliationMenu("0.6", "0.1", "0.1", "1.2", "0.2").solve(),
    "Proliferation": lambda: theory.Proliferation("0.4", "0.1", "0.2", "0.1", "0.3", "0.9").solve(),
    "RepeatedCompliance": lambda: theory.RepeatedCompliance(5, 3, 1, "0.6").solve(),
    "Sanctions": lambda: theory.Sanctions("0.3", "0.1", "0.8", "0.5").solve(),
    "ShiftingPower": lambda: theory.ShiftingPower("0.9", "0.6", "0.4", "0.05").solve(),
    "CostlySignals": lambda: theory.CostlySignals("1/2", "1/4").solve(),
    "Trust": lambda: theory.Trust("1/2", 1, "1/10", "4/5").solve(),
    "Reassurance": lambda: theory.Reassurance("1", "3/2", "1/2", "2").solve(),
    "Rubinstein": lambda: theory.Rubinstein("0.9", "0.8", outside_option="0.3").solve(),
    "Rubinstein(symbolic)": lambda: theory.Rubinstein(x / (1 + x), "1/2").solve(),
    "CrisisBargaining": lambda: theory.CrisisBargaining("0.5", "0.1", "0.2").solve(),
    "RiskReturn": lambda: theory.RiskReturn("0.4", "0.1", "0.5").solve(),
    "TwoLevel": lambda: theory.TwoLevel("0.5", "0.6").solve(),
    "UncertainRatification": lambda: theory.UncertainRatification("0.3", "0.7", "0.3").solve(),
    "Credibility": lambda: _layer("0.5"),
    "DiscountedDeal": lambda: theory.discounted_deal(_space(), ("0.45", "0.3"), _layer("0.5")),
    "NoDealValues": lambda: theory.disagreement_from_tree(GameTree.from_dict(ENTRY)),
    "SelfEnforcement": _self_enforcement,
    "Boundary": lambda: theory.Deterrence(1, "0.4", "-0.5", "0.5").solve_for("credibility"),
    # scenarios, reports, sweeps
    "ScenarioResult": lambda: load_scenario(FLAGSHIP).solve(),
    "Report": lambda: ng.report(FLAGSHIP, regime=False),
    "SweepResult": lambda: ng.sweep(FLAGSHIP, ["guarantee=0:1:3", "reneging_hazard=0:0.5:3"]),
    "SweepRun": lambda: run_sweep(plan_sweep(FLAGSHIP, ["guarantee=0:1:3"])),
    "Sensitivity": lambda: one_at_a_time(FLAGSHIP, parameters=["guarantee", "detection"]),
    "Counterfactuals": lambda: counterfactuals(load_scenario(FLAGSHIP).solve()),
}


@pytest.mark.parametrize("name", list(CASES))
def test_result_contract(name: str) -> None:
    result = CASES[name]()
    assert isinstance(result, ResultMixin), type(result)
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data  # JSON-ready, round-trips unchanged
    text = repr(result)
    assert len(text) <= REPR_LIMIT
    assert text.startswith(f"<{type(result).__name__}: ") and "\n" not in text
    html = result._repr_html_()
    assert html.lstrip().startswith("<") and "</" in html
    summary = result.summary()
    assert isinstance(summary, Summary) and summary.title in summary.to_text()
    certificate = result.verify()
    assert isinstance(certificate, Certificate) and certificate.ok, certificate


def test_exact_numbers_are_p_over_q_strings() -> None:
    data = theory.CrisisBargaining("0.5", "0.1", "0.2").solve().to_dict()
    assert data["range"] == ["2/5", "7/10"] and data["width"] == "3/10"
    assert data["model"] == {
        "model": "CrisisBargaining",
        "parameters": {"p": "1/2", "cost_a": "1/10", "cost_b": "1/5"},
    }


def test_repr_names_the_result() -> None:
    text = repr(CASES["EquilibriumSet"]())
    assert text == "<EquilibriumSet: 3 extreme equilibria of 'battle' (auto, exact), 3 components>"
    long = load_scenario(FLAGSHIP).solve()
    assert len(repr(long)) <= REPR_LIMIT and "stalemate" in repr(long)


def test_html_is_escaped() -> None:
    game = NormalFormGame.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]], title="<b>x</b>")
    html = ng.nash_equilibria(game)._repr_html_()
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_sweep_result_holds_the_dataset_and_its_directory(tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    result = ng.sweep(FLAGSHIP, ["guarantee=0:1:3", "reneging_hazard=0:0.5:3"], out=out)
    assert result.path == out and result.data.outcome.shape == (3, 3)
    again = ng.read_sweep(out)
    assert isinstance(again, ng.SweepResult) and again.path == out
    assert again.data.equals(result.data)
    assert again.outcome_shares() == result.outcome_shares()
    with pytest.raises(ng.NotApplicableError, match="scenario"):
        again.verify()
    assert ng.read_sweep(out, scenario=FLAGSHIP).verify(points=3).ok
    figure = result.plot()
    assert figure.axes and figure.axes[0].get_xlabel()
    with pytest.raises(ng.ModelError, match="not a swept parameter"):
        result.plot("guarantee", "detection")
