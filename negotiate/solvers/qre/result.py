"""Result records of the logit QRE solvers: :class:`LogitQRE` and :class:`LogitQREPath`.

Both follow the result contract (``summary``, ``verify``, ``to_dict``, ``_repr_html_``, short
``repr``).  Their certificates recompute each agent's logit response to the reported profile
by a route of their own (:mod:`negotiate.solvers.qre.check`) and hold the largest gap to the
reported probabilities to :data:`TOLERANCE` (floats: the QRE is computed in floating point).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from negotiate.games.normal import NormalFormGame
from negotiate.games.tree import Decision, GameTree
from negotiate.results import Certificate, ResultMixin, Summary, Table
from negotiate.solvers.qre import check as qre_check

__all__ = ["TOLERANCE", "LogitQRE", "LogitQREPath"]

#: The largest difference between a reported probability and the logit response that a
#: certificate accepts (the tracer's Newton corrections stop below ``tol`` = 1e-10).
TOLERANCE = 1e-8


@dataclass(frozen=True, repr=False)
class LogitQRE(ResultMixin):
    """One point of the logit QRE branch (floats).

    ``game``: the game it solves; ``probabilities``: for a normal-form game, one tuple per
    player over its strategies (``None`` for a tree); ``behavior``: for a tree, ``(player,
    information set) -> {action: probability}`` (``None`` for a normal-form game).
    ``residual``: max-norm of ``H``.  :meth:`verify` recomputes every agent's logit response
    to the reported profile by a route of its own (:mod:`negotiate.solvers.qre.check`).
    """

    game: NormalFormGame | GameTree = field(repr=False, compare=False)
    lam: float
    probabilities: tuple[tuple[float, ...], ...] | None
    behavior: Mapping[tuple[str, Any], Mapping[str, float]] | None = field(default=None)
    residual: float = 0.0

    def verify(self) -> Certificate:
        """Each agent's logit response ``softmax(lam * U)`` to the reported profile, ``U``
        computed independently of the tracer, against the reported probabilities: the
        largest absolute difference must be at most :data:`TOLERANCE`."""
        deviation, bad = _deviation(self.game, self)
        if deviation > TOLERANCE and not bad:
            bad.append(f"the reported probabilities are {deviation:.3g} off the logit response")
        return Certificate(
            ok=not bad and deviation <= TOLERANCE,
            quantities={"max_deviation": deviation, "lam": self.lam},
            exact=False,
            tolerance=TOLERANCE,
            checks=_CHECKS,
            notes=tuple(bad),
        )

    def summary(self) -> Summary:
        fields: tuple[tuple[str, Any], ...] = (
            ("lam", self.lam),
            ("residual", self.residual),
            ("agents", _agents_text(self.game)),
        )
        rows: tuple[tuple[Any, ...], ...]
        if isinstance(self.game, NormalFormGame):
            headers: tuple[str, ...] = ("player", "strategy", "probability")
            rows = tuple((who, act, p) for who, _, act, p in _rows(self.game, self))
        else:
            headers = ("player", "information set", "action", "probability")
            rows = tuple(_rows(self.game, self))
        return Summary(
            _title("Logit QRE", self.game),
            fields,
            (Table("Logit response probabilities", headers, rows),),
            (FLOATS,),
        )

    def _describe(self) -> str:
        return f"lam={self.lam:.6g}, {_agents_text(self.game)}, residual {self.residual:.2g}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``lam``, ``residual`` and the probabilities by label (floats)."""
        return {"type": "LogitQRE", "game": self.game.to_dict(), **_point_dict(self)}


