from xml.etree import ElementTree

import pytest

from sozialplanung.reports.charts_index import rank_interval_chart, sensitivity_chart

SVG = "{http://www.w3.org/2000/svg}"
TRICKY = "Saale-Orla-Kreis & <Test> \"Süd\" 'Nord'"

ITEMS = [
    ("Schleiz", 1, 1, 2),
    ("Gefell", 2, 1, 4),
    ("Tanna", 3, 2, 5),
    ("Hirschberg", 4.5, 3, 5.5),
    ("Ranis", 5, 4, 6),
    ("Pößneck", 6, 5, 6),
]
FACTORS = [
    ("Normalisierung", 0.42, 0.55),
    ("Aggregation", 0.18, 0.31),
    ("Imputation", -0.012, 0.02),
]


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def by_class(root: ElementTree.Element, tag: str, css_class: str) -> list[ElementTree.Element]:
    return [el for el in root.iter(f"{SVG}{tag}") if el.get("class") == css_class]


def texts(root: ElementTree.Element, css_class: str) -> list[str]:
    return [el.text for el in by_class(root, "text", css_class)]


def group(root: ElementTree.Element, label: str) -> ElementTree.Element:
    (found,) = [g for g in root.iter(f"{SVG}g") if g.get("data-label") == label]
    return found


def assert_accessible(root: ElementTree.Element, title: str) -> None:
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == title
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}desc").text
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"


def assert_readable(root: ElementTree.Element) -> None:
    sizes = [float(el.get("font-size", root.get("font-size"))) for el in root.iter(f"{SVG}text")]
    assert min(sizes) >= 11


# rank_interval_chart


def test_a_rank_chart_is_well_formed_and_labelled_for_screen_readers():
    root = parse(rank_interval_chart(ITEMS, title="Rangfolge Sozialindex"))
    assert_accessible(root, "Rangfolge Sozialindex")
    assert_readable(root)
    assert root.get("width") == "640"


def test_a_rank_chart_without_description_summarises_the_ranks_in_german():
    root = parse(rank_interval_chart(ITEMS[3:5], title="T"))
    assert root.find(f"{SVG}desc").text == (
        "Hirschberg: Median Rang 4,5, Intervall 3–5,5; Ranis: Median Rang 5, Intervall 4–6"
    )


def test_a_given_description_is_used_for_the_rank_chart():
    root = parse(rank_interval_chart(ITEMS, title="T", description="Schleiz führt."))
    assert root.find(f"{SVG}desc").text == "Schleiz führt."


def test_the_same_input_gives_the_same_rank_chart():
    assert rank_interval_chart(ITEMS, title="T") == rank_interval_chart(ITEMS, title="T")


def test_each_item_has_one_dot_and_one_interval_in_the_given_order():
    root = parse(rank_interval_chart(ITEMS, title="T"))
    rows = by_class(root, "g", "rank")
    assert [row.get("data-label") for row in rows] == [label for label, *_ in ITEMS]
    for row in rows:
        assert len(by_class(row, "circle", "dot")) == 1
        assert len(by_class(row, "line", "interval")) == 1
    assert len(by_class(root, "circle", "dot")) == len(by_class(root, "line", "interval")) == 6


def test_each_row_names_its_median_and_interval_on_hover():
    root = parse(rank_interval_chart(ITEMS, title="T"))
    assert group(root, "Tanna").find(f"{SVG}title").text == "Tanna: Median Rang 3, Intervall 2–5"


def test_dots_and_intervals_sit_at_their_ranks_with_rank_one_on_the_left():
    root = parse(rank_interval_chart(ITEMS, title="T"))

    def x(label: str) -> tuple[float, float, float]:
        row = group(root, label)
        (dot,) = by_class(row, "circle", "dot")
        (line,) = by_class(row, "line", "interval")
        return float(dot.get("cx")), float(line.get("x1")), float(line.get("x2"))

    schleiz, tanna, ranis = x("Schleiz"), x("Tanna"), x("Ranis")
    assert schleiz[0] == schleiz[1] < tanna[0] < ranis[0]  # median 1 = low 1, leftmost
    per_rank = tanna[0] - x("Gefell")[0]
    assert tanna[2] - tanna[1] == pytest.approx(3 * per_rank, abs=0.2)  # interval 2–5
    assert ranis[0] - tanna[0] == pytest.approx(2 * per_rank, abs=0.2)


