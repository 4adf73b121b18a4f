"""Calibration on dated episodes: rejection sampling (ABC) over the priors.

Each ``[episodes.NAME]`` fixes the parameters known at that date (``set``, ``variant``) and
records the outcome observed.  A prior draw is *consistent* when the scenario, at the draw
with each episode's overrides applied, gives every episode's observed outcome.  The consistent
draws are an exact sample of the posterior ``p(theta | episodes)`` under a 0/1 likelihood
(rejection ABC with zero tolerance on a discrete outcome; Pritchard et al. 1999, Beaumont 2010).

* ``consistent_share``: the share of prior draws that are consistent (with its Wilson
  interval), and per episode the share that reproduces it alone;
* ``posterior``: quantiles and histogram counts of every uncertain parameter, with the prior's
  counts in the same bins;
* ``posterior_probabilities``: the outcome probabilities of the scenario (its baseline, or the
  chosen variant) over the posterior draws;
* ``leave_one_out``: each episode's most likely outcome under the posterior fitted on the
  others (ties go to the first of agreement, stalemate, war).

When no draw fits every episode, :class:`~negotiate.errors.InconsistentEpisodesError` carries
a minimal conflicting set, found by deletion: drop each episode in turn and keep it out when
the rest still has no consistent draw.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from negotiate.errors import InconsistentEpisodesError, ModelError
from negotiate.results import Certificate, ResultMixin, Summary, Table, to_jsonable
from negotiate.scenario.result import OUTCOMES
from negotiate.uncertainty.analysis import _check_draws, prepare
from negotiate.uncertainty.evaluate import CHUNK, Evaluator, exact_outcome
from negotiate.uncertainty.montecarlo import shares, wilson
from negotiate.uncertainty.priors import check_seed, draw_rows
from negotiate.uncertainty.tipping import QUANTILES

__all__ = ["CalibrationResult", "calibrate", "minimal_conflict"]

_BINS = 10


def minimal_conflict(match: np.ndarray, names: Sequence[str]) -> tuple[str, ...]:
    """A minimal set of columns of ``match`` (draws x episodes, booleans) with no row true in
    all of them, by deletion; ``match`` must have no row true in every column."""
    keep = list(range(match.shape[1]))
    for k in range(match.shape[1]):
        rest = [j for j in keep if j != k]
        if rest and not np.any(np.all(match[:, rest], axis=1)):
            keep = rest
    return tuple(names[j] for j in keep)


@dataclass(frozen=True, eq=False, repr=False)
class CalibrationResult(ResultMixin):
    """The posterior of a rejection-sampling calibration (see the module docstring)."""

    scenario: Any = field(repr=False)
    variant: str | None
    draws: int
    seed: int
    parameters: tuple[str, ...]
    episodes: tuple[str, ...]
    consistent: int
    consistent_share: float
    consistent_interval: tuple[float, float]
    episode_shares: dict[str, float]
    posterior: dict[str, Any]
    prior_probabilities: dict[str, float]
    posterior_probabilities: dict[str, float]
    posterior_intervals: dict[str, tuple[float, float]]
    leave_one_out: dict[str, dict[str, Any]]
    seconds: float
    accepted: np.ndarray = field(repr=False)
    accepted_boundary: np.ndarray = field(repr=False)

    def _describe(self) -> str:
        probs = ", ".join(f"{o} {self.posterior_probabilities[o]:.3f}" for o in OUTCOMES)
        return (
            f"{self.consistent} of {self.draws} draws fit {len(self.episodes)} episodes; "
            f"posterior {probs}"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; ``consistent_share``, ``posterior``, ``posterior_probabilities`` and
        ``leave_one_out`` are the fixed public keys."""
        return {
            "type": "CalibrationResult",
            "scenario": self.scenario.title,
            "variant": self.variant,
            "draws": self.draws,
            "seed": self.seed,
            "parameters": list(self.parameters),
            "episodes": list(self.episodes),
            "consistent": self.consistent,
            "consistent_share": self.consistent_share,
            "consistent_interval": list(self.consistent_interval),
            "episode_shares": dict(self.episode_shares),
            "posterior": to_jsonable(self.posterior),
            "prior_probabilities": dict(self.prior_probabilities),
            "posterior_probabilities": dict(self.posterior_probabilities),
            "posterior_intervals": {o: list(v) for o, v in self.posterior_intervals.items()},
            "leave_one_out": to_jsonable(self.leave_one_out),
            "seconds": self.seconds,
        }

    def summary(self) -> Summary:
        """Consistent share, prior and posterior probabilities, leave-one-out, shifts."""
        lo, hi = self.consistent_interval
        fields: list[tuple[str, Any]] = [
            ("scenario", self.scenario.title + (f" ({self.variant})" if self.variant else "")),
            ("draws", f"{self.draws} (seed {self.seed})"),
            (
                "consistent draws",
                f"{self.consistent} ({self.consistent_share:.4f}, [{lo:.4f}, {hi:.4f}])",
            ),
            ("episodes", ", ".join(self.episodes)),
        ]
        for o in OUTCOMES:
            a, b = self.posterior_intervals[o]
            fields.append(
                (
                    f"P({o}) prior -> posterior",
                    f"{self.prior_probabilities[o]:.4f} -> {self.posterior_probabilities[o]:.4f}"
                    f"  [{a:.4f}, {b:.4f}]",
                )
            )
        loo = Table(
            "leave one out: each episode predicted from the others",
            ("episode", "observed", "predicted", *OUTCOMES),
            tuple(
                (e, v["observed"], v["predicted"], *(f"{v['shares'][o]:.3f}" for o in OUTCOMES))
                for e, v in self.leave_one_out.items()
            ),
        )
        shifts = sorted(
            self.posterior.items(),
            key=lambda kv: (
                -abs(kv[1]["posterior_mean"] - kv[1]["prior_mean"])
                / max(kv[1]["support"][1] - kv[1]["support"][0], 1e-300)
            ),
        )[:10]
        moved = Table(
            "parameters the episodes move most (prior mean -> posterior median [5%, 95%])",
            ("parameter", "prior mean", "posterior median", "5%", "95%"),
            tuple(
                (
                    n,
                    f"{p['prior_mean']:.4g}",
                    f"{p['quantiles']['0.5']:.4g}",
                    f"{p['quantiles']['0.05']:.4g}",
                    f"{p['quantiles']['0.95']:.4g}",
                )
                for n, p in shifts
            ),
        )
        per = Table(
            "share of prior draws reproducing each episode alone",
            ("episode", "share"),
            tuple((e, f"{s:.4f}") for e, s in self.episode_shares.items()),
        )
        return Summary(f"Calibration: {self.scenario.title}", tuple(fields), (loo, moved, per))

    def verify(self, points: int = 10) -> Certificate:
        """Re-solve up to ``points`` consistent draws exactly at every episode and check that
        each reproduces the observed outcome (draws within ``1e-12`` of a tie are skipped)."""
        s = self.scenario
        rng = np.random.default_rng(self.seed)
        n = self.accepted.shape[0]
        picks = np.sort(rng.choice(n, size=min(points, n), replace=False))
        failures = []
        checked = skipped = 0
        for i in picks:
            if self.accepted_boundary[i]:
                skipped += 1
                continue
            for ep in s.episodes:
                names = [m for m in self.parameters if m not in _held(s, ep)]
                row = [self.accepted[i, self.parameters.index(m)] for m in names]
                got = exact_outcome(s, names, row, ep.variant, ep.overrides)
                if got != ep.observed:
                    failures.append((int(i), ep.name, got))
            checked += 1
        return Certificate(
            ok=not failures and checked > 0,
            quantities={
                "checked": checked,
                "boundary_skipped": skipped,
                "failures": tuple(failures),
            },
            exact=False,
            tolerance=1e-12,
            checks=(f"{checked} posterior draws reproduce every episode exactly",),
        )


