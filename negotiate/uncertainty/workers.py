"""Draws evaluated on a local pool of worker processes, with the same results as in-process.

:class:`PoolEvaluator` has the interface of :class:`~negotiate.uncertainty.evaluate.Evaluator`
(``run(rows, extra)``, ``names``, ``extra``, ``values``).  It cuts the rows into chunks of
:data:`~negotiate.uncertainty.evaluate.CHUNK`, evaluates them on ``workers`` processes (started
with ``spawn``; each rebuilds the scenario from its file text and compiles it once, so no
compiled object is pickled) and joins the chunks in their order.  Every chunk is evaluated by
the same code on the same rows, so the numbers do not depend on the number of workers.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from fractions import Fraction
from typing import Any

import numpy as np

from negotiate.errors import ModelError
from negotiate.uncertainty import evaluate
from negotiate.uncertainty.evaluate import Evaluated, Evaluator

__all__ = ["PoolEvaluator"]

_WORKER: dict[str, Evaluator] = {}


def _start(
    text: str,
    name: str,
    names: tuple[str, ...],
    variant: str | None,
    overrides: dict[str, Fraction],
    extra: tuple[str, ...],
) -> None:
    from negotiate.scenario import loads_scenario

    scenario = loads_scenario(text, source_name=name)
    _WORKER["evaluator"] = Evaluator(
        scenario, names, variant=variant, overrides=overrides, extra=extra
    )


def _run(rows: np.ndarray, extra: dict[str, np.ndarray]) -> Evaluated:
    return _WORKER["evaluator"].run(rows, extra)


class PoolEvaluator:
    """An :class:`Evaluator` whose chunks run on ``workers`` local processes; ``close()`` it."""

    def __init__(
        self,
        scenario: Any,
        names: Sequence[str],
        *,
        workers: int,
        variant: str | None = None,
        overrides: Mapping[str, Fraction] | None = None,
        extra: Sequence[str] = (),
    ) -> None:
        text = getattr(scenario, "source_text", "")
        if not text:
            raise ModelError("workers", workers, "worker processes need a scenario read from TOML")
        self.local = Evaluator(scenario, names, variant=variant, overrides=overrides, extra=extra)
        self.names, self.extra, self.values = self.local.names, self.local.extra, self.local.values
        self.workers = workers
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start,
            initargs=(text, scenario.name, self.names, variant, dict(overrides or {}), self.extra),
        )

    def run(self, rows: np.ndarray, extra: Mapping[str, np.ndarray] | None = None) -> Evaluated:
        """Evaluate ``rows`` chunk by chunk on the pool (see :meth:`Evaluator.run`)."""
        rows = np.asarray(rows, dtype=float)
        n, size = rows.shape[0], evaluate.CHUNK
        futures = [
            self._pool.submit(
                _run,
                rows[a : a + size],
                {k: np.asarray(v)[a : a + size] for k, v in (extra or {}).items()},
            )
            for a in range(0, n, size)
        ]
        parts = [f.result() for f in futures]
        if not parts:
            return self.local.run(rows, extra)
        slack = None if parts[0].slack is None else np.concatenate([p.slack for p in parts])
        return Evaluated(
            np.concatenate([p.codes for p in parts]),
            np.concatenate([p.boundary for p in parts]),
            slack,
        )

    def close(self) -> None:
        """Stop the worker processes."""
        self._pool.shutdown(wait=True, cancel_futures=True)
