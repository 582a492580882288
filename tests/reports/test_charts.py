import math
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sozialplanung.reports.charts import (
    Series,
    bar_chart,
    format_number,
    line_chart,
    nice_ticks,
)

SVG = "{http://www.w3.org/2000/svg}"
TRICKY = "Saale-Orla-Kreis & <Test> \"Süd\" 'Nord'"

AREA = Series(
    "Schleiz", [(2018, 20.4), (2019, 21.0), (2020, None), (2021, 22.3), (2022, 23.1)], True
)
COUNTY = Series("Saale-Orla-Kreis", [(2018, 17.5), (2019, 18.0), (2020, 18.6), (2021, 19.1)])


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def texts(root: ElementTree.Element, css_class: str) -> list[str]:
    return [el.text for el in root.iter(f"{SVG}text") if el.get("class") == css_class]


def series_group(root: ElementTree.Element, label: str) -> ElementTree.Element:
    (group,) = [g for g in root.iter(f"{SVG}g") if g.get("data-label") == label]
    return group


def by_class(root: ElementTree.Element, tag: str, css_class: str) -> list[ElementTree.Element]:
    return [el for el in root.iter(f"{SVG}{tag}") if el.get("class") == css_class]


def assert_accessible(root: ElementTree.Element, title: str) -> None:
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == title
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}desc").text


# format_number


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, "1.234,5"),
        (0.5, 1, "0,5"),
        (12.25, 1, "12,3"),  # half away from zero, as statistical offices round
        (2.5, 0, "3"),
        (1.005, 2, "1,01"),  # the float's shortest form counts, not its binary expansion
        (1234.5, 0, "1.235"),
        (1234567.891, 2, "1.234.567,89"),
        (12_345_678_901.0, 0, "12.345.678.901"),
        (-1234.5, 1, "\u22121.234,5"),
        (-0.05, 1, "\u22120,1"),
        (-0.04, 1, "0,0"),  # no sign on a value that rounds to zero
        (7, 2, "7,00"),
    ],
)
def test_format_number_writes_german_notation(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_format_number_shows_a_dash_for_a_missing_value():
    assert format_number(math.nan, 1) == "–"


def test_format_number_rejects_negative_decimals():
    with pytest.raises(ValueError, match="decimals must be 0 or more, got -1"):
        format_number(1.0, -1)


# nice_ticks


def test_nice_ticks_for_a_percentage_range():
    assert nice_ticks(0, 100) == [0, 20, 40, 60, 80, 100]


def test_nice_ticks_prefer_steps_of_two_to_steps_of_two_and_a_half_when_nearly_as_tight():
    assert nice_ticks(0, 87) == [0, 20, 40, 60, 80, 100]


def test_nice_ticks_round_outwards_to_the_step():
    assert nice_ticks(12.3, 15.6) == [12, 13, 14, 15, 16]


def test_nice_ticks_avoid_floating_point_noise():
    assert nice_ticks(0.1, 0.5) == [0.1, 0.2, 0.3, 0.4, 0.5]


def test_nice_ticks_widen_equal_bounds():
    assert nice_ticks(0, 0) == [0, 0.2, 0.4, 0.6, 0.8, 1]
    assert nice_ticks(5, 5)[0] < 5 < nice_ticks(5, 5)[-1]


def test_nice_ticks_reject_reversed_bounds():
    with pytest.raises(ValueError, match="low <= high, got 3 > 2"):
        nice_ticks(3, 2)


# Spans far below the float resolution at their magnitude (1e6 + 1e-12) have no even ticks.
bounds = (
    st.tuples(st.floats(-1e6, 1e6), st.floats(0, 1e6))
    .filter(lambda pair: pair[1] == 0 or pair[1] >= 1e-6 * abs(pair[0]))
    .map(lambda pair: (pair[0], pair[0] + pair[1]))
)


@given(bounds)
def test_nice_ticks_are_ascending_evenly_spaced_round_and_cover_the_range(pair):
    low, high = pair
    ticks = nice_ticks(low, high)
    step = ticks[1] - ticks[0]
    resolution = 4 * math.ulp(max(abs(ticks[0]), abs(ticks[-1])))  # float spacing there
    assert 3 <= len(ticks) <= 7
    assert all(
        math.isclose(b - a, step, rel_tol=1e-6, abs_tol=resolution)
        for a, b in zip(ticks, ticks[1:], strict=False)
    )
    tolerance = 1e-6 * step
    assert ticks[0] <= low + tolerance
    assert ticks[-1] >= high - tolerance
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, nice, rel_tol=1e-6) for nice in (1, 2, 2.5, 5, 10))


