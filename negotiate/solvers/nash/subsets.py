"""Maximal Nash subsets and connected components of a two-player equilibrium set.

Given all extreme equilibria of a bimatrix game, the whole equilibrium set is the union of the
*maximal Nash subsets* ``conv(X) x conv(Y)``: the maximal bicliques ``(X, Y)`` of the bipartite
graph whose vertices are the row and column strategies of extreme equilibria and whose edges
are the extreme equilibria ``(x, y)`` (Winkels 1979; Jansen 1981; Avis, Rosenberg, Savani and
von Stengel 2010, "Enumeration of Nash equilibria for two-player games", section 6).  Maximal
subsets that share an extreme equilibrium belong to the same *connected component*; the
components are the connected components of that bipartite graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from negotiate.games.normal import MixedProfile

__all__ = ["Component", "NashSubset", "maximal_subsets"]


@dataclass(frozen=True)
class NashSubset:
    """A maximal Nash subset ``conv(rows) x conv(columns)``: every pair is an equilibrium.

    ``equilibria`` are the positions, in :attr:`EquilibriumSet.equilibria`, of the extreme
    equilibria ``(x, y)`` with ``x`` in ``rows`` and ``y`` in ``columns``.
    """

    rows: tuple[tuple[Fraction, ...], ...]
    columns: tuple[tuple[Fraction, ...], ...]
    equilibria: tuple[int, ...]

    def barycentre(self) -> MixedProfile:
        """The centre of the subset: an equilibrium that mixes all its extreme points."""
        return tuple(
            tuple(sum(c, Fraction(0)) / len(points) for c in zip(*points, strict=True))
            for points in (self.rows, self.columns)
        )


@dataclass(frozen=True)
class Component:
    """A connected component of the equilibrium set: overlapping maximal Nash subsets."""

    equilibria: tuple[int, ...]
    subsets: tuple[int, ...]


def maximal_subsets(
    equilibria: Sequence[MixedProfile],
) -> tuple[tuple[NashSubset, ...], tuple[Component, ...]]:
    """Maximal Nash subsets and components spanned by the extreme equilibria of a game.

    ``equilibria`` must be *all* extreme equilibria of a two-player game (positions in this
    sequence are the indices used in the records).  The column sets of the maximal bicliques
    are exactly the non-empty intersections of neighbourhoods of row vertices, found by
    closing the neighbourhoods under intersection.
    """
    rows: dict[tuple[Fraction, ...], int] = {}
    cols: dict[tuple[Fraction, ...], int] = {}
    edge: dict[tuple[int, int], int] = {}
    for k, (x, y) in enumerate(equilibria):
        i = rows.setdefault(x, len(rows))
        j = cols.setdefault(y, len(cols))
        edge[i, j] = k
    neighbours = [0] * len(rows)
    for i, j in edge:
        neighbours[i] |= 1 << j
    closed: set[int] = set()
    for mask in neighbours:
        closed |= {mask & c for c in closed} | {mask}
    closed.discard(0)
    row_list = list(rows)
    col_list = list(cols)
    found = []
    for cmask in closed:
        members_r = [i for i, nb in enumerate(neighbours) if nb & cmask == cmask]
        members_c = [j for j in range(len(cols)) if cmask >> j & 1]
        eqs = tuple(sorted(edge[i, j] for i in members_r for j in members_c))
        found.append(
            NashSubset(
                tuple(row_list[i] for i in members_r), tuple(col_list[j] for j in members_c), eqs
            )
        )
    subsets = tuple(sorted(found, key=lambda s: s.equilibria))
    # Components: union-find over equilibria joined by a common maximal subset.
    parent = list(range(len(equilibria)))

    def root(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for s in subsets:
        for k in s.equilibria[1:]:
            parent[root(k)] = root(s.equilibria[0])
    groups: dict[int, list[int]] = {}
    for k in range(len(equilibria)):
        groups.setdefault(root(k), []).append(k)
    components = tuple(
        Component(
            tuple(members),
            tuple(n for n, s in enumerate(subsets) if root(s.equilibria[0]) == r),
        )
        for r, members in sorted(groups.items(), key=lambda kv: kv[1][0])
    )
    return subsets, components
