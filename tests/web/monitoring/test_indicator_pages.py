"""Indicator pages, provenance and exports as visitors and planners see them."""

import csv
import io
import json

import pyogrio
import pytest
from openpyxl import load_workbook

from sozialplanung.web.monitoring.models import Indicator, Variable

pytestmark = pytest.mark.django_db
URL = "/monitoring/sgb2_unemployment_density/"


def test_the_overview_groups_indicators_by_topic(anonymous_client):
    page = anonymous_client.get("/monitoring/").content.decode()
    assert "Arbeit und Einkommen" in page
    assert "SGB-II-Arbeitslose je 100 Einwohner" in page


def test_the_indicator_page_shows_map_ranking_and_sources(anonymous_client):
    response = anonymous_client.get(URL + "?jahr=2011")
    page = response.content.decode()
    assert response.context["view"].year == 2011
    assert "Statistik der Bundesagentur für Arbeit" in page
    assert page.count('class="badge"') == 0  # no example data behind this indicator
    assert "Rangfolge" in page


def test_a_visitor_never_sees_a_small_count(anonymous_client):
    rows = anonymous_client.get(URL + "?jahr=2011").context["view"].rows
    assert any(r.hidden for r in rows)
    assert all(r.numerator is None or not 0 < r.numerator < 3 for r in rows)


def test_a_planner_sees_the_raw_figures(planner_client):
    rows = planner_client.get(URL + "?jahr=2011").context["view"].rows
    assert not any(r.hidden for r in rows)


def test_the_provenance_names_file_checksum_and_conversion(anonymous_client):
    page = anonymous_client.get(URL + "herkunft/16075136/2011/").content.decode()
    assert "arbeitslose_ba_2009_2015.csv" in page
    assert "bevoelkerung_gv_2009_2021.csv" in page
    assert "Birkenhügel" in page  # one of the seven merged municipalities


def test_the_csv_export_carries_source_lines_and_hides_small_counts(client):
    content = client.get(URL + "export.csv?jahr=2011").content.decode("utf-8-sig")
    lines = content.splitlines()
    assert lines[0].startswith("# SGB-II-Arbeitslose je 100 Einwohner (2011)")
    assert any(line.startswith("# Quelle: Statistik der Bundesagentur") for line in lines)
    rows = list(
        csv.DictReader(
            io.StringIO("\n".join(line for line in lines if not line.startswith("#"))),
            delimiter=";",
        )
    )
    assert len(rows) == 60  # 59 municipalities and the county
    counts = [float(r["Zähler"].replace(",", ".")) for r in rows if r["Zähler"]]
    assert all(not 0 < c < 3 for c in counts)
    assert any(r["Hinweis"].startswith("gesperrt") for r in rows)


def test_the_xlsx_export_has_data_and_sources(client):
    response = client.get(URL + "export.xlsx?jahr=2011")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Daten", "Quellen"]
    assert book["Daten"].max_row == 61


def test_the_geojson_export_is_a_feature_collection_with_sources(client):
    data = json.loads(client.get(URL + "export.geojson?jahr=2011").content)
    assert len(data["features"]) == 59
    assert any("Bundesagentur" in line for line in data["quellen"])


def test_the_geopackage_export_opens_with_gdal(client, tmp_path):
    path = tmp_path / "export.gpkg"
    path.write_bytes(client.get(URL + "export.gpkg?jahr=2011").content)
    meta, _fids, geometries, fields = pyogrio.raw.read(path)
    assert len(geometries) == 59
    assert "wert" in meta["fields"]


def test_an_unknown_export_format_is_404(client):
    assert client.get(URL + "export.docx").status_code == 404


def test_an_indicator_without_data_says_so(anonymous_client):
    variable = Variable.objects.create(
        code="debt_counselling_cases", name="Schuldnerberatungsfälle"
    )
    Indicator.objects.create(
        code="debt_counselling",
        name="Schuldnerberatung",
        topic="work_income",
        numerator=variable,
        definition="Fälle der Schuldnerberatung.",
        source="Kreisverwaltung",
    )
    response = anonymous_client.get("/monitoring/debt_counselling/")
    assert response.status_code == 404
    assert "keine Zahlen" in response.content.decode()


def test_every_figure_on_the_page_links_to_its_origin(anonymous_client):
    response = anonymous_client.get(URL + "?jahr=2011")
    page = response.content.decode()
    view = response.context["view"]
    for row in [*view.rows, view.county]:
        assert f"/herkunft/{row.area.key}/2011/" in page


def test_an_association_value_has_its_origin_too(anonymous_client):
    response = anonymous_client.get(URL + "herkunft/160755005/2011/")
    assert response.status_code == 200
    assert response.context["row"].area.name == "Oppurg"
