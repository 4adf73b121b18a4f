"""Convex (cvxpy) path for bargaining solutions on any convex feasible set.

Used for problems without an exact frontier walk (concave issue utilities, curved
frontiers) and as an independent cross-check of the exact path.  The status discipline
(a solver's answer is used only when its status says it solved the problem):

1. only finite data reach the solver (the games layer rejects NaN and infinities);
2. utilities are normalised per axis to the range of F, ``u'_i = (u_i - lo_i) / (I_i - lo_i)``
   with I the ideal point and lo the lowest point of F (Nash and Kalai-Smorodinsky are
   invariant to these affine maps; the egalitarian and utilitarian objectives are rescaled to
   match), so magnitudes and mixed scales never reach the solver;
3. a pre-check ``max t s.t. u' - d' >= t`` decides whether any agreement is strictly better
   than d for both players; if not (``t <= PRECHECK_TOL``, in units of F's range) no log
   objective is ever built at the boundary, and the caller returns a typed *no strict gain*
   result;
4. only ``OPTIMAL`` is accepted; any other status, or a ``cvxpy.error.SolverError``, raises
   :class:`~negotiate.errors.SolverError` with the solver, the status and the largest
   constraint violation;
5. the answer is made feasible independently (shares clipped to [0, 1], lottery weights
   renormalised, u2 capped by the frontier), utilities are recomputed from it, and the size of
   that repair is checked against ``FEASIBILITY_TOL``.

The disagreement point enters only through the parameter ``d'`` (the normalised
disagreement point, a constant term: gains are ``g = u' - d'``), so each model is DPP: cvxpy
compiles it once and a sweep over disagreement points re-solves it without rebuilding
(Agrawal et al. 2019, "Differentiable convex optimization layers", on disciplined
parametrized programming).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import cvxpy as cp
import numpy as np
import sympy as sp

from negotiate.errors import NotApplicableError, SolverError
from negotiate.games.bargaining import BargainingProblem, Frontier, Polytope
from negotiate.games.issues import IssueSpace

__all__ = ["FEASIBILITY_TOL", "PRECHECK_TOL", "SOLVERS", "ConvexModel", "ConvexPoint"]

PRECHECK_TOL = 1e-9
FEASIBILITY_TOL = 1e-7
SOLVERS: dict[str, dict[str, Any]] = {
    "CLARABEL": {},
    "SCS": {"eps_abs": 1e-9, "eps_rel": 1e-9, "max_iters": 200_000},
}
#: Tolerance ladder: the Nash objective is flat at its optimum, so a duality gap eps places
#: the maximiser only to about sqrt(eps); the tightest gap that still ends OPTIMAL is used.
LADDER: dict[str, tuple[dict[str, float], ...]] = {
    "CLARABEL": tuple(
        {"tol_gap_abs": t, "tol_gap_rel": t, "tol_feas": t} for t in (1e-11, 1e-10, 1e-9)
    ),
    "SCS": ({},),
}


@dataclass(frozen=True)
class ConvexPoint:
    """A repaired, feasible solver answer: utilities, allocation, and the repair size."""

    utilities: tuple[float, float]
    allocation: dict[str, float] | None
    repair: float


def _to_cvx(expr: sp.Expr, u1: cp.Expression) -> cp.Expression:
    """Translate an allow-listed sympy expression in ``u1`` to a cvxpy expression."""
    if expr.is_Number:
        return cp.Constant(float(expr))
    if expr.is_Symbol:
        return u1
    if expr.is_Add:
        out = _to_cvx(expr.args[0], u1)
        for a in expr.args[1:]:
            out = out + _to_cvx(a, u1)
        return out
    if expr.is_Mul:
        consts = [a for a in expr.args if not a.free_symbols]
        rest = [a for a in expr.args if a.free_symbols]
        if len(rest) != 1:
            raise NotApplicableError(
                f"the frontier term {expr} is not DCP-representable", ("frontier",)
            )
        coef = float(sp.Mul(*consts)) if consts else 1.0
        return coef * _to_cvx(rest[0], u1)
    if expr.is_Pow and expr.exp.is_Number and not expr.exp.free_symbols:
        p = Fraction(str(sp.Rational(expr.exp)))
        base = _to_cvx(expr.base, u1)
        return cp.sqrt(base) if p == Fraction(1, 2) else cp.power(base, p)
    if isinstance(expr, sp.exp):
        return cp.exp(_to_cvx(expr.args[0], u1))
    if isinstance(expr, sp.log):
        return cp.log(_to_cvx(expr.args[0], u1))
    if isinstance(expr, sp.Min):
        return cp.minimum(*(_to_cvx(a, u1) for a in expr.args))
    raise NotApplicableError(f"the frontier term {expr} has no cvxpy form", ("frontier",))


class ConvexModel:
    """cvxpy description of F for one problem, with DPP problems compiled on demand.

    ``u`` is the cvxpy expression of the two utilities, ``constraints`` define F, ``ideal``
    is (max u1, max u2) and ``low`` (min u1, min u2) over F (floats); ``un`` are the utilities
    normalised to ``[0, 1]`` per axis and the parameter ``dn`` is the normalised disagreement
    point.
    """

    def __init__(
        self, problem: BargainingProblem, solver: str = "CLARABEL", *, sweep: bool = False
    ) -> None:
        if solver not in SOLVERS:
            raise NotApplicableError(f"unknown convex solver {solver!r}", tuple(SOLVERS))
        self.problem = problem
        self.solver = solver
        self.dn = cp.Parameter(2, name="d")
        self._problems: dict[Any, tuple[cp.Problem, Any]] = {}
        self._affine: dict[tuple[int, str], _AffineData | None] = {}
        self.sweep = sweep
        self.polished = False
        feas = problem.feasible
        self.labels: tuple[str, ...] = ()
        if isinstance(feas, Polytope):
            self._polytope(feas)
        elif isinstance(feas, Frontier):
            self._frontier(feas)
        else:
            self._issues(feas)
        span = np.array(self.ideal) - np.array(self.low)
        self.span = np.where(span > 0, span, 1.0)
        self.un = cp.multiply(1.0 / self.span, self.u - np.array(self.low))

    # ------------------------------------------------------------------ feasible sets
    def _polytope(self, poly: Polytope) -> None:
        verts = np.array([[float(v[0]), float(v[1])] for v in poly.vertices])
        lam = cp.Variable(len(verts), nonneg=True, name="lottery")
        self.u = verts.T @ lam
        self.constraints = [cp.sum(lam) == 1]
        self.ideal = (float(poly.ideal[0]), float(poly.ideal[1]))
        self.low = (float(verts[:, 0].min()), float(verts[:, 1].min()))

        def recover() -> ConvexPoint:
            raw = _value(lam)
            clean = np.clip(raw, 0.0, None)
            clean = clean / clean.sum()
            u = verts.T @ clean
            return ConvexPoint((float(u[0]), float(u[1])), None, float(np.abs(raw - clean).sum()))

        self._recover = recover

    def _frontier(self, fr: Frontier) -> None:
        x = cp.Variable(name="u1")
        y = cp.Variable(name="u2")
        lo, hi = float(fr.u1_min), float(fr.u1_max)
        top = _to_cvx(fr.expr, x)
        self.u = cp.hstack([x, y])
        self.constraints = [x >= lo, x <= hi, y <= top, y >= fr.value(hi)]
        if not top.is_concave():
            raise NotApplicableError(
                f"the frontier {fr.expr} is not DCP-concave in cvxpy's rules", ("frontier",)
            )
        self.ideal = (hi, fr.value(lo))
        self.low = (lo, fr.value(hi))

        def recover() -> ConvexPoint:
            x0, y0 = float(_value(x)), float(_value(y))
            u1 = min(max(x0, lo), hi)
            u2 = min(y0, fr.value(u1))
            return ConvexPoint((u1, u2), None, abs(u1 - x0) + abs(u2 - y0))

        self._recover = recover

    def _issues(self, space: IssueSpace) -> None:
        w1 = np.array([float(i.weights[0]) for i in space.issues])
        w2 = np.array([float(i.weights[1]) for i in space.issues])
        r1 = [i.exponents[0] for i in space.issues]
        r2 = [i.exponents[1] for i in space.issues]
        y = cp.Variable(len(w1), name="share")
        self.labels = space.labels
        if space.is_linear:
            self.u = cp.hstack([w1 @ y, w2 @ (1 - y)])
        else:
            t1 = [_power(y[j], r1[j]) for j in range(len(w1))]
            t2 = [_power(1 - y[j], r2[j]) for j in range(len(w1))]
            self.u = cp.hstack([w1 @ cp.hstack(t1), w2 @ cp.hstack(t2)])
        self.constraints = [y >= 0, y <= 1]
        self.ideal = (float(w1.sum()), float(w2.sum()))
        self.low = (0.0, 0.0)
        e1 = np.array([float(r) for r in r1])
        e2 = np.array([float(r) for r in r2])

        def recover() -> ConvexPoint:
            raw = _value(y)
            share = np.clip(raw, 0.0, 1.0)
            u = (float(w1 @ share**e1), float(w2 @ (1 - share) ** e2))
            alloc = {label: float(s) for label, s in zip(self.labels, share, strict=True)}
            return ConvexPoint(u, alloc, float(np.abs(raw - share).sum()))

        self._recover = recover

    # ------------------------------------------------------------------ problems
    def _gains(self) -> cp.Expression:
        return self.un - self.dn

    def normalise(self, u: Any) -> np.ndarray:
        """Normalised utilities ``(u - low) / span``."""
        return (np.asarray(u, dtype=float) - np.array(self.low)) / self.span

    def _get(self, key: Any, build: Callable[[], tuple[cp.Problem, Any]]) -> tuple[cp.Problem, Any]:
        if key not in self._problems:
            prob, aux = build()
            if not prob.is_dpp():  # pragma: no cover - guarded by construction
                raise NotApplicableError("the bargaining model is not DPP", ("exact",))
            self._problems[key] = (prob, aux)
        return self._problems[key]

    def set_disagreement(self, d: tuple[float, float]) -> None:
        """Set the disagreement point (normalised into the parameter ``dn``)."""
        self.dn.value = self.normalise(d)

    def max_min_gain(
        self, direction: tuple[float, float] = (1.0, 1.0), second_stage: bool = False
    ) -> tuple[float, ConvexPoint]:
        """``max t s.t. g >= t r`` for the direction ``r >= 0`` (normalised units).

        ``r = (1, 1)`` is the pre-check, ``r = I' - d'`` Kalai-Smorodinsky and ``r = 1/span``
        equal raw gains.  With ``second_stage`` (leximin): if one gain exceeds ``t r`` (a flat
        face), it is maximised keeping the other within 1e-6 of ``t r``.
        """

        def build() -> tuple[cp.Problem, Any]:
            t = cp.Variable(name="t")
            r = cp.Parameter(2, nonneg=True, name="direction")
            cons = [*self.constraints, self._gains() >= cp.multiply(r, t)]
            return cp.Problem(cp.Maximize(t), cons), (t, r)

        prob, (t, r) = self._get("maxmin", build)
        r.value = np.asarray(direction, dtype=float)
        self._solve(prob, "max-min gain")
        level = float(_value(t))
        point = self._checked()
        if not second_stage:
            return level, point
        rv = np.asarray(direction, dtype=float)
        excess = self.normalise(point.utilities) - np.asarray(self.dn.value) - level * rv
        slack = 1e-6 * max(1.0, abs(level))
        if float(excess.max()) <= slack * float(rv.max()):
            return level, point
        high = int(np.argmax(excess))

        def build2() -> tuple[cp.Problem, Any]:
            floors = cp.Parameter(2, name="floors")
            gains = self._gains()
            cons = [*self.constraints, gains >= floors]
            return cp.Problem(cp.Maximize(gains[high]), cons), floors

        prob2, floors = self._get(("leximin", high), build2)
        floors.value = (level - slack) * rv
        self._solve(prob2, "leximin second stage")
        return level, self._checked()

    def max_weighted(self, w: tuple[float, float]) -> ConvexPoint:
        """``max w . u`` (raw utilities) over the individually rational part; ``w >= 0``."""

        def build() -> tuple[cp.Problem, Any]:
            wp = cp.Parameter(2, nonneg=True, name="w")
            obj = cp.Maximize(wp @ self.un)
            return cp.Problem(obj, [*self.constraints, self._gains() >= 0]), wp

        prob, wp = self._get("weighted", build)
        scaled = np.asarray(w, dtype=float) * self.span  # w . u = (w * span) . u' + const
        wp.value = scaled / scaled.max()
        self._solve(prob, "weighted utilitarian")
        return self._checked()

    def nash(self, a: float, b: float, polish: bool = True) -> ConvexPoint:
        """``max a log g1 + b log g2`` (call only after a positive max-min pre-check).

        The Nash objective is flat at its optimum, so an interior-point duality gap eps
        places the maximiser only to about sqrt(eps) (~1e-6 with CLARABEL).  With ``polish``
        the same compiled model is re-solved by SCS (eps 1e-9), whose answer is taken when
        it is OPTIMAL, feasible and within 1e-4 of the first; ``polished`` records this.
        """

        def build() -> tuple[cp.Problem, Any]:
            g = self._gains()
            wa, wb = Fraction(a).limit_denominator(1024), Fraction(b).limit_denominator(1024)
            if float(wa) == a and float(wb) == b:
                # the weighted geometric mean is second-order-cone representable
                obj = cp.geo_mean(g, [wa, wb])
            else:
                obj = a * cp.log(g[0]) + b * cp.log(g[1])
            return cp.Problem(cp.Maximize(obj), self.constraints), None

        prob, _ = self._get(("nash", a, b), build)
        self._solve(prob, "Nash product")
        first = self._checked()
        self.polished = False
        if not polish or self.solver == "SCS":
            return first
        prob2, _ = self._get(("nash", a, b, "polish"), build)
        try:
            self._solve(prob2, "Nash product (polish)", solver="SCS")
            second = self._checked(solver="SCS")
        except SolverError:
            return first
        span = max(1.0, *(abs(v) for v in self.ideal))
        gap = max(abs(x - y) for x, y in zip(first.utilities, second.utilities, strict=True))
        if gap > 1e-4 * span:
            return first
        self.polished = True
        return second

    # ------------------------------------------------------------------ discipline
    def _solve(self, prob: cp.Problem, what: str, solver: str | None = None) -> None:
        name = solver or self.solver
        for options in LADDER[name]:
            opts = {**SOLVERS[name], **options}
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)  # "may be inaccurate": we check
                    fast = self._affine_data(prob, name) if self.sweep else None
                    if fast is not None:
                        fast.solve(prob, np.asarray(self.dn.value, dtype=float), opts)
                    else:
                        prob.solve(solver=name, **opts)
            except cp.error.SolverError as exc:
                raise SolverError(
                    f"{what}: the convex solver failed ({exc})",
                    solver=name,
                    status="solver_error",
                ) from exc
            if prob.status == cp.OPTIMAL:
                return
        raise SolverError(
            f"{what}: not solved to optimality",
            solver=name,
            status=str(prob.status),
            residual=_violation(prob),
        )

    def _affine_data(self, prob: cp.Problem, solver: str) -> _AffineData | None:
        """The compiled data of ``prob`` as an affine map of ``dn`` (sweeps only)."""
        others = tuple(
            (p.name(), np.asarray(p.value).tobytes()) for p in prob.parameters() if p is not self.dn
        )
        key = (id(prob), solver)
        cached = self._affine.get(key)
        if cached is None or cached.others != others:
            cached = _AffineData.build(prob, solver, self.dn, others)
            self._affine[key] = cached
        return cached

    def _checked(self, solver: str | None = None) -> ConvexPoint:
        point = self._recover()
        scale = max(1.0, *(abs(v) for v in self.ideal))
        if point.repair > FEASIBILITY_TOL * scale:
            raise SolverError(
                "the solver's answer lies outside the feasible set",
                solver=solver or self.solver,
                status="optimal",
                residual=point.repair,
            )
        return point


@dataclass
class _AffineData:
    """A DPP problem's solver data with the disagreement point as its only varying parameter.

    In DPP the solver data are an affine function of the parameters (Agrawal et al. 2019);
    ``dn`` enters only the constant vector ``b``, so ``b = b0 + B dn`` is read off three
    compilations (checked at a fourth point, with ``A`` and ``c`` unchanged) and each re-solve
    passes the data straight to the solver (``SolvingChain.solve_via_data``), skipping
    cvxpy's per-solve parameter application.
    """

    data: dict[str, Any]
    b0: np.ndarray
    B: np.ndarray
    chain: Any
    inverse: Any
    others: tuple[Any, ...]

    @classmethod
    def build(
        cls, prob: cp.Problem, solver: str, dn: cp.Parameter, others: tuple[Any, ...]
    ) -> _AffineData | None:
        saved = None if dn.value is None else np.array(dn.value, dtype=float)
        try:
            compiled = []
            for point in ((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (0.37, -0.61)):
                dn.value = np.array(point)
                compiled.append(prob.get_problem_data(solver, solver_opts={}))
        finally:
            dn.value = saved
        datas = [c[0] for c in compiled]
        b0 = np.asarray(datas[0]["b"], dtype=float)
        B = np.stack([datas[1]["b"] - b0, datas[2]["b"] - b0], axis=1)
        for d in datas[1:]:
            if (d["A"] != datas[0]["A"]).nnz or not np.array_equal(d["c"], datas[0]["c"]):
                return None  # pragma: no cover - dn enters only b by construction
        if not np.allclose(datas[3]["b"], b0 + B @ np.array((0.37, -0.61)), rtol=0, atol=1e-12):
            return None  # pragma: no cover
        _, chain, inverse = compiled[0]
        return cls(dict(datas[0]), b0, B, chain, inverse, others)

    def solve(self, prob: cp.Problem, dn: np.ndarray, options: dict[str, Any]) -> None:
        data = dict(self.data)
        data["b"] = self.b0 + self.B @ dn
        raw = self.chain.solve_via_data(prob, data, False, False, options)
        prob.unpack_results(raw, self.chain, self.inverse)


def _power(x: cp.Expression, r: Fraction) -> cp.Expression:
    if r == 1:
        return x
    return cp.sqrt(x) if r == Fraction(1, 2) else cp.power(x, r)


def _value(var: cp.Variable) -> np.ndarray:
    if var.value is None:  # pragma: no cover - only after a non-optimal status
        raise SolverError("no solution values", solver="cvxpy", status="no_values")
    return np.asarray(var.value, dtype=float)


def _violation(prob: cp.Problem) -> float | None:
    try:
        return max(float(np.max(c.violation())) for c in prob.constraints)
    except (TypeError, ValueError):  # values are None after infeasible / failed solves
        return None
