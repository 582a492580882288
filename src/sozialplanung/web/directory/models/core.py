"""Organisations, services, locations, services at locations, the taxonomy of life situations."""

import datetime as dt
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from sozialplanung.web.areas.models import Area
from sozialplanung.web.network.models import Actor

REVIEW_INTERVAL = dt.timedelta(days=365)  # every entry is checked again after twelve months


def new_id() -> str:
    return str(uuid.uuid4())


class Record(models.Model):
    """The HSDS id every exchanged record keeps, and whether it is example content."""

    hsds_id = models.CharField(_("HSDS id"), max_length=100, unique=True, default=new_id)
    is_example = models.BooleanField(
        _("example content"), default=False, help_text=_("Not from a public source.")
    )

    class Meta:
        abstract = True


class Organization(Record):
    name = models.CharField(_("name"), max_length=300)
    alternate_name = models.CharField(_("other name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # The actor whose member accounts keep this organisation's entries (provider self-service).
    actor = models.OneToOneField(
        Actor, null=True, blank=True, on_delete=models.SET_NULL, related_name="organization"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Service(Record):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        INACTIVE = "inactive", _("inactive")
        DEFUNCT = "defunct", _("defunct")
        TEMPORARILY_CLOSED = "temporarily closed", _("temporarily closed")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(_("name"), max_length=300)
    alternate_name = models.CharField(_("other name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("web address"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    interpretation_services = models.TextField(_("interpretation"), blank=True)
    application_process = models.TextField(_("how to get it"), blank=True)
    fees_description = models.TextField(_("costs"), blank=True)
    eligibility_description = models.TextField(_("who it is for"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    # HSDS assured_date: when the entry was last checked; the next review is due a year later.
    assured_date = models.DateField(_("last checked"), null=True, blank=True)
    assurer_email = models.EmailField(_("checked by (email)"), blank=True)
    alert = models.TextField(_("current notice"), blank=True)
    free_of_charge = models.BooleanField(_("free of charge"), default=False)
    is_public = models.BooleanField(_("published"), default=True)
    terms = models.ManyToManyField(
        "TaxonomyTerm",
        through="Attribute",
        through_fields=("service", "taxonomy_term"),
        related_name="services",
        blank=True,
        verbose_name=_("life situations"),
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(maximum_age__gte=models.F("minimum_age")),
                name="service_ages_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def review_due(self) -> dt.date | None:
        return self.assured_date + REVIEW_INTERVAL if self.assured_date else None

    def places_in_order(self):
        """Where the service is offered, as its page lists them; the first is its main place."""
        return self.at_locations.select_related("location").order_by("location__name", "pk")


class Location(Record):
    class Type(models.TextChoices):
        PHYSICAL = "physical", _("place you can visit")
        POSTAL = "postal", _("postal address")
        VIRTUAL = "virtual", _("online or by phone")

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="locations"
    )
    location_type = models.CharField(
        _("kind of location"), max_length=10, choices=Type.choices, default=Type.PHYSICAL
    )
    name = models.CharField(_("name"), max_length=300, blank=True)
    alternate_name = models.CharField(_("other name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    transportation = models.TextField(_("how to get there"), blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    url = models.URLField(_("web address (for online offers)"), blank=True)
    external_identifier = models.CharField(_("external identifier"), max_length=100, blank=True)
    external_identifier_type = models.CharField(
        _("kind of external identifier"), max_length=100, blank=True
    )
    # The municipality the point lies in, found from the boundaries (for search and coverage).
    municipality = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.name or self.hsds_id


class ServiceAtLocation(Record):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="services_here")
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("service at a location")
        verbose_name_plural = _("services at locations")
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="service_at_location_once")
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class Taxonomy(Record):
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    uri = models.URLField(_("URI"), blank=True)
    version = models.CharField(_("version"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(Record):
    taxonomy_ref = models.ForeignKey(
        Taxonomy, null=True, blank=True, on_delete=models.CASCADE, related_name="terms"
    )
    code = models.CharField(_("code"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    taxonomy = models.CharField(_("taxonomy name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=20, blank=True)
    term_uri = models.URLField(_("term URI"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")

    def __str__(self) -> str:
        return self.name


class Attribute(Record):
    """Links a record to a taxonomy term (HSDS attribute); here services to life situations."""

    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.CASCADE, related_name="attributes"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="attributes"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="attributes"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="attributes"
    )
    # HSDS: link_entity names the kind of record linked; link_type is a free code.
    link_entity = models.CharField(_("linked entity"), max_length=50, blank=True)
    link_type = models.CharField(_("kind of link"), max_length=50, blank=True)
    value = models.TextField(_("value"), blank=True)
    label = models.CharField(_("label"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(service__isnull=False)
                    | models.Q(organization__isnull=False)
                    | models.Q(location__isnull=False)
                ),
                name="attribute_links_something",
            )
        ]

    def __str__(self) -> str:
        return str(self.taxonomy_term)

    @property
    def target(self):
        return self.service or self.organization or self.location
