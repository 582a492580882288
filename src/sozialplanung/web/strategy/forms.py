"""Forms of the strategy pages; choices are limited to the strategy and county at hand."""

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from sozialplanung.web.areas.models import Area
from sozialplanung.web.monitoring.models import Indicator

from .models import BudgetLine, Goal, Guideline, Measure, Milestone, ProgressEntry, Strategy
from .priorities import CRITERIA, DEFAULT_WEIGHTS
from .tracking import spaces_level_areas

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StrategyForm(forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["title", "funding_phase", "funding_title", "introduction"]


class AdoptForm(forms.Form):
    decided_on = forms.DateField(label=_("Date of the council decision"), widget=DATE)
    reference = forms.CharField(label=_("Council decision reference"), max_length=100)


class NumberedForm(forms.ModelForm):
    """Items numbered within their strategy: a number already taken is a form error."""

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.strategy = strategy

    def siblings(self):
        return self._meta.model.objects.filter(strategy=self.strategy)

    def clean_number(self):
        number = self.cleaned_data["number"]
        if self.siblings().exclude(pk=self.instance.pk).filter(number=number).exists():
            raise forms.ValidationError(
                _("Number %(number)s is already taken in this version."),
                params={"number": number},
            )
        return number


class GuidelineForm(NumberedForm):
    class Meta:
        model = Guideline
        fields = ["number", "title", "description", "is_example"]


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = [
            "guideline",
            "number",
            "text",
            "indicator",
            "baseline_year",
            "baseline_value",
            "target_year",
            "target_value",
            "areas",
            "is_example",
        ]
        widgets = {"areas": forms.CheckboxSelectMultiple, "text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guideline"].queryset = strategy.guidelines.all()
        self.fields["indicator"].queryset = Indicator.objects.order_by("name")
        self.fields["areas"].queryset = _area_choices(strategy)

    def clean(self):
        data = super().clean()
        baseline, target = data.get("baseline_year"), data.get("target_year")
        if baseline and target and target <= baseline:
            self.add_error("target_year", _("The target year must lie after the baseline year."))
        tracked = [data.get("indicator"), baseline, target, data.get("target_value")]
        if any(v is not None for v in tracked[1:]) and data.get("indicator") is None:
            self.add_error("indicator", _("Baseline and target need an indicator."))
        if data.get("indicator") and not all(v is not None for v in tracked):
            self.add_error(
                "target_value",
                _("A goal with an indicator needs a baseline year, a target year and a value."),
            )
        return data


class MeasureForm(NumberedForm):
    class Meta:
        model = Measure
        fields = [
            "number",
            "title",
            "description",
            "responsible",
            "partners",
            "target_groups",
            "target_group_size",
            "planned_reach",
            "areas",
            "start",
            "end",
            "status",
            "goals",
            "evidence",
            "sustainability",
            "is_example",
        ]
        widgets = {
            "start": DATE,
            "end": DATE,
            "areas": forms.CheckboxSelectMultiple,
            "goals": forms.CheckboxSelectMultiple,
            "partners": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, strategy=strategy, **kwargs)
        self.fields["goals"].queryset = Goal.objects.filter(guideline__strategy=strategy)
        self.fields["areas"].queryset = _area_choices(strategy)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end must not lie before the start."))
        return data


class MeasureStatusForm(forms.ModelForm):
    """What may still change on an adopted strategy: where the measure stands."""

    class Meta:
        model = Measure
        fields = ["status"]


class BaseBudgetFormSet(BaseInlineFormSet):
    """One line per year and source, also against lines stored but not in this submission."""

    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        submitted = {form.instance.pk for form in self.forms if form.instance.pk}
        stored = set()
        if self.instance.pk:
            stored = set(
                self.instance.budget_lines.exclude(pk__in=submitted).values_list("year", "source")
            )
        seen = set()
        for form in kept:
            key = (form.cleaned_data.get("year"), form.cleaned_data.get("source"))
            if None in key:
                continue
            if key in seen or key in stored:
                form.add_error(
                    "year", _("There is already a line for this year and funding source.")
                )
            seen.add(key)


BudgetFormSet = inlineformset_factory(
    Measure,
    BudgetLine,
    formset=BaseBudgetFormSet,
    fields=["year", "source", "amount"],
    extra=2,
    can_delete=True,
)


class MilestoneForm(NumberedForm):
    class Meta:
        model = Milestone
        fields = ["number", "title", "due", "status", "completed_on", "note", "is_example"]
        widgets = {"due": DATE, "completed_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}


class MilestoneStatusForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["status", "completed_on", "note"]
        widgets = {"completed_on": DATE, "note": forms.Textarea(attrs={"rows": 3})}


class ProgressForm(forms.ModelForm):
    class Meta:
        model = ProgressEntry
        fields = ["day", "text", "people_reached", "activities"]
        widgets = {"day": DATE, "text": forms.Textarea(attrs={"rows": 3})}


class WeightsForm(forms.Form):
    """One weight from 0 to 10 per criterion; the list title for saving."""

    title = forms.CharField(label=_("Title of the list"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, (label, _criterion) in CRITERIA.items():
            self.fields[key] = forms.IntegerField(
                label=label, min_value=0, max_value=10, initial=DEFAULT_WEIGHTS[key]
            )

    def clean(self):
        data = super().clean()
        if all(not data.get(key) for key in CRITERIA) and not self.errors:
            raise forms.ValidationError(_("At least one criterion needs a weight above 0."))
        return data

    def weights(self) -> dict[str, float]:
        return {key: float(self.cleaned_data[key]) for key in CRITERIA}


def _area_choices(strategy: Strategy):
    pks = [a.pk for a in spaces_level_areas(strategy.county)]
    return Area.objects.filter(pk__in=pks).order_by("name")
