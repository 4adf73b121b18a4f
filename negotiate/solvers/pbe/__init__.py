"""Perfect Bayesian equilibria of signalling games: exact classes, off-path beliefs, symbolic
regions."""

from negotiate.solvers.pbe.result import PBEResult, PerfectBayesianEquilibrium
from negotiate.solvers.pbe.solve import PBE_METHODS, perfect_bayesian

__all__ = ["PBE_METHODS", "PBEResult", "PerfectBayesianEquilibrium", "perfect_bayesian"]
