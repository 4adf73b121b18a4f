"""Global sensitivity: Sobol' indices (and Morris screening) of the outcome over the priors.

For an output ``Y = f(X_1, ..., X_d)`` with independent inputs, the first-order index of
``X_i`` is ``S_i = Var(E[Y | X_i]) / Var(Y)`` (the share of the variance that ``X_i`` explains
alone) and the total index is ``S_Ti = E[Var(Y | X_~i)] / Var(Y)`` (its share including every
interaction) (Sobol' 2001; Saltelli et al. 2010).  The outputs are the outcome indicators
(agreement, stalemate, war as 0/1) and the smaller participation slack.

Sampling and estimation are SALib's (Herman and Usher 2017): ``SALib.sample.sobol`` draws the
Saltelli design of ``N (d + 2)`` points from a scrambled Sobol' sequence on the unit cube,
mapped to the priors by their inverse distribution functions; ``SALib.analyze.sobol`` gives the
Jansen/Saltelli estimators and bootstrap 95% confidence intervals.  With more than
:data:`MORRIS_ABOVE` uncertain parameters, Morris elementary effects (``mu*``, ``sigma``;
Morris 1991, Campolongo et al. 2007) screen them as well.  All of it is seeded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from negotiate.scenario.result import OUTCOMES
from negotiate.uncertainty.evaluate import Evaluated, Evaluator
from negotiate.uncertainty.priors import to_values

__all__ = ["MORRIS_ABOVE", "SLACK", "morris_screening", "sobol_indices"]

MORRIS_ABOVE = 30
#: The name of the slack output among the Sobol' outputs.
SLACK = "participation_slack"
_TRAJECTORIES = 50
_LEVELS = 4


def _problem(names: Sequence[str]) -> dict[str, Any]:
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def _outputs(ev: Evaluated) -> dict[str, np.ndarray]:
    out = {o: ev.indicator(o) for o in OUTCOMES}
    if ev.slack is not None and np.all(np.isfinite(ev.slack)):
        out[SLACK] = ev.slack
    return out


def sobol_indices(
    scenario: Any, evaluator: Evaluator, names: Sequence[str], base: int, seed: int
) -> tuple[dict[str, dict[str, dict[str, float]]], int, list[str]]:
    """Sobol' indices of every output for every name: ``{output: {name: {first, first_conf,
    total, total_conf}}}``, the number of model evaluations, and notes."""
    import warnings

    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    problem = _problem(names)
    u = sample.sample(problem, base, calc_second_order=False, scramble=True, seed=seed)
    ev = evaluator.run(to_values(scenario, names, u))
    result: dict[str, dict[str, dict[str, float]]] = {}
    notes = []
    for output, y in _outputs(ev).items():
        if float(np.var(y)) == 0.0:
            notes.append(f"{output} is constant over the Sobol' design: no indices")
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            s = analyze.analyze(problem, y, calc_second_order=False, conf_level=0.95, seed=seed)
        result[output] = {
            name: {
                "first": float(s["S1"][i]),
                "first_conf": float(s["S1_conf"][i]),
                "total": float(s["ST"][i]),
                "total_conf": float(s["ST_conf"][i]),
            }
            for i, name in enumerate(names)
        }
    return result, int(u.shape[0]), notes


def morris_screening(
    scenario: Any, evaluator: Evaluator, names: Sequence[str], seed: int
) -> tuple[dict[str, dict[str, dict[str, float]]], int]:
    """Morris elementary effects ``{output: {name: {mu_star, mu_star_conf, sigma}}}`` on
    ``_TRAJECTORIES`` trajectories of ``_LEVELS`` levels, and the number of evaluations."""
    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    problem = _problem(names)
    u = sample.sample(problem, _TRAJECTORIES, num_levels=_LEVELS, seed=seed)
    ev = evaluator.run(to_values(scenario, names, u))
    result = {}
    for output, y in _outputs(ev).items():
        if float(np.var(y)) == 0.0:
            continue
        s = analyze.analyze(problem, u, y, conf_level=0.95, num_levels=_LEVELS, seed=seed)
        result[output] = {
            name: {
                "mu_star": float(s["mu_star"][i]),
                "mu_star_conf": float(s["mu_star_conf"][i]),
                "sigma": float(s["sigma"][i]),
            }
            for i, name in enumerate(names)
        }
    return result, int(u.shape[0])
