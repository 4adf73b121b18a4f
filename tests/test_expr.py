"""negotiate.expr: the safe text -> sympy path, substitution, compilation."""

from __future__ import annotations

import time
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate.errors import FloatInputWarning, ModelError
from negotiate.expr import (
    Parameter,
    compile_numeric,
    parse,
    parse_condition,
    substitute,
    symbol,
)


def _payloads(marker: str) -> list[str]:
    """Code-execution payloads (eval, import, dunders) and variants, each touching ``marker``."""
    return [
        f"__import__('os').system('touch {marker}')",
        f"open('{marker}', 'w').write('x')",
        "().__class__.__base__.__subclasses__()[140].__init__.__globals__['system']"
        f"('touch {marker}')",
        f"[c for c in ().__class__.__base__.__subclasses__()][0]('touch {marker}')",
        f"(lambda: __import__('os').system('touch {marker}'))()",
        f"exec(\"open('{marker}','w')\")",
        f"eval(\"open('{marker}','w')\")",
        f"getattr(__builtins__, 'open')('{marker}', 'w')",
        f"(1).__class__.__mro__[-1].__subclasses__()  and open('{marker}','w')",
        f"x.__globals__['os'].system('touch {marker}')",
        f"exp(open('{marker}', 'w'))",
        f"min(x, __import__('os').system('touch {marker}'))",
        f"(y := open('{marker}', 'w'))",
        f"f\"{{open('{marker}', 'w')}}\"",
        f"x if open('{marker}', 'w') else x",
        f"{{'a': open('{marker}', 'w')}}",
        f"breakpoint() or open('{marker}','w')",
        f"x[open('{marker}','w')]",
        f"sp.Symbol(\"__import__('os').system('touch {marker}')\")",
        f"Symbol(\"__import__('os').system('touch {marker}')\")",
    ]


def test_code_execution_payloads_are_refused_without_running(tmp_path):
    marker = tmp_path / "pwned"
    payloads = _payloads(str(marker))
    for text in payloads:
        with pytest.raises(ModelError) as err:
            parse(text, ["x"], field="payoffs.Iran")
        assert err.value.field == "payoffs.Iran"
        with pytest.raises(ModelError):
            parse_condition(text, ["x"], "condition")
    assert not marker.exists()


def test_symbol_name_payload_never_reaches_code_generation(tmp_path):
    marker = tmp_path / "pwned"
    evil = f"__import__('os').system('touch {marker}')"
    with pytest.raises(ModelError):
        symbol(evil)
    with pytest.raises(ModelError):
        compile_numeric([sp.Integer(1)], [evil])
    # a hand-made sympy expression carrying that name is rejected before lambdify
    with pytest.raises(ModelError, match="undeclared"):
        compile_numeric([sp.Symbol(evil) + 1], ["x"])
    with pytest.raises(ModelError):
        Parameter.from_dict(evil, {"domain": [0, 1]}, "parameters")
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("9**9**9**9", "exponent"),
        ("x+" * 5000 + "x", "longer than"),
        ("2**100000000", "exponent"),
        ("((9**64)**64)**64", "bits"),
        ("(2**64)**64", "bits"),
        ("((x+1)**64)**64", "exponent"),
        ("10**16", None),  # computed numbers may exceed the literal bound
        ("10000000000000001", "larger than"),
        ("1e16", "larger than"),
        ("1e400", "larger than"),
        ("(" * 300 + "x" + ")" * 300, "not a valid expression"),
        ("-" * 40 + "x", "depth"),
        ("exp(" * 33 + "x" + ")" * 33, "depth"),
        ("+".join(["x"] * 300), "nodes"),
        ("max(" + ",".join(f"x*{i}" for i in range(40)) + ")", "argument"),
    ],
)
def test_denial_of_service_inputs_are_refused_quickly(text, reason):
    start = time.perf_counter()
    if reason is None:
        assert parse(text, ["x"], field="f") == 10**16
    else:
        with pytest.raises(ModelError, match=reason):
            parse(text, ["x"], field="f")
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("x.real", "Attribute"),
        ("(1).real", "Attribute"),
        ("x[0]", "Subscript"),
        ("lambda: 1", "Lambda"),
        ("[x for x in y]", "ListComp"),
        ("{x for x in y}", "SetComp"),
        ("(x for x in y)", "GeneratorExp"),
        ("f'{x}'", "JoinedStr"),
        ("(y := 1)", "NamedExpr"),
        ("'x'", "str"),
        ("b'x'", "bytes"),
        ("True", "bool"),
        ("None", "NoneType"),
        ("1j", "complex"),
        ("x < 1", "Compare"),
        ("x and 1", "BoolOp"),
        ("x % 2", "Mod"),
        ("x // 2", "FloorDiv"),
        ("x @ x", "MatMult"),
        ("x ^ 2", "BitXor"),
        ("~x", "Invert"),
        ("__x", "not a valid expression|unknown name"),
        ("__class__", "unknown name"),
        ("y", "declared parameters: x"),
        ("exp", "must be called"),
        ("ｘ", "ASCII"),  # fullwidth x: NFKC-equal to x in Python, a new symbol in sympify
        ("x\u200b", "ASCII"),
        ("\u0445", "ASCII"),  # Cyrillic kha
        ("exp(x, x)", "argument"),
        ("exp(x=1)", "positional"),
        ("exp(*x)", "positional"),
        ("sin(x)", "only calls"),
        ("x.__class__()", "only calls"),
        ("1/0", "division by zero"),
        ("x/(x - x)", "division by zero"),
        ("0**-1", "division by zero"),
        ("log(0)", "undefined"),
        ("sqrt(-1)", "non-real"),
        ("", "empty"),
        ("x +", "not a valid expression"),
        ("x\x00", "not a valid expression"),
        ("x; 1", "not a valid expression"),
    ],
)
def test_disallowed_syntax_names_the_field(text, reason):
    with pytest.raises(ModelError, match=reason) as err:
        parse(text, ["x"], field="players[1].payoff")
    assert err.value.field == "players[1].payoff"


