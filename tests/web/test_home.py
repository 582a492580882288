import pytest

pytestmark = pytest.mark.django_db


def test_it_shows_the_county_in_german(anonymous_client):
    page = anonymous_client.get("/").content.decode()
    assert "<h1>Sozialplanung — Saale-Orla-Kreis</h1>" in page
    assert 'lang="de"' in page
    assert "Kennzahlen" in page


def test_it_shows_real_key_figures_in_german_number_format(anonymous_client):
    figures = anonymous_client.get("/").context["figures"]
    assert figures["municipalities"] == 59
    assert figures["towns"] == 12
    assert figures["associations"] == 5
    page = anonymous_client.get("/").content.decode()
    assert "78.619" in page  # county population, VG250-EW
    assert "1.152 km²" in page


def test_it_credits_the_data_sources_in_the_footer(anonymous_client):
    page = anonymous_client.get("/").content.decode()
    assert "© GeoBasis-DE / BKG 2024 (Daten verändert)" in page
    assert 'href="https://www.govdata.de/dl-de/by-2-0"' in page


def test_it_offers_a_skip_link_and_landmarks(anonymous_client):
    page = anonymous_client.get("/").content.decode()
    assert 'href="#main"' in page
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in page


def test_it_speaks_english_when_the_browser_asks(anonymous_client):
    page = anonymous_client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Social planning — Saale-Orla-Kreis" in page
    assert "78,619" in page
