import xml.etree.ElementTree as ElementTree

import pytest

pytestmark = pytest.mark.django_db


def test_the_series_shows_the_municipality_beside_the_county(client):
    response = client.get("/monitoring/population/gebiet/16075098/")
    points = response.context["points"]
    assert [p.year for p in points] == [2009, 2011, 2014, 2016, 2019, 2021, 2022]
    schleiz_2016 = next(p for p in points if p.year == 2016)
    assert schleiz_2016.area.value > 8000  # Burgk and Crispendorf counted in, as today
    assert schleiz_2016.county.area.name == "Saale-Orla-Kreis"
    chart = response.context["chart"]
    root = ElementTree.fromstring(chart)
    assert root.get("role") == "img"
    assert "2019" in chart and "2.019" not in chart


def test_the_profile_lists_indicators_by_topic(client):
    response = client.get("/monitoring/profil/16075085/")
    topics = dict(response.context["topics"])
    names = [e["indicator"].name for e in topics["Demografie"]]
    assert "Einwohner" in names
    assert any(
        e["indicator"].code == "sgb2_unemployment_density" for e in topics["Arbeit und Einkommen"]
    )


def test_a_county_only_indicator_compares_the_counties(client):
    response = client.get("/monitoring/unemployment_rate/")
    view = response.context["view"]
    assert view.level == "county"
    assert len(view.rows) == 22
    assert "<svg" in response.context["chart"]


def test_the_topic_page_shows_county_values_and_range(client):
    response = client.get("/monitoring/thema/work_income/")
    entries = {e["indicator"].code: e for e in response.context["entries"]}
    density = entries["sgb2_unemployment_density"]
    assert density["lowest"].value <= density["view"].county.value <= density["highest"].value


def test_associations_add_up_their_members(client):
    view = client.get(
        "/monitoring/sgb2_unemployment_density/?jahr=2011&ebene=verwaltungsgemeinschaften"
    ).context["view"]
    assert view.level == "association"
    assert len(view.rows) == 5
    oppurg = next(r for r in view.rows if r.area.name == "Oppurg")
    assert oppurg.value == pytest.approx(100 * oppurg.numerator / oppurg.denominator)


def test_own_class_limits_are_used(client):
    view = client.get(
        "/monitoring/sgb2_unemployment_density/?jahr=2011&klassen=manual&grenzen=1;2,5"
    ).context["view"]
    assert [round(row["upper"], 2) for row in view.legend][:2] == [1.0, 2.5]


def test_the_2014_population_marks_the_census_break(client):
    points = client.get("/monitoring/population/gebiet/16075085/").context["points"]
    assert [p.year for p in points if p.series_break] == [2014]
