"""Result conventions shared by every solver: certificates and summaries.

* Every result is a frozen record of how it was made (input, method, options, status,
  solutions, notes) and has ``verify() -> Certificate`` and ``summary() -> Summary``.
* A :class:`Certificate` holds the checked quantities (exact ``Fraction`` where the input was
  exact, else floats with the bound they were checked against) and ``ok``.
* A :class:`Summary` is one object with several renderers (``to_text``, ``to_markdown``,
  ``to_html``, ``_repr_html_``, ``to_dict``), in the manner of statsmodels' ``Summary``.
* :class:`ResultMixin` gives every public result the same contract: ``summary()``,
  ``verify()``, ``to_dict()`` (JSON-ready, exact numbers as ``"p/q"``), ``_repr_html_()`` for
  notebooks (the summary's escaped HTML) and a ``repr`` of at most :data:`REPR_LIMIT`
  characters that says what the result is (``<EquilibriumSet: 3 extreme equilibria ...>``).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from negotiate._exact import format_fraction, fraction_to_json

__all__ = [
    "REPR_LIMIT",
    "Certificate",
    "ResultMixin",
    "Summary",
    "Table",
    "format_cell",
    "to_jsonable",
]

#: The longest ``repr`` a result may have.
REPR_LIMIT = 300


def to_jsonable(value: Any) -> Any:
    """Convert results to JSON-ready data: Fractions become ``"p/q"`` strings or ints."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, Fraction):
        return fraction_to_json(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float | np.floating):
        return float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.ndarray):
        return [to_jsonable(v) for v in value.tolist()]
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, Sequence | set | frozenset):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if is_dataclass(value) and not isinstance(value, type):  # a plain record: its fields
        return {
            f.name: to_jsonable(getattr(value, f.name))
            for f in fields(value)
            if not f.name.startswith("_")
        }
    return str(value)  # sympy expressions and other symbolic objects


def format_cell(value: Any) -> str:
    """Text of a summary value: exact numbers in full (or, past 4300 digits, a scientific
    approximation with their digit counts), floats to 6 significant digits."""
    return _fmt(value)


def _fmt(value: Any) -> str:
    if isinstance(value, Fraction):
        return format_fraction(value)
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, tuple | list):
        return "(" + ", ".join(_fmt(v) for v in value) + ")"
    return str(value)


