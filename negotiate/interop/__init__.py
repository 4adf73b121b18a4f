"""Interoperability: Gambit file formats and conversion to and from other libraries."""

from negotiate.interop.gambit_efg import read_efg, write_efg
from negotiate.interop.gambit_nfg import format_nfg, parse_nfg, read_nfg, write_nfg
from negotiate.interop.nashpy_convert import from_nashpy, to_nashpy

__all__ = [
    "format_nfg",
    "from_nashpy",
    "parse_nfg",
    "read_efg",
    "read_nfg",
    "to_nashpy",
    "write_efg",
    "write_nfg",
]
