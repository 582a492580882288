"""Writes of the social index: copying definitions, adopting them, starting runs."""

from django.db import transaction
from django.utils import timezone

from sozialplanung.web.jobs.services import start_job

from .models import IndexComponent, IndexDefinition, IndexRun


@transaction.atomic
def definition_copy(*, definition: IndexDefinition, user=None) -> IndexDefinition:
    """A new draft version with the same settings and components; the original stays as it is."""
    latest = IndexDefinition.objects.filter(name=definition.name).order_by("-version").first()
    copy = IndexDefinition.objects.get(pk=definition.pk)
    copy.pk = None
    copy.version = latest.version + 1
    copy.predecessor = definition
    copy.status = IndexDefinition.Status.DRAFT
    copy.adopted_at = None
    copy.created_by = user if user is not None and user.is_authenticated else None
    copy.save()
    IndexComponent.objects.bulk_create(
        IndexComponent(definition=copy, indicator=c.indicator, weight=c.weight, position=c.position)
        for c in definition.components.all()
    )
    return copy


def definition_adopt(*, definition: IndexDefinition) -> IndexDefinition:
    definition.status = IndexDefinition.Status.ADOPTED
    definition.adopted_at = timezone.now()
    definition.save(update_fields=["status", "adopted_at"])
    return definition


@transaction.atomic
def run_start(
    *, definition: IndexDefinition, year: int, level: str = IndexRun.Level.MUNICIPALITY, user=None
) -> IndexRun:
    run = IndexRun.objects.create(definition=definition, year=year, level=level)
    run.job = start_job(
        "socialindex.run",
        title=f"{definition.name} {year}",
        params={"run": run.pk},
        user=user,
    )
    run.save(update_fields=["job"])
    return run
