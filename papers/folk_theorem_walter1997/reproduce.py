"""Reproduce self-enforcement under the folk theorem with a reneging hazard, and Walter's
(1997) argument that third-party guarantees make a settlement credible (stylised;
docs/models/self-enforcement.md and the credibility numbers of
docs/models/flagship.md#worked-composite)."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import negotiate as ng
from negotiate import theory
from negotiate.figures.credibility import compliance_region_figure
from negotiate.papers import Check, check_close, check_equal, check_true

KEY = "folk_theorem_walter1997"
CITATION = (
    "Fudenberg, D. and Tirole, J. (1991). Game Theory, ch. 5 (repeated games; grim trigger). "
    "Walter, B. F. (1997). The critical barrier to civil war settlement. International "
    "Organization, 51(3), 335-364."
)
FIDELITY = "stylised"


def _threshold(e: Mapping[str, Any]) -> list[Check]:
    checks = []
    for case in e["cases"]:
        t, r, p = case["payoffs"]
        res = theory.RepeatedCompliance(t, r, p, "1/2").solve()
        checks.append(
            check_equal(
                f"{case['id']}: grim-trigger threshold delta* for (T, R, P) = ({t}, {r}, {p})",
                Fraction(case["critical_delta"]),
                res.critical_delta,
            )
        )
    return checks


def _hazard(e: Mapping[str, Any]) -> list[Check]:
    """Compliance with hazard rho and guarantee g, also by backward induction on the one-shot
    deviation tree (an independent route to the same answer)."""
    t, r, p = e["payoffs"]
    checks = []
    for case in e["cases"]:
        model = theory.RepeatedCompliance(t, r, p, case["delta"], case["rho"], case["g"])
        res = model.solve()
        label = f"{case['id']}: delta = {case['delta']}, rho = {case['rho']}, g = {case['g']}"
        checks.append(check_equal(f"{label}: complies", case["complies"], res.complies))
        spe = ng.subgame_perfect(model.as_tree())
        assert isinstance(spe, ng.SPEResult)  # a numeric tree
        checks.append(
            check_equal(
                f"{label}: backward induction on the deviation tree agrees",
                case["complies"],
                spe.credible([], "comply"),
            )
        )
        if "max_hazard" in case:
            checks.append(
                check_equal(
                    f"{label}: largest sustainable hazard rho-bar",
                    Fraction(case["max_hazard"]),
                    res.max_hazard,
                )
            )
            bar = Fraction(res.max_hazard)  # type: ignore[arg-type]
            at = theory.RepeatedCompliance(t, r, p, case["delta"], bar, case["g"])
            beyond = theory.RepeatedCompliance(
                t, r, p, case["delta"], bar + Fraction(1, 1000), case["g"]
            )
            checks.append(
                check_true(
                    f"{label}: complies at rho-bar itself (ties comply), not just above it",
                    at.solve().complies is True and beyond.solve().complies is False,
                )
            )
        checks.append(check_true(f"{label}: result certified", res.verify().ok))
    rho = e["cases"][0]["rho"]
    crit = [
        theory.RepeatedCompliance(t, r, p, "1/2", rho, g).solve().critical_delta
        for g in ("0", "0.5")
    ]
    checks.append(
        check_true(
            f"Walter: a guarantee lowers the patience needed to comply (rho = {rho})",
            crit[0] is not None and crit[1] is not None and crit[1] < crit[0],
            tuple(crit),
        )
    )
    return checks


def _kappa(out: Path, e: Mapping[str, Any]) -> list[Check]:
    checks = []
    for case in e["cases"]:
        k = theory.credibility_discount(case["delta"], case["rho"])
        checks.append(
            check_equal(f"M6-T3: kappa({case['delta']}, {case['rho']})", Fraction(case["kappa"]), k)
        )
        # independent route: (1 - delta) * sum_t (delta (1 - rho))^t, truncated
        d, rho = Fraction(case["delta"]), Fraction(case["rho"])
        series = (1 - float(d)) * sum((float(d) * (1 - float(rho))) ** n for n in range(2000))
        checks.append(
            check_close(
                f"kappa({case['delta']}, {case['rho']}) equals the discounted relief series",
                float(k),
                series,
                1e-12,
            )
        )
    ds = [Fraction(x) for x in e["table_deltas"]]
    hs = [Fraction(x) for x in e["table_hazards"]]
    gs = [Fraction(x) for x in e["table_guarantees"]]
    kap = {
        (d, h, g): Fraction(theory.credibility_discount(d, h, g))
        for d in ds
        for h in hs
        for g in gs
    }
    with (out / "kappa.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["delta", "guarantee", *(f"rho={h}" for h in e["table_hazards"])])
        for d, g in itertools.product(ds, gs):
            writer.writerow([str(d), str(g), *(f"{float(kap[d, h, g]):.6f}" for h in hs)])
    falls = all(
        kap[d, a, g] > kap[d, b, g] for d in ds for g in gs for a, b in itertools.pairwise(hs)
    )
    helps = all(kap[d, h, gs[-1]] > kap[d, h, gs[0]] for d in ds for h in hs if h > 0)
    patient = all(
        kap[a, h, g] > kap[b, h, g]
        for h in hs
        if h > 0
        for g in gs
        for a, b in itertools.pairwise(ds)
    )
    return [
        *checks,
        check_true("kappa falls as the reneging hazard rises", falls),
        check_true("a guarantee raises kappa wherever the hazard is positive", helps),
        check_true(
            "with a hazard, reversible relief is worth relatively less to a more patient side",
            patient,
        ),
    ]


def _region(out: Path, e: Mapping[str, Any]) -> list[Check]:
    """The compliance region on an exact grid: the guarantee's region contains the other."""
    t, r, p = e["payoffs"]
    n = int(e["steps"])
    pts = [Fraction(k, n) for k in range(1, n)]
    inside = {
        g: {
            (d, h)
            for d in pts
            for h in pts
            if theory.RepeatedCompliance(t, r, p, d, h, g).solve().complies
        }
        for g in e["guarantees"]
    }
    g0, g1 = (inside[g] for g in e["guarantees"])
    boundary = all((d * (1 - h) * (t - p) >= t - r) == ((d, h) in g0) for d in pts for h in pts)
    compliance_region_figure(t, r, p, e["guarantees"]).savefig(out / "compliance_region.svg")
    return [
        check_true(
            f"region with g = 0 is exactly delta (1 - rho) >= (T - R)/(T - P) on a {n - 1}^2 grid",
            boundary,
            len(g0),
        ),
        check_true(
            f"a guarantee g = {e['guarantees'][1]} strictly enlarges the compliance region",
            g0 < g1,
            (len(g0), len(g1)),
        ),
    ]


