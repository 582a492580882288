"""Fill report documents from the database: published figures only, words in German.

Each indicator is read once through the monitoring selectors with ``published=True``, so the
disclosure control of the public pages applies here too and a suppressed cell never reaches a
document. The layout lives in :mod:`sozialplanung.reports.documents`.
"""

import json
import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from shapely.geometry import shape

from sozialplanung.reports import narrative
from sozialplanung.reports.charts import Series, format_number, line_chart
from sozialplanung.reports.documents import Chapter, IndicatorBlock, KeyFigure, Source
from sozialplanung.reports.maps import LegendClass, MapArea, choropleth
from sozialplanung.web.areas.models import Area, Level
from sozialplanung.web.monitoring.compute import indicator_for
from sozialplanung.web.monitoring.disclose import threshold
from sozialplanung.web.monitoring.models import ImportBatch, Indicator, Topic, Variable
from sozialplanung.web.monitoring.selectors import Context, Row, indicator_view

LOCATION_COLOUR = "#1f5f5b"
OTHER_COLOUR = "#e4e8e8"
RANKING_ROWS = 5  # highest and lowest shown in a chapter's table; profiles show all indicators


@dataclass
class Reading:
    """Everything read once for a set of documents: each indicator's views over its years."""

    county: Area
    context: Context
    indicators: list[Indicator] = field(default_factory=list)  # those with views, in order
    views: dict[str, list] = field(default_factory=dict)  # indicator code → views, oldest first
    rows: dict[str, list[dict[int, Row]]] = field(default_factory=dict)  # per view: area pk → row
    batches: set[int] = field(default_factory=set)
    shapes: dict[int, object] = field(default_factory=dict)  # area pk → shapely geometry
    _sources: tuple[Source, ...] = ()
    _sources_key: frozenset[int] | None = None  # the batches _sources were read for

    def shape_of(self, area: Area):
        """The area's boundary as a shapely geometry, parsed once per reading."""
        if area.pk not in self.shapes:
            self.shapes[area.pk] = shape(json.loads(area.geometry))
        return self.shapes[area.pk]

    @classmethod
    def of(cls, county: Area, indicators: list[Indicator], level: str = Level.MUNICIPALITY):
        reading = cls(county, Context.for_county(county))
        for indicator in indicators:
            latest = indicator_view(
                indicator, published=True, county=county, context=reading.context, level=level
            )
            if latest is None or latest.level not in (Level.MUNICIPALITY, level):
                continue  # county-only figures (e.g. INKAR) have no map of municipalities
            views = [
                indicator_view(
                    indicator,
                    year,
                    published=True,
                    county=county,
                    context=reading.context,
                    level=level,
                )
                for year in latest.years
                if year != latest.year
            ]
            reading.indicators.append(indicator)
            reading.views[indicator.code] = [*views, latest]
            reading.rows[indicator.code] = [
                {r.area.pk: r for r in view.rows} for view in reading.views[indicator.code]
            ]
            for view in reading.views[indicator.code]:
                reading.batches |= set().union(*(r.batches for r in view.rows), set())
                if view.county:
                    reading.batches |= view.county.batches
        return reading

    def latest(self, indicator: Indicator):
        return self.views[indicator.code][-1]

    def of_topic(self, topic: str) -> list[Indicator]:
        return [i for i in self.indicators if i.topic == topic]

    def sources(self) -> tuple[Source, ...]:
        """The files behind the figures read; queried again only when more were read."""
        key = frozenset(self.batches)
        if key != self._sources_key:
            batches = ImportBatch.objects.filter(pk__in=key).order_by("file_name")
            self._sources = tuple(
                Source(b.file_name, b.attribution, b.attribution_url, b.is_example) for b in batches
            )
            self._sources_key = key
        return self._sources


def report_indicators(topic: str | None = None) -> list[Indicator]:
    """Public indicators, in catalogue order, optionally of one topic."""
    indicators = Indicator.objects.filter(is_public=True).select_related("numerator", "denominator")
    if topic:
        indicators = indicators.filter(topic=topic)
    return list(indicators)


def topic_chapter(
    reading: Reading, topic: str, narrative_text: str = "", *, sheet: bool = False
) -> Chapter | None:
    """One topic: key figures of the county, then each indicator with map, chart and ranking.

    As a two-page topic sheet (``sheet``) only the first indicator gets map, chart and ranking;
    the others follow in one table of county values and the spread between municipalities.
    """
    indicators = reading.of_topic(topic)
    if not indicators:
        return None
    figures = []
    for indicator in indicators[:4]:
        view = reading.latest(indicator)
        county_value = view.county.value if view.county else None
        figures.append(
            KeyFigure(
                indicator.name,
                _value(indicator, county_value),
                f"{reading.county.name} {view.year}",
            )
        )
    if sheet:
        blocks = [_county_block(reading, indicators[0], ranking_rows=3)]
        if len(indicators) > 1:
            blocks.append(_overview_block(reading, indicators[1:]))
    else:
        blocks = [_county_block(reading, indicator) for indicator in indicators]
    return Chapter(
        title=str(Topic(topic).label),
        narrative=narrative_text,
        key_figures=tuple(figures),
        blocks=tuple(blocks),
    )


