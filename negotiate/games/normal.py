"""Normal-form (strategic) games with labelled players and strategies and exact payoffs.

A game with players ``1..n`` and strategy sets ``S_1..S_n`` is stored as one payoff array
per player, each of shape ``(|S_1|, ..., |S_n|)``, whose entries are ``fractions.Fraction``.
Build games only through the named constructors :meth:`NormalFormGame.from_arrays`,
:meth:`NormalFormGame.from_dict` and :meth:`NormalFormGame.zero_sum`.

Exactness: ints, Fractions, Decimals and numeric strings (``"0.1"``, ``"1/3"``) are exact;
floats are read as their shortest decimal representation and the game is flagged
(``float_input``) with a :class:`~negotiate.errors.FloatInputWarning`.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from negotiate._exact import as_fraction, is_float_input, warn_float_input
from negotiate.errors import ModelError, TooLargeError
from negotiate.games.payoff_arrays import check_rank, nested_shape, to_fraction_array
from negotiate.labels import canonical
from negotiate.labels import labels as check_labels

__all__ = ["MixedProfile", "NormalFormGame"]

#: A mixed profile: for each player, the probability of each of its strategies.
MixedProfile = tuple[tuple[Fraction, ...], ...]

_MAX_CELLS = 10_000_000


@dataclass(frozen=True, eq=False)
class NormalFormGame:
    """A finite game in strategic form with exact payoffs.

    Attributes
    ----------
    players : tuple of str
        Player labels, in position order.
    strategies : tuple of tuple of str
        ``strategies[i]`` are the labels of player ``i``'s strategies.
    float_input : bool
        True if any payoff was given as a binary float.
    title : str
        A free-text name.
    """

    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    _payoffs: tuple[np.ndarray, ...]
    float_input: bool = False
    title: str = ""

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_arrays(
        cls,
        *arrays: Any,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | Mapping[str, Sequence[str]] | None = None,
        title: str = "",
    ) -> NormalFormGame:
        """Build a game from one payoff array per player.

        ``from_arrays(A, B)`` is a bimatrix game: ``A[r][c]`` is the row player's payoff and
        ``B[r][c]`` the column player's.  With ``n`` arrays each must have rank ``n``.
        """
        n = len(arrays)
        if n == 0:
            raise ModelError("payoffs", None, "at least one payoff array is required")
        player_labels = cls._player_labels(players, n)
        shapes = []
        for i, arr in enumerate(arrays):
            check_rank(arr, f"players[{i}].payoffs", n)
            shapes.append(nested_shape(arr, f"players[{i}].payoffs", n))
        for i, shape in enumerate(shapes[1:], start=1):
            if shape != shapes[0]:
                raise ModelError(
                    f"players[{i}].payoffs",
                    None,
                    f"has shape {shape}, but players[0].payoffs has shape {shapes[0]}",
                )
        shape = shapes[0]
        cells = math.prod(shape)
        if cells * n > _MAX_CELLS:
            raise TooLargeError(
                f"a game with shape {shape}",
                cost=cells * n,
                budget=_MAX_CELLS,
                instead="Reduce the strategy sets or model the game as a tree.",
            )
        strat_labels = cls._strategy_labels(strategies, player_labels, shape)
        payoffs = []
        floats = False
        for i, arr in enumerate(arrays):
            exact, f = to_fraction_array(arr, shape, f"players[{i}].payoffs")
            exact.setflags(write=False)
            payoffs.append(exact)
            floats = floats or f
        if floats:
            warn_float_input("float payoffs", stacklevel=2)
        return cls(player_labels, strat_labels, tuple(payoffs), floats, title)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NormalFormGame:
        """Build a game from ``{"players": [...], "strategies": {player: [...]},
        "payoffs": {player: nested array}, "title": str}``.

        ``strategies`` may be omitted (default labels ``s1, s2, ...``).
        """
        if not isinstance(data, Mapping):
            raise ModelError("game", data, "expected a mapping")
        allowed = {"players", "strategies", "payoffs", "title"}
        for key in data:
            if key not in allowed:
                raise ModelError(str(key), None, f"unknown key; allowed: {sorted(allowed)}")
        if "players" not in data or "payoffs" not in data:
            raise ModelError("game", None, "'players' and 'payoffs' are required")
        players = data["players"]
        if isinstance(players, str) or not isinstance(players, Sequence):
            raise ModelError("players", players, "expected a list of player labels")
        payoffs = data["payoffs"]
        if not isinstance(payoffs, Mapping):
            raise ModelError("payoffs", payoffs, "expected a mapping from player to array")
        for key in payoffs:
            if key not in players:
                raise ModelError(f"payoffs.{key}", None, f"unknown player; players: {players}")
        arrays = []
        for p in players:
            if p not in payoffs:
                raise ModelError(f"payoffs.{p}", None, "missing payoffs for this player")
            arrays.append(payoffs[p])
        title = data.get("title", "")
        if not isinstance(title, str):
            raise ModelError("title", title, "expected a string")
        return cls.from_arrays(
            *arrays, players=list(players), strategies=data.get("strategies"), title=title
        )

    @classmethod
    def zero_sum(
        cls,
        A: Any,
        *,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | Mapping[str, Sequence[str]] | None = None,
        title: str = "",
    ) -> NormalFormGame:
        """A two-player zero-sum game: the row player gets ``A``, the column player ``-A``.

        This is the only constructor in which a payoff array is derived; a missing second
        array in :meth:`from_arrays` is never taken to mean ``-A``.
        """
        check_rank(A, "players[0].payoffs", 2)
        shape = nested_shape(A, "players[0].payoffs", 2)
        exact, floats = to_fraction_array(A, shape, "players[0].payoffs")
        game = cls.from_arrays(exact, -exact, players=players, strategies=strategies, title=title)
        if floats:
            warn_float_input("float payoffs", stacklevel=2)
            game = dataclasses.replace(game, float_input=True)
        return game

    @staticmethod
    def _player_labels(players: Sequence[str] | None, n: int) -> tuple[str, ...]:
        if players is None:
            return tuple(f"Player {i + 1}" for i in range(n))
        if isinstance(players, str) or not isinstance(players, Sequence):
            raise ModelError("players", players, "expected a list of labels")
        if len(players) != n:
            raise ModelError("players", players, f"expected {n} labels, one per payoff array")
        return check_labels(players, "players")

    @staticmethod
    def _strategy_labels(
        strategies: Sequence[Sequence[str]] | Mapping[str, Sequence[str]] | None,
        players: tuple[str, ...],
        shape: tuple[int, ...],
    ) -> tuple[tuple[str, ...], ...]:
        if strategies is None:
            return tuple(tuple(f"s{j + 1}" for j in range(k)) for k in shape)
        if isinstance(strategies, Mapping):
            strategies = {canonical(k): v for k, v in strategies.items()}
            for key in strategies:
                if key not in players:
                    raise ModelError(f"strategies.{key}", None, "unknown player")
            missing = [p for p in players if p not in strategies]
            if missing:
                raise ModelError(f"strategies.{missing[0]}", None, "missing strategy labels")
            seqs = [strategies[p] for p in players]
        else:
            if isinstance(strategies, str) or len(strategies) != len(players):
                raise ModelError("strategies", strategies, f"expected {len(players)} label lists")
            seqs = list(strategies)
        out = []
        for i, (seq, k) in enumerate(zip(seqs, shape, strict=True)):
            field = f"players[{i}].strategies"
            if isinstance(seq, str) or not isinstance(seq, Sequence):
                raise ModelError(field, seq, "expected a list of labels")
            if len(seq) != k:
                raise ModelError(field, seq, f"expected {k} labels to match the payoff shape")
            out.append(check_labels(seq, field))
        return tuple(out)

    # ------------------------------------------------------------------ access
    @property
    def n_players(self) -> int:
        return len(self.players)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(s) for s in self.strategies)

    def player_index(self, player: str | int) -> int:
        """Position of ``player``, given by label or position."""
        if isinstance(player, bool):
            raise ModelError("player", player, "expected a label or a position")
        if isinstance(player, int):
            if not 0 <= player < self.n_players:
                raise ModelError("player", player, f"position out of range 0..{self.n_players - 1}")
            return player
        player = canonical(player)
        if player in self.players:
            return self.players.index(player)
        raise ModelError("player", player, f"unknown player; players: {list(self.players)}")

    def strategy_index(self, player: str | int, strategy: str | int) -> int:
        """Position of ``strategy`` of ``player``, given by label or position."""
        i = self.player_index(player)
        labels = self.strategies[i]
        if isinstance(strategy, int) and not isinstance(strategy, bool):
            if not 0 <= strategy < len(labels):
                raise ModelError(f"strategy of {self.players[i]}", strategy, "out of range")
            return strategy
        strategy = canonical(strategy)
        if strategy in labels:
            return labels.index(strategy)
        raise ModelError(
            f"strategy of {self.players[i]}", strategy, f"unknown; strategies: {list(labels)}"
        )

    def payoff_array(self, player: str | int) -> np.ndarray:
        """The (read-only) array of exact payoffs of ``player``."""
        return self._payoffs[self.player_index(player)]

    def payoff(
        self, player: str | int, profile: Mapping[str, str | int] | Sequence[str | int]
    ) -> Fraction:
        """Payoff of ``player`` at a pure profile, given as ``{player: strategy}`` or a sequence."""
        idx = self.pure_index(profile)
        return self._payoffs[self.player_index(player)][idx]

    def pure_index(self, profile: Mapping[str, str | int] | Sequence[str | int]) -> tuple[int, ...]:
        """Array index of a pure profile given by labels or positions."""
        if isinstance(profile, Mapping):
            for key in profile:
                self.player_index(key)
            profile = {canonical(k): v for k, v in profile.items()}
            if len(profile) != self.n_players:
                raise ModelError("profile", profile, "name one strategy for every player")
            return tuple(
                self.strategy_index(i, profile[p] if p in profile else profile[i])  # type: ignore[index]
                for i, p in enumerate(self.players)
            )
        if isinstance(profile, str) or len(profile) != self.n_players:
            raise ModelError("profile", profile, "name one strategy for every player")
        return tuple(self.strategy_index(i, s) for i, s in enumerate(profile))

    def float_arrays(self) -> tuple[np.ndarray, ...]:
        """Payoff arrays as float64 (for fast paths whose answers are then checked exactly)."""
        return tuple(np.array(a, dtype=float) for a in self._payoffs)

    @property
    def is_zero_sum(self) -> bool:
        """True if the payoffs sum to zero at every profile (exact test)."""
        total = sum(self._payoffs[1:], self._payoffs[0])
        return bool(all(v == 0 for v in np.ravel(total)))

    # ------------------------------------------------------------------ mixed profiles
    def mixed_profile(
        self, probabilities: Sequence[Sequence[Any]], field: str = "profile"
    ) -> MixedProfile:
        """Validate a mixed profile and return it as exact probabilities.

        Exact probabilities must sum to exactly 1; float probabilities may miss by 1e-9 and
        are then renormalised exactly.
        """
        if isinstance(probabilities, str) or len(probabilities) != self.n_players:
            raise ModelError(field, probabilities, f"expected {self.n_players} strategies")
        out = []
        for i, probs in enumerate(probabilities):
            f = f"{field}[{i}]"
            if isinstance(probs, str) or not isinstance(probs, Sequence | np.ndarray):
                raise ModelError(f, probs, "expected a sequence of probabilities")
            if len(probs) != len(self.strategies[i]):
                raise ModelError(
                    f,
                    probs,
                    f"expected {len(self.strategies[i])} probabilities for {self.players[i]}",
                )
            exact = []
            floats = False
            for j, p in enumerate(probs):
                floats = floats or is_float_input(p)
                q = as_fraction(p, f"{f}[{j}]")
                if not 0 <= q <= 1:
                    raise ModelError(f"{f}[{j}]", p, "probabilities must lie in [0, 1]")
                exact.append(q)
            total = sum(exact, Fraction(0))
            if total != 1:
                if not floats or abs(total - 1) > Fraction(1, 10**9):
                    raise ModelError(f, probs, f"probabilities sum to {total}, not 1")
                exact = [q / total for q in exact]
            out.append(tuple(exact))
        return tuple(out)

    def expected_payoffs(self, profile: Sequence[Sequence[Any]]) -> tuple[Fraction, ...]:
        """Expected payoff of every player at a mixed profile (exact)."""
        prof = self.mixed_profile(profile)
        return tuple(self._expected(self._payoffs[i], prof) for i in range(self.n_players))

    def strategy_values(
        self, player: str | int, profile: Sequence[Sequence[Any]]
    ) -> tuple[Fraction, ...]:
        """Expected payoff of each pure strategy of ``player`` against the others' mixtures."""
        i = self.player_index(player)
        prof = self.mixed_profile(profile)
        arr = self._payoffs[i]
        values = []
        for s in range(self.shape[i]):
            sub = np.asarray(np.take(arr, s, axis=i), dtype=object)  # 0-d for one player
            others = prof[:i] + prof[i + 1 :]
            values.append(self._expected(sub, others))
        return tuple(values)

    def regrets(self, profile: Sequence[Sequence[Any]]) -> tuple[Fraction, ...]:
        """Each player's regret: best pure reply value minus its expected payoff (exact)."""
        prof = self.mixed_profile(profile)
        out = []
        for i in range(self.n_players):
            values = self.strategy_values(i, prof)
            current = sum((p * v for p, v in zip(prof[i], values, strict=True)), Fraction(0))
            out.append(max(values) - current)
        return tuple(out)

    def max_regret(self, profile: Sequence[Sequence[Any]]) -> Fraction:
        """The largest regret over players: 0 exactly at a Nash equilibrium."""
        return max(self.regrets(profile))

    @staticmethod
    def _expected(arr: np.ndarray, prof: Sequence[Sequence[Fraction]]) -> Fraction:
        total = Fraction(0)
        supports = [[(j, p) for j, p in enumerate(probs) if p] for probs in prof]
        for combo in itertools.product(*supports):
            weight = Fraction(1)
            for _, p in combo:
                weight *= p
            total += weight * arr[tuple(j for j, _ in combo)]
        return total

    # ------------------------------------------------------------------ transformations
    def reorder(
        self,
        players: Sequence[str | int] | None = None,
        strategies: Mapping[str, Sequence[str | int]] | None = None,
    ) -> NormalFormGame:
        """The same game with players and/or strategies in another order."""
        order = (
            list(range(self.n_players))
            if players is None
            else [self.player_index(p) for p in players]
        )
        if sorted(order) != list(range(self.n_players)):
            raise ModelError("players", players, "must be a permutation of the players")
        perms = []
        for i in range(self.n_players):
            label = self.players[i]
            if strategies is not None and label in strategies:
                perm = [self.strategy_index(i, s) for s in strategies[label]]
                if sorted(perm) != list(range(self.shape[i])):
                    raise ModelError(f"strategies.{label}", strategies[label], "not a permutation")
            else:
                perm = list(range(self.shape[i]))
            perms.append(perm)
        arrays = []
        for i in order:
            a = self._payoffs[i]
            for axis, perm in enumerate(perms):
                a = np.take(a, perm, axis=axis)
            arrays.append(np.transpose(a, order))
        return NormalFormGame(
            tuple(self.players[i] for i in order),
            tuple(tuple(self.strategies[i][j] for j in perms[i]) for i in order),
            tuple(_frozen(a) for a in arrays),
            self.float_input,
            self.title,
        )

    def affine(self, player: str | int, scale: Any, shift: Any = 0) -> NormalFormGame:
        """The game with ``player``'s payoffs mapped to ``scale * u + shift`` (``scale > 0``)."""
        i = self.player_index(player)
        a = as_fraction(scale, "scale")
        b = as_fraction(shift, "shift")
        if a <= 0:
            raise ModelError("scale", scale, "must be positive")
        payoffs = list(self._payoffs)
        payoffs[i] = _frozen(payoffs[i] * a + b)
        return NormalFormGame(
            self.players, self.strategies, tuple(payoffs), self.float_input, self.title
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description, readable by :meth:`from_dict` (payoffs as exact strings)."""
        from negotiate.results import to_jsonable

        return {
            "title": self.title,
            "players": list(self.players),
            "strategies": {p: list(s) for p, s in zip(self.players, self.strategies, strict=True)},
            "payoffs": {
                p: to_jsonable(a.tolist()) for p, a in zip(self.players, self._payoffs, strict=True)
            },
        }

    def __repr__(self) -> str:
        dims = "x".join(str(k) for k in self.shape)
        name = f" {self.title!r}" if self.title else ""
        return f"<NormalFormGame{name} {dims}: {', '.join(self.players)}>"


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=object)
    a.setflags(write=False)
    return a
