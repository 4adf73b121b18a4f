"""Subgame-perfect equilibria of game trees by backward induction (Kuhn 1953; Selten 1965, 1975).

A profile is subgame perfect when it induces a Nash equilibrium in every subgame (Selten
1965).  In a finite tree with perfect information, backward induction finds all pure ones
(Kuhn 1953): at each decision node, given the continuation chosen below, the mover picks an
action maximising its expected payoff; chance nodes average exactly.  Where several actions
tie, every choice gives an equilibrium and all are reported, unless the node's ``tie_break``
order settles it (listed actions first, in order).

Trees with imperfect information are cut into proper subgames (nodes whose subtree cuts no
information set).  Bottom-up, every minimal subgame containing an information set is replaced
by each of its pure Nash equilibria (exhaustive, exact), so the pure subgame-perfect
equilibria are all found; a subgame with no pure equilibrium raises
:class:`~negotiate.errors.NotApplicableError` (its equilibria are mixed).

Trees with parameters are solved symbolically by :mod:`negotiate.solvers.spe.symbolic`: the
result partitions the parameter domain into regions.  The public entry point, which picks the
method, is :func:`negotiate.solvers.spe.solve.subgame_perfect`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from negotiate.errors import ModelError, NotApplicableError, TooLargeError
from negotiate.games.tree import Chance, Decision, GameTree, Path, Terminal
from negotiate.results import Certificate, ResultMixin, Summary, Table, to_jsonable
from negotiate.solvers.nash.reduced_normal import infoset_table, play
from negotiate.solvers.spe.deviation import brute_force_spe, check_profile

__all__ = ["MAX_EQUILIBRIA", "SPEProfile", "SPEResult", "equilibrium_path", "solve_numeric"]

MAX_EQUILIBRIA = 10_000
_MAX_BLOCK_PROFILES = 1_000_000


@dataclass(frozen=True)
class SPEProfile:
    """One subgame-perfect equilibrium.

    ``strategy`` maps the path of every decision node (off the equilibrium path too) to the
    action chosen there; ``payoffs`` maps each player to its expected payoff (exact);
    ``path`` is the equilibrium path from the root up to the first chance node or terminal;
    ``outcomes`` maps each terminal reached to its probability.
    """

    strategy: Mapping[Path, str]
    payoffs: Mapping[str, Fraction]
    path: Path
    outcomes: Mapping[Path, Fraction]

    def to_dict(self) -> dict[str, Any]:
        return {
            "strategy": {"/".join(p) or "(root)": a for p, a in self.strategy.items()},
            "payoffs": to_jsonable(dict(self.payoffs)),
            "path": list(self.path),
            "outcomes": {"/".join(p): to_jsonable(q) for p, q in self.outcomes.items()},
        }


def equilibrium_path(tree: GameTree, strategy: Mapping[Path, str]) -> Path:
    path: Path = ()
    node = tree.root
    while isinstance(node, Decision):
        action = strategy[path]
        path = (*path, action)
        node = node.child(action)
    return path


@dataclass(frozen=True, repr=False)
class SPEResult(ResultMixin):
    """All pure subgame-perfect equilibria of a numeric tree (exact).

    ``equilibria`` lists every pure SPE (several when ties are not settled by ``tie_break``);
    ``subgames`` lists the roots of the proper subgames solved as normal-form games (trees
    with imperfect information); ``method`` says how the result was made.
    """

    tree: GameTree
    equilibria: tuple[SPEProfile, ...]
    method: str = "backward_induction"
    subgames: tuple[Path, ...] = ()
    notes: tuple[str, ...] = ()
    parameters: Mapping[str, Fraction] = field(default_factory=dict)

    def _describe(self) -> str:
        n = len(self.equilibria)
        title = f" of {self.tree.title!r}" if self.tree.title else ""
        return f"{n} pure subgame-perfect equilibri{'um' if n == 1 else 'a'}{title} ({self.method})"

    def credible(self, path: Path | list[str], action: str) -> bool:
        """True if ``action`` is chosen at the node at ``path`` in some subgame-perfect
        equilibrium: the threat or promise to play it there is credible."""
        key = _check_action(self.tree, path, action)
        return any(eq.strategy[key] == action for eq in self.equilibria)

    def verify(self) -> Certificate:
        """Re-check every equilibrium on the tree itself, sharing no code with the solver:
        at every decision node no action gives the mover a higher continuation payoff (the
        one-shot deviation principle) and no tied action stands earlier in ``tie_break``; in
        every subgame no player gains by switching its action at a whole information set;
        payoffs, path and outcome probabilities are recomputed.  On small trees with perfect
        information, every pure profile is enumerated and the profiles passing that check
        must be exactly the equilibria reported (none missing, none extra)."""
        worst = Fraction(0)
        checks = []
        ok = True
        for k, eq in enumerate(self.equilibria):
            regret, good, msgs = check_profile(self.tree, eq)
            worst = max(worst, regret)
            ok = ok and good
            checks += [f"equilibrium {k}: {m}" for m in msgs]
        oracle = brute_force_spe(self.tree)
        quantities: dict[str, Any] = {"max_regret": worst, "equilibria": len(self.equilibria)}
        if oracle is not None:
            reported = {tuple(sorted(eq.strategy.items())) for eq in self.equilibria}
            missing, extra = len(oracle - reported), len(reported - oracle)
            quantities["brute_force_equilibria"] = len(oracle)
            if missing or extra:
                ok = False
                checks.append(
                    f"brute force over all pure profiles: {missing} equilibria missing, "
                    f"{extra} reported that fail the check"
                )
        return Certificate(
            ok=ok and bool(self.equilibria),
            quantities=quantities,
            exact=True,
            checks=tuple(checks) or ("all decision nodes optimal, payoffs recomputed",),
            notes=self.notes,
        )

    def summary(self) -> Summary:
        tree = self.tree
        rows = []
        for k, eq in enumerate(self.equilibria):
            pay = ", ".join(f"{p}={eq.payoffs[p]}" for p in tree.players)
            rows.append((k, " -> ".join(eq.path) or "(root)", pay))
        nodes = tree.decision_paths()
        choice_rows = tuple(
            (
                "/".join(p) or "(root)",
                _node_player(tree, p),
                *(eq.strategy[p] for eq in self.equilibria[:6]),
            )
            for p in nodes
        )
        headers = ("node", "player", *(f"eq {k}" for k in range(min(6, len(self.equilibria)))))
        notes = list(self.notes)
        if len(self.equilibria) > 1:
            notes.append(f"{len(self.equilibria)} subgame-perfect equilibria, all listed")
        if tree.float_input:
            notes.append("the tree was given binary floats, read as their shortest decimals")
        return Summary(
            title="Subgame-perfect equilibria" + (f": {tree.title}" if tree.title else ""),
            fields=(
                ("players", ", ".join(tree.players)),
                ("method", self.method),
                ("equilibria", len(self.equilibria)),
                *((("parameters", _fmt_point(self.parameters)),) if self.parameters else ()),
            ),
            tables=(
                Table("Equilibrium paths and payoffs", ("#", "path", "payoffs"), tuple(rows)),
                Table("Choices at every decision node", headers, choice_rows),
            ),
            notes=(*notes, "Selten (1965, 1975); backward induction after Kuhn (1953)"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "players": list(self.tree.players),
            "equilibria": [eq.to_dict() for eq in self.equilibria],
            "subgames": [list(p) for p in self.subgames],
            "parameters": to_jsonable(dict(self.parameters)),
            "notes": list(self.notes),
        }


def _fmt_point(point: Mapping[str, Fraction]) -> str:
    return ", ".join(f"{k}={v}" for k, v in point.items())


def _node_player(tree: GameTree, path: Path) -> str:
    node = tree.node(path)
    return node.player if isinstance(node, Decision) else ""


def _check_action(tree: GameTree, path: Path | list[str], action: str) -> Path:
    key = tuple(path)
    node = tree.node(key)
    if not isinstance(node, Decision):
        raise ModelError("path", key, "is not a decision node")
    if action not in node.actions:
        raise ModelError(
            "action", action, f"is not an action at {key}; actions: {list(node.actions)}"
        )
    return key


# --- the kernel ------------------------------------------------------------------------------
@dataclass
class _Sol:
    strategy: dict[Path, str]
    values: tuple[Fraction, ...]
    outcomes: dict[Path, Fraction]


def _optimal(node: Decision, utility: Mapping[str, Fraction]) -> list[str]:
    """Actions chosen at ``node`` given each action's payoff to the mover (ties kept)."""
    best = max(utility.values())
    tied = [a for a in node.actions if utility[a] == best]
    top = min(node.rank(a) for a in tied)
    return [a for a in tied if node.rank(a) == top]


