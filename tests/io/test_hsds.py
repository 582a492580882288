"""HSDS 3.0 exchange: both file forms round-trip, shared objects merge, every problem is named."""

from __future__ import annotations

import copy
import csv
import io
import json
import zipfile
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sozialplanung.io.hsds import (
    TABLES,
    Dataset,
    HsdsError,
    Problem,
    load,
    read_json,
    read_tabular,
    validate,
    write_json,
    write_tabular,
)

ROWS: dict[str, list[dict]] = {
    "organizations": [
        {
            "id": "org-1",
            "name": "Diakonie Ostthüringen e. V.",
            "alternate_name": "Diakonie",
            "description": "Beratung und Begleitung für Familien, Kinder und Jugendliche.",
            "email": "familie@diakonie-ost.example",
            "website": "https://www.diakonie-ost.example",
        },
        {
            "id": "org-2",
            "name": "Landratsamt Saale-Orla-Kreis",
            "email": "jugendamt@lra-sok.example",
            "website": "https://www.saale-orla-kreis.example",
        },
    ],
    "services": [
        {
            "id": "svc-1",
            "organization_id": "org-1",
            "name": "Familienberatung",
            "description": "Beratung bei Erziehungsfragen, Trennung und Scheidung.",
            "url": "https://www.diakonie-ost.example/familienberatung",
            "email": "beratung@diakonie-ost.example",
            "status": "active",
            "interpretation_services": "Dolmetschen nach Absprache, auch Arabisch",
            "application_process": "Anruf oder E-Mail, Termin innerhalb von 14 Tagen",
            "fees_description": "kostenfrei",
            "eligibility_description": "Familien mit Kindern bis 27 Jahre",
            "minimum_age": 0,
            "maximum_age": 27,
            "assured_date": date(2024, 5, 2),
            "assurer_email": "redaktion@lra-sok.example",
        },
        {
            "id": "svc-2",
            "organization_id": "org-1",
            "name": "Eltern-Kind-Gruppe „Krabbelkäfer“",
            "status": "active",
            "minimum_age": 0,
            "maximum_age": 3,
        },
        {
            "id": "svc-3",
            "organization_id": "org-2",
            "name": "Erziehungsbeistand",
            "status": "temporarily closed",
            "minimum_age": 6,
            "maximum_age": 17.5,
            "alert": "Bis Ende Juni keine Neuaufnahmen.",
        },
    ],
    "locations": [
        {
            "id": "loc-1",
            "location_type": "physical",
            "organization_id": "org-1",
            "name": "Familienzentrum Pößneck",
            "transportation": "Bus 1, Haltestelle Markt",
            "latitude": 50.6934,
            "longitude": 11.5946,
        },
        {
            "id": "loc-2",
            "location_type": "physical",
            "url": "https://www.saale-orla-kreis.example/jugendamt",
            "organization_id": "org-2",
            "name": "Jugendamt Schleiz",
            "latitude": 50.5786,
            "longitude": 11.8104,
        },
    ],
    "service_at_locations": [
        {"id": "sal-1", "service_id": "svc-1", "location_id": "loc-1"},
        {"id": "sal-2", "service_id": "svc-2", "location_id": "loc-1", "description": "Im Saal"},
        {"id": "sal-3", "service_id": "svc-3", "location_id": "loc-2"},
    ],
    "addresses": [
        {
            "id": "adr-1",
            "location_id": "loc-1",
            "address_1": "Markt 1",
            "city": "Pößneck",
            "region": "Saale-Orla-Kreis",
            "state_province": "Thüringen",
            "postal_code": "07381",
            "country": "DE",
            "address_type": "physical",
        },
        {
            "id": "adr-2",
            "location_id": "loc-2",
            "attention": "Jugendamt, Zimmer 204",
            "address_1": "Oschitzer Straße 4",
            "city": "Schleiz",
            "state_province": "Thüringen",
            "postal_code": "07907",
            "country": "DE",
            "address_type": "physical",
        },
    ],
    "phones": [
        {
            "id": "ph-1",
            "service_id": "svc-1",
            "number": "+49 3647 123456",
            "extension": 12,
            "type": "voice",
        },
        {"id": "ph-2", "location_id": "loc-2", "number": "+49 3663 488-0", "type": "voice"},
    ],
    "contacts": [
        {
            "id": "con-1",
            "service_id": "svc-3",
            "name": "Anna Beispiel",
            "title": "Sozialpädagogin",
            "department": "Soziale Dienste",
            "email": "a.beispiel@lra-sok.example",
        }
    ],
    "schedules": [
        {
            "id": "sch-1",
            "service_id": "svc-1",
            "valid_from": date(2024, 1, 1),
            "freq": "WEEKLY",
            "byday": "MO,WE",
            "opens_at": "09:00",
            "closes_at": "12:00",
            "description": "Montag und Mittwoch vormittags",
        },
        {
            "id": "sch-2",
            "service_at_location_id": "sal-2",
            "freq": "MONTHLY",
            "interval": 1,
            "byday": "2SA",
            "opens_at": "10:00",
            "closes_at": "11:30",
            "description": "Jeden zweiten Samstag im Monat",
        },
        {
            "id": "sch-3",
            "location_id": "loc-2",
            "freq": "WEEKLY",
            "byday": "TU,TH",
            "opens_at": "08:00:00",
            "closes_at": "16:00:00",
        },
    ],
    "cost_options": [
        {
            "id": "cost-1",
            "service_id": "svc-2",
            "option": "Materialkosten",
            "currency": "EUR",
            "amount": 2.5,
            "amount_description": "pro Treffen",
        }
    ],
    "languages": [
        {"id": "lang-1", "service_id": "svc-1", "name": "Deutsch", "code": "de"},
        {"id": "lang-2", "service_id": "svc-1", "name": "Arabisch", "code": "ar"},
    ],
    "accessibility": [
        {
            "id": "acc-1",
            "location_id": "loc-1",
            "description": "Stufenloser Eingang",
            "details": "Aufzug über den Hof",
        }
    ],
    "service_areas": [
        {"id": "area-1", "service_id": "svc-3", "name": "Saale-Orla-Kreis", "extent_type": "text"}
    ],
    "taxonomies": [
        {
            "id": "tax-1",
            "name": "Lebenslagen",
            "description": "Lebenslagen von Familien",
            "uri": "https://lebenslagen.example/taxonomie",
            "version": "2024",
        }
    ],
    "taxonomy_terms": [
        {
            "id": "term-1",
            "code": "L1",
            "name": "Trennung und Scheidung",
            "taxonomy": "Lebenslagen",
            "language": "de",
            "taxonomy_id": "tax-1",
        },
        {
            "id": "term-2",
            "code": "L2",
            "name": "Kleinkind",
            "taxonomy": "Lebenslagen",
            "language": "de",
            "taxonomy_id": "tax-1",
        },
    ],
    "attributes": [
        {
            "id": "attr-1",
            "link_id": "svc-1",
            "taxonomy_term_id": "term-1",
            "link_type": "lebenslage",
            "link_entity": "service",
        },
        {
            "id": "attr-2",
            "link_id": "svc-2",
            "taxonomy_term_id": "term-2",
            "link_entity": "service",
        },
        {
            "id": "attr-3",
            "link_id": "loc-1",
            "taxonomy_term_id": "term-2",
            "link_entity": "location",
            "value": "Wickelraum",
        },
    ],
}


