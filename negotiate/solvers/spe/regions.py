"""Results of symbolic backward induction: regions, boundaries, credibility conditions.

See :mod:`negotiate.solvers.spe.symbolic` for how the regions are computed.  A
:class:`SymbolicSPEResult` answers questions about the whole parameter domain: the region
containing a point (exact), the exact numeric result at a point, a compiled classifier for
many points, the threshold surfaces, and the condition under which an action is chosen at a
node in a subgame-perfect equilibrium (the credibility of a threat or promise made there).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from negotiate._exact import to_sympy
from negotiate.core.regions import Decider, Ineq, Status
from negotiate.errors import ModelError, SolverError
from negotiate.expr import compile_numeric, symbol
from negotiate.games.tree import Decision, GameTree, Path, evaluate
from negotiate.results import Certificate, ResultMixin, Summary, Table, to_jsonable
from negotiate.solvers.spe.numeric import SPEProfile, SPEResult

__all__ = ["Boundary", "Region", "SymbolicSPEResult"]

_MAX_COVER_CASES = 512


def _merge_complements(conjs: list[tuple[Ineq, ...]], decider: Decider) -> list[tuple[Ineq, ...]]:
    """``(A and q1) or (A and q2)`` becomes ``A`` when ``q1 or q2`` holds on the whole box."""
    merged = True
    while merged:
        merged = False
        for a, b in itertools.combinations(range(len(conjs)), 2):
            only_a = [q for q in conjs[a] if q not in conjs[b]]
            only_b = [q for q in conjs[b] if q not in conjs[a]]
            if len(only_a) == 1 and len(only_b) == 1:
                cover = decider.feasible([only_a[0].negate(), only_b[0].negate()], sample=False)
                if cover[0] == "empty":
                    common = tuple(q for q in conjs[a] if q in conjs[b])
                    conjs = [c for k, c in enumerate(conjs) if k not in (a, b)] + [common]
                    merged = True
                    break
    return list(dict.fromkeys(conjs))


def _and(ineqs: Sequence[Ineq]) -> sp.Basic:
    return sp.And(*(q.relational() for q in ineqs)) if ineqs else sp.true


@dataclass(frozen=True)
class Region:
    """A cell of the parameter domain with its subgame-perfect equilibrium.

    ``condition`` (a sympy Boolean, stated within the declared domains) defines the cell;
    the cells of all regions partition the domain.  ``spe_condition`` is where
    ``strategy`` is subgame perfect (the closure of the cell under ties).  ``witness`` is an
    exact point of the cell (``None`` when none was found); ``status`` is ``"nonempty"``
    when the cell is proven non-empty, ``"unknown"`` when emptiness could not be decided
    (nonlinear condition and no sample inside: kept and flagged).  ``interior`` is False for
    a cell that is a boundary itself (e.g. ``e = 0``, where a tie is resolved by order),
    True when it has interior points, None when undecided.
    """

    index: int
    condition: sp.Basic
    strategy: Mapping[Path, str]
    payoffs: Mapping[str, sp.Expr]
    path: Path
    spe_condition: sp.Basic
    outcomes: Mapping[Path, sp.Expr]
    witness: Mapping[str, Fraction] | None
    status: Status
    interior: bool | None = None
    inequalities: tuple[Ineq, ...] = field(repr=False, default=())
    spe_inequalities: tuple[Ineq, ...] = field(repr=False, default=())

    def contains(self, point: Mapping[str, Fraction]) -> bool:
        """Exactly: does the cell contain ``point``?"""
        return all(q.holds(point) for q in self.inequalities)

    def is_spe_at(self, point: Mapping[str, Fraction]) -> bool:
        """Exactly: is ``strategy`` subgame perfect at ``point``?"""
        return all(q.holds(point) for q in self.spe_inequalities)

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "condition": str(self.condition),
            "spe_condition": str(self.spe_condition),
            "strategy": {"/".join(p) or "(root)": a for p, a in self.strategy.items()},
            "payoffs": {k: str(v) for k, v in self.payoffs.items()},
            "path": list(self.path),
            "witness": to_jsonable(dict(self.witness)) if self.witness else None,
            "status": self.status,
        }


@dataclass(frozen=True)
class Boundary:
    """A threshold surface ``expression = 0`` between regions.

    ``thresholds`` are its values inside the domain when it involves a single parameter
    (``parameter``), else empty.
    """

    expression: sp.Expr
    equation: sp.Basic
    parameters: tuple[str, ...]
    parameter: str | None
    thresholds: tuple[Fraction | sp.Expr, ...]


@dataclass(frozen=True, repr=False)
class SymbolicSPEResult(ResultMixin):
    """Subgame-perfect equilibria of a tree with parameters, as regions of the domain.

    ``regions`` partition the declared parameter domain (conditions are stated within it);
    ``boundary`` lists equilibria that hold only where a tie holds.  ``at(values)`` gives the
    exact numeric result at a point, ``classify(**arrays)`` the region index of many points,
    ``boundaries()`` the threshold surfaces, ``credible(path, action)`` the condition for an
    action to be chosen at a node.
    """

    tree: GameTree
    regions: tuple[Region, ...]
    boundary: tuple[Region, ...]
    parameters: tuple[str, ...]
    method: str = "symbolic_backward_induction"
    notes: tuple[str, ...] = ()
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    # -- points -----------------------------------------------------------------------------
    def _point(self, values: Mapping[Any, Any]) -> tuple[GameTree, dict[str, Fraction]]:
        bound = self.tree.bind(values)
        return bound, {n: bound.bound[n] for n in self.parameters}

    def region_at(self, values: Mapping[Any, Any]) -> Region:
        """The region whose cell contains the point (exact)."""
        _, point = self._point(values)
        hits = [r for r in self.regions if r.contains(point)]
        if len(hits) != 1:
            raise SolverError(
                f"{len(hits)} regions contain {point}; the regions should partition the domain",
                solver="spe_symbolic",
                status="inconsistent",
            )
        return hits[0]

    def at(self, values: Mapping[Any, Any]) -> SPEResult:
        """The exact numeric result at a parameter point: every SPE there (ties included)."""
        bound, point = self._point(values)
        region = self.region_at(values)
        profiles = []
        for r in (region, *(r for r in self.regions + self.boundary if r is not region)):
            if r is not region and not r.is_spe_at(point):
                continue
            field_ = f"region {r.index}"
            payoffs = {p: evaluate(v, point, f"{field_}.payoffs.{p}") for p, v in r.payoffs.items()}
            outcomes = {t: evaluate(q, point, f"{field_}.outcomes") for t, q in r.outcomes.items()}
            profiles.append(
                SPEProfile(
                    dict(r.strategy), payoffs, r.path, {t: q for t, q in outcomes.items() if q}
                )
            )
        return SPEResult(
            tree=bound,
            equilibria=tuple(profiles),
            method="symbolic_regions_at_point",
            notes=(f"point lies in region {region.index}",),
            parameters=point,
        )

    def classify(self, **arrays: Any) -> np.ndarray:
        """Region index of every point (vectorised; compiled once with ``compile_numeric``).

        Pass one array (or scalar) per parameter, by name.  Floats are used, so points within
        rounding of a boundary may go to either neighbour; :meth:`region_at` is exact.
        """
        missing = sorted(set(self.parameters) - set(arrays))
        extra = sorted(set(arrays) - set(self.parameters))
        if missing or extra:
            raise ModelError(
                "classify", sorted(arrays), f"expected arrays for exactly {list(self.parameters)}"
            )
        if "kernel" not in self._cache:
            exprs = sorted({q.expr for r in self.regions for q in r.inequalities}, key=str)
            kernel = (
                compile_numeric(exprs, list(self.parameters), check_finite=False) if exprs else None
            )
            rows = [[exprs.index(q.expr) for q in r.inequalities] for r in self.regions]
            self._cache["kernel"] = (kernel, rows)
        kernel, rows = self._cache["kernel"]
        arrs = [np.asarray(arrays[n], dtype=float) for n in self.parameters]
        for n, a in zip(self.parameters, arrs, strict=True):
            dom = self.tree.parameters[n].domain if n in self.tree.parameters else None
            if dom is not None and a.size and (a.min() < float(dom[0]) or a.max() > float(dom[1])):
                raise ModelError(
                    n,
                    (float(a.min()), float(a.max())),
                    f"points outside the domain [{dom[0]}, {dom[1]}]",
                )
        shape = np.broadcast_shapes(*(a.shape for a in arrs)) if arrs else ()
        if kernel is None:
            return np.zeros(shape, dtype=np.intp)
        vals = kernel(*arrs)
        best = np.full(shape, -np.inf)
        index = np.zeros(shape, dtype=np.intp)
        for k, row in enumerate(rows):
            if not row:
                return np.full(shape, k, dtype=np.intp)
            margin = np.array(vals[row[0]], dtype=float)  # nan (undefined) never wins
            for j in row[1:]:
                np.minimum(margin, vals[j], out=margin)
            better = margin > best
            index[better] = k
            np.fmax(best, margin, out=best)
        return index

    # -- conditions -------------------------------------------------------------------------
    def boundaries(self) -> tuple[Boundary, ...]:
        """The threshold surfaces between regions; values inside the domain for those in one
        parameter."""
        seen: list[sp.Expr] = []
        for r in self.regions:
            for q in r.inequalities:
                if not any(sp.expand(q.expr - s) == 0 or sp.expand(q.expr + s) == 0 for s in seen):
                    seen.append(q.expr)
        out = []
        for f in seen:
            names = tuple(sorted(s.name for s in f.free_symbols))
            rel = Ineq(f, False).relational()
            eq = sp.Eq(rel.lhs, rel.rhs)
            values: tuple[Fraction | sp.Expr, ...] = ()
            single = names[0] if len(names) == 1 else None
            if single is not None:
                values = self._roots(f, single)
            out.append(Boundary(f, eq, names, single, values))
        return tuple(out)

    def _roots(self, f: sp.Expr, name: str) -> tuple[Fraction | sp.Expr, ...]:
        s = symbol(name)
        p = self.tree.parameters.get(name)
        dom = p.domain if p is not None else None
        interval = sp.Interval(to_sympy(dom[0]), to_sympy(dom[1])) if dom else sp.S.Reals
        roots = sp.solveset(sp.numer(sp.together(f)), s, domain=interval)
        if not isinstance(roots, sp.FiniteSet):
            return ()
        out: list[Fraction | sp.Expr] = []
        for r in sorted(roots, key=lambda v: float(v)):
            out.append(Fraction(int(r.p), int(r.q)) if r.is_Rational else r)
        return tuple(out)

    def credible(self, path: Path | list[str], action: str) -> sp.Basic:
        """The condition (sympy Boolean, within the domain) under which ``action`` is chosen
        at the node at ``path`` in some subgame-perfect equilibrium."""
        key = tuple(path)
        node = self.tree.node(key)
        if not isinstance(node, Decision) or action not in node.actions:
            raise ModelError("action", action, f"is not an action at decision node {key}")
        memo = self._cache.setdefault("credible", {})
        if (key, action) not in memo:
            memo[key, action] = self._credible(key, action)
        return memo[key, action]

    def _credible(self, key: Path, action: str) -> sp.Basic:
        pieces = [r for r in self.regions + self.boundary if r.strategy[key] == action]
        if not pieces:
            return sp.false
        if all(r.strategy[key] == action for r in self.regions):
            return sp.true
        cond = self._disjunction([r.spe_inequalities for r in pieces])
        if len(self.parameters) == 1 and cond not in (sp.true, sp.false):
            s = symbol(self.parameters[0])
            p = self.tree.parameters.get(self.parameters[0])
            try:
                cset = cond.as_set()
                if p is not None and p.domain is not None:
                    cset = cset.intersect(sp.Interval(to_sympy(p.domain[0]), to_sympy(p.domain[1])))
                return cset.as_relational(s)
            except (NotImplementedError, TypeError, ValueError):
                return cond
        return cond

    def _disjunction(self, conjs: list[tuple[Ineq, ...]]) -> sp.Basic:
        """Or of conjunctions, simplified exactly: sp.true when it covers the domain, and
        conjunctions contained in another one dropped."""
        decider = Decider(self.tree.parameters, self.parameters)
        if any(not c for c in conjs):
            return sp.true
        if math.prod(len(c) for c in conjs) <= _MAX_COVER_CASES and all(
            decider.feasible([q.negate() for q in combo])[0] == "empty"
            for combo in itertools.product(*conjs)
        ):
            return sp.true
        kept = _merge_complements(list(dict.fromkeys(conjs)), decider)
        if any(not c for c in kept):
            return sp.true
        i = 0
        while i < len(kept):
            inside = any(
                j != i and all(decider.implied(kept[i], q) for q in kept[j])
                for j in range(len(kept))
            )
            if inside:
                kept.pop(i)
            else:
                i += 1
        return sp.Or(*(_and(c) for c in kept))

    # -- checks and reports -----------------------------------------------------------------
    def verify(self, samples: int = 40) -> Certificate:
        from negotiate.solvers.spe.verify import verify_symbolic

        return verify_symbolic(self, samples)

    def summary(self) -> Summary:
        tree = self.tree
        doms = []
        for n in self.parameters:
            p = tree.parameters.get(n)
            doms.append(f"{n} in [{p.domain[0]}, {p.domain[1]}]" if p and p.domain else n)
        rows = tuple(
            (
                r.index,
                str(r.condition),
                " -> ".join(r.path) or "(root)",
                ", ".join(f"{k}={v}" for k, v in r.payoffs.items()),
            )
            for r in self.regions
        )
        tables = [
            Table(
                "Regions (they partition the domain)", ("#", "condition", "path", "payoffs"), rows
            )
        ]
        if self.boundary:
            brows = tuple(
                (r.index, str(r.spe_condition), " -> ".join(r.path)) for r in self.boundary
            )
            tables.append(
                Table("Equilibria only on boundaries (ties)", ("#", "condition", "path"), brows)
            )
        return Summary(
            title="Subgame-perfect equilibria by parameter region"
            + (f": {tree.title}" if tree.title else ""),
            fields=(
                ("players", ", ".join(tree.players)),
                ("parameters", "; ".join(doms)),
                ("method", self.method),
                ("regions", len(self.regions)),
            ),
            tables=tuple(tables),
            notes=(
                *self.notes,
                "conditions are stated within the declared parameter domains",
                "Selten (1965, 1975); backward induction after Kuhn (1953)",
            ),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "parameters": list(self.parameters),
            "regions": [r.to_dict() for r in self.regions],
            "boundary": [r.to_dict() for r in self.boundary],
            "notes": list(self.notes),
        }
