"""The per-point pipeline of a scenario on arrays, from evaluated expressions to outputs.

Input: the values of the scenario's expressions, grouped as the compiler lists them
(:class:`negotiate.sweeps.compile.VectorKernel`); each value is a float array over the chunk's
points or a scalar (numpy broadcasting carries the scalars).  The steps and checks mirror
:func:`negotiate.scenario.evaluate.evaluate_point` and :mod:`negotiate.scenario.analysis`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import sympy as sp

from negotiate.errors import ModelError
from negotiate.scenario.result import OUTCOMES
from negotiate.sweeps import _chain
from negotiate.sweeps._tree import TIE_TOLERANCE, TreeValues
from negotiate.sweeps.outputs import constraint_names, output_specs

__all__ = ["pipeline", "relational"]

_AGREE, _STALEMATE, _WAR = (OUTCOMES.index(o) for o in ("agreement", "stalemate", "war"))
Groups = dict[str, list[tuple[str, Any]]]
PointFn = Callable[[int], Any]


def relational(expr: Any) -> bool:
    return isinstance(expr, sp.core.relational.Relational)


def atoms(condition: Any) -> list[Any]:
    """The inequalities of a condition, in a fixed order (the condition itself if it is one)."""
    if relational(condition):
        return [condition]
    return sorted(condition.atoms(sp.core.relational.Relational), key=sp.srepr)


def _truth(expr: Any, value: dict[Any, Any]) -> Any:
    """A condition's truth from the truth of its inequalities (and, or, not)."""
    if relational(expr):
        return value[expr]
    if expr is sp.true or expr is sp.false:
        return np.bool_(bool(expr))
    parts = [_truth(a, value) for a in expr.args]
    if isinstance(expr, sp.Not):
        return ~parts[0]
    out = parts[0]
    for p in parts[1:]:
        out = (out & p) if isinstance(expr, sp.And) else (out | p)
    return out


def _holds(rel: Any, lhs: Any, rhs: Any) -> tuple[Any, Any]:
    """``(truth, slack)`` of one inequality: slack = lhs - rhs for > and >=, else rhs - lhs."""
    diff = lhs - rhs
    slack = diff if rel.rel_op in (">", ">=") else -diff
    return (slack > 0 if rel.rel_op in (">", "<") else slack >= 0), slack


def check(bad: Any, field: str, value: Any, reason: str, point: PointFn) -> None:
    """Raise ``ModelError(field, value at the first bad point, reason (at point))``."""
    if np.any(bad):
        k = int(np.argmax(bad)) if np.ndim(bad) else 0
        v = np.asarray(value)
        shown = float(v.reshape(-1)[k if v.ndim else 0])
        raise ModelError(field, shown, f"{reason} (at {point(k)})")


