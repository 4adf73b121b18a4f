"""Counterfactuals of an analysed scenario: what single change would alter the outcome.

Four families, each evaluated exactly at the analysed point of a :class:`ScenarioResult`:

* **Levers** (``[analysis].levers``): the outcome, participation slacks and deal just past
  each lever's tipping point (the far end of its bracket) and at both ends of its domain,
  all else fixed.
* **Structural changes**: one layer of the model switched off at a time -- the credibility
  discount (``kappa = 1``: reversible concessions valued at face value), the ratification
  floors (Putnam 1988), the extra conditions -- and each reversible issue made irreversible
  (escrowed or front-loaded: irreversible transfers are not discounted).  A change
  *restores a zone of agreement* when both participation slacks become positive.
* **Bargaining spaces**: the analysed bargaining problem and, when a credibility discount
  applies, the same problem at face value, each with its Nash (asymmetric, with the
  scenario's bargaining power) and Kalai-Smorodinsky solutions (Nash 1950; Kalai and
  Smorodinsky 1975).
* **Threats** of the no-deal game (:mod:`negotiate.scenario.threats`): each action's value
  against the action played at the nodes reached with at most one deviation.

The outcome rule and the slacks are those of the pipeline's stages (:mod:`negotiate.pipeline`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negotiate.errors import ModelError
from negotiate.results import Certificate, ResultMixin, Summary, Table, to_jsonable
from negotiate.scenario.analysis import bargaining_problem, outcome_at
from negotiate.scenario.evaluate import PointState, evaluate_point, reassess
from negotiate.scenario.result import ScenarioResult, TippingPoint
from negotiate.scenario.threats import ThreatCheck, evaluate_at, threat_checks

__all__ = [
    "BargainingView",
    "Counterfactuals",
    "DiscountLoss",
    "LeverEffect",
    "PointOutcome",
    "StructuralChange",
    "ThreatCheck",
    "counterfactuals",
    "discount_loss",
    "point_outcome",
]


@dataclass(frozen=True)
class PointOutcome:
    """Outcome, participation slacks (None without a bargaining layer) and deal at a point.

    ``deal`` maps issue -> share going the first player's way (or player -> utility for
    ``bargaining.points``); it is None unless the outcome is an agreement.
    """

    values: Mapping[str, Fraction]
    outcome: str
    slacks: tuple[Fraction, Fraction] | None
    state: PointState
    solution: Any = None

    @property
    def disagreement(self) -> tuple[Fraction, Fraction]:
        return self.state.disagreement

    @property
    def deal(self) -> dict[str, Fraction] | None:
        if self.solution is None:
            return None
        if self.solution.allocation is not None:
            return dict(self.solution.allocation)
        return dict(zip(self.solution.problem.players, self.solution.utilities, strict=True))

    @property
    def utilities(self) -> tuple[Fraction, Fraction] | None:
        return None if self.solution is None else tuple(self.solution.utilities)

    @property
    def margin(self) -> Fraction | None:
        """The smaller participation slack: positive iff a zone of agreement exists."""
        return None if self.slacks is None else min(self.slacks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "slacks": to_jsonable(self.slacks),
            "disagreement": to_jsonable(self.disagreement),
            "deal": to_jsonable(self.deal),
            "utilities": to_jsonable(self.utilities),
        }


def _outcome(state: PointState, values: Mapping[str, Fraction]) -> PointOutcome:
    zone = None if state.slacks is None else state.slacks[0] > 0 < state.slacks[1]
    solution = state.solution if state.outcome == "agreement" and zone else None
    return PointOutcome(dict(values), state.outcome, state.slacks, state, solution)


def _assess(scenario: Any, state: PointState, values: Mapping[str, Fraction]) -> PointOutcome:
    """The outcome of a changed ``state``: the bargaining and outcome stages re-run."""
    return _outcome(reassess(scenario, state, deal=True), values)


def point_outcome(
    scenario: Any, values: Mapping[str, Fraction], cache: dict[Any, Any] | None = None
) -> PointOutcome:
    """Outcome, slacks and deal of ``scenario`` at the parameter ``values`` (exact)."""
    return _outcome(evaluate_point(scenario, values, cache, deal=True), values)


@dataclass(frozen=True)
class LeverEffect:
    """One lever: its tipping point, the point just past it, and the ends of its domain."""

    lever: str
    baseline: Fraction
    domain: tuple[Fraction, Fraction]
    tipping_point: TippingPoint | None
    past_tipping: PointOutcome | None
    low: PointOutcome
    high: PointOutcome

    def points(self) -> tuple[tuple[str, PointOutcome], ...]:
        out = [("low", self.low), ("high", self.high)]
        if self.past_tipping is not None:
            out.insert(0, ("past_tipping", self.past_tipping))
        return tuple(out)

    def reaches(self, outcome: str) -> PointOutcome | None:
        """The first evaluated point (past the tipping point, then the ends) with ``outcome``."""
        return next((p for _, p in self.points() if p.outcome == outcome), None)


@dataclass(frozen=True)
class StructuralChange:
    """One layer switched off (or one issue made irreversible), all parameters fixed."""

    name: str
    description: str  # a clause: "if <description>, ..."
    point: PointOutcome

    @property
    def restores_zone(self) -> bool:
        return self.point.slacks is not None and min(self.point.slacks) > 0


@dataclass(frozen=True)
class DiscountLoss:
    """What the credibility discount removes from the beneficiary's value of one issue."""

    issue: str
    raw: Fraction
    discounted: Fraction
    reversible: Fraction

    @property
    def removed(self) -> Fraction:
        return self.raw - self.discounted


