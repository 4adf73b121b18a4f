"""The result of analysing a scenario: frozen, verifiable, renderable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negotiate.pipeline.outcome import OUTCOMES
from negotiate.results import Certificate, ResultMixin, Summary, Table, to_jsonable
from negotiate.scenario.tipping import TippingPoint

__all__ = ["OUTCOMES", "ClaimCheck", "Constraint", "ScenarioResult", "TippingPoint"]


@dataclass(frozen=True)
class Constraint:
    """A constraint on agreement: whether it holds and its slack (negative = short by)."""

    name: str
    kind: str
    holds: bool
    slack: Fraction | None
    meaning: str


@dataclass(frozen=True)
class ClaimCheck:
    """A claim of the source text and whether the model supports it at the analysed point."""

    name: str
    text: str
    source: str
    supported: bool
    detail: str


@dataclass(frozen=True, eq=False, repr=False)
class ScenarioResult(ResultMixin):
    """Outcome, deal, binding constraints and tipping points of a scenario at one point."""

    scenario: Any
    variant: str | None
    overrides: Mapping[str, Any]
    state: Any
    outcome: str
    solution: Any
    constraints: tuple[Constraint, ...]
    binding_constraints: tuple[str, ...]
    tipping_points: Mapping[str, TippingPoint]
    claims: tuple[ClaimCheck, ...] = ()

    def _describe(self) -> str:
        text = f"{self.scenario.name!r}"
        if self.variant:
            text += f" [{self.variant}]"
        text += f" -> {self.outcome}"
        if self.binding_constraints:
            text += f"; binding: {', '.join(self.binding_constraints)}"
        n = len(self.tipping_points)
        return text + f"; {n} tipping point{'s' if n != 1 else ''}"

    @property
    def deal(self) -> dict[str, Any] | None:
        """The agreed deal; None when there is no agreement (or the tree settles it).

        With ``[issues]``: issue -> share going the first player's way, and each discrete
        issue -> the chosen option.  With
        ``bargaining.points``: player -> utility of the agreed point.
        """
        if self.outcome != "agreement" or self.solution is None:
            return None
        if self.solution.allocation is not None:
            out: dict[str, Any] = dict(self.solution.allocation)
            if self._option is not None:
                out.update(self._option.labels)  # discrete issues: the chosen options
            return out
        return dict(zip(self.scenario.players, self.solution.utilities, strict=True))

    @property
    def utilities(self) -> dict[str, Fraction] | None:
        """Each side's (credibility-discounted) utility from the deal, the discrete options'
        values included; None without one."""
        if self.deal is None:
            return None
        u = self.solution.utilities
        if self._option is not None:
            o = self._option.offset
            u = (u[0] + o[0], u[1] + o[1])
        return dict(zip(self.scenario.players, u, strict=True))

    @property
    def _option(self) -> Any:
        """The discrete options of the deal made (the offer under incomplete information)."""
        st = self.state
        return st.offer_option if st.probabilities is not None else st.option

    @property
    def probabilities(self) -> dict[str, Fraction] | None:
        """P(agreement), P(stalemate), P(war): exact for exact inputs, summing to 1."""
        p = self.state.probabilities
        return None if p is None else {k: p[k] for k in ("agreement", "stalemate", "war")}

    def labels(self) -> dict[str, Any]:
        """What the result rests on, labelled: ``facts`` (parameters whose source is a
        citation, and the scenario's sources), ``assumptions`` (parameters stated as an
        assumption or a calibration, each with the range the robustness check moves it over:
        +-20% of its value, clipped to its domain) and ``results`` (what the model computes)."""
        facts: dict[str, Any] = {}
        assumed: dict[str, Any] = {}
        for name, p in self.scenario.parameters.items():
            value = self.state.values[name]
            if p.source.startswith(("assumption", "calibrated")):
                lo, hi = sorted((value * Fraction(4, 5), value * Fraction(6, 5)))
                if p.domain is not None:
                    lo, hi = max(lo, p.domain[0]), min(hi, p.domain[1])
                assumed[name] = {
                    "value": to_jsonable(value),
                    "range": [to_jsonable(lo), to_jsonable(hi)],
                    "source": p.source,
                }
            else:
                facts[name] = {"value": to_jsonable(value), "source": p.source}
        return {
            "facts": {"parameters": facts, "sources": list(self.scenario.sources)},
            "assumptions": assumed,
            "results": [
                "outcome",
                "probabilities",
                "deal",
                "utilities",
                "kappa",
                "derived",
                "binding_constraints",
                "tipping_points",
                "no_deal_path",
                "war_probability",
            ],
        }

    @property
    def derived(self) -> dict[str, Fraction]:
        """The derived quantities at the analysed point, with the credibility discount."""
        out = {n: self.state.values[n] for n, _ in self.scenario.derived}
        if self.state.kappa is not None:
            out["kappa"] = self.state.kappa
        return out

    @property
    def red_lines(self) -> dict[str, dict[str, list[str]]] | None:
        """Discrete issue -> option -> the sides whose red line excludes it (None without
        discrete issues)."""
        if self.state.options is None:
            return None
        from negotiate.pipeline.options import blocked_by

        out: dict[str, dict[str, list[str]]] = {
            d.name: {o: [] for o in d.options} for d in self.scenario.discrete
        }
        for issue, by in blocked_by(self.state.options).items():
            out[issue].update(by)
        return out

    @property
    def parameters(self) -> dict[str, Fraction]:
        """The parameter values analysed (after variant and overrides)."""
        return {n: self.state.values[n] for n in self.scenario.parameters}

    def verify(self) -> Certificate:
        """Re-derive every part exactly: the no-deal equilibrium, the deal, the outcome
        (:func:`~negotiate.scenario.certify.certify_outcome`, by a route that shares no code
        with the pipeline), and that the outcome really differs on the two sides of each
        tipping point."""
        from negotiate.scenario.certify import certify_outcome
        from negotiate.scenario.evaluate import evaluate_point

        def outcome_at(
            scenario: Any, values: Mapping[str, Fraction], cache: dict[Any, Any] | None = None
        ) -> str:
            return evaluate_point(scenario, values, cache).outcome

        checks, notes = [], []
        quantities: dict[str, Any] = {}
        ok = True
        values = self.parameters
        if self.scenario.deterrence is not None:
            from negotiate.solvers.spe.solve import subgame_perfect

            tree = self.scenario.deterrence["tree"].bind(dict(self.state.values))
            cert = subgame_perfect(tree).verify()
            checks.append("no-deal game: subgame perfection re-checked at every node")
            ok = ok and cert.ok
            quantities["no_deal"] = cert.to_dict()
        if self.solution is not None:
            cert = self.solution.verify()
            checks.append("deal: Pareto optimality, individual rationality, optimality")
            ok = ok and cert.ok
            quantities["deal"] = cert.to_dict()
        good, again, failures = certify_outcome(self)
        checks.append(
            "outcome re-derived from the scenario's expressions, the no-deal strategy checked "
            "by one-shot deviations, and slacks by the fractional knapsack or a segment scan"
        )
        quantities["outcome"] = again
        ok = ok and good
        notes += failures
        cache: dict[Any, Any] = {}
        for name, tp in self.tipping_points.items():
            cert = tp.verify(self.scenario, values, lambda v: outcome_at(self.scenario, v, cache))
            quantities[f"tipping_point:{name}"] = cert.to_dict()
            checks.extend(cert.checks)
            notes.extend(cert.notes)
            ok = ok and cert.ok
        return Certificate(
            ok=ok, quantities=quantities, exact=True, checks=tuple(checks), notes=tuple(notes)
        )

    def summary(self) -> Summary:
        s = self.scenario
        fields: list[tuple[str, Any]] = [("scenario", s.title), ("outcome", self.outcome)]
        if self.variant:
            fields.append(("variant", self.variant))
        st = self.state
        if st.kappa is not None:
            fields.append(("credibility discount kappa", f"{float(st.kappa):.4f}"))
        fields.append(("disagreement point", tuple(f"{float(x):.4f}" for x in st.disagreement)))
        if st.no_deal is not None:
            fields.append(("if talks fail (SPE path)", " -> ".join(st.no_deal.path)))
        if self.utilities:
            fields.append(
                ("deal utilities", {k: f"{float(v):.4f}" for k, v in self.utilities.items()})
            )
        tables = []
        if self.deal:
            tables.append(
                Table(
                    f"Deal (share going {s.players[0]}'s way)",
                    ("issue", "share"),
                    tuple((k, f"{float(v):.4f}") for k, v in self.deal.items()),
                )
            )
        tables.append(
            Table(
                "Constraints",
                ("constraint", "holds", "slack"),
                tuple(
                    (
                        c.name,
                        "yes" if c.holds else "NO",
                        "" if c.slack is None else f"{float(c.slack):+.4f}",
                    )
                    for c in self.constraints
                ),
            )
        )
        if self.claims:
            tables.append(
                Table(
                    "Claims checked",
                    ("claim", "supported", "why"),
                    tuple((c.text, "yes" if c.supported else "no", c.detail) for c in self.claims),
                )
            )
        if self.tipping_points:
            tables.append(
                Table(
                    "Tipping points",
                    ("lever", "threshold", "exact", "direction", "then"),
                    tuple(
                        (
                            n,
                            f"{float(t.threshold):.4f}",
                            t.threshold_exact if t.method == "exact" else "(bisection)",
                            t.direction,
                            t.outcome_after,
                        )
                        for n, t in self.tipping_points.items()
                    ),
                )
            )
        return Summary(
            title=f"Scenario: {s.title}",
            fields=tuple(fields),
            tables=tuple(tables),
            notes=tuple(f"binding: {b}" for b in self.binding_constraints),
        )

    def to_dict(self, *, certificates: bool = True) -> dict[str, Any]:
        """JSON-ready: outcome, deal, binding constraints, tipping points, parameters, certs."""
        out: dict[str, Any] = {
            "scenario": self.scenario.name,
            "variant": self.variant,
            "outcome": self.outcome,
            "deal": to_jsonable(self.deal),
            "utilities": to_jsonable(self.utilities),
            "binding_constraints": list(self.binding_constraints),
            "constraints": [
                {
                    "name": c.name,
                    "holds": c.holds,
                    "slack": to_jsonable(c.slack),
                    "slack_float": None if c.slack is None else float(c.slack),
                }
                for c in self.constraints
            ],
            "tipping_points": {n: t.to_dict() for n, t in self.tipping_points.items()},
            "parameters": to_jsonable(self.parameters),
            "players": list(self.scenario.all_players),
            "probabilities": to_jsonable(self.probabilities),
            "derived": to_jsonable(self.derived),
            "kappa": to_jsonable(self.state.kappa),
            "disagreement": to_jsonable(self.state.disagreement),
            "no_deal_path": list(self.state.no_deal.path) if self.state.no_deal else None,
            "no_deal_values": (
                to_jsonable(dict(self.state.no_deal.values)) if self.state.no_deal else None
            ),
            "inert_parameters": dict(self.scenario.inert),
            "war_probability": to_jsonable(
                self.state.no_deal.war_probability if self.state.no_deal else None
            ),
            "claims": [
                {"name": c.name, "text": c.text, "supported": c.supported, "detail": c.detail}
                for c in self.claims
            ],
        }
        if self.state.options is not None:
            out["red_lines"] = self.red_lines
        out["labels"] = self.labels()
        if certificates:
            out["certificates"] = self.verify().to_dict()
        return out
