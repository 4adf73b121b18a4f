"""Monte Carlo over the priors: outcome probabilities with Wilson intervals, and the outcome
shares conditional on each parameter's decile.

With ``k`` of ``n`` independent draws giving an outcome, its probability is estimated by
``k / n`` with the Wilson score interval (Wilson 1927; Brown, Cai and DasGupta 2001, who
recommend it over the normal interval for proportions near 0 or 1)::

    (p + z^2/2n +- z sqrt(p(1 - p)/n + z^2/4n^2)) / (1 + z^2/n),   z = 1.959964 (95%)

Decile edges are the prior's own quantiles ``F^{-1}(k/10)``, so the bins need no second pass
over the draws; a discrete prior is binned by its values.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from negotiate.scenario.result import OUTCOMES
from negotiate.uncertainty.evaluate import CHUNK, Evaluator
from negotiate.uncertainty.priors import draw_rows, inverse_cdf

__all__ = ["Z95", "MonteCarlo", "bins_of", "monte_carlo", "shares", "wilson"]

#: The two-sided 95% normal quantile.
Z95 = 1.959963984540054


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``k / n``."""
    if n <= 0:
        return (0.0, 1.0)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = 0.0 if k == 0 else max(0.0, centre - half)  # exact ends: z^2/(n + z^2) from 0
    hi = 1.0 if k == n else min(1.0, centre + half)
    return (lo, hi)


def shares(codes: np.ndarray) -> dict[str, Any]:
    """Counts, shares and Wilson intervals of each outcome among ``codes``."""
    n = len(codes)
    counts = np.bincount(codes.astype(np.int64), minlength=len(OUTCOMES))
    return {
        o: {
            "count": int(counts[k]),
            "probability": float(counts[k]) / n if n else 0.0,
            "interval": wilson(int(counts[k]), n),
        }
        for k, o in enumerate(OUTCOMES)
    }


def bins_of(scenario: Any, name: str) -> tuple[np.ndarray, tuple[tuple[float, float], ...]]:
    """Inner bin edges and bin ranges: the prior's deciles, or its values when discrete."""
    prior = scenario.priors[name]
    if prior.kind == "discrete":
        values = [float(v) for v, w in zip(prior.values, prior.weights, strict=True) if w > 0]
        edges = np.array([(a + b) / 2 for a, b in itertools.pairwise(values)])
        return edges, tuple((v, v) for v in values)
    qs = inverse_cdf(prior, np.linspace(0.0, 1.0, 11))
    edges = np.unique(qs[1:-1])
    bounds = [float(qs[0]), *(float(e) for e in edges), float(qs[-1])]
    return edges, tuple((bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1))


@dataclass(frozen=True)
class MonteCarlo:
    """The Monte Carlo run: per-draw outcome codes and boundary flags, decile tables."""

    codes: np.ndarray
    boundary: np.ndarray
    deciles: dict[str, list[dict[str, Any]]]


def monte_carlo(
    scenario: Any, evaluator: Evaluator, names: Sequence[str], n: int, seed: int
) -> MonteCarlo:
    """Evaluate ``n`` prior draws of ``names`` (chunk by chunk; ``workers`` chunks at a time
    on a pool) and tabulate by decile."""
    codes = np.empty(n, dtype=np.int8)
    boundary = np.empty(n, dtype=bool)
    binning = {name: bins_of(scenario, name) for name in names}
    tallies = {
        name: np.zeros((len(ranges), len(OUTCOMES)), dtype=np.int64)
        for name, (_, ranges) in binning.items()
    }
    step = CHUNK * getattr(evaluator, "workers", 1)
    for start in range(0, n, step):
        stop = min(start + step, n)
        rows = draw_rows(scenario, names, seed, start, stop)
        ev = evaluator.run(rows)
        codes[start:stop] = ev.codes
        boundary[start:stop] = ev.boundary
        for j, name in enumerate(names):
            edges, ranges = binning[name]
            b = np.searchsorted(edges, rows[:, j], side="right")
            np.add.at(tallies[name], (b, ev.codes.astype(np.int64)), 1)
    deciles = {}
    for name in names:
        _, ranges = binning[name]
        table = []
        for (lo, hi), counts in zip(ranges, tallies[name], strict=True):
            total = int(counts.sum())
            row: dict[str, Any] = {"range": [lo, hi], "n": total}
            row.update(
                {
                    o: (int(c) / total if total else 0.0)
                    for o, c in zip(OUTCOMES, counts, strict=False)
                }
            )
            table.append(row)
        deciles[name] = table
    return MonteCarlo(codes, boundary, deciles)
