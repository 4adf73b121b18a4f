"""``negotiate.sweep``: a scenario evaluated over a grid or samples of its parameters.

The scenario is compiled once (:mod:`negotiate.sweeps.compile`) and evaluated chunk by chunk
(:mod:`negotiate.sweeps.engines`), in memory or into a directory of Parquet files
(:mod:`negotiate.sweeps.storage`).  The result is a
:class:`~negotiate.sweeps.result.SweepResult` whose ``data`` is an :class:`xarray.Dataset`: for
a grid one dimension per swept parameter (its coordinate holds the values, its ``baseline``
attribute the scenario's value); for samples a ``point`` dimension with the parameters as
coordinates.  Variables are the outputs of :mod:`negotiate.sweeps.outputs`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from negotiate.errors import ModelError
from negotiate.results import Certificate, ResultMixin, Summary
from negotiate.scenario.evaluate import check_overrides
from negotiate.scenario.result import OUTCOMES
from negotiate.sweeps import storage
from negotiate.sweeps.analysis import summarize, verify_sweep
from negotiate.sweeps.engines import choose_engine, execute
from negotiate.sweeps.grid import (
    MAX_POINTS,
    GridSpace,
    SampleSpace,
    axis_values,
    check_size,
    parse_grid,
    parse_ranges,
    sample_space,
)
from negotiate.sweeps.outputs import RESERVED
from negotiate.sweeps.plan import ChunkResult, SweepPlan, as_scenario
from negotiate.sweeps.result import SweepResult

if TYPE_CHECKING:
    import xarray as xr

__all__ = ["SweepResult", "SweepRun", "plan_sweep", "read_sweep", "run_sweep", "sweep"]

DEFAULT_CHUNK = 65_536


def plan_sweep(
    scenario: Any,
    grid: Mapping[str, Any] | Sequence[str] | None = None,
    samples: int | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    variant: str | None = None,
    seed: int = 0,
    sampling: str = "lhs",
    chunk_size: int = DEFAULT_CHUNK,
    kernel: str = "auto",
    max_points: int = MAX_POINTS,
    fields: tuple[str, str] = ("grid", "overrides"),
) -> SweepPlan:
    """Validate a sweep's inputs and fix its plan (``fields`` names the grid and override
    inputs in errors, e.g. ``("--grid", "--set")``)."""
    s = as_scenario(scenario)
    grid_field, set_field = fields
    if grid is None:
        raise ModelError(grid_field, None, "give the parameters to sweep")
    space: GridSpace | SampleSpace
    if samples is None:
        space = parse_grid(grid, s.parameters, grid_field)
    else:
        space = sample_space(parse_ranges(grid, s.parameters, grid_field), samples, seed, sampling)
    for name in space.names:
        if name in RESERVED:
            raise ModelError(
                grid_field, name, f"is the name of a sweep output; {RESERVED} are reserved"
            )
    check_size(space.size, max_points)
    fixed = check_overrides(dict(overrides or {}), s.parameters, set_field)
    for name in space.names:
        if name in fixed:
            raise ModelError(f"{set_field}.{name}", str(fixed[name]), "is also swept")
    s.values(fixed, variant)  # checks the variant
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ModelError("chunk_size", chunk_size, "expected a positive whole number")
    from negotiate.sweeps.compile import compile_scenario

    resolved = compile_scenario(s, space.names, fixed, variant, kernel)
    kind = "exact" if resolved.exact else "vectorized"
    plan = SweepPlan.build(s, space, fixed, variant, chunk_size, kind)
    from negotiate.sweeps.plan import _KERNELS

    _KERNELS[plan.key] = resolved  # compiled once, reused by in-process chunks
    return plan


@dataclass(frozen=True, eq=False, repr=False)
class SweepRun(ResultMixin):
    """A finished sweep run: outcome codes of every point (in point order), the chunk tables
    when kept in memory, and timings (compute and Parquet writing apart)."""

    plan: SweepPlan
    engine: str
    out: Path | None
    codes: np.ndarray
    computed: int
    skipped: int
    compute_seconds: float
    write_seconds: float
    wall_seconds: float
    tables: tuple[Any, ...] = field(default=(), repr=False)

    def _describe(self) -> str:
        where = "in memory" if self.out is None else "on disk"
        return (
            f"{self.plan.n_points} points of {self.plan.scenario_title!r} ({self.engine}, {where})"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the plan, the engine, chunk counts, timings and outcome shares."""
        return {
            "type": "SweepRun",
            "plan": self.plan.describe(),
            "points": self.plan.n_points,
            "engine": self.engine,
            "out": None if self.out is None else str(self.out),
            "computed": self.computed,
            "skipped": self.skipped,
            "seconds": {
                "compute": self.compute_seconds,
                "write": self.write_seconds,
                "wall": self.wall_seconds,
            },
            "outcome_shares": outcome_shares(self.codes),
        }

    def dataset(self) -> xr.Dataset:
        """The results as an ``xarray.Dataset`` (read from ``out`` when written there)."""
        if self.out is not None:
            return read_sweep(self.out).data
        import pyarrow as pa

        manifest = storage.manifest_data(self.plan, self.plan.evaluator().outputs)
        return to_dataset(manifest, pa.concat_tables(self.tables))

    def summary(self) -> Summary:
        """Outcome shares and tipping-point curves (from the outcome codes: no reloading)."""
        plan, space = self.plan, self.plan.space
        values = [a.values for a in space.axes] if isinstance(space, GridSpace) else None
        rate = plan.n_points / self.wall_seconds if self.wall_seconds > 0 else float("inf")
        fields = [
            ("scenario", plan.scenario_title),
            ("points", plan.n_points),
            ("parameters", ", ".join(space.names)),
            ("engine", f"{self.engine} ({plan.kernel} kernel)"),
            ("chunks", f"{self.computed} computed, {self.skipped} already written"),
            ("time", f"{self.wall_seconds:.2f} s ({rate:,.0f} points/s)"),
        ]
        if self.out is not None:
            fields.append(("output", str(self.out)))
        baseline = {n: base for n, base, _, _ in plan.parameters}
        return summarize(
            plan.scenario_title, space.names, space.shape, values, self.codes, baseline, fields
        )

    def verify(self, points: int = 20, seed: int = 0) -> Certificate:
        """Re-solve ``points`` sampled points exactly (:func:`~negotiate.sweeps.verify_sweep`)."""
        ds = self.dataset()
        cert = verify_sweep(ds, self.plan.scenario(), points, seed)
        # the summary reads the outcome codes: they must name the stored outcomes, point by point
        labels = np.asarray(ds.outcome.values).reshape(-1).astype(str)
        named = np.asarray(OUTCOMES)[self.codes.astype(np.int64)]
        agree = labels.shape == named.shape and bool(np.all(labels == named))
        return replace(
            cert,
            ok=cert.ok and agree,
            quantities={**cert.quantities, "codes_agree_with_outcomes": agree},
            checks=(*cert.checks, "the outcome codes name the stored outcomes"),
        )