# line_chart


def test_a_line_chart_is_well_formed_and_labelled_for_screen_readers():
    root = parse(line_chart([AREA, COUNTY], title="Anteil ab 75 Jahren", unit="%"))
    assert_accessible(root, "Anteil ab 75 Jahren")
    assert root.get("width") == "640"
    assert root.get("height") == "300"
    assert root.get("viewBox") == "0 0 640 300"


def test_a_line_chart_without_description_summarises_the_data():
    root = parse(line_chart([COUNTY], title="T", unit="%"))
    assert root.find(f"{SVG}desc").text == "Saale-Orla-Kreis 2018: 17,5 %, 2021: 19,1 %"


def test_a_given_description_is_used():
    root = parse(line_chart([COUNTY], title="T", unit="%", description="Steigt stetig."))
    assert root.find(f"{SVG}desc").text == "Steigt stetig."


def test_a_gap_breaks_the_line_into_two_segments():
    root = parse(line_chart([AREA, COUNTY], title="T", unit="%"))
    assert len(series_group(root, "Schleiz").findall(f"{SVG}polyline")) == 2
    assert len(series_group(root, "Saale-Orla-Kreis").findall(f"{SVG}polyline")) == 1


def test_a_lone_value_between_gaps_shows_as_a_marker_only():
    lone = Series("A", [(2018, 1.0), (2019, None), (2020, 2.0), (2021, None), (2022, 3.0)])
    group = series_group(parse(line_chart([lone], title="T", unit="")), "A")
    assert group.findall(f"{SVG}polyline") == []
    assert len(group.findall(f"{SVG}circle")) == 3


def test_markers_sit_at_known_values_and_name_series_year_and_value():
    root = parse(line_chart([AREA, COUNTY], title="T", unit="%"))
    markers = series_group(root, "Schleiz").findall(f"{SVG}circle")
    assert len(markers) == 4
    assert markers[0].find(f"{SVG}title").text == "Schleiz, 2018: 20,4 %"


def test_the_emphasised_line_is_thicker_and_solid_and_references_are_dashed():
    root = parse(line_chart([COUNTY, AREA], title="T", unit="%"))
    (area_line, _) = series_group(root, "Schleiz").findall(f"{SVG}polyline")
    (county_line,) = series_group(root, "Saale-Orla-Kreis").findall(f"{SVG}polyline")
    assert area_line.get("stroke") == "#1f5f5b"
    assert area_line.get("stroke-dasharray") is None
    assert county_line.get("stroke-dasharray")
    assert float(area_line.get("stroke-width")) > float(county_line.get("stroke-width"))


def test_the_x_axis_shows_every_year_without_thousands_separator():
    root = parse(line_chart([AREA, COUNTY], title="T", unit="%"))
    assert texts(root, "x-tick") == ["2018", "2019", "2020", "2021", "2022"]


def test_crowded_years_keep_their_ticks_and_label_every_fifth_back_from_the_latest():
    long = Series("A", [(year, 1.0) for year in range(1990, 2024)])
    root = parse(line_chart([long], title="T", unit="", width=400))
    assert len(by_class(root, "line", "x-tick")) == 34
    assert texts(root, "x-tick") == ["1993", "1998", "2003", "2008", "2013", "2018", "2023"]


def test_the_y_axis_is_labelled_in_german_format_with_the_unit():
    big = Series("Einwohner", [(2020, 81234.0), (2021, 84567.0)])
    root = parse(line_chart([big], title="T", unit="Personen", decimals=0))
    assert texts(root, "y-tick") == ["81.000", "82.000", "83.000", "84.000", "85.000"]
    assert texts(root, "unit") == ["Personen"]


def test_y_tick_labels_use_at_least_the_requested_decimals():
    root = parse(line_chart([COUNTY], title="T", unit="%", decimals=1))
    assert texts(root, "y-tick") == ["17,5", "18,0", "18,5", "19,0", "19,5"]


def test_y_tick_labels_get_the_decimals_their_step_needs():
    small = Series("A", [(2020, 0.3), (2021, 0.9)])
    labels = texts(parse(line_chart([small], title="T", unit="", decimals=0)), "y-tick")
    assert labels == ["0,2", "0,4", "0,6", "0,8", "1,0"]


def test_the_y_axis_starts_at_zero_when_zero_is_near():
    near = Series("A", [(2020, 10.0), (2021, 50.0)])
    assert texts(parse(line_chart([near], title="T", unit="")), "y-tick")[0] == "0,0"


def test_the_y_axis_starts_near_the_minimum_when_zero_is_far():
    far = Series("A", [(2020, 80.0), (2021, 90.0)])
    assert texts(parse(line_chart([far], title="T", unit="")), "y-tick")[0] == "80,0"


