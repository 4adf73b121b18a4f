"""Compile a scenario once into a vectorised evaluator of its whole per-point pipeline.

A scenario is solved by the stages of :mod:`negotiate.pipeline` (commitment, issue weights,
the no-deal game, the disagreement point, the bargaining solution, constraints and
conditions, the outcome).  ``Scenario.solve`` runs their exact implementations at one point;
:class:`VectorKernel` runs their array implementations, a chunk of points at a time:

* every expression is compiled once by :func:`negotiate.expr.compile_numeric` (``lambdify``);
  expressions that depend on no swept parameter are evaluated once, as scalars, and numpy
  broadcasting carries them (a tree untouched by the sweep is solved once per chunk on
  scalars);
* every stage input (:func:`negotiate.pipeline.input_fields`) is one compiled expression;
* the stages' input checks (weights >= 0, reversible shares and hazards in [0, 1], patience
  in (0, 1), probabilities) raise the same ``ModelError`` fields as the exact path, naming
  the point.

Floats decide strict inequalities as floats; points within ``1e-12`` of a tie or threshold
are flagged ``boundary`` (see :mod:`negotiate.sweeps.outputs`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from negotiate.errors import ModelError, NotApplicableError
from negotiate.expr import compile_numeric
from negotiate.pipeline import input_fields, run_exact
from negotiate.pipeline.nodeal import TreeValues
from negotiate.scenario.evaluate import derived_values, pipeline_spec
from negotiate.sweeps._pipeline import pipeline
from negotiate.sweeps.outputs import ExactKernel, output_specs

__all__ = ["VectorKernel", "compile_scenario", "vectorisable"]


def vectorisable(scenario: Any) -> str | None:
    """None when the vectorised kernel applies, else the reason it does not."""
    tree = scenario.deterrence["tree"] if scenario.deterrence is not None else None
    if tree is not None and tree.has_imperfect_information:
        return "the no-deal tree has information sets (solved per point by the exact path)"
    return None


def compile_scenario(
    scenario: Any,
    swept: Sequence[str],
    overrides: Mapping[str, Fraction] | None = None,
    variant: str | None = None,
    kernel: str = "auto",
) -> VectorKernel | ExactKernel:
    """The evaluator of ``scenario`` over the ``swept`` parameters (others at their values
    after ``variant`` and ``overrides``).  ``kernel`` is "vectorized", "exact" or "auto"."""
    if kernel not in ("auto", "vectorized", "exact"):
        raise ModelError("kernel", kernel, "expected 'auto', 'vectorized' or 'exact'")
    swept = tuple(swept)
    for name in swept:
        if name not in scenario.parameters:
            raise ModelError(
                "swept", name, f"unknown parameter; declared: {list(scenario.parameters)}"
            )
    values = scenario.values(overrides, variant)
    fixed = {k: values[k] for k in (overrides or {})}
    reason = vectorisable(scenario)
    if kernel == "vectorized" and reason is not None:
        raise NotApplicableError(f"cannot vectorise: {reason}", ("exact",))
    if kernel == "exact" or reason is not None:
        return ExactKernel(scenario, swept, fixed, variant)
    return VectorKernel(scenario, swept, values)


class VectorKernel:
    """The scenario's pipeline on float arrays; see the module docstring."""

    exact = False

    def __init__(self, scenario: Any, swept: tuple[str, ...], values: Mapping[str, Fraction]):
        self.scenario = scenario
        self.swept = swept
        self.outputs = output_specs(scenario)
        self.names = scenario.names
        self._env = {k: float(v) for k, v in values.items()}
        self._env.update({name: 0.0 for name, _ in scenario.derived})  # filled in order below
        varying = set(swept)
        self._derived: list[tuple[str, Callable[..., tuple[np.ndarray, ...]], bool]] = []
        for name, expr in scenario.derived:
            vary = bool({s.name for s in expr.free_symbols} & varying)
            if vary:
                varying.add(name)
            fn = compile_numeric([expr], self.names)
            self._derived.append((name, fn, vary))
            if not vary:
                self._env[name] = float(self._call(fn, self._env, f"derived.{name}")[0])
        self._spec = pipeline_spec(scenario)
        self._keys: list[str] = []  # field paths
        exprs: list[Any] = []
        for field, expr in input_fields(self._spec, array=True):
            self._keys.append(field)
            exprs.append(expr)
        const = [k for k, e in enumerate(exprs) if not (_symbols(e) & varying)]
        vary_idx = [k for k in range(len(exprs)) if k not in set(const)]
        self._const_idx, self._vary_idx = const, vary_idx
        self._const_fn = compile_numeric([exprs[k] for k in const], self.names)
        self._vary_fn = compile_numeric([exprs[k] for k in vary_idx], self.names)
        self._const_vals = self._call(self._const_fn, self._env, None, const)
        self._tree_values: TreeValues | None = None
        if self._spec.tree is not None and not any(_is_tree(self._keys[k]) for k in vary_idx):
            self._tree_values = self._constant_tree(values, const)

    def _constant_tree(self, values: Mapping[str, Fraction], const: list[int]) -> TreeValues:
        """A tree the sweep does not touch is solved once, exactly (so its exact ties are
        settled by ``tie_break`` as in ``Scenario.solve``, not flagged as boundary points)."""
        try:
            env = derived_values(self.scenario, values)
            nd = run_exact(self._spec, env, stages=_BASELINE)["no_deal"]
        except ModelError:  # invalid at the baseline: solve in floats, errors name the point
            nd = None
        if nd is not None:
            return TreeValues(
                tuple(np.asarray(float(nd.values[p])) for p in self.scenario.players),
                np.asarray(float(nd.war_probability)),
                np.asarray(nd.agreed),
                np.asarray(False),
            )
        inputs = {
            self._keys[k]: self._const_vals[const.index(k)]
            for k in range(len(self._keys))
            if _is_tree(self._keys[k])
        }
        fixed = {n: self._env[n] for n in self.swept}
        return _solve_tree_floats(self._spec, inputs, lambda k: fixed)

    # ------------------------------------------------------------------ compilation
    def _call(
        self,
        fn: Callable[..., tuple[np.ndarray, ...]],
        env: Mapping[str, Any],
        field: str | None,
        index: list[int] | None = None,
    ) -> tuple[np.ndarray, ...]:
        try:
            return fn(*(env[n] for n in self.names))
        except ModelError as exc:
            if field is None and index is not None and exc.field.startswith("exprs["):
                k = int(exc.field[6:-1])
                field = self._keys[index[k]]
            raise ModelError(field or exc.field, exc.value, exc.reason) from None

    # ------------------------------------------------------------------ evaluation
    def evaluate(self, columns: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """The outputs at the points ``columns`` (one float array per swept parameter)."""
        n = len(columns[self.swept[0]]) if self.swept else 1
        env: dict[str, Any] = dict(self._env)
        for name in self.swept:
            env[name] = np.asarray(columns[name], dtype=float)

        def point(k: int) -> dict[str, float]:
            return {name: float(env[name][k]) for name in self.swept}

        for name, fn, vary in self._derived:
            if vary:
                env[name] = self._call(fn, env, f"derived.{name}")[0]
        vals: list[Any] = [None] * len(self._keys)
        for k, v in zip(self._const_idx, self._const_vals, strict=True):
            vals[k] = v
        if self._vary_idx:
            for k, v in zip(
                self._vary_idx, self._call(self._vary_fn, env, None, self._vary_idx), strict=True
            ):
                vals[k] = v
        inputs = dict(zip(self._keys, vals, strict=True))
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return pipeline(self.scenario, self._spec, inputs, n, point, self._tree_values)


#: The stages run exactly at the baseline to solve a tree the sweep does not move (the
#: checks of the stages before the bargaining solution apply there, as on the exact path).
_BASELINE = ("commitment", "weights", "no_deal", "disagreement", "conditions")


def _is_tree(field: str) -> bool:
    return field.startswith("tree[")


def _solve_tree_floats(spec: Any, inputs: Mapping[str, Any], point: Any) -> TreeValues:
    """The no-deal stage on arrays at scalar tree values (a tree invalid at the baseline)."""
    from negotiate.pipeline.nodeal import kernel

    k = kernel(spec)
    return k.solve([inputs[f"tree[{j}]"] for j in range(len(k.exprs))], point)


def _symbols(expr: Any) -> set[str]:
    return {s.name for s in expr.free_symbols} if isinstance(expr, sp.Basic) else set()
