import pytest
from hypothesis import given
from hypothesis import strategies as st

from sozialplanung.reports.charts import format_number
from sozialplanung.reports.narrative import (
    CLEAR_LIMIT,
    LEVEL_LIMIT,
    NBSP,
    Article,
    Figure,
    area_statement,
    article,
    comparison_sentence,
    ranking_sentence,
    trend_sentence,
)

QUOTE = {"indicator": "SGB-II-Quote", "unit": "%", "decimals": 1}
PEOPLE = {"indicator": "Einwohnerzahl", "unit": "Personen", "decimals": 0}


def plain(text: str) -> str:
    """The text with no-break spaces as ordinary spaces, so expectations stay readable."""
    return text.replace(NBSP, " ")


def compare(value: float | None, reference: float | None, **kwargs) -> str:
    arguments = {"area": "Pößneck", **QUOTE, **kwargs}
    return plain(comparison_sentence(value=Figure(value), reference=Figure(reference), **arguments))


def trend(points: dict[int, float | None], breaks=(), **kwargs) -> str:
    arguments = {**QUOTE, **kwargs}
    figures = [(year, Figure(value)) for year, value in points.items()]
    return plain(trend_sentence(points=figures, breaks=breaks, **arguments))


# The example sentence


def test_it_writes_the_example_sentence_of_a_social_report():
    text = area_statement(
        area="Pößneck",
        **QUOTE,
        value=Figure(9.8),
        reference=Figure(6.3),
        points=[(2018, Figure(11.0)), (2020, Figure(10.4)), (2022, Figure(9.8))],
    )
    assert text == (
        "In Pößneck liegt die SGB-II-Quote mit 9,8\u00a0% deutlich über dem Kreiswert von "
        "6,3\u00a0%; seit 2018 ist sie um 1,2\u00a0Prozentpunkte gesunken."
    )


# Articles


@pytest.mark.parametrize(
    ("name", "nominative", "dative", "pronoun"),
    [
        ("SGB-II-Quote", "die", "der", "sie"),
        ("Arbeitslosenquote", "die", "der", "sie"),
        ("Geburtenrate", "die", "der", "sie"),
        ("Einwohnerzahl", "die", "der", "sie"),
        ("Bevölkerungsdichte", "die", "der", "sie"),
        ("Bevölkerungsentwicklung", "die", "der", "sie"),
        ("Angebotsmiete", "die", "der", "sie"),
        ("Kaufkraft", "die", "der", "sie"),
        ("Kinderarmut", "der", "dem", "er"),  # unknown ending: the neutral „der Wert“
        ("Arbeitslosigkeit", "die", "der", "sie"),
        ("Mitgliedschaft", "die", "der", "sie"),
        ("Ausländeranteil", "der", "dem", "er"),
        ("Jugendquotient", "der", "dem", "er"),
        ("Mittelwert", "der", "dem", "er"),
        ("Sozialindex", "der", "dem", "er"),
        ("Wanderungssaldo", "der", "dem", "er"),
        ("Mietniveau", "das", "dem", "es"),
        ("Haushaltseinkommen", "das", "dem", "es"),
        ("Geschlechterverhältnis", "das", "dem", "es"),
        ("Anteil der Kinder in Bedarfsgemeinschaften", "der", "dem", "er"),
        ("Quote der Langzeitarbeitslosen", "die", "der", "sie"),
        ("Betreuungsquote U3", "die", "der", "sie"),
        ("Gesamtquote (SGB II)", "die", "der", "sie"),
    ],
)
def test_it_finds_the_article_from_the_head_noun(name, nominative, dative, pronoun):
    words = article(name)
    assert (words.nominative, words.dative, words.pronoun) == (nominative, dative, pronoun)


