"""The documentation's Python examples run.

Every ```` ```python ```` block of ``docs/**/*.md`` is executed; the blocks of one page run in
order in one namespace, as a reader working through the page would run them, with a temporary
directory as the working directory (pages write files).  A block fenced ```` ```py ```` is
a sketch (part of a module, not a session) and is not run.  A page whose text contains
``<!-- heavy`` is slow and carries the ``heavy`` mark.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def python_blocks(text: str) -> list[str]:
    """The ```` ```python ```` blocks of Markdown ``text``, in order."""
    return [m.group(1) for m in FENCE.finditer(text)]


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