def run_sweep(
    plan: SweepPlan,
    *,
    out: str | Path | None = None,
    resume: bool = False,
    engine: str = "auto",
    workers: int | None = None,
    scheduler: Any = None,
    security: Any = None,
    progress: Callable[[int, int], None] | None = None,
) -> SweepRun:
    """Run ``plan``; ``progress(points_done, points_total)`` is called after each chunk.

    Memory: the driver keeps one ``int16`` outcome code per point and, without ``out``, the
    chunk tables (the result); intermediate arrays live only within a chunk.
    """
    engine = choose_engine(engine, workers, scheduler, plan.kernel == "exact")
    t0 = time.perf_counter()
    directory = None if out is None else Path(out)
    if directory is not None:
        storage.prepare(directory, plan, plan.evaluator().outputs, resume)
    elif resume:
        raise ModelError("resume", True, "needs an output directory (out=...)")
    codes = np.zeros(plan.n_points, dtype=np.int16)
    tables: dict[int, Any] = {}
    stats = {"computed": 0, "skipped": 0, "compute": 0.0, "write": 0.0, "done": 0}

    def on_result(r: ChunkResult) -> None:
        start, stop = plan.bounds(r.chunk)
        codes[start:stop] = r.codes
        if r.table is not None:
            tables[r.chunk] = r.table
        stats["skipped" if r.skipped else "computed"] += 1
        stats["compute"] += r.compute_seconds
        stats["write"] += r.write_seconds
        stats["done"] += r.n
        if progress is not None:
            progress(int(stats["done"]), plan.n_points)

    execute(
        plan,
        range(plan.n_chunks),
        None if directory is None else str(directory),
        engine,
        on_result,
        workers,
        scheduler,
        security,
    )
    if directory is not None:
        storage.clean_temporary(directory, dead_only=True)
    return SweepRun(
        plan,
        engine,
        directory,
        codes,
        int(stats["computed"]),
        int(stats["skipped"]),
        float(stats["compute"]),
        float(stats["write"]),
        time.perf_counter() - t0,
        tuple(tables[c] for c in sorted(tables)),
    )