def example() -> Dataset:
    return Dataset(copy.deepcopy(ROWS))


def _zip(files: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content.encode("utf-8") if isinstance(content, str) else content)
    return out.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _problems(action, *args) -> list[Problem]:
    with pytest.raises(HsdsError) as info:
        action(*args)
    return info.value.problems


# --- the dataset ------------------------------------------------------------------------


AGREED = """
organizations: id, name, alternate_name, description, email, website
services: id, organization_id, name, alternate_name, description, url, email, status, interpretation_services, application_process, fees_description, eligibility_description, minimum_age, maximum_age, assured_date, assurer_email, alert
locations: id, location_type, url, organization_id, name, alternate_name, description, transportation, latitude, longitude, external_identifier, external_identifier_type
service_at_locations: id, service_id, location_id, description
addresses: id, location_id, attention, address_1, address_2, city, region, state_province, postal_code, country, address_type
phones: id, location_id, service_id, organization_id, contact_id, service_at_location_id, number, extension, type, description
contacts: id, organization_id, service_id, service_at_location_id, location_id, name, title, department, email
schedules: id, service_id, location_id, service_at_location_id, valid_from, valid_to, dtstart, timezone, until, count, wkst, freq, interval, byday, byweekno, bymonthday, byyearday, description, opens_at, closes_at, schedule_link, attending_type, notes
cost_options: id, service_id, valid_from, valid_to, option, currency, amount, amount_description
languages: id, service_id, location_id, phone_id, name, code, note
accessibility: id, location_id, description, details, url
service_areas: id, service_id, service_at_location_id, name, description, extent, extent_type, uri
taxonomies: id, name, description, uri, version
taxonomy_terms: id, code, name, description, parent_id, taxonomy, language, taxonomy_id, term_uri
attributes: id, link_id, taxonomy_term_id, link_type, link_entity, value, label
"""  # noqa: E501


