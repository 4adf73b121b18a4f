"""Exact numbers: the one place where user input becomes a ``fractions.Fraction``.

Conventions (docs/conventions.md, "Numbers"):

* ``int``, ``Fraction``, ``Decimal`` and numeric strings (``"0.1"``, ``"1/3"``, ``"-2e-9"``)
  are exact: ``"0.1"`` means 1/10.
* ``float`` is accepted and read as its shortest decimal representation (``0.1`` -> 1/10),
  which is what the user typed in almost every case.  The caller is told (``is_float``) so it
  can flag the input; results then say that they rest on float input.
* ``bool``, ``complex``, ``None``, NaN, infinities and non-numeric strings raise
  :class:`~negotiate.errors.ModelError` naming the field.
* sympy ``Rational``/``Integer`` are converted; other sympy objects are rejected here (symbolic
  payoffs are handled by the layers that support them).
* A number written as text or a decimal whose numerator or denominator exceeds
  :data:`MAX_BITS` bits (about 1233 decimal digits; ``"1e-9999"`` has a 10000-digit
  denominator) is refused with a ``ModelError``: the same bound the expression parser puts
  on numbers.  Results computed
  from admitted inputs can still grow past Python's int-to-text limit (4300 digits), so the
  formatters here (:func:`int_to_str`, :func:`fraction_to_json`, :func:`format_fraction`)
  never call ``str`` on such an integer.
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
    "MAX_BITS",
    "as_fraction",
    "format_fraction",
    "fraction_to_json",
    "int_to_str",
    "is_float_input",
    "to_sympy",
    "warn_float_input",
]

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,4})?$")
_RATIO = re.compile(r"^[+-]?\d+\s*/\s*[+-]?\d+$")
_MAX_DIGITS = 4000
#: Largest numerator or denominator (in bits) of an exact input number.
MAX_BITS = 4096
_SAFE_BITS = 12_000  # str() works below about 14,280 bits (4300 digits)
_CHUNK = 10**3000
_MAX_TEXT_DIGITS = 200_000


def is_float_input(value: Any) -> bool:
    """True if ``value`` is a binary float (numpy floats included)."""
    return isinstance(value, float) or (
        isinstance(value, numbers.Real)
        and not isinstance(value, numbers.Rational)
        and not isinstance(value, Decimal)
        and type(value).__module__ == "numpy"
    )


def as_fraction(value: Any, field: str) -> Fraction:
    """Convert ``value`` to an exact :class:`Fraction`, or raise ``ModelError`` naming ``field``.

    Numbers given as text, decimals or floats with a numerator or denominator over
    :data:`MAX_BITS` bits are refused; ``int`` and ``Fraction`` values (what computations
    produce) up to 12,000 bits, which still print as text (Python's limit is 4300 digits).
    """
    out = _as_fraction(value, field)
    bits = max(out.numerator.bit_length(), out.denominator.bit_length())
    # computed values (int, Fraction) get the room of Python's int-to-text limit
    limit = _SAFE_BITS if isinstance(value, Fraction | int) else MAX_BITS
    if bits > limit:
        shown = value if isinstance(value, str) else format_fraction(out)
        raise ModelError(
            field,
            shown,
            f"exact numbers are limited to {limit} bits (about {int(limit * 0.30103)} digits) "
            f"in numerator and denominator; this one has {bits}",
        )
    return out


def _as_fraction(value: Any, field: str) -> Fraction:
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


def int_to_str(n: int) -> str:
    """Decimal text of ``n``, exact, also past Python's 4300-digit ``str(int)`` limit.

    Large integers are cut into 3000-digit blocks by repeated ``divmod`` (quadratic, as
    ``str`` is).  Beyond 200,000 digits the text is :func:`format_fraction`'s scientific
    approximation instead.
    """
    if abs(n).bit_length() <= _SAFE_BITS:
        return str(n)
    if abs(n).bit_length() * 0.30103 > _MAX_TEXT_DIGITS:
        return _scientific(Fraction(n))
    sign, rest = ("-" if n < 0 else ""), abs(n)
    blocks: list[str] = []
    while rest >= _CHUNK:
        rest, low = divmod(rest, _CHUNK)
        blocks.append(str(low).rjust(3000, "0"))
    blocks.append(str(rest))
    return sign + "".join(reversed(blocks))


def _scientific(x: Fraction, digits: int = 17) -> str:
    """``x`` as ``m.mmm...e±E`` with ``digits`` significant digits (integer arithmetic)."""
    if x == 0:
        return "0"
    sign, a = ("-" if x < 0 else ""), abs(x)
    # estimate the decimal exponent from bit lengths, then correct it exactly
    e = int((a.numerator.bit_length() - a.denominator.bit_length()) * 0.30102999566398)
    while a >= Fraction(10) ** (e + 1):
        e += 1
    while a < Fraction(10) ** e:
        e -= 1
    scaled = a * Fraction(10) ** (digits - 1 - e)
    m = round(scaled)
    if m >= 10**digits:
        m //= 10
        e += 1
    text = str(m)
    mantissa = (text[0] + "." + text[1:]).rstrip("0").rstrip(".")
    return f"{sign}{mantissa}e{e:+d}"


def format_fraction(x: Fraction) -> str:
    """Text of an exact number: ``"p/q"`` (or ``"n"``) when it prints in at most 4300 digits,
    else ``"~1.2345e-9999 (exact: 1-digit numerator, 10000-digit denominator)"``."""
    if max(x.numerator.bit_length(), x.denominator.bit_length()) <= _SAFE_BITS:
        return str(x)
    p, q = _digits(x.numerator), _digits(x.denominator)
    return f"~{_scientific(x)} (exact: {p}-digit numerator, {q}-digit denominator)"


def _digits(n: int) -> int:
    """Number of decimal digits of ``|n|`` (exact, without converting to text)."""
    n = abs(n)
    d = max(1, int(n.bit_length() * 0.30102999566398))
    while n >= 10**d:
        d += 1
    while d > 1 and n < 10 ** (d - 1):
        d -= 1
    return d


def fraction_to_json(x: Fraction) -> str | int:
    """JSON form of an exact number: an int when integral, else the string ``"p/q"``.

    Integers past Python's ``str(int)`` limit are exact strings (:func:`int_to_str`), so the
    JSON never raises; an int is returned only when it prints under that limit.
    """
    if x.denominator == 1:
        if x.numerator.bit_length() <= _SAFE_BITS:
            return int(x.numerator)
        return int_to_str(x.numerator)
    return f"{int_to_str(x.numerator)}/{int_to_str(x.denominator)}"


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
