"""Lexicographic Lemke–Howson: verified, terminating, every label usable; float first, exact
fallback."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from negotiate import ModelError, NormalFormGame
from negotiate.solvers.nash import lemke_howson as lh
from negotiate.solvers.nash._bimatrix import integer_game
from negotiate.solvers.nash._lh_float import loop_path, numba_kernel, numpy_path, run_kernel
from negotiate.solvers.nash.lemke_howson import (
    lemke_howson,
    lemke_howson_float,
    lemke_howson_profile,
    path_bound,
    rebuild,
)
from negotiate.solvers.nash.solve import nash_equilibria
from tests.test_nash_regressions import CASES


@pytest.mark.parametrize("name", list(CASES))
def test_every_label_gives_a_verified_extreme_equilibrium(name: str) -> None:
    a, b, expected, *_ = CASES[name]
    game = NormalFormGame.from_arrays(a, b)
    for label in range(sum(game.shape)):
        result = nash_equilibria(game, "lemke_howson", initial_label=label)
        (eq,) = result.equilibria
        assert eq.probabilities in expected
        assert result.verify().max_regret == 0
        assert result.complete is False and result.degenerate is None
        assert result.maximal_subsets is None and result.components is None
        assert result.options["initial_label"] == label


def test_label_by_player_and_strategy() -> None:
    game = NormalFormGame.from_arrays(
        [[3, 0], [0, 2]], [[2, 0], [0, 3]], players=["A", "B"], strategies=[["x", "y"], ["u", "v"]]
    )
    by_pair = lemke_howson(game, initial_label=("B", "v")).equilibria[0]
    by_number = lemke_howson(game, initial_label=3).equilibria[0]
    assert by_pair == by_number


@pytest.mark.parametrize("bad", [-1, 4, 1.5, True, "x", ("A", "nope")])
def test_bad_labels_are_model_errors(bad: object) -> None:
    game = NormalFormGame.from_arrays(
        [[3, 0], [0, 2]], [[2, 0], [0, 3]], players=["A", "B"], strategies=[["x", "y"], ["u", "v"]]
    )
    with pytest.raises(ModelError):
        lemke_howson(game, initial_label=bad)


def test_one_strategy_players_terminate() -> None:
    for a, b in [([[5]], [[3]]), ([[1, 2, 3]], [[0, 0, 0]]), ([[1], [1], [0]], [[2], [2], [2]])]:
        game = NormalFormGame.from_arrays(a, b)
        for label in range(sum(game.shape)):
            assert lemke_howson(game, initial_label=label).equilibria[0].max_regret() == 0


def test_large_game_is_fast_and_exact() -> None:
    rnd = random.Random(7)
    n = 30
    a = [[Fraction(rnd.randint(-999, 999), 1000) for _ in range(n)] for _ in range(n)]
    b = [[Fraction(rnd.randint(-999, 999), 1000) for _ in range(n)] for _ in range(n)]
    game = NormalFormGame.from_arrays(a, b)
    eq = lemke_howson(game, initial_label=17).equilibria[0]
    assert eq.max_regret() == 0


def test_degenerate_cyclic_game_all_labels() -> None:
    # identity-like payoffs with many ties: every pure profile on the diagonal is an equilibrium
    n = 5
    eye = [[int(i == j) for j in range(n)] for i in range(n)]
    game = NormalFormGame.from_arrays(eye, eye)
    found = {eq.probabilities for eq in nash_equilibria(game).equilibria}
    for label in range(2 * n):
        assert lemke_howson(game, initial_label=label).equilibria[0].probabilities in found


# ------------------------------------------------------- float first, exact fallback
def _tied_games() -> list[tuple[str, list, list]]:
    """Games with ties in the ratio test: the degenerate regression cases and small payoffs."""
    games = [(name, a, b) for name, (a, b, *_rest) in CASES.items() if _rest[-1]]
    rnd = random.Random(11)
    for k in range(12):
        m, n = rnd.randint(2, 5), rnd.randint(2, 5)
        a = [[rnd.randint(0, 2) for _ in range(n)] for _ in range(m)]
        b = [[rnd.randint(0, 2) for _ in range(n)] for _ in range(m)]
        games.append((f"small payoffs {k}", a, b))
    return games


KERNELS = {"numpy": numpy_path, "loops": loop_path}
if numba_kernel() is not None:
    KERNELS["numba"] = numba_kernel()


@pytest.mark.parametrize("kernel", list(KERNELS))
@pytest.mark.parametrize("case", _tied_games(), ids=lambda c: c[0])
def test_float_path_rebuilds_the_exact_pivoting_equilibrium(case: tuple, kernel: str) -> None:
    _, a, b = case
    data = integer_game(NormalFormGame.from_arrays(a, b))
    m, n = len(data.a), len(data.b[0])
    for label in range(m + n):
        found = lemke_howson_float(data.a, data.b, label, kernel=KERNELS[kernel])
        assert found is not None
        x, y, steps = lemke_howson_profile(data.a, data.b, label)
        assert rebuild(data.a, data.bt, found[0], found[1]) == (x, y)
        assert found[2] == steps < path_bound(m, n)


def test_float_first_equals_exact_pivoting_on_random_games() -> None:
    rnd = random.Random(23)
    for _ in range(25):
        m, n = rnd.randint(1, 7), rnd.randint(1, 7)
        a = [[Fraction(rnd.randint(-999, 999), 1000) for _ in range(n)] for _ in range(m)]
        b = [[Fraction(rnd.randint(-999, 999), 1000) for _ in range(n)] for _ in range(m)]
        game = NormalFormGame.from_arrays(a, b)
        data = integer_game(game)
        for label in range(m + n):
            result = lemke_howson(game, initial_label=label)
            assert "float pivoting" in result.notes[-1]
            assert (
                result.equilibria[0].probabilities
                == lemke_howson_profile(data.a, data.b, label)[:2]
            )


# A tie tolerance of 0.3 makes the float ratio test pick rows that the exact rule does not;
# on this game the float path from label 0 then returns to a state it has visited.
CYCLING = (
    [[2, 2, 2, 2], [2, 3, 0, 0], [1, 2, 3, 2]],
    [[0, 3, 2, 1], [0, 2, 0, 2], [1, 0, 0, 3]],
)


@pytest.mark.parametrize("kernel", list(KERNELS))
def test_a_cycling_float_path_is_detected(kernel: str) -> None:
    data = integer_game(NormalFormGame.from_arrays(*CYCLING))
    fa, fb = data.fa / data.fa.max(), data.fb / data.fb.max()
    # -3: a repeated state, long before the pivot cap (-2) is reached
    assert run_kernel(KERNELS[kernel], fa, fb, 0, 10**6, 0.3) == -3


def test_a_cycling_float_path_falls_back_to_exact_pivoting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    game = NormalFormGame.from_arrays(*CYCLING)
    data = integer_game(game)
    monkeypatch.setattr(lh, "_TIE", 0.3)
    assert lemke_howson_float(data.a, data.b, 0) is None
    result = lemke_howson(game, initial_label=0)
    assert "exact integer pivoting" in result.notes[-1]
    assert result.equilibria[0].probabilities == lemke_howson_profile(data.a, data.b, 0)[:2]
    assert result.equilibria[0].max_regret() == 0


E = 10**15
# Ratios 1e-15 apart: the float ratio test calls them tied and breaks the tie wrongly, so the
# float path ends on bases that are not an equilibrium (first game) or runs into a ray
# (second game).
NEAR_TIES = {
    "wrong bases": (
        [[E + 1, E, E], [E, E, E], [E, 0, 2 * E]],
        [[E, E + 1, 0], [E + 2, E, 2 * E], [0, E + 1, E]],
    ),
    "ray": ([[0, 0], [E + 1, E]], [[E + 1, E + 1], [2 * E, E]]),
}


@pytest.mark.parametrize("name", list(NEAR_TIES))
def test_a_tie_decided_wrongly_in_floats_falls_back_to_exact_pivoting(name: str) -> None:
    game = NormalFormGame.from_arrays(*NEAR_TIES[name])
    data = integer_game(game)
    found = lemke_howson_float(data.a, data.b, 0)
    if name == "ray":
        assert found is None
    else:
        assert found is not None and rebuild(data.a, data.bt, found[0], found[1]) is None
    result = lemke_howson(game, initial_label=0)
    (eq,) = result.equilibria
    assert eq.max_regret() == 0
    assert eq.probabilities == lemke_howson_profile(data.a, data.b, 0)[:2]
    assert "exact integer pivoting" in result.notes[-1]


@pytest.mark.parametrize(
    "forced",
    [lambda a, b, label: None, lambda a, b, label: (list(range(2, 4)), [0, 1], 1)],
    ids=["float path gives up", "float path ends on wrong bases"],
)
def test_forced_float_failures_still_return_a_verified_equilibrium(
    monkeypatch: pytest.MonkeyPatch, forced: object
) -> None:
    game = NormalFormGame.from_arrays([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    monkeypatch.setattr(lh, "_float_path_hook", forced)
    for label in range(4):
        result = lemke_howson(game, initial_label=label)
        assert result.equilibria[0].max_regret() == 0
        assert "exact integer pivoting" in result.notes[-1]
    monkeypatch.setattr(lh, "_float_path_hook", None)
    assert "float pivoting" in lemke_howson(game).notes[-1]


# ------------------------------------------------------- integer payoffs
@pytest.mark.parametrize(
    ("scale", "shift"),
    [
        (Fraction(1), Fraction(0)),
        (Fraction(10**40), Fraction(3, 7)),
        (Fraction(1, 10**40), -(10**50)),
    ],
    ids=["int64 passes", "huge", "tiny over a huge shift"],
)
def test_integer_payoffs_do_not_depend_on_the_scale(scale: Fraction, shift: Fraction) -> None:
    rnd = random.Random(5)
    a = [
        [Fraction(rnd.randint(-999, 999), rnd.choice([1, 8, 1000])) for _ in range(4)]
        for _ in range(3)
    ]
    b = [[Fraction(rnd.randint(-9, 9)) for _ in range(4)] for _ in range(3)]
    base = integer_game(NormalFormGame.from_arrays(a, b))
    moved = [[v * scale + shift for v in row] for row in a]
    data = integer_game(NormalFormGame.from_arrays(moved, b))
    assert (data.a, data.b) == (base.a, base.b)
    assert data.fa.tolist() == [[float(v) for v in row] for row in base.a]
    assert min(v for row in data.a for v in row) == 1
    assert lemke_howson(NormalFormGame.from_arrays(moved, b)).equilibria[0].max_regret() == 0


@pytest.mark.parametrize("numba", [True, False], ids=["numba takes over", "numpy resumes"])
def test_a_long_float_path_is_handed_over_mid_way(
    monkeypatch: pytest.MonkeyPatch, numba: bool
) -> None:
    from negotiate.solvers.nash import _lh_float

    rnd = random.Random(3)
    a = [[rnd.randint(-999, 999) for _ in range(12)] for _ in range(12)]
    b = [[rnd.randint(-999, 999) for _ in range(12)] for _ in range(12)]
    data = integer_game(NormalFormGame.from_arrays(a, b))
    fa, fb = data.fa / data.fa.max(), data.fb / data.fb.max()
    monkeypatch.setattr(_lh_float, "NUMBA_MIN_SIZE", 0)
    monkeypatch.setattr(_lh_float, "HANDOVER", 2)
    monkeypatch.setattr(_lh_float, "_COMPILED", [])
    if not numba:
        monkeypatch.setattr(_lh_float, "numba_kernel", lambda: None)
    for label in range(24):
        whole = _lh_float.float_path(fa, fb, label, 10**6, 1e-9, numpy_path)
        assert whole is not None
        monkeypatch.setattr(_lh_float, "_COMPILED", [])
        assert _lh_float.float_path(fa, fb, label, 10**6, 1e-9) == whole
