"""``[discrete.NAME]`` tables: issues settled by choosing an option, with red lines.

```toml
[discrete.enrichment]
meaning = "enrichment on Iranian soil"
options = ["zero", "capped", "unrestricted"]
values = { zero = { Iran = "0", US = "w_us" }, capped = { ... }, unrestricted = { ... } }
acceptable = { zero = { Iran = "iran_accepts_zero", US = "1" }, ... }
```

``values.OPTION.PLAYER`` is the utility the option gives the player (on the scale of the
divisible issues); ``acceptable.OPTION.PLAYER`` the player's red line: an expression that
evaluates to 1 (the player can sign a deal with this option) or 0 (it cannot).  The
bargaining stage solves every combination of options both sides accept
(:mod:`negotiate.pipeline.options`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sympy as sp

from negotiate.errors import ModelError
from negotiate.scenario.schema import check_keys, expect_list_of_str, expect_str, expect_table

__all__ = ["DiscreteSpec", "parse_discrete"]

_MAX_OPTIONS = 16


@dataclass(frozen=True)
class DiscreteSpec:
    """One discrete issue: its options, their values and each side's red lines."""

    name: str
    options: tuple[str, ...]
    values: Mapping[str, Mapping[str, sp.Expr]]
    acceptable: Mapping[str, Mapping[str, sp.Expr]]
    meaning: str


def parse_discrete(
    raw: Any,
    players: tuple[str, ...],
    per_player: Callable[[Any, str], Mapping[str, sp.Expr] | None],
) -> tuple[DiscreteSpec, ...]:
    """Validate the ``[discrete]`` tables (``per_player(raw, field)`` parses one
    ``{P1 = "expr", P2 = "expr"}`` table)."""
    table = expect_table(raw, "discrete")
    out = []
    for name, spec in table.items():
        f = f"discrete.{name}"
        spec = expect_table(spec, f)
        check_keys(spec, f, {"options", "values", "acceptable", "meaning"}, ("options", "values"))
        options = expect_list_of_str(spec["options"], f"{f}.options")
        if not 2 <= len(options) <= _MAX_OPTIONS:
            raise ModelError(f"{f}.options", list(options), f"give 2 to {_MAX_OPTIONS} options")
        values: dict[str, Any] = {}
        acceptable: dict[str, Any] = {}
        for key, target in (("values", values), ("acceptable", acceptable)):
            sub = expect_table(spec.get(key, {}), f"{f}.{key}")
            check_keys(sub, f"{f}.{key}", options, required=options if key == "values" else ())
            for option in options:
                parsed = per_player(sub.get(option), f"{f}.{key}.{option}")
                one = {p: sp.Integer(1) for p in players}
                target[option] = one if parsed is None else dict(parsed)
        out.append(
            DiscreteSpec(
                name,
                options,
                values,
                acceptable,
                expect_str(spec.get("meaning", ""), f"{f}.meaning"),
            )
        )
    return tuple(out)
