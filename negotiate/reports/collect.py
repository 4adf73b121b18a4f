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
    Code,
    Finding,
    Findings,
    Note,
    Num,
    Paragraph,
    Section,
    TableBlock,
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


# ---------------------------------------------------------------------- what happens
def what_happens(b: Builder) -> None:
    r, st = b.result, b.result.state
    p1, p2 = b.players
    outcome_cert = b.check.outcome(r.parameters, r.outcome)
    slacks = [c for c in r.constraints if c.kind == "participation"]
    zone = bool(slacks) and all(c.holds for c in slacks)
    failed_conditions = [
        c.name.split(":", 1)[1] for c in r.constraints if c.kind == "condition" and not c.holds
    ]
    war_p = st.no_deal.war_probability if st.no_deal is not None else Fraction(0)
    ids = []
    if r.outcome == "agreement":
        if slacks:
            tpl = (
                "The model predicts an agreement: a deal gives both {p1} and {p2} more "
                "than their disagreement values."
            )
        else:
            tpl = (
                "The model predicts an agreement: the no-deal game's equilibrium path "
                "plays an agreement action ({actions})."
            )
    elif slacks and zone:
        tpl = (
            "The model predicts {outcome}: deals exist that both {p1} and {p2} prefer to no "
            "deal, but the conditions {conditions} fail."
        )
    elif slacks:
        tpl = (
            "The model predicts {outcome}: no deal gives both {p1} and {p2} more than "
            "their disagreement values"
        )
        tpl += (
            ", and if the talks fail a war action is played with probability {war}."
            if r.outcome == "war"
            else ", and if the talks fail neither side goes to war."
        )
    elif r.outcome == "war":
        tpl = (
            "The model predicts war: a war action is played with probability {war} on the "
            "equilibrium path of the no-deal game."
        )
    else:
        tpl = (
            "The model predicts a stalemate: the no-deal game ends without an agreement "
            "action and without war."
        )
    actions = tuple(Code(a) for a in b.scenario.agreement_actions)
    ids.append(
        b.add(
            "what.outcome",
            r.outcome,
            tpl,
            outcome_cert,
            "ScenarioResult.outcome",
            outcome=OUTCOME_PHRASE[r.outcome],
            p1=p1,
            p2=p2,
            war=u(war_p),
            conditions=tuple(Code(c) for c in failed_conditions),
            actions=actions,
        )
    )
    if r.deal is not None and r.utilities is not None:
        ids.append(
            b.add(
                "what.deal",
                dict(r.utilities),
                "The deal (the {concept}) gives {p1} {u1} and {p2} {u2}, against disagreement "
                "values {d1} and {d2}.",
                b.check.solution(r.solution),
                "ScenarioResult.utilities",
                concept=CONCEPT[r.solution.concept],
                p1=p1,
                p2=p2,
                u1=u(r.utilities[p1]),
                u2=u(r.utilities[p2]),
                d1=u(st.disagreement[0]),
                d2=u(st.disagreement[1]),
            )
        )
    else:
        short = [c for c in r.constraints if not c.holds and c.slack is not None]
        short.sort(key=lambda c: c.slack)
        if short:
            c = short[0]
            who = c.name.split(":", 1)[1]
            tpl = (
                "The widest gap: {who}'s participation constraint fails by {gap}."
                if c.kind == "participation"
                else "The widest gap: the condition {who} fails by {gap}."
            )
            cert = (
                b.participation_cert()
                if c.kind == "participation"
                else b.check.truth(
                    next(x.holds for x in b.scenario.conditions if x.name == who), False
                )
            )
            ids.append(
                b.add(
                    "what.gap",
                    -c.slack,
                    tpl,
                    cert,
                    f"ScenarioResult.constraints[{c.name}]",
                    who=who if c.kind == "participation" else Code(who),
                    gap=u(-c.slack),
                )
            )
    if st.no_deal is not None:
        ids.append(
            b.add(
                "what.no_deal",
                list(st.no_deal.path),
                "If the talks fail, play follows {path}, and a war action is played with "
                "probability {war}.",
                b.check.no_deal(),
                "PointState.no_deal",
                path=Code(" → ".join(st.no_deal.path)),
                war=u(war_p),
            )
        )
    way = _way_out(b)
    if way is not None:
        ids.append(way)
    if st.kappa is not None and len(ids) < 5:
        ids.append(
            b.add(
                "what.kappa",
                st.kappa,
                "{who} values each reversible concession at {kappa} of its face value, for "
                "fear that it is taken back.",
                b.check.kappa(),
                "PointState.kappa",
                who=b.scenario.commitment.beneficiary,
                kappa=u(st.kappa),
            )
        )
    b.section("what", "What happens", [Paragraph(tuple(ids), style="prose")])


