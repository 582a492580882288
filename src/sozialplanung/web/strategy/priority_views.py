"""The priority list: planners try weights and save a list; leaders approve a saved one."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sozialplanung.web.accounts.decorators import require_permission

from . import presentation, priorities
from .forms import WeightsForm
from .models import PriorityList
from .views import strategy_or_404


@require_permission("strategy.view_prioritylist")
def priority_overview(request: HttpRequest, pk: int) -> HttpResponse:
    """Weights from the query string (or the defaults), the ranking they give, the saved lists."""
    strategy = strategy_or_404(pk)
    form = WeightsForm(request.POST or request.GET or None)
    weights = priorities.DEFAULT_WEIGHTS
    if form.is_bound and form.is_valid():
        weights = form.weights()
        if request.method == "POST" and request.user.has_perm("strategy.add_prioritylist"):
            title = form.cleaned_data["title"] or _("Priority list of %(day)s") % {
                "day": date_format(timezone.localdate())
            }
            saved = priorities.save(
                strategy=strategy, title=title, weights=weights, user=request.user
            )
            messages.success(request, _("The list is saved; a leader can now approve it."))
            return redirect("strategy:priority-list", pk=saved.pk)
    elif not form.is_bound:
        form = WeightsForm(initial=priorities.DEFAULT_WEIGHTS)
    result = priorities.ranking(priorities.assess(strategy), weights)
    context = {
        "strategy": strategy,
        "form": form,
        "table": presentation.priority_table(result),
        "saved": strategy.priority_lists.select_related("created_by", "approved_by"),
    }
    return render(request, "strategy/priorities.html", context)


@require_permission("strategy.view_prioritylist")
def priority_list(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(PriorityList.objects.select_related("strategy"), pk=pk)
    context = {
        "strategy": saved.strategy,
        "saved_list": saved,
        "table": presentation.priority_table(saved.result),
    }
    return render(request, "strategy/priority_list.html", context)


@require_POST
@require_permission("strategy.approve_prioritylist")
def priority_approve(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(PriorityList, pk=pk)
    try:
        priorities.approve(priority_list=saved, user=request.user)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The priority list is approved."))
    return redirect("strategy:priority-list", pk=saved.pk)
