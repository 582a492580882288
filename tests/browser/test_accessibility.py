"""axe-core audit of the public pages: no serious or critical WCAG 2.1 A/AA finding."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from tests.browser.conftest import log_in

from sozialplanung.web.areas.models import Area, Level

pytestmark = pytest.mark.browser

WCAG_21_AA = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
PUBLIC_PAGES = [
    "/",
    "/karte/",
    "/gebiet/16075085/",
    "/gebiet/160755005/",
    "/gebiet/16075002/",
    "/monitoring/",
    "/monitoring/sgb2_unemployment_density/?jahr=2011",
    "/monitoring/unemployment_rate/",
    "/monitoring/child_poverty/gebiet/16075085/",
    "/monitoring/profil/16075085/",
    "/monitoring/thema/work_income/",
    "/monitoring/sgb2_unemployment_density/?jahr=2011&ebene=verwaltungsgemeinschaften",
    "/monitoring/sgb2_unemployment_density/?jahr=2011&ebene=sozialraeume",
    "/monitoring/sgb2_unemployment_density/herkunft/16075136/2011/",
    "/anmelden/",
    "/gibt-es-nicht/",
]


def serious_findings(page) -> list[str]:
    page.wait_for_load_state("networkidle")
    violations = Axe().run(page, options=WCAG_21_AA).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def test_the_public_pages_have_no_serious_accessibility_finding(site, page):
    # One test for all pages: each browser test reloads the demo after the database is emptied.
    findings = {}
    space = Area.objects.filter(level=Level.SOCIAL_SPACE).current().first()  # key has a scheme id
    for path in [*PUBLIC_PAGES, f"/gebiet/{space.key}/"]:
        page.goto(site + path)
        found = serious_findings(page)
        if found:
            findings[path] = found
    assert findings == {}


REPORT_PAGES = [
    "/planung/berichte/",
    "/planung/berichte/texte/",
    "/planung/berichte/ansicht/thema/work_income/",
    "/planung/berichte/ansicht/profil/16075085/",
]


def test_the_report_pages_have_no_serious_accessibility_finding(site, page):
    log_in(page, site, "/planung/berichte/")
    findings = {}
    for path in REPORT_PAGES:
        page.goto(site + path)
        found = serious_findings(page)
        if found:
            findings[path] = found
    assert findings == {}


def test_the_strategy_pages_have_no_serious_accessibility_finding(site, page):
    from sozialplanung.web.strategy.models import Measure, Strategy

    first = Strategy.objects.order_by("version").first()
    revision = Strategy.objects.order_by("version").last()
    measure = first.measures.order_by("number").first()
    paths = [
        "/planung/strategie/",
        *(
            f"/planung/strategie/{first.pk}/{view}"
            for view in ("", "ziele/", "zeitplan/", "budget/", "prioritaeten/", "verlauf/")
        ),
        f"/planung/strategie/{revision.pk}/vergleich/",
        f"/planung/strategie/{revision.pk}/massnahme/neu/",
        f"/planung/strategie/massnahme/{measure.pk}/",
    ]
    assert Measure.objects.exists()
    log_in(page, site, "/planung/strategie/")
    findings = {}
    for path in paths:
        page.goto(site + path)
        found = serious_findings(page)
        if found:
            findings[path] = found
    assert findings == {}
