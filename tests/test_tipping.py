"""Tipping points: the nearest change of outcome, its exact threshold, and a certificate that
fails on a wrong record."""

from __future__ import annotations

import dataclasses
import json
from fractions import Fraction
from pathlib import Path

import pytest
import sympy as sp

from negotiate.expr import symbol
from negotiate.scenario import TippingPoint, load_scenario, loads_scenario
from negotiate.scenario.tipping import GRID, grid_points
from negotiate.scenario.tipping_exact import real_roots_in

MODELS = Path(__file__).resolve().parents[1] / "models"

# A deal between two sides that holds only while a condition on the lever holds (the deal
# point beats the disagreement point, so participation never binds).
HEAD = """
[scenario]
title = "{title}"
players = ["A", "B"]

[parameters.x]
value = {value}
domain = [{lo}, {hi}]
meaning = "the lever"
source = "assumption: test scenario"
{extra}
[bargaining]
points = [{{ A = "1", B = "1" }}, {{ A = "0", B = "0" }}]
disagreement = {{ A = "0", B = "0" }}
{conditions}
[analysis]
levers = ["x"]
"""


def scenario(conditions: dict[str, str], value: str, lo: str = "0", hi: str = "1", extra=""):
    text = "".join(
        f'\n[conditions.{name}]\nholds = "{holds}"\nmeaning = "{name}"\n'
        for name, holds in conditions.items()
    )
    return loads_scenario(
        HEAD.format(title="t", value=value, lo=lo, hi=hi, extra=extra, conditions=text)
    )


# The repeated prisoners' dilemma with T = 2.5, R = 1.91, P = 0.61: grim trigger sustains
# cooperation iff delta >= (T - R)/(T - P) = 0.59/1.89 = 59/189 (Friedman 1971).
PD = """
[scenario]
title = "Prisoners' dilemma with a rational threshold"
players = ["Row", "Column"]

[parameters.delta]
value = 0.6
domain = [0.01, 0.99]
meaning = "discount factor"
source = "assumption: test scenario"

[bargaining]
points = [
  { Row = "1.91", Column = "1.91" },
  { Row = "0", Column = "2.5" },
  { Row = "2.5", Column = "0" },
  { Row = "0.61", Column = "0.61" },
]
disagreement = { Row = "0.61", Column = "0.61" }

[conditions.self_enforcing]
holds = "delta*(2.5 - 0.61) >= 2.5 - 1.91"
meaning = "grim trigger sustains mutual cooperation"

[analysis]
levers = ["delta"]
"""


# ----------------------------------------------------------------------------- exact values
def test_rational_threshold_is_reported_exactly() -> None:
    s = loads_scenario(PD)
    res = s.solve()
    tp = res.tipping_points["delta"]
    assert tp.method == "exact" and tp.binding == "condition:self_enforcing"
    assert tp.exact == tp.threshold == Fraction(59, 189)
    assert tp.threshold_exact == "59/189"
    assert tp.direction == "down" and (tp.outcome_before, tp.outcome_after) == (
        "agreement",
        "stalemate",
    )
    assert tp.bracket[0] < Fraction(59, 189) < tp.bracket[1]
    # the boundary itself: the condition holds at delta* (>=), not just below it
    assert s.solve({"delta": Fraction(59, 189)}, tipping_points=False).outcome == "agreement"
    below = Fraction(59, 189) - Fraction(1, 10**15)
    assert s.solve({"delta": below}, tipping_points=False).outcome == "stalemate"
    data = res.to_dict()["tipping_points"]["delta"]
    assert data["threshold_exact"] == "59/189" and data["method"] == "exact"
    assert data["threshold"] == float(Fraction(59, 189))
    assert res.verify().ok


def test_irrational_threshold_is_the_algebraic_number() -> None:
    s = scenario({"stable": "x**2 >= 1/2"}, "0.9")
    tp = s.solve().tipping_points["x"]
    assert tp.method == "exact" and tp.direction == "down"
    assert sp.simplify(tp.exact - sp.sqrt(2) / 2) == 0
    assert tp.threshold_exact == "sqrt(2)/2"
    assert tp.bracket[0] < sp.sqrt(2) / 2 < tp.bracket[1]
    assert abs(float(tp.threshold) - 2**-0.5) < 1e-12
    assert tp.verify(s, s.values()).ok


