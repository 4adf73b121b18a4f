"""Symbolic backward induction: subgame-perfect equilibria as regions of the parameter domain.

Backward induction (Kuhn 1953; Selten 1965, 1975) on a tree whose payoffs and probabilities
are expressions in parameters.  At a decision node the mover's choice depends on the sign
of payoff differences ``u_a - u_b``, so the solver carries *pieces*: a pure strategy profile
of the subtree, its continuation values, and two conjunctions of inequalities:

* the **SPE condition**: every choice is optimal (``u_a >= u_b``; ``>`` against actions
  that ``tie_break`` prefers) -- exactly where the profile is subgame perfect;
* the **partition cell**: the same with ties assigned to the first action in order
  (``tie_break`` actions first, then declaration order), so the cells of all pieces
  partition the domain.

Pieces whose SPE condition is proven empty are dropped (:class:`~.regions.Decider`: exact
for linear and factorable conditions).  Pieces with a non-empty cell are the ``regions``;
pieces that are subgame perfect only where a tie holds (a cell that is empty, a condition
that is not) are listed in ``boundary``: on those boundaries both are equilibria.
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

from negotiate.errors import ModelError, NotApplicableError, SolverError, TooLargeError
from negotiate.expr import compile_numeric, symbol
from negotiate.games.tree import Chance, Decision, GameTree, Path, Terminal, evaluate
from negotiate.results import Certificate, Summary, Table, to_jsonable
from negotiate.solvers.regions import Decider, Ineq, Status, make_ineq
from negotiate.solvers.spe import SPEProfile, SPEResult, equilibrium_path

__all__ = ["Boundary", "Region", "SymbolicSPEResult", "solve_symbolic"]

_MAX_COVER_CASES = 512


def _sym(v: Fraction | sp.Expr) -> sp.Expr:
    return sp.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else v


def _tidy(v: sp.Expr) -> sp.Expr:
    """A compact exact form of a payoff: common factors pulled out of polynomials."""
    if not v.free_symbols:
        return v
    poly = v.as_poly(*sorted(v.free_symbols, key=lambda s: s.name))  # type: ignore[attr-defined]
    return sp.factor_terms(poly.as_expr() if poly is not None else sp.cancel(v))


def _singular_notes(tree: GameTree, decider: Decider) -> list[str]:
    """Notes on denominators of payoffs or probabilities that vanish inside the domain."""
    dens: list[sp.Expr] = []
    for v in tree.values():
        if isinstance(v, sp.Expr) and v.free_symbols:
            den = sp.fraction(sp.together(v))[1]
            if den.free_symbols and not any(sp.expand(den - d) == 0 for d in dens):
                dens.append(den)
    out = []
    for den in dens:
        status, point = decider.feasible([Ineq(den, False), Ineq(-den, False)])
        if status != "empty":
            at = f" (e.g. at {_show(point)})" if point else ""
            out.append(
                f"payoffs or probabilities are undefined where {den} = 0{at}; there the tree "
                "has no value, so at() raises and the regions say nothing"
            )
    return out


def _show(point: Mapping[str, Fraction]) -> str:
    return ", ".join(f"{k}={v}" for k, v in point.items())


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


@dataclass
class _Piece:
    strategy: dict[Path, str]
    values: tuple[sp.Expr, ...]
    weak: tuple[Ineq, ...]
    part: tuple[Ineq, ...] | None
    outcomes: dict[Path, sp.Expr]


class _Solver:
    def __init__(self, tree: GameTree, decider: Decider, max_pieces: int) -> None:
        self.tree = tree
        self.decider = decider
        self.max = max_pieces

    def check(self, n: int) -> None:
        if n > self.max:
            raise TooLargeError(
                "symbolic subgame-perfect pieces",
                cost=n,
                budget=self.max,
                instead="Narrow the parameter domains, add tie_break orders, or bind some "
                "parameters.",
            )

    def combine(
        self, combo: Sequence[_Piece], extra_weak: list[Ineq], extra_part: list[Ineq] | None
    ) -> tuple[tuple[Ineq, ...], tuple[Ineq, ...] | None] | None:
        weak = tuple(dict.fromkeys([q for p in combo for q in p.weak] + extra_weak))
        if self.decider.feasible(weak)[0] == "empty":
            return None
        part: tuple[Ineq, ...] | None = None
        if extra_part is not None and all(p.part is not None for p in combo):
            part = tuple(dict.fromkeys([q for p in combo for q in p.part or ()] + extra_part))
            if self.decider.feasible(part)[0] == "empty":
                part = None
        return weak, part

    def solve(self, path: Path) -> list[_Piece]:
        tree = self.tree
        node = tree.node(path)
        if isinstance(node, Terminal):
            return [_Piece({}, tuple(_sym(v) for v in node.payoffs), (), (), {path: sp.Integer(1)})]
        labs = node.actions if isinstance(node, Decision) else node.outcomes
        kids = [self.solve((*path, lab)) for lab in labs]
        self.check(math.prod(len(k) for k in kids))
        out: list[_Piece] = []
        for combo in itertools.product(*kids):
            strategy: dict[Path, str] = {}
            for p in combo:
                strategy.update(p.strategy)
            if isinstance(node, Chance):
                probs = [_sym(q) for q in node.probabilities]
                got = self.combine(combo, [], [])
                if got is None:
                    continue
                n = len(tree.players)
                vals = tuple(
                    sp.expand(
                        sum(
                            (q * p.values[i] for q, p in zip(probs, combo, strict=True)),
                            sp.Integer(0),
                        )
                    )
                    for i in range(n)
                )
                outcomes: dict[Path, sp.Expr] = {}
                for q, p in zip(probs, combo, strict=True):
                    for t, r in p.outcomes.items():
                        outcomes[t] = sp.expand(outcomes.get(t, sp.Integer(0)) + q * r)
                out.append(_Piece(strategy, vals, got[0], got[1], outcomes))
                continue
            i = tree.player_index(node.player)
            order = sorted(node.actions, key=lambda a: (node.rank(a), node.actions.index(a)))
            utility = {a: p.values[i] for a, p in zip(node.actions, combo, strict=True)}
            for a, chosen in zip(node.actions, combo, strict=True):
                weak: list[Ineq] = []
                part: list[Ineq] | None = []
                feasible = True
                for b in node.actions:
                    if b == a:
                        continue
                    diff = utility[a] - utility[b]
                    w = make_ineq(diff, strict=node.rank(b) < node.rank(a))
                    if w is False:
                        feasible = False
                        break
                    if isinstance(w, Ineq):
                        weak.append(w)
                    c = make_ineq(diff, strict=order.index(b) < order.index(a))
                    if c is False:
                        part = None
                    elif isinstance(c, Ineq) and part is not None:
                        part.append(c)
                if not feasible:
                    continue
                got = self.combine(combo, weak, part)
                if got is None:
                    continue
                out.append(
                    _Piece(
                        {**strategy, path: a}, chosen.values, got[0], got[1], dict(chosen.outcomes)
                    )
                )
        self.check(len(out))
        if not out:
            raise SolverError(
                f"no subgame-perfect piece survives at {path}",
                solver="spe_symbolic",
                status="empty",
            )
        return out


def solve_symbolic(tree: GameTree, max_pieces: int = 10_000) -> SymbolicSPEResult:
    """Symbolic backward induction over the parameter domain (see the module docstring)."""
    if tree.has_imperfect_information:
        raise NotApplicableError(
            "symbolic subgame-perfect regions need perfect information; bind the parameters "
            "first for a tree with information sets",
            ["subgame_perfect(tree.bind(values))", "reduced_normal_form(tree.bind(values))"],
        )
    names = sorted(s.name for s in tree.free_symbols)  # type: ignore[attr-defined]
    decider = Decider(tree.parameters, names)
    pieces = _Solver(tree, decider, max_pieces).solve(())
    regions: list[Region] = []
    boundary: list[Region] = []
    notes: list[str] = []
    for piece in pieces:
        weak = decider.simplify(piece.weak)
        strategy = {p: piece.strategy[p] for p in tree.decision_paths()}
        payoffs = {pl: _tidy(v) for pl, v in zip(tree.players, piece.values, strict=True)}
        common = {
            "strategy": strategy,
            "payoffs": payoffs,
            "path": equilibrium_path(tree, strategy),
            "spe_condition": _and(weak),
            "outcomes": {t: q for t, q in sorted(piece.outcomes.items()) if q != 0},
            "spe_inequalities": weak,
        }
        if piece.part is None:
            status, witness = decider.feasible(weak)
            boundary.append(
                Region(
                    index=len(boundary),
                    condition=_and(weak),
                    witness=witness,
                    status=status,
                    inequalities=weak,
                    **common,
                )
            )  # type: ignore[arg-type]
            continue
        part = decider.simplify(piece.part)
        status, witness = decider.feasible(part)
        inner, inner_witness = decider.feasible([Ineq(q.expr, True) for q in part])
        if inner_witness is not None:
            witness = inner_witness  # prefer a point off every boundary
        regions.append(
            Region(
                index=len(regions),
                condition=_and(part),
                witness=witness,
                status=status,
                interior={"nonempty": True, "empty": False}.get(inner),
                inequalities=part,
                **common,  # type: ignore[arg-type]
            )
        )
        if status == "unknown":
            notes.append(
                f"region {len(regions) - 1}: emptiness undecided (nonlinear condition, "
                "no sample inside); kept"
            )
    if boundary:
        notes.append(
            f"{len(boundary)} equilibria hold only on region boundaries (ties); see .boundary"
        )
    notes += _singular_notes(tree, decider)
    return SymbolicSPEResult(
        tree=tree,
        regions=tuple(regions),
        boundary=tuple(boundary),
        parameters=tuple(names),
        notes=tuple(notes),
    )


@dataclass(frozen=True)
class SymbolicSPEResult:
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
            names = tuple(sorted(s.name for s in f.free_symbols))  # type: ignore[attr-defined]
            rel = Ineq(f, False).relational()
            eq = sp.Eq(rel.lhs, rel.rhs)  # type: ignore[attr-defined]
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
        interval = sp.Interval(_sym(dom[0]), _sym(dom[1])) if dom else sp.S.Reals
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
                    cset = cset.intersect(sp.Interval(_sym(p.domain[0]), _sym(p.domain[1])))
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
        from negotiate.solvers.spe_verify import verify_symbolic

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
