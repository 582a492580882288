"""A Gantt-like timeline of a strategy's measures and milestones as a standalone SVG string.

Pure function, no Django, no files; inline in web pages and embedded in typst PDFs, so only
plain SVG 1.1 with explicit fill and stroke attributes (no style sheets, no classes, no
references). Rows carry ``data-kind`` and ``data-status`` attributes as hooks for tests.
Bar end dates are inclusive: a measure from 1 January to 31 December fills its year exactly.
"""

import datetime
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sozialplanung.reports import svg
from sozialplanung.reports.charts import (
    AXIS_COLOUR,
    EMPHASIS_COLOUR,
    FONT_SIZE,
    GRID_COLOUR,
    MARGIN,
    MUTED_COLOUR,
    TITLE_FONT_SIZE,
)

STATUS_LABELS = {
    "planned": "geplant",
    "running": "läuft",
    "done": "abgeschlossen",
    "stopped": "abgebrochen",
    "open": "offen",
    "delayed": "verzögert",
}
# fill, stroke, dash per status; besides the colour, outline, lightness and the strike line of
# stopped bars tell them apart, so the chart reads in greyscale and with colour-blindness.
BAR_STYLES = {
    "planned": ("#e6eef8", "#5479ad", "3 2"),
    "running": ("#3b6fb6", None, None),
    "done": (EMPHASIS_COLOUR, None, None),
    "stopped": ("#bdbdbd", None, None),
}
MARK_STYLES = {"open": "#ffffff", "done": EMPHASIS_COLOUR, "delayed": "#c8662b"}
TODAY_COLOUR = "#333333"
BAND_COLOUR = "#f0f0f0"
ROW = 22
BAR_THICKNESS = 12
DIAMOND = 6  # half diagonal
ARROW = 8  # length of the pointed end of an open-ended bar
INDENT = 10  # bar labels under a group heading
HEADER_ROW = 16
LEGEND_ROW = 20
OPEN_REACH = datetime.timedelta(days=91)  # axis room after the start of an open-ended bar


@dataclass(frozen=True)
class Bar:
    label: str
    start: datetime.date | None
    end: datetime.date | None  # inclusive; None = open-ended
    status: str  # planned, running, done, stopped
    group: str = ""


@dataclass(frozen=True)
class Mark:
    label: str
    day: datetime.date
    status: str  # open, done, delayed


