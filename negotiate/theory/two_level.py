"""Two-level games: ratification constraints on a negotiated share (Putnam 1988; Iida 1993;
Tarar 2001).

Player 1's share of the deal is x; without domestic constraints the negotiators would agree
on ``share`` (e.g. a Nash or Rubinstein split).  Player 1's ratifier accepts only
``x >= floor``; player 2's ratifier accepts only ``x <= ceiling``.

* :class:`TwoLevel` (complete information): the win-sets overlap iff ``floor <= ceiling``;
  then ``x* = min(max(share, floor), ceiling)``, otherwise there is no agreement.  A binding
  constraint moves the outcome toward the constrained side (the Schelling conjecture, which
  Tarar 2001 confirms under complete information).  Because the Nash product of a split pie
  is single-peaked in x, x* is also the Nash solution on the win-set (a cross-check).
* :class:`UncertainRatification` (Iida-style): player 1's ratification threshold is
  ``r ~ U[floor_low, floor_high]``, unknown to player 2, who proposes x and gets ``1 - x``
  if the deal is ratified (``x >= r``) and ``disagreement`` otherwise.  Player 2 maximises
  ``(1 - x)(x - lo)/(hi - lo) + d (hi - x)/(hi - lo)``, so::

      x* = clip((1 + lo - d) / 2, lo, hi),   P(fail) = (hi - x*) / (hi - lo)

  -- the risk-return formula of :class:`~negotiate.theory.crisis.RiskReturn` in disguise.

Parameters may be numbers (exact) or sympy expressions.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from negotiate.errors import ModelError, NotApplicableError
from negotiate.games.tree import GameTree
from negotiate.results import Certificate, ResultMixin, Summary
from negotiate.theory._base import UNIT, Param, Spec, is_symbolic
from negotiate.theory._commitment import ModelBase
from negotiate.theory._sampling import substitution_certificate
from negotiate.theory.crisis import _max, _min

__all__ = [
    "TwoLevel",
    "TwoLevelResult",
    "UncertainRatification",
    "UncertainRatificationResult",
]


def _or(default: int) -> Any:
    """``None`` means the unconstrained end of the interval."""

    def convert(value: Any) -> Any:
        return default if value is None else value

    return convert


class TwoLevel(ModelBase):
    """Ratification constraints ``floor <= x <= ceiling`` on player 1's share; all in [0, 1].

    ``floor=None`` means no constraint from player 1's side (0), ``ceiling=None`` none from
    player 2's side (1).
    """

    share = Spec("player 1's share without domestic constraints", UNIT)
    floor = Spec(
        "the least share player 1's ratifier accepts (None: 0)", UNIT, None, convert=_or(0)
    )
    ceiling = Spec(
        "the largest share player 2's ratifier accepts (None: 1)", UNIT, None, convert=_or(1)
    )
    _KEY = "agreement"

    def _key_condition(self, values: Any) -> tuple[sp.Expr, sp.Expr]:
        """The win-sets overlap: ``ceiling >= floor``."""
        return values["ceiling"], values["floor"]

    def as_tree(self, grid: int = 20) -> GameTree:
        """The ratification game (numeric models): the negotiators propose player 1's share
        ``x`` from the grid ``{0, 1/grid, ..., 1}`` together with ``share``, ``floor`` and
        ``ceiling``; player 1's ratifier then ratifies (payoff ``x - floor``) or rejects (0),
        and so does player 2's (``ceiling - x`` against 0); ratifiers ratify when
        indifferent.  The negotiators get ``-|x - share|`` from a ratified deal and -2 (worse
        than any deal) otherwise, so the subgame-perfect proposal is the ratifiable share
        nearest ``share``: the closed form of :meth:`solve`.
        """
        if self.symbolic:
            raise NotApplicableError("as_tree needs numeric parameters", ("solve",))
        if isinstance(grid, bool) or not isinstance(grid, int) or not 1 <= grid <= 1000:
            raise ModelError("grid", grid, "must be an integer in [1, 1000]")
        share, lo, hi = (Fraction(v) for v in (self.share, self.floor, self.ceiling))
        offers = sorted({Fraction(j, grid) for j in range(grid + 1)} | {share, lo, hi})
        fail = {"payoffs": {"negotiators": -2, "ratifier 1": 0, "ratifier 2": 0}}
        actions: dict[str, Any] = {}
        for x in offers:
            deal = {"negotiators": -abs(x - share), "ratifier 1": x - lo, "ratifier 2": hi - x}
            second = {
                "player": "ratifier 2",
                "actions": {"ratify": {"payoffs": deal}, "reject": fail},
                "tie_break": ["ratify", "reject"],
            }
            actions[f"propose {x}"] = {
                "player": "ratifier 1",
                "actions": {"ratify": second, "reject": fail},
                "tie_break": ["ratify", "reject"],
            }
        return GameTree.from_dict(
            {
                "players": ["negotiators", "ratifier 1", "ratifier 2"],
                "root": {"player": "negotiators", "actions": actions},
                "title": "Two-level game: ratification",
            }
        )

    def solve(self) -> TwoLevelResult:
        x, lo, hi = self.share, self.floor, self.ceiling
        outcome = _min(_max(x, lo), hi)
        if self.symbolic:
            return TwoLevelResult(self, sp.Le(lo, hi), outcome, "piecewise")
        if lo > hi:
            return TwoLevelResult(self, False, None, None)
        binding = "floor" if x < lo else "ceiling" if x > hi else None
        return TwoLevelResult(self, True, outcome, binding)


@dataclass(frozen=True, repr=False)
class TwoLevelResult(ResultMixin):
    """``agreement`` (win-sets overlap; a condition when symbolic), ``share`` (player 1's
    ratified share; None without agreement; valid where ``agreement`` holds when symbolic),
    ``binding`` (``"floor"``, ``"ceiling"`` or None)."""

    model: TwoLevel
    agreement: Any
    share: Param | None
    binding: str | None

    def verify(self) -> Certificate:
        """Numeric: agreement exactly when some share satisfies both ratifiers; the share is
        ratifiable and no ratifiable share (the interval's ends included) lies closer to the
        unconstrained one; ``binding`` names the ratifier the unconstrained share violates.
        Symbolic: substitution at sample points, each substituted record checked so."""
        m = self.model
        if m.symbolic:
            return substitution_certificate(
                self,
                {"share": m.share, "floor": m.floor, "ceiling": m.ceiling},
                lambda v: TwoLevel(v["share"], v["floor"], v["ceiling"]),
                normalise=_two_level_point,
            )
        x, lo, hi = (Fraction(v) for v in (m.share, m.floor, m.ceiling))
        overlap = lo <= hi
        checks = {"agreement exactly when the win-sets overlap": self.agreement is overlap}
        distance = None
        if overlap and self.share is not None:
            s = Fraction(self.share)
            distance = abs(s - x)
            checks["ratifiable"] = lo <= s <= hi
            checks["no ratifiable share is closer"] = (distance == 0) == (lo <= x <= hi) and all(
                distance <= abs(y - x) for y in (lo, hi)
            )
        else:
            checks["a share exactly when there is agreement"] = self.share is None and not overlap
        if self.binding != "piecewise":
            want = None if not overlap else "floor" if x < lo else "ceiling" if x > hi else None
            checks["binding constraint"] = self.binding == want
        failed = tuple(k for k, good in checks.items() if not good)
        return Certificate(
            not failed,
            {"distance_to_unconstrained": distance, "overlap": overlap},
            True,
            checks=tuple(checks),
            notes=tuple(f"failed: {k}" for k in failed),
        )

    def summary(self) -> Summary:
        m = self.model
        rows = (
            ("unconstrained share", m.share),
            ("win-set", (m.floor, m.ceiling)),
            ("agreement", self.agreement),
            ("share", self.share),
            ("binding", self.binding),
        )
        return Summary("Two-level game (ratification constraints)", rows)


def _two_level_point(record: dict[str, Any]) -> dict[str, Any]:
    """A substituted symbolic record in the numeric conventions: no share without agreement;
    the symbolic ``binding`` ("piecewise") claims nothing and is left out of the check."""
    if record["agreement"] is False:
        record["share"] = None
    return record


class UncertainRatification(ModelBase):
    """Player 2 proposes; player 1's ratification threshold is ``U[floor_low, floor_high]``.

    ``0 <= floor_low < floor_high <= 1``; ``disagreement`` (player 2's payoff if ratification
    fails) in [0, 1].
    """

    floor_low = Spec("the lower end of player 1's ratification threshold", UNIT)
    floor_high = Spec("the upper end of player 1's ratification threshold", UNIT)
    disagreement = Spec("player 2's payoff if ratification fails", UNIT)
    _KEY = "risk of ratification failure"

    def _validate(self) -> None:
        lo, hi = self.floor_low, self.floor_high
        if not is_symbolic(lo, hi) and lo >= hi:
            raise ModelError("floor_high", hi, f"must exceed floor_low = {lo}")

    def _key_condition(self, values: Any) -> tuple[sp.Expr, sp.Expr]:
        """Ratification fails with positive probability iff the unconstrained offer
        ``(1 + floor_low - disagreement) / 2`` lies below ``floor_high``."""
        return 2 * values["floor_high"], 1 + values["floor_low"] - values["disagreement"]

    def as_tree(self, grid: int = 20, types: int = 20) -> GameTree:
        """The game with the threshold discretised (numeric models): player 2 offers ``x``
        on a grid of ``[floor_low, floor_high]``, nature draws one of ``types`` equally
        likely thresholds (midpoints of the interval), player 1's ratifier ratifies (``x -
        r``; ties ratify) or rejects (0).  Player 2 gets ``1 - x`` or ``disagreement``; its
        subgame-perfect offer approaches :meth:`solve` as the grids refine."""
        if self.symbolic:
            raise NotApplicableError("as_tree needs numeric parameters", ("solve",))
        for value, field in ((grid, "grid"), (types, "types")):
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 200:
                raise ModelError(field, value, "must be an integer in [1, 200]")
        lo, hi, d = (Fraction(v) for v in (self.floor_low, self.floor_high, self.disagreement))
        actions: dict[str, Any] = {}
        for j in range(grid + 1):
            x = lo + (hi - lo) * Fraction(j, grid)
            draws: dict[str, Any] = {}
            for i in range(types):
                r = lo + (hi - lo) * Fraction(2 * i + 1, 2 * types)
                draws[f"threshold {r}"] = {
                    "probability": Fraction(1, types),
                    "then": {
                        "player": "ratifier",
                        "actions": {
                            "ratify": {"payoffs": {"proposer": 1 - x, "ratifier": x - r}},
                            "reject": {"payoffs": {"proposer": d, "ratifier": 0}},
                        },
                        "tie_break": ["ratify", "reject"],
                    },
                }
            actions[f"offer {x}"] = {"chance": draws}
        return GameTree.from_dict(
            {
                "players": ["proposer", "ratifier"],
                "root": {"player": "proposer", "actions": actions},
                "title": "Two-level game with uncertain ratification",
            }
        )

    def proposer_utility(self, x: Any) -> Param:
        """Player 2's expected utility of offering x in ``[floor_low, floor_high]``."""
        lo, hi, d = self.floor_low, self.floor_high, self.disagreement
        return ((1 - x) * (x - lo) + d * (hi - x)) / (hi - lo)

    def solve(self) -> UncertainRatificationResult:
        lo, hi, d = self.floor_low, self.floor_high, self.disagreement
        x = _min(_max((1 + lo - d) / 2, lo), hi)
        fail = (hi - x) / (hi - lo)
        if isinstance(fail, sp.Basic):
            fail = sp.simplify(fail)
        return UncertainRatificationResult(self, x, fail, 1 - fail, self.proposer_utility(x))