def _way_out(b: Builder) -> str | None:
    r = b.result
    from negotiate.reports.collect_change import category

    tips = list(r.tipping_points.values())
    if r.outcome != "agreement":
        tips = [tp for tp in tips if tp.outcome_after == "agreement"]
    design = [tp for tp in tips if category(b, tp.parameter) != "other"]
    tips = design or tips
    if tips:

        def dist(tp: Any) -> Fraction:
            lo, hi = b.scenario.parameters[tp.parameter].domain
            return abs(tp.threshold - tp.baseline) / (hi - lo)

        tp = min(tips, key=dist)
        tpl = (
            "The nearest single {kind}change that brings an agreement: {lever} {verb} {thr} "
            "(now {base}; "
            "nearest relative to the width of its domain)."
            if r.outcome != "agreement"
            else "The agreement gives way to {after} if {lever} {verb} {thr} (now {base})."
        )
        return b.add(
            "what.way_out",
            tp.threshold,
            tpl,
            b.check.tipping(tp),
            f"ScenarioResult.tipping_points[{tp.parameter}]",
            lever=Code(tp.parameter),
            verb=VERB[tp.direction],
            thr=t(tp.threshold),
            base=e(tp.baseline),
            after=OUTCOME_PHRASE[tp.outcome_after],
            kind="design " if design else "",
        )
    if r.outcome != "agreement":
        fixes = [c for c in b.cf.structural if c.point.outcome == "agreement"]
        if fixes:
            cert = all_ok(*(b.check.point_structural(c.point) for c in fixes[:1]))
            return b.add(
                "what.way_out",
                fixes[0].name,
                "No lever alone brings an agreement; it would come if {change}.",
                cert,
                "Counterfactuals.structural",
                change=fixes[0].description,
            )
    return None


