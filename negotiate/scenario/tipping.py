"""Tipping points of a scenario's levers: the nearest change of outcome, bracketed and exact.

A tipping point of a lever is the lever value nearest to its baseline at which the outcome
changes, all other parameters held at the analysed point.

1. **Scan.**  The lever's domain ``[lo, hi]`` is cut into ``GRID`` equal steps (plus the
   baseline); walking outwards from the baseline on each side, the first grid point whose
   outcome differs from the baseline's brackets a change on that side.
2. **Bisection.**  Each bracket is halved exactly, in rationals, down to ``2**-20`` times the
   domain.
3. **Exact threshold.**  The constraint whose status changes across the bracket is found and its
   boundary solved exactly (:mod:`negotiate.scenario.tipping_exact`): a ``Fraction`` when the
   boundary is rational, an algebraic number (``sqrt`` form or ``CRootOf``) when it is not.
   The value is accepted only when the outcome, evaluated afresh just below and just above it
   (within ``2**-24`` of the bracket's width), is the one before and the one after the change;
   those two points become the reported bracket.  If that fails, bisection goes on to
   ``2**-40`` times the domain and the exact solve is tried again; where it still fails, the
   record says ``method="bisection"`` and the threshold is the shortest decimal in the bracket.
4. When the outcome changes on both sides of the baseline, the change nearer to it is kept.

:meth:`TippingPoint.verify` re-checks a record independently: the outcome on the two sides of
the bracket, the exact threshold inside it with the outcome flipping right at it, and that no
grid point nearer to the baseline than the threshold, nor the point as near on the other side
of the baseline, already changes the outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

from negotiate.results import Certificate, to_jsonable
from negotiate.scenario.evaluate import evaluate_point
from negotiate.scenario.tipping_exact import _approx, _sym, exact_threshold, tight_interval

__all__ = [
    "GRID",
    "TippingPoint",
    "find_tipping_point",
    "grid_points",
    "shortest_decimal",
    "tight_interval",
]

#: Steps of the scan over a lever's domain.
GRID = 16
_BISECTIONS = 40
_COARSE = 20  # the exact solve is first tried on a bracket 2**20 times wider

Outcome = Callable[[Mapping[str, Fraction]], str]


@dataclass(frozen=True)
class TippingPoint:
    """The value of a lever at which the outcome changes, all else fixed.

    ``direction`` is ``"up"`` when the outcome becomes ``outcome_after`` as the lever rises
    past the threshold, ``"down"`` when it falls past it.  The true threshold lies in
    ``bracket``, whose ends have the outcomes before and after.  With ``method="exact"``,
    ``exact`` is the threshold itself (a ``Fraction``, or a sympy algebraic number), the
    bracket is a tight one around it, and ``binding`` names the constraint whose boundary it
    is; ``threshold`` is ``exact`` when rational, else the shortest decimal in the bracket.
    With ``method="bisection"``, ``exact`` is None and ``threshold`` is the shortest decimal
    in the bisection bracket.
    """

    parameter: str
    threshold: Fraction
    bracket: tuple[Fraction, Fraction]
    direction: str
    baseline: Fraction
    outcome_before: str
    outcome_after: str
    method: str = "bisection"
    exact: Fraction | sp.Expr | None = None
    binding: str | None = None

    @property
    def threshold_exact(self) -> str:
        """The threshold as text: ``"p/q"`` when rational, else the algebraic number."""
        value = self.exact if self.exact is not None else self.threshold
        return str(value)

    def describe(self) -> str:
        verb = "rises above" if self.direction == "up" else "falls below"
        return (
            f"{self.outcome_after} when {self.parameter} {verb} {float(self.threshold):.4g} "
            f"(now {float(self.baseline):.4g}: {self.outcome_before})"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: threshold (float), threshold_exact (text), bracket, direction, method."""
        return {
            "threshold": float(self.threshold if self.exact is None else _approx(self.exact)),
            "threshold_exact": self.threshold_exact,
            "bracket": to_jsonable(self.bracket),
            "direction": self.direction,
            "outcome_after": self.outcome_after,
            "method": self.method,
            "binding": self.binding,
        }

    def verify(
        self, scenario: Any, values: Mapping[str, Fraction], outcome: Outcome | None = None
    ) -> Certificate:
        """Re-check the record at the analysed point ``values`` (exact, outcome re-derived
        by ``outcome`` or :func:`negotiate.scenario.analysis.outcome_at`):

        * the outcome is ``outcome_before`` at the baseline and on the inner end of the bracket,
          and ``outcome_after`` (a different one) on the outer end;
        * the threshold lies in the bracket; an exact threshold is also bracketed tightly
          (``2**-24`` bracket widths) by points with the outcome before and after;
        * no grid point of the scan nearer to the baseline than the threshold changes the
          outcome, nor does the point on the other side of the baseline as near as the
          bracket's inner end (so no nearer tipping point was passed over).
        """
        if outcome is None:

            def outcome(v: Mapping[str, Fraction]) -> str:
                return evaluate_point(scenario, v).outcome

        def at(x: Fraction) -> str:
            return outcome({**values, self.parameter: x})

        notes: list[str] = []
        lo, hi = self.bracket
        inside, outside = (lo, hi) if self.direction == "up" else (hi, lo)
        base, before, after = at(self.baseline), at(inside), at(outside)
        flips = (
            self.direction in ("up", "down")
            and lo < hi
            and base == before == self.outcome_before
            and after == self.outcome_after != before
        )
        if not flips:
            notes.append(
                f"{self.parameter}: outcome {base} at the baseline, {before} at {inside}, "
                f"{after} at {outside}; the record says {self.outcome_before} -> "
                f"{self.outcome_after} going {self.direction}"
            )
        value = self.exact if self.exact is not None else self.threshold
        inside_bracket = bool(sp.Rational(lo) <= _sym(value) <= sp.Rational(hi))
        side = (self.threshold - self.baseline) * (1 if self.direction == "up" else -1) >= 0
        if not (inside_bracket and side):
            notes.append(f"{self.parameter}: threshold {value} outside {self.bracket}")
        tight = True
        if self.exact is not None and inside_bracket:
            left, right = tight_interval(self.exact, lo, hi)
            pair = (at(left), at(right))
            want = (before, after) if self.direction == "up" else (after, before)
            tight = pair == want
            if not tight:
                notes.append(
                    f"{self.parameter}: outcomes {pair} just below and above {value}, "
                    f"expected {want}"
                )
        nearer = [
            x
            for x in grid_points(_domain(scenario, self.parameter), self.baseline)
            if abs(x - self.baseline) < abs(self.threshold - self.baseline)
        ]
        mirror = 2 * self.baseline - inside  # as near as the bracket, on the other side
        lo_d, hi_d = _domain(scenario, self.parameter)
        if mirror != self.baseline and lo_d <= mirror <= hi_d:
            nearer.append(mirror)
        changed = [x for x in nearer if at(x) != before]
        if changed:
            notes.append(
                f"{self.parameter}: the outcome already changes at {changed[0]}, nearer to "
                f"the baseline {self.baseline} than {value}"
            )
        ok = flips and inside_bracket and side and tight and not changed
        return Certificate(
            ok=ok,
            quantities={"before": before, "after": after, "nearer_points_checked": len(nearer)},
            exact=True,
            checks=(
                f"tipping point {self.parameter}: outcome flips across the bracket",
                f"tipping point {self.parameter}: threshold inside the bracket"
                + (", outcome flips right at it" if self.exact is not None else ""),
                f"tipping point {self.parameter}: no nearer change on the scan grid or at the "
                "mirror point",
            ),
            notes=tuple(notes),
        )


