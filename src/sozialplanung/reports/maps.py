"""Accessible, print-quality SVG choropleth maps of the municipalities of a county.

Same conventions as :mod:`sozialplanung.reports.charts`: a pure function returning standalone SVG
text for web pages (inline) and PDF reports (typst embeds SVG); every visible word comes from the
caller. Areas are drawn in the equal-area projection EPSG:3035 with north up, simplified to half
an output pixel so that a county map stays small.
"""

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree.ElementTree import Element

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from sozialplanung.analytics.geometry import project_equal_area
from sozialplanung.reports import svg
from sozialplanung.reports.charts import (
    AXIS_COLOUR,
    LEGEND_ROW,
    MARGIN,
    _heading,
    _legend_layout,
    format_number,
)

AREA_STROKE = "#ffffff"
OUTLINE_COLOUR = "#333333"
NO_DATA_FILL = "#eeeeee"
HATCH_COLOUR = "#8c9795"  # as the hatch of the web map, so both read alike
SCALE_BAR_COLOUR = "#333333"
SIMPLIFY_TOLERANCE = 0.5  # px: finer detail than half a pixel cannot be seen, in print or on screen
SCALE_BAR_SHARE = 0.2  # the scale bar is a round length near this share of the map width
SCALE_ROW = 24


@dataclass(frozen=True)
class MapArea:
    """One area of a map: a lon/lat (WGS84) geometry, its class colour and its hover text.

    ``colour`` is ``None`` for an area without a value or with a suppressed one; it is hatched.
    ``label`` is the text of the tooltip, e.g. ``"Pößneck: 9,8 %"``.
    """

    name: str
    geometry: BaseGeometry
    colour: str | None
    label: str = ""


@dataclass(frozen=True)
class LegendClass:
    """One class of the legend, e.g. ``LegendClass("6,3 bis unter 8,0", "#8fbcb8")``."""

    label: str
    colour: str


def choropleth(
    areas: Sequence[MapArea],
    legend: Sequence[LegendClass],
    *,
    title: str,
    description: str = "",
    width: float = 480,
    no_data_label: str = "kein Wert / nicht veröffentlicht",
    outline: BaseGeometry | None = None,
    scale_bar: bool = True,
) -> str:
    """A choropleth map as a standalone SVG string, the legend and a scale bar below the map.

    The height follows from the width and the shape of the areas (and of ``outline``, e.g. the
    county border, drawn on top without fill). Areas without a colour are light grey and
    hatched, and the legend names them ``no_data_label``, so they never read as a class. Without
    a description the area labels serve as text alternative.
    """
    if not areas:
        raise ValueError("choropleth needs at least one area, got none")
    if width <= 2 * MARGIN:
        raise ValueError(f"choropleth needs a width above {2 * MARGIN} px, got {width}")
    geometries = [area.geometry for area in areas]
    if outline is not None:
        geometries.append(outline)
    projected = project_equal_area(geometries)
    min_x, min_y, max_x, max_y = shapely.total_bounds(projected)
    if not (max_x > min_x and max_y > min_y):  # also false for NaN, the bounds of empty shapes
        raise ValueError(
            "choropleth needs areas that cover some ground; their projected bounds are "
            f"x {min_x} to {max_x} and y {min_y} to {max_y}"
        )
    scale = (width - 2 * MARGIN) / (max_x - min_x)  # px per metre
    texts = [_area_text(area, no_data_label) for area in areas]
    root = svg.document(
        width=width, height=0, title=title, description=description or "; ".join(texts)
    )
    map_top = _heading(root, title, "", width) + 8
    map_bottom = map_top + (max_y - min_y) * scale

    def to_page(coordinates: np.ndarray) -> np.ndarray:
        x = MARGIN + (coordinates[:, 0] - min_x) * scale
        y = map_top + (max_y - coordinates[:, 1]) * scale  # north up: y grows downwards in SVG
        return np.column_stack([x, y])

    page = shapely.simplify(
        shapely.transform(projected, to_page), SIMPLIFY_TOLERANCE, preserve_topology=True
    )
    paths = [_path_data(geometry) for geometry in page]
    # The id derives from the whole content, so several maps inline in one page do not collide.
    names_and_colours = [f"{area.name}\t{area.colour}" for area in areas]
    hatch = f"map-{_digest(title, description, *names_and_colours, *texts, *paths)}-hatch"
    missing = any(area.colour is None for area in areas)
    if missing:
        _hatch_pattern(svg.add(root, "defs"), hatch)

    _draw_areas(root, areas, texts, paths, hatch)
    if outline is not None:
        svg.add(
            root,
            "path",
            class_="outline",
            d=paths[-1],
            fill="none",
            stroke=OUTLINE_COLOUR,
            stroke_width=1.2,
            stroke_linejoin="round",
        )

    bottom = map_bottom + 8
    if scale_bar:
        _scale_bar(root, scale, width, bottom)
        bottom += SCALE_ROW
    entries = [(entry.label, entry.colour) for entry in legend]
    if missing:
        entries.append((no_data_label, f"url(#{hatch})"))
    bottom = _legend(root, entries, width, bottom)
    svg.resize(root, width, math.ceil(bottom + MARGIN))
    return svg.serialise(root)


