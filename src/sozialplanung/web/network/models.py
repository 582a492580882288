"""Actors of the social field: the organisations that carry measures and offer services."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Actor(models.Model):
    """An organisation (welfare association, office, school, club …); its members act for it."""

    class Kind(models.TextChoices):
        COUNTY_OFFICE = "county_office", _("county administration")
        MUNICIPALITY = "municipality", _("municipality")
        WELFARE = "welfare", _("welfare association")
        JOB_CENTRE = "job_centre", _("job centre")
        SCHOOL = "school", _("school or childcare")
        HEALTH = "health", _("health service")
        CLUB = "club", _("club or initiative")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(_("website"), blank=True)
    # Provider accounts that report for this actor (progress of its measures, later its services).
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="actors", verbose_name=_("members")
    )
    is_example = models.BooleanField(
        _("example content"), default=False, help_text=_("Not from a public source.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")

    def __str__(self) -> str:
        return self.name
