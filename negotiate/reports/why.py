"""Findings of the section "Why": the binding constraints, the credibility discount and
the decomposition into single changes."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from negotiate.reports.builder import (
    OUTCOME_PHRASE,
    Builder,
    all_ok,
    fmt_exact,
    fmt_utility,
    slug,
)
from negotiate.reports.findings import Block, Code, Note, Num, Paragraph, TableBlock
from negotiate.reports.if_talks_fail import readable
from negotiate.results import Certificate

__all__ = ["structural_finding", "why"]


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
                who=who,
                other=other,
                gap=fmt_utility(abs(c.slack)),
                best=fmt_utility(d_i + c.slack),
                d=fmt_utility(d_i),
            )
            if ideal is not None and ideal[1 - i] < d_j:
                tpl = (
                    "{who}'s participation constraint fails by {gap}: {other} prefers no deal "
                    "to every deal (its best is {top}, against {dj}), and at {other}'s best deal "
                    "{who} gets {best}, against {d}."
                )
                fields |= dict(top=fmt_utility(ideal[1 - i]), dj=fmt_utility(d_j))
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
                "{who}'s ratification floor {floor} cannot be met: the best deal the other "
                "side accepts falls short of it by {gap} (its no-deal value is {nd})."
                if c.slack < 0
                else "{who}'s ratification floor {floor} can be met: the best deal the other "
                "side accepts clears it by {gap} (its no-deal value is {nd})."
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
                    floor=fmt_utility(floor),
                    nd=fmt_utility(nd),
                    gap=fmt_utility(abs(c.slack)),
                )
            )
        elif kind == "red_lines":
            ids.append(_red_line_finding(b, c, fid, source))
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
                    gap=fmt_utility(abs(c.slack or 0)),
                    meaning=_sentence(cond.meaning or str(cond.holds)),
                )
            )
    blocks: list[Block] = [Paragraph(tuple(ids))] if ids else []
    if not ids and st.no_deal is not None:
        from negotiate.reports.if_talks_fail import on_path_findings

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
    b.section("why", "Why?", blocks)


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
        "{hazard} per round (the scenario's {hexpr}, the risk the history implies, not the "
        "hazard of one type alone) and a guarantee of {g} (effective hazard {rho}), {who} "
        "values a reversible concession at {kappa} of its face value ({cite}).",
        b.check.kappa(),
        "PointState.kappa",
        kappa=fmt_utility(st.kappa),
        delta=fmt_utility(delta),
        hazard=fmt_utility(hazard),
        hexpr=Code(readable(str(c.hazard))),
        cite="Kydd 2005 on trust; Walter 1997 on guarantees",
        g=fmt_utility(g),
        rho=fmt_utility(st.rho_eff),
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
        removed=fmt_utility(removed),
        who=c.beneficiary,
        issues=tuple(Code(x.issue) for x in losses),
        raw=fmt_utility(raw),
        disc=fmt_utility(disc),
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
                raw=fmt_utility(x.raw),
                disc=fmt_utility(x.discounted),
                removed=fmt_utility(x.removed),
                rev=fmt_exact(x.reversible),
            )
        )
    table = TableBlock(
        f"What the credibility discount removes from {c.beneficiary}'s valuations",
        ("issue", "face value", "discounted", "removed", "reversible share"),
        ("issue", "raw", "disc", "removed", "rev"),
        tuple(rows),
        collapsed=True,
    )
    return [Paragraph((kid, lid)), table]


def _red_line_finding(b: Any, c: Any, fid: str, source: str) -> str:
    """The red lines on the discrete issues: which options each side excludes."""
    from negotiate.results import Certificate

    red = b.result.red_lines or {}
    parts = []
    for issue, by in red.items():
        for option, who in by.items():
            if who:
                parts.append(
                    f"{' and '.join(who)} {'exclude' if len(who) > 1 else 'excludes'} "
                    f"{issue} = {option}"
                )
    options = b.result.state.options or ()
    again = any(o.admissible for o in options)
    cert = Certificate(
        ok=again == c.holds,
        quantities={"admissible": again},
        exact=True,
        checks=("an option combination acceptable to both sides re-derived from the red lines",),
    )
    tpl = (
        "The red lines leave an option acceptable to both sides ({detail})."
        if c.holds
        else "The red lines leave no option acceptable to both sides ({detail})."
    )
    return b.add(fid, c.holds, tpl, cert, source, detail="; ".join(parts) or "none crossed")