def _overview_block(reading: Reading, indicators: list[Indicator]) -> IndicatorBlock:
    """Further indicators of a topic in one table, each with its trend and ranking sentence."""
    rows, points = [], []
    for indicator in indicators:
        view = reading.latest(indicator)
        known = [r for r in view.rows if r.value is not None]
        spread = "–"
        if known:
            values = [r.value for r in known]
            spread = _class_label(min(values), max(values), indicator.decimals)
        county_value = view.county.value if view.county else None
        rows.append((indicator.name, _value(indicator, county_value), spread, str(view.year)))
        statement = _county_statement(reading, indicator)
        if statement:
            points.append(statement)
    return IndicatorBlock(
        name=_("Further indicators"),
        year=max(int(r[3]) for r in rows),
        statement="",
        definition="",
        source="",
        ranking_header=(
            _("Indicator"),
            reading.county.name,
            _("Municipalities from … to"),
            _("Year"),
        ),
        ranking=tuple(rows),
        points=tuple(points),
    )


def location_chapter(reading: Reading, area: Area) -> Chapter:
    """Where the area lies in the county, and its size."""
    space_of = reading.context.space_of
    inside = {m for m, space in space_of.items() if space == area.pk} or {area.pk}
    areas = [
        MapArea(m.name, reading.shape_of(m), LOCATION_COLOUR if m.pk in inside else OTHER_COLOUR)
        for m in reading.context.municipalities
        if m.geometry
    ]
    figures = [KeyFigure(_("Inhabitants"), _number(area.population, 0), area.population_note)]
    if area.area_km2:
        figures.append(KeyFigure(_("Area"), f"{_number(area.area_km2, 1)}\u00a0km²"))
    if area.density is not None:
        figures.append(KeyFigure(_("Inhabitants per km²"), _number(area.density, 0)))
    where = _("Location of %(area)s in %(county)s") % {
        "area": area.name,
        "county": reading.county.name,
    }
    block = IndicatorBlock(
        name="",
        year=None,
        statement="",
        definition="",
        source="",
        map_svg=choropleth(areas, [], title=where, width=260) if areas else "",
        map_alt=where,
        figure_width="28%",
    )
    return Chapter(title=_("Location"), key_figures=tuple(figures), blocks=(block,))


def profile_chapters(reading: Reading, area: Area) -> tuple[Chapter, ...]:
    """An area profile: per topic a table area vs county and one sentence per indicator."""
    chapters = [location_chapter(reading, area)]
    for topic in Topic.values:
        rows, sentences = [], []
        for indicator in reading.of_topic(topic):
            view = reading.latest(indicator)
            row = reading.rows[indicator.code][-1].get(area.pk)
            if row is None:
                continue
            rows.append(
                (
                    indicator.name,
                    "•" if row.hidden else _value(indicator, row.value),
                    _value(indicator, view.county.value if view.county else None),
                    str(view.year),
                )
            )
            sentences.append(_area_sentence(reading, indicator, area))
        if rows:
            block = IndicatorBlock(
                name="",
                year=max(int(r[3]) for r in rows),
                statement="",
                definition="",
                source="",
                ranking_header=(_("Indicator"), area.name, reading.county.name, _("Year")),
                ranking=tuple(rows),
                points=tuple(s for s in sentences if s),
            )
            chapters.append(Chapter(title=str(Topic(topic).label), blocks=(block,)))
    return tuple(chapters)


def _county_points(reading: Reading, indicator: Indicator) -> list[tuple[int, narrative.Figure]]:
    """The county's value in every year read."""
    return [(v.year, _figure(v.county)) for v in reading.views[indicator.code] if v.county]


def _county_statement(reading: Reading, indicator: Indicator) -> str:
    """The county's trend and which municipalities have the highest and lowest values."""
    points = _county_points(reading, indicator)
    trend = narrative.trend_sentence(
        indicator=indicator.name, unit=indicator.unit, decimals=indicator.decimals, points=points
    )
    ranking = narrative.ranking_sentence(
        indicator=indicator.name,
        unit=indicator.unit,
        decimals=indicator.decimals,
        rows=[(r.area.name, _figure(r)) for r in reading.latest(indicator).rows],
        higher_is_worse=_higher_is_worse(indicator),
    )
    return " ".join(s for s in (trend, ranking) if s)