def test_the_rank_axis_has_integer_ticks_from_one_and_its_label():
    root = parse(rank_interval_chart(ITEMS, title="T"))
    assert texts(root, "x-tick") == ["1", "2", "3", "4", "5", "6"]
    assert texts(root, "axis-label") == ["Rang (1 = höchster Bedarf)"]


def test_many_ranks_get_round_steps_and_a_german_thousands_point():
    many = [(f"Gebiet {rank}", rank, rank, rank) for rank in range(1, 1201)]
    labels = texts(parse(rank_interval_chart(many, title="T")), "x-tick")
    assert labels == ["1", "200", "400", "600", "800", "1.000", "1.200"]


def test_twelve_ranks_are_each_ticked_and_fourteen_at_the_odd_ranks():
    def labels(count: int) -> list[str]:
        items = [(f"Gebiet {rank}", rank, rank, rank) for rank in range(1, count + 1)]
        return texts(parse(rank_interval_chart(items, title="T")), "x-tick")

    assert labels(12) == [str(rank) for rank in range(1, 13)]
    assert labels(14) == ["1", "3", "5", "7", "9", "11", "13"]


def test_thirty_ranks_are_ticked_every_fifth():
    thirty = [(f"Gebiet {rank}", rank, rank, rank) for rank in range(1, 31)]
    labels = texts(parse(rank_interval_chart(thirty, title="T")), "x-tick")
    assert labels == ["1", "5", "10", "15", "20", "25", "30"]


def test_the_axis_reaches_the_highest_rank_given():
    root = parse(rank_interval_chart([("A", 2, 1, 9)], title="T"))
    assert texts(root, "x-tick")[-1] == "9"


def test_a_single_rank_is_drawn_in_the_middle():
    root = parse(rank_interval_chart([("A", 1, 1, 1)], title="T"))
    assert texts(root, "x-tick") == ["1"]
    assert len(by_class(root, "circle", "dot")) == 1


def test_the_highlighted_row_is_bold_in_the_emphasis_colour():
    root = parse(rank_interval_chart(ITEMS, title="T", highlight="Tanna"))
    (label,) = by_class(group(root, "Tanna"), "text", "label")
    assert label.get("font-weight") == "bold"
    assert label.get("fill") == "#1f5f5b"
    (line,) = by_class(group(root, "Tanna"), "line", "interval")
    assert line.get("stroke") == "#1f5f5b"
    (other,) = by_class(group(root, "Gefell"), "text", "label")
    assert other.get("font-weight") is None
    assert other.get("fill") is None
    (other_line,) = by_class(group(root, "Gefell"), "line", "interval")
    assert other_line.get("stroke") != "#1f5f5b"
    assert len(by_class(root, "rect", "highlight")) == 1


def test_without_highlight_no_row_is_singled_out():
    root = parse(rank_interval_chart(ITEMS, title="T"))
    assert by_class(root, "rect", "highlight") == []
    assert all(el.get("font-weight") is None for el in by_class(root, "text", "label"))


def test_a_rank_chart_grows_about_twenty_pixels_per_row():
    short = parse(rank_interval_chart(ITEMS[:2], title="T"))
    tall = parse(rank_interval_chart(ITEMS, title="T"))
    assert 72 <= float(tall.get("height")) - float(short.get("height")) <= 80


def test_rank_chart_text_is_escaped():
    svg = rank_interval_chart([(TRICKY, 1, 1, 2)], title=TRICKY, highlight=TRICKY)
    root = parse(svg)
    assert root.find(f"{SVG}title").text == TRICKY
    assert group(root, TRICKY).find(f"{SVG}title").text.startswith(TRICKY + ":")
    assert "&amp; &lt;Test&gt;" in svg


def test_an_unknown_rank_highlight_is_named():
    with pytest.raises(ValueError, match="highlight 'Ranis' is not among the item labels"):
        rank_interval_chart(ITEMS[:2], title="T", highlight="Ranis")


