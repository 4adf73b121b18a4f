"""Alternating offers: Rubinstein (1982), breakdown risk (Binmore, Rubinstein & Wolinsky
1986) and outside options (Binmore, Shaked & Sutton 1989).

Two players split a pie of 1.  Player 1 proposes in periods 0, 2, 4, ..., player 2 in the odd
ones; the responder accepts (when indifferent too) or rejects.  After a rejection the
responder may take its outside option ``w_r`` (the other player then gets 0); otherwise, with
probability ``q`` (``breakdown``) the talks break down and the players get the disagreement
payoffs ``b = (b1, b2)``, and with probability ``1 - q`` the other player proposes one period
later, payoffs discounted by ``delta_i``.

**Derivation (stationary SPE).**  Let ``x`` be player 1's share when it proposes and ``y``
player 1's share when player 2 proposes.  Write ``c_i = q b_i`` and ``k_i = (1 - q) delta_i``
(the value of rejecting is ``c_i + k_i * (own share as next proposer)``).  Each proposer
offers the responder exactly the responder's best alternative::

    1 - x = max(w2, c2 + k2 (1 - y))          y = max(w1, c1 + k1 x)

``x -> 1 - max(w2, c2 + k2 (1 - max(w1, c1 + k1 x)))`` is monotone with slope at most
``k1 k2 < 1`` (hence the rule: ``delta_i = 1`` only with ``q > 0``), so the fixed point is
unique.  By which maxima bind there are four regimes:

* none binds:  ``x = (1 - c2 - k2 (1 - c1)) / (1 - k1 k2)``, ``y = c1 + k1 x``;
  with ``q = 0`` this is Rubinstein's ``x = (1 - delta2) / (1 - delta1 delta2)``; with
  ``delta = 1`` it is BRW's ``x = b1 + (1 - b1 - b2) / (2 - q)``, which tends to the Nash
  solution with disagreement point b as ``q -> 0``;
* player 2's option binds: ``x = 1 - w2``, ``y = c1 + k1 x``;
* player 1's option binds: ``y = w1``, ``x = 1 - c2 - k2 (1 - w1)``;
* both bind: ``x = 1 - w2``, ``y = w1``.

A regime holds when its binding maxima are attained by the options and the others by
continuation.  In particular player 2's option binds iff ``w2`` exceeds the responder's share
without it, ``threshold2 = 1 - x|_(w2 absent)``: the outside-option principle (Binmore,
Shaked & Sutton 1989), for unequal discount factors too.  With ``delta1 = delta2 = delta``,
``q = 0`` this is ``w2 > delta / (1 + delta)``, and then player 1 gets ``1 - w2``.

**Finite horizon** ``T``: after a rejection in the last period the talks end (the responder
takes ``max(w_r, b_r)``); earlier periods follow the same recursion, solved by backward
induction.  Long horizons converge to the stationary shares.

Parameters may be numbers (exact) or sympy expressions; symbolic results are sympy
expressions, ``Piecewise`` over the regimes when outside options are present.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import sympy as sp

from negotiate.errors import ModelError
from negotiate.games.tree import GameTree
from negotiate.theory._base import UNIT, Param, Spec, is_symbolic, to_sympy
from negotiate.theory._commitment import ModelBase
from negotiate.theory.rubinstein_result import RubinsteinResult, option_max

__all__ = ["Rubinstein", "RubinsteinResult"]

_MAX_HORIZON = 10_000
_MAX_TREE_NODES = 200_000
_REGIMES = (
    "unconstrained",
    "player 2's outside option binds",
    "player 1's outside option binds",
    "both outside options bind",
)


def _ge(a: Param, b: Param) -> Any:
    if isinstance(a, sp.Basic) or isinstance(b, sp.Basic):
        return sp.Ge(sp.simplify(to_sympy(a)), sp.simplify(to_sympy(b)))
    return a >= b


def _gt(a: Param, b: Param) -> Any:
    if isinstance(a, sp.Basic) or isinstance(b, sp.Basic):
        return sp.Gt(to_sympy(a), to_sympy(b))
    return a > b


def _simplify(x: Param) -> Param:
    if isinstance(x, sp.Basic):
        out = sp.simplify(x)
        if out.is_Rational:
            return Fraction(int(out.p), int(out.q))
        return out
    return x


def _option_pair(value: Any) -> tuple[Any, Any] | None:
    return None if value is None else _as_pair(value)


def _horizon(value: Any, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ModelError(field, value, "must be None or a positive integer")
    if value > _MAX_HORIZON:
        raise ModelError(field, value, f"at most {_MAX_HORIZON} periods")
    return value


def _as_pair(value: Any) -> tuple[Any, Any]:
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != 2:
            raise ModelError("outside_option", value, "expected w2 or a pair (w1, w2)")
        return (value[0], value[1])
    return (None, value)


class Rubinstein(ModelBase):
    """Alternating-offers bargaining; see the module docstring for the model and its SPE.

    ``delta1, delta2`` in (0, 1] (1 only with ``breakdown > 0``); ``breakdown`` q in [0, 1];
    ``disagreement`` = breakdown payoffs ``(b1, b2)`` in [0, 1] with ``b1 + b2 <= 1``;
    ``outside_option``: None, player 2's option ``w2`` (a number: player 2 responds to the
    first offer), or a pair ``(w1, w2)`` with ``None`` for no option; options lie in [0, 1]
    and sum to at most 1; ``horizon``: None (infinite) or the number of periods.
    """

    delta1 = Spec("player 1's discount factor (1 only with breakdown > 0)", (0, 1, True, False))
    delta2 = Spec("player 2's discount factor (1 only with breakdown > 0)", (0, 1, True, False))
    breakdown = Spec("q, the probability that talks break down after a rejection", UNIT, 0)
    disagreement = Spec(
        "(b1, b2), the breakdown payoffs, summing to at most 1", UNIT, (0, 0), size=2
    )
    outside_option = Spec(
        "(w1, w2), the outside options (None: none; a number: w2), summing to at most 1",
        UNIT,
        None,
        size=2,
        optional=True,
        convert=_option_pair,
    )
    horizon = Spec(
        "the number of periods (None: infinite)", None, None, option=True, check=_horizon
    )
    _KEY = "first-mover advantage"

    def _validate(self) -> None:
        b, w = self.disagreement, self.outside_option
        if not is_symbolic(*b) and b[0] + b[1] > 1:
            raise ModelError("disagreement", b, "b1 + b2 must not exceed the pie (1)")
        if w is not None and None not in w and not is_symbolic(*w) and w[0] + w[1] > 1:
            raise ModelError("outside_option", w, "w1 + w2 must not exceed the pie (1)")
        for name in ("delta1", "delta2"):
            if getattr(self, name) == 1 and self.breakdown == 0:
                raise ModelError(
                    name, 1, "a discount factor of 1 needs breakdown > 0 (else no unique SPE)"
                )

    def _key_condition(self, values: Any) -> tuple[sp.Expr, sp.Expr]:
        """Player 1, proposing first, gets at least half in the stationary SPE without
        outside options: ``x >= 1/2`` with ``x = (1 - c2 - k2 (1 - c1)) / (1 - k1 k2)``."""
        q = values["breakdown"]
        b1, b2 = (to_sympy(v) for v in self.disagreement)
        c1, c2 = q * b1, q * b2
        k1, k2 = (1 - q) * values["delta1"], (1 - q) * values["delta2"]
        return 2 * (1 - c2 - k2 * (1 - c1)), 1 - k1 * k2

    # ------------------------------------------------------------------ solution
    def _ck(self) -> tuple[Param, Param, Param, Param]:
        q = self.breakdown
        b1, b2 = self.disagreement
        return q * b1, q * b2, (1 - q) * self.delta1, (1 - q) * self.delta2

    def _regimes(self) -> list[tuple[Param, Param, Any]]:
        """``(x, y, condition)`` for each regime, in the order of ``_REGIMES``."""
        c1, c2, k1, k2 = self._ck()
        w1, w2 = self.outside_option or (None, None)
        x0 = (1 - c2 - k2 * (1 - c1)) / (1 - k1 * k2)
        out: list[tuple[Param, Param, Any]] = []
        # none binds
        y0 = c1 + k1 * x0
        conds = []
        if w1 is not None:
            conds.append(_ge(y0, w1))
        if w2 is not None:
            conds.append(_ge(c2 + k2 * (1 - y0), w2))
        out.append((x0, y0, conds))
        if w2 is not None:  # player 2's option binds
            x = 1 - w2
            y = c1 + k1 * x
            c = [_ge(w2, c2 + k2 * (1 - y))] + ([_ge(y, w1)] if w1 is not None else [])
            out.append((x, y, c))
        if w1 is not None:  # player 1's option binds
            y = w1
            x = 1 - c2 - k2 * (1 - w1)
            c = [_ge(w1, c1 + k1 * x)] + ([_ge(c2 + k2 * (1 - w1), w2)] if w2 is not None else [])
            out.append((x, y, c))
        if w1 is not None and w2 is not None:
            c = [_ge(w2, c2 + k2 * (1 - w1)), _ge(w1, c1 + k1 * (1 - w2))]
            out.append((1 - w2, w1, c))
        return out

    def _regime_names(self) -> list[str]:
        w1, w2 = self.outside_option or (None, None)
        names = [_REGIMES[0]]
        if w2 is not None:
            names.append(_REGIMES[1])
        if w1 is not None:
            names.append(_REGIMES[2])
        if w1 is not None and w2 is not None:
            names.append(_REGIMES[3])
        return names

    def solve(self) -> RubinsteinResult:
        """The subgame-perfect shares (immediate agreement)."""
        if self.horizon is not None:
            return self._finite()
        regimes = self._regimes()
        names = self._regime_names()
        thresholds = self._thresholds()
        if not self.symbolic:
            for (x, y, conds), name in zip(regimes, names, strict=True):
                if all(conds):
                    return RubinsteinResult(
                        self, x, 1 - x, 1 - y, name, _binding(name), thresholds, None
                    )
            raise AssertionError("no regime holds")  # pragma: no cover - fixed point exists
        pieces = [(sp.simplify(to_sympy(x)), sp.And(*c)) for x, _, c in regimes]
        pieces_y = [(sp.simplify(to_sympy(y)), sp.And(*c)) for _, y, c in regimes]
        if len(pieces) == 1:
            x, y = _simplify(pieces[0][0]), _simplify(pieces_y[0][0])
            regime = names[0]
        else:
            x = sp.Piecewise(*pieces[:-1], (pieces[-1][0], True))
            y = sp.Piecewise(*pieces_y[:-1], (pieces_y[-1][0], True))
            regime = "piecewise: see binding"
        binding = self._binding_conditions(regimes, names)
        return RubinsteinResult(
            self, x, _simplify(1 - x), _simplify(1 - y), regime, binding, thresholds, None
        )

    def _binding_conditions(self, regimes: list[Any], names: list[str]) -> tuple[Any, Any]:
        cond = {n: sp.And(*c) for (_, _, c), n in zip(regimes, names, strict=True)}
        one = sp.Or(*(cond[n] for n in names if "1" in n or "both" in n))
        two = sp.Or(*(cond[n] for n in names if "2" in n or "both" in n))
        return (one, two)

    def _thresholds(self) -> tuple[Param | None, Param | None]:
        """Each option's threshold: the player's share as responder without its option."""
        w1, w2 = self.outside_option or (None, None)
        t1 = t2 = None
        if w2 is not None:
            t2 = replace_option(self, (w1, None)).solve().responder_share
        if w1 is not None:
            other = replace_option(self, (None, w2)).solve()
            t1 = _simplify(1 - other.counter_share)
        return (t1, t2)

    def _finite(self) -> RubinsteinResult:
        assert self.horizon is not None
        c1, c2, k1, k2 = self._ck()
        w1, w2 = self.outside_option or (None, None)
        b1, b2 = self.disagreement
        # shares[t]: the proposer's share in period t (player 1 proposes in even periods)
        shares: list[Param] = [Fraction(0)] * self.horizon
        for t in reversed(range(self.horizon)):
            resp_is_2 = t % 2 == 0
            w, b, c, k = (w2, b2, c2, k2) if resp_is_2 else (w1, b1, c1, k1)
            last = t == self.horizon - 1
            keep = option_max(w, b) if last else option_max(w, c + k * shares[t + 1])
            shares[t] = _simplify(1 - keep)
        x = shares[0]
        counter = shares[1] if self.horizon > 1 else Fraction(0)
        binding = []
        for t, w, b, c, k in ((1, w1, b1, c1, k1), (0, w2, b2, c2, k2)):
            if w is None or t >= self.horizon:
                binding.append(False)
                continue
            cont = b if t == self.horizon - 1 else c + k * shares[t + 1]
            binding.append(_gt(w, cont))
        return RubinsteinResult(
            self,
            x,
            _simplify(1 - x),
            counter,
            f"finite horizon {self.horizon}",
            (binding[0], binding[1]),
            (None, None),
            tuple(shares),
        )

    # ------------------------------------------------------------------ explicit game
    def as_tree(self, grid: int = 10, horizon: int | None = None) -> GameTree:
        """The finite-horizon game as a :class:`~negotiate.games.tree.GameTree`, offers on the
        grid ``{0, 1/grid, ..., 1}`` (numeric models).  ``horizon`` truncates a model with an
        infinite horizon (the game of ``replace(horizon=...)``; its SPE tends to the
        stationary shares as the horizon grows).

        Responders rank ``accept`` first (they accept when indifferent).
        """
        if horizon is not None and horizon != self.horizon:
            model = Rubinstein(
                self.delta1,
                self.delta2,
                self.breakdown,
                self.disagreement,
                self.outside_option,
                horizon,
            )
            return model.as_tree(grid)
        if self.horizon is None or self.symbolic:
            raise ModelError("horizon", self.horizon, "as_tree needs a numeric finite horizon")
        if not isinstance(grid, int) or grid < 1:
            raise ModelError("grid", grid, "must be a positive integer")
        nodes = ((grid + 1) * 3) ** self.horizon
        if nodes > _MAX_TREE_NODES:
            raise ModelError("grid", grid, f"the tree would have about {nodes} nodes")
        return GameTree.from_dict({"players": ["1", "2"], "root": self._node(0, grid)})

    def _node(self, t: int, grid: int) -> dict[str, Any]:
        proposer, responder = ("1", "2") if t % 2 == 0 else ("2", "1")
        disc = (self.delta1**t, self.delta2**t)
        w1, w2 = self.outside_option or (None, None)
        b = self.disagreement
        actions: dict[str, Any] = {}
        for j in range(grid + 1):
            share = Fraction(j, grid)  # the proposer's share
            x1 = share if proposer == "1" else 1 - share
            accept = _payoffs((disc[0] * x1, disc[1] * (1 - x1)))
            if t == self.horizon - 1:
                reject: dict[str, Any] = _payoffs((disc[0] * b[0], disc[1] * b[1]))
            elif self.breakdown == 0:
                reject = self._node(t + 1, grid)
            else:
                q = self.breakdown
                reject = {
                    "chance": {
                        "breakdown": {
                            "probability": str(q),
                            "then": _payoffs((disc[0] * b[0], disc[1] * b[1])),
                        },
                        "continue": {"probability": str(1 - q), "then": self._node(t + 1, grid)},
                    }
                }
            resp_actions = {"accept": accept, "reject": reject}
            w = w2 if responder == "2" else w1
            if w is not None:
                pay = (Fraction(0), disc[1] * w) if responder == "2" else (disc[0] * w, Fraction(0))
                resp_actions["opt out"] = _payoffs(pay)
            actions[f"offer {share}"] = {
                "player": responder,
                "actions": resp_actions,
                "tie_break": ["accept", "reject", "opt out"]
                if w is not None
                else ["accept", "reject"],
            }
        return {"player": proposer, "actions": actions}


def replace_option(model: Rubinstein, options: tuple[Param | None, Param | None]) -> Rubinstein:
    """``model`` with other outside options (``(None, None)`` for none)."""
    w = None if options == (None, None) else options
    return Rubinstein(
        model.delta1, model.delta2, model.breakdown, model.disagreement, w, model.horizon
    )


def _payoffs(pair: tuple[Param, Param]) -> dict[str, Any]:
    return {"payoffs": {"1": str(pair[0]), "2": str(pair[1])}}


def _binding(name: str) -> tuple[bool, bool]:
    return ("1" in name or "both" in name, "2" in name or "both" in name)
