"""Couplings from the commitment layer to the bargaining layer, as library functions.

Functions, not a file format; scenario files wire the same stages together.  Each function
calls the stages of :mod:`negotiate.pipeline` (commitment, issue weights, the no-deal game,
the disagreement point, the bargaining solution), so a scenario and these functions cannot
disagree.

1. *Credibility discount* (:func:`credibility`).  The trust posterior ``pi'`` after an
   observed exit (Kydd, :class:`~negotiate.theory.trust.Trust`) weighs the promiser's two
   types; a guarantee ``g`` (Walter 1997) removes the share ``g`` of each type's hazard.  The
   type is fixed, so a reversible concession is worth the *expectation* of the discount,
   ``kappa = pi' k(delta, h_TW (1 - g)) + (1 - pi') k(delta, h_UT (1 - g))`` with
   ``k(delta, rho) = (1 - delta)/(1 - delta (1 - rho))``, of its face value -- not ``k`` at
   the mean hazard ``rho = pi' h_TW + (1 - pi') h_UT``, which understates it (``k`` is
   convex).  Irreversible transfers are not discounted (:func:`discount_reversible` scales
   only the receiving player's weights on reversible issues).
2. *Disagreement point* (:func:`disagreement_from_tree`): each side's no-deal value is its
   subgame-perfect value in the deterrence tree (M8), floored by an outside option such as the
   status quo: ``d_i = max(floor_i, SPE_i)``.
3. *Self-enforcement* (:func:`self_enforcement`): a deal worth ``R_i`` per period to side ``i``
   survives only if ``delta_i (1 - rho_i)(T_i - P_i) >= T_i - R_i`` for each side, with
   temptation ``T_i`` and the no-deal value ``P_i`` as punishment; with a promiser of unknown
   type (``hazard`` given as ``(probability, hazard)`` pairs) the condition is
   ``E[k(delta, rho (1 - g))] (R - P) >= (1 - delta)(T - P)``, the same expectation as kappa.

:func:`discounted_deal` composes 1 with the bargaining solvers (the flagship's bargaining layer).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negotiate.errors import ModelError, NotApplicableError
from negotiate.games.issues import IssueSpace
from negotiate.games.tree import GameTree
from negotiate.pipeline.bargaining import deal_exact
from negotiate.pipeline.commitment import (
    kappa_exact,
    kappa_types_exact,
    reneging_hazard_exact,
)
from negotiate.pipeline.disagreement import point_exact
from negotiate.pipeline.nodeal import read_no_deal
from negotiate.pipeline.weights import discount_space
from negotiate.results import Certificate, ResultMixin, Summary, Table
from negotiate.solvers.bargaining.solutions import BargainingSolution
from negotiate.solvers.spe.solve import SPEResult, subgame_perfect
from negotiate.theory._base import Param, check_interval, param
from negotiate.theory._commitment import ParamLike, summarise
from negotiate.theory.self_enforcement import SelfEnforcement, self_enforcement
from negotiate.theory.trust import Trust, TrustResult

__all__ = [
    "Credibility",
    "DiscountedDeal",
    "NoDealValues",
    "SelfEnforcement",
    "credibility",
    "disagreement_from_tree",
    "discount_reversible",
    "discounted_deal",
    "reneging_hazard",
    "self_enforcement",
]


def reneging_hazard(
    posterior: ParamLike, hazard_trustworthy: ParamLike, hazard_untrustworthy: ParamLike
) -> Param:
    """``rho = pi' h_TW + (1 - pi') h_UT``: the hazard expected under the belief ``pi'``."""
    values = {
        "posterior": param(posterior, "posterior"),
        "hazard_trustworthy": param(hazard_trustworthy, "hazard_trustworthy"),
        "hazard_untrustworthy": param(hazard_untrustworthy, "hazard_untrustworthy"),
    }
    for name, value in values.items():
        check_interval(value, name, 0, 1)
    return reneging_hazard_exact(
        values["posterior"], values["hazard_trustworthy"], values["hazard_untrustworthy"]
    )


