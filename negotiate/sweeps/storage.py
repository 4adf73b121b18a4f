"""Sweep results on disk: one Parquet file per chunk, a JSON manifest, and resumption.

Layout of an output directory::

    _manifest.json                      the plan (scenario hash, grid or samples, versions)
    part-000000-<hash>.parquet          chunk 0: one row per point
    part-000001-<hash>.parquet          ...

Each chunk file is named by a hash of the plan key (code version, scenario content, grid or
samples, overrides, chunk size) and the chunk index.  It is written to a hidden temporary
``.part-....parquet.tmp-<pid>`` and renamed with ``os.replace``, which is atomic on POSIX: a
chunk file is complete or absent, never partial.  Resuming skips chunks whose file exists; a
run killed at any moment loses at most the chunks in flight and duplicates nothing.  Names
starting with ``_`` or ``.`` are ignored by Parquet readers, so ``pandas.read_parquet(DIR)``
reads exactly the finished chunks: one row per point, a column per swept parameter and per
output, and a ``point`` column (the point's index in the sweep).

A directory holds one sweep.  Starting a sweep in a directory that holds files of another
sweep, or of this one without ``resume``, is refused.  Do not run two processes on one
directory at once (a resumed run removes temporary files left by dead processes).
"""

from __future__ import annotations

import json
import os
import platform
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from negotiate.errors import ModelError

__all__ = [
    "MANIFEST",
    "clean_temporary",
    "prepare",
    "read_codes",
    "read_manifest",
    "read_table",
    "write_chunk",
]

MANIFEST = "_manifest.json"
_PART = re.compile(r"^part-(\d{6,})-[0-9a-f]{16}\.parquet$")
_TMP = re.compile(r"^\.(part-\d{6,}-[0-9a-f]{16}\.parquet)\.tmp-(\d+)$")


def _versions() -> dict[str, str]:
    import numpy
    import pyarrow

    from negotiate._version import __version__

    return {
        "negotiate": __version__,
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "pyarrow": pyarrow.__version__,
    }


def manifest_data(plan: Any, outputs: Sequence[Any]) -> dict[str, Any]:
    """The manifest of ``plan``: its description, key, sizes, parameters, outputs, versions."""
    data = plan.describe()
    data.update(
        {
            "key": plan.key,
            "n_points": plan.n_points,
            "n_chunks": plan.n_chunks,
            "shape": list(plan.space.shape),
            "parameters": {
                n: {"baseline": base, "domain": None if dom is None else list(dom), "meaning": m}
                for n, base, dom, m in plan.parameters
            },
            "outputs": [
                {"name": o.name, "kind": o.kind, "meaning": o.meaning, "labels": list(o.labels)}
                for o in outputs
            ],
            "versions": _versions(),
        }
    )
    return data


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def read_manifest(directory: str | Path) -> dict[str, Any]:
    """The manifest of the sweep stored in ``directory``."""
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise ModelError("directory", str(directory), f"holds no sweep (no {MANIFEST})")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError("directory", str(directory), f"unreadable {MANIFEST}: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != 1 or "key" not in data:
        raise ModelError("directory", str(directory), f"{MANIFEST} is not a sweep manifest")
    return data


def prepare(directory: str | Path, plan: Any, outputs: Sequence[Any], resume: bool) -> int:
    """Create or check ``directory`` for ``plan``; returns the number of chunks already done."""
    out = Path(directory)
    if out.exists() and not out.is_dir():
        raise ModelError("out", str(out), "is a file, not a directory")
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / MANIFEST
    if manifest.exists():
        old = read_manifest(out)
        if old["key"] != plan.key:
            raise ModelError(
                "out",
                str(out),
                "holds a different sweep (other scenario, grid, overrides or code version); "
                "choose an empty directory",
            )
        if not resume:
            raise ModelError(
                "out", str(out), "holds this sweep already; resume it (--resume) or choose another"
            )
    else:
        stray = [p.name for p in out.iterdir() if not p.name.startswith((".", "_"))]
        if stray:
            raise ModelError("out", str(out), f"is not empty ({stray[0]!r}); use a new directory")
        _write_json(manifest, manifest_data(plan, outputs))
    clean_temporary(out, dead_only=True)
    done = 0
    for p in out.iterdir():  # the chunks present, never a list of all the chunks
        m = _PART.match(p.name)
        if m and int(m.group(1)) < plan.n_chunks and p.name == plan.chunk_name(int(m.group(1))):
            done += 1
    return done


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_temporary(directory: Path, dead_only: bool = True) -> int:
    """Remove temporary chunk files (of dead processes only, by default); returns how many."""
    removed = 0
    for p in directory.iterdir():
        m = _TMP.match(p.name)
        if m and (not dead_only or not _alive(int(m.group(2)))):
            try:
                p.unlink()
                removed += 1
            except FileNotFoundError:  # renamed or removed meanwhile
                pass
    return removed


def write_chunk(directory: Path, name: str, table: Any) -> None:
    """Write ``table`` to ``directory/name`` atomically (temporary file, then rename)."""
    import pyarrow.parquet as pq

    tmp = directory / f".{name}.tmp-{os.getpid()}"
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, directory / name)


def read_codes(path: Path, labels: Sequence[str], expected: int | None = None) -> np.ndarray:
    """The outcome column of one chunk file, as codes into ``labels``.

    A file that Parquet cannot read (truncated, overwritten) or that holds other than
    ``expected`` rows raises ``ModelError`` naming it.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        col = pq.read_table(path, columns=["outcome"]).column("outcome")
        col = col.to_numpy(zero_copy_only=False)
    except (pa.ArrowException, OSError, KeyError) as exc:
        raise ModelError(path.name, None, f"corrupt chunk file ({_first_line(exc)})") from None
    if expected is not None and len(col) != expected:
        raise ModelError(path.name, len(col), f"corrupt chunk file: expected {expected} rows")
    out = np.empty(len(col), dtype=np.int16)
    for k, label in enumerate(labels):
        out[col == label] = k
    return out


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:120]}" if text else type(exc).__name__


def _read_chunk(path: Path) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise ModelError(
            path.name,
            None,
            f"corrupt chunk file ({_first_line(exc)}); run the sweep again with --resume "
            "(resume=True) to recompute it",
        ) from None


def read_table(directory: str | Path, partial: bool = False) -> tuple[dict[str, Any], Any]:
    """The manifest and every finished chunk of the sweep in ``directory`` (one table)."""
    import pyarrow as pa

    out = Path(directory)
    manifest = read_manifest(out)
    key = manifest["key"]
    n_chunks = int(manifest["n_chunks"])
    import hashlib

    names = []
    for c in range(n_chunks):
        digest = hashlib.sha256(f"{key}:{c}".encode()).hexdigest()[:16]
        names.append(f"part-{c:06d}-{digest}.parquet")
    present = [n for n in names if (out / n).is_file()]
    foreign = [p.name for p in out.iterdir() if _PART.match(p.name) and p.name not in names]
    if foreign:
        raise ModelError(
            "directory", str(out), f"holds chunk files of another sweep ({foreign[0]})"
        )
    if len(present) < n_chunks and not partial:
        raise ModelError(
            "directory",
            str(out),
            f"the sweep is incomplete: {len(present)} of {n_chunks} chunks; resume it, or read "
            "it with partial=True",
        )
    if not present:
        raise ModelError("directory", str(out), "no chunk has been written yet")
    table = pa.concat_tables([_read_chunk(out / n) for n in present])
    return manifest, table
