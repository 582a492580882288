"""HSDS files in and out of the database: round trips, and a bad file changes nothing."""

import pytest

from sozialplanung.io.hsds import (
    TABLES,
    Dataset,
    HsdsError,
    read_json,
    read_tabular,
    write_json,
    write_tabular,
)
from sozialplanung.web.directory import fulltext
from sozialplanung.web.directory.hsds_export import export_dataset
from sozialplanung.web.directory.hsds_import import import_dataset
from sozialplanung.web.directory.models import (
    Address,
    Attribute,
    Location,
    Organization,
    Schedule,
    Service,
)

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        m.__name__: m.objects.count()
        for m in (Organization, Service, Location, Address, Schedule, Attribute)
    }


def test_the_demo_exports_and_reads_back_identically_as_json_and_as_a_package():
    dataset = export_dataset()
    assert len(dataset.rows("services")) == 21
    as_json = write_json(dataset)
    assert write_json(read_json(as_json)) == as_json
    package = write_tabular(dataset)
    assert write_tabular(read_tabular(package)) == package


def test_importing_an_export_again_changes_nothing():
    before = _counts()
    data = write_json(export_dataset())
    import_dataset(read_json(data), example=True)
    assert _counts() == before
    assert write_json(export_dataset()) == data


def test_a_directory_deleted_and_imported_from_its_package_is_whole_again():
    package = write_tabular(export_dataset())
    before = _counts()
    Service.objects.all().delete()
    Location.objects.all().delete()
    Organization.objects.all().delete()
    summary = import_dataset(read_tabular(package), example=True)
    assert summary["services"] == 21 and _counts() == before
    assert write_tabular(export_dataset()) == package
    # The imported services are found again by the search.
    assert fulltext.matching_ids("Schulden")


def test_a_file_with_errors_is_rejected_whole_with_record_and_field():
    dataset = export_dataset()
    services = dataset.rows("services")
    services[0]["status"] = "offen"
    services[1]["organization_id"] = "gibt-es-nicht"
    services.append({**services[2], "id": "neu-1", "name": "Neues Angebot"})
    before = _counts()
    with pytest.raises(HsdsError) as raised:
        import_dataset(dataset)
    problems = {(p.table, p.record, p.field) for p in raised.value.problems}
    assert ("services", services[0]["id"], "status") in problems
    assert ("services", services[1]["id"], "organization_id") in problems
    assert "Kein erlaubter Wert: 'offen'" in str(raised.value)
    assert _counts() == before
    assert not Service.objects.filter(hsds_id="neu-1").exists()


def test_a_file_may_name_a_stored_organisation_and_life_situation_by_id_only():
    organization = Organization.objects.get(name="Familienzentrum Orlatal e. V. (Beispiel)")
    dataset = Dataset({name: [] for name in TABLES})
    dataset.tables["services"].append(
        {**dict.fromkeys(TABLES["services"]), "id": "svc-neu", "name": "Babyschwimmen",
         "status": "active", "organization_id": organization.hsds_id}
    )  # fmt: skip
    dataset.tables["attributes"].append(
        {**dict.fromkeys(TABLES["attributes"]), "id": "attr-neu", "link_id": "svc-neu",
         "link_entity": "service", "taxonomy_term_id": "sozialplanung-lebenslagen-freizeit"}
    )  # fmt: skip
    import_dataset(dataset)
    service = Service.objects.get(hsds_id="svc-neu")
    assert service.organization == organization
    assert [t.code for t in service.terms.all()] == ["freizeit"]
    assert Organization.objects.get(pk=organization.pk).email == organization.email


def test_a_nested_life_situation_in_a_file_does_not_change_the_shipped_one():
    dataset = read_json(
        b"""[{"id": "svc-neu", "name": "Babyschwimmen", "status": "active",
        "organization": {"id": "org-neu", "name": "Schwimmverein (Beispiel)"},
        "attributes": [{"id": "attr-neu", "link_entity": "service",
        "taxonomy_term": {"id": "sozialplanung-lebenslagen-freizeit", "name": "Spass"}}]}]"""
    )
    import_dataset(dataset)
    service = Service.objects.get(hsds_id="svc-neu")
    term = service.terms.get()
    assert (term.code, term.name) == ("freizeit", "Freizeit und Begegnung")


