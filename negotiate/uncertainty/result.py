"""The frozen result of :func:`negotiate.uncertainty.uncertainty`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from negotiate.results import Certificate, ResultMixin, Summary, Table, to_jsonable
from negotiate.scenario.result import OUTCOMES
from negotiate.uncertainty.priors import BLOCK, draw_rows

__all__ = ["UncertaintyResult", "top_sobol"]


def top_sobol(
    detail: Mapping[str, Mapping[str, float]], k: int | None = None
) -> list[tuple[str, Mapping[str, float]]]:
    """The parameters by decreasing total index (then first-order index, then name)."""
    ranked = sorted(detail.items(), key=lambda kv: (-kv[1]["total"], -kv[1]["first"], kv[0]))
    return ranked if k is None else ranked[:k]


@dataclass(frozen=True, eq=False, repr=False)
class UncertaintyResult(ResultMixin):
    """Outcome probabilities over the priors, their sensitivity and the tipping points' spread.

    ``probabilities`` and ``intervals`` (Wilson, 95%) are per outcome; ``deciles`` maps each
    uncertain parameter to the outcome shares in each decile of its prior; ``tipping`` maps
    each lever to the distribution of its tipping point; ``sobol_detail`` maps each output
    (``agreement``, ``stalemate``, ``war``, ``participation_slack``) to the Sobol' indices
    with confidence half-widths; ``sobol`` (property) is the indices of ``sobol_output``.
    """

    scenario: Any = field(repr=False)
    variant: str | None
    draws: int
    seed: int
    parameters: tuple[str, ...]
    priors: Mapping[str, str]
    fixed: tuple[str, ...]
    baseline_outcome: str
    probabilities: Mapping[str, float]
    intervals: Mapping[str, tuple[float, float]]
    counts: Mapping[str, int]
    boundary: int
    deciles: Mapping[str, Any]
    tipping: Mapping[str, Any]
    sobol_output: str | None
    sobol_detail: Mapping[str, Any]
    sobol_base: int
    morris: Mapping[str, Any] | None
    evaluations: int
    seconds: float
    notes: tuple[str, ...]
    codes: np.ndarray = field(repr=False)
    boundary_flags: np.ndarray = field(repr=False)

    @property
    def sobol(self) -> dict[str, dict[str, float]]:
        """``{parameter: {"first": S_i, "total": S_Ti}}`` of ``sobol_output``."""
        if self.sobol_output is None:
            return {}
        return {
            n: {"first": v["first"], "total": v["total"]}
            for n, v in self.sobol_detail[self.sobol_output].items()
        }

    def _describe(self) -> str:
        probs = ", ".join(f"{o} {self.probabilities[o]:.3f}" for o in OUTCOMES)
        return f"{self.draws} draws of {len(self.parameters)} parameters: {probs}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; ``probabilities`` and ``sobol`` are the fixed public keys."""
        return {
            "type": "UncertaintyResult",
            "scenario": self.scenario.title,
            "variant": self.variant,
            "draws": self.draws,
            "seed": self.seed,
            "parameters": list(self.parameters),
            "priors": dict(self.priors),
            "fixed": list(self.fixed),
            "baseline_outcome": self.baseline_outcome,
            "probabilities": dict(self.probabilities),
            "intervals": {o: list(v) for o, v in self.intervals.items()},
            "counts": dict(self.counts),
            "boundary_draws": self.boundary,
            "sobol_output": self.sobol_output,
            "sobol": self.sobol,
            "sobol_detail": to_jsonable(self.sobol_detail),
            "sobol_base_samples": self.sobol_base,
            "morris": to_jsonable(self.morris),
            "deciles": to_jsonable(self.deciles),
            "tipping": to_jsonable(self.tipping),
            "evaluations": self.evaluations,
            "seconds": self.seconds,
            "notes": list(self.notes),
        }

    def summary(self) -> Summary:
        """Probabilities with intervals, the largest Sobol' indices and the tipping spread."""
        fields: list[tuple[str, Any]] = [
            ("scenario", self.scenario.title + (f" ({self.variant})" if self.variant else "")),
            ("draws", f"{self.draws} (seed {self.seed})"),
            ("uncertain parameters", len(self.parameters)),
            ("baseline outcome", self.baseline_outcome),
        ]
        for o in OUTCOMES:
            lo, hi = self.intervals[o]
            fields.append((f"P({o})", f"{self.probabilities[o]:.4f}  [{lo:.4f}, {hi:.4f}]"))
        fields.append(("draws near a tie (1e-12)", self.boundary))
        fields.append(("time", f"{self.seconds:.2f} s, {self.evaluations} evaluations"))
        tables = []
        if self.sobol_output is not None:
            detail = self.sobol_detail[self.sobol_output]
            tables.append(
                Table(
                    f"Sobol' indices of {self.sobol_output} (N = {self.sobol_base}), largest "
                    "total first",
                    ("parameter", "first", "+-", "total", "+-"),
                    tuple(
                        (
                            n,
                            f"{v['first']:.3f}",
                            f"{v['first_conf']:.3f}",
                            f"{v['total']:.3f}",
                            f"{v['total_conf']:.3f}",
                        )
                        for n, v in top_sobol(detail, 10)
                    ),
                )
            )
            top = top_sobol(detail, 1)[0][0]
            tables.append(
                Table(
                    f"outcome shares by decile of {top}",
                    ("range", "draws", *OUTCOMES),
                    tuple(
                        (
                            f"{r['range'][0]:.4g}-{r['range'][1]:.4g}",
                            r["n"],
                            *(f"{r[o]:.3f}" for o in OUTCOMES),
                        )
                        for r in self.deciles[top]
                    ),
                )
            )
        if self.tipping:
            rows = []
            for lever, t in self.tipping.items():
                q = t.get("quantiles")
                shown = (
                    "none" if q is None else f"{q['0.05']:.4g} / {q['0.5']:.4g} / {q['0.95']:.4g}"
                )
                rows.append((lever, f"{t['share_with_tipping_point']:.3f}", shown))
            tables.append(
                Table(
                    "tipping points over the prior (share of draws with one; 5% / 50% / 95%)",
                    ("lever", "share", "quantiles"),
                    tuple(rows),
                )
            )
        return Summary(
            f"Uncertainty: {self.scenario.title}", tuple(fields), tuple(tables), self.notes
        )

    def verify(self, points: int = 20) -> Certificate:
        """Re-solve ``points`` draws exactly (``Scenario.solve``) and compare outcomes.

        Draws flagged as within ``1e-12`` of a tie are skipped (floats may decide them either
        way).  The draws are regenerated from the seed, so nothing is stored per draw but its
        outcome code.
        """
        from negotiate.uncertainty.evaluate import exact_outcome

        pool = min(self.draws, BLOCK)
        rng = np.random.default_rng(self.seed)
        picks = np.sort(rng.choice(pool, size=min(points, pool), replace=False))
        rows = draw_rows(self.scenario, self.parameters, self.seed, 0, pool)
        mismatches = []
        skipped = 0
        for i in picks:
            if self.boundary_flags[i]:
                skipped += 1
                continue
            exact = exact_outcome(self.scenario, self.parameters, rows[i], self.variant)
            if exact != OUTCOMES[int(self.codes[i])]:
                mismatches.append(int(i))
        checked = len(picks) - skipped
        # the reported probabilities are the outcome counts over the draws
        off = max(abs(self.probabilities[o] - self.counts[o] / self.draws) for o in OUTCOMES)
        total = sum(self.counts[o] for o in OUTCOMES)
        return Certificate(
            ok=not mismatches and checked > 0 and off <= 1e-12 and total == self.draws,
            quantities={
                "probability_vs_count": off,
                "counted_draws": total,
                "checked": checked,
                "boundary_skipped": skipped,
                "mismatches": len(mismatches),
                "mismatched_draws": tuple(mismatches),
            },
            exact=False,
            tolerance=1e-12,
            checks=(f"exact outcome = vectorised outcome at {checked} re-solved draws",),
        )