@dataclass(frozen=True)
class Certificate:
    """The outcome of ``verify()``: checked quantities and whether every check passed.

    ``quantities`` maps a name (``"max_regret"``, ``"pareto_gap"``...) to its value, exact
    where the input was exact.  ``exact`` says whether the checks were done in exact
    arithmetic; when it is False, ``tolerance`` is the bound the quantities were held to.
    """

    ok: bool
    quantities: Mapping[str, Any] = field(default_factory=dict)
    exact: bool = True
    tolerance: float = 0.0
    checks: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def __getattr__(self, name: str) -> Any:
        # certificate.max_regret reads quantities["max_regret"]
        quantities = object.__getattribute__(self, "quantities")
        if name in quantities:
            return quantities[name]
        raise AttributeError(name)

    def __bool__(self) -> bool:
        return self.ok

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "exact": self.exact,
            "tolerance": self.tolerance,
            "quantities": to_jsonable(dict(self.quantities)),
            "checks": list(self.checks),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Table:
    """A small table inside a :class:`Summary`."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class Summary:
    """A renderable summary: a title, labelled fields, tables and notes."""

    title: str
    fields: tuple[tuple[str, Any], ...] = ()
    tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = ()

    def to_text(self) -> str:
        lines = [self.title, "=" * len(self.title)]
        width = max((len(k) for k, _ in self.fields), default=0)
        lines += [f"{k.ljust(width)}  {_fmt(v)}" for k, v in self.fields]
        for table in self.tables:
            cells = [list(table.headers)] + [[_fmt(c) for c in row] for row in table.rows]
            widths = [max(len(r[i]) for r in cells) for i in range(len(table.headers))]
            lines += ["", table.caption]
            lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
        if self.notes:
            lines += ["", *(f"note: {n}" for n in self.notes)]
        return "\n".join(lines)

    def to_markdown(self) -> str:
        esc = _md_escape
        lines = [f"### {esc(self.title)}", ""]
        if self.fields:
            lines += ["| | |", "|---|---|"]
            lines += [f"| {esc(k)} | {esc(_fmt(v))} |" for k, v in self.fields]
        for table in self.tables:
            lines += ["", f"**{esc(table.caption)}**", ""]
            lines.append("| " + " | ".join(esc(h) for h in table.headers) + " |")
            lines.append("|" + "---|" * len(table.headers))
            lines += ["| " + " | ".join(esc(_fmt(c)) for c in row) + " |" for row in table.rows]
        if self.notes:
            lines += ["", *(f"- {esc(n)}" for n in self.notes)]
        return "\n".join(lines)

    def to_html(self) -> str:
        e = html.escape
        parts = [f"<div class='negotiate-summary'><h3>{e(self.title)}</h3>"]
        if self.fields:
            parts.append("<table>")
            parts += [f"<tr><th>{e(k)}</th><td>{e(_fmt(v))}</td></tr>" for k, v in self.fields]
            parts.append("</table>")
        for table in self.tables:
            parts.append(f"<table><caption>{e(table.caption)}</caption><tr>")
            parts += [f"<th>{e(h)}</th>" for h in table.headers]
            parts.append("</tr>")
            for row in table.rows:
                parts.append("<tr>" + "".join(f"<td>{e(_fmt(c))}</td>" for c in row) + "</tr>")
            parts.append("</table>")
        if self.notes:
            parts.append("<ul>" + "".join(f"<li>{e(n)}</li>" for n in self.notes) + "</ul>")
        parts.append("</div>")
        return "".join(parts)

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        return self.to_text()

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "fields": {k: to_jsonable(v) for k, v in self.fields},
            "tables": [
                {
                    "caption": t.caption,
                    "headers": list(t.headers),
                    "rows": [[to_jsonable(c) for c in r] for r in t.rows],
                }
                for t in self.tables
            ],
            "notes": list(self.notes),
        }


def _md_escape(text: str) -> str:
    """Escape Markdown table syntax and raw HTML in user-supplied text."""
    return html.escape(str(text)).replace("|", "\\|").replace("\n", " ")


class ResultMixin:
    """The result contract: ``summary``, ``verify``, ``to_dict``, ``_repr_html_``, short repr.

    A result class defines ``summary()`` and ``verify()``, and may define ``_describe()`` (one
    line saying what the result is; the summary's title by default) and ``to_dict()`` (by
    default its public dataclass fields made JSON-ready).  Result dataclasses are declared
    with ``repr=False`` so that the short ``repr`` below is used.
    """

    __slots__ = ()

    def summary(self) -> Summary:
        """The result as a renderable :class:`Summary`."""
        raise NotImplementedError(f"{type(self).__name__} defines no summary")

    def verify(self) -> Certificate:
        """Re-check the result; a :class:`Certificate` with ``ok``."""
        raise NotImplementedError(f"{type(self).__name__} defines no verify")

    def _describe(self) -> str:
        """The summary's title and its first few fields, e.g. ``threshold=2/5``."""
        summary = self.summary()
        shown = [f"{k}={_clip(_fmt(v))}" for k, v in summary.fields[:4]]
        return summary.title + (": " + ", ".join(shown) if shown else "")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: the public fields, exact numbers as ``"p/q"`` strings."""
        if not is_dataclass(self):
            raise NotImplementedError(f"{type(self).__name__} defines no to_dict")
        out: dict[str, Any] = {"type": type(self).__name__}
        for f in fields(self):
            if not f.name.startswith("_"):
                out[f.name] = _field_jsonable(getattr(self, f.name))
        return out

    def _repr_html_(self) -> str:
        return self.summary().to_html()

    def __repr__(self) -> str:
        return short_repr(type(self).__name__, self._describe())


def short_repr(name: str, description: str) -> str:
    """``<name: description>``, cut to at most :data:`REPR_LIMIT` characters."""
    text = " ".join(f"<{name}: {description}>".split())
    if len(text) > REPR_LIMIT:
        text = text[: REPR_LIMIT - 4] + "...>"
    return text


def _clip(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _field_jsonable(value: Any) -> Any:
    """A field for ``to_dict``: a model becomes its name and parameters."""
    params = getattr(value, "parameters", None)
    if callable(params) and not hasattr(value, "to_dict"):
        return {"model": type(value).__name__, "parameters": to_jsonable(params())}
    return to_jsonable(value)