@dataclass(frozen=True, repr=False)
class LogitQREPath(ResultMixin):
    """The principal branch from ``lam = 0`` to ``lam_max``: ``points`` in tracing order."""

    game: NormalFormGame | GameTree = field(repr=False)
    points: tuple[LogitQRE, ...]
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.points)

    def __iter__(self) -> Iterator[LogitQRE]:
        return iter(self.points)

    def __getitem__(self, index: int) -> LogitQRE:
        return self.points[index]

    def verify(self) -> Certificate:
        """Every point is a logit QRE of the path's game (as :meth:`LogitQRE.verify`), the
        branch starts at ``lam = 0``, and ``lam`` increases from point to point (a decrease
        only where the path notes a turning point)."""
        bad: list[str] = []
        worst = 0.0
        for k, point in enumerate(self.points):
            deviation, problems = _deviation(self.game, point)
            worst = max(worst, deviation)
            bad += [f"point {k}: {p}" for p in problems]
            if deviation > TOLERANCE:
                bad.append(f"point {k} (lam={point.lam:.6g}) is {deviation:.3g} off its response")
        lams = [p.lam for p in self.points]
        if not lams or lams[0] != 0:
            bad.append("the branch does not start at lam = 0")
        falls = sum(1 for a, b in itertools.pairwise(lams) if not b > a)
        bends = any("turning point" in n for n in self.notes)
        if falls and not bends:
            bad.append(f"lam does not increase at {falls} step(s) and no turning point is noted")
        return Certificate(
            ok=not bad,
            quantities={
                "max_deviation": worst,
                "points": len(self.points),
                "lam_steps_down": falls,
            },
            exact=False,
            tolerance=TOLERANCE,
            checks=(
                *_CHECKS,
                "the branch starts at lam = 0, and lam increases along it (except at a noted "
                "turning point)",
            ),
            notes=tuple(bad),
        )

    def summary(self) -> Summary:
        lams = [p.lam for p in self.points]
        fields: tuple[tuple[str, Any], ...] = (
            ("points", len(self.points)),
            ("lam", f"{min(lams, default=0):.6g} to {max(lams, default=0):.6g}"),
            ("max residual", max((p.residual for p in self.points), default=0.0)),
            ("agents", _agents_text(self.game)),
        )
        step = max(1, len(self.points) // 10)
        shown = sorted({*range(0, len(self.points), step), len(self.points) - 1} - {-1})
        rows = tuple(
            (k, self.points[k].lam, _clip("; ".join(_profile_text(self.game, self.points[k]))))
            for k in shown
        )
        table = Table("Points along the branch", ("#", "lam", "profile"), rows)
        return Summary(_title("Logit QRE path", self.game), fields, (table,), (*self.notes, FLOATS))

    def _describe(self) -> str:
        last = self.points[-1].lam if self.points else 0.0
        return f"{len(self.points)} points, lam 0 to {last:.6g}, {_agents_text(self.game)}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the game, the notes and every point (floats)."""
        return {
            "type": "LogitQREPath",
            "game": self.game.to_dict(),
            "notes": list(self.notes),
            "points": [_point_dict(p) for p in self.points],
        }


FLOATS = "floating-point values: each point solves the logit equations to its residual"
_CHECKS = (
    "each agent's reported probabilities equal its logit response softmax(lam * U) within "
    "the tolerance, U recomputed independently (normal form: tensor contraction of the payoff "
    "arrays; tree: reach-weighted values over each information set)",
)


def _clip(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _title(what: str, game: NormalFormGame | GameTree) -> str:
    return what + (f" of {game.title}" if game.title else "")


def _agents_text(game: NormalFormGame | GameTree) -> str:
    if isinstance(game, NormalFormGame):
        return f"{game.n_players} players (normal form)"
    return f"{len(_information_sets(game))} information sets (agent form)"


def _information_sets(tree: GameTree) -> dict[tuple[str, Any], tuple[str, ...]]:
    """``(player, information set) -> actions``; an unnamed set is its node's path."""
    out: dict[tuple[str, Any], tuple[str, ...]] = {}
    for path in tree.decision_paths():
        node = tree.node(path)
        assert isinstance(node, Decision)
        out[(node.player, node.infoset if node.infoset is not None else path)] = node.actions
    return out


def _agent_label(key: tuple[str, Any]) -> str:
    player, h = key
    return f"{player}@{h if isinstance(h, str) else '/'.join(h) or 'root'}"


def _rows(game: NormalFormGame | GameTree, point: LogitQRE) -> list[tuple[str, str, str, float]]:
    """``(player, information set, action, probability)``; the set is ``""`` in a normal form."""
    if isinstance(game, NormalFormGame):
        probs = point.probabilities or ()
        return [
            (player, "", s, p)
            for player, labels, ps in zip(game.players, game.strategies, probs, strict=False)
            for s, p in zip(labels, ps, strict=False)
        ]
    return [
        (key[0], _agent_label(key)[len(key[0]) + 1 :], a, p)
        for key, probs in (point.behavior or {}).items()
        for a, p in probs.items()
    ]


def _profile_text(game: NormalFormGame | GameTree, point: LogitQRE) -> list[str]:
    cells: dict[str, list[str]] = {}
    for player, where, action, p in _rows(game, point):
        cells.setdefault(player, []).append(f"{where + ':' if where else ''}{action} {p:.4g}")
    return [f"{player}: {', '.join(c)}" for player, c in cells.items()]


def _point_dict(point: LogitQRE) -> dict[str, Any]:
    out: dict[str, Any] = {"lam": point.lam, "residual": point.residual}
    game = point.game
    if isinstance(game, NormalFormGame) and point.probabilities is not None:
        out["probabilities"] = {
            player: dict(zip(labels, map(float, ps), strict=True))
            for player, labels, ps in zip(
                game.players, game.strategies, point.probabilities, strict=True
            )
        }
    if point.behavior is not None:
        out["behavior"] = {
            _agent_label(k): {a: float(p) for a, p in v.items()} for k, v in point.behavior.items()
        }
    return out


def _deviation(game: NormalFormGame | GameTree, point: LogitQRE) -> tuple[float, list[str]]:
    """The largest gap between ``point``'s probabilities and the logit response to them, and
    what makes the point uncheckable (wrong shape, not distributions, a bad ``lam``)."""
    lam = point.lam
    if not isinstance(lam, int | float) or not math.isfinite(lam) or lam < 0:
        return math.inf, [f"lam {lam!r} is not a finite number >= 0"]
    pairs: list[tuple[np.ndarray, np.ndarray]] = []  # (reported, response) per agent
    if isinstance(game, NormalFormGame):
        probs = point.probabilities
        if probs is None or point.behavior is not None:
            return math.inf, ["a normal-form point needs probabilities and no behavior"]
        shape = tuple(len(p) for p in probs)
        if shape != game.shape:
            return math.inf, [f"probabilities of shape {shape}; the game is {game.shape}"]
        reported = [np.asarray(p, dtype=float) for p in probs]
        bad = _not_distributions(reported)
        if bad:
            return math.inf, bad
        utilities = qre_check.normal_form_values(game, reported)
        pairs = [
            (r, qre_check.logit_response(lam, u)) for r, u in zip(reported, utilities, strict=True)
        ]
    else:
        behavior = point.behavior
        if behavior is None or point.probabilities is not None:
            return math.inf, ["a tree point needs behavior and no probabilities"]
        sets = _information_sets(game)
        if set(behavior) != set(sets) or any(set(behavior[k]) != set(a) for k, a in sets.items()):
            return math.inf, ["behavior does not give one probability per action of every set"]
        reported = [np.array([float(behavior[k][a]) for a in acts]) for k, acts in sets.items()]
        bad = _not_distributions(reported)
        if bad:
            return math.inf, bad
        values = qre_check.tree_action_values(game, behavior)
        pairs = [
            (r, qre_check.logit_response(lam, [values[k][a] for a in acts]))
            for r, (k, acts) in zip(reported, sets.items(), strict=True)
        ]
    deviation = max((float(np.max(np.abs(r - s))) for r, s in pairs), default=0.0)
    return (deviation if math.isfinite(deviation) else math.inf), []


def _not_distributions(parts: list[np.ndarray]) -> list[str]:
    for p in parts:
        if not np.isfinite(p).all() or p.min() < -TOLERANCE or abs(p.sum() - 1) > TOLERANCE:
            return [f"{p.tolist()} is not a probability distribution"]
    return []
