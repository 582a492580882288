"""A scheme as files for GIS: GeoJSON and GeoPackage, each with the membership list.

GeoJSON holds one feature per space (dissolved boundary) whose ``municipalities`` property lists
its members; the GeoPackage (written by pyogrio/GDAL) has a layer of spaces and a layer of
municipalities with their space, so either can be styled or joined in QGIS.
"""

import json
import tempfile
from pathlib import Path

import numpy as np
import shapely
from pyogrio.raw import write

from sozialplanung.analytics.geometry import as_multipolygon, dissolve

from .models import SpaceScheme
from .presentation import space_rows
from .problem import shape_of


def _space_geometry(municipalities) -> shapely.MultiPolygon:
    return dissolve([shape_of(a) for a in municipalities if a.geometry])


def scheme_geojson(scheme: SpaceScheme) -> dict:
    features = []
    for row in space_rows(scheme):
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(shapely.to_geojson(_space_geometry(row.municipalities))),
                "properties": {
                    "number": row.space.number,
                    "name": row.space.name,
                    "population": row.population,
                    "municipalities": [{"key": a.key, "name": a.name} for a in row.municipalities],
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "name": str(scheme),
        "scheme": {
            "name": scheme.name,
            "version": scheme.version,
            "status": scheme.status,
            "county": scheme.county.key,
        },
        "features": features,
    }


def scheme_geopackage(scheme: SpaceScheme) -> bytes:
    """Layers ``sozialraeume`` (one row per space) and ``gemeinden`` (one row per municipality)."""
    rows = space_rows(scheme)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sozialraeume.gpkg"
        options = {"driver": "GPKG", "geometry_type": "MultiPolygon", "crs": "EPSG:4326"}
        write(
            path,
            np.array(
                [shapely.to_wkb(_space_geometry(r.municipalities)) for r in rows], dtype=object
            ),
            [
                np.array([r.space.number for r in rows], dtype=np.int32),
                np.array([r.space.name for r in rows], dtype=object),
                np.array([r.population for r in rows], dtype=np.int64),
                np.array([len(r.municipalities) for r in rows], dtype=np.int32),
            ],
            fields=["nummer", "name", "einwohner", "gemeinden"],
            layer="sozialraeume",
            **options,
        )
        members = [(r, a) for r in rows for a in r.municipalities if a.geometry]
        write(
            path,
            np.array(
                [shapely.to_wkb(as_multipolygon(shape_of(a))) for _, a in members], dtype=object
            ),
            [
                np.array([a.key for _, a in members], dtype=object),
                np.array([a.name for _, a in members], dtype=object),
                np.array([a.population or 0 for _, a in members], dtype=np.int64),
                np.array([r.space.number for r, _ in members], dtype=np.int32),
                np.array([r.space.name for r, _ in members], dtype=object),
            ],
            fields=["ags", "name", "einwohner", "sozialraum_nummer", "sozialraum"],
            layer="gemeinden",
            **options,
        )
        return path.read_bytes()
