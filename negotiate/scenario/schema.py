"""Structural checks for scenario tables: keys, types and required entries, by field path.

Every check raises :class:`~negotiate.errors.ModelError` whose field is the dotted path of the
offending entry (``issues.energy_relief.weights.Iran``), so that a user can find it in the file.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from negotiate.errors import ModelError

__all__ = ["check_keys", "expect_bool", "expect_list_of_str", "expect_str", "expect_table"]


def expect_table(value: Any, field: str) -> Mapping[str, Any]:
    """``value`` must be a TOML table."""
    if not isinstance(value, Mapping):
        raise ModelError(field, value, f"expected a table, got {type(value).__name__}")
    return value


def check_keys(
    table: Mapping[str, Any],
    field: str,
    allowed: Collection[str],
    required: Collection[str] = (),
) -> None:
    """Reject unknown keys (listing the allowed ones) and report the first missing key."""
    for key in table:
        if key not in allowed:
            where = f"{field}.{key}" if field else str(key)
            raise ModelError(where, None, f"unknown key; allowed: {', '.join(sorted(allowed))}")
    for key in required:
        if key not in table:
            where = f"{field}.{key}" if field else key
            raise ModelError(where, None, "is required")


def expect_str(value: Any, field: str, *, max_len: int = 20_000) -> str:
    """``value`` must be a string of bounded length."""
    if not isinstance(value, str):
        raise ModelError(field, value, f"expected a string, got {type(value).__name__}")
    if len(value) > max_len:
        raise ModelError(field, value, f"is longer than {max_len} characters")
    return value


def expect_bool(value: Any, field: str) -> bool:
    """``value`` must be a TOML boolean."""
    if not isinstance(value, bool):
        raise ModelError(field, value, f"expected true or false, got {type(value).__name__}")
    return value


def expect_list_of_str(value: Any, field: str, *, unique: bool = True) -> tuple[str, ...]:
    """``value`` must be an array of strings (duplicates rejected when ``unique``)."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ModelError(field, value, "expected an array of strings")
    out = tuple(expect_str(v, f"{field}[{i}]") for i, v in enumerate(value))
    if unique:
        seen: dict[str, int] = {}
        for i, v in enumerate(out):
            if v in seen:
                raise ModelError(f"{field}[{i}]", v, f"duplicate (also {field}[{seen[v]}])")
            seen[v] = i
    return out
