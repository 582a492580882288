"""Public pages of the directory: the search and one page per service (no login)."""

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from sozialplanung.web import memo
from sozialplanung.web.areas.models import Area
from sozialplanung.web.areas.selectors import municipalities_in, public_site
from sozialplanung.web.spaces.selectors import space_areas

from . import presentation
from .folder import folder_pdf
from .forms import SearchForm
from .search import Filters, public_services, search


def _places() -> tuple[list[Area], list[Area]]:
    """The county's municipalities by name and its adopted social spaces, kept per process."""

    def read() -> tuple[list[Area], list[Area]]:
        county, _sources = public_site()
        if county is None:
            return [], []
        municipalities = sorted(municipalities_in(county), key=lambda m: m.name.casefold())
        return municipalities, space_areas(county)[0]

    return memo.remembered(("directory-places", dt.date.today()), read)


def service_search(request: HttpRequest) -> HttpResponse:
    municipalities, spaces = _places()
    form = SearchForm(request.GET or None, municipalities=municipalities)
    filters = form.filters() if form.is_valid() else Filters()
    result = search(filters, request.GET.get("seite", 1))
    context = {
        "form": form,
        "result": result,
        "rows": [
            presentation.result_row(s, result.facts[s.pk], result.distances)
            for s in result.page.object_list
        ],
        "searched": form.is_bound,
        "query_without_page": presentation.query_without_page(request.GET),
        "spaces": spaces,
    }
    return render(request, "directory/search.html", context)


def service_detail(request: HttpRequest, hsds_id: str) -> HttpResponse:
    service = get_object_or_404(public_services().select_related("organization"), hsds_id=hsds_id)
    context = presentation.service_detail(service)
    return render(request, "directory/detail.html", context)


def parents_folder(request: HttpRequest) -> HttpResponse:
    """The printable folder as PDF, for the county or one social space (?sozialraum=key)."""
    county, _sources = public_site()
    if county is None:
        raise Http404
    space = None
    if key := request.GET.get("sozialraum"):
        space = next((s for s in _places()[1] if s.key == key), None)
        if space is None:
            raise Http404
    data = folder_pdf(county, day=dt.date.today(), space=space)
    response = HttpResponse(data, content_type="application/pdf")
    name = f"elternordner-{space.key if space else county.key}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
