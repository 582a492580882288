"""Provider self-service: providers propose, planners approve, and only then is it public.

A provider account keeps the entries of the organisations whose actor lists it as a member.
Every entry is due for review twelve months after it was last checked; providers confirm an
unchanged entry themselves, and are reminded by e-mail when the date has passed.
"""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sozialplanung.web.areas.selectors import municipalities_in, public_site

from . import fulltext
from .models import (
    Address,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceChange,
)
from .models.core import REVIEW_INTERVAL
from .search import centre
from .taxonomy import life_situations

# The fields a provider may change; the rest (positions, ids) is the planners' or an import's.
SERVICE_FIELDS = [
    "name",
    "description",
    "eligibility_description",
    "application_process",
    "fees_description",
    "free_of_charge",
    "minimum_age",
    "maximum_age",
    "email",
    "url",
    "alert",
]
# The main place: the address of the first place the service is offered at.
PLACE_FIELDS = ["street", "postal_code", "town"]
EDITABLE = [*SERVICE_FIELDS, "terms", "languages", "hours", "phone", *PLACE_FIELDS]


class ReviewError(ValueError):
    """A change that cannot be made, with a message for the user."""


def organizations_of(user) -> QuerySet:
    return Organization.objects.filter(actor__members=user)


def services_of(user) -> QuerySet:
    return Service.objects.filter(organization__actor__members=user)


def may_edit(user, service: Service) -> bool:
    return (
        user.is_authenticated
        and user.has_perm("directory.add_servicechange")
        and services_of(user).filter(pk=service.pk).exists()
    )


def current_values(service: Service) -> dict:
    """The editable fields as they are public now, in the form ``proposed`` uses."""
    values = {name: getattr(service, name) for name in SERVICE_FIELDS}
    values["terms"] = sorted(t.code for t in service.terms.all())
    values["languages"] = sorted(lang.name for lang in service.languages.all())
    values["hours"] = "; ".join(s.description for s in service.schedules.all() if s.description)
    phone = service.phones.order_by("pk").first()
    values["phone"] = phone.number if phone else ""
    address = _main_address(service)
    values["street"] = address.address_1 if address else ""
    values["postal_code"] = address.postal_code if address else ""
    values["town"] = address.city if address else ""
    return values


def _main_place(service: Service) -> Location | None:
    at = service.places_in_order().first()
    return at.location if at else None


def _main_address(service: Service) -> Address | None:
    place = _main_place(service)
    return place.addresses.order_by("pk").first() if place else None


@transaction.atomic
def propose(*, service: Service, values: dict, user, kind=ServiceChange.Kind.EDIT) -> ServiceChange:
    """Store a proposal; a newer one replaces the provider's pending one for the same entry."""
    if (
        service.changes.filter(state=ServiceChange.State.PENDING)
        .exclude(submitted_by=user)
        .exists()
    ):
        raise ReviewError(_("Another proposal for this entry is waiting for review."))
    service.changes.filter(state=ServiceChange.State.PENDING).delete()
    return ServiceChange.objects.create(
        service=service, kind=kind, proposed=_plain(values), submitted_by=user
    )


@transaction.atomic
def propose_new(*, organization: Organization, values: dict, user) -> ServiceChange:
    """A new offer is stored unpublished, and waits like any change."""
    service = Service.objects.create(
        organization=organization, name=values["name"], is_public=False
    )
    return propose(service=service, values=values, user=user, kind=ServiceChange.Kind.NEW)


@transaction.atomic
def approve(*, change: ServiceChange, user, today: dt.date | None = None) -> Service:
    if change.state != ServiceChange.State.PENDING:
        raise ReviewError(_("This proposal has already been decided."))
    service = change.service
    values = change.proposed
    for name in SERVICE_FIELDS:
        if name in values:
            setattr(service, name, values[name] if values[name] is not None else _empty(name))
    service.assured_date = today or timezone.localdate()
    service.assurer_email = getattr(user, "email", "") or ""
    service.is_public = True
    service.save()
    if "terms" in values:
        service.attributes.all().delete()
        for term in life_situations().filter(code__in=values["terms"]):
            service.attributes.create(
                taxonomy_term=term, link_entity="service", is_example=service.is_example
            )
    if "languages" in values:
        service.languages.all().delete()
        for name in values["languages"]:
            Language.objects.create(service=service, name=name, is_example=service.is_example)
    if "hours" in values:
        service.schedules.all().delete()
        if values["hours"]:
            Schedule.objects.create(
                service=service, description=values["hours"], is_example=service.is_example
            )
    if "phone" in values:
        service.phones.all().delete()
        if values["phone"]:
            Phone.objects.create(
                service=service, number=values["phone"], is_example=service.is_example
            )
    if any(values.get(name) for name in PLACE_FIELDS):
        _set_main_address(service, values)
    change.state = ServiceChange.State.APPROVED
    change.reviewed_by, change.reviewed_at = user, timezone.now()
    change.save()
    fulltext.reindex([service])
    return service


