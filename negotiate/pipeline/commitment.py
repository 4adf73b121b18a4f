"""Stage 1, commitment: the reneging hazard and the credibility discount ``kappa``.

A promise of a reversible concession is kept each period with probability ``1 - rho_eff``,
``rho_eff = hazard (1 - guarantee)`` (a guarantor removes the share ``guarantee`` of the
hazard, Walter 1997).  Its present value relative to a permanent flow, with patience
``delta``, is (grim-trigger self-enforcement, see docs/conventions.md)

    kappa = (1 - delta) / (1 - delta (1 - rho_eff))        in (0, 1].

When the hazard is not observed directly it is the expectation over the promiser's type
after Bayesian updating on its record (Kydd 2005): ``rho = pi' h_TW + (1 - pi') h_UT``.

Domains: patience in (0, 1), hazard and guarantee in [0, 1]; a value outside raises
``ModelError`` naming the ``commitment.*`` field (and, on arrays, the first bad point).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from negotiate.errors import ModelError
from negotiate.pipeline._arrays import Arr, PointFn, check
from negotiate.pipeline._spec import Spec, Stage

__all__ = [
    "STAGE",
    "kappa_array",
    "kappa_exact",
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


def _fields(spec: Spec) -> list[tuple[str, Any]]:
    return [] if spec.commitment is None else list(zip(FIELDS, spec.commitment, strict=True))


def _exact(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    if spec.commitment is None:
        return {"kappa": None, "rho_eff": None}
    inp = frame["in"]
    delta, hazard, guarantee = (inp[f] for f in FIELDS)
    kappa, rho_eff = kappa_exact(delta, hazard, guarantee)
    return {"kappa": kappa, "rho_eff": rho_eff}


def _array(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    if spec.commitment is None:
        return {"kappa": None, "rho_eff": None}
    inp = frame["in"]
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
