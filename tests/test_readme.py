"""README.md is tested: its Python examples run, its set-up commands are what CI runs, and its
main job command prints the equilibria it promises."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI_SCRIPT = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
MAIN_JOB = "negotiate report models/us_iran_2025.toml --out report/"
NASH_EXAMPLE = "negotiate nash models/games/crisis_chicken.nfg"


def blocks(text: str, language: str) -> list[str]:
    """The fenced code blocks of ``language`` in Markdown ``text``, in order."""
    pattern = re.compile(rf"^```{language}[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
    return [m.group(1) for m in pattern.finditer(text)]


def section(text: str, heading: str) -> str:
    """The text under ``## heading`` up to the next heading (its ``###`` subsections apart)."""
    match = re.search(rf"^## {re.escape(heading)}[ \t]*\n(.*?)(?=^##+ |\Z)", text, re.M | re.S)
    assert match, f"README has no '## {heading}' section"
    return match.group(1)


def commands(block: str) -> list[str]:
    return [
        ln.strip() for ln in block.splitlines() if ln.strip() and not ln.strip().startswith("#")
    ]


def setup_blocks() -> list[str]:
    found = blocks(section(README, "Set up"), "bash")
    assert len(found) == 2, "the Set up section has the install block and the test block"
    return found


PYTHON_BLOCKS = blocks(README, "python")


def test_readme_has_python_examples() -> None:
    assert PYTHON_BLOCKS, "README.md shows at least one Python example"


def test_python_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """The blocks run in order in one namespace, as a reader would run them."""
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {"__name__": "__readme__"}
    out = io.StringIO()
    for number, block in enumerate(PYTHON_BLOCKS, start=1):
        code = compile(block, f"README.md python block {number}", "exec")
        with contextlib.redirect_stdout(out):
            exec(code, namespace)  # safe: executes the project's own README
    assert any(not name.startswith("__") for name in namespace)  # the examples defined names


def _ci_lines() -> list[str]:
    return [ln.strip() for ln in CI_SCRIPT.splitlines()]


def _arguments(command: str) -> list[str]:
    """The non-option arguments of an ``apt-get install`` line (``sudo`` and flags dropped)."""
    words = [w for w in shlex.split(command) if w != "sudo"]
    return [w for w in words[2:] if not w.startswith("-")]


def test_setup_commands_are_what_ci_runs() -> None:
    ci = _ci_lines()
    position = -1
    for block in setup_blocks():
        for command in commands(block):
            if command.startswith("apt-get install"):
                matches = [
                    i
                    for i, line in enumerate(ci)
                    if line.startswith("apt-get install")
                    and _arguments(line) == _arguments(command)
                ]
            else:
                matches = [i for i, line in enumerate(ci) if line == command]
            assert matches, f".ci/run does not run the README command {command!r}"
            later = [i for i in matches if i > position]
            assert later, f".ci/run runs {command!r} before the commands the README puts first"
            position = later[0]


def _run(command: str, cwd: Path, replace: dict[str, str] | None = None) -> str:
    argv = [(replace or {}).get(w, w) for w in shlex.split(command)]
    argv[0] = str(Path(sys.executable).parent / argv[0])  # the installed console script
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_main_job_writes_the_flagship_report(tmp_path: Path) -> None:
    first = commands(setup_blocks()[0])
    assert first[-1] == MAIN_JOB, "the install block ends by running the main job"
    out = _run(MAIN_JOB, ROOT, {"report/": str(tmp_path / "report")})
    assert "stalemate" in out and "certificates: all verified" in out
    html = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    md = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "What would change it" in html and "What would change it" in md


def test_nash_example_lists_the_three_equilibria() -> None:
    assert NASH_EXAMPLE in README
    out = _run(NASH_EXAMPLE, ROOT)
    assert "3 extreme equilibria (complete)" in out
    rows = [ln for ln in out.splitlines() if re.match(r"^│ +\d+ │", ln)]
    assert len(rows) == 3, out
    assert "certificate: max regret 0 (exact), verified" in out
