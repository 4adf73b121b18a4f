"""The flagship US–Iran 2025 scenario and the classic scenarios, against their closed forms."""

from __future__ import annotations

import tomllib
from fractions import Fraction
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

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


RELAXED = {"us_accepts_capped": 1}  # the US accepts a 3.67% cap, as in 2015


@pytest.fixture(scope="module")
def relaxed(flagship):
    return flagship.solve(RELAXED)


def test_flagship_baseline_is_a_stalemate_the_red_lines_explain(baseline) -> None:
    assert baseline.outcome == "stalemate"
    assert baseline.deal is None
    assert baseline.probabilities == {"agreement": 0, "stalemate": 1, "war": 0}
    # the red lines on enrichment leave no option: they are the binding constraint
    assert baseline.binding_constraints[0] == "red_lines:both"
    assert baseline.red_lines == {
        "enrichment": {"zero": ["Iran"], "capped": ["US"], "unrestricted": ["US"]}
    }
    assert baseline.state.no_deal.war_probability == 0
    # Israel holds back and Iran keeps its threshold programme: no strike at the April round
    assert baseline.state.no_deal.path == ("restrain", "hold_threshold")
    # the no-deal values come from the tree's primitives, not from status-quo constants
    v = baseline.state.values
    assert baseline.state.no_deal_point == (v["threshold_iran"], v["threshold_us"])
    assert v["threshold_us"] == sum(
        v[w] for w in ("w_energy_us", "w_banking_us", "w_assets_us", "w_guarantees_us")
    )
    assert "status_quo_iran" not in baseline.parameters


def test_flagship_2015_terms_give_agreement_with_capped_enrichment(flagship) -> None:
    full = flagship.solve({"guarantee": 1, **RELAXED}, tipping_points=False)
    assert full.outcome == "agreement"
    assert full.deal["enrichment"] == "capped"
    divisible = {i.name for i in flagship.issues}
    assert set(full.deal) == divisible | {"enrichment"}
    assert all(0 <= full.deal[n] <= 1 for n in divisible)
    assert sum(full.probabilities.values()) == 1
    # a full guarantee alone does not do it: the red lines still exclude every option
    assert flagship.solve(variant="full_guarantee", tipping_points=False).outcome == "stalemate"


def test_flagship_guarantee_tipping_point(relaxed) -> None:
    tp = relaxed.tipping_points["guarantee"]
    assert 0 < tp.threshold < 1 and abs(float(tp.threshold) - 0.456664) < 1e-6
    assert tp.exact == sp.Rational(11024, 3933) - sp.sqrt(85154881) / 3933
    assert tp.direction == "up" and tp.outcome_after == "agreement"
    assert tp.bracket[0] <= tp.threshold <= tp.bracket[1]


def test_flagship_outcome_flips_across_every_tipping_point(flagship, relaxed) -> None:
    assert relaxed.tipping_points, "the flagship must report tipping points"
    for name, tp in relaxed.tipping_points.items():
        lo, hi = tp.bracket
        inside, outside = (lo, hi) if tp.direction == "up" else (hi, lo)
        before = flagship.solve({**RELAXED, name: inside}, tipping_points=False)
        after = flagship.solve({**RELAXED, name: outside}, tipping_points=False)
        assert before.outcome == tp.outcome_before, name
        assert after.outcome == tp.outcome_after, name


def test_flagship_certificates_verify(baseline, flagship) -> None:
    cert = baseline.verify()
    assert cert.ok, cert.notes
    deal = flagship.solve({"guarantee": 1, **RELAXED}, tipping_points=False).verify()
    assert deal.ok
    assert "deal" in deal.quantities


