"""Linear programming: zero-sum values, correlated equilibria, and the exact LP behind both."""

from negotiate.solvers.lp.correlated import (
    CorrelatedEquilibrium,
    correlated_equilibrium,
    correlated_polytope,
)
from negotiate.solvers.lp.zero_sum import ZeroSumSolution, zero_sum_value

__all__ = [
    "CorrelatedEquilibrium",
    "ZeroSumSolution",
    "correlated_equilibrium",
    "correlated_polytope",
    "zero_sum_value",
]
