"""Accessible, print-quality SVG charts for web pages (inline) and PDF reports (typst embeds SVG).

Pure functions returning standalone SVG text; no Django, no files. Numbers appear in German
format. Every visible word comes from the caller (title, labels, unit, description), so the
translation of texts stays with the caller; without a description a data summary is used.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from xml.etree.ElementTree import Element

from sozialplanung.reports import svg

EMPHASIS_COLOUR = "#1f5f5b"
# Colour-blind-safe companions of the emphasis colour; dash patterns separate them without colour.
COLOURS = ("#c8662b", "#5479ad", "#6b6b6b")
DASHES = ("7 4", "2 3", "10 3 2 3", "4 2", "1 3")
LIGHT_BAR_COLOUR = "#a9bfbd"
MUTED_COLOUR = "#555555"
GRID_COLOUR = "#dddddd"
AXIS_COLOUR = "#8a8a8a"
MISSING = "–"
MINUS = "\u2212"  # the typographic minus sign, as wide as a plus

FONT_SIZE = 12
TITLE_FONT_SIZE = 15
MARGIN = 12
ZERO_REACH = 0.4  # the y axis starts at 0 when that lengthens it by at most 40 % of the data range
LEGEND_ROW = 20
BAR_ROW = 20
BAR_THICKNESS = 14


@dataclass(frozen=True)
class Series:
    """One line of a line chart: ``(year, value)`` points; a value of ``None`` is a gap.

    ``emphasis`` marks the area the chart is about (thick, dark, solid); the others, such as the
    county as reference, are drawn thinner and dashed.
    """

    label: str
    points: Sequence[tuple[int | float, float | None]]
    emphasis: bool = False


@dataclass(frozen=True)
class _Style:
    colour: str
    dash: str | None
    stroke_width: float
    marker_radius: float


def format_number(value: float, decimals: int) -> str:
    """``value`` in German notation: decimal comma, thousands point (``1.234,5``).

    Rounds half away from zero on the shortest decimal form of the float (2.5 → 3, 1.005 → 1,01),
    as German statistical offices do. Negative numbers take the typographic minus ``−``
    (U+2212); a value that rounds to zero has no sign (−0.04 → ``0,0``). NaN and infinities
    give ``–``.
    """
    if decimals < 0:
        raise ValueError(f"decimals must be 0 or more, got {decimals}")
    if not math.isfinite(value):
        return MISSING
    with localcontext() as context:
        context.prec = 400  # enough for every finite float at any sensible number of decimals
        rounded = Decimal(repr(float(value))).quantize(
            Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP
        )
    text = f"{abs(rounded):,.{decimals}f}".translate(str.maketrans(",.", ".,"))
    return MINUS + text if rounded < 0 else text


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering ``[low, high]``, ascending and evenly spaced.

    The step is 1, 2, 2.5 or 5 × 10^n and gives ``count`` ± 1 ticks; among such steps the one
    whose ticks span the narrowest range wins, 2.5 steps counting as 10 % wider because their
    multiples read less easily; ties go to the tick count nearest ``count``.
    The first tick is a multiple of the step at or below ``low``, the last one at or above
    ``high``. Equal bounds are widened by 10 % (to 0 … 1 for zero).
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"nice_ticks needs finite bounds, got {low} and {high}")
    if low > high:
        raise ValueError(f"nice_ticks needs low <= high, got {low} > {high}")
    if count < 2:
        raise ValueError(f"nice_ticks needs a count of 2 or more, got {count}")
    largest = max(abs(low), abs(high))
    if high - low <= 4 * math.ulp(largest):  # equal, up to the float resolution
        pad = largest * 0.1
        low, high = (low - pad, high + pad) if pad else (0.0, 1.0)
    span = high - low
    magnitude = math.floor(math.log10(span / count))
    candidates = []
    for exponent in range(magnitude - 1, magnitude + 3):
        for mantissa in (1, 2, 2.5, 5):
            step = mantissa * 10.0**exponent
            # The tolerance keeps 0.3 / 0.1 = 2.9999999999999996 from adding a tick below 0.3.
            first = math.floor(low / step + 1e-9)
            last = math.ceil(high / step - 1e-9)
            ticks = last - first + 1
            misfit = max(0, abs(ticks - count) - 1)
            covered = round((last - first) * step / span + (0.1 if mantissa == 2.5 else 0), 9)
            digits = max(0, -exponent + (1 if mantissa == 2.5 else 0))
            candidates.append((misfit, covered, abs(ticks - count), step, first, ticks, digits))
    *_, step, first, ticks, digits = min(candidates)
    return [round((first + index) * step, digits) + 0.0 for index in range(ticks)]


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    unit: str,
    width: int = 640,
    height: int = 300,
    decimals: int = 1,
    description: str = "",
) -> str:
    """A line chart over years as a standalone SVG string.

    The x axis has a tick at every year present in any series. The y axis has nice round ticks
    (see ``nice_ticks``); it starts at 0 when all values are 0 or more and 0 lies within 40 %
    of the data range below the minimum; otherwise it starts at a round number just below the
    minimum, so a line chart of, say, 80–90 % shows its changes. Gaps (``None``) break the line
    and carry no marker. Each marker names its series, year and value on hover.
    """
    values = [value for line in series for _, value in line.points if _known(value)]
    if not values:
        raise ValueError("line_chart needs at least one point with a value")
    years = sorted({year for line in series for year, _ in line.points})
    ticks = nice_ticks(*_axis_range(values))
    tick_decimals = max(decimals, _step_decimals(ticks[1] - ticks[0]))
    tick_labels = [format_number(tick, tick_decimals) for tick in ticks]
    styles = _line_styles(series)

    root = svg.document(
        width=width,
        height=height,
        title=title,
        description=description or _line_summary(series, unit, decimals),
    )
    top = _heading(root, title, unit, width)
    legend_rows = _legend_layout([line.label for line in series], width - 2 * MARGIN)
    legend_top = height - MARGIN - len(legend_rows) * LEGEND_ROW
    plot_top = top + 10
    plot_bottom = max(plot_top + 40, legend_top - 30)
    plot_left = MARGIN + max(svg.text_width(label, FONT_SIZE) for label in tick_labels) + 8
    plot_right = width - MARGIN - svg.text_width("2000", FONT_SIZE) / 2

    def y_of(value: float) -> float:
        share = (value - ticks[0]) / (ticks[-1] - ticks[0])
        return plot_bottom - share * (plot_bottom - plot_top)

    inset = 10  # keeps the first and last markers off the plot edges
    first_year, last_year = years[0], years[-1]

    def x_of(year: float) -> float:
        if last_year == first_year:
            return (plot_left + plot_right) / 2
        share = (year - first_year) / (last_year - first_year)
        return plot_left + inset + share * (plot_right - plot_left - 2 * inset)

    _y_axis(root, ticks, tick_labels, y_of, plot_left, plot_right)
    _x_axis(root, years, x_of, plot_left, plot_right, plot_bottom)
    order = sorted(range(len(series)), key=lambda index: series[index].emphasis)
    for index in order:  # emphasised lines last, so they lie on top
        _draw_series(root, series[index], styles[index], x_of, y_of, unit, decimals)
    _draw_legend(root, series, styles, legend_rows, legend_top)
    return svg.serialise(root)


def bar_chart(
    bars: Sequence[tuple[str, float | None]],
    *,
    title: str,
    unit: str,
    reference: float | None = None,
    reference_label: str = "",
    highlight: str | None = None,
    width: int = 640,
    decimals: int = 1,
    description: str = "",
) -> str:
    """A horizontal bar chart, one row per label, as a standalone SVG string.

    Bars start at 0 (negative values extend to the left); each ends in its value, and a missing
    value shows ``–`` and no bar. ``reference`` adds a dashed vertical line, e.g. the county
    value, labelled ``reference_label``. The ``highlight`` bar is drawn in the emphasis colour and
    its label in bold, the others in a light tone; without a highlight all bars are emphasised.
    The height follows from the number of bars.
    """
    if not bars:
        raise ValueError("bar_chart needs at least one bar")
    labels = [label for label, _ in bars]
    if highlight is not None and highlight not in labels:
        raise ValueError(f"highlight {highlight!r} is not among the bar labels")
    values = [value if _known(value) else None for _, value in bars]
    known = [value for value in values if value is not None]
    if reference is not None:
        known.append(reference)
    low, high = min([0.0, *known]), max([0.0, *known])
    if low == high:
        high = 1.0
    value_labels = [MISSING if v is None else format_number(v, decimals) for v in values]
    value_width = max(svg.text_width(text, FONT_SIZE) for text in value_labels) + 6
    label_width = min(
        max(svg.text_width(label, FONT_SIZE) for label in labels), 0.4 * (width - 2 * MARGIN)
    )
    reference_text = ""
    if reference is not None:
        number = format_number(reference, decimals)
        reference_text = f"{reference_label}: {number}" if reference_label else number

    root = svg.document(
        width=width,
        height=0,  # known once the rows are laid out
        title=title,
        description=description or _bar_summary(bars, unit, decimals, reference_text),
    )
    top = _heading(root, title, unit, width) + (20 if reference is not None else 4)
    bottom = top + len(bars) * BAR_ROW
    svg.resize(root, width, math.ceil(bottom + MARGIN))
    label_right = MARGIN + label_width
    plot_left = label_right + 8 + (value_width if low < 0 else 0)
    plot_right = width - MARGIN - value_width

    def x_of(value: float) -> float:
        return plot_left + (value - low) / (high - low) * (plot_right - plot_left)

    for row, (label, value) in enumerate(zip(labels, values, strict=True)):
        emphasised = highlight is None or label == highlight
        middle = top + row * BAR_ROW + BAR_ROW / 2
        weight = "bold" if highlight is not None and label == highlight else None
        shown = svg.shorten(label, label_width, FONT_SIZE)
        text = svg.add(
            root, "text", shown, x=label_right, y=middle + 4, text_anchor="end", font_weight=weight
        )
        if shown != label:
            svg.add(text, "title", label)
        end = x_of(value if value is not None else 0.0)
        if value is not None:
            bar = svg.add(
                root,
                "rect",
                class_="bar",
                x=min(x_of(0.0), end),
                y=middle - BAR_THICKNESS / 2,
                width=abs(end - x_of(0.0)),
                height=BAR_THICKNESS,
                fill=EMPHASIS_COLOUR if emphasised else LIGHT_BAR_COLOUR,
            )
            svg.add(bar, "title", f"{label}: {_with_unit(value_labels[row], unit)}")
        negative = value is not None and value < 0
        svg.add(
            root,
            "text",
            value_labels[row],
            class_="value",
            x=end - 4 if negative else end + 4,
            y=middle + 4,
            text_anchor="end" if negative else "start",
            font_weight=weight,
            # A white halo keeps the reference line from striking through the number.
            stroke="#ffffff",
            stroke_width=3,
            paint_order="stroke",
        )
    svg.add(root, "line", x1=x_of(0.0), x2=x_of(0.0), y1=top, y2=bottom, stroke=AXIS_COLOUR)
    if reference is not None:
        _reference_line(root, x_of(reference), top, bottom, reference_text, width)
    return svg.serialise(root)


def _known(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _step_decimals(step: float) -> int:
    """The decimals needed to write multiples of ``step`` exactly (0.25 → 2, 50 → 0)."""
    digits = 0
    while not math.isclose(round(step, digits), step, rel_tol=1e-9):
        digits += 1
    return digits


def _axis_range(values: Sequence[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if low >= 0 and (low <= ZERO_REACH * (high - low) or low == high):
        return 0.0, high
    return low, high


def _line_styles(series: Sequence[Series]) -> list[_Style]:
    """Emphasised lines thick, dark and solid; the others in turn in the companion colours,
    dashed. Without any emphasis the first line takes the dark solid style."""
    emphasis = _Style(EMPHASIS_COLOUR, None, 3.0, 4.0)
    any_emphasis = any(line.emphasis for line in series)
    styles, others = [], 0
    for index, line in enumerate(series):
        if line.emphasis or (not any_emphasis and index == 0):
            styles.append(emphasis)
            continue
        colour, dash = COLOURS[others % len(COLOURS)], DASHES[others % len(DASHES)]
        styles.append(_Style(colour, dash, 1.75, 3.0))
        others += 1
    return styles


def _heading(root: Element, title: str, unit: str, width: float) -> float:
    """Draw the title (wrapped) and the unit below it; return the y where they end."""
    y = MARGIN
    for line in svg.wrap(title, width - 2 * MARGIN, TITLE_FONT_SIZE):
        y += TITLE_FONT_SIZE * 1.25
        svg.add(
            root, "text", line, x=MARGIN, y=y - 3, font_size=TITLE_FONT_SIZE, font_weight="bold"
        )
    if unit:
        y += FONT_SIZE * 1.5
        svg.add(root, "text", unit, class_="unit", x=MARGIN, y=y - 2, fill=MUTED_COLOUR)
    return y


def _y_axis(root, ticks, tick_labels, y_of, plot_left: float, plot_right: float) -> None:
    for tick, label in zip(ticks, tick_labels, strict=True):
        y = y_of(tick)
        colour = AXIS_COLOUR if tick == 0 else GRID_COLOUR
        svg.add(root, "line", x1=plot_left, x2=plot_right, y1=y, y2=y, stroke=colour)
        svg.add(root, "text", label, class_="y-tick", x=plot_left - 6, y=y + 4, text_anchor="end")


def _x_axis(root, years, x_of, plot_left: float, plot_right: float, bottom: float) -> None:
    """A tick at every year; a label at every year, or when crowded at every 2nd, 5th, 10th …
    counted back from the latest year, which is always labelled."""
    svg.add(root, "line", x1=plot_left, x2=plot_right, y1=bottom, y2=bottom, stroke=AXIS_COLOUR)
    for year in years:
        x = x_of(year)
        svg.add(
            root, "line", class_="x-tick", x1=x, x2=x, y1=bottom, y2=bottom + 4, stroke=AXIS_COLOUR
        )
    room = max(svg.text_width(_year(year), FONT_SIZE) for year in years) + 8
    for every in (1, 2, 5, 10, 20, 50, 100):
        labelled = years[::-1][::every]
        gaps = [x_of(a) - x_of(b) for a, b in zip(labelled, labelled[1:], strict=False)]
        if min(gaps, default=room) >= room:
            break
    for year in reversed(labelled):
        label = _year(year)
        svg.add(
            root, "text", label, class_="x-tick", x=x_of(year), y=bottom + 18, text_anchor="middle"
        )


def _draw_series(root, line: Series, style: _Style, x_of, y_of, unit, decimals) -> None:
    group = svg.add(root, "g", class_="series", data_label=line.label)
    for run in _runs(line.points):
        if len(run) < 2:
            continue  # a lone value shows as its marker
        svg.add(
            group,
            "polyline",
            points=" ".join(f"{svg.coordinate(x_of(x))},{svg.coordinate(y_of(y))}" for x, y in run),
            fill="none",
            stroke=style.colour,
            stroke_width=style.stroke_width,
            stroke_dasharray=style.dash,
            stroke_linejoin="round",
            stroke_linecap="butt" if style.dash else "round",
        )
    for x, y in sorted(line.points, key=lambda point: point[0]):
        if not _known(y):
            continue
        marker = svg.add(
            group,
            "circle",
            class_="marker",
            cx=x_of(x),
            cy=y_of(y),
            r=style.marker_radius,
            fill=style.colour,
            stroke="#ffffff",
            stroke_width=1,
        )
        value = _with_unit(format_number(y, decimals), unit)
        svg.add(marker, "title", f"{line.label}, {_year(x)}: {value}")


def _runs(points) -> list[list[tuple[float, float]]]:
    """The points in year order, split into runs of known values at every gap."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in sorted(points, key=lambda point: point[0]):
        if _known(y):
            runs[-1].append((x, y))
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def _legend_layout(labels: Sequence[str], width: float) -> list[list[tuple[int, float]]]:
    """Legend items (index, x offset) per row, wrapped to ``width``."""
    rows: list[list[tuple[int, float]]] = [[]]
    x = 0.0
    for index, label in enumerate(labels):
        item = 34 + svg.text_width(label, FONT_SIZE)
        if rows[-1] and x + item > width:
            rows.append([])
            x = 0.0
        rows[-1].append((index, x))
        x += item + 18
    return rows


