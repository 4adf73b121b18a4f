"""The report as a reader meets it: a summary first, a glossary, the causal chain the scenario
encodes, the scenario's own words (never the flagship's), and figures legible at page width."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from negotiate.figures.report import MIN_FONT_PT, PAGE_WIDTH_PT
from negotiate.reports import Report, report
from negotiate.reports.summary import causal_chain, history_parameters
from negotiate.scenario import load_scenario

MODELS = Path(__file__).resolve().parent.parent / "models"
FLAGSHIP = MODELS / "us_iran_2025.toml"
FLAGSHIP_WORDS = ("Iran", "enrichment", "sanctions", "JCPOA", "Hormuz", "Israel", "Fordow")

# A trade negotiation: tariff cuts and quota access, a snap-back fear from a dated episode
# (the 2019 tariff reversal), no no-deal game.  Nothing in it is about the flagship.
TRADE = """
[scenario]
title = "Northland-Southland trade talks"
players = ["Northland", "Southland"]
description = "Northland wants lower steel tariffs; Southland wants quota access for grain."
sources = ["Illustrative: the 2019 tariff reversal"]

[parameters.tariff_cut_weight]
value = 0.6
domain = [0, 1]
meaning = "Northland's weight on Southland's tariff cut"
source = "assumption: illustrative"

[parameters.trust0]
value = 0.7
domain = [0, 1]
meaning = "Northland's confidence, before 2019, that Southland keeps tariff cuts"
source = "assumption: illustrative"

[parameters.rev_good]
value = 0.2
domain = [0, 1]
meaning = "chance that a reliable Southland would have reversed its tariff cut as it did in 2019"
source = "observed: the 2019 tariff reversal"

[parameters.rev_bad]
value = 0.9
domain = [0, 1]
meaning = "chance that an unreliable Southland would have reversed its tariff cut"
source = "assumption: illustrative"

[parameters.snapback_risk]
value = 0.3
domain = [0, 0.6]
meaning = "per-round chance that an unreliable Southland restores its tariffs"
source = "assumption: illustrative"

[parameters.patience]
value = 0.9
domain = [0.5, 0.99]
meaning = "Northland's discount factor per round"
source = "assumption: illustrative"

[parameters.arbitration]
value = 0
domain = [0, 1]
meaning = "strength of a binding arbitration clause against tariff snap-back"
source = "assumption: none in the baseline"

[parameters.walk_away_north]
value = 0.45
domain = [0, 1]
meaning = "Northland's value of no agreement"
source = "assumption: illustrative"

[parameters.walk_away_south]
value = 0.3
domain = [0, 1]
meaning = "Southland's value of no agreement"
source = "assumption: illustrative"

[derived]
confidence_after_2019 = "trust0*rev_good / (trust0*rev_good + (1 - trust0)*rev_bad)"
risk_after_2019 = "(1 - confidence_after_2019)*snapback_risk"

[commitment]
beneficiary = "Northland"
patience = "patience"
hazard = "risk_after_2019"
guarantee = "arbitration"

[issues.tariffs]
meaning = "Southland's cut of steel tariffs (can be restored)"
weights = { Northland = "tariff_cut_weight", Southland = "0.3" }
reversible = true

[issues.quotas]
meaning = "grain quota access for Southland (Northland's way = smaller quota)"
weights = { Northland = "1 - tariff_cut_weight", Southland = "0.7" }

[bargaining]
solution = "nash"
disagreement = { Northland = "walk_away_north", Southland = "walk_away_south" }