def test_tables_are_the_agreed_contract():
    agreed = {
        table: tuple(fields.split(", "))
        for table, fields in (line.split(": ") for line in AGREED.strip().splitlines())
    }
    assert agreed == TABLES
    assert list(TABLES) == list(agreed)
    assert sum(len(fields) for fields in TABLES.values()) == 141


def test_dataset_fills_every_table_and_field_and_treats_empty_text_as_none():
    dataset = Dataset({"organizations": [{"id": "o", "name": "A", "email": ""}]})
    assert dataset.rows("organizations") == [
        {
            "id": "o",
            "name": "A",
            "alternate_name": None,
            "description": None,
            "email": None,
            "website": None,
        }
    ]
    assert dataset.rows("services") == []
    assert set(dataset.tables) == set(TABLES)


def test_dataset_refuses_unknown_tables_and_fields():
    with pytest.raises(ValueError, match="Unbekannte HSDS-Tabelle: programs"):
        Dataset({"programs": []})
    with pytest.raises(ValueError, match="Unbekanntes Feld in services: colour"):
        Dataset({"services": [{"id": "s", "colour": "rot"}]})
    with pytest.raises(KeyError):
        example().rows("programs")


def test_example_is_valid():
    assert validate(example()) == []


# --- tabular data package ---------------------------------------------------------------


def test_tabular_round_trip_keeps_every_value_and_type():
    dataset = example()
    again = read_tabular(write_tabular(dataset))
    assert again == dataset
    service = again.rows("services")[2]
    assert (service["minimum_age"], service["maximum_age"]) == (6, 17.5)
    assert type(service["minimum_age"]) is int
    assert again.rows("services")[0]["assured_date"] == date(2024, 5, 2)
    assert again.rows("addresses")[0]["postal_code"] == "07381"
    assert again.rows("locations")[1]["url"] == "https://www.saale-orla-kreis.example/jugendamt"
    assert again.rows("schedules")[2]["opens_at"] == "08:00:00"


def test_tabular_writing_is_byte_identical_after_a_round_trip():
    first = write_tabular(example())
    assert write_tabular(read_tabular(first)) == first
    assert write_tabular(example()) == first


def test_tabular_package_has_descriptor_and_a_header_for_every_table():
    data = write_tabular(Dataset({"cost_options": ROWS["cost_options"]}))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    members = _members(data)
    assert list(members) == sorted(members)
    assert "service_at_location.csv" in members
    assert len(members) == 16
    assert members["services.csv"] == (",".join(TABLES["services"]) + "\r\n").encode()
    assert members["cost_options.csv"].decode() == (
        "id,service_id,valid_from,valid_to,option,currency,amount,amount_description\r\n"
        "cost-1,svc-2,,,Materialkosten,EUR,2.5,pro Treffen\r\n"
    )
    package = json.loads(members["datapackage.json"])
    assert (package["name"], package["profile"]) == ("human_services_data", "tabular-data-package")
    services = next(r for r in package["resources"] if r["name"] == "service")
    assert services["path"] == "services.csv"
    assert services["profile"] == "tabular-data-resource"
    assert services["schema"]["primaryKey"] == "id"
    assert services["schema"]["fields"][12] == {"name": "minimum_age", "type": "number"}
    assert services["schema"]["fields"][14] == {"name": "assured_date", "type": "date"}
    assert services["schema"]["foreignKeys"] == [
        {"fields": "organization_id", "reference": {"resource": "organization", "fields": "id"}}
    ]
    terms = next(r for r in package["resources"] if r["name"] == "taxonomy_term")
    assert terms["schema"]["foreignKeys"][0] == {
        "fields": "parent_id",
        "reference": {"resource": "", "fields": "id"},
    }


def test_csv_with_bom_and_unknown_columns_reads():
    services = "\ufeffid,name,farbe,status,organization_id\r\ns1,Krabbelgruppe,grün,active,o1\r\n"
    data = _zip({"organizations.csv": "id,name\no1,Verein\n", "services.csv": services})
    dataset = read_tabular(data)
    [row] = dataset.rows("services")
    assert (row["id"], row["name"], row["status"], row["description"]) == (
        "s1",
        "Krabbelgruppe",
        "active",
        None,
    )
    assert validate(dataset) == []


