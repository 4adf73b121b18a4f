"""Every engine gives bit-identical results, whatever the number of workers (issue #7)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from negotiate.errors import ModelError
from negotiate.scenario import load_scenario
from negotiate.sweeps import sweep
from negotiate.sweeps.engines import choose_engine

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP = ROOT / "models" / "us_iran_2025.toml"
# the tree varies with detection, so every chunk runs the whole vectorised pipeline
GRID = ["guarantee=0:1:9", "detection=0:1:7"]


@pytest.fixture(scope="module")
def local():
    return sweep(load_scenario(FLAGSHIP), GRID, chunk_size=10).data


def test_engine_choice_and_its_errors() -> None:
    assert choose_engine("auto", None, None, False) == "vectorized"
    assert choose_engine("auto", 3, None, False) == "pool"
    assert choose_engine("auto", None, "tcp://127.0.0.1:1", False) == "dask"
    with pytest.raises(ModelError, match="needs a scheduler"):
        choose_engine("dask", None, None, False)
    with pytest.raises(ModelError, match="only used by the dask engine"):
        choose_engine("pool", 2, "tcp://127.0.0.1:1", False)
    with pytest.raises(ModelError):
        choose_engine("threads", None, None, False)
    with pytest.raises(ModelError):
        choose_engine("pool", 0, None, False)


def test_chunk_size_does_not_change_the_numbers(local) -> None:
    other = sweep(load_scenario(FLAGSHIP), GRID, chunk_size=7).data
    for name in local.data_vars:
        assert local[name].equals(other[name]), name


def test_local_pool_is_bit_identical(local, tmp_path) -> None:
    pooled = sweep(FLAGSHIP, GRID, chunk_size=10, engine="pool", workers=2, out=tmp_path / "p").data
    assert pooled.equals(local)
    assert len(pd.read_parquet(tmp_path / "p")) == 63


@pytest.mark.heavy
def test_pool_worker_counts_agree(local) -> None:
    one = sweep(FLAGSHIP, GRID, chunk_size=10, engine="pool", workers=1).data
    two = sweep(FLAGSHIP, GRID, chunk_size=10, engine="pool", workers=2).data
    assert one.equals(local) and two.equals(local)


@pytest.mark.heavy
def test_dask_cluster_on_localhost_is_bit_identical(local, tmp_path) -> None:
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            host="127.0.0.1",
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        in_memory = sweep(FLAGSHIP, GRID, chunk_size=10, scheduler=client).data
        assert in_memory.equals(local)
        # by address, into a directory, run twice (the second run finds every chunk written)
        out = tmp_path / "dask"
        stored = sweep(
            FLAGSHIP, GRID, chunk_size=10, scheduler=cluster.scheduler_address, out=out
        ).data
        assert stored.equals(local)
        again = sweep(
            FLAGSHIP, GRID, chunk_size=10, scheduler=cluster.scheduler_address, out=out, resume=True
        ).data
        assert again.equals(local)
        assert len(pd.read_parquet(out)) == 63
