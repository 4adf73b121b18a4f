"""`negotiate check` and `negotiate solve` on every scenario file, and their errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

MODELS = Path(__file__).resolve().parents[1] / "models"


@pytest.mark.parametrize("path", sorted(MODELS.glob("*.toml")), ids=lambda p: p.name)
def test_check_and_solve_every_model(path: Path, cli) -> None:
    code, out, _ = cli("check", str(path))
    assert code == 0 and out.startswith(f"ok: {path.name}")
    code, out, _ = cli("solve", str(path), "--json")
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


def test_solve_flagship_human_output_and_overrides(cli) -> None:
    flagship = str(MODELS / "us_iran_2025.toml")
    code, out, _ = cli("solve", flagship)
    assert code == 0 and "stalemate" in out and "certificates: all verified" in out
    # labels are printed as written: rich would turn ":Iran:" into a flag emoji
    assert "ratification:Iran" in out and "\U0001f1ee" not in out
    args = ("--set", "guarantee=1", "--set", "us_accepts_capped=1", "--json")
    code, out, _ = cli("solve", flagship, *args)
    data = json.loads(out)
    assert code == 0 and data["outcome"] == "agreement"
    assert data["deal"]["enrichment"] == "capped"
    assert set(data["probabilities"]) == {"agreement", "stalemate", "war"}
    assert "Israel" in data["players"] or data["players"] == ["Iran", "US"]
    assert data["derived"]["kappa"] == 1 and "trust_posterior" in data["derived"]
    code, out, _ = cli("solve", flagship, "--variant", "jcpoa_2015", "--json")
    assert code == 0 and json.loads(out)["variant"] == "jcpoa_2015"
    assert json.loads(out)["outcome"] == "agreement"
    code, again, _ = cli("solve", flagship, "--scenario", "jcpoa_2015", "--json")  # old name
    assert code == 0 and again == out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--set", "guarantee=2"], "overrides.guarantee"),
        (["--set", "guarantee"], "--set"),
        (["--set", "nope=1"], "unknown parameter"),
        (["--variant", "nope"], "unknown variant"),
        (["--scenario", "nope"], "unknown variant"),
        (["--variant", "full_guarantee", "--scenario", "guarantee_50"], "disagree"),
    ],
)
def test_solve_errors_are_one_line(args: list[str], words: str, cli) -> None:
    code, _, err = cli("solve", str(MODELS / "us_iran_2025.toml"), *args)
    assert code == 2
    assert words in err and err.count("\n") == 1 and "Traceback" not in err


def test_hostile_file_exits_nonzero_naming_the_field(tmp_path, cli) -> None:
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
        code, _, err = cli(command, str(bad))
        assert code == 2
        assert "bad.toml: bargaining.disagreement.A" in err
    assert not marker.exists()


def test_check_lists_the_variants_by_name_and_meaning(tmp_path, cli) -> None:
    text = (MODELS / "fearon_crisis.toml").read_text(encoding="utf-8")
    text += (
        '\n[scenarios.costly_war]\ndescription = "war costs both sides a fifth of the stake"\n'
        "set = { cost_a = 0.2, cost_b = 0.2 }\n"
        '\n[scenarios.even_odds]\nset = { p = "1/3" }\n'
    )
    path = tmp_path / "variants.toml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = cli("check", str(path))
    assert code == 0 and out.startswith("ok: variants.toml: 3 parameters")
    assert "variants (--variant NAME):" in out
    assert re.search(
        r"^  costly_war +war costs both sides a fifth of the stake \(sets cost_a = 0\.2, "
        r"cost_b = 0\.2\)$",
        out,
        re.M,
    )
    assert re.search(r"^  even_odds +\(no description\) \(sets p = 1/3\)$", out, re.M)
    assert cli("check", str(path), "--variant", "costly_war")[0] == 0
    code, _, err = cli("check", str(path), "--variant", "nope")
    assert code == 2 and "unknown variant" in err
    code, out, _ = cli("check", str(MODELS / "rubinstein.toml"))
    assert code == 0 and "variants: none" in out


def test_check_and_solve_a_bundled_model_by_name(cli) -> None:
    code, out, _ = cli("check", "prisoners_dilemma")
    assert code == 0 and out.startswith("ok: prisoners_dilemma.toml")
    code, out, _ = cli("solve", "prisoners_dilemma", "--json")
    assert code == 0 and json.loads(out)["outcome"] == "agreement"
