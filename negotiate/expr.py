"""Safe expressions: the one path from model text to sympy.

Model files write payoffs, probabilities and conditions as strings (``"1 - rho*(1 - g)"``).
``sympify``/``parse_expr`` run ``eval`` on such text and execute code even with restricted
globals (sympy issues #10805, #24990).  Here the text is parsed with :func:`ast.parse`
(``mode="eval"``; parsing executes nothing), every node is checked against an allow-list, and
sympy objects are built directly:

* numbers: ``int`` literals (|n| <= 10**15) and decimal literals read exactly from their
  source text (``"0.1 + 0.2"`` is ``3/10``);
* operators ``+ - * / **`` and unary ``+ -``; ``a ** b`` with a numeric exponent needs
  ``|b| <= 64`` and numeric results stay under 4096 bits;
* declared parameter names (ASCII, ``^[A-Za-z][A-Za-z0-9_]*$``);
* calls ``exp log sqrt min max abs`` with positional arguments only; a numeric argument of
  ``exp`` has magnitude at most 2839 (the result stays under 4096 bits), and ``exp`` is not
  nested inside the argument of an ``exp`` that depends on parameters;
* in conditions (:func:`parse_condition`) also ``< <= > >=`` (chains allowed) and
  ``and or not``.

Anything else (attributes, subscripts, lambdas, comprehensions, strings, booleans, unknown
or dunder names, non-ASCII text) raises :class:`~negotiate.errors.ModelError` naming the
field.  Size limits: 2000 characters, 400 nodes, depth 32.

:func:`substitute` evaluates with ``xreplace`` (simultaneous) semantics and refuses
undefined results (``zoo``, ``nan``, infinities); :func:`compile_numeric` generates numpy
code once (``lambdify``) from validated names only.
"""

from __future__ import annotations

import ast
import keyword
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from negotiate._exact import as_fraction, is_float_input, warn_float_input
from negotiate._safe_eval import MAX_EXP_ARGUMENT, decide, exp_argument_problem, safe_xreplace
from negotiate.errors import ModelError

__all__ = [
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_EXP_ARGUMENT",
    "MAX_LENGTH",
    "MAX_NODES",
    "Parameter",
    "compile_numeric",
    "decide",
    "exp_argument_problem",
    "parse",
    "parse_condition",
    "substitute",
    "symbol",
]

MAX_LENGTH = 2000
MAX_NODES = 400
MAX_DEPTH = 32
MAX_EXPONENT = 64
MAX_BITS = 4096
MAX_LITERAL = 10**15

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_FUNCTIONS: dict[str, tuple[Callable[..., sp.Expr], int, int | None]] = {
    # name: (constructor, min args, max args)
    "exp": (sp.exp, 1, 1),
    "log": (sp.log, 1, 1),
    "sqrt": (sp.sqrt, 1, 1),
    "abs": (sp.Abs, 1, 1),
    "min": (sp.Min, 1, 32),
    "max": (sp.Max, 1, 32),
}
_MINMAX_EVALUATE = 6
_UNDEFINED = (sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I)


def symbol(name: str) -> sp.Symbol:
    """The canonical sympy symbol of a parameter: ``Symbol(name, real=True)``.

    ``name`` must match ``^[A-Za-z][A-Za-z0-9_]*$`` and not be a Python keyword, so that it is
    safe in generated code (``lambdify``) and printers.
    """
    if not isinstance(name, str) or not _NAME.match(name) or keyword.iskeyword(name):
        raise ModelError(
            "name",
            name,
            "parameter names must be ASCII identifiers matching ^[A-Za-z][A-Za-z0-9_]*$ "
            "and not Python keywords",
        )
    return sp.Symbol(name, real=True)


