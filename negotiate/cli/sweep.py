"""The ``negotiate sweep`` command: a scenario over a grid or samples, into Parquet files.

    negotiate sweep FILE --grid NAME=START:STOP:NUM ... [--samples N --seed S]
                    [--set NAME=VALUE ...] [--variant NAME] --out DIR
                    [--workers N | --scheduler ADDRESS] [--resume | --force]

Prints a progress bar with points per second, then the share of each outcome and the
tipping-point curves found.  ``pandas.read_parquet(DIR)`` or ``negotiate.read_sweep(DIR)``
(a :class:`~negotiate.sweeps.result.SweepResult`; its ``.data`` is the dataset) reads the
result.  A grid sweep also writes the regime map of its first two axes (the others at their
baseline) as ``_regime.svg`` and ``_regime.png``: the leading ``_`` keeps Parquet readers of
the directory from taking them for data, like the sweep's ``_manifest.json``.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Annotated, Any

import typer

from negotiate.cli._common import (
    FileArg,
    SetOption,
    VariantAlias,
    VariantOption,
    pick_variant,
    scenario_path,
)
from negotiate.errors import ModelError

__all__ = ["FIGURES", "register"]

#: The regime map of a grid sweep, written beside its Parquet files.
FIGURES = ("_regime.svg", "_regime.png")
_OWN = re.compile(r"^(_manifest\.json|part-\d{6,}-[0-9a-f]{16}\.parquet|\..*\.tmp-\d+)$")


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
            "--tls-ca-file", str(ca), "TLS needs all three of --tls-ca-file, --tls-cert, --tls-key"
        )
    from distributed import Security

    return Security(
        tls_ca_file=str(ca),
        tls_client_cert=str(cert),
        tls_client_key=str(key),
        require_encryption=True,
    )


def _existing_sweep(out: Path, resume: bool, force: bool) -> None:
    """A directory that holds a sweep: keep it for ``--resume``, clear the sweep's own files
    for ``--force`` (nothing else, and no link is followed), else refuse naming both."""
    from negotiate.sweeps.storage import MANIFEST

    if resume and force:
        raise ModelError("--force", True, "give either --resume or --force")
    if not (out / MANIFEST).is_file() or resume:
        return
    if not force:
        raise ModelError(
            "--out",
            str(out),
            "holds a sweep already; pass --resume to finish it, or --force to overwrite it",
        )
    for p in out.iterdir():
        if (_OWN.match(p.name) or p.name in FIGURES) and (p.is_symlink() or p.is_file()):
            p.unlink()


def _regime_figures(run: Any) -> list[Path]:
    """The regime map of a grid sweep's first two axes (further axes at their baseline)."""
    from negotiate.figures.sweeps import regime_map
    from negotiate.sweeps.grid import GridSpace

    space = run.plan.space
    if run.out is None or not isinstance(space, GridSpace) or len(space.names) < 2:
        return []
    ds = run.dataset()
    x, y, *rest = space.names
    select = {}
    for name in rest:
        coord = ds[name]
        base = coord.attrs.get("baseline")
        select[name] = float(base) if base is not None else float(coord.values[len(coord) // 2])
    fig = regime_map(ds, x, y, select=select or None, title=run.plan.scenario_title)
    written = []
    for name in FIGURES:
        buffer = io.BytesIO()
        fig.savefig(buffer, format=name.rpartition(".")[2], dpi=150)
        path = Path(run.out) / name
        tmp = path.with_name(f".{name}.tmp-{os.getpid()}")
        tmp.write_bytes(buffer.getvalue())
        os.replace(tmp, path)  # atomic, and replaces a link at that name rather than follow it
        written.append(path)
    return written


def register(app: typer.Typer) -> None:
    """Add ``sweep`` to the ``negotiate`` command."""

    @app.command("sweep")
    def sweep_command(
        file: FileArg,
        grid: Annotated[
            list[str],
            typer.Option(
                "--grid",
                metavar="NAME=START:STOP:NUM",
                help="Sweep a parameter over NUM points from START to STOP, both included "
                "(repeatable). With --samples: NAME=START:STOP, or NAME for its whole domain.",
                show_default=False,
            ),
        ],
        out: Annotated[
            Path,
            typer.Option(
                "--out",
                metavar="DIR",
                help="Directory for the results: one Parquet file per chunk, and the regime "
                "map of a grid.",
                show_default=False,
            ),
        ],
        samples: Annotated[
            int | None,
            typer.Option("--samples", metavar="N", help="Sample N points instead of a grid."),
        ] = None,
        seed: Annotated[int, typer.Option("--seed", metavar="N", help="Seed of the samples.")] = 0,
        sampling: Annotated[
            str,
            typer.Option("--sampling", metavar="KIND", help="lhs (Latin hypercube) or random."),
        ] = "lhs",
        set_: SetOption = None,
        variant: VariantOption = None,
        workers: Annotated[
            int | None,
            typer.Option("--workers", metavar="N", help="Run on N local worker processes."),
        ] = None,
        scheduler: Annotated[
            str | None,
            typer.Option(
                "--scheduler",
                metavar="ADDRESS",
                help="Run on a Dask cluster: its scheduler's address (tcp://... or tls://...).",
            ),
        ] = None,
        resume: Annotated[
            bool, typer.Option("--resume", help="Finish a sweep started in --out.")
        ] = False,
        force: Annotated[
            bool,
            typer.Option("--force", help="Overwrite a sweep in --out (its own files only)."),
        ] = False,
        chunk_size: Annotated[
            int,
            typer.Option(
                "--chunk-size", metavar="N", help="Points per chunk (one Parquet file each)."
            ),
        ] = 65_536,
        kernel: Annotated[
            str,
            typer.Option(
                "--kernel", metavar="KIND", help="auto, vectorized, or exact (per point)."
            ),
        ] = "auto",
        tls_ca_file: Annotated[
            Path | None,
            typer.Option(
                "--tls-ca-file",
                metavar="FILE",
                help="With a tls:// scheduler: the certificate authority that signed the "
                "cluster's certificates (PEM).",
            ),
        ] = None,
        tls_cert: Annotated[
            Path | None,
            typer.Option(
                "--tls-cert",
                metavar="FILE",
                help="With a tls:// scheduler: this client's certificate (PEM).",
            ),
        ] = None,
        tls_key: Annotated[
            Path | None,
            typer.Option(
                "--tls-key",
                metavar="FILE",
                help="With a tls:// scheduler: this client's private key (PEM).",
            ),
        ] = None,
        scenario: VariantAlias = None,
    ) -> None:
        """Sweep a scenario's parameters: outcome shares and tipping-point curves."""
        from rich.console import Console
        from rich.progress import Progress

        from negotiate.cli.scenario import parse_sets, render_summary
        from negotiate.scenario import load_scenario
        from negotiate.sweeps.api import plan_sweep, run_sweep

        if workers is not None and scheduler is not None:
            raise ModelError("--scheduler", scheduler, "give either --workers or --scheduler")
        model = load_scenario(scenario_path(file))
        plan = plan_sweep(
            model,
            grid,
            samples,
            parse_sets(set_),
            variant=pick_variant(variant, scenario),
            seed=seed,
            sampling=sampling,
            chunk_size=chunk_size,
            kernel=kernel,
            fields=("--grid", "--set"),
        )
        security = _security(tls_ca_file, tls_cert, tls_key)
        _existing_sweep(out, resume, force)
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
        for path in _regime_figures(run):
            typer.echo(f"wrote {path}")