def pipeline(
    s: Any, by: Groups, tree: Callable[..., TreeValues] | None, n: int, point: PointFn
) -> dict[str, Any]:
    """Every output of :func:`~negotiate.sweeps.outputs.output_specs` at ``n`` points;
    ``tree(values, point)`` solves the no-deal tree (``TreeKernel.solve``)."""
    players = s.players
    out: dict[str, Any] = {}
    boundary: Any = np.False_
    tv = None
    if tree is not None:
        tv = tree([v for _, v in by["tree"]], point)
        boundary = boundary | tv.boundary
        out["war_probability"] = tv.war_probability
        for i, p in enumerate(players):
            out[f"no_deal:{p}"] = tv.values[i]
    kappa = _kappa(s, by, point)
    if kappa is not None:
        out["kappa"] = kappa
    w1, w2 = _weights(s, by, kappa, point)
    tables = {g: dict(by.get(g, [])) for g in ("disagreement", "floor", "power")}
    if tables["power"]:
        p1, p2 = (tables["power"][p] for p in players)
        bad = (p1 < 0) | (p2 < 0) | (p1 + p2 == 0)
        check(bad, "bargaining.power", p1, "weights must be >= 0 and not both 0", point)
    if tables["disagreement"]:
        nd = tuple(tables["disagreement"][p] for p in players)
    else:
        assert tv is not None
        nd = tv.values[:2]
    floors = tuple(tables["floor"].get(p, nd[i]) for i, p in enumerate(players))
    d1, d2 = np.maximum(nd[0], floors[0]), np.maximum(nd[1], floors[1])
    out[f"disagreement:{players[0]}"], out[f"disagreement:{players[1]}"] = d1, d2
    slack: dict[str, Any] = {}
    for i, p in enumerate(players):
        if p in s.floors:
            slack[f"ratification:{p}"] = nd[i] - floors[i]
    holds, near = _conditions(s, by, slack)
    boundary = boundary | near
    chain = None
    if s.issues or s.points is not None:
        if s.issues:
            worthless: Any = np.True_
            for a, b in zip(w1, w2, strict=True):
                worthless = worthless & (a == 0) & (b == 0)
            check(worthless, "issues", 0.0, "no issue is worth anything to either side", point)
            chain, near = _chain.issue_chain(w1, w2, TIE_TOLERANCE)
            boundary = boundary | near
        else:
            pts = [v for _, v in by["point"]]
            chain = _chain.point_chain(pts[0::2], pts[1::2])
        s1, s2 = _chain.slacks(chain, d1, d2)
        scale = np.maximum(np.maximum(1.0, np.abs(d1)), np.abs(d2))
        scale = np.maximum(np.maximum(scale, np.abs(chain.vx[-1])), np.abs(chain.vy[0]))
        tol = TIE_TOLERANCE * scale
        boundary = boundary | (np.abs(s1) <= tol) | (np.abs(s2) <= tol)
        slack[f"participation:{players[0]}"] = s1
        slack[f"participation:{players[1]}"] = s2
        agree = (s1 > 0) & (s2 > 0)
    else:
        agree = tv.agreed if tv is not None else np.False_
    ok: Any = np.True_
    for h in holds.values():
        ok = ok & h
    war = (tv.war_probability > 0) if tv is not None else np.False_
    code = np.where(agree & ok, _AGREE, np.where(war, _WAR, _STALEMATE))
    out["outcome"] = code
    if chain is not None:
        _deal(s, out, chain, agree, code == _AGREE, (d1, d2), tables["power"], (w1, w2), point)
    out["binding"] = _binding(s, slack, holds)
    for name, v in slack.items():
        out[f"slack:{name}"] = v
    out["boundary"] = boundary
    return {o.name: _column(out[o.name], n, o.kind) for o in output_specs(s)}


def _kappa(s: Any, by: Groups, point: PointFn) -> Any:
    """``(1 - delta) / (1 - delta (1 - rho (1 - g)))``, after the exact path's domain checks."""
    if s.commitment is None:
        return None
    c = dict(by["commitment"])
    delta, hazard, g = c["patience"], c["hazard"], c["guarantee"]
    check((delta <= 0) | (delta >= 1), "commitment.patience", delta, "must lie in (0, 1)", point)
    check((hazard < 0) | (hazard > 1), "commitment.hazard", hazard, "must lie in [0, 1]", point)
    check((g < 0) | (g > 1), "commitment.guarantee", g, "must lie in [0, 1]", point)
    return (1 - delta) / (1 - delta * (1 - hazard * (1 - g)))


def _weights(s: Any, by: Groups, kappa: Any, point: PointFn) -> tuple[list[Any], list[Any]]:
    """Issue weights, the beneficiary's scaled by ``1 - r (1 - kappa)``."""
    weights, revs = by.get("weight", []), by.get("reversible", [])
    w1, w2 = [], []
    for k in range(len(s.issues)):
        (f1, a), (f2, b) = weights[2 * k], weights[2 * k + 1]
        check(a < 0, f1, a, "weights must be non-negative", point)
        check(b < 0, f2, b, "weights must be non-negative", point)
        fr, r = revs[k]
        check((r < 0) | (r > 1), fr, r, "the reversible share must lie in [0, 1]", point)
        if kappa is not None:
            factor = 1 - r * (1 - kappa)
            if s.commitment.beneficiary == s.players[0]:
                a = a * factor
            else:
                b = b * factor
        w1.append(a)
        w2.append(b)
    return w1, w2


