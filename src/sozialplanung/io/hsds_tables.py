"""The HSDS 3.0 tables the directory exchanges, and what is known about each field.

One place for the table and field lists so the Django models, the validator and
both file formats (CSV package and nested JSON) share a single contract. Field
lists follow schema/*.json of openreferral/specification, scalar fields only;
deprecated fields and the program, funding and metadata objects are left out.
The flat Dataset, the Problem report and the value parsing live here too, at the
bottom of the import graph, so hsds, hsds_tabular and hsds_json can all use them
without importing each other in a circle.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

TABLES: dict[str, tuple[str, ...]] = {
    "organizations": ("id", "name", "alternate_name", "description", "email", "website"),
    "services": (
        "id",
        "organization_id",
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "status",
        "interpretation_services",
        "application_process",
        "fees_description",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "assured_date",
        "assurer_email",
        "alert",
    ),
    "locations": (
        "id",
        "location_type",
        "url",
        "organization_id",
        "name",
        "alternate_name",
        "description",
        "transportation",
        "latitude",
        "longitude",
        "external_identifier",
        "external_identifier_type",
    ),
    "service_at_locations": ("id", "service_id", "location_id", "description"),
    "addresses": (
        "id",
        "location_id",
        "attention",
        "address_1",
        "address_2",
        "city",
        "region",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ),
    "phones": (
        "id",
        "location_id",
        "service_id",
        "organization_id",
        "contact_id",
        "service_at_location_id",
        "number",
        "extension",
        "type",
        "description",
    ),
    "contacts": (
        "id",
        "organization_id",
        "service_id",
        "service_at_location_id",
        "location_id",
        "name",
        "title",
        "department",
        "email",
    ),
    "schedules": (
        "id",
        "service_id",
        "location_id",
        "service_at_location_id",
        "valid_from",
        "valid_to",
        "dtstart",
        "timezone",
        "until",
        "count",
        "wkst",
        "freq",
        "interval",
        "byday",
        "byweekno",
        "bymonthday",
        "byyearday",
        "description",
        "opens_at",
        "closes_at",
        "schedule_link",
        "attending_type",
        "notes",
    ),
    "cost_options": (
        "id",
        "service_id",
        "valid_from",
        "valid_to",
        "option",
        "currency",
        "amount",
        "amount_description",
    ),
    "languages": ("id", "service_id", "location_id", "phone_id", "name", "code", "note"),
    "accessibility": ("id", "location_id", "description", "details", "url"),
    "service_areas": (
        "id",
        "service_id",
        "service_at_location_id",
        "name",
        "description",
        "extent",
        "extent_type",
        "uri",
    ),
    "taxonomies": ("id", "name", "description", "uri", "version"),
    "taxonomy_terms": (
        "id",
        "code",
        "name",
        "description",
        "parent_id",
        "taxonomy",
        "language",
        "taxonomy_id",
        "term_uri",
    ),
    "attributes": (
        "id",
        "link_id",
        "taxonomy_term_id",
        "link_type",
        "link_entity",
        "value",
        "label",
    ),
}

# The spec's singular object names: datapackage resource names and attribute.link_entity values.
ENTITIES: dict[str, str] = {
    "organizations": "organization",
    "services": "service",
    "locations": "location",
    "service_at_locations": "service_at_location",
    "addresses": "address",
    "phones": "phone",
    "contacts": "contact",
    "schedules": "schedule",
    "cost_options": "cost_option",
    "languages": "language",
    "accessibility": "accessibility",
    "service_areas": "service_area",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
    "attributes": "attribute",
}
TABLE_OF_ENTITY = {entity: table for table, entity in ENTITIES.items()}


def attribute_target(row: dict) -> str | None:
    """The table an attribute's link_id points into.

    The spec names it in link_entity ("service"); link_type is a free code for what
    the term describes. Data that puts the entity into link_type instead (as earlier
    drafts of the directory did) is understood when link_entity is empty.
    """
    entity = row["link_entity"] if row["link_entity"] is not None else row["link_type"]
    return TABLE_OF_ENTITY.get(entity) if isinstance(entity, str) else None


# File names as in the spec's datapackage; it spells one of them in the singular.
FILE_NAMES = {table: f"{table}.csv" for table in TABLES} | {
    "service_at_locations": "service_at_location.csv"
}
TABLE_OF_FILE = {name: table for table, name in FILE_NAMES.items()} | {
    "service_at_locations.csv": "service_at_locations"
}

# Fields that are not plain text. "time" values stay strings such as "09:00".
FIELD_TYPES: dict[str, dict[str, str]] = {
    "services": {"minimum_age": "number", "maximum_age": "number", "assured_date": "date"},
    "locations": {"latitude": "number", "longitude": "number"},
    "phones": {"extension": "number"},
    "schedules": {
        "valid_from": "date",
        "valid_to": "date",
        "dtstart": "date",
        "timezone": "number",
        "until": "date",
        "count": "number",
        "interval": "number",
        "opens_at": "time",
        "closes_at": "time",
    },
    "cost_options": {"valid_from": "date", "valid_to": "date", "amount": "number"},
}


def field_type(table: str, field: str) -> str:
    """Return "string", "number", "date" or "time"."""
    return FIELD_TYPES.get(table, {}).get(field, "string")


FOREIGN_KEYS: dict[str, dict[str, str]] = {
    "services": {"organization_id": "organizations"},
    "locations": {"organization_id": "organizations"},
    "service_at_locations": {"service_id": "services", "location_id": "locations"},
    "addresses": {"location_id": "locations"},
    "phones": {
        "location_id": "locations",
        "service_id": "services",
        "organization_id": "organizations",
        "contact_id": "contacts",
        "service_at_location_id": "service_at_locations",
    },
    "contacts": {
        "organization_id": "organizations",
        "service_id": "services",
        "service_at_location_id": "service_at_locations",
        "location_id": "locations",
    },
    "schedules": {
        "service_id": "services",
        "location_id": "locations",
        "service_at_location_id": "service_at_locations",
    },
    "cost_options": {"service_id": "services"},
    "languages": {"service_id": "services", "location_id": "locations", "phone_id": "phones"},
    "accessibility": {"location_id": "locations"},
    "service_areas": {"service_id": "services", "service_at_location_id": "service_at_locations"},
    "taxonomy_terms": {"parent_id": "taxonomy_terms", "taxonomy_id": "taxonomies"},
    "attributes": {"taxonomy_term_id": "taxonomy_terms"},
}

REQUIRED: dict[str, tuple[str, ...]] = {
    "organizations": ("id", "name"),
    "services": ("id", "organization_id", "name", "status"),
    "locations": ("id", "location_type"),
    "service_at_locations": ("id", "service_id", "location_id"),
    "addresses": ("id", "location_id"),
    "phones": ("id", "number"),
    "contacts": ("id",),
    "schedules": ("id",),
    "cost_options": ("id", "service_id"),
    "languages": ("id",),
    "accessibility": ("id", "location_id"),
    "service_areas": ("id",),
    "taxonomies": ("id", "name"),
    "taxonomy_terms": ("id", "name"),
    "attributes": ("id", "link_id", "taxonomy_term_id"),  # and link_entity, see attribute_target
}

# Rows that may belong to several kinds of parent need at least one of these links.
ONE_OF_LINKS: dict[str, tuple[str, ...]] = {
    table: tuple(FOREIGN_KEYS[table])
    for table in ("phones", "contacts", "schedules", "languages", "service_areas")
}

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("services", "status"): ("active", "inactive", "defunct", "temporarily closed"),
    ("locations", "location_type"): ("physical", "postal", "virtual"),
    ("addresses", "address_type"): ("physical", "postal", "virtual"),
    ("schedules", "freq"): ("WEEKLY", "MONTHLY"),
    ("schedules", "wkst"): WEEKDAYS,
}
EMAIL_FIELDS: dict[str, tuple[str, ...]] = {
    "organizations": ("email",),
    "services": ("email", "assurer_email"),
    "contacts": ("email",),
}
URL_FIELDS: dict[str, tuple[str, ...]] = {
    "organizations": ("website",),
    "services": ("url",),
    "locations": ("url",),
    "schedules": ("schedule_link",),
    "accessibility": ("url",),
    "service_areas": ("uri",),
    "taxonomies": ("uri",),
    "taxonomy_terms": ("term_uri",),
}

# German wording per table: heading, "auf <noun>" (accusative), relative pronoun.
LABELS: dict[str, tuple[str, str, str]] = {
    "organizations": ("Organisationen", "eine Organisation", "die"),
    "services": ("Angebote", "ein Angebot", "das"),
    "locations": ("Standorte", "einen Standort", "den"),
    "service_at_locations": ("Angebote an Standorten", "ein Angebot an einem Standort", "das"),
    "addresses": ("Adressen", "eine Adresse", "die"),
    "phones": ("Telefonnummern", "eine Telefonnummer", "die"),
    "contacts": ("Kontakte", "einen Kontakt", "den"),
    "schedules": ("Öffnungszeiten", "einen Zeitplan", "den"),
    "cost_options": ("Kosten", "eine Kostenangabe", "die"),
    "languages": ("Sprachen", "eine Sprache", "die"),
    "accessibility": ("Barrierefreiheit", "eine Angabe zur Barrierefreiheit", "die"),
    "service_areas": ("Einzugsgebiete", "ein Einzugsgebiet", "das"),
    "taxonomies": ("Taxonomien", "eine Taxonomie", "die"),
    "taxonomy_terms": ("Kategorien", "eine Kategorie", "die"),
    "attributes": ("Merkmale", "ein Merkmal", "das"),
}


class Nest(NamedTuple):
    """A nested key in the compiled JSON.

    ``many``: a list of child rows whose ``link`` field holds the parent's id;
    otherwise one embedded object whose id sits in the parent's ``link`` field.
    """

    key: str
    table: str
    link: str
    many: bool


_ATTRIBUTES = Nest("attributes", "attributes", "link_id", True)
NESTS: dict[str, tuple[Nest, ...]] = {
    "services": (
        Nest("organization", "organizations", "organization_id", False),
        Nest("service_at_locations", "service_at_locations", "service_id", True),
        Nest("phones", "phones", "service_id", True),
        Nest("schedules", "schedules", "service_id", True),
        Nest("service_areas", "service_areas", "service_id", True),
        Nest("languages", "languages", "service_id", True),
        Nest("cost_options", "cost_options", "service_id", True),
        Nest("contacts", "contacts", "service_id", True),
        _ATTRIBUTES,
    ),
    "organizations": (
        Nest("locations", "locations", "organization_id", True),
        Nest("phones", "phones", "organization_id", True),
        Nest("contacts", "contacts", "organization_id", True),
        _ATTRIBUTES,
    ),
    "service_at_locations": (
        Nest("location", "locations", "location_id", False),
        Nest("phones", "phones", "service_at_location_id", True),
        Nest("schedules", "schedules", "service_at_location_id", True),
        Nest("contacts", "contacts", "service_at_location_id", True),
        Nest("service_areas", "service_areas", "service_at_location_id", True),
        _ATTRIBUTES,
    ),
    "locations": (
        Nest("addresses", "addresses", "location_id", True),
        Nest("phones", "phones", "location_id", True),
        Nest("schedules", "schedules", "location_id", True),
        Nest("languages", "languages", "location_id", True),
        Nest("accessibility", "accessibility", "location_id", True),
        Nest("contacts", "contacts", "location_id", True),
        _ATTRIBUTES,
    ),
    "contacts": (Nest("phones", "phones", "contact_id", True), _ATTRIBUTES),
    "phones": (Nest("languages", "languages", "phone_id", True), _ATTRIBUTES),
    "attributes": (Nest("taxonomy_term", "taxonomy_terms", "taxonomy_term_id", False),),
    "taxonomy_terms": (Nest("taxonomy_detail", "taxonomies", "taxonomy_id", False),),
    "addresses": (_ATTRIBUTES,),
    "schedules": (_ATTRIBUTES,),
    "cost_options": (_ATTRIBUTES,),
    "languages": (_ATTRIBUTES,),
    "accessibility": (_ATTRIBUTES,),
    "service_areas": (_ATTRIBUTES,),
}
# Spellings seen in the wild (the spec's own attribute guide writes "taxonomy_details").
KEY_ALIASES = {"taxonomy_detail": ("taxonomy_details",)}

# Where write_json puts a row that could hang under several parents: the first link
# (most specific first) whose target exists. Locations go under organizations only
# when no service_at_location embeds them.
PLACEMENT: dict[str, tuple[str, ...]] = {
    "service_at_locations": ("service_id",),
    "locations": ("organization_id",),
    "addresses": ("location_id",),
    "phones": (
        "contact_id",
        "service_at_location_id",
        "service_id",
        "location_id",
        "organization_id",
    ),
    "contacts": ("service_at_location_id", "service_id", "location_id", "organization_id"),
    "schedules": ("service_at_location_id", "service_id", "location_id"),
    "cost_options": ("service_id",),
    "languages": ("phone_id", "service_id", "location_id"),
    "accessibility": ("location_id",),
    "service_areas": ("service_at_location_id", "service_id"),
}
ATTRIBUTE_PARENTS = frozenset(table for table, nests in NESTS.items() if _ATTRIBUTES in nests)


# --- data and problems ----------------------------------------------------------------

MAX_PROBLEMS_SHOWN = 50


@dataclass
class Dataset:
    """All HSDS tables as lists of rows; a row maps every field of its table to a value.

    Values are str, int/float, datetime.date or None (empty). ``origins`` remembers
    where each row came from ("Zeile 5", "Objekt services[0].phones[1]") for
    problem reports; it takes no part in equality.
    """

    tables: dict[str, list[dict]] = field(default_factory=dict)
    origins: dict[str, list[str]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.tables) - set(TABLES))
        if unknown:
            raise ValueError(f"Unbekannte HSDS-Tabelle: {', '.join(unknown)}")
        self.tables = {
            table: [_normalise_row(table, row) for row in self.tables.get(table, [])]
            for table in TABLES
        }

    def rows(self, table: str) -> list[dict]:
        if table not in TABLES:
            raise KeyError(f"Unbekannte HSDS-Tabelle: {table}")
        return self.tables[table]

    def origin(self, table: str, index: int) -> str:
        """Where the row came from; rows made in code count as the CSV lines they become."""
        known = self.origins.get(table, [])
        return known[index] if index < len(known) else f"Zeile {index + 2}"


def _normalise_row(table: str, row: dict) -> dict:
    unknown = sorted(set(row) - set(TABLES[table]))
    if unknown:
        raise ValueError(f"Unbekanntes Feld in {table}: {', '.join(unknown)}")
    return {name: (None if row.get(name) == "" else row.get(name)) for name in TABLES[table]}


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located by table, record (id or "Zeile N") and field."""

    table: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        parts = []
        if self.table:
            label = LABELS[self.table][0] if self.table in LABELS else ""
            parts.append(f"{label} ({self.table})" if label else self.table)
        if self.record:
            positional = self.record.startswith(("Zeile ", "Objekt "))
            parts.append(self.record if positional else f"Eintrag „{self.record}“")
        if self.field:
            parts.append(f"Feld „{self.field}“")
        return f"{', '.join(parts)}: {self.message}" if parts else self.message


