"""Read and write HSDS 3.0 as a tabular data package: a ZIP of CSV files.

Kept apart from hsds.py because the ZIP and CSV handling (archive layout,
datapackage.json, encodings, spreadsheet quirks) is a concern of its own and
large enough to push one module past the house limit. Reading only parses and
types values and reports what makes a file unreadable; hsds.validate() checks
the content.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import defaultdict
from datetime import date
from posixpath import basename, dirname, normpath
from posixpath import join as join_path
from typing import Any

from sozialplanung.io.hsds_tables import (
    ENTITIES,
    FILE_NAMES,
    FOREIGN_KEYS,
    TABLE_OF_ENTITY,
    TABLE_OF_FILE,
    TABLES,
    Dataset,
    HsdsError,
    Problem,
    fail,
    field_type,
    from_text,
    json_bytes,
)

__all__ = ["read_tabular", "write_tabular"]

MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a directory export is a few MB; refuse zip bombs
PACKAGE_NAME = "human_services_data"
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
DATAPACKAGE_TYPES = {"string": "string", "number": "number", "date": "date", "time": "string"}


def read_tabular(data: bytes) -> Dataset:
    """Read a ZIP of HSDS CSV files; datapackage.json is optional, missing tables are empty."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise fail(
            "Die Datei ist kein ZIP-Archiv. Ein HSDS-Tabellenpaket ist ein ZIP mit "
            "CSV-Dateien wie organizations.csv und services.csv."
        ) from None
    with archive:
        members = {
            info.filename: info
            for info in archive.infolist()
            if not info.is_dir() and not _is_clutter(info.filename)
        }
        if sum(info.file_size for info in members.values()) > MAX_UNPACKED_BYTES:
            raise fail("Das ZIP-Archiv ist entpackt größer als 200 MB.")
        problems: list[Problem] = []
        files = _find_table_files(archive, members, problems)
        if not files and not problems:
            names = ", ".join(FILE_NAMES.values())
            problems.append(
                Problem("", "", "", f"Das ZIP-Archiv enthält keine HSDS-Tabelle ({names}).")
            )
        tables: dict[str, list[dict]] = {}
        origins: dict[str, list[str]] = {}
        for table in TABLES:
            if table in files:
                raw = _read_member(archive, files[table], table, problems)
                if raw is not None:
                    tables[table], origins[table] = _parse_csv(table, files[table], raw, problems)
    if problems:
        raise HsdsError(problems)
    return Dataset(tables, origins)


def _is_clutter(name: str) -> bool:
    return name.startswith("__MACOSX/") or basename(name).startswith("._")


def _read_member(archive: zipfile.ZipFile, name: str, table: str, problems: list) -> bytes | None:
    try:
        return archive.read(name)
    except (RuntimeError, zipfile.BadZipFile, NotImplementedError, OSError):
        problems.append(Problem(table, "", "", f"„{name}“ lässt sich nicht entpacken."))
        return None


def _find_table_files(
    archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], problems: list[Problem]
) -> dict[str, str]:
    """Map tables to archive members: as datapackage.json says, else by the usual names."""
    files: dict[str, str] = {}
    descriptors = sorted((m for m in members if basename(m) == "datapackage.json"), key=len)
    if descriptors:
        for table, path in _declared_files(archive, descriptors[0], problems):
            if path in members:
                files[table] = path
            else:
                problems.append(
                    Problem(table, "", "", f"datapackage.json nennt „{path}“, die Datei fehlt.")
                )
    found: dict[str, list[str]] = defaultdict(list)
    for name in sorted(members):
        table = TABLE_OF_FILE.get(basename(name).lower())
        if table and table not in files:
            found[table].append(name)
    for table, names in found.items():
        if len(names) > 1:
            listing = ", ".join(f"„{n}“" for n in names)
            problems.append(Problem(table, "", "", f"Mehrere Dateien für diese Tabelle: {listing}"))
        files[table] = names[0]
    return files


