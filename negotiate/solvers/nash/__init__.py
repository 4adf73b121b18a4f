"""Nash equilibria: all extreme equilibria of bimatrix games (exact), Lemke-Howson, pure
equilibria of n-player games, and the reduced normal form of game trees."""

from negotiate.solvers.nash.equilibria import Component, Equilibrium, EquilibriumSet, NashSubset
from negotiate.solvers.nash.reduced_normal import reduced_normal_form
from negotiate.solvers.nash.solve import NASH_METHODS, nash_equilibria

__all__ = [
    "NASH_METHODS",
    "Component",
    "Equilibrium",
    "EquilibriumSet",
    "NashSubset",
    "nash_equilibria",
    "reduced_normal_form",
]
