"""Sweep points: grid specs, seeded samples (Latin hypercube), chunk independence, errors."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate.errors import ModelError, TooLargeError
from negotiate.scenario import load_scenario
from negotiate.sweeps import plan_sweep
from negotiate.sweeps.grid import _feistel_keys, _permute, parse_grid, parse_ranges, sample_space

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def flagship():
    return load_scenario(ROOT / "models" / "us_iran_2025.toml")


def test_grid_spec_is_linspace_with_stop_included(flagship) -> None:
    g = parse_grid(["guarantee=0:1:101", "reneging_hazard=0.1:0.5:5"], flagship.parameters)
    assert g.names == ("guarantee", "reneging_hazard")
    assert g.shape == (101, 5) and g.size == 505
    assert g.axes[0].exact == tuple(Fraction(k, 100) for k in range(101))
    assert np.allclose(g.axes[0].values, np.linspace(0, 1, 101), rtol=0, atol=1e-15)
    assert g.axes[1].values[-1] == 0.5 and g.axes[1].values[0] == 0.1


def test_grid_values_are_exact_decimals(flagship) -> None:
    g = parse_grid(["guarantee=0:1:11", "reneging_hazard=0:0.5:4"], flagship.parameters)
    guarantee, hazard = g.axes
    assert guarantee.exact == tuple(Fraction(k, 10) for k in range(11))
    # each float is the nearest one to the exact value: 0.3, not 0.1 + 0.2
    assert guarantee.values[3] == 0.3 != float(np.linspace(0, 1, 11)[3])
    assert guarantee.values == tuple(float(Fraction(k, 10)) for k in range(11))
    assert guarantee.to_dict()["values"] == ["0", *(f"0.{k}" for k in range(1, 10)), "1"]
    assert hazard.to_dict()["values"] == ["0", "1/6", "1/3", "0.5"]  # no finite decimal: p/q
    assert [Fraction(v) for v in hazard.to_dict()["values"]] == list(hazard.exact)
    listed = parse_grid({"guarantee": ["0.1", 0.7]}, flagship.parameters).axes[0]
    assert listed.exact == (Fraction(1, 10), Fraction(7, 10))
    assert list(g.points(3, 4)["guarantee"]) == [0.0]
    assert list(g.points(12, 13)["guarantee"]) == [0.3]


def test_grid_points_are_the_cartesian_product_in_c_order(flagship) -> None:
    g = parse_grid({"guarantee": "0:1:3", "detection": [0.2, 0.9]}, flagship.parameters)
    pts = g.points(0, g.size)
    assert list(pts["guarantee"]) == [0.0, 0.0, 0.5, 0.5, 1.0, 1.0]
    assert list(pts["detection"]) == [0.2, 0.9] * 3
    part = g.points(2, 5)  # any chunk on its own
    assert list(part["guarantee"]) == [0.5, 0.5, 1.0]


@pytest.mark.parametrize(
    ("spec", "field", "words"),
    [
        ("guarantee=0:1", "--grid", "START:STOP:NUM"),
        ("guarantee=0:1:x", "--grid", "whole number"),
        ("guarantee=0:1:0", "--grid", "NUM must be >= 2"),
        ("guarantee=0:2:5", "--grid", "outside its domain [0, 1]"),
        ("nonsense=0:1:5", "--grid", "unknown parameter"),
        ("trust_posterior=0:1:5", "--grid", "unknown parameter"),  # derived, not a parameter
        ("=0:1:5", "--grid", "expected NAME=START:STOP:NUM"),
        ("guarantee=a:1:5", "--grid", "guarantee"),
    ],
)
def test_bad_grid_specs_name_the_flag_and_value(flagship, spec, field, words) -> None:
    with pytest.raises(ModelError) as err:
        parse_grid([spec], flagship.parameters, "--grid")
    assert err.value.field == field
    assert words in str(err.value)


def test_a_parameter_swept_twice_or_also_set_is_refused(flagship) -> None:
    with pytest.raises(ModelError, match="swept twice"):
        parse_grid(["guarantee=0:1:2", "guarantee=0:1:3"], flagship.parameters)
    with pytest.raises(ModelError) as err:
        plan_sweep(flagship, ["guarantee=0:1:2"], overrides={"guarantee": "0.5"})
    assert err.value.field == "overrides.guarantee" and "also swept" in err.value.reason
    with pytest.raises(ModelError) as err:
        plan_sweep(flagship, ["guarantee=0:1:2"], overrides={"detection": "3"})
    assert err.value.field == "overrides.detection" and "domain" in err.value.reason
    with pytest.raises(ModelError, match="unknown variant"):
        plan_sweep(flagship, ["guarantee=0:1:2"], variant="nope")


def test_size_budget(flagship) -> None:
    with pytest.raises(TooLargeError):
        plan_sweep(flagship, ["guarantee=0:1:1000", "detection=0:1:1000"], max_points=10**5)


def test_sample_ranges_default_to_the_domain_and_reject_num(flagship) -> None:
    r = parse_ranges(["guarantee", "reneging_hazard=0.1:0.2"], flagship.parameters)
    assert (r[0].lo, r[0].hi) == (0.0, 1.0) and (r[1].lo, r[1].hi) == (0.1, 0.2)
    with pytest.raises(ModelError, match="NUM has no meaning"):
        parse_ranges(["guarantee=0:1:5"], flagship.parameters, "--grid")
    with pytest.raises(ModelError, match="outside its domain"):
        parse_ranges({"reneging_hazard": (0, 0.9)}, flagship.parameters)
    with pytest.raises(ModelError):
        sample_space(r, 0, 1, "lhs")
    with pytest.raises(ModelError):
        sample_space(r, 10, 1, "sobol")


@settings(max_examples=100)
@given(n=st.integers(1, 5000), seed=st.integers(0, 2**32), axis=st.integers(0, 5))
def test_lhs_permutation_is_a_bijection(n: int, seed: int, axis: int) -> None:
    perm = _permute(np.arange(n, dtype=np.uint64), n, _feistel_keys(seed, axis))
    assert np.array_equal(np.sort(perm), np.arange(n))


@pytest.mark.parametrize("sampling", ["lhs", "random"])
def test_samples_are_seeded_in_range_and_independent_of_chunking(flagship, sampling) -> None:
    r = parse_ranges(["guarantee", "reneging_hazard=0.1:0.3"], flagship.parameters)
    space = sample_space(r, 1000, 42, sampling)
    whole = space.points(0, 1000, 0)
    assert whole["guarantee"].min() >= 0 and whole["guarantee"].max() <= 1
    assert whole["reneging_hazard"].min() >= 0.1 and whole["reneging_hazard"].max() <= 0.3
    again = sample_space(r, 1000, 42, sampling).points(300, 400, 3)
    assert np.array_equal(again["guarantee"], space.points(300, 400, 3)["guarantee"])
    other = sample_space(r, 1000, 43, sampling).points(300, 400, 3)
    assert not np.array_equal(other["guarantee"], again["guarantee"])


def test_latin_hypercube_puts_one_point_in_every_stratum(flagship) -> None:
    r = parse_ranges(["guarantee", "detection"], flagship.parameters)
    n = 997
    space = sample_space(r, n, 5, "lhs")
    chunks = [space.points(a, min(a + 100, n), a // 100) for a in range(0, n, 100)]
    for name in ("guarantee", "detection"):
        x = np.concatenate([c[name] for c in chunks])
        strata = np.floor(x * n).astype(int)
        assert np.array_equal(np.sort(strata), np.arange(n))


def test_grid_values_round_trip_through_a_stored_sweep(flagship, tmp_path) -> None:
    from negotiate.sweeps import read_sweep, sweep

    run = sweep(
        flagship,
        ["guarantee=0:1:11", "reneging_hazard=0:0.5:4"],
        engine="vectorized",
        out=tmp_path / "s",
    )
    ds = read_sweep(tmp_path / "s").data
    assert list(ds["guarantee"].values) == [float(Fraction(k, 10)) for k in range(11)]
    assert list(ds["reneging_hazard"].values) == [0.0, 1 / 6, 1 / 3, 0.5]
    assert run.data["outcome"].shape == ds["outcome"].shape == (11, 4)
