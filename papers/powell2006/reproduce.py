"""Reproduce Powell (2006): war as a commitment problem under shifting power (stylised)."""

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
from negotiate.figures.credibility import war_peace_figure
from negotiate.papers import Check, check_equal, check_true

KEY = "powell2006"
CITATION = (
    "Powell, R. (2006). War as a commitment problem. International Organization, 60(1), 169-203."
)
FIDELITY = "stylised"

_P1, _COST = Fraction(1, 2), Fraction(1, 10)


def _model(row: Mapping[str, Any], steps: int = 1) -> theory.ShiftingPower:
    return theory.ShiftingPower(row["delta"], row["p1"], row["p2"], row["cost_d"], steps=steps)


def _markdown(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _cases(out: Path, expected: Mapping[str, Any]) -> list[Check]:
    checks: list[Check] = []
    table = []
    for row in expected["cases"]["rows"]:
        model = _model(row)
        res = model.solve()
        lhs = Fraction(model.delta) * Fraction(model.shift)
        tag = f"{row['id']} (delta={row['delta']}, p1={row['p1']}, p2={row['p2']})"
        checks += [
            check_equal(f"{tag}: delta * shift", Fraction(row["shift_value"]), lhs),
            check_equal(
                f"{tag}: surplus (1-delta)(1-p1+c_D)", Fraction(row["surplus"]), res.surplus
            ),
            check_equal(
                f"{tag}: up-front share needed", Fraction(row["transfer"]), res.transfer_needed
            ),
            check_equal(f"{tag}: preventive war", row["war"], res.war),
            check_true(f"{tag}: certificate (D indifferent, first step binds)", res.verify().ok),
        ]
        outcome = "war" if res.war else "peace"
        table.append(
            [
                row["id"],
                row["delta"],
                row["p1"],
                row["p2"],
                row["cost_d"],
                lhs,
                res.surplus,
                res.transfer_needed,
                outcome,
            ]
        )
    _markdown(
        out / "cases.md",
        ["id", "delta", "p1", "p2", "c_D", "delta*shift", "surplus", "x1 needed", "outcome"],
        table,
    )
    return checks


def _phasing(out: Path, e: Mapping[str, Any]) -> list[Check]:
    res = _model(e).solve()
    rows = res.phasing_table(max_steps=6)
    with (out / "phasing.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["steps", "transfer_needed", "transfer_needed_exact", "war"])
        writer.writerows([(n, float(x), str(x), bool(w)) for n, x, w in rows])
    fig = Figure(figsize=(5, 3.2), layout="constrained")
    ax = fig.add_subplot()
    ax.plot([n for n, _, _ in rows], [float(x) for _, x, _ in rows], "o-", color="black")
    ax.axhline(1, linestyle=":", color="grey", label="whole pie (x = 1)")
    ax.set_xlabel("phasing steps N")
    ax.set_ylabel("first-period share needed")
    ax.set_title(
        f"Phasing M4-T2: delta={e['delta']}, p1={e['p1']}, p2={e['p2']}, c_D={e['cost_d']}"
    )
    ax.legend(fontsize="small")
    fig.savefig(out / "phasing.svg")
    want = [Fraction(x) for x in e["transfer"]]
    got = [x for _, x, _ in rows[: len(want)]]
    n_min = res.min_steps
    assert isinstance(n_min, int)
    return [
        check_equal(f"min_steps ({e['provenance']})", e["min_steps"], n_min),
        check_equal(f"share needed for N = 1..{len(want)} steps", want, got),
        check_true(
            "phasing restores peace: war with fewer than min_steps steps, peace from min_steps on",
            all(bool(w) == (n < n_min) for n, _, w in rows),
            [(n, "war" if w else "peace") for n, _, w in rows],
        ),
    ]


def _backward_induction(e: Mapping[str, Any], cases: list[Mapping[str, Any]]) -> list[Check]:
    by_id = {row["id"]: row for row in cases}
    checks: list[Check] = []
    for case in e["paths"]:
        model = _model(by_id[case["id"]], steps=case["steps"])
        spe = ng.subgame_perfect(model.as_tree(offers=e["offers"]), method="exact")
        (eq,) = spe.equilibria
        checks.append(
            check_equal(
                f"{case['id']}, N={case['steps']}: backward induction on the offer tree",
                tuple(case["path"]),
                tuple(eq.path[:2]),
            )
        )
        checks.append(
            check_true(f"{case['id']}, N={case['steps']}: SPE certificate", spe.verify().ok)
        )
    # R's own war cost does not enter the war/peace decision
    model = _model(by_id["M4-T1b"])
    paths = {
        tuple(
            ng.subgame_perfect(model.as_tree(offers=e["offers"], cost_r=c), method="exact")
            .equilibria[0]
            .path
        )
        for c in ("0", "0.1", "0.5")
    }
    checks.append(
        check_true(
            "R's war cost does not change the outcome (c_R = 0, 0.1, 0.5)", len(paths) == 1, paths
        )
    )
    return checks


def _qualitative() -> list[Check]:
    shifts = [Fraction(k, 40) for k in range(1, 17)]  # p2 = p1 - shift >= c_D
    deltas = [Fraction(k, 20) for k in range(1, 20)]
    grid = {
        (s, d): theory.ShiftingPower(d, _P1, _P1 - s, _COST).solve() for s in shifts for d in deltas
    }
    monotone_shift = all(
        not grid[(a, d)].war or grid[(b, d)].war
        for d in deltas
        for a, b in itertools.pairwise(shifts)
    )
    monotone_delta = all(
        not grid[(s, a)].war or grid[(s, b)].war
        for s in shifts
        for a, b in itertools.pairwise(deltas)
    )
    both = {r.war for r in grid.values()} == {True, False}
    restored = []
    for (s, d), r in grid.items():
        if r.war:
            n = r.min_steps
            assert isinstance(n, int)
            m = theory.ShiftingPower(d, _P1, _P1 - s, _COST)
            restored.append(m.transfer_needed(n) <= 1 < m.transfer_needed(n - 1))
    return [
        check_true(
            "larger shifts cause war: at each delta, war is monotone in the shift",
            monotone_shift and both,
            f"{sum(r.war for r in grid.values())} war cells of {len(grid)}",
        ),
        check_true("more patience (delta up) never turns war into peace", monotone_delta),
        check_true(
            "every war cell is made peaceful by phasing into min_steps steps (and not fewer)",
            bool(restored) and all(restored),
            f"{len(restored)} war cells",
        ),
    ]


def reproduce(out: Path, expected: Mapping[str, Any]) -> list[Check]:
    checks = _cases(out, expected)
    checks += _phasing(out, expected["phasing"])
    checks += _backward_induction(expected["backward_induction"], expected["cases"]["rows"])
    checks += _qualitative()
    fig = war_peace_figure(str(_P1), str(_COST), steps=(1, 2, 3))
    ax = fig.axes[0]
    for row in expected["cases"]["rows"]:
        if Fraction(row["p1"]) == _P1 and Fraction(row["cost_d"]) == _COST:
            shift = Fraction(row["p1"]) - Fraction(row["p2"])
            ax.plot([float(shift)], [float(Fraction(row["delta"]))], "o", color="black")
            ax.annotate(
                row["id"],
                (float(shift), float(Fraction(row["delta"]))),
                textcoords="offset points",
                xytext=(4, 4),
                fontsize="small",
            )
    fig.savefig(out / "war_peace.svg")
    return checks
