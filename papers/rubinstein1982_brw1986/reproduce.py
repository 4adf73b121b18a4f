"""Reproduce Rubinstein (1982), Binmore-Rubinstein-Wolinsky (1986) and the outside-option
principle (Binmore-Shaked-Sutton 1989): patience is power, breakdown risk converges to the
Nash solution, and an outside option matters only when it binds (docs/models/rubinstein.md)."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

import negotiate as ng
from negotiate import theory
from negotiate.figures.bargaining import outside_option_figure, patience_figure
from negotiate.papers import Check, check_close, check_equal, check_true

KEY = "rubinstein1982_brw1986"
CITATION = (
    "Rubinstein, A. (1982). Perfect equilibrium in a bargaining model. Econometrica, 50(1), "
    "97-109. Binmore, K., Rubinstein, A. and Wolinsky, A. (1986). The Nash bargaining "
    "solution in economic modelling. RAND Journal of Economics, 17(2), 176-188. "
    "Binmore, K., Shaked, A. and Sutton, J. (1989). An outside option experiment. "
    "Quarterly Journal of Economics, 104(4), 753-770."
)
FIDELITY = "exact"


def _rubinstein(e: Mapping[str, Any]) -> list[Check]:
    checks = []
    for case in e["cases"]:
        res = theory.Rubinstein(case["delta1"], case["delta2"]).solve()
        checks.append(
            check_equal(
                f"{case['id']}: proposer share x*({case['delta1']}, {case['delta2']})",
                Fraction(case["share"]),
                res.proposer_share,
            )
        )
    return checks


def _grid(out: Path, e: Mapping[str, Any]) -> list[Check]:
    """x*(delta1, delta2) on a grid: increasing in the proposer's patience, decreasing in the
    responder's; equal patience gives the first mover 1/(1 + delta) > 1/2, tending to 1/2."""
    ds = [Fraction(d) for d in e["deltas"]]
    table = {(d1, d2): theory.Rubinstein(d1, d2).solve() for d1 in ds for d2 in ds}
    x = {k: Fraction(r.proposer_share) for k, r in table.items()}
    with (out / "patience_grid.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["delta1 \\ delta2", *(str(d) for d in e["deltas"])])
        for d1, label in zip(ds, e["deltas"], strict=True):
            writer.writerow([label, *(str(x[d1, d2]) for d2 in ds)])
    up = all(x[a, d2] < x[b, d2] for a, b in itertools.pairwise(ds) for d2 in ds)
    down = all(x[d1, a] > x[d1, b] for a, b in itertools.pairwise(ds) for d1 in ds)
    diag = [x[d, d] for d in ds]
    patience_figure().savefig(out / "patience.svg")
    return [
        check_true(
            "every grid cell certified (responder indifferent, proposer prefers agreement)",
            all(r.verify().ok for r in table.values()),
            len(table),
        ),
        check_true("x* rises with the proposer's patience delta1", up),
        check_true("x* falls with the responder's patience delta2", down),
        check_true(
            "equal patience: first-mover advantage x* = 1/(1 + delta) > 1/2",
            all(v == 1 / (1 + d) and v > Fraction(1, 2) for v, d in zip(diag, ds, strict=True)),
            (diag[0], diag[-1]),
        ),
        check_true(
            "equal patience: x* falls toward 1/2 as delta -> 1",
            all(a > b for a, b in itertools.pairwise(diag)),
            float(diag[-1]),
        ),
    ]


def _finite(e: Mapping[str, Any]) -> list[Check]:
    """Backward induction on the explicit game tree, and long horizons -> the stationary share."""
    t = e["tree"]
    model = theory.Rubinstein(t["delta"], t["delta"], horizon=t["horizon"])
    spe = ng.subgame_perfect(model.as_tree(grid=t["grid"]))
    assert isinstance(spe, ng.SPEResult)  # a numeric tree
    checks = [
        check_equal(
            f"explicit {t['horizon']}-period game (offers on a grid of 1/{t['grid']}): "
            "SPE payoff of the first proposer",
            Fraction(t["share"]),
            spe.equilibria[0].payoffs["1"] if len(spe.equilibria) == 1 else None,
        ),
        check_equal(
            "closed-form finite-horizon share equals the tree's backward induction",
            Fraction(t["share"]),
            model.solve().proposer_share,
        ),
        check_true("tree SPE certified", spe.verify().ok),
    ]
    d = Fraction(e["delta"])
    limit = Fraction(theory.Rubinstein(d, d).solve().proposer_share)
    gaps = [
        abs(Fraction(theory.Rubinstein(d, d, horizon=h).solve().proposer_share) - limit)
        for h in e["horizons"]
    ]
    checks.append(
        check_true(
            f"finite horizons {e['horizons']} approach the Rubinstein share {limit}",
            all(a > b for a, b in itertools.pairwise(gaps)),
            tuple(float(g) for g in gaps),
        )
    )
    checks.append(
        check_close(
            f"horizon {e['horizons'][-1]}: share within {e['tolerance']:g} of {limit}",
            float(limit),
            float(limit + gaps[-1]),
            float(e["tolerance"]),
        )
    )
    return checks


def _brw(out: Path, e: Mapping[str, Any]) -> list[Check]:
    """Breakdown risk q, no discounting: x*(q) = b1 + (1 - b1 - b2)/(2 - q) -> Nash with d = b."""
    b = e["disagreement"]
    checks = []
    for case in e["cases"]:
        res = theory.Rubinstein(1, 1, breakdown=case["q"], disagreement=b).solve()
        checks.append(
            check_equal(
                f"BRW share at q = {case['q']}", Fraction(case["share"]), res.proposer_share
            )
        )
    nash = ng.nash_bargaining(ng.BargainingProblem.from_points([(1, 0), (0, 1)], b))
    checks.append(
        check_equal(
            "the BRW limit is the Nash solution with d = breakdown payoffs (computed by "
            "nash_bargaining)",
            Fraction(e["limit"]),
            nash.utilities[0],
        )
    )
    qs = [Fraction(q) for q in e["convergence"]]
    shares = [
        Fraction(theory.Rubinstein(1, 1, breakdown=q, disagreement=b).solve().proposer_share)
        for q in qs
    ]
    gaps = [s - nash.utilities[0] for s in shares]
    checks.append(
        check_true(
            "x*(q) falls monotonically to the Nash share as q -> 0",
            all(g > 0 for g in gaps) and all(a > b for a, b in itertools.pairwise(gaps)),
            float(gaps[-1]),
        )
    )
    lines = ["| q | x*(q) | x*(q) - Nash |", "|---|---|---|"]
    lines += [
        f"| {q} | {s} ({float(s):.6f}) | {float(g):.2e} |"
        for q, s, g in zip(qs, shares, gaps, strict=True)
    ]
    (out / "brw_convergence.md").write_text(
        f"# BRW: breakdown risk q, b = ({b[0]}, {b[1]}); Nash share {nash.utilities[0]}\n\n"
        + "\n".join(lines)
        + "\n",
        encoding="utf-8",
    )
    fig = Figure(figsize=(5.5, 4), layout="constrained")
    ax = fig.add_subplot()
    grid = [Fraction(k, 100) for k in range(1, 101)]
    ys = [
        float(theory.Rubinstein(1, 1, breakdown=q, disagreement=b).solve().proposer_share)
        for q in grid
    ]
    ax.plot([float(q) for q in grid], ys, lw=2, label="proposer's share x*(q)")
    ax.axhline(float(nash.utilities[0]), color="0.4", ls="--", label="Nash solution, d = b")
    ax.set_xlabel("breakdown probability q")
    ax.set_ylabel("proposer's share")
    ax.set_title("Binmore-Rubinstein-Wolinsky: breakdown risk -> Nash")
    ax.legend(fontsize=8)
    fig.savefig(out / "brw_convergence.svg")
    return checks


def _outside(out: Path, e: Mapping[str, Any]) -> list[Check]:
    checks = []
    for case in e["cases"]:
        res = theory.Rubinstein(case["delta"], case["delta"], outside_option=case["w"]).solve()
        label = f"{case['id']}: delta = {case['delta']}, w_B = {case['w']}"
        checks.append(
            check_equal(f"{label}: threshold", Fraction(case["threshold"]), res.thresholds[1])
        )
        checks.append(
            check_equal(f"{label}: A's share", Fraction(case["share"]), res.proposer_share)
        )
    # the kink: flat at 1/(1 + delta) below the threshold, slope -1 above it
    d = Fraction(e["cases"][0]["delta"])
    ws = [Fraction(k, 100) for k in range(0, 101)]
    shares = [
        Fraction(theory.Rubinstein(d, d, outside_option=w).solve().proposer_share) for w in ws
    ]
    th = d / (1 + d)
    flat = all(s == 1 / (1 + d) for w, s in zip(ws, shares, strict=True) if w <= th)
    falls = all(s == 1 - w for w, s in zip(ws, shares, strict=True) if w > th)
    outside_option_figure(str(d)).savefig(out / "outside_option.svg")
    return [
        *checks,
        check_true(f"delta = {d}: share flat at 1/(1 + delta) up to the threshold", flat),
        check_true(f"delta = {d}: beyond the threshold A gets exactly 1 - w_B", falls),
    ]


def _lesson(e: Mapping[str, Any]) -> list[Check]:
    d, w, q = e["delta"], e["value"], e["breakdown"]
    base = theory.Rubinstein(d, d).solve().proposer_share
    option = theory.Rubinstein(d, d, outside_option=w).solve().proposer_share
    breakdown = theory.Rubinstein(d, d, breakdown=q, disagreement=(0, w)).solve().proposer_share
    return [
        check_equal(f"an outside option w_B = {w} below the threshold is irrelevant", base, option),
        check_true(
            f"the same {w} as a breakdown payoff (q = {q}) moves the deal toward B",
            breakdown < base,
            (base, breakdown),
        ),
    ]


def reproduce(out: Path, expected: Mapping[str, Any]) -> list[Check]:
    checks = _rubinstein(expected["rubinstein"])
    checks += _grid(out, expected["grid"])
    checks += _finite(expected["finite_horizon"])
    checks += _brw(out, expected["brw"])
    checks += _outside(out, expected["outside_option"])
    checks += _lesson(expected["lesson"])
    return checks
