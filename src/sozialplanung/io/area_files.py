"""Read area (municipality, district) files uploaded by planners.

Planners bring geodata from many sources (BKG VG250, county GIS exports, plain
lists). This module turns them into uniform records with lon/lat MultiPolygons and
reports every problem at once in plain German, so a file can be fixed in one pass
instead of one error per upload.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from sozialplanung.analytics.geometry import as_multipolygon

VECTOR_SUFFIXES = {".geojson", ".json", ".gpkg", ".shp", ".zip"}
TABLE_SUFFIXES = {".csv"}
_WGS84 = CRS.from_epsg(4326)


@dataclass(frozen=True)
class AreaRecord:
    """One area as read from a file; geometry is always EPSG:4326 lon/lat."""

    number: int
    key: str
    name: str
    kind: str = ""
    regional_key: str = ""
    population: int | None = None
    geometry: MultiPolygon | None = None


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an uploaded file, located so the user can find it.

    ``number`` is the feature number (vector files) or the line number as a
    spreadsheet shows it (CSV, header is line 1); None for the file as a whole.
    ``unit`` names what the number counts ("Objekt" or "Zeile").
    """

    number: int | None
    column: str
    reason: str
    unit: str = "Objekt"

    def __str__(self) -> str:
        if self.number is None:
            return self.reason
        where = f"{self.unit} {self.number}"
        if self.column:
            where += f", Spalte „{self.column}“"
        return f"{where}: {self.reason}"


class AreaFileError(ValueError):
    """Raised with all problems found, so the user can fix them in one go."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self._summary())

    def _summary(self) -> str:
        if not self.problems:
            return "Die Datei konnte nicht gelesen werden."
        first = str(self.problems[0])
        more = len(self.problems) - 1
        if more == 1:
            return f"{first} (und 1 weiteres Problem)"
        if more > 1:
            return f"{first} (und {more} weitere Probleme)"
        return first

    def __str__(self) -> str:
        return self._summary()


def file_error(reason: str) -> AreaFileError:
    """Shortcut for an error about the file as a whole."""
    return AreaFileError([Problem(None, "", reason)])


@dataclass(frozen=True)
class FieldMap:
    """Explicit column names; None means: detect from the usual names."""

    key: str | None = None
    name: str | None = None
    kind: str | None = None
    regional_key: str | None = None
    population: str | None = None


CANDIDATES: dict[str, tuple[str, ...]] = {
    "key": ("AGS", "key", "schluessel", "id", "gebietsschluessel"),
    "name": ("GEN", "name", "gemeinde", "bezeichnung"),
    "kind": ("BEZ", "kind", "art"),
    "regional_key": ("ARS", "regionalschluessel"),
    "population": ("EWZ", "population", "bevoelkerung", "einwohner"),
}
REQUIRED = ("key", "name")
LABELS = {
    "key": "Schlüssel",
    "name": "Name",
    "kind": "Art",
    "regional_key": "Regionalschlüssel",
    "population": "Einwohnerzahl",
}


def find_column(
    columns: Sequence[str], explicit: str | None, candidates: Sequence[str]
) -> str | None:
    """Return the file's column for a field: the explicit one, else the first candidate."""
    by_lower = {c.strip().lower(): c for c in columns}
    if explicit is not None:
        return by_lower.get(explicit.strip().lower())
    for candidate in candidates:
        if candidate.lower() in by_lower:
            return by_lower[candidate.lower()]
    return None


def resolve_columns(columns: Sequence[str], fields: FieldMap) -> dict[str, str | None]:
    """Map each field to a file column, raising for missing required or explicit columns."""
    resolved: dict[str, str | None] = {}
    problems: list[Problem] = []
    listing = ", ".join(f"„{c}“" for c in columns) or "keine"
    for attr, candidates in CANDIDATES.items():
        explicit = getattr(fields, attr)
        column = find_column(columns, explicit, candidates)
        if column is None and (explicit is not None or attr in REQUIRED):
            wanted = f"„{explicit}“" if explicit else " oder ".join(f"„{c}“" for c in candidates)
            problems.append(
                Problem(
                    None,
                    "",
                    f"Spalte für {LABELS[attr]} fehlt: erwartet {wanted}. "
                    f"Die Datei hat die Spalten {listing}.",
                )
            )
        resolved[attr] = column
    if problems:
        raise AreaFileError(problems)
    return resolved


# --- value cleaning -------------------------------------------------------------------


def _is_missing(value: Any) -> bool:
    if value is None or value is np.ma.masked:
        return True
    if isinstance(value, float | np.floating) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def clean_text(value: Any) -> str:
    """Turn a cell into text; whole numbers lose a spurious '.0' but gain no zeros."""
    if _is_missing(value):
        return ""
    if isinstance(value, bool | np.bool_):
        return str(value)
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


