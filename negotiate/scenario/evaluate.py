"""Evaluate a scenario's layers at one parameter point, exactly.

The data flow is that of MODELS.md section 3:

1. parameter values (variant, then overrides), then derived quantities in dependency order;
2. the no-deal game (``[deterrence]``): its subgame-perfect equilibrium gives each side's
   no-deal value and whether the talks' failure leads to war;
3. the credibility discount ``kappa = (1 - delta) / (1 - delta (1 - rho_eff))`` with
   ``rho_eff = hazard (1 - guarantee)`` (MODELS.md M6) scales the beneficiary's value of each
   concession by ``1 - r (1 - kappa)``, where ``r`` is the concession's reversible share;
4. the disagreement point is the no-deal value (or the file's ``[bargaining].disagreement``),
   raised to each side's ratification floor (MODELS.md M10);
5. the bargaining solution on the linear issue space (MODELS.md M1), and the conditions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from negotiate._exact import as_fraction
from negotiate.errors import ModelError
from negotiate.expr import Parameter, substitute

__all__ = [
    "NoDeal",
    "PointState",
    "build_tree",
    "check_overrides",
    "credibility_discount",
    "evaluate_condition",
    "evaluate_point",
    "parameter_values",
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
    """``kappa`` of :func:`negotiate.theory.repeated.credibility_discount`, with errors
    named by the scenario's ``[commitment]`` fields."""
    from negotiate.theory.repeated import credibility_discount as kappa

    names = {"delta": "patience", "hazard": "hazard", "guarantee": "guarantee"}
    try:
        out = kappa(patience, hazard, guarantee)
    except ModelError as exc:
        field = f"commitment.{names.get(exc.field, exc.field)}"
        raise ModelError(field, exc.value, exc.reason) from None
    assert isinstance(out, Fraction)
    return out


@dataclass(frozen=True)
class NoDeal:
    """What happens if the talks fail: the no-deal game's subgame-perfect equilibrium."""

    values: Mapping[str, Fraction]
    path: tuple[str, ...]
    war: bool
    agreed: bool
    war_probability: Fraction
    actions_played: Mapping[str, Fraction]
    strategy: Mapping[tuple[str, ...], str]
    n_equilibria: int


@dataclass(frozen=True)
class PointState:
    """Every layer's value at one parameter point (exact)."""

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


def _value(expr: sp.Basic, values: Mapping[str, Fraction], field: str) -> Fraction:
    out = substitute(expr, values, field=field)
    if not isinstance(out, Fraction):
        raise ModelError(field, str(expr), f"does not evaluate to a rational number (got {out})")
    return out


def _no_deal(
    scenario: Any, values: Mapping[str, Fraction], cache: dict[Any, NoDeal] | None
) -> NoDeal | None:
    if scenario.deterrence is None:
        return None
    from negotiate.solvers.spe.solve import SPEResult, subgame_perfect

    family = scenario.deterrence["tree"]
    names = scenario.deterrence["names"]
    key = tuple(values[n] for n in names)
    if cache is not None and key in cache:
        return cache[key]
    tree = family.bind({n: values[n] for n in names})
    result = subgame_perfect(tree)
    if not isinstance(result, SPEResult):  # pragma: no cover - a bound tree is numeric
        raise ModelError("deterrence", None, "the bound tree still has free parameters")
    eq = result.equilibria[0]
    reached = _reached_actions(tree, eq.strategy)
    war_p = sum((q for a, q in reached.items() if a in set(scenario.war_actions)), Fraction(0))
    agreed = any(a in set(scenario.agreement_actions) for a in reached)
    out = NoDeal(
        values={p: eq.payoffs[p] for p in scenario.players},
        path=tuple(eq.path),
        war=war_p > 0,
        agreed=agreed,
        war_probability=war_p,
        actions_played=reached,
        strategy=dict(eq.strategy),
        n_equilibria=len(result.equilibria),
    )
    if cache is not None:
        cache[key] = out
    return out


def _reached_actions(tree: Any, strategy: Mapping[tuple[str, ...], str]) -> dict[str, Fraction]:
    """Probability with which each action label is played on the equilibrium path."""
    from negotiate.games.tree import Chance, Decision

    out: dict[str, Fraction] = {}
    stack: list[tuple[tuple[str, ...], Any, Fraction]] = [((), tree.node(()), Fraction(1))]
    while stack:
        path, node, prob = stack.pop()
        if isinstance(node, Decision):
            action = strategy[path]
            out[action] = out.get(action, Fraction(0)) + prob
            stack.append(((*path, action), node.child(action), prob))
        elif isinstance(node, Chance):
            for label, q, child in zip(
                node.outcomes, node.probabilities, node.children, strict=True
            ):
                if q:
                    stack.append(((*path, label), child, prob * Fraction(q)))
    return out


