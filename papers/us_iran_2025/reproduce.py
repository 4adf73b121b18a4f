"""Reproduce the flagship US-Iran 2025 model: the worked composite of its bargaining layer
(credibility discount as the expectation over the US type), its three-player no-deal game
(Israel's preventive strike, the US choice to join, Iran's retaliation) at the baseline and the
dated variants, and the guarantee x reneging-hazard regime map of models/us_iran_2025.toml.

This is the project's own model, not a paper: every number in it is an assumption or a
calibration (see the scenario file's ``source`` fields).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

import negotiate as ng
from negotiate import sweeps, theory
from negotiate.figures.sweeps import regime_map, tipping_curve_figure
from negotiate.papers import Check, check_close, check_equal, check_true
from negotiate.scenario.threats import threat_checks
from negotiate.sweeps.influence import check_influence

KEY = "us_iran_2025"
CITATION = (
    "negotiate project (2025). The US-Iran nuclear talks of 2025: a layered game-theoretic "
    "model (models/us_iran_2025.toml). The project's own model."
)
FIDELITY = "model"

F = Fraction
MODELS = Path(__file__).resolve().parents[2] / "models"


def _layer(c: Mapping[str, Any], g: Any) -> Any:
    return theory.credibility(
        c["prior_trust"],
        c["exit_if_trustworthy"],
        c["exit_if_untrustworthy"],
        c["hazard_trustworthy"],
        c["hazard_untrustworthy"],
        c["delta"],
        g,
    )


def _terms(deal: Any) -> tuple[Mapping[str, Any], tuple[Any, Any]]:
    """The allocation and the utilities of a deal that was reached."""
    if deal.allocation is None or deal.utilities is None:
        raise ng.SolverError("the deal has no terms: no agreement", solver="discounted_deal")
    return deal.allocation, deal.utilities


def _credibility_checks(c: Mapping[str, Any]) -> list[Check]:
    base = _layer(c, 0)
    tol = c["tolerance"]
    checks = [
        check_equal("Kydd posterior after the 2018 exit", F(c["posterior"]), base.trust.posterior),
        check_equal(
            "reneging hazard rho_0 = pi' h_TW + (1 - pi') h_UT", F(c["hazard"]), base.hazard
        ),
        check_close(
            "posterior (6 decimals)", c["posterior_decimal"], float(base.trust.posterior), tol
        ),
        check_close("rho_0 (6 decimals)", c["hazard_decimal"], float(base.hazard), tol),
    ]
    for row in c["rows"]:
        layer = _layer(c, row["guarantee"])
        checks.append(
            check_close(
                f"(rho_eff, kappa) at g = {row['guarantee']}",
                (row["rho_eff"], row["kappa"]),
                (float(layer.effective_hazard), float(layer.kappa)),
                tol,
            )
        )
        checks.append(
            check_true(f"credibility layer verifies at g = {row['guarantee']}", layer.verify().ok)
        )
    return checks


def _composite(
    out: Path, c: Mapping[str, Any], e: Mapping[str, Any], link: Mapping[str, Any]
) -> list[Check]:
    weights = {i: (a, b) for i, a, b in zip(e["issues"], e["iran"], e["us"], strict=True)}
    space = ng.IssueSpace.linear(["Iran", "US"], weights, reversible=set(e["reversible"]))
    tol = e["tolerance"]
    checks: list[Check] = []
    deals = {}
    lines = [
        "| g | d | agreement | y (" + ", ".join(e["issues"]) + ") | U = (Iran, US) |",
        "|---|---|---|---|---|",
    ]
    for row in e["rows"]:
        g, d = row["guarantee"], tuple(row["d"])
        deal = theory.discounted_deal(space, d, _layer(c, g))
        deals[(g, d)] = deal
        where = f"g = {g}, d = ({d[0]}, {d[1]})"
        checks.append(check_true(f"deal certificate at {where}", deal.verify().ok))
        checks.append(check_equal(f"agreement at {where}", row["agreement"], deal.agreement))
        if row["agreement"] and deal.agreement:
            allocation, utilities = _terms(deal)
            y = [float(allocation[i]) for i in e["issues"]]
            u = [float(x) for x in utilities]
            checks.append(check_close(f"allocation y at {where}", row["y"], y, tol))
            checks.append(check_close(f"utilities U at {where}", row["u"], u, tol))
            lines.append(
                f"| {g} | ({d[0]}, {d[1]}) | yes | ({', '.join(f'{v:.4f}' for v in y)}) | "
                f"({u[0]:.4f}, {u[1]:.4f}) |"
            )
        else:
            lines.append(f"| {g} | ({d[0]}, {d[1]}) | **no agreement** | | |")
    (out / "composite_3_3.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    none_g = [k for k, v in deals.items() if not v.agreement]
    restored = all(deals[("0.5", d)].agreement for _, d in deals)
    checks.append(
        check_true(
            "a 50% guarantee restores a deal in every case of the table",
            bool(none_g) and restored,
            [f"no deal without: d = {d}" for _, d in none_g],
        )
    )
    (y0, u0), (y1, u1) = (_terms(deals[(g, ("0.45", "0.3"))]) for g in ("0", "0.5"))
    checks.append(
        check_true(
            "at d = (0.45, 0.3) the guarantee moves enrichment toward the US and helps both sides",
            y1["enrichment"] < y0["enrichment"] and all(a > b for a, b in zip(u1, u0, strict=True)),
            (str(y0["enrichment"]), str(y1["enrichment"])),
        )
    )
    plain = theory.discounted_deal(space, tuple(link["d"]), 1)
    checks.append(
        check_equal(
            "without a credibility discount the package is the linked Nash solution",
            tuple(F(x) for x in link["u"]),
            tuple(_terms(plain)[1]),
        )
    )
    return checks


def _scenario_checks(s: Any, e: Mapping[str, Any]) -> tuple[list[Check], Any]:
    relaxed = dict(e["relaxed"])
    baseline = s.solve(tipping_points=False)
    base = s.solve(relaxed)
    full = s.solve({**relaxed, "guarantee": 1}, tipping_points=False)
    tip = base.tipping_points["guarantee"]
    lo, hi = (F(x) for x in e["tipping_open_interval"])
    below = s.solve({**relaxed, "guarantee": tip.bracket[0]}, tipping_points=False).outcome
    above = s.solve({**relaxed, "guarantee": tip.bracket[1]}, tipping_points=False).outcome
    checks = [
        check_equal("2025 baseline outcome", e["baseline_outcome"], baseline.outcome),
        check_equal(
            "at the 2025 baseline the red lines on enrichment bind first",
            "red_lines:both",
            baseline.binding_constraints[0] if baseline.binding_constraints else None,
        ),
        check_true("the baseline result verifies", baseline.verify().ok),
        check_equal("relaxed US position, no guarantee", e["relaxed_outcome"], base.outcome),
        check_equal(
            "relaxed US position with a full guarantee (g = 1)",
            e["full_guarantee_outcome"],
            full.outcome,
        ),
        check_equal("the deal caps enrichment", "capped", (full.deal or {}).get("enrichment")),
        check_true(
            "the guarantee tipping point lies strictly inside (0, 1), stalemate -> agreement",
            lo < tip.threshold < hi
            and (tip.outcome_before, tip.outcome_after) == ("stalemate", "agreement"),
            tip.threshold,
        ),
        check_close(
            "the guarantee tipping point (expected credibility discount)",
            e["guarantee_threshold"],
            float(tip.threshold),
            1e-6,
        ),
        check_true(
            "the tipping point's bracket re-solves exactly to stalemate below, agreement above",
            (below, above) == ("stalemate", "agreement"),
            (below, above),
        ),
    ]
    return checks, base


def _margin(result: Any, node: tuple[str, ...], action: str) -> Fraction:
    """How much less ``action`` gives the mover at ``node`` than the action played there."""
    for c in threat_checks(result):
        if c.node == node and c.action == action:
            return -c.margin
    raise ng.ModelError("no_deal", "/".join((*node, action)), "no such decision in the tree")


def _no_deal_checks(s: Any, e: Mapping[str, Any]) -> list[Check]:
    """The three-player no-deal game: who plays, what happens at the baseline and in the dated
    variants, the detection tipping point, and the parameters the file lists as inert."""
    base = s.solve()
    d = base.to_dict(certificates=False)
    june = s.solve(variant=e["june_variant"], tipping_points=False)
    strategy = june.state.no_deal.strategy if june.state.no_deal else {}
    retaliation = {strategy.get((*e["june_path"], c)) for c in ("set_back", "survives")}
    jcpoa = s.solve(variant=e["jcpoa_variant"], tipping_points=False)
    tip = base.tipping_points.get("detection")
    influence = check_influence(s)
    return [
        check_equal("every player of the scenario", tuple(e["players"]), s.all_players),
        check_equal(
            "the two who bargain (the others are third parties)", tuple(e["parties"]), s.players
        ),
        check_equal("baseline no-deal path", e["baseline_path"], d["no_deal_path"]),
        check_equal(
            "baseline no-deal values of every player (exact)",
            {k: F(v) for k, v in e["baseline_values"].items()},
            {k: F(v) for k, v in d["no_deal_values"].items()},
        ),
        check_equal(
            "Israel's strike falls short of restraint by (exact)",
            F(e["strike_shortfall"]),
            _margin(base, (), "strike"),
        ),
        check_equal(
            "after an Israeli strike, joining is worth less to the US than staying out by",
            F(e["join_shortfall"]),
            _margin(base, ("strike",), "join"),
        ),
        check_true(
            "baseline detection tipping point (exact), war below it",
            tip is not None
            and tip.threshold == F(e["detection_threshold"])
            and tip.outcome_after == e["detection_outcome_after"],
            None if tip is None else (tip.threshold, tip.outcome_after),
        ),
        check_equal(f"{e['june_variant']} outcome", e["june_outcome"], june.outcome),
        check_equal(
            f"{e['june_variant']} war probability",
            F(e["june_war_probability"]),
            (june.probabilities or {}).get("war"),
        ),
        check_equal(
            f"{e['june_variant']}: Israel strikes and the US joins",
            e["june_path"],
            list(june.state.no_deal.path) if june.state.no_deal else None,
        ),
        check_equal(
            f"{e['june_variant']}: Iran's retaliation, whether the programme survives or not",
            {e["june_retaliation"]},
            retaliation,
        ),
        check_true("the june_2025 result verifies", june.verify().ok),
        check_equal(f"{e['jcpoa_variant']} outcome", e["jcpoa_outcome"], jcpoa.outcome),
        check_equal(
            f"{e['jcpoa_variant']} enrichment",
            e["jcpoa_enrichment"],
            (jcpoa.deal or {}).get("enrichment"),
        ),
        check_true(
            "[analysis] inert is complete and true (negotiate.sweeps.influence)",
            influence.verify().ok,
            influence.verify().quantities,
        ),
        check_equal(
            "the inert parameters",
            sorted(e["inert"]),
            sorted(i.parameter for i in influence.inert),
        ),
    ]


def _map_checks(out: Path, s: Any, base: Any, e: Mapping[str, Any]) -> list[Check]:
    x, y = e["x"], e["y"]
    ds = ng.sweep(s, dict(e["grid"]), overrides=dict(e["relaxed"]), engine="vectorized").data
    ds.outcome.to_pandas().to_csv(out / "regime_map.csv")
    regime_map(
        ds, x, y, title="US-Iran 2025 (flagship model): outcome by guarantee and hazard"
    ).savefig(out / "regime_map.svg", bbox_inches="tight")
    tipping_curve_figure(ds, x, y).savefig(out / "guarantee_tipping_curve.svg", bbox_inches="tight")
    outcome = ds.outcome.transpose(y, x).values
    gs, hs = ds[x].values, ds[y].values
    rank = {"stalemate": 0, "agreement": 1}
    one_switch = all(
        set(row) <= set(rank) and all(rank[a] <= rank[b] for a, b in itertools.pairwise(row))
        for row in outcome
    )
    curve = sweeps.tipping_curve(ds, x, to="agreement").values
    finite = curve[np.isfinite(curve)]
    cert = sweeps.verify_sweep(ds, s, points=e["verify_points"])
    tip = float(base.tipping_points[x].threshold)
    k = int(np.argmin(np.abs(hs - float(ds[y].attrs["baseline"]))))
    step = float(gs[1] - gs[0])
    tip_h = float(base.tipping_points[y].threshold)
    no_guarantee = outcome[:, 0]
    last_deal = float(max(h for h, o in zip(hs, no_guarantee, strict=True) if o == "agreement"))
    first_stalemate = float(
        min(h for h, o in zip(hs, no_guarantee, strict=True) if o == "stalemate")
    )
    return [
        check_true(
            f"sweep of {outcome.size} points re-solved exactly at {e['verify_points']} points",
            cert.ok,
            cert.quantities.get("outcome_mismatches"),
        ),
        check_true(
            "along every hazard row a stronger guarantee only turns stalemate into agreement",
            one_switch,
        ),
        check_true(
            "a full guarantee gives agreement at every hazard on the grid",
            bool((outcome[:, -1] == "agreement").all()),
        ),
        check_true(
            "the guarantee needed rises with the reneging hazard (tipping curve non-decreasing)",
            finite.size > 1 and bool(np.all(np.diff(finite) >= 0)),
            (float(finite[0]), float(finite[-1])) if finite.size else None,
        ),
        check_close(
            "the map's tipping point at the baseline hazard matches Scenario.solve",
            tip,
            float(curve[k]),
            step / 2,
        ),
        check_true(
            "without a guarantee the map turns to stalemate where Scenario.solve puts the hazard "
            "tipping point",
            last_deal <= tip_h <= first_stalemate,
            (last_deal, tip_h, first_stalemate),
        ),
    ]


def reproduce(out: Path, expected: Mapping[str, Any]) -> list[Check]:
    cred = expected["credibility"]
    checks = _credibility_checks(cred)
    checks += _composite(out, cred, expected["composite"], expected["linkage"])
    path = MODELS / expected["scenario"]["file"]
    if not path.is_file():
        raise ng.ModelError("scenario.file", str(path), "the flagship scenario file is missing")
    scenario = ng.load_scenario(path)
    found, base = _scenario_checks(scenario, expected["scenario"])
    checks += found
    checks += _no_deal_checks(scenario, expected["no_deal"])
    regime = {**expected["regime_map"], "relaxed": expected["scenario"]["relaxed"]}
    checks += _map_checks(out, scenario, base, regime)
    return checks