def test_cubic_threshold_is_a_crootof() -> None:
    s = scenario({"stable": "x**3 + x >= 1"}, "0.9")
    res = s.solve()
    tp = res.tipping_points["x"]
    x = symbol("x")
    assert tp.method == "exact"
    assert tp.exact == sp.CRootOf(x**3 + x - 1, 0)
    assert tp.threshold_exact.startswith("CRootOf(x**3 + x - 1")
    assert abs(float(tp.threshold) - 0.6823278038280193) < 1e-12
    assert res.to_dict()["tipping_points"]["x"]["threshold_exact"] == tp.threshold_exact
    assert res.verify().ok


POINTS = """
[scenario]
title = "A deal worth {deal} to A against A's disagreement value {d}"
players = ["A", "B"]

[parameters.x]
value = 0.9
domain = [0, 1]
meaning = "the lever"
source = "assumption: test scenario"

[bargaining]
points = [{{ A = "{deal}", B = "1" }}, {{ A = "0", B = "0" }}]
disagreement = {{ A = "{d}", B = "0" }}

[analysis]
levers = ["x"]
"""


@pytest.mark.parametrize(
    ("deal", "d", "exact", "text"),
    [
        ("x*x", "1/2", sp.sqrt(2) / 2, "sqrt(2)/2"),
        ("x/(1 + x)", "1/3", Fraction(1, 2), "1/2"),
        ("(x + x**3)/2", "7/20", None, "CRootOf("),
    ],
)
def test_participation_threshold_is_exact(deal, d, exact, text) -> None:
    """A's participation slack ``deal(x) - d`` binds: solved from the frontier exactly."""
    s = loads_scenario(POINTS.format(deal=deal, d=d))
    res = s.solve()
    tp = res.tipping_points["x"]
    assert tp.method == "exact" and tp.binding == "participation:A"
    assert tp.direction == "down" and tp.outcome_after == "stalemate"
    if exact is not None:
        assert sp.simplify(sp.sympify(tp.exact) - sp.sympify(exact)) == 0
    assert tp.threshold_exact.startswith(text)
    x = symbol("x")
    value = sp.sympify(tp.exact)
    # the slack vanishes at the threshold: A's deal value equals its disagreement value
    deal_at = {"x*x": x**2, "x/(1 + x)": x / (1 + x), "(x + x**3)/2": (x + x**3) / 2}[deal]
    assert sp.simplify(deal_at.subs(x, value) - sp.Rational(d)) == 0
    assert res.verify().ok


def test_non_rational_boundary_falls_back_to_bisection() -> None:
    s = scenario({"stable": "max(x, 1/2) >= 3/5"}, "0.9")  # max(): not a rational function
    tp = s.solve().tipping_points["x"]
    assert tp.method == "bisection" and tp.exact is None and tp.binding is None
    assert tp.bracket[0] <= tp.threshold <= tp.bracket[1]
    assert tp.bracket[1] - tp.bracket[0] <= Fraction(1, 2**40)
    assert tp.bracket[0] <= Fraction(3, 5) <= tp.bracket[1]
    assert tp.threshold == Fraction(3, 5)  # the shortest decimal in the bracket
    assert tp.to_dict()["method"] == "bisection"
    assert tp.verify(s, s.values()).ok


def test_real_roots_in_a_bracket() -> None:
    x = symbol("x")
    assert real_roots_in((x - sp.Rational(1, 3)) * (x - 2), x, Fraction(0), Fraction(1)) == [
        Fraction(1, 3)
    ]
    assert real_roots_in((x**2 - 2) / (x + 5), x, Fraction(1), Fraction(2)) == [sp.sqrt(2)]
    assert real_roots_in(sp.exp(x) - 2, x, Fraction(0), Fraction(1)) == []
    assert real_roots_in(x - x, x, Fraction(0), Fraction(1)) == []


def test_flagship_thresholds_are_exact() -> None:
    s = load_scenario(MODELS / "us_iran_2025.toml")
    res = s.solve({"us_accepts_capped": 1} if "us_accepts_capped" in s.parameters else None)
    assert res.tipping_points
    for name, tp in res.tipping_points.items():
        assert tp.method == "exact", name
        assert tp.bracket[0] <= float(sp.sympify(tp.exact)) <= tp.bracket[1], name
        assert tp.verify(s, res.parameters).ok, name


# ----------------------------------------------------------------------------- the nearest
# A monitoring regime must be transparent enough for one side (x >= lower) and not so
# transparent that it threatens the other (x <= upper): the lever flips the outcome on both
# sides of its baseline (Coe and Vaynman 2020's transparency-security window).
def window(lower: str, upper: str, value: str):
    return scenario({"assurance": f"x >= {lower}", "security": f"x <= {upper}"}, value)


