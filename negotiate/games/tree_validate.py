"""Reading and validating game trees: the dict shape, probabilities, information sets, binding.

Every error is a :class:`~negotiate.errors.ModelError` naming the field path, e.g.
``root.actions.enrich.chance.hit.probability``.  Probabilities must lie in [0, 1] and sum to
1: exactly for numbers; for expressions the sum is simplified symbolically (and otherwise
checked at sample points of the domain), and the range is checked at the vertices of the
parameter box when the expression is multilinear (exact), else at sample points.
"""

from __future__ import annotations

import itertools
import random
import re
import warnings
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import sympy as sp

from negotiate._exact import as_fraction, is_float_input, warn_float_input
from negotiate.errors import FloatInputWarning, ModelError
from negotiate.expr import Parameter, parse, symbol
from negotiate.games.tree_nodes import Chance, Decision, Node, Path, Terminal, Value, evaluate
from negotiate.labels import canonical
from negotiate.labels import label as check_label
from negotiate.labels import labels as check_labels

if TYPE_CHECKING:
    from negotiate.games.tree import GameTree

__all__ = ["MAX_TREE_DEPTH", "MAX_TREE_NODES", "bind_tree", "build_tree", "check_probabilities"]

MAX_TREE_DEPTH = 100
MAX_TREE_NODES = 100_000
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _sub(field: str, key: str) -> str:
    return f"{field}.{key}" if _IDENT.match(key) else f"{field}[{key!r}]"


def _pairs(data: Any, field: str) -> list[tuple[str, Any]]:
    """Labelled entries from a mapping or a sequence of ``[label, item]`` pairs."""
    if isinstance(data, Mapping):
        items = list(data.items())
    elif isinstance(data, Sequence) and not isinstance(data, str | bytes):
        items = []
        for i, pair in enumerate(data):
            if not isinstance(pair, Sequence) or isinstance(pair, str) or len(pair) != 2:
                raise ModelError(f"{field}[{i}]", pair, "expected a [label, node] pair")
            items.append((pair[0], pair[1]))
    else:
        raise ModelError(field, data, "expected a table of labelled entries")
    if not items:
        raise ModelError(field, data, "is empty; at least one entry is needed")
    seen: dict[str, int] = {}
    out = []
    for i, (raw, item) in enumerate(items):
        label = check_label(raw, f"{field}[{i}]")
        if label in seen:
            raise ModelError(
                _sub(field, label),
                raw,
                f"duplicate label (entries {seen[label]}, {i}, after normalising)",
            )
        seen[label] = i
        out.append((label, item))
    return out


