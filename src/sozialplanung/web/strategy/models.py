"""The poverty prevention strategy: guidelines → goals → measures, milestones, budgets, progress.

A strategy is versioned: a revision (Fortschreibung) starts as a copy whose items keep the ``ref``
of the item they were copied from, so two versions can be compared item by item. Once the county
council has adopted a version, its content is frozen; only the implementation goes on (status of
measures and milestones, progress entries). Every change is kept with who and when
(django-simple-history).
"""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from sozialplanung.web.areas.models import Area
from sozialplanung.web.monitoring.models import Indicator
from sozialplanung.web.network.models import Actor

EXAMPLE_HELP = _("Not from a public source: shown as example content.")


class Strategy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ADOPTED = "adopted", _("adopted by the county council")

    county = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    # All versions of one strategy share the lineage; the version counts up from 1.
    lineage = models.UUIDField(default=uuid.uuid4, editable=False)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    predecessor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="successors"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    council_decision_date = models.DateField(
        _("date of the council decision"), null=True, blank=True
    )
    council_reference = models.CharField(
        _("council decision reference"), max_length=100, blank=True
    )
    funding_phase = models.CharField(
        _("funding phase"), max_length=200, blank=True, help_text=_("For example 2019–2021.")
    )
    funding_title = models.CharField(
        _("project title in the funding phase"), max_length=300, blank=True
    )
    introduction = models.TextField(_("introduction"), blank=True, help_text=_("Markdown."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        constraints = [
            models.UniqueConstraint(fields=["lineage", "version"], name="strategy_version_once")
        ]
        permissions = [("adopt_strategy", _("Can record the council's adoption of a strategy"))]

    def __str__(self) -> str:
        return f"{self.title} (Version {self.version})"

    @property
    def is_adopted(self) -> bool:
        return self.status == self.Status.ADOPTED


class Item(models.Model):
    """What guidelines, goals, measures and milestones share: a stable ref and a number."""

    ref = models.UUIDField(default=uuid.uuid4, editable=False)
    number = models.PositiveSmallIntegerField(_("number"))
    is_example = models.BooleanField(_("example content"), default=False, help_text=EXAMPLE_HELP)

    class Meta:
        abstract = True


class Guideline(Item):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="guidelines")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "number"]
        verbose_name = _("guideline")
        verbose_name_plural = _("guidelines")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="guideline_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Goal(Item):
    guideline = models.ForeignKey(Guideline, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(_("goal"))
    indicator = models.ForeignKey(
        Indicator,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="goals",
        verbose_name=_("indicator"),
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.FloatField(
        _("baseline value"), null=True, blank=True, help_text=_("Empty: taken from monitoring.")
    )
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    target_value = models.FloatField(_("target value"), null=True, blank=True)
    # Social spaces (or municipalities) the goal is for; none means the whole county.
    areas = models.ManyToManyField(
        Area, blank=True, related_name="+", verbose_name=_("social spaces concerned")
    )
    history = HistoricalRecords(m2m_fields=[areas])

    class Meta:
        ordering = ["guideline__number", "number"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.UniqueConstraint(fields=["guideline", "number"], name="goal_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"

    @property
    def code(self) -> str:
        return f"{self.guideline.number}.{self.number}"

    @property
    def tracked(self) -> bool:
        return bool(self.indicator_id and self.baseline_year and self.target_year) and (
            self.target_value is not None
        )


class Measure(Item):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        RUNNING = "running", _("running")
        DONE = "done", pgettext_lazy("measure status", "done")
        STOPPED = "stopped", _("stopped")

    class Evidence(models.IntegerChoices):
        NONE = 0, _("no evidence yet")
        PLAUSIBLE = 1, _("plausible (logic model)")
        OBSERVED = 2, _("effects observed (own evaluation)")
        PROVEN = 3, _("effects proven (controlled studies)")

    class Sustainability(models.IntegerChoices):
        ENDS = 0, _("ends with the funding")
        PARTLY = 1, _("partly secured")
        SECURED = 2, _("secured beyond the funding")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="measures")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    responsible = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measures",
        verbose_name=_("responsible actor"),
    )
    partners = models.ManyToManyField(
        Actor, blank=True, related_name="partner_measures", verbose_name=_("partners")
    )
    target_groups = models.CharField(_("target groups"), max_length=300, blank=True)
    target_group_size = models.PositiveIntegerField(
        _("people in the target group"), null=True, blank=True
    )
    planned_reach = models.PositiveIntegerField(_("people to be reached"), null=True, blank=True)
    areas = models.ManyToManyField(
        Area, blank=True, related_name="+", verbose_name=_("social spaces")
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    goals = models.ManyToManyField(
        Goal, blank=True, related_name="measures", verbose_name=_("goals served")
    )
    evidence = models.PositiveSmallIntegerField(
        _("evidence of effect"), choices=Evidence.choices, default=Evidence.NONE
    )
    sustainability = models.PositiveSmallIntegerField(
        _("sustainability"), choices=Sustainability.choices, default=Sustainability.ENDS
    )
    history = HistoricalRecords(m2m_fields=[partners, areas, goals])

    class Meta:
        ordering = ["strategy", "number"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="measure_number_once"),
            models.CheckConstraint(
                condition=models.Q(start__isnull=True)
                | models.Q(end__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="measure_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        return f"M{self.number}"


class BudgetLine(models.Model):
    class Source(models.TextChoices):
        ESF = "esf", _("European Social Fund (ESF)")
        STATE = "state", _("state")
        COUNTY = "county", _("county")
        MUNICIPALITY = "municipality", _("municipality")
        THIRD_PARTY = "third_party", _("third parties")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("funding source"), max_length=20, choices=Source.choices)
    amount = models.DecimalField(
        _("amount (EUR)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "year", "source"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["measure", "year", "source"], name="budget_line_once"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="budget_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.year} {self.get_source_display()}: {self.amount}"


class Milestone(Item):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        DELAYED = "delayed", _("delayed")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("deliverable"), max_length=300)
    due = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "due", "number"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="milestone_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ProgressEntry(models.Model):
    """A report on a measure: what happened and whom it reached, by planner or provider."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    day = models.DateField(_("date"))
    text = models.TextField(_("what happened"))
    people_reached = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    activities = models.PositiveIntegerField(
        _("activities (events, consultations …)"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-day", "-created_at"]
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")

    def __str__(self) -> str:
        return f"{self.measure.code} {self.day}"


class PriorityList(models.Model):
    """Weights the planner set and the ranking they gave, frozen when a leader approves it."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priority_lists")
    title = models.CharField(_("title"), max_length=200)
    weights = models.JSONField(_("weights"), default=dict)
    # The scores, breakdown and rank stability as computed when the list was saved.
    result = models.JSONField(_("result"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("priority list")
        verbose_name_plural = _("priority lists")
        permissions = [("approve_prioritylist", _("Can approve a priority list"))]

    def __str__(self) -> str:
        return self.title
