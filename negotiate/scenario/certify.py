"""The outcome of a scenario, re-derived by a route of its own.

:func:`certify_outcome` re-derives the outcome at the analysed point without the stage code
that produced it (:func:`~negotiate.scenario.evaluate.evaluate_point`,
:func:`~negotiate.scenario.analysis.outcome_at`, ``classify``):

* every expression of the scenario file is evaluated by exact ``xreplace`` on the parameter
  values (derived values first, in order);
* the no-deal strategy recorded is checked to be subgame perfect on the bound tree by the
  one-shot deviation principle (:mod:`negotiate.solvers.spe.deviation`), and the actions it
  reaches (war, agreement) and the no-deal values are found by walking the tree;
* the credibility discount is checked against its defining recursion
  ``k = (1 - delta) + delta (1 - rho (1 - g)) k`` (a flow of relief that ends with per-period
  hazard ``rho (1 - g)``, relative to a permanent one);
* participation slacks ``max{U_i : U_j >= d_j} - d_i`` by the fractional knapsack on the issues
  (Dantzig 1957) or by a scan of every segment between two outcome points -- neither uses the
  polygon code of the pipeline;
* the outcome by the rule stated in :mod:`negotiate.scenario.analysis`: agreement when both
  slacks are positive (or, without a bargaining layer, the no-deal path reaches an agreement
  action) and every condition holds; else war when the no-deal path reaches a war action; else
  stalemate.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from itertools import combinations_with_replacement
from typing import Any

import sympy as sp

from negotiate.errors import ModelError

__all__ = ["certify_outcome", "certify_point", "kappa_residual", "knapsack_slack", "segment_slack"]


def knapsack_slack(
    weights: list[tuple[Fraction, Fraction]], d: tuple[Fraction, Fraction], i: int
) -> Fraction:
    """``max{U_i : U_j >= d_j} - d_i`` on the linear issue space, by the fractional knapsack."""
    j = 1 - i
    top_i = sum((w[i] for w in weights), Fraction(0))
    top_j = sum((w[j] for w in weights), Fraction(0))
    if top_i < d[i]:
        return top_i - d[i]
    if top_j < d[j]:  # j cannot reach d_j: measure i at the point best for j
        return sum((w[i] for w in weights if w[j] == 0), Fraction(0)) - d[i]
    need, cost = d[j], Fraction(0)
    for w in sorted((w for w in weights if w[j] > 0), key=lambda w: w[i] / w[j]):
        if need <= 0:
            break
        share = min(Fraction(1), need / w[j])
        cost += share * w[i]
        need -= share * w[j]
    return top_i - cost - d[i]


def segment_slack(points: Any, d: tuple[Fraction, Fraction], i: int) -> Fraction:
    """The same slack over the convex hull of ``points``, scanning every pair of points."""
    j = 1 - i
    pts = [tuple(p) for p in points]
    top_i = max(p[i] for p in pts)
    top_j = max(p[j] for p in pts)
    if top_i < d[i]:
        return top_i - d[i]
    if top_j < d[j]:
        return max(p[i] for p in pts if p[j] == top_j) - d[i]
    best: Fraction | None = None
    for a, b in combinations_with_replacement(pts, 2):
        cands = [p[i] for p in (a, b) if p[j] >= d[j]]
        if (a[j] - d[j]) * (b[j] - d[j]) < 0:
            t = (d[j] - a[j]) / (b[j] - a[j])
            cands.append(a[i] + t * (b[i] - a[i]))
        for c in cands:
            best = c if best is None else max(best, c)
    assert best is not None
    return best - d[i]


def kappa_residual(kappa: Fraction, patience: Fraction, hazard: Fraction, g: Fraction) -> Fraction:
    """``k - (1 - delta) - delta (1 - hazard (1 - g)) k``: zero exactly at the discount."""
    return kappa - (1 - patience) - patience * (1 - hazard * (1 - g)) * kappa


def _at(expr: Any, values: Mapping[str, Fraction], field: str) -> Any:
    """``expr`` at ``values`` by exact ``xreplace``: a Fraction, or a bool for a condition."""
    if not isinstance(expr, sp.Basic):
        return Fraction(expr)
    out = expr.xreplace(
        {
            s: sp.Rational(values[s.name].numerator, values[s.name].denominator)
            for s in expr.free_symbols
            if s.name in values
        }
    )
    if out is sp.true or out is sp.false:
        return bool(out)
    if not out.is_Rational:
        raise ModelError(field, str(expr), f"does not evaluate to a rational number (got {out})")
    return Fraction(int(out.p), int(out.q))


def _no_deal(scenario: Any, values: Mapping[str, Fraction], nd: Any, fails: list[str]) -> Any:
    """Check the recorded no-deal strategy on the bound tree; its values and reached actions."""
    from negotiate.solvers.spe.deviation import continuation_values, deviation_failures

    tree = scenario.deterrence["tree"].bind({n: values[n] for n in scenario.deterrence["names"]})
    strategy = dict(nd.strategy)
    fails += [f"no-deal game: {m}" for m in deviation_failures(tree, strategy)]
    if any("no action at" in f or "is not an action" in f for f in fails):
        return None, (set(), Fraction(0))
    root, reached = continuation_values(tree, strategy)
    war = _war_probability(tree.root, (), strategy, set(scenario.war_actions))
    return dict(zip(tree.players, root, strict=True)), (reached, war)


def _war_probability(node: Any, path: tuple[str, ...], strategy: Any, wars: set[str]) -> Fraction:
    """The probability that play under ``strategy`` takes a war action below ``node``."""
    from negotiate.games.tree import Chance, Decision

    if isinstance(node, Decision):
        action = strategy[path]
        if action in wars:
            return Fraction(1)
        child = node.children[node.actions.index(action)]
        return _war_probability(child, (*path, action), strategy, wars)
    if isinstance(node, Chance):
        return sum(
            (
                Fraction(q) * _war_probability(c, (*path, lab), strategy, wars)
                for lab, q, c in zip(node.outcomes, node.probabilities, node.children, strict=True)
            ),
            Fraction(0),
        )
    return Fraction(0)


def _acceptable_offsets(sc: Any, values: Mapping[str, Fraction]) -> list[tuple[Any, Any]]:
    """The utilities of every combination of discrete options both sides accept (a red line
    expression at 1/2 or more accepts); ``[(0, 0)]`` without discrete issues."""
    p1, p2 = sc.players
    combos: list[tuple[Any, Any]] = [(Fraction(0), Fraction(0))]
    for spec in getattr(sc, "discrete", ()):
        nxt = []
        for option in spec.options:
            ok = all(
                _at(spec.acceptable.get(option, {}).get(p, 1), values, f"discrete.{spec.name}")
                >= Fraction(1, 2)
                for p in (p1, p2)
            )
            if not ok:
                continue
            v = [_at(spec.values[option][p], values, f"discrete.{spec.name}") for p in (p1, p2)]
            nxt += [(a + v[0], b + v[1]) for a, b in combos]
        combos = nxt
    return combos


def certify_outcome(result: Any) -> tuple[bool, dict[str, Any], list[str]]:
    """Re-derive ``result.outcome`` (a :class:`~negotiate.scenario.result.ScenarioResult`)
    as the module docstring says: (ok, the quantities re-derived, failure messages)."""
    return certify_point(result.scenario, result.state, result.outcome)


def certify_point(sc: Any, st: Any, reported: str) -> tuple[bool, dict[str, Any], list[str]]:
    """Re-derive the outcome ``reported`` for the point state ``st`` of scenario ``sc``
    (see :func:`certify_outcome`)."""
    p1, p2 = sc.players
    fails: list[str] = []
    values: dict[str, Fraction] = {n: st.values[n] for n in sc.parameters}
    for name, expr in sc.derived:
        values[name] = _at(expr, values, f"derived.{name}")
    nd_values, reached, war_p = None, set(), Fraction(0)
    if sc.deterrence is not None:
        nd_values, (reached, war_p) = _no_deal(sc, values, st.no_deal, fails)
    # the most likely outcome: war when the no-deal path fights with probability >= 1/2
    war = war_p >= Fraction(1, 2)
    agreed = any(a in reached for a in sc.agreement_actions)
    kappa = None
    if sc.commitment is not None:
        c = sc.commitment
        delta, hazard, g = (
            _at(x, values, "commitment") for x in (c.patience, c.hazard, c.guarantee)
        )
        # the promiser's type is fixed: kappa is the expectation over the types of the
        # discount each type's hazard gives; each k_t solves its own recursion
        types = [
            (_at(p, values, "commitment.types"), _at(h, values, "commitment.types"))
            for _, p, h in c.types
        ] or [(Fraction(1), hazard)]
        parts = [(q, (1 - delta) / (1 - delta * (1 - h * (1 - g)))) for q, h in types]
        if any(
            kappa_residual(k_t, delta, h, g) != 0
            for (_, h), (_, k_t) in zip(types, parts, strict=True)
        ):
            fails.append("a type's discount does not solve its recursion")
        kappa = st.kappa
        expected_kappa = sum((q * k_t for q, k_t in parts), Fraction(0))
        if kappa is None or kappa != expected_kappa or not 0 < kappa <= 1:
            fails.append(f"credibility discount {kappa}, re-derived as {expected_kappa}")
    if sc.disagreement is not None:
        nd = tuple(_at(sc.disagreement[p], values, "disagreement") for p in (p1, p2))
    elif nd_values is not None:
        nd = (nd_values[p1], nd_values[p2])
    else:
        return False, {}, [*fails, "no disagreement point can be re-derived"]
    # ratification floors constrain the deal; d is the no-deal value
    d = (nd[0], nd[1])
    floors = tuple(
        _at(sc.floors[p], values, "floor") if p in sc.floors else d[i]
        for i, p in enumerate((p1, p2))
    )
    bounds = (max(d[0], floors[0]), max(d[1], floors[1]))
    offsets = _acceptable_offsets(sc, values)
    slacks = None
    zone: bool | None = None
    if sc.issues or sc.points is not None:
        weights = []
        for issue in sc.issues:
            w = [_at(issue.weights[p], values, f"issues.{issue.name}") for p in (p1, p2)]
            if kappa is not None:
                k = 0 if sc.commitment.beneficiary == p1 else 1
                r = _at(issue.reversibility, values, f"issues.{issue.name}.reversible")
                w[k] = w[k] * (1 - r * (1 - kappa))  # the reversible share is discounted
            if w != [0, 0]:
                weights.append((w[0], w[1]))
        pts = (
            None
            if sc.issues
            else [
                tuple(_at(pt[p], values, "bargaining.points") for p in (p1, p2)) for pt in sc.points
            ]
        )
        zone = False
        for off in offsets:
            e = (bounds[0] - off[0], bounds[1] - off[1])
            if pts is None:
                best = (knapsack_slack(weights, e, 0) + e[0], knapsack_slack(weights, e, 1) + e[1])
            else:
                best = (segment_slack(pts, e, 0) + e[0], segment_slack(pts, e, 1) + e[1])
            best = (best[0] + off[0], best[1] + off[1])
            here = (best[0] - d[0], best[1] - d[1])
            if slacks is None or min(here) > min(slacks):
                slacks = here
            ratified = best[0] >= floors[0] and best[1] >= floors[1]
            zone = zone or (here[0] > 0 and here[1] > 0 and ratified)
    conditions = {c.name: _at(c.holds, values, f"conditions.{c.name}") for c in sc.conditions}
    if zone is None:
        zone = agreed
    outcome = "agreement" if zone and all(conditions.values()) else "war" if war else "stalemate"
    screening = getattr(sc, "screening", None)
    if screening is not None and outcome == "agreement":
        # with private information an offer can be refused by one type: the reported outcome
        # is the most likely one, which this certificate does not re-derive; it checks that
        # an agreement is possible for the most eager type
        if reported not in ("agreement", "stalemate", "war"):
            fails.append(f"unknown outcome {reported}")
        outcome = reported
    if outcome != reported:
        fails.append(f"outcome re-derived as {outcome}, reported {reported}")
    if tuple(st.disagreement) != d:
        fails.append(f"disagreement point re-derived as {d}, recorded {tuple(st.disagreement)}")
    quantities: dict[str, Any] = {
        "outcome": outcome,
        "disagreement": d,
        "slacks": slacks,
        "conditions": conditions,
        "war_probability": war_p,
    }
    return not fails, quantities, fails
