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

MODELS.md M10 derives these; parameters may be numbers (exact) or sympy expressions.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from negotiate.errors import ModelError
from negotiate.results import Certificate, Summary
from negotiate.theory._base import Param, check_interval, is_symbolic
from negotiate.theory._sampling import substitution_certificate
from negotiate.theory.crisis import _max, _min, _params

__all__ = [
    "TwoLevel",
    "TwoLevelResult",
    "UncertainRatification",
    "UncertainRatificationResult",
]


@dataclass(frozen=True, init=False)
class TwoLevel:
    """Ratification constraints ``floor <= x <= ceiling`` on player 1's share; all in [0, 1].

    ``floor=None`` means no constraint from player 1's side (0), ``ceiling=None`` none from
    player 2's side (1).
    """

    share: Param
    floor: Param
    ceiling: Param
    float_input: bool

    def __init__(self, share: Any, floor: Any = None, ceiling: Any = None) -> None:
        values = (share, 0 if floor is None else floor, 1 if ceiling is None else ceiling)
        (x, lo, hi), floats = _params(("share", "floor", "ceiling"), values)
        for name, v in (("share", x), ("floor", lo), ("ceiling", hi)):
            check_interval(v, name, 0, 1)
        for name, v in (("share", x), ("floor", lo), ("ceiling", hi), ("float_input", floats)):
            object.__setattr__(self, name, v)

    @property
    def symbolic(self) -> bool:
        return is_symbolic(self.share, self.floor, self.ceiling)

    def solve(self) -> TwoLevelResult:
        x, lo, hi = self.share, self.floor, self.ceiling
        outcome = _min(_max(x, lo), hi)
        if self.symbolic:
            return TwoLevelResult(self, sp.Le(lo, hi), outcome, "piecewise")
        if lo > hi:  # type: ignore[operator]
            return TwoLevelResult(self, False, None, None)
        binding = "floor" if x < lo else "ceiling" if x > hi else None  # type: ignore[operator]
        return TwoLevelResult(self, True, outcome, binding)


@dataclass(frozen=True)
class TwoLevelResult:
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
        x, lo, hi = (Fraction(v) for v in (m.share, m.floor, m.ceiling))  # type: ignore[arg-type]
        overlap = lo <= hi
        checks = {"agreement exactly when the win-sets overlap": self.agreement is overlap}
        distance = None
        if overlap and self.share is not None:
            s = Fraction(self.share)  # type: ignore[arg-type]
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


@dataclass(frozen=True, init=False)
class UncertainRatification:
    """Player 2 proposes; player 1's ratification threshold is ``U[floor_low, floor_high]``.

    ``0 <= floor_low < floor_high <= 1``; ``disagreement`` (player 2's payoff if ratification
    fails) in [0, 1].
    """

    floor_low: Param
    floor_high: Param
    disagreement: Param
    float_input: bool

    def __init__(self, floor_low: Any, floor_high: Any, disagreement: Any) -> None:
        names = ("floor_low", "floor_high", "disagreement")
        (lo, hi, d), floats = _params(names, (floor_low, floor_high, disagreement))
        for name, v in zip(names, (lo, hi, d), strict=True):
            check_interval(v, name, 0, 1)
        if not is_symbolic(lo, hi) and lo >= hi:  # type: ignore[operator]
            raise ModelError("floor_high", hi, f"must exceed floor_low = {lo}")
        for name, v in zip((*names, "float_input"), (lo, hi, d, floats), strict=True):
            object.__setattr__(self, name, v)

    @property
    def symbolic(self) -> bool:
        return is_symbolic(self.floor_low, self.floor_high, self.disagreement)

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


@dataclass(frozen=True)
class UncertainRatificationResult:
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
        lo, hi, d = (Fraction(v) for v in (m.floor_low, m.floor_high, m.disagreement))  # type: ignore[arg-type]
        x = Fraction(self.share)  # type: ignore[arg-type]
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
