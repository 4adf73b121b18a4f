"""Stage 4b, discrete issues: the options each side can accept, and what each is worth.

A *discrete* issue is settled by choosing one of its options (e.g. enrichment: ``zero``,
``capped``, ``unrestricted``), not by splitting it.  Each option gives each side a fixed
utility ``v_i(o)`` and each side holds a *red line* on it: ``acceptable_i(o)`` is 1 when
side ``i`` can sign a deal with option ``o`` and 0 when it cannot (a parameter, so a red line
can be relaxed; a value in between, e.g. a sampled one, is read by the threshold 1/2: the
option is acceptable iff ``acceptable_i(o) >= 1/2``).  The deal space is
the union, over the combinations ``c`` of options that both sides accept, of ``v(c) + F``
(F the polytope of the divisible issues): for each admissible combination the bargaining
stage solves the divisible problem exactly with every disagreement value and floor shifted
by ``-v(c)``, and keeps the combination whose deal has the largest (asymmetric) Nash
product of gains ``(u_1 - d_1)^a (u_2 - d_2)^b`` (the same ranking for every solution
concept; ties: the first combination in declared order).  A combination is *blocked* by
every side whose red line excludes one of its options.

This stage evaluates the options' values and red lines and lists the combinations; the
bargaining stage (:mod:`negotiate.pipeline.bargaining`) solves them.  Red lines must lie in
[0, 1] (``ModelError`` naming ``discrete.ISSUE.acceptable.OPTION.PLAYER`` otherwise); on
arrays a value within 1e-12 of 1/2 is flagged ``boundary``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from negotiate.errors import ModelError, TooLargeError
from negotiate.pipeline._arrays import Arr, check
from negotiate.pipeline._spec import Spec, Stage

__all__ = ["STAGE", "Combination", "better_exact", "combinations", "product_array"]

_MAX_COMBINATIONS = 256
_MAX_EXPONENT = 4096
_RED_LINE = "a red line must lie in [0, 1] (0 unacceptable, 1 acceptable)"
_HALF = Fraction(1, 2)


@dataclass(frozen=True)
class Combination:
    """One choice of an option on every discrete issue: ``labels`` (issue -> option),
    ``offset`` (each side's utility from the options), ``admissible`` (both sides accept
    every option) and ``blocked`` (``"PLAYER:ISSUE=OPTION"`` for each red line crossed).
    On arrays ``offset`` and ``admissible`` are arrays over the points and ``blocked`` maps
    each entry to where it applies."""

    labels: Mapping[str, str]
    offset: tuple[Any, Any]
    admissible: Any
    blocked: Any


def _value_field(issue: str, option: str, player: str) -> str:
    return f"discrete.{issue}.values.{option}.{player}"


def _red_field(issue: str, option: str, player: str) -> str:
    return f"discrete.{issue}.acceptable.{option}.{player}"


def combinations(spec: Spec) -> list[tuple[tuple[str, str], ...]]:
    """Every combination of options, as ``((issue, option), ...)``, in declared order."""
    total = math.prod(len(d.options) for d in spec.discrete)
    if total > _MAX_COMBINATIONS:
        raise TooLargeError(
            "too many combinations of discrete options",
            cost=total,
            budget=_MAX_COMBINATIONS,
            instead="Merge options or declare fewer discrete issues.",
        )
    per = [[(d.name, o) for o in d.options] for d in spec.discrete]
    return [tuple(c) for c in itertools.product(*per)]


def better_exact(
    gains: tuple[Fraction, Fraction], best: tuple[Fraction, Fraction], power: Any
) -> bool:
    """``g1^a g2^b > h1^a h2^b`` exactly (positive gains; ``power`` None: a = b).

    With ``a / (a + b) = A / q`` the comparison is of integer powers ``g1^A g2^(q - A)``
    when ``q`` is small; otherwise the sign of ``a ln(g1/h1) - b ln(h2/g2)`` is evaluated with
    80 significant digits and accepted when it exceeds ``1e-60`` in size (a closer call is
    settled by the integer powers, within a budget).
    """
    a = Fraction(1, 2) if power is None else power[0] / (power[0] + power[1])
    q, big_a = a.denominator, a.numerator
    if q > _MAX_EXPONENT:
        import mpmath

        with mpmath.workdps(80):

            def log(x: Fraction) -> Any:
                return mpmath.log(mpmath.mpf(x.numerator) / x.denominator)

            d = mpmath.mpf(big_a) / q * log(gains[0] / best[0]) - mpmath.mpf(q - big_a) / q * log(
                best[1] / gains[1]
            )
            if abs(d) > mpmath.mpf(10) ** -60:
                return bool(d > 0)
        if q > 64 * _MAX_EXPONENT:
            raise TooLargeError(
                "comparing two nearly equal Nash products exactly",
                cost=q,
                budget=64 * _MAX_EXPONENT,
                instead="State the bargaining power with smaller denominators.",
            )
    return bool(
        gains[0] ** big_a * gains[1] ** (q - big_a) > best[0] ** big_a * best[1] ** (q - big_a)
    )


def product_array(g1: Arr, g2: Arr, a: Arr) -> Arr:
    """``a log g1 + (1 - a) log g2`` (-inf where a gain is not positive)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = a * np.log(np.where(g1 > 0, g1, np.nan)) + (1 - a) * np.log(
            np.where(g2 > 0, g2, np.nan)
        )
    return np.where(np.isnan(out), -np.inf, out)


