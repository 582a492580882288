"""Long runs: started from a page, run by the task backend, progress and failures visible."""

import pytest

from sozialplanung.web.jobs.models import Job
from sozialplanung.web.jobs.registry import RUNNERS
from sozialplanung.web.jobs.services import start_job

pytestmark = pytest.mark.django_db


def test_a_planner_runs_the_disclosure_audit(planner_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = planner_client.post("/planung/indikatoren/geheimhaltung-pruefen/")
    job = Job.objects.get()
    assert response["Location"] == f"/planung/auftraege/{job.pk}/"
    assert job.status == Job.Status.DONE
    assert job.progress == 1.0
    assert "0 nicht geschützt" in job.result["summary"]
    assert len(job.result["table"]["rows"]) > 20
    page = planner_client.get(response["Location"]).content.decode()
    assert "Veröffentlichungen geprüft" in page
    status = planner_client.get(f"/planung/auftraege/{job.pk}/status.json").json()
    assert status["finished"] and status["status"] == "done"


def test_a_failing_job_shows_its_error(
    planner_client, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(job, progress):
        progress(0.5, "halb fertig")
        raise ValueError("Eingabe passt nicht")

    monkeypatch.setitem(RUNNERS, "test.broken", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job("test.broken", title="Absichtlich kaputt")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "ValueError: Eingabe passt nicht"
    assert job.progress == 0.5
    job.created_by = None
    job.save()
    page = planner_client.get(f"/planung/auftraege/{job.pk}/").content.decode()
    assert "fehlgeschlagen" in page
    assert "Eingabe passt nicht" in page


def test_an_unknown_kind_is_refused_before_anything_is_queued():
    with pytest.raises(LookupError, match="Unbekannte Auftragsart"):
        start_job("gibt.es.nicht", title="x")
    assert not Job.objects.exists()


def test_providers_and_leaders_cannot_start_jobs(provider_client, leader_client):
    for client in (provider_client, leader_client):
        assert client.post("/planung/indikatoren/geheimhaltung-pruefen/").status_code == 403
    assert not Job.objects.exists()