@pytest.mark.parametrize(
    "name",
    [
        "Einwohner",
        "Arbeitslose je 100 Einwohner",
        "Schulabgänger ohne Abschluss",
        "Personen mit Behinderung",  # last word "Behinderung" must not make it feminine
        "Verfügbares Einkommen je Einwohner",  # a leading adjective would need declension
        "Quoten",
        "",
    ],
)
def test_it_quotes_plurals_and_unknown_names_behind_der_wert(name):
    assert article(name) == Article("der", "dem", "den", "er", name, known=False)
    assert article(name).subject == f"der Wert „{name}“"


def test_a_known_name_is_its_own_noun():
    assert article("SGB-II-Quote").subject == "die SGB-II-Quote"


# Comparison with the reference


@pytest.mark.parametrize(
    ("value", "reference", "position"),
    [
        (9.8, 6.3, "deutlich über"),
        (7.0, 6.3, "über"),
        (6.4, 6.3, "etwa auf"),
        (6.3, 6.3, "etwa auf"),
        (6.0, 6.3, "etwa auf"),
        (5.8, 6.3, "unter"),
        (3.1, 6.3, "deutlich unter"),
    ],
)
def test_it_places_the_value_against_the_reference(value, reference, position):
    shown, other = format_number(value, 1), format_number(reference, 1)
    assert compare(value, reference) == (
        f"In Pößneck liegt die SGB-II-Quote mit {shown} % {position} dem Kreiswert von {other} %."
    )


@pytest.mark.parametrize(
    ("value", "position"),
    [
        (104.9, "etwa auf"),
        (105.0, "über"),
        (119.9, "über"),
        (120.0, "deutlich über"),
        (95.1, "etwa auf"),
        (95.0, "unter"),
        (80.1, "unter"),
        (80.0, "deutlich unter"),
    ],
)
def test_the_thresholds_hold_at_their_edges(value, position):
    assert LEVEL_LIMIT == 0.05 and CLEAR_LIMIT == 0.20
    assert f" {position} dem Kreiswert" in compare(value, 100.0)


@pytest.mark.parametrize(("value", "reference"), [(6.31, 6.34), (6.34, 6.26), (0.04, 0.0)])
def test_values_equal_after_rounding_are_never_called_above_or_below(value, reference):
    text = compare(value, reference, decimals=1)
    assert "etwa auf" in text
    assert "über" not in text and "unter" not in text


def test_a_difference_wider_than_the_level_limit_still_counts_as_level_when_rounded_equal():
    # 0.26 against 0.34 is 24 % apart, yet both are shown as 0 with no decimals.
    assert "mit 0 % etwa auf dem Kreiswert von 0 %" in compare(0.26, 0.34, decimals=0)


@pytest.mark.parametrize(
    ("value", "position"),
    [(0.0, "etwa auf"), (0.1, "etwa auf"), (-0.1, "etwa auf"), (0.2, "deutlich über")],
)
def test_against_a_reference_of_zero_one_rounding_step_is_level(value, position):
    assert f" {position} dem Kreiswert von 0,0 %" in compare(value, 0.0)


def test_a_negative_reference_compares_by_sign_and_size():
    text = compare(2.0, -3.0, indicator="Wanderungssaldo", unit="je 1.000")
    assert text == (
        "In Pößneck liegt der Wanderungssaldo mit 2,0 je 1.000 deutlich über "
        "dem Kreiswert von −3,0 je 1.000."
    )


def test_the_reference_label_is_the_callers():
    text = compare(7.0, 6.3, reference_label="dem Landeswert")
    assert text.endswith("über dem Landeswert von 6,3 %.")


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("%", "9,8\u00a0%"),
        ("je 100", "9,8\u00a0je 100"),
        ("Einwohner je km²", "9,8\u00a0Einwohner je km²"),
        ("Euro", "9,8\u00a0Euro"),
        ("", "mit 9,8 deutlich"),
    ],
)
def test_a_unit_follows_the_number_after_a_no_break_space(unit, expected):
    text = comparison_sentence(
        area="Pößneck",
        indicator="SGB-II-Quote",
        unit=unit,
        decimals=1,
        value=Figure(9.8),
        reference=Figure(6.3),
    )
    assert expected in text


