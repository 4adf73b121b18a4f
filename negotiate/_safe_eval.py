"""Evaluating parsed expressions without sympy running away on huge numbers.

Substituting numbers into a relation makes sympy decide it, which evaluates every ``exp`` to
arbitrary precision: ``exp(exp(exp(1000))) > 1`` overflows inside mpmath, and
``exp(x**3) > 2`` at ``x = 10**999`` runs for minutes.  The arguments of ``exp`` are therefore
bounded (``|x| <= MAX_EXP_ARGUMENT``, so ``exp(x) < 2**4096``, the bound on every other
number) before anything is decided.  :mod:`negotiate.expr` applies these checks when it parses
and substitutes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sympy as sp

from negotiate._exact import as_fraction
from negotiate.errors import ModelError, show_value

__all__ = ["MAX_EXP_ARGUMENT", "decide", "exp_argument_problem", "safe_xreplace"]

#: ``exp(x)`` needs ``|x| <= MAX_EXP_ARGUMENT`` for numeric ``x``: ``exp(2839) < 2**4096``.
MAX_EXP_ARGUMENT = 2839


def exp_argument_problem(arg: sp.Basic) -> str | None:
    """Why ``exp(arg)`` cannot be evaluated safely, or ``None`` if it can.

    A numeric argument must have magnitude at most :data:`MAX_EXP_ARGUMENT`; a symbolic one
    must not contain ``exp`` itself (``exp(exp(x))`` at ``x = 1000`` has no finite floating
    evaluation, and sympy's arbitrary precision overflows while comparing it).
    """
    if arg.free_symbols:
        if arg.has(sp.exp):
            return "exp() nested in the argument of an exp() of parameters is not allowed"
        return None
    try:
        size = sp.Abs(arg).evalf(15)
        too_big = bool(size > MAX_EXP_ARGUMENT)
    except (OverflowError, ValueError, TypeError, RecursionError):
        too_big = True
    if too_big:
        return f"the argument of exp() exceeds {MAX_EXP_ARGUMENT} in magnitude"
    return None


def safe_xreplace(expr: sp.Basic, mapping: Mapping[Any, Any], field: str) -> sp.Basic:
    """``expr.xreplace(mapping)``, refusing ``exp`` of huge numbers before sympy evaluates it.

    Substituting into a relation makes sympy decide it, which evaluates every ``exp`` to
    arbitrary precision: ``exp(x**3) > 2`` at ``x = 10**999`` runs for minutes and deeper
    towers overflow.  The arguments of ``exp`` are therefore substituted and bounded first.
    """
    for node in expr.atoms(sp.exp):
        arg = node.args[0].xreplace(mapping)
        if not arg.free_symbols:
            reason = exp_argument_problem(arg)
            if reason:
                shown = ", ".join(
                    f"{k}={show_value(v)}"
                    for k, v in sorted((str(a), b) for a, b in mapping.items())
                )
                raise ModelError(field, str(expr), f"cannot be evaluated at {shown}: {reason}")
    try:
        return expr.xreplace(mapping)
    except (OverflowError, RecursionError) as exc:
        raise ModelError(
            field, str(expr), f"cannot be evaluated: numbers too large ({type(exc).__name__})"
        ) from None


def decide(cond: sp.Basic, values: Mapping[str, Any], *, field: str = "condition") -> bool:
    """Truth of a parsed condition at numeric ``values`` (exact; all its parameters given).

    Raises ``ModelError`` naming ``field`` when a parameter is missing, when the condition
    cannot be decided exactly, or when it holds numbers too large to evaluate.
    """
    wanted = {s.name: s for s in cond.free_symbols}
    missing = sorted(set(wanted) - {k.name if isinstance(k, sp.Symbol) else k for k in values})
    if missing:
        raise ModelError(field, str(cond), f"no value for {', '.join(missing)}")
    mapping = {}
    for key, raw in values.items():
        name = key.name if isinstance(key, sp.Symbol) else key
        if name in wanted:
            v = as_fraction(raw, f"{field}[{name}]")
            mapping[wanted[name]] = sp.Rational(v.numerator, v.denominator)
    out = safe_xreplace(cond, mapping, field)
    if out not in (sp.true, sp.false):
        raise ModelError(field, str(cond), f"cannot be decided at these values (gives {out})")
    return bool(out)
