import json
import math
import re
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon, box

import sozialplanung
from sozialplanung.analytics.geometry import project_equal_area
from sozialplanung.reports.charts import MARGIN
from sozialplanung.reports.maps import LegendClass, MapArea, choropleth

SVG = "{http://www.w3.org/2000/svg}"
DEMO_DATA = Path(sozialplanung.__file__).parent / "demo" / "data"
COUNTY_MUNICIPALITIES = DEMO_DATA / "gemeinden_vg250ew_2024.geojson"
COUNTY_OUTLINE = DEMO_DATA / "kreis_vg250ew_2024.geojson"
# All Thuringian municipalities: in the shared data beside the repository, not shipped.
THURINGIA = Path(__file__).resolve().parents[3] / "shared/data/thueringen_gemeinden_vg250ew.geojson"
COLOURS = ("#edf8fb", "#b2e2e2", "#66c2a4", "#2ca25f", "#006d2c")
LEGEND = [LegendClass(f"Klasse {number}", colour) for number, colour in enumerate(COLOURS)]
NO_DATA = "kein Wert / nicht veröffentlicht"
TRICKY = "Saale-Orla-Kreis & <Test> \"Süd\" 'Nord'"


def from_equal_area(geometry):
    """A geometry given in EPSG:3035 metres, in lon/lat: shapes of exact projected size."""
    transformer = Transformer.from_crs("EPSG:3035", "EPSG:4326", always_xy=True)
    return shapely.transform(
        geometry, lambda c: list(zip(*transformer.transform(*c.T), strict=True))
    )


# Two squares side by side, 10 km each, somewhere in Thuringia.
WEST = from_equal_area(box(4_400_000, 3_000_000, 4_410_000, 3_010_000))
EAST = from_equal_area(box(4_410_000, 3_000_000, 4_420_000, 3_010_000))


@cache
def features(path: Path) -> tuple[tuple[str, object], ...]:
    collection = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        (feature["properties"]["GEN"], shapely.from_geojson(json.dumps(feature["geometry"])))
        for feature in collection["features"]
    )


def real_areas(path: Path, every_nth_missing: int = 7) -> list[MapArea]:
    return [
        MapArea(
            name,
            geometry,
            None if index % every_nth_missing == 0 else COLOURS[index % len(COLOURS)],
            f"{name}: {index},0 %",
        )
        for index, (name, geometry) in enumerate(features(path))
    ]


def two_squares(west: str | None = COLOURS[0], east: str | None = COLOURS[4]) -> list[MapArea]:
    return [
        MapArea("West", WEST, west, "West: 3,2 %"),
        MapArea("Ost", EAST, east, "Ost: 9,8 %"),
    ]


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def area_paths(root: ElementTree.Element) -> list[ElementTree.Element]:
    return [path for path in root.iter(f"{SVG}path") if path.get("class") == "area"]


def legend_labels(root: ElementTree.Element) -> list[str]:
    (legend,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "legend"]
    return [text.text for text in legend.iter(f"{SVG}text")]


def patterns(root: ElementTree.Element) -> list[ElementTree.Element]:
    return list(root.iter(f"{SVG}pattern"))


def rings(data: str) -> list[list[tuple[float, float]]]:
    """The closed subpaths of SVG path data as written by the map: ``Mx,y x,y …Z``."""
    return [
        [tuple(map(float, point.split(","))) for point in subpath.split()]
        for subpath in re.findall(r"M([^MZ]*)Z", data)
    ]


def shape_of(data: str):
    """The area that path data covers under ``fill-rule="evenodd"``: its rings XOR-ed."""
    result = Polygon()
    for ring in rings(data):
        result = result.symmetric_difference(Polygon(ring).buffer(0))
    return result


def scale_of(areas: list[MapArea], width: float) -> float:
    """Pixels per metre, computed here from the projection, independent of the map."""
    min_x, _, max_x, _ = shapely.total_bounds(project_equal_area([a.geometry for a in areas]))
    return (width - 2 * MARGIN) / (max_x - min_x)


def scale_bar(root: ElementTree.Element) -> tuple[float, float]:
    """The length of the scale bar in px and the metres its label names."""
    (group,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "scale-bar"]
    number, unit = group.find(f"{SVG}text").text.split()
    metres = float(number.replace(".", "")) * (1000 if unit == "km" else 1)
    return float(group.find(f"{SVG}rect").get("width")), metres


# --- synthetic maps ------------------------------------------------------------------------


def test_it_is_valid_svg_with_one_path_per_area_and_its_label_as_title():
    root = parse(choropleth(two_squares(), LEGEND, title=TRICKY))

    paths = area_paths(root)
    assert [path.get("data-name") for path in paths] == ["West", "Ost"]
    assert [path.find(f"{SVG}title").text for path in paths] == ["West: 3,2 %", "Ost: 9,8 %"]
    assert [path.get("fill") for path in paths] == [COLOURS[0], COLOURS[4]]
    assert all(path.get("fill-rule") == "evenodd" for path in paths)


