"""Findings of the section "What are the threats worth?": the no-deal game, its path and
every threat."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import sympy as sp

from negotiate.reports.builder import Builder, all_ok, fmt_utility, slug
from negotiate.reports.findings import (
    Block,
    Code,
    Figure,
    Note,
    Num,
    Paragraph,
    TableBlock,
)

__all__ = [
    "condition_text",
    "if_talks_fail",
    "node_label",
    "on_path_findings",
    "readable",
    "threat_words",
]


def condition_text(expr: sp.Expr) -> str:
    """``expr >= 0`` written with positive terms on the left: ``a - b - c >= 0`` becomes
    ``a >= b + c``."""
    terms = sp.Add.make_args(sp.expand(expr))
    pos = [x for x in terms if not x.could_extract_minus_sign()]
    neg = [-x for x in terms if x.could_extract_minus_sign()]
    lhs = sp.factor_terms(sp.Add(*pos)) if pos else sp.Integer(0)
    rhs = sp.factor_terms(sp.Add(*neg)) if neg else sp.Integer(0)
    return readable(f"{sp.sstr(lhs)} >= {sp.sstr(rhs)}")


def readable(text: str) -> str:
    """Maths as a reader writes it: ``·`` for products, ``≥``/``≤``, spaced operators."""
    out = text.replace("**", "^").replace(">=", "≥").replace("<=", "≤").replace("*", "·")
    return out


def node_label(path: tuple[str, ...]) -> Code | str:
    return Code(" → ".join(path)) if path else "the root"


def _groups(threats: tuple[Any, ...]) -> list[list[Any]]:
    """Threat checks grouped by node; nodes with the same mover, choice and margins merged."""
    by_node: dict[tuple[str, ...], list[Any]] = {}
    for t in threats:
        by_node.setdefault(t.node, []).append(t)
    merged: dict[Any, list[list[Any]]] = {}
    for checks in by_node.values():
        key = tuple((c.player, c.action, c.chosen, c.margin, str(c.condition)) for c in checks)
        merged.setdefault(key, []).append(checks)
    return [[*groups[0], *(c for g in groups[1:] for c in g)] for groups in merged.values()]


def if_talks_fail(b: Builder) -> None:
    st, sc = b.result.state, b.scenario
    p1, p2 = b.players
    if st.no_deal is None:
        b.section(
            "fail",
            "What are the threats worth?",
            [
                Note(
                    "This scenario has no no-deal game: its disagreement point is given in "
                    "the file."
                )
            ],
        )
        return
    nd = st.no_deal
    ids = [
        b.add(
            "fail.path",
            {
                "path": list(nd.path),
                # node paths stay lists of labels: a label may itself contain "/"
                "strategy": [{"node": list(k), "action": v} for k, v in nd.strategy.items()],
            },
            "If the talks fail, play follows {path}: {p1} gets {v1} and {p2} gets {v2}, and a war "
            "action ({wars}) is played with probability {war}.",
            b.check.no_deal(),
            "PointState.no_deal",
            path=node_label(nd.path),
            p1=p1,
            p2=p2,
            v1=fmt_utility(nd.values[p1]),
            v2=fmt_utility(nd.values[p2]),
            wars=tuple(Code(a) for a in sc.war_actions) or "none declared",
            war=fmt_utility(nd.war_probability),
        )
    ]
    if nd.n_equilibria > 1:
        ids.append(
            b.add(
                "fail.equilibria",
                nd.n_equilibria,
                "The no-deal game has {n} subgame-perfect equilibria; this report follows "
                "the first.",
                b.check.no_deal(),
                "NoDeal.n_equilibria",
                n=Num(Fraction(nd.n_equilibria), 0),
            )
        )
    blocks: list[Block] = [Paragraph(tuple(ids))]
    words = threat_words(b)
    if words:
        blocks.append(Paragraph(words))
        blocks.append(
            Note(
                "A threat the model finds not credible may still have been carried out in the "
                "past (the scenario's sources may record it): at the file's values the costs "
                "of carrying it out outweigh its gains, so either those values or the one-shot "
                "reading of the event differ from what the actors believed at the time."
            )
        )
    blocks.append(
        Figure("tree", "The no-deal game, the subgame-perfect path highlighted", ("fail.path",))
    )
    node_ids, rows = [], []
    row_of: dict[tuple[tuple[str, ...], str], str] = {}
    for group in _groups(b.cf.threats):
        first = [c for c in group if c.node == group[0].node]
        others = sorted({c.node for c in group} - {group[0].node})
        if len(first) > 1:
            node_ids.append(_node_finding(b, first, others))
        for c in first:
            if not c.credible:
                rows.append(_threat_row(b, c, others))
                row_of |= {(node, c.action): rows[-1] for node in [c.node, *others]}
    discussed = tuple(
        dict.fromkeys(
            row_of[(c.path, c.action)]
            for c in sc.claims
            if c.holds is None and (c.path, c.action) in row_of
        )
    )
    if node_ids:
        blocks.append(
            TableBlock(
                "Who does what at each decision (the action played, its worth to the mover, "
                "and how much less the next best gives)",
                ("decision", "where", "player", "plays", "worth", "next best", "less by"),
                ("node", "where", "player", "chosen", "v", "alt", "gap"),
                tuple(node_ids),
                collapsed=True,
            )
        )
    if discussed:
        blocks.append(Note("The threats the source text discusses:"))
        blocks.append(Paragraph(discussed))
    if rows:
        blocks.append(
            TableBlock(
                "The credibility of each threat: the mover's payoff from the action against the "
                "action played (the play below unchanged)",
                ("node", "player", "action", "margin", "credible if"),
                ("node", "player", "action", "margin", "condition"),
                tuple(rows),
                collapsed=True,
            )
        )
    b.section("fail", "What are the threats worth?", blocks)


def threat_words(b: Builder) -> tuple[str, ...]:
    """Each war action, at the decisions reached with at most one deviation, in words:
    credible because it beats the next best by a margin, or not credible and what would make
    it so (its condition)."""
    war = set(b.scenario.war_actions)
    out: list[str] = []
    seen: set[tuple[str, bool]] = set()
    for c in sorted(b.cf.threats, key=lambda t: (t.deviations, len(t.node))):
        if c.action not in war or c.deviations > 1 or (c.action, c.deviations == 0) in seen:
            continue
        if c.deviations and not c.credible:  # off the path, only the threats carried out
            continue
        seen.add((c.action, c.deviations == 0))
        at = node_label(c.node)
        fields: dict[str, Any] = dict(
            action=Code(c.action), player=c.player, node=at, chosen=Code(c.chosen)
        )
        if c.credible:
            rivals = [
                t
                for t in b.cf.threats
                if t.node == c.node and t.player == c.player and not t.credible
            ]
            if not rivals:
                continue
            best = max(rivals, key=lambda t: t.margin)
            tpl = (
                "At {node}, {action} by {player} is credible because it gives {player} {gap} "
                "more than the next best, {alt}: {player} would carry it out."
            )
            fields |= dict(alt=Code(best.action), gap=fmt_utility(-best.margin))
            cert = all_ok(b.check.threat(c), b.check.threat(best))
        else:
            tpl = (
                "At {node}, {action} by {player} is not credible: it gives {player} {gap} less "
                "than {chosen}; it would become credible only if {condition}."
            )
            fields |= dict(gap=fmt_utility(-c.margin), condition=Code(condition_text(c.condition)))
            cert = b.check.threat(c)
        out.append(
            b.add(
                f"fail.words.{slug('_'.join(c.node) or 'root')}.{slug(c.action)}",
                c.margin,
                tpl,
                cert,
                f"Counterfactuals.threats[{'/'.join(c.node)}:{c.action}]",
                **fields,
            )
        )
    return tuple(out)


def on_path_findings(b: Builder) -> tuple[str, ...]:
    """Sentences for the decisions on the equilibrium path of the no-deal game."""
    out = []
    for group in _groups(b.cf.threats):
        first = [c for c in group if c.node == group[0].node]
        others = sorted({c.node for c in group} - {group[0].node})
        if len(first) > 1 and first[0].deviations == 0:
            out.append(_node_finding(b, first, others))
    return tuple(out)


def _node_finding(b: Builder, checks: list[Any], others: list[tuple[str, ...]]) -> str:
    played = next(c for c in checks if c.credible)
    alts = sorted((c for c in checks if not c.credible), key=lambda c: -c.margin)
    best = alts[0]
    fields: dict[str, Any] = dict(
        node=node_label(played.node),
        player=played.player,
        chosen=Code(played.chosen),
        v=fmt_utility(played.value),
        alt=Code(best.action),
        gap=fmt_utility(-best.margin),
        where="on the equilibrium path" if played.deviations == 0 else "off the equilibrium path",
        k=Num(Fraction(len(others)), 0),
    )
    tpl = "At {node} ({where}), {player} plays {chosen}, worth {v} to it; "
    tpl += (
        "the next best, {alt}, ties with it and the tie-break order picks {chosen}"
        if best.margin == 0
        else "the next best, {alt}, gives {gap} less"
    )
    tpl += " (the same at {k} similar nodes)." if others else "."
    fid = f"fail.node.{slug('_'.join(played.node) or 'root')}"
    if b.has(fid):
        return fid
    return b.add(
        fid,
        {"played": played.chosen, "value": played.value},
        tpl,
        all_ok(*(b.check.threat(c) for c in checks)),
        f"Counterfactuals.threats[{'/'.join(played.node)}]",
        **fields,
    )


def _threat_row(b: Builder, c: Any, others: list[tuple[str, ...]]) -> str:
    node = " → ".join(c.node) or "the root"
    if others:
        node += f" (and {len(others)} similar)"
    answer = b.result.state.no_deal.strategy.get((*c.node, c.action))
    tpl = "{action} at {node}: {player} would get {gap} {less} than from {chosen}"
    tpl += ", once answered by {answer}" if answer is not None else ""
    return b.add(
        f"fail.threat.{slug('_'.join(c.node) or 'root')}.{slug(c.action)}",
        c.margin,
        tpl + "; it would be played only if {condition}.",
        b.check.threat(c),
        f"Counterfactuals.threats[{'/'.join(c.node)}:{c.action}]",
        action=Code(c.action),
        node=Code(node) if c.node else node,
        player=c.player,
        gap=fmt_utility(abs(c.margin)),
        less="less" if c.margin <= 0 else "more",
        chosen=Code(c.chosen),
        margin=Num(c.margin, 3, signed=True),
        condition=Code(condition_text(c.condition)),
        answer=Code(answer or ""),
    )
