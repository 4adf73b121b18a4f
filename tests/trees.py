"""Hand-worked game trees shared by the SPE tests (dict form, as in scenario files)."""

from __future__ import annotations

import copy
from typing import Any

IRAN: dict[str, Any] = {
    "players": ["Iran", "US"],
    "parameters": {"c": {"domain": [0, 2]}, "e": {"domain": [0, 1]}},
    "root": {
        "player": "Iran",
        "actions": {
            "freeze": {"payoffs": {"Iran": "0", "US": "1"}},
            "enrich": {
                "player": "US",
                "actions": {
                    "tolerate": {"payoffs": {"Iran": "1", "US": "-1"}},
                    "strike": {
                        "chance": {
                            "hit": {
                                "probability": "e",
                                "then": {"payoffs": {"Iran": "-c", "US": "0"}},
                            },
                            "miss": {
                                "probability": "1 - e",
                                "then": {"payoffs": {"Iran": "1 - c", "US": "-1"}},
                            },
                        }
                    },
                },
            },
        },
    },
}

# Selten's chain-store stage game / the textbook entry-deterrence tree
ENTRY: dict[str, Any] = {
    "players": ["Entrant", "Incumbent"],
    "root": {
        "player": "Entrant",
        "actions": {
            "out": {"payoffs": {"Entrant": 0, "Incumbent": 2}},
            "in": {
                "player": "Incumbent",
                "actions": {
                    "fight": {"payoffs": {"Entrant": -1, "Incumbent": -1}},
                    "accommodate": {"payoffs": {"Entrant": 1, "Incumbent": 1}},
                },
            },
        },
    },
}


def centipede(legs: int) -> dict[str, Any]:
    """Rosenthal's (1981) centipede: at leg k the mover takes (2**k + 1 for itself,
    2**(k-1) for the other) or passes; after the last leg the pot is split 2**legs each."""
    players = ["A", "B"]
    node: dict[str, Any] = {"payoffs": {"A": 2**legs, "B": 2**legs}}
    for k in reversed(range(1, legs + 1)):
        mover, other = players[(k - 1) % 2], players[k % 2]
        take = {"payoffs": {mover: 2**k + 1, other: 2 ** (k - 1)}}
        node = {"player": mover, "actions": {"take": take, "pass": node}}
    return {"players": players, "root": node}


def rubinstein3(step: str = "1/100") -> dict[str, Any]:
    """Three-period alternating offers over a pie of 1 (Rubinstein 1982, finite horizon).

    Player 1 proposes in periods 1 and 3, player 2 in period 2; agreement in period t gives
    ``d_i**(t-1)`` times the share; disagreement after period 3 gives 0.  Each proposer may
    offer the responder its finite-horizon SPE share (``offer``) or one ``step`` less
    (``low``); responders accept when indifferent (``tie_break``).  Backward induction:
    period 3 offers 0, period 2 offers player 1 ``d1``, period 1 offers player 2
    ``d2*(1 - d1)``.
    """
    shares = {3: "0", 2: "d1", 1: "d2*(1 - d1)"}  # responder's share in each period
    disc = {1: ("1", "1"), 2: ("d1", "d2"), 3: ("d1**2", "d2**2")}
    node: dict[str, Any] = {"payoffs": {"P1": "0", "P2": "0"}}
    for t in (3, 2, 1):
        proposer, responder = ("P1", "P2") if t % 2 else ("P2", "P1")
        w1, w2 = disc[t]
        offers = {}
        for label, share in (("offer", shares[t]), ("low", f"{shares[t]} - {step}")):
            resp_share = f"({share})"
            prop_share = f"(1 - {resp_share})"
            p1, p2 = (prop_share, resp_share) if proposer == "P1" else (resp_share, prop_share)
            offers[label] = {
                "player": responder,
                "tie_break": ["accept"],
                "actions": {
                    "accept": {"payoffs": {"P1": f"{w1}*{p1}", "P2": f"{w2}*{p2}"}},
                    "reject": copy.deepcopy(node),
                },
            }
        node = {"player": proposer, "actions": offers}
    return {
        "players": ["P1", "P2"],
        "parameters": {
            "d1": {"domain": ["1/10", "9/10"], "meaning": "player 1's discount factor"},
            "d2": {"domain": ["1/10", "9/10"], "meaning": "player 2's discount factor"},
        },
        "root": node,
    }
