"""The builder every report section writes into, and the number formats findings use.

A :class:`Builder` accumulates findings (each with a unique id and a certificate from
:mod:`negotiate.reports.certify`) and the blocks of each section; the section modules
(:mod:`.what_happens`, :mod:`.why`, :mod:`.what_would_change`, :mod:`.bargaining_space`,
:mod:`.if_talks_fail`, :mod:`.claims`, :mod:`.appendix`) each add one section.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from negotiate.reports.certify import Checker
from negotiate.reports.findings import (
    Block,
    Finding,
    Num,
    Section,
)
from negotiate.results import Certificate

__all__ = [
    "CONCEPT",
    "OUTCOME_PHRASE",
    "VERB",
    "Builder",
    "all_ok",
    "fmt_exact",
    "fmt_threshold",
    "fmt_utility",
    "slug",
]

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


def fmt_utility(x: Fraction) -> Num:
    """A utility, slack or weight: three decimals."""
    return Num(x, 3)


def fmt_threshold(x: Fraction) -> Num:
    """A threshold: two decimals."""
    return Num(x, 2)


def fmt_exact(x: Fraction) -> Num:
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
        return self.check.slacks(
            st.weights,
            st.points,
            st.disagreement,
            slacks,  # type: ignore[arg-type]
            st.bounds,
            st.option,
        )


def _keep(block: Block) -> bool:
    return block.kind in ("note", "quote")
