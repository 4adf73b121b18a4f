"""Shared machinery of the commitment and credibility models.

Used by :mod:`~negotiate.theory.shifting_power`, :mod:`~negotiate.theory.repeated`,
:mod:`~negotiate.theory.trust`, :mod:`~negotiate.theory.deterrence`,
:mod:`~negotiate.theory.signals`, :mod:`~negotiate.theory.sanctions` and
:mod:`~negotiate.theory.proliferation`.

* A model is *symbolic* when any parameter has free symbols; all its parameters are then held
  as sympy objects, otherwise all are ``Fraction``.  One formula therefore serves both modes,
  and the comparisons :func:`ge` / :func:`gt` give ``bool`` for numbers and a sympy relational
  for symbols.
* :func:`ratio` refuses a zero denominator (:class:`ModelError`) instead of producing ``zoo``.
* ``solve_for(name)`` solves the model's key condition ``lhs >= rhs`` for one parameter and
  returns a :class:`Boundary`.
* :func:`sample_certificate` checks a symbolic result by exact substitution at random
  rational points: the substituted record must pass the numeric model's own certificate.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from fractions import Fraction
from typing import Any, ClassVar, TypeAlias

import sympy as sp

from negotiate.errors import ModelError, NotApplicableError
from negotiate.expr import symbol
from negotiate.results import Certificate, ResultMixin, Summary
from negotiate.theory._base import (
    DeclaredModel,
    Interval,
    Param,
    Spec,
    to_sympy,
)
from negotiate.theory._sampling import numeric_value

__all__ = [
    "Boundary",
    "Cond",
    "Interval",
    "ModelBase",
    "ParamLike",
    "Spec",
    "build_tree",
    "ge",
    "gt",
    "ratio",
    "require",
    "sample_certificate",
    "summarise",
]

#: What a model accepts for a parameter: a number (exact or float) or a sympy expression.
ParamLike: TypeAlias = Any
#: A condition: ``bool`` for numeric models, a sympy Boolean for symbolic ones.
Cond: TypeAlias = bool | sp.Basic


def ge(a: Param, b: Param) -> Cond:
    """``a >= b``: a ``bool`` for numbers, a sympy relational when either side is symbolic."""
    if isinstance(a, sp.Basic) or isinstance(b, sp.Basic):
        return sp.Ge(a, b)
    return bool(a >= b)


def gt(a: Param, b: Param) -> Cond:
    """``a > b``: a ``bool`` for numbers, a sympy relational when either side is symbolic."""
    if isinstance(a, sp.Basic) or isinstance(b, sp.Basic):
        return sp.Gt(a, b)
    return bool(a > b)


def ratio(num: Param, den: Param, field: str) -> Param:
    """``num / den``, raising :class:`ModelError` (never ``zoo``) when ``den`` is zero."""
    if isinstance(den, sp.Basic) or isinstance(num, sp.Basic):
        den_s = sp.simplify(to_sympy(den))
        if den_s == 0:
            raise ModelError(field, den, "is undefined: its denominator is identically zero")
        out = sp.factor(sp.cancel(to_sympy(num) / den_s))
        if out.is_Rational:
            return Fraction(int(out.p), int(out.q))
        return out
    if den == 0:
        raise ModelError(field, den, "is undefined: division by zero (degenerate parameters)")
    return Fraction(num) / Fraction(den)


def require(cond: Cond, field: str, value: Any, reason: str) -> None:
    """Raise :class:`ModelError` when ``cond`` is false; undecided symbolic conditions pass."""
    if cond is False or cond is sp.false:
        raise ModelError(field, value, reason)


def _is_false(cond: Any) -> bool:
    return cond is False or cond is sp.false


class ModelBase(DeclaredModel):
    """A declared model (:class:`~negotiate.theory._base.DeclaredModel`) with ``solve_for``.

    Subclasses declare their parameters as :class:`~negotiate.theory._base.Spec` class
    attributes and define ``_key_condition`` (and ``_KEY``, the condition's name).
    """

    _KEY: ClassVar[str] = ""

    def _key_condition(self, values: Mapping[str, sp.Expr]) -> tuple[sp.Expr, sp.Expr]:
        """The key condition ``lhs >= rhs`` (in sympy) at the given parameter values."""
        raise NotApplicableError(f"{type(self).__name__} has no key condition to solve")

    def solve_for(self, name: str) -> Boundary:
        """Solve the key condition ``lhs = rhs`` for the parameter ``name``.

        Numbers give an exact ``Fraction``; other symbolic parameters give an expression with
        its side conditions (non-zero denominators).  A condition that does not depend on
        ``name``, or has no real solution, raises :class:`ModelError`.
        """
        if name not in self._PARAMS:
            raise ModelError("name", name, f"unknown parameter; parameters: {list(self._PARAMS)}")
        current = getattr(self, name)
        if isinstance(current, sp.Symbol):
            sym = current
        elif isinstance(current, sp.Basic) and current.free_symbols:
            raise ModelError(name, current, "solve_for needs a number or a bare symbol here")
        else:
            sym = symbol(name)
        values = {p: to_sympy(getattr(self, p)) for p in self._PARAMS}
        values[name] = sym
        lhs, rhs = self._key_condition(values)
        gap = sp.together(sp.expand(lhs - rhs))
        if sym not in gap.free_symbols:
            raise ModelError(name, current, f"the {self._KEY} condition does not depend on it")
        num, den = sp.fraction(gap)
        sols = [
            s
            for s in sp.solve(sp.Eq(num, 0), sym)
            if s.is_real is not False and sp.simplify(den.xreplace({sym: s})) != 0
        ]
        if not sols:
            raise ModelError(name, current, f"the {self._KEY} condition has no boundary in it")
        if len(sols) > 1:
            raise NotApplicableError(
                f"the {self._KEY} condition has {len(sols)} boundaries in {name}: {sols}"
            )
        sol = sp.simplify(sols[0])
        side = tuple(
            sp.Ne(d, 0)
            for d in {sp.denom(sp.together(sol))} | {den.xreplace({sym: sol})}
            if d.free_symbols
        )
        slope = sp.simplify(sp.diff(lhs - rhs, sym).xreplace({sym: sol}))
        if slope.is_positive:
            holds = "above"
        elif slope.is_negative:
            holds = "below"
        elif slope == 0:
            holds = "at"
        else:
            holds = f"above where {slope} > 0, else below"
        in_domain: Cond = True
        if name in self._DOMAINS:
            lo, hi, lo_open, hi_open = self._DOMAINS[name]
            conds = []
            if lo is not None:
                conds.append(sp.Gt(sol, lo) if lo_open else sp.Ge(sol, lo))
            if hi is not None:
                conds.append(sp.Lt(sol, hi) if hi_open else sp.Le(sol, hi))
            both = sp.And(*conds)
            in_domain = bool(both) if both in (sp.true, sp.false) else both
        value: Param = Fraction(int(sol.p), int(sol.q)) if sol.is_Rational else sol
        return Boundary(
            model=type(self).__name__,
            parameter=name,
            value=value,
            condition=sp.Ge(lhs, rhs, evaluate=False),
            holds=holds,
            side_conditions=side,
            in_domain=in_domain,
            _symbol=sym,
            _gap=lhs - rhs,
        )


@dataclass(frozen=True, repr=False)
class Boundary(ResultMixin):
    """Where a model's key condition ``lhs >= rhs`` turns, solved for one parameter.

    ``holds`` says on which side of ``value`` the condition holds ("above", "below");
    ``in_domain`` whether ``value`` lies in the parameter's domain (a value outside it means
    the condition holds everywhere or nowhere in the domain); ``side_conditions`` the
    non-zero denominators the symbolic solution needs.
    """

    model: str
    parameter: str
    value: Param
    condition: sp.Basic
    holds: str
    side_conditions: tuple[sp.Basic, ...]
    in_domain: Cond
    _symbol: sp.Symbol
    _gap: sp.Expr

    def _describe(self) -> str:
        return f"{self.model}.{self.parameter} = {self.value} (the condition holds {self.holds})"

    def verify(self) -> Certificate:
        """Substitute the boundary back: the condition's two sides must be equal there."""
        residual = sp.simplify(self._gap.xreplace({self._symbol: to_sympy(self.value)}))
        ok = residual == 0
        return Certificate(
            ok=bool(ok),
            quantities={
                "residual": Fraction(int(residual.p), int(residual.q))
                if residual.is_Rational
                else residual
            },
            checks=(f"lhs - rhs = 0 at {self.parameter} = {self.value}",),
        )

    def summary(self) -> Summary:
        rows: tuple[tuple[str, Any], ...] = (
            ("parameter", self.parameter),
            ("value", self.value),
            ("condition", str(self.condition)),
            ("holds", self.holds),
            ("in domain", self.in_domain),
        )
        if self.side_conditions:
            rows += (("side conditions", ", ".join(map(str, self.side_conditions))),)
        return Summary(title=f"{self.model}: boundary in {self.parameter}", fields=rows)


