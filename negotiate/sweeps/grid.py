"""The points of a sweep: a Cartesian grid of named ranges, or seeded samples.

* **Grid.**  ``NAME=START:STOP:NUM`` is NUM equally spaced points from START to STOP
  inclusive (``numpy.linspace``, but exact).  Several axes form their Cartesian product in C
  order (the first axis varies slowest); point ``i`` of the flattened grid is
  ``numpy.unravel_index(i, shape)``, so any chunk of points is generated on its own, without
  the whole grid in memory.
* **Samples.**  ``N`` points in a box of named ranges (``NAME=START:STOP``, or ``NAME`` for the
  parameter's whole domain), either independent uniform draws (``"random"``) or a Latin
  hypercube (``"lhs"``, McKay, Beckman and Conover 1979): on every axis each of the N strata
  ``[k/N, (k+1)/N)`` holds exactly one point.

Determinism: chunk ``c`` draws from ``numpy.random.SeedSequence(entropy=seed,
spawn_key=(c,))``, and the Latin hypercube assigns strata by a keyed pseudo-random permutation
of ``0..N-1`` per axis (a balanced Feistel network with cycle walking; Black and Rogaway 2002)
that is computed point by point.  The points of a chunk therefore depend only on the seed,
the sampling spec and the chunk, never on how many workers run or in which order.

START and STOP are exact numbers (``"0.1"`` is 1/10) checked against the parameter's domain.
Grid values are exact: ``START + (STOP - START) k / (NUM - 1)`` as Fractions, so
``guarantee=0:1:11`` is 0, 1/10, ..., 1 (written as the decimals ``"0.1"``, ..., or as
``"p/q"`` when a value has no finite decimal form); the vectorised engine uses the nearest
float to each (correct rounding: ``0.3``, not ``0.30000000000000004``).  Sampled points are
floats.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from negotiate._exact import as_fraction
from negotiate.errors import ModelError, TooLargeError

__all__ = [
    "MAX_AXIS",
    "MAX_POINTS",
    "Axis",
    "GridSpace",
    "Linspace",
    "Range",
    "SampleSpace",
    "axis_values",
    "parse_grid",
    "parse_ranges",
]

#: Largest sweep accepted (points); ``max_points=`` overrides it.
MAX_POINTS = 10**10
#: Largest number of points on one axis (point indices are 64-bit integers).
MAX_AXIS = 2**62
_SAMPLINGS = ("lhs", "random")
_PERM_KEY = 2**40  # spawn keys at and above this name the LHS permutations, below it chunks


@dataclass(frozen=True)
class Linspace(Sequence[float]):
    """NUM equally spaced exact values from START to STOP inclusive, computed on demand.

    Element ``i`` is exactly ``start + i * (stop - start) / (num - 1)`` (:meth:`exact_at`);
    as a float it is the nearest float to that value (``0:1:11`` gives 0.3, not numpy's
    0.30000000000000004).  Nothing is stored, so a 10**8-point axis costs nothing until a
    chunk asks for its own points.
    """

    start: Fraction
    stop: Fraction
    num: int

    def __len__(self) -> int:
        return self.num

    def exact_at(self, i: int) -> Fraction:
        """Element ``i``, exactly."""
        if self.num == 1:
            return self.start
        return self.start + (self.stop - self.start) * Fraction(i, self.num - 1)

    def take(self, index: np.ndarray) -> np.ndarray:
        """The elements at the integer array ``index``, each correctly rounded to a float.

        With a common denominator ``q`` of the ends, element ``k`` is ``P_k / Q`` with
        integers ``P_k = a (n - 1) + (b - a) k`` and ``Q = q (n - 1)``; when both fit in 53
        bits, IEEE division of their exact float images is correctly rounded.  Otherwise each
        element is rounded from its exact value one by one.
        """
        index = np.asarray(index, dtype=np.int64)
        if self.num == 1:
            return np.full(index.shape, float(self.start), dtype=float)
        q = math.lcm(self.start.denominator, self.stop.denominator)
        a, b, n1 = int(self.start * q), int(self.stop * q), self.num - 1
        big = 2**53
        if max(abs(a * n1), abs(b * n1), q * n1) < big:
            p = np.int64(a * n1) + np.int64(b - a) * index
            return p.astype(float) / float(q * n1)
        flat = [float(self.exact_at(int(k))) for k in index.ravel()]
        return np.array(flat, dtype=float).reshape(index.shape)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return tuple(float(v) for v in self.take(np.arange(self.num)[i]))
        k = int(i)
        if not -self.num <= k < self.num:
            raise IndexError(i)
        return float(self.take(np.array([k % self.num]))[0])

    def __iter__(self) -> Any:
        for lo in range(0, self.num, 65_536):
            yield from (float(v) for v in self.take(np.arange(lo, min(lo + 65_536, self.num))))


@dataclass(frozen=True)
class Axis:
    """One grid axis: a parameter and its exact values, with the spec it came from.

    ``exact`` is a tuple of Fractions for listed values and a lazy :class:`Linspace` for
    ``START:STOP:NUM``; ``values`` are the nearest floats, and :meth:`take` gives them at
    given indices either way.
    """

    name: str
    exact: Sequence[Fraction] | Linspace
    spec: str

    @property
    def values(self) -> Sequence[float]:
        """The values as floats, each the nearest float to the exact value."""
        if isinstance(self.exact, Linspace):
            return self.exact
        return tuple(float(v) for v in self.exact)

    def exact_values(self) -> tuple[Fraction, ...]:
        """Every exact value (materialised: for axes of a size one would print)."""
        if isinstance(self.exact, Linspace):
            return tuple(self.exact.exact_at(k) for k in range(self.exact.num))
        return tuple(self.exact)

    def take(self, index: np.ndarray) -> np.ndarray:
        """The axis values (floats) at the integer array ``index``."""
        if isinstance(self.exact, Linspace):
            return self.exact.take(index)
        return np.asarray(self.values, dtype=float)[index]

    def to_dict(self) -> dict[str, Any]:
        if isinstance(self.exact, Linspace):  # the spec, never the values
            v = self.exact
            return {
                "name": self.name,
                "spec": self.spec,
                "linspace": [exact_text(v.start), exact_text(v.stop), v.num],
            }
        return {"name": self.name, "spec": self.spec, "values": [exact_text(v) for v in self.exact]}


def axis_values(data: Mapping[str, Any]) -> np.ndarray:
    """The values of an axis from its :meth:`Axis.to_dict` form (a manifest entry)."""
    if "linspace" in data:
        start, stop, num = data["linspace"]
        space = Linspace(Fraction(start), Fraction(stop), int(num))
        return space.take(np.arange(space.num))
    return np.array([float(Fraction(v)) for v in data["values"]])


def exact_text(value: Fraction) -> str:
    """``value`` as a decimal string when it has a finite one (``"0.1"``), else ``"p/q"``;
    ``Fraction(text)`` reads either back exactly."""
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return f"{value.numerator}/{value.denominator}"
    digits = max(twos, fives)
    if digits == 0:
        return str(value.numerator)
    scaled = abs(value.numerator) * 10**digits // value.denominator
    sign = "-" if value < 0 else ""
    whole, frac = divmod(scaled, 10**digits)
    return f"{sign}{whole}.{frac:0{digits}d}"


@dataclass(frozen=True)
class Range:
    """A sampled parameter and its bounds ``[lo, hi]`` (floats), with the spec it came from."""

    name: str
    lo: float
    hi: float
    spec: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "spec": self.spec, "lo": repr(self.lo), "hi": repr(self.hi)}


@dataclass(frozen=True)
class GridSpace:
    """The Cartesian product of ``axes``."""

    axes: tuple[Axis, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.axes)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(a.values) for a in self.axes)

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    def points(self, start: int, stop: int) -> dict[str, np.ndarray]:
        """The parameter values of the flattened points ``start .. stop - 1``."""
        index = np.unravel_index(np.arange(start, stop, dtype=np.int64), self.shape)
        return {a.name: a.take(i) for a, i in zip(self.axes, index, strict=True)}

    def to_dict(self) -> dict[str, Any]:
        return {"mode": "grid", "axes": [a.to_dict() for a in self.axes]}


@dataclass(frozen=True)
class SampleSpace:
    """``n`` seeded points in the box of ``ranges`` (``sampling`` is "lhs" or "random")."""

    ranges: tuple[Range, ...]
    n: int
    seed: int
    sampling: str = "lhs"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.ranges)

    @property
    def shape(self) -> tuple[int, ...]:
        return (self.n,)

    @property
    def size(self) -> int:
        return self.n

    def points(self, start: int, stop: int, chunk: int) -> dict[str, np.ndarray]:
        """The points ``start .. stop - 1``, drawn from chunk ``chunk``'s own stream."""
        rng = np.random.default_rng(np.random.SeedSequence(entropy=self.seed, spawn_key=(chunk,)))
        u = rng.random((stop - start, len(self.ranges)))
        out = {}
        for d, r in enumerate(self.ranges):
            if self.sampling == "lhs":
                keys = _feistel_keys(self.seed, d)
                strata = _permute(np.arange(start, stop, dtype=np.uint64), self.n, keys)
                x = (strata.astype(float) + u[:, d]) / self.n
            else:
                x = u[:, d]
            out[r.name] = np.clip(r.lo + x * (r.hi - r.lo), min(r.lo, r.hi), max(r.lo, r.hi))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": "samples",
            "ranges": [r.to_dict() for r in self.ranges],
            "n": self.n,
            "seed": self.seed,
            "sampling": self.sampling,
        }


