"""Strategy pages for planners: versions, the council's adoption, and the items of a version.

Guidelines, goals, milestones and measures share one edit and one delete view. On an adopted
version only the implementation may change: the status of measures and milestones.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.db.models import Model
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sozialplanung.web.accounts.decorators import require_permission
from sozialplanung.web.areas.selectors import site_county

from . import forms, services
from .models import Goal, Guideline, Measure, Milestone, Strategy
from .services import StrategyFrozen
from .views import strategy_or_404


@dataclass(frozen=True)
class Kind:
    model: type[Model]
    form: type[ModelForm]
    status_form: type[ModelForm] | None  # what may change once the strategy is adopted
    label: str

    def items(self, strategy: Strategy):
        if self.model is Goal:
            return Goal.objects.filter(guideline__strategy=strategy)
        return self.model.objects.filter(strategy=strategy)


KINDS = {
    "leitlinie": Kind(Guideline, forms.GuidelineForm, None, gettext_lazy("guideline")),
    "ziel": Kind(Goal, forms.GoalForm, None, gettext_lazy("goal")),
    "massnahme": Kind(Measure, forms.MeasureForm, forms.MeasureStatusForm, gettext_lazy("measure")),
    "meilenstein": Kind(
        Milestone, forms.MilestoneForm, forms.MilestoneStatusForm, gettext_lazy("milestone")
    ),
}


@require_permission("strategy.add_strategy")
def strategy_new(request: HttpRequest) -> HttpResponse:
    county = site_county()
    if county is None:
        raise Http404
    form = forms.StrategyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        strategy = form.save(commit=False)
        strategy.county = county
        strategy.created_by = request.user
        strategy.save()
        return redirect("strategy:detail", pk=strategy.pk)
    return render(request, "strategy/edit.html", {"form": form, "title": _("New strategy")})


@require_permission("strategy.change_strategy")
def strategy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = strategy_or_404(pk)
    if _refused(request, strategy):
        return redirect("strategy:detail", pk=strategy.pk)
    form = forms.StrategyForm(request.POST or None, instance=strategy)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("strategy:detail", pk=strategy.pk)
    context = {"form": form, "strategy": strategy, "title": _("Edit the strategy")}
    return render(request, "strategy/edit.html", context)


@require_POST
@require_permission("strategy.add_strategy")
def strategy_revise(request: HttpRequest, pk: int) -> HttpResponse:
    copy = services.revise(strategy=strategy_or_404(pk), user=request.user)
    messages.success(
        request,
        _("Version %(version)s is a draft copy of the previous one; change it and compare.")
        % {"version": copy.version},
    )
    return redirect("strategy:detail", pk=copy.pk)


@require_permission("strategy.adopt_strategy")
def strategy_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = strategy_or_404(pk)
    form = forms.AdoptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.adopt(
                strategy=strategy,
                decided_on=form.cleaned_data["decided_on"],
                reference=form.cleaned_data["reference"],
            )
        except ValueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The council's adoption is recorded."))
        return redirect("strategy:detail", pk=strategy.pk)
    context = {"form": form, "strategy": strategy, "title": _("Record the council's adoption")}
    return render(request, "strategy/edit.html", context)


def _kind_or_404(kind: str) -> Kind:
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


def _refused(request: HttpRequest, strategy: Strategy) -> bool:
    try:
        services.check_editable(strategy)
    except StrategyFrozen as error:
        messages.error(request, str(error))
        return True
    return False


@require_permission("strategy.change_strategy")
def item_edit(request: HttpRequest, pk: int, kind: str, item_pk: int | None = None) -> HttpResponse:
    """Add or change an item; on an adopted version only its status form, if it has one."""
    strategy, spec = strategy_or_404(pk), _kind_or_404(kind)
    item = get_object_or_404(spec.items(strategy), pk=item_pk) if item_pk else None
    form_class = spec.form
    if strategy.is_adopted:
        if spec.status_form is None or item is None:
            _refused(request, strategy)
            return redirect("strategy:detail", pk=strategy.pk)
        form_class = spec.status_form
    data = request.POST if request.method == "POST" else None
    takes_strategy = form_class is forms.GoalForm or issubclass(form_class, forms.NumberedForm)
    extra = {"strategy": strategy} if takes_strategy else {}
    initial = {} if item else {"number": services.next_number(spec.items(strategy))}
    if not item and spec.model is Goal and request.GET.get("leitlinie", "").isdigit():
        initial["guideline"] = int(request.GET["leitlinie"])
        initial["number"] = services.next_number(
            Goal.objects.filter(guideline_id=initial["guideline"])
        )
    form = form_class(data, instance=item, initial=initial, **extra)
    budget = None
    if form_class is forms.MeasureForm:
        budget = forms.BudgetFormSet(data, instance=item or Measure(strategy=strategy))
    if data is not None and form.is_valid() and (budget is None or budget.is_valid()):
        with transaction.atomic():
            saved = form.save(commit=False)
            if hasattr(saved, "strategy_id") and not item:
                saved.strategy = strategy
            saved.save()
            form.save_m2m()
            if budget is not None:
                budget.instance = saved
                budget.save()
        messages.success(request, _("Saved."))
        if spec.model is Measure:
            return redirect("strategy:measure", pk=saved.pk)
        return redirect("strategy:detail", pk=strategy.pk)
    verb = _("Edit") if item else _("Add")
    context = {
        "form": form,
        "budget": budget,
        "strategy": strategy,
        "item": item,
        "kind": kind,
        "title": f"{verb}: {spec.label}",
    }
    return render(request, "strategy/edit.html", context)


@require_POST
@require_permission("strategy.change_strategy")
def item_delete(request: HttpRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    strategy, spec = strategy_or_404(pk), _kind_or_404(kind)
    item = get_object_or_404(spec.items(strategy), pk=item_pk)
    if not _refused(request, strategy):
        name = str(item)
        item.delete()
        messages.success(request, _("Deleted: %(name)s") % {"name": name})
    return redirect("strategy:detail", pk=strategy.pk)
