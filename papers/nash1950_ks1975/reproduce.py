"""Reproduce Nash (1950) and Kalai & Smorodinsky (1975): the two axiomatic solutions on
concave frontiers, Nash's own barter example, the monotonicity argument, and the value of
issue linkage (docs/models/axiomatic-bargaining.md)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

import negotiate as ng
from negotiate.figures.bargaining import frontier_figure
from negotiate.papers import Check, check_close, check_equal, check_true

KEY = "nash1950_ks1975"
CITATION = (
    "Nash, J. F. (1950). The bargaining problem. Econometrica, 18(2), 155-162. "
    "Kalai, E. and Smorodinsky, M. (1975). Other solutions to Nash's bargaining problem. "
    "Econometrica, 43(3), 513-518."
)
FIDELITY = "exact"

_SOLVERS = {"nash": ng.nash_bargaining, "kalai_smorodinsky": ng.kalai_smorodinsky}


def _fr(values: Sequence[Any]) -> tuple[Fraction, ...]:
    return tuple(Fraction(v) for v in values)


def _linear_pie(expected: Mapping[str, Any]) -> list[Check]:
    """Split a pie of 1: F = conv{(1, 0), (0, 1)}; closed form x = d1 + alpha (1 - d1 - d2)."""
    checks = []
    for case in expected["cases"]:
        problem = ng.BargainingProblem.from_points([(1, 0), (0, 1)], case["d"])
        if case["concept"] == "nash":
            sol = ng.nash_bargaining(problem, case["weights"])
        else:
            sol = ng.kalai_smorodinsky(problem)
        checks.append(
            check_equal(
                f"{case['id']}: {case['concept']} share u1 on the linear pie, d = {case['d']}",
                Fraction(case["u1"]),
                sol.utilities[0],
            )
        )
    return checks


def _frontier(out: Path, name: str, e: Mapping[str, Any]) -> list[Check]:
    """Nash and KS on a concave frontier u2 = f(u1), d = 0; the figure with both points."""
    problem = ng.BargainingProblem.from_frontier(e["frontier"], 1, (0, 0), players=("1", "2"))
    nash, ks = ng.nash_bargaining(problem), ng.kalai_smorodinsky(problem)
    tol = float(e["tolerance"])
    checks = [
        check_close(f"{e['provenance']}: Nash point", e["nash"], nash.utilities, tol),
        check_close(f"{e['provenance']}: KS point", e["ks"], ks.utilities, tol),
        check_true(
            f"{name}: both solutions certified (feasible, Pareto, optimality condition)",
            nash.verify().ok and ks.verify().ok,
        ),
        check_true(
            f"{name}: the axioms pick different points (IIA vs individual monotonicity)",
            abs(float(nash.utilities[0]) - float(ks.utilities[0])) > 1e-3,
            (round(float(nash.utilities[0]), 6), round(float(ks.utilities[0]), 6)),
        ),
    ]
    if ks.closed_form is not None:
        golden = (math.sqrt(5) - 1) / 2
        checks.append(
            check_close(
                f"{name}: KS closed form is ((sqrt 5) - 1)/2 (identified symbolically)",
                golden,
                float(ks.closed_form[0]),
                1e-15,
            )
        )
    else:
        checks.append(check_true(f"{name}: KS closed form identified", False, None))
    fig = frontier_figure(problem, [nash, ks], title=f"{e['frontier'].replace('**', '^')}, d = 0")
    fig.savefig(out / f"frontier_{name}.svg")
    return checks


def _linkage(out: Path, e: Mapping[str, Any]) -> list[Check]:
    """The package deal (Nash on the linked issue space) against splitting every issue."""
    weights = {k: (a, b) for k, a, b in zip(e["issues"], e["iran"], e["us"], strict=True)}
    space = ng.IssueSpace.linear(e["players"], weights)
    checks: list[Check] = []
    rows = []
    for case in e["cases"]:
        lv = ng.linkage_value(space, case["d"])
        alloc = tuple(lv.linked.allocation[k] for k in e["issues"])  # type: ignore[index]
        checks.append(check_equal(f"{case['id']}: allocation y", _fr(case["y"]), alloc))
        checks.append(
            check_equal(f"{case['id']}: utilities (Iran, US)", _fr(case["u"]), lv.linked.utilities)
        )
        checks.append(
            check_equal(f"{case['id']}: 50/50 split utilities", _fr(e["split"]), lv.split)
        )
        checks.append(
            check_true(
                f"{case['id']}: linkage Pareto-dominates the 50/50 split (both gain)",
                lv.pareto_improvement and all(g > 0 for g in lv.gain) and lv.verify().ok,
                lv.gain,
            )
        )
        split = [y for y in alloc if 0 < y < 1]
        checks.append(
            check_true(
                f"{case['id']}: logrolling, at most one issue is split",
                len(split) <= 1,
                len(split),
            )
        )
        rows.append((case["id"], case["d"], alloc, lv.linked.utilities, lv.split, lv.gain))
        fig = frontier_figure(
            space.problem(case["d"]), [lv.linked], title=f"{case['id']}: linked issues, Nash"
        )
        fig.savefig(out / f"linkage_{case['id'].lower().replace('-', '_')}.svg")
    lines = [
        "| case | d (Iran, US) | "
        + " | ".join(e["issues"])
        + " | U_Iran | U_US | U 50/50 | gain (Iran, US) |",
        "|---|---|" + "---|" * len(e["issues"]) + "---|---|---|---|",
    ]
    for cid, d, alloc, u, split_u, gain in rows:
        lines.append(
            f"| {cid} | ({', '.join(d)}) | "
            + " | ".join(str(y) for y in alloc)
            + f" | {u[0]} | {u[1]} | ({split_u[0]}, {split_u[1]}) | ({gain[0]}, {gain[1]}) |"
        )
    (out / "linkage.md").write_text(
        "# Issue linkage (Nash solution) against splitting every issue 50/50\n\n"
        "y_j = share of issue j going to Iran.\n\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )
    return checks


def _nash_example(out: Path, e: Mapping[str, Any]) -> list[Check]:
    """Nash's barter example: every exchange of goods, lotteries allowed, d = no trade."""
    bill = list(zip(e["bill_goods"], e["bill_utility_bill"], e["bill_utility_jack"], strict=True))
    jack = list(zip(e["jack_goods"], e["jack_utility_bill"], e["jack_utility_jack"], strict=True))
    trades: dict[tuple[int, int], list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for gb in itertools.product((0, 1), repeat=len(bill)):
        for gj in itertools.product((0, 1), repeat=len(jack)):
            given_b = tuple(g for (g, _, _), on in zip(bill, gb, strict=True) if on)
            given_j = tuple(g for (g, _, _), on in zip(jack, gj, strict=True) if on)
            u_b = sum(-ub for (_, ub, _), on in zip(bill, gb, strict=True) if on) + sum(
                ub for (_, ub, _), on in zip(jack, gj, strict=True) if on
            )
            u_j = sum(uj for (_, _, uj), on in zip(bill, gb, strict=True) if on) - sum(
                uj for (_, _, uj), on in zip(jack, gj, strict=True) if on
            )
            trades.setdefault((u_b, u_j), []).append((given_b, given_j))
    problem = ng.BargainingProblem.from_points(
        list(trades), (0, 0), players=("Bill", "Jack"), title="Nash (1950): Bill and Jack"
    )
    nash, ks = ng.nash_bargaining(problem), ng.kalai_smorodinsky(problem)
    at = trades.get(nash.utilities, [])  # Fraction(12) == 12 and hashes alike
    fig = frontier_figure(problem, [nash, ks], title="Nash (1950): Bill and Jack's barter")
    fig.savefig(out / "nash_barter.svg")
    return [
        check_equal(
            "Nash's example: NBS utility gains (Bill, Jack)", _fr(e["gains"]), nash.utilities
        ),
        check_equal(
            "Nash's example: the solution is one pure trade (a vertex, no lottery needed)",
            1,
            len(at),
        ),
        check_equal(
            "Nash's example: Bill gives Jack",
            tuple(e["bill_gives"]),
            at[0][0] if len(at) == 1 else None,
        ),
        check_equal(
            "Nash's example: Jack gives Bill",
            tuple(e["jack_gives"]),
            at[0][1] if len(at) == 1 else None,
        ),
        check_true("Nash's example: solution certified", nash.verify().ok),
    ]


def _monotonicity(out: Path, e: Mapping[str, Any]) -> list[Check]:
    """F_small inside F_large with the same ideal point: Nash gives player 2 less on the
    larger set (violating individual monotonicity); Kalai-Smorodinsky gives it more."""
    small = ng.BargainingProblem.from_points(e["small"], (0, 0), players=("1", "2"))
    large = ng.BargainingProblem.from_points(e["large"], (0, 0), players=("1", "2"))
    sols = {
        (name, c): _SOLVERS[c](p)
        for name, p in (("small", small), ("large", large))
        for c in ("nash", "kalai_smorodinsky")
    }
    s_poly, l_poly = small.polytope, large.polytope
    assert s_poly is not None and l_poly is not None
    nested = all(l_poly.contains(v) for v in s_poly.vertices)
    same_ideal = s_poly.ideal == l_poly.ideal
    n_s, n_l = sols["small", "nash"].utilities, sols["large", "nash"].utilities
    k_s, k_l = (
        sols["small", "kalai_smorodinsky"].utilities,
        sols["large", "kalai_smorodinsky"].utilities,
    )
    _monotonicity_figure(out, small, large, sols)
    return [
        check_true("monotonicity example: F_small is inside F_large", nested),
        check_true("monotonicity example: same ideal point", same_ideal, s_poly.ideal),
        check_equal("Nash on F_small", _fr(e["nash_small"]), n_s),
        check_equal("Nash on F_large", _fr(e["nash_large"]), n_l),
        check_equal("KS on F_small", _fr(e["ks_small"]), k_s),
        check_equal("KS on F_large", _fr(e["ks_large"]), k_l),
        check_true(
            "Nash violates individual monotonicity: player 2 gets less on the larger set",
            n_l[1] < n_s[1],
            (n_s[1], n_l[1]),
        ),
        check_true(
            "KS respects it: player 2 gets weakly more on the larger set",
            k_l[1] >= k_s[1],
            (k_s[1], k_l[1]),
        ),
    ]


def _monotonicity_figure(
    out: Path, small: ng.BargainingProblem, large: ng.BargainingProblem, sols: Mapping[Any, Any]
) -> None:
    fig = Figure(figsize=(5.5, 5), layout="constrained")
    ax = fig.add_subplot()
    for name, problem, colour in (("F_large", large, "0.85"), ("F_small", small, "0.65")):
        poly = problem.polytope
        assert poly is not None
        vs = [(float(a), float(b)) for a, b in poly.vertices] + [
            (float(poly.vertices[0][0]), float(poly.vertices[0][1]))
        ]
        ax.fill([v[0] for v in vs], [v[1] for v in vs], color=colour, label=name)
    for (name, concept), sol in sols.items():
        u = [float(x) for x in sol.utilities]
        label = f"{concept} on F_{name} ({u[0]:.3g}, {u[1]:.3g})"
        if concept == "nash":  # hollow and larger: it may sit on the KS point
            ax.plot(*u, "o", ms=13, mfc="none", mew=2, label=label)
        else:
            ax.plot(*u, "s", ms=7, label=label)
    ax.plot([0, 1], [0, 1], ":", color="0.4", lw=1, label="ray d -> ideal (1, 1)")
    ax.set_xlabel("utility of player 1")
    ax.set_ylabel("utility of player 2")
    ax.set_title("Individual monotonicity: Nash vs Kalai-Smorodinsky")
    ax.legend(fontsize=7, loc="lower left")
    fig.savefig(out / "monotonicity.svg")


def reproduce(out: Path, expected: Mapping[str, Any]) -> list[Check]:
    checks = _linear_pie(expected["linear_pie"])
    checks += _frontier(out, "t2", expected["frontier_t2"])
    checks += _frontier(out, "t4", expected["frontier_t4"])
    checks += _linkage(out, expected["linkage"])
    checks += _nash_example(out, expected["nash_example"])
    checks += _monotonicity(out, expected["monotonicity"])
    return checks