@dataclass(frozen=True, repr=False)
class Credibility(ResultMixin):
    """The commitment layer: ``trust`` (posterior after the exit), ``hazard`` (the mean
    hazard rho), ``guarantee`` g, ``effective_hazard`` rho (1 - g), ``delta`` and ``kappa``
    (the expectation over the two types of each type's discount)."""

    trust: TrustResult
    hazard_trustworthy: Fraction
    hazard_untrustworthy: Fraction
    hazard: Fraction
    guarantee: Fraction
    effective_hazard: Fraction
    delta: Fraction
    kappa: Fraction

    def verify(self) -> Certificate:
        """Recompute rho from the posterior; each type's discount solves its recursion
        ``k = (1 - delta) + delta (1 - h (1 - g)) k``; kappa is their expectation."""
        pi = Fraction(self.trust.posterior)
        rho = pi * self.hazard_trustworthy + (1 - pi) * self.hazard_untrustworthy
        d, g = self.delta, self.guarantee
        residual = Fraction(0)
        expected = Fraction(0)
        for p, h in ((pi, self.hazard_trustworthy), (1 - pi, self.hazard_untrustworthy)):
            k = (1 - d) / (1 - d * (1 - h * (1 - g)))
            residual = max(residual, abs(k - (1 - d) - d * (1 - h * (1 - g)) * k))
            expected += p * k
        ok = (
            self.trust.verify().ok
            and rho == self.hazard
            and self.effective_hazard == rho * (1 - g)
            and residual == 0
            and expected == self.kappa
        )
        return Certificate(
            ok=bool(ok),
            quantities={"kappa_recursion_residual": residual, "kappa_expected": expected},
            checks=(
                "posterior by Bayes' rule (Trust certificate)",
                "rho = pi' h_TW + (1 - pi') h_UT, rho_eff = rho (1 - g)",
                "k_t = (1 - delta) + delta (1 - h_t (1 - g)) k_t for each type",
                "kappa = pi' k_TW + (1 - pi') k_UT",
            ),
        )

    def summary(self) -> Summary:
        rows = (
            ("posterior", self.trust.posterior),
            ("hazard", self.hazard),
            ("guarantee", self.guarantee),
            ("effective_hazard", self.effective_hazard),
            ("delta", self.delta),
            ("kappa", self.kappa),
        )
        return Summary(
            title="Credibility discount on reversible concessions",
            fields=rows,
            notes=("posterior from the stylised Kydd model (Kydd 2005)",),
        )


def credibility(
    prior: ParamLike,
    p_exit_trustworthy: ParamLike,
    p_exit_untrustworthy: ParamLike,
    hazard_trustworthy: ParamLike,
    hazard_untrustworthy: ParamLike,
    delta: ParamLike,
    guarantee: ParamLike = 0,
    *,
    sucker_cost: ParamLike = 1,
) -> Credibility:
    """The credibility discount kappa from trust, hazards and a guarantee (numeric).

    ``sucker_cost`` only sets the trust threshold reported with the posterior.
    """
    trust = Trust(prior, sucker_cost, p_exit_trustworthy, p_exit_untrustworthy)
    if trust.symbolic:
        raise NotApplicableError(
            "credibility() is numeric; for symbolic analysis compose Trust and "
            "credibility_discount directly",
            ("Trust", "credibility_discount"),
        )
    result = trust.solve()
    h_tw = Fraction(param(hazard_trustworthy, "hazard_trustworthy"))
    h_ut = Fraction(param(hazard_untrustworthy, "hazard_untrustworthy"))
    rho = Fraction(reneging_hazard(result.posterior, h_tw, h_ut))
    g = Fraction(param(guarantee, "guarantee"))
    check_interval(g, "guarantee", 0, 1)
    d = Fraction(param(delta, "delta"))
    pi = Fraction(result.posterior)
    kappa_exact(d, rho, g, ("delta", "hazard", "guarantee"))  # the domain checks
    fields = [("posterior", "hazard_trustworthy"), ("posterior", "hazard_untrustworthy")]
    kappa, rho_eff = kappa_types_exact(d, g, [(pi, h_tw), (1 - pi, h_ut)], fields)
    return Credibility(result, h_tw, h_ut, rho, g, rho_eff, d, kappa)


