"""One-at-a-time sensitivities: each parameter moved alone to the ends of its range.

For every parameter p (the scenario's levers by default) and an output y (by default the
first player's participation slack), ``y`` is evaluated at the baseline and with p at the low
and at the high end of its range, every other parameter at its baseline: the data of a tornado
chart.  The range is p's domain, or ``baseline +- span * (domain width)`` clipped to the
domain.  One compiled evaluation covers all ``1 + 2P`` points; :meth:`Sensitivity.verify`
re-solves them exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from negotiate.errors import ModelError
from negotiate.results import Certificate, ResultMixin, Summary, Table

__all__ = ["Sensitivity", "SensitivityRow", "one_at_a_time"]

_REL = 1e-9


@dataclass(frozen=True)
class SensitivityRow:
    """One parameter moved alone: its range, the output and the outcome at both ends."""

    parameter: str
    low: float
    high: float
    value_low: float
    value_high: float
    outcome_low: str
    outcome_high: str

    @property
    def swing(self) -> float:
        return abs(self.value_high - self.value_low)


@dataclass(frozen=True, eq=False, repr=False)
class Sensitivity(ResultMixin):
    """One-at-a-time sensitivities of ``output``, widest swing first."""

    scenario: Any
    output: str
    baseline_value: float
    baseline_outcome: str
    rows: tuple[SensitivityRow, ...]
    overrides: Mapping[str, Fraction]
    variant: str | None
    span: float | None

    def verify(self) -> Certificate:
        """Re-solve every evaluated point exactly: outcome and output to 1e-9 relative."""
        from negotiate.sweeps.outputs import exact_outputs

        s = self.scenario
        points: list[tuple[dict[str, float], float, str]] = [
            ({}, self.baseline_value, self.baseline_outcome)
        ]
        for r in self.rows:
            points.append(({r.parameter: r.low}, r.value_low, r.outcome_low))
            points.append(({r.parameter: r.high}, r.value_high, r.outcome_high))
        worst, mismatches = 0.0, 0
        for change, value, outcome in points:
            values = {**self.overrides, **{k: Fraction(repr(v)) for k, v in change.items()}}
            exact = exact_outputs(s, s.solve(values, variant=self.variant, tipping_points=False))
            mismatches += exact["outcome"] != outcome
            ref = exact[self.output]
            if not (np.isnan(ref) and np.isnan(value)):
                worst = max(worst, abs(value - ref) / max(1.0, abs(ref)))
        return Certificate(
            mismatches == 0 and worst <= _REL,
            {"points": len(points), "outcome_mismatches": mismatches, "max_relative_error": worst},
            exact=False,
            tolerance=_REL,
            checks=("every point re-solved exactly (Scenario.solve)",),
        )

    def summary(self) -> Summary:
        rows = tuple(
            (
                r.parameter,
                f"{r.low:.4g} .. {r.high:.4g}",
                f"{r.value_low:+.4g}",
                f"{r.value_high:+.4g}",
                f"{r.outcome_low} / {r.outcome_high}",
            )
            for r in self.rows
        )
        headers = ("parameter", "range", "output at low", "output at high", "outcome low / high")
        return Summary(
            f"One-at-a-time sensitivity of {self.output}",
            (
                ("scenario", self.scenario.title),
                ("output", self.output),
                ("at baseline", f"{self.baseline_value:+.4g} ({self.baseline_outcome})"),
                (
                    "range",
                    "domain" if self.span is None else f"baseline +- {self.span:g} of domain",
                ),
            ),
            (Table("Sensitivities (widest swing first)", headers, rows),),
        )


def one_at_a_time(
    scenario: Any,
    output: str | None = None,
    parameters: Sequence[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    variant: str | None = None,
    span: float | None = None,
) -> Sensitivity:
    """Tornado data for ``output`` (see the module docstring)."""
    from negotiate.scenario.evaluate import check_overrides
    from negotiate.sweeps.compile import compile_scenario
    from negotiate.sweeps.outputs import OUTCOMES, output_specs
    from negotiate.sweeps.plan import as_scenario

    s = as_scenario(scenario)
    names = list(parameters) if parameters is not None else list(s.levers or s.parameters)
    fixed = check_overrides(dict(overrides or {}), s.parameters, "overrides")
    domains = {}
    for k, n in enumerate(names):
        if n not in s.parameters:
            raise ModelError(
                f"parameters[{k}]", n, f"unknown parameter; declared: {list(s.parameters)}"
            )
        domain = s.parameters[n].domain
        if domain is None:
            raise ModelError(f"parameters[{k}]", n, "has no domain to move across")
        domains[n] = domain
    if span is not None and not 0 < span <= 1:
        raise ModelError("span", span, "expected a share of the domain in (0, 1]")
    floats = {o.name for o in output_specs(s) if o.kind == "float"}
    if output is None:
        if s.issues or s.points is not None:
            output = f"slack:participation:{s.players[0]}"
        elif s.deterrence is not None:
            output = "war_probability"
    if output not in floats:
        raise ModelError("output", output, f"expected one of {sorted(floats)}")
    base = s.values(fixed, variant)
    ranges = []
    for n in names:
        lo, hi = (float(x) for x in domains[n])
        if span is not None:
            b, width = float(base[n]), hi - lo
            lo, hi = max(lo, b - span * width), min(hi, b + span * width)
        ranges.append((lo, hi))
    kernel = compile_scenario(s, names, fixed, variant)
    cols = {n: np.full(1 + 2 * len(names), float(base[n])) for n in names}
    for k, (n, (lo, hi)) in enumerate(zip(names, ranges, strict=True)):
        cols[n][1 + 2 * k], cols[n][2 + 2 * k] = lo, hi
    out = kernel.evaluate(cols)
    y, o = out[output], [OUTCOMES[int(c)] for c in out["outcome"]]
    rows = [
        SensitivityRow(
            n, lo, hi, float(y[1 + 2 * k]), float(y[2 + 2 * k]), o[1 + 2 * k], o[2 + 2 * k]
        )
        for k, (n, (lo, hi)) in enumerate(zip(names, ranges, strict=True))
    ]
    rows.sort(key=lambda r: -r.swing if np.isfinite(r.swing) else 0.0)
    return Sensitivity(s, output, float(y[0]), o[0], tuple(rows), fixed, variant, span)
