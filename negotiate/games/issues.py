"""Multi-issue deals: named issues, each split between two players (issue linkage).

Player 1's share of issue j is ``y_j`` in [0, 1]; player 2 gets ``1 - y_j``.  Utilities are
additive over issues,

    U1(y) = sum_j w1_j * y_j ** r1_j,        U2(y) = sum_j w2_j * (1 - y_j) ** r2_j,

with weights ``w >= 0`` and exponents ``r`` in (0, 1].  ``r = 1`` everywhere is the linear
space of :meth:`IssueSpace.linear` (docs/models/axiomatic-bargaining.md); ``r < 1`` gives
diminishing returns
(:meth:`IssueSpace.concave`; ``r = 1/2`` is the square-root utility).  Because every
``s -> s ** r`` is concave, the feasible utility set (with lotteries) is convex.

For linear utilities the Pareto frontier is piecewise linear and exact: starting from "every
issue to player 2", issues are handed to player 1 in decreasing order of ``w1_j / w2_j``
(logrolling), so at most one issue is split at any frontier point.

Each issue is flagged ``reversible`` (a concession that can be taken back, e.g. sanctions
relief subject to snap-back) or not (e.g. assets paid out).  :meth:`IssueSpace.discounted`
multiplies player 1's weights on reversible issues by a credibility factor kappa
(docs/models/flagship.md#couplings).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any

from negotiate._exact import as_fraction, is_float_input, warn_float_input
from negotiate.errors import ModelError, NotApplicableError
from negotiate.games.bargaining import (
    BargainingProblem,
    Point,
    Polytope,
    as_point,
    check_players,
)
from negotiate.labels import canonical
from negotiate.labels import labels as check_labels

__all__ = ["FrontierVertex", "Issue", "IssueSpace"]

_ONE = Fraction(1)
_MAX_ISSUES = 1000


@dataclass(frozen=True)
class Issue:
    """One issue: its label, the players' weights and exponents, and reversibility."""

    label: str
    weights: tuple[Fraction, Fraction]
    exponents: tuple[Fraction, Fraction] = (_ONE, _ONE)
    reversible: bool = False

    @property
    def ratio(self) -> Fraction | None:
        """Player 1's relative valuation ``w1 / w2`` (None when ``w2 == 0``: infinite)."""
        return None if self.weights[1] == 0 else self.weights[0] / self.weights[1]


@dataclass(frozen=True)
class FrontierVertex:
    """A kink of the linear Pareto frontier: utilities and the allocation that attains them."""

    utilities: Point
    allocation: Mapping[str, Fraction]