# ---------------------------------------------------------------------- why
def why(b: Builder) -> None:
    r, st = b.result, b.result.state
    _p1, _p2 = b.players
    order = list(r.binding_constraints) + [
        c.name for c in r.constraints if c.name not in r.binding_constraints
    ]
    by_name = {c.name: c for c in r.constraints}
    ideal = _ideal(b)
    ids = []
    for name in order:
        c = by_name[name]
        kind, who = c.name.split(":", 1)
        fid = f"why.{kind}.{slug(who)}"
        source = f"ScenarioResult.constraints[{c.name}]"
        if kind == "participation":
            i = b.players.index(who)
            other = b.players[1 - i]
            d_i, d_j = st.disagreement[i], st.disagreement[1 - i]
            fields = dict(
                who=who, other=other, gap=u(abs(c.slack)), best=u(d_i + c.slack), d=u(d_i)
            )
            if ideal is not None and ideal[1 - i] < d_j:
                tpl = (
                    "{who}'s participation constraint fails by {gap}: {other} prefers no deal "
                    "to every deal (its best is {top}, against {dj}), and at {other}'s best deal "
                    "{who} gets {best}, against {d}."
                )
                fields |= dict(top=u(ideal[1 - i]), dj=u(d_j))
            elif c.holds:
                tpl = (
                    "{who}'s participation constraint holds: the best deal {other} accepts "
                    "gives {who} {best}, {gap} above its disagreement value {d}."
                )
            else:
                tpl = (
                    "{who}'s participation constraint fails by {gap}: the best deal {other} "
                    "accepts gives {who} {best}, against its disagreement value {d}."
                )
            ids.append(b.add(fid, c.slack, tpl, b.participation_cert(), source, **fields))
        elif kind == "ratification":
            i = b.players.index(who)
            floor, nd = st.floors[i], st.no_deal_point[i]
            tpl = (
                "{who}'s ratification floor {floor} is above its no-deal value {nd}: it "
                "raises {who}'s disagreement value by {gap}."
                if c.slack < 0
                else "{who}'s ratification floor {floor} does not bind: its no-deal value {nd} "
                "is higher by {gap}."
            )
            cert = b.check.expression(b.scenario.floors[who], floor, f"domestic.floor.{who}")
            ids.append(
                b.add(
                    fid,
                    c.slack,
                    tpl,
                    cert,
                    source,
                    who=who,
                    floor=u(floor),
                    nd=u(nd),
                    gap=u(abs(c.slack)),
                )
            )
        else:
            cond = next(x for x in b.scenario.conditions if x.name == who)
            if c.slack is None:
                tpl = "The condition {name} {verb}: {meaning}"
            else:
                tpl = "The condition {name} {verb} by a margin of {gap}: {meaning}"
            verb = "holds" if c.holds else "fails"
            ids.append(
                b.add(
                    fid,
                    c.slack,
                    tpl,
                    b.check.truth(cond.holds, c.holds),
                    source,
                    name=Code(who),
                    verb=verb,
                    gap=u(abs(c.slack or 0)),
                    meaning=cond.meaning or str(cond.holds),
                )
            )
    blocks: list[Block] = [Paragraph(tuple(ids))] if ids else []
    if not ids and st.no_deal is not None:
        from negotiate.reports.collect_fail import on_path_findings

        blocks.append(
            Note(
                "No bargaining layer: the no-deal game settles the outcome, by "
                "these choices on its equilibrium path."
            )
        )
        blocks.append(Paragraph(on_path_findings(b)))
    blocks += _discount(b)
    cf_ids = []
    for change in b.cf.structural:
        if change.name.startswith("irreversible:"):
            continue
        cf_ids.append(structural_finding(b, change))
    restoring = b.cf.restoring()
    if r.outcome != "agreement":
        n = len(b.cf.levers) + len(b.cf.structural)
        certs = [
            b.check.point(e.reaches("agreement"))
            for e in b.cf.levers
            if e.reaches("agreement") is not None
        ]
        certs += [
            b.check.point_structural(c.point)
            for c in b.cf.structural
            if c.point.outcome == "agreement"
        ]
        cf_ids.append(
            b.add(
                "why.restoring",
                list(restoring),
                "Of the {n} single changes examined (each lever over its domain, each layer "
                "switched off), {k} bring an agreement: {names}."
                if restoring
                else "None of the {n} single changes examined (each lever over its domain, each "
                "layer switched off) brings an agreement.",
                all_ok(*certs) if certs else b.check.outcome(r.parameters, r.outcome),
                "Counterfactuals.restoring",
                n=Num(Fraction(n), 0),
                k=Num(Fraction(len(restoring)), 0),
                names=tuple(Code(x) for x in restoring),
            )
        )
    if cf_ids:
        blocks.append(Paragraph(tuple(cf_ids)))
    b.section("why", "Why", blocks)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _ideal(b: Builder) -> tuple[Fraction, Fraction] | None:
    for view in b.cf.spaces:
        if view.name == "discounted":
            ideal = view.problem.polytope.ideal
            return (ideal[0], ideal[1])
    return None


def structural_finding(b: Builder, change: Any) -> str:
    p1, p2 = b.players
    pt = change.point
    verdict = (
        "a zone of agreement opens and the outcome is {outcome}"
        if change.restores_zone
        else "still no zone of agreement (the outcome is {outcome})"
    )
    return b.add(
        f"why.change.{slug(change.name)}",
        pt.outcome,
        "If {what}, the participation slacks would be {s1} for {p1} and {s2} for {p2}; "
        + verdict
        + ".",
        b.check.point_structural(pt),
        f"Counterfactuals.structural[{change.name}]",
        what=change.description,
        p1=p1,
        p2=p2,
        s1=Num(pt.slacks[0], 3, signed=True),
        s2=Num(pt.slacks[1], 3, signed=True),
        outcome=OUTCOME_PHRASE[pt.outcome],
    )


