"""Public pages of the directory: the search and one page per service (no login)."""

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from sozialplanung.web.areas.selectors import municipalities_in, site_county
from sozialplanung.web.spaces.selectors import space_areas

from . import presentation
from .folder import folder_pdf
from .forms import SearchForm
from .search import Filters, public_services, search


def service_search(request: HttpRequest) -> HttpResponse:
    county = site_county()
    municipalities = sorted(
        municipalities_in(county) if county else [], key=lambda m: m.name.casefold()
    )
    form = SearchForm(request.GET or None, municipalities=municipalities)
    filters = form.filters() if form.is_valid() else Filters()
    result = search(filters, request.GET.get("seite", 1))
    context = {
        "form": form,
        "result": result,
        "rows": [presentation.result_row(s, result.distances) for s in result.page.object_list],
        "searched": form.is_bound,
        "query_without_page": presentation.query_without_page(request.GET),
        "spaces": space_areas(county)[0] if county else [],
    }
    return render(request, "directory/search.html", context)


def service_detail(request: HttpRequest, hsds_id: str) -> HttpResponse:
    service = get_object_or_404(public_services().select_related("organization"), hsds_id=hsds_id)
    context = presentation.service_detail(service)
    return render(request, "directory/detail.html", context)


def parents_folder(request: HttpRequest) -> HttpResponse:
    """The printable folder as PDF, for the county or one social space (?sozialraum=key)."""
    county = site_county()
    if county is None:
        raise Http404
    space = None
    if key := request.GET.get("sozialraum"):
        spaces, _member_of = space_areas(county)
        space = next((s for s in spaces if s.key == key), None)
        if space is None:
            raise Http404
    data = folder_pdf(county, day=dt.date.today(), space=space)
    response = HttpResponse(data, content_type="application/pdf")
    name = f"elternordner-{space.key if space else county.key}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