def test_it_is_labelled_by_its_title_and_shows_it():
    root = parse(choropleth(two_squares(), LEGEND, title=TRICKY, description="Zwei Gemeinden"))

    title, description = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert (title.text, description.text) == (TRICKY, "Zwei Gemeinden")
    assert root.get("aria-labelledby") == f"{title.get('id')} {description.get('id')}"
    assert root.get("role") == "img"
    assert TRICKY in [text.text for text in root.iter(f"{SVG}text")]


def test_without_a_description_the_area_labels_describe_it():
    areas = [*two_squares(), MapArea("Nord", from_equal_area(box(0, 0, 1, 1)), None)]
    root = parse(choropleth(areas, LEGEND, title="Karte"))

    expected = f"West: 3,2 %; Ost: 9,8 %; Nord: {NO_DATA}"
    assert root.find(f"{SVG}desc").text == expected
    assert area_paths(root)[2].find(f"{SVG}title").text == f"Nord: {NO_DATA}"


def test_the_legend_has_a_swatch_and_label_per_class_and_no_hatch_when_all_have_values():
    root = parse(choropleth(two_squares(), LEGEND, title="Karte"))

    assert legend_labels(root) == [entry.label for entry in LEGEND]
    (legend,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "legend"]
    assert [rect.get("fill") for rect in legend.iter(f"{SVG}rect")] == list(COLOURS)
    assert patterns(root) == []
    assert "url(" not in choropleth(two_squares(), LEGEND, title="Karte")


def test_areas_without_a_value_are_hatched_and_the_legend_names_them():
    root = parse(choropleth(two_squares(east=None), LEGEND, title="Karte", no_data_label="geheim"))

    (pattern,) = patterns(root)
    assert area_paths(root)[1].get("fill") == f"url(#{pattern.get('id')})"
    assert legend_labels(root) == [*(entry.label for entry in LEGEND), "geheim"]
    (legend,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "legend"]
    assert legend.findall(f"{SVG}rect")[-1].get("fill") == f"url(#{pattern.get('id')})"


def test_the_hatch_id_differs_between_maps_that_differ_so_they_can_share_a_page():
    def hatch_id(areas: list[MapArea], title: str = "Karte") -> str:
        return patterns(parse(choropleth(areas, LEGEND, title=title)))[0].get("id")

    first = hatch_id(two_squares(east=None))
    assert first == hatch_id(two_squares(east=None))
    assert first != hatch_id(two_squares(east=None), title="Andere Karte")
    assert first != hatch_id(two_squares(west=COLOURS[1], east=None))
    assert first != hatch_id(two_squares(west=None))


def test_the_same_input_gives_the_same_bytes():
    first = choropleth(real_areas(COUNTY_MUNICIPALITIES), LEGEND, title="Karte")
    second = choropleth(real_areas(COUNTY_MUNICIPALITIES), LEGEND, title="Karte")

    assert first.encode() == second.encode()


def test_it_keeps_the_aspect_ratio_with_north_up():
    wide = from_equal_area(box(4_400_000, 3_000_000, 4_420_000, 3_010_000))  # 20 × 10 km
    north = from_equal_area(box(4_400_000, 3_005_000, 4_420_000, 3_010_000))
    areas = [MapArea("Nord", north, COLOURS[1]), MapArea("Ganz", wide, COLOURS[0])]

    def draw(width: float) -> ElementTree.Element:
        return parse(choropleth(areas, LEGEND[:2], title="Karte", width=width))

    small, large = draw(400), draw(800)
    min_x, min_y, max_x, max_y = shape_of(area_paths(small)[1].get("d")).bounds
    assert max_x - min_x == pytest.approx(400 - 2 * MARGIN, abs=0.2)
    assert max_y - min_y == pytest.approx((400 - 2 * MARGIN) / 2, abs=0.2)
    # Title, scale bar and a one-row legend take the same room at both widths.
    assert float(large.get("height")) - float(small.get("height")) == pytest.approx(200, abs=1)
    # North up: the northern half lies at the top of the map in SVG coordinates (y downwards).
    _, north_top, _, north_bottom = shape_of(area_paths(small)[0].get("d")).bounds
    assert (north_top, north_bottom) == pytest.approx((min_y, (min_y + max_y) / 2), abs=0.2)


