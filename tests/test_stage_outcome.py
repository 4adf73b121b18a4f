"""Conformance of the outcome stage: outcome label and binding constraint, exact = array."""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

import numpy as np
import sympy as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st

from negotiate.pipeline import Spec
from negotiate.pipeline.outcome import OUTCOMES, constraint_names
from tests.stages import first, run_both

VALUE = st.integers(-4, 4).map(lambda k: Fraction(k, 4))


def _a(x: object) -> np.ndarray:
    return np.array([float(x)])  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(
    slacks=st.one_of(st.none(), st.tuples(VALUE, VALUE)),
    floor_slack=VALUE,
    conditions=st.lists(st.tuples(st.booleans(), st.one_of(st.none(), VALUE)), max_size=3),
    war=st.sampled_from([Fraction(0), Fraction(1, 4), Fraction(1)]),
    agreed=st.booleans(),
    tree=st.booleans(),
)
@example(  # every constraint violated by the same amount: declared order decides
    slacks=(Fraction(-1, 4), Fraction(-1, 4)),
    floor_slack=Fraction(-1, 4),
    conditions=[(False, Fraction(-1, 4))],
    war=Fraction(0),
    agreed=False,
    tree=True,
)
@example(
    slacks=(Fraction(0), Fraction(1)),  # a zero slack is no zone of agreement
    floor_slack=Fraction(0),
    conditions=[],
    war=Fraction(1),
    agreed=True,
    tree=True,
)
def test_outcome(slacks, floor_slack, conditions, war, agreed, tree) -> None:
    names = tuple((f"c{k}", sp.true) for k in range(len(conditions)))
    spec = Spec(
        players=("A", "B"),
        floors={"B": 0},
        conditions=names,
        points=None if slacks is None else ((0, 0),),
    )
    conds = {}
    for k, (ok, s) in enumerate(conditions):
        conds[f"c{k}"] = (ok if s is None else ok == (s >= 0), s)
    exact_nd = SimpleNamespace(war=war > 0, agreed=agreed) if tree else None
    array_nd = SimpleNamespace(war_probability=_a(war), agreed=np.array([agreed])) if tree else None
    exact_state = {
        "slacks": slacks,
        "ratification": {"B": floor_slack},
        "conditions": conds,
        "no_deal": exact_nd,
    }
    array_state = {
        "slacks": None if slacks is None else (_a(slacks[0]), _a(slacks[1])),
        "zone": None
        if slacks is None
        else (_a(slacks[0]) > 0) & (_a(slacks[1]) > 0) & (_a(floor_slack) >= 0),
        "ratification": {"B": _a(floor_slack)},
        "conditions": {
            n: (np.array([ok]), _a(np.nan if s is None else s)) for n, (ok, s) in conds.items()
        },
        "no_deal": array_nd,
    }
    exact, array = run_both("outcome", spec, {}, exact_state, array_state)
    assert OUTCOMES[int(first(array["outcome"]))] == exact["outcome"]
    code = int(first(array["binding"]))
    labels = ("", *constraint_names(spec))
    assert labels[code] == (exact["binding"][0] if exact["binding"] else "")


@settings(max_examples=100, deadline=None)
@given(agree=st.integers(0, 4), war=st.integers(0, 4))
@example(agree=0, war=2)  # war with probability 1/2 ties stalemate: war is reported
@example(agree=2, war=4)  # agreement 1/2, war 1/2: agreement is reported
def test_outcome_is_the_most_likely(agree: int, war: int) -> None:
    a = Fraction(agree, 4)
    w = (1 - a) * Fraction(war, 4)
    probs = {"agreement": a, "stalemate": 1 - a - w, "war": w}
    spec = Spec(players=("A", "B"))
    state = {"slacks": None, "ratification": {}, "conditions": {}, "no_deal": None}
    exact, array = run_both(
        "outcome",
        spec,
        {},
        {**state, "probabilities": probs},
        {**state, "probabilities": tuple(_a(probs[k]) for k in ("agreement", "stalemate", "war"))},
    )
    top = max(probs.values())
    expected = next(o for o in ("agreement", "war", "stalemate") if probs[o] == top)
    assert exact["outcome"] == expected
    assert OUTCOMES[int(first(array["outcome"]))] == expected
