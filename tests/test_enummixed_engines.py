"""The enumeration engines of ``enummixed``: lrs and cdd vertices, exact screening, "auto".

lrs-dependent tests are skipped when lrslib's ``lrs`` is not installed (CI installs it).
"""

from __future__ import annotations

import random
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate import NormalFormGame
from negotiate.errors import ModelError, SolverError
from negotiate.solvers.nash import _partners, _polytope
from negotiate.solvers.nash import enummixed as em
from negotiate.solvers.nash._bimatrix import integer_payoffs, solve_exact
from negotiate.solvers.nash._partners import refuted
from negotiate.solvers.nash._polytope import cdd_vertices, lrs_vertices
from negotiate.solvers.nash.enummixed import extreme_equilibria, resolve_engine
from negotiate.solvers.nash.solve import nash_equilibria
from tests.test_nash_properties import brute_force_extremes, games

LRS = shutil.which("lrs")
needs_lrs = pytest.mark.skipif(LRS is None, reason="lrslib's lrs is not installed")
needs_lrsnash = pytest.mark.skipif(
    shutil.which("lrsnash") is None, reason="lrslib's lrsnash is not installed"
)


def _random_game(n: int, seed: int, low: int = -1000, high: int = 1000) -> NormalFormGame:
    rnd = random.Random(seed)

    def matrix() -> list[list[Fraction]]:
        return [[Fraction(rnd.randint(low, high), 1000) for _ in range(n)] for _ in range(n)]

    return NormalFormGame.from_arrays(matrix(), matrix())


def _incidence(v: _polytope.Vertices) -> set[frozenset[int]]:
    return {frozenset(np.flatnonzero(row).tolist()) for row in v.tight}


# ------------------------------------------------------------------ vertices: lrs == cdd
@needs_lrs
@settings(max_examples=60, deadline=None)
@given(games(max_size=4))
def test_lrs_and_cdd_give_the_same_vertices_with_the_same_tight_constraints(
    game: NormalFormGame,
) -> None:
    _, b = integer_payoffs(game)
    m, n = game.shape
    bt = tuple(tuple(b[i][j] for i in range(m)) for j in range(n))
    (by_lrs, _), by_cdd = lrs_vertices(bt, m, LRS or "lrs"), cdd_vertices(bt, m)
    assert _incidence(by_lrs) == _incidence(by_cdd)
    assert {by_lrs.point(k) for k in range(len(by_lrs.tight))} == {
        by_cdd.point(k) for k in range(len(by_cdd.tight))
    }


@needs_lrs
@settings(max_examples=150, deadline=None)
@given(games(max_size=3))
def test_lrs_engine_complete_against_brute_force(game: NormalFormGame) -> None:
    """Degenerate small games (ties, continua): the lrs engine gives the brute-force set."""
    a, b = integer_payoffs(game)
    found, _ = extreme_equilibria(a, b, "lrs")
    assert len(found) == len(set(found))
    assert set(found) == brute_force_extremes(game)


@needs_lrs
@pytest.mark.parametrize(("n", "seed"), [(7, 1), (8, 2), (9, 3), (10, 4)])
def test_engines_agree_on_random_games(n: int, seed: int) -> None:
    """Random games large enough that lrs restarts with wider arithmetic mid-output."""
    a, b = integer_payoffs(_random_game(n, seed))
    by_lrs, flag_lrs = extreme_equilibria(a, b, "lrs")
    by_cdd, flag_cdd = extreme_equilibria(a, b, "cdd")
    assert set(by_lrs) == set(by_cdd) and len(by_lrs) == len(by_cdd)
    assert flag_lrs is flag_cdd is False
    if shutil.which("lrsnash"):
        by_nash, _ = extreme_equilibria(a, b, "lrsnash")
        assert set(by_nash) == set(by_lrs)


@needs_lrs
def test_degenerate_games_agree_across_engines() -> None:
    """Payoffs in {0, 1, 2} on 6 x 6 and 5 x 7 games: many ties, extra labels, continua."""
    for seed in range(6):
        rnd = random.Random(seed)
        m, n = (6, 6) if seed % 2 else (5, 7)
        a = [[rnd.randint(0, 2) for _ in range(n)] for _ in range(m)]
        b = [[rnd.randint(0, 2) for _ in range(n)] for _ in range(m)]
        ia, ib = integer_payoffs(NormalFormGame.from_arrays(a, b))
        by_lrs, flag_lrs = extreme_equilibria(ia, ib, "lrs")
        by_cdd, flag_cdd = extreme_equilibria(ia, ib, "cdd")
        assert set(by_lrs) == set(by_cdd) and len(by_lrs) == len(by_cdd), seed
        assert flag_lrs == flag_cdd, seed


