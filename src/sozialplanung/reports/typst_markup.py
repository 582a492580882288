"""Safe typst source from Python values, and the one place that compiles it to PDF.

Every text from data or users enters the source as a typst *string literal* (``#"…"``), never
as markup, so a municipality called ``*Neu*stadt`` or a planner's ``#import`` stays plain text.
"""

import datetime as dt
from collections.abc import Sequence

import typst

from sozialplanung.reports.markdown import Block, blocks

# Typst's bundled fonts only: the same bytes on every machine, no system font lookup.
FONT = "Libertinus Serif"


def literal(text: str) -> str:
    """A typst string literal holding ``text`` exactly."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "").replace("\t", " ")
    return f'"{escaped}"'


def plain(text: str) -> str:
    """Markup that shows ``text`` verbatim (no typst interpretation)."""
    return f"#{literal(text)}" if text else ""


def svg_image(svg: str, *, alt: str, width: str = "100%") -> str:
    """A typst expression embedding SVG text as a vector image with its alternative text."""
    data = f"bytes({literal(svg)})"
    return f'image({data}, format: "svg", width: {width}, alt: {literal(alt)})'


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    columns: str,
    align: str = "(left, right)",
    bold_rows: Sequence[int] = (),
) -> str:
    """A typst table expression with a repeated header row; cells are plain text."""
    cells = [f"table.header({', '.join(f'[*{plain(h)}*]' for h in header)})"]
    for index, row in enumerate(rows):
        if index in bold_rows:
            cells.extend(f"[*{plain(cell)}*]" for cell in row)
        else:
            cells.extend(f"[{plain(cell)}]" for cell in row)
    return (
        f"table(columns: {columns}, align: {align}, stroke: none, inset: (x: 4pt, y: 3pt),\n"
        f'  fill: (_, y) => if y == 0 {{ rgb("#e6eeed") }} else if calc.even(y) '
        f'{{ rgb("#f6f8f8") }},\n  ' + ",\n  ".join(cells) + ")"
    )


def _inline(block: Block) -> str:
    return "".join(
        f"#{style}({literal(text)})" if style else plain(text) for style, text in block.spans
    )


def markdown(text: str, *, heading_offset: int = 2) -> str:
    """Typst markup for a planner's Markdown (see :mod:`.markdown`); never runs typst code.

    ``heading_offset`` puts ``#`` headings below the chapter heading.
    """
    out: list[str] = []
    for block in blocks(text):
        if block.kind == "heading":
            level = min(block.level + heading_offset, 6)
            out.append(f"#heading(level: {level}, outlined: false)[{_inline(block)}]")
        elif block.kind == "bullet":
            out.append(f"- {_inline(block)}")
        elif block.kind == "number":
            out.append(f"+ {_inline(block)}")
        else:
            out.append(_inline(block))
    return "\n".join(out)


def compile_pdf(source: str, *, day: dt.date) -> bytes:
    """PDF bytes of a typst source: tagged, fonts embedded, dated ``day``; same input, same bytes.

    PDF/A-2a asks for tagged structure and embedded fonts, what archives and screen readers need.
    """
    stamp = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return typst.compile(
        source.encode("utf-8"),
        format="pdf",
        ignore_system_fonts=True,
        timestamp=stamp,
        pdf_standards="a-2a",
    )
