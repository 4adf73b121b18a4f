"""Certificates for symbolic subgame-perfect regions.

Two independent checks of a :class:`~negotiate.solvers.spe_regions.SymbolicSPEResult`:

1. **Symbolic optimality.**  For every region and boundary equilibrium, the continuation
   values are recomputed from the tree and the strategy alone; at every decision node the
   chosen action's advantage over each alternative (``u_a - u_b >= 0``, strict against
   actions ``tie_break`` prefers) must be *implied* by the region's SPE condition.  The
   implication is proved exactly where the decider is exact (linear and factorable
   conditions); otherwise it is counted as unproved and left to the sample check.
2. **Substitution at sample points.**  At each region's witness and at seeded random
   rational points of the domain, exactly one region must contain the point, and
   ``result.at(x)`` must equal a fresh exact backward induction on ``tree.bind(x)`` (same
   set of strategies and payoffs) and, on small trees with perfect information, the set of
   pure profiles that pass the one-shot deviation check
   (:func:`~negotiate.solvers.spe.deviation.brute_force_spe`), with zero regret.
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import TYPE_CHECKING

import sympy as sp

from negotiate._exact import to_sympy
from negotiate.core.regions import Decider, Ineq, make_ineq
from negotiate.errors import ModelError, SolverError
from negotiate.games.tree import Decision, GameTree, Path, Terminal
from negotiate.results import Certificate
from negotiate.solvers.spe.deviation import brute_force_spe, check_profile
from negotiate.solvers.spe.numeric import SPEResult, solve_numeric

if TYPE_CHECKING:
    from negotiate.solvers.spe.regions import Region, SymbolicSPEResult

__all__ = ["equilibrium_key", "verify_symbolic"]


def _values(
    tree: GameTree, strategy: dict[Path, str], path: Path, memo: dict[Path, tuple[sp.Expr, ...]]
) -> tuple[sp.Expr, ...]:
    if path in memo:
        return memo[path]
    node = tree.node(path)
    if isinstance(node, Terminal):
        out = tuple(to_sympy(v) for v in node.payoffs)
    elif isinstance(node, Decision):
        out = _values(tree, strategy, (*path, strategy[path]), memo)
    else:
        n = len(tree.players)
        parts = [
            (to_sympy(p), _values(tree, strategy, (*path, o), memo))
            for p, o in zip(node.probabilities, node.outcomes, strict=True)
        ]
        out = tuple(sp.expand(sum((p * v[i] for p, v in parts), sp.Integer(0))) for i in range(n))
    memo[path] = out
    return out


def _check_region(tree: GameTree, region: Region, decider: Decider) -> tuple[int, int, list[str]]:
    proved = unproved = 0
    failures: list[str] = []
    strategy = dict(region.strategy)
    memo: dict[Path, tuple[sp.Expr, ...]] = {}
    root = _values(tree, strategy, (), memo)
    for player, v in zip(tree.players, root, strict=True):
        if sp.expand(sp.cancel(v - region.payoffs[player])) != 0:
            failures.append(f"region {region.index}: payoff of {player} recomputes to {v}")
    for path in tree.decision_paths():
        node = tree.node(path)
        assert isinstance(node, Decision)
        i = tree.player_index(node.player)
        a = strategy[path]
        ua = _values(tree, strategy, (*path, a), memo)[i]
        for b in node.actions:
            if b == a:
                continue
            ub = _values(tree, strategy, (*path, b), memo)[i]
            target = make_ineq(ua - ub, strict=node.rank(b) < node.rank(a))
            if target is True:
                proved += 1
            elif target is False:
                failures.append(
                    f"region {region.index}: {a!r} at {path} is never better than {b!r}"
                )
            elif isinstance(target, Ineq) and decider.implied(region.spe_inequalities, target):
                proved += 1
            else:
                unproved += 1
    return proved, unproved, failures


def equilibrium_key(
    result: SPEResult,
) -> frozenset[tuple[tuple[tuple[Path, str], ...], tuple[tuple[str, Fraction], ...]]]:
    """The set of (strategy, payoffs) pairs of a numeric result, for comparisons."""
    return frozenset(
        (tuple(sorted(eq.strategy.items())), tuple(sorted(eq.payoffs.items())))
        for eq in result.equilibria
    )


def _sample_points(result: SymbolicSPEResult, n: int) -> list[dict[str, Fraction]]:
    points = [dict(r.witness) for r in result.regions if r.witness is not None]
    rng = random.Random(1965)
    for _ in range(n):
        point = {}
        for name in result.parameters:
            p = result.tree.parameters.get(name)
            lo, hi = (
                p.domain
                if p is not None and p.domain is not None
                else (Fraction(-10), Fraction(10))
            )
            point[name] = lo + (hi - lo) * Fraction(rng.randint(0, 60), 60)
        points.append(point)
    return points


def verify_symbolic(result: SymbolicSPEResult, samples: int = 40) -> Certificate:
    """Check symbolic regions (see the module docstring)."""
    tree = result.tree
    decider = Decider(tree.parameters, result.parameters)
    proved = unproved = 0
    failures: list[str] = []
    for region in result.regions + result.boundary:
        p, u, f = _check_region(tree, region, decider)
        proved, unproved = proved + p, unproved + u
        failures += f
    checked = skipped = mismatches = 0
    worst = Fraction(0)
    for point in _sample_points(result, samples):
        try:
            fresh = solve_numeric(tree.bind(point))
        except ModelError:
            skipped += 1  # a payoff is undefined there (e.g. division by zero)
            continue
        try:
            got = result.at(point)
        except SolverError as exc:
            failures.append(str(exc))
            mismatches += 1
            continue
        checked += 1
        oracle = brute_force_spe(fresh.tree, limit=256)
        strategies = {tuple(sorted(eq.strategy.items())) for eq in got.equilibria}
        if oracle is not None and strategies != oracle:
            mismatches += 1
            failures.append(
                f"at {point}: regions give {len(strategies)} equilibria, the enumeration of "
                f"all pure profiles {len(oracle)}"
            )
        if equilibrium_key(got) != equilibrium_key(fresh):
            mismatches += 1
            failures.append(
                f"at {point}: regions give {len(got.equilibria)} equilibria, "
                f"backward induction {len(fresh.equilibria)}"
            )
        for eq in got.equilibria:
            regret, ok, msgs = check_profile(got.tree, eq)
            worst = max(worst, regret)
            if not ok:
                failures += [f"at {point}: {m}" for m in msgs]
    notes = []
    if unproved:
        notes.append(
            f"{unproved} optimality conditions are nonlinear and were checked at sample points only"
        )
    if skipped:
        notes.append(f"{skipped} sample points skipped: payoffs undefined there")
    return Certificate(
        ok=not failures and mismatches == 0,
        quantities={
            "regions": len(result.regions),
            "boundary_equilibria": len(result.boundary),
            "implications_proved": proved,
            "implications_unproved": unproved,
            "samples": checked,
            "sample_mismatches": mismatches,
            "max_regret": worst,
        },
        exact=True,
        checks=tuple(failures)
        or (
            "optimality implied by every region's condition; samples agree with backward induction",
        ),
        notes=tuple(notes),
    )
