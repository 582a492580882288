"""SVG charts for the composite social index: rank intervals and Sobol sensitivity indices.

Same conventions as :mod:`sozialplanung.reports.charts`: pure functions returning standalone,
accessible SVG text, numbers in German format, widths in px that print well. The axis and legend
wording has German defaults that the caller may replace.
"""

import math
from collections.abc import Sequence

from sozialplanung.reports import svg
from sozialplanung.reports.charts import (
    AXIS_COLOUR,
    BAR_ROW,
    EMPHASIS_COLOUR,
    FONT_SIZE,
    GRID_COLOUR,
    LIGHT_BAR_COLOUR,
    MARGIN,
    MUTED_COLOUR,
    _heading,
    _step_decimals,
    format_number,
    nice_ticks,
)

RANK_AXIS_LABEL = "Rang (1 = höchster Bedarf)"
SENSITIVITY_LEGEND = ("Haupteffekt (S1)", "Gesamteffekt (ST)")
HIGHLIGHT_BAND = "#e6efee"  # a pale tint of the emphasis colour behind the highlighted row
DOT_COLOUR = "#444444"
INTERVAL_WIDTH = 4
SMALL_FONT_SIZE = 11
SENSITIVITY_BAR = 11
SENSITIVITY_ROW = 2 * SENSITIVITY_BAR + 10


def rank_interval_chart(
    items: Sequence[tuple[str, float, float, float]],
    *,
    title: str,
    description: str = "",
    highlight: str | None = None,
    width: int = 640,
    axis_label: str = RANK_AXIS_LABEL,
) -> str:
    """Ranks with their uncertainty intervals, one row per area, as a standalone SVG string.

    ``items`` are ``(label, median rank, low, high)``, e.g. the median and the 5 % and 95 %
    percentiles of the Monte Carlo ranks, drawn in the given order: a line from low to high and
    a dot at the median. The x axis runs from rank 1 (left) to ``n`` (right), ``n`` being the
    number of items or the highest rank given, with integer ticks. The ``highlight`` row has its
    label in bold in the emphasis colour, a dark interval and a pale band behind it. Each row
    names its label, median and interval on hover. The height follows from the number of rows.
    """
    if not items:
        raise ValueError("rank_interval_chart needs at least one item")
    labels = [label for label, *_ in items]
    if highlight is not None and highlight not in labels:
        raise ValueError(f"highlight {highlight!r} is not among the item labels")
    for label, median, low, high in items:
        if not all(math.isfinite(value) for value in (median, low, high)):
            raise ValueError(f"the ranks of {label!r} must be finite")
        if not 1 <= low <= median <= high:
            raise ValueError(
                f"the ranks of {label!r} need 1 <= low <= median <= high, "
                f"got {median:g} in {low:g} to {high:g}"
            )
    last = max(len(items), math.ceil(max(high for *_, high in items)))
    last_label_width = svg.text_width(format_number(last, 0), FONT_SIZE)

    root = svg.document(
        width=width,
        height=0,  # known once the rows are laid out
        title=title,
        description=description or "; ".join(_rank_text(*item) for item in items),
    )
    top = _heading(root, title, "", width) + 8
    bottom = top + len(items) * BAR_ROW
    svg.resize(root, width, math.ceil(bottom + 44 + MARGIN))
    label_width = min(
        max(svg.text_width(label, FONT_SIZE) for label in labels), 0.4 * (width - 2 * MARGIN)
    )
    label_right = MARGIN + label_width
    plot_left = label_right + 10
    plot_right = width - MARGIN - last_label_width / 2
    inset = 8  # keeps the dots and interval ends off the plot edges
    per_rank = (plot_right - plot_left - 2 * inset) / max(1, last - 1)
    ticks = _rank_ticks(last, per_rank, last_label_width)
    tick_labels = [format_number(tick, 0) for tick in ticks]

    def x_of(rank: float) -> float:
        if last == 1:
            return (plot_left + plot_right) / 2
        share = (rank - 1) / (last - 1)
        return plot_left + inset + share * (plot_right - plot_left - 2 * inset)

    for row, label in enumerate(labels):
        if label == highlight:
            svg.add(
                root,
                "rect",
                class_="highlight",
                x=MARGIN - 4,
                y=top + row * BAR_ROW,
                width=plot_right - MARGIN + 8,
                height=BAR_ROW,
                fill=HIGHLIGHT_BAND,
            )
    _vertical_grid(root, ticks, tick_labels, x_of, top, bottom, plot_left, plot_right)
    svg.add(
        root,
        "text",
        axis_label,
        class_="axis-label",
        x=(plot_left + plot_right) / 2,
        y=bottom + 36,
        text_anchor="middle",
        fill=MUTED_COLOUR,
    )
    for row, (label, median, low, high) in enumerate(items):
        emphasised = label == highlight
        middle = top + row * BAR_ROW + BAR_ROW / 2
        group = svg.add(root, "g", class_="rank", data_label=label)
        svg.add(group, "title", _rank_text(label, median, low, high))
        _row_label(group, label, label_width, label_right, middle, emphasised)
        svg.add(
            group,
            "line",
            class_="interval",
            x1=x_of(low),
            x2=x_of(high),
            y1=middle,
            y2=middle,
            stroke=EMPHASIS_COLOUR if emphasised else LIGHT_BAR_COLOUR,
            stroke_width=INTERVAL_WIDTH,
            stroke_linecap="round",
        )
        svg.add(
            group,
            "circle",
            class_="dot",
            cx=x_of(median),
            cy=middle,
            r=5 if emphasised else 4,
            fill=EMPHASIS_COLOUR if emphasised else DOT_COLOUR,
            # The white ring sets the dot off from an interval of the same colour.
            stroke="#ffffff",
            stroke_width=1.5,
        )
    return svg.serialise(root)


