"""Reproduce the two-level game of Putnam (1988), with Tarar's (2001) complete-information
claims and Iida-style ratification risk (stylised; docs/models/two-level.md)."""

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
from negotiate.papers import Check, check_equal, check_true

KEY = "putnam1988_tarar2001"
CITATION = (
    "Putnam, R. D. (1988). Diplomacy and domestic politics: the logic of two-level games. "
    "International Organization, 42(3), 427-460. Tarar, A. (2001). International bargaining "
    "with two-sided domestic constraints. Journal of Conflict Resolution, 45(3), 320-340. "
    "Iida, K. (1993). When and how do domestic constraints matter? Two-level games with "
    "uncertainty. Journal of Conflict Resolution, 37(3), 403-426."
)
FIDELITY = "stylised"
_PLAYERS = ("Iran", "US")


def _outcome(share: Any, floor: Any, ceiling: Any) -> Fraction | None:
    res = theory.TwoLevel(share, floor, ceiling).solve()
    return None if res.share is None else Fraction(res.share)


def _nash_on_winset(floor: Any, ceiling: Any) -> Fraction:
    """Nash solution (d = 0) of the pie restricted to the overlap of the win-sets."""
    lo, hi = Fraction(floor), Fraction(ceiling)
    problem = ng.BargainingProblem.from_points(
        [(lo, 1 - lo), (hi, 1 - hi)], (0, 0), players=_PLAYERS
    )
    return Fraction(ng.nash_bargaining(problem).utilities[0])


def _constraints(e: Mapping[str, Any]) -> list[Check]:
    checks = []
    for case in e["cases"]:
        got = _outcome(e["share"], case["floor"], case["ceiling"])
        want = None if case["outcome"] == "none" else Fraction(case["outcome"])
        label = f"{case['id']}: r_IR = {case['floor']}, r_US = {case['ceiling']}"
        checks.append(check_equal(f"{label}: Iran's ratified share", want, got))
        res = theory.TwoLevel(e["share"], case["floor"], case["ceiling"]).solve()
        checks.append(check_true(f"{label}: certified", res.verify().ok))
    return checks