class _Solver:
    def __init__(self, tree: GameTree, max_equilibria: int) -> None:
        self.tree = tree
        self.max = max_equilibria
        self.blocks: list[Path] = []

    def count(self, n: int) -> None:
        if n > self.max:
            raise TooLargeError(
                "subgame-perfect equilibria (ties multiply them)",
                cost=n,
                budget=self.max,
                instead="Add tie_break orders to the tied nodes, or pass a larger max_equilibria.",
            )

    def solve(self, path: Path) -> list[_Sol]:
        tree = self.tree
        node = tree.node(path)
        if isinstance(node, Terminal):
            return [_Sol({}, node.payoffs, {path: Fraction(1)})]
        kids = [
            (*path, lab) for lab in (node.actions if isinstance(node, Decision) else node.outcomes)
        ]
        simple = (
            isinstance(node, Chance) or node.infoset is None or len(tree.infoset_members(path)) == 1
        ) and all(isinstance(tree.node(k), Terminal) or tree.is_subgame_root(k) for k in kids)
        if not simple:
            return self.block(path)
        child_sols = [self.solve(k) for k in kids]
        self.count(math.prod(len(s) for s in child_sols))
        out: list[_Sol] = []
        for combo in itertools.product(*child_sols):
            merged: dict[Path, str] = {}
            for s in combo:
                merged.update(s.strategy)
            if isinstance(node, Chance):
                n = len(tree.players)
                vals = tuple(
                    sum(
                        (p * s.values[i] for p, s in zip(node.probabilities, combo, strict=True)),
                        Fraction(0),
                    )
                    for i in range(n)
                )
                outcomes: dict[Path, Fraction] = {}
                for p, s in zip(node.probabilities, combo, strict=True):
                    for t, q in s.outcomes.items():
                        if p * q:
                            outcomes[t] = outcomes.get(t, Fraction(0)) + p * q
                out.append(_Sol(merged, vals, outcomes))
                continue
            i = tree.player_index(node.player)
            by_action = dict(zip(node.actions, combo, strict=True))
            for a in _optimal(node, {a: s.values[i] for a, s in by_action.items()}):
                chosen = by_action[a]
                out.append(_Sol({**merged, path: a}, chosen.values, dict(chosen.outcomes)))
        self.count(len(out))
        return out

    def block(self, root: Path) -> list[_Sol]:
        """Pure Nash equilibria of the subgame at ``root`` with its sub-subgames solved."""
        tree = self.tree
        self.blocks.append(root)
        frontier = _frontier(tree, root)
        front_sols = [self.solve(f) for f in frontier]
        self.count(math.prod(len(s) for s in front_sols))
        inner = set(frontier)
        table = [
            info
            for info in infoset_table(tree, root)
            if not any(m[: len(f)] == f for m in info.members for f in inner)
        ]
        size = math.prod(len(info.actions) for info in table)
        if size > _MAX_BLOCK_PROFILES:
            raise TooLargeError(
                f"pure profiles of the subgame at {root}",
                cost=size,
                budget=_MAX_BLOCK_PROFILES,
                instead="Reduce the information sets, or use reduced_normal_form with a Nash "
                "solver.",
            )
        players = list(tree.players)
        owner = [players.index(info.player) for info in table]
        out: list[_Sol] = []
        for combo in itertools.product(*front_sols):
            leaves = {f: s.values for f, s in zip(frontier, combo, strict=True)}
            profiles = list(itertools.product(*(info.actions for info in table)))
            value = {}
            for prof in profiles:
                choice = {info.key: a for info, a in zip(table, prof, strict=True)}
                value[prof] = play(tree, choice, root, leaves)
            for prof in profiles:
                if _is_nash(prof, value, table, owner):
                    strategy: dict[Path, str] = {}
                    for s in combo:
                        strategy.update(s.strategy)
                    for info, a in zip(table, prof, strict=True):
                        for m in info.members:
                            if m[: len(root)] == root:
                                strategy[m] = a
                    vals, reach = value[prof]
                    outcomes: dict[Path, Fraction] = {}
                    for leaf, q in reach.items():
                        if leaf in leaves:
                            sub = combo[frontier.index(leaf)].outcomes
                            for t, r in sub.items():
                                outcomes[t] = outcomes.get(t, Fraction(0)) + q * r
                        else:
                            outcomes[leaf] = outcomes.get(leaf, Fraction(0)) + q
                    out.append(_Sol(strategy, vals, outcomes))
        if not out:
            raise NotApplicableError(
                f"the subgame at {root} has no pure-strategy equilibrium; its equilibria are mixed",
                ["reduced_normal_form + negotiate.solvers.nash.nash_equilibria"],
            )
        self.count(len(out))
        return out


