"""The ``[screening]`` table: incomplete information about one side's type.

```toml
[screening]
informed = "Iran"        # whose type the other side, the proposer, does not know
protocol = "nash"        # or "ultimatum" (a take-it-or-leave-it demand)
types = { content = { probability = "1 - q", premium = "0" },
          seeker = { probability = "q", premium = "theta" } }
```

Type ``t`` values no deal at the informed side's no-deal value plus ``premium``; the
probabilities sum to 1.  The stage is :mod:`negotiate.pipeline.screening`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp

from negotiate.errors import ModelError
from negotiate.scenario.schema import check_keys, expect_str, expect_table

__all__ = ["ScreeningSpec", "parse_screening"]

_PROTOCOLS = ("nash", "ultimatum")


@dataclass(frozen=True)
class ScreeningSpec:
    """The informed player, the offer protocol and the types ``(name, probability,
    premium)``."""

    informed: str
    protocol: str
    types: tuple[tuple[str, sp.Expr, sp.Expr], ...]


def parse_screening(
    raw: Any, players: tuple[str, ...], expr: Callable[[Any, str], sp.Expr]
) -> ScreeningSpec | None:
    """Validate ``[screening]`` (``expr(value, field)`` parses one expression)."""
    if raw is None:
        return None
    table = expect_table(raw, "screening")
    check_keys(table, "screening", ("informed", "protocol", "types"), ("informed", "types"))
    informed = expect_str(table["informed"], "screening.informed")
    if informed not in players:
        raise ModelError("screening.informed", informed, f"not a player; {list(players)}")
    protocol = expect_str(table.get("protocol", "nash"), "screening.protocol")
    if protocol not in _PROTOCOLS:
        raise ModelError("screening.protocol", protocol, f"expected one of {_PROTOCOLS}")
    types = expect_table(table["types"], "screening.types")
    if not 1 <= len(types) <= 32:
        raise ModelError("screening.types", len(types), "declare 1 to 32 types")
    out = []
    for name, t in types.items():
        f = f"screening.types.{name}"
        t = expect_table(t, f)
        check_keys(t, f, ("probability", "premium"), ("probability", "premium"))
        out.append(
            (name, expr(t["probability"], f"{f}.probability"), expr(t["premium"], f"{f}.premium"))
        )
    return ScreeningSpec(informed, protocol, tuple(out))
