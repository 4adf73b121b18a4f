"""Logit QRE of normal-form games and agent QRE of trees (floats), against exact equilibria."""

from __future__ import annotations

import dataclasses
import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from imperfect_games import kuhn_poker, matching_pennies_tree, random_tree, selten_horse

import negotiate as ng
from negotiate.errors import ModelError
from negotiate.games.tree import GameTree
from negotiate.solvers.nash.behavior_check import behavior_regrets

ASYMMETRIC_PENNIES = ng.NormalFormGame.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]])
PRISONERS = ng.NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])


def test_lambda_zero_is_uniform() -> None:
    q = ng.logit_qre(ASYMMETRIC_PENNIES, 0)
    assert q.lam == 0 and q.probabilities == ((0.5, 0.5), (0.5, 0.5))
    tree = ng.logit_qre(GameTree.from_dict(kuhn_poker()), 0)
    assert q.behavior is None and tree.probabilities is None
    assert tree.behavior is not None
    assert all(p == pytest.approx(0.5) for v in tree.behavior.values() for p in v.values())


def test_fixed_point_of_the_logit_response() -> None:
    lam = 2.5
    q = ng.logit_qre(ASYMMETRIC_PENNIES, lam)
    assert q.probabilities is not None
    (x1, x2), (y1, y2) = q.probabilities
    a = np.array([[9, 0], [0, 1]])
    b = np.array([[0, 1], [1, 0]])
    u1 = a @ np.array([y1, y2])
    u2 = np.array([x1, x2]) @ b
    assert x1 / x2 == pytest.approx(math.exp(lam * (u1[0] - u1[1])), rel=1e-8)
    assert y1 / y2 == pytest.approx(math.exp(lam * (u2[0] - u2[1])), rel=1e-8)


def test_path_increases_and_approaches_the_nash_equilibrium() -> None:
    path = ng.logit_qre_path(ASYMMETRIC_PENNIES, 400)
    lams = [p.lam for p in path]
    assert lams[0] == 0 and lams[-1] == 400 and all(a < b for a, b in itertools.pairwise(lams))
    (eq,) = ng.nash_equilibria(ASYMMETRIC_PENNIES).equilibria  # exact: (1/2, 1/2), (1/10, 9/10)
    last = path[-1].probabilities
    assert last is not None
    for exact, approx in zip(eq.probabilities, last, strict=True):
        assert np.allclose([float(v) for v in exact], approx, atol=5e-3)
    dominant = ng.logit_qre(PRISONERS, 30).probabilities
    assert dominant is not None and dominant[0][1] > 0.999 and dominant[1][1] > 0.999


