"""Build the one :class:`Findings` object of a report from a scenario's analysis.

The analysis is the scenario layer's (:class:`ScenarioResult` and
:mod:`negotiate.scenario.counterfactual`); this module reads it, phrases it and attaches a
certificate to each fact (:mod:`negotiate.reports.certify`).  Sections, in order: what
happens, why, what would change it, the bargaining space, if the talks fail, the seed's
claims, appendix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from negotiate.errors import ModelError
from negotiate.reports.certify import Checker
from negotiate.reports.findings import (
    Block,
    Finding,
    Findings,
    Num,
    Section,
)
from negotiate.results import Certificate

__all__ = ["Builder", "collect"]

OUTCOME_PHRASE = {
    "agreement": "an agreement",
    "stalemate": "a stalemate",
    "war": "war",
}
VERB = {"up": "rises above", "down": "falls below"}
CONCEPT = {
    "nash": "Nash bargaining solution",
    "kalai_smorodinsky": "Kalai-Smorodinsky solution",
    "egalitarian": "egalitarian solution",
    "utilitarian": "utilitarian solution",
}


def u(x: Fraction) -> Num:
    """A utility, slack or weight: three decimals."""
    return Num(x, 3)


def t(x: Fraction) -> Num:
    """A threshold: two decimals."""
    return Num(x, 2)


def e(x: Fraction) -> Num:
    """An input value: its exact form."""
    return Num(x, None)


def all_ok(*certs: Certificate) -> Certificate:
    """The conjunction of certificates (their checks and quantities kept)."""
    quantities: dict[str, Any] = {}
    for k, c in enumerate(certs):
        quantities.update({f"{k}.{name}": v for name, v in c.quantities.items()})
    return Certificate(
        ok=all(c.ok for c in certs),
        quantities=quantities,
        exact=all(c.exact for c in certs),
        tolerance=max((c.tolerance for c in certs), default=0.0),
        checks=tuple(dict.fromkeys(ch for c in certs for ch in c.checks)),
        notes=tuple(n for c in certs for n in c.notes),
    )


def slug(text: str) -> str:
    """A finding-id fragment from a label."""
    out = re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_")
    return out or "x"


class Builder:
    """Accumulates findings (unique ids) and the blocks of each section."""

    def __init__(self, result: Any, counterfactuals: Any) -> None:
        self.result = result
        self.cf = counterfactuals
        self.scenario = result.scenario
        self.players: tuple[str, str] = result.scenario.players
        self.check = Checker(result)
        self.items: dict[str, Finding] = {}
        self.sections: list[Section] = []

    def add(
        self,
        fid: str,
        value: Any,
        template: str,
        cert: Certificate,
        origin: str = "",
        /,
        **fields: Any,
    ) -> str:
        base, k = fid, 1
        while fid in self.items:
            k += 1
            fid = f"{base}_{chr(ord('a') + k - 2)}" if k <= 27 else f"{base}_{'z' * k}"
        self.items[fid] = Finding(fid, value, template, fields, cert, origin)
        return fid

    def has(self, fid: str) -> bool:
        return fid in self.items

    def section(self, key: str, title: str, blocks: list[Block]) -> None:
        self.sections.append(
            Section(key, title, tuple(b for b in blocks if b.findings or _keep(b)))
        )

    # ------------------------------------------------------------------ shared facts
    def participation_cert(self) -> Certificate:
        st = self.result.state
        slacks = tuple(c.slack for c in self.result.constraints if c.kind == "participation")
        return self.check.slacks(st.weights, st.points, st.disagreement, slacks)  # type: ignore[arg-type]


def _keep(block: Block) -> bool:
    return block.kind in ("note", "quote")


# ---------------------------------------------------------------------- assembly
def collect(
    result: Any, counterfactuals: Any, regime: Any = None, regime_failed: Any = None
) -> Findings:
    """The findings of ``result`` (a :class:`ScenarioResult`) and its counterfactuals."""
    from negotiate.reports.collect_change import what_would_change
    from negotiate.reports.collect_fail import appendix, claims, if_talks_fail
    from negotiate.reports.collect_space import bargaining_space
    from negotiate.reports.collect_what import what_happens
    from negotiate.reports.collect_why import why

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
