"""Method registries: the one dispatch rule behind every ``method=`` argument.

In the manner of cvxpy's solver interface and ``scipy.optimize.minimize``, every family of
algorithms keeps a :class:`Registry`.  Each method declares

* ``accepts(obj) -> str | None``: ``None`` when it fits the input, else the reason it does not;
* ``options``: the keyword options it takes (anything else is refused, naming the methods that
  do take it);
* ``auto``: whether ``method="auto"`` may choose it.

The rule, the same in every family:

* ``method="auto"`` runs the **first method, in the family's order of preference, that is
  eligible for auto, accepts the input and takes the options given**.  Each family lists its
  exact and complete methods first, so "auto" means "the most complete exact answer this
  input admits".
* ``method="<name>"`` runs that method; an unknown name raises :class:`ModelError` listing the
  valid ones, and a method that does not fit the input raises :class:`NotApplicableError`
  listing those that do.
* ``method=<callable>`` runs the callable as ``method(obj, **options)``: a user's own algorithm
  in place of a registered one.  Its result is still checked by the family's ``verify()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from negotiate.errors import ModelError, NotApplicableError

__all__ = ["Method", "Registry"]

F = TypeVar("F", bound=Callable[..., Any])


def _accepts_anything(obj: Any) -> str | None:
    return None


@dataclass(frozen=True)
class Method(Generic[F]):
    """A registered method: its name, what it does, the solver, its applicability test, the
    options it takes, and whether ``"auto"`` may choose it."""

    name: str
    description: str
    solve: F
    accepts: Callable[[Any], str | None]
    options: frozenset[str] | None = frozenset()
    auto: bool = True

    def check_options(self, options: Mapping[str, Any], registry: Registry[Any]) -> None:
        """Refuse an option this method does not take, naming the methods that take it."""
        if self.options is None:  # a user's callable takes what it takes
            return
        for name, value in options.items():
            if name not in self.options:
                users = sorted(m.name for m in registry if m.options and name in m.options)
                raise ModelError(
                    name, value, f"is not an option of method {self.name!r}; used by {users}"
                )


class Registry(Generic[F]):
    """An ordered table of methods for one task (e.g. ``"nash_equilibria"``); the order is the
    order of preference of ``method="auto"``."""

    def __init__(self, task: str) -> None:
        self.task = task
        self._methods: dict[str, Method[F]] = {}

    def register(
        self,
        name: str,
        description: str,
        accepts: Callable[[Any], str | None] = _accepts_anything,
        *,
        options: Iterable[str] = (),
        auto: bool = True,
    ) -> Callable[[F], F]:
        """Decorator: register ``solve`` under ``name``."""
        if name == "auto":
            raise ValueError("'auto' is the dispatch rule, not a method name")

        def deco(solve: F) -> F:
            if name in self._methods:
                raise ValueError(f"method {name!r} already registered for {self.task}")
            self._methods[name] = Method(
                name, description, solve, accepts, frozenset(options), auto
            )
            return solve

        return deco

    def names(self) -> tuple[str, ...]:
        return tuple(self._methods)

    def __iter__(self) -> Iterator[Method[F]]:
        return iter(self._methods.values())

    def applicable(self, obj: Any) -> tuple[str, ...]:
        """Names of the methods that accept ``obj``."""
        return tuple(m.name for m in self._methods.values() if m.accepts(obj) is None)

    def get(self, name: str, obj: Any, field: str = "method") -> Method[F]:
        """The method called ``name``, checked against ``obj``."""
        if not isinstance(name, str) or name not in self._methods:
            valid = ", ".join(repr(n) for n in ("auto", *self._methods))
            raise ModelError(field, name, f"unknown method for {self.task}; valid: {valid}")
        method = self._methods[name]
        reason = method.accepts(obj)
        if reason is not None:
            raise NotApplicableError(
                f"method {name!r} does not apply: {reason}", self.applicable(obj)
            )
        return method

    def auto(self, obj: Any, options: Iterable[str] = ()) -> Method[F]:
        """The first method eligible for ``"auto"`` that accepts ``obj`` and takes every
        option named in ``options``."""
        wanted = set(options)
        reasons = []
        for method in self._methods.values():
            if not method.auto:
                continue
            missing = wanted - (method.options or set())
            if missing:
                reasons.append(f"{method.name}: takes no option {sorted(missing)}")
                continue
            reason = method.accepts(obj)
            if reason is None:
                return method
            reasons.append(f"{method.name}: {reason}")
        raise NotApplicableError(
            f"'auto' found no method for {self.task} that fits: " + "; ".join(reasons),
            self.applicable(obj),
        )

    def resolve(
        self,
        method: str | Callable[..., Any],
        obj: Any,
        field: str = "method",
        options: Iterable[str] = (),
    ) -> Method[F]:
        """The method that ``method=`` names: ``"auto"``, a registered name, or a callable
        (``options`` are the option names given, which ``"auto"`` must honour)."""
        if callable(method) and not isinstance(method, str):
            name = getattr(method, "__name__", type(method).__name__)
            solve = cast(F, method)
            return Method(
                f"custom:{name}", "a user-supplied callable", solve, _accepts_anything, None, False
            )
        if method == "auto":
            return self.auto(obj, options)
        return self.get(method, obj, field)

    def run(
        self, method: str | Callable[..., Any], obj: Any, /, **options: Any
    ) -> tuple[Method[F], Any]:
        """Resolve ``method`` for ``obj``, check ``options`` (``None`` values mean "not given")
        against what it declares, and run it: ``(method, result)``."""
        given = {k: v for k, v in options.items() if v is not None}
        chosen = self.resolve(method, obj, options=given)
        chosen.check_options(given, self)
        return chosen, chosen.solve(obj, **given)
