"""The social report, topic sheets and area profiles as data, and their typst layout.

The web app fills these dataclasses from the database (numbers already formatted, suppressed
cells already blank, sentences already written); this module only lays them out, so a document
is a pure function of its content and the same content gives the same PDF bytes.
"""

import datetime as dt
from dataclasses import dataclass, field

from sozialplanung.reports.typst_markup import (
    FONT,
    compile_pdf,
    literal,
    markdown,
    plain,
    svg_image,
    table,
)

ACCENT = "#1f5f5b"


# Kinds laid out as a book: title page, table of contents, numbered chapters.
BOOKS = ("social_report", "strategy", "parents_folder")


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class IndicatorBlock:
    """One indicator in a chapter: what it says, where (map), since when (chart), who ranks how."""

    name: str
    year: int | None  # None where no single year applies (e.g. a scheme of social spaces)
    statement: str
    definition: str
    source: str
    map_svg: str = ""
    map_alt: str = ""
    chart_svg: str = ""
    chart_alt: str = ""
    ranking_header: tuple[str, ...] = ()
    ranking: tuple[tuple[str, ...], ...] = ()
    note: str = ""
    points: tuple[str, ...] = ()  # statements shown as a list (profiles: one per indicator)
    figure_width: str = "55%"  # of a single map or chart on the text width
    # Typst column widths and alignments of the table, where the default layout does not fit.
    table_columns: str = ""
    table_align: str = ""


@dataclass(frozen=True)
class Chapter:
    title: str
    summary: str = ""
    narrative: str = ""  # the planner's own Markdown
    key_figures: tuple[KeyFigure, ...] = ()
    blocks: tuple[IndicatorBlock, ...] = ()


@dataclass(frozen=True)
class Source:
    """A data source as it entered the database: file, origin and licence."""

    name: str
    attribution: str
    url: str = ""
    example: bool = False


@dataclass(frozen=True)
class Document:
    """A report, topic sheet or profile; ``kind`` chooses the layout."""

    kind: str  # "social_report", "strategy", "topic_sheet" or "profile"
    title: str
    subtitle: str
    issuer: str
    day: dt.date
    chapters: tuple[Chapter, ...]
    sources: tuple[Source, ...] = ()
    methods: tuple[str, ...] = ()  # paragraphs of the methods annex
    notice: str = ""  # e.g. "contains example data"
    labels: dict[str, str] = field(default_factory=dict)  # translated fixed words


def pdf(document: Document) -> bytes:
    """The document as PDF bytes."""
    return compile_pdf(source(document), day=document.day)


def source(document: Document) -> str:
    """Typst source of the whole document."""
    parts = [_preamble(document)]
    if document.kind in BOOKS:
        parts += [_title_page(document), "#outline(depth: 2)\n#pagebreak()"]
    else:
        parts.append(_masthead(document))
    level = 1 if document.kind in BOOKS else 2
    for chapter in document.chapters:
        parts.append(_chapter(chapter, level, document.kind))
    if document.sources or document.methods:
        parts.append(_methods(document, level))
    return "\n\n".join(parts) + "\n"


def _label(document: Document, key: str, default: str) -> str:
    return document.labels.get(key, default)


def _preamble(document: Document) -> str:
    footer = f"{document.issuer} · {document.title}"
    return f"""#set document(title: {literal(document.title)}, author: {literal(document.issuer)})
#set text(lang: "de", region: "de", font: "{FONT}", size: 10pt)
#set par(justify: false, leading: 0.6em)
#set page(paper: "a4", margin: (x: 2cm, top: 2cm, bottom: 2.2cm),
  footer: context [#set text(size: 8pt, fill: rgb("#555555"))
    {plain(footer)} #h(1fr) #counter(page).display("1")])
#set heading(numbering: {'"1.1"' if document.kind in BOOKS else "none"})
#show heading: set text(fill: rgb("{ACCENT}"))
#show heading.where(level: 1): it => {{ pagebreak(weak: true); v(0.4em); it; v(0.3em) }}
#show figure: set block(breakable: false)
#let keyfigure(label, value, note) = box(width: 100%, inset: 6pt, radius: 3pt,
  fill: rgb("#eef4f3"), stack(spacing: 4pt, text(size: 8pt, label),
  text(size: 14pt, weight: "bold", fill: rgb("{ACCENT}"), value), text(size: 7.5pt, note)))"""


def _title_page(document: Document) -> str:
    notice = (
        f'#block(fill: rgb("#fff4d6"), inset: 8pt, radius: 3pt)[{plain(document.notice)}]'
        if document.notice
        else ""
    )
    return f"""#page(footer: none)[
  #v(5cm)
  #text(size: 28pt, weight: "bold", fill: rgb("{ACCENT}"), {literal(document.title)})
  #v(0.5em)
  #text(size: 14pt, {literal(document.subtitle)})
  #v(2cm)
  #text(size: 12pt, {literal(document.issuer)}) \\
  #text(size: 11pt, {literal(_date(document.day))})
  #v(1fr)
  {notice}
]"""


