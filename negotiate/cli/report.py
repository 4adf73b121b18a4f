"""The ``report`` command of ``negotiate``: HTML and Markdown that explain a scenario."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from negotiate.cli._common import (
    FileArg,
    SetOption,
    VariantAlias,
    VariantOption,
    pick_variant,
    refuse_nonempty,
    scenario_path,
)

__all__ = ["REPORT_FILES", "register"]

#: The names a report writes into its directory (figures/ holds only its SVG figures).
REPORT_FILES = ("report.html", "report.md", "figures", ".negotiate-report.json")


def _stray(out: Path) -> list[str]:
    """What ``out`` holds besides a previous report's own files."""
    stray = [p.name for p in out.iterdir() if p.name not in REPORT_FILES]
    figures = out / "figures"
    if figures.is_symlink() or (figures.exists() and not figures.is_dir()):
        stray.append("figures")
    elif figures.is_dir():
        stray += [
            f"figures/{p.name}"
            for p in figures.iterdir()
            if p.suffix != ".svg" or p.is_symlink() or not p.is_file()
        ]
    return stray


def check_out_dir(out: Path, force: bool) -> None:
    """Refuse a non-empty ``out`` unless it holds only a previous report, or ``force``."""
    if force or not out.is_dir():
        return
    refuse_nonempty(
        out, _stray(out), what="a report's own file", force_does="write the report beside it"
    )


def register(app: typer.Typer) -> None:
    """Add ``report FILE [--variant NAME] [--set NAME=VALUE ...] --out DIR`` to ``app``."""

    @app.command("report")
    def report_command(
        file: FileArg,
        out: Annotated[
            Path,
            typer.Option(
                "--out",
                metavar="DIR",
                help="Directory for report.html, report.md and figures/.",
                show_default=False,
            ),
        ],
        variant: VariantOption = None,
        set_: SetOption = None,
        regime: Annotated[
            str | None,
            typer.Option(
                "--regime",
                metavar="X,Y",
                help="The two parameters of the regime map (default: the first two levers "
                "with a tipping point); 'none' to leave the map out.",
            ),
        ] = None,
        resolution: Annotated[
            int,
            typer.Option("--resolution", metavar="N", help="Regime-map points per axis."),
        ] = 81,
        force: Annotated[
            bool,
            typer.Option(
                "--force", help="Write into a directory that holds other files (never over them)."
            ),
        ] = False,
        scenario: VariantAlias = None,
    ) -> None:
        """Write a report that explains a scenario's outcome, as HTML and Markdown.

        The report says what happens, why, what would change it, the bargaining space, what
        happens if the talks fail, the source's claims checked, and an appendix of
        parameters and certificates.
        """
        from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

        from negotiate.cli.scenario import parse_sets
        from negotiate.errors import ModelError
        from negotiate.reports import report
        from negotiate.scenario import load_scenario

        overrides = parse_sets(set_)
        chosen = pick_variant(variant, scenario)
        axes: bool | tuple[str, str] = True
        if regime is not None:
            if regime.strip().lower() == "none":
                axes = False
            else:
                parts = [p.strip() for p in regime.split(",")]
                if len(parts) != 2 or not all(parts):
                    raise ModelError("--regime", regime, "expected X,Y (two parameter names)")
                axes = (parts[0], parts[1])
        check_out_dir(out, force)
        model = load_scenario(scenario_path(file))
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
                chosen,
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
