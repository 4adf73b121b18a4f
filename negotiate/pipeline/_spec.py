"""What every stage receives: the structure of a model (``Spec``) and the stage record.

A ``Spec`` is the part of a scenario that does not change from one parameter point to the
next: the players, the no-deal game (a tree family), and the *expressions* of every
quantity a stage reads (issue weights, hazards, floors, conditions ...).  It is built by the
scenario layer (:func:`negotiate.scenario.evaluate.pipeline_spec`) and is the whole contract
between a scenario file and the stages: a stage never sees the file.

Inputs are addressed by *field paths* such as ``"commitment.hazard"`` or
``"issues.energy.weights.Iran"``, which are also the field names of the errors raised on bad
values.  The exact path evaluates them lazily at a point (:class:`ExactInputs`, Fractions);
the array path evaluates them once per chunk of points (float arrays) and passes a plain
mapping with the same keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy as sp

from negotiate.errors import ModelError
from negotiate.expr import substitute

__all__ = [
    "DiscreteInput",
    "ExactInputs",
    "IssueInput",
    "ScreeningInput",
    "Spec",
    "Stage",
    "evaluate",
]


@dataclass(frozen=True)
class IssueInput:
    """One issue: its name, each player's weight and its reversible share (expressions)."""

    name: str
    weights: tuple[Any, Any]
    reversible: Any


@dataclass(frozen=True)
class DiscreteInput:
    """One discrete issue: its options, each option's value to each player and each
    player's red line on it (1 acceptable, 0 not), as expressions."""

    name: str
    options: tuple[str, ...]
    values: tuple[tuple[Any, Any], ...]
    acceptable: tuple[tuple[Any, Any], ...]


@dataclass(frozen=True)
class ScreeningInput:
    """Incomplete information: the ``informed`` player's index, the offer ``protocol``
    ("nash" or "ultimatum") and its types ``(name, probability, premium)`` (expressions)."""

    informed: int
    protocol: str
    types: tuple[tuple[str, Any, Any], ...]


@dataclass(frozen=True)
class Spec:
    """The structure of a two-player model, as the stages read it (see the module docstring).

    ``commitment`` holds the expressions of patience, hazard and guarantee (or None);
    ``hazard_types`` the promiser's types ``(name, probability, hazard)`` when its type is
    unknown (then kappa is the expectation over the types);
    ``beneficiary`` the index of the player whose reversible concessions are discounted;
    ``tree`` the no-deal game (a tree family, bound at each point on ``tree_names``);
    ``points`` the outcome points of a model without issues; ``floors`` each player's
    ratification floor; ``discrete`` the discrete issues (options and red lines);
    ``screening`` the incomplete-information layer (or None); ``conditions``
    ``(name, condition)`` pairs; ``solution`` the bargaining solution ("nash" or
    "kalai_smorodinsky").
    """

    players: tuple[str, str]
    tree: Any = None
    tree_names: tuple[str, ...] = ()
    war_actions: tuple[str, ...] = ()
    agreement_actions: tuple[str, ...] = ()
    commitment: tuple[Any, Any, Any] | None = None
    hazard_types: tuple[tuple[str, Any, Any], ...] = ()
    beneficiary: int = 0
    issues: tuple[IssueInput, ...] = ()
    discrete: tuple[DiscreteInput, ...] = ()
    screening: ScreeningInput | None = None
    points: tuple[tuple[Any, Any], ...] | None = None
    disagreement: tuple[Any, Any] | None = None
    floors: Mapping[str, Any] = field(default_factory=dict)
    power: tuple[Any, Any] | None = None
    conditions: tuple[tuple[str, Any], ...] = ()
    solution: str = "nash"
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def has_bargaining(self) -> bool:
        """Whether the model has a bargaining layer (issues or outcome points)."""
        return bool(self.issues) or self.points is not None


def evaluate(expr: Any, values: Mapping[str, Fraction], field: str) -> Fraction:
    """The exact value of ``expr`` at ``values``; ``ModelError`` under ``field`` otherwise."""
    out = substitute(expr, values, field=field)
    if not isinstance(out, Fraction):
        raise ModelError(field, str(expr), f"does not evaluate to a rational number (got {out})")
    return out


class ExactInputs(Mapping[str, Fraction]):
    """The stage inputs at one point, evaluated exactly on first use (in the order the
    stages ask for them, so the first bad field is the one reported); ``env`` holds the
    parameter values (derived quantities included)."""

    def __init__(self, exprs: Mapping[str, Any], values: Mapping[str, Fraction]) -> None:
        self._exprs = exprs
        self.env = values
        self._memo: dict[str, Fraction] = {}

    def __getitem__(self, key: str) -> Fraction:
        if key not in self._memo:
            self._memo[key] = evaluate(self._exprs[key], self.env, key)
        return self._memo[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._exprs)

    def __len__(self) -> int:
        return len(self._exprs)


Fields = Callable[[Spec], list[tuple[str, Any]]]
Run = Callable[[Spec, Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Stage:
    """One stage of the pipeline: its input fields and its two implementations.

    ``fields(spec)`` lists the ``(field path, expression)`` inputs both paths evaluate;
    ``array_fields(spec)`` extra inputs only the array path evaluates (the exact path reads
    the parameter values directly there).  ``exact(spec, frame)`` and ``array(spec, frame)``
    read the inputs (``frame["in"]``) and the outputs of earlier stages from ``frame`` and
    return their own outputs: the exact one exactly those named in ``writes``; the array one
    those a sweep reads, under the same names, plus array-only ones such as ``near`` (the
    points within the tie tolerance, reported as ``boundary``).
    """

    name: str
    meaning: str
    writes: tuple[str, ...]
    fields: Fields
    exact: Run
    array: Run
    array_fields: Fields | None = None


def no_fields(spec: Spec) -> list[tuple[str, Any]]:
    """A stage that reads no expressions of its own."""
    return []


def is_relational(expr: Any) -> bool:
    return isinstance(expr, sp.core.relational.Relational)
