"""The ``[commitment]`` table: the credibility discount on reversible concessions.

``beneficiary`` (whose valuation of reversible concessions is discounted), ``patience``,
``guarantee`` and either ``hazard`` or ``types = { NAME = { probability, hazard } }`` (the
promiser's possible types; the discount is then the expectation over them).  The stage is
:mod:`negotiate.pipeline.commitment`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp

from negotiate.errors import ModelError
from negotiate.scenario.schema import check_keys, expect_str, expect_table

__all__ = ["Commitment", "parse_commitment"]


@dataclass(frozen=True)
class Commitment:
    """The credibility discount on reversible concessions (Walter 1997; Kydd 2005).

    ``kappa = (1 - delta) / (1 - delta (1 - rho_eff))`` with ``rho_eff = hazard (1 - guarantee)``;
    with ``types`` (name, probability, hazard) the expectation of that discount over the
    promiser's types, and ``hazard`` their mean hazard.
    """

    beneficiary: str
    patience: sp.Expr
    hazard: sp.Expr
    guarantee: sp.Expr
    types: tuple[tuple[str, sp.Expr, sp.Expr], ...] = ()


def parse_commitment(
    raw: Any, players: tuple[str, ...], expr: Callable[[Any, str], sp.Expr]
) -> Commitment | None:
    """Validate ``[commitment]`` (``expr(value, field)`` parses one expression)."""
    if raw is None:
        return None
    table = expect_table(raw, "commitment")
    keys = ("beneficiary", "patience", "hazard", "guarantee", "types")
    check_keys(table, "commitment", keys, required=keys[:2])
    beneficiary = expect_str(table["beneficiary"], "commitment.beneficiary")
    if beneficiary not in players:
        raise ModelError("commitment.beneficiary", beneficiary, f"not a player; {list(players)}")
    if ("hazard" in table) == ("types" in table):
        raise ModelError("commitment.hazard", None, "give either hazard or types, not both")
    types: list[tuple[str, sp.Expr, sp.Expr]] = []
    if "types" in table:
        raw_types = expect_table(table["types"], "commitment.types")
        if not raw_types:
            raise ModelError("commitment.types", None, "declare at least one type")
        for tname, t in raw_types.items():
            f = f"commitment.types.{tname}"
            t = expect_table(t, f)
            check_keys(t, f, ("probability", "hazard"), required=("probability", "hazard"))
            types.append(
                (
                    tname,
                    expr(t["probability"], f"{f}.probability"),
                    expr(t["hazard"], f"{f}.hazard"),
                )
            )
        hazard = sp.Add(*(p * h for _, p, h in types))
    else:
        hazard = expr(table["hazard"], "commitment.hazard")
    return Commitment(
        beneficiary=beneficiary,
        patience=expr(table["patience"], "commitment.patience"),
        hazard=hazard,
        guarantee=expr(table.get("guarantee", "0"), "commitment.guarantee"),
        types=tuple(types),
    )