def sweep(
    scenario: Any,
    grid: Mapping[str, Any] | Sequence[str] | None = None,
    samples: int | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    variant: str | None = None,
    seed: int = 0,
    sampling: str = "lhs",
    engine: str = "auto",
    workers: int | None = None,
    scheduler: Any = None,
    security: Any = None,
    chunk_size: int = DEFAULT_CHUNK,
    out: str | Path | None = None,
    resume: bool = False,
    kernel: str = "auto",
    max_points: int = MAX_POINTS,
    progress: Callable[[int, int], None] | None = None,
) -> SweepResult:
    """Evaluate ``scenario`` (a :class:`Scenario` or a file path) over a grid or samples.

    * ``grid``: ``["NAME=START:STOP:NUM", ...]`` or ``{NAME: "START:STOP:NUM" | values}``
      (NUM equally spaced exact points from START to STOP inclusive); the Cartesian product.
    * ``samples=N``: N points instead, in the ranges ``grid`` gives (``"NAME=START:STOP"``,
      or ``"NAME"`` for the whole domain), by Latin hypercube (``sampling="lhs"``) or
      ``"random"``, from ``seed``.
    * ``overrides``: fixed parameter values (exact), applied after ``variant``.
    * ``engine``: ``"auto"``, ``"vectorized"``, ``"pool"`` (``workers`` processes) or
      ``"dask"`` (``scheduler`` address or ``distributed.Client``; ``security`` a
      ``distributed.Security`` for TLS; see :mod:`negotiate.sweeps.engines`).
    * ``out``: a directory to write Parquet chunks into (``resume=True`` finishes a run).
    * ``kernel``: ``"auto"``, ``"vectorized"`` or ``"exact"`` (per point, exact arithmetic).

    Returns a :class:`~negotiate.sweeps.result.SweepResult`: ``.data`` is the
    :class:`xarray.Dataset` (see :mod:`negotiate.sweeps.outputs` for the variables), identical
    for every engine and worker count; ``.path`` is ``out``.
    """
    plan = plan_sweep(
        scenario,
        grid,
        samples,
        overrides,
        variant=variant,
        seed=seed,
        sampling=sampling,
        chunk_size=chunk_size,
        kernel=kernel,
        max_points=max_points,
    )
    run = run_sweep(
        plan,
        out=out,
        resume=resume,
        engine=engine,
        workers=workers,
        scheduler=scheduler,
        security=security,
        progress=progress,
    )
    return SweepResult(run.dataset(), run.out, run)


