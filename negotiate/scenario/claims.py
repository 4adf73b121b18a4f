"""``[conditions]`` and ``[claims]`` of a scenario file: extra conditions a deal needs, and the
claims of a source text checked against the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from negotiate.errors import ModelError
from negotiate.expr import parse_condition
from negotiate.labels import canonical
from negotiate.scenario.schema import (
    check_keys,
    expect_list_of_str,
    expect_str,
    expect_table,
)

__all__ = ["Claim", "Condition", "_claims", "_conditions"]


@dataclass(frozen=True)
class Condition:
    """A named condition that a deal needs, with its meaning."""

    name: str
    holds: sp.Basic
    meaning: str


@dataclass(frozen=True)
class Claim:
    """A claim of the source text, checked against the model.

    Exactly one of: ``holds`` (a condition on parameters), or ``path`` with ``chosen`` /
    ``not_chosen`` (an action that is, or is not, played at the node at ``path`` in the
    no-deal game's subgame-perfect equilibrium: a credible or incredible threat).
    """

    name: str
    text: str
    source: str
    holds: sp.Basic | None = None
    path: tuple[str, ...] = ()
    action: str = ""
    expect_chosen: bool = True


def _conditions(raw: Any, names: tuple[str, ...]) -> tuple[Condition, ...]:
    table = expect_table(raw, "conditions")
    out = []
    for cname, spec in table.items():
        f = f"conditions.{cname}"
        spec = expect_table(spec, f)
        check_keys(spec, f, {"holds", "meaning"}, required=("holds",))
        text = expect_str(spec["holds"], f"{f}.holds", max_len=2000)
        out.append(
            Condition(
                cname,
                parse_condition(text, names, field=f"{f}.holds"),
                expect_str(spec.get("meaning", ""), f"{f}.meaning"),
            )
        )
    return tuple(out)


def _claims(raw: Any, names: tuple[str, ...], deterrence: Any) -> tuple[Claim, ...]:
    table = expect_table(raw, "claims")
    out = []
    for cname, spec in table.items():
        f = f"claims.{cname}"
        spec = expect_table(spec, f)
        check_keys(spec, f, {"text", "source", "holds", "chosen", "not_chosen"}, required=("text",))
        kinds = [k for k in ("holds", "chosen", "not_chosen") if k in spec]
        if len(kinds) != 1:
            raise ModelError(f, None, "give exactly one of holds, chosen, not_chosen")
        text = expect_str(spec["text"], f"{f}.text")
        source = expect_str(spec.get("source", ""), f"{f}.source")
        if kinds[0] == "holds":
            cond = parse_condition(
                expect_str(spec["holds"], f"{f}.holds", max_len=2000), names, field=f"{f}.holds"
            )
            out.append(Claim(cname, text, source, holds=cond))
            continue
        g = f"{f}.{kinds[0]}"
        node = expect_table(spec[kinds[0]], g)
        check_keys(node, g, {"path", "action"}, required=("path", "action"))
        path = tuple(
            canonical(a) for a in expect_list_of_str(node["path"], f"{g}.path", unique=False)
        )
        action = canonical(expect_str(node["action"], f"{g}.action"))
        if deterrence is None:
            raise ModelError(g, None, "needs a [deterrence] tree")
        tree = deterrence["tree"]
        try:
            target = tree.node(path)
        except (KeyError, ModelError):
            raise ModelError(f"{g}.path", list(path), "no such node in the tree") from None
        if action not in getattr(target, "actions", ()):
            raise ModelError(f"{g}.action", action, "not an action at that decision node")
        out.append(
            Claim(cname, text, source, path=path, action=action, expect_chosen=kinds[0] == "chosen")
        )
    return tuple(out)
