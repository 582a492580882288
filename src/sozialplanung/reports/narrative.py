"""German sentences that state what an indicator's numbers say, for social reports.

Pure functions returning text; no Django, no files. Numbers come from ``charts.format_number``;
a number and its unit are joined by a no-break space (U+00A0) so a line never breaks between
them. A hidden figure (suppressed for data protection) never contributes a number to any text,
and no sentence claims more than the published figures support.
"""

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sozialplanung.reports.charts import format_number

NBSP = "\u00a0"
PERCENT = "%"

# Relative distance |value − reference| / |reference| from the reference: below LEVEL_LIMIT
# a value is "etwa auf" the reference, from CLEAR_LIMIT on "deutlich über/unter" it.
LEVEL_LIMIT = 0.05
CLEAR_LIMIT = 0.20
# Below this relative change (for units other than "%") a value counts as nearly unchanged.
STABLE_LIMIT = 0.02
# Decimals of a percent change ("um 5,3 % gestiegen").
CHANGE_DECIMALS = 1
# Float noise tolerance, so 105 against 100 counts as exactly 5 % apart.
_EPSILON = 1e-9

_FEMININE = ("die", "der", "die", "sie")
_MASCULINE = ("der", "dem", "den", "er")
_NEUTER = ("das", "dem", "das", "es")
# Head-noun endings and the words that agree with them ("-entwicklung" is covered by "-ung").
_SUFFIXES = (
    (("quote", "rate", "zahl", "dichte", "ung", "miete", "kraft", "heit", "keit"), _FEMININE),
    (("schaft",), _FEMININE),
    (("anteil", "quotient", "wert", "index", "saldo"), _MASCULINE),
    (("niveau", "einkommen", "verhältnis"), _NEUTER),
)


# Area names that begin with a common noun take its article: "im Sozialraum", "für den Landkreis".
PLACE_NOUNS = {
    "Sozialraum": ("Im", "den"),
    "Landkreis": ("Im", "den"),
    "Kreis": ("Im", "den"),
    "Verwaltungsgemeinschaft": ("In der", "die"),
    "Gemeinde": ("In der", "die"),
}


@dataclass(frozen=True)
class Figure:
    """One published number; ``hidden`` marks it as suppressed, so its value is never shown."""

    value: float | None
    hidden: bool = False

    @property
    def published(self) -> float | None:
        """The value a text may state, or ``None`` when it is hidden, missing or not finite."""
        if self.hidden or self.value is None or not math.isfinite(self.value):
            return None
        return self.value


@dataclass(frozen=True)
class Article:
    """Words that agree with an indicator name: articles by case, the pronoun and the noun.

    When the gender is unknown (``known`` is False: plurals, phrases) the noun is
    ``Wert „name“`` and the articles and pronoun agree with „der Wert“.
    """

    nominative: str
    dative: str
    accusative: str
    pronoun: str
    name: str
    known: bool = True

    @property
    def noun(self) -> str:
        return self.name if self.known else f"Wert „{self.name}“"

    @property
    def subject(self) -> str:
        return f"{self.nominative} {self.noun}"


def article(name: str) -> Article:
    """Articles and pronoun for an indicator name, from the suffix of its head noun.

    The head noun is the name's first word (its last hyphen part: "SGB-II-Quote" → Quote) when
    the rest is a lowercase qualifier ("Anteil der Kinder", "Personen mit Behinderung"); names
    with a leading adjective, plurals and unknown nouns get the neutral „der Wert „…““.
    """
    words = name.split()
    qualified = len(words) > 1 and _is_capitalised_word(words[1])
    head = "" if qualified or not words else words[0].split("-")[-1].lower()
    for suffixes, agreeing in _SUFFIXES:
        if head and head.endswith(suffixes):
            return Article(*agreeing, name=name)
    return Article(*_MASCULINE, name=name, known=False)


def comparison_sentence(
    *,
    area: str,
    indicator: str,
    unit: str,
    decimals: int,
    value: Figure,
    reference: Figure,
    reference_label: str = "dem Kreiswert",
) -> str:
    """The area's value against a reference, e.g. "… liegt … mit 9,8 % deutlich über dem Kreiswert".

    Relative distance below ``LEVEL_LIMIT`` (5 %) → "etwa auf", below ``CLEAR_LIMIT`` (20 %) →
    "über"/"unter", otherwise "deutlich über/unter". Values that look equal at ``decimals`` are
    always "etwa auf". Against a reference of 0 a distance of at most one rounding step
    (10**-decimals) is "etwa auf" and more is "deutlich". A hidden or missing value gives a
    sentence without a number; a hidden or missing reference gives the value alone.
    """
    words = article(indicator)
    return _sentence(
        _comparison_clause(words, area, unit, decimals, value, reference, reference_label)
    )


