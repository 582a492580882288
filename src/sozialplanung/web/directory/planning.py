"""The planners' directory page: every entry with its review date, HSDS import and export.

A file is imported whole or not at all; its problems are listed with table, record and field.
The published directory is open data: anyone may download it as HSDS JSON or package.
"""

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sozialplanung.io.hsds import HsdsError, load, write_json, write_tabular
from sozialplanung.web.accounts.decorators import require_permission
from sozialplanung.web.areas.selectors import site_county

from .coverage import coverage_view, table_rows
from .hsds_export import export_dataset
from .hsds_import import import_dataset
from .models import Service

MAX_UPLOAD = 50 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("HSDS file"),
        help_text=gettext_lazy("HSDS 3 as JSON (services) or as a ZIP data package of CSV files."),
    )
    is_example = forms.BooleanField(
        label=gettext_lazy("Example content, not real offers"), required=False
    )


@require_permission("directory.view_service")
def directory_overview(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST":
        if not request.user.has_perm("directory.add_service"):
            raise PermissionDenied
        if form.is_valid() and form.cleaned_data["file"].size > MAX_UPLOAD:
            problems = [_("The file is larger than 50 MB.")]
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                dataset = load(upload.read(), upload.name)
                summary = import_dataset(dataset, example=form.cleaned_data["is_example"])
            except HsdsError as error:
                problems = error.problems
            else:
                messages.success(
                    request,
                    _("Imported: %(services)s offers at %(locations)s places.")
                    % {"services": summary["services"], "locations": summary["locations"]},
                )
                return redirect("directory:planning")
    today = dt.date.today()
    services = Service.objects.select_related("organization").order_by("name")
    rows = [
        {"service": s, "due": s.review_due, "overdue": bool(s.review_due and s.review_due < today)}
        for s in services
    ]
    context = {"form": form, "problems": problems, "rows": rows}
    return render(request, "directory/planning.html", context, status=400 if problems else 200)


def export_json(request: HttpRequest) -> HttpResponse:
    """The published directory as HSDS JSON: open data, no login needed."""
    response = HttpResponse(write_json(export_dataset()), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="angebote-hsds.json"'
    return response


def export_package(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(write_tabular(export_dataset()), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="angebote-hsds.zip"'
    return response


@require_permission("directory.view_service")
def coverage_page(request: HttpRequest) -> HttpResponse:
    """Offers per life situation and social space against the target population; gaps marked."""
    county = site_county()
    view = coverage_view(county) if county else None
    context = {"view": view, "rows": table_rows(view) if view else []}
    return render(request, "directory/coverage.html", context)