@pytest.mark.parametrize(
    ("item", "message"),
    [(("A", 3, 4, 5), "need 1 <= low <= median <= high"), (("A", float("nan"), 1, 2), "finite")],
)
def test_inconsistent_ranks_are_rejected(item, message):
    with pytest.raises(ValueError, match=message):
        rank_interval_chart([item], title="T")


def test_a_rank_chart_needs_an_item():
    with pytest.raises(ValueError, match="at least one item"):
        rank_interval_chart([], title="T")


# sensitivity_chart


def test_a_sensitivity_chart_is_well_formed_and_labelled_for_screen_readers():
    root = parse(sensitivity_chart(FACTORS, title="Sobol-Indizes"))
    assert_accessible(root, "Sobol-Indizes")
    assert_readable(root)


def test_a_sensitivity_chart_without_description_summarises_the_indices():
    root = parse(sensitivity_chart(FACTORS[:1], title="T"))
    assert root.find(f"{SVG}desc").text == (
        "Normalisierung: Haupteffekt (S1) 0,42, Gesamteffekt (ST) 0,55"
    )


def test_each_factor_has_a_light_first_order_and_a_dark_total_bar():
    root = parse(sensitivity_chart(FACTORS, title="T"))
    bars = by_class(root, "rect", "bar")
    assert len(bars) == 2 * len(FACTORS)
    for factor in FACTORS:
        first, total = by_class(group(root, factor[0]), "rect", "bar")
        assert float(first.get("y")) < float(total.get("y"))
        assert total.get("fill") == "#1f5f5b" != first.get("fill")


def test_the_legend_names_both_indices():
    root = parse(sensitivity_chart(FACTORS, title="T"))
    (legend,) = by_class(root, "g", "legend")
    assert [el.text for el in legend.findall(f"{SVG}text")] == [
        "Haupteffekt (S1)",
        "Gesamteffekt (ST)",
    ]
    fills = [el.get("fill") for el in legend.findall(f"{SVG}rect")]
    first, total = by_class(group(root, "Aggregation"), "rect", "bar")
    assert fills == [first.get("fill"), total.get("fill")]


def test_the_sensitivity_axis_runs_from_zero_to_one_in_german_format():
    root = parse(sensitivity_chart(FACTORS, title="T"))
    assert texts(root, "x-tick") == ["0,0", "0,2", "0,4", "0,6", "0,8", "1,0"]
    assert texts(root, "value")[:2] == ["0,42", "0,55"]


def test_the_sensitivity_axis_extends_past_one_for_a_larger_estimate():
    root = parse(sensitivity_chart([("A", 0.9, 1.08)], title="T"))
    assert texts(root, "x-tick") == ["0,00", "0,25", "0,50", "0,75", "1,00", "1,25"]


def test_bar_lengths_are_proportional_to_the_indices():
    root = parse(sensitivity_chart([("A", 0.2, 0.4)], title="T"))
    first, total = (float(rect.get("width")) for rect in by_class(root, "rect", "bar"))
    assert total == pytest.approx(2 * first, abs=0.2)


def test_a_negative_estimate_is_clipped_at_zero_and_keeps_its_true_value():
    root = parse(sensitivity_chart(FACTORS, title="T"))
    first, total = by_class(group(root, "Imputation"), "rect", "bar")
    assert float(first.get("width")) == 0
    assert float(total.get("width")) > 0
    assert first.find(f"{SVG}title").text == "Imputation, Haupteffekt (S1): \u22120,01"
    assert "\u22120,01" in texts(root, "value")


def test_sensitivity_chart_text_is_escaped():
    svg = sensitivity_chart([(TRICKY, 0.1, 0.2)], title=TRICKY)
    root = parse(svg)
    assert root.find(f"{SVG}title").text == TRICKY
    assert group(root, TRICKY) is not None
    assert "&amp; &lt;Test&gt;" in svg


def test_a_sensitivity_chart_rejects_a_missing_index():
    with pytest.raises(ValueError, match="indices of 'A' must be finite"):
        sensitivity_chart([("A", float("nan"), 0.2)], title="T")


def test_a_sensitivity_chart_needs_a_factor():
    with pytest.raises(ValueError, match="at least one factor"):
        sensitivity_chart([], title="T")