def _composite(out: Path, e: Mapping[str, Any]) -> list[Check]:
    tol = float(e["tolerance"])
    checks = []
    lines = ["| guarantee g | posterior | rho | rho_eff | kappa |", "|---|---|---|---|---|"]
    for k, row in enumerate(e["rows"]):
        c = theory.credibility(
            e["prior"],
            e["p_exit_trustworthy"],
            e["p_exit_untrustworthy"],
            e["hazard_trustworthy"],
            e["hazard_untrustworthy"],
            e["delta"],
            row["g"],
        )
        if k == 0:
            checks.append(
                check_close(
                    "section 3.3: trust posterior after the exit",
                    e["posterior"],
                    float(c.trust.posterior),
                    tol,
                )
            )
        checks.append(
            check_close(
                f"section 3.3, g = {row['g']}: rho_eff",
                row["rho_eff"],
                float(c.effective_hazard),
                tol,
            )
        )
        checks.append(
            check_close(f"section 3.3, g = {row['g']}: kappa", row["kappa"], float(c.kappa), tol)
        )
        lines.append(
            f"| {row['g']} | {c.trust.posterior} | {c.hazard} | {c.effective_hazard} | "
            f"{c.kappa} ({float(c.kappa):.6f}) |"
        )
    (out / "composite.md").write_text(
        "# Credibility discount after the 2018 exit (docs/models/flagship.md#worked-composite)\n\n"
        + "\n".join(lines)
        + "\n",
        encoding="utf-8",
    )
    return checks


def reproduce(out: Path, expected: Mapping[str, Any]) -> list[Check]:
    checks = _threshold(expected["threshold"])
    checks += _hazard(expected["hazard"])
    checks += _kappa(out, expected["kappa"])
    checks += _region(out, expected["region"])
    checks += _composite(out, expected["composite"])
    return checks
