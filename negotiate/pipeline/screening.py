"""Stage 7, incomplete information: the offer under uncertainty and the outcome's probabilities.

Without a ``[screening]`` layer the talks end in a deal for sure when a zone of agreement
exists and every condition holds; otherwise they fail and the no-deal game is played, so

    P(agreement) = 1 or 0,  P(war) = (1 - P(agreement)) w,  P(stalemate) = the rest,

``w`` being the probability of a war action on the no-deal equilibrium path.  A model
without a bargaining layer agrees exactly when its equilibrium path reaches an agreement
action.

**Screening** (Fearon 1995; Powell 1999, ch. 3).  One side (the *informed*, Iran in the
flagship) has a type the other (the *proposer*) does not know: type ``t`` has probability
``p_t`` and values no deal at ``d_inf + premium_t`` (e.g. content with a threshold
programme, premium 0, or seeking a weapon when safe, premium > 0).  For each type ``t`` the
proposer can make the offer ``o_t`` it would make knowing the type:

* protocol ``"nash"``: the model's bargaining solution at the informed side's disagreement
  value ``d_inf + premium_t`` (floors and discrete options as in the bargaining stage);
* protocol ``"ultimatum"``: the proposer's best deal that gives the informed side exactly
  ``max(d_inf + premium_t, floor_inf)`` (a take-it-or-leave-it demand).

Type ``s`` accepts ``o_t`` iff it gives it at least ``d_inf + premium_s`` (accepts when
indifferent).  The proposer's expected utility of ``o_t`` is ``sum_{s accepts} p_s u(o_t)
+ sum_{s rejects} p_s d_prop``; it makes the offer with the largest one (ties: the offer
accepted with the larger probability, then the first type) when that beats ``d_prop``, and
an offer is available only where its type's zone of agreement exists.  An offer that one
type rejects is the risk-return trade-off: the talks break down with the probability of the
rejecting types.  With a one-dimensional pie, the ultimatum protocol and equally likely types
at the midpoints of ``[0, c]`` this is :class:`negotiate.theory.RiskReturn`'s discretised game.

Outputs: ``probabilities`` (agreement, stalemate, war; exact on the exact path), ``offer``
(the bargaining solution behind the chosen offer, exact path, or None), ``offer_option``
(its discrete options), ``offer_type`` (the type it is made for) and ``offer_utilities``.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from negotiate.errors import ModelError, NotApplicableError
from negotiate.pipeline._arrays import TIE_TOLERANCE, Arr, check
from negotiate.pipeline._spec import Spec, Stage
from negotiate.pipeline.bargaining import (
    _choose_array,
    _choose_exact,
    _floors,
    _solve_array,
    _solve_exact,
)

__all__ = ["STAGE", "probabilities_array", "probabilities_exact"]

_CLOSED = "must lie in [0, 1]"
_SUM = "the type probabilities must sum to 1"


def probabilities_exact(agree: Fraction, war: Fraction) -> dict[str, Fraction]:
    """``{agreement: a, stalemate: (1 - a)(1 - w), war: (1 - a) w}`` (exact)."""
    return {"agreement": agree, "stalemate": (1 - agree) * (1 - war), "war": (1 - agree) * war}


def probabilities_array(agree: Arr, war: Arr) -> tuple[Arr, Arr, Arr]:
    """:func:`probabilities_exact` on arrays: ``(agreement, stalemate, war)``."""
    return agree, (1 - agree) * (1 - war), (1 - agree) * war


def _fields(spec: Spec) -> list[tuple[str, Any]]:
    if spec.screening is None:
        return []
    out = []
    for name, p, premium in spec.screening.types:
        out += [
            (f"screening.types.{name}.probability", p),
            (f"screening.types.{name}.premium", premium),
        ]
    return out


def _types(spec: Spec, inp: Any) -> list[tuple[Any, Any]]:
    assert spec.screening is not None
    return [
        (inp[f"screening.types.{n}.probability"], inp[f"screening.types.{n}.premium"])
        for n, _, _ in spec.screening.types
    ]


def _offer_exact(spec: Spec, frame: Mapping[str, Any], premium: Fraction) -> Any:
    """``(zone, (u_1, u_2), solution, option)`` of the offer made to a type of ``premium``."""
    assert spec.screening is not None
    i = spec.screening.informed
    d = list(frame["disagreement"])
    d[i] += premium
    floors = _floors(spec, frame, frame["disagreement"])
    bounds = (max(d[0], floors[0]), max(d[1], floors[1]))
    sub = {**frame, "disagreement": (d[0], d[1]), "bounds": bounds, "deal": True}
    if frame.get("options"):
        r = _choose_exact(spec, sub, frame["power"])
        zone = r["solution"] is not None and r["zone"]
    else:
        r = _solve_exact(spec, sub, (d[0], d[1]), bounds, floors, frame["power"], True)
        zone = r["zone"]
    if not zone:
        return False, None, None, None
    if spec.screening.protocol == "ultimatum":
        u = [Fraction(0), Fraction(0)]
        u[i], u[1 - i] = bounds[i], r["best"][1 - i]
        return True, (u[0], u[1]), None, None  # utilities only: no bargaining solution
    sol, option = r["solution"], r.get("option")
    o = option.offset if option is not None else (0, 0)
    return True, (sol.utilities[0] + o[0], sol.utilities[1] + o[1]), sol, option


def _exact(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    nd = frame["no_deal"]
    war = nd.war_probability if nd is not None else Fraction(0)
    conditions_ok = all(ok for ok, _ in frame["conditions"].values())
    out: dict[str, Any] = {
        "offer": None,
        "offer_option": None,
        "offer_type": None,
        "offer_utilities": None,
    }
    if frame["slacks"] is None:  # the tree settles it
        agree = Fraction(1 if nd is not None and nd.agreed else 0)
        return {
            **out,
            "probabilities": probabilities_exact(
                agree, Fraction(war) if not agree else Fraction(0)
            ),
        }
    ratified = all(s >= 0 for s in frame["ratification"].values())
    zone = frame["slacks"][0] > 0 < frame["slacks"][1] and ratified
    zone = zone and frame.get("admissible") is not False and conditions_ok
    if spec.screening is None:
        agree = Fraction(1 if zone else 0)
        out["offer"], out["offer_option"] = frame.get("solution"), frame.get("option")
        return {**out, "probabilities": probabilities_exact(agree, war)}
    types = _types(spec, frame["in"])
    _check_types(spec, types)
    if frame.get("options") and spec.screening.protocol == "ultimatum":
        raise NotApplicableError("the ultimatum protocol with discrete issues", ("nash",))
    i = spec.screening.informed
    d = frame["disagreement"]
    best: tuple[Any, ...] = (d[1 - i], Fraction(0), None)  # (value, P(accept), offer)
    for k, (_, premium) in enumerate(types):
        if not conditions_ok:
            break
        ok, u, sol, option = _offer_exact(spec, frame, premium)
        if not ok:
            continue
        accept = sum((p for p, q in types if u[i] >= d[i] + q), Fraction(0))
        value = accept * u[1 - i] + (1 - accept) * d[1 - i]
        if (value, accept) > best[:2]:
            best = (value, accept, (k, sol, option, u))
    agree = best[1]
    if best[2] is not None:
        k, sol, option, u = best[2]
        names = [n for n, _, _ in spec.screening.types]
        out.update(offer=sol, offer_option=option, offer_type=names[k], offer_utilities=u)
    return {**out, "probabilities": probabilities_exact(agree, war)}


def _check_types(spec: Spec, types: list[tuple[Any, Any]]) -> None:
    assert spec.screening is not None
    names = [n for n, _, _ in spec.screening.types]
    for n, (p, _) in zip(names, types, strict=True):
        if not 0 <= p <= 1:
            raise ModelError(f"screening.types.{n}.probability", p, _CLOSED)
    total = sum((p for p, _ in types), Fraction(0))
    if total != 1:
        raise ModelError(f"screening.types.{names[0]}.probability", total, _SUM)


def _offer_array(spec: Spec, frame: Mapping[str, Any], premium: Arr) -> Any:
    """``(zone, u_1, u_2, near, shares, option)`` of the offer to a type of ``premium``."""
    assert spec.screening is not None
    i = spec.screening.informed
    d = list(frame["disagreement"])
    d[i] = d[i] + premium
    f = _floors(spec, frame, frame["disagreement"])
    e = (np.maximum(d[0], f[0]), np.maximum(d[1], f[1]))
    chain = frame["chain"]
    sub = {**frame, "disagreement": (d[0], d[1]), "bounds": e}
    if frame.get("options"):
        r = _choose_array(spec, sub, chain, (d[0], d[1]), e, f, frame["power"])
    else:
        r = _solve_array(spec, sub, chain, (d[0], d[1]), e, f, frame["power"])
    u1, u2, shares = r["deal"]
    if spec.screening.protocol == "ultimatum":
        u = [u1, u2]
        u[i], u[1 - i] = e[i], r["best"][1 - i]
        u1, u2 = u
        shares = None
    return r["zone"], u1, u2, r["near"], shares, r.get("option")


def _array(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    nd = frame["no_deal"]
    war = nd.war_probability if nd is not None else 0.0
    ok: Arr = np.True_
    for holds, _ in frame["conditions"].values():
        ok = ok & holds
    if frame["slacks"] is None:
        agree = nd.agreed.astype(float) if nd is not None else 0.0
        return {"probabilities": probabilities_array(agree, np.where(agree > 0, 0.0, war))}
    zone = frame["zone"] & ok
    if spec.screening is None:
        return {
            "probabilities": probabilities_array(zone.astype(float), war),
            "offer_deal": frame["deal"],
            "offer_option": frame.get("option"),
        }
    if frame.get("options") and spec.screening.protocol == "ultimatum":
        raise NotApplicableError("the ultimatum protocol with discrete issues", ("nash",))
    inp, point = frame["in"], frame["point"]
    types = _types(spec, inp)
    names = [n for n, _, _ in spec.screening.types]
    total: Arr = 0.0
    for n, (p, _) in zip(names, types, strict=True):
        check((p < 0) | (p > 1), f"screening.types.{n}.probability", p, _CLOSED, point)
        total = total + p
    check(np.abs(total - 1) > 1e-9, f"screening.types.{names[0]}.probability", total, _SUM, point)
    i = spec.screening.informed
    d = frame["disagreement"]
    best_v, best_a = d[1 - i] + 0.0 * total, 0.0 * total
    near: Arr = np.False_
    offer: list[Any] = [np.nan * total, np.nan * total, None, None]
    for _, premium in types:
        z, u1, u2, nr, shares, option = _offer_array(spec, frame, premium)
        z = z & ok
        u = (u1, u2)
        accept: Arr = 0.0
        for p, q in types:
            gap = u[i] - (d[i] + q)
            gtol = TIE_TOLERANCE * np.maximum(1.0, np.abs(u[i]))
            near = near | (z & (np.abs(gap) <= gtol) & (gap != 0))  # exact float ties decide
            accept = accept + np.where(gap >= -gtol, p, 0)
        value = accept * u[1 - i] + (1 - accept) * d[1 - i]
        tol = TIE_TOLERANCE * np.maximum(1.0, np.abs(best_v))
        gap_v = np.abs(value - best_v)
        near = near | (z & nr) | (z & (gap_v <= tol) & (gap_v != 0))
        up = z & ((value > best_v + tol) | ((np.abs(value - best_v) <= tol) & (accept > best_a)))
        best_v, best_a = np.where(up, value, best_v), np.where(up, accept, best_a)
        offer[0], offer[1] = np.where(up, u1, offer[0]), np.where(up, u2, offer[1])
        if shares is not None:
            old = offer[2] or [np.nan * total for _ in shares]
            offer[2] = [np.where(up, a, b) for a, b in zip(shares, old, strict=True)]
        if option is not None:
            offer[3] = np.where(up, option, -1 if offer[3] is None else offer[3])
    return {
        "probabilities": probabilities_array(best_a, war),
        "screening_near": near,
        "offer_deal": (offer[0], offer[1], offer[2]),
        "offer_option": offer[3],
    }


STAGE = Stage(
    name="screening",
    meaning="the offer under incomplete information and the probabilities of the outcomes",
    writes=("probabilities", "offer", "offer_option", "offer_type", "offer_utilities"),
    fields=_fields,
    exact=_exact,
    array=_array,
)
