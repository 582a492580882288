"""The public search form: every field optional, German labels, nothing stored."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sozialplanung.web.areas.models import Area

from .models import Language
from .search import Filters
from .taxonomy import life_situations

RADII = [("", _("any distance")), ("5", "5 km"), ("10", "10 km"), ("20", "20 km"), ("50", "50 km")]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("What are you looking for?"), required=False, max_length=200)
    lebenslage = forms.MultipleChoiceField(
        label=_("Life situation"), required=False, widget=forms.CheckboxSelectMultiple
    )
    ort = forms.ChoiceField(label=_("Near"), required=False)
    umkreis = forms.ChoiceField(label=_("Within"), required=False, choices=RADII)
    alter = forms.IntegerField(
        label=_("Age of the person (years)"), required=False, min_value=0, max_value=120
    )
    sprache = forms.ChoiceField(label=_("Language"), required=False)
    kostenlos = forms.BooleanField(label=_("free of charge only"), required=False)
    barrierefrei = forms.BooleanField(label=_("barrier-free access only"), required=False)

    def __init__(self, *args, municipalities: list[Area], **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["lebenslage"].choices = [(t.code, t.name) for t in life_situations()]
        self._places = {m.key: m for m in municipalities}
        self.fields["ort"].choices = [("", _("anywhere in the county"))] + [
            (m.key, m.name) for m in municipalities
        ]
        names = Language.objects.values_list("name", flat=True).distinct().order_by()
        names = sorted(names, key=str.casefold)
        self.fields["sprache"].choices = [("", _("any language"))] + [(n, n) for n in names]

    def filters(self) -> Filters:
        data = self.cleaned_data
        radius = data.get("umkreis")
        return Filters(
            text=data.get("q", ""),
            terms=list(data.get("lebenslage", [])),
            municipality=self._places.get(data.get("ort") or ""),
            radius_km=float(radius) if radius else None,
            age=data.get("alter"),
            free=bool(data.get("kostenlos")),
            language=data.get("sprache", ""),
            accessible=bool(data.get("barrierefrei")),
        )
