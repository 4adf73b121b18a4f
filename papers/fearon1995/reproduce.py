"""Reproduce Fearon (1995): the bargaining range and the risk-return trade-off (stylised)."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

from negotiate import theory
from negotiate.figures.bargaining import bargaining_range_figure
from negotiate.papers import Check, check_equal, check_true

KEY = "fearon1995"
CITATION = (
    "Fearon, J. D. (1995). Rationalist explanations for war. "
    "International Organization, 49(3), 379-414."
)
FIDELITY = "stylised"


def _risk_curve(out: Path, p: str, cost_a: str) -> list[tuple[Fraction, Fraction]]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = []
    for k in range(1, 41):
        cbar = Fraction(k, 40)
        res = theory.RiskReturn(p, cost_a, cbar).solve()
        rows.append((cbar, Fraction(res.war_probability)))
    with (out / "risk_return.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["cost_b_max", "war_probability"])
        writer.writerows([(float(c), float(w)) for c, w in rows])
    fig, ax = plt.subplots(figsize=(5, 3.2))
    ax.plot([float(c) for c, _ in rows], [float(w) for _, w in rows], color="black")
    ax.axvline(float(Fraction(cost_a)), linestyle=":", color="grey")
    ax.set_xlabel("uncertainty about B's cost, c̄")
    ax.set_ylabel("P(war)")
    ax.set_title(f"Risk-return trade-off (p = {p}, c_A = {cost_a})")
    fig.tight_layout()
    fig.savefig(out / "risk_return.svg")
    plt.close(fig)
    return rows


def reproduce(out: Path, expected: Mapping[str, Any]) -> list[Check]:
    checks: list[Check] = []
    for key in ("range_t1a", "range_t1b"):
        e = expected[key]
        rng = theory.CrisisBargaining(e["p"], e["cost_a"], e["cost_b"]).solve()
        want = tuple(Fraction(x) for x in e["range"])
        checks.append(check_equal(f"bargaining range ({e['provenance']})", want, tuple(rng.range)))
        checks.append(
            check_true("a range exists with complete information", rng.width > 0, rng.width)
        )
    for case in expected["risk_return"]["cases"]:
        res = theory.RiskReturn(case["p"], case["cost_a"], case["cost_b_max"]).solve()
        checks.append(
            check_equal(
                f"demand x* at p={case['p']}, c_A={case['cost_a']}, c̄={case['cost_b_max']}",
                Fraction(case["demand"]),
                Fraction(res.demand),
            )
        )
        checks.append(
            check_equal(
                f"P(war) at p={case['p']}, c_A={case['cost_a']}, c̄={case['cost_b_max']}",
                Fraction(case["war"]),
                Fraction(res.war_probability),
            )
        )
    curve = _risk_curve(out, "0.5", "0.1")
    wars = [w for _, w in curve]
    checks.append(
        check_true(
            "P(war) rises with uncertainty c̄ (weakly, strictly above c_A)",
            all(b >= a for a, b in itertools.pairwise(wars)) and wars[-1] > wars[0],
            (float(wars[0]), float(wars[-1])),
        )
    )
    neutral = {
        Fraction(theory.RiskReturn(p, "0.1", "0.3").solve().war_probability)
        for p in ("0.2", "0.35", "0.5")
    }
    checks.append(
        check_true("P(war) does not depend on p (neutrality)", len(neutral) == 1, sorted(neutral))
    )
    fig = bargaining_range_figure("0.5", "0.1", "0.1")
    fig.savefig(out / "range.svg")
    return checks