def test_zip_without_datapackage_in_a_folder_reads_and_accepts_the_plural_file_name():
    data = _zip(
        {
            "export/services.csv": "id,name\ns1,Beratung\n",
            "export/service_at_locations.csv": "id,service_id,location_id\nx,s1,l1\n",
            "__MACOSX/export/._services.csv": b"\x00\x05",
        }
    )
    dataset = read_tabular(data)
    assert [r["name"] for r in dataset.rows("services")] == ["Beratung"]
    assert dataset.rows("service_at_locations")[0]["location_id"] == "l1"
    assert dataset.rows("organizations") == []


def test_datapackage_paths_are_followed():
    package = {
        "resources": [
            {"name": "service", "path": "daten/angebote.csv"},
            {"name": ["kaputt"], "path": "organizations.csv"},
            {"name": "funding", "path": "funding.csv"},
        ]
    }
    data = _zip(
        {
            "paket/datapackage.json": json.dumps(package),
            "paket/daten/angebote.csv": "id,name\ns1,Beratung\n",
            "paket/organizations.csv": "id,name\no1,Verein\n",
        }
    )
    dataset = read_tabular(data)
    assert dataset.rows("services")[0]["name"] == "Beratung"
    assert dataset.rows("organizations")[0]["name"] == "Verein"
    broken = _zip({"datapackage.json": json.dumps(package), "organizations.csv": "id\n"})
    assert _problems(read_tabular, broken) == [
        Problem("services", "", "", "datapackage.json nennt „daten/angebote.csv“, die Datei fehlt.")
    ]


def test_csv_values_are_typed_and_unparsable_ones_are_kept_for_the_validator():
    services = (
        "id,organization_id,name,status,minimum_age,maximum_age,assured_date\n"
        "s1,o1,A,active, 12 ,22.50,2024-03-01\n"
        "s2,o1,B,active,zwölf,,2024-13-01\n"
        "\n"
        ",o1,C,active,,,\n"
    )
    dataset = read_tabular(_zip({"organizations.csv": "id,name\no1,V\n", "services.csv": services}))
    rows = dataset.rows("services")
    assert [(r["minimum_age"], r["maximum_age"], r["assured_date"]) for r in rows] == [
        (12, 22.5, date(2024, 3, 1)),
        ("zwölf", None, "2024-13-01"),
        (None, None, None),
    ]
    assert validate(dataset) == [
        Problem("services", "s2", "minimum_age", "Keine Zahl: 'zwölf'"),
        Problem("services", "s2", "assured_date", "Kein gültiges Datum (JJJJ-MM-TT): '2024-13-01'"),
        Problem("services", "Zeile 5", "id", "Pflichtfeld fehlt"),
    ]


def test_unreadable_packages_are_explained():
    assert [str(p) for p in _problems(read_tabular, b"id,name\n1,A\n")] == [
        "Die Datei ist kein ZIP-Archiv. Ein HSDS-Tabellenpaket ist ein ZIP mit CSV-Dateien "
        "wie organizations.csv und services.csv."
    ]
    [empty] = _problems(read_tabular, _zip({"liesmich.txt": "hallo"}))
    assert empty.message.startswith("Das ZIP-Archiv enthält keine HSDS-Tabelle (organizations.csv")
    cp1252 = "id,name\ns1,Pößneck\n".encode("cp1252")
    assert _problems(read_tabular, _zip({"services.csv": cp1252})) == [
        Problem(
            "services",
            "",
            "",
            "„services.csv“ ist nicht UTF-8-kodiert (Byte 13). Bitte als „CSV UTF-8“ speichern.",
        )
    ]
    semicolons = _zip({"services.csv": "id;name;status\ns1;A;active\n"})
    [problem] = _problems(read_tabular, semicolons)
    assert problem.table == "services"
    assert problem.message.endswith(
        "Die Spalten sind mit Semikolon getrennt; HSDS verlangt Kommas."
    )


# --- compiled JSON ----------------------------------------------------------------------


def test_json_round_trip_gives_the_same_dataset_and_the_same_bytes():
    dataset = example()
    text = write_json(dataset)
    assert read_json(text) == dataset
    assert write_json(read_json(text)) == text


def test_json_to_tabular_to_json_is_identical():
    text = write_json(example())
    assert write_json(read_tabular(write_tabular(read_json(text)))) == text


