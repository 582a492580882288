"""Geometry helpers for lon/lat (EPSG:4326) area polygons.

Lengths and areas are measured in the equal-area projection EPSG:3035 (ETRS89-LAEA),
because degrees are not a unit of distance and the official German area figures are
consistent with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

EQUAL_AREA_CRS = "EPSG:3035"


@lru_cache(maxsize=1)
def _to_equal_area() -> Transformer:
    """Build the transformer once; creating it is comparatively slow."""
    return Transformer.from_crs("EPSG:4326", EQUAL_AREA_CRS, always_xy=True)


def project_equal_area(geometries: Sequence[BaseGeometry]) -> np.ndarray:
    """Project lon/lat geometries to EPSG:3035 metres in one vectorised call."""
    transformer = _to_equal_area()

    def transform(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(np.asarray(geometries, dtype=object), transform)


def area_km2(geometries: Sequence[BaseGeometry]) -> np.ndarray:
    """Return the area of each lon/lat polygon in km², measured equal-area."""
    if len(geometries) == 0:
        return np.zeros(0)
    return shapely.area(project_equal_area(geometries)) / 1e6


def shared_borders(
    geometries: Sequence[BaseGeometry], min_length_m: float = 1.0
) -> list[tuple[int, int, float]]:
    """Return rook neighbours as (i, j, shared border length in km) with i < j.

    Only shared border lines count; areas touching in a single point (queen
    contiguity) are not neighbours, so that e.g. four squares meeting at a corner
    do not all count as adjacent.
    """
    if len(geometries) < 2:
        return []
    projected = project_equal_area(geometries)
    tree = shapely.STRtree(projected)
    left, right = tree.query(projected, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if left.size == 0:
        return []
    boundaries = shapely.boundary(projected)
    common = shapely.intersection(boundaries[left], boundaries[right])
    # Points in the intersection have length 0, so only line parts contribute.
    lengths = shapely.length(common)
    result = [
        (int(i), int(j), float(length) / 1000.0)
        for i, j, length in zip(left, right, lengths, strict=True)
        if length >= min_length_m
    ]
    result.sort()
    return result


def as_multipolygon(geom: BaseGeometry) -> MultiPolygon:
    """Normalise a polygonal geometry to MultiPolygon so callers see one type."""
    if isinstance(geom, MultiPolygon):
        return geom
    if isinstance(geom, Polygon):
        return MultiPolygon([geom]) if not geom.is_empty else MultiPolygon()
    if geom.is_empty:
        return MultiPolygon()
    # Collections (e.g. from a union) may mix in lines or points; keep the areas only.
    polygons: list[Polygon] = []
    for part in shapely.get_parts(geom):
        if isinstance(part, Polygon):
            polygons.append(part)
        elif isinstance(part, MultiPolygon):
            polygons.extend(part.geoms)
    if not polygons and not isinstance(geom, shapely.GeometryCollection):
        raise TypeError(f"Keine Flächengeometrie: {geom.geom_type}")
    return MultiPolygon(polygons)


def dissolve(geometries: Sequence[BaseGeometry]) -> MultiPolygon:
    """Union all geometries into one MultiPolygon, e.g. municipalities into a county."""
    return as_multipolygon(shapely.union_all(np.asarray(geometries, dtype=object)))