@dataclass(frozen=True)
class Parameter:
    """A declared model parameter: name, domain ``[lo, hi]``, optional value, meaning, source."""

    name: str
    domain: tuple[Fraction, Fraction] | None = None
    value: Fraction | None = None
    meaning: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        symbol(self.name)
        field = f"parameters.{self.name}"
        if self.domain is not None:
            if not isinstance(self.domain, tuple | list) or len(self.domain) != 2:
                raise ModelError(f"{field}.domain", self.domain, "must be a pair [lo, hi]")
            lo = as_fraction(self.domain[0], f"{field}.domain[0]")
            hi = as_fraction(self.domain[1], f"{field}.domain[1]")
            if lo > hi:
                raise ModelError(f"{field}.domain", self.domain, "needs lo <= hi")
            object.__setattr__(self, "domain", (lo, hi))
        if self.value is not None:
            value = as_fraction(self.value, f"{field}.value")
            if self.domain is not None and not self.domain[0] <= value <= self.domain[1]:
                raise ModelError(
                    f"{field}.value",
                    value,
                    f"lies outside the domain [{self.domain[0]}, {self.domain[1]}]",
                )
            object.__setattr__(self, "value", value)
        for attr in ("meaning", "source"):
            if not isinstance(getattr(self, attr), str):
                raise ModelError(f"{field}.{attr}", getattr(self, attr), "must be a string")

    @property
    def symbol(self) -> sp.Symbol:
        """The canonical sympy symbol of this parameter."""
        return symbol(self.name)

    @classmethod
    def from_dict(cls, name: str, d: Mapping[str, Any], field: str) -> Parameter:
        """Read ``{"value", "domain": [lo, hi], "meaning", "source"}`` (all keys optional)."""
        if not isinstance(d, Mapping):
            raise ModelError(field, d, "a parameter must be a table/dict")
        unknown = sorted(set(d) - {"value", "domain", "meaning", "source"})
        if unknown:
            raise ModelError(
                f"{field}.{unknown[0]}",
                d[unknown[0]],
                "unknown key; allowed: value, domain, meaning, source",
            )
        if not isinstance(name, str) or not _NAME.match(name) or keyword.iskeyword(name):
            raise ModelError(field, name, "parameter names must match ^[A-Za-z][A-Za-z0-9_]*$")
        domain = d.get("domain")
        if domain is not None:
            if isinstance(domain, str | bytes) or not isinstance(domain, Sequence):
                raise ModelError(f"{field}.domain", domain, "must be a pair [lo, hi]")
            if len(domain) != 2:
                raise ModelError(f"{field}.domain", domain, "must be a pair [lo, hi]")
            domain = (
                _number(domain[0], f"{field}.domain[0]"),
                _number(domain[1], f"{field}.domain[1]"),
            )
        value = d.get("value")
        if value is not None:
            value = _number(value, f"{field}.value")
        meaning = d.get("meaning", "")
        source = d.get("source", "")
        for key, text in (("meaning", meaning), ("source", source)):
            if not isinstance(text, str):
                raise ModelError(f"{field}.{key}", text, "must be a string")
        return cls(name=name, domain=domain, value=value, meaning=meaning, source=source)


def _number(value: Any, field: str) -> Fraction:
    exact = as_fraction(value, field)  # NaN and infinities raise here, before any warning
    if is_float_input(value):
        warn_float_input(f"{field}: float {value!r}", stacklevel=3)
    return exact


def _declared(names: Iterable[str] | Mapping[str, Parameter]) -> dict[str, sp.Symbol]:
    if isinstance(names, str):
        names = [names]
    return {n: symbol(n) for n in names}