def test_json_nests_like_the_compiled_service():
    services = json.loads(write_json(example()))
    assert [s["id"] for s in services] == ["svc-1", "svc-2", "svc-3"]
    first = services[0]
    assert list(first)[:3] == ["id", "name", "description"]
    assert "organization_id" not in first
    assert first["organization"]["name"] == "Diakonie Ostthüringen e. V."
    assert first["assured_date"] == "2024-05-02"
    assert [lang["name"] for lang in first["languages"]] == ["Deutsch", "Arabisch"]
    assert first["phones"] == [
        {"id": "ph-1", "number": "+49 3647 123456", "extension": 12, "type": "voice"}
    ]
    location = first["service_at_locations"][0]["location"]
    assert location["addresses"][0]["city"] == "Pößneck"
    assert location["accessibility"][0]["description"] == "Stufenloser Eingang"
    assert location["attributes"][0]["value"] == "Wickelraum"
    term = first["attributes"][0]["taxonomy_term"]
    assert first["attributes"][0] == {
        "id": "attr-1",
        "link_type": "lebenslage",
        "taxonomy_term": term,
    }
    assert term["taxonomy_detail"]["name"] == "Lebenslagen"
    assert "taxonomy_id" not in term
    second_place = services[1]["service_at_locations"][0]
    assert second_place["schedules"][0]["byday"] == "2SA"
    assert services[2]["service_at_locations"][0]["location"]["schedules"][0]["id"] == "sch-3"
    assert services[2]["maximum_age"] == 17.5


def test_json_accepts_a_list_a_services_wrapper_and_a_single_service():
    service = {"id": "s1", "name": "Beratung", "status": "active", "organization": {"id": "o1"}}
    for document in ([service], {"services": [service]}, {"contents": [service]}, service):
        dataset = read_json(json.dumps(document).encode())
        assert dataset.rows("services")[0]["organization_id"] == "o1"
        assert dataset.rows("organizations")[0]["id"] == "o1"


def test_json_links_come_from_nesting_and_shared_objects_merge():
    organization = {"id": "o1", "name": "Verein", "phones": [{"id": "p1", "number": "1"}]}
    location = {
        "id": "l1",
        "location_type": "physical",
        "phones": [{"id": "p2", "number": "2", "languages": [{"id": "g1", "name": "Deutsch"}]}],
    }
    document = [
        {
            "id": f"s{n}",
            "name": "Angebot",
            "status": "active",
            "organization": organization,
            "service_at_locations": [{"id": f"a{n}", "location": location}],
        }
        for n in (2, 1)
    ]
    document[1]["organization"] = {"id": "o1", "description": "Nur hier beschrieben"}
    document[0]["attributes"] = [
        {
            "id": "t1",
            "taxonomy_term": {
                "id": "k1",
                "name": "Stress",
                "taxonomy_details": {"id": "x1", "name": "Gesundheit"},
            },
        }
    ]
    dataset = read_json(json.dumps(document).encode())
    assert [s["id"] for s in dataset.rows("services")] == ["s1", "s2"]
    assert dataset.rows("organizations") == [
        {
            "id": "o1",
            "name": "Verein",
            "alternate_name": None,
            "description": "Nur hier beschrieben",
            "email": None,
            "website": None,
        }
    ]
    assert [(p["id"], p["organization_id"], p["location_id"]) for p in dataset.rows("phones")] == [
        ("p1", "o1", None),
        ("p2", None, "l1"),
    ]
    assert dataset.rows("languages")[0]["phone_id"] == "p2"
    assert [(s["id"], s["location_id"]) for s in dataset.rows("service_at_locations")] == [
        ("a1", "l1"),
        ("a2", "l1"),
    ]
    [attribute] = dataset.rows("attributes")
    assert (attribute["link_id"], attribute["link_entity"], attribute["taxonomy_term_id"]) == (
        "s2",
        "service",
        "k1",
    )
    assert dataset.rows("taxonomy_terms")[0]["taxonomy_id"] == "x1"
    assert len(dataset.rows("locations")) == 1
    assert validate(dataset) == []