def _masthead(document: Document) -> str:
    notice = (
        f'\n#text(size: 8pt, fill: rgb("#8a5a00"), {literal(document.notice)})'
        if (document.notice)
        else ""
    )
    return f"""#block(width: 100%, inset: (bottom: 6pt), stroke: (bottom: 1.5pt + rgb("{ACCENT}")))[
  #text(size: 8.5pt, {literal(document.issuer + " · " + document.subtitle)}) \\
  #text(size: 20pt, weight: "bold", fill: rgb("{ACCENT}"), {literal(document.title)}) \\
  #text(size: 8.5pt, {literal(_date(document.day))})]{notice}"""


def _chapter(chapter: Chapter, level: int, kind: str) -> str:
    parts = [f"#heading(level: {level})[{plain(chapter.title)}]"] if chapter.title else []
    cells = ", ".join(
        f"keyfigure({literal(k.label)}, {literal(k.value)}, {literal(k.note)})"
        for k in chapter.key_figures
    )
    blocks = list(chapter.blocks)
    if cells and len(blocks) == 1 and _map_only(blocks[0]):
        # A location map beside the key figures (area profiles).
        block = blocks.pop()
        image = svg_image(block.map_svg, alt=block.map_alt)
        parts.append(
            f"#grid(columns: (1fr, {block.figure_width}), gutter: 12pt, align: horizon, "
            f"stack(spacing: 6pt, {cells}), {image})"
        )
    elif cells:
        columns = min(len(chapter.key_figures), 4)
        parts.append(f"#grid(columns: {columns}, gutter: 6pt, {cells})")
    if chapter.summary:
        parts.append(plain(chapter.summary))
    if chapter.narrative.strip():
        parts.append(markdown(chapter.narrative, heading_offset=level))
    for block in blocks:
        parts.append(_block(block, level + 1, compact=kind not in BOOKS))
    return "\n\n".join(parts)


def _map_only(block: IndicatorBlock) -> bool:
    return bool(block.map_svg) and not (
        block.name or block.statement or block.chart_svg or block.ranking or block.points
    )


def _block(block: IndicatorBlock, level: int, compact: bool) -> str:
    title = block.name if block.year is None else f"{block.name} {block.year}"
    # Heading, text and figures stay on one page; the ranking table may break.
    outlined = "false" if compact else "true"
    head = [f"#heading(level: {level}, outlined: {outlined})[{plain(title)}]"] if block.name else []
    if block.statement:
        head.append(plain(block.statement))
    figures = []
    if block.map_svg:
        figures.append(svg_image(block.map_svg, alt=block.map_alt or title))
    if block.chart_svg:
        figures.append(svg_image(block.chart_svg, alt=block.chart_alt or title))
    if len(figures) == 2:
        head.append(
            f"#grid(columns: (1fr, 1.15fr), gutter: 10pt, align: horizon, {', '.join(figures)})"
        )
    elif figures:
        head.append(f"#align(center, box(width: {block.figure_width}, {figures[0]}))")
    parts = ["#block(breakable: false)[\n" + "\n\n".join(head) + "\n]"] if head else []
    if block.ranking:
        columns, align = _table_layout(len(block.ranking_header))
        columns, align = block.table_columns or columns, block.table_align or align
        parts.append(
            "#block(breakable: true, text(size: 8.5pt, "
            + table(block.ranking_header, block.ranking, columns=columns, align=align)
            + "))"
        )
    if block.points:
        items = "\n".join(f"- {plain(point)}" for point in block.points)
        parts.append(f"#text(size: 9pt)[\n{items}\n]")
    foot = " ".join(x for x in (block.definition, block.note, block.source) if x)
    if foot:
        parts.append(f'#text(size: 7.5pt, fill: rgb("#555555"), {literal(foot)})')
    return "\n\n".join(parts)


def _table_layout(columns: int) -> tuple[str, str]:
    """Ranking tables (rank, name, value) or profile tables (name, then numbers)."""
    if columns == 3:
        return "(auto, 1fr, auto)", "(right, left, right)"
    numbers = ", ".join(["auto"] * (columns - 1))
    return f"(1fr, {numbers})", "(left, " + ", ".join(["right"] * (columns - 1)) + ")"


def _methods(document: Document, level: int) -> str:
    title = _label(document, "methods", "Methoden, Quellen und Lizenzen")
    parts = [f"#heading(level: {level})[{plain(title)}]"]
    parts += [plain(paragraph) for paragraph in document.methods]
    if document.sources:
        rows = [
            (s.name, s.attribution + (f" ({s.url})" if s.url else "")) for s in document.sources
        ]
        header = (
            _label(document, "file", "Datei"),
            _label(document, "source", "Quelle und Lizenz"),
        )
        parts.append(
            "#text(size: 8pt, "
            + table(header, rows, columns="(auto, 1fr)", align="(left, left)")
            + ")"
        )
    return "\n\n".join(parts)


def _date(day: dt.date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year}"