def _conditions(s: Any, by: Groups, slack: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """Truth of each condition, its slack (inequalities), and near-threshold points."""
    holds: dict[str, Any] = {}
    near: Any = np.False_
    lhs, rhs = dict(by.get("lhs", [])), dict(by.get("rhs", []))
    for cond in s.conditions:
        f = f"conditions.{cond.name}.holds"
        name = f"condition:{cond.name}"
        truth: dict[Any, Any] = {}
        for k, rel in enumerate(atoms(cond.holds)):
            a, b = lhs[f"{f}[{k}]"], rhs[f"{f}[{k}]"]
            tol = TIE_TOLERANCE * np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))
            near = near | (np.abs(a - b) <= tol)
            truth[rel], rel_slack = _holds(rel, a, b)
            if rel is cond.holds:
                slack[name] = rel_slack
        holds[name] = _truth(cond.holds, truth)
        if not relational(cond.holds):
            slack[name] = np.float64(np.nan)
    return holds, near


def _deal(
    s: Any,
    out: dict[str, Any],
    chain: _chain.Chain,
    participation: Any,
    deal: Any,
    d: tuple[Any, Any],
    power: Mapping[str, Any],
    w: tuple[list[Any], list[Any]],
    point: PointFn,
) -> None:
    """The bargaining solution where ``deal`` holds (NaN elsewhere)."""
    players = s.players
    if s.solution == "kalai_smorodinsky":
        u1, u2, pos = _chain.ks(chain, d[0], d[1])
    else:
        a: Any = 0.5
        if power:
            p1, p2 = power[players[0]], power[players[1]]
            need = participation & ((p1 <= 0) | (p2 <= 0))
            check(need, "bargaining.power", p1, "bargaining weights must be positive", point)
            with np.errstate(divide="ignore", invalid="ignore"):
                a = p1 / (p1 + p2)
        u1, u2, pos = _chain.nash(chain, d[0], d[1], a)
    out[f"utility:{players[0]}"] = np.where(deal, u1, np.nan)
    out[f"utility:{players[1]}"] = np.where(deal, u2, np.nan)
    if s.issues:
        shares = _chain.allocation(chain, w[0], w[1], pos)
        for issue, share in zip(s.issues, shares, strict=True):
            out[f"deal:{issue.name}"] = np.where(deal, share, np.nan)


def _binding(s: Any, slack: Mapping[str, Any], holds: Mapping[str, Any]) -> Any:
    """Codes into ``("", *constraint names)``: the most violated constraint (ties within
    1e-12 in declared order); else the first ratification floor above the no-deal value."""
    names = constraint_names(s)
    keys = []
    for name in names:
        value = slack[name]
        if name.startswith("participation:"):
            failed = ~(value > 0)
        elif name.startswith("condition:"):
            failed = ~holds[name]
        else:
            failed = np.False_
        keys.append(np.where(failed, np.nan_to_num(value, nan=0.0), np.inf))
    code: Any = np.int16(0)
    if not names:
        return code
    low = keys[0]
    for k in keys[1:]:
        low = np.minimum(low, k)
    tol = TIE_TOLERANCE * np.maximum(1.0, np.abs(np.where(np.isfinite(low), low, 0.0)))
    for j in range(len(names) - 1, -1, -1):  # the first within tol of the lowest wins
        code = np.where(np.isfinite(low) & (keys[j] <= low + tol), j + 1, code)
    for j, name in enumerate(names):
        if name.startswith("ratification:"):
            code = np.where((code == 0) & (slack[name] < 0), j + 1, code)
    return code


def _column(value: Any, n: int, kind: str) -> np.ndarray:
    dtype = {"label": np.int16, "bool": bool, "float": float}[kind]
    arr = np.asarray(value, dtype=dtype)
    if arr.shape == (n,):
        return arr
    return np.array(np.broadcast_to(arr, (n,)), dtype=dtype)
