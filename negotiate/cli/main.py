"""The ``negotiate`` command: the application, its root options and the entry point.

Each subcommand lives in its own module of :mod:`negotiate.cli` and registers itself here.
``negotiate`` alone prints the list of commands.

Errors from negotiate are printed as one line on stderr with a non-zero exit status (2 for
bad input, 1 for other failures); there is never a traceback for a user mistake.  Advice in
an error (``method='lemke_howson'``) is printed in command-line spelling (``--method
lemke_howson``).
"""

from __future__ import annotations

import sys

import typer

from negotiate._version import __version__
from negotiate.cli import influence as cli_influence
from negotiate.cli import nash as cli_nash
from negotiate.cli import papers as cli_papers
from negotiate.cli import report as cli_report
from negotiate.cli import scenario as cli_scenario
from negotiate.cli import sweep as cli_sweep
from negotiate.cli import uncertainty as cli_uncertainty
from negotiate.cli._common import Group, cli_advice
from negotiate.errors import ModelError, NegotiateError

app = typer.Typer(
    name="negotiate",
    cls=Group,
    help="Game-theoretic negotiation solver: exact equilibria, credible commitments, bargaining.",
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"negotiate {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Game-theoretic negotiation solver."""
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit()


cli_nash.register(app)
cli_scenario.register(app)
cli_report.register(app)
cli_sweep.register(app)
cli_uncertainty.register(app)
cli_papers.register(app)
cli_influence.register(app)


def main() -> None:
    """Entry point of the console script: map negotiate errors to one line and an exit code."""
    try:
        app(prog_name="negotiate")
    except ModelError as exc:
        print(f"error: {cli_advice(str(exc))}", file=sys.stderr)
        sys.exit(2)
    except NegotiateError as exc:
        print(f"error: {type(exc).__name__}: {cli_advice(str(exc))}", file=sys.stderr)
        sys.exit(1)
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