def test_non_string_input_is_refused():
    with pytest.raises(ModelError, match="expected an expression string"):
        parse(3, ["x"], field="f")  # type: ignore[arg-type]


def test_decimals_are_exact_and_structure_is_built_directly():
    assert parse("0.1 + 0.2", [], field="f") == sp.Rational(3, 10)
    assert parse("1e-3", [], field="f") == sp.Rational(1, 1000)
    assert parse("1_000.5", [], field="f") == sp.Rational(2001, 2)
    rho, g = symbol("rho"), symbol("g")
    assert parse("1 - rho*(1 - g)", ["rho", "g"], field="f") == 1 - rho * (1 - g)
    x = symbol("x")
    got = parse("min(x, 1/2) + max(x, 0) + abs(-x) + sqrt(x**2) + exp(log(x))", ["x"], field="f")
    assert got == sp.Min(x, sp.Rational(1, 2)) + sp.Max(x, 0) + 2 * sp.Abs(x) + x
    assert parse("-x**2", ["x"], field="f") == -(x**2)
    assert parse("x**-2", ["x"], field="f") == x**-2
    assert parse("(2**60)**60", [], field="f") == 2**3600


def test_declared_names_from_parameter_mapping_and_symbols_are_real():
    params = {"e": Parameter("e", domain=(0, 1))}
    expr = parse("1 - e", params, field="f")
    (e,) = expr.free_symbols
    assert e == symbol("e") and e.is_real


@pytest.mark.parametrize("name", ["_x", "__import__", "1x", "x-y", "ｘ", "lambda", "", "a b"])
def test_symbol_rejects_unsafe_names(name):
    with pytest.raises(ModelError):
        symbol(name)


def test_conditions():
    x, y = symbol("x"), symbol("y")
    cond = parse_condition("0 < x <= 1 and not y > 2 or x >= 3", ["x", "y"], "c")
    assert cond == sp.Or(sp.And(sp.Lt(0, x), x <= 1, sp.Not(y > 2)), x >= 3)
    assert parse_condition("1 < 2", [], "c") == sp.true
    for bad in ["x == 1", "x != 1", "x", "x in y", "x is y", "x < 1 if y else x"]:
        with pytest.raises(ModelError) as err:
            parse_condition(bad, ["x", "y"], "cond")
        assert err.value.field == "cond"


def test_substitute_is_simultaneous_and_refuses_undefined_values():
    # PITFALLS §3 threshold trap: (R-T)/(P-T) at T = R = P = 3 is 0/0
    names = ["R", "T", "P", "d"]
    thr = parse("(R - T)/(P - T)", names, field="thr")
    with pytest.raises(ModelError, match="undefined"):
        substitute(thr, {"R": 3, "T": 3, "P": 3})
    with pytest.raises(ModelError, match="undefined"):
        substitute(parse("R/(1 - d)", names, field="f"), {"R": 1, "d": 1})
    assert substitute(thr, {"R": 3, "T": 5, "P": 1}) == Fraction(1, 2)
    # simultaneous: swapping values does not chain
    x, y = symbol("x"), symbol("y")
    assert substitute(x - 2 * y, {"x": "0.5", symbol("y"): Fraction(1, 3)}) == Fraction(-1, 6)
    partial = substitute(x + y, {"x": 1})
    assert partial == 1 + y
    assert substitute(sp.sqrt(x), {"x": 2}) == sp.sqrt(2)
    with pytest.raises(ModelError, match=r"non-real|undefined"):
        substitute(sp.sqrt(x), {"x": -1})
    with pytest.raises(ModelError, match="two different values"):
        substitute(x, {"x": 1, symbol("x"): 2})
    with pytest.raises(ModelError):
        substitute(x, {"x": float("nan")})


