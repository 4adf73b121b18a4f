"""Run one pipeline stage both ways at one point: exact and on (one-point) arrays.

The stage conformance tests (``test_stage_*.py``) draw random points, with explicit ties and
degenerate weights among the examples, and check that the array implementation agrees with
the exact one: numbers at float tolerance, decisions exactly.  Values on dyadic grids (halves,
quarters) are exact in floats, so there an exact tie is a float tie too and must be decided
the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from negotiate.pipeline import Spec, input_fields, run_exact, stage
from negotiate.pipeline._spec import evaluate

TOL = 1e-9


def close(a: Any, b: Fraction | None) -> bool:
    """``a`` (a one-point array or float) equals ``b`` at float tolerance."""
    x = float(np.asarray(a, dtype=float).reshape(-1)[0])
    if b is None:
        return bool(np.isnan(x))
    return abs(x - float(b)) <= TOL * max(1.0, abs(float(b)))


def first(a: Any) -> Any:
    """The value of a one-point array (or of a scalar)."""
    return np.asarray(a).reshape(-1)[0].item()


def symbols(*names: str) -> tuple[sp.Symbol, ...]:
    return tuple(sp.Symbol(n) for n in names)


def exact_stage(
    name: str, spec: Spec, values: Mapping[str, Fraction], state: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Stage ``name``'s exact outputs at ``values`` (``state``: earlier stages' outputs)."""
    return run_exact(spec, values, state=state, stages=(name,), deal=True)


def array_stage(
    name: str, spec: Spec, values: Mapping[str, Fraction], state: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Stage ``name``'s array outputs at ``values``, as a one-point array."""
    inputs = {
        field: np.array([float(evaluate(expr, values, field))])
        for field, expr in input_fields(spec, array=True)
    }
    frame: dict[str, Any] = {"in": inputs, "point": lambda k: dict(values)}
    frame.update(state or {})
    return stage(name).array(spec, frame)


def run_both(
    name: str,
    spec: Spec,
    values: Mapping[str, Fraction],
    exact_state: Mapping[str, Any] | None = None,
    array_state: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The outputs of stage ``name`` at ``values``: (exact, array)."""
    return (
        exact_stage(name, spec, values, exact_state),
        array_stage(name, spec, values, array_state),
    )


def error_fields(
    name: str,
    spec: Spec,
    values: Mapping[str, Fraction],
    exact_state: Mapping[str, Any] | None = None,
    array_state: Mapping[str, Any] | None = None,
) -> tuple[str | None, str | None]:
    """The field of the ``ModelError`` each path raises at ``values`` (None: no error)."""
    from negotiate.errors import ModelError

    out: list[str | None] = []
    for run, state in ((exact_stage, exact_state), (array_stage, array_state)):
        try:
            run(name, spec, values, state)
            out.append(None)
        except ModelError as exc:
            out.append(exc.field)
    return out[0], out[1]