def _county_block(
    reading: Reading, indicator: Indicator, ranking_rows: int = RANKING_ROWS
) -> IndicatorBlock:
    view = reading.latest(indicator)
    unit = indicator.unit
    points = _county_points(reading, indicator)
    statement = _county_statement(reading, indicator)
    chart = ""
    if sum(1 for _, f in points if f.value is not None) >= 2:
        lines = [Series(reading.county.name, [(y, f.value) for y, f in points], True)]
        state = _state_series(reading, indicator, [y for y, _ in points])
        if state is not None:
            lines.append(state)
        chart = line_chart(
            lines,
            title=_("%(indicator)s over time") % {"indicator": indicator.name},
            unit=unit,
            decimals=indicator.decimals,
            width=420,
            height=260,
        )
    ranked = sorted((r for r in view.rows if r.rank is not None), key=lambda r: r.rank)
    ranking = [(str(r.rank), r.area.name, _row_value(indicator, r)) for r in ranked]
    if len(ranking) > 2 * ranking_rows:
        ranking = [*ranking[:ranking_rows], ("", "…", ""), *ranking[-ranking_rows:]]
    return IndicatorBlock(
        name=indicator.name,
        year=view.year,
        statement=statement,
        definition=indicator.definition,
        source=_("Source: %(source)s.") % {"source": indicator.source},
        map_svg=_map(reading, view, indicator),
        map_alt=_("Map of %(indicator)s %(year)s by municipality")
        % {"indicator": indicator.name, "year": view.year},
        chart_svg=chart,
        chart_alt=statement,
        ranking_header=(_("Rank"), _("Municipality"), unit),
        ranking=tuple(ranking),
        note=_("Values of small groups are not published (data protection).")
        if view.any_hidden
        else "",
    )


def _state_series(reading: Reading, indicator: Indicator, years: list[int]) -> Series | None:
    """The state's values beside the county's, where the state's own figures are on file.

    Only values whose numerator reaches the publication threshold are drawn.
    """
    state = reading.county.parent
    if state is None or state.level != Level.STATE:
        return None
    points = []
    for year in years:
        result = indicator_for(indicator, year, [state], chains={})
        value, numerator = float(result.value[0]), float(result.numerator[0])
        published = math.isfinite(value) and numerator >= threshold()
        points.append((year, value if published else None))
        if published:
            reading.batches |= result.batches[0]
    if all(value is None for _, value in points):
        return None
    return Series(state.name, points)


def _area_sentence(reading: Reading, indicator: Indicator, area: Area) -> str:
    views = reading.views[indicator.code]
    points = []
    latest_row = None
    for view, rows in zip(views, reading.rows[indicator.code], strict=True):
        row = rows.get(area.pk)
        if row is not None:
            points.append((view.year, _figure(row)))
            latest_row = row
    view = views[-1]
    return narrative.area_statement(
        area=area.name,
        indicator=indicator.name,
        unit=indicator.unit,
        decimals=indicator.decimals,
        value=_figure(latest_row),
        reference=_figure(view.county) if _is_rate(indicator) else narrative.Figure(None),
        points=points,
    )


def _map(reading: Reading, view, indicator: Indicator) -> str:
    areas = [
        MapArea(
            r.area.name,
            reading.shape_of(r.area),
            r.colour if r.value is not None else None,
            f"{r.area.name}: {_row_value(indicator, r)}",
        )
        for r in view.rows
        if r.area.geometry
    ]
    if not areas:
        return ""
    legend = [
        LegendClass(_class_label(c["lower"], c["upper"], indicator.decimals), c["colour"])
        for c in view.legend
    ]
    return choropleth(
        areas,
        legend,
        title=f"{indicator.name} {view.year}",
        width=360,
        description=_("Map of %(indicator)s %(year)s by municipality")
        % {"indicator": indicator.name, "year": view.year},
    )


def _class_label(lower: float, upper: float, decimals: int) -> str:
    return _("%(lower)s to %(upper)s") % {
        "lower": format_number(lower, decimals),
        "upper": format_number(upper, decimals),
    }


def _number(value: float | None, decimals: int) -> str:
    return "–" if value is None else format_number(value, decimals)


def _figure(row: Row | None) -> narrative.Figure:
    if row is None:
        return narrative.Figure(None)
    return narrative.Figure(row.value, hidden=row.hidden)


def _value(indicator: Indicator, value: float | None) -> str:
    if value is None:
        return "–"
    text = format_number(value, indicator.decimals)
    return f"{text}\u00a0{indicator.unit}" if indicator.unit else text


def _row_value(indicator: Indicator, row: Row) -> str:
    if row.hidden:
        return "•"
    return _value(indicator, row.value).removesuffix(f"\u00a0{indicator.unit}")


def _is_rate(indicator: Indicator) -> bool:
    """Rates, shares and changes compare with the county; a count would compare with a sum."""
    additive = indicator.numerator.kind != Variable.Kind.RATE
    return indicator.denominator_id is not None or bool(indicator.change_years) or not additive


def _higher_is_worse(indicator: Indicator) -> bool | None:
    if indicator.polarity == Indicator.Polarity.NEUTRAL:
        return None
    return indicator.polarity == Indicator.Polarity.HIGHER_WORSE