def discount_reversible(space: IssueSpace, kappa: Credibility | ParamLike) -> IssueSpace:
    """The issue space with the first player's weights on reversible issues times kappa.

    The first player of ``space`` is the side receiving the reversible concessions (Iran in
    the flagship); irreversible issues keep their weights.
    """
    k = kappa.kappa if isinstance(kappa, Credibility) else kappa
    out = discount_space(space, k)
    assert isinstance(out, IssueSpace)
    return out


@dataclass(frozen=True, repr=False)
class DiscountedDeal(ResultMixin):
    """A bargaining solution on the credibility-discounted issue space.

    ``agreement``; ``allocation`` (issue -> the first player's share, ``None`` without a deal);
    ``utilities`` (discounted, ``None`` without a deal); ``solution`` the solver's record.
    """

    credibility: Credibility | None
    kappa: Fraction
    space: IssueSpace
    solution: BargainingSolution

    @property
    def agreement(self) -> bool:
        return self.solution.agreement

    @property
    def allocation(self) -> Mapping[str, Any] | None:
        return self.solution.allocation if self.solution.agreement else None

    @property
    def utilities(self) -> tuple[Any, Any] | None:
        return self.solution.utilities if self.solution.agreement else None

    def verify(self) -> Certificate:
        """The bargaining certificate, the credibility certificate, and the discount itself:
        the solution's utilities recomputed from the allocation on the discounted space."""
        cert = self.solution.verify()
        ok = cert.ok
        checks = [f"bargaining: {c}" for c in cert.checks]
        if self.credibility is not None:
            ok = ok and self.credibility.verify().ok and self.credibility.kappa == self.kappa
            checks.append("credibility layer certificate")
        if self.allocation is not None:
            recomputed = self.space.discounted(self.kappa).utilities(self.allocation)
            ok = ok and tuple(recomputed) == tuple(self.solution.utilities)
            checks.append("utilities recomputed from the allocation with kappa")
        return Certificate(
            ok=bool(ok), quantities=dict(cert.quantities), exact=cert.exact, checks=tuple(checks)
        )

    def summary(self) -> Summary:
        p1, p2 = self.space.players
        rows: tuple[tuple[str, Any], ...] = (
            ("kappa", self.kappa),
            ("agreement", self.agreement),
            ("disagreement", self.solution.disagreement),
        )
        tables: tuple[Table, ...] = ()
        if self.utilities is not None and self.allocation is not None:
            rows += (
                (f"utility of {p1}", self.utilities[0]),
                (f"utility of {p2}", self.utilities[1]),
            )
            tables = (
                Table(
                    f"share of each issue going to {p1}",
                    ("issue", "share", "reversible"),
                    tuple(
                        (i.label, self.allocation[i.label], i.reversible) for i in self.space.issues
                    ),
                ),
            )
        return Summary(
            title="Deal on the credibility-discounted issue space",
            fields=rows,
            tables=tables,
            notes=("reversible concessions to the first player are worth kappa of face value",),
        )


def discounted_deal(
    space: IssueSpace,
    disagreement: Sequence[ParamLike],
    kappa: Credibility | ParamLike,
    *,
    concept: str = "nash",
    weights: Sequence[ParamLike] | None = None,
) -> DiscountedDeal:
    """Solve the bargaining problem on ``space`` discounted by ``kappa`` at ``disagreement``.

    ``concept`` is ``"nash"`` (``weights`` for the asymmetric solution) or
    ``"kalai_smorodinsky"``.
    """
    cred = kappa if isinstance(kappa, Credibility) else None
    k = cred.kappa if cred is not None else Fraction(param(kappa, "kappa"))
    problem = discount_reversible(space, k).problem(disagreement)
    if concept not in ("nash", "kalai_smorodinsky"):
        raise ModelError("concept", concept, "expected 'nash' or 'kalai_smorodinsky'")
    if concept == "kalai_smorodinsky" and weights is not None:
        raise ModelError("weights", weights, "Kalai-Smorodinsky takes no weights")
    solution = deal_exact(problem, concept, weights)
    return DiscountedDeal(cred, k, space, solution)


