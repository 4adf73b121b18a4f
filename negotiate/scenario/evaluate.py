"""Map a scenario onto the pipeline's stages and run them at one parameter point, exactly.

A scenario file is turned into stage inputs once (:func:`pipeline_spec`: players, the no-deal
tree family, the expression of every field); at a point the parameter values (variant, then
overrides) and the derived quantities (in dependency order) are computed here, and the
stages of :mod:`negotiate.pipeline` do the rest, in order: commitment, issue weights, the
no-deal game, the disagreement point, the bargaining solution, constraints and conditions,
the outcome.  See docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from fractions import Fraction
from typing import Any
from weakref import WeakKeyDictionary

from negotiate._exact import as_fraction
from negotiate.errors import ModelError
from negotiate.expr import Parameter
from negotiate.pipeline import IssueInput, Spec, run_exact
from negotiate.pipeline._spec import DiscreteInput, ScreeningInput, evaluate
from negotiate.pipeline.commitment import kappa_exact
from negotiate.pipeline.conditions import condition_exact
from negotiate.pipeline.nodeal import NoDeal

__all__ = [
    "NoDeal",
    "PointState",
    "build_tree",
    "check_overrides",
    "credibility_discount",
    "derived_values",
    "evaluate_condition",
    "evaluate_point",
    "parameter_values",
    "pipeline_spec",
    "reassess",
]


def build_tree(spec: Mapping[str, Any], field: str) -> Any:
    """Build the scenario's game tree, re-labelling errors under ``field``."""
    from negotiate.games.tree import GameTree

    try:
        return GameTree.from_dict(spec)
    except ModelError as exc:
        raise ModelError(f"{field}.{exc.field}", exc.value, exc.reason) from None


def check_overrides(
    overrides: Mapping[str, Any], parameters: Mapping[str, Parameter], field: str
) -> dict[str, Fraction]:
    """Validate parameter overrides: known names, exact numbers, inside the domain."""
    out = {}
    for key, raw in overrides.items():
        f = f"{field}.{key}"
        if key not in parameters:
            raise ModelError(f, raw, f"unknown parameter; declared: {', '.join(parameters)}")
        value = as_fraction(raw, f)
        domain = parameters[key].domain
        if domain is not None and not domain[0] <= value <= domain[1]:
            raise ModelError(f, raw, f"lies outside the domain [{domain[0]}, {domain[1]}]")
        out[key] = value
    return out


def parameter_values(
    scenario: Any, overrides: Mapping[str, Any] | None, variant: str | None
) -> dict[str, Fraction]:
    """Baseline values, then the variant's overrides, then ``overrides``."""
    values: dict[str, Fraction] = {}
    for name, p in scenario.parameters.items():
        if p.value is None:  # pragma: no cover - the loader requires values
            raise ModelError(f"parameters.{name}.value", None, "is required")
        values[name] = p.value
    if variant is not None:
        if variant not in scenario.variants:
            known = ", ".join(scenario.variants) or "none"
            raise ModelError("scenario", variant, f"unknown variant; variants: {known}")
        values.update(scenario.variants[variant].overrides)
    if overrides:
        values.update(check_overrides(overrides, scenario.parameters, "overrides"))
    return values


def credibility_discount(patience: Fraction, hazard: Fraction, guarantee: Fraction) -> Fraction:
    """``kappa`` of the commitment stage, with errors named by the ``[commitment]`` fields."""
    return kappa_exact(patience, hazard, guarantee)[0]


@dataclass(frozen=True)
class PointState:
    """Every stage's output at one parameter point (exact).

    ``disagreement`` is the no-deal point, ``bounds`` the least utility each side accepts in
    a deal (its floor raised to its no-deal value) and ``best`` each side's best value in a
    deal giving the other its bound; ``ratification`` maps each side with a floor to its
    best value minus the floor;
    ``slacks`` (participation, None without a bargaining layer), ``outcome``,
    ``constraints`` (``(name, kind, holds, slack)`` in order) and ``binding`` are those of the
    bargaining and outcome stages; ``problem`` is the bargaining problem and ``solution`` the
    bargaining solution when it was asked for and a zone of agreement exists; with discrete
    issues ``options`` lists every combination of options, ``option`` is the chosen one
    (its ``offset`` adds to the divisible deal's utilities) and ``admissible`` whether both
    sides accept any.
    """

    values: Mapping[str, Fraction]
    no_deal: NoDeal | None
    kappa: Fraction | None
    rho_eff: Fraction | None
    weights: Mapping[str, tuple[Fraction, Fraction]]
    raw_weights: Mapping[str, tuple[Fraction, Fraction]]
    reversibility: Mapping[str, Fraction]
    disagreement: tuple[Fraction, Fraction]
    no_deal_point: tuple[Fraction, Fraction]
    floors: tuple[Fraction, Fraction]
    points: tuple[tuple[Fraction, Fraction], ...] | None
    power: tuple[Fraction, Fraction] | None
    conditions: Mapping[str, tuple[bool, Fraction | None]]
    ratification: Mapping[str, Fraction] = field(default_factory=dict)
    bounds: tuple[Fraction, Fraction] | None = None
    best: tuple[Fraction, Fraction] | None = None
    options: Any = None
    option: Any = None
    admissible: bool | None = None
    probabilities: Mapping[str, Fraction] | None = None
    offer: Any = None
    offer_option: Any = None
    offer_type: str | None = None
    offer_utilities: tuple[Fraction, Fraction] | None = None
    slacks: tuple[Fraction, Fraction] | None = None
    outcome: str = ""
    constraints: tuple[tuple[str, str, bool, Fraction | None], ...] = ()
    binding: tuple[str, ...] = ()
    problem: Any = None
    solution: Any = None


