"""The executive summary: five to eight plain sentences, each a finding with one link.

The sentences reuse the certificates of the findings they summarise (the outcome, the
participation gap, the credibility discount, the threats, the tipping points) and, when the
scenario has priors, the certificate of its :class:`~negotiate.uncertainty.UncertaintyResult`.
The causal chain is read from the scenario itself: the commitment layer's hazard expression,
the derived quantities it is built from, and the parameters whose ``meaning`` or ``source``
cites a dated event (a year), which is where the history enters the model.
"""

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
)
from negotiate.reports.findings import Code, Note, Num, Paragraph, Seq

__all__ = ["causal_chain", "history_parameters", "levers_ranked", "summary"]

_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


def causal_chain(b: Builder) -> tuple[str, ...]:
    """The derived quantities the commitment hazard is built from, leaves first."""
    c = b.scenario.commitment
    if c is None:
        return ()
    derived = dict(b.scenario.derived)
    order: list[str] = []

    def visit(expr: Any) -> None:
        for s in sorted(expr.free_symbols, key=lambda s: s.name):
            if s.name in derived and s.name not in order:
                visit(derived[s.name])
                order.append(s.name)

    visit(c.hazard)
    return tuple(order)


def history_parameters(b: Builder) -> tuple[str, ...]:
    """Parameters feeding the causal chain whose meaning or source cites a dated event."""
    derived = dict(b.scenario.derived)
    used: list[str] = []
    for name in causal_chain(b):
        for s in sorted(derived[name].free_symbols, key=lambda s: s.name):
            if s.name in b.scenario.parameters and s.name not in used:
                used.append(s.name)
    params = b.scenario.parameters
    return tuple(n for n in used if _YEAR.search(f"{params[n].meaning} {params[n].source}"))


def is_policy(b: Builder, lever: str) -> bool:
    """Whether the scenario marks ``lever`` as something a government can choose."""
    return lever in getattr(b.scenario, "policy_levers", ())


def levers_ranked(b: Builder, outcome: str) -> list[Any]:
    """Tipping points that lead to ``outcome``, nearest first (relative to the domain)."""
    tips = [tp for tp in b.result.tipping_points.values() if tp.outcome_after == outcome]

    def dist(tp: Any) -> Fraction:
        lo, hi = b.scenario.parameters[tp.parameter].domain
        return abs(tp.threshold - tp.baseline) / (hi - lo) if hi > lo else Fraction(0)

    return sorted(tips, key=dist)


def summary(b: Builder, uncertainty: Any = None, calibration: Any = None) -> None:
    """Add the section ``Summary`` (placed first by :func:`collect`)."""
    r = b.result
    ids: list[str] = [_outcome(b, uncertainty, calibration)]
    chain = _chain(b)
    if chain:
        ids.append(chain)
    if b.has("what.gap"):
        ids.append("what.gap")
    threats = _threats(b)
    if threats:
        ids.append(threats)
    change = _changes(b)
    if change:
        ids.append(change)
    blocks: list[Any] = [Paragraph(tuple(ids), style="prose")]
    notes = [
        "Each number links to its finding; “certified” means the arithmetic and the "
        "equilibrium conditions were re-derived exactly, not that the model's assumptions "
        "are right."
    ]
    if any(_assumed(b, n) for n in r.parameters):
        notes.append(
            "Where a lever's value is a modelling assumption rather than an observation, the "
            "report says so beside it; the appendix lists the source of every parameter."
        )
    blocks += [Note(t) for t in notes]
    b.section("summary", "Summary", blocks)


def _assumed(b: Builder, name: str) -> bool:
    p = b.scenario.parameters.get(name)
    return p is not None and str(p.source).strip().lower().startswith("assumption")


