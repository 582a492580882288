"""Index definitions (versioned, adopted ones immutable), their runs and per-area results."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sozialplanung.web.areas.models import Area
from sozialplanung.web.jobs.models import Job
from sozialplanung.web.monitoring.models import Indicator


class IndexDefinition(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ADOPTED = "adopted", _("adopted")

    class Imputation(models.TextChoices):
        NONE = "none", _("none: use the indicators available")
        MEAN = "mean", _("mean of the column")
        REGRESSION = "regression", _("regression on the other indicators")

    class Normalisation(models.TextChoices):
        ZSCORE = "zscore", _("z-score")
        MINMAX = "minmax", _("min–max")
        RANK = "rank", _("rank")
        DISTANCE = "distance", _("distance to the county value")

    class Weighting(models.TextChoices):
        EQUAL = "equal", _("equal")
        EXPERT = "expert", _("set by the planner")
        PCA = "pca", _("from principal components")

    class Aggregation(models.TextChoices):
        ARITHMETIC = "arithmetic", _("arithmetic mean")
        GEOMETRIC = "geometric", _("geometric mean")

    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    predecessor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="successors"
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    imputation = models.CharField(
        _("missing values"), max_length=12, choices=Imputation.choices, default=Imputation.NONE
    )
    winsorise = models.BooleanField(_("treat outliers (winsorising)"), default=True)
    normalisation = models.CharField(
        _("normalisation"),
        max_length=10,
        choices=Normalisation.choices,
        default=Normalisation.ZSCORE,
    )
    weighting = models.CharField(
        _("weights"), max_length=10, choices=Weighting.choices, default=Weighting.EQUAL
    )
    aggregation = models.CharField(
        _("aggregation"), max_length=12, choices=Aggregation.choices, default=Aggregation.ARITHMETIC
    )
    dynamics_years = models.PositiveSmallIntegerField(_("dynamics over years"), default=5)
    # Cut points in standard deviations; defaults as in analytics.status_dynamics (MSS).
    status_thresholds = models.JSONField(_("status class limits (SD)"), default=list, blank=True)
    dynamics_thresholds = models.JSONField(
        _("dynamics class limits (SD)"), default=list, blank=True
    )
    replications = models.PositiveIntegerField(_("Monte Carlo replications"), default=500)
    typology_method = models.CharField(
        _("typology"),
        max_length=10,
        choices=[("ward", _("Ward (hierarchical)")), ("kmeans", _("k-means"))],
        default="ward",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    adopted_at = models.DateTimeField(_("adopted"), null=True, blank=True)

    class Meta:
        ordering = ["name", "-version"]
        verbose_name = _("index definition")
        verbose_name_plural = _("index definitions")
        permissions = [("adopt_indexdefinition", _("Can adopt an index definition"))]

    def __str__(self) -> str:
        return f"{self.name} (Version {self.version})"

    @property
    def is_adopted(self) -> bool:
        return self.status == self.Status.ADOPTED


class IndexComponent(models.Model):
    definition = models.ForeignKey(
        IndexDefinition, on_delete=models.CASCADE, related_name="components"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    weight = models.FloatField(_("weight (if set by the planner)"), default=1.0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "indicator"], name="index_component_once")
        ]

    def __str__(self) -> str:
        return f"{self.definition}: {self.indicator}"


class IndexRun(models.Model):
    """One computation of a definition for one year; the results stay with the run."""

    class Level(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipalities")
        SOCIAL_SPACE = "social_space", _("social spaces of the adopted scheme")

    definition = models.ForeignKey(IndexDefinition, on_delete=models.CASCADE, related_name="runs")
    year = models.PositiveSmallIntegerField(_("year"))
    # Social spaces get their indicator values from summed numerators and denominators.
    level = models.CharField(
        _("areas"), max_length=20, choices=Level.choices, default=Level.MUNICIPALITY
    )
    job = models.OneToOneField(Job, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("index run")
        verbose_name_plural = _("index runs")

    def __str__(self) -> str:
        return f"{self.definition} {self.year}"

    @property
    def complete(self) -> bool:
        return bool(self.summary) and self.results.exists()


class IndexResult(models.Model):
    run = models.ForeignKey(IndexRun, on_delete=models.CASCADE, related_name="results")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    value = models.FloatField(_("index value"), null=True)
    rank = models.FloatField(_("rank"), null=True)
    median_rank = models.FloatField(_("median rank"), null=True)
    rank_low = models.FloatField(_("rank, 5 %"), null=True)
    rank_high = models.FloatField(_("rank, 95 %"), null=True)
    status_class = models.CharField(_("status class"), max_length=12, blank=True)
    dynamics_class = models.CharField(_("dynamics class"), max_length=12, blank=True)
    type_number = models.PositiveSmallIntegerField(_("type"), null=True)

    class Meta:
        ordering = ["rank"]
        constraints = [models.UniqueConstraint(fields=["run", "area"], name="index_result_once")]

    def __str__(self) -> str:
        return f"{self.run}: {self.area.name}"
