"""Packaging beyond what ``pyproject.toml`` can say: the repository's top-level ``models/``
and ``papers/`` folders ship inside the package as ``negotiate/_bundled/models`` and
``negotiate/_bundled/papers`` (read by :mod:`negotiate._bundled`)."""

from setuptools import find_packages, setup

BUNDLED = {"negotiate._bundled.models": "models", "negotiate._bundled.papers": "papers"}

setup(
    packages=[*find_packages(include=["negotiate", "negotiate.*"]), *BUNDLED],
    package_dir=BUNDLED,
    package_data={
        "negotiate": ["reports/templates/*", "py.typed"],
        "negotiate._bundled.models": ["*.toml", "games/*.nfg", "games/*.efg"],
        "negotiate._bundled.papers": ["*/*.md", "*/*.toml", "*/*.py", "*/*.csv"],
    },
)