def test_json_conflicting_copies_and_bad_structure_are_reported():
    document = [
        {"id": "s1", "name": "A", "status": "active", "organization": {"id": "o1", "name": "X"}},
        {"id": "s2", "name": "B", "status": "active", "organization": {"id": "o1", "name": "Y"}},
        {"id": "s3", "name": "C", "status": "active", "phones": [{"id": "p", "service_id": "s9"}]},
    ]
    assert _problems(read_json, json.dumps(document).encode()) == [
        Problem(
            "organizations",
            "o1",
            "name",
            "Widersprüchliche Angaben für dieselbe Kennung: 'X' und 'Y'",
        ),
        Problem("phones", "p", "service_id", "Angegeben ist 's9', das Objekt steht aber bei 's3'"),
    ]
    bad = [{"id": "s1", "phones": {"id": "p"}}, "Beratung"]
    assert _problems(read_json, json.dumps(bad).encode()) == [
        Problem("phones", "Objekt services[0].phones", "", "Erwartet eine Liste."),
        Problem("services", "Objekt services[1]", "", "Erwartet ein Objekt, gefunden: 'Beratung'"),
    ]
    assert _problems(read_json, b'{"id": "s1",') == [
        Problem("", "", "", "Kein gültiges JSON (Zeile 1, Spalte 13).")
    ]


def test_json_leaves_out_what_hangs_off_no_service():
    dataset = Dataset(
        {
            "organizations": [{"id": "o1", "name": "A"}, {"id": "o2", "name": "Ohne Angebot"}],
            "services": [{"id": "s1", "organization_id": "o1", "name": "S", "status": "active"}],
            "locations": [{"id": "l1", "location_type": "postal", "organization_id": "o1"}],
        }
    )
    [service] = json.loads(write_json(dataset))
    assert service["organization"]["locations"] == [{"id": "l1", "location_type": "postal"}]
    assert [o["id"] for o in read_json(write_json(dataset)).rows("organizations")] == ["o1"]


# --- validation ---------------------------------------------------------------------------