def sensitivity_chart(
    rows: Sequence[tuple[str, float, float]],
    *,
    title: str,
    description: str = "",
    width: int = 640,
    legend: tuple[str, str] = SENSITIVITY_LEGEND,
    decimals: int = 2,
) -> str:
    """Sobol indices as grouped horizontal bars, one pair per factor, as a standalone SVG string.

    ``rows`` are ``(label, first-order S1, total ST)``, drawn in the given order: S1 as a light
    bar above ST as a dark one, each ending in its value; a legend above the plot names them.
    The x axis runs from 0 to 1, or to the largest value when an estimate exceeds 1. Estimates
    below 0 (sampling noise around a zero effect) are drawn as empty bars at 0 and keep their
    true value in the text and on hover. The height follows from the number of factors.
    """
    if not rows:
        raise ValueError("sensitivity_chart needs at least one factor")
    for label, first, total in rows:
        if not (math.isfinite(first) and math.isfinite(total)):
            raise ValueError(f"the sensitivity indices of {label!r} must be finite")
    labels = [label for label, *_ in rows]
    ticks = nice_ticks(0.0, max(1.0, *(value for _, *pair in rows for value in pair)))
    tick_labels = [format_number(tick, _step_decimals(ticks[1] - ticks[0])) for tick in ticks]
    value_labels = [[format_number(value, decimals) for value in pair] for _, *pair in rows]
    value_width = max(
        svg.text_width(text, SMALL_FONT_SIZE) for pair in value_labels for text in pair
    )
    names = list(legend)

    root = svg.document(
        width=width,
        height=0,  # known once the rows are laid out
        title=title,
        description=description
        or "; ".join(
            f"{label}: {names[0]} {first_text}, {names[1]} {total_text}"
            for label, (first_text, total_text) in zip(labels, value_labels, strict=True)
        ),
    )
    fills = (LIGHT_BAR_COLOUR, EMPHASIS_COLOUR)
    legend_top = _heading(root, title, "", width) + 6
    _sensitivity_legend(root, names, fills, legend_top)
    top = legend_top + 30
    bottom = top + len(rows) * SENSITIVITY_ROW
    svg.resize(root, width, math.ceil(bottom + 24 + MARGIN))
    label_width = min(
        max(svg.text_width(label, FONT_SIZE) for label in labels), 0.4 * (width - 2 * MARGIN)
    )
    label_right = MARGIN + label_width
    plot_left = label_right + 10
    plot_right = (
        width - MARGIN - max(value_width + 4, svg.text_width(tick_labels[-1], FONT_SIZE) / 2)
    )

    def x_of(value: float) -> float:
        return plot_left + value / ticks[-1] * (plot_right - plot_left)

    _vertical_grid(root, ticks, tick_labels, x_of, top, bottom, plot_left, plot_right)
    for row, (label, first, total) in enumerate(rows):
        middle = top + row * SENSITIVITY_ROW + SENSITIVITY_ROW / 2
        group = svg.add(root, "g", class_="factor", data_label=label)
        _row_label(group, label, label_width, label_right, middle, False)
        for bar, (name, value, fill) in enumerate(zip(names, (first, total), fills, strict=True)):
            y = middle - SENSITIVITY_BAR - 0.5 + bar * (SENSITIVITY_BAR + 1)
            end = x_of(max(0.0, value))
            rect = svg.add(
                group,
                "rect",
                class_="bar",
                x=plot_left,
                y=y,
                width=end - plot_left,
                height=SENSITIVITY_BAR,
                fill=fill,
            )
            svg.add(rect, "title", f"{label}, {name}: {value_labels[row][bar]}")
            svg.add(
                group,
                "text",
                value_labels[row][bar],
                class_="value",
                x=end + 4,
                y=y + SENSITIVITY_BAR - 1.5,
                font_size=SMALL_FONT_SIZE,
            )
    svg.add(root, "line", x1=plot_left, x2=plot_left, y1=top, y2=bottom, stroke=AXIS_COLOUR)
    return svg.serialise(root)


