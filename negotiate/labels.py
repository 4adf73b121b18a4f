"""Labels: the one validator for every name a user gives to a player, strategy, action,
message, type or issue.

A label is text that people read and that the program compares.  Two labels that look the
same must therefore be the same label, so every label is put in one canonical form before it
is compared:

* Unicode normalisation form C (NFC): ``"Ir\\u0101n"`` and ``"Ira\\u0304n"`` (the same on
  screen, NFC against NFD) are one label;
* surrounding whitespace removed: ``"Iran "`` is ``"Iran"``;
* control characters (Unicode category ``Cc``: newlines, tabs, escape sequences, NUL) and
  the invisible format characters of category ``Cf`` (zero-width spaces, bidirectional
  overrides) are refused, as are empty labels and labels over :data:`MAX_LENGTH` characters;
* within one list (players, a player's strategies, the actions at a node, ...) a label that
  is a duplicate *after* normalisation is refused, naming both places.

Every layer that accepts labels (games, scenario files) calls :func:`label` and
:func:`labels`; lookups by label call :func:`label` too, so ``payoff("Iran ", ...)`` finds
``"Iran"``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from negotiate.errors import ModelError

__all__ = ["MAX_LENGTH", "canonical", "check_unique", "label", "labels"]

#: Longest label accepted (characters, after normalisation).
MAX_LENGTH = 200


def label(value: Any, field: str, *, what: str = "labels") -> str:
    """The canonical form of one label (NFC, stripped), or ``ModelError`` naming ``field``."""
    if not isinstance(value, str):
        raise ModelError(field, value, f"{what} must be non-empty strings")
    if len(value) > 4 * MAX_LENGTH:  # before normalising: bound the work on hostile input
        raise ModelError(field, value, f"{what} are at most {MAX_LENGTH} characters")
    text = unicodedata.normalize("NFC", value).strip()
    if not text:
        raise ModelError(field, value, f"{what} must be non-empty strings")
    if len(text) > MAX_LENGTH:
        raise ModelError(field, value, f"{what} are at most {MAX_LENGTH} characters")
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf"):
            raise ModelError(
                field,
                value,
                f"{what} must not contain control or invisible characters (found U+{ord(ch):04X})",
            )
    return text


def canonical(value: Any) -> Any:
    """The form a label is compared in (NFC, stripped), for lookups; non-strings unchanged."""
    if isinstance(value, str) and len(value) <= 4 * MAX_LENGTH:
        return unicodedata.normalize("NFC", value).strip()
    return value


def check_unique(values: Iterable[str], field: str, *, what: str = "label") -> None:
    """Refuse a repeated (already canonical) label: ``field[i]`` duplicates ``field[j]``."""
    seen: dict[str, int] = {}
    for i, v in enumerate(values):
        if v in seen:
            raise ModelError(
                f"{field}[{i}]", v, f"duplicate {what} (also {field}[{seen[v]}], after normalising)"
            )
        seen[v] = i


def labels(values: Iterable[Any], field: str, *, what: str = "labels") -> tuple[str, ...]:
    """Canonical forms of a list of labels (``field[i]`` in errors), refusing duplicates."""
    out = tuple(label(v, f"{field}[{i}]", what=what) for i, v in enumerate(values))
    check_unique(out, field)
    return out