def trend_sentence(
    *,
    indicator: str,
    unit: str,
    decimals: int,
    points: Sequence[tuple[int, Figure]],
    breaks: Collection[int] = (),
) -> str:
    """The change from the first to the last published year, or "" when there is no such pair.

    For unit "%" the change is in Prozentpunkte, "nahezu unverändert" when it rounds to 0 at
    ``decimals``; for other units it is a percent change, "nahezu unverändert" below
    ``STABLE_LIMIT`` (2 %), but in the unit itself when the series starts at 0 or goes negative.
    The change never spans a series break: it starts at the last break year after the first
    year. A hidden or missing latest year turns "seit 2018" into "von 2018 bis 2021".
    """
    words = article(indicator)
    return _sentence(_trend_clause(words.subject, unit, decimals, points, breaks))


def area_statement(
    *,
    area: str,
    indicator: str,
    unit: str,
    decimals: int,
    value: Figure,
    reference: Figure,
    points: Sequence[tuple[int, Figure]] = (),
    breaks: Collection[int] = (),
    reference_label: str = "dem Kreiswert",
) -> str:
    """Comparison and trend in one sentence joined by "; ", the trend referring back by pronoun.

    When the area's value is hidden or missing, the trend (if any) follows as its own sentence.
    """
    words = article(indicator)
    comparison = _comparison_clause(words, area, unit, decimals, value, reference, reference_label)
    trend = _trend_clause(words.pronoun, unit, decimals, points, breaks)
    if not trend:
        return _sentence(comparison)
    if value.published is None:
        return f"{_sentence(comparison)} {_sentence(trend)}"
    return _sentence(f"{comparison}; {trend}")


def ranking_sentence(
    *,
    indicator: str,
    unit: str,
    decimals: int,
    rows: Sequence[tuple[str, Figure]],
    higher_is_worse: bool | None,
) -> str:
    """The areas with the highest and lowest published values, two each (one each below four).

    Hidden and missing values are left out; fewer than two published values give "".
    ``higher_is_worse`` adds "ungünstigsten"/"günstigsten"; ``None`` keeps the ranking neutral.
    """
    ranked = sorted(
        ((figure.published, name) for name, figure in rows if figure.published is not None),
        key=lambda pair: (-pair[0], pair[1]),
    )
    if len(ranked) < 2:
        return ""
    words = article(indicator)
    at = f"Bei {words.dative} {words.noun}".replace("Bei dem ", "Beim ", 1)
    highest, lowest = ranked[0][0], ranked[-1][0]
    if _shown_equal(highest, lowest, decimals):
        shown = _with_unit(format_number(highest, decimals), unit)
        return _sentence(f"{at} liegen alle veröffentlichten Werte bei {shown}")
    count = 2 if len(ranked) >= 4 else 1
    if count == 2 and _shown_equal(ranked[1][0], ranked[-2][0], decimals):
        count = 1  # a runner-up shared by both ends would be called high and low at once
    top = _listing(ranked[:count], unit, decimals)
    bottom = _listing(ranked[::-1][:count], unit, decimals)
    high_word, low_word = _judgements(higher_is_worse)
    if count == 1:
        return _sentence(
            f"{at} hat {top} den höchsten{high_word} Wert, {bottom} den niedrigsten{low_word}"
        )
    return _sentence(
        f"{at} haben {top} die höchsten{high_word} Werte, {bottom} die niedrigsten{low_word}"
    )


def _comparison_clause(
    words: Article,
    area: str,
    unit: str,
    decimals: int,
    value: Figure,
    reference: Figure,
    reference_label: str,
) -> str:
    if value.hidden:
        return (
            f"Für {_place(area, 'für')} wird {words.subject} aus Datenschutzgründen nicht "
            "veröffentlicht (kleine Fallzahlen)"
        )
    own = value.published
    if own is None:
        target = f"{words.accusative} {words.noun}" if words.known else f"„{words.name}“"
        return f"Für {_place(area, 'für')} liegt für {target} kein Wert vor"
    shown = _with_unit(format_number(own, decimals), unit)
    other = reference.published
    if other is None:
        return f"{_place(area, 'in')} liegt {words.subject} bei {shown}"
    position = _position(own, other, decimals)
    other_shown = _with_unit(format_number(other, decimals), unit)
    compared = f"{position} {reference_label} von {other_shown}"
    return f"{_place(area, 'in')} liegt {words.subject} mit {shown} {compared}"


