"""Subtree templates for scenario game trees: write a repeated branch once, use it many times.

In ``[deterrence]`` a node may be ``{use = "NAME", let = {p = "expr", ...}}``, which stands
for the subtree ``[deterrence.subtrees.NAME]``::

    [deterrence.subtrees.retaliation]
    params = ["ir0", "us0"]            # placeholders, bound by each use's `let`
    root = { player = "Iran", actions = { none = { payoffs = { Iran = "ir0", US = "us0" } } } }

Expansion happens before the tree is built.  Placeholders are replaced, as whole
identifiers, by the parenthesised ``let`` expression; the expanded text is then parsed by
:func:`negotiate.expr.parse` like every other expression, so no text is ever executed.
Templates may use other templates; cycles, unbound or unknown placeholders, nesting deeper
than :data:`MAX_NESTING` and expansions larger than :data:`MAX_NODES` are errors.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from negotiate.errors import ModelError
from negotiate.scenario.schema import check_keys, expect_list_of_str, expect_str, expect_table

__all__ = ["MAX_NESTING", "MAX_NODES", "expand_tree"]

MAX_NESTING = 16
MAX_NODES = 20_000
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _substitute(text: str, env: Mapping[str, str]) -> str:
    if not env:
        return text
    return _IDENT.sub(lambda m: f"({env[m.group(0)]})" if m.group(0) in env else m.group(0), text)


class _Expander:
    def __init__(self, templates: Mapping[str, Any], field: str) -> None:
        self.field = field
        self.templates: dict[str, tuple[tuple[str, ...], Any]] = {}
        for name, spec in templates.items():
            f = f"{field}.subtrees.{name}"
            spec = expect_table(spec, f)
            check_keys(spec, f, {"params", "root"}, required=("root",))
            params = expect_list_of_str(spec.get("params", []), f"{f}.params")
            self.templates[name] = (params, spec["root"])
        self.count = 0

    def node(self, node: Any, env: Mapping[str, str], f: str, stack: tuple[str, ...]) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise ModelError(self.field, None, f"the expanded tree has more than {MAX_NODES} nodes")
        node = expect_table(node, f)
        if "use" in node:
            return self.use(node, env, f, stack)
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "payoffs":
                table = expect_table(value, f"{f}.payoffs")
                out[key] = {p: self.text(v, env, f"{f}.payoffs.{p}") for p, v in table.items()}
            elif key == "actions":
                table = expect_table(value, f"{f}.actions")
                out[key] = {
                    a: self.node(child, env, f"{f}.actions.{a}", stack)
                    for a, child in table.items()
                }
            elif key == "chance":
                table = expect_table(value, f"{f}.chance")
                branches = {}
                for label, branch in table.items():
                    bf = f"{f}.chance.{label}"
                    branch = expect_table(branch, bf)
                    check_keys(
                        branch, bf, {"probability", "then"}, required=("probability", "then")
                    )
                    branches[label] = {
                        "probability": self.text(branch["probability"], env, f"{bf}.probability"),
                        "then": self.node(branch["then"], env, f"{bf}.then", stack),
                    }
                out[key] = branches
            else:
                out[key] = value
        return out

    def use(
        self, node: Mapping[str, Any], env: Mapping[str, str], f: str, stack: tuple[str, ...]
    ) -> Any:
        check_keys(node, f, {"use", "let"}, required=("use",))
        name = expect_str(node["use"], f"{f}.use")
        if name not in self.templates:
            known = ", ".join(self.templates) or "none"
            raise ModelError(f"{f}.use", name, f"unknown subtree; subtrees: {known}")
        if name in stack:
            raise ModelError(f"{f}.use", name, "cycle: " + " -> ".join([*stack, name]))
        if len(stack) >= MAX_NESTING:
            raise ModelError(f"{f}.use", name, f"subtrees nested deeper than {MAX_NESTING}")
        params, root = self.templates[name]
        let = expect_table(node.get("let", {}), f"{f}.let")
        for key in let:
            if key not in params:
                raise ModelError(f"{f}.let.{key}", None, f"not a parameter of subtree {name!r}")
        missing = [p for p in params if p not in let]
        if missing:
            raise ModelError(f"{f}.let.{missing[0]}", None, f"subtree {name!r} needs a value")
        inner = {p: self.text(let[p], env, f"{f}.let.{p}") for p in params}
        return self.node(root, inner, f"{self.field}.subtrees.{name}.root", (*stack, name))

    def text(self, value: Any, env: Mapping[str, str], f: str) -> str:
        if isinstance(value, bool):
            raise ModelError(f, value, "expected a number or an expression string")
        if isinstance(value, int | float):
            value = repr(value)
        return _substitute(expect_str(value, f, max_len=2000), env)


def expand_tree(table: Mapping[str, Any], field: str) -> Any:
    """The root node of ``table`` (a ``[deterrence]`` table) with every ``use`` expanded."""
    expander = _Expander(expect_table(table.get("subtrees", {}), f"{field}.subtrees"), field)
    return expander.node(table["root"], {}, f"{field}.root", ())
