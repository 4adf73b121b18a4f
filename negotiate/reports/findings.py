"""The findings of a report: every computed fact once, with its certificate.

A :class:`Finding` has an ``id`` (its anchor in the rendered report is ``f-<id>``), a
``value``, a sentence ``template`` whose fields are :class:`Num` (a number with its printed
form fixed once), :class:`Code` (an identifier or expression from the model) or plain text,
and the :class:`~negotiate.results.Certificate` that checks it.  A report's text, tables and
figures are all rendered from one :class:`Findings` object, so they cannot disagree: a number
reaches the page only as a ``Num`` field of the finding the sentence links to.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from negotiate.errors import ModelError
from negotiate.results import Certificate, to_jsonable

__all__ = [
    "NUMBER",
    "Code",
    "Figure",
    "Finding",
    "Findings",
    "Note",
    "Num",
    "Paragraph",
    "Quote",
    "Section",
    "Seq",
    "TableBlock",
    "exact_text",
    "scrub",
]

#: A number as it appears in rendered text (unsigned; decimals, ratios and dotted versions).
NUMBER = re.compile(r"(?<![A-Za-z_\d.])\d+(?:\.\d+)*(?:/\d+)?")


def exact_text(x: Fraction) -> str:
    """The exact form of an input number: its decimal expansion when it terminates within
    12 digits (``0.25``, ``-0.2``, ``1``), else ``p/q``."""
    if x.denominator == 1:
        return str(x.numerator)
    for digits in range(1, 13):
        scaled = x * 10**digits
        if scaled.denominator == 1:
            sign = "-" if x < 0 else ""
            n = abs(scaled.numerator)
            whole, frac = divmod(n, 10**digits)
            return f"{sign}{whole}.{str(frac).zfill(digits)}"
    return f"{x.numerator}/{x.denominator}"


@dataclass(frozen=True)
class Num:
    """A number with its printed form: ``decimals`` fixed decimals (integers print bare),
    or ``decimals=None`` for the exact input form (:func:`exact_text`)."""

    value: Fraction
    decimals: int | None = 3
    signed: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.value, Fraction):
            raise ModelError("Num.value", self.value, "findings hold exact numbers (Fraction)")

    def text(self) -> str:
        x = self.value
        if self.decimals is None:
            out = exact_text(x)
        elif x.denominator == 1:
            out = str(x.numerator)
        else:
            out = f"{float(x):.{self.decimals}f}"
            if float(out) == 0:
                out = out.lstrip("-")
        if self.signed and not out.startswith("-"):
            out = "+" + out
        return out

    def __str__(self) -> str:
        return self.text()


@dataclass(frozen=True)
class Code:
    """An identifier or expression quoted from the model (rendered as code)."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Seq:
    """Fields rendered one after another (text, :class:`Num` and :class:`Code` mixed)."""

    parts: tuple[Any, ...]

    def __str__(self) -> str:
        return "".join(plain(p) for p in self.parts)


@dataclass(frozen=True)
class Finding:
    """One computed fact: ``id``, ``value``, a sentence ``template`` over ``fields``, and the
    certificate that checks it.  ``source`` names where the value was read."""

    id: str
    value: Any
    template: str
    fields: Mapping[str, Any]
    certificate: Certificate
    source: str = ""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_.:-]*", self.id):
            raise ModelError("Finding.id", self.id, "ids are dotted identifiers")
        try:
            self.template.format(**{k: "" for k in self.fields})
        except (KeyError, IndexError) as exc:
            raise ModelError(f"findings[{self.id}].template", self.template, str(exc)) from None

    @property
    def anchor(self) -> str:
        return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.id)

    def render(self, field_renderer: Any, template: str | None = None) -> str:
        """The sentence with each field rendered by ``field_renderer(value)``."""
        return (template or self.template).format(
            **{k: field_renderer(v) for k, v in self.fields.items()}
        )

    def text(self) -> str:
        """The sentence as plain text."""
        return self.render(plain)

    def numbers(self) -> frozenset[str]:
        """Every number (as printed, unsigned) that this finding puts on the page."""
        return frozenset(NUMBER.findall(" ".join(plain(v) for v in self.fields.values())))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "value": to_jsonable(_plain_value(self.value)),
            "text": self.text(),
            "source": self.source,
            "certificate": self.certificate.to_dict(),
        }