@pytest.mark.parametrize(
    ("lower", "upper", "value", "nearest", "direction", "binding"),
    [
        ("0.3", "0.8", "0.6", Fraction(4, 5), "up", "condition:security"),
        ("0.3", "0.8", "0.4", Fraction(3, 10), "down", "condition:assurance"),
        # on the scan grid both first changes are 1/16 away; the exact thresholds are not
        ("0.46", "0.55", "0.5", Fraction(23, 50), "down", "condition:assurance"),
        ("0.45", "0.54", "0.5", Fraction(27, 50), "up", "condition:security"),
    ],
)
def test_the_nearest_of_two_sides_is_kept(lower, upper, value, nearest, direction, binding):
    s = window(lower, upper, value)
    res = s.solve()
    tp = res.tipping_points["x"]
    assert (tp.exact, tp.direction, tp.binding) == (nearest, direction, binding)
    assert tp.outcome_before == "agreement" and tp.outcome_after == "stalemate"
    assert res.verify().ok


# ----------------------------------------------------------------------------- certificates
def far_side(s, nearest: TippingPoint, threshold: Fraction) -> TippingPoint:
    """The true tipping point on the other side of the baseline (a real but farther flip)."""
    eps = Fraction(1, 2**50)
    direction = "down" if nearest.direction == "up" else "up"
    return dataclasses.replace(
        nearest,
        threshold=threshold,
        exact=threshold,
        bracket=(threshold - eps, threshold + eps),
        direction=direction,
        binding=None,
    )


@pytest.mark.parametrize(
    ("lower", "upper", "value", "far"),
    [
        ("0.3", "0.8", "0.6", Fraction(3, 10)),  # a grid point at 0.8125 already flips
        ("0.46", "0.55", "0.5", Fraction(11, 20)),  # no grid point between: the mirror check
    ],
)
def test_certificate_rejects_the_farther_tipping_point(lower, upper, value, far) -> None:
    s = window(lower, upper, value)
    res = s.solve()
    near = res.tipping_points["x"]
    other = far_side(s, near, far)
    # the far record is a real flip: only the nearest-point check can reject it
    lo, hi = other.bracket
    inside, outside = (lo, hi) if other.direction == "up" else (hi, lo)
    assert s.solve({"x": inside}, tipping_points=False).outcome == "agreement"
    assert s.solve({"x": outside}, tipping_points=False).outcome == "stalemate"
    cert = other.verify(s, s.values())
    assert not cert.ok
    assert any("nearer to the baseline" in n for n in cert.notes)
    tampered = dataclasses.replace(res, tipping_points={"x": other})
    assert not tampered.verify().ok
    assert res.verify().ok


def test_certificate_rejects_a_fake_bracket_or_threshold() -> None:
    s = loads_scenario(PD)
    res = s.solve()
    tp = res.tipping_points["delta"]
    values = s.values()
    flat = dataclasses.replace(tp, bracket=(Fraction(1, 2), Fraction(3, 5)))  # no change there
    assert not flat.verify(s, values).ok
    # the bisection's wide bracket does hold the change, but 0.3 is not where it happens
    wide = (Fraction(1, 4), Fraction(3, 8))
    off = dataclasses.replace(tp, bracket=wide, threshold=Fraction(3, 10), exact=Fraction(3, 10))
    cert = off.verify(s, values)
    assert not cert.ok and any("just below and above" in n for n in cert.notes)
    right = dataclasses.replace(tp, bracket=wide)
    assert right.verify(s, values).ok
    outside = dataclasses.replace(tp, threshold=Fraction(1, 3), exact=Fraction(1, 3))
    assert not outside.verify(s, values).ok
    wrong_way = dataclasses.replace(tp, direction="up")
    assert not wrong_way.verify(s, values).ok
    wrong_after = dataclasses.replace(tp, outcome_after="war")
    assert not wrong_after.verify(s, values).ok


def test_scan_grid() -> None:
    pts = grid_points((Fraction(0), Fraction(2)), Fraction(1, 3))
    assert len(pts) == GRID + 2 and pts[0] == 0 and pts[-1] == 2 and Fraction(1, 3) in pts


def test_solve_json_has_the_method(cli) -> None:
    code, out, _ = cli("solve", str(MODELS / "prisoners_dilemma.toml"), "--json")
    assert code == 0
    tp = json.loads(out)["tipping_points"]["delta"]
    assert set(tp) >= {"threshold", "threshold_exact", "bracket", "direction", "outcome_after"}
    assert tp["method"] == "exact" and tp["threshold_exact"] == "1/2"
