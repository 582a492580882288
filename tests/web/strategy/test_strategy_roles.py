"""Every strategy page × every role, and what each role may post: progress, approval, edits."""

import pytest
from django.contrib.auth import get_user_model
from tests.conftest import ROLES, client_for

from sozialplanung.web.strategy.models import (
    Guideline,
    Measure,
    Milestone,
    PriorityList,
    ProgressEntry,
)

pytestmark = pytest.mark.django_db

ANON, ADMIN, PLANNER, LEADER, PROVIDER = ROLES
READ = {ANON: 302, ADMIN: 200, PLANNER: 200, LEADER: 200, PROVIDER: 403}
WRITE = {ANON: 302, ADMIN: 200, PLANNER: 200, LEADER: 403, PROVIDER: 403}
ITEM_KINDS = ["leitlinie", "ziel", "massnahme", "meilenstein"]

# Read pages on the adopted version 1; edit pages on the draft version 2 (v1 is frozen).
PAGES = {
    "detail": ("/planung/strategie/{v1}/", READ),
    "edit": ("/planung/strategie/{v2}/bearbeiten/", WRITE),
    "adopt": ("/planung/strategie/{v2}/beschluss/", WRITE),
    "timeline": ("/planung/strategie/{v1}/zeitplan/", READ),
    "budget": ("/planung/strategie/{v1}/budget/", READ),
    "goals": ("/planung/strategie/{v1}/ziele/", READ),
    "compare": ("/planung/strategie/{v2}/vergleich/", READ),
    "history": ("/planung/strategie/{v2}/verlauf/", READ),
    "pdf": ("/planung/strategie/{v1}/strategie.pdf", READ),
    "xlsx": ("/planung/strategie/{v1}/massnahmen.xlsx", READ),
    "priorities": ("/planung/strategie/{v1}/prioritaeten/", READ),
    "priority-list": ("/planung/prioritaetenliste/{saved_list}/", READ),
    **{
        f"item-new-{kind}": (f"/planung/strategie/{{v2}}/{kind}/neu/", WRITE) for kind in ITEM_KINDS
    },
    **{
        f"item-edit-{kind}": (f"/planung/strategie/{{v2}}/{kind}/{{v2_{kind}}}/", WRITE)
        for kind in ITEM_KINDS
    },
    # Nobody in the provider test account's actor yet: it is not responsible for measure 4.
    "measure": (
        "/planung/strategie/massnahme/{v1_measure_4}/",
        {ANON: 302, ADMIN: 200, PLANNER: 200, LEADER: 200, PROVIDER: 403},
    ),
}


@pytest.fixture
def pks(v1, v2, saved_list) -> dict[str, int]:
    return {
        "v1": v1.pk,
        "v2": v2.pk,
        "saved_list": saved_list.pk,
        "v2_leitlinie": v2.guidelines.get(number=1).pk,
        "v2_ziel": v2.guidelines.get(number=1).goals.get(number=1).pk,
        "v2_massnahme": v2.measures.get(number=4).pk,
        "v2_meilenstein": v2.milestones.get(number=1).pk,
        "v1_measure_4": v1.measures.get(number=4).pk,
    }


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _messages(response) -> list[str]:
    """The messages this request added (earlier, unshown ones stay in the session)."""
    return [str(m) for m in response.wsgi_request._messages._queued_messages]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
@pytest.mark.parametrize("page", PAGES)
def test_each_role_gets_the_promised_status_on_every_strategy_page(page, role, pks):
    url, expected = PAGES[page][0].format(**pks), PAGES[page][1]
    response = client_for(role).get(url)
    assert response.status_code == expected[role], f"{url} as {role}"
    if role is None:
        assert response["Location"] == f"/anmelden/?next={url}"


def test_the_provider_reads_the_measure_its_actor_is_responsible_for_and_no_other(
    member_client, v1
):
    own = member_client.get(f"/planung/strategie/massnahme/{v1.measures.get(number=4).pk}/")
    assert own.status_code == 200
    page = own.content.decode()
    assert "Fortschritt melden" in page
    assert "Sprechzeiten auch in Neustadt" in page  # the demo's progress entries
    other = member_client.get(f"/planung/strategie/massnahme/{v1.measures.get(number=1).pk}/")
    assert other.status_code == 403
    assert member_client.get(f"/planung/strategie/{v1.pk}/").status_code == 403


def test_my_measures_lists_exactly_the_measures_of_the_providers_actor(member_client):
    response = member_client.get("/planung/strategie/meine-massnahmen/")
    assert response.status_code == 200
    listed = [(m.strategy.version, m.number) for m in response.context["measures"]]
    assert listed == [(2, 4), (2, 8), (1, 4)]  # newest version first


