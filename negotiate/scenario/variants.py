"""Named variants of a scenario (``[scenarios.NAME]``): parameter overrides and a description."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from negotiate.expr import Parameter
from negotiate.scenario.schema import check_keys, expect_str, expect_table

__all__ = ["Variant", "parse_variants"]


@dataclass(frozen=True)
class Variant:
    """A named variant of the scenario: parameter overrides and a description."""

    name: str
    description: str
    overrides: Mapping[str, Fraction]


def parse_variants(raw: Any, parameters: Mapping[str, Parameter]) -> dict[str, Variant]:
    """Validate the ``[scenarios.NAME]`` tables: a description and parameter overrides."""
    from negotiate.scenario.evaluate import check_overrides

    table = expect_table(raw, "scenarios")
    out = {}
    for vname, spec in table.items():
        f = f"scenarios.{vname}"
        spec = expect_table(spec, f)
        check_keys(spec, f, {"description", "set"}, required=("set",))
        overrides = check_overrides(expect_table(spec["set"], f"{f}.set"), parameters, f"{f}.set")
        out[vname] = Variant(
            vname,
            expect_str(spec.get("description", ""), f"{f}.description"),
            MappingProxyType(overrides),
        )
    return out
