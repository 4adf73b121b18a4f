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
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from negotiate._exact import to_sympy
from negotiate.core.regions import Decider, Ineq, make_ineq
from negotiate.errors import NotApplicableError, SolverError, TooLargeError
from negotiate.games.tree import Chance, Decision, GameTree, Path, Terminal
from negotiate.solvers.spe.numeric import equilibrium_path
from negotiate.solvers.spe.regions import Boundary, Region, SymbolicSPEResult, _and

__all__ = ["Boundary", "Region", "SymbolicSPEResult", "solve_symbolic"]


def _tidy(v: sp.Expr) -> sp.Expr:
    """A compact exact form of a payoff: common factors pulled out of polynomials."""
    if not v.free_symbols:
        return v
    poly = v.as_poly(*sorted(v.free_symbols, key=lambda s: s.name))
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
            return [
                _Piece({}, tuple(to_sympy(v) for v in node.payoffs), (), (), {path: sp.Integer(1)})
            ]
        labs = node.actions if isinstance(node, Decision) else node.outcomes
        kids = [self.solve((*path, lab)) for lab in labs]
        self.check(math.prod(len(k) for k in kids))
        out: list[_Piece] = []
        for combo in itertools.product(*kids):
            strategy: dict[Path, str] = {}
            for p in combo:
                strategy.update(p.strategy)
            if isinstance(node, Chance):
                probs = [to_sympy(q) for q in node.probabilities]
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
    names = sorted(s.name for s in tree.free_symbols)
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
            )
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
                **common,
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
