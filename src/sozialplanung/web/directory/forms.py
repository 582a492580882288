"""The public search form: every field optional, German labels, nothing stored."""

from django import forms
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from sozialplanung.web import memo
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
        situations, languages = memo.remembered("directory-choices", _choices)
        self.fields["lebenslage"].choices = situations
        self._places = {m.key: m for m in municipalities}
        self.fields["ort"].choices = [("", _("anywhere in the county"))] + [
            (m.key, m.name) for m in municipalities
        ]
        self.fields["sprache"].choices = [("", _("any language"))] + languages

    # The choice fields are drawn here in one pass: Django's widget templates, one per option,
    # took longer than the search itself.
    @property
    def place_options(self) -> SafeString:
        return self._options("ort")

    @property
    def radius_options(self) -> SafeString:
        return self._options("umkreis")

    @property
    def language_options(self) -> SafeString:
        return self._options("sprache")

    @property
    def situation_boxes(self) -> SafeString:
        chosen = self._submitted("lebenslage")
        return format_html_join(
            "",
            '<li><input type="checkbox" name="lebenslage" value="{}" id="id_lebenslage_{}"{}> '
            '<label for="id_lebenslage_{}">{}</label></li>',
            (
                (code, i, " checked" if code in chosen else "", i, label)
                for i, (code, label) in enumerate(self.fields["lebenslage"].choices)
            ),
        )

    def _options(self, name: str) -> SafeString:
        chosen = self._submitted(name)
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (value, " selected" if str(value) in chosen else "", label)
                for value, label in self.fields[name].choices
            ),
        )

    def _submitted(self, name: str) -> set[str]:
        return set(self.data.getlist(name)) if self.is_bound else set()

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


def _choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Life situations and the distinct language names on file, as choices."""
    situations = [(t.code, t.name) for t in life_situations()]
    names = Language.objects.values_list("name", flat=True).distinct().order_by()
    return situations, [(n, n) for n in sorted(names, key=str.casefold)]
