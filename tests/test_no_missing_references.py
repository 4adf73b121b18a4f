"""Every file the repository's prose refers to exists in the repository.

Docs and READMEs (all their text), scenario files, and the comments and docstrings of the code
may point a reader at a path ending in ``.md``, ``.py``, ``.toml`` or ``.json``.  Each such path
must name a file of the checkout (a path may be written from the repository root, from the
referring file's folder, or from inside the package, e.g. ``pipeline/outcome.py``), or a file
the code itself writes (a file name that appears as a string in the code of ``negotiate/`` or
``papers/``, e.g. a report's ``report.md``, or in the executed examples of ``docs/``).
String literals of the code are not prose: tests name temporary files freely.  The
background notes that never ship may not be cited at all.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ["negotiate", "models", "papers", "tests", "docs", "benchmarks"]
TOP_FILES = ["README.md", "CHANGELOG.md", "mkdocs.yml", "pyproject.toml", "setup.py"]
PROSE_SUFFIXES = {".md", ".toml", ".yml", ".py"}
SKIP_PARTS = {"__pycache__", ".hypothesis", ".pytest_cache", "site", "data"}
THIS = Path(__file__).resolve()

#: Background notes that never ship: no text may cite them (spelt in pieces so that this
#: file does not cite them either).
FORBIDDEN = [n + ".md" for n in ("MODELS", "PITFALLS", "DESIGN", "ANCHORS")] + [
    "shared" + "/",
    "seed" + "-article",
]

PYTHON_BLOCK = re.compile(r"^```python[ \t]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
REFERENCE = re.compile(
    r"(?<![\w/.\-{<])((?:[\w.\-]+/)*[\w\-][\w.\-]*\.(?:md|py|toml|json))(?![\w/])"
)


def _text_files() -> list[Path]:
    files = [ROOT / name for name in TOP_FILES if (ROOT / name).is_file()]
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*")):
            if (
                path.is_file()
                and path.suffix in PROSE_SUFFIXES
                and not SKIP_PARTS.intersection(path.relative_to(ROOT).parts[1:-1])
                and "__pycache__" not in path.parts
            ):
                files.append(path)
    return files


FILES = _text_files()


def _prose(path: Path) -> list[tuple[int, str]]:
    """(line number, text) of the prose of ``path``: all of a Markdown, TOML or YAML file;
    the comments and docstrings of a Python file."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix != ".py":
        return list(enumerate(text.splitlines(), 1))
    found = [
        (tok.start[0], tok.string)
        for tok in tokenize.generate_tokens(io.StringIO(text).readline)
        if tok.type == tokenize.COMMENT
    ]
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                doc = body[0].value.value
                if isinstance(doc, str):
                    found += [(body[0].lineno + i, ln) for i, ln in enumerate(doc.splitlines())]
    return found


@cache
def _repo_paths() -> tuple[str, ...]:
    return tuple(
        p.relative_to(ROOT).as_posix()
        for p in ROOT.rglob("*")
        if p.is_file() and not {".git", ".venv"}.intersection(p.relative_to(ROOT).parts)
    )


@cache
def _written_names() -> frozenset[str]:
    """File names that the code of the package and of the reproductions spells as strings,
    and those the documentation's executed examples write."""
    names: set[str] = set()
    for top in ("negotiate", "papers"):
        for path in (ROOT / top).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    names.update(m.rsplit("/", 1)[-1] for m in REFERENCE.findall(node.value))
    # a documentation page's Python blocks write their own files (and run as tests)
    for page in (ROOT / "docs").rglob("*.md"):
        for block in PYTHON_BLOCK.findall(page.read_text(encoding="utf-8")):
            names.update(m.rsplit("/", 1)[-1] for m in REFERENCE.findall(block))
    return frozenset(names)


def _resolves(reference: str, source: Path) -> bool:
    if (source.parent / reference).exists():
        return True
    tail = reference
    while tail.startswith(("./", "../", ".../")):
        tail = tail.split("/", 1)[1]
    if any(p == tail or p.endswith("/" + tail) for p in _repo_paths()):
        return True
    return tail.rsplit("/", 1)[-1] in _written_names()


def test_the_scan_sees_the_repository() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in FILES}
    assert {"README.md", "docs/models/index.md", "negotiate/theory/crisis.py"} <= names
    assert "models/us_iran_2025.toml" in names and "papers/kydd2005/README.md" in names
    assert "report.md" in _written_names()


@pytest.mark.parametrize("name", FORBIDDEN)
def test_no_text_cites_background_notes(name: str) -> None:
    hits = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in FILES
        if p != THIS
        for n, line in enumerate(p.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        if name in line
    ]
    assert not hits, f"{name} is cited but does not ship: {hits}"


def test_every_referenced_file_exists() -> None:
    missing = [
        f"{path.relative_to(ROOT)}:{number}: {reference}"
        for path in FILES
        if path != THIS
        for number, line in _prose(path)
        for reference in REFERENCE.findall(line)
        if not _resolves(reference, path)
    ]
    assert not missing, "references to files the repository does not have:\n" + "\n".join(missing)


def test_a_missing_reference_is_caught() -> None:
    """The check can fail: made-up paths are refused, real ones found, prose told from code."""
    source = ROOT / "docs" / "models" / "index.md"
    assert not _resolves("docs/no-such-page.md", source)
    assert not _resolves("no_such_module_anywhere.py", source)
    assert _resolves("docs/models/trust.md", source) and _resolves("trust.md", source)
    assert _resolves("pipeline/outcome.py", source)
    assert REFERENCE.findall("see docs/models/trust.md, and x.py") == [
        "docs/models/trust.md",
        "x.py",
    ]
    assert REFERENCE.findall("api/negotiate.games.md") == ["api/negotiate.games.md"]
    assert [t for _, t in _prose(THIS) if "no_such_module_anywhere" in t] == []
