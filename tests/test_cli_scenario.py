"""`negotiate check` and `negotiate solve` on every scenario file, and their errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from negotiate.cli import main

MODELS = Path(__file__).resolve().parents[1] / "models"


def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["negotiate", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("path", sorted(MODELS.glob("*.toml")), ids=lambda p: p.name)
def test_check_and_solve_every_model(path: Path, monkeypatch, capsys) -> None:
    code, out, _ = run(monkeypatch, capsys, "check", str(path))
    assert code == 0 and out.startswith(f"ok: {path.name}")
    code, out, _ = run(monkeypatch, capsys, "solve", str(path), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["outcome"] in ("agreement", "stalemate", "war")
    assert set(data) >= {
        "outcome",
        "deal",
        "binding_constraints",
        "tipping_points",
        "parameters",
        "certificates",
    }
    assert data["certificates"]["ok"] is True
    for tp in data["tipping_points"].values():
        assert set(tp) >= {"threshold", "direction"}


def test_solve_flagship_human_output_and_overrides(monkeypatch, capsys) -> None:
    flagship = str(MODELS / "us_iran_2025.toml")
    code, out, _ = run(monkeypatch, capsys, "solve", flagship)
    assert code == 0 and "stalemate" in out and "certificates: all verified" in out
    code, out, _ = run(monkeypatch, capsys, "solve", flagship, "--set", "guarantee=1", "--json")
    assert code == 0 and json.loads(out)["outcome"] == "agreement"
    code, out, _ = run(
        monkeypatch, capsys, "solve", flagship, "--scenario", "full_guarantee", "--json"
    )
    assert json.loads(out)["outcome"] == "agreement"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--set", "guarantee=2"], "overrides.guarantee"),
        (["--set", "guarantee"], "--set"),
        (["--set", "nope=1"], "unknown parameter"),
        (["--scenario", "nope"], "unknown variant"),
    ],
)
def test_solve_errors_are_one_line(args: list[str], words: str, monkeypatch, capsys) -> None:
    code, _, err = run(monkeypatch, capsys, "solve", str(MODELS / "us_iran_2025.toml"), *args)
    assert code == 2
    assert words in err and err.count("\n") == 1 and "Traceback" not in err


def test_hostile_file_exits_nonzero_naming_the_field(tmp_path, monkeypatch, capsys) -> None:
    marker = tmp_path / "owned"
    text = (
        (MODELS / "fearon_crisis.toml")
        .read_text(encoding="utf-8")
        .replace(
            'disagreement = { A = "p - cost_a"',
            f"disagreement = {{ A = \"__import__('os').system('touch {marker}')\"",
        )
    )
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    for command in ("check", "solve"):
        code, _, err = run(monkeypatch, capsys, command, str(bad))
        assert code == 2
        assert "bad.toml: bargaining.disagreement.A" in err
    assert not marker.exists()
