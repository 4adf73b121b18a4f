"""What a sweep records at each point, and the exact per-point path that defines it.

Every output is named after the quantity of :class:`~negotiate.scenario.ScenarioResult` it
mirrors, so that sweeps and single solves can be compared column by column:

=============================  ==============================================================
``outcome``                    "agreement", "stalemate" or "war"
``binding``                    the most violated constraint (``binding_constraints[0]``), or
                               "" when none binds
``boundary``                   True where the float evaluation met a tie or a threshold within
                               ``1e-12`` (relative): the exact outcome may differ there
``probability:OUTCOME``         probability of agreement, stalemate and war (they sum to 1)
``kappa``                      the credibility discount (scenarios with ``[commitment]``)
``war_probability``            probability of a war action on the no-deal equilibrium path
``no_deal:P``                  player P's value of the no-deal equilibrium
``disagreement:P``             P's disagreement value (its no-deal value)
``slack:participation:P``      ``max{U_P : U_j >= d_j} - d_P`` on the Pareto frontier
``slack:ratification:P``       P's best value in a deal the other side accepts, minus its
                               ratification floor
``slack:condition:NAME``       lhs - rhs of an inequality condition (NaN for and/or/not)
``deal:ISSUE``                 the first player's share of each issue in the deal (NaN
                               without a deal); for a discrete issue the index of the chosen
                               option
``utility:P``                  P's utility from the deal (NaN without a deal)
=============================  ==============================================================

The exact kernel (:class:`ExactKernel`) runs ``analyse(..., tipping_points=False)`` at every
point, with float sweep values read as their shortest decimal (``0.1`` is 1/10).  It serves
scenarios that cannot be vectorised (trees with information sets) and is the reference the
vectorised kernel is tested against.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from negotiate.errors import ModelError
from negotiate.scenario.result import OUTCOMES

__all__ = ["OUTCOMES", "RESERVED", "ExactKernel", "Output", "exact_outputs", "output_specs"]

#: Output names that are not prefixed, so no parameter may use them.
RESERVED = ("point", "outcome", "binding", "boundary", "kappa", "war_probability")


@dataclass(frozen=True)
class Output:
    """One recorded quantity: ``kind`` is "float", "bool" or "label" (codes into ``labels``)."""

    name: str
    kind: str
    meaning: str
    labels: tuple[str, ...] = ()


def constraint_names(scenario: Any) -> tuple[str, ...]:
    """The constraints of ``ScenarioResult.constraints``, in their order (the outcome stage's)."""
    from negotiate.pipeline.outcome import constraint_names as names
    from negotiate.scenario.evaluate import pipeline_spec

    return names(pipeline_spec(scenario))


def output_specs(scenario: Any) -> tuple[Output, ...]:
    """The outputs a sweep of ``scenario`` records, in column order."""
    players = scenario.players
    out = [
        Output("outcome", "label", "agreement, stalemate or war", OUTCOMES),
        Output("binding", "label", "most violated constraint", ("", *constraint_names(scenario))),
        Output("boundary", "bool", "within 1e-12 of a tie or threshold (floats)"),
    ]
    out += [Output(f"probability:{o}", "float", f"probability of {o}") for o in OUTCOMES]
    if scenario.commitment is not None:
        out.append(Output("kappa", "float", "credibility discount"))
    if scenario.deterrence is not None:
        out.append(Output("war_probability", "float", "war on the no-deal equilibrium path"))
        out += [Output(f"no_deal:{p}", "float", f"{p}'s no-deal value") for p in players]
    out += [Output(f"disagreement:{p}", "float", f"{p}'s disagreement value") for p in players]
    out += [
        Output(f"slack:{c}", "float", "constraint slack (negative: short by)")
        for c in constraint_names(scenario)
    ]
    out += [
        Output(f"deal:{i.name}", "float", f"{players[0]}'s share of {i.name} in the deal")
        for i in scenario.issues
    ]
    out += [
        Output(f"deal:{d.name}", "float", f"index of the chosen option in {list(d.options)}")
        for d in scenario.discrete
    ]
    if scenario.issues or scenario.points is not None:
        out += [Output(f"utility:{p}", "float", f"{p}'s utility from the deal") for p in players]
    return tuple(out)


def exact_outputs(scenario: Any, result: Any) -> dict[str, Any]:
    """The outputs of one exact :class:`~negotiate.scenario.ScenarioResult` (Python values;
    labels as text, numbers as floats, NaN where absent)."""
    nan = float("nan")
    st = result.state
    players = scenario.players
    out: dict[str, Any] = {
        "outcome": result.outcome,
        "binding": result.binding_constraints[0] if result.binding_constraints else "",
        "boundary": False,
    }
    for o in OUTCOMES:
        out[f"probability:{o}"] = float(result.probabilities[o])
    if scenario.commitment is not None:
        out["kappa"] = float(st.kappa)
    if scenario.deterrence is not None:
        out["war_probability"] = float(st.no_deal.war_probability)
        for p in players:
            out[f"no_deal:{p}"] = float(st.no_deal.values[p])
    for i, p in enumerate(players):
        out[f"disagreement:{p}"] = float(st.disagreement[i])
    for c in result.constraints:
        out[f"slack:{c.name}"] = nan if c.slack is None else float(c.slack)
    deal = result.deal if scenario.issues else None
    for issue in scenario.issues:
        out[f"deal:{issue.name}"] = (
            float(deal[issue.name]) if deal is not None and issue.name in deal else nan
        )
    for d in scenario.discrete:
        chosen = deal.get(d.name) if deal is not None else None
        out[f"deal:{d.name}"] = nan if chosen is None else float(d.options.index(chosen))
    if scenario.issues or scenario.points is not None:
        utilities = result.utilities
        for p in players:
            out[f"utility:{p}"] = nan if utilities is None else float(utilities[p])
    return out


class ExactKernel:
    """Per-point exact evaluation (``analyse`` without tipping points) over float columns."""

    exact = True

    def __init__(
        self,
        scenario: Any,
        swept: tuple[str, ...],
        overrides: Mapping[str, Fraction],
        variant: str | None,
    ) -> None:
        self.scenario = scenario
        self.swept = swept
        self.overrides = dict(overrides)
        self.variant = variant
        self.outputs = output_specs(scenario)

    def evaluate(self, columns: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        from negotiate.scenario.analysis import analyse

        n = len(next(iter(columns.values()))) if columns else 1
        rows = []
        for k in range(n):
            point = {name: Fraction(repr(float(columns[name][k]))) for name in self.swept}
            try:
                result = analyse(
                    self.scenario, {**self.overrides, **point}, self.variant, tipping_points=False
                )
            except ModelError as exc:
                shown = {name: float(v) for name, v in point.items()}
                raise ModelError(exc.field, exc.value, f"{exc.reason} (at {shown})") from None
            rows.append(exact_outputs(self.scenario, result))
        return columns_from_rows(self.outputs, rows, n)


def columns_from_rows(
    outputs: tuple[Output, ...], rows: list[dict[str, Any]], n: int
) -> dict[str, np.ndarray]:
    """Python rows -> typed columns (labels as int16 codes)."""
    out: dict[str, np.ndarray] = {}
    for o in outputs:
        values = [r[o.name] for r in rows]
        if o.kind == "label":
            index = {label: k for k, label in enumerate(o.labels)}
            out[o.name] = np.array([index[v] for v in values], dtype=np.int16).reshape(n)
        elif o.kind == "bool":
            out[o.name] = np.array(values, dtype=bool).reshape(n)
        else:
            out[o.name] = np.array(values, dtype=float).reshape(n)
    return out