def test_multipolygons_and_holes_become_one_subpath_per_ring():
    with_holes = Polygon(
        [(0, 0), (9000, 0), (9000, 9000), (0, 9000)],
        holes=[
            [(1000, 1000), (3000, 1000), (3000, 3000), (1000, 3000)],
            [(5000, 5000), (7000, 5000), (7000, 7000), (5000, 7000)],
        ],
    )
    island = box(12_000, 0, 14_000, 2000)
    geometry = shapely.affinity.translate(MultiPolygon([with_holes, island]), 4_400_000, 3_000_000)
    root = parse(
        choropleth([MapArea("Insel", from_equal_area(geometry), "#66c2a4")], [], title="K")
    )

    (path,) = area_paths(root)
    assert len(rings(path.get("d"))) == 4
    assert path.get("fill-rule") == "evenodd"
    # Under evenodd the holes stay empty: the painted area is that of the shape, scaled.
    scale = (480 - 2 * MARGIN) / 14_000
    assert shape_of(path.get("d")).area == pytest.approx(geometry.area * scale**2, rel=0.01)


def test_the_outline_is_drawn_on_top_without_fill():
    root = parse(choropleth(two_squares(), LEGEND, title="Karte", outline=WEST.union(EAST)))

    last = list(root.iter(f"{SVG}path"))[-1]
    assert (last.get("class"), last.get("fill")) == ("outline", "none")
    assert len(rings(last.get("d"))) == 1


def test_an_outline_larger_than_the_areas_widens_the_map():
    larger = from_equal_area(box(4_390_000, 3_000_000, 4_420_000, 3_010_000))
    root = parse(choropleth(two_squares(), LEGEND, title="Karte", outline=larger))

    min_x, _, max_x, _ = shape_of(area_paths(root)[0].get("d")).bounds
    assert max_x - min_x == pytest.approx((480 - 2 * MARGIN) / 3, abs=0.2)


def test_the_scale_bar_can_be_left_out():
    root = parse(choropleth(two_squares(), LEGEND, title="Karte", scale_bar=False))

    assert [g for g in root.iter(f"{SVG}g") if g.get("class") == "scale-bar"] == []


@pytest.mark.parametrize(
    "areas",
    [[], [MapArea("Leer", Polygon(), "#66c2a4")]],
    ids=["no areas", "empty geometry"],
)
def test_it_rejects_a_map_without_ground(areas):
    with pytest.raises(ValueError, match="choropleth needs"):
        choropleth(areas, LEGEND, title="Karte")


def test_it_rejects_a_width_that_leaves_no_room_for_the_map():
    with pytest.raises(ValueError, match="width above 24 px, got 20"):
        choropleth(two_squares(), LEGEND, title="Karte", width=20)


# --- the real county and state ---------------------------------------------------------------


@pytest.mark.parametrize("width", [240, 480, 800, 1600])
def test_the_scale_bar_is_a_round_length_drawn_to_scale(width):
    areas = real_areas(COUNTY_MUNICIPALITIES)
    root = parse(choropleth(areas, LEGEND, title="Karte", width=width))

    length, metres = scale_bar(root)
    assert length == pytest.approx(metres * scale_of(areas, width), abs=0.05)
    mantissa = metres / 10 ** math.floor(math.log10(metres))
    assert mantissa in (1, 2, 5)
    assert (width - 2 * MARGIN) / 10 < length < (width - 2 * MARGIN) / 2.5


def test_the_simplified_county_keeps_its_shape_within_a_pixel():
    areas = real_areas(COUNTY_MUNICIPALITIES)
    width = 480
    root = parse(choropleth(areas, LEGEND, title="Karte", width=width))
    scale = scale_of(areas, width)
    projected = project_equal_area([area.geometry for area in areas])
    min_x, _, _, max_y = shapely.total_bounds(projected)
    top = min(shape_of(path.get("d")).bounds[1] for path in area_paths(root))  # of the map

    for path, geometry in zip(area_paths(root), projected, strict=True):
        expected = shapely.affinity.affine_transform(
            geometry, [scale, 0, 0, -scale, MARGIN - min_x * scale, top + max_y * scale]
        )
        drawn = shape_of(path.get("d"))
        assert shapely.hausdorff_distance(drawn, expected) < 1.0, path.get("data-name")
        assert drawn.area == pytest.approx(expected.area, rel=0.03, abs=4)


def test_a_county_map_stays_small():
    areas = real_areas(COUNTY_MUNICIPALITIES)
    assert len(areas) == 59
    ((_, outline),) = features(COUNTY_OUTLINE)

    for width in (480, 800):
        svg = choropleth(areas, LEGEND, title="Karte", width=width, outline=outline)
        assert len(svg.encode()) < 150_000, width


@pytest.mark.skipif(not THURINGIA.exists(), reason=f"{THURINGIA} is not present")
def test_a_map_of_all_thuringian_municipalities_stays_small():
    areas = real_areas(THURINGIA)
    assert len(areas) == 624

    svg = choropleth(areas, LEGEND, title="Karte", width=480)
    assert len(svg.encode()) < 600_000
    assert len(area_paths(parse(svg))) == 624
