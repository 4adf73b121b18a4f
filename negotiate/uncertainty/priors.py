"""Sampling the priors of a scenario: inverse distribution functions and reproducible draws.

Every prior is sampled by inversion, ``x = F^{-1}(u)`` with ``u`` uniform on ``[0, 1)``, so
that one map serves plain Monte Carlo (``u`` from NumPy's PCG64) and the quasi-random designs
of SALib (``u`` from its Sobol' and Morris samplers on the unit cube):

* uniform ``[lo, hi]``: ``lo + (hi - lo) u``;
* triangular ``[lo, c, hi]``: ``lo + sqrt(u (hi - lo)(c - lo))`` for ``u < (c - lo)/(hi - lo)``,
  else ``hi - sqrt((1 - u)(hi - lo)(hi - c))``;
* beta ``[a, b]`` on the domain ``[lo, hi]``: ``lo + (hi - lo) I^{-1}_u(a, b)`` (SciPy's inverse
  regularised incomplete beta function);
* discrete: the smallest value whose cumulative weight exceeds ``u``.

Monte Carlo draws come in blocks of :data:`BLOCK` draws; block ``b`` is drawn from
``SeedSequence(seed, spawn_key=(b,))``.  Draw ``i`` therefore depends on the seed and ``i``
alone: the same seed gives the same draws whatever the chunk size or the number of workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from negotiate.errors import ModelError
from negotiate.scenario.priors import Prior

__all__ = ["BLOCK", "draw_rows", "draws", "inverse_cdf", "to_values", "uncertain_parameters"]

#: Draws per independently seeded block.
BLOCK = 65_536


def inverse_cdf(prior: Prior, u: np.ndarray) -> np.ndarray:
    """``F^{-1}(u)`` of ``prior`` on an array ``u`` in ``[0, 1]`` (see the module docstring)."""
    u = np.asarray(u, dtype=float)
    lo, hi = float(prior.support[0]), float(prior.support[1])
    if prior.kind == "uniform":
        return lo + (hi - lo) * u
    if prior.kind == "triangular":
        c = float(prior.args[1])
        cut = (c - lo) / (hi - lo)
        left = lo + np.sqrt(u * (hi - lo) * (c - lo))
        right = hi - np.sqrt((1.0 - u) * (hi - lo) * (hi - c))
        return np.where(u < cut, left, right)
    if prior.kind == "beta":
        from scipy.special import betaincinv

        a, b = (float(x) for x in prior.args)
        return lo + (hi - lo) * betaincinv(a, b, u)
    values = np.array([float(v) for v in prior.values])
    cum = np.cumsum([float(w) for w in prior.weights])
    index = np.searchsorted(cum / cum[-1], u, side="right")
    return values[np.minimum(index, len(values) - 1)]


def uncertain_parameters(scenario: Any, held: Sequence[str] = ()) -> tuple[str, ...]:
    """The parameters with a prior, in declaration order, except those ``held`` fixed."""
    return tuple(n for n in scenario.parameters if n in scenario.priors and n not in held)


def to_values(scenario: Any, names: Sequence[str], u: np.ndarray) -> np.ndarray:
    """Map unit-cube points ``u`` (rows, one column per name) to parameter values."""
    out = np.empty_like(np.asarray(u, dtype=float))
    for j, name in enumerate(names):
        out[:, j] = inverse_cdf(scenario.priors[name], u[:, j])
    return out


def draw_rows(scenario: Any, names: Sequence[str], seed: int, start: int, stop: int) -> np.ndarray:
    """Draws ``start`` to ``stop - 1`` (rows) of the Monte Carlo sample of ``names``."""
    rows = []
    for block in range(start // BLOCK, (stop - 1) // BLOCK + 1 if stop > start else 0):
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,))))
        u = rng.random((BLOCK, len(names)))
        lo = max(start - block * BLOCK, 0)
        hi = min(stop - block * BLOCK, BLOCK)
        rows.append(u[lo:hi])
    u = np.concatenate(rows) if rows else np.empty((0, len(names)))
    return to_values(scenario, names, u)


def draws(scenario: Any, names: Sequence[str], n: int, seed: int) -> np.ndarray:
    """The first ``n`` Monte Carlo draws of ``names`` (an ``n x len(names)`` array)."""
    check_count(n, "draws")
    check_seed(seed)
    return draw_rows(scenario, names, seed, 0, n)


def check_count(n: Any, field: str, least: int = 1) -> int:
    """``n`` must be a whole number >= ``least``."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < least:
        raise ModelError(field, n, f"expected a whole number >= {least}")
    return int(n)


def check_seed(seed: Any) -> int:
    """A seed is a whole number >= 0."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ModelError("seed", seed, "expected a whole number >= 0")
    return int(seed)
