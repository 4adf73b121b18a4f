"""The ``negotiate uncertainty`` and ``negotiate calibrate`` commands.

    negotiate uncertainty FILE [--draws N] [--seed S] [--variant V] [--json] [--out DIR]
                          [--workers N]
    negotiate calibrate FILE [--draws N] [--seed S] [--variant V] [--json]

``uncertainty`` draws the parameters that have a ``prior`` and prints the probability of each
outcome with its 95% interval, the largest Sobol' indices and the spread of the tipping
points; ``--out DIR`` also writes ``uncertainty.json`` and ``uncertainty.md`` there.
``calibrate`` keeps the draws that reproduce every ``[episodes.NAME]`` and prints the
posterior; when no draw fits them all it prints a minimal set of conflicting episodes and
exits with status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from negotiate.errors import InconsistentEpisodesError

__all__ = ["register"]


def _echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


#: Options the two commands share.
Seed = Annotated[
    int, typer.Option("--seed", help="Seed: the same seed gives the same numbers.", metavar="N")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def register(app: typer.Typer) -> None:
    """Add ``uncertainty`` and ``calibrate`` to the ``negotiate`` command."""

    @app.command("uncertainty")
    def uncertainty_command(
        file: Annotated[
            Path, typer.Argument(help="Scenario file (TOML) with priors.", metavar="FILE")
        ],
        draws: Annotated[
            int,
            typer.Option(
                "--draws", help="Number of Monte Carlo draws from the priors.", metavar="N"
            ),
        ] = 10_000,
        seed: Seed = 0,
        variant: Annotated[
            str | None,
            typer.Option(
                "--variant", help="A named variant; the values it sets stay fixed.", metavar="NAME"
            ),
        ] = None,
        as_json: AsJson = False,
        out: Annotated[
            Path | None,
            typer.Option(
                "--out", help="Also write uncertainty.json and uncertainty.md here.", metavar="DIR"
            ),
        ] = None,
        workers: Annotated[
            int | None,
            typer.Option(
                "--workers", help="Local worker processes (same numbers as one).", metavar="N"
            ),
        ] = None,
    ) -> None:
        """How sure is the outcome? Probabilities over the priors, Sobol' indices, tipping."""
        from negotiate.cli.scenario import render_summary
        from negotiate.uncertainty import uncertainty

        result = uncertainty(file, draws, seed, variant=variant, workers=workers)
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            (out / "uncertainty.json").write_text(
                json.dumps(result.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8"
            )
            (out / "uncertainty.md").write_text(
                result.summary().to_markdown() + "\n", encoding="utf-8"
            )
        if as_json:
            _echo_json(result.to_dict())
        else:
            render_summary(result.summary())
            if out is not None:
                typer.echo(f"wrote {out / 'uncertainty.json'} and {out / 'uncertainty.md'}")

    @app.command("calibrate")
    def calibrate_command(
        file: Annotated[
            Path,
            typer.Argument(help="Scenario file (TOML) with priors and episodes.", metavar="FILE"),
        ],
        draws: Annotated[
            int,
            typer.Option("--draws", help="Number of draws from the priors to test.", metavar="N"),
        ] = 10_000,
        seed: Seed = 0,
        variant: Annotated[
            str | None,
            typer.Option(
                "--variant", help="Variant whose outcome the posterior predicts.", metavar="NAME"
            ),
        ] = None,
        as_json: AsJson = False,
    ) -> None:
        """Keep the prior draws that reproduce every dated episode: the posterior."""
        from negotiate.cli.scenario import render_summary
        from negotiate.scenario import load_scenario
        from negotiate.uncertainty import calibrate

        model = load_scenario(file)
        try:
            result = calibrate(model, draws, seed, variant=variant)
        except InconsistentEpisodesError as exc:
            episodes = {e.name: e for e in model.episodes}
            if as_json:
                _echo_json(
                    {
                        "error": "inconsistent episodes",
                        "draws": exc.draws,
                        "conflict": [
                            {
                                "episode": n,
                                "date": episodes[n].date,
                                "observed": episodes[n].observed,
                            }
                            for n in exc.conflict
                        ],
                    }
                )
            else:
                typer.echo(
                    f"no draw of {exc.draws} reproduces these episodes together "
                    "(a minimal conflicting set):",
                    err=True,
                )
                for n in exc.conflict:
                    e = episodes[n]
                    typer.echo(f"  {n} ({e.date}): observed {e.observed}", err=True)
            raise typer.Exit(2) from None
        if as_json:
            _echo_json(result.to_dict())
        else:
            render_summary(result.summary())
