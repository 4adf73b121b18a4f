"""Property tests: symbolic SPE regions against fresh exact backward induction at many points."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiate.expr import symbol
from negotiate.games.tree import GameTree
from negotiate.solvers.spe.solve import solve_numeric, subgame_perfect
from negotiate.solvers.spe.symbolic import SymbolicSPEResult
from negotiate.solvers.spe.verify import equilibrium_key
from tests.trees import IRAN, rubinstein3

PARAMS = {"x": {"domain": [0, 1]}, "y": {"domain": [-1, 1]}}
_coef = st.sampled_from([-1, 0, 0, 1, 2])


@st.composite
def _payoff(draw: Any) -> str:
    a, b, k = draw(_coef), draw(_coef), draw(st.sampled_from([-1, 0, 1, "1/2"]))
    return f"{a}*x + {b}*y + {k}"


@st.composite
def _node(draw: Any, depth: int) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(["terminal", "decision", "decision", "chance"])
        if depth
        else st.just("terminal")
    )
    if kind == "terminal":
        return {"payoffs": {"A": draw(_payoff()), "B": draw(_payoff())}}
    if kind == "chance":
        p = draw(st.sampled_from(["1/2", "1/3", "x", "x/2"]))
        return {
            "chance": {
                "h": {"probability": p, "then": draw(_node(depth - 1))},
                "t": {"probability": f"1 - ({p})", "then": draw(_node(depth - 1))},
            }
        }
    actions = draw(st.sampled_from([["l", "r"], ["l", "m", "r"]]))
    node: dict[str, Any] = {
        "player": draw(st.sampled_from(["A", "B"])),
        "actions": {a: draw(_node(depth - 1)) for a in actions},
    }
    if draw(st.booleans()):
        node["tie_break"] = draw(st.permutations(actions))[: draw(st.integers(1, len(actions)))]
    return node


@st.composite
def _trees(draw: Any, depth: int = 3) -> dict[str, Any]:
    root = draw(_node(depth))
    if "payoffs" in root:
        root = {"player": "A", "actions": {"only": root}}
    return {"players": ["A", "B"], "parameters": PARAMS, "root": root}


_grid = st.fractions(min_value=0, max_value=1, max_denominator=4)
_fine = st.fractions(min_value=0, max_value=1, max_denominator=60)
_points = st.lists(
    st.tuples(st.one_of(_grid, _fine), st.one_of(_grid, _fine).map(lambda v: 2 * v - 1)),
    min_size=16,
    max_size=16,
)


def _check_point(result: SymbolicSPEResult, tree: GameTree, x: Fraction, y: Fraction) -> None:
    point = {"x": x, "y": y}
    fresh = solve_numeric(tree.bind(point))
    got = result.at(point)
    assert equilibrium_key(got) == equilibrium_key(fresh)
    inside = [r for r in result.regions if r.contains(point)]
    assert len(inside) == 1
    # the displayed sympy condition says the same as the exact cell test
    subs = {
        symbol("x"): sp.Rational(x.numerator, x.denominator),
        symbol("y"): sp.Rational(y.numerator, y.denominator),
    }
    shown = [r for r in result.regions if bool(r.condition.xreplace(subs))]
    assert shown == inside
    for eq in got.equilibria:
        for path, action in eq.strategy.items():
            assert bool(result.credible(path, action).xreplace(subs))


def _regions_agree(d: dict[str, Any], points: list[tuple[Fraction, Fraction]]) -> None:
    tree = GameTree.from_dict(d)
    result = subgame_perfect(tree)
    if not tree.is_symbolic:
        return
    assert isinstance(result, SymbolicSPEResult)
    for x, y in points:
        _check_point(result, tree, x, y)


_SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}


@settings(max_examples=25, **_SETTINGS)  # type: ignore[arg-type]
@given(_trees(depth=2), _points)
def test_regions_agree_with_fresh_backward_induction(d, points):
    _regions_agree(d, points)


@pytest.mark.heavy
@settings(max_examples=60, **_SETTINGS)  # type: ignore[arg-type]
@given(_trees(), _points)
def test_regions_agree_with_fresh_backward_induction_many_trees(d, points):
    _regions_agree(d, points)


@pytest.mark.parametrize("which", ["iran", "rubinstein_unit_box"])
def test_hundreds_of_points_on_the_acceptance_trees(which):
    if which == "iran":
        d, names = IRAN, ("c", "e")
    else:
        d = rubinstein3()
        d["parameters"] = {"d1": {"domain": [0, 1]}, "d2": {"domain": [0, 1]}}  # ties at 0, 1
        names = ("d1", "d2")
    tree = GameTree.from_dict(d)
    result = subgame_perfect(tree)
    doms = [tree.parameters[n].domain for n in names]
    import random

    rng = random.Random(3)
    n = 300 if which == "iran" else 120
    for k in range(n):
        den = rng.choice([2, 3, 4, 10, 97])
        point = {
            nm: lo + (hi - lo) * Fraction(rng.randint(0, den), den)
            for nm, (lo, hi) in zip(names, doms, strict=True)
        }
        fresh = solve_numeric(tree.bind(point))
        got = result.at(point)
        assert equilibrium_key(got) == equilibrium_key(fresh), (k, point)
        assert sum(r.contains(point) for r in result.regions) == 1
