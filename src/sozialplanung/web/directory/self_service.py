"""Pages for providers (propose changes to their own entries) and planners (review them)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sozialplanung.web.accounts.decorators import require_permission

from . import review
from .models import Service, ServiceChange
from .review import ReviewError
from .taxonomy import life_situations


class EntryForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the offer"), max_length=300)
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    eligibility_description = forms.CharField(
        label=gettext_lazy("Who it is for"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    minimum_age = forms.IntegerField(
        label=gettext_lazy("From age"), required=False, min_value=0, max_value=120
    )
    maximum_age = forms.IntegerField(
        label=gettext_lazy("Up to age"), required=False, min_value=0, max_value=120
    )
    application_process = forms.CharField(
        label=gettext_lazy("How to get it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    free_of_charge = forms.BooleanField(label=gettext_lazy("free of charge"), required=False)
    fees_description = forms.CharField(label=gettext_lazy("Costs"), required=False, max_length=500)
    hours = forms.CharField(
        label=gettext_lazy("Opening hours"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("For example: Mo und Mi 9–12 Uhr, Do 14–18 Uhr"),
    )
    languages = forms.CharField(
        label=gettext_lazy("Languages"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Separated by commas, e.g. Deutsch, Arabisch"),
    )
    phone = forms.CharField(label=gettext_lazy("Phone"), required=False, max_length=50)
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    url = forms.URLField(label=gettext_lazy("Website"), required=False, assume_scheme="https")
    alert = forms.CharField(label=gettext_lazy("Current notice"), required=False, max_length=500)
    terms = forms.MultipleChoiceField(
        label=gettext_lazy("Life situations"), widget=forms.CheckboxSelectMultiple
    )  # fmt: skip
    street = forms.CharField(
        label=gettext_lazy("Street and number of the main place"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Changes the address for every offer at this place."),
    )
    postal_code = forms.CharField(label=gettext_lazy("Postcode"), required=False, max_length=20)
    town = forms.CharField(label=gettext_lazy("Town"), required=False, max_length=100)

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["terms"].choices = [(t.code, t.name) for t in life_situations()]
        self._organizations = {str(o.pk): o for o in organizations or []}
        if organizations is not None:  # a new offer: there is no place yet to share
            self.fields["street"].help_text = ""
        if len(self._organizations) > 1:  # a new offer of a provider with several organisations
            self.fields["organization"] = forms.ChoiceField(
                label=gettext_lazy("Organisation"),
                choices=[(pk, o.name) for pk, o in self._organizations.items()],
            )
            self.order_fields(["organization"])

    def clean(self):
        data = super().clean()
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and high < low:
            self.add_error("maximum_age", _("The upper age must not lie below the lower one."))
        if (data.get("street") or data.get("postal_code")) and not data.get("town"):
            self.add_error("town", _("Please name the town of the address."))
        return data

    def organization(self):
        """The organisation a new offer is for: the chosen one, or the only one."""
        if "organization" in self.cleaned_data:
            return self._organizations[self.cleaned_data["organization"]]
        return next(iter(self._organizations.values()), None)

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("organization", None)
        data["languages"] = [x.strip() for x in data["languages"].split(",") if x.strip()]
        data["terms"] = sorted(data["terms"])
        return data


def _initial(service: Service) -> dict:
    values = review.current_values(service)
    values["languages"] = ", ".join(values["languages"])
    return values


@require_permission("directory.add_servicechange")
def my_entries(request: HttpRequest) -> HttpResponse:
    services = review.services_of(request.user).select_related("organization").order_by("name")
    pending = {
        c.service_id: c
        for c in ServiceChange.objects.filter(
            service__in=services, state=ServiceChange.State.PENDING
        )
    }
    rows = [{"service": s, "pending": pending.get(s.pk)} for s in services]
    recent = ServiceChange.objects.filter(service__in=services).exclude(
        state=ServiceChange.State.PENDING
    )[:10]
    return render(
        request,
        "directory/my_entries.html",
        {"rows": rows, "recent": recent, "organizations": review.organizations_of(request.user)},
    )


@require_permission("directory.add_servicechange")
def edit_entry(request: HttpRequest, hsds_id: str | None = None) -> HttpResponse:
    service = get_object_or_404(Service, hsds_id=hsds_id) if hsds_id else None
    if service is not None and not review.may_edit(request.user, service):
        raise PermissionDenied
    organizations = review.organizations_of(request.user)
    if service is None and not organizations.exists():
        raise PermissionDenied
    form = EntryForm(
        request.POST or None,
        initial=_initial(service) if service else None,
        organizations=None if service else organizations.order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if service is None:
                review.propose_new(
                    organization=form.organization(), values=form.values(), user=request.user
                )
            else:
                review.propose(service=service, values=form.values(), user=request.user)
        except ReviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Thank you. The planning coordination checks the change, then it is public."),
            )
            return redirect("directory:my-entries")
    return render(request, "directory/edit_entry.html", {"form": form, "service": service})


@require_POST
@require_permission("directory.add_servicechange")
def confirm_entry(request: HttpRequest, hsds_id: str) -> HttpResponse:
    service = get_object_or_404(Service, hsds_id=hsds_id)
    if not review.may_edit(request.user, service):
        raise PermissionDenied
    review.confirm_current(service=service, user=request.user)
    messages.success(request, _("Thank you: the entry counts as checked today."))
    return redirect("directory:my-entries")


@require_permission("directory.change_service")
def review_queue(request: HttpRequest) -> HttpResponse:
    changes = ServiceChange.objects.filter(state=ServiceChange.State.PENDING).select_related(
        "service__organization", "submitted_by"
    )
    rows = [{"change": c, "differences": review.differences(c)} for c in changes]
    return render(request, "directory/review.html", {"rows": rows})


@require_POST
@require_permission("directory.change_service")
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(ServiceChange, pk=pk)
    try:
        if request.POST.get("decision") == "approve":
            review.approve(change=change, user=request.user)
            messages.success(request, _("Approved and published."))
        else:
            review.reject(change=change, user=request.user, note=request.POST.get("note", ""))
            messages.success(request, _("Rejected; the provider sees your note."))
    except ReviewError as error:
        messages.error(request, str(error))
    return redirect("directory:review")
