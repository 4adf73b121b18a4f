"""A sweep as data: what to evaluate, split into chunks, and the task that evaluates a chunk.

A :class:`SweepPlan` fixes everything a result depends on: the scenario (its content, not its
file name), the variant and fixed overrides, the grid or samples, the chunk size and the
kernel.  Its ``key`` hashes all of that with the code version; each chunk's file name hashes
the key with the chunk's index, so a file can only ever hold that chunk of that sweep.

:func:`run_chunk` is the unit of work of every engine.  It is idempotent: it writes nothing
when the chunk's file exists, and otherwise writes the whole file under a temporary name and
renames it (``os.replace`` is atomic on POSIX), so running a chunk twice, or killing it at any
moment, never leaves a partial or duplicate chunk.  A chunk file that cannot be read (damaged
after it was written, e.g. truncated by a full disk or a copy) is removed and computed again.
Its points are generated from the plan and the chunk index alone, so results do not depend on
the engine or the number of workers.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import sympy as sp

from negotiate._version import __version__
from negotiate.errors import ModelError
from negotiate.scenario.result import OUTCOMES
from negotiate.sweeps.grid import GridSpace, SampleSpace

if TYPE_CHECKING:
    from negotiate.scenario.spec import Scenario

__all__ = [
    "FORMAT",
    "ChunkResult",
    "SweepPlan",
    "as_scenario",
    "chunk_table",
    "run_chunk",
    "scenario_fingerprint",
]


def as_scenario(scenario: Any) -> Scenario:
    """``scenario`` itself, or the scenario file at that path, loaded."""
    if isinstance(scenario, str | Path):
        from negotiate.scenario import load_scenario

        return load_scenario(scenario)
    if not hasattr(scenario, "parameters") or not hasattr(scenario, "solve"):
        raise ModelError("scenario", type(scenario).__name__, "expected a Scenario or a file path")
    return cast("Scenario", scenario)


#: Version of the stored layout (chunk files and manifest); part of every chunk's hash.
FORMAT = 1
_KERNELS: dict[str, Any] = {}


def _source_text(scenario: Any) -> str:
    """The scenario file's text: workers rebuild the scenario from it (no pickled objects)."""
    text = getattr(scenario, "source_text", "")
    if not text:
        raise ModelError(
            "scenario", scenario.name, "sweeps need a scenario read from TOML (load_scenario)"
        )
    return str(text)