class _Builder:
    def __init__(self, players: tuple[str, ...], params: dict[str, Parameter]) -> None:
        self.players = players
        self.params = params
        self.count = 0
        self.floats = False

    def value(self, raw: Any, field: str) -> Value:
        if isinstance(raw, str):
            expr = parse(raw, self.params, field=field)
        elif isinstance(raw, sp.Basic):
            if not isinstance(raw, sp.Expr):
                raise ModelError(field, raw, "expected a number or an expression")
            unknown = sorted(s.name for s in raw.free_symbols if s.name not in self.params)
            if unknown:
                raise ModelError(
                    field, raw, f"unknown parameters {unknown}; declared: {sorted(self.params)}"
                )
            expr = raw.xreplace({s: symbol(s.name) for s in raw.free_symbols})
        else:
            if is_float_input(raw):
                self.floats = True
            return as_fraction(raw, field)
        if expr.free_symbols:
            return expr
        if not expr.is_Rational:
            raise ModelError(field, raw, f"a constant must be rational, got {expr}")
        return Fraction(int(expr.p), int(expr.q))

    def node(self, d: Any, field: str, depth: int) -> Node:
        self.count += 1
        if self.count > MAX_TREE_NODES:
            raise ModelError(field, None, f"tree has more than {MAX_TREE_NODES} nodes")
        if depth > MAX_TREE_DEPTH:
            raise ModelError(field, None, f"tree is deeper than {MAX_TREE_DEPTH} levels")
        if not isinstance(d, Mapping):
            raise ModelError(field, d, "a node must be a table/dict")
        kinds = [k for k in ("payoffs", "chance", "actions") if k in d]
        if len(kinds) != 1:
            raise ModelError(
                field,
                sorted(map(str, d)),
                "a node needs exactly one of 'payoffs' (terminal), 'chance', "
                "or 'player' + 'actions' (decision)",
            )
        kind = kinds[0]
        allowed = {"payoffs": {"payoffs"}, "chance": {"chance"}}.get(
            kind, {"player", "actions", "infoset", "tie_break"}
        )
        extra = sorted(set(map(str, d)) - allowed)
        if extra:
            raise ModelError(
                _sub(field, extra[0]), d.get(extra[0]), f"unexpected key in a {kind} node"
            )
        if kind == "payoffs":
            return self.terminal(d["payoffs"], _sub(field, "payoffs"))
        if kind == "chance":
            return self.chance(d["chance"], _sub(field, "chance"), depth)
        return self.decision(d, field, depth)

    def terminal(self, pay: Any, field: str) -> Terminal:
        if not isinstance(pay, Mapping):
            raise ModelError(field, pay, "payoffs must be a table {player: value}")
        pay = {canonical(k): v for k, v in pay.items()}
        unknown = [p for p in pay if p not in self.players]
        if unknown:
            raise ModelError(
                _sub(field, str(unknown[0])),
                unknown[0],
                f"unknown player; players: {list(self.players)}",
            )
        missing = [p for p in self.players if p not in pay]
        if missing:
            raise ModelError(field, None, f"no payoff for player(s) {missing}")
        return Terminal(tuple(self.value(pay[p], _sub(field, p)) for p in self.players))

    def chance(self, data: Any, field: str, depth: int) -> Chance:
        outcomes, probs, children = [], [], []
        for label, item in _pairs(data, field):
            sub = _sub(field, label)
            if not isinstance(item, Mapping) or set(item) != {"probability", "then"}:
                raise ModelError(sub, item, "a chance outcome is {'probability': p, 'then': node}")
            outcomes.append(label)
            probs.append(self.value(item["probability"], _sub(sub, "probability")))
            children.append(self.node(item["then"], _sub(sub, "then"), depth + 1))
        check_probabilities(
            probs, self.params, [_sub(_sub(field, o), "probability") for o in outcomes]
        )
        return Chance(tuple(outcomes), tuple(probs), tuple(children))

    def decision(self, d: Mapping[str, Any], field: str, depth: int) -> Decision:
        player = canonical(d.get("player"))
        if player not in self.players:
            raise ModelError(
                _sub(field, "player"), player, f"unknown player; players: {list(self.players)}"
            )
        items = _pairs(d["actions"], _sub(field, "actions"))
        actions = tuple(label for label, _ in items)
        children = tuple(
            self.node(item, _sub(_sub(field, "actions"), label), depth + 1) for label, item in items
        )
        infoset = d.get("infoset")
        if infoset is not None:
            infoset = check_label(infoset, _sub(field, "infoset"))
        tie = d.get("tie_break", ())
        tf = _sub(field, "tie_break")
        if isinstance(tie, str | bytes) or not isinstance(tie, Sequence):
            raise ModelError(tf, tie, "tie_break must be a list of actions in order of preference")
        tie = [canonical(a) for a in tie]
        for i, a in enumerate(tie):
            if a not in actions:
                raise ModelError(
                    f"{tf}[{i}]", a, f"is not an action here; actions: {list(actions)}"
                )
            if list(tie).index(a) != i:
                raise ModelError(f"{tf}[{i}]", a, "duplicate label in tie_break")
        return Decision(player, actions, children, infoset, tuple(tie))


