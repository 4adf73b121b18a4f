"""Credibility figures: each is drawn from the model's own closed form (checked here)."""

from __future__ import annotations

import io
from fractions import Fraction

import numpy as np
import pytest
from matplotlib.figure import Figure

from negotiate.errors import ModelError
from negotiate.figures.credibility import (
    compliance_region_figure,
    deterrence_threshold_figure,
    regime_map_figure,
    selection_effect_figure,
    war_peace_figure,
)
from negotiate.theory import Deterrence, Proliferation, Sanctions

F = Fraction


def by_gid(ax, gid):
    found = [a for a in (*ax.collections, *ax.lines) if a.get_gid() == gid]
    assert len(found) == 1, gid
    return found[0]


def vertices(artist) -> np.ndarray:
    return np.concatenate([p.vertices for p in artist.get_paths() if len(p.vertices)])


def test_compliance_boundaries_follow_the_closed_form():
    fig = compliance_region_figure(5, 3, 1, (0, "0.5"), resolution=101)
    ax = fig.axes[0]
    for g in (F(0), F(1, 2)):
        pts = vertices(by_gid(ax, f"boundary g={g}"))
        inner = pts[(pts[:, 0] > 0.52) & (pts[:, 1] < 0.98)]
        assert len(inner) > 20
        # delta (1 - rho (1 - g)) = (T - R)/(T - P) = 1/2, to the grid's resolution
        gap = inner[:, 0] * (1 - inner[:, 1] * float(1 - g)) - 0.5
        assert np.max(np.abs(gap)) < 0.02
    assert ax.get_xlabel().startswith("discount factor")


def test_war_peace_boundaries_follow_the_closed_form():
    fig = war_peace_figure("0.5", "0.1", (1, 2), resolution=101)
    ax = fig.axes[0]
    for n in (1, 2):
        pts = vertices(by_gid(ax, f"boundary N={n}"))
        inner = pts[(pts[:, 0] > 0.02) & (pts[:, 0] < 0.38)]
        assert len(inner) > 20
        shift, delta = inner[:, 0], inner[:, 1]
        # delta Delta = N (1 - delta)(1 - p1 + c_D)
        gap = delta * shift - n * (1 - delta) * 0.6
        assert np.max(np.abs(gap)) < 0.02


def test_deterrence_threshold_line_is_p_star():
    ax = deterrence_threshold_figure(1, -1, (-1, 1), resolution=41).axes[0]
    line = by_gid(ax, "threshold")
    for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True):
        exact = Deterrence(1, F(repr(float(x))), -1, "0.5").solve().threshold
        assert y == pytest.approx(float(exact), abs=1e-12)


def test_regime_map_cells_match_the_model():
    n = 21
    ax = regime_map_figure(resolution=n).axes[0]
    codes = np.asarray(by_gid(ax, "regimes").get_array()).reshape(n, n)
    grid = (np.arange(n) + 0.5) / n
    index = {"peace": 0, "mixed": 1, "war": 2}
    for i in range(0, n, 3):  # rows: effectiveness; columns: detection
        for j in range(0, n, 3):
            q, e = F(2 * j + 1, 2 * n), F(2 * i + 1, 2 * n)
            assert float(q) == pytest.approx(grid[j])
            try:
                regime = Proliferation("0.4", "0.2", "0.2", "0.1", q, e).solve().regime
            except ModelError:  # A1 fails: outside the model
                assert codes[i, j] == 3
                continue
            assert codes[i, j] == index[regime]


def test_selection_effect_curves_match_the_model():
    ax = selection_effect_figure("0.3", "0.1", resolution=41).axes[0]
    fields = ("p_comply_at_threat", "p_imposed", "p_success_given_imposed")
    lines = {f: by_gid(ax, f) for f in fields}
    xs = lines["p_imposed"].get_xdata()
    for k in range(0, len(xs), 4):
        pi = F(repr(float(xs[k])))
        exact = Sanctions("0.3", "0.1", pi).solve()
        for f in fields:
            value = getattr(exact, f)
            assert lines[f].get_ydata()[k] == pytest.approx(float(value), abs=1e-12)
    # the selection effect: zero success given imposition beyond the credibility threshold
    success = lines["p_success_given_imposed"].get_ydata()
    assert np.all(success[xs >= 0.75] == 0) and np.all(success[xs < 0.75] > 0)


@pytest.mark.parametrize(
    "draw",
    [
        compliance_region_figure,
        war_peace_figure,
        deterrence_threshold_figure,
        regime_map_figure,
        selection_effect_figure,
    ],
)
def test_figures_render_to_svg(draw):
    fig = draw(resolution=21)
    assert isinstance(fig, Figure)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    assert buffer.getvalue().lstrip().startswith("<?xml")


def test_bad_input():
    with pytest.raises(ModelError) as err:
        regime_map_figure(resolution=5)
    assert err.value.field == "resolution"
    with pytest.raises(ModelError) as err:
        war_peace_figure("0.1", "0.2")
    assert err.value.field == "cost_d"
    with pytest.raises(ModelError):
        deterrence_threshold_figure(status_quo=(1, -1))
    with pytest.raises(ModelError) as err:
        compliance_region_figure(guarantees=("1.5",))
    assert err.value.field == "guarantee"
