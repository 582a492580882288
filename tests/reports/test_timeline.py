import datetime
from xml.etree import ElementTree

import pytest

from sozialplanung.reports.timeline import Bar, Mark, timeline

SVG = "{http://www.w3.org/2000/svg}"
TRICKY = "Saale-Orla-Kreis & <Test> \"Süd\" 'Nord'"
D = datetime.date

BARS = [
    Bar("M 1.1 Familienlotsen", D(2019, 9, 1), D(2021, 12, 31), "done", "Leitlinie 1: Familie"),
    Bar("M 1.2 Netzwerk Frühe Hilfen", D(2020, 1, 1), None, "running", "Leitlinie 1: Familie"),
    Bar(
        "M 2.1 Schulsozialarbeit", D(2021, 1, 1), D(2023, 12, 31), "running", "Leitlinie 2: Bildung"
    ),
    Bar("M 1.3 Elterncafés", D(2022, 4, 1), D(2022, 9, 30), "stopped", "Leitlinie 1: Familie"),
    Bar("M 2.2 Ganztag", D(2023, 1, 1), D(2024, 7, 31), "planned", "Leitlinie 2: Bildung"),
    Bar("M 2.3 Lernpaten", None, None, "planned", "Leitlinie 2: Bildung"),
]
MARKS = [
    Mark("Meilenstein 1: Netzwerkkonzeption", D(2020, 3, 15), "done"),
    Mark("Meilenstein 2: Zwischenbericht", D(2023, 11, 1), "delayed"),
]


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def draw(bars=BARS, marks=MARKS, **options) -> ElementTree.Element:
    return parse(timeline(bars, marks, title=options.pop("title", "Zeitplan"), **options))


def rows(root: ElementTree.Element, *kinds: str) -> list[ElementTree.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("data-kind") in kinds]


def row_titled(root: ElementTree.Element, label: str) -> ElementTree.Element:
    (row,) = [g for g in rows(root, "measure", "milestone") if title(g).startswith(f"{label}:")]
    return row


def title(element: ElementTree.Element) -> str:
    return element.find(f"{SVG}title").text


def year_x(root: ElementTree.Element, year: int) -> float:
    (line,) = [line for line in root.iter(f"{SVG}line") if line.get("data-year") == str(year)]
    assert line.get("x1") == line.get("x2")
    return float(line.get("x1"))


def bar_span(row: ElementTree.Element) -> tuple[float, float]:
    rect = row.find(f"{SVG}rect")
    return float(rect.get("x")), float(rect.get("x")) + float(rect.get("width"))


def diamond_x(row: ElementTree.Element) -> float:
    (diamond,) = [p for p in row.iter(f"{SVG}polygon") if p.get("data-kind") == "diamond"]
    xs = [float(point.split(",")[0]) for point in diamond.get("points").split()]
    return (min(xs) + max(xs)) / 2


def on_axis(root: ElementTree.Element, day: datetime.date) -> float:
    """x of ``day``, interpolated between the ticks of its year and the next one."""
    start, end = D(day.year, 1, 1), D(day.year + 1, 1, 1)
    share = (day - start).days / (end - start).days
    return year_x(root, day.year) + share * (year_x(root, day.year + 1) - year_x(root, day.year))


def test_timeline_is_an_accessible_image_labelled_by_its_title_and_a_summary():
    root = draw(title="Zeitplan der Strategie")
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "Zeitplan der Strategie"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert "Zeitachse 01/2019 bis 12/2024." in root.find(f"{SVG}desc").text


