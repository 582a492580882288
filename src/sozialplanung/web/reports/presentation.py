"""The same document content as the PDF, prepared for the accessible HTML page."""

from django.utils.safestring import mark_safe

from sozialplanung.reports.documents import Document
from sozialplanung.reports.markdown import to_html


def html_document(document: Document) -> dict:
    """Chapters with their planner texts as escaped HTML and SVG figures marked safe.

    The SVG comes from our own chart and map code, which escapes every text it draws.
    """
    chapters = []
    for chapter in document.chapters:
        blocks = [
            {
                "block": block,
                "map": mark_safe(block.map_svg),  # noqa: S308 - our own escaped SVG
                "chart": mark_safe(block.chart_svg),  # noqa: S308
            }
            for block in chapter.blocks
        ]
        chapters.append(
            {
                "chapter": chapter,
                "narrative": mark_safe(to_html(chapter.narrative)),  # noqa: S308 - escaped
                "blocks": blocks,
            }
        )
    return {"document": document, "chapters": chapters}
