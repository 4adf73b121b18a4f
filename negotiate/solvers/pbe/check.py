"""Evaluating and certifying symbolic PBE results at parameter points.

A symbolic result is checked as docs/conventions.md asks of symbolic results: by exact substitution
at sample points.  At each point, the equilibria whose condition holds are evaluated to exact
numeric assessments and checked (regrets, Bayes' rule), and their set must equal the set the
exact enumeration finds on the bound game, less those with mixed off-path responses (which
the symbolic method does not derive; they are counted as ``exact_only``).  On-path beliefs
are also checked against Bayes' rule identically in the parameters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import sympy as sp

from negotiate._exact import as_fraction
from negotiate.errors import ModelError
from negotiate.expr import substitute
from negotiate.results import Certificate
from negotiate.solvers.pbe.beliefs import OffPathBeliefs
from negotiate.solvers.pbe.conditions import exact, holds, sample_points
from negotiate.solvers.pbe.exact import assemble, residuals, solve_exact

if TYPE_CHECKING:
    from negotiate.games.signaling import SignalingGame
    from negotiate.solvers.pbe.equilibrium import PerfectBayesianEquilibrium
    from negotiate.solvers.pbe.result import PBEResult

__all__ = ["evaluate_at", "symbolic_class", "verify_symbolic"]


def symbolic_class(eq: PerfectBayesianEquilibrium) -> bool:
    """Whether an equilibrium is in the classes the symbolic method derives conditions for:
    the exact method's classes less mixed off-path responses."""
    return all(len(b.actions) == 1 for b in eq.beliefs.values() if isinstance(b, OffPathBeliefs))


def _point(game: SignalingGame, values: Mapping[str, Any]) -> dict[str, Fraction]:
    point = {}
    for name in game.free_parameters:
        default = game.parameter(name).value
        if name in values:
            point[name] = as_fraction(values[name], f"values.{name}")
        elif default is not None:
            point[name] = default
    return point


def _numeric(
    choice: Mapping[str, Any], labels: Sequence[str], point: Mapping[str, Fraction]
) -> dict[int, Fraction]:
    out = {}
    for label, prob in choice.items():
        value = substitute(exact(prob), point, field=f"probability of {label}")
        if not isinstance(value, Fraction):
            raise ModelError("values", dict(point), f"probability of {label} is {value}")
        if value != 0:
            out[labels.index(label)] = value
    return out


def evaluate_at(
    result: PBEResult, values: Mapping[str, Any]
) -> tuple[PerfectBayesianEquilibrium, ...]:
    """The equilibria at ``values``: those whose condition holds, as exact numeric records."""
    game = result.game
    bound = game.bind(values)
    if not result.symbolic:
        return result.equilibria
    point = _point(game, values)
    found: dict[Any, PerfectBayesianEquilibrium] = {}
    for eq in result.equilibria:
        if eq.condition is None or not holds(eq.condition, point):
            continue
        sender = [_numeric(eq.sender_mixture(t), game.messages, point) for t in game.types]
        receiver = [_numeric(eq.receiver_mixture(m), game.actions, point) for m in game.messages]
        numeric = assemble(bound, sender, receiver)
        found.setdefault(numeric.key(), numeric)
    return tuple(found.values())


def verify_symbolic(result: PBEResult) -> Certificate:
    """Certificate of a symbolic result (see the module docstring)."""
    game = result.game
    checked = mismatches = exact_only = 0
    regret = bayes = Fraction(0)
    notes = []
    for point in sample_points(game):
        try:
            bound = game.bind(point)
        except ModelError:
            continue
        if 0 in bound.priors:
            continue  # outside the full-support assumption of the conditions
        checked += 1
        expected, _ = solve_exact(bound, int(result.options["max_cost"]))
        exact_only += sum(1 for e in expected if not symbolic_class(e))
        expected = [e for e in expected if symbolic_class(e)]
        got = evaluate_at(result, point)
        if {e.key() for e in expected} != {e.key() for e in got}:
            mismatches += 1
            notes.append(f"at {point}: {len(got)} by the conditions, {len(expected)} exactly")
        for eq in got:
            res = residuals(bound, eq)
            regret = max(regret, res["sender_regret"], res["receiver_regret"])
            bayes = max(bayes, res["bayes_error"])
    symbolic_bayes = 0
    for eq in result.equilibria:
        for m, belief in eq.beliefs.items():
            if isinstance(belief, OffPathBeliefs):
                continue
            w = [
                exact(game.priors[i]) * exact(eq.sender_mixture(t).get(m, 0))
                for i, t in enumerate(game.types)
            ]
            for i, t in enumerate(game.types):
                if sp.simplify(exact(belief[t]) - w[i] / sum(w)) != 0:
                    symbolic_bayes += 1
                    notes.append(f"belief in {t} at {m} differs from Bayes' rule")
    return Certificate(
        ok=checked > 0 and mismatches == 0 and regret == 0 and bayes == 0 and not symbolic_bayes,
        quantities={
            "points": checked,
            "mismatches": mismatches,
            "max_regret": regret,
            "bayes_error": bayes,
            "symbolic_bayes_errors": symbolic_bayes,
            "exact_only": exact_only,
        },
        exact=True,
        checks=(
            "on-path beliefs equal Bayes' rule identically in the parameters",
            "at sample points: equilibria where their condition holds are exact PBE",
            "at sample points: they are exactly the equilibria the exact method finds "
            "with pure off-path responses",
        ),
        notes=tuple(notes[:20]),
    )
