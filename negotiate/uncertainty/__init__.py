"""How sure is the answer: priors, Monte Carlo, Sobol' sensitivity and calibration.

``negotiate.uncertainty(scenario, draws, seed)`` gives an
:class:`~negotiate.uncertainty.result.UncertaintyResult`; ``negotiate.calibrate(scenario,
draws, seed)`` a :class:`~negotiate.uncertainty.calibrate.CalibrationResult`.  Priors and
episodes are declared in the scenario file (:mod:`negotiate.scenario.priors`).
"""

from negotiate.uncertainty.analysis import uncertainty
from negotiate.uncertainty.calibrate import CalibrationResult, calibrate
from negotiate.uncertainty.result import UncertaintyResult

__all__ = ["CalibrationResult", "UncertaintyResult", "calibrate", "uncertainty"]
