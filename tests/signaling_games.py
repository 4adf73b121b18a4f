"""Signalling games shared by the PBE tests."""

from __future__ import annotations

from fractions import Fraction
from typing import Any


def beer_quiche_dict(
    prior: Any = "9/10", fight_weak: Any = 1, parameters: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Cho & Kreps (1987), *QJE* 102(2): 179-221, the beer-quiche game in dict form.

    The sender gets 1 for its preferred breakfast (strong: beer, weak: quiche) plus 2 if not
    fought; the receiver gets ``fight_weak`` (1 in the paper) for fighting a weak sender and 1
    for sparing a strong one.  ``prior`` is P(strong): a number or an expression.
    """
    pay = {
        "strong": {"beer": (1, 0, 3, 1), "quiche": (0, 0, 2, 1)},
        "weak": {"beer": (0, fight_weak, 2, 0), "quiche": (1, fight_weak, 3, 0)},
    }
    weak_prior = f"1 - ({prior})" if isinstance(prior, str) else 1 - Fraction(prior)
    data: dict[str, Any] = {
        "sender": "Sender",
        "receiver": "Receiver",
        "types": {"strong": {"prior": prior}, "weak": {"prior": weak_prior}},
        "messages": ["beer", "quiche"],
        "actions": ["fight", "not"],
        "payoffs": {
            t: {
                m: {
                    "fight": {"Sender": v[0], "Receiver": v[1]},
                    "not": {"Sender": v[2], "Receiver": v[3]},
                }
                for m, v in by_m.items()
            }
            for t, by_m in pay.items()
        },
    }
    if parameters is not None:
        data["parameters"] = parameters
    return data
