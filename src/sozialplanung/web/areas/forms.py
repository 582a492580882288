from django import forms
from django.utils.translation import gettext_lazy as _

from .models import HIERARCHY, Level


class AreaImportForm(forms.Form):
    file = forms.FileField(
        label=_("Area file"),
        help_text=_("GeoJSON, GeoPackage, zipped Shapefile or CSV (key, name) of one level."),
    )
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[(lv.value, lv.label) for lv in HIERARCHY],
        initial=Level.MUNICIPALITY,
    )
    vintage = forms.DateField(
        label=_("Territorial vintage"),
        help_text=_("The date whose boundaries the file shows."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        required=False,
        help_text=_("Leave empty to use the territorial vintage."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    valid_to = forms.DateField(
        label=_("Valid until"),
        required=False,
        help_text=_("Leave empty for areas that are still valid."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    attribution = forms.CharField(label=_("Source and licence"), required=False, max_length=500)
