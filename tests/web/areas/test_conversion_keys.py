"""Conversion keys carry the 72 municipalities of 2016 onto the 59 of today."""

import datetime as dt

import pytest
from django.db.models import Sum

from sozialplanung.io.area_files import AreaFileError
from sozialplanung.io.conversion_files import ConversionRecord
from sozialplanung.web.areas.models import Area, ConversionKey, Level
from sozialplanung.web.areas.services import import_conversion_keys

pytestmark = pytest.mark.django_db
OLD, NEW, EFFECTIVE = dt.date(2016, 12, 31), dt.date(2024, 1, 1), dt.date(2019, 1, 1)


def test_every_old_municipality_maps_with_weights_summing_to_one():
    old = Area.objects.filter(level=Level.MUNICIPALITY).valid_on(OLD)
    sums = old.annotate(total=Sum("successors__weight")).values_list("total", flat=True)
    assert len(sums) == 72
    assert all(total == pytest.approx(1.0) for total in sums)


def test_the_2019_mergers_are_recorded():
    rosenthal = Area.objects.filter(key="16075136").get()
    assert rosenthal.predecessors.count() == 7
    schleiz = Area.objects.filter(key="16075098").valid_on(NEW).get()
    assert {k.old_area.name for k in schleiz.predecessors.all()} == {
        "Burgk",
        "Crispendorf",
        "Schleiz",
    }
    assert ConversionKey.objects.filter(basis="unverändert", effective_date=EFFECTIVE).count() == 58


def test_an_unknown_key_rejects_the_table_and_keeps_the_old_one():
    before = list(ConversionKey.objects.values_list("pk", flat=True))
    records = [ConversionRecord(1, "16075002", "16075999")]
    with pytest.raises(AreaFileError, match="16075999"):
        import_conversion_keys(records, old_vintage=OLD, new_vintage=NEW, effective_date=EFFECTIVE)
    assert list(ConversionKey.objects.values_list("pk", flat=True)) == before


def test_an_old_area_without_successor_is_named():
    records = [ConversionRecord(1, "16075003", "16075136")]  # Birkenhügel (…002) left out
    with pytest.raises(AreaFileError, match="Birkenhügel"):
        import_conversion_keys(records, old_vintage=OLD, new_vintage=NEW, effective_date=EFFECTIVE)
