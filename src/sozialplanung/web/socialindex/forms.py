from django import forms
from django.utils.translation import gettext_lazy as _

from sozialplanung.web.monitoring.models import Indicator

from .models import IndexDefinition


class DefinitionForm(forms.ModelForm):
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators"),
        queryset=Indicator.objects.exclude(polarity=Indicator.Polarity.NEUTRAL),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only indicators with a direction (higher is better or worse) can be combined."
        ),
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
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_indicators(self):
        chosen = self.cleaned_data["indicators"]
        if len(chosen) < 2:
            raise forms.ValidationError(_("An index needs at least two indicators."))
        return chosen

    def clean_replications(self):
        value = self.cleaned_data["replications"]
        if not 50 <= value <= 5000:
            raise forms.ValidationError(_("Between 50 and 5,000 replications, please."))
        return value


class RunForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
