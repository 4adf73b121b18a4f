"""Stage 1, commitment: the reneging hazard and the credibility discount ``kappa``.

A promise of a reversible concession is kept each period with probability ``1 - rho_eff``,
``rho_eff = hazard (1 - guarantee)`` (a guarantor removes the share ``guarantee`` of the
hazard, Walter 1997).  Its present value relative to a permanent flow, with patience
``delta``, is (grim-trigger self-enforcement, see docs/conventions.md)

    kappa = (1 - delta) / (1 - delta (1 - rho_eff))        in (0, 1].

When the promiser's type is not observed (Kydd 2005: trustworthy with posterior ``pi'``
after its record, untrustworthy otherwise) its type is nevertheless *fixed*, so the present
value of a reversible flow is the expectation of the discount over the types, not the
discount at the expected hazard:

    kappa = sum_t p_t k(delta, h_t (1 - g)),     k(delta, rho) = (1 - delta)/(1 - delta (1 - rho)),

e.g. ``pi' k(delta, h_TW (1 - g)) + (1 - pi') k(delta, h_UT (1 - g))``.  ``k`` is convex in
``rho``, so ``k`` at the mean hazard understates the value (Jensen's inequality).  The
reported ``rho_eff`` is then the mean effective hazard ``sum_t p_t h_t (1 - g)``.

Domains: patience in (0, 1), hazard and guarantee in [0, 1]; a value outside raises
``ModelError`` naming the ``commitment.*`` field (and, on arrays, the first bad point).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from negotiate.errors import ModelError
from negotiate.pipeline._arrays import Arr, PointFn, check
from negotiate.pipeline._spec import Spec, Stage

__all__ = [
    "STAGE",
    "kappa_array",
    "kappa_exact",
    "kappa_types_array",
    "kappa_types_exact",
    "reneging_hazard_array",
    "reneging_hazard_exact",
]

FIELDS = ("commitment.patience", "commitment.hazard", "commitment.guarantee")
_OPEN = "must lie in (0, 1)"
_CLOSED = "must lie in [0, 1]"


def reneging_hazard_exact(
    posterior: Fraction, h_trustworthy: Fraction, h_untrustworthy: Fraction
) -> Fraction:
    """``rho = pi' h_TW + (1 - pi') h_UT`` (exact)."""
    return posterior * h_trustworthy + (1 - posterior) * h_untrustworthy


def reneging_hazard_array(posterior: Arr, h_trustworthy: Arr, h_untrustworthy: Arr) -> Arr:
    """``rho = pi' h_TW + (1 - pi') h_UT`` on arrays."""
    return posterior * h_trustworthy + (1 - posterior) * h_untrustworthy


def kappa_exact(
    delta: Fraction, hazard: Fraction, guarantee: Fraction, fields: tuple[str, str, str] = FIELDS
) -> tuple[Fraction, Fraction]:
    """``(kappa, rho_eff)`` exactly, after the domain checks (errors named by ``fields``)."""
    if not 0 < delta < 1:
        raise ModelError(fields[0], delta, _OPEN)
    if not 0 <= hazard <= 1:
        raise ModelError(fields[1], hazard, _CLOSED)
    if not 0 <= guarantee <= 1:
        raise ModelError(fields[2], guarantee, _CLOSED)
    rho_eff = hazard * (1 - guarantee)
    return (1 - delta) / (1 - delta * (1 - rho_eff)), rho_eff


def kappa_array(
    delta: Arr, hazard: Arr, guarantee: Arr, point: PointFn, fields: tuple[str, str, str] = FIELDS
) -> tuple[Arr, Arr]:
    """``(kappa, rho_eff)`` on arrays, after the same domain checks as :func:`kappa_exact`."""
    check((delta <= 0) | (delta >= 1), fields[0], delta, _OPEN, point)
    check((hazard < 0) | (hazard > 1), fields[1], hazard, _CLOSED, point)
    check((guarantee < 0) | (guarantee > 1), fields[2], guarantee, _CLOSED, point)
    rho_eff = hazard * (1 - guarantee)
    return (1 - delta) / (1 - delta * (1 - rho_eff)), rho_eff


_SUM = "the type probabilities must sum to 1"


def type_fields(names: tuple[str, ...]) -> list[tuple[str, str]]:
    """The ``(probability, hazard)`` field paths of the promiser's types."""
    return [(f"commitment.types.{n}.probability", f"commitment.types.{n}.hazard") for n in names]


