"""Plain German for the public pages: opening hours, ages, distances, places."""

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import Accessibility, Address, Phone, Schedule, Service
from .search import ServiceFacts

DAYS = {
    "MO": "Montag",
    "TU": "Dienstag",
    "WE": "Mittwoch",
    "TH": "Donnerstag",
    "FR": "Freitag",
    "SA": "Samstag",
    "SU": "Sonntag",
}


def opening_hours(schedule: Schedule) -> str:
    """E.g. 'Montag, Mittwoch: 9:00–12:00 Uhr'; a schedule's own description wins."""
    if schedule.description:
        return schedule.description
    days = [DAYS.get(token[-2:], token) for token in schedule.byday.split(",") if token]
    times = ""
    if schedule.opens_at and schedule.closes_at:
        times = f"{_clock(schedule.opens_at)}–{_clock(schedule.closes_at)} Uhr"
    text = ", ".join(days)
    if text and times:
        return f"{text}: {times}"
    return text or times


def _clock(time) -> str:
    return f"{time.hour}:{time.minute:02d}"


def ages(service: Service) -> str:
    low, high = service.minimum_age, service.maximum_age
    if low is None and high is None:
        return ""
    if low is not None and high is not None:
        return _("for people aged %(low)s to %(high)s") % {"low": low, "high": high}
    if low is not None:
        return _("from age %(low)s") % {"low": low}
    return _("up to age %(high)s") % {"high": high}


def distance(km: float | None) -> str:
    if km is None:
        return ""
    return f"{number_format(km, 1, use_l10n=True)} km"


def result_row(service: Service, facts: ServiceFacts, distances: dict) -> dict:
    """One line of the result list, its texts ready, so the template only places them."""
    km = distances.get(service.pk)
    return {
        "service": service,
        "url": reverse("directory:detail", args=[service.hsds_id]),
        "summary": summary(service.description),
        "places": ", ".join(sorted(p for p in facts.places if p)),
        "terms": facts.terms,
        "accessible": facts.accessible,
        "away": _("%(d)s away") % {"d": distance(km)} if km is not None else "",
        "ages": ages(service),
    }


def summary(text: str, words: int = 40) -> str:
    """The first words of a description, with an ellipsis when there is more."""
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def query_without_page(params) -> str:
    """The current search as a query string, so page links keep every filter."""
    pairs = [(k, v) for k in params for v in params.getlist(k) if k != "seite"]
    return urlencode(pairs)


def service_detail(service: Service) -> dict:
    """What the service page shows, in nine queries however many places the service has."""
    at_locations = list(service.places_in_order())
    location_ids = [at.location_id for at in at_locations]
    schedules = list(
        Schedule.objects.filter(
            Q(service=service)
            | Q(service_at_location__in=[at.pk for at in at_locations])
            | Q(location_id__in=location_ids)
        )
    )
    phones = list(Phone.objects.filter(Q(service=service) | Q(location_id__in=location_ids)))
    addresses = _by_location(Address.objects.filter(location_id__in=location_ids))
    accessibility = _by_location(Accessibility.objects.filter(location_id__in=location_ids))
    locations, points = [], []
    for at in at_locations:
        location = at.location
        locations.append(
            {
                "location": location,
                "addresses": addresses.get(location.pk, []),
                "accessibility": accessibility.get(location.pk, []),
                "phones": [p for p in phones if p.location_id == location.pk],
                "hours": [
                    opening_hours(s)
                    for s in [
                        *(s for s in schedules if s.service_at_location_id == at.pk),
                        *(s for s in schedules if s.location_id == location.pk),
                    ]
                ],
            }
        )
        if location.latitude is not None and location.longitude is not None:
            points.append(
                {"lat": location.latitude, "lon": location.longitude, "name": service.name,
                 "place": location.name, "url": ""}
            )  # fmt: skip
    return {
        "service": service,
        "locations": locations,
        "hours": [opening_hours(s) for s in schedules if s.service_id == service.pk],
        "phones": [p for p in phones if p.service_id == service.pk],
        "contacts": list(service.contacts.all()),
        "languages": [lang.name for lang in service.languages.all()],
        "terms": list(service.terms.all()),
        "costs": list(service.cost_options.all()),
        "ages": ages(service),
        "points": points,
    }


def _by_location(rows) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row.location_id, []).append(row)
    return grouped
