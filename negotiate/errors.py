"""Errors and warnings raised by negotiate.

Every failure is an exception; no function returns ``None``, ``False`` or ``nan`` in place
of a failed computation.  ``None`` in a result always means *absent* (for example, no deal).

Hierarchy::

    NegotiateError
    ├── ModelError (also ValueError)      bad input: names the field path and the value
    │   └── InconsistentEpisodesError     no prior draw reproduces every dated episode
    ├── SolverError                       a solver failed: names solver, status, residual
    ├── NotApplicableError                method does not fit the game: names those that do
    └── TooLargeError                     estimated cost over budget: says what to do instead

    NegotiateWarning (UserWarning)
    ├── FloatInputWarning                 floats were read as their shortest decimal repr
    ├── DegenerateWarning                 a degenerate game or parameter case was met
    └── RenamedLabelWarning               repeated labels in a file were renamed
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "DegenerateWarning",
    "FloatInputWarning",
    "InconsistentEpisodesError",
    "ModelError",
    "NegotiateError",
    "NegotiateWarning",
    "NotApplicableError",
    "RenamedLabelWarning",
    "SolverError",
    "TooLargeError",
    "show_value",
]

_MAX_SHOWN = 80


def show_value(value: Any) -> str:
    """Render ``value`` for an error message, truncated so huge inputs are never echoed."""
    try:
        text = repr(value)
    except Exception:  # a hostile __repr__ must not hide the real error
        text = f"<{type(value).__name__}>"
    if len(text) > _MAX_SHOWN:
        text = text[: _MAX_SHOWN - 3] + "..."
    return text


class NegotiateError(Exception):
    """Root of every error raised by negotiate."""


class ModelError(NegotiateError, ValueError):
    """Malformed or out-of-domain input.

    ``field`` is the path of the offending entry (``"payoffs[1][2][0]"``), ``value`` the value
    found there, and ``reason`` what is wrong with it.
    """

    def __init__(self, field: str, value: Any = None, reason: str = "is invalid") -> None:
        self.field = field
        self.value = value
        self.reason = reason
        shown = "" if value is None else f" = {show_value(value)}"
        super().__init__(f"{field}{shown}: {reason}")


class InconsistentEpisodesError(ModelError):
    """No prior draw reproduces every episode of a calibration.

    ``conflict`` is a minimal set of episodes that no draw reproduces together (dropping any
    one of them leaves draws that fit the rest); ``draws`` is the number of draws tried.
    """

    def __init__(self, conflict: Sequence[str], draws: int) -> None:
        self.conflict = tuple(conflict)
        self.draws = draws
        super().__init__(
            "episodes",
            list(self.conflict),
            f"no draw of {draws} reproduces these episodes together (a minimal conflicting "
            "set); revise their overrides or widen the priors",
        )


class SolverError(NegotiateError):
    """A numerical or combinatorial solver did not produce a verified answer."""

    def __init__(
        self,
        message: str,
        *,
        solver: str,
        status: str = "failed",
        residual: float | None = None,
    ) -> None:
        self.solver = solver
        self.status = status
        self.residual = residual
        extra = f" (solver={solver}, status={status}"
        extra += f", residual={residual:.3g})" if residual is not None else ")"
        super().__init__(message + extra)


class NotApplicableError(NegotiateError):
    """A method was asked of a game it does not fit; ``applicable`` lists those that do."""

    def __init__(self, message: str, applicable: Sequence[str] = ()) -> None:
        self.applicable = tuple(applicable)
        if self.applicable:
            message += "; applicable methods: " + ", ".join(repr(m) for m in self.applicable)
        super().__init__(message)


class TooLargeError(NegotiateError):
    """The estimated cost of a computation is over its budget."""

    def __init__(self, message: str, *, cost: float, budget: float, instead: str) -> None:
        self.cost = cost
        self.budget = budget
        self.instead = instead
        super().__init__(
            f"{message}: estimated cost {cost:.3g} exceeds the budget {budget:.3g}. {instead}"
        )


class NegotiateWarning(UserWarning):
    """Root of every warning issued by negotiate."""


class FloatInputWarning(NegotiateWarning):
    """Binary floats were given; each was read exactly as its shortest decimal representation."""


class DegenerateWarning(NegotiateWarning):
    """A degenerate game or parameter case: the answer is a set, a boundary, or undefined."""


class RenamedLabelWarning(NegotiateWarning):
    """Labels that must differ (players, a player's strategies) repeat in an input file and
    were renamed ``label_1``, ``label_2``, ... as Gambit renames them."""
