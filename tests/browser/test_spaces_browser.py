"""A planner edits a draft scheme of social spaces: the move is checked live before it is made."""

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import log_in

from sozialplanung.demo.loader import DEMO_SCHEME
from sozialplanung.web.spaces.models import SpaceMembership, SpaceScheme
from sozialplanung.web.spaces.services import check_move, scheme_copy

pytestmark = pytest.mark.browser


def test_a_planner_sees_a_refused_move_and_makes_an_allowed_one(site, page):
    draft = scheme_copy(scheme=SpaceScheme.objects.get(name=DEMO_SCHEME))
    draft.parameters = {**draft.parameters, "keep_associations": False}
    draft.save()
    log_in(page, site, f"/planung/sozialraeume/{draft.pk}/")
    expect(page.locator(".map[data-loaded='59']")).to_be_attached()
    # Pößneck forms a space alone: moving it away would leave its space empty or detached.
    poessneck = SpaceMembership.objects.get(scheme=draft, municipality__key="16075085")
    far = draft.spaces.get(memberships__municipality__key="16075062")  # Bad Lobenstein
    choose(page, poessneck.municipality_id, far.pk)
    expect(page.locator(".move-check")).to_contain_text("grenzt nicht an")
    expect(page.get_by_role("button", name="Verschieben")).to_be_disabled()
    municipality, space = allowed_move(draft)
    choose(page, municipality.pk, space.pk)
    expect(page.locator(".move-check")).to_have_text("Dieser Wechsel hält alle Regeln ein.")
    page.get_by_role("button", name="Verschieben").click()
    expect(page.locator(".messages")).to_contain_text(f"{municipality.name} gehört jetzt zu")
    assert SpaceMembership.objects.get(scheme=draft, municipality=municipality).space == space
    # Let the reloaded page finish its own requests before the database is emptied.
    expect(page.locator(".move-form[data-checked]")).to_be_attached()
    expect(page.locator(".map[data-loaded]")).to_be_attached()
    page.wait_for_load_state("networkidle")


def choose(page, municipality: int, space: int) -> None:
    page.select_option("#move-municipality", str(municipality))
    page.select_option("#move-space", str(space))
    expect(page.locator(f".move-form[data-checked='{municipality}:{space}']")).to_be_attached()


def allowed_move(scheme):
    for membership in scheme.memberships.select_related("municipality"):
        for space in scheme.spaces.exclude(pk=membership.space_id):
            if check_move(scheme, membership.municipality, space)["ok"]:
                return membership.municipality, space
    raise AssertionError("no allowed move in the scheme")