def test_numbers_take_the_thousands_point_decimal_comma_and_typographic_minus():
    text = compare(-1234.5, 21000.0, indicator="Wanderungssaldo", unit="Personen")
    assert "mit −1.234,5 Personen deutlich unter dem Kreiswert von 21.000,0 Personen" in text


# Hidden and missing values


def test_a_hidden_value_is_reported_as_suppressed_without_its_number():
    text = comparison_sentence(
        area="Pößneck", **QUOTE, value=Figure(9.8, hidden=True), reference=Figure(6.3)
    )
    assert text == (
        "Für Pößneck wird die SGB-II-Quote aus Datenschutzgründen nicht veröffentlicht "
        "(kleine Fallzahlen)."
    )


def test_a_missing_value_is_reported_as_missing():
    assert compare(None, 6.3) == "Für Pößneck liegt für die SGB-II-Quote kein Wert vor."


def test_a_missing_value_of_an_unknown_name_quotes_the_name():
    text = compare(None, 6.3, indicator="Schulabgänger ohne Abschluss")
    assert text == "Für Pößneck liegt für „Schulabgänger ohne Abschluss“ kein Wert vor."


def test_a_value_that_is_not_a_number_counts_as_missing():
    assert "kein Wert vor" in compare(float("nan"), 6.3)


@pytest.mark.parametrize("reference", [Figure(None), Figure(6.3, hidden=True)])
def test_without_a_published_reference_only_the_value_is_stated(reference):
    text = comparison_sentence(area="Pößneck", **QUOTE, value=Figure(9.8), reference=reference)
    assert plain(text) == "In Pößneck liegt die SGB-II-Quote bei 9,8 %."


# Trends


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ({2018: 11.0, 2022: 9.8}, "Seit 2018 ist die SGB-II-Quote um 1,2 Prozentpunkte gesunken."),
        ({2018: 6.3, 2022: 7.5}, "Seit 2018 ist die SGB-II-Quote um 1,2 Prozentpunkte gestiegen."),
        ({2018: 6.3, 2022: 6.34}, "Seit 2018 ist die SGB-II-Quote nahezu unverändert geblieben."),
        ({2018: 6.3, 2022: 7.3}, "Seit 2018 ist die SGB-II-Quote um 1,0 Prozentpunkte gestiegen."),
        ({2018: 6.3, 2022: 6.35}, "Seit 2018 ist die SGB-II-Quote um 0,1 Prozentpunkte gestiegen."),
    ],
)
def test_a_rate_changes_in_percentage_points(points, expected):
    assert trend(points) == expected


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [(6.0, 7.0, "um 1 Prozentpunkt gestiegen"), (8.0, 6.0, "um 2 Prozentpunkte gesunken")],
)
def test_one_percentage_point_is_singular(first, last, expected):
    assert expected in trend({2018: first, 2022: last}, decimals=0)


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (12000, 12636, "Seit 2018 ist die Einwohnerzahl um 5,3 % gestiegen."),
        (12000, 11000, "Seit 2018 ist die Einwohnerzahl um 8,3 % gesunken."),
        (12000, 12240, "Seit 2018 ist die Einwohnerzahl um 2,0 % gestiegen."),
        (12000, 12239, "Seit 2018 ist die Einwohnerzahl nahezu unverändert geblieben."),
        (12000, 11761, "Seit 2018 ist die Einwohnerzahl nahezu unverändert geblieben."),
        (100000, 123456, "Seit 2018 ist die Einwohnerzahl um 23,5 % gestiegen."),
    ],
)
def test_other_units_change_in_percent_and_below_two_percent_are_stable(first, last, expected):
    assert trend({2018: first, 2022: last}, **PEOPLE) == expected


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (-120, -40, "um 80 Personen gestiegen"),
        (0, 35, "um 35 Personen gestiegen"),
        (30, -1500, "um 1.530 Personen gesunken"),
        (0, 0, "nahezu unverändert geblieben"),
        (30, 0, "um 100,0 % gesunken"),
    ],
)
def test_a_change_from_or_to_below_zero_is_stated_in_the_unit(first, last, expected):
    points = {2018: first, 2022: last}
    assert expected in trend(points, indicator="Wanderungssaldo", unit="Personen", decimals=0)


