"""The ``report`` command of ``negotiate``: HTML and Markdown that explain a scenario."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add ``report FILE [--scenario NAME] [--set NAME=VALUE ...] --out DIR`` to ``app``."""

    @app.command("report")
    def report_command(
        file: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
        out: Annotated[
            Path, typer.Option("--out", help="Directory for report.html, report.md, figures/.")
        ],
        scenario: Annotated[str | None, typer.Option("--scenario", help="A named variant.")] = None,
        set_: Annotated[
            list[str] | None,
            typer.Option("--set", help="Override a parameter: NAME=VALUE (repeatable)."),
        ] = None,
        regime: Annotated[
            str | None,
            typer.Option(
                "--regime",
                help="Axes of the regime map, X,Y (default: the first two levers with a "
                "tipping point); 'none' to skip it.",
            ),
        ] = None,
        resolution: Annotated[
            int, typer.Option("--resolution", help="Regime-map points per axis.")
        ] = 21,
    ) -> None:
        """Write a report that explains the scenario's outcome: what happens, why, what
        would change it, the bargaining space, what happens if the talks fail, the source's
        claims checked, and an appendix of parameters and certificates."""
        from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

        from negotiate.cli.scenario import parse_sets
        from negotiate.errors import ModelError
        from negotiate.reports import report
        from negotiate.scenario import load_scenario

        overrides = parse_sets(set_)
        axes: bool | tuple[str, str] = True
        if regime is not None:
            if regime.strip().lower() == "none":
                axes = False
            else:
                parts = [p.strip() for p in regime.split(",")]
                if len(parts) != 2 or not all(parts):
                    raise ModelError("--regime", regime, "expected X,Y (two parameter names)")
                axes = (parts[0], parts[1])
        model = load_scenario(file)
        columns = (
            TextColumn("{task.description:<16}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, transient=False) as bar:
            tasks: dict[str, TaskID] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=max(total, 1))
                bar.update(tasks[stage], completed=done, total=max(total, 1))

            rep = report(
                model,
                overrides,
                scenario,
                regime=axes,
                resolution=resolution,
                progress=progress,
            )
        written = rep.write(out)
        cert = rep.verify()
        outcome = rep.findings.meta.get("outcome")
        typer.echo(f"{model.title}: {outcome}; {len(rep.findings)} findings")
        for name in ("report.html", "report.md"):
            typer.echo(f"wrote {written[name]}")
        typer.echo(f"certificates: {'all verified' if cert.ok else 'FAILED'}")
        if not cert.ok:
            raise typer.Exit(1)
