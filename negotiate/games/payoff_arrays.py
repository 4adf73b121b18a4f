"""Reading payoff arrays: nested sequences or numpy arrays of numbers, checked and made exact.

Every error is a :class:`~negotiate.errors.ModelError` naming the entry, e.g.
``players[1].payoffs[2]`` for a ragged row.  Entries become ``fractions.Fraction``
(:func:`negotiate._exact.as_fraction`); floats are read as their shortest decimal and reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from negotiate._exact import as_fraction, is_float_input
from negotiate.errors import ModelError

__all__ = ["array_rank", "check_rank", "is_array_like", "nested_shape", "to_fraction_array"]


def is_array_like(data: Any) -> bool:
    """A numpy array or a non-string sequence."""
    return isinstance(data, np.ndarray) or (
        isinstance(data, Sequence) and not isinstance(data, str | bytes)
    )


def array_rank(data: Any) -> tuple[int, bool]:
    """Nesting depth of ``data`` following first elements, and whether an empty level was met."""
    if isinstance(data, np.ndarray):
        return data.ndim, False
    rank = 0
    while is_array_like(data):
        rank += 1
        if len(data) == 0:
            return rank, True
        data = data[0]
    return rank, False


def check_rank(data: Any, field: str, depth: int) -> None:
    rank, empty = array_rank(data)
    if rank > depth or (rank < depth and not empty):  # empty levels: reported by nested_shape
        raise ModelError(
            field,
            None,
            f"has {rank} dimension(s), but a game with {depth} players needs {depth} "
            "(one axis per player)",
        )


def nested_shape(data: Any, field: str, depth: int) -> tuple[int, ...]:
    """Shape of a rectangular nested sequence of rank ``depth``; ragged input names the row."""
    if isinstance(data, np.ndarray):
        check_rank(data, field, depth)
        for axis, k in enumerate(data.shape):
            if k == 0:
                raise ModelError(
                    field,
                    tuple(data.shape),
                    f"axis {axis} is empty: every player needs at least one strategy "
                    f"(players[{axis}] has none)",
                )
        return tuple(data.shape)
    if depth == 0:
        return ()
    if isinstance(data, str | bytes) or not isinstance(data, Sequence):
        raise ModelError(field, data, f"expected a {depth}-dimensional array of numbers")
    if len(data) == 0:
        raise ModelError(field, data, "is empty: every player needs at least one strategy")
    first = nested_shape(data[0], f"{field}[0]", depth - 1)
    for i, item in enumerate(data[1:], start=1):
        sub = nested_shape(item, f"{field}[{i}]", depth - 1)
        if sub != first:
            if depth - 1 >= 1 and len(sub) >= 1 and len(first) >= 1:
                raise ModelError(
                    f"{field}[{i}]", None, f"has {sub[0]} entries, expected {first[0]}"
                )
            raise ModelError(f"{field}[{i}]", None, f"has shape {sub}, expected {first}")
    return (len(data), *first)


def to_fraction_array(data: Any, shape: tuple[int, ...], field: str) -> tuple[np.ndarray, bool]:
    """An object array of exact ``Fraction`` entries, and whether any input was a float."""
    arr = np.empty(shape, dtype=object)
    floats = False
    src = data if isinstance(data, np.ndarray) else None
    for idx in np.ndindex(*shape):
        if src is not None:
            value = src[idx]
            if isinstance(value, np.generic):
                value = value.item()  # numpy scalars -> Python bool/int/float/complex
        else:
            value = data
            for i in idx:
                value = value[i]
        sub = field + "".join(f"[{i}]" for i in idx)
        floats = floats or is_float_input(value)
        arr[idx] = as_fraction(value, sub)
    return arr, floats
