"""Reproduce Zagare & Kilgour (2000), Perfect Deterrence: the credibility threshold, the status
quo as a strategic variable, and the retaliation menu (stylised, docs/models/deterrence.md)."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import sympy as sp

import negotiate as ng
from negotiate import theory
from negotiate.figures.credibility import deterrence_threshold_figure
from negotiate.figures.tree import tree_figure
from negotiate.papers import Check, check_equal, check_true

KEY = "zagare_kilgour2000"
CITATION = (
    "Zagare, F. C., & Kilgour, D. M. (2000). Perfect Deterrence. "
    "Cambridge University Press (Cambridge Studies in International Relations 72)."
)
FIDELITY = "stylised"

F = Fraction
_STEP = F(1, 100)  # how far below a threshold the challenge is checked


def _boundary(tree: ng.GameTree, name: str, keep: str) -> Fraction:
    """The credibility at which the SPE switches to ``keep``, read off the symbolic SPE regions
    of ``tree`` (whose probability is the parameter ``name``)."""
    p = ng.Parameter(name).symbol
    result = ng.subgame_perfect(tree, method="symbolic")
    (region,) = [r for r in result.regions if r.path == (keep,)]
    (ineq,) = region.inequalities
    (root,) = sp.solve(ineq.expr, p)
    return F(str(root))


def _path(tree: ng.GameTree) -> tuple[str, ...]:
    result = ng.subgame_perfect(tree, method="exact")
    if not result.verify().ok:
        raise ng.SolverError("the SPE certificate failed", solver="subgame_perfect")
    return tuple(result.equilibria[0].path)


def _status_quo_checks(out: Path, e: Mapping[str, Any]) -> list[Check]:
    checks: list[Check] = []
    w, f = e["win"], e["conflict"]
    p = ng.Parameter("p").symbol
    rows = []
    for case in e["cases"]:
        sq, want = case["status_quo"], F(case["threshold"])
        res = theory.Deterrence(w, sq, f, "1/2").solve()
        got = F(res.threshold)
        rows.append((F(sq), got))
        checks.append(check_equal(f"p* = (W-SQ)/(W-F) at SQ = {sq} ({case['id']})", want, got))
        spe_boundary = _boundary(theory.Deterrence(w, sq, f, p).as_tree(), "p", "status quo")
        checks.append(
            check_equal(f"p* at SQ = {sq} from the symbolic SPE of the tree", want, spe_boundary)
        )
        at = _path(theory.Deterrence(w, sq, f, got).as_tree())
        below = _path(theory.Deterrence(w, sq, f, got - _STEP).as_tree())
        checks.append(
            check_true(
                f"SPE at SQ = {sq}: deterred at p = p*, challenges at p = p* - 1/100",
                at == ("status quo",) and below == ("challenge",),
                (at, below),
            )
        )
    thresholds = [t for _, t in sorted(rows)]
    checks.append(
        check_true(
            "a better status quo lowers the credibility needed (p* falls as SQ rises)",
            all(a > b for a, b in itertools.pairwise(thresholds)),
            [str(t) for t in thresholds],
        )
    )
    # same credibility, different status quo: the outcome changes
    half = F(1, 2)
    low = _path(theory.Deterrence(w, e["cases"][0]["status_quo"], f, half).as_tree())
    high = _path(theory.Deterrence(w, e["cases"][-1]["status_quo"], f, half).as_tree())
    checks.append(
        check_true(
            "at p = 1/2 the challenger challenges under maximum pressure and is deterred "
            "after relief",
            low == ("challenge",) and high == ("status quo",),
            (low, high),
        )
    )
    with (out / "thresholds.csv").open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["status_quo", "p_star"])
        for k in range(-8, 9):
            sq_k = F(k, 8)
            writer.writerow([str(sq_k), str(theory.Deterrence(w, sq_k, f, half).solve().threshold)])
    for label, case in (("pressure", e["cases"][0]), ("relief", e["cases"][-1])):
        tree = theory.Deterrence(w, case["status_quo"], f, half).as_tree()
        fig = tree_figure(
            tree,
            ng.subgame_perfect(tree),
            title=f"Unilateral deterrence (stylised), SQ = {case['status_quo']}, p = 1/2",
        )
        fig.savefig(out / f"tree_{label}.svg", bbox_inches="tight")
    deterrence_threshold_figure(w, f).savefig(out / "threshold_vs_status_quo.svg")
    return checks


def _capability_checks(e: Mapping[str, Any]) -> list[Check]:
    res = theory.Deterrence(e["win"], e["status_quo"], e["conflict"], 1).solve()
    path = _path(theory.Deterrence(e["win"], e["status_quo"], e["conflict"], 1).as_tree())
    return [
        check_equal(
            f"p* at SQ = {e['status_quo']} below F ({e['provenance']})",
            F(e["threshold"]),
            F(res.threshold),
        ),
        check_true(
            "capability fails (F >= SQ): even a certainly Hard defender does not deter",
            res.capable is False and res.deterred is False and path == ("challenge",),
            (res.capable, res.deterred, path),
        ),
    ]


def _menu_checks(out: Path, e: Mapping[str, Any], r: Mapping[str, Any]) -> list[Check]:
    args = (e["gain"], e["strike_cost"], e["limited_damage"], e["severe_damage"])
    checks: list[Check] = []
    want = F(e["threshold"])
    res = theory.RetaliationMenu(*args, "0").solve()
    checks.append(check_equal(f"P(severe) threshold p* ({e['provenance']})", want, res.threshold))
    q = ng.Parameter("q").symbol
    checks.append(
        check_equal(
            "p* from the symbolic SPE of the strike tree",
            want,
            _boundary(theory.RetaliationMenu(*args, q).as_tree(), "q", "no strike"),
        )
    )
    rows = []
    for case in e["cases"]:
        model = theory.RetaliationMenu(*args, case["p_severe"])
        sol = model.solve()
        path = _path(model.as_tree())
        checks.append(
            check_equal(
                f"EU(strike) at P(severe) = {case['p_severe']}",
                F(case["strike_value"]),
                sol.strike_value,
            )
        )
        checks.append(
            check_true(
                f"SPE at P(severe) = {case['p_severe']}: "
                + ("no strike (deterred)" if case["deterred"] else "strike"),
                sol.deterred == case["deterred"]
                and path == (("no strike",) if case["deterred"] else ("strike",)),
                (sol.deterred, path),
            )
        )
        rows.append((case["p_severe"], sol.strike_value, sol.deterred))
    at = _path(theory.RetaliationMenu(*args, want).as_tree())
    checks.append(
        check_true("the deterrent holds at P(severe) = p* itself", at == ("no strike",), at)
    )
    p_sev = theory.severe_retaliation_probability(
        r["counter_escalation"], r["severe_extra_cost"], r["max_resolve"]
    )
    checks.append(
        check_equal(f"P(severe) from resolve ({r['provenance']})", F(r["p_severe"]), p_sev)
    )
    checks.append(
        check_true(
            f"capability D_sev > G - K ({r['capability_lhs']} > {r['capability_rhs']})",
            res.capable is True
            and F(e["severe_damage"]) == F(r["capability_lhs"])
            and F(e["gain"]) - F(e["strike_cost"]) == F(r["capability_rhs"]),
            res.capable,
        )
    )
    resolved = theory.RetaliationMenu.from_resolve(
        *args, r["counter_escalation"], r["severe_extra_cost"], r["max_resolve"]
    )
    sol = resolved.solve()
    path = _path(resolved.as_tree())
    checks.append(
        check_true(
            "with that resolve (P(severe) = 3/10 < 4/11) the menu does not deter: strike",
            sol.deterred is False and path == ("strike",) and sol.strike_value > 0,
            (str(sol.strike_value), path),
        )
    )
    rows.append((str(p_sev), sol.strike_value, sol.deterred))
    lines = [
        f"| P(severe) | EU(strike) | deterred (p* = {want}) |",
        "|---|---|---|",
        *(f"| {p} | {v} | {d} |" for p, v, d in rows),
    ]
    (out / "retaliation_menu.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tree = theory.RetaliationMenu(*args, e["cases"][0]["p_severe"]).as_tree()
    fig = tree_figure(
        tree, ng.subgame_perfect(tree), title="Strike against a retaliation menu, P(severe) = 0.2"
    )
    fig.savefig(out / "tree_retaliation.svg", bbox_inches="tight")
    return checks


def reproduce(out: Path, expected: Mapping[str, Any]) -> list[Check]:
    return [
        *_status_quo_checks(out, expected["status_quo"]),
        *_capability_checks(expected["capability"]),
        *_menu_checks(out, expected["retaliation_menu"], expected["resolve"]),
    ]
