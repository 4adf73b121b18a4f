"""Game-tree figures (matplotlib, no pyplot state): the tree with an equilibrium highlighted.

Leaves are spaced evenly; each inner node sits above the middle of its children.  Decision
nodes are circles labelled by the mover, chance nodes squares, terminals list the payoffs.
Given an equilibrium (an ``SPEProfile``, an ``SPEResult`` -- its first equilibrium -- or a
symbolic ``Region``), the chosen action at every node is drawn bold and the equilibrium path
(the nodes reached with positive probability) in colour.  Given an equilibrium in behaviour
strategies (anything with ``.behavior``, e.g. from ``nash_equilibria(tree)``, or a result
listing such equilibria -- its first), every action is labelled with its probability and
those played with positive probability are drawn bold.  Members of an information set are
joined by a dashed line.  :func:`figure_svg` renders the figure as self-contained SVG text.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from matplotlib.figure import Figure

from negotiate.errors import ModelError
from negotiate.games.tree import Chance, Decision, GameTree, Path, Terminal, expr_text, labels

__all__ = ["figure_svg", "tree_figure"]

_PATH_COLOUR = "#c0392b"
_CHOICE_COLOUR = "#2c3e50"
_OTHER_COLOUR = "#b0b0b0"


def _text(value: Any) -> str:
    """Plain text for matplotlib (no mathtext: ``$`` is escaped)."""
    return str(value).replace("$", r"\$")


def _strategy_of(equilibrium: Any) -> Mapping[Path, str] | None:
    if equilibrium is None:
        return None
    if hasattr(equilibrium, "equilibria"):
        eqs = equilibrium.equilibria
        if not eqs:
            raise ModelError("equilibrium", None, "the result lists no equilibrium")
        return eqs[0].strategy
    if hasattr(equilibrium, "strategy"):
        return equilibrium.strategy
    if isinstance(equilibrium, Mapping):
        return equilibrium
    raise ModelError(
        "equilibrium", type(equilibrium).__name__, "expected an equilibrium or a strategy"
    )


def _behavior_of(equilibrium: Any) -> Mapping[tuple[str, Any], Mapping[str, Any]] | None:
    """The behaviour profile of an equilibrium (or of a result's first), if it has one."""
    eqs = getattr(equilibrium, "equilibria", None)
    if eqs and hasattr(eqs[0], "behavior"):
        equilibrium = eqs[0]
    behavior = getattr(equilibrium, "behavior", None)
    return behavior if isinstance(behavior, Mapping) else None


def _choices(tree: GameTree, equilibrium: Any) -> tuple[dict[Path, dict[str, Any]] | None, bool]:
    """Per decision node, the probability of each action (``None`` without an equilibrium),
    and whether they come from behaviour strategies."""
    behavior = _behavior_of(equilibrium)
    if behavior is not None:
        out: dict[Path, dict[str, Any]] = {}
        for p in tree.decision_paths():
            node = tree.node(p)
            assert isinstance(node, Decision)
            key = (node.player, node.infoset if node.infoset is not None else p)
            if key not in behavior:
                raise ModelError("equilibrium.behavior", key, "no entry for this information set")
            out[p] = dict(behavior[key])
        return out, True
    strategy = _strategy_of(equilibrium)
    if strategy is None:
        return None, False
    return {p: {a: 1} for p, a in strategy.items()}, False


def _layout(tree: GameTree) -> dict[Path, tuple[float, float]]:
    pos: dict[Path, tuple[float, float]] = {}
    leaves = [p for p in tree.paths() if isinstance(tree.node(p), Terminal)]
    for k, p in enumerate(leaves):
        pos[p] = (float(k), -float(len(p)))
    for p in reversed(list(tree.paths())):
        if p in pos:
            continue
        node = tree.node(p)
        xs = [pos[(*p, lab)][0] for lab in labels(node)]
        pos[p] = ((min(xs) + max(xs)) / 2, -float(len(p)))
    return pos


def _reached(tree: GameTree, choices: Mapping[Path, Mapping[str, Any]]) -> set[Path]:
    """Nodes reached with positive probability when everyone plays by ``choices``."""
    out: set[Path] = {()}
    stack: list[Path] = [()]
    while stack:
        p = stack.pop()
        node = tree.node(p)
        if isinstance(node, Decision):
            probs = choices.get(p, {})
            nxt = [(*p, a) for a in node.actions if _positive(probs.get(a, 0))]
        elif isinstance(node, Chance):
            nxt = [
                (*p, o)
                for o, q in zip(node.outcomes, node.probabilities, strict=True)
                if not (isinstance(q, Fraction) and q == 0)
            ]
        else:
            nxt = []
        out.update(nxt)
        stack.extend(nxt)
    return out


def _positive(value: Any) -> bool:
    try:
        return bool(value > 0)
    except TypeError:  # a symbolic probability: drawn as played
        return True


def tree_figure(
    tree: GameTree,
    equilibrium: Any = None,
    *,
    title: str | None = None,
    width: float | None = None,
    height: float | None = None,
) -> Figure:
    """Draw ``tree``; with ``equilibrium``, highlight its choices and its path."""
    if not isinstance(tree, GameTree):
        raise ModelError("tree", type(tree).__name__, "expected a GameTree")
    choices, mixed = _choices(tree, equilibrium)
    pos = _layout(tree)
    reached = _reached(tree, choices) if choices is not None else set()
    n_leaves = sum(1 for p in tree.paths() if isinstance(tree.node(p), Terminal))
    fig = Figure(
        figsize=(width or max(4.0, 1.3 * n_leaves), height or max(3.0, 1.4 * (tree.depth + 1)))
    )
    ax = fig.add_subplot()
    ax.set_axis_off()
    for p in tree.paths():
        node = tree.node(p)
        x, y = pos[p]
        if isinstance(node, Terminal):
            pay = "\n".join(
                f"{pl}: {expr_text(v)}" for pl, v in zip(tree.players, node.payoffs, strict=True)
            )
            colour = _PATH_COLOUR if p in reached else "black"
            ax.text(x, y - 0.12, _text(pay), ha="center", va="top", fontsize=8, color=colour)
            ax.plot([x], [y], marker="o", markersize=3, color=colour)
            continue
        for k, (lab, _) in enumerate(zip(labels(node), node.children, strict=True)):
            child = (*p, lab)
            cx, cy = pos[child]
            chosen = (
                choices is not None
                and isinstance(node, Decision)
                and _positive(choices.get(p, {}).get(lab, 0))
            )
            on_path = child in reached
            colour = _PATH_COLOUR if on_path else (_CHOICE_COLOUR if chosen else _OTHER_COLOUR)
            lw = 3.0 if on_path else (2.0 if chosen else 1.0)
            ax.plot([x, cx], [y, cy], color=colour, linewidth=lw, zorder=1)
            text = lab
            if isinstance(node, Chance):
                text = f"{lab} ({expr_text(node.probabilities[k])})"
            elif mixed and choices is not None:
                prob = choices[p].get(lab, 0)
                text = f"{lab} [{prob:.3g}]" if isinstance(prob, float) else f"{lab} [{prob}]"
            side = "right" if cx < x else ("left" if cx > x else "center")
            nudge = -0.06 if cx < x else (0.06 if cx > x else 0.0)
            ax.text(
                x + 0.55 * (cx - x) + nudge,
                y + 0.55 * (cy - y),
                _text(text),
                fontsize=8,
                ha=side,
                va="center",
                color=colour if on_path or chosen else "#555555",
            )
        if isinstance(node, Decision):
            ax.plot(
                [x], [y], marker="o", markersize=9, color="white", markeredgecolor="black", zorder=2
            )
            ax.text(x, y + 0.14, _text(node.player), ha="center", va="bottom", fontsize=8, zorder=3)
        else:
            ax.plot(
                [x],
                [y],
                marker="s",
                markersize=9,
                color="#f0f0f0",
                markeredgecolor="black",
                zorder=2,
            )
            ax.text(x, y + 0.14, "chance", ha="center", va="bottom", fontsize=7, style="italic")
    for name, members in tree.infosets.items():
        if len(members) > 1:
            xs = [pos[m][0] for m in members]
            ys = [pos[m][1] for m in members]
            ax.plot(xs, ys, linestyle="--", color="#7f8c8d", linewidth=1, zorder=0)
            ax.text(
                sum(xs) / len(xs),
                max(ys) + 0.15,
                _text(name),
                fontsize=7,
                ha="center",
                color="#7f8c8d",
            )
    xs = [x for x, _ in pos.values()]
    ax.set_xlim(min(xs) - 0.8, max(xs) + 0.8)
    ax.set_ylim(-tree.depth - 1.0, 0.7)
    heading = title if title is not None else tree.title
    if heading:
        ax.set_title(_text(heading), fontsize=10)
    return fig


def figure_svg(fig: Figure) -> str:
    """The figure as SVG text (self-contained, for reports)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    return buf.getvalue()