def summarise(
    result: Any, title: str, notes: tuple[str, ...] = (), skip: tuple[str, ...] = ()
) -> Summary:
    """A :class:`Summary` of a frozen result's public fields (``model`` and ``skip`` left out)."""
    rows = tuple(
        (f.name, getattr(result, f.name))
        for f in fields(result)
        if not f.name.startswith("_") and f.name != "model" and f.name not in skip
    )
    return Summary(title=title, fields=rows, notes=notes)


# --------------------------------------------------------------------- symbolic checks
Comparator = Callable[[Any, Any], bool]


def _default_compare(sym_value: Any, numeric: Any) -> bool:
    if isinstance(numeric, bool):
        return sym_value in (sp.true, sp.false) and bool(sym_value) == numeric
    if isinstance(numeric, Fraction | int):
        return bool(sym_value.is_Rational) and Fraction(int(sym_value.p), int(sym_value.q)) == (
            numeric
        )
    return False


def _rational_point(
    sym: sp.Symbol, ranges: Mapping[str, tuple[Fraction, Fraction]], rng: random.Random
) -> sp.Rational:
    lo, hi = ranges.get(sym.name, (Fraction(-2), Fraction(2)))
    x = lo + (hi - lo) * Fraction(rng.randint(1, 999), 1000)
    return sp.Rational(x.numerator, x.denominator)


