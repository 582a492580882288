"""Tests for reading area files: synthetic edge cases and the real VG250 municipalities."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyogrio.raw
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon, box, mapping

import sozialplanung
from sozialplanung.io.area_files import (
    AreaFileError,
    AreaRecord,
    FieldMap,
    Problem,
    parse_count,
    read_area_file,
)

DATA = Path(sozialplanung.__file__).parent / "demo" / "data"
BOW_TIE = Polygon([(11.0, 50.0), (11.1, 50.1), (11.1, 50.0), (11.0, 50.1)])


def _write_geojson(path: Path, features: list[tuple[dict, object]]) -> Path:
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": props,
                "geometry": mapping(geom) if geom is not None else None,
            }
            for props, geom in features
        ],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _square(i: int) -> Polygon:
    return box(11.0 + i * 0.01, 50.0, 11.01 + i * 0.01, 50.01)


def test_real_municipalities():
    records = read_area_file(DATA / "gemeinden_vg250ew_2024.geojson")
    assert len(records) == 59
    assert all(len(r.key) == 8 and r.key.isdigit() for r in records)
    assert sum(r.population for r in records) == 78619
    assert all(len(r.regional_key) == 12 for r in records)
    assert all(isinstance(r.geometry, MultiPolygon) for r in records)
    assert [r.number for r in records] == list(range(1, 60))
    poessneck = next(r for r in records if r.key == "16075085")
    assert (poessneck.name, poessneck.kind) == ("Pößneck", "Stadt")


def test_real_county_outline():
    [county] = read_area_file(DATA / "kreis_vg250ew_2024.geojson")
    assert county == AreaRecord(
        1, "16075", county.name, "Landkreis", county.regional_key, 78619, county.geometry
    )


def test_bow_tie_is_reported_with_feature_number(tmp_path):
    path = _write_geojson(
        tmp_path / "a.geojson",
        [({"AGS": "1", "GEN": "A"}, _square(0)), ({"AGS": "2", "GEN": "B"}, BOW_TIE)],
    )
    with pytest.raises(AreaFileError) as info:
        read_area_file(path)
    [problem] = info.value.problems
    assert problem.number == 2
    assert str(problem).startswith("Objekt 2: Ungültige Geometrie: Self-intersection")
    assert str(info.value) == str(problem)


def test_all_problems_are_collected(tmp_path):
    path = _write_geojson(
        tmp_path / "a.geojson",
        [
            ({"AGS": "", "GEN": "A", "EWZ": 5}, _square(0)),
            ({"AGS": "12x", "GEN": "B", "EWZ": -1}, _square(1)),
            ({"AGS": "7", "GEN": "", "EWZ": "1.234"}, None),
            ({"AGS": "7", "GEN": "D", "EWZ": 2.5}, shapely.Point(11, 50)),
        ],
    )
    with pytest.raises(AreaFileError) as info:
        read_area_file(path)
    texts = [str(p) for p in info.value.problems]
    assert texts == [
        "Objekt 1, Spalte „AGS“: Schlüssel fehlt",
        "Objekt 2, Spalte „AGS“: Schlüssel „12x“ darf nur Ziffern enthalten",
        "Objekt 2, Spalte „EWZ“: Einwohnerzahl „-1“ ist keine ganze Zahl ≥ 0",
        "Objekt 3, Spalte „GEN“: Name fehlt",
        "Objekt 3: Geometrie fehlt oder ist leer",
        "Objekt 4, Spalte „AGS“: Schlüssel „7“ kommt doppelt vor (Objekt 3 und 4)",
        "Objekt 4, Spalte „EWZ“: Einwohnerzahl „2.5“ ist keine ganze Zahl ≥ 0",
        "Objekt 4: Geometrie ist keine Fläche, sondern Point",
    ]
    assert str(info.value) == f"{texts[0]} (und 7 weitere Probleme)"


def test_error_summary_singular():
    err = AreaFileError([Problem(1, "AGS", "a"), Problem(2, "AGS", "b")])
    assert str(err) == "Objekt 1, Spalte „AGS“: a (und 1 weiteres Problem)"
    assert str(Problem(None, "AGS", "Datei kaputt")) == "Datei kaputt"
    assert str(Problem(4, "GEN", "Name fehlt", "Zeile")) == "Zeile 4, Spalte „GEN“: Name fehlt"


def test_missing_key_column_lists_columns(tmp_path):
    path = _write_geojson(tmp_path / "a.geojson", [({"nr": "1", "GEN": "A"}, _square(0))])
    with pytest.raises(AreaFileError) as info:
        read_area_file(path)
    [problem] = info.value.problems
    assert problem.number is None
    assert "Schlüssel" in problem.reason and "„AGS“" in problem.reason
    assert "„nr“, „GEN“" in problem.reason


def test_explicit_field_map(tmp_path):
    path = _write_geojson(
        tmp_path / "a.geojson", [({"nr": "0815", "titel": "A", "GEN": "x"}, _square(0))]
    )
    [record] = read_area_file(path, FieldMap(key="NR", name="titel"))
    assert (record.key, record.name, record.population) == ("0815", "A", None)
    with pytest.raises(AreaFileError, match="„ewz_2024“"):
        read_area_file(path, FieldMap(key="nr", population="ewz_2024"))


def test_broken_json(tmp_path):
    path = tmp_path / "kaputt.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(AreaFileError, match="kaputt.geojson“ lässt sich nicht") as info:
        read_area_file(path)
    assert "\n" not in str(info.value)


def test_missing_file_and_unknown_suffix(tmp_path):
    with pytest.raises(AreaFileError, match="nicht gefunden"):
        read_area_file(tmp_path / "fehlt.geojson")
    with pytest.raises(AreaFileError, match="nicht gefunden"):
        read_area_file(tmp_path / "fehlt.csv")
    (tmp_path / "a.xlsx").write_bytes(b"x")
    with pytest.raises(AreaFileError, match="„.xlsx“ wird nicht unterstützt"):
        read_area_file(tmp_path / "a.xlsx")


def _to_utm(geom):
    transformer = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)
    return shapely.transform(geom, lambda c: np.column_stack(transformer.transform(*c.T)))


@pytest.mark.parametrize(("suffix", "driver"), [(".gpkg", "GPKG"), (".shp", "ESRI Shapefile")])
def test_projected_file_is_reprojected(tmp_path, suffix, driver):
    lonlat = [box(11.70, 50.68, 11.72, 50.70), box(11.72, 50.68, 11.74, 50.70)]
    path = tmp_path / f"utm{suffix}"
    pyogrio.raw.write(
        path,
        shapely.to_wkb(_to_utm(np.array(lonlat, dtype=object))),
        field_data=[np.array([16075085, 16075129]), np.array(["Pößneck", "Krölpa"], dtype=object)],
        fields=["AGS", "GEN"],
        geometry_type="Polygon",
        crs="EPSG:25832",
        driver=driver,
    )
    records = read_area_file(path)
    assert [(r.key, r.name) for r in records] == [("16075085", "Pößneck"), ("16075129", "Krölpa")]
    for record, original in zip(records, lonlat, strict=True):
        # Compare in metres: the round trip must land within 1 m of the original corners.
        distance = shapely.hausdorff_distance(_to_utm(record.geometry), _to_utm(original))
        assert distance < 1.0


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_shapefile_without_crs(tmp_path):
    path = tmp_path / "ohne.shp"
    pyogrio.raw.write(
        path,
        shapely.to_wkb(np.array([box(700000, 5620000, 701000, 5621000)], dtype=object)),
        field_data=[np.array(["1"], dtype=object), np.array(["A"], dtype=object)],
        fields=["AGS", "GEN"],
        geometry_type="Polygon",
        crs=None,
        driver="ESRI Shapefile",
    )
    with pytest.raises(AreaFileError, match="kein Koordinatensystem"):
        read_area_file(path)
    [record] = read_area_file(path, source_crs="EPSG:25832")
    assert 11.0 < record.geometry.centroid.x < 12.0
    assert 50.0 < record.geometry.centroid.y < 51.0
    with pytest.raises(AreaFileError, match="„EPSG:999999“ ist unbekannt"):
        read_area_file(path, source_crs="EPSG:999999")


def test_csv_with_semicolon_and_bom(tmp_path):
    path = tmp_path / "liste.csv"
    text = "Schluessel;Gemeinde;Einwohner\n16075085;Pößneck;11.858\n\n016075;Kreis;\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    records = read_area_file(path)
    assert records == [
        AreaRecord(2, "16075085", "Pößneck", population=11858),
        AreaRecord(4, "016075", "Kreis"),
    ]


def test_csv_problems_use_line_numbers(tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text("AGS,GEN,EWZ\n1,A,10\n1,,x\n", encoding="utf-8")
    with pytest.raises(AreaFileError) as info:
        read_area_file(path)
    assert [str(p) for p in info.value.problems] == [
        "Zeile 3, Spalte „AGS“: Schlüssel „1“ kommt doppelt vor (Zeile 2 und 3)",
        "Zeile 3, Spalte „GEN“: Name fehlt",
        "Zeile 3, Spalte „EWZ“: Einwohnerzahl „x“ ist keine ganze Zahl ≥ 0",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, 12),
        (np.int32(7), 7),
        (12.0, 12),
        ("1.234", 1234),
        ("1234", 1234),
        (" 5 ", 5),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_parse_count(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize("value", [-1, 1.5, "1,5", "12.34", "abc", True])
def test_parse_count_rejects(value):
    with pytest.raises(ValueError):
        parse_count(value)


def test_keys_of_the_wrong_length_for_the_level_are_named(tmp_path):
    path = _write_geojson(
        tmp_path / "laengen.geojson",
        [
            ({"AGS": "16075085", "GEN": "Pößneck"}, _square(0)),
            ({"AGS": "160", "GEN": "Kurz"}, _square(1)),
        ],
    )
    assert len(read_area_file(path)) == 2  # no length rule unless the level has one
    with pytest.raises(AreaFileError) as error:
        read_area_file(path, key_length=8)
    [problem] = error.value.problems
    assert (problem.number, problem.column) == (2, "AGS")
    assert "8 Stellen" in problem.reason
