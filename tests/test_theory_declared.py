"""Declared theory models: every parameter declared once (meaning, domain, default); the
constructor, validation, symbolic mode, ``solve_for`` and the explicit game of all 14 models."""

from __future__ import annotations

import dataclasses
import inspect
from fractions import Fraction as F
from typing import Any

import pytest
import sympy as sp

from negotiate import theory
from negotiate.errors import ModelError, NotApplicableError
from negotiate.solvers.nash.solve import nash_equilibria
from negotiate.solvers.spe.solve import subgame_perfect
from negotiate.theory._base import Spec
from negotiate.theory._commitment import Boundary, ModelBase

# one numeric instance of each model
MODELS: dict[str, Any] = {
    "Deterrence": (theory.Deterrence, (1, "0.4", "-0.5", "0.5")),
    "RetaliationMenu": (theory.RetaliationMenu, ("0.6", "0.1", "0.1", "1.2", "0.2")),
    "Proliferation": (theory.Proliferation, ("0.4", "0.1", "0.2", "0.1", "0.3", "0.9")),
    "RepeatedCompliance": (theory.RepeatedCompliance, (5, 3, 1, "0.6")),
    "Sanctions": (theory.Sanctions, ("0.3", "0.1", "0.8", "0.5")),
    "ShiftingPower": (theory.ShiftingPower, ("0.9", "0.6", "0.4", "0.05")),
    "CostlySignals": (theory.CostlySignals, ("1/2", "1/4")),
    "Trust": (theory.Trust, ("1/2", 1, "1/10", "4/5")),
    "Reassurance": (theory.Reassurance, ("1", "3/2", "1/2", "2")),
    "Rubinstein": (theory.Rubinstein, ("0.9", "0.8")),
    "CrisisBargaining": (theory.CrisisBargaining, ("0.5", "0.1", "0.2")),
    "RiskReturn": (theory.RiskReturn, ("0.4", "0.1", "0.5")),
    "TwoLevel": (theory.TwoLevel, ("0.5", "0.6")),
    "UncertainRatification": (theory.UncertainRatification, ("0.3", "0.7", "0.3")),
}

# the explicit game of each model, solved
GAMES: dict[str, Any] = {
    "Deterrence": lambda m: subgame_perfect(m.as_tree()),
    "RetaliationMenu": lambda m: subgame_perfect(m.as_tree()),
    "Proliferation": lambda m: nash_equilibria(m.as_game()),
    "RepeatedCompliance": lambda m: subgame_perfect(m.as_tree()),
    "Sanctions": lambda m: subgame_perfect(m.as_tree("1/2")),
    "ShiftingPower": lambda m: subgame_perfect(m.as_tree(offers=10)),
    "CostlySignals": lambda m: subgame_perfect(m.as_tree("3/4")),
    "Trust": lambda m: subgame_perfect(m.as_tree()),
    "Reassurance": lambda m: subgame_perfect(m.as_tree()),
    "Rubinstein": lambda m: subgame_perfect(m.as_tree(grid=10, horizon=2)),
    "CrisisBargaining": lambda m: subgame_perfect(m.as_tree(grid=10)),
    "RiskReturn": lambda m: subgame_perfect(m.as_tree(grid=10, types=10)),
    "TwoLevel": lambda m: subgame_perfect(m.as_tree(grid=10)),
    "UncertainRatification": lambda m: subgame_perfect(m.as_tree(grid=10, types=10)),
}


def test_all_fourteen_models_are_declared() -> None:
    names = {n for n in theory.__all__ if isinstance(getattr(theory, n), type)}
    models = {n for n in names if issubclass(getattr(theory, n), ModelBase)}
    assert models == set(MODELS) and len(models) == 14


@pytest.mark.parametrize("name", list(MODELS))
def test_parameters_are_declared_once_with_a_meaning(name: str) -> None:
    cls, args = MODELS[name]
    specs = cls.specs()
    assert specs and all(isinstance(s, Spec) and s.meaning and s.name for s in specs)
    # the constructor's signature is the declaration, in declared order
    signature = inspect.signature(cls)
    assert [p.name for p in signature.parameters.values()] == [s.name for s in specs]
    model = cls(*args)
    keywords = dict(zip((s.name for s in specs), args, strict=False))
    assert cls(**keywords) == model and hash(cls(**keywords)) == hash(model)
    with pytest.raises(dataclasses.FrozenInstanceError):
        model.x = 1  # type: ignore[attr-defined]
    assert set(model.parameters()) == {s.name for s in specs if not s.option}
    with pytest.raises(TypeError):
        cls(*args, no_such_parameter=1)


@pytest.mark.parametrize("name", list(MODELS))
def test_out_of_domain_values_name_the_field_and_value(name: str) -> None:
    cls, args = MODELS[name]
    specs = cls.specs()
    k, spec = next((k, s) for k, s in enumerate(specs) if s.domain is not None and s.size is None)
    lo, hi, _, _ = spec.domain
    bad = F(-1) if lo is not None else F(hi) + 1
    values = list(args) + [s.default for s in specs[len(args) :]]
    values[k] = bad
    with pytest.raises(ModelError) as err:
        cls(*values)
    assert err.value.field == spec.name and str(bad) in str(err.value)


@pytest.mark.parametrize("name", list(MODELS))
def test_a_symbol_makes_every_parameter_symbolic(name: str) -> None:
    cls, args = MODELS[name]
    spec = cls.specs()[0]
    s = sp.Symbol("s", positive=True)
    model = cls(s, *args[1:])
    assert model.symbolic
    values = [v for v in model.parameters().values() if v is not None]
    flat = [x for v in values for x in (v if isinstance(v, tuple) else (v,)) if x is not None]
    assert all(isinstance(x, sp.Basic) for x in flat)
    assert getattr(model, spec.name) == s


