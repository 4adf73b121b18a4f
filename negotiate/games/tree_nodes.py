"""The nodes of a game tree: decisions, chance moves and terminals, and their exact values.

A node is addressed by its **path**, the tuple of action and chance-outcome labels from the
root.  Payoffs and probabilities are exact numbers (``Fraction``) or sympy expressions in the
tree's parameters; :func:`evaluate` gives the exact number at given parameter values.  The tree
itself is :class:`negotiate.games.tree.GameTree`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeAlias

import sympy as sp
from sympy.printing.str import StrPrinter

from negotiate.errors import ModelError
from negotiate.expr import substitute

__all__ = [
    "Chance",
    "Decision",
    "Node",
    "Path",
    "Terminal",
    "Value",
    "evaluate",
    "expr_text",
    "labels",
]

Path: TypeAlias = tuple[str, ...]
#: An exact number, or a sympy expression in the tree's parameters.
Value: TypeAlias = Fraction | sp.Expr


@dataclass(frozen=True)
class Terminal:
    """An outcome: one payoff per player, in the order of ``GameTree.players``."""

    payoffs: tuple[Value, ...]


@dataclass(frozen=True)
class Decision:
    """``player`` chooses one of ``actions``; ``children[i]`` follows ``actions[i]``."""

    player: str
    actions: tuple[str, ...]
    children: tuple[Node, ...]
    infoset: str | None = None
    tie_break: tuple[str, ...] = ()

    def child(self, action: str) -> Node:
        return self.children[self.actions.index(action)]

    def rank(self, action: str) -> int:
        """Preference rank under ``tie_break`` (0 = most preferred; unlisted share the last)."""
        return self.tie_break.index(action) if action in self.tie_break else len(self.tie_break)


@dataclass(frozen=True)
class Chance:
    """Nature draws ``outcomes[i]`` with ``probabilities[i]``, then ``children[i]`` follows."""

    outcomes: tuple[str, ...]
    probabilities: tuple[Value, ...]
    children: tuple[Node, ...]


Node: TypeAlias = Terminal | Decision | Chance


def labels(node: Node) -> tuple[str, ...]:
    """The branch labels of a node (actions or chance outcomes; empty for terminals)."""
    if isinstance(node, Decision):
        return node.actions
    if isinstance(node, Chance):
        return node.outcomes
    return ()


class _TextPrinter(StrPrinter):
    """Print expressions in the syntax :func:`negotiate.expr.parse` reads back."""

    def _print_Min(self, expr: sp.Basic) -> str:
        return "min(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Max(self, expr: sp.Basic) -> str:
        return "max(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Abs(self, expr: sp.Basic) -> str:
        return "abs(" + self._print(expr.args[0]) + ")"


def expr_text(value: Value) -> str:
    """Text of a payoff or probability that :func:`negotiate.expr.parse` reads back exactly."""
    if isinstance(value, Fraction):
        return str(value)
    return str(_TextPrinter().doprint(value))


def evaluate(value: Value, values: Mapping[str, Fraction], field: str) -> Fraction:
    """An exact number from a payoff or probability at parameter ``values``."""
    if isinstance(value, Fraction):
        return value
    out = substitute(value, values, field=field)
    if not isinstance(out, Fraction):
        raise ModelError(field, str(value), f"is not a rational number at these values ({out})")
    return out