def _compare_fields(
    sym_result: Any,
    num_result: Any,
    subs: Mapping[sp.Basic, sp.Basic],
    comparators: Mapping[str, Comparator],
    prefix: str = "",
) -> list[str]:
    bad = []
    for f in fields(sym_result):
        if f.name.startswith("_") or f.name in ("model", "notes"):
            continue
        name = prefix + f.name
        s, n = getattr(sym_result, f.name), getattr(num_result, f.name)
        if is_dataclass(s) and not isinstance(s, type):
            bad += _compare_fields(s, n, subs, comparators, name + ".")
        elif isinstance(s, dict):
            for key, sub in s.items():
                value = sub.xreplace(dict(subs)) if isinstance(sub, sp.Basic) else sub
                if not _default_compare(value, n[key]):
                    bad.append(f"{name}[{key}]: symbolic {value} vs numeric {n[key]}")
        elif isinstance(s, sp.Basic):
            value = s.xreplace(dict(subs))
            if value.has(sp.zoo, sp.nan) or not comparators.get(name, _default_compare)(value, n):
                bad.append(f"{name}: symbolic {value} vs numeric {n}")
        elif s != n and name not in comparators:
            bad.append(f"{name}: {s} vs {n}")
    return bad


def _substituted(
    sym_result: Any,
    num_result: Any,
    subs: Mapping[sp.Basic, sp.Basic],
    comparators: Mapping[str, Comparator],
    prefix: str = "",
) -> dict[str, Any]:
    """The symbolic record's fields evaluated at ``subs``.  A field with a comparator takes
    the numeric model's convention (e.g. ``None`` for a boundary outside the domain) where
    the comparator says the two agree; mismatching fields are checked separately."""
    out: dict[str, Any] = {}
    for f in fields(sym_result):
        if f.name == "model" or not f.init:
            continue
        name = prefix + f.name
        s, n = getattr(sym_result, f.name), getattr(num_result, f.name)
        if is_dataclass(s) and not isinstance(s, type):
            out[f.name] = replace(s, **_substituted(s, n, subs, comparators, name + "."))
        elif isinstance(s, dict):
            out[f.name] = {
                k: numeric_value(v.xreplace(dict(subs))) if isinstance(v, sp.Basic) else v
                for k, v in s.items()
            }
        elif isinstance(s, sp.Basic):
            value = s.xreplace(dict(subs))
            if name in comparators and comparators[name](value, n):
                out[f.name] = n
            else:
                out[f.name] = numeric_value(value)
    return out


