"""The scenario commands of ``negotiate``: ``solve`` and ``check``."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Annotated, Any

import typer

from negotiate.cli._common import (
    FileArg,
    SetOption,
    VariantAlias,
    VariantOption,
    fmt_cell,
    fmt_exact,
    fmt_number,
    fmt_pairs,
    pick_variant,
    plural,
    scenario_path,
)
from negotiate.errors import ModelError
from negotiate.results import Summary

__all__ = ["parse_sets", "register", "render_result", "render_summary"]

#: The sign convention of the constraints table, printed under it.
SLACK_NOTE = (
    "slack: how far a constraint is from binding; positive: it holds with room to spare, "
    "0: it binds, negative: it is violated by that much (participation needs a positive slack)"
)


def parse_sets(items: list[str] | None) -> dict[str, str]:
    """``["guarantee=0.5", ...]`` -> ``{"guarantee": "0.5"}`` (values stay text: exact)."""
    out: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise ModelError("--set", item, "expected NAME=VALUE, e.g. --set guarantee=0.5")
        if name in out:
            raise ModelError("--set", item, f"{name} is set twice")
        out[name] = value
    return out


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False, markup=False, emoji=False)  # scenario text is plain text


def _table(title: str, headers: Iterable[str], rows: Iterable[Iterable[Any]]) -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for h in headers:
        table.add_column(str(h))
    for row in rows:
        table.add_row(*(fmt_cell(c) for c in row))
    return table


def render_summary(summary: Summary) -> None:
    """Print a :class:`Summary` with rich tables (numbers and names, never Python reprs)."""
    from rich.table import Table

    console = _console()
    head = Table(title=summary.title, show_header=False, title_justify="left")
    head.add_column(style="bold")
    head.add_column()
    for key, value in summary.fields:
        head.add_row(str(key), fmt_cell(value))
    console.print(head)
    for t in summary.tables:
        console.print(_table(t.caption, t.headers, t.rows))
    for note in summary.notes:
        console.print(note, style="dim")


def _constraint_row(c: Any) -> tuple[str, str, str]:
    """``constraint | status | slack`` with one sign convention for every kind: a positive
    slack holds with room, 0 binds, a negative one is violated.  A ratification floor
    constrains the deal: its slack is the side's best value in any deal the other side accepts
    less the floor."""
    slack = c.slack
    if not c.holds:
        status = "violated"
    elif slack is not None and slack == 0:
        status = "binds"
    else:
        status = "holds"
    if slack is None:
        return c.name, status, ""
    return c.name, status, "0" if slack == 0 else f"{float(slack):+.4f}"


def _why(result: Any) -> list[str]:
    lines = []
    violated = [c for c in result.constraints if not c.holds]
    if violated:
        worst = sorted(violated, key=lambda c: c.slack if c.slack is not None else 0)
        lines.append(
            "no deal because: "
            + ", ".join(
                c.name + ("" if c.slack is None else f" (short by {float(-c.slack):.4f})")
                for c in worst
            )
        )
    for c in result.constraints:
        if c.kind == "ratification" and c.slack is not None and c.slack < 0:
            side = c.name.partition(":")[2]
            lines.append(
                f"{c.name}: no deal the other side accepts reaches {side}'s ratification "
                f"floor (short by {float(-c.slack):.4f})"
            )
    return lines


def render_result(result: Any) -> None:
    """Print a scenario's analysis: outcome, deal, constraints, claims, tipping points."""
    from rich.table import Table

    s, st = result.scenario, result.state
    console = _console()
    head = Table(title=f"Scenario: {s.title}", show_header=False, title_justify="left")
    head.add_column(style="bold")
    head.add_column()
    head.add_row("outcome", result.outcome)
    if result.variant:
        head.add_row("variant", result.variant)
    if st.kappa is not None:
        head.add_row("credibility discount kappa", fmt_number(st.kappa))
    head.add_row("disagreement point", fmt_pairs(s.players, st.disagreement))
    if st.no_deal is not None:
        head.add_row("if talks fail (SPE path)", " -> ".join(st.no_deal.path))
    if result.utilities:
        head.add_row("deal utilities", fmt_pairs(result.utilities, result.utilities.values()))
    console.print(head)
    allocation = None if result.solution is None else result.solution.allocation
    if result.deal and allocation is not None:
        console.print(
            _table(
                f"Deal: share to {s.players[0]}",
                ("issue", "share"),
                ((k, fmt_number(v)) for k, v in allocation.items()),
            )
        )
    if result.constraints:
        console.print(
            _table(
                "Constraints",
                ("constraint", "status", "slack"),
                map(_constraint_row, result.constraints),
            )
        )
        console.print(SLACK_NOTE, style="dim")
    if result.claims:
        console.print(
            _table(
                "Claims checked",
                ("claim", "supported", "why"),
                ((c.text, "yes" if c.supported else "no", c.detail) for c in result.claims),
            )
        )
    if result.tipping_points:
        console.print(
            _table(
                "Tipping points",
                ("lever", "threshold", "exact", "direction", "then"),
                (
                    (
                        n,
                        f"{float(t.threshold):.4f}",
                        t.threshold_exact if t.method == "exact" else "(bisection)",
                        t.direction,
                        t.outcome_after,
                    )
                    for n, t in result.tipping_points.items()
                ),
            )
        )
    for line in _why(result):
        console.print(line)


def register(app: typer.Typer) -> None:
    """Add ``solve`` and ``check`` to the ``negotiate`` command."""

    @app.command("solve")
    def solve(
        file: FileArg,
        variant: VariantOption = None,
        set_: SetOption = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print JSON instead of tables.")
        ] = False,
        scenario: VariantAlias = None,
    ) -> None:
        """Solve a scenario: outcome, deal, binding constraints, tipping points."""
        from negotiate.scenario import load_scenario

        model = load_scenario(scenario_path(file))
        result = model.solve(parse_sets(set_), variant=pick_variant(variant, scenario))
        if as_json:
            data: dict[str, Any] = result.to_dict()
            typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            render_result(result)
            cert = result.verify()
            typer.echo(f"certificates: {'all verified' if cert.ok else 'FAILED'}")
            if not cert.ok:
                raise typer.Exit(1)

    @app.command("check")
    def check(
        file: FileArg,
        variant: Annotated[
            str | None,
            typer.Option(
                "--variant",
                metavar="NAME",
                help="Also check that this variant's values are valid.",
            ),
        ] = None,
        scenario: VariantAlias = None,
    ) -> None:
        """Validate a scenario file without solving it, and list its variants."""
        from negotiate.scenario import load_scenario

        path = scenario_path(file)
        model = load_scenario(path)
        chosen = pick_variant(variant, scenario)
        if chosen is not None:
            model.values(variant=chosen)  # unknown names and out-of-domain values raise
        tree = model.deterrence["tree"] if model.deterrence else None
        parts = [
            plural(len(model.parameters), "parameter", "parameters"),
            f"{len(model.derived)} derived",
            plural(len(model.issues), "issue", "issues"),
        ]
        if tree is not None:
            parts.append(f"a no-deal tree of {plural(tree.n_nodes, 'node', 'nodes')}")
        typer.echo(f"ok: {path.name}: " + ", ".join(parts))
        if not model.variants:
            typer.echo("variants: none")
            return
        typer.echo("variants (--variant NAME):")
        width = max(len(name) for name in model.variants)
        for name, v in model.variants.items():
            sets = ", ".join(f"{k} = {fmt_exact(x)}" for k, x in v.overrides.items())
            meaning = v.description or "(no description)"
            typer.echo(f"  {name.ljust(width)}  {meaning} (sets {sets})")
