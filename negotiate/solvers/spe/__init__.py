"""Subgame-perfect equilibria of game trees: exact backward induction, symbolic parameter
regions, and the credibility of threats."""

from negotiate.solvers.spe.credibility import CredibilityResult, Threat, non_credible_equilibria
from negotiate.solvers.spe.solve import SPEProfile, SPEResult, subgame_perfect
from negotiate.solvers.spe.symbolic import SymbolicSPEResult

__all__ = [
    "CredibilityResult",
    "SPEProfile",
    "SPEResult",
    "SymbolicSPEResult",
    "Threat",
    "non_credible_equilibria",
    "subgame_perfect",
]
