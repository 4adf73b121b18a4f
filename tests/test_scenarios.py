"""The flagship US–Iran 2025 scenario and the classic scenarios, against their closed forms."""

from __future__ import annotations

import tomllib
from fractions import Fraction
from pathlib import Path

import pytest

from negotiate import theory
from negotiate.scenario import load_scenario
from negotiate.solvers.spe.solve import subgame_perfect

MODELS = Path(__file__).resolve().parents[1] / "models"
FLAGSHIP = MODELS / "us_iran_2025.toml"


@pytest.fixture(scope="module")
def flagship():
    return load_scenario(FLAGSHIP)


@pytest.fixture(scope="module")
def baseline(flagship):
    return flagship.solve()


def test_flagship_baseline_is_a_stalemate(baseline) -> None:
    assert baseline.outcome == "stalemate"
    assert baseline.deal is None
    # both sides are short of a zone of agreement, and the talks' failure is not war
    assert "participation:Iran" in baseline.binding_constraints
    assert baseline.state.no_deal.war_probability == 0
    assert baseline.state.no_deal.path[:2] == ("hold_threshold", "contain")


def test_flagship_full_guarantee_gives_agreement(flagship) -> None:
    full = flagship.solve({"guarantee": 1}, tipping_points=False)
    assert full.outcome == "agreement"
    assert set(full.deal) == {i.name for i in flagship.issues}
    assert all(0 <= v <= 1 for v in full.deal.values())
    assert flagship.solve(variant="full_guarantee", tipping_points=False).outcome == "agreement"


def test_flagship_guarantee_tipping_point(baseline) -> None:
    tp = baseline.tipping_points["guarantee"]
    assert 0 < tp.threshold < 1
    assert tp.direction == "up" and tp.outcome_after == "agreement"
    assert tp.bracket[0] <= tp.threshold <= tp.bracket[1]


def test_flagship_outcome_flips_across_every_tipping_point(flagship, baseline) -> None:
    assert baseline.tipping_points, "the flagship must report tipping points"
    for name, tp in baseline.tipping_points.items():
        lo, hi = tp.bracket
        inside, outside = (lo, hi) if tp.direction == "up" else (hi, lo)
        before = flagship.solve({name: inside}, tipping_points=False)
        after = flagship.solve({name: outside}, tipping_points=False)
        assert before.outcome == tp.outcome_before, name
        assert after.outcome == tp.outcome_after, name


def test_flagship_certificates_verify(baseline, flagship) -> None:
    cert = baseline.verify()
    assert cert.ok, cert.notes
    deal = flagship.solve({"guarantee": 1}, tipping_points=False).verify()
    assert deal.ok
    assert "deal" in deal.quantities


def test_flagship_credibility_is_the_expectation_over_the_us_type(baseline) -> None:
    values = baseline.state.values
    assert values["trust_posterior"] == Fraction(3, 19)
    assert abs(float(values["hazard_after_2018"]) - 0.213684) < 1e-6
    pi, delta = values["trust_posterior"], values["iran_patience"]

    def k(rho: Fraction) -> Fraction:
        return (1 - delta) / (1 - delta * (1 - rho))

    kappa = pi * k(values["hazard_if_trustworthy"]) + (1 - pi) * k(values["reneging_hazard"])
    assert baseline.state.kappa == kappa == values["kappa"] == Fraction(5726, 14573)
    assert abs(float(kappa) - 0.392918) < 1e-6
    # the ratification floors constrain the deal; the disagreement point is the no-deal value
    assert baseline.state.disagreement == baseline.state.no_deal_point


def test_flagship_every_parameter_has_a_source() -> None:
    data = tomllib.loads(FLAGSHIP.read_text(encoding="utf-8"))
    required = {
        "guarantee",
        "reneging_hazard",
        "detection",
        "strike_effectiveness",
        "iran_patience",
        "us_patience",
    }
    assert required <= set(data["parameters"])
    calibrated = [n for n, p in data["parameters"].items() if p["source"].startswith("calibrated")]
    assert {"status_quo_iran", "status_quo_us"} <= set(calibrated)
    for name, p in data["parameters"].items():
        assert p["source"].strip(), name
        assert p["meaning"].strip(), name
    text = FLAGSHIP.read_text(encoding="utf-8")
    for fact in ("8 May 2018", "40,000", "one fifth", "about 500", "Tower 22"):
        assert fact in text, fact
    assert ">30%" not in text.replace("not >30%", "")


def test_flagship_seed_claims_come_out_of_the_tree(flagship, baseline) -> None:
    tree = flagship.deterrence["tree"].bind(dict(baseline.state.values))
    spe = subgame_perfect(tree)
    for strike in ("strike_joint", "israel_alone"):
        for outcome in ("set_back", "survives"):
            node = ("hold_threshold", strike, outcome)
            # a Hormuz closure is not credible; neither is hitting Gulf infrastructure
            assert not spe.credible(node, "hormuz")
            assert not spe.credible(node, "gulf_infrastructure")
            # Iran retaliates against US assets: the limited, pre-warned strike on a US base
            assert spe.credible(node, "limited_prewarned")
    # Iran's air defences fail against a US strike: the strike sets the programme back with
    # probability strike_effectiveness, calibrated to June 2025
    assert baseline.parameters["strike_effectiveness"] > Fraction(1, 2)
    # even a costless closure would not be credible: the US counter-escalation answers it
    cheap = flagship.solve({"hormuz_self_cost": 0}, tipping_points=False)
    tree0 = flagship.deterrence["tree"].bind(dict(cheap.state.values))
    assert not subgame_perfect(tree0).credible(
        ("hold_threshold", "strike_joint", "set_back"), "hormuz"
    )


