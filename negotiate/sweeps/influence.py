"""Which parameters of the no-deal game move anything: the outcome or a tipping point.

A parameter of the no-deal tree (used by it directly or through a derived quantity) is
*influential* when, moved alone over the tipping-point scan grid of its domain (21 equally
spaced points and its value), it changes the outcome at the baseline or at one of the file's
variants, either

1. with every other parameter held, or
2. with one lever of ``[analysis] levers`` held at a point of that lever's own scan grid:
   a parameter that moves the lever's tipping point changes the outcome at the lever values
   between the old and the new threshold.

Otherwise it is *inert* on that grid, and the file must say so and why, in
``[analysis] inert = { NAME = "reason" }``; the report lists those parameters with their
reasons.  :meth:`InfluenceCheck.verify` fails when a tree parameter is neither influential
nor listed, or when a listed one is influential after all (a wrong claim in the file).
The scan is finite: "inert" means that no grid point moved anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negotiate.errors import ModelError
from negotiate.results import Certificate, ResultMixin, Summary, Table

__all__ = ["Influence", "InfluenceCheck", "check_influence", "tree_parameters"]


@dataclass(frozen=True)
class Influence:
    """One tree parameter: what its scan moved (``witness``, None when nothing did) and the
    reason the file gives for listing it as inert (None when it is not listed)."""

    parameter: str
    witness: str | None
    inert_reason: str | None

    @property
    def consistent(self) -> bool:
        """Influential and not listed, or inert and listed."""
        return (self.witness is None) == (self.inert_reason is not None)


@dataclass(frozen=True)
class InfluenceCheck(ResultMixin):
    """The influence of every parameter of a scenario's no-deal game."""

    scenario: str
    items: tuple[Influence, ...]

    @property
    def inert(self) -> tuple[Influence, ...]:
        return tuple(i for i in self.items if i.witness is None)

    def verify(self) -> Certificate:
        """Every tree parameter is influential or listed as inert, never both."""
        bad = [i for i in self.items if not i.consistent]
        quantities: dict[str, Any] = {
            "parameters": len(self.items),
            "unlisted_inert": [i.parameter for i in bad if i.witness is None],
            "listed_but_influential": [i.parameter for i in bad if i.witness is not None],
        }
        return Certificate(
            ok=not bad,
            quantities=quantities,
            checks=("every tree parameter is influential or listed as inert, never both",),
        )

    def summary(self) -> Summary:
        rows = [
            (i.parameter, i.witness or "nothing moves", i.inert_reason or "") for i in self.items
        ]
        return Summary(
            title=f"Influence of the no-deal game's parameters: {self.scenario}",
            tables=(
                Table("Parameters", ("parameter", "moves", "listed inert because"), tuple(rows)),
            ),
        )

    def __repr__(self) -> str:
        return (
            f"<InfluenceCheck {self.scenario!r}: {len(self.items)} tree parameters, "
            f"{len(self.inert)} inert>"
        )


def tree_parameters(scenario: Any) -> tuple[str, ...]:
    """The parameters the no-deal tree depends on, directly or through derived quantities,
    in declaration order."""
    if scenario.deterrence is None:
        return ()
    derived = dict(scenario.derived)
    seen: set[str] = set()
    stack = list(scenario.deterrence["names"])
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in derived:
            stack.extend(sym.name for sym in derived[name].free_symbols)
    return tuple(p for p in scenario.parameters if p in seen)


def check_influence(scenario: Any) -> InfluenceCheck:
    """Scan every tree parameter of ``scenario`` (see the module docstring).

    The scans run on the vectorised pipeline (floats, one batch per parameter and context);
    every witness is then confirmed by the exact pipeline at its two points.  An "inert"
    verdict rests on the float scan: a change hidden by a float tie (within ``1e-12``) at
    every grid point would go unseen.
    """
    names = tree_parameters(scenario)
    for name in scenario.inert:
        if name not in names:
            raise ModelError(f"analysis.inert.{name}", name, "not a parameter of the no-deal game")
    witness: dict[str, str] = {}
    for variant in (None, *scenario.variants):
        todo = [n for n in names if n not in witness]
        for name, found in witnesses(scenario, todo, variant).items():
            where = f"variant {variant}" if variant else "the baseline"
            witness[name] = f"{found} ({where})"
    items = tuple(Influence(name, witness.get(name), scenario.inert.get(name)) for name in names)
    return InfluenceCheck(scenario.name, items)


def witnesses(
    scenario: Any,
    names: Any,
    variant: str | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """For each of ``names`` that moves the outcome at one context (the values after
    ``variant`` and ``overrides``), alone or along a lever, the exactly confirmed witness."""
    from negotiate.uncertainty.evaluate import Evaluator

    names = [n for n in names if _scannable(scenario, n)]
    if not names:
        return {}
    axes = [lv for lv in scenario.levers if scenario.parameters[lv].domain is not None]
    ev = Evaluator(
        scenario,
        list(dict.fromkeys([*names, *axes])),
        variant=variant,
        overrides=_exact_overrides(scenario, overrides),
    )
    cache: dict[Any, Any] = {}
    out = {}
    for name in names:
        found = _scan(scenario, ev, name, axes, cache)
        if found is not None:
            out[name] = found
    return out


def _scannable(scenario: Any, name: str) -> bool:
    domain = scenario.parameters[name].domain
    return domain is not None and domain[0] != domain[1]


def _exact_overrides(
    scenario: Any, overrides: Mapping[str, Any] | None
) -> dict[str, Fraction] | None:
    if not overrides:
        return None
    from negotiate.scenario.evaluate import check_overrides

    return check_overrides(overrides, scenario.parameters, "overrides")


def _scan(scenario: Any, ev: Any, name: str, axes: list[str], cache: dict[Any, Any]) -> str | None:
    """A witness, confirmed exactly, that moving ``name`` over its grid changes the outcome
    at the context's values (``ev``) or at some grid value of one lever in ``axes``."""
    import numpy as np

    from negotiate.scenario.analysis import outcome_at
    from negotiate.scenario.tipping import grid_points

    base = dict(ev.values)
    xs = [base[name], *grid_points(scenario.parameters[name].domain, base[name])]
    lines: list[tuple[str | None, Fraction]] = [(None, Fraction(0))]
    for lever in axes:
        if lever != name:
            domain = scenario.parameters[lever].domain
            lines += [(lever, a) for a in grid_points(domain, base[lever])]
    columns = ev.names
    rows = np.tile([float(base[c]) for c in columns], (len(lines) * len(xs), 1))
    j = columns.index(name)
    rows[:, j] = np.tile([float(x) for x in xs], len(lines))
    for r, (axis, a) in enumerate(lines):
        if axis is not None:
            rows[r * len(xs) : (r + 1) * len(xs), columns.index(axis)] = float(a)
    codes = ev.run(rows).codes.reshape(len(lines), len(xs))
    for (axis, a), line in zip(lines, codes, strict=True):
        for x, code in zip(xs[1:], line[1:], strict=True):
            if code == line[0]:
                continue
            point = dict(base) if axis is None else {**base, axis: a}
            before = outcome_at(scenario, point, cache)
            after = outcome_at(scenario, {**point, name: x}, cache)
            if before != after:
                at = "" if axis is None else f" at {axis} = {a}"
                return f"the outcome{at}: {before} -> {after} when {name} = {x}"
    return None