def test_a_location_is_placed_in_its_municipality_and_free_of_charge_follows_the_costs():
    location = Location.objects.get(name="Kreiskrankenhaus Schleiz GmbH")
    assert location.municipality.name == "Schleiz"
    assert Service.objects.get(name="Erziehungsberatung").free_of_charge
    assert not Service.objects.get(name="Seniorentreff mit Mittagstisch").free_of_charge


def test_a_planner_imports_a_package_and_sees_every_problem_of_a_bad_one(planner_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    dataset = export_dataset()
    dataset.rows("services")[0]["minimum_age"] = -1
    bad = SimpleUploadedFile("angebote.zip", write_tabular(dataset), "application/zip")
    before = _counts()
    response = planner_client.post("/planung/angebote/", {"file": bad})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Die Datei wurde nicht importiert" in page and "minimum_age" in page
    assert _counts() == before
    good = SimpleUploadedFile("angebote.json", write_json(export_dataset()), "application/json")
    response = planner_client.post("/planung/angebote/", {"file": good, "is_example": "on"})
    assert response.status_code == 302 and _counts() == before


def test_a_leader_reads_the_directory_page_but_cannot_import(leader_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert leader_client.get("/planung/angebote/").status_code == 200
    upload = SimpleUploadedFile("angebote.json", write_json(export_dataset()))
    assert leader_client.post("/planung/angebote/", {"file": upload}).status_code == 403


def test_anyone_downloads_the_published_directory_as_open_data(anonymous_client):
    response = anonymous_client.get("/angebote/export.json")
    assert response["Content-Type"] == "application/json"
    assert len(read_json(response.content).rows("services")) == 21
    package = anonymous_client.get("/angebote/export.zip").content
    assert len(read_tabular(package).rows("locations")) == Location.objects.count()


def test_the_coverage_page_counts_offers_per_space_and_marks_gaps(planner_client):
    response = planner_client.get("/planung/angebote/versorgung/")
    assert response.status_code == 200
    view = response.context["view"]
    assert [s.name for s in view.spaces][-1] == "Sozialraum Pößneck"
    rows = {row["term"].code: row for row in response.context["rows"]}
    poessneck = len(view.spaces) - 1
    # The family guides, the parent-child group and the pregnancy counselling have a place there.
    assert rows["schwangerschaft-geburt"]["cells"][poessneck]["count"] == 3
    assert rows["schwangerschaft-geburt"]["cells"][0] == {"count": 0, "rate": "0,0", "gap": True}
    assert response.context["view"].map_svg.startswith("<svg")


def test_a_file_that_only_refers_to_a_stored_service_leaves_its_details_alone():
    service = Service.objects.get(name="Erziehungsberatung")
    places, hours = service.at_locations.count(), service.schedules.count()
    assert places == 3 and hours == 1
    dataset = Dataset({name: [] for name in TABLES})
    dataset.tables["attributes"].append(
        {**dict.fromkeys(TABLES["attributes"]), "id": "attr-ref", "link_id": service.hsds_id,
         "link_entity": "service", "taxonomy_term_id": "sozialplanung-lebenslagen-freizeit"}
    )  # fmt: skip
    import_dataset(dataset)
    service.refresh_from_db()
    assert (service.at_locations.count(), service.schedules.count()) == (places, hours)
    assert "freizeit" in {t.code for t in service.terms.all()}


def test_reimporting_a_service_with_fewer_places_drops_the_others():
    dataset = export_dataset(Service.objects.filter(name="Erziehungsberatung"))
    links = dataset.rows("service_at_locations")
    assert len(links) == 3
    dataset.tables["service_at_locations"] = links[:1]
    import_dataset(dataset, example=True)
    service = Service.objects.get(name="Erziehungsberatung")
    assert [a.hsds_id for a in service.at_locations.all()] == [links[0]["id"]]