def test_flagship_low_detection_means_war(flagship) -> None:
    res = flagship.solve({"detection": "0.1"}, tipping_points=False)
    assert res.outcome == "war"
    assert res.state.no_deal.path[0] == "breakout"
    assert 0 < res.state.no_deal.war_probability < 1


def test_overrides_are_validated(flagship) -> None:
    import negotiate as ng

    with pytest.raises(ng.ModelError, match=r"overrides\.guarantee"):
        flagship.solve({"guarantee": 2})
    with pytest.raises(ng.ModelError, match="unknown parameter"):
        flagship.solve({"guarantie": 1})
    with pytest.raises(ng.ModelError, match="unknown variant"):
        flagship.solve(variant="nope")


# ----------------------------------------------------------------------------- classics
def test_prisoners_dilemma_cooperation_threshold() -> None:
    s = load_scenario(MODELS / "prisoners_dilemma.toml")
    res = s.solve()
    assert res.outcome == "agreement"
    assert res.deal == {"Row": 3, "Column": 3}
    closed = theory.RepeatedCompliance(temptation=5, reward=3, punishment=1, delta="0.6").solve()
    tp = res.tipping_points["delta"]
    assert tp.bracket[0] <= closed.critical_delta <= tp.bracket[1]
    assert tp.method == "exact" and tp.exact == closed.critical_delta
    assert s.solve({"delta": closed.critical_delta}).outcome == "agreement"  # holds at p*
    assert s.solve({"delta": "0.49"}).outcome == "stalemate"


def test_chicken_first_mover_wins_and_war_needs_a_cheap_crash() -> None:
    s = load_scenario(MODELS / "chicken_crisis.toml")
    res = s.solve()
    assert res.outcome == "agreement"
    assert res.state.no_deal.path == ("stand_firm", "yield")
    assert s.solve({"crash": "1.5"}).outcome == "war"
    tp = res.tipping_points["crash"]
    assert tp.method == "exact" and tp.exact == 1  # the lose payoff


def test_fearon_range_and_deal() -> None:
    s = load_scenario(MODELS / "fearon_crisis.toml")
    res = s.solve()
    closed = theory.CrisisBargaining(p="0.6", cost_a="0.1", cost_b="0.15").solve()
    lo, hi = closed.range
    assert res.outcome == "agreement"
    assert lo < res.deal["A"] < hi
    assert res.deal["A"] == (lo + hi) / 2  # the symmetric Nash solution splits the surplus
    slack_a = next(c.slack for c in res.constraints if c.name == "participation:A")
    assert slack_a == hi - lo
    # without war costs there is no strict gain from a deal: Fearon's range collapses
    assert s.solve({"cost_a": 0, "cost_b": 0}).outcome == "stalemate"


def test_rubinstein_share() -> None:
    s = load_scenario(MODELS / "rubinstein.toml")
    res = s.solve()
    closed = theory.Rubinstein("0.9", "0.8").solve()
    assert res.deal["A"] == closed.proposer_share == Fraction(5, 7)


def test_powell_commitment_problem() -> None:
    s = load_scenario(MODELS / "powell_shifting_power.toml")
    res = s.solve()
    closed = theory.ShiftingPower(delta="0.9", p1="0.6", p2="0.4", cost_d="0.05").solve()
    assert (res.outcome == "war") == bool(closed.war)
    assert res.tipping_points["steps"].exact == closed.min_steps
    phased = theory.ShiftingPower(
        delta="0.9", p1="0.6", p2="0.4", cost_d="0.05", steps=closed.min_steps
    ).solve()
    assert not phased.war
    assert s.solve({"steps": closed.min_steps}).outcome == "agreement"


def test_deterrence_threshold() -> None:
    s = load_scenario(MODELS / "deterrence_game.toml")
    res = s.solve()
    closed = theory.Deterrence(win=1, status_quo="0.4", conflict="-0.5", credibility="0.5").solve()
    assert res.outcome == "stalemate" and closed.deterred
    tp = res.tipping_points["credibility"]
    assert tp.method == "exact" and tp.exact == closed.threshold
    assert s.solve({"credibility": closed.threshold}).outcome == "stalemate"  # holds at p*
    assert tp.outcome_after == "war"


@pytest.mark.parametrize("path", sorted(MODELS.glob("*.toml")), ids=lambda p: p.name)
def test_every_model_solves_and_verifies(path: Path) -> None:
    res = load_scenario(path).solve()
    assert res.outcome in ("agreement", "stalemate", "war")
    assert res.verify().ok
    data = res.to_dict(certificates=False)
    assert set(data) >= {"outcome", "deal", "binding_constraints", "tipping_points", "parameters"}


def test_flagship_claims_are_checked(baseline) -> None:
    claims = {c.name: c for c in baseline.claims}
    assert set(claims) >= {"air_defences_fail", "hormuz_not_credible", "us_assets_not_gulf"}
    assert all(c.supported for c in claims.values()), [c.detail for c in claims.values()]
    assert "not credible" in claims["hormuz_not_credible"].detail


def test_claims_can_fail_when_parameters_change(flagship) -> None:
    weak = flagship.solve({"strike_effectiveness": "0.3"}, tipping_points=False)
    claims = {c.name: c for c in weak.claims}
    assert not claims["air_defences_fail"].supported
