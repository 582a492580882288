"""The Elternordner: a PDF from the published offers, for the county or one social space."""

import datetime as dt

import pytest

from sozialplanung.web.areas.selectors import site_county
from sozialplanung.web.directory.folder import folder_document
from sozialplanung.web.directory.models import Service
from sozialplanung.web.reports.services import page_count
from sozialplanung.web.spaces.selectors import space_areas

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 2)


def _space(name: str):
    return next(a for a in space_areas(site_county())[0] if a.name == name)


def test_the_folder_has_a_section_per_life_situation_with_its_offers():
    document = folder_document(site_county(), day=DAY)
    titles = [c.title for c in document.chapters]
    assert titles[:3] == ["Schwangerschaft und Geburt", "Kinderbetreuung", "Schule und Lernen"]
    care = next(c for c in document.chapters if c.title == "Pflege und Alter")
    assert [b.name for b in care.blocks] == [
        "Mobile Sozialberatung im Oberland (Beispiel)",
        "Pflegeberatung für Angehörige (Beispiel)",
        "Seniorentreff mit Mittagstisch (Beispiel)",
    ]
    assert "Öffnungszeiten: Mittwoch: 11:30–14:00 Uhr" in care.blocks[2].points
    assert document.notice  # example entries are marked


def test_a_social_space_edition_keeps_only_offers_with_a_place_there():
    document = folder_document(site_county(), day=DAY, space=_space("Sozialraum Bad Lobenstein"))
    names = {b.name for c in document.chapters for b in c.blocks}
    assert "Trennungs- und Scheidungsberatung (Beispiel)" in names
    assert "Deutschkurs mit Kinderbetreuung (Beispiel)" not in names  # only in Pößneck
    assert "Sozialraum Bad Lobenstein" in document.subtitle


def test_unpublished_offers_are_left_out():
    Service.objects.filter(name="Jugendclub").update(is_public=False)
    document = folder_document(site_county(), day=DAY)
    assert "Jugendclub (Beispiel)" not in {b.name for c in document.chapters for b in c.blocks}


def test_anyone_downloads_the_folder_as_a_pdf(anonymous_client):
    response = anonymous_client.get("/angebote/elternordner.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and page_count(response.content) >= 10
    key = _space("Sozialraum Pößneck").key
    edition = anonymous_client.get(f"/angebote/elternordner.pdf?sozialraum={key}")
    assert (
        edition.status_code == 200 and f"elternordner-{key}.pdf" in edition["Content-Disposition"]
    )
    assert anonymous_client.get("/angebote/elternordner.pdf?sozialraum=x").status_code == 404
