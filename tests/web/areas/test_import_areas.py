"""The area import service: validated, all-or-nothing, idempotent, and it finds parents."""

import datetime as dt
import json

import pytest

from sozialplanung.demo.loader import DATA
from sozialplanung.io.area_files import AreaFileError
from sozialplanung.web.areas import services
from sozialplanung.web.areas.models import Area, AreaImport, Level, Neighbourship

pytestmark = pytest.mark.django_db
VINTAGE = dt.date(2024, 1, 1)


def snapshot() -> list[tuple]:
    return list(
        Area.objects.order_by("pk").values_list(
            "pk", "level", "key", "name", "geometry", "population", "valid_from", "valid_to"
        )
    )


def write_geojson(path, features) -> None:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))


def square(x: float, y: float, size: float = 0.01) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(key: str, name: str, geometry: dict, population: int = 100) -> dict:
    props = {"AGS": key, "GEN": name, "EWZ": population}
    return {"type": "Feature", "properties": props, "geometry": geometry}


def test_the_demo_holds_the_real_county():
    current = Area.objects.filter(level=Level.MUNICIPALITY).valid_on(VINTAGE)
    assert current.count() == 59
    assert sum(current.values_list("population", flat=True)) == 78619
    assert (
        Area.objects.filter(level=Level.MUNICIPALITY).valid_on(dt.date(2016, 12, 31)).count() == 72
    )
    poessneck = current.get(key="16075085")
    assert poessneck.area_km2 == pytest.approx(24.3, abs=0.5)


def test_neighbours_are_stored_once_per_direction():
    current = Area.objects.filter(level=Level.MUNICIPALITY).valid_on(VINTAGE)
    links = Neighbourship.objects.filter(area__in=current)
    assert links.count() % 2 == 0
    pairs = {(link.area_id, link.neighbour_id) for link in links}
    assert all((b, a) in pairs for a, b in pairs)
    assert current.filter(neighbour_links__isnull=False).distinct().count() == 59


def test_a_second_import_of_the_same_file_updates_in_place():
    before = snapshot()
    batch = services.import_area_file(
        DATA / "gemeinden_vg250ew_2024.geojson",
        level=Level.MUNICIPALITY,
        vintage=VINTAGE,
        valid_from=dt.date(2019, 1, 1),
    )
    assert (batch.created_count, batch.updated_count) == (0, 59)
    assert [row[:4] for row in snapshot()] == [row[:4] for row in before]


def test_a_broken_geometry_rejects_the_whole_file(tmp_path):
    path = tmp_path / "kaputt.geojson"
    bow_tie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    write_geojson(
        path,
        [feature("16075999", "Gut", square(11.5, 50.5)), feature("16075998", "Schlecht", bow_tie)],
    )
    before, imports = snapshot(), AreaImport.objects.count()
    with pytest.raises(AreaFileError) as error:
        services.import_area_file(path, level=Level.MUNICIPALITY, vintage=VINTAGE)
    assert "Objekt 2" in str(error.value)
    assert snapshot() == before
    assert AreaImport.objects.count() == imports


def test_a_key_of_the_wrong_length_is_named_with_its_feature(tmp_path):
    path = tmp_path / "falsch.geojson"
    write_geojson(path, [feature("1607", "Zu kurz", square(11.5, 50.5))])
    with pytest.raises(AreaFileError) as error:
        services.import_area_file(path, level=Level.MUNICIPALITY, vintage=VINTAGE)
    assert error.value.problems[0].number == 1
    assert "8 Stellen" in str(error.value)


def test_a_key_valid_in_an_overlapping_period_is_refused(tmp_path):
    path = tmp_path / "doppelt.geojson"
    write_geojson(path, [feature("16075085", "Pößneck", square(11.5, 50.5))])
    with pytest.raises(AreaFileError, match="überschneiden"):
        services.import_area_file(
            path,
            level=Level.MUNICIPALITY,
            vintage=dt.date(2023, 1, 1),
            valid_from=dt.date(2023, 1, 1),
        )


def test_a_failure_while_writing_rolls_everything_back(tmp_path, monkeypatch):
    path = tmp_path / "neu.geojson"
    write_geojson(path, [feature("16075997", "Neu", square(11.5, 50.5))])

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "refresh_neighbours", explode)
    before = snapshot()
    with pytest.raises(RuntimeError):
        services.import_area_file(path, level=Level.MUNICIPALITY, vintage=dt.date(2030, 1, 1))
    assert snapshot() == before


def test_parents_are_found_by_key_prefix(tmp_path):
    path = tmp_path / "zukunft.geojson"
    write_geojson(path, [feature("16075996", "Neudorf", square(11.5, 50.5))])
    services.import_area_file(
        path, level=Level.MUNICIPALITY, vintage=dt.date(2030, 1, 1), valid_from=dt.date(2030, 1, 1)
    )
    area = Area.objects.get(key="16075996")
    assert area.parent.name == "Saale-Orla-Kreis"
    assert area.area_km2 == pytest.approx(0.79, abs=0.05)  # 0.01° square at 50.5° N
