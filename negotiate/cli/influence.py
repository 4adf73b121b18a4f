"""The ``negotiate influence`` command: which parameters of the no-deal game move anything.

    negotiate influence FILE [--json]

Scans every parameter of the scenario's no-deal game over its domain, at the baseline and at
every variant, alone and along every lever (:mod:`negotiate.sweeps.influence`), and prints
what each one moves, or the reason the file gives for listing it in ``[analysis] inert``.
Exits with status 1 when that list is incomplete or claims an influential parameter.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from negotiate.cli._common import FileArg, scenario_path

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add ``influence`` to the ``negotiate`` command."""

    @app.command("influence")
    def influence(
        file: FileArg,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print JSON instead of a table.")
        ] = False,
    ) -> None:
        """Check that every no-deal-game parameter moves something or is listed as inert."""
        from negotiate.scenario import load_scenario
        from negotiate.sweeps.influence import check_influence

        check = check_influence(load_scenario(scenario_path(file)))
        cert = check.verify()
        if as_json:
            data = {**check.to_dict(), "certificate": cert.to_dict()}
            typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            typer.echo(check.summary().to_text())
            bad = cert.quantities
            if not cert.ok:
                for key in ("unlisted_inert", "listed_but_influential"):
                    if bad[key]:
                        typer.echo(f"{key.replace('_', ' ')}: {', '.join(bad[key])}")
            typer.echo(f"[analysis] inert: {'complete and true' if cert.ok else 'WRONG'}")
        if not cert.ok:
            raise typer.Exit(1)
