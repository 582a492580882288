"""Downloads of an indicator view: CSV, XLSX, GeoJSON and GeoPackage, each with its sources.

Exports are published output: they are always built from a view with small counts hidden.
"""

import csv
import io
import json

import numpy as np
import shapely

from .selectors import IndicatorView

HIDDEN = "gesperrt"
HEADER = ["Schlüssel", "Gebiet", "Jahr", "Wert", "Einheit", "Zähler", "Nenner", "Hinweis"]


def _note(row) -> str:
    notes = []
    if row.hidden:
        notes.append(f"{HIDDEN} (Geheimhaltung)")
    if row.example:
        notes.append("Beispieldaten")
    if row.harmonised:
        notes.append("auf heutigen Gebietsstand umgerechnet")
    return "; ".join(notes)


def _records(view: IndicatorView) -> list[list]:
    rows = [*view.rows, *([view.county] if view.county else [])]
    return [
        [
            row.area.key,
            row.area.name,
            view.year,
            row.value,
            view.indicator.unit,
            row.numerator,
            row.denominator,
            _note(row),
        ]
        for row in rows
    ]


def source_lines(view: IndicatorView) -> list[str]:
    indicator = view.indicator
    lines = [
        f"{indicator.name} ({view.year}): {indicator.definition}",
        f"Berechnung: {indicator.numerator.name}"
        + (f" / {indicator.denominator.name}" if indicator.denominator else "")
        + f" × {indicator.factor:g}",
    ]
    for batch in view.batches():
        licence = f" ({batch.attribution_url})" if batch.attribution_url else ""
        example = " – Beispieldaten, keine amtlichen Zahlen" if batch.is_example else ""
        lines.append(f"Quelle: {batch.attribution}{licence}, Datei {batch.file_name}{example}")
    lines.append("Werte aus weniger als 3 Fällen und rückrechenbare Werte sind gesperrt.")
    return lines


def to_csv(view: IndicatorView) -> tuple[bytes, str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for line in source_lines(view):
        writer.writerow([f"# {line}"])
    writer.writerow(HEADER)
    for record in _records(view):
        writer.writerow(["" if v is None else _german(v) for v in record])
    return buffer.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8"


def _german(value) -> str:
    if isinstance(value, float):
        return f"{value:.6g}".replace(".", ",")
    return str(value)


def to_xlsx(view: IndicatorView) -> tuple[bytes, str]:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Daten"
    sheet.append(HEADER)
    for record in _records(view):
        sheet.append(record)
    sources = book.create_sheet("Quellen")
    for line in source_lines(view):
        sources.append([line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _features(view: IndicatorView) -> list[dict]:
    features = []
    for record, row in zip(_records(view), view.rows, strict=False):
        if not row.area.geometry:
            continue
        properties = dict(zip(HEADER, record, strict=True))
        features.append(
            {"type": "Feature", "geometry": json.loads(row.area.geometry), "properties": properties}
        )
    return features


def to_geojson(view: IndicatorView) -> tuple[bytes, str]:
    collection = {
        "type": "FeatureCollection",
        "name": f"{view.indicator.code}_{view.year}",
        "quellen": source_lines(view),
        "features": _features(view),
    }
    return json.dumps(collection, ensure_ascii=False).encode(), "application/geo+json"


def to_gpkg(view: IndicatorView) -> tuple[bytes, str]:
    from sozialplanung.io.geopackage import Layer, geopackage_bytes

    features = _features(view)
    geometries = [shapely.from_geojson(json.dumps(f["geometry"])) for f in features]
    columns = ["schluessel", "gebiet", "jahr", "wert", "einheit", "zaehler", "nenner", "hinweis"]
    data = [np.array([f["properties"][h] for f in features], dtype=object) for h in HEADER]
    data[2] = data[2].astype("int32")
    for i in (3, 5, 6):
        data[i] = np.array([np.nan if v is None else v for v in data[i]], dtype="float64")
    layer = Layer(
        name=view.indicator.code,
        geometries=geometries,
        fields=dict(zip(columns, data, strict=True)),
        description=" | ".join(source_lines(view)),
    )
    return geopackage_bytes([layer]), "application/geopackage+sqlite3"


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "geojson": to_geojson, "gpkg": to_gpkg}
