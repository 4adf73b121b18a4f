"""Checks of the proliferation model's closed forms on its explicit strategic form.

Every quantity here is read from :meth:`Proliferation.as_game` (payoffs and all its extreme
Nash equilibria, exactly), never from the closed forms of :meth:`Proliferation.solve`, so the
certificates of :mod:`negotiate.theory.proliferation` re-derive what ``solve`` reports by a
route of their own.  The defender's strategies are strike rules ``"<on evidence>/<without>"``;
a reported profile ``(sigma, a)`` is the target investing with probability ``sigma`` and the
defender striking on evidence and, without evidence, with probability ``a``.

Equilibrium classes, by the target's investment probability in a Nash equilibrium: *peace*
(``sigma = 0``), *war* (``sigma = 1``) and *mixed* (``0 < sigma < 1``).  The whole equilibrium
set is the union of the maximal Nash subsets ``conv(rows) x conv(columns)``, so a class exists
iff some subset's row extremes reach it (for *mixed*: one extreme strictly inside, or both 0
and 1 in the same subset).
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from negotiate.errors import SolverError
from negotiate.games.normal import NormalFormGame
from negotiate.solvers.nash.solve import nash_equilibria

if TYPE_CHECKING:
    from negotiate.theory.proliferation import Proliferation

__all__ = [
    "CLASSES",
    "blind_strike_gains",
    "equilibrium_classes",
    "event_probabilities",
    "profile_regret",
    "target_gain_line",
]

#: The classes in the order of the model's selection (the first that exists is reported).
CLASSES = ("peace", "war", "mixed")
_DETER = "strike/hold"  # strike on evidence only
_ALWAYS = "strike/strike"


def _at_detection(model: Proliferation, q: Fraction) -> NormalFormGame:
    return type(model)(**{**model._kwargs(), "detection": q}).as_game()


def _gain(game: NormalFormGame, player: str, own: tuple[str, str], other: str) -> Fraction:
    """``player``'s payoff from ``own[0]`` minus from ``own[1]``, the other side playing
    ``other``."""
    opponent = next(p for p in game.players if p != player)
    first, second = ({player: s, opponent: other} for s in own)
    return game.payoff(player, first) - game.payoff(player, second)


def target_gain_line(model: Proliferation) -> tuple[Fraction, Fraction]:
    """The target's gain from investing over abstaining against the deterring defender
    (strike on evidence only) is affine in the detection probability ``q``: returns its value
    at ``q = 0`` and its slope, read from the explicit games at ``q = 0`` and ``q = 1``."""
    at = [
        _gain(_at_detection(model, Fraction(q)), "target", ("invest", "abstain"), _DETER)
        for q in (0, 1)
    ]
    return at[0], at[1] - at[0]


def blind_strike_gains(model: Proliferation) -> tuple[Fraction, Fraction]:
    """The defender's gain from striking without evidence (over holding) against an undetected
    investor and against a non-investor: read from the explicit game at ``q = 0``, where no
    investment is seen.  At belief ``mu`` the defender gains ``mu g_inv + (1 - mu) g_abs``."""
    game = _at_detection(model, Fraction(0))
    return (
        _gain(game, "defender", (_ALWAYS, _DETER), "invest"),
        _gain(game, "defender", (_ALWAYS, _DETER), "abstain"),
    )


def _profile(game: NormalFormGame, sigma: Fraction, a: Fraction) -> list[list[Fraction]]:
    rules = game.strategies[1]
    column = {_ALWAYS: a, _DETER: 1 - a}
    return [[sigma, 1 - sigma], [column.get(r, Fraction(0)) for r in rules]]


def profile_regret(model: Proliferation, sigma: Fraction, a: Fraction) -> Fraction:
    """Exact max regret of the profile ``(sigma, a)`` in the explicit strategic form."""
    game = model.as_game()
    return game.max_regret(_profile(game, sigma, a))


def event_probabilities(
    model: Proliferation, sigma: Fraction, a: Fraction
) -> tuple[Fraction, Fraction, Fraction]:
    """``(P(strike), P(strike on a non-investor), P(strike without evidence))`` under the
    profile ``(sigma, a)``, summed event by event over the strategy pairs of the explicit game
    (an investment is detected with probability ``q``; a rule's first part applies on
    evidence, its second without)."""
    game = model.as_game()
    q = Fraction(model.detection)
    rows = dict(zip(game.strategies[0], _profile(game, sigma, a)[0], strict=True))
    cols = dict(zip(game.strategies[1], _profile(game, sigma, a)[1], strict=True))
    war = mistaken = blind = Fraction(0)
    for target, p_t in rows.items():
        for rule, p_d in cols.items():
            on_evidence, without = (part == "strike" for part in rule.split("/"))
            weight = p_t * p_d
            if target == "invest":
                seen, unseen = q * on_evidence, (1 - q) * without
            else:
                seen, unseen = Fraction(0), Fraction(without)
                mistaken += weight * unseen
            war += weight * (seen + unseen)
            blind += weight * unseen
    return war, mistaken, blind


def equilibrium_classes(model: Proliferation) -> tuple[dict[str, bool], int]:
    """Which classes of equilibrium exist, from all extreme Nash equilibria of the explicit
    strategic form and its maximal Nash subsets (exact enumeration); and how many extreme
    equilibria there are."""
    found = nash_equilibria(model.as_game(), method="enummixed")
    if not found.complete or found.maximal_subsets is None:
        raise SolverError(
            "the proliferation game's equilibria were not enumerated completely",
            solver="enummixed",
            status="incomplete",
        )
    out = dict.fromkeys(CLASSES, False)
    for subset in found.maximal_subsets:
        sigmas = {row[0] for row in subset.rows}
        out["peace"] = out["peace"] or 0 in sigmas
        out["war"] = out["war"] or 1 in sigmas
        out["mixed"] = out["mixed"] or any(0 < s < 1 for s in sigmas) or {0, 1} <= sigmas
    return out, len(found.equilibria)
