"""The social index in the web app: demo index, roles, background runs, versions, exports."""

import io

import pytest
from openpyxl import load_workbook

from sozialplanung.demo.loader import DEMO_INDEX
from sozialplanung.web.jobs.models import Job
from sozialplanung.web.monitoring.models import Indicator
from sozialplanung.web.socialindex.models import IndexComponent, IndexDefinition, IndexRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_index() -> IndexDefinition:
    return IndexDefinition.objects.get(name=DEMO_INDEX)


@pytest.fixture
def draft(demo_index) -> IndexDefinition:
    draft = IndexDefinition.objects.create(name="Entwurf Familienindex")
    for i, code in enumerate(["child_poverty", "single_parents"]):
        IndexComponent.objects.create(
            definition=draft, indicator=Indicator.objects.get(code=code), position=i
        )
    return draft


def test_the_demo_has_an_adopted_index_computed_for_all_municipalities(demo_index):
    assert demo_index.is_adopted
    run = demo_index.runs.get()
    results = list(run.results.all())
    assert len(results) == 59
    assert sorted(r.rank for r in results) == list(range(1, 60))
    assert all(r.rank_low <= r.median_rank <= r.rank_high for r in results)
    assert {r.status_class for r in results} <= {"high", "medium", "low", "very_low"}
    assert run.summary["typology"]["k"] >= 2
    assert {row["label"] for row in run.summary["sensitivity"]} >= {"Normierung", "Aggregation"}


def test_the_result_page_shows_maps_ranks_matrix_sensitivity_and_types(leader_client, demo_index):
    run = demo_index.runs.get()
    page = leader_client.get(f"/planung/sozialindex/lauf/{run.pk}/").content.decode()
    for heading in (
        "Rang und seine Unsicherheit",
        "Status und Dynamik",
        "Was die Rangfolge bewegt",
        "Typen von Gemeinden",
    ):
        assert heading in page
    assert page.count("<svg") >= 3
    assert "Beispieldaten" in page  # child poverty and others rest on example data
    geojson = leader_client.get(f"/planung/sozialindex/lauf/{run.pk}/karte.geojson?ansicht=status")
    assert len(geojson.json()["features"]) == 59


def test_leaders_see_adopted_indices_only(leader_client, planner_client, draft):
    assert (
        "Entwurf Familienindex" not in leader_client.get("/planung/sozialindex/").content.decode()
    )
    assert leader_client.get(f"/planung/sozialindex/{draft.pk}/").status_code == 404
    assert planner_client.get(f"/planung/sozialindex/{draft.pk}/").status_code == 200


def test_providers_and_visitors_see_no_index(provider_client, anonymous_client, demo_index):
    run = demo_index.runs.get()
    assert provider_client.get(f"/planung/sozialindex/lauf/{run.pk}/").status_code == 403
    assert anonymous_client.get(f"/planung/sozialindex/lauf/{run.pk}/").status_code == 302


