"""What the strategy pages show: tables, charts and labels made from the models."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sozialplanung.analytics.goals import GoalStatus
from sozialplanung.reports.charts import Series, line_chart
from sozialplanung.reports.charts_index import rank_interval_chart
from sozialplanung.reports.timeline import Bar, Mark, timeline

from .models import BudgetLine, Goal, Guideline, Measure, Milestone, ProgressEntry, Strategy
from .priorities import CRITERIA
from .tracking import GoalTrack
from .versions import KINDS, Change, euro

STATUS_LABELS = {
    GoalStatus.REACHED: gettext_lazy("reached"),
    GoalStatus.ON_TRACK: gettext_lazy("on track"),
    GoalStatus.BEHIND: gettext_lazy("behind"),
    GoalStatus.NO_DATA: gettext_lazy("no data yet"),
}


def status_counts(strategy: Strategy) -> list[tuple[str, int]]:
    counts = Counter(strategy.measures.values_list("status", flat=True))
    return [(label, counts.get(value, 0)) for value, label in Measure.Status.choices]


def has_example_content(strategy: Strategy) -> bool:
    return any(
        items.filter(is_example=True).exists()
        for items in (
            strategy.guidelines,
            strategy.measures,
            strategy.milestones,
            Goal.objects.filter(guideline__strategy=strategy),
        )
    )


@dataclass
class BudgetTable:
    sources: list[str]  # labels of the columns
    rows: list[tuple[str, list[str], str]]  # year, amount per source, row total
    totals: list[str]
    total: str


def budget_table(strategy: Strategy) -> BudgetTable:
    """Budget by year and funding source, with sums per year, per source and overall."""
    lines = BudgetLine.objects.filter(measure__strategy=strategy)
    return _budget_table(lines)


def measure_budget(measure: Measure) -> BudgetTable:
    return _budget_table(measure.budget_lines.all())


def _budget_table(lines) -> BudgetTable:
    sums: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for year, source, amount in lines.values_list("year", "source", "amount"):
        sums[year, source] += amount
    sources = [value for value, _label in BudgetLine.Source.choices]
    years = sorted({year for year, _source in sums})
    rows = [
        (
            str(year),
            [euro(sums.get((year, s), Decimal(0))) for s in sources],
            euro(sum((sums.get((year, s), Decimal(0)) for s in sources), Decimal(0))),
        )
        for year in years
    ]
    totals = [euro(sum((sums.get((y, s), Decimal(0)) for y in years), Decimal(0))) for s in sources]
    return BudgetTable(
        [label for _value, label in BudgetLine.Source.choices],
        rows,
        totals,
        euro(sum(sums.values(), Decimal(0))),
    )


def progress_of(measure: Measure):
    """Progress entries of this measure in every version of the strategy (they share the ref)."""
    return ProgressEntry.objects.filter(measure__ref=measure.ref).select_related("author")


def timeline_svg(strategy: Strategy, today=None) -> str:
    measures = strategy.measures.prefetch_related("goals__guideline").order_by("number")
    bars = [Bar(str(m), m.start, m.end, m.status, group=_group(m)) for m in measures]
    bars.sort(key=lambda bar: bar.group)
    marks = [
        Mark(f"{_('Milestone')} {ms.number}: {ms.title}", ms.due, ms.status)
        for ms in strategy.milestones.all()
    ]
    if not bars and not marks:
        return ""
    return timeline(bars, marks, title=_("Timeline of measures and milestones"), today=today)


def _group(measure: Measure) -> str:
    guidelines = sorted({g.guideline.number: g.guideline for g in measure.goals.all()}.items())
    return str(guidelines[0][1]) if guidelines else _("without a goal")


def goals_of(strategy: Strategy):
    return (
        Goal.objects.filter(guideline__strategy=strategy)
        .select_related("guideline", "indicator__numerator", "indicator__denominator")
        .prefetch_related("areas")
    )


def goal_row(track: GoalTrack) -> dict:
    """One line of the goal dashboard: status, latest value against the path, and a chart."""
    goal, tracking = track.goal, track.tracking
    decimals = goal.indicator.decimals if goal.indicator else 1
    row = {
        "goal": goal,
        "status": tracking.status.value if tracking else "",
        "status_label": STATUS_LABELS[tracking.status] if tracking else _("not tracked"),
        "latest": None,
        "chart": "",
        "note": _("This indicator cannot be summed over municipalities.")
        if track.note == "not_additive"
        else "",
    }
    if tracking is None or tracking.latest_value is None:
        return row
    row["latest"] = {
        "year": str(tracking.latest_year),
        "value": number_format(tracking.latest_value, decimals, use_l10n=True),
        "expected": number_format(tracking.expected_value, decimals, use_l10n=True),
        "progress": number_format(100 * tracking.progress, 0, use_l10n=True)
        if tracking.progress is not None
        else "",
    }
    observed = list(zip(track.years, track.values, strict=True))
    row["chart"] = line_chart(
        [
            Series(_("observed"), observed, emphasis=True),
            Series(_("target path"), list(tracking.path)),
        ],
        title=goal.indicator.name,
        unit=goal.indicator.unit,
        width=520,
        height=220,
        decimals=decimals,
    )
    return row


def change_groups(changes: list[Change]) -> list[dict]:
    labels = {"added": _("added"), "removed": _("removed"), "changed": _("changed")}
    return [
        {
            "kind": KINDS[kind],
            "changes": [
                {
                    "label": c.label,
                    "change": c.change,
                    "change_label": labels[c.change],
                    "fields": c.fields,
                }
                for c in changes
                if c.kind == kind
            ],
        }
        for kind in KINDS
        if any(c.kind == kind for c in changes)
    ]


def history_of(strategy: Strategy, limit: int = 200) -> list[dict]:
    """The latest changes to the version and its items: who, when, what and which fields."""
    records = chain(
        strategy.history.all(),
        Guideline.history.filter(strategy_id=strategy.pk),
        Goal.history.filter(guideline__strategy=strategy),
        Measure.history.filter(strategy_id=strategy.pk),
        BudgetLine.history.filter(measure__strategy=strategy),
        Milestone.history.filter(strategy_id=strategy.pk),
        ProgressEntry.history.filter(measure__strategy=strategy),
    )
    newest = sorted(records, key=lambda r: r.history_date, reverse=True)[:limit]
    kinds = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    entries = []
    for record in newest:
        fields = []
        previous = record.prev_record if record.history_type == "~" else None
        if previous is not None:
            delta = record.diff_against(previous)
            fields = [
                str(record.instance._meta.get_field(c.field).verbose_name) for c in delta.changes
            ]
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "what": record.instance._meta.verbose_name,
                "item": str(record.instance),
                "change": kinds.get(record.history_type, record.history_type),
                "fields": fields,
            }
        )
    return entries


def _stability_chart(rows: list[dict]) -> str:
    """Each measure's rank under the planner's weights' neighbours: 90 % interval and median."""
    if not rows:
        return ""
    items = [
        (
            f"{row['code']} {row['title']}",
            row.get("median_rank", row["rank"]),
            row["rank_low"],
            row["rank_high"],
        )
        for row in rows
    ]
    return rank_interval_chart(
        items,
        title=_("Rank when the weights vary around the chosen ones"),
        description=_(
            "For each measure the range of ranks in 90 percent of 2,000 random weightings, "
            "and the median rank."
        ),
        axis_label=_("Rank (1 = first)"),
    )


def priority_table(result: dict) -> dict:
    """The stored or fresh ranking with German numbers and the criteria's labels."""
    labels = [str(label) for label, _criterion in CRITERIA.values()]
    decimals = [2, 0, 0, 0, 0]
    rows = [
        {
            **row,
            "total_text": number_format(100 * row["total"], 1, use_l10n=True),
            "cells": [
                (
                    number_format(v, d, use_l10n=True, force_grouping=True),
                    number_format(100 * c, 1, use_l10n=True),
                )
                for v, c, d in zip(row["values"], row["contributions"], decimals, strict=True)
            ],
            "stable": row["rank_low"] == row["rank_high"],
            "share_text": number_format(100 * row["share_same_rank"], 0, use_l10n=True),
        }
        for row in result.get("rows", [])
    ]
    return {
        "labels": labels,
        "rows": rows,
        "chart": _stability_chart(rows),
        "apart": result.get("apart", []),
        "need_source": result.get("need_source", ""),
        "weights": [
            (str(label), result["weights"][key])
            for key, (label, _criterion) in CRITERIA.items()
            if key in result.get("weights", {})
        ],
    }
