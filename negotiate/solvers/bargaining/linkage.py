"""The value of issue linkage: a package deal against splitting every issue 50/50.

With additive utilities over issues, a package lets each issue go to whoever values it
relatively more (logrolling), which Pareto-dominates splitting each issue in half whenever
the players' relative valuations differ (docs/models/axiomatic-bargaining.md: for the M1-T5
weights the package gives (0.75, 0.70) against (0.5, 0.5)).  :func:`linkage_value` compares the
bargaining
solution of the linked space with the even split.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negotiate.errors import ModelError
from negotiate.games.issues import IssueSpace
from negotiate.results import Certificate, ResultMixin, Summary, Table
from negotiate.solvers.bargaining.solutions import BargainingSolution, nash_bargaining

__all__ = ["LinkageValue", "linkage_value"]


@dataclass(frozen=True, repr=False)
class LinkageValue(ResultMixin):
    """``linked`` (the solution of the package deal), ``split`` (utilities when every issue is
    split 50/50), ``gain`` (linked minus split, per player), ``pareto_improvement`` (the
    package is at least as good for both and better for one)."""

    space: IssueSpace
    linked: BargainingSolution
    split: tuple[Any, Any]
    gain: tuple[Any, Any]
    pareto_improvement: bool

    def verify(self) -> Certificate:
        """The linked solution's own certificate; the split utilities recomputed (exactly
        for exact input); the gain and the Pareto-improvement flag recomputed from them."""
        cert = self.linked.verify()
        again = self.space.utilities(self.space.split_evenly())
        pairs = list(zip(again, self.split, strict=True))
        exact = all(isinstance(x, Fraction) for pair in pairs for x in pair)
        exact = exact and self.linked.exact
        if exact:
            ok = cert.ok and all(a == b for a, b in pairs)
            gain: list[Any] = [u - s for u, s in zip(self.linked.utilities, again, strict=True)]
            ok = ok and tuple(gain) == tuple(self.gain)
        else:
            ok = cert.ok and all(abs(float(a) - float(b)) <= 1e-12 for a, b in pairs)
            gain = [float(u) - float(s) for u, s in zip(self.linked.utilities, again, strict=True)]
            ok = ok and all(abs(g - float(h)) <= 1e-9 for g, h in zip(gain, self.gain, strict=True))
        better = all(g >= 0 for g in gain) and any(g > 0 for g in gain)
        ok = ok and better == self.pareto_improvement
        q = dict(cert.quantities)
        q["split_residual"] = max(
            abs(float(a) - float(b)) for a, b in zip(again, self.split, strict=True)
        )
        return Certificate(ok, q, cert.exact, cert.tolerance, (*cert.checks, "split recomputed"))

    def summary(self) -> Summary:
        p1, p2 = self.space.players
        rows = (
            ("package (linked)", self.linked.utilities[0], self.linked.utilities[1]),
            ("every issue split 50/50", self.split[0], self.split[1]),
            ("value of linkage", self.gain[0], self.gain[1]),
        )
        table = Table("utilities", ("deal", p1, p2), rows)
        fields = (
            ("solution", self.linked.concept),
            ("Pareto improvement", self.pareto_improvement),
        )
        return Summary("Value of issue linkage", fields, (table,))


def linkage_value(
    space: IssueSpace,
    disagreement: Sequence[Any],
    solution: Callable[..., BargainingSolution] = nash_bargaining,
    **options: Any,
) -> LinkageValue:
    """Compare ``solution(space.problem(disagreement))`` with splitting every issue evenly."""
    if not isinstance(space, IssueSpace):
        raise ModelError("space", type(space).__name__, "expected an IssueSpace")
    linked = solution(space.problem(disagreement), **options)
    split = space.utilities(space.split_evenly())
    if linked.exact:
        gain = (linked.utilities[0] - split[0], linked.utilities[1] - split[1])
    else:
        gain = (
            float(linked.utilities[0]) - float(split[0]),
            float(linked.utilities[1]) - float(split[1]),
        )
    better = gain[0] >= 0 and gain[1] >= 0 and (gain[0] > 0 or gain[1] > 0)
    return LinkageValue(space, linked, split, gain, bool(better))