def test_a_planner_computes_a_draft_in_the_background(
    planner_client, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = planner_client.post(
            f"/planung/sozialindex/{draft.pk}/berechnen/", {"year": 2021}
        )
    run = IndexRun.objects.get(definition=draft)
    assert response["Location"] == f"/planung/auftraege/{run.job.pk}/"
    run.job.refresh_from_db()
    assert run.job.status == Job.Status.DONE, run.job.error
    assert run.results.count() == 59
    assert run.job.result["link"] == f"/planung/sozialindex/lauf/{run.pk}/"


def test_an_adopted_index_is_read_only_and_copies_become_new_versions(planner_client, demo_index):
    response = planner_client.get(f"/planung/sozialindex/{demo_index.pk}/bearbeiten/")
    assert response.status_code == 302
    planner_client.post(f"/planung/sozialindex/{demo_index.pk}/kopieren/")
    copy = IndexDefinition.objects.get(name=DEMO_INDEX, version=2)
    assert copy.status == IndexDefinition.Status.DRAFT
    assert copy.predecessor == demo_index
    assert copy.components.count() == demo_index.components.count()


def test_leaders_adopt_planners_cannot(leader_client, planner_client, draft):
    assert planner_client.post(f"/planung/sozialindex/{draft.pk}/beschliessen/").status_code == 403
    leader_client.post(f"/planung/sozialindex/{draft.pk}/beschliessen/")
    draft.refresh_from_db()
    assert draft.is_adopted


def test_an_index_needs_two_indicators_with_a_direction(planner_client):
    response = planner_client.post(
        "/planung/sozialindex/neu/",
        {
            "name": "Zu klein",
            "indicators": [Indicator.objects.get(code="child_poverty").pk],
            "imputation": "none",
            "normalisation": "zscore",
            "weighting": "equal",
            "aggregation": "arithmetic",
            "dynamics_years": 5,
            "replications": 200,
            "typology_method": "ward",
        },
    )
    assert response.status_code == 200
    assert "mindestens zwei Indikatoren" in response.content.decode()
    assert not IndexDefinition.objects.filter(name="Zu klein").exists()


def test_the_results_export_as_csv_and_xlsx(leader_client, demo_index):
    run = demo_index.runs.get()
    content = leader_client.get(f"/planung/sozialindex/lauf/{run.pk}/export.csv").content
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[1].startswith("Schlüssel;Gemeinde;Jahr;Indexwert;Rang")
    assert len(lines) == 2 + 59
    book = load_workbook(
        io.BytesIO(leader_client.get(f"/planung/sozialindex/lauf/{run.pk}/export.xlsx").content)
    )
    assert book.active.max_row == 60


def test_planner_weights_and_class_limits_are_kept(planner_client, draft):
    indicators = [c.indicator.pk for c in draft.components.all()]
    response = planner_client.post(
        f"/planung/sozialindex/{draft.pk}/bearbeiten/",
        {
            "name": draft.name,
            "indicators": indicators,
            "imputation": "none",
            "normalisation": "zscore",
            "weighting": "expert",
            "weights_text": "3; 1",
            "status_text": "-1; 0,5; 1,5",
            "dynamics_text": "-0,5; 0,5",
            "aggregation": "arithmetic",
            "dynamics_years": 5,
            "replications": 100,
            "typology_method": "ward",
        },
    )
    assert response.status_code == 302, response.content.decode()
    draft.refresh_from_db()
    assert [c.weight for c in draft.components.all()] == [3.0, 1.0]
    assert draft.status_thresholds == [-1.0, 0.5, 1.5]
    assert draft.dynamics_thresholds == [-0.5, 0.5]


def test_planner_weights_must_match_the_indicators(planner_client, draft):
    response = planner_client.post(
        f"/planung/sozialindex/{draft.pk}/bearbeiten/",
        {
            "name": draft.name,
            "indicators": [c.indicator.pk for c in draft.components.all()],
            "imputation": "none",
            "normalisation": "zscore",
            "weighting": "expert",
            "weights_text": "3",
            "aggregation": "arithmetic",
            "dynamics_years": 5,
            "replications": 100,
            "typology_method": "ward",
        },
    )
    assert response.status_code == 200
    assert "je Indikator" in response.content.decode()


def test_the_xlsx_export_carries_sensitivity_weights_and_types(leader_client, demo_index):
    run = demo_index.runs.get()
    content = leader_client.get(f"/planung/sozialindex/lauf/{run.pk}/export.xlsx").content
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Sozialindex", "Sensitivität", "Gewichte", "Typen"]
    assert book["Gewichte"].max_row == 1 + len(run.summary["indicators"])


def test_distance_to_the_county_can_be_chosen(
    planner_client, draft, django_capture_on_commit_callbacks
):
    draft.normalisation = IndexDefinition.Normalisation.DISTANCE
    draft.replications = 60
    draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        planner_client.post(f"/planung/sozialindex/{draft.pk}/berechnen/", {"year": 2021})
    run = IndexRun.objects.get(definition=draft)
    run.job.refresh_from_db()
    assert run.job.status == Job.Status.DONE, run.job.error
    county = run.results.filter(value__isnull=False)
    assert county.count() == 59