@pytest.mark.parametrize("name", list(MODELS))
def test_solve_for_works_on_every_model(name: str) -> None:
    cls, args = MODELS[name]
    model = cls(*args)
    found = []
    for p in model._PARAMS:
        try:
            found.append(model.solve_for(p))
        except (ModelError, NotApplicableError):
            continue  # the key condition does not depend on this parameter
    assert found, "no parameter of the key condition"
    for boundary in found:
        assert isinstance(boundary, Boundary) and boundary.verify().ok


@pytest.mark.parametrize("name", list(MODELS))
def test_explicit_game_of_every_model_solves(name: str) -> None:
    cls, args = MODELS[name]
    result = GAMES[name](cls(*args))
    assert result.verify().ok and len(result.equilibria) >= 1


# ------------------------------------------------------------------ cross-checks
@pytest.mark.parametrize(
    ("share", "floor", "ceiling"),
    [("0.5", "0.6", None), ("0.5", None, "0.3"), ("0.5", "0.2", "0.8"), ("0.5", "0.7", "0.6")],
)
def test_two_level_tree_matches_the_closed_form(share, floor, ceiling) -> None:
    model = theory.TwoLevel(share, floor, ceiling)
    closed = model.solve()
    spe = subgame_perfect(model.as_tree(grid=10))
    assert spe.verify().ok
    for eq in spe.equilibria:
        proposal = F(eq.path[0].split()[-1])
        ratified = eq.path[1:] == ("ratify", "ratify")
        assert ratified == bool(closed.agreement)
        if closed.agreement:
            assert proposal == closed.share


def test_uncertain_ratification_tree_approximates_the_closed_form() -> None:
    model = theory.UncertainRatification("0.3", "0.7", "0.3")
    spe = subgame_perfect(model.as_tree(grid=20, types=20))
    (eq,) = spe.equilibria
    offer = F(eq.path[0].split()[-1])
    assert abs(offer - model.solve().share) <= F(2, 100)  # one grid step of 0.4/20


def test_reassurance_tree_separates_exactly_when_the_closed_form_does() -> None:
    for args in (("1", "3/2", "1/2", "2"), ("1", "3/2", "1/2", "1/2"), ("3", "3", "1", "1")):
        model = theory.Reassurance(*args)
        (eq,) = subgame_perfect(model.as_tree()).equilibria
        assert (eq.strategy[("trustworthy",)] == "send") == model.solve().separating
        assert eq.strategy[("untrustworthy",)] == "none"


def test_rubinstein_boundary_is_the_even_split() -> None:
    # x = (1 - d2) / (1 - d1 d2) = 1/2 with d1 = 9/10 at d2 = 10/11
    boundary = theory.Rubinstein("0.9", "0.8").solve_for("delta2")
    assert boundary.value == F(10, 11) and boundary.holds == "below"
    assert theory.Rubinstein("0.9", boundary.value).solve().proposer_share == F(1, 2)
    assert theory.Rubinstein("0.9", "0.95").solve().proposer_share < F(1, 2)


def test_crisis_and_two_level_boundaries() -> None:
    assert theory.CrisisBargaining("0.5", "0.1", "0.2").solve_for("p").value == F(1, 10)
    assert theory.RiskReturn("0.4", "0.1", "0.5").solve_for("cost_a").value == F(1, 2)
    assert theory.TwoLevel("0.5", "0.6", "0.4").solve_for("floor").value == F(2, 5)
    boundary = theory.UncertainRatification("0.3", "0.7", "0.3").solve_for("disagreement")
    assert boundary.value == F(-1, 10) and boundary.in_domain is False
    assert theory.CostlySignals("1/2", "1/4").solve_for("war_cost").value == 1


def test_positional_calls_keep_working() -> None:
    model = theory.Proliferation("0.4", F(1, 10), "0.2", "0.1", F(1), F(13, 50))
    assert model.detection == 1 and model.effectiveness == F(13, 50)
    assert theory.TwoLevel("0.5").floor == 0 and theory.TwoLevel("0.5").ceiling == 1
    assert theory.Rubinstein("0.5", "0.5", outside_option="0.3").outside_option == (
        None,
        F(3, 10),
    )


def test_rubinstein_truncated_tree_matches_the_finite_horizon_closed_form() -> None:
    model = theory.Rubinstein("0.9", "0.8")  # infinite horizon; the tree truncates it
    (eq,) = subgame_perfect(model.as_tree(grid=10, horizon=2)).equilibria
    finite = theory.Rubinstein("0.9", "0.8", horizon=2).solve()
    # two periods: 2 offers 0 in the last period; 1 offers 2 exactly delta2 * 1 = 4/5
    assert finite.proposer_share == F(1, 5)
    assert eq.path == ("offer 1/5", "accept") and eq.payoffs["1"] == finite.proposer_share


def test_parameter_summary_lists_the_declarations() -> None:
    text = theory.Rubinstein.parameter_summary().to_text()
    assert "delta1" in text and "(0, 1]" in text and "required" in text
    assert "horizon" in text and "(setting)" in text
    sanctions = theory.Sanctions.parameter_summary().tables[0].rows
    assert sanctions[1][:3] == ("extra_cost", "(0, inf)", "required")
    assert sanctions[-1][:3] == ("max_endurance", "(0, inf)", "1")
