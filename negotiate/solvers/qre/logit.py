"""Logit quantal response equilibria: normal-form games and agent QRE of game trees (floats).

At precision ``lam >= 0`` each *agent* (a player of a normal-form game, or an information set
of a tree) plays each action with probability proportional to ``exp(lam * U_a)``, where
``U_a`` is the action's expected payoff against the profile (for a tree: conditional on
reaching the information set, with beliefs by Bayes' rule; McKelvey and Palfrey 1995, "Quantal
response equilibria for normal form games", Games Econ. Behav. 10; 1998, "Quantal response
equilibria for extensive form games", Exp. Econ. 1).  At ``lam = 0`` play is uniform; the
*principal branch* is the unique smooth curve of solutions starting there, and as
``lam -> infinity`` it converges to a Nash equilibrium (for trees, a sequential one).

The branch is traced in log-probabilities ``z`` by predictor-corrector continuation in arc
length: an Euler step along the tangent of ``H(z, lam) = 0``, then Newton's method on ``H``
and the step's hyperplane (Allgower and Georg 1990; Turocy 2005, "A dynamic homotopy
interpretation of the logistic quantal response equilibrium correspondence", Games Econ.
Behav. 51).  With ``H``:  ``z_a - z_0 - lam (U_a - U_0) = 0`` for each agent's actions after
the first, and ``sum_a exp(z_a) = 1``.  **All numbers here are floats**; the residual of each
point is below ``tol``.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType
from typing import Any

import numpy as np

from negotiate.errors import ModelError, NotApplicableError, SolverError
from negotiate.games.normal import NormalFormGame
from negotiate.games.tree import Chance, Decision, GameTree, Terminal, labels
from negotiate.solvers.qre.result import LogitQRE, LogitQREPath

__all__ = ["LogitQRE", "LogitQREPath", "logit_qre", "logit_qre_path"]


class _Agents:
    """The agents of a game: action blocks and a function from probabilities to values."""

    def __init__(self, game: NormalFormGame | GameTree) -> None:
        self.game = game
        if isinstance(game, NormalFormGame):
            self.blocks = [len(s) for s in game.strategies]
            self.values = self._normal_values(game)
        elif isinstance(game, GameTree):
            if game.is_symbolic:
                raise NotApplicableError(
                    "logit QRE needs numbers: bind the parameters first", ["tree.bind(values)"]
                )
            self.values = self._tree_values(game)
        else:
            raise ModelError("game", game, "expected a NormalFormGame or a GameTree")
        self.offsets = np.cumsum([0, *self.blocks])
        self.n = int(self.offsets[-1])

    def _normal_values(self, game: NormalFormGame) -> Callable[[np.ndarray], np.ndarray]:
        arrays = game.float_arrays()
        n = game.n_players

        def values(p: np.ndarray) -> np.ndarray:
            mixed = [p[self.offsets[i] : self.offsets[i + 1]] for i in range(n)]
            out = []
            for i in range(n):
                t = arrays[i]
                for j in reversed(range(n)):
                    if j != i:
                        t = np.tensordot(t, mixed[j], axes=([j], [0]))
                out.append(t)
            return np.concatenate(out)

        return values

    def _tree_values(self, tree: GameTree) -> Callable[[np.ndarray], np.ndarray]:
        from negotiate.solvers.nash.reduced_normal import infoset_table

        table = infoset_table(tree)
        self.keys = [(info.player, info.key) for info in table]
        self.actions = [info.actions for info in table]
        self.blocks = [len(a) for a in self.actions]
        index = {info.key: k for k, info in enumerate(table)}
        offsets = np.cumsum([0, *self.blocks])
        # nodes in pre-order: kind, data, children indices
        paths = list(tree.paths())
        pos = {p: k for k, p in enumerate(paths)}
        nodes = [tree.node(p) for p in paths]
        kids = [[pos[(*p, lab)] for lab in labels(nd)] for p, nd in zip(paths, nodes, strict=True)]
        agent = [-1] * len(nodes)
        owner = [-1] * len(nodes)
        for k, (p, nd) in enumerate(zip(paths, nodes, strict=True)):
            if isinstance(nd, Decision):
                key = nd.infoset if nd.infoset is not None else p
                agent[k] = index[key]
                owner[k] = tree.players.index(nd.player)
        pay = {
            k: np.array([float(v) for v in nd.payoffs])
            for k, nd in enumerate(nodes)
            if isinstance(nd, Terminal)
        }
        chance = {
            k: [float(v) for v in nd.probabilities]
            for k, nd in enumerate(nodes)
            if isinstance(nd, Chance)
        }
        n_players = len(tree.players)

        def values(p: np.ndarray) -> np.ndarray:
            reach = np.zeros(len(nodes))
            reach[0] = 1.0
            for k in range(len(nodes)):
                if k in chance:
                    for c, q in zip(kids[k], chance[k], strict=True):
                        reach[c] = reach[k] * q
                elif agent[k] >= 0:
                    base = offsets[agent[k]]
                    for j, c in enumerate(kids[k]):
                        reach[c] = reach[k] * p[base + j]
            val = np.zeros((len(nodes), n_players))
            for k in reversed(range(len(nodes))):
                if k in pay:
                    val[k] = pay[k]
                elif k in chance:
                    val[k] = sum(q * val[c] for c, q in zip(kids[k], chance[k], strict=True))
                else:
                    base = offsets[agent[k]]
                    val[k] = sum(p[base + j] * val[c] for j, c in enumerate(kids[k]))
            num = np.zeros(int(offsets[-1]))
            den = np.zeros(len(self.blocks))
            cnt = np.zeros(int(offsets[-1]))
            plain = np.zeros(int(offsets[-1]))
            for k in range(len(nodes)):
                if agent[k] < 0:
                    continue
                a, base = agent[k], offsets[agent[k]]
                den[a] += reach[k]
                for j, c in enumerate(kids[k]):
                    num[base + j] += reach[k] * val[c][owner[k]]
                    plain[base + j] += val[c][owner[k]]
                    cnt[base + j] += 1
            out = plain / np.maximum(cnt, 1)
            for a in range(len(self.blocks)):
                lo, hi = offsets[a], offsets[a + 1]
                if den[a] > 1e-300:
                    out[lo:hi] = num[lo:hi] / den[a]
            return out

        return values

    def residual(self, w: np.ndarray) -> np.ndarray:
        z, lam = w[:-1], w[-1]
        p = np.exp(z)
        u = self.values(p)
        out = np.empty(self.n)
        for a in range(len(self.blocks)):
            lo, hi = self.offsets[a], self.offsets[a + 1]
            out[lo] = p[lo:hi].sum() - 1.0
            out[lo + 1 : hi] = z[lo + 1 : hi] - z[lo] - lam * (u[lo + 1 : hi] - u[lo])
        return out

    def jacobian(self, w: np.ndarray) -> np.ndarray:
        h0 = self.residual(w)
        jac = np.empty((self.n, self.n + 1))
        for k in range(self.n + 1):
            step = 1e-7 * max(1.0, abs(w[k]))
            v = w.copy()
            v[k] += step
            jac[:, k] = (self.residual(v) - h0) / step
        return jac

    def point(self, w: np.ndarray, residual: float) -> LogitQRE:
        p = np.exp(w[:-1])
        parts = [
            tuple(float(v) for v in p[self.offsets[a] : self.offsets[a + 1]])
            for a in range(len(self.blocks))
        ]
        lam = float(w[-1])
        if isinstance(self.game, NormalFormGame):
            return LogitQRE(self.game, lam, tuple(parts), None, residual)
        behavior = MappingProxyType(
            {
                key: MappingProxyType(dict(zip(acts, part, strict=True)))
                for key, acts, part in zip(self.keys, self.actions, parts, strict=True)
            }
        )
        return LogitQRE(self.game, lam, None, behavior, residual)


def _tangent(jac: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    _, _, vt = np.linalg.svd(jac)
    t = vt[-1]
    if previous is None:
        return t if t[-1] > 0 else -t
    return t if float(t @ previous) >= 0 else -t


def _trace(
    agents: _Agents, lam_max: float, *, tol: float, max_steps: int
) -> tuple[list[LogitQRE], list[str]]:
    z0 = np.concatenate([np.full(b, -np.log(b)) for b in agents.blocks])
    w = np.append(z0, 0.0)
    points = [agents.point(w, 0.0)]
    if lam_max == 0:
        return points, []
    t: np.ndarray | None = None
    h = 0.1
    notes: list[str] = []
    jac = agents.jacobian(w)
    for _ in range(max_steps):
        t = _tangent(jac, t)
        if t[-1] < 0 and not notes:
            notes.append("the branch bends back in lam (a turning point) on the way")
        while True:
            pred = w + h * t
            final = bool(pred[-1] >= lam_max and w[-1] < lam_max and t[-1] > 0)
            if final:
                pred = w + (lam_max - w[-1]) / t[-1] * t
            # chord Newton: the Jacobian at the predicted point, on H = 0 and the hyperplane
            # through the prediction orthogonal to the tangent (at the end: lam = lam_max)
            row = np.eye(len(w))[-1] if final else t
            aug = np.vstack([agents.jacobian(pred), row])
            cur = pred.copy()
            ok, iters = False, 0
            for k in range(1, 12):
                iters = k
                rhs = np.append(agents.residual(cur), float(row @ (cur - pred)))
                try:
                    delta = np.linalg.solve(aug, -rhs)
                except np.linalg.LinAlgError:
                    break
                if not np.isfinite(delta).all():
                    break
                cur = cur + delta
                if np.linalg.norm(delta, np.inf) < tol:
                    ok = True
                    break
            res_norm = float(np.max(np.abs(agents.residual(cur)))) if ok else np.inf
            if ok and res_norm < 1e3 * tol and np.linalg.norm(cur - w) < 2.5 * h + 1e-12:
                break
            h /= 2
            if h < 1e-10:
                raise SolverError(
                    f"the logit QRE branch could not be followed beyond lam={w[-1]:.6g}",
                    solver="logit_qre_path",
                    status="step_too_small",
                )
        w = cur
        jac = agents.jacobian(w)
        points.append(agents.point(w, res_norm))
        if final:
            return points, notes
        if iters <= 4:
            h = min(h * 2.0, 20.0)
    raise SolverError(
        f"logit QRE tracing exceeded {max_steps} steps before lam={lam_max}",
        solver="logit_qre_path",
        status="limit",
    )


def _lam(value: Any, name: str) -> float:
    try:
        lam = float(value)
    except (TypeError, ValueError):
        raise ModelError(name, value, "must be a number") from None
    if isinstance(value, bool):
        raise ModelError(name, value, "must be a number")
    if not np.isfinite(lam) or lam < 0:
        raise ModelError(name, value, "must be a finite number >= 0")
    return lam


def logit_qre_path(
    game: NormalFormGame | GameTree,
    lam_max: Any,
    *,
    tol: float = 1e-10,
    max_steps: int = 20_000,
) -> LogitQREPath:
    """The principal branch of logit QRE from ``lam = 0`` to ``lam_max`` (floats).

    Points are in tracing order, with increasing ``lam`` except along a backward bend
    (noted).  Raises :class:`SolverError` if the corrector fails with tiny steps.
    """
    lam = _lam(lam_max, "lam_max")
    agents = _Agents(game)
    points, notes = _trace(agents, lam, tol=tol, max_steps=max_steps)
    return LogitQREPath(game, tuple(points), ("floating-point homotopy", *notes))


def logit_qre(game: NormalFormGame | GameTree, lam: Any, *, tol: float = 1e-10) -> LogitQRE:
    """The logit QRE at precision ``lam`` on the principal branch (floats)."""
    value = _lam(lam, "lam")
    return logit_qre_path(game, value, tol=tol).points[-1]