# ------------------------------------------------------------------ exact screening
@settings(max_examples=150, deadline=None)
@given(games(max_size=4))
def test_screened_enumeration_complete_against_brute_force(game: NormalFormGame) -> None:
    """Small degenerate games with the screen forced on (it skips batches under 48 rows)."""
    a, b = integer_payoffs(game)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_partners, "_MIN_BATCH", 0)
        found, _ = extreme_equilibria(a, b, "cdd")
    assert len(found) == len(set(found))
    assert set(found) == brute_force_extremes(game)


def _feasible(a: list[list[int]], s: list[int], t: list[int]) -> bool | None:
    """Exact: does ``A[S, T] y = 1`` have a solution ``y >= 0`` with ``A y <= 1``?  None if
    the system is singular."""
    try:
        y = solve_exact([[a[r][c] for c in t] for r in s], [1] * len(s))
    except ZeroDivisionError:
        return None
    return min(y) >= 0 and all(sum(row[c] * v for c, v in zip(t, y, strict=True)) <= 1 for row in a)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda m: st.tuples(
            st.lists(st.lists(st.integers(1, 9), min_size=m, max_size=m), min_size=m, max_size=m),
            st.lists(st.lists(st.booleans(), min_size=m, max_size=m), min_size=1, max_size=8),
            st.randoms(use_true_random=False),
        )
    )
)
def test_screening_never_refutes_a_feasible_system(data: tuple) -> None:
    """A system is dropped only when it is infeasible (checked by exact elimination)."""
    a, picks, rnd = data
    m = len(a)
    supp, best = [], []
    for pick in picks:
        k = max(1, sum(pick))
        supp.append(sorted(rnd.sample(range(m), k)))
        best.append(sorted(rnd.sample(range(m), k)))
    s_mask = np.zeros((len(supp), m), dtype=bool)
    t_mask = np.zeros((len(supp), m), dtype=bool)
    for g, (s, t) in enumerate(zip(supp, best, strict=True)):
        s_mask[g, s] = True
        t_mask[g, t] = True
    out = refuted(np.array(a, dtype=np.int64), s_mask, t_mask, 9)
    for g, (s, t) in enumerate(zip(supp, best, strict=True)):
        if out[g]:
            assert _feasible(a, s, t) is not True


def test_screening_refutes_infeasible_and_keeps_feasible_systems() -> None:
    """Matching pennies-like rows: {0} x {0} is infeasible (row 1 beats it), the full
    support is the equilibrium system and must be kept."""
    a = np.array([[1, 3], [3, 1]], dtype=np.int64)
    s = np.array([[True, False], [True, True]])
    t = np.array([[True, False], [True, True]])
    assert refuted(a, s, t, 3).tolist() == [True, False]
    # a negative coordinate: A[S, T] y = 1 forces y_1 < 0
    b = np.array([[1, 2], [2, 9]], dtype=np.int64)
    both = np.array([[True, True]])
    assert refuted(b, both, both, 9).tolist() == [True]
    # payoffs too wide for a certified int64 check: nothing is dropped
    assert refuted(a, s, t, 2**61).tolist() == [False, False]