@dataclass(frozen=True, eq=False)
class IssueSpace:
    """Named issues split between two players; see the module docstring for the utilities."""

    players: tuple[str, str]
    issues: tuple[Issue, ...]
    float_input: bool = False
    title: str = ""

    # ------------------------------------------------------------------ constructors
    @classmethod
    def linear(
        cls,
        players: Sequence[str],
        weights: Mapping[str, Sequence[Any]],
        reversible: Mapping[str, bool] | Collection[str] = (),
        *,
        title: str = "",
    ) -> IssueSpace:
        """Linear additive utilities ``U1 = sum w1_j y_j``, ``U2 = sum w2_j (1 - y_j)``."""
        return cls._build(players, weights, None, reversible, title)

    @classmethod
    def concave(
        cls,
        players: Sequence[str],
        weights: Mapping[str, Sequence[Any]],
        exponents: Mapping[str, Sequence[Any]] | Any = Fraction(1, 2),
        reversible: Mapping[str, bool] | Collection[str] = (),
        *,
        title: str = "",
    ) -> IssueSpace:
        """Diminishing returns: ``U1 = sum w1_j y_j**r1_j``, ``U2 = sum w2_j (1-y_j)**r2_j``.

        ``exponents`` is one number r in (0, 1] for every issue and player (default 1/2, the
        square-root utility), or a mapping ``{issue: (r1, r2)}``.
        """
        return cls._build(players, weights, exponents, reversible, title)

    @classmethod
    def _build(
        cls,
        players: Sequence[str],
        weights: Mapping[str, Sequence[Any]],
        exponents: Mapping[str, Sequence[Any]] | Any,
        reversible: Mapping[str, bool] | Collection[str],
        title: str,
    ) -> IssueSpace:
        pl = check_players(players)
        if not isinstance(weights, Mapping) or not weights:
            raise ModelError("weights", weights, "expected a non-empty mapping issue -> (w1, w2)")
        if len(weights) > _MAX_ISSUES:
            raise ModelError("weights", f"{len(weights)} issues", f"at most {_MAX_ISSUES}")
        labels = list(check_labels(list(weights), "weights", what="issue labels"))
        weights = dict(zip(labels, weights.values(), strict=True))
        if isinstance(exponents, Mapping):
            exponents = {canonical(k): v for k, v in exponents.items()}
        if isinstance(reversible, Mapping):
            reversible = {canonical(k): v for k, v in reversible.items()}
        elif not isinstance(reversible, str):
            reversible = [canonical(k) for k in reversible]
        rev = _reversible(reversible, labels)
        floats = False
        issues = []
        for label in labels:
            w, f = as_point(weights[label], f"weights[{label!r}]")
            floats = floats or f
            for i in (0, 1):
                if w[i] < 0:
                    raise ModelError(f"weights[{label!r}][{i}]", w[i], "must be >= 0")
            if w == (0, 0):
                raise ModelError(f"weights[{label!r}]", w, "the issue is worth nothing to both")
            r = (_ONE, _ONE)
            if exponents is not None:
                r, f = _exponents(exponents, label, labels)
                floats = floats or f
            issues.append(Issue(label, w, r, rev[label]))
        if floats:
            warn_float_input("float weights", stacklevel=3)
        if not isinstance(title, str):
            raise ModelError("title", title, "expected a string")
        return cls(pl, tuple(issues), floats, title)

    # ------------------------------------------------------------------ views
    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(i.label for i in self.issues)

    @property
    def is_linear(self) -> bool:
        return all(i.exponents == (_ONE, _ONE) for i in self.issues)

    def issue(self, label: str) -> Issue:
        label = canonical(label)
        for i in self.issues:
            if i.label == label:
                return i
        raise ModelError("issue", label, f"unknown issue; issues: {list(self.labels)}")

    def utilities(self, allocation: Mapping[str, Any]) -> tuple[Any, Any]:
        """``(U1, U2)`` of an allocation (issue -> player 1's share); exact when linear."""
        y = self._allocation(allocation)
        if self.is_linear:
            u1 = sum((i.weights[0] * y[i.label] for i in self.issues), Fraction(0))
            u2 = sum((i.weights[1] * (1 - y[i.label]) for i in self.issues), Fraction(0))
            return (u1, u2)
        f1 = sum(
            float(i.weights[0]) * float(y[i.label]) ** float(i.exponents[0]) for i in self.issues
        )
        f2 = sum(
            float(i.weights[1]) * float(1 - y[i.label]) ** float(i.exponents[1])
            for i in self.issues
        )
        return (f1, f2)

    def _allocation(self, allocation: Mapping[str, Any]) -> dict[str, Fraction]:
        if not isinstance(allocation, Mapping):
            raise ModelError("allocation", allocation, "expected a mapping issue -> share")
        for key in allocation:
            if key not in self.labels:
                raise ModelError(
                    f"allocation[{key!r}]", None, f"unknown issue; {list(self.labels)}"
                )
        out = {}
        for label in self.labels:
            if label not in allocation:
                raise ModelError(f"allocation[{label!r}]", None, "missing share")
            y = as_fraction(allocation[label], f"allocation[{label!r}]")
            if not 0 <= y <= 1:
                raise ModelError(f"allocation[{label!r}]", y, "shares lie in [0, 1]")
            out[label] = y
        return out

    # ------------------------------------------------------------------ geometry (linear)
    def _require_linear(self, what: str) -> None:
        if not self.is_linear:
            raise NotApplicableError(
                f"{what} is exact only for linear utilities; use the convex ('cvxpy') path",
                ("cvxpy",),
            )

    def frontier(self) -> tuple[FrontierVertex, ...]:
        """Exact kinks of the Pareto frontier, u1 increasing (linear utilities only).

        Issues worth something only to player 1 (``w2 = 0``) always go to player 1, those
        worth nothing to player 1 to player 2; the others are handed to player 1 in decreasing
        order of ``w1/w2`` (ties in the given order; then the frontier has collinear kinks and
        the split between tied issues is not unique).
        """
        self._require_linear("the frontier")
        return self._frontier

    @cached_property
    def _frontier(self) -> tuple[FrontierVertex, ...]:
        y = {i.label: (_ONE if i.weights[1] == 0 else Fraction(0)) for i in self.issues}
        movable = [i for i in self.issues if i.weights[0] > 0 and i.weights[1] > 0]
        movable.sort(key=lambda i: -i.weights[0] / i.weights[1])
        out = [FrontierVertex(self.utilities(y), dict(y))]
        for issue in movable:
            y[issue.label] = _ONE
            out.append(FrontierVertex(self.utilities(y), dict(y)))
        return tuple(out)

    def polytope(self) -> Polytope:
        """F as an exact polygon (a zonotope): hull of the two monotone transfer paths."""
        self._require_linear("the polytope")
        return self._polytope

    @cached_property
    def _polytope(self) -> Polytope:
        pts: list[Point] = []
        order = sorted(self.issues, key=_angle_key)
        for seq in (order, list(reversed(order))):
            y = {i.label: Fraction(0) for i in self.issues}
            pts.append(self.utilities(y))
            for issue in seq:
                y[issue.label] = _ONE
                pts.append(self.utilities(y))
        return Polytope.hull(pts)

    def problem(self, disagreement: Sequence[Any], *, title: str = "") -> BargainingProblem:
        """The bargaining problem (F of this space, d)."""
        d, f = as_point(disagreement, "disagreement")
        return BargainingProblem._make(
            self, d, self.players, self.float_input or f, title or self.title
        )

    def zone_of_agreement(self, disagreement: Sequence[Any]) -> tuple[Point, ...] | None:
        """Exact vertices of the Pareto frontier with ``u >= d``; None when there is none."""
        self._require_linear("the zone of agreement")
        d, _ = as_point(disagreement, "disagreement")
        return self.polytope().zone(d)

    def split_evenly(self) -> dict[str, Fraction]:
        """The allocation that splits every issue 50/50 (the no-linkage benchmark)."""
        return {label: Fraction(1, 2) for label in self.labels}

    def discounted(self, kappa: Any) -> IssueSpace:
        """Player 1's weights on reversible issues multiplied by ``kappa`` in [0, 1].

        The credibility discount of docs/models/flagship.md#couplings: a reversible
        concession by player 2 is worth only ``kappa`` of its face value to player 1; irreversible
        ones keep theirs.
        """
        k = as_fraction(kappa, "kappa")
        if not 0 <= k <= 1:
            raise ModelError("kappa", k, "must lie in [0, 1]")
        issues = []
        for i in self.issues:
            w = (i.weights[0] * k, i.weights[1]) if i.reversible else i.weights
            if w == (0, 0):
                raise ModelError("kappa", k, f"leaves issue {i.label!r} worth nothing to both")
            issues.append(Issue(i.label, w, i.exponents, i.reversible))
        return IssueSpace(
            self.players, tuple(issues), self.float_input or is_float_input(kappa), self.title
        )


