import pytest

pytestmark = pytest.mark.django_db


def test_the_table_lists_every_current_municipality(anonymous_client):
    response = anonymous_client.get("/karte/")
    assert len(response.context["areas"]) == 59
    assert "59 Gemeinden im Saale-Orla-Kreis" in response.content.decode()


def test_the_table_sorts_by_population_descending(anonymous_client):
    areas = list(anonymous_client.get("/karte/?sort=population&dir=desc").context["areas"])
    assert areas[0].name == "Pößneck"
    assert [a.population for a in areas] == sorted((a.population for a in areas), reverse=True)


def test_the_sorted_column_is_announced_to_screen_readers(anonymous_client):
    page = anonymous_client.get("/karte/?sort=area").content.decode()
    assert 'aria-sort="ascending"' in page


def test_an_unknown_sort_key_falls_back_to_names(anonymous_client):
    default = [a.name for a in anonymous_client.get("/karte/").context["areas"]]
    assert [
        a.name for a in anonymous_client.get("/karte/?sort=drop_table").context["areas"]
    ] == default


def test_names_follow_german_alphabetical_order(anonymous_client):
    names = [a.name for a in anonymous_client.get("/karte/").context["areas"]]
    assert names.index("Döbritz") < names.index("Dreitzsch")  # ö sorts as o (DIN 5007-1)
    assert names.index("Pößneck") < names.index("Quaschwitz")
    assert names[0] == "Bad Lobenstein"


def test_the_table_sorts_by_density(anonymous_client):
    areas = list(anonymous_client.get("/karte/?sort=density&dir=desc").context["areas"])
    assert areas[0].name == "Pößneck"
    densities = [a.density_value for a in areas]
    assert densities == sorted(densities, reverse=True)


def test_the_legend_has_five_density_classes_covering_all_municipalities(anonymous_client):
    legend = anonymous_client.get("/karte/").context["legend"]
    assert len(legend) == 5
    features = anonymous_client.get("/karte/gemeinden.geojson").json()["features"]
    colours = [f["properties"]["fill"] for f in features]
    assert set(colours) == {row["colour"] for row in legend}
    poessneck = next(f for f in features if f["properties"]["name"] == "Pößneck")
    assert poessneck["properties"]["fill"] == legend[-1]["colour"]  # densest class


def test_the_geojson_has_one_feature_per_municipality(anonymous_client):
    data = anonymous_client.get("/karte/gemeinden.geojson").json()
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 59
    poessneck = next(f for f in data["features"] if f["properties"]["key"] == "16075085")
    assert poessneck["properties"]["name"] == "Pößneck"
    assert poessneck["properties"]["population"] > 10000
    assert poessneck["properties"]["url"] == "/gebiet/16075085/"
    assert poessneck["geometry"]["type"] == "MultiPolygon"
