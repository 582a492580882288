"""GeoPackage downloads: polygon layers in lon/lat written by GDAL (through pyogrio) to bytes."""

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyogrio.raw
import shapely


@dataclass(frozen=True)
class Layer:
    """One table of the file: a (multi)polygon per row and named columns of equal length."""

    name: str
    geometries: Sequence[shapely.Geometry]
    fields: dict[str, np.ndarray] = field(default_factory=dict)
    description: str = ""


def geopackage_bytes(layers: Sequence[Layer]) -> bytes:
    """The layers as one GeoPackage file (EPSG:4326, MultiPolygon layers)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.gpkg"
        for layer in layers:
            pyogrio.raw.write(
                path,
                shapely.to_wkb(np.asarray(layer.geometries, dtype=object)),
                field_data=list(layer.fields.values()),
                fields=list(layer.fields),
                geometry_type="MultiPolygon",
                crs="EPSG:4326",
                driver="GPKG",
                layer=layer.name,
                layer_options={"DESCRIPTION": layer.description} if layer.description else None,
            )
        return path.read_bytes()
