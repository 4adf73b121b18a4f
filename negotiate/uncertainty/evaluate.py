"""The scenario's pipeline at many parameter draws, through the vectorised sweep kernel.

:class:`Evaluator` compiles a scenario once with :func:`negotiate.sweeps.compile.compile_scenario`
(the evaluator behind ``negotiate.sweep``) over the uncertain parameters and evaluates rows of
draws chunk by chunk, keeping per draw only the outcome code, the ``boundary`` flag (a float tie
within ``1e-12``) and the smaller participation slack ``min_P (max{U_P : U >= d} - d_P)``.
Every chunk is independent, so memory is bounded by the chunk size and the result does not
depend on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from negotiate.scenario.result import OUTCOMES
from negotiate.sweeps.compile import compile_scenario

__all__ = ["CHUNK", "Evaluated", "Evaluator", "exact_outcome"]

#: Draws evaluated at once.
CHUNK = 32_768


@dataclass(frozen=True)
class Evaluated:
    """Per-draw outputs: outcome codes (indices into ``OUTCOMES``), boundary flags, slack."""

    codes: np.ndarray
    boundary: np.ndarray
    slack: np.ndarray | None

    def indicator(self, outcome: str) -> np.ndarray:
        """1.0 where the outcome is ``outcome``, else 0.0."""
        return (self.codes == OUTCOMES.index(outcome)).astype(float)


class Evaluator:
    """``scenario`` compiled over ``names`` (columns of the draws) plus ``extra`` parameters
    (swept but given explicitly), the others at their values after ``variant`` and
    ``overrides``."""

    def __init__(
        self,
        scenario: Any,
        names: Sequence[str],
        *,
        variant: str | None = None,
        overrides: Mapping[str, Fraction] | None = None,
        extra: Sequence[str] = (),
    ) -> None:
        self.scenario = scenario
        self.names = tuple(names)
        self.extra = tuple(x for x in extra if x not in self.names)
        self.variant = variant
        self.overrides = dict(overrides or {})
        self.values = scenario.values(self.overrides, variant)
        self.kernel = compile_scenario(
            scenario, self.names + self.extra, self.overrides or None, variant
        )
        players = scenario.players
        self.slack_keys = tuple(
            f"slack:participation:{p}"
            for p in players
            if any(o.name == f"slack:participation:{p}" for o in self.kernel.outputs)
        )

    def run(self, rows: np.ndarray, extra: Mapping[str, np.ndarray] | None = None) -> Evaluated:
        """Evaluate the draws ``rows`` (``n x len(names)``); ``extra`` gives the extra
        parameters' columns (default: their values)."""
        rows = np.asarray(rows, dtype=float)
        n = rows.shape[0]
        codes = np.empty(n, dtype=np.int8)
        boundary = np.empty(n, dtype=bool)
        slack = np.empty(n) if self.slack_keys else None
        for start in range(0, n, CHUNK):
            stop = min(start + CHUNK, n)
            cols = {name: rows[start:stop, j] for j, name in enumerate(self.names)}
            for name in self.extra:
                if extra is not None and name in extra:
                    cols[name] = np.asarray(extra[name], dtype=float)[start:stop]
                else:
                    cols[name] = np.full(stop - start, float(self.values[name]))
            if not cols:  # nothing uncertain: one point, broadcast
                out = self.kernel.evaluate({})
                out = {k: np.broadcast_to(np.asarray(v), (stop - start,)) for k, v in out.items()}
            else:
                out = self.kernel.evaluate(cols)
            codes[start:stop] = np.broadcast_to(out["outcome"], (stop - start,))
            boundary[start:stop] = np.broadcast_to(out["boundary"], (stop - start,))
            if slack is not None:
                s = np.minimum.reduce([np.asarray(out[k], dtype=float) for k in self.slack_keys])
                slack[start:stop] = np.broadcast_to(s, (stop - start,))
        return Evaluated(codes, boundary, slack)

    def exact_outcome(self, row: Sequence[float]) -> str:
        """The exact outcome at one draw (:func:`exact_outcome`)."""
        return exact_outcome(self.scenario, self.names, row, self.variant, self.overrides)


def exact_outcome(
    scenario: Any,
    names: Sequence[str],
    row: Sequence[float],
    variant: str | None = None,
    overrides: Mapping[str, Fraction] | None = None,
) -> str:
    """The exact outcome (``Scenario.solve``) at one draw, its floats read as their shortest
    decimals, after ``variant`` and ``overrides``."""
    point: dict[str, Any] = dict(overrides or {})
    point.update({n: Fraction(repr(float(x))) for n, x in zip(names, row, strict=True)})
    result = scenario.solve(point, variant=variant, tipping_points=False)
    return str(result.outcome)
