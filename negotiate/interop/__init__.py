"""Interoperability: Gambit file formats and conversion to and from other libraries."""
