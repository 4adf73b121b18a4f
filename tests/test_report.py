"""Reports: every number traced to a finding, sections, escaping, classics, files, certificates."""

from __future__ import annotations

import json
import re
import warnings
from fractions import Fraction
from pathlib import Path

import pytest

from negotiate.errors import ModelError, NegotiateWarning
from negotiate.reports import Report, report
from negotiate.reports.findings import Num, exact_text
from negotiate.reports.regime import regime_axes
from negotiate.reports.render_markdown import md_text
from negotiate.scenario import load_scenario

MODELS = Path(__file__).resolve().parent.parent / "models"
FLAGSHIP = MODELS / "us_iran_2025.toml"
CLASSICS = sorted(p for p in MODELS.glob("*.toml") if p.name != FLAGSHIP.name)
SECTIONS = (
    "Summary",
    "What happens?",
    "Why?",
    "What are the threats worth?",
    "What would change it?",
    "How sure is this?",
    "The bargaining space",
    "Claims checked",
    "What the model leaves out",
    "Glossary",
    "Appendix",
)
# the test's own idea of a number on the page: digits not glued to a word, unsigned
NUMBER = re.compile(r"(?<![A-Za-z_\d.])\d+(?:\.\d+)*(?:/\d+)?")
REF = re.compile(r'\(#(f-[A-Za-z0-9_-]+)\)|id="(f-[A-Za-z0-9_-]+)"')


@pytest.fixture(scope="module")
def flagship() -> Report:
    # the relaxed US position (a 3.67% cap acceptable, as in 2015): at the 2025 baseline the
    # red lines alone decide, here the commitment problem does
    return report(FLAGSHIP, variant="relaxed_us_position", regime=False)


def _user_texts(scenario) -> list[str]:
    texts = [scenario.title, scenario.description, scenario.date, *scenario.sources]
    return [t for t in texts if t]


def check_numbers(rep: Report) -> int:
    """Every number on every Markdown line comes from a finding linked on that line.

    Exempt: block quotes (the title and text quoted from the scenario file), link targets and
    anchors themselves, and the certificate table's "checks" cell (it describes how a finding
    was verified, e.g. "at 20 re-solved draws", not a result).  Returns how many numbers were
    checked.
    """
    by_anchor = {f.anchor: f for f in rep.findings}
    md = rep.to_markdown()
    checked = 0
    for k, line in enumerate(md.splitlines()):
        if line.startswith(">"):
            continue
        if line.startswith('| <a id="f-'):
            line = line.rsplit(" | ", 1)[0]
        refs = [a or b for a, b in REF.findall(line)]
        bare = REF.sub("", line)
        found = NUMBER.findall(bare)
        if not found:
            continue
        assert refs, f"line {k} has numbers {found} but links no finding: {line!r}"
        allowed = set().union(*(by_anchor[r].numbers() for r in refs))
        missing = [n for n in found if n not in allowed]
        assert not missing, f"line {k}: {missing} not in findings {refs}: {line!r}"
        checked += len(found)
    return checked


# ---------------------------------------------------------------------- the flagship
def test_flagship_every_number_matches_a_finding(flagship: Report) -> None:
    assert check_numbers(flagship) > 200


def test_flagship_guarantee_threshold_is_solves(flagship: Report) -> None:
    data = flagship.result.to_dict(certificates=False)
    threshold = data["tipping_points"]["guarantee"]["threshold"]
    printed = f"{threshold:.2f}"
    lever = flagship.findings["change.lever.guarantee"]
    assert lever.fields["thr"].text() == printed
    assert f"`guarantee` rises above {printed} " in flagship.to_markdown()


def test_flagship_guarantee_threshold_is_the_solve_commands(flagship: Report) -> None:
    """The threshold printed in the report is ``negotiate solve --json``'s, to 2 decimals."""
    import typer
    from typer.testing import CliRunner

    from negotiate.cli.scenario import register

    app = typer.Typer()
    register(app)
    out = CliRunner().invoke(
        app, ["solve", str(FLAGSHIP), "--scenario", "relaxed_us_position", "--json"]
    )
    assert out.exit_code == 0, out.output
    threshold = json.loads(out.output)["tipping_points"]["guarantee"]["threshold"]
    md = flagship.to_markdown()
    assert f"`guarantee` rises above {threshold:.2f} (now 0;" in md
    html = flagship.to_html()
    assert f'<code>guarantee</code> rises above <span class="num">{threshold:.2f}</span>' in html


