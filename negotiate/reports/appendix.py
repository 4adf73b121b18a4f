"""Findings of the appendix: the inputs, the derived quantities, versions and certificates."""

from __future__ import annotations

import platform
from importlib import metadata

import sympy as sp

from negotiate.reports.builder import Builder, all_ok, fmt_exact
from negotiate.reports.findings import (
    Block,
    Code,
    Note,
    Num,
    Paragraph,
    Quote,
    TableBlock,
)
from negotiate.reports.if_talks_fail import readable
from negotiate.results import Certificate

__all__ = ["appendix"]


def appendix(b: Builder) -> None:
    r, sc = b.result, b.scenario
    set_by = dict(sc.variants[r.variant].overrides) if r.variant else {}
    set_by.update({k: r.parameters[k] for k in r.overrides})
    blocks: list[Block] = []
    if set_by:
        blocks.append(
            Paragraph(
                (
                    b.add(
                        "appendix.set",
                        {k: v for k, v in set_by.items()},
                        "Analysed with {variant}: {values}.",
                        all_ok(*(b.check.domain(k) for k in set_by)),
                        "ScenarioResult.variant/overrides",
                        variant=f"the variant {r.variant}" if r.variant else "overrides",
                        values=tuple(f"{k} = {fmt_exact(v)}" for k, v in set_by.items()),
                    ),
                )
            )
        )
    rows = []
    for name, p in sc.parameters.items():
        v = r.parameters[name]
        rows.append(
            b.add(
                f"param.{name}",
                v,
                "{name} = {value} in [{lo}, {hi}]{set}: {meaning} (source: {source}).",
                b.check.domain(name),
                f"parameters.{name}",
                name=Code(name),
                value=fmt_exact(v),
                lo=fmt_exact(p.domain[0]) if p.domain else "",
                hi=fmt_exact(p.domain[1]) if p.domain else "",
                meaning=p.meaning,
                source=p.source,
                set=" (set for this report)" if name in set_by else "",
            )
        )
    blocks.append(
        TableBlock(
            "Parameters",
            ("parameter", "value", "low", "high", "meaning", "source"),
            ("name", "value", "lo", "hi", "meaning", "source"),
            tuple(rows),
            collapsed=True,
        )
    )
    drows = [
        b.add(
            f"derived.{name}",
            r.state.values[name],
            "{name} = {expr} = {value}.",
            b.check.expression(expr, r.state.values[name], f"derived.{name}"),
            f"derived.{name}",
            name=Code(name),
            expr=Code(readable(sp.sstr(expr))),
            value=Num(r.state.values[name], 4),
        )
        for name, expr in sc.derived
    ]
    if drows:
        blocks.append(
            TableBlock(
                "Derived quantities",
                ("name", "definition", "value"),
                ("name", "expr", "value"),
                tuple(drows),
                collapsed=True,
            )
        )
    blocks += _inert(b)
    if sc.sources:
        blocks.append(Note("Sources cited by the scenario file:"))
        blocks.append(Quote(tuple(sc.sources)))
    blocks.append(Paragraph((_versions(b),)))
    blocks.append(
        Note("Certificates: every finding of this report, with the checks that re-derived it.")
    )
    b.section("appendix", "Appendix", blocks)


def _inert(b: Builder) -> list[Block]:
    """The no-deal-game parameters the file lists as inert, each checked at this report's
    point: moved over its domain, alone or along any lever, it changes no outcome."""
    from negotiate.sweeps.influence import witnesses

    r, sc = b.result, b.scenario
    if not sc.inert:
        return []
    moved = witnesses(sc, list(sc.inert), r.variant, r.overrides)
    rows = tuple(
        b.add(
            f"inert.{name}",
            reason,
            "{name} moves no outcome and no tipping point: {reason}.",
            Certificate(
                ok=name not in moved,
                quantities={"witness": moved.get(name)},
                checks=(
                    "moved over its domain grid, alone and along every lever, it changes "
                    "no outcome at this point (vectorised scan; witnesses confirmed exactly)",
                ),
            ),
            f"analysis.inert.{name}",
            name=Code(name),
            reason=reason.rstrip("."),
        )
        for name, reason in sc.inert.items()
    )
    return [
        Note(
            "Parameters of the no-deal game that move neither the outcome nor a tipping point "
            "anywhere in their domain, and why:"
        ),
        TableBlock("Inert parameters", ("parameter", "why"), ("name", "reason"), rows),
    ]


def _versions(b: Builder) -> str:
    import negotiate

    names = ("numpy", "scipy", "sympy", "matplotlib", "jinja2", "pycddlib")
    found = {}
    for n in names:
        try:
            found[n] = metadata.version(n)
        except metadata.PackageNotFoundError:
            found[n] = "not installed"
    try:
        installed = metadata.version("negotiate-solver")
    except metadata.PackageNotFoundError:
        installed = "not installed"
    cert = Certificate(
        ok=installed == negotiate.__version__,
        quantities={"installed": installed},
        exact=True,
        checks=("negotiate's version agrees with the installed distribution",),
    )
    return b.add(
        "appendix.versions",
        {"negotiate": negotiate.__version__, "python": platform.python_version(), **found},
        "Made with negotiate {negotiate} on Python {python} (numpy {numpy}, scipy {scipy}, "
        "sympy {sympy}, matplotlib {matplotlib}, Jinja2 {jinja2}, pycddlib {pycddlib}).",
        cert,
        "importlib.metadata",
        negotiate=Code(negotiate.__version__),
        python=Code(platform.python_version()),
        **{k: Code(v) for k, v in found.items()},
    )
