"""Findings of the section "The bargaining space"."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from negotiate.reports.builder import (
    Builder,
    all_ok,
    fmt_exact,
    fmt_utility,
    slug,
)
from negotiate.reports.findings import Block, Code, Figure, Note, Paragraph, TableBlock
from negotiate.results import Certificate

__all__ = ["bargaining_space"]


# ---------------------------------------------------------------------- the bargaining space
def bargaining_space(b: Builder) -> None:
    st, sc = b.result.state, b.scenario
    p1, p2 = b.players
    blocks: list[Block] = []
    if not b.cf.spaces:
        blocks.append(Note("This scenario has no bargaining layer: the no-deal game decides."))
        b.section("space", "The bargaining space", blocks)
        return
    if sc.issues:
        k = sc.players.index(sc.commitment.beneficiary) if sc.commitment else None
        rows = []
        for issue in sc.issues:
            raw, disc = st.raw_weights[issue.name], st.weights[issue.name]
            certs = [
                b.check.expression(issue.weights[p], raw[i], f"issues.{issue.name}.weights.{p}")
                for i, p in enumerate(sc.players)
            ]
            rows.append(
                b.add(
                    f"space.issue.{slug(issue.name)}",
                    {"raw": raw, "discounted": disc},
                    "{issue} ({meaning}): weight {w1} for {p1} ({disc} after the credibility "
                    "discount) and {w2} for {p2}; reversible share {rev}.",
                    all_ok(*certs),
                    f"PointState.raw_weights[{issue.name}]",
                    issue=Code(issue.name),
                    meaning=issue.meaning,
                    p1=p1,
                    p2=p2,
                    w1=fmt_utility(raw[0]),
                    w2=fmt_utility(raw[1]),
                    rev=fmt_exact(st.reversibility[issue.name]),
                    disc=fmt_utility(disc[k]) if k is not None else fmt_utility(raw[0]),
                )
            )
        who = sc.commitment.beneficiary if sc.commitment else p1
        blocks.append(
            TableBlock(
                "Issues and valuations",
                (
                    "issue",
                    "meaning",
                    f"{p1} weight",
                    f"{p2} weight",
                    "reversible share",
                    f"{who} weight, discounted",
                ),
                ("issue", "meaning", "w1", "w2", "rev", "disc"),
                tuple(rows),
                collapsed=True,
            )
        )
    d_cert = _d_cert(b)
    did = b.add(
        "space.d",
        st.disagreement,
        _d_template(b),
        d_cert,
        "PointState.disagreement",
        d1=fmt_utility(st.disagreement[0]),
        d2=fmt_utility(st.disagreement[1]),
        n1=fmt_utility(st.no_deal_point[0]),
        n2=fmt_utility(st.no_deal_point[1]),
        f1=fmt_utility(st.floors[0]),
        f2=fmt_utility(st.floors[1]),
    )
    ids = [did]
    for view in b.cf.spaces:
        ids += _view(b, view)
    blocks.append(Paragraph(tuple(ids)))
    blocks.append(
        Figure(
            "frontier",
            (
                "The Pareto frontier with and without the credibility discount"
                if len(b.cf.spaces) > 1
                else "The Pareto frontier"
            )
            + ", the disagreement point d and the Nash and Kalai-Smorodinsky points",
            tuple(ids),
        )
    )
    b.section("space", "The bargaining space", blocks)


def _d_template(b: Builder) -> str:
    head = "The disagreement point is d = ({d1}, {d2})"
    source = (
        "the values given in the scenario file"
        if b.scenario.disagreement is not None
        else "the no-deal values of the deterrence game"
    )
    if b.scenario.floors:
        return (
            head + ": " + source + " ({n1}, {n2}). The ratification floors ({f1}, {f2}) "
            "constrain the deal (each side's utility must reach its floor); they do not move d."
        )
    return head + ": " + source + "."


def _d_cert(b: Builder) -> Certificate:
    st = b.result.state
    again = tuple(st.no_deal_point)
    ok = again == tuple(st.disagreement)
    certs = [
        Certificate(
            ok=ok,
            quantities={"d": again},
            exact=True,
            checks=("d re-derived as the no-deal value",),
        )
    ]
    if st.no_deal is not None and b.scenario.disagreement is None:
        certs.append(b.check.no_deal())
    return all_ok(*certs)


VIEW_LABEL = {
    "discounted": "With the credibility discount",
    "face_value": "At face value (no credibility discount)",
}


def _view(b: Builder, view: Any) -> list[str]:
    p1, p2 = b.players
    poly = view.problem.polytope
    pareto = poly.pareto
    label = VIEW_LABEL[view.name] if b.result.state.kappa is not None else "On the feasible set"
    ideal = poly.ideal
    weights = b.result.state.weights if view.name == "discounted" else b.result.state.raw_weights
    again = (
        tuple(sum((w[i] for w in weights.values()), Fraction(0)) for i in (0, 1))
        if b.scenario.issues
        else tuple(max(p[i] for p in b.result.state.points) for i in (0, 1))
    )
    cert = Certificate(
        ok=again == tuple(ideal),
        quantities={"ideal": again},
        exact=True,
        checks=("ideal point re-derived from the weights or outcome points",),
    )
    out = [
        b.add(
            f"space.frontier.{view.name}",
            [tuple(p) for p in pareto],
            "{label}, the Pareto frontier runs from ({a1}, {a2}) to ({z1}, {z2}); the best "
            "possible deal is worth {i1} to {p1} and {i2} to {p2}.",
            cert,
            f"BargainingView[{view.name}].problem",
            label=label,
            a1=fmt_utility(pareto[0][0]),
            a2=fmt_utility(pareto[0][1]),
            z1=fmt_utility(pareto[-1][0]),
            z2=fmt_utility(pareto[-1][1]),
            i1=fmt_utility(ideal[0]),
            i2=fmt_utility(ideal[1]),
            p1=p1,
            p2=p2,
        )
    ]
    for key, sol, name in (
        ("nash", view.nash, "Nash"),
        ("ks", view.kalai_smorodinsky, "Kalai-Smorodinsky"),
    ):
        short = {"discounted": "discounted valuations", "face_value": "face-value valuations"}
        if b.result.state.kappa is None:
            short = {"discounted": "the analysed problem"}
        fields: dict[str, Any] = dict(name=name, label=short[view.name], p1=p1, p2=p2)
        if sol.agreement:
            tpl = "{name} solution ({label}): {p1} {u1}, {p2} {u2}."
            fields |= dict(u1=fmt_utility(sol.utilities[0]), u2=fmt_utility(sol.utilities[1]))
        else:
            tpl = (
                "{name} solution ({label}): no agreement, as no feasible deal gives both "
                "sides more than d."
            )
        out.append(
            b.add(
                f"space.{key}.{view.name}",
                tuple(sol.utilities) if sol.agreement else None,
                tpl,
                b.check.solution(sol),
                f"BargainingView[{view.name}].{key}",
                **fields,
            )
        )
    return out
