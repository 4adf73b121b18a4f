"""The ``negotiate sweep`` command: output, summary, resume, errors naming flag and value."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from negotiate.cli.sweep import register
from negotiate.errors import ModelError

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP = str(ROOT / "models" / "us_iran_2025.toml")


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)

    @app.callback()
    def _root() -> None:
        """negotiate"""

    register(app)
    return app


def _run(app, args):
    return CliRunner().invoke(app, ["sweep", *args], catch_exceptions=True, env={"COLUMNS": "200"})


def test_grid_sweep_writes_parquet_and_prints_the_summary(app, tmp_path) -> None:
    out = tmp_path / "s"
    args = [FLAGSHIP, "--grid", "guarantee=0:1:21", "--grid", "reneging_hazard=0:0.5:11"]
    args += ["--set", "us_accepts_capped=1"]  # the relaxed US position: the red lines allow a cap
    result = _run(app, [*args, "--out", str(out), "--chunk-size", "50"])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "points/s" in text  # the progress bar's rate and the final timing
    assert "agreement" in text and "stalemate" in text
    assert "Tipping-point curves" in text and "stalemate -> agreement" in text
    df = pd.read_parquet(out)  # the regime map beside the chunks does not disturb readers
    assert len(df) == 231 and {"guarantee", "reneging_hazard", "outcome"} <= set(df.columns)
    svg = (out / "_regime.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith(("<?xml", "<svg")) and "guarantee" in svg
    assert (out / "_regime.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"wrote {out / '_regime.svg'}" in text
    again = _run(app, [*args, "--out", str(out), "--chunk-size", "50", "--resume"])
    assert again.exit_code == 0, again.output
    assert "0 computed, 5 already written" in again.output


def test_samples_with_set_and_variant(app, tmp_path) -> None:
    out = tmp_path / "samples"
    result = _run(
        app,
        [
            FLAGSHIP,
            "--grid",
            "guarantee",
            "--grid",
            "detection=0.2:0.9",
            "--samples",
            "300",
            "--seed",
            "4",
            "--set",
            "relief_escrow=0.5",
            "--variant",
            "maximum_pressure",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    df = pd.read_parquet(out)
    assert len(df) == 300 and df["detection"].between(0.2, 0.9).all()
    assert "Tipping-point curves" not in result.output  # samples have no grid lines
    assert not (out / "_regime.svg").exists()  # no regime map without a grid


def test_a_finished_sweep_is_resumed_or_overwritten_only_when_asked(app, tmp_path) -> None:
    out = tmp_path / "s"
    args = [
        FLAGSHIP,
        "--grid",
        "guarantee=0:1:5",
        "--grid",
        "detection=0.2:0.9:3",
        "--out",
        str(out),
    ]
    assert _run(app, args).exit_code == 0
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    again = _run(app, args)
    assert isinstance(again.exception, ModelError)
    assert "--resume" in str(again.exception) and "--force" in str(again.exception)
    both = _run(app, [*args, "--resume", "--force"])
    assert isinstance(both.exception, ModelError) and "either" in str(both.exception)
    (out / "notes.txt").unlink()
    stale = out / "part-000007-0123456789abcdef.parquet"  # a chunk of another sweep
    stale.write_bytes(b"old")
    forced = _run(app, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert "1 computed, 0 already written" in forced.output
    assert not stale.exists() and (out / "_regime.svg").is_file()
    assert len(pd.read_parquet(out)) == 15


def test_force_leaves_other_files_alone(app, tmp_path) -> None:
    out = tmp_path / "s"
    args = [FLAGSHIP, "--grid", "guarantee=0:1:3", "--out", str(out)]
    assert _run(app, args).exit_code == 0
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    forced = _run(app, [*args, "--force"])
    assert isinstance(forced.exception, ModelError) and "not empty" in str(forced.exception)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize(
    ("args", "field", "words"),
    [
        (["--grid", "guarantee=0:1"], "--grid", "START:STOP:NUM"),
        (["--grid", "guarantee=0:1:0"], "--grid", "NUM must be >= 2"),
        (["--grid", "hazard=0:1:5"], "--grid", "unknown parameter"),
        (["--grid", "reneging_hazard=0:0.9:5"], "--grid", "outside its domain"),
        (["--grid", "guarantee=0:1:5", "--set", "detection=2"], "--set.detection", "domain"),
        (["--grid", "guarantee=0:1:5", "--set", "guarantee=1"], "--set.guarantee", "also swept"),
        (["--grid", "guarantee=0:1:5", "--set", "nope"], "--set", "NAME=VALUE"),
        (["--grid", "guarantee=0:1:5", "--samples", "10"], "--grid", "NUM has no meaning"),
        (
            ["--grid", "guarantee=0:1:5", "--workers", "2", "--scheduler", "tcp://x:1"],
            "--scheduler",
            "either",
        ),
    ],
)
def test_errors_name_the_flag_and_the_value(app, tmp_path, args, field, words) -> None:
    result = _run(app, [FLAGSHIP, *args, "--out", str(tmp_path / "x")])
    assert result.exit_code != 0
    err = result.exception
    assert isinstance(err, ModelError), result.output
    assert err.field == field and words in str(err)


def test_missing_out_is_a_usage_error(app) -> None:
    result = _run(app, [FLAGSHIP, "--grid", "guarantee=0:1:5"])
    assert result.exit_code == 2 and "--out" in result.output
