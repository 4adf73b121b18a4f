"""Writing a report's files safely into a directory that may already hold other things.

* Only the report's own files are written: ``report.html``, ``report.md``,
  ``figures/<name>.svg``, and the record ``.negotiate-report.json`` listing them.  A file of
  one of those names that the record does not list (a file the user put there) is never
  overwritten: the write is refused, naming it.  Figures of an earlier report that the new one
  no longer has are removed, since the record says they were the report's own.
* Links are never followed: a symbolic link at any of those names, at ``figures/`` or at the
  directory itself is refused, so a report cannot be made to write outside its directory.
* Each file is written to a temporary name in its directory (created exclusively, without
  following links) and renamed into place with ``os.replace``, which is atomic on POSIX: a
  reader sees the old file or the new one, never a partial one.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Mapping
from pathlib import Path

from negotiate.errors import ModelError

__all__ = ["RECORD", "write_report_files"]

#: The record of the files a report wrote into its directory.
RECORD = ".negotiate-report.json"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _lstat_mode(path: Path) -> int | None:
    try:
        return os.lstat(path).st_mode
    except FileNotFoundError:
        return None


def _refuse_link(path: Path, field: str) -> None:
    mode = _lstat_mode(path)
    if mode is not None and stat.S_ISLNK(mode):
        raise ModelError(field, str(path), "is a symbolic link; a report never follows links")


def _atomic_write(path: Path, data: bytes, field: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644)
    except FileExistsError:
        raise ModelError(field, str(tmp), "a temporary file of that name exists") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        _refuse_link(path, field)  # checked again just before the rename
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _previous(out: Path) -> set[str]:
    record = out / RECORD
    _refuse_link(record, "out_dir")
    if _lstat_mode(record) is None:
        return set()
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        files = data["files"]
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise TypeError
    except (OSError, ValueError, KeyError, TypeError):
        raise ModelError("out_dir", str(record), "is not a report record; remove it") from None
    return set(files)


def write_report_files(out_dir: str | Path, files: Mapping[str, str]) -> dict[str, Path]:
    """Write ``files`` (relative name -> text; names ``report.*`` or ``figures/*.svg``) into
    ``out_dir`` as described in the module docstring; returns name -> path."""
    out = Path(out_dir)
    _refuse_link(out, "out_dir")
    mode = _lstat_mode(out)
    if mode is not None and not stat.S_ISDIR(mode):
        raise ModelError("out_dir", str(out), "exists and is not a directory")
    for name in files:
        parts = name.split("/")
        if (
            any(p in ("", ".", "..") for p in parts)
            or len(parts) > 2
            or (len(parts) == 2 and parts[0] != "figures")
        ):
            raise ModelError("out_dir", name, "is not a report file name")
    out.mkdir(parents=True, exist_ok=True)
    figdir = out / "figures"
    _refuse_link(figdir, "out_dir")
    own = _previous(out)
    for name in files:
        path = out / name
        _refuse_link(path, "out_dir")
        if _lstat_mode(path) is not None and name not in own:
            raise ModelError(
                "out_dir",
                str(path),
                "exists and was not written by a report; move it or choose another directory",
            )
    if any("/" in name for name in files):
        figdir.mkdir(exist_ok=True)
    written: dict[str, Path] = {}
    record = sorted(set(files) | own)
    # the record first lists old and new files, so a crash midway never orphans a file
    _atomic_write(out / RECORD, json.dumps({"files": record}).encode(), "out_dir")
    for name, text in files.items():
        path = out / name
        _atomic_write(path, text.encode("utf-8"), "out_dir")
        written[name] = path
    for name in sorted(own - set(files)):
        stale = out / name
        if name.startswith("figures/") and name.endswith(".svg"):
            _refuse_link(stale, "out_dir")
            stale.unlink(missing_ok=True)
    _atomic_write(out / RECORD, json.dumps({"files": sorted(files)}).encode(), "out_dir")
    return written
