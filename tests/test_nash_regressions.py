"""Regression games where the peers fail (nashpy's support enumeration on degenerate
games), with their true sets."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from negotiate import NormalFormGame
from negotiate.solvers.nash.solve import nash_equilibria

Profile = tuple[tuple[F, ...], tuple[F, ...]]


def prof(x: list, y: list) -> Profile:
    return tuple(F(p) for p in x), tuple(F(p) for p in y)


# G7: the 6x6 zero-sum game of nashpy issue #231
G7 = [
    [0, -1, -1, -1, 1, -1],
    [1, 0, 1, -1, -1, -1],
    [1, -1, 0, -1, -1, 1],
    [1, 1, 1, 0, -1, -1],
    [-1, 1, 1, 1, 0, -1],
    [1, 1, -1, 1, 1, 0],
]
# G5: nashpy issue #82 (players minimise there; negated here)
G5_A = [[0, 0, -6, 0, 0], [0, 0, -3, -2, -1], [-4, -3, 0, 0, -1]]
G5_B = [[-3, 0, -2, -1, 0], [0, -2, 0, 0, -4], [-4, 0, -2, -4, -4]]
N1_A = [["-0.435", "-0.436", "-0.829"], ["-0.036", "0.767", "0.894"], ["-0.945", "0.836", "-0.757"]]
N1_B = [["0.496", "0.793", "-0.664"], ["-0.337", "-0.244", "-0.306"], ["0.033", "-0.982", "-0.155"]]
E18 = 10**18

CASES: dict[str, tuple[list, list, set[Profile], int, bool]] = {
    # id: (A, B, extreme equilibria, number of components, degenerate)
    "G1 all zero": (
        [[0, 0], [0, 0]],
        [[0, 0], [0, 0]],
        {prof([1, 0], [1, 0]), prof([1, 0], [0, 1]), prof([0, 1], [1, 0]), prof([0, 1], [0, 1])},
        1,
        True,
    ),
    "G2 row r1, column anything": (
        [[1, 1], [0, 0]],
        [[1, 1], [0, 0]],
        {prof([1, 0], [1, 0]), prof([1, 0], [0, 1])},
        1,
        True,
    ),
    "G3 nashpy #222 continuum endpoint": (
        [[-3, 3], [-3, 5]],
        [[2, 7], [4, 2]],
        {prof([0, 1], [1, 0]), prof(["2/7", "5/7"], [1, 0])},
        1,
        True,
    ),
    "G4 isolated point and a segment": (
        [[3, 3], [2, 5], [0, 6]],
        [[3, 3], [2, 6], [3, 1]],
        {
            prof([0, "1/3", "2/3"], ["1/3", "2/3"]),
            prof([1, 0, 0], [1, 0]),
            prof([1, 0, 0], ["2/3", "1/3"]),
        },
        2,
        True,
    ),
    "G5 nashpy #82 eight extremes": (
        G5_A,
        G5_B,
        {
            prof([1, 0, 0], [0, 1, 0, 0, 0]),
            prof([1, 0, 0], [0, 0, 0, 0, 1]),
            prof(["2/3", "1/3", 0], [0, 1, 0, 0, 0]),
            prof(["1/3", "1/2", "1/6"], [0, "4/9", "2/9", "1/3", 0]),
            prof([0, "1/2", "1/2"], [0, "1/2", "1/2", 0, 0]),
            prof([0, 1, 0], ["3/7", 0, "4/7", 0, 0]),
            prof([0, 1, 0], [1, 0, 0, 0, 0]),
            prof([0, 1, 0], ["3/8", 0, "1/4", "3/8", 0]),
        },
        None,  # components checked by verify()
        True,
    ),
    "G7 nashpy #231 zero-sum 6x6": (
        G7,
        [[-v for v in row] for row in G7],
        {prof([0, 0, "1/3", 0, "1/3", "1/3"], [0, 0, "1/3", 0, "1/3", "1/3"])},
        1,
        False,  # degenerate only away from its equilibrium, which is isolated
    ),
    "N1 nondegenerate, tiny pivots": (
        N1_A,
        N1_B,
        {prof([0, "827/889", "62/889"], [0, "1651/1720", "69/1720"])},
        1,
        False,
    ),
    "G11 payoff 1e18": (
        [[E18, 0], [0, 1]],
        [[0, 1], [1, 0]],
        {prof(["1/2", "1/2"], [F(1, E18 + 1), F(E18, E18 + 1)])},
        1,
        False,
    ),
    "G12 battle of the sexes x1e9": (
        [["3e9", 0], [0, "2e9"]],
        [["2e9", 0], [0, "3e9"]],
        {prof([1, 0], [1, 0]), prof([0, 1], [0, 1]), prof(["3/5", "2/5"], ["2/5", "3/5"])},
        3,
        False,
    ),
    "battle of the sexes shifted by 3e9 (Gambit returns nothing)": (
        [["6e9", "3e9"], ["3e9", "5e9"]],
        [["5e9", "3e9"], ["3e9", "6e9"]],
        {prof([1, 0], [1, 0]), prof([0, 1], [0, 1]), prof(["3/5", "2/5"], ["2/5", "3/5"])},
        3,
        False,
    ),
    "G17 matching pennies x1e300": (
        [["1e300", "-1e300"], ["-1e300", "1e300"]],
        [["-1e300", "1e300"], ["1e300", "-1e300"]],
        {prof(["1/2", "1/2"], ["1/2", "1/2"])},
        1,
        False,
    ),
    "matching pennies x1e-300, mixed scales": (
        [["1e-300", "-1e-300"], ["-1e-300", "1e-300"]],
        [["-1e9", "1e9"], ["1e9", "-1e9"]],
        {prof(["1/2", "1/2"], ["1/2", "1/2"])},
        1,
        False,
    ),
    "1x1": ([[5]], [[3]], {prof([1], [1])}, 1, False),
    "2x1 (n x 1)": ([[1], [2]], [[0], [1]], {prof([0, 1], [1])}, 1, False),
    "1x3 with a tie": (
        [[1, 2, 3]],
        [[4, 4, 1]],
        {prof([1], [1, 0, 0]), prof([1], [0, 1, 0])},
        1,
        True,
    ),
    "1x3 generic": ([[1, 2, 3]], [[4, 5, 1]], {prof([1], [0, 1, 0])}, 1, False),
    "3x1 all equal": (
        [[7], [7], [7]],
        [[1], [1], [1]],
        {prof([1, 0, 0], [1]), prof([0, 1, 0], [1]), prof([0, 0, 1], [1])},
        1,
        True,
    ),
    "2^31 payoffs": (
        [[2**31, 0], [0, 2**31 - 1]],
        [[0, 2**31], [2**31 + 1, 0]],
        {
            prof(
                [F(2**31 + 1, 2**32 + 1), F(2**31, 2**32 + 1)],
                [F(2**31 - 1, 2**32 - 1), F(2**31, 2**32 - 1)],
            )
        },
        1,
        False,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_true_equilibrium_set(name: str) -> None:
    a, b, expected, n_components, degenerate = CASES[name]
    result = nash_equilibria(NormalFormGame.from_arrays(a, b))
    assert {eq.probabilities for eq in result.equilibria} == expected
    assert result.degenerate is degenerate
    if n_components is not None:
        assert len(result.components or ()) == n_components
    cert = result.verify()
    assert cert.ok, cert.notes
    assert cert.max_regret == 0


def test_continuum_is_reported_as_a_segment() -> None:
    a, b, *_ = CASES["G3 nashpy #222 continuum endpoint"]
    result = nash_equilibria(NormalFormGame.from_arrays(a, b))
    (subset,) = result.maximal_subsets or ()
    assert set(subset.rows) == {(F(0), F(1)), (F(2, 7), F(5, 7))}
    assert subset.columns == ((F(1), F(0)),)
    assert "degenerate game: 2 extreme equilibria in 1 component" in result.notes
    assert not result.unique


def test_g4_components_separate_the_isolated_point() -> None:
    a, b, *_ = CASES["G4 isolated point and a segment"]
    result = nash_equilibria(NormalFormGame.from_arrays(a, b))
    sizes = sorted(len(c.equilibria) for c in result.components or ())
    assert sizes == [1, 2]
    assert "degenerate game: 3 extreme equilibria in 2 components" in result.notes


def test_all_zero_game_is_one_square() -> None:
    result = nash_equilibria(NormalFormGame.from_arrays([[0, 0], [0, 0]], [[0, 0], [0, 0]]))
    (subset,) = result.maximal_subsets or ()
    assert len(subset.rows) == 2 and len(subset.columns) == 2
    assert subset.equilibria == (0, 1, 2, 3)
    assert result.game.max_regret(subset.barycentre()) == 0


def test_unique_equilibrium_wording_only_when_proved() -> None:
    a, b, *_ = CASES["N1 nondegenerate, tiny pivots"]
    result = nash_equilibria(NormalFormGame.from_arrays(a, b))
    assert result.unique
    assert "unique equilibrium" in result.notes