def test_a_provider_reports_progress_on_its_own_measure(member_client, v1):
    measure = v1.measures.get(number=4)
    before = ProgressEntry.objects.filter(measure=measure).count()
    url = f"/planung/strategie/massnahme/{measure.pk}/"
    response = member_client.post(
        url,
        {"day": "2022-03-01", "text": "Elterncafé in Triptis.", "people_reached": "17"},
    )
    assert response.status_code == 302
    assert response["Location"] == url
    assert ProgressEntry.objects.filter(measure=measure).count() == before + 1
    entry = ProgressEntry.objects.get(measure=measure, text="Elterncafé in Triptis.")
    assert entry.author == _user("test-provider")
    assert str(entry.day) == "2022-03-01" and entry.people_reached == 17
    assert entry.activities is None
    assert _messages(response) == ["Die Fortschrittsmeldung ist gespeichert."]


def test_a_provider_cannot_report_progress_on_another_actors_measure(member_client, v1):
    measure = v1.measures.get(number=1)
    response = member_client.post(
        f"/planung/strategie/massnahme/{measure.pk}/",
        {"day": "2022-03-01", "text": "Fremde Meldung", "people_reached": "5"},
    )
    assert response.status_code == 403
    assert not ProgressEntry.objects.filter(measure=measure).exists()
    assert not ProgressEntry.objects.filter(text="Fremde Meldung").exists()


def test_a_provider_outside_the_actor_cannot_report_progress(provider_client, v1):
    measure = v1.measures.get(number=4)
    response = provider_client.post(
        f"/planung/strategie/massnahme/{measure.pk}/",
        {"day": "2022-03-01", "text": "Ohne Mitgliedschaft"},
    )
    assert response.status_code == 403
    assert not ProgressEntry.objects.filter(text="Ohne Mitgliedschaft").exists()


def test_a_leader_reads_a_measure_but_cannot_report_progress(leader_client, v1):
    measure = v1.measures.get(number=4)
    url = f"/planung/strategie/massnahme/{measure.pk}/"
    assert "Fortschritt melden" not in leader_client.get(url).content.decode()
    response = leader_client.post(url, {"day": "2022-03-01", "text": "Leitung meldet"})
    assert response.status_code == 403
    assert ProgressEntry.objects.filter(measure=measure).count() == 3
    assert not ProgressEntry.objects.filter(text="Leitung meldet").exists()


def test_a_planner_reports_progress_on_any_measure(planner_client, v1):
    measure = v1.measures.get(number=1)
    response = planner_client.post(
        f"/planung/strategie/massnahme/{measure.pk}/",
        {"day": "2021-11-30", "text": "Netzwerktreffen", "activities": "3"},
    )
    assert response.status_code == 302
    entry = ProgressEntry.objects.get(measure=measure)
    assert entry.author == _user("test-planner") and entry.activities == 3


def test_a_leader_approves_a_saved_priority_list(leader_client, saved_list):
    assert saved_list.approved_at is None and saved_list.approved_by is None
    url = f"/planung/prioritaetenliste/{saved_list.pk}/freigeben/"
    response = leader_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"/planung/prioritaetenliste/{saved_list.pk}/"
    assert _messages(response) == ["Die Prioritätenliste ist freigegeben."]
    saved_list.refresh_from_db()
    assert saved_list.approved_by == _user("test-leader")
    assert saved_list.approved_at is not None
    page = leader_client.get(f"/planung/prioritaetenliste/{saved_list.pk}/").content.decode()
    assert "Freigegeben am" in page and "von test-leader" in page
    assert "Diese Prioritätenliste freigeben" not in page


def test_approving_twice_gives_an_error_and_changes_nothing(leader_client, saved_list):
    url = f"/planung/prioritaetenliste/{saved_list.pk}/freigeben/"
    leader_client.post(url)
    saved_list.refresh_from_db()
    first = (saved_list.approved_by_id, saved_list.approved_at)
    response = leader_client.post(url)
    assert response.status_code == 302
    assert _messages(response) == ["Diese Prioritätenliste ist bereits freigegeben."]
    saved_list.refresh_from_db()
    assert (saved_list.approved_by_id, saved_list.approved_at) == first
    assert saved_list.history.count() == 2  # created, approved once


def test_a_planner_cannot_approve_a_priority_list(planner_client, saved_list):
    response = planner_client.post(f"/planung/prioritaetenliste/{saved_list.pk}/freigeben/")
    assert response.status_code == 403
    saved_list.refresh_from_db()
    assert saved_list.approved_at is None and saved_list.approved_by is None


def test_approving_needs_a_post(leader_client, saved_list):
    response = leader_client.get(f"/planung/prioritaetenliste/{saved_list.pk}/freigeben/")
    assert response.status_code == 405
    assert PriorityList.objects.get(pk=saved_list.pk).approved_at is None


FROZEN = (
    "Version 1 ist vom Kreistag beschlossen und kann nicht mehr geändert werden. "
    "Beginnen Sie eine Fortschreibung, um sie zu ändern."
)


