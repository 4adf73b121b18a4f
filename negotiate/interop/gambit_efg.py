"""Gambit extensive-form files (``.efg``, format version 2) for numeric game trees.

The format (Gambit manual, "Game representation formats") is a header
``EFG 2 R "title" { "Player 1" "Player 2" } "comment"`` followed by the nodes in depth-first
pre-order, one per line::

    p "name" player infoset "infoset name" { "action" ... } outcome ["outcome name" { payoffs }]
    c "name" infoset "infoset name" { "outcome" probability ... } outcome [...]
    t "name" outcome ["outcome name" { payoffs }]

An outcome's payoffs are given where it first appears; outcomes on interior nodes add to the
payoffs of every terminal below.  Later members of an information set may omit its actions.

Reading is strict and executes nothing: a tokenizer for quoted strings (with backslash
escapes), braces and numbers; numbers are exact (``"1/3"``, ``".80"``).  Every error names
the line and column.  Writing gives exact rationals.  ``tie_break`` orders have no place in
the format and are not written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negotiate._exact import as_fraction
from negotiate.errors import ModelError, NotApplicableError
from negotiate.games.tree import Chance, Decision, GameTree, Node, Terminal

__all__ = ["parse_efg", "read_efg", "to_efg", "write_efg"]

MAX_FILE_BYTES = 20_000_000
_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<brace>[{}])|(?P<comma>,)'
    r"|(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:/\d+)?)|(?P<word>[A-Za-z]+))",
    re.DOTALL,
)


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    line: int
    col: int


def _tokens(text: str) -> Iterator[_Tok]:
    pos = 0
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return
        m = _TOKEN.match(text, pos)
        line = _line_of(line_starts, pos)
        col = pos - line_starts[line - 1] + 1
        if m is None or m.end() == pos:
            raise ModelError(f"efg line {line} col {col}", text[pos : pos + 20], "unexpected text")
        kind = m.lastgroup or ""
        yield _Tok(kind, m.group(kind), line, col)
        pos = m.end()


def _line_of(starts: list[int], pos: int) -> int:
    lo, hi = 0, len(starts)
    while lo + 1 < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= pos:
            lo = mid
        else:
            hi = mid
    return lo + 1


class _Reader:
    def __init__(self, text: str) -> None:
        self.toks = [t for t in _tokens(text) if t.kind != "comma"]
        self.i = 0

    def where(self, tok: _Tok | None = None) -> str:
        tok = tok or (self.toks[self.i] if self.i < len(self.toks) else None)
        return f"efg line {tok.line} col {tok.col}" if tok else "efg end of file"

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, kind: str, what: str) -> _Tok:
        tok = self.peek()
        if tok is None or tok.kind != kind:
            raise ModelError(self.where(), tok.text if tok else None, f"expected {what}")
        self.i += 1
        return tok

    def string(self) -> str:
        raw = self.take("str", "a quoted string").text[1:-1]
        return re.sub(r"\\(.)", r"\1", raw)

    def opt_string(self) -> str | None:
        tok = self.peek()
        return self.string() if tok is not None and tok.kind == "str" else None

    def integer(self, what: str) -> int:
        tok = self.take("num", what)
        if not re.fullmatch(r"\d+", tok.text):
            raise ModelError(self.where(tok), tok.text, f"expected {what} (a non-negative integer)")
        return int(tok.text)

    def number(self) -> Fraction:
        tok = self.take("num", "a number")
        return as_fraction(tok.text, self.where(tok))

    def brace(self, ch: str) -> None:
        tok = self.take("brace", f"'{ch}'")
        if tok.text != ch:
            raise ModelError(self.where(tok), tok.text, f"expected '{ch}'")

    def at_brace(self, ch: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "brace" and tok.text == ch


def parse_efg(text: str) -> GameTree:
    """A :class:`GameTree` from the text of a Gambit ``.efg`` file (strict; see module doc)."""
    if not isinstance(text, str):
        raise ModelError("efg", type(text).__name__, "expected the file's text")
    if len(text) > MAX_FILE_BYTES:
        raise ModelError("efg", len(text), f"file larger than {MAX_FILE_BYTES} characters")
    r = _Reader(text)
    if r.take("word", "'EFG'").text != "EFG":
        raise ModelError(r.where(), None, "an .efg file starts with 'EFG 2 R'")
    version = r.take("num", "the format version")
    if version.text != "2":
        raise ModelError(r.where(version), version.text, "only format version 2 is supported")
    kind = r.take("word", "'R' or 'D'")
    if kind.text not in ("R", "D"):
        raise ModelError(r.where(kind), kind.text, "expected 'R' (rational) or 'D' (decimal)")
    title = r.string()
    r.brace("{")
    players: list[str] = []
    while not r.at_brace("}"):
        players.append(r.string() or f"Player {len(players) + 1}")
    r.brace("}")
    if not players:
        raise ModelError(r.where(), None, "the game has no players")
    r.opt_string()  # comment
    outcomes: dict[int, list[Fraction]] = {}
    infosets: dict[tuple[int, int], list[str]] = {}
    members: dict[tuple[int, int], int] = {}
    names: dict[tuple[int, int], str] = {}

    def outcome(tok: _Tok) -> list[Fraction]:
        number = r.integer("an outcome number")
        name = r.opt_string()
        if r.at_brace("{"):
            r.brace("{")
            pay = []
            while not r.at_brace("}"):
                pay.append(r.number())
            r.brace("}")
            if len(pay) != len(players):
                raise ModelError(r.where(tok), pay, f"an outcome needs {len(players)} payoffs")
            if number and number in outcomes and outcomes[number] != pay:
                raise ModelError(r.where(tok), number, "outcome redefined with other payoffs")
            if number:
                outcomes[number] = pay
            return pay
        if number == 0:
            return [Fraction(0)] * len(players)
        if number not in outcomes:
            raise ModelError(
                r.where(tok), name or number, "outcome used before its payoffs are given"
            )
        return outcomes[number]

    def node(acc: list[Fraction], depth: int) -> dict[str, Any]:
        tok = r.take("word", "a node ('p', 'c' or 't')")
        if depth > 100:
            raise ModelError(r.where(tok), None, "tree deeper than 100 levels")
        r.string()  # node name
        if tok.text == "t":
            pay = outcome(tok)
            total = [a + b for a, b in zip(acc, pay, strict=True)]
            return {"payoffs": {p: v for p, v in zip(players, total, strict=True)}}
        if tok.text == "p":
            player = r.integer("a player number")
            if not 1 <= player <= len(players):
                raise ModelError(
                    r.where(tok), player, f"player numbers run from 1 to {len(players)}"
                )
            number = r.integer("an information set number")
            name = r.opt_string()
            key = (player, number)
            if name:
                names.setdefault(key, name)
            if r.at_brace("{"):
                r.brace("{")
                labels: list[str] = []
                while not r.at_brace("}"):
                    labels.append(r.string() or str(len(labels) + 1))
                r.brace("}")
                if key in infosets and infosets[key] != labels:
                    raise ModelError(
                        r.where(tok), labels, f"information set {key} had actions {infosets[key]}"
                    )
                infosets[key] = labels
            elif key not in infosets:
                raise ModelError(
                    r.where(tok), key, "information set used before its actions are given"
                )
            members[key] = members.get(key, 0) + 1
            pay = outcome(tok)
            below = [a + b for a, b in zip(acc, pay, strict=True)]
            kids = [[lab, node(below, depth + 1)] for lab in infosets[key]]
            return {"player": players[player - 1], "actions": kids, "_infoset": key}
        if tok.text == "c":
            r.integer("an information set number")
            r.opt_string()
            r.brace("{")
            branches: list[tuple[str, Fraction]] = []
            while not r.at_brace("}"):
                lab = r.string() or str(len(branches) + 1)
                branches.append((lab, r.number()))
            r.brace("}")
            pay = outcome(tok)
            below = [a + b for a, b in zip(acc, pay, strict=True)]
            kids = [
                [lab, {"probability": p, "then": node(below, depth + 1)}] for lab, p in branches
            ]
            return {"chance": kids}
        raise ModelError(r.where(tok), tok.text, "a node is 'p', 'c' or 't'")

    root = node([Fraction(0)] * len(players), 0)
    if r.peek() is not None:
        raise ModelError(r.where(), r.peek().text, "text after the last node")  # type: ignore[union-attr]
    _name_infosets(root, members, players, names)
    return GameTree.from_dict({"players": players, "root": root, "title": title})


def _name_infosets(
    d: dict[str, Any],
    members: dict[tuple[int, int], int],
    players: list[str],
    names: dict[tuple[int, int], str],
) -> None:
    """Name the information sets: the file's label where it is given and names one set only
    (so a written tree reads back with the same names), else ``"player:number"`` for sets
    with several nodes; singletons without a label stay unnamed."""
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name] = counts.get(name, 0) + 1
    stack = [d]
    while stack:
        node = stack.pop()
        if "actions" in node:
            key = node.pop("_infoset")
            if key in names and counts[names[key]] == 1:
                node["infoset"] = names[key]
            elif members[key] > 1:
                node["infoset"] = f"{players[key[0] - 1]}:{key[1]}"
            stack.extend(child for _, child in node["actions"])
        elif "chance" in node:
            stack.extend(item["then"] for _, item in node["chance"])


def read_efg(path: str | os.PathLike[str]) -> GameTree:
    """Read a Gambit ``.efg`` file."""
    size = os.path.getsize(path)
    if size > MAX_FILE_BYTES:
        raise ModelError(str(path), size, f"file larger than {MAX_FILE_BYTES} bytes")
    with open(path, encoding="utf-8") as fh:
        return parse_efg(fh.read())


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _num(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def to_efg(tree: GameTree) -> str:
    """The ``.efg`` text of a numeric tree (exact rationals)."""
    if tree.is_symbolic:
        raise NotApplicableError("only numeric trees can be written as .efg", ["tree.bind(values)"])
    lines = [
        f"EFG 2 R {_q(tree.title)} {{ {' '.join(_q(p) for p in tree.players)} }}",
        _q(""),
        "",
    ]
    numbers: dict[Any, int] = {}
    counts = {p: 0 for p in tree.players}
    chance_count = 0
    outcome_count = 0

    def emit(path: tuple[str, ...], node: Node) -> None:
        nonlocal chance_count, outcome_count
        if isinstance(node, Terminal):
            outcome_count += 1
            pay = ", ".join(_num(v) for v in node.payoffs)
            lines.append(f't "" {outcome_count} "" {{ {pay} }}')
            return
        if isinstance(node, Chance):
            chance_count += 1
            branches = " ".join(
                f"{_q(o)} {_num(p)}" for o, p in zip(node.outcomes, node.probabilities, strict=True)
            )
            lines.append(f'c "" {chance_count} "" {{ {branches} }} 0')
        else:
            assert isinstance(node, Decision)
            key = node.infoset if node.infoset is not None else path
            if (node.player, key) not in numbers:
                counts[node.player] += 1
                numbers[node.player, key] = counts[node.player]
            number = numbers[node.player, key]
            label = _q(node.infoset or "")
            acts = " ".join(_q(a) for a in node.actions)
            lines.append(
                f'p "" {tree.player_index(node.player) + 1} {number} {label} {{ {acts} }} 0'
            )
        labels = node.actions if isinstance(node, Decision) else node.outcomes
        for lab, child in zip(labels, node.children, strict=True):
            emit((*path, lab), child)

    emit((), tree.root)
    return "\n".join(lines) + "\n"


def write_efg(tree: GameTree, path: str | os.PathLike[str]) -> None:
    """Write a numeric tree to a Gambit ``.efg`` file."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(to_efg(tree))