def scenario_fingerprint(scenario: Any) -> str:
    """SHA-256 of a scenario's content: everything that can change a result (not its text)."""

    def ex(e: Any) -> str:
        return sp.srepr(e) if isinstance(e, sp.Basic) else str(e)

    def per(table: Mapping[str, Any] | None) -> Any:
        return None if table is None else {k: ex(v) for k, v in table.items()}

    c = scenario.commitment
    data = {
        "players": list(scenario.players),
        "parameters": {
            n: [str(p.value), None if p.domain is None else [str(x) for x in p.domain]]
            for n, p in scenario.parameters.items()
        },
        "derived": [[n, ex(e)] for n, e in scenario.derived],
        "issues": [[i.name, per(i.weights), ex(i.reversibility)] for i in scenario.issues],
        "points": None if scenario.points is None else [per(p) for p in scenario.points],
        "commitment": None
        if c is None
        else [
            c.beneficiary,
            ex(c.patience),
            ex(c.hazard),
            ex(c.guarantee),
            [[n, ex(p), ex(h)] for n, p, h in c.types],
        ],
        "deterrence": None if scenario.deterrence is None else scenario.deterrence["spec"],
        "war_actions": list(scenario.war_actions),
        "agreement_actions": list(scenario.agreement_actions),
        "solution": scenario.solution,
        "power": per(scenario.power),
        "disagreement": per(scenario.disagreement),
        "floors": per(scenario.floors),
        "conditions": [[k.name, ex(k.holds)] for k in scenario.conditions],
        "discrete": [
            [
                d.name,
                list(d.options),
                {o: per(d.values[o]) for o in d.options},
                {o: per(d.acceptable[o]) for o in d.options},
            ]
            for d in scenario.discrete
        ],
        "screening": None
        if scenario.screening is None
        else [
            scenario.screening.informed,
            scenario.screening.protocol,
            [[n, ex(p), ex(q)] for n, p, q in scenario.screening.types],
        ],
        "variants": {
            v.name: {k: str(x) for k, x in v.overrides.items()} for v in scenario.variants.values()
        },
    }
    text = json.dumps(data, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class ChunkResult:
    """What a chunk task returns: outcome codes, and the table unless it went to a file."""

    chunk: int
    n: int
    codes: np.ndarray
    table: Any = None
    compute_seconds: float = 0.0
    write_seconds: float = 0.0
    skipped: bool = False


@dataclass(frozen=True, eq=False)
class SweepPlan:
    """Everything a sweep's results depend on (see the module docstring)."""

    scenario_text: str = field(repr=False)
    fingerprint: str
    scenario_name: str
    scenario_title: str
    variant: str | None
    overrides: tuple[tuple[str, str], ...]
    space: GridSpace | SampleSpace
    chunk_size: int
    kernel: str
    parameters: tuple[tuple[str, float, tuple[float, float] | None, str], ...] = ()

    @classmethod
    def build(
        cls,
        scenario: Any,
        space: GridSpace | SampleSpace,
        overrides: Mapping[str, Fraction],
        variant: str | None,
        chunk_size: int,
        kernel: str,
    ) -> SweepPlan:
        base = scenario.values(overrides, variant)
        params = tuple(
            (
                n,
                float(base[n]),
                None
                if scenario.parameters[n].domain is None
                else tuple(float(x) for x in scenario.parameters[n].domain),
                scenario.parameters[n].meaning,
            )
            for n in space.names
        )
        return cls(
            _source_text(scenario),
            scenario_fingerprint(scenario),
            scenario.name,
            scenario.title,
            variant,
            tuple((k, str(v)) for k, v in sorted(overrides.items())),
            space,
            chunk_size,
            kernel,
            params,  # type: ignore[arg-type]
        )

    # ------------------------------------------------------------------ identity
    def describe(self) -> dict[str, Any]:
        """The plan as JSON-ready data (the manifest's core; the key hashes it)."""
        return {
            "format": FORMAT,
            "negotiate": __version__,
            "scenario": {
                "name": self.scenario_name,
                "title": self.scenario_title,
                "fingerprint": self.fingerprint,
            },
            "variant": self.variant,
            "overrides": dict(self.overrides),
            "space": self.space.to_dict(),
            "chunk_size": self.chunk_size,
            "kernel": self.kernel,
        }

    @property
    def key(self) -> str:
        text = json.dumps(self.describe(), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def chunk_name(self, chunk: int) -> str:
        digest = hashlib.sha256(f"{self.key}:{chunk}".encode()).hexdigest()[:16]
        return f"part-{chunk:06d}-{digest}.parquet"

    # ------------------------------------------------------------------ chunks
    @property
    def n_points(self) -> int:
        return self.space.size

    @property
    def n_chunks(self) -> int:
        return -(-self.n_points // self.chunk_size)

    def bounds(self, chunk: int) -> tuple[int, int]:
        start = chunk * self.chunk_size
        return start, min(start + self.chunk_size, self.n_points)

    def columns(self, chunk: int) -> dict[str, np.ndarray]:
        start, stop = self.bounds(chunk)
        if isinstance(self.space, SampleSpace):
            return self.space.points(start, stop, chunk)
        return self.space.points(start, stop)

    # ------------------------------------------------------------------ evaluation
    def scenario(self) -> Scenario:
        from negotiate.scenario.loader import loads_scenario

        return loads_scenario(self.scenario_text, source_name=self.scenario_name)

    def evaluator(self) -> Any:
        """The compiled kernel, built once per process and plan."""
        from negotiate.sweeps.compile import compile_scenario

        key = self.key
        if key not in _KERNELS:
            if len(_KERNELS) >= 4:
                _KERNELS.pop(next(iter(_KERNELS)))
            overrides = {k: Fraction(v) for k, v in self.overrides}
            _KERNELS[key] = compile_scenario(
                self.scenario(), self.space.names, overrides, self.variant, self.kernel
            )
        return _KERNELS[key]


def chunk_table(
    plan: SweepPlan,
    start: int,
    columns: Mapping[str, np.ndarray],
    outputs: Any,
    values: Mapping[str, np.ndarray],
) -> Any:
    """One row per point: ``point``, the swept parameters, then the outputs (labels as text)."""
    import pyarrow as pa

    n = len(next(iter(values.values())))
    arrays = [pa.array(np.arange(start, start + n, dtype=np.int64))]
    names = ["point"]
    for name in plan.space.names:
        arrays.append(pa.array(np.asarray(columns[name], dtype=float)))
        names.append(name)
    for o in outputs:
        v = values[o.name]
        if o.kind == "label":
            dictionary = pa.array(list(o.labels), type=pa.string())
            arr = pa.DictionaryArray.from_arrays(pa.array(v.astype(np.int32)), dictionary)
            arrays.append(arr.cast(pa.string()))
        else:
            arrays.append(pa.array(v))
        names.append(o.name)
    return pa.Table.from_arrays(arrays, names=names)


def run_chunk(plan: SweepPlan, chunk: int, out: str | None = None) -> ChunkResult:
    """Evaluate chunk ``chunk`` of ``plan``; with ``out`` write its Parquet file there
    (skipped when it exists) and return only the outcome codes."""
    from negotiate.sweeps import storage

    if out is not None:
        path = Path(out) / plan.chunk_name(chunk)
        if path.exists():
            start, stop = plan.bounds(chunk)
            try:
                codes = storage.read_codes(path, OUTCOMES, expected=stop - start)
                return ChunkResult(chunk, len(codes), codes, skipped=True)
            except ModelError:  # a truncated or damaged file: computed again below
                path.unlink(missing_ok=True)
    t0 = time.perf_counter()
    kernel = plan.evaluator()
    columns = plan.columns(chunk)
    values = kernel.evaluate(columns)
    t1 = time.perf_counter()
    start, _ = plan.bounds(chunk)
    table = chunk_table(plan, start, columns, kernel.outputs, values)
    codes = values["outcome"]
    if out is None:
        return ChunkResult(chunk, len(codes), codes, table, t1 - t0, time.perf_counter() - t1)
    storage.write_chunk(Path(out), plan.chunk_name(chunk), table)
    return ChunkResult(chunk, len(codes), codes, None, t1 - t0, time.perf_counter() - t1)
