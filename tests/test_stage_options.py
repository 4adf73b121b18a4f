"""Conformance of the discrete-issue layer (options stage, then the bargaining stage on every
combination): exact = array; the chosen option respects both sides' red lines.

Values are quarters, so ties between options' Nash products and zero slacks occur; where the
array path flags a point as a boundary the chosen option may differ, elsewhere it may not.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import product

import numpy as np
import sympy as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st

from negotiate.errors import ModelError
from negotiate.pipeline import IssueInput, Spec, input_fields, run_exact, stage
from negotiate.pipeline._spec import DiscreteInput, evaluate
from tests.stages import close, first

QUARTERS = st.integers(0, 4).map(lambda k: Fraction(k, 4))
D = st.integers(-2, 6).map(lambda k: Fraction(k, 4))
OPTIONS = ("zero", "capped", "unrestricted")


def _spec(n_issues: int) -> Spec:
    values = tuple((sp.Symbol(f"vA_{o}"), sp.Symbol(f"vB_{o}")) for o in OPTIONS)
    red = tuple((sp.Symbol(f"rA_{o}"), sp.Symbol(f"rB_{o}")) for o in OPTIONS)
    return Spec(
        players=("A", "B"),
        issues=tuple(IssueInput(f"i{k}", (0, 0), 0) for k in range(n_issues)),
        discrete=(DiscreteInput("enrichment", OPTIONS, values, red),),
        floors={"A": 0},
    )


def _run(spec, values, weights, d, floor):
    names = [i.name for i in spec.issues]
    bounds = (max(d[0], floor), d[1])
    exact_state = {
        "weights": dict(zip(names, weights, strict=True)),
        "reversibility": dict.fromkeys(names, Fraction(0)),
        "points": None,
        "disagreement": d,
        "no_deal_point": d,
        "floors": (floor, d[1]),
        "bounds": bounds,
    }
    exact = run_exact(spec, values, state=exact_state, stages=("options", "bargaining"), deal=True)
    arr = lambda x: np.array([float(x)])  # noqa: E731
    frame = {
        "in": {f: arr(evaluate(e, values, f)) for f, e in input_fields(spec, array=True)},
        "point": lambda k: dict(values),
        "weights": ([arr(w[0]) for w in weights], [arr(w[1]) for w in weights]),
        "points": None,
        "disagreement": (arr(d[0]), arr(d[1])),
        "no_deal_point": (arr(d[0]), arr(d[1])),
        "floors": (arr(floor), arr(d[1])),
        "bounds": (arr(bounds[0]), arr(bounds[1])),
    }
    frame.update(stage("options").array(spec, frame))
    frame.update(stage("bargaining").array(spec, frame))
    return exact, frame


@settings(max_examples=200, deadline=None)
@given(
    weights=st.lists(st.tuples(QUARTERS, QUARTERS), min_size=1, max_size=3),
    offsets=st.lists(st.tuples(QUARTERS, QUARTERS), min_size=3, max_size=3),
    red=st.lists(st.tuples(st.booleans(), st.booleans()), min_size=3, max_size=3),
    d=st.tuples(D, D),
    floor=D,
)
@example(  # the 2025 red lines: Iran rejects zero, the US accepts only zero -> no option
    weights=[(Fraction(1, 2), Fraction(1, 4))],
    offsets=[(Fraction(0), Fraction(1, 2)), (Fraction(1, 4), Fraction(1, 4)), (Fraction(1, 2), 0)],
    red=[(False, True), (True, False), (True, False)],
    d=(Fraction(0), Fraction(0)),
    floor=Fraction(0),
)
def test_options(weights, offsets, red, d, floor) -> None:
    if all(w == (0, 0) for w in weights):
        return
    spec = _spec(len(weights))
    values = {}
    for o, (va, vb), (ra, rb) in zip(OPTIONS, offsets, red, strict=True):
        values.update({f"vA_{o}": va, f"vB_{o}": vb})
        values.update({f"rA_{o}": Fraction(int(ra)), f"rB_{o}": Fraction(int(rb))})
    exact, array = _run(spec, values, weights, d, floor)
    ok = {o: ra and rb for o, (ra, rb) in zip(OPTIONS, red, strict=True)}
    assert exact["admissible"] == any(ok.values())
    combos = exact["options"]
    assert [c.admissible for c in combos] == [ok[o] for o in OPTIONS]
    for c, (ra, rb), o in zip(combos, red, OPTIONS, strict=True):
        assert set(c.blocked) == {f"{p}:enrichment={o}" for p, r in (("A", ra), ("B", rb)) if not r}
    zone = exact["solution"] is not None
    s = exact["slacks"]
    if not first(array["zone_near"]):
        assert bool(first(array["zone"])) == zone
        assert close(array["slacks"][0], s[0]) and close(array["slacks"][1], s[1])
    if not zone:
        return
    chosen = exact["option"]
    assert chosen.admissible  # the deal respects both red lines
    # it has the largest Nash product among the admissible options with a zone
    g = exact["solution"].gains
    for c in combos:
        if not c.admissible:
            continue
        other, _ = _run(_spec_with_only(spec, c), values, weights, d, floor)
        if other["solution"] is not None:
            h = other["solution"].gains
            assert g[0] * g[1] >= h[0] * h[1]
    if not first(array["zone_near"]):
        assert OPTIONS[int(first(array["option"]))] == chosen.labels["enrichment"]
        u1, u2, _ = array["deal"]
        o = chosen.offset
        sol = exact["solution"].utilities
        assert close(u1, sol[0] + o[0]) and close(u2, sol[1] + o[1])


def _spec_with_only(spec: Spec, combo) -> Spec:
    k = OPTIONS.index(combo.labels["enrichment"])
    d = spec.discrete[0]
    one = DiscreteInput(
        d.name, (d.options[k], d.options[k]), (d.values[k],) * 2, (d.acceptable[k],) * 2
    )
    return Spec(players=spec.players, issues=spec.issues, discrete=(one,), floors=spec.floors)


def test_red_lines_lie_in_the_unit_interval() -> None:
    spec = _spec(1)
    values = {f"{x}{p}_{o}": Fraction(1) for x, p, o in product("vr", "AB", OPTIONS)}
    values["rA_capped"] = Fraction(1, 2)  # read by the threshold: acceptable
    exact, _ = _run(spec, values, [(Fraction(1), Fraction(1))], (Fraction(0),) * 2, Fraction(0))
    assert all(c.admissible for c in exact["options"])
    values["rA_capped"] = Fraction(3, 2)
    field = "discrete.enrichment.acceptable.capped.A"
    try:
        _run(spec, values, [(Fraction(1), Fraction(1))], (Fraction(0), Fraction(0)), Fraction(0))
    except ModelError as err:
        assert err.field == field
    else:
        raise AssertionError("a red line of 3/2 must be rejected")
