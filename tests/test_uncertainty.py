"""Priors, Monte Carlo, Sobol' indices and calibration on scenarios with known answers.

The scenarios in ``tests/data/uncertainty/`` state their closed-form answers in their headers.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import negotiate as ng
from negotiate.errors import InconsistentEpisodesError, ModelError
from negotiate.scenario import loads_scenario
from negotiate.uncertainty import evaluate, montecarlo
from negotiate.uncertainty import priors as sampling
from negotiate.uncertainty.calibrate import minimal_conflict
from negotiate.uncertainty.montecarlo import wilson

DATA = Path(__file__).resolve().parent / "data" / "uncertainty"
ONE, REGION, CALIB = DATA / "one_driver.toml", DATA / "region.toml", DATA / "calibration.toml"


@pytest.fixture(scope="module")
def one_driver() -> ng.UncertaintyResult:
    return ng.uncertainty(ONE, draws=8000, seed=0, sobol_samples=512, tipping_draws=200)


def test_priors_are_read_exactly() -> None:
    s = ng.load_scenario(ONE)
    assert s.priors["x"].describe() == "uniform [0, 1]"
    assert s.priors["x"].reason == "the whole domain"
    assert s.priors["y"].args == (Fraction(1, 10), Fraction(1, 2), Fraction(9, 10))
    assert s.priors["z"].support == (Fraction(0), Fraction(1))  # beta: the domain
    assert s.priors["z"].mean() == Fraction(2, 5)
    r = ng.load_scenario(REGION).priors["y"]
    assert r.values == (0, Fraction(1, 2), 1) and r.weights == (
        Fraction(1, 4),
        Fraction(1, 2),
        Fraction(1, 4),
    )


def test_inverse_cdfs_match_the_laws() -> None:
    s = ng.load_scenario(ONE)
    u = (np.arange(20000) + 0.5) / 20000  # a fine quadrature of the unit interval
    assert sampling.inverse_cdf(s.priors["x"], u).mean() == pytest.approx(0.5, abs=1e-9)
    y = sampling.inverse_cdf(s.priors["y"], u)
    assert y.min() >= 0.1 and y.max() <= 0.9 and y.mean() == pytest.approx(0.5, abs=1e-6)
    z = sampling.inverse_cdf(s.priors["z"], u)
    assert z.mean() == pytest.approx(0.4, abs=1e-4)  # Beta(2, 3)
    d = sampling.inverse_cdf(ng.load_scenario(REGION).priors["y"], u)
    assert [float(np.mean(d == v)) for v in (0, 0.5, 1)] == pytest.approx([0.25, 0.5, 0.25])


def test_one_driver_total_index_is_one_and_others_zero(one_driver) -> None:
    assert one_driver.sobol_output == "agreement"
    sobol = one_driver.sobol
    assert sobol["x"]["total"] == pytest.approx(1, abs=0.05)
    assert sobol["x"]["first"] == pytest.approx(1, abs=0.05)
    for name in ("y", "z"):
        assert abs(sobol[name]["total"]) < 0.02 and abs(sobol[name]["first"]) < 0.02
    # the slack's variance comes from z (the disagreement point) and y not at all
    slack = one_driver.sobol_detail["participation_slack"]
    assert slack["z"]["total"] > 0.5 and abs(slack["x"]["total"]) < 0.02


def test_one_driver_probability_deciles_and_tipping(one_driver) -> None:
    p, (lo, hi) = one_driver.probabilities["agreement"], one_driver.intervals["agreement"]
    assert lo < 0.5 < hi and abs(p - 0.5) < 4 * math.sqrt(0.25 / 8000)
    deciles = one_driver.deciles["x"]
    assert len(deciles) == 10 and sum(d["n"] for d in deciles) == 8000
    assert [d["agreement"] for d in deciles] == [0.0] * 5 + [1.0] * 5
    assert one_driver.tipping == {}  # no levers declared: no tipping points
    assert one_driver.verify().ok


def test_known_region_probability_matches_its_prior_mass() -> None:
    r = ng.uncertainty(REGION, draws=20000, seed=1, sobol_samples=256, tipping_draws=0)
    mass = 13 / 32
    sd = math.sqrt(mass * (1 - mass) / 20000)
    assert abs(r.probabilities["agreement"] - mass) < 4 * sd
    assert r.probabilities["war"] == 0 and r.counts["agreement"] + r.counts["stalemate"] == 20000
    # conditional shares: y = 0 never agrees, y = 1 always does (x >= 0 surely)
    by_y = {tuple(d["range"]): d for d in r.deciles["y"]}
    assert by_y[(0.0, 0.0)]["agreement"] == 0 and by_y[(1.0, 1.0)]["agreement"] == 1


def test_wilson_interval() -> None:
    lo, hi = wilson(0, 100)
    assert lo == 0 and 0.03 < hi < 0.04  # 95% upper bound for 0 of 100
    lo, hi = wilson(50, 100)
    assert lo + hi == pytest.approx(1) and 0.40 < lo < 0.41


def test_same_seed_same_numbers_whatever_the_chunking(monkeypatch) -> None:
    a = ng.uncertainty(REGION, draws=3000, seed=7, sobol_samples=64, tipping_draws=0)
    # ng.uncertainty (the function) shadows the package's name: patch the module objects
    monkeypatch.setattr(montecarlo, "CHUNK", 700)
    monkeypatch.setattr(evaluate, "CHUNK", 300)
    b = ng.uncertainty(REGION, draws=3000, seed=7, sobol_samples=64, tipping_draws=0)
    da, db = a.to_dict(), b.to_dict()
    da.pop("seconds"), db.pop("seconds")
    assert da == db
    assert np.array_equal(a.codes, b.codes)
    c = ng.uncertainty(REGION, draws=3000, seed=8, sobol_samples=64, tipping_draws=0)
    assert not np.array_equal(a.codes, c.codes)


def test_same_numbers_on_a_pool_of_workers(monkeypatch) -> None:
    monkeypatch.setattr(evaluate, "CHUNK", 500)  # several chunks for each of the workers
    a = ng.uncertainty(REGION, draws=3000, seed=5, sobol_samples=64, tipping_draws=0)
    b = ng.uncertainty(REGION, draws=3000, seed=5, sobol_samples=64, tipping_draws=0, workers=2)
    da, db = a.to_dict(), b.to_dict()
    da.pop("seconds"), db.pop("seconds")
    assert da == db and np.array_equal(a.codes, b.codes)


def test_draws_do_not_depend_on_how_they_are_split() -> None:
    s = ng.load_scenario(REGION)
    names = ("x", "y")
    whole = sampling.draw_rows(s, names, 3, 0, 66000)
    parts = [
        sampling.draw_rows(s, names, 3, a, b) for a, b in ((0, 10), (10, 65540), (65540, 66000))
    ]
    assert np.array_equal(whole, np.concatenate(parts))


def test_result_contract(one_driver) -> None:
    d = one_driver.to_dict()
    assert set(d["probabilities"]) == {"agreement", "stalemate", "war"}
    assert all(isinstance(v, float) for v in d["probabilities"].values())
    assert set(d["sobol"]) == {"x", "y", "z"}
    assert all(set(v) == {"first", "total"} for v in d["sobol"].values())
    assert len(repr(one_driver)) <= 300 and repr(one_driver).startswith("<UncertaintyResult")
    assert "P(agreement)" in one_driver.summary().to_text()
    assert "<table>" in one_driver._repr_html_()
    with pytest.raises(AttributeError):
        one_driver.draws = 1  # type: ignore[misc]


def test_tipping_distribution_of_a_lever() -> None:
    text = ONE.read_text() + '\n[analysis]\nlevers = ["x", "y"]\n'
    r = ng.uncertainty(loads_scenario(text), draws=400, seed=2, sobol_samples=64)
    tip = r.tipping["x"]
    assert tip["share_with_tipping_point"] == 1.0  # every draw flips at x = 1/2
    assert all(abs(q - 0.5) < 1e-6 for q in tip["quantiles"].values())
    assert r.tipping["y"]["share_with_tipping_point"] == 0.0  # y never changes the outcome


def test_variant_overrides_are_held_fixed() -> None:
    text = ONE.read_text() + "\n[scenarios.high]\nset = { x = 0.9 }\n"
    r = ng.uncertainty(loads_scenario(text), draws=500, seed=0, variant="high", tipping_draws=0)
    assert "x" in r.fixed and r.parameters == ("y", "z")
    assert r.probabilities["agreement"] == 1.0


def test_calibration_recovers_the_consistent_region() -> None:
    c = ng.calibrate(CALIB, draws=20000, seed=0)
    assert abs(c.consistent_share - 0.4) < 4 * math.sqrt(0.24 / 20000)
    lo, hi = c.consistent_interval
    assert lo < 0.4 < hi
    x = c.accepted[:, c.parameters.index("x")]
    assert x.min() >= 0.3 and x.max() < 0.7
    q = c.posterior["x"]["quantiles"]
    assert q["0.05"] == pytest.approx(0.32, abs=0.01) and q["0.95"] == pytest.approx(0.68, abs=0.01)
    hist = c.posterior["x"]["histogram"]
    assert hist["counts"][:3] == [0, 0, 0] and hist["counts"][7:] == [0, 0, 0]
    assert sum(hist["prior_counts"]) == 20000
    assert c.posterior["y"]["quantiles"]["0.5"] == pytest.approx(0.5, abs=0.03)
    assert c.posterior_probabilities["agreement"] == pytest.approx(0.5, abs=0.03)
    assert {e: v["predicted"] for e, v in c.leave_one_out.items()} == {
        "low": "agreement",
        "high": "stalemate",
    }
    assert c.leave_one_out["low"]["shares"]["agreement"] == pytest.approx(4 / 7, abs=0.02)
    assert c.verify().ok


def test_inconsistent_episodes_raise_with_a_minimal_conflict() -> None:
    extra = """
