from django import forms
from django.utils.translation import gettext_lazy as _

from sozialplanung.web.areas.models import Area
from sozialplanung.web.areas.selectors import municipalities_in
from sozialplanung.web.monitoring.models import Indicator

from .models import SpaceScheme


class SchemeForm(forms.Form):
    """What a planner asks of a new scheme: rules, attributes and method."""

    name = forms.CharField(label=_("Name"), max_length=200)
    method = forms.ChoiceField(
        label=_("Method"),
        choices=SpaceScheme.Method.choices,
        initial=SpaceScheme.Method.EXACT,
        widget=forms.RadioSelect,
        help_text=_(
            "The exact method proves that no better partition exists (or states the remaining "
            "gap when the time runs out); the heuristic is for many areas."
        ),
    )
    p = forms.IntegerField(
        label=_("Number of social spaces"),
        required=False,
        min_value=1,
        max_value=200,
        help_text=_("Empty: as many as the population floor allows (max-p)."),
    )
    floor = forms.IntegerField(
        label=_("Population floor per space"),
        min_value=0,
        initial=8000,
        help_text=_("Large enough that figures per space can be published."),
    )
    ceiling = forms.IntegerField(
        label=_("Population ceiling per space"), required=False, min_value=1
    )
    keep_associations = forms.BooleanField(
        label=_("Keep administrative associations together"), required=False
    )
    apart = forms.ModelMultipleChoiceField(
        label=_("Municipalities that each lie in a different space"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("For example the towns that should each anchor a space of their own."),
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators for similarity within spaces"),
        queryset=Indicator.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    year = forms.IntegerField(
        label=_("Year of the indicator values"), min_value=1990, required=False
    )
    density = forms.BooleanField(
        label=_("Population density (log) as an attribute"), required=False, initial=True
    )
    compactness = forms.FloatField(
        label=_("Weight of compactness"),
        min_value=0,
        max_value=10,
        initial=0,
        required=False,
        help_text=_(
            "0: similarity alone decides; 1: the location of a municipality counts as much as "
            "one attribute, so spaces stay rounder."
        ),
    )
    time_limit = forms.IntegerField(
        label=_("Time limit in seconds"), min_value=5, max_value=600, initial=60
    )

    def __init__(self, *args, county: Area | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if county is not None:
            self.fields["apart"].queryset = municipalities_in(county).order_by("name")

    def clean(self):
        data = super().clean()
        apart, p = data.get("apart") or [], data.get("p")
        if p is not None and len(apart) > p:
            self.add_error(
                "apart",
                _("%(n)d municipalities cannot lie in %(p)d different spaces.")
                % {"n": len(apart), "p": p},
            )
        if data.get("indicators") and not data.get("year"):
            self.add_error("year", _("Give the year of the indicator values."))
        if not data.get("indicators") and not data.get("density"):
            raise forms.ValidationError(
                _("Choose at least one attribute for the similarity within spaces.")
            )
        ceiling, floor = data.get("ceiling"), data.get("floor")
        if ceiling is not None and floor is not None and ceiling < floor:
            self.add_error("ceiling", _("The ceiling must not be below the floor."))
        return data

    def parameters(self) -> dict:
        data = self.cleaned_data
        return {
            "p": data["p"],
            "floor": data["floor"],
            "ceiling": data["ceiling"],
            "keep_associations": data["keep_associations"],
            "indicators": [i.code for i in data["indicators"]],
            "year": data["year"],
            "density": data["density"],
            "compactness": data.get("compactness") or 0.0,
            "apart": [a.key for a in data.get("apart") or []],
            "time_limit": data["time_limit"],
        }