def _tarar(out: Path, e: Mapping[str, Any]) -> list[Check]:
    """Every combination of constraint levels: who gains, who loses, where the deal dies."""
    x_n = Fraction(e["share"])
    pie = ng.BargainingProblem.from_points([(1, 0), (0, 1)], (0, 0), players=_PLAYERS)
    nash = Fraction(ng.nash_bargaining(pie).utilities[0])
    rows, schelling, inert, nash_ok, dead = [], True, True, True, True
    for ir, us in itertools.product(e["iran"], e["us"]):
        lo, hi = Fraction(ir["floor"]), Fraction(us["ceiling"])
        x = _outcome(x_n, lo, hi)
        rows.append((ir["level"], us["level"], ir["floor"], us["ceiling"], x))
        if x is None:
            dead = dead and lo > hi
            continue
        nash_ok = nash_ok and x == _nash_on_winset(lo, hi)
        iran_binds, us_binds = lo > x_n, hi < x_n
        if iran_binds and not us_binds:
            schelling = schelling and x > x_n  # Iran gains, the US loses
        elif us_binds and not iran_binds:
            schelling = schelling and x < x_n
        else:
            inert = inert and x == x_n
    lines = [
        "| Iran's constraint | US constraint | r_IR | r_US | Iran's share x* | who gains |",
        "|---|---|---|---|---|---|",
    ]
    for li, lu, lo_s, hi_s, x in rows:
        gain = (
            "no agreement"
            if x is None
            else "Iran"
            if x > x_n
            else "US"
            if x < x_n
            else "neither (x_N)"
        )
        lines.append(f"| {li} | {lu} | {lo_s} | {hi_s} | {'-' if x is None else x} | {gain} |")
    (out / "constraint_table.md").write_text(
        f"# Two-level game, complete information (x_N = {x_n})\n\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )
    return [
        check_equal("the unconstrained share x_N is the Nash split of the pie", x_n, nash),
        check_true(
            "Schelling conjecture / Tarar (complete information): the side whose constraint "
            "binds gains and the other loses",
            schelling,
        ),
        check_true("constraints that do not bind change nothing (x* = x_N)", inert),
        check_true("no agreement exactly when the win-sets are disjoint (r_IR > r_US)", dead),
        check_true(
            "x* is the Nash solution on the overlap of the win-sets (independent solver)",
            nash_ok,
        ),
        check_true(
            "the table has cells of every kind (Iran gains, US gains, neither, no deal)",
            {r[4] is None for r in rows} == {True, False}
            and any(r[4] is not None and r[4] > x_n for r in rows)
            and any(r[4] is not None and r[4] < x_n for r in rows),
        ),
    ]


def _schelling(out: Path, e: Mapping[str, Any]) -> list[Check]:
    """Shrink the US win-set step by step: the outcome moves toward the US until the win-sets
    stop overlapping."""
    x_n, floor = e["share"], Fraction(e["floor"])
    xs = [(Fraction(c), _outcome(x_n, floor, c)) for c in e["ceilings"]]
    agreed = [x for c, x in xs if x is not None]
    monotone = all(a >= b for a, b in itertools.pairwise(agreed))
    gone = all((x is None) == (c < floor) for c, x in xs)
    _winset_figure(out, x_n, floor, e["ceilings"])
    return [
        check_true(
            "shrinking the US win-set moves the outcome toward the US (weakly, strictly once "
            "it binds)",
            monotone and agreed[0] > agreed[-1],
            tuple(agreed),
        ),
        check_true("the deal disappears once r_US < r_IR", gone),
    ]


def _winset_figure(out: Path, x_n: Any, floor: Fraction, ceilings: list[str]) -> None:
    picks = [ceilings[3], ceilings[7], ceilings[-1]]  # broad, shrunk, disjoint
    fig = Figure(figsize=(7, 4), layout="constrained")
    ax = fig.add_subplot()
    for row, c in enumerate(picks):
        y = len(picks) - 1 - row
        hi = float(Fraction(c))
        ax.plot([0, 1], [y, y], color="0.3", lw=1)
        ax.fill_between([0, hi], y + 0.05, y + 0.2, color="#d95f02", alpha=0.5)
        ax.fill_between([float(floor), 1], y - 0.2, y - 0.05, color="#1b9e77", alpha=0.5)
        x = _outcome(x_n, floor, c)
        text = "no agreement" if x is None else f"x* = {x}"
        if x is not None:
            ax.plot([float(x)], [y], "kD", ms=7)
        ax.annotate(f"r_US = {c}: {text}", (1.02, y), va="center", fontsize=8)
    ax.plot([], [], color="#d95f02", lw=6, alpha=0.5, label="US win-set x <= r_US")
    ax.plot([], [], color="#1b9e77", lw=6, alpha=0.5, label=f"Iran's win-set x >= {floor}")
    ax.axvline(float(Fraction(x_n)), color="0.5", ls=":", label=f"unconstrained x_N = {x_n}")
    ax.set_xlim(0, 1.35)
    ax.set_ylim(-0.6, len(picks) - 0.3)
    ax.set_yticks([])
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1])
    ax.set_xlabel("Iran's share x (US ideal at 0, Iran's ideal at 1)")
    ax.set_title("Win-sets: a smaller US win-set moves the deal toward the US", fontsize=9)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3)
    fig.savefig(out / "winsets.svg")


