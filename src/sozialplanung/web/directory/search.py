"""Finding services: free text, life situation, place and distance, age, cost, language, access.

Only published, active services are found. Distances are great-circle kilometres from the
chosen municipality's centre to each service's nearest place, computed and ordered in SQL.
"""

import json
import math
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, Expression, F, Min, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import ASin, Cos, Lower, Radians, Sin, Sqrt
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
        nearest = _nearest(services, filters.municipality, filters.radius_km)
        page = _page(nearest.values_list("service_id", "km"), page_number)
        distances = dict(page.object_list)
        page.object_list = list(distances)
    elif filters.text.strip():
        page = _page(services.order_by("-text_rank", "pk").values_list("pk"), page_number)
    else:
        page = _page(services.order_by(Lower("name"), "pk").values_list("pk"), page_number)
    # Ordering narrow rows and reading the page's 20 whole ones after is faster than sorting
    # whole rows (descriptions included) for the window count.
    ids = list(page.object_list)
    rows = Service.objects.filter(pk__in=ids).select_related("organization").in_bulk()
    page.object_list = [rows[pk] for pk in ids]
    places = _places(ids)
    return Result(page, page.paginator.count, distances, _facts(ids, places), _points(page, places))


def _page(ordered: QuerySet, page_number: int | str) -> Page:
    """One page of an ordered values_list: its single values, or its rows when it has several.

    The total is a window count over the same ordered rows, so a search runs once per page.
    """
    try:
        number = min(max(int(page_number), 1), MAX_PAGE)
    except (TypeError, ValueError):
        number = 1
    offset = (number - 1) * PAGE_SIZE
    counted = ordered.annotate(total=Window(Count("*")))
    rows = list(counted[offset : offset + PAGE_SIZE])
    total = rows[0][-1] if rows else ordered.count()
    if not rows and total:  # beyond the last page: show the last one, as get_page does
        number = -(-total // PAGE_SIZE)
        offset = (number - 1) * PAGE_SIZE
        rows = list(counted[offset : offset + PAGE_SIZE])
    items = [row[0] if len(row) == 2 else row[:-1] for row in rows]
    return Page(items, number, Paginator(range(total), PAGE_SIZE))


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


def _nearest(services: QuerySet, area: Area, radius_km: float | None) -> QuerySet:
    """Per service, the kilometres from the area's centre to its nearest located place, nearest
    first, within the radius; computed and ordered in the database."""
    origin = centre(area)
    located = ServiceAtLocation.objects.filter(
        service__in=services.values("pk"),
        location__latitude__isnull=False,
        location__longitude__isnull=False,
    )
    if origin is None:  # a place without a boundary: nothing is near it
        located = located.none()
        origin = (0.0, 0.0)
    nearest = located.values("service_id").annotate(km=Min(km_from(origin)))
    if radius_km is not None:
        nearest = nearest.filter(km__lte=radius_km)
    return nearest.order_by("km", "service_id")


def km_from(origin: tuple[float, float]) -> Expression:
    """Great-circle kilometres from (latitude, longitude) to a place (haversine, in SQL)."""
    lat0, lon0 = (math.radians(v) for v in origin)
    lat, lon = Radians("location__latitude"), Radians("location__longitude")
    half_dlat, half_dlon = Sin((lat - lat0) / 2.0), Sin((lon - lon0) / 2.0)
    a = half_dlat * half_dlat + math.cos(lat0) * Cos(lat) * half_dlon * half_dlon
    return ASin(Sqrt(a)) * (2 * EARTH_RADIUS_KM)


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
