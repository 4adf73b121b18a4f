"""Stage 7, the outcome: agreement, stalemate or war, and the binding constraint.

Outcome rule (stated once): the outcome is the *most likely* of agreement, stalemate and war
under the probabilities of the screening stage (ties in the order agreement, war,
stalemate).  Without incomplete information those probabilities are 1 for agreement or
else ``1 - w`` and ``w`` (``w`` the war probability of the no-deal path), so:

* **agreement** when a zone of agreement exists (both participation slacks positive and
  every ratification slack non-negative) and every extra condition holds; a model without a
  bargaining layer agrees when the no-deal game's equilibrium path reaches an agreement
  action;
* otherwise **war** when the no-deal equilibrium path plays a war action with probability
  at least 1/2, and **stalemate** when it does not.

Constraints, in this order: participation (per side), the red lines of the discrete issues
(hold when some combination of options is acceptable to both; no slack), ratification
floors, conditions.
Binding: the failed constraints, a crossed red line first, then most violated first (a
condition without a slack counts as 0; ties in declared order).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from negotiate.pipeline._arrays import TIE_TOLERANCE, Arr
from negotiate.pipeline._spec import Spec, Stage, no_fields

__all__ = [
    "OUTCOMES",
    "STAGE",
    "binding_array",
    "binding_exact",
    "classify_array",
    "classify_exact",
    "constraint_names",
]

OUTCOMES = ("agreement", "stalemate", "war")
_AGREE, _STALEMATE, _WAR = range(3)

#: One constraint: (name, kind, holds, slack or None).
Item = tuple[str, str, bool, Fraction | None]


def constraint_names(spec: Spec) -> tuple[str, ...]:
    """The constraints' names, in their order."""
    names = []
    if spec.has_bargaining:
        names += [f"participation:{p}" for p in spec.players]
    if spec.discrete:
        names.append("red_lines:both")
    names += [f"ratification:{p}" for p in spec.players if p in spec.floors]
    names += [f"condition:{name}" for name, _ in spec.conditions]
    return tuple(names)


def classify_exact(zone: bool | None, conditions_ok: bool, no_deal: Any) -> str:
    """The outcome label; ``zone`` is None without a bargaining layer (the tree decides)."""
    if zone is None:
        zone = no_deal is not None and no_deal.agreed
    if zone and conditions_ok:
        return "agreement"
    if no_deal is not None and no_deal.war:
        return "war"
    return "stalemate"


def classify_array(zone: Arr, conditions_ok: Arr, war: Arr) -> Arr:
    """Outcome codes into :data:`OUTCOMES` (``war``: the war probability is positive)."""
    return np.where(zone & conditions_ok, _AGREE, np.where(war, _WAR, _STALEMATE))


def binding_exact(items: Sequence[Item]) -> tuple[str, ...]:
    """Failed constraints, most violated first (ties in declared order)."""
    failed = [c for c in items if not c[2]]
    failed.sort(key=_severity)
    return tuple(c[0] for c in failed)


def _severity(c: Item) -> Any:
    """Sort key of a failed constraint: a crossed red line first, then by slack (a missing
    slack counts as 0)."""
    if c[1] == "red_line":
        return -np.inf
    return c[3] if c[3] is not None else Fraction(0)


def binding_array(names: Sequence[str], slack: Mapping[str, Arr], holds: Mapping[str, Arr]) -> Arr:
    """Codes into ``("", *names)``: the most violated constraint (ties within 1e-12 in
    declared order)."""
    keys = []
    for name in names:
        value = slack[name]
        failed = ~(value > 0) if name.startswith("participation:") else ~holds[name]
        value = (-np.inf if name.startswith("red_lines:") else 0.0) if value is None else value
        keys.append(np.where(failed, np.nan_to_num(value, nan=0.0), np.inf))
    code: Arr = np.int16(0)
    if not names:
        return code
    low = keys[0]
    for k in keys[1:]:
        low = np.minimum(low, k)
    tol = TIE_TOLERANCE * np.maximum(1.0, np.abs(np.where(np.isfinite(low), low, 0.0)))
    for j in range(len(names) - 1, -1, -1):  # the first within tol of the lowest wins
        code = np.where(np.isfinite(low) & (keys[j] <= low + tol), j + 1, code)
    return code


