"""The demo's real tables, carried to today's 59 municipalities."""

import pytest

from sozialplanung.web.monitoring.models import ImportBatch, Indicator, Observation
from sozialplanung.web.monitoring.selectors import indicator_view

pytestmark = pytest.mark.django_db


def view(code: str, year: int, published: bool = False):
    return indicator_view(Indicator.objects.get(code=code), year, published=published)


def test_the_catalogue_is_installed():
    assert Indicator.objects.count() >= 25
    assert {"sgb2_quota", "child_poverty", "old_age_ratio", "vacancy_rate"} <= set(
        Indicator.objects.values_list("code", flat=True)
    )


def test_the_official_tables_are_imported_with_their_source():
    batches = {b.file_name: b for b in ImportBatch.objects.all()}
    assert {
        "bevoelkerung_gv_2009_2021.csv",
        "zensus2022_gemeinden.csv",
        "arbeitslose_ba_2009_2015.csv",
    } <= set(batches)
    assert "Bundesagentur für Arbeit" in batches["arbeitslose_ba_2009_2015.csv"].attribution


def test_sgb2_figures_of_2011_appear_on_todays_59_municipalities():
    result = view("sgb2_unemployment_density", 2011)
    assert len(result.rows) == 59
    rosenthal = next(r for r in result.rows if r.area.name == "Rosenthal am Rennsteig")
    # Rosenthal am Rennsteig was formed in 2019 from seven municipalities: its 2011 count is
    # their sum, carried through the conversion keys, and the rate is recomputed from it.
    old_keys = ["16075002", "16075003", "16075004", "16075042", "16075071", "16075086", "16075097"]
    counts = Observation.objects.filter(
        variable__code="unemployed_sgb2", year=2011, area__key__in=old_keys
    ).values_list("value", flat=True)
    assert len(counts) == 7
    assert rosenthal.numerator == sum(counts)
    assert rosenthal.harmonised
    assert rosenthal.value == pytest.approx(100 * rosenthal.numerator / rosenthal.denominator)


def test_the_county_value_is_recomputed_not_averaged():
    result = view("sgb2_unemployment_density", 2011)
    known = [r for r in result.rows if r.numerator is not None]
    assert result.county.numerator == sum(r.numerator for r in known)
    mean_of_rates = sum(r.value for r in known) / len(known)
    assert result.county.value == pytest.approx(
        100 * result.county.numerator / result.county.denominator
    )
    assert result.county.value != pytest.approx(mean_of_rates)


def test_population_change_spans_the_2019_mergers():
    result = view("population_change_5y", 2021)
    schleiz = next(r for r in result.rows if r.area.name == "Schleiz")
    assert schleiz.denominator > 8000  # 2016 base includes Burgk and Crispendorf


def test_public_views_hide_every_count_below_three():
    for code in ("sgb2_unemployment_density", "unemployment_density", "youth_unemployment_density"):
        indicator = Indicator.objects.get(code=code)
        for year in (2009, 2011, 2014):
            result = indicator_view(indicator, year, published=True)
            if result is None:
                continue
            for row in result.rows:
                if row.numerator is not None:
                    assert not 0 < row.numerator < 3, (code, year, row.area.name)


def test_generated_figures_are_marked_as_example_data_everywhere(client):
    result = view("child_poverty", 2021, published=True)
    assert all(r.example for r in result.rows)
    page = client.get("/monitoring/child_poverty/?jahr=2021").content.decode()
    assert "Beispieldaten" in page
    assert "keine amtliche Statistik" in page
    export = client.get("/monitoring/child_poverty/export.csv?jahr=2021").content.decode(
        "utf-8-sig"
    )
    assert "Beispieldaten, keine amtlichen Zahlen" in export
    assert all("Beispieldaten" in line for line in export.splitlines()[6:] if line)
    profile = client.get("/monitoring/profil/16075085/").content.decode()
    assert "Beispieldaten" in profile


def test_official_figures_carry_no_example_mark(client):
    page = client.get("/monitoring/population/?jahr=2021").content.decode()
    assert "Beispieldaten" not in page


def test_association_totals_never_reveal_a_hidden_municipality():
    """Both pages publish from one suppression pattern over the whole hierarchy."""
    from sozialplanung.analytics.disclosure import audit_intervals, hierarchy_relations

    indicator = Indicator.objects.get(code="sgb2_unemployment_density")
    audited = 0
    for year in (2009, 2011, 2014):
        municipal = indicator_view(indicator, year, published=True)
        associations = indicator_view(indicator, year, published=True, level="association")
        published = {r.area.pk: r.numerator for r in municipal.rows + associations.rows}
        published[municipal.county.area.pk] = municipal.county.numerator
        raw = indicator_view(indicator, year, published=False)
        raw_assoc = indicator_view(indicator, year, published=False, level="association")
        cells = raw.rows + raw_assoc.rows + [raw.county]
        index = {row.area.pk: i for i, row in enumerate(cells)}
        parents = []
        for row in cells:
            parent = next((index[a.pk] for a in row.area.ancestors() if a.pk in index), None)
            parents.append(parent)
        values = [row.numerator for row in cells]
        hidden = [published[row.area.pk] is None for row in cells]
        if any(v is None for v in values):
            continue  # an unknown count makes its totals unknown; nothing to attack
        lower, upper = audit_intervals(values, hierarchy_relations(parents), hidden)
        audited += sum(hidden)
        for i, row in enumerate(cells):
            if hidden[i]:
                assert upper[i] - lower[i] >= 3, (year, row.area.name, lower[i], upper[i])
    assert audited > 10  # the check above ran on real hidden cells
