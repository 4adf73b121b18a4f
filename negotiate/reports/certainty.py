"""Sections "How sure is this?", "What the model leaves out" and "Glossary".

"How sure is this?" reads an :class:`~negotiate.uncertainty.UncertaintyResult` (outcome
probabilities over the priors, Sobol' indices) and, when the scenario has dated episodes, a
:class:`~negotiate.uncertainty.CalibrationResult` (probabilities under the posterior, the
share of prior draws that reproduces each episode).  Probabilities are counts over draws, so
they are exact fractions of the draws; Sobol' indices are estimates (Saltelli 2002).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from negotiate.reports.builder import Builder, slug
from negotiate.reports.findings import Block, Code, Figure, Note, Num, Paragraph, TableBlock

__all__ = ["glossary", "how_sure", "left_out"]

OUTCOMES = ("agreement", "stalemate", "war")


def _share(x: float) -> Num:
    return Num(Fraction(x).limit_denominator(10**6), 2)


def how_sure(b: Builder, unc: Any = None, cal: Any = None, conflict: Any = None) -> None:
    """Outcome probabilities under the prior (and the posterior), Sobol' bars, episodes;
    ``conflict`` is a calibration that no draw could satisfy (its minimal conflicting set)."""
    blocks: list[Block] = []
    if conflict is not None:
        names = ", ".join("{}" for _ in conflict.conflict)
        blocks.append(
            Note(
                f"No prior draw reproduces the dated episodes {names} together, so the model "
                "as specified cannot reproduce that history and nothing was calibrated: the "
                "probabilities below rest on the priors alone.",
                codes=tuple(conflict.conflict),
            )
        )
    calibrated = [
        n
        for n, p in b.scenario.parameters.items()
        if str(p.source).strip().lower().startswith("calibrated")
    ]
    if calibrated:
        blocks.append(
            Note(
                "Set by calibration, to reproduce what was observed (the appendix gives each "
                "one's source): " + ", ".join(calibrated) + "."
            )
        )
    if unc is None:
        blocks.append(
            Note(
                "The scenario file gives no priors, so the report cannot say how likely each "
                "outcome is; the tipping points under “What would change it?” show how far "
                "each lever must move."
            )
        )
        b.section("sure", "How sure is this?", blocks)
        return
    cert = unc.verify()
    shares = {k: Fraction(int(unc.counts.get(k, 0)), unc.draws) for k in OUTCOMES}
    ids = [
        b.add(
            "sure.prior",
            shares,
            "Drawing the {k} uncertain parameters from their priors ({n} draws), the outcome is "
            "an agreement in {pa} of draws, a stalemate in {ps} and war in {pw}.",
            cert,
            "UncertaintyResult.counts",
            k=Num(Fraction(len(unc.parameters)), 0),
            n=Num(Fraction(unc.draws), 0),
            pa=Num(shares["agreement"], 2),
            ps=Num(shares["stalemate"], 2),
            pw=Num(shares["war"], 2),
        )
    ]
    if cal is not None:
        post = {k: cal.posterior_probabilities.get(k, 0.0) for k in OUTCOMES}
        ids.append(
            b.add(
                "sure.posterior",
                post,
                "Keeping only the draws that reproduce the dated episodes ({m} of them), "
                "the outcome is an agreement in {pa} of draws, a stalemate in {ps} and war "
                "in {pw}.",
                cal.verify(),
                "CalibrationResult.posterior_probabilities",
                m=Num(Fraction(int(cal.consistent)), 0),
                pa=_share(post["agreement"]),
                ps=_share(post["stalemate"]),
                pw=_share(post["war"]),
            )
        )
    blocks.append(Paragraph(tuple(ids)))
    blocks.append(Figure("outcomes", "How likely each outcome is", (ids[-1],)))
    top = sorted(unc.sobol.items(), key=lambda kv: -kv[1]["total"])[:6]
    sob = []
    for name, v in top:
        if v["total"] <= 0:
            continue
        sob.append(
            b.add(
                f"sure.sobol.{slug(name)}",
                {"first": v["first"], "total": v["total"]},
                "{meaning}: {total} of the outcome's variance involves it ({first} alone).",
                cert,
                f"UncertaintyResult.sobol[{name}]",
                name=Code(name),
                meaning=_meaning(b, name),
                total=Num(Fraction(v["total"]).limit_denominator(10**6), 2),
                first=Num(Fraction(max(v["first"], 0.0)).limit_denominator(10**6), 2),
            )
        )
    if sob:
        blocks.append(
            Figure("sobol", "Which uncertain parameters decide the outcome (Sobol')", (sob[0],))
        )
        blocks.append(
            TableBlock(
                "Sobol' indices of the outcome: total and first-order",
                ("parameter", "meaning", "total", "alone"),
                ("name", "meaning", "total", "first"),
                tuple(sob),
                collapsed=True,
            )
        )
    if cal is not None:
        rows = []
        for ep in b.scenario.episodes:
            rows.append(
                b.add(
                    f"sure.episode.{slug(ep.name)}",
                    cal.episode_shares.get(ep.name),
                    "{name} ({date}): observed {observed}; the share of prior draws that "
                    "reproduce it is {share}.",
                    cal.verify(),
                    f"CalibrationResult.episode_shares[{ep.name}]",
                    name=Code(ep.name),
                    date=ep.date,
                    observed=ep.observed,
                    share=_share(cal.episode_shares.get(ep.name, 0.0)),
                )
            )
        blocks.append(
            TableBlock(
                "Dated episodes the model was calibrated to",
                ("episode", "date", "observed", "share of draws reproducing it"),
                ("name", "date", "observed", "share"),
                tuple(rows),
                collapsed=True,
            )
        )
        blocks.append(
            Note(
                "Calibration: the priors were conditioned on the dated episodes above, keeping "
                "only the draws whose predicted outcome matches what was observed at each date."
            )
        )
    b.section("sure", "How sure is this?", blocks)


def _meaning(b: Builder, name: str) -> str:
    p = b.scenario.parameters.get(name)
    text = str(p.meaning).strip() if p is not None and p.meaning else name
    return text[:1].upper() + text[1:]


def _who_bargains(p1: str, p2: str, third: tuple[str, ...]) -> str:
    if not third:
        return (
            f"Only two sides bargain ({p1} and {p2}); other actors appear only through parameters."
        )
    return (
        f"Only two sides bargain ({p1} and {p2}); {' and '.join(third)} "
        f"{'moves' if len(third) == 1 else 'move'} only in the no-deal game, and other actors "
        "appear only through parameters."
    )


def left_out(b: Builder) -> None:
    """What the model does not represent, from the structure of the scenario."""
    sc = b.scenario
    p1, p2 = b.players
    lines = [
        _who_bargains(p1, p2, sc.third_parties),
        "Each side's value of a deal is a weighted sum of the issues, on one common scale; "
        "interactions between issues and domestic politics beyond the ratification floors are "
        "left out.",
    ]
    if sc.commitment is not None:
        lines.append(
            "Trust is one number updated once on the history the scenario cites; later "
            "behaviour does not update it in the model."
        )
    if sc.deterrence is not None:
        lines.append(
            "The no-deal game is played once, with complete information about payoffs; bluffs, "
            "misperception and accidents are outside it."
        )
    lines.append(
        "Parameters marked as assumptions are modelling choices, not estimates; the section "
        "“How sure is this?” shows how much the outcome depends on them."
    )
    b.section("left_out", "What the model leaves out", [Note(t) for t in lines])


GLOSSARY = (
    (
        "Utility scale",
        "every payoff is on one scale from zero to one for each side: one is the deal that "
        "gives that side everything it asks for, zero gives it nothing; no-deal values sit "
        "on the same scale, so a difference between two utilities is a share of a side's "
        "whole agenda.",
    ),
    (
        "Disagreement value",
        "what a side gets if the talks fail: the value of the no-deal game, or a higher floor "
        "that its domestic politics require.",
    ),
    (
        "Participation constraint",
        "a side takes a deal only if it gives it at least its disagreement value; the slack "
        "is by how much the best available deal clears (positive) or misses (negative) that "
        "bar.",
    ),
    (
        "Zone of agreement",
        "the deals both sides prefer to no deal; when it is empty the talks stall.",
    ),
    (
        "Credibility discount (κ)",
        "the share of its face value a side puts on a concession the other side can take back; "
        "it falls as the risk of reneging rises and as the side grows more patient.",
    ),
    (
        "Reneging hazard",
        "the chance, each round, that the other side withdraws a reversible concession.",
    ),
    (
        "Credible threat",
        "an action a side would really carry out when the moment came, because it is then its "
        "best choice; a threat that is not credible does not deter.",
    ),
    (
        "Subgame-perfect",
        "a plan of play in which every move is a best reply at the moment it is made, also at "
        "moments that are not reached.",
    ),
    (
        "Grim trigger",
        "the rule that a broken deal is never restored: cheating once ends the cooperation.",
    ),
    (
        "Tipping point",
        "the value of one parameter, all else fixed, at which the predicted outcome changes.",
    ),
    (
        "Certified",
        "each number was re-derived exactly by an independent check; it covers the "
        "arithmetic and the equilibrium conditions, not the model's assumptions.",
    ),
    (
        "Claims checked",
        "statements of the scenario's source text, each tested against the model's result.",
    ),
)


def glossary(b: Builder) -> None:
    """Plain-word definitions of the terms the report uses."""
    blocks: list[Block] = [Note(f"{term}: {text}") for term, text in GLOSSARY]
    b.section("glossary", "Glossary", blocks)
