"""Reads from the areas domain, shaped for pages and the map."""

import datetime as dt
import json

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.urls import reverse

from .models import Area, AreaImport, ConversionKey, Level

SORTABLE = {
    "name": "name",
    "key": "key",
    "kind": "kind",
    "population": "population",
    "area": "area_km2",
}


def site_county(on_date: dt.date | None = None) -> Area | None:
    """The county this installation plans for: the configured key, else the only current county."""
    counties = Area.objects.filter(level=Level.COUNTY).valid_on(on_date or dt.date.today())
    key = getattr(settings, "COUNTY_KEY", "")
    return (counties.filter(key=key) if key else counties).order_by("key").first()


def municipalities_in(county: Area, on_date: dt.date | None = None):
    return Area.objects.filter(level=Level.MUNICIPALITY, key__startswith=county.key).valid_on(
        on_date or dt.date.today()
    )


def area_by_key(key: str) -> Area | None:
    """The area with this key valid today, else its latest historical version."""
    versions = Area.objects.filter(key=key).select_related("parent")
    return versions.current().first() or versions.order_by("-valid_from").first()


def sorted_areas(areas, sort: str, descending: bool):
    field = SORTABLE.get(sort, "name")
    return areas.order_by(f"-{field}" if descending else field, "name")


def county_key_figures(county: Area) -> dict:
    municipalities = municipalities_in(county)
    return {
        "population": county.population,
        "area_km2": county.area_km2,
        "density": county.density,
        "municipalities": municipalities.count(),
        "towns": municipalities.filter(kind="Stadt").count(),
        "associations": Area.objects.filter(level=Level.ASSOCIATION, parent=county)
        .current()
        .count(),
    }


def feature_collection(areas, highlight: Area | None = None) -> dict:
    """GeoJSON for the map: each area with name, key, population and the link to its page."""
    features = []
    for area in areas:
        if not area.geometry:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(area.geometry),
                "properties": {
                    "key": area.key,
                    "name": area.name,
                    "kind": area.kind,
                    "population": area.population,
                    "url": reverse("areas:detail", args=[area.key]),
                    "highlight": highlight is not None and area.pk == highlight.pk,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def neighbours_of(area: Area):
    return [link.neighbour for link in area.neighbour_links.select_related("neighbour")]


def site_sources(county: Area) -> list[AreaImport]:
    """The distinct sources of the county and its current areas, credited on maps and the footer."""
    shown = Area.objects.current().filter(key__startswith=county.key)
    seen, sources = set(), []
    for batch in AreaImport.objects.filter(areas__in=shown).exclude(attribution="").distinct():
        if batch.attribution not in seen:
            seen.add(batch.attribution)
            sources.append(batch)
    return sources


def vintages() -> list[dict]:
    """Each territorial state on file: level, validity, areas with and without a boundary."""
    rows = list(
        Area.objects.values("level", "valid_from", "valid_to", "vintage")
        .annotate(count=Count("id"), with_geometry=Count("id", filter=~Q(geometry="")))
        .order_by("level", "-valid_from")
    )
    for row in rows:
        row["level_label"] = Level(row["level"]).label
    return rows


def conversion_summary() -> list[dict]:
    return list(
        ConversionKey.objects.values("effective_date")
        .annotate(
            count=Count("id"),
            old=Count("old_area", distinct=True),
            new=Count("new_area", distinct=True),
            first=Min("old_area__vintage"),
            last=Max("new_area__vintage"),
        )
        .order_by("-effective_date")
    )


def changed_conversions():
    """Conversion keys that record a real change (not the identity of an unchanged area)."""
    return (
        ConversionKey.objects.exclude(basis="unverändert")
        .select_related("old_area", "new_area")
        .order_by("-effective_date", "new_area__name", "old_area__name")
    )


def recent_imports(limit: int = 20):
    return AreaImport.objects.select_related("created_by")[:limit]