#: A citation of a Markdown document by a bare upper-case file name (a file name in capitals):
#: such documents are not shipped with the package, so a reader cannot follow them.
_PRIVATE_CITATION = re.compile(r"[,;]?\s*\(?\b[A-Z][A-Z_]*\.md\b(?:\s+section)?\s*[\w.\-]*\)?")


def scrub(text: str) -> str:
    """Scenario text without citations of documents that are not shipped to readers (the
    model citations a reader can follow are the literature and the docs/ pages)."""
    if _PRIVATE_CITATION.search(text) is None:
        return text
    out = _PRIVATE_CITATION.sub("", text)
    return re.sub(r"\s+([,;:.)])", r"\1", out).replace("()", "").strip()


def plain(value: Any) -> str:
    """Plain-text rendering of a field."""
    if isinstance(value, tuple | list):
        return ", ".join(plain(v) for v in value)
    return str(value)


def _plain_value(value: Any) -> Any:
    if isinstance(value, Num):
        return value.value
    if isinstance(value, Code | Seq):
        return str(value)
    if isinstance(value, Mapping):
        return {k: _plain_value(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain_value(v) for v in value]
    return value


# ---------------------------------------------------------------------- layout
@dataclass(frozen=True)
class Paragraph:
    """Sentences, one per finding, each linked to its finding; ``style`` is ``"list"`` (one
    bullet per sentence) or ``"prose"``."""

    findings: tuple[str, ...]
    style: str = "list"
    kind: str = "paragraph"


@dataclass(frozen=True)
class TableBlock:
    """A table: one row per finding; ``columns`` name the fields shown under ``headers``."""

    caption: str
    headers: tuple[str, ...]
    columns: tuple[str, ...]
    findings: tuple[str, ...]
    collapsed: bool = False
    kind: str = "table"


@dataclass(frozen=True)
class Figure:
    """A figure drawn from the values of ``findings``."""

    name: str
    caption: str
    findings: tuple[str, ...]
    kind: str = "figure"


@dataclass(frozen=True)
class Note:
    """A sentence of the report's own words (no numbers), with quoted model names."""

    text: str
    codes: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    kind: str = "note"

    def __post_init__(self) -> None:
        if NUMBER.search(self.text):
            raise ModelError("Note.text", self.text, "numbers belong in findings, not notes")


@dataclass(frozen=True)
class Quote:
    """Text quoted verbatim from the scenario file (escaped when rendered)."""

    lines: tuple[str, ...]
    findings: tuple[str, ...] = ()
    kind: str = "quote"


Block = Paragraph | TableBlock | Figure | Note | Quote


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, eq=False)
class Findings:
    """Every finding of a report, and the sections that lay them out."""

    title: str
    items: Mapping[str, Finding]
    sections: tuple[Section, ...]
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for section in self.sections:
            for block in section.blocks:
                for fid in block.findings:
                    if fid not in self.items:
                        raise ModelError(f"sections.{section.key}", fid, "unknown finding id")

    def __getitem__(self, fid: str) -> Finding:
        return self.items[fid]

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.items.values())

    def __len__(self) -> int:
        return len(self.items)

    @property
    def ok(self) -> bool:
        return all(f.certificate.ok for f in self)

    def verify(self) -> Certificate:
        """All certificates together: ok when every finding's certificate is."""
        failed = [f.id for f in self if not f.certificate.ok]
        return Certificate(
            ok=not failed,
            quantities={"findings": len(self), "failed": len(failed)},
            exact=all(f.certificate.exact for f in self),
            tolerance=max((f.certificate.tolerance for f in self), default=0.0),
            checks=tuple(sorted({c for f in self for c in f.certificate.checks})),
            notes=tuple(f"certificate failed: {fid}" for fid in failed),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "meta": to_jsonable(dict(self.meta)),
            "findings": {fid: f.to_dict() for fid, f in self.items.items()},
            "sections": [
                {
                    "key": s.key,
                    "title": s.title,
                    "blocks": [
                        {"kind": b.kind, "findings": list(b.findings)} | _block_extra(b)
                        for b in s.blocks
                    ],
                }
                for s in self.sections
            ],
        }


def _block_extra(b: Block) -> dict[str, Any]:
    if isinstance(b, TableBlock | Figure):
        return {"caption": b.caption}
    if isinstance(b, Note):
        return {"text": b.text.format(*b.codes)}
    if isinstance(b, Quote):
        return {"lines": list(b.lines)}
    return {}