def _outcome(b: Builder, unc: Any, cal: Any = None) -> str:
    r = b.result
    cert = b.items["what.outcome"].certificate
    given = getattr(r, "probabilities", None)  # a solve that reports outcome probabilities
    if (unc is None or unc.draws == 0) and isinstance(given, dict) and given:
        exact = {k: Fraction(v).limit_denominator(10**6) for k, v in given.items()}
        return b.add(
            "summary.outcome",
            exact,
            "At the values the scenario file gives, the model predicts {outcome}; the solve "
            "puts its probability at {p}.",
            cert,
            "ScenarioResult.probabilities",
            outcome=OUTCOME_PHRASE[r.outcome],
            p=Num(exact.get(r.outcome, Fraction(0)), 2),
        )
    if unc is None or unc.draws == 0:
        return b.add(
            "summary.outcome",
            r.outcome,
            "At the values the scenario file gives, the model predicts {outcome}.",
            cert,
            "ScenarioResult.outcome",
            outcome=OUTCOME_PHRASE[r.outcome],
        )
    shares = {k: Fraction(int(unc.counts.get(k, 0)), unc.draws) for k in OUTCOME_PHRASE}
    tpl = (
        "At the values the scenario file gives, the model predicts {outcome}; over the "
        "ranges its priors allow ({n} random draws), {outcome} comes out in {p} of cases "
        "(agreement {pa}, stalemate {ps}, war {pw})"
    )
    fields: dict[str, Any] = dict(
        outcome=OUTCOME_PHRASE[r.outcome],
        n=Num(Fraction(unc.draws), 0),
        p=Num(shares[r.outcome], 2),
        pa=Num(shares["agreement"], 2),
        ps=Num(shares["stalemate"], 2),
        pw=Num(shares["war"], 2),
    )
    certs = [cert, unc.verify()]
    if cal is not None:
        post = Fraction(cal.posterior_probabilities.get(r.outcome, 0.0)).limit_denominator(10**6)
        tpl += ", and in {q} of the draws that also reproduce the dated episodes"
        fields["q"] = Num(post, 2)
        certs.append(cal.verify())
    return b.add(
        "summary.outcome",
        dict(shares),
        tpl + ".",
        all_ok(*certs),
        "UncertaintyResult.counts",
        **fields,
    )


def _chain(b: Builder) -> str | None:
    st, c = b.result.state, b.scenario.commitment
    if c is None or st.kappa is None or not b.has("why.kappa"):
        return None
    names = causal_chain(b)
    history = history_parameters(b)
    other = next(p for p in b.players if p != c.beneficiary)
    fields: dict[str, Any] = dict(
        who=c.beneficiary,
        other=other,
        kappa=fmt_utility(st.kappa),
        steps=tuple(_step(b, n) for n in names),
    )
    tpl = ""
    if history:
        h = b.scenario.parameters[history[0]]
        tpl = "The causal chain starts from the history the scenario cites ({event}): "
        fields["event"] = h.meaning
    else:
        tpl = "The causal chain: "
    if names:
        tpl += "it sets {steps}, "
    tpl += (
        "so {who} fears that {other} takes back what it concedes and values each reversible "
        "concession at only {kappa} of its face value"
    )
    tpl += (
        ", which leaves no zone of agreement."
        if b.result.outcome != "agreement"
        else ", and an agreement survives it."
    )
    assumed = _chain_assumptions(b, names)
    if assumed:
        tpl += " Assumed rather than observed: {assumed}."
        fields["assumed"] = tuple(Code(n) for n in assumed)
    return b.add(
        "summary.chain",
        {n: st.values.get(n) for n in names},
        tpl[0].upper() + tpl[1:],
        b.items["why.kappa"].certificate,
        "PointState.values, PointState.kappa",
        **fields,
    )


def _chain_assumptions(b: Builder, names: tuple[str, ...]) -> tuple[str, ...]:
    """The parameters the chain and the discount rest on whose ``source`` is an assumption."""
    c = b.scenario.commitment
    derived = dict(b.scenario.derived)
    exprs = [derived[n] for n in names]
    if c is not None:
        exprs += [c.patience, c.hazard, c.guarantee]
    used = sorted({s.name for e in exprs for s in e.free_symbols})
    return tuple(n for n in used if n in b.scenario.parameters and _assumed(b, n))


def _step(b: Builder, name: str) -> Any:
    from negotiate.reports.findings import Seq

    v = b.result.state.values.get(name)
    if v is None:
        return Code(name)
    return Seq((Code(name), " = ", fmt_utility(v)))


def _threats(b: Builder) -> str | None:
    threats = [t for t in b.cf.threats if not t.credible and t.deviations <= 1]
    if not threats or b.result.state.no_deal is None:
        return None
    war = set(b.scenario.war_actions)
    shown = [t for t in threats if t.action in war] or threats
    best = max(shown, key=lambda t: t.margin)
    war_p = b.result.state.no_deal.war_probability
    tpl = (
        "The threats do not bite at today's values: if the talks fail nobody starts a war "
        "(probability {war}), and the closest threat, {action} by {player}, falls {gap} short "
        "of what {player} gets from {chosen}."
        if war_p == 0
        else "If the talks fail, war follows with probability {war}; the closest threat not "
        "carried out, {action} by {player}, falls {gap} short of {chosen}."
    )
    return b.add(
        "summary.threats",
        best.margin,
        tpl,
        all_ok(b.check.no_deal(), b.check.threat(best)),
        "Counterfactuals.threats",
        war=fmt_utility(war_p),
        action=Code(best.action),
        player=best.player,
        gap=fmt_utility(abs(best.margin)),
        chosen=Code(best.chosen),
    )


