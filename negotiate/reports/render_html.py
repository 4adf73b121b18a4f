"""Render :class:`Findings` as one self-contained HTML page (Jinja2, autoescaped).

Figures are inline SVG, the stylesheet is inline, and a Content-Security-Policy forbids
every fetch, so the page works offline and never touches the network.  Every field of a
sentence is escaped by markupsafe before it is placed; only our own templates, stylesheet
and matplotlib's SVG output are trusted markup.  A print stylesheet hides the navigation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from negotiate.reports.findings import (
    Code,
    Figure,
    Finding,
    Findings,
    Note,
    Num,
    Paragraph,
    Quote,
    Seq,
    TableBlock,
    scrub,
)

__all__ = ["render_html"]


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("negotiate.reports", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _css() -> Markup:
    text = resources.files("negotiate.reports").joinpath("templates/report.css").read_text()
    return Markup(text)


def field_html(value: Any) -> Markup:
    if isinstance(value, Num):
        return Markup('<span class="num">{}</span>').format(value.text())
    if isinstance(value, Code):
        return Markup("<code>{}</code>").format(value.text)
    if isinstance(value, tuple | list):
        return Markup(", ").join(field_html(v) for v in value)
    if isinstance(value, Seq):
        return Markup("").join(field_html(v) for v in value.parts)
    return escape(scrub(str(value)))


def sentence_html(f: Finding) -> Markup:
    return Markup(escape(f.template)).format(**{k: field_html(v) for k, v in f.fields.items()})


_SVG_START = re.compile(r"<svg[\s>]")


def inline_svg(svg: str) -> Markup:
    """matplotlib's SVG without the XML prolog and doctype, ready to inline."""
    m = _SVG_START.search(svg)
    if m is None:
        raise ValueError("not an SVG document")
    return Markup(svg[m.start() :])


def _view(findings: Findings, figures: Mapping[str, str]) -> list[dict[str, Any]]:
    sections = []
    for s in findings.sections:
        blocks: list[dict[str, Any]] = []
        for b in s.blocks:
            if isinstance(b, Paragraph):
                sentences = [
                    {"html": sentence_html(findings[i]), "anchor": findings[i].anchor, "id": i}
                    for i in b.findings
                ]
                blocks.append({"kind": "paragraph", "style": b.style, "sentences": sentences})
            elif isinstance(b, TableBlock):
                rows = [
                    {
                        "cells": [field_html(findings[i].fields.get(c, "")) for c in b.columns],
                        "anchor": findings[i].anchor,
                        "id": i,
                    }
                    for i in b.findings
                ]
                blocks.append(
                    {
                        "kind": "table",
                        "caption": b.caption,
                        "headers": b.headers,
                        "rows": rows,
                        "collapsed": b.collapsed,
                    }
                )
            elif isinstance(b, Figure):
                if b.name in figures:
                    refs = [{"anchor": findings[i].anchor, "id": i} for i in b.findings[:1]]
                    blocks.append(
                        {
                            "kind": "figure",
                            "name": b.name,
                            "caption": b.caption,
                            "svg": inline_svg(figures[b.name]),
                            "refs": refs,
                        }
                    )
            elif isinstance(b, Note):
                blocks.append({"kind": "note", "text": b.text.format(*b.codes)})
            elif isinstance(b, Quote):
                blocks.append({"kind": "quote", "lines": b.lines})
        sections.append({"key": s.key, "title": s.title, "blocks": blocks})
    return sections


def render_html(
    findings: Findings, figures: Mapping[str, str] | None = None, *, fragment: bool = False
) -> str:
    """The report as an HTML page (or, with ``fragment=True``, a ``<div>`` for notebooks).

    ``figures`` maps figure names to SVG documents.
    """
    meta = findings.meta
    certificates = [
        {
            "id": f.id,
            "anchor": f.anchor,
            "html": sentence_html(f),
            "ok": f.certificate.ok,
            "checks": "; ".join(f.certificate.checks),
        }
        for f in findings
    ]
    description = [line for line in str(meta.get("description", "")).strip().splitlines()]
    return (
        _environment()
        .get_template("report.html")
        .render(
            fragment=fragment,
            css=_css(),
            title=findings.title,
            scenario=meta.get("scenario", ""),
            variant=meta.get("variant"),
            date=meta.get("date", ""),
            outcome=meta.get("outcome", ""),
            certified=findings.ok,
            description=description,
            sections=_view(findings, figures or {}),
            certificates=certificates,
        )
    )
