"""Conversion to and from ``nashpy.Game`` (Knight & Campbell, nashpy).

nashpy works on two-player games in floating point.  :func:`to_nashpy` therefore converts the
exact payoffs to float64 and warns when that loses information; its answers are a second
opinion, never *the* equilibrium set (its support enumeration misses
equilibria, its vertex enumeration fails on large payoffs).  :func:`from_nashpy` reads a
nashpy game back: integer arrays stay exact, float arrays are read by their shortest decimal
representation and flagged (``float_input``), as everywhere in negotiate.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from negotiate.errors import ModelError, NegotiateWarning, NotApplicableError
from negotiate.games.normal import NormalFormGame

__all__ = ["from_nashpy", "to_nashpy"]


def to_nashpy(game: NormalFormGame) -> Any:
    """A ``nashpy.Game`` with the payoffs of a two-player ``game`` as float64 arrays.

    Warns (:class:`~negotiate.errors.NegotiateWarning`) when a payoff is not exactly a float;
    raises :class:`ModelError` when one is too large for float64.
    """
    import nashpy

    if not isinstance(game, NormalFormGame) or game.n_players != 2:
        players = getattr(game, "n_players", None)
        raise NotApplicableError(
            f"nashpy represents two-player games only; this game has {players} players"
        )
    arrays = []
    lossy = []
    for i in range(2):
        exact = game.payoff_array(i)
        out = np.empty(exact.shape, dtype=float)
        for idx, x in np.ndenumerate(exact):
            try:
                f = float(x)
            except OverflowError:
                f = math.inf
            field = f"players[{i}].payoffs" + "".join(f"[{j}]" for j in idx)
            if math.isinf(f):
                raise ModelError(field, x, "is too large for a float64 (nashpy works in floats)")
            if f != x:
                lossy.append(field)
            out[idx] = f
        arrays.append(out)
    if lossy:
        warnings.warn(
            f"nashpy works in floats: {len(lossy)} payoff(s) rounded to float64, "
            f"first {lossy[0]}; its answers are approximate",
            NegotiateWarning,
            stacklevel=2,
        )
    return nashpy.Game(arrays[0], arrays[1])


def from_nashpy(
    nashpy_game: Any,
    *,
    players: Sequence[str] | None = None,
    strategies: Sequence[Sequence[str]] | Mapping[str, Sequence[str]] | None = None,
    title: str = "",
) -> NormalFormGame:
    """A :class:`NormalFormGame` from a ``nashpy.Game`` (its two payoff matrices)."""
    matrices = getattr(nashpy_game, "payoff_matrices", None)
    if matrices is None or len(matrices) != 2:
        raise ModelError(
            "nashpy_game", nashpy_game, "expected a nashpy.Game with two payoff matrices"
        )
    a, b = (np.asarray(m) for m in matrices)
    return NormalFormGame.from_arrays(a, b, players=players, strategies=strategies, title=title)
