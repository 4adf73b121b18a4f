"""Stage 6, the extra conditions: truth and slack of each condition.

A condition is an inequality or an and/or/not of inequalities over the parameters
(``[conditions]``; the ratification floors' slack is the bargaining stage's).  Its *slack*
is ``lhs - rhs`` for ``>``/``>=`` and ``rhs - lhs`` for ``<``/``<=`` (only for a single
inequality); it holds when the slack is positive (strict) or non-negative (weak): a
threshold condition holds at the threshold itself.

The array path evaluates each inequality's two sides and combines the truths with the
condition's and/or/not; points where the two sides lie within ``1e-12`` (relative) are
flagged ``boundary``.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from negotiate.errors import ModelError
from negotiate.pipeline._arrays import TIE_TOLERANCE, Arr
from negotiate.pipeline._spec import Spec, Stage, evaluate, is_relational

__all__ = ["STAGE", "atoms", "condition_exact", "holds_array", "truth_array"]


def atoms(condition: Any) -> list[Any]:
    """The inequalities of a condition, in a fixed order (the condition itself if it is one)."""
    if is_relational(condition):
        return [condition]
    return sorted(condition.atoms(sp.core.relational.Relational), key=sp.srepr)


def _slack(rel_op: str, lhs: Any, rhs: Any) -> tuple[Any, Any]:
    diff = lhs - rhs
    slack = diff if rel_op in (">", ">=") else -diff
    return (slack > 0 if rel_op in (">", "<") else slack >= 0), slack


def condition_exact(
    expr: Any, values: Mapping[str, Fraction], field: str
) -> tuple[bool, Fraction | None]:
    """Truth of a condition and, for a single inequality, its slack (exact)."""
    if is_relational(expr):
        holds, slack = _slack(expr.rel_op, evaluate(expr.lhs - expr.rhs, values, field), 0)
        return bool(holds), slack
    out = expr.xreplace(
        {
            s: sp.Rational(values[s.name].numerator, values[s.name].denominator)
            for s in expr.free_symbols
        }
    )
    if out not in (sp.true, sp.false):
        raise ModelError(field, str(expr), f"cannot be decided at these values (gives {out})")
    return bool(out), None


def holds_array(rel: Any, lhs: Arr, rhs: Arr) -> tuple[Arr, Arr]:
    """``(truth, slack)`` of one inequality on arrays (slack as in :func:`condition_exact`)."""
    return _slack(rel.rel_op, lhs, rhs)


def truth_array(expr: Any, value: Mapping[Any, Arr]) -> Arr:
    """A condition's truth from the truth of its inequalities (and, or, not)."""
    if is_relational(expr):
        return value[expr]
    if expr is sp.true or expr is sp.false:
        return np.bool_(bool(expr))
    parts = [truth_array(a, value) for a in expr.args]
    if isinstance(expr, sp.Not):
        return ~parts[0]
    out = parts[0]
    for p in parts[1:]:
        out = (out & p) if isinstance(expr, sp.And) else (out | p)
    return out


def _array_fields(spec: Spec) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for name, cond in spec.conditions:
        f = f"conditions.{name}.holds"
        for k, rel in enumerate(atoms(cond)):
            out += [(f"{f}[{k}].lhs", rel.lhs), (f"{f}[{k}].rhs", rel.rhs)]
    return out


def _exact(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    values = frame["in"].env
    conditions = {
        name: condition_exact(cond, values, f"conditions.{name}.holds")
        for name, cond in spec.conditions
    }
    return {"conditions": conditions}


def _array(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    """``conditions``: name -> (truth, slack; NaN for and/or/not); ``near``: boundary."""
    inp = frame["in"]
    out: dict[str, tuple[Arr, Arr]] = {}
    near: Arr = np.False_
    for name, cond in spec.conditions:
        f = f"conditions.{name}.holds"
        truth: dict[Any, Arr] = {}
        slack: Arr = np.float64(np.nan)
        for k, rel in enumerate(atoms(cond)):
            a, b = inp[f"{f}[{k}].lhs"], inp[f"{f}[{k}].rhs"]
            tol = TIE_TOLERANCE * np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))
            near = near | (np.abs(a - b) <= tol)
            truth[rel], rel_slack = holds_array(rel, a, b)
            if rel is cond:
                slack = rel_slack
        out[name] = (truth_array(cond, truth), slack)
    return {"conditions": out, "near": near}


STAGE = Stage(
    name="conditions",
    meaning="the extra conditions (truth and slack)",
    writes=("conditions",),
    fields=lambda spec: [],
    exact=_exact,
    array=_array,
    array_fields=_array_fields,
)
