"""HSDS in and out of the database: a validated dataset is stored whole or not at all.

Records are matched by their HSDS id, so importing the same file twice changes nothing and an
export imported elsewhere keeps its ids. The details of every imported service and location
(addresses, phones, opening hours …) are replaced by those in the file.
"""

import datetime as dt
import json
from decimal import Decimal

from django.db import transaction
from shapely.geometry import Point, shape
from shapely.strtree import STRtree

from sozialplanung.io.hsds import TABLES, Dataset, HsdsError, Problem, validate
from sozialplanung.io.hsds_tables import FOREIGN_KEYS, attribute_target
from sozialplanung.web.areas.models import Area, Level

from . import fulltext
from .hsds_export import row_of
from .hsds_models import MODELS
from .models import Attribute, Location, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from .taxonomy import TAXONOMY_ID

LINK_FIELDS = {"services": "service", "organizations": "organization", "locations": "location"}
DETAIL_TABLES = [
    "addresses", "contacts", "phones", "schedules", "cost_options", "languages",
    "accessibility", "service_areas",
]  # fmt: skip


@transaction.atomic
def import_dataset(dataset: Dataset, *, example: bool = False, public: bool = True) -> dict:
    """Store a dataset; every problem found first is raised together and nothing is stored."""
    referenced = _complete_from_database(dataset)
    problems = validate(dataset)
    _keep_own_taxonomy(dataset, referenced)
    if problems:
        raise HsdsError(problems)
    stored: dict[str, dict[str, object]] = {}
    # Only what the file carries is replaced; records it merely refers to stay as they are.
    services = {row["id"] for row in dataset.rows("services")} - referenced["services"].keys()
    locations = {row["id"] for row in dataset.rows("locations")} - referenced["locations"].keys()
    listed_places = {row["id"] for row in dataset.rows("service_at_locations")}
    ServiceAtLocation.objects.filter(service__hsds_id__in=services).exclude(
        hsds_id__in=listed_places
    ).delete()
    for table in DETAIL_TABLES:  # replaced, not merged: the file says what is there now
        model, links = MODELS[table]
        old = model.objects.none()
        if "service_id" in links:
            old = old | model.objects.filter(service__hsds_id__in=services)
        if "location_id" in links:
            old = old | model.objects.filter(location__hsds_id__in=locations)
        old.delete()
    Attribute.objects.filter(service__hsds_id__in=services).delete()
    for table, (model, links) in MODELS.items():
        stored[table] = dict(referenced[table])  # already stored: found, not changed
        for row in _parents_first(dataset.rows(table), table):
            if row["id"] in referenced[table]:
                continue
            values = _values(row, table, links, stored, model)
            values["is_example"] = example
            if model is Service:
                values["is_public"] = public
            obj, _created = model.objects.update_or_create(hsds_id=row["id"], defaults=values)
            stored[table][row["id"]] = obj
    for row in dataset.rows("attributes"):
        _attribute(row, stored, example)
    imported = {
        table: [obj for key, obj in objs.items() if key not in referenced[table]]
        for table, objs in stored.items()
    }
    _after_import(imported["services"], imported["locations"])
    return {table: len(objs) for table, objs in imported.items()}


def _complete_from_database(dataset: Dataset) -> dict[str, dict[str, object]]:
    """Add the records a file refers to but does not carry, when they are already stored.

    A provider's file may name its organisation or a life situation by id only; validation
    then finds them, and storing leaves them as they are. Returns them by table and id.
    """
    referenced: dict[str, dict[str, object]] = {table: {} for table in MODELS}
    while wanted := _missing(dataset):  # a term found may name its taxonomy, and so on
        for table, ids in wanted.items():
            model, links = MODELS[table]
            found = list(model.objects.filter(hsds_id__in=ids))
            if not found:
                continue
            dataset.tables[table] += [row_of(obj, table, links) for obj in found]
            referenced[table] |= {obj.hsds_id: obj for obj in found}
        if not any(referenced[t].keys() & ids for t, ids in wanted.items()):
            break  # what is still missing is not stored either: validation will say so
    return referenced


def _keep_own_taxonomy(dataset: Dataset, referenced: dict) -> None:
    """The life situations the directory ships with are referenced by files, never changed."""
    for table, model in (("taxonomies", Taxonomy), ("taxonomy_terms", TaxonomyTerm)):
        ids = {row["id"] for row in dataset.rows(table)}
        own = model.objects.filter(hsds_id__in=ids, hsds_id__startswith=TAXONOMY_ID)
        referenced[table] |= {obj.hsds_id: obj for obj in own}


