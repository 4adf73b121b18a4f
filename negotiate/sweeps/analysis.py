"""Reading a sweep: tipping-point curves, a summary, and a certificate against exact solves.

A **tipping-point curve** of a grid sweep follows one parameter (``along``): on every line of
the grid along it (all other parameters fixed), the first grid step at which the outcome
differs from the outcome at the line's start, reported as the midpoint of the two grid values
that bracket the change (so it is exact to half a grid step).  Over a two-parameter grid this
is, for instance, the minimum guarantee that produces a deal, against the reneging hazard.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from negotiate.errors import ModelError
from negotiate.results import Certificate, Summary, Table
from negotiate.scenario.result import OUTCOMES
from negotiate.sweeps.outputs import exact_outputs
from negotiate.sweeps.plan import as_scenario, scenario_fingerprint

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["sweep_summary", "thresholds", "tipping_curve", "verify_sweep"]

_REL = 1e-9


def thresholds(
    codes: np.ndarray, values: Sequence[float], axis: int, to: int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per line along ``axis`` of an outcome-code grid: the threshold (NaN where the outcome
    never changes), the outcome before and the outcome after (codes; -1 where no change)."""
    o = np.moveaxis(np.asarray(codes), axis, -1)
    start = o[..., :1]
    changed = o != start
    if to is not None:
        changed &= o == to
    has = changed.any(axis=-1)
    first = np.argmax(changed, axis=-1)
    v = np.asarray(values, dtype=float)
    lo = v[np.maximum(first - 1, 0)]
    hi = v[first]
    after = np.take_along_axis(o, first[..., None], axis=-1)[..., 0]
    return (
        np.where(has, (lo + hi) / 2, np.nan),
        np.where(has, start[..., 0], -1),
        np.where(has, after, -1),
    )


def _grid(ds: Any, along: str) -> None:
    if ds.attrs.get("mode") != "grid" or along not in ds.dims:
        raise ModelError(
            "along", along, f"needs a grid sweep with that dimension; dimensions: {list(ds.dims)}"
        )


def tipping_curve(ds: Any, along: str, to: str | None = None) -> xr.DataArray:
    """The tipping-point curve along ``along`` as an ``xarray.DataArray`` over the other
    dimensions (NaN where the outcome never changes; ``to`` keeps only changes into it)."""
    import xarray as xr

    _grid(ds, along)
    if to is not None and to not in OUTCOMES:
        raise ModelError("to", to, f"expected one of {OUTCOMES}")
    codes = _codes(ds.outcome.values)
    axis = list(ds.outcome.dims).index(along)
    t, before, after = thresholds(codes, ds[along].values, axis, OUTCOMES.index(to) if to else None)
    dims = [d for d in ds.outcome.dims if d != along]
    pairs = Counter(
        (OUTCOMES[int(b)], OUTCOMES[int(a)])
        for b, a in zip(before.ravel(), after.ravel(), strict=True)
        if b >= 0
    )
    attrs = {"along": along, "meaning": f"value of {along} at which the outcome changes"}
    if pairs:
        (b, a), _ = pairs.most_common(1)[0]
        attrs.update({"from": b, "to": a})
    return xr.DataArray(
        t, dims=dims, coords={d: ds[d] for d in dims}, name=f"tipping:{along}", attrs=attrs
    )


def _codes(labels: np.ndarray) -> np.ndarray:
    out = np.full(labels.shape, -1, dtype=np.int16)
    for k, o in enumerate(OUTCOMES):
        out[labels == o] = k
    return out


def summarize(
    title: str,
    names: Sequence[str],
    shape: Sequence[int],
    values: Sequence[Sequence[float]] | None,
    codes: np.ndarray,
    baseline: Mapping[str, float],
    fields: Sequence[tuple[str, Any]] = (),
) -> Summary:
    """Outcome shares and, for grids, the tipping points along every axis."""
    counts = np.bincount(codes[codes >= 0].astype(np.int64), minlength=len(OUTCOMES))
    total = max(1, int(counts.sum()))
    rows = tuple(
        (o, int(counts[k]), f"{100 * counts[k] / total:.1f}%") for k, o in enumerate(OUTCOMES)
    )
    tables = [Table("Outcomes", ("outcome", "points", "share"), rows)]
    notes = []
    if values is not None:
        grid = codes.reshape(tuple(shape))
        trows = []
        for axis, name in enumerate(names):
            if len(values[axis]) < 2:
                continue
            t, before, after = thresholds(grid, values[axis], axis)
            lines = t.size
            found = np.isfinite(t)
            if not found.any():
                continue
            pair = Counter(
                (OUTCOMES[int(b)], OUTCOMES[int(a)])
                for b, a in zip(before[found], after[found], strict=True)
            ).most_common(1)[0][0]
            others = [n for n in names if n != name]
            at_base = _at_baseline(t, names, values, axis, baseline)
            trows.append(
                (
                    name,
                    f"{pair[0]} -> {pair[1]}",
                    f"{int(found.sum())} of {lines}",
                    f"{np.nanmin(t):.4g} .. {np.nanmax(t):.4g}",
                    "" if at_base is None else f"{at_base:.4g}",
                    ", ".join(others) or "-",
                )
            )
        if trows:
            headers = ("along", "change", "lines", "threshold range", "at baseline", "against")
            tables.append(Table("Tipping-point curves", headers, tuple(trows)))
        else:
            notes.append("the outcome does not change anywhere on the grid")
    return Summary(f"Sweep: {title}", tuple(fields), tuple(tables), tuple(notes))