_GERMAN_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


def parse_count(value: Any) -> int | None:
    """Parse a non-negative whole number such as 1234, 1234.0, '1234' or '1.234'.

    Raises ValueError for anything else; missing values give None.
    """
    if _is_missing(value):
        return None
    if isinstance(value, bool | np.bool_):
        raise ValueError(value)
    if isinstance(value, int | np.integer):
        number = int(value)
    elif isinstance(value, float | np.floating):
        if not float(value).is_integer():
            raise ValueError(value)
        number = int(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if _GERMAN_THOUSANDS.match(text):
            text = text.replace(".", "")
        elif text.endswith(".0") or text.endswith(",0"):
            text = text[:-2]
        if not text.isdigit() or not text.isascii():
            raise ValueError(value)
        number = int(text)
    if number < 0:
        raise ValueError(value)
    return number


# --- shared CSV reading ---------------------------------------------------------------


def read_csv_table(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Read a CSV with ';' or ',' as separator; returns header and (line number, row).

    Line numbers count like a spreadsheet (header = 1) so users find the row.
    UTF-8 (with or without BOM) is expected; Windows-1252 from older Excel is accepted.
    """
    raw = _read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    if not header_line:
        raise file_error(f"Die Datei „{path.name}“ ist leer.")
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    reader = csv.reader(lines, delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip() for cell in row]
                continue
            cells = row + [""] * (len(header) - len(row))
            rows.append((reader.line_num, dict(zip(header, cells, strict=False))))
    except csv.Error as exc:
        raise file_error(
            f"Die Datei „{path.name}“ ist keine gültige CSV-Tabelle (Zeile {reader.line_num})."
        ) from exc
    return header or [], rows


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise file_error(f"Die Datei „{path.name}“ wurde nicht gefunden.") from None
    except OSError:
        raise file_error(f"Die Datei „{path.name}“ lässt sich nicht öffnen.") from None


# --- area files -----------------------------------------------------------------------


def read_area_file(
    path: Path,
    fields: FieldMap = FieldMap(),
    source_crs: str | None = None,
    key_length: int | None = None,
) -> list[AreaRecord]:
    """Read areas from GeoJSON, GeoPackage, Shapefile or a CSV list without geometry.

    ``source_crs`` is used only when a vector file declares no coordinate system;
    ``key_length`` is the number of digits the level's official keys have, if fixed.
    Raises AreaFileError listing every problem found.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in VECTOR_SUFFIXES:
        return _read_vector(path, fields, source_crs, key_length)
    if suffix in TABLE_SUFFIXES:
        return _read_table(path, fields, key_length)
    allowed = ", ".join(sorted(VECTOR_SUFFIXES | TABLE_SUFFIXES))
    raise file_error(
        f"Das Dateiformat „{path.suffix or path.name}“ wird nicht unterstützt. "
        f"Möglich sind: {allowed}."
    )


def _read_table(path: Path, fields: FieldMap, key_length: int | None) -> list[AreaRecord]:
    header, rows = read_csv_table(path)
    columns = resolve_columns(header, fields)
    values = [[(row.get(c) if c else None) for c in columns.values()] for _, row in rows]
    numbers = [number for number, _ in rows]
    return _build_records(path, numbers, columns, values, None, "Zeile", key_length=key_length)


def _read_vector(
    path: Path, fields: FieldMap, source_crs: str | None, key_length: int | None
) -> list[AreaRecord]:
    if not path.exists():
        raise file_error(f"Die Datei „{path.name}“ wurde nicht gefunden.")
    try:
        meta, _fids, wkb, field_data = pyogrio.raw.read(path)
    except Exception:
        raise file_error(
            f"Die Datei „{path.name}“ lässt sich nicht als Geodatei lesen. "
            "Ist sie beschädigt oder in einem anderen Format gespeichert?"
        ) from None
    file_columns = [str(c) for c in meta["fields"]]
    columns = resolve_columns(file_columns, fields)
    index = {name: i for i, name in enumerate(file_columns)}
    count = len(wkb)
    values = [
        [field_data[index[c]][row] if c else None for c in columns.values()] for row in range(count)
    ]
    try:
        geometries = shapely.from_wkb(wkb, on_invalid="ignore")
    except Exception:
        raise file_error(f"Die Geometrien in „{path.name}“ lassen sich nicht lesen.") from None
    transformer = _transformer_to_wgs84(meta.get("crs"), source_crs)
    numbers = list(range(1, count + 1))
    return _build_records(
        path, numbers, columns, values, geometries, "Objekt", transformer, key_length
    )


def _transformer_to_wgs84(file_crs: str | None, source_crs: str | None) -> Transformer | None:
    """Return a transformer to lon/lat, or None if the data already is lon/lat."""
    crs_text = file_crs or source_crs
    if not crs_text:
        raise file_error(
            "Die Datei gibt kein Koordinatensystem an. Bitte das Koordinatensystem "
            "angeben (zum Beispiel EPSG:25832)."
        )
    try:
        crs = CRS.from_user_input(crs_text)
    except CRSError:
        raise file_error(f"Das Koordinatensystem „{crs_text}“ ist unbekannt.") from None
    if crs.equals(_WGS84, ignore_axis_order=True):
        return None
    return Transformer.from_crs(crs, _WGS84, always_xy=True)


def _build_records(
    path: Path,
    numbers: list[int],
    columns: dict[str, str | None],
    values: list[list[Any]],
    geometries: np.ndarray | None,
    unit: str,
    transformer: Transformer | None = None,
    key_length: int | None = None,
) -> list[AreaRecord]:
    """Validate all rows, collecting every problem, then build the records."""
    problems: list[Problem] = []
    if not numbers:
        raise file_error(f"Die Datei „{path.name}“ enthält keine Gebiete.")

    def report(number: int, attr: str | None, reason: str) -> None:
        column = (columns[attr] or "") if attr else ""
        problems.append(Problem(number, column, reason, unit))

    seen: dict[str, int] = {}
    parsed: list[dict[str, Any]] = []
    for position, (number, row) in enumerate(zip(numbers, values, strict=True)):
        cells = dict(zip(columns, row, strict=True))
        key = clean_text(cells["key"])
        if not key:
            report(number, "key", "Schlüssel fehlt")
        elif not key.isdigit() or not key.isascii():
            report(number, "key", f"Schlüssel „{key}“ darf nur Ziffern enthalten")
        elif key_length is not None and len(key) != key_length:
            report(
                number, "key", f"Schlüssel „{key}“ hat nicht die {key_length} Stellen dieser Ebene"
            )
        elif key in seen:
            report(
                number,
                "key",
                f"Schlüssel „{key}“ kommt doppelt vor ({unit} {seen[key]} und {number})",
            )
        else:
            seen[key] = number
        name = clean_text(cells["name"])
        if not name:
            report(number, "name", "Name fehlt")
        population = None
        try:
            population = parse_count(cells["population"])
        except ValueError:
            report(
                number,
                "population",
                f"Einwohnerzahl „{clean_text(cells['population'])}“ ist keine ganze Zahl ≥ 0",
            )
        geometry = None
        if geometries is not None:
            geometry, reason = _check_geometry(geometries[position])
            if reason:
                report(number, None, reason)
        parsed.append(
            {
                "number": number,
                "key": key,
                "name": name,
                "kind": clean_text(cells["kind"]),
                "regional_key": clean_text(cells["regional_key"]),
                "population": population,
                "geometry": geometry,
            }
        )
    if problems:
        raise AreaFileError(problems)
    if geometries is not None:
        _reproject(parsed, transformer, unit)
    return [AreaRecord(**item) for item in parsed]


def _check_geometry(geom: BaseGeometry | None) -> tuple[MultiPolygon | None, str]:
    """Return the geometry as MultiPolygon, or a German reason why it is unusable."""
    if geom is None or geom.is_empty:
        return None, "Geometrie fehlt oder ist leer"
    if not isinstance(geom, Polygon | MultiPolygon):
        return None, f"Geometrie ist keine Fläche, sondern {geom.geom_type}"
    if not geom.is_valid:
        return None, f"Ungültige Geometrie: {explain_validity(geom)}"
    return as_multipolygon(shapely.force_2d(geom)), ""


def _reproject(parsed: list[dict[str, Any]], transformer: Transformer | None, unit: str) -> None:
    """Transform all geometries to lon/lat in one vectorised call."""
    if transformer is None:
        return

    def transform(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    source = np.asarray([item["geometry"] for item in parsed], dtype=object)
    projected = shapely.transform(source, transform)
    problems = []
    for item, geom in zip(parsed, projected, strict=True):
        if not np.isfinite(shapely.get_coordinates(geom)).all():
            problems.append(
                Problem(
                    item["number"],
                    "",
                    "Koordinaten lassen sich nicht in Längen-/Breitengrad umrechnen",
                    unit,
                )
            )
        item["geometry"] = as_multipolygon(geom)
    if problems:
        raise AreaFileError(problems)