def _place(area: str, preposition: str) -> str:
    """ "In Pößneck" / "Im Sozialraum Schleiz"; with "für": "Pößneck" / "den Sozialraum Schleiz"."""
    articles = PLACE_NOUNS.get(area.split(" ", 1)[0])
    if preposition == "in":
        return f"{articles[0]} {area}" if articles else f"In {area}"
    return f"{articles[1]} {area}" if articles else area


def _position(value: float, reference: float, decimals: int) -> str:
    """ "deutlich über", "über", "etwa auf", "unter" or "deutlich unter" (see the thresholds)."""
    if _shown_equal(value, reference, decimals):
        return "etwa auf"
    if reference == 0:
        level = abs(value) <= 10.0**-decimals + _EPSILON
        distance = 0.0 if level else math.inf
    else:
        distance = abs(value - reference) / abs(reference) + _EPSILON
    if distance < LEVEL_LIMIT:
        return "etwa auf"
    direction = "über" if value > reference else "unter"
    return f"deutlich {direction}" if distance >= CLEAR_LIMIT else direction


def _trend_clause(
    subject: str,
    unit: str,
    decimals: int,
    points: Sequence[tuple[int, Figure]],
    breaks: Collection[int],
) -> str:
    published = sorted((year, f.published) for year, f in points if f.published is not None)
    if len(published) < 2:
        return ""
    first_year, last_year = published[0][0], published[-1][0]
    crossed = [year for year in breaks if first_year < year <= last_year]
    if crossed:
        published = [(year, v) for year, v in published if year >= max(crossed)]
        if len(published) < 2:
            return ""
    (start, first), (end, last) = published[0], published[-1]
    latest = max(year for year, _ in points)
    since = f"seit {start}" if end == latest else f"von {start} bis {end}"
    change = _change(first, last, unit, decimals)
    if change is None:
        return f"{since} ist {subject} nahezu unverändert geblieben"
    direction = "gestiegen" if last > first else "gesunken"
    return f"{since} ist {subject} um {change} {direction}"


def _change(first: float, last: float, unit: str, decimals: int) -> str | None:
    """The size of the change as text, or ``None`` when it counts as nearly unchanged."""
    difference = round(last - first, 10)  # 6.3 - 6.25 is 0.05, not 0.04999…
    if unit == PERCENT:
        amount = format_number(abs(difference), decimals)
        if amount == format_number(0, decimals):
            return None
        return f"{amount}{NBSP}{'Prozentpunkt' if amount == '1' else 'Prozentpunkte'}"
    if first > 0 and last >= 0:
        relative = abs(difference) / first
        if relative + _EPSILON < STABLE_LIMIT:
            return None
        return _with_unit(format_number(relative * 100, CHANGE_DECIMALS), PERCENT)
    amount = format_number(abs(difference), decimals)
    return None if amount == format_number(0, decimals) else _with_unit(amount, unit)


def _listing(ranked: Sequence[tuple[float, str]], unit: str, decimals: int) -> str:
    named = [f"{name} ({_with_unit(format_number(v, decimals), unit)})" for v, name in ranked]
    return " und ".join(named)


def _judgements(higher_is_worse: bool | None) -> tuple[str, str]:
    if higher_is_worse is None:
        return "", ""
    worse, better = " und damit ungünstigsten", " und damit günstigsten"
    return (worse, better) if higher_is_worse else (better, worse)


def _shown_equal(first: float, second: float, decimals: int) -> bool:
    return format_number(first, decimals) == format_number(second, decimals)


def _with_unit(number: str, unit: str) -> str:
    return f"{number}{NBSP}{unit}" if unit else number


def _is_capitalised_word(word: str) -> bool:
    """True for a word like "Einkommen" (so the word before it is an adjective), not "U3"."""
    return word[:1].isupper() and any(char.islower() for char in word[1:])


def _sentence(clause: str) -> str:
    return f"{clause[:1].upper()}{clause[1:]}." if clause else ""