def _discount(b: Builder) -> list[Block]:
    from negotiate.expr import substitute
    from negotiate.scenario.counterfactual import discount_loss

    st, sc = b.result.state, b.scenario
    if st.kappa is None:
        return []
    c = sc.commitment
    delta = substitute(c.patience, st.values)
    hazard = substitute(c.hazard, st.values)
    g = substitute(c.guarantee, st.values)
    kid = b.add(
        "why.kappa",
        st.kappa,
        "The credibility discount is κ = {kappa}: with patience {delta}, a reneging hazard of "
        "{hazard} per round and a guarantee of {g} (effective hazard {rho}), {who} values a "
        "reversible concession at {kappa} of its face value (MODELS.md M6).",
        b.check.kappa(),
        "PointState.kappa",
        kappa=u(st.kappa),
        delta=u(delta),
        hazard=u(hazard),
        g=u(g),
        rho=u(st.rho_eff),
        who=c.beneficiary,
    )
    losses = discount_loss(b.result)
    if not losses:
        return [Paragraph((kid,))]
    raw = sum((x.raw for x in losses), Fraction(0))
    disc = sum((x.discounted for x in losses), Fraction(0))
    removed = raw - disc
    again = sum((x.raw * x.reversible * (1 - st.kappa) for x in losses), Fraction(0))
    cert = all_ok(
        b.check.kappa(),
        Certificate(
            ok=again == removed,
            quantities={"removed": again},
            exact=True,
            checks=(
                "removed value re-derived as the sum over issues of raw weight times reversible "
                "share times the complement of kappa",
            ),
        ),
    )
    lid = b.add(
        "why.discount",
        removed,
        "The discount removes {removed} of {who}'s value of the reversible concessions "
        "({issues}): {raw} at face value, {disc} once discounted.",
        cert,
        "PointState.raw_weights - PointState.weights",
        removed=u(removed),
        who=c.beneficiary,
        issues=tuple(Code(x.issue) for x in losses),
        raw=u(raw),
        disc=u(disc),
    )
    rows = []
    for x in losses:
        ok = x.discounted == x.raw * (1 - x.reversible * (1 - st.kappa))
        rows.append(
            b.add(
                f"why.loss.{slug(x.issue)}",
                x.removed,
                "{issue}: {raw} at face value, {disc} discounted ({removed} removed; "
                "reversible share {rev}).",
                Certificate(
                    ok=ok,
                    quantities={"discounted": x.discounted},
                    exact=True,
                    checks=(
                        "discounted weight re-derived from raw weight, reversible share and kappa",
                    ),
                ),
                f"PointState.weights[{x.issue}]",
                issue=Code(x.issue),
                raw=u(x.raw),
                disc=u(x.discounted),
                removed=u(x.removed),
                rev=e(x.reversible),
            )
        )
    table = TableBlock(
        f"What the credibility discount removes from {c.beneficiary}'s valuations",
        ("issue", "face value", "discounted", "removed", "reversible share"),
        ("issue", "raw", "disc", "removed", "rev"),
        tuple(rows),
    )
    return [Paragraph((kid, lid)), table]


# ---------------------------------------------------------------------- assembly
def collect(result: Any, counterfactuals: Any, regime: Any = None) -> Findings:
    """The findings of ``result`` (a :class:`ScenarioResult`) and its counterfactuals."""
    from negotiate.reports.collect_change import bargaining_space, what_would_change
    from negotiate.reports.collect_fail import appendix, claims, if_talks_fail

    if counterfactuals.result is not result:
        raise ModelError("counterfactuals", None, "were computed for another result")
    b = Builder(result, counterfactuals)
    what_happens(b)
    why(b)
    what_would_change(b, regime)
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