def test_a_large_percent_change_takes_the_thousands_point():
    text = trend({2018: 10, 2022: 1500}, **PEOPLE)
    assert text == "Seit 2018 ist die Einwohnerzahl um 14.900,0 % gestiegen."


@pytest.mark.parametrize(
    "points",
    [{}, {2022: 9.8}, {2018: None, 2022: 9.8}, {2018: 11.0, 2022: float("nan")}],
)
def test_fewer_than_two_published_years_say_nothing(points):
    assert trend(points) == ""


def test_hidden_years_are_skipped():
    points = [(2018, Figure(11.0)), (2019, Figure(55.5, hidden=True)), (2022, Figure(9.8))]
    assert "seit 2018" in trend_sentence(**QUOTE, points=points).lower()


def test_a_hidden_first_year_moves_the_start_to_the_next_published_year():
    points = [(2018, Figure(55.5, hidden=True)), (2019, Figure(11.0)), (2022, Figure(9.8))]
    assert plain(trend_sentence(**QUOTE, points=points)).startswith("Seit 2019 ist")


def test_a_hidden_last_year_bounds_the_period_instead_of_saying_seit():
    points = [(2018, Figure(11.0)), (2021, Figure(9.8)), (2022, Figure(55.5, hidden=True))]
    text = plain(trend_sentence(**QUOTE, points=points))
    assert text == "Von 2018 bis 2021 ist die SGB-II-Quote um 1,2 Prozentpunkte gesunken."


def test_the_years_need_not_be_in_order():
    assert trend({2022: 9.8, 2018: 11.0}).startswith("Seit 2018 ist")


# Series breaks


@pytest.mark.parametrize(
    ("breaks", "expected"),
    [
        ((), "Seit 2016 ist die SGB-II-Quote um 3,8 Prozentpunkte gesunken."),
        ((2016,), "Seit 2016 ist die SGB-II-Quote um 3,8 Prozentpunkte gesunken."),
        ((2019,), "Seit 2019 ist die SGB-II-Quote um 0,6 Prozentpunkte gesunken."),
        ((2017, 2019), "Seit 2019 ist die SGB-II-Quote um 0,6 Prozentpunkte gesunken."),
        ((2025,), "Seit 2016 ist die SGB-II-Quote um 3,8 Prozentpunkte gesunken."),
        ((2012,), "Seit 2016 ist die SGB-II-Quote um 3,8 Prozentpunkte gesunken."),
    ],
)
def test_a_change_never_spans_a_series_break(breaks, expected):
    points = {2016: 13.6, 2018: 12.0, 2019: 10.4, 2022: 9.8}
    assert trend(points, breaks=breaks) == expected


def test_a_break_in_the_last_year_leaves_nothing_to_compare():
    assert trend({2016: 13.6, 2019: 10.4, 2022: 9.8}, breaks={2022}) == ""


def test_a_hidden_break_year_starts_the_change_at_the_next_published_year():
    points = [(2016, Figure(13.6)), (2019, Figure(1.0, True)), (2020, Figure(10.4))]
    points.append((2022, Figure(9.8)))
    text = plain(trend_sentence(**QUOTE, points=points, breaks=[2019]))
    assert text == "Seit 2020 ist die SGB-II-Quote um 0,6 Prozentpunkte gesunken."


# Area statements


