"""Findings of the section "What would change it?": levers, deals, concession design, regime map,
sensitivity."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from negotiate.reports.builder import (
    OUTCOME_PHRASE,
    VERB,
    Builder,
    all_ok,
    fmt_exact,
    fmt_threshold,
    fmt_utility,
    slug,
)
from negotiate.reports.findings import Block, Code, Figure, Note, Num, Paragraph, TableBlock
from negotiate.reports.why import structural_finding

__all__ = ["category", "what_would_change"]

#: Design levers named by issue #8, recognised by the name or meaning of a parameter.
CATEGORIES = (
    ("guarantees", r"guarant"),
    ("escrow or front-loading", r"escrow|front-load"),
    ("phasing", r"phas"),
    ("monitoring", r"monitor|detect|inspect|verif"),
    ("reduced hazard", r"hazard|reneg"),
    ("trust", r"trust|credib"),
)


def category(b: Builder, lever: str) -> str:
    p = b.scenario.parameters[lever]
    text = f"{lever} {p.meaning}".lower()
    return next((name for name, pat in CATEGORIES if re.search(pat, text)), "other")


def what_would_change(b: Builder, regime: Any = None, regime_failed: Any = None) -> None:
    r = b.result
    p1, p2 = b.players
    lever_ids, deal_ids, sens_ids = [], [], []
    for eff in b.cf.levers:
        lever_ids.append(_lever(b, eff))
        if b.cf.spaces:
            deal_ids += _deals(b, eff)
        if eff.low.margin is not None:
            sens_ids.append(_sensitivity(b, eff))
    blocks: list[Block] = []
    if lever_ids:
        moving = [i for i in lever_ids if b.items[i].value is not None]
        still = [i for i in lever_ids if b.items[i].value is None]
        blocks.append(Paragraph(tuple(moving or lever_ids)))
        if moving and still:
            blocks.append(
                Note(
                    "Alone, {} do not change the outcome anywhere in their domains (the table "
                    "below gives each one's ends).".format(
                        ", ".join(b.items[i].fields["lever"].text for i in still)
                    )
                )
            )
        blocks.append(
            TableBlock(
                "Levers: tipping points",
                ("lever", "kind", "choice", "now", "threshold", "direction", "then"),
                ("lever", "category", "policy", "base", "thr", "direction", "after"),
                tuple(lever_ids),
                collapsed=True,
            )
        )
    else:
        blocks.append(Note("The scenario names no levers, so no tipping points are reported."))
    if b.scenario.commitment is not None:
        found = {category(b, eff.lever) for eff in b.cf.levers}
        missing = [name for name, _ in CATEGORIES[:5] if name not in found]
        if missing:
            blocks.append(Note("No lever of this scenario represents: " + ", ".join(missing) + "."))
    if deal_ids:
        issues = [i.name for i in b.scenario.issues]
        blocks.append(
            TableBlock(
                f"The deals that appear (issues: share going {p1}'s way)"
                if issues
                else "The deals that appear (utilities)",
                ("lever", "at", "outcome", p1, p2, *issues),
                ("lever", "x", "outcome", "u1", "u2", *(f"x_{slug(i)}" for i in issues)),
                tuple(deal_ids),
                collapsed=True,
            )
        )
    design = [c for c in b.cf.structural if c.name.startswith("irreversible:")]
    if design:
        blocks.append(
            Note(
                "Design of the concessions: each reversible concession delivered "
                "irreversibly (escrowed or front-loaded), all else as analysed."
            )
        )
        blocks.append(Paragraph(tuple(structural_finding(b, c) for c in design)))
    if regime is not None:
        blocks += _regime(b, regime)
    elif regime_failed is not None:
        x, y = regime_failed
        blocks.append(
            Note(
                f"No regime map over {x} and {y}: the model is undefined at some points of "
                "that grid (the warning issued with this report names one)."
            )
        )
    if sens_ids:
        blocks.append(
            Figure(
                "tornado",
                "Sensitivity: the smaller participation slack at the two ends of each "
                "lever's domain (a zone of agreement needs it above zero)",
                tuple(sens_ids),
            )
        )
        blocks.append(
            TableBlock(
                "Sensitivity of the smaller participation slack",
                ("lever", "low end", "slack there", "high end", "slack there", "now"),
                ("lever", "lo", "m_lo", "hi", "m_hi", "m_base"),
                tuple(sens_ids),
                collapsed=True,
            )
        )
    del r
    b.section("change", "What would change it?", blocks)


def _lever(b: Builder, eff: Any) -> str:
    tp = eff.tipping_point
    certs = [b.check.point(p) for _, p in eff.points()]
    fields: dict[str, Any] = dict(
        lever=Code(eff.lever),
        category=category(b, eff.lever),
        base=fmt_exact(eff.baseline),
        lo=fmt_exact(eff.domain[0]),
        hi=fmt_exact(eff.domain[1]),
        outcome=OUTCOME_PHRASE[b.result.outcome],
        thr="none",
        direction="",
        after="",
    )
    fields |= _plain_words(b, eff.lever)
    if tp is None:
        tpl = (
            "{lever} alone does not change the outcome: {outcome} at both ends of its "
            "domain ({lo} and {hi}) and at every grid point searched."
        )
        return b.add(
            f"change.lever.{eff.lever}",
            None,
            tpl,
            all_ok(*certs),
            f"LeverEffect[{eff.lever}]",
            **fields,
        )
    fields |= dict(
        thr=fmt_threshold(tp.threshold),
        direction=tp.direction,
        verb=VERB[tp.direction],
        after=tp.outcome_after,
    )
    head = {
        "agreement": "An agreement appears",
        "stalemate": "The talks stall",
        "war": "War follows",
    }[tp.outcome_after]
    tpl = head + " when {lever} {verb} {thr} (now {base}; its domain runs from {lo} to {hi})"
    tpl += ": {meaning}; {choice}{basis}."
    fields |= _plain_words(b, eff.lever)
    c = b.scenario.commitment
    if c is not None and eff.lever in {s.name for s in c.patience.free_symbols}:
        tpl += (
            " A more patient side loses more from a concession taken back in the future, so "
            "less patience raises the value it puts on reversible concessions."
            if tp.direction == "down"
            else ""
        )
    return b.add(
        f"change.lever.{eff.lever}",
        tp.threshold,
        tpl,
        all_ok(b.check.tipping(tp), *certs),
        f"ScenarioResult.tipping_points[{eff.lever}]",
        **fields,
    )


def _plain_words(b: Builder, lever: str) -> dict[str, Any]:
    """The lever's meaning, whether a government can choose it, and whether its value is an
    assumption (its ``source`` starts with "assumption")."""
    p = b.scenario.parameters[lever]
    policy = lever in getattr(b.scenario, "policy_levers", ())
    assumed = str(p.source).strip().lower().startswith("assumption")
    return dict(
        meaning=str(p.meaning or lever),
        choice="a policy choice" if policy else "not something a government sets directly",
        basis=" (the current value is an assumption)" if assumed else "",
        policy="policy" if policy else "condition",
    )


def _deal_fields(b: Builder, point: Any) -> dict[str, Any]:
    p1, p2 = b.players
    fields: dict[str, Any] = dict(p1=p1, p2=p2, outcome=point.outcome, u1="", u2="")
    fields |= {f"x_{slug(i.name)}": "" for i in b.scenario.issues}
    if point.utilities is not None:
        fields |= dict(u1=fmt_utility(point.utilities[0]), u2=fmt_utility(point.utilities[1]))
        if b.scenario.issues:
            fields |= {f"x_{slug(k)}": Num(v, 2) for k, v in point.deal.items()}
    return fields


def _deals(b: Builder, eff: Any) -> list[str]:
    out = []
    base = b.result.outcome
    if eff.past_tipping is not None:
        p = eff.past_tipping
        f = _deal_fields(b, p) | dict(lever=Code(eff.lever), x=fmt_threshold(p.values[eff.lever]))
        tpl = (
            "Just past that threshold ({lever} = {x}) the deal gives {p1} {u1} and {p2} {u2}."
            if p.solution is not None
            else "Just past that threshold ({lever} = {x}) the outcome is {outcome}."
        )
        out.append(
            b.add(
                f"change.deal.{eff.lever}",
                p.deal,
                tpl,
                b.check.point(p),
                f"LeverEffect[{eff.lever}].past_tipping",
                **f,
            )
        )
    for where, p in (("low", eff.low), ("high", eff.high)):
        if p.outcome == base and p.solution is None:
            continue
        f = _deal_fields(b, p) | dict(
            lever=Code(eff.lever), x=fmt_exact(p.values[eff.lever]), end=where
        )
        tpl = (
            "At {lever} = {x} (the {end} end of its domain) the deal gives {p1} {u1} and {p2} {u2}."
            if p.solution is not None
            else "At {lever} = {x} (the {end} end of its domain) the outcome is {outcome}."
        )
        out.append(
            b.add(
                f"change.end.{eff.lever}.{where}",
                p.deal,
                tpl,
                b.check.point(p),
                f"LeverEffect[{eff.lever}].{where}",
                **f,
            )
        )
    return out


def _sensitivity(b: Builder, eff: Any) -> str:
    base = min(s.slack for s in b.result.constraints if s.kind == "participation")
    certs = [b.check.point_structural(p) for p in (eff.low, eff.high)]
    return b.add(
        f"change.sens.{eff.lever}",
        {
            "low": eff.low.margin,
            "high": eff.high.margin,
            "now": base,
            "outcome_low": eff.low.outcome,
            "outcome_high": eff.high.outcome,
        },
        "{lever}: the smaller participation slack is {m_lo} at {lo} and {m_hi} at {hi} "
        "(now {m_base}).",
        all_ok(b.participation_cert(), *certs),
        f"LeverEffect[{eff.lever}].low/high",
        lever=Code(eff.lever),
        lo=fmt_exact(eff.domain[0]),
        hi=fmt_exact(eff.domain[1]),
        m_lo=Num(eff.low.margin, 3, signed=True),
        m_hi=Num(eff.high.margin, 3, signed=True),
        m_base=Num(base, 3, signed=True),
    )


def _regime(b: Builder, regime: Any) -> list[Block]:
    cert = regime.certificate(b.check)
    shares = regime.shares()
    fid = b.add(
        "change.regime",
        regime.to_value(),
        "Over the grid of {n} points in {x} and {y}, the outcome is an agreement at {agree} "
        "of them, a stalemate at {stall} and war at {war}.",
        cert,
        "negotiate.sweeps.sweep",
        n=Num(Fraction(regime.size), 0),
        x=Code(regime.x),
        y=Code(regime.y),
        agree=Num(Fraction(shares.get("agreement", 0)), 0),
        stall=Num(Fraction(shares.get("stalemate", 0)), 0),
        war=Num(Fraction(shares.get("war", 0)), 0),
    )
    return [
        Paragraph((fid,)),
        Figure("regime", f"Regime map over {regime.x} and {regime.y}, baseline marked", (fid,)),
    ]