def _items(spec: Spec, frame: Mapping[str, Any]) -> list[tuple[str, str, Any, Any]]:
    """``(name, kind, holds, slack)`` of every constraint, in order (both paths)."""
    out: list[tuple[str, str, Any, Any]] = []
    if frame["slacks"] is not None:
        out += [
            (f"participation:{p}", "participation", s > 0, s)
            for p, s in zip(spec.players, frame["slacks"], strict=True)
        ]
    if spec.discrete:
        admissible: Any = False
        for c in frame["options"]:
            admissible = admissible | c.admissible
        out.append(("red_lines:both", "red_line", admissible, None))
    for p, s in frame["ratification"].items():
        out.append((f"ratification:{p}", "ratification", s >= 0, s))
    for name, (ok, s) in frame["conditions"].items():
        out.append((f"condition:{name}", "condition", ok, s))
    return out


_PRIORITY = ("agreement", "war", "stalemate")


def most_likely_exact(probabilities: Mapping[str, Fraction]) -> str:
    """The most likely outcome (ties: agreement, then war, then stalemate)."""
    return max(_PRIORITY, key=lambda o: (probabilities[o], -_PRIORITY.index(o)))


def most_likely_array(agree: Arr, stalemate: Arr, war: Arr) -> tuple[Arr, Arr]:
    """Codes into :data:`OUTCOMES` of the most likely outcome, and the points where two
    probabilities lie within 1e-12 of the largest (boundary)."""
    top = np.maximum(np.maximum(agree, stalemate), war)
    tol = TIE_TOLERANCE
    a, w, s = agree >= top - tol, war >= top - tol, stalemate >= top - tol
    code = np.where(a, _AGREE, np.where(w, _WAR, _STALEMATE))
    near = (a.astype(int) + w.astype(int) + s.astype(int)) > 1
    return code, near & (top > tol)


def _exact(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    items = _items(spec, frame)
    if "probabilities" in frame:
        return {
            "outcome": most_likely_exact(frame["probabilities"]),
            "constraints": tuple(items),
            "binding": binding_exact(items),
        }
    slacks = frame["slacks"]
    ratified = all(s >= 0 for s in frame["ratification"].values())
    ratified = ratified and frame.get("admissible") is not False
    zone = None if slacks is None else (slacks[0] > 0 < slacks[1] and ratified)
    conditions_ok = all(ok for ok, _ in frame["conditions"].values())
    return {
        "outcome": classify_exact(zone, conditions_ok, frame["no_deal"]),
        "constraints": tuple(items),
        "binding": binding_exact(items),
    }


def _array(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    tv = frame["no_deal"]
    if frame["slacks"] is not None:
        zone = frame["zone"]
    else:
        zone = tv.agreed if tv is not None else np.False_
    ok: Arr = np.True_
    for holds, _ in frame["conditions"].values():
        ok = ok & holds
    war = (tv.war_probability > 0) if tv is not None else np.False_
    items = _items(spec, frame)
    names = [name for name, *_ in items]
    slack = {name: s for name, _, _, s in items}
    holds = {name: h for name, _, h, _ in items}
    out = {"constraints": tuple(items), "binding": binding_array(names, slack, holds)}
    if "probabilities" in frame:
        out["outcome"], out["outcome_near"] = most_likely_array(*frame["probabilities"])
    else:
        out["outcome"] = classify_array(zone, ok, war)
    return out


STAGE = Stage(
    name="outcome",
    meaning="agreement, stalemate or war, and the binding constraint",
    writes=("outcome", "constraints", "binding"),
    fields=no_fields,
    exact=_exact,
    array=_array,
)
