import pytest

pytestmark = pytest.mark.django_db


def test_a_municipality_page_shows_figures_parents_and_neighbours(anonymous_client):
    response = anonymous_client.get("/gebiet/16075085/")
    page = response.content.decode()
    assert "<h1>Pößneck</h1>" in page
    assert [a.name for a in response.context["ancestors"]] == ["Saale-Orla-Kreis", "Thüringen"]
    neighbours = {a.name for a in response.context["neighbours"]}
    assert {"Krölpa", "Ranis", "Oppurg"} <= neighbours
    assert "Schleiz" not in neighbours


def test_a_member_of_an_association_names_it_as_parent(anonymous_client):
    response = anonymous_client.get("/gebiet/16075006/")  # Bodelwitz, VG Oppurg
    ancestors = [(a.level, a.name) for a in response.context["ancestors"]]
    assert ancestors == [
        ("association", "Oppurg"),
        ("county", "Saale-Orla-Kreis"),
        ("state", "Thüringen"),
    ]


def test_an_association_lists_its_members_and_has_a_derived_boundary(anonymous_client):
    response = anonymous_client.get("/gebiet/160755005/")
    area = response.context["area"]
    assert area.name == "Oppurg"
    assert len(response.context["members"]) == 13
    assert area.geometry_derived
    assert area.population == sum(m.population for m in response.context["members"])


def test_a_merged_municipality_says_where_it_went(anonymous_client):
    response = anonymous_client.get("/gebiet/16075002/")  # Birkenhügel, merged in 2019
    page = response.content.decode()
    assert not response.context["is_current"]
    assert "Rosenthal am Rennsteig" in page
    assert "31. Dezember 2018" in page


def test_the_new_municipality_names_what_it_was_formed_from(anonymous_client):
    response = anonymous_client.get("/gebiet/16075136/")
    assert len(response.context["predecessors"]) == 7


def test_an_unknown_key_gives_a_german_404(anonymous_client):
    response = anonymous_client.get("/gebiet/99999999/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()


def test_the_small_map_shows_the_area_and_its_neighbours(anonymous_client):
    data = anonymous_client.get("/gebiet/16075085/karte.geojson").json()
    highlighted = [
        f["properties"]["name"] for f in data["features"] if f["properties"]["highlight"]
    ]
    assert highlighted == ["Pößneck"]
    assert len(data["features"]) == 1 + 7
