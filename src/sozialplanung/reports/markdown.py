"""The small Markdown subset planners write: paragraphs, headings, lists, bold and italic.

One parser, two renderers (typst for PDF in :mod:`.typst_markup`, HTML here), so a text reads
the same in both. Anything else (links, HTML, code) stays literal text: user input never
becomes markup or code.
"""

import html
import re
from dataclasses import dataclass

_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(\*|_)(.+?)\3")
_HEADING = re.compile(r"^(#{1,4})\s+(.*)$")
_BULLET = re.compile(r"^[-*+]\s+(.*)$")
_NUMBER = re.compile(r"^\d+[.)]\s+(.*)$")


@dataclass(frozen=True)
class Block:
    """A line of text: ``kind`` is heading, bullet, number or paragraph (empty = break)."""

    kind: str
    spans: tuple[tuple[str, str], ...]  # (style, text) with style "", "strong" or "emph"
    level: int = 0


def spans(text: str) -> tuple[tuple[str, str], ...]:
    """Split a line into plain, bold and italic runs."""
    out, last = [], 0
    for match in _EMPHASIS.finditer(text):
        out.append(("", text[last : match.start()]))
        if match.group(2) is not None:
            out.append(("strong", match.group(2)))
        else:
            out.append(("emph", match.group(4)))
        last = match.end()
    out.append(("", text[last:]))
    return tuple((style, part) for style, part in out if part)


def blocks(text: str) -> list[Block]:
    """The lines of a Markdown text as blocks."""
    result = []
    for line in text.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        if match := _HEADING.match(stripped):
            result.append(Block("heading", spans(match.group(2)), len(match.group(1))))
        elif match := _BULLET.match(stripped):
            result.append(Block("bullet", spans(match.group(1))))
        elif match := _NUMBER.match(stripped):
            result.append(Block("number", spans(match.group(1))))
        else:
            result.append(Block("paragraph", spans(stripped)))
    return result


def to_html(text: str, *, heading_offset: int = 2) -> str:
    """Escaped HTML: paragraphs, ``h3``… headings, ``ul``/``ol`` lists."""
    out: list[str] = []
    open_list = ""
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append("<p>" + " ".join(paragraph) + "</p>")
            paragraph.clear()

    for block in blocks(text):
        inline = "".join(
            f"<{style}>{html.escape(part)}</{style}>" if style else html.escape(part)
            for style, part in block.spans
        )
        wanted = {"bullet": "ul", "number": "ol"}.get(block.kind, "")
        if wanted != open_list:
            flush()
            if open_list:
                out.append(f"</{open_list}>")
            if wanted:
                out.append(f"<{wanted}>")
            open_list = wanted
        if block.kind == "heading":
            flush()
            level = min(block.level + heading_offset, 6)
            out.append(f"<h{level}>{inline}</h{level}>")
        elif wanted:
            out.append(f"<li>{inline}</li>")
        elif inline:
            paragraph.append(inline)
        else:
            flush()
    flush()
    if open_list:
        out.append(f"</{open_list}>")
    return "\n".join(out)
