"""Report definitions with the planner's own texts, and every rendered file with its inputs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sozialplanung.web.areas.models import Area
from sozialplanung.web.monitoring.models import ImportBatch, Topic


class Kind(models.TextChoices):
    SOCIAL_REPORT = "social_report", _("Social report")
    TOPIC_SHEET = "topic_sheet", _("Topic sheet")
    PROFILE = "profile", _("Area profile")


class ReportDefinition(models.Model):
    """A county's social report as an edition series: title and the planner's texts per topic.

    The next edition renders the same definition on newer data, so the texts carry over.
    """

    county = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    introduction = models.TextField(_("introduction (Markdown)"), blank=True)

    class Meta:
        verbose_name = _("report definition")
        verbose_name_plural = _("report definitions")

    def __str__(self) -> str:
        return self.title


class NarrativeBlock(models.Model):
    """The planner's own words for one chapter (Markdown)."""

    definition = models.ForeignKey(
        ReportDefinition, on_delete=models.CASCADE, related_name="narratives"
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    text = models.TextField(_("text (Markdown)"), blank=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["definition", "topic"], name="one_text_per_chapter")
        ]
        verbose_name = _("chapter text")
        verbose_name_plural = _("chapter texts")

    def __str__(self) -> str:
        return f"{self.definition} – {self.get_topic_display()}"


class ReportRun(models.Model):
    """One rendered file: what was asked, which data it used, and the checksum of its bytes."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    definition = models.ForeignKey(
        ReportDefinition, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, blank=True)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT)
    parameters = models.JSONField(_("parameters"), default=dict)
    batches = models.ManyToManyField(ImportBatch, related_name="+", verbose_name=_("data used"))
    file = models.FileField(_("file"), upload_to="reports/%Y/")
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
