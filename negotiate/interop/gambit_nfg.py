"""Read and write Gambit strategic-form files (``.nfg``, version ``NFG 1 R``).

Both variants of the format are read (Gambit manual, "Game representation formats"):

* payoff version: ``NFG 1 R "title" { "P1" "P2" } { 3 2 } ["comment"]`` followed by the flat
  list of payoffs, all players' payoffs for each profile in turn;
* outcome version: ``NFG 1 R "title" { "P1" "P2" } { { "s1" "s2" } { "t1" "t2" } } ["comment"]``,
  a list of outcomes ``{ "name" u1, u2 }`` and then one outcome index per profile (0 is the
  null outcome, paying 0 to everyone).

The strategy header (counts or labels) and the body (payoffs or outcomes) are independent,
as in Gambit's own reader: the body's first token decides, ``{`` starting the outcome list and
a number the payoff list.  Gambit's example files combine them every way (e.g. labelled
strategies followed by a payoff list).  Repeated player or strategy labels are renamed as
Gambit renames them -- every copy of a repeated ``x`` becomes ``x_1``, ``x_2``, ... (skipping
names already taken) -- with a :class:`~negotiate.errors.RenamedLabelWarning`.

Profiles are listed with the *first* player's strategy changing fastest.  Payoffs may be
integers, decimals (``.80``, ``1.5e3``) or rationals (``3/2``); all are read exactly.  Text is
double-quoted with ``\\"`` and ``\\\\`` escapes.  The parser is strict: any malformed token
raises :class:`~negotiate.errors.ModelError` naming the source, line and field.  Files over
``max_bytes`` are refused before reading; games over the cell budget raise
:class:`~negotiate.errors.TooLargeError`.  Nothing is ever evaluated.

Writing produces the outcome version (labels kept) or the payoff version, with exact numbers
(``3/2``), so ``read(write(game))`` reproduces the game exactly.  The comment field is read and
discarded; empty labels are replaced by Gambit's defaults (``"Player 1"``, ``"1"``).
"""

from __future__ import annotations

import math
import os
import re
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Literal

import numpy as np

from negotiate._exact import as_fraction
from negotiate.errors import ModelError, RenamedLabelWarning, TooLargeError
from negotiate.games.normal import NormalFormGame

__all__ = ["format_nfg", "parse_nfg", "read_nfg", "write_nfg"]

#: Default cap on the size of a file read by :func:`read_nfg`.
DEFAULT_MAX_BYTES = 20_000_000
#: Cap on the number of payoff cells (players x profiles) announced in a file.
MAX_CELLS = 10_000_000

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,4})?$|^[+-]?\d+/\d+$")
_INTEGER = re.compile(r"^\d+$")


@dataclass(frozen=True)
class _Token:
    kind: Literal["{", "}", ",", "str", "word"]
    text: str
    line: int


