"""Social space pages: start a computation, compare, edit, name, adopt and export schemes."""

import json

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sozialplanung.web.accounts.decorators import require_permission
from sozialplanung.web.areas.models import Area
from sozialplanung.web.areas.selectors import feature_collection, site_county

from . import presentation, services
from .forms import SchemeForm
from .models import SocialSpace, SpaceScheme
from .services import SchemeRuleError


def _schemes(request: HttpRequest):
    """Planners and those who adopt (leaders) see every scheme; other readers adopted ones."""
    schemes = SpaceScheme.objects.select_related("county", "job")
    user = request.user
    if not (
        user.has_perm("spaces.change_spacescheme") or user.has_perm("spaces.adopt_spacescheme")
    ):
        schemes = schemes.filter(status=SpaceScheme.Status.ADOPTED)
    return schemes


def _scheme_or_404(request: HttpRequest, pk: int) -> SpaceScheme:
    return get_object_or_404(_schemes(request), pk=pk)


@require_permission("spaces.view_spacescheme")
def scheme_list(request: HttpRequest) -> HttpResponse:
    return render(request, "spaces/list.html", {"schemes": _schemes(request)})


@require_permission("spaces.add_spacescheme")
def scheme_new(request: HttpRequest) -> HttpResponse:
    county = site_county()
    if county is None:
        raise Http404
    form = SchemeForm(request.POST or None, county=county)
    if request.method == "POST" and form.is_valid():
        scheme = services.scheme_start(
            county=county,
            name=form.cleaned_data["name"],
            method=form.cleaned_data["method"],
            parameters=form.parameters(),
            user=request.user,
        )
        return redirect("jobs:detail", pk=scheme.job.pk)
    return render(request, "spaces/new.html", {"form": form, "county": county})


def _detail_context(scheme: SpaceScheme) -> dict:
    return {
        "scheme": scheme,
        "rows": presentation.space_rows(scheme),
        "measures": presentation.measure_rows(scheme),
        "how_made": presentation.how_made(scheme) if scheme.quality else "",
    }


@require_permission("spaces.view_spacescheme")
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = _scheme_or_404(request, pk)
    context = _detail_context(scheme)
    context["others"] = (
        _schemes(request)
        .exclude(pk=scheme.pk)
        .exclude(status__in=[SpaceScheme.Status.COMPUTING, SpaceScheme.Status.FAILED])
    )
    return render(request, "spaces/detail.html", context)


@require_permission("spaces.view_spacescheme")
def scheme_compare(request: HttpRequest) -> HttpResponse:
    try:
        ids = [int(pk) for pk in request.GET.getlist("wahl")]
    except ValueError:
        ids = []
    if len(ids) != 2:
        messages.info(request, _("Choose exactly two schemes to compare."))
        return redirect("spaces:list")
    columns = [_detail_context(_scheme_or_404(request, pk)) for pk in ids]
    labels = [label for label, _value in columns[0]["measures"]]
    table = [(label, *[dict(c["measures"]).get(label, "–") for c in columns]) for label in labels]
    names = [c["scheme"].parameters.get("attribute_names") for c in columns]
    weights = [c["scheme"].parameters.get("attribute_weights") for c in columns]
    same = names[0] == names[1] and weights[0] == weights[1]
    return render(
        request,
        "spaces/compare.html",
        {"columns": columns, "table": table, "same_attributes": same},
    )


@require_permission("spaces.view_spacescheme")
def scheme_map(request: HttpRequest, pk: int) -> JsonResponse:
    """The municipalities coloured by their space; the tooltip names the space."""
    scheme = _scheme_or_404(request, pk)
    rows = presentation.space_rows(scheme)
    areas = [a for row in rows for a in row.municipalities]
    collection = feature_collection(
        areas, fills={a.pk: row.colour for row in rows for a in row.municipalities}
    )
    space_of = {a.pk: row.space for row in rows for a in row.municipalities}
    for area, feature in zip([a for a in areas if a.geometry], collection["features"], strict=True):
        feature["properties"].update(label=space_of[area.pk].name, space=space_of[area.pk].pk)
    return JsonResponse(collection)


@require_permission("spaces.change_spacescheme")
def move_check(request: HttpRequest, pk: int) -> JsonResponse:
    """Live check of a proposed move, for the edit form: broken rules or the new measures."""
    scheme = _scheme_or_404(request, pk)
    municipality, space = _move_target(request.GET, scheme)
    check = services.check_move(scheme, municipality, space)
    return JsonResponse({"ok": check["ok"], "messages": check["messages"]})


def _move_target(data, scheme: SpaceScheme) -> tuple[Area, SocialSpace]:
    try:
        municipality = scheme.memberships.get(municipality_id=int(data["gemeinde"])).municipality
        space = scheme.spaces.get(pk=int(data["raum"]))
    except (KeyError, ValueError, ObjectDoesNotExist) as error:
        raise Http404 from error
    return municipality, space


@require_permission("spaces.change_spacescheme")
def scheme_move(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = _scheme_or_404(request, pk)
    if request.method == "POST":
        municipality, space = _move_target(request.POST, scheme)
        try:
            services.move_municipality(scheme, municipality, space)
        except SchemeRuleError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(name)s now belongs to %(space)s.")
                % {"name": municipality.name, "space": space.name},
            )
    return redirect("spaces:detail", pk=pk)


@require_permission("spaces.change_spacescheme")
def scheme_rename(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = _scheme_or_404(request, pk)
    if request.method == "POST":
        names = {
            int(key.removeprefix("name-")): value
            for key, value in request.POST.items()
            if key.startswith("name-") and key.removeprefix("name-").isdigit()
        }
        try:
            services.rename_spaces(scheme, names)
        except SchemeRuleError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Names saved."))
    return redirect("spaces:detail", pk=pk)


@require_permission("spaces.add_spacescheme")
def scheme_copy(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = _scheme_or_404(request, pk)
    if request.method != "POST" or scheme.status not in (
        SpaceScheme.Status.DRAFT,
        SpaceScheme.Status.ADOPTED,
    ):
        return redirect("spaces:detail", pk=pk)
    copy = services.scheme_copy(scheme=scheme, user=request.user)
    messages.success(
        request, _("Version %(version)d created as a draft.") % {"version": copy.version}
    )
    return redirect("spaces:detail", pk=copy.pk)


@require_permission("spaces.adopt_spacescheme")
def scheme_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = _scheme_or_404(request, pk)
    if request.method == "POST":
        try:
            services.scheme_adopt(scheme=scheme)
        except SchemeRuleError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The scheme is adopted; from now on it is read-only."))
    return redirect("spaces:detail", pk=pk)


@require_permission("spaces.view_spacescheme")
def scheme_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    from .exports import scheme_geojson, scheme_geopackage

    scheme = _scheme_or_404(request, pk)
    name = f"sozialraeume_{scheme.pk}_v{scheme.version}"
    if fmt == "geojson":
        body = json.dumps(scheme_geojson(scheme), ensure_ascii=False).encode("utf-8")
        response = HttpResponse(body, content_type="application/geo+json")
    elif fmt == "gpkg":
        response = HttpResponse(
            scheme_geopackage(scheme), content_type="application/geopackage+sqlite3"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