def kappa_types_exact(
    delta: Fraction,
    guarantee: Fraction,
    types: list[tuple[Fraction, Fraction]],
    fields: list[tuple[str, str]],
) -> tuple[Fraction, Fraction]:
    """``(sum_t p_t k(delta, h_t (1 - g)), sum_t p_t h_t (1 - g))`` exactly, after the checks
    (probabilities in [0, 1] summing to 1; each hazard as in :func:`kappa_exact`)."""
    kappa, rho = Fraction(0), Fraction(0)
    for (p, h), (fp, fh) in zip(types, fields, strict=True):
        if not 0 <= p <= 1:
            raise ModelError(fp, p, _CLOSED)
        k, r = kappa_exact(delta, h, guarantee, (FIELDS[0], fh, FIELDS[2]))
        kappa, rho = kappa + p * k, rho + p * r
    total = sum((p for p, _ in types), Fraction(0))
    if total != 1:
        raise ModelError(fields[0][0], total, _SUM)
    return kappa, rho


def kappa_types_array(
    delta: Arr,
    guarantee: Arr,
    types: list[tuple[Arr, Arr]],
    fields: list[tuple[str, str]],
    point: PointFn,
) -> tuple[Arr, Arr]:
    """:func:`kappa_types_exact` on arrays (the sum checked to ``1e-9``)."""
    kappa: Arr = 0.0
    rho: Arr = 0.0
    total: Arr = 0.0
    for (p, h), (fp, fh) in zip(types, fields, strict=True):
        check((p < 0) | (p > 1), fp, p, _CLOSED, point)
        k, r = kappa_array(delta, h, guarantee, point, (FIELDS[0], fh, FIELDS[2]))
        kappa, rho, total = kappa + p * k, rho + p * r, total + p
    check(np.abs(total - 1) > 1e-9, fields[0][0], total, _SUM, point)
    return kappa, rho


def _fields(spec: Spec) -> list[tuple[str, Any]]:
    if spec.commitment is None:
        return []
    if not spec.hazard_types:
        return list(zip(FIELDS, spec.commitment, strict=True))
    out = [(FIELDS[0], spec.commitment[0]), (FIELDS[2], spec.commitment[2])]
    for (fp, fh), (_, p, h) in zip(_type_fields(spec), spec.hazard_types, strict=True):
        out += [(fp, p), (fh, h)]
    return out


def _type_fields(spec: Spec) -> list[tuple[str, str]]:
    return type_fields(tuple(n for n, _, _ in spec.hazard_types))


def _exact(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    if spec.commitment is None:
        return {"kappa": None, "rho_eff": None}
    inp = frame["in"]
    if spec.hazard_types:
        fields = _type_fields(spec)
        types = [(inp[fp], inp[fh]) for fp, fh in fields]
        kappa, rho_eff = kappa_types_exact(inp[FIELDS[0]], inp[FIELDS[2]], types, fields)
    else:
        delta, hazard, guarantee = (inp[f] for f in FIELDS)
        kappa, rho_eff = kappa_exact(delta, hazard, guarantee)
    return {"kappa": kappa, "rho_eff": rho_eff}


def _array(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    if spec.commitment is None:
        return {"kappa": None, "rho_eff": None}
    inp = frame["in"]
    if spec.hazard_types:
        fields = _type_fields(spec)
        types = [(inp[fp], inp[fh]) for fp, fh in fields]
        kappa, rho_eff = kappa_types_array(
            inp[FIELDS[0]], inp[FIELDS[2]], types, fields, frame["point"]
        )
    else:
        delta, hazard, guarantee = (inp[f] for f in FIELDS)
        kappa, rho_eff = kappa_array(delta, hazard, guarantee, frame["point"])
    return {"kappa": kappa, "rho_eff": rho_eff}


STAGE = Stage(
    name="commitment",
    meaning="reneging hazard, guarantee and the credibility discount kappa",
    writes=("kappa", "rho_eff"),
    fields=_fields,
    exact=_exact,
    array=_array,
)
