"""Findings of the section "What happens"."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from negotiate.reports.builder import (
    CONCEPT,
    OUTCOME_PHRASE,
    VERB,
    Builder,
    all_ok,
    fmt_exact,
    fmt_threshold,
    fmt_utility,
)
from negotiate.reports.findings import Code, Paragraph

__all__ = ["what_happens"]


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
            if st.no_deal is not None
            else "."
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
            war=fmt_utility(war_p),
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
                u1=fmt_utility(r.utilities[p1]),
                u2=fmt_utility(r.utilities[p2]),
                d1=fmt_utility(st.disagreement[0]),
                d2=fmt_utility(st.disagreement[1]),
            )
        )
    else:
        short = [c for c in r.constraints if not c.holds and c.slack is not None]
        short.sort(key=lambda c: c.slack)
        if not all(c.holds for c in r.constraints if c.kind == "red_line"):
            ids.append(_red_lines_gap(b))
        elif short:
            c = short[0]
            who = c.name.split(":", 1)[1]
            tpl = {
                "participation": "The widest gap: {who}'s participation constraint fails by {gap}.",
                "ratification": "The widest gap: no deal the other side accepts reaches "
                "{who}'s ratification floor; it falls short by {gap}.",
            }.get(c.kind, "The widest gap: the condition {who} fails by {gap}.")
            cert = (
                b.participation_cert()
                if c.kind in ("participation", "ratification")
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
                    who=who if c.kind != "condition" else Code(who),
                    gap=fmt_utility(-c.slack),
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
                war=fmt_utility(war_p),
            )
        )
    way = _way_out(b)
    if way is not None:
        ids.append(way)
    if st.kappa is not None and st.kappa < 1 and len(ids) < 5:
        ids.append(
            b.add(
                "what.kappa",
                st.kappa,
                "{who} values each reversible concession at {kappa} of its face value, for "
                "fear that it is taken back.",
                b.check.kappa(),
                "PointState.kappa",
                who=b.scenario.commitment.beneficiary,
                kappa=fmt_utility(st.kappa),
            )
        )
    b.section("what", "What happens?", [Paragraph(tuple(ids), style="prose")])


def _way_out(b: Builder) -> str | None:
    r = b.result
    from negotiate.reports.what_would_change import category

    tips = list(r.tipping_points.values())
    if r.outcome != "agreement":
        tips = [tp for tp in tips if tp.outcome_after == "agreement"]
    policy = set(getattr(b.scenario, "policy_levers", ()))
    design = (
        [tp for tp in tips if tp.parameter in policy]
        if policy
        else [tp for tp in tips if category(b, tp.parameter) != "other"]
    )
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
            thr=fmt_threshold(tp.threshold),
            base=fmt_exact(tp.baseline),
            after=OUTCOME_PHRASE[tp.outcome_after],
            kind=("policy " if policy else "design ") if design else "",
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


def _red_lines_gap(b: Any) -> str:
    """No combination of discrete options lies within both sides' red lines."""
    from negotiate.results import Certificate

    st = b.result.state
    again = any(o.admissible for o in st.options or ())
    cert = Certificate(
        ok=not again,
        quantities={"admissible": again},
        exact=True,
        checks=("no option combination acceptable to both sides, re-derived from the red lines",),
    )
    blocked = "; ".join(
        f"{option}: {', '.join(who)}"
        for by in (b.result.red_lines or {}).values()
        for option, who in by.items()
        if who
    )
    return b.add(
        "what.gap",
        False,
        "The widest gap: the red lines leave no option that both sides accept (excluded by "
        "{blocked}).",
        cert,
        "ScenarioResult.red_lines",
        blocked=blocked,
    )