def test_flagship_story(flagship: Report) -> None:
    f = flagship.findings
    r = flagship.result
    assert f["what.outcome"].value == "stalemate"
    slacks = {c.name: c.slack for c in r.constraints}
    assert f["why.participation.Iran"].value == slacks["participation:Iran"]
    assert f["why.participation.US"].value == slacks["participation:US"]
    # the binding constraints come first, most violated first
    section = next(s for s in f.sections if s.key == "why")
    assert section.blocks[0].findings == ("summary.chain",)  # "Why?" opens with the chain
    why = list(section.blocks[1].findings)
    failed = [c for c in r.constraints if not c.holds and c.kind == "participation"]
    assert {f"why.participation.{c.name.split(':')[1]}" for c in failed} <= set(why)
    assert f["why.kappa"].value == r.state.kappa == Fraction(5726, 14573)
    # kappa removes the discounted share of every reversible concession's value to Iran
    removed = sum(
        (w[0] - r.state.weights[n][0] for n, w in r.state.raw_weights.items()), Fraction(0)
    )
    assert f["why.discount"].value == removed
    assert f["why.change.credibility"].value == "agreement"
    assert f["why.change.floors"].value == "stalemate"
    assert "guarantee" in f["why.restoring"].value
    assert f["fail.path"].value["path"] == ["restrain", "hold_threshold"]
    hormuz = f["fail.threat.strike_stay_out_set_back.hormuz"]
    assert hormuz.value == Fraction(-27, 50)
    assert "hormuz_self_cost" in hormuz.fields["condition"].text
    assert f["claims.hormuz_not_credible"].value is True


def test_every_sentence_is_complete(flagship: Report) -> None:
    for f in flagship.findings:
        text = f.text()
        assert text.endswith((".", ")")) and "{" not in text, (f.id, text)


def test_flagship_sections_in_order(flagship: Report) -> None:
    md = flagship.to_markdown()
    heads = [line[3:] for line in md.splitlines() if line.startswith("## ")]
    assert heads == list(SECTIONS)
    html = flagship.to_html()
    positions = [html.index(f"<h2>{s.replace(chr(39), '&#39;')}</h2>") for s in SECTIONS]
    assert positions == sorted(positions)


def test_flagship_certified_and_json(flagship: Report) -> None:
    cert = flagship.verify()
    assert cert.ok, cert.notes
    data = json.loads(json.dumps(flagship.to_dict()))
    assert data["certified"] is True
    assert data["findings"]["why.kappa"]["value"] == "5726/14573"
    assert all(f["certificate"]["ok"] for f in data["findings"].values())
    assert [s["key"] for s in data["sections"]] == [s.key for s in flagship.findings.sections]
    text = flagship.summary().to_text()
    assert "stalemate" in text and "what.outcome" in text
    assert repr(flagship).startswith("<Report: 'US–Iran nuclear talks, 2025': stalemate, ")


def test_flagship_html_is_self_contained(flagship: Report) -> None:
    html = flagship.to_html()
    assert html.startswith("<!DOCTYPE html>")
    assert "Content-Security-Policy" in html
    for bad in ("<script", "<link", "src=", "@import", "<iframe", "<object", "<embed"):
        assert bad not in html.lower()
    # only references inside the page: url(#clip-id), href="#anchor"
    assert not re.search(r"url\((?!#)", html)
    assert not re.search(r'href="(?!#)', html)
    assert html.count("<svg") == len(flagship.figures) >= 2
    frag = flagship._repr_html_()
    assert "<html" not in frag and 'class="negotiate-report"' in frag


def test_flagship_write(flagship: Report, tmp_path: Path) -> None:
    written = flagship.write(tmp_path / "out")
    out = tmp_path / "out"
    assert (out / "report.html").is_file() and (out / "report.md").is_file()
    md = (out / "report.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\((figures/[^)]+)\)", md):
        assert (out / target).is_file()
    assert set(written) >= {"report.html", "report.md", "figures/frontier.svg"}


