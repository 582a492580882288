"""Finding services: free text, life situation, place and distance, age, cost, language, access.

Only published, active services are found. Distances are straight-line kilometres from the
chosen municipality's centre to each location, computed for all candidates at once.
"""

import json
from dataclasses import dataclass, field

import numpy as np
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from shapely.geometry import shape

from sozialplanung.web.areas.models import Area

from . import fulltext
from .models import Language, Location, Service, ServiceAtLocation

PAGE_SIZE = 20
EARTH_RADIUS_KM = 6371.0


@dataclass
class Filters:
    text: str = ""
    terms: list[str] = field(default_factory=list)  # life situation codes
    municipality: Area | None = None
    radius_km: float | None = None
    age: int | None = None
    free: bool = False
    language: str = ""
    accessible: bool = False


@dataclass
class Result:
    page: Page
    total: int
    distances: dict[int, float]  # service pk → km to its nearest location, when a place is set
    points: list[dict]  # locations of the services on this page, for the map


def public_services() -> QuerySet:
    return Service.objects.filter(is_public=True, status=Service.Status.ACTIVE)


def search(filters: Filters, page_number: int | str = 1) -> Result:
    services = public_services()
    order: list[int] | None = None
    if filters.text.strip():
        order = fulltext.matching_ids(filters.text)
        services = services.filter(pk__in=order)
    for code in filters.terms:
        services = services.filter(terms__code=code)
    if filters.age is not None:
        services = services.exclude(minimum_age__gt=filters.age).exclude(
            maximum_age__lt=filters.age
        )
    if filters.free:
        services = services.filter(free_of_charge=True)
    if filters.language:
        services = services.filter(languages__name__iexact=filters.language)
    if filters.accessible:
        services = services.filter(at_locations__location__accessibility__isnull=False)
    ids = list(services.values_list("pk", flat=True).distinct())
    distances = _distances(ids, filters.municipality) if filters.municipality else {}
    if filters.municipality and filters.radius_km is not None:
        ids = [pk for pk in ids if distances.get(pk, np.inf) <= filters.radius_km]
    ids = _ordered(ids, order, distances)
    paginator = Paginator(ids, PAGE_SIZE)
    page = paginator.get_page(page_number)
    rows = {s.pk: s for s in _with_details(Service.objects.filter(pk__in=page.object_list))}
    page.object_list = [rows[pk] for pk in page.object_list]
    return Result(page, paginator.count, distances, _points(page.object_list))


def _ordered(ids: list[int], relevance: list[int] | None, distances: dict) -> list[int]:
    """Nearest first when a place is chosen, else by relevance of the text, else by name."""
    if distances:
        return sorted(ids, key=lambda pk: (distances.get(pk, np.inf), pk))
    if relevance is not None:
        rank = {pk: i for i, pk in enumerate(relevance)}
        return sorted(ids, key=lambda pk: rank[pk])
    names = dict(Service.objects.filter(pk__in=ids).values_list("pk", "name"))
    return sorted(ids, key=lambda pk: (names[pk].casefold(), pk))


def _with_details(services: QuerySet) -> QuerySet:
    return services.select_related("organization").prefetch_related(
        "terms",
        Prefetch("languages", queryset=Language.objects.order_by("name")),
        Prefetch(
            "at_locations",
            queryset=ServiceAtLocation.objects.select_related("location__municipality")
            .prefetch_related("location__addresses", "location__accessibility")
            .order_by("location__name"),
        ),
    )


def centre(area: Area) -> tuple[float, float] | None:
    """(latitude, longitude) of a point inside the area, from its stored boundary."""
    if not area.geometry:
        return None
    point = shape(json.loads(area.geometry)).representative_point()
    return point.y, point.x


def _distances(ids: list[int], area: Area) -> dict[int, float]:
    origin = centre(area)
    if origin is None or not ids:
        return {}
    rows = list(
        ServiceAtLocation.objects.filter(
            service_id__in=ids, location__latitude__isnull=False, location__longitude__isnull=False
        ).values_list("service_id", "location__latitude", "location__longitude")
    )
    if not rows:
        return {}
    service = np.array([r[0] for r in rows])
    km = haversine_km(origin, np.array([r[1] for r in rows]), np.array([r[2] for r in rows]))
    nearest: dict[int, float] = {}
    for pk, d in zip(service.tolist(), km.tolist(), strict=True):
        nearest[pk] = min(d, nearest.get(pk, np.inf))
    return nearest


def haversine_km(origin: tuple[float, float], lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    lat0, lon0 = np.radians(origin[0]), np.radians(origin[1])
    lat, lon = np.radians(lat), np.radians(lon)
    a = np.sin((lat - lat0) / 2) ** 2 + np.cos(lat0) * np.cos(lat) * np.sin((lon - lon0) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def _points(services: list[Service]) -> list[dict]:
    points = []
    for service in services:
        for at in service.at_locations.all():
            location: Location = at.location
            if location.latitude is None or location.longitude is None:
                continue
            points.append(
                {
                    "lat": location.latitude,
                    "lon": location.longitude,
                    "name": service.name,
                    "place": location.name,
                    "url": f"/angebote/{service.hsds_id}/",
                }
            )
    return points
