"""Findings of the section that checks the claims a scenario records against the model."""

from __future__ import annotations

from typing import Any

from negotiate.reports.builder import Builder, all_ok, fmt_utility, slug
from negotiate.reports.findings import (
    Code,
    Note,
    Num,
    Seq,
    TableBlock,
)
from negotiate.reports.if_talks_fail import condition_text, node_label, readable
from negotiate.results import Certificate

__all__ = ["claims"]


def claims(b: Builder) -> None:
    r = b.result
    if not r.claims:
        b.section(
            "claims",
            "Claims checked",
            [Note("This scenario records no claims of a source text.")],
        )
        return
    specs = {c.name: c for c in b.scenario.claims}
    threats = {(t.node, t.action): t for t in b.cf.threats}
    rows = []
    for check in r.claims:
        spec = specs[check.name]
        fields: dict[str, Any] = dict(
            text=check.text, source=spec.source, supported="yes" if check.supported else "no"
        )
        if spec.holds is not None:
            from negotiate.scenario.evaluate import evaluate_condition

            truth, margin = evaluate_condition(spec, r.state.values)
            fields |= dict(
                condition=Code(readable(str(spec.holds))),
                truth="true" if truth else "false",
                margin=Num(margin, 3, signed=True) if margin is not None else "",
            )
            tpl = "{text} Supported: {supported}; {condition} is {truth} here"
            tpl += " (margin {margin})." if margin is not None else "."
            why: tuple[Any, ...] = (Code(readable(str(spec.holds))), f" is {fields['truth']}")
            if margin is not None:
                why += (" (margin ", fields["margin"], ")")
            fields["why"] = Seq(why)
            cert = b.check.truth(spec.holds, truth)
            supported = truth
        else:
            played = r.state.no_deal.strategy[spec.path]
            chosen = played == spec.action
            threat = threats.get((spec.path, spec.action))
            fields |= dict(
                node=node_label(spec.path),
                played=Code(played),
                action=Code(spec.action),
                credible="credible" if chosen else "not credible",
            )
            tpl = (
                "{text} Supported: {supported}; at {node} the equilibrium plays {played}, "
                "so {action} is {credible} there"
            )
            why = ("at ", fields["node"], " the equilibrium plays ", Code(played), "; ")
            why += (Code(spec.action), f" is {fields['credible']}")
            if threat is not None and not chosen:
                fields |= dict(
                    gap=fmt_utility(-threat.margin),
                    condition=Code(condition_text(threat.condition)),
                )
                tpl += " ({gap} short); it would be played only if {condition}."
                why += (" (", fields["gap"], " short; played only if ", fields["condition"], ")")
            else:
                tpl += "."
            fields["why"] = Seq(why)
            cert = b.check.credible(spec.path, spec.action, chosen)
            supported = chosen == spec.expect_chosen
        ok = cert.ok and check.supported == supported
        cert = all_ok(
            cert, Certificate(ok=ok, exact=True, checks=("supported re-derived from the check",))
        )
        rows.append(
            b.add(
                f"claims.{slug(check.name)}",
                check.supported,
                tpl,
                cert,
                f"ScenarioResult.claims[{check.name}]",
                **fields,
            )
        )
    b.section(
        "claims",
        "Claims checked",
        [
            Note(
                "Claims checked: statements the scenario's source text makes, each recorded in "
                "the scenario file with a test and checked here against the model's result."
            ),
            TableBlock(
                "Claims of the source text against the model",
                ("claim", "source", "supported", "why"),
                ("text", "source", "supported", "why"),
                tuple(rows),
            ),
        ],
    )