def _frontier(tree: GameTree, root: Path) -> list[Path]:
    """Maximal proper subgame roots strictly below ``root`` (solved first)."""
    out: list[Path] = []
    stack = [root]
    while stack:
        path = stack.pop()
        node = tree.node(path)
        if isinstance(node, Terminal):
            continue
        labs = node.actions if isinstance(node, Decision) else node.outcomes
        for lab in reversed(labs):
            kid = (*path, lab)
            if not isinstance(tree.node(kid), Terminal) and tree.is_subgame_root(kid):
                out.append(kid)
            else:
                stack.append(kid)
    return sorted(out)


def _is_nash(
    prof: tuple[str, ...],
    value: Mapping[tuple[str, ...], tuple[tuple[Fraction, ...], Any]],
    table: list[Any],
    owner: list[int],
) -> bool:
    base = value[prof][0]
    for i in set(owner):
        mine = [k for k, o in enumerate(owner) if o == i]
        for alt in itertools.product(*(table[k].actions for k in mine)):
            dev = list(prof)
            for k, a in zip(mine, alt, strict=True):
                dev[k] = a
            if value[tuple(dev)][0][i] > base[i]:
                return False
    return True


def solve_numeric(tree: GameTree, max_equilibria: int = MAX_EQUILIBRIA) -> SPEResult:
    """Exact backward induction on a numeric tree (see the module docstring)."""
    solver = _Solver(tree, max_equilibria)
    sols = solver.solve(())
    profiles = []
    for s in sols:
        strategy = {p: s.strategy[p] for p in tree.decision_paths()}
        profiles.append(
            SPEProfile(
                strategy=strategy,
                payoffs=dict(zip(tree.players, s.values, strict=True)),
                path=equilibrium_path(tree, strategy),
                outcomes=dict(sorted(s.outcomes.items())),
            )
        )
    notes = []
    if solver.blocks:
        notes.append(
            "imperfect information: the subgames at "
            + ", ".join(map(str, solver.blocks))
            + " were solved for pure Nash equilibria (mixed ones are not listed)"
        )
    method = "backward_induction" if not solver.blocks else "backward_induction+subgame_nash"
    return SPEResult(
        tree=tree,
        equilibria=tuple(profiles),
        method=method,
        subgames=tuple(solver.blocks),
        notes=tuple(notes),
        parameters=dict(tree.bound),
    )