def build_tree(cls: type[GameTree], d: Mapping[str, Any]) -> GameTree:
    """Validate the dict form and build the tree (see :meth:`GameTree.from_dict`)."""
    if not isinstance(d, Mapping):
        raise ModelError("tree", d, "a game tree must be a table/dict")
    extra = sorted(set(map(str, d)) - {"players", "parameters", "root", "title"})
    if extra:
        raise ModelError(
            extra[0], d.get(extra[0]), "unknown key; allowed: players, parameters, root, title"
        )
    players = d.get("players")
    if isinstance(players, str | bytes) or not isinstance(players, Sequence) or not players:
        raise ModelError("players", players, "expected a non-empty list of player labels")
    players = check_labels(players, "players")
    raw_params = d.get("parameters", {}) or {}
    if not isinstance(raw_params, Mapping):
        raise ModelError("parameters", raw_params, "expected a table {name: {domain, value, ...}}")
    params: dict[str, Parameter] = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", FloatInputWarning)
        for name, spec in raw_params.items():
            params[name] = Parameter.from_dict(name, spec, _sub("parameters", str(name)))
    builder = _Builder(tuple(players), params)
    builder.floats = bool(caught)
    if "root" not in d:
        raise ModelError("root", None, "missing: the tree needs a root node")
    root = builder.node(d["root"], "root", 0)
    title = d.get("title", "")
    if not isinstance(title, str):
        raise ModelError("title", title, "must be a string")
    tree = cls(tuple(players), params, root, float_input=builder.floats, title=title)
    _check_infosets(tree)
    if builder.floats:
        warn_float_input("game tree: floats", stacklevel=3)
    return tree


def _check_infosets(tree: GameTree) -> None:
    for name, members in tree.infosets.items():
        first = tree.node(members[0])
        assert isinstance(first, Decision)
        for m in members[1:]:
            node = tree.node(m)
            assert isinstance(node, Decision)
            where = f"infoset {name!r}: nodes {members[0]} and {m}"
            if node.player != first.player:
                raise ModelError(f"{where}.player", node.player, f"differs from {first.player!r}")
            if set(node.actions) != set(first.actions):
                raise ModelError(
                    f"{where}.actions", list(node.actions), f"differ from {list(first.actions)}"
                )
            if node.tie_break != first.tie_break:
                raise ModelError(
                    f"{where}.tie_break", list(node.tie_break), "differs within the information set"
                )
        for a, b in itertools.combinations(members, 2):
            short, long = (a, b) if len(a) <= len(b) else (b, a)
            if long[: len(short)] == short:
                raise ModelError(
                    f"infoset {name!r}",
                    [a, b],
                    "a node and its descendant share an information set",
                )


def _box(
    params: Mapping[str, Parameter], names: Sequence[str], field: str
) -> list[tuple[Fraction, Fraction]]:
    box = []
    for n in names:
        p = params.get(n)
        if p is None or p.domain is None:
            raise ModelError(
                field, n, "parameters used in probabilities need a domain [lo, hi] to be checked"
            )
        box.append(p.domain)
    return box


def _samples(box: list[tuple[Fraction, Fraction]], n: int = 64) -> list[tuple[Fraction, ...]]:
    rng = random.Random(20250101)
    pts = list(itertools.product(*box)) if len(box) <= 10 else []
    pts.append(tuple((lo + hi) / 2 for lo, hi in box))
    for _ in range(n):
        pts.append(tuple(lo + (hi - lo) * Fraction(rng.randint(0, 997), 997) for lo, hi in box))
    return pts


def _multilinear(expr: sp.Expr, syms: Sequence[sp.Symbol]) -> bool:
    poly = expr.as_poly(*syms)
    return (
        poly is not None
        and (poly.domain.is_QQ or poly.domain.is_ZZ)
        and all(max(m) <= 1 for m in poly.monoms())
    )


def _critical_points(
    p: sp.Expr, s: sp.Symbol, dom: tuple[Fraction, Fraction]
) -> list[tuple[Fraction, ...]]:
    """Rational points where ``p`` attains its extremes on ``dom`` (exact for polynomials);
    irrational critical points are replaced by close rationals, plus sample points."""
    out: list[tuple[Fraction, ...]] = []
    poly = p.as_poly(s)
    if poly is None or poly.degree() > 8:
        return [(x,) for (x,) in _samples([dom])]
    for r in sp.Poly(sp.diff(poly.as_expr(), s), s).real_roots():
        x = Fraction(int(r.p), int(r.q)) if r.is_Rational else Fraction(str(sp.Float(r, 30)))
        if dom[0] <= x <= dom[1]:
            out.append((x,))
    return out + [(x,) for (x,) in _samples([dom])]