def _fields(spec: Spec) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for d in spec.discrete:
        for option, values, red in zip(d.options, d.values, d.acceptable, strict=True):
            for k, p in enumerate(spec.players):
                out.append((_value_field(d.name, option, p), values[k]))
                out.append((_red_field(d.name, option, p), red[k]))
    return out


def _exact(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    if not spec.discrete:
        return {"options": None}
    inp = frame["in"]
    for field, _ in _fields(spec):
        if ".acceptable." in field and not 0 <= inp[field] <= 1:
            raise ModelError(field, inp[field], _RED_LINE)
    out = []
    for combo in combinations(spec):
        offset = [Fraction(0), Fraction(0)]
        blocked = []
        for issue, option in combo:
            for k, p in enumerate(spec.players):
                offset[k] += inp[_value_field(issue, option, p)]
                if inp[_red_field(issue, option, p)] < _HALF:
                    blocked.append(f"{p}:{issue}={option}")
        out.append(Combination(dict(combo), (offset[0], offset[1]), not blocked, tuple(blocked)))
    return {"options": tuple(out)}


def _array(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    if not spec.discrete:
        return {"options": None}
    inp, point = frame["in"], frame["point"]
    near: Arr = np.False_
    for field, _ in _fields(spec):
        if ".acceptable." in field:
            v = inp[field]
            check((v < 0) | (v > 1), field, v, _RED_LINE, point)
            near = near | (np.abs(v - 0.5) <= 1e-12)
    out = []
    for combo in combinations(spec):
        offset: list[Arr] = [0.0, 0.0]
        ok: Arr = np.True_
        blocked: dict[str, Arr] = {}
        for issue, option in combo:
            for k, p in enumerate(spec.players):
                offset[k] = offset[k] + inp[_value_field(issue, option, p)]
                red = inp[_red_field(issue, option, p)] < 0.5
                blocked[f"{p}:{issue}={option}"] = red
                ok = ok & ~red
        out.append(Combination(dict(combo), (offset[0], offset[1]), ok, blocked))
    return {"options": tuple(out), "options_near": near}


def blocked_by(options: Sequence[Combination]) -> dict[str, dict[str, list[str]]]:
    """Issue -> option -> the players whose red line excludes it (exact combinations)."""
    out: dict[str, dict[str, list[str]]] = {}
    for c in options:
        for entry in c.blocked:
            player, rest = entry.split(":", 1)
            issue, option = rest.split("=", 1)
            who = out.setdefault(issue, {}).setdefault(option, [])
            if player not in who:
                who.append(player)
    return out


STAGE = Stage(
    name="options",
    meaning="discrete issues: each option's value and the red lines, combination by combination",
    writes=("options",),
    fields=_fields,
    exact=_exact,
    array=_array,
)
