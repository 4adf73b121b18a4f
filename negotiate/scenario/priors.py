"""Priors over parameters and dated episodes: the uncertainty layer of a scenario file.

``[parameters.NAME] prior = {...}`` says how uncertain an assumption is; exactly one of

* ``uniform = [lo, hi]``: flat on ``[lo, hi]``;
* ``triangular = [lo, mode, hi]``: the triangular density rising from ``lo`` to ``mode`` and
  falling to ``hi``;
* ``beta = [a, b]``: the Beta(a, b) law scaled to the parameter's domain
  (``lo + (hi - lo) X``, ``X ~ Beta(a, b)``, ``a, b > 0``);
* ``discrete = { values = [...], weights = [...] }``: the listed values with the given
  weights (normalised; every weight >= 0, at least one > 0).

An optional ``reason = "..."`` says why the range is what it is.  A parameter without a
prior is held at its value.  The support must lie inside the domain, it
must carry mass (a uniform or triangular prior needs ``lo < hi``), and the parameter's
``value`` must lie in it.  Numbers are exact (``0.1`` is 1/10).

``[episodes.NAME]`` records a dated observation: the parameter values of that moment
(``set = {...}`` and/or ``variant = "NAME"``), the ``observed`` outcome (agreement, stalemate
or war), the ``date`` and a ``source``.  Calibration keeps the prior draws that reproduce every
episode.  The format is documented in ``docs/scenario-format.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from negotiate._exact import as_fraction
from negotiate.errors import ModelError
from negotiate.expr import Parameter
from negotiate.scenario.result import OUTCOMES
from negotiate.scenario.schema import check_keys, expect_str, expect_table

__all__ = ["PRIOR_KINDS", "Episode", "Prior", "parse_episodes", "parse_prior", "parse_priors"]

PRIOR_KINDS = ("uniform", "triangular", "beta", "discrete")
_MAX_DISCRETE = 1000
_MAX_EPISODES = 200


@dataclass(frozen=True)
class Prior:
    """A prior law of one parameter (exact parameters; see the module docstring).

    ``args`` holds ``(lo, hi)`` for uniform, ``(lo, mode, hi)`` for triangular, ``(a, b)``
    for beta and ``()`` for discrete; ``support`` is the closed interval holding all the mass
    (the domain for beta); ``values`` and ``weights`` (normalised) are the discrete law.
    """

    kind: str
    args: tuple[Fraction, ...]
    support: tuple[Fraction, Fraction]
    values: tuple[Fraction, ...] = ()
    weights: tuple[Fraction, ...] = ()
    reason: str = ""

    def contains(self, x: Fraction) -> bool:
        """Whether ``x`` lies in the support (for discrete: is a value of positive weight)."""
        if self.kind == "discrete":
            return any(v == x and w > 0 for v, w in zip(self.values, self.weights, strict=True))
        return self.support[0] <= x <= self.support[1]

    def mean(self) -> Fraction:
        """The exact mean of the law."""
        lo, hi = self.support
        if self.kind == "uniform":
            return (lo + hi) / 2
        if self.kind == "triangular":
            return sum(self.args, Fraction(0)) / 3
        if self.kind == "beta":
            a, b = self.args
            return lo + (hi - lo) * a / (a + b)
        return sum((v * w for v, w in zip(self.values, self.weights, strict=True)), Fraction(0))

    def describe(self) -> str:
        """The prior as it is written in a scenario file, e.g. ``uniform [1/5, 3/10]``."""
        if self.kind == "discrete":
            pairs = ", ".join(f"{v}: {w}" for v, w in zip(self.values, self.weights, strict=True))
            return f"discrete {{{pairs}}}"
        return f"{self.kind} [{', '.join(str(a) for a in self.args)}]"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the kind and its numbers as exact strings, and the reason."""
        out: dict[str, Any] = {"reason": self.reason} if self.reason else {}
        if self.kind == "discrete":
            out["discrete"] = {
                "values": [str(v) for v in self.values],
                "weights": [str(w) for w in self.weights],
            }
        else:
            out[self.kind] = [str(a) for a in self.args]
        return out


@dataclass(frozen=True)
class Episode:
    """A dated observation: the parameter values of that moment and the observed outcome."""

    name: str
    date: str
    observed: str
    source: str
    overrides: Mapping[str, Fraction]
    variant: str | None = None
    description: str = ""


def _num(value: Any, field: str) -> Fraction:
    """An exact number; TOML floats are read as the decimal the user typed."""
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        value = repr(value)
    return as_fraction(value, field)


def _numbers(raw: Any, field: str, count: int) -> tuple[Fraction, ...]:
    if isinstance(raw, str) or not isinstance(raw, list) or len(raw) != count:
        raise ModelError(field, raw, f"expected an array of {count} numbers")
    return tuple(_num(v, f"{field}[{i}]") for i, v in enumerate(raw))


