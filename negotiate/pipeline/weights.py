"""Stage 2, issue weights: each side's value of each issue, after the credibility discount.

The beneficiary of reversible concessions values issue ``j`` at ``w_j (1 - r_j (1 - kappa))``,
``r_j`` being the issue's reversible share: an irreversible transfer (``r = 0``) keeps its
face value, a fully reversible one (``r = 1``) is worth ``kappa`` of it (the credibility
discount of the commitment stage).  The other side's weights are not discounted.

Checks: weights are non-negative and ``r`` lies in [0, 1] (``ModelError`` naming
``issues.NAME.weights.PLAYER`` / ``issues.NAME.reversible``).  A model without issues reads
its outcome points (``bargaining.points[k].PLAYER``) here instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from negotiate._exact import as_fraction, is_float_input
from negotiate.errors import ModelError
from negotiate.pipeline._arrays import Arr, check
from negotiate.pipeline._spec import Spec, Stage

__all__ = [
    "STAGE",
    "discount_array",
    "discount_exact",
    "discount_space",
    "issue_array",
    "issue_exact",
]

_NEGATIVE = "weights must be non-negative"
_SHARE = "the reversible share must lie in [0, 1]"


def discount_exact(weight: Fraction, reversible: Fraction, kappa: Fraction) -> Fraction:
    """``w (1 - r (1 - kappa))``: a weight discounted on its reversible share (exact)."""
    return weight * (1 - reversible * (1 - kappa))


def discount_array(weight: Arr, reversible: Arr, kappa: Arr) -> Arr:
    """``w (1 - r (1 - kappa))`` on arrays."""
    return weight * (1 - reversible * (1 - kappa))


def discount_space(space: Any, kappa: Any) -> Any:
    """An :class:`~negotiate.games.issues.IssueSpace` with the first player's weight on each
    reversible issue discounted by ``kappa`` in [0, 1] (:func:`discount_exact` with ``r = 1``;
    irreversible issues, ``r = 0``, keep their weights)."""
    k = as_fraction(kappa, "kappa")
    if not 0 <= k <= 1:
        raise ModelError("kappa", k, "must lie in [0, 1]")
    issues = []
    for issue in space.issues:
        r = Fraction(1 if issue.reversible else 0)
        w = (discount_exact(issue.weights[0], r, k), issue.weights[1])
        if w == (0, 0):
            raise ModelError("kappa", k, f"leaves issue {issue.label!r} worth nothing to both")
        issues.append(dataclasses.replace(issue, weights=w))
    return dataclasses.replace(
        space,
        issues=tuple(issues),
        float_input=space.float_input or is_float_input(kappa),
    )


def _names(spec: Spec, k: int) -> tuple[str, str, str]:
    issue = spec.issues[k]
    f = f"issues.{issue.name}"
    p1, p2 = spec.players
    return f"{f}.weights.{p1}", f"{f}.weights.{p2}", f"{f}.reversible"


def issue_exact(
    w: tuple[Fraction, Fraction],
    r: Fraction,
    kappa: Fraction | None,
    beneficiary: int,
) -> tuple[Fraction, Fraction]:
    """One issue's discounted weights (exact); ``kappa`` None: no discount."""
    scaled = list(w)
    if kappa is not None:
        scaled[beneficiary] = discount_exact(w[beneficiary], r, kappa)
    return scaled[0], scaled[1]


def issue_array(
    w: tuple[Arr, Arr],
    r: Arr,
    kappa: Arr | None,
    beneficiary: int,
) -> tuple[Arr, Arr]:
    """One issue's discounted weights on arrays; ``kappa`` None: no discount."""
    scaled = list(w)
    if kappa is not None:
        scaled[beneficiary] = discount_array(w[beneficiary], r, kappa)
    return scaled[0], scaled[1]


def _fields(spec: Spec) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for k, issue in enumerate(spec.issues):
        f1, f2, fr = _names(spec, k)
        out += [(f1, issue.weights[0]), (f2, issue.weights[1]), (fr, issue.reversible)]
    p1, p2 = spec.players
    for k, pt in enumerate(spec.points or ()):
        out += [(f"bargaining.points[{k}].{p1}", pt[0]), (f"bargaining.points[{k}].{p2}", pt[1])]
    return out


def _points(spec: Spec, inp: Mapping[str, Any]) -> tuple[tuple[Any, Any], ...] | None:
    if spec.points is None:
        return None
    p1, p2 = spec.players
    return tuple(
        (inp[f"bargaining.points[{k}].{p1}"], inp[f"bargaining.points[{k}].{p2}"])
        for k in range(len(spec.points))
    )


def _exact(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    inp, kappa = frame["in"], frame["kappa"]
    weights, raw, rev = {}, {}, {}
    for k, issue in enumerate(spec.issues):
        fields = _names(spec, k)
        w = (inp[fields[0]], inp[fields[1]])
        for f, x in zip(fields, w, strict=False):
            if x < 0:
                raise ModelError(f, x, _NEGATIVE)
        r = inp[fields[2]]
        if not 0 <= r <= 1:
            raise ModelError(fields[2], r, _SHARE)
        raw[issue.name], rev[issue.name] = w, r
        weights[issue.name] = issue_exact(w, r, kappa, spec.beneficiary)
    return {
        "weights": weights,
        "raw_weights": raw,
        "reversibility": rev,
        "points": _points(spec, inp),
    }


def _array(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    inp, kappa, point = frame["in"], frame["kappa"], frame["point"]
    w1, w2 = [], []
    for k in range(len(spec.issues)):
        fields = _names(spec, k)
        a, b, r = (inp[f] for f in fields)
        check(a < 0, fields[0], a, _NEGATIVE, point)
        check(b < 0, fields[1], b, _NEGATIVE, point)
        check((r < 0) | (r > 1), fields[2], r, _SHARE, point)
        a, b = issue_array((a, b), r, kappa, spec.beneficiary)
        w1.append(a)
        w2.append(b)
    return {"weights": (w1, w2), "points": _points(spec, inp)}


STAGE = Stage(
    name="weights",
    meaning="issue weights, the beneficiary's discounted on reversible shares",
    writes=("weights", "raw_weights", "reversibility", "points"),
    fields=_fields,
    exact=_exact,
    array=_array,
)
