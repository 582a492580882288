"""Social spaces in the web app: demo scheme, roles, background runs, edits, versions, exports."""

import json

import numpy as np
import pyogrio
import pytest

from sozialplanung.analytics.regions import validate
from sozialplanung.demo.loader import DEMO_SCHEME
from sozialplanung.web.areas.models import Area, Level
from sozialplanung.web.jobs.models import Job
from sozialplanung.web.spaces.models import SpaceMembership, SpaceScheme
from sozialplanung.web.spaces.problem import labels_of_scheme, setup_of_scheme
from sozialplanung.web.spaces.services import check_move, scheme_copy

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_scheme() -> SpaceScheme:
    return SpaceScheme.objects.get(name=DEMO_SCHEME)


@pytest.fixture
def draft(demo_scheme) -> SpaceScheme:
    return scheme_copy(scheme=demo_scheme)


def _labels(scheme):
    setup = setup_of_scheme(scheme)
    return setup, labels_of_scheme(scheme, setup)


def _allowed_move(scheme):
    """Some municipality and neighbouring space for which the rules allow the move."""
    for membership in scheme.memberships.select_related("municipality"):
        for space in scheme.spaces.exclude(pk=membership.space_id):
            if check_move(scheme, membership.municipality, space)["ok"]:
                return membership.municipality, space
    raise AssertionError("no allowed move in the scheme")


def test_the_demo_has_an_adopted_scheme_proven_optimal_by_the_exact_method(demo_scheme):
    assert demo_scheme.is_adopted and demo_scheme.method == SpaceScheme.Method.EXACT
    assert demo_scheme.solution["status"] == "optimal"
    assert demo_scheme.solution["gap"] == pytest.approx(0, abs=1e-6)
    setup, labels = _labels(demo_scheme)
    assert len(labels) == 59 and labels.max() + 1 == 5
    # Stored schemes are contiguous partitions within bounds, associations kept together.
    assert validate(setup.problem, labels) == []
    assert demo_scheme.quality["split_groups"] == 0
    assert demo_scheme.quality["population_min"] >= 8000


def test_adopted_spaces_are_areas_whose_population_adds_up_to_the_county(demo_scheme):
    spaces = Area.objects.filter(level=Level.SOCIAL_SPACE, social_space__scheme=demo_scheme)
    assert spaces.count() == 5
    municipalities = Area.objects.filter(pk__in=demo_scheme.memberships.values("municipality"))
    assert sum(s.population for s in spaces) == sum(m.population for m in municipalities)
    assert all(json.loads(s.geometry)["type"] == "MultiPolygon" for s in spaces)


def test_the_page_says_how_the_scheme_was_made_in_german(leader_client, demo_scheme):
    page = leader_client.get(f"/planung/sozialraeume/{demo_scheme.pk}/").content.decode()
    assert "Wie dieses Schema entstand" in page
    assert "mit dem exakten Verfahren" in page
    assert "bewiesen" in page
    assert "Verwaltungsgemeinschaften zusammengehalten" in page
    assert "Gemeinde verschieben" not in page  # adopted: read-only
    features = leader_client.get(f"/planung/sozialraeume/{demo_scheme.pk}/karte.geojson").json()
    assert len(features["features"]) == 59
    assert len({f["properties"]["fill"] for f in features["features"]}) == 5


def test_leaders_read_drafts_to_decide_but_only_planners_edit_them(
    leader_client, planner_client, draft
):
    leader_page = leader_client.get(f"/planung/sozialraeume/{draft.pk}/").content.decode()
    assert "Beschließen" in leader_page and "Gemeinde verschieben" not in leader_page
    planner_page = planner_client.get(f"/planung/sozialraeume/{draft.pk}/").content.decode()
    assert "Gemeinde verschieben" in planner_page and "Beschließen" not in planner_page


def test_providers_and_visitors_see_no_scheme(provider_client, anonymous_client, demo_scheme):
    url = f"/planung/sozialraeume/{demo_scheme.pk}/"
    assert provider_client.get(url).status_code == 403
    assert anonymous_client.get(url).status_code == 302


def test_leaders_cannot_edit_and_planners_cannot_adopt(leader_client, planner_client, draft):
    municipality, space = _allowed_move(draft)
    url = f"/planung/sozialraeume/{draft.pk}/"
    move = {"gemeinde": municipality.pk, "raum": space.pk}
    assert leader_client.post(url + "verschieben/", move).status_code == 403
    assert planner_client.post(url + "beschliessen/").status_code == 403
    draft.refresh_from_db()
    assert draft.status == SpaceScheme.Status.DRAFT