def _rank_ticks(last: int, per_rank: float, label_width: float) -> list[int]:
    """Integer ticks for ranks 1 … ``last``, ``per_rank`` px apart per rank.

    The step is the smallest of 1, 2, 5, 10, 20 … that gives at most 12 ticks at least
    ``label_width`` + 10 px apart. The ticks are 1 and the multiples of the step, or with a step
    of 2 the odd ranks 1, 3, 5 …; ``last`` is added when more than half a step from the last.
    """
    for step in (mantissa * 10**exponent for exponent in range(12) for mantissa in (1, 2, 5)):
        if math.ceil(last / step) <= 12 and step * per_rank >= label_width + 10:
            break
    multiples = range(1 if step <= 2 else step, last + 1, step)
    ticks = sorted({1, *multiples})
    if last - ticks[-1] > step / 2:
        ticks.append(last)
    return ticks


def _rank(value: float) -> str:
    """A rank as written: 3, or 2,5 for a tie or an interpolated percentile."""
    return format_number(value, 0 if float(value).is_integer() else 1)


def _rank_text(label: str, median: float, low: float, high: float) -> str:
    return f"{label}: Median Rang {_rank(median)}, Intervall {_rank(low)}–{_rank(high)}"


def _row_label(parent, label: str, width: float, right: float, middle: float, bold: bool) -> None:
    """The row label right-aligned before the plot, shortened with the full label on hover."""
    shown = svg.shorten(label, width, FONT_SIZE)
    text = svg.add(
        parent,
        "text",
        shown,
        class_="label",
        x=right,
        y=middle + 4,
        text_anchor="end",
        font_weight="bold" if bold else None,
        fill=EMPHASIS_COLOUR if bold else None,
    )
    if shown != label:
        svg.add(text, "title", label)


def _vertical_grid(root, ticks, tick_labels, x_of, top, bottom, plot_left, plot_right) -> None:
    """Grid lines at the ticks over the rows, and the x axis with its tick labels below."""
    for tick, label in zip(ticks, tick_labels, strict=True):
        x = x_of(tick)
        svg.add(root, "line", x1=x, x2=x, y1=top, y2=bottom, stroke=GRID_COLOUR)
        svg.add(
            root, "line", class_="x-tick", x1=x, x2=x, y1=bottom, y2=bottom + 4, stroke=AXIS_COLOUR
        )
        svg.add(root, "text", label, class_="x-tick", x=x, y=bottom + 17, text_anchor="middle")
    svg.add(root, "line", x1=plot_left, x2=plot_right, y1=bottom, y2=bottom, stroke=AXIS_COLOUR)


def _sensitivity_legend(root, names: Sequence[str], fills: Sequence[str], top: float) -> None:
    legend = svg.add(root, "g", class_="legend")
    x, y = MARGIN, top + 10
    for name, fill in zip(names, fills, strict=True):
        svg.add(legend, "rect", x=x, y=y - 6, width=18, height=SENSITIVITY_BAR, fill=fill)
        svg.add(legend, "text", name, x=x + 24, y=y + 4)
        x += 24 + svg.text_width(name, FONT_SIZE) + 18