_SPECS: WeakKeyDictionary[Any, Spec] = WeakKeyDictionary()


def pipeline_spec(scenario: Any) -> Spec:
    """The stage inputs of ``scenario``: its structure and the expression of every field
    (built once per scenario)."""
    found = _SPECS.get(scenario)
    if found is not None:
        return found
    p1, p2 = scenario.players
    c = scenario.commitment
    det = scenario.deterrence
    spec = Spec(
        players=(p1, p2),
        tree=det["tree"] if det is not None else None,
        tree_names=tuple(det["names"]) if det is not None else (),
        war_actions=tuple(scenario.war_actions),
        agreement_actions=tuple(scenario.agreement_actions),
        commitment=None if c is None else (c.patience, c.hazard, c.guarantee),
        hazard_types=() if c is None else tuple(c.types),
        beneficiary=0 if c is None or c.beneficiary == p1 else 1,
        issues=tuple(
            IssueInput(i.name, (i.weights[p1], i.weights[p2]), i.reversibility)
            for i in scenario.issues
        ),
        discrete=tuple(
            DiscreteInput(
                d.name,
                d.options,
                tuple((d.values[o][p1], d.values[o][p2]) for o in d.options),
                tuple((d.acceptable[o][p1], d.acceptable[o][p2]) for o in d.options),
            )
            for d in scenario.discrete
        ),
        screening=None
        if scenario.screening is None
        else ScreeningInput(
            scenario.players.index(scenario.screening.informed),
            scenario.screening.protocol,
            scenario.screening.types,
        ),
        points=None
        if scenario.points is None
        else tuple((pt[p1], pt[p2]) for pt in scenario.points),
        disagreement=None
        if scenario.disagreement is None
        else (scenario.disagreement[p1], scenario.disagreement[p2]),
        floors=dict(scenario.floors),
        power=None if scenario.power is None else (scenario.power[p1], scenario.power[p2]),
        conditions=tuple((cond.name, cond.holds) for cond in scenario.conditions),
        solution=scenario.solution,
    )
    _SPECS[scenario] = spec
    return spec


def derived_values(scenario: Any, values: Mapping[str, Fraction]) -> dict[str, Fraction]:
    """The parameter values with the derived quantities added, in dependency order."""
    env: dict[str, Fraction] = dict(values)
    for name, expr in scenario.derived:
        env[name] = evaluate(expr, env, f"derived.{name}")
    return env


def state_from_frame(frame: Mapping[str, Any]) -> PointState:
    """The :class:`PointState` of the exact stages' outputs."""
    return PointState(
        values=frame["in"].env,
        no_deal=frame["no_deal"],
        kappa=frame["kappa"],
        rho_eff=frame["rho_eff"],
        weights=frame["weights"],
        raw_weights=frame["raw_weights"],
        reversibility=frame["reversibility"],
        disagreement=frame["disagreement"],
        no_deal_point=frame["no_deal_point"],
        floors=frame["floors"],
        points=frame["points"],
        power=frame["power"],
        conditions=frame["conditions"],
        ratification=frame["ratification"],
        bounds=frame["bounds"],
        best=frame["best"],
        options=frame["options"],
        option=frame["option"],
        admissible=frame["admissible"],
        probabilities=frame["probabilities"],
        offer=frame["offer"],
        offer_option=frame["offer_option"],
        offer_type=frame["offer_type"],
        offer_utilities=frame["offer_utilities"],
        slacks=frame["slacks"],
        outcome=frame["outcome"],
        constraints=frame["constraints"],
        binding=frame["binding"],
        problem=frame["problem"],
        solution=frame["solution"],
    )


def evaluate_condition(cond: Any, values: Mapping[str, Fraction]) -> tuple[bool, Fraction | None]:
    """Truth of a condition and, for a single inequality, its slack (lhs - rhs, signed)."""
    return condition_exact(cond.holds, values, f"conditions.{cond.name}.holds")


def evaluate_point(
    scenario: Any,
    values: Mapping[str, Fraction],
    cache: dict[Any, NoDeal] | None = None,
    *,
    deal: bool = False,
) -> PointState:
    """Run every stage of the pipeline on ``scenario`` at the parameter ``values`` (exact).

    ``cache`` memoises the no-deal equilibrium on the values of the tree's own parameters,
    so scans over levers that the tree does not use solve it once; ``deal`` also computes the
    bargaining solution where a zone of agreement exists.
    """
    env = derived_values(scenario, values)
    frame = run_exact(pipeline_spec(scenario), env, deal=deal, cache=cache)
    return state_from_frame(frame)


def reassess(scenario: Any, state: PointState, *, deal: bool = False) -> PointState:
    """Re-run the bargaining, screening and outcome stages on a changed ``state`` (weights at face
    value, floors or conditions removed: the counterfactuals); the other stages' outputs
    are kept as given."""
    frame = {f.name: getattr(state, f.name) for f in fields(PointState)}
    frame = run_exact(
        pipeline_spec(scenario),
        state.values,
        state=frame,
        stages=("bargaining", "screening", "outcome"),
        deal=deal,
    )
    return state_from_frame(frame)
