"""Extensive-form game trees with labelled actions and exact or symbolic payoffs.

A tree has decision nodes (a player picks an action), chance nodes (nature draws an outcome
with given probabilities) and terminal nodes (a payoff for every player).  Payoffs and
probabilities are exact numbers (``Fraction``) or sympy expressions in declared parameters
(:class:`negotiate.expr.Parameter`); a tree with parameters is a *family* of games and
:meth:`GameTree.bind` gives one member.

A node is addressed by its **path**: the tuple of action and chance-outcome labels from the
root, e.g. ``("enrich", "strike", "hit")``.  Decision nodes may carry an information set name
(members share player and actions) and a ``tie_break`` order of preferred actions.

Build trees only with :meth:`GameTree.from_dict` (the scenario-file shape) or
:func:`negotiate.interop.gambit_efg.read_efg`.  Trees are immutable.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import sympy as sp

from negotiate.errors import ModelError
from negotiate.expr import Parameter
from negotiate.games.tree_nodes import (
    Chance,
    Decision,
    Node,
    Path,
    Terminal,
    Value,
    evaluate,
    expr_text,
    labels,
)
from negotiate.games.tree_validate import bind_tree, build_tree
from negotiate.labels import canonical

__all__ = [
    "Chance",
    "Decision",
    "GameTree",
    "Node",
    "Path",
    "Terminal",
    "Value",
    "evaluate",
    "expr_text",
    "labels",
]


@dataclass(frozen=True, eq=False)
class GameTree:
    """An immutable extensive-form game (see the module docstring).

    Attributes: ``players`` (labels), ``parameters`` (declared :class:`Parameter` by name),
    ``root``, ``float_input`` (binary floats were read), ``bound`` (the parameter values a
    :meth:`bind` fixed, empty for an unbound tree), ``title``.
    """

    players: tuple[str, ...]
    parameters: Mapping[str, Parameter]
    root: Node
    float_input: bool = False
    bound: Mapping[str, Fraction] = field(default_factory=dict)
    title: str = ""
    _index: Mapping[Path, Node] = field(default_factory=dict, repr=False)
    _infosets: Mapping[str, tuple[Path, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))
        object.__setattr__(self, "bound", MappingProxyType(dict(self.bound)))
        index: dict[Path, Node] = {}
        infosets: dict[str, list[Path]] = {}
        stack: list[tuple[Path, Node]] = [((), self.root)]
        while stack:
            path, node = stack.pop()
            index[path] = node
            if isinstance(node, Decision) and node.infoset is not None:
                infosets.setdefault(node.infoset, []).append(path)
            if not isinstance(node, Terminal):
                stack.extend(
                    ((*path, lab), ch)
                    for lab, ch in reversed(list(zip(labels(node), node.children, strict=True)))
                )
        # the stack visits children in declared order: ``index`` is in depth-first pre-order
        object.__setattr__(self, "_index", MappingProxyType(index))
        object.__setattr__(
            self, "_infosets", MappingProxyType({k: tuple(v) for k, v in infosets.items()})
        )

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> GameTree:
        """Build and validate a tree from its dict form (the scenario-file shape)::

            {"players": ["Iran", "US"],
             "parameters": {"e": {"domain": [0, 1]}},
             "root": {"player": "Iran", "actions": {
                 "freeze": {"payoffs": {"Iran": "0", "US": "1"}},
                 "enrich": {"chance": {
                     "hit": {"probability": "e", "then": {"payoffs": {...}}},
                     "miss": {"probability": "1 - e", "then": {"payoffs": {...}}}}}}}}

        Decision nodes take optional ``"infoset"`` and ``"tie_break"`` keys.
        """
        return build_tree(cls, d)

    # -- navigation -------------------------------------------------------------------------
    def node(self, path: Path | list[str]) -> Node:
        """The node at ``path`` (a tuple of labels from the root)."""
        key = tuple(canonical(a) for a in path)
        if key not in self._index:
            raise ModelError("path", key, "no node at this path in the tree")
        return self._index[key]

    def paths(self) -> Iterator[Path]:
        """Every node's path, in depth-first pre-order (parents before children)."""
        return iter(self._index)

    def decision_paths(self) -> tuple[Path, ...]:
        return tuple(p for p, n in self._index.items() if isinstance(n, Decision))

    def terminal_paths(self) -> tuple[Path, ...]:
        return tuple(p for p, n in self._index.items() if isinstance(n, Terminal))

    @property
    def n_nodes(self) -> int:
        return len(self._index)

    @property
    def depth(self) -> int:
        return max(len(p) for p in self._index)

    def player_index(self, player: str | int) -> int:
        if isinstance(player, int) and not isinstance(player, bool):
            if 0 <= player < len(self.players):
                return player
        elif canonical(player) in self.players:
            return self.players.index(canonical(player))
        raise ModelError("player", player, f"unknown player; players: {list(self.players)}")

    def payoff(self, player: str | int, path: Path | list[str]) -> Value:
        node = self.node(path)
        if not isinstance(node, Terminal):
            raise ModelError("path", tuple(path), "is not a terminal node")
        return node.payoffs[self.player_index(player)]

    # -- information sets -----------------------------------------------------------------
    @property
    def infosets(self) -> Mapping[str, tuple[Path, ...]]:
        """Named information sets and their member paths (unnamed nodes are singletons)."""
        return self._infosets

    def infoset_members(self, path: Path) -> tuple[Path, ...]:
        """The paths in the information set of the decision node at ``path``."""
        node = self.node(path)
        if not isinstance(node, Decision):
            raise ModelError("path", path, "is not a decision node")
        return self._infosets[node.infoset] if node.infoset is not None else (tuple(path),)

    @property
    def has_imperfect_information(self) -> bool:
        return any(len(members) > 1 for members in self._infosets.values())

    def is_subgame_root(self, path: Path) -> bool:
        """True if the subtree at ``path`` cuts no information set (a proper subgame root)."""
        key = tuple(path)
        for members in self._infosets.values():
            inside = [m[: len(key)] == key for m in members]
            if any(inside) and not all(inside):
                return False
        return isinstance(self.node(key), Decision | Chance)

    # -- parameters -------------------------------------------------------------------------
    def values(self) -> Iterator[Value]:
        """Every payoff and probability in the tree."""
        for node in self._index.values():
            if isinstance(node, Terminal):
                yield from node.payoffs
            elif isinstance(node, Chance):
                yield from node.probabilities

    @property
    def free_symbols(self) -> frozenset[sp.Symbol]:
        out: set[sp.Symbol] = set()
        for v in self.values():
            if isinstance(v, sp.Basic):
                out |= v.free_symbols
        return frozenset(out)

    @property
    def is_symbolic(self) -> bool:
        """True if some payoff or probability depends on a parameter."""
        return bool(self.free_symbols)

    def bind(self, values: Mapping[str | sp.Symbol, Any] | None = None) -> GameTree:
        """The numeric member of the family at ``values`` (declared ``value`` fills gaps).

        Values are exact; each must lie in its parameter's domain.  A parameter left without a
        value is named in the error.  Probabilities are re-checked exactly.
        """
        return bind_tree(self, values or {})

    # -- export -----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The dict form read by :meth:`from_dict` (expressions as parseable strings)."""
        params: dict[str, Any] = {}
        for name, p in self.parameters.items():
            entry: dict[str, Any] = {}
            if p.domain is not None:
                entry["domain"] = [str(p.domain[0]), str(p.domain[1])]
            if p.value is not None:
                entry["value"] = str(p.value)
            if p.meaning:
                entry["meaning"] = p.meaning
            if p.source:
                entry["source"] = p.source
            params[name] = entry
        out: dict[str, Any] = {"players": list(self.players), "parameters": params}
        out["root"] = self._node_dict(self.root)
        if self.title:
            out["title"] = self.title
        return out

    def _node_dict(self, node: Node) -> dict[str, Any]:
        if isinstance(node, Terminal):
            pay = zip(self.players, node.payoffs, strict=True)
            return {"payoffs": {p: expr_text(v) for p, v in pay}}
        if isinstance(node, Chance):
            return {
                "chance": {
                    lab: {"probability": expr_text(p), "then": self._node_dict(ch)}
                    for lab, p, ch in zip(
                        node.outcomes, node.probabilities, node.children, strict=True
                    )
                }
            }
        d: dict[str, Any] = {
            "player": node.player,
            "actions": {
                a: self._node_dict(ch) for a, ch in zip(node.actions, node.children, strict=True)
            },
        }
        if node.infoset is not None:
            d["infoset"] = node.infoset
        if node.tie_break:
            d["tie_break"] = list(node.tie_break)
        return d

    def __repr__(self) -> str:
        kind = "symbolic" if self.is_symbolic else "numeric"
        return (
            f"GameTree({kind}, players={list(self.players)}, nodes={self.n_nodes}, "
            f"parameters={list(self.parameters)})"
        )
