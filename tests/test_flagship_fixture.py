"""The flagship's ``negotiate solve --json`` output is pinned (tests/data/flagship_solve.json).

Every field is compared exactly, except the tipping points: they are compared through
:func:`comparable_tipping_points`, the one place to update when the way thresholds are found
changes on purpose (e.g. thresholds made exact instead of bisected).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "flagship_solve.json"


def comparable_tipping_points(tipping_points: dict[str, Any]) -> dict[str, Any]:
    """The part of the tipping points the fixture pins: every lever's direction, outcome
    after the change, threshold and bracket."""
    return {
        lever: {
            "direction": tp["direction"],
            "outcome_after": tp["outcome_after"],
            "threshold_exact": tp["threshold_exact"],
            "bracket": tp["bracket"],
        }
        for lever, tp in tipping_points.items()
    }


def test_flagship_solve_matches_the_fixture(cli, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = cli("solve", "models/us_iran_2025.toml", "--json")
    assert code == 0, err
    got, expected = json.loads(out), json.loads(FIXTURE.read_text())
    assert set(got) == set(expected)
    for key in expected:
        if key == "tipping_points":
            continue
        assert got[key] == expected[key], key
    assert comparable_tipping_points(got["tipping_points"]) == comparable_tipping_points(
        expected["tipping_points"]
    )
    assert list(got["tipping_points"]) == list(expected["tipping_points"])