class _Tokens:
    """A stream of tokens with the line of each, for error messages."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self._items = list(self._scan(text))
        self._pos = 0

    def _scan(self, text: str) -> Iterator[_Token]:
        i, line, n = 0, 1, len(text)
        while i < n:
            ch = text[i]
            if ch == "\n":
                line += 1
                i += 1
            elif ch.isspace():
                i += 1
            elif ch in "{},":
                yield _Token(ch, ch, line)  # type: ignore[arg-type]
                i += 1
            elif ch == '"':
                start_line, i, out = line, i + 1, []
                while True:
                    if i >= n:
                        raise self.error(start_line, "text", None, "unterminated quoted string")
                    c = text[i]
                    if c == "\\" and i + 1 < n and text[i + 1] in '"\\':
                        out.append(text[i + 1])
                        i += 2
                        continue
                    if c == '"':
                        i += 1
                        break
                    if c == "\n":
                        line += 1
                    out.append(c)
                    i += 1
                yield _Token("str", "".join(out), start_line)
            else:
                j = i
                while j < n and not text[j].isspace() and text[j] not in '{},"':
                    j += 1
                yield _Token("word", text[i:j], line)
                i = j

    def error(self, line: int, field: str, value: object, reason: str) -> ModelError:
        return ModelError(f"{self.source}, line {line}: {field}", value, reason)

    @property
    def line(self) -> int:
        if self._pos < len(self._items):
            return self._items[self._pos].line
        return self._items[-1].line if self._items else 1

    def peek(self) -> _Token | None:
        return self._items[self._pos] if self._pos < len(self._items) else None

    def next(self, field: str) -> _Token:
        tok = self.peek()
        if tok is None:
            raise self.error(self.line, field, None, "unexpected end of file")
        self._pos += 1
        return tok

    def expect(self, kind: str, field: str) -> _Token:
        tok = self.next(field)
        if tok.kind != kind:
            shown = tok.text if tok.kind != "str" else f'"{tok.text}"'
            raise self.error(tok.line, field, shown, f"expected {kind!r}")
        return tok

    def word(self, field: str, allowed: tuple[str, ...]) -> str:
        tok = self.next(field)
        if tok.kind != "word" or tok.text not in allowed:
            raise self.error(tok.line, field, tok.text, f"expected one of {list(allowed)}")
        return tok.text

    def number(self, field: str) -> Fraction:
        tok = self.next(field)
        if tok.kind != "word" or not _NUMBER.match(tok.text):
            raise self.error(tok.line, field, tok.text, "is not a number (e.g. 3, -0.25, 3/2)")
        try:
            return as_fraction(tok.text, field)
        except ModelError as exc:
            raise self.error(tok.line, field, tok.text, exc.reason) from None

    def count(self, field: str, upper: int | None = None) -> int:
        tok = self.next(field)
        if tok.kind != "word" or not _INTEGER.match(tok.text) or len(tok.text) > 12:
            raise self.error(tok.line, field, tok.text, "expected a non-negative integer")
        value = int(tok.text)
        if upper is not None and value > upper:
            raise self.error(tok.line, field, value, f"out of range 0..{upper}")
        return value

    def labels(self, field: str) -> list[tuple[str, int]]:
        self.expect("{", field)
        out = []
        while (tok := self.peek()) is not None and tok.kind == "str":
            self._pos += 1
            out.append((tok.text, tok.line))
        self.expect("}", field)
        return out

    def at_end(self) -> None:
        tok = self.peek()
        if tok is not None:
            raise self.error(tok.line, "end of file", tok.text, "unexpected extra data")


def _unique(labels: list[tuple[str, int]], field: str, default: str, toks: _Tokens) -> list[str]:
    """Labels with empty ones replaced by ``default`` and repeated ones renamed as Gambit does
    (``NormalizeLabels`` in its ``file.cc``): each copy of a repeated ``x`` becomes ``x_n``
    with the next ``n`` whose name is not already taken."""
    names = [
        label if label.strip() else default.format(k + 1) for k, (label, _) in enumerate(labels)
    ]
    counts, used = Counter(names), set(names)
    if all(c == 1 for c in counts.values()):
        return names
    visited: Counter[str] = Counter()
    out = []
    for name in names:
        if counts[name] > 1:
            while True:
                visited[name] += 1
                candidate = f"{name}_{visited[name]}"
                if candidate not in used:
                    break
            used.add(candidate)
            name = candidate
        out.append(name)
    renamed = [(k, a, b) for k, (a, b) in enumerate(zip(names, out, strict=True)) if a != b]
    warnings.warn(
        f"{toks.source}, line {labels[renamed[0][0]][1]}: {field}: repeated labels renamed as "
        "Gambit renames them: " + ", ".join(f"{a!r} -> {b!r}" for _, a, b in renamed),
        RenamedLabelWarning,
        stacklevel=3,
    )
    return out


def parse_nfg(text: str, source: str = "<nfg>") -> NormalFormGame:
    """Parse the text of a Gambit ``.nfg`` file (either version) into a game."""
    toks = _Tokens(text, source)
    toks.word("header", ("NFG",))
    toks.word("version", ("1",))
    toks.word("number type", ("R", "D"))
    title = toks.expect("str", "title").text
    player_labels = toks.labels("players")
    if not player_labels:
        raise toks.error(toks.line, "players", "{ }", "a game needs at least one player")
    players = _unique(player_labels, "players", "Player {}", toks)
    n = len(players)
    toks.expect("{", "strategies")
    nested = toks.peek()
    if nested is not None and nested.kind == "{":
        strategies = []
        for i in range(n):
            labels = toks.labels(f"strategies[{i}]")
            if not labels:
                raise toks.error(toks.line, f"strategies[{i}]", "{ }", "player has no strategies")
            strategies.append(_unique(labels, f"players[{i}].strategies", "{}", toks))
        toks.expect("}", "strategies")
        shape = tuple(len(s) for s in strategies)
    else:
        counts = []
        for i in range(n):
            k = toks.count(f"strategies[{i}]")
            if k == 0:
                raise toks.error(toks.line, f"strategies[{i}]", 0, "player has no strategies")
            counts.append(k)
        toks.expect("}", "strategies")
        shape = tuple(counts)
        strategies = [[str(j + 1) for j in range(k)] for k in shape]
    _check_cells(shape, n, toks)
    _comment(toks)
    first = toks.peek()  # Gambit's rule: '{' opens the outcome list, a number the payoffs
    if first is not None and first.kind == "{":
        arrays = _outcome_body(toks, shape, n)
    else:
        arrays = _payoff_body(toks, shape, n)
    toks.at_end()
    return NormalFormGame.from_arrays(*arrays, players=players, strategies=strategies, title=title)


def _check_cells(shape: tuple[int, ...], n: int, toks: _Tokens) -> None:
    cells = math.prod(shape) * n
    if cells > MAX_CELLS:
        raise TooLargeError(
            f"{toks.source}: a game with {shape} strategies",
            cost=cells,
            budget=MAX_CELLS,
            instead="Reduce the strategy sets.",
        )


def _comment(toks: _Tokens) -> None:
    tok = toks.peek()
    if tok is not None and tok.kind == "str":
        toks.next("comment")


def _profiles(shape: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
    """Profiles in Gambit order: the first player's strategy changes fastest."""
    for rev in np.ndindex(*reversed(shape)):
        yield tuple(reversed(rev))


