"""Reading sweeps: tipping curves against the scenario's own tipping points, summaries,
certificates against exact solves, one-at-a-time sensitivities, and the figures."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.collections import QuadMesh
from matplotlib.figure import Figure

from negotiate.errors import ModelError
from negotiate.figures.sweeps import regime_map, tipping_curve_figure, tornado_figure
from negotiate.scenario import load_scenario
from negotiate.sweeps import sweep, sweep_summary, tipping_curve, verify_sweep
from negotiate.sweeps.sensitivity import one_at_a_time

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP = ROOT / "models" / "us_iran_2025.toml"


def relaxed_flagship(directory: Path) -> Path:
    """The flagship with the relaxed US position (a 3.67% cap acceptable, as in 2015) as its
    baseline: at the 2025 red lines no option is acceptable to both sides and the outcome
    never changes along the commitment levers."""
    text = FLAGSHIP.read_text(encoding="utf-8")
    old = "[parameters.us_accepts_capped]\nvalue = 0\n"
    assert old in text
    path = directory / "us_iran_2025.toml"
    path.write_text(text.replace(old, "[parameters.us_accepts_capped]\nvalue = 1\n"), "utf-8")
    return path


@pytest.fixture(scope="module")
def flagship(tmp_path_factory):
    return load_scenario(relaxed_flagship(tmp_path_factory.mktemp("flagship")))


@pytest.fixture(scope="module")
def grid(flagship):
    return sweep(flagship, ["guarantee=0:1:101", "reneging_hazard=0:0.5:11"]).data


def test_tipping_curve_brackets_the_scenario_tipping_point(flagship, grid) -> None:
    curve = tipping_curve(grid, "guarantee", to="agreement")
    assert curve.dims == ("reneging_hazard",)
    assert curve.attrs["from"] == "stalemate" and curve.attrs["to"] == "agreement"
    exact = flagship.solve().tipping_points["guarantee"]
    at_baseline = float(curve.sel(reneging_hazard=0.25))
    assert abs(at_baseline - float(exact.threshold)) <= 0.005  # half a grid step
    # more hazard needs more guarantee; at zero hazard there is a deal without one
    values = curve.values
    finite = values[np.isfinite(values)]
    assert np.all(np.diff(finite) >= 0)
    assert np.isnan(values[0])
    with pytest.raises(ModelError):
        tipping_curve(grid, "detection")
    with pytest.raises(ModelError):
        tipping_curve(grid, "guarantee", to="peace")


def test_summary_reports_shares_and_curves(grid) -> None:
    text = sweep_summary(grid).to_text()
    assert "agreement" in text and "stalemate" in text
    assert "Tipping-point curves" in text and "guarantee" in text
    counts = {o: int((grid.outcome == o).sum()) for o in ("agreement", "stalemate")}
    assert f"agreement  {counts['agreement']}" in text


def test_verify_sweep_recomputes_points_exactly_and_catches_tampering(flagship) -> None:
    ds = sweep(flagship, ["guarantee=0:1:3", "relief_escrow=0:1:3"]).data
    cert = verify_sweep(ds, flagship, points=9)
    assert cert.ok and cert.points_checked == 9 and cert.outcome_mismatches == 0
    assert cert.max_relative_error <= 1e-9
    bad = ds.copy(deep=True)
    flip = {"agreement": "stalemate", "stalemate": "agreement", "war": "stalemate"}
    bad["outcome"][0, 0] = flip[str(bad.outcome.values[0, 0])]
    assert not verify_sweep(bad, flagship, points=9).ok
    moved = ds.copy(deep=True)
    moved["kappa"][1, 1] = float(moved.kappa[1, 1]) * (1 + 1e-6)
    assert not verify_sweep(moved, flagship, points=9).ok
    other = load_scenario(ROOT / "models" / "fearon_crisis.toml")
    with pytest.raises(ModelError, match="not the scenario"):
        verify_sweep(ds, other)


def test_one_at_a_time_sensitivities_verify(flagship) -> None:
    sens = one_at_a_time(flagship)
    assert sens.output == "slack:participation:Iran" and sens.baseline_outcome == "stalemate"
    swings = [r.swing for r in sens.rows]
    assert swings == sorted(swings, reverse=True)
    assert {r.parameter for r in sens.rows} == set(flagship.levers)
    g = next(r for r in sens.rows if r.parameter == "guarantee")
    assert (g.outcome_low, g.outcome_high) == ("stalemate", "agreement")
    assert sens.verify().ok
    narrow = one_at_a_time(flagship, "kappa", ["guarantee", "iran_patience"], span=0.1)
    assert all(r.high - r.low <= 0.2 * 1 + 1e-12 for r in narrow.rows)
    assert "kappa" in narrow.summary().to_text()
    with pytest.raises(ModelError):
        one_at_a_time(flagship, "nonsense")
    with pytest.raises(ModelError):
        one_at_a_time(flagship, parameters=["rho_eff"])
    with pytest.raises(ModelError):
        one_at_a_time(flagship, span=2)


def test_regime_map_marks_regions_baseline_and_curve(grid) -> None:
    fig = regime_map(grid, "guarantee", "reneging_hazard")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert any(isinstance(c, QuadMesh) for c in ax.collections)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"agreement", "stalemate", "baseline", "tipping point"} <= set(labels)
    star = next(line for line in ax.lines if line.get_label() == "baseline")
    assert tuple(star.get_xydata()[0]) == (0.0, 0.25)


def test_regime_map_needs_two_dimensions(flagship) -> None:
    cube = sweep(flagship, ["guarantee=0:1:3", "reneging_hazard=0:0.5:3", "detection=0:1:3"]).data
    with pytest.raises(ModelError, match="select"):
        regime_map(cube, "guarantee", "reneging_hazard")
    fig = regime_map(cube, "guarantee", "reneging_hazard", select={"detection": 0.5})
    assert isinstance(fig, Figure)
    samples = sweep(flagship, ["guarantee", "detection"], samples=20).data
    with pytest.raises(ModelError, match="grid"):
        regime_map(samples, "guarantee", "detection")


def test_tipping_curve_figure_and_tornado(flagship, grid) -> None:
    fig = tipping_curve_figure(grid, "guarantee", "reneging_hazard")
    line = fig.axes[0].lines[0]
    assert len(line.get_xdata()) == 11
    with pytest.raises(ModelError, match="never changes"):
        tipping_curve_figure(grid, "guarantee", "reneging_hazard", to="war")
    sens = one_at_a_time(flagship)
    fig = tornado_figure(sens)
    assert len(fig.axes[0].patches) == 2 * len(sens.rows)


def test_run_record_summarises_and_verifies(flagship, tmp_path) -> None:
    from negotiate.sweeps import plan_sweep, run_sweep

    plan = plan_sweep(flagship, ["guarantee=0:1:5", "reneging_hazard=0:0.5:3"], chunk_size=4)
    run = run_sweep(plan, out=tmp_path / "r")
    text = run.summary().to_text()
    assert "Tipping-point curves" in text and "4 computed, 0 already written" in text
    assert run.verify(points=5).ok
    in_memory = run_sweep(plan)
    assert in_memory.dataset().equals(run.dataset())
