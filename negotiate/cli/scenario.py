"""The scenario commands of ``negotiate``: ``solve`` and ``check``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from negotiate.errors import ModelError
from negotiate.results import Summary, format_cell

__all__ = ["parse_sets", "register", "render_summary"]


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


def render_summary(summary: Summary) -> None:
    """Print a :class:`Summary` with rich tables."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    head = Table(title=summary.title, show_header=False, title_justify="left")
    head.add_column(style="bold")
    head.add_column()
    for key, value in summary.fields:
        head.add_row(str(key), format_cell(value))
    console.print(head)
    for t in summary.tables:
        table = Table(title=t.caption, title_justify="left")
        for h in t.headers:
            table.add_column(str(h))
        for row in t.rows:
            table.add_row(*(format_cell(c) for c in row))
        console.print(table)
    for note in summary.notes:
        console.print(f"[dim]{note}[/dim]", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``solve`` and ``check`` to the ``negotiate`` command."""

    @app.command("solve")
    def solve(
        file: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
        scenario: Annotated[str | None, typer.Option("--scenario", help="A named variant.")] = None,
        set_: Annotated[
            list[str] | None,
            typer.Option("--set", help="Override a parameter: NAME=VALUE (repeatable)."),
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print JSON instead of tables.")
        ] = False,
    ) -> None:
        """Solve a scenario: outcome, deal, binding constraints, tipping points."""
        from negotiate.scenario import load_scenario

        model = load_scenario(file)
        result = model.solve(parse_sets(set_), variant=scenario)
        if as_json:
            data: dict[str, Any] = result.to_dict()
            typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            render_summary(result.summary())
            cert = result.verify()
            typer.echo(f"certificates: {'all verified' if cert.ok else 'FAILED'}")
            if not cert.ok:
                raise typer.Exit(1)

    @app.command("check")
    def check(file: Annotated[Path, typer.Argument(help="Scenario file (TOML).")]) -> None:
        """Validate a scenario file without solving it."""
        from negotiate.scenario import load_scenario

        model = load_scenario(file)
        tree = model.deterrence["tree"] if model.deterrence else None
        parts = [
            f"{len(model.parameters)} parameters",
            f"{len(model.derived)} derived",
            f"{len(model.issues)} issues",
            f"{len(model.variants)} variants",
        ]
        if tree is not None:
            parts.append(f"a no-deal tree of {tree.n_nodes} nodes")
        typer.echo(f"ok: {file.name}: " + ", ".join(parts))