def test_each_dated_measure_is_one_bar_and_each_status_has_its_own_fill():
    root = draw()
    measures = rows(root, "measure")
    counts = {}
    for row in measures:
        counts[row.get("data-status")] = counts.get(row.get("data-status"), 0) + 1
    assert counts == {"done": 1, "running": 2, "stopped": 1, "planned": 1}
    assert len([row for row in measures if row.find(f"{SVG}rect") is not None]) == 4
    assert len([row for row in measures if row.find(f"{SVG}polygon") is not None]) == 1
    fills = {
        row.get("data-status"): shape.get("fill")
        for row in measures
        for shape in row
        if shape.tag in (f"{SVG}rect", f"{SVG}polygon")
    }
    assert len(set(fills.values())) == 4


def test_a_bar_of_a_full_year_is_as_wide_as_the_distance_between_its_year_ticks():
    root = draw([Bar("Jahr", D(2020, 1, 1), D(2020, 12, 31), "running")], [])
    start, end = bar_span(row_titled(root, "Jahr"))
    assert start == pytest.approx(year_x(root, 2020), abs=0.15)
    assert end == pytest.approx(year_x(root, 2021), abs=0.15)


def test_a_bar_starts_and_ends_at_its_dates_on_the_axis():
    root = draw()
    start, end = bar_span(row_titled(root, "M 1.3 Elterncafés"))
    assert start == pytest.approx(on_axis(root, D(2022, 4, 1)), abs=0.15)
    assert end == pytest.approx(on_axis(root, D(2022, 10, 1)), abs=0.15)  # end day included


def test_milestone_diamonds_sit_at_their_day():
    root = draw()
    assert diamond_x(row_titled(root, "Meilenstein 1: Netzwerkkonzeption")) == pytest.approx(
        on_axis(root, D(2020, 3, 15)), abs=0.15
    )
    assert diamond_x(row_titled(root, "Meilenstein 2: Zwischenbericht")) == pytest.approx(
        on_axis(root, D(2023, 11, 1)), abs=0.15
    )


def test_a_milestone_shows_its_date_in_german_notation():
    row = row_titled(draw(), "Meilenstein 2: Zwischenbericht")
    assert "01.11.2023" in [text.text for text in row.iter(f"{SVG}text")]
    assert title(row) == "Meilenstein 2: Zwischenbericht: 01.11.2023 (verzögert)"


def test_the_axis_is_padded_to_whole_years_with_a_tick_at_each():
    root = draw()
    years = [
        int(line.get("data-year")) for line in root.iter(f"{SVG}line") if line.get("data-year")
    ]
    assert years == [2019, 2020, 2021, 2022, 2023, 2024, 2025]
    labels = {text.text for text in root.iter(f"{SVG}text")}
    assert {"2019", "2024"} <= labels
    assert "Q3" not in labels
    quarters = [line for line in root.iter(f"{SVG}line") if line.get("data-kind") == "quarter"]
    assert len(quarters) == 6 * 3


def test_a_span_under_two_years_is_padded_to_quarters_and_labels_them():
    root = draw([Bar("Kurz", D(2024, 2, 1), D(2024, 9, 30), "running")], [])
    labels = [text.text for text in root.iter(f"{SVG}text")]
    assert [label for label in labels if label.startswith("Q")] == ["Q1", "Q2", "Q3"]
    assert "2024" in labels
    start, end = bar_span(row_titled(root, "Kurz"))
    quarters = [float(line.get("x1")) for line in root.iter(f"{SVG}line") if line.get("data-kind")]
    assert min(quarters) == pytest.approx(year_x(root, 2024))  # the axis starts on 1 January
    assert start > year_x(root, 2024) + 10


