"""Build the one :class:`Findings` object of a report from a scenario's analysis.

The analysis is the scenario layer's (:class:`ScenarioResult` and
:mod:`negotiate.scenario.counterfactual`); each section module reads it, phrases it and
attaches a certificate to each fact.  Sections, in order: what happens, why, what would
change it, the bargaining space, if the talks fail, the claims checked, appendix.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from negotiate.errors import ModelError
from negotiate.reports.appendix import appendix
from negotiate.reports.bargaining_space import bargaining_space
from negotiate.reports.builder import Builder
from negotiate.reports.claims import claims
from negotiate.reports.findings import Findings
from negotiate.reports.if_talks_fail import if_talks_fail
from negotiate.reports.what_happens import what_happens
from negotiate.reports.what_would_change import what_would_change
from negotiate.reports.why import why

__all__ = ["collect"]


def collect(
    result: Any, counterfactuals: Any, regime: Any = None, regime_failed: Any = None
) -> Findings:
    """The findings of ``result`` (a :class:`ScenarioResult`) and its counterfactuals."""
    if counterfactuals.result is not result:
        raise ModelError("counterfactuals", None, "were computed for another result")
    b = Builder(result, counterfactuals)
    what_happens(b)
    why(b)
    what_would_change(b, regime, regime_failed)
    bargaining_space(b)
    if_talks_fail(b)
    claims(b)
    appendix(b)
    meta: Mapping[str, Any] = {
        "scenario": result.scenario.name,
        "variant": result.variant,
        "overrides": dict(result.overrides),
        "outcome": result.outcome,
        "players": list(result.scenario.players),
        "views": [v.name for v in counterfactuals.spaces],
        "description": result.scenario.description,
        "date": result.scenario.date,
    }
    return Findings(result.scenario.title, dict(b.items), tuple(b.sections), meta)
