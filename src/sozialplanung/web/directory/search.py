"""Finding services: free text, life situation, place and distance, age, cost, language, access.

Only published, active services are found. Distances are straight-line kilometres from the
chosen municipality's centre to each location, computed for all candidates at once.
"""

import json
from dataclasses import dataclass, field

import numpy as np
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import Lower
from shapely.geometry import shape

from sozialplanung.web.areas.models import Area

from . import fulltext
from .models import Accessibility, Address, Attribute, Language, Service, ServiceAtLocation

PAGE_SIZE = 20
MAX_PAGE = 100_000  # a larger number asked for shows the last page, as an out-of-range one does
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
class ServiceFacts:
    """What a result line shows beside the service itself."""

    terms: list[str] = field(default_factory=list)  # life situations
    languages: list[str] = field(default_factory=list)
    places: set[str] = field(default_factory=set)  # towns, else place names
    accessible: bool = False  # some place describes its access


@dataclass
class Result:
    page: Page  # services of this page, organisation joined
    total: int
    distances: dict[int, float]  # service pk → km to its nearest location, when a place is set
    facts: dict[int, ServiceFacts]  # per service of this page
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
        page = Paginator(ids, PAGE_SIZE).get_page(page_number)
    elif filters.text.strip():
        page = _page(services.order_by("-text_rank", "pk"), page_number)
    else:
        page = _page(services.order_by(Lower("name"), "pk"), page_number)
    ids = list(page.object_list)
    rows = Service.objects.filter(pk__in=ids).select_related("organization").in_bulk()
    page.object_list = [rows[pk] for pk in ids]
    places = _places(ids)
    return Result(page, page.paginator.count, distances, _facts(ids, places), _points(page, places))


def _page(ordered: QuerySet, page_number: int | str) -> Page:
    """One page of service pks; the total comes with it from a window count, in one query."""
    try:
        number = min(max(int(page_number), 1), MAX_PAGE)
    except (TypeError, ValueError):
        number = 1
    offset = (number - 1) * PAGE_SIZE
    counted = ordered.annotate(total=Window(Count("*"))).values_list("pk", "total")
    rows = list(counted[offset : offset + PAGE_SIZE])
    total = rows[0][1] if rows else ordered.count()
    if not rows and total:  # beyond the last page: show the last one, as get_page does
        number = -(-total // PAGE_SIZE)
        offset = (number - 1) * PAGE_SIZE
        rows = list(counted[offset : offset + PAGE_SIZE])
    return Page([pk for pk, _total in rows], number, Paginator(range(total), PAGE_SIZE))


def _places(ids: list[int]) -> list[dict]:
    """The places of these services, nearest fields only: name, town, position, access info."""
    first_city = Address.objects.filter(location=OuterRef("location")).order_by("pk")
    return list(
        ServiceAtLocation.objects.filter(service_id__in=ids)
        .order_by("location__name", "pk")
        .values(
            "service_id",
            name=F("location__name"),
            lat=F("location__latitude"),
            lon=F("location__longitude"),
        )
        .annotate(
            city=Subquery(first_city.values("city")[:1]),
            accessible=Exists(Accessibility.objects.filter(location=OuterRef("location"))),
        )
    )


def _facts(ids: list[int], places: list[dict]) -> dict[int, ServiceFacts]:
    facts = {pk: ServiceFacts() for pk in ids}
    terms = Attribute.objects.filter(service_id__in=ids, taxonomy_term__isnull=False)
    for pk, name in terms.order_by("taxonomy_term__position", "taxonomy_term__name").values_list(
        "service_id", "taxonomy_term__name"
    ):
        facts[pk].terms.append(name)
    languages = Language.objects.filter(service_id__in=ids).order_by("name", "pk")
    for pk, name in languages.values_list("service_id", "name"):
        facts[pk].languages.append(name)
    for place in places:
        fact = facts[place["service_id"]]
        fact.places.add(place["city"] or place["name"])
        fact.accessible = fact.accessible or place["accessible"]
    return facts


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


def _points(page: Page, places: list[dict]) -> list[dict]:
    """The located places of the page's services, for the map."""
    services = {service.pk: service for service in page.object_list}
    return [
        {
            "lat": place["lat"],
            "lon": place["lon"],
            "name": services[place["service_id"]].name,
            "place": place["name"],
            "url": f"/angebote/{services[place['service_id']].hsds_id}/",
        }
        for place in places
        if place["lat"] is not None and place["lon"] is not None
    ]
