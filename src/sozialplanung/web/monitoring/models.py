"""Observations of raw variables per area and year, and indicators computed from them.

Every stored value points to the import that brought it, so each figure shown can name its
file, checksum, source and licence (the "Herkunft" of a number).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sozialplanung.web.areas.models import Area


class Topic(models.TextChoices):
    """Topics in the order of a social report's chapters."""

    DEMOGRAPHY = "demography", _("Demography")
    WORK_INCOME = "work_income", _("Work and income")
    EDUCATION = "education", _("Education")
    FAMILIES = "families", _("Families and children")
    OLD_AGE = "old_age", _("Old age")
    HEALTH_CARE = "health_care", _("Health and care")
    HOUSING = "housing", _("Housing")
    PARTICIPATION = "participation", _("Participation")


class Variable(models.Model):
    """A raw figure as official tables deliver it: a count or an amount per area and year."""

    class Kind(models.TextChoices):
        COUNT = "count", _("count (additive)")
        AMOUNT = "amount", _("amount (additive)")
        RATE = "rate", _("rate or average as delivered (not additive)")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, default="Personen")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COUNT)
    source = models.CharField(_("usual source"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("variable")
        verbose_name_plural = _("variables")

    def __str__(self) -> str:
        return self.name

    @property
    def is_additive(self) -> bool:
        """Counts and amounts may be summed over areas and carried across mergers; rates not."""
        return self.kind != self.Kind.RATE


class ImportBatch(models.Model):
    """One imported table: the provenance every observation keeps."""

    class Status(models.TextChoices):
        IMPORTED = "imported", _("imported")
        REJECTED = "rejected", _("rejected")

    file_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, db_index=True)
    layout = models.CharField(_("layout"), max_length=20)
    territorial_vintage = models.DateField(
        _("territorial vintage of the keys"), null=True, blank=True
    )
    attribution = models.CharField(_("source and licence"), max_length=500)
    attribution_url = models.URLField(_("link to source or licence"), blank=True)
    is_example = models.BooleanField(
        _("example data"),
        default=False,
        help_text=_("Generated figures, not official data; shown as “Beispieldaten”."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    rows_total = models.PositiveIntegerField(_("rows in file"), default=0)
    rows_imported = models.PositiveIntegerField(_("values imported"), default=0)
    rows_suppressed = models.PositiveIntegerField(_("suppressed or missing values"), default=0)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%d.%m.%Y})"


class Observation(models.Model):
    """The value of one variable for one area and year, on the area's own territorial state."""

    class Flag(models.TextChoices):
        NORMAL = "", _("normal")
        SUPPRESSED = "suppressed", _("suppressed at source")
        ESTIMATED = "estimated", _("estimated")
        MISSING = "missing", _("missing")

    variable = models.ForeignKey(Variable, on_delete=models.PROTECT, related_name="observations")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="observations")
    year = models.PositiveSmallIntegerField(_("year"))
    reference_date = models.DateField(_("reference date"), null=True, blank=True)
    value = models.FloatField(_("value"), null=True, blank=True)
    flag = models.CharField(_("flag"), max_length=10, choices=Flag.choices, blank=True)
    break_in_series = models.BooleanField(_("break in series"), default=False)
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="observations")

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["variable", "area", "year"], name="observation_unique_cell"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(flag=""), name="observation_value_or_flag"
            ),
        ]
        indexes = [models.Index(fields=["variable", "year"])]

    def __str__(self) -> str:
        return f"{self.variable.code} {self.area.key} {self.year}: {self.value}"


class Indicator(models.Model):
    """numerator / denominator × factor, with its meaning and direction."""

    class Polarity(models.TextChoices):
        HIGHER_BETTER = "higher_better", _("higher is better")
        HIGHER_WORSE = "higher_worse", _("higher is worse")
        NEUTRAL = "neutral", _("neither")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    numerator = models.ForeignKey(
        Variable, on_delete=models.PROTECT, related_name="+", verbose_name=_("numerator")
    )
    denominator = models.ForeignKey(
        Variable,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("denominator"),
        help_text=_("Empty for an indicator that is the variable itself."),
    )
    factor = models.FloatField(_("factor"), default=100.0)
    change_years = models.PositiveSmallIntegerField(
        _("change over years"),
        null=True,
        blank=True,
        help_text=_("Set to show the percent change of the numerator over this many years."),
    )
    unit = models.CharField(_("unit"), max_length=40, default="%")
    decimals = models.PositiveSmallIntegerField(_("decimal places"), default=1)
    polarity = models.CharField(
        _("polarity"), max_length=20, choices=Polarity.choices, default=Polarity.NEUTRAL
    )
    definition = models.TextField(_("definition"))
    source = models.CharField(_("usual source"), max_length=300)
    reference_population = models.CharField(_("reference population"), max_length=200, blank=True)
    is_public = models.BooleanField(
        _("published"), default=True, help_text=_("Shown on the public pages without login.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["topic", "position", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name