def _missing(dataset: Dataset) -> dict[str, set[str]]:
    """Ids that rows link to but no row of the dataset carries, by table."""
    have = {table: {row["id"] for row in dataset.rows(table)} for table in TABLES}
    wanted: dict[str, set[str]] = {}
    for table, links in FOREIGN_KEYS.items():
        for row in dataset.rows(table):
            for link, target in links.items():
                if row.get(link) and row[link] not in have[target]:
                    wanted.setdefault(target, set()).add(row[link])
    for row in dataset.rows("attributes"):
        target = attribute_target(row)
        if target in LINK_FIELDS and row.get("link_id") and row["link_id"] not in have[target]:
            wanted.setdefault(target, set()).add(row["link_id"])
    return {table: ids for table, ids in wanted.items() if table in MODELS}


def _parents_first(rows: list[dict], table: str) -> list[dict]:
    """Taxonomy terms whose parent is in the same file come after that parent."""
    if table != "taxonomy_terms":
        return rows
    ordered, done, pending = [], set(), list(rows)
    while pending:
        ready = [r for r in pending if not r.get("parent_id") or r["parent_id"] in done
                 or r["parent_id"] not in {p["id"] for p in pending}]  # fmt: skip
        ordered += ready
        done |= {r["id"] for r in ready}
        pending = [r for r in pending if r["id"] not in done]
    return ordered


def _values(row: dict, table: str, links: dict, stored: dict, model) -> dict:
    values = {}
    fields = {f.name: f for f in model._meta.concrete_fields}
    for name in TABLES[table]:
        if name == "id":
            continue
        value = row.get(name)
        if name in links:
            values[links[name]] = _find(value, stored, links[name], model) if value else None
        elif name in fields:
            values[name] = _stored_value(fields[name], value)
    return values


def _find(hsds_id: str, stored: dict, field: str, model):
    target = model._meta.get_field(field).related_model
    for objects in stored.values():
        found = objects.get(hsds_id)
        if isinstance(found, target):
            return found
    return target.objects.get(hsds_id=hsds_id)  # validated: it exists in the database


def _stored_value(field, value):
    if value is None:
        return None if field.null else ("" if field.get_internal_type() in TEXT else field.default)
    kind = field.get_internal_type()
    if kind == "TimeField" and isinstance(value, str):
        return dt.time.fromisoformat(value)
    if kind == "DecimalField":
        return Decimal(str(value))
    if kind in ("PositiveSmallIntegerField", "PositiveIntegerField"):
        return int(value)
    return value


TEXT = {"CharField", "TextField", "EmailField", "URLField"}


def _attribute(row: dict, stored: dict, example: bool) -> None:
    target_table = attribute_target(row)
    if target_table not in LINK_FIELDS:
        raise HsdsError(
            [
                Problem(
                    "attributes",
                    row["id"],
                    "link_entity",
                    "Merkmale lassen sich hier nur Angeboten, Organisationen und Orten zuordnen.",
                )
            ]
        )
    term = stored["taxonomy_terms"][row["taxonomy_term_id"]]
    target = stored[target_table][row["link_id"]]
    Attribute.objects.update_or_create(
        hsds_id=row["id"],
        defaults={
            "taxonomy_term": term,
            LINK_FIELDS[target_table]: target,
            "link_entity": row.get("link_entity") or LINK_FIELDS[target_table],
            "link_type": row.get("link_type") or "",
            "value": row.get("value") or "",
            "label": row.get("label") or "",
            "is_example": example,
        },
    )


def _after_import(services: list[Service], locations: list[Location]) -> None:
    """Free of charge from the costs, each location's municipality, the search index."""
    for service in services:
        amounts = [c.amount for c in service.cost_options.all() if c.amount is not None]
        free = bool(amounts) and all(a == 0 for a in amounts)
        if free != service.free_of_charge:
            service.free_of_charge = free
            service.save(update_fields=["free_of_charge"])
    locate(locations)
    fulltext.reindex(Service.objects.filter(pk__in=[s.pk for s in services]))


def locate(locations: list[Location]) -> None:
    """Set each location's municipality from its point and today's municipal boundaries."""
    municipalities = [
        a
        for a in Area.objects.filter(level=Level.MUNICIPALITY).valid_on(dt.date.today())
        if a.geometry
    ]
    if not municipalities:
        return
    shapes = [shape(json.loads(a.geometry)) for a in municipalities]
    tree = STRtree(shapes)
    for location in locations:
        if location.latitude is None or location.longitude is None:
            continue
        point = Point(location.longitude, location.latitude)
        hits = [i for i in tree.query(point, predicate="intersects")]
        municipality = municipalities[hits[0]] if hits else None
        if location.municipality_id != (municipality.pk if municipality else None):
            location.municipality = municipality
            location.save(update_fields=["municipality"])
