"""Shared machinery of the closed-form models in :mod:`negotiate.theory`.

Pattern (every model follows it)::

    class Model(ModelBase):
        win = Spec("challenger's payoff from winning")          # declared once:
        credibility = Spec("P(defender is Hard)", UNIT, "1/2")   # meaning, domain, default

    model = Model(param=value, ...)        # frozen; values are numbers or sympy symbols
    result = model.solve()                  # frozen result; fields are Fractions or sympy
    result.verify()                         # Certificate: the equilibrium conditions checked
    result.summary()                        # Summary with text/markdown/html renderers
    model.solve_for("param")                # the key condition solved for one parameter
    model.as_tree() / model.as_game()       # the explicit game, for cross-checks

Numbers are converted exactly (``"0.1"`` is 1/10, floats by their shortest repr).  A sympy
``Symbol`` (or expression) keeps the model symbolic; results are then sympy expressions or
``Piecewise``/Boolean conditions, never evaluated to ``zoo`` or ``nan``: degenerate parameter
cases raise :class:`~negotiate.errors.ModelError` or are documented as such.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import FrozenInstanceError, fields, is_dataclass
from fractions import Fraction
from typing import Any, ClassVar, TypeAlias

import sympy as sp

from negotiate._exact import as_fraction, is_float_input, to_sympy, warn_float_input
from negotiate.errors import ModelError
from negotiate.results import Summary, Table

__all__ = [
    "NONNEG",
    "POSITIVE",
    "REQUIRED",
    "UNIT",
    "DeclaredModel",
    "Interval",
    "Param",
    "Spec",
    "check_interval",
    "is_symbolic",
    "param",
    "result_summary",
    "to_exact_or_sympy",
    "to_sympy",
]

#: A model parameter: an exact number or a sympy expression.
Param: TypeAlias = Fraction | sp.Expr
#: ``(lo, hi, lo_open, hi_open)``; ``None`` bounds are infinite.
Interval: TypeAlias = tuple[Fraction | int | None, Fraction | int | None, bool, bool]
#: ``[0, 1]``, ``[0, inf)`` and ``(0, inf)``.
UNIT: Interval = (0, 1, False, False)
NONNEG: Interval = (0, None, False, False)
POSITIVE: Interval = (0, None, True, False)


def is_symbolic(*values: Any) -> bool:
    """True if any value is a sympy expression with free symbols."""
    return any(isinstance(v, sp.Basic) and bool(v.free_symbols) for v in values)


def param(value: Any, field: str) -> Param:
    """Convert a model parameter: sympy expressions with symbols stay, numbers become exact."""
    if isinstance(value, sp.Basic):
        if value.free_symbols:
            if not isinstance(value, sp.Expr):
                raise ModelError(field, value, "expected a number or a sympy expression")
            return value
        if value.is_Rational:
            return Fraction(int(value.p), int(value.q))
        raise ModelError(field, value, "symbolic constants must be rational numbers")
    return as_fraction(value, field)


def to_exact_or_sympy(expr: Any) -> Param:
    """Back from sympy: a ``Fraction`` when the value is rational, else the expression."""
    if isinstance(expr, Fraction):
        return expr
    if isinstance(expr, str):
        raise TypeError("to_exact_or_sympy takes numbers or sympy objects, never text")
    expr = sp.nsimplify(expr) if isinstance(expr, float) else sp.sympify(expr)  # safe: no text
    if expr.is_Rational:
        return Fraction(int(expr.p), int(expr.q))
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ModelError("result", expr, "is undefined at these parameters (degenerate case)")
    return expr


def check_interval(
    value: Param,
    field: str,
    lo: Fraction | int | None,
    hi: Fraction | int | None,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
) -> None:
    """Raise ``ModelError`` if a numeric ``value`` lies outside the interval (symbols pass)."""
    if isinstance(value, sp.Basic):
        return
    bad = (lo is not None and (value < lo or (lo_open and value == lo))) or (
        hi is not None and (value > hi or (hi_open and value == hi))
    )
    if bad:
        left = "(" if lo_open else "["
        right = ")" if hi_open else "]"
        lo_s = "-inf" if lo is None else str(lo)
        hi_s = "inf" if hi is None else str(hi)
        raise ModelError(field, value, f"must lie in {left}{lo_s}, {hi_s}{right}")


def result_summary(result: Any, title: str, notes: tuple[str, ...] = ()) -> Summary:
    """A :class:`Summary` listing a frozen result's public dataclass fields."""
    if not is_dataclass(result):
        raise TypeError("result_summary expects a dataclass instance")
    rows = tuple(
        (f.name, getattr(result, f.name))
        for f in fields(result)
        if not f.name.startswith("_") and f.name != "model"
    )
    return Summary(title=title, fields=rows, notes=notes)


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