def _angle_key(issue: Issue) -> tuple[int, Fraction]:
    """Sort key: issues worth nothing to player 2 first, then by decreasing ``w1 / w2``."""
    ratio = issue.ratio
    return (0, Fraction(0)) if ratio is None else (1, -ratio)


def _reversible(
    reversible: Mapping[str, bool] | Collection[str], labels: Sequence[str]
) -> dict[str, bool]:
    out = dict.fromkeys(labels, False)
    if isinstance(reversible, str):
        raise ModelError("reversible", reversible, "expected a set of issue labels or a mapping")
    if isinstance(reversible, Mapping):
        for key, flag in reversible.items():
            if key not in out:
                raise ModelError(
                    f"reversible[{key!r}]", None, f"unknown issue; issues: {list(labels)}"
                )
            if not isinstance(flag, bool):
                raise ModelError(f"reversible[{key!r}]", flag, "expected True or False")
            out[key] = flag
        return out
    for key in reversible:
        if key not in out:
            raise ModelError("reversible", key, f"unknown issue; issues: {list(labels)}")
        out[key] = True
    return out


def _exponents(
    exponents: Mapping[str, Sequence[Any]] | Any, label: str, labels: Sequence[str]
) -> tuple[tuple[Fraction, Fraction], bool]:
    if isinstance(exponents, Mapping):
        for key in exponents:
            if key not in labels:
                raise ModelError(
                    f"exponents[{key!r}]", None, f"unknown issue; issues: {list(labels)}"
                )
        if label not in exponents:
            return (_ONE, _ONE), False
        r, f = as_point(exponents[label], f"exponents[{label!r}]")
        field = f"exponents[{label!r}]"
    else:
        x = as_fraction(exponents, "exponents")
        r, f, field = (x, x), is_float_input(exponents), "exponents"
    for i in (0, 1):
        if not 0 < r[i] <= 1:
            raise ModelError(field, r[i], "exponents lie in (0, 1] (concave utilities)")
    return r, f
