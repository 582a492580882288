"""Rendering, listing, downloading and the chapter texts in the web app."""

import pytest

from sozialplanung.web.reports.models import NarrativeBlock, ReportRun

pytestmark = pytest.mark.django_db


def test_a_planner_renders_a_topic_sheet_and_downloads_it(planner_client):
    response = planner_client.post(
        "/planung/berichte/",
        {"kind": "topic_sheet", "topic": "work_income", "day": "2026-12-02"},
    )
    assert response.status_code == 302
    run = ReportRun.objects.get()
    assert run.topic == "work_income" and run.pages >= 1 and run.batches.exists()
    listing = planner_client.get("/planung/berichte/")
    assert run.checksum[:12] in listing.content.decode()
    download = planner_client.get(f"/planung/berichte/{run.pk}/datei/")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_topic_sheet_needs_its_topic_and_nothing_is_stored(planner_client):
    response = planner_client.post(
        "/planung/berichte/", {"kind": "topic_sheet", "day": "2026-12-02"}
    )
    assert response.status_code == 200
    assert "Thema" in response.content.decode()
    assert not ReportRun.objects.exists()


def test_a_leader_reads_but_cannot_render(leader_client):
    assert leader_client.get("/planung/berichte/").status_code == 200
    response = leader_client.post(
        "/planung/berichte/", {"kind": "social_report", "day": "2026-12-02"}
    )
    assert response.status_code == 403
    assert not ReportRun.objects.exists()


def test_the_chapter_texts_are_saved_and_shown_in_the_html_version(planner_client):
    response = planner_client.post(
        "/planung/berichte/texte/",
        {
            "title": "Sozialbericht 2026",
            "subtitle": "",
            "introduction": "",
            "topic_work_income": "Die Lage ist **besser** <script>x</script>.",
        },
    )
    assert response.status_code == 302
    assert NarrativeBlock.objects.get(topic="work_income").text.startswith("Die Lage")
    assert NarrativeBlock.objects.get(topic="work_income").definition.title == "Sozialbericht 2026"
    page = planner_client.get("/planung/berichte/ansicht/thema/work_income/").content.decode()
    assert "<strong>besser</strong>" in page
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page


def test_a_topic_without_published_figures_says_so_and_stores_nothing(planner_client):
    response = planner_client.post(
        "/planung/berichte/", {"kind": "topic_sheet", "topic": "participation", "day": "2026-12-02"}
    )
    assert response.status_code == 200
    assert "Keine veröffentlichten Kennzahlen zum Thema Teilhabe" in response.content.decode()
    assert not ReportRun.objects.exists()
