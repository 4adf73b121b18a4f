"""Reproduce Lacy & Niou (2004) and Drezner (1999): the sanctions selection effect (stylised)."""

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
from negotiate.figures.credibility import selection_effect_figure
from negotiate.papers import Check, check_equal, check_true

KEY = "lacy_niou2004"
CITATION = (
    "Lacy, D., & Niou, E. M. S. (2004). A theory of economic sanctions and issue linkage: "
    "The roles of preferences, information, and threats. Journal of Politics, 66(1), 25-42; "
    "with Drezner, D. W. (1999). The Sanctions Paradox. Cambridge University Press."
)
FIDELITY = "stylised"


def _model(row: Mapping[str, Any], **over: Any) -> theory.Sanctions:
    p = {**row, **over}
    return theory.Sanctions(p["demand"], p["extra_cost"], p["resolve"], p["conflict_expectation"])


def _cases(out: Path, e: Mapping[str, Any]) -> list[Check]:
    checks: list[Check] = []
    lines = [
        "| id | d | phi | pi | eta | regime | pi threshold | P(comply at threat) "
        "| P(imposed) | P(success given imposed) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in e["rows"]:
        res = _model(row).solve()
        tag = f"{row['id']} (pi={row['resolve']}, eta={row['conflict_expectation']})"
        success = res.p_success_given_imposed
        checks += [
            check_equal(f"{tag}: threat credible", row["credible"], res.credible),
            check_equal(
                f"{tag}: credibility threshold d'/(d'+phi)",
                Fraction(row["threshold"]),
                res.credibility_threshold,
            ),
            check_equal(
                f"{tag}: P(comply at threat)", Fraction(row["comply"]), res.p_comply_at_threat
            ),
            check_equal(f"{tag}: P(imposed)", Fraction(row["imposed"]), res.p_imposed),
            check_equal(f"{tag}: P(success | imposed)", Fraction(row["success"]), success),
            check_true(
                f"{tag}: certificate (brute-force best responses on 400 types)", res.verify().ok
            ),
        ]
        regime = "credible" if res.credible else "incredible"
        cells = [row["id"], row["demand"], row["extra_cost"], row["resolve"]]
        cells += [row["conflict_expectation"], regime, res.credibility_threshold]
        cells += [res.p_comply_at_threat, res.p_imposed, success]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    (out / "table_m11.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return checks


def _tree(e: Mapping[str, Any], rows: list[Mapping[str, Any]]) -> list[Check]:
    """Backward induction on each type's game against the closed-form cut-off."""
    row = {r["id"]: r for r in rows}[e["case"]]
    model = _model(row)
    cutoff = Fraction(e["cutoff"])
    types = [Fraction(k, 40) for k in range(41)]
    complies = [
        ng.subgame_perfect(model.as_tree(s), method="exact").equilibria[0].path[0] == "comply"
        for s in types
    ]
    yielding = [s for s, c in zip(types, complies, strict=True) if c]
    return [
        check_equal(
            f"backward induction: lowest type that complies at the threat ({e['provenance']})",
            cutoff,
            min(yielding),
        ),
        check_true(
            "backward induction: every type from the cut-off up complies, none below",
            complies == [s >= cutoff for s in types],
            f"{len(yielding)} of {len(types)} types comply",
        ),
    ]


def _selection(out: Path, e: Mapping[str, Any]) -> list[Check]:
    threshold = Fraction(e["threshold"])
    below = Fraction(e["success_below"])
    resolves = [Fraction(k, 100) for k in range(1, 101)]
    rows: list[tuple[Any, ...]] = []
    for pi in resolves:
        res = _model(e, resolve=pi).solve()
        rows.append(
            (pi, res.credible, res.p_comply_at_threat, res.p_imposed, res.p_success_given_imposed)
        )
    with (out / "selection.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(
            ["resolve", "credible", "p_comply_at_threat", "p_imposed", "p_success_given_imposed"]
        )
        writer.writerows(
            [(float(pi), bool(c), float(a), float(b), float(s)) for pi, c, a, b, s in rows]
        )
    fig = selection_effect_figure(e["demand"], e["extra_cost"], e["conflict_expectation"])
    fig.savefig(out / "selection_effect.svg")
    return [
        check_true(
            f"the threat is credible exactly from pi = {threshold}",
            all(bool(c) == (pi >= threshold) for pi, c, *_ in rows),
        ),
        check_true(
            "selection effect: imposed sanctions never succeed above the threshold",
            all(s == 0 for pi, _, _, _, s in rows if pi >= threshold),
        ),
        check_equal(
            "below the threshold, P(success | imposed) = 1 - (d' + phi)/S",
            {below},
            {s for pi, _, _, _, s in rows if pi < threshold},
        ),
        check_true(
            "threats work: above the threshold some targets yield at the threat stage",
            all(a > 0 for pi, _, a, _, _ in rows if pi >= threshold),
        ),
    ]


def _drezner(out: Path, row: Mapping[str, Any]) -> list[Check]:
    etas = [Fraction(k, 20) for k in range(0, 21)]
    rows = []
    for eta in etas:
        res = _model(row, conflict_expectation=eta).solve()
        rows.append((eta, res.credible, res.p_comply_at_threat, res.p_imposed))
    with (out / "drezner.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["conflict_expectation", "credible", "p_comply_at_threat", "p_imposed"])
        writer.writerows([(float(h), bool(c), float(a), float(b)) for h, c, a, b in rows])
    fig = Figure(figsize=(5.5, 3.6), layout="constrained")
    ax = fig.add_subplot()
    xs = [float(r[0]) for r in rows]
    ax.plot(xs, [float(r[2]) for r in rows], label="P(comply at threat)")
    ax.plot(xs, [float(r[3]) for r in rows], label="P(imposed)")
    ax.set_xlabel("conflict expectation eta")
    ax.set_ylabel("probability")
    ax.set_title(f"Drezner's paradox (stylised): d = {row['demand']}, pi = {row['resolve']}")
    ax.legend(fontsize="small")
    fig.savefig(out / "drezner.svg")
    pairs = list(itertools.pairwise(rows))
    return [
        check_true(
            "Drezner: higher conflict expectations mean fewer concessions at the threat stage",
            all(b[2] <= a[2] for a, b in pairs) and rows[-1][2] < rows[0][2],
            (float(rows[0][2]), float(rows[-1][2])),
        ),
        check_true(
            "Drezner: higher conflict expectations mean more impositions",
            all(b[3] >= a[3] for a, b in pairs) and rows[-1][3] > rows[0][3],
            (float(rows[0][3]), float(rows[-1][3])),
        ),
        check_true(
            "high enough eta makes the threat incredible",
            rows[0][1] is True and rows[-1][1] is False,
            [(float(h), c) for h, c, _, _ in rows[:: len(rows) // 4]],
        ),
    ]


def reproduce(out: Path, expected: Mapping[str, Any]) -> list[Check]:
    rows = expected["cases"]["rows"]
    checks = _cases(out, expected["cases"])
    checks += _tree(expected["tree"], rows)
    checks += _selection(out, expected["selection"])
    checks += _drezner(out, rows[0])
    return checks
