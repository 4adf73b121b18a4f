"""The documentation's Python and TOML examples run.

Every ```` ```python ```` block of ``docs/**/*.md`` is executed; the blocks of one page run in
order in one namespace, as a reader working through the page would run them, with a temporary
directory as the working directory (pages write files).  A block fenced ```` ```py ```` is
a sketch (part of a module, not a script) and is not run.  A page whose text contains
``<!-- heavy`` is slow and carries the ``heavy`` mark.  Every ```` ```toml ```` block parses,
and a block that is a whole scenario file (``[scenario]`` and parameters) loads, solves and
verifies.  The command-line reference lists every command.
"""

from __future__ import annotations

import contextlib
import io
import re
import tomllib
from fractions import Fraction
from pathlib import Path

import matplotlib
import pytest

from negotiate.scenario import loads_scenario

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
TOML_FENCE = re.compile(r"^```toml[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def python_blocks(text: str) -> list[str]:
    """The ```` ```python ```` blocks of Markdown ``text``, in order."""
    return [m.group(1) for m in FENCE.finditer(text)]


def toml_blocks() -> list[pytest.param]:  # type: ignore[valid-type]
    return [
        pytest.param(block, id=f"{page.relative_to(DOCS).as_posix()}#{n}")
        for page in sorted(DOCS.rglob("*.md"))
        for n, block in enumerate(TOML_FENCE.findall(page.read_text(encoding="utf-8")), 1)
    ]


def _pages() -> list[pytest.param]:  # type: ignore[valid-type]
    params = []
    for page in sorted(DOCS.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        if python_blocks(text):
            marks = [pytest.mark.heavy] if "<!-- heavy" in text else []
            params.append(pytest.param(page, marks=marks, id=page.relative_to(DOCS).as_posix()))
    return params


PAGES = _pages()


def test_the_tutorials_are_executable_pages() -> None:
    ids = {p.id for p in PAGES}
    for name in ("crisis-game", "deterrence-tree", "first-scenario", "flagship"):
        assert f"tutorials/{name}.md" in ids


def test_sketches_and_other_languages_are_not_run() -> None:
    text = "```py\nraise SystemExit\n```\n```python\nx = 1\n```\n```bash\nexit 1\n```\n"
    assert python_blocks(text) == ["x = 1\n"]


@pytest.mark.parametrize("page", PAGES)
def test_page_runs(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    out = io.StringIO()
    for number, block in enumerate(python_blocks(page.read_text(encoding="utf-8")), start=1):
        code = compile(block, f"{page.relative_to(ROOT)} python block {number}", "exec")
        with contextlib.redirect_stdout(out):
            exec(code, namespace)  # safe: executes the project's own documentation
    assert out.getvalue(), f"{page.name} prints nothing a reader could compare"


@pytest.mark.parametrize("block", toml_blocks())
def test_toml_examples_parse(block: str) -> None:
    data = tomllib.loads(block)
    assert data
    if {"scenario", "parameters"} <= data.keys():  # a whole file, not a fragment
        scenario = loads_scenario(block, source_name="example.toml")
        assert scenario.solve().verify().ok


def test_the_complete_scenario_example_says_what_it_gives() -> None:
    """The complete example of the scenario format: a stalemate that a guarantee of 1/12
    tips into an agreement, with both claims supported (as the page says)."""
    text = (DOCS / "scenario-format.md").read_text(encoding="utf-8")
    (block,) = [b for b in TOML_FENCE.findall(text) if "[scenario]" in b and "[episodes" in b]
    result = loads_scenario(block, source_name="example.toml").solve()
    assert result.outcome == "stalemate"
    assert result.tipping_points["guarantee"].threshold == Fraction(1, 12)
    assert all(claim.supported for claim in result.claims)
    assert "a guarantee of 1/12" in text


def test_the_cli_reference_lists_every_command() -> None:
    import typer

    from negotiate.cli.main import app

    page = (DOCS / "reference" / "cli.md").read_text(encoding="utf-8")
    root = typer.main.get_command(app)
    names = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        names.append(name)
        names += [f"{name} {sub}" for sub in getattr(command, "commands", {})]
    assert len(names) >= 8
    missing = [n for n in names if f"## `negotiate {n}`" not in page]
    assert not missing, f"docs/reference/cli.md lacks {missing}"