[analysis]
levers = ["arbitration", "snapback_risk", "patience"]
policy = ["arbitration"]
"""


@pytest.fixture(scope="module")
def trade(tmp_path_factory: pytest.TempPathFactory) -> Report:
    path = tmp_path_factory.mktemp("trade") / "trade_talks.toml"
    path.write_text(TRADE)
    return report(path, resolution=11)


@pytest.fixture(scope="module")
def flagship() -> Report:
    return report(FLAGSHIP, resolution=11)


def _summary(md: str) -> str:
    return md.split("\n## ", 1)[0]


def test_markdown_begins_with_summary_and_has_a_glossary(flagship: Report, trade: Report) -> None:
    for rep in (flagship, trade):
        md = rep.to_markdown()
        assert md.startswith("## Summary\n")
        heads = [line[3:] for line in md.splitlines() if line.startswith("## ")]
        assert heads[0] == "Summary" and "Glossary" in heads
        # five to eight sentences, each ending in exactly one link to its finding
        sentences = [s for s in _summary(md).splitlines() if s.endswith(")") and "[↗]" in s]
        assert 3 <= len(sentences) <= 8
        assert all(s.count("[↗]") == 1 for s in sentences)
        assert "utility" in md.split("## Glossary", 1)[1].lower()


def test_flagship_summary_names_the_first_link_of_the_chain(flagship: Report) -> None:
    """The flagship's chain: the 2018 exit updates trust, which sets the reneging risk."""
    from negotiate.reports.builder import Builder

    b = Builder(flagship.result, flagship.counterfactuals)
    assert causal_chain(b)[0] == "trust_posterior"
    assert "exit_if_trustworthy" in history_parameters(b)
    summary = _summary(flagship.to_markdown())
    assert "2018" in summary and "trust" in summary
    # with priors, the outcome's probability is given, and the policy levers come first
    assert "random draws" in summary
    changes = flagship.findings["summary.changes"].text()
    # no lever alone breaks the 2025 stalemate: the summary names two policy choices together
    assert "No single lever" in changes and "us_accepts_capped" in changes
    assert "a policy choice" in changes
    # ... toward an agreement: a second step that brings war (low detection) is not named
    assert "brings an agreement" in changes and "detection" not in changes
    sc = flagship.result.scenario
    assert sc.solve({"us_accepts_capped": 1, "relief_escrow": "0.33"}).outcome == "agreement"


def test_trade_report_reads_in_its_own_words(trade: Report) -> None:
    md, html = trade.to_markdown(), trade.to_html()
    for word in FLAGSHIP_WORDS:
        assert word.lower() not in md.lower(), word
        assert word.lower() not in html.lower(), word
    summary = _summary(md)
    # the chain starts from the trade scenario's own dated episode
    assert "2019" in summary and "confidence_after_2019" in summary
    assert "Northland" in summary
    assert trade.verify().ok


@pytest.mark.parametrize("path", sorted(MODELS.glob("*.toml")), ids=lambda p: p.stem)
def test_every_model_report_renders_without_foreign_words(path: Path) -> None:
    rep = report(path, resolution=7, draws=200)
    md = rep.to_markdown()
    own = load_scenario(path).source_text.lower()
    for word in FLAGSHIP_WORDS:  # a word is allowed only if the scenario itself uses it
        if word.lower() not in own:
            assert word.lower() not in md.lower(), (path.name, word)
    private = re.compile(r"\b[A-Z][A-Z_]*\.md\b")  # documents a reader does not have
    assert not private.search(md) and not private.search(rep.to_html())
    assert md.startswith("## Summary\n") and "\n## Glossary\n" in md


_FONT = re.compile(r"font(?:-size)?:\s*(?:[a-z-]+\s+)*([\d.]+)px")
_WIDTH = re.compile(r'<svg[^>]*\swidth="([\d.]+)pt"')


@pytest.mark.parametrize("which", ["flagship", "trade"])
def test_figure_text_is_at_least_9pt_at_page_width(
    which: str, flagship: Report, trade: Report
) -> None:
    rep = flagship if which == "flagship" else trade
    assert rep.figures
    for name, svg in rep.figures.items():
        width = float(_WIDTH.search(svg).group(1))  # type: ignore[union-attr]
        scale = min(1.0, PAGE_WIDTH_PT / width)
        sizes = [float(x) for x in _FONT.findall(svg)]
        assert sizes, name
        assert min(sizes) * scale >= MIN_FONT_PT - 1e-9, (name, width, min(sizes))


def test_flagship_uncertainty_figures(flagship: Report) -> None:
    assert {"outcomes", "sobol", "tree", "tornado"} <= set(flagship.figures)
    f = flagship.findings
    shares = f["sure.prior"].value
    assert sum(shares.values()) == 1
    # with Israel's preventive strike in the no-deal game, some prior draws reproduce every
    # dated episode, the June 2025 war included: the calibration keeps them
    assert "sure.posterior" in f.items
    assert sum(f["sure.posterior"].value.values()) == 1
    assert 0 < f["sure.episode.june_war_2025"].value <= 1
    md = flagship.to_markdown()
    assert "cannot reproduce that history" not in md


def test_conditions_read_as_maths(flagship: Report) -> None:
    md = flagship.to_markdown()
    assert ">=" not in md and "≥" in md
    assert not re.search(r"[a-z_]\*[a-z_]", md)
