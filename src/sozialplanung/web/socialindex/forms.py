from django import forms
from django.utils.translation import gettext_lazy as _

from sozialplanung.web.monitoring.models import Indicator

from .models import IndexDefinition, IndexRun


class DefinitionForm(forms.ModelForm):
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators"),
        queryset=Indicator.objects.exclude(polarity=Indicator.Polarity.NEUTRAL),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only indicators with a direction (higher is better or worse) can be combined."
        ),
    )

    weights_text = forms.CharField(
        label=_("Weights set by the planner"),
        required=False,
        help_text=_(
            "In the order of the indicators above, e.g. “2; 1; 1”; only with such weights."
        ),
    )
    status_text = forms.CharField(
        label=_("Status class limits"),
        required=False,
        help_text=_(
            "Three limits in standard deviations, e.g. “-1; 1; 1,5” (empty: the MSS defaults)."
        ),
    )
    dynamics_text = forms.CharField(
        label=_("Dynamics class limits"),
        required=False,
        help_text=_("Two limits in standard deviations, e.g. “-1; 1” (empty: the MSS defaults)."),
    )

    class Meta:
        model = IndexDefinition
        fields = [
            "name",
            "description",
            "indicators",
            "imputation",
            "winsorise",
            "normalisation",
            "weighting",
            "aggregation",
            "dynamics_years",
            "replications",
            "typology_method",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_indicators(self):
        chosen = self.cleaned_data["indicators"]
        if len(chosen) < 2:
            raise forms.ValidationError(_("An index needs at least two indicators."))
        return chosen

    def clean_status_text(self):
        limits = _numbers(self.cleaned_data["status_text"])
        if limits and (len(limits) != 3 or limits != sorted(limits)):
            raise forms.ValidationError(_("Three ascending limits, please."))
        return limits

    def clean_dynamics_text(self):
        limits = _numbers(self.cleaned_data["dynamics_text"])
        if limits and (len(limits) != 2 or limits != sorted(limits)):
            raise forms.ValidationError(_("Two ascending limits, please."))
        return limits

    def clean(self):
        data = super().clean()
        weights = _numbers(data.get("weights_text", "") or "")
        indicators = data.get("indicators")
        expert = data.get("weighting") == IndexDefinition.Weighting.EXPERT
        wrong = len(weights) != len(indicators or []) or any(w < 0 for w in weights)
        if expert and indicators is not None and (wrong or not sum(weights)):
            self.add_error(
                "weights_text",
                _("Give one non-negative weight per indicator (%(n)d), not all zero.")
                % {"n": len(indicators)},
            )
        data["weights"] = weights
        return data

    def clean_replications(self):
        value = self.cleaned_data["replications"]
        if not 50 <= value <= 5000:
            raise forms.ValidationError(_("Between 50 and 5,000 replications, please."))
        return value


def _numbers(text: str) -> list[float]:
    try:
        return [float(part.replace(",", ".")) for part in text.replace(";", " ").split()]
    except ValueError:
        raise forms.ValidationError(_("Please write numbers separated by semicolons.")) from None


class RunForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    level = forms.ChoiceField(
        label=_("Areas"),
        choices=IndexRun.Level.choices,
        initial=IndexRun.Level.MUNICIPALITY,
        required=False,
    )

    def __init__(self, *args, spaces_adopted: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not spaces_adopted:
            self.fields["level"].choices = [IndexRun.Level.choices[0]]

    def clean_level(self) -> str:
        return self.cleaned_data["level"] or IndexRun.Level.MUNICIPALITY
