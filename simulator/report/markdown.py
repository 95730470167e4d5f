"""``report.md``: the brief's blocks as GitHub-flavoured Markdown (pure text)."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from simulator.report.blocks import Block, Bullets, Heading, Paragraph, Table
from simulator.report.brief import Brief, brief_blocks


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(blocks: Sequence[Block]) -> str:
    """Render blocks as Markdown (GitHub-flavoured tables; charts as relative image links)."""
    out: list[str] = []
    n_fig = 0
    for b in blocks:
        if isinstance(b, Heading):
            out.append("#" * b.level + " " + b.text)
        elif isinstance(b, Paragraph):
            if b.style == "lead":
                out.append(f"**{b.text}**")
            elif b.style == "note":
                out.append(f"_{b.text}_")
            else:
                out.append(b.text)
        elif isinstance(b, Bullets):
            out.append("\n".join(f"- {item}" for item in b.items))
        elif isinstance(b, Table):
            sep = ["---:" if a == "r" else ":---" for a in b.align]
            lines = [
                "| " + " | ".join(_md_cell(h) for h in b.header) + " |",
                "| " + " | ".join(sep) + " |",
            ]
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in b.rows]
            out.append("\n".join(lines))
        elif b.printed:
            n_fig += 1
            out.append(
                f"![Figure {n_fig}: {b.caption}]({quote(b.file)})\n\n*Figure {n_fig}.* {b.caption}"
            )
        else:  # not in the PDF, so not numbered: the numbers match the PDF's figures
            out.append(f"![{b.caption}]({quote(b.file)})\n\n*Chart.* {b.caption}")
    return "\n\n".join(out) + "\n"


def brief_markdown(brief: Brief) -> str:
    """``report.md``: the brief as Markdown (pure)."""
    return markdown(brief_blocks(brief))