@dataclass(frozen=True, repr=False)
class UncertainRatificationResult(ResultMixin):
    """``share`` (player 1's share offered), ``failure_probability``,
    ``agreement_probability`` and player 2's ``expected_utility``."""

    model: UncertainRatification
    share: Param
    failure_probability: Param
    agreement_probability: Param
    expected_utility: Param

    def verify(self) -> Certificate:
        """Numeric: first-order or corner condition of player 2's utility, exactly, and no
        better offer on a grid of 201 points in ``[floor_low, floor_high]``; the failure
        probability is the uniform measure of thresholds above the share, and the expected
        utility is recomputed from it.  Symbolic: substitution at sample points."""
        m = self.model
        if m.symbolic:
            return substitution_certificate(
                self,
                {"floor_low": m.floor_low, "floor_high": m.floor_high, "d": m.disagreement},
                lambda v: UncertainRatification(v["floor_low"], v["floor_high"], v["d"]),
            )
        lo, hi, d = (Fraction(v) for v in (m.floor_low, m.floor_high, m.disagreement))
        x = Fraction(self.share)
        slope = (1 + lo - d - 2 * x) / (hi - lo)
        if x == hi:  # upper corner: U'(hi) >= 0
            foc = max(Fraction(0), -slope)
        elif x == lo:  # lower corner: U'(lo) <= 0
            foc = max(Fraction(0), slope)
        else:
            foc = abs(slope)

        def utility(y: Fraction) -> Fraction:
            # ratified (threshold <= y) with probability (y - lo)/(hi - lo): 2 gets 1 - y
            ok = (y - lo) / (hi - lo)
            return (1 - y) * ok + d * (1 - ok)

        best = utility(x)
        gain = max(utility(lo + (hi - lo) * Fraction(k, 200)) for k in range(201)) - best
        fail = (hi - x) / (hi - lo)
        checks = {
            "first-order condition": foc == 0 and lo <= x <= hi,
            "no better offer on a grid": gain <= 0,
            "failure probability": self.failure_probability == fail,
            "agreement probability": self.agreement_probability == 1 - fail,
            "expected utility": self.expected_utility == best,
        }
        failed = tuple(k for k, good in checks.items() if not good)
        return Certificate(
            not failed,
            {"foc_residual": foc, "grid_gain": max(gain, Fraction(0))},
            True,
            checks=tuple(checks),
            notes=tuple(f"failed: {k}" for k in failed),
        )

    def summary(self) -> Summary:
        m = self.model
        rows = (
            ("ratification threshold", (m.floor_low, m.floor_high)),
            ("proposer's disagreement payoff", m.disagreement),
            ("share offered", self.share),
            ("failure probability", self.failure_probability),
        )
        return Summary("Two-level game with uncertain ratification", rows)
