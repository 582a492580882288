"""axe-core audit of the public pages: no serious or critical WCAG 2.1 A/AA finding."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

WCAG_21_AA = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
PUBLIC_PAGES = [
    "/monitoring/",
    "/monitoring/sgb2_unemployment_density/?jahr=2011",
    "/monitoring/sgb2_unemployment_density/herkunft/16075136/2011/",
    "/",
    "/karte/",
    "/gebiet/16075085/",
    "/gebiet/160755005/",
    "/gebiet/16075002/",
    "/anmelden/",
    "/gibt-es-nicht/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_the_page_has_no_serious_accessibility_finding(site, page, path):
    page.goto(site + path)
    page.wait_for_load_state("networkidle")
    violations = Axe().run(page, options=WCAG_21_AA).response["violations"]
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
