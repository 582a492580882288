"""Providers propose changes to their own entries; planners approve before anything is public."""

import datetime as dt

import pytest
from django.core import mail

from sozialplanung.web.directory import fulltext, review
from sozialplanung.web.directory.models import Organization, Service, ServiceChange
from sozialplanung.web.directory.search import Filters, centre, search
from sozialplanung.web.network.models import Actor

pytestmark = pytest.mark.django_db

FAMILY_CENTRE = "Familienzentrum Orlatal e. V. (Beispiel)"


@pytest.fixture
def member(provider_client):
    """The provider test account as a member of the family centre's actor."""
    user = provider_client.session["_auth_user_id"]
    Actor.objects.get(name=FAMILY_CENTRE).members.add(user)
    return provider_client


def _form(service: Service, **changes) -> dict:
    values = review.current_values(service)
    data = {k: v for k, v in values.items() if v not in (None, "", False)}
    data["languages"] = ", ".join(values["languages"])
    data.update(changes)
    return data


def test_a_provider_proposes_a_change_that_stays_private_until_approved(member, planner_client):
    service = Service.objects.get(name="Eltern-Kind-Treff")
    response = member.post(
        f"/angebote-pflegen/{service.hsds_id}/",
        _form(service, description="Jetzt auch mit Krabbelgruppe.", hours="Di und Do 9–12 Uhr"),
    )
    assert response.status_code == 302
    change = ServiceChange.objects.get(service=service)
    assert change.state == "pending"
    service.refresh_from_db()
    assert service.description.startswith("Offener Treff")  # public entry unchanged
    assert not fulltext.matching_ids("Krabbelgruppe")
    queue = planner_client.get("/planung/angebote/pruefen/").content.decode()
    assert "Jetzt auch mit Krabbelgruppe." in queue
    response = planner_client.post(
        f"/planung/angebote/pruefen/{change.pk}/", {"decision": "approve"}
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.description == "Jetzt auch mit Krabbelgruppe."
    assert [s.description for s in service.schedules.all()] == ["Di und Do 9–12 Uhr"]
    assert service.assured_date == dt.date.today()
    assert fulltext.matching_ids("Krabbelgruppe") == [service.pk]


def test_a_provider_cannot_touch_another_organisations_entry(member):
    other = Service.objects.get(name="Erziehungsberatung")
    assert member.get(f"/angebote-pflegen/{other.hsds_id}/").status_code == 403
    response = member.post(f"/angebote-pflegen/{other.hsds_id}/", _form(other, name="X"))
    assert response.status_code == 403
    assert not ServiceChange.objects.exists()


def test_a_provider_without_an_organisation_cannot_propose_anything(provider_client):
    assert provider_client.get("/angebote-pflegen/neu/").status_code == 403


def test_a_new_offer_is_published_only_after_approval(member, planner_client, anonymous_client):
    data = {"name": "Babyschwimmen", "description": "Im Hallenbad.", "terms": ["freizeit"]}
    assert member.post("/angebote-pflegen/neu/", data).status_code == 302
    service = Service.objects.get(name="Babyschwimmen")
    assert not service.is_public and service.organization.name == FAMILY_CENTRE
    assert anonymous_client.get(f"/angebote/{service.hsds_id}/").status_code == 404
    change = ServiceChange.objects.get(service=service)
    planner_client.post(f"/planung/angebote/pruefen/{change.pk}/", {"decision": "approve"})
    assert anonymous_client.get(f"/angebote/{service.hsds_id}/").status_code == 200
    assert [t.code for t in Service.objects.get(pk=service.pk).terms.all()] == ["freizeit"]


def test_a_rejected_proposal_changes_nothing_and_tells_the_provider_why(member, planner_client):
    service = Service.objects.get(name="Jugendclub")
    member.post(f"/angebote-pflegen/{service.hsds_id}/", _form(service, name="Jugendtreff"))
    change = ServiceChange.objects.get()
    planner_client.post(
        f"/planung/angebote/pruefen/{change.pk}/",
        {"decision": "reject", "note": "Bitte den offiziellen Namen verwenden."},
    )
    assert Service.objects.get(pk=service.pk).name == "Jugendclub"
    page = member.get("/angebote-pflegen/").content.decode()
    assert "Bitte den offiziellen Namen verwenden." in page


def test_a_leader_and_a_provider_cannot_decide_proposals(member, leader_client):
    service = Service.objects.get(name="Jugendclub")
    member.post(f"/angebote-pflegen/{service.hsds_id}/", _form(service, name="Jugendtreff"))
    change = ServiceChange.objects.get()
    for client in (leader_client, member):
        response = client.post(f"/planung/angebote/pruefen/{change.pk}/", {"decision": "approve"})
        assert response.status_code == 403
    assert ServiceChange.objects.get().state == "pending"


def test_the_upper_age_below_the_lower_is_a_form_error(member):
    service = Service.objects.get(name="Jugendclub")
    response = member.post(
        f"/angebote-pflegen/{service.hsds_id}/", _form(service, minimum_age=12, maximum_age=6)
    )
    assert response.status_code == 200 and response.context["form"].errors["maximum_age"]
    assert not ServiceChange.objects.exists()


def test_a_provider_confirms_an_entry_and_it_is_due_again_in_a_year(member):
    service = Service.objects.get(name="Jugendclub")
    member.post(f"/angebote-pflegen/{service.hsds_id}/aktuell/")
    service.refresh_from_db()
    assert service.assured_date == dt.date.today()
    assert service.review_due == dt.date.today() + dt.timedelta(days=365)


def test_overdue_entries_remind_each_provider_account_once(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    actor = Actor.objects.get(name=FAMILY_CENTRE)
    provider = actor.members.get(username="traeger")
    provider.email = "traeger@example.org"
    provider.save()
    late = dt.date.today() + dt.timedelta(days=800)
    sent = review.send_reminders(today=late, base_url="https://sozialplanung.example.de")
    assert sent == 1 and mail.outbox[0].to == ["traeger@example.org"]
    assert "Eltern-Kind-Treff" in mail.outbox[0].body and "Jugendclub" in mail.outbox[0].body
    assert "https://sozialplanung.example.de/angebote-pflegen/" in mail.outbox[0].body
    assert review.send_reminders(today=dt.date.today()) == 0  # nothing due yet


def test_organisations_of_the_demo_are_kept_by_their_actors_members():
    organization = Organization.objects.get(name=FAMILY_CENTRE)
    assert organization.actor.name == FAMILY_CENTRE
    assert organization.actor.members.filter(username="traeger").exists()


def test_phone_and_address_of_the_main_place_change_after_approval(member, planner_client):
    service = Service.objects.get(name="Eltern-Kind-Treff")
    place = service.at_locations.order_by("location__name", "pk").first().location
    form = _form(service, phone="03647 123456", street="Neue Straße 5", postal_code="07381")
    assert member.post(f"/angebote-pflegen/{service.hsds_id}/", form).status_code == 302
    change = ServiceChange.objects.get(service=service)
    labels = [label for label, _now, _new in review.differences(change)]
    assert "Telefon" in labels and "Straße und Hausnummer" in labels
    review.approve(change=change, user=None)
    assert [p.number for p in service.phones.all()] == ["03647 123456"]
    address = place.addresses.order_by("pk").first()
    assert (address.address_1, address.postal_code) == ("Neue Straße 5", "07381")
    page = planner_client.get(f"/angebote/{service.hsds_id}/").content.decode()
    assert "Neue Straße 5" in page and "03647 123456" in page


def test_a_street_without_a_town_is_a_form_error(member):
    service = Service.objects.get(name="Eltern-Kind-Treff")
    form = _form(service, street="Neue Straße 5", town="")
    response = member.post(f"/angebote-pflegen/{service.hsds_id}/", form)
    assert response.status_code == 200 and response.context["form"].errors["town"]
    assert not ServiceChange.objects.filter(service=service).exists()


def test_a_new_offer_gets_its_place_at_the_centre_of_the_named_municipality(member):
    data = {"name": "Spielgruppe am Markt", "terms": ["freizeit"], "street": "Markt 1",
            "postal_code": "07381", "town": "Pößneck"}  # fmt: skip
    assert member.post("/angebote-pflegen/neu/", data).status_code == 302
    change = ServiceChange.objects.get(service__name="Spielgruppe am Markt")
    service = review.approve(change=change, user=None)
    place = service.at_locations.get().location
    assert place.municipality.name == "Pößneck"
    assert (place.latitude, place.longitude) == centre(place.municipality)  # found near Pößneck
    near = search(Filters(municipality=place.municipality, radius_km=1))
    assert service in near.page.object_list
    assert place.organization == service.organization
    assert place.addresses.get().address_1 == "Markt 1"


def test_a_provider_with_two_organisations_chooses_whose_new_offer_it_is(member):
    user = member.session["_auth_user_id"]
    other = Actor.objects.exclude(name=FAMILY_CENTRE).filter(organization__isnull=False).first()
    other.members.add(user)
    organization = Organization.objects.get(actor=other)
    form = member.get("/angebote-pflegen/neu/").context["form"]
    assert {name for _pk, name in form.fields["organization"].choices} == {
        organization.name,
        Organization.objects.get(actor__name=FAMILY_CENTRE).name,
    }
    data = {"name": "Zweites Angebot", "terms": ["freizeit"], "organization": organization.pk}
    assert member.post("/angebote-pflegen/neu/", data).status_code == 302
    assert Service.objects.get(name="Zweites Angebot").organization == organization
