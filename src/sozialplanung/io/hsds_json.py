"""Read and write HSDS 3.0 compiled JSON: services with everything nested inside.

Kept apart from hsds.py because turning nested objects into flat rows and back
(merging repeated copies of one object, deciding where a row is embedded) is a
concern of its own and large enough to push one module past the house limit.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sozialplanung.io.hsds_tables import (
    ATTRIBUTE_PARENTS,
    ENTITIES,
    FOREIGN_KEYS,
    KEY_ALIASES,
    NESTS,
    PLACEMENT,
    TABLES,
    Dataset,
    HsdsError,
    Nest,
    Problem,
    attribute_target,
    fail,
    field_type,
    from_text,
    json_bytes,
    show,
)

__all__ = ["read_json", "read_json_with_conflicts", "write_json"]


def read_json(data: bytes) -> Dataset:
    """Flatten compiled HSDS services; shared objects are merged by id, rows sorted by id."""
    dataset, problems = read_json_with_conflicts(data)
    if problems:
        raise HsdsError(problems)
    return dataset


def read_json_with_conflicts(data: bytes) -> tuple[Dataset, list[Problem]]:
    """The dataset and the conflicts between copies of one object (structure errors raise).

    load() reports the conflicts together with what validate() finds.
    """
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise fail(f"Die JSON-Datei ist nicht UTF-8-kodiert (Byte {exc.start + 1}).") from None
    except json.JSONDecodeError as exc:
        raise fail(f"Kein gültiges JSON (Zeile {exc.lineno}, Spalte {exc.colno}).") from None
    except RecursionError:
        raise fail("Das JSON ist zu tief verschachtelt.") from None
    if isinstance(document, dict):
        for key in ("services", "contents"):  # contents: the HSDS API's page object
            if isinstance(document.get(key), list):
                document, prefix = document[key], key
                break
        else:
            document, prefix = [document], "service"
    elif isinstance(document, list):
        prefix = "services"
    else:
        raise fail("Das JSON enthält weder eine Liste von Angeboten noch ein einzelnes Angebot.")
    collector = _Collector()
    for index, item in enumerate(document):
        collector.add("services", item, f"{prefix}[{index}]", {})
    if collector.structure:
        raise HsdsError(collector.structure)
    return collector.dataset(), collector.conflicts


class _Collector:
    """Gathers rows from nested objects, merging repeated copies of one id."""

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple[dict, str]]] = {table: [] for table in TABLES}
        self.by_id: dict[str, dict[str, dict]] = {table: {} for table in TABLES}
        self.structure: list[Problem] = []
        self.conflicts: list[Problem] = []

    def add(self, table: str, obj: Any, path: str, links: dict[str, Any]) -> str | None:
        if not isinstance(obj, dict):
            self.structure.append(
                Problem(table, f"Objekt {path}", "", f"Erwartet ein Objekt, gefunden: {show(obj)}")
            )
            return None
        row = {f: _from_json(field_type(table, f), obj.get(f)) for f in TABLES[table]}
        row_id = row["id"] if isinstance(row["id"], str) else None
        lists: list[tuple[Nest, list]] = []
        for nest in NESTS.get(table, ()):
            value = _nested(obj, nest.key)
            if value is None:
                continue
            if not nest.many:
                child_id = self.add(nest.table, value, f"{path}.{nest.key}", {})
                if child_id is not None:
                    links = {**links, nest.link: child_id}
            elif isinstance(value, list):
                lists.append((nest, value))
            else:
                self.structure.append(
                    Problem(nest.table, f"Objekt {path}.{nest.key}", "", "Erwartet eine Liste.")
                )
        for name, value in links.items():
            if row[name] is None:
                row[name] = value
            elif row[name] != value:
                self.conflicts.append(
                    Problem(
                        table,
                        row_id or f"Objekt {path}",
                        name,
                        f"Angegeben ist {show(row[name])}, das Objekt steht aber bei {show(value)}",
                    )
                )
        self._store(table, row, path)
        for nest, items in lists:
            if row_id is None:
                child_links = {}
            elif nest.table == "attributes":
                child_links = {"link_id": row_id, "link_entity": ENTITIES[table]}
            else:
                child_links = {nest.link: row_id}
            for index, item in enumerate(items):
                self.add(nest.table, item, f"{path}.{nest.key}[{index}]", child_links)
        return row_id

    def _store(self, table: str, row: dict, path: str) -> None:
        row_id = row["id"]
        existing = self.by_id[table].get(row_id) if isinstance(row_id, str) else None
        if existing is None:
            if isinstance(row_id, str):
                self.by_id[table][row_id] = row
            self.rows[table].append((row, f"Objekt {path}"))
            return
        for name, value in row.items():
            if existing[name] is None:
                existing[name] = value
            elif value is not None and existing[name] != value:
                self.conflicts.append(
                    Problem(
                        table,
                        row_id,
                        name,
                        "Widersprüchliche Angaben für dieselbe Kennung: "
                        f"{show(existing[name])} und {show(value)}",
                    )
                )

    def dataset(self) -> Dataset:
        tables, origins = {}, {}
        for table, pairs in self.rows.items():
            ordered = sorted(pairs, key=lambda pair: _sort_key(pair[0]))
            tables[table] = [row for row, _ in ordered]
            origins[table] = [origin for _, origin in ordered]
        return Dataset(tables, origins)


def _nested(obj: dict, key: str) -> Any:
    for name in (key, *KEY_ALIASES.get(key, ())):
        if obj.get(name) is not None:
            return obj[name]
    return None


def _sort_key(row: dict) -> tuple[bool, str]:
    return (row["id"] is None, str(row["id"]))


def write_json(dataset: Dataset) -> bytes:
    """A list of compiled service objects, nested as in the spec's compiled service.

    Only what hangs off a service is written: an organization without services, a
    location without service or organization, an unused taxonomy term are left out.
    """
    writer = _JsonWriter(dataset)
    services = sorted(dataset.rows("services"), key=_sort_key)
    return json_bytes([writer.emit("services", row, frozenset()) for row in services])


class _JsonWriter:
    def __init__(self, dataset: Dataset) -> None:
        self.by_id: dict[str, dict[str, dict]] = {}
        for table in TABLES:
            index: dict[str, dict] = {}
            for row in dataset.rows(table):
                if row["id"] is not None:
                    index.setdefault(row["id"], row)
            self.by_id[table] = index
        embedded = {
            sal["location_id"]
            for sal in dataset.rows("service_at_locations")
            if sal["service_id"] in self.by_id["services"]
        }
        self.children: dict[tuple[str, str, Any], list[dict]] = defaultdict(list)
        for table, links in PLACEMENT.items():
            for row in dataset.rows(table):
                if table == "locations" and row["id"] in embedded:
                    continue
                for link in links:
                    target = FOREIGN_KEYS[table][link]
                    if row[link] is not None and row[link] in self.by_id[target]:
                        self.children[(table, target, row[link])].append(row)
                        break
        for row in dataset.rows("attributes"):
            target = attribute_target(row)
            if target in ATTRIBUTE_PARENTS and row["link_id"] in self.by_id[target]:
                self.children[("attributes", target, row["link_id"])].append(row)
        for rows in self.children.values():
            rows.sort(key=_sort_key)

    def emit(self, table: str, row: dict, implied: Sequence[str]) -> dict:
        objects = {}
        for nest in NESTS.get(table, ()):
            target = self.by_id[nest.table].get(row[nest.link]) if not nest.many else None
            if target is not None:
                objects[nest.key] = target
        omit = set(implied) | {nest.link for nest in NESTS.get(table, ()) if nest.key in objects}
        obj = {
            name: _to_json(value)
            for name, value in row.items()
            if value is not None and name not in omit
        }
        for nest in NESTS.get(table, ()):
            if nest.key in objects:
                obj[nest.key] = self.emit(nest.table, objects[nest.key], ())
                continue
            kids = self.children.get((nest.table, table, row["id"]), [])
            links = ("link_id", "link_entity") if nest.table == "attributes" else (nest.link,)
            if nest.many and kids:
                obj[nest.key] = [self.emit(nest.table, kid, links) for kid in kids]
        return obj


def _from_json(kind: str, value: Any) -> Any:
    if isinstance(value, str):
        return from_text(kind, value)
    if kind == "string" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # numeric ids and postal codes
    return value


def _to_json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
