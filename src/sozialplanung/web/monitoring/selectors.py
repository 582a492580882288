"""Reads for the monitoring pages: indicator tables on today's areas, ready to show or export."""

from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext_lazy as _

from sozialplanung.analytics.classify import classify
from sozialplanung.web.areas.models import Area, Level
from sozialplanung.web.areas.selectors import site_county

from .compute import (
    IndicatorResult,
    aggregate_result,
    available_years,
    current_municipalities,
    indicator_for,
    successors_to,
)
from .disclose import protect
from .models import ImportBatch, Indicator, Observation

# Single-hue sequential palettes stay readable for colour-blind readers (light = low).
PALETTES = {
    Indicator.Polarity.HIGHER_WORSE: ["#fdeee2", "#f8c9a4", "#ee9b61", "#c8662b", "#8a3b12"],
    Indicator.Polarity.HIGHER_BETTER: ["#e0efec", "#b3d9d2", "#7dbdb3", "#3f958b", "#1f5f5b"],
    Indicator.Polarity.NEUTRAL: ["#e7ecf4", "#bccbe1", "#8aa6cb", "#5479ad", "#2c4f82"],
}
CLASS_METHODS = {
    "quantiles": _("quantiles"),
    "equal_interval": _("equal intervals"),
    "natural_breaks": _("natural breaks"),
    "manual": _("own class limits"),
}
# Levels below the county that pages show, the larger two summed from municipalities.
LOCAL_LEVELS = (Level.MUNICIPALITY, Level.ASSOCIATION, Level.SOCIAL_SPACE)
LEVELS = {
    "gemeinden": Level.MUNICIPALITY,
    "verwaltungsgemeinschaften": Level.ASSOCIATION,
    "sozialraeume": Level.SOCIAL_SPACE,
}


@dataclass
class Row:
    area: Area
    value: float | None
    numerator: float | None
    denominator: float | None
    hidden: bool
    example: bool
    harmonised: bool
    batches: set[int]
    rank: int | None = None
    colour: str | None = None


@dataclass
class IndicatorView:
    indicator: Indicator
    year: int
    years: list[int]
    rows: list[Row]
    county: Row | None
    legend: list[dict]
    published: bool  # True when small counts are hidden (public pages, exports)
    method: str
    level: str = Level.MUNICIPALITY  # counties when the figures exist only per county

    @property
    def has_map(self) -> bool:
        return all(r.area.geometry for r in self.rows)

    @property
    def any_example(self) -> bool:
        return any(r.example for r in self.rows) or bool(self.county and self.county.example)

    @property
    def any_hidden(self) -> bool:
        return any(r.hidden for r in self.rows)

    def batches(self) -> list[ImportBatch]:
        ids = set().union(*(r.batches for r in self.rows)) if self.rows else set()
        return list(ImportBatch.objects.filter(pk__in=ids).order_by("file_name"))


def visible_indicators(user) -> list[Indicator]:
    indicators = Indicator.objects.select_related("numerator", "denominator")
    if not user.has_perm("monitoring.view_indicator"):
        indicators = indicators.filter(is_public=True)
    return list(indicators)


def indicator_view(
    indicator: Indicator,
    year: int | None = None,
    *,
    published: bool,
    method: str = "quantiles",
    breaks: list[float] | None = None,
    level: str = Level.MUNICIPALITY,
    county: Area | None = None,
    context: "Context | None" = None,
) -> IndicatorView | None:
    """The indicator on today's municipalities with the county value, classed for the map.

    With ``level`` association the municipalities' numerators and denominators are summed to the
    administrative associations first. ``breaks`` are the upper class limits for ``manual``.
    """
    county = county or site_county()
    years = available_years(indicator)
    if county is None or not years:
        return None
    year = year if year in years else years[-1]
    context = context or Context.for_county(county)
    local = indicator_for(indicator, year, context.municipalities, context.chains)
    if np.isnan(local.value).all():
        # Only county figures exist (e.g. INKAR): compare the county with the others in its state.
        local = indicator_for(indicator, year, _counties_of_state(county), chains={})
        total = indicator_for(indicator, year, [county], chains={})
    else:
        total = aggregate_result(local, [county])
    levels, overlays = [local, total], []
    if local.areas[0].level == Level.MUNICIPALITY:
        levels, overlays = context.published_levels(local, total)
    every = [*levels, *(o for o, _ in overlays)]
    if published:
        hidden = protect(levels, overlays)
    else:
        hidden = [np.zeros(len(r.areas), bool) for r in every]
    # The levels a page can show, each with its mask; the county (last level) is the reference.
    shown = [pair for i, pair in enumerate(zip(every, hidden, strict=True)) if i != len(levels) - 1]
    local, hidden_local = next(
        (pair for pair in shown if pair[0].areas and pair[0].areas[0].level == level), shown[0]
    )
    hidden_total = hidden[len(levels) - 1]
    rows = _rows(local, hidden_local)
    county_row = _rows(total, hidden_total)[0]
    legend = _colour(rows, indicator, method, breaks)
    _rank(rows, indicator)
    return IndicatorView(
        indicator, year, years, rows, county_row, legend, published, method, local.areas[0].level
    )


