"""Official areas with validity periods, so time series survive municipal mergers."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Territorial levels, from the largest to the smallest."""

    STATE = "state", _("State")
    COUNTY = "county", _("County")
    ASSOCIATION = "association", _("Administrative association")
    MUNICIPALITY = "municipality", _("Municipality")
    SOCIAL_SPACE = "social_space", _("Social space")
    GRID_CELL = "grid_cell", _("Grid cell")


# Official key length per level (AGS for state, county and municipality; ARS for associations).
KEY_LENGTHS = {
    Level.STATE: 2,
    Level.COUNTY: 5,
    Level.ASSOCIATION: 9,
    Level.MUNICIPALITY: 8,
}
# Levels that form the official hierarchy, largest first; parents are searched among them.
HIERARCHY = [Level.STATE, Level.COUNTY, Level.ASSOCIATION, Level.MUNICIPALITY]


class AreaImport(models.Model):
    """One import of an area file: where every boundary and population figure came from."""

    file_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    vintage = models.DateField(_("territorial vintage"))
    attribution = models.CharField(_("source and licence"), max_length=500, blank=True)
    attribution_url = models.URLField(_("link to source or licence"), blank=True)
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_count = models.PositiveIntegerField(_("new areas"), default=0)
    updated_count = models.PositiveIntegerField(_("updated areas"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("area import")
        verbose_name_plural = _("area imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_level_display()}, {self.vintage:%d.%m.%Y})"


class AreaQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> "AreaQuerySet":
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)

    def current(self) -> "AreaQuerySet":
        return self.valid_on(dt.date.today())


class Area(models.Model):
    """A territorial unit as it was valid between two dates, with its boundary as GeoJSON."""

    level = models.CharField(_("level"), max_length=20, choices=Level.choices, db_index=True)
    key = models.CharField(_("official key"), max_length=32, db_index=True)
    regional_key = models.CharField(_("regional key (ARS)"), max_length=12, blank=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=60, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent area"),
    )
    # GeoJSON geometry in EPSG:4326, engine-neutral: no spatial database needed.
    geometry = models.TextField(_("boundary (GeoJSON)"), blank=True)
    geometry_derived = models.BooleanField(_("boundary derived from member areas"), default=False)
    area_km2 = models.FloatField(_("area in km²"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_note = models.CharField(_("population source"), max_length=300, blank=True)
    vintage = models.DateField(_("territorial vintage"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    source = models.ForeignKey(
        AreaImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="areas"
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        permissions = [("import_areas", _("Can import area files and conversion keys"))]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "key", "valid_from"], name="area_unique_key_per_period"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="area_valid_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"

    @property
    def density(self) -> float | None:
        """Inhabitants per km², where both figures are known."""
        if self.population is None or not self.area_km2:
            return None
        return self.population / self.area_km2

    def ancestors(self) -> list["Area"]:
        """Parent units from the nearest to the largest."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class ConversionKey(models.Model):
    """Share of an old area that went into a new one (Umsteigeschlüssel)."""

    old_area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="successors")
    new_area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="predecessors")
    weight = models.FloatField(_("weight"), default=1.0)
    effective_date = models.DateField(_("effective date"))
    basis = models.CharField(_("basis"), max_length=500, blank=True)

    class Meta:
        ordering = ["old_area__key", "new_area__key"]
        verbose_name = _("conversion key")
        verbose_name_plural = _("conversion keys")
        constraints = [
            models.UniqueConstraint(fields=["old_area", "new_area"], name="conversion_unique_pair"),
            models.CheckConstraint(
                condition=Q(weight__gt=0) & Q(weight__lte=1), name="conversion_weight_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old_area} → {self.new_area} ({self.weight:g})"


class Neighbourship(models.Model):
    """Two areas of one vintage sharing a border; stored in both directions for simple lookups."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="neighbour_links")
    neighbour = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    border_km = models.FloatField(_("shared border in km"))

    class Meta:
        ordering = ["area", "neighbour__name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "neighbour"], name="neighbour_unique_pair")
        ]

    def __str__(self) -> str:
        return f"{self.area.name} – {self.neighbour.name}"
