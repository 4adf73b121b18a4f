"""Exact reasoning about parameter regions: conjunctions of inequalities ``f >= 0`` / ``f > 0``.

A region is a conjunction of :class:`Ineq` over real parameters that lie in a box (their
declared domains).  :class:`Decider` decides whether such a conjunction is empty:

* **linear** constraints exactly, by Fourier–Motzkin elimination in rationals (Fourier 1826,
  Motzkin 1936; strict inequalities tracked through the combinations), with an exact
  interior witness point from back-substitution;
* **factorable** constraints (numerator and denominator products of linear factors over the
  rationals, as in ``(1 - d1)*(1 + d1 - d2) > 0``) exactly, by splitting on the sign of each
  linear factor and deciding every linear case;
* anything else (irreducible nonlinear factors, ``min``/``max``/``exp``) by exact evaluation
  at sample points: a satisfying sample proves the region non-empty; otherwise its status is
  ``"unknown"`` and the caller keeps and flags it.

Redundant constraints (implied by the others and the box) are removed exactly where the
decision is exact, which is how region conditions are simplified.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import sympy as sp

from negotiate.core.inequality import Ineq, make_ineq, primitive_scale, rules_out, satisfied
from negotiate.expr import Parameter, symbol

__all__ = ["Decider", "Ineq", "Status", "make_ineq"]

Status = Literal["empty", "nonempty", "unknown"]
_MAX_ROWS = 4000
_MAX_CASES = 3**7
_SAMPLES = 64
_MAX_WITNESSES = 24
_BOXES = 400


_Row = tuple[tuple[Fraction, ...], Fraction, bool]
_IntRow = tuple[tuple[int, ...], int, bool]


def _integral(a: Sequence[Fraction | int], c: Fraction | int, strict: bool) -> _IntRow:
    """The same constraint with coprime integer coefficients (a positive rescaling)."""
    den = math.lcm(*(Fraction(x).denominator for x in (*a, c)))
    ints = [int(Fraction(x) * den) for x in (*a, c)]
    g = math.gcd(*ints) or 1
    return tuple(v // g for v in ints[:-1]), ints[-1] // g, strict


def _fourier_motzkin(rows: list[_Row], n: int) -> tuple[Status, dict[int, Fraction]]:
    """Exact feasibility of linear rows in ``n`` variables, with a witness when feasible.

    Integer arithmetic throughout the elimination (rows kept primitive); the witness is
    built by back-substitution in Fractions, at the midpoint of each variable's interval.
    """
    stages: list[tuple[int, list[_IntRow]]] = []
    current = _dedupe([_integral(*r) for r in rows])
    for j in reversed(range(n)):
        pos = [r for r in current if r[0][j] > 0]
        neg = [r for r in current if r[0][j] < 0]
        rest = [r for r in current if r[0][j] == 0]
        stages.append((j, pos + neg))
        for p, q in itertools.product(pos, neg):
            ap, aq = p[0][j], -q[0][j]
            a = [aq * x + ap * y for x, y in zip(p[0], q[0], strict=True)]
            c = aq * p[1] + ap * q[1]
            g = math.gcd(*a, c) or 1
            rest.append((tuple(v // g for v in a), c // g, p[2] or q[2]))
        current = _dedupe(rest)
        if len(current) > _MAX_ROWS:
            return "unknown", {}
    for _, c, strict in current:
        if c < 0 or (c == 0 and strict):
            return "empty", {}
    x: dict[int, Fraction] = {}
    for j, rs in reversed(stages):
        lo: Fraction | None = None
        hi: Fraction | None = None
        for coef, c, _ in rs:
            rest_val = c + sum((coef[k] * x[k] for k in range(j)), Fraction(0))
            bound = -rest_val / coef[j]
            if coef[j] > 0:
                lo = bound if lo is None else max(lo, bound)
            else:
                hi = bound if hi is None else min(hi, bound)
        if lo is not None and hi is not None:
            x[j] = lo if lo == hi else (lo + hi) / 2
        elif lo is not None:
            x[j] = lo + 1
        elif hi is not None:
            x[j] = hi - 1
        else:
            x[j] = Fraction(0)
    return "nonempty", x


def _dedupe(rows: list[_IntRow]) -> list[_IntRow]:
    best: dict[tuple[int, ...], tuple[int, bool]] = {}
    for a, c, strict in rows:
        if not any(a):
            if c > 0 or (c == 0 and not strict):
                continue  # trivially true
            return [(a, c, strict)]  # trivially false: keep only this
        old = best.get(a)
        if old is None or c < old[0] or (c == old[0] and strict and not old[1]):
            best[a] = (c, strict)
    return [(a, c, s) for a, (c, s) in best.items()]


@dataclass
class _Factored:
    sign: int  # sign of the rational constant
    factors: list[tuple[int, int, bool]]  # (factor index, multiplicity, in denominator)
    strict: bool


class Decider:
    """Decide emptiness of conjunctions of :class:`Ineq` over a parameter box."""

    def __init__(self, parameters: Mapping[str, Parameter], names: Sequence[str]) -> None:
        self.names = list(names)
        self.symbols = [symbol(n) for n in self.names]
        self.box = [parameters[n].domain if n in parameters else None for n in self.names]
        self._factors: list[tuple[tuple[Fraction, ...], Fraction]] = []
        self._factor_index: dict[tuple[tuple[Fraction, ...], Fraction], int] = {}
        self._cache: dict[Ineq, _Factored | None] = {}
        self._decided: dict[
            tuple[frozenset[Ineq], bool], tuple[Status, dict[str, Fraction] | None]
        ] = {}
        self._witnesses: list[dict[str, Fraction]] = []
        self._pinning = False
        rng = random.Random(1953)
        self._samples = [self._sample(rng, k) for k in range(_SAMPLES)]

    # -- exact decision ---------------------------------------------------------------------
    def feasible(
        self, ineqs: Sequence[Ineq], *, sample: bool = True
    ) -> tuple[Status, dict[str, Fraction] | None]:
        """``("empty" | "nonempty" | "unknown", witness point or None)``.

        With ``sample=False`` only exact reasoning is used (no search for a point inside a
        nonlinear region), which is all an emptiness proof needs.
        """
        key = (frozenset(ineqs), sample)
        if key not in self._decided:
            self._decided[key] = self._feasible(ineqs, sample)
        status, point = self._decided[key]
        return status, (dict(point) if point is not None else None)

    def _feasible(
        self, ineqs: Sequence[Ineq], sample: bool
    ) -> tuple[Status, dict[str, Fraction] | None]:
        for known in self._witnesses:  # a known point inside proves non-emptiness at once
            if self._inside(known, ineqs):
                return "nonempty", known
        parsed = [self._factor(q) for q in ineqs]
        exact = [p for p in parsed if p is not None]
        status, point = self._split(exact)
        if status == "empty" or (status == "nonempty" and len(exact) == len(parsed)):
            if point is not None:
                self._witnesses.insert(0, point)
                del self._witnesses[_MAX_WITNESSES:]
            return status, point
        pinned: dict[str, Fraction] = {}
        if status == "nonempty" and not self._pinning:  # does the exact part pin a parameter?
            # the emptiness checks inside _pinned must not look for pins again: with an
            # undecided exact part each level would add one constraint and recurse forever
            self._pinning = True
            try:
                pinned = self._pinned(
                    [q for q, f in zip(ineqs, parsed, strict=True) if f is not None]
                )
            finally:
                self._pinning = False
        if pinned:
            return self._substituted(ineqs, pinned, sample)
        if sample:
            for point in self._samples:
                if self._inside(point, ineqs):
                    return "nonempty", dict(point)
        return self._branch_and_bound(ineqs, _BOXES if sample else _BOXES // 8)

    def _pinned(self, exact: Sequence[Ineq]) -> dict[str, Fraction]:
        """Parameters that the exactly decidable constraints force to an end of the box
        (``d**2 <= 0`` forces ``d = 0`` on ``[0, 1]``)."""
        out: dict[str, Fraction] = {}
        if not exact:
            return out
        for name, sym, dom in zip(self.names, self.symbols, self.box, strict=True):
            if dom is None or not any(sym in q.expr.free_symbols for q in exact):
                continue
            for end, away in ((dom[0], sym - dom[0]), (dom[1], dom[1] - sym)):
                if self.feasible([*exact, Ineq(away, True)], sample=False)[0] == "empty":
                    out[name] = end
                    break
        return out

    def _substituted(
        self, ineqs: Sequence[Ineq], pinned: Mapping[str, Fraction], sample: bool
    ) -> tuple[Status, dict[str, Fraction] | None]:
        fix = {symbol(n): sp.Rational(v.numerator, v.denominator) for n, v in pinned.items()}
        reduced: list[Ineq] = []
        for q in ineqs:
            r = make_ineq(q.expr.xreplace(fix), q.strict)
            if r is False:
                return "empty", None
            if isinstance(r, Ineq):
                reduced.append(r)
        status, point = self.feasible(reduced, sample=sample)
        if point is None:
            return status, None
        point.update(pinned)
        return (status, point) if self._inside(point, ineqs) else ("unknown", None)

    def _branch_and_bound(
        self, ineqs: Sequence[Ineq], budget: int
    ) -> tuple[Status, dict[str, Fraction] | None]:
        """Exact interval bounds of polynomial constraints on sub-boxes of the domain.

        A sub-box is discarded when some constraint's upper bound rules it out, and proves the
        region non-empty when every lower bound satisfies its constraint; otherwise it is
        halved along its widest side.  All boxes discarded: empty (a proof, in exact
        arithmetic).  Budget spent: unknown.
        """
        if any(dom is None for dom in self.box) or any(q.terms is None for q in ineqs):
            return "unknown", None
        boxes: list[dict[str, tuple[Fraction, Fraction]]] = [
            {n: dom for n, dom in zip(self.names, self.box, strict=True) if dom is not None}
        ]
        order = list(ineqs)
        for _ in range(budget):
            if not boxes:
                return "empty", None
            box = boxes.pop()
            fbox = {n: (float(a), float(b)) for n, (a, b) in box.items()}
            fb = [q.approx_bounds(fbox) for q in order]
            # floats only choose what to prove; every decision is re-derived exactly
            cut = next(
                (
                    k
                    for k, (q, (_, hi)) in enumerate(zip(order, fb, strict=True))
                    if hi <= 1e-9 * (1 + abs(hi)) and rules_out(q, q.bounds(box)[1])
                ),
                None,
            )
            if cut is not None:
                order.insert(0, order.pop(cut))  # the constraint that cut is tried first
                continue
            if all(lo >= -1e-12 for lo, _ in fb) and all(
                satisfied(q, q.bounds(box)[0]) for q in order
            ):
                centre = {n: (a + b) / 2 for n, (a, b) in box.items()}
                corner = {n: a for n, (a, _) in box.items()}
                for point in (centre, corner):
                    if self._inside(point, ineqs):
                        return "nonempty", point
            widest = max(box, key=lambda n: box[n][1] - box[n][0])
            a, b = box[widest]
            if a == b:
                continue  # a point the bounds could not decide: a boundary; keep looking
            mid = (a + b) / 2
            boxes += [{**box, widest: (a, mid)}, {**box, widest: (mid, b)}]
        return "unknown", None

    def _inside(self, point: Mapping[str, Fraction], ineqs: Sequence[Ineq]) -> bool:
        """Exactly: does ``point`` (in the box) satisfy ``ineqs``?  A float pass first
        rejects clear misses cheaply."""
        for n, dom in zip(self.names, self.box, strict=True):
            if dom is not None and not dom[0] <= point[n] <= dom[1]:
                return False
        try:
            approx = {n: float(v) for n, v in point.items()}
            if any(q.approx(approx) < -1e-9 for q in ineqs):
                return False
            return all(q.holds(point) for q in ineqs)
        except (ValueError, TypeError, ZeroDivisionError, OverflowError):
            return False

    def implied(self, ineqs: Sequence[Ineq], target: Ineq) -> bool:
        """True if ``ineqs`` (within the box) provably imply ``target``."""
        return self.feasible([*ineqs, target.negate()], sample=False)[0] == "empty"

    def simplify(self, ineqs: Sequence[Ineq]) -> tuple[Ineq, ...]:
        """Drop duplicates and constraints implied by the others and the box (exactly)."""
        kept = list(dict.fromkeys(ineqs))
        i = 0
        while i < len(kept):
            others = kept[:i] + kept[i + 1 :]
            if self.implied(others, kept[i]):
                kept = others
            else:
                i += 1
        return tuple(kept)

    # -- internals --------------------------------------------------------------------------
    def _linear(self, f: sp.Expr) -> tuple[tuple[Fraction, ...], Fraction] | None:
        poly = f.as_poly(*self.symbols)
        if poly is None or poly.total_degree() > 1 or not (poly.domain.is_QQ or poly.domain.is_ZZ):
            return None
        a = tuple(Fraction(str(poly.coeff_monomial(s))) for s in self.symbols)
        return a, Fraction(str(poly.coeff_monomial(1)))

    def _factor(self, q: Ineq) -> _Factored | None:
        if q in self._cache:
            return self._cache[q]
        out: _Factored | None = None
        if set(q.expr.free_symbols) <= set(self.symbols):
            num, den = sp.fraction(sp.together(q.expr))
            sign = 1
            factors: list[tuple[int, int, bool]] = []
            ok = True
            for part, is_den in ((num, False), (den, True)):
                const, flist = sp.factor_list(sp.expand(part), *self.symbols)
                if not const.is_Rational:
                    ok = False
                    break
                sign *= 1 if const > 0 else -1
                for fac, mult in flist:
                    lin = self._linear(fac)
                    if lin is None or not any(lin[0]):
                        ok = False
                        break
                    a, c = lin
                    scale = primitive_scale([*a, c])
                    a, c = tuple(x * scale for x in a), c * scale
                    lead = next(x for x in a if x)
                    if lead < 0:
                        a, c = tuple(-x for x in a), -c
                        sign *= (-1) ** mult
                    key = (a, c)
                    if key not in self._factor_index:
                        self._factor_index[key] = len(self._factors)
                        self._factors.append(key)
                    factors.append((self._factor_index[key], mult, is_den))
                if not ok:
                    break
            if ok:
                out = _Factored(sign, factors, q.strict)
        self._cache[q] = out
        return out

    def _box_rows(self) -> list[_Row]:
        n = len(self.names)
        rows: list[_Row] = []
        for j, dom in enumerate(self.box):
            if dom is None:
                continue
            unit = tuple(Fraction(int(k == j)) for k in range(n))
            rows.append((unit, -dom[0], False))
            rows.append((tuple(-u for u in unit), dom[1], False))
        return rows

    def _split(self, parsed: list[_Factored]) -> tuple[Status, dict[str, Fraction] | None]:
        used = sorted({idx for p in parsed for idx, _, _ in p.factors})
        options: list[tuple[int, ...]] = []
        for idx in used:
            in_den = any(i == idx and d for p in parsed for i, _, d in p.factors)
            options.append((1, -1) if in_den else (1, -1, 0))
        if math.prod(len(o) for o in options) > _MAX_CASES:
            return "unknown", None
        n = len(self.names)
        for chosen in self._sign_cases(parsed, used, options):
            rows = self._box_rows()
            for idx, s in chosen.items():
                a, c = self._factors[idx]
                if s == 0:
                    rows += [(a, c, False), (tuple(-x for x in a), -c, False)]
                else:
                    rows.append((tuple(s * x for x in a), s * c, True))
            status, x = _fourier_motzkin(rows, n)
            if status == "unknown":
                return "unknown", None
            if status == "nonempty":
                return "nonempty", {self.names[j]: x[j] for j in range(n)}
        return "empty", None

    @staticmethod
    def _sign_ok(p: _Factored, chosen: Mapping[int, int]) -> bool:
        s = p.sign
        for idx, mult, _ in p.factors:
            s *= chosen[idx] ** mult
        return s > 0 if p.strict else s >= 0

    def _sign_cases(
        self, parsed: list[_Factored], used: list[int], options: list[tuple[int, ...]]
    ) -> Iterator[dict[int, int]]:
        """Sign assignments of the linear factors consistent with every constraint (depth
        first: a constraint is tested as soon as all its factors have a sign)."""
        last = {id(p): max((used.index(i) for i, _, _ in p.factors), default=-1) for p in parsed}
        ready: dict[int, list[_Factored]] = {}
        for p in parsed:
            ready.setdefault(last[id(p)], []).append(p)
        if not all(self._sign_ok(p, {}) for p in ready.get(-1, [])):
            return
        chosen: dict[int, int] = {}

        def walk(k: int) -> Iterator[dict[int, int]]:
            if k == len(used):
                yield dict(chosen)
                return
            for sign in options[k]:
                chosen[used[k]] = sign
                if all(self._sign_ok(p, chosen) for p in ready.get(k, [])):
                    yield from walk(k + 1)
            chosen.pop(used[k], None)

        yield from walk(0)

    def _sample(self, rng: random.Random, k: int) -> dict[str, Fraction]:
        point = {}
        for name, dom in zip(self.names, self.box, strict=True):
            lo, hi = dom if dom is not None else (Fraction(-10), Fraction(10))
            if k < 2:
                point[name] = lo + (hi - lo) * Fraction(1 + k, 3)
            else:
                point[name] = lo + (hi - lo) * Fraction(rng.randint(1, 996), 997)
        return point
