"""The ``negotiate sweep`` command: a scenario over a grid or samples, into Parquet files.

    negotiate sweep FILE --grid NAME=START:STOP:NUM ... [--samples N --seed S]
                    [--set NAME=VALUE ...] [--scenario NAME] --out DIR
                    [--workers N | --scheduler ADDRESS] [--resume]

Prints a progress bar with points per second, then the share of each outcome and the
tipping-point curves found.  ``pandas.read_parquet(DIR)`` or ``negotiate.read_sweep(DIR)``
(a :class:`~negotiate.sweeps.result.SweepResult`; its ``.data`` is the dataset) reads the
result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from negotiate.errors import ModelError

__all__ = ["register"]


def _progress_columns() -> tuple[Any, ...]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text("" if not speed else f"{speed:,.0f} points/s", style="cyan")

    return (
        TextColumn("[bold]sweep"),
        BarColumn(),
        MofNCompleteColumn(),
        Rate(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )


def _security(ca: Path | None, cert: Path | None, key: Path | None) -> Any:
    if ca is None and cert is None and key is None:
        return None
    if ca is None or cert is None or key is None:
        raise ModelError(
            "--tls-ca-file", str(ca), "TLS needs --tls-ca-file, --tls-cert and --tls-key"
        )
    from distributed import Security

    return Security(
        tls_ca_file=str(ca),
        tls_client_cert=str(cert),
        tls_client_key=str(key),
        require_encryption=True,
    )


def register(app: typer.Typer) -> None:
    """Add ``sweep`` to the ``negotiate`` command."""

    @app.command("sweep")
    def sweep_command(
        file: Annotated[Path, typer.Argument(help="Scenario file (TOML).")],
        grid: Annotated[
            list[str],
            typer.Option(
                "--grid",
                help="NAME=START:STOP:NUM: NUM points, STOP included (repeatable). With "
                "--samples: NAME=START:STOP, or NAME for its whole domain.",
            ),
        ],
        out: Annotated[Path, typer.Option("--out", help="Output directory (Parquet chunks).")],
        samples: Annotated[
            int | None, typer.Option("--samples", help="Sample N points instead of a grid.")
        ] = None,
        seed: Annotated[int, typer.Option("--seed", help="Seed of the samples.")] = 0,
        sampling: Annotated[
            str, typer.Option("--sampling", help="lhs (Latin hypercube) or random.")
        ] = "lhs",
        set_: Annotated[
            list[str] | None,
            typer.Option("--set", help="Fix a parameter: NAME=VALUE (repeatable)."),
        ] = None,
        scenario: Annotated[str | None, typer.Option("--scenario", help="A named variant.")] = None,
        workers: Annotated[
            int | None, typer.Option("--workers", help="Local worker processes.")
        ] = None,
        scheduler: Annotated[
            str | None,
            typer.Option("--scheduler", help="Dask scheduler address (tcp://... or tls://...)."),
        ] = None,
        resume: Annotated[
            bool, typer.Option("--resume", help="Finish a sweep started in --out.")
        ] = False,
        chunk_size: Annotated[
            int, typer.Option("--chunk-size", help="Points per chunk (one Parquet file each).")
        ] = 65_536,
        kernel: Annotated[
            str, typer.Option("--kernel", help="auto, vectorized, or exact (per point).")
        ] = "auto",
        tls_ca_file: Annotated[Path | None, typer.Option("--tls-ca-file")] = None,
        tls_cert: Annotated[Path | None, typer.Option("--tls-cert")] = None,
        tls_key: Annotated[Path | None, typer.Option("--tls-key")] = None,
    ) -> None:
        """Sweep a scenario's parameters: outcome shares and tipping-point curves."""
        from rich.console import Console
        from rich.progress import Progress

        from negotiate.cli.scenario import parse_sets, render_summary
        from negotiate.scenario import load_scenario
        from negotiate.sweeps.api import plan_sweep, run_sweep

        if workers is not None and scheduler is not None:
            raise ModelError("--scheduler", scheduler, "give either --workers or --scheduler")
        model = load_scenario(file)
        plan = plan_sweep(
            model,
            grid,
            samples,
            parse_sets(set_),
            variant=scenario,
            seed=seed,
            sampling=sampling,
            chunk_size=chunk_size,
            kernel=kernel,
            fields=("--grid", "--set"),
        )
        security = _security(tls_ca_file, tls_cert, tls_key)
        console = Console(stderr=True)
        with Progress(*_progress_columns(), console=console, transient=False) as bar:
            task = bar.add_task("sweep", total=plan.n_points)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done)

            run = run_sweep(
                plan,
                out=out,
                resume=resume,
                workers=workers,
                scheduler=scheduler,
                security=security,
                progress=advance,
            )
        render_summary(run.summary())
