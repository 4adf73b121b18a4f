"""A scenario's stages on arrays, read out as the sweep's outputs.

Input: the values of the stage inputs (:func:`negotiate.pipeline.input_fields`, field path ->
float array over the chunk's points or scalar; numpy broadcasting carries the scalars), as
the compiler (:class:`negotiate.sweeps.compile.VectorKernel`) evaluates them.  The stages of
:mod:`negotiate.pipeline` run through :func:`negotiate.pipeline.run_array`; this module only
names their outputs after :func:`negotiate.sweeps.outputs.output_specs` and masks the deal
where the outcome is not an agreement.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from negotiate.pipeline import Spec, run_array
from negotiate.pipeline.outcome import OUTCOMES
from negotiate.sweeps.outputs import output_specs

__all__ = ["pipeline"]

_AGREE = OUTCOMES.index("agreement")
PointFn = Callable[[int], Any]


def pipeline(
    s: Any,
    spec: Spec,
    inputs: Mapping[str, Any],
    n: int,
    point: PointFn,
    fixed_no_deal: Any = None,
) -> dict[str, Any]:
    """Every output of :func:`~negotiate.sweeps.outputs.output_specs` of scenario ``s`` at
    ``n`` points."""
    frame = run_array(spec, inputs, point, fixed_no_deal=fixed_no_deal)
    players = spec.players
    out: dict[str, Any] = {}
    boundary: Any = np.False_
    tv = frame["no_deal"]
    if tv is not None:
        boundary = boundary | tv.boundary
        out["war_probability"] = tv.war_probability
        for i, p in enumerate(players):
            out[f"no_deal:{p}"] = tv.values[i]
    if frame["kappa"] is not None:
        out["kappa"] = frame["kappa"]
    for p, d in zip(players, frame["disagreement"], strict=True):
        out[f"disagreement:{p}"] = d
    boundary = boundary | frame["near"]
    for flag in ("options_near", "screening_near", "outcome_near"):
        if frame.get(flag) is not None:
            boundary = boundary | frame[flag]
    code = frame["outcome"]
    out["outcome"] = code
    if frame["slacks"] is not None:
        boundary = boundary | frame["zone_near"]
        deal = code == _AGREE
        u1, u2, shares = frame.get("offer_deal") or frame["deal"]
        out[f"utility:{players[0]}"] = np.where(deal, u1, np.nan)
        out[f"utility:{players[1]}"] = np.where(deal, u2, np.nan)
        for issue, share in zip(spec.issues, shares or (), strict=False):
            out[f"deal:{issue.name}"] = np.where(deal, share, np.nan)
        if spec.discrete:
            _discrete_columns(spec, frame, deal, out)
    probabilities = frame.get("probabilities")
    if probabilities is not None:
        for name, value in zip(OUTCOMES, _by_outcome(probabilities), strict=True):
            out[f"probability:{name}"] = value
    out["binding"] = frame["binding"]
    for name, _, _, slack in frame["constraints"]:
        out[f"slack:{name}"] = slack
    out["boundary"] = boundary
    return {o.name: _column(out[o.name], n, o.kind) for o in output_specs(s)}


def _by_outcome(probabilities: Any) -> tuple[Any, Any, Any]:
    """The screening stage's ``(agreement, stalemate, war)`` in the order of OUTCOMES."""
    named = dict(zip(("agreement", "stalemate", "war"), probabilities, strict=True))
    return (named[OUTCOMES[0]], named[OUTCOMES[1]], named[OUTCOMES[2]])


def _discrete_columns(spec: Spec, frame: Mapping[str, Any], deal: Any, out: dict[str, Any]) -> None:
    """Each discrete issue's chosen option (its index) from the chosen combination."""
    idx = frame.get("offer_option")
    idx = frame["option"] if idx is None else idx
    for d in spec.discrete:
        code = np.full(np.shape(idx), np.nan)
        for k, c in enumerate(frame["options"]):
            code = np.where(idx == k, float(d.options.index(c.labels[d.name])), code)
        out[f"deal:{d.name}"] = np.where(deal, code, np.nan)


def _column(value: Any, n: int, kind: str) -> np.ndarray:
    dtype = {"label": np.int16, "bool": bool, "float": float}[kind]
    arr = np.asarray(value, dtype=dtype)
    if arr.shape == (n,):
        return arr
    return np.array(np.broadcast_to(arr, (n,)), dtype=dtype)