# ---------------------------------------------------------------------- parsing
def _split(item: str, field: str) -> tuple[str, str]:
    name, sep, rest = item.partition("=")
    name = name.strip()
    if not name:
        raise ModelError(field, item, "expected NAME=START:STOP:NUM, e.g. guarantee=0:1:101")
    return name, rest.strip() if sep else ""


def _check_name(name: str, parameters: Mapping[str, Any], field: str, seen: set[str]) -> None:
    if name not in parameters:
        raise ModelError(field, name, f"unknown parameter; declared: {', '.join(parameters)}")
    if name in seen:
        raise ModelError(field, name, "is swept twice")
    seen.add(name)


def _bound(text: Any, name: str, parameters: Mapping[str, Any], field: str) -> Fraction:
    try:
        value = as_fraction(text.strip() if isinstance(text, str) else text, field)
    except ModelError as exc:
        raise ModelError(field, f"{name}: {text}", exc.reason) from None
    domain = parameters[name].domain
    if domain is not None and not domain[0] <= value <= domain[1]:
        raise ModelError(field, text, f"{name} lies outside its domain [{domain[0]}, {domain[1]}]")
    return value


def _axis_from_text(name: str, text: str, parameters: Mapping[str, Any], field: str) -> Axis:
    parts = text.split(":")
    if len(parts) != 3 or not all(p.strip() for p in parts):
        raise ModelError(
            field, f"{name}={text}", "expected NAME=START:STOP:NUM (NUM points, STOP included)"
        )
    start = _bound(parts[0], name, parameters, field)
    stop = _bound(parts[1], name, parameters, field)
    try:
        num = int(parts[2].strip())
    except ValueError:
        raise ModelError(field, f"{name}={text}", "NUM must be a whole number") from None
    if num < 1 or (num == 1 and start != stop):
        raise ModelError(field, f"{name}={text}", "NUM must be >= 2 (or 1 with START = STOP)")
    if num > MAX_AXIS:
        raise TooLargeError(
            f"{field} {name}: {num} points on one axis",
            cost=num,
            budget=MAX_AXIS,
            instead="Use fewer points, or sample the range (--samples N).",
        )
    values = Linspace(start, stop, num)
    return Axis(name, values, f"{name}={text.strip()}")


