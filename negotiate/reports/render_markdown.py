"""Render :class:`Findings` as Markdown, with figures as files beside it.

The file begins with the section ``Summary``.  Each sentence is one line (Markdown joins them
into a paragraph) ending in one link to its finding, and each table row ends in one, so every
number on a line can be traced to the finding it came from.  Text from the scenario file is
escaped: HTML becomes entities and Markdown syntax is backslashed, so a title cannot inject
markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

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

__all__ = ["md_code", "md_text", "render_markdown"]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#!{}])")
LINK = "↗"


def md_text(text: str) -> str:
    """Escape user text for Markdown: HTML to entities, Markdown syntax backslashed."""
    out = html.escape(str(text), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", out).replace("\r", " ").replace("\n", " ")


def md_code(text: str) -> str:
    """A code span (safe for tables: pipes escaped)."""
    body = str(text).replace("\n", " ").replace("|", "\\|")
    if "`" in body:
        return f"`` {body} ``"
    return f"`{body}`"


def field_md(value: Any) -> str:
    if isinstance(value, Num):
        return value.text()
    if isinstance(value, Code):
        return md_code(value.text)
    if isinstance(value, tuple | list):
        return ", ".join(field_md(v) for v in value)
    if isinstance(value, Seq):
        return "".join(field_md(v) for v in value.parts)
    return md_text(scrub(str(value)))


def sentence_md(f: Finding) -> str:
    return f"{f.render(field_md)} [{LINK}](#{f.anchor})"


def render_markdown(
    findings: Findings, figures: Mapping[str, str] | None = None, *, figure_dir: str = "figures"
) -> str:
    """The report as Markdown; ``figures`` maps figure names to files written beside it."""
    figures = figures or {}
    meta = findings.meta
    sections = list(findings.sections)
    first = sections.pop(0) if sections and sections[0].key == "summary" else None
    head = (
        f"> **{md_text(findings.title)}** · scenario file {md_code(str(meta.get('scenario', '')))}"
    )
    if meta.get("variant"):
        head += f", variant {md_code(str(meta['variant']))}"
    lines: list[str] = []
    if first is not None:
        lines += [f"## {first.title}", "", head, ""]
        for block in first.blocks:
            lines += _block(findings, block, figures, figure_dir)
            lines.append("")
    else:
        lines += [head, ""]
    lines.append("Contents: " + ", ".join(f"[{s.title}](#{s.key})" for s in sections))
    lines.append("")
    for k, section in enumerate(sections):
        lines += [f'<a id="{section.key}"></a>', "", f"## {section.title}", ""]
        if k == 0 and meta.get("description"):
            text = str(meta["description"]).strip().splitlines()
            lines += [f"> {md_text(line)}" for line in text]
            lines.append("")
        for block in section.blocks:
            lines += _block(findings, block, figures, figure_dir)
            lines.append("")
        if section.key == "appendix":
            lines += _certificates(findings)
    return "\n".join(lines).rstrip() + "\n"


def _block(
    findings: Findings, block: Any, figures: Mapping[str, str], figure_dir: str
) -> list[str]:
    if isinstance(block, Paragraph):
        bullet = "- " if block.style == "list" else ""
        return [bullet + sentence_md(findings[fid]) for fid in block.findings]
    if isinstance(block, Note):  # "{}" in the text stands for each of its codes, in order
        pieces = block.text.split("{}")
        codes = [f"`{c}`" for c in block.codes] + [""] * (len(pieces) - 1 - len(block.codes))
        text = md_text(pieces[0]) + "".join(
            code + md_text(piece) for code, piece in zip(codes, pieces[1:], strict=True)
        )
        return [text]
    if isinstance(block, Quote):
        return [f"> {md_text(line)}  " for line in block.lines]
    if isinstance(block, TableBlock):
        out = [f"**{md_text(block.caption)}**", ""]
        out.append("| " + " | ".join(md_text(h) for h in block.headers) + " | |")
        out.append("|" + "---|" * (len(block.headers) + 1))
        for fid in block.findings:
            f = findings[fid]
            cells = [field_md(f.fields.get(c, "")) for c in block.columns]
            out.append("| " + " | ".join(cells) + f" | [{LINK}](#{f.anchor}) |")
        return out
    if isinstance(block, Figure):
        if block.name not in figures:
            return []
        refs = " ".join(f"[{LINK}](#{findings[fid].anchor})" for fid in block.findings[:1])
        return [
            f"![{md_text(block.caption)}]({figure_dir}/{figures[block.name]})",
            "",
            f"*{md_text(block.caption)}* {refs}",
        ]
    raise TypeError(f"unknown block {block!r}")


def _certificates(findings: Findings) -> list[str]:
    out = [
        "**Findings and their certificates**",
        "",
        "| finding | statement | certified | checks |",
        "|---|---|---|---|",
    ]
    for f in findings:
        checks = "; ".join(f.certificate.checks)
        ok = "yes" if f.certificate.ok else "**NO**"
        out.append(
            f'| <a id="{f.anchor}"></a>{md_code(f.id)} | {f.render(field_md)} | {ok} | '
            f"{md_text(checks)} |"
        )
    return out
