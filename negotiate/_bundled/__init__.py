"""The scenario files and paper folders that ship with negotiate.

The repository keeps them in its top-level ``models/`` and ``papers/`` folders.  A built wheel
carries the same folders inside the package, as ``negotiate/_bundled/models`` and
``negotiate/_bundled/papers`` (a ``package-dir`` mapping in ``setup.py``), read here with
:mod:`importlib.resources`.  Which copy is read:

* in a source checkout (``negotiate/`` beside the ``pyproject.toml`` of ``negotiate-solver``,
  as in an editable install or when Python runs from the checkout), the checkout's own
  folders, so edits to them take effect at once;
* otherwise the copy inside the installed package.

:func:`resolve_scenario` turns a command-line scenario argument into a file: an existing path,
or the bare name of a bundled model (``us_iran_2025`` for ``models/us_iran_2025.toml``).
"""

from __future__ import annotations

import functools
import tomllib
from importlib.resources import files
from pathlib import Path
from typing import Literal

from negotiate.errors import ModelError

__all__ = ["bundled_dir", "bundled_models", "resolve_scenario"]

Kind = Literal["models", "papers"]
_DISTRIBUTION = "negotiate-solver"


@functools.lru_cache(maxsize=1)
def _checkout() -> Path | None:
    """The source checkout this package was imported from, or None when installed."""
    root = Path(__file__).resolve().parents[2]
    try:
        meta = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return root if meta.get("project", {}).get("name") == _DISTRIBUTION else None


def bundled_dir(kind: Kind) -> Path:
    """The folder of the bundled ``kind`` (``"models"`` or ``"papers"``): the checkout's own
    folder in a source checkout, else the package's copy (which may be absent in a broken
    install; callers say so when they read it)."""
    if kind not in ("models", "papers"):
        raise ModelError("kind", kind, "expected 'models' or 'papers'")
    root = _checkout()
    if root is not None and (root / kind).is_dir():
        return root / kind
    resource = files(__name__).joinpath(kind)
    if not isinstance(resource, Path):  # a zipped install: resources are not plain files
        raise ModelError(kind, str(resource), "the bundled files need an unzipped install")
    return resource


def bundled_models() -> dict[str, Path]:
    """Every bundled scenario file by name (``us_iran_2025`` -> ``.../us_iran_2025.toml``)."""
    folder = bundled_dir("models")
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.toml"))}


def resolve_scenario(argument: str | Path, field: str = "FILE") -> Path:
    """The scenario file meant by a command-line ``argument``: the path itself when it
    exists, else the bundled model of that name (``us_iran_2025``, without a folder or
    ``.toml``).  Anything else raises :class:`ModelError` listing the bundled names."""
    path = Path(argument)
    if path.exists():
        return path
    models = bundled_models()
    text = str(argument)
    if path.name == text and path.suffix == "" and text in models:
        return models[text]
    names = ", ".join(models) or "none found"
    raise ModelError(
        field, text, f"no such file, and no bundled model of that name; bundled: {names}"
    )
