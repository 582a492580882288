"""Schemes of social spaces: versioned partitions of the municipalities, adopted ones immutable."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sozialplanung.web.areas.models import Area
from sozialplanung.web.jobs.models import Job


class SpaceScheme(models.Model):
    """One candidate or adopted partition of a county's municipalities into social spaces."""

    class Status(models.TextChoices):
        COMPUTING = "computing", _("being computed")
        FAILED = "failed", _("failed")
        DRAFT = "draft", _("draft")
        ADOPTED = "adopted", _("adopted")

    class Method(models.TextChoices):
        EXACT = "exact", _("exact (mixed-integer optimisation, HiGHS)")
        HEURISTIC = "heuristic", _("heuristic (max-p growth, AZP and tabu search)")

    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    predecessor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="successors"
    )
    county = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.COMPUTING
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    # What the planner asked for: p (None = as many as possible), bounds, attributes, year …
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    # What the solver reported: objective, proven gap, status, seconds.
    solution = models.JSONField(_("solution"), default=dict, blank=True)
    quality = models.JSONField(_("quality measures"), default=dict, blank=True)
    # Attribute values per municipality key (weights in parameters), so edits can be re-measured.
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    edited = models.BooleanField(_("edited by hand"), default=False)
    description = models.TextField(_("description"), blank=True)
    job = models.OneToOneField(Job, null=True, blank=True, on_delete=models.SET_NULL)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    adopted_at = models.DateTimeField(_("adopted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("scheme of social spaces")
        verbose_name_plural = _("schemes of social spaces")
        permissions = [("adopt_spacescheme", _("Can adopt a scheme of social spaces"))]

    def __str__(self) -> str:
        return f"{self.name} (Version {self.version})"

    @property
    def is_adopted(self) -> bool:
        return self.status == self.Status.ADOPTED

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class SocialSpace(models.Model):
    """A space of a scheme; adopting the scheme gives it an area of level social space."""

    scheme = models.ForeignKey(SpaceScheme, on_delete=models.CASCADE, related_name="spaces")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    area = models.OneToOneField(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="social_space"
    )

    class Meta:
        ordering = ["scheme", "number"]
        verbose_name = _("social space")
        verbose_name_plural = _("social spaces")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="space_number_once")
        ]

    def __str__(self) -> str:
        return self.name


class SpaceMembership(models.Model):
    """A municipality's social space within one scheme: each municipality in exactly one."""

    scheme = models.ForeignKey(SpaceScheme, on_delete=models.CASCADE, related_name="memberships")
    space = models.ForeignKey(SocialSpace, on_delete=models.CASCADE, related_name="memberships")
    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["space", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "municipality"], name="space_membership_once")
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} → {self.space.name}"
