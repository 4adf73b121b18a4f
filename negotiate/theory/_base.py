"""Shared machinery of the closed-form models in :mod:`negotiate.theory`.

Pattern (every model follows it)::

    model = Model(param=value, ...)        # frozen; values are numbers or sympy symbols
    result = model.solve()                  # frozen result; fields are Fractions or sympy
    result.verify()                         # Certificate: the equilibrium conditions checked
    result.summary()                        # Summary with text/markdown/html renderers
    model.solve_for("param")                # the key condition solved for one parameter
    model.as_tree() / model.as_game()       # the explicit game, for cross-checks

Numbers are converted exactly (``"0.1"`` is 1/10, floats by their shortest repr).  A sympy
``Symbol`` (or expression) keeps the model symbolic; results are then sympy expressions or
``Piecewise``/Boolean conditions, never evaluated to ``zoo`` or ``nan``: degenerate parameter
cases raise :class:`~negotiate.errors.ModelError` or are documented as such.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from fractions import Fraction
from typing import Any, TypeAlias

import sympy as sp

from negotiate._exact import as_fraction, to_sympy
from negotiate.errors import ModelError
from negotiate.results import Summary

__all__ = [
    "Param",
    "check_interval",
    "is_symbolic",
    "param",
    "result_summary",
    "to_exact_or_sympy",
    "to_sympy",
]

#: A model parameter: an exact number or a sympy expression.
Param: TypeAlias = Fraction | sp.Expr


def is_symbolic(*values: Any) -> bool:
    """True if any value is a sympy expression with free symbols."""
    return any(isinstance(v, sp.Basic) and bool(v.free_symbols) for v in values)


def param(value: Any, field: str) -> Param:
    """Convert a model parameter: sympy expressions with symbols stay, numbers become exact."""
    if isinstance(value, sp.Basic):
        if value.free_symbols:
            if not isinstance(value, sp.Expr):
                raise ModelError(field, value, "expected a number or a sympy expression")
            return value
        if value.is_Rational:
            return Fraction(int(value.p), int(value.q))  # type: ignore[attr-defined]
        raise ModelError(field, value, "symbolic constants must be rational numbers")
    return as_fraction(value, field)


def to_exact_or_sympy(expr: Any) -> Param:
    """Back from sympy: a ``Fraction`` when the value is rational, else the expression."""
    if isinstance(expr, Fraction):
        return expr
    if isinstance(expr, str):
        raise TypeError("to_exact_or_sympy takes numbers or sympy objects, never text")
    expr = sp.nsimplify(expr) if isinstance(expr, float) else sp.sympify(expr)  # safe: no text
    if expr.is_Rational:
        return Fraction(int(expr.p), int(expr.q))
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ModelError("result", expr, "is undefined at these parameters (degenerate case)")
    return expr


def check_interval(
    value: Param,
    field: str,
    lo: Fraction | int | None,
    hi: Fraction | int | None,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
) -> None:
    """Raise ``ModelError`` if a numeric ``value`` lies outside the interval (symbols pass)."""
    if isinstance(value, sp.Basic):
        return
    bad = (lo is not None and (value < lo or (lo_open and value == lo))) or (
        hi is not None and (value > hi or (hi_open and value == hi))
    )
    if bad:
        left = "(" if lo_open else "["
        right = ")" if hi_open else "]"
        lo_s = "-inf" if lo is None else str(lo)
        hi_s = "inf" if hi is None else str(hi)
        raise ModelError(field, value, f"must lie in {left}{lo_s}, {hi_s}{right}")


def result_summary(result: Any, title: str, notes: tuple[str, ...] = ()) -> Summary:
    """A :class:`Summary` listing a frozen result's public dataclass fields."""
    if not is_dataclass(result):
        raise TypeError("result_summary expects a dataclass instance")
    rows = tuple(
        (f.name, getattr(result, f.name))
        for f in fields(result)
        if not f.name.startswith("_") and f.name != "model"
    )
    return Summary(title=title, fields=rows, notes=notes)
