"""The planners' import page: upload, see every problem or a summary, then confirm.

The uploaded file waits in the data directory under a random name between the two steps; the
session remembers which one and the choices made, so confirming re-checks exactly that file.
"""

import datetime as dt
import secrets
from dataclasses import replace
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sozialplanung.io.area_files import AreaFileError
from sozialplanung.web.accounts.decorators import require_permission

from .importing import IGNORE, ImportSpec, confirm_import, preview_import
from .models import Variable

SESSION_KEY = "monitoring-upload"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Table"),
        help_text=gettext_lazy(
            "CSV or XLSX (long or wide), or a GENESIS / Regionalstatistik flat file."
        ),
    )
    attribution = forms.CharField(
        label=gettext_lazy("Source and licence"),
        max_length=500,
        help_text=gettext_lazy(
            "As it will be shown with every figure, "
            "e.g. “© Statistisches Bundesamt (Destatis), dl-de/by-2-0”."
        ),
    )
    vintage = forms.DateField(
        label=gettext_lazy("Territorial vintage of the keys"),
        required=False,
        help_text=gettext_lazy("Leave empty if each year uses the keys valid at its end."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    fixed_period = forms.CharField(
        label=gettext_lazy("Period, if the table has no year column"),
        required=False,
        max_length=10,
        help_text=gettext_lazy("A year (2022) or a date (2022-05-15)."),
    )
    is_example = forms.BooleanField(
        label=gettext_lazy("Example data, not official"), required=False
    )


def _upload_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "uploads"
    folder.mkdir(exist_ok=True)
    return folder


def _spec(state: dict) -> ImportSpec:
    spec = ImportSpec(
        attribution=state["attribution"],
        is_example=state["is_example"],
        variables=state.get("variables", {}),
    )
    if state.get("vintage"):
        spec = replace(spec, territorial_vintage=dt.date.fromisoformat(state["vintage"]))
    if state.get("fixed_period"):
        spec = replace(spec, mapping=replace(spec.mapping, fixed_period=state["fixed_period"]))
    return spec


@require_permission("monitoring.add_observation")
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        stored = _upload_dir() / f"{secrets.token_hex(16)}{Path(upload.name).suffix.lower()}"
        with stored.open("wb") as target:
            for chunk in upload.chunks():
                target.write(chunk)
        vintage = form.cleaned_data["vintage"]
        request.session[SESSION_KEY] = {
            "path": stored.name,
            "name": upload.name,
            "attribution": form.cleaned_data["attribution"],
            "vintage": vintage.isoformat() if vintage else "",
            "fixed_period": form.cleaned_data["fixed_period"],
            "is_example": form.cleaned_data["is_example"],
            "variables": {},
        }
        return redirect("monitoring:upload-preview")
    return render(request, "monitoring/upload.html", {"form": form})


@require_permission("monitoring.add_observation")
def upload_preview(request: HttpRequest) -> HttpResponse:
    state = request.session.get(SESSION_KEY)
    if not state or not (_upload_dir() / state["path"]).exists():
        messages.info(request, _("Please upload a table first."))
        return redirect("monitoring:upload")
    if request.method == "POST" and "assign" in request.POST:
        state["variables"] = {
            name.removeprefix("var-"): value
            for name, value in request.POST.items()
            if name.startswith("var-") and value
        }
        request.session[SESSION_KEY] = state
    path = _upload_dir() / state["path"]
    try:
        preview = preview_import(path, _spec(state), file_name=state["name"])
    except AreaFileError as error:
        return render(
            request, "monitoring/preview.html", {"state": state, "problems": error.problems}
        )
    if request.method == "POST" and "confirm" in request.POST and preview.ok:
        batch = confirm_import(preview, user=request.user)
        path.unlink(missing_ok=True)
        del request.session[SESSION_KEY]
        messages.success(
            request,
            _("%(name)s imported: %(values)d values.")
            % {"name": state["name"], "values": batch.rows_imported},
        )
        return redirect("monitoring:overview")
    unmapped = sorted({row.variable for row in preview.table.rows} - set(_known_codes(preview)))
    return render(
        request,
        "monitoring/preview.html",
        {
            "state": state,
            "preview": preview,
            "problems": preview.problems,
            "summary": preview.summary() if preview.cells else None,
            "unmapped": unmapped,
            "variables": Variable.objects.order_by("name"),
            "ignore": IGNORE,
        },
    )


def _known_codes(preview) -> set[str]:
    codes = set(Variable.objects.values_list("code", flat=True))
    mapped = preview.spec.variables
    return {
        code for code in {r.variable for r in preview.table.rows} if code in codes or code in mapped
    }
