"""Quasi-perfect and sequential equilibria of two-player trees, exactly.

Miltersen and Sørensen (2010, "Computing a quasi-perfect equilibrium of a two-player game",
Econ. Theory 42) perturb the sequence form: every non-empty sequence ``s`` must be played
with realization weight at least ``eps^|s|`` (``|s|`` = the number of the player's own
moves in ``s``).  Writing ``x = x' + l(eps)`` turns the LCP of the perturbed game into
``LCP(q + M l(eps), M)``, whose right-hand side is a polynomial in ``eps``.  Lemke's algorithm
with the coefficient columns first in the lexicographic ratio test
(:func:`negotiate.solvers.nash.lcp.lemke_symbolic`) computes a basis that solves the
perturbed game for all small ``eps > 0``, with ``x(eps)`` and ``y(eps)`` as exact polynomials;
their limit is a quasi-perfect equilibrium (op. cit., Thm. 3), which is also sequential
(van Damme 1984).

The behaviour at every information set, also off the path, is the limit of the perturbed
behaviour: the ratio of the lowest-order coefficients.  Beliefs are the limits of Bayes' rule
under the perturbed profile (consistent in the sense of Kreps and Wilson 1982): at each
information set the reach polynomials ``chance * x(eps) * y(eps)`` of its nodes, normalised
by their lowest common order.

Chance outcomes of probability 0 are not perturbed: behaviour reached only through them is
not refined (and the limit profile need not be sequentially rational there).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from negotiate.errors import SolverError
from negotiate.games.tree import Chance, Decision, GameTree, Node, Path, Terminal
from negotiate.solvers.nash.behavior import BehaviorEquilibrium
from negotiate.solvers.nash.lcp import lemke_symbolic
from negotiate.solvers.nash.reduced_normal import infoset_key
from negotiate.solvers.nash.sequence_form import SequenceForm, sequence_form
from negotiate.solvers.nash.sequence_lcp import covering_vectors, lcp_system

__all__ = ["quasi_perfect"]

Poly = list[Fraction]  # coefficients of eps^0, eps^1, ...


def _plans(sf: SequenceForm) -> tuple[list[Poly], list[Poly]]:
    """The perturbed realization plans ``x(eps), y(eps)`` (one polynomial per sequence)."""
    mat, q, (n1, n2, _, _) = lcp_system(sf)
    degree = [len(s) for s in sf.players[0].sequences] + [len(s) for s in sf.players[1].sequences]
    top = max(degree)
    size = len(q)
    cols = [list(q)] + [[0] * size for _ in range(top)]
    for j, deg in enumerate(degree):
        if j not in (0, n1) and deg > 0:  # the empty sequences stay at 1
            for i in range(size):
                cols[deg][i] += mat[i][j]
    last: SolverError | None = None
    for d in covering_vectors(size, 4):
        try:
            z, _ = lemke_symbolic(mat, cols, d)
            break
        except SolverError as err:
            if err.status != "ray":
                raise
            last = err
    else:
        assert last is not None
        raise last
    polys = []
    for j, deg in enumerate(degree[: n1 + n2]):
        poly = [z[k][j] for k in range(top + 1)]
        if j not in (0, n1) and deg > 0:
            poly[deg] += 1
        polys.append(poly)
    return polys[:n1], polys[n1 : n1 + n2]


def _lowest(poly: Poly) -> int:
    return next((k for k, c in enumerate(poly) if c != 0), len(poly))


def _mul(a: Poly, b: Poly) -> Poly:
    out = [Fraction(0)] * (len(a) + len(b) - 1)
    for i, u in enumerate(a):
        if u:
            for j, v in enumerate(b):
                out[i + j] += u * v
    return out


def quasi_perfect(tree: GameTree, *, beliefs: bool = False) -> BehaviorEquilibrium:
    """A quasi-perfect equilibrium of a two-player tree with perfect recall, exactly.

    With ``beliefs``, the equilibrium carries the consistent beliefs of a sequential
    equilibrium: ``(player, information set) -> {node path: probability}``.
    """
    sf = sequence_form(tree)
    plans = _plans(sf)
    behavior: dict[tuple[str, Any], dict[str, Fraction]] = {}
    for ps, plan in zip(sf.players, plans, strict=True):
        for key, parent, actions, children in ps.infosets:
            k = _lowest(plan[parent])
            if k == len(plan[parent]):
                raise SolverError(
                    "a perturbed realization weight vanished", solver="lemke", status="invalid"
                )
            total = plan[parent][k]
            behavior[(ps.player, key)] = {
                a: plan[c][k] / total if k < len(plan[c]) else Fraction(0)
                for a, c in zip(actions, children, strict=True)
            }
    if not beliefs:
        return BehaviorEquilibrium.of(tree, behavior)
    return BehaviorEquilibrium.of(tree, behavior, _beliefs(tree, sf, plans))


def _beliefs(
    tree: GameTree, sf: SequenceForm, plans: tuple[list[Poly], list[Poly]]
) -> dict[tuple[str, Any], dict[Path, Fraction]]:
    index = [{s: k for k, s in enumerate(ps.sequences)} for ps in sf.players]
    reach: dict[tuple[str, Any], dict[Path, Poly]] = {}
    stack: list[tuple[Path, Node, tuple[Any, Any], Fraction]] = [
        ((), tree.root, ((), ()), Fraction(1))
    ]
    while stack:
        path, node, own, prob = stack.pop()
        if isinstance(node, Terminal):
            continue
        if isinstance(node, Chance):
            for lab, p, ch in zip(node.outcomes, node.probabilities, node.children, strict=True):
                stack.append(((*path, lab), ch, own, prob * p))
            continue
        assert isinstance(node, Decision)
        i = tree.players.index(node.player)
        key = infoset_key(node, path)
        poly = _mul(plans[0][index[0][own[0]]], plans[1][index[1][own[1]]])
        reach.setdefault((node.player, key), {})[path] = [prob * c for c in poly]
        for a, ch in zip(node.actions, node.children, strict=True):
            new = list(own)
            new[i] = (*own[i], (key, a))
            stack.append(((*path, a), ch, (new[0], new[1]), prob))
    out: dict[tuple[str, Any], dict[Path, Fraction]] = {}
    for key, members in reach.items():
        k = min(_lowest(p) for p in members.values())
        total = sum((p[k] for p in members.values() if k < len(p)), Fraction(0))
        if total == 0:  # only nodes that chance never reaches: any belief is consistent
            out[key] = {path: Fraction(1, len(members)) for path in sorted(members)}
            continue
        out[key] = {
            path: (p[k] if k < len(p) else Fraction(0)) / total
            for path, p in sorted(members.items())
        }
    return out
