"""The demo county's directory of support services, built as an HSDS dataset and imported.

Real: the three hospital sites of the county with their public addresses (Eurostat/GISCO).
Everything else comes from ``angebote_beispiele.toml`` and is example content, placed near the
centre of a real municipality. Both go through the same validated import as any HSDS file.
"""

import datetime as dt
import json
import tomllib
import uuid
from collections.abc import Callable
from pathlib import Path

from shapely.geometry import shape

from sozialplanung.io.hsds import TABLES, Dataset
from sozialplanung.web.areas.models import Area, Level
from sozialplanung.web.directory.hsds_import import import_dataset
from sozialplanung.web.directory.models import Organization, Service
from sozialplanung.web.directory.taxonomy import TAXONOMY_ID, install_life_situations
from sozialplanung.web.network.models import Actor

DATA = Path(__file__).parent / "data"
HOSPITALS = DATA / "krankenhaeuser_eurostat_sok.geojson"
EXAMPLES = DATA / "angebote_beispiele.toml"
CHECKED = dt.date(2026, 1, 15)  # the demo's entries count as checked on this day
NAMESPACE = uuid.UUID("6f0c7a52-2d0e-4b1c-9a53-5b0a4f1f0e11")  # stable ids across loads


def load_demo_directory(report: Callable[[str], None] = print) -> None:
    install_life_situations()
    if Service.objects.exists():
        report("  Angebote: schon geladen")
        return
    real = import_dataset(_hospitals(), example=False)
    examples = import_dataset(_examples(), example=True)
    _link_actors()
    report(
        f"  Angebote: {real['services']} echte (Krankenhäuser, Eurostat/GISCO), "
        f"{examples['services']} Beispiele"
    )


def _id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def _empty() -> dict[str, list[dict]]:
    return {table: [] for table in TABLES}


def _row(table: str, **values) -> dict:
    return {**dict.fromkeys(TABLES[table]), **values}


def _hospitals() -> Dataset:
    tables = _empty()
    features = json.loads(HOSPITALS.read_text(encoding="utf-8"))["features"]
    for feature in features:
        p = feature["properties"]
        org, service, location = (
            _id("org", p["hospital_name"]),
            _id("svc", p["id"]),
            _id("loc", p["id"]),
        )
        if not any(o["id"] == org for o in tables["organizations"]):
            tables["organizations"].append(_row("organizations", id=org, name=p["hospital_name"]))
        tables["services"].append(
            _row(
                "services", id=service, organization_id=org, name=p["site_name"], status="active",
                description="Krankenhausstandort laut Krankenhausstandortverzeichnis (InEK, "
                "Stand 8.3.2020), veröffentlicht von Eurostat/GISCO.",
                assured_date=dt.date(2020, 4, 16),
            )
        )  # fmt: skip
        tables["locations"].append(
            _row(
                "locations", id=location, organization_id=org, name=p["site_name"],
                location_type="physical", latitude=float(p["lat"]), longitude=float(p["lon"]),
                external_identifier=p["id"], external_identifier_type="InEK-Standortnummer",
            )
        )  # fmt: skip
        tables["addresses"].append(
            _row(
                "addresses", id=_id("adr", p["id"]), location_id=location,
                address_1=f"{p['street']} {p['house_number']}", city=p["city"],
                postal_code=p["postcode"], country="DE", address_type="physical",
                state_province="Thüringen",
            )
        )  # fmt: skip
        tables["service_at_locations"].append(
            _row("service_at_locations", id=_id("sal", p["id"]), service_id=service,
                 location_id=location)
        )  # fmt: skip
        tables["attributes"].append(_term_link(service, "gesundheit"))
    return Dataset(tables)


def _term_link(service: str, code: str) -> dict:
    return _row(
        "attributes",
        id=_id("attr", service, code),
        link_id=service,
        link_type="service",
        link_entity="service",
        taxonomy_term_id=f"{TAXONOMY_ID}-{code}",
    )