def evaluate_condition(cond: Any, values: Mapping[str, Fraction]) -> tuple[bool, Fraction | None]:
    """Truth of a condition and, for a single inequality, its slack (lhs - rhs, signed)."""
    f = f"conditions.{cond.name}.holds"
    expr = cond.holds
    slack = None
    if isinstance(expr, sp.core.relational.Relational):
        diff = _value(expr.lhs - expr.rhs, values, f)
        slack = diff if expr.rel_op in (">", ">=") else -diff
        holds = slack > 0 if expr.rel_op in (">", "<") else slack >= 0
        return holds, slack
    out = expr.xreplace(
        {
            s: sp.Rational(values[s.name].numerator, values[s.name].denominator)
            for s in expr.free_symbols
        }
    )
    if out not in (sp.true, sp.false):
        raise ModelError(f, str(expr), f"cannot be decided at these values (gives {out})")
    return bool(out), slack


def evaluate_point(
    scenario: Any, values: Mapping[str, Fraction], cache: dict[Any, NoDeal] | None = None
) -> PointState:
    """Evaluate every layer of ``scenario`` at the parameter ``values`` (exact).

    ``cache`` memoises the no-deal equilibrium on the values of the tree's own parameters,
    so scans over levers that the tree does not use solve it once.
    """
    env: dict[str, Fraction] = dict(values)
    for name, expr in scenario.derived:
        env[name] = _value(expr, env, f"derived.{name}")
    no_deal = _no_deal(scenario, env, cache)
    p1, p2 = scenario.players
    kappa = rho_eff = None
    if scenario.commitment is not None:
        c = scenario.commitment
        delta = _value(c.patience, env, "commitment.patience")
        hazard = _value(c.hazard, env, "commitment.hazard")
        guarantee = _value(c.guarantee, env, "commitment.guarantee")
        kappa = credibility_discount(delta, hazard, guarantee)
        rho_eff = hazard * (1 - guarantee)
    weights, raw, rev = {}, {}, {}
    for issue in scenario.issues:
        f = f"issues.{issue.name}"
        w = tuple(_value(issue.weights[p], env, f"{f}.weights.{p}") for p in (p1, p2))
        for p, x in zip((p1, p2), w, strict=True):
            if x < 0:
                raise ModelError(f"{f}.weights.{p}", x, "weights must be non-negative")
        r = _value(issue.reversibility, env, f"{f}.reversible")
        if not 0 <= r <= 1:
            raise ModelError(f"{f}.reversible", r, "the reversible share must lie in [0, 1]")
        raw[issue.name] = (w[0], w[1])
        rev[issue.name] = r
        scaled = list(w)
        if kappa is not None:
            k = 0 if scenario.commitment.beneficiary == p1 else 1
            scaled[k] = w[k] * (1 - r * (1 - kappa))
        weights[issue.name] = (scaled[0], scaled[1])
    points = None
    if scenario.points is not None:
        points = tuple(
            (
                _value(pt[p1], env, f"bargaining.points[{k}].{p1}"),
                _value(pt[p2], env, f"bargaining.points[{k}].{p2}"),
            )
            for k, pt in enumerate(scenario.points)
        )
    if scenario.disagreement is not None:
        nd = tuple(
            _value(scenario.disagreement[p], env, f"bargaining.disagreement.{p}") for p in (p1, p2)
        )
    else:
        assert no_deal is not None
        nd = (no_deal.values[p1], no_deal.values[p2])
    floors = tuple(
        _value(scenario.floors[p], env, f"domestic.floor.{p}") if p in scenario.floors else nd[i]
        for i, p in enumerate((p1, p2))
    )
    d = (max(nd[0], floors[0]), max(nd[1], floors[1]))
    power = None
    if scenario.power is not None:
        pw = tuple(_value(scenario.power[p], env, f"bargaining.power.{p}") for p in (p1, p2))
        if pw[0] < 0 or pw[1] < 0 or pw[0] + pw[1] == 0:
            raise ModelError("bargaining.power", pw, "weights must be >= 0 and not both 0")
        power = (pw[0], pw[1])
    conditions = {c.name: evaluate_condition(c, env) for c in scenario.conditions}
    return PointState(
        values=env,
        no_deal=no_deal,
        kappa=kappa,
        rho_eff=rho_eff,
        weights=weights,
        raw_weights=raw,
        reversibility=rev,
        disagreement=(d[0], d[1]),
        no_deal_point=(nd[0], nd[1]),
        floors=(floors[0], floors[1]),
        points=points,
        power=power,
        conditions=conditions,
    )
