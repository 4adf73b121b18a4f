"""Reproductions of the canonical papers: the harness behind ``negotiate papers``.

Each paper has a folder ``papers/<key>/`` (the repository's ``papers/``, shipped inside the
package; :func:`negotiate._bundled.bundled_dir` finds it) with

* ``README.md``: the citation, the claims reproduced, and the fidelity: the paper's **exact**
  game, a **stylised** model that reproduces its headline claims, or (the flagship) the
  project's own **model**, whose numbers are assumptions and calibrations;
* ``expected.toml``: the numbers the checks compare against, each with its provenance;
* ``reproduce.py``: uses only the public API and defines::

      KEY = "fearon1995"
      CITATION = "Fearon, J. D. (1995). Rationalist explanations for war. IO 49(3)."
      FIDELITY = "stylised"            # or "exact"
      def reproduce(out: Path, expected: Mapping) -> list[Check]: ...

  It writes its figures (SVG) and tables (CSV or Markdown) into ``out`` and returns one
  :class:`Check` per claim.  A check can fail; :func:`reproduce` writes ``result.md`` with
  every claim, its numbers, and pass or fail.

The folders are the project's own code, imported by path; nothing a user writes is executed.
"""

from __future__ import annotations

import importlib.util
import math
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

from negotiate._bundled import bundled_dir
from negotiate.errors import ModelError

__all__ = [
    "PAPERS_DIR",
    "Check",
    "Paper",
    "Reproduction",
    "check_close",
    "check_equal",
    "check_true",
    "discover",
    "reproduce",
]

#: The papers folder: the checkout's own in a source checkout, else the installed copy.
PAPERS_DIR = bundled_dir("papers")
_FIDELITY = ("exact", "stylised", "model")
_FIDELITY_NOTE = {
    "exact": " (the paper's own game)",
    "stylised": " (reproduces the headline claims, not the paper's exact game)",
    "model": " (the project's own model: its numbers are assumptions and calibrations)",
}


@dataclass(frozen=True)
class Check:
    """One claim of a paper, checked: what was expected, what was computed, and whether the
    two agree (exactly, or within ``tolerance``)."""

    claim: str
    expected: Any
    computed: Any
    passed: bool
    tolerance: float = 0.0


def check_equal(claim: str, expected: Any, computed: Any) -> Check:
    """Exact agreement (Fractions, ints, strings, booleans)."""
    return Check(claim, expected, computed, bool(expected == computed))


def check_close(claim: str, expected: Any, computed: Any, tolerance: float = 1e-9) -> Check:
    """``|computed - expected| <= tolerance`` (numbers, or equal-length sequences of them)."""
    exp = list(expected) if isinstance(expected, Sequence) else [expected]
    com = list(computed) if isinstance(computed, Sequence) else [computed]
    ok = len(exp) == len(com) and all(
        math.isfinite(float(c)) and abs(float(c) - float(e)) <= tolerance
        for e, c in zip(exp, com, strict=False)
    )
    return Check(claim, expected, computed, ok, tolerance)


def check_true(claim: str, condition: bool, detail: Any = None) -> Check:
    """A qualitative claim: ``condition`` must hold (``detail`` is shown as computed)."""
    return Check(claim, True, detail if detail is not None else bool(condition), bool(condition))


@dataclass(frozen=True)
class Paper:
    """A paper folder: its key, citation, fidelity and reproduction function."""

    key: str
    citation: str
    fidelity: str
    folder: Path
    run: Callable[[Path, Mapping[str, Any]], list[Check]]

    def expected(self) -> dict[str, Any]:
        """``expected.toml`` of the paper (exact decimals kept as text where quoted)."""
        path = self.folder / "expected.toml"
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ModelError(f"papers/{self.key}/expected.toml", None, str(exc)) from None


@dataclass(frozen=True)
class Reproduction:
    """The result of reproducing one paper: its checks and the files written."""

    paper: Paper
    checks: tuple[Check, ...]
    out: Path

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(c.passed for c in self.checks)

    def to_markdown(self) -> str:
        p = self.paper
        lines = [
            f"# {p.key}",
            "",
            f"{p.citation}",
            "",
            f"Fidelity: **{p.fidelity}**" + _FIDELITY_NOTE[p.fidelity],
            "",
            f"Result: **{'all claims pass' if self.passed else 'SOME CLAIMS FAIL'}** "
            f"({sum(c.passed for c in self.checks)} of {len(self.checks)})",
            "",
            "| claim | expected | computed | tolerance | result |",
            "|---|---|---|---|---|",
        ]
        for c in self.checks:
            lines.append(
                f"| {_cell(c.claim)} | {_cell(c.expected)} | {_cell(c.computed)} | "
                f"{'exact' if c.tolerance == 0 else f'{c.tolerance:g}'} | "
                f"{'pass' if c.passed else 'FAIL'} |"
            )
        files = sorted(f.name for f in self.out.iterdir() if f.name != "result.md")
        if files:
            lines += ["", "Files: " + ", ".join(f"`{f}`" for f in files)]
        return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    if isinstance(value, float):
        text = f"{value:.6g}"
    elif isinstance(value, Fraction):
        text = f"{value} ({float(value):.6g})" if value.denominator != 1 else str(value)
    elif isinstance(value, tuple | list):
        text = "(" + ", ".join(_cell(v) for v in value) + ")"
    else:
        text = str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _load(folder: Path) -> Paper:
    path = folder / "reproduce.py"
    spec = importlib.util.spec_from_file_location(f"negotiate_papers_{folder.name}", path)
    if spec is None or spec.loader is None:
        raise ModelError(f"papers/{folder.name}", None, "has no reproduce.py")
    module: ModuleType = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # the project's own reproduction script
    for attr in ("KEY", "CITATION", "FIDELITY", "reproduce"):
        if not hasattr(module, attr):
            raise ModelError(f"papers/{folder.name}/reproduce.py", None, f"defines no {attr}")
    if folder.name != module.KEY:
        raise ModelError(f"papers/{folder.name}/reproduce.py", module.KEY, "KEY must be the folder")
    if module.FIDELITY not in _FIDELITY:
        raise ModelError(
            f"papers/{folder.name}/reproduce.py",
            module.FIDELITY,
            f"FIDELITY must be one of {_FIDELITY}",
        )
    return Paper(module.KEY, module.CITATION, module.FIDELITY, folder, module.reproduce)


def discover(root: Path | None = None) -> dict[str, Paper]:
    """Every paper folder under ``root`` (default :data:`PAPERS_DIR`), by key, sorted."""
    base = PAPERS_DIR if root is None else root
    if not base.is_dir():
        raise ModelError("papers", str(base), "no papers folder (the installation is incomplete)")
    return {
        f.name: _load(f)
        for f in sorted(base.iterdir())
        if f.is_dir() and (f / "reproduce.py").is_file()
    }


def reproduce(paper: Paper, out_dir: Path) -> Reproduction:
    """Run one paper's reproduction into ``out_dir/<key>/`` and write its ``result.md``."""
    out = Path(out_dir) / paper.key
    out.mkdir(parents=True, exist_ok=True)
    checks = tuple(paper.run(out, paper.expected()))
    if not checks:
        raise ModelError(f"papers/{paper.key}", None, "reproduce() returned no checks")
    result = Reproduction(paper, checks, out)
    (out / "result.md").write_text(result.to_markdown(), encoding="utf-8")
    return result