def discount_loss(result: ScenarioResult) -> tuple[DiscountLoss, ...]:
    """Per discounted issue: the beneficiary's raw and discounted weights (``kappa < 1``)."""
    scenario, st = result.scenario, result.state
    if scenario.commitment is None or st.kappa is None:
        return ()
    k = scenario.players.index(scenario.commitment.beneficiary)
    return tuple(
        DiscountLoss(n, st.raw_weights[n][k], st.weights[n][k], st.reversibility[n])
        for n in st.weights
        if st.raw_weights[n][k] != st.weights[n][k]
    )


@dataclass(frozen=True)
class BargainingView:
    """A bargaining problem of the scenario with its Nash and Kalai-Smorodinsky solutions.

    ``name`` is ``"discounted"`` (the analysed problem) or ``"face_value"`` (kappa = 1).
    """

    name: str
    problem: Any
    nash: Any
    kalai_smorodinsky: Any


@dataclass(frozen=True, eq=False, repr=False)
class Counterfactuals(ResultMixin):
    """Lever effects, structural changes and threat checks of one analysed scenario."""

    result: ScenarioResult
    levers: tuple[LeverEffect, ...]
    structural: tuple[StructuralChange, ...]
    threats: tuple[ThreatCheck, ...]
    spaces: tuple[BargainingView, ...] = ()

    def restoring(self) -> tuple[str, ...]:
        """Single changes after which the outcome is an agreement (baseline not one)."""
        if self.result.outcome == "agreement":
            return ()
        out = [e.lever for e in self.levers if e.reaches("agreement") is not None]
        out += [c.name for c in self.structural if c.point.outcome == "agreement"]
        return tuple(out)

    def verify(self) -> Certificate:
        """Re-derive every lever point's outcome through ``outcome_at`` and, independently of
        the pipeline, by :func:`~negotiate.scenario.certify.certify_point`; re-check each deal
        (Pareto optimality, rationality), and evaluate each symbolic threat condition at the
        analysed values against its exact margin."""
        from negotiate.scenario.certify import certify_point

        scenario = self.result.scenario
        ok, checks, notes = True, [], []
        cache: dict[Any, Any] = {}
        for e in self.levers:
            for where, p in e.points():
                again = outcome_at(scenario, p.values, cache)
                good = again == p.outcome
                if not good:
                    notes.append(f"{e.lever} {where}: outcome recomputed as {again}")
                independent, _, failures = certify_point(scenario, p.state, p.outcome)
                good = good and independent
                notes += [f"{e.lever} {where}: {f}" for f in failures]
                if p.solution is not None:
                    good = good and p.solution.verify().ok
                ok = ok and good
            checks.append(f"lever {e.lever}: outcomes re-derived, deals re-checked")
        for c in self.structural:
            if c.point.solution is not None:
                ok = ok and c.point.solution.verify().ok
                checks.append(f"{c.name}: deal re-checked")
        for v in self.spaces:
            for sol in (v.nash, v.kalai_smorodinsky):
                ok = ok and sol.verify().ok
            checks.append(f"bargaining space {v.name}: Nash and Kalai-Smorodinsky re-checked")
        values = self.result.state.values
        worst = Fraction(0)
        for t in self.threats:
            at = evaluate_at(t.condition, values, f"threat {t.action} at {'/'.join(t.node)}")
            if at != t.margin:
                ok = False
                notes.append(f"threat {t.action} at {t.node}: condition gives {at}, not {t.margin}")
            if not t.credible:
                worst = max(worst, t.margin)
        if self.threats:
            checks.append("threat conditions evaluated at the point equal the exact margins")
            if worst > 0:
                ok = False
                notes.append("an action not played does better than the one played")
        return Certificate(
            ok=ok,
            quantities={"max_regret": worst, "levers": len(self.levers)},
            checks=tuple(checks),
            notes=tuple(notes),
        )

    def summary(self) -> Summary:
        p1, p2 = self.result.scenario.players
        rows = []
        for e in self.levers:
            for where, p in e.points():
                x = p.values[e.lever]
                rows.append((e.lever, where, f"{float(x):.4g}", p.outcome, _fmt(p.slacks)))
        srows = tuple((c.name, c.point.outcome, _fmt(c.point.slacks)) for c in self.structural)
        trows = tuple(
            (
                "/".join(t.node) or "(root)",
                t.player,
                t.action,
                "yes" if t.credible else "no",
                f"{float(t.margin):+.4f}",
            )
            for t in self.threats
        )
        return Summary(
            title=f"Counterfactuals: {self.result.scenario.title}",
            fields=(("outcome", self.result.outcome), ("restoring", ", ".join(self.restoring()))),
            tables=(
                Table(
                    "Levers",
                    ("lever", "where", "value", "outcome", f"slacks ({p1}, {p2})"),
                    tuple(rows),
                ),
                Table("Structural changes", ("change", "outcome", "slacks"), srows),
                Table("Threats", ("node", "player", "action", "credible", "margin"), trows),
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "restoring": list(self.restoring()),
            "levers": [
                {
                    "lever": e.lever,
                    "baseline": to_jsonable(e.baseline),
                    "domain": to_jsonable(e.domain),
                    "points": {
                        w: {"value": to_jsonable(p.values[e.lever]), **p.to_dict()}
                        for w, p in e.points()
                    },
                }
                for e in self.levers
            ],
            "structural": [
                {"name": c.name, "description": c.description, **c.point.to_dict()}
                for c in self.structural
            ],
            "threats": [
                {
                    "node": list(t.node),
                    "player": t.player,
                    "action": t.action,
                    "chosen": t.chosen,
                    "value": to_jsonable(t.value),
                    "margin": to_jsonable(t.margin),
                    "condition": f"{t.condition} >= 0",
                }
                for t in self.threats
            ],
        }


def _fmt(slacks: tuple[Fraction, Fraction] | None) -> str:
    return "" if slacks is None else ", ".join(f"{float(s):+.4f}" for s in slacks)


# ---------------------------------------------------------------------- building
def counterfactuals(
    result: ScenarioResult, *, levers: Sequence[str] | None = None
) -> Counterfactuals:
    """Evaluate the lever, structural and threat counterfactuals of ``result``."""
    scenario = result.scenario
    chosen = scenario.levers if levers is None else tuple(levers)
    for i, lever in enumerate(chosen):
        if lever not in scenario.parameters:
            raise ModelError(f"levers[{i}]", lever, f"not a parameter; {list(scenario.parameters)}")
    cache: dict[Any, Any] = {}
    return Counterfactuals(
        result=result,
        levers=tuple(_lever(result, lever, cache) for lever in chosen),
        structural=_structural(result),
        threats=threat_checks(result),
        spaces=_spaces(result),
    )


def _lever(result: ScenarioResult, lever: str, cache: dict[Any, Any]) -> LeverEffect:
    scenario, base = result.scenario, result.parameters
    domain = scenario.parameters[lever].domain
    if domain is None:
        raise ModelError(f"parameters.{lever}.domain", None, "a lever needs a domain")
    tp = result.tipping_points.get(lever)
    past = None
    if tp is not None:
        far = tp.bracket[1] if tp.direction == "up" else tp.bracket[0]
        past = point_outcome(scenario, {**base, lever: far}, cache)
    return LeverEffect(
        lever=lever,
        baseline=base[lever],
        domain=(domain[0], domain[1]),
        tipping_point=tp,
        past_tipping=past,
        low=point_outcome(scenario, {**base, lever: domain[0]}, cache),
        high=point_outcome(scenario, {**base, lever: domain[1]}, cache),
    )


def _structural(result: ScenarioResult) -> tuple[StructuralChange, ...]:
    scenario, st, values = result.scenario, result.state, result.parameters
    if not scenario.issues and st.points is None:
        return ()
    out = []

    def add(name: str, description: str, state: PointState) -> None:
        out.append(StructuralChange(name, description, _assess(scenario, state, values)))

    if st.kappa is not None and st.weights != st.raw_weights:
        who = scenario.commitment.beneficiary
        add(
            "credibility",
            f"{who} valued reversible concessions at face value (no credibility discount)",
            dataclasses.replace(st, weights=st.raw_weights),
        )
        rev = [
            n for n, r in st.reversibility.items() if r > 0 and st.weights[n] != st.raw_weights[n]
        ]
        for name in rev:
            add(
                f"irreversible:{name}",
                f"{name} were delivered irreversibly (escrowed or front-loaded)",
                dataclasses.replace(st, weights={**st.weights, name: st.raw_weights[name]}),
            )
        if len(rev) > 1:
            add(
                "irreversible:all",
                "every reversible concession were delivered irreversibly",
                dataclasses.replace(st, weights=st.raw_weights),
            )
    if st.bounds is not None and st.bounds != st.no_deal_point:
        add(
            "floors",
            "there were no ratification floors (a deal need only beat the no-deal value)",
            dataclasses.replace(st, floors=st.no_deal_point, bounds=st.no_deal_point),
        )
    if st.conditions and not all(ok for ok, _ in st.conditions.values()):
        add(
            "conditions",
            "the extra conditions were waived",
            dataclasses.replace(
                st, conditions={n: (True, s) for n, (_, s) in st.conditions.items()}
            ),
        )
    return tuple(out)


def _spaces(result: ScenarioResult) -> tuple[BargainingView, ...]:
    from negotiate.solvers.bargaining.solutions import kalai_smorodinsky, nash_bargaining

    scenario, st = result.scenario, result.state
    if not scenario.issues and st.points is None:
        return ()
    states = [("discounted", st)]
    if st.weights != st.raw_weights:
        states.append(("face_value", dataclasses.replace(st, weights=st.raw_weights)))
    out = []
    for name, state in states:
        problem = bargaining_problem(scenario, state)
        nash = nash_bargaining(problem, weights=state.power)
        out.append(BargainingView(name, problem, nash, kalai_smorodinsky(problem)))
    return tuple(out)