@dataclass
class Context:
    """What every indicator of one county needs: computed once when a page shows many."""

    municipalities: list[Area]
    chains: dict
    associations: list[Area]
    spaces: list[Area]  # of the adopted scheme of social spaces, if any
    space_of: dict[int, int]  # municipality pk → its space's area pk

    @classmethod
    def for_county(cls, county: Area) -> "Context":
        from sozialplanung.web.spaces.selectors import space_areas

        municipalities = current_municipalities(county)
        associations = list(
            Area.objects.filter(level=Level.ASSOCIATION, parent=county).current().order_by("name")
        )
        spaces, space_of = space_areas(county)
        return cls(municipalities, successors_to(municipalities), associations, spaces, space_of)

    def published_levels(
        self, local: IndicatorResult, total: IndicatorResult
    ) -> tuple[list[IndicatorResult], list]:
        """Municipal values with everything published beside them, for protection as a whole.

        Association and social space totals published on one page must not reveal a
        municipality hidden on another: returns the levels (municipalities, associations,
        county) and the social spaces as an overlay, both summed from ``local``.
        """
        levels = [local, aggregate_result(local, self.associations), total]
        overlays = []
        if self.spaces:
            spaces = aggregate_result(local, self.spaces, parent_of=self.space_of)
            overlays = [(spaces, self.space_of)]
        return levels, overlays


def _counties_of_state(county: Area) -> list[Area]:
    state_key = county.parent.key if county.parent else county.key[:2]
    return list(
        Area.objects.filter(level=Level.COUNTY, key__startswith=state_key).current().order_by("key")
    )


def _rows(result: IndicatorResult, hidden) -> list[Row]:
    rows = []
    for i, area in enumerate(result.areas):
        value = None if hidden[i] or np.isnan(result.value[i]) else float(result.value[i])
        rows.append(
            Row(
                area=area,
                value=value,
                numerator=None if hidden[i] else _number(result.numerator[i]),
                denominator=None
                if hidden[i] or result.denominator is None
                else _number(result.denominator[i]),
                hidden=bool(hidden[i]),
                example=bool(result.example[i]),
                harmonised=bool(result.harmonised[i]),
                batches=result.batches[i],
            )
        )
    return rows


def _number(value) -> float | None:
    return None if value is None or np.isnan(value) else float(value)


def _colour(rows: list[Row], indicator: Indicator, method: str, breaks=None) -> list[dict]:
    palette = PALETTES[indicator.polarity]
    values = [r.value if r.value is not None else np.nan for r in rows]
    if method not in CLASS_METHODS or (method == "manual" and not breaks):
        method = "quantiles"
    result = classify(values, method, k=len(palette), breaks=breaks)
    if len(result.breaks) > len(palette):  # more own limits than colours: keep the first ones
        result = classify(values, "manual", breaks=result.breaks[: len(palette) - 1])
    colours = palette[len(palette) - len(result.breaks) :]
    for row, cls in zip(rows, result.classes, strict=True):
        row.colour = colours[cls] if cls >= 0 else None
    return [
        {"lower": low, "upper": up, "colour": colour}
        for (low, up), colour in zip(result.bounds(), colours, strict=True)
    ]


def _rank(rows: list[Row], indicator: Indicator) -> None:
    """Rank 1 is the most favourable value where the polarity says which way is better."""
    known = [r for r in rows if r.value is not None]
    descending = indicator.polarity != Indicator.Polarity.HIGHER_WORSE
    for rank, row in enumerate(sorted(known, key=lambda r: r.value, reverse=descending), 1):
        row.rank = rank


