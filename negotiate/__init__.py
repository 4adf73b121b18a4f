"""negotiate: a game-theoretic negotiation solver.

The curated public API; everything else lives in the subpackages
(``negotiate.games``, ``negotiate.solvers``, ``negotiate.theory``, ``negotiate.scenario``,
``negotiate.interop``, ``negotiate.figures``).
"""

from negotiate import theory
from negotiate._version import __version__
from negotiate.errors import (
    DegenerateWarning,
    FloatInputWarning,
    InconsistentEpisodesError,
    ModelError,
    NegotiateError,
    NegotiateWarning,
    NotApplicableError,
    SolverError,
    TooLargeError,
)
from negotiate.expr import Parameter
from negotiate.games.bargaining import BargainingProblem
from negotiate.games.issues import IssueSpace
from negotiate.games.normal import NormalFormGame
from negotiate.games.signaling import SignalingGame
from negotiate.games.tree import GameTree
from negotiate.reports import Report, report
from negotiate.results import Certificate, Summary
from negotiate.scenario import Scenario, ScenarioResult, load_scenario
from negotiate.solvers.bargaining.batch import nash_bargaining_batch
from negotiate.solvers.bargaining.linkage import linkage_value
from negotiate.solvers.bargaining.solutions import (
    BargainingSolution,
    egalitarian,
    kalai_smorodinsky,
    nash_bargaining,
    utilitarian,
)
from negotiate.solvers.lp.correlated import (
    CorrelatedEquilibrium,
    correlated_equilibrium,
    correlated_polytope,
)
from negotiate.solvers.lp.zero_sum import ZeroSumSolution, zero_sum_value
from negotiate.solvers.nash.behavior import BehaviorEquilibrium, BehaviorEquilibriumSet
from negotiate.solvers.nash.equilibria import Equilibrium, EquilibriumSet
from negotiate.solvers.nash.reduced_normal import reduced_normal_form
from negotiate.solvers.nash.solve import nash_equilibria
from negotiate.solvers.pbe.result import PBEResult, PerfectBayesianEquilibrium
from negotiate.solvers.pbe.solve import perfect_bayesian
from negotiate.solvers.qre.logit import LogitQRE, LogitQREPath, logit_qre, logit_qre_path
from negotiate.solvers.spe.credibility import CredibilityResult, Threat, non_credible_equilibria
from negotiate.solvers.spe.solve import SPEResult, subgame_perfect
from negotiate.solvers.spe.symbolic import SymbolicSPEResult
from negotiate.sweeps import SweepResult, read_sweep, sweep
from negotiate.sweeps.result import set_plotter as _set_plotter
from negotiate.uncertainty import CalibrationResult, UncertaintyResult, calibrate, uncertainty


def _regime_map(data: object, x: str, y: str, **options: object) -> object:
    """``SweepResult.plot`` draws with the figures layer, loaded only when asked."""
    from negotiate.figures.sweeps import regime_map

    return regime_map(data, x, y, **options)  # type: ignore[arg-type]


_set_plotter(_regime_map)

__all__ = [
    "BargainingProblem",
    "BargainingSolution",
    "BehaviorEquilibrium",
    "BehaviorEquilibriumSet",
    "CalibrationResult",
    "Certificate",
    "CorrelatedEquilibrium",
    "CredibilityResult",
    "DegenerateWarning",
    "Equilibrium",
    "EquilibriumSet",
    "FloatInputWarning",
    "GameTree",
    "InconsistentEpisodesError",
    "IssueSpace",
    "LogitQRE",
    "LogitQREPath",
    "ModelError",
    "NegotiateError",
    "NegotiateWarning",
    "NormalFormGame",
    "NotApplicableError",
    "PBEResult",
    "Parameter",
    "PerfectBayesianEquilibrium",
    "Report",
    "SPEResult",
    "Scenario",
    "ScenarioResult",
    "SignalingGame",
    "SolverError",
    "Summary",
    "SweepResult",
    "SymbolicSPEResult",
    "Threat",
    "TooLargeError",
    "UncertaintyResult",
    "ZeroSumSolution",
    "__version__",
    "calibrate",
    "correlated_equilibrium",
    "correlated_polytope",
    "egalitarian",
    "kalai_smorodinsky",
    "linkage_value",
    "load_scenario",
    "logit_qre",
    "logit_qre_path",
    "nash_bargaining",
    "nash_bargaining_batch",
    "nash_equilibria",
    "non_credible_equilibria",
    "perfect_bayesian",
    "read_sweep",
    "reduced_normal_form",
    "report",
    "subgame_perfect",
    "sweep",
    "theory",
    "uncertainty",
    "utilitarian",
    "zero_sum_value",
]
