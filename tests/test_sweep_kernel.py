"""Vectorised sweeps against the exact per-point path (issue #7 acceptance).

At random points of every model in models/ (and of test scenarios that exercise what the
models do not), the vectorised kernel must reproduce ``Scenario.solve(..., tipping_points=
False)``: outcome labels agree except at points flagged ``boundary`` (within 1e-12 of a tie or
threshold), and wherever the labels agree every number -- slacks, no-deal values, kappa, war
probability, the deal and its utilities -- agrees to 1e-9 relative.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from negotiate.errors import ModelError, NotApplicableError
from negotiate.scenario import load_scenario
from negotiate.sweeps import sweep
from negotiate.sweeps.compile import compile_scenario
from negotiate.sweeps.outputs import exact_outputs

ROOT = Path(__file__).resolve().parents[1]
MODELS = sorted((ROOT / "models").glob("*.toml"))
DATA = Path(__file__).parent / "data" / "sweeps"
SCENARIOS = [*MODELS, DATA / "edge_cases.toml"]


def _compare(scenario, ds, names, dim="point"):
    """Exact solve at every point of ``ds``; returns (points, boundary points, mismatches)."""
    flat = ds.stack(_p=list(ds.outcome.dims)) if dim == "_p" else ds
    bad = []
    for i in range(flat.sizes[dim]):
        row = flat.isel({dim: i})
        point = {n: Fraction(repr(float(row[n].values))) for n in names}
        exact = exact_outputs(scenario, scenario.solve(point, tipping_points=False))
        boundary = bool(row["boundary"].values)
        if str(row["outcome"].values) != exact["outcome"]:
            if not boundary:
                bad.append((point, "outcome", str(row["outcome"].values), exact["outcome"]))
            continue
        for key, want in exact.items():
            got = row[key].values
            if isinstance(want, float):
                same = (np.isnan(want) and np.isnan(got)) or abs(got - want) <= 1e-9 * max(
                    1.0, abs(want)
                )
            else:
                same = bool(got == want) or (key == "binding" and boundary)
            if not same and not (boundary and key == "boundary"):
                bad.append((point, key, got, want))
    return flat.sizes[dim], int(flat["boundary"].sum()), bad


def _random_points(path: Path, n: int, seed: int) -> None:
    scenario = load_scenario(path)
    names = list(scenario.parameters)
    ds = sweep(scenario, names, samples=n, seed=seed, sampling="random", engine="vectorized").data
    assert ds.attrs["kernel"] == "vectorized"
    points, boundary, bad = _compare(scenario, ds, names)
    assert points == n
    assert not bad, bad[:5]
    assert boundary <= n // 2  # a flag for ties, not a blanket excuse


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_vectorised_equals_exact_at_random_points(path: Path) -> None:
    n = 60 if path.stem == "us_iran_2025" else 200  # an exact flagship solve takes ~0.1 s
    _random_points(path, n, seed=7)


@pytest.mark.heavy
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_vectorised_equals_exact_at_1000_random_points(path: Path) -> None:
    _random_points(path, 1000, seed=2025)


def test_flagship_grid_with_its_endpoints_equals_exact(tmp_path) -> None:
    # grid ends hit the exact special cases: full guarantee (kappa = 1, ratios tie exactly),
    # zero hazard, fully escrowed relief (nothing reversible); the relaxed US position
    from tests.test_sweep_analysis import relaxed_flagship

    s = load_scenario(relaxed_flagship(tmp_path))
    names = ["guarantee", "reneging_hazard", "relief_escrow"]
    ds = sweep(s, ["guarantee=0:1:5", "reneging_hazard=0:0.5:3", "relief_escrow=0:1:3"]).data
    points, boundary, bad = _compare(s, ds, names, dim="_p")
    assert points == 45 and not bad, bad[:5]
    assert set(np.unique(ds.outcome.values)) == {"agreement", "stalemate"}
    assert boundary == 0  # the untouched tree is solved exactly: its tie is settled, not flagged


def test_zero_weights_and_dropped_issues_equal_exact() -> None:
    # wa1 = wb1 = 0 drops issue "one" (NaN share); wb4 = 0 leaves an issue worth nothing
    s = load_scenario(DATA / "edge_cases.toml")
    names = ["wa1", "wb1", "wb4"]
    ds = sweep(s, ["wa1=0:1:3", "wb1=0:1:3", "wb4=0:0.5:2"]).data
    points, _, bad = _compare(s, ds, names, dim="_p")
    assert points == 18 and not bad, bad[:5]
    dropped = ds["deal:one"].sel(wa1=0.0, wb1=0.0)
    assert bool(np.isnan(dropped).all())


def test_variant_and_overrides_are_applied_before_the_sweep() -> None:
    s = load_scenario(ROOT / "models" / "us_iran_2025.toml")
    ds = sweep(
        s,
        ["guarantee=0:1:3"],
        overrides={"detection": "0.3"},
        variant="escrowed_relief",
    ).data
    for g in ds.guarantee.values:
        exact = s.solve(
            {"detection": "0.3", "guarantee": repr(float(g))},
            variant="escrowed_relief",
            tipping_points=False,
        )
        assert str(ds.outcome.sel(guarantee=g).values) == exact.outcome
        assert float(ds.kappa.sel(guarantee=g)) == pytest.approx(float(exact.state.kappa), 1e-12)


def test_tree_near_ties_are_flagged_and_settled_by_tie_break() -> None:
    # deterrence_game: the challenger is indifferent when credibility = (W - SQ)/(W - F);
    # at that point the exact solver keeps the status quo (tie_break), and so does the sweep
    s = load_scenario(ROOT / "models" / "deterrence_game.toml")
    threshold = (1 - 0.4) / (1 - (-0.5))  # 0.4 exactly in reals; floats land within 1 ulp
    ds = sweep(s, {"credibility": [0.39, threshold, 0.41]}).data
    assert list(ds.boundary.values) == [False, True, False]
    assert list(ds.outcome.values) == ["war", "stalemate", "stalemate"]
    assert s.solve({"credibility": "0.4"}, tipping_points=False).outcome == "stalemate"


def test_information_sets_use_the_exact_kernel() -> None:
    path = DATA / "simultaneous.toml"
    s = load_scenario(path)
    ds = sweep(s, ["t=0:4:3", "c=-3:1:3"], engine="vectorized").data
    assert ds.attrs["kernel"] == "exact"
    points, _, bad = _compare(s, ds, ["t", "c"], dim="_p")
    assert points == 9 and not bad
    with pytest.raises(NotApplicableError, match="information sets"):
        sweep(s, ["t=0:4:3"], kernel="vectorized")


def test_exact_kernel_on_a_vectorisable_scenario_agrees() -> None:
    s = load_scenario(ROOT / "models" / "fearon_crisis.toml")
    a = sweep(s, ["p=0:1:5", "cost_a=0:0.4:3"], kernel="exact", engine="vectorized").data
    b = sweep(s, ["p=0:1:5", "cost_a=0:0.4:3"]).data
    assert (a.outcome.values == b.outcome.values).all()
    for name in ("utility:A", "utility:B", "slack:participation:A"):
        assert np.allclose(a[name].values, b[name].values, rtol=1e-12, atol=1e-12, equal_nan=True)


def test_bad_values_inside_the_sweep_raise_naming_field_and_point() -> None:
    # B's weight on issue two: "wb2" is fine, but a derived negative weight is not; use the
    # compiled kernel directly with a value outside the declared domain
    s = load_scenario(DATA / "edge_cases.toml")
    kernel = compile_scenario(s, ["wb2"])
    with pytest.raises(ModelError) as err:
        kernel.evaluate({"wb2": np.array([0.1, -0.5, 0.2])})
    assert err.value.field == "issues.two.weights.B"
    assert "wb2" in err.value.reason and "-0.5" in err.value.reason
    kernel = compile_scenario(s, ["delta"])
    with pytest.raises(ModelError) as err:
        kernel.evaluate({"delta": np.array([0.7, 1.0])})
    assert err.value.field == "commitment.patience"
