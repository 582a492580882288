"""Monitoring pages: indicator overview, indicator map and ranking, provenance, exports."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sozialplanung.web.areas.models import Level
from sozialplanung.web.areas.selectors import area_by_key, feature_collection, site_county

from . import exports, selectors
from .models import Indicator, Topic


def _indicator_or_404(request: HttpRequest, code: str) -> Indicator:
    """The indicator, if the visitor may see it: unpublished ones need a planning login."""
    indicator = get_object_or_404(
        Indicator.objects.select_related("numerator", "denominator"), code=code
    )
    if not indicator.is_public and not request.user.has_perm("monitoring.view_indicator"):
        raise Http404(_("This indicator is not published."))
    return indicator


def _published(request: HttpRequest) -> bool:
    """Small counts are hidden for everyone but planning staff, who need the raw figures."""
    return not request.user.has_perm("monitoring.view_observation")


def _view(request: HttpRequest, indicator: Indicator, *, published: bool | None = None):
    year = request.GET.get("jahr")
    view = selectors.indicator_view(
        indicator,
        int(year) if year and year.isdigit() else None,
        published=_published(request) if published is None else published,
        method=request.GET.get("klassen", "quantiles"),
        breaks=_breaks(request.GET.get("grenzen", "")),
        level=selectors.LEVELS.get(request.GET.get("ebene", ""), Level.MUNICIPALITY),
    )
    if view is None:
        raise Http404(_("There are no figures for this indicator yet."))
    return view


def _breaks(text: str) -> list[float] | None:
    """Own class limits as typed by a planner: "5; 10; 12,5" (German decimal commas welcome)."""
    limits = []
    for part in text.replace(";", " ").split():
        try:
            limits.append(float(part.replace(",", ".")))
        except ValueError:
            continue
    return sorted(set(limits)) or None


def _levels() -> dict[str, str]:
    """The area levels an indicator can be shown on; social spaces once a scheme is adopted."""
    from sozialplanung.web.spaces.selectors import has_adopted_scheme

    levels = {
        "gemeinden": _("Municipalities"),
        "verwaltungsgemeinschaften": _("Administrative associations"),
    }
    if has_adopted_scheme():
        levels["sozialraeume"] = _("Social spaces (adopted scheme)")
    return levels


def overview(request: HttpRequest) -> HttpResponse:
    indicators = selectors.visible_indicators(request.user)
    topics = [
        (value, label, [i for i in indicators if i.topic == value])
        for value, label in Topic.choices
    ]
    return render(request, "monitoring/overview.html", {"topics": topics})


def indicator_page(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator_or_404(request, code)
    view = _view(request, indicator)
    query = "?" + request.GET.urlencode() if request.GET else f"?jahr={view.year}"
    return render(
        request,
        "monitoring/indicator.html",
        {
            "view": view,
            "indicator": indicator,
            "methods": selectors.CLASS_METHODS,
            "levels": _levels(),
            "level_param": request.GET.get("ebene", "gemeinden"),
            "breaks_param": request.GET.get("grenzen", ""),
            "geojson_url": reverse("monitoring:geojson", args=[code]) + query,
            "query": query,
            "legend_title": f"{indicator.name} ({indicator.unit})",
            "chart": None if view.has_map else selectors.comparison_chart(view),
            "legend_decimals": f"{indicator.decimals}g",
        },
    )


def indicator_geojson(request: HttpRequest, code: str) -> JsonResponse:
    view = _view(request, _indicator_or_404(request, code))
    fills = {row.area.pk: row.colour for row in view.rows}
    collection = feature_collection([row.area for row in view.rows], fills=fills)
    values = {row.area.pk: row for row in view.rows}
    for feature, row in zip(collection["features"], view.rows, strict=True):
        row = values[row.area.pk]
        feature["properties"].update(
            value=row.value, hidden=row.hidden, example=row.example, label=view.indicator.unit
        )
    return JsonResponse(collection)


def provenance(request: HttpRequest, code: str, key: str, year: int) -> HttpResponse:
    """Where one figure came from: formula, observations, conversion keys and import batches."""
    indicator = _indicator_or_404(request, code)
    area = area_by_key(key)
    level = area.level if area and area.level in selectors.LOCAL_LEVELS else Level.MUNICIPALITY
    view = selectors.indicator_view(indicator, year, published=_published(request), level=level)
    if view is None:
        raise Http404
    row = next((r for r in [*view.rows, view.county] if r and r.area.key == key), None)
    if row is None:
        raise Http404(_("There is no value for this area."))
    return render(
        request,
        "monitoring/provenance.html",
        {"view": view, "indicator": indicator, "row": row, "trail": selectors.trail(row, view)},
    )


def export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """Any indicator view as CSV, XLSX, GeoJSON or GeoPackage; small counts always hidden."""
    view = _view(request, _indicator_or_404(request, code), published=True)
    writer = exports.WRITERS.get(fmt)
    if writer is None:
        raise Http404
    content, content_type = writer(view)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{view.indicator.code}_{view.year}.{fmt}"'
    )
    return response


def area_series(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """One area's values over the years beside its county: chart and table."""
    indicator = _indicator_or_404(request, code)
    area = area_by_key(key)
    if area is None:
        raise Http404(_("There is no area with the key %(key)s.") % {"key": key})
    points = selectors.series_for(indicator, area, published=_published(request))
    if not any(p.area and p.area.value is not None for p in points):
        raise Http404(_("There are no figures for this indicator yet."))
    return render(
        request,
        "monitoring/series.html",
        {
            "indicator": indicator,
            "area": area,
            "points": points,
            "chart": selectors.series_chart(indicator, area, points),
        },
    )


def area_profile(request: HttpRequest, key: str) -> HttpResponse:
    """Every visible indicator of one municipality beside the county value (area profile)."""
    area = area_by_key(key)
    if area is None:
        raise Http404(_("There is no area with the key %(key)s.") % {"key": key})
    profile = selectors.area_profile(area, published=_published(request), user=request.user)
    topics = [
        (label, [entry for entry in profile if entry["indicator"].topic == value])
        for value, label in Topic.choices
    ]
    return render(request, "monitoring/profile.html", {"area": area, "topics": topics})


def topic_page(request: HttpRequest, topic: str) -> HttpResponse:
    """All indicators of one topic: the county value, the range across areas, the latest year."""
    if topic not in Topic.values:
        raise Http404
    entries = []
    county = site_county()
    context = selectors.Context.for_county(county) if county else None
    for indicator in selectors.visible_indicators(request.user):
        if indicator.topic != topic:
            continue
        view = selectors.indicator_view(indicator, published=_published(request), context=context)
        if view is not None:
            entries.append({"indicator": indicator, "view": view, **selectors.spread(view)})
    return render(
        request, "monitoring/topic.html", {"topic": Topic(topic).label, "entries": entries}
    )