def test_the_statement_refers_back_by_the_pronoun_of_the_indicator():
    text = area_statement(
        area="Tanna",
        indicator="Mietniveau",
        unit="Euro",
        decimals=2,
        value=Figure(5.9),
        reference=Figure(6.0),
        points=[(2018, Figure(5.0)), (2022, Figure(5.9))],
    )
    assert plain(text) == (
        "In Tanna liegt das Mietniveau mit 5,90 Euro etwa auf dem Kreiswert von 6,00 Euro; "
        "seit 2018 ist es um 18,0 % gestiegen."
    )


def test_without_a_trend_the_statement_is_the_comparison():
    text = area_statement(area="Pößneck", **QUOTE, value=Figure(9.8), reference=Figure(6.3))
    assert text == comparison_sentence(
        area="Pößneck", **QUOTE, value=Figure(9.8), reference=Figure(6.3)
    )


def test_a_hidden_value_keeps_the_trend_of_published_years_in_a_second_sentence():
    text = area_statement(
        area="Pößneck",
        **QUOTE,
        value=Figure(9.8, hidden=True),
        reference=Figure(6.3),
        points=[(2018, Figure(11.0)), (2021, Figure(10.0)), (2022, Figure(9.8, hidden=True))],
    )
    assert plain(text) == (
        "Für Pößneck wird die SGB-II-Quote aus Datenschutzgründen nicht veröffentlicht "
        "(kleine Fallzahlen). Von 2018 bis 2021 ist sie um 1,0 Prozentpunkte gesunken."
    )
    assert "9,8" not in text


# Rankings


ROWS = [
    ("Tanna", Figure(3.1)),
    ("Pößneck", Figure(9.8)),
    ("Remptendorf", Figure(12.7, hidden=True)),
    ("Neustadt an der Orla", Figure(8.7)),
    ("Wurzbach", Figure(2.9)),
    ("Ziegenrück", Figure(None)),
    ("Schleiz", Figure(5.0)),
]


@pytest.mark.parametrize(
    ("higher_is_worse", "high", "low"),
    [
        (None, "höchsten", "niedrigsten"),
        (True, "höchsten und damit ungünstigsten", "niedrigsten und damit günstigsten"),
        (False, "höchsten und damit günstigsten", "niedrigsten und damit ungünstigsten"),
    ],
)
def test_it_names_the_two_highest_and_the_two_lowest(higher_is_worse, high, low):
    text = ranking_sentence(**QUOTE, rows=ROWS, higher_is_worse=higher_is_worse)
    assert plain(text) == (
        f"Bei der SGB-II-Quote haben Pößneck (9,8 %) und Neustadt an der Orla (8,7 %) die {high} "
        f"Werte, Wurzbach (2,9 %) und Tanna (3,1 %) die {low}."
    )


def test_a_hidden_area_is_never_named_with_its_number():
    text = ranking_sentence(**QUOTE, rows=ROWS, higher_is_worse=True)
    assert "Remptendorf" not in text and "12,7" not in text


@pytest.mark.parametrize("count", [2, 3])
def test_fewer_than_four_published_values_name_one_each(count):
    rows = [("Pößneck", Figure(9.8)), ("Tanna", Figure(3.1)), ("Schleiz", Figure(5.0))][:count]
    text = ranking_sentence(**QUOTE, rows=rows, higher_is_worse=None)
    assert plain(text) == (
        "Bei der SGB-II-Quote hat Pößneck (9,8 %) den höchsten Wert, Tanna (3,1 %) den niedrigsten."
    )


@pytest.mark.parametrize(
    "rows",
    [[], [("Pößneck", Figure(9.8))], [("Pößneck", Figure(9.8)), ("Tanna", Figure(3.1, True))]],
)
def test_fewer_than_two_published_values_give_no_ranking(rows):
    assert ranking_sentence(**QUOTE, rows=rows, higher_is_worse=None) == ""


