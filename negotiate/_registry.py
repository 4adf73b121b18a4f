"""Method registries: ``method=`` names mapped to solvers that declare what they accept.

In the manner of cvxpy's solver interface, every solver declares ``accepts(obj) -> str | None``
(``None`` when it fits, else the reason it does not).  Dispatch rejects an unknown name with the
list of valid ones (:class:`ModelError`), and a method that does not fit the object with the
list of methods that do (:class:`NotApplicableError`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from negotiate.errors import ModelError, NotApplicableError

__all__ = ["Method", "Registry"]

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Method(Generic[F]):
    """A registered method: its name, what it does, the solver, and its applicability test."""

    name: str
    description: str
    solve: F
    accepts: Callable[[Any], str | None]


class Registry(Generic[F]):
    """An ordered table of methods for one task (e.g. ``"nash_equilibria"``)."""

    def __init__(self, task: str) -> None:
        self.task = task
        self._methods: dict[str, Method[F]] = {}

    def register(
        self,
        name: str,
        description: str,
        accepts: Callable[[Any], str | None] = lambda obj: None,
    ) -> Callable[[F], F]:
        """Decorator: register ``solve`` under ``name``."""

        def deco(solve: F) -> F:
            if name in self._methods:
                raise ValueError(f"method {name!r} already registered for {self.task}")
            self._methods[name] = Method(name, description, solve, accepts)
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
            valid = ", ".join(repr(n) for n in self._methods)
            raise ModelError(field, name, f"unknown method for {self.task}; valid: {valid}")
        method = self._methods[name]
        reason = method.accepts(obj)
        if reason is not None:
            raise NotApplicableError(
                f"method {name!r} does not apply: {reason}", self.applicable(obj)
            )
        return method
