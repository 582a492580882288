"""Planners import area files through the web page; a faulty file is listed and changes nothing."""

import io
import json
import zipfile

import numpy as np
import pyogrio
import pytest
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile
from shapely.geometry import box

from sozialplanung.web.areas.models import Area, AreaImport

pytestmark = pytest.mark.django_db
URL = "/planung/gebiete/import/"


def geojson_upload(features: list[dict], name: str = "gemeinden.geojson") -> SimpleUploadedFile:
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    return SimpleUploadedFile(name, data, content_type="application/geo+json")


def square_feature(key: str, name: str, x: float) -> dict:
    ring = [[x, 50.5], [x + 0.01, 50.5], [x + 0.01, 50.51], [x, 50.51], [x, 50.5]]
    return {
        "type": "Feature",
        "properties": {"AGS": key, "GEN": name, "EWZ": 10},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def form(upload, **extra) -> dict:
    return {"file": upload, "level": "municipality", "vintage": "2030-01-01", **extra}


def test_a_planner_imports_a_file(planner_client):
    upload = geojson_upload(
        [square_feature("16075990", "Westdorf", 11.5), square_feature("16075991", "Ostdorf", 11.51)]
    )
    response = planner_client.post(URL, form(upload, attribution="Testquelle"))
    assert response.status_code == 302
    assert response["Location"] == "/planung/gebiete/"
    west = Area.objects.get(key="16075990")
    assert west.parent.key == "16075"
    assert [n.neighbour.name for n in west.neighbour_links.all()] == ["Ostdorf"]
    batch = AreaImport.objects.get(file_name="gemeinden.geojson")
    assert (batch.created_count, batch.attribution) == (2, "Testquelle")
    page = planner_client.get(response["Location"]).content.decode()
    assert "gemeinden.geojson importiert: 2 neue und 0 aktualisierte Gebiete." in page


def test_every_problem_is_listed_and_nothing_is_stored(planner_client):
    broken = square_feature("1607", "Zu kurz", 11.5)
    duplicate = square_feature("16075992", "Doppelt", 11.6)
    before = Area.objects.count()
    response = planner_client.post(URL, form(geojson_upload([broken, duplicate, duplicate])))
    assert response.status_code == 200
    problems = [str(p) for p in response.context["problems"]]
    assert any("Objekt 3" in p for p in problems)  # the duplicate key
    assert any("Objekt 1" in p and "8 Stellen" in p for p in problems)
    assert "Die Datei wurde nicht importiert" in response.content.decode()
    assert Area.objects.count() == before


def test_a_zipped_shapefile_in_utm_is_imported(planner_client, tmp_path):
    folder = tmp_path / "shape"
    folder.mkdir()
    utm = [box(700000, 5600000, 701000, 5601000)]
    pyogrio.raw.write(
        folder / "gemeinden.shp",
        shapely.to_wkb(np.array(utm, dtype=object)),
        field_data=[np.array(["16075993"], dtype=object), np.array(["Rasterdorf"], dtype=object)],
        fields=["AGS", "GEN"],
        geometry_type="Polygon",
        crs="EPSG:25832",
        driver="ESRI Shapefile",
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in folder.iterdir():
            archive.write(part, part.name)
    upload = SimpleUploadedFile("gemeinden.zip", buffer.getvalue(), content_type="application/zip")
    response = planner_client.post(URL, form(upload))
    assert response.status_code == 302
    area = Area.objects.get(key="16075993")
    assert area.area_km2 == pytest.approx(1.0, abs=0.01)  # 1 km × 1 km in UTM


def test_a_leader_may_not_import(leader_client):
    response = leader_client.post(
        URL, form(geojson_upload([square_feature("16075994", "X", 11.5)]))
    )
    assert response.status_code == 403
    assert not Area.objects.filter(key="16075994").exists()
