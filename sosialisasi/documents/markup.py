"""A small, safe markup for notulen: headings and lists, nothing that can carry HTML.

    # Judul           -> heading          ## Sub judul -> subheading
    - butir / * butir -> bulleted list    1. butir     -> numbered list
    blank line        -> new paragraph    other lines  -> paragraph text (joined)

The parser returns plain blocks; the HTML side renders them through Jinja (auto-escaped) and the PDF
side draws them, so no user text is ever interpreted as markup by a browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+(.*)$")


@dataclass
class Block:
    kind: str  # "h1", "h2", "p", "ul", "ol"
    text: str = ""
    items: list[str] = field(default_factory=list)
    start: int = 1


def parse(text: str | None) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[str] = []

    def close_paragraph() -> None:
        if paragraph:
            blocks.append(Block("p", " ".join(paragraph)))
            paragraph.clear()

    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            close_paragraph()
            if blocks and blocks[-1].kind in ("ul", "ol"):
                blocks.append(Block("break"))
            continue
        if line.startswith("## "):
            close_paragraph()
            blocks.append(Block("h2", line[3:].strip()))
            continue
        if line.startswith("# "):
            close_paragraph()
            blocks.append(Block("h1", line[2:].strip()))
            continue
        if line[:2] in ("- ", "* ", "• "):
            close_paragraph()
            item = line[2:].strip()
            if blocks and blocks[-1].kind == "ul":
                blocks[-1].items.append(item)
            else:
                blocks.append(Block("ul", items=[item]))
            continue
        match = _NUMBERED.match(line)
        if match:
            close_paragraph()
            if blocks and blocks[-1].kind == "ol":
                blocks[-1].items.append(match.group(2).strip())
            else:
                blocks.append(
                    Block("ol", items=[match.group(2).strip()], start=int(match.group(1)))
                )
            continue
        if blocks and blocks[-1].kind in ("ul", "ol") and raw[:1] in (" ", "\t") and not paragraph:
            blocks[-1].items[-1] += " " + line  # an indented line continues the list item
            continue
        paragraph.append(line)
    close_paragraph()
    return [b for b in blocks if b.kind != "break"]


def plain_lines(text: str | None) -> list[str]:
    """Non-empty lines, for fields that are simple lists (e.g. dasar hukum)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