def test_equal_values_are_not_ranked():
    rows = [("Pößneck", Figure(5.01)), ("Tanna", Figure(4.98)), ("Schleiz", Figure(5.0))]
    text = ranking_sentence(**QUOTE, rows=rows, higher_is_worse=None)
    assert plain(text) == "Bei der SGB-II-Quote liegen alle veröffentlichten Werte bei 5,0 %."


def test_a_runner_up_tied_with_the_other_end_narrows_the_ranking_to_one_each():
    rows = [("A", Figure(5.0)), ("B", Figure(5.0)), ("C", Figure(5.0)), ("D", Figure(4.0))]
    text = ranking_sentence(**QUOTE, rows=rows, higher_is_worse=None)
    assert plain(text) == (
        "Bei der SGB-II-Quote hat A (5,0 %) den höchsten Wert, D (4,0 %) den niedrigsten."
    )


def test_an_unknown_name_ranks_beim_wert():
    rows = [("Pößneck", Figure(1234.0)), ("Tanna", Figure(987.0))]
    text = ranking_sentence(
        indicator="Einwohner", unit="", decimals=0, rows=rows, higher_is_worse=None
    )
    assert text == (
        "Beim Wert „Einwohner“ hat Pößneck (1.234) den höchsten Wert, Tanna (987) den niedrigsten."
    )


# A hidden figure never shows


# Shown values of 1 to 100 give no number of five digits (at most a 9.899 % change), so any
# "dd.ddd,d" in a text would be the hidden figure.
HIDDEN = st.floats(min_value=10_000, max_value=99_999.99)
SHOWN = st.floats(min_value=1, max_value=99.99) | st.none()


@given(hidden=HIDDEN, other=HIDDEN, reference=SHOWN, years=st.lists(SHOWN, max_size=6))
def test_a_hidden_figure_never_appears_and_never_changes_the_text(hidden, other, reference, years):
    def texts(secret: float) -> list[str]:
        figure = Figure(secret, hidden=True)
        points = [(2015 + i, Figure(v)) for i, v in enumerate(years)] + [(2022, figure)]
        rows = [(f"Gemeinde {i}", Figure(v)) for i, v in enumerate(years)] + [("Geheim", figure)]
        quote = {"indicator": "SGB-II-Quote", "unit": "%", "decimals": 2}
        return [
            area_statement(
                area="Pößneck", **quote, value=figure, reference=Figure(reference), points=points
            ),
            comparison_sentence(area="Pößneck", **quote, value=Figure(reference), reference=figure),
            trend_sentence(**quote, points=points, breaks=[2017]),
            ranking_sentence(**quote, rows=rows, higher_is_worse=True),
        ]

    shown = texts(hidden)
    assert shown == texts(other)
    for text in shown:
        assert format_number(hidden, 2) not in text
        assert format_number(hidden, 1) not in text


@pytest.mark.parametrize(
    ("area", "start"),
    [
        ("Pößneck", "In Pößneck liegt"),
        ("Sozialraum Schleiz", "Im Sozialraum Schleiz liegt"),
        ("Verwaltungsgemeinschaft Triptis", "In der Verwaltungsgemeinschaft Triptis liegt"),
    ],
)
def test_place_names_with_a_common_noun_take_its_article(area, start):
    sentence = comparison_sentence(
        area=area,
        indicator="SGB-II-Quote",
        unit="%",
        decimals=1,
        value=Figure(9.8),
        reference=Figure(6.3),
    )
    assert sentence.startswith(start)


def test_a_hidden_value_of_a_social_space_names_it_with_its_article():
    sentence = comparison_sentence(
        area="Sozialraum Schleiz",
        indicator="SGB-II-Quote",
        unit="%",
        decimals=1,
        value=Figure(2.0, hidden=True),
        reference=Figure(6.3),
    )
    assert sentence.startswith("Für den Sozialraum Schleiz wird")