def _axis_from_values(name: str, raw: Any, parameters: Mapping[str, Any], field: str) -> Axis:
    if isinstance(raw, str | bytes) or not isinstance(raw, Sequence | np.ndarray):
        raise ModelError(field, raw, "expected 'START:STOP:NUM' or a sequence of values")
    if len(raw) == 0:
        raise ModelError(field, raw, "give at least one value")
    values = tuple(_bound(v, name, parameters, f"{field}[{k}]") for k, v in enumerate(raw))
    return Axis(name, values, f"{name}=[{len(values)} values]")


def parse_grid(
    grid: Mapping[str, Any] | Sequence[str], parameters: Mapping[str, Any], field: str = "grid"
) -> GridSpace:
    """Grid axes from ``["NAME=START:STOP:NUM", ...]`` or ``{NAME: "START:STOP:NUM" | values}``.

    ``parameters`` maps names to :class:`negotiate.expr.Parameter` (for domains); ``field``
    names the input in errors (``"--grid"`` on the command line).
    """
    items = _items(grid, field)
    if not items:
        raise ModelError(field, grid, "give at least one axis")
    axes: list[Axis] = []
    seen: set[str] = set()
    for name, raw, f in items:
        _check_name(name, parameters, f, seen)
        if isinstance(raw, str):
            axes.append(_axis_from_text(name, raw, parameters, f))
        else:
            axes.append(_axis_from_values(name, raw, parameters, f))
    return GridSpace(tuple(axes))