def _declared_files(
    archive: zipfile.ZipFile, descriptor: str, problems: list[Problem]
) -> list[tuple[str, str]]:
    try:
        package = json.loads(archive.read(descriptor).decode("utf-8-sig"))
    except (ValueError, RuntimeError, zipfile.BadZipFile):
        problems.append(Problem("", "", "", f"„{descriptor}“ ist kein lesbares JSON."))
        return []
    resources = package.get("resources") if isinstance(package, dict) else None
    declared = []
    for resource in resources if isinstance(resources, list) else []:
        if not isinstance(resource, dict) or not isinstance(resource.get("path"), str):
            continue
        path = resource["path"]
        name = resource["name"] if isinstance(resource.get("name"), str) else ""
        table = TABLE_OF_ENTITY.get(name) or (name if name in TABLES else None)
        table = table or TABLE_OF_FILE.get(basename(path).lower())
        if table:
            declared.append((table, normpath(join_path(dirname(descriptor), path))))
    return declared


def _parse_csv(
    table: str, name: str, raw: bytes, problems: list[Problem]
) -> tuple[list[dict], list[str]]:
    """Rows typed per field, with spreadsheet line numbers (header = line 1)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(
                table,
                "",
                "",
                f"„{name}“ ist nicht UTF-8-kodiert (Byte {exc.start + 1}). "
                "Bitte als „CSV UTF-8“ speichern.",
            )
        )
        return [], []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(reader)
    except csv.Error:
        problems.append(
            Problem(
                table, "", "", f"„{name}“ ist keine gültige CSV-Datei (Zeile {reader.line_num})."
            )
        )
        return [], []
    if not records:
        return [], []
    header = [cell.strip().lower() for cell in records[0]]
    fields = TABLES[table]
    columns: dict[str, int] = {}
    for index, column in enumerate(header):
        if column in fields and column in columns:
            problems.append(Problem(table, "", column, f"Spalte kommt in „{name}“ mehrfach vor."))
        columns.setdefault(column, index)
    if not set(columns) & set(fields):
        hint = (
            " Die Spalten sind mit Semikolon getrennt; HSDS verlangt Kommas."
            if ";" in records[0][0]
            else ""
        )
        problems.append(
            Problem(
                table,
                "",
                "",
                f"„{name}“ hat keine der erwarteten Spalten ({', '.join(fields)}).{hint}",
            )
        )
        return [], []
    rows, origins = [], []
    for number, record in enumerate(records[1:], start=2):
        if all(cell == "" for cell in record):
            continue
        rows.append(
            {
                f: from_text(field_type(table, f), record[columns[f]])
                if f in columns and columns[f] < len(record)
                else None
                for f in fields
            }
        )
        origins.append(f"Zeile {number}")
    return rows, origins


def write_tabular(dataset: Dataset) -> bytes:
    """A ZIP with datapackage.json and one CSV per table; same data gives the same bytes."""
    files = {"datapackage.json": json_bytes(_descriptor())}
    for table, fields in TABLES.items():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(fields)
        writer.writerows([_to_text(row[f]) for f in fields] for row in dataset.rows(table))
        files[FILE_NAMES[table]] = buffer.getvalue().encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return out.getvalue()


def _descriptor() -> dict:
    """Frictionless tabular data package descriptor, resources named as in the spec."""
    resources = []
    for table, fields in TABLES.items():
        schema: dict[str, Any] = {
            "fields": [
                {"name": f, "type": DATAPACKAGE_TYPES[field_type(table, f)]} for f in fields
            ],
            "primaryKey": "id",
        }
        keys = [
            {
                "fields": name,
                "reference": {
                    "resource": "" if target == table else ENTITIES[target],
                    "fields": "id",
                },
            }
            for name, target in FOREIGN_KEYS.get(table, {}).items()
        ]
        if keys:
            schema["foreignKeys"] = keys
        resources.append(
            {
                "name": ENTITIES[table],
                "path": FILE_NAMES[table],
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    return {"name": PACKAGE_NAME, "profile": "tabular-data-package", "resources": resources}


def _to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)