def test_compile_numeric_vectorised_and_consistent_with_exact():
    names = ["x", "y"]
    exprs = [
        parse("min(x, 1/2)*y + exp(x)", names, field="a"),
        parse_condition("x < y", names, "b"),
        parse("3", names, field="c"),
    ]
    f = compile_numeric(exprs, names)
    xs = np.linspace(0, 1, 11)
    a, b, c = f(xs, 2.0)
    assert a.shape == b.shape == c.shape == (11,)
    assert b.dtype == bool and b.all()
    assert np.all(c == 3.0)
    for xv, av in zip(xs, a, strict=True):
        exact = substitute(exprs[0], {"x": Fraction(str(round(xv, 10))), "y": 2})
        assert av == pytest.approx(float(exact), rel=1e-12)
    with pytest.raises(ModelError, match="undefined"):
        compile_numeric([parse("1/(1 - x)", ["x"], field="f")], ["x"])(np.array([0.0, 1.0]))
    raw = compile_numeric([parse("1/(1 - x)", ["x"], field="f")], ["x"], check_finite=False)
    assert np.isinf(raw(np.array([1.0]))[0][0])
    with pytest.raises(ModelError, match="duplicate"):
        compile_numeric([symbol("x")], ["x", "x"])
    with pytest.raises(ModelError, match="expected 1 arrays"):
        compile_numeric([symbol("x")], ["x"])(1.0, 2.0)


def test_compile_numeric_names_that_shadow_numpy_are_safe():
    names = ["numpy", "exp", "minimum"]
    expr = parse("exp(numpy) + min(minimum, 1) + exp", names, field="f")
    (out,) = compile_numeric([expr], names)(np.array([0.0]), np.array([2.0]), np.array([0.5]))
    assert out[0] == pytest.approx(1 + 0.5 + 2)


def test_parameter_declarations():
    p = Parameter.from_dict(
        "e", {"domain": [0, "1"], "value": "0.3", "meaning": "hit", "source": "assumption"}, "p.e"
    )
    assert p.domain == (0, 1) and p.value == Fraction(3, 10) and p.symbol == symbol("e")
    assert isinstance(p.domain[0], Fraction)
    with pytest.warns(FloatInputWarning):
        assert Parameter.from_dict("e", {"value": 0.1}, "p.e").value == Fraction(1, 10)
    bad = [
        ({"domain": [1, 0]}, "lo <= hi"),
        ({"domain": [0, 1], "value": 2}, "outside the domain"),
        ({"domain": [0]}, "pair"),
        ({"domain": "01"}, "pair"),
        ({"value": "nan"}, "NaN"),
        ({"value": True}, "boolean"),
        ({"unit": "m"}, "unknown key"),
        ({"meaning": 3}, "string"),
    ]
    for d, reason in bad:
        with pytest.raises(ModelError, match=reason):
            Parameter.from_dict("e", d, "parameters.e")
    with pytest.raises(ModelError):
        Parameter.from_dict("e", [0, 1], "parameters.e")  # type: ignore[arg-type]


_names = ["a", "b", "c"]
_atoms = st.one_of(
    st.sampled_from(_names),
    st.integers(-50, 50).map(str),
    st.fractions(min_value=-5, max_value=5, max_denominator=20).map(
        lambda q: f"({q.numerator}/{q.denominator})"
    ),
)


def _combine(children):
    ops = st.sampled_from(["+", "-", "*"])
    return st.one_of(
        st.tuples(children, ops, children).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["min", "max"]), children, children).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"
        ),
        children.map(lambda s: f"abs({s})"),
        children.map(lambda s: f"({s})**2"),
    )


_texts = st.recursive(_atoms, _combine, max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(
    _texts,
    st.lists(st.fractions(-3, 3, max_denominator=9), min_size=3, max_size=3),
)
def test_exact_substitution_matches_compiled_float_evaluation(text, point):
    expr = parse(text, _names, field="f")
    exact = substitute(expr, dict(zip(_names, point, strict=True)))
    assert isinstance(exact, Fraction)
    (num,) = compile_numeric([expr], _names)(*(float(v) for v in point))
    assert float(num) == pytest.approx(float(exact), rel=1e-9, abs=1e-9)


def test_compiled_conditions_broadcast_scalars_against_arrays() -> None:
    import numpy as np

    from negotiate.expr import compile_numeric, parse_condition

    cond = parse_condition("x > 0 and y < 1", ["x", "y"], field="c")
    (out,) = compile_numeric([cond], ["x", "y"])(np.array([1.0, -1.0, 2.0]), 0.5)
    assert out.tolist() == [True, False, True]