def test_agent_qre_of_kuhn_poker_approaches_equilibrium() -> None:
    tree = GameTree.from_dict(kuhn_poker())
    path = ng.logit_qre_path(tree, 60)
    lams = [p.lam for p in path]
    assert all(a < b for a, b in itertools.pairwise(lams))
    regrets = []
    for point in (path[len(path) // 3], path[-1]):
        assert point.behavior is not None
        exact = {k: {a: Fraction(p) for a, p in v.items()} for k, v in point.behavior.items()}
        regrets.append(max(behavior_regrets(tree, exact)))
    assert regrets[1] < regrets[0] and regrets[1] < Fraction(1, 50)
    last = path[-1].behavior
    assert last is not None
    assert last[("2", "2Q:b")]["call"] == pytest.approx(1 / 3, abs=0.02)
    assert last[("2", "2J:c")]["bet"] == pytest.approx(1 / 3, abs=0.02)  # the bluff


def test_tree_matching_pennies_stays_uniform() -> None:
    q = ng.logit_qre(GameTree.from_dict(matching_pennies_tree()), 10)
    assert q.behavior is not None
    for probs in q.behavior.values():
        assert list(probs.values()) == pytest.approx([0.5, 0.5], abs=1e-9)


@pytest.mark.parametrize("bad", [-1, float("nan"), "x", True])
def test_bad_lambda_is_a_model_error(bad: object) -> None:
    with pytest.raises(ModelError, match="lam"):
        ng.logit_qre(ASYMMETRIC_PENNIES, bad)


def test_three_player_game_with_own_payoffs_is_a_logit_choice() -> None:
    own = [[1, 0], [3, 1], [0, 2]]  # player i's payoff depends only on its own strategy
    arrays = [
        [[[own[i][(a, b, c)[i]] for c in range(2)] for b in range(2)] for a in range(2)]
        for i in range(3)
    ]
    game = ng.NormalFormGame.from_arrays(*arrays)
    q = ng.logit_qre(game, 0.7)
    assert q.probabilities is not None
    for i, probs in enumerate(q.probabilities):
        expected = 1 / (1 + math.exp(0.7 * (own[i][1] - own[i][0])))
        assert probs[0] == pytest.approx(expected, rel=1e-8)


def _three_player() -> ng.NormalFormGame:
    rows = [[[3, 0], [1, 2]], [[0, 2], [4, 1]]]
    return ng.NormalFormGame.from_arrays(
        rows,
        [[[1, 2], [0, 3]], [[2, 0], [1, 1]]],
        [[[0, 1], [2, 0]], [[1, 3], [0, 2]]],
    )


@pytest.mark.parametrize(
    "game",
    [
        ASYMMETRIC_PENNIES,
        PRISONERS,
        _three_player(),
        GameTree.from_dict(kuhn_poker()),
        GameTree.from_dict(selten_horse()),
        GameTree.from_dict(matching_pennies_tree()),
        *(GameTree.from_dict(random_tree(seed)) for seed in range(4)),
    ],
)
def test_certificate_recomputes_the_logit_response(game) -> None:
    path = ng.logit_qre_path(game, 15)
    cert = path.verify()
    assert cert.ok and cert.max_deviation <= cert.tolerance == 1e-8, cert
    point = path[-1]
    assert point.game is game and point.verify().ok
    if point.probabilities is not None:  # a shifted profile is no longer its own response
        shifted = tuple((p[1], p[0], *p[2:]) for p in point.probabilities)
        assert dataclasses.replace(point, probabilities=shifted).verify().ok is False
    else:
        assert point.behavior is not None
        key, probs = next(iter(point.behavior.items()))  # moved halfway to its rarest action
        rare = min(probs, key=probs.__getitem__)
        moved = {a: (p + (a == rare)) / 2 for a, p in probs.items()}
        wrong = dataclasses.replace(point, behavior={**point.behavior, key: moved})
        assert wrong.verify().ok is False


def test_certificate_refuses_malformed_points() -> None:
    q = ng.logit_qre(ASYMMETRIC_PENNIES, 1.0)
    assert q.probabilities is not None
    for bad in (
        dataclasses.replace(q, probabilities=q.probabilities[:1]),
        dataclasses.replace(q, probabilities=((0.7, 0.7), q.probabilities[1])),
        dataclasses.replace(q, probabilities=None, behavior={}),
        dataclasses.replace(q, lam=float("nan")),
    ):
        cert = bad.verify()
        assert cert.ok is False and cert.notes, bad
    tree = ng.logit_qre(GameTree.from_dict(kuhn_poker()), 1.0)
    assert tree.behavior is not None
    missing = dict(list(tree.behavior.items())[1:])
    assert dataclasses.replace(tree, behavior=missing).verify().ok is False


def test_path_certificate_accepts_a_decrease_only_at_a_noted_turning_point() -> None:
    path = ng.logit_qre_path(ASYMMETRIC_PENNIES, 5)
    pts = list(path.points)
    back = (*pts[:3], pts[4], pts[3], *pts[5:])  # every point still a QRE; lam falls once
    assert dataclasses.replace(path, points=back).verify().lam_steps_down == 1
    assert dataclasses.replace(path, points=back).verify().ok is False
    bent = dataclasses.replace(path, points=back, notes=(*path.notes, "a turning point"))
    assert bent.verify().ok


def test_results_render_and_serialise() -> None:
    import json

    q = ng.logit_qre(GameTree.from_dict(kuhn_poker()), 2.0)
    data = json.loads(json.dumps(q.to_dict()))
    assert data["type"] == "LogitQRE" and data["lam"] == 2.0
    assert set(data["behavior"]["2@2Q:b"]) == {"fold", "call"}
    assert repr(q).startswith("<LogitQRE: lam=2, 12 information sets") and len(repr(q)) <= 300
    assert "Logit QRE of Kuhn poker" in q.summary().to_text()
    path = ng.logit_qre_path(ASYMMETRIC_PENNIES, 3)
    text = path.summary().to_text()
    assert "Points along the branch" in text and "floating-point" in text
    assert len(json.loads(json.dumps(path.to_dict()))["points"]) == len(path)