def _check_text(text: Any, field: str) -> ast.Expression:
    if not isinstance(text, str):
        raise ModelError(field, text, f"expected an expression string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ModelError(field, text, f"expression longer than {MAX_LENGTH} characters")
    if not text.isascii():
        raise ModelError(field, text, "expressions must be ASCII (no look-alike characters)")
    if not text.strip():
        raise ModelError(field, text, "empty expression")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise ModelError(field, text, f"is not a valid expression ({type(exc).__name__})") from exc
    nodes = sum(1 for n in ast.walk(tree) if isinstance(n, ast.expr))
    if nodes > MAX_NODES:
        raise ModelError(field, text, f"expression has {nodes} nodes; the limit is {MAX_NODES}")
    depth = _depth(tree)
    if depth > MAX_DEPTH:
        raise ModelError(field, text, f"expression nesting depth {depth} exceeds {MAX_DEPTH}")
    return tree


def _depth(tree: ast.AST) -> int:
    """Depth of the expression tree, computed without recursion."""
    best = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, d = stack.pop()
        best = max(best, d)
        stack.extend((child, d + 1) for child in ast.iter_child_nodes(node))
    return best


class _Builder:
    """Build sympy objects from an allow-listed Python AST."""

    def __init__(self, text: str, declared: dict[str, sp.Symbol], field: str) -> None:
        self.text = text.strip()
        self.declared = declared
        self.field = field

    def fail(self, reason: str) -> ModelError:
        return ModelError(self.field, self.text, reason)

    # -- arithmetic -------------------------------------------------------------------------
    def expr(self, node: ast.AST) -> sp.Expr:
        out = self._expr(node)
        if out.has(*_UNDEFINED):
            raise self.fail(f"undefined or non-real value ({out}), e.g. division by zero")
        if out.is_Rational and max(abs(out.p).bit_length(), out.q.bit_length()) > MAX_BITS:
            raise self.fail(f"a number in the expression exceeds {MAX_BITS} bits")
        return out

    def _expr(self, node: ast.AST) -> sp.Expr:
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load):
                raise self.fail("assignment is not allowed")
            if node.id not in self.declared:
                declared = ", ".join(sorted(self.declared)) or "(none)"
                hint = " (a function must be called)" if node.id in _FUNCTIONS else ""
                raise self.fail(f"unknown name {node.id!r}{hint}; declared parameters: {declared}")
            return self.declared[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
            inner = self.expr(node.operand)
            return inner if isinstance(node.op, ast.UAdd) else sp.Mul(sp.Integer(-1), inner)
        if isinstance(node, ast.UnaryOp):
            raise self.fail(f"operator {type(node.op).__name__} is not allowed; use + - * / **")
        if isinstance(node, ast.BinOp):
            return self.binop(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        raise self.fail(f"{type(node).__name__} is not allowed in an expression")

    def constant(self, node: ast.Constant) -> sp.Expr:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(f"literal {type(value).__name__} is not allowed; numbers only")
        if isinstance(value, int):
            if abs(value) > MAX_LITERAL:
                raise self.fail("integer literal larger than 10**15")
            return sp.Integer(value)
        segment = ast.get_source_segment(self.text, node) or repr(value)
        try:
            exact = Fraction(Decimal(segment.replace("_", "")))
        except (InvalidOperation, ValueError, OverflowError) as exc:
            raise self.fail(f"number {segment!r} is not finite") from exc
        if abs(exact) > MAX_LITERAL:
            raise self.fail(f"number {segment!r} larger than 10**15")
        if exact and max(exact.numerator.bit_length(), exact.denominator.bit_length()) > MAX_BITS:
            raise self.fail(f"number {segment!r} exceeds {MAX_BITS} bits")
        return sp.Rational(exact.numerator, exact.denominator)

    def binop(self, node: ast.BinOp) -> sp.Expr:
        op = node.op
        if not isinstance(op, ast.Add | ast.Sub | ast.Mult | ast.Div | ast.Pow):
            raise self.fail(f"operator {type(op).__name__} is not allowed; use + - * / **")
        left = self.expr(node.left)
        right = self.expr(node.right)
        if isinstance(op, ast.Add):
            return sp.Add(left, right)
        if isinstance(op, ast.Sub):
            return sp.Add(left, sp.Mul(sp.Integer(-1), right))
        if isinstance(op, ast.Mult):
            return sp.Mul(left, right)
        if isinstance(op, ast.Div):
            if right == 0:
                raise self.fail("division by zero")
            return sp.Mul(left, sp.Pow(right, sp.Integer(-1)))
        return self.power(left, right)

    def power(self, base: sp.Expr, exponent: sp.Expr) -> sp.Expr:
        if exponent.is_Number:
            if abs(exponent) > MAX_EXPONENT:
                raise self.fail(f"numeric exponent {exponent} exceeds {MAX_EXPONENT} in size")
            if base.is_Rational:
                bits = max(abs(base.p).bit_length(), base.q.bit_length())
                if bits * abs(exponent) > MAX_BITS:
                    raise self.fail(f"power would exceed {MAX_BITS} bits")
            if base == 0 and exponent.is_negative:
                raise self.fail("division by zero (0 to a negative power)")
        out = sp.Pow(base, exponent)
        if isinstance(out, sp.Pow) and out.exp.is_Number and abs(out.exp) > MAX_EXPONENT:
            raise self.fail(f"nested powers give exponent {out.exp}, over {MAX_EXPONENT}")
        return out

    def call(self, node: ast.Call) -> sp.Expr:
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS:
            allowed = ", ".join(sorted(_FUNCTIONS))
            raise self.fail(f"only calls to {allowed} are allowed")
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise self.fail(f"{node.func.id}() takes positional arguments only")
        make, lo, hi = _FUNCTIONS[node.func.id]
        if len(node.args) < lo or (hi is not None and len(node.args) > hi):
            want = f"{lo}" if hi == lo else f"{lo} to {hi}"
            raise self.fail(f"{node.func.id}() takes {want} argument(s)")
        args = [self.expr(a) for a in node.args]
        if node.func.id == "log" and args[0] == 0:
            raise self.fail("log(0) is undefined")
        if node.func.id == "exp":
            reason = exp_argument_problem(args[0])
            if reason:
                raise self.fail(reason)
        if make in (sp.Min, sp.Max):
            # sympy compares every pair of arguments under assumptions (seconds for ~20
            # symbolic terms), so wide Min/Max stay unevaluated until numbers are substituted
            width = sum(len(a.args) if a.func == make else 1 for a in args)
            return make(*args, evaluate=width <= _MINMAX_EVALUATE)
        return make(*args)

    # -- conditions -------------------------------------------------------------------------
    def condition(self, node: ast.AST) -> sp.Basic:
        if isinstance(node, ast.BoolOp):
            parts = [self.condition(v) for v in node.values]
            return sp.And(*parts) if isinstance(node.op, ast.And) else sp.Or(*parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return sp.Not(self.condition(node.operand))
        if isinstance(node, ast.Compare):
            ops = {ast.Lt: sp.StrictLessThan, ast.LtE: sp.LessThan}
            ops |= {ast.Gt: sp.StrictGreaterThan, ast.GtE: sp.GreaterThan}
            terms = [self.expr(node.left)] + [self.expr(c) for c in node.comparators]
            parts = []
            for i, op in enumerate(node.ops):
                rel = ops.get(type(op))
                if rel is None:
                    raise self.fail(f"comparison {type(op).__name__} is not allowed; use < <= > >=")
                parts.append(rel(terms[i], terms[i + 1]))
            return sp.And(*parts)
        raise self.fail(
            f"{type(node).__name__} is not a condition; use comparisons joined by and/or/not"
        )


def parse(text: str, names: Iterable[str] | Mapping[str, Parameter], *, field: str) -> sp.Expr:
    """Parse an arithmetic expression in the declared parameter ``names`` (see module doc)."""
    declared = _declared(names)
    tree = _check_text(text, field)
    return _Builder(text, declared, field).expr(tree.body)


def parse_condition(
    text: str, names: Iterable[str] | Mapping[str, Parameter], field: str
) -> sp.Basic:
    """Parse a condition (``"c < 1 - e and e >= 1/2"``) into a sympy Boolean."""
    declared = _declared(names)
    tree = _check_text(text, field)
    out = _Builder(text, declared, field).condition(tree.body)
    if not isinstance(out, sp.logic.boolalg.Boolean):
        raise ModelError(field, text, "is not a condition")
    return out


def substitute(
    expr: sp.Basic, values: Mapping[str | sp.Symbol, Any], *, field: str = "expression"
) -> Fraction | sp.Basic:
    """Substitute parameter values simultaneously (``xreplace``).

    Symbols are matched by name, so ``"x"`` and ``Symbol("x")`` both address the parameter
    ``x``.  A fully numeric rational result is returned as a ``Fraction``; otherwise the
    (partly substituted or irrational) sympy object.  A result that is undefined (``zoo``,
    ``nan``, infinite or non-real), as ``R/(1-d)`` at ``d = 1``, raises ``ModelError``.
    """
    by_name: dict[str, sp.Rational] = {}
    wanted = {s.name for s in expr.free_symbols} if isinstance(expr, sp.Basic) else set()
    for key, raw in values.items():
        name = key.name if isinstance(key, sp.Symbol) else key
        if not isinstance(name, str):
            raise ModelError(field, key, "substitution keys must be names or symbols")
        if name not in wanted:  # only the expression's own symbols are converted
            continue
        value = as_fraction(raw, f"{field}[{name}]")
        rational = sp.Rational(value.numerator, value.denominator)
        if name in by_name and by_name[name] != rational:
            raise ModelError(field, key, f"two different values given for {name!r}")
        by_name[name] = rational
    if not isinstance(expr, sp.Basic):
        return as_fraction(expr, field)
    mapping = {s: by_name[s.name] for s in expr.free_symbols if s.name in by_name}
    out = safe_xreplace(expr, mapping, field)
    if out.has(*_UNDEFINED) or (isinstance(out, sp.Expr) and out.is_finite is False):
        shown = ", ".join(f"{k}={v}" for k, v in sorted(by_name.items()))
        raise ModelError(field, str(expr), f"is undefined at {shown} (gives {out})")
    if isinstance(out, sp.Expr) and out.is_Rational:
        return Fraction(int(out.p), int(out.q))
    if isinstance(out, sp.Expr) and not out.free_symbols and out.is_real is False:
        raise ModelError(field, str(expr), f"is not real at these values (gives {out})")
    return out


def compile_numeric(
    exprs: Sequence[sp.Basic], names: Sequence[str], *, check_finite: bool = True
) -> Callable[..., tuple[np.ndarray, ...]]:
    """Compile expressions once to a vectorised numpy function of the parameters ``names``.

    The returned ``f(*arrays)`` (positional, in the order of ``names``) returns one array
    per expression, broadcast to the common shape; conditions give boolean arrays.  Names are
    validated by :func:`symbol` before code generation, and the generated code uses private
    argument names, so no model text reaches the code generator.  With ``check_finite`` (the
    default) a non-finite value raises ``ModelError`` naming the expression and point.
    """
    symbols = [symbol(n) for n in names]
    if len(set(names)) != len(names):
        raise ModelError("names", list(names), "duplicate parameter names")
    args = [sp.Symbol(f"a{i}", real=True) for i in range(len(symbols))]
    index = {s.name: a for s, a in zip(symbols, args, strict=True)}
    renamed = []
    for k, e in enumerate(exprs):
        if isinstance(e, int | Fraction):
            e = sp.Rational(Fraction(e).numerator, Fraction(e).denominator)
        if not isinstance(e, sp.Basic):
            raise ModelError(f"exprs[{k}]", e, "expected a sympy expression")
        extra = sorted(s.name for s in e.free_symbols if s.name not in index)
        if extra:
            raise ModelError(f"exprs[{k}]", str(e), f"undeclared parameters {extra}")
        renamed.append(e.xreplace({s: index[s.name] for s in e.free_symbols}))
    kernel = sp.lambdify(args, renamed, modules="numpy", cse=True)
    n_args = len(args)

    def evaluate(*arrays: Any) -> tuple[np.ndarray, ...]:
        if len(arrays) != n_args:
            raise ModelError("arguments", len(arrays), f"expected {n_args} arrays ({names})")
        arrs = [np.asarray(a, dtype=float) for a in arrays]
        shape = np.broadcast_shapes(*(a.shape for a in arrs)) if arrs else ()
        if len(arrs) > 1:  # and/or conditions reduce over their parts: give them one shape
            arrs = list(np.broadcast_arrays(*arrs))
        with np.errstate(all="ignore"):
            raw = kernel(*arrs)
        out = tuple(np.broadcast_to(_as_array(r), shape) for r in raw)
        if check_finite:
            for k, r in enumerate(out):
                if r.dtype != bool and not np.all(np.isfinite(r)):
                    bad = np.argwhere(~np.isfinite(r))[0] if r.ndim else ()
                    point = {
                        n: float(a[tuple(bad)] if a.ndim else a)
                        for n, a in zip(names, np.broadcast_arrays(*arrs), strict=True)
                    }
                    raise ModelError(f"exprs[{k}]", str(exprs[k]), f"is undefined at {point}")
        return out

    return evaluate


def _as_array(value: Any) -> np.ndarray:
    arr = np.asarray(value)
    return arr if arr.dtype == bool else arr.astype(float)
