"""Public area pages (overview, map, area page) and the planners' import page."""

import datetime as dt
import tempfile
from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sozialplanung.io.area_files import AreaFileError
from sozialplanung.web.accounts.decorators import require_permission

from . import selectors
from .forms import AreaImportForm
from .models import Level
from .services import import_area_file

# Levels with a profile in the social monitoring: figures summed from municipalities upwards.
PROFILE_LEVELS = (Level.MUNICIPALITY, Level.ASSOCIATION, Level.SOCIAL_SPACE)


def _county_or_404():
    county = selectors.site_county()
    if county is None:
        raise Http404(_("No county has been loaded yet."))
    return county


def home(request: HttpRequest) -> HttpResponse:
    county = selectors.site_county()
    if county is None:
        return render(request, "areas/empty.html")
    legend, _fills = selectors.density_classes(selectors.municipalities_in(county))
    return render(
        request,
        "areas/home.html",
        {"county": county, "figures": selectors.county_key_figures(county), "legend": legend},
    )


def map_page(request: HttpRequest) -> HttpResponse:
    county = _county_or_404()
    sort = request.GET.get("sort", "name")
    descending = request.GET.get("dir") == "desc"
    areas = list(selectors.municipalities_in(county))
    legend, _fills = selectors.density_classes(areas)
    return render(
        request,
        "areas/map.html",
        {
            "county": county,
            "areas": selectors.sorted_areas(areas, sort, descending),
            "legend": legend,
            "sort": sort if sort in selectors.SORTABLE else "name",
            "descending": descending,
            "columns": [
                ("name", _("Municipality"), False),
                ("kind", _("Kind"), False),
                ("key", _("Official key"), False),
                ("population", _("Population"), True),
                ("area", _("Area in km²"), True),
                ("density", _("Inhabitants per km²"), True),
            ],
        },
    )


def municipalities_geojson(request: HttpRequest) -> JsonResponse:
    """Municipalities coloured by inhabitants per km², the classes the page's legend shows."""
    areas = list(selectors.municipalities_in(_county_or_404()))
    _legend, fills = selectors.density_classes(areas)
    return JsonResponse(selectors.feature_collection(areas, fills=fills))


def area_detail(request: HttpRequest, key: str) -> HttpResponse:
    area = selectors.area_by_key(key)
    if area is None:
        raise Http404(_("There is no area with the key %(key)s.") % {"key": key})
    from sozialplanung.web.spaces.selectors import members_of, space_of

    neighbours = selectors.neighbours_of(area)
    if area.level == Level.SOCIAL_SPACE:
        members = members_of(area)
    else:
        members = area.children.exclude(level=Level.SOCIAL_SPACE).order_by("name")
    return render(
        request,
        "areas/detail.html",
        {
            "area": area,
            "ancestors": area.ancestors(),
            "social_space": space_of(area) if area.level == Level.MUNICIPALITY else None,
            "has_profile": area.level in PROFILE_LEVELS,
            "neighbours": neighbours,
            "members": members,
            "successors": area.successors.select_related("new_area"),
            "predecessors": area.predecessors.exclude(basis="unverändert").select_related(
                "old_area"
            ),
            "is_current": area.valid_to is None or area.valid_to >= dt.date.today(),
        },
    )


def area_geojson(request: HttpRequest, key: str) -> JsonResponse:
    """The area with its neighbours, for the small map on its page."""
    area = selectors.area_by_key(key)
    if area is None:
        raise Http404
    shown = [area, *selectors.neighbours_of(area)]
    return JsonResponse(selectors.feature_collection(shown, highlight=area))


@require_permission("areas.view_area")
def planning_areas(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "areas/planning.html",
        {
            "vintages": selectors.vintages(),
            "imports": selectors.recent_imports(),
            "conversions": selectors.conversion_summary(),
            "changes": selectors.changed_conversions(),
        },
    )


@require_permission("areas.import_areas")
def area_import(request: HttpRequest) -> HttpResponse:
    form = AreaImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            with path.open("wb") as target:
                for chunk in upload.chunks():
                    target.write(chunk)
            try:
                batch = import_area_file(
                    path,
                    level=form.cleaned_data["level"],
                    vintage=form.cleaned_data["vintage"],
                    valid_from=form.cleaned_data["valid_from"],
                    valid_to=form.cleaned_data["valid_to"],
                    attribution=form.cleaned_data["attribution"],
                    user=request.user,
                    file_name=upload.name,
                )
            except AreaFileError as error:
                problems = error.problems
            else:
                messages.success(
                    request,
                    _("%(name)s imported: %(new)d new and %(updated)d updated areas.")
                    % {
                        "name": upload.name,
                        "new": batch.created_count,
                        "updated": batch.updated_count,
                    },
                )
                return redirect("areas:planning")
    return render(request, "areas/import.html", {"form": form, "problems": problems})
