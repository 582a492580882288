"""What a topic sheet shows of the strategy: the goals on the topic's indicators, their measures."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sozialplanung.reports.documents import Chapter, IndicatorBlock
from sozialplanung.web.areas.models import Area

from .models import Goal, Strategy
from .services import current_strategy


def goals_chapter(county: Area, topic: str) -> Chapter | None:
    """Goals of the strategy in force whose indicator belongs to the topic, with their measures."""
    strategy = current_strategy(county)
    if strategy is None:
        return None
    goals = list(
        Goal.objects.filter(guideline__strategy=strategy, indicator__topic=topic)
        .select_related("guideline", "indicator")
        .prefetch_related("measures__responsible")
        .order_by("guideline__number", "number")
    )
    if not goals:
        return None
    rows = []
    for goal in goals:
        measures = [m for m in goal.measures.all() if m.strategy_id == strategy.pk]
        rows.append(
            (
                f"{goal.code} {goal.text}" + (f" ({_('example')})" if goal.is_example else ""),
                "; ".join(f"{m} ({m.get_status_display()})" for m in measures) or "–",
            )
        )
    block = IndicatorBlock(
        name="",
        year=None,
        statement=_source(strategy),
        definition="",
        source="",
        ranking_header=(_("Goal"), _("Measures")),
        ranking=tuple(rows),
        table_columns="(1fr, 1.3fr)",
        table_align="(left, left)",
    )
    return Chapter(title=_("Goals and measures of the strategy"), blocks=(block,))


def _source(strategy: Strategy) -> str:
    if strategy.is_adopted and strategy.council_decision_date:
        return _("From %(strategy)s, adopted by the county council on %(day)s.") % {
            "strategy": strategy,
            "day": date_format(strategy.council_decision_date),
        }
    return _("From %(strategy)s (draft).") % {"strategy": strategy}