# ---------------------------------------------------------------------- the classics
@pytest.mark.parametrize("path", CLASSICS, ids=lambda p: p.stem)
def test_classic_report_renders(path: Path, tmp_path: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", NegotiateWarning)
        rep = report(path, resolution=11)
    failed = [w for w in caught if "no regime map" in str(w.message)]
    if regime_axes(rep.result) is None:  # fewer than two levers with a tipping point
        assert rep.regime is None and not failed
    else:  # a regime map, or a note and a warning where the model is undefined
        assert (rep.regime is None) == bool(failed) == ("regime" not in rep.figures)
    assert rep.verify().ok, rep.verify().notes
    check_numbers(rep)
    md, html = rep.to_markdown(), rep.to_html()
    assert [line[3:] for line in md.splitlines() if line.startswith("## ")] == list(SECTIONS)
    assert rep.result.outcome in rep.findings["what.outcome"].text()
    assert "<h2>Why?</h2>" in html and "<h2>Glossary</h2>" in html
    rep.write(tmp_path)
    assert (tmp_path / "report.html").stat().st_size > 1000


def test_regime_map_undefined_points(tmp_path: Path) -> None:
    """A condition that divides by (temptation - punishment) is undefined where the two are
    equal, which the domain admits: the automatic regime map is left out with a note and a
    warning; asked-for axes raise."""
    text = (
        (MODELS / "prisoners_dilemma.toml")
        .read_text(encoding="utf-8")
        .replace(
            'holds = "delta*(temptation - punishment) >= temptation - reward"',
            'holds = "delta >= (temptation - reward)/(temptation - punishment)"',
        )
    )
    assert "(temptation - reward)/(temptation - punishment)" in text
    path = tmp_path / "pd_divides.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.warns(NegotiateWarning, match="no regime map"):
        rep = report(path, resolution=11)
    assert rep.regime is None and "regime" not in rep.figures
    assert "No regime map over delta and temptation" in rep.to_markdown()
    with pytest.raises(ModelError, match="undefined"):
        report(path, regime=("delta", "temptation"), resolution=11)


def test_report_from_result_and_variant() -> None:
    model = load_scenario(MODELS / "prisoners_dilemma.toml")
    result = model.solve({"delta": "0.4"})
    rep = report(result, regime=False)
    assert rep.result is result
    assert rep.findings["what.outcome"].value == result.outcome == "stalemate"
    assert "appendix.set" in rep.findings.items
    with pytest.raises(ModelError, match="overrides"):
        report(result, {"delta": "0.5"}, regime=False)


# ---------------------------------------------------------------------- escaping
HOSTILE = "<img src=x onerror=alert(1)>"


def test_scenario_text_is_escaped(tmp_path: Path) -> None:
    text = (MODELS / "chicken_crisis.toml").read_text(encoding="utf-8")
    text = re.sub(r'(?m)^title = ".*"$', f'title = "{HOSTILE}"', text, count=1)
    text = re.sub(
        r'(?m)^description = ".*"$',
        'description = "<script>alert(2)</script> *x* |y|"',
        text,
        count=1,
    )
    text = re.sub(
        r'(?m)^meaning = ".*"$', "meaning = \"<a href='http://x'>payoff</a>\"", text, count=1
    )
    assert HOSTILE in text and "<a href" in text
    path = tmp_path / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    rep = report(path, regime=False)
    html = rep.to_html()
    assert HOSTILE not in html and "<script>" not in html and "<a href='http" not in html
    assert "&lt;a href=&#39;http://x&#39;&gt;payoff&lt;/a&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    md = rep.to_markdown()
    assert HOSTILE not in md and "<script>" not in md and "<a href='http" not in md
    assert "&lt;img src=x onerror=alert(1)&gt;" in md
    rep.write(tmp_path / "out")
    assert HOSTILE not in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


def test_markdown_escaping() -> None:
    assert md_text("<b>|*x*_[a](b)") == "&lt;b&gt;\\|\\*x\\*\\_\\[a\\](b)"


# ---------------------------------------------------------------------- numbers
def test_num_formats() -> None:
    assert Num(Fraction(950, 2777)).text() == "0.342"
    assert Num(Fraction(5348, 10000), 2).text() == "0.53"
    assert Num(Fraction(-1, 3), 3, signed=True).text() == "-0.333"
    assert Num(Fraction(1, 3), 3, signed=True).text() == "+0.333"
    assert Num(Fraction(-1, 10**6), 3).text() == "0.000"
    assert Num(Fraction(2), 3).text() == "2"
    assert Num(Fraction(1, 4), None).text() == "0.25"
    assert exact_text(Fraction(-1, 5)) == "-0.2"
    assert exact_text(Fraction(1, 3)) == "1/3"
    with pytest.raises(ModelError, match=r"Num\.value"):
        Num(0.5)  # type: ignore[arg-type]


def test_bad_regime_axes() -> None:
    with pytest.raises(ModelError, match="regime"):
        report(MODELS / "powell_shifting_power.toml", regime=("delta", "delta"))
    with pytest.raises(ModelError, match="regime"):
        report(MODELS / "powell_shifting_power.toml", regime=("delta", "no_such"))
