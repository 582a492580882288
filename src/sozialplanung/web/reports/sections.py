"""The social report's chapters on the adopted social index and the adopted social spaces."""

import json

from django.utils.translation import gettext as _
from shapely.geometry import shape

from sozialplanung.reports.charts import format_number
from sozialplanung.reports.documents import Chapter, IndicatorBlock
from sozialplanung.reports.maps import LegendClass, MapArea, choropleth
from sozialplanung.web.areas.models import Area
from sozialplanung.web.socialindex.presentation import NEED_PALETTE, fills
from sozialplanung.web.socialindex.selectors import latest_adopted_run
from sozialplanung.web.spaces.presentation import how_made, space_rows
from sozialplanung.web.spaces.selectors import adopted_scheme

INDEX_ROWS = 5  # areas of highest and lowest need named in the table


def spaces_chapter(county: Area) -> Chapter | None:
    """The adopted scheme: map of the spaces, their members and how the scheme was made."""
    scheme = adopted_scheme(county)
    if scheme is None:
        return None
    rows = space_rows(scheme)
    areas = [
        MapArea(m.name, shape(json.loads(m.geometry)), row.colour, f"{m.name}: {row.space.name}")
        for row in rows
        for m in row.municipalities
        if m.geometry
    ]
    legend = [LegendClass(row.space.name, row.colour) for row in rows]
    title = _("Social spaces (adopted scheme)")
    block = IndicatorBlock(
        name=scheme.name,
        year=None,
        statement=how_made(scheme),
        definition="",
        source="",
        map_svg=choropleth(areas, legend, title=scheme.name, width=360) if areas else "",
        map_alt=_("Map of the social spaces and their municipalities"),
        ranking_header=(_("No."), _("Social space"), _("Inhabitants")),
        ranking=tuple(
            (str(row.space.number), row.space.name, format_number(row.population, 0))
            for row in rows
        ),
        points=tuple(
            f"{row.space.name}: {', '.join(m.name for m in row.municipalities)}" for row in rows
        ),
    )
    return Chapter(title=title, blocks=(block,))


def index_chapter(county: Area) -> Chapter | None:
    """The latest run of the newest adopted index on the municipalities: map and ranks."""
    run = latest_adopted_run()
    if run is None:
        return None
    definition = run.definition
    results = list(run.results.select_related("area").order_by("rank"))
    ranked = [r for r in results if r.rank is not None]
    colours = fills(results, "index")
    areas = [
        MapArea(
            r.area.name,
            shape(json.loads(r.area.geometry)),
            colours.get(r.area.pk),
            f"{r.area.name}: {_('rank')} {r.rank:g}" if r.rank is not None else r.area.name,
        )
        for r in results
        if r.area.geometry
    ]
    legend = [
        LegendClass(_("highest need"), NEED_PALETTE[-1]),
        LegendClass(_("lowest need"), NEED_PALETTE[0]),
    ]
    table = [(f"{r.rank:g}", r.area.name, format_number(r.value, 2)) for r in ranked]
    if len(table) > 2 * INDEX_ROWS:
        table = [*table[:INDEX_ROWS], ("", "…", ""), *table[-INDEX_ROWS:]]
    most = ", ".join(r.area.name for r in ranked[:3])
    block = IndicatorBlock(
        name=definition.name,
        year=run.year,
        statement=_("The highest need by this index: %(areas)s (rank 1 = highest need).")
        % {"areas": most},
        definition=definition.description,
        source="",
        map_svg=choropleth(areas, legend, title=f"{definition.name} {run.year}", width=360)
        if areas
        else "",
        map_alt=_("Map of the social index by municipality"),
        ranking_header=(_("Rank"), _("Municipality"), _("Index value")),
        ranking=tuple(table),
    )
    return Chapter(title=_("Social index"), blocks=(block,))