def parse_ranges(
    ranges: Mapping[str, Any] | Sequence[str], parameters: Mapping[str, Any], field: str = "grid"
) -> tuple[Range, ...]:
    """Sampling ranges from ``["NAME=START:STOP", "NAME", ...]`` or ``{NAME: "START:STOP" |
    (lo, hi) | None}``; a bare name or ``None`` means the parameter's whole domain."""
    items = _items(ranges, field)
    if not items:
        raise ModelError(field, ranges, "give at least one parameter to sample")
    out: list[Range] = []
    seen: set[str] = set()
    for name, raw, f in items:
        _check_name(name, parameters, f, seen)
        if raw is None or raw == "":
            domain = parameters[name].domain
            if domain is None:
                raise ModelError(f, name, "has no domain; give NAME=START:STOP")
            lo, hi = domain
        elif isinstance(raw, str):
            parts = raw.split(":")
            if len(parts) != 2 or not all(p.strip() for p in parts):
                reason = "expected NAME=START:STOP when sampling (NUM has no meaning there)"
                raise ModelError(f, f"{name}={raw}", reason)
            lo, hi = (_bound(p, name, parameters, f) for p in parts)
        elif isinstance(raw, Sequence) and len(raw) == 2:
            lo, hi = (_bound(p, name, parameters, f) for p in raw)
        else:
            raise ModelError(f, raw, "expected 'START:STOP', a pair (lo, hi) or None")
        if lo > hi:
            raise ModelError(f, f"{name}={raw}", "START must not exceed STOP")
        spec = f"{name}={lo}:{hi}"
        out.append(Range(name, float(lo), float(hi), spec))
    return tuple(out)


def _items(spec: Mapping[str, Any] | Sequence[str], field: str) -> list[tuple[str, Any, str]]:
    if isinstance(spec, Mapping):
        return [(str(k), v, f"{field}.{k}") for k, v in spec.items()]
    if isinstance(spec, str) or not isinstance(spec, Sequence):
        raise ModelError(field, spec, "expected a list of 'NAME=START:STOP:NUM' or a mapping")
    out = []
    for item in spec:
        if not isinstance(item, str):
            raise ModelError(field, item, "expected text such as 'guarantee=0:1:101'")
        name, rest = _split(item, field)
        out.append((name, rest, field))
    return out


def sample_space(ranges: tuple[Range, ...], n: Any, seed: Any, sampling: str) -> SampleSpace:
    """Validate the sample count, seed and sampling method."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ModelError("samples", n, "expected a positive whole number of points")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ModelError("seed", seed, "expected a non-negative whole number")
    if sampling not in _SAMPLINGS:
        raise ModelError("sampling", sampling, f"expected one of {_SAMPLINGS}")
    return SampleSpace(ranges, int(n), int(seed), sampling)


def check_size(size: int, max_points: int) -> None:
    if size > max_points:
        raise TooLargeError(
            "sweep points",
            cost=size,
            budget=max_points,
            instead="Use fewer points per axis, samples instead of a full grid, or pass a "
            "larger max_points.",
        )


# ---------------------------------------------------------------------- LHS permutation
_M1, _M2, _GOLDEN = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0x9E3779B97F4A7C15


def _feistel_keys(seed: int, axis: int, rounds: int = 6) -> np.ndarray:
    ss = np.random.SeedSequence(entropy=seed, spawn_key=(_PERM_KEY + axis,))
    return ss.generate_state(rounds, dtype=np.uint64)


def _mix(z: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser (Steele, Lea and Flood 2014), elementwise on uint64."""
    with np.errstate(over="ignore"):
        z = z + np.uint64(_GOLDEN)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(_M1)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(_M2)
        return z ^ (z >> np.uint64(31))


def _feistel(x: np.ndarray, half: int, keys: np.ndarray) -> np.ndarray:
    mask = np.uint64((1 << half) - 1)
    left, right = x >> np.uint64(half), x & mask
    for k in keys:
        left, right = right, left ^ (_mix(right ^ k) & mask)
    return (left << np.uint64(half)) | right


def _permute(x: np.ndarray, n: int, keys: np.ndarray) -> np.ndarray:
    """A keyed bijection of ``0..n-1`` applied to ``x`` (Feistel network, cycle walking)."""
    half = max(1, (max(1, n - 1).bit_length() + 1) // 2)
    out = _feistel(x, half, keys)
    todo = np.flatnonzero(out >= n)
    while len(todo):
        out[todo] = _feistel(out[todo], half, keys)
        todo = todo[out[todo] >= n]
    return out
