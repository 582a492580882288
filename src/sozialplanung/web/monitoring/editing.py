"""Planners keep the indicator catalogue: change definitions, publish or withdraw, add new ones."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sozialplanung.web.accounts.decorators import require_permission
from sozialplanung.web.jobs.services import start_job

from .models import Indicator


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "code",
            "topic",
            "definition",
            "numerator",
            "denominator",
            "factor",
            "change_years",
            "unit",
            "decimals",
            "polarity",
            "reference_population",
            "source",
            "is_public",
        ]
        widgets = {"definition": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        data = super().clean()
        if data.get("denominator") and data.get("change_years"):
            raise forms.ValidationError(
                _("An indicator is either a ratio or a change over years, not both.")
            )
        return data


@require_permission("monitoring.view_indicator")
def catalogue(request: HttpRequest) -> HttpResponse:
    indicators = Indicator.objects.select_related("numerator", "denominator")
    return render(request, "monitoring/catalogue.html", {"indicators": indicators})


@require_permission("monitoring.change_indicator")
def edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    indicator = get_object_or_404(Indicator, code=code) if code else None
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("“%(name)s” saved.") % {"name": saved.name})
        return redirect("monitoring:catalogue")
    return render(request, "monitoring/edit.html", {"form": form, "indicator": indicator})


@require_permission("jobs.add_job")
def start_disclosure_audit(request: HttpRequest) -> HttpResponse:
    """Check every published indicator and year for disclosure, in the background."""
    if request.method != "POST":
        return redirect("monitoring:catalogue")
    job = start_job(
        "monitoring.disclosure_audit",
        title=_("Disclosure audit of all published indicators"),
        user=request.user,
    )
    return redirect("jobs:detail", pk=job.pk)
