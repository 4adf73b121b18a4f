"""zero_sum_value: exact value and optimal strategies by LP, certified exactly."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from negotiate.errors import NotApplicableError, SolverError, TooLargeError
from negotiate.games.normal import NormalFormGame
from negotiate.solvers.lp import exact_lp as _exact_lp
from negotiate.solvers.lp.zero_sum import zero_sum_value

F = Fraction


def test_matching_pennies() -> None:
    g = NormalFormGame.zero_sum(
        [[1, -1], [-1, 1]], players=["US", "Iran"], strategies=[["H", "T"], ["H", "T"]]
    )
    sol = zero_sum_value(g)
    assert sol.value == 0
    assert sol.row_strategy == (F(1, 2), F(1, 2))
    assert sol.column_strategy == (F(1, 2), F(1, 2))
    assert sol.strategy("Iran") == {"H": F(1, 2), "T": F(1, 2)}
    assert sol.payoffs == (0, 0)
    cert = sol.verify()
    assert cert.ok and cert.exact
    assert cert.max_regret == 0 and cert.duality_gap == 0


def test_hand_worked_two_by_two() -> None:
    # p*2 - (1-p) = -p + (1-p)  =>  p = 2/5, v = 1/5;  q symmetric
    sol = zero_sum_value(NormalFormGame.zero_sum([[2, -1], [-1, 1]]))
    assert sol.value == F(1, 5)
    assert sol.row_strategy == (F(2, 5), F(3, 5))
    assert sol.column_strategy == (F(2, 5), F(3, 5))


def test_rock_paper_scissors_has_the_unique_uniform_solution() -> None:
    sol = zero_sum_value(NormalFormGame.zero_sum([[0, -1, 1], [1, 0, -1], [-1, 1, 0]]))
    assert sol.value == 0
    assert sol.row_strategy == sol.column_strategy == (F(1, 3),) * 3


def test_saddle_point_in_pure_strategies() -> None:
    sol = zero_sum_value(NormalFormGame.zero_sum([[4, 2, 5], [3, 1, 0], [6, 2, "5/2"]]))
    assert sol.value == 2  # row 0 or 2 against column 1
    assert sol.verify().row_guarantee == 2
    assert sol.column_strategy == (0, 1, 0)


@pytest.mark.parametrize(
    "a, value",
    [([[3]], 3), ([[1, 2, 3]], 1), ([[1], [2], [3]], 3), ([[7, 7], [7, 7]], 7)],
)
def test_edge_shapes(a: list[list[int]], value: int) -> None:
    sol = zero_sum_value(NormalFormGame.zero_sum(a))
    assert sol.value == value
    assert sol.verify().ok


def test_huge_and_mixed_magnitudes_are_exact() -> None:
    # column probability 1/(10^18 + 1): invisible to double precision next to 1
    sol = zero_sum_value(NormalFormGame.zero_sum([[10**18, 0], [0, 1]]))
    assert sol.value == F(10**18, 10**18 + 1)
    assert sol.row_strategy == (F(1, 10**18 + 1), F(10**18, 10**18 + 1))
    assert sol.verify().ok
    pennies = zero_sum_value(NormalFormGame.zero_sum([["1e300", "-1e300"], ["-1e300", "1e300"]]))
    assert pennies.value == 0 and pennies.row_strategy == (F(1, 2), F(1, 2))
    tiny = zero_sum_value(NormalFormGame.zero_sum([["2e-300", "-1e-300"], ["-1e-300", "1e-300"]]))
    assert tiny.value == F(1, 5) * F(1, 10**300)


def test_constant_sum_game_is_accepted() -> None:
    g = NormalFormGame.from_arrays([[1, 0], [0, 1]], [[0, 1], [1, 0]])
    sol = zero_sum_value(g)
    assert sol.value == F(1, 2) and sol.payoffs == (F(1, 2), F(1, 2))
    assert any("constant-sum" in n for n in sol.notes)


def test_non_zero_sum_game_is_not_applicable() -> None:
    g = NormalFormGame.from_arrays([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    with pytest.raises(NotApplicableError, match="not zero-sum") as info:
        zero_sum_value(g)
    assert "nash_equilibria" in info.value.applicable
    three = NormalFormGame.from_arrays(*([[[0, 0], [0, 0]], [[0, 0], [0, 0]]],) * 3)
    with pytest.raises(NotApplicableError, match="two players"):
        zero_sum_value(three)


def test_budget() -> None:
    g = NormalFormGame.zero_sum(np.eye(8, dtype=int))
    with pytest.raises(TooLargeError) as info:
        zero_sum_value(g, max_cost=1000)
    assert info.value.cost == 16**3 and "max_cost" in str(info.value)
    assert zero_sum_value(g).value == F(1, 8)


def test_float_input_is_noted() -> None:
    with pytest.warns(Warning):
        g = NormalFormGame.zero_sum([[0.5, -0.25], [-0.25, 0.5]])
    sol = zero_sum_value(g)
    assert sol.value == F(1, 8)
    assert any("float" in n for n in sol.notes)


def test_exact_fallback_gives_the_same_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    a = [[0, 0, 6, 0, 0], [0, 0, 3, 2, 1], [4, 3, 0, 0, 1]]
    fast = zero_sum_value(NormalFormGame.zero_sum(a))
    monkeypatch.setattr(_exact_lp, "_via_highs", lambda lp: "disabled")
    slow = zero_sum_value(NormalFormGame.zero_sum(a))
    assert slow.method.startswith("cddlib") and fast.method.startswith("HiGHS")
    assert fast.value == slow.value == 1
    assert slow.verify().ok


def test_no_verified_answer_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_exact_lp, "_via_highs", lambda lp: "float answer off")
    monkeypatch.setattr(_exact_lp, "_via_cdd", lambda lp: "exact answer off")
    with pytest.raises(SolverError, match=r"float answer off.*exact answer off"):
        zero_sum_value(NormalFormGame.zero_sum([[1, -1], [-1, 1]]))


def test_summary_and_dict() -> None:
    g = NormalFormGame.zero_sum(
        [[2, -1], [-1, 1]], players=["US", "Iran"], strategies=[["a", "b"], ["c", "d"]]
    )
    sol = zero_sum_value(g)
    text = sol.summary().to_text()
    assert "US" in text and "1/5" in text and "2/5" in text
    d = sol.to_dict()
    assert d["value"] == "1/5"
    assert d["strategies"]["Iran"] == {"c": "2/5", "d": "3/5"}
    assert "<td>" in sol.summary().to_html()


# ---------------------------------------------------------------- properties
matrices = st.integers(1, 5).flatmap(
    lambda m: st.integers(1, 5).flatmap(
        lambda n: st.lists(
            st.lists(st.integers(-9, 9), min_size=n, max_size=n), min_size=m, max_size=m
        )
    )
)


@settings(max_examples=150, deadline=None)
@given(matrices)
def test_value_is_certified_and_agrees_with_a_float_lp(a: list[list[int]]) -> None:
    sol = zero_sum_value(NormalFormGame.zero_sum(a))
    assert sol.verify().ok
    arr = np.array(a, dtype=float)
    assert arr.min(axis=1).max() <= sol.value <= arr.max(axis=0).min()
    m, n = arr.shape
    # independent float LP: min over (q, w) of w with A q <= w
    res = linprog(
        np.r_[np.zeros(n), 1.0],
        A_ub=np.c_[arr, -np.ones(m)],
        b_ub=np.zeros(m),
        A_eq=np.r_[np.ones(n), 0.0][None, :],
        b_eq=[1.0],
        bounds=[(0, None)] * n + [(None, None)],
        method="highs",
    )
    assert abs(res.fun - float(sol.value)) < 1e-9


@settings(max_examples=100, deadline=None)
@given(
    matrices,
    st.sampled_from([F(1), F(10**9), F(1, 10**9), F(3, 7)]),
    st.integers(-(10**12), 10**12),
    st.randoms(use_true_random=False),
)
def test_value_transforms_with_the_game(
    a: list[list[int]], scale: Fraction, shift: int, rnd: object
) -> None:
    base = zero_sum_value(NormalFormGame.zero_sum(a)).value
    scaled = [[scale * x + shift for x in row] for row in a]
    assert zero_sum_value(NormalFormGame.zero_sum(scaled)).value == scale * base + shift
    rows = list(range(len(a)))
    rnd.shuffle(rows)  # type: ignore[attr-defined]
    permuted = [a[r] for r in rows]
    assert zero_sum_value(NormalFormGame.zero_sum(permuted)).value == base
    swapped = [[-a[r][c] for r in range(len(a))] for c in range(len(a[0]))]
    assert zero_sum_value(NormalFormGame.zero_sum(swapped)).value == -base


@settings(max_examples=60, deadline=None)
@given(matrices)
def test_every_nash_equilibrium_earns_the_value(a: list[list[int]]) -> None:
    """The LP value equals p^T A q at every equilibrium (all share it)."""
    from negotiate.solvers.nash.solve import nash_equilibria

    g = NormalFormGame.zero_sum(a)
    sol = zero_sum_value(g)
    eqs = nash_equilibria(g)
    assert eqs.equilibria
    for eq in eqs.equilibria:
        assert eq.payoffs == (sol.value, -sol.value)
    # and the LP's optimal pair is itself a Nash equilibrium of the game
    assert g.max_regret(sol.probabilities) == 0
