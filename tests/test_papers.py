"""Every paper folder reproduces: its claims pass, its figures are written, its README states
its fidelity; and the `negotiate papers` command lists and reproduces them."""

from __future__ import annotations

from pathlib import Path

import pytest

import negotiate.papers as papers_mod
from negotiate.papers import discover, reproduce

PAPERS = discover()


def test_papers_are_found() -> None:
    assert "fearon1995" in PAPERS
    for key, paper in PAPERS.items():
        assert paper.fidelity in ("exact", "stylised", "model"), key
        assert paper.citation.strip(), key


@pytest.mark.parametrize("key", sorted(PAPERS))
def test_paper_reproduces(key: str, tmp_path: Path) -> None:
    paper = PAPERS[key]
    result = reproduce(paper, tmp_path)
    failed = [c for c in result.checks if not c.passed]
    assert not failed, failed
    out = tmp_path / key
    assert (out / "result.md").is_file()
    assert "all claims pass" in (out / "result.md").read_text(encoding="utf-8")
    assert list(out.glob("*.svg")) or list(out.glob("*.png")), "a paper writes its figures"
    readme = (paper.folder / "README.md").read_text(encoding="utf-8")
    assert paper.fidelity in readme.lower()
    assert (paper.folder / "expected.toml").is_file()


def test_cli_list_and_reproduce(cli, tmp_path: Path) -> None:
    code, out, _ = cli("papers", "list")
    assert code == 0
    assert len(out.strip().splitlines()) == len(PAPERS)
    assert "fearon1995" in out and "stylised" in out
    code, out, _ = cli("papers", "reproduce", "fearon1995", "--out", str(tmp_path))
    assert code == 0 and out.startswith("ok")
    code, _, err = cli("papers", "reproduce", "nope", "--out", str(tmp_path))
    assert code == 2 and "unknown paper" in err


def test_a_failing_claim_fails_the_command(cli, monkeypatch, tmp_path: Path) -> None:
    root = tmp_path / "papers"
    (root / "broken").mkdir(parents=True)
    (root / "broken" / "expected.toml").write_text("x = 1\n", encoding="utf-8")
    (root / "broken" / "reproduce.py").write_text(
        "from negotiate.papers import check_equal\n"
        "KEY = 'broken'\nCITATION = 'A test paper.'\nFIDELITY = 'exact'\n"
        "def reproduce(out, expected):\n"
        "    (out / 'fig.svg').write_text('<svg/>')\n"
        "    return [check_equal('one is two', expected['x'], 2)]\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(papers_mod, "PAPERS_DIR", root)
    code, out, err = cli("papers", "reproduce", "--all", "--out", str(tmp_path / "out"))
    assert code == 1 and "FAIL broken" in out and "broken" in err
    assert "FAIL" in (tmp_path / "out" / "broken" / "result.md").read_text(encoding="utf-8")
