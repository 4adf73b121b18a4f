"""Analyse a scenario: the outcome, the deal, the binding constraints and the tipping points.

The outcome, the participation slacks, the constraints and the deal come from the stages of
:mod:`negotiate.pipeline` (the outcome rule is stated once, in
:mod:`negotiate.pipeline.outcome`); this module turns them into a :class:`ScenarioResult`.

A tipping point of a lever is the value nearest to its baseline at which the outcome changes,
all else held at the analysed point: found on a grid over the lever's domain, bisected exactly
in rationals, then solved exactly where the binding constraint is rational in the lever
(:mod:`negotiate.scenario.tipping`).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from negotiate.errors import SolverError
from negotiate.pipeline.bargaining import deal_exact, participation_slacks, problem_exact
from negotiate.pipeline.outcome import classify_exact
from negotiate.scenario.evaluate import PointState, evaluate_point, parameter_values
from negotiate.scenario.result import ClaimCheck, Constraint, ScenarioResult
from negotiate.scenario.tipping import TippingPoint, find_tipping_point

__all__ = ["analyse", "classify", "deal_at", "outcome_at", "participation_slacks"]


def bargaining_problem(scenario: Any, state: PointState) -> Any:
    """The bargaining problem at ``state``: the issue space, or the hull of the points."""
    return problem_exact(
        scenario.players,
        state.weights if scenario.issues else None,
        state.reversibility,
        state.points,
        state.disagreement,
    )


def deal_at(scenario: Any, state: PointState) -> Any:
    """The bargaining solution at ``state`` (a solution record with ``.agreement``)."""
    if state.solution is not None:
        return state.solution
    return deal_exact(bargaining_problem(scenario, state), scenario.solution, state.power)


def classify(scenario: Any, state: PointState, agreement: bool | None) -> str:
    """``agreement`` is None for scenarios without a bargaining layer: the tree decides."""
    conditions_ok = all(ok for ok, _ in state.conditions.values())
    return classify_exact(agreement, conditions_ok, state.no_deal)


def outcome_at(
    scenario: Any, values: Mapping[str, Fraction], cache: dict[Any, Any] | None = None
) -> str:
    """The outcome label at a parameter point (no certificates, for scans)."""
    return evaluate_point(scenario, values, cache).outcome


_MEANING = {
    "participation": "{p} needs a deal worth more than its disagreement value {d}",
    "ratification": "{p}'s ratification floor {f} against its no-deal value {n}: the floor "
    "binds when the slack is negative",
}


def _constraints(scenario: Any, state: PointState) -> tuple[Constraint, ...]:
    """The outcome stage's constraints as records, with their meaning."""
    meaning = {c.name: c.meaning for c in scenario.conditions}
    out = []
    for name, kind, holds, slack in state.constraints:
        who = name.split(":", 1)[1]
        if kind == "condition":
            text = meaning[who]
        elif kind == "red_line":
            text = "some combination of the discrete options lies within both sides' red lines"
        else:
            i = scenario.players.index(who)
            text = _MEANING[kind].format(
                p=who,
                d=state.disagreement[i],
                f=state.floors[i],
                n=state.no_deal_point[i],
            )
        out.append(Constraint(name, kind, holds, slack, text))
    return tuple(out)


def check_claims(scenario: Any, state: PointState) -> tuple[ClaimCheck, ...]:
    """Each claim of the scenario, checked at ``state``."""
    from negotiate.scenario.evaluate import evaluate_condition

    out = []
    for claim in scenario.claims:
        if claim.holds is not None:
            ok, slack = evaluate_condition(claim, state.values)
            detail = f"{claim.holds} is {'true' if ok else 'false'} here"
            if slack is not None:
                detail += f" (margin {float(slack):+.4g})"
        else:
            assert state.no_deal is not None
            chosen = state.no_deal.strategy[claim.path] == claim.action
            ok = chosen == claim.expect_chosen
            at = " -> ".join(claim.path) or "the root"
            played = state.no_deal.strategy[claim.path]
            detail = (
                f"at {at} the equilibrium plays {played!r}; {claim.action!r} is "
                f"{'credible' if chosen else 'not credible'} there"
            )
        out.append(ClaimCheck(claim.name, claim.text, claim.source, ok, detail))
    return tuple(out)


def analyse(
    scenario: Any,
    overrides: Mapping[str, Any] | None = None,
    variant: str | None = None,
    *,
    tipping_points: bool = True,
) -> ScenarioResult:
    """Solve ``scenario`` at its (overridden) parameter values; see the module docstring."""
    values = parameter_values(scenario, overrides, variant)
    state = evaluate_point(scenario, values, deal=True)
    constraints = _constraints(scenario, state)
    deal_solution = state.offer if state.probabilities is not None else state.solution
    if deal_solution is not None and not deal_solution.agreement:
        # the frontier says yes, the solver says no
        raise SolverError(
            "participation slacks are positive but the bargaining solver found no agreement",
            solver=scenario.solution,
            status="inconsistent",
        )
    conditions_ok = all(ok for ok, _ in state.conditions.values())
    outcome = state.outcome
    cache: dict[tuple[tuple[str, Fraction], ...], str] = {}
    spe_cache: dict[Any, Any] = {}

    def cached(v: Mapping[str, Fraction]) -> str:
        key = tuple(sorted(v.items()))
        if key not in cache:
            cache[key] = outcome_at(scenario, v, spe_cache)
        return cache[key]

    tips: dict[str, TippingPoint] = {}
    if tipping_points:
        for lever in scenario.levers:
            tp = find_tipping_point(scenario, values, lever, outcome, cached, spe_cache)
            if tp is not None:
                tips[lever] = tp
    return ScenarioResult(
        scenario=scenario,
        variant=variant,
        overrides=dict(overrides or {}),
        state=state,
        outcome=outcome,
        solution=deal_solution if (deal_solution is not None and conditions_ok) else None,
        constraints=constraints,
        binding_constraints=state.binding,
        tipping_points=tips,
        claims=check_claims(scenario, state),
    )
