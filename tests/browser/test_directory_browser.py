"""The public search for support offers: accessible (axe) and usable by keyboard alone."""

import pytest
from tests.browser.conftest import log_in
from tests.browser.test_accessibility import serious_findings

from sozialplanung.web.directory.models import Service

pytestmark = pytest.mark.browser


def _tab_to(page, predicate: str, limit: int = 80) -> None:
    """Press Tab until the focused element satisfies the JavaScript predicate ``el => …``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"({predicate})(document.activeElement)"):
            return
    raise AssertionError(f"never reached by Tab: {predicate}")


def test_the_directory_pages_have_no_serious_accessibility_finding(site, page):
    service = Service.objects.get(name="Erziehungsberatung")
    findings = {}
    for width, path in [
        (1280, "/angebote/"),
        (1280, "/angebote/?q=Beratung&ort=16075085&umkreis=20&kostenlos=on"),
        (1280, "/angebote/?q=gibtesnicht"),
        (1280, f"/angebote/{service.hsds_id}/"),
        (390, "/angebote/?lebenslage=beratung"),
    ]:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(site + path)
        found = serious_findings(page)
        if found:
            findings[f"{width}px {path}"] = found
    assert findings == {}


def test_a_family_searches_and_opens_an_offer_with_the_keyboard_alone(site, page):
    page.goto(site + "/angebote/")
    _tab_to(page, "el => el.id === 'id_q'")
    page.keyboard.type("Schulden")
    _tab_to(page, "el => el.type === 'checkbox' && el.value === 'geld-leistungen'")
    page.keyboard.press("Space")
    assert page.is_checked("input[value='geld-leistungen']")
    _tab_to(page, "el => el.tagName === 'BUTTON' && el.textContent.includes('Angebote anzeigen')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/angebote/?**")
    assert "1 Angebot gefunden." in page.inner_text(".result-count")
    _tab_to(page, "el => el.closest && el.closest('.result') && el.tagName === 'A'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/angebote/*/")
    assert page.inner_text("h1") == "Schuldner- und Insolvenzberatung"


def test_the_providers_and_planners_directory_pages_have_no_serious_finding(site, page):
    service = Service.objects.get(name="Eltern-Kind-Treff")
    log_in(page, site, "/angebote-pflegen/", username="traeger")
    findings = {}
    for path in ["/angebote-pflegen/", f"/angebote-pflegen/{service.hsds_id}/"]:
        page.goto(site + path)
        if found := serious_findings(page):
            findings[path] = found
    # A proposal, so the planner's review page has something to show.
    page.get_by_label("Beschreibung").fill("Neu: auch donnerstags.")
    page.get_by_role("button", name="Zur Prüfung senden").click()
    page.get_by_role("button", name="Abmelden").click()
    log_in(page, site, "/planung/angebote/pruefen/")
    assert "Neu: auch donnerstags." in page.content()
    for path in [
        "/planung/angebote/pruefen/",
        "/planung/angebote/",
        "/planung/angebote/versorgung/",
    ]:
        page.goto(site + path)
        if found := serious_findings(page):
            findings[path] = found
    assert findings == {}
