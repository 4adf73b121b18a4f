"""Certificates of the report's findings, each re-derived by a route of its own.

* Participation slacks ``max{U_i : U_j >= d_j} - d_i``: for linear issue spaces by the
  fractional knapsack (give the other side the issues it values most per unit of one's own
  utility; Dantzig 1957), for a hull of outcome points by checking every segment between two
  points -- neither uses the polygon code the scenario layer uses.
* The credibility discount: its closed form (the expectation over the promiser's types),
  written out afresh.
* The outcome and tipping points: :func:`negotiate.scenario.analysis.outcome_at` at the point
  and on both sides of each bracket.
* The no-deal game: subgame perfection re-checked at every node of the bound tree; claims
  about threats by :meth:`SPEResult.credible`; conditions by sympy's own truth evaluation.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import sympy as sp

from negotiate.results import Certificate
from negotiate.scenario.analysis import outcome_at
from negotiate.scenario.certify import (
    certify_outcome,
    knapsack_slack,
    segment_slack,
)

__all__ = ["Checker"]


def _cert(ok: bool, checks: tuple[str, ...], **quantities: Any) -> Certificate:
    return Certificate(ok=bool(ok), quantities=quantities, exact=True, checks=checks)


class Checker:
    """Certificates for the findings of one analysed scenario (caches shared work)."""

    def __init__(self, result: Any) -> None:
        self.result = result
        self.scenario = result.scenario
        self.values: Mapping[str, Fraction] = result.state.values
        self._outcomes: dict[Any, str] = {}
        self._spe_cache: dict[Any, Any] = {}
        self._spe: Any = None

    # ------------------------------------------------------------------ outcome
    def outcome_at(self, values: Mapping[str, Fraction]) -> str:
        key = tuple(sorted(values.items()))
        if key not in self._outcomes:
            self._outcomes[key] = outcome_at(self.scenario, values, self._spe_cache)
        return self._outcomes[key]

    def outcome(self, values: Mapping[str, Fraction], expected: str) -> Certificate:
        if dict(values) == self.result.parameters and expected == self.result.outcome:
            ok, again, failures = certify_outcome(self.result)
            return Certificate(
                ok=ok,
                quantities={"outcome": again.get("outcome")},
                exact=True,
                checks=("outcome re-derived from the scenario's expressions at the point",),
                notes=tuple(failures),
            )
        at = self.outcome_at(values)
        return _cert(
            at == expected,
            ("outcome re-derived from the layers at the point",),
            outcome=at,
        )

    def tipping(self, tp: Any) -> Certificate:
        base = self.result.parameters
        inside, outside = tp.bracket if tp.direction == "up" else tp.bracket[::-1]
        before = self.outcome_at({**base, tp.parameter: inside})
        after = self.outcome_at({**base, tp.parameter: outside})
        ok = (
            before == tp.outcome_before
            and after == tp.outcome_after
            and tp.bracket[0] <= tp.threshold <= tp.bracket[1]
        )
        return _cert(
            ok,
            (
                "outcome re-derived on both sides of the bracket",
                "threshold lies inside the bracket",
            ),
            before=before,
            after=after,
            bracket_width=tp.bracket[1] - tp.bracket[0],
        )

    def point(self, point: Any) -> Certificate:
        """A counterfactual point: its outcome re-derived and its deal re-checked."""
        again = self.outcome_at(point.values)
        ok = again == point.outcome
        checks = ["outcome re-derived from the layers at the point"]
        if point.solution is not None:
            ok = ok and point.solution.verify().ok
            checks.append("deal: feasibility, rationality, Pareto optimality, optimality")
        return _cert(ok, tuple(checks), outcome=again)

    def point_structural(self, point: Any) -> Certificate:
        """A point with one layer switched off: slacks re-derived, deal re-checked."""
        st = point.state
        cert = self.slacks(
            st.weights, st.points, st.disagreement, point.slacks, st.bounds, st.option
        )
        ok, checks = cert.ok, list(cert.checks)
        ratified = all(s >= 0 for s in st.ratification.values()) and st.admissible is not False
        zone = point.slacks is not None and min(point.slacks) > 0 and ratified
        conditions = all(good for good, _ in st.conditions.values())
        ok = ok and (point.outcome == "agreement") == (zone and conditions)
        checks.append("outcome consistent with the slacks and the conditions")
        if point.solution is not None:
            ok = ok and point.solution.verify().ok
            checks.append("deal: feasibility, rationality, Pareto optimality, optimality")
        return _cert(ok, tuple(checks), slacks=cert.quantities["slacks"])

    # ------------------------------------------------------------------ bargaining
    def slacks(
        self,
        weights: Mapping[str, tuple[Fraction, Fraction]] | None,
        points: Any,
        d: tuple[Fraction, Fraction],
        expected: tuple[Fraction, Fraction],
        bounds: tuple[Fraction, Fraction] | None = None,
        option: Any = None,
    ) -> Certificate:
        """Participation slacks recomputed independently (knapsack or segment scan): each
        side's best value when the other gets its bound (its floor raised to ``d``), less
        its ``d``; with a chosen combination of discrete options, on the divisible issues
        with ``d`` and the bounds less the options' values."""
        e = d if bounds is None else bounds
        if option is not None:
            o = option.offset
            d, e = (d[0] - o[0], d[1] - o[1]), (e[0] - o[0], e[1] - o[1])
        if weights is not None and self.scenario.issues:
            w = [x for x in weights.values() if x != (0, 0)]
            at = (knapsack_slack(w, e, 0), knapsack_slack(w, e, 1))
            how = "participation slacks re-derived by the fractional knapsack on the issues"
        else:
            at = (segment_slack(points, e, 0), segment_slack(points, e, 1))
            how = "participation slacks re-derived over every segment between outcome points"
        again = (at[0] + e[0] - d[0], at[1] + e[1] - d[1])
        return _cert(again == tuple(expected), (how,), slacks=again)

    def solution(self, solution: Any) -> Certificate:
        cert = solution.verify()
        return Certificate(
            ok=cert.ok,
            quantities=dict(cert.quantities),
            exact=cert.exact,
            tolerance=cert.tolerance,
            checks=tuple(f"bargaining solution: {c}" for c in cert.checks),
            notes=cert.notes,
        )

    def kappa(self) -> Certificate:
        from negotiate.expr import substitute

        c = self.scenario.commitment
        delta, rho, g = (substitute(x, self.values) for x in (c.patience, c.hazard, c.guarantee))
        # written out here rather than imported: the present value of a flow that ends with
        # per-period hazard rho (1 - g), relative to a permanent flow (a geometric series);
        # with types, its expectation over the promiser's (fixed) type
        types = [(substitute(p, self.values), substitute(h, self.values)) for _, p, h in c.types]
        if not types:
            types = [(1, rho)]
        again = sum(p * (1 - delta) / (1 - delta * (1 - h * (1 - g))) for p, h in types)
        return _cert(
            again == self.result.state.kappa,
            ("kappa re-derived from its closed form (expectation over the types)",),
            kappa=again,
        )

    # ------------------------------------------------------------------ conditions
    def truth(self, condition: sp.Basic, expected: bool) -> Certificate:
        """A condition's truth decided by sympy after exact substitution."""
        subs = {
            s: sp.Rational(self.values[s.name].numerator, self.values[s.name].denominator)
            for s in condition.free_symbols
        }
        out = condition.xreplace(subs)
        decided = out in (sp.true, sp.false)
        return _cert(
            decided and bool(out) == expected,
            ("condition decided by sympy at the exact values",),
            truth=bool(out) if decided else str(out),
        )

    def expression(self, expr: sp.Basic, expected: Fraction, what: str) -> Certificate:
        from negotiate.expr import substitute

        again = substitute(expr, self.values, field=what)
        return _cert(again == expected, (f"{what} re-evaluated exactly",), value=again)

    def domain(self, name: str) -> Certificate:
        p = self.scenario.parameters[name]
        v = self.result.parameters[name]
        ok = p.domain is None or p.domain[0] <= v <= p.domain[1]
        return _cert(ok, ("value lies in its declared domain",), value=v)

    # ------------------------------------------------------------------ no-deal game
    def spe(self) -> Any:
        if self._spe is None:
            from negotiate.solvers.spe.solve import subgame_perfect

            tree = self.scenario.deterrence["tree"].bind(dict(self.values))
            self._spe = subgame_perfect(tree)
        return self._spe

    def no_deal(self) -> Certificate:
        spe = self.spe()
        cert = spe.verify()
        nd = self.result.state.no_deal
        same = tuple(spe.equilibria[0].path) == tuple(nd.path) and all(
            spe.equilibria[0].payoffs[p] == nd.values[p] for p in self.scenario.players
        )
        return _cert(
            cert.ok and same,
            (
                "subgame perfection re-checked at every decision node",
                "equilibrium path and no-deal values re-derived",
            ),
            max_regret=cert.quantities.get("max_regret"),
        )

    def credible(self, path: tuple[str, ...], action: str, expected: bool) -> Certificate:
        again = self.spe().credible(path, action)
        return _cert(
            again == expected,
            ("credibility re-checked in the subgame-perfect equilibria",),
            credible=again,
        )

    def threat(self, t: Any) -> Certificate:
        """A threat's margin: its symbolic condition at the point equals the exact margin,
        and it is played exactly when the equilibrium re-derivation says so."""
        from negotiate.expr import substitute

        at = substitute(t.condition, self.values, field="threat")
        chosen = self.spe().equilibria[0].strategy[t.node] == t.action
        return _cert(
            at == t.margin and chosen == t.credible and (t.credible or t.margin <= 0),
            (
                "symbolic credibility condition evaluated at the point equals the margin",
                "action played re-checked in the subgame-perfect equilibrium",
            ),
            margin=at,
        )
