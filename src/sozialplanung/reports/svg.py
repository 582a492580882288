"""Building blocks for standalone SVG documents.

Elements are built with ``xml.etree``, which escapes every text and attribute value, so labels
with ``&``, ``<``, quotes or umlauts cannot break the markup. Text widths are estimated, not
measured: there is no font at hand in a pure function.
"""

import hashlib
import textwrap
from xml.etree import ElementTree

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, 'Liberation Sans', sans-serif"
TEXT_COLOUR = "#222222"
# Average advance of a sans-serif glyph in em; generous, so estimated text rarely overflows.
CHAR_WIDTH_EM = 0.6


def document(*, width: float, height: float, title: str, description: str) -> ElementTree.Element:
    """An ``<svg role="img">`` root labelled by its own ``<title>`` and ``<desc>``.

    The ids derive from the content, so several charts inline in one page do not collide and
    the same input always gives the same output.
    """
    key = hashlib.sha1(f"{title}\n{description}".encode()).hexdigest()[:10]
    root = ElementTree.Element(
        "svg",
        {
            "xmlns": SVG_NAMESPACE,
            "width": "",
            "height": "",
            "viewBox": "",
            "role": "img",
            "aria-labelledby": f"chart-{key}-title chart-{key}-desc",
            "font-family": FONT_FAMILY,
            "font-size": "12",
            "fill": TEXT_COLOUR,
        },
    )
    resize(root, width, height)
    add(root, "title", title, id=f"chart-{key}-title")
    add(root, "desc", description, id=f"chart-{key}-desc")
    return root


def resize(root: ElementTree.Element, width: float, height: float) -> None:
    """Set the size of the document; user units are px, so text keeps its size when printed."""
    root.set("width", coordinate(width))
    root.set("height", coordinate(height))
    root.set("viewBox", f"0 0 {coordinate(width)} {coordinate(height)}")


def add(
    parent: ElementTree.Element, tag: str, text: str | None = None, **attributes: object
) -> ElementTree.Element:
    """Append a child element; ``stroke_width`` becomes ``stroke-width``, ``class_`` ``class``.

    Numbers are written as compact coordinates; ``None`` attributes are left out.
    """
    element = ElementTree.SubElement(parent, tag)
    for name, value in attributes.items():
        if value is None:
            continue
        name = name.rstrip("_").replace("_", "-")
        element.set(name, coordinate(value) if isinstance(value, int | float) else str(value))
    if text is not None:
        element.text = text
    return element


def serialise(root: ElementTree.Element) -> str:
    return ElementTree.tostring(root, encoding="unicode")


def coordinate(value: float) -> str:
    """A number with at most one decimal and no trailing zeros: 12, 12.5, -3."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def text_width(text: str, font_size: float) -> float:
    """Estimated rendered width of ``text`` in px."""
    return len(text) * font_size * CHAR_WIDTH_EM


def wrap(text: str, width: float, font_size: float) -> list[str]:
    """``text`` broken into lines of at most ``width`` px (estimated), at spaces."""
    columns = max(1, int(width / (font_size * CHAR_WIDTH_EM)))
    return textwrap.wrap(text, columns) or [""]


def shorten(text: str, width: float, font_size: float) -> str:
    """``text`` cut with an ellipsis so that it fits into ``width`` px (estimated)."""
    columns = max(1, int(width / (font_size * CHAR_WIDTH_EM)))
    return text if len(text) <= columns else text[: columns - 1].rstrip() + "…"
