"""Shared pieces of the array implementations: the tie tolerance and the input check.

An array implementation takes float arrays over many parameter points (or scalars, which
numpy broadcasting carries) and must decide every point as the exact implementation does.
Floats cannot see exact ties: quantities within ``TIE_TOLERANCE`` (relative) of a tie are
decided as the exact rule decides the tie, and the point is flagged ``boundary``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from negotiate.errors import ModelError

__all__ = ["TIE_TOLERANCE", "Arr", "PointFn", "check"]

#: Relative distance under which two floats count as tied (a boundary point).
TIE_TOLERANCE = 1e-12

Arr = Any  # a float array over points, or a scalar
PointFn = Callable[[int], Any]


def check(bad: Any, field: str, value: Any, reason: str, point: PointFn) -> None:
    """Raise ``ModelError(field, value at the first bad point, reason (at point))``."""
    if np.any(bad):
        k = int(np.argmax(bad)) if np.ndim(bad) else 0
        v = np.asarray(value)
        shown = float(v.reshape(-1)[k if v.ndim else 0])
        raise ModelError(field, shown, f"{reason} (at {point(k)})")