def _draw_areas(root: Element, areas, texts, paths, hatch: str) -> None:
    """One path per area, filled with its colour or the hatch, its text as tooltip."""
    group = svg.add(
        root, "g", class_="areas", stroke=AREA_STROKE, stroke_width=0.6, stroke_linejoin="round"
    )
    for area, text, data in zip(areas, texts, paths[: len(areas)], strict=True):
        fill = f"url(#{hatch})" if area.colour is None else area.colour
        path = svg.add(
            group,
            "path",
            class_="area",
            d=data,
            fill=fill,
            fill_rule="evenodd",
            data_name=area.name,
        )
        svg.add(path, "title", text)


def _path_data(geometry: BaseGeometry) -> str:
    """SVG path data of the polygons in ``geometry``: one closed subpath per ring, holes
    included (to be filled with ``fill-rule="evenodd"``); points and lines are left out."""
    subpaths = []
    for polygon in shapely.get_parts(geometry):
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            points = " ".join(
                f"{svg.coordinate(x)},{svg.coordinate(y)}" for x, y in ring.coords[:-1]
            )
            subpaths.append(f"M{points}Z")
    return "".join(subpaths)


def _scale_bar_length(scale: float, width: float) -> float:
    """A round length in metres (1, 2 or 5 × 10^n) near a fifth of ``width`` px on a map of
    ``scale`` px per metre."""
    target = SCALE_BAR_SHARE * width / scale
    magnitude = 10.0 ** math.floor(math.log10(target))
    steps = [mantissa * magnitude for mantissa in (1, 2, 5, 10)]
    return min(steps, key=lambda step: abs(math.log(step / target)))


def _area_text(area: MapArea, no_data_label: str) -> str:
    if area.label:
        return area.label
    return f"{area.name}: {no_data_label}" if area.colour is None else area.name


def _digest(*parts: str) -> str:
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:10]


def _hatch_pattern(defs: Element, pattern_id: str) -> None:
    pattern = svg.add(
        defs,
        "pattern",
        id=pattern_id,
        width=6,
        height=6,
        patternUnits="userSpaceOnUse",
        patternTransform="rotate(45)",
    )
    svg.add(pattern, "rect", width=6, height=6, fill=NO_DATA_FILL)
    svg.add(pattern, "rect", width=1.5, height=6, fill=HATCH_COLOUR)


def _scale_bar(root: Element, scale: float, width: float, top: float) -> None:
    metres = _scale_bar_length(scale, width - 2 * MARGIN)
    if metres >= 1000:
        text = f"{format_number(metres / 1000, 0)} km"
    else:
        text = f"{format_number(metres, 0)} m"
    group = svg.add(root, "g", class_="scale-bar")
    length = metres * scale
    y = top + SCALE_ROW / 2
    svg.add(
        group,
        "rect",
        class_="scale-bar",
        x=MARGIN,
        y=y - 2,
        width=length,
        height=4,
        fill=SCALE_BAR_COLOUR,
    )
    svg.add(group, "text", text, x=MARGIN + length + 6, y=y + 4)


def _legend(root: Element, entries: Sequence[tuple[str, str]], width: float, top: float) -> float:
    """Draw a swatch and label per entry, rows wrapped to the width; return where they end."""
    if not entries:
        return top
    rows = _legend_layout([label for label, _ in entries], width - 2 * MARGIN)
    group = svg.add(root, "g", class_="legend")
    for number, row in enumerate(rows):
        y = top + number * LEGEND_ROW + LEGEND_ROW / 2
        for index, offset in row:
            label, fill = entries[index]
            x = MARGIN + offset
            svg.add(
                group,
                "rect",
                x=x,
                y=y - 7,
                width=28,
                height=14,
                fill=fill,
                stroke=AXIS_COLOUR,
                stroke_width=0.5,
            )
            svg.add(group, "text", label, x=x + 34, y=y + 4)
    return top + len(rows) * LEGEND_ROW
