"""Strategy pages for reading: tree, measure, timeline, budget, goals, versions, exports."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sozialplanung.reports.markdown import to_html
from sozialplanung.web.accounts.decorators import require_login, require_permission
from sozialplanung.web.areas.selectors import site_county

from . import exports, presentation, services, tracking, versions
from .forms import ProgressForm
from .models import Measure, Strategy


def strategy_or_404(pk: int) -> Strategy:
    return get_object_or_404(Strategy.objects.select_related("county", "predecessor"), pk=pk)


@require_permission("strategy.view_strategy")
def strategy_list(request: HttpRequest) -> HttpResponse:
    county = site_county()
    if county is None:
        raise Http404
    strategies = Strategy.objects.filter(county=county).order_by("-version", "-pk")
    return render(request, "strategy/list.html", {"strategies": strategies, "county": county})


@require_permission("strategy.view_strategy")
def strategy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = strategy_or_404(pk)
    today = dt.date.today()
    context = {
        "strategy": strategy,
        "tree": services.tree(strategy),
        "milestones": strategy.milestones.all(),
        "overdue": services.milestones_due(strategy, today),
        "counts": presentation.status_counts(strategy),
        "has_example": presentation.has_example_content(strategy),
        "introduction": mark_safe(to_html(strategy.introduction)),  # noqa: S308 - escaped
    }
    return render(request, "strategy/detail.html", context)


def _measure_or_404(request: HttpRequest, pk: int) -> Measure:
    """Readers of the strategy see every measure; a provider only those it reports on."""
    measure = get_object_or_404(Measure.objects.select_related("strategy", "responsible"), pk=pk)
    user = request.user
    if user.has_perm("strategy.view_strategy") or services.may_report_progress(user, measure):
        return measure
    raise PermissionDenied


@require_login
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _measure_or_404(request, pk)
    may_report = services.may_report_progress(request.user, measure)
    form = ProgressForm(request.POST or None, initial={"day": dt.date.today()})
    if request.method == "POST":
        if not may_report:
            raise PermissionDenied
        if form.is_valid():
            entry = form.save(commit=False)
            entry.measure = measure
            entry.author = request.user
            entry.save()
            messages.success(request, _("The progress entry is saved."))
            return redirect("strategy:measure", pk=measure.pk)
    context = {
        "measure": measure,
        "budget": presentation.measure_budget(measure),
        "progress": presentation.progress_of(measure),
        "reach": services.reach_to_date(measure),
        "form": form if may_report else None,
        "can_read_strategy": request.user.has_perm("strategy.view_strategy"),
    }
    return render(request, "strategy/measure.html", context)


@require_permission("strategy.add_progressentry")
def my_measures(request: HttpRequest) -> HttpResponse:
    measures = services.measures_for_provider(request.user).order_by("-strategy__version", "number")
    return render(request, "strategy/my_measures.html", {"measures": measures})


@require_permission("strategy.view_strategy")
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = strategy_or_404(pk)
    svg = presentation.timeline_svg(strategy, today=dt.date.today())
    return render(request, "strategy/timeline.html", {"strategy": strategy, "svg": svg})


@require_permission("strategy.view_strategy")
def budget(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = strategy_or_404(pk)
    return render(
        request,
        "strategy/budget.html",
        {"strategy": strategy, "table": presentation.budget_table(strategy)},
    )


@require_permission("strategy.view_strategy")
def goals(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = strategy_or_404(pk)
    goal_list = presentation.goals_of(strategy)
    tracks = tracking.dashboard(goal_list, strategy.county)
    return render(
        request,
        "strategy/goals.html",
        {"strategy": strategy, "rows": [presentation.goal_row(t) for t in tracks]},
    )


@require_permission("strategy.view_strategy")
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = strategy_or_404(pk)
    others = Strategy.objects.filter(lineage=strategy.lineage).exclude(pk=strategy.pk)
    other_pk = request.GET.get("mit") or (strategy.predecessor_id and str(strategy.predecessor_id))
    other = others.filter(pk=other_pk).first() if other_pk and other_pk.isdigit() else None
    changes = []
    if other is not None:
        older, newer = sorted([other, strategy], key=lambda s: s.version)
        changes = versions.diff_snapshots(versions.snapshot(older), versions.snapshot(newer))
    context = {
        "strategy": strategy,
        "other": other,
        "others": others.order_by("version"),
        "groups": presentation.change_groups(changes),
    }
    return render(request, "strategy/compare.html", context)


@require_permission("strategy.view_strategy")
def history(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = strategy_or_404(pk)
    return render(
        request,
        "strategy/history.html",
        {"strategy": strategy, "entries": presentation.history_of(strategy)},
    )


@require_permission("strategy.view_strategy")
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = strategy_or_404(pk)
    data = exports.strategy_pdf(strategy, day=dt.date.today())
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(strategy)}.pdf"'
    return response


@require_permission("strategy.view_strategy")
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = strategy_or_404(pk)
    response = HttpResponse(
        exports.measures_xlsx(strategy),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = exports.file_name(strategy)
    response["Content-Disposition"] = f'attachment; filename="{name}-massnahmen.xlsx"'
    return response
