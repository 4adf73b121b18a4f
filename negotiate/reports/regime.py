"""The regime map of a report: the outcome over a grid of two levers, from ``negotiate.sweep``.

The axes are the first two levers with a tipping point (or those asked for); every other
parameter stays at the analysed point.  The sweep engine evaluates the grid in floats; the
certificate re-derives the outcome exactly (:func:`negotiate.scenario.analysis.outcome_at`)
at the corners and the centre of the grid and at the grid point nearest the analysed one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from negotiate.errors import ModelError
from negotiate.results import Certificate

__all__ = ["RegimeMap", "regime_axes", "regime_map"]


@dataclass(frozen=True, eq=False)
class RegimeMap:
    """Outcome labels ``outcomes[i][j]`` at ``(xs[i], ys[j])``; the baseline is ``(bx, by)``."""

    x: str
    y: str
    xs: tuple[Fraction, ...]
    ys: tuple[Fraction, ...]
    outcomes: tuple[tuple[str, ...], ...]
    baseline: tuple[Fraction, Fraction]
    result: Any
    dataset: Any = None

    @property
    def size(self) -> int:
        return len(self.xs) * len(self.ys)

    def shares(self) -> dict[str, int]:
        """How many grid points have each outcome."""
        out: dict[str, int] = {}
        for row in self.outcomes:
            for o in row:
                out[o] = out.get(o, 0) + 1
        return out

    def to_value(self) -> dict[str, Any]:
        return {
            "x": self.x,
            "y": self.y,
            "xs": list(self.xs),
            "ys": list(self.ys),
            "outcomes": [list(r) for r in self.outcomes],
            "baseline": list(self.baseline),
        }

    def certificate(self, check: Any) -> Certificate:
        """Spot checks against the exact per-point analysis (see the module docstring)."""
        base = self.result.parameters
        nx, ny = len(self.xs), len(self.ys)
        spots = {(0, 0), (0, ny - 1), (nx - 1, 0), (nx - 1, ny - 1), (nx // 2, ny // 2)}
        bi = min(range(nx), key=lambda i: abs(self.xs[i] - self.baseline[0]))
        bj = min(range(ny), key=lambda j: abs(self.ys[j] - self.baseline[1]))
        spots.add((bi, bj))
        bad = []
        for i, j in sorted(spots):
            exact = check.outcome_at({**base, self.x: self.xs[i], self.y: self.ys[j]})
            if exact != self.outcomes[i][j]:
                bad.append(
                    f"({self.xs[i]}, {self.ys[j]}): sweep {self.outcomes[i][j]}, exact {exact}"
                )
        return Certificate(
            ok=not bad,
            quantities={"spot_checks": len(spots), "disagreements": len(bad)},
            exact=True,
            checks=(
                "sweep outcomes re-derived exactly at the corners, the centre and the baseline",
            ),
            notes=tuple(bad),
        )


def regime_axes(result: Any) -> tuple[str, str] | None:
    """The first two levers with a tipping point, or None when there are fewer than two."""
    levers = [n for n in result.scenario.levers if n in result.tipping_points]
    return (levers[0], levers[1]) if len(levers) >= 2 else None


def regime_map(
    result: Any,
    axes: Sequence[str] | None,
    resolution: int,
    progress: Callable[[str, int, int], None] | None = None,
) -> RegimeMap | None:
    """Sweep the outcome over two levers' domains (``resolution`` points each)."""
    scenario = result.scenario
    chosen = tuple(axes) if axes is not None else regime_axes(result)
    if chosen is None:
        return None
    if len(chosen) != 2 or chosen[0] == chosen[1]:
        raise ModelError("regime", list(chosen), "give two different parameter names")
    if not 2 <= resolution <= 1001:
        raise ModelError("resolution", resolution, "must lie in [2, 1001]")
    grid: dict[str, str] = {}
    for name in chosen:
        p = scenario.parameters.get(name)
        if p is None or p.domain is None:
            raise ModelError("regime", name, "not a parameter with a domain")
        grid[name] = f"{p.domain[0]}:{p.domain[1]}:{resolution}"
    from negotiate.sweeps.api import sweep

    overrides: Mapping[str, Any] = {k: v for k, v in result.parameters.items() if k not in chosen}

    def tick(done: int, total: int) -> None:
        if progress is not None:
            progress("regime map", done, total)

    data = sweep(scenario, grid=grid, overrides=overrides, progress=tick).data
    x, y = chosen
    xs = tuple(_axis(scenario, x, resolution))
    ys = tuple(_axis(scenario, y, resolution))
    labels = np.asarray(data["outcome"].transpose(x, y).values).astype(str)
    outcomes = tuple(tuple(str(v) for v in row) for row in labels)
    base = (result.parameters[x], result.parameters[y])
    return RegimeMap(x, y, xs, ys, outcomes, base, result, data)


def _axis(scenario: Any, name: str, n: int) -> list[Fraction]:
    lo, hi = scenario.parameters[name].domain
    return [lo + (hi - lo) * Fraction(k, n - 1) for k in range(n)]