class HsdsError(ValueError):
    """Raised with every problem found, so a file can be fixed in one go."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        if not self.problems:
            return "Die HSDS-Daten konnten nicht gelesen werden."
        lines = [str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        rest = len(self.problems) - MAX_PROBLEMS_SHOWN
        if rest > 0:
            lines.append(f"… und {rest} weitere")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._text()


def fail(message: str, table: str = "") -> HsdsError:
    """An error with one problem that concerns the whole file (or table)."""
    return HsdsError([Problem(table, "", "", message)])


def show(value: Any) -> str:
    """A value as it appears in a message: text quoted and shortened."""
    if isinstance(value, date):
        value = value.isoformat()
    if isinstance(value, str):
        return f"'{value if len(value) <= 80 else value[:79] + '…'}'"
    return str(value)


# --- values ---------------------------------------------------------------------------

_INTEGER = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def from_text(kind: str, text: str) -> Any:
    """Turn a CSV cell into a typed value; text that does not parse is kept for validate()."""
    if kind == "string":
        return text or None
    text = text.strip()
    if not text:
        return None
    if kind == "number":
        try:
            if _INTEGER.fullmatch(text):
                return int(text)
            if _NUMBER.fullmatch(text) and math.isfinite(number := float(text)):
                return number
        except ValueError:  # more digits than int() accepts
            pass
        return text
    if kind == "date" and _DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    return text


def json_bytes(document: Any) -> bytes:
    """Indented UTF-8 JSON with a final newline, as both file forms write it."""
    return (json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")
