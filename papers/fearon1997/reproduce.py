"""Reproduce Fearon (1997): tying hands against sinking costs (stylised;
docs/models/costly-signals.md).

The closed forms of ``negotiate.theory.CostlySignals`` are checked against the M9 table, and
against the games themselves: the tying-hands tree solved by backward induction for a grid of
defender types, and the sinking-costs signalling game solved for all its perfect Bayesian
equilibria.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import negotiate as ng
from negotiate import theory
from negotiate.figures.tree import tree_figure
from negotiate.papers import Check, check_equal, check_true

KEY = "fearon1997"
CITATION = (
    "Fearon, J. D. (1997). Signaling foreign policy interests: Tying hands versus sinking "
    "costs. Journal of Conflict Resolution, 41(1), 68-90."
)
FIDELITY = "stylised"

F = Fraction


def _row(res: Any) -> tuple[Fraction, ...]:
    tie, sink = res.tying_hands, res.sinking_costs
    return tuple(
        F(x)
        for x in (
            tie.threshold,
            tie.war_probability,
            tie.expected_payoff,
            sink.signal,
            sink.war_probability,
            sink.expected_payoff,
        )
    )


def _tying_hands_game(model: Any, types: int) -> dict[str, Any]:
    """Backward induction on the tying-hands tree of each type ``v = (2i+1)/(2 types)``."""
    ties, bluffs = [], 0
    war = payoff = F(0)
    for i in range(types):
        v = F(2 * i + 1, 2 * types)
        res = ng.subgame_perfect(model.as_tree(v), method="exact")
        if not res.verify().ok:
            raise ng.SolverError("the SPE certificate failed", solver="subgame_perfect")
        eq = res.equilibria[0]
        tied = eq.strategy[()] == "tie hands"
        ties.append((v, tied))
        if tied and eq.strategy[("tie hands", "hard")] != "fight":
            bluffs += 1
        war += sum((q for path, q in eq.outcomes.items() if path[-1] == "fight"), F(0))
        payoff += eq.payoffs["defender"]
    return {"ties": ties, "bluffs": bluffs, "war": war / types, "payoff": payoff / types}


def _sinking_costs_game(model: Any, types: int) -> dict[str, Any]:
    """All perfect Bayesian equilibria of the sinking-costs game with ``types`` types."""
    h, c = F(model.hard_prob), F(model.war_cost)
    res = ng.perfect_bayesian(model.as_signaling_game(types))
    if not res.verify().ok:
        raise ng.SolverError("the PBE certificate failed", solver="perfect_bayesian")
    bluffers: set[str] = set()
    target = None
    for eq in res.equilibria:
        senders = {t for t, msg in eq.sender_strategy.items() if msg == "sink"}
        bluffers |= {t for t in senders if F(t.removeprefix("v=")) < c}
        resolved = {t for t in eq.sender_strategy if F(t.removeprefix("v=")) >= c}
        if senders == resolved and eq.receiver_strategy["sink"] == "stay":
            target = eq
    found: dict[str, Any] = {"count": len(res.equilibria), "bluffers": sorted(bluffers)}
    if target is not None:
        war = F(0)
        for t, msg in target.sender_strategy.items():
            fights = F(t.removeprefix("v=")) >= c
            challenged = F(1) if target.receiver_strategy[msg] == "challenge" else h
            war += F(1, types) * challenged * fights
        found["payoff"] = F(target.payoffs["defender"])
        found["war"] = war
    return found


def _case_checks(case: Mapping[str, Any], cols: list[str], games: Mapping[str, Any]) -> list[Check]:
    model = theory.CostlySignals(case["h"], case["c"])
    res = model.solve()
    label = f"h = {case['h']}, c_D = {case['c']}"
    want = tuple(F(case[k]) for k in cols)
    checks = [
        check_equal(f"({', '.join(cols)}) at {label} ({case['id']})", want, _row(res)),
        check_true(
            f"verify() at {label}: type-wise best choices integrate to the closed forms",
            res.verify().ok,
        ),
    ]
    tie = _tying_hands_game(model, games["tie_types"])
    v_hat = F(case["v_hat"])
    checks.append(
        check_equal(
            f"tying-hands tree, {games['tie_types']} types: (P(war), E[U_D]) by backward induction",
            (F(case["war_tie"]), F(case["payoff_tie"])),
            (tie["war"], tie["payoff"]),
        )
    )
    checks.append(
        check_true(
            f"tying-hands tree: a type ties its hands iff v >= v_hat = {v_hat}",
            all(tied == (v >= v_hat) for v, tied in tie["ties"]),
            min(v for v, tied in tie["ties"] if tied),
        )
    )
    sink = _sinking_costs_game(model, games["sink_types"])
    checks.append(
        check_equal(
            f"sinking-costs game, {games['sink_types']} types: (P(war), E[U_D]) of the PBE "
            "where exactly the types v >= c_D sink m*",
            (F(case["war_sink"]), F(case["payoff_sink"])),
            (sink.get("war"), sink.get("payoff")),
        )
    )
    checks.append(
        check_true(
            f"no bluffing at {label}: every tying type fights, and no type below c_D sinks costs "
            f"in any of the {sink['count']} PBE",
            tie["bluffs"] == 0 and not sink["bluffers"],
            (tie["bluffs"], sink["bluffers"]),
        )
    )
    return checks


def _figures(out: Path, h: str, rows: list[tuple[str, ...]]) -> None:
    grid = [F(k, 50) for k in range(51)]
    curves: dict[str, list[float]] = {k: [] for k in ("tie_war", "sink_war", "tie_eu", "sink_eu")}
    for c in grid:
        r = theory.CostlySignals(h, c).solve()
        curves["tie_war"].append(float(r.tying_hands.war_probability))
        curves["sink_war"].append(float(r.sinking_costs.war_probability))
        curves["tie_eu"].append(float(r.tying_hands.expected_payoff))
        curves["sink_eu"].append(float(r.sinking_costs.expected_payoff))
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 3.4), layout="constrained")
    xs = [float(c) for c in grid]
    for k, (key, ylabel) in enumerate((("eu", "defender's E[U]"), ("war", "P(war)"))):
        ax = fig.add_subplot(1, 2, k + 1)
        ax.plot(xs, curves[f"tie_{key}"], color="#1b9e77", label="tying hands")
        ax.plot(xs, curves[f"sink_{key}"], color="#d95f02", linestyle="--", label="sinking costs")
        ax.set_xlabel("defender's war cost c_D")
        ax.set_ylabel(ylabel)
        ax.set_xlim(0, 1)
        ax.legend(fontsize="small")
    fig.suptitle(f"Tying hands vs sinking costs (stylised Fearon 1997), h = {h}")
    fig.savefig(out / "tie_vs_sink.svg")
    with (out / "tie_vs_sink.csv").open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["war_cost", "war_tie", "war_sink", "payoff_tie", "payoff_sink"])
        for i, c in enumerate(grid):
            writer.writerow([str(c), *(curves[k][i] for k in curves)])
    header = "| case | h | c_D | v̂ | P(war) tie | E[U] tie | m* | P(war) sink | E[U] sink |"
    lines = [header, "|" + "---|" * 9, *("| " + " | ".join(r) + " |" for r in rows)]
    (out / "m9_table.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    model = theory.CostlySignals(h, "0.5")
    tree = model.as_tree("0.6")
    tree_figure(
        tree, ng.subgame_perfect(tree), title=f"Tying hands, type v = 0.6 (h = {h}, c_D = 0.5)"
    ).savefig(out / "tree_tying_hands.svg", bbox_inches="tight")


def reproduce(out: Path, expected: Mapping[str, Any]) -> list[Check]:
    table, games = expected["table"], expected["games"]
    cols = list(table["columns"])
    checks: list[Check] = []
    rows = []
    for case in table["cases"]:
        checks += _case_checks(case, cols, games)
        r = _row(theory.CostlySignals(case["h"], case["c"]).solve())
        rows.append((case["id"], case["h"], case["c"], *(str(x) for x in r)))
    n = expected["comparison"]["grid"]
    interior = [F(k, n + 1) for k in range(1, n + 1)]
    gaps = [theory.CostlySignals(h, c).solve() for h in interior for c in interior]
    better = min(F(g.payoff_advantage) for g in gaps)
    riskier = min(F(g.extra_war_risk) for g in gaps)
    checks.append(
        check_true(
            f"tying hands does better on average on all {n}x{n} interior (h, c_D): "
            "min E[U]_tie - E[U]_sink > 0",
            better > 0,
            better,
        )
    )
    checks.append(
        check_true(
            f"but more ex-ante risk of war on all {n}x{n}: min P(war)_tie - P(war)_sink > 0",
            riskier > 0,
            riskier,
        )
    )
    _figures(out, table["cases"][0]["h"], rows)
    return checks