[episodes.later]
date = "2003"
set = { t = 0.8 }
observed = "agreement"
source = "test"
"""
    with pytest.raises(InconsistentEpisodesError) as info:
        ng.calibrate(loads_scenario(CALIB.read_text() + extra), draws=2000, seed=0)
    assert info.value.conflict == ("high", "later")
    assert info.value.field == "episodes"


def test_minimal_conflict_by_deletion() -> None:
    match = np.array([[1, 1, 0, 1], [0, 1, 1, 1], [1, 0, 1, 1]], dtype=bool)
    assert minimal_conflict(match, ["a", "b", "c", "d"]) == ("a", "b", "c")


def _prior_error(prior: str, value: str = "0.5", extra: str = "") -> ModelError:
    text = f"""
[scenario]
title = "bad"
players = ["A", "B"]
[parameters.x]
value = {value}
domain = [0, 1]
meaning = "m"
source = "s"
prior = {prior}
[bargaining]
points = [{{ A = "1", B = "0" }}, {{ A = "0", B = "1" }}]
disagreement = {{ A = "0", B = "x" }}
{extra}
"""
    with pytest.raises(ModelError) as info:
        loads_scenario(text, source_name="bad.toml")
    return info.value


@pytest.mark.parametrize(
    ("prior", "value", "field"),
    [
        ("{ uniform = [-0.5, 0.5] }", "0.5", "parameters.x.prior.uniform"),
        ("{ uniform = [0.5, 0.5] }", "0.5", "parameters.x.prior.uniform"),
        ("{ uniform = [0.1, 0.4] }", "0.5", "parameters.x.value"),
        ("{ triangular = [0, 2, 1] }", "0.5", "parameters.x.prior.triangular[1]"),
        ("{ beta = [0, 1] }", "0.5", "parameters.x.prior.beta[0]"),
        (
            "{ discrete = { values = [0.2, 0.5], weights = [0, 0] } }",
            "0.5",
            "parameters.x.prior.discrete.weights",
        ),
        ("{ discrete = { values = [0.2, 0.5], weights = [1, 0] } }", "0.5", "parameters.x.value"),
        ("{ discrete = { values = [0.2, 2] } }", "0.2", "parameters.x.prior.discrete"),
        ("{ uniform = [0, 1], beta = [1, 1] }", "0.5", "parameters.x.prior"),
        ("{ normal = [0, 1] }", "0.5", "parameters.x.prior.normal"),
        ("{ uniform = [0, 1, 2] }", "0.5", "parameters.x.prior.uniform"),
        ("[0, 1]", "0.5", "parameters.x.prior"),
    ],
)
def test_bad_priors_name_their_field(prior: str, value: str, field: str) -> None:
    err = _prior_error(prior, value)
    assert err.field == f"bad.toml: {field}"


@pytest.mark.parametrize(
    ("episode", "field"),
    [
        ('date = "1"\nset = { x = 0.5 }\nobserved = "peace"\nsource = "s"', "episodes.e.observed"),
        ('date = "1"\nset = { w = 0.5 }\nobserved = "war"\nsource = "s"', "episodes.e.set.w"),
        ('date = "1"\nset = { x = 2 }\nobserved = "war"\nsource = "s"', "episodes.e.set.x"),
        ('date = "1"\nobserved = "war"\nsource = "s"', "episodes.e"),
        ('date = "1"\nset = {}\nobserved = "war"\nsource = " "', "episodes.e.source"),
        ('date = "1"\nvariant = "nope"\nobserved = "war"\nsource = "s"', "episodes.e.variant"),
        ('set = {}\nobserved = "war"\nsource = "s"', "episodes.e.date"),
    ],
)
def test_bad_episodes_name_their_field(episode: str, field: str) -> None:
    err = _prior_error("{ uniform = [0, 1] }", extra=f"[episodes.e]\n{episode}\n")
    assert err.field == f"bad.toml: {field}"


def test_inputs_are_checked() -> None:
    with pytest.raises(ModelError, match="draws"):
        ng.uncertainty(ONE, draws=0)
    with pytest.raises(ModelError, match="seed"):
        ng.uncertainty(ONE, draws=10, seed=-1)
    with pytest.raises(ModelError, match="power of two"):
        ng.uncertainty(ONE, draws=10, sobol_samples=100)
    with pytest.raises(ModelError, match="no parameter has a prior"):
        ng.uncertainty(ng.load_scenario(Path(__file__).parents[1] / "models" / "rubinstein.toml"))
    with pytest.raises(ModelError, match="no \\[episodes"):
        ng.calibrate(ONE, draws=10)