def _payoff_body(toks: _Tokens, shape: tuple[int, ...], n: int) -> list[np.ndarray]:
    arrays = [np.empty(shape, dtype=object) for _ in range(n)]
    for k, idx in enumerate(_profiles(shape)):
        for i in range(n):
            arrays[i][idx] = toks.number(f"payoffs[{k * n + i}] (profile {_one_based(idx)})")
    return arrays


def _outcome_body(toks: _Tokens, shape: tuple[int, ...], n: int) -> list[np.ndarray]:
    toks.expect("{", "outcomes")
    outcomes: list[tuple[Fraction, ...]] = [(Fraction(0),) * n]
    while (tok := toks.peek()) is not None and tok.kind == "{":
        toks.next("outcomes")
        field = f"outcomes[{len(outcomes)}]"
        toks.expect("str", f"{field}.name")
        values = []
        for i in range(n):
            if i > 0 and (sep := toks.peek()) is not None and sep.kind == ",":
                toks.next(field)
            values.append(toks.number(f"{field}.payoffs[{i}]"))
        toks.expect("}", field)
        outcomes.append(tuple(values))
    toks.expect("}", "outcomes")
    arrays = [np.empty(shape, dtype=object) for _ in range(n)]
    for k, idx in enumerate(_profiles(shape)):
        o = toks.count(f"profile {_one_based(idx)} (entry {k})", upper=len(outcomes) - 1)
        for i in range(n):
            arrays[i][idx] = outcomes[o][i]
    return arrays


def _one_based(idx: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(j + 1) for j in idx) + ")"


def read_nfg(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> NormalFormGame:
    """Read a Gambit ``.nfg`` file (UTF-8) into a :class:`NormalFormGame`."""
    p = Path(path)
    size = p.stat().st_size
    if size > max_bytes:
        raise TooLargeError(
            f"{p.name}: file of {size} bytes",
            cost=size,
            budget=max_bytes,
            instead="Pass max_bytes= to read it anyway.",
        )
    data = p.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModelError(f"{p.name}, byte {exc.start}", None, "is not valid UTF-8 text") from None
    return parse_nfg(text, source=p.name)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _num(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def format_nfg(
    game: NormalFormGame,
    *,
    version: Literal["outcome", "payoff"] = "outcome",
    comment: str = "",
) -> str:
    """The text of a Gambit ``.nfg`` file for ``game``, with exact payoffs.

    ``version="outcome"`` keeps the strategy labels; ``"payoff"`` is the compact table (Gambit
    then numbers the strategies ``1, 2, ...``).  ``comment`` fills the file's comment field.
    """
    if version not in ("outcome", "payoff"):
        raise ModelError("version", version, "expected 'outcome' or 'payoff'")
    players = " ".join(_quote(p) for p in game.players)
    arrays = [game.payoff_array(i) for i in range(game.n_players)]
    profiles = list(_profiles(game.shape))
    head = f"NFG 1 R {_quote(game.title)} {{ {players} }}"
    if version == "payoff":
        counts = " ".join(str(k) for k in game.shape)
        values = [_num(a[idx]) for idx in profiles for a in arrays]
        return f"{head} {{ {counts} }}\n{_quote(comment)}\n\n" + " ".join(values) + "\n"
    lines = [head, "", "{"]
    lines += ["{ " + " ".join(_quote(s) for s in strats) + " }" for strats in game.strategies]
    lines += ["}", _quote(comment), "", "{"]
    index: dict[tuple[Fraction, ...], int] = {}
    order = []
    for idx in profiles:
        vec = tuple(a[idx] for a in arrays)
        if all(v == 0 for v in vec):
            order.append(0)
            continue
        if vec not in index:
            index[vec] = len(index) + 1
            lines.append("{ " + _quote("") + " " + ", ".join(_num(v) for v in vec) + " }")
        order.append(index[vec])
    lines += ["}", " ".join(str(o) for o in order), ""]
    return "\n".join(lines)


def write_nfg(
    game: NormalFormGame,
    path: str | os.PathLike[str],
    *,
    version: Literal["outcome", "payoff"] = "outcome",
    comment: str = "",
) -> None:
    """Write ``game`` to ``path`` as a Gambit ``.nfg`` file (UTF-8, exact payoffs)."""
    Path(path).write_text(format_nfg(game, version=version, comment=comment), encoding="utf-8")