def _held(scenario: Any, episode: Any) -> set[str]:
    held = set(episode.overrides)
    if episode.variant is not None:
        held |= set(scenario.variants[episode.variant].overrides)
    return held


def _histogram(prior: Any) -> tuple[np.ndarray, list[Any]]:
    """Inner bin edges and bin labels: equal bins over the support, or the discrete values."""
    if prior.kind == "discrete":
        values = [float(v) for v in prior.values]
        return np.array([(a + b) / 2 for a, b in itertools.pairwise(values)]), values
    lo, hi = float(prior.support[0]), float(prior.support[1])
    edges = np.linspace(lo, hi, _BINS + 1)
    return edges[1:-1], [float(e) for e in edges]


def calibrate(
    scenario: Any, draws: int = 10_000, seed: int = 0, *, variant: str | None = None
) -> CalibrationResult:
    """Rejection sampling of the priors of ``scenario`` on its ``[episodes]``.

    Raises :class:`~negotiate.errors.InconsistentEpisodesError` (with a minimal conflicting
    set of episodes) when no draw reproduces them all.
    """
    t0 = time.perf_counter()
    draws, seed = _check_draws(draws), check_seed(seed)
    s, names, _ = prepare(scenario, variant)
    episodes = s.episodes
    if not episodes:
        raise ModelError("episodes", None, "the scenario has no [episodes.NAME] to calibrate on")
    base = Evaluator(s, names, variant=variant)
    columns, evaluators = [], []
    for ep in episodes:
        cols = [j for j, n in enumerate(names) if n not in _held(s, ep)]
        columns.append(cols)
        evaluators.append(
            Evaluator(s, [names[j] for j in cols], variant=ep.variant, overrides=ep.overrides)
        )
    observed = np.array([OUTCOMES.index(ep.observed) for ep in episodes])
    codes = np.empty(draws, dtype=np.int8)
    ep_codes = np.empty((draws, len(episodes)), dtype=np.int8)
    boundary = np.zeros(draws, dtype=bool)
    accepted_rows = []
    bins = {n: _histogram(s.priors[n]) for n in names}
    prior_counts = {
        n: np.zeros(len(b[1]) - (s.priors[n].kind != "discrete"), np.int64) for n, b in bins.items()
    }
    for start in range(0, draws, CHUNK):
        stop = min(start + CHUNK, draws)
        rows = draw_rows(s, names, seed, start, stop)
        codes[start:stop] = base.run(rows).codes
        for k, (cols, ev) in enumerate(zip(columns, evaluators, strict=True)):
            out = ev.run(rows[:, cols])
            ep_codes[start:stop, k] = out.codes
            boundary[start:stop] |= out.boundary
        ok = np.all(ep_codes[start:stop] == observed, axis=1)
        accepted_rows.append(rows[ok])
        for j, n in enumerate(names):
            prior_counts[n] += np.bincount(
                np.searchsorted(bins[n][0], rows[:, j], side="right"),
                minlength=len(prior_counts[n]),
            )
    match = ep_codes == observed
    consistent = np.all(match, axis=1)
    if not consistent.any():
        raise InconsistentEpisodesError(
            minimal_conflict(match, [ep.name for ep in episodes]), draws
        )
    accepted = np.concatenate(accepted_rows)
    posterior = {}
    for j, n in enumerate(names):
        edges, labels = bins[n]
        counts = np.bincount(
            np.searchsorted(edges, accepted[:, j], side="right"), minlength=len(prior_counts[n])
        )
        qs = np.quantile(accepted[:, j], QUANTILES)
        key = "values" if s.priors[n].kind == "discrete" else "edges"
        posterior[n] = {
            "prior": s.priors[n].describe(),
            "support": [float(x) for x in s.priors[n].support],
            "prior_mean": float(s.priors[n].mean()),
            "posterior_mean": float(accepted[:, j].mean()),
            "quantiles": {f"{q:g}": float(v) for q, v in zip(QUANTILES, qs, strict=True)},
            "histogram": {
                key: labels,
                "counts": counts.tolist(),
                "prior_counts": prior_counts[n].tolist(),
            },
        }
    prior_table, post_table = shares(codes), shares(codes[consistent])
    loo = {}
    for k, ep in enumerate(episodes):
        others = [j for j in range(len(episodes)) if j != k]
        mask = np.all(match[:, others], axis=1) if others else np.ones(draws, dtype=bool)
        counts = np.bincount(ep_codes[mask, k].astype(np.int64), minlength=len(OUTCOMES))
        total = int(counts.sum())
        loo[ep.name] = {
            "observed": ep.observed,
            "predicted": OUTCOMES[int(np.argmax(counts))],
            "shares": {o: float(c) / total for o, c in zip(OUTCOMES, counts, strict=True)},
            "draws": total,
        }
    n_ok = int(consistent.sum())
    return CalibrationResult(
        scenario=s,
        variant=variant,
        draws=draws,
        seed=seed,
        parameters=names,
        episodes=tuple(ep.name for ep in episodes),
        consistent=n_ok,
        consistent_share=n_ok / draws,
        consistent_interval=wilson(n_ok, draws),
        episode_shares={ep.name: float(match[:, k].mean()) for k, ep in enumerate(episodes)},
        posterior=posterior,
        prior_probabilities={o: prior_table[o]["probability"] for o in OUTCOMES},
        posterior_probabilities={o: post_table[o]["probability"] for o in OUTCOMES},
        posterior_intervals={o: post_table[o]["interval"] for o in OUTCOMES},
        leave_one_out=loo,
        seconds=time.perf_counter() - t0,
        accepted=accepted,
        accepted_boundary=boundary[consistent],
    )