# ------------------------------------------------------------------ disagreement points
@dataclass(frozen=True, repr=False)
class NoDealValues(ResultMixin):
    """No-deal values from a deterrence tree: ``point`` (d_i per player, in ``players``
    order), ``tree_values`` (SPE payoffs), ``floors`` and ``from_tree`` (players whose d_i
    is their SPE value rather than their floor)."""

    players: tuple[str, ...]
    point: tuple[Fraction, ...]
    tree_values: Mapping[str, Fraction]
    floors: Mapping[str, Fraction]
    from_tree: tuple[str, ...]
    spe: SPEResult

    def verify(self) -> Certificate:
        """The SPE certificate, and d_i = max(floor_i, SPE_i) recomputed."""
        cert = self.spe.verify()
        expected = tuple(
            max(self.tree_values[p], self.floors.get(p, self.tree_values[p])) for p in self.players
        )
        first = self.spe.equilibria[0].payoffs if self.spe.equilibria else {}
        ok = cert.ok and expected == self.point
        ok = ok and all(self.tree_values[p] == first.get(p) for p in self.players)
        ok = ok and self.from_tree == tuple(
            p for p in self.players if p not in self.floors or self.tree_values[p] >= self.floors[p]
        )
        return Certificate(
            ok=bool(ok),
            quantities={"max_regret": cert.quantities.get("max_regret", Fraction(0))},
            checks=(
                "subgame-perfect values (backward induction certificate)",
                "d = max(floor, SPE)",
            ),
        )

    def summary(self) -> Summary:
        return summarise(self, "No-deal values from the deterrence tree", skip=("spe",))


def disagreement_from_tree(
    tree: GameTree,
    players: Sequence[str] | None = None,
    floors: Mapping[str, ParamLike] | None = None,
) -> NoDealValues:
    """Each side's no-deal value: its SPE payoff in ``tree``, floored by ``floors``.

    The tree must be numeric (bind a family first).  When tied equilibria give a player
    different values the point is ambiguous and :class:`NotApplicableError` asks for a
    ``tie_break`` in the tree.
    """
    if not isinstance(tree, GameTree):
        raise ModelError("tree", tree, "expected a GameTree")
    if tree.is_symbolic:
        raise NotApplicableError(
            "the tree has unbound parameters; bind values first (tree.bind({...}))", ("bind",)
        )
    who = tuple(players) if players is not None else tree.players
    for i, p in enumerate(who):
        if p not in tree.players:
            raise ModelError(f"players[{i}]", p, f"unknown player; players: {list(tree.players)}")
    spe = subgame_perfect(tree)
    assert isinstance(spe, SPEResult)
    values = dict(read_no_deal(tree, spe, who, (), ()).values)
    for eq in spe.equilibria[1:]:
        for p in who:
            if eq.payoffs[p] != values[p]:
                raise NotApplicableError(
                    f"tied subgame-perfect equilibria give {p} different values "
                    f"({values[p]} and {eq.payoffs[p]}); settle the tie with tie_break",
                    ("tie_break",),
                )
    floor_values: dict[str, Fraction] = {}
    for key, value in (floors or {}).items():
        if key not in who:
            raise ModelError(f"floors[{key!r}]", None, f"unknown player; players: {list(who)}")
        floor_values[key] = Fraction(param(value, f"floors[{key!r}]"))
    point = point_exact([values[p] for p in who], [floor_values.get(p, values[p]) for p in who])
    from_tree = tuple(p for p in who if p not in floor_values or values[p] >= floor_values[p])
    return NoDealValues(who, point, values, floor_values, from_tree, spe)


# ------------------------------------------------------------------ self-enforcement
