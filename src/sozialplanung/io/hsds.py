"""Read, write and check Open Referral HSDS 3.0 data about support services.

HSDS is the open exchange format for directories of social services. It comes in
two official forms: a tabular data package (ZIP of CSV files with datapackage.json)
and nested "compiled" JSON of services. Both are turned into one flat, typed form
(Dataset) so the database side deals with a single shape, and every problem is
reported at once in plain German so a publisher can fix a file in one pass.
Pure Python on purpose: no Django, no database.

This module is the entry point: the checks (validate) and the upload reader (load).
The two file forms live in hsds_tabular and hsds_json, the table contract with
Dataset and Problem in hsds_tables; what callers need is re-exported here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from sozialplanung.io.hsds_json import read_json, read_json_with_conflicts, write_json
from sozialplanung.io.hsds_tables import (
    EMAIL_FIELDS,
    ENUMS,
    FOREIGN_KEYS,
    LABELS,
    ONE_OF_LINKS,
    REQUIRED,
    TABLE_OF_ENTITY,
    TABLES,
    URL_FIELDS,
    WEEKDAYS,
    Dataset,
    HsdsError,
    Problem,
    attribute_target,
    fail,
    field_type,
    show,
)
from sozialplanung.io.hsds_tabular import read_tabular, write_tabular

__all__ = [
    "TABLES",
    "Dataset",
    "HsdsError",
    "Problem",
    "load",
    "read_json",
    "read_tabular",
    "validate",
    "write_json",
    "write_tabular",
]


# --- value checks ---------------------------------------------------------------------

_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)?")
_EMAIL = re.compile(r"[^@\s]+@([^@\s.]+\.)+[^@\s.]{2,}")
_BYDAY = re.compile(r"([+-]?([1-9]|[1-4]\d|5[0-3]))?(MO|TU|WE|TH|FR|SA|SU)")


def _is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def _is_http_url(value: str) -> bool:
    if any(c.isspace() for c in value):
        return False
    try:
        parts = urlsplit(value)
        return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)
    except ValueError:
        return False


# --- validation -----------------------------------------------------------------------


def validate(dataset: Dataset) -> list[Problem]:
    """Check required fields, types, allowed values, unique ids and every reference."""
    ids = {
        table: {row["id"] for row in dataset.rows(table) if isinstance(row["id"], str)}
        for table in TABLES
    }
    problems: list[Problem] = []
    for table in TABLES:
        first_seen: dict[str, int] = {}
        for index, row in enumerate(dataset.rows(table)):
            row_id = row["id"]
            record = row_id if isinstance(row_id, str) else dataset.origin(table, index)

            def report(name: str, message: str, table: str = table, record: str = record) -> None:
                problems.append(Problem(table, record, name, message))

            _check_row(table, row, ids, report)
            if isinstance(row_id, str):
                if row_id in first_seen:
                    first = dataset.origin(table, first_seen[row_id])
                    report("id", f"Kennung kommt mehrfach vor (zuerst: {first})")
                else:
                    first_seen[row_id] = index
    return problems


def _check_row(
    table: str, row: dict, ids: dict[str, set[str]], report: Callable[[str, str], None]
) -> None:
    for name in REQUIRED[table]:
        if row[name] is None:
            report(name, "Pflichtfeld fehlt")
    links = ONE_OF_LINKS.get(table)
    if links and all(row[name] is None for name in links):
        report("", f"Gehört zu nichts: eines der Felder {', '.join(links)} muss gefüllt sein")
    for name in TABLES[table]:
        value = row[name]
        if value is not None:
            _check_value(table, name, value, ids, report)
    if table == "services":
        low, high = row["minimum_age"], row["maximum_age"]
        if _is_number(low) and _is_number(high) and low > high:
            report("maximum_age", f"Höchstalter {high} ist kleiner als Mindestalter {low}")
    if table == "attributes":
        _check_attribute_link(row, ids, report)


def _check_value(
    table: str, name: str, value: Any, ids: dict[str, set[str]], report: Callable
) -> None:
    kind = field_type(table, name)
    if kind == "number":
        if not _is_number(value):
            report(name, f"Keine Zahl: {show(value)}")
        elif name in {"minimum_age", "maximum_age"} and value < 0:
            report(name, f"Darf nicht negativ sein: {value}")
        elif name == "latitude" and not -90 <= value <= 90:
            report(name, f"Breitengrad muss zwischen -90 und 90 liegen: {value}")
        elif name == "longitude" and not -180 <= value <= 180:
            report(name, f"Längengrad muss zwischen -180 und 180 liegen: {value}")
        return
    if kind == "date":
        if not isinstance(value, date) or isinstance(value, datetime):
            report(name, f"Kein gültiges Datum (JJJJ-MM-TT): {show(value)}")
        return
    if not isinstance(value, str):
        report(name, f"Kein Text: {show(value)}")
        return
    if kind == "time" and not _TIME.fullmatch(value):
        report(name, f"Keine gültige Uhrzeit (HH:MM oder HH:MM:SS): {show(value)}")
    allowed = ENUMS.get((table, name))
    if allowed and value not in allowed:
        report(name, f"Kein erlaubter Wert: {show(value)} (erlaubt: {', '.join(allowed)})")
    if name in EMAIL_FIELDS.get(table, ()) and not _EMAIL.fullmatch(value):
        report(name, f"Keine gültige E-Mail-Adresse: {show(value)}")
    if name in URL_FIELDS.get(table, ()) and not _is_http_url(value):
        report(name, f"Keine gültige Web-Adresse (http:// oder https://): {show(value)}")
    if (table, name) == ("schedules", "byday") and not all(
        _BYDAY.fullmatch(token.strip()) for token in value.split(",")
    ):
        report(
            name,
            f"Ungültige Wochentage: {show(value)} (erlaubt: {', '.join(WEEKDAYS)}, "
            "durch Komma getrennt, wahlweise mit Zahl davor wie 2MO oder -1FR)",
        )
    target = FOREIGN_KEYS.get(table, {}).get(name)
    if target and value not in ids[target]:
        report(name, _missing_target(target, value))


def _check_attribute_link(row: dict, ids: dict[str, set[str]], report: Callable) -> None:
    target = attribute_target(row)
    if target is None and row["link_entity"] is None:
        report("link_entity", "Pflichtfeld fehlt")
    elif target is None:
        allowed = ", ".join(sorted(TABLE_OF_ENTITY))
        entity = show(row["link_entity"])
        report("link_entity", f"Unbekannter Eintragstyp: {entity} (erlaubt: {allowed})")
    elif isinstance(row["link_id"], str) and row["link_id"] not in ids[target]:
        report("link_id", _missing_target(target, row["link_id"]))


def _missing_target(target: str, value: Any) -> str:
    _, noun, pronoun = LABELS[target]
    return f"Verweist auf {noun}, {pronoun} es nicht gibt: {show(value)}"


# --- entry point ----------------------------------------------------------------------


def load(data: bytes, filename: str) -> Dataset:
    """Read an uploaded HSDS file (ZIP package or JSON) and check it; raises with all problems."""
    name = filename.lower()
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if not data:
        raise fail(f"Die Datei „{filename}“ ist leer.")
    if name.endswith(".zip") or (not name.endswith(".json") and data[:4] == b"PK\x03\x04"):
        dataset, problems = read_tabular(data), []
    elif name.endswith(".json") or head in (b"[", b"{"):
        dataset, problems = read_json_with_conflicts(data)
    elif name.endswith(".csv"):
        raise fail(
            "Eine einzelne CSV-Datei reicht nicht: bitte alle Tabellen (z. B. "
            "organizations.csv, services.csv) zusammen als ZIP-Archiv hochladen."
        )
    else:
        raise fail(f"Die Datei „{filename}“ ist weder ein HSDS-Tabellenpaket (ZIP) noch HSDS-JSON.")
    problems = problems + validate(dataset)
    if problems:
        raise HsdsError(problems)
    return dataset
