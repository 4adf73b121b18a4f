"""Robustness of the flagship's outcome to its assumptions.

Every parameter whose ``source`` is an assumption or a calibration (not a dated fact such as
the red lines on enrichment) is moved by -20% and +20% of its value, one at a time, and then
all of them jointly by independent factors drawn uniformly from [0.8, 1.2] (seeded), each value
clipped to its declared domain.  Each point is solved exactly (``Scenario.solve``); the script
prints the outcome at every one-at-a-time move that changes it, the outcome shares of the
joint draws and, for the draws that end in war, the no-deal path (who strikes, whether the US
joins), at the 2025 baseline and at the relaxed US position (a 3.67% cap acceptable).

Run: ``python papers/us_iran_2025/robustness.py [--draws N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import negotiate as ng

FILE = Path(__file__).resolve().parents[2] / "models" / "us_iran_2025.toml"
BASELINES: dict[str, dict[str, Any]] = {
    "2025 baseline": {},
    "relaxed US position": {"us_accepts_capped": 1},
}
STEP = Fraction(1, 5)


def assumptions(scenario: Any) -> list[str]:
    """The parameters stated as assumptions or calibrations (facts are held fixed)."""
    return [
        name
        for name, p in scenario.parameters.items()
        if p.source.startswith(("assumption", "calibrated")) and p.value != 0
    ]


def _clip(scenario: Any, name: str, value: Fraction) -> Fraction:
    domain = scenario.parameters[name].domain
    return value if domain is None else min(max(value, domain[0]), domain[1])


def _outcome(scenario: Any, values: Mapping[str, Any]) -> str:
    return str(scenario.solve(dict(values), tipping_points=False).outcome)


def one_at_a_time(scenario: Any, base: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
    """``(parameter, outcome at -20%, at baseline, at +20%)`` for every assumption."""
    values = scenario.values(base)
    at_base = _outcome(scenario, base)
    rows = []
    for name in assumptions(scenario):
        moved = []
        for sign in (-1, 1):
            v = _clip(scenario, name, values[name] * (1 + sign * STEP))
            moved.append(_outcome(scenario, {**base, name: v}))
        rows.append((name, moved[0], at_base, moved[1]))
    return rows


def joint(
    scenario: Any, base: Mapping[str, Any], draws: int, seed: int
) -> tuple[Counter[str], Counter[str]]:
    """Outcome counts over ``draws`` joint moves of every assumption by U[0.8, 1.2], and the
    counts of the no-deal paths of the draws that end in war."""
    rng = random.Random(seed)
    values = scenario.values(base)
    names = assumptions(scenario)
    counts: Counter[str] = Counter()
    war_paths: Counter[str] = Counter()
    for _ in range(draws):
        point = dict(base)
        for name in names:
            factor = 1 + STEP * Fraction(rng.randint(-1000, 1000), 1000)
            point[name] = _clip(scenario, name, values[name] * factor)
        result = scenario.solve(point, tipping_points=False)
        counts[str(result.outcome)] += 1
        if result.outcome == "war" and result.state.no_deal is not None:
            war_paths[" -> ".join(result.state.no_deal.path)] += 1
    return counts, war_paths


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Print and return the one-at-a-time changes and the joint outcome shares."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    scenario = ng.load_scenario(FILE)
    report: dict[str, Any] = {}
    for label, base in BASELINES.items():
        rows = one_at_a_time(scenario, base)
        changed = [r for r in rows if r[1] != r[2] or r[3] != r[2]]
        counts, war_paths = joint(scenario, base, args.draws, args.seed)
        shares = {o: counts[o] / args.draws for o in ("agreement", "stalemate", "war")}
        report[label] = {
            "assumptions": len(rows),
            "changed": changed,
            "joint": shares,
            "war_paths": dict(war_paths),
        }
        print(f"== {label}: outcome {rows[0][2] if rows else '?'}; {len(rows)} assumptions")
        print("   one at a time (-20% / +20%), moves that change the outcome:")
        for name, lo, _, hi in changed:
            print(f"     {name:28s} -20%: {lo:10s} +20%: {hi}")
        if not changed:
            print("     none")
        joint_text = ", ".join(f"{o} {s:.1%}" for o, s in shares.items())
        print(f"   jointly ({args.draws} draws, seed {args.seed}): {joint_text}")
        for path, n in war_paths.most_common():
            print(f"     war by {path}: {n} draws")
    return report


if __name__ == "__main__":
    main()
