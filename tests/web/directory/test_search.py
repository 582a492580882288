"""The public search: words with German stemming, filters, distance, and the detail page."""

import pytest

from sozialplanung.web.directory import fulltext
from sozialplanung.web.directory.models import Location, Service, ServiceAtLocation
from sozialplanung.web.directory.search import Filters, km_from, search

pytestmark = pytest.mark.django_db

POESSNECK = "16075085"


def _names(response) -> list[str]:
    return [row["service"].name for row in response.context["rows"]]


def test_the_search_page_is_public_and_lists_every_published_offer(anonymous_client):
    response = anonymous_client.get("/angebote/")
    assert response.status_code == 200
    assert response.context["result"].total == Service.objects.filter(is_public=True).count() == 21


def test_a_word_finds_its_inflected_forms_through_the_german_stemmer(anonymous_client):
    # "Schulden" (plural) finds "Schuldner- und Insolvenzberatung … Hilfe bei Schulden".
    assert _names(anonymous_client.get("/angebote/?q=Schulden")) == [
        "Schuldner- und Insolvenzberatung"
    ]
    # Stems fold inflection: "Pflegeberatungen" finds "Pflegeberatung für Angehörige".
    assert "Pflegeberatung für Angehörige" in _names(
        anonymous_client.get("/angebote/?q=Pflegeberatungen")
    )


def test_the_stemmer_folds_umlauts_and_endings():
    assert fulltext.stem("Beratungen für Mütter") == fulltext.stem("Beratung fur Mutter")


def test_a_life_situation_and_free_of_charge_narrow_the_list(anonymous_client):
    response = anonymous_client.get("/angebote/?lebenslage=pflege-alter&kostenlos=on")
    assert _names(response) == [
        "Mobile Sozialberatung im Oberland",
        "Pflegeberatung für Angehörige",
    ]


def test_the_age_keeps_only_offers_for_that_age(anonymous_client):
    names = _names(anonymous_client.get("/angebote/?alter=2&lebenslage=freizeit"))
    # The youth club (12 to 21) drops out; an offer without an age limit stays.
    assert names == ["Beratung zu Bildung und Teilhabe", "Eltern-Kind-Treff"]


def test_a_language_filter_finds_offers_in_that_language(anonymous_client):
    names = _names(anonymous_client.get("/angebote/?sprache=Dari"))
    assert names == ["Deutschkurs mit Kinderbetreuung"]


def test_nearest_first_within_the_radius(anonymous_client):
    response = anonymous_client.get(f"/angebote/?ort={POESSNECK}&umkreis=5")
    rows = response.context["rows"]
    distances = [float(r["away"].split()[0].replace(",", ".")) for r in rows]
    assert all(r["away"].endswith(" km entfernt") for r in rows)
    assert distances == sorted(distances) and max(distances) <= 5
    assert "Kreiskrankenhaus Schleiz GmbH" not in _names(response)  # about 15 km away


def test_the_database_gives_the_great_circle_distance_between_poessneck_and_schleiz():
    schleiz = Location.objects.create(hsds_id="schleiz", name="Schleiz", latitude=50.5767,
                                      longitude=11.8172)  # fmt: skip
    service = Service.objects.get(name="Erziehungsberatung")
    ServiceAtLocation.objects.create(hsds_id="sal-schleiz", service=service, location=schleiz)
    [km] = (
        ServiceAtLocation.objects.filter(location=schleiz)
        .annotate(km=km_from((50.6982, 11.5904)))
        .values_list("km", flat=True)
    )
    assert km == pytest.approx(20.6, abs=0.5)


def test_unpublished_or_inactive_offers_are_never_found(anonymous_client):
    hidden = Service.objects.get(name="Jugendclub")
    hidden.is_public = False
    hidden.save()
    closed = Service.objects.get(name="Eltern-Kind-Treff")
    closed.status = Service.Status.DEFUNCT
    closed.save()
    result = search(Filters())
    names = [s.name for s in result.page.object_list] + [
        s.name for p in range(2, result.page.paginator.num_pages + 1)
        for s in search(Filters(), p).page.object_list
    ]  # fmt: skip
    assert "Jugendclub" not in names and "Eltern-Kind-Treff" not in names
    assert anonymous_client.get(f"/angebote/{hidden.hsds_id}/").status_code == 404


def test_a_bad_age_is_a_form_error_and_the_list_stays_whole(anonymous_client):
    response = anonymous_client.get("/angebote/?alter=-3")
    assert response.status_code == 200
    assert response.context["form"].errors["alter"]
    assert response.context["result"].total == 21


def test_the_detail_page_shows_hours_address_and_example_marking(anonymous_client):
    service = Service.objects.get(name="Erziehungsberatung")
    page = anonymous_client.get(f"/angebote/{service.hsds_id}/").content.decode()
    assert "Montag, Dienstag, Mittwoch, Donnerstag, Freitag: 8:00–16:00 Uhr" in page
    assert "Beispielstraße 1" in page and "Bad Lobenstein" in page


def test_the_real_hospitals_carry_their_public_address_and_no_example_mark(anonymous_client):
    service = Service.objects.get(name="Kreiskrankenhaus Schleiz GmbH")
    assert not service.is_example
    page = anonymous_client.get(f"/angebote/{service.hsds_id}/").content.decode()
    assert "Berthold-Schmidt-Straße 7-9" in page and "07907 Schleiz" in page


def test_pages_carry_the_total_and_a_page_past_the_end_shows_the_last(anonymous_client):
    first, second = search(Filters(), 1), search(Filters(), 2)
    assert first.total == second.total == 21 and first.page.paginator.num_pages == 2
    assert len(first.page.object_list) == 20 and len(second.page.object_list) == 1
    beyond = search(Filters(), 99)
    assert beyond.page.number == 2 and beyond.page.object_list == second.page.object_list
    assert search(Filters(), "zwei").page.number == 1
    assert search(Filters(), "-3").page.number == 1
    nothing = search(Filters(text="Quantenchromodynamik"), 3)
    assert nothing.total == 0 and nothing.page.object_list == []


def test_a_result_line_shows_towns_life_situations_and_access(anonymous_client):
    rows = anonymous_client.get("/angebote/?sprache=Dari").context["rows"]
    [row] = rows
    service = row["service"]
    towns = {a.city for at in service.at_locations.all() for a in at.location.addresses.all()}
    assert row["places"] == ", ".join(sorted(towns)) and towns
    assert row["terms"] == [t.name for t in service.terms.order_by("position", "name")]
    assert row["accessible"] == any(
        at.location.accessibility.exists() for at in service.at_locations.all()
    )


def test_the_form_shows_the_chosen_filters_again(anonymous_client):
    page = anonymous_client.get(
        f"/angebote/?ort={POESSNECK}&umkreis=10&lebenslage=pflege-alter&kostenlos=on&sprache=Dari"
    ).content.decode()
    assert f'<option value="{POESSNECK}" selected>Pößneck</option>' in page
    assert '<option value="10" selected>10 km</option>' in page
    assert '<option value="Dari" selected>Dari</option>' in page
    assert 'value="pflege-alter" id="id_lebenslage_' in page
    assert page.count(" checked>") == 2  # the life situation and "free of charge"
    assert '<select name="ort" id="id_ort">' in page
