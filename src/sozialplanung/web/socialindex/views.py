"""Social index pages: definitions, runs started in the background, and their results."""

import csv
import io

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sozialplanung.web.accounts.decorators import require_permission
from sozialplanung.web.areas.selectors import feature_collection
from sozialplanung.web.spaces.selectors import has_adopted_scheme

from . import presentation, services
from .forms import DefinitionForm, RunForm
from .models import IndexComponent, IndexDefinition, IndexRun


def _definitions(request: HttpRequest):
    """Planners see every definition; others (leaders) only adopted ones."""
    definitions = IndexDefinition.objects.all()
    if not request.user.has_perm("socialindex.change_indexdefinition"):
        definitions = definitions.filter(status=IndexDefinition.Status.ADOPTED)
    return definitions


def _run_or_404(request: HttpRequest, pk: int) -> IndexRun:
    return get_object_or_404(
        IndexRun.objects.select_related("definition", "job"),
        pk=pk,
        definition__in=_definitions(request),
    )


@require_permission("socialindex.view_indexdefinition")
def definition_list(request: HttpRequest) -> HttpResponse:
    return render(request, "socialindex/list.html", {"definitions": _definitions(request)})


@require_permission("socialindex.view_indexdefinition")
def definition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    definition = get_object_or_404(_definitions(request), pk=pk)
    return render(
        request,
        "socialindex/detail.html",
        {
            "definition": definition,
            "runs": definition.runs.all(),
            "run_form": RunForm(spaces_adopted=has_adopted_scheme()),
        },
    )


@require_permission("socialindex.add_indexdefinition")
def definition_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    definition = get_object_or_404(IndexDefinition, pk=pk) if pk else None
    if definition is not None and definition.is_adopted:
        messages.info(request, _("An adopted index cannot be changed; make a new version."))
        return redirect("socialindex:detail", pk=definition.pk)
    initial = _initial(definition) if definition else {}
    form = DefinitionForm(request.POST or None, instance=definition, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            if saved.created_by_id is None and request.user.is_authenticated:
                saved.created_by = request.user
            saved.status_thresholds = form.cleaned_data["status_text"]
            saved.dynamics_thresholds = form.cleaned_data["dynamics_text"]
            saved.save()
            saved.components.all().delete()
            indicators, weights = form.cleaned_data["indicators"], form.cleaned_data["weights"]
            if len(weights) != len(indicators):
                weights = [1.0] * len(indicators)
            IndexComponent.objects.bulk_create(
                IndexComponent(definition=saved, indicator=indicator, position=i, weight=weight)
                for i, (indicator, weight) in enumerate(zip(indicators, weights, strict=True))
            )
        return redirect("socialindex:detail", pk=saved.pk)
    return render(request, "socialindex/edit.html", {"form": form, "definition": definition})


def _initial(definition: IndexDefinition) -> dict:
    components = list(definition.components.all())
    return {
        "indicators": [c.indicator for c in components],
        "weights_text": "; ".join(f"{c.weight:g}" for c in components),
        "status_text": "; ".join(f"{x:g}" for x in definition.status_thresholds),
        "dynamics_text": "; ".join(f"{x:g}" for x in definition.dynamics_thresholds),
    }


@require_permission("socialindex.add_indexdefinition")
def definition_copy(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("socialindex:detail", pk=pk)
    copy = services.definition_copy(
        definition=get_object_or_404(IndexDefinition, pk=pk), user=request.user
    )
    messages.success(
        request, _("Version %(version)d created as a draft.") % {"version": copy.version}
    )
    return redirect("socialindex:detail", pk=copy.pk)


@require_permission("socialindex.adopt_indexdefinition")
def definition_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    definition = get_object_or_404(IndexDefinition, pk=pk)
    if request.method == "POST" and not definition.is_adopted:
        services.definition_adopt(definition=definition)
        messages.success(request, _("The index is adopted; from now on it is read-only."))
    return redirect("socialindex:detail", pk=pk)


@require_permission("socialindex.change_indexdefinition")
def run_start(request: HttpRequest, pk: int) -> HttpResponse:
    definition = get_object_or_404(IndexDefinition, pk=pk)
    form = RunForm(request.POST or None, spaces_adopted=has_adopted_scheme())
    if request.method != "POST" or not form.is_valid():
        return redirect("socialindex:detail", pk=pk)
    run = services.run_start(
        definition=definition,
        year=form.cleaned_data["year"],
        level=form.cleaned_data["level"],
        user=request.user,
    )
    return redirect("jobs:detail", pk=run.job.pk)


@require_permission("socialindex.view_indexdefinition")
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_or_404(request, pk)
    if not run.complete:
        return render(request, "socialindex/pending.html", {"run": run})
    return render(request, "socialindex/run.html", presentation.run_context(run))


@require_permission("socialindex.view_indexdefinition")
def run_geojson(request: HttpRequest, pk: int) -> JsonResponse:
    run = _run_or_404(request, pk)
    view = request.GET.get("ansicht", "index")
    results = list(run.results.select_related("area"))
    fills = presentation.fills(results, view)
    collection = feature_collection([r.area for r in results], fills=fills)
    for feature, result in zip(collection["features"], results, strict=True):
        feature["properties"].update(
            value=result.value if view == "index" else None,
            label=presentation.feature_label(result, view),
        )
    return JsonResponse(collection)


@require_permission("socialindex.view_indexdefinition")
def run_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    run = _run_or_404(request, pk)
    header, rows = presentation.export_rows(run)
    name = f"sozialindex_{run.definition.pk}_{run.year}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow([f"# {run.definition} – {run.year}"])
        writer.writerows([header, *rows])
        response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "Sozialindex"
        for row in [header, *rows]:
            sheet.append(row)
        for title, table in presentation.extra_tables(run).items():
            extra = book.create_sheet(title)
            for row in table:
                extra.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
