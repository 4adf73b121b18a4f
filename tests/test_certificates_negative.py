"""Every certificate can fail: each ``verify()`` is fed a wrong result and must reject it.

``CASES`` (:mod:`tests.negative_cases`, which holds the theory models' cases) maps each result
class with a ``verify()`` method (``module.Class``) to a factory returning a correct result
and a list of wrong ones (built with ``dataclasses.replace``:
a perturbed equilibrium, solution, threshold or outcome).  The correct result must pass, and
every wrong one must fail.  :func:`test_every_verify_has_a_negative_test` lists every
``def verify`` in ``negotiate/`` (by ``ast``), so a new certificate without a negative test
fails the suite.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sympy as sp

from negotiate.games.normal import NormalFormGame
from negotiate.games.tree import GameTree
from negotiate.papers import check_close
from tests.negative_cases import CASES, case, issue_space
from tests.signaling_games import beer_quiche_dict
from tests.trees import ENTRY, IRAN

F = Fraction
ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
replace = dataclasses.replace


# ------------------------------------------------------------------ shared inputs
@functools.cache
def _scenario(name: str) -> Any:
    from negotiate.scenario import load_scenario

    return load_scenario(MODELS / f"{name}.toml").solve(tipping_points=False)


@functools.cache
def _report() -> Any:
    from negotiate.reports.report import report

    return report(MODELS / "deterrence_game.toml", regime=False)


def _other_outcome(outcome: str) -> str:
    return "war" if outcome != "war" else "stalemate"


# ------------------------------------------------------------------ solvers
@case("solvers.spe.numeric.SPEResult")
def _spe() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.solvers.spe.solve import subgame_perfect

    tree = GameTree.from_dict(ENTRY)
    good = subgame_perfect(tree)
    eq = good.equilibria[0]
    lied = replace(eq, payoffs={"Entrant": 9, "Incumbent": 0})
    # a Nash equilibrium resting on a non-credible threat: stay out, fight if entered
    threat = {p: ("out" if p == () else "fight") for p in eq.strategy}
    bad = replace(eq, strategy=threat, path=("out",), payoffs={"Entrant": 0, "Incumbent": 2})
    bad = replace(bad, outcomes={("out",): F(1)})
    # a tree with a tie settled by tie_break: the other tied action is not the equilibrium
    tied = GameTree.from_dict(
        {
            "players": ["A", "B"],
            "root": {
                "player": "A",
                "tie_break": ["left"],
                "actions": {
                    "left": {"payoffs": {"A": 1, "B": 0}},
                    "right": {"payoffs": {"A": 1, "B": 5}},
                },
            },
        }
    )
    tie_good = subgame_perfect(tied)
    right = replace(
        tie_good.equilibria[0],
        strategy={(): "right"},
        path=("right",),
        payoffs={"A": F(1), "B": F(5)},
        outcomes={("right",): F(1)},
    )
    return good, [
        ("non-credible threat", replace(good, equilibria=(bad,))),
        ("payoffs misreported", replace(good, equilibria=(lied,))),
        ("an equilibrium missing", replace(good, equilibria=())),
        ("wrong tie rule", replace(tie_good, equilibria=(right,))),
    ]


@case("solvers.spe.regions.SymbolicSPEResult")
def _spe_regions() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.solvers.spe.solve import subgame_perfect

    good = subgame_perfect(GameTree.from_dict(IRAN))
    region = good.regions[0]
    node = next(
        p for p, a in region.strategy.items() if len(GameTree.from_dict(IRAN).node(p).actions) > 1
    )
    other = next(
        a for a in GameTree.from_dict(IRAN).node(node).actions if a != region.strategy[node]
    )
    flipped = replace(region, strategy={**region.strategy, node: other})
    return good, [
        ("a region's strategy flipped", replace(good, regions=(flipped, *good.regions[1:])))
    ]


@case("solvers.spe.credibility.CredibilityResult")
def _credibility() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.solvers.spe.credibility import non_credible_equilibria

    good = non_credible_equilibria(GameTree.from_dict(ENTRY))
    eq = good.equilibria[0]
    rows, cols = eq.probabilities
    shifted = (tuple(reversed(rows)), cols)
    bad = replace(eq, probabilities=shifted)
    nc = good.non_credible[0]
    k = good.equilibria.index(nc)
    no_loss = replace(nc, threats=tuple(replace(t, loss=-t.loss) for t in nc.threats))
    lied = replace(eq, payoffs={p: v + 1 for p, v in eq.payoffs.items()})
    return good, [
        ("a profile with regret", replace(good, equilibria=(bad, *good.equilibria[1:]))),
        ("payoffs misreported", replace(good, equilibria=(lied, *good.equilibria[1:]))),
        (
            "a threat without loss",
            replace(good, equilibria=(*good.equilibria[:k], no_loss, *good.equilibria[k + 1 :])),
        ),
        (
            "the subgame-perfect equilibrium dropped",
            replace(good, equilibria=tuple(e for e in good.equilibria if e.threats)),
        ),
    ]


@case("solvers.nash.equilibria.EquilibriumSet")
def _nash() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.solvers.nash.solve import nash_equilibria

    game = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])  # prisoners' dilemma
    good = nash_equilibria(game)
    eq = good.equilibria[0]
    cooperate = type(eq).of(game, ((1, 0), (1, 0)))
    return good, [
        ("no equilibrium", replace(good, equilibria=())),
        ("cooperation as an equilibrium", replace(good, equilibria=(cooperate,))),
        ("a duplicate", replace(good, equilibria=(eq, eq))),
    ]


@case("solvers.nash.behavior.BehaviorEquilibriumSet")
def _behavior_set() -> tuple[Any, list[tuple[str, Any]]]:
    import negotiate as ng
    from negotiate.solvers.nash.behavior import BehaviorEquilibriumSet
    from tests.imperfect_games import kuhn_poker

    kuhn = GameTree.from_dict(kuhn_poker())
    good = ng.nash_equilibria(kuhn, method="lcp")
    wrong = {k: dict(v) for k, v in good[0].behavior.items()}
    wrong[("2", "2Q:b")] = {"fold": F(1), "call": F(0)}
    bad = BehaviorEquilibriumSet.build(kuhn, [wrong], method="test", options={}, complete=False)
    return good, [("player 2 always folds to a bet with the queen", bad)]


@case("solvers.nash.behavior.BehaviorEquilibrium")
def _behavior_equilibrium() -> tuple[Any, list[tuple[str, Any]]]:
    import negotiate as ng
    from negotiate.solvers.nash.behavior import BehaviorEquilibrium
    from tests.imperfect_games import kuhn_poker

    kuhn = GameTree.from_dict(kuhn_poker())
    good = ng.nash_equilibria(kuhn, method="lcp", refine="sequential")[0]
    folds = {k: dict(v) for k, v in good.behavior.items()}
    folds[("2", "2Q:b")] = {"fold": F(1), "call": F(0)}
    key = ("2", "2Q:b")  # reached on the path: Bayes' rule fixes the belief there
    beliefs = {k: dict(v) for k, v in (good.beliefs or {}).items()}
    nodes = list(beliefs[key])
    beliefs[key] = {n: F(int(n == nodes[0])) for n in nodes}
    return good, [
        ("player 2 always folds to a bet with the queen", BehaviorEquilibrium.of(kuhn, folds)),
        ("payoffs misreported", replace(good, payoffs=tuple(p + 1 for p in good.payoffs))),
        ("beliefs off Bayes' rule", replace(good, beliefs=beliefs)),
        (
            "an information set dropped",
            replace(good, behavior=dict(list(good.behavior.items())[1:])),
        ),
    ]


ASYMMETRIC_PENNIES = NormalFormGame.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]])


@case("solvers.qre.result.LogitQRE")
def _logit_qre() -> tuple[Any, list[tuple[str, Any]]]:
    import negotiate as ng
    from tests.imperfect_games import kuhn_poker

    good = ng.logit_qre(ASYMMETRIC_PENNIES, 2.5)
    (x, y) = good.probabilities or ()
    tree = ng.logit_qre(GameTree.from_dict(kuhn_poker()), 1.0)
    behavior = {k: dict(v) for k, v in (tree.behavior or {}).items()}
    bet = behavior[("2", "2Q:b")]
    behavior[("2", "2Q:b")] = {"fold": bet["call"], "call": bet["fold"]}
    other = NormalFormGame.from_arrays([[1, 0], [0, 9]], [[0, 1], [1, 0]])
    return good, [
        ("player 1's probabilities swapped", replace(good, probabilities=(x[::-1], y))),
        ("lam changed", replace(good, lam=good.lam + 0.5)),
        ("another game's response", replace(good, game=other)),
        ("a tree point's probabilities swapped", replace(tree, behavior=behavior)),
        ("a tree point's lam changed", replace(tree, lam=2 * tree.lam)),
    ]


@case("solvers.qre.result.LogitQREPath")
def _logit_qre_path() -> tuple[Any, list[tuple[str, Any]]]:
    import negotiate as ng

    good = ng.logit_qre_path(ASYMMETRIC_PENNIES, 20)
    pts = list(good.points)
    k = len(pts) // 2
    moved = replace(pts[k], lam=pts[k].lam * 1.01)
    (x, y) = pts[k].probabilities or ()
    swapped = replace(pts[k], probabilities=(x, y[::-1]))
    return good, [
        ("a point's lam changed", replace(good, points=(*pts[:k], moved, *pts[k + 1 :]))),
        (
            "a point's probabilities swapped",
            replace(good, points=(*pts[:k], swapped, *pts[k + 1 :])),
        ),
        (
            "points out of order",
            replace(good, points=(*pts[:k], pts[k + 1], pts[k], *pts[k + 2 :])),
        ),
        ("the start at lam = 0 dropped", replace(good, points=tuple(pts[1:]))),
    ]


@case("solvers.lp.zero_sum.ZeroSumSolution")
def _zero_sum() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.solvers.lp.zero_sum import zero_sum_value

    good = zero_sum_value(NormalFormGame.zero_sum([[2, -1], [-1, 1]]))
    return good, [
        ("value off by 1/100", replace(good, value=good.value + F(1, 100))),
        ("row strategy pure", replace(good, row_strategy=(F(1), F(0)))),
    ]


@case("solvers.lp.correlated.CorrelatedEquilibrium")
def _correlated() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.solvers.lp.correlated import correlated_equilibrium

    chicken = NormalFormGame.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]])
    good = correlated_equilibrium(chicken)
    profiles = list(good.distribution)
    both_dare = tuple(s[-1] for s in chicken.strategies)
    return good, [
        ("all mass on both daring", replace(good, distribution={both_dare: F(1)})),
        ("payoffs misreported", replace(good, payoffs=tuple(p + 1 for p in good.payoffs))),
        (
            "probabilities sum above 1",
            replace(good, distribution={**good.distribution, profiles[0]: F(2)}),
        ),
    ]


@case("solvers.lp.correlated.CorrelatedPolytope")
def _correlated_polytope() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.solvers.lp.correlated import correlated_polytope

    chicken = NormalFormGame.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]])
    good = correlated_polytope(chicken)
    first = good.constraints[0]
    flipped = replace(first, terms=tuple((k, -v) for k, v in first.terms))
    return good, [
        (
            "an incentive row with its sign flipped",
            replace(good, constraints=(flipped, *good.constraints[1:])),
        ),
        ("an incentive row dropped", replace(good, constraints=good.constraints[1:])),
    ]


@case("solvers.bargaining.solutions.BargainingSolution")
def _bargaining() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.solvers.bargaining.solutions import nash_bargaining

    good = nash_bargaining(issue_space().problem(("0.2", "0.1")))
    u = good.utilities
    return good, [
        ("a dominated point", replace(good, utilities=(u[0] - F(1, 100), u[1]))),
        ("off the Nash optimum", replace(good, utilities=(u[0] + F(1, 100), u[1] - F(1, 100)))),
    ]


@case("solvers.bargaining.linkage.LinkageValue")
def _linkage() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.solvers.bargaining.linkage import linkage_value

    good = linkage_value(issue_space(), ("0.2", "0.1"))
    s = good.split
    g = good.gain
    return good, [
        ("split utilities misreported", replace(good, split=(s[0] + F(1, 10), s[1]))),
        ("gain misreported", replace(good, gain=(g[0] + F(1, 10), g[1]))),
        ("Pareto flag flipped", replace(good, pareto_improvement=not good.pareto_improvement)),
    ]


@case("solvers.bargaining.batch.BatchSolution")
def _batch() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.solvers.bargaining.batch import nash_bargaining_batch

    good = nash_bargaining_batch(issue_space(), np.array([[0.2, 0.1], [0.1, 0.3], [0.0, 0.0]]))
    u = good.utilities.copy()
    u[0, 0] -= 0.05
    return good, [("a row off the frontier", replace(good, utilities=u))]


@case("solvers.pbe.result.PBEResult")
def _pbe() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.games.signaling import SignalingGame
    from negotiate.solvers.pbe.solve import perfect_bayesian

    good = perfect_bayesian(SignalingGame.from_dict(beer_quiche_dict()))
    eq = good.equilibria[0]
    pay = {k: v + 1 for k, v in eq.payoffs.items()}
    types = {k: v + 1 for k, v in eq.type_payoffs.items()}
    return good, [
        ("payoffs misreported", replace(good, equilibria=(replace(eq, payoffs=pay),))),
        ("type payoffs misreported", replace(good, equilibria=(replace(eq, type_payoffs=types),))),
    ]


# ------------------------------------------------------------------ scenario, sweeps, reports
@case("scenario.result.ScenarioResult")
def _scenario_result() -> tuple[Any, list[tuple[str, Any]]]:
    good = _scenario("us_iran_2025")
    st = good.state
    return good, [
        ("outcome flipped", replace(good, outcome=_other_outcome(good.outcome))),
        ("kappa off", replace(good, state=replace(st, kappa=st.kappa + F(1, 1000)))),
        (
            "disagreement point off",
            replace(
                good, state=replace(st, disagreement=(st.disagreement[0] + 1, st.disagreement[1]))
            ),
        ),
    ]


@case("sweeps.influence.InfluenceCheck")
def _influence() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.sweeps.influence import Influence, InfluenceCheck

    moves = Influence("threat", "the outcome: stalemate -> war when threat = 1", None)
    inert = Influence("noise", None, "no decision depends on it")
    good = InfluenceCheck("toy", (moves, inert))
    return good, [
        (
            "listed as inert but it moves the outcome",
            replace(good, items=(replace(moves, inert_reason="x"), inert)),
        ),
        ("inert but not listed", replace(good, items=(moves, replace(inert, inert_reason=None)))),
    ]


@case("scenario.counterfactual.Counterfactuals")
def _counterfactuals() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.scenario.counterfactual import counterfactuals

    good = counterfactuals(_scenario("us_iran_2025"))
    e = good.levers[0]
    low = replace(e.low, outcome=_other_outcome(e.low.outcome))
    out = [
        (
            "a lever point's outcome flipped",
            replace(good, levers=(replace(e, low=low), *good.levers[1:])),
        )
    ]
    if good.threats:
        t = good.threats[0]
        moved = replace(t, value=t.value + 1)
        out.append(("a threat's value off", replace(good, threats=(moved, *good.threats[1:]))))
    return good, out


@case("sweeps.api.SweepRun")
def _sweep_run() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.scenario import load_scenario
    from negotiate.sweeps import plan_sweep, run_sweep

    sc = load_scenario(MODELS / "us_iran_2025.toml")
    plan = plan_sweep(sc, ["guarantee=0:1:3", "reneging_hazard=0:0.5:2"], chunk_size=6)
    good = run_sweep(plan)
    codes = good.codes.copy()
    codes[...] = (codes + 1) % 3
    return good, [("every outcome code shifted", replace(good, codes=codes))]


@case("sweeps.result.SweepResult")
def _sweep_result() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.scenario import load_scenario
    from negotiate.sweeps import sweep

    sc = load_scenario(MODELS / "us_iran_2025.toml")
    good = sweep(sc, ["guarantee=0:1:5", "reneging_hazard=0:0.5:3"], engine="vectorized")
    data = good.data.copy(deep=True)
    codes = {"agreement": "stalemate", "stalemate": "agreement", "war": "agreement"}
    data["outcome"].values[...] = np.vectorize(codes.get)(data["outcome"].values)
    return good, [("every outcome relabelled", replace(good, data=data))]


@dataclasses.dataclass(frozen=True)
class _TippingCheck:
    """A tipping point with what its certificate needs (the scenario and the point)."""

    point: Any
    scenario: Any
    values: Any

    def verify(self) -> Any:
        return self.point.verify(self.scenario, self.values)


@case("scenario.tipping.TippingPoint")
def _tipping_point() -> tuple[Any, list[tuple[str, Any]]]:
    sc = _scenario("us_iran_2025").scenario
    result = sc.solve({"us_accepts_capped": 1})  # the relaxed US position: guarantee tips it
    tp = result.tipping_points["guarantee"]
    values = result.parameters
    good = _TippingCheck(tp, sc, values)
    far = tp.threshold + F(1, 10)
    return good, [
        (
            "threshold moved off the flip",
            _TippingCheck(
                replace(
                    tp, exact=far, threshold=far, bracket=(far - F(1, 2**40), far + F(1, 2**40))
                ),
                sc,
                values,
            ),
        ),
        (
            "wrong outcome after",
            _TippingCheck(replace(tp, outcome_after=_other_outcome(tp.outcome_after)), sc, values),
        ),
    ]


@case("uncertainty.result.UncertaintyResult")
def _uncertainty_result() -> tuple[Any, list[tuple[str, Any]]]:
    import negotiate as ng
    from negotiate.scenario import load_scenario

    sc = load_scenario(ROOT / "tests" / "data" / "uncertainty" / "region.toml")
    good = ng.uncertainty(sc, draws=400, seed=1)
    codes = (good.codes + 1) % 3
    shifted = {**good.probabilities, "agreement": good.probabilities["agreement"] + 0.05}
    return good, [
        ("every outcome code shifted", replace(good, codes=codes)),
        ("a probability misreported", replace(good, probabilities=shifted)),
    ]


@case("uncertainty.calibrate.CalibrationResult")
def _calibration_result() -> tuple[Any, list[tuple[str, Any]]]:
    import negotiate as ng
    from negotiate.scenario import load_scenario

    sc = load_scenario(ROOT / "tests" / "data" / "uncertainty" / "calibration.toml")
    good = ng.calibrate(sc, draws=400, seed=1)
    accepted = good.accepted.copy()
    accepted[:, good.parameters.index("x")] = 0.9  # outside the consistent region [3/10, 7/10)
    return good, [("accepted draws that contradict an episode", replace(good, accepted=accepted))]


@case("sweeps.sensitivity.Sensitivity")
def _sensitivity() -> tuple[Any, list[tuple[str, Any]]]:
    from negotiate.scenario import load_scenario
    from negotiate.sweeps.sensitivity import one_at_a_time

    good = one_at_a_time(load_scenario(MODELS / "us_iran_2025.toml"), "kappa", ["guarantee"])
    r = good.rows[0]
    return good, [
        ("baseline value off", replace(good, baseline_value=good.baseline_value + 0.01)),
        (
            "an end's outcome flipped",
            replace(good, rows=(replace(r, outcome_low=_other_outcome(r.outcome_low)),)),
        ),
    ]


@case("reports.findings.Findings")
def _findings() -> tuple[Any, list[tuple[str, Any]]]:
    good = _report().findings
    fid, f = next(iter(good.items.items()))
    failed = replace(f.certificate, ok=False)
    return good, [
        (
            "a failed certificate",
            replace(good, items={**good.items, fid: replace(f, certificate=failed)}),
        )
    ]


@case("reports.report.Report")
def _report_case() -> tuple[Any, list[tuple[str, Any]]]:
    good = _report()
    r = good.result
    return good, [
        (
            "the analysed outcome flipped",
            replace(good, result=replace(r, outcome=_other_outcome(r.outcome))),
        )
    ]


# ------------------------------------------------------------------ the tests
@pytest.mark.parametrize("key", sorted(CASES))
def test_a_wrong_result_fails_its_certificate(key: str) -> None:
    good, wrong = CASES[key]()
    cert = good.verify()
    assert cert.ok is True, f"{key}: the correct result fails: {cert}"
    assert wrong, f"{key}: no wrong result to feed"
    for name, bad in wrong:
        assert bad.verify().ok is False, f"{key}: the certificate accepts a wrong result ({name})"


def _verify_classes() -> set[str]:
    out = set()
    for path in sorted((ROOT / "negotiate").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT / "negotiate").with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(f, ast.FunctionDef) and f.name == "verify" for f in node.body
            ):
                out.add(f"{module}.{node.name}")
    return out


#: Bases whose ``verify`` only raises NotImplementedError for subclasses to override.
ABSTRACT = {"results.ResultMixin"}


def test_every_verify_has_a_negative_test() -> None:
    found = _verify_classes()
    assert len(found) > 30  # the scan sees the package
    missing = found - set(CASES) - ABSTRACT
    assert not missing, f"certificates without a negative test: {sorted(missing)}"
    stale = set(CASES) - found - {"scenario.tipping.TippingPoint"}
    assert not stale, f"negative tests for classes without verify(): {sorted(stale)}"


# ------------------------------------------------------------------ the three survivors
@pytest.mark.parametrize(
    ("expected", "computed", "tolerance", "passed"),
    [
        (1, 1 + 2e-9, 1e-9, False),  # just outside the tolerance
        (1, 1 + 5e-10, 1e-9, True),
        ([1, 2], [1, 2 + 2e-6], 1e-6, False),
        ([1, 2], [1, 2 + 5e-7], 1e-6, True),
        (0.5, 0.5 + 0.011, 0.01, False),
    ],
)
def test_check_close_respects_its_tolerance(expected, computed, tolerance, passed) -> None:
    assert check_close("claim", expected, computed, tolerance).passed is passed


def test_repeated_compliance_with_a_wrong_threshold_fails() -> None:
    from negotiate.theory import RepeatedCompliance

    good = RepeatedCompliance(5, 3, 1, "0.9", "0.25").solve()
    assert good.verify().ok
    for wrong in (good.critical_delta * F(101, 100), good.critical_delta * F(99, 100)):
        assert replace(good, critical_delta=wrong).verify().ok is False


def test_the_report_kappa_certificate_fails_on_a_wrong_kappa() -> None:
    from negotiate.reports.certify import Checker

    good = _scenario("us_iran_2025")
    assert Checker(good).kappa().ok
    for kappa in (good.state.kappa + F(1, 10**6), good.state.kappa * 2, F(1)):
        wrong = replace(good, state=replace(good.state, kappa=kappa))
        assert Checker(wrong).kappa().ok is False


# ------------------------------------------------------------------ symbolic closed forms
def _symbolic_cases() -> list[tuple[str, Callable[[], Any], str]]:
    from negotiate import theory as th

    a, b = sp.symbols("a b", positive=True)
    return [
        ("deterrence", lambda: th.Deterrence(1, 0, -1, a / 2).solve(), "challenge_value"),
        ("trust", lambda: th.Trust(a / 2, 1, "0.1", "0.8").solve(), "posterior"),
        ("sanctions", lambda: th.Sanctions("0.3", "0.1", "0.8", a / 2).solve(), "p_imposed"),
        ("signals", lambda: th.CostlySignals(a / 2, b / 2).solve(), "payoff_advantage"),
        ("shifting", lambda: th.ShiftingPower("0.8", "0.5", a / 4, "0.1").solve(), "surplus"),
        ("crisis", lambda: th.CrisisBargaining(a / 2, b / 4, "0.1").solve(), "width"),
        ("risk", lambda: th.RiskReturn(a / 2, "0.1", b / 2).solve(), "expected_utility"),
        ("rubinstein", lambda: th.Rubinstein(a / 2, b / 2).solve(), "proposer_share"),
        ("repeated", lambda: th.RepeatedCompliance(5, 3, 1, a / 2, b / 2).solve(), "max_hazard"),
    ]


@pytest.mark.parametrize("which", [c[0] for c in _symbolic_cases()])
def test_a_wrong_symbolic_closed_form_fails(which: str) -> None:
    """Substitution at sample points checks the symbolic record with the numeric
    certificate: a closed form scaled by 11/10 must fail."""
    _, build, name = next(c for c in _symbolic_cases() if c[0] == which)
    good = build()
    assert good.verify().ok, which
    wrong = replace(good, **{name: getattr(good, name) * sp.Rational(11, 10)})
    assert wrong.verify().ok is False, which
