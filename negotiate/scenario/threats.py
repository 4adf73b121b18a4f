"""Threats of the no-deal game: each action's value against the action played.

At every decision node reached by the subgame-perfect strategy with at most one deviation
from it, the mover's continuation value of each action (the equilibrium is kept below the
node) and its margin against the action played.  An action is a credible threat there when
it is the one played (Selten 1965).  The same margin is given symbolically, as a condition on
the parameters that holds while the responses below stay as in the equilibrium.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from negotiate._exact import to_sympy
from negotiate.errors import ModelError
from negotiate.expr import substitute

__all__ = ["ThreatCheck", "evaluate_at", "threat_checks"]


@dataclass(frozen=True)
class ThreatCheck:
    """An action at a decision node of the no-deal game, against the action played there.

    ``value`` is the mover's expected payoff from the action with the equilibrium played
    below; ``margin = value - chosen_value`` (0 for the action played).  ``condition`` is
    ``margin`` as a parameter expression (valid while the play below is unchanged).
    """

    node: tuple[str, ...]
    player: str
    action: str
    chosen: str
    value: Fraction
    chosen_value: Fraction
    condition: sp.Expr
    deviations: int

    @property
    def credible(self) -> bool:
        return self.action == self.chosen

    @property
    def margin(self) -> Fraction:
        return self.value - self.chosen_value


def evaluate_at(expr: sp.Expr, values: Mapping[str, Fraction], field: str) -> Fraction:
    """The exact value of a parameter expression at ``values`` (``field`` names errors)."""
    out = substitute(expr, values, field=field)
    if not isinstance(out, Fraction):
        raise ModelError(field, str(expr), f"does not evaluate to a rational number ({out})")
    return out


def threat_checks(result: Any) -> tuple[ThreatCheck, ...]:
    from negotiate.games.tree import Chance, Decision, Terminal

    scenario, st = result.scenario, result.state
    if scenario.deterrence is None or st.no_deal is None:
        return ()
    family = scenario.deterrence["tree"]
    strategy = st.no_deal.strategy
    players = family.players
    memo: dict[tuple[str, ...], tuple[sp.Expr, ...]] = {}

    def value(path: tuple[str, ...]) -> tuple[sp.Expr, ...]:
        if path in memo:
            return memo[path]
        node = family.node(path)
        if isinstance(node, Terminal):
            out = tuple(to_sympy(v) for v in node.payoffs)
        elif isinstance(node, Chance):
            parts = [
                tuple(to_sympy(q) * v for v in value((*path, lab)))
                for lab, q in zip(node.outcomes, node.probabilities, strict=True)
            ]
            out = tuple(sp.Add(*col) for col in zip(*parts, strict=True))
        else:
            out = value((*path, strategy[path]))
        memo[path] = out
        return out

    checks: list[ThreatCheck] = []
    stack: list[tuple[tuple[str, ...], int]] = [((), 0)]
    while stack:
        path, devs = stack.pop(0)
        node = family.node(path)
        if isinstance(node, Chance):
            stack += [((*path, lab), devs) for lab in node.outcomes]
        if not isinstance(node, Decision):
            continue
        i = players.index(node.player)
        played = strategy[path]
        v_played = value((*path, played))[i]
        at = evaluate_at(v_played, st.values, f"deterrence value at {'/'.join(path)}")
        for action in node.actions:
            v = value((*path, action))[i]
            diff = sp.expand(v - v_played)
            num = evaluate_at(v, st.values, f"deterrence value at {'/'.join((*path, action))}")
            checks.append(ThreatCheck(path, node.player, action, played, num, at, diff, devs))
            extra = 0 if action == played else 1
            if devs + extra <= 1:
                stack.append(((*path, action), devs + extra))
    return tuple(checks)