def _at_baseline(
    t: np.ndarray,
    names: Sequence[str],
    values: Sequence[Sequence[float]],
    axis: int,
    baseline: Mapping[str, float],
) -> float | None:
    """The threshold on the grid line nearest to the other parameters' baseline values."""
    index = []
    for k, name in enumerate(names):
        if k == axis:
            continue
        v = np.asarray(values[k], dtype=float)
        index.append(int(np.argmin(np.abs(v - baseline.get(name, v[0])))))
    x = float(t[tuple(index)]) if t.ndim else float(t)
    return None if np.isnan(x) else x


def sweep_summary(ds: Any) -> Summary:
    """A :class:`~negotiate.results.Summary` of a sweep dataset: outcome shares, tipping
    curves (grids), boundary points."""
    codes = _codes(ds.outcome.values).ravel()
    grid = ds.attrs.get("mode") == "grid"
    names = list(ds.outcome.dims) if grid else [n for n in ds.coords if n != "point"]
    baseline = {n: float(ds[n].attrs.get("baseline", np.nan)) for n in names}
    fields = [
        ("scenario", ds.attrs.get("title", "")),
        ("points", int(codes.size)),
        ("parameters", ", ".join(names)),
        ("kernel", ds.attrs.get("kernel", "")),
        ("boundary points (within 1e-12 of a tie)", int(np.asarray(ds.boundary.values).sum())),
    ]
    values = [ds[n].values for n in names] if grid else None
    shape = [len(ds[n]) for n in names] if grid else [codes.size]
    return summarize(ds.attrs.get("title", ""), names, shape, values, codes, baseline, fields)


def verify_sweep(ds: Any, scenario: Any, points: int = 20, seed: int = 0) -> Certificate:
    """Re-solve ``points`` points of a sweep exactly (``Scenario.solve``) and compare.

    Outcome labels must agree except at boundary points; where they agree, numbers (slacks,
    values, deal, utilities, kappa) must agree to 1e-9 relative (at boundary points the error
    is reported apart: a tie settled the other way may move them).  ``scenario`` is the swept
    scenario (or its path).
    """
    s = as_scenario(scenario)
    if scenario_fingerprint(s) != ds.attrs.get("fingerprint"):
        raise ModelError("scenario", s.name, "is not the scenario this sweep was made from")
    flat = ds.stack(_p=list(ds.outcome.dims)) if ds.attrs.get("mode") == "grid" else ds
    dim = "_p" if ds.attrs.get("mode") == "grid" else "point"
    n = flat.sizes[dim]
    rng = np.random.default_rng(seed)
    picks = rng.choice(n, size=min(points, n), replace=False)
    overrides = json.loads(ds.attrs.get("overrides", "{}"))
    variant = ds.attrs.get("variant") or None
    names = list(ds.outcome.dims) if dim == "_p" else [c for c in ds.coords if c != "point"]
    mismatches, boundary, worst, worst_boundary = 0, 0, 0.0, 0.0
    for i in picks:
        row = flat.isel({dim: int(i)})
        point = {name: Fraction(repr(float(row[name].values))) for name in names}
        exact = exact_outputs(
            s, s.solve({**overrides, **point}, variant=variant, tipping_points=False)
        )
        at_boundary = bool(row["boundary"].values)
        boundary += at_boundary
        if str(row["outcome"].values) != exact["outcome"]:
            mismatches += not at_boundary
            continue
        for key, value in exact.items():
            if isinstance(value, float):
                got = float(row[key].values)
                if np.isnan(value) and np.isnan(got):
                    continue
                err = abs(got - value) / max(1.0, abs(value))
                err = err if np.isfinite(err) else np.inf
                if at_boundary:  # a tie settled the other way may move the numbers too
                    worst_boundary = max(worst_boundary, err)
                else:
                    worst = max(worst, err)
    ok = mismatches == 0 and worst <= _REL
    return Certificate(
        ok,
        {
            "points_checked": len(picks),
            "outcome_mismatches": int(mismatches),
            "boundary_points": int(boundary),
            "max_relative_error": worst,
            "max_relative_error_at_boundary": worst_boundary,
        },
        exact=False,
        tolerance=_REL,
        checks=(
            "outcome recomputed exactly (Scenario.solve) at sampled points",
            "slacks, values, kappa, deal and utilities within 1e-9 relative",
        ),
    )
