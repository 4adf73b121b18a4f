"""``negotiate.uncertainty``: how sure is the answer, given the priors of a scenario's
assumptions?

The parameters with a ``prior`` are drawn independently (:mod:`negotiate.uncertainty.priors`),
the others stay at their values (after the variant, whose overrides also hold their
parameters fixed).  Every draw runs through the vectorised pipeline of ``negotiate.sweep``
(:mod:`negotiate.uncertainty.evaluate`).  The result holds

* the probability of each outcome with its 95% Wilson interval, and the shares by decile of
  each parameter (:mod:`negotiate.uncertainty.montecarlo`);
* Sobol' first-order and total indices from SALib, and Morris screening above 30 uncertain
  parameters (:mod:`negotiate.uncertainty.sobol`);
* the distribution of each lever's tipping point (:mod:`negotiate.uncertainty.tipping`).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from negotiate.errors import ModelError, TooLargeError
from negotiate.scenario.result import OUTCOMES
from negotiate.uncertainty.evaluate import Evaluator
from negotiate.uncertainty.montecarlo import monte_carlo, shares
from negotiate.uncertainty.priors import check_count, check_seed, draw_rows, uncertain_parameters
from negotiate.uncertainty.result import UncertaintyResult
from negotiate.uncertainty.sobol import MORRIS_ABOVE, SLACK, morris_screening, sobol_indices
from negotiate.uncertainty.tipping import tipping_distribution
from negotiate.uncertainty.workers import PoolEvaluator

if TYPE_CHECKING:
    from negotiate.scenario.spec import Scenario

__all__ = ["MAX_DRAWS", "load", "sobol_base", "uncertainty"]

#: The most draws one call may ask for.
MAX_DRAWS = 100_000_000


def load(scenario: Any) -> Scenario:
    """A :class:`~negotiate.Scenario`, or the scenario file at a path."""
    if isinstance(scenario, str | Path):
        from negotiate.scenario import load_scenario

        return load_scenario(scenario)
    if not hasattr(scenario, "parameters") or not hasattr(scenario, "priors"):
        raise ModelError("scenario", type(scenario).__name__, "expected a Scenario or a file path")
    return cast("Scenario", scenario)


def sobol_base(draws: int, dimension: int) -> int:
    """The Saltelli base sample ``N``: the smallest power of two with ``N (d + 2) >= draws``
    (at least 64), so the design costs one to two times the Monte Carlo run."""
    n = 64
    while n * (dimension + 2) < draws:
        n *= 2
    return n


def _check_draws(draws: Any) -> int:
    draws = check_count(draws, "draws")
    if draws > MAX_DRAWS:
        raise TooLargeError(
            "too many draws",
            cost=draws,
            budget=MAX_DRAWS,
            instead="Use fewer draws; the Wilson intervals shrink as 1/sqrt(draws).",
        )
    return draws


def prepare(scenario: Any, variant: str | None) -> tuple[Any, tuple[str, ...], tuple[str, ...]]:
    """The scenario, its uncertain parameters and those held fixed (no prior, or set by the
    variant)."""
    s = load(scenario)
    s.values(None, variant)  # checks the variant
    held = tuple(s.variants[variant].overrides) if variant is not None else ()
    names = uncertain_parameters(s, held)
    if not names:
        raise ModelError(
            "parameters",
            None,
            "no parameter has a prior (outside the variant's overrides); add "
            "prior = { uniform = [lo, hi] } to the uncertain ones",
        )
    fixed = tuple(n for n in s.parameters if n not in names)
    return s, names, fixed


def uncertainty(
    scenario: Any,
    draws: int = 10_000,
    seed: int = 0,
    *,
    variant: str | None = None,
    sobol_samples: int | None = None,
    tipping_draws: int = 500,
    workers: int | None = None,
) -> UncertaintyResult:
    """Monte Carlo over the priors of ``scenario`` (a Scenario or a file path).

    * ``draws``: Monte Carlo draws (probabilities, deciles); ``seed`` fixes them, and the
      Sobol' and Morris designs and their bootstrap.
    * ``variant``: a named variant; its overrides are held fixed.
    * ``sobol_samples``: SALib's base sample ``N`` (a power of two; the design has
      ``N (d + 2)`` points); default :func:`sobol_base` of ``draws``.
    * ``tipping_draws``: the first draws at which every lever's tipping point is found
      (0 skips them).
    * ``workers``: local worker processes (:mod:`negotiate.uncertainty.workers`); default
      in this process.

    The same seed gives the same numbers whatever the chunking and the number of workers.
    """
    t0 = time.perf_counter()
    draws, seed = _check_draws(draws), check_seed(seed)
    tipping_draws = check_count(tipping_draws, "tipping_draws", least=0)
    workers = 1 if workers is None else check_count(workers, "workers")
    s, names, fixed = prepare(scenario, variant)
    if sobol_samples is None:
        base = sobol_base(draws, len(names))
    else:
        base = check_count(sobol_samples, "sobol_samples", least=2)
        if base & (base - 1):
            raise ModelError("sobol_samples", base, "must be a power of two (Sobol' sequence)")
    baseline = str(s.solve(variant=variant, tipping_points=False).outcome)
    levers = tuple(s.levers) if tipping_draws else ()
    evaluator: Any = Evaluator(s, names, variant=variant, extra=levers)
    if workers > 1:
        evaluator = PoolEvaluator(s, names, workers=workers, variant=variant, extra=levers)
    try:
        return _analyse(
            s,
            names,
            fixed,
            evaluator,
            draws,
            seed,
            variant,
            base,
            baseline,
            levers,
            tipping_draws,
            t0,
        )
    finally:
        if workers > 1:
            evaluator.close()


def _analyse(
    s: Any,
    names: tuple[str, ...],
    fixed: tuple[str, ...],
    evaluator: Any,
    draws: int,
    seed: int,
    variant: str | None,
    base: int,
    baseline: str,
    levers: tuple[str, ...],
    tipping_draws: int,
    t0: float,
) -> UncertaintyResult:
    mc = monte_carlo(s, evaluator, names, draws, seed)
    table = shares(mc.codes)
    notes: list[str] = []
    sobol, sobol_evals, sobol_notes = sobol_indices(s, evaluator, names, base, seed)
    notes += sobol_notes
    candidates = [baseline, *OUTCOMES, SLACK]
    output = next((o for o in candidates if o in sobol), None)
    morris = None
    morris_evals = 0
    if len(names) > MORRIS_ABOVE:
        morris, morris_evals = morris_screening(s, evaluator, names, seed)
        notes.append(f"{len(names)} uncertain parameters (> {MORRIS_ABOVE}): Morris screening too")
    tipping: dict[str, Any] = {}
    tip_evals = 0
    if levers:
        m = min(draws, tipping_draws)
        rows = draw_rows(s, names, seed, 0, m)
        tipping, tip_evals = tipping_distribution(s, evaluator, rows, levers)
        notes.append(
            f"tipping points at the first {m} draws, as float brackets of 2^-24 of each "
            "lever's domain (the exact thresholds are in Scenario.solve)"
        )
    boundary = int(mc.boundary.sum())
    if boundary:
        notes.append(f"{boundary} draws lie within 1e-12 of a tie: floats decide them")
    return UncertaintyResult(
        scenario=s,
        variant=variant,
        draws=draws,
        seed=seed,
        parameters=names,
        priors={n: s.priors[n].describe() for n in names},
        fixed=fixed,
        baseline_outcome=baseline,
        probabilities={o: table[o]["probability"] for o in OUTCOMES},
        intervals={o: table[o]["interval"] for o in OUTCOMES},
        counts={o: table[o]["count"] for o in OUTCOMES},
        boundary=boundary,
        deciles=mc.deciles,
        tipping=tipping,
        sobol_output=output,
        sobol_detail=sobol,
        sobol_base=base,
        morris=morris,
        evaluations=draws + sobol_evals + morris_evals + tip_evals,
        seconds=time.perf_counter() - t0,
        notes=tuple(notes),
        codes=mc.codes,
        boundary_flags=mc.boundary,
    )