def timeline(
    bars: Sequence[Bar],
    marks: Sequence[Mark],
    *,
    title: str,
    width: float = 900,
    today: datetime.date | None = None,
    status_labels: Mapping[str, str] | None = None,
) -> str:
    """Milestones (diamonds) first, then the measures (bars) under their group headings.

    The axis runs from the earliest date to the latest, padded to whole years, or to whole
    quarters when that spans at most two years (then quarters are labelled too). Open-ended
    bars reach the right edge with a pointed end; the axis then reaches at least ``today``.
    Bars without a start are not drawn but named in the description.
    """
    if not bars and not marks:
        raise ValueError("timeline needs at least one bar or mark")
    for item, styles in [(b, BAR_STYLES) for b in bars] + [(m, MARK_STYLES) for m in marks]:
        if item.status not in styles:
            raise ValueError(f"unknown status {item.status!r} of {item.label!r}: use {[*styles]}")
    for bar in bars:
        if bar.start and bar.end and bar.end < bar.start:
            raise ValueError(f"{bar.label!r} ends ({bar.end}) before it starts ({bar.start})")
    labels = {**STATUS_LABELS, **(status_labels or {})}
    dated = [bar for bar in bars if bar.start is not None]
    if not dated and not marks:
        raise ValueError("timeline needs a mark or a bar with a start date")
    first, last, quarterly = _axis(dated, marks, today)
    groups: dict[str, list[Bar]] = {}
    for bar in dated:
        groups.setdefault(bar.group, []).append(bar)
    rows: list[tuple[str, object]] = [("milestone", mark) for mark in marks]
    for group, members in groups.items():
        rows += ([("group", group)] if group else []) + [("measure", bar) for bar in members]

    root = svg.document(
        width=width, height=0, title=title, description=_summary(bars, marks, first, last, labels)
    )
    top = MARGIN
    for line in svg.wrap(title, width - 2 * MARGIN, TITLE_FONT_SIZE):
        top += TITLE_FONT_SIZE * 1.25
        svg.add(
            root, "text", line, x=MARGIN, y=top - 3, font_size=TITLE_FONT_SIZE, font_weight="bold"
        )
    header_top = top + 6
    rows_top = header_top + HEADER_ROW * (2 if quarterly else 1) + 6
    rows_bottom = rows_top + len(rows) * ROW
    indent = INDENT if any(kind == "group" for kind, _ in rows) else 0
    widths = [svg.text_width(mark.label, FONT_SIZE) for mark in marks]
    widths += [svg.text_width(bar.label, FONT_SIZE) + indent for bar in dated]
    label_width = min(max(widths), 0.35 * (width - 2 * MARGIN))
    left, right = MARGIN + label_width + 12, width - MARGIN - ARROW

    def x_of(day: datetime.date) -> float:
        return left + (day - first).days / (last - first).days * (right - left)

    _grid(root, first, last, quarterly, x_of, header_top, rows_bottom, right)
    for number, (kind, item) in enumerate(rows):
        middle = rows_top + number * ROW + ROW / 2
        if kind == "group":
            row = svg.add(root, "g", data_kind="group")
            band = {"width": width - 2 * MARGIN, "height": ROW - 2, "fill": BAND_COLOUR}
            svg.add(row, "rect", x=MARGIN, y=middle - ROW / 2 + 1, **band)
            shown = svg.shorten(item, width - 2 * MARGIN - 8, FONT_SIZE)
            svg.add(row, "title", item)
            svg.add(row, "text", shown, x=MARGIN + 4, y=middle + 4, font_weight="bold")
            continue
        row = svg.add(root, "g", data_kind=kind, data_status=item.status)
        svg.add(row, "title", _describe(item, labels))
        shift = indent if kind == "measure" else 0
        shown = svg.shorten(item.label, label_width - shift, FONT_SIZE)
        svg.add(row, "text", shown, x=MARGIN + shift, y=middle + 4)
        if kind == "milestone":
            _diamond(row, x_of(item.day), middle, MARK_STYLES[item.status])
            _mark_date(row, item.day, x_of(item.day), middle, right)
        else:
            end = x_of(item.end + datetime.timedelta(days=1)) if item.end else None
            _bar(row, x_of(item.start), end, middle, right, item.status)
    if today is not None and first <= today < last:
        x = x_of(today)
        dashed = {"stroke_width": 1.5, "stroke_dasharray": "4 3", "data_kind": "today"}
        _line(root, x, rows_top - 4, x, rows_bottom, TODAY_COLOUR, **dashed)
        anchor = "end" if x + 20 > width - MARGIN else "start" if x - 20 < MARGIN else "middle"
        svg.add(
            root, "text", "heute", x=x, y=rows_bottom + 14, text_anchor=anchor, fill=TODAY_COLOUR
        )
    legend_top = rows_bottom + 30
    height = _legend(root, bars, marks, labels, legend_top, width)
    svg.resize(root, width, math.ceil(height + MARGIN))
    return svg.serialise(root)


def _axis(bars, marks, today) -> tuple[datetime.date, datetime.date, bool]:
    """First and last (exclusive) day of the axis and whether it runs in quarters."""
    day = datetime.timedelta(days=1)
    starts = [bar.start for bar in bars] + [mark.day for mark in marks]
    ends = [mark.day + day for mark in marks] + [bar.start + day for bar in bars]
    ends += [bar.end + day for bar in bars if bar.end]
    if any(bar.end is None for bar in bars):
        ends += [bar.start + OPEN_REACH for bar in bars if bar.end is None]
        ends += [today + day] if today else []
    first, last = _quarter_start(min(starts)), _quarter_start(max(ends) - day)
    last = _next_quarter(last)
    if (last - first).days <= 731:
        return first, last, True
    last_year = last.year if (last.month, last.day) == (1, 1) else last.year + 1
    return datetime.date(first.year, 1, 1), datetime.date(last_year, 1, 1), False