CASES = [
    ("services", 1, {"name": None}, "svc-2", "name", "Pflichtfeld fehlt"),
    ("cost_options", 0, {"id": None}, "Zeile 2", "id", "Pflichtfeld fehlt"),
    ("phones", 1, {"location_id": None}, "ph-2", "",
     "Gehört zu nichts: eines der Felder location_id, service_id, organization_id, "
     "contact_id, service_at_location_id muss gefüllt sein"),
    ("services", 0, {"status": "offen"}, "svc-1", "status",
     "Kein erlaubter Wert: 'offen' (erlaubt: active, inactive, defunct, temporarily closed)"),
    ("locations", 0, {"location_type": "online"}, "loc-1", "location_type",
     "Kein erlaubter Wert: 'online' (erlaubt: physical, postal, virtual)"),
    ("addresses", 0, {"address_type": "Haus"}, "adr-1", "address_type",
     "Kein erlaubter Wert: 'Haus' (erlaubt: physical, postal, virtual)"),
    ("schedules", 0, {"freq": "DAILY"}, "sch-1", "freq",
     "Kein erlaubter Wert: 'DAILY' (erlaubt: WEEKLY, MONTHLY)"),
    ("schedules", 0, {"byday": "MO,Mi"}, "sch-1", "byday",
     "Ungültige Wochentage: 'MO,Mi' (erlaubt: MO, TU, WE, TH, FR, SA, SU, durch Komma "
     "getrennt, wahlweise mit Zahl davor wie 2MO oder -1FR)"),
    ("services", 0, {"minimum_age": -1}, "svc-1", "minimum_age", "Darf nicht negativ sein: -1"),
    ("services", 0, {"minimum_age": 30}, "svc-1", "maximum_age",
     "Höchstalter 27 ist kleiner als Mindestalter 30"),
    ("services", 0, {"maximum_age": "27 Jahre"}, "svc-1", "maximum_age", "Keine Zahl: '27 Jahre'"),
    ("locations", 1, {"latitude": 95.5}, "loc-2", "latitude",
     "Breitengrad muss zwischen -90 und 90 liegen: 95.5"),
    ("locations", 1, {"longitude": -181}, "loc-2", "longitude",
     "Längengrad muss zwischen -180 und 180 liegen: -181"),
    ("cost_options", 0, {"amount": "2,50 €"}, "cost-1", "amount", "Keine Zahl: '2,50 €'"),
    ("cost_options", 0, {"valid_to": "31.12.2024"}, "cost-1", "valid_to",
     "Kein gültiges Datum (JJJJ-MM-TT): '31.12.2024'"),
    ("schedules", 1, {"closes_at": "11.30 Uhr"}, "sch-2", "closes_at",
     "Keine gültige Uhrzeit (HH:MM oder HH:MM:SS): '11.30 Uhr'"),
    ("contacts", 0, {"email": "anna.beispiel"}, "con-1", "email",
     "Keine gültige E-Mail-Adresse: 'anna.beispiel'"),
    ("organizations", 1, {"website": "www.saale-orla-kreis.de"}, "org-2", "website",
     "Keine gültige Web-Adresse (http:// oder https://): 'www.saale-orla-kreis.de'"),
    ("locations", 0, {"url": "beratung-online"}, "loc-1", "url",
     "Keine gültige Web-Adresse (http:// oder https://): 'beratung-online'"),
    ("taxonomies", 0, {"uri": "ftp://lebenslagen.example"}, "tax-1", "uri",
     "Keine gültige Web-Adresse (http:// oder https://): 'ftp://lebenslagen.example'"),
    ("organizations", 1, {"name": 7}, "org-2", "name", "Kein Text: 7"),
    ("languages", 1, {"id": "lang-1"}, "lang-1", "id",
     "Kennung kommt mehrfach vor (zuerst: Zeile 2)"),
    ("services", 2, {"organization_id": "abc"}, "svc-3", "organization_id",
     "Verweist auf eine Organisation, die es nicht gibt: 'abc'"),
    ("service_at_locations", 0, {"location_id": "loc-9"}, "sal-1", "location_id",
     "Verweist auf einen Standort, den es nicht gibt: 'loc-9'"),
    ("attributes", 0, {"taxonomy_term_id": "term-9"}, "attr-1", "taxonomy_term_id",
     "Verweist auf eine Kategorie, die es nicht gibt: 'term-9'"),
    ("attributes", 1, {"link_id": "svc-9"}, "attr-2", "link_id",
     "Verweist auf ein Angebot, das es nicht gibt: 'svc-9'"),
    ("attributes", 0, {"link_entity": None}, "attr-1", "link_entity", "Pflichtfeld fehlt"),
    ("attributes", 2, {"link_entity": "locations"}, "attr-3", "link_entity",
     "Unbekannter Eintragstyp: 'locations' (erlaubt: accessibility, address, attribute, contact, "
     "cost_option, language, location, organization, phone, schedule, service, "
     "service_area, service_at_location, taxonomy, taxonomy_term)"),
    ("taxonomy_terms", 1, {"parent_id": "term-7"}, "term-2", "parent_id",
     "Verweist auf eine Kategorie, die es nicht gibt: 'term-7'"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("table", "index", "changes", "record", "field", "message"),
    CASES,
    ids=[f"{c[0]}-{c[4] or 'row'}-{c[3]}" for c in CASES],
)
def test_validate_names_table_record_and_field(table, index, changes, record, field, message):
    rows = copy.deepcopy(ROWS)
    rows[table][index].update(changes)
    assert validate(Dataset(rows)) == [Problem(table, record, field, message)]


def test_good_variants_pass_validation():
    rows = copy.deepcopy(ROWS)
    rows["schedules"][0].update(byday="-1FR, 2MO,SU", opens_at="09:00Z", closes_at="17:30+01:00")
    rows["schedules"][0]["wkst"] = "MO"
    rows["services"][0].update(url="http://beratung.example/pfad?x=1", minimum_age=27.0)
    rows["locations"][0].update(location_type="virtual", url="https://chat.beratung.example")
    rows["attributes"][2].update(link_entity="service_at_location", link_id="sal-2")
    rows["attributes"][1].update(link_entity=None, link_type="service")
    assert validate(Dataset(rows)) == []


def test_an_entity_in_link_type_is_understood_when_link_entity_is_empty():
    rows = copy.deepcopy(ROWS)
    rows["attributes"][1].update(link_entity=None, link_type="service")
    services = json.loads(write_json(Dataset(rows)))
    assert services[1]["attributes"] == [
        {
            "id": "attr-2",
            "link_type": "service",
            "taxonomy_term": services[1]["attributes"][0]["taxonomy_term"],
        }
    ]
    again = read_json(write_json(Dataset(rows)))
    assert again.rows("attributes")[1]["link_entity"] == "service"
    assert again.rows("attributes")[1]["link_id"] == "svc-2"


def test_problem_text_is_plain_german():
    assert str(Problem("services", "svc-1", "status", "Kein erlaubter Wert: 'x'")) == (
        "Angebote (services), Eintrag „svc-1“, Feld „status“: Kein erlaubter Wert: 'x'"
    )
    assert str(Problem("phones", "Zeile 3", "", "Gehört zu nichts")) == (
        "Telefonnummern (phones), Zeile 3: Gehört zu nichts"
    )
    assert str(Problem("", "", "", "Die Datei ist leer.")) == "Die Datei ist leer."


def test_error_lists_fifty_problems_and_counts_the_rest():
    problems = [Problem("services", f"s{n}", "name", "Pflichtfeld fehlt") for n in range(53)]
    lines = str(HsdsError(problems)).split("\n")
    assert len(lines) == 51
    assert lines[0] == "Angebote (services), Eintrag „s0“, Feld „name“: Pflichtfeld fehlt"
    assert lines[-1] == "… und 3 weitere"


# --- load ---------------------------------------------------------------------------------


def test_load_reads_both_forms_by_name_or_content():
    dataset = example()
    assert load(write_tabular(dataset), "verzeichnis.zip") == dataset
    assert load(write_tabular(dataset), "upload") == dataset
    assert load(write_json(dataset), "angebote.json") == dataset
    assert load(b"\xef\xbb\xbf" + write_json(dataset), "upload.txt") == dataset


def test_load_rejects_a_file_with_several_problems_and_lists_all():
    rows = copy.deepcopy(ROWS)
    rows["services"][0]["status"] = "offen"
    rows["locations"][1]["latitude"] = 150
    rows["phones"][0]["service_id"] = "svc-9"
    data = write_tabular(Dataset(rows))
    with pytest.raises(HsdsError) as info:
        load(data, "export.zip")
    assert info.value.problems == [
        Problem(
            "services",
            "svc-1",
            "status",
            "Kein erlaubter Wert: 'offen' (erlaubt: active, inactive, defunct, temporarily closed)",
        ),
        Problem(
            "locations", "loc-2", "latitude", "Breitengrad muss zwischen -90 und 90 liegen: 150"
        ),
        Problem(
            "phones", "ph-1", "service_id", "Verweist auf ein Angebot, das es nicht gibt: 'svc-9'"
        ),
    ]
    assert str(info.value).split("\n") == [str(p) for p in info.value.problems]


def test_load_reports_json_conflicts_together_with_validation_problems():
    document = [
        {"id": "s1", "name": "A", "status": "aktiv", "organization": {"id": "o1", "name": "X"}},
        {"id": "s2", "name": "B", "status": "active", "organization": {"id": "o1", "name": "Y"}},
    ]
    assert _problems(load, json.dumps(document).encode(), "a.json") == [
        Problem(
            "organizations",
            "o1",
            "name",
            "Widersprüchliche Angaben für dieselbe Kennung: 'X' und 'Y'",
        ),
        Problem(
            "services",
            "s1",
            "status",
            "Kein erlaubter Wert: 'aktiv' (erlaubt: active, inactive, defunct, temporarily closed)",
        ),
    ]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (
            b"Hallo",
            "liste.txt",
            "Die Datei „liste.txt“ ist weder ein HSDS-Tabellenpaket (ZIP) noch HSDS-JSON.",
        ),
        (b"", "leer.zip", "Die Datei „leer.zip“ ist leer."),
        (
            b"id,name\ns1,A\n",
            "services.csv",
            "Eine einzelne CSV-Datei reicht nicht: bitte alle Tabellen (z. B. organizations.csv, "
            "services.csv) zusammen als ZIP-Archiv hochladen.",
        ),
        (
            b"42",
            "zahl.json",
            "Das JSON enthält weder eine Liste von Angeboten noch ein einzelnes Angebot.",
        ),
    ],
)
def test_load_explains_files_it_cannot_read(data, filename, message):
    assert [str(p) for p in _problems(load, data, filename)] == [message]


# --- property -----------------------------------------------------------------------------

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from(
    ["", " ", ",", '"', '""', "a,b\nc", "\r\n", "\r", "Größe: 3 „Äpfel“", "'; DROP", "\ufeffid"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=TEXT, description=TEXT, note=TEXT, city=TEXT, option=TEXT)
def test_any_text_survives_the_tabular_round_trip(name, description, note, city, option):
    rows = copy.deepcopy(ROWS)
    rows["organizations"][0].update(name=name, description=description)
    rows["languages"][1]["note"] = note
    rows["addresses"][0]["city"] = city
    rows["cost_options"][0]["option"] = option
    dataset = Dataset(rows)
    data = write_tabular(dataset)
    assert read_tabular(data) == dataset
    assert write_tabular(read_tabular(data)) == data


def test_written_csv_is_plain_rfc_4180():
    rows = copy.deepcopy(ROWS)
    rows["organizations"][0]["description"] = 'Zeile 1\nZeile "2", mit Komma'
    text = _members(write_tabular(Dataset(rows)))["organizations.csv"].decode()
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert parsed[1][3] == 'Zeile 1\nZeile "2", mit Komma'
    assert '"Zeile 1\nZeile ""2"", mit Komma"' in text
