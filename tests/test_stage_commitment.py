"""Conformance of the commitment stage: kappa and the effective hazard, exact = array."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from negotiate.pipeline import Spec
from negotiate.pipeline.commitment import reneging_hazard_array, reneging_hazard_exact
from tests.stages import close, error_fields, run_both, symbols

UNIT = st.fractions(0, 1, max_denominator=40)
SPEC = Spec(players=("A", "B"), commitment=symbols("delta", "hazard", "g"))


@settings(max_examples=150, deadline=None)
@given(delta=UNIT, hazard=UNIT, g=UNIT)
@example(delta=Fraction(1, 2), hazard=Fraction(0), g=Fraction(0))  # no hazard: kappa = 1
@example(delta=Fraction(9, 10), hazard=Fraction(1), g=Fraction(1))  # guarantee removes it all
@example(delta=Fraction(9, 10), hazard=Fraction(1), g=Fraction(0))  # certain reneging
@example(delta=Fraction(0), hazard=Fraction(1, 2), g=Fraction(0))  # patience at the open end
@example(delta=Fraction(1), hazard=Fraction(1, 2), g=Fraction(0))
def test_kappa(delta: Fraction, hazard: Fraction, g: Fraction) -> None:
    values = {"delta": delta, "hazard": hazard, "g": g}
    if not 0 < delta < 1:
        assert error_fields("commitment", SPEC, values) == ("commitment.patience",) * 2
        return
    exact, array = run_both("commitment", SPEC, values)
    assert exact["rho_eff"] == hazard * (1 - g)
    assert exact["kappa"] == (1 - delta) / (1 - delta * (1 - hazard * (1 - g)))
    assert close(array["kappa"], exact["kappa"]) and close(array["rho_eff"], exact["rho_eff"])


@settings(max_examples=50, deadline=None)
@given(
    bad=st.sampled_from(["hazard", "g"]),
    value=st.sampled_from([Fraction(-1, 5), Fraction(6, 5)]),
)
def test_domain_errors_name_the_same_field(bad: str, value: Fraction) -> None:
    values = {"delta": Fraction(1, 2), "hazard": Fraction(1, 4), "g": Fraction(1, 4), bad: value}
    field = {"hazard": "commitment.hazard", "g": "commitment.guarantee"}[bad]
    assert error_fields("commitment", SPEC, values) == (field, field)


@settings(max_examples=100, deadline=None)
@given(pi=UNIT, h_tw=UNIT, h_ut=UNIT)
@example(pi=Fraction(0), h_tw=Fraction(1, 2), h_ut=Fraction(1, 2))  # equal hazards: a tie
def test_reneging_hazard(pi: Fraction, h_tw: Fraction, h_ut: Fraction) -> None:
    exact = reneging_hazard_exact(pi, h_tw, h_ut)
    array = reneging_hazard_array(np.array([float(pi)]), float(h_tw), float(h_ut))
    assert close(array, exact)


def test_no_commitment_layer_gives_no_discount() -> None:
    exact, array = run_both("commitment", Spec(players=("A", "B")), {})
    assert exact["kappa"] is None and array["kappa"] is None


TYPES = Spec(
    players=("A", "B"),
    commitment=(symbols("delta")[0], 0, symbols("g")[0]),
    hazard_types=(
        ("tw", symbols("pi")[0], symbols("h_tw")[0]),
        ("ut", 1 - symbols("pi")[0], symbols("h_ut")[0]),
    ),
)


def _k(delta: Fraction, rho: Fraction) -> Fraction:
    return (1 - delta) / (1 - delta * (1 - rho))


@settings(max_examples=150, deadline=None)
@given(
    delta=st.fractions(Fraction(1, 40), Fraction(39, 40), max_denominator=40),
    pi=UNIT,
    h_tw=UNIT,
    h_ut=UNIT,
    g=UNIT,
)
@example(delta=Fraction(9, 10), pi=Fraction(3, 19), h_tw=Fraction(1, 50), h_ut=Fraction(1, 4), g=0)
def test_kappa_is_the_expectation_over_types(delta, pi, h_tw, h_ut, g) -> None:
    """A fixed type of unknown kind: kappa = pi k(delta, h_TW (1-g)) + (1-pi) k(delta, h_UT (1-g))
    exactly (not k at the mean hazard), and the array path agrees."""
    values = {"delta": delta, "pi": pi, "h_tw": h_tw, "h_ut": h_ut, "g": g}
    exact, array = run_both("commitment", TYPES, values)
    closed = pi * _k(delta, h_tw * (1 - g)) + (1 - pi) * _k(delta, h_ut * (1 - g))
    assert exact["kappa"] == closed
    assert exact["rho_eff"] == (pi * h_tw + (1 - pi) * h_ut) * (1 - g)
    assert exact["kappa"] >= _k(delta, exact["rho_eff"])  # Jensen: k is convex
    assert close(array["kappa"], closed) and close(array["rho_eff"], exact["rho_eff"])


def test_type_probabilities_must_sum_to_one() -> None:
    spec = Spec(
        players=("A", "B"),
        commitment=(symbols("delta")[0], 0, 0),
        hazard_types=(("tw", Fraction(1, 2), 0), ("ut", Fraction(1, 4), 0)),
    )
    field = "commitment.types.tw.probability"
    assert error_fields("commitment", spec, {"delta": Fraction(1, 2)}) == (field, field)
