"""Read a scenario file (TOML) into a validated :class:`Scenario`.

Everything is validated before anything is built, and every error names the file, the field
path and the value (``us_iran_2025.toml: parameters.guarantee.value = 2: lies outside ...``).
Expressions are parsed by :mod:`negotiate.expr` alone; nothing in a file is evaluated as code.
The format is described in ``docs/scenario-format.md``.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from negotiate._bundled import resolve_scenario
from negotiate.errors import ModelError
from negotiate.scenario.spec import Scenario, build_scenario

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "load_scenario", "loads_scenario"]

#: Scenario files larger than this are refused before parsing.
MAX_FILE_BYTES = 1_000_000
#: Arrays and tables may nest at most this deep (the deepest real field is about 8 levels).
MAX_DEPTH = 64


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate the scenario file at ``path``, or the bundled model of that name
    (``"us_iran_2025"``: a bare name without folder or suffix, when no such file exists)."""
    p = Path(path)
    if not p.exists() and p.name == str(path) and p.suffix == "":
        p = resolve_scenario(p, "path")
    name = p.name
    if p.suffix.lower() in {".yaml", ".yml"}:
        raise ModelError(name, None, "YAML is not accepted; scenario files are TOML")
    raw = _read_bounded(p, name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModelError(name, None, f"is not UTF-8 text ({exc.reason})") from None
    return loads_scenario(text, source_name=name)


def _read_bounded(p: Path, name: str) -> bytes:
    """Read at most ``MAX_FILE_BYTES + 1`` bytes of a regular file.

    Devices (``/dev/zero``), FIFOs and sockets report a size of 0, so the size is never
    trusted: the file must be regular (checked before opening, so a FIFO cannot block), and
    the read itself is bounded.
    """
    try:
        st = p.stat()
    except OSError as exc:
        raise ModelError(name, str(p), f"cannot read the file ({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise ModelError(name, str(p), "is not a regular file (a device, FIFO or directory)")
    if st.st_size > MAX_FILE_BYTES:
        raise ModelError(name, st.st_size, f"file larger than {MAX_FILE_BYTES} bytes")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(p, flags)
    except OSError as exc:
        raise ModelError(name, str(p), f"cannot read the file ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # replaced since the check
            raise ModelError(name, str(p), "is not a regular file (a device, FIFO or directory)")
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ModelError(name, None, f"file larger than {MAX_FILE_BYTES} bytes")
    return data


def _check_depth(data: Any, source_name: str) -> None:
    """Refuse arrays/tables nested deeper than ``MAX_DEPTH`` (iteratively, no recursion)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ModelError(
                source_name, None, f"arrays or tables nested deeper than {MAX_DEPTH} levels"
            )
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)


def loads_scenario(text: str, *, source_name: str = "<string>") -> Scenario:
    """Parse scenario text (TOML) and validate it; ``source_name`` prefixes error fields."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise ModelError(source_name, None, f"larger than {MAX_FILE_BYTES} bytes")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ModelError(source_name, None, f"invalid TOML: {exc}") from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise ModelError(
            source_name, None, f"arrays or tables nested deeper than {MAX_DEPTH} levels"
        ) from None
    _check_depth(data, source_name)
    try:
        return dataclasses.replace(build_scenario(data, source_name), source_text=text)
    except ModelError as exc:
        if exc.field.startswith(f"{source_name}:"):
            raise
        raise ModelError(f"{source_name}: {exc.field}", exc.value, exc.reason) from None