def test_a_planner_cannot_change_a_guideline_of_the_adopted_version(planner_client, v1):
    guideline = v1.guidelines.get(number=1)
    response = planner_client.post(
        f"/planung/strategie/{v1.pk}/leitlinie/{guideline.pk}/",
        {"number": "1", "title": "Neuer Titel", "description": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/planung/strategie/{v1.pk}/"
    assert _messages(response) == [FROZEN]
    guideline.refresh_from_db()
    assert guideline.title == "Gut aufwachsen: Kinder und Familien stärken"
    assert guideline.history.count() == 1


def test_a_planner_cannot_add_to_or_delete_from_the_adopted_version(planner_client, v1):
    response = planner_client.post(
        f"/planung/strategie/{v1.pk}/leitlinie/neu/", {"number": "5", "title": "Neu"}
    )
    assert response.status_code == 302
    assert _messages(response) == [FROZEN]
    measure = v1.measures.get(number=2)
    response = planner_client.post(f"/planung/strategie/{v1.pk}/massnahme/{measure.pk}/loeschen/")
    assert response.status_code == 302
    assert response["Location"] == f"/planung/strategie/{v1.pk}/"
    assert _messages(response) == [FROZEN]
    assert Measure.objects.filter(pk=measure.pk).exists()
    assert v1.guidelines.count() == 4 and v1.measures.count() == 7


def test_the_adopted_version_cannot_be_edited_or_adopted_again(planner_client, v1):
    response = planner_client.get(f"/planung/strategie/{v1.pk}/bearbeiten/")
    assert response.status_code == 302 and _messages(response) == [FROZEN]
    response = planner_client.post(
        f"/planung/strategie/{v1.pk}/beschluss/",
        {"decided_on": "2024-01-01", "reference": "KT 1/2024"},
    )
    assert response.status_code == 302 and _messages(response) == [FROZEN]
    v1.refresh_from_db()
    assert str(v1.council_decision_date) == "2020-10-01"


def test_a_planner_changes_the_status_of_a_measure_of_the_adopted_version(planner_client, v1):
    measure = v1.measures.get(number=4)
    url = f"/planung/strategie/{v1.pk}/massnahme/{measure.pk}/"
    form = planner_client.get(url)
    assert form.status_code == 200
    assert list(form.context["form"].fields) == ["status"]
    response = planner_client.post(url, {"status": "stopped", "title": "Ignoriert"})
    assert response.status_code == 302
    assert response["Location"] == f"/planung/strategie/massnahme/{measure.pk}/"
    measure.refresh_from_db()
    assert measure.status == Measure.Status.STOPPED
    assert measure.title == "Familienlotsen in den Sozialräumen mit dem höchsten Bedarf"


def test_a_planner_changes_the_status_of_a_milestone_of_the_adopted_version(planner_client, v1):
    milestone = v1.milestones.get(number=1)
    response = planner_client.post(
        f"/planung/strategie/{v1.pk}/meilenstein/{milestone.pk}/",
        {"status": "done", "completed_on": "2019-09-15", "note": "Fertig."},
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DONE
    assert str(milestone.completed_on) == "2019-09-15" and milestone.note == "Fertig."


def test_a_planners_edit_of_a_guideline_on_the_draft_is_in_the_history(planner_client, v2):
    guideline = v2.guidelines.get(number=2)
    response = planner_client.post(
        f"/planung/strategie/{v2.pk}/leitlinie/{guideline.pk}/",
        {"number": "2", "title": "Teilhabe durch Arbeit, Bildung und Mobilität", "description": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/planung/strategie/{v2.pk}/"
    guideline.refresh_from_db()
    assert guideline.title == "Teilhabe durch Arbeit, Bildung und Mobilität"
    assert guideline.is_example is False  # an unchecked box posts nothing
    latest = Guideline.history.filter(id=guideline.pk).first()
    assert latest.history_type == "~"
    assert latest.history_user == _user("test-planner")
    assert latest.prev_record.title == "Teilhabe durch Arbeit und Bildung"
    page = planner_client.get(f"/planung/strategie/{v2.pk}/verlauf/").content.decode()
    assert "test-planner" in page


def test_a_planner_deletes_a_measure_of_the_draft(planner_client, v2):
    measure = v2.measures.get(number=8)
    response = planner_client.post(f"/planung/strategie/{v2.pk}/massnahme/{measure.pk}/loeschen/")
    assert response.status_code == 302
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert sorted(v2.measures.values_list("number", flat=True)) == [1, 3, 4, 5, 6, 7]


def test_a_leader_cannot_post_to_the_edit_pages(leader_client, v2):
    guideline = v2.guidelines.get(number=1)
    response = leader_client.post(
        f"/planung/strategie/{v2.pk}/leitlinie/{guideline.pk}/",
        {"number": "1", "title": "Leitung", "description": ""},
    )
    assert response.status_code == 403
    response = leader_client.post(f"/planung/strategie/{v2.pk}/leitlinie/{guideline.pk}/loeschen/")
    assert response.status_code == 403
    guideline.refresh_from_db()
    assert guideline.title == "Gut aufwachsen: Kinder und Familien stärken"
