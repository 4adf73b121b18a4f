"""The ``report`` command: files written, variants and overrides, errors named."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from negotiate.cli.report import register
from negotiate.errors import ModelError

MODELS = Path(__file__).resolve().parent.parent / "models"


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)
    register(app)

    @app.callback()
    def _root() -> None:
        """negotiate (test harness)."""

    return app


def test_report_command_writes_files(app: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "rep"
    args = ["report", str(MODELS / "prisoners_dilemma.toml"), "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--set", "delta=0.4", "--regime", "none"])
    assert result.exit_code == 0, result.output
    assert "stalemate" in result.output
    assert "certificates: all verified" in result.output
    assert (out / "report.html").is_file() and (out / "report.md").is_file()
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "`delta` = 0.4" in md or "delta = 0.4" in md


def test_report_command_variant(app: typer.Typer, tmp_path: Path) -> None:
    args = ["report", str(MODELS / "us_iran_2025.toml"), "--out", str(tmp_path)]
    result = CliRunner().invoke(app, [*args, "--variant", "nope", "--regime", "none"])
    assert isinstance(result.exception, ModelError)
    assert "unknown variant" in str(result.exception)


def test_report_command_bad_regime(app: typer.Typer, tmp_path: Path) -> None:
    args = ["report", str(MODELS / "chicken_crisis.toml"), "--out", str(tmp_path)]
    result = CliRunner().invoke(app, [*args, "--regime", "crash"])
    assert isinstance(result.exception, ModelError)
    assert "--regime" in str(result.exception)


def test_report_into_a_directory_that_holds_other_files(app: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "rep"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    args = ["report", str(MODELS / "chicken_crisis.toml"), "--out", str(out), "--regime", "none"]
    refused = CliRunner().invoke(app, args)
    assert isinstance(refused.exception, ModelError)
    message = str(refused.exception)
    assert "notes.txt" in message and "another directory" in message and "--force" in message
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]  # nothing written
    forced = CliRunner().invoke(app, [*args, "--force"])
    assert (out / "report.html").is_file(), forced.output
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_report_again_into_its_own_directory(app: typer.Typer, tmp_path: Path) -> None:
    out = tmp_path / "rep"
    args = ["report", str(MODELS / "chicken_crisis.toml"), "--out", str(out), "--regime", "none"]
    CliRunner().invoke(app, args)
    assert (out / "report.md").is_file() and (out / "figures").is_dir()
    again = CliRunner().invoke(app, args)  # only a previous report's files: no --force needed
    assert not isinstance(again.exception, ModelError), again.exception
    (out / "figures" / "notes.txt").write_text("mine", encoding="utf-8")
    refused = CliRunner().invoke(app, args)
    assert isinstance(refused.exception, ModelError)
    assert "figures/notes.txt" in str(refused.exception)
