"""The command line's shared pieces: advice in option spelling, numbers and names in tables,
one sign convention for constraint rows, and bare model names."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from negotiate.cli._common import cli_advice, fmt_exact, fmt_pairs, plural
from negotiate.cli.scenario import _constraint_row
from negotiate.errors import ModelError
from negotiate.scenario.result import Constraint

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("library", "cli"),
    [
        (
            "Use method='lemke_howson' for one equilibrium, or raise max_cost=.",
            "Use --method lemke_howson for one equilibrium, or raise --max-cost.",
        ),
        (
            "Pass max_cost= to allow it, or use nash_equilibria(method='lemke_howson').",
            "Pass --max-cost to allow it, or use --method lemke_howson.",
        ),
        ("needs an output directory (out=...)", "needs an output directory (--out)"),
        ("bind() it or use method='symbolic'", "bind() it or use --method symbolic"),
        ("x = 3: not a keyword", "x = 3: not a keyword"),
        ("select= fixes the others", "select= fixes the others"),  # no such option: unchanged
    ],
)
def test_advice_in_option_spelling(library: str, cli: str) -> None:
    assert cli_advice(library) == cli


def test_too_large_advice_reaches_the_user_in_option_spelling(cli) -> None:
    code, _, err = cli(
        "nash", str(ROOT / "models" / "games" / "crisis_chicken.nfg"), "--max-cost", "1"
    )
    assert code == 1
    assert "--method lemke_howson" in err and "--max-cost" in err
    assert "method='" not in err and "max_cost=" not in err


def test_numbers_beside_names() -> None:
    assert fmt_pairs(["US", "Iran"], [Fraction(3, 5), Fraction(7, 20)]) == "US 0.6000, Iran 0.3500"
    assert fmt_pairs(["Row", "Column"], [Fraction(1), 3]) == "Row 1, Column 3"
    assert [fmt_exact(x) for x in (Fraction(19, 20), Fraction(1, 3), 1, Fraction(-3, 8))] == [
        "0.95",
        "1/3",
        "1",
        "-0.375",
    ]
    assert plural(1, "equilibrium", "equilibria") == "1 equilibrium"
    assert plural(3, "equilibrium", "equilibria") == "3 equilibria"


@pytest.mark.parametrize(
    ("kind", "holds", "slack", "row"),
    [
        ("participation", True, Fraction(1, 4), ("holds", "+0.2500")),
        ("participation", False, Fraction(-1, 10), ("violated", "-0.1000")),
        ("participation", False, Fraction(0), ("violated", "0")),  # strict: needs a gain
        ("condition", True, Fraction(0), ("binds", "0")),
        # a floor constrains the deal: short of it is violated, exactly at it binds
        ("ratification", False, Fraction(-1, 20), ("violated", "-0.0500")),
        ("ratification", True, Fraction(0), ("binds", "0")),
        ("ratification", True, Fraction(1, 20), ("holds", "+0.0500")),
    ],
)
def test_constraint_rows_have_one_sign_convention(kind, holds, slack, row) -> None:
    c = Constraint(f"{kind}:US", kind, holds, slack, "")
    assert _constraint_row(c) == (c.name, *row)


def test_bare_names_resolve_to_bundled_models(tmp_path: Path, monkeypatch) -> None:
    from negotiate._bundled import bundled_dir, bundled_models, resolve_scenario

    assert bundled_dir("models") == ROOT / "models"  # a checkout reads its own files
    assert bundled_dir("papers") == ROOT / "papers"
    assert resolve_scenario("prisoners_dilemma") == ROOT / "models" / "prisoners_dilemma.toml"
    assert set(bundled_models()) >= {"us_iran_2025", "prisoners_dilemma"}
    monkeypatch.chdir(tmp_path)
    (tmp_path / "prisoners_dilemma").write_text("a local file wins", encoding="utf-8")
    assert resolve_scenario("prisoners_dilemma") == Path("prisoners_dilemma")
    for wrong in ("no_such_model", "prisoners_dilemma.toml", "models/rubinstein"):
        with pytest.raises(ModelError, match=r"no bundled model of that name; bundled: .*us_iran"):
            resolve_scenario(wrong)


def test_cli_names_a_wrong_model_and_lists_the_bundled_ones(cli) -> None:
    code, _, err = cli("solve", "us_iran")
    assert code == 2 and err.count("\n") == 1
    assert "us_iran" in err and "bundled: " in err and "us_iran_2025" in err
