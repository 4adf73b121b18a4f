"""Read a scenario file (TOML) into a validated :class:`Scenario`.

Everything is validated before anything is built, and every error names the file, the field
path and the value (``us_iran_2025.toml: parameters.guarantee.value = 2: lies outside ...``).
Expressions are parsed by :mod:`negotiate.expr` alone; nothing in a file is evaluated as code.
The format is described in ``docs/scenario-format.md``.
"""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

from negotiate.errors import ModelError
from negotiate.scenario.spec import Scenario, build_scenario

__all__ = ["MAX_FILE_BYTES", "load_scenario", "loads_scenario"]

#: Scenario files larger than this are refused before parsing.
MAX_FILE_BYTES = 1_000_000


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate the scenario file at ``path``."""
    p = Path(path)
    name = p.name
    if p.suffix.lower() in {".yaml", ".yml"}:
        raise ModelError(name, None, "YAML is not accepted; scenario files are TOML")
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ModelError(name, str(p), f"cannot read the file ({exc.strerror})") from None
    if size > MAX_FILE_BYTES:
        raise ModelError(name, size, f"file larger than {MAX_FILE_BYTES} bytes")
    try:
        text = p.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModelError(name, None, f"is not UTF-8 text ({exc.reason})") from None
    return loads_scenario(text, source_name=name)


def loads_scenario(text: str, *, source_name: str = "<string>") -> Scenario:
    """Parse scenario text (TOML) and validate it; ``source_name`` prefixes error fields."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise ModelError(source_name, None, f"larger than {MAX_FILE_BYTES} bytes")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ModelError(source_name, None, f"invalid TOML: {exc}") from None
    try:
        return dataclasses.replace(build_scenario(data, source_name), source_text=text)
    except ModelError as exc:
        if exc.field.startswith(f"{source_name}:"):
            raise
        raise ModelError(f"{source_name}: {exc.field}", exc.value, exc.reason) from None
