"""The scenario pipeline: one list of stages, each with an exact and an array implementation.

A model is solved at a parameter point by running, in order (:data:`STAGES`):

1. ``commitment`` -- reneging hazard, guarantee and the credibility discount kappa;
2. ``weights`` -- issue weights, the beneficiary's discounted on reversible shares;
3. ``no_deal`` -- the no-deal game's subgame-perfect equilibrium;
4. ``disagreement`` -- no-deal values raised to the ratification floors;
5. ``bargaining`` -- the feasible set, participation slacks and the bargaining solution;
6. ``conditions`` -- the extra conditions and the ratification floors' slack;
7. ``outcome`` -- agreement, stalemate or war, and the binding constraint.

Each stage module holds both implementations side by side: exact (``fractions.Fraction``,
the reference) and on float arrays over many points (numpy), with the same semantics and the
same tie rules (a responder accepts when indifferent; a threshold condition holds at the
threshold).  The stages are pure functions of parameter values plus the game objects they
need; they know nothing of scenario files.  This package sits between ``solvers`` and
``theory``: it imports games and solvers, and ``theory``, ``scenario`` and ``sweeps`` call it.
See docs/architecture.md.
"""

from __future__ import annotations

from negotiate.pipeline._spec import IssueInput, Spec, Stage
from negotiate.pipeline.registry import STAGES, input_fields, run_array, run_exact, stage

__all__ = [
    "STAGES",
    "IssueInput",
    "Spec",
    "Stage",
    "input_fields",
    "run_array",
    "run_exact",
    "stage",
]
