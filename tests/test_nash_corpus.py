"""Every game of the reference corpus gives exactly Gambit's set of extreme equilibria."""

from __future__ import annotations

import json
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from negotiate import NormalFormGame
from negotiate.solvers.nash._bimatrix import integer_payoffs
from negotiate.solvers.nash.enummixed import extreme_equilibria
from negotiate.solvers.nash.solve import nash_equilibria

CORPUS = json.loads((Path(__file__).parent / "data" / "bimatrix_corpus.json").read_text())
GAMES = CORPUS["games"]


def _profile(pair: list[list[str]]) -> tuple[tuple[Fraction, ...], ...]:
    return tuple(tuple(Fraction(p) for p in probs) for probs in pair)


def test_corpus_is_the_documented_one() -> None:
    kinds = [g["kind"] for g in GAMES]
    assert len(GAMES) == 100
    assert (kinds.count("generic"), kinds.count("degenerate")) == (53, 37)
    assert (kinds.count("scaled"), kinds.count("edge")) == (8, 2)


@pytest.mark.parametrize("case", GAMES, ids=[g["id"] for g in GAMES])
def test_extreme_equilibria_match_gambit(case: dict) -> None:
    game = NormalFormGame.from_arrays(case["A"], case["B"], title=case["id"])
    result = nash_equilibria(game)
    expected = {_profile(e) for e in case["extreme_equilibria"]}
    found = [eq.probabilities for eq in result.equilibria]
    assert len(found) == len(set(found))
    assert set(found) == expected
    assert all(isinstance(p, Fraction) for eq in found for s in eq for p in s)
    cert = result.verify()
    assert cert.ok, cert.notes
    assert cert.max_regret == 0 and isinstance(cert.max_regret, Fraction)
    assert result.complete and result.method == "auto"


def test_degenerate_corpus_games_are_flagged() -> None:
    flagged = {
        g["id"]: nash_equilibria(NormalFormGame.from_arrays(g["A"], g["B"])).degenerate
        for g in GAMES
        if g["kind"] in ("generic", "scaled")
    }
    # random payoffs with three or more digits are nondegenerate with probability one
    assert not any(flagged.values()), [k for k, v in flagged.items() if v]
    zero = next(g for g in GAMES if g["id"] == "all-zero-2x2")
    result = nash_equilibria(NormalFormGame.from_arrays(zero["A"], zero["B"]))
    assert result.degenerate is True
    assert len(result.components or ()) == 1
    assert len(result.maximal_subsets or ()) == 1


ENGINES = [
    "cdd",
    pytest.param(
        "lrs",
        marks=pytest.mark.skipif(
            shutil.which("lrs") is None, reason="lrslib's lrs is not installed"
        ),
    ),
    pytest.param(
        "lrsnash",
        marks=pytest.mark.skipif(
            shutil.which("lrsnash") is None, reason="lrslib's lrsnash is not installed"
        ),
    ),
]


@pytest.mark.parametrize("engine", ENGINES)
def test_both_enumeration_engines_match_gambit_on_the_corpus(engine: str) -> None:
    for case in GAMES:
        game = NormalFormGame.from_arrays(case["A"], case["B"])
        a, b = integer_payoffs(game)
        found, degenerate = extreme_equilibria(a, b, engine)
        expected = {_profile(e) for e in case["extreme_equilibria"]}
        assert set(found) == expected, case["id"]
        assert len(found) == len(expected), case["id"]
        if case["kind"] in ("generic", "scaled"):
            assert degenerate is False, case["id"]
