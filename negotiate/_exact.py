"""Exact numbers: the one place where user input becomes a ``fractions.Fraction``.

Conventions (DESIGN.md, "Exact by default"):

* ``int``, ``Fraction``, ``Decimal`` and numeric strings (``"0.1"``, ``"1/3"``, ``"-2e-9"``)
  are exact: ``"0.1"`` means 1/10.
* ``float`` is accepted and read as its shortest decimal representation (``0.1`` -> 1/10),
  which is what the user typed in almost every case.  The caller is told (``is_float``) so it
  can flag the input; results then say that they rest on float input.
* ``bool``, ``complex``, ``None``, NaN, infinities and non-numeric strings raise
  :class:`~negotiate.errors.ModelError` naming the field.
* sympy ``Rational``/``Integer`` are converted; other sympy objects are rejected here (symbolic
  payoffs are handled by the layers that support them).
"""

from __future__ import annotations

import math
import numbers
import re
import warnings
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from negotiate.errors import FloatInputWarning, ModelError

__all__ = [
    "as_fraction",
    "fraction_to_json",
    "is_float_input",
    "to_sympy",
    "warn_float_input",
]

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,4})?$")
_RATIO = re.compile(r"^[+-]?\d+\s*/\s*[+-]?\d+$")
_MAX_DIGITS = 4000


def is_float_input(value: Any) -> bool:
    """True if ``value`` is a binary float (numpy floats included)."""
    return isinstance(value, float) or (
        isinstance(value, numbers.Real)
        and not isinstance(value, numbers.Rational)
        and not isinstance(value, Decimal)
        and type(value).__module__ == "numpy"
    )


def as_fraction(value: Any, field: str) -> Fraction:
    """Convert ``value`` to an exact :class:`Fraction`, or raise ``ModelError`` naming ``field``."""
    if isinstance(value, bool | np.bool_):
        raise ModelError(field, value, "expected a number, got a boolean")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, numbers.Integral):  # numpy integers
        return Fraction(int(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ModelError(field, value, "must be a finite number")
        return Fraction(value)
    if isinstance(value, complex) or (
        isinstance(value, numbers.Complex) and not isinstance(value, numbers.Real)
    ):
        raise ModelError(field, value, "expected a real number, got a complex number")
    if isinstance(value, str):
        return _parse_string(value, field)
    if is_float_input(value):
        x = float(value)
        if math.isnan(x):
            raise ModelError(field, value, "is NaN; values must be finite numbers")
        if math.isinf(x):
            raise ModelError(field, value, "is infinite; values must be finite numbers")
        return Fraction(repr(x))
    if isinstance(value, numbers.Rational):  # sympy Rational and friends
        return Fraction(int(value.numerator), int(value.denominator))
    mod = type(value).__module__
    if mod.startswith("sympy"):
        try:
            if value.is_Rational:
                return Fraction(int(value.p), int(value.q))
        except AttributeError:
            pass
        raise ModelError(field, value, "expected a number; symbolic values are not allowed here")
    raise ModelError(field, value, f"expected a number, got {type(value).__name__}")


def _parse_string(text: str, field: str) -> Fraction:
    s = text.strip()
    if len(s) > _MAX_DIGITS:
        raise ModelError(field, text, f"numeric string longer than {_MAX_DIGITS} characters")
    if _RATIO.match(s):
        num, den = (int(part) for part in s.split("/"))
        if den == 0:
            raise ModelError(field, text, "division by zero")
        return Fraction(num, den)
    if _NUMBER.match(s):
        try:
            return Fraction(Decimal(s))
        except (InvalidOperation, ValueError) as exc:  # pragma: no cover - regex guards this
            raise ModelError(field, text, "is not a number") from exc
    low = s.lower()
    if low in {"nan", "+nan", "-nan"}:
        raise ModelError(field, text, "is NaN; values must be finite numbers")
    if low.lstrip("+-") in {"inf", "infinity"}:
        raise ModelError(field, text, "is infinite; values must be finite numbers")
    raise ModelError(field, text, "is not a number (use e.g. '3', '-0.25', '1/3' or '2e-9')")


def fraction_to_json(x: Fraction) -> str | int:
    """JSON form of an exact number: an int when integral, else the string ``"p/q"``."""
    if x.denominator == 1:
        return int(x.numerator)
    return f"{x.numerator}/{x.denominator}"


def to_sympy(value: Any) -> Any:
    """The one Fraction -> sympy conversion: a ``Fraction`` becomes a sympy ``Rational``;
    sympy objects pass through unchanged."""
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    return value


def warn_float_input(subject: str, *, stacklevel: int = 2) -> None:
    """The one float-input warning: ``subject`` (e.g. ``"float payoffs"``) was read exactly as
    its shortest decimal representation.  ``stacklevel`` counts from the caller."""
    warnings.warn(
        f"{subject} read as the shortest decimal representation (0.1 -> 1/10); "
        "pass strings or Fractions to state exact values",
        FloatInputWarning,
        stacklevel=stacklevel + 1,
    )
