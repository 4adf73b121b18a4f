"""The distribution of each lever's tipping point over the prior.

At each of the first ``m`` Monte Carlo draws, the tipping point of a lever is found as in
:mod:`negotiate.scenario.tipping` (the lever value nearest to the draw's own value at which the
outcome changes, all other parameters at the draw), but in floats and for all draws and levers
at once:

1. the lever's domain is cut into ``GRID`` equal steps and every draw is evaluated at every
   grid point; walking outwards from the draw's value on each side, the first grid point with
   another outcome brackets the change;
2. every bracket is bisected ``BISECTIONS`` times (to ``2**-24`` of the domain), all levers
   and both sides in one vectorised evaluation per step;
3. of the two sides, the change nearer to the draw's value is kept.

The exact thresholds of :meth:`negotiate.Scenario.solve` are not recomputed per draw (that
costs a symbolic solve each); these are float brackets of width ``2**-24`` of the domain.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from negotiate.scenario.result import OUTCOMES
from negotiate.scenario.tipping import GRID
from negotiate.uncertainty.evaluate import Evaluator

__all__ = ["BISECTIONS", "QUANTILES", "tipping_distribution"]

BISECTIONS = 24
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)

#: One batch member: the lever, the draws (row indices) and the lever's values there.
_Task = tuple[str, np.ndarray, np.ndarray]


class _Batch:
    """Evaluates many (lever, draws, values) tasks in one call of the evaluator."""

    def __init__(self, evaluator: Evaluator, rows: np.ndarray) -> None:
        self.evaluator, self.rows, self.evaluations = evaluator, rows, 0

    def __call__(self, tasks: Sequence[_Task]) -> list[np.ndarray]:
        ev = self.evaluator
        sizes = [len(idx) for _, idx, _ in tasks]
        total = sum(sizes)
        if total == 0:
            return [np.empty(0, dtype=np.int8) for _ in tasks]
        rows = np.concatenate([self.rows[idx] for _, idx, _ in tasks])
        extra = {n: np.full(total, float(ev.values[n])) for n in ev.extra}
        start = 0
        for (lever, _, values), size in zip(tasks, sizes, strict=True):
            if lever in ev.names:
                rows[start : start + size, ev.names.index(lever)] = values
            else:
                extra[lever][start : start + size] = values
            start += size
        self.evaluations += total
        codes = ev.run(rows, extra).codes
        return np.split(codes, np.cumsum(sizes)[:-1])


def _grid(domain: tuple[Any, Any]) -> np.ndarray:
    return np.linspace(float(domain[0]), float(domain[1]), GRID + 1)


def tipping_distribution(
    scenario: Any, evaluator: Evaluator, rows: np.ndarray, levers: Sequence[str]
) -> tuple[dict[str, dict[str, Any]], int]:
    """Per lever: the share of draws with a tipping point, its quantiles, and the outcomes it
    leads to; and the number of evaluations.  ``evaluator`` must sweep every lever (as a
    column or an ``extra``)."""
    m = rows.shape[0]
    batch = _Batch(evaluator, rows)
    everyone = np.arange(m)
    levers = [
        lv
        for lv in levers
        if m and scenario.parameters[lv].domain[0] < scenario.parameters[lv].domain[1]
    ]
    base = {}
    for lever in levers:
        if lever in evaluator.names:
            base[lever] = rows[:, evaluator.names.index(lever)].copy()
        else:
            base[lever] = np.full(m, float(evaluator.values[lever]))
    o0 = dict(zip(levers, batch([(lv, everyone, base[lv]) for lv in levers]), strict=True))
    grids = {lv: _grid(scenario.parameters[lv].domain) for lv in levers}
    scans = batch([(lv, np.repeat(everyone, GRID + 1), np.tile(grids[lv], m)) for lv in levers])
    # brackets (inner has the draw's outcome, outer another) per lever and side
    brackets: list[list[Any]] = []
    for lever, scan in zip(levers, scans, strict=True):
        scan = scan.reshape(m, GRID + 1)
        grid = grids[lever]
        for side in (1, -1):
            inner, outer = base[lever].copy(), np.full(m, np.nan)
            found = np.zeros(m, dtype=bool)
            for k in range(GRID + 1) if side == 1 else range(GRID, -1, -1):
                beyond = grid[k] > base[lever] if side == 1 else grid[k] < base[lever]
                same = scan[:, k] == o0[lever]
                outer[beyond & ~found & ~same] = grid[k]
                found |= beyond & ~same
                inner[beyond & ~found & same] = grid[k]
            hit = np.flatnonzero(found)
            brackets.append([lever, hit, inner[hit], outer[hit]])
    for _ in range(BISECTIONS):
        mids = [(a + b) / 2 for _, _, a, b in brackets]
        codes = batch([(lv, hit, mid) for (lv, hit, _, _), mid in zip(brackets, mids, strict=True)])
        for br, mid, c in zip(brackets, mids, codes, strict=True):
            same = c == o0[br[0]][br[1]]
            br[2] = np.where(same, mid, br[2])
            br[3] = np.where(same, br[3], mid)
    after_codes = batch([(lv, hit, b) for lv, hit, _, b in brackets])
    out = {}
    for j, lever in enumerate(levers):
        thresholds = np.full(m, np.nan)
        after = np.full(m, -1, dtype=np.int64)
        best = np.full(m, np.inf)
        for k in (2 * j, 2 * j + 1):
            _, hit, a, b = brackets[k]
            t = (a + b) / 2
            dist = np.abs(t - base[lever][hit])
            closer = dist < best[hit]
            chosen = hit[closer]
            best[chosen], thresholds[chosen] = dist[closer], t[closer]
            after[chosen] = after_codes[k][closer]
        has = ~np.isnan(thresholds)
        entry: dict[str, Any] = {"draws": m, "share_with_tipping_point": float(has.mean())}
        if has.any():
            qs = np.quantile(thresholds[has], QUANTILES)
            entry["quantiles"] = {f"{q:g}": float(v) for q, v in zip(QUANTILES, qs, strict=True)}
            counts = np.bincount(after[has], minlength=len(OUTCOMES))
            entry["outcome_after"] = {o: int(counts[k]) for k, o in enumerate(OUTCOMES)}
            before = np.bincount(o0[lever][has].astype(np.int64), minlength=len(OUTCOMES))
            entry["outcome_before"] = {o: int(before[k]) for k, o in enumerate(OUTCOMES)}
        out[lever] = entry
    return out, batch.evaluations