def _draw_legend(root, series, styles, rows, top: float) -> None:
    legend = svg.add(root, "g", class_="legend")
    for number, row in enumerate(rows):
        y = top + number * LEGEND_ROW + LEGEND_ROW / 2
        for index, offset in row:
            style, x = styles[index], MARGIN + offset
            svg.add(
                legend,
                "line",
                x1=x,
                x2=x + 28,
                y1=y,
                y2=y,
                stroke=style.colour,
                stroke_width=style.stroke_width,
                stroke_dasharray=style.dash,
            )
            svg.add(legend, "circle", cx=x + 14, cy=y, r=style.marker_radius, fill=style.colour)
            svg.add(legend, "text", series[index].label, x=x + 34, y=y + 4)


def _reference_line(root, x: float, top: float, bottom: float, text: str, width: float) -> None:
    svg.add(
        root,
        "line",
        class_="reference",
        x1=x,
        x2=x,
        y1=top - 4,
        y2=bottom,
        stroke="#333333",
        stroke_width=1.5,
        stroke_dasharray="4 3",
    )
    half = svg.text_width(text, FONT_SIZE) / 2
    anchor = "middle"
    if x + half > width - MARGIN:
        anchor = "end"
    elif x - half < MARGIN:
        anchor = "start"
    svg.add(root, "text", text, class_="reference-label", x=x, y=top - 8, text_anchor=anchor)


def _year(x: float) -> str:
    """A year as written on an axis: 2019, never 2.019."""
    return str(int(x)) if float(x).is_integer() else str(x)


def _with_unit(number: str, unit: str) -> str:
    return f"{number} {unit}" if unit and number != MISSING else number


def _line_summary(series: Sequence[Series], unit: str, decimals: int) -> str:
    """A text alternative from the data: each line's first and last known value."""
    parts = []
    for line in series:
        known = sorted((x, y) for x, y in line.points if _known(y))
        if not known:
            continue
        ends = [known[0], known[-1]] if len(known) > 1 else known
        values = ", ".join(
            f"{_year(x)}: {_with_unit(format_number(y, decimals), unit)}" for x, y in ends
        )
        parts.append(f"{line.label} {values}")
    return "; ".join(parts)


def _bar_summary(bars, unit: str, decimals: int, reference_text: str) -> str:
    parts = [
        f"{label}: {_with_unit(format_number(value, decimals), unit) if _known(value) else MISSING}"
        for label, value in bars
    ]
    if reference_text:
        parts.append(_with_unit(reference_text, unit))
    return "; ".join(parts)
