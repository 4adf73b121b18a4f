"""Certificates of symbolic results by exact substitution at sample points.

A symbolic result is a family of numeric results.  At seeded random rational points, every
symbolic field is evaluated exactly (``xreplace``), the record is rebuilt on the numeric model
at that point, and the numeric model's own certificate -- which re-derives the answer by a
route of its own -- must pass there.  A wrong closed form therefore fails even where the
solver and the symbolic result share it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import fields, replace
from fractions import Fraction
from typing import Any

import sympy as sp

from negotiate.errors import ModelError
from negotiate.results import Certificate

__all__ = ["numeric_value", "substituted", "substitution_certificate"]


def numeric_value(value: Any) -> Any:
    """A substituted sympy value as numeric models hold it (``bool`` or ``Fraction``)."""
    if value is sp.true or value is sp.false:
        return bool(value)
    if isinstance(value, sp.Basic) and value.is_Rational:
        return Fraction(int(value.p), int(value.q))
    return value


def substituted(value: Any, subs: Mapping[sp.Basic, sp.Basic]) -> Any:
    """``value`` (a sympy object, or a tuple of them) evaluated exactly at ``subs``."""
    if isinstance(value, sp.Basic):
        return numeric_value(value.xreplace(subs))
    if isinstance(value, tuple):
        return tuple(substituted(v, subs) for v in value)
    return value


def substitution_certificate(
    result: Any,
    parameters: Mapping[str, Any],
    rebuild: Callable[[dict[str, Fraction]], Any],
    *,
    normalise: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    domain: tuple[Fraction, Fraction] = (Fraction(0), Fraction(1)),
    points: int = 12,
    seed: int = 0,
) -> Certificate:
    """Check a symbolic ``result`` (a frozen record with a ``model`` field) at sample points.

    ``parameters`` maps the model's parameter names to their (symbolic) values; every free
    symbol is drawn uniformly from the rationals ``domain[0] + (domain[1] - domain[0]) k/1000``
    (``k`` in 1..999); ``rebuild`` makes the numeric model from the substituted parameters
    (a :class:`ModelError` skips the point); ``normalise`` maps the substituted fields to the
    numeric record's conventions.  ``ok`` when at least one point was checked and every
    substituted record passes its numeric certificate.
    """
    syms = sorted(
        set().union(*(v.free_symbols for v in parameters.values() if isinstance(v, sp.Basic))),
        key=lambda s: s.name,
    )
    rng = random.Random(seed)
    lo, hi = domain
    checked = tried = 0
    failures: list[str] = []
    while checked < points and tried < 50 * points:
        tried += 1
        subs = {s: lo + (hi - lo) * Fraction(rng.randint(1, 999), 1000) for s in syms}
        sp_subs = {s: sp.Rational(x.numerator, x.denominator) for s, x in subs.items()}
        values = {
            n: numeric_value(v.xreplace(sp_subs)) if isinstance(v, sp.Basic) else v
            for n, v in parameters.items()
        }
        if not all(isinstance(v, Fraction | int) for v in values.values()):
            continue
        try:
            model = rebuild({n: Fraction(v) for n, v in values.items()})
        except ModelError:
            continue
        checked += 1
        record = {
            f.name: substituted(getattr(result, f.name), sp_subs)
            for f in fields(result)
            if f.name != "model" and f.init
        }
        if normalise is not None:
            record = normalise(record)
        point = {s.name: x for s, x in subs.items()}
        try:
            cert = replace(result, model=model, **record).verify()
        except (ModelError, TypeError) as exc:
            failures.append(f"at {point}: the substituted record cannot be checked ({exc})")
            continue
        if not cert.ok:
            failures.append(f"at {point}: the substituted record fails its certificate")
    notes = tuple(failures[:5])
    if checked == 0:
        notes += ("no sample point satisfied the model's domain",)
    return Certificate(
        ok=checked > 0 and not failures,
        quantities={"points": checked, "failed_points": len(failures)},
        exact=True,
        checks=(
            "the symbolic record, substituted exactly at random rational points, passes the "
            "numeric certificate there",
        ),
        notes=notes,
    )
