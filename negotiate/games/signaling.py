"""Signalling games: a sender with a private type sends a message; a receiver acts on it.

Nature draws the sender's type ``t`` with prior ``p(t)``; the sender sees ``t`` and sends a
message ``m``; the receiver sees ``m`` (not ``t``) and takes an action ``a``.  Payoffs
``u_S(t, m, a)`` and ``u_R(t, m, a)`` (Fudenberg & Tirole 1991, *Game Theory*, sec. 8.2).

Build games only with :meth:`SignalingGame.from_dict`.  Numbers are exact (``"0.1"`` is 1/10;
floats are read by their shortest representation and flagged).  Payoffs and priors may be
expressions in declared parameters, parsed only by :func:`negotiate.expr.parse`; such a game
is a family, and :meth:`SignalingGame.bind` gives one member.  Priors must lie in [0, 1] and
sum to 1: exactly for numbers, identically (and over the parameters' domains) for expressions.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TypeAlias

import sympy as sp
from sympy.printing.str import StrPrinter

from negotiate._exact import as_fraction, is_float_input, to_sympy, warn_float_input
from negotiate.errors import ModelError
from negotiate.expr import Parameter, parse, substitute, symbol
from negotiate.labels import canonical
from negotiate.labels import label as check_label
from negotiate.labels import labels as check_labels

__all__ = ["SignalingGame", "Value"]

#: A payoff or probability: an exact number, or a sympy expression in the parameters.
Value: TypeAlias = Fraction | sp.Expr

_KEYS = {"sender", "receiver", "types", "messages", "actions", "payoffs", "parameters", "title"}
_NON_FINITE = {"nan", "inf", "infinity"}
_GRID = 5


def _label(value: Any, field: str) -> str:
    return check_label(value, field)


def _labels(data: Any, field: str) -> tuple[str, ...]:
    if isinstance(data, str | bytes) or not isinstance(data, Sequence) or not data:
        raise ModelError(field, data, "expected a non-empty list of labels")
    return check_labels(data, field)


def _mapping(data: Any, field: str) -> Mapping[str, Any]:
    """A table with its label keys in canonical form (two keys that normalise alike are
    refused)."""
    if not isinstance(data, Mapping):
        raise ModelError(field, data, "expected a table/dict")
    out: dict[Any, Any] = {}
    for key, value in data.items():
        k = canonical(key)
        if k in out:
            raise ModelError(f"{field}.{k}", key, "duplicate key (after normalising)")
        out[k] = value
    return out


def _exact_keys(data: Mapping[str, Any], labels: tuple[str, ...], field: str, what: str) -> None:
    for key in data:
        if key not in labels:
            raise ModelError(f"{field}.{key}", None, f"unknown {what}; {what}s: {list(labels)}")
    for label in labels:
        if label not in data:
            raise ModelError(f"{field}.{label}", None, f"missing entry for this {what}")


def _as_value(raw: Any, params: Mapping[str, Parameter], field: str) -> tuple[Value, bool]:
    """An exact number or a parsed expression; the flag says whether ``raw`` was a float."""
    if isinstance(raw, str):
        try:
            return as_fraction(raw, field), False
        except ModelError:
            if raw.strip().lower().lstrip("+-") in _NON_FINITE:
                raise
        return _from_sympy(parse(raw, params, field=field), field), False
    if isinstance(raw, sp.Basic):
        if not isinstance(raw, sp.Expr):
            raise ModelError(field, raw, "expected a number or an expression")
        names = {s.name for s in raw.free_symbols}
        unknown = sorted(names - set(params))
        if unknown:
            raise ModelError(
                field, raw, f"undeclared parameters {unknown}; declared: {sorted(params)}"
            )
        canon = raw.xreplace({s: symbol(s.name) for s in raw.free_symbols})
        return _from_sympy(canon, field), False
    return as_fraction(raw, field), is_float_input(raw)


def _from_sympy(expr: sp.Expr, field: str) -> Value:
    if expr.is_Rational:
        return Fraction(int(expr.p), int(expr.q))
    if not expr.free_symbols:
        raise ModelError(field, expr, "constants must be rational numbers")
    return expr


def _check_unit_range(expr: sp.Expr, params: Mapping[str, Parameter], field: str) -> None:
    """Check that ``expr`` lies in [0, 1] over the box of its parameters' domains.

    One parameter: exact minimum and maximum on the interval.  Several: exact at the corners
    when ``expr`` is multilinear (its extremes are then at corners), else on a grid; exact
    numbers are re-checked by :meth:`SignalingGame.bind` in any case.
    """
    syms = sorted(expr.free_symbols, key=lambda s: s.name)
    boxes = []
    for s in syms:
        dom = params[s.name].domain
        if dom is None:
            raise ModelError(field, expr, f"parameter {s.name!r} needs a domain to check a prior")
        boxes.append(dom)
    if len(syms) == 1:
        interval = sp.Interval(to_sympy(boxes[0][0]), to_sympy(boxes[0][1]))
        try:
            lo = sp.calculus.util.minimum(expr, syms[0], interval)
            hi = sp.calculus.util.maximum(expr, syms[0], interval)
            points = [] if not (lo.is_Number and hi.is_Number) else [(lo,), (hi,)]
        except (NotImplementedError, ValueError):
            points = []
        if points:
            if lo < 0 or hi > 1:
                raise ModelError(
                    field, expr, f"ranges over [{lo}, {hi}]; a prior must be in [0, 1]"
                )
            return
    multilinear = expr.is_polynomial(*syms) and all(sp.degree(expr, s) <= 1 for s in syms)
    grid = [(lo, hi) if multilinear else _spread(lo, hi) for lo, hi in boxes]
    for point in itertools.product(*grid):
        value = substitute(expr, dict(zip([s.name for s in syms], point, strict=True)))
        if not (isinstance(value, Fraction) and 0 <= value <= 1):
            at = ", ".join(f"{s.name}={v}" for s, v in zip(syms, point, strict=True))
            raise ModelError(field, expr, f"is {value} at {at}; a prior must be in [0, 1]")


def _spread(lo: Fraction, hi: Fraction) -> list[Fraction]:
    return [lo + (hi - lo) * Fraction(k, _GRID - 1) for k in range(_GRID)]


@dataclass(frozen=True, eq=False)
class SignalingGame:
    """A finite signalling game with labelled types, messages and actions.

    ``priors[i]`` is the prior of ``types[i]``; ``sender_payoffs[i][j][k]`` and
    ``receiver_payoffs[i][j][k]`` are the payoffs when type ``i`` sends message ``j`` and the
    receiver answers with action ``k``.  Values are ``Fraction`` or sympy expressions in the
    declared ``parameters``.
    """

    sender: str
    receiver: str
    types: tuple[str, ...]
    messages: tuple[str, ...]
    actions: tuple[str, ...]
    priors: tuple[Value, ...]
    sender_payoffs: tuple[tuple[tuple[Value, ...], ...], ...]
    receiver_payoffs: tuple[tuple[tuple[Value, ...], ...], ...]
    parameters: tuple[Parameter, ...] = ()
    float_input: bool = False
    title: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SignalingGame:
        """Build a game from ``{"sender", "receiver", "types": {type: {"prior": v}},
        "messages": [...], "actions": [...], "payoffs": {type: {message: {action:
        {sender: v, receiver: v}}}}, "parameters": {name: {"domain": [lo, hi], ...}},
        "title": str}``.  ``parameters`` and ``title`` are optional.
        """
        data = _mapping(data, "game")
        for key in data:
            if key not in _KEYS:
                raise ModelError(str(key), None, f"unknown key; allowed: {sorted(_KEYS)}")
        for key in ("sender", "receiver", "types", "messages", "actions", "payoffs"):
            if key not in data:
                raise ModelError(key, None, "is required")
        sender = _label(data["sender"], "sender")
        receiver = _label(data["receiver"], "receiver")
        if sender == receiver:
            raise ModelError("receiver", receiver, "the sender and receiver need distinct labels")
        params_raw = _mapping(data.get("parameters", {}), "parameters")
        params = {
            name: Parameter.from_dict(name, d, f"parameters.{name}")
            for name, d in params_raw.items()
        }
        types_raw = _mapping(data["types"], "types")
        types = _labels(list(types_raw), "types")
        messages = _labels(data["messages"], "messages")
        actions = _labels(data["actions"], "actions")
        floats = False
        priors: list[Value] = []
        for t in types:
            entry = _mapping(types_raw[t], f"types.{t}")
            extra = sorted(set(entry) - {"prior", "meaning"})
            if extra:
                raise ModelError(
                    f"types.{t}.{extra[0]}", None, "unknown key; allowed: prior, meaning"
                )
            if "prior" not in entry:
                raise ModelError(f"types.{t}.prior", None, "is required")
            value, f = _as_value(entry["prior"], params, f"types.{t}.prior")
            floats = floats or f
            priors.append(value)
        payoffs = _mapping(data["payoffs"], "payoffs")
        _exact_keys(payoffs, types, "payoffs", "type")
        tables: dict[str, list[list[list[Value]]]] = {sender: [], receiver: []}
        for t in types:
            by_m = _mapping(payoffs[t], f"payoffs.{t}")
            _exact_keys(by_m, messages, f"payoffs.{t}", "message")
            for table in tables.values():
                table.append([])
            for m in messages:
                by_a = _mapping(by_m[m], f"payoffs.{t}.{m}")
                _exact_keys(by_a, actions, f"payoffs.{t}.{m}", "action")
                for table in tables.values():
                    table[-1].append([])
                for a in actions:
                    cell = _mapping(by_a[a], f"payoffs.{t}.{m}.{a}")
                    _exact_keys(cell, (sender, receiver), f"payoffs.{t}.{m}.{a}", "player")
                    for player, table in tables.items():
                        field = f"payoffs.{t}.{m}.{a}.{player}"
                        value, f = _as_value(cell[player], params, field)
                        floats = floats or f
                        table[-1][-1].append(value)
        title = data.get("title", "")
        if not isinstance(title, str):
            raise ModelError("title", title, "expected a string")
        if floats:
            warn_float_input("float payoffs or priors", stacklevel=2)
        game = cls(
            sender,
            receiver,
            types,
            messages,
            actions,
            tuple(priors),
            _freeze(tables[sender]),
            _freeze(tables[receiver]),
            tuple(params.values()),
            floats,
            title,
        )
        return game._checked_priors()

    def _checked_priors(self) -> SignalingGame:
        params = {p.name: p for p in self.parameters}
        for t, p in zip(self.types, self.priors, strict=True):
            if isinstance(p, Fraction):
                if not 0 <= p <= 1:
                    raise ModelError(f"types.{t}.prior", p, "a prior must lie in [0, 1]")
            else:
                _check_unit_range(p, params, f"types.{t}.prior")
        total = sp.expand(sum((to_sympy(p) for p in self.priors), sp.Integer(0)))
        if total == 1:
            return self
        if not self.is_symbolic and self.float_input and abs(total - 1) <= sp.Rational(1, 10**9):
            scaled = tuple(p / Fraction(int(total.p), int(total.q)) for p in self.priors)
            return self._replace(priors=scaled)
        if total.free_symbols and sp.simplify(total - 1) == 0:
            return self
        raise ModelError("types", total, "the priors must sum to 1 (for every parameter value)")

    def _replace(self, **changes: Any) -> SignalingGame:
        fields = {k: getattr(self, k) for k in self.__dataclass_fields__}
        fields.update(changes)
        return SignalingGame(**fields)

    # ------------------------------------------------------------------ access
    @property
    def is_symbolic(self) -> bool:
        """True if any prior or payoff is an expression in the parameters."""
        values = itertools.chain(
            self.priors, _flat(self.sender_payoffs), _flat(self.receiver_payoffs)
        )
        return any(isinstance(v, sp.Basic) for v in values)

    @property
    def free_parameters(self) -> tuple[str, ...]:
        """Names of the parameters the priors and payoffs depend on, sorted."""
        values = itertools.chain(
            self.priors, _flat(self.sender_payoffs), _flat(self.receiver_payoffs)
        )
        names: set[str] = set()
        for v in values:
            if isinstance(v, sp.Basic):
                names |= {s.name for s in v.free_symbols}
        return tuple(sorted(names))

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise ModelError(
            "parameter", name, f"unknown; parameters: {[p.name for p in self.parameters]}"
        )

    def type_index(self, t: str | int) -> int:
        return _index(self.types, t, "type")

    def message_index(self, m: str | int) -> int:
        return _index(self.messages, m, "message")

    def action_index(self, a: str | int) -> int:
        return _index(self.actions, a, "action")

    def prior(self, t: str | int) -> Value:
        """The prior probability of type ``t``."""
        return self.priors[self.type_index(t)]

    def payoff(self, player: str | int, t: str | int, m: str | int, a: str | int) -> Value:
        """``player``'s payoff when type ``t`` sends ``m`` and the receiver plays ``a``."""
        table = self.payoff_table(player)
        return table[self.type_index(t)][self.message_index(m)][self.action_index(a)]

    def payoff_table(self, player: str | int) -> tuple[tuple[tuple[Value, ...], ...], ...]:
        """Nested ``[type][message][action]`` payoffs of the sender (0) or receiver (1)."""
        if player in (self.sender, 0) and not isinstance(player, bool):
            return self.sender_payoffs
        if player in (self.receiver, 1) and not isinstance(player, bool):
            return self.receiver_payoffs
        raise ModelError("player", player, f"unknown; players: {[self.sender, self.receiver]}")

    # ------------------------------------------------------------------ families
    def bind(self, values: Mapping[str, Any] | None = None) -> SignalingGame:
        """The member of the family at ``values`` (parameters not given take their ``value``).

        Every parameter the game depends on needs a value inside its domain; an unbound one
        is named in the error.  The result has exact numbers only.
        """
        values = dict(values or {})
        known = {p.name: p for p in self.parameters}
        point: dict[str, Fraction] = {}
        for name, raw in values.items():
            if name not in known:
                raise ModelError(
                    f"values.{name}", raw, f"unknown parameter; declared: {sorted(known)}"
                )
            v = as_fraction(raw, f"values.{name}")
            dom = known[name].domain
            if dom is not None and not dom[0] <= v <= dom[1]:
                raise ModelError(
                    f"values.{name}", v, f"lies outside the domain [{dom[0]}, {dom[1]}]"
                )
            point[name] = v
        for name in self.free_parameters:
            if name not in point:
                default = known[name].value
                if default is None:
                    raise ModelError(f"values.{name}", None, "parameter is unbound; give a value")
                point[name] = default

        def sub(v: Value, field: str) -> Fraction:
            out = v if isinstance(v, Fraction) else substitute(v, point, field=field)
            if not isinstance(out, Fraction):
                raise ModelError(field, str(v), f"is not a rational number at {point} ({out})")
            return out

        priors = tuple(
            sub(p, f"types.{t}.prior") for p, t in zip(self.priors, self.types, strict=True)
        )
        tables = [
            tuple(
                tuple(
                    tuple(
                        sub(v, f"payoffs.{t}.{m}.{a}")
                        for v, a in zip(row, self.actions, strict=True)
                    )
                    for row, m in zip(rows, self.messages, strict=True)
                )
                for rows, t in zip(table, self.types, strict=True)
            )
            for table in (self.sender_payoffs, self.receiver_payoffs)
        ]
        bound = self._replace(priors=priors, sender_payoffs=tables[0], receiver_payoffs=tables[1])
        return bound._checked_priors()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description readable by :meth:`from_dict` (values as exact strings)."""

        def text(v: Value) -> str | int:
            if isinstance(v, Fraction):
                return int(v) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"
            return _Printer().doprint(v)

        out: dict[str, Any] = {
            "title": self.title,
            "sender": self.sender,
            "receiver": self.receiver,
            "types": {t: {"prior": text(p)} for t, p in zip(self.types, self.priors, strict=True)},
            "messages": list(self.messages),
            "actions": list(self.actions),
            "payoffs": {
                t: {
                    m: {
                        a: {
                            self.sender: text(self.sender_payoffs[i][j][k]),
                            self.receiver: text(self.receiver_payoffs[i][j][k]),
                        }
                        for k, a in enumerate(self.actions)
                    }
                    for j, m in enumerate(self.messages)
                }
                for i, t in enumerate(self.types)
            },
        }
        if self.parameters:
            out["parameters"] = {p.name: _param_dict(p) for p in self.parameters}
        return out

    def __repr__(self) -> str:
        name = f" {self.title!r}" if self.title else ""
        sizes = (
            f"{len(self.types)} types, {len(self.messages)} messages, {len(self.actions)} actions"
        )
        return f"<SignalingGame{name} {self.sender} -> {self.receiver}: {sizes}>"


class _Printer(StrPrinter):
    """sympy's text form, with the function names :func:`negotiate.expr.parse` reads."""

    def _print_Abs(self, expr: sp.Expr) -> str:
        return f"abs({self._print(expr.args[0])})"

    def _print_Min(self, expr: sp.Expr) -> str:
        return "min(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Max(self, expr: sp.Expr) -> str:
        return "max(" + ", ".join(self._print(a) for a in expr.args) + ")"


def _param_dict(p: Parameter) -> dict[str, Any]:
    d: dict[str, Any] = {}
    if p.domain is not None:
        d["domain"] = [f"{x.numerator}/{x.denominator}" for x in p.domain]
    if p.value is not None:
        d["value"] = f"{p.value.numerator}/{p.value.denominator}"
    if p.meaning:
        d["meaning"] = p.meaning
    if p.source:
        d["source"] = p.source
    return d


def _index(labels: tuple[str, ...], key: str | int, what: str) -> int:
    if isinstance(key, int) and not isinstance(key, bool):
        if not 0 <= key < len(labels):
            raise ModelError(what, key, f"position out of range 0..{len(labels) - 1}")
        return key
    if key in labels:
        return labels.index(key)
    raise ModelError(what, key, f"unknown {what}; {what}s: {list(labels)}")


def _freeze(table: list[list[list[Value]]]) -> tuple[tuple[tuple[Value, ...], ...], ...]:
    return tuple(tuple(tuple(row) for row in rows) for rows in table)


def _flat(table: tuple[tuple[tuple[Value, ...], ...], ...]) -> list[Value]:
    return [v for rows in table for row in rows for v in row]