def _examples() -> Dataset:
    spec = tomllib.loads(EXAMPLES.read_text(encoding="utf-8"))
    centres = _centres()
    tables = _empty()
    orgs = {}
    for org in spec["organisation"]:
        orgs[org["key"]] = _id("org", org["key"])
        tables["organizations"].append(
            _row("organizations", id=orgs[org["key"]], name=org["name"], email=org["email"])
        )
    for n, entry in enumerate(spec["service"]):
        service = _id("svc", entry["name"])
        tables["services"].append(
            _row(
                "services", id=service, organization_id=orgs[entry["organisation"]],
                name=entry["name"], description=entry["description"], status="active",
                minimum_age=entry.get("min_age"), maximum_age=entry.get("max_age"),
                fees_description=entry.get("fees"), assured_date=CHECKED,
                email=next(o["email"] for o in spec["organisation"]
                           if o["key"] == entry["organisation"]),
            )
        )  # fmt: skip
        if entry.get("free"):
            tables["cost_options"].append(
                _row("cost_options", id=_id("cost", service), service_id=service,
                     option="kostenlos", currency="EUR", amount=0.0)
            )  # fmt: skip
        for code in entry["situations"]:
            tables["attributes"].append(_term_link(service, code))
        for language in entry["languages"]:
            tables["languages"].append(
                _row("languages", id=_id("lang", service, language), service_id=service,
                     name=language)
            )  # fmt: skip
        tables["schedules"].append(
            _row("schedules", id=_id("sched", service), service_id=service, freq="WEEKLY",
                 byday=entry["days"], opens_at=entry["opens"], closes_at=entry["closes"])
        )  # fmt: skip
        for k, place in enumerate(entry["places"]):
            _example_location(tables, service, orgs[entry["organisation"]], entry, place,
                              centres[place], n, k)  # fmt: skip
    return Dataset(tables)


def _example_location(tables, service, org, entry, place, centre, n, k) -> None:
    location = _id("loc", entry["organisation"], place)
    if not any(row["id"] == location for row in tables["locations"]):
        lat, lon = centre
        # Spread the example places a little around the centre, so markers do not coincide.
        offset = ((n * 7 + k * 3) % 11 - 5) / 1500
        tables["locations"].append(
            _row("locations", id=location, organization_id=org, location_type="physical",
                 name=f"{place} (Beispielort)", latitude=round(lat + offset, 5),
                 longitude=round(lon - offset, 5))
        )  # fmt: skip
        tables["addresses"].append(
            _row("addresses", id=_id("adr", location), location_id=location,
                 address_1="Beispielstraße 1", city=place, postal_code="00000", country="DE",
                 address_type="physical", state_province="Thüringen")
        )  # fmt: skip
        if entry.get("accessible"):
            tables["accessibility"].append(
                _row("accessibility", id=_id("acc", location), location_id=location,
                     description="Stufenloser Zugang, barrierefreies WC (Beispielangabe)")
            )  # fmt: skip
    tables["service_at_locations"].append(
        _row("service_at_locations", id=_id("sal", service, location), service_id=service,
             location_id=location)
    )  # fmt: skip


def _centres() -> dict[str, tuple[float, float]]:
    centres = {}
    for area in Area.objects.filter(level=Level.MUNICIPALITY).valid_on(dt.date.today()):
        if area.geometry:
            point = shape(json.loads(area.geometry)).representative_point()
            centres[area.name] = (point.y, point.x)
    return centres


def _link_actors() -> None:
    """Example organisations that are also actors of the strategy: their members keep them."""
    spec = tomllib.loads(EXAMPLES.read_text(encoding="utf-8"))
    for org in spec["organisation"]:
        if "actor" not in org:
            continue
        actor = Actor.objects.filter(name=org["actor"]).first()
        if actor is not None:
            Organization.objects.filter(hsds_id=_id("org", org["key"])).update(actor=actor)
