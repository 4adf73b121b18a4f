"""Stage 4, the disagreement point: what each side gets without a deal.

Each side's no-deal value is its subgame-perfect value in the no-deal game (stage 3) or, when
the model states it (``bargaining.disagreement.PLAYER``), that value: the disagreement point
is ``d_i = no-deal value_i``.  A side whose government must ratify the deal cannot sign
less than its ratification floor (Putnam 1988): the floor is a *constraint on the deal*,
``U_i >= floor_i``, not a change of the disagreement point.  The least utility side ``i``
can accept in a deal is therefore ``bound_i = max(d_i, floor_i)``; the bargaining stage
solves on the win-set ``{U in F : U >= bound}`` with the disagreement point ``d``, so a
floor that does not bind leaves the deal unchanged (as in ``theory.TwoLevel``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from negotiate.pipeline._arrays import Arr
from negotiate.pipeline._spec import Spec, Stage

__all__ = ["STAGE", "point_array", "point_exact"]


def point_exact(no_deal: Sequence[Any], floors: Sequence[Any]) -> tuple[Any, ...]:
    """``bound_i = max(no_deal_i, floor_i)`` (exact): the least utility a side accepts."""
    return tuple(max(v, f) for v, f in zip(no_deal, floors, strict=True))


def point_array(no_deal: Sequence[Arr], floors: Sequence[Arr]) -> tuple[Arr, ...]:
    """``bound_i = max(no_deal_i, floor_i)`` on arrays."""
    return tuple(np.maximum(v, f) for v, f in zip(no_deal, floors, strict=True))


def _fields(spec: Spec) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    if spec.disagreement is not None:
        out += [
            (f"bargaining.disagreement.{p}", e)
            for p, e in zip(spec.players, spec.disagreement, strict=True)
        ]
    out += [(f"domestic.floor.{p}", spec.floors[p]) for p in spec.players if p in spec.floors]
    return out


def _inputs(spec: Spec, frame: Mapping[str, Any]) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    inp = frame["in"]
    if spec.disagreement is not None:
        nd = tuple(inp[f"bargaining.disagreement.{p}"] for p in spec.players)
    else:
        no_deal = frame["no_deal"]
        assert no_deal is not None
        values = no_deal.values
        if isinstance(values, Mapping):
            nd = tuple(values[p] for p in spec.players)
        else:  # the array kernel's values, in the tree's order of players
            order = spec.tree.players if spec.tree is not None else spec.players
            nd = tuple(values[order.index(p)] for p in spec.players)
    floors = tuple(
        inp[f"domestic.floor.{p}"] if p in spec.floors else nd[i]
        for i, p in enumerate(spec.players)
    )
    return (nd[0], nd[1]), (floors[0], floors[1])


def _exact(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    nd, floors = _inputs(spec, frame)
    return {
        "no_deal_point": nd,
        "floors": floors,
        "disagreement": nd,
        "bounds": point_exact(nd, floors),
    }


def _array(spec: Spec, frame: Mapping[str, Any]) -> dict[str, Any]:
    nd, floors = _inputs(spec, frame)
    return {
        "no_deal_point": nd,
        "floors": floors,
        "disagreement": nd,
        "bounds": point_array(nd, floors),
    }


STAGE = Stage(
    name="disagreement",
    meaning="the disagreement point (no-deal values) and the least utility each side accepts",
    writes=("no_deal_point", "floors", "disagreement", "bounds"),
    fields=_fields,
    exact=_exact,
    array=_array,
)