def test_the_today_line_is_drawn_when_today_lies_on_the_axis():
    root = draw(today=D(2022, 1, 1))
    (line,) = [line for line in root.iter(f"{SVG}line") if line.get("data-kind") == "today"]
    assert float(line.get("x1")) == pytest.approx(year_x(root, 2022), abs=0.15)
    assert line.get("stroke-dasharray")
    assert "heute" in [text.text for text in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("today", [None, D(2018, 6, 1)])
def test_there_is_no_today_line_without_today_or_outside_the_axis(today):
    root = draw(today=today)
    assert not [line for line in root.iter(f"{SVG}line") if line.get("data-kind") == "today"]
    assert "heute" not in [text.text for text in root.iter(f"{SVG}text")]


def test_an_open_ended_bar_runs_to_the_right_edge_with_a_pointed_end():
    root = draw(today=D(2022, 1, 1))
    row = row_titled(root, "M 1.2 Netzwerk Frühe Hilfen")
    polygon = row.find(f"{SVG}polygon")
    assert polygon.get("data-end") == "open"
    xs = [float(point.split(",")[0]) for point in polygon.get("points").split()]
    assert min(xs) == pytest.approx(year_x(root, 2020), abs=0.15)
    assert max(xs) >= year_x(root, 2025)
    assert title(row) == "M 1.2 Netzwerk Frühe Hilfen: ab 01/2020, offen (läuft)"


def test_an_open_ended_bar_stretches_the_axis_to_today():
    bars = [Bar("Offen", D(2020, 5, 1), None, "running")]
    root = draw(bars, [], today=D(2023, 8, 1))
    years = [
        int(line.get("data-year")) for line in root.iter(f"{SVG}line") if line.get("data-year")
    ]
    assert years == [2020, 2021, 2022, 2023, 2024]
    assert [line for line in root.iter(f"{SVG}line") if line.get("data-kind") == "today"]


def test_stopped_bars_are_struck_through():
    root = draw()
    struck = [
        row.get("data-status")
        for row in rows(root, "measure")
        if any(line.get("data-kind") == "strike" for line in row.iter(f"{SVG}line"))
    ]
    assert struck == ["stopped"]


def test_milestones_come_first_then_measures_under_group_headings_in_given_order():
    root = draw()
    order = [
        (row.get("data-kind"), title(row).split(":")[0] if row.get("data-kind") != "group" else "")
        for row in rows(root, "milestone", "group", "measure")
    ]
    headings = [title(row) for row in rows(root, "group")]
    assert headings == ["Leitlinie 1: Familie", "Leitlinie 2: Bildung"]
    assert order == [
        ("milestone", "Meilenstein 1"),
        ("milestone", "Meilenstein 2"),
        ("group", ""),
        ("measure", "M 1.1 Familienlotsen"),
        ("measure", "M 1.2 Netzwerk Frühe Hilfen"),
        ("measure", "M 1.3 Elterncafés"),
        ("group", ""),
        ("measure", "M 2.1 Schulsozialarbeit"),
        ("measure", "M 2.2 Ganztag"),
    ]
    ys = [
        float(row.find(f"{SVG}text").get("y"))
        for row in rows(root, "milestone", "group", "measure")
    ]
    assert ys == sorted(ys)


def test_bars_without_start_are_not_drawn_but_named_in_the_summary():
    root = draw()
    assert not [row for row in rows(root, "measure") if "Lernpaten" in title(row)]
    assert "Lernpaten" not in "".join(text.text or "" for text in root.iter(f"{SVG}text"))
    assert root.find(f"{SVG}desc").text.endswith("Ohne Zeitraum: M 2.3 Lernpaten.")


def test_the_summary_counts_entries_per_status_and_gives_their_dates():
    summary = draw().find(f"{SVG}desc").text
    assert "2 Meilensteine (abgeschlossen: 1, verzögert: 1)" in summary
    assert "6 Maßnahmen (geplant: 2, läuft: 2, abgeschlossen: 1, abgebrochen: 1)" in summary
    assert "M 1.1 Familienlotsen: 09/2019 – 12/2021 (abgeschlossen)" in summary
    assert "Meilenstein 1: Netzwerkkonzeption: 15.03.2020 (abgeschlossen)" in summary
    assert "Leitlinie 2: Bildung: M 2.1 Schulsozialarbeit" in summary


def test_the_summary_uses_the_singular_for_one_entry():
    summary = draw(BARS[:1], MARKS[:1]).find(f"{SVG}desc").text
    assert "1 Meilenstein (abgeschlossen: 1)" in summary
    assert "1 Maßnahme (abgeschlossen: 1)" in summary


def test_status_labels_replace_the_default_german_labels():
    root = draw(status_labels={"running": "in Umsetzung"})
    legend = [t.text for g in rows(root, "legend") for t in g.iter(f"{SVG}text")]
    assert legend == ["geplant", "in Umsetzung", "abgeschlossen", "abgebrochen"] + [
        "abgeschlossen",
        "verzögert",
    ]
    assert "in Umsetzung: 2" in root.find(f"{SVG}desc").text


def test_labels_with_special_characters_give_valid_xml():
    svg = timeline(
        [Bar(TRICKY, D(2020, 1, 1), D(2020, 6, 30), "done", TRICKY)],
        [Mark(TRICKY, D(2020, 3, 1), "open")],
        title=TRICKY,
    )
    root = parse(svg)
    assert root.find(f"{SVG}title").text == TRICKY
    assert [title(row) for row in rows(root, "group")] == [TRICKY]
    assert [title(row).startswith(TRICKY) for row in rows(root, "measure", "milestone")] == [
        True,
        True,
    ]
    assert "&amp; &lt;Test&gt;" in svg


def test_long_labels_are_shortened_and_complete_in_the_row_title():
    label = "M 9.9 " + "Sehr lange Bezeichnung einer Maßnahme " * 4
    root = draw([Bar(label, D(2020, 1, 1), D(2020, 12, 31), "running")], [], width=600)
    (row,) = rows(root, "measure")
    shown = row.find(f"{SVG}text").text
    assert shown.endswith("…")
    assert len(shown) < len(label)
    assert title(row).startswith(label)
    assert float(row.find(f"{SVG}rect").get("x")) > len(shown) * 12 * 0.6


def test_the_output_uses_only_plain_svg_with_explicit_paint():
    svg = timeline(BARS, MARKS, title="Zeitplan", today=D(2022, 1, 1))
    for forbidden in ("class=", "style", "foreignObject", "href", "url("):
        assert forbidden not in svg
    root = parse(svg)
    shapes = [e for tag in ("rect", "polygon") for e in root.iter(f"{SVG}{tag}")]
    assert shapes
    assert all(shape.get("fill") for shape in shapes)
    assert all(line.get("stroke") for line in root.iter(f"{SVG}line"))


def test_height_grows_with_the_rows_and_width_stays_fixed():
    small = draw(BARS[:2], [], width=700)
    large = draw(BARS, MARKS, width=700)
    assert small.get("width") == large.get("width") == "700"
    assert float(large.get("height")) > float(small.get("height"))
    assert large.get("viewBox") == f"0 0 700 {large.get('height')}"


def test_the_same_input_gives_the_same_bytes():
    first = timeline(BARS, MARKS, title="Zeitplan", today=D(2022, 5, 1))
    second = timeline(list(BARS), list(MARKS), title="Zeitplan", today=D(2022, 5, 1))
    assert first == second


def test_empty_input_is_rejected():
    with pytest.raises(ValueError, match="at least one bar or mark"):
        timeline([], [], title="Zeitplan")


def test_bars_without_any_date_alone_are_rejected():
    with pytest.raises(ValueError, match="start date"):
        timeline([Bar("Ohne", None, None, "planned")], [], title="Zeitplan")


def test_an_unknown_status_is_rejected():
    with pytest.raises(ValueError, match="unknown status 'paused'"):
        timeline([Bar("M", D(2020, 1, 1), None, "paused")], [], title="Zeitplan")


def test_a_bar_ending_before_its_start_is_rejected():
    with pytest.raises(ValueError, match="ends"):
        timeline([Bar("M", D(2021, 1, 1), D(2020, 1, 1), "done")], [], title="Zeitplan")
