"""Report pages: render and list documents, edit the chapter texts, read documents as HTML."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sozialplanung.reports.documents import Document
from sozialplanung.web.accounts.decorators import require_permission
from sozialplanung.web.areas.selectors import area_by_key, site_county
from sozialplanung.web.monitoring.models import Topic

from . import presentation, services
from .forms import RunForm, TextsForm
from .models import NarrativeBlock, ReportRun


def _county():
    county = site_county()
    if county is None:
        raise Http404
    return county


@require_permission("reports.view_reportrun")
def run_list(request: HttpRequest) -> HttpResponse:
    county = _county()
    form = RunForm(request.POST or None, county=county, initial={"day": dt.date.today()})
    if request.method == "POST":
        if not request.user.has_perm("reports.add_reportrun"):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                run = services.render_document(
                    county=county,
                    kind=data["kind"],
                    day=data["day"],
                    topic=data["topic"],
                    area=data["area"],
                    user=request.user,
                )
            except services.NothingToReport as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("%(document)s rendered: %(pages)s pages.")
                    % {"document": run.get_kind_display(), "pages": run.pages},
                )
                return redirect("reports:list")
    runs = ReportRun.objects.select_related("area", "created_by")[:200]
    return render(request, "reports/list.html", {"form": form, "runs": runs})


@require_permission("reports.view_reportrun")
def run_file(request: HttpRequest, pk: int) -> FileResponse:
    run = get_object_or_404(ReportRun, pk=pk)
    return FileResponse(
        run.file.open("rb"),
        as_attachment=True,
        filename=run.file.name.split("/")[-1],
        content_type="application/pdf",
    )


@require_permission("reports.change_narrativeblock")
def texts(request: HttpRequest) -> HttpResponse:
    definition = services.definition_for(_county())
    current = dict(definition.narratives.values_list("topic", "text"))
    initial = {
        "title": definition.title,
        "subtitle": definition.subtitle,
        "introduction": definition.introduction,
    }
    initial.update({f"topic_{code}": text for code, text in current.items()})
    form = TextsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for name in ("title", "subtitle", "introduction"):
                setattr(definition, name, form.cleaned_data[name])
            definition.save(update_fields=["title", "subtitle", "introduction"])
            for code in Topic.values:
                NarrativeBlock.objects.update_or_create(
                    definition=definition,
                    topic=code,
                    defaults={
                        "text": form.cleaned_data[f"topic_{code}"],
                        "updated_by": request.user,
                    },
                )
        messages.success(request, _("The texts are saved; the next rendering uses them."))
        return redirect("reports:texts")
    return render(request, "reports/texts.html", {"form": form, "definition": definition})


def _html(request: HttpRequest, document: Document) -> HttpResponse:
    return render(
        request, "reports/document.html", {"document": presentation.html_document(document)}
    )


@require_permission("reports.view_reportrun")
def report_html(request: HttpRequest) -> HttpResponse:
    document, _reading = services.social_report(
        services.definition_for(_county()), day=dt.date.today()
    )
    return _html(request, document)


@require_permission("reports.view_reportrun")
def topic_html(request: HttpRequest, topic: str) -> HttpResponse:
    if topic not in Topic.values:
        raise Http404
    county = _county()
    document, _reading = services.topic_sheet(
        county, topic, day=dt.date.today(), definition=services.definition_for(county)
    )
    return _html(request, document)


@require_permission("reports.view_reportrun")
def profile_html(request: HttpRequest, key: str) -> HttpResponse:
    area = area_by_key(key)
    if area is None:
        raise Http404
    _area, document, _reading = next(services.profiles([area], _county(), day=dt.date.today()))
    return _html(request, document)
