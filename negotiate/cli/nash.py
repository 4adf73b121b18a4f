"""``negotiate nash FILE.nfg``: all Nash equilibria of a strategic-form game, exact and verified."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from negotiate.cli._common import plural
from negotiate.errors import SolverError

__all__ = ["nash", "register"]


def nash(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="A Gambit strategic-form game file (.nfg).")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the equilibria and the certificate as JSON.")
    ] = False,
    method: Annotated[
        str,
        typer.Option(
            "--method",
            metavar="METHOD",
            help="auto (all extreme equilibria, exact), enummixed, lemke_howson, pure, "
            "nashpy_support, nashpy_vertex.",
        ),
    ] = "auto",
    max_cost: Annotated[
        int | None,
        typer.Option(
            "--max-cost",
            metavar="N",
            help="Budget of the enumerating methods (the default admits 12 x 12 games).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Nash equilibria of a strategic-form game, exact and verified."""
    from negotiate.interop.gambit_nfg import read_nfg
    from negotiate.solvers.nash.solve import nash_equilibria

    game = read_nfg(file)
    result = nash_equilibria(game, method=method, max_cost=max_cost)
    certificate = result.verify()
    if not certificate.ok:
        raise SolverError(
            "the equilibria fail their exact certificate", solver=result.method, status="failed"
        )
    if as_json:
        payload = {**result.to_dict(), "certificate": certificate.to_dict()}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        _print_equilibria(result, certificate)


def _print_equilibria(result: Any, certificate: Any) -> None:
    """A rich table of the equilibria: labels, exact probabilities, payoffs, components."""
    from rich.console import Console
    from rich.table import Table

    game = result.game
    console = Console(highlight=False, soft_wrap=True, emoji=False)
    title = "Nash equilibria" + (f" of {game.title}" if game.title else "")
    n = len(result.equilibria)
    if result.complete:
        kind = plural(n, "extreme equilibrium", "extreme equilibria") + " (complete)"
    else:
        kind = plural(n, "equilibrium", "equilibria") + " found (not complete)"
    degenerate = {
        True: "degenerate game",
        False: "nondegenerate game",
        None: "degeneracy of the game not determined",
    }
    table = Table(title=title, title_justify="left")
    table.add_column("#", justify="right")
    for player in game.players:
        table.add_column(player)
    for player in game.players:
        table.add_column(f"payoff {player}", justify="right")
    comp_of = {k: n for n, c in enumerate(result.components or ()) for k in c.equilibria}
    if comp_of:
        table.add_column("component", justify="right")
    for k, eq in enumerate(result.equilibria):
        mixes = [
            "\n".join(f"{s} {p}" for s, p in zip(labels, probs, strict=True) if p > 0)
            for labels, probs in zip(game.strategies, eq.probabilities, strict=True)
        ]
        cells = [str(k), *mixes, *(str(x) for x in eq.payoffs)]
        if comp_of:
            cells.append(str(comp_of[k]))
        table.add_row(*cells)
    console.print(table)
    console.print(f"{kind}; {degenerate[result.degenerate]}; method {result.method}")
    for note in result.notes:
        console.print(f"note: {note}")
    exact = "exact" if certificate.exact else f"tolerance {certificate.tolerance:g}"
    console.print(f"certificate: max regret {certificate.max_regret} ({exact}), verified")


def register(app: typer.Typer) -> None:
    """Add the ``nash`` command to ``app``."""
    app.command("nash")(nash)