def _set_main_address(service: Service, values: dict) -> None:
    """Change the main place's address, or give the service its first place.

    A new place lies in the municipality of that name and, with no geocoder offline, at that
    municipality's centre: so families find it on the map and near their town at once; an
    import with the exact position (or the provider's HSDS file) corrects it.
    """
    place = _main_place(service)
    if place is None:
        county, _sources = public_site()
        municipality = (
            municipalities_in(county).filter(name=values.get("town", "")).first()
            if county
            else None
        )
        latitude, longitude = (centre(municipality) if municipality else None) or (None, None)
        place = Location.objects.create(
            organization=service.organization,
            name=values.get("town", ""),
            municipality=municipality,
            latitude=latitude,
            longitude=longitude,
            is_example=service.is_example,
        )
        ServiceAtLocation.objects.create(
            service=service, location=place, is_example=service.is_example
        )
    address = place.addresses.order_by("pk").first() or Address(
        location=place, is_example=service.is_example
    )
    address.address_1 = values.get("street", "")
    address.postal_code = values.get("postal_code", "")
    address.city = values.get("town", "")
    address.save()


@transaction.atomic
def reject(*, change: ServiceChange, user, note: str) -> None:
    if change.state != ServiceChange.State.PENDING:
        raise ReviewError(_("This proposal has already been decided."))
    change.state = ServiceChange.State.REJECTED
    change.reviewed_by, change.reviewed_at, change.note = user, timezone.now(), note
    change.save()


def confirm_current(*, service: Service, user, today: dt.date | None = None) -> Service:
    """The provider says the public entry is still right: checked today, due again in a year."""
    service.assured_date = today or timezone.localdate()
    service.assurer_email = user.email or ""
    service.save(update_fields=["assured_date", "assurer_email"])
    return service


def differences(change: ServiceChange) -> list[tuple[str, str, str]]:
    """(field label, now, proposed) for every field the proposal changes."""
    now = current_values(change.service)
    rows = []
    for name in EDITABLE:
        if name in change.proposed and _shown(change.proposed[name]) != _shown(now.get(name)):
            rows.append((_label(name), _shown(now.get(name)), _shown(change.proposed[name])))
    return rows


def overdue(today: dt.date | None = None) -> QuerySet:
    """Published entries last checked more than a year ago (or never)."""
    today = today or timezone.localdate()
    cutoff = today - REVIEW_INTERVAL
    return Service.objects.filter(is_public=True).filter(
        assured_date__isnull=True
    ) | Service.objects.filter(is_public=True, assured_date__lt=cutoff)


def send_reminders(today: dt.date | None = None, base_url: str = "") -> int:
    """One e-mail per provider account with its overdue entries; returns the number sent."""
    by_user: dict = {}
    for service in overdue(today).select_related("organization__actor"):
        actor = service.organization.actor
        for member in actor.members.all() if actor else []:
            if member.email:
                by_user.setdefault(member, []).append(service)
    messages = []
    for member, services in by_user.items():
        lines = "\n".join(f"- {s.name}" for s in sorted(services, key=lambda s: s.name))
        body = _(
            "Good day,\n\nthese entries in the county's directory of support offers are due "
            "for their yearly check:\n\n%(lines)s\n\nPlease confirm or correct them at "
            "%(url)s.\n"
        ) % {"lines": lines, "url": f"{base_url}/angebote-pflegen/"}
        subject = _("Please check your entries in the directory of offers")
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [member.email]))
    return send_mass_mail(messages, fail_silently=False) if messages else 0


def _plain(values: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in values.items()}


def _empty(name: str):
    return None if name in ("minimum_age", "maximum_age") else ""


def _shown(value) -> str:
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "" if value is None else str(value)


def _label(name: str) -> str:
    if name == "terms":
        return _("Life situations")
    if name == "languages":
        return _("Languages")
    if name == "hours":
        return _("Opening hours")
    if name == "phone":
        return _("Phone")
    if name in PLACE_FIELDS:
        field = {"street": "address_1", "postal_code": "postal_code", "town": "city"}[name]
        return str(Address._meta.get_field(field).verbose_name)
    return str(Service._meta.get_field(name).verbose_name)