# ------------------------------------------------------------------ engine choice
def test_auto_is_deterministic_and_documented(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_engine(None, (6, 6)) == "cdd"  # small: cdd whether or not lrs exists
    assert resolve_engine("auto", (2, 30)) == "cdd"
    assert resolve_engine("cdd", (14, 14)) == "cdd"
    expected = "lrs" if LRS else "cdd"
    assert resolve_engine(None, (8, 8)) == resolve_engine("auto", (8, 8)) == expected
    monkeypatch.setattr(em.shutil, "which", lambda name: None)
    assert resolve_engine(None, (14, 14)) == "cdd"
    with pytest.raises(SolverError, match="lrs program is not on the PATH"):
        resolve_engine("lrs", (8, 8))
    with pytest.raises(ModelError):
        resolve_engine("lrslib", (8, 8))


def test_the_result_names_the_engine_that_ran() -> None:
    small = nash_equilibria(_random_game(3, 7))
    assert "vertex enumeration by cddlib (double description)" in small.notes
    big = nash_equilibria(_random_game(8, 7))
    name = "lrslib's lrs (reverse search)" if LRS else "cddlib (double description)"
    assert f"vertex enumeration by {name}" in big.notes
    assert {eq.probabilities for eq in big} == {
        eq.probabilities for eq in nash_equilibria(_random_game(8, 7), engine="cdd")
    }


# ------------------------------------------------------------------ lrs failures are typed
def _fake_lrs(tmp_path: Path, name: str, output: bytes, code: int = 0) -> str:
    """A stand-in program that swallows its input, prints ``output`` and exits with ``code``."""
    data = tmp_path / f"{name}.out"
    data.write_bytes(output)
    exe = tmp_path / name
    exe.write_text(f"#!/bin/sh\ncat > /dev/null\ncat '{data}'\necho oops >&2\nexit {code}\n")
    exe.chmod(0o755)
    return str(exe)


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
def test_lrs_failures_raise_solver_errors(tmp_path: Path) -> None:
    bt = ((2, 1), (1, 2))
    cases = [
        (b"garbage", 1, "lrs failed: oops"),
        (b"\nbegin\n***** 3 rational\n\n*Totals: vertices=4 rays=0 bases=4 \n", 0, "counted 4"),
        (
            b"\nbegin\n***** 3 rational\nV#1 R#0 B#1 h=0 facets  1 2 3 I#2 det= 1 \n 1 0 0 \n"
            b"\n*Totals: vertices=1 rays=0 bases=1 \n",
            0,
            "malformed cobasis",
        ),
        (
            b"\nbegin\n***** 3 rational\nV#1 R#0 B#1 h=0 facets  1 2 I#3 det= 1 \n 1 0 0 \n"
            b"\n*Totals: vertices=1 rays=0 bases=1 \n",
            0,
            "does not match its count",
        ),
        (b"\nbegin\n\n*Totals: vertices=1 rays=2 bases=1 \n", 0, "lrs failed"),
    ]
    for k, (output, code, message) in enumerate(cases):
        with pytest.raises(SolverError, match=message):
            lrs_vertices(bt, 2, _fake_lrs(tmp_path, f"lrs{k}", output, code))


@needs_lrs
def test_a_restart_voids_the_vertices_printed_before_it(tmp_path: Path) -> None:
    """lrs restarts with wider arithmetic after printing some vertices: only the last run
    counts (its totals match its own lines)."""
    bt = ((2, 1), (1, 2))
    good = subprocess.run(
        [LRS or "lrs"], input=_polytope._lrs_input(bt, 2, "incidence"), capture_output=True
    ).stdout
    first_run = good[: good.index(b"\nend\n")]  # the vertices, without the totals
    (twice, _), (once, _) = (
        lrs_vertices(bt, 2, _fake_lrs(tmp_path, "restarting", first_run + good)),
        lrs_vertices(bt, 2, LRS or "lrs"),
    )
    assert _incidence(twice) == _incidence(once) and len(twice.tight) == len(once.tight)


@needs_lrsnash
def test_lrsnash_engine_still_matches() -> None:
    game = _random_game(6, 11)
    a, b = integer_payoffs(game)
    assert set(extreme_equilibria(a, b, "lrsnash")[0]) == set(extreme_equilibria(a, b, "cdd")[0])


@needs_lrs
@pytest.mark.parametrize("swap", [True, False])
def test_lrs_enumerates_the_polytope_estimated_smaller(
    monkeypatch: pytest.MonkeyPatch, swap: bool
) -> None:
    """Whichever polytope the estimate picks, the set is the same (the game is transposed)."""
    monkeypatch.setattr(em, "ESTIMATE_MIN_COST", 0)
    monkeypatch.setattr(em, "lrs_estimate", lambda m, dim, exe: -dim if swap else dim)
    for seed in range(4):
        rnd = random.Random(seed)
        low, high = (0, 2) if seed % 2 else (-1000, 1000)
        a = [[rnd.randint(low, high) for _ in range(7)] for _ in range(5)]
        b = [[rnd.randint(low, high) for _ in range(7)] for _ in range(5)]
        ia, ib = integer_payoffs(NormalFormGame.from_arrays(a, b))
        by_lrs, flag_lrs = extreme_equilibria(ia, ib, "lrs")
        by_cdd, flag_cdd = extreme_equilibria(ia, ib, "cdd")
        assert set(by_lrs) == set(by_cdd) and len(by_lrs) == len(by_cdd), seed
        assert flag_lrs == flag_cdd, seed


@needs_lrs
def test_lrs_estimate_is_deterministic() -> None:
    _, b = integer_payoffs(_random_game(9, 5))
    bt = tuple(zip(*b, strict=True))
    first = _polytope.lrs_estimate(bt, 9, LRS or "lrs")
    assert isinstance(first, int) and first > 0
    assert _polytope.lrs_estimate(bt, 9, LRS or "lrs") == first


@needs_lrs
def test_auto_falls_back_to_cdd_when_lrs_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise SolverError("lrs printed a malformed cobasis", solver="lrs", status="parse")

    monkeypatch.setattr(em, "lrs_vertices", broken)
    game = _random_game(8, 3)
    result = nash_equilibria(game)
    assert any(note.startswith("lrs failed") for note in result.notes)
    assert "vertex enumeration by cddlib (double description)" in result.notes
    expected = nash_equilibria(game, engine="cdd")
    assert {eq.probabilities for eq in result} == {eq.probabilities for eq in expected}
    with pytest.raises(SolverError, match="malformed cobasis"):
        nash_equilibria(game, engine="lrs")