def sample_certificate(
    model: ModelBase,
    result: Any,
    *,
    ranges: Mapping[str, tuple[Fraction, Fraction]] | None = None,
    comparators: Mapping[str, Comparator] | None = None,
    points: int = 12,
    seed: int = 0,
) -> Certificate:
    """Check a symbolic result by exact substitution at random rational points.

    At each point (symbols drawn from ``ranges`` by name, else from the parameter's domain,
    else from (-2, 2)), every symbolic field is evaluated exactly with ``xreplace`` and the
    record so obtained, on the numeric model at that point, must pass the numeric model's
    own certificate -- which re-derives the answer by a route of its own (deviation payoffs,
    indifference conditions, grids), so a wrong closed form fails here even if ``solve``
    shares it.  The numeric ``solve`` at the point must also agree field by field (or by the
    field's comparator).  Points where the numeric model rejects its parameters are skipped.
    """
    syms = sorted(
        set().union(
            *(v.free_symbols for v in model.parameters().values() if isinstance(v, sp.Basic))
        ),
        key=lambda s: s.name,
    )
    rng = random.Random(seed)
    domain_ranges: dict[str, tuple[Fraction, Fraction]] = {}
    for name, (lo, hi, _, _) in model._DOMAINS.items():
        lo_f = Fraction(lo) if lo is not None else (Fraction(hi) - 4 if hi is not None else -2)
        hi_f = Fraction(hi) if hi is not None else lo_f + 4
        domain_ranges[name] = (Fraction(lo_f), Fraction(hi_f))
    domain_ranges.update(ranges or {})
    checked, tried, mismatches, failed = 0, 0, [], 0
    while checked < points and tried < 50 * points:
        tried += 1
        subs = {s: _rational_point(s, domain_ranges, rng) for s in syms}
        kwargs = model._kwargs()
        for p in model._PARAMS:
            value = to_sympy(kwargs[p]).xreplace(subs)
            if not value.is_Rational:
                break
            kwargs[p] = Fraction(int(value.p), int(value.q))
        else:
            try:
                numeric_model = type(model)(**kwargs)
                numeric = numeric_model.solve()  # type: ignore[attr-defined]
            except ModelError:
                continue
            checked += 1
            mismatches += _compare_fields(result, numeric, subs, comparators or {})
            at_point = replace(
                result,
                model=numeric_model,
                **_substituted(result, numeric, subs, comparators or {}),
            )
            try:
                cert = at_point.verify()
            except (ModelError, TypeError) as exc:
                failed += 1
                mismatches.append(f"at {subs}: the substituted record cannot be checked: {exc}")
                continue
            if not cert.ok:
                failed += 1
                mismatches.append(f"at {subs}: the substituted record fails its certificate")
    ok = checked > 0 and not mismatches
    notes = tuple(mismatches[:5])
    if checked == 0:
        notes += ("no sample point satisfied the model's domain",)
    return Certificate(
        ok=ok,
        quantities={"points": checked, "mismatches": len(mismatches), "failed_points": failed},
        exact=True,
        checks=(
            "the symbolic record, substituted exactly at random rational points, passes the "
            "numeric certificate there",
            "symbolic fields equal the numeric model at the same points",
        ),
        notes=notes,
    )


def build_tree(model: ModelBase, players: list[str], root: dict[str, Any], title: str) -> Any:
    """A :class:`~negotiate.games.tree.GameTree` from ``root``, declaring the model's symbols.

    A symbol that is the whole value of a parameter gets that parameter's domain (when both
    ends are finite), so symbolic chance probabilities validate.
    """
    from negotiate.games.tree import GameTree

    declared: dict[str, dict[str, Any]] = {}
    for name, value in model.parameters().items():
        if not isinstance(value, sp.Basic):
            continue
        for s in sorted(value.free_symbols, key=lambda x: x.name):
            declared.setdefault(s.name, {})
            lo, hi, _, _ = model._DOMAINS.get(name, (None, None, False, False))
            if isinstance(value, sp.Symbol) and lo is not None and hi is not None:
                declared[s.name] = {"domain": [str(lo), str(hi)]}
    return GameTree.from_dict(
        {"players": players, "parameters": declared, "root": root, "title": title}
    )


def all_false(*conds: Cond) -> bool:
    """True when every condition is decidedly false."""
    return all(_is_false(c) for c in conds)
