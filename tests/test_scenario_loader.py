"""Every way a scenario file can be wrong gives a ModelError naming the file, field and value."""

from __future__ import annotations

from pathlib import Path

import pytest

import negotiate as ng
from negotiate.scenario import load_scenario, loads_scenario

BASE = """
[scenario]
title = "toy"
players = ["A", "B"]

[parameters.g]
value = 0.5
domain = [0, 1]
meaning = "a guarantee"
source = "assumption: test"

[parameters.h]
value = 0.2
domain = [0, 1]
meaning = "a hazard"
source = "assumption: test"

[derived]
k = "1 - h*(1 - g)"

[issues.x]
weights = { A = "0.6", B = "0.4" }
reversible = true

[issues.y]
weights = { A = "0.4", B = "0.6" }

[commitment]
beneficiary = "A"
patience = "0.9"
hazard = "h"
guarantee = "g"

[bargaining]
disagreement = { A = "0.2", B = "0.2" }
"""


def load(text: str) -> ng.NegotiateError | object:
    return loads_scenario(text, source_name="toy.toml")


def error(text: str) -> ng.ModelError:
    with pytest.raises(ng.ModelError) as info:
        load(text)
    assert "toy.toml" in str(info.value)
    return info.value


def test_base_loads_and_solves() -> None:
    s = load(BASE)
    assert s.players == ("A", "B")
    res = s.solve()
    assert res.outcome == "agreement"
    assert res.verify().ok


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        (BASE + "\n[bogus]\nx = 1\n", "bogus", "unknown key"),
        (
            BASE.replace(
                'source = "assumption: test"\n', 'source = "assumption: test"\nunit = "x"\n', 1
            ),
            "parameters.g.unit",
            "unknown key",
        ),
        (BASE.replace('k = "1 - h*(1 - g)"', 'k = "1 - q*(1 - g)"'), "derived.k", "q"),
        (BASE.replace("value = 0.5", "value = 2"), "parameters.g.value", "domain"),
        (BASE.replace("value = 0.5", "value = nan"), "parameters.g.value", "NaN"),
        (BASE.replace("value = 0.5", "value = inf"), "parameters.g.value", "infinite"),
        (BASE.replace("value = 0.5", "value = 1e400"), "parameters.g.value", "infinite"),
        (BASE.replace('source = "assumption: test"\n', "", 1), "parameters.g.source", "required"),
        (
            BASE.replace('source = "assumption: test"\n', 'source = " "\n', 1),
            "parameters.g.source",
            "cite",
        ),
        (BASE.replace('k = "1 - h*(1 - g)"', 'k = "1 - k2"\nk2 = "k"'), "derived.k", "cycle"),
        (
            BASE.replace('beneficiary = "A"', 'beneficiary = "C"'),
            "commitment.beneficiary",
            "not a player",
        ),
        (
            BASE.replace('weights = { A = "0.6", B = "0.4" }', 'weights = { A = "0.6" }'),
            "issues.x.weights.B",
            "required",
        ),
        (BASE + "\n[scenarios.v]\nset = { nope = 1 }\n", "scenarios.v.set.nope", "unknown"),
        (BASE + "\n[scenarios.v]\nset = { g = 3 }\n", "scenarios.v.set.g", "domain"),
        (BASE.replace("value = 0.5", 'value = "yes"'), "parameters.g.value", "not a number"),
        (
            BASE.replace('players = ["A", "B"]', 'players = ["A", "A"]'),
            "scenario.players[1]",
            "duplicate",
        ),
    ],
)
def test_bad_files(text: str, field: str, words: str) -> None:
    err = error(text)
    assert field in err.field, (err.field, str(err))
    assert words in str(err), str(err)


def test_invalid_toml_and_duplicate_keys() -> None:
    assert "invalid TOML" in str(error(BASE + "\n[parameters.g]\nvalue = 1\n"))
    assert "invalid TOML" in str(error("[scenario\n"))


HOSTILE = [
    "__import__('os').system('touch {m}')",
    "().__class__.__base__.__subclasses__()[140].__init__.__globals__['system']('touch {m}')",
    "open('{m}', 'w').write('x')",
    "(lambda: __import__('os').system('touch {m}'))()",
    "g.__class__",
    "9**9**9**9",
    "h+" * 5000 + "h",
    "2**100000000",
    "[x for x in ()]",
    "ｇ + 1",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_expressions_are_refused_without_executing(payload: str, tmp_path: Path) -> None:
    marker = tmp_path / "owned"
    text = payload.replace("{m}", str(marker)).replace("\\", "\\\\").replace('"', '\\"')
    err = error(BASE.replace('k = "1 - h*(1 - g)"', f'k = "{text}"'))
    assert err.field.endswith("derived.k")
    assert not marker.exists()


def test_yaml_and_size_limits(tmp_path: Path) -> None:
    y = tmp_path / "s.yaml"
    y.write_text("scenario: {}\n")
    with pytest.raises(ng.ModelError, match="YAML"):
        load_scenario(y)
    big = tmp_path / "big.toml"
    big.write_text(BASE + "#" * 1_100_000)
    with pytest.raises(ng.ModelError, match="larger"):
        load_scenario(big)
    with pytest.raises(ng.ModelError, match="cannot read"):
        load_scenario(tmp_path / "missing.toml")


def test_template_cycles_and_unbound_placeholders() -> None:
    tree = """
[deterrence]
[deterrence.root]
use = "a"
[deterrence.subtrees.a]
root = { use = "b" }
[deterrence.subtrees.b]
root = { use = "a" }
"""
    text = BASE.replace('[bargaining]\ndisagreement = { A = "0.2", B = "0.2" }\n', "") + tree
    assert "cycle" in str(error(text))
    tree2 = """
[deterrence]
[deterrence.root]
use = "leaf"
[deterrence.subtrees.leaf]
params = ["v"]
root = { payoffs = { A = "v", B = "0" } }
"""
    text2 = BASE.replace('[bargaining]\ndisagreement = { A = "0.2", B = "0.2" }\n', "") + tree2
    assert "needs a value" in str(error(text2))
