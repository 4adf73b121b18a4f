"""Beliefs over the sender's types: best-response regions and off-path belief sets.

At a message ``m`` the receiver's action ``a`` is a best response to a belief ``mu`` over the
types iff ``sum_t mu(t) [u_R(t, m, a) - u_R(t, m, b)] >= 0`` for every action ``b``.  These
inequalities and the simplex cut out a polytope (possibly empty).  Its vertices are computed
exactly with cddlib in GMP rational arithmetic (pycddlib, ``cdd.gmp``); since the region is
convex, ``a`` is a best response on all of it iff it is one at every vertex, which is how
:meth:`OffPathBeliefs` regions are certified.  Off the equilibrium path, Bayes' rule puts no
restriction on beliefs, so a perfect Bayesian equilibrium is supported by a *set* of beliefs
(Fudenberg & Tirole 1991, *Game Theory*, def. 8.2).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import cdd.gmp as cdd
import sympy as sp

from negotiate._exact import as_fraction
from negotiate.errors import ModelError

__all__ = ["OffPathBeliefs", "belief_symbol", "br_vertices", "expected"]

Table = Sequence[Sequence[Sequence[Any]]]  # [type][message][action]


def belief_symbol(t: str, m: str) -> sp.Symbol:
    """The symbol ``mu(t|m)``: the receiver's belief that the sender is of type ``t`` at ``m``.

    Only used in printed conditions, never in generated code.
    """
    return sp.Symbol(f"mu({t}|{m})", real=True)


def expected(table: Table, belief: Sequence[Any], m: int, a: int) -> Any:
    """``sum_t belief[t] * table[t][m][a]``."""
    return sum((belief[t] * table[t][m][a] for t in range(len(belief))), Fraction(0))


def br_vertices(
    table: Table, m: int, a: int | Sequence[int], support: Sequence[int] | None = None
) -> tuple[tuple[Fraction, ...], ...]:
    """Vertices of ``{mu in simplex: every action in a is a best response at m}`` (empty if
    the set is empty); ``a`` is one action or several (the receiver is then indifferent).

    ``support`` restricts beliefs to the given types (the others get probability 0).
    """
    n = len(table)
    acts = [a] if isinstance(a, int) else list(a)
    rows: list[list[Fraction]] = []
    for x in acts:
        for b in range(len(table[0][m])):
            if b != x:
                rows.append(
                    [Fraction(0)] + [Fraction(table[t][m][x] - table[t][m][b]) for t in range(n)]
                )
    for t in range(n):
        rows.append([Fraction(0)] + [Fraction(int(s == t)) for s in range(n)])
    lin = {len(rows)}
    rows.append([Fraction(-1)] + [Fraction(1)] * n)
    if support is not None:
        for t in range(n):
            if t not in support:
                lin.add(len(rows))
                rows.append([Fraction(0)] + [Fraction(int(s == t)) for s in range(n)])
    return polytope_vertices(rows, lin)


def polytope_vertices(
    rows: Sequence[Sequence[Fraction]], equalities: set[int] | None = None
) -> tuple[tuple[Fraction, ...], ...]:
    """Vertices of the bounded polytope ``{x: b + A x >= 0}`` (rows ``[b, A]``; the rows in
    ``equalities`` hold with equality), exactly, with cddlib in GMP rationals."""
    mat = cdd.matrix_from_array(
        [list(r) for r in rows],
        lin_set=set(equalities or ()),
        rep_type=cdd.RepType.INEQUALITY,  # type: ignore[attr-defined]
    )
    gens = cdd.copy_generators(cdd.polyhedron_from_matrix(mat))
    verts = []
    for row in gens.array:
        if row[0] != 1:  # pragma: no cover - callers pass bounded polytopes
            raise ArithmeticError("unbounded polytope")
        verts.append(tuple(Fraction(x) for x in row[1:]))
    return tuple(sorted(verts))


@dataclass(frozen=True)
class OffPathBeliefs:
    """The beliefs at an off-path ``message`` that support the receiver's response there.

    ``actions`` are the receiver's best replies on the whole set: one action (a pure
    response), or several among which the receiver is indifferent and mixes.

    ``condition`` is a sympy Boolean in the symbols ``mu(t|message)`` (and, in symbolic
    results, the parameters).  With two types it is stated for one type's belief, the other
    being ``1 - mu``.  In numeric results ``vertices`` lists the exact extreme beliefs of the
    (convex) set; in symbolic results it is ``None``.
    """

    message: str
    actions: tuple[str, ...]
    types: tuple[str, ...]
    condition: sp.Basic
    vertices: tuple[tuple[Fraction, ...], ...] | None = None

    @classmethod
    def from_vertices(
        cls,
        message: str,
        actions: tuple[str, ...],
        types: tuple[str, ...],
        vertices: tuple[tuple[Fraction, ...], ...],
        rows: Sequence[Sequence[Fraction]],
    ) -> OffPathBeliefs:
        """Numeric beliefs: ``rows`` are the best-response inequalities ``sum_t c_t mu_t >= 0``."""
        if len(types) == 2:
            lo = min(v[0] for v in vertices)
            hi = max(v[0] for v in vertices)
            mu0 = belief_symbol(types[0], message)
            mu1 = belief_symbol(types[1], message)
            if lo == 0 and hi == 1:
                cond: sp.Basic = sp.true
            elif hi == 1:
                cond = sp.Ge(mu0, _r(lo))
            elif lo == 0:
                cond = sp.Ge(mu1, _r(1 - hi))
            elif lo == hi:
                cond = sp.Eq(mu0, _r(lo))
            else:
                cond = sp.And(sp.Ge(mu0, _r(lo)), sp.Le(mu0, _r(hi)))
        else:
            mus = [belief_symbol(t, message) for t in types]
            parts = [
                sp.Ge(sum(_r(c) * mu for c, mu in zip(row, mus, strict=True)), 0)
                for row in rows
                if min(row) < 0  # rows with no negative weight hold on the whole simplex
            ]
            cond = sp.And(*parts)
        return cls(message, actions, types, cond, vertices)

    @property
    def action(self) -> str:
        """The receiver's response when it is pure."""
        if len(self.actions) != 1:
            raise ModelError("action", self.actions, "the receiver mixes here; see .actions")
        return self.actions[0]

    def contains(self, belief: Mapping[str, Any] | Sequence[Any]) -> bool:
        """Whether ``belief`` (``{type: prob}`` or a sequence) lies in the set (numeric only)."""
        if isinstance(belief, Mapping):
            unknown = [k for k in belief if k not in self.types]
            if unknown:
                raise ModelError("belief", unknown[0], f"unknown type; types: {list(self.types)}")
            probs = [as_fraction(belief.get(t, 0), f"belief.{t}") for t in self.types]
        else:
            probs = [as_fraction(p, f"belief[{i}]") for i, p in enumerate(belief)]
        if len(probs) != len(self.types) or sum(probs) != 1 or min(probs) < 0:
            raise ModelError("belief", belief, "expected a probability over the sender's types")
        subs = {
            belief_symbol(t, self.message): _r(p) for t, p in zip(self.types, probs, strict=True)
        }
        out = self.condition.xreplace(subs)
        if out not in (sp.true, sp.false):
            raise ModelError("belief", belief, f"the condition depends on parameters: {out}")
        return bool(out)

    def interval(self, t: str) -> tuple[Fraction, Fraction]:
        """The range of ``mu(t|message)`` over the set (numeric results only)."""
        if self.vertices is None:
            raise ModelError("interval", t, "symbolic beliefs have no numeric interval; bind first")
        if t not in self.types:
            raise ModelError("type", t, f"unknown type; types: {list(self.types)}")
        i = self.types.index(t)
        return min(v[i] for v in self.vertices), max(v[i] for v in self.vertices)

    def describe(self) -> str:
        cond = "any belief" if self.condition == sp.true else str(self.condition)
        return f"{'/'.join(self.actions)} at {self.message} if {cond}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "message": self.message,
            "actions": list(self.actions),
            "condition": str(self.condition),
        }
        if self.vertices is not None:
            from negotiate.results import to_jsonable

            out["vertices"] = [
                dict(zip(self.types, to_jsonable(v), strict=True)) for v in self.vertices
            ]
        return out


def _r(x: Fraction) -> sp.Rational:
    return sp.Rational(x.numerator, x.denominator)
