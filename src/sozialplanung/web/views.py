"""Project-wide pages that belong to no single domain."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sozialplanung.web.accounts.decorators import require_permission
from sozialplanung.web.areas import selectors as area_selectors


@require_permission("areas.view_area")
def planning_home(request: HttpRequest) -> HttpResponse:
    """Start page of the planning domain: what data the installation holds."""
    county = area_selectors.site_county()
    return render(
        request,
        "planning_home.html",
        {
            "county": county,
            "vintages": area_selectors.vintages(),
            "imports": area_selectors.recent_imports(5),
        },
    )