def _quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _next_quarter(day: datetime.date) -> datetime.date:
    month = day.month + 3
    return datetime.date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _grid(root, first, last, quarterly, x_of, top, bottom, right) -> None:
    """Quarter lines (when at least 6 px apart), year lines labelled just right of them."""
    grid = svg.add(root, "g", data_kind="axis")
    quarter, quarters = first, []
    while quarter <= last:
        quarters.append(quarter)
        quarter = _next_quarter(quarter)
    spacing = x_of(quarters[1]) - x_of(quarters[0])
    room = svg.text_width("2000", FONT_SIZE) + 8
    every = next((n for n in (1, 2, 5, 10, 20, 50) if n * 4 * spacing >= room), 100)
    for quarter in quarters:
        x = x_of(quarter)
        if quarter.month == 1:
            colour = AXIS_COLOUR if quarter.year % every == 0 else "#c4c4c4"
            _line(grid, x, top, x, bottom, colour, data_kind="year", data_year=quarter.year)
        elif spacing >= 6:
            _line(grid, x, top + HEADER_ROW, x, bottom, GRID_COLOUR, data_kind="quarter")
        if quarterly and quarter < last:
            name, muted = f"Q{(quarter.month - 1) // 3 + 1}", {"fill": MUTED_COLOUR}
            y = top + 2 * HEADER_ROW - 4
            svg.add(grid, "text", name, x=x + spacing / 2, y=y, text_anchor="middle", **muted)
    final = (last - datetime.timedelta(days=1)).year
    years = [y for y in range(first.year, final + 1) if y % every == 0 or y == first.year]
    spots = [(max(x_of(datetime.date(y, 1, 1)), x_of(first)), y) for y in years]
    for (x, year), following in zip(spots, [*spots[1:], (right, None)], strict=True):
        if x + room <= following[0] + 4:
            svg.add(grid, "text", str(year), x=x + 3, y=top + HEADER_ROW - 4, font_weight="bold")


def _bar(row, start: float, end: float | None, middle: float, right: float, status: str) -> None:
    fill, stroke, dash = BAR_STYLES[status]
    top, bottom = middle - BAR_THICKNESS / 2, middle + BAR_THICKNESS / 2
    paint = {"fill": fill, "stroke": stroke, "stroke_dasharray": dash}
    if end is None:  # open-ended: to the right edge, with a pointed end
        shoulder = max(start, right - ARROW / 2)
        outline = [(start, top), (shoulder, top), (right + ARROW, middle), (shoulder, bottom)]
        svg.add(
            row, "polygon", data_end="open", points=_points([*outline, (start, bottom)]), **paint
        )
        end = right + ARROW / 2
    else:
        size = {"width": max(end - start, 1), "height": BAR_THICKNESS}
        svg.add(row, "rect", x=start, y=top, **size, **paint)
    if status == "stopped":
        _line(row, start, middle, end, middle, "#333333", stroke_width=1.5, data_kind="strike")


def _line(parent, x1: float, y1: float, x2: float, y2: float, stroke: str, **more) -> None:
    svg.add(parent, "line", x1=x1, y1=y1, x2=x2, y2=y2, stroke=stroke, **more)


