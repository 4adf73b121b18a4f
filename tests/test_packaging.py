"""The package works outside its checkout: the wheel carries the models and the papers, and a
plain (non-editable) install runs ``negotiate papers list`` and ``negotiate report
us_iran_2025`` from a directory that is not the checkout.  The release files agree with the
version."""

from __future__ import annotations

import os
import re
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from negotiate._version import __version__

ROOT = Path(__file__).resolve().parents[1]
#: What a wheel is built from (a copy, so the build leaves nothing in the checkout).
SOURCES = ("pyproject.toml", "setup.py", "README.md", "LICENSE", "negotiate", "models", "papers")


def test_license_citation_and_changelog_name_this_version() -> None:
    license_text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert license_text.startswith("MIT License")
    assert re.search(r"^Copyright \(c\) \d{4} The negotiate developers$", license_text, re.M)
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    yaml = pytest.importorskip("yaml")
    data = yaml.safe_load(cff)
    assert data["cff-version"] == "1.2.0"
    assert data["version"] == __version__
    assert {"message", "title", "authors"} <= set(data) and data["authors"]
    assert all("name" in a or "family-names" in a for a in data["authors"])
    assert data["license"] == "MIT"
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## \[?(\d+\.\d+\.\d+)\]?", changelog, re.M)
    assert versions and versions[0] == __version__, "the newest CHANGELOG entry is this version"


def _run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in argv], capture_output=True, text=True, timeout=900, cwd=cwd, env=env
    )
    assert done.returncode == 0, f"{argv}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _copy_sources(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "dist")
    dest.mkdir()
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore)
        else:
            shutil.copy2(src, dest / name)
    return dest


@pytest.mark.heavy
def test_a_wheel_works_outside_the_checkout(tmp_path: Path) -> None:
    src = _copy_sources(tmp_path / "src")
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, src], tmp_path)
    (wheel,) = dist.glob("negotiate_solver-*.whl")
    assert wheel.name.startswith(f"negotiate_solver-{__version__}-")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "negotiate/py.typed",
        "negotiate/_bundled/models/us_iran_2025.toml",
        "negotiate/_bundled/models/games/crisis_chicken.nfg",
        "negotiate/_bundled/papers/fearon1995/reproduce.py",
        "negotiate/_bundled/papers/fearon1995/expected.toml",
        "negotiate/reports/templates/report.html",
    ):
        assert required in names, required
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]

    # A fresh environment: the wheel, and the dependencies of this one found through a .pth
    # (a venv's own packages are not the 'system' ones --system-site-packages adds).
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", venv], tmp_path)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    purelib = _run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path
    )
    deps = [p for p in site.getsitepackages() if Path(p).is_dir()]
    Path(purelib.strip(), "_negotiate_test_dependencies.pth").write_text(
        "\n".join(deps) + "\n", encoding="utf-8"
    )
    _run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel], tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["COLUMNS"] = "100"
    where = _run([python, "-c", "import negotiate; print(negotiate.__file__)"], elsewhere, env)
    assert Path(where.strip()).resolve().is_relative_to(venv.resolve()), where

    negotiate = bindir / "negotiate"
    listed = _run([negotiate, "papers", "list"], elsewhere, env)
    papers = sorted(p.name for p in (ROOT / "papers").iterdir() if (p / "reproduce.py").is_file())
    assert [line.split()[0] for line in listed.strip().splitlines()] == papers

    out = elsewhere / "report"
    text = _run([negotiate, "report", "us_iran_2025", "--out", out], elsewhere, env)
    assert "certificates: all verified" in text
    assert (out / "report.html").is_file() and (out / "report.md").is_file()
    assert "What would change it" in (out / "report.md").read_text(encoding="utf-8")