def _ratification(out: Path, e: Mapping[str, Any]) -> list[Check]:
    lo, hi, d = e["floor_low"], e["floor_high"], e["disagreement"]
    res = theory.UncertainRatification(lo, hi, d).solve()
    checks = [
        check_equal("M10-T2: share offered x*", Fraction(e["share"]), res.share),
        check_equal(
            "M10-T2: P(ratification fails)", Fraction(e["failure"]), res.failure_probability
        ),
        check_true("M10-T2: certified (first-order condition, no better offer)", res.verify().ok),
    ]
    # complete information: every threshold in the support would be met by a ratifiable deal
    grid = [Fraction(lo) + (Fraction(hi) - Fraction(lo)) * Fraction(k, 20) for k in range(21)]
    sure = all(theory.TwoLevel(e["share"], r, None).solve().agreement for r in grid)
    checks.append(
        check_true(
            "Iida/Tarar: uncertainty about the ratifier creates a risk of failure that "
            "complete information would not have",
            sure and res.failure_probability > 0,
            res.failure_probability,
        )
    )
    # the risk-return formula in disguise: p = 1 - hi, c_bar = hi - lo, c_A = 1 - hi - d
    ds = [Fraction(k, int(e["curve_steps"])) for k in range(int(e["curve_steps"]) + 1)]
    curve = [theory.UncertainRatification(lo, hi, x).solve() for x in ds]
    same = []
    for dd, r in zip(ds, curve, strict=True):
        cost_a = 1 - Fraction(hi) - dd
        if cost_a < 0:
            continue
        rr = theory.RiskReturn(1 - Fraction(hi), cost_a, Fraction(hi) - Fraction(lo)).solve()
        same.append(rr.demand == 1 - r.share and rr.war_probability == r.failure_probability)
    fails = [Fraction(r.failure_probability) for r in curve]
    checks.append(
        check_true(
            "ratification risk is Fearon's risk-return trade-off in disguise (RiskReturn agrees)",
            bool(same) and all(same),
            len(same),
        )
    )
    checks.append(
        check_true(
            "a better US no-deal value raises the risk of ratification failure (weakly)",
            all(a <= b for a, b in itertools.pairwise(fails)) and fails[-1] > fails[0],
            (float(fails[0]), float(fails[-1])),
        )
    )
    c = Fraction(e["centre"])
    width = [Fraction(w) for w in e["widths"]]
    by_width = [
        Fraction(theory.UncertainRatification(c - w, c + w, d).solve().failure_probability)
        for w in width
    ]
    checks.append(
        check_true(
            "more uncertainty about Iran's ratifier raises the risk of failure (weakly)",
            all(a <= b for a, b in itertools.pairwise(by_width)) and by_width[-1] > by_width[0],
            (float(by_width[0]), float(by_width[-1])),
        )
    )
    with (out / "ratification_risk.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["d_US", "share_offered", "p_fail"])
        writer.writerows(
            [
                (str(x), str(r.share), str(r.failure_probability))
                for x, r in zip(ds, curve, strict=True)
            ]
        )
    fig = Figure(figsize=(8, 3.6), layout="constrained")
    left, right = fig.subplots(1, 2)
    left.plot([float(x) for x in ds], [float(f) for f in fails], lw=2, label="P(fail)")
    left.plot(
        [float(x) for x in ds], [float(r.share) for r in curve], "--", label="share offered x*"
    )
    left.set_xlabel("US no-deal value d_US")
    left.set_title(f"r_IR ~ U[{lo}, {hi}]", fontsize=9)
    left.legend(fontsize=7)
    right.plot([float(w) for w in width], [float(f) for f in by_width], "o-", lw=2)
    right.set_xlabel("uncertainty w: r_IR ~ U[0.5 - w, 0.5 + w]")
    right.set_ylabel("P(fail)")
    right.set_title(f"d_US = {d}", fontsize=9)
    fig.suptitle("Ratification risk under uncertainty about Iran's ratifier (Iida-style)")
    fig.savefig(out / "ratification_risk.svg")
    return checks


def reproduce(out: Path, expected: Mapping[str, Any]) -> list[Check]:
    checks = _constraints(expected["constraints"])
    checks += _tarar(out, expected["tarar_table"])
    checks += _schelling(out, expected["schelling"])
    checks += _ratification(out, expected["ratification"])
    return checks