def parse_prior(raw: Any, param: Parameter, field: str) -> Prior:
    """Validate ``prior = {...}`` of ``param``; errors name ``field`` (``parameters.X.prior``)."""
    table = expect_table(raw, field)
    kinds = [k for k in table if k in PRIOR_KINDS]
    check_keys(table, field, (*PRIOR_KINDS, "reason"))
    reason = expect_str(table.get("reason", ""), f"{field}.reason", max_len=2000)
    if len(kinds) != 1:
        raise ModelError(field, dict(table), f"give exactly one of {', '.join(PRIOR_KINDS)}")
    kind = kinds[0]
    f = f"{field}.{kind}"
    domain = param.domain
    if kind == "uniform":
        lo, hi = _numbers(table[kind], f, 2)
        if not lo < hi:
            raise ModelError(f, [str(lo), str(hi)], "needs lo < hi (an empty range has no mass)")
        prior = Prior(kind, (lo, hi), (lo, hi))
    elif kind == "triangular":
        lo, mode, hi = _numbers(table[kind], f, 3)
        if not lo < hi:
            raise ModelError(f, [str(lo), str(hi)], "needs lo < hi (an empty range has no mass)")
        if not lo <= mode <= hi:
            raise ModelError(f"{f}[1]", str(mode), f"the mode must lie in [{lo}, {hi}]")
        prior = Prior(kind, (lo, mode, hi), (lo, hi))
    elif kind == "beta":
        a, b = _numbers(table[kind], f, 2)
        for i, x in enumerate((a, b)):
            if x <= 0:
                raise ModelError(f"{f}[{i}]", str(x), "beta shape parameters must be > 0")
        if domain is None or not domain[0] < domain[1]:
            raise ModelError(f, None, "a beta prior is scaled to the domain, which needs lo < hi")
        prior = Prior(kind, (a, b), domain)
    else:
        prior = _discrete(table[kind], f)
    if domain is not None and not (domain[0] <= prior.support[0] and prior.support[1] <= domain[1]):
        lo, hi = prior.support
        raise ModelError(
            f, [str(lo), str(hi)], f"support lies outside the domain [{domain[0]}, {domain[1]}]"
        )
    prior = replace(prior, reason=reason)
    if param.value is not None and not prior.contains(param.value):
        raise ModelError(
            f"parameters.{param.name}.value",
            str(param.value),
            f"lies outside the support of its prior ({prior.describe()})",
        )
    return prior


def parse_priors(raw: Mapping[str, Any], parameters: Mapping[str, Parameter]) -> dict[str, Prior]:
    """The ``prior`` of each parameter that has one (validated against its domain and value)."""
    return {
        n: parse_prior(raw[n]["prior"], p, f"parameters.{n}.prior")
        for n, p in parameters.items()
        if "prior" in raw[n]
    }


def _discrete(raw: Any, field: str) -> Prior:
    table = expect_table(raw, field)
    check_keys(table, field, ("values", "weights"), required=("values",))
    values_raw = table["values"]
    if isinstance(values_raw, str) or not isinstance(values_raw, list) or not values_raw:
        raise ModelError(f"{field}.values", values_raw, "expected a non-empty array of numbers")
    if len(values_raw) > _MAX_DISCRETE:
        raise ModelError(f"{field}.values", len(values_raw), f"more than {_MAX_DISCRETE} values")
    values = tuple(_num(v, f"{field}.values[{i}]") for i, v in enumerate(values_raw))
    for i, v in enumerate(values):
        if v in values[:i]:
            raise ModelError(f"{field}.values[{i}]", str(v), "duplicate value")
    if "weights" in table:
        weights = _numbers(table["weights"], f"{field}.weights", len(values))
    else:
        weights = tuple(Fraction(1) for _ in values)
    for i, w in enumerate(weights):
        if w < 0:
            raise ModelError(f"{field}.weights[{i}]", str(w), "weights must be >= 0")
    total = sum(weights, Fraction(0))
    if total <= 0:
        raise ModelError(f"{field}.weights", None, "all weights are zero: the prior has no mass")
    weights = tuple(w / total for w in weights)
    order = sorted(range(len(values)), key=lambda i: values[i])
    values = tuple(values[i] for i in order)
    weights = tuple(weights[i] for i in order)
    massive = [v for v, w in zip(values, weights, strict=True) if w > 0]
    return Prior("discrete", (), (min(massive), max(massive)), values, weights)


def parse_episodes(
    raw: Any, parameters: Mapping[str, Parameter], variants: Mapping[str, Any]
) -> tuple[Episode, ...]:
    """Validate the ``[episodes.NAME]`` tables."""
    from negotiate.scenario.evaluate import check_overrides

    table = expect_table(raw, "episodes")
    if len(table) > _MAX_EPISODES:
        raise ModelError("episodes", len(table), f"more than {_MAX_EPISODES} episodes")
    out = []
    for name, spec in table.items():
        f = f"episodes.{name}"
        spec = expect_table(spec, f)
        check_keys(
            spec,
            f,
            {"date", "set", "variant", "observed", "source", "description"},
            required=("date", "observed", "source"),
        )
        observed = expect_str(spec["observed"], f"{f}.observed")
        if observed not in OUTCOMES:
            raise ModelError(f"{f}.observed", observed, f"expected one of {', '.join(OUTCOMES)}")
        source = expect_str(spec["source"], f"{f}.source")
        if not source.strip():
            raise ModelError(f"{f}.source", source, "cite a source, or say 'assumption: why'")
        variant = spec.get("variant")
        if variant is not None:
            variant = expect_str(variant, f"{f}.variant")
            if variant not in variants:
                known = ", ".join(variants) or "none"
                raise ModelError(f"{f}.variant", variant, f"unknown variant; variants: {known}")
        if "set" not in spec and variant is None:
            raise ModelError(f, None, "give the values of the moment: set = {...} or variant")
        raw_set = expect_table(spec.get("set", {}), f"{f}.set")
        literal = {
            k: repr(v) if isinstance(v, float) and v == v and abs(v) != float("inf") else v
            for k, v in raw_set.items()
        }
        overrides = check_overrides(literal, parameters, f"{f}.set")
        out.append(
            Episode(
                name=name,
                date=expect_str(spec["date"], f"{f}.date", max_len=100),
                observed=observed,
                source=source,
                overrides=MappingProxyType(overrides),
                variant=variant,
                description=expect_str(spec.get("description", ""), f"{f}.description"),
            )
        )
    return tuple(out)
