"""A visitor opens the overview, finds every municipality on the map and clicks through."""

import re

import pytest
from playwright.sync_api import expect

from sozialplanung.web.areas.models import Area, Level

pytestmark = pytest.mark.browser


def current_municipalities() -> int:
    return Area.objects.filter(level=Level.MUNICIPALITY).current().count()


def test_the_overview_map_draws_every_municipality(site, page):
    page.goto(site + "/")
    expect(page.locator("h1")).to_have_text("Sozialplanung — Saale-Orla-Kreis")
    expect(page.locator(".map[data-loaded]")).to_be_attached()
    assert page.locator("path.area-shape").count() == current_municipalities() == 59


def test_clicking_a_municipality_opens_its_page(site, page):
    page.goto(site + "/")
    page.locator('path.area-shape[data-key="16075085"]').click()
    expect(page).to_have_url(re.compile(r"/gebiet/16075085/$"))
    expect(page.locator("h1")).to_have_text("Pößneck")


def test_hovering_shows_name_and_population_in_german(site, page):
    page.goto(site + "/karte/")
    page.locator('path.area-shape[data-key="16075085"]').hover()
    expect(page.locator(".leaflet-tooltip")).to_contain_text("Pößneck")
    expect(page.locator(".leaflet-tooltip")).to_contain_text("Einwohner: 11.858")


def test_the_map_credits_the_bkg(site, page):
    page.goto(site + "/")
    attribution = page.locator(".leaflet-control-attribution a", has_text="GeoBasis-DE / BKG")
    expect(attribution).to_have_attribute("href", "https://www.govdata.de/dl-de/by-2-0")


def test_the_area_page_draws_the_area_and_its_neighbours(site, page):
    page.goto(site + "/gebiet/16075085/")
    expect(page.locator(".map[data-loaded]")).to_be_attached()
    assert page.locator("path.area-shape").count() == 8


def test_the_skip_link_is_the_first_stop_for_the_keyboard(site, page):
    page.goto(site + "/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_the_table_takes_a_keyboard_user_to_a_municipality(site, page):
    page.goto(site + "/karte/?sort=population&dir=desc")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Pößneck":
            break
    else:
        pytest.fail("Pößneck's link in the table cannot be reached with the Tab key")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/gebiet/16075085/$"))


def test_a_planner_logs_in_and_sees_planning(site, page):
    page.goto(site + "/planung/")
    expect(page).to_have_url(re.compile(r"/anmelden/\?next=/planung/"))
    page.get_by_label("Benutzername").fill("planung")
    page.get_by_label("Passwort").fill("demo")
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile(r"/planung/$"))
    expect(page.locator("h1")).to_contain_text("Planung")
    expect(page.locator("table").first).to_contain_text("Gemeinde")


def test_a_keyboard_user_changes_the_year_of_an_indicator(site, page):
    page.goto(site + "/monitoring/sgb2_unemployment_density/")
    page.keyboard.press("Tab")  # skip link first
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "jahr":
            break
    else:
        pytest.fail("the year selector cannot be reached with the Tab key")
    page.select_option("#jahr", "2011")  # what the arrow keys do on a focused select
    page.keyboard.press("Tab")
    while page.evaluate("document.activeElement.tagName") != "BUTTON":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"jahr=2011"))
    expect(page.locator("h1")).to_contain_text("2011")


def test_hidden_values_are_hatched_on_the_indicator_map(site, page):
    page.goto(site + "/monitoring/sgb2_unemployment_density/?jahr=2011")
    expect(page.locator(".map[data-loaded]")).to_be_attached()
    assert page.locator("path.area-hidden").count() > 0
    assert page.locator("#hidden-hatch").count() == 1