def _domain(scenario: Any, lever: str) -> tuple[Fraction, Fraction]:
    domain = scenario.parameters[lever].domain
    if domain is None:
        from negotiate.errors import ModelError

        raise ModelError(f"parameters.{lever}.domain", None, "a lever needs a domain")
    return domain


def grid_points(domain: tuple[Fraction, Fraction], baseline: Fraction) -> list[Fraction]:
    """The scan grid: ``GRID + 1`` equally spaced points of the domain, and the baseline."""
    lo, hi = domain
    return sorted({lo + (hi - lo) * Fraction(k, GRID) for k in range(GRID + 1)} | {baseline})


def shortest_decimal(lo: Fraction, hi: Fraction) -> Fraction:
    """The shortest decimal in ``[lo, hi]`` (the midpoint when none has < 18 digits)."""
    mid = (lo + hi) / 2
    for digits in range(1, 18):
        scale = 10**digits
        q = Fraction(round(mid * scale), scale)
        if lo <= q <= hi:
            return q
    return mid


def find_tipping_point(
    scenario: Any,
    base: Mapping[str, Fraction],
    lever: str,
    base_outcome: str,
    outcome: Outcome,
    cache: dict[Any, Any] | None = None,
) -> TippingPoint | None:
    """The tipping point of ``lever`` nearest to its baseline (see the module docstring);
    None when the outcome is the same at every grid point of the domain."""
    domain = scenario.parameters[lever].domain
    if domain is None or domain[0] == domain[1]:
        return None
    b = base[lever]
    grid = grid_points(domain, b)

    def at(x: Fraction) -> str:
        return outcome({**base, lever: x})

    found: list[TippingPoint] = []
    above = [x for x in grid if x > b]
    below = [x for x in reversed(grid) if x < b]
    width = (domain[1] - domain[0]) / 2**_BISECTIONS
    for seq, direction in ((above, "up"), (below, "down")):
        prev = b
        for x in seq:
            if at(x) != base_outcome:
                found.append(
                    _refine(
                        scenario,
                        base,
                        lever,
                        base_outcome,
                        prev,
                        x,
                        direction,
                        at,
                        width,
                        outcome,
                        cache,
                    )
                )
                break
            prev = x
    if not found:
        return None
    return min(found, key=lambda tp: abs(tp.threshold - b))


def _refine(
    scenario: Any,
    base: Mapping[str, Fraction],
    lever: str,
    base_outcome: str,
    inside: Fraction,
    outside: Fraction,
    direction: str,
    at: Callable[[Fraction], str],
    width: Fraction,
    outcome: Outcome,
    cache: dict[Any, Any] | None,
) -> TippingPoint:
    """Bisect ``[inside, outside]`` to ``width * 2**20`` and solve the threshold exactly; if
    that fails, bisect on to ``width`` and try again; else keep the bisection's bracket."""
    solved = None
    for stop in (width * 2**_COARSE, width):
        while abs(outside - inside) > stop:
            mid = (inside + outside) / 2
            if at(mid) == base_outcome:
                inside = mid
            else:
                outside = mid
        solved = exact_threshold(scenario, base, lever, inside, outside, outcome, cache)
        if solved is not None:
            break
    after = at(outside)
    lo, hi = sorted((inside, outside))
    if solved is None:
        return TippingPoint(
            lever, shortest_decimal(lo, hi), (lo, hi), direction, base[lever], base_outcome, after
        )
    value, binding = solved
    left, right = tight_interval(value, lo, hi)
    threshold = value if isinstance(value, Fraction) else shortest_decimal(left, right)
    return TippingPoint(
        lever,
        threshold,
        (left, right),
        direction,
        base[lever],
        base_outcome,
        after,
        method="exact",
        exact=value,
        binding=binding,
    )
