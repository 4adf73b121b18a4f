"""Equilibria of game trees with information sets (sequence form: lcp, enum; pure)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import cdd
import cdd.gmp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imperfect_games import kuhn_poker, matching_pennies_tree, random_tree, selten_horse

import negotiate as ng
from negotiate.errors import ModelError, NotApplicableError, TooLargeError
from negotiate.games.tree import GameTree
from negotiate.solvers.nash.behavior import BehaviorEquilibriumSet
from negotiate.solvers.nash.enummixed import enummixed
from negotiate.solvers.nash.reduced_normal import reduced_normal_form, reduced_plans
from negotiate.solvers.nash.sequence_form import SequenceForm, plan_from_behavior, sequence_form

KUHN = GameTree.from_dict(kuhn_poker())
HALF = Fraction(1, 2)


@pytest.mark.parametrize("method", ["lcp", "enum", "auto"])
def test_kuhn_poker_value(method: str) -> None:
    result = ng.nash_equilibria(KUHN, method=method)
    assert result.verify().ok
    assert {eq.payoffs for eq in result} == {(Fraction(-1, 18), Fraction(1, 18))}
    for eq in result:  # player 2 with a queen calls a bet a third of the time (Kuhn 1950)
        assert eq.behavior[("2", "2Q:b")]["call"] == Fraction(1, 3)
        assert eq.behavior[("2", "2K:b")]["call"] == 1
        assert eq.behavior[("1", "1K")]["bet"] == 3 * eq.behavior[("1", "1J")]["bet"]


def test_kuhn_enum_finds_the_family_ends() -> None:
    result = ng.nash_equilibria(KUHN, method="enum")
    assert result.complete and result.method == "enum"
    # player 1 bets a jack with any alpha in [0, 1/3]: the extreme ones are 0 and 1/3
    assert sorted(eq.behavior[("1", "1J")]["bet"] for eq in result) == [0, Fraction(1, 3)]


def test_matching_pennies_tree() -> None:
    tree = GameTree.from_dict(matching_pennies_tree())
    for method in ("lcp", "enum"):
        (eq,) = ng.nash_equilibria(tree, method=method).equilibria
        assert eq.behavior[("1", ())] == {"H": HALF, "T": HALF}
        assert eq.behavior[("2", "2")] == {"h": HALF, "t": HALF}


def test_selten_horse_pure_equilibria() -> None:
    tree = GameTree.from_dict(selten_horse())
    with pytest.raises(NotApplicableError, match="pure"):
        ng.nash_equilibria(tree)  # three players: auto passes no partial answer off as whole
    result = ng.nash_equilibria(tree, "pure")
    assert result.verify().ok
    found = {
        (
            next(a for a, p in eq.behavior[("1", ())].items() if p == 1),
            next(a for a, p in eq.behavior[("2", ("C",))].items() if p == 1),
            next(a for a, p in eq.behavior[("3", "3")].items() if p == 1),
        )
        for eq in result
    }
    assert found == {("C", "c", "R"), ("C", "d", "R"), ("D", "c", "L")}


def test_wrong_profile_is_rejected() -> None:
    good = ng.nash_equilibria(KUHN, method="lcp")[0]
    wrong = {k: dict(v) for k, v in good.behavior.items()}
    wrong[("2", "2Q:b")] = {"fold": Fraction(1), "call": Fraction(0)}
    result = BehaviorEquilibriumSet.build(KUHN, [wrong], method="test", options={}, complete=False)
    cert = result.verify()
    assert not cert.ok and cert.quantities["max_regret"] > 0
    assert result[0].regrets()[0] > 0  # player 1 now gains by bluffing more
    broken = {k: dict(v) for k, v in good.behavior.items()}
    broken[("1", "1J")] = {"check": Fraction(1), "bet": Fraction(1)}
    bad = BehaviorEquilibriumSet.build(KUHN, [broken], method="test", options={}, complete=False)
    assert not bad.verify().ok


def test_no_perfect_recall_is_a_model_error() -> None:
    forgetful = {
        "players": ["1", "2"],
        "root": {
            "player": "1",
            "actions": {
                a: {
                    "player": "1",
                    "infoset": "forget",
                    "actions": {
                        "l": {"payoffs": {"1": "1", "2": "0"}},
                        "r": {"payoffs": {"1": "0", "2": "1"}},
                    },
                }
                for a in ("a", "b")
            },
        },
    }
    tree = GameTree.from_dict(forgetful)
    for method in ("lcp", "enum", "pure"):
        with pytest.raises(ModelError, match="perfect recall") as info:
            ng.nash_equilibria(tree, method=method)
        assert info.value.field == "infosets['forget']"


def test_huge_payoffs_are_rescaled_exactly() -> None:
    d = kuhn_poker()
    big = 10**40

    def scale(node: dict[str, Any]) -> None:
        if "payoffs" in node:
            node["payoffs"] = {
                p: f"({v}) * 10**40 + 7 * 10**40" for p, v in node["payoffs"].items()
            }
        for child in node.get("actions", {}).values():
            scale(child)
        for item in node.get("chance", {}).values():
            scale(item["then"])

    scale(d["root"])
    tree = GameTree.from_dict(d)
    (eq,) = ng.nash_equilibria(tree, method="lcp").equilibria
    assert eq.payoffs[0] == Fraction(-1, 18) * big + 7 * big
    assert ng.nash_equilibria(tree, method="lcp").verify().ok


def test_budget_and_applicability() -> None:
    with pytest.raises(TooLargeError, match="lcp"):
        ng.nash_equilibria(KUHN, method="enum", max_cost=10)
    auto = ng.nash_equilibria(KUHN, max_cost=10)
    assert "'lcp'" in auto.notes[-1] and auto.verify().ok
    horse = GameTree.from_dict(selten_horse())
    with pytest.raises(NotApplicableError, match="pure"):
        ng.nash_equilibria(horse, method="lcp")
    symbolic = GameTree.from_dict(
        {
            "players": ["1", "2"],
            "parameters": {"c": {"domain": [0, 1]}},
            "root": {
                "player": "1",
                "actions": {
                    "a": {"payoffs": {"1": "c", "2": "0"}},
                    "b": {"payoffs": {"1": "0", "2": "1"}},
                },
            },
        }
    )
    with pytest.raises(NotApplicableError, match="bind"):
        ng.nash_equilibria(symbolic, method="lcp")
    with pytest.raises(ModelError, match="n_covering"):
        ng.nash_equilibria(KUHN, method="enum", n_covering=2)


# ----------------------------------------------------------------- against the normal form
def _plans(sf: SequenceForm, eq: Any) -> tuple[tuple[Fraction, ...], ...]:
    return tuple(tuple(plan_from_behavior(ps, eq.behavior)) for ps in sf.players)


def _image(tree: GameTree, sf: SequenceForm, mixed: Any) -> tuple[tuple[Fraction, ...], ...]:
    """The realization plans of a mixed profile over reduced strategies."""
    out = []
    for i, player in enumerate(tree.players):
        plans = reduced_plans(tree, player)
        out.append(
            tuple(
                sum(
                    (
                        pr
                        for pl, pr in zip(plans, mixed[i], strict=True)
                        if all(pl.get(k) == a for k, a in seq)
                    ),
                    Fraction(0),
                )
                for seq in sf.players[i].sequences
            )
        )
    return tuple(out)


def _in_hull(point: tuple[Fraction, ...], points: list[tuple[Fraction, ...]]) -> bool:
    """Exact: is ``point`` a convex combination of ``points`` (cdd feasibility)?"""
    k = len(points)
    rows = [[0] + [int(i == j) for j in range(k)] for i in range(k)]
    lin = []
    for c in range(len(point)):
        lin.append(len(rows))
        rows.append([-point[c], *(p[c] for p in points)])
    lin.append(len(rows))
    rows.append([-1] + [1] * k)
    mat = cdd.gmp.matrix_from_array(rows, lin_set=lin, rep_type=cdd.RepType.INEQUALITY)
    gens = cdd.gmp.copy_generators(cdd.gmp.polyhedron_from_matrix(mat))
    return any(g[0] == 1 for g in gens.array)


@settings(max_examples=25, derandomize=True, deadline=None)
@given(st.integers(0, 10**6))
def test_enum_agrees_with_the_reduced_normal_form(seed: int) -> None:
    tree = GameTree.from_dict(random_tree(seed, big=4))
    game = reduced_normal_form(tree)
    if game.shape[0] * game.shape[1] > 64:
        return
    sf = sequence_form(tree)
    result = ng.nash_equilibria(tree, method="enum")
    assert result.verify().ok
    ours = [_plans(sf, eq) for eq in result]
    rnf = enummixed(game)
    theirs = [_image(tree, sf, eq.probabilities) for eq in rnf]
    # every pure equilibrium of the reduced normal form is found
    assert {t for t, eq in zip(theirs, rnf, strict=True) if eq.is_pure} <= set(ours)
    # every extreme equilibrium of the normal form lies in the hull of ours, player by player
    for x, y in theirs:
        assert _in_hull(x, [o[0] for o in ours]) and _in_hull(y, [o[1] for o in ours])
    # and ours are equilibria of the normal form (mapped to mixed strategies over plans)
    for x, y in ours:
        assert _in_hull(x, [t[0] for t in theirs]) and _in_hull(y, [t[1] for t in theirs])


@settings(max_examples=40, derandomize=True, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 3))
def test_lcp_is_an_equilibrium_on_random_trees(seed: int, n_covering: int) -> None:
    tree = GameTree.from_dict(random_tree(seed))
    result = ng.nash_equilibria(tree, method="lcp", n_covering=n_covering)
    assert result.verify().ok
    assert 1 <= len(result) <= n_covering


def test_lemke_switches_to_exact_integers_when_entries_grow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from negotiate.solvers.nash import lcp
    from negotiate.solvers.nash.sequence_lcp import lcp_system

    mat, q, _ = lcp_system(sequence_form(KUHN))
    z, pivots = lcp.lemke(mat, q, [1] * len(q))
    start = max(abs(v) for row in [*mat, q] for v in row) + 1
    monkeypatch.setattr(lcp, "_SMALL", start)  # machine integers only at the start
    assert lcp.lemke(mat, q, [1] * len(q)) == (z, pivots)
    monkeypatch.setattr(lcp, "_SMALL", 1)  # exact Python integers throughout
    assert lcp.lemke(mat, q, [1] * len(q)) == (z, pivots)
