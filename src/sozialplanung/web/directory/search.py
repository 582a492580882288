"""Finding services: free text, life situation, place and distance, age, cost, language, access.

Only published, active services are found. Distances are straight-line kilometres from the
chosen municipality's centre to each location, computed for all candidates at once.
"""

import json
from dataclasses import dataclass, field

import numpy as np
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Lower
from shapely.geometry import shape

from sozialplanung.web.areas.models import Area

from . import fulltext
from .models import Attribute, Language, Location, Service, ServiceAtLocation

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
    """Filter, count, order and page in SQL; only a search near a place sorts in Python."""
    services = public_services()
    if filters.text.strip():
        services = fulltext.matching(services, filters.text)
    # Subqueries rather than joins: no duplicate rows, so no DISTINCT is needed.
    for code in filters.terms:
        services = services.filter(
            pk__in=Attribute.objects.filter(taxonomy_term__code=code).values("service_id")
        )
    if filters.age is not None:
        services = services.exclude(minimum_age__gt=filters.age).exclude(
            maximum_age__lt=filters.age
        )
    if filters.free:
        services = services.filter(free_of_charge=True)
    if filters.language:
        services = services.filter(
            pk__in=Language.objects.filter(name__iexact=filters.language).values("service_id")
        )
    if filters.accessible:
        services = services.filter(
            pk__in=ServiceAtLocation.objects.filter(location__accessibility__isnull=False).values(
                "service_id"
            )
        )
    distances: dict[int, float] = {}
    if filters.municipality:
        distances = _distances(services, filters.municipality)
        ids = sorted(distances, key=lambda pk: (distances[pk], pk))
        if filters.radius_km is not None:
            ids = [pk for pk in ids if distances[pk] <= filters.radius_km]
        ordered: list | QuerySet = ids
    elif filters.text.strip():
        ordered = services.order_by("-text_rank", "pk").values_list("pk", flat=True)
    else:
        ordered = services.order_by(Lower("name"), "pk").values_list("pk", flat=True)
    paginator = Paginator(ordered, PAGE_SIZE)
    page = paginator.get_page(page_number)
    ids = list(page.object_list)
    rows = {s.pk: s for s in _with_details(Service.objects.filter(pk__in=ids))}
    page.object_list = [rows[pk] for pk in ids]
    return Result(page, paginator.count, distances, _points(page.object_list))


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


def _distances(services: QuerySet, area: Area) -> dict[int, float]:
    """Kilometres from the area's centre to each service's nearest located place."""
    origin = centre(area)
    if origin is None:
        return {}
    rows = list(
        ServiceAtLocation.objects.filter(
            service__in=services.values("pk"),
            location__latitude__isnull=False,
            location__longitude__isnull=False,
        ).values_list("service_id", "location__latitude", "location__longitude")
    )
    if not rows:
        return {}
    data = np.array(rows, dtype=float)
    km = haversine_km(origin, data[:, 1], data[:, 2])
    order = np.lexsort((km, data[:, 0]))  # by service, nearest place first
    service = data[order, 0].astype(int)
    first = np.r_[True, service[1:] != service[:-1]]
    return dict(zip(service[first].tolist(), km[order][first].tolist(), strict=True))


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