def read_sweep(
    directory: str | Path, *, partial: bool = False, scenario: Any = None
) -> SweepResult:
    """The sweep stored in ``directory`` as a :class:`~negotiate.sweeps.result.SweepResult`
    (``.data`` the :class:`xarray.Dataset`, ``.path`` the directory).

    An incomplete sweep raises ``ModelError`` unless ``partial=True``, which returns the
    finished points along a ``point`` dimension.  ``scenario`` (the swept scenario or its
    path) lets ``verify()`` re-solve points.
    """
    manifest, table = storage.read_table(directory, partial)
    data = to_dataset(manifest, table, partial=partial)
    return SweepResult(
        data, Path(directory), None, None if scenario is None else as_scenario(scenario)
    )


def to_dataset(manifest: Mapping[str, Any], table: Any, *, partial: bool = False) -> xr.Dataset:
    """Build the dataset from the rows of a sweep (any order) and its manifest."""
    import xarray as xr

    points = table.column("point").to_numpy()
    order = np.argsort(points, kind="stable")
    points = points[order]
    if len(points) and np.any(points[1:] == points[:-1]):
        raise ModelError("directory", None, "duplicate points in the stored sweep")
    space = manifest["space"]
    outputs = manifest["outputs"]
    complete = len(points) == int(manifest["n_points"])
    names = [a["name"] for a in space.get("axes", space.get("ranges", []))]

    def column(name: str, kind: str) -> np.ndarray:
        col = table.column(name)
        if kind == "label":  # via the dictionary: one conversion per distinct label
            encoded = col.combine_chunks().dictionary_encode()
            labels = np.asarray(encoded.dictionary.to_pylist() or [""], dtype=str)
            return labels[encoded.indices.to_numpy(zero_copy_only=False)[order]]
        return col.to_numpy()[order]

    attrs = {
        "scenario": manifest["scenario"]["name"],
        "title": manifest["scenario"]["title"],
        "fingerprint": manifest["scenario"]["fingerprint"],
        "variant": manifest["variant"] or "",
        "overrides": json.dumps(manifest["overrides"], sort_keys=True),
        "kernel": manifest["kernel"],
        "mode": space["mode"],
        "key": manifest["key"],
        "negotiate_version": manifest["negotiate"],
        "complete": int(complete),
    }
    if space["mode"] == "samples":
        attrs.update({"seed": space["seed"], "sampling": space["sampling"]})
    params = manifest["parameters"]
    if space["mode"] == "grid" and complete and not partial:
        shape = tuple(manifest["shape"])
        coords: dict[str, Any] = {
            a["name"]: (
                a["name"],
                axis_values(a),
                _param_attrs(params[a["name"]]),
            )
            for a in space["axes"]
        }
        data = {
            o["name"]: (
                names,
                column(o["name"], o["kind"]).reshape(shape),
                {"meaning": o["meaning"]},
            )
            for o in outputs
        }
        return xr.Dataset(data, coords=coords, attrs=attrs)
    pcoords: dict[str, Any] = {"point": ("point", points, {})}
    for n in names:
        pcoords[n] = ("point", column(n, "float"), _param_attrs(params[n]))
    pdata: dict[str, Any] = {
        o["name"]: ("point", column(o["name"], o["kind"]), {"meaning": o["meaning"]})
        for o in outputs
    }
    return xr.Dataset(pdata, coords=pcoords, attrs=attrs)


def _param_attrs(p: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"baseline": p["baseline"], "meaning": p["meaning"]}
    if p["domain"] is not None:
        out["domain"] = list(p["domain"])
    return out


def outcome_shares(codes: np.ndarray) -> dict[str, float]:
    """Share of the points with each outcome."""
    counts = np.bincount(codes.astype(np.int64), minlength=len(OUTCOMES))
    total = max(1, int(counts.sum()))
    return {o: float(counts[k]) / total for k, o in enumerate(OUTCOMES)}
