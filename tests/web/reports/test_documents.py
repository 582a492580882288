"""The social report, topic sheets and profiles built from the demo county."""

import datetime as dt
import hashlib

import pytest

from sozialplanung.reports.charts import format_number
from sozialplanung.reports.documents import pdf, source
from sozialplanung.web.areas.selectors import area_by_key, site_county
from sozialplanung.web.monitoring.models import ImportBatch, Indicator, Observation, Topic
from sozialplanung.web.monitoring.selectors import indicator_view
from sozialplanung.web.reports import services
from sozialplanung.web.reports.assemble import (
    Reading,
    profile_chapters,
    report_indicators,
    topic_chapter,
)
from sozialplanung.web.reports.models import Kind, NarrativeBlock

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 12, 2)


def test_the_social_report_has_a_chapter_per_topic_with_maps_charts_and_rankings():
    definition = services.definition_for(site_county())
    document, reading = services.social_report(definition, day=DAY)
    titles = [c.title for c in document.chapters]
    assert titles[:2] == ["Demografie", "Arbeit und Einkommen"]
    assert titles[-2:] == ["Sozialindex", "Sozialräume (beschlossenes Schema)"]
    assert set(titles[:-2]) <= {str(label) for label in Topic.labels}
    blocks = [b for c in document.chapters for b in c.blocks]
    assert len(blocks) >= 15
    population = next(b for b in blocks if b.name == "Einwohner")
    assert population.map_svg.startswith("<svg") and population.chart_svg.startswith("<svg")
    assert population.ranking[0][1] == "Pößneck"
    assert "Pößneck" in population.statement
    data = pdf(document)
    assert data.startswith(b"%PDF") and services.page_count(data) >= 10


def test_the_same_data_and_date_give_the_same_bytes_and_the_run_keeps_its_checksum():
    county = site_county()
    document, reading = services.topic_sheet(county, "work_income", day=DAY)
    assert pdf(document) == pdf(document)
    run = services.store_run(document, reading, kind=Kind.TOPIC_SHEET, topic="work_income")
    with run.file.open("rb") as stream:
        assert hashlib.sha256(stream.read()).hexdigest() == run.checksum
    again, reading_again = services.topic_sheet(county, "work_income", day=DAY)
    assert hashlib.sha256(pdf(again)).hexdigest() == run.checksum
    assert set(run.batches.values_list("pk", flat=True)) == reading.batches


def test_the_methods_annex_names_every_file_used_with_its_licence():
    document, reading = services.topic_sheet(site_county(), "demography", day=DAY)
    batches = ImportBatch.objects.filter(pk__in=reading.batches)
    assert batches.exists()
    assert {s.name for s in document.sources} == {b.file_name for b in batches}
    assert all(s.attribution for s in document.sources)
    text = source(document)
    for batch in batches:
        assert batch.file_name in text


def test_the_planners_own_text_comes_into_its_chapter():
    definition = services.definition_for(site_county())
    NarrativeBlock.objects.create(
        definition=definition, topic="families", text="Die **Kita-Plätze** reichen nicht."
    )
    document, _reading = services.topic_sheet(
        site_county(), "families", day=DAY, definition=definition
    )
    assert '#strong("Kita-Plätze")' in source(document)


def test_a_suppressed_value_never_reaches_a_profile():
    county = site_county()
    hidden = None
    for indicator in report_indicators():
        view = indicator_view(indicator, published=True, county=county)
        row = next((r for r in view.rows if r.hidden), None) if view else None
        if row is not None:
            hidden = (indicator, row.area)
            break
    assert hidden is not None, "the demo county has suppressed cells"
    indicator, area = hidden
    raw = indicator_view(indicator, published=False, county=county)
    secret = next(r for r in raw.rows if r.area.pk == area.pk).value
    reading = Reading.of(county, [indicator])
    chapters = profile_chapters(reading, area)
    rows = [row for c in chapters for b in c.blocks for row in b.ranking]
    assert rows and rows[0][1] == "•"
    words = " ".join(p for c in chapters for b in c.blocks for p in b.points)
    assert "Datenschutz" in words
    assert format_number(secret, indicator.decimals) not in words


def test_a_count_is_not_compared_with_the_county_total():
    county = site_county()
    reading = Reading.of(county, list(Indicator.objects.filter(code="population")))
    area = area_by_key("16075085")
    chapters = profile_chapters(reading, area)
    assert chapters[0].title == "Lage" and chapters[0].blocks[0].map_svg.startswith("<svg")
    points = next(c for c in chapters if c.title == "Demografie").blocks[0].points
    assert "Kreiswert" not in points[0]


def test_the_state_joins_the_county_chart_where_its_figures_are_on_file():
    county = site_county()
    state = county.parent
    population = Indicator.objects.get(code="population")
    batch = ImportBatch.objects.create(
        file_name="land.csv",
        checksum="0" * 64,
        layout="long",
        territorial_vintage=dt.date(2022, 12, 31),
        attribution="Testzahlen",
        status=ImportBatch.Status.IMPORTED,
    )
    for year, value in [(2009, 2_250_000), (2022, 2_100_000)]:
        Observation.objects.create(
            variable=population.numerator, area=state, year=year, value=value, batch=batch
        )
    reading = Reading.of(county, [population])
    chapter = topic_chapter(reading, "demography")
    assert "Thüringen" in chapter.blocks[0].chart_svg
    assert batch.pk in reading.batches
