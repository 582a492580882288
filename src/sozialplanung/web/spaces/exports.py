"""A scheme as files for GIS: GeoJSON and GeoPackage, each with the membership list.

GeoJSON holds one feature per space (dissolved boundary) whose ``municipalities`` property lists
its members; the GeoPackage (written by pyogrio/GDAL) has a layer of spaces and a layer of
municipalities with their space, so either can be styled or joined in QGIS.
"""

import json

import numpy as np
import shapely

from sozialplanung.analytics.geometry import as_multipolygon
from sozialplanung.io.geopackage import Layer, geopackage_bytes

from .models import SpaceScheme
from .presentation import space_rows
from .problem import shape_of, space_boundary


def scheme_geojson(scheme: SpaceScheme) -> dict:
    features = []
    for row in space_rows(scheme):
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(shapely.to_geojson(space_boundary(row.municipalities))),
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
    members = [(r, a) for r in rows for a in r.municipalities if a.geometry]
    spaces = Layer(
        name="sozialraeume",
        geometries=[space_boundary(r.municipalities) for r in rows],
        fields={
            "nummer": np.array([r.space.number for r in rows], dtype=np.int32),
            "name": np.array([r.space.name for r in rows], dtype=object),
            "einwohner": np.array([r.population for r in rows], dtype=np.int64),
            "gemeinden": np.array([len(r.municipalities) for r in rows], dtype=np.int32),
        },
    )
    municipalities = Layer(
        name="gemeinden",
        geometries=[as_multipolygon(shape_of(a)) for _, a in members],
        fields={
            "ags": np.array([a.key for _, a in members], dtype=object),
            "name": np.array([a.name for _, a in members], dtype=object),
            "einwohner": np.array([a.population or 0 for _, a in members], dtype=np.int64),
            "sozialraum_nummer": np.array([r.space.number for r, _ in members], dtype=np.int32),
            "sozialraum": np.array([r.space.name for r, _ in members], dtype=object),
        },
    )
    return geopackage_bytes([spaces, municipalities])
