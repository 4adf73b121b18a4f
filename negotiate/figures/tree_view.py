"""The no-deal game as the report draws it: the part of the tree a reader needs.

Shown in full: every decision reached by the subgame-perfect strategy with at most one
deviation from it (the same nodes as the threat checks of
:mod:`negotiate.scenario.counterfactual`), and the chance moves between them.  A subtree
reached only by a second deviation, or a decision identical in choices and margins to one
already drawn, is collapsed into a leaf that shows its value under the equilibrium.  The
equilibrium path from the root is drawn bold, the choice at every other decision drawn solid,
and actions not chosen dashed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from matplotlib.figure import Figure

__all__ = ["ViewNode", "tree_figure", "tree_view"]


@dataclass
class ViewNode:
    """A drawn node: ``kind`` is decision, chance, terminal or collapsed."""

    path: tuple[str, ...]
    kind: str
    label: str
    values: tuple[Fraction, ...] = ()
    children: list[tuple[str, ViewNode, bool]] = field(default_factory=list)  # (edge, node, chosen)
    note: str = ""


def tree_view(result: Any, threats: tuple[Any, ...], strategy: Mapping[Any, str]) -> ViewNode:
    """The drawn part of ``result``'s no-deal game under ``strategy`` (see module docstring)."""
    from negotiate.games.tree import Chance, Decision, Terminal

    tree = result.scenario.deterrence["tree"].bind(dict(result.state.values))
    shown: dict[tuple[str, ...], tuple[str, ...]] = {}  # node -> the node drawn in its place
    groups: dict[Any, tuple[str, ...]] = {}
    by_node: dict[tuple[str, ...], list[Any]] = {}
    for t in threats:
        by_node.setdefault(t.node, []).append(t)
    for node, checks in by_node.items():
        key = tuple((c.player, c.action, c.chosen, c.margin, str(c.condition)) for c in checks)
        shown[node] = groups.setdefault(key, node)
    memo: dict[tuple[str, ...], tuple[Fraction, ...]] = {}

    def value(path: tuple[str, ...]) -> tuple[Fraction, ...]:
        if path not in memo:
            node = tree.node(path)
            if isinstance(node, Terminal):
                memo[path] = tuple(Fraction(v) for v in node.payoffs)
            elif isinstance(node, Chance):
                parts = [
                    tuple(Fraction(q) * v for v in value((*path, lab)))
                    for lab, q in zip(node.outcomes, node.probabilities, strict=True)
                ]
                memo[path] = tuple(sum(col, Fraction(0)) for col in zip(*parts, strict=True))
            else:
                memo[path] = value((*path, strategy[path]))
        return memo[path]

    def build(path: tuple[str, ...], devs: int) -> ViewNode:
        node = tree.node(path)
        if isinstance(node, Terminal):
            return ViewNode(path, "terminal", "", value(path))
        if isinstance(node, Chance):
            out = ViewNode(path, "chance", "chance")
            for lab, q in zip(node.outcomes, node.probabilities, strict=True):
                out.children.append((f"{lab} ({float(q):.2f})", build((*path, lab), devs), True))
            return out
        assert isinstance(node, Decision)
        if path not in shown:
            return ViewNode(path, "collapsed", node.player, value(path), note="…")
        if shown[path] != path:
            like = " → ".join(shown[path]) or "the root"
            return ViewNode(path, "collapsed", node.player, value(path), note=f"as at {like}")
        out = ViewNode(path, "decision", node.player)
        for action in node.actions:
            chosen = action == strategy[path]
            nxt = devs + (0 if chosen else 1)
            child = (*path, action)
            if nxt > 1 and not isinstance(tree.node(child), Terminal):
                sub = ViewNode(child, "collapsed", "", value(child), note="…")
            else:
                sub = build(child, nxt)
            out.children.append((action, sub, chosen))
        return out

    return build((), 0)


def _leaves(node: ViewNode) -> int:
    return 1 if not node.children else sum(_leaves(c) for _, c, _ in node.children)


def _depth(node: ViewNode) -> int:
    return 0 if not node.children else 1 + max(_depth(c) for _, c, _ in node.children)


def tree_figure(root: ViewNode, players: tuple[str, ...], label: Any = str) -> Figure:
    """Draw a :func:`tree_view` left to right; ``label`` makes text safe for matplotlib."""
    n, depth = _leaves(root), _depth(root)
    # at most the page's width (9.4 in), so that 9 pt text stays 9 pt on the page
    fig = Figure(figsize=(min(2.1 * depth + 3.2, 9.4), 0.34 * n + 0.9))
    ax = fig.add_subplot()
    ax.set_axis_off()
    counter = [0]

    def place(node: ViewNode, x: int, on_path: bool, edge: str = "") -> float:
        if not node.children:
            y = float(counter[0])
            counter[0] += 1
            text = ", ".join(
                f"{label(p)} {float(v):.3f}" for p, v in zip(players, node.values, strict=True)
            )
            if node.note:
                text = f"{label(node.note)}  ({text})"
            if edge:  # a leaf carries the name of the action that leads to it
                text = f"{label(edge)}: {text}"
            ax.text(x + 0.05, y, text, va="center", fontsize=9, color="0.1" if on_path else "0.35")
            return y
        ys = []
        for edge, child, chosen in node.children:
            path_edge = on_path and (chosen or node.kind == "chance")
            yc = place(child, x + 1, path_edge, "" if child.children else edge)
            ys.append((edge, yc, chosen, path_edge, bool(child.children)))
        y = sum(item[1] for item in ys) / len(ys)
        for edge, yc, chosen, path_edge, inner in ys:
            style: dict[str, Any] = (
                {"color": "tab:red", "lw": 2.6}
                if path_edge
                else {"color": "0.2", "lw": 1.2}
                if chosen
                else {"color": "0.6", "lw": 0.9, "ls": "--"}
            )
            ax.plot([x, x + 1], [y, yc], **style)
            if not inner:  # the leaf's own text names the action
                continue
            ax.text(
                x + 0.62,
                y + 0.62 * (yc - y),
                label(edge),
                fontsize=9,
                ha="center",
                va="center",
                color="0.15",
                bbox=dict(fc="white", ec="none", pad=0.3, alpha=0.8),
            )
        marker = "o" if node.kind == "decision" else "s"
        ax.plot(x, y, marker, color="tab:red" if on_path else "0.3", ms=6, zorder=3)
        if node.kind == "decision":  # a chance move is its square marker (see the legend)
            ax.text(
                x, y + 0.35, label(node.label), fontsize=9, ha="center", va="bottom", weight="bold"
            )
        return y

    place(root, 0, True)
    ax.set_xlim(-0.4, depth + 2.2)
    ax.set_ylim(n - 0.3, -0.9)
    ax.plot([], [], color="tab:red", lw=2.6, label="equilibrium path")
    ax.plot([], [], color="0.2", lw=1.2, label="equilibrium choice off the path")
    ax.plot([], [], color="0.6", lw=0.9, ls="--", label="action not chosen")
    ax.plot([], [], "o", color="0.3", ms=6, label="decision (the mover named above it)")
    ax.plot([], [], "s", color="0.3", ms=6, label="chance move (probabilities on its branches)")
    ax.legend(fontsize=9, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=2, frameon=False)
    return fig