def area_profile(area: Area, *, published: bool, user) -> list[dict]:
    """Every visible indicator for one area against the county, latest year each.

    Works for municipalities, associations and social spaces: the latter two from summed
    numerators and denominators.
    """
    county = next((a for a in area.ancestors() if a.level == Level.COUNTY), None)
    if county is None or area.level not in LOCAL_LEVELS:
        return []
    profile = []
    context = Context.for_county(county)
    for indicator in visible_indicators(user):
        view = indicator_view(
            indicator, published=published, county=county, context=context, level=area.level
        )
        if view is None:
            continue
        row = next((r for r in view.rows if r.area.pk == area.pk), None)
        if row is None:
            continue
        profile.append(
            {"indicator": indicator, "year": view.year, "row": row, "county": view.county}
        )
    return profile


def trail(row: Row, view: IndicatorView) -> dict:
    """The way from files to this figure: import batches and, after mergers, the old areas."""
    from sozialplanung.web.areas.models import ConversionKey

    batches = list(ImportBatch.objects.filter(pk__in=row.batches).order_by("created_at"))
    predecessors = []
    if row.harmonised:
        frontier = [row.area.pk]
        seen = set(frontier)
        while frontier:
            links = list(
                ConversionKey.objects.filter(new_area__in=frontier)
                .exclude(old_area__in=seen)
                .select_related("old_area", "new_area")
            )
            predecessors += [link for link in links if link.old_area.key != link.new_area.key]
            frontier = [link.old_area_id for link in links]
            seen.update(frontier)
    return {"batches": batches, "predecessors": predecessors}


@dataclass
class SeriesPoint:
    year: int
    area: Row | None
    county: Row | None
    series_break: bool = False  # the figures of this year are not comparable with earlier ones


def series_for(indicator: Indicator, area: Area, *, published: bool) -> list[SeriesPoint]:
    """The indicator for one area over all years on file, beside its county's value."""
    variables = [indicator.numerator_id, indicator.denominator_id]
    break_years = set(
        Observation.objects.filter(variable__in=variables, break_in_series=True).values_list(
            "year", flat=True
        )
    )
    points = []
    county = site_county()
    context = Context.for_county(county) if county else None
    level = area.level if area.level in LOCAL_LEVELS else Level.MUNICIPALITY
    for year in available_years(indicator):
        view = indicator_view(indicator, year, published=published, context=context, level=level)
        if view is None:
            continue
        row = next((r for r in view.rows if r.area.pk == area.pk), None)
        county = view.county if view.county and view.county.area.pk != area.pk else None
        if row is None and view.county and view.county.area.pk == area.pk:
            row = view.county
        points.append(SeriesPoint(year, row, county, year in break_years))
    return points


def series_chart(indicator: Indicator, area: Area, points: list[SeriesPoint]) -> str:
    """An accessible SVG line chart of the series (the table beside it carries the same data)."""
    from sozialplanung.reports.charts import Series, line_chart

    lines = [Series(area.name, [(p.year, p.area.value if p.area else None) for p in points], True)]
    county_points = [(p.year, p.county.value if p.county else None) for p in points]
    if any(value is not None for _, value in county_points):
        county = next(p.county.area.name for p in points if p.county)
        lines.append(Series(county, county_points))
    return line_chart(
        lines,
        title=f"{indicator.name}: {area.name}",
        unit=indicator.unit,
        decimals=indicator.decimals,
        description=indicator.definition,
    )


def comparison_chart(view: IndicatorView) -> str:
    """Bars of all compared areas with the county highlighted, for county-only figures."""
    from sozialplanung.reports.charts import bar_chart

    rows = sorted((r for r in view.rows), key=lambda r: (r.value is None, -(r.value or 0)))
    return bar_chart(
        [(r.area.name, r.value) for r in rows],
        title=f"{view.indicator.name} {view.year}",
        unit=view.indicator.unit,
        highlight=view.county.area.name if view.county else None,
        decimals=view.indicator.decimals,
        description=view.indicator.definition,
    )


def spread(view: IndicatorView) -> dict:
    """The lowest and highest published value and where they are."""
    known = [r for r in view.rows if r.value is not None]
    if not known:
        return {"lowest": None, "highest": None}
    return {
        "lowest": min(known, key=lambda r: r.value),
        "highest": max(known, key=lambda r: r.value),
    }
