"""Tests for sozialplanung.analytics.geometry against synthetic shapes and real VG250 data."""

from __future__ import annotations

import json
from collections import deque
from pathlib import Path

import numpy as np
import pytest
from shapely.geometry import GeometryCollection, LineString, MultiPolygon, Point, box, shape

import sozialplanung
from sozialplanung.analytics.geometry import area_km2, as_multipolygon, dissolve, shared_borders

DATA = Path(sozialplanung.__file__).parent / "demo" / "data"
POESSNECK = "16075085"
KROELPA = "16075129"
RANIS = "16075088"
SCHLEIZ = "16075098"


def _features(name: str) -> list[dict]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))["features"]


@pytest.fixture(scope="module")
def gemeinden() -> tuple[list[dict], list]:
    features = _features("gemeinden_vg250ew_2024.geojson")
    return [f["properties"] for f in features], [shape(f["geometry"]) for f in features]


def _grid() -> list:
    """2x2 grid of ~1 km squares near Pößneck (lon/lat), order: SW, SE, NW, NE."""
    dx, dy = 0.014, 0.009
    x0, y0 = 11.6, 50.7
    return [
        box(x0 + c * dx, y0 + r * dy, x0 + (c + 1) * dx, y0 + (r + 1) * dy)
        for r in range(2)
        for c in range(2)
    ]


def test_area_matches_official_area(gemeinden):
    props, geoms = gemeinden
    official = np.array([p["KFL_km2"] for p in props])
    computed = area_km2(geoms)
    assert computed.shape == (59,)
    assert np.abs(computed - official).max() < 0.5


def test_area_of_empty_input_is_empty():
    assert area_km2([]).shape == (0,)


def test_grid_rook_neighbours_exclude_diagonals():
    borders = shared_borders(_grid())
    assert [(i, j) for i, j, _ in borders] == [(0, 1), (0, 2), (1, 3), (2, 3)]
    for _, _, length_km in borders:
        assert 0.6 < length_km < 1.1


def test_min_length_filters_short_borders():
    assert shared_borders(_grid(), min_length_m=5000) == []


def test_borders_are_unique_and_ordered(gemeinden):
    _, geoms = gemeinden
    borders = shared_borders(geoms)
    pairs = [(i, j) for i, j, _ in borders]
    assert all(i < j for i, j in pairs)
    assert len(set(pairs)) == len(pairs)
    assert all(length > 0 for _, _, length in borders)


def test_real_municipalities_form_connected_graph(gemeinden):
    props, geoms = gemeinden
    neighbours: dict[int, set[int]] = {i: set() for i in range(len(geoms))}
    for i, j, _ in shared_borders(geoms):
        neighbours[i].add(j)
        neighbours[j].add(i)
    assert all(neighbours.values()), "jede Gemeinde braucht mindestens einen Nachbarn"
    seen, queue = {0}, deque([0])
    while queue:
        for nxt in neighbours[queue.popleft()] - seen:
            seen.add(nxt)
            queue.append(nxt)
    assert len(seen) == len(geoms)


def test_poessneck_neighbours(gemeinden):
    props, geoms = gemeinden
    index = {p["AGS"]: i for i, p in enumerate(props)}
    lengths = {}
    for i, j, length in shared_borders(geoms):
        for a, b in ((i, j), (j, i)):
            if a == index[POESSNECK]:
                lengths[props[b]["AGS"]] = length
    assert lengths[KROELPA] > 5
    assert RANIS in lengths
    assert SCHLEIZ not in lengths


def test_dissolve_matches_county_outline(gemeinden):
    _, geoms = gemeinden
    county = shape(_features("kreis_vg250ew_2024.geojson")[0]["geometry"])
    merged = dissolve(geoms)
    assert isinstance(merged, MultiPolygon)
    assert abs(area_km2([merged])[0] - area_km2([county])[0]) < 1.0


def test_dissolve_single_polygon_gives_multipolygon():
    merged = dissolve(_grid())
    assert isinstance(merged, MultiPolygon)
    assert len(merged.geoms) == 1


def test_as_multipolygon():
    square = box(0, 0, 1, 1)
    assert as_multipolygon(square).equals(MultiPolygon([square]))
    multi = MultiPolygon([square])
    assert as_multipolygon(multi) is multi
    mixed = GeometryCollection([square, LineString([(0, 0), (2, 2)]), Point(5, 5)])
    assert as_multipolygon(mixed).equals(multi)
    with pytest.raises(TypeError):
        as_multipolygon(LineString([(0, 0), (1, 1)]))
