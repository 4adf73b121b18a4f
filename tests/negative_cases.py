"""Wrong results for the negative certificate tests (``test_certificates_negative.py``).

``CASES`` maps each result class with a ``verify()`` method (``module.Class``) to a factory
returning a correct result and a list of wrong ones, built with ``dataclasses.replace``.
This module holds the registry and the cases of the theory models; the test module adds the
solvers', the scenario's, the sweeps' and the reports'.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import sympy as sp

from negotiate.games.tree import GameTree
from tests.trees import ENTRY

F = Fraction
replace = dataclasses.replace

Case = Callable[[], tuple[Any, list[tuple[str, Any]]]]
CASES: dict[str, Case] = {}


def case(key: str) -> Callable[[Case], Case]:
    """Register a factory under ``key`` (``module.Class`` below ``negotiate``)."""

    def register(fn: Case) -> Case:
        CASES[key] = fn
        return fn

    return register


def issue_space() -> Any:
    """A three-issue linear space with one reversible issue (exact weights)."""
    from negotiate.games.issues import IssueSpace

    weights = {"relief": ("0.4", "0.3"), "enrichment": ("0.35", "0.45"), "assets": ("0.25", "0.25")}
    return IssueSpace.linear(("Iran", "US"), weights, reversible={"relief"})


# ------------------------------------------------------------------ theory
def _fields(result: Any, **changes: Any) -> Any:
    return replace(result, **changes)


@case("theory._commitment.Boundary")
def _boundary() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.theory import RepeatedCompliance

    good = RepeatedCompliance(5, 3, 1, "0.9", "0.25").solve_for("delta")
    return good, [("boundary moved", replace(good, value=good.value + F(1, 100)))]


@case("theory.repeated.RepeatedComplianceResult")
def _repeated() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.theory import RepeatedCompliance

    good = RepeatedCompliance(5, 3, 1, "0.9", "0.25").solve()
    d, h = sp.symbols("delta hazard")
    sym = RepeatedCompliance(5, 3, 1, d, h, "1/4").solve()
    return good, [
        ("critical delta too high", replace(good, critical_delta=good.critical_delta + F(1, 100))),
        ("critical delta too low", replace(good, critical_delta=good.critical_delta - F(1, 100))),
        ("max hazard too low", replace(good, max_hazard=good.max_hazard - F(1, 100))),
        ("kappa off", replace(good, credibility_discount=good.credibility_discount + F(1, 1000))),
        ("compliance flipped", replace(good, complies=not good.complies)),
        ("symbolic threshold scaled", replace(sym, critical_delta=sym.critical_delta * F(11, 10))),
    ]


@case("theory.two_level.TwoLevelResult")
def _two_level() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.theory import TwoLevel

    good = TwoLevel("0.2", "0.3", "0.8").solve()
    x, lo, hi = sp.symbols("x lo hi")
    sym = TwoLevel(x, lo, hi).solve()
    return good, [
        ("share inside but not nearest", replace(good, share=F(31, 100))),
        ("wrong binding ratifier", replace(good, binding="ceiling")),
        ("no agreement claimed", replace(good, agreement=False, share=None, binding=None)),
        ("symbolic share shifted", replace(sym, share=sym.share + sp.Rational(1, 100))),
    ]


@case("theory.two_level.UncertainRatificationResult")
def _uncertain() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.theory import UncertainRatification

    good = UncertainRatification("0.3", "0.7", "0.3").solve()
    lo, hi = sp.symbols("lo hi")
    sym = UncertainRatification(lo, hi, "1/3").solve()
    return good, [
        ("share off the optimum", replace(good, share=good.share + F(1, 100))),
        ("failure probability", replace(good, failure_probability=good.failure_probability / 2)),
        (
            "symbolic failure probability",
            replace(sym, failure_probability=sym.failure_probability / 2),
        ),
    ]


def _theory_case(key: str, build: Callable[[], Any], **wrong: Any) -> None:
    def factory() -> tuple[Any, list[tuple[str, Any]]]:
        good = build()
        out = []
        for name, change in wrong.items():
            value = change(good) if callable(change) else change
            out.append((name, replace(good, **{name: value})))
        return good, out

    CASES[key] = factory


def _plus(name: str, eps: Fraction | None = None) -> Callable[[Any], Any]:
    step = F(1, 100) if eps is None else eps
    return lambda r: getattr(r, name) + step


def _not(name: str) -> Callable[[Any], Any]:
    return lambda r: not getattr(r, name)


def _deterrence() -> Any:
    from negotiate.theory import Deterrence

    return Deterrence(1, 0, -1, "0.4").solve()


def _retaliation() -> Any:
    from negotiate.theory import RetaliationMenu

    return RetaliationMenu("1", "0.2", "0.5", "2", "0.5").solve()


def _trust() -> Any:
    from negotiate.theory import Trust

    return Trust("0.5", 1, "0.1", "0.8").solve()


def _reassurance() -> Any:
    from negotiate.theory import Reassurance

    return Reassurance("1", "0.5", "0.2", "0.6").solve()


def _sanctions() -> Any:
    from negotiate.theory import Sanctions

    return Sanctions("0.3", "0.1", "0.8", "0.5").solve()


def _shifting() -> Any:
    from negotiate.theory import ShiftingPower

    return ShiftingPower("0.8", "0.5", "0.2", "0.1", steps=2).solve()


def _signals() -> Any:
    from negotiate.theory import CostlySignals

    return CostlySignals("0.3", "0.5").solve()


def _crisis() -> Any:
    from negotiate.theory import CrisisBargaining

    return CrisisBargaining("0.5", "0.1", "0.1").solve()


def _risk() -> Any:
    from negotiate.theory import RiskReturn

    return RiskReturn("0.5", "0.1", "0.3").solve()


def _rubinstein() -> Any:
    from negotiate.theory import Rubinstein

    return Rubinstein("0.9", "0.8").solve()


_theory_case(
    "theory.deterrence.DeterrenceResult",
    _deterrence,
    threshold=_plus("threshold"),
    deterred=_not("deterred"),
    capable=_not("capable"),
    challenge_value=_plus("challenge_value"),
)
_theory_case(
    "theory.deterrence.RetaliationMenuResult",
    _retaliation,
    threshold=_plus("threshold"),
    strike_value=_plus("strike_value"),
    deterred=_not("deterred"),
    capable=_not("capable"),
)
_theory_case(
    "theory.trust.TrustResult",
    _trust,
    threshold=_plus("threshold"),
    posterior=_plus("posterior"),
    cooperates=_not("cooperates"),
    cooperates_before=_not("cooperates_before"),
)
_theory_case(
    "theory.trust.ReassuranceResult",
    _reassurance,
    separating=_not("separating"),
    signal=_plus("signal"),
    trustworthy_cost=_plus("trustworthy_cost"),
)
_theory_case(
    "theory.sanctions.SanctionsResult",
    _sanctions,
    credible=_not("credible"),
    credibility_threshold=_plus("credibility_threshold"),
    p_comply_at_threat=_plus("p_comply_at_threat", F(1, 10)),
    p_imposed=_plus("p_imposed", F(1, 10)),
)
_theory_case(
    "theory.shifting_power.ShiftingPowerResult",
    _shifting,
    war=_not("war"),
    transfer_needed=_plus("transfer_needed"),
    min_steps=lambda r: (r.min_steps or 1) + 1,
    surplus=_plus("surplus"),
)
_theory_case(
    "theory.signals.CostlySignalsResult",
    _signals,
    tying_hands=lambda r: replace(r.tying_hands, threshold=r.tying_hands.threshold + F(1, 100)),
    sinking_costs=lambda r: replace(r.sinking_costs, signal=r.sinking_costs.signal + F(1, 100)),
    payoff_advantage=_plus("payoff_advantage"),
    extra_war_risk=_plus("extra_war_risk"),
)
_theory_case(
    "theory.crisis.CrisisBargainingResult",
    _crisis,
    range=lambda r: (r.range[0] + F(1, 100), r.range[1]),
    width=_plus("width"),
    war_values=lambda r: (r.war_values[0] + F(1, 100), r.war_values[1]),
)
_theory_case(
    "theory.crisis.RiskReturnResult",
    _risk,
    demand=_plus("demand"),
    war_probability=_plus("war_probability"),
    expected_utility=_plus("expected_utility"),
)
_theory_case(
    "theory.rubinstein_result.RubinsteinResult",
    _rubinstein,
    proposer_share=_plus("proposer_share"),
    responder_share=_plus("responder_share"),
    counter_share=_plus("counter_share"),
)


@case("theory.proliferation.ProliferationResult")
def _proliferation() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.theory import Proliferation

    good = Proliferation("0.4", "0.2", "0.2", "0.1", "0.3", "0.8").solve()  # mixed
    out = []
    for f in dataclasses.fields(good):
        v = getattr(good, f.name)
        if isinstance(v, bool):
            out.append((f.name, replace(good, **{f.name: not v})))
        elif isinstance(v, Fraction):
            out.append((f.name, replace(good, **{f.name: v + F(1, 100)})))
    out += [
        ("regime war", replace(good, regime="war")),
        ("war said to exist", replace(good, existence={**good.existence, "war": True})),
        ("regions: peace", replace(good, regions={"peace": True, "mixed": False, "war": False})),
        ("share reported outside", replace(good, mistaken_strike_share=None)),
    ]
    # peace and war coexist (q >= q_bar and (1 - e) Delta >= k): each class must be reported
    both = Proliferation("0.4", "0.29", "0.2", "0.1", "0.36", "0.27").solve()
    war = Proliferation("0.4", "0.05", "0.2", "0.1", "0.3", "0.8").solve()
    out += [
        ("a coexisting class hidden", replace(both, existence={**both.existence, "war": False})),
        ("the war profile as peace's", replace(both, invest_probability=F(1))),
        ("war: no strike without evidence", replace(war, strike_probability=F(0))),
        ("war: a share of mistaken strikes", replace(war, mistaken_strike_share=F(0))),
    ]
    return good, out


@case("theory.proliferation.MonitoringWindow")
def _monitoring() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.theory import Proliferation

    result = Proliferation("0.4", "0.2", "0.2", "0.1", "0.3", "0.8").solve()
    good = result.monitoring_window("0.5", "0.3")
    out = [("open flipped", replace(good, open=not good.open))]
    for f in dataclasses.fields(good):
        v = getattr(good, f.name)
        if isinstance(v, Fraction):
            out.append((f.name, replace(good, **{f.name: v + F(1, 100)})))
    # no detection level reaches q_bar > 1: the window is shut whatever the cost
    far = Proliferation("0.4", "0.01", "0", "0.1", "0.3", "0.3").solve().monitoring_window(0, 1)
    out.append(("open beyond full detection", replace(far, open=True)))
    return good, out


# ------------------------------------------------------------------ coupling
@case("theory.coupling.Credibility")
def _coupling_credibility() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.theory import credibility

    good = credibility("0.6", "0.1", "0.8", "0.02", "0.25", "0.9", "0.5")
    return good, [
        ("kappa off", replace(good, kappa=good.kappa + F(1, 1000))),
        ("hazard off", replace(good, hazard=good.hazard + F(1, 100))),
    ]


@case("theory.coupling.DiscountedDeal")
def _discounted() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.theory import discounted_deal

    good = discounted_deal(issue_space(), ("0.2", "0.1"), "0.6")
    u = good.solution.utilities
    wrong = replace(good.solution, utilities=(u[0] + F(1, 100), u[1] - F(1, 100)))
    return good, [
        ("solution off the optimum", replace(good, solution=wrong)),
        ("kappa not the one solved with", replace(good, kappa=F(9, 10))),
    ]


@case("theory.coupling.NoDealValues")
def _no_deal() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.theory import disagreement_from_tree

    good = disagreement_from_tree(GameTree.from_dict(ENTRY), floors={"Entrant": "1/2"})
    tv = dict(good.tree_values)
    return good, [
        ("point not max(floor, SPE)", replace(good, point=(F(0), *good.point[1:]))),
        (
            "tree values and point both shifted",
            replace(
                good,
                tree_values={**tv, "Incumbent": tv["Incumbent"] + 1},
                point=(good.point[0], good.point[1] + 1),
            ),
        ),
    ]


@case("theory.self_enforcement.SelfEnforcement")
def _self_enforcement() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.theory import self_enforcement

    good = self_enforcement(
        {"Iran": 3, "US": 3}, {"Iran": 5, "US": 4}, {"Iran": 1, "US": 1}, "0.9", "0.1"
    )
    p = next(iter(good.min_deal_value))
    return good, [
        (
            "minimal value too high",
            replace(
                good, min_deal_value={**good.min_deal_value, p: good.min_deal_value[p] + F(1, 10)}
            ),
        ),
        ("holds flipped", replace(good, holds=not good.holds)),
        ("slack off", replace(good, slack={**good.slack, p: good.slack[p] + 1})),
    ]