def test_flagship_dated_variants(flagship) -> None:
    """The outcomes the scenario file states for its dated variants."""
    april = flagship.solve(variant="april_2025", tipping_points=False)
    june = flagship.solve(variant="june_2025", tipping_points=False)
    jcpoa = flagship.solve(variant="jcpoa_2015", tipping_points=False)
    assert april.outcome == "stalemate" and april.binding_constraints[0] == "red_lines:both"
    # after the IAEA finding, with 408.6 kg of 60% uranium: Israel strikes, the US joins
    assert june.outcome == "war" and june.state.no_deal.path[:2] == ("strike", "join")
    assert june.probabilities["war"] == 1
    assert june.state.no_deal.values["Israel"] > april.state.no_deal.values["Israel"] - 1
    assert jcpoa.outcome == "agreement" and jcpoa.deal["enrichment"] == "capped"
    # without a 60% stockpile Iran's latent deterrent is worth nothing: both types accept
    assert jcpoa.probabilities == {"agreement": 1, "stalemate": 0, "war": 0}


@settings(max_examples=25, deadline=None)
@given(
    g=st.sampled_from([Fraction(0), Fraction(1, 2), Fraction(3, 4), Fraction(1)]),
    capped=st.sampled_from([0, 1]),
    zero=st.sampled_from([0, 1]),
    unrestricted=st.sampled_from([0, 1]),
    prior=st.sampled_from([Fraction(0), Fraction(3, 10), Fraction(7, 10)]),
)
def test_flagship_deals_respect_the_red_lines_and_probabilities_sum_to_one(
    flagship, g, capped, zero, unrestricted, prior
) -> None:
    values = {
        "guarantee": g,
        "us_accepts_capped": capped,
        "iran_accepts_zero": zero,
        "us_accepts_unrestricted": unrestricted,
        "weapon_seeker_prior": prior,
    }
    res = flagship.solve(values, tipping_points=False)
    assert sum(res.probabilities.values()) == 1
    assert all(isinstance(v, Fraction) or v in (0, 1) for v in res.probabilities.values())
    assert res.outcome == max(res.probabilities, key=lambda o: res.probabilities[o])
    if res.deal is not None:
        accepted = {
            "zero": zero == 1,
            "capped": capped == 1,
            "unrestricted": unrestricted == 1,
        }
        assert accepted[res.deal["enrichment"]], res.deal


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
    assert "us_accepts_capped" in data["parameters"]
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
    for us in ("join", "stay_out"):
        for outcome in ("set_back", "survives"):
            node = ("strike", us, outcome)
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
    assert not subgame_perfect(tree0).credible(("strike", "join", "set_back"), "hormuz")


def test_flagship_low_detection_means_a_preventive_strike(flagship) -> None:
    """When a breakout would likely go unseen, Israel's expected cost of a threshold Iran
    exceeds the cost of a strike: it strikes first, alone (the US stays out in April)."""
    res = flagship.solve({"detection": "0.1"}, tipping_points=False)
    assert res.state.no_deal.path[:2] == ("strike", "stay_out")
    assert res.state.no_deal.war_probability == 1
    assert res.probabilities["war"] == 1 and res.outcome == "war"
    # Iran would break out if left alone, which is why Israel does not leave it alone
    restrain = res.state.no_deal.strategy[("restrain",)]
    assert restrain == "breakout"


def test_flagship_has_israel_as_a_third_player(flagship, baseline) -> None:
    assert flagship.players == ("Iran", "US") and flagship.third_parties == ("Israel",)
    assert baseline.to_dict()["players"] == ["Iran", "US", "Israel"]
    assert set(baseline.state.no_deal.values) == {"Iran", "US", "Israel"}


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


def test_flagship_json_labels_facts_assumptions_and_results(baseline) -> None:
    labels = baseline.to_dict(certificates=False)["labels"]
    facts, assumed = labels["facts"]["parameters"], labels["assumptions"]
    assert {"iran_accepts_zero", "us_accepts_capped", "us_accepts_unrestricted"} <= set(facts)
    assert all(not f["source"].startswith(("assumption", "calibrated")) for f in facts.values())
    assert {"guarantee", "reneging_hazard", "weapon_seeker_prior"} <= set(assumed)
    for name, a in assumed.items():
        lo, hi = (Fraction(x) for x in a["range"])
        assert lo <= Fraction(a["value"]) <= hi, name
    assert set(facts) | set(assumed) == set(baseline.parameters)
    assert "probabilities" in labels["results"] and labels["facts"]["sources"]