#: The default of a parameter that must be given.
REQUIRED: Any = _Required()


class Spec:
    """One declared model parameter: its ``meaning``, ``domain``, ``default``.

    A class attribute ``name = Spec(...)`` of a :class:`DeclaredModel` declares the parameter
    ``name`` (constructor argument, attribute, validation and symbolic mode, in declared
    order).  ``size=2`` declares a pair (each entry checked as ``name[i]``; ``optional``
    entries may be None; the whole pair may be None when the default is None).  ``convert``
    maps the raw argument first (e.g. None to 0).  ``option=True`` declares a setting that
    is not an exact number (an integer horizon, say), checked by ``check(value, name)``.
    """

    __slots__ = (
        "check",
        "convert",
        "default",
        "domain",
        "meaning",
        "name",
        "option",
        "optional",
        "size",
    )

    def __init__(
        self,
        meaning: str,
        domain: Interval | None = None,
        default: Any = REQUIRED,
        *,
        size: int | None = None,
        optional: bool = False,
        convert: Callable[[Any], Any] | None = None,
        option: bool = False,
        check: Callable[[Any, str], Any] | None = None,
    ) -> None:
        self.name = ""
        self.meaning = meaning
        self.domain = domain
        self.default = default
        self.size = size
        self.optional = optional
        self.convert = convert
        self.option = option
        self.check = check

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return self
        raise AttributeError(f"{type(obj).__name__}.{self.name} is not set")

    def __repr__(self) -> str:
        return (
            f"Spec({self.name!r}, {self.meaning!r}, domain={self.domain}, default={self.default})"
        )

    def interval_text(self) -> str:
        """The domain as text, e.g. ``(0, 1]``."""
        if self.domain is None:
            return "any"
        lo, hi, lo_open, hi_open = self.domain
        left, right = "(" if lo_open or lo is None else "[", ")" if hi_open or hi is None else "]"
        return f"{left}{'-inf' if lo is None else lo}, {'inf' if hi is None else hi}{right}"


