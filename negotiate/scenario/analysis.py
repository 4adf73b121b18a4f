"""Analyse a scenario: the outcome, the deal, the binding constraints and the tipping points.

Outcome rule (stated once):

* **agreement** when some deal gives *both* sides strictly more than their disagreement value
  (no-deal value raised to the ratification floor) and every ``[conditions]`` entry holds; the
  deal is the scenario's bargaining solution (Nash 1950 by default, MODELS.md M1);
* otherwise **war** when the no-deal game's subgame-perfect path contains a war action, and
  **stalemate** when it does not.

Participation constraints are measured on the exact Pareto frontier of the (credibility
discounted) issue space: ``slack_i = max{U_i : U_j >= d_j} - d_i``.  A negative slack is how
much side ``i`` is short of taking even the best deal the other side accepts.

A tipping point of a lever is the value nearest to its baseline at which the outcome changes,
all else held at the analysed point: found on a grid over the lever's domain, bisected exactly
in rationals, then solved exactly where the binding constraint is rational in the lever
(:mod:`negotiate.scenario.tipping`).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from negotiate.errors import ModelError, SolverError
from negotiate.scenario.evaluate import PointState, evaluate_point, parameter_values
from negotiate.scenario.result import ClaimCheck, Constraint, ScenarioResult
from negotiate.scenario.tipping import TippingPoint, find_tipping_point

__all__ = ["analyse", "classify", "deal_at", "outcome_at", "participation_slacks"]


def _issue_space(scenario: Any, state: PointState) -> Any:
    from negotiate.games.issues import IssueSpace

    weights = {n: w for n, w in state.weights.items() if w != (0, 0)}
    if not weights:
        raise ModelError("issues", None, "no issue is worth anything to either side")
    reversible = [n for n, r in state.reversibility.items() if r > 0 and n in weights]
    return IssueSpace.linear(players=scenario.players, weights=weights, reversible=reversible)


def bargaining_problem(scenario: Any, state: PointState) -> Any:
    """The bargaining problem at ``state``: the issue space, or the hull of the points."""
    from negotiate.games.bargaining import BargainingProblem

    if scenario.issues:
        return _issue_space(scenario, state).problem(state.disagreement)
    assert state.points is not None
    return BargainingProblem.from_points(state.points, state.disagreement)


def participation_slacks(vertices: Any, d: tuple[Fraction, Fraction]) -> tuple[Fraction, Fraction]:
    """``max{U_i : U in F, U_j >= d_j} - d_i`` for both sides, exactly (F a convex polygon).

    When no point of F gives ``j`` its value ``d_j``, side ``j``'s slack is its shortfall
    ``max U_j - d_j`` and side ``i``'s is measured at the point best for ``j``.
    """
    pts = list(vertices)
    edges = list(zip(pts, pts[1:] + pts[:1], strict=True)) if len(pts) > 1 else []

    def best(i: int) -> Fraction:
        j = 1 - i
        if max(u[j] for u in pts) < d[j]:
            top = max(pts, key=lambda u: (u[j], u[i]))
            return top[i] - d[i]
        cands = [u[i] for u in pts if u[j] >= d[j]]
        for a, b in edges:
            if (a[j] - d[j]) * (b[j] - d[j]) < 0:
                t = (d[j] - a[j]) / (b[j] - a[j])
                cands.append(a[i] + t * (b[i] - a[i]))
        return max(cands) - d[i]

    s1, s2 = best(0), best(1)
    top0, top1 = max(u[0] for u in pts), max(u[1] for u in pts)
    if top1 < d[1]:
        s2 = top1 - d[1]
    if top0 < d[0]:
        s1 = top0 - d[0]
    return s1, s2


def _slacks(scenario: Any, state: PointState) -> tuple[Fraction, Fraction] | None:
    if not scenario.issues and state.points is None:
        return None
    problem = bargaining_problem(scenario, state)
    return participation_slacks(problem.polytope.vertices, state.disagreement)


def deal_at(scenario: Any, state: PointState) -> Any:
    """The bargaining solution at ``state`` (a solution record with ``.agreement``)."""
    from negotiate.solvers.bargaining.solutions import kalai_smorodinsky, nash_bargaining

    problem = bargaining_problem(scenario, state)
    if scenario.solution == "kalai_smorodinsky":
        return kalai_smorodinsky(problem)
    return nash_bargaining(problem, weights=state.power)


def classify(scenario: Any, state: PointState, agreement: bool | None) -> str:
    """``agreement`` is None for scenarios without a bargaining layer: the tree decides."""
    conditions_ok = all(ok for ok, _ in state.conditions.values())
    if agreement is None:
        agreement = state.no_deal is not None and state.no_deal.agreed
    if agreement and conditions_ok:
        return "agreement"
    if state.no_deal is not None and state.no_deal.war:
        return "war"
    return "stalemate"


def outcome_at(
    scenario: Any, values: Mapping[str, Fraction], cache: dict[Any, Any] | None = None
) -> str:
    """The outcome label at a parameter point (no certificates, for scans)."""
    state = evaluate_point(scenario, values, cache)
    slacks = _slacks(scenario, state)
    return classify(scenario, state, None if slacks is None else slacks[0] > 0 < slacks[1])


def _constraints(scenario: Any, state: PointState) -> tuple[Constraint, ...]:
    p1, p2 = scenario.players
    slacks = _slacks(scenario, state)
    out: list[Constraint] = []
    if slacks is not None:
        out = [
            Constraint(
                f"participation:{p}",
                "participation",
                s > 0,
                s,
                f"{p} needs a deal worth more than its disagreement value {state.disagreement[i]}",
            )
            for i, (p, s) in enumerate(((p1, slacks[0]), (p2, slacks[1])))
        ]
    for i, p in enumerate((p1, p2)):
        if p in scenario.floors:
            slack = state.no_deal_point[i] - state.floors[i]
            out.append(
                Constraint(
                    f"ratification:{p}",
                    "ratification",
                    True,
                    slack,
                    f"{p}'s ratification floor {state.floors[i]} against its no-deal value "
                    f"{state.no_deal_point[i]}: the floor binds when the slack is negative",
                )
            )
    for cond in scenario.conditions:
        ok, margin = state.conditions[cond.name]
        out.append(Constraint(f"condition:{cond.name}", "condition", ok, margin, cond.meaning))
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


def _binding(constraints: tuple[Constraint, ...]) -> tuple[str, ...]:
    """Failed constraints, most violated first; then tight ones (zero slack)."""
    failed = [c for c in constraints if not c.holds]
    failed.sort(key=lambda c: c.slack if c.slack is not None else Fraction(0))
    tight = [
        c
        for c in constraints
        if c.holds and c.slack is not None and c.slack < 0 and c.kind == "ratification"
    ]
    return tuple(c.name for c in failed + tight)


def analyse(
    scenario: Any,
    overrides: Mapping[str, Any] | None = None,
    variant: str | None = None,
    *,
    tipping_points: bool = True,
) -> ScenarioResult:
    """Solve ``scenario`` at its (overridden) parameter values; see the module docstring."""
    values = parameter_values(scenario, overrides, variant)
    state = evaluate_point(scenario, values)
    constraints = _constraints(scenario, state)
    deal_solution = None
    conditions_ok = all(ok for ok, _ in state.conditions.values())
    has_bargaining = any(c.kind == "participation" for c in constraints)
    participation_ok = all(c.holds for c in constraints if c.kind == "participation")
    if has_bargaining and participation_ok:
        deal_solution = deal_at(scenario, state)
        if not deal_solution.agreement:  # the frontier says yes, the solver says no
            raise SolverError(
                "participation slacks are positive but the bargaining solver found no agreement",
                solver=scenario.solution,
                status="inconsistent",
            )
    outcome = classify(scenario, state, participation_ok if has_bargaining else None)
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
        binding_constraints=_binding(constraints),
        tipping_points=tips,
        claims=check_claims(scenario, state),
    )
