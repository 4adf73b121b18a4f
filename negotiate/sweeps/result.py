"""``SweepResult``: what :func:`negotiate.sweep` and :func:`negotiate.read_sweep` return.

A sweep result holds the ``xarray.Dataset`` of the sweep (``.data``: one dimension per swept
parameter for a grid, a ``point`` dimension for samples; variables as in
:mod:`negotiate.sweeps.outputs`) and the Parquet directory it was written to (``.path``,
``None`` when kept in memory).  It follows the result contract of :mod:`negotiate.results`:

* ``summary()`` -- the share of each outcome and, for grids, the tipping-point lines along
  every swept parameter (the first grid step at which the outcome changes);
* ``verify()`` -- re-solves a random sample of points with the scenario's exact ``solve`` and
  compares outcomes and numbers (:func:`negotiate.sweeps.analysis.verify_sweep`);
* ``plot()`` -- the regime map over two swept parameters;
* ``to_dict()`` -- JSON-ready: the sweep's description, the outcome shares and the tipping
  lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from negotiate.errors import ModelError, NotApplicableError
from negotiate.results import Certificate, ResultMixin, Summary, to_jsonable
from negotiate.scenario.result import OUTCOMES
from negotiate.sweeps.analysis import sweep_summary, tipping_curve, verify_sweep

if TYPE_CHECKING:
    import xarray as xr
    from matplotlib.figure import Figure

__all__ = ["SweepResult", "set_plotter"]

#: The figure function ``plot()`` draws with: ``(dataset, x, y, **options) -> Figure``.  The
#: figures layer sits above the sweeps, so the package sets it (:func:`set_plotter`).
_PLOTTER: list[Callable[..., Any]] = []


def set_plotter(draw: Callable[..., Any]) -> None:
    """Set the function :meth:`SweepResult.plot` draws the regime map with."""
    _PLOTTER[:] = [draw]


@dataclass(frozen=True, eq=False, repr=False)
class SweepResult(ResultMixin):
    """A finished sweep: ``data`` (the ``xarray.Dataset``), ``path`` (its Parquet directory,
    or None in memory), and ``run`` (the run record with timings and engine; None when read
    back from disk)."""

    data: Any
    path: Path | None = None
    run: Any = None
    _scenario: Any = None

    # ------------------------------------------------------------------ contract
    @property
    def mode(self) -> str:
        """``"grid"`` or ``"samples"``."""
        return str(self.data.attrs.get("mode", ""))

    @property
    def parameters(self) -> tuple[str, ...]:
        """The swept parameters, in order."""
        if self.mode == "grid" and "point" not in self.data.outcome.dims:
            return tuple(str(d) for d in self.data.outcome.dims)
        return tuple(str(c) for c in self.data.coords if c != "point")

    @property
    def n_points(self) -> int:
        return int(self.data.outcome.size)

    def outcome_shares(self) -> dict[str, float]:
        """The share of the points with each outcome."""
        labels = np.asarray(self.data.outcome.values).ravel()
        total = max(1, labels.size)
        return {o: float(np.count_nonzero(labels == o)) / total for o in OUTCOMES}

    def _describe(self) -> str:
        shares = ", ".join(f"{o} {100 * v:.0f}%" for o, v in self.outcome_shares().items() if v)
        where = "in memory" if self.path is None else "on disk"
        title = self.data.attrs.get("title", "")
        return (
            f"{self.n_points} points of {title!r} over {', '.join(self.parameters)} "
            f"({self.mode}, {where}): {shares or 'no points'}"
        )

    def summary(self) -> Summary:
        """Outcome shares and, for grids, the tipping-point lines along each parameter."""
        if self.run is not None:
            return self.run.summary()
        return sweep_summary(self.data)

    def verify(self, points: int = 20, seed: int = 0, scenario: Any = None) -> Certificate:
        """Re-solve ``points`` sampled points exactly with the scenario's ``solve`` and
        compare outcomes (except at boundary points) and numbers (1e-9 relative).

        ``scenario`` (a :class:`~negotiate.scenario.Scenario` or a path) is needed for a sweep
        read back from disk; its fingerprint must match the sweep's."""
        s = scenario if scenario is not None else self._scenario
        if s is None and self.run is not None:
            s = self.run.plan.scenario()
        if s is None:
            raise NotApplicableError(
                "verify() of a sweep read from disk needs its scenario: verify(scenario=PATH)"
            )
        return verify_sweep(self.data, s, points, seed)

    def tipping_curve(self, along: str, to: str | None = None) -> xr.DataArray:
        """The tipping-point curve along one parameter
        (:func:`negotiate.sweeps.tipping_curve`)."""
        return tipping_curve(self.data, along, to)

    def plot(self, x: str | None = None, y: str | None = None, **options: Any) -> Figure:
        """The regime map over ``x`` and ``y`` (the first two swept parameters by default);
        ``options`` go to :func:`negotiate.figures.sweeps.regime_map` (``select``,
        ``baseline``, ``curve``, ``title``).  Returns a matplotlib ``Figure``."""
        if self.mode != "grid" or "point" in self.data.outcome.dims:
            raise NotApplicableError("a regime map needs a complete grid sweep")
        names = self.parameters
        if x is None or y is None:
            if len(names) < 2:
                raise NotApplicableError(
                    f"a regime map needs two swept parameters; this sweep has {list(names)}"
                )
            x = names[0] if x is None else x
            y = next(n for n in names if n != x) if y is None else y
        for value, field in ((x, "x"), (y, "y")):
            if value not in names:
                raise ModelError(field, value, f"not a swept parameter; parameters: {list(names)}")
        if not _PLOTTER:
            raise NotApplicableError("no figure function is set: import negotiate first")
        return _PLOTTER[0](self.data, x, y, **options)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the sweep's description, outcome shares, and the summary's tables."""
        attrs = {str(k): to_jsonable(v) for k, v in self.data.attrs.items()}
        axes = {}
        for name in self.parameters:
            coord = self.data[name]
            entry: dict[str, Any] = {"baseline": to_jsonable(coord.attrs.get("baseline"))}
            if self.mode == "grid":
                entry["values"] = [float(v) for v in np.asarray(coord.values)]
            else:
                entry["range"] = [float(coord.min()), float(coord.max())]
            axes[name] = entry
        return {
            "type": "SweepResult",
            "path": None if self.path is None else str(self.path),
            "attrs": attrs,
            "points": self.n_points,
            "parameters": axes,
            "outcome_shares": self.outcome_shares(),
            "summary": self.summary().to_dict(),
        }
