"""Reads for the monitoring pages: indicator tables on today's areas, ready to show or export."""

import datetime as dt
from dataclasses import dataclass

import numpy as np

from sozialplanung.analytics.classify import classify
from sozialplanung.web.areas.models import Area, Level
from sozialplanung.web.areas.selectors import site_county

from .compute import (
    IndicatorResult,
    aggregate_result,
    available_years,
    current_municipalities,
    indicator_for,
)
from .disclose import protect
from .models import ImportBatch, Indicator

# Single-hue sequential palettes stay readable for colour-blind readers (light = low).
PALETTES = {
    Indicator.Polarity.HIGHER_WORSE: ["#fdeee2", "#f8c9a4", "#ee9b61", "#c8662b", "#8a3b12"],
    Indicator.Polarity.HIGHER_BETTER: ["#e0efec", "#b3d9d2", "#7dbdb3", "#3f958b", "#1f5f5b"],
    Indicator.Polarity.NEUTRAL: ["#e7ecf4", "#bccbe1", "#8aa6cb", "#5479ad", "#2c4f82"],
}
CLASS_METHODS = {
    "quantiles": "Quantile",
    "equal_interval": "gleiche Abstände",
    "natural_breaks": "natürliche Unterbrechungen",
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
    county: Area | None = None,
) -> IndicatorView | None:
    """The indicator on today's municipalities with the county value, classed for the map."""
    county = county or site_county()
    years = available_years(indicator)
    if county is None or not years:
        return None
    year = year if year in years else years[-1]
    municipalities = current_municipalities(county)
    local = indicator_for(indicator, year, municipalities)
    level = Level.MUNICIPALITY
    if np.isnan(local.value).all():
        # Only county figures exist (e.g. INKAR): compare the county with the others in its state.
        counties = _counties_of_state(county)
        local, level = indicator_for(indicator, year, counties, chains={}), Level.COUNTY
        total = indicator_for(indicator, year, [county], chains={})
    else:
        total = aggregate_result(local, [county])
    hidden_local, hidden_total = (
        protect([local, total]) if published else (np.zeros(len(local.areas), bool), [False])
    )
    rows = _rows(local, hidden_local)
    county_row = _rows(total, hidden_total)[0]
    legend = _colour(rows, indicator, method)
    _rank(rows, indicator)
    return IndicatorView(
        indicator, year, years, rows, county_row, legend, published, method, level=level
    )


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


def _colour(rows: list[Row], indicator: Indicator, method: str) -> list[dict]:
    palette = PALETTES[indicator.polarity]
    values = [r.value if r.value is not None else np.nan for r in rows]
    result = classify(values, method if method in CLASS_METHODS else "quantiles", k=len(palette))
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
    """Every visible indicator for one municipality against the county, latest year each."""
    county = next((a for a in area.ancestors() if a.level == Level.COUNTY), None)
    if county is None or area.level != Level.MUNICIPALITY:
        return []
    profile = []
    for indicator in visible_indicators(user):
        view = indicator_view(indicator, published=published, county=county)
        if view is None:
            continue
        row = next((r for r in view.rows if r.area.pk == area.pk), None)
        if row is None:
            continue
        profile.append(
            {"indicator": indicator, "year": view.year, "row": row, "county": view.county}
        )
    return profile


def today() -> dt.date:
    return dt.date.today()


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


def series_for(indicator: Indicator, area: Area, *, published: bool) -> list[SeriesPoint]:
    """The indicator for one area over all years on file, beside its county's value."""
    points = []
    for year in available_years(indicator):
        view = indicator_view(indicator, year, published=published)
        if view is None:
            continue
        row = next((r for r in view.rows if r.area.pk == area.pk), None)
        county = view.county if view.county and view.county.area.pk != area.pk else None
        if row is None and view.county and view.county.area.pk == area.pk:
            row = view.county
        points.append(SeriesPoint(year, row, county))
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
