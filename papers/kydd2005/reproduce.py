"""Reproduce Kydd (2000, 2005): trust, updating after a defection, reassurance (stylised)."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

import negotiate as ng
from negotiate import theory
from negotiate.papers import Check, check_equal, check_true

KEY = "kydd2005"
CITATION = (
    "Kydd, A. H. (2005). Trust and Mistrust in International Relations. Princeton University "
    "Press; and Kydd, A. H. (2000). Trust, reassurance, and cooperation. International "
    "Organization, 54(2), 325-357."
)
FIDELITY = "stylised"

_SIGNAL = ("benefit_trustworthy", "benefit_untrustworthy", "cost_trustworthy", "cost_untrustworthy")


def _trust(case: Mapping[str, Any]) -> theory.Trust:
    return theory.Trust(
        case["prior"], case["sucker_cost"], case["p_exit_trustworthy"], case["p_exit_untrustworthy"]
    )


def _threshold(out: Path, e: Mapping[str, Any], posterior: Fraction) -> list[Check]:
    checks = []
    for case in e["cases"]:
        res = theory.Trust("1/2", case["sucker_cost"], "1/2", "1/2").solve()
        checks.append(
            check_equal(
                f"pi* at c = {case['sucker_cost']} ({e['provenance']})",
                Fraction(case["pi_star"]),
                res.threshold,
            )
        )
    costs = [Fraction(k, 20) for k in range(0, 101)]
    stars = [Fraction(theory.Trust("1/2", c, "1/2", "1/2").solve().threshold) for c in costs]
    checks.append(
        check_true(
            "pi* = c/(1+c) rises with the sucker cost c",
            all(b > a for a, b in itertools.pairwise(stars)),
            (float(stars[0]), float(stars[-1])),
        )
    )
    # with the post-exit belief, the truster cooperates only when c <= pi'/(1 - pi')
    limit = posterior / (1 - posterior)
    trusting = [
        c for c in costs if theory.Trust(posterior, c, "1/2", "1/2").solve().cooperates_before
    ]
    checks.append(
        check_equal(
            f"at the belief pi' = {posterior} the truster cooperates iff c <= pi'/(1-pi')",
            [c for c in costs if c <= limit],
            trusting,
        )
    )
    fig = Figure(figsize=(5.5, 3.8), layout="constrained")
    ax = fig.add_subplot()
    ax.plot(
        [float(c) for c in costs], [float(s) for s in stars], color="black", label="pi* = c/(1+c)"
    )
    ax.fill_between(
        [float(c) for c in costs],
        [float(s) for s in stars],
        1,
        color="#1b9e77",
        alpha=0.2,
        label="trust (cooperate)",
    )
    ax.axhline(
        float(posterior),
        color="#d95f02",
        linestyle="--",
        label=f"belief after the exit, {posterior}",
    )
    for case in e["cases"]:
        ax.plot(
            [float(Fraction(case["sucker_cost"]))],
            [float(Fraction(case["pi_star"]))],
            "o",
            color="black",
        )
    ax.set_xlim(0, 5)
    ax.set_ylim(0, 1)
    ax.set_xlabel("sucker cost c (exploited payoff -c)")
    ax.set_ylabel("belief that the other side is trustworthy")
    ax.set_title("Trust threshold (stylised Kydd)")
    ax.legend(fontsize="small", loc="lower right")
    fig.savefig(out / "trust_threshold.svg")
    return checks


def _posterior(out: Path, e: Mapping[str, Any]) -> list[Check]:
    checks: list[Check] = []
    for case in e["cases"]:
        res = _trust(case).solve()
        eps, w = case["p_exit_trustworthy"], case["p_exit_untrustworthy"]
        tag = f"{case['id']} (prior {case['prior']}, eps {eps}, w {w})"
        checks += [
            check_equal(
                f"{tag}: posterior after the exit", Fraction(case["posterior"]), res.posterior
            ),
            check_equal(
                f"{tag}: cooperates before the exit",
                case["cooperates_before"],
                res.cooperates_before,
            ),
            check_equal(f"{tag}: cooperates after the exit", case["cooperates"], res.cooperates),
            check_true(f"{tag}: certificate (Bayes' rule, indifference at pi*)", res.verify().ok),
        ]
    priors = [Fraction(k, 10) for k in range(1, 10)]
    likelihoods = [("0.1", "0.8"), ("0.2", "0.6"), ("0.3", "0.5"), ("0.5", "0.5")]
    rows = []
    for pi in priors:
        for eps, w in likelihoods:
            post = Fraction(theory.Trust(pi, 1, eps, w).solve().posterior)
            rows.append((pi, eps, w, post))
    with (out / "posterior.csv").open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(
            ["prior", "p_exit_trustworthy", "p_exit_untrustworthy", "posterior", "posterior_exact"]
        )
        writer.writerows([(float(p), eps, w, float(q), str(q)) for p, eps, w, q in rows])
    header = "| prior | " + " | ".join(f"eps={a}, w={b}" for a, b in likelihoods) + " |"
    lines = [header, "|" + "---|" * (len(likelihoods) + 1)]
    for pi in priors:
        cells = [f"{q} ({float(q):.4f})" for p, _, _, q in rows if p == pi]
        lines.append(f"| {pi} | " + " | ".join(cells) + " |")
    (out / "posterior.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    informative = [(p, q) for p, eps, w, q in rows if Fraction(eps) < Fraction(w)]
    neutral = [(p, q) for p, eps, w, q in rows if Fraction(eps) == Fraction(w)]
    checks.append(
        check_true(
            "an exit more likely from an untrustworthy type lowers trust at every prior",
            all(q < p for p, q in informative),
            f"{len(informative)} cases",
        )
    )
    checks.append(
        check_true(
            "an uninformative exit (eps = w) leaves the prior unchanged",
            all(q == p for p, q in neutral),
        )
    )
    return checks


def _reassurance(out: Path, e: Mapping[str, Any], belief: Mapping[str, Any]) -> list[Check]:
    checks: list[Check] = []
    truster = _trust(belief)
    for case in e["cases"]:
        args = [case[k] for k in _SIGNAL]
        res = theory.Reassurance(*args).solve()
        tag = f"{case['id']} (B_TW={args[0]}, B_UT={args[1]}, k_TW={args[2]}, k_UT={args[3]})"
        checks += [
            check_equal(
                f"{tag}: least-cost separating signal s*", Fraction(case["signal"]), res.signal
            ),
            check_equal(
                f"{tag}: trustworthy type's cost k_TW s*",
                Fraction(case["trustworthy_cost"]),
                res.trustworthy_cost,
            ),
            check_equal(
                f"{tag}: separating reassurance exists", case["separating"], res.separating
            ),
            check_true(f"{tag}: certificate (UT does not mimic s*)", res.verify().ok),
        ]
        pbe = ng.perfect_bayesian(truster.as_signaling_game(*args))
        reassuring = [
            eq
            for eq in pbe.of_kind("separating")
            if eq.sender_mixture("trustworthy") == {"reassure": 1}
            and eq.receiver_mixture("reassure") == {"cooperate": 1}
        ]
        checks.append(
            check_equal(
                f"{tag}: perfect_bayesian at the post-exit belief finds the separating class",
                case["separating"],
                bool(reassuring),
            )
        )
        checks.append(check_true(f"{tag}: PBE certificate", pbe.verify().ok))
    post = Fraction(truster.solve().posterior)
    pbe = ng.perfect_bayesian(truster.as_signaling_game(*[e["cases"][0][k] for k in _SIGNAL]))
    coop = [
        eq
        for eq in pbe.of_kind("separating")
        if eq.receiver_mixture("reassure") == {"cooperate": 1}
    ]
    checks.append(
        check_true(
            "strong mistrust (pi' < pi*) still permits reassurance and cooperation "
            "with the trustworthy type",
            post < Fraction(truster.solve().threshold) and bool(coop),
            f"pi' = {post}",
        )
    )
    checks += _separating_region(out, truster, e["cases"])
    return checks


def _separating_region(
    out: Path, truster: theory.Trust, cases: list[Mapping[str, Any]]
) -> list[Check]:
    """The region B_UT/k_UT <= B_TW/k_TW, checked against the PBE solver on a grid."""
    agree = []
    separating = 0
    for b_ut in ("1/2", "1", "3/2"):
        for k_tw in ("1/4", "1/2", "1"):
            for k_ut in ("1/2", "1", "2"):
                args = ("1", b_ut, k_tw, k_ut)
                closed = theory.Reassurance(*args).solve().separating
                pbe = ng.perfect_bayesian(truster.as_signaling_game(*args))
                found = any(
                    eq.sender_mixture("trustworthy") == {"reassure": 1}
                    for eq in pbe.of_kind("separating")
                )
                agree.append(closed == found)
                separating += bool(closed)
    fig = Figure(figsize=(5, 4.2), layout="constrained")
    ax = fig.add_subplot()
    xs = np.linspace(0, 4, 50)
    ax.fill_between(xs, xs, 4, color="#1b9e77", alpha=0.25, label="separating reassurance")
    ax.plot(xs, xs, color="black", label="B_UT/k_UT = B_TW/k_TW")
    for case in cases:
        x = Fraction(case["benefit_untrustworthy"]) / Fraction(case["cost_untrustworthy"])
        y = Fraction(case["benefit_trustworthy"]) / Fraction(case["cost_trustworthy"])
        ax.plot([float(x)], [float(y)], "o", color="black")
        ax.annotate(
            case["id"],
            (float(x), float(y)),
            textcoords="offset points",
            xytext=(5, 4),
            fontsize="small",
        )
    ax.set_xlim(0, 4)
    ax.set_ylim(0, 4)
    ax.set_xlabel("untrustworthy type's willingness B_UT/k_UT")
    ax.set_ylabel("trustworthy type's willingness B_TW/k_TW")
    ax.set_title("Reassurance (stylised Kydd)")
    ax.legend(fontsize="small", loc="lower right")
    fig.savefig(out / "separating_region.svg")
    return [
        check_true(
            "separating region B_UT/k_UT <= B_TW/k_TW agrees with perfect_bayesian on a grid",
            all(agree) and 0 < separating < len(agree),
            f"{sum(agree)} of {len(agree)} games agree; {separating} separating",
        )
    ]


def reproduce(out: Path, expected: Mapping[str, Any]) -> list[Check]:
    by_id = {c["id"]: c for c in expected["posterior"]["cases"]}
    belief = by_id[expected["signalling"]["belief_case"]]
    posterior = Fraction(_trust(belief).solve().posterior)
    checks = _threshold(out, expected["threshold"], posterior)
    checks += _posterior(out, expected["posterior"])
    checks += _reassurance(out, expected["reassurance"], belief)
    return checks