def test_line_chart_text_is_escaped():
    svg = line_chart([Series(TRICKY, [(2020, 1.0)])], title=TRICKY, unit="<%>")
    root = parse(svg)
    assert root.find(f"{SVG}title").text == TRICKY
    assert series_group(root, TRICKY) is not None
    assert TRICKY in [el.text for el in root.iter(f"{SVG}text")]
    assert "&amp; &lt;Test&gt;" in svg


def test_the_legend_has_a_line_sample_and_label_per_series():
    root = parse(line_chart([AREA, COUNTY], title="T", unit="%"))
    (legend,) = by_class(root, "g", "legend")
    assert len(legend.findall(f"{SVG}line")) == 2
    assert [el.text for el in legend.findall(f"{SVG}text")] == ["Schleiz", "Saale-Orla-Kreis"]


def test_text_is_readable_in_print():
    root = parse(line_chart([AREA, COUNTY], title="T", unit="%"))
    sizes = [float(el.get("font-size", root.get("font-size"))) for el in root.iter(f"{SVG}text")]
    assert min(sizes) >= 11


def test_a_line_chart_needs_a_value():
    with pytest.raises(ValueError, match="at least one point with a value"):
        line_chart([Series("A", [(2020, None)])], title="T", unit="")


# bar_chart

BARS = [("Gefell", 21.3), ("Hirschberg", None), ("Schleiz", 23.1), ("Tanna", 12.3)]


def test_a_bar_chart_is_well_formed_and_labelled_for_screen_readers():
    root = parse(bar_chart(BARS, title="Anteil ab 75 Jahren", unit="%"))
    assert_accessible(root, "Anteil ab 75 Jahren")
    assert root.get("viewBox") == f"0 0 640 {root.get('height')}"


def test_a_bar_chart_draws_one_bar_per_known_value_and_a_dash_for_a_missing_one():
    root = parse(bar_chart(BARS, title="T", unit="%"))
    assert len(by_class(root, "rect", "bar")) == 3
    assert texts(root, "value") == ["21,3", "–", "23,1", "12,3"]


def test_a_bar_chart_grows_about_twenty_pixels_per_bar():
    short = parse(bar_chart(BARS[:2], title="T", unit="%"))
    tall = parse(bar_chart(BARS, title="T", unit="%"))
    assert 36 <= float(tall.get("height")) - float(short.get("height")) <= 44


def test_bar_lengths_are_proportional_to_the_values():
    root = parse(bar_chart([("A", 10.0), ("B", 20.0)], title="T", unit=""))
    a, b = (float(rect.get("width")) for rect in by_class(root, "rect", "bar"))
    assert b == pytest.approx(2 * a, abs=0.2)


def test_the_reference_line_is_drawn_with_its_label():
    root = parse(
        bar_chart(BARS, title="T", unit="%", reference=19.5, reference_label="Saale-Orla-Kreis")
    )
    assert len(by_class(root, "line", "reference")) == 1
    assert texts(root, "reference-label") == ["Saale-Orla-Kreis: 19,5"]


def test_a_bar_chart_without_reference_has_no_reference_line():
    assert by_class(parse(bar_chart(BARS, title="T", unit="%")), "line", "reference") == []


def test_the_highlighted_bar_takes_the_emphasis_colour():
    root = parse(bar_chart(BARS, title="T", unit="%", highlight="Schleiz"))
    fills = [rect.get("fill") for rect in by_class(root, "rect", "bar")]
    assert fills[1] == "#1f5f5b"
    assert fills[0] == fills[2] != "#1f5f5b"


def test_an_unknown_highlight_is_named():
    with pytest.raises(ValueError, match="highlight 'Ranis' is not among the bar labels"):
        bar_chart(BARS, title="T", unit="%", highlight="Ranis")


def test_bar_chart_text_is_escaped():
    root = parse(bar_chart([(TRICKY, 1.0)], title=TRICKY, unit="%", reference_label=TRICKY))
    assert root.find(f"{SVG}title").text == TRICKY
    assert root.find(f"{SVG}desc").text == f"{TRICKY}: 1,0 %"


def test_a_long_bar_label_is_shortened_with_the_full_label_on_hover():
    label = "Verwaltungsgemeinschaft Seenplatte " * 3
    root = parse(bar_chart([(label, 1.0)], title="T", unit=""))
    (shown,) = [el for el in root.iter(f"{SVG}text") if el.find(f"{SVG}title") is not None]
    assert shown.text.endswith("…")
    assert shown.find(f"{SVG}title").text == label