class DeclaredModel:
    """A frozen model whose parameters are declared once, as :class:`Spec` class attributes.

    From the declarations it builds the constructor (positional and keyword arguments in
    declared order, defaults as declared), the validation (:class:`ModelError` naming the
    field and the value), exact conversion (``"0.1"`` is 1/10; floats warn), the symbolic
    mode (when any parameter has free symbols every parameter is held as sympy), equality,
    hashing and ``repr``.  ``_validate`` checks conditions across parameters.
    """

    _SPECS: ClassVar[tuple[Spec, ...]] = ()
    #: Scalar exact/symbolic parameters (those ``solve_for`` may solve for), in order.
    _PARAMS: ClassVar[tuple[str, ...]] = ()
    _DOMAINS: ClassVar[Mapping[str, Interval]] = {}
    _OPTIONS: ClassVar[tuple[str, ...]] = ()
    _SIGNATURE: ClassVar[inspect.Signature] = inspect.Signature()
    float_input: bool

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        specs: dict[str, Spec] = {}
        for klass in reversed(cls.__mro__):
            specs.update({n: v for n, v in vars(klass).items() if isinstance(v, Spec)})
        cls._SPECS = tuple(specs.values())
        cls._PARAMS = tuple(s.name for s in cls._SPECS if not s.option and s.size is None)
        cls._DOMAINS = {n: domain for n in cls._PARAMS if (domain := specs[n].domain) is not None}
        cls._OPTIONS = tuple(s.name for s in cls._SPECS if s.option)
        kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
        cls._SIGNATURE = inspect.Signature(
            [
                inspect.Parameter(
                    s.name,
                    kind,
                    default=inspect.Parameter.empty if s.default is REQUIRED else s.default,
                )
                for s in cls._SPECS
            ]
        )
        cls.__signature__ = cls._SIGNATURE  # type: ignore[attr-defined]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        specs = self._SPECS
        if len(args) > len(specs) or any(s.name in kwargs for s in specs[: len(args)]):
            self._SIGNATURE.bind(*args, **kwargs)  # raises the TypeError Python would
        values = {s.name: v for s, v in zip(specs, args, strict=False)}
        for spec in specs[len(args) :]:
            values[spec.name] = kwargs.get(spec.name, spec.default)
        unknown = any(k not in values for k in kwargs)
        if unknown or any(v is REQUIRED for v in values.values()):
            self._SIGNATURE.bind(*args, **kwargs)  # unexpected or missing: TypeError
        self._setup(**values)
        self._validate()

    def _setup(self, **values: Any) -> None:
        converted: dict[str, Any] = {}
        floats: list[str] = []

        def exact(value: Any, field: str, spec: Spec) -> Param:
            if is_float_input(value):
                floats.append(field)
            out = param(value, field)
            if spec.domain is not None:
                lo, hi, lo_open, hi_open = spec.domain
                check_interval(out, field, lo, hi, lo_open=lo_open, hi_open=hi_open)
            return out

        for spec in self._SPECS:
            raw = values[spec.name]
            if spec.convert is not None:
                raw = spec.convert(raw)
            if spec.option:
                converted[spec.name] = raw if spec.check is None else spec.check(raw, spec.name)
            elif spec.size is None:
                converted[spec.name] = exact(raw, spec.name, spec)
            elif raw is None and spec.default is None:
                converted[spec.name] = None
            else:
                if isinstance(raw, str) or not isinstance(raw, Sequence) or len(raw) != spec.size:
                    what = "a pair" if spec.size == 2 else f"{spec.size} values"
                    raise ModelError(spec.name, raw, f"expected {what}")
                converted[spec.name] = tuple(
                    None if v is None and spec.optional else exact(v, f"{spec.name}[{i}]", spec)
                    for i, v in enumerate(raw)
                )
        if floats:
            warn_float_input(f"float parameters {floats}", stacklevel=3)
        symbolic = is_symbolic(*self._flat(converted))
        for spec in self._SPECS:
            value = converted[spec.name]
            if symbolic and not spec.option:
                if isinstance(value, tuple):
                    value = tuple(None if v is None else to_sympy(v) for v in value)
                elif value is not None:
                    value = to_sympy(value)
            object.__setattr__(self, spec.name, value)
        object.__setattr__(self, "float_input", bool(floats))

    def _flat(self, values: Mapping[str, Any]) -> list[Any]:
        out: list[Any] = []
        for spec in self._SPECS:
            value = None if spec.option else values[spec.name]
            if value is None:
                continue
            out += [v for v in value if v is not None] if isinstance(value, tuple) else [value]
        return out

    def _validate(self) -> None:
        """Conditions across parameters (raise :class:`ModelError`); none by default."""

    @property
    def symbolic(self) -> bool:
        """True when any parameter carries free symbols."""
        return is_symbolic(*self._flat(self.parameters()))

    def parameters(self) -> dict[str, Any]:
        """The model's exact or symbolic parameters by name (pairs as tuples)."""
        return {s.name: getattr(self, s.name) for s in self._SPECS if not s.option}

    def _kwargs(self) -> dict[str, Any]:
        return {s.name: getattr(self, s.name) for s in self._SPECS}

    @classmethod
    def specs(cls) -> tuple[Spec, ...]:
        """The declared parameters: name, meaning, domain and default of each."""
        return cls._SPECS

    @classmethod
    def parameter_summary(cls) -> Summary:
        """The declarations as a table: parameter, domain, default and meaning."""
        rows = tuple(
            (
                s.name,
                "(setting)" if s.option else s.interval_text(),
                "required" if s.default is REQUIRED else str(s.default),
                s.meaning,
            )
            for s in cls._SPECS
        )
        table = Table("parameters", ("parameter", "domain", "default", "meaning"), rows)
        return Summary(f"{cls.__name__}: parameters", tables=(table,))

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._kwargs() == other._kwargs()

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(self._kwargs().values())))

    def __repr__(self) -> str:
        args = ", ".join(f"{n}={_show(v)}" for n, v in self._kwargs().items())
        return f"{type(self).__name__}({args})"


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    if isinstance(value, Fraction | sp.Basic):
        return (
            f"'{value}'" if isinstance(value, Fraction) and value.denominator != 1 else str(value)
        )
    return repr(value)
