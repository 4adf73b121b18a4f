"""Build the one :class:`Findings` object of a report from a scenario's analysis.

The analysis is the scenario layer's (:class:`ScenarioResult` and
:mod:`negotiate.scenario.counterfactual`); each section module reads it, phrases it and
attaches a certificate to each fact.  Sections, in order:
Summary (built last, placed first), what happens, why, what the threats are worth, what would
change it, how sure this is, the bargaining space, the claims checked, what the model leaves
out, glossary, appendix.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from negotiate.errors import InconsistentEpisodesError, ModelError
from negotiate.reports.appendix import appendix
from negotiate.reports.bargaining_space import bargaining_space
from negotiate.reports.builder import Builder
from negotiate.reports.certainty import glossary, how_sure, left_out
from negotiate.reports.claims import claims
from negotiate.reports.findings import Findings, Paragraph, Section
from negotiate.reports.if_talks_fail import if_talks_fail
from negotiate.reports.summary import summary
from negotiate.reports.what_happens import what_happens
from negotiate.reports.what_would_change import what_would_change
from negotiate.reports.why import why

__all__ = ["collect"]


def collect(
    result: Any,
    counterfactuals: Any,
    regime: Any = None,
    regime_failed: Any = None,
    uncertainty: Any = None,
    calibration: Any = None,
) -> Findings:
    """The findings of ``result`` (a :class:`ScenarioResult`) and its counterfactuals;
    ``uncertainty`` and ``calibration`` (optional) feed "How sure is this?".  A calibration
    that failed because no draw reproduces the episodes (an
    :class:`~negotiate.errors.InconsistentEpisodesError`) is reported as such."""
    if counterfactuals.result is not result:
        raise ModelError("counterfactuals", None, "were computed for another result")
    b = Builder(result, counterfactuals)
    what_happens(b)
    why(b)
    if_talks_fail(b)
    what_would_change(b, regime, regime_failed)
    conflict = calibration if isinstance(calibration, InconsistentEpisodesError) else None
    if conflict is not None:
        calibration = None
    how_sure(b, uncertainty, calibration, conflict)
    bargaining_space(b)
    claims(b)
    left_out(b)
    glossary(b)
    appendix(b)
    summary(b, uncertainty, calibration)
    b.sections.insert(0, b.sections.pop())
    if b.has("summary.chain"):  # "Why?" opens with the causal chain
        k = next(i for i, s in enumerate(b.sections) if s.key == "why")
        s = b.sections[k]
        b.sections[k] = Section(s.key, s.title, (Paragraph(("summary.chain",)), *s.blocks))
    meta: Mapping[str, Any] = {
        "scenario": result.scenario.name,
        "variant": result.variant,
        "overrides": dict(result.overrides),
        "outcome": result.outcome,
        "players": list(result.scenario.players),
        "views": [v.name for v in counterfactuals.spaces],
        "description": result.scenario.description,
        "date": result.scenario.date,
        "meanings": {n: p.meaning for n, p in result.scenario.parameters.items()},
    }
    return Findings(result.scenario.title, dict(b.items), tuple(b.sections), meta)
