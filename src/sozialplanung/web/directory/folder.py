"""The Elternordner: the published offers as a printable folder, one section per life situation.

Made from the directory whenever it is asked for, for the whole county or one social space
(offers with a place in the space, and offers without a place, such as phone hotlines).
"""

import datetime as dt

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from sozialplanung.reports.documents import Chapter, Document, IndicatorBlock, pdf
from sozialplanung.web.areas.models import Area
from sozialplanung.web.spaces.selectors import space_areas

from .models import Service, ServiceAtLocation
from .presentation import ages, opening_hours
from .search import public_services
from .taxonomy import life_situations


def folder_document(county: Area, *, day: dt.date, space: Area | None = None) -> Document:
    services = _services(county, space)
    chapters = []
    for term in life_situations():
        blocks = tuple(_block(s) for s in services if term in s.terms.all())
        if blocks:
            chapters.append(Chapter(title=term.name, summary=term.description, blocks=blocks))
    where = space.name if space else county.name
    return Document(
        kind="parents_folder",
        title=_("Parents' folder"),
        subtitle=_("Support offers for families: %(where)s") % {"where": where},
        issuer=county.name,
        day=day,
        chapters=tuple(chapters),
        notice=_("Entries marked “example” are example content, not real offers.")
        if any(s.is_example for s in services)
        else "",
        labels={"methods": _("About this folder")},
        methods=(
            _(
                "Made from the county's directory of support offers on %(day)s; the providers "
                "keep their entries and every entry is checked at least once a year. The "
                "current version is always at /angebote/."
            )
            % {"day": f"{day.day:02d}.{day.month:02d}.{day.year}"},
        ),
    )


def folder_pdf(county: Area, *, day: dt.date, space: Area | None = None) -> bytes:
    return pdf(folder_document(county, day=day, space=space))


def _services(county: Area, space: Area | None) -> list[Service]:
    services = (
        public_services()
        .select_related("organization")
        .prefetch_related(
            "terms",
            "schedules",
            "phones",
            Prefetch(
                "at_locations",
                queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                    "location__addresses", "location__schedules", "location__phones"
                ),
            ),
        )
    )
    services = sorted(services, key=lambda s: s.name.casefold())
    if space is None:
        return services
    _spaces, space_of = space_areas(county)
    members = {pk for pk, owner in space_of.items() if owner == space.pk}
    return [
        s
        for s in services
        if not s.at_locations.all()
        or any(at.location.municipality_id in members for at in s.at_locations.all())
    ]


def _block(service: Service) -> IndicatorBlock:
    points = []
    who = " ".join(x for x in (service.eligibility_description, ages(service)) if x)
    if who:
        points.append(f"{_('Who it is for')}: {who}")
    for at in service.at_locations.all():
        location = at.location
        for address in location.addresses.all():
            points.append(
                f"{_('Where')}: {address.address_1}, {address.postal_code} {address.city}"
            )
        hours = [opening_hours(s) for s in location.schedules.all()]
        points += [f"{_('Opening hours')}: {h}" for h in hours if h]
    points += [
        f"{_('Opening hours')}: {h}" for h in map(opening_hours, service.schedules.all()) if h
    ]
    points += [f"{_('Phone')}: {p.number}" for p in service.phones.all()]
    for label, value in ((_("Email"), service.email), (_("Website"), service.url)):
        if value:
            points.append(f"{label}: {value}")
    if service.free_of_charge:
        points.append(f"{_('Costs')}: {_('free of charge')}")
    elif service.fees_description:
        points.append(f"{_('Costs')}: {service.fees_description}")
    name = service.name + (f" ({_('example')})" if service.is_example else "")
    return IndicatorBlock(
        name=name,
        year=None,
        statement=" – ".join(x for x in (service.organization.name, service.description) if x),
        definition="",
        source="",
        points=tuple(points),
    )