def check_probabilities(
    probs: Sequence[Value], params: Mapping[str, Parameter], fields: Sequence[str]
) -> None:
    """Check a chance node's probabilities: each in [0, 1] and summing to 1."""
    for p, f in zip(probs, fields, strict=True):
        if isinstance(p, Fraction):
            if not 0 <= p <= 1:
                raise ModelError(f, p, "probabilities must lie in [0, 1]")
            continue
        syms = sorted(p.free_symbols, key=lambda s: s.name)
        names = [s.name for s in syms]
        box = _box(params, names, f)
        if _multilinear(p, syms):
            points = list(itertools.product(*box))
        elif len(syms) == 1:
            points = list(itertools.product(*box)) + _critical_points(p, syms[0], box[0])
        else:
            points = _samples(box)
        for pt in points:
            v = evaluate(p, dict(zip(names, pt, strict=True)), f)
            if not 0 <= v <= 1:
                at = ", ".join(f"{n}={x}" for n, x in zip(names, pt, strict=True))
                raise ModelError(f, str(p), f"is {v} at {at}; probabilities must lie in [0, 1]")
    total = sum(
        (sp.Rational(p.numerator, p.denominator) if isinstance(p, Fraction) else p for p in probs),
        sp.Integer(0),
    )
    field = fields[0].rsplit(".", 2)[0] if fields else "chance"
    if not total.free_symbols:
        if total != 1:
            raise ModelError(field, str(total), "chance probabilities must sum to 1")
        return
    if sp.simplify(total - 1) == 0:
        return
    syms = sorted(total.free_symbols, key=lambda s: s.name)
    names = [s.name for s in syms]
    for pt in _samples(_box(params, names, field), 16):
        v = evaluate(total, dict(zip(names, pt, strict=True)), field)
        if v != 1:
            at = ", ".join(f"{n}={x}" for n, x in zip(names, pt, strict=True))
            raise ModelError(field, str(total), f"probabilities sum to {v} at {at}, not 1")


def bind_tree(tree: GameTree, values: Mapping[Any, Any]) -> GameTree:
    """The numeric tree at ``values`` (see :meth:`GameTree.bind`)."""
    given: dict[str, Fraction] = {}
    for key, raw in values.items():
        name = key.name if isinstance(key, sp.Symbol) else key
        if name not in tree.parameters:
            raise ModelError(
                f"values[{name!r}]", raw, f"unknown parameter; declared: {sorted(tree.parameters)}"
            )
        given[name] = as_fraction(raw, f"values[{name!r}]")
    for name, p in tree.parameters.items():
        if name not in given and p.value is not None:
            given[name] = p.value
        if name in given and p.domain is not None and not p.domain[0] <= given[name] <= p.domain[1]:
            raise ModelError(
                f"values[{name!r}]",
                given[name],
                f"lies outside the domain [{p.domain[0]}, {p.domain[1]}]",
            )
    used = {s.name for s in tree.free_symbols}
    unbound = sorted(used - set(given))
    if unbound:
        raise ModelError(
            "values", sorted(given), f"unbound parameter(s) {unbound}: give values for them"
        )

    def walk(node: Node, path: Path) -> Node:
        f = "node " + repr(path)
        if isinstance(node, Terminal):
            return Terminal(
                tuple(evaluate(v, given, f"{f}.payoffs[{i}]") for i, v in enumerate(node.payoffs))
            )
        kids = tuple(
            walk(ch, (*path, lab)) for lab, ch in zip(_labels(node), node.children, strict=True)
        )
        if isinstance(node, Chance):
            probs = tuple(
                evaluate(p, given, f"{f}.probability[{o}]")
                for p, o in zip(node.probabilities, node.outcomes, strict=True)
            )
            check_probabilities(probs, {}, [f"{f}.chance.{o}.probability" for o in node.outcomes])
            return Chance(node.outcomes, probs, kids)
        return Decision(node.player, node.actions, kids, node.infoset, node.tie_break)

    root = walk(tree.root, ())
    return type(tree)(
        tree.players,
        tree.parameters,
        root,
        float_input=tree.float_input,
        bound=given,
        title=tree.title,
    )


def _labels(node: Decision | Chance) -> tuple[str, ...]:
    return node.actions if isinstance(node, Decision) else node.outcomes