def test_a_planner_computes_a_scheme_in_the_background(
    planner_client, django_capture_on_commit_callbacks
):
    form = {
        "name": "Sechs Räume",
        "method": "heuristic",
        "p": 6,
        "floor": 8000,
        "density": "on",
        "time_limit": 10,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = planner_client.post("/planung/sozialraeume/neu/", form)
    scheme = SpaceScheme.objects.get(name="Sechs Räume")
    assert response["Location"] == f"/planung/auftraege/{scheme.job.pk}/"
    scheme.job.refresh_from_db()
    assert scheme.job.status == Job.Status.DONE
    scheme.refresh_from_db()
    assert scheme.status == SpaceScheme.Status.DRAFT and scheme.spaces.count() == 6
    setup, labels = _labels(scheme)
    assert validate(setup.problem, labels) == []
    page = planner_client.get(f"/planung/sozialraeume/{scheme.pk}/").content.decode()
    assert "heuristischen Verfahren" in page and "kein Beweis" in page


def test_impossible_rules_end_in_a_clear_message_and_no_spaces(
    planner_client, django_capture_on_commit_callbacks
):
    form = {"name": "Zu viele", "method": "exact", "p": 10, "floor": 20000, "density": "on"}
    form["time_limit"] = 10
    with django_capture_on_commit_callbacks(execute=True):
        planner_client.post("/planung/sozialraeume/neu/", form)
    scheme = SpaceScheme.objects.get(name="Zu viele")
    assert scheme.status == SpaceScheme.Status.FAILED
    assert "unlösbar" in scheme.error and "Untergrenze" in scheme.error
    assert not scheme.spaces.exists()
    page = planner_client.get(f"/planung/sozialraeume/{scheme.pk}/").content.decode()
    assert "unlösbar" in page


def test_the_form_refuses_a_ceiling_below_the_floor(planner_client):
    form = {"name": "X", "method": "exact", "floor": 9000, "ceiling": 5000, "density": "on"}
    page = planner_client.post("/planung/sozialraeume/neu/", {**form, "time_limit": 60})
    assert "darf nicht unter der Untergrenze" in page.content.decode()
    assert not SpaceScheme.objects.filter(name="X").exists()


def test_the_live_check_names_the_broken_rule(planner_client, draft):
    lonely = draft.memberships.get(municipality__key="16075085")  # Pößneck, a space alone
    far = draft.spaces.exclude(pk=lonely.space_id).get(
        memberships__municipality__key="16075062"  # Bad Lobenstein, in the far south
    )
    url = f"/planung/sozialraeume/{draft.pk}/pruefen/"
    answer = planner_client.get(url, {"gemeinde": lonely.municipality_id, "raum": far.pk}).json()
    assert answer["ok"] is False
    assert answer["messages"] == [f"Pößneck grenzt nicht an {far.name}."]


def test_a_move_that_splits_an_association_is_refused_and_changes_nothing(planner_client, draft):
    member = draft.memberships.filter(municipality__parent__level=Level.ASSOCIATION).first()
    setup, before = _labels(draft)
    refused = None
    for space in draft.spaces.exclude(pk=member.space_id):
        check = check_move(draft, member.municipality, space)
        if not check["ok"] and any("must_link" in m for m in check["messages"]):
            refused = space
            break
    assert refused is not None
    planner_client.post(
        f"/planung/sozialraeume/{draft.pk}/verschieben/",
        {"gemeinde": member.municipality_id, "raum": refused.pk},
    )
    assert np.array_equal(_labels(draft)[1], before)


def test_an_allowed_move_is_applied_and_measured_again(planner_client, draft):
    draft.parameters = {**draft.parameters, "keep_associations": False}
    draft.save()
    municipality, space = _allowed_move(draft)
    before = draft.quality["heterogeneity"]
    response = planner_client.post(
        f"/planung/sozialraeume/{draft.pk}/verschieben/",
        {"gemeinde": municipality.pk, "raum": space.pk},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert SpaceMembership.objects.get(scheme=draft, municipality=municipality).space == space
    assert draft.edited and draft.quality["heterogeneity"] != before
    setup, labels = _labels(draft)
    assert validate(setup.problem, labels) == []
    assert (
        "von Hand bearbeitet"
        in planner_client.get(f"/planung/sozialraeume/{draft.pk}/").content.decode()
    )


def test_an_adopted_scheme_cannot_be_moved_or_renamed(planner_client, demo_scheme):
    setup, before = _labels(demo_scheme)
    member = demo_scheme.memberships.first()
    other = demo_scheme.spaces.exclude(pk=member.space_id).first()
    url = f"/planung/sozialraeume/{demo_scheme.pk}/"
    planner_client.post(
        url + "verschieben/", {"gemeinde": member.municipality_id, "raum": other.pk}
    )
    planner_client.post(url + "namen/", {f"name-{other.pk}": "Anders"})
    assert np.array_equal(_labels(demo_scheme)[1], before)
    assert not demo_scheme.spaces.filter(name="Anders").exists()


def test_names_are_saved_on_a_draft(planner_client, draft):
    space = draft.spaces.first()
    planner_client.post(f"/planung/sozialraeume/{draft.pk}/namen/", {f"name-{space.pk}": "Orlatal"})
    space.refresh_from_db()
    assert space.name == "Orlatal"


def test_adopting_a_new_version_ends_the_old_spaces(leader_client, demo_scheme, draft):
    old = list(Area.objects.filter(social_space__scheme=demo_scheme))
    response = leader_client.post(f"/planung/sozialraeume/{draft.pk}/beschliessen/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_adopted and draft.version == demo_scheme.version + 1
    assert Area.objects.filter(social_space__scheme=draft).count() == 5
    assert all(
        area.valid_to is not None for area in Area.objects.filter(pk__in=[a.pk for a in old])
    )
    demo_scheme.refresh_from_db()
    assert demo_scheme.is_adopted  # the old version stays as it was


def test_exports_hold_spaces_and_the_membership_list(leader_client, demo_scheme, tmp_path):
    url = f"/planung/sozialraeume/{demo_scheme.pk}/export"
    geojson = json.loads(leader_client.get(url + ".geojson").content)
    assert len(geojson["features"]) == 5
    members = [m["key"] for f in geojson["features"] for m in f["properties"]["municipalities"]]
    assert len(members) == len(set(members)) == 59
    response = leader_client.get(url + ".gpkg")
    assert response["Content-Type"] == "application/geopackage+sqlite3"
    path = tmp_path / "schema.gpkg"
    path.write_bytes(response.content)
    layers = dict(pyogrio.list_layers(path))
    assert layers == {"sozialraeume": "MultiPolygon", "gemeinden": "MultiPolygon"}
    spaces = _table(path, "sozialraeume")
    municipalities = _table(path, "gemeinden")
    assert len(spaces["name"]) == 5 and len(municipalities["ags"]) == 59
    assert spaces["einwohner"].sum() == municipalities["einwohner"].sum()
    assert set(municipalities["sozialraum"]) == set(spaces["name"])


def _table(path, layer: str) -> dict:
    meta, _fids, _geometry, columns = pyogrio.raw.read(path, layer=layer)
    return dict(zip(meta["fields"], columns, strict=True))


def test_two_schemes_side_by_side(planner_client, demo_scheme, draft):
    page = planner_client.get(
        "/planung/sozialraeume/vergleich/", {"wahl": [demo_scheme.pk, draft.pk]}
    ).content.decode()
    assert page.count('class="map map-large') == 2
    assert "Kennzahlen nebeneinander" in page
    assert "nicht miteinander vergleichen" not in page  # a copy measures the same attributes


def test_weighting_compactness_gives_rounder_spaces(
    planner_client, django_capture_on_commit_callbacks
):
    form = {"method": "heuristic", "p": 5, "floor": 8000, "density": "on", "time_limit": 5}
    with django_capture_on_commit_callbacks(execute=True):
        planner_client.post("/planung/sozialraeume/neu/", {**form, "name": "Nur ähnlich"})
        planner_client.post(
            "/planung/sozialraeume/neu/", {**form, "name": "Kompakt", "compactness": 3}
        )
    plain = SpaceScheme.objects.get(name="Nur ähnlich")
    compact = SpaceScheme.objects.get(name="Kompakt")
    assert compact.quality["compactness_mean"] > plain.quality["compactness_mean"]
    assert compact.parameters["attribute_names"][-1] == "Lage (Kompaktheit)"
    setup, labels = _labels(compact)  # rebuilt with the stored weights: the same measure
    assert setup.measure(labels)["heterogeneity"] == pytest.approx(compact.quality["heterogeneity"])


def test_chosen_towns_each_anchor_a_space_of_their_own(
    planner_client, django_capture_on_commit_callbacks
):
    towns = {"16075085": "Pößneck", "16075098": "Schleiz", "16075062": "Bad Lobenstein"}
    apart = [Area.objects.current().get(key=key).pk for key in towns]
    form = {"name": "Drei Städte", "method": "heuristic", "p": 5, "floor": 8000}
    form |= {"density": "on", "time_limit": 5, "apart": apart}
    with django_capture_on_commit_callbacks(execute=True):
        planner_client.post("/planung/sozialraeume/neu/", form)
    scheme = SpaceScheme.objects.get(name="Drei Städte")
    spaces = {m.space_id for m in scheme.memberships.filter(municipality__key__in=towns)}
    assert len(spaces) == 3
    page = planner_client.get(f"/planung/sozialraeume/{scheme.pk}/").content.decode()
    assert "Bad Lobenstein, Pößneck, Schleiz jeweils in einem anderen Sozialraum" in page


def test_more_towns_apart_than_spaces_is_refused_by_the_form(planner_client):
    apart = list(Area.objects.current().filter(level=Level.MUNICIPALITY)[:3].values_list("pk"))
    form = {"name": "Zu eng", "method": "heuristic", "p": 2, "floor": 8000, "density": "on"}
    page = planner_client.post(
        "/planung/sozialraeume/neu/", {**form, "time_limit": 5, "apart": [a[0] for a in apart]}
    ).content.decode()
    assert "3 Gemeinden können nicht in 2 verschiedenen Sozialräumen liegen" in page
    assert not SpaceScheme.objects.filter(name="Zu eng").exists()