def _changes(b: Builder) -> str | None:
    r = b.result
    target = "agreement" if r.outcome != "agreement" else None
    tips = (
        levers_ranked(b, target)
        if target
        else sorted(r.tipping_points.values(), key=lambda tp: tp.parameter)
    )
    policy = [tp for tp in tips if is_policy(b, tp.parameter)]
    other = [tp for tp in tips if not is_policy(b, tp.parameter)]
    tips = (policy[:2] + other[:1]) if policy else other[:3]
    if not tips:
        return _two_step_changes(b)
    parts = []
    for tp in tips:
        kind = (
            "a policy choice"
            if is_policy(b, tp.parameter)
            else "not a choice a government makes directly"
        )
        if _assumed(b, tp.parameter):
            kind += "; its value is an assumption"
        parts.append(
            _Part(Code(tp.parameter), VERB[tp.direction], fmt_threshold(tp.threshold), kind)
        )
    head = (
        "The changes that would break the stalemate (policy options first, each the nearest "
        "of its kind): "
        if r.outcome == "stalemate"
        else "The nearest changes that would alter the outcome: "
        if target is None
        else "The changes that would bring an agreement, nearest first: "
    )
    return b.add(
        "summary.changes",
        [tp.parameter for tp in tips],
        head + "{parts}.",
        all_ok(*(b.check.tipping(tp) for tp in tips)),
        "ScenarioResult.tipping_points",
        parts=tuple(p.seq() for p in parts),
    )


def _two_step_changes(b: Builder) -> str | None:
    """When no lever alone changes the outcome: each policy lever set at the other end of its
    domain, and the nearest lever that then tips the outcome (re-solved exactly)."""
    r, sc = b.result, b.scenario
    # toward an agreement when there is none (a step that brings war does not count)
    goal = "agreement" if r.outcome != "agreement" else None

    def wanted(outcome: str) -> bool:
        return goal is None or outcome == goal

    found: list[tuple[str, Fraction, Any, Any]] = []
    for lever in getattr(sc, "policy_levers", ()):
        domain = sc.parameters[lever].domain
        base = r.parameters[lever]
        if domain is None or base not in domain:
            continue
        other_end = domain[1] if base == domain[0] else domain[0]
        moved = sc.solve({**r.overrides, lever: other_end}, variant=r.variant)
        tips = [t for t in moved.tipping_points.values() if wanted(t.outcome_after)]
        if moved.outcome != r.outcome and wanted(moved.outcome):
            found.append((lever, other_end, moved, None))
        elif moved.outcome == r.outcome and tips:
            tp = min(
                tips, key=lambda t: (not is_policy(b, t.parameter), abs(t.threshold - t.baseline))
            )
            found.append((lever, other_end, moved, tp))
        if len(found) == 2:
            break
    if not found:
        return None
    parts = []
    for lever, end, moved, tp in found:
        if tp is None:
            parts.append(Seq((Code(lever), " set to ", fmt_exact(end), f" gives {moved.outcome}")))
        else:
            kind = "a policy choice" if is_policy(b, tp.parameter) else "not a choice"
            parts.append(
                Seq(
                    (
                        Code(lever),
                        " set to ",
                        fmt_exact(end),
                        ", and then ",
                        Code(tp.parameter),
                        f" {VERB[tp.direction]} ",
                        fmt_threshold(tp.threshold),
                        f" ({kind})",
                    )
                )
            )
    return b.add(
        "summary.changes",
        [lever for lever, *_ in found],
        f"No single lever {'brings an agreement' if goal else 'changes the outcome'} within "
        "its range; two policy choices together would: {parts}.",
        all_ok(*(moved.verify() for _, _, moved, _ in found)),
        "Scenario.solve at the other end of each policy lever",
        parts=tuple(parts),
    )


class _Part:
    def __init__(self, lever: Code, verb: str, thr: Num, kind: str) -> None:
        self.lever, self.verb, self.thr, self.kind = lever, verb, thr, kind

    def seq(self) -> Any:
        from negotiate.reports.findings import Seq

        return Seq((self.lever, f" {self.verb} ", self.thr, f" ({self.kind})"))
