"""The ordered stage list, and the two drivers that run it (exact and on arrays).

Every consumer -- ``Scenario.solve``, counterfactuals, tipping points, sweeps, the report --
runs :data:`STAGES` through :func:`run_exact` or :func:`run_array`; adding a layer to the
model is one stage module, one entry here and one conformance test.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from negotiate.pipeline import (
    bargaining,
    commitment,
    conditions,
    disagreement,
    nodeal,
    options,
    outcome,
    screening,
    weights,
)
from negotiate.pipeline._arrays import PointFn
from negotiate.pipeline._spec import ExactInputs, Spec, Stage

__all__ = ["STAGES", "input_fields", "run_array", "run_exact", "stage"]

#: The pipeline, in data-flow order.
STAGES: tuple[Stage, ...] = (
    commitment.STAGE,
    weights.STAGE,
    nodeal.STAGE,
    disagreement.STAGE,
    options.STAGE,
    bargaining.STAGE,
    conditions.STAGE,
    screening.STAGE,
    outcome.STAGE,
)


def stage(name: str) -> Stage:
    """The registered stage called ``name``."""
    for s in STAGES:
        if s.name == name:
            return s
    raise KeyError(name)


def input_fields(spec: Spec, *, array: bool) -> list[tuple[str, Any]]:
    """Every stage's ``(field path, expression)`` inputs, in stage order; with ``array``
    also those only the array path evaluates (tree payoffs, the sides of inequalities)."""
    out: list[tuple[str, Any]] = []
    for s in STAGES:
        out += s.fields(spec)
        if array and s.array_fields is not None:
            out += s.array_fields(spec)
    return out


def _exprs(spec: Spec) -> dict[str, Any]:
    if "exact_fields" not in spec.cache:
        spec.cache["exact_fields"] = dict(input_fields(spec, array=False))
    out = spec.cache["exact_fields"]
    assert isinstance(out, dict)
    return out


def run_exact(
    spec: Spec,
    values: Mapping[str, Fraction],
    *,
    state: Mapping[str, Any] | None = None,
    stages: Sequence[str] | None = None,
    deal: bool = False,
    cache: dict[Any, Any] | None = None,
) -> dict[str, Any]:
    """Run the stages exactly at the parameter ``values`` (derived quantities included).

    ``stages`` names the stages to run (default: all) and ``state`` holds the outputs of
    those not run (e.g. changed for a counterfactual); ``deal`` computes the bargaining
    solution where a zone of agreement exists; ``cache`` memoises the no-deal equilibrium
    across calls.
    """
    frame: dict[str, Any] = dict(state or {})
    frame.update({"in": ExactInputs(_exprs(spec), values), "deal": deal, "cache": cache})
    chosen = STAGES if stages is None else tuple(stage(name) for name in stages)
    for s in STAGES:
        if s in chosen:
            frame.update(s.exact(spec, frame))
    return frame


def run_array(
    spec: Spec,
    inputs: Mapping[str, Any],
    point: PointFn,
    *,
    fixed_no_deal: Any = None,
) -> dict[str, Any]:
    """Run the stages on arrays: ``inputs`` maps every field of
    ``input_fields(spec, array=True)`` to its values at the points (arrays or scalars);
    ``point(k)`` describes point ``k`` in errors; ``fixed_no_deal`` the no-deal values
    when the points do not move the tree (solved once)."""
    frame: dict[str, Any] = {"in": inputs, "point": point, "fixed_no_deal": fixed_no_deal}
    for s in STAGES:
        frame.update(s.array(spec, frame))
    return frame
