"""Sweeps on disk: Parquet chunks readable by pandas, the manifest, resume, kill and resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from negotiate.errors import ModelError
from negotiate.scenario import load_scenario
from negotiate.sweeps import plan_sweep, read_sweep, run_sweep, sweep
from negotiate.sweeps.storage import MANIFEST

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP = ROOT / "models" / "us_iran_2025.toml"
GRID = ["guarantee=0:1:11", "reneging_hazard=0:0.5:6"]


@pytest.fixture(scope="module")
def flagship():
    return load_scenario(FLAGSHIP)


@pytest.fixture(scope="module")
def in_memory(flagship):
    return sweep(flagship, GRID, chunk_size=8).data


def _parts(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir() if p.name.startswith("part-"))


def test_directory_holds_parquet_chunks_that_pandas_reads(flagship, in_memory, tmp_path) -> None:
    out = tmp_path / "sweep"
    ds = sweep(flagship, GRID, chunk_size=8, out=out).data
    assert ds.equals(in_memory)  # same numbers whether kept in memory or written
    assert len(_parts(out)) == 9  # 66 points in chunks of 8
    df = pd.read_parquet(out)
    assert len(df) == 66 and df["point"].is_unique
    for column in (
        "guarantee",
        "reneging_hazard",
        "outcome",
        "binding",
        "kappa",
        "deal:guarantees",
    ):
        assert column in df.columns
    assert set(df["outcome"]) <= {"agreement", "stalemate", "war"}
    row = df.set_index("point").loc[17]
    assert row["outcome"] == str(in_memory.outcome.values.ravel()[17])
    again = read_sweep(out).data
    assert again.equals(in_memory)
    assert again.guarantee.attrs["baseline"] == 0.0
    assert again.guarantee.attrs["domain"] == [0.0, 1.0]


def test_manifest_records_scenario_grid_and_versions(flagship, tmp_path) -> None:
    out = tmp_path / "m"
    sweep(flagship, GRID, out=out, overrides={"detection": "0.3"})
    m = json.loads((out / MANIFEST).read_text())
    assert m["scenario"]["name"] == "us_iran_2025.toml"
    assert len(m["scenario"]["fingerprint"]) == 64
    assert [a["spec"] for a in m["space"]["axes"]] == GRID
    assert m["overrides"] == {"detection": "3/10"}
    assert {"negotiate", "numpy", "pyarrow", "python"} <= set(m["versions"])
    assert m["n_points"] == 66


def test_existing_sweeps_are_not_overwritten_or_mixed(flagship, tmp_path) -> None:
    out = tmp_path / "a"
    sweep(flagship, GRID, out=out)
    with pytest.raises(ModelError, match="holds this sweep already"):
        sweep(flagship, GRID, out=out)
    with pytest.raises(ModelError, match="holds a different sweep"):
        sweep(flagship, ["guarantee=0:1:3"], out=out, resume=True)
    other = tmp_path / "b"
    other.mkdir()
    (other / "notes.txt").write_text("x")
    with pytest.raises(ModelError, match="not empty"):
        sweep(flagship, GRID, out=other)
    with pytest.raises(ModelError, match="needs an output directory"):
        sweep(flagship, GRID, resume=True)


def test_resume_computes_only_missing_chunks(flagship, in_memory, tmp_path) -> None:
    out = tmp_path / "r"
    plan = plan_sweep(flagship, GRID, chunk_size=8)
    run_sweep(plan, out=out)
    parts = _parts(out)
    for name in parts[2:5]:
        (out / name).unlink()
    with pytest.raises(ModelError, match="incomplete: 6 of 9"):
        read_sweep(out)
    partial = read_sweep(out, partial=True).data
    assert partial.sizes["point"] == 66 - 24 and "guarantee" in partial.coords
    run = run_sweep(plan, out=out, resume=True)
    assert (run.computed, run.skipped) == (3, 6)
    assert _parts(out) == parts
    assert read_sweep(out).data.equals(in_memory)
    assert np.array_equal(run.codes, run_sweep(plan).codes)


def test_stale_temporary_files_of_dead_processes_are_removed(flagship, tmp_path) -> None:
    out = tmp_path / "t"
    plan = plan_sweep(flagship, GRID, chunk_size=8)
    run_sweep(plan, out=out)
    (out / plan.chunk_name(0)).unlink()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = out / f".{plan.chunk_name(0)}.tmp-{dead.pid}"
    stale.write_bytes(b"half a file")
    live = out / f".{plan.chunk_name(1)}.tmp-{os.getpid()}"
    live.write_bytes(b"being written by a live process")
    pd.read_parquet(out)  # readers skip hidden files
    run_sweep(plan, out=out, resume=True)
    assert not stale.exists() and live.exists()
    live.unlink()


_CHILD = """
import sys
from negotiate.sweeps import sweep
sweep(sys.argv[1], ["guarantee=0:1:4", "reneging_hazard=0:0.5:10"], out=sys.argv[2],
      chunk_size=2, kernel="exact", engine="vectorized")
"""


def test_a_killed_run_resumes_with_exactly_the_expected_rows(flagship, tmp_path) -> None:
    out = tmp_path / "killed"
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(FLAGSHIP), str(out)])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:
        if out.is_dir() and len(_parts(out)) >= 4:
            break
        time.sleep(0.02)
    assert child.poll() is None, "the run ended before it could be killed"
    child.send_signal(signal.SIGKILL)
    child.wait()
    written = _parts(out)
    assert 4 <= len(written) < 20
    ds = sweep(
        flagship,
        ["guarantee=0:1:4", "reneging_hazard=0:0.5:10"],
        out=out,
        resume=True,
        chunk_size=2,
        kernel="exact",
        engine="vectorized",
    ).data
    assert len(_parts(out)) == 20
    assert not [p for p in out.iterdir() if ".tmp-" in p.name]
    df = pd.read_parquet(out)
    assert sorted(df["point"]) == list(range(40))
    fresh = sweep(
        flagship,
        ["guarantee=0:1:4", "reneging_hazard=0:0.5:10"],
        kernel="exact",
        engine="vectorized",
    ).data
    assert ds.equals(fresh)


def test_samples_give_a_point_dimension(flagship, tmp_path) -> None:
    ds = sweep(
        flagship, ["guarantee", "reneging_hazard=0.1:0.4"], samples=50, seed=3, out=tmp_path / "s"
    ).data
    assert dict(ds.sizes) == {"point": 50}
    assert ds.guarantee.dims == ("point",) and ds.attrs["sampling"] == "lhs"
    assert float(ds.reneging_hazard.min()) >= 0.1 and float(ds.reneging_hazard.max()) <= 0.4
    assert ds.equals(
        sweep(flagship, ["guarantee", "reneging_hazard=0.1:0.4"], samples=50, seed=3).data
    )
