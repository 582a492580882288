from django import forms
from django.utils.translation import gettext_lazy as _

from sozialplanung.web.areas.models import Area, Level
from sozialplanung.web.monitoring.models import Topic

from .models import Kind


class RunForm(forms.Form):
    """What to render: the report, one topic sheet, or one area's profile."""

    kind = forms.ChoiceField(label=_("Document"), choices=Kind.choices)
    topic = forms.ChoiceField(
        label=_("Topic (for a topic sheet)"), choices=[("", "–"), *Topic.choices], required=False
    )
    area = forms.ModelChoiceField(
        label=_("Area (for a profile)"), queryset=Area.objects.none(), required=False
    )
    day = forms.DateField(
        label=_("Date on the document"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, county: Area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = (
            Area.objects.filter(
                level__in=[Level.MUNICIPALITY, Level.SOCIAL_SPACE], key__startswith=county.key
            )
            .current()
            .order_by("level", "name")
        )

    def clean(self):
        data = super().clean()
        if data.get("kind") == Kind.TOPIC_SHEET and not data.get("topic"):
            self.add_error("topic", _("Choose the topic of the sheet."))
        if data.get("kind") == Kind.PROFILE and not data.get("area"):
            self.add_error("area", _("Choose the area of the profile."))
        return data


class TextsForm(forms.Form):
    """The planner's own words: introduction and one Markdown text per chapter."""

    title = forms.CharField(label=_("Title"), max_length=200)
    subtitle = forms.CharField(label=_("Subtitle"), max_length=300, required=False)
    introduction = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in Topic.choices:
            self.fields[f"topic_{code}"] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 5})
            )
