"""Changing a strategy: revisions, the council's adoption, numbering, who may report progress."""

import datetime as dt

from django.db import transaction
from django.db.models import Max, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from .models import BudgetLine, Goal, Measure, Milestone, ProgressEntry, Strategy


class StrategyFrozen(ValueError):
    """The strategy is adopted: its content changes only through a revision."""


def check_editable(strategy: Strategy) -> None:
    if strategy.is_adopted:
        raise StrategyFrozen(
            _(
                "Version %(version)s was adopted by the county council and can no longer be "
                "changed. Start a revision to change it."
            )
            % {"version": strategy.version}
        )


def next_number(items: QuerySet) -> int:
    return (items.aggregate(top=Max("number"))["top"] or 0) + 1


@transaction.atomic
def revise(*, strategy: Strategy, user=None) -> Strategy:
    """A new draft version as a copy; every item keeps the ref of the item it came from."""
    latest = Strategy.objects.filter(lineage=strategy.lineage).aggregate(top=Max("version"))["top"]
    copy = Strategy.objects.create(
        county=strategy.county,
        title=strategy.title,
        lineage=strategy.lineage,
        version=latest + 1,
        predecessor=strategy,
        funding_phase=strategy.funding_phase,
        funding_title=strategy.funding_title,
        introduction=strategy.introduction,
        created_by=user,
    )
    goal_copies: dict[int, Goal] = {}
    for guideline in strategy.guidelines.prefetch_related("goals__areas"):
        new_guideline = _copy(guideline, strategy=copy)
        for goal in guideline.goals.all():
            goal_copies[goal.pk] = _copy(goal, guideline=new_guideline)
            goal_copies[goal.pk].areas.set(goal.areas.all())
    measures = strategy.measures.prefetch_related("partners", "areas", "goals", "budget_lines")
    for measure in measures:
        new_measure = _copy(measure, strategy=copy)
        new_measure.partners.set(measure.partners.all())
        new_measure.areas.set(measure.areas.all())
        new_measure.goals.set([goal_copies[g.pk] for g in measure.goals.all()])
        bulk_create_with_history(
            [
                BudgetLine(measure=new_measure, year=b.year, source=b.source, amount=b.amount)
                for b in measure.budget_lines.all()
            ],
            BudgetLine,
            default_user=user,
        )
    for milestone in strategy.milestones.all():
        _copy(milestone, strategy=copy)
    return copy


def _copy(item, **parent):
    """Save a copy of a model instance under a new parent; many-to-many links are set apart."""
    fields = {
        f.name: getattr(item, f.name)
        for f in item._meta.concrete_fields
        if not f.primary_key and f.name not in parent
    }
    return type(item).objects.create(**fields, **parent)


@transaction.atomic
def adopt(*, strategy: Strategy, decided_on: dt.date, reference: str) -> Strategy:
    """Record the council's decision; the content of this version is frozen from now on."""
    check_editable(strategy)
    if not strategy.guidelines.exists():
        raise ValueError(_("A strategy without guidelines cannot be adopted."))
    strategy.status = Strategy.Status.ADOPTED
    strategy.council_decision_date = decided_on
    strategy.council_reference = reference
    strategy.save()
    return strategy


def current_strategy(county) -> Strategy | None:
    """The version in force: the newest adopted one, else the newest draft."""
    versions = Strategy.objects.filter(county=county)
    adopted = versions.filter(status=Strategy.Status.ADOPTED).order_by("-version", "-pk")
    return adopted.first() or versions.order_by("-version", "-pk").first()


def measures_for_provider(user) -> QuerySet:
    """The measures a provider account reports on: those its actors are responsible for."""
    return Measure.objects.filter(responsible__members=user).select_related("strategy")


def may_report_progress(user, measure: Measure) -> bool:
    """Planners report on any measure; providers only on measures their actor is responsible for."""
    if not user.is_authenticated or not user.has_perm("strategy.add_progressentry"):
        return False
    if user.has_perm("strategy.change_measure"):
        return True
    return (
        measure.responsible_id is not None
        and measure.responsible.members.filter(pk=user.pk).exists()
    )


def reach_to_date(measure: Measure) -> int:
    """People reached according to every progress entry of this measure in any version."""
    total = ProgressEntry.objects.filter(measure__ref=measure.ref).aggregate(
        total=Sum("people_reached")
    )["total"]
    return total or 0


def tree(strategy: Strategy) -> list[dict]:
    """Guideline → goals → measures, each measure listed under every goal it serves."""
    guidelines = strategy.guidelines.prefetch_related(
        "goals__measures", "goals__indicator", "goals__areas"
    )
    unlinked = strategy.measures.filter(goals__isnull=True).select_related("responsible")
    rows = [
        {
            "guideline": guideline,
            "goals": [
                {
                    "goal": goal,
                    "measures": [m for m in goal.measures.all() if m.strategy_id == strategy.pk],
                }
                for goal in guideline.goals.all()
            ],
        }
        for guideline in guidelines
    ]
    return rows if not unlinked else [*rows, {"guideline": None, "measures": list(unlinked)}]


def milestones_due(strategy: Strategy, today: dt.date) -> QuerySet:
    """Open milestones past their date: what the coordinator has to look at first."""
    return strategy.milestones.filter(~Q(status=Milestone.Status.DONE), due__lt=today)
