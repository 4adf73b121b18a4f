"""``negotiate papers list`` and ``negotiate papers reproduce KEY|--all --out DIR``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from negotiate.cli._common import Group
from negotiate.errors import ModelError

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the ``papers`` command group to the ``negotiate`` command."""
    papers = typer.Typer(
        cls=Group, help="Reproductions of the canonical papers.", invoke_without_command=True
    )
    app.add_typer(papers, name="papers")

    @papers.callback()
    def _papers(ctx: typer.Context) -> None:
        """Reproductions of the canonical papers."""
        if ctx.invoked_subcommand is None:
            typer.echo(ctx.get_help())
            raise typer.Exit()

    @papers.command("list")
    def list_() -> None:
        """One line per paper: key, fidelity (exact, stylised or model), citation."""
        from negotiate.papers import discover

        for key, paper in discover().items():
            typer.echo(f"{key:28s} {paper.fidelity:9s} {paper.citation}")

    @papers.command("reproduce")
    def reproduce_(
        key: Annotated[
            str | None,
            typer.Argument(metavar="KEY", help="The paper's key (see 'negotiate papers list')."),
        ] = None,
        all_: Annotated[bool, typer.Option("--all", help="Reproduce every paper.")] = False,
        out: Annotated[
            Path,
            typer.Option(
                "--out", metavar="DIR", help="Directory for each paper's figures and result.md."
            ),
        ] = Path("papers-out"),
    ) -> None:
        """Regenerate a paper's figures and tables and check its claims; exit 1 on a failure."""
        from negotiate.papers import discover, reproduce

        found = discover()
        if all_ == (key is not None):
            raise ModelError("papers reproduce", key, "give one KEY or --all")
        if key is not None and key not in found:
            raise ModelError("papers reproduce", key, f"unknown paper; papers: {', '.join(found)}")
        failed = []
        for name in found if all_ else [key]:
            assert name is not None
            result = reproduce(found[name], out)
            n_ok = sum(c.passed for c in result.checks)
            status = "ok" if result.passed else "FAIL"
            typer.echo(f"{status:4s} {name}: {n_ok}/{len(result.checks)} claims -> {result.out}")
            if not result.passed:
                failed.append(name)
        if failed:
            typer.echo(f"claims failed in: {', '.join(failed)}", err=True)
            raise typer.Exit(1)
