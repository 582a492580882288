"""Reads from the areas domain, shaped for pages and the map."""

import datetime as dt
import json

from django.conf import settings
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q
from django.db.models.functions import NullIf
from django.urls import reverse

from sozialplanung.analytics.classify import classify
from sozialplanung.web import memo

from .models import Area, AreaImport, ConversionKey, Level

SORTABLE = {
    "name": "name",
    "key": "key",
    "kind": "kind",
    "population": "population",
    "area": "area_km2",
    "density": "density_value",
}
# Sequential teal palette, light (few inhabitants per km²) to dark (many).
DENSITY_PALETTE = ["#e0efec", "#b3d9d2", "#7dbdb3", "#3f958b", "#1f5f5b"]


def site_county(on_date: dt.date | None = None) -> Area | None:
    """The county this installation plans for.

    The configured key (SOZIALPLANUNG_COUNTY), else the county whose municipalities are on file:
    other counties may be present for comparison only.
    """
    day = on_date or dt.date.today()
    counties = Area.objects.filter(level=Level.COUNTY).valid_on(day)
    if settings.COUNTY_KEY:
        return counties.filter(key=settings.COUNTY_KEY).first()
    municipalities = Area.objects.filter(level=Level.MUNICIPALITY, key__startswith=OuterRef("key"))
    ranked = counties.annotate(planned=Exists(municipalities)).order_by("-planned", "key")
    return ranked.first()


def public_site() -> tuple[Area | None, list[AreaImport]]:
    """The county and the sources credited on every page, kept per process (see web.memo)."""

    def read() -> tuple[Area | None, list[AreaImport]]:
        county = site_county()
        return county, site_sources(county) if county else []

    return memo.remembered(("public_site", dt.date.today()), read)


def municipalities_in(county: Area, on_date: dt.date | None = None):
    """The county's municipalities valid at the date, with inhabitants per km² as density_value."""
    return (
        Area.objects.filter(level=Level.MUNICIPALITY, key__startswith=county.key)
        .valid_on(on_date or dt.date.today())
        .annotate(density_value=F("population") * 1.0 / NullIf(F("area_km2"), 0.0))
    )


def area_by_key(key: str) -> Area | None:
    """The area with this key valid today, else its latest historical version."""
    versions = Area.objects.filter(key=key).select_related("parent")
    return versions.current().first() or versions.order_by("-valid_from").first()


_DIN_5007 = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


def german_sort_key(name: str) -> str:
    """Sort key after DIN 5007-1: umlauts as their base letters, ß as ss, case ignored."""
    return name.casefold().translate(_DIN_5007)


def sorted_areas(areas, sort: str, descending: bool) -> list[Area]:
    """Areas sorted by a table column; names in German alphabetical order on every engine."""
    field = SORTABLE.get(sort, "name")
    rows = sorted(areas, key=lambda a: german_sort_key(a.name))
    if field == "name":
        return rows[::-1] if descending else rows
    present = [a for a in rows if getattr(a, field) is not None]
    missing = [a for a in rows if getattr(a, field) is None]
    text = field in ("kind", "key")
    present.sort(
        key=lambda a: german_sort_key(getattr(a, field)) if text else getattr(a, field),
        reverse=descending,
    )
    return present + missing


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


def density_classes(areas) -> tuple[list[dict], dict[int, str]]:
    """Quantile classes of inhabitants per km²: the legend rows and each area's fill colour."""
    shown = [a for a in areas if a.geometry and a.density is not None]
    result = classify([a.density for a in shown], "quantiles", k=len(DENSITY_PALETTE))
    palette = DENSITY_PALETTE[len(DENSITY_PALETTE) - len(result.breaks) :]
    fills = {a.pk: palette[c] for a, c in zip(shown, result.classes, strict=True)}
    legend = [
        {"lower": low, "upper": up, "colour": colour}
        for (low, up), colour in zip(result.bounds(), palette, strict=True)
    ]
    return legend, fills


def feature_collection(areas, highlight: Area | None = None, fills: dict | None = None) -> dict:
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
                    "fill": (fills or {}).get(area.pk),
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
        .order_by("-valid_from")
    )
    order = [level.value for level in Level]
    rows.sort(key=lambda row: order.index(row["level"]))  # stable: newest first within a level
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