def _points(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{svg.coordinate(x)},{svg.coordinate(y)}" for x, y in points)


def _diamond(parent, x: float, y: float, fill: str, size: float = DIAMOND) -> None:
    points = [(x, y - size), (x + size, y), (x, y + size), (x - size, y)]
    outline = {"stroke": "#333333", "stroke_width": 1.2}
    svg.add(parent, "polygon", data_kind="diamond", points=_points(points), fill=fill, **outline)


def _mark_date(row, day: datetime.date, x: float, middle: float, right: float) -> None:
    text = f"{day:%d.%m.%Y}"
    after = x + DIAMOND + 4 + svg.text_width(text, FONT_SIZE - 1) <= right + ARROW
    x, anchor = (x + DIAMOND + 4, None) if after else (x - DIAMOND - 4, "end")
    box = {"width": svg.text_width(text, FONT_SIZE - 1), "height": 14, "fill": "#ffffff"}
    svg.add(row, "rect", x=x if after else x - box["width"], y=middle - 7, **box)
    small = {"font_size": FONT_SIZE - 1, "fill": MUTED_COLOUR}
    svg.add(row, "text", text, x=x, y=middle + 4, text_anchor=anchor, **small)


def _legend(root, bars, marks, labels, top: float, width: float) -> float:
    """Legend items of the statuses present, wrapped; returns the y where the legend ends."""
    items = [("bar", s) for s in BAR_STYLES if any(b.status == s for b in bars)]
    items += [("mark", s) for s in MARK_STYLES if any(m.status == s for m in marks)]
    legend = svg.add(root, "g", data_kind="legend")
    x, y = MARGIN, top
    for kind, status in items:
        item = 34 + svg.text_width(labels[status], FONT_SIZE)
        if x > MARGIN and x + item > width - MARGIN:
            x, y = MARGIN, y + LEGEND_ROW
        if kind == "bar":
            _bar(legend, x, x + 24, y, math.inf, status)
        else:
            _diamond(legend, x + 12, y, MARK_STYLES[status])
        svg.add(legend, "text", labels[status], x=x + 30, y=y + 4)
        x += item + 14
    return y + LEGEND_ROW / 2 if items else top


def _describe(item: Bar | Mark, labels: Mapping[str, str]) -> str:
    """Label, dates in German notation (day or month precision) and status of an entry."""
    if isinstance(item, Mark):
        when = f"{item.day:%d.%m.%Y}"
    else:
        when = (
            f"{item.start:%m/%Y} – {item.end:%m/%Y}"
            if item.end
            else f"ab {item.start:%m/%Y}, offen"
        )
    return f"{item.label}: {when} ({labels[item.status]})"


def _tally(items, styles, labels) -> str:
    counts = [(labels[s], sum(i.status == s for i in items)) for s in styles]
    return ", ".join(f"{label}: {count}" for label, count in counts if count)


def _summary(bars, marks, first, last, labels) -> str:
    """The text alternative: axis range, counts per status, every entry with its dates."""
    end = last - datetime.timedelta(days=1)
    parts = [f"Zeitachse {first:%m/%Y} bis {end:%m/%Y}."]
    if marks:
        entries = "; ".join(_describe(mark, labels) for mark in marks)
        tally = _tally(marks, MARK_STYLES, labels)
        noun = "Meilenstein" if len(marks) == 1 else "Meilensteine"
        parts.append(f"{len(marks)} {noun} ({tally}): {entries}.")
    if bars:
        groups: dict[str, list[str]] = {}
        for bar in (bar for bar in bars if bar.start is not None):
            groups.setdefault(bar.group, []).append(_describe(bar, labels))
        entries = ". ".join(
            f"{group}: {'; '.join(items)}" if group else "; ".join(items)
            for group, items in groups.items()
        )
        tally = _tally(bars, BAR_STYLES, labels)
        counted = f"{len(bars)} {'Maßnahme' if len(bars) == 1 else 'Maßnahmen'} ({tally})"
        parts.append(f"{counted}: {entries}." if entries else f"{counted}.")
    undated = [bar.label for bar in bars if bar.start is None]
    if undated:
        parts.append(f"Ohne Zeitraum: {', '.join(undated)}.")
    return " ".join(parts)
